/*
 * bench_queue.c - job queue throughput of storage-sqlite on a file database, against bare
 * SQLite doing the same row work, both measured in this run.
 *
 *   enqueue (batch)   job_submit of 100 jobs per call (one transaction each)
 *   enqueue (single)  job_submit of one job per call
 *   burn-down         job_claim of up to 32 (--claim) + job_finish (COMPLETED) of those,
 *                     until the queue is empty
 *
 *   baseline: the same pragmas (WAL, synchronous=NORMAL, foreign keys on), prepared statements
 *   and batching on a one-table queue with only the claim index: INSERT per job; claim =
 *   BEGIN IMMEDIATE + SELECT 32 ids in claim order + UPDATE each; finish = one transaction
 *   UPDATE-ing the 32. What the plugin adds on top (task join, idempotency check, UUIDs,
 *   execution records, lease checks, list indexes, wake-up counter, JSON checks) is the price.
 *
 * Each workload runs on a fresh file, several rounds alternating plugin and baseline; the
 * best round of each counts. Every job must be claimed exactly once and end completed; a
 * wrong result makes the exit status 1, speed never does (`--quick` is the ctest smoke run).
 *
 * Usage: bench_queue [--quick] [--jobs N] [--rounds R] [--claim N]
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>
#include <sqlite3.h>

#include "hostapi.h"
#include "options.h"
#include "rt_yaml.h"

#include <ratchet/plugin.h>

const ratchet_plugin_desc *ratchet_plugin_entry_storage_sqlite(const ratchet_host_api *api);

#define BATCH     100
#define CLAIM_MAX 256

static int claim_batch = 32; /* --claim */

static char dir[512];
static char dbfile[600];

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void remove_db(void)
{
    static const char *const suffix[] = {"", "-wal", "-shm"};
    char p[700];
    for (size_t i = 0; i < 3; i++) {
        snprintf(p, sizeof p, "%s%s", dbfile, suffix[i]);
        unlink(p);
    }
}

static void make_input(int i, char *buf, size_t len)
{
    snprintf(buf, len, "{\"num1\":%d,\"num2\":%d}", i, 2 * i + 1);
}

/* ---- storage-sqlite ------------------------------------------------------------------------ */

typedef struct plug {
    const ratchet_storage_vtable *vt;
    ratchet_ctx *ctx;
    rt_node *map;
    ratchet_config *cfg;
    void *self;
    int64_t tv;
} plug;

static int plug_open(plug *p)
{
    rt_error err = {{0}};
    char yaml[800];
    memset(p, 0, sizeof *p);
    const ratchet_plugin_desc *d = ratchet_plugin_entry_storage_sqlite(rt_host_api());
    if (!d || !d->storage)
        return -1;
    p->vt = d->storage;
    snprintf(yaml, sizeof yaml, "path: %s\nsynchronous: normal\n", dbfile);
    p->map = rt_yaml_parse(yaml, strlen(yaml), "bench.yaml", &err);
    p->cfg = p->map ? rt_options_validate(d->options, p->map, "options", NULL, &err) : NULL;
    p->ctx = rt_ctx_new("bench", "storage-sqlite");
    if (!p->cfg || !p->ctx || p->vt->life.create(p->ctx, p->cfg, &p->self) != RATCHET_OK ||
        p->vt->life.start(p->self) != RATCHET_OK) {
        fprintf(stderr, "storage-sqlite: cannot open %s: %s %s\n", dbfile, err.msg,
                rt_error_peek());
        return -1;
    }
    const char *task = "{\"name\":\"addition\",\"version\":\"1.0.0\",\"code\":\"function "
                       "main(i){return {sum:i.num1+i.num2};}\",\"checksum\":\"b\"}";
    int created = 0;
    if (p->vt->task_sync(p->self, task, &p->tv, &created) != RATCHET_OK) {
        fprintf(stderr, "task_sync: %s\n", rt_error_peek());
        return -1;
    }
    return 0;
}

