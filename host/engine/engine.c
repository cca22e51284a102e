/* host/engine/engine.c - the serve loop: claim, dispatch, finish, retry, recover (see engine.h). */
#include "engine.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/core_layer.h"
#include "task/task_layer.h"
#include "engine_view.h"
#include "analysis.h"
#include "breaker.h"
#include "events.h"
#include "job_log.h"
#include "outbox.h"
#include "pool.h"
#include "relay.h"
#include "schedule.h"
#include "task_cache.h"

#define RT_FLUSH_MS    5 /* outcomes wait at most this long to share a transaction */
#define RT_FLUSH_BATCH 64

typedef struct pending_finish {
    ratchet_job_finish f;
    char *output, *error, *logs, *http; /* owned copies behind f's pointers */
    char *analysis;                     /* patterns and state of a failed attempt, or NULL */
    struct json_object *outputs;        /* destinations to deliver to once recorded, or NULL */
    int64_t task_version_id;
    int32_t attempt;
    rt_job_trace trace; /* trace_id "" for a job that never ran (requeued from the backlog) */
} pending_finish;

struct rt_engine {
    rt_app *app;
    rt_store *st;
    const ratchet_storage_vtable *vt;
    void *si;
    rt_pool pool;
    char owner[96];
    int64_t lease_ms, grace_ms, timeout_ms, memory_bytes;
    rt_task_cache tasks;
    pending_finish *fins;
    size_t nfins, fincap;
    int64_t first_pending_ms; /* when the oldest unflushed outcome was queued */
    /* Jobs claimed ahead of need (leased to this coordinator) and handed to workers as they
     * free up, so that one claim transaction serves several jobs. FIFO. */
    ratchet_claimed_job *backlog;
    size_t nbacklog, backlog_cap;
    int wake[2]; /* the waker thread writes a byte when storage says something changed */
    pthread_t waker;
    volatile int stop_waker;
    int stopping;
    int64_t stop_deadline, next_renew, next_requeue, next_cancel, next_prune;
    rt_scheduler *sched;
    rt_outbox *outbox;
    uint64_t rng;
    rt_engine_view view; /* what the API reads from other threads (engine.h) */
};

static int64_t now_ms(void)
{
    return rt_host_api()->now_us() / 1000;
}

/* ---- what the API reads (engine.h) -------------------------------------------------------- */

size_t rt_engine_workers(rt_engine *e, rt_worker_info **out)
{
    return rt_view_workers(&e->view, out);
}

int rt_engine_draining(rt_engine *e)
{
    return rt_view_get(&e->view, &e->view.draining);
}

void rt_engine_set_draining(rt_engine *e)
{
    rt_view_set(&e->view, &e->view.draining, 1);
}

int rt_engine_running(rt_engine *e)
{
    return rt_view_get(&e->view, &e->view.running);
}

void rt_engine_histograms(rt_engine *e, rt_histogram *duration, rt_histogram *queue_wait)
{
    rt_view_histograms(&e->view, duration, queue_wait);
}

static struct json_object *task_record(rt_engine *e, int64_t id)
{
    rt_cached_task *t = rt_task_cache_get(&e->tasks, id);
    return t ? t->rec : NULL;
}

static char *error_json(const char *kind, const char *name, const char *message, const char *stack)
{
    struct json_object *o = json_object_new_object();
    json_object_object_add(o, "kind", json_object_new_string(kind));
    json_object_object_add(o, "name", name ? json_object_new_string(name) : NULL);
    json_object_object_add(o, "message", json_object_new_string(message ? message : ""));
    json_object_object_add(o, "stack", stack ? json_object_new_string(stack) : NULL);
    char *text = strdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
    json_object_put(o);
    return text;
}

/* Capped exponential backoff with up to 10 % jitter. */
static int64_t retry_delay(rt_engine *e, const ratchet_claimed_job *job)
{
    int64_t d = job->retry_base_ms;
    for (int i = 1; i < job->attempt && d < job->retry_max_ms; i++)
        d *= 2;
    if (d > job->retry_max_ms)
        d = job->retry_max_ms;
    e->rng = e->rng * 6364136223846793005ULL + 1442695040888963407ULL;
    return d + (int64_t)((double)d * 0.1 * (double)(e->rng >> 11) / 9007199254740992.0);
}

/* The job's output destinations (from its meta), or NULL. */
static struct json_object *job_outputs(const ratchet_claimed_job *job)
{
    struct json_object *meta = job->meta_json ? json_tokener_parse(job->meta_json) : NULL;
    struct json_object *outputs = NULL, *found;
    if (meta && json_object_object_get_ex(meta, "outputs", &found) &&
        json_object_is_type(found, json_type_array) && json_object_array_length(found) > 0)
        outputs = json_object_get(found);
    json_object_put(meta);
    return outputs;
}

/* Deliver a recorded outcome's outputs, but only if storage really took this finish (the job
 * is final and carries this execution): a finish ignored for an expired lease must not
 * deliver, since the job runs again. */
