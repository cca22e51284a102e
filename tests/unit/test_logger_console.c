/*
 * test_logger_console.c - the logger-console plugin's line format, checked by pointing
 * stderr at a file (or a pseudo-terminal, for colour detection) around each log() call; and
 * its writer thread (console_out.c): lines in order, a warning written at once after what
 * waited, whole lines from threads logging at once.
 */
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700 /* posix_openpt, grantpt, unlockpt, ptsname */
#endif

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sys/wait.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hostapi.h"
#include "options.h"
#include "plugin_harness.h"
#include "rt_yaml.h"

#include <ratchet/plugin.h>

const ratchet_plugin_desc *ratchet_plugin_entry_logger_console(const ratchet_host_api *api);

typedef harness_logger inst;

/* Create and start an instance from options written as YAML ("" for all defaults). Colour
 * detection happens in start(), so stderr must already point where the test wants. */
static void inst_open(inst *in, const char *yaml)
{
    harness_logger_create(in, ratchet_plugin_entry_logger_console(rt_host_api()), "console", yaml);
    assert_int_equal(in->desc->logger->life.start(in->self), RATCHET_OK);
}

static void inst_done(inst *in)
{
    harness_logger_done(in, 1);
}

static void emit(inst *in, ratchet_log_level level, const char *source, const char *plugin,
                 const char *msg, const ratchet_log_field *fields, size_t nfields)
{
    ratchet_log_event ev = harness_event(level, source, plugin, msg, fields, nfields);
    in->desc->logger->log(in->self, &ev);
}

/* stderr into a temporary file for the duration of one test. */
typedef struct capture {
    int saved;
    FILE *file;
} capture;

static void capture_begin(capture *c)
{
    fflush(stderr);
    c->file = tmpfile();
    assert_non_null(c->file);
    c->saved = dup(STDERR_FILENO);
    assert_true(c->saved >= 0);
    assert_true(dup2(fileno(c->file), STDERR_FILENO) >= 0);
}

/* Restore stderr and return everything written to it (caller frees). */
static char *capture_end(capture *c)
{
    fflush(stderr);
    dup2(c->saved, STDERR_FILENO);
    close(c->saved);
    long n = ftell(c->file);
    char *text = calloc(1, (size_t)n + 1);
    assert_non_null(text);
    rewind(c->file);
    assert_int_equal(fread(text, 1, (size_t)n, c->file), (size_t)n);
    fclose(c->file);
    return text;
}

/* Log with `yaml` options and return what reached stderr. */
static char *run(const char *yaml, ratchet_log_level level, const char *source, const char *plugin,
                 const char *msg, const ratchet_log_field *fields, size_t nfields)
{
    capture c;
    inst in = {0};
    capture_begin(&c);
    inst_open(&in, yaml);
    emit(&in, level, source, plugin, msg, fields, nfields);
    in.desc->logger->flush(in.self);
    inst_done(&in);
    return capture_end(&c);
}

static void expect_line(const char *yaml, ratchet_log_level level, const char *source,
                        const char *plugin, const char *msg, const ratchet_log_field *fields,
                        size_t nfields, const char *want)
{
    char *got = run(yaml, level, source, plugin, msg, fields, nfields);
    assert_string_equal(got, want);
    free(got);
}

static void test_line_format(void **state)
{
    (void)state;
    ratchet_log_field fields[] = {{"key", "value"}, {"key2", "value with spaces"}};
    expect_line("color: never", RATCHET_LOG_INFO, "host", NULL, "message", fields, 2,
                "2026-11-26T06:40:45.123Z INFO  [host] message key=value "
                "key2=\"value with spaces\"\n");
    expect_line("color: never", RATCHET_LOG_ERROR, "web", "http", "failed", NULL, 0,
                "2026-11-26T06:40:45.123Z ERROR [web(http)] failed\n");
    /* The plugin name is not repeated when the instance is named after it. */
    expect_line("color: never", RATCHET_LOG_WARN, "http", "http", "slow", NULL, 0,
                "2026-11-26T06:40:45.123Z WARN  [http] slow\n");
    expect_line("color: never\ntimestamps: false", RATCHET_LOG_DEBUG, "host", NULL, "m", NULL, 0,
                "");
    expect_line("color: never\ntimestamps: false\nlevel: trace", RATCHET_LOG_TRACE, "host", NULL,
                "m", NULL, 0, "TRACE [host] m\n");
}

