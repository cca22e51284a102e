/*
 * http_request.c - a request from its first byte to its completion: the libmicrohttpd
 * callbacks, the checks made on the headers (limits, rate, route, auth), body accumulation,
 * the handler call, and the request accessors of "ratchet.http".
 *
 * Threading: the MHD callbacks run on the daemon's pool threads, one at a time per
 * connection. Accessors may run on any thread while the request is valid (see http.h); they
 * read fields that are written only before the handler is called.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>

#include "http_int.h"

static void request_free(ratchet_http_request *req);

void mhd_request_unref(ratchet_http_request *req)
{
    if (req && atomic_fetch_sub(&req->refs, 1) == 1)
        request_free(req);
}

void *mhd_on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
    ratchet_http_request *req = mhd_host->calloc(1, sizeof *req);
    if (!req)
        return NULL;
    atomic_init(&req->refs, 1);
    pthread_mutex_init(&req->mu, NULL);
    req->lis = cls;
    req->conn = conn;
    req->start_ns = mhd_now_ns();
    req->uri = mhd_host->strdup(uri ? uri : "/");
    return req;
}

void mhd_on_connection(void *cls, struct MHD_Connection *conn, void **socket_ctx,
                       enum MHD_ConnectionNotificationCode toe)
{
    mhd_listener *lis = cls;
    (void)conn;
    (void)socket_ctx;
    if (toe == MHD_CONNECTION_NOTIFY_STARTED)
        atomic_fetch_add(&lis->srv->connections, 1);
    else
        atomic_fetch_sub(&lis->srv->connections, 1);
}

static int sane_request_id(const char *s)
{
    size_t n = 0;
    for (; s && s[n]; n++) {
        if ((unsigned char)s[n] < 0x21 || (unsigned char)s[n] > 0x7e || n >= MHD_REQUEST_ID_MAX)
            return 0;
    }
    return n > 0;
}

/* 16 random bytes for a generated request id. The kernel's random bytes are taken 1 KiB at
 * a time per pool thread: one getrandom(2) per 64 requests instead of one per request (it
 * showed in the profile of GET /health). Used bytes are wiped. */
static void random_id_bytes(unsigned char out[16], const void *salt)
{
    static _Thread_local unsigned char pool[1024];
    static _Thread_local size_t left;
    if (left < 16) {
        ssize_t got = getrandom(pool, sizeof pool, GRND_NONBLOCK);
        left = got > 0 ? (size_t)got / 16 * 16 : 0;
    }
    if (left < 16) { /* no entropy yet (early boot): unique, if guessable */
        int64_t t = mhd_now_ns() ^ (int64_t)(uintptr_t)salt;
        memset(out, 0, 16);
        memcpy(out, &t, sizeof t);
        return;
    }
    left -= 16;
    memcpy(out, pool + left, 16);
    memset(pool + left, 0, 16);
}

/* `src` into dst[cap], cut to fit (snprintf's "%s" without printf: once per request). */
static void copy_cut(char *dst, size_t cap, const char *src)
{
    size_t n = src ? strnlen(src, cap - 1) : 0;
    memcpy(dst, src ? src : "", n);
    dst[n] = '\0';
}

static void request_identify(ratchet_http_request *req, const char *method)
{
    static const char hex[] = "0123456789abcdef";
    copy_cut(req->method, sizeof req->method, method);
    const char *id = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, "X-Request-ID");
    if (sane_request_id(id)) {
        copy_cut(req->id, sizeof req->id, id);
    } else {
        unsigned char raw[16];
        random_id_bytes(raw, req);
        for (size_t i = 0; i < sizeof raw; i++) {
            req->id[2 * i] = hex[raw[i] >> 4];
            req->id[2 * i + 1] = hex[raw[i] & 15];
        }
        req->id[2 * sizeof raw] = '\0';
    }
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(req->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const struct sockaddr *sa = ci ? ci->client_addr : NULL;
    if (sa && sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, req->client,
                  sizeof req->client);
    else if (sa && sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
                  req->client, sizeof req->client);
    else
        snprintf(req->client, sizeof req->client, "unknown");
}

