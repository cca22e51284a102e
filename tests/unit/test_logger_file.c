/*
 * test_logger_file.c - the logger-file plugin against the real host core: options validated
 * from YAML by the host, lines checked with json-c, rotation checked on disk.
 */
#define _POSIX_C_SOURCE 200809L

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>
#include <time.h>
#ifdef RATCHET_HAVE_ZLIB
#include <zlib.h>
#endif

#include "hostapi.h"
#include "options.h"
#include "plugin_harness.h"
#include "rt_yaml.h"

#include <ratchet/plugin.h>

const ratchet_plugin_desc *ratchet_plugin_entry_logger_file(const ratchet_host_api *api);

typedef harness_logger inst;

/* A fresh directory per test, under $RATCHET_TEST_TMP when ctest provides it. */
static int dir_setup(void **state)
{
    const char *base = getenv("RATCHET_TEST_TMP");
    char *dir = malloc(4096);
    if (!dir)
        return -1;
    snprintf(dir, 4096, "%s/logger_file.XXXXXX", base && *base ? base : "/tmp");
    if (!mkdtemp(dir)) {
        free(dir);
        return -1;
    }
    *state = dir;
    return 0;
}

static int dir_teardown(void **state)
{
    char *dir = *state;
    DIR *d = opendir(dir);
    struct dirent *e;
    char p[8192];
    while (d && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        if (unlink(p) != 0)
            rmdir(p);
    }
    if (d)
        closedir(d);
    rmdir(dir);
    free(dir);
    return 0;
}

static char *path_in(const char *dir, const char *name)
{
    char *p = malloc(strlen(dir) + strlen(name) + 2);
    assert_non_null(p);
    sprintf(p, "%s/%s", dir, name);
    return p;
}

static ratchet_config *inst_config(inst *in, const char *yaml, rt_error *err)
{
    in->desc = ratchet_plugin_entry_logger_file(rt_host_api());
    assert_non_null(in->desc);
    in->cfg = harness_options(in->desc, yaml, &in->map, err);
    return in->cfg;
}

/* Create (not start) an instance from options written as YAML. */
static void inst_create(inst *in, const char *fmt, ...) RATCHET_PRINTF(2, 3);
static void inst_create(inst *in, const char *fmt, ...)
{
    char yaml[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(yaml, sizeof yaml, fmt, ap);
    va_end(ap);
    harness_logger_create(in, ratchet_plugin_entry_logger_file(rt_host_api()), "file", yaml);
}

static void inst_start(inst *in)
{
    rt_error_clear();
    ratchet_status st = in->desc->logger->life.start(in->self);
    if (st != RATCHET_OK)
        fail_msg("start: %s", rt_error_peek());
}

static void inst_done(inst *in, int started)
{
    harness_logger_done(in, started);
}

static void emit_full(inst *in, ratchet_log_level level, const char *source, const char *plugin,
                      const char *msg, const ratchet_log_field *fields, size_t nfields)
{
    ratchet_log_event ev = harness_event(level, source, plugin, msg, fields, nfields);
    in->desc->logger->log(in->self, &ev);
}

/* An info line from the host whose message is "line NNNN" padded to about 150 bytes of JSON. */
static void emit_seq(inst *in, int seq)
{
    char msg[128];
    snprintf(msg, sizeof msg, "line %04d %s", seq, "padding-padding-padding-padding-padding");
    emit_full(in, RATCHET_LOG_INFO, "host", NULL, msg, NULL, 0);
}

/* The file's contents (NUL-terminated) or NULL when it does not exist. */
static char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
    buf[n] = '\0';
    fclose(fp);
    if (len)
        *len = (size_t)n;
    return buf;
}

static void spit(const char *path, const char *data, size_t len)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(data, 1, len, fp), len);
    fclose(fp);
}

/* Parse one line as exactly one JSON object (nothing before or after it). */
static json_object *parse_line(const char *line, size_t len)
{
    json_tokener *tok = json_tokener_new();
    json_object *obj = json_tokener_parse_ex(tok, line, (int)len);
    if (!obj || json_tokener_get_parse_end(tok) != len)
        fail_msg("not one JSON value: %.*s", (int)len, line);
    json_tokener_free(tok);
    assert_true(json_object_is_type(obj, json_type_object));
    return obj;
}

