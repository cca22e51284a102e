/* host/cli/cmd_jobs.c - `ratchet jobs submit|list|show|cancel|retry` on the engine's storage. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "core/core_layer.h"
#include "opsutil.h"
#include "task/task_layer.h"
#include "engine/engine_layer.h"

#define RT_BATCH_MAX 100000

typedef struct submit_opts {
    const char *task, *version, *input_json, *priority, *at, *key, *batch, *outputs, *webhook,
        *max_retries;
    int wait, json;
} submit_opts;

/* One input line of --batch, or --input-json: parsed, checked against the input schema. */
static struct json_object *checked_input(const char *text, struct json_object *schema,
                                         const char *where)
{
    enum json_tokener_error jerr;
    struct json_object *v = json_tokener_parse_verbose(text, &jerr);
    if (jerr != json_tokener_success) {
        rt_cli_fail("%s: not valid JSON: %s", where, json_tokener_error_desc(jerr));
        return NULL;
    }
    ratchet_buf why = RATCHET_BUF_INIT;
    if (rt_json_unsafe_int(text, strlen(text), &why) ||
        rt_schema_check(schema, v, "the input schema", &why) != 0) {
        rt_cli_fail("%s: input invalid: %s", where, why.data ? why.data : "");
        json_object_put(v);
        v = NULL;
    }
    rt_buf_free(&why);
    return v;
}

/* Read --batch FILE: one JSON input per line (blank lines skipped). */
static int read_batch(const char *file, struct json_object *schema, struct json_object *inputs)
{
    FILE *f = strcmp(file, "-") == 0 ? stdin : fopen(file, "r");
    if (!f)
        return rt_cli_fail("cannot read %s: %s", file, strerror(errno));
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    size_t lineno = 0;
    int rc = RT_EXIT_OK;
    while (rc == RT_EXIT_OK && (len = getline(&line, &cap, f)) >= 0) {
        lineno++;
        while (len > 0 && isspace((unsigned char)line[len - 1]))
            line[--len] = '\0';
        if (len == 0)
            continue;
        if (json_object_array_length(inputs) >= RT_BATCH_MAX) {
            rc = rt_cli_fail("%s: more than %d jobs in one batch", file, RT_BATCH_MAX);
            break;
        }
        char where[4200];
        snprintf(where, sizeof where, "%s:%zu", file, lineno);
        struct json_object *v = checked_input(line, schema, where);
        if (!v)
            rc = RT_EXIT_FAIL;
        else
            json_object_array_add(inputs, v);
    }
    free(line);
    if (f != stdin)
        fclose(f);
    return rc;
}

static int submit_parse(int argc, char **argv, submit_opts *o)
{
    memset(o, 0, sizeof *o);
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        const char **slot = strcmp(a, "--task") == 0              ? &o->task
                            : strcmp(a, "--version") == 0         ? &o->version
                            : strcmp(a, "--input-json") == 0      ? &o->input_json
                            : strcmp(a, "--priority") == 0        ? &o->priority
                            : strcmp(a, "--at") == 0              ? &o->at
                            : strcmp(a, "--idempotency-key") == 0 ? &o->key
                            : strcmp(a, "--batch") == 0           ? &o->batch
                            : strcmp(a, "--outputs") == 0         ? &o->outputs
                            : strcmp(a, "--webhook") == 0         ? &o->webhook
                            : strcmp(a, "--max-retries") == 0     ? &o->max_retries
                                                                  : NULL;
        if (slot) {
            if (i + 1 >= argc)
                return rt_usage_error("jobs", "%s needs a value", a);
            *slot = argv[++i];
        } else if (strcmp(a, "--wait") == 0) {
            o->wait = 1;
        } else if (strcmp(a, "--json") == 0) {
            o->json = 1;
        } else {
            return rt_usage_error("jobs", "unknown option '%s' for jobs submit", a);
        }
    }
    if (!o->task)
        return rt_usage_error("jobs", "jobs submit needs --task NAME");
    if (!!o->input_json + !!o->batch != 1)
        return rt_usage_error("jobs", "jobs submit needs --input-json JSON or --batch FILE");
    if (o->batch && (o->key || o->wait))
        return rt_usage_error("jobs", "--batch does not combine with --idempotency-key or --wait");
    return -1;
}

