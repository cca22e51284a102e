/*
 * http - the HTTP listener every API front end shares (libmicrohttpd).
 *
 * A front-end plugin (frontend.h) that publishes "ratchet.http" (http.h) from create(), so
 * other front ends mount their routes whatever the order of the instances in the file. It
 * owns the listeners, TLS, limits, API-key authentication, CORS, security headers, rate
 * limiting, request ids, metrics and the access log. Options and behaviour: README.md.
 *
 * Lifecycle: create() parses and checks the options and publishes the interface; start()
 * looks up the engine (for API keys), starts the timer thread and the daemons; stop() stops
 * accepting, asks deferred requests and streams to end, waits for them (shutdown_timeout),
 * resumes whatever is still suspended and stops the daemons (MHD aborts the process when a
 * daemon stops with a suspended connection). One instance per process: a second one fails
 * in create() because the interface name is taken.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "http_int.h"

const ratchet_host_api *mhd_host;
mhd_server *mhd_srv;
mhd_routes mhd_table;
static int table_ready;

static ratchet_status api_mount(ratchet_ctx *owner, const ratchet_http_route *routes, size_t n)
{
    char err[512];
    if (!table_ready || (n > 0 && !routes)) {
        mhd_host->set_error(owner, "http: no routes given");
        return RATCHET_ERR;
    }
    if (mhd_routes_add(&mhd_table, owner, routes, n, err, sizeof err) != 0) {
        mhd_host->set_error(owner, "http: %s", err);
        return RATCHET_ERR;
    }
    return RATCHET_OK;
}

static void api_unmount(ratchet_ctx *owner)
{
    if (!table_ready)
        return;
    long wait = mhd_srv ? (long)mhd_srv->shutdown_ms : MHD_SHUTDOWN_WAIT_FALLBACK_MS;
    size_t left = mhd_routes_remove_owner(&mhd_table, owner, wait);
    if (left > 0)
        mhd_host->log(owner, RATCHET_LOG_WARN,
                      "http: %zu handler(s) of this instance still running after %ld ms", left,
                      wait);
}

static ratchet_status api_metrics(ratchet_buf *out)
{
    return out ? mhd_metrics_text(out) : RATCHET_ERR;
}

typedef struct routes_json {
    ratchet_buf *out;
    int n, bad;
} routes_json;

static void route_json(void *arg, const char *method, const char *pattern, ratchet_http_scope scope,
                       ratchet_ctx *owner)
{
    static const char *const scopes[] = {"public", "read", "write", "admin"};
    routes_json *r = arg;
    r->bad |= mhd_host->buf_printf(r->out, "%s{\"method\":\"%s\",\"pattern\":", r->n++ ? "," : "",
                                   method) != RATCHET_OK;
    r->bad |= mhd_host->buf_json_string(r->out, pattern) != RATCHET_OK;
    r->bad |=
        mhd_host->buf_printf(r->out, ",\"scope\":\"%s\",\"owner\":", scopes[scope]) != RATCHET_OK;
    r->bad |= mhd_host->buf_json_string(r->out, mhd_host->instance_name(owner)) != RATCHET_OK;
    r->bad |= mhd_host->buf_append(r->out, "}", 1) != RATCHET_OK;
}

static ratchet_status api_routes(ratchet_buf *out)
{
    if (!out || !table_ready)
        return RATCHET_ERR;
    routes_json r = {out, 0, 0};
    r.bad |= mhd_host->buf_append(out, "[", 1) != RATCHET_OK;
    mhd_routes_each(&mhd_table, route_json, &r);
    r.bad |= mhd_host->buf_append(out, "]", 1) != RATCHET_OK;
    return r.bad ? RATCHET_NOMEM : RATCHET_OK;
}

static ratchet_http_api http_api;

static void api_init(void)
{
    http_api.abi =
        (ratchet_abi){RATCHET_HTTP_MAJOR, RATCHET_HTTP_MINOR, (uint32_t)sizeof(ratchet_http_api)};
    http_api.mount = api_mount;
    http_api.unmount = api_unmount;
    mhd_request_api(&http_api);
    mhd_respond_api(&http_api);
    mhd_stream_api(&http_api);
    mhd_upgrade_api(&http_api);
    http_api.metrics = api_metrics;
    http_api.routes = api_routes;
}

/* cors_origins: a list of origins ("*" for any); empty = no CORS headers. */
static ratchet_status read_cors(mhd_server *srv, const ratchet_node *n)
{
    ratchet_node_kind k = mhd_host->node_kind(n);
    if (k == RATCHET_NODE_NONE)
        return RATCHET_OK;
    size_t count = k == RATCHET_NODE_SEQUENCE ? mhd_host->node_count(n) : 1;
    if (k == RATCHET_NODE_MAP || count > 64) {
        mhd_host->set_error(srv->ctx,
                            "%s: cors_origins: expected a list of at most 64 origins "
                            "(\"https://app.example.com\", or \"*\" for any)",
                            mhd_host->node_where(n));
        return RATCHET_ERR;
    }
    srv->cors = mhd_host->calloc(count + 1, sizeof *srv->cors);
    if (!srv->cors)
        return RATCHET_NOMEM;
    for (size_t i = 0; i < count; i++) {
        const ratchet_node *item = k == RATCHET_NODE_SEQUENCE ? mhd_host->node_at(n, i) : n;
        const char *o = mhd_host->node_scalar(item);
        if (!o || !*o || strpbrk(o, " \r\n,")) {
            mhd_host->set_error(srv->ctx,
                                "%s: cors_origins: each origin is one scheme://host[:port] "
                                "or \"*\"",
                                mhd_host->node_where(item));
            return RATCHET_ERR;
        }
        if (!(srv->cors[srv->ncors++] = mhd_host->strdup(o)))
            return RATCHET_NOMEM;
    }
    return RATCHET_OK;
}

