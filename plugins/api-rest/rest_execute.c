/*
 * plugins/api-rest/rest_execute.c - POST /api/v1/tasks/{id}/execute: queue a job for the task
 * and answer with its result when it ends within ?wait=SECONDS (default 30, 0..300):
 *
 *   200 {"data": {jobId, executionId, status, output, error, durationMs}}
 *   202 {"data": {jobId, status, links: {job, events}}} and Location: /api/v1/jobs/ID
 *
 * A failed execution is a 200 with status "failed" and the typed error: the request did what
 * it was asked (run the task), and the result is the failure. Errors of the request itself
 * (unknown task 404, bad input 400, disabled task 409) come before the job exists.
 *
 * How the wait works and its races. The handler submits the job, defers the request (before
 * subscribing, so that an answer from another thread always comes after defer()), then
 * subscribes to the job's events. Events held for the job are replayed inside subscribe(), so
 * the final event may arrive before subscribe() returns, on this very thread; later ones come
 * on an engine thread. Three parties can end the wait, and each marks the session ended under
 * its lock:
 *   - the event callback, on the final status event: keeps a copy of it and hands the session
 *     to the reaper (it may not unsubscribe itself, engine.h); the reaper unsubscribes, looks
 *     up durationMs when the event lacks it, and answers 200;
 *   - on_expire (deadline, client gone, shutdown): answers at once, under the session lock -
 *     200 from the copied final event if there is one, else 202 - since the request is invalid
 *     once it returns; then queues the session so that the reaper unsubscribes;
 *   - stop(): answers 202 and queues.
 * respond() is only called with the session lock held and only while neither an answer was
 * given nor on_expire has returned, so the request is never touched after it is invalid.
 * on_expire finds the session by its request (rest_session_claim, rest.h): the http plugin may
 * already be calling it when the reaper's answer is accepted, and the reaper frees the session
 * right after answering; a late on_expire then finds nothing (its own respond() is refused,
 * harmlessly) or finds the session answered. A session is queued only after subscribe()
 * returned, so the reaper never unsubscribes a subscription still being set up.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "rest.h"

typedef struct exec_session {
    rest_session base; /* first: the reaper sees the session through it */
    ratchet_http_request *req;
    int64_t job_id;
    char status[24];   /* the job's last status seen */
    char *final_event; /* the final status event, once seen (set once) */
    int answered;      /* a respond() was accepted (or on_expire answered) */
    int expired;       /* on_expire ran: the request is invalid */
} exec_session;

/* 202: where to follow the job. */
static ratchet_status build_accepted(ratchet_buf *b, int64_t id, const char *status)
{
    return rest_host->buf_printf(b,
                                 "{\"data\":{\"jobId\":%lld,\"status\":\"%s\",\"links\":{"
                                 "\"job\":\"" REST_PREFIX "/jobs/%lld\",\"events\":\"" REST_PREFIX
                                 "/jobs/%lld/events\"}}}",
                                 (long long)id, status, (long long)id, (long long)id);
}

/* The duration of an execution from its record (the reaper only: a storage call). */
static struct json_object *lookup_duration(const rest *r, struct json_object *exec_id)
{
    ratchet_buf out = RATCHET_BUF_INIT;
    struct json_object *rec = NULL, *d = NULL, *copy = NULL;
    if (exec_id && json_object_is_type(exec_id, json_type_int) &&
        r->eng->execution_get(json_object_get_int64(exec_id), &out) == RATCHET_OK &&
        (rec = rest_parse(out.data)) && json_object_object_get_ex(rec, "durationMs", &d))
        copy = json_object_get(d);
    json_object_put(rec);
    rest_host->buf_free(&out);
    return copy;
}

