/*
 * graphql_mutation.c - the resolvers of Mutation: jobs (executeTask queues a job WITH its
 * input; executeTaskSync also waits for it on the engine's events), cancel and retry, tasks
 * (enable, sync; writing, validating and testing them: graphql_author.c) and schedules. Each
 * is one engine call (engine.h); the engine validates (input against the task's schema, cron
 * expressions, ...) and its errors become GraphQL errors with the engine's code in
 * extensions.code.
 */
#define _POSIX_C_SOURCE 200809L

#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "graphql.h"

static json_object *arg(gql_resolve_info *info, const char *name)
{
    json_object *v = NULL;
    json_object_object_get_ex(info->args, name, &v);
    return v;
}

static json_object *member(json_object *o, const char *name)
{
    json_object *v = NULL;
    json_object_object_get_ex(o, name, &v);
    return v;
}

static json_object *lower(json_object *v)
{
    const char *s = json_object_get_string(v);
    char buf[64];
    size_t n = 0;
    for (; s[n] && n + 1 < sizeof buf; n++)
        buf[n] = (char)tolower((unsigned char)s[n]);
    buf[n] = '\0';
    return json_object_new_string(buf);
}

/* An ApiId naming a task: {"taskId": N} for digits, else {"taskName": "..."}. */
static void task_ref(json_object *req, json_object *id)
{
    const char *s = json_object_get_string(id);
    char *end;
    errno = 0;
    long long n = strtoll(s, &end, 10);
    if (!errno && end != s && !*end)
        json_object_object_add(req, "taskId", json_object_new_int64(n));
    else
        json_object_object_add(req, "taskName", json_object_get(id));
}

/* OutputDestinationInput values as the engine's destinations (`jobs submit --outputs`). NULL
 * with a resolver error for a kind the engine does not deliver. */
static json_object *destinations(gql_resolve_info *info, json_object *list)
{
    json_object *out = json_object_new_array();
    for (size_t i = 0; i < json_object_array_length(list); i++) {
        json_object *d = json_object_array_get_idx(list, i), *o = json_object_new_object();
        const char *type = json_object_get_string(member(d, "destinationType"));
        json_object *w = member(d, "webhook"), *f = member(d, "filesystem");
        if (strcmp(type, "WEBHOOK") == 0 && w) {
            json_object_object_add(o, "type", json_object_new_string("webhook"));
            json_object_object_add(o, "url", json_object_get(member(w, "url")));
            json_object_object_add(o, "method", json_object_get(member(w, "method")));
            json_object *t = member(w, "timeoutSeconds"), *ct = member(w, "contentType"),
                        *rp = member(w, "retryPolicy");
            if (t)
                json_object_object_add(o, "timeout_ms",
                                       json_object_new_int64(json_object_get_int64(t) * 1000));
            if (rp && member(rp, "maxAttempts"))
                json_object_object_add(o, "max_attempts",
                                       json_object_get(member(rp, "maxAttempts")));
            if (ct) {
                json_object *h = json_object_new_object();
                json_object_object_add(h, "Content-Type", json_object_get(ct));
                json_object_object_add(o, "headers", h);
            }
        } else if ((strcmp(type, "FILE") == 0 || strcmp(type, "FILESYSTEM") == 0) && f) {
            json_object_object_add(o, "type", json_object_new_string("file"));
            json_object_object_add(o, "path", json_object_get(member(f, "path")));
            json_object_object_add(o, "format", json_object_get(member(f, "format")));
        } else {
            json_object_put(o);
            json_object_put(out);
            gql_resolve_error(info, "VALIDATION_ERROR",
                              "outputDestinations[%zu]: %s needs its %s settings; this server "
                              "delivers to WEBHOOK and FILE destinations",
                              i, type, strcmp(type, "WEBHOOK") == 0 ? "webhook" : "filesystem");
            return NULL;
        }
        json_object_array_add(out, o);
    }
    return out;
}

