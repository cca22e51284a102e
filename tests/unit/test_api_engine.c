/* tests/unit/test_api_engine.c - ratchet.engine with a running engine and real workers: the
 * events a job produces (queued, running, log, completed, in seq order, the final one after
 * the outcome is recorded), the worker pool, readiness, draining and the metrics the engine
 * keeps. The workers are this test binary started as `<test> worker N` (the pool execs
 * /proc/self/exe), loading the executor from the build's plugin directory. */
#include "sqlite_testing.h"

#include <signal.h>

#include "api.h"
#include "app.h"
#include "engine.h"
#include "store.h"
#include "worker.h"

#define DEADLINE_MS 20000
#define STOP_SIGNAL SIGUSR2

/* ---- events, collected on the engine's threads --------------------------------------------- */

typedef struct collector {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    json_object *events; /* [{seq, event}] */
} collector;

static int collect(void *user, uint64_t seq, const char *json)
{
    collector *c = user;
    json_object *e = json_object_new_object();
    json_object_object_add(e, "seq", json_object_new_int64((int64_t)seq));
    json_object_object_add(e, "event", json_tokener_parse(json));
    pthread_mutex_lock(&c->lock);
    json_object_array_add(c->events, e);
    pthread_cond_broadcast(&c->changed);
    pthread_mutex_unlock(&c->lock);
    return 0;
}

/* The first collected event of job `job` with status `status` (NULL: none before the
 * deadline), as a new reference. */
static json_object *wait_status(collector *c, int64_t job, const char *status)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += DEADLINE_MS / 1000;
    json_object *found = NULL;
    pthread_mutex_lock(&c->lock);
    for (;;) {
        for (size_t i = 0; !found && i < json_object_array_length(c->events); i++) {
            json_object *e = get(json_object_array_get_idx(c->events, i), "event");
            json_object *st;
            if (num(e, "jobId") == job && json_object_object_get_ex(e, "status", &st) &&
                strcmp(json_object_get_string(st), status) == 0)
                found = json_object_get(e);
        }
        if (found || pthread_cond_timedwait(&c->changed, &c->lock, &until) != 0)
            break;
    }
    pthread_mutex_unlock(&c->lock);
    return found;
}

/* The seq of job `job`'s first status event `status` (0: none). */
static int64_t status_seq(collector *c, int64_t job, const char *status)
{
    int64_t seq = 0;
    pthread_mutex_lock(&c->lock);
    for (size_t i = 0; !seq && i < json_object_array_length(c->events); i++) {
        json_object *rec = json_object_array_get_idx(c->events, i), *st;
        json_object *e = get(rec, "event");
        if (num(e, "jobId") == job && json_object_object_get_ex(e, "status", &st) &&
            strcmp(json_object_get_string(st), status) == 0)
            seq = num(rec, "seq");
    }
    pthread_mutex_unlock(&c->lock);
    return seq;
}

/* Events of `job` of `type`, counted; and whether all came in increasing seq order. */
static size_t count_type(collector *c, int64_t job, const char *type, int *ordered)
{
    size_t n = 0;
    int64_t last = 0;
    *ordered = 1;
    pthread_mutex_lock(&c->lock);
    for (size_t i = 0; i < json_object_array_length(c->events); i++) {
        json_object *rec = json_object_array_get_idx(c->events, i);
        *ordered &= num(rec, "seq") > last;
        last = num(rec, "seq");
        json_object *e = get(rec, "event");
        if (num(e, "jobId") == job && strcmp(str(e, "type"), type) == 0)
            n++;
    }
    pthread_mutex_unlock(&c->lock);
    return n;
}

/* ---- the engine on a thread ------------------------------------------------------------------ */

typedef struct running {
    rt_engine *engine;
    sigset_t stop;
    pthread_t thread;
} running;

static void *engine_thread(void *arg)
{
    running *r = arg;
    rt_engine_run(r->engine, &r->stop);
    return NULL;
}