/* 200: the result from the final status event. `r` NULL: no storage lookup. */
static ratchet_status build_result(ratchet_buf *b, const rest *r, const char *event)
{
    static const char *const keys[] = {"jobId", "executionId", "status", "output", "error", NULL};
    struct json_object *ev = rest_parse(event), *data = json_object_new_object(), *v = NULL;
    ratchet_status st = RATCHET_NOMEM;
    if (ev && data) {
        for (const char *const *k = keys; *k; k++) {
            v = NULL;
            json_object_object_get_ex(ev, *k, &v);
            json_object_object_add(data, *k, json_object_get(v));
        }
        struct json_object *d = NULL;
        if (json_object_object_get_ex(ev, "durationMs", &d))
            d = json_object_get(d);
        else if (r && json_object_object_get_ex(ev, "executionId", &v))
            d = lookup_duration(r, v);
        json_object_object_add(data, "durationMs", d);
        st = rest_host->buf_printf(b, "{\"data\":%s}", rest_json_text(data));
    }
    json_object_put(ev);
    json_object_put(data);
    return st;
}

/* Answer `req` with `result` (200) or the 202. With s->base.lock held. */
static ratchet_status respond_locked(exec_session *s, ratchet_http_request *req,
                                     const ratchet_buf *result)
{
    const ratchet_http_api *http = s->base.r->http;
    if (result && result->data)
        return http->respond(req, 200, "application/json", result->data, result->len);
    ratchet_buf b = RATCHET_BUF_INIT, loc = RATCHET_BUF_INIT;
    ratchet_status st = build_accepted(&b, s->job_id, s->status);
    if (st == RATCHET_OK &&
        rest_host->buf_printf(&loc, REST_PREFIX "/jobs/%lld", (long long)s->job_id) == RATCHET_OK)
        http->add_header(req, "Location", loc.data);
    st = st == RATCHET_OK ? http->respond(req, 202, "application/json", b.data, b.len)
                          : http->respond_error(req, 500, "INTERNAL_ERROR", "out of memory");
    rest_host->buf_free(&b);
    rest_host->buf_free(&loc);
    return st;
}

/* The engine's event callback: note the status; on the final one, keep it and end. */
static int exec_event(void *user, uint64_t seq, const char *event_json)
{
    exec_session *s = user;
    (void)seq;
    struct json_object *ev = rest_parse(event_json), *type = NULL, *status = NULL, *fin = NULL;
    int is_status = json_object_object_get_ex(ev, "type", &type) &&
                    strcmp(json_object_get_string(type), "status") == 0;
    int queue = 0, done = 0;
    pthread_mutex_lock(&s->base.lock);
    if (s->base.ended) {
        done = 1;
    } else if (is_status) {
        if (json_object_object_get_ex(ev, "status", &status))
            snprintf(s->status, sizeof s->status, "%s", json_object_get_string(status));
        if (json_object_object_get_ex(ev, "final", &fin) && json_object_get_boolean(fin)) {
            s->final_event = strdup(event_json);
            queue = rest_session_end_locked(&s->base);
            done = 1;
        }
    }
    pthread_mutex_unlock(&s->base.lock);
    json_object_put(ev);
    if (queue)
        rest_reaper_push(&s->base);
    return done;
}

/* The http plugin's on_expire (`user` is the instance): answer now, since the request is
 * invalid once this returns - 200 from the final event if it came, else 202 - and queue the
 * session so that the reaper unsubscribes. No session: it was answered and freed already. */
static void exec_expire(void *user, ratchet_http_request *req, ratchet_http_end why)
{
    rest *r = user;
    (void)why;
    rest_session *base = rest_session_claim(r, req);
    if (!base) {
        r->http->respond_error(req, 503, "SERVICE_UNAVAILABLE", "the answer was already sent");
        return;
    }
    exec_session *s = (exec_session *)base;
    ratchet_buf result = RATCHET_BUF_INIT;
    if (!s->answered) {
        if (s->final_event)
            build_result(&result, NULL, s->final_event);
        respond_locked(s, req, &result);
        s->answered = 1;
    }
    s->expired = 1;
    int queue = rest_session_end_locked(base);
    pthread_mutex_unlock(&base->lock);
    rest_host->buf_free(&result);
    if (queue)
        rest_reaper_push(base);
}

