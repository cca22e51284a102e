/*
 * plugins/api-rest/rest_execute.c - POST /api/v1/tasks/{id}/execute: queue a job for the task
 * and answer with its result when it ends within ?wait=SECONDS (default 30, 0..300):
 *
 *   200 {"data": {jobId, executionId, status, output, error, durationMs}}
 *   202 {"data": {jobId, status, links: {job, events}}} and Location: /api/v1/jobs/ID
 *
 * A failed execution is a 200 with status "failed" and the typed error: the request did what
 * it was asked (run the task), and the result is the failure. Errors of the request itself
 * (unknown task 404, bad input 400, disabled task 409) come before the job exists.
 *
 * The wait does not hold a pool thread: the request is deferred until the job's final status
 * event, the ?wait deadline, the client leaving or shutdown (frontend-common's fe_wait.h,
 * which api-graphql's executeTaskSync shares; it says who answers when). The answer is the
 * 200 from the final event (its durationMs looked up from the execution record when the event
 * lacks it) or the 202.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "fe_json.h"
#include "fe_wait.h"
#include "rest.h"

/* What the wait of one execute keeps (fe_wait.h's user). */
typedef struct exec_wait {
    rest *r;
    int64_t job_id;
} exec_wait;

/* 202: where to follow the job. */
static ratchet_status build_accepted(ratchet_buf *b, int64_t id, const char *status)
{
    return rest_host->buf_printf(b,
                                 "{\"data\":{\"jobId\":%lld,\"status\":\"%s\",\"links\":{"
                                 "\"job\":\"" REST_PREFIX "/jobs/%lld\",\"events\":\"" REST_PREFIX
                                 "/jobs/%lld/events\"}}}",
                                 (long long)id, status, (long long)id, (long long)id);
}

/* durationMs of execution `exec_id` (the JSON text of its id) from its record, as JSON text
 * into `d` (a storage call: only when the final event lacks it); 0 when it cannot be had. */
static int lookup_duration(const rest *r, const char *exec_id, size_t len, ratchet_buf *d)
{
    char id[32];
    if (len == 0 || len >= sizeof id)
        return 0;
    memcpy(id, exec_id, len);
    id[len] = '\0';
    char *end = NULL;
    long long v = strtoll(id, &end, 10);
    ratchet_buf out = RATCHET_BUF_INIT;
    struct json_object *rec = NULL, *m = NULL;
    int found =
        *end == '\0' && v > 0 && r->eng->execution_get(v, &out) == RATCHET_OK &&
        (rec = rest_parse(out.data)) && json_object_object_get_ex(rec, "durationMs", &m) &&
        rest_host->buf_append(d, rest_json_text(m), strlen(rest_json_text(m))) == RATCHET_OK;
    json_object_put(rec);
    rest_host->buf_free(&out);
    return found;
}

/* 200: {"data": {jobId, executionId, status, output, error, durationMs}} from the members of
 * the final status event, copied as they are written there (the output is not parsed and
 * written again: it may be large); absent ones are null. */
static ratchet_status build_result(const rest *r, ratchet_buf *b, const char *ev)
{
    static const char *const keys[] = {"jobId",  "executionId", "status",
                                       "output", "error",       "durationMs"};
    ratchet_status st = rest_host->buf_append(b, "{\"data\":{", 9);
    for (size_t i = 0; st == RATCHET_OK && i < sizeof keys / sizeof *keys; i++) {
        const char *v = NULL, *exec = NULL;
        size_t n = 0, exec_len = 0;
        st = rest_host->buf_printf(b, "%s\"%s\":", i ? "," : "", keys[i]);
        if (st != RATCHET_OK)
            break;
        if (fe_json_member(ev, keys[i], &v, &n))
            st = rest_host->buf_append(b, v, n);
        else if (strcmp(keys[i], "durationMs") != 0 ||
                 !fe_json_member(ev, "executionId", &exec, &exec_len) ||
                 !lookup_duration(r, exec, exec_len, b))
            st = rest_host->buf_append(b, "null", 4);
    }
    return st == RATCHET_OK ? rest_host->buf_append(b, "}}", 2) : st;
}

/* Answer `req` with the result of the final event (200; its text, may be NULL) or where to
 * follow the job (202). */
