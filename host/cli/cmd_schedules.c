/* host/cli/cmd_schedules.c - `ratchet schedules add|list|enable|disable|remove`. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "core/core_layer.h"
#include "engine/engine_layer.h"
#include "opsutil.h"
#include "task/task_layer.h"

/* The next fire time (ms) of `expr` in zone `zone` after now; prints errors. */
static int next_fire(const char *expr, const char *zone, int64_t *next_ms)
{
    rt_error err;
    if (rt_schedule_next_fire(expr, zone, rt_host_api()->now_us() / 1000, next_ms, &err) !=
        RATCHET_OK)
        return rt_cli_fail("%s", err.msg);
    return RT_EXIT_OK;
}

/* On stderr: how cronie reads `expr` differently, when it does (cron.h, "Days"). */
static void warn_other_crons(const char *expr, const char *zone)
{
    char *w = rt_cron_compat_warning_for(expr, zone, rt_host_api()->now_us() / 1000000);
    if (w)
        fprintf(stderr, "ratchet: warning: %s\n", w);
    free(w);
}

/* `schedules check --cron EXPR [--timezone ZONE]`: is it valid, when does it fire. */
static int schedules_check(int argc, char **argv)
{
    const char *expr = NULL, *zone = "UTC";
    for (int i = 2; i < argc; i++) {
        if ((strcmp(argv[i], "--cron") == 0 || strcmp(argv[i], "--timezone") == 0) &&
            i + 1 < argc) {
            *(strcmp(argv[i], "--cron") == 0 ? &expr : &zone) = argv[i + 1];
            i++;
        } else {
            return rt_usage_error("schedules", "schedules check takes --cron EXPR [--timezone Z]");
        }
    }
    if (!expr)
        return rt_usage_error("schedules", "schedules check needs --cron");
    int64_t now = rt_host_api()->now_us() / 1000, t = now, next;
    rt_error err;
    for (int i = 0; i < 5; i++) {
        if (rt_schedule_next_fire(expr, zone, t, &next, &err) != RATCHET_OK) {
            if (i == 0)
                return rt_cli_fail("%s", err.msg);
            break;
        }
        ratchet_buf at = RATCHET_BUF_INIT;
        rt_buf_time_iso8601(&at, next * 1000);
        printf("%s\n", at.data ? at.data : "");
        rt_buf_free(&at);
        t = next;
    }
    warn_other_crons(expr, zone);
    return RT_EXIT_OK;
}

typedef struct add_opts {
    const char *name, *task, *version, *cron, *timezone, *input_json, *outputs, *webhook;
    int disabled;
} add_opts;

static int add_parse(int argc, char **argv, add_opts *o)
{
    memset(o, 0, sizeof *o);
    o->timezone = "UTC";
    o->input_json = "{}";
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        const char **slot = strcmp(a, "--name") == 0         ? &o->name
                            : strcmp(a, "--task") == 0       ? &o->task
                            : strcmp(a, "--version") == 0    ? &o->version
                            : strcmp(a, "--cron") == 0       ? &o->cron
                            : strcmp(a, "--timezone") == 0   ? &o->timezone
                            : strcmp(a, "--input-json") == 0 ? &o->input_json
                            : strcmp(a, "--outputs") == 0    ? &o->outputs
                            : strcmp(a, "--webhook") == 0    ? &o->webhook
                                                             : NULL;
        if (strcmp(a, "--disabled") == 0) {
            o->disabled = 1;
        } else if (!slot) {
            return rt_usage_error("schedules", "unknown option '%s' for schedules add", a);
        } else if (i + 1 >= argc) {
            return rt_usage_error("schedules", "%s needs a value", a);
        } else {
            *slot = argv[++i];
        }
    }
    if (!o->name || !o->task || !o->cron)
        return rt_usage_error("schedules", "schedules add needs --name, --task and --cron");
    return -1;
}

