/* host/cli/cmd_serve.c - `ratchet serve`: start every configured instance and run until
 * signalled. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "engine/engine_layer.h"
#include "core/core_layer.h"
#include "serve_frontends.h"

static int storage_available(rt_app *app)
{
    for (size_t i = 0; i < app->settings.ninstances; i++) {
        const rt_plugin *p = rt_registry_find(&app->reg, app->settings.instances[i].plugin);
        if (p && p->vtable[RT_KIND_STORAGE])
            return 1;
    }
    if (app->storage_url) /* chosen: rt_store_open says so when its plugin is missing */
        return 1;
    const rt_plugin *p = rt_registry_find(&app->reg, "storage-sqlite");
    return p && p->vtable[RT_KIND_STORAGE];
}

/* The engine built, published to front ends, run until a stop signal, and torn down. */
static int run_engine(rt_app *app, rt_instance_set *set, rt_store *st, size_t ntasks,
                      const sigset_t *stop_signals)
{
    /* A worker is this binary with the same configuration (the pool appends its id). */
    char **argv = rt_app_self_argv(app, "worker", 1);
    rt_error err;
    rt_engine *engine = argv ? rt_engine_new(app, st, argv, &err) : NULL;
    rt_api *api = engine ? rt_api_new(app, st, engine, &err) : NULL;
    int rc = RT_EXIT_OK;
    if (!argv)
        rc = rt_cli_fail("out of memory");
    else if (!engine || !api)
        rc = rt_cli_fail("%s", err.msg);
    /* The engine interface is published before the front ends start (ratchet/frontend.h). */
    /* Events are kept for front ends to stream and replay: without one (--no-api) nobody
     * could subscribe, and keeping them cost CPU per job and up to 32 MiB. */
    int events = rt_instances_count_kind(set, RT_KIND_FRONTEND) > 0;
    if (api && (rt_api_publish(api, events, &err) != RATCHET_OK ||
                rt_instances_start_frontends(set, &err) != RATCHET_OK))
        rc = rt_cli_fail("%s", err.msg);
    else if (api) {
        rt_reload *reload = rt_reload_start(app, st); /* NULL: no reloads (logged why) */
        rt_reg_poller *registries = rt_reg_poller_start(app, st); /* NULL: none to follow */
        rt_log(RATCHET_LOG_INFO,
               "ratchet serve: ready (%zu instance%s, %zu task version%s); stop with Ctrl-C or "
               "SIGTERM",
               set->count, set->count == 1 ? "" : "s", ntasks, ntasks == 1 ? "" : "s");
        /* While the engine drains, the front ends keep serving (/ready answers 503, streams
         * see the last jobs finish); they stop once it has drained. */
        rc = rt_engine_run(engine, stop_signals);
        rt_log(RATCHET_LOG_INFO, "shutting down");
        rt_reg_poller_stop(registries);
        rt_reload_stop(reload);
    }
    rt_instances_stop_frontends(set);
    rt_api_free(api);
    rt_engine_free(engine);
    free(argv);
    return rc;
}

/* With a storage plugin: the job engine runs until a stop signal. Without one (an embedded
 * build of loggers only): the instances run until a stop signal. */
static int serve_engine(rt_app *app, rt_instance_set *set, const sigset_t *stop_signals)
{
    if (!storage_available(app)) {
        rt_log(RATCHET_LOG_WARN, "no storage plugin: running without the job engine");
        rt_log(RATCHET_LOG_INFO,
               "ratchet serve: ready (%zu instance%s); stop with Ctrl-C or SIGTERM", set->count,
               set->count == 1 ? "" : "s");
        int sig = 0;
        while (sigwait(stop_signals, &sig) == EINTR)
            ;
        rt_log(RATCHET_LOG_INFO, "received %s, shutting down",
               sig == SIGINT ? "SIGINT" : "SIGTERM");
        return RT_EXIT_OK;
    }
    rt_store st;
    int rc = rt_store_open(app, &st);
    size_t ntasks = 0;
    /* The server's own events are kept for `logs search` (engine/log_store.h). */
    rt_log_store *kept = rc == RT_EXIT_OK ? rt_log_store_start(st.vt, st.inst, RATCHET_LOG_INFO)
                                          : NULL;
    if (rc == RT_EXIT_OK) {
        rt_log(RATCHET_LOG_INFO, "storage: %s at %s", st.plugin->desc->name,
               st.where.data ? st.where.data : "?");
        rc = rt_store_sync_tasks(app, &st, &ntasks);
    }
    if (rc == RT_EXIT_OK)
        rc = run_engine(app, set, &st, ntasks, stop_signals);
    rt_log_store_stop(kept);
    rt_store_close(&st);
    return rc;
}

