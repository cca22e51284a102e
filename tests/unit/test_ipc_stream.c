/* tests/unit/test_ipc_stream.c - the worker protocol on pipes: the line reader, the writer, their
 * figures. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "buf.h"
#include "ipc.h"

#include "ipc_testing.h"

static double now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static void make_pipe(int fds[2], int nonblock)
{
    assert_int_equal(pipe(fds), 0);
    if (nonblock)
        for (int i = 0; i < 2; i++)
            assert_int_equal(fcntl(fds[i], F_SETFL, fcntl(fds[i], F_GETFL) | O_NONBLOCK), 0);
}

static void write_bytes(int fd, const char *data, size_t len)
{
    rt_error err = {{0}};
    assert_int_equal(rt_ipc_write_all(fd, data, len, &err), RATCHET_OK);
}

/* ---- reader -------------------------------------------------------------------------------- */

/* Three messages of different types and sizes, as one byte stream. */
static void three_messages(ratchet_buf *stream)
{
    rt_ipc_msg m = {0};
    rt_error err = {{0}};
    m.type = RT_IPC_PING;
    m.id = 1;
    assert_int_equal(rt_ipc_encode(&m, stream, &err), RATCHET_OK);
    m.type = RT_IPC_EXECUTE;
    m.id = 2;
    m.execute.task =
        (rt_ipc_task_ref){"addition", "1.0.0", NULL, "/srv/tasks/addition", NULL, NULL, NULL, NULL};
    m.execute.input = json_text("{\"num1\":1,\"num2\":\"a\\nb\"}");
    assert_int_equal(rt_ipc_encode(&m, stream, &err), RATCHET_OK);
    memset(&m, 0, sizeof m);
    m.type = RT_IPC_SHUTDOWN;
    m.id = 3;
    m.shutdown.grace_ms = 100;
    assert_int_equal(rt_ipc_encode(&m, stream, &err), RATCHET_OK);
}

/* Return every complete line; check each decodes with the next expected id. */
static void drain(rt_ipc_reader *r, const char *stream, int *seen)
{
    const char *line;
    size_t len;
    rt_error err = {{0}};
    rt_ipc_io io;
    while ((io = rt_ipc_next_line(r, &line, &len, &err)) == RT_IPC_IO_OK) {
        /* The line is the stream's next line, NUL-terminated in place of its '\n'. */
        const char *at = stream;
        for (int i = 0; i < *seen; i++)
            at = strchr(at, '\n') + 1;
        assert_int_equal(len, (size_t)(strchr(at, '\n') - at));
        assert_memory_equal(line, at, len);
        assert_int_equal(line[len], '\0');
        rt_ipc_msg d;
        assert_int_equal(rt_ipc_decode(line, len, &d, &err), RATCHET_OK);
        assert_int_equal(d.id, ++*seen);
        rt_ipc_msg_free(&d);
    }
    assert_int_equal(io, RT_IPC_IO_AGAIN);
}

static void finish(rt_ipc_reader *r, int fds[2])
{
    const char *line;
    size_t len;
    rt_error err = {{0}};
    close(fds[1]);
    assert_int_equal(rt_ipc_read_ready(r, fds[0], &err), RT_IPC_IO_EOF);
    assert_int_equal(rt_ipc_next_line(r, &line, &len, &err), RT_IPC_IO_EOF);
    assert_int_equal(rt_ipc_next_line(r, &line, &len, &err), RT_IPC_IO_EOF);
    close(fds[0]);
    rt_ipc_reader_free(r);
}

