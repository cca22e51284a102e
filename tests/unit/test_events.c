/* tests/unit/test_events.c - the event hub behind ratchet.engine's subscribe() (events.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <json-c/json.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "events.h"

/* A clock the tests move by hand (expiry). */
static int64_t fake_now = 1000000;
static int64_t fake_clock(void)
{
    return fake_now;
}

#define MAX_SEEN 2048

typedef struct seen {
    uint64_t seqs[MAX_SEEN];
    char last[256];
    size_t n;
    size_t stop_after; /* return 1 after this many; 0: never */
    int out_of_order;
} seen;

static int collect(void *user, uint64_t seq, const char *json)
{
    seen *s = user;
    if (s->n > 0 && seq <= s->seqs[(s->n - 1) % MAX_SEEN])
        s->out_of_order = 1;
    s->seqs[s->n % MAX_SEEN] = seq;
    s->n++;
    snprintf(s->last, sizeof s->last, "%s", json);
    return s->stop_after && s->n >= s->stop_after;
}

static void publish_n(rt_events *h, int64_t job, int64_t exec, int n)
{
    for (int i = 0; i < n; i++) {
        char json[64];
        snprintf(json, sizeof json, "{\"type\":\"log\",\"jobId\":%lld,\"i\":%d}", (long long)job,
                 i);
        assert_true(rt_events_publish(h, job, exec, 0, json) > 0);
    }
}

static void test_replay_and_after_seq(void **state)
{
    (void)state;
    rt_events *h = rt_events_new(0, fake_clock);
    publish_n(h, 1, 10, 3); /* seq 1..3 */
    publish_n(h, 2, 20, 2); /* seq 4..5 */
    seen a = {0}, b = {0}, c = {0};
    ratchet_engine_sub *sa = rt_events_subscribe(h, 1, 0, 0, collect, &a);
    assert_int_equal(a.n, 3);
    assert_int_equal(a.seqs[0], 1);
    assert_int_equal(a.seqs[2], 3);
    ratchet_engine_sub *sb = rt_events_subscribe(h, 0, 0, 2, collect, &b);
    assert_int_equal(b.n, 3);
    assert_int_equal(b.seqs[0], 3);
    assert_int_equal(b.seqs[2], 5);
    ratchet_engine_sub *sc = rt_events_subscribe(h, 0, 20, 0, collect, &c);
    assert_int_equal(c.n, 2);
    assert_int_equal(c.seqs[0], 4);
    /* live: each sees only its job / execution */
    publish_n(h, 2, 20, 1); /* seq 6 */
    assert_int_equal(a.n, 3);
    assert_int_equal(b.n, 4);
    assert_int_equal(c.n, 3);
    assert_int_equal(c.seqs[2], 6);
    assert_string_equal(c.last, "{\"type\":\"log\",\"jobId\":2,\"i\":0}");
    publish_n(h, 1, 11, 1); /* seq 7 */
    assert_int_equal(a.n, 4);
    assert_int_equal(a.seqs[3], 7);
    assert_int_equal(c.n, 3);
    assert_false(a.out_of_order || b.out_of_order || c.out_of_order);
    rt_events_unsubscribe(sa);
    rt_events_unsubscribe(sb);
    rt_events_unsubscribe(sc);
    rt_events_free(h);
}

static void test_end_by_return_value(void **state)
{
    (void)state;
    rt_events *h = rt_events_new(0, fake_clock);
    publish_n(h, 5, 0, 2);
    seen a = {.stop_after = 3};
    ratchet_engine_sub *sa = rt_events_subscribe(h, 5, 0, 0, collect, &a);
    assert_int_equal(a.n, 2);
    publish_n(h, 5, 0, 4);
    assert_int_equal(a.n, 3); /* the third answered 1: nothing more */
    rt_events_unsubscribe(sa);
    /* ended during replay: no live calls either */
    seen b = {.stop_after = 1};
    ratchet_engine_sub *sb = rt_events_subscribe(h, 5, 0, 0, collect, &b);
    assert_int_equal(b.n, 1);
    publish_n(h, 5, 0, 1);
    assert_int_equal(b.n, 1);
    rt_events_unsubscribe(sb);
    rt_events_free(h);
}

static void test_per_job_cap(void **state)
{
    (void)state;
    rt_events *h = rt_events_new(0, fake_clock);
    publish_n(h, 7, 0, RT_EVENTS_PER_JOB + 5);
    size_t n, bytes;
    rt_events_usage(h, &n, &bytes);
    assert_int_equal(n, RT_EVENTS_PER_JOB);
    seen *a = calloc(1, sizeof *a);
    ratchet_engine_sub *sa = rt_events_subscribe(h, 7, 0, 0, collect, a);
    assert_int_equal(a->n, RT_EVENTS_PER_JOB);
    assert_int_equal(a->seqs[0], 6); /* the five oldest went first */
    rt_events_unsubscribe(sa);
    free(a);
    rt_events_free(h);
}

