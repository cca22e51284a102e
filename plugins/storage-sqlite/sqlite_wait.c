/*
 * sqlite_wait.c - wait()/notify(), prune() and the retention thread.
 *
 * Wake-ups. SQLite cannot notify, so two mechanisms cover the two distances:
 *
 *  - In this process, every committed change to jobs or schedules (submit, finish, cancel,
 *    retry, requeue, schedule changes) and every notify() increments `gen` under wake_mu and
 *    broadcasts wake_cv: a waiter wakes at once.
 *  - Across processes, the same writes increment wakeups.seq inside their transaction. wait()
 *    polls PRAGMA data_version on a dedicated connection every poll_interval (20 ms by
 *    default): it changes only when another connection committed, costs no I/O in WAL mode
 *    (it reads the shared-memory WAL index), and only then is wakeups.seq read. Writes that
 *    nobody waits for (claims, lease renewals, task syncs) change data_version but not seq,
 *    so they cost one small read and wake no one. Latency: at most poll_interval plus one read
 *    after the other process commits.
 *
 * inotify on the -wal file was the alternative: lower latency, but Linux-only, and the WAL is
 * deleted and recreated when the last connection closes, which needs a directory watch plus
 * filtering. 20 ms polling of a shared-memory counter meets the 50 ms target simply.
 *
 * No lost wake-ups: job_claim records the gen it started from and the seq its transaction saw
 * (sq_wake_seen); wait() returns at once when either has moved since, so a submit landing
 * between an empty claim and the next wait() is not slept through.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "sqlite_int.h"

/* Retention passes: the first soon after start (a restarted server catches up), then hourly.
 * Jobs are deleted in chunks, each its own transaction, so other writers get in between. */
#define SQ_MAINT_FIRST_MS 10000
#define SQ_MAINT_EVERY_MS 3600000
#define SQ_PRUNE_CHUNK    1000

static ratchet_status cond_init_mono(pthread_cond_t *cv)
{
    pthread_condattr_t a;
    if (pthread_condattr_init(&a) != 0)
        return RATCHET_NOMEM;
    pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
    int rc = pthread_cond_init(cv, &a);
    pthread_condattr_destroy(&a);
    return rc == 0 ? RATCHET_OK : RATCHET_NOMEM;
}

ratchet_status sq_wait_init(sq_inst *in)
{
    if (cond_init_mono(&in->wake_cv) != RATCHET_OK)
        return RATCHET_NOMEM;
    if (cond_init_mono(&in->maint_cv) != RATCHET_OK) {
        pthread_cond_destroy(&in->wake_cv);
        return RATCHET_NOMEM;
    }
    pthread_mutex_init(&in->wake_mu, NULL);
    pthread_mutex_init(&in->watch_mu, NULL);
    pthread_mutex_init(&in->maint_mu, NULL);
    return RATCHET_OK;
}

void sq_wait_destroy(sq_inst *in)
{
    pthread_cond_destroy(&in->wake_cv);
    pthread_cond_destroy(&in->maint_cv);
    pthread_mutex_destroy(&in->wake_mu);
    pthread_mutex_destroy(&in->watch_mu);
    pthread_mutex_destroy(&in->maint_mu);
}

/* ---- the change counter ---------------------------------------------------------------- */

ratchet_status sq_wake_bump(sq_inst *in, sq_conn *c, int64_t *seq)
{
    sqlite3_stmt *st = sq_stmt(in, c, SQ_WAKE_BUMP,
                               "UPDATE wakeups SET seq = seq + 1 WHERE id = 1 RETURNING seq");
    if (!st)
        return RATCHET_ERR;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *seq = sqlite3_column_int64(st, 0);
        rc = sqlite3_step(st);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? RATCHET_OK : sq_fail(in, c, rc, "counting a change");
}

