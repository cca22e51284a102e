/*
 * pg_wait.c - wait() and notify() through LISTEN/NOTIFY.
 *
 *  - In this process, every committed change to jobs or schedules (submit, finish, cancel,
 *    retry, requeue, schedule changes) and every notify() increments `gen` under wake_mu and
 *    broadcasts wake_cv: a waiter wakes at once.
 *
 *  - Across processes and hosts, the same writes call pg_notify('ratchet.<schema>', token)
 *    inside their transaction, so the notification is delivered when (and only if) the change
 *    commits. A listener thread holds one dedicated connection (not from the pool) that
 *    LISTENs on the channel and blocks in poll() on its socket; each notification whose
 *    payload is not this instance's own token increments `gen` and broadcasts.
 *
 *  - When that connection is lost (the server restarts, the network drops), the listener logs
 *    it once, reconnects with backoff (100 ms doubling to 5 s), and meanwhile wait() returns
 *    after at most poll_interval as if woken, so callers re-check the tables: a bounded poll.
 *    After reconnecting it wakes everyone once (notifications sent meanwhile are lost).
 *
 * No lost wake-ups: job_claim records the gen it started from (pg_wake_seen); a change
 * committed after that point moves gen, so a wait() following an empty claim returns at once.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "pg_int.h"

#define BACKOFF_MIN_MS 100
#define BACKOFF_MAX_MS 5000

ratchet_status pg_wait_init(pg_inst *in)
{
    if (pg_cond_init(&in->wake_cv) != RATCHET_OK)
        return RATCHET_NOMEM;
    pthread_mutex_init(&in->wake_mu, NULL);
    in->stop_pipe[0] = in->stop_pipe[1] = -1;
    return RATCHET_OK;
}

void pg_wait_destroy(pg_inst *in)
{
    pthread_cond_destroy(&in->wake_cv);
    pthread_mutex_destroy(&in->wake_mu);
}

/* ---- signalling --------------------------------------------------------------------------- */

ratchet_status pg_wake_tx(pg_inst *in, pg_conn *c)
{
    if (!in->listen)
        return RATCHET_OK;
    pg_params p;
    pp_init(&p);
    pp_text(&p, in->channel);
    pp_text(&p, in->token);
    return pg_run_cmd(in, c, PG_NOTIFY, "SELECT pg_notify($1, $2)", &p, "notifying other hosts",
                      NULL);
}

void pg_wake_local(pg_inst *in)
{
    pthread_mutex_lock(&in->wake_mu);
    in->gen++;
    pthread_cond_broadcast(&in->wake_cv);
    pthread_mutex_unlock(&in->wake_mu);
}

ratchet_status pg_end_wake(pg_inst *in, pg_conn *c, ratchet_status s, int changed)
{
    if (s == RATCHET_OK && changed)
        s = pg_wake_tx(in, c);
    s = pg_end(in, c, s);
    if (s == RATCHET_OK && changed)
        pg_wake_changed(in);
    return s;
}

void pg_wake_changed(pg_inst *in)
{
    pthread_mutex_lock(&in->wake_mu);
    in->bumps++;
    in->gen++;
    pthread_cond_broadcast(&in->wake_cv);
    pthread_mutex_unlock(&in->wake_mu);
}

uint64_t pg_wake_gen(pg_inst *in)
{
    pthread_mutex_lock(&in->wake_mu);
    uint64_t g = in->gen;
    pthread_mutex_unlock(&in->wake_mu);
    return g;
}

void pg_wake_seen(pg_inst *in, uint64_t gen, int claimed)
{
    pthread_mutex_lock(&in->wake_mu);
    in->seen_gen = gen;
    if (claimed) /* claimed jobs may be ones job_next_due counted (a claim at a later now) */
        in->nd_valid = 0;
    pthread_mutex_unlock(&in->wake_mu);
}

/* ---- the listener ------------------------------------------------------------------------- */

