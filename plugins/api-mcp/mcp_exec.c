/*
 * plugins/api-mcp/mcp_exec.c - running jobs for ratchet_execute_task and the task_<name> tools:
 * submit through the engine, wait for the job's final status event, and meanwhile send
 * notifications/progress (each change and a heartbeat every MCP_PROGRESS_MS, so that clients
 * whose request timeout resets on progress keep waiting) and the task's console lines as
 * notifications/message when the client asked for logs.
 *
 * The engine calls on_event on its own thread (or inside subscribe(), on this one): it copies
 * what it needs under mcp.lock and signals the call's condition. The call thread waits on that
 * condition, also woken by cancellation and stop(); it never holds the lock across an engine
 * call or a send.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "mcp.h"

#define MAX_PENDING_LOGS 100

typedef struct waiter {
    mcp_call *c;
    /* under mcp.lock */
    struct json_object *final; /* the final status event */
    struct json_object *logs;  /* console lines not yet sent (array) */
    char status[24];
    char line[240]; /* the last console line */
    int changed;
} waiter;

static int on_event(void *user, uint64_t seq, const char *event_json)
{
    waiter *w = user;
    (void)seq;
    struct json_object *ev = mcp_from_text(event_json), *fin = NULL;
    const char *type = mcp_get_string(ev, "type");
    int is_final = type && strcmp(type, "status") == 0 &&
                   json_object_object_get_ex(ev, "final", &fin) && json_object_get_boolean(fin);
    /* json-c's reference counts are not atomic: `ev` is handed over whole (to the logs or as
     * the final event) or dropped here, never shared with the call thread. */
    pthread_mutex_lock(&w->c->m->lock);
    if (type && strcmp(type, "status") == 0) {
        const char *st = mcp_get_string(ev, "status");
        snprintf(w->status, sizeof w->status, "%s", st ? st : "?");
    } else if (type && strcmp(type, "log") == 0) {
        const char *msg = mcp_get_string(ev, "message");
        snprintf(w->line, sizeof w->line, "%s", msg ? msg : "");
        if (mcp_array_len(w->logs) < MAX_PENDING_LOGS) {
            json_object_array_add(w->logs, ev);
            ev = NULL;
        }
    }
    if (is_final && !w->final) {
        w->final = ev;
        ev = NULL;
    }
    w->changed = 1;
    pthread_cond_broadcast(&w->c->cond);
    pthread_mutex_unlock(&w->c->m->lock);
    json_object_put(ev);
    return is_final;
}

int64_t mcp_exec_submit(mcp_call *c, struct json_object *request, struct json_object **err)
{
    ratchet_buf out = RATCHET_BUF_INIT;
    ratchet_status st = c->m->eng->job_submit(mcp_text(request, NULL), &out);
    struct json_object *job = st == RATCHET_OK ? mcp_from_text(out.data) : NULL, *id = NULL;
    int64_t job_id =
        job && json_object_object_get_ex(job, "id", &id) ? json_object_get_int64(id) : 0;
    if (st != RATCHET_OK)
        *err = mcp_tool_engine_error("the job was not queued", out.data);
    else if (job_id <= 0)
        *err = mcp_tool_error(NULL, "the engine's answer to job_submit has no job id");
    json_object_put(job);
    mcp_host->buf_free(&out);
    if (job_id > 0 && !mcp_call_add_job(c, job_id)) {
        ratchet_buf ignored = RATCHET_BUF_INIT;
        c->m->eng->job_cancel(job_id, &ignored);
        mcp_host->buf_free(&ignored);
        *err = mcp_tool_error(NULL, "cancelled");
        job_id = 0;
    }
    return job_id;
}

/* Console level -> MCP log level. */
static const char *mcp_level(const char *level)
{
    if (!level)
        return "info";
    if (strcmp(level, "warn") == 0)
        return "warning";
    if (strcmp(level, "error") == 0)
        return "error";
    if (strcmp(level, "trace") == 0 || strcmp(level, "debug") == 0)
        return "debug";
    return "info";
}