static void deliver_if_recorded(rt_engine *e, const pending_finish *p)
{
    if (!p->outputs || !e->outbox)
        return;
    ratchet_buf out = RATCHET_BUF_INIT;
    struct json_object *job = NULL, *v;
    if (e->vt->job_get(e->si, p->f.job_id, &out) == RATCHET_OK && out.data)
        job = json_tokener_parse(out.data);
    rt_buf_free(&out);
    const char *status =
        job && json_object_object_get_ex(job, "status", &v) ? json_object_get_string(v) : "";
    int64_t exec =
        job && json_object_object_get_ex(job, "executionId", &v) ? json_object_get_int64(v) : 0;
    if (exec == p->f.execution_id &&
        (strcmp(status, "completed") == 0 || strcmp(status, "failed") == 0)) {
        struct json_object *rec = task_record(e, p->task_version_id);
        const char *task =
            rec && json_object_object_get_ex(rec, "name", &v) ? json_object_get_string(v) : NULL;
        const char *version =
            rec && json_object_object_get_ex(rec, "version", &v) ? json_object_get_string(v) : NULL;
        rt_outbox_push(e->outbox, p->outputs, p->f.job_id, p->f.execution_id, task, version, status,
                       p->output, p->error, &p->trace);
    }
    json_object_put(job);
}

static const char *finish_status(ratchet_finish_kind kind)
{
    switch (kind) {
    case RATCHET_FINISH_COMPLETED:
        return "completed";
    case RATCHET_FINISH_RETRY:
        return "retrying";
    case RATCHET_FINISH_FAILED:
        return "failed";
    case RATCHET_FINISH_CANCELLED:
        return "cancelled";
    default:
        return "queued";
    }
}

/* Whether storage took this finish: the job carries its execution (checked only when a
 * batch was partly ignored for expired leases). */
static int finish_recorded(rt_engine *e, const pending_finish *p)
{
    ratchet_buf out = RATCHET_BUF_INIT;
    struct json_object *job = NULL, *v;
    if (e->vt->job_get(e->si, p->f.job_id, &out) == RATCHET_OK && out.data)
        job = json_tokener_parse(out.data);
    rt_buf_free(&out);
    int64_t exec =
        job && json_object_object_get_ex(job, "executionId", &v) ? json_object_get_int64(v) : 0;
    json_object_put(job);
    return exec == p->f.execution_id;
}

/* After an outcome is recorded: its status event (a client woken by it reads the final job)
 * and the duration histogram. */
static void announce_finish(rt_engine *e, const pending_finish *p)
{
    /* The queue wait is taken here rather than at dispatch: a job can be claimed before the
     * API that queued it has published its "queued" event, never finished before. */
    if (p->f.started_ms && p->f.kind != RATCHET_FINISH_REQUEUE) {
        int64_t queued = p->attempt == 1 ? rt_events_current_queued_ms(p->f.job_id) : 0;
        /* The API publishes "queued" just after storing the job; the engine may have taken
         * it in between: at most that moment early, counted as no wait. */
        int64_t wait = queued > 0 && p->f.started_ms > queued ? p->f.started_ms - queued : 0;
        rt_view_observe(&e->view, (double)p->f.duration_ms / 1000.0,
                        queued > 0 ? (double)wait / 1000.0 : -1);
    }
    rt_job_trace_finish(&p->trace, finish_status(p->f.kind), p->f.error_json);
    struct json_object *rec = task_record(e, p->task_version_id);
    rt_job_log_enter(p->f.job_id, p->f.execution_id, rec ? rt_rec_str(rec, "name") : NULL);
    rt_log_ctx_set_trace(p->trace.trace_id, p->trace.root);
    rt_job_log_outcome(finish_status(p->f.kind), p->attempt,
                       p->f.kind == RATCHET_FINISH_REQUEUE ? NULL : p->f.error_json,
                       p->f.duration_ms);
    rt_job_log_leave();
    /* durationMs as storage recorded it (job_finish stores a negative one as 0). */
    rt_events_emit_outcome(p->f.job_id, p->f.execution_id, rec ? rt_rec_str(rec, "name") : NULL,
                           finish_status(p->f.kind), p->attempt, p->f.output_json,
                           p->f.kind == RATCHET_FINISH_REQUEUE ? NULL : p->f.error_json,
                           p->f.started_ms && p->f.kind != RATCHET_FINISH_REQUEUE
                               ? (p->f.duration_ms > 0 ? p->f.duration_ms : 0)
                               : -1);
}

/* The analysis kept with a failed attempt (analysis.h): its patterns, and the worker that
 * ran it when `job` is a slot's. */
static char *failure_analysis(rt_engine *e, const ratchet_claimed_job *job, const char *error,
                              const char *logs)
{
    const rt_slot *slot = NULL;
    for (size_t i = 0; i < e->pool.count && !slot; i++)
        if (&e->pool.slots[i].job == job)
            slot = &e->pool.slots[i];
    struct json_object *rec = task_record(e, job->task_version_id), *name = NULL;
    json_object_object_get_ex(rec, "name", &name);
    return rt_analysis_at_failure(e->vt, e->si, error, logs, name ? json_object_get_string(name)
                                                                  : NULL,
                                  slot ? slot->index : -1,
                                  !slot         ? 0
                                  : slot->rss_kb ? slot->rss_kb
                                                 : rt_analysis_rss_kb((int)slot->pid));
}

/* Queue the outcome of a job; flushed in one transaction per loop turn. Takes the strings
 * and the job's own strings; `fetcher` (may be NULL) holds its HTTP calls. */
