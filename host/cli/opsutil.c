/* host/cli/opsutil.c - shared plumbing of the operator commands. */
#include "opsutil.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_layer.h"
#include "engine/engine_layer.h"

int rt_ops_open(rt_app *app, rt_store *st)
{
    int rc = rt_store_open(app, st);
    if (rc == RT_EXIT_OK)
        rc = rt_store_sync_tasks(app, st, NULL);
    if (rc != RT_EXIT_OK)
        rt_store_close(st);
    return rc;
}

static const char *field_str(struct json_object *o, const char *key)
{
    struct json_object *v;
    if (!json_object_object_get_ex(o, key, &v) || !v)
        return "-";
    return json_object_is_type(v, json_type_string)
               ? json_object_get_string(v)
               : json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN);
}

int rt_ops_submit(rt_app *app, rt_store *st, int64_t version_id, struct json_object *inputs,
                  ratchet_priority prio, int64_t at_ms, const char *idempotency_key,
                  const char *meta_json, int max_retries, int wait, int json)
{
    const ratchet_config *engine = rt_settings_section(&app->settings, "engine");
    size_t n = json_object_array_length(inputs);
    ratchet_job_submit *jobs = calloc(n, sizeof *jobs);
    int64_t *ids = calloc(n, sizeof *ids);
    int *existed = calloc(n, sizeof *existed);
    char **traced = calloc(n, sizeof *traced);
    int64_t now_ms = rt_host_api()->now_us() / 1000;
    if (!jobs || !ids || !existed || !traced) {
        free(jobs);
        free(ids);
        free(existed);
        free(traced);
        return rt_cli_fail("out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        ratchet_job_submit *j = &jobs[i];
        j->abi = (ratchet_abi)RATCHET_ABI_INIT(ratchet_job_submit);
        j->task_version_id = version_id;
        j->input_json = json_object_to_json_string_ext(json_object_array_get_idx(inputs, i),
                                                       JSON_C_TO_STRING_PLAIN);
        j->priority = prio;
        j->process_at_ms = at_ms;
        j->max_retries =
            max_retries >= 0 ? max_retries : (int32_t)rt_cfg_int(engine, "max_retries");
        j->retry_base_ms = rt_cfg_int(engine, "retry_base");
        j->retry_max_ms = rt_cfg_int(engine, "retry_max");
        j->idempotency_key = idempotency_key;
        /* Each job a trace of its own (out of memory: the job goes without one). */
        traced[i] = rt_trace_stamp_text(meta_json, now_ms);
        j->meta_json = traced[i] ? traced[i] : meta_json;
    }
    rt_error_clear();
    ratchet_status s = st->vt->job_submit(st->inst, jobs, n, ids, existed);
    for (size_t i = 0; i < n; i++)
        free(traced[i]);
    free(traced);
    int rc = RT_EXIT_OK;
    if (s != RATCHET_OK) {
        rc = rt_store_fail(s, "submitting");
    } else {
        st->vt->notify(st->inst);
        if (wait && n == 1) {
            if (!json)
                fprintf(stderr, "job %lld %s; waiting for it to finish\n", (long long)ids[0],
                        existed[0] ? "already exists (same idempotency key)" : "queued");
            rc = rt_ops_wait_job(st, ids[0], json);
        } else if (json) {
            printf("[");
            for (size_t i = 0; i < n; i++)
                printf("%s{\"id\": %lld, \"existed\": %s}", i ? ", " : "", (long long)ids[i],
                       existed[i] ? "true" : "false");
            printf("]\n");
        } else if (n == 1) {
            printf("job %lld %s\n", (long long)ids[0],
                   existed[0] ? "already exists (same idempotency key)" : "queued");
        } else {
            printf("%zu jobs queued (ids %lld..%lld)\n", n, (long long)ids[0],
                   (long long)ids[n - 1]);
        }
    }
    free(jobs);
    free(ids);
    free(existed);
    return rc;
}

int rt_ops_outputs_meta(const char *cmd, const char *outputs_json, const char *webhook,
                        struct json_object **meta)
{
    *meta = NULL;
    struct json_object *given = NULL;
    if (outputs_json) {
        enum json_tokener_error jerr;
        given = json_tokener_parse_verbose(outputs_json, &jerr);
        if (jerr != json_tokener_success || !json_object_is_type(given, json_type_array)) {
            json_object_put(given);
            return rt_usage_error(cmd, "--outputs expects a JSON array of destinations");
        }
    }
    rt_error err;
    ratchet_status rc = rt_outputs_meta(given, webhook, meta, &err);
    json_object_put(given);
    return rc == RATCHET_OK ? RT_EXIT_OK : rt_usage_error(cmd, "%s", err.msg);
}

void rt_ops_print_json(struct json_object *value)
{
    printf("%s\n",
           json_object_to_json_string_ext(value, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
                                                     JSON_C_TO_STRING_NOSLASHESCAPE));
}

int rt_ops_reply(ratchet_status s, ratchet_buf *out, const char *what, int json,
                 struct json_object **value)
{
    int rc = RT_EXIT_OK;
    *value = NULL;
    if (s != RATCHET_OK)
        rc = rt_store_fail(s, what);
    else if (!(*value = rt_store_json(out, what)))
        rc = RT_EXIT_FAIL;
    else if (json)
        rt_ops_print_json(*value);
    rt_buf_free(out);
    return rc;
}

int rt_ops_print_record(const ratchet_buf *record, int json, const char *what)
{
    struct json_object *o = rt_store_json(record, what);
    if (!o)
        return RT_EXIT_FAIL;
    if (json) {
        rt_ops_print_json(o);
    } else {
        json_object_object_foreach(o, key, val)
        {
            const char *text = !val ? "null"
                               : json_object_is_type(val, json_type_string)
                                   ? json_object_get_string(val)
                                   : json_object_to_json_string_ext(val, JSON_C_TO_STRING_PLAIN);
            printf("%-16s %s\n", key, text);
        }
    }
    json_object_put(o);
    return RT_EXIT_OK;
}

static int list_args(int argc, char **argv, const char *cmd, rt_ops_list_kind kind,
                     struct json_object *filter, int *json)
{
    *json = 0;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        const char *key = strcmp(a, "--status") == 0                             ? "status"
                          : strcmp(a, "--task") == 0                             ? "taskName"
                          : strcmp(a, "--trace") == 0 && kind == RT_OPS_JOBS     ? "traceId"
                          : strcmp(a, "--job") == 0 && kind == RT_OPS_EXECUTIONS ? "jobId"
                          : strcmp(a, "--limit") == 0                            ? "limit"
                          : strcmp(a, "--offset") == 0                           ? "offset"
                                                                                 : NULL;
        if (strcmp(a, "--json") == 0) {
            *json = 1;
            continue;
        }
        if (!key)
            return rt_usage_error(cmd, "unknown option '%s' for %s list", a, cmd);
        if (i + 1 >= argc)
            return rt_usage_error(cmd, "%s needs a value", a);
        const char *v = argv[++i];
        if (strcmp(key, "traceId") == 0) { /* not a legacy key: a condition of the query form */
            struct json_object *where = json_object_new_array(), *c = json_object_new_object();
            json_object_object_add(c, "field", json_object_new_string("traceId"));
            json_object_object_add(c, "op", json_object_new_string("eq"));
            json_object_object_add(c, "value", json_object_new_string(v));
            json_object_array_add(where, c);
            json_object_object_add(filter, "where", where);
            continue;
        }
        if (strcmp(key, "status") == 0 || strcmp(key, "taskName") == 0) {
            json_object_object_add(filter, key, json_object_new_string(v));
            continue;
        }
        char *end;
        errno = 0;
        long long n = strtoll(v, &end, 10);
        if (errno || *end || n < 0)
            return rt_usage_error(cmd, "%s expects a number, got '%s'", a, v);
        json_object_object_add(filter, key, json_object_new_int64(n));
    }
    return -1;
}

