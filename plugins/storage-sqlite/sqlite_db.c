/*
 * sqlite_db.c - connections, the per-connection statement cache, transactions and the mapping
 * of SQLite errors to Ratchet statuses.
 */
#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "sqlite_int.h"

int64_t sq_now_ms(void)
{
    return sq_host->now_us() / 1000;
}

int64_t sq_mono_ms(void)
{
    return sq_host->monotonic_ns() / 1000000;
}

/* Now on `clock`, plus ms. */
static struct timespec clock_after(clockid_t clock, int64_t ms)
{
    struct timespec t;
    clock_gettime(clock, &t);
    t.tv_sec += (time_t)(ms / 1000);
    t.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (t.tv_nsec >= 1000000000L) {
        t.tv_sec++;
        t.tv_nsec -= 1000000000L;
    }
    return t;
}

struct timespec sq_deadline(int64_t ms)
{
    return clock_after(CLOCK_MONOTONIC, ms < 0 ? 0 : ms);
}

ratchet_status sq_cond_init(pthread_cond_t *cv)
{
    pthread_condattr_t a;
    if (pthread_condattr_init(&a) != 0)
        return RATCHET_NOMEM;
    pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
    int rc = pthread_cond_init(cv, &a);
    pthread_condattr_destroy(&a);
    return rc == 0 ? RATCHET_OK : RATCHET_NOMEM;
}

/* pthread_mutex_timedlock takes CLOCK_REALTIME. */
static struct timespec realtime_after(int64_t ms)
{
    return clock_after(CLOCK_REALTIME, ms);
}

/*
 * Busy handler. SQLite's own (busy_timeout) sleeps 1, 2, 5, 10 ... 100 ms between attempts;
 * against a process that commits back to back (a busy `ratchet serve`) it keeps waking in the
 * middle of the next transaction and can starve for the whole timeout. Retrying every 100 us
 * at first, then every 1 ms, finds the short gaps between transactions, and a BEGIN that waits
 * longer than its first retry asks the other processes' writers for a turn (sqlite_turn.c).
 * Gives up (SQLITE_BUSY, reported as RATCHET_RETRY) after busy_timeout.
 */
static int busy_handler(void *arg, int count)
{
    sq_conn *c = arg;
    int64_t now = sq_host->monotonic_ns();
    if (count == 0)
        c->busy_since_ns = now;
    if (now - c->busy_since_ns >= c->busy_ms * 1000000)
        return 0;
    if (count >= 1 && c->in_begin)
        sq_turn_announce(c);
    struct timespec d = {0, count < 20 ? 100000L : 1000000L};
    nanosleep(&d, NULL);
    return 1;
}

static int semver_collate(void *unused, int alen, const void *a, int blen, const void *b)
{
    (void)unused;
    return rs_version_cmp(a, (size_t)alen, b, (size_t)blen);
}

ratchet_status sq_fail(sq_inst *in, sq_conn *c, int rc, const char *what)
{
    int prim = rc & 0xff;
    const char *msg = c && c->db ? sqlite3_errmsg(c->db) : sqlite3_errstr(rc);
    const char *where = in->memory ? ":memory:" : in->path;
    if (prim == SQLITE_BUSY || prim == SQLITE_LOCKED) {
        sq_host->set_error(in->ctx,
                           "%s: database %s is busy: another process kept it locked longer "
                           "than busy_timeout (%lld ms)",
                           what, where, (long long)in->busy_ms);
        return RATCHET_RETRY;
    }
    if (prim == SQLITE_NOMEM) {
        sq_host->set_error(in->ctx, "%s: out of memory", what);
        return RATCHET_NOMEM;
    }
    sq_host->set_error(in->ctx, "%s: %s (database %s)", what, msg, where);
    return RATCHET_ERR;
}

ratchet_status sq_exec(sq_inst *in, sq_conn *c, const char *sql)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(c->db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK) {
        do
            rc = sqlite3_step(st);
        while (rc == SQLITE_ROW);
    }
    if (rc == SQLITE_DONE)
        rc = SQLITE_OK;
    ratchet_status s = rc == SQLITE_OK ? RATCHET_OK : sq_fail(in, c, rc, sql);
    sqlite3_finalize(st);
    return s;
}