static void plug_close(plug *p)
{
    if (p->self) {
        p->vt->life.stop(p->self);
        p->vt->life.destroy(p->self);
    }
    rt_config_free(p->cfg);
    rt_node_free(p->map);
    rt_ctx_free(p->ctx);
}

/* Queue n jobs, `per_call` per job_submit; returns seconds or -1. */
static double plug_enqueue(plug *p, int n, int per_call, int64_t *first_id)
{
    ratchet_job_submit js[BATCH];
    char inputs[BATCH][64];
    int64_t ids[BATCH];
    int existed[BATCH];
    double t0 = now_s();
    for (int done = 0; done < n;) {
        int k = n - done < per_call ? n - done : per_call;
        for (int i = 0; i < k; i++) {
            make_input(done + i, inputs[i], sizeof inputs[i]);
            memset(&js[i], 0, sizeof js[i]);
            js[i].abi = (ratchet_abi)RATCHET_ABI_INIT(ratchet_job_submit);
            js[i].task_version_id = p->tv;
            js[i].input_json = inputs[i];
            js[i].priority = (ratchet_priority)(1 + (done + i) % 4);
            js[i].max_retries = 3;
            js[i].retry_base_ms = 1000;
            js[i].retry_max_ms = 60000;
        }
        if (p->vt->job_submit(p->self, js, (size_t)k, ids, existed) != RATCHET_OK) {
            fprintf(stderr, "job_submit: %s\n", rt_error_peek());
            return -1;
        }
        if (done == 0)
            *first_id = ids[0];
        done += k;
    }
    return now_s() - t0;
}

/* Claim and finish until empty; every job once. Returns seconds or -1. */
static double plug_burn(plug *p, int n, int64_t first_id)
{
    unsigned char *seen = calloc((size_t)n, 1);
    ratchet_claimed_job c[CLAIM_MAX];
    ratchet_job_finish f[CLAIM_MAX];
    const ratchet_host_api *h = rt_host_api();
    int total = 0, bad = !seen;
    double t0 = now_s();
    while (!bad) {
        size_t got = 0, applied = 0;
        int64_t now = h->now_us() / 1000;
        if (p->vt->job_claim(p->self, "bench", now, 60000, c, (size_t)claim_batch, &got) !=
            RATCHET_OK) {
            fprintf(stderr, "job_claim: %s\n", rt_error_peek());
            bad = 1;
            break;
        }
        if (got == 0)
            break;
        for (size_t i = 0; i < got; i++) {
            int64_t k = c[i].job_id - first_id;
            if (k < 0 || k >= n || seen[k]++) {
                fprintf(stderr, "job %lld claimed twice or unknown\n", (long long)c[i].job_id);
                bad = 1;
            }
            memset(&f[i], 0, sizeof f[i]);
            f[i].abi = (ratchet_abi)RATCHET_ABI_INIT(ratchet_job_finish);
            f[i].job_id = c[i].job_id;
            f[i].execution_id = c[i].execution_id;
            f[i].owner = "bench";
            f[i].kind = RATCHET_FINISH_COMPLETED;
            f[i].output_json = "{\"sum\":3}";
            f[i].started_ms = now;
            f[i].duration_ms = 1;
        }
        if (p->vt->job_finish(p->self, f, got, &applied) != RATCHET_OK || applied != got) {
            fprintf(stderr, "job_finish: %zu of %zu applied: %s\n", applied, got, rt_error_peek());
            bad = 1;
        }
        for (size_t i = 0; i < got; i++) {
            h->free(c[i].input_json);
            h->free(c[i].meta_json);
        }
        total += (int)got;
    }
    double t = now_s() - t0;
    free(seen);
    if (!bad && total != n) {
        fprintf(stderr, "burn-down: %d of %d jobs claimed\n", total, n);
        bad = 1;
    }
    /* Every job completed, as the plugin itself reports it. */
    ratchet_buf out = RATCHET_BUF_INIT;
    if (!bad &&
        p->vt->job_list(p->self, "{\"status\":\"completed\",\"limit\":1}", &out) == RATCHET_OK) {
        json_object *l = json_tokener_parse(out.data);
        json_object *tot = NULL;
        if (!l || !json_object_object_get_ex(l, "total", &tot) || json_object_get_int64(tot) != n) {
            fprintf(stderr, "burn-down: completed total is not %d: %s\n", n, out.data);
            bad = 1;
        }
        json_object_put(l);
    } else if (!bad) {
        bad = 1;
    }
    h->buf_free(&out);
    return bad ? -1 : t;
}