static int schedules_add(rt_app *app, int argc, char **argv)
{
    add_opts o;
    int rc = add_parse(argc, argv, &o);
    if (rc >= 0)
        return rc;
    int64_t next_ms;
    if ((rc = next_fire(o.cron, o.timezone, &next_ms)) != RT_EXIT_OK)
        return rc;
    warn_other_crons(o.cron, o.timezone);
    struct json_object *meta = NULL;
    if ((rc = rt_ops_outputs_meta("schedules", o.outputs, o.webhook, &meta)) != RT_EXIT_OK)
        return rc;
    enum json_tokener_error jerr;
    struct json_object *input = json_tokener_parse_verbose(o.input_json, &jerr);
    if (jerr != json_tokener_success)
        return rt_cli_fail("--input-json: not valid JSON: %s", json_tokener_error_desc(jerr));
    rt_store st;
    if ((rc = rt_ops_open(app, &st)) != RT_EXIT_OK) {
        json_object_put(input);
        return rc;
    }
    int64_t vid;
    struct json_object *version = NULL, *schema = NULL;
    rc = rt_store_find_task(&st, o.task, o.version, &vid, &version);
    ratchet_buf why = RATCHET_BUF_INIT;
    if (rc == RT_EXIT_OK && rt_json_unsafe_int(o.input_json, strlen(o.input_json), &why))
        rc = rt_cli_fail("--input-json: input invalid: %s", why.data);
    else if (rc == RT_EXIT_OK && json_object_object_get_ex(version, "inputSchema", &schema) &&
             rt_schema_check(schema, input, "the input schema", &why) != 0)
        rc = rt_cli_fail("--input-json: input invalid: %s", why.data ? why.data : "");
    if (rc == RT_EXIT_OK) {
        struct json_object *rec = json_object_new_object();
        json_object_object_add(rec, "name", json_object_new_string(o.name));
        json_object_object_add(rec, "taskName", json_object_new_string(o.task));
        json_object_object_add(rec, "taskVersion",
                               o.version ? json_object_new_string(o.version) : NULL);
        json_object_object_add(rec, "cron", json_object_new_string(o.cron));
        json_object_object_add(rec, "timezone", json_object_new_string(o.timezone));
        json_object_object_add(rec, "input", json_object_get(input));
        json_object_object_add(rec, "enabled", json_object_new_boolean(!o.disabled));
        json_object_object_add(rec, "meta", json_object_get(meta));
        json_object_object_add(rec, "catchUp",
                               json_object_new_string(rt_cfg_string(
                                   rt_settings_section(&app->settings, "engine"), "catch_up")));
        ratchet_buf at = RATCHET_BUF_INIT;
        rt_buf_time_iso8601(&at, next_ms * 1000);
        json_object_object_add(rec, "nextRunAt", json_object_new_string(at.data));
        int64_t id;
        rt_error_clear();
        ratchet_status s = st.vt->schedule_add(
            st.inst, json_object_to_json_string_ext(rec, JSON_C_TO_STRING_PLAIN), &id);
        if (s != RATCHET_OK) {
            rc = rt_store_fail(s, o.name);
        } else {
            st.vt->notify(st.inst);
            printf("schedule %lld '%s' added; next run %s (%s)\n", (long long)id, o.name, at.data,
                   o.disabled ? "disabled" : "enabled");
        }
        rt_buf_free(&at);
        json_object_put(rec);
    }
    rt_buf_free(&why);
    json_object_put(meta);
    json_object_put(version);
    json_object_put(input);
    rt_store_close(&st);
    return rc;
}

static const char *str_of(struct json_object *o, const char *key)
{
    struct json_object *v;
    if (!json_object_object_get_ex(o, key, &v) || !v)
        return "-";
    return json_object_get_string(v);
}

static int schedules_list(rt_app *app, int json)
{
    rt_store st;
    int rc = rt_ops_open(app, &st);
    if (rc != RT_EXIT_OK)
        return rc;
    ratchet_buf out = RATCHET_BUF_INIT;
    rt_error_clear();
    struct json_object *list = NULL;
    rc = rt_ops_reply(st.vt->schedule_list(st.inst, &out), &out, "schedules", json, &list);
    if (rc == RT_EXIT_OK && !json) {
        printf("%-6s %-20s %-18s %-18s %-16s %-8s %s\n", "ID", "NAME", "TASK", "CRON", "TIMEZONE",
               "ENABLED", "NEXT RUN");
        for (size_t i = 0; i < json_object_array_length(list); i++) {
            struct json_object *e = json_object_array_get_idx(list, i);
            printf("%-6s %-20s %-18s %-18s %-16s %-8s %s\n", str_of(e, "id"), str_of(e, "name"),
                   str_of(e, "taskName"), str_of(e, "cron"), str_of(e, "timezone"),
                   str_of(e, "enabled"), str_of(e, "nextRunAt"));
        }
    }
    json_object_put(list);
    rt_store_close(&st);
    return rc;
}

