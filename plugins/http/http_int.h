/*
 * http_int.h - what the files of the http plugin share (not an interface of the plugin).
 *
 * One http instance per process publishes "ratchet.http"; the route table, the metrics and
 * the pointer to that instance (mhd_srv) are therefore process-wide.
 *
 * Locks, outermost first: mhd_server.mu (lists of deferred requests and streams), then a
 * request's or a stream's own mu. Consumer callbacks (handlers, on_expire, on_close) are never
 * called with any of them held.
 */
#ifndef MHD_INT_H
#define MHD_INT_H

#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/types.h>

#include <microhttpd.h>
#include <ratchet/plugin.h>

#include "http_url.h"

extern const ratchet_host_api *mhd_host;

#define MHD_SHUTDOWN_WAIT_FALLBACK_MS 5000
#define MHD_STREAM_MAX_QUEUED         (1024 * 1024)
#define MHD_REQUEST_ID_MAX            128

typedef struct mhd_server mhd_server;

/* One listening socket (one MHD daemon). */
typedef struct mhd_listener {
    mhd_server *srv;
    char *address;  /* numeric, as given ("127.0.0.1", "::1") */
    uint16_t port;  /* as configured; 0 = ephemeral */
    uint16_t bound; /* the real port once listening */
    int ipv6;
    int tls;
    char *cert_pem, *key_pem; /* TLS, host allocator */
    char *where;              /* config position for messages */
    struct MHD_Daemon *daemon;
} mhd_listener;

typedef struct mhd_limiter mhd_limiter;
typedef struct mhd_key_cache mhd_key_cache;

struct mhd_server {
    ratchet_ctx *ctx;
    int auth_keys; /* auth: api_key */
    unsigned threads;
    int64_t max_body, max_header, timeout_ms, shutdown_ms, keepalive_ms;
    unsigned max_connections;
    double rate, burst;
    int access_log;
    char **cors; /* allowed origins ("*" allows any); NULL-terminated, host allocator */
    size_t ncors;

    mhd_listener *lis;
    size_t nlis;
    const ratchet_engine_api *engine;
    mhd_limiter *limiter;
    mhd_key_cache *keys;

    atomic_int stopping;
    atomic_int connections;

    pthread_mutex_t mu;                    /* the lists below and the timer */
    pthread_cond_t cv;                     /* timer wake-up and "pending reached 0" */
    struct ratchet_http_request *deferred; /* deferred, not yet answered */
    struct ratchet_http_stream *streams;   /* open streams (until their response is freed) */
    size_t pending;                        /* requests deferred or streaming, not completed */
    /* switched connections (http_upgrade.c) not yet closed */
    struct ratchet_http_upgraded *upgraded;
    pthread_t timer;
    int timer_running, timer_quit;
    int64_t timer_next_ns; /* when the sleeping timer wakes; 0 while it scans (under mu) */
};

/* The instance that published "ratchet.http" (NULL outside create..destroy). */
extern mhd_server *mhd_srv;
/* The process-wide route table (initialised in the entry function). */
extern mhd_routes mhd_table;

/* Where a request is in its life on the connection. */
typedef enum mhd_phase {
    MHD_PHASE_HEADERS = 0,   /* the first call: headers only */
    MHD_PHASE_BODY,          /* body arriving */
    MHD_PHASE_EARLY,         /* answered before the body (4xx): discard what arrives */
    MHD_PHASE_EARLY_PENDING, /* answered from the headers; queued at MHD's final call */
    MHD_PHASE_WAIT,          /* handler done, deferred: suspended until respond() */
    MHD_PHASE_SENT           /* a response is queued */
} mhd_phase;

typedef struct mhd_header {
    char *name, *value;
} mhd_header;

struct ratchet_http_request {
    atomic_int refs; /* the connection's, one while deferred, one per call in progress */
    pthread_mutex_t mu;
    mhd_listener *lis;
    struct MHD_Connection *conn;
    mhd_phase phase;
    int64_t start_ns;

    char *uri; /* raw target as received */
    char method[16];
    char id[MHD_REQUEST_ID_MAX + 1];
    char client[64];
    char *base_url;
    mhd_path path;
    mhd_query query;
    char *body;
    size_t body_len, body_cap;
    int body_over;
    uint64_t discarded;