/* Wait (with a deadline) until ready() says `want`. */
static void wait_ready(const ratchet_engine_api *eng, int want)
{
    int64_t until = mono_ms() + DEADLINE_MS;
    while (eng->ready() != want && mono_ms() < until) {
        struct timespec tick = {0, 20 * 1000 * 1000}; /* polling a condition, with a deadline */
        nanosleep(&tick, NULL);
    }
    assert_int_equal(eng->ready(), want);
}

static json_object *call_ok(ratchet_status rc, ratchet_buf *out)
{
    if (rc != RATCHET_OK)
        fail_msg("call failed: %s", out->data ? out->data : "");
    return reply(out);
}

static int64_t api_submit(const ratchet_engine_api *eng, const char *request)
{
    ratchet_buf out = RATCHET_BUF_INIT;
    json_object *job = call_ok(eng->job_submit(request, &out), &out);
    int64_t id = num(job, "id");
    json_object_put(job);
    return id;
}

static void check_job_events(const ratchet_engine_api *eng, collector *c)
{
    ratchet_buf out = RATCHET_BUF_INIT;
    int64_t id = api_submit(eng, "{\"taskName\":\"addition\",\"input\":{\"num1\":1,\"num2\":2}}");
    json_object *done = wait_status(c, id, "completed");
    assert_non_null(done);
    assert_true(json_object_get_boolean(get(done, "final")));
    assert_int_equal(num(get(done, "output"), "sum"), 3);
    assert_int_equal(num(done, "attempt"), 1);
    /* published after the outcome was recorded: the job reads as completed */
    json_object *job = call_ok(eng->job_get(id, &out), &out);
    assert_string_equal(str(job, "status"), "completed");
    json_object_put(job);
    json_object *run = wait_status(c, id, "running");
    assert_non_null(run);
    assert_int_equal(num(run, "executionId"), num(done, "executionId"));
    assert_string_equal(str(run, "taskName"), "addition");
    json_object_put(run);
    json_object_put(done);
    json_object *queued = wait_status(c, id, "queued");
    assert_non_null(queued);
    json_object_put(queued);

    id = api_submit(eng,
                    "{\"taskName\":\"streaming-example\",\"input\":{\"steps\":3,\"delay\":100}}");
    done = wait_status(c, id, "completed");
    assert_non_null(done);
    json_object_put(done);
    int ordered;
    assert_true(count_type(c, id, "log", &ordered) >= 3);
    assert_true(ordered);
    /* "queued" (the API) always before "running" (the engine), for both jobs */
    for (int64_t k = id - 1; k <= id; k++) {
        assert_true(status_seq(c, k, "queued") > 0);
        assert_true(status_seq(c, k, "queued") < status_seq(c, k, "running"));
        assert_true(status_seq(c, k, "running") < status_seq(c, k, "completed"));
    }
}

/* Wait (with a deadline) until no worker is still starting: both start at once, but the two
 * jobs can be done before the slower one has said it is ready. */
static void wait_workers_started(const ratchet_engine_api *eng)
{
    int64_t until = mono_ms() + DEADLINE_MS;
    for (;;) {
        ratchet_buf out = RATCHET_BUF_INIT;
        json_object *workers = call_ok(eng->workers_list(&out), &out);
        size_t starting = 0;
        for (size_t i = 0; i < json_object_array_length(workers); i++)
            starting +=
                strcmp(str(json_object_array_get_idx(workers, i), "state"), "starting") == 0;
        json_object_put(workers);
        if (starting == 0 || mono_ms() >= until)
            return;
        struct timespec tick = {0, 20 * 1000 * 1000}; /* polling a condition, with a deadline */
        nanosleep(&tick, NULL);
    }
}

