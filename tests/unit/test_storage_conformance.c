/* tests/unit/test_storage_conformance.c - one suite for every storage plugin: the same cases,
 * through the vtable only, against storage-sqlite and storage-postgres (CTest runs it once per
 * plugin; see conformance_testing.h for the command line). Claim order, leases, idempotency,
 * retries, cancel, requeue, schedules' fire-once, pagination and filters, pruning, execution
 * logs, keys, stats, the JSON shapes, and what holds between two instances on one database
 * (disjoint claims, one requeue, one fire, wake-ups). */
#include "conformance_testing.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the queue ---------------------------------------------------------------------------- */

static void test_claim_order_and_delay(void **state)
{
    (void)state;
    inst in;
    int64_t tv = open_with_task(&in);
    const ratchet_priority prio[] = {RATCHET_PRIORITY_NORMAL, RATCHET_PRIORITY_LOW,
                                     RATCHET_PRIORITY_URGENT, RATCHET_PRIORITY_HIGH,
                                     RATCHET_PRIORITY_NORMAL};
    ratchet_job_submit js[5];
    char inputs[5][32];
    for (int i = 0; i < 5; i++) {
        snprintf(inputs[i], sizeof inputs[i], "{\"n\":%d}", i);
        js[i] = job_spec(tv, inputs[i]);
        js[i].priority = prio[i];
    }
    int64_t ids[5];
    int existed[5];
    assert_int_equal(in.vt->job_submit(in.self, js, 5, ids, existed), RATCHET_OK);
    for (int i = 0; i < 5; i++)
        assert_int_equal(existed[i], 0);

    /* A delayed urgent job does not jump the queue before its time. */
    int64_t now = wall_ms();
    ratchet_job_submit late = job_spec(tv, "{\"late\":true}");
    late.priority = RATCHET_PRIORITY_URGENT;
    late.process_at_ms = now + 60000;
    int64_t late_id = submit(&in, &late, NULL);

    ratchet_claimed_job c[8];
    assert_int_equal(claim(&in, "w1", now, 30000, c, 8), 5);
    int64_t want[] = {ids[2], ids[3], ids[0], ids[4], ids[1]};
    for (int i = 0; i < 5; i++) {
        assert_int_equal(c[i].job_id, want[i]);
        assert_int_equal(c[i].attempt, 1);
        assert_int_equal(c[i].task_version_id, tv);
        assert_true(c[i].execution_id > 0);
        assert_null(c[i].meta_json);
    }
    assert_string_equal(c[0].input_json, "{\"n\":2}");
    claimed_free(c, 5);

    int64_t due = 0;
    assert_int_equal(in.vt->job_next_due(in.self, now, &due), RATCHET_OK);
    assert_int_equal(due, now + 60000);
    assert_int_equal(claim(&in, "w1", now, 30000, c, 8), 0);
    assert_int_equal(claim(&in, "w1", now + 60000, 30000, c, 8), 1);
    assert_int_equal(c[0].job_id, late_id);
    claimed_free(c, 1);
    assert_int_equal(in.vt->job_next_due(in.self, now, &due), RATCHET_OK);
    assert_int_equal(due, 0);

    /* Bad submissions name the item and the problem; nothing of the batch is queued. */
    ratchet_job_submit bad[2] = {job_spec(tv, "{}"), job_spec(tv, "{oops")};
    rt_error_clear();
    assert_int_equal(in.vt->job_submit(in.self, bad, 2, ids, existed), RATCHET_ERR);
    expect_error("job_submit[1]: input_json is not valid JSON");
    bad[1] = job_spec(777777, "{}");
    rt_error_clear();
    assert_int_equal(in.vt->job_submit(in.self, bad, 2, ids, existed), RATCHET_NOTFOUND);
    expect_error("task version 777777 does not exist");
    bad[1] = job_spec(tv, "{}");
    bad[1].schedule_id = 424242;
    rt_error_clear();
    assert_int_equal(in.vt->job_submit(in.self, bad, 2, ids, existed), RATCHET_ERR);
    expect_error("schedule 424242 does not exist");
    bad[1] = job_spec(tv, "{}");
    bad[1].priority = 0;
    assert_int_equal(in.vt->job_submit(in.self, bad, 2, ids, existed), RATCHET_ERR);
    assert_int_equal(list_total(&in, 0, NULL), 6);
    /* meta travels with the claim */
    ratchet_job_submit m = job_spec(tv, "[1,2]");
    m.meta_json = "{\"outputs\":[{\"type\":\"file\"}]}";
    submit(&in, &m, NULL);
    assert_int_equal(claim(&in, "w1", wall_ms(), 30000, c, 8), 1);
    assert_string_equal(c[0].meta_json, "{\"outputs\":[{\"type\":\"file\"}]}");
    assert_string_equal(c[0].input_json, "[1,2]");
    json_object *o = job_json(&in, c[0].job_id);
    assert_true(json_object_get_type(get(o, "traceId")) == json_type_null); /* none in meta */
    json_object_put(o);
    claimed_free(c, 1);
    /* the job's traceId is its meta's (since 1.6), and jobs are found by it */
    m.meta_json = "{\"traceId\":\"4bf92f3577b34da6a3ce929d0e0e4736\",\"queuedAtMs\":1}";
    int64_t traced = submit(&in, &m, NULL);
    o = job_json(&in, traced);
    assert_string_equal(str(o, "traceId"), "4bf92f3577b34da6a3ce929d0e0e4736");
    json_object_put(o);
    assert_int_equal(list_total(&in, 0,
                                "{\"where\":[{\"field\":\"traceId\",\"op\":\"eq\","
                                "\"value\":\"4bf92f3577b34da6a3ce929d0e0e4736\"}]}"),
                     1);
    inst_close(&in);
}

