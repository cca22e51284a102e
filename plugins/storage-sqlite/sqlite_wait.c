/*
 * sqlite_wait.c - wait() and notify().
 *
 * SQLite cannot notify, so wake-ups have two paths:
 *
 *  - In this process, every committed change to jobs or schedules (submit, finish, cancel,
 *    retry, requeue, schedule changes) and every notify() increments `gen` under wake_mu and
 *    broadcasts wake_cv: a waiter wakes at once.
 *
 *  - Across processes, the same writes increment wakeups.seq inside their transaction and,
 *    after the commit, set the database file's modification time (utimensat). A watcher
 *    thread, started by the first wait() of a file database, blocks in poll() on inotify
 *    (IN_ATTRIB of the database file) and, as a bound, on a poll_interval timeout (20 ms by
 *    default). Each time it checks PRAGMA data_version on its own connection (no I/O in WAL
 *    mode: it reads the shared-memory WAL index) and only when that moved reads wakeups.seq;
 *    a new value is published under wake_mu and broadcast. Latency: a fraction of a
 *    millisecond through inotify (checks are at least 1 ms apart, so a change within 1 ms of
 *    the last check waits for the rest of that millisecond); never more than poll_interval
 *    where inotify cannot see the change (another host over NFS, no inotify instance left,
 *    a writer that does not touch).
 *    Writes nobody waits for (claims, lease renewals, task syncs) neither bump nor touch.
 *
 *    Why not inotify on the -wal file: it fires for every page written, including claims and
 *    renewals, and before the commit is visible (the WAL index in -shm is updated after the
 *    last frame, through mmap, which inotify does not see). Touching the database file after
 *    the commit signals exactly the changes someone waits for, once they are readable.
 *
 * No lost wake-ups: job_claim records the gen it started from and the seq its transaction saw
 * (sq_wake_seen), and wait() reads seq afresh on entry; it returns at once when either moved
 * since, so a submit landing between an empty claim and the next wait() is not slept through.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "sqlite_int.h"

#define SQ_WATCH_GAP_NS  1000000    /* 1 ms */
#define SQ_TRIM_AFTER_NS 2000000000 /* 2 s */

ratchet_status sq_wait_init(sq_inst *in)
{
    if (sq_cond_init(&in->wake_cv) != RATCHET_OK)
        return RATCHET_NOMEM;
    pthread_mutex_init(&in->wake_mu, NULL);
    pthread_mutex_init(&in->watch_mu, NULL);
    in->stop_pipe[0] = in->stop_pipe[1] = -1;
    return RATCHET_OK;
}

void sq_wait_destroy(sq_inst *in)
{
    pthread_cond_destroy(&in->wake_cv);
    pthread_mutex_destroy(&in->wake_mu);
    pthread_mutex_destroy(&in->watch_mu);
}

/* ---- the change counter ---------------------------------------------------------------- */

ratchet_status sq_wake_bump(sq_inst *in, sq_conn *c, int64_t *seq)
{
    sqlite3_stmt *st =
        sq_stmt(in, c, SQ_WAKE_BUMP, "UPDATE wakeups SET seq = seq + 1 WHERE id = 1 RETURNING seq");
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

ratchet_status sq_commit_wake(sq_inst *in, sq_conn *c, ratchet_status s, int changed, int64_t *seq)
{
    if (s == RATCHET_OK && changed)
        s = sq_wake_bump(in, c, seq);
    if (s == RATCHET_OK)
        s = sq_commit(in, c);
    else
        sq_rollback(in, c);
    return s;
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
    if (seq > 0)
        in->bumps++;
    /* Our own change: local waiters wake through gen, so it must not count again as another
     * process's when the next wait() compares sequence numbers. */
    if (seq > 0 && in->seen_seq == seq - 1)
        in->seen_seq = seq;
    pthread_cond_broadcast(&in->wake_cv);
    pthread_mutex_unlock(&in->wake_mu);
    /* Tell other processes' watchers, now that the change is committed and readable. A
     * failure only costs them up to poll_interval. */
    if (seq > 0 && !in->memory)
        (void)utimensat(AT_FDCWD, in->path, NULL, 0);
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
    if (seq > in->seen_seq)
        in->seen_seq = seq;
    pthread_mutex_unlock(&in->wake_mu);
}

/* Read the counter as it stands (cheaply while data_version stands still) and publish a new
 * value to the waiters. */
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

    pthread_mutex_lock(&in->wake_mu);
    if (*seq > in->pub_seq) { /* two pollers may finish out of order: keep the newest */
        in->pub_seq = *seq;
        pthread_cond_broadcast(&in->wake_cv);
    }
    pthread_mutex_unlock(&in->wake_mu);
    return s;
}