static void test_reader_split_everywhere(void **state)
{
    (void)state;
    ratchet_buf stream = RATCHET_BUF_INIT;
    three_messages(&stream);
    rt_error err = {{0}};
    /* One split at every byte boundary. */
    for (size_t k = 0; k <= stream.len; k++) {
        int fds[2], seen = 0;
        make_pipe(fds, 1);
        rt_ipc_reader r;
        rt_ipc_reader_init(&r, 0);
        write_bytes(fds[1], stream.data, k);
        assert_int_equal(rt_ipc_read_ready(&r, fds[0], &err), RT_IPC_IO_OK);
        drain(&r, stream.data, &seen);
        write_bytes(fds[1], stream.data + k, stream.len - k);
        assert_int_equal(rt_ipc_read_ready(&r, fds[0], &err), RT_IPC_IO_OK);
        drain(&r, stream.data, &seen);
        assert_int_equal(seen, 3);
        finish(&r, fds);
    }
    /* One byte per read. */
    int fds[2], seen = 0;
    make_pipe(fds, 1);
    rt_ipc_reader r;
    rt_ipc_reader_init(&r, 0);
    for (size_t i = 0; i < stream.len; i++) {
        write_bytes(fds[1], stream.data + i, 1);
        assert_int_equal(rt_ipc_read_ready(&r, fds[0], &err), RT_IPC_IO_OK);
        drain(&r, stream.data, &seen);
    }
    assert_int_equal(seen, 3);
    finish(&r, fds);
    rt_buf_free(&stream);
}

static void test_reader_many_in_one_read(void **state)
{
    (void)state;
    ratchet_buf stream = RATCHET_BUF_INIT;
    rt_error err = {{0}};
    rt_ipc_msg m = {0};
    m.type = RT_IPC_PING;
    for (int i = 1; i <= 1000; i++) {
        m.id = i;
        assert_int_equal(rt_ipc_encode(&m, &stream, &err), RATCHET_OK);
    }
    assert_true(stream.len < 65536); /* fits the pipe, so one read gets all */
    int fds[2], seen = 0;
    make_pipe(fds, 1);
    write_bytes(fds[1], stream.data, stream.len);
    rt_ipc_reader r;
    rt_ipc_reader_init(&r, 0);
    assert_int_equal(rt_ipc_read_ready(&r, fds[0], &err), RT_IPC_IO_OK);
    drain(&r, stream.data, &seen);
    assert_int_equal(seen, 1000);
    finish(&r, fds);
    rt_buf_free(&stream);
}

static void test_reader_over_long(void **state)
{
    (void)state;
    const char *line;
    size_t len;
    rt_error err = {{0}};
    char big[300];
    memset(big, 'x', sizeof big);

    /* A good line, then an unterminated tail past the limit: the good line comes first. */
    int fds[2];
    make_pipe(fds, 1);
    rt_ipc_reader r;
    rt_ipc_reader_init(&r, 100);
    write_bytes(fds[1], "short line\n", 11);
    write_bytes(fds[1], big, 150);
    assert_int_equal(rt_ipc_read_ready(&r, fds[0], &err), RT_IPC_IO_OK);
    assert_int_equal(rt_ipc_next_line(&r, &line, &len, &err), RT_IPC_IO_OK);
    assert_string_equal(line, "short line");
    assert_int_equal(rt_ipc_next_line(&r, &line, &len, &err), RT_IPC_IO_ERR);
    assert_string_equal(err.msg, "message longer than 100 bytes");
    /* Fatal for the stream: every later call says so again. */
    memset(&err, 0, sizeof err);
    write_bytes(fds[1], "\n{}\n", 4);
    assert_int_equal(rt_ipc_read_ready(&r, fds[0], &err), RT_IPC_IO_ERR);
    assert_string_equal(err.msg, "message longer than 100 bytes");
    assert_int_equal(rt_ipc_next_line(&r, &line, &len, &err), RT_IPC_IO_ERR);
    rt_ipc_reader_free(&r);
    close(fds[0]);
    close(fds[1]);

    /* A complete line one byte too long; exactly the limit is fine. */
    make_pipe(fds, 1);
    rt_ipc_reader_init(&r, 100);
    write_bytes(fds[1], big, 100);
    write_bytes(fds[1], "\n", 1);
    write_bytes(fds[1], big, 101);
    write_bytes(fds[1], "\n", 1);
    assert_int_equal(rt_ipc_read_ready(&r, fds[0], &err), RT_IPC_IO_OK);
    assert_int_equal(rt_ipc_next_line(&r, &line, &len, &err), RT_IPC_IO_OK);
    assert_int_equal(len, 100);
    assert_int_equal(rt_ipc_next_line(&r, &line, &len, &err), RT_IPC_IO_ERR);
    assert_string_equal(err.msg, "message longer than 100 bytes");
    rt_ipc_reader_free(&r);
    close(fds[0]);
    close(fds[1]);

    /* A runaway writer does not grow the buffer: reading stops once the tail is too long. */
    make_pipe(fds, 1);
    rt_ipc_reader_init(&r, 16);
    for (int i = 0; i < 200; i++)
        write_bytes(fds[1], big, sizeof big);
    assert_int_equal(rt_ipc_read_ready(&r, fds[0], &err), RT_IPC_IO_OK);
    assert_true(r.cap <= (size_t)2 * 65536);
    assert_int_equal(rt_ipc_next_line(&r, &line, &len, &err), RT_IPC_IO_ERR);
    assert_string_equal(err.msg, "message longer than 16 bytes");
    rt_ipc_reader_free(&r);
    close(fds[0]);
    close(fds[1]);
}