/* An event logged for a job ends with its context; a filter keeps only what it matches. */
static void test_context_and_filter(void **state)
{
    (void)state;
    capture c;
    inst in = {0};
    capture_begin(&c);
    inst_open(&in, "color: never\ntimestamps: false\nfilter: \"source!=noise\"");
    ratchet_log_event ev = harness_event(RATCHET_LOG_INFO, "task", NULL, "hi", NULL, 0);
    ev.task_name = "addition";
    ev.job_id = 12;
    ev.execution_id = 34;
    ev.trace_id = "4bf92f3577b34da6a3ce929d0e0e4736";
    ev.span_id = "";
    in.desc->logger->log(in.self, &ev);
    ev.task_name = "";
    ev.trace_id = "";
    ev.execution_id = 0;
    in.desc->logger->log(in.self, &ev); /* only a job id */
    emit(&in, RATCHET_LOG_ERROR, "noise", NULL, "filtered out", NULL, 0);
    inst_done(&in);
    char *got = capture_end(&c);
    assert_string_equal(got, "INFO  [task] hi {task=addition job=12 exec=34 trace=4bf92f35}\n"
                             "INFO  [task] hi {job=12}\n");
    free(got);
}

static void test_escaping(void **state)
{
    (void)state;
    ratchet_log_field fields[] = {
        {"empty", ""}, {"q", "say \"hi\"\\"}, {"eq", "a=b"}, {"nl", "x\ny"}};
    /* Control characters never reach the terminal raw: one event, one line, no repainting. */
    expect_line("color: never\ntimestamps: false", RATCHET_LOG_INFO, "host", NULL,
                "two\nlines \033[31mred\033[0m\ttab", fields, 4,
                "INFO  [host] two\\nlines \\x1b[31mred\\x1b[0m\ttab empty=\"\" "
                "q=\"say \\\"hi\\\"\\\\\" eq=\"a=b\" nl=\"x\\ny\"\n");
}

static void test_level_filter(void **state)
{
    (void)state;
    expect_line("level: warn\ncolor: never", RATCHET_LOG_INFO, "host", NULL, "quiet", NULL, 0, "");
    expect_line("level: warn\ncolor: never\ntimestamps: false", RATCHET_LOG_WARN, "host", NULL,
                "loud", NULL, 0, "WARN  [host] loud\n");
}

static void test_color(void **state)
{
    (void)state;
    /* A file is not a terminal: auto means no colour. */
    char *got = run("", RATCHET_LOG_INFO, "host", NULL, "plain", NULL, 0);
    assert_null(strchr(got, '\033'));
    free(got);
    expect_line("color: always\ntimestamps: false", RATCHET_LOG_INFO, "host", NULL, "m", NULL, 0,
                "\033[32mINFO\033[0m  [host] m\n");
    expect_line("color: always\ntimestamps: false", RATCHET_LOG_ERROR, "host", NULL, "m", NULL, 0,
                "\033[31mERROR\033[0m [host] m\n");
    expect_line("color: always\ntimestamps: false", RATCHET_LOG_WARN, "host", NULL, "m", NULL, 0,
                "\033[33mWARN\033[0m  [host] m\n");
    expect_line("color: always\ntimestamps: false", RATCHET_LOG_DEBUG, "host", NULL, "m", NULL, 0,
                "");
    expect_line("color: always\ntimestamps: false\nlevel: debug", RATCHET_LOG_DEBUG, "host", NULL,
                "m", NULL, 0, "\033[2mDEBUG\033[0m [host] m\n");
}

/* With stderr on a pseudo-terminal, auto colours unless NO_COLOR is set. Returns what the
 * terminal received, or NULL when this system offers no pseudo-terminals. */
static char *run_on_pty(void)
{
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0) {
        if (master >= 0)
            close(master);
        return NULL;
    }
    int slave = open(ptsname(master), O_RDWR | O_NOCTTY);
    assert_true(slave >= 0);
    fflush(stderr);
    int saved = dup(STDERR_FILENO);
    dup2(slave, STDERR_FILENO);
    inst in = {0};
    inst_open(&in, "timestamps: false");
    emit(&in, RATCHET_LOG_INFO, "host", NULL, "m", NULL, 0);
    inst_done(&in);
    dup2(saved, STDERR_FILENO);
    close(saved);

    char *text = calloc(1, 256);
    struct pollfd pfd = {master, POLLIN, 0};
    assert_non_null(text);
    /* The line is already in the terminal's buffer; the deadline only guards a broken pty. */
    if (poll(&pfd, 1, 5000) == 1) {
        ssize_t n = read(master, text, 255);
        assert_true(n > 0);
    }
    close(slave);
    close(master);
    return text;
}

