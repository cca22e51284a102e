/*
 * test_storage_sqlite.c - the storage-sqlite plugin against the real host core: options from
 * YAML validated by the host, every storage call through the vtable, JSON replies parsed with
 * json-c, the file inspected with SQLite directly: opening, migrating and refusing files, task
 * versions, the JSON shapes of records. Jobs, schedules and deliveries are in
 * test_storage_sqlite_jobs.c; processes and threads sharing a database in
 * test_storage_sqlite_concurrency.c.
 */
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

/* ---- schema ----------------------------------------------------------------------------- */

static void test_descriptor(void **state)
{
    (void)state;
    const ratchet_plugin_desc *d = ratchet_plugin_entry_storage_sqlite(rt_host_api());
    assert_string_equal(d->name, "storage-sqlite");
    rt_error err = {{0}};
    if (rt_options_check_table(d->options, &err) != RATCHET_OK)
        fail_msg("option table: %s", err.msg);
    /* A bad option value is the host's message, naming the key. */
    const char *yaml = "synchronous: sometimes\n";
    rt_node *map = rt_yaml_parse(yaml, strlen(yaml), "t.yaml", &err);
    assert_null(rt_options_validate(d->options, map, "instances[0].options", NULL, &err));
    assert_non_null(strstr(err.msg, "synchronous"));
    rt_node_free(map);
}

/* The schema version a fresh database migrates to: the number of entries of `migrations` in
 * plugins/storage-sqlite/sqlite_schema.c. */
#define SQ_SCHEMA_VERSION 8
#define SQ_SCHEMA_TEXT    "8"

static void test_migrate_and_reopen(void **state)
{
    (void)state;
    inst in;
    inst_open(&in, NULL);
    int64_t tv = sync_task(&in, "addition", "1.0.0", "c1");
    inst_close(&in, 1);

    assert_int_equal(sql_int("PRAGMA user_version"), SQ_SCHEMA_VERSION);
    assert_int_equal(sql_int("PRAGMA auto_vacuum"), 2); /* incremental */
    assert_int_equal(sql_int("PRAGMA application_id"), 0x52544348);
    assert_int_equal(sql_int("SELECT count(*) FROM sqlite_schema WHERE name = 'jobs_ready'"), 1);

    /* Re-open: nothing migrates again, the data is there. */
    inst_open(&in, NULL);
    assert_int_equal(sync_task(&in, "addition", "1.0.0", "c1"), tv);
    inst_close(&in, 1);
    assert_int_equal(sql_int("PRAGMA user_version"), SQ_SCHEMA_VERSION);
    assert_int_equal(sql_int("SELECT count(*) FROM task_versions"), 1);
}

static void test_refuses_newer_and_foreign(void **state)
{
    (void)state;
    inst in;
    inst_open(&in, NULL);
    inst_close(&in, 1);
    sql_exec("PRAGMA user_version = 99");
    assert_int_equal(inst_try(&in, NULL), RATCHET_ERR);
    expect_error("schema version 99, newer than this storage-sqlite understands "
                 "(" SQ_SCHEMA_TEXT ")");
    inst_close(&in, 0);

    unlink(db_path());
    sql_exec("CREATE TABLE other (x)");
    assert_int_equal(inst_try(&in, NULL), RATCHET_ERR);
    expect_error("not a Ratchet database");
    inst_close(&in, 0);
}

static void test_memory_database(void **state)
{
    (void)state;
    inst in;
    rt_error err = {{0}};
    const char *yaml = "path: \":memory:\"\n";
    memset(&in, 0, sizeof in);
    in.desc = ratchet_plugin_entry_storage_sqlite(rt_host_api());
    in.vt = in.desc->storage;
    in.map = rt_yaml_parse(yaml, strlen(yaml), "/etc/ratchet/t.yaml", &err);
    in.cfg = rt_options_validate(in.desc->options, in.map, "o", "/etc/ratchet", &err);
    assert_non_null(in.cfg);
    in.ctx = rt_ctx_new("mem", "storage-sqlite");
    assert_int_equal(in.vt->life.create(in.ctx, in.cfg, &in.self), RATCHET_OK);
    assert_int_equal(in.vt->life.start(in.self), RATCHET_OK);
    int64_t tv = sync_task(&in, "t", "1.0.0", "c");
    int64_t id = submit_simple(&in, tv, "{}");
    ratchet_claimed_job c[2];
    assert_int_equal(claim(&in, "w", wall_ms(), 1000, c, 2), 1);
    assert_int_equal(c[0].job_id, id);
    claimed_free(c, 1);
    struct stat sb;
    assert_int_not_equal(stat("/etc/ratchet/:memory:", &sb), 0); /* no such file made */
    inst_close(&in, 1);
}