static void test_reader_eof(void **state)
{
    (void)state;
    const char *line;
    size_t len;
    rt_error err = {{0}};
    int fds[2];
    rt_ipc_reader r;

    /* EOF in the middle of a line is an error, after the complete lines. */
    make_pipe(fds, 1);
    rt_ipc_reader_init(&r, 0);
    write_bytes(fds[1], "{}\n{\"protocol", 13);
    close(fds[1]);
    assert_int_equal(rt_ipc_read_ready(&r, fds[0], &err), RT_IPC_IO_OK);
    assert_int_equal(rt_ipc_read_ready(&r, fds[0], &err), RT_IPC_IO_EOF);
    assert_int_equal(rt_ipc_next_line(&r, &line, &len, &err), RT_IPC_IO_OK);
    assert_string_equal(line, "{}");
    assert_int_equal(rt_ipc_next_line(&r, &line, &len, &err), RT_IPC_IO_ERR);
    assert_string_equal(err.msg, "the peer closed the pipe in the middle of a message (10 bytes "
                                 "without a newline)");
    assert_int_equal(rt_ipc_next_line(&r, &line, &len, &err), RT_IPC_IO_ERR);
    rt_ipc_reader_free(&r);
    close(fds[0]);

    /* A clean EOF right away. */
    make_pipe(fds, 1);
    rt_ipc_reader_init(&r, 0);
    close(fds[1]);
    assert_int_equal(rt_ipc_read_ready(&r, fds[0], &err), RT_IPC_IO_EOF);
    assert_int_equal(rt_ipc_read_ready(&r, fds[0], &err), RT_IPC_IO_EOF);
    assert_int_equal(rt_ipc_next_line(&r, &line, &len, &err), RT_IPC_IO_EOF);
    rt_ipc_reader_free(&r);
    close(fds[0]);

    /* A read error (not a pipe at all). */
    rt_ipc_reader_init(&r, 0);
    assert_int_equal(rt_ipc_read_ready(&r, -1, &err), RT_IPC_IO_ERR);
    assert_contains(err.msg, "cannot read from the peer: Bad file descriptor");
    rt_ipc_reader_free(&r);
}

/* Writes its argument (a buffer) to a blocking pipe in one call. */
typedef struct feed {
    int fd;
    const char *data;
    size_t len;
} feed;

static void *feed_thread(void *arg)
{
    feed *f = arg;
    rt_ipc_write_all(f->fd, f->data, f->len, NULL);
    return NULL;
}

/* On a blocking fd a full read that completes a line returns at once rather than waiting for
 * bytes that may never come. */