static void set_listening(pg_inst *in, int on, int bump)
{
    pthread_mutex_lock(&in->wake_mu);
    in->listening = on;
    in->listen_tried = 1;
    if (bump)
        in->gen++;
    pthread_cond_broadcast(&in->wake_cv); /* waiters re-read `listening` */
    pthread_mutex_unlock(&in->wake_mu);
}

/* Connect and LISTEN; NULL when that failed. */
static PGconn *listen_open(pg_inst *in)
{
    PGconn *pg = NULL;
    if (pg_open(in, &pg) != RATCHET_OK)
        return NULL;
    char sql[PG_SCHEMA_MAX + 32];
    snprintf(sql, sizeof sql, "LISTEN \"%s\"", in->channel);
    PGresult *r = PQexec(pg, sql);
    int ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    if (!ok) {
        PQfinish(pg);
        return NULL;
    }
    return pg;
}

/* Sleep up to ms, or until stop(): 1 when stopping. */
static int pause_or_stop(pg_inst *in, int64_t ms)
{
    struct pollfd p = {in->stop_pipe[0], POLLIN, 0};
    return poll(&p, 1, (int)ms) > 0;
}

static void *listener_main(void *arg)
{
    pg_inst *in = arg;
    PGconn *pg = NULL;
    int64_t backoff = BACKOFF_MIN_MS;
    int down = 0;
    for (;;) {
        if (!pg) {
            pg = listen_open(in);
            if (!pg) {
                if (!down)
                    pg_host->log(in->ctx, RATCHET_LOG_WARN,
                                 "cannot listen for other hosts' changes on PostgreSQL at %s; "
                                 "polling every %lld ms while reconnecting",
                                 in->where, (long long)in->poll_ms);
                down = 1;
                set_listening(in, 0, 0);
                if (pause_or_stop(in, backoff))
                    break;
                backoff = backoff * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : backoff * 2;
                continue;
            }
            if (down)
                pg_host->log(in->ctx, RATCHET_LOG_INFO,
                             "listening for other hosts' changes on PostgreSQL at %s again",
                             in->where);
            set_listening(in, 1, down); /* after an outage, everyone re-checks once */
            down = 0;
            backoff = BACKOFF_MIN_MS;
        }
        struct pollfd p[2] = {{in->stop_pipe[0], POLLIN, 0}, {PQsocket(pg), POLLIN, 0}};
        int r = poll(p, 2, -1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r > 0 && p[0].revents)
            break;
        if (!PQconsumeInput(pg) || PQstatus(pg) != CONNECTION_OK) {
            char msg[256];
            snprintf(msg, sizeof msg, "%s", PQerrorMessage(pg));
            msg[strcspn(msg, "\n")] = '\0';
            pg_host->log(in->ctx, RATCHET_LOG_WARN,
                         "lost the listening connection to PostgreSQL at %s: %s; polling every "
                         "%lld ms while reconnecting",
                         in->where, msg, (long long)in->poll_ms);
            PQfinish(pg);
            pg = NULL;
            down = 1;
            set_listening(in, 0, 1);
            continue;
        }
        int others = 0;
        PGnotify *n;
        while ((n = PQnotifies(pg)) != NULL) {
            others |= strcmp(n->extra, in->token) != 0;
            PQfreemem(n);
        }
        if (others)
            pg_wake_local(in);
    }
    PQfinish(pg);
    return NULL;
}

ratchet_status pg_wait_start(pg_inst *in)
{
    pthread_mutex_lock(&in->wake_mu);
    in->stopping = 0;
    in->listening = 0;
    in->listen_tried = 0;
    pthread_mutex_unlock(&in->wake_mu);
    if (!in->listen)
        return RATCHET_OK;
    if (pipe(in->stop_pipe) != 0) {
        pg_host->set_error(in->ctx, "cannot start listening: pipe: %s", strerror(errno));
        return RATCHET_ERR;
    }
    for (int i = 0; i < 2; i++)
        fcntl(in->stop_pipe[i], F_SETFD, FD_CLOEXEC);
    int rc = pthread_create(&in->listener, NULL, listener_main, in);
    if (rc != 0) {
        close(in->stop_pipe[0]);
        close(in->stop_pipe[1]);
        in->stop_pipe[0] = in->stop_pipe[1] = -1;
        pg_host->set_error(in->ctx, "cannot start the listener thread: %s", strerror(rc));
        return RATCHET_ERR;
    }
    in->listener_running = 1;
    /* Changes committed after start() returns must wake: wait for the first LISTEN (or its
     * failure, after which wait() polls). */
    pthread_mutex_lock(&in->wake_mu);
    struct timespec until = pg_deadline(in->connect_timeout_ms + 1000);
    while (!in->listen_tried)
        if (pthread_cond_timedwait(&in->wake_cv, &in->wake_mu, &until) == ETIMEDOUT)
            break;
    pthread_mutex_unlock(&in->wake_mu);
    return RATCHET_OK;
}

