/*
 * plugins/api-rest/rest_sse.c - GET /api/v1/jobs/{id}/events and /executions/{id}/events as
 * Server-Sent Events: every engine event of the job (or execution) as
 *
 *     id: SEQ
 *     event: status|log|fetch
 *     data: {...the event...}
 *
 * from the one after Last-Event-ID (or ?lastEventId=) on; the stream ends after the final
 * status (a job's last status; an execution's first status past running). A job that ended
 * longer ago than the engine keeps events gets one status event built from its record. On
 * server shutdown the stream ends with `event: end`.
 *
 * GET /api/v1/logs/stream is the same stream over every job, kept to its log and fetch events
 * (?level= the lowest written), and without an end of its own.
 *
 * Threading: events are written from the engine's callback (one at a time per subscription),
 * with the session lock held so that on_close and stop() see a consistent state. The stream
 * is closed by the reaper after unsubscribe() (never from the callback, engine.h), and without
 * the session lock held, so a plugin that serialises on_close with stream calls cannot wait on
 * us while we wait on it. on_close only marks the session ended (and writes `event: end` on
 * shutdown): writes after it fail harmlessly.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "rest.h"

typedef struct sse_session {
    rest_session base;
    ratchet_http_stream *stream;
    int job;       /* 1: a job's events; 0: an execution's */
    int closing;   /* the reaper is closing the stream: no more writes */
    int logs;      /* GET /logs/stream: every job's log and fetch events, no end */
    int min_level; /* /logs/stream?level=: the lowest level of log events written */
} sse_session;

/* Write one event; "id:" only when seq > 0. JSON text never needs a raw newline, so any is
 * turned into a space to keep the event one `data:` line. With the session lock held. */
static ratchet_status write_event(sse_session *s, uint64_t seq, const char *type, const char *json)
{
    ratchet_buf b = RATCHET_BUF_INIT;
    ratchet_status st =
        seq ? rest_host->buf_printf(&b, "id: %llu\n", (unsigned long long)seq) : RATCHET_OK;
    if (st == RATCHET_OK)
        st = rest_host->buf_printf(&b, "event: %s\ndata: ", type);
    size_t at = b.len;
    if (st == RATCHET_OK)
        st = rest_host->buf_printf(&b, "%s\n\n", json);
    for (size_t i = at; st == RATCHET_OK && i + 2 < b.len; i++) {
        if (b.data[i] == '\n' || b.data[i] == '\r')
            b.data[i] = ' ';
    }
    if (st == RATCHET_OK && !s->closing)
        st = s->base.r->http->stream_write(s->stream, b.data, b.len);
    rest_host->buf_free(&b);
    return st;
}

/* Whether a status event ends the stream: a job's final status; an execution's first status
 * after running (it completed, failed, was cancelled, or its job is being retried). */
static int is_last(const sse_session *s, struct json_object *ev)
{
    struct json_object *fin = NULL, *status = NULL;
    if (json_object_object_get_ex(ev, "final", &fin) && json_object_get_boolean(fin))
        return 1;
    if (s->job || !json_object_object_get_ex(ev, "status", &status))
        return 0;
    const char *st = json_object_get_string(status);
    return strcmp(st, "queued") != 0 && strcmp(st, "running") != 0 && strcmp(st, "processing") != 0;
}

static const char *const level_names[] = {"trace", "debug", "info", "warn", "error", NULL};

/* A level name's rank (trace 0 .. error 4); info for anything else. */
static int level_rank(const char *name)
{
    for (int i = 0; name && level_names[i]; i++)
        if (strcmp(name, level_names[i]) == 0)
            return i;
    return 2;
}

/* /logs/stream writes log and fetch events at or above its level (a fetch that failed or got
 * a status >= 400 counts as error), nothing else. */
static int logs_skip(const sse_session *s, const char *type, struct json_object *ev)
{
    struct json_object *v = NULL;
    if (strcmp(type, "fetch") == 0) {
        int status = json_object_object_get_ex(ev, "status", &v) ? json_object_get_int(v) : 0;
        return (status > 0 && status < 400 ? 2 : 4) < s->min_level;
    }
    if (strcmp(type, "log") != 0)
        return 1;
    return level_rank(json_object_object_get_ex(ev, "level", &v) ? json_object_get_string(v)
                                                                 : NULL) < s->min_level;
}

