/*
 * test_log_events.c - structured log events in the host core: the thread's log context
 * (log_ctx.c) on every event, secrets masked before any logger sees them (log_mask.c), sink
 * filters (log_filter.c), the plugin metrics registry (metrics.c), and loggers called one
 * thread at a time unless they declare RATCHET_LOGGER_CONCURRENT (ABI 1.9).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "hostapi.h"
#include "log.h"
#include "log_ctx.h"
#include "log_filter.h"
#include "log_mask.h"
#include "metrics.h"
#include "plugin_harness.h"

/* ---- a logger that keeps the last event it saw ------------------------------------------- */

typedef struct seen {
    int count;
    char message[4096];
    char trace[40], span[20], task[130];
    int64_t job, exec;
    char field_value[256];
    size_t nfields;
} seen;

static void seen_log(void *instance, const ratchet_log_event *ev)
{
    seen *s = instance;
    s->count++;
    snprintf(s->message, sizeof s->message, "%s", ev->message);
    snprintf(s->trace, sizeof s->trace, "%s", ev->trace_id);
    snprintf(s->span, sizeof s->span, "%s", ev->span_id);
    snprintf(s->task, sizeof s->task, "%s", ev->task_name);
    s->job = ev->job_id;
    s->exec = ev->execution_id;
    s->nfields = ev->nfields;
    snprintf(s->field_value, sizeof s->field_value, "%s", ev->nfields ? ev->fields[0].value : "");
}

static const ratchet_logger_vtable seen_vt = {
    .abi = RATCHET_ABI_INIT(ratchet_logger_vtable),
    .log = seen_log,
};

static int attach(void **state)
{
    seen *s = calloc(1, sizeof *s);
    assert_int_equal(rt_log_attach(&seen_vt, s), RATCHET_OK);
    rt_log_set_level(RATCHET_LOG_TRACE);
    *state = s;
    return 0;
}

static int detach(void **state)
{
    rt_log_detach(*state);
    free(*state);
    rt_log_ctx_clear();
    rt_mask_clear_keys();
    return 0;
}

/* rt_log_emit with fields, as a plugin's log_fields reaches it. */
static void emit_fields(const ratchet_log_field *fields, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    rt_log_emit("host", NULL, RATCHET_LOG_INFO, fields, n, fmt, ap);
    va_end(ap);
}

/* ---- the context ------------------------------------------------------------------------- */

static void context_rides_on_every_event(void **state)
{
    seen *s = *state;
    rt_log(RATCHET_LOG_INFO, "before");
    assert_string_equal(s->task, "");
    assert_int_equal(s->job, 0);

    rt_log_ctx_set_job(12, 34, "addition");
    rt_log_ctx_set_trace("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7");
    rt_log(RATCHET_LOG_INFO, "during %d", 1);
    assert_string_equal(s->message, "during 1");
    assert_string_equal(s->task, "addition");
    assert_int_equal(s->job, 12);
    assert_int_equal(s->exec, 34);
    assert_string_equal(s->trace, "4bf92f3577b34da6a3ce929d0e0e4736");
    assert_string_equal(s->span, "00f067aa0ba902b7");

    /* A plugin's line through the host table carries it too. */
    ratchet_ctx *ctx = rt_ctx_new("inst", "plug");
    rt_host_api()->log(ctx, RATCHET_LOG_WARN, "from a plugin");
    assert_int_equal(s->job, 12);
    rt_ctx_free(ctx);

    rt_log_ctx_clear();
    rt_log(RATCHET_LOG_INFO, "after");
    assert_string_equal(s->task, "");
    assert_string_equal(s->trace, "");
    assert_int_equal(s->exec, 0);
}

static void *other_thread(void *arg)
{
    seen *s = arg;
    rt_log(RATCHET_LOG_INFO, "elsewhere");
    return (void *)(intptr_t)s->job;
}

static void context_is_per_thread(void **state)
{
    seen *s = *state;
    rt_log_ctx_set_job(7, 8, "mine");
    pthread_t t;
    void *job = NULL;
    assert_int_equal(pthread_create(&t, NULL, other_thread, s), 0);
    pthread_join(t, &job);
    assert_int_equal((intptr_t)job, 0); /* the other thread logged with an empty context */
    assert_int_equal(rt_log_ctx_get()->job_id, 7);
}