ratchet_status sq_wake_read(sq_inst *in, sq_conn *c, int64_t *seq)
{
    sqlite3_stmt *st = sq_stmt(in, c, SQ_WAKE_READ, "SELECT seq FROM wakeups WHERE id = 1");
    if (!st)
        return RATCHET_ERR;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *seq = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? RATCHET_OK : sq_fail(in, c, rc, "reading the change counter");
}

void sq_wake_local(sq_inst *in, int64_t seq)
{
    pthread_mutex_lock(&in->wake_mu);
    in->gen++;
    /* Our own change: local waiters wake through gen, so it must not count again as another
     * process's when the next wait() compares sequence numbers. */
    if (seq > 0 && in->seen_seq == seq - 1)
        in->seen_seq = seq;
    pthread_cond_broadcast(&in->wake_cv);
    pthread_mutex_unlock(&in->wake_mu);
}

uint64_t sq_wake_gen(sq_inst *in)
{
    pthread_mutex_lock(&in->wake_mu);
    uint64_t g = in->gen;
    pthread_mutex_unlock(&in->wake_mu);
    return g;
}

void sq_wake_seen(sq_inst *in, uint64_t gen, int64_t seq)
{
    pthread_mutex_lock(&in->wake_mu);
    in->seen_gen = gen;
    if (seq >= 0)
        in->seen_seq = seq;
    pthread_mutex_unlock(&in->wake_mu);
}

/* The change counter as other processes last left it: cheap while data_version stands. */
static ratchet_status watch_poll(sq_inst *in, int64_t *seq)
{
    pthread_mutex_lock(&in->watch_mu);
    sq_conn *c = in->watch;
    ratchet_status s = RATCHET_OK;
    sqlite3_stmt *st = c ? sq_stmt(in, c, SQ_DATA_VERSION, "PRAGMA data_version") : NULL;
    if (!c) {
        /* stop() closed it under a waiter: nothing more will change. */
    } else if (!st) {
        s = RATCHET_ERR;
    } else {
        int rc = sqlite3_step(st);
        int64_t dv = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
        sqlite3_reset(st);
        if (rc != SQLITE_ROW)
            s = sq_fail(in, c, rc, "PRAGMA data_version");
        else if (dv != in->watch_dv) {
            s = sq_wake_read(in, c, &in->watch_seq);
            if (s == RATCHET_OK)
                in->watch_dv = dv;
        }
    }
    *seq = in->watch_seq;
    pthread_mutex_unlock(&in->watch_mu);
    return s;
}

ratchet_status sqlite_wait(void *instance, int64_t timeout_ms)
{
    sq_inst *in = instance;
    ratchet_status s = sq_ready(in);
    if (s != RATCHET_OK)
        return s;
    int64_t deadline = sq_mono_ms() + (timeout_ms > 0 ? timeout_ms : 0);
    int64_t seq = -1;
    int watching = in->watch != NULL; /* set in start(), cleared only by stop() */
    if (watching && (s = watch_poll(in, &seq)) != RATCHET_OK)
        return s;

    pthread_mutex_lock(&in->wake_mu);
    if (in->gen != in->seen_gen || (seq >= 0 && seq != in->seen_seq) || in->stopping) {
        in->seen_gen = in->gen;
        if (seq >= 0)
            in->seen_seq = seq;
        pthread_mutex_unlock(&in->wake_mu);
        return RATCHET_OK;
    }
    uint64_t gen0 = in->gen;
    for (;;) {
        int64_t now = sq_mono_ms();
        if (now >= deadline) {
            s = RATCHET_RETRY;
            break;
        }
        int64_t slice = deadline - now;
        if (watching && slice > in->poll_ms)
            slice = in->poll_ms;
        struct timespec until = sq_deadline(slice);
        pthread_cond_timedwait(&in->wake_cv, &in->wake_mu, &until);
        if (in->gen != gen0 || in->stopping) {
            s = RATCHET_OK;
            break;
        }
        if (!watching)
            continue;
        pthread_mutex_unlock(&in->wake_mu);
        int64_t now_seq = seq;
        ratchet_status ps = watch_poll(in, &now_seq);
        pthread_mutex_lock(&in->wake_mu);
        if (ps != RATCHET_OK) {
            /* A busy database is no reason to fail a wait; a broken one is. */
            if (ps == RATCHET_RETRY)
                continue;
            s = ps;
            break;
        }
        if (now_seq != seq) {
            in->seen_seq = now_seq;
            s = RATCHET_OK;
            break;
        }
    }
    if (s == RATCHET_OK)
        in->seen_gen = in->gen;
    pthread_mutex_unlock(&in->wake_mu);
    return s;
}

