/* host/engine/api_executions.c - executions through ratchet.engine: get, list, cancel/retry
 * (of their job), their console lines and fetch calls. */
#include <stdio.h>
#include <string.h>

#include "api_int.h"
#include "core/core_layer.h"

static ratchet_status execution_get(int64_t execution_id, ratchet_buf *out)
{
    size_t mark = out->len;
    rt_api *a = rt_api_enter(out, mark);
    if (!a)
        return RATCHET_ERR;
    char what[48];
    snprintf(what, sizeof what, "execution %lld", (long long)execution_id);
    rt_error_clear();
    ratchet_status rc = a->vt->execution_get(a->si, execution_id, out);
    return rc == RATCHET_OK ? rc : rt_api_storage_fail(out, mark, rc, what);
}

static const char *const execution_fields[] = {
    "id", "jobId", "taskId", "taskName", "status", "startedAt", "completedAt", "durationMs", NULL};

static ratchet_status executions_list(const char *query_json, ratchet_buf *out)
{
    size_t mark = out->len;
    rt_api *a = rt_api_enter(out, mark);
    return a ? rt_api_list_stored(a, query_json, execution_fields, execution_fields, 0, out, mark)
             : RATCHET_ERR;
}

/* The job of execution `id` into *job_id, or the error written. */
static ratchet_status job_of(rt_api *a, int64_t id, int64_t *job_id, ratchet_buf *out, size_t mark)
{
    ratchet_buf buf = RATCHET_BUF_INIT;
    char what[48];
    snprintf(what, sizeof what, "execution %lld", (long long)id);
    rt_error_clear();
    ratchet_status rc = a->vt->execution_get(a->si, id, &buf);
    struct json_object *rec = rt_api_stored(rc, &buf, what, out, mark);
    struct json_object *v = rt_api_member(rec, "jobId");
    *job_id = v ? json_object_get_int64(v) : 0;
    json_object_put(rec);
    if (rec && !*job_id)
        return rt_api_fail(out, mark, "INTERNAL_ERROR", NULL, "%s has no job", what);
    return rec ? RATCHET_OK : rc == RATCHET_NOTFOUND ? RATCHET_NOTFOUND : RATCHET_ERR;
}

static ratchet_status execution_cancel(int64_t execution_id, ratchet_buf *out)
{
    size_t mark = out->len;
    rt_api *a = rt_api_enter(out, mark);
    int64_t job_id = 0;
    ratchet_status rc = a ? job_of(a, execution_id, &job_id, out, mark) : RATCHET_ERR;
    return rc == RATCHET_OK ? rt_api_job_cancel(a, job_id, out, mark) : rc;
}

static ratchet_status execution_retry(int64_t execution_id, ratchet_buf *out)
{
    size_t mark = out->len;
    rt_api *a = rt_api_enter(out, mark);
    int64_t job_id = 0;
    ratchet_status rc = a ? job_of(a, execution_id, &job_id, out, mark) : RATCHET_ERR;
    return rc == RATCHET_OK ? rt_api_job_retry(a, job_id, out, mark) : rc;
}

static const char *const log_fields[] = {"seq", "kind", "level", NULL};

static ratchet_status execution_logs(int64_t execution_id, const char *query_json, ratchet_buf *out)
{
    size_t mark = out->len;
    rt_api *a = rt_api_enter(out, mark);
    if (!a)
        return RATCHET_ERR;
    if (!rt_api_storage14(a))
        return rt_api_unsupported(out, mark, "reading execution logs");
    rt_query q;
    if (rt_query_parse(query_json, log_fields, log_fields, "seq", 0, &q, out, mark) != RATCHET_OK)
        return RATCHET_ERR;
    struct json_object *f = rt_query_normalised(&q);
    char what[48];
    snprintf(what, sizeof what, "execution %lld", (long long)execution_id);
    rt_error_clear();
    ratchet_status rc = a->vt->execution_logs(
        a->si, execution_id, json_object_to_json_string_ext(f, JSON_C_TO_STRING_PLAIN), out);
    if (rc != RATCHET_OK)
        rc = rt_api_storage_fail(out, mark, rc, what);
    json_object_put(f);
    rt_query_free(&q);
    return rc;
}

void rt_api_fill_executions(ratchet_engine_api *t)
{
    t->execution_get = execution_get;
    t->executions_list = executions_list;
    t->execution_cancel = execution_cancel;
    t->execution_retry = execution_retry;
    t->execution_logs = execution_logs;
}
