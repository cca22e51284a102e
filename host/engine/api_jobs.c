/* host/engine/api_jobs.c - jobs through ratchet.engine: submit (validated as `jobs submit`
 * validates), get, list, cancel, retry. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api_int.h"
#include "core/core_layer.h"
#include "schedule.h"
#include "trace.h"

struct json_object *rt_api_stored(ratchet_status rc, ratchet_buf *buf, const char *what,
                                  ratchet_buf *out, size_t mark)
{
    struct json_object *v = rc == RATCHET_OK && buf->data ? json_tokener_parse(buf->data) : NULL;
    rt_buf_free(buf);
    if (!v)
        rt_api_storage_fail(out, mark, rc == RATCHET_OK ? RATCHET_ERR : rc, what);
    return v;
}

void rt_api_retry_policy(const rt_api *a, ratchet_job_submit *job)
{
    const ratchet_config *engine = rt_settings_section(&a->app->settings, "engine");
    job->max_retries = (int32_t)rt_cfg_int(engine, "max_retries");
    job->retry_base_ms = rt_cfg_int(engine, "retry_base");
    job->retry_max_ms = rt_cfg_int(engine, "retry_max");
}

/* Append job `id` (storage job_get). */
static ratchet_status put_job(rt_api *a, int64_t id, ratchet_buf *out, size_t mark)
{
    char what[48];
    snprintf(what, sizeof what, "job %lld", (long long)id);
    rt_error_clear();
    ratchet_status rc = a->vt->job_get(a->si, id, out);
    return rc == RATCHET_OK ? rc : rt_api_storage_fail(out, mark, rc, what);
}

/* rt_api_queue_job; `brief`: a new job is answered {id, status} without reading it back. */
static ratchet_status queue_job(rt_api *a, const ratchet_job_submit *job, const char *task_name,
                                int brief, ratchet_buf *out, size_t mark)
{
    int64_t id = 0;
    int existed = 0;
    /* Every job gets its trace (a meta that has one keeps it: a traceparent's). */
    ratchet_job_submit traced = *job;
    char *meta = rt_trace_stamp_text(job->meta_json, rt_api_now_ms());
    if (meta)
        traced.meta_json = meta;
    rt_error_clear();
    rt_events_lock_emits(); /* "queued" before anything the engine reports of the job */
    ratchet_status rc = a->vt->job_submit(a->si, &traced, 1, &id, &existed);
    free(meta);
    if (rc == RATCHET_OK && !existed)
        rt_events_emit_status(id, 0, task_name, "queued", 0, NULL, NULL);
    rt_events_unlock_emits();
    if (rc != RATCHET_OK)
        return rt_api_storage_fail(out, mark, rc, "submitting the job");
    a->vt->notify(a->si);
    if (brief && !existed)
        return rt_buf_printf(out, "{\"id\":%lld,\"status\":\"queued\"}", (long long)id);
    return put_job(a, id, out, mark);
}

ratchet_status rt_api_queue_job(rt_api *a, const ratchet_job_submit *job, const char *task_name,
                                ratchet_buf *out, size_t mark)
{
    return queue_job(a, job, task_name, 0, out, mark);
}

/* ---- submit ------------------------------------------------------------------------------- */

typedef struct submit_req {
    char ref[64];
    const char *version, *key;
    int brief;                        /* "answer": "brief" */
    struct json_object *input, *meta; /* input borrowed; meta owned */
    ratchet_priority priority;
    int retries; /* -1: the task's or the engine's */
    int64_t at_ms;
} submit_req;

/* taskId (number or numeric string) or taskName into r->ref. */
static void read_task_ref(struct json_object *req, submit_req *r, struct json_object *details)
{
    struct json_object *id = rt_api_member(req, "taskId");
    const char *name = rt_api_str(req, "taskName");
    char *end = NULL;
    errno = 0;
    if (id && json_object_is_type(id, json_type_int) && json_object_get_int64(id) > 0)
        snprintf(r->ref, sizeof r->ref, "%lld", (long long)json_object_get_int64(id));
    else if (id && json_object_is_type(id, json_type_string) &&
             strtoll(json_object_get_string(id), &end, 10) > 0 && !*end && !errno)
        snprintf(r->ref, sizeof r->ref, "%s", json_object_get_string(id));
    else if (id)
        rt_api_detail(details, "/taskId", "expected a task id (a positive number)");
    else if (name && json_object_is_type(rt_api_member(req, "taskName"), json_type_string))
        snprintf(r->ref, sizeof r->ref, "%s", name);
    else
        rt_api_detail(details, "/taskId", "taskId or taskName is required");
}