static void server_free(mhd_server *srv)
{
    for (size_t i = 0; i < srv->ncors; i++)
        mhd_host->free(srv->cors[i]);
    mhd_host->free(srv->cors);
    mhd_listen_free(srv);
    mhd_limit_free(srv);
    mhd_auth_free(srv);
    pthread_cond_destroy(&srv->cv);
    pthread_mutex_destroy(&srv->mu);
    mhd_host->free(srv);
}

static void read_numbers(mhd_server *srv, const ratchet_config *cfg)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    int64_t threads = mhd_host->cfg_int(cfg, "threads");
    srv->threads = (unsigned)(threads > 0 ? threads : cpus > 2 ? cpus : 2);
    srv->auth_keys = strcmp(mhd_host->cfg_string(cfg, "auth"), "api_key") == 0;
    srv->max_body = mhd_host->cfg_int(cfg, "max_body");
    srv->max_header = mhd_host->cfg_int(cfg, "max_header");
    srv->timeout_ms = mhd_host->cfg_int(cfg, "timeout");
    srv->shutdown_ms = mhd_host->cfg_int(cfg, "shutdown_timeout");
    srv->keepalive_ms = mhd_host->cfg_int(cfg, "sse_keepalive");
    srv->max_connections = (unsigned)mhd_host->cfg_int(cfg, "max_connections");
    srv->rate = mhd_host->cfg_double(cfg, "rate_limit");
    double burst = (double)mhd_host->cfg_int(cfg, "rate_burst");
    srv->burst = burst > 0 ? burst : srv->rate * 2 > 1 ? srv->rate * 2 : 1;
    srv->access_log = mhd_host->cfg_bool(cfg, "access_log");
}

static ratchet_status http_create(ratchet_ctx *ctx, const ratchet_config *cfg, void **out)
{
    mhd_server *srv = mhd_host->calloc(1, sizeof *srv);
    if (!srv) {
        mhd_host->set_error(ctx, "out of memory");
        return RATCHET_NOMEM;
    }
    srv->ctx = ctx;
    pthread_mutex_init(&srv->mu, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&srv->cv, &ca);
    pthread_condattr_destroy(&ca);
    read_numbers(srv, cfg);
    if (srv->rate < 0) {
        mhd_host->set_error(ctx, "rate_limit must be 0 (off) or a positive number of requests "
                                 "per second");
        server_free(srv);
        return RATCHET_ERR;
    }
    ratchet_status rc = mhd_listen_parse(srv, mhd_host->cfg_node(cfg, "listen"));
    if (rc == RATCHET_OK)
        rc = read_cors(srv, mhd_host->cfg_node(cfg, "cors_origins"));
    if (rc == RATCHET_OK &&
        (mhd_limit_init(srv) != RATCHET_OK || mhd_auth_init(srv) != RATCHET_OK)) {
        mhd_host->set_error(ctx, "out of memory");
        rc = RATCHET_NOMEM;
    }
    if (rc == RATCHET_OK && mhd_srv) {
        mhd_host->set_error(ctx, "only one http instance per process: %s already listens",
                            mhd_host->instance_name(mhd_srv->ctx));
        rc = RATCHET_ERR;
    }
    if (rc == RATCHET_OK)
        rc = mhd_host->publish(ctx, RATCHET_HTTP_INTERFACE, &http_api);
    if (rc != RATCHET_OK) {
        server_free(srv);
        return rc;
    }
    mhd_srv = srv;
    *out = srv;
    return RATCHET_OK;
}