/* "http://host:port": the Host header when it looks like one, else the listener. */
static void request_base_url(ratchet_http_request *req)
{
    const mhd_listener *lis = req->lis;
    const char *host = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, "Host");
    size_t n = host ? strlen(host) : 0;
    int ok = n > 0 && n < 256 &&
             strspn(host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                          "0123456789.-:[]") == n;
    const char *scheme = lis->tls ? "https://" : "http://";
    if (ok) { /* the common case, without printf */
        size_t ns = strlen(scheme);
        if ((req->base_url = mhd_host->alloc(ns + n + 1)) != NULL) {
            memcpy(req->base_url, scheme, ns);
            memcpy(req->base_url + ns, host, n + 1);
        }
        return;
    }
    ratchet_buf b = RATCHET_BUF_INIT;
    mhd_host->buf_printf(&b, lis->ipv6 ? "%s[%s]:%u" : "%s%s:%u", scheme, lis->address, lis->bound);
    req->base_url = b.data;
}

static enum MHD_Result sum_header(void *cls, enum MHD_ValueKind kind, const char *key,
                                  const char *value)
{
    (void)kind;
    *(size_t *)cls += strlen(key) + (value ? strlen(value) : 0) + 4;
    return MHD_YES;
}

/* Queue an answer made from the headers alone. With a body announced it goes out now, so the
 * body is never read (MHD then closes the connection); without one it waits for MHD's final
 * call, which keeps the connection alive. */
static enum MHD_Result queue_early(ratchet_http_request *req)
{
    const char *cl =
        MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    const char *te =
        MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING);
    if ((cl && strcmp(cl, "0") != 0) || te) {
        enum MHD_Result rc = mhd_queue(req);
        req->phase = MHD_PHASE_EARLY;
        return rc;
    }
    req->phase = MHD_PHASE_EARLY_PENDING;
    return MHD_YES;
}

/* Answer before the body with the error envelope (and an extra header). */
static enum MHD_Result early(ratchet_http_request *req, int status, const char *code,
                             const char *message, const char *hname, const char *hvalue)
{
    struct MHD_Response *r = mhd_error_response(req, status, code, message);
    if (r && hname)
        MHD_add_response_header(r, hname, hvalue);
    req->resp = r;
    req->status = status;
    req->answered = 1;
    return queue_early(req);
}

/* OPTIONS: a CORS preflight or a plain question about methods. */
static enum MHD_Result answer_options(ratchet_http_request *req)
{
    char allow[128];
    if (!mhd_routes_allow(&mhd_table, req->path.segs, req->path.nseg, allow, sizeof allow))
        return early(req, 404, "NOT_FOUND", "no route for this path", NULL, NULL);
    struct MHD_Response *r = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    if (r) {
        MHD_add_response_header(r, "Allow", allow);
        const char *origin = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, "Origin");
        const char *want = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND,
                                                       "Access-Control-Request-Method");
        if (origin && want) { /* mhd_decorate adds Allow-Origin when the origin is allowed */
            MHD_add_response_header(r, "Access-Control-Allow-Methods", allow);
            MHD_add_response_header(r, "Access-Control-Allow-Headers",
                                    "Authorization, Content-Type, X-API-Key, X-Request-ID, "
                                    "Last-Event-ID");
            MHD_add_response_header(r, "Access-Control-Max-Age", "600");
        }
        r = mhd_decorate(req, r, 0);
    }
    req->resp = r;
    req->status = 204;
    req->answered = 1;
    return queue_early(req);
}

/* Parse the target into path and query; 0 or an early answer's result through *rc. */
static int parse_target(ratchet_http_request *req, enum MHD_Result *rc)
{
    char *q = strchr(req->uri, '?');
    if (q)
        *q = '\0';
    int prc = mhd_path_parse(req->uri, &req->path);
    int qrc = prc == 0 ? mhd_query_parse(q ? q + 1 : NULL, &req->query) : 0;
    if (q)
        *q = '?';
    if (prc == 0 && qrc == 0)
        return 0;
    if (prc == -2 || qrc == -2)
        *rc = early(req, 414, "URI_TOO_LONG",
                    prc == -2 ? "the path has too many segments" : "too many query arguments", NULL,
                    NULL);
    else if (prc == -3 || qrc == -3)
        *rc = early(req, 500, "INTERNAL_ERROR", "out of memory", NULL, NULL);
    else
        *rc = early(req, 400, "BAD_REQUEST",
                    prc ? "the path is not a valid percent-encoded absolute path"
                        : "the query string has a malformed percent escape",
                    NULL, NULL);
    return -1;
}

