/* host/cli/cmd_logs.c - `ratchet logs search`: the console lines and fetch calls of executions
 * and the server's own events kept in storage (engine/analysis.h rt_logs_search, the same
 * search as GET /api/v1/logs/search). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "core/core_layer.h"
#include "engine/engine_layer.h"
#include "opsutil.h"

#define LOGS_USAGE                                                                                 \
    "usage: ratchet logs search [--level L] [--since T] [--until T] [--text S] [--trace ID] "      \
    "[--task NAME] [--execution ID] [--job ID] [--source all|execution|server] [--limit N] "       \
    "[--json]"

/* The flags that take a value, the search member each sets, and whether it is a number. */
static const struct {
    const char *flag, *member;
    int number;
} flags[] = {
    {"--level", "level", 0},           {"--since", "since", 0},
    {"--until", "until", 0},           {"--text", "text", 0},
    {"--trace", "traceId", 0},         {"--task", "taskName", 0},
    {"--execution", "executionId", 1}, {"--job", "jobId", 1},
    {"--source", "source", 0},         {"--limit", "limit", 1},
};

/* The search object from the flags; NULL after printing a usage error (*rc). */
static struct json_object *search_of(int argc, char **argv, int *json, int *rc)
{
    struct json_object *q = json_object_new_object();
    for (int i = 2; i < argc; i++) {
        size_t k = 0;
        while (k < sizeof flags / sizeof *flags && strcmp(argv[i], flags[k].flag) != 0)
            k++;
        if (strcmp(argv[i], "--json") == 0) {
            *json = 1;
            continue;
        }
        if (k == sizeof flags / sizeof *flags || i + 1 >= argc) {
            json_object_put(q);
            *rc = rt_usage_error("logs", "unexpected argument '%s'; " LOGS_USAGE, argv[i]);
            return NULL;
        }
        const char *v = argv[++i];
        char *end = NULL;
        long long n = flags[k].number ? strtoll(v, &end, 10) : 0;
        if (strcmp(flags[k].member, "level") == 0 && rt_pattern_level(v) < 0) {
            json_object_put(q);
            *rc = rt_usage_error("logs", "--level: expected trace|debug|info|warn|error, got '%s'",
                                 v);
            return NULL;
        }
        if (flags[k].number && (!*v || *end || n <= 0)) {
            json_object_put(q);
            *rc = rt_usage_error("logs", "%s: expected a positive number, got '%s'", flags[k].flag,
                                 v);
            return NULL;
        }
        json_object_object_add(q, flags[k].member,
                               flags[k].number ? json_object_new_int64(n)
                                               : json_object_new_string(v));
    }
    return q;
}

static const char *text_of(struct json_object *o, const char *key)
{
    struct json_object *v = NULL;
    return json_object_object_get_ex(o, key, &v) && v ? json_object_get_string(v) : NULL;
}

/* One event as a line: TIME LEVEL WHERE message (or METHOD URL -> STATUS (MS ms)). */
static void print_event(struct json_object *e)
{
    const char *task = text_of(e, "taskName"), *exec = text_of(e, "executionId");
    char where[160];
    if (exec)
        snprintf(where, sizeof where, "%s#%s", task ? task : "?", exec);
    else
        snprintf(where, sizeof where, "%s", text_of(e, "source") ? text_of(e, "source") : "?");
    const char *kind = text_of(e, "kind");
    printf("%-24s %-5s %-24s ", text_of(e, "time") ? text_of(e, "time") : "", text_of(e, "level"),
           where);
    if (kind && strcmp(kind, "fetch") == 0)
        printf("%s %s -> %s (%s ms)\n", text_of(e, "method"), text_of(e, "url"),
               text_of(e, "status") ? text_of(e, "status") : "no answer",
               text_of(e, "durationMs") ? text_of(e, "durationMs") : "?");
    else
        printf("%s\n", text_of(e, "message") ? text_of(e, "message") : "");
}

static int logs_search(rt_app *app, int argc, char **argv)
{
    int json = 0, rc = RT_EXIT_OK;
    struct json_object *q = search_of(argc, argv, &json, &rc);
    if (!q)
        return rc;
    rt_store st;
    if ((rc = rt_ops_open(app, &st)) != RT_EXIT_OK) {
        json_object_put(q);
        return rc;
    }
    ratchet_buf out = RATCHET_BUF_INIT;
    ratchet_status s = rt_logs_search(st.vt, st.inst, json_object_to_json_string(q), &out);
    struct json_object *r = json_tokener_parse(out.data ? out.data : "");
    if (s != RATCHET_OK) {
        const char *msg = text_of(r, "message"), *code = text_of(r, "code");
        int usage = code && strcmp(code, "VALIDATION_ERROR") == 0;
        rc = usage ? rt_usage_error("logs", "%s", msg ? msg : "bad search")
                   : (fprintf(stderr, "ratchet: logs search: %s\n", msg ? msg : "failed"),
                      RT_EXIT_FAIL);
    } else if (json) {
        rt_ops_print_json(r);
    } else {
        struct json_object *items = NULL;
        json_object_object_get_ex(r, "items", &items);
        for (size_t i = json_object_array_length(items); i-- > 0;) /* oldest first on screen */
            print_event(json_object_array_get_idx(items, i));
        printf("(%zu of %s shown, the newest last)\n", json_object_array_length(items),
               text_of(r, "total") ? text_of(r, "total") : "0");
    }
    json_object_put(r);
    json_object_put(q);
    rt_buf_free(&out);
    rt_store_close(&st);
    return rc;
}

static int logs_run(rt_app *app, int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "search") == 0)
        return logs_search(app, argc, argv);
    return rt_usage_error("logs", LOGS_USAGE);
}

const rt_command rt_cmd_logs = {
    "logs",
    "Search the executions' console lines and fetch calls and the server's own log events",
    "Usage: ratchet logs search [--level L] [--since T] [--until T] [--text S] [--trace ID]\n"
    "                           [--task NAME] [--execution ID] [--job ID]\n"
    "                           [--source all|execution|server] [--limit N] [--json]\n\n"
    "Finds log events kept in the engine's storage: every execution's console lines and fetch\n"
    "calls, and the events `serve` logged (kept up to 100000, pruned with finished jobs).\n"
    "--level is the lowest level shown (a fetch that failed or got a status >= 400 counts as\n"
    "error); --since/--until take RFC 3339, milliseconds or a duration meaning that long ago\n"
    "(--since 2h); --text is a case-insensitive substring of the message or URL. Newest 100\n"
    "(--limit, up to 1000), printed oldest first; --json prints the storage's {items, total}.\n",
    logs_run,
};
