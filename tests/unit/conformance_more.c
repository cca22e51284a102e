/* tests/unit/conformance_more.c - the storage conformance suite, continued: tasks, API keys,
 * the JSON shapes, and two instances on one database (disjoint claims, one requeue,
 * wake-ups). */
#include "conformance_testing.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- tasks -------------------------------------------------------------------------------- */

static void test_tasks(void **state)
{
    (void)state;
    inst in;
    inst_open(&in, NULL);
    int64_t v1 = sync_task(&in, "a", "1.0.0", "a1");
    int64_t v10 = sync_task(&in, "a", "1.10.0", "a10");
    sync_task(&in, "a", "1.2.0", "a2");
    sync_task(&in, "B", "0.1.0-rc1", "b0");
    assert_int_equal(sync_task(&in, "a", "1.0.0", "a1"), v1); /* the same again */
    int64_t id = 0;
    int created = -1;
    rt_error_clear();
    assert_int_equal(in.vt->task_sync(in.self,
                                      "{\"name\":\"a\",\"version\":\"1.0.0\",\"code\":\"x\","
                                      "\"checksum\":\"zz\"}",
                                      &id, &created),
                     RATCHET_ERR);
    expect_error("task a 1.0.0 is already stored with different content");
    assert_int_equal(in.vt->task_sync(in.self, "{\"name\":\"a\"}", &id, &created), RATCHET_ERR);
    expect_error("\"version\" must be given");

    ratchet_buf b = RATCHET_BUF_INIT;
    json_object *l = tasks_of(&in);
    assert_int_equal(json_object_array_length(l), 2);
    assert_string_equal(str(json_object_array_get_idx(l, 0), "name"), "B"); /* byte order */
    json_object *a = task_named(l, "a");
    assert_string_equal(str(a, "latestVersion"), "1.10.0");
    assert_string_equal(str(a, "description"), "a v1.10.0"); /* the highest version's */
    json_object *vs = get(a, "versions");
    assert_int_equal(json_object_array_length(vs), 3);
    assert_string_equal(str(json_object_array_get_idx(vs, 0), "version"), "1.0.0");
    assert_string_equal(str(json_object_array_get_idx(vs, 1), "version"), "1.2.0");
    assert_string_equal(str(json_object_array_get_idx(vs, 2), "version"), "1.10.0");
    assert_int_equal(num(json_object_array_get_idx(vs, 2), "id"), v10);
    assert_true(json_object_get_boolean(get(a, "enabled")));
    assert_string_equal(str(task_named(l, "B"), "latestVersion"), "0.1.0-rc1");
    json_object_put(l);

    assert_int_equal(in.vt->task_version_get(in.self, v10, &b), RATCHET_OK);
    json_object *v = reply(&b);
    assert_string_equal(str(v, "name"), "a");
    assert_string_equal(str(v, "version"), "1.10.0");
    assert_string_equal(str(v, "checksum"), "a10");
    assert_string_equal(str(get(v, "inputSchema"), "type"), "object");
    assert_true(json_object_get_boolean(get(v, "outputSchema")));
    assert_true(is_null(v, "program"));
    json_object_put(v);
    assert_int_equal(in.vt->task_version_get(in.self, 999999, &b), RATCHET_NOTFOUND);
    expect_error("task version 999999 does not exist");

    /* A compiled program is kept and replaced by a sync that brings another. */
    const char *with_prog = "{\"name\":\"p\",\"version\":\"1.0.0\",\"code\":\"x\",\"checksum\":"
                            "\"p1\",\"program\":{\"compiler\":\"c1\",\"code\":\"y\"}}";
    assert_int_equal(in.vt->task_sync(in.self, with_prog, &id, &created), RATCHET_OK);
    assert_int_equal(created, 1);
    const char *newer = "{\"name\":\"p\",\"version\":\"1.0.0\",\"code\":\"x\",\"checksum\":"
                        "\"p1\",\"program\":{\"compiler\":\"c2\",\"code\":\"z\"}}";
    int64_t id2 = 0;
    assert_int_equal(in.vt->task_sync(in.self, newer, &id2, &created), RATCHET_OK);
    assert_int_equal(id2, id);
    assert_int_equal(created, 0);
    assert_int_equal(in.vt->task_version_get(in.self, id, &b), RATCHET_OK);
    v = reply(&b);
    assert_string_equal(str(get(v, "program"), "compiler"), "c2");
    json_object_put(v);

    /* enabling */
    assert_int_equal(in.vt->task_set_enabled(in.self, "a", 0), RATCHET_OK);
    l = tasks_of(&in);
    assert_false(json_object_get_boolean(get(task_named(l, "a"), "enabled")));
    json_object_put(l);
    assert_int_equal(in.vt->stats(in.self, "tasks", wall_ms(), &b), RATCHET_OK);
    json_object *s = reply(&b);
    assert_int_equal(num(s, "total"), 3);
    assert_int_equal(num(s, "enabled"), 2);
    assert_int_equal(num(s, "versions"), 5);
    json_object_put(s);
    rt_error_clear();
    assert_int_equal(in.vt->task_set_enabled(in.self, "nope", 1), RATCHET_NOTFOUND);
    expect_error("task 'nope' does not exist");

    /* Another instance's changes show at once (a plugin may keep the list between calls). */
    inst other;
    inst_open(&other, NULL);
    assert_int_equal(in.vt->task_list(in.self, &b), RATCHET_OK);
    rt_host_api()->buf_free(&b);
    sync_task(&other, "a", "2.0.0", "a20");
    assert_int_equal(other.vt->task_set_enabled(other.self, "B", 0), RATCHET_OK);
    l = tasks_of(&in);
    assert_string_equal(str(task_named(l, "a"), "latestVersion"), "2.0.0");
    assert_false(json_object_get_boolean(get(task_named(l, "B"), "enabled")));
    json_object_put(l);
    assert_int_equal(in.vt->task_list(in.self, &b), RATCHET_OK); /* unchanged: the same */
    l = reply(&b);
    assert_int_equal(json_object_array_length(get(task_named(l, "a"), "versions")), 4);
    json_object_put(l);
    inst_close(&other);
    inst_close(&in);
}

