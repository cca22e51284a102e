/* tests/unit/conformance_lists.c - the storage conformance suite: lists (filters, sorts,
 * pages and their errors), execution logs, pruning and stats. */
#include "conformance_testing.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- lists ------------------------------------------------------------------------------ */

/* The fixture's jobs, 1-based as the expectations below name them. */
static int64_t fx[7];

/* Six jobs over three tasks (one batch: one queue time), then: 2 and 4 completed, 3 failed,
 * 5 cancelled, 1 and 6 back in the queue (requeued at shutdown). */
static void query_fixture(inst *in)
{
    int64_t a = sync_task(in, "alpha_1", "1.0.0", "a");
    int64_t x = sync_task(in, "alphax1", "1.0.0", "x");
    int64_t b = sync_task(in, "Beta%", "1.0.0", "b");
    const int64_t tv[] = {a, x, b, a, x, b};
    const ratchet_priority prio[] = {RATCHET_PRIORITY_NORMAL, RATCHET_PRIORITY_HIGH,
                                     RATCHET_PRIORITY_LOW,    RATCHET_PRIORITY_URGENT,
                                     RATCHET_PRIORITY_NORMAL, RATCHET_PRIORITY_HIGH};
    ratchet_job_submit js[6];
    for (int i = 0; i < 6; i++) {
        js[i] = job_spec(tv[i], "{}");
        js[i].priority = prio[i];
    }
    assert_int_equal(in->vt->job_submit(in->self, js, 6, fx + 1, NULL), RATCHET_OK);
    ratchet_claimed_job c[6];
    assert_int_equal(claim(in, "w", wall_ms(), 60000, c, 6), 6);
    ratchet_job_finish f[6];
    for (int i = 0; i < 6; i++) {
        int k = 0;
        while (fx[k + 1] != c[i].job_id)
            k++;
        k++; /* 1-based */
        ratchet_finish_kind kind = k == 2 || k == 4 ? RATCHET_FINISH_COMPLETED
                                   : k == 3         ? RATCHET_FINISH_FAILED
                                   : k == 5         ? RATCHET_FINISH_CANCELLED
                                                    : RATCHET_FINISH_REQUEUE;
        f[i] = fin_spec(&c[i], "w", kind);
        f[i].error_json = kind == RATCHET_FINISH_FAILED ? "{\"message\":\"x\"}" : NULL;
    }
    assert_int_equal(finish(in, f, 6), 6);
    claimed_free(c, 6);
}

/* The job list answers exactly the fixture jobs `want` (1-based, in order) and `total`. */
static void expect_jobs(inst *in, const char *query, int64_t total, const int *want, size_t n)
{
    json_object *l = list_of(in, 0, query);
    json_object *items = get(l, "items");
    char got[256] = "";
    size_t len = 0;
    for (size_t i = 0; i < json_object_array_length(items) && len < sizeof got; i++) {
        int64_t id = num(json_object_array_get_idx(items, i), "id");
        int k = 1;
        while (k <= 6 && fx[k] != id)
            k++;
        len += (size_t)snprintf(got + len, sizeof got - len, "%s%d", i ? "," : "", k);
    }
    int ok = json_object_array_length(items) == n && num(l, "total") == total;
    for (size_t i = 0; ok && i < n; i++)
        ok = num(json_object_array_get_idx(items, i), "id") == fx[want[i]];
    if (!ok)
        fail_msg("%s: got [%s] total %lld", query ? query : "(none)", got,
                 (long long)num(l, "total"));
    json_object_put(l);
}

#define EXPECT_JOBS(in, q, ...)                                                                    \
    do {                                                                                           \
        const int w_[] = {__VA_ARGS__};                                                            \
        expect_jobs(in, q, (int64_t)(sizeof w_ / sizeof *w_), w_, sizeof w_ / sizeof *w_);         \
    } while (0)