void sqlite_notify(void *instance)
{
    sq_inst *in = instance;
    sq_wake_local(in, 0);
    if (!in->started || in->memory)
        return;
    /* Other processes only see the counter: one short write transaction. notify() cannot
     * fail, so a busy database leaves them to their next change. */
    sq_conn *c = NULL;
    int64_t seq = 0;
    ratchet_status s = sq_acquire(in, &c);
    if (s == RATCHET_OK && (s = sq_begin(in, c)) == RATCHET_OK) {
        s = sq_wake_bump(in, c, &seq);
        if (s == RATCHET_OK)
            s = sq_commit(in, c);
        else
            sq_rollback(in, c);
    }
    sq_release(in, c);
    if (s == RATCHET_OK)
        sq_wake_local(in, seq);
    else if (sq_host->log_enabled(RATCHET_LOG_DEBUG))
        sq_host->log(in->ctx, RATCHET_LOG_DEBUG, "notify reached this process only");
}

/* ---- prune ------------------------------------------------------------------------------ */

static ratchet_status prune_chunk(sq_inst *in, sq_conn *c, int64_t cutoff, size_t *n)
{
    ratchet_status s = sq_begin(in, c);
    if (s != RATCHET_OK)
        return s;
    /* Executions and delivery results go with their job (ON DELETE CASCADE). */
    sqlite3_stmt *st = sq_stmt(in, c, SQ_PRUNE,
                               "DELETE FROM jobs WHERE id IN (SELECT id FROM jobs "
                               "WHERE completed_at < ?1 AND status IN ('completed', 'failed', "
                               "'cancelled') LIMIT ?2)");
    if (!st) {
        sq_rollback(in, c);
        return RATCHET_ERR;
    }
    sq_bind_int(st, 1, cutoff);
    sq_bind_int(st, 2, SQ_PRUNE_CHUNK);
    int rc = sqlite3_step(st);
    sq_reset(st);
    if (rc != SQLITE_DONE) {
        s = sq_fail(in, c, rc, "pruning jobs");
        sq_rollback(in, c);
        return s;
    }
    *n = (size_t)sqlite3_changes(c->db);
    return sq_commit(in, c);
}

/* Give freed pages back and shrink the WAL. Both write, so they queue like writers. */
static ratchet_status reclaim(sq_inst *in, sq_conn *c)
{
    ratchet_status s = RATCHET_OK;
    if (in->incremental) {
        if ((s = sq_write_lock(in)) != RATCHET_OK)
            return s;
        s = sq_exec(in, c, "PRAGMA incremental_vacuum");
        sq_write_unlock(in);
    }
    if (s == RATCHET_OK && !in->memory) {
        if ((s = sq_write_lock(in)) != RATCHET_OK)
            return s;
        /* Readers of other processes may hold the WAL open: then the checkpoint copies what
         * it can and the file shrinks at a later one; that is not an error. */
        s = sq_exec(in, c, "PRAGMA wal_checkpoint(TRUNCATE)");
        sq_write_unlock(in);
    }
    return s;
}

