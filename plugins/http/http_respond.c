/*
 * http_respond.c - answering: the headers every response carries, respond(),
 * respond_error(), defer() with its suspend/resume hand-over, and queueing on the connection.
 *
 * A response is built (MHD_Response) on whatever thread answers, stored in the request, and
 * queued by the connection's own thread: right after the handler when it answered in time,
 * or after MHD_resume_connection() when it was deferred. req->mu orders the two sides: the
 * connection suspends only when no answer is stored, and an answer resumes only a suspended
 * connection.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "http_int.h"

/* CORS: the origin to echo when the request's Origin is allowed, else NULL. */
static const char *cors_origin(const ratchet_http_request *req)
{
    const mhd_server *srv = req->lis->srv;
    const char *origin =
        req->conn ? MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, "Origin") : NULL;
    if (!origin)
        return NULL;
    for (size_t i = 0; i < srv->ncors; i++) {
        if (strcmp(srv->cors[i], "*") == 0 || strcasecmp(srv->cors[i], origin) == 0)
            return origin;
    }
    return NULL;
}

struct MHD_Response *mhd_decorate(ratchet_http_request *req, struct MHD_Response *resp, int stream)
{
    if (!resp)
        return NULL;
    int cache_set = 0;
    for (size_t i = 0; i < req->nhdrs; i++) {
        MHD_add_response_header(resp, req->hdrs[i].name, req->hdrs[i].value);
        cache_set |= strcasecmp(req->hdrs[i].name, "Cache-Control") == 0;
    }
    MHD_add_response_header(resp, "X-Request-ID", req->id);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    if (!cache_set)
        MHD_add_response_header(resp, "Cache-Control", stream ? "no-cache" : "no-store");
    if (req->lis->tls)
        MHD_add_response_header(resp, "Strict-Transport-Security", "max-age=31536000");
    const char *origin = cors_origin(req);
    if (origin) {
        MHD_add_response_header(resp, "Access-Control-Allow-Origin", origin);
        MHD_add_response_header(resp, "Vary", "Origin");
        MHD_add_response_header(resp, "Access-Control-Expose-Headers",
                                "X-Request-ID, Retry-After, Location");
    }
    return resp;
}

/* {"error":{"code","message","status"}} */
static struct MHD_Response *envelope(ratchet_http_request *req, int status, const char *code,
                                     const char *message, size_t *len)
{
    ratchet_buf b = RATCHET_BUF_INIT;
    int bad = mhd_host->buf_append(&b, "{\"error\":{\"code\":", 17) != RATCHET_OK;
    bad |= mhd_host->buf_json_string(&b, code) != RATCHET_OK;
    bad |= mhd_host->buf_append(&b, ",\"message\":", 11) != RATCHET_OK;
    bad |= mhd_host->buf_json_string(&b, message) != RATCHET_OK;
    bad |= mhd_host->buf_printf(&b, ",\"status\":%d}}\n", status) != RATCHET_OK;
    struct MHD_Response *r =
        bad ? NULL : MHD_create_response_from_buffer(b.len, b.data, MHD_RESPMEM_MUST_COPY);
    *len = bad ? 0 : b.len;
    mhd_host->buf_free(&b);
    if (r)
        MHD_add_response_header(r, "Content-Type", "application/json");
    return mhd_decorate(req, r, 0);
}

struct MHD_Response *mhd_error_response(ratchet_http_request *req, int status, const char *code,
                                        const char *message)
{
    size_t len;
    struct MHD_Response *r = envelope(req, status, code, message, &len);
    req->bytes = len;
    return r;
}

static enum MHD_Result queue_locked(ratchet_http_request *req)
{
    struct MHD_Response *r = req->resp;
    req->resp = NULL;
    if (!r) { /* aborted at shutdown, or out of memory building the answer */
        req->status = 503;
        r = mhd_error_response(req, 503, "SERVICE_UNAVAILABLE",
                               req->aborted ? "the server stopped before the answer was ready"
                                            : "could not build the response");
        if (!r)
            return MHD_NO;
    }
    req->phase = MHD_PHASE_SENT;
    enum MHD_Result rc = MHD_queue_response(req->conn, (unsigned)req->status, r);
    MHD_destroy_response(r);
    return rc;
}

enum MHD_Result mhd_queue(ratchet_http_request *req)
{
    pthread_mutex_lock(&req->mu);
    enum MHD_Result rc = queue_locked(req);
    pthread_mutex_unlock(&req->mu);
    return rc;
}

void mhd_wake_locked(ratchet_http_request *req)
{
    if (req->suspended && req->conn) {
        req->suspended = 0;
        MHD_resume_connection(req->conn);
    }
}

