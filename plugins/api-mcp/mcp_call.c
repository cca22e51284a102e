/*
 * plugins/api-mcp/mcp_call.c - tools/call on a thread of its own.
 *
 * A tool may wait for a job for minutes, and while it waits the transport must go on reading
 * (notifications/cancelled, other requests). So each tools/call gets a detached thread, at
 * most MCP_MAX_CALLS per instance; the call is linked into its session while it runs, so that
 * notifications/cancelled (or the session's end, or stop()) can mark it cancelled and wake it.
 * A cancelled call sends no response (the spec: the client is no longer waiting); its channel
 * is released without one.
 *
 * stop() sets mcp.stopping, wakes every call and waits (bounded) until the threads are gone;
 * a thread touches the instance for the last time under mcp.lock when it decrements ncalls.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "mcp.h"

static const char *const log_levels[] = {"debug",    "info",  "notice",    "warning", "error",
                                         "critical", "alert", "emergency", NULL};

/* End of a call: unlink, drop the session and the instance's count. */
static void call_finish(mcp_call *c)
{
    mcp *m = c->m;
    mcp_session *s = c->sess, *free_me = NULL;
    pthread_mutex_lock(&m->lock);
    for (mcp_call **p = &s->calls; *p; p = &(*p)->next) {
        if (*p == c) {
            *p = c->next;
            break;
        }
    }
    if (s != &m->stdio_session && --s->refs == 0)
        free_me = s;
    json_object_put(c->id);
    json_object_put(c->params);
    pthread_cond_destroy(&c->cond);
    mcp_host->free(c);
    m->ncalls--;
    pthread_cond_broadcast(&m->idle);
    pthread_mutex_unlock(&m->lock);
    mcp_host->free(free_me);
}

static void *call_thread(void *arg)
{
    mcp_call *c = arg;
    const char *name = mcp_get_string(c->params, "name");
    struct json_object *args = mcp_get_object(c->params, "arguments");
    int code = MCP_INTERNAL_ERROR;
    char why[512] = "out of memory";
    struct json_object *r = mcp_tools_call(c, name, args, &code, why, sizeof why);
    pthread_mutex_lock(&c->m->lock);
    int cancelled = c->cancelled;
    pthread_mutex_unlock(&c->m->lock);
    if (r && strcmp(c->version, MCP_STATELESS) == 0)
        json_object_object_add(r, "resultType", json_object_new_string("complete"));
    if (cancelled)
        json_object_put(r);
    else if (r)
        mcp_send_result(c->out, c->id, r);
    else
        mcp_send_error(c->out, c->id, code, NULL, "%s", why);
    c->out->release(c->out);
    call_finish(c);
    return NULL;
}

/* params.name a string and params.arguments an object (or absent); else answers -32602. */
static int check_params(struct json_object *msg, mcp_out *out, struct json_object **params)
{
    struct json_object *id = NULL, *args = NULL;
    json_object_object_get_ex(msg, "id", &id);
    json_object_object_get_ex(msg, "params", params);
    if (!mcp_get_string(*params, "name")) {
        mcp_send_error(out, id, MCP_INVALID_PARAMS, NULL,
                       "tools/call needs params.name (the tool's name, a string)");
        return 0;
    }
    if (json_object_object_get_ex(*params, "arguments", &args) && args &&
        !json_object_is_type(args, json_type_object)) {
        mcp_send_error(out, id, MCP_INVALID_PARAMS, NULL, "params.arguments must be an object");
        return 0;
    }
    return 1;
}

static mcp_call *call_new(mcp *m, mcp_session *s, struct json_object *msg, mcp_out *out,
                          const mcp_caller *caller, struct json_object *params)
{
    mcp_call *c = mcp_host->calloc(1, sizeof *c);
    if (!c)
        return NULL;
    struct json_object *id = NULL, *token = NULL;
    json_object_object_get_ex(msg, "id", &id);
    c->m = m;
    c->sess = s;
    c->out = out;
    c->caller = *caller;
    /* Copies: the thread owns them, and json-c's reference counts are not atomic. */
    if (json_object_deep_copy(id, &c->id, NULL) != 0 ||
        json_object_deep_copy(params, &c->params, NULL) != 0) {
        json_object_put(c->id);
        mcp_host->free(c);
        return NULL;
    }
    if (json_object_object_get_ex(mcp_get_object(c->params, "_meta"), "progressToken", &token) &&
        (json_object_is_type(token, json_type_string) || json_object_is_type(token, json_type_int)))
        c->token = token;
    const char *meta = mcp_meta_version(msg);
    snprintf(c->version, sizeof c->version, "%s", meta ? meta : s->version);
    pthread_cond_init(&c->cond, NULL);
    return c;
}

