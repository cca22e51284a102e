/* tests/unit/test_storage_sqlite_jobs.c - the storage-sqlite plugin: the life of jobs (claim order,
 * idempotency, leases, retries, requeue, cancel), schedules, delivery records, pruning. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>
#include <sqlite3.h>

#include "hostapi.h"
#include "options.h"
#include "plugin_harness.h"
#include "rt_yaml.h"

#include <ratchet/plugin.h>

#include "sqlite_testing.h"

static char *job_status(inst *in, int64_t id)
{
    json_object *j = job_json(in, id);
    char *s = strdup(str(j, "status"));
    json_object_put(j);
    return s;
}

static void expect_status(inst *in, int64_t id, const char *want)
{
    char *s = job_status(in, id);
    if (strcmp(s, want) != 0)
        fail_msg("job %lld: status %s, expected %s", (long long)id, s, want);
    free(s);
}

/* ---- queue ------------------------------------------------------------------------------ */

static void test_claim_order_and_delay(void **state)
{
    (void)state;
    inst in;
    inst_open(&in, NULL);
    int64_t tv = sync_task(&in, "t", "1.0.0", "c");
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

    /* One delayed urgent job must not jump the queue before its time. */
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
    bad[1] = job_spec(777, "{}");
    rt_error_clear();
    assert_int_equal(in.vt->job_submit(in.self, bad, 2, ids, existed), RATCHET_NOTFOUND);
    expect_error("task version 777 does not exist");
    bad[1] = job_spec(tv, "{}");
    bad[1].priority = 0;
    assert_int_equal(in.vt->job_submit(in.self, bad, 2, ids, existed), RATCHET_ERR);
    assert_int_equal(sql_int("SELECT count(*) FROM jobs"), 6);
    inst_close(&in, 1);
}

static void test_idempotency(void **state)
{
    (void)state;
    inst in;
    inst_open(&in, NULL);
    int64_t tv = sync_task(&in, "t", "1.0.0", "c");
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
    assert_int_equal(sql_int("SELECT count(*) FROM jobs"), 2);
    inst_close(&in, 1);
}

static void test_leases(void **state)
{
    (void)state;
    inst in;
    inst_open(&in, NULL);
    int64_t tv = sync_task(&in, "t", "1.0.0", "c");
    int64_t id = submit_simple(&in, tv, "{}");
    int64_t now = wall_ms();
    ratchet_claimed_job c[2];
    assert_int_equal(claim(&in, "A", now, 30000, c, 2), 1);
    assert_int_equal(claim(&in, "B", now, 30000, c + 1, 1), 0); /* leased */

    ratchet_job_finish f = fin_spec(&c[0], "B", RATCHET_FINISH_COMPLETED);
    f.output_json = "{\"by\":\"B\"}";
    assert_int_equal(finish(&in, &f, 1), 0);
    expect_status(&in, id, "processing");

    assert_int_equal(in.vt->job_renew(in.self, "A", now + 20000, 30000), RATCHET_OK);
    json_object *job = job_json(&in, id);
    assert_string_equal(str(job, "leaseOwner"), "A");
    json_object_put(job);
    assert_int_equal(sql_int("SELECT lease_until - started_at FROM jobs"), 50000);

    f.owner = "A";
    f.output_json = "{\"by\":\"A\"}";
    assert_int_equal(finish(&in, &f, 1), 1);
    assert_int_equal(finish(&in, &f, 1), 0); /* only once */
    job = job_json(&in, id);
    assert_string_equal(str(job, "status"), "completed");
    assert_string_equal(str(get(job, "output"), "by"), "A");
    assert_true(json_object_get_type(get(job, "leaseOwner")) == json_type_null);
    json_object_put(job);
    claimed_free(c, 1);
    inst_close(&in, 1);
}