/* The engine's job_submit request from ExecuteTaskInput / CreateJobInput. */
static json_object *submit_request(gql_resolve_info *info, json_object *in, const char *input_key)
{
    json_object *req = json_object_new_object(), *v;
    task_ref(req, member(in, "taskId"));
    if ((v = member(in, "taskVersion")))
        json_object_object_add(req, "taskVersion", json_object_get(v));
    v = member(in, input_key);
    json_object_object_add(req, "input", v ? json_object_get(v) : json_object_new_object());
    if ((v = member(in, "priority")))
        json_object_object_add(req, "priority", lower(v));
    static const char *const same[] = {"maxRetries", "scheduledFor", "idempotencyKey"};
    for (size_t i = 0; i < 3; i++)
        if ((v = member(in, same[i])))
            json_object_object_add(req, same[i], json_object_get(v));
    if ((v = member(in, "outputDestinations"))) {
        json_object *d = destinations(info, v);
        if (!d) {
            json_object_put(req);
            return NULL;
        }
        json_object_object_add(req, "outputDestinations", d);
    }
    return req;
}

/* Submit and answer the job record (shaped), or NULL after a resolver error. */
static json_object *submit(gql_resolve_info *info, const char *input_key)
{
    json_object *req = submit_request(info, arg(info, "input"), input_key);
    if (!req)
        return NULL;
    ratchet_buf buf = RATCHET_BUF_INIT;
    ratchet_status st = graphql_eng(info)->job_submit(
        json_object_to_json_string_ext(req, JSON_C_TO_STRING_PLAIN), &buf);
    json_object_put(req);
    return graphql_answer(info, st, &buf, 0);
}

static int r_execute(gql_resolve_info *info, gql_value *out)
{
    json_object *job =
        submit(info, strcmp(info->field->name, "createJob") == 0 ? "input" : "inputData");
    if (!job)
        return -1;
    out->json = graphql_job(job);
    json_object_put(job);
    return 0;
}

/* ---- executeTaskSync: wait for the job's final status on the engine's events -------------- */

typedef struct waiter {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int done;
} waiter;

/* Called on an engine thread: note a final status and wake the request's thread. */
static int on_event(void *user, uint64_t seq, const char *event_json)
{
    (void)seq;
    waiter *w = user;
    json_object *e = json_tokener_parse(event_json), *fin = NULL;
    int final = json_object_object_get_ex(e, "final", &fin) && json_object_get_boolean(fin);
    json_object_put(e);
    if (!final)
        return 0;
    pthread_mutex_lock(&w->lock);
    w->done = 1;
    pthread_cond_signal(&w->cond);
    pthread_mutex_unlock(&w->lock);
    return 1;
}

/* Block this thread until the job ends or `wait_s` pass; 1 when it ended. For a document that
 * cannot be answered later (a mutation with other fields, a stream). */
static int wait_blocking(const ratchet_engine_api *eng, int64_t id, int64_t wait_s)
{
    waiter w;
    pthread_mutex_init(&w.lock, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&w.cond, &ca);
    pthread_condattr_destroy(&ca);
    w.done = 0;
    ratchet_engine_sub *sub = eng->subscribe(id, 0, 0, on_event, &w);
    if (sub) {
        struct timespec until;
        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_sec += (time_t)wait_s;
        pthread_mutex_lock(&w.lock);
        while (!w.done && pthread_cond_timedwait(&w.cond, &w.lock, &until) == 0)
            ;
        pthread_mutex_unlock(&w.lock);
        eng->unsubscribe(sub);
    }
    int done = w.done;
    pthread_cond_destroy(&w.cond);
    pthread_mutex_destroy(&w.lock);
    return done;
}

