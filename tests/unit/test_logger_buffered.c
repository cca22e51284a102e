/*
 * test_logger_buffered.c - logger-buffered: its ring (bring.c) on its own, then the plugin in
 * a real instance set (settings from YAML, the host's logger_wrap) in front of a capture
 * logger that the test can hold up, to see batching, drop_oldest with its counter and metric,
 * block, and the drain at flush and at shutdown.
 */
#define _DEFAULT_SOURCE /* mkstemps */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bring.h"
#include "buf.h"
#include "hostapi.h"
#include "instances.h"
#include "log.h"
#include "metrics.h"
#include "plugin_harness.h"
#include "settings.h"

const ratchet_plugin_desc *ratchet_plugin_entry_logger_buffered(const ratchet_host_api *api);

/* ---- the ring ---------------------------------------------------------------------------- */

static void ring_copies_and_drops_oldest(void **state)
{
    (void)state;
    ratchet_plugin_entry_logger_buffered(rt_host_api()); /* sets buffered_host */
    bring r;
    assert_int_equal(bring_init(&r, 3), RATCHET_OK);
    char msg[32];
    ratchet_log_field f = {"k", "v"};
    int dropped = 0, total = 0;
    for (int i = 0; i < 5; i++) {
        snprintf(msg, sizeof msg, "event %d", i);
        ratchet_log_event ev = harness_event(RATCHET_LOG_INFO, "src", NULL, msg, &f, 1);
        ev.task_name = "t";
        ev.job_id = i;
        assert_int_equal(bring_push(&r, &ev, &dropped), RATCHET_OK);
        total += dropped;
        memset(msg, 'x', 8); /* the ring kept a copy, not the caller's buffer */
    }
    assert_int_equal(total, 2);
    assert_int_equal(r.count, 3);
    assert_string_equal(bring_at(&r, 0)->message, "event 2");
    assert_string_equal(bring_at(&r, 2)->message, "event 4");
    assert_int_equal(bring_at(&r, 2)->job_id, 4);
    assert_string_equal(bring_at(&r, 1)->fields[0].value, "v");
    assert_string_equal(bring_at(&r, 1)->task_name, "t");
    assert_string_equal(bring_at(&r, 1)->trace_id, ""); /* NULL in, "" out */
    assert_null(bring_at(&r, 1)->plugin);
    /* An older event layout (no context) comes out with an empty context. */
    ratchet_log_event old = harness_event(RATCHET_LOG_WARN, "s", "p", "old", NULL, 0);
    old.abi.struct_size = (uint32_t)offsetof(ratchet_log_event, trace_id);
    old.job_id = 77;
    assert_int_equal(bring_push(&r, &old, &dropped), RATCHET_OK);
    assert_int_equal(bring_at(&r, 2)->job_id, 0);
    bring_clear(&r);
    assert_int_equal(r.count, 0);
    bring_free(&r);
}

/* ---- the plugin in an instance set ------------------------------------------------------- */

typedef struct capture {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int hold;   /* log() waits while set */
    int in_log; /* log() is waiting */
    int count;
    int flushes;
    char last[256];
    char drop_note[256];
} capture;

static capture cap = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, 0, 0, "", ""};

static ratchet_status capture_create(ratchet_ctx *ctx, const ratchet_config *cfg, void **out)
{
    (void)ctx;
    (void)cfg;
    *out = &cap;
    return RATCHET_OK;
}

static void capture_destroy(void *instance)
{
    (void)instance;
}

static void capture_log(void *instance, const ratchet_log_event *ev)
{
    capture *c = instance;
    pthread_mutex_lock(&c->mu);
    c->in_log = 1;
    pthread_cond_broadcast(&c->cv);
    while (c->hold)
        pthread_cond_wait(&c->cv, &c->mu);
    c->in_log = 0;
    if (ev->plugin && strcmp(ev->plugin, "logger-buffered") == 0 && strstr(ev->message, "dropped"))
        snprintf(c->drop_note, sizeof c->drop_note, "%s", ev->message);
    else
        c->count++;
    snprintf(c->last, sizeof c->last, "%s", ev->message);
    pthread_mutex_unlock(&c->mu);
}

static void capture_flush(void *instance)
{
    capture *c = instance;
    pthread_mutex_lock(&c->mu);
    c->flushes++;
    pthread_mutex_unlock(&c->mu);
}