static const char *get_str(json_object *obj, const char *key)
{
    json_object *v = NULL;
    if (!json_object_object_get_ex(obj, key, &v) || !json_object_is_type(v, json_type_string))
        fail_msg("\"%s\" is not a string in %s", key, json_object_to_json_string(obj));
    return json_object_get_string(v);
}

/*
 * Check every line of `path` and return the sequence numbers of emit_seq() lines in order
 * (-1 for other lines) in seqs[]; returns the number of lines. Fails on a partial last line.
 */
static int check_lines(const char *path, int *seqs, int max)
{
    size_t len = 0;
    char *text = slurp(path, &len);
    int n = 0;
    if (!text)
        fail_msg("%s does not exist", path);
    if (len > 0 && text[len - 1] != '\n')
        fail_msg("%s ends in the middle of a line", path);
    for (char *p = text; *p; n++) {
        char *nl = strchr(p, '\n');
        json_object *obj = parse_line(p, (size_t)(nl - p));
        const char *msg = get_str(obj, "message");
        assert_true(n < max);
        seqs[n] = strncmp(msg, "line ", 5) == 0 ? atoi(msg + 5) : -1;
        json_object_put(obj);
        p = nl + 1;
    }
    free(text);
    return n;
}

static int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;
    assert_non_null(d);
    while ((e = readdir(d)) != NULL)
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return n;
}

static int64_t file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (int64_t)st.st_size : -1;
}

/* Redirect stderr (where the host puts a logger's own error reports) into a file. */
static int capture_begin(const char *path)
{
    fflush(stderr);
    int saved = dup(STDERR_FILENO);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(saved >= 0 && fd >= 0);
    dup2(fd, STDERR_FILENO);
    close(fd);
    return saved;
}

static void capture_end(int saved)
{
    fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);
}

static int count_substr(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    return n;
}

/* ---- tests ------------------------------------------------------------------------------- */