static int jobs_submit(rt_app *app, int argc, char **argv)
{
    submit_opts o;
    int rc = submit_parse(argc, argv, &o);
    if (rc >= 0)
        return rc;
    ratchet_priority prio = RATCHET_PRIORITY_NORMAL;
    if (o.priority && rt_priority_parse(o.priority, &prio) != 0)
        return rt_usage_error("jobs", "--priority must be low, normal, high or urgent, got '%s'",
                              o.priority);
    int64_t at_ms = 0;
    if (o.at && rt_schedule_parse_time(o.at, &at_ms) != 0)
        return rt_usage_error("jobs",
                              "--at expects a time such as 2026-12-01T09:00:00Z or +10m, "
                              "got '%s'",
                              o.at);
    int retries = -1;
    if (o.max_retries) {
        char *end;
        long v = strtol(o.max_retries, &end, 10);
        if (*end || end == o.max_retries || v < 0 || v > 100)
            return rt_usage_error("jobs", "--max-retries expects 0 to 100, got '%s'",
                                  o.max_retries);
        retries = (int)v;
    }
    struct json_object *meta = NULL;
    if ((rc = rt_ops_outputs_meta("jobs", o.outputs, o.webhook, &meta)) != RT_EXIT_OK)
        return rc;
    rt_store st;
    if ((rc = rt_ops_open(app, &st)) != RT_EXIT_OK) {
        json_object_put(meta);
        return rc;
    }
    int64_t version_id = 0;
    struct json_object *version = NULL, *schema = NULL;
    struct json_object *inputs = json_object_new_array();
    rc = rt_store_find_task(&st, o.task, o.version, &version_id, &version);
    if (rc == RT_EXIT_OK) {
        json_object_object_get_ex(version, "inputSchema", &schema);
        struct json_object *md, *mr;
        if (retries < 0 && json_object_object_get_ex(version, "metadata", &md) &&
            json_object_object_get_ex(md, "max_retries", &mr) &&
            json_object_is_type(mr, json_type_int) && json_object_get_int(mr) >= 0)
            retries = json_object_get_int(mr); /* the task's own policy */
        if (o.batch) {
            rc = read_batch(o.batch, schema, inputs);
        } else {
            struct json_object *v = checked_input(o.input_json, schema, "--input-json");
            if (v)
                json_object_array_add(inputs, v);
            else
                rc = RT_EXIT_FAIL;
        }
    }
    size_t n = json_object_array_length(inputs);
    if (rc == RT_EXIT_OK && n > 0)
        rc = rt_ops_submit(app, &st, version_id, inputs, prio, at_ms, o.key,
                           meta ? json_object_to_json_string_ext(meta, JSON_C_TO_STRING_PLAIN)
                                : NULL,
                           retries, o.wait, o.json);
    json_object_put(meta);
    json_object_put(inputs);
    json_object_put(version);
    rt_store_close(&st);
    return rc;
}

/* show/cancel/retry take one numeric id. */
static int job_id_arg(int argc, char **argv, const char *sub, int64_t *id, int *json)
{
    *json = 0;
    const char *idtext = NULL;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0)
            *json = 1;
        else if (!idtext && argv[i][0] != '-')
            idtext = argv[i];
        else
            return rt_usage_error("jobs", "unexpected argument '%s'", argv[i]);
    }
    char *end;
    errno = 0;
    long long v = idtext ? strtoll(idtext, &end, 10) : 0;
    if (!idtext || errno || *end || v <= 0)
        return rt_usage_error("jobs", "usage: ratchet jobs %s ID [--json]", sub);
    *id = v;
    return -1;
}

static int jobs_one(rt_app *app, int argc, char **argv)
{
    const char *sub = argv[1];
    int64_t id = 0;
    int json = 0;
    int rc = job_id_arg(argc, argv, sub, &id, &json);
    if (rc >= 0)
        return rc;
    rt_store st;
    if ((rc = rt_ops_open(app, &st)) != RT_EXIT_OK)
        return rc;
    ratchet_buf out = RATCHET_BUF_INIT;
    rt_error_clear();
    ratchet_status s;
    if (strcmp(sub, "show") == 0)
        s = st.vt->job_get(st.inst, id, &out);
    else if (strcmp(sub, "cancel") == 0)
        s = st.vt->job_cancel(st.inst, id, &out);
    else
        s = st.vt->job_retry(st.inst, id, rt_host_api()->now_us() / 1000, &out);
    char what[64];
    snprintf(what, sizeof what, "job %lld", (long long)id);
    if (s != RATCHET_OK) {
        rc = rt_store_fail(s, what);
    } else {
        if (strcmp(sub, "show") != 0)
            st.vt->notify(st.inst); /* wake a waiting server */
        rc = rt_ops_print_record(&out, json, what);
    }
    rt_buf_free(&out);
    rt_store_close(&st);
    return rc;
}