static const ratchet_logger_vtable capture_vt = {
    .abi = RATCHET_ABI_INIT(ratchet_logger_vtable),
    .life = {.create = capture_create, .destroy = capture_destroy},
    .log = capture_log,
    .flush = capture_flush,
};
static const ratchet_option no_options[] = {RATCHET_OPT_END};
static const ratchet_plugin_desc capture_desc = {
    .abi = RATCHET_ABI_INIT(ratchet_plugin_desc),
    .name = "capture",
    .version = "1",
    .options = no_options,
    .logger = &capture_vt,
};

typedef struct world {
    char path[256];
    rt_registry reg;
    rt_settings settings;
    rt_instance_set set;
} world;

static void capture_reset(void)
{
    pthread_mutex_lock(&cap.mu);
    cap.hold = cap.in_log = cap.count = cap.flushes = 0;
    cap.last[0] = cap.drop_note[0] = '\0';
    pthread_mutex_unlock(&cap.mu);
}

/* Settings from `yaml`, a registry of capture + logger-buffered; resolved and started when
 * start_ok, else the start error is returned in err. */
static ratchet_status world_open(world *w, const char *yaml, rt_error *err)
{
    memset(w, 0, sizeof *w);
    capture_reset();
    const char *base = getenv("RATCHET_TEST_TMP");
    snprintf(w->path, sizeof w->path, "%s/buffered.XXXXXX.yaml", base && *base ? base : "/tmp");
    int fd = mkstemps(w->path, 5);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, yaml, strlen(yaml)), (ssize_t)strlen(yaml));
    close(fd);
    rt_registry_init(&w->reg);
    w->reg.plugins = calloc(2, sizeof *w->reg.plugins);
    w->reg.count = w->reg.cap = 2;
    const ratchet_plugin_desc *descs[2] = {&capture_desc,
                                           ratchet_plugin_entry_logger_buffered(rt_host_api())};
    for (int i = 0; i < 2; i++) {
        w->reg.plugins[i].desc = descs[i];
        w->reg.plugins[i].is_static = 1;
        w->reg.plugins[i].vtable[RT_KIND_LOGGER] = descs[i]->logger;
    }
    char *env[] = {NULL};
    if (rt_settings_load(&w->settings, w->path, env, err) != RATCHET_OK)
        fail_msg("settings: %s", err->msg);
    if (rt_instances_resolve(&w->set, &w->settings, &w->reg, err) != RATCHET_OK)
        fail_msg("resolve: %s", err->msg);
    return rt_instances_start(&w->set, err);
}

static void world_close(world *w)
{
    rt_instances_shutdown(&w->set);
    rt_instances_free(&w->set);
    rt_settings_free(&w->settings);
    free(w->reg.plugins);
    w->reg.plugins = NULL;
    w->reg.count = 0;
    rt_registry_free(&w->reg);
    unlink(w->path);
}

static const char *const yaml_drop =
    "logging: {level: trace}\n"
    "instances:\n"
    "  - {name: fast, plugin: logger-buffered,\n"
    "     options: {inner: sink, capacity: 16, batch: 4, flush_interval: 10ms}}\n"
    "  - {name: sink, plugin: capture}\n";

static void wait_in_log(void)
{
    pthread_mutex_lock(&cap.mu);
    while (!cap.in_log)
        pthread_cond_wait(&cap.cv, &cap.mu);
    pthread_mutex_unlock(&cap.mu);
}

static void release(void)
{
    pthread_mutex_lock(&cap.mu);
    cap.hold = 0;
    pthread_cond_broadcast(&cap.cv);
    pthread_mutex_unlock(&cap.mu);
}

static void events_reach_the_inner_logger_once(void **state)
{
    (void)state;
    world w;
    rt_error err;
    assert_int_equal(world_open(&w, yaml_drop, &err), RATCHET_OK);
    rt_log_set_level(RATCHET_LOG_INFO); /* not the host's debug lines about instances */
    for (int i = 0; i < 10; i++)
        rt_log(RATCHET_LOG_INFO, "line %d", i);
    rt_log_flush(); /* drains the ring and flushes the wrapped logger */
    pthread_mutex_lock(&cap.mu);
    int count = cap.count, flushes = cap.flushes;
    char last[256];
    snprintf(last, sizeof last, "%s", cap.last);
    pthread_mutex_unlock(&cap.mu);
    /* Exactly once each: the host does not also send them to the wrapped instance. */
    assert_int_equal(count, 10);
    assert_string_equal(last, "line 9");
    assert_true(flushes >= 1);
    world_close(&w);
}