/* Route lookup and auth; 0 to go on, or -1 with an early answer's result in *rc. */
static int route_and_auth(ratchet_http_request *req, enum MHD_Result *rc)
{
    char allow[128], msg[256];
    mhd_lookup lk = mhd_routes_find(&mhd_table, req->method, req->path.segs, req->path.nseg,
                                    &req->route, allow, sizeof allow);
    if (lk == MHD_LOOKUP_NO_PATH) {
        *rc = early(req, 404, "NOT_FOUND", "no route for this path", NULL, NULL);
        return -1;
    }
    if (lk == MHD_LOOKUP_NO_METHOD) {
        snprintf(msg, sizeof msg, "method %s is not allowed here; allowed: %s", req->method, allow);
        *rc = early(req, 405, "METHOD_NOT_ALLOWED", msg, "Allow", allow);
        return -1;
    }
    if (lk == MHD_LOOKUP_FOUND)
        req->routed = 1;
    if (lk == MHD_LOOKUP_NOMEM ||
        mhd_params_bind(req->route.pattern, req->path.segs, req->path.nseg, &req->pnames,
                        &req->pvalues, &req->nparams) != 0) {
        *rc = early(req, 500, "INTERNAL_ERROR", "out of memory", NULL, NULL);
        return -1;
    }
    switch (mhd_auth_check(req->lis->srv, req)) {
    case MHD_AUTH_OK:
        return 0;
    case MHD_AUTH_MISSING:
        *rc = early(req, 401, "UNAUTHORIZED",
                    "an API key is required: send `Authorization: Bearer KEY` or `X-API-Key: KEY`",
                    "WWW-Authenticate", "Bearer");
        return -1;
    case MHD_AUTH_BAD:
        *rc = early(req, 401, "UNAUTHORIZED", "the API key is unknown or revoked",
                    "WWW-Authenticate", "Bearer");
        return -1;
    case MHD_AUTH_SCOPE:
        snprintf(msg, sizeof msg, "this route needs the %s scope; the key has %s",
                 req->route.scope == RATCHET_HTTP_ADMIN   ? "admin"
                 : req->route.scope == RATCHET_HTTP_WRITE ? "write"
                                                          : "read",
                 req->key_scope == RATCHET_HTTP_ADMIN   ? "admin"
                 : req->key_scope == RATCHET_HTTP_WRITE ? "write"
                                                        : "read");
        *rc = early(req, 403, "FORBIDDEN", msg, NULL, NULL);
        return -1;
    default:
        *rc = early(req, 503, "SERVICE_UNAVAILABLE", "cannot check API keys right now", NULL, NULL);
        return -1;
    }
}

/* Limits that need only the headers; 0 to go on, or -1 with *rc. */
static int check_limits(ratchet_http_request *req, enum MHD_Result *rc)
{
    mhd_server *srv = req->lis->srv;
    char msg[160], secs[24];
    if (atomic_load(&srv->stopping)) {
        *rc = early(req, 503, "SERVICE_UNAVAILABLE", "the server is shutting down", "Connection",
                    "close");
        return -1;
    }
    if ((unsigned)atomic_load(&srv->connections) > srv->max_connections) {
        snprintf(msg, sizeof msg, "too many connections (max_connections %u); try again later",
                 srv->max_connections);
        *rc = early(req, 503, "SERVICE_UNAVAILABLE", msg, "Connection", "close");
        return -1;
    }
    size_t hsize = strlen(req->uri);
    MHD_get_connection_values(req->conn, MHD_HEADER_KIND, sum_header, &hsize);
    if ((int64_t)hsize > srv->max_header) {
        snprintf(msg, sizeof msg, "request headers take %zu bytes; the limit is %" PRId64, hsize,
                 srv->max_header);
        *rc = early(req, 431, "HEADERS_TOO_LARGE", msg, "Connection", "close");
        return -1;
    }
    int wait = mhd_limit_take(srv, req->client);
    if (wait > 0) {
        snprintf(secs, sizeof secs, "%d", wait);
        snprintf(msg, sizeof msg, "rate limit of %g requests per second exceeded; retry in %d s",
                 srv->rate, wait);
        *rc = early(req, 429, "RATE_LIMITED", msg, "Retry-After", secs);
        return -1;
    }
    return 0;
}

