/*
 * api-rest - the REST API (/api/v1, the probes, /metrics, the OpenAPI document) as a front end
 * mounted on the `http` plugin.
 *
 * start() finds "ratchet.engine" and "ratchet.http" (frontend.h: both are there by then),
 * mounts the route table of rest_routes.c and starts the reaper thread of the sessions that
 * wait on engine events (fe_session.h); stop() unmounts (waiting for running handlers), ends
 * the deferred executes and event streams still open and joins the reaper.
 */
#define _POSIX_C_SOURCE 200809L

#include <string.h>

#include "rest.h"

const ratchet_host_api *rest_host;

static ratchet_status rest_create(ratchet_ctx *ctx, const ratchet_config *cfg, void **out)
{
    (void)cfg;
    rest *r = rest_host->calloc(1, sizeof *r);
    if (!r) {
        rest_host->set_error(ctx, "out of memory");
        return RATCHET_NOMEM;
    }
    r->ctx = ctx;
    fe_reaper_init(&r->reaper, rest_host, ctx);
    *out = r;
    return RATCHET_OK;
}

/* The http routes of the table, each with {r, op} as its user pointer. GET / is left out
 * when the web UI has published that it redirects / to itself (REST_WEBUI_INTERFACE). */
static ratchet_status mount_routes(rest *r)
{
    size_t n = 0, m = 0;
    const rest_op *ops = rest_ops(&n);
    int ui_has_root = rest_host->lookup(REST_WEBUI_INTERFACE, 1, 0) != NULL;
    ratchet_http_route *routes = rest_host->calloc(n, sizeof *routes);
    rest_host->free(r->bindings); /* a start after a stop */
    r->bindings = rest_host->calloc(n, sizeof *r->bindings);
    if (!routes || !r->bindings) {
        rest_host->free(routes);
        rest_host->set_error(r->ctx, "out of memory");
        return RATCHET_NOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        if (ops[i].kind == REST_ROOT && ui_has_root)
            continue;
        r->bindings[m].r = r;
        r->bindings[m].op = &ops[i];
        routes[m] = (ratchet_http_route){
            RATCHET_ABI_INIT(ratchet_http_route), ops[i].method,  ops[i].pattern, ops[i].scope,
            rest_handler_for(ops[i].kind),        &r->bindings[m]};
        m++;
    }
    ratchet_status st = r->http->mount(r->ctx, routes, m);
    rest_host->free(routes);
    r->mounted = st == RATCHET_OK;
    return st;
}

/* Every engine function the table names must be inside the published struct. */
static int engine_covers_table(const rest *r)
{
    size_t n = 0;
    const rest_op *ops = rest_ops(&n);
    for (size_t i = 0; i < n; i++) {
        if (ops[i].fn && ops[i].fn + sizeof(void (*)(void)) > r->eng->abi.struct_size) {
            rest_host->set_error(r->ctx, "the engine interface is too old for %s %s", ops[i].method,
                                 ops[i].pattern);
            return 0;
        }
    }
    return 1;
}

static ratchet_status rest_start(void *instance)
{
    rest *r = instance;
    r->eng = rest_host->lookup(RATCHET_ENGINE_INTERFACE, RATCHET_ENGINE_MAJOR, 0);
    r->http = rest_host->lookup(RATCHET_HTTP_INTERFACE, RATCHET_HTTP_MAJOR, 0);
    if (!r->eng) {
        rest_host->set_error(r->ctx,
                             "no engine to serve: \"%s\" is not published (api-rest runs "
                             "under `ratchet serve`)",
                             RATCHET_ENGINE_INTERFACE);
        return RATCHET_ERR;
    }
    if (!r->http) {
        rest_host->set_error(r->ctx,
                             "no http listener: add an instance of the `http` plugin "
                             "(\"%s\" is not published)",
                             RATCHET_HTTP_INTERFACE);
        return RATCHET_ERR;
    }
    if (!engine_covers_table(r) || fe_reaper_start(&r->reaper, r->eng) != RATCHET_OK)
        return RATCHET_ERR;
    if (mount_routes(r) != RATCHET_OK) {
        fe_reaper_stop(&r->reaper);
        return RATCHET_ERR;
    }
    return RATCHET_OK;
}

static void rest_stop(void *instance)
{
    rest *r = instance;
    if (r->mounted)
        r->http->unmount(r->ctx);
    r->mounted = 0;
    fe_reaper_stop(&r->reaper);
    /* The routes' user pointers stay until destroy(): unmount() waits only shutdown_timeout, and
     * a request matched before it (its body still arriving) may reach its handler until the
     * http instance stops; its session is then refused (the reaper is stopping). */
}

static void rest_destroy(void *instance)
{
    rest *r = instance;
    fe_reaper_destroy(&r->reaper);
    rest_host->free(r->bindings);
    rest_host->free(r);
}

static const ratchet_frontend_vtable rest_frontend = {
    .abi = RATCHET_ABI_INIT(ratchet_frontend_vtable),
    .life = {rest_create, rest_start, rest_stop, rest_destroy},
};

static const ratchet_option rest_options[] = {RATCHET_OPT_END};

static const ratchet_plugin_desc rest_desc = {
    .abi = RATCHET_ABI_INIT(ratchet_plugin_desc),
    .name = "api-rest",
    .version = "1.0.0",
    .description = "REST API (/api/v1, health, metrics, OpenAPI) on the http plugin",
    .license = "MIT",
    .options = rest_options,
    .frontend = &rest_frontend,
};

RATCHET_PLUGIN_ENTRY(api_rest)
{
    if (api->abi.abi_major != RATCHET_ABI_MAJOR)
        return NULL;
    rest_host = api;
    return &rest_desc;
}
