/* tests/unit/test_storage_sqlite_api.c - the storage-sqlite calls of ABI 1.4 where SQLite shows:
 * the query form over rows with times set in the file, the bound on execution log rows, stats,
 * enabling tasks, query plans of large queues, the migration of a version-2 file, and the job
 * counts by status (migration 7).
 * What every storage plugin must do is the conformance suite's (test_storage_conformance.c). */
#include "sqlite_testing.h"

/* 2026-01-01T00:00:00Z */
#define T0   INT64_C(1767225600000)
#define HOUR INT64_C(3600000)

/* The list answers exactly `want` ids (n of them, in order) and `total`. */
static void expect_list(inst *in, int execs, const char *query, int64_t total, const int64_t *want,
                        size_t n)
{
    json_object *l = list_of(in, execs, query);
    json_object *items = get(l, "items");
    char got[256] = "";
    size_t len = 0;
    for (size_t i = 0; i < json_object_array_length(items) && len < sizeof got; i++)
        len += (size_t)snprintf(got + len, sizeof got - len, "%s%lld", i ? "," : "",
                                (long long)num(json_object_array_get_idx(items, i), "id"));
    int ok = json_object_array_length(items) == n && num(l, "total") == total;
    for (size_t i = 0; ok && i < n; i++)
        ok = num(json_object_array_get_idx(items, i), "id") == want[i];
    if (!ok)
        fail_msg("%s: got [%s] total %lld", query, got, (long long)num(l, "total"));
    json_object_put(l);
}

#define EXPECT_JOBS(in, q, ...)                                                                    \
    do {                                                                                           \
        const int64_t w_[] = {__VA_ARGS__};                                                        \
        expect_list(in, 0, q, (int64_t)(sizeof w_ / sizeof *w_), w_, sizeof w_ / sizeof *w_);      \
    } while (0)

/* ---- the query form --------------------------------------------------------------------- */

/* Six jobs over three tasks, with statuses, priorities and times set directly. */
/* What the README tells an operator to run after changing jobs' status by hand: job_counts
 * follows the plugin's own changes only. */
#define RECOUNT                                                                                    \
    "UPDATE job_counts SET n = (SELECT count(*) FROM jobs WHERE jobs.status = job_counts.status);"

static void query_fixture(inst *in)
{
    int64_t a = sync_task(in, "alpha_1", "1.0.0", "a");
    int64_t x = sync_task(in, "alphax1", "1.0.0", "x");
    int64_t b = sync_task(in, "Beta%", "1.0.0", "b");
    const int64_t tv[] = {a, x, b, a, x, b};
    const ratchet_priority prio[] = {RATCHET_PRIORITY_NORMAL, RATCHET_PRIORITY_HIGH,
                                     RATCHET_PRIORITY_LOW,    RATCHET_PRIORITY_URGENT,
                                     RATCHET_PRIORITY_NORMAL, RATCHET_PRIORITY_HIGH};
    for (int i = 0; i < 6; i++) {
        ratchet_job_submit j = job_spec(tv[i], "{}");
        j.priority = prio[i];
        assert_int_equal(submit(in, &j, NULL), i + 1);
    }
    char sql[512];
    snprintf(
        sql, sizeof sql,
        "UPDATE jobs SET queued_at = %lld + (id - 1) * %lld;"
        "UPDATE jobs SET status = 'completed', completed_at = queued_at + 5 WHERE id IN (2, 4);"
        "UPDATE jobs SET status = 'failed' WHERE id = 3;"
        "UPDATE jobs SET status = 'cancelled' WHERE id = 5;" RECOUNT,
        (long long)T0, (long long)HOUR);
    sql_exec(sql);
}