/* ---- keys --------------------------------------------------------------------------------- */

static char *key_last_used(inst *in, int64_t id)
{
    ratchet_buf b = RATCHET_BUF_INIT;
    assert_int_equal(in->vt->key_list(in->self, &b), RATCHET_OK);
    json_object *l = reply(&b);
    char *out = NULL;
    for (size_t i = 0; i < json_object_array_length(l); i++) {
        json_object *k = json_object_array_get_idx(l, i);
        if (num(k, "id") == id)
            out = is_null(k, "lastUsedAt") ? NULL : strdup(str(k, "lastUsedAt"));
    }
    json_object_put(l);
    return out;
}

static void test_keys(void **state)
{
    (void)state;
    inst in;
    inst_open(&in, NULL);
    int64_t ci = key_create(&in, "ci", "write", hash_of('a'), RATCHET_OK);
    int64_t ops = key_create(&in, "ops", "admin", hash_of('b'), RATCHET_OK);
    assert_true(ci > 0 && ops > ci);
    key_create(&in, "ci", "read", hash_of('c'), RATCHET_ERR);
    expect_error("an API key named 'ci' exists");
    key_create(&in, "other", "read", hash_of('a'), RATCHET_ERR);
    expect_error("an API key with this hash exists");
    key_create(&in, "x", "root", hash_of('d'), RATCHET_ERR);
    expect_error("\"scope\" must be read, write or admin");
    key_create(&in, "x", "read", "abc", RATCHET_ERR);
    expect_error("\"hash\" must be the hex SHA-256");

    ratchet_buf b = RATCHET_BUF_INIT;
    int64_t now = wall_ms();
    assert_null(key_last_used(&in, ci));
    assert_int_equal(in.vt->key_find(in.self, hash_of('a'), now, &b), RATCHET_OK);
    json_object *k = reply(&b);
    assert_int_equal(num(k, "id"), ci);
    assert_string_equal(str(k, "scope"), "write");
    json_object_put(k);
    char *t1 = key_last_used(&in, ci);
    assert_non_null(t1);
    /* within the minute lastUsedAt stays; after it, it moves */
    assert_int_equal(in.vt->key_find(in.self, hash_of('a'), now + 30000, &b), RATCHET_OK);
    rt_host_api()->buf_free(&b);
    char *t2 = key_last_used(&in, ci);
    assert_string_equal(t1, t2);
    assert_int_equal(in.vt->key_find(in.self, hash_of('A'), now + 61000, &b), RATCHET_OK);
    rt_host_api()->buf_free(&b);
    char *t3 = key_last_used(&in, ci);
    assert_string_not_equal(t1, t3);
    free(t1);
    free(t2);
    free(t3);
    assert_int_equal(in.vt->key_find(in.self, hash_of('e'), now, &b), RATCHET_NOTFOUND);

    assert_int_equal(in.vt->key_revoke(in.self, "ci", now), RATCHET_OK);
    assert_int_equal(in.vt->key_find(in.self, hash_of('a'), now, &b), RATCHET_NOTFOUND);
    assert_int_equal(in.vt->key_revoke(in.self, "ci", now), RATCHET_NOTFOUND);
    expect_error("no live API key named or numbered 'ci'");
    char ref[24];
    snprintf(ref, sizeof ref, "%lld", (long long)ops);
    assert_int_equal(in.vt->key_revoke(in.self, ref, now), RATCHET_OK);
    int64_t ci2 = key_create(&in, "ci", "read", hash_of('c'), RATCHET_OK);
    assert_int_equal(in.vt->key_list(in.self, &b), RATCHET_OK);
    json_object *l = reply(&b);
    assert_int_equal(json_object_array_length(l), 3);
    json_object *first = json_object_array_get_idx(l, 0);
    assert_int_equal(num(first, "id"), ci);
    assert_string_equal(str(first, "prefix"), "rk_aaaa");
    assert_false(is_null(first, "revokedAt"));
    json_object *last = json_object_array_get_idx(l, 2);
    assert_int_equal(num(last, "id"), ci2);
    assert_true(is_null(last, "revokedAt"));
    assert_false(json_object_object_get_ex(last, "hash", NULL));
    json_object_put(l);
    inst_close(&in);
}