static void test_idempotency(void **state)
{
    (void)state;
    inst in;
    int64_t tv = open_with_task(&in);
    ratchet_job_submit j = job_spec(tv, "{\"a\":1}");
    j.idempotency_key = "order-42";
    int existed = -1;
    int64_t first = submit(&in, &j, &existed);
    assert_int_equal(existed, 0);
    j.input_json = "{\"a\":2}";
    assert_int_equal(submit(&in, &j, &existed), first);
    assert_int_equal(existed, 1);
    /* Twice within one batch: the second is the first. */
    ratchet_job_submit two[2] = {job_spec(tv, "{}"), job_spec(tv, "{}")};
    two[0].idempotency_key = two[1].idempotency_key = "batch-key";
    int64_t ids[2];
    int ex[2];
    assert_int_equal(in.vt->job_submit(in.self, two, 2, ids, ex), RATCHET_OK);
    assert_int_equal(ids[0], ids[1]);
    assert_int_equal(ex[0], 0);
    assert_int_equal(ex[1], 1);
    json_object *job = job_json(&in, first);
    assert_string_equal(str(job, "idempotencyKey"), "order-42");
    assert_int_equal(num(get(job, "input"), "a"), 1);
    json_object_put(job);
    assert_int_equal(list_total(&in, 0, NULL), 2);

    /* A second instance on the same database sees the key too. */
    inst other;
    inst_open(&other, NULL);
    j.input_json = "{\"a\":3}";
    assert_int_equal(submit(&other, &j, &existed), first);
    assert_int_equal(existed, 1);
    inst_close(&other);
    inst_close(&in);
}