static void test_query_ops(void **state)
{
    (void)state;
    inst in;
    inst_open(&in, NULL);
    query_fixture(&in);
#define W(f, op, v) "{\"where\":[{\"field\":\"" f "\",\"op\":\"" op "\",\"value\":" v "}]}"
    /* times and ids over rows with queue times an hour apart (the other ops: the conformance
     * suite's test_query_ops) */
    EXPECT_JOBS(&in, W("queuedAt", "gte", "\"2026-01-01T03:00:00Z\""), 6, 5, 4);
    EXPECT_JOBS(&in, W("queuedAt", "lt", "1767232800000"), 2, 1); /* T0 + 2h in ms */
    EXPECT_JOBS(&in, W("id", "gt", "\"3\""), 6, 5, 4);
    EXPECT_JOBS(&in, W("completedAt", "eq", "null"), 6, 5, 3, 1);
    EXPECT_JOBS(&in, W("completedAt", "ne", "null"), 4, 2);
    expect_list(&in, 0, W("taskName", "eq", "\"x' OR 1=1 --\""), 0, NULL, 0);
    EXPECT_JOBS(&in,
                "{\"where\":[{\"field\":\"status\",\"op\":\"in\",\"value\":[\"completed\","
                "\"queued\"]},{\"field\":\"taskName\",\"value\":\"alpha_1\"}]}",
                4, 1);
#undef W
    inst_close(&in, 1);
}

static void test_query_sort_and_pages(void **state)
{
    (void)state;
    inst in;
    inst_open(&in, NULL);
    query_fixture(&in);
    /* queue times an hour apart (the conformance suite's fixture has one batch, one time) */
    EXPECT_JOBS(&in, "{\"sort\":\"queuedAt\",\"order\":\"ASC\"}", 1, 2, 3, 4, 5, 6);
    const int64_t page[] = {3, 4};
    expect_list(&in, 0, "{\"sort\":\"id\",\"order\":\"asc\",\"limit\":2,\"offset\":2}", 6, page, 2);
    const int64_t last[] = {2};
    expect_list(&in, 0,
                "{\"where\":[{\"field\":\"status\",\"value\":\"completed\"}],\"limit\":1,"
                "\"offset\":1}",
                2, last, 1);
    expect_list(&in, 0, "{\"offset\":6}", 6, NULL, 0);
    inst_close(&in, 1);
}

/* ---- execution logs --------------------------------------------------------------------- */

static void test_logs_bounded(void **state)
{
    (void)state;
    inst in;
    ratchet_claimed_job c[1];
    open_and_claim(&in, c);
    ratchet_buf logs = RATCHET_BUF_INIT;
    rt_host_api()->buf_append(&logs, "[", 1);
    for (int i = 0; i < 10005; i++)
        rt_host_api()->buf_printf(&logs, "%s{\"level\":\"info\",\"message\":\"line %d\"}",
                                  i ? "," : "", i);
    rt_host_api()->buf_append(&logs, "]", 1);
    ratchet_job_finish f = fin_spec(&c[0], "w", RATCHET_FINISH_FAILED);
    f.logs_json = logs.data;
    assert_int_equal(finish(&in, &f, 1), 1);
    rt_host_api()->buf_free(&logs);
    json_object *l = logs_of(&in, c[0].execution_id,
                             "{\"sort\":\"seq\",\"order\":\"desc\","
                             "\"limit\":2}");
    assert_int_equal(num(l, "total"), 10000);
    assert_string_equal(str(item(l, 0), "message"),
                        "6 more lines and fetch calls were not kept (at most 10000)");
    assert_string_equal(str(item(l, 1), "message"), "line 9998");
    json_object_put(l);
    claimed_free(c, 1);
    inst_close(&in, 1);
}

/* ---- tasks, schedules, stats ------------------------------------------------------------ */

static void test_task_set_enabled(void **state)
{
    (void)state;
    inst in;
    inst_open(&in, NULL);
    sync_task(&in, "a", "1.0.0", "a1");
    sync_task(&in, "a", "1.1.0", "a2");
    sync_task(&in, "b", "1.0.0", "b1");
    assert_int_equal(in.vt->task_set_enabled(in.self, "a", 0), RATCHET_OK);
    json_object *l = tasks_of(&in);
    assert_false(json_object_get_boolean(get(task_named(l, "a"), "enabled")));
    assert_true(json_object_get_boolean(get(task_named(l, "b"), "enabled")));
    json_object_put(l);
    json_object *s = stats_of(&in, "tasks", wall_ms());
    assert_int_equal(num(s, "total"), 2);
    assert_int_equal(num(s, "enabled"), 1);
    assert_int_equal(num(s, "versions"), 3);
    json_object_put(s);
    assert_int_equal(in.vt->task_set_enabled(in.self, "a", 1), RATCHET_OK);
    assert_int_equal(sql_int("SELECT enabled FROM tasks WHERE name = 'a'"), 1);
    rt_error_clear();
    assert_int_equal(in.vt->task_set_enabled(in.self, "nope", 1), RATCHET_NOTFOUND);
    expect_error("task 'nope' does not exist");
    inst_close(&in, 1);
}