/* Send what changed (with the lock released). */
static void report(mcp_call *c, int64_t job_id, const char *status, const char *line,
                   struct json_object *logs, int64_t elapsed_ms)
{
    char msg[400];
    snprintf(msg, sizeof msg, "job %lld %s (%lld s)%s%s", (long long)job_id,
             *status ? status : "queued", (long long)(elapsed_ms / 1000), *line ? ": " : "", line);
    mcp_call_progress(c, msg);
    for (size_t i = 0; logs && i < mcp_array_len(logs); i++) {
        struct json_object *ev = json_object_array_get_idx(logs, i),
                           *data = json_object_new_object();
        json_object_object_add(data, "jobId", json_object_new_int64(job_id));
        const char *text = mcp_get_string(ev, "message");
        json_object_object_add(data, "message", json_object_new_string(text ? text : ""));
        mcp_call_log(c, mcp_level(mcp_get_string(ev, "level")), data);
    }
}

static struct timespec realtime_after(int64_t ms)
{
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    t.tv_sec += (time_t)(ms / 1000);
    t.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (t.tv_nsec >= 1000000000L) {
        t.tv_sec++;
        t.tv_nsec -= 1000000000L;
    }
    return t;
}

/* The wait loop; returns with the lock released. 0 final, 1 cancelled, 2 stopping, 3 timeout. */
static int wait_loop(waiter *w, int64_t job_id, int64_t timeout_ms)
{
    mcp_call *c = w->c;
    mcp *m = c->m;
    int64_t start = mcp_host->monotonic_ns() / 1000000;
    pthread_mutex_lock(&m->lock);
    for (;;) {
        int64_t now = mcp_host->monotonic_ns() / 1000000;
        int why = w->final                                      ? 0
                  : c->cancelled                                ? 1
                  : m->stopping                                 ? 2
                  : timeout_ms > 0 && now - start >= timeout_ms ? 3
                                                                : -1;
        if (why >= 0) {
            pthread_mutex_unlock(&m->lock);
            return why;
        }
        if (!w->changed) {
            int64_t wait = MCP_PROGRESS_MS;
            if (timeout_ms > 0 && start + timeout_ms - now < wait)
                wait = start + timeout_ms - now;
            struct timespec until = realtime_after(wait);
            if (pthread_cond_timedwait(&c->cond, &m->lock, &until) != ETIMEDOUT)
                continue;
        }
        char status[sizeof w->status], line[sizeof w->line];
        memcpy(status, w->status, sizeof status);
        memcpy(line, w->line, sizeof line);
        struct json_object *logs = w->logs;
        w->logs = json_object_new_array();
        w->changed = 0;
        pthread_mutex_unlock(&m->lock);
        report(c, job_id, status, line, logs, now - start);
        json_object_put(logs);
        pthread_mutex_lock(&m->lock);
    }
}

struct json_object *mcp_exec_wait(mcp_call *c, int64_t job_id, int64_t timeout_ms,
                                  struct json_object **err)
{
    waiter w = {.c = c, .logs = json_object_new_array()};
    ratchet_engine_sub *sub = c->m->eng->subscribe(job_id, 0, 0, on_event, &w);
    if (!sub) {
        json_object_put(w.logs);
        *err = mcp_tool_error(NULL, "could not follow job %lld (out of memory)", (long long)job_id);
        return NULL;
    }
    int why = wait_loop(&w, job_id, timeout_ms);
    c->m->eng->unsubscribe(sub);
    json_object_put(w.logs);
    if (why == 1) {
        ratchet_buf ignored = RATCHET_BUF_INIT;
        c->m->eng->job_cancel(job_id, &ignored);
        mcp_host->buf_free(&ignored);
        *err = mcp_tool_error(NULL, "cancelled: job %lld was cancelled", (long long)job_id);
    } else if (why == 2) {
        *err = mcp_tool_error(NULL, "the server is stopping; job %lld was left to the engine",
                              (long long)job_id);
    } else if (why == 3) {
        *err = mcp_tool_error(NULL,
                              "job %lld did not end within the timeout; follow it with "
                              "ratchet_list_jobs or ratchet_get_execution_status",
                              (long long)job_id);
    }
    if (why != 0) {
        json_object_put(w.final);
        return NULL;
    }
    return w.final;
}

/* The ids of a final event, as the result's _meta (tools keep structuredContent = output). */
static struct json_object *ids_meta(struct json_object *ev)
{
    struct json_object *meta = json_object_new_object(), *v = NULL;
    if (json_object_object_get_ex(ev, "jobId", &v))
        json_object_object_add(meta, "ratchet/jobId", json_object_get(v));
    if (json_object_object_get_ex(ev, "executionId", &v))
        json_object_object_add(meta, "ratchet/executionId", json_object_get(v));
    return meta;
}