static void test_query_ops(void **state)
{
    (void)state;
    inst in;
    inst_open(&in, NULL);
    query_fixture(&in);
#define W(f, op, v) "{\"where\":[{\"field\":\"" f "\",\"op\":\"" op "\",\"value\":" v "}]}"
    EXPECT_JOBS(&in, NULL, 6, 5, 4, 3, 2, 1);
    EXPECT_JOBS(&in, W("status", "eq", "\"completed\""), 4, 2);
    EXPECT_JOBS(&in, W("status", "ne", "\"completed\""), 6, 5, 3, 1);
    /* like: case-insensitive substring, with _ and % taken literally */
    EXPECT_JOBS(&in, W("taskName", "like", "\"A_1\""), 4, 1);
    EXPECT_JOBS(&in, W("taskName", "like", "\"%\""), 6, 3);
    EXPECT_JOBS(&in, W("taskName", "starts_with", "\"alpha\""), 5, 4, 2, 1);
    EXPECT_JOBS(&in, W("taskName", "ends_with", "\"x1\""), 5, 2);
    EXPECT_JOBS(&in, W("status", "in", "[\"queued\",\"failed\"]"), 6, 3, 1);
    EXPECT_JOBS(&in, W("status", "not_in", "[\"queued\",\"failed\"]"), 5, 4, 2);
    EXPECT_JOBS(&in, W("status", "not_in", "[]"), 6, 5, 4, 3, 2, 1);
    EXPECT_JOBS(&in, W("priority", "gt", "\"normal\""), 6, 4, 2);
    EXPECT_JOBS(&in, W("priority", "gte", "\"HIGH\""), 6, 4, 2);
    EXPECT_JOBS(&in, W("priority", "eq", "\"critical\""), 4);
    EXPECT_JOBS(&in, W("priority", "lt", "\"normal\""), 3);
    EXPECT_JOBS(&in, W("priority", "lte", "2"), 5, 3, 1);
    EXPECT_JOBS(&in, W("completedAt", "eq", "null"), 6, 1);
    EXPECT_JOBS(&in, W("completedAt", "ne", "null"), 5, 4, 3, 2);
    EXPECT_JOBS(&in, W("completedAt", "gte", "\"2000-01-01T00:00:00Z\""), 5, 4, 3, 2);
    expect_jobs(&in, W("queuedAt", "lt", "946684800000"), 0, NULL, 0);
    char q[160];
    snprintf(q, sizeof q, W("id", "gt", "\"%lld\""), (long long)fx[3]);
    EXPECT_JOBS(&in, q, 6, 5, 4);
    snprintf(q, sizeof q, W("taskId", "eq", "%s"), "0");
    expect_jobs(&in, q, 0, NULL, 0);
    expect_jobs(&in, W("taskName", "eq", "\"x' OR 1=1 --\""), 0, NULL, 0);
    EXPECT_JOBS(&in,
                "{\"where\":[{\"field\":\"status\",\"op\":\"in\",\"value\":[\"completed\","
                "\"queued\"]},{\"field\":\"taskName\",\"value\":\"alpha_1\"}]}",
                4, 1);
    /* the older keys */
    EXPECT_JOBS(&in, "{\"status\":\"queued\"}", 6, 1);
    EXPECT_JOBS(&in, "{\"taskName\":\"Beta%\"}", 6, 3);
    EXPECT_JOBS(&in, "{\"status\":null,\"unknownKey\":1}", 6, 5, 4, 3, 2, 1);
#undef W
    inst_close(&in);
}