static const char *string_member(struct json_object *req, const char *key, const char *pointer,
                                 struct json_object *details)
{
    struct json_object *v = rt_api_member(req, key);
    if (v && !json_object_is_type(v, json_type_string)) {
        rt_api_detail(details, pointer, "expected a string");
        return NULL;
    }
    return v ? json_object_get_string(v) : NULL;
}

static void read_options(struct json_object *req, submit_req *r, struct json_object *details)
{
    const char *prio = string_member(req, "priority", "/priority", details);
    if (prio && rt_priority_parse(prio, &r->priority) != 0)
        rt_api_detail(details, "/priority", "expected low, normal, high, urgent or critical");
    struct json_object *retries = rt_api_member(req, "maxRetries");
    if (retries && (!json_object_is_type(retries, json_type_int) ||
                    json_object_get_int64(retries) < 0 || json_object_get_int64(retries) > 100))
        rt_api_detail(details, "/maxRetries", "expected a whole number from 0 to 100");
    else if (retries)
        r->retries = json_object_get_int(retries);
    const char *at = string_member(req, "scheduledFor", "/scheduledFor", details);
    if (at && rt_schedule_parse_time(at, &r->at_ms) != 0)
        rt_api_detail(details, "/scheduledFor",
                      "expected an RFC 3339 time such as 2026-12-01T09:00:00Z");
    r->key = string_member(req, "idempotencyKey", "/idempotencyKey", details);
    const char *answer = string_member(req, "answer", "/answer", details);
    if (answer && strcmp(answer, "brief") != 0 && strcmp(answer, "job") != 0)
        rt_api_detail(details, "/answer", "expected job (the default) or brief");
    r->brief = answer && strcmp(answer, "brief") == 0;
    struct json_object *outputs = rt_api_member(req, "outputDestinations");
    rt_error err;
    if (outputs && rt_outputs_meta(outputs, NULL, &r->meta, &err) != RATCHET_OK)
        rt_api_detail(details, "/outputDestinations", err.msg);
    /* W3C trace context of the caller (REST passes its traceparent header here): the job
     * joins that trace. */
    const char *tp = string_member(req, "traceparent", "/traceparent", details);
    if (tp && rt_trace_stamp(&r->meta, tp, rt_api_now_ms(), &err) != RATCHET_OK)
        rt_api_detail(details, "/traceparent", err.msg);
}

/* The request's fields into r; VALIDATION_ERROR naming each bad one. */
static ratchet_status read_submit(struct json_object *req, submit_req *r, ratchet_buf *out,
                                  size_t mark)
{
    struct json_object *details = json_object_new_array();
    memset(r, 0, sizeof *r);
    r->priority = RATCHET_PRIORITY_NORMAL;
    r->retries = -1;
    read_task_ref(req, r, details);
    r->version = string_member(req, "taskVersion", "/taskVersion", details);
    r->input = rt_api_member(req, "input");
    read_options(req, r, details);
    if (json_object_array_length(details) == 0) {
        json_object_put(details);
        return RATCHET_OK;
    }
    return rt_api_fail(out, mark, "VALIDATION_ERROR", details, "invalid job request");
}

/* The retry count: the request's, else the task's metadata max_retries, else the engine's. */
static void retries_for(const rt_api *a, const submit_req *r, const api_version *v,
                        ratchet_job_submit *job)
{
    rt_api_retry_policy(a, job);
    struct json_object *mr = rt_api_member(rt_api_member(v->rec, "metadata"), "max_retries");
    if (r->retries >= 0)
        job->max_retries = r->retries;
    else if (json_object_is_type(mr, json_type_int) && json_object_get_int(mr) >= 0)
        job->max_retries = json_object_get_int(mr);
}