static void print_row(struct json_object *item, rt_ops_list_kind kind)
{
    if (kind == RT_OPS_JOBS)
        printf("%-8s %-10s %-8s %-24s %-7s %s\n", field_str(item, "id"), field_str(item, "status"),
               field_str(item, "priority"), field_str(item, "taskName"),
               field_str(item, "retryCount"), field_str(item, "queuedAt"));
    else
        printf("%-8s %-8s %-10s %-24s %-8s %s\n", field_str(item, "id"), field_str(item, "jobId"),
               field_str(item, "status"), field_str(item, "taskName"),
               field_str(item, "durationMs"), field_str(item, "startedAt"));
}

int rt_ops_list(rt_app *app, int argc, char **argv, const char *cmd, rt_ops_list_kind kind)
{
    struct json_object *filter = json_object_new_object();
    int json;
    int rc = list_args(argc, argv, cmd, kind, filter, &json);
    if (rc >= 0) {
        json_object_put(filter);
        return rc;
    }
    rt_store st;
    if ((rc = rt_ops_open(app, &st)) != RT_EXIT_OK) {
        json_object_put(filter);
        return rc;
    }
    ratchet_buf out = RATCHET_BUF_INIT;
    const char *f = json_object_to_json_string_ext(filter, JSON_C_TO_STRING_PLAIN);
    rt_error_clear();
    ratchet_status s = kind == RT_OPS_JOBS ? st.vt->job_list(st.inst, f, &out)
                                           : st.vt->execution_list(st.inst, f, &out);
    struct json_object *list = NULL, *items = NULL;
    rc = rt_ops_reply(s, &out, cmd, json, &list);
    if (rc == RT_EXIT_OK && !json && json_object_object_get_ex(list, "items", &items)) {
        if (kind == RT_OPS_JOBS)
            printf("%-8s %-10s %-8s %-24s %-7s %s\n", "ID", "STATUS", "PRIORITY", "TASK", "RETRIES",
                   "QUEUED");
        else
            printf("%-8s %-8s %-10s %-24s %-8s %s\n", "ID", "JOB", "STATUS", "TASK", "MS",
                   "STARTED");
        for (size_t i = 0; i < json_object_array_length(items); i++)
            print_row(json_object_array_get_idx(items, i), kind);
        printf("(%zu of %s)\n", json_object_array_length(items), field_str(list, "total"));
    }
    json_object_put(list);
    json_object_put(filter);
    rt_store_close(&st);
    return rc;
}