/* One round of the plugin: enqueue `n` in batches, burn down; then `n` single submits. */
static int plug_round(int n, double *enq_batch, double *enq_single, double *burn)
{
    plug p;
    int64_t first = 0;
    remove_db();
    int rc = plug_open(&p);
    if (rc == 0 && (*enq_batch = plug_enqueue(&p, n, BATCH, &first)) < 0)
        rc = -1;
    if (rc == 0 && (*burn = plug_burn(&p, n, first)) < 0)
        rc = -1;
    plug_close(&p);
    /* Single submits on a fresh file too, so both enqueue figures start from the same size. */
    remove_db();
    if (rc == 0)
        rc = plug_open(&p);
    if (rc == 0 && (*enq_single = plug_enqueue(&p, n, 1, &first)) < 0)
        rc = -1;
    plug_close(&p);
    return rc;
}

/* ---- bare SQLite ---------------------------------------------------------------------------- */

typedef struct bare {
    sqlite3 *db;
    sqlite3_stmt *begin, *commit, *insert, *select, *claim, *finish;
} bare;

static int bare_check(bare *b, int rc, const char *what)
{
    if (rc == SQLITE_OK || rc == SQLITE_DONE || rc == SQLITE_ROW)
        return 0;
    fprintf(stderr, "bare SQLite: %s: %s\n", what, sqlite3_errmsg(b->db));
    return -1;
}

static int bare_open(bare *b)
{
    memset(b, 0, sizeof *b);
    int rc = sqlite3_open_v2(
        dbfile, &b->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(b->db,
                          "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;"
                          "PRAGMA auto_vacuum = INCREMENTAL; PRAGMA journal_mode = WAL;"
                          "CREATE TABLE jobs (id INTEGER PRIMARY KEY, status TEXT NOT NULL, "
                          "priority INTEGER NOT NULL, input TEXT NOT NULL, output TEXT, "
                          "attempts INTEGER NOT NULL DEFAULT 0, lease_owner TEXT, "
                          "lease_until INTEGER, queued_at INTEGER NOT NULL, "
                          "process_at INTEGER NOT NULL, started_at INTEGER, "
                          "completed_at INTEGER) STRICT;"
                          "CREATE INDEX jobs_ready ON jobs (priority DESC, queued_at, id, "
                          "process_at) WHERE status IN ('queued', 'retrying');",
                          NULL, NULL, NULL);
    static const char *const sql[] = {
        "BEGIN IMMEDIATE",
        "COMMIT",
        "INSERT INTO jobs (status, priority, input, queued_at, process_at) "
        "VALUES ('queued', ?1, ?2, ?3, ?3)",
        "SELECT id FROM jobs INDEXED BY jobs_ready WHERE status IN ('queued', 'retrying') "
        "AND process_at <= ?1 ORDER BY priority DESC, queued_at, id LIMIT ?2",
        "UPDATE jobs SET status = 'processing', attempts = attempts + 1, lease_owner = ?2, "
        "lease_until = ?3, started_at = ?4 WHERE id = ?1 RETURNING input",
        "UPDATE jobs SET status = 'completed', output = ?2, completed_at = ?3, "
        "lease_owner = NULL, lease_until = NULL WHERE id = ?1 AND lease_owner = ?4",
    };
    sqlite3_stmt **st[] = {&b->begin, &b->commit, &b->insert, &b->select, &b->claim, &b->finish};
    for (size_t i = 0; rc == SQLITE_OK && i < sizeof st / sizeof *st; i++)
        rc = sqlite3_prepare_v3(b->db, sql[i], -1, SQLITE_PREPARE_PERSISTENT, st[i], NULL);
    return bare_check(b, rc, "open");
}

static void bare_close(bare *b)
{
    sqlite3_finalize(b->begin);
    sqlite3_finalize(b->commit);
    sqlite3_finalize(b->insert);
    sqlite3_finalize(b->select);
    sqlite3_finalize(b->claim);
    sqlite3_finalize(b->finish);
    sqlite3_close(b->db);
}

static int bare_step(bare *b, sqlite3_stmt *st, const char *what)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return bare_check(b, rc, what);
}