/* --workers N (both commands take it). Returns 1 when argv[*i] was it, -1 on a bad value. */
int rt_serve_workers_arg(rt_app *app, const char *cmd, int argc, char **argv, int *i)
{
    if (strcmp(argv[*i], "--workers") != 0 || *i + 1 >= argc)
        return 0;
    char *end = NULL;
    long n = strtol(argv[++*i], &end, 10);
    if (!end || *end || n < 1 || n > 256) {
        rt_usage_error(cmd, "--workers expects a number from 1 to 256, got '%s'", argv[*i]);
        return -1;
    }
    app->workers = (int)n;
    return 1;
}

/* Instances resolved and started (loggers), the engine run with the front ends of `mode`. */
static int serve_instances(rt_app *app, rt_frontend_mode mode, const char *listen,
                           const sigset_t *stop_signals)
{
    rt_serve_frontends fe;
    int rc = rt_serve_frontends_prepare(app, &fe, mode, listen);
    rt_instance_set set;
    rt_error err;
    memset(&set, 0, sizeof set);
    if (rc == RT_EXIT_OK && rt_instances_resolve(&set, &app->settings, &app->reg, &err) != RATCHET_OK)
        rc = rt_cli_fail("%s", err.msg);
    else if (rc == RT_EXIT_OK && rt_instances_start(&set, &err) != RATCHET_OK) {
        rt_instances_shutdown(&set);
        rc = rt_cli_fail("%s", err.msg);
    } else if (rc == RT_EXIT_OK) {
        rt_log(RATCHET_LOG_INFO, "configuration: %s",
               app->settings.path ? app->settings.path : "built-in defaults");
        for (size_t i = 0; i < app->reg.count; i++) {
            const rt_plugin *p = &app->reg.plugins[i];
            rt_log(RATCHET_LOG_INFO, "plugin %s %s (%s)", p->desc->name, p->desc->version,
                   p->is_static ? "static" : p->path);
        }
        for (size_t i = 0; i < set.count; i++)
            rt_log(RATCHET_LOG_INFO, "instance %s: %s %s", set.items[i].spec->name,
                   rt_kind_name(set.items[i].kind), set.items[i].plugin->desc->name);
        rc = serve_engine(app, &set, stop_signals);
        rt_instances_shutdown(&set);
    }
    rt_instances_free(&set);
    rt_serve_frontends_free(&fe);
    return rc;
}

/* What serve uses, and nothing else (each plugin brings its libraries: libpq, GnuTLS, libcurl
 * and OpenSSL would cost the coordinator megabytes it never uses): the plugins of the
 * configured instances, the storage, the executor (tasks are checked when stored), the
 * watcher, and the front ends serve adds when none is configured (or api-mcp for mcp-serve).
 * Other plugin directories (--plugin-dir, plugins.paths) are loaded whole. */
static int load_serve_plugins(rt_app *app, rt_frontend_mode mode)
{
    int rc = rt_app_load_settings(app);
    if (rc != RT_EXIT_OK)
        return rc;
    const char *wanted[8];
    size_t n = 0;
    wanted[n++] = rt_store_plugin_name(app);
    wanted[n++] = "watcher-inotify";
    const char *executor =
        rt_cfg_string(rt_settings_section(&app->settings, "execution"), "executor");
    if (executor)
        wanted[n++] = executor;
    if (mode == RT_FRONTENDS_DEFAULT) {
        wanted[n++] = "http";
        wanted[n++] = "api-rest";
        wanted[n++] = "api-graphql";
        wanted[n++] = "web-ui";
    } else if (mode == RT_FRONTENDS_MCP_STDIO) {
        wanted[n++] = "api-mcp";
    }
    return rt_app_load_plugins_some(app, NULL, 0, wanted, n);
}