static ratchet_status job_submit(const char *request_json, ratchet_buf *out)
{
    size_t mark = out->len;
    rt_api *a = rt_api_enter(out, mark);
    struct json_object *req = a ? rt_api_parse_object(request_json, "job", out, mark) : NULL;
    if (!req)
        return RATCHET_ERR;
    submit_req r;
    const api_version *v = NULL;
    int enabled = 1;
    ratchet_status rc = read_submit(req, &r, out, mark);
    if (rc == RATCHET_OK)
        rc = rt_api_resolve(a, r.ref, r.version, &enabled, &v, out, mark);
    if (rc == RATCHET_OK && !enabled)
        rc = rt_api_fail(out, mark, "CONFLICT", NULL,
                         "task '%s' is disabled: it accepts no new jobs",
                         rt_api_str(v->rec, "name"));
    struct json_object *empty = json_object_new_object();
    if (rc == RATCHET_OK)
        rc = rt_api_check_input(v, r.input ? r.input : empty, "/input", out, mark);
    if (rc == RATCHET_OK) {
        ratchet_job_submit job;
        memset(&job, 0, sizeof job);
        job.abi = (ratchet_abi)RATCHET_ABI_INIT(ratchet_job_submit);
        job.task_version_id = v->id;
        job.input_json =
            json_object_to_json_string_ext(r.input ? r.input : empty, JSON_C_TO_STRING_PLAIN);
        job.priority = r.priority;
        job.process_at_ms = r.at_ms;
        job.idempotency_key = r.key;
        job.meta_json =
            r.meta ? json_object_to_json_string_ext(r.meta, JSON_C_TO_STRING_PLAIN) : NULL;
        retries_for(a, &r, v, &job);
        rc = queue_job(a, &job, rt_api_str(v->rec, "name"), r.brief, out, mark);
    }
    json_object_put(empty);
    json_object_put(r.meta);
    json_object_put(req);
    return rc;
}

/* ---- get, list, cancel, retry -------------------------------------------------------------- */

static ratchet_status job_get(int64_t job_id, ratchet_buf *out)
{
    size_t mark = out->len;
    rt_api *a = rt_api_enter(out, mark);
    return a ? put_job(a, job_id, out, mark) : RATCHET_ERR;
}

/* What a storage older than 1.4 understands of a query: {status, taskName, jobId, offset,
 * limit}; NULL when the query asks for more. */
static struct json_object *legacy_filter(const rt_query *q)
{
    struct json_object *f = json_object_new_object();
    for (size_t i = 0; q->where && i < json_object_array_length(q->where); i++) {
        struct json_object *c = json_object_array_get_idx(q->where, i);
        const char *field = rt_api_str(c, "field"), *op = rt_api_str(c, "op");
        if ((op && strcmp(op, "eq") != 0) ||
            (strcmp(field, "status") && strcmp(field, "taskName") && strcmp(field, "jobId"))) {
            json_object_put(f);
            return NULL;
        }
        json_object_object_add(f, field, json_object_get(rt_api_member(c, "value")));
    }
    json_object_object_add(f, "offset", json_object_new_int64(q->offset));
    json_object_object_add(f, "limit", json_object_new_int64(q->limit));
    return f;
}

/* 1 when `v` (a string, any case) is one of `names` or, for priorities, a rank 1..4. */
static int enum_value_ok(struct json_object *v, const char *const *names, int ranks)
{
    if (ranks && json_object_is_type(v, json_type_int))
        return json_object_get_int64(v) >= 1 && json_object_get_int64(v) <= 4;
    if (!json_object_is_type(v, json_type_string))
        return 0;
    for (size_t i = 0; names[i]; i++)
        if (strcasecmp(json_object_get_string(v), names[i]) == 0)
            return 1;
    return 0;
}

/* Status and priority values are checked here, so that a wrong one is the caller's error (a
 * 400 naming the allowed values), not the database's. */
