/*
 * ratchet/http.h - the "ratchet.http" interface: front ends mount routes on the `http` plugin.
 *
 * The `http` plugin (libmicrohttpd) owns the listeners, TLS, limits, authentication, CORS,
 * security headers, rate limiting, request ids and the access log. Every other front end
 * (api-rest, api-mcp, api-graphql, web-ui) finds this interface with
 *
 *     const ratchet_http_api *http = host->lookup(RATCHET_HTTP_INTERFACE,
 *                                                 RATCHET_HTTP_MAJOR, 0);
 *
 * in its start() and mounts a table of routes. One port then serves them all.
 *
 * Versioning: the struct starts with a ratchet_abi header whose abi_major/abi_minor are
 * RATCHET_HTTP_MAJOR/MINOR (the interface's own version, not the plugin ABI's) and grows by
 * appending; read trailing members only when RATCHET_HAS_FIELD says they are there.
 *
 * Request life cycle. The plugin calls a route's handler on one of its pool threads with a
 * request whose body has been read completely (bounded by the listener's body limit). The
 * handler must end in one of three ways before it returns:
 *
 *   1. respond(): the answer is sent; the request is invalid once the handler returns.
 *   2. defer(): the answer comes later, from any thread, through respond(). The request stays
 *      valid until one respond() has been accepted; after that the consumer must not touch it
 *      again (the connection may complete and free it at once). on_expire is called at most
 *      once, on a plugin thread, when the deadline passes, the client goes away or the
 *      server shuts down; it must respond (a response to a gone client is discarded), unless
 *      the consumer's own path has already claimed the answer under the consumer's lock:
 *      then on_expire may return at once and that path's respond() follows. The
 *      plugin decides to call on_expire under its own lock and calls it after releasing that
 *      lock, so an on_expire may already be on its way when the consumer's own respond() is
 *      accepted: the consumer decides under ITS lock which of its paths answers, and an
 *      on_expire that finds the request already answered returns without touching it. Keep
 *      `user` state alive until the consumer's instance is destroyed, or look it up by the
 *      request under that lock (api-rest's rest_execute.c does so).
 *   3. stream_open(): a response of unknown length (Server-Sent Events, NDJSON). The stream
 *      handle stays valid until the consumer calls stream_close() - exactly once - and the
 *      plugin never frees it before. on_close is called at most once, on a plugin thread,
 *      when the client goes away or the server shuts down; like on_expire it may be on its
 *      way when stream_close() is called, so the same rule holds: the consumer's lock decides,
 *      and a late on_close finds the stream gone from the consumer's state. Writes made inside
 *      on_close(SHUTDOWN) are still sent (a last event); after on_close returns writes fail,
 *      and the consumer should stream_close() soon.
 *
 * A handler that returns without doing any of these gets a 500 with the error envelope, and
 * the plugin logs the route as faulty.
 *
 * Threading: every function may be called from any thread. Calls on one request from two
 * threads at once are not allowed: after defer() the consumer's own lock picks the one
 * respond() (see above); calls on one stream are serialised by the plugin. respond() and
 * stream_close() never wait for a running on_expire/on_close (a consumer holding a lock that
 * its callback takes would deadlock).
 *
 * Memory: strings returned by request accessors belong to the request and stay valid as long
 * as it does. Everything passed in is borrowed for the call (copied where kept).
 */
#ifndef RATCHET_HTTP_H
#define RATCHET_HTTP_H

#include "host.h"

#define RATCHET_HTTP_INTERFACE "ratchet.http"
#define RATCHET_HTTP_MAJOR     1
#define RATCHET_HTTP_MINOR     1

typedef struct ratchet_http_request ratchet_http_request;
typedef struct ratchet_http_stream ratchet_http_stream;
typedef struct ratchet_http_upgraded ratchet_http_upgraded;

/* What a route needs from the caller's API key. With `auth: none` on the listener every
 * request has ADMIN. PUBLIC routes (health probes, the OpenAPI document) need no key. */
typedef enum ratchet_http_scope {
    RATCHET_HTTP_PUBLIC = 0,
    RATCHET_HTTP_READ = 1,
    RATCHET_HTTP_WRITE = 2,
    RATCHET_HTTP_ADMIN = 3
} ratchet_http_scope;

/* Why a deferred request or a stream ends without the consumer asking. */
typedef enum ratchet_http_end {
    RATCHET_HTTP_END_TIMEOUT = 1,  /* defer(): the deadline passed */
    RATCHET_HTTP_END_CLOSED = 2,   /* the client closed the connection */
    RATCHET_HTTP_END_SHUTDOWN = 3  /* the server is stopping: answer now, briefly */
} ratchet_http_end;

/* Handles one request (see the life cycle above). `user` is the route's. */
typedef void (*ratchet_http_handler)(void *user, ratchet_http_request *req);
typedef void (*ratchet_http_on_expire)(void *user, ratchet_http_request *req,
                                       ratchet_http_end why);