static void respond(const rest *r, ratchet_http_request *req, int64_t job_id, const char *status,
                    const char *final_event)
{
    const ratchet_http_api *http = r->http;
    ratchet_buf b = RATCHET_BUF_INIT, loc = RATCHET_BUF_INIT;
    if (final_event && build_result(r, &b, final_event) == RATCHET_OK) {
        http->respond(req, 200, "application/json", b.data, b.len);
        rest_host->buf_free(&b);
        return;
    }
    rest_host->buf_free(&b);
    ratchet_status st = build_accepted(&b, job_id, status);
    if (st == RATCHET_OK &&
        rest_host->buf_printf(&loc, REST_PREFIX "/jobs/%lld", (long long)job_id) == RATCHET_OK)
        http->add_header(req, "Location", loc.data);
    if (st == RATCHET_OK)
        http->respond(req, 202, "application/json", b.data, b.len);
    else
        http->respond_error(req, 500, "INTERNAL_ERROR", "out of memory");
    rest_host->buf_free(&b);
    rest_host->buf_free(&loc);
}

/* The wait's answer (fe_wait.h: no lock held, storage calls allowed). */
static void exec_answer(void *user, ratchet_http_request *req, const char *status,
                        const char *final_event)
{
    const exec_wait *w = user;
    respond(w->r, req, w->job_id, status, final_event);
}

static void exec_free(void *user)
{
    rest_host->free(user);
}

static const fe_wait_ops exec_wait_ops = {exec_answer, exec_free};

/* ?wait=SECONDS: 0..300, default 30; -1 after answering 400. */
static int parse_wait(const rest *r, ratchet_http_request *req)
{
    const char *w = r->http->query(req, "wait");
    if (!w)
        return REST_WAIT_DEFAULT;
    char *end = NULL;
    long v = strtol(w, &end, 10);
    if (!*w || *end || v < 0 || v > REST_WAIT_MAX)
        return rest_invalid(r, req, "wait must be a number of seconds from 0 to %d, not '%s'",
                            REST_WAIT_MAX, w) -
               1;
    return (int)v;
}

/* Queue the job for the task of the path; its id and status, or 0 after answering. */
static int64_t submit(const rest *r, const rest_op *op, ratchet_http_request *req, char *status,
                      size_t cap)
{
    struct json_object *body = NULL, *rec = NULL, *v = NULL;
    if (!rest_read_body(r, req, op->fields, 0, &body))
        return 0;
    rest_take_traceparent(r, req, body);
    const char *ref = r->http->param(req, "id");
    int64_t task_id = rest_parse_id(ref);
    json_object_object_add(body, task_id ? "taskId" : "taskName",
                           task_id ? json_object_new_int64(task_id)
                                   : json_object_new_string(ref ? ref : ""));
    /* Only the id and status are used: spare the engine reading the new job back. */
    json_object_object_add(body, "answer", json_object_new_string("brief"));
    ratchet_buf out = RATCHET_BUF_INIT;
    ratchet_status st = r->eng->job_submit(rest_json_text(body), &out);
    int64_t id = 0;
    if (st != RATCHET_OK)
        rest_send_engine_error(r, req, st, out.data);
    else if (!(rec = rest_parse(out.data)) || !json_object_object_get_ex(rec, "id", &v) ||
             (id = json_object_get_int64(v)) <= 0)
        rest_send_nomem(r, req);
    if (id > 0) {
        snprintf(status, cap, "%s",
                 json_object_object_get_ex(rec, "status", &v) ? json_object_get_string(v)
                                                              : "queued");
    }
    json_object_put(rec);
    json_object_put(body);
    rest_host->buf_free(&out);
    return id;
}

void rest_execute_handler(void *user, ratchet_http_request *req)
{
    const rest_binding *bind = user;
    rest *r = bind->r;
    int wait = parse_wait(r, req);
    char status[24];
    int64_t job_id = 0;
    if (wait < 0 || (job_id = submit(r, bind->op, req, status, sizeof status)) == 0)
        return;
    exec_wait *w = wait > 0 ? rest_host->calloc(1, sizeof *w) : NULL;
    if (w) {
        w->r = r;
        w->job_id = job_id;
    }
    if (!w || fe_wait_job(&r->reaper, r->http, req, job_id, status, (int64_t)wait * 1000,
                          &exec_wait_ops, w) != RATCHET_OK) {
        rest_host->free(w); /* wait=0, out of memory or stopping: answer where to look */
        respond(r, req, job_id, status, NULL);
    }
}
