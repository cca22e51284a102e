/*
 * api-graphql - the GraphQL API (schema.graphql) at /graphql, a front end mounted on the `http`
 * plugin beside api-rest: same port, same API keys (queries need the read scope, mutations
 * write), the same engine calls.
 *
 * create() builds the schema from the embedded SDL and registers the resolvers, so that a
 * broken schema is an error at configuration time; start() finds "ratchet.engine" and
 * "ratchet.http" and mounts GET and POST /graphql, GET /graphql/ws and GET /graphiql (and
 * its assets); stop() unmounts (waiting for running requests), ends the subscriptions
 * (graphql_sub.c), closes the WebSocket connections (graphql_ws.c) and answers the
 * executeTaskSync requests still waiting (graphql_defer.c).
 */
#define _POSIX_C_SOURCE 200809L

#include <string.h>

#include "graphql.h"

const ratchet_host_api *graphql_host;

static ratchet_status graphql_create(ratchet_ctx *ctx, const ratchet_config *cfg, void **out)
{
    graphql *g = graphql_host->calloc(1, sizeof *g);
    if (!g) {
        graphql_host->set_error(ctx, "out of memory");
        return RATCHET_NOMEM;
    }
    g->ctx = ctx;
    pthread_mutex_init(&g->lock, NULL);
    pthread_cond_init(&g->idle, NULL);
    fe_reaper_init(&g->reaper, graphql_host, ctx);
    g->max_subs = (size_t)graphql_host->cfg_int(cfg, "max_subscriptions");
    char err[512];
    g->schema = gql_schema_parse(graphql_schema, graphql_schema_len, err, sizeof err);
    if (!g->schema) {
        graphql_host->set_error(ctx, "schema.graphql: %s", err);
        fe_reaper_destroy(&g->reaper);
        pthread_mutex_destroy(&g->lock);
        pthread_cond_destroy(&g->idle);
        graphql_host->free(g);
        return RATCHET_ERR;
    }
    if (graphql_query_install(g->schema) < 0 || graphql_mutation_install(g->schema) < 0) {
        graphql_host->set_error(ctx, "schema.graphql lacks a field the resolvers serve");
        gql_schema_free(g->schema);
        fe_reaper_destroy(&g->reaper);
        pthread_mutex_destroy(&g->lock);
        pthread_cond_destroy(&g->idle);
        graphql_host->free(g);
        return RATCHET_ERR;
    }
    g->limits.max_bytes = (size_t)graphql_host->cfg_int(cfg, "max_document_size");
    g->limits.max_depth = (uint32_t)graphql_host->cfg_int(cfg, "max_depth");
    g->limits.max_complexity = (uint32_t)graphql_host->cfg_int(cfg, "max_complexity");
    g->limits.max_aliases = (uint32_t)graphql_host->cfg_int(cfg, "max_aliases");
    g->limits.max_root_fields = (uint32_t)graphql_host->cfg_int(cfg, "max_root_fields");
    g->limits.no_introspection = !graphql_host->cfg_bool(cfg, "introspection");
    g->max_subs_per_conn = (size_t)graphql_host->cfg_int(cfg, "max_subscriptions_per_connection");
    g->ws_max_message = (size_t)graphql_host->cfg_int(cfg, "max_message_size");
    g->ws_init_timeout_ms = graphql_host->cfg_int(cfg, "connection_init_timeout");
    g->graphiql = graphql_host->cfg_bool(cfg, "graphiql");
    if (g->graphiql)
        graphql_graphiql_load(g, graphql_host->cfg_string(cfg, "graphiql_dir"));
    *out = g;
    return RATCHET_OK;
}

static ratchet_status graphql_start(void *instance)
{
    graphql *g = instance;
    g->eng = graphql_host->lookup(RATCHET_ENGINE_INTERFACE, RATCHET_ENGINE_MAJOR, 0);
    g->http = graphql_host->lookup(RATCHET_HTTP_INTERFACE, RATCHET_HTTP_MAJOR, 0);
    if (!g->eng) {
        graphql_host->set_error(g->ctx,
                                "no engine to serve: \"%s\" is not published (api-graphql runs "
                                "under `ratchet serve`)",
                                RATCHET_ENGINE_INTERFACE);
        return RATCHET_ERR;
    }
    if (!g->http) {
        graphql_host->set_error(g->ctx,
                                "no http listener: add an instance of the `http` plugin (\"%s\" "
                                "is not published)",
                                RATCHET_HTTP_INTERFACE);
        return RATCHET_ERR;
    }
    /* Queries need the read scope; a mutation's write scope is checked once the operation is
     * known (graphql_http.c). */
    const ratchet_http_route routes[] = {
        {RATCHET_ABI_INIT(ratchet_http_route), "GET", GRAPHQL_PATH, RATCHET_HTTP_READ,
         graphql_handle, g},
        {RATCHET_ABI_INIT(ratchet_http_route), "POST", GRAPHQL_PATH, RATCHET_HTTP_READ,
         graphql_handle, g},
        /* public: browsers cannot send a key with a WebSocket; graphql_ws.c asks for one */
        {RATCHET_ABI_INIT(ratchet_http_route), "GET", GRAPHQL_WS_PATH, RATCHET_HTTP_PUBLIC,
         graphql_ws_handle, g},
        /* the page and its assets (also /graphiql itself) are public; the queries it sends
         * carry the user's key */
        {RATCHET_ABI_INIT(ratchet_http_route), "GET", "/graphiql/*", RATCHET_HTTP_PUBLIC,
         graphql_graphiql_handle, g},
        /* the original served its playground here: it is GraphiQL now */
        {RATCHET_ABI_INIT(ratchet_http_route), "GET", "/playground", RATCHET_HTTP_PUBLIC,
         graphql_playground_handle, g},
    };
    if (fe_reaper_start(&g->reaper, g->eng) != RATCHET_OK)
        return RATCHET_ERR;
    size_t nroutes = sizeof routes / sizeof *routes - (g->graphiql ? 0 : 2);
    ratchet_status st = g->http->mount(g->ctx, routes, nroutes);
    g->mounted = st == RATCHET_OK;
    if (st != RATCHET_OK)
        fe_reaper_stop(&g->reaper);
    return st;
}