static void test_color_auto_on_terminal(void **state)
{
    (void)state;
    unsetenv("NO_COLOR");
    char *got = run_on_pty();
    if (!got)
        skip();
    assert_non_null(strstr(got, "\033[32mINFO\033[0m  [host] m"));
    free(got);

    setenv("NO_COLOR", "1", 1);
    got = run_on_pty();
    unsetenv("NO_COLOR");
    assert_non_null(got);
    assert_non_null(strstr(got, "INFO  [host] m"));
    assert_null(strchr(got, '\033'));
    free(got);
}

/* What the captured stderr holds so far (caller frees). */
static char *captured_so_far(const capture *c)
{
    int fd = fileno(c->file);
    off_t n = lseek(fd, 0, SEEK_END);
    char *text = calloc(1, (size_t)n + 1);
    assert_non_null(text);
    assert_int_equal(pread(fd, text, (size_t)n, 0), n);
    return text;
}

/* Info lines may wait for the writer; a warning is written before log() returns, after the
 * lines logged before it; flush() and stop() write the rest, in order. */
static void test_order_and_warnings_at_once(void **state)
{
    (void)state;
    capture c;
    inst in = {0};
    capture_begin(&c);
    inst_open(&in, "color: never\ntimestamps: false");
    emit(&in, RATCHET_LOG_INFO, "host", NULL, "one", NULL, 0);
    emit(&in, RATCHET_LOG_INFO, "host", NULL, "two", NULL, 0);
    emit(&in, RATCHET_LOG_WARN, "host", NULL, "three", NULL, 0);
    char *now = captured_so_far(&c);
    assert_string_equal(now, "INFO  [host] one\nINFO  [host] two\nWARN  [host] three\n");
    free(now);
    emit(&in, RATCHET_LOG_INFO, "host", NULL, "four", NULL, 0);
    in.desc->logger->flush(in.self);
    now = captured_so_far(&c);
    assert_string_equal(now, "INFO  [host] one\nINFO  [host] two\nWARN  [host] three\n"
                             "INFO  [host] four\n");
    free(now);
    emit(&in, RATCHET_LOG_INFO, "host", NULL, "five", NULL, 0);
    /* A forked child has no writer: its line is written before it exits. */
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        emit(&in, RATCHET_LOG_INFO, "child", NULL, "six", NULL, 0);
        _exit(0);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    inst_done(&in); /* stop() writes what waits */
    char *got = capture_end(&c);
    assert_non_null(strstr(got, "four\n"));
    assert_non_null(strstr(got, "INFO  [host] five\n"));
    assert_non_null(strstr(got, "INFO  [child] six\n"));
    free(got);
}

typedef struct logging_thread {
    inst *in;
    const char *source;
} logging_thread;

static void *log_many(void *arg)
{
    const logging_thread *t = arg;
    char msg[32];
    for (int i = 0; i < 2000; i++) {
        snprintf(msg, sizeof msg, "line %d", i);
        emit(t->in, RATCHET_LOG_INFO, t->source, NULL, msg, NULL, 0);
    }
    return NULL;
}

/* Two threads logging at once (the logger is concurrent): every line arrives whole, each
 * thread's lines in its order. */
static void test_threads_lines_whole_and_ordered(void **state)
{
    (void)state;
    capture c;
    inst in = {0};
    capture_begin(&c);
    inst_open(&in, "color: never\ntimestamps: false");
    logging_thread a = {&in, "a"}, b = {&in, "b"};
    pthread_t ta, tb;
    assert_int_equal(pthread_create(&ta, NULL, log_many, &a), 0);
    assert_int_equal(pthread_create(&tb, NULL, log_many, &b), 0);
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    inst_done(&in);
    char *got = capture_end(&c);
    int next[2] = {0, 0}, lines = 0;
    for (char *line = strtok(got, "\n"); line; line = strtok(NULL, "\n"), lines++) {
        char src = 0;
        int n = -1;
        if (sscanf(line, "INFO  [%c] line %d", &src, &n) != 2 || (src != 'a' && src != 'b'))
            fail_msg("a line not whole: '%s'", line);
        if (n != next[src - 'a'])
            fail_msg("thread %c: line %d after %d", src, n, next[src - 'a'] - 1);
        next[src - 'a']++;
    }
    assert_int_equal(lines, 4000);
    free(got);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_line_format),
        cmocka_unit_test(test_context_and_filter),
        cmocka_unit_test(test_escaping),
        cmocka_unit_test(test_level_filter),
        cmocka_unit_test(test_color),
        cmocka_unit_test(test_color_auto_on_terminal),
        cmocka_unit_test(test_order_and_warnings_at_once),
        cmocka_unit_test(test_threads_lines_whole_and_ordered),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