static void finish_job(rt_engine *e, ratchet_claimed_job *job, job_http *http,
                       const rt_job_trace *trace, int64_t started_ms, ratchet_finish_kind kind,
                       char *output, char *error, char *logs)
{
    if (e->nfins == e->fincap) {
        size_t cap = e->fincap ? e->fincap * 2 : 16;
        pending_finish *grown = realloc(e->fins, cap * sizeof *grown);
        if (!grown) {
            free(output);
            free(error);
            free(logs);
            return; /* the lease expires and the job is requeued: late, not lost */
        }
        e->fins = grown;
        e->fincap = cap;
    }
    if ((kind == RATCHET_FINISH_RETRY || kind == RATCHET_FINISH_FAILED) &&
        job->attempt > job->max_retries)
        kind = RATCHET_FINISH_FAILED;
    if (e->nfins == 0)
        e->first_pending_ms = now_ms();
    pending_finish *p = &e->fins[e->nfins++];
    memset(p, 0, sizeof *p);
    if (kind == RATCHET_FINISH_COMPLETED || kind == RATCHET_FINISH_FAILED)
        p->outputs = job_outputs(job);
    p->task_version_id = job->task_version_id;
    p->attempt = job->attempt;
    if (trace)
        p->trace = *trace;
    p->output = output;
    p->error = error;
    p->logs = logs;
    p->http = rt_job_http_calls(http);
    int64_t now = now_ms();
    p->f = (ratchet_job_finish){RATCHET_ABI_INIT(ratchet_job_finish),
                                job->job_id,
                                job->execution_id,
                                e->owner,
                                kind,
                                p->output,
                                p->error,
                                p->logs,
                                p->http,
                                started_ms,
                                started_ms ? now - started_ms : 0,
                                kind == RATCHET_FINISH_RETRY ? now + retry_delay(e, job) : 0,
                                NULL};
    if ((kind == RATCHET_FINISH_RETRY || kind == RATCHET_FINISH_FAILED) && error)
        p->f.analysis_json = p->analysis = failure_analysis(e, job, error, logs);
    free(job->input_json);
    free(job->meta_json);
    memset(job, 0, sizeof *job);
}

/* finish_job for the job a worker slot runs. */
static void finish(rt_engine *e, rt_slot *s, ratchet_finish_kind kind, char *output, char *error,
                   char *logs)
{
    rt_job_trace_run_end(&s->trace, error);
    finish_job(e, &s->job, s->fetcher, &s->trace, s->job_started_ms, kind, output, error, logs);
    rt_job_http_release(s->fetcher);
    s->fetcher = NULL;
    s->deadline_ms = 0;
}

/* Record the queued outcomes in one transaction. RATCHET_RETRY (busy): they stay queued for
 * the next turn. An error: each is tried on its own, so one bad row cannot take the others
 * with it; only outcomes that fail alone are given up (their job is requeued when its lease
 * expires). */
static ratchet_status flush_once(rt_engine *e)
{
    ratchet_job_finish *fs = malloc(e->nfins * sizeof *fs);
    if (!fs)
        return RATCHET_RETRY;
    for (size_t i = 0; i < e->nfins; i++)
        fs[i] = e->fins[i].f;
    size_t applied = 0;
    rt_error_clear();
    ratchet_status rc = e->vt->job_finish(e->si, fs, e->nfins, &applied);
    if (rc == RATCHET_ERR) {
        rt_log(RATCHET_LOG_ERROR, "recording %zu job outcome(s) failed (%s); trying one by one",
               e->nfins, rt_error_peek());
        applied = 0;
        for (size_t i = 0; i < e->nfins; i++) {
            size_t one = 0;
            rt_error_clear();
            if (e->vt->job_finish(e->si, &fs[i], 1, &one) != RATCHET_OK)
                rt_log(RATCHET_LOG_ERROR, "job %lld: outcome not recorded: %s",
                       (long long)fs[i].job_id, rt_error_peek());
            applied += one;
        }
        rc = RATCHET_OK;
    }
    if (rc == RATCHET_OK && applied < e->nfins)
        rt_log(RATCHET_LOG_WARN, "%zu job outcome(s) ignored: their lease had expired",
               e->nfins - applied);
    for (size_t i = 0; rc == RATCHET_OK && i < e->nfins; i++)
        deliver_if_recorded(e, &e->fins[i]);
    for (size_t i = 0; rc == RATCHET_OK && i < e->nfins; i++)
        if (applied == e->nfins || finish_recorded(e, &e->fins[i]))
            announce_finish(e, &e->fins[i]);
    free(fs);
    return rc;
}

static void flush_finishes(rt_engine *e, int force)
{
    if (e->nfins == 0)
        return;
    if (!force && e->nfins < RT_FLUSH_BATCH && now_ms() - e->first_pending_ms < RT_FLUSH_MS)
        return;
    /* At shutdown, a busy database gets a few seconds before outcomes are given up. */
    int64_t deadline = now_ms() + (e->stopping ? 5000 : 0);
    while (flush_once(e) == RATCHET_RETRY) {
        if (now_ms() >= deadline)
            return;
        struct timespec pause = {0, 10 * 1000 * 1000};
        nanosleep(&pause, NULL);
    }
    for (size_t i = 0; i < e->nfins; i++) {
        free(e->fins[i].output);
        free(e->fins[i].error);
        free(e->fins[i].logs);
        free(e->fins[i].http);
        free(e->fins[i].analysis);
        json_object_put(e->fins[i].outputs);
    }
    e->nfins = 0;
    e->vt->notify(e->si); /* wake `jobs submit --wait` */
}