static int sse_event(void *user, uint64_t seq, const char *event_json)
{
    sse_session *s = user;
    struct json_object *ev = rest_parse(event_json), *type = NULL;
    const char *t =
        json_object_object_get_ex(ev, "type", &type) ? json_object_get_string(type) : "message";
    if (s->logs && logs_skip(s, t, ev)) {
        json_object_put(ev);
        return 0;
    }
    int queue = 0;
    pthread_mutex_lock(&s->base.fe.lock);
    int end = s->base.fe.ended;
    if (!end) {
        /* A gone client (ERR) or one reading too slowly (RETRY) ends the stream. */
        end = write_event(s, seq, t, event_json) != RATCHET_OK ||
              (!s->logs && strcmp(t, "status") == 0 && is_last(s, ev));
        if (end)
            queue = fe_session_end_locked(&s->base.fe);
    }
    pthread_mutex_unlock(&s->base.fe.lock);
    json_object_put(ev);
    if (queue)
        fe_reaper_push(&s->base.fe);
    return end;
}

static void write_end(sse_session *s, const char *reason)
{
    ratchet_buf b = RATCHET_BUF_INIT;
    if (rest_host->buf_printf(&b, "{\"reason\":\"%s\"}", reason) == RATCHET_OK)
        write_event(s, 0, "end", b.data);
    rest_host->buf_free(&b);
}

/* The http plugin's on_close (`user` is the instance; see fe_session.h for why). No session: we
 * closed the stream already. */
static void sse_close(void *user, ratchet_http_stream *stream, ratchet_http_end why)
{
    rest *r = user;
    fe_session *base = fe_session_claim(&r->reaper, stream);
    if (!base)
        return;
    if (why == RATCHET_HTTP_END_SHUTDOWN && !base->ended)
        write_end((sse_session *)base, "shutdown");
    int queue = fe_session_end_locked(base);
    pthread_mutex_unlock(&base->lock);
    if (queue)
        fe_reaper_push(base);
}

static void sse_reaped(fe_session *base)
{
    sse_session *s = (sse_session *)base;
    pthread_mutex_lock(&base->lock);
    s->closing = 1;
    pthread_mutex_unlock(&base->lock);
    s->base.r->http->stream_close(s->stream);
}

static int sse_abort(fe_session *base)
{
    sse_session *s = (sse_session *)base;
    pthread_mutex_lock(&base->lock);
    if (!base->ended)
        write_end(s, "shutdown");
    int queue = fe_session_end_locked(base);
    pthread_mutex_unlock(&base->lock);
    return queue;
}

static void sse_free(fe_session *base)
{
    rest_host->free(base);
}

const fe_session_ops rest_sse_ops = {sse_reaped, sse_abort, sse_free};

/* The first write: a comment naming the stream. It also finds a client that left between
 * stream_open() and the session being findable (its on_close found no session): the write
 * fails, and the session ends at once. */
static void open_stream(sse_session *s)
{
    pthread_mutex_lock(&s->base.fe.lock);
    if (s->base.r->http->stream_write(s->stream, ":\n\n", 3) != RATCHET_OK)
        s->base.fe.ended = 1;
    pthread_mutex_unlock(&s->base.fe.lock);
}

/* Last-Event-ID (header) or ?lastEventId=: the seq to resume after; 0 when absent; -1 after
 * answering 400. */
static long long resume_point(const rest *r, ratchet_http_request *req)
{
    const char *v = r->http->header(req, "Last-Event-ID");
    if (!v)
        v = r->http->query(req, "lastEventId");
    if (!v || !*v)
        return 0;
    char *end = NULL;
    errno = 0;
    long long seq = strtoll(v, &end, 10);
    if (errno || *end || seq < 0)
        return rest_invalid(r, req, "Last-Event-ID must be an event id (a number >= 0), not '%s'",
                            v) -
               1;
    return seq;
}

/* The record's status event when the record says it is over (else NULL): what a client that
 * comes after the engine dropped the job's events is told. Caller puts it. */
static struct json_object *final_from_record(const sse_session *s, const char *record)
{
    static const char *const copied[] = {"taskName", "status", "attempt", "output", "error", NULL};
    struct json_object *rec = rest_parse(record), *status = NULL, *ev = NULL, *v = NULL;
    if (!json_object_object_get_ex(rec, "status", &status)) {
        json_object_put(rec);
        return NULL;
    }
    const char *st = json_object_get_string(status);
    if (strcmp(st, "queued") && strcmp(st, "running") && strcmp(st, "processing") &&
        strcmp(st, "retrying") && (ev = json_object_new_object())) {
        json_object_object_add(ev, "type", json_object_new_string("status"));
        json_object_object_get_ex(rec, "id", &v);
        json_object_object_add(ev, s->job ? "jobId" : "executionId", json_object_get(v));
        json_object_object_get_ex(rec, s->job ? "executionId" : "jobId", &v);
        json_object_object_add(ev, s->job ? "executionId" : "jobId", json_object_get(v));
        for (const char *const *k = copied; *k; k++) {
            if (json_object_object_get_ex(rec, *k, &v))
                json_object_object_add(ev, *k, json_object_get(v));
        }
        json_object_object_add(ev, "final", json_object_new_boolean(1));
    }
    json_object_put(rec);
    return ev;
}