    mhd_found route;
    int routed; /* route.owner's running count is raised until the handler returns */
    char **pnames, **pvalues;
    size_t nparams;
    char *key_name;
    ratchet_http_scope key_scope;

    mhd_header *hdrs; /* set by add_header */
    size_t nhdrs;

    /* The answer: built by respond()/stream_open(), queued by the connection's thread. */
    struct MHD_Response *resp;
    int status;
    uint64_t bytes;
    int answered; /* respond() accepted or stream opened */
    int deferred, suspended, expire_called, aborted, in_list;
    int64_t deadline_ns;
    ratchet_http_on_expire on_expire;
    void *expire_user;
    struct ratchet_http_stream *stream;
    /* upgrade() answered: the handle (the request holds one reference) */
    struct ratchet_http_upgraded *upgrade;
    struct ratchet_http_request *next, *prev; /* mhd_server.deferred */
};

struct ratchet_http_stream {
    atomic_int refs; /* the consumer's, the response's, the request's */
    pthread_mutex_t mu;
    struct MHD_Connection *conn; /* NULL once the response is freed */
    char *q;
    size_t qlen, qoff;
    uint64_t sent;
    int sse, consumer_closed, gone, suspended, aborted, close_called, in_list;
    int64_t last_write_ns;
    ratchet_http_on_close on_close;
    void *user;
    struct ratchet_http_stream *next, *prev; /* mhd_server.streams */
};

/* ---- http_upgrade.c --------------------------------------------------------------------- */

/* Fill upgrade and the upgraded_* calls into the api table. */
void mhd_upgrade_api(ratchet_http_api *api);
/* The request that answered with upgrade() is freed: tell the consumer if the switch never
 * happened (on_upgraded(NULL)) and drop the request's reference. */
void mhd_upgrade_request_done(struct ratchet_http_upgraded *u);
/* Shutdown: wake every upgraded connection's reader (reads fail, upgraded_stopping is 1). */
void mhd_upgraded_shutdown(mhd_server *srv);

/* ---- http_listen.c ---------------------------------------------------------------------- */

/* Parse the `listen` option into srv->lis (messages point at the node). */
ratchet_status mhd_listen_parse(mhd_server *srv, const ratchet_node *node);
/* Refuse `auth: none` on a listener that is not loopback. */
ratchet_status mhd_listen_check_auth(mhd_server *srv);
/* Start a daemon per listener and log "listening on ..."; on failure stops what started. */
ratchet_status mhd_listen_start(mhd_server *srv);
/* Stop accepting (quiesce) on every daemon. */
void mhd_listen_quiesce(mhd_server *srv);
/* MHD_stop_daemon on every daemon (callers first make sure none is suspended). */
void mhd_listen_stop(mhd_server *srv);
void mhd_listen_free(mhd_server *srv);

/* ---- http_request.c ----------------------------------------------------------------------- */

/* libmicrohttpd callbacks (cls: the mhd_listener). */
void *mhd_on_uri(void *cls, const char *uri, struct MHD_Connection *conn);
enum MHD_Result mhd_on_request(void *cls, struct MHD_Connection *conn, const char *url,
                               const char *method, const char *version, const char *upload,
                               size_t *upload_size, void **con_cls);
void mhd_on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                      enum MHD_RequestTerminationCode toe);
void mhd_on_connection(void *cls, struct MHD_Connection *conn, void **socket_ctx,
                       enum MHD_ConnectionNotificationCode toe);
void mhd_request_unref(ratchet_http_request *req);
/* The ratchet.http request accessors, filled into the api table. */
void mhd_request_api(ratchet_http_api *api);

/* ---- http_respond.c ----------------------------------------------------------------------- */

/* Build an MHD response with every header the plugin adds (request id, security, CORS,
 * handler headers, Cache-Control default). Takes ownership of `resp`; NULL on failure. */
struct MHD_Response *mhd_decorate(ratchet_http_request *req, struct MHD_Response *resp,
                                  int json_api);