static void test_query_sort_and_pages(void **state)
{
    (void)state;
    inst in;
    inst_open(&in, NULL);
    query_fixture(&in);
    EXPECT_JOBS(&in, "{\"sort\":\"priority\",\"order\":\"desc\"}", 4, 6, 2, 5, 1, 3);
    /* byte order: "Beta%" < "alpha_1" < "alphax1"; ties by id in the same direction */
    EXPECT_JOBS(&in, "{\"sort\":\"taskName\",\"order\":\"asc\"}", 3, 6, 1, 4, 2, 5);
    EXPECT_JOBS(&in, "{\"sort\":\"queuedAt\",\"order\":\"ASC\"}", 1, 2, 3, 4, 5, 6);
    EXPECT_JOBS(&in, "{\"sort\":\"status\"}", 6, 1, 3, 4, 2, 5);
    /* NULLs first ascending, last descending */
    const int nulls_first[] = {1, 6};
    expect_jobs(&in, "{\"sort\":\"completedAt\",\"order\":\"asc\",\"limit\":2}", 6, nulls_first, 2);
    const int page[] = {3, 4};
    expect_jobs(&in, "{\"sort\":\"id\",\"order\":\"asc\",\"limit\":2,\"offset\":2}", 6, page, 2);
    const int last[] = {2};
    expect_jobs(&in,
                "{\"where\":[{\"field\":\"status\",\"value\":\"completed\"}],\"limit\":1,"
                "\"offset\":1}",
                2, last, 1);
    expect_jobs(&in, "{\"offset\":6}", 6, NULL, 0);
    /* executions: the two requeued attempts left no record */
    assert_int_equal(list_total(&in, 1, NULL), 4);
    assert_int_equal(list_total(&in, 1, "{\"status\":\"completed\"}"), 2);
    assert_int_equal(list_total(&in, 1, "{\"taskName\":\"alphax1\"}"), 2);
    char q[64];
    snprintf(q, sizeof q, "{\"jobId\":%lld}", (long long)fx[3]);
    assert_int_equal(list_total(&in, 1, q), 1);
    inst_close(&in);
}

static void test_query_errors(void **state)
{
    (void)state;
    inst in;
    inst_open(&in, NULL);
    query_fixture(&in);
    expect_list_error(&in, 0, "{\"where\":[{\"field\":\"nope\",\"op\":\"eq\",\"value\":1}]}",
                      "job query: where[0]: unknown field 'nope' (filters on id, status, "
                      "priority, taskId, taskName, scheduleId, traceId, queuedAt, startedAt, "
                      "completedAt)");
    expect_list_error(&in, 0, "{\"where\":[{\"field\":\"status; DROP TABLE jobs\",\"value\":1}]}",
                      "unknown field 'status; DROP TABLE jobs'");
    expect_list_error(&in, 0,
                      "{\"where\":[{\"field\":\"id\",\"value\":1},{\"field\":\"id\",\"op\":"
                      "\"contains\",\"value\":1}]}",
                      "job query: where[1]: unknown op 'contains' (expected eq, ne, like, "
                      "starts_with, ends_with, in, not_in, gt, gte, lt, lte)");
    expect_list_error(&in, 0, "{\"where\":[{\"field\":\"status\",\"value\":\"done\"}]}",
                      "where[0]: unknown status 'done' (expected queued|processing|completed|"
                      "failed|cancelled|retrying)");
    expect_list_error(&in, 0,
                      "{\"where\":[{\"field\":\"priority\",\"op\":\"like\",\"value\":"
                      "\"h\"}]}",
                      "like does not apply to priority (not text)");
    expect_list_error(&in, 0,
                      "{\"where\":[{\"field\":\"status\",\"op\":\"in\",\"value\":"
                      "\"queued\"}]}",
                      "in and not_in take an array value");
    expect_list_error(&in, 0,
                      "{\"where\":[{\"field\":\"queuedAt\",\"op\":\"gt\",\"value\":"
                      "\"yesterday\"}]}",
                      "queuedAt must be an RFC 3339 time or milliseconds since 1970");
    expect_list_error(&in, 0, "{\"where\":[{\"field\":\"id\",\"value\":\"one\"}]}",
                      "id must be an integer");
    expect_list_error(&in, 0, "{\"where\":[{\"field\":\"id\",\"op\":\"gt\",\"value\":null}]}",
                      "gt takes a value, not null");
    expect_list_error(&in, 0, "{\"where\":[{\"field\":\"id\"}]}", "\"value\" is missing");
    expect_list_error(&in, 0, "{\"where\":{\"field\":\"id\"}}",
                      "\"where\" must be an array of {field, op, value}");
    expect_list_error(&in, 0, "{\"sort\":\"input\"}",
                      "job query: cannot sort on 'input' (sorts on id, status, priority, "
                      "taskName, queuedAt, startedAt, completedAt)");
    expect_list_error(&in, 0, "{\"order\":\"up\"}", "\"order\" must be asc or desc, not 'up'");
    expect_list_error(&in, 0, "{\"limit\":1001}", "limit must be 1..1000, got 1001");
    expect_list_error(&in, 0, "{\"offset\":-1}", "offset must not be negative");
    expect_list_error(&in, 0, "[1]", "job query: expected a JSON object");
    expect_list_error(&in, 1, "{\"where\":[{\"field\":\"priority\",\"value\":\"high\"}]}",
                      "execution query: where[0]: unknown field 'priority' (filters on id, jobId, "
                      "taskId, taskName, status, startedAt, completedAt, durationMs)");
    expect_list_error(&in, 1, "{\"status\":\"queued\"}",
                      "unknown status 'queued' (expected pending|running|completed|failed|"
                      "cancelled)");
    expect_list_error(&in, 0, "{\"sort\":\"taskId\"}", "cannot sort on 'taskId'");
    inst_close(&in);
}