/* A worker's result message. */
static void on_result(rt_engine *e, rt_slot *s, const rt_ipc_result *r)
{
    rt_slot_logs_add(s, r->logs.obj); /* after the lines streamed as `log` messages */
    rt_events_emit_logs(s->job.job_id, s->job.execution_id, r->logs.obj);
    rt_job_log_console(r->logs.obj);
    char *logs = rt_slot_logs_take(s);
    if (r->outcome == RATCHET_EXEC_OK) {
        rt_cached_task *t = rt_task_cache_get(&e->tasks, s->job.task_version_id);
        ratchet_buf why = RATCHET_BUF_INIT;
        if (t && !rt_cached_task_output_ok(t, r->output.obj, &why)) {
            finish(e, s, RATCHET_FINISH_RETRY, NULL,
                   error_json("output invalid", NULL, why.data, NULL), logs);
        } else {
            finish(e, s, RATCHET_FINISH_COMPLETED,
                   strdup(json_object_to_json_string_ext(r->output.obj, JSON_C_TO_STRING_PLAIN)),
                   NULL, logs);
        }
        rt_buf_free(&why);
    } else {
        const char *kind = rt_ipc_outcome_name(r->outcome);
        finish(e, s, RATCHET_FINISH_RETRY, NULL,
               error_json(kind, r->error.name, r->error.message, r->error.stack), logs);
    }
    s->state = RT_SLOT_IDLE;
    s->executed++;
}

/* ---- workers ------------------------------------------------------------------------------ */

/* Read and act on what a worker sent. Returns -1 when its stream ended. */
static int drain_worker(rt_engine *e, rt_slot *s)
{
    rt_error err;
    rt_ipc_io io = rt_ipc_read_ready(&s->reader, s->from_fd, &err);
    for (;;) {
        const char *line;
        size_t len;
        rt_ipc_io n = rt_ipc_next_line(&s->reader, &line, &len, &err);
        if (n == RT_IPC_IO_ERR || io == RT_IPC_IO_ERR) {
            rt_log(RATCHET_LOG_ERROR, "worker %d: %s; replacing it", s->index, err.msg);
            s->kill_reason = s->kill_reason ? s->kill_reason : RT_KILL_PROTOCOL;
            kill(s->pid, SIGKILL);
            return -1;
        }
        if (n != RT_IPC_IO_OK)
            return n == RT_IPC_IO_AGAIN && io == RT_IPC_IO_OK ? 0 : -1;
        rt_ipc_msg m;
        memset(&m, 0, sizeof m);
        if (rt_ipc_decode(line, len, &m, &err) != RATCHET_OK) {
            rt_log(RATCHET_LOG_ERROR, "worker %d sent a bad message (%s); replacing it", s->index,
                   err.msg);
            s->kill_reason = RT_KILL_PROTOCOL;
            kill(s->pid, SIGKILL);
            return -1;
        }
        if (m.type == RT_IPC_READY) {
            s->state = RT_SLOT_IDLE;
            s->start_failures = 0;
        } else if (m.type == RT_IPC_RESULT && s->state == RT_SLOT_BUSY &&
                   m.result.job_id == s->job.job_id) {
            on_result(e, s, &m.result);
        } else if (m.type == RT_IPC_LOG && s->state == RT_SLOT_BUSY &&
                   m.log.job_id == s->job.job_id) {
            rt_slot_logs_add(s, m.log.logs.obj);
            rt_events_emit_logs(s->job.job_id, s->job.execution_id, m.log.logs.obj);
            rt_job_log_console(m.log.logs.obj);
        } else if (m.type == RT_IPC_FETCH && s->state == RT_SLOT_BUSY) {
            rt_relay_fetch(s, &m);
        } else if (m.type == RT_IPC_PONG) {
            s->ping_sent_ms = 0;
            s->last_pong_ms = now_ms();
            s->rss_kb = m.pong.rss_kb;
        } else if (m.type == RT_IPC_ERROR) {
            rt_log(RATCHET_LOG_WARN, "worker %d: %s", s->index, m.error.message);
        }
        rt_ipc_msg_free(&m);
    }
}

/* The worker's process ended: reap it, settle its job, schedule its replacement. */
static void on_worker_exit(rt_engine *e, rt_slot *s)
{
    int status = 0;
    /* Its output ended: make sure the process ends too before waiting for it (a worker that
     * closed stdout but lives on must not block the loop). */
    if (waitpid(s->pid, &status, WNOHANG) == 0) {
        kill(s->pid, SIGKILL);
        while (waitpid(s->pid, &status, 0) < 0 && errno == EINTR)
            ;
    }
    if (s->state == RT_SLOT_BUSY) {
        char why[160];
        if (s->kill_reason == RT_KILL_TIMEOUT)
            snprintf(why, sizeof why, "timed out after %g s", (double)s->timeout_ms / 1000.0);
        else if (WIFSIGNALED(status))
            snprintf(why, sizeof why, "the worker process died (signal %d, %s)", WTERMSIG(status),
                     strsignal(WTERMSIG(status)));
        else
            snprintf(why, sizeof why, "the worker process exited (status %d)", WEXITSTATUS(status));
        /* The lines it printed before it was stopped are kept with the failed execution. */
        char *logs = rt_slot_logs_take(s);
        if (s->kill_reason == RT_KILL_CANCEL) {
            finish(e, s, RATCHET_FINISH_CANCELLED, NULL,
                   error_json("cancelled", NULL, "cancelled while running", NULL), logs);
        } else if (s->kill_reason == RT_KILL_SHUTDOWN) {
            free(logs); /* requeued: it runs again from the start */
            finish(e, s, RATCHET_FINISH_REQUEUE, NULL, NULL, NULL);
        } else {
            finish(e, s, RATCHET_FINISH_RETRY, NULL,
                   error_json(s->kill_reason == RT_KILL_TIMEOUT ? "timed out" : "crashed", NULL,
                              why, NULL),
                   logs);
        }
        if (s->kill_reason != RT_KILL_SHUTDOWN)
            rt_log(RATCHET_LOG_WARN, "worker %d: %s", s->index, why);
    } else if (s->state == RT_SLOT_STARTING) {
        rt_log(RATCHET_LOG_ERROR,
               "worker %d died while starting (status %d); retrying with backoff", s->index,
               status);
    }
    rt_pool_mark_dead(s, now_ms());
}