/* A pragma that answers one integer (page_count): *out. */
static ratchet_status pragma_int(sq_inst *in, sq_conn *c, const char *sql, int64_t *out)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(c->db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
        *out = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? RATCHET_OK : sq_fail(in, c, rc, sql);
}

/* A pragma that answers one text row (journal_mode): the answer must equal `want`. */
static ratchet_status pragma_expect(sq_inst *in, sq_conn *c, const char *sql, const char *want)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(c->db, sql, -1, &st, NULL);
    /* Switching a new file to WAL needs an exclusive lock, and SQLite does not always call
     * the busy handler for it (processes opening one new file together): retry here, within
     * the busy timeout. */
    for (int64_t waited = 0; rc == SQLITE_OK || (rc & 0xff) == SQLITE_BUSY;) {
        rc = sqlite3_step(st);
        if ((rc & 0xff) != SQLITE_BUSY || waited >= c->busy_ms)
            break;
        sqlite3_reset(st);
        struct timespec pause = {0, 1000000}; /* 1 ms between tries */
        nanosleep(&pause, NULL);
        waited++;
    }
    ratchet_status s = RATCHET_OK;
    if (rc == SQLITE_ROW) {
        const char *got = (const char *)sqlite3_column_text(st, 0);
        if (!got || strcmp(got, want) != 0) {
            sq_host->set_error(in->ctx, "%s: answered '%s', expected '%s' (database %s)", sql,
                               got ? got : "", want, in->path);
            s = RATCHET_ERR;
        }
    } else {
        s = sq_fail(in, c, rc, sql);
    }
    sqlite3_finalize(st);
    return s;
}

ratchet_status sq_open(sq_inst *in, sq_conn **out)
{
    *out = NULL;
    sq_conn *c = sq_host->calloc(1, sizeof *c);
    if (!c) {
        sq_host->set_error(in->ctx, "out of memory");
        return RATCHET_NOMEM;
    }
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    int rc = sqlite3_open_v2(in->memory ? ":memory:" : in->path, &c->db, flags, NULL);
    if (rc != SQLITE_OK) {
        sq_host->set_error(in->ctx, "cannot open database %s: %s",
                           in->memory ? ":memory:" : in->path,
                           c->db ? sqlite3_errmsg(c->db) : sqlite3_errstr(rc));
        sq_close(c);
        return RATCHET_ERR;
    }
    sqlite3_extended_result_codes(c->db, 1);
    c->in = in;
    c->busy_ms = in->busy_ms;
    sqlite3_busy_handler(c->db, busy_handler, c);
    rc = sqlite3_create_collation(c->db, "semver", SQLITE_UTF8, NULL, semver_collate);
    if (rc != SQLITE_OK) {
        ratchet_status s = sq_fail(in, c, rc, "registering the semver collation");
        sq_close(c);
        return s;
    }

    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA synchronous = %s", in->sync);
    ratchet_status s = sq_exec(in, c, "PRAGMA foreign_keys = ON");
    if (s == RATCHET_OK)
        s = sq_exec(in, c, sql);
    /* auto_vacuum and page_size only take effect on a new, empty file (before
     * journal_mode=WAL writes its header), so they are set on such a file only: on an
     * existing one they change nothing, and "auto_vacuum = INCREMENTAL" would still take the
     * write lock and commit page 1 again (every connection opened was a write). auto_vacuum
     * lets prune() hand freed pages back to the file system; page_size: see sqlite.c. */
    int64_t pages = 0;
    if (s == RATCHET_OK)
        s = pragma_int(in, c, "PRAGMA page_count", &pages);
    if (s == RATCHET_OK && pages == 0 && in->page_size > 0) {
        snprintf(sql, sizeof sql, "PRAGMA page_size = %d", in->page_size);
        s = sq_exec(in, c, sql);
    }
    if (s == RATCHET_OK && pages == 0)
        s = sq_exec(in, c,
                    in->incremental ? "PRAGMA auto_vacuum = INCREMENTAL"
                                    : "PRAGMA auto_vacuum = NONE");
    /* WAL lets readers (the API, other processes) proceed while the dispatcher writes; the
     * mode is stored in the file, so only the first connection changes it. */
    if (s == RATCHET_OK && !in->memory)
        s = pragma_expect(in, c, "PRAGMA journal_mode = WAL", "wal");
    if (s != RATCHET_OK) {
        sq_close(c);
        return s;
    }
    sq_ckpt_attach(in, c);
    *out = c;
    return RATCHET_OK;
}

