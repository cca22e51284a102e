/*
 * host/cli/cli.h - the command table: one rt_command per `ratchet CMD`, each defined in its
 * cmd_*.c and listed by main.c.
 */
#ifndef RT_CLI_H
#define RT_CLI_H

#include "core/core_layer.h"

typedef struct rt_command {
    const char *name;
    const char *summary;
    const char *help; /* full usage text printed by `ratchet CMD --help` */
    int (*run)(rt_app *app, int argc, char **argv); /* argv[0] is the command name */
} rt_command;

extern const rt_command rt_cmd_serve, rt_cmd_plugins, rt_cmd_config, rt_cmd_version;
extern const rt_command rt_cmd_schema, rt_cmd_run_once, rt_cmd_validate, rt_cmd_test, rt_cmd_replay,
    rt_cmd_generate, rt_cmd_compile;
extern const rt_command rt_cmd_jobs, rt_cmd_tasks, rt_cmd_executions, rt_cmd_schedules,
    rt_cmd_worker, rt_cmd_check_task, rt_cmd_keys, rt_cmd_mcp_serve, rt_cmd_registry, rt_cmd_logs;

/* `executions analyze ID [--format markdown|json] [--max-tokens N]` (cmd_analyze.c). */
int rt_executions_analyze(rt_app *app, int argc, char **argv);

/* `generate mcp-config` (cmd_mcp.c). */
int rt_generate_mcp_config(rt_app *app, int argc, char **argv);

#endif