void rest_execute_reaped(rest_session *base)
{
    exec_session *s = (exec_session *)base;
    ratchet_buf result = RATCHET_BUF_INIT;
    pthread_mutex_lock(&base->lock);
    int want = !s->answered && !s->expired && s->final_event;
    pthread_mutex_unlock(&base->lock);
    if (want) /* outside the lock: it may ask the storage for durationMs */
        build_result(&result, base->r, s->final_event);
    pthread_mutex_lock(&base->lock);
    if (!s->answered && !s->expired)
        respond_locked(s, s->req, &result);
    s->answered = 1;
    pthread_mutex_unlock(&base->lock);
    rest_host->buf_free(&result);
}

int rest_execute_abort(rest_session *base)
{
    exec_session *s = (exec_session *)base;
    pthread_mutex_lock(&base->lock);
    if (!s->answered && !s->expired && !base->queued &&
        respond_locked(s, s->req, NULL) == RATCHET_OK)
        s->answered = 1;
    int queue = rest_session_end_locked(base);
    pthread_mutex_unlock(&base->lock);
    return queue;
}

void rest_execute_free(rest_session *base)
{
    exec_session *s = (exec_session *)base;
    free(s->final_event);
    rest_host->free(s);
}

/* ?wait=SECONDS: 0..300, default 30; -1 after answering 400. */
static int parse_wait(const rest *r, ratchet_http_request *req)
{
    const char *w = r->http->query(req, "wait");
    if (!w)
        return REST_WAIT_DEFAULT;
    char *end = NULL;
    long v = strtol(w, &end, 10);
    if (!*w || *end || v < 0 || v > REST_WAIT_MAX)
        return rest_invalid(r, req, "wait must be a number of seconds from 0 to %d, not '%s'",
                            REST_WAIT_MAX, w) -
               1;
    return (int)v;
}

/* Queue the job for the task of the path; its id and status, or 0 after answering. */
static int64_t submit(const rest *r, const rest_op *op, ratchet_http_request *req, char *status,
                      size_t cap)
{
    struct json_object *body = NULL, *rec = NULL, *v = NULL;
    if (!rest_read_body(r, req, op->fields, 0, &body))
        return 0;
    const char *ref = r->http->param(req, "id");
    int64_t task_id = rest_parse_id(ref);
    json_object_object_add(body, task_id ? "taskId" : "taskName",
                           task_id ? json_object_new_int64(task_id)
                                   : json_object_new_string(ref ? ref : ""));
    ratchet_buf out = RATCHET_BUF_INIT;
    ratchet_status st = r->eng->job_submit(rest_json_text(body), &out);
    int64_t id = 0;
    if (st != RATCHET_OK)
        rest_send_engine_error(r, req, st, out.data);
    else if (!(rec = rest_parse(out.data)) || !json_object_object_get_ex(rec, "id", &v) ||
             (id = json_object_get_int64(v)) <= 0)
        rest_send_nomem(r, req);
    if (id > 0) {
        snprintf(status, cap, "%s",
                 json_object_object_get_ex(rec, "status", &v) ? json_object_get_string(v)
                                                              : "queued");
    }
    json_object_put(rec);
    json_object_put(body);
    rest_host->buf_free(&out);
    return id;
}

void rest_execute_handler(void *user, ratchet_http_request *req)
{
    const rest_binding *bind = user;
    rest *r = bind->r;
    int wait = parse_wait(r, req);
    exec_session tmp = {.job_id = 0};
    if (wait < 0 || (tmp.job_id = submit(r, bind->op, req, tmp.status, sizeof tmp.status)) == 0)
        return;
    exec_session *s = wait > 0 ? rest_host->calloc(1, sizeof *s) : NULL;
    if (!s || rest_session_add(r, &s->base, REST_SESSION_EXECUTE, req) != RATCHET_OK) {
        rest_host->free(s); /* wait=0, out of memory or stopping: answer where to look */
        tmp.base.r = r;
        respond_locked(&tmp, req, NULL);
        return;
    }
    s->req = req;
    s->job_id = tmp.job_id;
    memcpy(s->status, tmp.status, sizeof s->status);
    if (r->http->defer(req, (int64_t)wait * 1000, exec_expire, r) != RATCHET_OK) {
        respond_locked(s, req, NULL);
        rest_session_release(&s->base);
        return;
    }
    rest_session_subscribed(&s->base, r->eng->subscribe(s->job_id, 0, 0, exec_event, s));
}