/* TaskRunResult of job `id` from its record; `done`: it ended within the wait. */
static int sync_result(gql_resolve_info *info, int64_t id, int done, gql_value *out)
{
    const ratchet_engine_api *eng = graphql_eng(info);
    ratchet_buf buf = RATCHET_BUF_INIT;
    json_object *rec = graphql_answer(info, eng->job_get(id, &buf), &buf, 0);
    if (!rec)
        return -1;
    json_object *shaped = graphql_job(rec), *res = json_object_new_object();
    json_object_object_add(res, "status", json_object_get(member(shaped, "status")));
    json_object_object_add(res, "output", json_object_get(member(shaped, "output")));
    json_object_object_add(res, "error", json_object_get(member(shaped, "error")));
    json_object_object_add(res, "timedOut", json_object_new_boolean(!done));
    json_object *eid = member(rec, "executionId");
    if (eid && !json_object_is_type(eid, json_type_null)) {
        json_object *ex =
            graphql_answer(info, eng->execution_get(json_object_get_int64(eid), &buf), &buf, 1);
        if (ex)
            json_object_object_add(res, "durationMs", json_object_get(member(ex, "durationMs")));
        json_object_put(ex);
        free(info->error); /* the duration is a nicety: a failure to read it is no error */
        info->error = NULL;
    }
    json_object_object_add(res, "job", shaped);
    json_object_put(rec);
    out->json = res;
    return 0;
}

/* executeTaskSync. Three ways (graphql_defer.c): answering a deferred request, the job is
 * known and over (or the wait is); a request that may be deferred, the job is submitted and
 * noted, and the null answered now is thrown away; otherwise submit and wait here. */
static int r_execute_sync(gql_resolve_info *info, gql_value *out)
{
    graphql_call *call = info->context;
    if (call->resume_job)
        return sync_result(info, call->resume_job, call->resume_done, out);
    json_object *job = submit(info, "inputData");
    if (!job)
        return -1;
    int64_t id = json_object_get_int64(member(job, "id"));
    json_object *t = arg(info, "timeoutSeconds");
    int64_t wait_s = t ? json_object_get_int64(t) : 30;
    if (wait_s < 0)
        wait_s = 0;
    if (wait_s > GRAPHQL_SYNC_WAIT_MAX)
        wait_s = GRAPHQL_SYNC_WAIT_MAX;
    if (call->may_defer) {
        call->defer_job = id;
        call->defer_wait_s = wait_s;
        json_object *st = member(job, "status");
        snprintf(call->defer_status, sizeof call->defer_status, "%s",
                 st ? json_object_get_string(st) : "queued");
        json_object_put(job);
        return 0;
    }
    json_object_put(job);
    return sync_result(info, id, wait_blocking(graphql_eng(info), id, wait_s), out);
}

/* ---- jobs, executions, tasks, schedules ---------------------------------------------------- */

typedef ratchet_status (*id_fn)(int64_t id, ratchet_buf *out);
typedef ratchet_status (*ref_fn)(const char *ref, ratchet_buf *out);

static int by_id(gql_resolve_info *info, gql_value *out, id_fn fn,
                 json_object *(*shape)(json_object *))
{
    int64_t id = graphql_id_arg(info, "id");
    if (!id)
        return -1;
    ratchet_buf buf = RATCHET_BUF_INIT;
    json_object *rec = graphql_answer(info, fn(id, &buf), &buf, 0);
    if (!rec)
        return -1;
    out->json = shape ? shape(rec) : json_object_get(rec);
    json_object_put(rec);
    return 0;
}

static int r_job_action(gql_resolve_info *info, gql_value *out)
{
    const ratchet_engine_api *e = graphql_eng(info);
    const char *f = info->field->name;
    id_fn fn = strcmp(f, "cancelJob") == 0         ? e->job_cancel
               : strcmp(f, "retryJob") == 0        ? e->job_retry
               : strcmp(f, "cancelExecution") == 0 ? e->execution_cancel
                                                   : e->execution_retry;
    return by_id(info, out, fn, graphql_job);
}

static int by_ref(gql_resolve_info *info, gql_value *out, ratchet_status st, ratchet_buf *buf,
                  json_object *(*shape)(json_object *))
{
    json_object *rec = graphql_answer(info, st, buf, 0);
    if (!rec)
        return -1;
    out->json = shape ? shape(rec) : json_object_get(rec);
    json_object_put(rec);
    return 0;
}

static const char *ref_arg(gql_resolve_info *info)
{
    return json_object_get_string(arg(info, "id"));
}

static int r_task_enable(gql_resolve_info *info, gql_value *out)
{
    ratchet_buf buf = RATCHET_BUF_INIT;
    int on = strcmp(info->field->name, "enableTask") == 0;
    return by_ref(info, out, graphql_eng(info)->task_set_enabled(ref_arg(info), on, &buf), &buf,
                  graphql_task);
}