static void test_retry_then_fail(void **state)
{
    (void)state;
    inst in;
    inst_open(&in, NULL);
    int64_t tv = sync_task(&in, "t", "1.0.0", "c");
    ratchet_job_submit j = job_spec(tv, "{}");
    j.max_retries = 1;
    int64_t id = submit(&in, &j, NULL);
    int64_t now = wall_ms();
    ratchet_claimed_job c[1];
    assert_int_equal(claim(&in, "w", now, 30000, c, 1), 1);
    assert_int_equal(c[0].max_retries, 1);
    assert_int_equal(c[0].retry_base_ms, 1000);
    ratchet_job_finish f = fin_spec(&c[0], "w", RATCHET_FINISH_RETRY);
    f.error_json = "{\"name\":\"Error\",\"message\":\"first\"}";
    f.retry_at_ms = now + 5000;
    assert_int_equal(finish(&in, &f, 1), 1);
    int64_t exec1 = c[0].execution_id;
    claimed_free(c, 1);

    json_object *job = job_json(&in, id);
    assert_string_equal(str(job, "status"), "retrying");
    assert_int_equal(num(job, "retryCount"), 0); /* the retry has not run yet */
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
    assert_int_equal(num(job, "retryCount"), 1); /* retried once: two runs */
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
    assert_true(json_object_get_type(get(job, "error")) == json_type_null);
    json_object_put(job);
    rt_error_clear();
    assert_int_equal(in.vt->job_retry(in.self, id, now, &b), RATCHET_ERR);
    expect_error("is queued; only failed or cancelled jobs can be retried");
    rt_host_api()->buf_free(&b);
    assert_int_equal(in.vt->job_retry(in.self, 4242, now, &b), RATCHET_NOTFOUND);
    inst_close(&in, 1);
}

static void test_requeue_expired(void **state)
{
    (void)state;
    inst in;
    inst_open(&in, NULL);
    int64_t tv = sync_task(&in, "t", "1.0.0", "c");
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

    /* The attempt counted: one retry left requeues, none left fails. */
    json_object *job = job_json(&in, again);
    assert_string_equal(str(job, "status"), "queued");
    assert_int_equal(num(job, "attempts"), 1);
    assert_string_equal(str(get(job, "error"), "name"), "LeaseExpired");
    json_object_put(job);
    job = job_json(&in, once);
    assert_string_equal(str(job, "status"), "failed");
    json_object_put(job);
    ratchet_buf b = RATCHET_BUF_INIT;
    assert_int_equal(in.vt->execution_get(in.self, c[0].execution_id, &b), RATCHET_OK);
    json_object *ex = reply(&b);
    assert_string_equal(str(ex, "status"), "failed");
    assert_non_null(strstr(str(get(ex, "error"), "message"), "lease expired"));
    json_object_put(ex);

    /* The dead owner's late finish changes nothing; the new owner's attempt is number 2. */
    ratchet_job_finish f = fin_spec(&c[0], "dead", RATCHET_FINISH_COMPLETED);
    assert_int_equal(finish(&in, &f, 1), 0);
    claimed_free(c, 2);
    assert_int_equal(claim(&in, "alive", now + 300, 30000, c, 2), 1);
    assert_int_equal(c[0].job_id, again);
    assert_int_equal(c[0].attempt, 2);
    f = fin_spec(&c[0], "dead", RATCHET_FINISH_COMPLETED);
    assert_int_equal(finish(&in, &f, 1), 0); /* same job, old owner */
    f.owner = "alive";
    assert_int_equal(finish(&in, &f, 1), 1);
    claimed_free(c, 1);
    inst_close(&in, 1);
}

static void test_cancel(void **state)
{
    (void)state;
    inst in;
    inst_open(&in, NULL);
    int64_t tv = sync_task(&in, "t", "1.0.0", "c");
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
    assert_int_equal(json_object_get_int64(json_object_array_get_idx(ids, 0)), running);
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
    expect_error("job");
    expect_error("is already cancelled");
    rt_host_api()->buf_free(&b);
    assert_int_equal(in.vt->job_cancel(in.self, 999, &b), RATCHET_NOTFOUND);

    /* A cancelled job can be retried. */
    assert_int_equal(in.vt->job_retry(in.self, queued, now, &b), RATCHET_OK);
    rt_host_api()->buf_free(&b);
    expect_status(&in, queued, "queued");
    inst_close(&in, 1);
}