/* ---- execution logs ------------------------------------------------------------------------- */

static void test_execution_logs(void **state)
{
    (void)state;
    inst in;
    int64_t tv = open_with_task(&in);
    ratchet_job_submit j = job_spec(tv, "{}");
    j.max_retries = 1;
    submit(&in, &j, NULL);

    /* Attempt 1 fails; its lines are kept. */
    ratchet_claimed_job c[1];
    assert_int_equal(claim(&in, "w", wall_ms(), 60000, c, 1), 1);
    int64_t exec1 = c[0].execution_id;
    ratchet_job_finish f = fin_spec(&c[0], "w", RATCHET_FINISH_RETRY);
    f.error_json = "{\"name\":\"Killed\",\"message\":\"memory limit\",\"kind\":\"limit\"}";
    f.logs_json = "[{\"level\":\"info\",\"message\":\"starting\"},"
                  "{\"level\":\"error\",\"message\":\"about to die\"}]";
    f.retry_at_ms = wall_ms();
    assert_int_equal(finish(&in, &f, 1), 1);
    claimed_free(c, 1);

    /* Attempt 2 completes: lines and fetch calls interleave by time. */
    assert_int_equal(claim(&in, "w", wall_ms() + 1000, 60000, c, 1), 1);
    int64_t exec2 = c[0].execution_id;
    assert_int_not_equal(exec1, exec2);
    f = fin_spec(&c[0], "w", RATCHET_FINISH_COMPLETED);
    f.output_json = "{\"ok\":true}";
    f.logs_json = "[{\"level\":\"info\",\"message\":\"one\",\"time\":\"2026-01-01T00:00:01Z\"},"
                  "{\"level\":\"warn\",\"message\":\"three\",\"time\":\"2026-01-01T00:00:03Z\"},"
                  "{\"level\":\"info\",\"message\":\"four\"}]";
    f.http_json = "[{\"method\":\"GET\",\"url\":\"http://x/a\",\"status\":200,\"durationMs\":12,"
                  "\"time\":1767225602000},{\"method\":\"POST\",\"url\":\"http://x/b\","
                  "\"status\":null,\"durationMs\":3,\"error\":\"refused\","
                  "\"time\":\"2026-01-01T00:00:09Z\"}]";
    assert_int_equal(finish(&in, &f, 1), 1);
    claimed_free(c, 1);

    json_object *l = logs_of(&in, exec1, NULL);
    assert_int_equal(num(l, "total"), 2);
    assert_string_equal(str(item(l, 1), "message"), "about to die");
    assert_string_equal(str(item(l, 1), "level"), "error");
    json_object_put(l);

    l = logs_of(&in, exec2, NULL);
    assert_int_equal(num(l, "total"), 5);
    const char *order[] = {"one", NULL, "three", "four", "refused"};
    for (size_t i = 0; i < 5; i++) {
        json_object *it = item(l, i);
        assert_int_equal(num(it, "seq"), (int64_t)i + 1);
        if (order[i])
            assert_string_equal(str(it, "message"), order[i]);
    }
    assert_string_equal(str(item(l, 1), "kind"), "fetch");
    assert_string_equal(str(item(l, 1), "url"), "http://x/a");
    assert_int_equal(num(item(l, 1), "status"), 200);
    assert_int_equal(num(item(l, 1), "durationMs"), 12);
    assert_string_equal(str(item(l, 1), "time"), "2026-01-01T00:00:02.000Z");
    assert_true(is_null(item(l, 4), "status"));
    assert_true(is_null(item(l, 0), "method"));
    json_object_put(l);

    l = logs_of(&in, exec2, "{\"where\":[{\"field\":\"kind\",\"value\":\"fetch\"}]}");
    assert_int_equal(num(l, "total"), 2);
    assert_string_equal(str(item(l, 0), "method"), "GET");
    json_object_put(l);
    l = logs_of(&in, exec2,
                "{\"where\":[{\"field\":\"level\",\"op\":\"in\",\"value\":[\"warn\"]},"
                "{\"field\":\"seq\",\"op\":\"gt\",\"value\":1}]}");
    assert_int_equal(num(l, "total"), 1);
    assert_string_equal(str(item(l, 0), "message"), "three");
    json_object_put(l);
    l = logs_of(&in, exec2, "{\"sort\":\"seq\",\"order\":\"desc\",\"limit\":1,\"offset\":1}");
    assert_int_equal(num(l, "total"), 5);
    assert_int_equal(num(item(l, 0), "seq"), 4);
    json_object_put(l);

    ratchet_buf b = RATCHET_BUF_INIT;
    rt_error_clear();
    assert_int_equal(in.vt->execution_logs(in.self, 999999, NULL, &b), RATCHET_NOTFOUND);
    expect_error("execution 999999 does not exist");
    assert_int_equal(in.vt->execution_logs(in.self, exec2, "{\"sort\":\"message\"}", &b),
                     RATCHET_ERR);
    expect_error("execution log query: cannot sort on 'message' (sorts on seq, kind, level)");
    rt_host_api()->buf_free(&b);

    /* The execution record keeps the arrays as sent. */
    assert_int_equal(in.vt->execution_get(in.self, exec2, &b), RATCHET_OK);
    json_object *e = reply(&b);
    assert_int_equal(json_object_array_length(get(e, "http")), 2);
    assert_int_equal(json_object_array_length(get(e, "logs")), 3);
    json_object_put(e);

    /* Pruned with their execution. */
    size_t removed = 0;
    assert_int_equal(in.vt->prune(in.self, wall_ms() + 60000, &removed), RATCHET_OK);
    assert_int_equal(removed, 1);
    assert_int_equal(in.vt->execution_logs(in.self, exec2, NULL, &b), RATCHET_NOTFOUND);
    inst_close(&in);
}