static ratchet_status check_enum_values(const rt_query *q, int jobs, ratchet_buf *out, size_t mark)
{
    static const char *const job_states[] = {"queued",    "processing", "completed", "failed",
                                             "cancelled", "retrying",   NULL};
    static const char *const exec_states[] = {"pending", "running", "completed", "failed",
                                              "cancelled", NULL};
    static const char *const priorities[] = {"low", "normal", "high", "urgent", "critical", NULL};
    size_t n = q->where ? json_object_array_length(q->where) : 0;
    for (size_t i = 0; i < n; i++) {
        struct json_object *c = json_object_array_get_idx(q->where, i);
        const char *field = rt_api_str(c, "field");
        int prio = field && strcmp(field, "priority") == 0;
        if (!field || (!prio && strcmp(field, "status") != 0))
            continue;
        const char *const *names = prio ? priorities : jobs ? job_states : exec_states;
        struct json_object *v = rt_api_member(c, "value");
        size_t nv = json_object_is_type(v, json_type_array) ? json_object_array_length(v) : 1;
        for (size_t j = 0; j < nv; j++) {
            struct json_object *one =
                json_object_is_type(v, json_type_array) ? json_object_array_get_idx(v, j) : v;
            if (enum_value_ok(one, names, prio))
                continue;
            ratchet_buf allowed = RATCHET_BUF_INIT;
            for (size_t k = 0; names[k]; k++)
                rt_buf_printf(&allowed, "%s%s", k ? ", " : "", names[k]);
            char pointer[48];
            snprintf(pointer, sizeof pointer, "/where/%zu/value", i);
            struct json_object *details = json_object_new_array();
            rt_api_detail(details, pointer, "not an allowed value");
            ratchet_status rc = rt_api_fail(
                out, mark, "VALIDATION_ERROR", details, "invalid query: %s '%s' is not one of %s",
                field, one ? json_object_get_string(one) : "null", allowed.data);
            rt_buf_free(&allowed);
            return rc;
        }
    }
    return RATCHET_OK;
}

ratchet_status rt_api_list_stored(rt_api *a, const char *query_json, const char *const *filter,
                                  const char *const *sort, int jobs, ratchet_buf *out, size_t mark)
{
    rt_query q;
    if (rt_query_parse(query_json, filter, sort, "id", 1, &q, out, mark) != RATCHET_OK)
        return RATCHET_ERR;
    if (check_enum_values(&q, jobs, out, mark) != RATCHET_OK) {
        rt_query_free(&q);
        return RATCHET_ERR;
    }
    struct json_object *f = rt_api_storage14(a) ? rt_query_normalised(&q) : legacy_filter(&q);
    ratchet_status rc;
    if (!f) {
        rc = rt_api_unsupported(out, mark, "this query");
    } else {
        const char *text = json_object_to_json_string_ext(f, JSON_C_TO_STRING_PLAIN);
        rt_error_clear();
        rc = jobs ? a->vt->job_list(a->si, text, out) : a->vt->execution_list(a->si, text, out);
        if (rc != RATCHET_OK)
            rc = rt_api_storage_fail(out, mark, rc, jobs ? "listing jobs" : "listing executions");
    }
    json_object_put(f);
    rt_query_free(&q);
    return rc;
}

static const char *const job_filters[] = {"id",          "status",     "priority", "taskId",
                                          "taskName",    "scheduleId", "queuedAt", "startedAt",
                                          "completedAt", "traceId",    NULL};
static const char *const job_sorts[] = {"id",       "status",    "priority",    "taskName",
                                        "queuedAt", "startedAt", "completedAt", NULL};

static ratchet_status jobs_list(const char *query_json, ratchet_buf *out)
{
    size_t mark = out->len;
    rt_api *a = rt_api_enter(out, mark);
    return a ? rt_api_list_stored(a, query_json, job_filters, job_sorts, 1, out, mark)
             : RATCHET_ERR;
}

/* The job's record into *job, or the error written. */
static ratchet_status load_job(rt_api *a, int64_t id, struct json_object **job, ratchet_buf *out,
                               size_t mark)
{
    ratchet_buf buf = RATCHET_BUF_INIT;
    char what[48];
    snprintf(what, sizeof what, "job %lld", (long long)id);
    rt_error_clear();
    ratchet_status rc = a->vt->job_get(a->si, id, &buf);
    *job = rt_api_stored(rc, &buf, what, out, mark);
    return *job ? RATCHET_OK : rc == RATCHET_NOTFOUND ? RATCHET_NOTFOUND : RATCHET_ERR;
}

