/*
 * host/core/app.h - the application as one run of `ratchet` sees it: global flags, loading
 * config and plugins with user-facing error reporting, and the exit-status convention
 *   0 success, 1 failure (bad config, refused plugin, failing instance), 2 usage error.
 * Every layer above core takes an rt_app; the command table itself is in cli/cli.h.
 */
#ifndef RT_APP_H
#define RT_APP_H

#include "instances.h"
#include "loader.h"
#include "settings.h"

#define RT_EXIT_OK         0
#define RT_EXIT_FAIL       1
#define RT_EXIT_USAGE      2
#define RT_MAX_PLUGIN_DIRS 16

typedef struct rt_app {
    /* global flags */
    const char *config_path; /* --config, else $RATCHET_CONFIG, else NULL (built-in) */
    const char *plugin_dirs[RT_MAX_PLUGIN_DIRS]; /* --plugin-dir, in order */
    size_t nplugin_dirs;
    const char *log_level;                        /* --log-level: overrides logging.level */
    const char *data_dir;                         /* --data-dir: overrides engine.data_dir */
    const char *task_sources[RT_MAX_PLUGIN_DIRS]; /* --tasks, added to engine.tasks */
    size_t ntask_sources;
    /* --storage-url, else $RATCHET_STORAGE_URL: the storage to use; and which of the two
     * chose it ("--storage-url" or "RATCHET_STORAGE_URL", for messages) */
    const char *storage_url;
    const char *storage_url_from;
    int workers; /* serve --workers: overrides engine.workers (0: not given) */
    char *const *envp;
    int internal; /* an internal command (worker, check-task): configuration warnings, which its
                   * parent has printed, are not repeated */
    /* state */
    rt_settings settings;
    int settings_loaded;
    rt_registry reg;
    int plugins_loaded;
    ratchet_config *executor_cfg; /* options of the executor the task commands use */
} rt_app;

/* Print "ratchet: <msg>" and a hint to stderr; returns RT_EXIT_USAGE. */
int rt_usage_error(const char *cmd, const char *fmt, ...) RATCHET_PRINTF(2, 3);
/* Print "ratchet: <msg>" to stderr; returns RT_EXIT_FAIL. */
int rt_cli_fail(const char *fmt, ...) RATCHET_PRINTF(1, 2);
/* True when argv has -h/--help (before a "--"). */
int rt_wants_help(int argc, char **argv);

/* Load ratchet.yaml (once). Prints the error and returns RT_EXIT_FAIL on failure. */
int rt_app_load_settings(rt_app *app);
/* Load static plugins, the default dirs, --plugin-dir dirs, plugins.paths (once). Refusals are
 * printed to stderr; with `strict`, any refusal returns RT_EXIT_FAIL. */
int rt_app_load_plugins(rt_app *app, int strict);
/* For commands that need only some plugins (the task commands: an executor): load the named
 * plugins and those of the configured instances, each from its NAME.so in the default
 * directories, and nothing else, so that a task runs without loading storage or front ends.
 * When --plugin-dir or plugins.paths add directories, or a name has no NAME.so there, this is
 * rt_app_load_plugins(app, 1). */
int rt_app_load_plugins_for(rt_app *app, const char *const *names, size_t nnames);
/* rt_app_load_plugins_for with `optional` names too, each loaded when this build has it (a
 * static plugin or NAME.so in the default directories) and skipped otherwise: what serve may
 * add on its own (default front ends, the watcher) without requiring a build to have them. */
int rt_app_load_plugins_some(rt_app *app, const char *const *names, size_t nnames,
                             const char *const *optional, size_t noptional);
/* The command line of a child that is this binary with the same configuration, plugin
 * directories and log level, running `command` (a worker, the authoring check process):
 * {"ratchet", [--config F], [--plugin-dir D]..., [--log-level L], command, NULL, ...} with
 * `extra` more NULL slots for the caller to fill. The array is malloc'd (the caller frees it);
 * its strings are borrowed from `app` and `command`. NULL when out of memory. */
char **rt_app_self_argv(const rt_app *app, const char *command, size_t extra);
void rt_app_free(rt_app *app);

#endif
