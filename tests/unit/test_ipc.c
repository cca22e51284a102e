/* tests/unit/test_ipc.c - the worker protocol: messages, JSON values, line reader, writer. */
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

/* ---- helpers ------------------------------------------------------------------------------- */

static struct json_object *parse(const char *text)
{
    struct json_object *v = NULL;
    rt_error err = {{0}};
    if (rt_ipc_parse_json(text, strlen(text), &v, &err) != RATCHET_OK)
        fail_msg("cannot parse %s: %s", text, err.msg);
    return v;
}

/* A value given as verbatim JSON text. */
static rt_ipc_json json_text(const char *text)
{
    rt_ipc_json v = {NULL, text, strlen(text)};
    return v;
}

static const char *text_of(struct json_object *v)
{
    return json_object_to_json_string_ext(v,
                                          JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
}

/* Encode m into b (emptied first); the result must be exactly one '\n'-terminated line. */
static const char *encode(const rt_ipc_msg *m, ratchet_buf *b)
{
    rt_error err = {{0}};
    b->len = 0;
    if (rt_ipc_encode(m, b, &err) != RATCHET_OK)
        fail_msg("encode failed: %s", err.msg);
    assert_true(b->len > 1);
    assert_int_equal(b->data[b->len - 1], '\n');
    assert_ptr_equal(memchr(b->data, '\n', b->len), b->data + b->len - 1);
    return b->data;
}

/* Encode m, decode the line into out. */
static void round_trip(const rt_ipc_msg *m, ratchet_buf *b, rt_ipc_msg *out)
{
    rt_error err = {{0}};
    encode(m, b);
    if (rt_ipc_decode(b->data, b->len - 1, out, &err) != RATCHET_OK)
        fail_msg("decode failed: %s\nline: %s", err.msg, b->data);
    assert_int_equal(out->type, m->type);
    assert_int_equal(out->id, m->id);
    assert_int_equal(out->id_null, m->id_null);
    assert_non_null(out->root);
}

/* A decoded value equals the JSON text `want`, both as a tree and as text. */
static void assert_value(const rt_ipc_json *got, const char *want)
{
    assert_null(got->text);
    if (!strcmp(want, "null")) {
        assert_null(got->obj);
        return;
    }
    struct json_object *w = parse(want);
    assert_true(json_object_equal(got->obj, w));
    assert_string_equal(text_of(got->obj), text_of(w));
    json_object_put(w);
}

static void assert_contains(const char *haystack, const char *needle)
{
    if (!strstr(haystack, needle))
        fail_msg("\"%s\" does not contain \"%s\"", haystack, needle);
}

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

/* ---- messages ------------------------------------------------------------------------------ */

static void test_wire_format(void **state)
{
    (void)state;
    ratchet_buf b = RATCHET_BUF_INIT;
    rt_ipc_msg m = {0};
    m.type = RT_IPC_PING;
    m.id = 7;
    assert_string_equal(encode(&m, &b), "{\"protocol_version\":1,\"type\":\"ping\",\"id\":7}\n");

    struct json_object *out = parse("{\"sum\":3}");
    memset(&m, 0, sizeof m);
    m.type = RT_IPC_RESULT;
    m.id = 9;
    m.result.job_id = 42;
    m.result.outcome = RATCHET_EXEC_OK;
    m.result.output.obj = out;
    m.result.duration_ms = 0.4125;
    assert_string_equal(encode(&m, &b),
                        "{\"protocol_version\":1,\"type\":\"result\",\"id\":9,\"job_id\":42,"
                        "\"outcome\":\"ok\",\"output\":{\"sum\":3},\"logs\":[],\"http\":[],"
                        "\"duration_ms\":0.412}\n");
    json_object_put(out);

    memset(&m, 0, sizeof m);
    m.type = RT_IPC_ERROR;
    m.id_null = 1;
    m.error.message = "bad \"x\"\nsecond line";
    assert_string_equal(encode(&m, &b), "{\"protocol_version\":1,\"type\":\"error\",\"id\":null,"
                                        "\"message\":\"bad \\\"x\\\"\\nsecond line\"}\n");
    rt_buf_free(&b);
}

static void test_round_trip_coordinator_messages(void **state)
{
    (void)state;
    ratchet_buf b = RATCHET_BUF_INIT;
    rt_ipc_msg m = {0}, d;

    m.type = RT_IPC_PING;
    m.id = INT64_MAX;
    round_trip(&m, &b, &d);
    rt_ipc_msg_free(&d);

    memset(&m, 0, sizeof m);
    m.type = RT_IPC_EXECUTE;
    m.id = 9;
    m.execute.job_id = 42;
    m.execute.execution_id = "e-17";
    m.execute.task = (rt_ipc_task_ref){"addition", "1.0.0", "bd6c6f98-4896-44cc-8c82-30328c3aefda",
                                       "/srv/tasks/addition", NULL};
    m.execute.input.obj = parse("{\"num1\":1,\"num2\":2}");
    m.execute.timeout_ms = 30000;
    m.execute.memory_bytes = (int64_t)64 << 20;
    round_trip(&m, &b, &d);
    assert_int_equal(d.execute.job_id, 42);
    assert_string_equal(d.execute.execution_id, "e-17");
    assert_string_equal(d.execute.task.name, "addition");
    assert_string_equal(d.execute.task.version, "1.0.0");
    assert_string_equal(d.execute.task.uuid, "bd6c6f98-4896-44cc-8c82-30328c3aefda");
    assert_string_equal(d.execute.task.dir, "/srv/tasks/addition");
    assert_null(d.execute.task.code);
    assert_value(&d.execute.input, "{\"num1\":1,\"num2\":2}");
    assert_int_equal(d.execute.timeout_ms, 30000);
    assert_int_equal(d.execute.memory_bytes, (int64_t)64 << 20);
    rt_ipc_msg_free(&d);
    assert_null(d.root);
    rt_ipc_msg_free(&d); /* twice is harmless */
    json_object_put(m.execute.input.obj);

    /* Inline code with quotes and newlines, no dir, no ids, input as verbatim text. */
    const char *code = "(function (input) {\n  return {\"q\": 'it\\'s', t: '\\t'};\n})\n";
    m.execute.execution_id = NULL;
    m.execute.task = (rt_ipc_task_ref){"inline", "0.1.0", NULL, NULL, code};
    m.execute.input = json_text("[1, \"two\", {\"3\": null}]");
    m.execute.job_id = -1;
    m.execute.timeout_ms = 0;
    m.execute.memory_bytes = 0;
    round_trip(&m, &b, &d);
    assert_null(d.execute.execution_id);
    assert_null(d.execute.task.uuid);
    assert_null(d.execute.task.dir);
    assert_string_equal(d.execute.task.code, code);
    assert_value(&d.execute.input, "[1,\"two\",{\"3\":null}]");
    assert_int_equal(d.execute.job_id, -1);
    rt_ipc_msg_free(&d);

    memset(&m, 0, sizeof m);
    m.type = RT_IPC_FETCH_RESULT;
    m.id = 3;
    m.fetch_result.response.obj =
        parse("{\"ok\":true,\"status\":200,\"statusText\":\"OK\",\"headers\":{\"content-type\":"
              "\"application/json\"},\"body\":{\"temp\":15.2}}");
    round_trip(&m, &b, &d);
    assert_int_equal(d.fetch_result.is_error, 0);
    assert_value(&d.fetch_result.response, text_of(m.fetch_result.response.obj));
    rt_ipc_msg_free(&d);
    json_object_put(m.fetch_result.response.obj);

    memset(&m, 0, sizeof m);
    m.type = RT_IPC_FETCH_RESULT;
    m.id = 4;
    m.fetch_result.is_error = 1;
    m.fetch_result.error = (rt_ipc_js_error){"HttpError", "HTTP 404: Not Found", NULL, 404};
    round_trip(&m, &b, &d);
    assert_int_equal(d.fetch_result.is_error, 1);
    assert_string_equal(d.fetch_result.error.name, "HttpError");
    assert_string_equal(d.fetch_result.error.message, "HTTP 404: Not Found");
    assert_null(d.fetch_result.error.stack);
    assert_int_equal(d.fetch_result.error.status, 404);
    rt_ipc_msg_free(&d);

    memset(&m, 0, sizeof m);
    m.type = RT_IPC_SHUTDOWN;
    m.id = 11;
    m.shutdown.grace_ms = 5000;
    round_trip(&m, &b, &d);
    assert_int_equal(d.shutdown.grace_ms, 5000);
    rt_ipc_msg_free(&d);
    rt_buf_free(&b);
}

static void test_round_trip_worker_messages(void **state)
{
    (void)state;
    ratchet_buf b = RATCHET_BUF_INIT;
    rt_ipc_msg m = {0}, d;

    m.type = RT_IPC_READY;
    m.ready.worker_id = "worker-3";
    m.ready.pid = 4242;
    round_trip(&m, &b, &d);
    assert_string_equal(d.ready.worker_id, "worker-3");
    assert_int_equal(d.ready.pid, 4242);
    assert_true(rt_ipc_sent_by_worker(d.type));
    rt_ipc_msg_free(&d);

    memset(&m, 0, sizeof m);
    m.type = RT_IPC_PONG;
    m.id = 7;
    m.pong = (rt_ipc_pong){12, 3456, 20480};
    round_trip(&m, &b, &d);
    assert_int_equal(d.pong.executed, 12);
    assert_int_equal(d.pong.uptime_ms, 3456);
    assert_int_equal(d.pong.rss_kb, 20480);
    rt_ipc_msg_free(&d);

    /* A success: output as verbatim text, logs and http as values. */
    const char *logs = "[{\"level\":\"info\",\"message\":\"hi\\nthere\"},"
                       "{\"level\":\"error\",\"message\":\"\\u00e9\"}]";
    const char *http = "[{\"method\":\"GET\",\"url\":\"http://127.0.0.1:1/x?a=1&b=2\","
                       "\"status\":200,\"duration_ms\":1.5,\"source\":\"mock\"}]";
    memset(&m, 0, sizeof m);
    m.type = RT_IPC_RESULT;
    m.id = 9;
    m.result.job_id = 42;
    m.result.outcome = RATCHET_EXEC_OK;
    m.result.output = json_text("{\"sum\":3}");
    m.result.logs.obj = parse(logs);
    m.result.http.obj = parse(http);
    m.result.duration_ms = 12.25;
    round_trip(&m, &b, &d);
    assert_int_equal(d.result.job_id, 42);
    assert_int_equal(d.result.outcome, RATCHET_EXEC_OK);
    assert_value(&d.result.output, "{\"sum\":3}");
    assert_value(&d.result.logs, logs);
    assert_value(&d.result.http, http);
    assert_true(d.result.duration_ms == 12.25);
    assert_null(d.result.error.message);
    rt_ipc_msg_free(&d);
    json_object_put(m.result.logs.obj);
    json_object_put(m.result.http.obj);

    /* JSON null is a valid output. */
    m.result.output = (rt_ipc_json){0};
    m.result.logs = m.result.http = (rt_ipc_json){0};
    round_trip(&m, &b, &d);
    assert_null(d.result.output.obj);
    assert_value(&d.result.logs, "[]");
    rt_ipc_msg_free(&d);

    /* Every failing outcome carries its error. */
    for (int o = RATCHET_EXEC_COMPILE_ERROR; o <= RATCHET_EXEC_STACK; o++) {
        memset(&m, 0, sizeof m);
        m.type = RT_IPC_RESULT;
        m.id = o;
        m.result.job_id = 1;
        m.result.outcome = (ratchet_exec_outcome)o;
        m.result.error = (rt_ipc_js_error){"TypeError", "x is not a function",
                                           "at main (main.js:3)\nat <eval>", 0};
        m.result.duration_ms = 0.001;
        round_trip(&m, &b, &d);
        assert_int_equal(d.result.outcome, o);
        assert_string_equal(rt_ipc_outcome_name(d.result.outcome),
                            rt_ipc_outcome_name((ratchet_exec_outcome)o));
        assert_null(d.result.output.obj);
        assert_string_equal(d.result.error.name, "TypeError");
        assert_string_equal(d.result.error.message, "x is not a function");
        assert_string_equal(d.result.error.stack, "at main (main.js:3)\nat <eval>");
        assert_int_equal(d.result.error.status, 0);
        rt_ipc_msg_free(&d);
    }

    memset(&m, 0, sizeof m);
    m.type = RT_IPC_FETCH;
    m.id = 5;
    m.fetch.url = "https://api.example.com/v1?q=a b&x=\"y\"";
    m.fetch.options.obj = parse("{\"method\":\"POST\",\"headers\":{\"X-A\":\"b\"}}");
    m.fetch.body = json_text("{\"k\":[1,2]}");
    round_trip(&m, &b, &d);
    assert_string_equal(d.fetch.url, m.fetch.url);
    assert_value(&d.fetch.options, "{\"method\":\"POST\",\"headers\":{\"X-A\":\"b\"}}");
    assert_value(&d.fetch.body, "{\"k\":[1,2]}");
    rt_ipc_msg_free(&d);
    json_object_put(m.fetch.options.obj);
    m.fetch.options = m.fetch.body = (rt_ipc_json){0};
    round_trip(&m, &b, &d);
    assert_null(d.fetch.options.obj);
    assert_null(d.fetch.body.obj);
    assert_false(rt_ipc_sent_by_worker(RT_IPC_EXECUTE));
    rt_ipc_msg_free(&d);

    memset(&m, 0, sizeof m);
    m.type = RT_IPC_ERROR;
    m.id = 5;
    m.error.message = "cannot load task folder /srv/tasks/x: No such file or directory";
    round_trip(&m, &b, &d);
    assert_string_equal(d.error.message, m.error.message);
    rt_ipc_msg_free(&d);
    m.id = 0;
    m.id_null = 1;
    round_trip(&m, &b, &d);
    rt_ipc_msg_free(&d);
    rt_buf_free(&b);
}

/* Values with every awkward property go through execute.input (json-c value), result.output
 * (verbatim text) and fetch.body, and come back identical as text. */
static void test_values_survive(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out; /* out NULL: same as in */
    } cases[] = {
        {"\"quote \\\" backslash \\\\ slash / tab \\t\"", NULL},
        {"\"line1\\nline2\\r\\nline3\\n\"", NULL},
        {"{\"k\\n\":\"v\\nw\",\"n\":null,\"t\":true,\"f\":false,\"e\":{},\"a\":[]}", NULL},
        {"\"caf\u00e9 \u4e2d\u6587 \xf0\x9f\x98\x80\"", NULL},
        {"\"\\ud83d\\ude00 \\u2028 \\u0000 \\u001f\"",
         "\"\xf0\x9f\x98\x80 \xe2\x80\xa8 \\u0000 \\u001f\""},
        {"[100000000000000000000,123456789012345678901234567890,-9223372036854775809]", NULL},
        {"[18446744073709551615,-9223372036854775808,9007199254740993,0]", NULL},
        {"[1e400,1.5e-300,0.1,1.0,-0.0,1E2,3.141592653589793238462643383279]", NULL},
        {"{\"a\":{\"b\":[{\"c\":[[[{\"d\":{\"e\":[1,{\"f\":\"g\"}]}}]]]}]}}", NULL},
        {"{\n  \"pretty\": [1,\n 2],\n  \"x\": \"y\"\n}", "{\"pretty\":[1,2],\"x\":\"y\"}"},
    };
    ratchet_buf b = RATCHET_BUF_INIT;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const char *in = cases[i].in, *want = cases[i].out ? cases[i].out : in;
        rt_ipc_msg m = {0}, d;
        m.type = RT_IPC_EXECUTE;
        m.execute.task = (rt_ipc_task_ref){"t", "1", NULL, "/t", NULL};
        m.execute.input.obj = parse(in);
        round_trip(&m, &b, &d);
        assert_value(&d.execute.input, want);
        rt_ipc_msg_free(&d);
        json_object_put(m.execute.input.obj);

        memset(&m, 0, sizeof m);
        m.type = RT_IPC_RESULT;
        m.result.output = json_text(in);
        round_trip(&m, &b, &d);
        assert_value(&d.result.output, want);
        rt_ipc_msg_free(&d);

        memset(&m, 0, sizeof m);
        m.type = RT_IPC_FETCH;
        m.fetch.url = "u";
        m.fetch.body = json_text(in);
        round_trip(&m, &b, &d);
        assert_value(&d.fetch.body, want);
        rt_ipc_msg_free(&d);
    }

    /* Big integers come back as the doubles JavaScript would see, not clamped to 64 bits. */
    struct json_object *v = parse("[100000000000000000000,-9223372036854775809]");
    assert_true(json_object_get_double(json_object_array_get_idx(v, 0)) == 1e20);
    assert_true(json_object_get_double(json_object_array_get_idx(v, 1)) < -9.2e18);
    json_object_put(v);

    /* Deep nesting within the limit. */
    char deep[2 * 100 + 2];
    memset(deep, '[', 100);
    deep[100] = '1';
    memset(deep + 101, ']', 100);
    deep[201] = '\0';
    rt_ipc_msg m = {0}, d;
    m.type = RT_IPC_FETCH;
    m.fetch.url = "u";
    m.fetch.body = json_text(deep);
    round_trip(&m, &b, &d);
    assert_value(&d.fetch.body, deep);
    rt_ipc_msg_free(&d);
    rt_buf_free(&b);
}