/* Subscribe; when the replay did not end the stream and the record says the job (execution)
 * is over, send the record's status and end. Before fe_session_subscribed() nobody else
 * queues or frees the session, so this step needs no care beyond the lock. */
static void follow(sse_session *s, int64_t id, long long after, const char *record)
{
    const ratchet_engine_api *eng = s->base.r->eng;
    ratchet_engine_sub *sub =
        eng->subscribe(s->job ? id : 0, s->job ? 0 : id, (uint64_t)after, sse_event, s);
    struct json_object *fin = final_from_record(s, record);
    pthread_mutex_lock(&s->base.fe.lock);
    if (!s->base.fe.ended && fin) {
        write_event(s, 0, "status", rest_json_text(fin));
        s->base.fe.ended = 1;
    }
    pthread_mutex_unlock(&s->base.fe.lock);
    json_object_put(fin);
    fe_session_subscribed(&s->base.fe, sub);
}

void rest_events_handler(void *user, ratchet_http_request *req)
{
    const rest_binding *bind = user;
    rest *r = bind->r;
    int64_t id = rest_id_param(r, req, bind->op->noun);
    long long after = id ? resume_point(r, req) : -1;
    if (after < 0)
        return;
    ratchet_buf rec = RATCHET_BUF_INIT;
    ratchet_status (*get)(int64_t, ratchet_buf *) =
        bind->op->flag ? r->eng->job_get : r->eng->execution_get;
    ratchet_status st = get(id, &rec);
    sse_session *s = st == RATCHET_OK ? rest_host->calloc(1, sizeof *s) : NULL;
    if (st != RATCHET_OK) {
        rest_send_engine_error(r, req, st, rec.data); /* 404 before the stream opens */
    } else if (!s ||
               !(s->stream = r->http->stream_open(req, 200, "text/event-stream", sse_close, r))) {
        rest_host->free(s);
        r->http->respond_error(req, 500, "INTERNAL_ERROR", "cannot open the event stream");
    } else if (fe_session_add(&r->reaper, &s->base.fe, &rest_sse_ops, s->stream) != RATCHET_OK) {
        r->http->stream_close(s->stream); /* stopping */
        rest_host->free(s);
    } else {
        s->base.r = r;
        s->job = bind->op->flag;
        open_stream(s);
        follow(s, id, after, rec.data);
    }
    rest_host->buf_free(&rec);
}

/* GET /api/v1/logs/stream[?level=warn]: the log and fetch events of every job as they happen
 * (those the engine still holds after Last-Event-ID first), until the client leaves or the
 * server stops. */
void rest_logs_stream_handler(void *user, ratchet_http_request *req)
{
    const rest_binding *bind = user;
    rest *r = bind->r;
    const char *level = r->http->query(req, "level");
    int min = level ? level_rank(level) : 0;
    if (level && min == 2 && strcmp(level, "info") != 0) {
        rest_invalid(r, req, "level must be one of trace, debug, info, warn, error, not '%s'",
                     level);
        return;
    }
    long long after = resume_point(r, req);
    if (after < 0)
        return;
    sse_session *s = rest_host->calloc(1, sizeof *s);
    if (!s || !(s->stream = r->http->stream_open(req, 200, "text/event-stream", sse_close, r))) {
        rest_host->free(s);
        r->http->respond_error(req, 500, "INTERNAL_ERROR", "cannot open the event stream");
        return;
    }
    if (fe_session_add(&r->reaper, &s->base.fe, &rest_sse_ops, s->stream) != RATCHET_OK) {
        r->http->stream_close(s->stream); /* stopping */
        rest_host->free(s);
        return;
    }
    s->base.r = r;
    s->logs = 1;
    s->min_level = min;
    open_stream(s);
    ratchet_engine_sub *sub = r->eng->subscribe(0, 0, (uint64_t)after, sse_event, s);
    fe_session_subscribed(&s->base.fe, sub);
}