/* A job went to a worker: its "running" event. */
static void announce_running(const rt_slot *s, const char *task_name)
{
    rt_events_emit_status(s->job.job_id, s->job.execution_id, task_name, "running", s->job.attempt,
                          NULL, NULL);
}

static void send_job(rt_engine *e, rt_slot *s, ratchet_claimed_job *job)
{
    s->job = *job;
    s->state = RT_SLOT_BUSY;
    free(rt_slot_logs_take(s)); /* nothing left over from an earlier job */
    s->job_started_ms = now_ms();
    s->timeout_ms = e->timeout_ms;
    s->deadline_ms = s->job_started_ms + e->timeout_ms;
    s->fetcher = rt_job_http_new();
    rt_cached_task *task = rt_task_cache_get(&e->tasks, job->task_version_id);
    struct json_object *rec = task ? task->rec : NULL;
    rt_job_log_enter(job->job_id, job->execution_id, rec ? rt_rec_str(rec, "name") : NULL);
    rt_job_trace_begin(&s->trace, job, rec ? rt_rec_str(rec, "name") : "?");
    rt_log_ctx_set_trace(s->trace.trace_id, s->trace.run);
    char execution[32];
    snprintf(execution, sizeof execution, "%lld", (long long)job->execution_id);
    rt_ipc_msg m;
    memset(&m, 0, sizeof m);
    m.type = RT_IPC_EXECUTE;
    m.id = job->job_id;
    m.execute.job_id = job->job_id;
    m.execute.execution_id = execution;
    m.execute.task.name = rec ? rt_rec_str(rec, "name") : "?";
    m.execute.task.version = rec ? rt_rec_str(rec, "version") : "?";
    m.execute.task.uuid = rec ? rt_rec_str(rec, "uuid") : NULL;
    m.execute.task.code = task ? task->code : NULL;
    m.execute.task.modules = task ? task->modules : NULL;
    m.execute.task.map = task ? task->map : NULL;
    m.execute.task.file = task ? task->file : NULL;
    m.execute.input = (rt_ipc_json){NULL, job->input_json, strlen(job->input_json)};
    m.execute.timeout_ms = e->timeout_ms;
    m.execute.memory_bytes = e->memory_bytes;
    m.execute.trace_id = s->trace.trace_id;
    m.execute.span_id = s->trace.run;
    if (!rec) {
        finish(e, s, RATCHET_FINISH_FAILED, NULL,
               error_json("host error", NULL, "the job's task version is not in storage", NULL),
               NULL);
        s->state = RT_SLOT_IDLE;
    } else if (!task->code) {
        finish(e, s, RATCHET_FINISH_FAILED, NULL,
               error_json("compile error", NULL, task->compile_error, NULL), NULL);
        s->state = RT_SLOT_IDLE;
    } else if (rt_pool_send(s, &m) != RATCHET_OK) {
        /* Dead or stuck: replace it; the job was not run, so it goes back unchanged. */
        s->kill_reason = RT_KILL_SHUTDOWN;
        kill(s->pid, SIGKILL);
    } else {
        announce_running(s, m.execute.task.name);
    }
    rt_job_log_leave();
}

/* The oldest backlog job (FIFO), moved to *out. */
static int backlog_take(rt_engine *e, ratchet_claimed_job *out)
{
    if (e->nbacklog == 0)
        return 0;
    *out = e->backlog[0];
    memmove(e->backlog, e->backlog + 1, --e->nbacklog * sizeof *e->backlog);
    return 1;
}

static void dispatch(rt_engine *e)
{
    if (e->stopping)
        return;
    size_t idle = 0;
    for (size_t i = 0; i < e->pool.count; i++) {
        rt_slot *s = &e->pool.slots[i];
        ratchet_claimed_job job;
        if (s->state == RT_SLOT_IDLE && !s->kill_reason && backlog_take(e, &job))
            send_job(e, s, &job);
        idle += s->state == RT_SLOT_IDLE && !s->kill_reason;
    }
    /* Claim when a worker waits, or to keep one job per worker ready behind the running ones. */
    if (idle == 0 && e->nbacklog >= e->pool.count)
        return;
    size_t want = idle + e->backlog_cap - e->nbacklog;
    ratchet_claimed_job *jobs = calloc(want, sizeof *jobs);
    size_t n = 0;
    if (!jobs)
        return;
    for (size_t i = 0; i < want; i++)
        jobs[i].abi = (ratchet_abi)RATCHET_ABI_INIT(ratchet_claimed_job);
    rt_error_clear();
    ratchet_status rc = e->vt->job_claim(e->si, e->owner, now_ms(), e->lease_ms, jobs, want, &n);
    if (rc != RATCHET_OK && rc != RATCHET_RETRY)
        rt_log(RATCHET_LOG_ERROR, "claiming jobs failed: %s", rt_error_peek());
    size_t k = 0;
    for (size_t i = 0; i < e->pool.count && k < n; i++)
        if (e->pool.slots[i].state == RT_SLOT_IDLE && !e->pool.slots[i].kill_reason)
            send_job(e, &e->pool.slots[i], &jobs[k++]);
    for (; k < n; k++)
        e->backlog[e->nbacklog++] = jobs[k];
    free(jobs);
}

