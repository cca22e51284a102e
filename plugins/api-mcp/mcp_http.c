/*
 * plugins/api-mcp/mcp_http.c - the Streamable HTTP transport, mounted at `path` on the http
 * plugin ("ratchet.http"):
 *
 *   POST    one JSON-RPC message. A request is answered with application/json, or for
 *           tools/call with an SSE stream (progress and log notifications, then the response)
 *           when the client accepts text/event-stream and sent a progressToken or asked for
 *           logs; notifications and responses get 202. initialize issues Mcp-Session-Id,
 *           which every later request must carry (400 without, 404 for an unknown one); a
 *           request naming the stateless revision in _meta needs no session.
 *   DELETE  ends the session.
 *   GET     not mounted: the http plugin answers 405 (no standalone server stream).
 * Every request's Origin (when sent) must be allowed (403: DNS rebinding protection), and a
 * MCP-Protocol-Version header must name a supported version (400).
 *
 * tools/call answers from its call thread: the request is deferred (or the stream opened)
 * before the call starts. The http plugin may end either early (client gone, shutdown) through
 * on_expire/on_close, possibly racing the call thread's answer; so their `user` pointer is a
 * token looked up in the instance's table of live channels, and a late callback that finds
 * nothing does only what the contract requires (on_expire answers).
 */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "mcp.h"

typedef struct http_out {
    mcp_out base; /* first */
    mcp *m;
    uint64_t token;
    int refs; /* under mcp.lock: the table's link plus lookups */
    pthread_mutex_t lock;
    ratchet_http_request *req;   /* deferred JSON answer */
    ratchet_http_stream *stream; /* or the SSE stream */
    int done;                    /* answered / closed, or ended by the plugin */
    mcp_session *sess;           /* referenced; for cancelling the call */
    struct json_object *id;      /* the request id */
    struct http_out *next;
} http_out;

/* The table of live channels (one per tools/call over HTTP), under mcp.lock. */
static http_out *live;
static uint64_t next_token;
/* The instance serving HTTP: the callbacks' user pointer is a token, so they find it here. */
static mcp *the_instance;

/* ---- the channel of one tools/call ------------------------------------------------------------
 */

static http_out *lookup(mcp *m, uint64_t token)
{
    pthread_mutex_lock(&m->lock);
    http_out *o = live;
    while (o && o->token != token)
        o = o->next;
    if (o)
        o->refs++;
    pthread_mutex_unlock(&m->lock);
    return o;
}

static void put(http_out *o)
{
    mcp *m = o->m;
    pthread_mutex_lock(&m->lock);
    int last = --o->refs == 0;
    pthread_mutex_unlock(&m->lock);
    if (!last)
        return;
    mcp_session_unref(m, o->sess);
    json_object_put(o->id);
    pthread_mutex_destroy(&o->lock);
    mcp_host->free(o);
}

static void out_send(mcp_out *base, const char *json, size_t len, int final)
{
    http_out *o = (http_out *)base;
    const ratchet_http_api *http = o->m->http;
    pthread_mutex_lock(&o->lock);
    if (!o->done && o->stream) {
        ratchet_buf ev = RATCHET_BUF_INIT;
        if (mcp_host->buf_printf(&ev, "event: message\ndata: %.*s\n\n", (int)len, json) ==
                RATCHET_OK &&
            http->stream_write(o->stream, ev.data, ev.len) == RATCHET_ERR)
            mcp_host->log(o->m->ctx, RATCHET_LOG_DEBUG, "SSE write failed: the client is gone");
        mcp_host->buf_free(&ev);
        if (final) {
            http->stream_close(o->stream);
            o->done = 1;
        }
    } else if (!o->done && final) {
        http->respond(o->req, 200, "application/json", json, len);
        o->done = 1; /* accepted, or refused because on_expire is answering */
    }
    pthread_mutex_unlock(&o->lock);
}