static void test_leases(void **state)
{
    (void)state;
    inst in;
    int64_t tv = open_with_task(&in);
    int64_t id = submit_simple(&in, tv, "{}");
    int64_t now = wall_ms();
    ratchet_claimed_job c[2];
    assert_int_equal(claim(&in, "A", now, 30000, c, 2), 1);
    assert_int_equal(claim(&in, "B", now, 30000, c + 1, 1), 0); /* leased */

    ratchet_job_finish f = fin_spec(&c[0], "B", RATCHET_FINISH_COMPLETED);
    f.output_json = "{\"by\":\"B\"}";
    assert_int_equal(finish(&in, &f, 1), 0);
    expect_status(&in, id, "processing");

    /* A heartbeat moves the expiry: not expired at now + 49 s, expired after now + 50 s. */
    assert_int_equal(in.vt->job_renew(in.self, "A", now + 20000, 30000), RATCHET_OK);
    json_object *job = job_json(&in, id);
    assert_string_equal(str(job, "leaseOwner"), "A");
    json_object_put(job);
    size_t n = 99;
    assert_int_equal(in.vt->job_requeue_expired(in.self, now + 49999, &n), RATCHET_OK);
    assert_int_equal(n, 0);

    f.owner = "A";
    f.output_json = "{\"by\":\"A\"}";
    assert_int_equal(finish(&in, &f, 1), 1);
    assert_int_equal(finish(&in, &f, 1), 0); /* only once */
    job = job_json(&in, id);
    assert_string_equal(str(job, "status"), "completed");
    assert_string_equal(str(get(job, "output"), "by"), "A");
    assert_true(is_null(job, "leaseOwner"));
    json_object_put(job);
    claimed_free(c, 1);
    inst_close(&in);
}

static void test_retry_then_fail(void **state)
{
    (void)state;
    inst in;
    int64_t tv = open_with_task(&in);
    ratchet_job_submit j = job_spec(tv, "{}");
    j.max_retries = 1;
    int64_t id = submit(&in, &j, NULL);
    int64_t now = wall_ms();
    ratchet_claimed_job c[1];
    assert_int_equal(claim(&in, "w", now, 30000, c, 1), 1);
    assert_int_equal(c[0].max_retries, 1);
    assert_int_equal(c[0].retry_base_ms, 1000);
    assert_int_equal(c[0].retry_max_ms, 60000);
    ratchet_job_finish f = fin_spec(&c[0], "w", RATCHET_FINISH_RETRY);
    f.error_json = "{\"name\":\"Error\",\"message\":\"first\"}";
    f.retry_at_ms = now + 5000;
    assert_int_equal(finish(&in, &f, 1), 1);
    int64_t exec1 = c[0].execution_id;
    claimed_free(c, 1);

    json_object *job = job_json(&in, id);
    assert_string_equal(str(job, "status"), "retrying");
    assert_int_equal(num(job, "retryCount"), 0);
    assert_int_equal(num(job, "attempts"), 1);
    assert_string_equal(str(get(job, "error"), "message"), "first");
    json_object_put(job);
    assert_int_equal(claim(&in, "w", now + 4999, 30000, c, 1), 0);
    assert_int_equal(claim(&in, "w", now + 5000, 30000, c, 1), 1);
    assert_int_equal(c[0].attempt, 2);
    assert_true(c[0].execution_id != exec1);
    f = fin_spec(&c[0], "w", RATCHET_FINISH_FAILED);
    f.error_json = "{\"name\":\"Error\",\"message\":\"second\"}";
    assert_int_equal(finish(&in, &f, 1), 1);
    claimed_free(c, 1);

    job = job_json(&in, id);
    assert_string_equal(str(job, "status"), "failed");
    assert_int_equal(num(job, "retryCount"), 1);
    assert_int_equal(num(job, "attempts"), 2);
    assert_string_equal(str(get(job, "error"), "message"), "second");
    assert_non_null(strstr(str(job, "completedAt"), "Z"));
    json_object_put(job);

    /* Both attempts are on record, newest first. */
    ratchet_buf b = RATCHET_BUF_INIT;
    char filter[64];
    snprintf(filter, sizeof filter, "{\"jobId\":%lld}", (long long)id);
    assert_int_equal(in.vt->execution_list(in.self, filter, &b), RATCHET_OK);
    json_object *l = reply(&b);
    assert_int_equal(num(l, "total"), 2);
    json_object *items = get(l, "items");
    assert_int_equal(num(json_object_array_get_idx(items, 0), "attempt"), 2);
    assert_string_equal(str(json_object_array_get_idx(items, 1), "status"), "failed");
    assert_string_equal(str(get(json_object_array_get_idx(items, 1), "error"), "message"), "first");
    json_object_put(l);

    /* A failed job can be retried (counters reset); a queued one cannot. */
    assert_int_equal(in.vt->job_retry(in.self, id, now + 6000, &b), RATCHET_OK);
    job = reply(&b);
    assert_string_equal(str(job, "status"), "queued");
    assert_int_equal(num(job, "attempts"), 0);
    assert_int_equal(num(job, "retryCount"), 0);
    assert_true(is_null(job, "error"));
    json_object_put(job);
    rt_error_clear();
    assert_int_equal(in.vt->job_retry(in.self, id, now, &b), RATCHET_ERR);
    expect_error("is queued; only failed or cancelled jobs can be retried");
    job = reply(&b); /* the job as it stands comes with the refusal */
    assert_string_equal(str(job, "status"), "queued");
    json_object_put(job);
    assert_int_equal(in.vt->job_retry(in.self, 424242, now, &b), RATCHET_NOTFOUND);
    rt_host_api()->buf_free(&b);
    inst_close(&in);
}