enum MHD_Result mhd_after_handler(ratchet_http_request *req)
{
    pthread_mutex_lock(&req->mu);
    if (!req->answered && !req->deferred) {
        pthread_mutex_unlock(&req->mu);
        mhd_request_log(req, RATCHET_LOG_ERROR,
                        "route %s %s is faulty: its handler returned without answering",
                        req->method, req->route.pattern);
        req->answered = 1;
        req->status = 500;
        req->resp = mhd_error_response(req, 500, "INTERNAL_ERROR",
                                       "the handler of this route did not answer");
        return mhd_queue(req);
    }
    enum MHD_Result rc = MHD_YES;
    if (req->resp || req->aborted) {
        rc = queue_locked(req);
    } else {
        req->phase = MHD_PHASE_WAIT;
        req->suspended = 1;
        MHD_suspend_connection(req->conn);
    }
    pthread_mutex_unlock(&req->mu);
    return rc;
}

ratchet_status mhd_accept(ratchet_http_request *req, struct MHD_Response *r, int status,
                          uint64_t bytes, ratchet_http_stream *stream)
{
    atomic_fetch_add(&req->refs, 1);
    pthread_mutex_lock(&req->mu);
    if (req->answered) {
        pthread_mutex_unlock(&req->mu);
        if (r)
            MHD_destroy_response(r);
        mhd_request_unref(req);
        return RATCHET_ERR;
    }
    req->answered = 1;
    req->resp = r;
    req->status = status;
    req->bytes = bytes;
    req->stream = stream;
    int was_deferred = req->deferred;
    mhd_wake_locked(req);
    pthread_mutex_unlock(&req->mu);
    if (was_deferred) {
        mhd_deferred_remove(req);
        mhd_request_unref(req); /* the reference defer() took */
    }
    mhd_request_unref(req);
    return r ? RATCHET_OK : RATCHET_NOMEM;
}

static ratchet_status respond(ratchet_http_request *req, int status, const char *content_type,
                              const char *body, size_t len)
{
    if (!req || status < 100 || status > 599)
        return RATCHET_ERR;
    struct MHD_Response *r =
        MHD_create_response_from_buffer(len, (void *)(body ? body : ""), MHD_RESPMEM_MUST_COPY);
    if (r && content_type)
        MHD_add_response_header(r, "Content-Type", content_type);
    return mhd_accept(req, mhd_decorate(req, r, 0), status, len, NULL);
}

static ratchet_status respond_error(ratchet_http_request *req, int status, const char *code,
                                    const char *fmt, ...)
{
    if (!req)
        return RATCHET_ERR;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    size_t len;
    struct MHD_Response *r = envelope(req, status, code ? code : "INTERNAL_ERROR", msg, &len);
    return mhd_accept(req, r, status, len, NULL);
}

static ratchet_status add_header(ratchet_http_request *req, const char *name, const char *value)
{
    if (!req || !name || !value || strpbrk(name, "\r\n: ") || strpbrk(value, "\r\n"))
        return RATCHET_ERR;
    mhd_header *v = mhd_host->realloc(req->hdrs, (req->nhdrs + 1) * sizeof *v);
    if (!v)
        return RATCHET_NOMEM;
    req->hdrs = v;
    v[req->nhdrs].name = mhd_host->strdup(name);
    v[req->nhdrs].value = mhd_host->strdup(value);
    if (!v[req->nhdrs].name || !v[req->nhdrs].value) {
        mhd_host->free(v[req->nhdrs].name);
        mhd_host->free(v[req->nhdrs].value);
        return RATCHET_NOMEM;
    }
    req->nhdrs++;
    return RATCHET_OK;
}

static ratchet_status defer(ratchet_http_request *req, int64_t timeout_ms,
                            ratchet_http_on_expire on_expire, void *user)
{
    if (!req || !on_expire)
        return RATCHET_ERR;
    pthread_mutex_lock(&req->mu);
    if (req->answered || req->deferred) {
        pthread_mutex_unlock(&req->mu);
        return RATCHET_ERR;
    }
    req->deferred = 1;
    req->on_expire = on_expire;
    req->expire_user = user;
    req->deadline_ns = timeout_ms > 0 ? mhd_now_ns() + timeout_ms * 1000000 : INT64_MAX;
    atomic_fetch_add(&req->refs, 1); /* held until an answer is accepted */
    pthread_mutex_unlock(&req->mu);
    mhd_deferred_add(req);
    return RATCHET_OK;
}

void mhd_respond_api(ratchet_http_api *api)
{
    api->add_header = add_header;
    api->respond = respond;
    api->respond_error = respond_error;
    api->defer = defer;
}