static void graphql_stop(void *instance)
{
    graphql *g = instance;
    if (g->mounted)
        g->http->unmount(g->ctx);
    g->mounted = 0;
    graphql_sub_stop(g); /* each gets its `complete` while its connection is still open */
    graphql_ws_stop(g);
    fe_reaper_stop(&g->reaper);
}

static void graphql_destroy(void *instance)
{
    graphql *g = instance;
    gql_schema_free(g->schema);
    graphql_graphiql_free(g);
    fe_reaper_destroy(&g->reaper);
    pthread_mutex_destroy(&g->lock);
    pthread_cond_destroy(&g->idle);
    graphql_host->free(g);
}

static const ratchet_frontend_vtable graphql_frontend = {
    .abi = RATCHET_ABI_INIT(ratchet_frontend_vtable),
    .life = {graphql_create, graphql_start, graphql_stop, graphql_destroy},
};

static const ratchet_option graphql_options[] = {
    RATCHET_OPT_RANGE("max_document_size", RATCHET_OPT_SIZE, "100KiB", 1024, 16777216,
                      "the largest query document accepted"),
    RATCHET_OPT_RANGE("max_depth", RATCHET_OPT_INT, "15", 1, 1000,
                      "the deepest nesting of selections (fragments expanded)"),
    RATCHET_OPT_RANGE("max_complexity", RATCHET_OPT_INT, "1000", 1, 10000000,
                      "the most fields one operation may select (fragments expanded)"),
    RATCHET_OPT_RANGE("max_aliases", RATCHET_OPT_INT, "50", 1, 100000,
                      "the most aliased fields in one document"),
    RATCHET_OPT_RANGE("max_root_fields", RATCHET_OPT_INT, "20", 1, 100000,
                      "the most fields an operation's root selection set may hold"),
    RATCHET_OPT_RANGE("max_subscriptions", RATCHET_OPT_INT, "100", 1, 100000,
                      "the most subscriptions (event streams) served at once"),
    RATCHET_OPT_RANGE("max_subscriptions_per_connection", RATCHET_OPT_INT, "25", 1, 100000,
                      "the most subscriptions one WebSocket connection may run at once"),
    RATCHET_OPT_RANGE("max_message_size", RATCHET_OPT_SIZE, "1MiB", 1024, 67108864,
                      "the largest WebSocket message accepted (larger: close 1009)"),
    RATCHET_OPT_RANGE("connection_init_timeout", RATCHET_OPT_DURATION, "10s", 100, 3600000,
                      "how long a WebSocket client has to send connection_init (else 4408)"),
    RATCHET_OPT("graphiql", RATCHET_OPT_BOOL, "true",
                "serve GraphiQL (built offline into the plugin's folder) at /graphiql"),
    RATCHET_OPT("graphiql_dir", RATCHET_OPT_PATH, NULL,
                "where GraphiQL's built files are (default: api-graphql/graphiql by the plugin)"),
    RATCHET_OPT("introspection", RATCHET_OPT_BOOL, "true",
                "answer __schema and __type (GraphiQL and code generators need them)"),
    RATCHET_OPT_END,
};

static const ratchet_plugin_desc graphql_desc = {
    .abi = RATCHET_ABI_INIT(ratchet_plugin_desc),
    .name = "api-graphql",
    .version = "0.1.0",
    .description = "GraphQL API (/graphql) on the http plugin",
    .license = "MIT",
    .options = graphql_options,
    .frontend = &graphql_frontend,
};

RATCHET_PLUGIN_ENTRY(api_graphql)
{
    if (api->abi.abi_major != RATCHET_ABI_MAJOR)
        return NULL;
    graphql_host = api;
    return &graphql_desc;
}