/* ---- the JSON shapes: the same keys, in the same order, from every plugin ------------------ */

static void expect_keys(json_object *o, const char *want)
{
    char got[1024];
    keys_of(o, got, sizeof got);
    if (strcmp(got, want) != 0)
        fail_msg("keys\n  got  %s\n  want %s", got, want);
}

static void test_json_shapes(void **state)
{
    (void)state;
    inst in;
    ratchet_claimed_job c[1];
    int64_t tv = open_and_claim(&in, c);
    ratchet_job_finish f = fin_spec(&c[0], "w", RATCHET_FINISH_COMPLETED);
    f.logs_json = "[{\"level\":\"info\",\"message\":\"hi\"}]";
    assert_int_equal(finish(&in, &f, 1), 1);
    ratchet_buf b = RATCHET_BUF_INIT;
    json_object *o = job_json(&in, c[0].job_id);
    expect_keys(o, "id,uuid,taskId,taskName,taskVersion,taskVersionId,status,priority,input,"
                   "output,error,retryCount,maxRetries,attempts,idempotencyKey,scheduleId,"
                   "executionId,queuedAt,processAt,startedAt,completedAt,cancelRequested,"
                   "leaseOwner,leaseUntil,meta,traceId");
    assert_string_equal(str(o, "priority"), "normal");
    assert_true(json_object_get_type(get(o, "output")) == json_type_null); /* JSON null output */
    json_object_put(o);
    assert_int_equal(in.vt->execution_get(in.self, c[0].execution_id, &b), RATCHET_OK);
    o = reply(&b);
    expect_keys(o, "id,uuid,jobId,taskId,taskName,taskVersion,status,input,output,error,logs,"
                   "http,startedAt,completedAt,durationMs,attempt,analysis");
    assert_int_equal(num(o, "durationMs"), 7);
    json_object_put(o);
    o = tasks_of(&in);
    json_object *t = json_object_array_get_idx(o, 0);
    expect_keys(t, "id,uuid,name,description,tags,latestVersion,versions,enabled");
    expect_keys(json_object_array_get_idx(get(t, "versions"), 0),
                "id,version,checksum,source,createdAt");
    json_object_put(o);
    assert_int_equal(in.vt->task_version_get(in.self, tv, &b), RATCHET_OK);
    o = reply(&b);
    expect_keys(o, "id,taskId,name,version,uuid,description,code,inputSchema,outputSchema,"
                   "metadata,checksum,source,createdAt,program");
    /* numbers come back as they went in */
    assert_non_null(strstr(json_object_to_json_string(get(o, "metadata")), "1.50"));
    json_object_put(o);
    int64_t sid = 0;
    assert_int_equal(
        in.vt->schedule_add(in.self, "{\"name\":\"s\",\"taskName\":\"t\",\"cron\":\"* * * * *\"}",
                            &sid),
        RATCHET_OK);
    assert_int_equal(in.vt->schedule_list(in.self, &b), RATCHET_OK);
    o = reply(&b);
    expect_keys(json_object_array_get_idx(o, 0),
                "id,uuid,name,taskName,taskVersion,cron,timezone,input,enabled,catchUp,"
                "nextRunAt,lastRunAt,runCount,meta");
    json_object_put(o);
    o = logs_of(&in, c[0].execution_id, NULL);
    expect_keys(o, "items,total");
    expect_keys(item(o, 0), "seq,time,kind,level,message,method,url,status,durationMs");
    json_object_put(o);
    key_create(&in, "k", "read", hash_of('f'), RATCHET_OK);
    assert_int_equal(in.vt->key_list(in.self, &b), RATCHET_OK);
    o = reply(&b);
    expect_keys(json_object_array_get_idx(o, 0),
                "id,name,scope,prefix,createdAt,lastUsedAt,revokedAt");
    json_object_put(o);
    assert_int_equal(in.vt->key_find(in.self, hash_of('f'), wall_ms(), &b), RATCHET_OK);
    o = reply(&b);
    expect_keys(o, "id,name,scope");
    json_object_put(o);
    assert_int_equal(in.vt->stats(in.self, "jobs", wall_ms(), &b), RATCHET_OK);
    o = reply(&b);
    expect_keys(o, "total,byStatus,byPriority,last24h,oldestQueuedAt");
    expect_keys(get(o, "byStatus"), "queued,processing,completed,failed,cancelled,retrying");
    json_object_put(o);
    assert_int_equal(in.vt->stats(in.self, "executions", wall_ms(), &b), RATCHET_OK);
    o = reply(&b);
    expect_keys(o, "total,byStatus,averageDurationMs,last24h");
    json_object_put(o);
    claimed_free(c, 1);
    inst_close(&in);
}

