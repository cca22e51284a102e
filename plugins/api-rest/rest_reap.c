/*
 * plugins/api-rest/rest_reap.c - the sessions that hold an engine subscription (deferred
 * executes, event streams) and the reaper thread that ends them (see rest.h for why a thread:
 * unsubscribe() may not be called from the event callback that sees the final event).
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <time.h>

#include "rest.h"

#define STOP_WAIT_MS 5000 /* stop(): how long sessions may take to end before we give up */

static void *reaper_main(void *arg)
{
    rest *r = arg;
    pthread_mutex_lock(&r->lock);
    for (;;) {
        while (!r->queue && !(r->stopping && (!r->live || r->give_up)))
            pthread_cond_wait(&r->cond, &r->lock);
        rest_session *s = r->queue;
        if (!s)
            break;
        r->queue = s->next_queued;
        pthread_mutex_unlock(&r->lock);
        if (s->sub)
            r->eng->unsubscribe(s->sub);
        s->sub = NULL;
        if (s->kind == REST_SESSION_EXECUTE)
            rest_execute_reaped(s);
        else
            rest_sse_reaped(s);
        rest_session_release(s);
        pthread_mutex_lock(&r->lock);
    }
    pthread_mutex_unlock(&r->lock);
    return NULL;
}

ratchet_status rest_reaper_start(rest *r)
{
    r->stopping = r->give_up = 0;
    if (pthread_create(&r->reaper, NULL, reaper_main, r) != 0) {
        rest_host->set_error(r->ctx, "cannot start the session thread");
        return RATCHET_ERR;
    }
    r->reaper_running = 1;
    return RATCHET_OK;
}

static void push_locked(rest *r, rest_session *s)
{
    s->next_queued = NULL;
    rest_session **tail = &r->queue;
    while (*tail)
        tail = &(*tail)->next_queued;
    *tail = s;
    pthread_cond_broadcast(&r->cond);
}

void rest_reaper_push(rest_session *s)
{
    rest *r = s->r;
    pthread_mutex_lock(&r->lock);
    push_locked(r, s);
    pthread_mutex_unlock(&r->lock);
}

int rest_session_end_locked(rest_session *s)
{
    s->ended = 1;
    if (!s->subscribed || s->queued)
        return 0;
    s->queued = 1;
    return 1;
}

void rest_session_subscribed(rest_session *s, ratchet_engine_sub *sub)
{
    pthread_mutex_lock(&s->lock);
    s->sub = sub;
    s->subscribed = 1;
    int queue = (!sub || s->ended) && rest_session_end_locked(s);
    pthread_mutex_unlock(&s->lock);
    if (queue)
        rest_reaper_push(s);
}

ratchet_status rest_session_add(rest *r, rest_session *s, rest_session_kind kind,
                                const void *handle)
{
    s->kind = kind;
    s->handle = handle;
    s->r = r;
    pthread_mutex_init(&s->lock, NULL);
    pthread_mutex_lock(&r->lock);
    int stopping = r->stopping;
    if (!stopping) {
        s->prev_live = NULL;
        s->next_live = r->live;
        if (r->live)
            r->live->prev_live = s;
        r->live = s;
    }
    pthread_mutex_unlock(&r->lock);
    return stopping ? RATCHET_ERR : RATCHET_OK;
}

rest_session *rest_session_claim(rest *r, const void *handle)
{
    pthread_mutex_lock(&r->lock);
    rest_session *s = r->live;
    while (s && s->handle != handle)
        s = s->next_live;
    if (s)
        pthread_mutex_lock(&s->lock);
    pthread_mutex_unlock(&r->lock);
    return s;
}

void rest_session_release(rest_session *s)
{
    rest *r = s->r;
    pthread_mutex_lock(&r->lock);
    if (s->prev_live)
        s->prev_live->next_live = s->next_live;
    else
        r->live = s->next_live;
    if (s->next_live)
        s->next_live->prev_live = s->prev_live;
    pthread_cond_broadcast(&r->cond);
    pthread_mutex_unlock(&r->lock);
    /* A late on_expire/on_close that found the session before it was unlinked holds its
     * lock: wait for it to be done. Nobody can find it any more. */
    pthread_mutex_lock(&s->lock);
    pthread_mutex_unlock(&s->lock);
    pthread_mutex_destroy(&s->lock);
    if (s->kind == REST_SESSION_EXECUTE)
        rest_execute_free(s);
    else
        rest_sse_free(s);
}

void rest_reaper_stop(rest *r)
{
    if (!r->reaper_running)
        return;
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += STOP_WAIT_MS / 1000;
    pthread_mutex_lock(&r->lock);
    r->stopping = 1;
    pthread_cond_broadcast(&r->cond); /* the reaper exits once nothing is live */
    for (rest_session *s = r->live; s; s = s->next_live) {
        int queue = s->kind == REST_SESSION_EXECUTE ? rest_execute_abort(s) : rest_sse_abort(s);
        if (queue)
            push_locked(r, s);
    }
    while (r->live) {
        if (pthread_cond_timedwait(&r->cond, &r->lock, &deadline) == ETIMEDOUT)
            break;
    }
    if (r->live) {
        /* Every live session was answered and queued above, so this is a reaper stuck in
         * an engine or http call: leave its sessions allocated rather than free them
         * under its feet. */
        rest_host->log(r->ctx, RATCHET_LOG_WARN, "stop: sessions still open after %d ms",
                       STOP_WAIT_MS);
        r->give_up = 1;
        pthread_cond_broadcast(&r->cond);
    }
    pthread_mutex_unlock(&r->lock);
    pthread_join(r->reaper, NULL);
    r->reaper_running = 0;
}
