/*
 * graphql_shape.c - the engine's records in the schema's shapes, and the calls' plumbing.
 *
 * The engine answers the camelCase records of REST (engine.h) with numeric ids and lower-case
 * states; the schema (compatible with the original's) has string ids (ApiId), upper-case enum
 * values and a few names of its own (cronExpression, nextRun, tasksExecuted, ...). Each shape
 * function builds the schema's object from one record; fields the schema has that a record
 * lacks are simply absent (null).
 */
#define _POSIX_C_SOURCE 200809L

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "graphql.h"

const ratchet_engine_api *graphql_eng(gql_resolve_info *info)
{
    return ((graphql_call *)info->context)->g->eng;
}

/* The error's message, followed by " at POINTER: MESSAGE" for each of its details when
 * `details` (as the MCP tools word it). A new string. */
static char *engine_error_text(json_object *err, int details)
{
    json_object *msg = NULL, *list = NULL;
    json_object_object_get_ex(err, "message", &msg);
    ratchet_buf b = RATCHET_BUF_INIT;
    graphql_host->buf_printf(&b, "%s",
                             msg ? json_object_get_string(msg) : "the engine call failed");
    if (details && json_object_object_get_ex(err, "details", &list) &&
        json_object_is_type(list, json_type_array))
        for (size_t i = 0; i < json_object_array_length(list); i++) {
            json_object *d = json_object_array_get_idx(list, i), *ptr = NULL, *dm = NULL;
            json_object_object_get_ex(d, "pointer", &ptr);
            json_object_object_get_ex(d, "message", &dm);
            const char *at = ptr ? json_object_get_string(ptr) : "";
            graphql_host->buf_printf(&b, "%s at %s: %s", i ? ";" : "", *at ? at : "/",
                                     dm ? json_object_get_string(dm) : "invalid");
        }
    char *s = strdup(b.data ? b.data : "");
    graphql_host->buf_free(&b);
    return s;
}

static json_object *answer(gql_resolve_info *info, ratchet_status st, ratchet_buf *out,
                           int missing_ok, int details)
{
    json_object *j = out->data ? json_tokener_parse(out->data) : NULL;
    graphql_host->buf_free(out);
    if (st == RATCHET_OK) {
        if (!j)
            gql_resolve_error(info, "INTERNAL_ERROR", "the engine's answer is not JSON");
        return j;
    }
    json_object *code = NULL;
    json_object_object_get_ex(j, "code", &code);
    if (!(st == RATCHET_NOTFOUND && missing_ok)) {
        char *msg = engine_error_text(j, details);
        gql_resolve_error(info, code ? json_object_get_string(code) : "INTERNAL_ERROR", "%s",
                          msg ? msg : "the engine call failed");
        free(msg);
    }
    /* the code string lives in j: gql_resolve_error keeps the pointer, so it is copied */
    if (info->error_code && code) {
        static const char *const known[] = {
            "NOT_FOUND",           "BAD_REQUEST",    "VALIDATION_ERROR", "CONFLICT",
            "SERVICE_UNAVAILABLE", "DATABASE_ERROR", "INTERNAL_ERROR"};
        const char *c = "INTERNAL_ERROR";
        for (size_t i = 0; i < sizeof known / sizeof *known; i++)
            if (strcmp(known[i], json_object_get_string(code)) == 0)
                c = known[i];
        info->error_code = c;
    }
    json_object_put(j);
    return NULL;
}

json_object *graphql_answer(gql_resolve_info *info, ratchet_status st, ratchet_buf *out,
                            int missing_ok)
{
    return answer(info, st, out, missing_ok, 0);
}

json_object *graphql_answer_detailed(gql_resolve_info *info, ratchet_status st, ratchet_buf *out)
{
    return answer(info, st, out, 0, 1);
}

int64_t graphql_id_arg(gql_resolve_info *info, const char *name)
{
    json_object *v = NULL;
    json_object_object_get_ex(info->args, name, &v);
    const char *s = v ? json_object_get_string(v) : "";
    errno = 0;
    char *end;
    long long id = strtoll(s, &end, 10);
    if (errno || *end || end == s || id <= 0) {
        gql_resolve_error(info, "BAD_REQUEST", "%s must be a positive integer id, not \"%s\"", name,
                          s);
        return 0;
    }
    return id;
}

/* ---- values -------------------------------------------------------------------------------- */

json_object *graphql_id(json_object *v)
{
    if (!v || json_object_is_type(v, json_type_null))
        return NULL;
    if (json_object_is_type(v, json_type_string))
        return json_object_get(v);
    return json_object_new_string(json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN));
}