/* ---- two instances on one database -------------------------------------------------------- */

enum { RACE_JOBS = 300 };

typedef struct claimer {
    inst *in;
    const char *owner;
    int64_t got[RACE_JOBS];
    size_t n;
} claimer;

static void *claim_loop(void *p)
{
    claimer *cl = p;
    ratchet_claimed_job c[7];
    for (;;) {
        size_t n = 0;
        if (cl->in->vt->job_claim(cl->in->self, cl->owner, wall_ms(), 60000, c, 7, &n) !=
            RATCHET_OK)
            continue; /* busy: try again */
        if (n == 0)
            break;
        ratchet_job_finish f[7];
        for (size_t i = 0; i < n; i++) {
            if (cl->n < RACE_JOBS)
                cl->got[cl->n++] = c[i].job_id;
            f[i] = fin_spec(&c[i], cl->owner, RATCHET_FINISH_COMPLETED);
        }
        size_t applied = 0;
        while (cl->in->vt->job_finish(cl->in->self, f, n, &applied) != RATCHET_OK)
            ;
        claimed_free(c, n);
    }
    return NULL;
}

static int cmp_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static void test_two_instances_claim(void **state)
{
    (void)state;
    inst a, b;
    inst_open(&a, NULL);
    inst_open(&b, NULL);
    int64_t tv = sync_task(&a, "t", "1.0.0", "c");
    static ratchet_job_submit js[RACE_JOBS];
    static int64_t ids[RACE_JOBS];
    for (int i = 0; i < RACE_JOBS; i++)
        js[i] = job_spec(tv, "{}");
    assert_int_equal(a.vt->job_submit(a.self, js, RACE_JOBS, ids, NULL), RATCHET_OK);
    static claimer ca, cb;
    ca = (claimer){&a, "host-a", {0}, 0};
    cb = (claimer){&b, "host-b", {0}, 0};
    pthread_t ta, tb;
    pthread_create(&ta, NULL, claim_loop, &ca);
    pthread_create(&tb, NULL, claim_loop, &cb);
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    /* every job exactly once */
    assert_int_equal(ca.n + cb.n, RACE_JOBS);
    static int64_t all[RACE_JOBS];
    memcpy(all, ca.got, ca.n * sizeof *all);
    memcpy(all + ca.n, cb.got, cb.n * sizeof *all);
    qsort(all, RACE_JOBS, sizeof *all, cmp_id);
    for (int i = 1; i < RACE_JOBS; i++)
        if (all[i] == all[i - 1])
            fail_msg("job %lld claimed twice", (long long)all[i]);
    assert_int_equal(list_total(&a, 0, "{\"status\":\"completed\"}"), RACE_JOBS);
    assert_int_equal(list_total(&b, 1, NULL), RACE_JOBS); /* one execution each */
    inst_close(&b);
    inst_close(&a);
}