static void test_reader_blocking_fd(void **state)
{
    (void)state;
    char *data = malloc(65536);
    assert_non_null(data);
    for (size_t i = 0; i < 64; i++) {
        memset(data + i * 1024, 'a', 1023);
        data[i * 1024 + 1023] = '\n';
    }
    int fds[2];
    make_pipe(fds, 0);
    feed f = {fds[1], data, 65536};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, feed_thread, &f), 0);
    rt_ipc_reader r;
    rt_ipc_reader_init(&r, 0);
    rt_error err = {{0}};
    const char *line;
    size_t len;
    int lines = 0;
    alarm(20); /* a hang here is the bug; end it as a failure */
    while (lines < 64) {
        assert_int_equal(rt_ipc_read_ready(&r, fds[0], &err), RT_IPC_IO_OK);
        while (rt_ipc_next_line(&r, &line, &len, &err) == RT_IPC_IO_OK) {
            assert_int_equal(len, 1023);
            lines++;
        }
    }
    alarm(0);
    pthread_join(t, NULL);
    close(fds[1]);
    assert_int_equal(rt_ipc_read_ready(&r, fds[0], &err), RT_IPC_IO_EOF);
    close(fds[0]);
    rt_ipc_reader_free(&r);
    free(data);
}

/* ---- writer -------------------------------------------------------------------------------- */

static void big_execute(rt_ipc_msg *m, struct json_object **input, size_t n)
{
    char *s = malloc(n + 1);
    assert_non_null(s);
    for (size_t i = 0; i < n; i++)
        s[i] = (char)('a' + i % 26);
    s[n] = '\0';
    *input = json_object_new_object();
    json_object_object_add(*input, "blob", json_object_new_string(s));
    free(s);
    memset(m, 0, sizeof *m);
    m->type = RT_IPC_EXECUTE;
    m->id = 1;
    m->execute.task = (rt_ipc_task_ref){"t", "1", NULL, "/t", NULL, NULL, NULL, NULL};
    m->execute.input.obj = *input;
}

/* Lines received on the read end, checked: the big message, then pings 2..n. */
static void check_received(rt_ipc_reader *r, int *seen, size_t blob)
{
    const char *line;
    size_t len;
    rt_error err = {{0}};
    while (rt_ipc_next_line(r, &line, &len, &err) == RT_IPC_IO_OK) {
        rt_ipc_msg d;
        assert_int_equal(rt_ipc_decode(line, len, &d, &err), RATCHET_OK);
        assert_int_equal(d.id, ++*seen);
        if (d.id == 1) {
            struct json_object *v;
            assert_true(json_object_object_get_ex(d.execute.input.obj, "blob", &v));
            assert_int_equal(json_object_get_string_len(v), blob);
        } else {
            assert_int_equal(d.type, RT_IPC_PING);
        }
        rt_ipc_msg_free(&d);
    }
}

static void test_writer_partial_writes(void **state)
{
    (void)state;
    const size_t blob = 300000; /* several times the pipe's 64 KiB */
    int fds[2];
    make_pipe(fds, 1);
    rt_ipc_writer w;
    rt_ipc_writer_init(&w, 0);
    rt_ipc_msg m;
    struct json_object *input;
    rt_error err = {{0}};
    big_execute(&m, &input, blob);
    assert_int_equal(rt_ipc_writer_queue(&w, &m, &err), RATCHET_OK);
    json_object_put(input);
    memset(&m, 0, sizeof m);
    m.type = RT_IPC_PING;
    for (int i = 2; i <= 10; i++) {
        m.id = i;
        assert_int_equal(rt_ipc_writer_queue(&w, &m, &err), RATCHET_OK);
    }
    size_t total = rt_ipc_writer_pending(&w);
    assert_true(total > blob);

    rt_ipc_reader r;
    rt_ipc_reader_init(&r, 0);
    int seen = 0, retries = 0;
    ratchet_status rc;
    while ((rc = rt_ipc_writer_flush(&w, fds[1], &err)) == RATCHET_RETRY) {
        retries++;
        assert_true(rt_ipc_writer_pending(&w) > 0 && rt_ipc_writer_pending(&w) < total);
        /* More pings queued mid-flight go after what is pending. */
        if (retries == 1) {
            m.id = 11;
            assert_int_equal(rt_ipc_writer_queue(&w, &m, &err), RATCHET_OK);
        }
        struct pollfd p = {fds[0], POLLIN, 0};
        assert_int_equal(poll(&p, 1, 5000), 1);
        assert_int_equal(rt_ipc_read_ready(&r, fds[0], &err), RT_IPC_IO_OK);
        check_received(&r, &seen, blob);
    }
    assert_int_equal(rc, RATCHET_OK);
    assert_true(retries >= 3);
    assert_int_equal(rt_ipc_writer_pending(&w), 0);
    while (seen < 11) {
        assert_int_equal(rt_ipc_read_ready(&r, fds[0], &err), RT_IPC_IO_OK);
        check_received(&r, &seen, blob);
    }
    finish(&r, fds);
    rt_ipc_writer_free(&w);
}