typedef void (*ratchet_http_on_close)(void *user, ratchet_http_stream *stream,
                                      ratchet_http_end why);

/*
 * One route. `pattern` is an absolute path whose segments are literals or `{name}` (one
 * segment, any characters but '/', read with param()); a last segment `*` matches the rest of
 * the path (also nothing), read with param(req, "*"). A literal segment wins over `{name}` at
 * the same place ("/jobs/stats" before "/jobs/{id}"). When a path matches routes but none of
 * their methods, the plugin answers 405 with `Allow`; HEAD is answered by GET routes and
 * OPTIONS (CORS preflight) by the plugin. No route: 404 with the error envelope.
 */
typedef struct ratchet_http_route {
    ratchet_abi abi;
    const char *method;  /* "GET", "POST", "PUT", "PATCH", "DELETE" */
    const char *pattern; /* "/api/v1/jobs/{id}/cancel" */
    ratchet_http_scope scope;
    ratchet_http_handler handler;
    void *user;
} ratchet_http_route;

typedef struct ratchet_http_api {
    ratchet_abi abi; /* RATCHET_HTTP_MAJOR / RATCHET_HTTP_MINOR, sizeof(ratchet_http_api) */

    /* ---- routes ------------------------------------------------------------------------ */

    /* Mount `n` routes owned by `owner` (the consumer's ctx). Routes are copied. RATCHET_ERR
     * (with the reason through set_error on `owner`) when a method+pattern is already
     * mounted by anyone or a pattern is malformed; then nothing is mounted. Allowed before
     * and after the http instance starts; routes serve from the next request on. */
    ratchet_status (*mount)(ratchet_ctx *owner, const ratchet_http_route *routes, size_t n);
    /* Remove every route of `owner`. Requests already in a handler of theirs finish first
     * (this call waits for them, bounded by the server's shutdown timeout); deferred
     * requests and streams of `owner` stay the owner's to finish. Safe after the http
     * instance stopped, and for an owner that mounted nothing. */
    void (*unmount)(ratchet_ctx *owner);

    /* ---- the request ------------------------------------------------------------------- */

    const char *(*method)(const ratchet_http_request *req);
    /* The path as sent, without the query string, percent-decoded. */
    const char *(*path)(const ratchet_http_request *req);
    /* A `{name}` of the matched pattern (or "*"), percent-decoded; NULL when absent. */
    const char *(*param)(const ratchet_http_request *req, const char *name);
    /* The first value of query argument `name`, decoded ("" for `?flag`); NULL if absent. */
    const char *(*query)(const ratchet_http_request *req, const char *name);
    /* Every query argument in order: count, then key/value by index (NULL out of range). */
    size_t (*query_count)(const ratchet_http_request *req);
    const char *(*query_key_at)(const ratchet_http_request *req, size_t i);
    const char *(*query_value_at)(const ratchet_http_request *req, size_t i);
    /* A request header, case-insensitive; NULL when absent. */
    const char *(*header)(const ratchet_http_request *req, const char *name);
    /* The body (NUL-terminated for convenience; may hold NULs) and its length. */
    const char *(*body)(const ratchet_http_request *req, size_t *len);
    /* The client's address as text ("127.0.0.1", "::1"). */
    const char *(*client_address)(const ratchet_http_request *req);
    /* The request id: the client's X-Request-ID when it sent a sane one, else generated.
     * It is echoed in the response and attached to the access log line. */
    const char *(*request_id)(const ratchet_http_request *req);
    /* The API key that authenticated the request: its name (NULL with `auth: none`) and
     * scope (ADMIN with `auth: none`). */
    const char *(*key_name)(const ratchet_http_request *req);
    ratchet_http_scope (*key_scope)(const ratchet_http_request *req);
    /* The scheme and authority the client used ("http://127.0.0.1:8080"), for links. */
    const char *(*base_url)(const ratchet_http_request *req);

    /* Log through the host's loggers with the request id (and the route) attached. */
    void (*log)(const ratchet_http_request *req, ratchet_log_level level, const char *fmt, ...)
        RATCHET_PRINTF(3, 4);

    /* ---- answering --------------------------------------------------------------------- */

    /* Add a response header (before respond()/stream_open()). Security, CORS and
     * X-Request-ID headers are added by the plugin. */
    ratchet_status (*add_header)(ratchet_http_request *req, const char *name, const char *value);
    /* Send the answer: status, Content-Type (NULL: none, for 204) and `len` bytes of body
     * (copied). See the life cycle for the return value after defer(). */
    ratchet_status (*respond)(ratchet_http_request *req, int status, const char *content_type,
                              const char *body, size_t len);
    /* Send {"error": {"code", "message", "status"}} with `status`; `code` as the original's
     * (NOT_FOUND, VALIDATION_ERROR, ...). */
    ratchet_status (*respond_error)(ratchet_http_request *req, int status, const char *code,
                                    const char *fmt, ...) RATCHET_PRINTF(4, 5);
    /* Answer later (see the life cycle). `timeout_ms` > 0 bounds the wait. */
    ratchet_status (*defer)(ratchet_http_request *req, int64_t timeout_ms,
                            ratchet_http_on_expire on_expire, void *user);

    /* ---- streams ----------------------------------------------------------------------- */

    /* Start a response of unknown length with `status` and `content_type`. For
     * text/event-stream the plugin adds Cache-Control: no-cache and writes a comment line
     * (":") after 15 s without a write, so proxies keep the stream open. NULL on failure. */
    ratchet_http_stream *(*stream_open)(ratchet_http_request *req, int status,
                                        const char *content_type, ratchet_http_on_close on_close,
                                        void *user);
    /* Queue `len` bytes (copied). RATCHET_ERR once the client is gone or on_close was called;
     * RATCHET_RETRY when more than 1 MiB waits unsent (a slow reader: drop or close). */
    ratchet_status (*stream_write)(ratchet_http_stream *stream, const char *data, size_t len);
    /* End the response after what was queued is sent, and release the handle. */
    void (*stream_close)(ratchet_http_stream *stream);

    /* ---- introspection ------------------------------------------------------------------ */

    /* Append the HTTP metrics in Prometheus text format: requests by route pattern, method
     * and status, and a latency histogram (ratchet_http_*). */
    ratchet_status (*metrics)(ratchet_buf *out);
    /* Append the mounted routes as JSON: [{method, pattern, scope, owner}], sorted. */
    ratchet_status (*routes)(ratchet_buf *out);

    /* ---- connection upgrades (WebSocket): since interface minor 1 ----------------------------
     * Check RATCHET_HAS_FIELD(http, ratchet_http_api, upgrade) before calling these.
     *
     * Life cycle. A handler answers with upgrade(), a fourth way to end it (see the request
     * life cycle): the plugin sends 101 Switching Protocols with `Upgrade: <protocol>` and the
     * headers given with add_header() (Sec-WebSocket-Accept, ...), and the connection leaves
     * HTTP. on_upgraded is then called once, on a plugin thread: with the connection handle,
     * which the consumer owns from then on and must release with upgraded_close() exactly
     * once; or with NULL when the client left before the 101 was sent (release `user` then).
     * on_upgraded must return promptly: the consumer reads and writes from its own thread.
     * The plugin does not time upgraded connections out (the protocol on top has its own
     * keep-alive); at shutdown it makes every pending upgraded_read() return RATCHET_ERR with
     * upgraded_stopping() true, waits shutdown_timeout for the consumers to close, and then
     * stops. Bytes are raw: framing is the consumer's. */

    /* Answer the request, from its handler on the handler's thread only (not after defer()),
     * by switching to `protocol` ("websocket": a token, no spaces). RATCHET_ERR when the
     * request is already answered or deferred or `protocol` is not a token (then respond
     * normally); RATCHET_NOMEM. `user` is borrowed until on_upgraded is called. */
    ratchet_status (*upgrade)(ratchet_http_request *req, const char *protocol,
                              void (*on_upgraded)(void *user, ratchet_http_upgraded *conn),
                              void *user);
    /* Wait up to `timeout_ms` (-1: no limit) for bytes and read at most `cap` into `buf`:
     * RATCHET_OK with *got > 0; RATCHET_RETRY when the time passed with nothing to read;
     * RATCHET_ERR when the peer closed the connection, it failed, or the server is stopping.
     * Bytes the client sent right after its upgrade request come first. One reader at a
     * time. */
    ratchet_status (*upgraded_read)(ratchet_http_upgraded *conn, void *buf, size_t cap, size_t *got,
                                    int64_t timeout_ms);
    /* Send `len` bytes (all of them, copied). Calls from several threads are serialised, each
     * sent whole. Blocks while the client's window is full, at most the listener's `timeout`
     * in all; RATCHET_ERR when the connection failed or that time passed (then close it). */
    ratchet_status (*upgraded_write)(ratchet_http_upgraded *conn, const void *data, size_t len);
    /* 1 when the server is stopping: say goodbye (a WebSocket close frame, 1001) and close. */
    int (*upgraded_stopping)(const ratchet_http_upgraded *conn);
    /* The client's address, as client_address() gave it for the upgrade request. Valid until
     * upgraded_close(). */
    const char *(*upgraded_client)(const ratchet_http_upgraded *conn);
    /* Close the connection and release the handle. Exactly once; not while another thread
     * is inside upgraded_read/upgraded_write on it. */
    void (*upgraded_close)(ratchet_http_upgraded *conn);
} ratchet_http_api;

#endif /* RATCHET_HTTP_H */