/* The call is over: end the answer if it sent none (a cancelled call), leave the table. */
static void out_release(mcp_out *base)
{
    http_out *o = (http_out *)base;
    pthread_mutex_lock(&o->lock);
    if (!o->done && o->stream)
        o->m->http->stream_close(o->stream);
    else if (!o->done)
        o->m->http->respond(o->req, 202, NULL, "", 0);
    o->done = 1;
    pthread_mutex_unlock(&o->lock);
    pthread_mutex_lock(&o->m->lock);
    for (http_out **p = &live; *p; p = &(*p)->next) {
        if (*p == o) {
            *p = o->next;
            break;
        }
    }
    pthread_mutex_unlock(&o->m->lock);
    put(o);
}

/* The plugin ended the answer: note it; a client that went away cancels its call. */
static void ended_early(mcp *m, uint64_t token, ratchet_http_request *req, ratchet_http_end why)
{
    http_out *o = lookup(m, token);
    int answer = req != NULL;
    if (o) {
        pthread_mutex_lock(&o->lock);
        answer = answer && !o->done;
        o->done = 1;
        pthread_mutex_unlock(&o->lock);
        if (why == RATCHET_HTTP_END_CLOSED)
            mcp_session_cancel(m, o->sess, o->id);
    }
    if (answer) /* on_expire must answer; to a gone client it is discarded */
        m->http->respond(req, 503, "application/json",
                         "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32603,"
                         "\"message\":\"the server is stopping\"}}",
                         sizeof "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32603,"
                                "\"message\":\"the server is stopping\"}}" -
                             1);
    if (o)
        put(o);
}

static void on_expire(void *user, ratchet_http_request *req, ratchet_http_end why)
{
    if (the_instance)
        ended_early(the_instance, (uint64_t)(uintptr_t)user, req, why);
}

static void on_close(void *user, ratchet_http_stream *stream, ratchet_http_end why)
{
    (void)stream;
    if (the_instance)
        ended_early(the_instance, (uint64_t)(uintptr_t)user, NULL, why);
}

/* A channel for a tools/call: SSE when `sse`, else a deferred JSON answer. NULL after
 * answering 500. */
static http_out *open_channel(mcp *m, mcp_session *s, ratchet_http_request *req,
                              struct json_object *msg, int sse)
{
    http_out *o = mcp_host->calloc(1, sizeof *o);
    if (!o) {
        m->http->respond_error(req, 500, "INTERNAL_ERROR", "out of memory");
        return NULL;
    }
    struct json_object *id = NULL;
    json_object_object_get_ex(msg, "id", &id);
    o->base = (mcp_out){out_send, out_release, sse};
    o->m = m;
    o->refs = 1;
    o->req = req;
    o->sess = s;
    json_object_deep_copy(id, &o->id, NULL); /* not shared: json-c counts are not atomic */
    pthread_mutex_init(&o->lock, NULL);
    pthread_mutex_lock(&m->lock);
    s->refs++;
    o->token = ++next_token;
    o->next = live;
    live = o;
    pthread_mutex_unlock(&m->lock);
    void *user = (void *)(uintptr_t)o->token;
    int ok = sse ? (o->stream =
                        m->http->stream_open(req, 200, "text/event-stream", on_close, user)) != NULL
                 : m->http->defer(req, 0, on_expire, user) == RATCHET_OK;
    if (!ok) {
        o->done = 1;
        m->http->respond_error(req, 500, "INTERNAL_ERROR", "cannot answer later");
        out_release(&o->base);
        return NULL;
    }
    return o;
}

/* ---- plain answers
 * ------------------------------------------------------------------------------- */

typedef struct sync_out {
    mcp_out base;
    const ratchet_http_api *http;
    ratchet_http_request *req;
    int status;
} sync_out;

static void sync_send(mcp_out *base, const char *json, size_t len, int final)
{
    sync_out *o = (sync_out *)base;
    if (final)
        o->http->respond(o->req, o->status, "application/json", json, len);
}

static void sync_release(mcp_out *base)
{
    (void)base;
}

/* An HTTP-level refusal with a JSON-RPC error body. */
static void refuse(const mcp *m, ratchet_http_request *req, int status, int code, const char *msg)
{
    sync_out o = {{sync_send, sync_release, 0}, m->http, req, status};
    mcp_send_error(&o.base, NULL, code, NULL, "%s", msg);
}

/* ---- checks
 * --------------------------------------------------------------------------------------- */