/* task_list answers from memory while task_changes.seq stands still; a change written by
 * another connection (another process) must show at once. */
static void test_task_list_sees_other_writers(void **state)
{
    (void)state;
    inst in;
    inst_open(&in, NULL);
    sync_task(&in, "a", "1.0.0", "a1");
    json_object *l = tasks_of(&in);
    assert_true(json_object_get_boolean(get(task_named(l, "a"), "enabled")));
    json_object_put(l);
    sql_exec("UPDATE tasks SET enabled = 0 WHERE name = 'a'");
    l = tasks_of(&in);
    assert_false(json_object_get_boolean(get(task_named(l, "a"), "enabled")));
    json_object_put(l);
    sql_exec("INSERT INTO task_versions (task_id, version, code, checksum, created_at) "
             "SELECT id, '2.0.0', 'x', 'a2', 0 FROM tasks WHERE name = 'a'");
    l = tasks_of(&in);
    assert_string_equal(str(task_named(l, "a"), "latestVersion"), "2.0.0");
    json_object_put(l);
    /* Unchanged: the same answer again. */
    l = tasks_of(&in);
    assert_string_equal(str(task_named(l, "a"), "latestVersion"), "2.0.0");
    assert_int_equal(json_object_array_length(get(task_named(l, "a"), "versions")), 2);
    json_object_put(l);
    inst_close(&in, 1);
}

static void test_stats(void **state)
{
    (void)state;
    inst in;
    inst_open(&in, NULL);
    query_fixture(&in);
    int64_t now = T0 + 10 * HOUR;
    json_object *s = stats_of(&in, "jobs", now);
    assert_int_equal(num(s, "total"), 6);
    assert_int_equal(num(get(s, "byStatus"), "queued"), 2);
    assert_int_equal(num(get(s, "byStatus"), "completed"), 2);
    assert_int_equal(num(get(s, "byStatus"), "processing"), 0);
    assert_int_equal(num(get(s, "byPriority"), "high"), 2);
    assert_int_equal(num(get(s, "byPriority"), "urgent"), 1);
    assert_int_equal(num(s, "last24h"), 6);
    assert_string_equal(str(s, "oldestQueuedAt"), "2026-01-01T00:00:00.000Z");
    json_object_put(s);
    s = stats_of(&in, "jobs", now + 48 * HOUR);
    assert_int_equal(num(s, "last24h"), 0);
    json_object_put(s);

    sql_exec("UPDATE jobs SET status = 'completed' WHERE status = 'queued';" RECOUNT);
    s = stats_of(&in, "jobs", now);
    assert_null(get(s, "oldestQueuedAt"));
    json_object_put(s);

    s = stats_of(&in, "executions", now);
    assert_int_equal(num(s, "total"), 0);
    assert_null(get(s, "averageDurationMs"));
    assert_int_equal(num(get(s, "byStatus"), "running"), 0);
    json_object_put(s);

    /* schedules and the unknown resource: the conformance suite's test_stats */
    inst_close(&in, 1);
}