json_object *graphql_enum(json_object *v)
{
    if (!v || !json_object_is_type(v, json_type_string))
        return NULL;
    const char *s = json_object_get_string(v);
    if (strcmp(s, "running") == 0) /* a job's event status: the schema's PROCESSING */
        s = "processing";
    char buf[64];
    size_t n = 0;
    for (; s[n] && n + 1 < sizeof buf; n++)
        buf[n] = (char)toupper((unsigned char)s[n]);
    buf[n] = '\0';
    return json_object_new_string(buf);
}

static json_object *get(json_object *rec, const char *key)
{
    json_object *v = NULL;
    json_object_object_get_ex(rec, key, &v);
    return v;
}

/* Copy rec.from to out.to as it is (when present). */
static void copy(json_object *out, json_object *rec, const char *from, const char *to)
{
    json_object *v;
    if (json_object_object_get_ex(rec, from, &v))
        json_object_object_add(out, to, json_object_get(v));
}

static void copy_all(json_object *out, json_object *rec, const char *const *keys)
{
    for (; *keys; keys++)
        copy(out, rec, *keys, *keys);
}

static void ids(json_object *out, json_object *rec, const char *const *keys)
{
    for (; *keys; keys++) {
        json_object *v = get(rec, *keys);
        if (v)
            json_object_object_add(out, *keys, graphql_id(v));
    }
}

/* {code, message, details} from an error value: an object ({type|code|name, message, ...}) or
 * a string. */
json_object *graphql_job_error(json_object *e)
{
    if (!e || json_object_is_type(e, json_type_null))
        return NULL;
    json_object *o = json_object_new_object();
    if (json_object_is_type(e, json_type_string)) {
        json_object_object_add(o, "message", json_object_get(e));
        return o;
    }
    json_object *code = get(e, "code");
    if (!code)
        code = get(e, "type");
    if (!code)
        code = get(e, "name");
    if (code)
        json_object_object_add(o, "code", json_object_get(code));
    json_object *msg = get(e, "message");
    json_object_object_add(o, "message",
                           msg ? json_object_get(msg) : json_object_new_string("failed"));
    json_object_object_add(o, "details", json_object_get(e));
    return o;
}

static void error_message(json_object *out, json_object *e)
{
    json_object *m = e && json_object_is_type(e, json_type_object) ? get(e, "message") : NULL;
    if (m)
        json_object_object_add(out, "errorMessage", json_object_get(m));
    else if (e && json_object_is_type(e, json_type_string))
        json_object_object_add(out, "errorMessage", json_object_get(e));
}

/* ---- records ------------------------------------------------------------------------------- */

json_object *graphql_task(json_object *rec)
{
    json_object *o = json_object_new_object();
    static const char *const keys[] = {
        "uuid",         "name",      "description",       "version",
        "enabled",      "tags",      "availableVersions", "inputSchema",
        "outputSchema", "createdAt", "updatedAt",         NULL};
    static const char *const idk[] = {"id", NULL};
    ids(o, rec, idk);
    copy_all(o, rec, keys);
    if (!get(o, "tags"))
        json_object_object_add(o, "tags", json_object_new_array());
    if (!get(o, "availableVersions")) {
        json_object *a = json_object_new_array();
        json_object *v = get(rec, "version");
        if (v)
            json_object_array_add(a, json_object_get(v));
        json_object_object_add(o, "availableVersions", a);
    }
    return o;
}

json_object *graphql_job(json_object *rec)
{
    json_object *o = json_object_new_object();
    static const char *const keys[] = {"taskName",    "taskVersion", "input",    "output",
                                       "retryCount",  "maxRetries",  "queuedAt", "startedAt",
                                       "completedAt", NULL};
    static const char *const idk[] = {"id", "taskId", "scheduleId", "executionId", NULL};
    ids(o, rec, idk);
    copy_all(o, rec, keys);
    copy(o, rec, "processAt", "scheduledFor");
    json_object_object_add(o, "status", graphql_enum(get(rec, "status")));
    json_object *pr = get(rec, "priority");
    if (pr && json_object_is_type(pr, json_type_int)) {
        static const char *const names[] = {"LOW", "NORMAL", "HIGH", "URGENT"};
        int n = json_object_get_int(pr);
        json_object_object_add(o, "priority",
                               json_object_new_string(n >= 1 && n <= 4 ? names[n - 1] : "NORMAL"));
    } else {
        json_object_object_add(o, "priority", graphql_enum(pr));
    }
    json_object_object_add(o, "error", graphql_job_error(get(rec, "error")));
    error_message(o, get(rec, "error"));
    json_object *meta = get(rec, "meta");
    if (meta)
        copy(o, meta, "outputDestinations", "outputDestinations");
    return o;
}