int rt_serve_main(rt_app *app, rt_frontend_mode mode, const char *listen)
{
    /* Block the stop signals before any plugin starts a thread, so that every thread inherits
     * the mask and only sigwait() below receives them. */
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);
    /* A worker that dies while we write to it must cost an error return, not the server. */
    signal(SIGPIPE, SIG_IGN);
    int rc = load_serve_plugins(app, mode);
    return rc == RT_EXIT_OK ? serve_instances(app, mode, listen, &stop_signals) : rc;
}

static int serve_run(rt_app *app, int argc, char **argv)
{
    const char *listen = NULL;
    rt_frontend_mode mode = RT_FRONTENDS_DEFAULT;
    for (int i = 1; i < argc; i++) {
        int w = rt_serve_workers_arg(app, "serve", argc, argv, &i);
        if (w < 0)
            return RT_EXIT_USAGE;
        if (w)
            continue;
        if (strcmp(argv[i], "--listen") == 0 && i + 1 < argc)
            listen = argv[++i];
        else if (strcmp(argv[i], "--no-api") == 0)
            mode = RT_FRONTENDS_CONFIGURED;
        else
            return rt_usage_error("serve", "unexpected argument '%s'", argv[i]);
    }
    return rt_serve_main(app, mode, listen);
}

const rt_command rt_cmd_serve = {
    "serve",
    "Run the job engine (queue, workers, cron schedules) until Ctrl-C/SIGTERM",
    "Usage: ratchet serve [--config FILE] [--tasks PATH]... [--data-dir DIR] [--workers N]\n"
    "                     [--storage-url URL] [--listen ADDR:PORT] [--no-api]\n\n"
    "Starts the configured plugin instances (loggers), stores the tasks of engine.tasks and\n"
    "--tasks in the storage (storage-sqlite in engine.data_dir or --data-dir by default;\n"
    "--storage-url or $RATCHET_STORAGE_URL (else a postgres:// $RATCHET_DATABASE_URL)\n"
    "choose another: postgresql://USER@HOST:PORT/DB\n"
    "for storage-postgres, several hosts sharing one database, or sqlite:PATH; the log names\n"
    "the storage in use, never its password),\n"
    "follows the task registries of registry.sources (each http index fetched at start and\n"
    "every polling_interval; see `ratchet registry --help`), and\n"
    "runs the job engine: queued jobs are claimed under a lease and run by `ratchet worker`\n"
    "processes (engine.workers or --workers; default one per CPU), cron schedules fire, and\n"
    "outputs are delivered. Submit and inspect work with `ratchet jobs`, `ratchet schedules`,\n"
    "`ratchet executions`, also while serve runs.\n\n"
    "Front ends: when the configuration names no front-end instance, serve adds the `http`\n"
    "listener on 127.0.0.1:8080 (no API key needed on loopback) with the REST API (`api-rest`)\n"
    "on it. --listen ADDR:PORT sets the listener of every http instance (port 0: a free one);\n"
    "the log says `listening on http://ADDR:PORT` once connections are accepted. --no-api runs\n"
    "without the default front ends.\n\n"
    "SIGTERM/SIGINT: stop claiming, let running jobs finish for engine.shutdown_grace (a second\n"
    "signal ends the wait), requeue the rest, exit 0. After a crash, jobs whose lease expired\n"
    "are requeued at the next start. Without a storage plugin (an embedded build) only the\n"
    "instances run. Exits 1 if the configuration is invalid, a plugin file is refused, or an\n"
    "instance fails to start (the message names it and the reason).\n",
    serve_run,
};