static void test_expiry_after_final(void **state)
{
    (void)state;
    rt_events *h = rt_events_new(0, fake_clock);
    publish_n(h, 1, 0, 2);
    assert_true(rt_events_publish(h, 1, 9, 1, "{\"type\":\"status\",\"status\":\"completed\"}"));
    publish_n(h, 2, 0, 1); /* not final: kept */
    fake_now += RT_EVENTS_KEEP_MS - 1000;
    publish_n(h, 3, 0, 1);
    size_t n, bytes;
    rt_events_usage(h, &n, &bytes);
    assert_int_equal(n, 5);
    fake_now += 2000;
    publish_n(h, 3, 0, 1);
    rt_events_usage(h, &n, &bytes);
    assert_int_equal(n, 3); /* job 1's three are gone */
    seen a = {0};
    ratchet_engine_sub *sa = rt_events_subscribe(h, 1, 0, 0, collect, &a);
    assert_int_equal(a.n, 0);
    rt_events_unsubscribe(sa);
    rt_events_free(h);
}

static void test_byte_budget(void **state)
{
    (void)state;
    rt_events *h = rt_events_new(8192, fake_clock);
    for (int64_t job = 1; job <= 200; job++)
        publish_n(h, job, 0, 3);
    size_t n, bytes;
    rt_events_usage(h, &n, &bytes);
    assert_true(bytes <= 8192);
    assert_true(n > 10);
    seen a = {0};
    ratchet_engine_sub *sa = rt_events_subscribe(h, 0, 0, 0, collect, &a);
    assert_int_equal(a.n, n);
    assert_int_equal(a.seqs[n - 1], 600); /* the newest are the ones kept */
    rt_events_unsubscribe(sa);
    rt_events_free(h);
}

static void test_queued_time(void **state)
{
    (void)state;
    rt_events *h = rt_events_new(0, fake_clock);
    assert_int_equal(rt_events_queued_ms(h, 4), 0);
    rt_events_publish(h, 4, 0, 0, "{\"type\":\"status\",\"status\":\"queued\"}");
    int64_t at = fake_now;
    fake_now += 50;
    rt_events_publish(h, 4, 1, 0, "{\"type\":\"status\",\"status\":\"running\"}");
    assert_int_equal(rt_events_queued_ms(h, 4), at);
    rt_events_free(h);
}

/* ---- unsubscribe while another thread publishes ------------------------------------------- */

typedef struct publisher {
    rt_events *hub;
    int stop;      /* atomic */
    int published; /* atomic */
} publisher;

static void *publish_loop(void *arg)
{
    publisher *p = arg;
    for (int n = 0; !__atomic_load_n(&p->stop, __ATOMIC_ACQUIRE); n++) {
        publish_n(p->hub, 1 + n % 3, 0, 1);
        __atomic_fetch_add(&p->published, 1, __ATOMIC_RELEASE);
    }
    return NULL;
}

static int bad_calls; /* written on the publisher's thread, read after joining it */

static int64_t mono_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

typedef struct counted {
    int magic;
    size_t n;
    uint64_t last;
    int out_of_order;
} counted;

static int count_event(void *user, uint64_t seq, const char *json)
{
    counted *c = user;
    /* Runs on the publisher's thread: no cmocka assert here. A call after unsubscribe()
     * returned reads freed memory (ASan) or a cleared magic. */
    if (c->magic != 0x5eed || !strstr(json, "\"type\":\"log\"")) {
        bad_calls++;
        return 1;
    }
    if (seq <= c->last)
        c->out_of_order = 1;
    c->last = seq;
    c->n++;
    return 0;
}

static void test_unsubscribe_while_publishing(void **state)
{
    (void)state;
    rt_events *h = rt_events_new(64 * 1024, NULL);
    publisher p = {h, 0, 0};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, publish_loop, &p), 0);
    size_t delivered = 0;
    /* At least 2000 rounds, and on until the publisher has been busy alongside (a slow start
     * of its thread, e.g. under ASan, must not leave the race untested). */
    int64_t until = mono_now() + 20000;
    for (int i = 0; i < 2000 ||
                    (__atomic_load_n(&p.published, __ATOMIC_ACQUIRE) < 20000 && mono_now() < until);
         i++) {
        counted *c = calloc(1, sizeof *c);
        c->magic = 0x5eed;
        ratchet_engine_sub *s = rt_events_subscribe(h, i % 4, 0, 0, count_event, c);
        assert_non_null(s);
        rt_events_unsubscribe(s);
        assert_false(c->out_of_order);
        delivered += c->n;
        c->magic = 0; /* any later call would fail the magic check */
        free(c);
    }
    /* Momentary subscriptions may all fall between two events; one held until an event has
     * arrived (with a deadline) shows delivery works while the publisher runs. */
    counted *held = calloc(1, sizeof *held);
    held->magic = 0x5eed;
    ratchet_engine_sub *s = rt_events_subscribe(h, 0, 0, 0, count_event, held);
    assert_non_null(s);
    int64_t deadline = mono_now() + 10000;
    while (__atomic_load_n(&held->n, __ATOMIC_ACQUIRE) == 0 && mono_now() < deadline)
        sched_yield();
    rt_events_unsubscribe(s);
    delivered += held->n;
    free(held);
    __atomic_store_n(&p.stop, 1, __ATOMIC_RELEASE);
    pthread_join(t, NULL);
    assert_true(p.published >= 20000);
    assert_true(delivered > 0);
    assert_int_equal(bad_calls, 0);
    rt_events_free(h);
}