/* enable/disable/remove ID: enabling recomputes the next run from now. */
static int schedules_one(rt_app *app, const char *sub, const char *idtext)
{
    char *end;
    errno = 0;
    long long id = strtoll(idtext, &end, 10);
    if (errno || *end || id <= 0)
        return rt_usage_error("schedules", "usage: ratchet schedules %s ID", sub);
    rt_store st;
    int rc = rt_ops_open(app, &st);
    if (rc != RT_EXIT_OK)
        return rc;
    char what[64];
    snprintf(what, sizeof what, "schedule %lld", id);
    ratchet_status s = RATCHET_OK;
    rt_error_clear();
    if (strcmp(sub, "remove") == 0) {
        s = st.vt->schedule_remove(st.inst, id);
    } else if (strcmp(sub, "disable") == 0) {
        s = st.vt->schedule_set_enabled(st.inst, id, 0, 0);
    } else {
        ratchet_buf out = RATCHET_BUF_INIT;
        struct json_object *list = NULL, *found = NULL;
        s = st.vt->schedule_list(st.inst, &out);
        if (s == RATCHET_OK && (list = rt_store_json(&out, "schedules")) != NULL)
            for (size_t i = 0; i < json_object_array_length(list); i++) {
                struct json_object *e = json_object_array_get_idx(list, i), *v;
                if (json_object_object_get_ex(e, "id", &v) && json_object_get_int64(v) == id)
                    found = e;
            }
        int64_t next_ms = 0;
        if (s == RATCHET_OK && !found)
            s = RATCHET_NOTFOUND;
        else if (found && next_fire(str_of(found, "cron"), str_of(found, "timezone"), &next_ms) !=
                              RT_EXIT_OK)
            rc = RT_EXIT_FAIL;
        else if (found)
            s = st.vt->schedule_set_enabled(st.inst, id, 1, next_ms);
        json_object_put(list);
        rt_buf_free(&out);
    }
    if (rc == RT_EXIT_OK && s != RATCHET_OK)
        rc = rt_store_fail(s, what);
    else if (rc == RT_EXIT_OK) {
        st.vt->notify(st.inst);
        printf("%s %sd\n", what, sub);
    }
    rt_store_close(&st);
    return rc;
}

static int schedules_run(rt_app *app, int argc, char **argv)
{
    const char *sub = argc >= 2 ? argv[1] : "";
    if (strcmp(sub, "add") == 0)
        return schedules_add(app, argc, argv);
    if (strcmp(sub, "check") == 0)
        return schedules_check(argc, argv);
    if (strcmp(sub, "list") == 0 && (argc == 2 || (argc == 3 && strcmp(argv[2], "--json") == 0)))
        return schedules_list(app, argc == 3);
    if ((strcmp(sub, "enable") == 0 || strcmp(sub, "disable") == 0 || strcmp(sub, "remove") == 0) &&
        argc == 3)
        return schedules_one(app, sub, argv[2]);
    return rt_usage_error("schedules",
                          "expected add, check, list, enable ID, disable ID or remove ID");
}

const rt_command rt_cmd_schedules = {
    "schedules",
    "Add, check, list, enable, disable or remove cron schedules",
    "Usage: ratchet schedules add --name N --task T [--version V] --cron EXPR\n"
    "                             [--timezone ZONE] [--input-json JSON] [--disabled]\n"
    "                             [--webhook URL] [--outputs JSON]   (see jobs --help)\n"
    "       ratchet schedules check --cron EXPR [--timezone ZONE]\n"
    "       ratchet schedules list [--json]\n"
    "       ratchet schedules enable|disable|remove ID\n\n"
    "EXPR is a cron expression: 5 fields (min hour dom month dow), or the original Ratchet's\n"
    "6/7 fields with seconds first (sec min hour dom month dow [year]), or @yearly, @monthly,\n"
    "@weekly, @daily, @hourly. ZONE is an IANA time zone (default UTC); times are read on that\n"
    "zone's wall clock. On the day clocks go forward, a fire time that does not exist happens\n"
    "once at the end of the gap; on the day they go back, a fixed time fires once. `ratchet\n"
    "serve` fires due schedules; after downtime a missed fire runs once (engine.catch_up).\n\n"
    "`check` prints the next five fire times (UTC) of EXPR without storing anything. A day\n"
    "field written with a leading `*` beside a restricted one (`0 0 */2 * MON`) means \"either\n"
    "day field matches\" here but \"both\" in cronie and Vixie cron: `add` and `check` warn\n"
    "on stderr, giving both readings with their next fire times.\n",
    schedules_run,
};