static ratchet_status http_start(void *instance)
{
    mhd_server *srv = instance;
    if (mhd_listen_check_auth(srv) != RATCHET_OK)
        return RATCHET_ERR;
    if (srv->auth_keys) {
        srv->engine = mhd_host->lookup(RATCHET_ENGINE_INTERFACE, RATCHET_ENGINE_MAJOR, 0);
        if (!srv->engine || !RATCHET_HAS_FIELD(srv->engine, ratchet_engine_api, key_verify)) {
            mhd_host->set_error(srv->ctx,
                                "auth: api_key needs the engine interface (%s), which "
                                "only `ratchet serve` provides",
                                RATCHET_ENGINE_INTERFACE);
            return RATCHET_ERR;
        }
    }
    atomic_store(&srv->stopping, 0);
    if (mhd_timer_start(srv) != RATCHET_OK)
        return RATCHET_ERR;
    if (mhd_listen_start(srv) != RATCHET_OK) {
        mhd_timer_stop(srv);
        return RATCHET_ERR;
    }
    return RATCHET_OK;
}

static void http_stop(void *instance)
{
    mhd_server *srv = instance;
    atomic_store(&srv->stopping, 1);
    mhd_listen_quiesce(srv);
    mhd_drain(srv);
    mhd_timer_stop(srv);
    mhd_listen_stop(srv);
}

static void http_destroy(void *instance)
{
    mhd_server *srv = instance;
    mhd_host->unpublish(srv->ctx, RATCHET_HTTP_INTERFACE);
    if (mhd_srv == srv)
        mhd_srv = NULL;
    server_free(srv);
}

static const ratchet_option http_options[] = {
    RATCHET_OPT("listen", RATCHET_OPT_NODE, "127.0.0.1:8080",
                "listeners: \"ADDR:PORT\" ([V6]:PORT; port 0 picks a free one) or a list of "
                "those or of maps {address, port, tls_cert, tls_key}"),
    RATCHET_OPT_ENUM("auth", "none|api_key", "none",
                     "none (loopback listeners only) or api_key (`ratchet keys create`)"),
    RATCHET_OPT_RANGE("threads", RATCHET_OPT_INT, "0", 0, 256,
                      "pool threads per listener; 0: one per CPU (at least 2)"),
    RATCHET_OPT_RANGE("max_body", RATCHET_OPT_SIZE, "10MiB", 0, INT64_C(1073741824),
                      "largest request body (413 beyond)"),
    RATCHET_OPT_RANGE("max_header", RATCHET_OPT_SIZE, "16KiB", 1024, 1048576,
                      "largest request line plus headers (431 beyond)"),
    RATCHET_OPT_RANGE("timeout", RATCHET_OPT_DURATION, "30s", 1000, 3600000,
                      "close a connection idle this long"),
    RATCHET_OPT_RANGE("max_connections", RATCHET_OPT_INT, "512", 1, 100000,
                      "open connections over all listeners (503 beyond)"),
    RATCHET_OPT("cors_origins", RATCHET_OPT_NODE, NULL,
                "origins allowed to call from a browser (\"*\" for any); none: no CORS headers"),
    RATCHET_OPT("rate_limit", RATCHET_OPT_DOUBLE, "0",
                "requests per second per client address (429 beyond); 0: off"),
    RATCHET_OPT_RANGE("rate_burst", RATCHET_OPT_INT, "0", 0, 1000000,
                      "requests a client may make at once; 0: twice rate_limit"),
    RATCHET_OPT_RANGE("shutdown_timeout", RATCHET_OPT_DURATION, "5s", 0, 600000,
                      "how long stop waits for open requests and streams to finish"),
    RATCHET_OPT_RANGE("sse_keepalive", RATCHET_OPT_DURATION, "15s", 100, 3600000,
                      "comment line on an idle event stream after this long"),
    RATCHET_OPT("access_log", RATCHET_OPT_BOOL, "true", "log one line per request (info)"),
    RATCHET_OPT_END,
};

static const ratchet_frontend_vtable http_frontend = {
    .abi = RATCHET_ABI_INIT(ratchet_frontend_vtable),
    .life = {http_create, http_start, http_stop, http_destroy},
};

static const ratchet_plugin_desc http_desc = {
    .abi = RATCHET_ABI_INIT(ratchet_plugin_desc),
    .name = "http",
    .version = "1.0.0",
    .description = "HTTP listener (libmicrohttpd) shared by the API front ends: TLS, limits, "
                   "API keys, CORS, rate limits, access log",
    .license = "MIT",
    .options = http_options,
    .frontend = &http_frontend,
};

RATCHET_PLUGIN_ENTRY(http)
{
    mhd_host = api;
    if (!table_ready) {
        if (mhd_routes_init(&mhd_table) != 0)
            return NULL;
        table_ready = 1;
        api_init();
    }
    return &http_desc;
}