static void test_requeue_expired(void **state)
{
    (void)state;
    inst in;
    int64_t tv = open_with_task(&in);
    ratchet_job_submit j = job_spec(tv, "{}");
    j.max_retries = 1;
    int64_t again = submit(&in, &j, NULL);
    j.max_retries = 0;
    int64_t once = submit(&in, &j, NULL);
    int64_t now = wall_ms();
    ratchet_claimed_job c[2];
    assert_int_equal(claim(&in, "dead", now, 100, c, 2), 2);
    size_t n = 99;
    assert_int_equal(in.vt->job_requeue_expired(in.self, now + 50, &n), RATCHET_OK);
    assert_int_equal(n, 0);
    assert_int_equal(in.vt->job_requeue_expired(in.self, now + 200, &n), RATCHET_OK);
    assert_int_equal(n, 2);
    assert_int_equal(in.vt->job_requeue_expired(in.self, now + 300, &n), RATCHET_OK);
    assert_int_equal(n, 0);

    /* The attempt counted: one retry left requeues, none left fails. */
    json_object *job = job_json(&in, again);
    assert_string_equal(str(job, "status"), "queued");
    assert_int_equal(num(job, "attempts"), 1);
    assert_string_equal(str(get(job, "error"), "name"), "LeaseExpired");
    json_object_put(job);
    expect_status(&in, once, "failed");
    ratchet_buf b = RATCHET_BUF_INIT;
    int64_t exec_again = c[0].job_id == again ? c[0].execution_id : c[1].execution_id;
    assert_int_equal(in.vt->execution_get(in.self, exec_again, &b), RATCHET_OK);
    json_object *ex = reply(&b);
    assert_string_equal(str(ex, "status"), "failed");
    assert_non_null(strstr(str(get(ex, "error"), "message"), "lease expired"));
    assert_non_null(strstr(str(get(ex, "error"), "message"), "owner dead"));
    json_object_put(ex);

    /* The dead owner's late finish changes nothing; the new owner's attempt is number 2. */
    ratchet_job_finish f = fin_spec(&c[0], "dead", RATCHET_FINISH_COMPLETED);
    assert_int_equal(finish(&in, &f, 1), 0);
    claimed_free(c, 2);
    assert_int_equal(claim(&in, "alive", now + 300, 30000, c, 2), 1);
    assert_int_equal(c[0].job_id, again);
    assert_int_equal(c[0].attempt, 2);
    f = fin_spec(&c[0], "dead", RATCHET_FINISH_COMPLETED);
    assert_int_equal(finish(&in, &f, 1), 0);
    f.owner = "alive";
    assert_int_equal(finish(&in, &f, 1), 1);
    claimed_free(c, 1);
    inst_close(&in);
}