/* A loopback origin: http(s)://localhost, 127.0.0.1 or [::1], any port. */
static int loopback(const char *origin)
{
    static const char *const hosts[] = {"localhost", "127.0.0.1", "[::1]", NULL};
    const char *p = strncasecmp(origin, "http://", 7) == 0    ? origin + 7
                    : strncasecmp(origin, "https://", 8) == 0 ? origin + 8
                                                              : NULL;
    for (size_t i = 0; p && hosts[i]; i++) {
        size_t n = strlen(hosts[i]);
        if (strncasecmp(p, hosts[i], n) == 0 && (p[n] == '\0' || p[n] == ':'))
            return 1;
    }
    return 0;
}

static int origin_allowed(const mcp *m, ratchet_http_request *req)
{
    const char *origin = m->http->header(req, "Origin");
    if (!origin)
        return 1; /* not a browser */
    if (!m->origins)
        return loopback(origin);
    for (size_t i = 0; m->origins[i]; i++)
        if (strcmp(m->origins[i], "*") == 0 || strcasecmp(m->origins[i], origin) == 0)
            return 1;
    return 0;
}

/* Origin and MCP-Protocol-Version; 0 after answering. */
static int check_headers(const mcp *m, ratchet_http_request *req)
{
    if (!origin_allowed(m, req)) {
        refuse(m, req, 403, -32000,
               "Forbidden: this Origin is not allowed (add it to the "
               "api-mcp instance's allowed_origins)");
        return 0;
    }
    const char *v = m->http->header(req, "MCP-Protocol-Version");
    if (v && !mcp_version_known(v) && strcmp(v, MCP_STATELESS) != 0) {
        char msg[256];
        snprintf(msg, sizeof msg,
                 "Bad Request: unsupported MCP-Protocol-Version '%.40s' "
                 "(supported: 2026-07-28, 2025-11-25, 2025-06-18, 2025-03-26, "
                 "2024-11-05)",
                 v);
        refuse(m, req, 400, -32000, msg);
        return 0;
    }
    return 1;
}

/* The session of the message: a new one for initialize, a temporary one for a stateless
 * request, else the one named by Mcp-Session-Id. NULL after answering. */
static mcp_session *session_for(mcp *m, ratchet_http_request *req, struct json_object *msg)
{
    const char *method = mcp_get_string(msg, "method"), *meta = mcp_meta_version(msg);
    struct json_object *id = NULL;
    int is_request = json_object_object_get_ex(msg, "id", &id);
    mcp_session *s = NULL;
    if (meta && !mcp_version_known(meta)) { /* stateless (or an unsupported version) */
        s = mcp_host->calloc(1, sizeof *s);
        if (s) {
            s->refs = 1;
            s->log_level = -1;
        }
    } else if (is_request && method && strcmp(method, "initialize") == 0) {
        s = mcp_session_new(m);
        if (s)
            m->http->add_header(req, "Mcp-Session-Id", s->id);
    } else {
        const char *sid = m->http->header(req, "Mcp-Session-Id");
        if (!sid) {
            refuse(m, req, 400, -32000,
                   "Bad Request: the Mcp-Session-Id header is required "
                   "(send initialize first)");
            return NULL;
        }
        if (!(s = mcp_session_find(m, sid))) {
            refuse(m, req, 404, -32001,
                   "Session not found: it ended or never existed; "
                   "initialize a new one");
            return NULL;
        }
        return s;
    }
    if (!s)
        refuse(m, req, 503, -32603, "no room for a new session; try again later");
    return s;
}

/* ---- handlers
 * -------------------------------------------------------------------------------------- */

static int wants_stream(const mcp *m, ratchet_http_request *req, struct json_object *msg,
                        const mcp_session *s)
{
    const char *accept = m->http->header(req, "Accept");
    struct json_object *token = NULL;
    int has_token = json_object_object_get_ex(
        mcp_get_object(mcp_get_object(msg, "params"), "_meta"), "progressToken", &token);
    return accept && strstr(accept, "text/event-stream") && (has_token || s->log_level >= 0);
}