/* Make the error envelope response for req (the plugin's own answers). */
struct MHD_Response *mhd_error_response(ratchet_http_request *req, int status, const char *code,
                                        const char *message);
/* Queue req->resp (or a 503 when aborted) on the connection; on the connection's thread. */
enum MHD_Result mhd_queue(ratchet_http_request *req);
/* Called after the handler returned: queue, suspend, or 500 for a handler that did nothing. */
enum MHD_Result mhd_after_handler(ratchet_http_request *req);
/* Store an answer (a stream's response when `stream`); the first wins, the others get
 * RATCHET_ERR. Consumes `r` either way (NULL r: RATCHET_NOMEM after marking answered). */
ratchet_status mhd_accept(ratchet_http_request *req, struct MHD_Response *r, int status,
                          uint64_t bytes, ratchet_http_stream *stream);
/* Resume a suspended request (req->mu held). */
void mhd_wake_locked(ratchet_http_request *req);
void mhd_respond_api(ratchet_http_api *api);

/* ---- http_stream.c ------------------------------------------------------------------------ */

void mhd_stream_api(ratchet_http_api *api);
void mhd_stream_unref(ratchet_http_stream *s);
/* Mark every open stream aborted and wake it (srv->mu held). */
void mhd_streams_abort_locked(mhd_server *srv);
/* Write the keep-alive comment to SSE streams idle for keepalive_ms; returns the nearest
 * time (monotonic ns) one is due, or INT64_MAX. srv->mu held on entry and exit. */
int64_t mhd_streams_keepalive(mhd_server *srv, int64_t now);
/* on_close(SHUTDOWN) for every open stream (srv->mu not held). */
void mhd_streams_shutdown(mhd_server *srv);

/* ---- http_timer.c ------------------------------------------------------------------------- */

ratchet_status mhd_timer_start(mhd_server *srv);
void mhd_timer_stop(mhd_server *srv);
/* Deferred requests: add to the list (wakes the timer), remove. srv->mu NOT held. */
void mhd_deferred_add(ratchet_http_request *req);
void mhd_deferred_remove(ratchet_http_request *req);
/* A request counted in srv->pending (deferred or streaming) completed. */
void mhd_pending_done(mhd_server *srv);
/* on_expire(why) for req if it is still unanswered; called without locks. */
void mhd_expire(ratchet_http_request *req, ratchet_http_end why);
/* The shutdown sequence between quiesce and MHD_stop_daemon (see http.c). */
void mhd_drain(mhd_server *srv);

/* ---- http_auth.c -------------------------------------------------------------------------- */

typedef enum mhd_auth_result {
    MHD_AUTH_OK,
    MHD_AUTH_MISSING,
    MHD_AUTH_BAD,
    MHD_AUTH_SCOPE,
    MHD_AUTH_ERROR
} mhd_auth_result;
ratchet_status mhd_auth_init(mhd_server *srv);
void mhd_auth_free(mhd_server *srv);
/* Check the request's key against the route's scope; fills req->key_name/key_scope. */
mhd_auth_result mhd_auth_check(mhd_server *srv, ratchet_http_request *req);

/* ---- http_limit.c ------------------------------------------------------------------------- */

ratchet_status mhd_limit_init(mhd_server *srv);
void mhd_limit_free(mhd_server *srv);
/* 0 when `client` may go on, else the seconds to wait (Retry-After). */
int mhd_limit_take(mhd_server *srv, const char *client);

/* ---- http_metrics.c ----------------------------------------------------------------------- */

void mhd_metrics_record(const char *pattern, const char *method, int status, int64_t dur_ns);
ratchet_status mhd_metrics_text(ratchet_buf *out);
void mhd_metrics_reset(void);

/* ---- http_log.c --------------------------------------------------------------------------- */

/* The access log line of a completed request. */
void mhd_access_log(mhd_server *srv, const ratchet_http_request *req, int64_t dur_ns);
/* api->log: the request's line through the host loggers with its id and route. */
void mhd_request_log(const ratchet_http_request *req, ratchet_log_level level, const char *fmt, ...)
    RATCHET_PRINTF(3, 4);

int64_t mhd_now_ns(void);

#endif /* MHD_INT_H */