typedef struct requeuer {
    inst *in;
    int64_t now;
    size_t count;
} requeuer;

static void *requeue_thread(void *p)
{
    requeuer *r = p;
    size_t n = 0;
    while (r->in->vt->job_requeue_expired(r->in->self, r->now, &n) != RATCHET_OK)
        ;
    r->count = n;
    return NULL;
}

static void test_two_instances_requeue(void **state)
{
    (void)state;
    inst a, b;
    inst_open(&a, NULL);
    inst_open(&b, NULL);
    int64_t tv = sync_task(&a, "t", "1.0.0", "c");
    static ratchet_job_submit js[50];
    int64_t ids[50];
    for (int i = 0; i < 50; i++) {
        js[i] = job_spec(tv, "{}");
        js[i].max_retries = 3;
    }
    assert_int_equal(a.vt->job_submit(a.self, js, 50, ids, NULL), RATCHET_OK);
    int64_t now = wall_ms();
    ratchet_claimed_job c[50];
    assert_int_equal(claim(&a, "dead", now, 1000, c, 50), 50);
    claimed_free(c, 50);
    requeuer ra = {&a, now + 2000, 0}, rb = {&b, now + 2000, 0};
    pthread_t t1, t2;
    pthread_create(&t1, NULL, requeue_thread, &ra);
    pthread_create(&t2, NULL, requeue_thread, &rb);
    pthread_join(t1, NULL);
    pthread_join(t2, NULL);
    assert_int_equal(ra.count + rb.count, 50);
    assert_int_equal(list_total(&a, 0, "{\"status\":\"queued\"}"), 50);
    assert_int_equal(list_total(&a, 1, "{\"status\":\"failed\"}"), 50);
    assert_int_equal(claim(&b, "alive", now + 2000, 60000, c, 50), 50);
    for (int i = 0; i < 50; i++)
        assert_int_equal(c[i].attempt, 2);
    claimed_free(c, 50);
    inst_close(&b);
    inst_close(&a);
}

/* A late finish racing another instance's requeue of the same expired leases: each job
 * ends with exactly one of the two outcomes. */
typedef struct finisher {
    inst *in;
    ratchet_job_finish *f;
    size_t n, applied;
} finisher;

static void *finish_thread(void *p)
{
    finisher *fi = p;
    for (size_t i = 0; i < fi->n; i++) { /* one by one, interleaving with the requeue */
        size_t a = 0;
        while (fi->in->vt->job_finish(fi->in->self, &fi->f[i], 1, &a) != RATCHET_OK)
            ;
        fi->applied += a;
    }
    return NULL;
}

