/*
 * plugins/api-mcp/mcp.c - the api-mcp plugin: the Model Context Protocol front end.
 *
 * Options: transport (http | stdio), path (/mcp), task_tools, allowed_origins, page_size.
 * start() finds "ratchet.engine" (and, for http, "ratchet.http") and starts the transport;
 * stop() stops taking messages, wakes and drains the tool calls in flight (bounded), then
 * ends the sessions. Lifecycle calls come from the host's main thread (lifecycle.h).
 */
#define _POSIX_C_SOURCE 200809L

#include <string.h>

#include "mcp.h"

const ratchet_host_api *mcp_host;

#define DRAIN_MS 5000

/* allowed_origins: a sequence of scalars, copied (NULL-terminated); NULL when not set. */
static int read_origins(mcp *m, const ratchet_config *cfg)
{
    const ratchet_node *list = mcp_host->cfg_node(cfg, "allowed_origins");
    if (!list)
        return 1;
    if (mcp_host->node_kind(list) != RATCHET_NODE_SEQUENCE) {
        mcp_host->set_error(m->ctx,
                            "%s: allowed_origins must be a list of origins such as "
                            "\"http://localhost:3000\" (or \"*\" for any)",
                            mcp_host->node_where(list));
        return 0;
    }
    size_t n = mcp_host->node_count(list);
    m->origins = mcp_host->calloc(n + 1, sizeof *m->origins);
    for (size_t i = 0; m->origins && i < n; i++) {
        const char *o = mcp_host->node_scalar(mcp_host->node_at(list, i));
        if (!o) {
            mcp_host->set_error(m->ctx, "%s: each allowed origin must be a string",
                                mcp_host->node_where(mcp_host->node_at(list, i)));
            return 0;
        }
        m->origins[i] = mcp_host->strdup(o);
    }
    return m->origins != NULL;
}

static void free_origins(mcp *m)
{
    for (size_t i = 0; m->origins && m->origins[i]; i++)
        mcp_host->free(m->origins[i]);
    mcp_host->free(m->origins);
    m->origins = NULL;
}

static ratchet_status mcp_create(ratchet_ctx *ctx, const ratchet_config *cfg, void **out)
{
    mcp *m = mcp_host->calloc(1, sizeof *m);
    if (!m) {
        mcp_host->set_error(ctx, "out of memory");
        return RATCHET_NOMEM;
    }
    m->ctx = ctx;
    m->stdio = strcmp(mcp_host->cfg_string(cfg, "transport"), "stdio") == 0;
    m->path = mcp_host->cfg_string(cfg, "path");
    m->task_tools = mcp_host->cfg_bool(cfg, "task_tools");
    m->page_size = mcp_host->cfg_int(cfg, "page_size");
    m->stdio_session.log_level = -1;
    m->stdio_session.refs = 1;
    if (!m->path || m->path[0] != '/') {
        mcp_host->set_error(ctx, "path must start with '/' (e.g. /mcp), not '%s'",
                            m->path ? m->path : "");
        mcp_host->free(m);
        return RATCHET_ERR;
    }
    if (!read_origins(m, cfg) || !(m->results = json_object_new_array())) {
        free_origins(m);
        mcp_host->free(m);
        return RATCHET_ERR;
    }
    pthread_mutex_init(&m->lock, NULL);
    pthread_cond_init(&m->idle, NULL);
    *out = m;
    return RATCHET_OK;
}

static ratchet_status mcp_start(void *instance)
{
    mcp *m = instance;
    m->eng = mcp_host->lookup(RATCHET_ENGINE_INTERFACE, RATCHET_ENGINE_MAJOR, 0);
    if (!m->eng) {
        mcp_host->set_error(m->ctx,
                            "no engine to serve: \"%s\" is not published (api-mcp runs "
                            "under `ratchet serve` or `ratchet mcp-serve`)",
                            RATCHET_ENGINE_INTERFACE);
        return RATCHET_ERR;
    }
    if (m->eng->abi.struct_size < sizeof(ratchet_engine_api)) {
        mcp_host->set_error(m->ctx, "the engine interface is too old (%u bytes, need %zu)",
                            (unsigned)m->eng->abi.struct_size, sizeof(ratchet_engine_api));
        return RATCHET_ERR;
    }
    return m->stdio ? mcp_stdio_start(m) : mcp_http_start(m);
}

static void mcp_stop(void *instance)
{
    mcp *m = instance;
    if (m->stdio)
        mcp_stdio_stop(m);
    else
        mcp_http_stop(m);
    mcp_calls_drain(m, DRAIN_MS);
    mcp_sessions_clear(m);
}

static void mcp_destroy(void *instance)
{
    mcp *m = instance;
    mcp_stdio_free(m);
    mcp_http_free(m);
    free_origins(m);
    json_object_put(m->results);
    pthread_mutex_destroy(&m->lock);
    pthread_cond_destroy(&m->idle);
    mcp_host->free(m);
}

static const ratchet_frontend_vtable mcp_frontend = {
    .abi = RATCHET_ABI_INIT(ratchet_frontend_vtable),
    .life = {mcp_create, mcp_start, mcp_stop, mcp_destroy},
};

static const ratchet_option mcp_options[] = {
    RATCHET_OPT_ENUM("transport", "http|stdio", "http",
                     "http: Streamable HTTP at `path` on the http plugin; stdio: one JSON "
                     "message per line on stdin/stdout (what `ratchet mcp-serve` uses)"),
    RATCHET_OPT("path", RATCHET_OPT_STRING, "/mcp", "the endpoint's path on the http listener"),
    RATCHET_OPT("task_tools", RATCHET_OPT_BOOL, "true",
                "offer each enabled task as its own tool, task_<name>"),
    RATCHET_OPT("allowed_origins", RATCHET_OPT_NODE, NULL,
                "Origin values accepted on HTTP (a list; \"*\" for any); default: loopback "
                "origins only (DNS rebinding protection)"),
    RATCHET_OPT_RANGE("page_size", RATCHET_OPT_INT, "50", 1, 1000,
                      "tools/list and resources/list page size"),
    RATCHET_OPT_END,
};

static const ratchet_plugin_desc mcp_desc = {
    .abi = RATCHET_ABI_INIT(ratchet_plugin_desc),
    .name = "api-mcp",
    .version = MCP_SERVER_VERSION,
    .description = "Model Context Protocol front end (stdio and Streamable HTTP)",
    .license = "MIT",
    .options = mcp_options,
    .frontend = &mcp_frontend,
};

RATCHET_PLUGIN_ENTRY(api_mcp)
{
    if (api->abi.abi_major != RATCHET_ABI_MAJOR)
        return NULL;
    mcp_host = api;
    return &mcp_desc;
}
