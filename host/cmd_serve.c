/* host/cmd_serve.c - `ratchet serve`: start every configured instance and run until signalled. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>

#include "cli.h"
#include "log.h"

static int serve_run(rt_app *app, int argc, char **argv)
{
    if (argc > 1)
        return rt_usage_error("serve", "unexpected argument '%s'", argv[1]);
    /* Block the stop signals before any plugin starts a thread, so that every thread inherits
     * the mask and only sigwait() below receives them. */
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);

    int rc = rt_app_load_plugins(app, 1);
    if (rc != RT_EXIT_OK)
        return rc;
    rt_instance_set set;
    rt_error err;
    if (rt_instances_resolve(&set, &app->settings, &app->reg, &err) != RATCHET_OK) {
        rt_instances_free(&set);
        return rt_cli_fail("%s", err.msg);
    }
    if (rt_instances_start(&set, &err) != RATCHET_OK) {
        rt_instances_shutdown(&set);
        rt_instances_free(&set);
        return rt_cli_fail("%s", err.msg);
    }
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
    rt_log(RATCHET_LOG_INFO, "ratchet serve: ready (%zu instance%s); stop with Ctrl-C or SIGTERM",
           set.count, set.count == 1 ? "" : "s");

    int sig = 0;
    while (sigwait(&stop_signals, &sig) == EINTR)
        ;
    rt_log(RATCHET_LOG_INFO, "received %s, shutting down", sig == SIGINT ? "SIGINT" : "SIGTERM");
    rt_instances_shutdown(&set);
    rt_instances_free(&set);
    return RT_EXIT_OK;
}

const rt_command rt_cmd_serve = {
    "serve",
    "Start the configured plugin instances and run until Ctrl-C/SIGTERM",
    "Usage: ratchet serve [--config FILE] [--plugin-dir DIR]\n\n"
    "Loads the plugins, creates and starts every instance listed under `instances:` in the\n"
    "configuration, logs what it loaded, and runs until SIGINT or SIGTERM, then stops the\n"
    "instances in reverse order and exits 0. Exits 1 if the configuration is invalid, a plugin\n"
    "file is refused, or an instance fails to start (the message names it and the reason).\n",
    serve_run,
};