static enum MHD_Result begin(ratchet_http_request *req, const char *method)
{
    enum MHD_Result rc = MHD_YES;
    request_identify(req, method);
    request_base_url(req);
    if (check_limits(req, &rc) != 0 || parse_target(req, &rc) != 0)
        return rc;
    if (strcmp(req->method, "OPTIONS") == 0)
        return answer_options(req);
    if (route_and_auth(req, &rc) != 0)
        return rc;
    const char *cl =
        MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (cl && strtoull(cl, NULL, 10) > (unsigned long long)req->lis->srv->max_body) {
        char msg[128];
        snprintf(msg, sizeof msg, "the body is %s bytes; the limit is %" PRId64, cl,
                 req->lis->srv->max_body);
        return early(req, 413, "PAYLOAD_TOO_LARGE", msg, "Connection", "close");
    }
    req->phase = MHD_PHASE_BODY;
    return MHD_YES;
}

/* Append a piece of body; past max_body, count and drop (413 at the end). A client that keeps
 * sending more than twice the limit is cut off. */
static enum MHD_Result take_body(ratchet_http_request *req, const char *data, size_t *size)
{
    int64_t max = req->lis->srv->max_body;
    size_t n = *size;
    *size = 0;
    if (!req->body_over && (int64_t)(req->body_len + n) > max) {
        req->body_over = 1;
        req->discarded = req->body_len;
        mhd_host->free(req->body);
        req->body = NULL;
        req->body_len = req->body_cap = 0;
    }
    if (req->body_over) {
        req->discarded += n;
        return req->discarded > (uint64_t)max * 2 + 65536 ? MHD_NO : MHD_YES;
    }
    if (req->body_len + n + 1 > req->body_cap) {
        size_t cap = req->body_cap ? req->body_cap : 4096;
        while (cap < req->body_len + n + 1)
            cap *= 2;
        char *b = mhd_host->realloc(req->body, cap);
        if (!b)
            return MHD_NO;
        req->body = b;
        req->body_cap = cap;
    }
    memcpy(req->body + req->body_len, data, n);
    req->body_len += n;
    req->body[req->body_len] = '\0';
    return MHD_YES;
}

static enum MHD_Result dispatch(ratchet_http_request *req)
{
    if (req->body_over) {
        char msg[128];
        snprintf(msg, sizeof msg, "the body is larger than the limit of %" PRId64 " bytes",
                 req->lis->srv->max_body);
        return early(req, 413, "PAYLOAD_TOO_LARGE", msg, "Connection", "close");
    }
    req->route.handler(req->route.user, req);
    mhd_routes_done(&mhd_table, req->route.owner);
    req->routed = 0;
    return mhd_after_handler(req);
}

enum MHD_Result mhd_on_request(void *cls, struct MHD_Connection *conn, const char *url,
                               const char *method, const char *version, const char *upload,
                               size_t *upload_size, void **con_cls)
{
    (void)version;
    ratchet_http_request *req = *con_cls;
    if (!req) { /* no URI callback happened (should not): start here */
        req = mhd_on_uri(cls, url, conn);
        if (!req)
            return MHD_NO;
        *con_cls = req;
    }
    if (!req->uri)
        return MHD_NO; /* out of memory in mhd_on_uri */
    switch (req->phase) {
    case MHD_PHASE_HEADERS:
        return begin(req, method);
    case MHD_PHASE_BODY:
        if (*upload_size)
            return take_body(req, upload, upload_size);
        return dispatch(req);
    case MHD_PHASE_WAIT:
    case MHD_PHASE_EARLY_PENDING:
        return mhd_queue(req);
    case MHD_PHASE_EARLY:
    case MHD_PHASE_SENT:
    default:
        *upload_size = 0;
        return MHD_YES;
    }
}

