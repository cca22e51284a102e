/* tests/unit/conformance_logs.c - the storage conformance suite: error analysis kept with a
 * failed execution (job_finish's analysis_json), the server's log events (log_append: kept,
 * bounded, pruned) and the search over them and the execution log rows (log_search). */
#include "conformance_testing.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ANALYSIS "{\"patterns\":[{\"id\":\"js_type_error\",\"confidence\":0.9}],\"system\":{}}"

/* A failed attempt of a new job (task `task`), with console lines and one fetch call. */
static int64_t failed_execution(inst *in, const char *task, const char *analysis)
{
    int64_t tv = sync_task(in, task, "1.0.0", task);
    submit_simple(in, tv, "{}");
    ratchet_claimed_job c[1];
    assert_int_equal(claim(in, "w", wall_ms(), 60000, c, 1), 1);
    ratchet_job_finish f = fin_spec(&c[0], "w", RATCHET_FINISH_FAILED);
    f.error_json = "{\"name\":\"TypeError\",\"message\":\"x is undefined\"}";
    f.logs_json = "[{\"level\":\"info\",\"message\":\"starting up\"},"
                  "{\"level\":\"error\",\"message\":\"profile missing for user 7\"}]";
    f.http_json = "[{\"method\":\"GET\",\"url\":\"http://api.test/users/7\",\"status\":503,"
                  "\"durationMs\":12}]";
    f.analysis_json = analysis;
    assert_int_equal(finish(in, &f, 1), 1);
    int64_t id = c[0].execution_id;
    claimed_free(c, 1);
    return id;
}

static void test_analysis_kept(void **state)
{
    (void)state;
    inst in;
    inst_open(&in, NULL);
    int64_t id = failed_execution(&in, "kept", ANALYSIS);
    ratchet_buf b = RATCHET_BUF_INIT;
    assert_int_equal(in.vt->execution_get(in.self, id, &b), RATCHET_OK);
    json_object *o = reply(&b);
    json_object *p = json_object_array_get_idx(get(get(o, "analysis"), "patterns"), 0);
    assert_string_equal(str(p, "id"), "js_type_error");
    json_object_put(o);
    /* The list answers it too. */
    o = list_of(&in, 1, "{\"where\":[{\"field\":\"status\",\"op\":\"eq\",\"value\":\"failed\"}]}");
    assert_non_null(get(item(o, 0), "analysis"));
    json_object_put(o);
    /* A caller built before 1.8 (no analysis_json in its struct): null. */
    int64_t tv = sync_task(&in, "old", "1.0.0", "old");
    submit_simple(&in, tv, "{}");
    ratchet_claimed_job c[1];
    assert_int_equal(claim(&in, "w", wall_ms(), 60000, c, 1), 1);
    ratchet_job_finish f = fin_spec(&c[0], "w", RATCHET_FINISH_FAILED);
    f.analysis_json = "not json at all"; /* beyond struct_size: never read */
    f.abi.struct_size = (uint32_t)offsetof(ratchet_job_finish, analysis_json);
    assert_int_equal(finish(&in, &f, 1), 1);
    assert_int_equal(in.vt->execution_get(in.self, c[0].execution_id, &b), RATCHET_OK);
    o = reply(&b);
    assert_true(is_null(o, "analysis"));
    json_object_put(o);
    claimed_free(c, 1);
    inst_close(&in);
}

static void test_analysis_not_json(void **state)
{
    (void)state;
    inst in;
    inst_open(&in, NULL);
    int64_t tv = sync_task(&in, "bad", "1.0.0", "bad");
    submit_simple(&in, tv, "{}");
    ratchet_claimed_job c[1];
    assert_int_equal(claim(&in, "w", wall_ms(), 60000, c, 1), 1);
    ratchet_job_finish f = fin_spec(&c[0], "w", RATCHET_FINISH_FAILED);
    f.analysis_json = "{oops";
    size_t applied = 0;
    rt_error_clear();
    assert_int_equal(in.vt->job_finish(in.self, &f, 1, &applied), RATCHET_ERR);
    expect_error("analysis_json");
    claimed_free(c, 1);
    inst_close(&in);
}

/* log_search with `query`; its total, and the messages of its items joined by '|'. */
static int64_t search(inst *in, const char *query, char *msgs, size_t len)
{
    ratchet_buf b = RATCHET_BUF_INIT;
    rt_error_clear();
    if (in->vt->log_search(in->self, query, &b) != RATCHET_OK)
        fail_msg("log_search %s: %s", query, rt_error_peek());
    json_object *o = reply(&b), *items = get(o, "items");
    size_t used = 0;
    msgs[0] = '\0';
    for (size_t i = 0; i < json_object_array_length(items) && used < len; i++) {
        json_object *e = json_object_array_get_idx(items, i);
        json_object *v = get(e, "message");
        if (!v || json_object_is_type(v, json_type_null))
            v = get(e, "url");
        const char *m = v ? json_object_get_string(v) : NULL;
        used += (size_t)snprintf(msgs + used, len - used, "%s%s", i ? "|" : "", m ? m : "?");
    }
    int64_t total = num(o, "total");
    json_object_put(o);
    return total;
}

static void append(inst *in, const char *events, int64_t max_rows)
{
    rt_error_clear();
    if (in->vt->log_append(in->self, events, max_rows) != RATCHET_OK)
        fail_msg("log_append: %s", rt_error_peek());
}

