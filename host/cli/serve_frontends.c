/* host/cli/serve_frontends.c - default front ends and --listen for `ratchet serve`. */
#include "serve_frontends.h"

#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define DEFAULT_LISTEN "127.0.0.1:8080"

static int offers_frontend(const rt_app *app, const char *plugin)
{
    const rt_plugin *p = plugin ? rt_registry_find(&app->reg, plugin) : NULL;
    return p && p->vtable[RT_KIND_FRONTEND];
}

static rt_node *keep(rt_serve_frontends *fe, rt_node *n)
{
    if (n && fe->nowned < sizeof fe->owned / sizeof *fe->owned)
        fe->owned[fe->nowned++] = n;
    else if (n) {
        rt_node_free(n);
        n = NULL;
    }
    return n;
}

/* Append one instance `name` of `plugin` to the settings (whose instance array, grown here, the
 * settings still own and free), with an options map holding `key: value` when key is set. */
static int add_instance(rt_app *app, rt_serve_frontends *fe, const char *name, const char *plugin,
                        const char *key, const char *value)
{
    rt_settings *s = &app->settings;
    rt_instance_spec *grown = realloc(s->instances, (s->ninstances + 2) * sizeof *grown);
    if (!grown)
        return rt_cli_fail("out of memory");
    s->instances = grown;
    rt_node *entry = keep(fe, rt_node_new_map("serve's default front ends"));
    rt_node *opts = rt_node_new_map("serve's default front ends");
    if (!entry || !opts || rt_node_map_set(entry, "options", opts) != RATCHET_OK ||
        (key && rt_node_map_set(opts, key, rt_node_new_scalar(value, "(built-in)")) != RATCHET_OK))
        return rt_cli_fail("out of memory");
    rt_instance_spec *spec = &grown[s->ninstances];
    memset(spec, 0, sizeof *spec);
    spec->name = name;
    spec->plugin = plugin;
    spec->entry = entry;
    spec->options = rt_node_get(entry, "options");
    spec->index = s->ninstances;
    s->ninstances++;
    fe->added = 1;
    return RT_EXIT_OK;
}

static int add_defaults(rt_app *app, rt_serve_frontends *fe)
{
    for (size_t i = 0; i < app->settings.ninstances; i++)
        if (offers_frontend(app, app->settings.instances[i].plugin))
            return RT_EXIT_OK;
    if (!offers_frontend(app, "http") || !offers_frontend(app, "api-rest")) {
        rt_log(RATCHET_LOG_INFO, "no http/api-rest plugins: serving without the REST API");
        return RT_EXIT_OK;
    }
    int rc = add_instance(app, fe, "http", "http", NULL, NULL);
    if (rc == RT_EXIT_OK)
        rc = add_instance(app, fe, "api", "api-rest", NULL, NULL);
    /* GraphQL at /graphql on the same port, when the build has it. */
    if (rc == RT_EXIT_OK && offers_frontend(app, "api-graphql"))
        rc = add_instance(app, fe, "graphql", "api-graphql", NULL, NULL);
    /* The web UI at /ui/ (and / redirected there), when the build has it. */
    if (rc == RT_EXIT_OK && offers_frontend(app, "web-ui"))
        rc = add_instance(app, fe, "ui", "web-ui", NULL, NULL);
    return rc;
}

/* mcp-serve: stdin/stdout belong to the MCP session, and a listener would collide with a
 * `serve` on the same machine, so the configured front ends are left out. */
static int mcp_stdio_only(rt_app *app, rt_serve_frontends *fe)
{
    rt_settings *s = &app->settings;
    size_t kept = 0;
    for (size_t i = 0; i < s->ninstances; i++)
        if (!offers_frontend(app, s->instances[i].plugin))
            s->instances[kept++] = s->instances[i];
    s->ninstances = kept;
    if (!offers_frontend(app, "api-mcp"))
        return rt_cli_fail("mcp-serve needs the api-mcp plugin (see `ratchet plugins list`)");
    return add_instance(app, fe, "mcp", "api-mcp", "transport", "stdio");
}

static int apply_listen(rt_app *app, const char *listen)
{
    int found = 0;
    for (size_t i = 0; i < app->settings.ninstances; i++) {
        rt_instance_spec *spec = &app->settings.instances[i];
        if (!spec->plugin || strcmp(spec->plugin, "http") != 0)
            continue;
        /* The options map belongs to the settings' tree (or to us), which is ours to edit
         * before the instance is resolved. */
        rt_node *opts = (rt_node *)spec->options;
        if (!opts) {
            opts = rt_node_new_map("--listen");
            if (rt_node_map_set((rt_node *)spec->entry, "options", opts) != RATCHET_OK)
                return rt_cli_fail("--listen: cannot set the options of instance '%s'",
                                   spec->name);
            spec->options = opts;
        }
        if (rt_node_map_set(opts, "listen", rt_node_new_scalar(listen, "--listen")) != RATCHET_OK)
            return rt_cli_fail("--listen: cannot set the listener of instance '%s'", spec->name);
        found = 1;
    }
    if (!found)
        return rt_usage_error("serve", "--listen: no instance of the http plugin is configured");
    return RT_EXIT_OK;
}

int rt_serve_frontends_prepare(rt_app *app, rt_serve_frontends *fe, rt_frontend_mode mode,
                               const char *listen)
{
    memset(fe, 0, sizeof *fe);
    int rc = RT_EXIT_OK;
    if (mode == RT_FRONTENDS_DEFAULT)
        rc = add_defaults(app, fe);
    else if (mode == RT_FRONTENDS_MCP_STDIO)
        return mcp_stdio_only(app, fe);
    /* The original Ratchet's RATCHET_SERVER_BIND_ADDRESS / _PORT, when there is a listener. */
    for (size_t i = 0; !listen && i < app->settings.ninstances; i++)
        if (app->settings.instances[i].plugin &&
            strcmp(app->settings.instances[i].plugin, "http") == 0)
            listen = app->settings.original.listen;
    if (rc == RT_EXIT_OK && fe->added && !listen)
        rc = apply_listen(app, DEFAULT_LISTEN);
    if (rc == RT_EXIT_OK && listen)
        rc = apply_listen(app, listen);
    return rc;
}

void rt_serve_frontends_free(rt_serve_frontends *fe)
{
    for (size_t i = 0; i < fe->nowned; i++)
        rt_node_free(fe->owned[i]);
    fe->nowned = 0;
}
