/* tests/unit/test_log_store.c - the server's log events into storage (engine/log_store.c):
 * batches reach log_append; a storage that stalls never holds up whoever logs (the ring fills,
 * new events are dropped and counted); at stop what the ring holds is written. */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "log.h"
#include "log_store.h"

/* A storage whose log_append counts events and can be held shut. */
static pthread_mutex_t gate_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gate_cv = PTHREAD_COND_INITIALIZER;
static int gate_shut, inside, appended, calls;
static char last_message[256];

static ratchet_status fake_append(void *instance, const char *events_json, int64_t max_rows)
{
    (void)instance;
    struct json_object *a = json_tokener_parse(events_json);
    pthread_mutex_lock(&gate_lock);
    inside = 1;
    pthread_cond_broadcast(&gate_cv);
    while (gate_shut)
        pthread_cond_wait(&gate_cv, &gate_lock);
    inside = 0;
    size_t n = json_object_array_length(a);
    appended += (int)n;
    calls++;
    struct json_object *last = n ? json_object_array_get_idx(a, n - 1) : NULL, *m = NULL;
    if (json_object_object_get_ex(last, "message", &m))
        snprintf(last_message, sizeof last_message, "%s", json_object_get_string(m));
    assert_int_equal(max_rows, RT_LOG_STORE_MAX_ROWS);
    pthread_mutex_unlock(&gate_lock);
    json_object_put(a);
    return RATCHET_OK;
}

static ratchet_storage_vtable fake_vt;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Wait (bounded) until the writer is inside log_append. */
static int wait_inside(double seconds)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += (time_t)seconds;
    pthread_mutex_lock(&gate_lock);
    int rc = 0;
    while (!inside && rc == 0)
        rc = pthread_cond_timedwait(&gate_cv, &gate_lock, &until);
    int in = inside;
    pthread_mutex_unlock(&gate_lock);
    return in;
}

static void open_gate(void)
{
    pthread_mutex_lock(&gate_lock);
    gate_shut = 0;
    pthread_cond_broadcast(&gate_cv);
    pthread_mutex_unlock(&gate_lock);
}

/* A store on the fake storage, its gate shut or open, the counters at zero. */
static rt_log_store *start_store(int shut)
{
    memset(&fake_vt, 0, sizeof fake_vt);
    fake_vt.abi = (ratchet_abi)RATCHET_ABI_INIT(ratchet_storage_vtable);
    fake_vt.log_append = fake_append;
    gate_shut = shut;
    appended = calls = 0;
    rt_log_set_level(RATCHET_LOG_INFO);
    rt_log_store *ls = rt_log_store_start(&fake_vt, NULL, RATCHET_LOG_INFO);
    assert_non_null(ls);
    return ls;
}

static void test_stalled_storage_drops_and_counts(void **state)
{
    (void)state;
    rt_log_store *ls = start_store(1);
    rt_log(RATCHET_LOG_DEBUG, "below the level: not kept");
    rt_log(RATCHET_LOG_INFO, "first");
    assert_true(wait_inside(10)); /* the writer took it and is stuck in the storage */
    /* Twice the ring's worth while the storage is stuck: nobody waits, the rest is dropped. */
    int total = 2 * RT_LOG_STORE_RING;
    double t0 = now_s();
    for (int i = 0; i < total; i++)
        rt_log(RATCHET_LOG_WARN, "event %d", i);
    double took = now_s() - t0;
    uint64_t dropped = rt_log_store_dropped(ls);
    assert_true(dropped >= (uint64_t)(total - RT_LOG_STORE_RING));
    assert_true(took < 5.0); /* generous: the point is that no call waited on the storage */
    open_gate();
    rt_log_store_stop(ls);
    /* Everything not dropped arrived: "first" and the events the ring held. */
    assert_int_equal((uint64_t)appended, 1 + (uint64_t)total - dropped);
    assert_true(calls >= 1 + (int)(RT_LOG_STORE_RING / RT_LOG_STORE_BATCH));
    assert_string_equal(last_message, "event 4095");
}

/* Log `message` from the http instance with `fields` (rt_log_emit takes a va_list). */
static void log_http(const ratchet_log_field *fields, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    rt_log_emit("http", "http", RATCHET_LOG_INFO, fields, n, fmt, ap);
    va_end(ap);
}

/* The http plugin's access log (request_id and duration_ms) stays out of the store; its other
 * lines, with a request id too, are kept. */
static void test_access_lines_not_kept(void **state)
{
    (void)state;
    rt_log_store *ls = start_store(0);
    const ratchet_log_field access[] = {
        {"request_id", "abc"}, {"method", "GET"}, {"status", "200"}, {"duration_ms", "0.071"}};
    const ratchet_log_field handler[] = {{"request_id", "abc"}, {"route", "/health"}};
    log_http(access, 4, "%s", "GET /health 200 0.071 ms");
    log_http(handler, 2, "%s", "a handler's line");
    rt_log_store_stop(ls);
    assert_int_equal(appended, 1);
    assert_string_equal(last_message, "a handler's line");
}

static ratchet_storage_vtable old_vt;

static void test_old_storage_keeps_nothing(void **state)
{
    (void)state;
    memset(&old_vt, 0, sizeof old_vt);
    old_vt.abi = (ratchet_abi)RATCHET_ABI_INIT(ratchet_storage_vtable);
    old_vt.abi.struct_size = (uint32_t)offsetof(ratchet_storage_vtable, log_append);
    assert_null(rt_log_store_start(&old_vt, NULL, RATCHET_LOG_INFO));
    rt_log_store_stop(NULL);
    assert_int_equal(rt_log_store_dropped(NULL), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stalled_storage_drops_and_counts),
        cmocka_unit_test(test_old_storage_keeps_nothing),
        cmocka_unit_test(test_access_lines_not_kept),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