/* ---- the current hub and the engine's emit functions -------------------------------------- */

static void test_emit_status_shape(void **state)
{
    (void)state;
    rt_events *h = rt_events_new(0, NULL);
    seen a = {0};
    rt_events_emit_status(3, 0, "addition", "queued", 0, NULL, NULL); /* no hub: dropped */
    rt_events_set_current(h);
    ratchet_engine_sub *sa = rt_events_subscribe(h, 3, 0, 0, collect, &a);
    rt_events_emit_status(3, 8, "addition", "completed", 1, "{\"sum\":3}", NULL);
    assert_int_equal(a.n, 1);
    struct json_object *o = json_tokener_parse(a.last), *v;
    assert_non_null(o);
    assert_true(json_object_object_get_ex(o, "type", &v));
    assert_string_equal(json_object_get_string(v), "status");
    assert_true(json_object_object_get_ex(o, "executionId", &v));
    assert_int_equal(json_object_get_int64(v), 8);
    assert_true(json_object_object_get_ex(o, "final", &v));
    assert_true(json_object_get_boolean(v));
    assert_true(json_object_object_get_ex(o, "output", &v));
    assert_string_equal(json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN), "{\"sum\":3}");
    assert_true(json_object_object_get_ex(o, "time", &v));
    assert_int_equal(strlen(json_object_get_string(v)), 24);
    json_object_put(o);
    struct json_object *lines = json_tokener_parse(
        "[{\"level\":\"info\",\"message\":\"a\"},{\"level\":\"warn\",\"message\":\"b\"}]");
    rt_events_emit_logs(3, 8, lines);
    json_object_put(lines);
    assert_int_equal(a.n, 3);
    assert_non_null(strstr(a.last, "\"level\":\"warn\",\"message\":\"b\""));
    rt_events_set_current(NULL);
    rt_events_unsubscribe(sa);
    rt_events_free(h);
}

/* The hold-back: while an API thread is between storing a job and publishing its "queued",
 * another thread's event of a job under way (job 6: queued) passes at once; one of a job the
 * hub does not know yet (job 5) waits, and comes after the "queued" published meanwhile. */
typedef struct engine_side {
    pthread_mutex_t mu;
    int step; /* 1: job 6's event published; 2: job 5's */
} engine_side;

static void *engine_thread(void *arg)
{
    engine_side *e = arg;
    rt_events_emit_status(6, 60, "t", "running", 1, NULL, NULL);
    pthread_mutex_lock(&e->mu);
    e->step = 1;
    pthread_mutex_unlock(&e->mu);
    rt_events_emit_status(5, 50, "t", "running", 1, NULL, NULL);
    pthread_mutex_lock(&e->mu);
    e->step = 2;
    pthread_mutex_unlock(&e->mu);
    return NULL;
}

static int engine_step(engine_side *e)
{
    pthread_mutex_lock(&e->mu);
    int step = e->step;
    pthread_mutex_unlock(&e->mu);
    return step;
}

static void test_hold_back_per_job(void **state)
{
    (void)state;
    rt_events *h = rt_events_new(0, NULL);
    rt_events_set_current(h);
    rt_events_emit_status(6, 0, "t", "queued", 0, NULL, NULL);
    seen five = {0};
    ratchet_engine_sub *s5 = rt_events_subscribe(h, 5, 0, 0, collect, &five);
    engine_side e = {PTHREAD_MUTEX_INITIALIZER, 0};
    rt_events_lock_emits(); /* "storing job 5" */
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, engine_thread, &e), 0);
    struct timespec tick = {0, 1000000};
    for (int i = 0; i < 5000 && engine_step(&e) < 1; i++)
        nanosleep(&tick, NULL);
    assert_int_equal(engine_step(&e), 1); /* job 6 was not held back */
    assert_int_equal(five.n, 0);          /* job 5's event waits */
    rt_events_emit_status(5, 0, "t", "queued", 0, NULL, NULL); /* this thread's pass */
    rt_events_unlock_emits();
    assert_int_equal(pthread_join(t, NULL), 0);
    assert_int_equal(engine_step(&e), 2);
    assert_int_equal(five.n, 2);
    assert_non_null(strstr(five.last, "\"status\":\"running\"")); /* after "queued" */
    rt_events_set_current(NULL);
    rt_events_unsubscribe(s5);
    rt_events_free(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_replay_and_after_seq),
        cmocka_unit_test(test_end_by_return_value),
        cmocka_unit_test(test_per_job_cap),
        cmocka_unit_test(test_expiry_after_final),
        cmocka_unit_test(test_byte_budget),
        cmocka_unit_test(test_queued_time),
        cmocka_unit_test(test_unsubscribe_while_publishing),
        cmocka_unit_test(test_emit_status_shape),
        cmocka_unit_test(test_hold_back_per_job),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