/* Jobs claimed but never started go back to the queue (shutdown): their attempt is not
 * counted. */
static void requeue_backlog(rt_engine *e)
{
    ratchet_claimed_job job;
    while (backlog_take(e, &job))
        finish_job(e, &job, NULL, NULL, 0, RATCHET_FINISH_REQUEUE, NULL, NULL, NULL);
}

/* ---- housekeeping ------------------------------------------------------------------------- */

static void check_cancels(rt_engine *e)
{
    ratchet_buf out = RATCHET_BUF_INIT;
    struct json_object *ids = NULL;
    if (e->vt->job_cancel_requests(e->si, e->owner, &out) == RATCHET_OK && out.data)
        ids = json_tokener_parse(out.data);
    for (size_t k = 0; ids && k < json_object_array_length(ids); k++) {
        int64_t id = json_object_get_int64(json_object_array_get_idx(ids, k));
        for (size_t b = 0; b < e->nbacklog; b++)
            if (e->backlog[b].job_id == id) {
                ratchet_claimed_job job = e->backlog[b];
                memmove(e->backlog + b, e->backlog + b + 1,
                        (--e->nbacklog - b) * sizeof *e->backlog);
                finish_job(e, &job, NULL, NULL, 0, RATCHET_FINISH_CANCELLED, NULL,
                           error_json("cancelled", NULL, "cancelled before it started", NULL),
                           NULL);
                break;
            }
        for (size_t i = 0; i < e->pool.count; i++) {
            rt_slot *s = &e->pool.slots[i];
            if (s->state == RT_SLOT_BUSY && s->job.job_id == id && !s->kill_reason) {
                s->kill_reason = RT_KILL_CANCEL;
                kill(s->pid, SIGKILL);
            }
        }
    }
    json_object_put(ids);
    rt_buf_free(&out);
}

/* Idle workers are pinged every RT_PING_MS; one that does not answer within RT_PONG_MS is
 * stuck and replaced. (A busy worker's health is its job's deadline.) */
#define RT_PING_MS 10000
#define RT_PONG_MS 5000

static void check_health(rt_slot *s, int64_t now)
{
    if (s->state == RT_SLOT_STARTING && now - s->started_ms > RT_PING_MS && !s->kill_reason) {
        rt_log(RATCHET_LOG_WARN, "worker %d never became ready; replacing it", s->index);
        s->kill_reason = RT_KILL_PROTOCOL;
        kill(s->pid, SIGKILL);
    }
    if (s->state != RT_SLOT_IDLE)
        return;
    if (s->ping_sent_ms && now - s->ping_sent_ms > RT_PONG_MS && !s->kill_reason) {
        rt_log(RATCHET_LOG_WARN, "worker %d did not answer a ping; replacing it", s->index);
        s->kill_reason = RT_KILL_PROTOCOL;
        kill(s->pid, SIGKILL);
    } else if (!s->ping_sent_ms &&
               now - (s->last_pong_ms ? s->last_pong_ms : s->started_ms) > RT_PING_MS) {
        rt_ipc_msg ping;
        memset(&ping, 0, sizeof ping);
        ping.type = RT_IPC_PING;
        ping.id = now;
        if (rt_pool_send(s, &ping) == RATCHET_OK)
            s->ping_sent_ms = now;
    }
}

static void housekeeping(rt_engine *e, int64_t now)
{
    size_t n;
    if (now >= e->next_renew) {
        e->vt->job_renew(e->si, e->owner, now, e->lease_ms);
        e->next_renew = now + e->lease_ms / 3;
    }
    if (now >= e->next_requeue) {
        if (e->vt->job_requeue_expired(e->si, now, &n) == RATCHET_OK && n > 0)
            rt_log(RATCHET_LOG_WARN, "requeued %zu job(s) whose coordinator stopped responding", n);
        e->next_requeue = now + e->lease_ms / 2;
    }
    if (now >= e->next_cancel) {
        check_cancels(e);
        e->next_cancel = now + 250;
    }
    if (now >= e->next_prune) {
        if (e->vt->prune(e->si, 0, &n) == RATCHET_OK && n > 0)
            rt_log(RATCHET_LOG_INFO, "pruned %zu finished job(s) past the retention period", n);
        e->next_prune = now + 3600 * 1000;
    }
    for (size_t i = 0; i < e->pool.count; i++) {
        rt_slot *s = &e->pool.slots[i];
        check_health(s, now);
        if (s->state == RT_SLOT_BUSY && s->deadline_ms && now >= s->deadline_ms &&
            !s->kill_reason) {
            s->kill_reason = RT_KILL_TIMEOUT;
            kill(s->pid, SIGKILL);
        }
        if (s->state == RT_SLOT_DEAD && !e->stopping && now >= s->restart_at_ms &&
            rt_pool_spawn(&e->pool, s, now) != RATCHET_OK)
            s->restart_at_ms = now + 1000;
    }
}