static void test_writer_queue_limit(void **state)
{
    (void)state;
    rt_ipc_writer w;
    rt_ipc_writer_init(&w, 4096);
    rt_ipc_msg m;
    struct json_object *input;
    rt_error err = {{0}};
    memset(&m, 0, sizeof m);
    m.type = RT_IPC_PING;
    assert_int_equal(rt_ipc_writer_queue(&w, &m, &err), RATCHET_OK);
    size_t before = rt_ipc_writer_pending(&w);
    big_execute(&m, &input, 5000);
    assert_int_equal(rt_ipc_writer_queue(&w, &m, &err), RATCHET_RETRY);
    assert_contains(err.msg, "output queue full");
    assert_int_equal(rt_ipc_writer_pending(&w), before);
    json_object_put(input);
    rt_ipc_writer_free(&w);
}

static void test_writer_epipe(void **state)
{
    (void)state;
    void (*old)(int) = signal(SIGPIPE, SIG_IGN);
    int fds[2];
    make_pipe(fds, 1);
    close(fds[0]);
    rt_ipc_writer w;
    rt_ipc_writer_init(&w, 0);
    rt_ipc_msg m = {0};
    m.type = RT_IPC_PING;
    rt_error err = {{0}};
    assert_int_equal(rt_ipc_writer_queue(&w, &m, &err), RATCHET_OK);
    assert_int_equal(rt_ipc_writer_flush(&w, fds[1], &err), RATCHET_ERR);
    assert_string_equal(err.msg, "the peer closed the pipe");
    memset(&err, 0, sizeof err);
    assert_int_equal(rt_ipc_write_msg(fds[1], &m, &err), RATCHET_ERR);
    assert_string_equal(err.msg, "the peer closed the pipe");
    close(fds[1]);
    rt_ipc_writer_free(&w);
    signal(SIGPIPE, old);
}

/* Reads messages from a blocking pipe until EOF, as a worker reads its stdin. */
typedef struct sink {
    int fd;
    int messages;
    size_t blob;
    int ok;
} sink;

static void *sink_thread(void *arg)
{
    sink *s = arg;
    rt_ipc_reader r;
    rt_ipc_reader_init(&r, 0);
    rt_error err;
    const char *line;
    size_t len;
    s->ok = 1;
    for (;;) {
        rt_ipc_io io = rt_ipc_read_ready(&r, s->fd, &err);
        while (rt_ipc_next_line(&r, &line, &len, &err) == RT_IPC_IO_OK) {
            rt_ipc_msg d;
            if (rt_ipc_decode(line, len, &d, &err) != RATCHET_OK) {
                s->ok = 0;
                continue;
            }
            struct json_object *v;
            if (json_object_object_get_ex(d.execute.input.obj, "blob", &v))
                s->blob = (size_t)json_object_get_string_len(v);
            s->messages++;
            rt_ipc_msg_free(&d);
        }
        if (io != RT_IPC_IO_OK)
            break;
    }
    rt_ipc_reader_free(&r);
    return NULL;
}