static int jobs_list(rt_app *app, int argc, char **argv)
{
    return rt_ops_list(app, argc, argv, "jobs", RT_OPS_JOBS);
}

static int jobs_run(rt_app *app, int argc, char **argv)
{
    if (argc < 2)
        return rt_usage_error("jobs",
                              "missing subcommand (submit, list, show, wait, cancel, retry)");
    const char *sub = argv[1];
    if (strcmp(sub, "submit") == 0)
        return jobs_submit(app, argc, argv);
    if (strcmp(sub, "list") == 0)
        return jobs_list(app, argc, argv);
    if (strcmp(sub, "wait") == 0)
        return rt_jobs_wait(app, argc, argv);
    if (strcmp(sub, "show") == 0 || strcmp(sub, "cancel") == 0 || strcmp(sub, "retry") == 0)
        return jobs_one(app, argc, argv);
    return rt_usage_error("jobs",
                          "unknown subcommand '%s' (expected submit, list, show, wait, "
                          "cancel or retry)",
                          sub);
}

const rt_command rt_cmd_jobs = {
    "jobs",
    "Submit, list, show, cancel or retry jobs in the queue",
    "Usage: ratchet jobs submit --task NAME [--version V] --input-json JSON [--priority P]\n"
    "                           [--at TIME] [--idempotency-key K] [--wait] [--json]\n"
    "                           [--webhook URL] [--outputs JSON] [--max-retries N]\n"
    "       ratchet jobs submit --task NAME --batch FILE   (one input JSON per line; one\n"
    "                                                      transaction; FILE - is stdin)\n"
    "       ratchet jobs list [--status S] [--task NAME] [--trace ID] [--limit N] [--json]\n"
    "       ratchet jobs show|cancel|retry ID [--json]\n"
    "       ratchet jobs wait [ID...] [--timeout DURATION] [--json]\n\n"
    "Works on the engine's storage (engine.data_dir or --data-dir), also while `ratchet serve`\n"
    "runs; --tasks PATH stores the tasks in PATH first. The input is checked against the\n"
    "task's input schema before anything is queued. Priorities: low, normal (default), high,\n"
    "urgent (critical is accepted as urgent). --at takes RFC 3339 (2026-12-01T09:00:00Z) or\n"
    "an offset (+30s, +10m, +2h). A second submit with the same --idempotency-key returns the\n"
    "first job. --wait blocks until the job ends and exits 1 if it failed. Retries: "
    "--max-retries,\n"
    "else the task's metadata \"max_retries\", else engine.max_retries. cancel stops a\n"
    "running job's worker; retry requeues a failed or cancelled job. wait blocks until the\n"
    "given jobs end (exit 1 if one did not complete), or with no ids until nothing is queued,\n"
    "running or waiting to be retried (jobs queued with a later --at count as queued); it\n"
    "sleeps on the storage's wake-ups, so it costs next to nothing while it waits. Every job\n"
    "has a W3C trace id (traceId), sent with its fetches as traceparent; list --trace finds\n"
    "the job of a trace.\n\n"
    "Outputs: when the job ends (completed, or failed for good) its output is delivered.\n"
    "--webhook URL POSTs the output JSON (retried on 429, 5xx and network errors). --outputs\n"
    "takes a JSON array of destinations: {\"type\": \"webhook\", \"url\", \"method\",\n"
    "\"headers\", \"auth\": {\"type\": \"bearer\"|\"basic\"|\"api_key\", ...}, \"timeout_ms\",\n"
    "\"max_attempts\", \"include\": \"output\"|\"job\"} or {\"type\": \"file\", \"path\":\n"
    "\"out/{task}-{job_id}.json\", \"format\": \"json\"|\"json_compact\", \"overwrite\"}.\n"
    "Paths, webhook URLs (path and query) and header values are templates: {job_id},\n"
    "{execution_id}, {task}, {version}, {status}, {timestamp}. Results are recorded as\n"
    "delivery results.\n",
    jobs_run,
};