/* Milliseconds the loop may sleep: until the next deadline, timer or due job. */
static int sleep_budget(rt_engine *e, int64_t now)
{
    int64_t until = now + 1000;
    int64_t timers[] = {e->next_renew, e->next_requeue, e->next_prune,
                        rt_scheduler_next_ms(e->sched)};
    for (size_t i = 0; i < sizeof timers / sizeof *timers; i++)
        if (timers[i] > 0 && timers[i] < until)
            until = timers[i];
    int busy = 0, idle = 0;
    for (size_t i = 0; i < e->pool.count; i++) {
        rt_slot *s = &e->pool.slots[i];
        busy |= s->state == RT_SLOT_BUSY;
        idle |= s->state == RT_SLOT_IDLE;
        if (s->state == RT_SLOT_BUSY && s->deadline_ms && s->deadline_ms < until)
            until = s->deadline_ms;
        if (s->state == RT_SLOT_DEAD && !e->stopping && s->restart_at_ms < until)
            until = s->restart_at_ms;
    }
    if (busy && e->next_cancel < until)
        until = e->next_cancel;
    /* A job due later matters only to an idle worker (a busy one wakes the loop when it is
     * done): no storage round trip per turn while the queue burns down. */
    int64_t due = 0;
    if (idle && e->vt->job_next_due(e->si, now, &due) == RATCHET_OK && due > 0 && due < until)
        until = due;
    if (e->stopping && e->stop_deadline < until)
        until = e->stop_deadline;
    if (e->nfins > 0 && e->first_pending_ms + RT_FLUSH_MS < until)
        until = e->first_pending_ms + RT_FLUSH_MS;
    return until <= now ? 0 : (int)(until - now);
}

/* ---- the waker: storage changes (other processes' submits) interrupt the loop's poll ----- */

static void *waker_main(void *arg)
{
    rt_engine *e = arg;
    while (!e->stop_waker)
        if (e->vt->wait(e->si, 500) == RATCHET_OK) {
            char b = 1;
            if (write(e->wake[1], &b, 1) < 0 && errno != EAGAIN)
                break;
        }
    return NULL;
}

/* ---- lifecycle ---------------------------------------------------------------------------- */

rt_engine *rt_engine_new(rt_app *app, rt_store *st, char **worker_argv, rt_error *err)
{
    rt_engine *e = calloc(1, sizeof *e);
    if (!e) {
        rt_fail(err, "out of memory");
        return NULL;
    }
    e->app = app;
    e->st = st;
    e->vt = st->vt;
    e->si = st->inst;
    e->tasks.vt = st->vt;
    e->tasks.si = st->inst;
    e->wake[0] = e->wake[1] = -1;
    rt_view_init(&e->view);
    const ratchet_config *eng = rt_settings_section(&app->settings, "engine");
    const ratchet_config *exec = rt_settings_section(&app->settings, "execution");
    e->lease_ms = rt_cfg_int(eng, "lease");
    e->grace_ms = rt_cfg_int(eng, "shutdown_grace");
    e->timeout_ms = rt_cfg_int(exec, "timeout");
    e->memory_bytes = rt_cfg_int(exec, "memory_limit");
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    int64_t workers = app->workers ? app->workers : rt_cfg_int(eng, "workers");
    size_t count = (size_t)(workers > 0 ? workers : (cpus > 0 ? cpus : 1));
    char host[64] = "host";
    gethostname(host, sizeof host - 1);
    snprintf(e->owner, sizeof e->owner, "%s:%d:%lld", host, (int)getpid(), (long long)now_ms());
    e->rng = (uint64_t)now_ms() ^ ((uint64_t)getpid() << 32);
    rt_schedule_policy policy = {strcmp(rt_cfg_string(eng, "catch_up"), "once") == 0,
                                 (int32_t)rt_cfg_int(eng, "max_retries"),
                                 rt_cfg_int(eng, "retry_base"), rt_cfg_int(eng, "retry_max")};
    e->sched = rt_scheduler_new(st->vt, st->inst, &policy);
    const ratchet_config *cb = rt_settings_section(&app->settings, "circuit_breakers");
    rt_breaker_config fetch_cb = rt_breaker_config_from(cb, RT_BREAKER_FETCH);
    rt_breaker_config hook_cb = rt_breaker_config_from(cb, RT_BREAKER_WEBHOOK);
    rt_breaker_configure(RT_BREAKER_FETCH, &fetch_cb);
    rt_breaker_configure(RT_BREAKER_WEBHOOK, &hook_cb);
    e->backlog_cap = count < 4 ? 8 : 2 * count;
    e->backlog = calloc(e->backlog_cap + 2 * count, sizeof *e->backlog);
    if (!e->backlog || !e->sched || rt_pool_init(&e->pool, count, worker_argv) != RATCHET_OK ||
        pipe(e->wake) != 0) {
        rt_fail(err, "cannot set up the engine: %s", strerror(errno));
        rt_engine_free(e);
        return NULL;
    }
    for (int k = 0; k < 2; k++) { /* not for the workers to inherit */
        fcntl(e->wake[k], F_SETFL, O_NONBLOCK);
        fcntl(e->wake[k], F_SETFD, FD_CLOEXEC);
    }
    return e;
}

/* Stop claiming; when running jobs are done (or the grace period is over) requeue the rest. */
static int drained(rt_engine *e, int64_t now)
{
    int busy = 0;
    for (size_t i = 0; i < e->pool.count; i++) {
        rt_slot *s = &e->pool.slots[i];
        if (s->state != RT_SLOT_BUSY)
            continue;
        busy = 1;
        if (now >= e->stop_deadline && !s->kill_reason) {
            s->kill_reason = RT_KILL_SHUTDOWN;
            kill(s->pid, SIGKILL);
        }
    }
    return !busy;
}

/* No worker runs a job and none is claimed ahead: no outcome will join the pending ones
 * soon, so waiting RT_FLUSH_MS for company only delays their waiters. */
