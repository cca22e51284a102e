/* host/cli/main.c - `ratchet`: global flags and command dispatch. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "core/core_layer.h"

extern char **environ;

static const rt_command *const commands[] = {
#ifdef RATCHET_WORKER_ONLY
    &rt_cmd_worker,
    &rt_cmd_version,
#else
    &rt_cmd_run_once,
    &rt_cmd_validate,
    &rt_cmd_test,
    &rt_cmd_replay,
    &rt_cmd_generate,
    &rt_cmd_compile,
    &rt_cmd_schema,
    &rt_cmd_serve,
    &rt_cmd_mcp_serve,
    &rt_cmd_jobs,
    &rt_cmd_tasks,
    &rt_cmd_executions,
    &rt_cmd_logs,
    &rt_cmd_schedules,
    &rt_cmd_keys,
    &rt_cmd_registry,
    &rt_cmd_plugins,
    &rt_cmd_config,
    &rt_cmd_version,
    &rt_cmd_worker,
    &rt_cmd_check_task,
#endif
    NULL,
};

static void print_help(void)
{
#ifdef RATCHET_WORKER_ONLY
    printf("Usage: ratchet-worker [GLOBAL OPTIONS] worker ID\n\n"
           "The worker program `ratchet serve` starts for each worker slot; the commands are\n"
           "`ratchet`'s (see `ratchet --help`).\n");
    return;
#endif
    printf("Usage: ratchet [GLOBAL OPTIONS] COMMAND [ARGS]\n\n"
           "Ratchet runs JavaScript tasks; its parts are plugins chosen in ratchet.yaml.\n\n"
           "Commands:\n");
    for (size_t i = 0; commands[i]; i++)
        printf("  %-10s %s\n", commands[i]->name, commands[i]->summary);
    printf("\nGlobal options (accepted before or after the command):\n"
           "  -c, --config FILE     configuration file (default: $RATCHET_CONFIG, else the\n"
           "                        built-in defaults, the same as config/ratchet.yaml)\n"
           "  --plugin-dir DIR      also load plugins from DIR (repeatable)\n"
           "  --log-level LEVEL     trace, debug, info, warn or error (overrides logging.level)\n"
           "  --data-dir DIR        where the engine's storage keeps its files (engine.data_dir)\n"
           "  --storage-url URL     the storage to use, over ratchet.yaml's (default:\n"
           "                        $RATCHET_STORAGE_URL, else a postgres:// URL in the\n"
           "                        original's $RATCHET_DATABASE_URL):\n"
           "                        postgresql://USER@HOST:PORT/DB (storage-postgres) or\n"
           "                        sqlite:PATH (storage-sqlite)\n"
           "  --tasks PATH          also load tasks from PATH (folder, .zip, collection;\n"
           "                        repeatable; added to engine.tasks)\n"
           "  -h, --help            show help (for a command: ratchet COMMAND --help)\n"
           "  -V, --version         show the version\n\n"
           "Environment: RATCHET_<SECTION>_<KEY> and RATCHET_<INSTANCE>_<OPTION> override the\n"
           "file, e.g. RATCHET_LOGGING_LEVEL=debug; see `ratchet config show`.\n");
}

/* Take a flag's value from "--flag VALUE" or "--flag=VALUE". Returns 1 when argv[*i] was this
 * flag (value in *out, or NULL when missing). */
static int take_value(const char *flag, const char *alias, char **argv, int argc, int *i,
                      const char **out)
{
    const char *a = argv[*i];
    size_t fl = strlen(flag);
    if (strncmp(a, flag, fl) == 0 && a[fl] == '=') {
        *out = a + fl + 1;
        return 1;
    }
    if (strcmp(a, flag) != 0 && !(alias && strcmp(a, alias) == 0))
        return 0;
    *out = *i + 1 < argc ? argv[++*i] : NULL;
    return 1;
}

/* Pull the global flags out of argv wherever they are; what remains (the command line proper)
 * goes to rest[]. Returns -1 to go on, or the exit status to stop with. */
