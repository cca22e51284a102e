/* host/cli/cmd_mcp.c - `ratchet mcp-serve` (MCP over stdin/stdout) and `ratchet generate
 * mcp-config` (the client configuration that starts it, or points at /mcp over HTTP). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "core/core_layer.h"
#include "serve_frontends.h"

static int mcp_serve_run(rt_app *app, int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        int w = rt_serve_workers_arg(app, "mcp-serve", argc, argv, &i);
        if (w < 0)
            return RT_EXIT_USAGE;
        if (!w)
            return rt_usage_error("mcp-serve", "unexpected argument '%s'", argv[i]);
    }
    return rt_serve_main(app, RT_FRONTENDS_MCP_STDIO, NULL);
}

const rt_command rt_cmd_mcp_serve = {
    "mcp-serve",
    "Serve the tasks to an MCP client over stdin/stdout (for LLM agents)",
    "Usage: ratchet mcp-serve [--config FILE] [--tasks PATH]... [--data-dir DIR] [--workers N]\n\n"
    "Runs the job engine as `serve` does (same storage, tasks and workers), with the MCP front\n"
    "end (api-mcp) speaking JSON-RPC on stdin/stdout, one message per line; logs go to stderr\n"
    "only. Configured front ends (http, api-rest, ...) are not started. Exits 0 when stdin\n"
    "reaches EOF (after running jobs finish, as on SIGTERM). `ratchet generate mcp-config`\n"
    "prints the block an MCP client needs to start it.\n",
    mcp_serve_run,
};

/* `path` made absolute (resolving symlinks when it exists), appended as a JSON string. */
static void json_abs_path(ratchet_buf *out, const char *path)
{
    char real[PATH_MAX], cwd[PATH_MAX];
    if (realpath(path, real))
        rt_buf_json_string(out, real);
    else if (path[0] != '/' && getcwd(cwd, sizeof cwd)) {
        ratchet_buf joined = RATCHET_BUF_INIT;
        rt_buf_printf(&joined, "%s/%s", cwd, path);
        rt_buf_json_string(out, joined.data);
        rt_buf_free(&joined);
    } else
        rt_buf_json_string(out, path);
}

static void arg_pair(ratchet_buf *out, const char *flag, const char *path)
{
    rt_buf_printf(out, ", \"%s\", ", flag);
    json_abs_path(out, path);
}

int rt_generate_mcp_config(rt_app *app, int argc, char **argv)
{
    const char *url = "http://127.0.0.1:8080/mcp", *key_env = NULL, *name = "ratchet";
    for (int i = 2; i < argc; i++) {
        const char **slot = !strcmp(argv[i], "--url")       ? &url
                            : !strcmp(argv[i], "--key-env") ? &key_env
                            : !strcmp(argv[i], "--name")    ? &name
                                                            : NULL;
        if (!slot || i + 1 >= argc)
            return rt_usage_error("generate", "usage: ratchet [--config F] [--tasks P]... "
                                              "[--data-dir D] generate mcp-config [--name N] "
                                              "[--url URL] [--key-env VAR]");
        *slot = argv[++i];
    }
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return rt_cli_fail("cannot find the path of the ratchet binary");
    exe[n] = '\0';
    ratchet_buf out = RATCHET_BUF_INIT;
    rt_buf_printf(&out, "{\n  \"mcpServers\": {\n    \"%s\": {\n      \"command\": ", name);
    rt_buf_json_string(&out, exe);
    rt_buf_puts(&out, ",\n      \"args\": [\"mcp-serve\"");
    if (app->config_path)
        arg_pair(&out, "--config", app->config_path);
    for (size_t i = 0; i < app->ntask_sources; i++)
        arg_pair(&out, "--tasks", app->task_sources[i]);
    if (app->data_dir)
        arg_pair(&out, "--data-dir", app->data_dir);
    rt_buf_printf(&out, "]\n    },\n    \"%s-http\": {\n      \"type\": \"http\",\n      \"url\": ",
                  name);
    rt_buf_json_string(&out, url);
    if (key_env)
        rt_buf_printf(&out, ",\n      \"headers\": {\"Authorization\": \"Bearer ${%s}\"}", key_env);
    rt_buf_puts(&out, "\n    }\n  }\n}\n");
    fputs(out.data, stdout);
    rt_buf_free(&out);
    return RT_EXIT_OK;
}