/* Decoding `line` fails with a message containing `want`. */
static void assert_decode_fails(const char *line, const char *want)
{
    rt_ipc_msg d;
    rt_error err = {{0}};
    if (rt_ipc_decode(line, strlen(line), &d, &err) != RATCHET_ERR)
        fail_msg("decoded: %s", line);
    assert_null(d.root);
    assert_contains(err.msg, want);
}

#define ENV       "{\"protocol_version\":1,"
#define EXEC_TASK "\"task\":{\"name\":\"t\",\"version\":\"1\",\"dir\":\"/t\"}"
#define EXEC_REST "\"input\":{},\"timeout_ms\":0,\"memory_bytes\":0"

static void test_decode_errors(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"", "malformed message: empty line"},
        {"not json", "malformed message: \"not\" is not JSON at byte offset 0"},
        {ENV "\"type\":\"ping\",\"id\":1", "malformed message: the JSON text ends early"},
        {ENV "\"type\":\"ping\",\"id\":1}}", "malformed message"},
        {ENV "\"type\":\"ping\",\"id\":1,}", "malformed message"},
        {ENV "\"type\":'ping',\"id\":1}", "malformed message"},
        {"[1,2]", "malformed message: expected a JSON object, not an array"},
        {ENV "\"type\":\"ping\",\"id\":1,\"x\":\"\xff\"}", "malformed message: invalid utf-8"},
        {ENV "\"type\":\"ping\",\"id\":1,\"x\":NaN}", "\"NaN\" is not JSON at byte offset"},
        {ENV "\"type\":\"ping\",\"id\":1,\"x\":-Infinity}", "\"Infinity\" is not JSON"},
        {"{\"protocol_version\":2,\"type\":\"ping\",\"id\":1}",
         "protocol version mismatch: the peer speaks protocol_version 2, this ratchet speaks "
         "protocol_version 1"},
        {"{\"type\":\"ping\",\"id\":1}", "invalid message: missing field \"protocol_version\""},
        {"{\"protocol_version\":\"1\",\"type\":\"ping\",\"id\":1}",
         "field \"protocol_version\" must be an integer, not a string"},
        {ENV "\"id\":1}", "invalid message: missing field \"type\""},
        {ENV "\"type\":7,\"id\":1}", "field \"type\" must be a string, not an integer"},
        {ENV "\"type\":\"launch\",\"id\":4}", "unknown message type \"launch\""},
        {ENV "\"type\":\"ping\"}", "invalid ping message: missing field \"id\""},
        {ENV "\"type\":\"ping\",\"id\":\"7\"}", "field \"id\" must be an integer, not a string"},
        {ENV "\"type\":\"ping\",\"id\":null}", "field \"id\" must be an integer, not null"},
        {ENV "\"type\":\"ping\",\"id\":1.5}", "field \"id\" must be an integer, not a number"},
        {ENV "\"type\":\"ping\",\"id\":18446744073709551615}",
         "field \"id\" must be a 64-bit signed integer"},
        {ENV "\"type\":\"execute\",\"id\":1,\"job_id\":\"42\"," EXEC_TASK "," EXEC_REST "}",
         "invalid execute message: field \"job_id\" must be an integer, not a string"},
        {ENV "\"type\":\"execute\",\"id\":1,\"job_id\":1,\"task\":{\"name\":5,\"version\":\"1\","
             "\"dir\":\"/t\"}," EXEC_REST "}",
         "field \"task.name\" must be a string, not an integer"},
        {ENV "\"type\":\"execute\",\"id\":1,\"job_id\":1,\"task\":[]," EXEC_REST "}",
         "field \"task\" must be an object, not an array"},
        {ENV "\"type\":\"execute\",\"id\":1,\"job_id\":1,\"task\":{\"name\":\"t\",\"version\":"
             "\"1\"}," EXEC_REST "}",
         "field \"task.dir\" or \"task.code\" is required"},
        {ENV "\"type\":\"execute\",\"id\":1,\"job_id\":1," EXEC_TASK ",\"timeout_ms\":0,"
             "\"memory_bytes\":0}",
         "invalid execute message: missing field \"input\""},
        {ENV "\"type\":\"execute\",\"id\":1,\"job_id\":1," EXEC_TASK ",\"input\":1,"
             "\"timeout_ms\":-1,\"memory_bytes\":0}",
         "field \"timeout_ms\" must be zero or more"},
        {ENV "\"type\":\"execute\",\"id\":1,\"job_id\":1," EXEC_TASK
             ",\"execution_id\":3," EXEC_REST "}",
         "field \"execution_id\" must be a string or null, not an integer"},
        {ENV "\"type\":\"result\",\"id\":1,\"job_id\":1,\"outcome\":\"weird\",\"logs\":[],"
             "\"http\":[],\"duration_ms\":1}",
         "field \"outcome\" must be ok, compile_error, no_entry, runtime_error"},
        {ENV "\"type\":\"result\",\"id\":1,\"job_id\":1,\"outcome\":\"ok\",\"logs\":[],"
             "\"http\":[],\"duration_ms\":1}",
         "invalid result message: missing field \"output\""},
        {ENV "\"type\":\"result\",\"id\":1,\"job_id\":1,\"outcome\":\"timeout\",\"logs\":[],"
             "\"http\":[],\"duration_ms\":1}",
         "invalid result message: missing field \"error\""},
        {ENV "\"type\":\"result\",\"id\":1,\"job_id\":1,\"outcome\":\"timeout\",\"error\":{},"
             "\"logs\":[],\"http\":[],\"duration_ms\":1}",
         "missing field \"error.message\""},
        {ENV "\"type\":\"result\",\"id\":1,\"job_id\":1,\"outcome\":\"ok\",\"output\":1,"
             "\"logs\":[{\"level\":\"info\",\"message\":\"a\"},{\"level\":3,\"message\":\"b\"}],"
             "\"http\":[],\"duration_ms\":1}",
         "field \"logs[1].level\" must be a string, not an integer"},
        {ENV "\"type\":\"result\",\"id\":1,\"job_id\":1,\"outcome\":\"ok\",\"output\":1,"
             "\"logs\":[{\"level\":\"loud\",\"message\":\"a\"}],\"http\":[],\"duration_ms\":1}",
         "field \"logs[0].level\" must be trace, debug, info, warn or error"},
        {ENV "\"type\":\"result\",\"id\":1,\"job_id\":1,\"outcome\":\"ok\",\"output\":1,"
             "\"logs\":[\"x\"],\"http\":[],\"duration_ms\":1}",
         "field \"logs[0]\" must be an object, not a string"},
        {ENV "\"type\":\"result\",\"id\":1,\"job_id\":1,\"outcome\":\"ok\",\"output\":1,"
             "\"logs\":[],\"http\":[{\"method\":\"GET\",\"url\":\"u\",\"status\":\"200\","
             "\"duration_ms\":1}],\"duration_ms\":1}",
         "field \"http[0].status\" must be an integer, not a string"},
        {ENV "\"type\":\"result\",\"id\":1,\"job_id\":1,\"outcome\":\"ok\",\"output\":1,"
             "\"logs\":{},\"http\":[],\"duration_ms\":1}",
         "field \"logs\" must be an array, not an object"},
        {ENV "\"type\":\"result\",\"id\":1,\"job_id\":1,\"outcome\":\"ok\",\"output\":1,"
             "\"logs\":[],\"http\":[],\"duration_ms\":\"1\"}",
         "field \"duration_ms\" must be a number, not a string"},
        {ENV "\"type\":\"pong\",\"id\":1,\"stats\":{\"executed\":1,\"uptime_ms\":2,"
             "\"rss_kb\":1.5}}",
         "invalid pong message: field \"stats.rss_kb\" must be an integer, not a number"},
        {ENV "\"type\":\"ready\",\"id\":0,\"pid\":1}", "invalid ready message: missing field "
                                                       "\"worker_id\""},
        {ENV "\"type\":\"fetch\",\"id\":1,\"url\":\"u\",\"options\":null}",
         "invalid fetch message: missing field \"body\""},
        {ENV "\"type\":\"fetch_result\",\"id\":1,\"error\":{\"message\":\"m\",\"status\":\"x\"}}",
         "field \"error.status\" must be an integer, not a string"},
        {ENV "\"type\":\"fetch_result\",\"id\":1}", "missing field \"response\""},
        {ENV "\"type\":\"shutdown\",\"id\":1,\"grace_ms\":true}",
         "field \"grace_ms\" must be an integer, not a boolean"},
        {ENV "\"type\":\"error\",\"id\":1,\"message\":null}",
         "invalid error message: field \"message\" must be a string, not null"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        assert_decode_fails(cases[i][0], cases[i][1]);

    /* Too deep: the envelope plus 128 arrays. */
    ratchet_buf b = RATCHET_BUF_INIT;
    rt_buf_puts(&b, ENV "\"type\":\"fetch\",\"id\":1,\"url\":\"u\",\"options\":null,\"body\":");
    for (int i = 0; i < RT_IPC_MAX_DEPTH; i++)
        rt_buf_puts(&b, "[");
    for (int i = 0; i < RT_IPC_MAX_DEPTH; i++)
        rt_buf_puts(&b, "]");
    rt_buf_puts(&b, "}");
    assert_decode_fails(b.data, "malformed message: nesting too deep");
    rt_buf_free(&b);

    /* Unknown keys are ignored; trailing whitespace and CR are tolerated. */
    rt_ipc_msg d;
    rt_error err = {{0}};
    const char *ok = ENV "\"type\":\"ping\",\"id\":1,\"future\":{\"x\":[1]}} \r";
    assert_int_equal(rt_ipc_decode(ok, strlen(ok), &d, &err), RATCHET_OK);
    rt_ipc_msg_free(&d);
}