static void test_requeue_on_shutdown(void **state)
{
    (void)state;
    inst in;
    inst_open(&in, NULL);
    int64_t tv = sync_task(&in, "t", "1.0.0", "c");
    int64_t id = submit_simple(&in, tv, "{}");
    int64_t now = wall_ms();
    ratchet_claimed_job c[1];
    assert_int_equal(claim(&in, "w", now, 30000, c, 1), 1);
    ratchet_job_finish f = fin_spec(&c[0], "w", RATCHET_FINISH_REQUEUE);
    assert_int_equal(finish(&in, &f, 1), 1);
    claimed_free(c, 1);
    json_object *job = job_json(&in, id);
    assert_string_equal(str(job, "status"), "queued");
    assert_int_equal(num(job, "attempts"), 0); /* not run, not counted */
    assert_true(json_object_get_type(get(job, "executionId")) == json_type_null);
    json_object_put(job);
    assert_int_equal(sql_int("SELECT count(*) FROM executions"), 0);
    assert_int_equal(claim(&in, "w2", now, 30000, c, 1), 1);
    assert_int_equal(c[0].attempt, 1);
    claimed_free(c, 1);
    inst_close(&in, 1);
}

/* ---- schedules and deliveries ------------------------------------------------------------ */

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
                                         "{\"name\":\"x\",\"taskName\":\"heartbeat\","
                                         "\"cron\":\"* * * * * *\",\"nextRunAt\":"
                                         "\"tomorrow\"}",
                                         &id2),
                     RATCHET_ERR);
    expect_error("\"nextRunAt\" must be an RFC 3339 time");
    assert_int_equal(in.vt->schedule_add(in.self,
                                         "{\"name\":\"b2\",\"taskName\":\"heartbeat\","
                                         "\"cron\":\"* * * * * *\",\"nextRunAt\":"
                                         "\"2030-01-01T02:00:00+01:00\"}",
                                         &id2),
                     RATCHET_OK);

    ratchet_buf b = RATCHET_BUF_INIT;
    assert_int_equal(in.vt->schedule_list(in.self, &b), RATCHET_OK);
    json_object *l = reply(&b);
    assert_int_equal(json_object_array_length(l), 2);
    json_object *s = json_object_array_get_idx(l, 0);
    assert_string_equal(str(s, "name"), "b2");
    assert_string_equal(str(s, "nextRunAt"), "2030-01-01T01:00:00.000Z");
    assert_string_equal(str(s, "timezone"), "UTC");
    assert_string_equal(str(s, "catchUp"), "once");
    s = json_object_array_get_idx(l, 1);
    assert_string_equal(str(s, "cron"), "0 */5 * * * *");
    assert_string_equal(str(s, "catchUp"), "skip");
    assert_int_equal(num(get(s, "input"), "x"), 1);
    assert_string_equal(str(get(s, "meta"), "k"), "v");
    assert_true(json_object_get_type(get(s, "taskVersion")) == json_type_null);
    assert_true(json_object_get_type(get(s, "lastRunAt")) == json_type_null);
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

    /* Two coordinators fire the same occurrence: one job. */
    ratchet_job_submit j = job_spec(tv, "{\"x\":1}");
    int64_t job1 = 0, job2 = -1;
    assert_int_equal(in.vt->schedule_fire(in.self, id, next, next, next + 300000, &j, &job1),
                     RATCHET_OK);
    assert_true(job1 > 0);
    assert_int_equal(in.vt->schedule_fire(in.self, id, next, next, next + 300000, &j, &job2),
                     RATCHET_OK);
    assert_int_equal(job2, 0);
    assert_int_equal(sql_int("SELECT count(*) FROM jobs"), 1);
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
    assert_int_equal(json_object_array_length(l), 0); /* b2 is due at 01:00 */
    json_object_put(l);
    assert_int_equal(
        in.vt->schedule_fire(in.self, id, next + 300000, next, next + 600000, &j, &job2),
        RATCHET_OK);
    assert_int_equal(job2, 0);
    assert_int_equal(in.vt->schedule_set_enabled(in.self, 999, 1, 0), RATCHET_NOTFOUND);

    /* Removed: its jobs stay, without the reference. */
    assert_int_equal(in.vt->schedule_remove(in.self, id), RATCHET_OK);
    assert_int_equal(in.vt->schedule_remove(in.self, id), RATCHET_NOTFOUND);
    job = job_json(&in, job1);
    assert_true(json_object_get_type(get(job, "scheduleId")) == json_type_null);
    json_object_put(job);
    inst_close(&in, 1);
}