void pg_wait_stop(pg_inst *in)
{
    pthread_mutex_lock(&in->wake_mu);
    in->stopping = 1;
    pthread_cond_broadcast(&in->wake_cv);
    pthread_mutex_unlock(&in->wake_mu);
    if (in->listener_running) {
        char b = 's';
        if (write(in->stop_pipe[1], &b, 1) < 0)
            pg_host->log(in->ctx, RATCHET_LOG_WARN, "stopping the listener: %s", strerror(errno));
        pthread_join(in->listener, NULL);
        in->listener_running = 0;
        close(in->stop_pipe[0]);
        close(in->stop_pipe[1]);
        in->stop_pipe[0] = in->stop_pipe[1] = -1;
    }
}

/* ---- wait and notify ---------------------------------------------------------------------- */

ratchet_status pgs_wait(void *instance, int64_t timeout_ms)
{
    pg_inst *in = instance;
    ratchet_status s = pg_ready(in);
    if (s != RATCHET_OK)
        return s;
    int64_t t0 = pg_mono_ms();
    int64_t deadline = t0 + (timeout_ms > 0 ? timeout_ms : 0);
    pthread_mutex_lock(&in->wake_mu);
    uint64_t gen0 = in->gen;
    int woke = gen0 != in->seen_gen || in->stopping;
    while (!woke) {
        /* Without a live LISTEN another host's change would go unseen: poll. */
        int64_t limit = deadline;
        if (!in->listening && t0 + in->poll_ms < limit)
            limit = t0 + in->poll_ms;
        int64_t now = pg_mono_ms();
        if (now >= limit) {
            woke = limit < deadline; /* a poll tick: "may have changed" */
            break;
        }
        struct timespec until = pg_deadline(limit - now);
        pthread_cond_timedwait(&in->wake_cv, &in->wake_mu, &until);
        woke = in->gen != gen0 || in->stopping;
    }
    if (woke)
        in->seen_gen = in->gen;
    pthread_mutex_unlock(&in->wake_mu);
    return woke ? RATCHET_OK : RATCHET_RETRY;
}

void pgs_notify(void *instance)
{
    pg_inst *in = instance;
    /* As storage-sqlite: every change made through this instance already notified other
     * hosts and woke this process's waiters when it committed (the engine notifies after each
     * finish batch, the API and the CLI after each submit), so a notify with such a change
     * since the previous one has nothing left to do. Without one, it wakes everyone. */
    pthread_mutex_lock(&in->wake_mu);
    int fresh = in->started && in->bumps != in->notified_bumps;
    in->notified_bumps = in->bumps;
    pthread_mutex_unlock(&in->wake_mu);
    if (fresh)
        return;
    pg_wake_local(in);
    if (!in->started || !in->listen)
        return;
    /* Outside a transaction: delivered at once. notify() cannot fail; other hosts then see
     * the change at their next own wake-up or poll. */
    pg_conn *c = NULL;
    if (pg_acquire(in, &c) != RATCHET_OK)
        return;
    if (pg_wake_tx(in, c) != RATCHET_OK && pg_host->log_enabled(RATCHET_LOG_DEBUG))
        pg_host->log(in->ctx, RATCHET_LOG_DEBUG, "notify reached this process only");
    pg_release(in, c);
}