static void test_execution_stats_and_list(void **state)
{
    (void)state;
    inst in;
    int64_t tv = open_with_task(&in);
    int64_t tv2 = sync_task(&in, "u", "1.0.0", "d");
    submit_simple(&in, tv, "{}");
    submit_simple(&in, tv2, "{}");
    submit_simple(&in, tv, "{}");
    ratchet_claimed_job c[3];
    assert_int_equal(claim(&in, "w", wall_ms(), 60000, c, 3), 3);
    ratchet_job_finish f[3];
    for (int i = 0; i < 3; i++) {
        f[i] = fin_spec(&c[i], "w", i == 2 ? RATCHET_FINISH_FAILED : RATCHET_FINISH_COMPLETED);
        f[i].duration_ms = 10 * (i + 1);
    }
    assert_int_equal(finish(&in, f, 3), 3);
    json_object *s = stats_of(&in, "executions", wall_ms());
    assert_int_equal(num(s, "total"), 3);
    assert_int_equal(num(get(s, "byStatus"), "completed"), 2);
    assert_int_equal(num(get(s, "byStatus"), "failed"), 1);
    assert_int_equal(num(s, "averageDurationMs"), 20);
    assert_int_equal(num(s, "last24h"), 3);
    json_object_put(s);

    const int64_t by_duration[] = {c[2].execution_id, c[1].execution_id, c[0].execution_id};
    expect_list(&in, 1, "{\"sort\":\"durationMs\",\"order\":\"desc\"}", 3, by_duration, 3);
    const int64_t of_t[] = {c[2].execution_id, c[0].execution_id};
    expect_list(&in, 1, "{\"where\":[{\"field\":\"taskName\",\"value\":\"t\"}]}", 2, of_t, 2);
    const int64_t slow[] = {c[2].execution_id};
    expect_list(&in, 1, "{\"where\":[{\"field\":\"durationMs\",\"op\":\"gte\",\"value\":25}]}", 1,
                slow, 1);
    char q[128];
    snprintf(q, sizeof q, "{\"jobId\":%lld}", (long long)c[1].job_id);
    const int64_t of_job[] = {c[1].execution_id};
    expect_list(&in, 1, q, 1, of_job, 1);
    claimed_free(c, 3);
    inst_close(&in, 1);
}

/* ---- migration -------------------------------------------------------------------------- */

/* What migrations 7 and 8 leave, dropped to take a file back to version 6 (7 added a third
 * trigger, jobs_count_update, which 8 dropped again). */
#define DROP_MIGRATION_7                                                                           \
    "DROP TRIGGER jobs_count_insert; DROP TRIGGER jobs_count_delete; "                             \
    "DROP TABLE job_counts; DROP INDEX jobs_leased;"

static void test_migrate_from_version_2(void **state)
{
    (void)state;
    inst in;
    int64_t tv = open_with_task(&in);
    int64_t job = submit_simple(&in, tv, "{\"n\":1}");
    inst_close(&in, 1);
    /* Take the file back to what version 2 wrote: without the objects of migrations 3 to 7
     * (7: job_counts, jobs_leased; 6: analysis, server_logs, the log_events view; 5: the
     * jobs' trace_id). */
    sql_exec(DROP_MIGRATION_7);
    sql_exec("DROP VIEW log_events; DROP TABLE server_logs; ALTER TABLE executions DROP COLUMN "
             "analysis; DROP INDEX jobs_trace_id; ALTER TABLE jobs DROP COLUMN trace_id;");
    sql_exec("DROP TABLE execution_logs; DROP TABLE api_keys; DROP INDEX jobs_priority;"
             "DROP INDEX jobs_queued_at; DROP INDEX jobs_completed_at;"
             "DROP INDEX executions_started_at; DROP TABLE task_changes;"
             "DROP TRIGGER tasks_insert_changes; DROP TRIGGER tasks_update_changes;"
             "DROP TRIGGER tasks_delete_changes; DROP TRIGGER task_versions_insert_changes;"
             "DROP TRIGGER task_versions_update_changes;"
             "DROP TRIGGER task_versions_delete_changes; PRAGMA user_version = 2;");
    assert_int_equal(sql_int("SELECT count(*) FROM sqlite_schema WHERE name = 'api_keys'"), 0);

    inst_open(&in, NULL);
    assert_int_equal(sql_int("PRAGMA user_version"), 8);
    assert_int_equal(sql_int("SELECT count(*) FROM sqlite_schema WHERE name IN ('api_keys', "
                             "'execution_logs', 'api_keys_live_name', 'execution_logs_seq', "
                             "'jobs_priority')"),
                     5);
    json_object *j = job_json(&in, job);
    assert_string_equal(str(j, "status"), "queued");
    assert_true(json_object_get_type(get(j, "traceId")) == json_type_null); /* meta has none */
    json_object_put(j);
    key_create(&in, "k", "read", hash_of('f'), RATCHET_OK);
    ratchet_claimed_job c[1];
    assert_int_equal(claim(&in, "w", wall_ms(), 60000, c, 1), 1);
    ratchet_job_finish f = fin_spec(&c[0], "w", RATCHET_FINISH_COMPLETED);
    f.logs_json = "[{\"level\":\"info\",\"message\":\"after migration\"}]";
    assert_int_equal(finish(&in, &f, 1), 1);
    json_object *l = logs_of(&in, c[0].execution_id, NULL);
    assert_string_equal(str(item(l, 0), "message"), "after migration");
    json_object_put(l);
    claimed_free(c, 1);
    inst_close(&in, 1);
}