/* Dispatch a parsed message on session `s`. */
static void handle_message(mcp *m, ratchet_http_request *req, struct json_object *msg,
                           mcp_session *s)
{
    mcp_caller caller = {(int)m->http->key_scope(req)};
    const char *meta = mcp_meta_version(msg);
    if (mcp_is_tools_call(msg)) {
        http_out *o = open_channel(m, s, req, msg, wants_stream(m, req, msg, s));
        if (o && mcp_dispatch(m, s, msg, &o->base, &caller) != MCP_DONE_PENDING)
            out_release(&o->base);
        return;
    }
    int bad_version = meta && strcmp(meta, MCP_STATELESS) != 0 && !mcp_version_known(meta);
    sync_out o = {{sync_send, sync_release, 0}, m->http, req, bad_version ? 400 : 200};
    if (mcp_dispatch(m, s, msg, &o.base, &caller) == MCP_DONE_NONE)
        m->http->respond(req, 202, NULL, "", 0);
}

static void post_handler(void *user, ratchet_http_request *req)
{
    mcp *m = user;
    if (!check_headers(m, req))
        return;
    const char *ctype = m->http->header(req, "Content-Type");
    if (ctype && strncasecmp(ctype, "application/json", 16) != 0) {
        refuse(m, req, 415, -32000, "Unsupported Media Type: send application/json");
        return;
    }
    size_t len = 0;
    const char *body = m->http->body(req, &len);
    int code = 0;
    char why[256];
    struct json_object *msg = mcp_parse(body ? body : "", len, &code, why, sizeof why);
    if (!msg || !json_object_is_type(msg, json_type_object)) {
        sync_out o = {{sync_send, sync_release, 0}, m->http, req, 400};
        if (msg) /* a batch or a scalar: the dispatcher's message */
            mcp_dispatch(m, &m->stdio_session, msg, &o.base, &(mcp_caller){0});
        else
            mcp_send_error(&o.base, NULL, code, NULL, "%s", why);
        json_object_put(msg);
        return;
    }
    mcp_session *s = session_for(m, req, msg);
    if (s) {
        handle_message(m, req, msg, s);
        const char *method = mcp_get_string(msg, "method");
        if (method && strcmp(method, "initialize") == 0 && !s->initialized)
            mcp_session_end(m, s->id); /* refused: no session */
        mcp_session_unref(m, s);
    }
    json_object_put(msg);
}

static void delete_handler(void *user, ratchet_http_request *req)
{
    mcp *m = user;
    if (!check_headers(m, req))
        return;
    const char *sid = m->http->header(req, "Mcp-Session-Id");
    if (!sid)
        refuse(m, req, 400, -32000, "Bad Request: the Mcp-Session-Id header is required");
    else if (!mcp_session_end(m, sid))
        refuse(m, req, 404, -32001, "Session not found");
    else
        m->http->respond(req, 204, NULL, "", 0);
}

ratchet_status mcp_http_start(mcp *m)
{
    m->http = mcp_host->lookup(RATCHET_HTTP_INTERFACE, RATCHET_HTTP_MAJOR, 0);
    if (!m->http) {
        mcp_host->set_error(m->ctx,
                            "no http listener: add an instance of the `http` plugin "
                            "(\"%s\" is not published), or use transport: stdio",
                            RATCHET_HTTP_INTERFACE);
        return RATCHET_ERR;
    }
    if (the_instance) {
        mcp_host->set_error(m->ctx, "only one api-mcp instance may use the http transport");
        return RATCHET_ERR;
    }
    const ratchet_http_route routes[] = {
        {RATCHET_ABI_INIT(ratchet_http_route), "POST", m->path, RATCHET_HTTP_READ, post_handler, m},
        {RATCHET_ABI_INIT(ratchet_http_route), "DELETE", m->path, RATCHET_HTTP_READ, delete_handler,
         m},
    };
    if (m->http->mount(m->ctx, routes, sizeof routes / sizeof *routes) != RATCHET_OK)
        return RATCHET_ERR;
    the_instance = m;
    m->mounted = 1;
    mcp_host->log(m->ctx, RATCHET_LOG_INFO, "MCP (Streamable HTTP) at %s", m->path);
    return RATCHET_OK;
}

void mcp_http_stop(mcp *m)
{
    if (m->mounted)
        m->http->unmount(m->ctx);
    m->mounted = 0;
}

void mcp_http_free(mcp *m)
{
    if (the_instance == m)
        the_instance = NULL;
}