static int parse_globals(rt_app *app, int argc, char **argv, char **rest, int *nrest)
{
    int dashdash = 0;
    for (int i = 1; i < argc; i++) {
        const char *v = NULL;
        if (dashdash || argv[i][0] != '-') {
            rest[(*nrest)++] = argv[i];
        } else if (strcmp(argv[i], "--") == 0) {
            dashdash = 1;
            rest[(*nrest)++] = argv[i];
        } else if (take_value("--config", "-c", argv, argc, &i, &v)) {
            if (!v)
                return rt_usage_error(NULL, "--config needs a file");
            app->config_path = v;
        } else if (take_value("--plugin-dir", NULL, argv, argc, &i, &v)) {
            if (!v)
                return rt_usage_error(NULL, "--plugin-dir needs a directory");
            if (app->nplugin_dirs == RT_MAX_PLUGIN_DIRS)
                return rt_usage_error(NULL, "at most %d --plugin-dir options", RT_MAX_PLUGIN_DIRS);
            app->plugin_dirs[app->nplugin_dirs++] = v;
        } else if (take_value("--data-dir", NULL, argv, argc, &i, &v)) {
            if (!v)
                return rt_usage_error(NULL, "--data-dir needs a directory");
            app->data_dir = v;
        } else if (take_value("--storage-url", NULL, argv, argc, &i, &v)) {
            if (!v)
                return rt_usage_error(NULL, "--storage-url needs a URL (postgresql://USER@HOST/DB "
                                            "or sqlite:PATH)");
            app->storage_url = v;
            app->storage_url_from = "--storage-url";
        } else if (take_value("--tasks", NULL, argv, argc, &i, &v)) {
            if (!v)
                return rt_usage_error(NULL, "--tasks needs a task folder, .zip or collection");
            if (app->ntask_sources == RT_MAX_PLUGIN_DIRS)
                return rt_usage_error(NULL, "at most %d --tasks options", RT_MAX_PLUGIN_DIRS);
            app->task_sources[app->ntask_sources++] = v;
        } else if (take_value("--log-level", NULL, argv, argc, &i, &v)) {
            if (!v || rt_log_level_parse(v) < 0)
                return rt_usage_error(NULL,
                                      "--log-level needs one of trace, debug, info, warn, error");
            app->log_level = v;
        } else if (*nrest == 0 &&
                   (strcmp(argv[i], "-V") == 0 || strcmp(argv[i], "--version") == 0)) {
            rest[(*nrest)++] = "version";
        } else if (*nrest == 0 && (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)) {
            print_help();
            return RT_EXIT_OK;
        } else {
            rest[(*nrest)++] = argv[i]; /* a command's own flag; the command judges it */
        }
    }
    return -1;
}

static const rt_command *find_command(const char *name)
{
    for (size_t i = 0; commands[i]; i++)
        if (strcmp(commands[i]->name, name) == 0)
            return commands[i];
    return NULL;
}

static int dispatch(rt_app *app, int nrest, char **rest)
{
    if (nrest == 0) {
        print_help();
        return RT_EXIT_USAGE;
    }
    if (rest[0][0] == '-')
        return rt_usage_error(NULL, "unknown option '%s'", rest[0]);
    if (strcmp(rest[0], "help") == 0) {
        if (nrest == 1) {
            print_help();
            return RT_EXIT_OK;
        }
        const rt_command *c = find_command(rest[1]);
        if (!c)
            return rt_usage_error(NULL, "unknown command '%s'", rest[1]);
        fputs(c->help, stdout);
        return RT_EXIT_OK;
    }
    const rt_command *c = find_command(rest[0]);
    if (!c)
        return rt_usage_error(NULL, "unknown command '%s'", rest[0]);
    if (rt_wants_help(nrest, rest)) {
        fputs(c->help, stdout);
        return RT_EXIT_OK;
    }
    app->internal = strncmp(c->summary, "(internal)", 10) == 0;
    return c->run(app, nrest, rest);
}

int main(int argc, char **argv)
{
    rt_app app;
    memset(&app, 0, sizeof app);
    app.envp = environ;
    app.config_path = getenv("RATCHET_CONFIG");
    if (app.config_path && !*app.config_path)
        app.config_path = NULL;
    app.storage_url = getenv("RATCHET_STORAGE_URL");
    if (app.storage_url && !*app.storage_url)
        app.storage_url = NULL;
    app.storage_url_from = "RATCHET_STORAGE_URL";
    /* The original Ratchet's variable: a PostgreSQL URL in it chooses the storage like
     * RATCHET_STORAGE_URL, which wins when both are set (a sqlite: URL is read as
     * engine.data_dir by the settings: settings_original.c). */
    const char *database_url = getenv("RATCHET_DATABASE_URL");
    if (!app.storage_url && database_url && rt_original_postgres_url(database_url)) {
        app.storage_url = database_url;
        app.storage_url_from = "RATCHET_DATABASE_URL";
    }
    char **rest = calloc((size_t)argc + 1, sizeof *rest);
    if (!rest)
        return RT_EXIT_FAIL;
    int nrest = 0;
    int rc = parse_globals(&app, argc, argv, rest, &nrest);
    if (rc < 0)
        rc = dispatch(&app, nrest, rest);
    rt_app_free(&app);
    free(rest);
    return rc;
}
