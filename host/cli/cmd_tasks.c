/* host/cli/cmd_tasks.c - `ratchet tasks list|show|sync` and `ratchet executions list|show`. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "core/core_layer.h"
#include "opsutil.h"

static int tasks_list(rt_app *app, int json)
{
    rt_store st;
    int rc = rt_ops_open(app, &st);
    if (rc != RT_EXIT_OK)
        return rc;
    ratchet_buf out = RATCHET_BUF_INIT;
    rt_error_clear();
    struct json_object *tasks = NULL;
    rc = rt_ops_reply(st.vt->task_list(st.inst, &out), &out, "tasks", json, &tasks);
    if (rc == RT_EXIT_OK && !json) {
        printf("%-24s %-10s %-8s %s\n", "NAME", "LATEST", "VERSIONS", "DESCRIPTION");
        for (size_t i = 0; i < json_object_array_length(tasks); i++) {
            struct json_object *t = json_object_array_get_idx(tasks, i), *v;
            const char *name = "", *latest = "", *desc = "";
            size_t nv = 0;
            if (json_object_object_get_ex(t, "name", &v))
                name = json_object_get_string(v);
            if (json_object_object_get_ex(t, "latestVersion", &v))
                latest = json_object_get_string(v);
            if (json_object_object_get_ex(t, "description", &v) && v)
                desc = json_object_get_string(v);
            if (json_object_object_get_ex(t, "versions", &v))
                nv = json_object_array_length(v);
            printf("%-24s %-10s %-8zu %s\n", name, latest, nv, desc);
        }
    }
    json_object_put(tasks);
    rt_store_close(&st);
    return rc;
}

static int tasks_show(rt_app *app, const char *name, const char *version, int json)
{
    rt_store st;
    int rc = rt_ops_open(app, &st);
    if (rc != RT_EXIT_OK)
        return rc;
    int64_t id;
    struct json_object *rec = NULL;
    rc = rt_store_find_task(&st, name, version, &id, &rec);
    struct json_object *src, *reload_error;
    /* serve could not reload the folder this version came from: say why (reload.h). */
    if (rc == RT_EXIT_OK && json_object_object_get_ex(rec, "source", &src) &&
        (reload_error = rt_task_errors_get(app, json_object_get_string(src))))
        json_object_object_add(rec, "lastReloadError", reload_error);
    if (rc == RT_EXIT_OK) {
        const char *text =
            json_object_to_json_string_ext(rec, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
                                                    JSON_C_TO_STRING_NOSLASHESCAPE);
        ratchet_buf b = RATCHET_BUF_INIT;
        rt_buf_puts(&b, text);
        rc = rt_ops_print_record(&b, json, name);
        rt_buf_free(&b);
    }
    json_object_put(rec);
    rt_store_close(&st);
    return rc;
}

/* One line per added, updated and failed task, then the counts. */
static void print_summary(struct json_object *sum)
{
    static const char *const kinds[] = {"added", "updated"};
    struct json_object *list, *v;
    size_t count[2] = {0, 0}, nerrors = 0;
    for (int k = 0; k < 2; k++)
        if (json_object_object_get_ex(sum, kinds[k], &list)) {
            count[k] = json_object_array_length(list);
            for (size_t i = 0; i < count[k]; i++) {
                struct json_object *e = json_object_array_get_idx(list, i), *n, *ver;
                json_object_object_get_ex(e, "name", &n);
                json_object_object_get_ex(e, "version", &ver);
                printf("%-9s %s %s\n", kinds[k], json_object_get_string(n),
                       json_object_get_string(ver));
            }
        }
    if (json_object_object_get_ex(sum, "errors", &list)) {
        nerrors = json_object_array_length(list);
        for (size_t i = 0; i < nerrors; i++) {
            json_object_object_get_ex(json_object_array_get_idx(list, i), "message", &v);
            printf("%-9s %s\n", "failed", json_object_get_string(v));
        }
    }
    json_object_object_get_ex(sum, "unchanged", &v);
    printf("%zu added, %zu updated, %lld unchanged, %zu failed\n", count[0], count[1],
           (long long)json_object_get_int64(v), nerrors);
}

static int tasks_sync(rt_app *app, int json)
{
    rt_store st;
    int rc = rt_store_open(app, &st);
    struct json_object *sum = rc == RT_EXIT_OK ? rt_store_sync_summary(app, &st) : NULL;
    if (rc == RT_EXIT_OK && !sum)
        rc = rt_store_fail(RATCHET_ERR, "listing tasks");
    if (sum) {
        if (json)
            rt_ops_print_json(sum);
        else
            print_summary(sum);
        struct json_object *errors;
        if (json_object_object_get_ex(sum, "errors", &errors) &&
            json_object_array_length(errors) > 0)
            rc = RT_EXIT_FAIL;
    }
    json_object_put(sum);
    rt_store_close(&st);
    return rc;
}