static void check_pool_and_metrics(const ratchet_engine_api *eng)
{
    ratchet_buf out = RATCHET_BUF_INIT;
    wait_workers_started(eng);
    json_object *workers = call_ok(eng->workers_list(&out), &out);
    assert_int_equal(json_object_array_length(workers), 2);
    int64_t jobs = 0;
    for (size_t i = 0; i < 2; i++) {
        json_object *w = json_object_array_get_idx(workers, i);
        assert_true(num(w, "pid") > 0);
        jobs += num(w, "jobsRun");
        assert_true(strcmp(str(w, "state"), "idle") == 0 || strcmp(str(w, "state"), "busy") == 0);
    }
    assert_int_equal(jobs, 2);
    json_object_put(workers);
    json_object *s = call_ok(eng->stats("workers", &out), &out);
    assert_int_equal(num(s, "totalWorkers"), 2);
    assert_int_equal(num(s, "jobsRun"), 2);
    json_object_put(s);
    json_object *h = call_ok(eng->health(&out), &out);
    assert_string_equal(str(h, "status"), "healthy");
    json_object_put(h);
    assert_int_equal(eng->metrics(&out), RATCHET_OK);
    if (!strstr(out.data, "ratchet_queue_wait_seconds_count 2\n"))
        fputs(out.data, stderr);
    assert_non_null(strstr(out.data, "ratchet_execution_duration_seconds_count 2\n"));
    assert_non_null(strstr(out.data, "ratchet_queue_wait_seconds_count 2\n"));
    assert_non_null(strstr(out.data, "ratchet_jobs{status=\"completed\"} 2\n"));
    assert_non_null(strstr(out.data, "ratchet_ready 1\n"));
    rt_buf_free(&out);
}

static void test_engine_events_workers_metrics(void **state)
{
    (void)state;
    setup_dir(state);
    inst db;
    inst_open(&db, NULL);
    rt_app app;
    memset(&app, 0, sizeof app);
    app.task_sources[app.ntask_sources++] = RATCHET_SAMPLE_DIR;
    app.workers = 2;
    assert_int_equal(rt_app_load_settings(&app), RT_EXIT_OK);
    rt_store st = {.vt = db.vt, .inst = db.self, .started = 1};
    assert_int_equal(rt_store_sync_tasks(&app, &st, NULL), RT_EXIT_OK);
    char *argv[] = {"test_api_engine", "worker", NULL};
    rt_error err;
    running r;
    r.engine = rt_engine_new(&app, &st, argv, &err);
    assert_non_null(r.engine);
    rt_api *api = rt_api_new(&app, &st, r.engine, &err);
    assert_int_equal(rt_api_publish(api, 1, &err), RATCHET_OK);
    const ratchet_engine_api *eng = rt_api_table();
    sigemptyset(&r.stop);
    sigaddset(&r.stop, STOP_SIGNAL);
    pthread_sigmask(SIG_BLOCK, &r.stop, NULL);
    assert_int_equal(pthread_create(&r.thread, NULL, engine_thread, &r), 0);
    wait_ready(eng, 1);

    collector c = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, json_object_new_array()};
    ratchet_engine_sub *sub = eng->subscribe(0, 0, 0, collect, &c);
    check_job_events(eng, &c);
    check_pool_and_metrics(eng);

    pthread_kill(r.thread, STOP_SIGNAL);
    pthread_join(r.thread, NULL);
    assert_int_equal(eng->ready(), 0); /* draining */
    ratchet_buf out = RATCHET_BUF_INIT;
    json_object *info = call_ok(eng->info(&out), &out);
    assert_string_equal(str(info, "status"), "draining");
    json_object_put(info);
    eng->unsubscribe(sub);
    json_object_put(c.events);
    rt_api_free(api);
    rt_engine_free(r.engine);
    inst_close(&db, 1);
    rt_app_free(&app);
    teardown_dir(state);
}

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "worker") == 0) {
        rt_app app;
        memset(&app, 0, sizeof app);
        app.plugin_dirs[app.nplugin_dirs++] = RATCHET_BUILD_PLUGIN_DIR;
        int rc = rt_worker_main(&app, argc - 1, argv + 1);
        rt_app_free(&app);
        return rc;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_engine_events_workers_metrics),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
