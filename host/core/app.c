/* host/core/app.c - shared command-line plumbing: errors, loading settings and plugins. */
#include "app.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "log_mask.h"
#include "options.h"

int rt_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("ratchet: ", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    if (cmd)
        fprintf(stderr, "\nTry 'ratchet %s --help'.\n", cmd);
    else
        fputs("\nTry 'ratchet --help'.\n", stderr);
    return RT_EXIT_USAGE;
}

int rt_cli_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("ratchet: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return RT_EXIT_FAIL;
}

int rt_wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
            return 1;
    return 0;
}

/* logging.redact_keys and execution.redact_headers: masked in every log event too. */
static int mask_configured_keys(const rt_settings *s)
{
    size_t n = s->nredact_keys + s->nredact_headers;
    const char **keys = calloc(n + 1, sizeof *keys);
    if (!keys)
        return rt_cli_fail("out of memory");
    for (size_t i = 0; i < s->nredact_keys; i++)
        keys[i] = s->redact_keys[i];
    for (size_t i = 0; i < s->nredact_headers; i++)
        keys[s->nredact_keys + i] = s->redact_headers[i];
    ratchet_status st = rt_mask_set_keys(keys, n);
    free(keys);
    return st == RATCHET_OK ? RT_EXIT_OK : rt_cli_fail("out of memory");
}

int rt_app_load_settings(rt_app *app)
{
    if (app->settings_loaded)
        return RT_EXIT_OK;
    rt_error err;
    ratchet_status st = rt_settings_load(&app->settings, app->config_path, app->envp, &err);
    /* The original Ratchet's environment variables: what was read, and what is not. */
    for (size_t i = 0; !app->internal && i < app->settings.original.nnotes; i++)
        fprintf(stderr, "ratchet: warning: %s\n", app->settings.original.notes[i]);
    if (st != RATCHET_OK) {
        rt_settings_free(&app->settings);
        return rt_cli_fail("%s", err.msg);
    }
    app->settings_loaded = 1;
    const char *level = rt_cfg_string(rt_settings_section(&app->settings, "logging"), "level");
    if (app->log_level)
        level = app->log_level;
    int lv = rt_log_level_parse(level);
    if (lv >= 0)
        rt_log_set_level((ratchet_log_level)lv);
    return mask_configured_keys(&app->settings);
}

static int load_dir(rt_app *app, const char *dir, int must_exist)
{
    rt_error err;
    if (rt_loader_load_dir(&app->reg, dir, must_exist, &err) != RATCHET_OK)
        return rt_cli_fail("%s", err.msg);
    return RT_EXIT_OK;
}

/* The file that a plugin of the standard build named `name` would be in the default
 * directories: every shipped plugin is NAME.so. NULL when none exists. */
static char *default_file(char *const *dirs, size_t ndirs, const char *name)
{
    for (size_t i = 0; i < ndirs; i++) {
        size_t len = strlen(dirs[i]) + strlen(name) + 5;
        char *path = malloc(len);
        if (!path)
            return NULL;
        snprintf(path, len, "%s/%s.so", dirs[i], name);
        if (access(path, F_OK) == 0)
            return path;
        free(path);
    }
    return NULL;
}

int rt_app_load_plugins_for(rt_app *app, const char *const *names, size_t nnames)
{
    if (app->plugins_loaded)
        return rt_app_load_plugins(app, 1);
    int rc = rt_app_load_settings(app);
    if (rc != RT_EXIT_OK)
        return rc;
    if (app->nplugin_dirs || app->settings.nplugin_dirs)
        return rt_app_load_plugins(app, 1); /* other directories: load and check them all */
    char *dirs[2];
    size_t ndirs = rt_loader_default_dirs(dirs, 2);
    rt_registry reg;
    rt_registry_init(&reg);
    rt_loader_add_static(&reg);
    size_t nwanted = nnames + app->settings.ninstances, found = 0;
    char **files = calloc(nwanted ? nwanted : 1, sizeof *files);
    for (size_t i = 0; files && i < nwanted; i++) {
        const char *name = i < nnames ? names[i] : app->settings.instances[i - nnames].plugin;
        if (rt_registry_find(&reg, name) || (files[i] = default_file(dirs, ndirs, name)))
            found++;
    }
    for (size_t i = 0; i < ndirs; i++)
        free(dirs[i]);
    if (!files || found < nwanted) { /* a plugin named otherwise: load and check them all */
        for (size_t i = 0; files && i < nwanted; i++)
            free(files[i]);
        free(files);
        rt_registry_free(&reg);
        return rt_app_load_plugins(app, 1);
    }
    app->reg = reg;
    app->plugins_loaded = 1;
    for (size_t i = 0; i < nwanted; i++) {
        if (files[i] &&
            !rt_registry_find(&app->reg,
                              i < nnames ? names[i] : app->settings.instances[i - nnames].plugin))
            rt_loader_load_file(&app->reg, files[i], NULL);
        free(files[i]);
    }
    free(files);
    for (size_t i = 0; i < app->reg.nrefused; i++)
        fprintf(stderr, "ratchet: %s\n", app->reg.refused[i].reason);
    return app->reg.nrefused ? rt_cli_fail("%zu plugin file(s) refused", app->reg.nrefused)
                             : RT_EXIT_OK;
}