static void test_cancel(void **state)
{
    (void)state;
    inst in;
    int64_t tv = open_with_task(&in);
    int64_t running = submit_simple(&in, tv, "{}");
    int64_t stopping = submit_simple(&in, tv, "{}");
    int64_t now = wall_ms();
    ratchet_claimed_job c[2];
    assert_int_equal(claim(&in, "w", now, 30000, c, 2), 2);
    int64_t queued = submit_simple(&in, tv, "{}");

    ratchet_buf b = RATCHET_BUF_INIT;
    assert_int_equal(in.vt->job_cancel(in.self, queued, &b), RATCHET_OK);
    json_object *job = reply(&b);
    assert_string_equal(str(job, "status"), "cancelled");
    json_object_put(job);

    assert_int_equal(in.vt->job_cancel(in.self, running, &b), RATCHET_OK);
    job = reply(&b);
    assert_string_equal(str(job, "status"), "processing");
    assert_true(json_object_get_boolean(get(job, "cancelRequested")));
    json_object_put(job);
    assert_int_equal(in.vt->job_cancel(in.self, stopping, &b), RATCHET_OK);
    rt_host_api()->buf_free(&b);
    assert_int_equal(in.vt->job_cancel_requests(in.self, "w", &b), RATCHET_OK);
    json_object *ids = reply(&b);
    assert_int_equal(json_object_array_length(ids), 2);
    assert_int_equal(json_object_get_int64(json_object_array_get_idx(ids, 0)),
                     running < stopping ? running : stopping);
    json_object_put(ids);
    assert_int_equal(in.vt->job_cancel_requests(in.self, "other", &b), RATCHET_OK);
    assert_string_equal(b.data, "[]");
    rt_host_api()->buf_free(&b);

    /* The owner stops one; the other was requeued at shutdown: cancelled either way. */
    ratchet_job_finish f[2] = {fin_spec(&c[0], "w", RATCHET_FINISH_CANCELLED),
                               fin_spec(&c[1], "w", RATCHET_FINISH_REQUEUE)};
    assert_int_equal(finish(&in, f, 2), 2);
    claimed_free(c, 2);
    expect_status(&in, running, "cancelled");
    expect_status(&in, stopping, "cancelled");

    rt_error_clear();
    assert_int_equal(in.vt->job_cancel(in.self, running, &b), RATCHET_ERR);
    expect_error("is already cancelled");
    rt_host_api()->buf_free(&b);
    assert_int_equal(in.vt->job_cancel(in.self, 999999, &b), RATCHET_NOTFOUND);
    expect_error("job 999999 does not exist");

    /* A cancelled job can be retried. */
    assert_int_equal(in.vt->job_retry(in.self, queued, now, &b), RATCHET_OK);
    rt_host_api()->buf_free(&b);
    expect_status(&in, queued, "queued");
    inst_close(&in);
}

static void test_requeue_on_shutdown(void **state)
{
    (void)state;
    inst in;
    int64_t tv = open_with_task(&in);
    int64_t id = submit_simple(&in, tv, "{}");
    int64_t now = wall_ms();
    ratchet_claimed_job c[1];
    assert_int_equal(claim(&in, "w", now, 30000, c, 1), 1);
    ratchet_job_finish f = fin_spec(&c[0], "w", RATCHET_FINISH_REQUEUE);
    assert_int_equal(finish(&in, &f, 1), 1);
    claimed_free(c, 1);
    json_object *job = job_json(&in, id);
    assert_string_equal(str(job, "status"), "queued");
    assert_int_equal(num(job, "attempts"), 0);
    assert_true(is_null(job, "executionId"));
    json_object_put(job);
    assert_int_equal(list_total(&in, 1, NULL), 0); /* the attempt left no record */
    assert_int_equal(claim(&in, "w2", now, 30000, c, 1), 1);
    assert_int_equal(c[0].attempt, 1);
    claimed_free(c, 1);
    inst_close(&in);
}

/* ---- schedules and deliveries --------------------------------------------------------------- */