static int nothing_running(const rt_engine *e)
{
    if (e->nbacklog > 0)
        return 0;
    for (size_t i = 0; i < e->pool.count; i++)
        if (e->pool.slots[i].state == RT_SLOT_BUSY)
            return 0;
    return 1;
}

/* While the loop handles a busy slot, what it logs carries that slot's job. */
static void slot_log_enter(rt_engine *e, const rt_slot *s)
{
    if (s->state != RT_SLOT_BUSY)
        return;
    struct json_object *rec = task_record(e, s->job.task_version_id);
    rt_job_log_enter(s->job.job_id, s->job.execution_id, rec ? rt_rec_str(rec, "name") : NULL);
    rt_log_ctx_set_trace(s->trace.trace_id, s->trace.run);
}

static void loop_turn(rt_engine *e, const sigset_t *stop_signals)
{
    int64_t now = now_ms();
    struct timespec zero = {0, 0};
    int sig = sigtimedwait(stop_signals, NULL, &zero);
    if (sig > 0 && e->stopping && e->stop_deadline > now) {
        /* A second Ctrl-C: do not wait out the grace period. */
        rt_log(RATCHET_LOG_INFO, "second stop signal: requeueing running jobs now");
        e->stop_deadline = now;
    } else if (sig > 0 && !e->stopping) {
        e->stopping = 1;
        rt_engine_set_draining(e);
        requeue_backlog(e);
        e->stop_deadline = now + e->grace_ms;
        rt_log(
            RATCHET_LOG_INFO,
            "received %s, shutting down: running jobs may finish for %g s, the rest are requeued",
            sig == SIGINT ? "SIGINT" : "SIGTERM", (double)e->grace_ms / 1000.0);
    }
    housekeeping(e, now);
    if (!e->stopping)
        rt_scheduler_run(e->sched, now);
    dispatch(e);
    flush_finishes(e, e->stopping || nothing_running(e));
    struct pollfd fds[1 + 256];
    size_t nfds = 0;
    fds[nfds++] = (struct pollfd){e->wake[0], POLLIN, 0};
    for (size_t i = 0; i < e->pool.count && nfds < 257; i++)
        if (e->pool.slots[i].from_fd >= 0)
            fds[nfds++] = (struct pollfd){e->pool.slots[i].from_fd, POLLIN, 0};
    rt_view_snapshot(&e->view, &e->pool);
    int budget = sleep_budget(e, now_ms());
    /* Signals are blocked (sigwait style), so they cannot interrupt poll: bound the sleep. */
    if (budget > 200)
        budget = 200;
    if (poll(fds, (nfds_t)nfds, budget) <= 0)
        return;
    if (fds[0].revents) {
        char drain[64];
        while (read(e->wake[0], drain, sizeof drain) > 0)
            ;
        rt_scheduler_invalidate(e->sched);
    }
    for (size_t i = 0; i < e->pool.count; i++) {
        rt_slot *s = &e->pool.slots[i];
        if (s->from_fd < 0)
            continue;
        slot_log_enter(e, s);
        if (drain_worker(e, s) < 0)
            on_worker_exit(e, s);
        rt_job_log_leave();
    }
    rt_view_snapshot(&e->view, &e->pool);
}

int rt_engine_run(rt_engine *e, const sigset_t *stop_signals)
{
    int64_t now = now_ms();
    size_t n = 0;
    if (e->vt->job_requeue_expired(e->si, now, &n) == RATCHET_OK && n > 0)
        rt_log(RATCHET_LOG_WARN, "requeued %zu job(s) left running by a previous run", n);
    for (size_t i = 0; i < e->pool.count; i++)
        if (rt_pool_spawn(&e->pool, &e->pool.slots[i], now) != RATCHET_OK)
            return rt_cli_fail("cannot start worker %zu: %s", i, strerror(errno));
    if (pthread_create(&e->waker, NULL, waker_main, e) != 0)
        return rt_cli_fail("cannot start the engine's waker thread");
    e->outbox = rt_outbox_start(e->vt, e->si, e->app->settings.basedir);
    if (!e->outbox)
        rt_log(RATCHET_LOG_ERROR, "cannot start the delivery thread: outputs are not delivered");
    rt_log(RATCHET_LOG_INFO, "engine: %zu worker(s), owner %s", e->pool.count, e->owner);
    rt_view_snapshot(&e->view, &e->pool);
    rt_view_set(&e->view, &e->view.running, 1);
    while (!e->stopping || !drained(e, now_ms()))
        loop_turn(e, stop_signals);
    rt_view_set(&e->view, &e->view.running, 0);
    flush_finishes(e, 1);
    rt_pool_shutdown(&e->pool, 2000);
    e->stop_waker = 1;
    e->vt->notify(e->si);
    pthread_join(e->waker, NULL);
    flush_finishes(e, 1);
    rt_outbox_stop(e->outbox, e->grace_ms);
    e->outbox = NULL;
    return RT_EXIT_OK;
}

void rt_engine_free(rt_engine *e)
{
    if (!e)
        return;
    rt_task_cache_free(&e->tasks);
    rt_breakers_reset();
    free(e->fins);
    free(e->backlog);
    rt_view_destroy(&e->view);
    rt_scheduler_free(e->sched);
    rt_pool_free(&e->pool);
    if (e->wake[0] >= 0)
        close(e->wake[0]);
    if (e->wake[1] >= 0)
        close(e->wake[1]);
    free(e);
}