static double bare_enqueue(bare *b, int n, int per_txn)
{
    char input[64];
    double t0 = now_s();
    for (int done = 0; done < n;) {
        int k = n - done < per_txn ? n - done : per_txn;
        if (bare_step(b, b->begin, "begin"))
            return -1;
        int64_t now = rt_host_api()->now_us() / 1000;
        for (int i = 0; i < k; i++) {
            make_input(done + i, input, sizeof input);
            sqlite3_bind_int(b->insert, 1, 1 + (done + i) % 4);
            sqlite3_bind_text(b->insert, 2, input, -1, SQLITE_STATIC);
            sqlite3_bind_int64(b->insert, 3, now);
            if (bare_step(b, b->insert, "insert"))
                return -1;
        }
        if (bare_step(b, b->commit, "commit"))
            return -1;
        done += k;
    }
    return now_s() - t0;
}

static double bare_burn(bare *b, int n)
{
    int64_t ids[CLAIM_MAX];
    int total = 0;
    size_t handed = 0;
    double t0 = now_s();
    for (;;) {
        int64_t now = rt_host_api()->now_us() / 1000;
        int got = 0;
        if (bare_step(b, b->begin, "begin"))
            return -1;
        sqlite3_bind_int64(b->select, 1, now);
        sqlite3_bind_int(b->select, 2, claim_batch);
        while (sqlite3_step(b->select) == SQLITE_ROW)
            ids[got++] = sqlite3_column_int64(b->select, 0);
        sqlite3_reset(b->select);
        for (int i = 0; i < got; i++) {
            sqlite3_bind_int64(b->claim, 1, ids[i]);
            sqlite3_bind_text(b->claim, 2, "bench", -1, SQLITE_STATIC);
            sqlite3_bind_int64(b->claim, 3, now + 60000);
            sqlite3_bind_int64(b->claim, 4, now);
            int rc = sqlite3_step(b->claim);
            if (rc == SQLITE_ROW) { /* what a claim hands out: the input, copied */
                char *copy = strdup((const char *)sqlite3_column_text(b->claim, 0));
                handed += copy ? strlen(copy) : 0;
                free(copy);
                rc = sqlite3_step(b->claim);
            }
            sqlite3_reset(b->claim);
            if (bare_check(b, rc, "claim"))
                return -1;
        }
        if (bare_step(b, b->commit, "commit"))
            return -1;
        if (got == 0)
            break;
        if (bare_step(b, b->begin, "begin"))
            return -1;
        for (int i = 0; i < got; i++) {
            sqlite3_bind_int64(b->finish, 1, ids[i]);
            sqlite3_bind_text(b->finish, 2, "{\"sum\":3}", -1, SQLITE_STATIC);
            sqlite3_bind_int64(b->finish, 3, now);
            sqlite3_bind_text(b->finish, 4, "bench", -1, SQLITE_STATIC);
            if (bare_step(b, b->finish, "finish") || sqlite3_changes(b->db) != 1)
                return -1;
        }
        if (bare_step(b, b->commit, "commit"))
            return -1;
        total += got;
    }
    double t = now_s() - t0;
    if (total != n || handed < (size_t)n * 2) {
        fprintf(stderr, "bare burn-down: %d of %d, %zu input bytes\n", total, n, handed);
        return -1;
    }
    return t;
}

