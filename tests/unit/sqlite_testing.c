/* tests/unit/sqlite_testing.c - see sqlite_testing.h. */
#include "sqlite_testing.h"

char tmpdir[512];

/* A fresh directory per test, under RATCHET_TEST_TMP when ctest sets it. */
int setup_dir(void **state)
{
    (void)state;
    scratch_dir(tmpdir, sizeof tmpdir, "sqlite");
    return 0;
}

int teardown_dir(void **state)
{
    (void)state;
    return scratch_remove(tmpdir);
}

const char *db_path(void)
{
    static char p[600];
    snprintf(p, sizeof p, "%s/test.db", tmpdir);
    return p;
}

/* Create and start an instance; returns start's status (create must succeed). */
ratchet_status inst_try(inst *in, const char *extra_yaml)
{
    char yaml[1024];
    snprintf(yaml, sizeof yaml, "path: %s\n%s", db_path(), extra_yaml ? extra_yaml : "");
    return inst_start(in, ratchet_plugin_entry_storage_sqlite(rt_host_api()), yaml);
}

void inst_open(inst *in, const char *extra_yaml)
{
    ratchet_status s = inst_try(in, extra_yaml);
    if (s != RATCHET_OK)
        fail_msg("start failed (%d): %s", (int)s, rt_error_peek());
}

void inst_close(inst *in, int started)
{
    inst_stop(in, started);
}

int64_t sql_int(const char *sql)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_open_v2(db_path(), &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

void sql_exec(const char *sql)
{
    sqlite3 *db = NULL;
    assert_int_equal(
        sqlite3_open_v2(db_path(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL),
        SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s: %s", sql, msg);
    sqlite3_close(db);
}
