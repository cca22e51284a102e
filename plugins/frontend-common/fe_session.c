/*
 * plugins/frontend-common/fe_session.c - the sessions that hold an engine subscription and
 * the reaper thread that ends them (fe_session.h says why and how).
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <time.h>

#include "fe_session.h"

#define STOP_WAIT_MS 5000 /* stop(): how long sessions may take to end before we give up */

static void *reaper_main(void *arg)
{
    fe_reaper *rp = arg;
    pthread_mutex_lock(&rp->lock);
    for (;;) {
        while (!rp->queue && !(rp->stopping && (!rp->live || rp->give_up)))
            pthread_cond_wait(&rp->cond, &rp->lock);
        fe_session *s = rp->queue;
        if (!s)
            break;
        rp->queue = s->next_queued;
        pthread_mutex_unlock(&rp->lock);
        if (s->sub)
            rp->eng->unsubscribe(s->sub);
        s->sub = NULL;
        s->ops->reaped(s);
        fe_session_release(s);
        pthread_mutex_lock(&rp->lock);
    }
    pthread_mutex_unlock(&rp->lock);
    return NULL;
}

void fe_reaper_init(fe_reaper *rp, const ratchet_host_api *host, ratchet_ctx *ctx)
{
    rp->host = host;
    rp->ctx = ctx;
    rp->eng = NULL;
    rp->live = rp->queue = NULL;
    rp->running = rp->stopping = rp->give_up = 0;
    pthread_mutex_init(&rp->lock, NULL);
    pthread_cond_init(&rp->cond, NULL);
}

void fe_reaper_destroy(fe_reaper *rp)
{
    pthread_mutex_destroy(&rp->lock);
    pthread_cond_destroy(&rp->cond);
}

ratchet_status fe_reaper_start(fe_reaper *rp, const ratchet_engine_api *eng)
{
    rp->eng = eng;
    rp->stopping = rp->give_up = 0;
    if (pthread_create(&rp->thread, NULL, reaper_main, rp) != 0) {
        rp->host->set_error(rp->ctx, "cannot start the session thread");
        return RATCHET_ERR;
    }
    rp->running = 1;
    return RATCHET_OK;
}

static void push_locked(fe_reaper *rp, fe_session *s)
{
    s->next_queued = NULL;
    fe_session **tail = &rp->queue;
    while (*tail)
        tail = &(*tail)->next_queued;
    *tail = s;
    pthread_cond_broadcast(&rp->cond);
}

void fe_reaper_push(fe_session *s)
{
    fe_reaper *rp = s->reaper;
    pthread_mutex_lock(&rp->lock);
    push_locked(rp, s);
    pthread_mutex_unlock(&rp->lock);
}

int fe_session_end_locked(fe_session *s)
{
    s->ended = 1;
    if (!s->subscribed || s->queued)
        return 0;
    s->queued = 1;
    return 1;
}

void fe_session_subscribed(fe_session *s, ratchet_engine_sub *sub)
{
    pthread_mutex_lock(&s->lock);
    s->sub = sub;
    s->subscribed = 1;
    int queue = (!sub || s->ended) && fe_session_end_locked(s);
    pthread_mutex_unlock(&s->lock);
    if (queue)
        fe_reaper_push(s);
}

ratchet_status fe_session_add(fe_reaper *rp, fe_session *s, const fe_session_ops *ops,
                              const void *handle)
{
    s->ops = ops;
    s->handle = handle;
    s->reaper = rp;
    pthread_mutex_lock(&rp->lock);
    int stopping = rp->stopping;
    if (!stopping) {
        pthread_mutex_init(&s->lock, NULL);
        s->prev_live = NULL;
        s->next_live = rp->live;
        if (rp->live)
            rp->live->prev_live = s;
        rp->live = s;
    }
    pthread_mutex_unlock(&rp->lock);
    return stopping ? RATCHET_ERR : RATCHET_OK;
}

fe_session *fe_session_claim(fe_reaper *rp, const void *handle)
{
    pthread_mutex_lock(&rp->lock);
    fe_session *s = rp->live;
    while (s && s->handle != handle)
        s = s->next_live;
    if (s)
        pthread_mutex_lock(&s->lock);
    pthread_mutex_unlock(&rp->lock);
    return s;
}

void fe_session_release(fe_session *s)
{
    fe_reaper *rp = s->reaper;
    pthread_mutex_lock(&rp->lock);
    if (s->prev_live)
        s->prev_live->next_live = s->next_live;
    else
        rp->live = s->next_live;
    if (s->next_live)
        s->next_live->prev_live = s->prev_live;
    pthread_cond_broadcast(&rp->cond);
    pthread_mutex_unlock(&rp->lock);
    /* A late on_expire/on_close that found the session before it was unlinked holds its
     * lock: wait for it to be done. Nobody can find it any more. */
    pthread_mutex_lock(&s->lock);
    pthread_mutex_unlock(&s->lock);
    pthread_mutex_destroy(&s->lock);
    s->ops->release(s);
}

void fe_reaper_stop(fe_reaper *rp)
{
    if (!rp->running)
        return;
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += STOP_WAIT_MS / 1000;
    pthread_mutex_lock(&rp->lock);
    rp->stopping = 1;
    pthread_cond_broadcast(&rp->cond); /* the thread exits once nothing is live */
    for (fe_session *s = rp->live; s; s = s->next_live) {
        if (s->ops->abort(s))
            push_locked(rp, s);
    }
    while (rp->live) {
        if (pthread_cond_timedwait(&rp->cond, &rp->lock, &deadline) == ETIMEDOUT)
            break;
    }
    if (rp->live) {
        /* Every live session was answered and queued above, so this is a reaper stuck in
         * an engine or http call: leave its sessions allocated rather than free them
         * under its feet. */
        rp->host->log(rp->ctx, RATCHET_LOG_WARN, "stop: sessions still open after %d ms",
                      STOP_WAIT_MS);
        rp->give_up = 1;
        pthread_cond_broadcast(&rp->cond);
    }
    pthread_mutex_unlock(&rp->lock);
    pthread_join(rp->thread, NULL);
    rp->running = 0;
}