static void test_finish_races_requeue(void **state)
{
    (void)state;
    enum { N = 60 };
    inst a, b;
    inst_open(&a, NULL);
    inst_open(&b, NULL);
    int64_t tv = sync_task(&a, "t", "1.0.0", "c");
    static ratchet_job_submit js[N];
    int64_t ids[N];
    for (int i = 0; i < N; i++) {
        js[i] = job_spec(tv, "{}");
        js[i].max_retries = 1;
    }
    assert_int_equal(a.vt->job_submit(a.self, js, N, ids, NULL), RATCHET_OK);
    int64_t now = wall_ms();
    static ratchet_claimed_job c[N];
    static ratchet_job_finish f[N];
    assert_int_equal(claim(&a, "slow", now, 1000, c, N), N);
    for (int i = 0; i < N; i++) {
        f[i] = fin_spec(&c[i], "slow", RATCHET_FINISH_COMPLETED);
        f[i].output_json = "{\"late\":true}";
    }
    finisher fi = {&a, f, N, 0};
    requeuer rq = {&b, now + 5000, 0};
    pthread_t t1, t2;
    pthread_create(&t1, NULL, finish_thread, &fi);
    pthread_create(&t2, NULL, requeue_thread, &rq);
    pthread_join(t1, NULL);
    pthread_join(t2, NULL);
    claimed_free(c, N);
    assert_int_equal(fi.applied + rq.count, N);
    assert_int_equal(list_total(&a, 0, "{\"status\":\"completed\"}"), (int64_t)fi.applied);
    assert_int_equal(list_total(&a, 0, "{\"status\":\"queued\"}"), (int64_t)rq.count);
    /* each attempt has one outcome too */
    assert_int_equal(list_total(&a, 1, "{\"status\":\"completed\"}"), (int64_t)fi.applied);
    assert_int_equal(list_total(&a, 1, "{\"status\":\"failed\"}"), (int64_t)rq.count);
    inst_close(&b);
    inst_close(&a);
}

static void test_wait_across_instances(void **state)
{
    (void)state;
    inst a, b;
    inst_open(&a, NULL);
    inst_open(&b, NULL);
    int64_t tv = sync_task(&a, "t", "1.0.0", "c");
    ratchet_claimed_job c[1];
    assert_int_equal(claim(&b, "w", wall_ms(), 60000, c, 1), 0);
    /* Nothing happens: wait() times out. */
    waiter w = {&b, 200, 0, RATCHET_OK};
    wait_thread(&w);
    assert_int_equal(w.st, RATCHET_RETRY);
    assert_true(w.took >= 150);

    /* notify() wakes the other instance too. */
    w = (waiter){&b, 20000, 0, RATCHET_RETRY};
    pthread_t t;
    pthread_create(&t, NULL, wait_thread, &w);
    a.vt->notify(a.self);
    pthread_join(t, NULL);
    assert_int_equal(w.st, RATCHET_OK);
    if (w.took > 5000)
        fail_msg("woken by notify after %lld ms", (long long)w.took);
    /* A submit on the other instance wakes it well before its timeout. */
    w = (waiter){&b, 20000, 0, RATCHET_RETRY};
    pthread_create(&t, NULL, wait_thread, &w);
    submit_simple(&a, tv, "{}");
    pthread_join(t, NULL);
    assert_int_equal(w.st, RATCHET_OK);
    if (w.took > 5000)
        fail_msg("woken after %lld ms", (long long)w.took);
    assert_int_equal(claim(&b, "w", wall_ms(), 60000, c, 1), 1);
    claimed_free(c, 1);

    inst_close(&b);
    inst_close(&a);
}

size_t conformance_more(struct CMUnitTest *out, size_t max)
{
#define T(f) cmocka_unit_test_setup_teardown(f, conf_setup, conf_teardown)
    const struct CMUnitTest tests[] = {
        T(test_tasks),
        T(test_keys),
        T(test_json_shapes),
        T(test_two_instances_claim),
        T(test_two_instances_requeue),
        T(test_finish_races_requeue),
        T(test_wait_across_instances),
    };
#undef T
    return conf_cases(out, max, tests, sizeof tests / sizeof *tests);
}