static void context_strings_are_cut_not_overrun(void **state)
{
    (void)state;
    char longname[300];
    memset(longname, 'x', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    rt_log_ctx_set_job(1, 2, longname);
    assert_int_equal(strlen(rt_log_ctx_get()->task_name), 127);
    rt_log_ctx_set_trace("0123456789abcdef0123456789abcdef-too-long", NULL);
    assert_string_equal(rt_log_ctx_get()->trace_id, "0123456789abcdef0123456789abcdef");
    assert_string_equal(rt_log_ctx_get()->span_id, "");
}

static void explicit_context_through_the_table(void **state)
{
    seen *s = *state;
    rt_log_ctx_set_job(1, 1, "thread's");
    ratchet_log_context lc = {.abi = RATCHET_ABI_INIT(ratchet_log_context)};
    snprintf(lc.task_name, sizeof lc.task_name, "explicit");
    lc.job_id = 99;
    ratchet_log_field f = {"k", "v"};
    rt_host_api()->log_event(NULL, RATCHET_LOG_INFO, &lc, &f, 1, "with %s", "context");
    assert_string_equal(s->task, "explicit");
    assert_int_equal(s->job, 99);
    assert_string_equal(s->field_value, "v");
    /* get/set round trip through the public struct */
    ratchet_log_context got = {.abi = RATCHET_ABI_INIT(ratchet_log_context)};
    rt_host_api()->log_context_get(&got);
    assert_string_equal(got.task_name, "thread's");
    rt_host_api()->log_context_set(&lc);
    assert_int_equal(rt_log_ctx_get()->job_id, 99);
    rt_host_api()->log_context_set(NULL);
    assert_int_equal(rt_log_ctx_get()->job_id, 0);
}

/* ---- masking ----------------------------------------------------------------------------- */

static void masks(const char *in, const char *want)
{
    int failed = 0;
    char *out = rt_mask_text(in, &failed);
    assert_false(failed);
    if (!want) {
        if (out)
            fail_msg("'%s' should stay as it is, got '%s'", in, out);
        return;
    }
    if (!out)
        fail_msg("'%s' should become '%s', was left alone", in, want);
    if (strcmp(out, want) != 0)
        fail_msg("'%s'\n  became '%s'\n  wanted '%s'", in, out, want);
    free(out);
}

static void secrets_are_masked(void **state)
{
    (void)state;
    masks("Authorization: Bearer abc.def-123", "Authorization: Bearer [redacted]");
    masks("authorization=Basic dXNlcjpwYXNz rest", "authorization=Basic [redacted] rest");
    masks("{\"Authorization\":\"Bearer xyz987654\",\"a\":1}",
          "{\"Authorization\":\"Bearer [redacted]\",\"a\":1}");
    masks("sent bearer eyJhbGciOi.payload", "sent bearer [redacted]");
    masks("db at postgresql://u:PASS@h:5432/db ok", "db at postgresql://u:[redacted]@h:5432/db ok");
    masks("https://user:p%40ss@example.com/x", "https://user:[redacted]@example.com/x");
    masks("password=hunter2; user=bob", "password=[redacted]; user=bob");
    masks("X-Api-Key: 12345", "X-Api-Key: [redacted]");
    masks("key sk-proj-abcdefghijklmnopqrstuv end", "key [redacted] end");
    masks("ghp_abcdefghijklmnopqrstuvwxyz0123456789", "[redacted]");
    masks("aws AKIAABCDEFGHIJKLMNOP!", "aws [redacted]!");
    masks("jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl done", "jwt [redacted] done");
    masks("api rk_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG", "api [redacted]");
    masks("Cookie: session=abc; other=1", "Cookie: [redacted]; other=1");
    /* Left alone: ordinary text, a bearer word, an URL without a password. */
    masks("uses bearer authentication", NULL);
    masks("GET https://user@example.com/a:b@c", NULL);
    masks("tokens: 12 max_tokens=5 passwordless", NULL);
    masks("", NULL);
}

static void configured_keys_are_masked(void **state)
{
    seen *s = *state;
    const char *keys[] = {"session-id"};
    assert_int_equal(rt_mask_set_keys(keys, 1), RATCHET_OK);
    masks("session_id=abc123 next", "session_id=[redacted] next");
    masks("SESSION-ID: x", "SESSION-ID: [redacted]");
    /* A field named like a secret key has its whole value masked; others are scanned. */
    ratchet_log_field f1 = {"Session-Id", "plain words"};
    emit_fields(&f1, 1, "m");
    assert_string_equal(s->field_value, "[redacted]");
    ratchet_log_field f2 = {"url", "postgres://a:b@c/d"};
    emit_fields(&f2, 1, "m");
    assert_string_equal(s->field_value, "postgres://a:[redacted]@c/d");
    rt_log(RATCHET_LOG_ERROR, "connect %s failed", "postgresql://app:s3cret@db/x");
    assert_string_equal(s->message, "connect postgresql://app:[redacted]@db/x failed");
    assert_null(strstr(s->message, "s3cret"));
}

static void long_messages_are_masked_too(void **state)
{
    seen *s = *state;
    char big[2000];
    memset(big, 'a', sizeof big);
    memcpy(big + 1500, " token=zzz", 10);
    big[sizeof big - 1] = '\0';
    rt_log(RATCHET_LOG_INFO, "%s", big);
    assert_non_null(strstr(s->message, "token=[redacted]") ? s->message : NULL);
    assert_null(strstr(s->message, "zzz"));
    assert_true(rt_mask_is_secret_header("proxy-authorization"));
    assert_false(rt_mask_is_secret_header("X-Trace"));
}

/* ---- filters ----------------------------------------------------------------------------- */

static void filter_error(const char *text, const char *want)
{
    ratchet_buf why = RATCHET_BUF_INIT;
    ratchet_log_filter *f = rt_log_filter_new(text, &why);
    assert_null(f);
    if (!why.data || !strstr(why.data, want))
        fail_msg("filter '%s': wanted '%s' in '%s'", text, want, why.data ? why.data : "");
    rt_buf_free(&why);
}

static void filters_match(void **state)
{
    (void)state;
    ratchet_log_field fields[] = {{"status", "503"}};
    ratchet_log_event ev =
        harness_event(RATCHET_LOG_WARN, "http", "http", "upstream down", fields, 1);
    ev.task_name = "fetch-weather";
    ev.trace_id = ev.span_id = "";
    struct {
        const char *text;
        int want;
    } cases[] = {
        {"", 1},
        {"source=http", 1},
        {"source=h*", 1},
        {"source!=http", 0},
        {"level>=warn", 1},
        {"level>warn", 0},
        {"level<=info", 0},
        {"level=warn level!=error", 1},
        {"task=fetch-*", 1},
        {"task=other", 0},
        {"field.status=5??", 1},
        {"field.status!=503", 0},
        {"field.missing=x", 0},
        {"field.missing!=x", 1},
        {"message=*down source=http", 1},
        {"  source=http   level>=error ", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        ratchet_log_filter *f = rt_log_filter_new(cases[i].text, NULL);
        assert_non_null(f);
        if (rt_log_filter_match(f, &ev) != cases[i].want)
            fail_msg("filter '%s' should %smatch", cases[i].text, cases[i].want ? "" : "not ");
        rt_log_filter_free(f);
    }
    /* An event of an older layout (no context fields) reads as having no task. */
    ratchet_log_event old = ev;
    old.abi.struct_size = (uint32_t)offsetof(ratchet_log_event, trace_id);
    ratchet_log_filter *f = rt_log_filter_new("task=fetch-*", NULL);
    assert_false(rt_log_filter_match(f, &old));
    rt_log_filter_free(f);
    assert_true(rt_log_filter_match(NULL, &ev));
}

static void filter_errors_say_what_is_wrong(void **state)
{
    (void)state;
    filter_error("source", "term 1 'source': expected NAME=VALUE");
    filter_error("level>=warn colour=red", "term 2 'colour=red': unknown name");
    filter_error("level>=loud", "term 1 'level>=loud': unknown level");
    filter_error("source>=a", "only level compares with < <= > >=");
    filter_error("field.=x", "unknown name");
}

/* ---- metrics ----------------------------------------------------------------------------- */

static double read_seven(void *arg)
{
    (void)arg;
    return 7;
}

static void metrics_are_written_grouped(void **state)
{
    (void)state;
    static int a, b; /* only their addresses matter: owners */
    rt_error err;
    assert_int_equal(
        rt_metrics_register(&a, "one", "ratchet_x_total", "counter", "X.", read_seven, NULL, &err),
        RATCHET_OK);
    assert_int_equal(
        rt_metrics_register(&b, "two", "ratchet_y", "gauge", "Y.", read_seven, NULL, &err),
        RATCHET_OK);
    assert_int_equal(
        rt_metrics_register(&b, "two", "ratchet_x_total", "counter", "X.", read_seven, NULL, &err),
        RATCHET_OK);
    assert_int_equal(
        rt_metrics_register(&b, "two", "ratchet_y", "gauge", "Y.", read_seven, NULL, &err),
        RATCHET_ERR);
    assert_non_null(strstr(err.msg, "already registered"));
    assert_int_equal(
        rt_metrics_register(&b, "two", "Bad-Name", "gauge", "", read_seven, NULL, &err),
        RATCHET_ERR);
    assert_non_null(strstr(err.msg, "must match"));
    assert_int_equal(rt_metrics_register(&b, "two", "ok", "histogram", "", read_seven, NULL, &err),
                     RATCHET_ERR);
    assert_non_null(strstr(err.msg, "counter or gauge"));
    ratchet_buf out = RATCHET_BUF_INIT;
    assert_int_equal(rt_metrics_write(&out), RATCHET_OK);
    assert_string_equal(out.data, "# HELP ratchet_x_total X.\n# TYPE ratchet_x_total counter\n"
                                  "ratchet_x_total{instance=\"one\"} 7\n"
                                  "ratchet_x_total{instance=\"two\"} 7\n"
                                  "# HELP ratchet_y Y.\n# TYPE ratchet_y gauge\n"
                                  "ratchet_y{instance=\"two\"} 7\n");
    rt_buf_free(&out);
    rt_metrics_unregister(&a);
    rt_metrics_unregister(&b);
    assert_int_equal(rt_metrics_write(&out), RATCHET_OK);
    assert_null(out.data);
}

/* ---- concurrent loggers (ABI 1.9) ----------------------------------------------------------- */

/* How many threads were inside one logger's log() at once. */
typedef struct overlap {
    atomic_int inside, most;
    atomic_int waits; /* calls left that stay in log() until a second thread is there (5 s) */
} overlap;

static void overlap_log(void *instance, const ratchet_log_event *ev)
{
    overlap *o = instance;
    if (strncmp(ev->message, "overlap ", 8) != 0)
        return;
    int now = atomic_fetch_add(&o->inside, 1) + 1;
    for (int most = atomic_load(&o->most); now > most;)
        if (atomic_compare_exchange_weak(&o->most, &most, now))
            break;
    struct timespec tick = {0, 1000000};
    if (atomic_load(&o->waits) > 0 && atomic_fetch_sub(&o->waits, 1) > 0)
        for (int i = 0; atomic_load(&o->most) < 2 && i < 5000; i++)
            nanosleep(&tick, NULL);
    atomic_fetch_sub(&o->inside, 1);
}

static const ratchet_logger_vtable serial_vt = {
    .abi = RATCHET_ABI_INIT(ratchet_logger_vtable),
    .log = overlap_log,
};
static const ratchet_logger_vtable concurrent_vt = {
    .abi = RATCHET_ABI_INIT(ratchet_logger_vtable),
    .log = overlap_log,
    .flags = RATCHET_LOGGER_CONCURRENT,
};

static void *log_overlap(void *arg)
{
    (void)arg;
    for (int i = 0; i < 200; i++)
        rt_log(RATCHET_LOG_INFO, "overlap %d", i);
    return NULL;
}

/* Two threads logging at once: the concurrent logger has both inside log() together (its
 * first call waits there for the other thread: it would time out if the host serialised it),
 * the plain one never more than one. */
static void concurrent_loggers_are_not_serialised(void **state)
{
    (void)state;
    overlap serial = {0}, concurrent = {.waits = 1};
    assert_int_equal(rt_log_attach(&serial_vt, &serial), RATCHET_OK);
    assert_int_equal(rt_log_attach(&concurrent_vt, &concurrent), RATCHET_OK);
    pthread_t a, b;
    assert_int_equal(pthread_create(&a, NULL, log_overlap, NULL), 0);
    assert_int_equal(pthread_create(&b, NULL, log_overlap, NULL), 0);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    rt_log_detach(&concurrent);
    rt_log_detach(&serial);
    assert_int_equal(atomic_load(&concurrent.most), 2);
    assert_int_equal(atomic_load(&serial.most), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(context_rides_on_every_event, attach, detach),
        cmocka_unit_test_setup_teardown(context_is_per_thread, attach, detach),
        cmocka_unit_test_setup_teardown(context_strings_are_cut_not_overrun, attach, detach),
        cmocka_unit_test_setup_teardown(explicit_context_through_the_table, attach, detach),
        cmocka_unit_test(secrets_are_masked),
        cmocka_unit_test_setup_teardown(configured_keys_are_masked, attach, detach),
        cmocka_unit_test_setup_teardown(long_messages_are_masked_too, attach, detach),
        cmocka_unit_test(filters_match),
        cmocka_unit_test(filter_errors_say_what_is_wrong),
        cmocka_unit_test(metrics_are_written_grouped),
        cmocka_unit_test(concurrent_loggers_are_not_serialised),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