static int r_sync(gql_resolve_info *info, gql_value *out)
{
    ratchet_buf buf = RATCHET_BUF_INIT;
    json_object *ans = graphql_answer(info, graphql_eng(info)->tasks_sync(&buf), &buf, 0);
    if (!ans)
        return -1;
    if (!member(ans, "updated"))
        json_object_object_add(ans, "updated", json_object_new_array());
    out->json = ans;
    return 0;
}

/* CreateScheduleInput / UpdateScheduleInput as the engine's schedule fields. */
static json_object *schedule_request(gql_resolve_info *info, json_object *in)
{
    json_object *req = json_object_new_object(), *v;
    if ((v = member(in, "taskId")))
        task_ref(req, v);
    static const char *const same[] = {"name",  "description", "timezone",
                                       "input", "enabled",     "catchUp"};
    for (size_t i = 0; i < sizeof same / sizeof *same; i++)
        if ((v = member(in, same[i])))
            json_object_object_add(req, same[i], json_object_get(v));
    if ((v = member(in, "cronExpression")))
        json_object_object_add(req, "cron", json_object_get(v));
    if ((v = member(in, "outputDestinations"))) {
        json_object *d = destinations(info, v);
        if (!d) {
            json_object_put(req);
            return NULL;
        }
        json_object_object_add(req, "outputDestinations", d);
    }
    return req;
}

static int r_schedule_write(gql_resolve_info *info, gql_value *out)
{
    int create = strcmp(info->field->name, "createSchedule") == 0;
    json_object *req = schedule_request(info, arg(info, "input"));
    if (!req)
        return -1;
    const char *text = json_object_to_json_string_ext(req, JSON_C_TO_STRING_PLAIN);
    ratchet_buf buf = RATCHET_BUF_INIT;
    ratchet_status st = create ? graphql_eng(info)->schedule_create(text, &buf)
                               : graphql_eng(info)->schedule_update(ref_arg(info), text, &buf);
    json_object_put(req);
    return by_ref(info, out, st, &buf, graphql_schedule);
}

static int r_schedule_action(gql_resolve_info *info, gql_value *out)
{
    const ratchet_engine_api *e = graphql_eng(info);
    const char *f = info->field->name;
    ratchet_buf buf = RATCHET_BUF_INIT;
    if (strcmp(f, "deleteSchedule") == 0) {
        json_object *ans = graphql_answer(info, e->schedule_delete(ref_arg(info), &buf), &buf, 0);
        if (!ans && info->error)
            return -1;
        json_object_put(ans);
        out->json = json_object_new_boolean(1);
        return 0;
    }
    if (strcmp(f, "triggerSchedule") == 0)
        return by_ref(info, out, e->schedule_trigger(ref_arg(info), &buf), &buf, graphql_job);
    return by_ref(info, out,
                  e->schedule_set_enabled(ref_arg(info), strcmp(f, "enableSchedule") == 0, &buf),
                  &buf, graphql_schedule);
}

int graphql_mutation_install(gql_schema *s)
{
    static const struct {
        const char *field;
        gql_resolve_fn fn;
    } table[] = {
        {"enableTask", r_task_enable},
        {"disableTask", r_task_enable},
        {"syncTasks", r_sync},
        {"executeTask", r_execute},
        {"executeTaskSync", r_execute_sync},
        {"createJob", r_execute},
        {"cancelJob", r_job_action},
        {"retryJob", r_job_action},
        {"cancelExecution", r_job_action},
        {"retryExecution", r_job_action},
        {"createSchedule", r_schedule_write},
        {"updateSchedule", r_schedule_write},
        {"deleteSchedule", r_schedule_action},
        {"enableSchedule", r_schedule_action},
        {"disableSchedule", r_schedule_action},
        {"triggerSchedule", r_schedule_action},
    };
    for (size_t i = 0; i < sizeof table / sizeof *table; i++)
        if (gql_schema_resolver(s, "Mutation", table[i].field, table[i].fn, NULL) < 0)
            return -1;
    return graphql_author_install(s);
}