static void test_delivery_record(void **state)
{
    (void)state;
    inst in;
    inst_open(&in, NULL);
    int64_t tv = sync_task(&in, "t", "1.0.0", "c");
    int64_t id = submit_simple(&in, tv, "{}");
    char doc[256];
    snprintf(doc, sizeof doc,
             "{\"jobId\":%lld,\"executionId\":null,\"destinationType\":\"webhook\","
             "\"destination\":\"http://example.invalid/hook\",\"success\":true,\"attempts\":2,"
             "\"durationMs\":15,\"responseStatus\":200,\"error\":null}",
             (long long)id);
    assert_int_equal(in.vt->delivery_record(in.self, doc), RATCHET_OK);
    assert_int_equal(sql_int("SELECT attempts * 1000 + response_status FROM delivery_results"),
                     2200);
    rt_error_clear();
    assert_int_equal(in.vt->delivery_record(in.self, "{\"jobId\":999,\"destinationType\":\"file\","
                                                     "\"success\":false}"),
                     RATCHET_NOTFOUND);
    expect_error("job 999");
    assert_int_equal(in.vt->delivery_record(in.self, "{\"destinationType\":\"file\"}"),
                     RATCHET_ERR);
    expect_error("\"jobId\" must be given");
    inst_close(&in, 1);
}

/* ---- prune -------------------------------------------------------------------------------- */

static int64_t file_size(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 ? (int64_t)sb.st_size : 0;
}

static void test_prune_shrinks(void **state)
{
    (void)state;
    inst in;
    inst_open(&in, "retention: 1h\n");
    int64_t tv = sync_task(&in, "t", "1.0.0", "c");
    /* {"pad":"xxxx...x"}, about 4 KB */
    char *big = malloc(4096);
    assert_non_null(big);
    snprintf(big, 4096, "{\"pad\":\"%0*d\"}", 3980, 0);
    enum { N = 1000 };
    static ratchet_job_submit js[N];
    static int64_t ids[N];
    for (int i = 0; i < N; i++)
        js[i] = job_spec(tv, big);
    assert_int_equal(in.vt->job_submit(in.self, js, N, ids, NULL), RATCHET_OK);
    int64_t now = wall_ms();
    ratchet_claimed_job c[100];
    ratchet_job_finish f[100];
    for (size_t n; (n = claim(&in, "w", now, 30000, c, 100)) > 0;) {
        for (size_t i = 0; i < n; i++) {
            f[i] = fin_spec(&c[i], "w", RATCHET_FINISH_COMPLETED);
            f[i].output_json = big;
        }
        assert_int_equal(finish(&in, f, n), n);
        claimed_free(c, n);
    }
    free(big);
    int64_t keep = submit_simple(&in, tv, "{}");

    /* prune(0) follows `retention`: an hour has not passed. */
    size_t removed = 99;
    rt_error_clear();
    if (in.vt->prune(in.self, 0, &removed) != RATCHET_OK)
        fail_msg("prune: %s", rt_error_peek());
    assert_int_equal(removed, 0);
    /* The data is in the file or still in the WAL (checkpoints run on their own thread). */
    char wal[700];
    snprintf(wal, sizeof wal, "%s-wal", db_path());
    int64_t before = file_size(db_path()) + file_size(wal);
    assert_true(before > (int64_t)N * 8000);
    assert_int_equal(in.vt->prune(in.self, wall_ms() + 1, &removed), RATCHET_OK);
    assert_int_equal(removed, N);
    int64_t after = file_size(db_path());
    if (after * 10 > before)
        fail_msg("database file %lld -> %lld bytes after prune", (long long)before,
                 (long long)after);
    assert_int_equal(file_size(wal), 0);
    expect_status(&in, keep, "queued"); /* unfinished jobs stay */
    assert_int_equal(sql_int("SELECT count(*) FROM executions"), 0);
    inst_close(&in, 1);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup_dir, teardown_dir)
    const struct CMUnitTest tests[] = {
        T(test_claim_order_and_delay), T(test_idempotency),     T(test_leases),
        T(test_retry_then_fail),       T(test_requeue_expired), T(test_cancel),
        T(test_requeue_on_shutdown),   T(test_schedules),       T(test_delivery_record),
        T(test_prune_shrinks),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