void mhd_on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                      enum MHD_RequestTerminationCode toe)
{
    mhd_listener *lis = cls;
    ratchet_http_request *req = *con_cls;
    (void)conn;
    if (!req)
        return;
    *con_cls = NULL;
    int64_t dur = mhd_now_ns() - req->start_ns;
    if (req->routed) { /* a handler never ran (connection broke mid-body) */
        mhd_routes_done(&mhd_table, req->route.owner);
        req->routed = 0;
    }
    pthread_mutex_lock(&req->mu);
    req->conn = NULL;
    req->phase = MHD_PHASE_SENT;
    int unanswered = req->deferred && !req->answered;
    pthread_mutex_unlock(&req->mu);
    if (unanswered) /* the client left while the answer was pending */
        mhd_expire(req, toe == MHD_REQUEST_TERMINATED_DAEMON_SHUTDOWN ? RATCHET_HTTP_END_SHUTDOWN
                                                                      : RATCHET_HTTP_END_CLOSED);
    if (req->stream) {
        pthread_mutex_lock(&req->stream->mu);
        req->bytes = req->stream->sent;
        pthread_mutex_unlock(&req->stream->mu);
    }
    if (req->deferred)
        mhd_pending_done(lis->srv);
    if (req->path.decoded || req->method[0]) {
        mhd_metrics_record(req->route.pattern, req->method, req->status, dur);
        if (lis->srv->access_log)
            mhd_access_log(lis->srv, req, dur);
    }
    mhd_request_unref(req);
}

static void request_free(ratchet_http_request *req)
{
    if (req->resp)
        MHD_destroy_response(req->resp);
    if (req->stream)
        mhd_stream_unref(req->stream);
    if (req->upgrade)
        mhd_upgrade_request_done(req->upgrade);
    mhd_params_free(req->pnames, req->pvalues, req->nparams);
    mhd_found_free(&req->route);
    mhd_path_free(&req->path);
    mhd_query_free(&req->query);
    for (size_t i = 0; i < req->nhdrs; i++) {
        mhd_host->free(req->hdrs[i].name);
        mhd_host->free(req->hdrs[i].value);
    }
    mhd_host->free(req->hdrs);
    mhd_host->free(req->key_name);
    mhd_host->free(req->base_url);
    mhd_host->free(req->body);
    mhd_host->free(req->uri);
    pthread_mutex_destroy(&req->mu);
    mhd_host->free(req);
}

/* ---- accessors -------------------------------------------------------------------------- */

static const char *req_method(const ratchet_http_request *req)
{
    return req->method;
}
static const char *req_path(const ratchet_http_request *req)
{
    return req->path.decoded;
}

static const char *req_param(const ratchet_http_request *req, const char *name)
{
    for (size_t i = 0; name && i < req->nparams; i++) {
        if (strcmp(req->pnames[i], name) == 0)
            return req->pvalues[i];
    }
    return NULL;
}

static const char *req_query(const ratchet_http_request *req, const char *name)
{
    for (size_t i = 0; name && i < req->query.n; i++) {
        if (strcmp(req->query.keys[i], name) == 0)
            return req->query.values[i];
    }
    return NULL;
}

static size_t req_query_count(const ratchet_http_request *req)
{
    return req->query.n;
}

static const char *req_query_key_at(const ratchet_http_request *req, size_t i)
{
    return i < req->query.n ? req->query.keys[i] : NULL;
}

static const char *req_query_value_at(const ratchet_http_request *req, size_t i)
{
    return i < req->query.n ? req->query.values[i] : NULL;
}

static const char *req_header(const ratchet_http_request *req, const char *name)
{
    struct MHD_Connection *c = req->conn;
    return c && name ? MHD_lookup_connection_value(c, MHD_HEADER_KIND, name) : NULL;
}

static const char *req_body(const ratchet_http_request *req, size_t *len)
{
    if (len)
        *len = req->body_len;
    return req->body ? req->body : "";
}

static const char *req_client(const ratchet_http_request *req)
{
    return req->client;
}
static const char *req_id(const ratchet_http_request *req)
{
    return req->id;
}
static const char *req_key_name(const ratchet_http_request *req)
{
    return req->key_name;
}
static ratchet_http_scope req_key_scope(const ratchet_http_request *req)
{
    return req->key_scope;
}
static const char *req_base_url(const ratchet_http_request *req)
{
    return req->base_url;
}

void mhd_request_api(ratchet_http_api *api)
{
    api->method = req_method;
    api->path = req_path;
    api->param = req_param;
    api->query = req_query;
    api->query_count = req_query_count;
    api->query_key_at = req_query_key_at;
    api->query_value_at = req_query_value_at;
    api->header = req_header;
    api->body = req_body;
    api->client_address = req_client;
    api->request_id = req_id;
    api->key_name = req_key_name;
    api->key_scope = req_key_scope;
    api->base_url = req_base_url;
    api->log = mhd_request_log;
}
