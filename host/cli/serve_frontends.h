/*
 * host/cli/serve_frontends.h - the front ends of `ratchet serve`: the default `http` + `api-rest`
 * pair when the configuration names none, and `--listen` applied to the http instance.
 */
#ifndef RT_SERVE_FRONTENDS_H
#define RT_SERVE_FRONTENDS_H

#include "core/core_layer.h"

typedef struct rt_serve_frontends {
    rt_node *owned[6]; /* instance entries made here (with their options); freed by _free */
    size_t nowned;
    int added; /* the default pair was added */
} rt_serve_frontends;

/* Which front ends a command runs. */
typedef enum rt_frontend_mode {
    RT_FRONTENDS_DEFAULT = 0, /* the configured ones, else http + api-rest */
    RT_FRONTENDS_CONFIGURED,  /* only the configured ones (serve --no-api) */
    RT_FRONTENDS_MCP_STDIO    /* only api-mcp on stdin/stdout (mcp-serve) */
} rt_frontend_mode;

/* Before the instances are resolved. DEFAULT: when no configured instance belongs to a plugin
 * offering the front-end kind, add `http` (listening on 127.0.0.1:8080) and `api` (api-rest)
 * instances, if both plugins are loaded, and `graphql` (api-graphql) and `ui` (web-ui) when
 * those plugins are loaded too. MCP_STDIO: drop the configured front ends and add
 * `mcp` (api-mcp, transport stdio). Then, when `listen` is not NULL, set it as the `listen`
 * option of every instance of the http plugin. RT_EXIT_OK or an exit status after printing the
 * error. */
int rt_serve_frontends_prepare(rt_app *app, rt_serve_frontends *fe, rt_frontend_mode mode,
                               const char *listen);
void rt_serve_frontends_free(rt_serve_frontends *fe);

/* The body of `serve` and `mcp-serve` (cmd_serve.c): load plugins, start the instances and the
 * front ends of `mode`, run the engine until SIGINT/SIGTERM. Returns the exit status. */
int rt_serve_main(rt_app *app, rt_frontend_mode mode, const char *listen);
/* Parse `--workers N` at argv[*i] (advancing *i): 1 when it was, 0 when not, -1 (usage
 * error printed) on a bad value. */
int rt_serve_workers_arg(rt_app *app, const char *cmd, int argc, char **argv, int *i);

#endif