/* rt_ipc_write_msg on a non-blocking fd waits for room instead of failing with EAGAIN. */
static void test_write_msg_waits(void **state)
{
    (void)state;
    int fds[2];
    make_pipe(fds, 1);
    assert_int_equal(fcntl(fds[0], F_SETFL, 0), 0); /* the sink blocks; the writer must not */
    sink s = {fds[0], 0, 0, 0};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, sink_thread, &s), 0);
    rt_ipc_msg m;
    struct json_object *input;
    rt_error err = {{0}};
    big_execute(&m, &input, 1 << 20);
    assert_int_equal(rt_ipc_write_msg(fds[1], &m, &err), RATCHET_OK);
    json_object_put(input);
    close(fds[1]);
    pthread_join(t, NULL);
    close(fds[0]);
    assert_true(s.ok);
    assert_int_equal(s.messages, 1);
    assert_int_equal(s.blob, 1 << 20);
}

/* ---- figures ------------------------------------------------------------------------------- */

/* Not pass/fail: prints encode and decode cost for the messages of one `addition` job. */
static void test_speed(void **state)
{
    (void)state;
    const int n = 100000;
    ratchet_buf b = RATCHET_BUF_INIT;
    rt_error err = {{0}};
    struct json_object *input = parse("{\"num1\":1,\"num2\":2}");
    struct json_object *output = parse("{\"sum\":3}");
    rt_ipc_msg ex = {0}, res = {0}, res_text = {0}, d;
    ex.type = RT_IPC_EXECUTE;
    ex.id = 123456;
    ex.execute.job_id = 987654;
    ex.execute.execution_id = "0f8e2b4c-1d3a-4e5f-9a7b-6c5d4e3f2a1b";
    ex.execute.task = (rt_ipc_task_ref){"addition", "1.0.0", "bd6c6f98-4896-44cc-8c82-30328c3aefda",
                                        "/srv/ratchet/tasks/addition", NULL, NULL, NULL, NULL};
    ex.execute.input.obj = input;
    ex.execute.timeout_ms = 300000;
    ex.execute.memory_bytes = (int64_t)64 << 20;
    res.type = RT_IPC_RESULT;
    res.id = 123456;
    res.result.job_id = 987654;
    res.result.output.obj = output;
    res.result.duration_ms = 0.087;
    res_text = res;
    res_text.result.output = json_text("{\"sum\":3}");

    const struct {
        const char *name;
        const rt_ipc_msg *m;
    } cases[] = {{"execute", &ex},
                 {"result (output as json_object)", &res},
                 {"result (output as text)", &res_text}};
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        double t0 = now_ns();
        for (int i = 0; i < n; i++) {
            b.len = 0;
            assert_int_equal(rt_ipc_encode(cases[c].m, &b, &err), RATCHET_OK);
        }
        double t1 = now_ns();
        for (int i = 0; i < n; i++) {
            assert_int_equal(rt_ipc_decode(b.data, b.len - 1, &d, &err), RATCHET_OK);
            rt_ipc_msg_free(&d);
        }
        double t2 = now_ns();
        printf("ipc %-32s %4zu bytes  encode %6.0f ns/msg  decode %6.0f ns/msg\n", cases[c].name,
               b.len, (t1 - t0) / n, (t2 - t1) / n);
    }
    /* Baseline measured in the same run: json-c alone parsing the result line. */
    double t0 = now_ns();
    for (int i = 0; i < n; i++)
        json_object_put(json_tokener_parse(b.data));
    printf("ipc baseline json_tokener_parse of that line            %6.0f ns/msg\n",
           (now_ns() - t0) / n);
    json_object_put(input);
    json_object_put(output);
    rt_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reader_split_everywhere),
        cmocka_unit_test(test_reader_many_in_one_read),
        cmocka_unit_test(test_reader_over_long),
        cmocka_unit_test(test_reader_eof),
        cmocka_unit_test(test_reader_blocking_fd),
        cmocka_unit_test(test_writer_partial_writes),
        cmocka_unit_test(test_writer_queue_limit),
        cmocka_unit_test(test_writer_epipe),
        cmocka_unit_test(test_write_msg_waits),
        cmocka_unit_test(test_speed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