void sq_close(sq_conn *c)
{
    if (!c)
        return;
    for (int i = 0; i < SQ_SLOT_COUNT; i++)
        sqlite3_finalize(c->stmt[i]);
    /* close_v2: a statement we failed to finalize must not leak the handle. */
    sqlite3_close_v2(c->db);
    sq_host->free(c);
}

/* How long a thread queues inside this process (for a pooled connection, for the writer
 * mutex): longer than the holder may itself wait for another process's lock, so that a busy
 * database shows up as the holder's RETRY, not as ours; and never zero. */
static int64_t queue_ms(const sq_inst *in)
{
    return in->busy_ms + 1000;
}

ratchet_status sq_acquire(sq_inst *in, sq_conn **out)
{
    *out = NULL;
    pthread_mutex_lock(&in->pool_mu);
    struct timespec until = sq_deadline(queue_ms(in));
    while (!in->idle && in->nconns >= in->pool_max) {
        int rc = pthread_cond_timedwait(&in->pool_cv, &in->pool_mu, &until);
        if (rc == ETIMEDOUT && !in->idle) {
            pthread_mutex_unlock(&in->pool_mu);
            sq_host->set_error(in->ctx,
                               "all %d database connections stayed busy for %lld ms (raise "
                               "`connections`?)",
                               in->pool_max, (long long)queue_ms(in));
            return RATCHET_RETRY;
        }
    }
    if (in->idle) {
        *out = in->idle;
        in->idle = in->idle->next_idle;
        pthread_mutex_unlock(&in->pool_mu);
        return RATCHET_OK;
    }
    /* Reserve the slot, then open outside the lock: opening may wait on the file. */
    in->nconns++;
    pthread_mutex_unlock(&in->pool_mu);

    sq_conn *c = NULL;
    ratchet_status s = sq_open(in, &c);
    pthread_mutex_lock(&in->pool_mu);
    if (s != RATCHET_OK) {
        in->nconns--;
        pthread_cond_signal(&in->pool_cv);
    } else {
        for (int i = 0; i < in->pool_max; i++)
            if (!in->conns[i]) {
                in->conns[i] = c;
                break;
            }
    }
    pthread_mutex_unlock(&in->pool_mu);
    *out = c;
    return s;
}

/* Take one of the mutexes writers of this process queue on (write_mu, writer_mu), waiting at
 * most queue_ms: RATCHET_RETRY, said, when another writer held it that long. */
static ratchet_status lock_writer_mutex(sq_inst *in, pthread_mutex_t *mu)
{
    struct timespec until = realtime_after(queue_ms(in));
    if (pthread_mutex_timedlock(mu, &until) == 0)
        return RATCHET_OK;
    sq_host->set_error(in->ctx, "another writer of this process held the database for %lld ms",
                       (long long)queue_ms(in));
    return RATCHET_RETRY;
}

/* The writer connection (see sqlite_int.h), opened on first use, owned until sq_release. A
 * private in-memory database has one connection only: there the pool's is used. */
static ratchet_status acquire_writer(sq_inst *in, sq_conn **out)
{
    if (in->memory)
        return sq_acquire(in, out);
    ratchet_status s = lock_writer_mutex(in, &in->writer_mu);
    if (s != RATCHET_OK)
        return s;
    s = in->writer ? RATCHET_OK : sq_open(in, &in->writer);
    if (s != RATCHET_OK) {
        pthread_mutex_unlock(&in->writer_mu);
        return s;
    }
    in->writer->is_writer = 1;
    *out = in->writer;
    return RATCHET_OK;
}

ratchet_status sq_acquire_begin(sq_inst *in, sq_conn **out)
{
    ratchet_status s = acquire_writer(in, out);
    if (s == RATCHET_OK && (s = sq_begin(in, *out)) != RATCHET_OK) {
        sq_release(in, *out);
        *out = NULL;
    }
    return s;
}