ratchet_status rt_api_job_cancel(rt_api *a, int64_t id, ratchet_buf *out, size_t mark)
{
    struct json_object *job;
    ratchet_status loaded = load_job(a, id, &job, out, mark);
    if (loaded != RATCHET_OK)
        return loaded;
    const char *status = rt_api_str(job, "status");
    ratchet_status rc = RATCHET_OK;
    if (!status ||
        (strcmp(status, "queued") && strcmp(status, "retrying") && strcmp(status, "processing")))
        rc = rt_api_fail(out, mark, "CONFLICT", NULL,
                         "job %lld is %s; only queued, retrying or processing jobs can be "
                         "cancelled",
                         (long long)id, status ? status : "in an unknown state");
    ratchet_buf ignored = RATCHET_BUF_INIT;
    rt_error_clear();
    if (rc == RATCHET_OK && (rc = a->vt->job_cancel(a->si, id, &ignored)) != RATCHET_OK)
        rc = rt_api_storage_fail(out, mark, rc, "cancelling the job");
    rt_buf_free(&ignored);
    if (rc == RATCHET_OK) {
        a->vt->notify(a->si);
        /* A job that never reached a worker is final now; a running one is stopped by its
         * engine, which reports it. */
        if (status && strcmp(status, "processing") != 0)
            rt_events_emit_status(
                id, 0, rt_api_str(job, "taskName"), "cancelled", 0, NULL,
                "{\"kind\":\"cancelled\",\"message\":\"cancelled before it started\"}");
        rc = put_job(a, id, out, mark);
    }
    json_object_put(job);
    return rc;
}

ratchet_status rt_api_job_retry(rt_api *a, int64_t id, ratchet_buf *out, size_t mark)
{
    struct json_object *job;
    ratchet_status loaded = load_job(a, id, &job, out, mark);
    if (loaded != RATCHET_OK)
        return loaded;
    const char *status = rt_api_str(job, "status");
    ratchet_status rc;
    ratchet_buf ignored = RATCHET_BUF_INIT;
    if (!status || (strcmp(status, "failed") && strcmp(status, "cancelled"))) {
        rc = rt_api_fail(out, mark, "CONFLICT", NULL,
                         "job %lld is %s; only failed or cancelled jobs can be retried",
                         (long long)id, status ? status : "in an unknown state");
    } else {
        rt_error_clear();
        rt_events_lock_emits(); /* as in rt_api_queue_job */
        rc = a->vt->job_retry(a->si, id, rt_api_now_ms(), &ignored);
        if (rc == RATCHET_OK)
            rt_events_emit_status(id, 0, rt_api_str(job, "taskName"), "queued", 0, NULL, NULL);
        rt_events_unlock_emits();
        if (rc != RATCHET_OK)
            rc = rt_api_storage_fail(out, mark, rc, "retrying the job");
    }
    rt_buf_free(&ignored);
    if (rc == RATCHET_OK) {
        a->vt->notify(a->si);
        rc = put_job(a, id, out, mark);
    }
    json_object_put(job);
    return rc;
}

static ratchet_status job_cancel(int64_t job_id, ratchet_buf *out)
{
    size_t mark = out->len;
    rt_api *a = rt_api_enter(out, mark);
    return a ? rt_api_job_cancel(a, job_id, out, mark) : RATCHET_ERR;
}

static ratchet_status job_retry(int64_t job_id, ratchet_buf *out)
{
    size_t mark = out->len;
    rt_api *a = rt_api_enter(out, mark);
    return a ? rt_api_job_retry(a, job_id, out, mark) : RATCHET_ERR;
}

void rt_api_fill_jobs(ratchet_engine_api *t)
{
    t->job_submit = job_submit;
    t->job_get = job_get;
    t->jobs_list = jobs_list;
    t->job_cancel = job_cancel;
    t->job_retry = job_retry;
}
