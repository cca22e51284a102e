/* tests/unit/test_storage_sqlite_jobs.c - the storage-sqlite plugin: what the life of jobs
 * leaves in the database file (rows as stored, pruning and the file's size). The life itself
 * (claim order, idempotency, leases, retries, requeue, cancel, schedules, delivery records) is
 * the storage conformance suite's (test_storage_conformance.c), run on this plugin too. */
#include "sqlite_testing.h"

/* ---- rows as stored ------------------------------------------------------------------------ */

static void test_rows_as_stored(void **state)
{
    (void)state;
    inst in;
    int64_t tv = open_with_task(&in);
    int64_t id = submit_simple(&in, tv, "{}");
    int64_t now = wall_ms();
    ratchet_claimed_job c[1];
    assert_int_equal(claim(&in, "A", now, 30000, c, 1), 1);
    claimed_free(c, 1);
    /* a renewal moves lease_until from the renewal's time */
    assert_int_equal(in.vt->job_renew(in.self, "A", now + 20000, 30000), RATCHET_OK);
    assert_int_equal(sql_int("SELECT lease_until - started_at FROM jobs"), 50000);

    char doc[256];
    snprintf(doc, sizeof doc,
             "{\"jobId\":%lld,\"executionId\":null,\"destinationType\":\"webhook\","
             "\"destination\":\"http://example.invalid/hook\",\"success\":true,\"attempts\":2,"
             "\"durationMs\":15,\"responseStatus\":200,\"error\":null}",
             (long long)id);
    assert_int_equal(in.vt->delivery_record(in.self, doc), RATCHET_OK);
    assert_int_equal(sql_int("SELECT attempts * 1000 + response_status FROM delivery_results"),
                     2200);
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
        T(test_rows_as_stored),
        T(test_prune_shrinks),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