static int tasks_run(rt_app *app, int argc, char **argv)
{
    int json = 0;
    const char *pos[2] = {NULL, NULL};
    int npos = 0;
    const char *version = NULL;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0)
            json = 1;
        else if (strcmp(argv[i], "--version") == 0 && i + 1 < argc)
            version = argv[++i];
        else if (argv[i][0] != '-' && npos < 2)
            pos[npos++] = argv[i];
        else
            return rt_usage_error("tasks", "unexpected argument '%s'", argv[i]);
    }
    if (argc >= 2 && strcmp(argv[1], "list") == 0 && npos == 0 && !version)
        return tasks_list(app, json);
    if (argc >= 2 && strcmp(argv[1], "show") == 0 && npos == 1)
        return tasks_show(app, pos[0], version, json);
    if (argc >= 2 && strcmp(argv[1], "sync") == 0 && npos == 0 && !version)
        return tasks_sync(app, json);
    return rt_usage_error("tasks", "usage: ratchet tasks list [--json] | tasks show NAME "
                                   "[--version V] [--json] | tasks sync [--json]");
}

const rt_command rt_cmd_tasks = {
    "tasks",
    "List the stored tasks or show one version",
    "Usage: ratchet tasks list [--json]\n"
    "       ratchet tasks show NAME [--version V] [--json]\n"
    "       ratchet tasks sync [--json]\n\n"
    "The tasks in the engine's storage, with their versions. Tasks are stored from\n"
    "engine.tasks and --tasks PATH (folders, .zip files, collections) by `serve` and by every\n"
    "operator command; a version is never replaced by different content (a task folder\n"
    "edited in place under the same version is stored as the revision VERSION+rN).\n"
    "`tasks sync` loads every source, fetching the http registries of registry.sources now,\n"
    "and reports the tasks added, updated (a new version), unchanged and failed; it exits 1\n"
    "when one failed (an unreachable registry too: its last good versions stay). `tasks show`\n"
    "prints the error of the last reload `serve` could not do for the task's folder\n"
    "(lastReloadError).\n",
    tasks_run,
};

static int executions_run(rt_app *app, int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "list") == 0)
        return rt_ops_list(app, argc, argv, "executions", RT_OPS_EXECUTIONS);
    if (argc >= 2 && strcmp(argv[1], "analyze") == 0)
        return rt_executions_analyze(app, argc, argv);
    if (argc < 3 || strcmp(argv[1], "show") != 0)
        return rt_usage_error("executions", "usage: ratchet executions list [...] | executions "
                                            "show ID [--json] | executions analyze ID [...]");
    int json = argc == 4 && strcmp(argv[3], "--json") == 0;
    char *end;
    errno = 0;
    long long id = strtoll(argv[2], &end, 10);
    if (errno || *end || id <= 0 || (argc == 4 && !json) || argc > 4)
        return rt_usage_error("executions", "usage: ratchet executions show ID [--json]");
    rt_store st;
    int rc = rt_ops_open(app, &st);
    if (rc != RT_EXIT_OK)
        return rc;
    ratchet_buf out = RATCHET_BUF_INIT;
    rt_error_clear();
    ratchet_status s = st.vt->execution_get(st.inst, id, &out);
    char what[64];
    snprintf(what, sizeof what, "execution %lld", id);
    rc = s != RATCHET_OK ? rt_store_fail(s, what) : rt_ops_print_record(&out, json, what);
    rt_buf_free(&out);
    rt_store_close(&st);
    return rc;
}

const rt_command rt_cmd_executions = {
    "executions",
    "List or show task executions (input, output, error, logs, HTTP calls)",
    "Usage: ratchet executions list [--status S] [--task NAME] [--job ID] [--limit N] [--json]\n"
    "       ratchet executions show ID [--json]\n"
    "       ratchet executions analyze ID [--format markdown|json] [--max-tokens N]\n\n"
    "`analyze` writes the error report of a failed execution for a person or an LLM: summary,\n"
    "error with the stack in main.js's own lines, context (attempt, retries, input with\n"
    "secrets masked), the matched error patterns and their suggestions, the system state at\n"
    "the failure, suggested prompts and the related console lines and fetch calls. It is cut\n"
    "to --max-tokens (default 8000, estimated as characters / 4) by dropping the least useful\n"
    "parts first (README: Error analysis).\n",
    executions_run,
};