struct json_object *mcp_exec_result(struct json_object *ev)
{
    const char *status = mcp_get_string(ev, "status");
    struct json_object *output = NULL, *error = NULL, *r;
    if (status && strcmp(status, "completed") == 0) {
        json_object_object_get_ex(ev, "output", &output);
        r = mcp_tool_ok(output ? json_object_get(output) : json_object_new_object());
    } else {
        json_object_object_get_ex(ev, "error", &error);
        struct json_object *detail = json_object_new_object(), *v = NULL;
        json_object_object_add(detail, "status", json_object_new_string(status ? status : "?"));
        json_object_object_add(detail, "error", json_object_get(error));
        if (json_object_object_get_ex(ev, "jobId", &v))
            json_object_object_add(detail, "jobId", json_object_get(v));
        if (json_object_object_get_ex(ev, "executionId", &v))
            json_object_object_add(detail, "executionId", json_object_get(v));
        const char *kind = mcp_get_string(error, "kind"), *name = mcp_get_string(error, "name"),
                   *msg = mcp_get_string(error, "message");
        r = mcp_tool_error(detail, "Task execution %s (%s): %s%s%s", status ? status : "failed",
                           kind ? kind : "error", name ? name : "", name ? ": " : "",
                           msg ? msg : "no message");
    }
    json_object_object_add(r, "_meta", ids_meta(ev));
    return r;
}

/* Submit, wait, answer. */
static struct json_object *run(mcp_call *c, struct json_object *request, int64_t timeout_ms)
{
    struct json_object *err = NULL, *ev = NULL;
    int64_t job = mcp_exec_submit(c, request, &err);
    if (job > 0)
        ev = mcp_exec_wait(c, job, timeout_ms, &err);
    json_object_put(request);
    if (!ev)
        return err;
    struct json_object *r = mcp_exec_result(ev);
    json_object_put(ev);
    return r;
}

/* {taskId} for an id (number or digits), {taskName} for a name. */
static int add_task_ref(struct json_object *req, struct json_object *ref)
{
    const char *s = json_object_is_type(ref, json_type_string) ? json_object_get_string(ref) : NULL;
    if (json_object_is_type(ref, json_type_int)) {
        json_object_object_add(req, "taskId", json_object_get(ref));
        return 1;
    }
    if (!s || !*s)
        return 0;
    int digits = strspn(s, "0123456789") == strlen(s);
    json_object_object_add(req, digits ? "taskId" : "taskName", json_object_new_string(s));
    return 1;
}

struct json_object *mcp_tool_execute(mcp_call *c, struct json_object *args)
{
    struct json_object *ref = NULL, *input = NULL, *req = json_object_new_object();
    json_object_object_get_ex(args, "task_id", &ref);
    if (!add_task_ref(req, ref)) {
        json_object_put(req);
        return mcp_tool_error(NULL, "task_id is required: the task's id or name");
    }
    if (!json_object_object_get_ex(args, "input", &input)) {
        json_object_put(req);
        return mcp_tool_error(NULL, "input is required: the task's input (an object for most "
                                    "tasks; see ratchet_list_available_tasks with "
                                    "include_schemas)");
    }
    json_object_object_add(req, "input", json_object_get(input));
    int64_t timeout = mcp_arg_int(args, "timeout", 0);
    if (timeout < 0) {
        json_object_put(req);
        return mcp_tool_error(NULL, "timeout must be a whole number of seconds");
    }
    return run(c, req, timeout * 1000);
}

struct json_object *mcp_tool_task(mcp_call *c, struct json_object *task, struct json_object *args)
{
    struct json_object *schema = NULL, *input = args, *req = json_object_new_object();
    json_object_object_get_ex(task, "inputSchema", &schema);
    const char *type = mcp_get_string(schema, "type");
    if (!type || strcmp(type, "object") != 0) /* wrapped: see task_tool_def */
        json_object_object_get_ex(args, "input", &input);
    json_object_object_add(req, "taskName", json_object_new_string(mcp_get_string(task, "name")));
    json_object_object_add(req, "input", json_object_get(input));
    return run(c, req, 0);
}