static void test_schedules(void **state)
{
    (void)state;
    inst in;
    inst_open(&in, NULL);
    int64_t tv = sync_task(&in, "heartbeat", "1.0.0", "c");
    int64_t id = 0, id2 = 0;
    const char *doc = "{\"name\":\"beat\",\"taskName\":\"heartbeat\",\"taskVersion\":null,"
                      "\"cron\":\"0 */5 * * * *\",\"timezone\":\"Europe/Paris\","
                      "\"input\":{\"x\":1},\"enabled\":true,\"catchUp\":\"skip\","
                      "\"nextRunAt\":\"2030-01-01T00:05:00.000Z\",\"meta\":{\"k\":\"v\"}}";
    assert_int_equal(in.vt->schedule_add(in.self, doc, &id), RATCHET_OK);
    assert_true(id > 0);
    rt_error_clear();
    assert_int_equal(in.vt->schedule_add(in.self, doc, &id2), RATCHET_ERR);
    expect_error("a schedule named 'beat' already exists");
    assert_int_equal(in.vt->schedule_add(in.self,
                                         "{\"name\":\"x\",\"taskName\":\"heartbeat\","
                                         "\"cron\":\"* * * * * *\",\"catchUp\":\"all\"}",
                                         &id2),
                     RATCHET_ERR);
    expect_error("\"catchUp\" must be \"once\" or \"skip\"");
    assert_int_equal(in.vt->schedule_add(in.self,
                                         "{\"name\":\"B2\",\"taskName\":\"heartbeat\","
                                         "\"cron\":\"* * * * * *\",\"nextRunAt\":"
                                         "\"2030-01-01T02:00:00+01:00\"}",
                                         &id2),
                     RATCHET_OK);

    /* ordered by name in byte order ("B2" < "beat") */
    ratchet_buf b = RATCHET_BUF_INIT;
    assert_int_equal(in.vt->schedule_list(in.self, &b), RATCHET_OK);
    json_object *l = reply(&b);
    assert_int_equal(json_object_array_length(l), 2);
    json_object *s = json_object_array_get_idx(l, 0);
    assert_string_equal(str(s, "name"), "B2");
    assert_string_equal(str(s, "nextRunAt"), "2030-01-01T01:00:00.000Z");
    assert_string_equal(str(s, "timezone"), "UTC");
    assert_string_equal(str(s, "catchUp"), "once");
    assert_true(json_object_get_boolean(get(s, "enabled")));
    s = json_object_array_get_idx(l, 1);
    assert_string_equal(str(s, "cron"), "0 */5 * * * *");
    assert_string_equal(str(s, "catchUp"), "skip");
    assert_int_equal(num(get(s, "input"), "x"), 1);
    assert_string_equal(str(get(s, "meta"), "k"), "v");
    assert_true(is_null(s, "taskVersion"));
    assert_true(is_null(s, "lastRunAt"));
    assert_int_equal(num(s, "runCount"), 0);
    json_object_put(l);

    int64_t next = 1893456300000; /* 2030-01-01T00:05:00Z */
    assert_int_equal(in.vt->schedule_due(in.self, next - 1, &b), RATCHET_OK);
    assert_string_equal(b.data, "[]");
    rt_host_api()->buf_free(&b);
    assert_int_equal(in.vt->schedule_due(in.self, next, &b), RATCHET_OK);
    l = reply(&b);
    assert_int_equal(json_object_array_length(l), 1);
    json_object_put(l);

    /* Two coordinators (two instances) fire the same occurrence: one job. */
    inst other;
    inst_open(&other, NULL);
    ratchet_job_submit j = job_spec(tv, "{\"x\":1}");
    int64_t job1 = 0, job2 = -1;
    assert_int_equal(in.vt->schedule_fire(in.self, id, next, next, next + 300000, &j, &job1),
                     RATCHET_OK);
    assert_true(job1 > 0);
    assert_int_equal(other.vt->schedule_fire(other.self, id, next, next, next + 300000, &j, &job2),
                     RATCHET_OK);
    assert_int_equal(job2, 0);
    inst_close(&other);
    assert_int_equal(list_total(&in, 0, NULL), 1);
    json_object *job = job_json(&in, job1);
    assert_int_equal(num(job, "scheduleId"), id);
    json_object_put(job);
    assert_int_equal(in.vt->schedule_list(in.self, &b), RATCHET_OK);
    l = reply(&b);
    s = json_object_array_get_idx(l, 1);
    assert_int_equal(num(s, "runCount"), 1);
    assert_string_equal(str(s, "lastRunAt"), "2030-01-01T00:05:00.000Z");
    assert_string_equal(str(s, "nextRunAt"), "2030-01-01T00:10:00.000Z");
    json_object_put(l);

    /* Disabled: not due, not fired. */
    assert_int_equal(in.vt->schedule_set_enabled(in.self, id, 0, next + 300000), RATCHET_OK);
    assert_int_equal(in.vt->schedule_due(in.self, next + 300000, &b), RATCHET_OK);
    l = reply(&b);
    assert_int_equal(json_object_array_length(l), 0);
    json_object_put(l);
    assert_int_equal(
        in.vt->schedule_fire(in.self, id, next + 300000, next, next + 600000, &j, &job2),
        RATCHET_OK);
    assert_int_equal(job2, 0);
    assert_int_equal(in.vt->schedule_set_enabled(in.self, 999999, 1, 0), RATCHET_NOTFOUND);

    /* Removed: its jobs stay, without the reference. */
    assert_int_equal(in.vt->schedule_remove(in.self, id), RATCHET_OK);
    assert_int_equal(in.vt->schedule_remove(in.self, id), RATCHET_NOTFOUND);
    job = job_json(&in, job1);
    assert_true(is_null(job, "scheduleId"));
    json_object_put(job);
    inst_close(&in);
}