/* ---- a large queue ---------------------------------------------------------------------- */

static double timed_list(inst *in, const char *query, int64_t want_total)
{
    int64_t t0 = rt_host_api()->monotonic_ns();
    json_object *l = list_of(in, 0, query);
    double ms = (double)(rt_host_api()->monotonic_ns() - t0) / 1e6;
    assert_int_equal(num(l, "total"), want_total);
    assert_int_equal(json_object_array_length(get(l, "items")), 25);
    json_object_put(l);
    return ms;
}

/* The plan of the page subquery walks the status index, not the table. */
static void expect_plan(const char *sql, const char *needle)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    char plan[1024] = "";
    size_t len = 0;
    assert_int_equal(sqlite3_open_v2(db_path(), &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    char eqp[1024];
    snprintf(eqp, sizeof eqp, "EXPLAIN QUERY PLAN %s", sql);
    assert_int_equal(sqlite3_prepare_v2(db, eqp, -1, &st, NULL), SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW && len < sizeof plan)
        len += (size_t)snprintf(plan + len, sizeof plan - len, "%s; ",
                                (const char *)sqlite3_column_text(st, 3));
    sqlite3_finalize(st);
    sqlite3_close(db);
    if (!strstr(plan, needle))
        fail_msg("plan of %s: %s (expected %s)", sql, plan, needle);
}

static void test_large_queue_pages(void **state)
{
    (void)state;
    inst in;
    int64_t tv = open_with_task(&in);
    char sql[1024];
    snprintf(sql, sizeof sql,
             "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000) "
             "INSERT INTO jobs (uuid, task_id, task_version_id, status, priority, input, "
             "queued_at, process_at, completed_at) SELECT 'u' || i, (SELECT task_id FROM "
             "task_versions WHERE id = %lld), %lld, CASE WHEN i %% 10 < 6 THEN 'completed' "
             "WHEN i %% 10 < 8 THEN 'failed' ELSE 'queued' END, 1 + i %% 4, '{}', %lld + i, "
             "%lld + i, CASE WHEN i %% 10 < 8 THEN %lld + i + 5 END FROM n",
             (long long)tv, (long long)tv, (long long)T0, (long long)T0, (long long)T0);
    sql_exec(sql);
    const char *status = "{\"where\":[{\"field\":\"status\",\"op\":\"eq\",\"value\":"
                         "\"completed\"}],\"limit\":25";
    char q1[256], q1000[256];
    snprintf(q1, sizeof q1, "%s}", status);
    snprintf(q1000, sizeof q1000, "%s,\"offset\":24975}", status);
    timed_list(&in, q1, 60000); /* warm the cache */
    double p1 = timed_list(&in, q1, 60000);
    double p1000 = timed_list(&in, q1000, 60000);
    double prio = timed_list(&in,
                             "{\"where\":[{\"field\":\"priority\",\"op\":\"in\",\"value\":"
                             "[\"high\",\"urgent\"]}],\"sort\":\"priority\",\"limit\":25,"
                             "\"offset\":24975}",
                             50000);
    double name = timed_list(&in,
                             "{\"where\":[{\"field\":\"taskName\",\"value\":\"t\"},"
                             "{\"field\":\"status\",\"value\":\"queued\"}],\"limit\":25}",
                             20000);
    ratchet_buf b = RATCHET_BUF_INIT;
    int64_t t0 = rt_host_api()->monotonic_ns();
    assert_int_equal(in.vt->stats(in.self, "jobs", T0 + 200000, &b), RATCHET_OK);
    double stats = (double)(rt_host_api()->monotonic_ns() - t0) / 1e6;
    json_object *s = reply(&b);
    assert_int_equal(num(get(s, "byStatus"), "failed"), 20000);
    json_object_put(s);
    print_message("100,000 jobs: status page 1 %.2f ms, page 1000 %.2f ms; priority page 1000 "
                  "%.2f ms; task+status page 1 %.2f ms; stats %.2f ms\n",
                  p1, p1000, prio, name, stats);
    /* Timings are printed, not asserted (tests/bench is where speed is judged); what keeps a
     * deep page fast is that its id subquery and its count read only the status index. */
    expect_plan("SELECT j.id FROM jobs j WHERE j.status = 'completed' ORDER BY j.id DESC "
                "LIMIT 25 OFFSET 24975",
                "COVERING INDEX jobs_status");
    expect_plan("SELECT count(*) FROM jobs j WHERE j.status = 'completed'",
                "COVERING INDEX jobs_status");
    inst_close(&in, 1);
}

/* ---- job counts (migration 7) ----------------------------------------------------------- */

/* job_counts holds each status's number of rows, and the list totals agree with the rows. */
static void expect_counts(inst *in)
{
    assert_int_equal(sql_int("SELECT count(*) FROM job_counts c WHERE n <> "
                             "(SELECT count(*) FROM jobs j WHERE j.status = c.status)"),
                     0);
    assert_int_equal(sql_int("SELECT count(*) FROM job_counts"), 6);
    assert_int_equal(list_total(in, 0, NULL), sql_int("SELECT count(*) FROM jobs"));
    assert_int_equal(list_total(in, 0, "{\"status\":\"queued\"}"),
                     sql_int("SELECT count(*) FROM jobs WHERE status = 'queued'"));
    assert_int_equal(list_total(in, 0,
                                "{\"where\":[{\"field\":\"status\",\"op\":\"in\",\"value\":"
                                "[\"completed\",\"retrying\"]}]}"),
                     sql_int("SELECT count(*) FROM jobs WHERE status IN ('completed', "
                             "'retrying')"));
    assert_int_equal(list_total(in, 0,
                                "{\"where\":[{\"field\":\"status\",\"op\":\"ne\",\"value\":"
                                "\"cancelled\"}]}"),
                     sql_int("SELECT count(*) FROM jobs WHERE status <> 'cancelled'"));
}

/* Submit, claim, each kind of finish, cancel, retry, requeue of an expired lease and prune
 * each keep the counts. */
static void test_job_counts_follow_every_change(void **state)
{
    (void)state;
    inst in;
    int64_t tv = open_with_task(&in);
    for (int i = 0; i < 8; i++)
        submit_simple(&in, tv, "{}");
    expect_counts(&in);
    ratchet_claimed_job c[6];
    assert_int_equal(claim(&in, "w", wall_ms(), 60000, c, 6), 6);
    expect_counts(&in);
    ratchet_job_finish f[4] = {
        fin_spec(&c[0], "w", RATCHET_FINISH_COMPLETED), fin_spec(&c[1], "w", RATCHET_FINISH_FAILED),
        fin_spec(&c[2], "w", RATCHET_FINISH_RETRY), fin_spec(&c[3], "w", RATCHET_FINISH_REQUEUE)};
    f[2].retry_at_ms = wall_ms() + HOUR;
    assert_int_equal(finish(&in, f, 4), 4);
    expect_counts(&in);
    ratchet_buf b = RATCHET_BUF_INIT;
    assert_int_equal(in.vt->job_cancel(in.self, c[4].job_id, &b), RATCHET_OK); /* running */
    rt_host_api()->buf_free(&b);
    assert_int_equal(in.vt->job_cancel(in.self, 8, &b), RATCHET_OK); /* queued */
    rt_host_api()->buf_free(&b);
    assert_int_equal(in.vt->job_retry(in.self, c[1].job_id, wall_ms(), &b), RATCHET_OK);
    rt_host_api()->buf_free(&b);
    expect_counts(&in);
    size_t n = 0;
    assert_int_equal(in.vt->job_requeue_expired(in.self, wall_ms() + 3600000, &n), RATCHET_OK);
    assert_int_equal(n, 2); /* c[4] (cancel requested) and c[5] */
    expect_counts(&in);
    assert_int_equal(in.vt->prune(in.self, wall_ms() + HOUR, &n), RATCHET_OK);
    assert_true(n >= 2); /* the completed and the cancelled ones */
    expect_counts(&in);
    /* Claims of queued and retrying jobs together; a failed attempt of a job whose cancel was
     * asked for while it ran ends cancelled, not retrying. */
    ratchet_claimed_job d[8];
    size_t got = claim(&in, "w2", wall_ms() + 2 * HOUR, 60000, d, 8);
    assert_true(got >= 2);
    assert_int_equal(sql_int("SELECT count(*) FROM jobs WHERE status = 'retrying'"), 0);
    expect_counts(&in);
    assert_int_equal(in.vt->job_cancel(in.self, d[0].job_id, &b), RATCHET_OK);
    rt_host_api()->buf_free(&b);
    ratchet_job_finish g = fin_spec(&d[0], "w2", RATCHET_FINISH_RETRY);
    g.retry_at_ms = wall_ms() + HOUR;
    assert_int_equal(finish(&in, &g, 1), 1);
    json_object *j = job_json(&in, d[0].job_id);
    assert_string_equal(str(j, "status"), "cancelled");
    json_object_put(j);
    expect_counts(&in);
    claimed_free(d, got);
    claimed_free(c, 6);
    inst_close(&in, 1);
}

/* A total on the status alone is read from job_counts, and so are stats' counts by status;
 * with any other condition, from the rows (a count changed behind the triggers' back shows
 * which one answered). */
static void test_job_counts_serve_status_totals(void **state)
{
    (void)state;
    inst in;
    int64_t tv = open_with_task(&in);
    for (int i = 0; i < 3; i++)
        submit_simple(&in, tv, "{}");
    sql_exec("UPDATE job_counts SET n = n + 1000 WHERE status = 'queued'");
    assert_int_equal(list_total(&in, 0, NULL), 1003);
    assert_int_equal(list_total(&in, 0, "{\"status\":\"queued\"}"), 1003);
    assert_int_equal(list_total(&in, 0,
                                "{\"where\":[{\"field\":\"status\",\"value\":\"queued\"},"
                                "{\"field\":\"taskName\",\"value\":\"t\"}]}"),
                     3);
    assert_int_equal(
        list_total(&in, 0, "{\"where\":[{\"field\":\"id\",\"op\":\"gt\",\"value\":1}]}"), 2);
    json_object *st = stats_of(&in, "jobs", wall_ms()); /* stats count by status there too */
    assert_int_equal(num(get(st, "byStatus"), "queued"), 1003);
    json_object_put(st);
    inst_close(&in, 1);
}

/* A version-6 file with jobs in every state gets counts that match them. */
static void test_migrate_from_version_6_counts_jobs(void **state)
{
    (void)state;
    inst in;
    int64_t tv = open_with_task(&in);
    for (int i = 0; i < 5; i++)
        submit_simple(&in, tv, "{}");
    ratchet_claimed_job c[2];
    assert_int_equal(claim(&in, "w", wall_ms(), 60000, c, 2), 2);
    ratchet_job_finish f = fin_spec(&c[0], "w", RATCHET_FINISH_COMPLETED);
    assert_int_equal(finish(&in, &f, 1), 1);
    claimed_free(c, 2);
    inst_close(&in, 1);
    sql_exec(DROP_MIGRATION_7 "PRAGMA user_version = 6;");
    sql_exec("INSERT INTO jobs (uuid, task_id, task_version_id, status, input, queued_at, "
             "process_at) SELECT 'x', task_id, task_version_id, 'failed', '{}', 0, 0 FROM jobs "
             "WHERE id = 1");
    inst_open(&in, NULL);
    assert_int_equal(sql_int("PRAGMA user_version"), 8);
    assert_int_equal(sql_int("SELECT n FROM job_counts WHERE status = 'queued'"), 3);
    assert_int_equal(sql_int("SELECT n FROM job_counts WHERE status = 'failed'"), 1);
    /* 8: status changes are counted by the plugin, not by a trigger. */
    assert_int_equal(sql_int("SELECT count(*) FROM sqlite_schema WHERE name = 'jobs_count_update'"),
                     0);
    expect_counts(&in);
    inst_close(&in, 1);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup_dir, teardown_dir)
    const struct CMUnitTest tests[] = {
        T(test_query_ops),
        T(test_query_sort_and_pages),
        T(test_logs_bounded),
        T(test_task_set_enabled),
        T(test_task_list_sees_other_writers),
        T(test_stats),
        T(test_execution_stats_and_list),
        T(test_migrate_from_version_2),
        T(test_large_queue_pages),
        T(test_job_counts_follow_every_change),
        T(test_job_counts_serve_status_totals),
        T(test_migrate_from_version_6_counts_jobs),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