/* A refused message is answered with an `error` carrying its id when it had one. */
static void test_error_reply(void **state)
{
    (void)state;
    ratchet_buf b = RATCHET_BUF_INIT;
    rt_ipc_msg bad, reply, d;
    rt_error err = {{0}};
    const char *line = ENV "\"type\":\"launch\",\"id\":4}";
    assert_int_equal(rt_ipc_decode(line, strlen(line), &bad, &err), RATCHET_ERR);
    assert_int_equal(bad.type, RT_IPC_UNKNOWN);
    assert_int_equal(bad.id, 4);
    assert_int_equal(bad.id_null, 0);
    rt_ipc_error_reply(&reply, &bad, err.msg);
    assert_string_equal(encode(&reply, &b),
                        "{\"protocol_version\":1,\"type\":\"error\",\"id\":4,"
                        "\"message\":\"unknown message type \\\"launch\\\"\"}\n");
    round_trip(&reply, &b, &d);
    assert_string_equal(d.error.message, "unknown message type \"launch\"");
    rt_ipc_msg_free(&d);

    /* A bad field in a known type: type and id are known. */
    line = ENV "\"type\":\"execute\",\"id\":12,\"job_id\":\"x\"}";
    assert_int_equal(rt_ipc_decode(line, strlen(line), &bad, &err), RATCHET_ERR);
    assert_int_equal(bad.type, RT_IPC_EXECUTE);
    assert_int_equal(bad.id, 12);

    /* Wrong version: the id is still read, so the peer learns which request failed. */
    line = "{\"protocol_version\":3,\"type\":\"ping\",\"id\":8}";
    assert_int_equal(rt_ipc_decode(line, strlen(line), &bad, &err), RATCHET_ERR);
    assert_int_equal(bad.id, 8);
    assert_int_equal(bad.id_null, 0);

    /* Not JSON: no id, so "id":null. */
    line = "{\"id\":5,";
    assert_int_equal(rt_ipc_decode(line, strlen(line), &bad, &err), RATCHET_ERR);
    assert_int_equal(bad.id_null, 1);
    rt_ipc_error_reply(&reply, &bad, err.msg);
    assert_contains(encode(&reply, &b), "\"type\":\"error\",\"id\":null,\"message\":\"malformed");
    rt_ipc_error_reply(&reply, NULL, "x");
    assert_int_equal(reply.id_null, 1);
    rt_buf_free(&b);
}