static ratchet_status prune_run(sq_inst *in, int64_t older_than_ms, size_t *removed)
{
    *removed = 0;
    sq_conn *c = NULL;
    ratchet_status s = sq_acquire(in, &c);
    if (s != RATCHET_OK)
        return s;
    size_t n = SQ_PRUNE_CHUNK;
    while (s == RATCHET_OK && n == SQ_PRUNE_CHUNK) {
        n = 0;
        s = prune_chunk(in, c, older_than_ms, &n);
        *removed += n;
    }
    if (s == RATCHET_OK)
        s = reclaim(in, c);
    sq_release(in, c);
    return s;
}

ratchet_status sqlite_prune(void *instance, int64_t older_than_ms, size_t *removed)
{
    sq_inst *in = instance;
    *removed = 0;
    ratchet_status s = sq_ready(in);
    return s == RATCHET_OK ? prune_run(in, older_than_ms, removed) : s;
}

/* ---- retention thread ------------------------------------------------------------------- */

static void *maint_main(void *arg)
{
    sq_inst *in = arg;
    int64_t delay = SQ_MAINT_FIRST_MS;
    pthread_mutex_lock(&in->maint_mu);
    while (!in->maint_stop) {
        struct timespec until = sq_deadline(delay);
        int rc = 0;
        while (!in->maint_stop && rc != ETIMEDOUT)
            rc = pthread_cond_timedwait(&in->maint_cv, &in->maint_mu, &until);
        if (in->maint_stop)
            break;
        pthread_mutex_unlock(&in->maint_mu);
        size_t removed = 0;
        ratchet_status s = prune_run(in, sq_now_ms() - in->retention_ms, &removed);
        if (s != RATCHET_OK)
            sq_host->log(in->ctx, RATCHET_LOG_WARN, "retention prune failed; next in an hour");
        else if (removed > 0)
            sq_host->log(in->ctx, RATCHET_LOG_INFO, "retention: removed %zu finished jobs",
                         removed);
        pthread_mutex_lock(&in->maint_mu);
        delay = SQ_MAINT_EVERY_MS;
    }
    pthread_mutex_unlock(&in->maint_mu);
    return NULL;
}

ratchet_status sq_wait_start(sq_inst *in)
{
    pthread_mutex_lock(&in->wake_mu);
    in->stopping = 0;
    pthread_mutex_unlock(&in->wake_mu);
    if (!in->memory) {
        ratchet_status s = sq_open(in, &in->watch);
        if (s != RATCHET_OK)
            return s;
        in->watch_dv = -1;
        int64_t seq = 0;
        s = sq_wake_read(in, in->watch, &seq);
        if (s != RATCHET_OK) {
            sq_close(in->watch);
            in->watch = NULL;
            return s;
        }
        /* Start as "seen": only later changes wake. */
        in->seen_seq = in->watch_seq = seq;
    }
    in->maint_stop = 0;
    in->maint_running = 0;
    if (in->retention_ms > 0) {
        int rc = pthread_create(&in->maint, NULL, maint_main, in);
        if (rc != 0) {
            sq_host->set_error(in->ctx, "cannot start the retention thread: %s", strerror(rc));
            sq_close(in->watch);
            in->watch = NULL;
            return RATCHET_ERR;
        }
        in->maint_running = 1;
    }
    return RATCHET_OK;
}

void sq_wait_stop(sq_inst *in)
{
    if (in->maint_running) {
        pthread_mutex_lock(&in->maint_mu);
        in->maint_stop = 1;
        pthread_cond_broadcast(&in->maint_cv);
        pthread_mutex_unlock(&in->maint_mu);
        pthread_join(in->maint, NULL);
        in->maint_running = 0;
    }
    pthread_mutex_lock(&in->wake_mu);
    in->stopping = 1;
    pthread_cond_broadcast(&in->wake_cv);
    pthread_mutex_unlock(&in->wake_mu);
    pthread_mutex_lock(&in->watch_mu);
    sq_close(in->watch);
    in->watch = NULL;
    pthread_mutex_unlock(&in->watch_mu);
}
