/*
 * host/cli.h - what the commands share: global flags, loading config and plugins with
 * user-facing error reporting, and the exit-status convention
 *   0 success, 1 failure (bad config, refused plugin, failing instance), 2 usage error.
 */
#ifndef RT_CLI_H
#define RT_CLI_H

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
    int workers; /* serve --workers: overrides engine.workers (0: not given) */
    char *const *envp;
    /* state */
    rt_settings settings;
    int settings_loaded;
    rt_registry reg;
    int plugins_loaded;
    ratchet_config *executor_cfg; /* options of the executor the task commands use */
} rt_app;

typedef struct rt_command {
    const char *name;
    const char *summary;
    const char *help; /* full usage text printed by `ratchet CMD --help` */
    int (*run)(rt_app *app, int argc, char **argv); /* argv[0] is the command name */
} rt_command;

extern const rt_command rt_cmd_serve, rt_cmd_plugins, rt_cmd_config, rt_cmd_version;
extern const rt_command rt_cmd_schema, rt_cmd_run_once, rt_cmd_validate, rt_cmd_test, rt_cmd_replay,
    rt_cmd_generate;
extern const rt_command rt_cmd_jobs, rt_cmd_tasks, rt_cmd_executions, rt_cmd_schedules,
    rt_cmd_worker;

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
void rt_app_free(rt_app *app);

#endif