static void assert_encode_fails(const rt_ipc_msg *m, const char *want)
{
    ratchet_buf b = RATCHET_BUF_INIT;
    rt_error err = {{0}};
    rt_buf_puts(&b, "kept");
    assert_int_equal(rt_ipc_encode(m, &b, &err), RATCHET_ERR);
    assert_string_equal(b.data, "kept"); /* left as it was */
    assert_contains(err.msg, want);
    rt_buf_free(&b);
}

static void test_encode_errors(void **state)
{
    (void)state;
    rt_ipc_msg m = {0};
    m.type = RT_IPC_EXECUTE;
    m.execute.task.version = "1";
    m.execute.task.dir = "/t";
    assert_encode_fails(&m, "cannot encode execute message: field \"task.name\" is required");
    m.execute.task.name = "t";
    m.execute.task.dir = NULL;
    assert_encode_fails(&m, "field \"task.dir\" or \"task.code\" is required");
    m.execute.task.dir = "/t";
    m.execute.timeout_ms = -5;
    assert_encode_fails(&m, "field \"timeout_ms\" must not be negative");
    m.execute.timeout_ms = 0;
    m.execute.input = json_text("");
    assert_encode_fails(&m, "field \"input\" is required");

    memset(&m, 0, sizeof m);
    m.type = RT_IPC_RESULT;
    m.result.outcome = RATCHET_EXEC_RUNTIME_ERROR;
    assert_encode_fails(&m, "cannot encode result message: field \"error.message\" is required");
    m.result.outcome = (ratchet_exec_outcome)42;
    assert_encode_fails(&m, "outcome 42 is not one of");

    memset(&m, 0, sizeof m);
    m.type = RT_IPC_PING;
    m.id_null = 1;
    assert_encode_fails(&m, "only an error may have a null id");
    m.type = (rt_ipc_type)99;
    assert_encode_fails(&m, "unknown type 99");
    memset(&m, 0, sizeof m);
    m.type = RT_IPC_FETCH;
    assert_encode_fails(&m, "field \"url\" is required");
    m.type = RT_IPC_ERROR;
    assert_encode_fails(&m, "field \"message\" is required");
    m.type = RT_IPC_READY;
    assert_encode_fails(&m, "field \"worker_id\" is required");
    m.type = RT_IPC_SHUTDOWN;
    m.shutdown.grace_ms = -1;
    assert_encode_fails(&m, "field \"grace_ms\" must not be negative");
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
    m.execute.task = (rt_ipc_task_ref){"addition", "1.0.0", NULL, "/srv/tasks/addition", NULL};
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
    m->execute.task = (rt_ipc_task_ref){"t", "1", NULL, "/t", NULL};
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
                                        "/srv/ratchet/tasks/addition", NULL};
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
        cmocka_unit_test(test_wire_format),
        cmocka_unit_test(test_round_trip_coordinator_messages),
        cmocka_unit_test(test_round_trip_worker_messages),
        cmocka_unit_test(test_values_survive),
        cmocka_unit_test(test_decode_errors),
        cmocka_unit_test(test_error_reply),
        cmocka_unit_test(test_encode_errors),
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