static void test_log_search(void **state)
{
    (void)state;
    inst in;
    inst_open(&in, NULL);
    int64_t now = wall_ms();
    char ev[1024];
    snprintf(ev, sizeof ev,
             "[{\"time\":%lld,\"level\":\"info\",\"source\":\"host\",\"message\":\"serve "
             "started\"},{\"time\":%lld,\"level\":\"error\",\"source\":\"api\",\"message\":"
             "\"storage busy: database is locked\",\"traceId\":\"abc\",\"taskName\":\"srch\"}]",
             (long long)(now - 60000), (long long)(now - 30000));
    append(&in, ev, 0);
    int64_t exec = failed_execution(&in, "srch", NULL);
    char m[512], q[256];
    assert_int_equal(search(&in, "{}", m, sizeof m), 5);
    /* Errors and worse: the server's error, the console error, the fetch that got a 503. */
    assert_int_equal(
        search(&in, "{\"where\":[{\"field\":\"level\",\"op\":\"gte\",\"value\":4}]}", m, sizeof m),
        3);
    assert_non_null(strstr(m, "profile missing for user 7"));
    assert_non_null(strstr(m, "database is locked"));
    assert_int_equal(
        search(&in,
               "{\"where\":[{\"field\":\"origin\",\"op\":\"eq\",\"value\":\"server\"}],"
               "\"sort\":\"time\",\"order\":\"desc\"}",
               m, sizeof m),
        2);
    assert_string_equal(m, "storage busy: database is locked|serve started");
    assert_int_equal(
        search(&in,
               "{\"where\":[{\"field\":\"text\",\"op\":\"like\",\"value\":\"API.TEST/users\"}]}", m,
               sizeof m),
        1);
    snprintf(q, sizeof q, "{\"where\":[{\"field\":\"executionId\",\"op\":\"eq\",\"value\":%lld}]}",
             (long long)exec);
    assert_int_equal(search(&in, q, m, sizeof m), 3);
    assert_int_equal(
        search(&in, "{\"where\":[{\"field\":\"taskName\",\"op\":\"eq\",\"value\":\"srch\"}]}", m,
               sizeof m),
        4);
    assert_int_equal(search(&in,
                            "{\"where\":[{\"field\":\"traceId\",\"op\":\"eq\",\"value\":\"abc\"}]}",
                            m, sizeof m),
                     1);
    snprintf(q, sizeof q, "{\"where\":[{\"field\":\"time\",\"op\":\"lt\",\"value\":%lld}]}",
             (long long)(now - 10000));
    assert_int_equal(search(&in, q, m, sizeof m), 2);
    /* Newest first by default, paged. */
    assert_int_equal(search(&in, "{\"limit\":1,\"offset\":4}", m, sizeof m), 5);
    assert_string_equal(m, "serve started");
    ratchet_buf b = RATCHET_BUF_INIT;
    assert_int_equal(in.vt->log_search(in.self,
                                       "{\"where\":[{\"field\":\"colour\",\"op\":\"eq\","
                                       "\"value\":1}]}",
                                       &b),
                     RATCHET_ERR);
    expect_error("colour");
    free(b.data);
    inst_close(&in);
}

static void test_log_append_bounded_and_pruned(void **state)
{
    (void)state;
    inst in;
    inst_open(&in, NULL);
    int64_t now = wall_ms();
    char ev[2048];
    size_t used = (size_t)snprintf(ev, sizeof ev, "[");
    for (int i = 0; i < 6; i++)
        used += (size_t)snprintf(ev + used, sizeof ev - used,
                                 "%s{\"time\":%lld,\"level\":\"info\",\"message\":\"line %d\"}",
                                 i ? "," : "", (long long)(now - 100000 + i * 10000), i);
    snprintf(ev + used, sizeof ev - used, "]");
    append(&in, ev, 4);
    char m[256];
    assert_int_equal(search(&in, "{}", m, sizeof m), 4);
    assert_string_equal(m, "line 5|line 4|line 3|line 2");
    /* prune drops those older than its cutoff. */
    size_t removed = 0;
    assert_int_equal(in.vt->prune(in.self, now - 65000, &removed), RATCHET_OK);
    assert_int_equal(search(&in, "{}", m, sizeof m), 2);
    assert_string_equal(m, "line 5|line 4");
    /* Bad input is refused whole. */
    rt_error_clear();
    assert_int_equal(in.vt->log_append(in.self, "{\"time\":1}", 0), RATCHET_ERR);
    expect_error("log_append: events_json: not a JSON array");
    assert_int_equal(in.vt->log_append(in.self, "[{\"level\":\"info\",\"message\":\"x\"}]", 0),
                     RATCHET_ERR);
    expect_error("an event without time (ms), level or message");
    assert_int_equal(search(&in, "{}", m, sizeof m), 2);
    inst_close(&in);
}

size_t conformance_logs(struct CMUnitTest *out, size_t max)
{
#define T(f) cmocka_unit_test_setup_teardown(f, conf_setup, conf_teardown)
    const struct CMUnitTest tests[] = {
        T(test_analysis_kept),
        T(test_analysis_not_json),
        T(test_log_search),
        T(test_log_append_bounded_and_pruned),
    };
#undef T
    return conf_cases(out, max, tests, sizeof tests / sizeof *tests);
}