static int bare_round(int n, double *enq_batch, double *enq_single, double *burn)
{
    bare b;
    remove_db();
    int rc = bare_open(&b);
    if (rc == 0 && (*enq_batch = bare_enqueue(&b, n, BATCH)) < 0)
        rc = -1;
    if (rc == 0 && (*burn = bare_burn(&b, n)) < 0)
        rc = -1;
    bare_close(&b);
    remove_db();
    if (rc == 0)
        rc = bare_open(&b);
    if (rc == 0 && (*enq_single = bare_enqueue(&b, n, 1)) < 0)
        rc = -1;
    bare_close(&b);
    return rc;
}

/* ---- main ------------------------------------------------------------------------------------ */

static void best(double *keep, double t)
{
    if (*keep <= 0 || t < *keep)
        *keep = t;
}

static void row(const char *what, int n, double plug_t, double bare_t)
{
    double pr = n / plug_t, br = n / bare_t;
    printf("%-28s %12.0f jobs/s %12.0f jobs/s %8.2f\n", what, pr, br, pr / br);
}

int main(int argc, char **argv)
{
    int n = 10000, rounds = 3, quick = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--quick") == 0) {
            quick = 1;
        } else if (strcmp(argv[i], "--jobs") == 0 && i + 1 < argc) {
            n = atoi(argv[++i]);
        } else if (strcmp(argv[i], "--rounds") == 0 && i + 1 < argc) {
            rounds = atoi(argv[++i]);
        } else if (strcmp(argv[i], "--claim") == 0 && i + 1 < argc) {
            claim_batch = atoi(argv[++i]);
        } else {
            fprintf(stderr, "usage: bench_queue [--quick] [--jobs N] [--rounds R] [--claim N]\n");
            return 2;
        }
    }
    if (quick) {
        n = 1000;
        rounds = 1;
    }
    if (n < 1 || rounds < 1 || claim_batch < 1 || claim_batch > CLAIM_MAX) {
        fprintf(stderr, "bench_queue: --jobs and --rounds must be positive, --claim 1..%d\n",
                CLAIM_MAX);
        return 2;
    }
    const char *base = getenv("RATCHET_TEST_TMP");
    snprintf(dir, sizeof dir, "%s/bench-queue-XXXXXX", base && *base ? base : "/tmp");
    if (!mkdtemp(dir)) {
        fprintf(stderr, "bench_queue: mkdtemp %s: %s\n", dir, strerror(errno));
        return 1;
    }
    snprintf(dbfile, sizeof dbfile, "%s/queue.db", dir);

    double pb = 0, ps = 0, pu = 0, bb = 0, bs = 0, bu = 0;
    int rc = 0;
    for (int r = 0; r < rounds && rc == 0; r++) {
        double b1 = 0, s1 = 0, u1 = 0;
        rc = plug_round(n, &b1, &s1, &u1);
        best(&pb, b1);
        best(&ps, s1);
        best(&pu, u1);
        if (rc == 0)
            rc = bare_round(n, &b1, &s1, &u1);
        best(&bb, b1);
        best(&bs, s1);
        best(&bu, u1);
    }
    remove_db();
    rmdir(dir);
    if (rc != 0) {
        fprintf(stderr, "bench_queue: FAILED (wrong results above)\n");
        return 1;
    }
    printf("bench_queue: %d jobs, file database (WAL, synchronous=normal), best of %d round%s\n", n,
           rounds, rounds == 1 ? "" : "s");
    printf("%-28s %19s %19s %8s\n", "", "storage-sqlite", "bare SQLite", "ratio");
    row("enqueue, 100 per call", n, pb, bb);
    row("enqueue, 1 per call", n, ps, bs);
    char what[64];
    snprintf(what, sizeof what, "claim %d + finish %d", claim_batch, claim_batch);
    row(what, n, pu, bu);
    return 0;
}