/* Many concurrent fires of one occurrence from two instances: exactly one job. */
typedef struct fire_arg {
    inst *in;
    int64_t id, next, tv;
    int fired;
} fire_arg;

static void *fire_thread(void *p)
{
    fire_arg *a = p;
    for (int i = 0; i < 20; i++) {
        ratchet_job_submit j = job_spec(a->tv, "{}");
        int64_t job = 0;
        if (a->in->vt->schedule_fire(a->in->self, a->id, a->next, a->next, a->next + 60000, &j,
                                     &job) == RATCHET_OK &&
            job > 0)
            a->fired++;
    }
    return NULL;
}

static void test_schedule_fire_race(void **state)
{
    (void)state;
    inst a, b;
    inst_open(&a, NULL);
    inst_open(&b, NULL);
    int64_t tv = sync_task(&a, "t", "1.0.0", "c");
    int64_t id = 0;
    assert_int_equal(a.vt->schedule_add(a.self,
                                        "{\"name\":\"race\",\"taskName\":\"t\",\"cron\":"
                                        "\"* * * * *\",\"nextRunAt\":60000}",
                                        &id),
                     RATCHET_OK);
    fire_arg fa = {&a, id, 60000, tv, 0}, fb = {&b, id, 60000, tv, 0};
    pthread_t t1, t2;
    pthread_create(&t1, NULL, fire_thread, &fa);
    pthread_create(&t2, NULL, fire_thread, &fb);
    pthread_join(t1, NULL);
    pthread_join(t2, NULL);
    assert_int_equal(fa.fired + fb.fired, 1);
    assert_int_equal(list_total(&a, 0, NULL), 1);
    inst_close(&b);
    inst_close(&a);
}