/* ---- pruning ------------------------------------------------------------------------------ */

static void test_prune(void **state)
{
    (void)state;
    inst in;
    inst_open(&in, "retention: 1h\n");
    int64_t tv = sync_task(&in, "t", "1.0.0", "c");
    enum { N = 1200 }; /* more than one chunk */
    static ratchet_job_submit js[N];
    static int64_t ids[N];
    for (int i = 0; i < N; i++)
        js[i] = job_spec(tv, "{\"pad\":\"................................................\"}");
    assert_int_equal(in.vt->job_submit(in.self, js, N, ids, NULL), RATCHET_OK);
    int64_t now = wall_ms();
    /* big batches: one finish call spans several pipeline chunks */
    static ratchet_claimed_job c[300];
    static ratchet_job_finish f[300];
    for (size_t n; (n = claim(&in, "w", now, 30000, c, 300)) > 0;) {
        for (size_t i = 0; i < n; i++) {
            f[i] = fin_spec(&c[i], "w", RATCHET_FINISH_COMPLETED);
            f[i].output_json = "{\"ok\":1}";
            f[i].logs_json = "[{\"level\":\"info\",\"message\":\"m\"}]";
        }
        assert_int_equal(finish(&in, f, n), n);
        claimed_free(c, n);
    }
    int64_t keep = submit_simple(&in, tv, "{}");
    size_t removed = 99;
    rt_error_clear();
    if (in.vt->prune(in.self, 0, &removed) != RATCHET_OK) /* `retention`: an hour not passed */
        fail_msg("prune: %s", rt_error_peek());
    assert_int_equal(removed, 0);
    assert_int_equal(in.vt->prune(in.self, wall_ms() + 1, &removed), RATCHET_OK);
    assert_int_equal(removed, N);
    expect_status(&in, keep, "queued");
    assert_int_equal(list_total(&in, 1, NULL), 0);
    assert_int_equal(list_total(&in, 0, NULL), 1);
    ratchet_buf b = RATCHET_BUF_INIT;
    assert_int_equal(in.vt->job_get(in.self, ids[0], &b), RATCHET_NOTFOUND);
    expect_error("does not exist");
    inst_close(&in);
}