json_object *graphql_execution(json_object *rec)
{
    json_object *o = json_object_new_object();
    static const char *const keys[] = {"uuid",      "taskName",    "input",      "output",
                                       "startedAt", "completedAt", "durationMs", NULL};
    static const char *const idk[] = {"id", "jobId", "taskId", NULL};
    ids(o, rec, idk);
    copy_all(o, rec, keys);
    copy(o, rec, "http", "httpRequests");
    json_object *st = get(rec, "status");
    json_object_object_add(o, "status", graphql_enum(st));
    const char *s = st ? json_object_get_string(st) : "";
    json_object_object_add(
        o, "canRetry",
        json_object_new_boolean(strcmp(s, "failed") == 0 || strcmp(s, "cancelled") == 0));
    json_object_object_add(
        o, "canCancel",
        json_object_new_boolean(strcmp(s, "running") == 0 || strcmp(s, "pending") == 0));
    json_object *e = get(rec, "error");
    error_message(o, e);
    if (e && !json_object_is_type(e, json_type_null))
        json_object_object_add(o, "errorDetails", json_object_get(e));
    return o;
}

json_object *graphql_schedule(json_object *rec)
{
    json_object *o = json_object_new_object();
    static const char *const keys[] = {"name",     "description", "taskName",  "taskVersion",
                                       "timezone", "input",       "enabled",   "catchUp",
                                       "runCount", "createdAt",   "updatedAt", NULL};
    static const char *const idk[] = {"id", "taskId", NULL};
    ids(o, rec, idk);
    copy_all(o, rec, keys);
    copy(o, rec, "cron", "cronExpression");
    copy(o, rec, "nextRunAt", "nextRun");
    copy(o, rec, "lastRunAt", "lastRun");
    json_object *meta = get(rec, "meta");
    if (meta)
        copy(o, meta, "outputDestinations", "outputDestinations");
    return o;
}

json_object *graphql_worker(json_object *rec)
{
    json_object *o = json_object_new_object();
    static const char *const keys[] = {"pid",      "memoryKb",   "startedAt",
                                       "restarts", "lastSeenAt", NULL};
    static const char *const idk[] = {"id", "currentJobId", "currentExecutionId", NULL};
    ids(o, rec, idk);
    copy_all(o, rec, keys);
    copy(o, rec, "jobsRun", "tasksExecuted");
    json_object_object_add(o, "status", graphql_enum(get(rec, "state")));
    return o;
}

json_object *graphql_log(json_object *rec)
{
    json_object *o = json_object_new_object();
    static const char *const keys[] = {"seq", "time",   "level",      "message", "method",
                                       "url", "status", "durationMs", NULL};
    copy_all(o, rec, keys);
    json_object_object_add(o, "kind", graphql_enum(get(rec, "kind")));
    return o;
}

json_object *graphql_health(json_object *rec)
{
    json_object *o = json_object_new_object();
    copy(o, rec, "status", "status");
    json_object *checks = get(rec, "checks"), *storage = get(checks, "storage");
    json_object *st = get(storage, "status");
    json_object_object_add(
        o, "database",
        json_object_new_boolean(st && strcmp(json_object_get_string(st), "unhealthy") != 0));
    copy(o, storage, "message", "message");
    copy(o, checks, "storage", "storage");
    copy(o, checks, "workers", "workers");
    copy(o, checks, "scheduler", "scheduler");
    return o;
}

json_object *graphql_page(json_object *answer, json_object *(*shape)(json_object *), int64_t limit,
                          int64_t offset)
{
    json_object *items = get(answer, "items"), *out = json_object_new_array();
    for (size_t i = 0; items && i < json_object_array_length(items); i++)
        json_object_array_add(out, shape(json_object_array_get_idx(items, i)));
    int64_t total = json_object_get_int64(get(answer, "total"));
    if (limit < 1)
        limit = 1;
    json_object *meta = json_object_new_object();
    json_object_object_add(meta, "page", json_object_new_int64(offset / limit + 1));
    json_object_object_add(meta, "limit", json_object_new_int64(limit));
    json_object_object_add(meta, "offset", json_object_new_int64(offset));
    json_object_object_add(meta, "total", json_object_new_int64(total));
    json_object_object_add(meta, "totalPages", json_object_new_int64((total + limit - 1) / limit));
    json_object_object_add(meta, "hasNext", json_object_new_boolean(offset + limit < total));
    json_object_object_add(meta, "hasPrevious", json_object_new_boolean(offset > 0));
    json_object *o = json_object_new_object();
    json_object_object_add(o, "items", out);
    json_object_object_add(o, "meta", meta);
    return o;
}