/* ---- the watcher thread --------------------------------------------------------------------- */

static void *watcher_main(void *arg)
{
    sq_inst *in = arg;
    prctl(PR_SET_NAME, "sqlite-wait"); /* its name in top -H, ps -L and /proc */
    int ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (ifd >= 0 && inotify_add_watch(ifd, in->path, IN_ATTRIB) < 0) {
        close(ifd);
        ifd = -1;
    }
    if (ifd < 0 && sq_host->log_enabled(RATCHET_LOG_DEBUG))
        sq_host->log(in->ctx, RATCHET_LOG_DEBUG,
                     "no inotify watch on %s (%s): other processes' changes are seen within "
                     "poll_interval",
                     in->path, strerror(errno));
    int64_t last_check = 0, quiet_since = 0, quiet_seq = -1;
    uint64_t quiet_gen = 0;
    int trimmed = 1; /* nothing to give back before the first change */
    for (;;) {
        struct pollfd p[2] = {{in->stop_pipe[0], POLLIN, 0}, {ifd, POLLIN, 0}};
        int r = poll(p, ifd >= 0 ? 2 : 1, (int)in->poll_ms);
        if (r > 0 && p[0].revents)
            break;
        if (r > 0 && (p[1].revents & POLLIN)) {
            /* At most one check per SQ_WATCH_GAP_NS: under load the touches (ours included:
             * every commit someone waits for) come thousands of times a second, and each
             * check costs a wake-up and a query; those arriving meanwhile share the check. */
            int64_t since = sq_host->monotonic_ns() - last_check;
            if (since < SQ_WATCH_GAP_NS) {
                struct timespec d = {0, (long)(SQ_WATCH_GAP_NS - since)};
                nanosleep(&d, NULL);
            }
            char events[4096];
            while (read(ifd, events, sizeof events) > 0)
                ; /* only "something happened" matters */
        }
        int64_t seq;
        last_check = sq_host->monotonic_ns();
        /* Errors (a busy or vanished file) leave the old value; the next round retries. */
        (void)watch_poll(in, &seq);
        /* Quiet for SQ_TRIM_AFTER_NS (no change here or elsewhere): give memory back, once. */
        uint64_t gen = sq_wake_gen(in);
        if (gen != quiet_gen || seq != quiet_seq) {
            quiet_gen = gen;
            quiet_seq = seq;
            quiet_since = last_check;
            trimmed = 0;
        } else if (!trimmed && last_check - quiet_since >= SQ_TRIM_AFTER_NS) {
            sq_pool_trim(in);
            trimmed = 1;
        }
    }
    if (ifd >= 0)
        close(ifd);
    return NULL;
}

/* Start the watcher on first use (a CLI process that never waits never pays for it). */
static ratchet_status watcher_ensure(sq_inst *in)
{
    ratchet_status s = RATCHET_OK;
    pthread_mutex_lock(&in->wake_mu);
    if (!in->watcher_running && !in->stopping) {
        if (pipe(in->stop_pipe) != 0) {
            sq_host->set_error(in->ctx, "cannot start waiting: pipe: %s", strerror(errno));
            s = RATCHET_ERR;
        } else {
            for (int i = 0; i < 2; i++) {
                fcntl(in->stop_pipe[i], F_SETFD, FD_CLOEXEC);
                fcntl(in->stop_pipe[i], F_SETFL, O_NONBLOCK);
            }
            int rc = pthread_create(&in->watcher, NULL, watcher_main, in);
            if (rc != 0) {
                close(in->stop_pipe[0]);
                close(in->stop_pipe[1]);
                in->stop_pipe[0] = in->stop_pipe[1] = -1;
                sq_host->set_error(in->ctx, "cannot start the wake-up watcher: %s", strerror(rc));
                s = RATCHET_ERR;
            } else {
                in->watcher_running = 1;
            }
        }
    }
    pthread_mutex_unlock(&in->wake_mu);
    return s;
}

/* ---- wait and notify ------------------------------------------------------------------------ */