void sq_release(sq_inst *in, sq_conn *c)
{
    if (!c)
        return;
    if (c->is_writer) {
        pthread_mutex_unlock(&in->writer_mu);
        return;
    }
    pthread_mutex_lock(&in->pool_mu);
    c->next_idle = in->idle;
    in->idle = c;
    pthread_cond_signal(&in->pool_cv);
    pthread_mutex_unlock(&in->pool_mu);
}

void sq_pool_trim(sq_inst *in)
{
    pthread_mutex_lock(&in->pool_mu); /* an idle connection stays ours while it is held */
    for (sq_conn *c = in->idle; c; c = c->next_idle)
        sqlite3_db_release_memory(c->db);
    pthread_mutex_unlock(&in->pool_mu);
    if (pthread_mutex_trylock(&in->writer_mu) == 0) { /* in use: it is not idle */
        if (in->writer)
            sqlite3_db_release_memory(in->writer->db);
        pthread_mutex_unlock(&in->writer_mu);
    }
    malloc_trim(0);
}

/* Let SQLite keep its planner statistics fresh, as it recommends at close, with the sample
 * limit it recommends too: without it, optimize may ANALYZE a table of a million jobs in full
 * when a short CLI command closes (0.7 s per `jobs show`). */
static void optimize_close(sq_conn **c)
{
    if (!*c)
        return;
    sqlite3_exec((*c)->db, "PRAGMA analysis_limit = 400; PRAGMA optimize", NULL, NULL, NULL);
    sq_close(*c);
    *c = NULL;
}

void sq_pool_close(sq_inst *in)
{
    pthread_mutex_lock(&in->pool_mu);
    for (int i = 0; i < in->pool_max; i++)
        optimize_close(&in->conns[i]);
    in->idle = NULL;
    in->nconns = 0;
    pthread_mutex_unlock(&in->pool_mu);
    pthread_mutex_lock(&in->writer_mu);
    optimize_close(&in->writer);
    pthread_mutex_unlock(&in->writer_mu);
}

sqlite3_stmt *sq_stmt(sq_inst *in, sq_conn *c, sq_slot slot, const char *sql)
{
    if (c->stmt[slot])
        return c->stmt[slot];
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
    if (rc != SQLITE_OK) {
        sq_fail(in, c, rc, "preparing a statement");
        sqlite3_finalize(st);
        return NULL;
    }
    c->stmt[slot] = st;
    return st;
}

void sq_reset(sqlite3_stmt *st)
{
    if (!st)
        return;
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
}

ratchet_status sq_step_done(sq_inst *in, sq_conn *c, sqlite3_stmt *st, const char *what)
{
    int rc = sqlite3_step(st);
    sq_reset(st);
    return rc == SQLITE_DONE ? RATCHET_OK : sq_fail(in, c, rc, what);
}

ratchet_status sq_write_lock(sq_inst *in)
{
    return lock_writer_mutex(in, &in->write_mu);
}

void sq_write_unlock(sq_inst *in)
{
    pthread_mutex_unlock(&in->write_mu);
}

static ratchet_status step_done(sq_inst *in, sq_conn *c, sq_slot slot, const char *sql)
{
    sqlite3_stmt *st = sq_stmt(in, c, slot, sql);
    if (!st)
        return RATCHET_ERR;
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? RATCHET_OK : sq_fail(in, c, rc, sql);
}

ratchet_status sq_begin(sq_inst *in, sq_conn *c)
{
    ratchet_status s = sq_write_lock(in);
    if (s != RATCHET_OK)
        return s;
    sq_turn_give(in);
    c->in_begin = 1;
    s = step_done(in, c, SQ_BEGIN, "BEGIN IMMEDIATE");
    c->in_begin = 0;
    sq_turn_withdraw(c);
    if (s != RATCHET_OK)
        sq_write_unlock(in);
    memset(c->moved, 0, sizeof c->moved);
    return s;
}