static void drop_oldest_counts_and_reports(void **state)
{
    (void)state;
    world w;
    rt_error err;
    assert_int_equal(world_open(&w, yaml_drop, &err), RATCHET_OK);
    rt_log_set_level(RATCHET_LOG_INFO);
    pthread_mutex_lock(&cap.mu);
    cap.hold = 1;
    pthread_mutex_unlock(&cap.mu);
    rt_log(RATCHET_LOG_WARN, "first"); /* wakes the writer, which then waits inside the sink */
    wait_in_log();
    for (int i = 0; i < 16 + 2 * 16 + 5; i++)
        rt_log(RATCHET_LOG_INFO, "burst %d", i);
    ratchet_buf m = RATCHET_BUF_INIT;
    rt_metrics_write(&m);
    assert_non_null(m.data);
    /* 53 burst events into 16 + 16 slots (one ring queued, the other swapped out but
     * empty while the writer sits in the first event): at least 53 - 32 dropped. */
    double dropped = -1;
    const char *line = strstr(m.data, "ratchet_log_dropped_events_total{instance=\"fast\"} ");
    assert_non_null(line);
    dropped = atof(line + strlen("ratchet_log_dropped_events_total{instance=\"fast\"} "));
    assert_true(dropped >= 53 - 32);
    rt_buf_free(&m);
    release();
    world_close(&w); /* stop: drains what is left and reports the drops */
    assert_non_null(strstr(cap.drop_note, "event(s) dropped: the ring was full"));
    assert_string_equal(cap.last, "burst 52"); /* the newest survive */
    m = (ratchet_buf)RATCHET_BUF_INIT;
    rt_metrics_write(&m);
    assert_null(m.data); /* unregistered at stop */
}

static void block_loses_nothing(void **state)
{
    (void)state;
    world w;
    rt_error err;
    const char *yaml = "instances:\n"
                       "  - {name: sink, plugin: capture}\n"
                       "  - {name: slow, plugin: logger-buffered,\n"
                       "     options: {inner: sink, capacity: 16, when_full: block}}\n";
    assert_int_equal(world_open(&w, yaml, &err), RATCHET_OK);
    rt_log_set_level(RATCHET_LOG_INFO);
    for (int i = 0; i < 1000; i++)
        rt_log(RATCHET_LOG_INFO, "n %d", i);
    world_close(&w);
    assert_int_equal(cap.count, 1000);
    assert_string_equal(cap.drop_note, "");
}

static void start_errors_name_the_place(void **state)
{
    (void)state;
    struct {
        const char *yaml, *want;
    } cases[] = {
        {"instances:\n  - {name: b, plugin: logger-buffered, options: {inner: nope}}\n"
         "  - {name: sink, plugin: capture}\n",
         ".yaml:2:57: no instance named 'nope' (logger instances: sink)"},
        {"instances:\n  - {name: b, plugin: logger-buffered, options: {inner: b}}\n",
         "logger 'b' cannot wrap itself"},
        {"instances:\n  - {name: a, plugin: logger-buffered, options: {inner: b}}\n"
         "  - {name: b, plugin: logger-buffered, options: {inner: a}}\n",
         "cannot wrap the logger that wraps it (a cycle)"},
        {"instances:\n  - {name: sink, plugin: capture}\n"
         "  - {name: a, plugin: logger-buffered, options: {inner: sink}}\n"
         "  - {name: b, plugin: logger-buffered, options: {inner: sink}}\n",
         "logger 'sink' is already wrapped by 'a'"},
        {"instances:\n  - {name: sink, plugin: capture}\n"
         "  - {name: a, plugin: logger-buffered, options: {inner: sink, filter: 'lvl=3'}}\n",
         ":3:71: filter: term 1 'lvl=3': unknown name"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        world w;
        rt_error err;
        assert_int_equal(world_open(&w, cases[i].yaml, &err), RATCHET_ERR);
        if (!strstr(err.msg, cases[i].want))
            fail_msg("case %zu: wanted '%s' in '%s'", i, cases[i].want, err.msg);
        world_close(&w);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ring_copies_and_drops_oldest),
        cmocka_unit_test(events_reach_the_inner_logger_once),
        cmocka_unit_test(drop_oldest_counts_and_reports),
        cmocka_unit_test(block_loses_nothing),
        cmocka_unit_test(start_errors_name_the_place),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