mcp_disposition mcp_call_start(mcp *m, mcp_session *s, struct json_object *msg, mcp_out *out,
                               const mcp_caller *caller)
{
    struct json_object *params = NULL, *id = NULL;
    json_object_object_get_ex(msg, "id", &id);
    if (!check_params(msg, out, &params))
        return MCP_DONE_ANSWERED;
    mcp_call *c = call_new(m, s, msg, out, caller, params);
    pthread_mutex_lock(&m->lock);
    int busy = m->stopping || m->ncalls >= MCP_MAX_CALLS || !c;
    if (!busy) {
        m->ncalls++;
        if (s != &m->stdio_session)
            s->refs++;
        c->next = s->calls;
        s->calls = c;
    }
    pthread_mutex_unlock(&m->lock);
    pthread_t t;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    int rc = busy ? EAGAIN : pthread_create(&t, &attr, call_thread, c);
    pthread_attr_destroy(&attr);
    if (rc == 0)
        return MCP_DONE_PENDING;
    if (!busy) {
        c->out = NULL;
        call_finish(c);
    } else if (c) {
        json_object_put(c->id);
        json_object_put(c->params);
        pthread_cond_destroy(&c->cond);
        mcp_host->free(c);
    }
    mcp_send_error(out, id, MCP_INTERNAL_ERROR, NULL,
                   "server busy: %d tool calls are running (or the server is stopping); try again",
                   MCP_MAX_CALLS);
    return MCP_DONE_ANSWERED;
}

void mcp_call_progress(mcp_call *c, const char *message)
{
    if (!c->token || !c->out->notify)
        return;
    pthread_mutex_lock(&c->m->lock);
    int64_t p = ++c->progress;
    pthread_mutex_unlock(&c->m->lock);
    struct json_object *params = json_object_new_object();
    json_object_object_add(params, "progressToken", json_object_get(c->token));
    json_object_object_add(params, "progress", json_object_new_int64(p));
    if (message)
        json_object_object_add(params, "message", json_object_new_string(message));
    mcp_send_notification(c->out, "notifications/progress", params);
}

void mcp_call_log(mcp_call *c, const char *level, struct json_object *data)
{
    int want = -1, have = 0;
    pthread_mutex_lock(&c->m->lock);
    want = c->sess->log_level;
    pthread_mutex_unlock(&c->m->lock);
    while (log_levels[have] && strcmp(log_levels[have], level) != 0)
        have++;
    if (want < 0 || !log_levels[have] || have < want || !c->out->notify) {
        json_object_put(data);
        return;
    }
    struct json_object *params = json_object_new_object();
    json_object_object_add(params, "level", json_object_new_string(level));
    json_object_object_add(params, "logger", json_object_new_string("ratchet"));
    json_object_object_add(params, "data", data);
    mcp_send_notification(c->out, "notifications/message", params);
}

int mcp_call_add_job(mcp_call *c, int64_t job_id)
{
    pthread_mutex_lock(&c->m->lock);
    int ok = !c->cancelled && !c->m->stopping;
    if (ok && c->njobs < sizeof c->job_ids / sizeof *c->job_ids)
        c->job_ids[c->njobs++] = job_id;
    pthread_mutex_unlock(&c->m->lock);
    return ok;
}

int mcp_call_should_end(mcp_call *c)
{
    pthread_mutex_lock(&c->m->lock);
    int end = c->cancelled || c->m->stopping;
    pthread_mutex_unlock(&c->m->lock);
    return end;
}

void mcp_calls_drain(mcp *m, int64_t ms)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += (time_t)(ms / 1000);
    until.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&m->lock);
    m->stopping = 1;
    for (mcp_call *c = m->stdio_session.calls; c; c = c->next)
        pthread_cond_broadcast(&c->cond);
    for (mcp_session *s = m->sessions; s; s = s->next)
        for (mcp_call *c = s->calls; c; c = c->next)
            pthread_cond_broadcast(&c->cond);
    int rc = 0;
    while (m->ncalls > 0 && rc != ETIMEDOUT)
        rc = pthread_cond_timedwait(&m->idle, &m->lock, &until);
    if (m->ncalls > 0)
        mcp_host->log(m->ctx, RATCHET_LOG_WARN, "%d tool calls still running at stop", m->ncalls);
    pthread_mutex_unlock(&m->lock);
}