static void test_schedule_update(void **state)
{
    (void)state;
    inst in;
    inst_open(&in, NULL);
    int64_t id = 0;
    assert_int_equal(in.vt->schedule_add(in.self,
                                         "{\"name\":\"nightly\",\"taskName\":\"t\",\"cron\":"
                                         "\"0 3 * * *\",\"input\":{\"a\":1},\"meta\":{\"m\":1},"
                                         "\"taskVersion\":\"1.0.0\",\"nextRunAt\":1000}",
                                         &id),
                     RATCHET_OK);
    assert_int_equal(
        in.vt->schedule_update(in.self, id, "{\"cron\":\"*/5 * * * *\"}", INT64_C(1767225600000)),
        RATCHET_OK);
    ratchet_buf b = RATCHET_BUF_INIT;
    assert_int_equal(in.vt->schedule_list(in.self, &b), RATCHET_OK);
    json_object *l = reply(&b);
    json_object *s = json_object_array_get_idx(l, 0);
    assert_string_equal(str(s, "cron"), "*/5 * * * *");
    assert_string_equal(str(s, "taskVersion"), "1.0.0");
    assert_int_equal(num(get(s, "meta"), "m"), 1);
    assert_string_equal(str(s, "nextRunAt"), "2026-01-01T00:00:00.000Z");
    assert_string_equal(str(s, "timezone"), "UTC"); /* a patch changes what it names only */
    json_object_put(l);
    assert_int_equal(in.vt->schedule_update(in.self, id,
                                            "{\"timezone\":\"Europe/Paris\",\"input\":{\"b\":2},"
                                            "\"enabled\":false,\"catchUp\":\"skip\",\"meta\":null,"
                                            "\"taskVersion\":null}",
                                            0),
                     RATCHET_OK);
    assert_int_equal(in.vt->schedule_list(in.self, &b), RATCHET_OK);
    l = reply(&b);
    s = json_object_array_get_idx(l, 0);
    assert_string_equal(str(s, "timezone"), "Europe/Paris");
    assert_int_equal(num(get(s, "input"), "b"), 2);
    assert_false(json_object_get_boolean(get(s, "enabled")));
    assert_string_equal(str(s, "catchUp"), "skip");
    assert_true(is_null(s, "meta"));
    assert_true(is_null(s, "taskVersion"));
    assert_true(is_null(s, "nextRunAt"));
    json_object_put(l);
    rt_error_clear();
    assert_int_equal(in.vt->schedule_update(in.self, id, "{\"catchUp\":\"all\"}", 0), RATCHET_ERR);
    expect_error("schedule patch: \"catchUp\" must be \"once\" or \"skip\", not 'all'");
    assert_int_equal(in.vt->schedule_update(in.self, id, "{\"meta\":[1]}", 0), RATCHET_ERR);
    expect_error("schedule patch: \"meta\" must be an object");
    assert_int_equal(in.vt->schedule_update(in.self, 999999, "{}", 0), RATCHET_NOTFOUND);
    expect_error("schedule 999999 does not exist");
    inst_close(&in);
}

static void test_delivery_record(void **state)
{
    (void)state;
    inst in;
    int64_t tv = open_with_task(&in);
    int64_t id = submit_simple(&in, tv, "{}");
    char doc[256];
    snprintf(doc, sizeof doc,
             "{\"jobId\":%lld,\"executionId\":null,\"destinationType\":\"webhook\","
             "\"destination\":\"http://example.invalid/hook\",\"success\":true,\"attempts\":2,"
             "\"durationMs\":15,\"responseStatus\":200,\"error\":null}",
             (long long)id);
    assert_int_equal(in.vt->delivery_record(in.self, doc), RATCHET_OK);
    rt_error_clear();
    assert_int_equal(in.vt->delivery_record(in.self, "{\"jobId\":999999,\"destinationType\":"
                                                     "\"file\",\"success\":false}"),
                     RATCHET_NOTFOUND);
    expect_error("job 999999");
    assert_int_equal(in.vt->delivery_record(in.self, "{\"destinationType\":\"file\"}"),
                     RATCHET_ERR);
    expect_error("\"jobId\" must be given");
    inst_close(&in);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s PLUGIN.so OPTIONS-TEMPLATE\n", argv[0]);
        return 2;
    }
    conf_load(argv[1], argv[2]);
#define T(f) cmocka_unit_test_setup_teardown(f, conf_setup, conf_teardown)
    struct CMUnitTest tests[64] = {
        T(test_claim_order_and_delay), T(test_idempotency),     T(test_leases),
        T(test_retry_then_fail),       T(test_requeue_expired), T(test_cancel),
        T(test_requeue_on_shutdown),   T(test_schedules),       T(test_schedule_fire_race),
        T(test_schedule_update),       T(test_delivery_record),
    };
#undef T
    size_t n = 11;
    n += conformance_lists(tests + n, 64 - n);
    n += conformance_more(tests + n, 64 - n);
    n += conformance_logs(tests + n, 64 - n);
    if (conf_is("storage-postgres"))
        n += conformance_postgres(tests + n, 64 - n);
    return _cmocka_run_group_tests(conf_desc->name, tests, n, NULL, NULL);
}