int rt_app_load_plugins_some(rt_app *app, const char *const *names, size_t nnames,
                             const char *const *optional, size_t noptional)
{
    const char **all = calloc(nnames + noptional + 1, sizeof *all);
    if (!all)
        return rt_cli_fail("out of memory");
    size_t n = 0;
    for (size_t i = 0; i < nnames; i++)
        all[n++] = names[i];
    char *dirs[2];
    size_t ndirs = rt_loader_default_dirs(dirs, 2);
    rt_registry statics;
    rt_registry_init(&statics);
    rt_loader_add_static(&statics);
    for (size_t i = 0; i < noptional; i++) {
        char *file = rt_registry_find(&statics, optional[i]) ? NULL : default_file(dirs, ndirs,
                                                                                    optional[i]);
        if (file || rt_registry_find(&statics, optional[i]))
            all[n++] = optional[i];
        free(file);
    }
    rt_registry_free(&statics);
    for (size_t i = 0; i < ndirs; i++)
        free(dirs[i]);
    int rc = rt_app_load_plugins_for(app, all, n);
    free(all);
    return rc;
}

int rt_app_load_plugins(rt_app *app, int strict)
{
    if (app->plugins_loaded)
        return strict && app->reg.nrefused ? RT_EXIT_FAIL : RT_EXIT_OK;
    int rc = rt_app_load_settings(app);
    if (rc != RT_EXIT_OK)
        return rc;
    app->plugins_loaded = 1;
    rt_registry_init(&app->reg);
    rt_loader_add_static(&app->reg);
    /* The plugins shipped with this binary load first, so that a file in another directory
     * cannot take over one of their names: it is refused as a duplicate instead. */
    char *defaults[2];
    size_t ndefaults = rt_loader_default_dirs(defaults, 2);
    for (size_t i = 0; i < ndefaults; i++) {
        if (rc == RT_EXIT_OK)
            rc = load_dir(app, defaults[i], 0);
        free(defaults[i]);
    }
    for (size_t i = 0; i < app->nplugin_dirs && rc == RT_EXIT_OK; i++)
        rc = load_dir(app, app->plugin_dirs[i], 1);
    for (size_t i = 0; i < app->settings.nplugin_dirs && rc == RT_EXIT_OK; i++)
        rc = load_dir(app, app->settings.plugin_dirs[i], 1);
    for (size_t i = 0; i < app->reg.nrefused; i++)
        fprintf(stderr, "ratchet: %s\n", app->reg.refused[i].reason);
    if (rc == RT_EXIT_OK && strict && app->reg.nrefused)
        rc = rt_cli_fail("%zu plugin file(s) refused; remove or fix them (plugin directories "
                         "must hold only loadable Ratchet plugins)",
                         app->reg.nrefused);
    return rc;
}

char **rt_app_self_argv(const rt_app *app, const char *command, size_t extra)
{
    char **argv = calloc(7 + 2 * RT_MAX_PLUGIN_DIRS + extra, sizeof *argv);
    size_t n = 0;
    if (!argv)
        return NULL;
    argv[n++] = (char *)"ratchet";
    if (app->config_path) {
        argv[n++] = (char *)"--config";
        argv[n++] = (char *)app->config_path;
    }
    for (size_t i = 0; i < app->nplugin_dirs; i++) {
        argv[n++] = (char *)"--plugin-dir";
        argv[n++] = (char *)app->plugin_dirs[i];
    }
    if (app->log_level) {
        argv[n++] = (char *)"--log-level";
        argv[n++] = (char *)app->log_level;
    }
    argv[n] = (char *)command;
    return argv;
}

void rt_app_free(rt_app *app)
{
    if (app->settings_loaded)
        rt_settings_free(&app->settings);
    rt_mask_clear_keys();
    if (app->plugins_loaded)
        rt_registry_free(&app->reg);
    rt_config_free(app->executor_cfg);
}