ratchet_status sq_commit(sq_inst *in, sq_conn *c)
{
    ratchet_status s = sq_counts_flush(in, c);
    if (s != RATCHET_OK) {
        sq_rollback(in, c);
        return s;
    }
    s = step_done(in, c, SQ_COMMIT, "COMMIT");
    if (s != RATCHET_OK && !sqlite3_get_autocommit(c->db)) {
        /* A failed COMMIT leaves the transaction open: end it so the connection is usable. */
        sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
    }
    sq_write_unlock(in);
    return s;
}

void sq_rollback(sq_inst *in, sq_conn *c)
{
    if (!sqlite3_get_autocommit(c->db)) {
        sqlite3_stmt *st = sq_stmt(in, c, SQ_ROLLBACK, "ROLLBACK");
        if (st) {
            sqlite3_step(st);
            sqlite3_reset(st);
        }
    }
    sq_write_unlock(in);
}

int sq_bind_text(sqlite3_stmt *st, int i, const char *s)
{
    return s ? sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC) : sqlite3_bind_null(st, i);
}

int sq_bind_int(sqlite3_stmt *st, int i, int64_t v)
{
    return sqlite3_bind_int64(st, i, v);
}

int sq_bind_opt(sqlite3_stmt *st, int i, int64_t v)
{
    return v ? sqlite3_bind_int64(st, i, v) : sqlite3_bind_null(st, i);
}

char *sq_col_dup(sqlite3_stmt *st, int i, int *oom)
{
    const char *t = (const char *)sqlite3_column_text(st, i);
    if (!t)
        return NULL;
    char *d = sq_host->strdup(t);
    if (!d)
        *oom = 1;
    return d;
}

/* ---- rows for storage-common's emitters ------------------------------------------------- */

static sqlite3_stmt *row_stmt(const rs_row *r)
{
    return (sqlite3_stmt *)(uintptr_t)r->src; /* a stepped statement, see sq_row */
}

static int row_is_null(const rs_row *r, int col)
{
    return sqlite3_column_type(row_stmt(r), col) == SQLITE_NULL;
}

static int64_t row_int64(const rs_row *r, int col)
{
    return sqlite3_column_int64(row_stmt(r), col);
}

static const char *row_text(const rs_row *r, int col)
{
    return (const char *)sqlite3_column_text(row_stmt(r), col);
}

static int row_boolean(const rs_row *r, int col)
{
    return sqlite3_column_int(row_stmt(r), col) != 0;
}

static double row_real(const rs_row *r, int col)
{
    return sqlite3_column_double(row_stmt(r), col);
}

const rs_row_ops sq_row_ops = {row_is_null, row_int64, row_text, row_boolean, row_real};

ratchet_status sq_emit_rows(sq_inst *in, sq_conn *c, sqlite3_stmt *st, rs_emit_fn emit,
                            const char *what, ratchet_buf *out)
{
    rs_out o;
    rs_out_init(&o, out);
    rs_out_begin(&o, NULL, '[');
    rs_row row = sq_row(st);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        emit(&o, &row);
    rs_out_end(&o, ']');
    sq_reset(st);
    if (rc != SQLITE_DONE)
        return sq_fail(in, c, rc, what);
    return rs_out_done(in->ctx, &o);
}

static ratchet_status pool_ready(void *inst)
{
    return sq_ready(inst);
}

static ratchet_status pool_acquire(void *inst, int begin, void **conn)
{
    sq_conn *c = NULL;
    ratchet_status s = begin ? sq_acquire_begin(inst, &c) : sq_acquire(inst, &c);
    *conn = c;
    return s;
}

static ratchet_status pool_end(void *inst, void *conn, ratchet_status s)
{
    if (s == RATCHET_OK)
        return sq_commit(inst, conn);
    sq_rollback(inst, conn);
    return s;
}

static void pool_release(void *inst, void *conn)
{
    sq_release(inst, conn);
}

static const rs_pool_ops pool_ops = {pool_ready, pool_acquire, pool_end, pool_release};

ratchet_status sq_with_conn(void *inst, rs_conn_fn fn, void *arg)
{
    return rs_with_conn(&pool_ops, inst, fn, arg);
}

ratchet_status sq_with_tx(void *inst, rs_conn_fn fn, void *arg)
{
    return rs_with_tx(&pool_ops, inst, fn, arg);
}
