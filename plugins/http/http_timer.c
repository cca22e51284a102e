/*
 * http_timer.c - the plugin's timer thread (deadlines of deferred requests, keep-alive
 * comments on idle SSE streams) and the shutdown drain.
 *
 * The thread sleeps on srv->cv until the nearest deadline (at most a second); defer() wakes
 * it when the new deadline comes before that (not for each request: a wake-up per request
 * was a few per cent of a request's cost). Consumer callbacks run on it without srv->mu held.
 */
#include <errno.h>
#include <time.h>

#include "http_int.h"

int64_t mhd_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static struct timespec abs_time(int64_t mono_ns)
{
    struct timespec ts = {(time_t)(mono_ns / 1000000000), (long)(mono_ns % 1000000000)};
    return ts;
}

void mhd_deferred_add(ratchet_http_request *req)
{
    mhd_server *srv = req->lis->srv;
    pthread_mutex_lock(&srv->mu);
    req->in_list = 1;
    req->prev = NULL;
    req->next = srv->deferred;
    if (req->next)
        req->next->prev = req;
    srv->deferred = req;
    srv->pending++;
    /* Only a deadline before the sleeping timer's wake-up needs it earlier; a scanning timer
     * (timer_next_ns 0) sees the request before it sleeps. */
    if (req->deadline_ns < srv->timer_next_ns)
        pthread_cond_broadcast(&srv->cv);
    pthread_mutex_unlock(&srv->mu);
}

void mhd_deferred_remove(ratchet_http_request *req)
{
    mhd_server *srv = req->lis->srv;
    pthread_mutex_lock(&srv->mu);
    if (req->in_list) {
        if (req->prev)
            req->prev->next = req->next;
        else
            srv->deferred = req->next;
        if (req->next)
            req->next->prev = req->prev;
        req->in_list = 0;
    }
    pthread_mutex_unlock(&srv->mu);
}

void mhd_pending_done(mhd_server *srv)
{
    pthread_mutex_lock(&srv->mu);
    if (srv->pending > 0)
        srv->pending--;
    if (srv->pending == 0) /* what the shutdown drain waits for */
        pthread_cond_broadcast(&srv->cv);
    pthread_mutex_unlock(&srv->mu);
}

void mhd_expire(ratchet_http_request *req, ratchet_http_end why)
{
    pthread_mutex_lock(&req->mu);
    int call = req->deferred && !req->answered && !req->expire_called;
    req->expire_called |= call;
    pthread_mutex_unlock(&req->mu);
    if (call)
        req->on_expire(req->expire_user, req, why);
}

/* A deferred request whose deadline passed (or any, when `all`), with a reference, marked so
 * it is picked once; NULL when none. srv->mu held. */
static ratchet_http_request *pick_due(mhd_server *srv, int64_t now, int all, int64_t *next)
{
    for (ratchet_http_request *r = srv->deferred; r; r = r->next) {
        pthread_mutex_lock(&r->mu);
        int due = !r->expire_called && !r->answered && (all || r->deadline_ns <= now);
        if (!due && !r->expire_called && r->deadline_ns < *next)
            *next = r->deadline_ns;
        if (due)
            atomic_fetch_add(&r->refs, 1);
        pthread_mutex_unlock(&r->mu);
        if (due)
            return r;
    }
    return NULL;
}

static void *timer_main(void *arg)
{
    mhd_server *srv = arg;
    pthread_mutex_lock(&srv->mu);
    while (!srv->timer_quit) {
        int64_t now = mhd_now_ns();
        int64_t next = now + 1000000000;
        ratchet_http_request *due = pick_due(srv, now, 0, &next);
        if (due) {
            pthread_mutex_unlock(&srv->mu);
            mhd_expire(due, RATCHET_HTTP_END_TIMEOUT);
            mhd_request_unref(due);
            pthread_mutex_lock(&srv->mu);
            continue;
        }
        int64_t ka = mhd_streams_keepalive(srv, now);
        if (ka < next)
            next = ka;
        struct timespec until = abs_time(next);
        srv->timer_next_ns = next;
        pthread_cond_timedwait(&srv->cv, &srv->mu, &until);
        srv->timer_next_ns = 0;
    }
    pthread_mutex_unlock(&srv->mu);
    return NULL;
}

ratchet_status mhd_timer_start(mhd_server *srv)
{
    srv->timer_quit = 0;
    if (pthread_create(&srv->timer, NULL, timer_main, srv) != 0) {
        mhd_host->set_error(srv->ctx, "cannot start the timer thread");
        return RATCHET_ERR;
    }
    srv->timer_running = 1;
    return RATCHET_OK;
}

void mhd_timer_stop(mhd_server *srv)
{
    if (!srv->timer_running)
        return;
    pthread_mutex_lock(&srv->mu);
    srv->timer_quit = 1;
    pthread_cond_broadcast(&srv->cv);
    pthread_mutex_unlock(&srv->mu);
    pthread_join(srv->timer, NULL);
    srv->timer_running = 0;
}

/* Wait until nothing is pending or the monotonic deadline passes; srv->mu held. */
static void wait_pending(mhd_server *srv, int64_t deadline)
{
    while (srv->pending > 0 && mhd_now_ns() < deadline) {
        struct timespec until = abs_time(deadline);
        if (pthread_cond_timedwait(&srv->cv, &srv->mu, &until) == ETIMEDOUT)
            break;
    }
}

/*
 * Called by stop() after new connections are refused and new requests get 503: ask every
 * deferred request and stream to end (on_expire/on_close with SHUTDOWN) and every upgraded
 * connection's reader to return (its consumer closes it), give them
 * shutdown_timeout to be answered and sent, then abort what is left (503 / a cut stream) by
 * resuming every suspended connection, so MHD_stop_daemon finds none suspended.
 */
void mhd_drain(mhd_server *srv)
{
    int64_t never = INT64_MAX;
    for (;;) {
        pthread_mutex_lock(&srv->mu);
        ratchet_http_request *r = pick_due(srv, 0, 1, &never);
        pthread_mutex_unlock(&srv->mu);
        if (!r)
            break;
        mhd_expire(r, RATCHET_HTTP_END_SHUTDOWN);
        mhd_request_unref(r);
    }
    mhd_streams_shutdown(srv);
    mhd_upgraded_shutdown(srv);

    pthread_mutex_lock(&srv->mu);
    wait_pending(srv, mhd_now_ns() + srv->shutdown_ms * 1000000);
    if (srv->pending > 0) {
        mhd_host->log(srv->ctx, RATCHET_LOG_WARN,
                      "%zu request(s) still open after shutdown_timeout; cutting them off",
                      srv->pending);
        for (ratchet_http_request *r = srv->deferred; r; r = r->next) {
            pthread_mutex_lock(&r->mu);
            r->aborted = 1;
            mhd_wake_locked(r);
            pthread_mutex_unlock(&r->mu);
        }
        mhd_streams_abort_locked(srv);
        if (srv->upgraded)
            mhd_host->log(srv->ctx, RATCHET_LOG_WARN,
                          "an upgraded connection (WebSocket) is still open: its front end did "
                          "not close it");
        wait_pending(srv, mhd_now_ns() + 1000000000);
    }
    pthread_mutex_unlock(&srv->mu);
}