static void test_busy_is_retry(void **state)
{
    (void)state;
    inst in;
    inst_open(&in, "busy_timeout: 100ms\n");
    int64_t tv = sync_task(&in, "t", "1.0.0", "c");
    /* Another connection (as another process would) holds the write lock. */
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(db_path(), &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
    ratchet_job_submit j = job_spec(tv, "{}");
    int64_t id = 0;
    int64_t t0 = mono_ms();
    rt_error_clear();
    assert_int_equal(in.vt->job_submit(in.self, &j, 1, &id, NULL), RATCHET_RETRY);
    int64_t waited = mono_ms() - t0;
    expect_error("is busy");
    expect_error("busy_timeout (100 ms)");
    assert_true(waited >= 100 && waited < 2000);
    /* Reads go on meanwhile (WAL). */
    ratchet_buf b = RATCHET_BUF_INIT;
    assert_int_equal(in.vt->job_list(in.self, NULL, &b), RATCHET_OK);
    rt_host_api()->buf_free(&b);
    assert_int_equal(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    assert_true(submit(&in, &j, NULL) > 0);
    inst_close(&in, 1);
}

/* ---- tasks ------------------------------------------------------------------------------ */

static void test_task_sync(void **state)
{
    (void)state;
    inst in;
    inst_open(&in, NULL);
    const char *doc = "{\"name\":\"addition\",\"version\":\"1.0.0\",\"code\":\"x\","
                      "\"checksum\":\"aaa\"}";
    int64_t id1 = 0, id2 = 0;
    int created = -1;
    assert_int_equal(in.vt->task_sync(in.self, doc, &id1, &created), RATCHET_OK);
    assert_int_equal(created, 1);
    assert_int_equal(in.vt->task_sync(in.self, doc, &id2, &created), RATCHET_OK);
    assert_int_equal(created, 0);
    assert_int_equal(id1, id2);

    const char *changed = "{\"name\":\"addition\",\"version\":\"1.0.0\",\"code\":\"y\","
                          "\"checksum\":\"bbb\"}";
    rt_error_clear();
    assert_int_equal(in.vt->task_sync(in.self, changed, &id2, &created), RATCHET_ERR);
    expect_error("task addition 1.0.0 is already stored with different content");

    rt_error_clear();
    assert_int_equal(in.vt->task_sync(in.self, "{\"version\":\"1\"}", &id2, &created), RATCHET_ERR);
    expect_error("\"name\" must be given");
    rt_error_clear();
    assert_int_equal(in.vt->task_sync(in.self, "{\"name\":", &id2, &created), RATCHET_ERR);
    expect_error("not valid JSON");

    /* Versions order semantically: 1.10.0 is the latest, whatever the arrival order. */
    sync_task(&in, "addition", "1.10.0", "c10");
    sync_task(&in, "addition", "1.9.0", "c9");
    int64_t other = sync_task(&in, "aardvark", "0.1.0-rc1", "r");
    ratchet_buf b = RATCHET_BUF_INIT;
    assert_int_equal(in.vt->task_list(in.self, &b), RATCHET_OK);
    json_object *list = reply(&b);
    assert_int_equal(json_object_array_length(list), 2);
    json_object *add = json_object_array_get_idx(list, 1);
    assert_string_equal(str(json_object_array_get_idx(list, 0), "name"), "aardvark");
    assert_string_equal(str(add, "name"), "addition");
    assert_string_equal(str(add, "latestVersion"), "1.10.0");
    assert_string_equal(str(add, "description"), "addition v1.10.0");
    assert_true(json_object_get_boolean(get(add, "enabled")));
    json_object *vers = get(add, "versions");
    assert_int_equal(json_object_array_length(vers), 3);
    assert_string_equal(str(json_object_array_get_idx(vers, 0), "version"), "1.0.0");
    assert_string_equal(str(json_object_array_get_idx(vers, 2), "version"), "1.10.0");
    assert_non_null(strstr(str(json_object_array_get_idx(vers, 2), "createdAt"), "Z"));
    json_object_put(list);

    assert_int_equal(in.vt->task_version_get(in.self, other, &b), RATCHET_OK);
    json_object *v = reply(&b);
    assert_string_equal(str(v, "name"), "aardvark");
    assert_string_equal(str(v, "version"), "0.1.0-rc1");
    assert_string_equal(str(v, "uuid"), "u-aardvark");
    assert_string_equal(str(v, "code"), "function main(i){return i;}");
    assert_string_equal(str(get(v, "inputSchema"), "type"), "object");
    assert_true(json_object_get_boolean(get(v, "outputSchema")));
    /* numbers keep their spelling */
    assert_string_equal(json_object_to_json_string_ext(get(v, "metadata"), JSON_C_TO_STRING_PLAIN),
                        "{\"timeout\":1.50}");
    json_object_put(v);
    rt_error_clear();
    assert_int_equal(in.vt->task_version_get(in.self, 999, &b), RATCHET_NOTFOUND);
    expect_error("task version 999 does not exist");
    inst_close(&in, 1);
}

static void test_json_shapes(void **state)
{
    (void)state;
    inst in;
    inst_open(&in, NULL);
    int64_t tv = sync_task(&in, "addition", "1.0.0", "c");
    int64_t tv2 = sync_task(&in, "other", "2.0.0", "c");
    ratchet_job_submit j = job_spec(tv, "{\"num1\":1,\"num2\":2}");
    j.meta_json = "{\"destinations\":[]}";
    j.priority = RATCHET_PRIORITY_HIGH;
    j.max_retries = 3;
    int64_t id = submit(&in, &j, NULL);
    for (int i = 0; i < 4; i++)
        submit_simple(&in, tv2, "{}");

    int64_t now = wall_ms();
    ratchet_claimed_job c[1];
    assert_int_equal(claim(&in, "w", now, 30000, c, 1), 1);
    assert_int_equal(c[0].job_id, id);
    assert_string_equal(c[0].meta_json, "{\"destinations\":[]}");
    ratchet_job_finish f = fin_spec(&c[0], "w", RATCHET_FINISH_COMPLETED);
    f.output_json = "{\"sum\":3}";
    f.logs_json = "[{\"level\":\"info\",\"message\":\"hi\"}]";
    f.http_json = "[{\"method\":\"GET\",\"url\":\"http://x\",\"status\":200,\"durationMs\":3}]";
    f.duration_ms = 12;
    assert_int_equal(finish(&in, &f, 1), 1);

    static const char *const job_keys[] = {"id",          "uuid",           "taskId",
                                           "taskName",    "taskVersion",    "taskVersionId",
                                           "status",      "priority",       "input",
                                           "output",      "error",          "retryCount",
                                           "maxRetries",  "idempotencyKey", "scheduleId",
                                           "executionId", "queuedAt",       "processAt",
                                           "startedAt",   "completedAt",    "cancelRequested",
                                           "meta",        "attempts",       NULL};
    json_object *job = job_json(&in, id);
    for (int k = 0; job_keys[k]; k++)
        get(job, job_keys[k]);
    assert_int_equal(num(job, "id"), id);
    assert_int_equal(strlen(str(job, "uuid")), 36);
    assert_string_equal(str(job, "taskName"), "addition");
    assert_string_equal(str(job, "taskVersion"), "1.0.0");
    assert_int_equal(num(job, "taskVersionId"), tv);
    assert_string_equal(str(job, "priority"), "high");
    assert_int_equal(num(get(job, "input"), "num2"), 2);
    assert_int_equal(num(get(job, "output"), "sum"), 3);
    assert_int_equal(num(job, "maxRetries"), 3);
    assert_int_equal(num(job, "executionId"), c[0].execution_id);
    assert_true(json_object_get_type(get(job, "scheduleId")) == json_type_null);
    const char *q = str(job, "queuedAt");
    assert_int_equal(strlen(q), 24); /* 2026-11-26T06:40:45.123Z */
    assert_int_equal(q[10], 'T');
    assert_int_equal(q[19], '.');
    assert_int_equal(q[23], 'Z');
    json_object_put(job);

    ratchet_buf b = RATCHET_BUF_INIT;
    assert_int_equal(in.vt->execution_get(in.self, c[0].execution_id, &b), RATCHET_OK);
    json_object *ex = reply(&b);
    static const char *const exec_keys[] = {
        "id",     "uuid",  "jobId", "taskId", "taskName",  "taskVersion", "status",     "input",
        "output", "error", "logs",  "http",   "startedAt", "completedAt", "durationMs", NULL};
    for (int k = 0; exec_keys[k]; k++)
        get(ex, exec_keys[k]);
    assert_string_equal(str(ex, "status"), "completed");
    assert_int_equal(num(ex, "jobId"), id);
    assert_int_equal(num(get(ex, "input"), "num1"), 1);
    assert_int_equal(num(ex, "durationMs"), 12);
    assert_string_equal(str(json_object_array_get_idx(get(ex, "logs"), 0), "message"), "hi");
    assert_int_equal(num(json_object_array_get_idx(get(ex, "http"), 0), "status"), 200);
    json_object_put(ex);
    claimed_free(c, 1);

    /* Lists: filters, newest first, paging, totals. */
    assert_int_equal(in.vt->job_list(in.self, NULL, &b), RATCHET_OK);
    json_object *l = reply(&b);
    assert_int_equal(num(l, "total"), 5);
    assert_int_equal(json_object_array_length(get(l, "items")), 5);
    assert_true(num(json_object_array_get_idx(get(l, "items"), 0), "id") > id);
    json_object_put(l);
    assert_int_equal(
        in.vt->job_list(in.self, "{\"status\":\"queued\",\"limit\":2,\"offset\":1}", &b),
        RATCHET_OK);
    l = reply(&b);
    assert_int_equal(num(l, "total"), 4);
    assert_int_equal(json_object_array_length(get(l, "items")), 2);
    json_object_put(l);
    assert_int_equal(in.vt->job_list(in.self, "{\"taskName\":\"addition\"}", &b), RATCHET_OK);
    l = reply(&b);
    assert_int_equal(num(l, "total"), 1);
    json_object_put(l);
    assert_int_equal(
        in.vt->job_list(in.self, "{\"taskName\":\"other\",\"status\":\"completed\"}", &b),
        RATCHET_OK);
    l = reply(&b);
    assert_int_equal(num(l, "total"), 0);
    assert_int_equal(json_object_array_length(get(l, "items")), 0);
    json_object_put(l);
    assert_int_equal(in.vt->execution_list(in.self,
                                           "{\"taskName\":\"addition\","
                                           "\"status\":\"completed\"}",
                                           &b),
                     RATCHET_OK);
    l = reply(&b);
    assert_int_equal(num(l, "total"), 1);
    json_object_put(l);

    rt_error_clear();
    assert_int_equal(in.vt->job_list(in.self, "{\"status\":\"done\"}", &b), RATCHET_ERR);
    expect_error("unknown status 'done' (expected queued|processing|");
    assert_int_equal(in.vt->job_list(in.self, "{\"limit\":0}", &b), RATCHET_ERR);
    expect_error("limit must be 1..1000");
    assert_int_equal(in.vt->job_list(in.self, "{\"limit\":\"ten\"}", &b), RATCHET_ERR);
    expect_error("\"limit\" must be an integer");
    assert_int_equal(in.vt->job_get(in.self, 12345, &b), RATCHET_NOTFOUND);
    expect_error("job 12345 does not exist");
    assert_null(b.data);
    inst_close(&in, 1);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup_dir, teardown_dir)
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_descriptor),
        T(test_migrate_and_reopen),
        T(test_refuses_newer_and_foreign),
        T(test_memory_database),
        T(test_busy_is_retry),
        T(test_task_sync),
        T(test_json_shapes),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
