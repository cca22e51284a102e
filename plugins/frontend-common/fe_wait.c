/*
 * plugins/frontend-common/fe_wait.c - answer a deferred request when a job ends (fe_wait.h
 * says who answers when).
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fe_json.h"
#include "fe_wait.h"

typedef struct wait_session {
    fe_session base; /* first: the reaper sees the session through it */
    ratchet_http_request *req;
    pthread_cond_t idle; /* signalled when an on_expire is done answering */
    char status[24];     /* the job's last status seen */
    char *final_event;   /* the final status event, once seen (set once) */
    int claimed;         /* someone answers (or answered) */
    int answering;       /* an on_expire is answering */
    int keep_user;       /* fe_wait_job() failed: the caller keeps `user` */
    const fe_wait_ops *ops;
    void *user;
} wait_session;

/* With the session lock held: claim the answer and copy what it needs; 0 when someone else
 * has it. */
static int claim_locked(wait_session *s, char *status, size_t cap, const char **final_event)
{
    if (s->claimed)
        return 0;
    s->claimed = 1;
    snprintf(status, cap, "%s", s->status);
    *final_event = s->final_event; /* set once, freed only with the session */
    return 1;
}

/* The engine's event callback: note the status; on the final one, keep it and end. */
static int wait_event(void *user, uint64_t seq, const char *event_json)
{
    wait_session *s = user;
    (void)seq;
    /* Scanned, not parsed: every waiting request sees each event of its job (fe_json.h). */
    char type[16], status[sizeof s->status];
    int is_status =
        fe_json_member_word(event_json, "type", type, sizeof type) && strcmp(type, "status") == 0;
    int has_status = is_status && fe_json_member_word(event_json, "status", status, sizeof status);
    int final = is_status && fe_json_member_true(event_json, "final");
    int queue = 0, done = 0;
    pthread_mutex_lock(&s->base.lock);
    if (s->base.ended) {
        done = 1;
    } else if (is_status) {
        if (has_status)
            memcpy(s->status, status, sizeof s->status);
        if (final) {
            s->final_event = strdup(event_json);
            queue = fe_session_end_locked(&s->base);
            done = 1;
        }
    }
    pthread_mutex_unlock(&s->base.lock);
    if (queue)
        fe_reaper_push(&s->base);
    return done;
}

/* The http plugin's on_expire (`user` is the reaper): answer now unless the reaper claimed
 * the answer (then its respond() follows), and hand the session to the reaper so that it
 * unsubscribes. No session: it was answered and freed already. */
static void wait_expire(void *user, ratchet_http_request *req, ratchet_http_end why)
{
    (void)why;
    fe_session *base = fe_session_claim(user, req);
    if (!base)
        return;
    wait_session *s = (wait_session *)base;
    char status[sizeof s->status];
    const char *final_event = NULL;
    if (!claim_locked(s, status, sizeof status, &final_event)) {
        int queue = fe_session_end_locked(base);
        pthread_mutex_unlock(&base->lock);
        if (queue)
            fe_reaper_push(base);
        return;
    }
    s->answering = 1; /* the reaper waits for it before freeing the session */
    pthread_mutex_unlock(&base->lock);
    s->ops->answer(s->user, req, status, final_event);
    pthread_mutex_lock(&base->lock);
    s->answering = 0;
    pthread_cond_broadcast(&s->idle);
    int queue = fe_session_end_locked(base);
    pthread_mutex_unlock(&base->lock);
    if (queue)
        fe_reaper_push(base);
}

/* On the reaper thread, after unsubscribe(): answer unless an on_expire did (or does: wait
 * for it, since the session is freed next). */
static void wait_reaped(fe_session *base)
{
    wait_session *s = (wait_session *)base;
    char status[sizeof s->status];
    const char *final_event = NULL;
    pthread_mutex_lock(&base->lock);
    while (s->answering)
        pthread_cond_wait(&s->idle, &base->lock);
    int mine = claim_locked(s, status, sizeof status, &final_event);
    pthread_mutex_unlock(&base->lock);
    if (mine)
        s->ops->answer(s->user, s->req, status, final_event);
}

/* stop(), with the reaper lock held: end the session; the reaper answers. */
static int wait_abort(fe_session *base)
{
    pthread_mutex_lock(&base->lock);
    int queue = fe_session_end_locked(base);
    pthread_mutex_unlock(&base->lock);
    return queue;
}

static void wait_release(fe_session *base)
{
    wait_session *s = (wait_session *)base;
    if (!s->keep_user && s->ops->free_user)
        s->ops->free_user(s->user);
    pthread_cond_destroy(&s->idle);
    free(s->final_event);
    free(s);
}

static const fe_session_ops wait_ops = {wait_reaped, wait_abort, wait_release};

ratchet_status fe_wait_job(fe_reaper *rp, const ratchet_http_api *http, ratchet_http_request *req,
                           int64_t job_id, const char *status, int64_t timeout_ms,
                           const fe_wait_ops *ops, void *user)
{
    wait_session *s = calloc(1, sizeof *s);
    if (!s)
        return RATCHET_NOMEM;
    s->req = req;
    snprintf(s->status, sizeof s->status, "%s", status ? status : "queued");
    s->ops = ops;
    s->user = user;
    pthread_cond_init(&s->idle, NULL);
    if (fe_session_add(rp, &s->base, &wait_ops, req) != RATCHET_OK) {
        pthread_cond_destroy(&s->idle);
        free(s);
        return RATCHET_ERR;
    }
    if (http->defer(req, timeout_ms, wait_expire, rp) != RATCHET_OK) {
        s->keep_user = 1; /* the caller keeps `user` and answers */
        s->claimed = 1;
        fe_session_release(&s->base);
        return RATCHET_ERR;
    }
    fe_session_subscribed(&s->base, rp->eng->subscribe(job_id, 0, 0, wait_event, s));
    return RATCHET_OK;
}