/* ---- stats -------------------------------------------------------------------------------- */

static void test_stats(void **state)
{
    (void)state;
    inst in;
    inst_open(&in, NULL);
    query_fixture(&in);
    int64_t now = wall_ms();
    ratchet_buf b = RATCHET_BUF_INIT;
    json_object *s = stats_of(&in, "jobs", now);
    assert_int_equal(num(s, "total"), 6);
    assert_int_equal(num(get(s, "byStatus"), "queued"), 2);
    assert_int_equal(num(get(s, "byStatus"), "completed"), 2);
    assert_int_equal(num(get(s, "byStatus"), "failed"), 1);
    assert_int_equal(num(get(s, "byStatus"), "cancelled"), 1);
    assert_int_equal(num(get(s, "byStatus"), "processing"), 0);
    assert_int_equal(num(get(s, "byPriority"), "high"), 2);
    assert_int_equal(num(get(s, "byPriority"), "urgent"), 1);
    assert_int_equal(num(get(s, "byPriority"), "low"), 1);
    assert_int_equal(num(s, "last24h"), 6);
    assert_false(is_null(s, "oldestQueuedAt"));
    json_object_put(s);
    s = stats_of(&in, "jobs", now + 48 * INT64_C(3600000));
    assert_int_equal(num(s, "last24h"), 0);
    json_object_put(s);
    s = stats_of(&in, "executions", now);
    assert_int_equal(num(s, "total"), 4);
    assert_int_equal(num(get(s, "byStatus"), "completed"), 2);
    assert_int_equal(num(get(s, "byStatus"), "cancelled"), 1);
    assert_int_equal(num(s, "averageDurationMs"), 7);
    json_object_put(s);
    int64_t id = 0;
    assert_int_equal(in.vt->schedule_add(in.self,
                                         "{\"name\":\"s1\",\"taskName\":\"t\",\"cron\":"
                                         "\"* * * * *\",\"nextRunAt\":1000}",
                                         &id),
                     RATCHET_OK);
    assert_int_equal(in.vt->schedule_add(in.self,
                                         "{\"name\":\"s2\",\"taskName\":\"t\",\"cron\":"
                                         "\"* * * * *\",\"enabled\":false}",
                                         &id),
                     RATCHET_OK);
    s = stats_of(&in, "schedules", now);
    assert_int_equal(num(s, "total"), 2);
    assert_int_equal(num(s, "enabled"), 1);
    assert_int_equal(num(s, "due"), 1);
    json_object_put(s);
    rt_error_clear();
    assert_int_equal(in.vt->stats(in.self, "workers", now, &b), RATCHET_ERR);
    expect_error("stats: unknown resource 'workers' (expected jobs, executions, tasks or "
                 "schedules)");
    inst_close(&in);
}

size_t conformance_lists(struct CMUnitTest *out, size_t max)
{
#define T(f) cmocka_unit_test_setup_teardown(f, conf_setup, conf_teardown)
    const struct CMUnitTest tests[] = {
        T(test_query_ops),    T(test_query_sort_and_pages),
        T(test_query_errors), T(test_execution_logs),
        T(test_prune),        T(test_stats),
    };
#undef T
    return conf_cases(out, max, tests, sizeof tests / sizeof *tests);
}