static void test_option_table(void **state)
{
    (void)state;
    rt_error err = {{0}};
    const ratchet_plugin_desc *desc = ratchet_plugin_entry_logger_file(rt_host_api());
    assert_non_null(desc);
    assert_string_equal(desc->name, "logger-file");
    if (rt_options_check_table(desc->options, &err) != RATCHET_OK)
        fail_msg("option table: %s", err.msg);

    static const char *const bad[][2] = {
        {"level: info", "path"},
        {"path: /tmp/x.log\nmax_files: 1001", "max_files"},
        {"path: /tmp/x.log\nmax_size: 512", "max_size"},
        {"path: /tmp/x.log\nfsync: sometimes", "fsync"},
        {"path: /tmp/x.log\nlevel: loud", "level"},
        {"path: /tmp/x.log\nwrite_batch: 65MiB", "write_batch"},
        {"path: /tmp/x.log\nwrite_delay: 2m", "write_delay"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        inst in = {0};
        memset(&err, 0, sizeof err);
        if (inst_config(&in, bad[i][0], &err))
            fail_msg("accepted: %s", bad[i][0]);
        if (!strstr(err.msg, bad[i][1]))
            fail_msg("message for '%s' does not name %s: %s", bad[i][0], bad[i][1], err.msg);
        rt_node_free(in.map);
    }
}

static void test_json_lines(void **state)
{
    const char *dir = *state;
    char *path = path_in(dir, "ratchet.log");
    inst in = {0};
    inst_create(&in, "path: %s\nfsync: always", path);
    inst_start(&in);

    const char *tricky =
        "quote \" backslash \\ newline \n tab \t ctrl \x01 utf8 \xc3\xa9 bad \xff!";
    ratchet_log_field fields[] = {{"k", "v"}, {"with space", "a \"b\"\nc"}};
    emit_full(&in, RATCHET_LOG_INFO, "host", NULL, "plain", NULL, 0);
    emit_full(&in, RATCHET_LOG_DEBUG, "host", NULL, "below the default level", NULL, 0);
    emit_full(&in, RATCHET_LOG_WARN, "web", "http", tricky, fields, 2);
    emit_full(&in, RATCHET_LOG_ERROR, "host", NULL, "", NULL, 0);
    inst_done(&in, 1);

    size_t len = 0;
    char *text = slurp(path, &len);
    assert_non_null(text);
    char *l1 = text, *l2 = strchr(l1, '\n') + 1, *l3 = strchr(l2, '\n') + 1;
    assert_int_equal(count_substr(text, "\n"), 3);
    assert_int_equal(text[len - 1], '\n');

    json_object *o = parse_line(l1, (size_t)(l2 - 1 - l1)), *v = NULL;
    assert_string_equal(get_str(o, "timestamp"), "2026-11-26T06:40:45.123Z");
    assert_string_equal(get_str(o, "level"), "info");
    assert_string_equal(get_str(o, "source"), "host");
    assert_true(json_object_object_get_ex(o, "plugin", &v) && v == NULL); /* null */
    assert_string_equal(get_str(o, "message"), "plain");
    assert_false(json_object_object_get_ex(o, "fields", NULL));
    /* timestamp level source plugin message, and the five context members (null here) */
    assert_int_equal(json_object_object_length(o), 10);
    assert_true(json_object_object_get_ex(o, "jobId", &v) && v == NULL);
    assert_true(json_object_object_get_ex(o, "taskName", &v) && v == NULL);
    json_object_put(o);

    o = parse_line(l2, (size_t)(l3 - 1 - l2));
    assert_string_equal(get_str(o, "level"), "warn");
    assert_string_equal(get_str(o, "source"), "web");
    assert_string_equal(get_str(o, "plugin"), "http");
    /* Everything survives the round trip except the invalid byte, which becomes U+FFFD. */
    assert_string_equal(get_str(o, "message"),
                        "quote \" backslash \\ newline \n tab \t ctrl \x01 utf8 \xc3\xa9 bad "
                        "\xef\xbf\xbd!");
    assert_true(json_object_object_get_ex(o, "fields", &v));
    assert_int_equal(json_object_object_length(v), 2);
    assert_string_equal(get_str(v, "k"), "v");
    assert_string_equal(get_str(v, "with space"), "a \"b\"\nc");
    json_object_put(o);

    o = parse_line(l3, strlen(l3) - 1);
    assert_string_equal(get_str(o, "level"), "error");
    assert_string_equal(get_str(o, "message"), "");
    json_object_put(o);
    free(text);
    free(path);
}

/* Writes 200 lines of ~225 bytes with max_size 1KiB; checks what is on disk afterwards. */
/* 200 lines through a 1 KiB max_size; `extra`: more options (YAML lines). */
static void rotate_run(const char *dir, int max_files, const char *fsync_policy, const char *extra)
{
    char *path = path_in(dir, "r.log");
    inst in = {0};
    inst_create(&in, "path: %s\nmax_size: 1KiB\nmax_files: %d\nfsync: %s\n%s", path, max_files,
                fsync_policy, extra);
    inst_start(&in);
    for (int i = 0; i < 200; i++)
        emit_seq(&in, i);
    inst_done(&in, 1);

    /* Exactly the live file plus max_files copies, nothing beyond. */
    assert_int_equal(count_entries(dir), 1 + max_files);
    /* Walk from the oldest copy to the live file: each line whole, numbers consecutive,
     * each file within max_size, and the last one holding the last line. */
    int expect = -1;
    for (int k = max_files; k >= 0; k--) {
        char name[64];
        int seqs[64];
        snprintf(name, sizeof name, k ? "r.log.%d" : "r.log", k);
        char *p = path_in(dir, name);
        int n = check_lines(p, seqs, 64);
        assert_true(n > 0);
        assert_true(file_size(p) <= 1024);
        for (int i = 0; i < n; i++) {
            if (expect >= 0)
                assert_int_equal(seqs[i], expect);
            expect = seqs[i] + 1;
        }
        free(p);
    }
    assert_int_equal(expect, 200);
    char name[64];
    snprintf(name, sizeof name, "r.log.%d", max_files + 1);
    char *beyond = path_in(dir, name);
    assert_int_equal(file_size(beyond), -1);
    free(beyond);
    free(path);
}

static void test_rotation(void **state)
{
    rotate_run(*state, 3, "rotate", "");
}

/* Gathered lines still rotate before the line that would pass max_size: whole lines, in
 * order, every file within 1 KiB (each batch of 600 bytes holds several lines). */
static void test_batched_rotation(void **state)
{
    rotate_run(*state, 3, "always", "write_batch: 600");
}

/* Lines in file `path` now (0 when it does not exist). */
static int lines_in(const char *path)
{
    char *text = slurp(path, NULL);
    int n = text ? count_substr(text, "\n") : 0;
    free(text);
    return n;
}

/* With write_batch, info lines wait in memory; a warning takes them out with it, in order;
 * so do flush() and stop(). (write_delay is long enough not to interfere.) */
static void test_batch_gathers(void **state)
{
    char *path = path_in(*state, "b.log");
    int seqs[64];
    inst in = {0};
    inst_create(&in, "path: %s\nwrite_batch: 64KiB\nwrite_delay: 60s", path);
    inst_start(&in);
    for (int i = 0; i < 10; i++)
        emit_seq(&in, i);
    assert_int_equal(lines_in(path), 0);
    emit_full(&in, RATCHET_LOG_WARN, "host", NULL, "line 0010 a warning", NULL, 0);
    assert_int_equal(check_lines(path, seqs, 64), 11);
    for (int i = 0; i < 11; i++)
        assert_int_equal(seqs[i], i);
    for (int i = 11; i < 16; i++)
        emit_seq(&in, i);
    assert_int_equal(lines_in(path), 11);
    in.desc->logger->flush(in.self);
    assert_int_equal(lines_in(path), 16);
    for (int i = 16; i < 19; i++)
        emit_seq(&in, i);
    assert_int_equal(lines_in(path), 16);
    inst_done(&in, 1);
    assert_int_equal(check_lines(path, seqs, 64), 19);
    assert_int_equal(seqs[18], 18);
    free(path);
}

/* A full batch is written at once; the rest is written by the flusher once write_delay has
 * passed, with no further line to prompt it (a task that crashed logs nothing more). */
static void test_batch_size_and_delay(void **state)
{
    char *path = path_in(*state, "d.log");
    inst in = {0};
    inst_create(&in, "path: %s\nwrite_batch: 1KiB\nwrite_delay: 50ms", path);
    inst_start(&in);
    /* Lines gather until the next would not fit in 1 KiB: then those before it go out. */
    int sent = 0;
    while (lines_in(path) == 0 && sent < 64)
        emit_seq(&in, sent++);
    int n = lines_in(path);
    assert_true(sent > 2 && sent < 64);
    assert_int_equal(n, sent - 1);
    assert_true(file_size(path) <= 1024);
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (;;) { /* poll with a deadline for the flusher's write of the last line */
        if ((n = lines_in(path)) == sent)
            break;
        struct timespec now, nap = {0, 5000000};
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (now.tv_sec - t0.tv_sec > 10)
            fail_msg("the flusher did not write the gathered line in 10 s (%d of %d lines)", n,
                     sent);
        nanosleep(&nap, NULL);
    }
    inst_done(&in, 1);
    assert_int_equal(lines_in(path), sent);
    free(path);
}

static void test_rotation_one_copy(void **state)
{
    rotate_run(*state, 1, "never", "");
}

static void test_max_files_zero_truncates(void **state)
{
    rotate_run(*state, 0, "always", "");
}

static void test_missing_directory(void **state)
{
    char *path = path_in(*state, "missing/ratchet.log");
    char want[4200];
    inst in = {0};
    inst_create(&in, "path: %s", path);
    rt_error_clear();
    assert_int_equal(in.desc->logger->life.start(in.self), RATCHET_ERR);
    snprintf(want, sizeof want, "cannot open %s: No such file or directory", path);
    assert_string_equal(rt_error_peek(), want);
    inst_done(&in, 0);
    free(path);
}

static void test_existing_size_counts(void **state)
{
    const char *dir = *state;
    char *path = path_in(dir, "e.log");
    char *path1 = path_in(dir, "e.log.1");
    char old[1000];
    memset(old, 'x', sizeof old);
    old[sizeof old - 1] = '\n';

    /* 100 bytes already there: appended to, not truncated. */
    spit(path, old + 900, 100);
    inst in = {0};
    inst_create(&in, "path: %s\nmax_size: 1KiB", path);
    inst_start(&in);
    emit_seq(&in, 1);
    inst_done(&in, 1);
    assert_int_equal(file_size(path1), -1);
    char *text = slurp(path, NULL);
    assert_memory_equal(text, old + 900, 100);
    assert_non_null(strstr(text + 100, "line 0001"));
    free(text);

    /* 1000 bytes there: the next line would pass 1KiB, so the old content is rotated. */
    spit(path, old, sizeof old);
    memset(&in, 0, sizeof in);
    inst_create(&in, "path: %s\nmax_size: 1KiB", path);
    inst_start(&in);
    emit_seq(&in, 2);
    inst_done(&in, 1);
    size_t len = 0;
    text = slurp(path1, &len);
    assert_int_equal(len, sizeof old);
    assert_memory_equal(text, old, sizeof old);
    free(text);
    int seqs[4];
    assert_int_equal(check_lines(path, seqs, 4), 1);
    assert_int_equal(seqs[0], 2);
    free(path);
    free(path1);
}

static void test_oversized_line(void **state)
{
    const char *dir = *state;
    char *path = path_in(dir, "big.log");
    char big[3000];
    memset(big, 'b', sizeof big);
    big[sizeof big - 1] = '\0';

    inst in = {0};
    inst_create(&in, "path: %s\nmax_size: 1KiB\nmax_files: 2", path);
    inst_start(&in);
    emit_seq(&in, 1);
    emit_full(&in, RATCHET_LOG_INFO, "host", NULL, big, NULL, 0);
    emit_seq(&in, 3);
    inst_done(&in, 1);

    /* The big line alone in a file of its own, between its neighbours. */
    int seqs[4];
    char *p2 = path_in(dir, "big.log.2"), *p1 = path_in(dir, "big.log.1");
    assert_int_equal(check_lines(p2, seqs, 4), 1);
    assert_int_equal(seqs[0], 1);
    assert_int_equal(check_lines(p1, seqs, 4), 1);
    assert_int_equal(seqs[0], -1);
    assert_true(file_size(p1) > 3000);
    assert_int_equal(check_lines(path, seqs, 4), 1);
    assert_int_equal(seqs[0], 3);
    free(p1);
    free(p2);
    free(path);
}

/* A rotation that keeps failing: lines still land in the live file, the failure is reported
 * once, and rotation works again as soon as the obstacle goes. */
static void test_rotation_failure_reported_once(void **state)
{
    const char *dir = *state;
    char *path = path_in(dir, "f.log");
    char *path1 = path_in(dir, "f.log.1");
    char *cap = path_in(dir, "stderr.txt");
    assert_int_equal(mkdir(path1, 0700), 0); /* rename(f.log, f.log.1) now fails: EISDIR */

    inst in = {0};
    inst_create(&in, "path: %s\nmax_size: 1KiB\nmax_files: 1", path);
    inst_start(&in);
    int saved = capture_begin(cap);
    for (int i = 0; i < 30; i++)
        emit_seq(&in, i);
    int gone = rmdir(path1);
    emit_seq(&in, 30);
    capture_end(saved);
    inst_done(&in, 1);
    assert_int_equal(gone, 0);

    char *err = slurp(cap, NULL);
    assert_non_null(err);
    if (count_substr(err, "cannot rotate") != 1 || count_substr(err, "works again") != 1)
        fail_msg("expected one failure and one recovery report, got:\n%s", err);
    free(err);
    unlink(cap);

    int seqs[64];
    assert_int_equal(check_lines(path1, seqs, 64), 30);
    assert_int_equal(seqs[29], 29);
    assert_int_equal(check_lines(path, seqs, 64), 1);
    assert_int_equal(seqs[0], 30);
    free(path);
    free(path1);
    free(cap);
}

/* A device that refuses every write: reported once, every line counted as lost, no crash. */
/* Lines that cannot be written (/dev/full) are reported once per streak; `options`: more
 * YAML lines (with write_batch, the one batch that fails says it once too). */
static void write_failure_run(const char *dir, const char *options)
{
    char *cap = path_in(dir, "stderr.txt");
    inst in = {0};
    if (access("/dev/full", W_OK) != 0)
        skip();
    inst_create(&in, "path: /dev/full\nmax_size: 1KiB\n%s", options);
    inst_start(&in);
    int saved = capture_begin(cap);
    for (int i = 0; i < 20; i++)
        emit_seq(&in, i);
    in.desc->logger->flush(in.self);
    capture_end(saved);
    inst_done(&in, 1);
    char *err = slurp(cap, NULL);
    if (count_substr(err, "cannot write to /dev/full: No space left on device") != 1)
        fail_msg("expected one report, got:\n%s", err);
    free(err);
    free(cap);
}

static void test_write_failure_reported_once(void **state)
{
    write_failure_run(*state, "");
}

static void test_batch_write_failure(void **state)
{
    write_failure_run(*state, "write_batch: 64KiB\nwrite_delay: 60s");
}

/* The directory disappears at run time: lines are lost (and counted) until it is back, then
 * the file is reopened without a restart. */
static void test_reopen_after_directory_returns(void **state)
{
    const char *dir = *state;
    char *sub = path_in(dir, "sub"), *moved = path_in(dir, "moved");
    char *path = path_in(sub, "d.log"), *cap = path_in(dir, "stderr.txt");
    assert_int_equal(mkdir(sub, 0700), 0);

    inst in = {0};
    /* Lines of 225 bytes: 7 fit in 1600, the 8th does not. */
    inst_create(&in, "path: %s\nmax_size: 1600\nmax_files: 1", path);
    inst_start(&in);
    int saved = capture_begin(cap);
    for (int i = 0; i < 6; i++) /* 1350 bytes: no rotation yet */
        emit_seq(&in, i);
    assert_int_equal(rename(sub, moved), 0);
    /* Line 6 still fits the open (moved) file; 7-9 need a rotation, which finds no file to
     * move and cannot create a new one. */
    for (int i = 6; i < 10; i++)
        emit_seq(&in, i);
    assert_int_equal(mkdir(sub, 0700), 0);
    emit_seq(&in, 10);
    capture_end(saved);
    inst_done(&in, 1);

    char *err = slurp(cap, NULL);
    if (count_substr(err, "cannot open") != 1 || !strstr(err, "works again; 3 line(s) lost"))
        fail_msg("expected one failure and a recovery after 3 lost lines, got:\n%s", err);
    free(err);
    int seqs[16];
    assert_int_equal(check_lines(path, seqs, 16), 1);
    assert_int_equal(seqs[0], 10);
    /* The lines written before the move are intact in the moved directory. */
    char *old = path_in(moved, "d.log");
    int n = check_lines(old, seqs, 16);
    assert_int_equal(seqs[n - 1], 6);
    unlink(old);
    unlink(path);
    rmdir(sub);
    rmdir(moved);
    free(old);
    free(sub);
    free(moved);
    free(path);
    free(cap);
}

/* An event logged for a job: its context members carry the values. */
static void test_context_members(void **state)
{
    char *path = path_in(*state, "c.log");
    inst in = {0};
    inst_create(&in, "path: %s", path);
    inst_start(&in);
    ratchet_log_event ev = harness_event(RATCHET_LOG_INFO, "task", NULL, "hello", NULL, 0);
    ev.trace_id = "4bf92f3577b34da6a3ce929d0e0e4736";
    ev.span_id = "00f067aa0ba902b7";
    ev.job_id = 12;
    ev.execution_id = 34;
    ev.task_name = "addition";
    in.desc->logger->log(in.self, &ev);
    inst_done(&in, 1);
    char *text = slurp(path, NULL);
    json_object *o = parse_line(text, strlen(text) - 1), *v = NULL;
    assert_string_equal(get_str(o, "traceId"), "4bf92f3577b34da6a3ce929d0e0e4736");
    assert_string_equal(get_str(o, "spanId"), "00f067aa0ba902b7");
    assert_true(json_object_object_get_ex(o, "jobId", &v) && json_object_get_int64(v) == 12);
    assert_true(json_object_object_get_ex(o, "executionId", &v) && json_object_get_int64(v) == 34);
    assert_string_equal(get_str(o, "taskName"), "addition");
    json_object_put(o);
    free(text);
    free(path);
}

/* compress: rotated copies are gzip files (read back with zlib); no plain copy is left. */
static void test_compressed_rotation(void **state)
{
#ifdef RATCHET_HAVE_ZLIB
    char *path = path_in(*state, "z.log"), *one = path_in(*state, "z.log.1"),
         *gz1 = path_in(*state, "z.log.1.gz"), *gz3 = path_in(*state, "z.log.3.gz");
    inst in = {0};
    inst_create(&in, "path: %s\nmax_size: 1KiB\nmax_files: 2\ncompress: true", path);
    inst_start(&in);
    for (int i = 0; i < 40; i++)
        emit_seq(&in, i);
    inst_done(&in, 1);
    struct stat st;
    assert_int_equal(stat(one, &st), -1);
    assert_int_equal(stat(gz3, &st), -1); /* max_files 2 */
    gzFile gz = gzopen(gz1, "rb");
    assert_non_null(gz);
    char buf[4096];
    int n = gzread(gz, buf, sizeof buf - 1);
    gzclose(gz);
    assert_true(n > 0);
    buf[n] = '\0';
    assert_non_null(strstr(buf, "\"message\":\"line 00"));
    assert_int_equal(buf[n - 1], '\n');
    free(path);
    free(one);
    free(gz1);
    free(gz3);
#else
    (void)state;
    skip();
#endif
}

/* max_age: a file older than that is rotated before the next line, even when small. */
static void test_age_rotation(void **state)
{
    char *path = path_in(*state, "a.log"), *one = path_in(*state, "a.log.1");
    inst in = {0};
    inst_create(&in, "path: %s\nmax_age: 20ms", path);
    inst_start(&in);
    emit_seq(&in, 0);
    struct timespec t0, t;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    do { /* let the file age: time passing is what is tested, not another thread */
        struct timespec pause = {0, 5000000};
        nanosleep(&pause, NULL);
        clock_gettime(CLOCK_MONOTONIC, &t);
    } while ((t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000 < 25);
    emit_seq(&in, 1);
    inst_done(&in, 1);
    int seqs[4];
    assert_int_equal(check_lines(one, seqs, 4), 1);
    assert_int_equal(seqs[0], 0);
    assert_int_equal(check_lines(path, seqs, 4), 1);
    assert_int_equal(seqs[0], 1);
    free(path);
    free(one);
}

/* filter: only matching events are written; a bad filter fails create() with its place. */
static void test_filter(void **state)
{
    char *path = path_in(*state, "f.log");
    inst in = {0};
    inst_create(&in, "path: %s\nfilter: \"source=web* level>=warn\"", path);
    inst_start(&in);
    emit_full(&in, RATCHET_LOG_ERROR, "host", NULL, "not me", NULL, 0);
    emit_full(&in, RATCHET_LOG_INFO, "web", NULL, "nor me", NULL, 0);
    emit_full(&in, RATCHET_LOG_WARN, "webhook", NULL, "me", NULL, 0);
    inst_done(&in, 1);
    char *text = slurp(path, NULL);
    assert_int_equal(count_substr(text, "\n"), 1);
    assert_non_null(strstr(text, "\"message\":\"me\""));
    free(text);
    inst bad = {0};
    rt_error err = {{0}};
    assert_non_null(inst_config(&bad, "path: /tmp/x\nfilter: \"level>=loud\"", &err));
    bad.ctx = rt_ctx_new("file", "logger-file");
    rt_error_clear();
    assert_int_equal(bad.desc->logger->life.create(bad.ctx, bad.cfg, &bad.self), RATCHET_ERR);
    assert_non_null(strstr(rt_error_peek(), ":2:9: filter: term 1 'level>=loud': unknown level"));
    harness_options_free(bad.cfg, bad.map);
    rt_ctx_free(bad.ctx);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_option_table),
        cmocka_unit_test_setup_teardown(test_json_lines, dir_setup, dir_teardown),
        cmocka_unit_test_setup_teardown(test_context_members, dir_setup, dir_teardown),
        cmocka_unit_test_setup_teardown(test_compressed_rotation, dir_setup, dir_teardown),
        cmocka_unit_test_setup_teardown(test_age_rotation, dir_setup, dir_teardown),
        cmocka_unit_test_setup_teardown(test_filter, dir_setup, dir_teardown),
        cmocka_unit_test_setup_teardown(test_rotation, dir_setup, dir_teardown),
        cmocka_unit_test_setup_teardown(test_batched_rotation, dir_setup, dir_teardown),
        cmocka_unit_test_setup_teardown(test_batch_gathers, dir_setup, dir_teardown),
        cmocka_unit_test_setup_teardown(test_batch_size_and_delay, dir_setup, dir_teardown),
        cmocka_unit_test_setup_teardown(test_batch_write_failure, dir_setup, dir_teardown),
        cmocka_unit_test_setup_teardown(test_rotation_one_copy, dir_setup, dir_teardown),
        cmocka_unit_test_setup_teardown(test_max_files_zero_truncates, dir_setup, dir_teardown),
        cmocka_unit_test_setup_teardown(test_missing_directory, dir_setup, dir_teardown),
        cmocka_unit_test_setup_teardown(test_existing_size_counts, dir_setup, dir_teardown),
        cmocka_unit_test_setup_teardown(test_oversized_line, dir_setup, dir_teardown),
        cmocka_unit_test_setup_teardown(test_rotation_failure_reported_once, dir_setup,
                                        dir_teardown),
        cmocka_unit_test_setup_teardown(test_write_failure_reported_once, dir_setup, dir_teardown),
        cmocka_unit_test_setup_teardown(test_reopen_after_directory_returns, dir_setup,
                                        dir_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