ratchet_status sqlite_wait(void *instance, int64_t timeout_ms)
{
    sq_inst *in = instance;
    ratchet_status s = sq_ready(in);
    if (s != RATCHET_OK)
        return s;
    int64_t deadline = sq_mono_ms() + (timeout_ms > 0 ? timeout_ms : 0);
    int64_t seq = -1;
    if (!in->memory) {
        if ((s = watcher_ensure(in)) != RATCHET_OK || (s = watch_poll(in, &seq)) != RATCHET_OK)
            return s;
    }

    pthread_mutex_lock(&in->wake_mu);
    uint64_t gen0 = in->gen;
    int woke = gen0 != in->seen_gen || (seq >= 0 && seq > in->seen_seq) || in->stopping;
    /* Changes up to here are seen; our own later commits advance seen_seq as they land. */
    if (seq >= 0 && in->seen_seq > seq)
        seq = in->seen_seq;
    while (!woke) {
        if (sq_mono_ms() >= deadline)
            break;
        struct timespec until = sq_deadline(deadline - sq_mono_ms());
        pthread_cond_timedwait(&in->wake_cv, &in->wake_mu, &until);
        woke = in->gen != gen0 || in->stopping || (seq >= 0 && in->pub_seq > seq);
    }
    if (woke) {
        /* seen_seq only advances: our own commits may already have moved it past both. */
        in->seen_gen = in->gen;
        if (seq > in->seen_seq)
            in->seen_seq = seq;
        if (seq >= 0 && in->pub_seq > in->seen_seq)
            in->seen_seq = in->pub_seq;
    }
    pthread_mutex_unlock(&in->wake_mu);
    return woke ? RATCHET_OK : RATCHET_RETRY;
}

void sqlite_notify(void *instance)
{
    sq_inst *in = instance;
    /* Every change made through this instance already counted itself and woke this
     * process's waiters when it committed (the engine notifies after each finish batch, the
     * API and the CLI after each submit): a notify with such a change since the previous one
     * has nothing left to do - waking the waiters again only cost the engine a loop turn.
     * Without one, it wakes them, and other processes through a write. */
    pthread_mutex_lock(&in->wake_mu);
    int fresh = in->started && in->bumps != in->notified_bumps;
    in->notified_bumps = in->bumps;
    pthread_mutex_unlock(&in->wake_mu);
    if (fresh)
        return;
    sq_wake_local(in, 0);
    if (!in->started || in->memory)
        return;
    /* Other processes only see the counter: one short write transaction. notify() cannot
     * fail, so a busy database leaves them to their next change. */
    sq_conn *c = NULL;
    int64_t seq = 0;
    ratchet_status s = sq_acquire_begin(in, &c);
    if (s == RATCHET_OK)
        s = sq_commit_wake(in, c, s, 1, &seq);
    sq_release(in, c);
    if (s == RATCHET_OK) {
        sq_wake_local(in, seq);
        pthread_mutex_lock(&in->wake_mu);
        in->notified_bumps = in->bumps;
        pthread_mutex_unlock(&in->wake_mu);
    } else if (sq_host->log_enabled(RATCHET_LOG_DEBUG)) {
        sq_host->log(in->ctx, RATCHET_LOG_DEBUG, "notify reached this process only");
    }
}

/* ---- lifecycle ------------------------------------------------------------------------------ */

ratchet_status sq_wait_start(sq_inst *in)
{
    pthread_mutex_lock(&in->wake_mu);
    in->stopping = 0;
    pthread_mutex_unlock(&in->wake_mu);
    if (in->memory)
        return RATCHET_OK;
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
    in->seen_seq = in->watch_seq = in->pub_seq = seq;
    return RATCHET_OK;
}

void sq_wait_stop(sq_inst *in)
{
    pthread_mutex_lock(&in->wake_mu);
    in->stopping = 1;
    int running = in->watcher_running;
    in->watcher_running = 0;
    pthread_cond_broadcast(&in->wake_cv);
    pthread_mutex_unlock(&in->wake_mu);
    if (running) {
        char b = 's';
        if (write(in->stop_pipe[1], &b, 1) < 0 && errno != EAGAIN)
            sq_host->log(in->ctx, RATCHET_LOG_WARN, "stopping the watcher: %s", strerror(errno));
        pthread_join(in->watcher, NULL);
        close(in->stop_pipe[0]);
        close(in->stop_pipe[1]);
        in->stop_pipe[0] = in->stop_pipe[1] = -1;
    }
    pthread_mutex_lock(&in->watch_mu);
    sq_close(in->watch);
    in->watch = NULL;
    pthread_mutex_unlock(&in->watch_mu);
}
