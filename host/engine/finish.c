/*
 * host/engine/finish.c - the outcomes of jobs: queued by the loop thread, recorded by the
 * finisher thread (engine_int.h).
 *
 * The loop never waits for storage to record an outcome: it queues it (with copies of all the
 * finisher needs) and goes on dispatching, so that on a database over the network the workers
 * do not idle for the commit's round trips. The finisher records a batch in one storage call
 * (one transaction), then delivers outputs and announces each outcome, one batch at a time in
 * the order queued. The guarantees are the synchronous ones: an outcome is announced (event,
 * `jobs wait`, outputs) only after storage took it; one storage refuses (lost lease) is not
 * announced; a job whose outcome is lost in a crash before the commit is requeued when its
 * lease expires (the lease covers queued outcomes: renewals go on until the job's row is
 * final). At shutdown the loop drains the queue before the host exits.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>

#include "core/core_layer.h"
#include "task/task_layer.h"
#include "engine_int.h"
#include "analysis.h"
#include "events.h"
#include "job_log.h"

/* Outcomes wait at most this long to share a transaction (the clock is in ms: 0-1 ms). The
 * wait spreads the answer times of synchronous executes (p99 of bench_http: 5 ms -> 2 ms ->
 * 1 ms took about 1 ms and then 0.9 ms off it); 1 ms costs the burn-down about 2 %. */
#define RT_FLUSH_MS    1
#define RT_FLUSH_BATCH 64

int64_t rt_eng_now_ms(void)
{
    return rt_host_api()->now_us() / 1000;
}

struct json_object *rt_eng_task_record(rt_engine *e, int64_t id)
{
    rt_cached_task *t = rt_task_cache_get(&e->tasks, id);
    return t ? t->rec : NULL;
}

char *rt_eng_error_json(const char *kind, const char *name, const char *message, const char *stack)
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

/* ---- on the finisher thread ------------------------------------------------------------------ */

/* The job as storage has it now (NULL when it cannot be read). */
static struct json_object *stored_job(rt_engine *e, int64_t job_id)
{
    ratchet_buf out = RATCHET_BUF_INIT;
    struct json_object *job = NULL;
    if (e->vt->job_get(e->si, job_id, &out) == RATCHET_OK && out.data)
        job = json_tokener_parse(out.data);
    rt_buf_free(&out);
    return job;
}

/* Deliver a recorded outcome's outputs, but only if storage really took this finish (the job
 * is final and carries this execution): a finish ignored for an expired lease must not
 * deliver, since the job runs again. */
static void deliver_if_recorded(rt_engine *e, const pending_finish *p)
{
    if (!p->outputs || !e->outbox)
        return;
    struct json_object *job = stored_job(e, p->f.job_id), *v;
    const char *status =
        job && json_object_object_get_ex(job, "status", &v) ? json_object_get_string(v) : "";
    int64_t exec =
        job && json_object_object_get_ex(job, "executionId", &v) ? json_object_get_int64(v) : 0;
    if (exec == p->f.execution_id &&
        (strcmp(status, "completed") == 0 || strcmp(status, "failed") == 0))
        rt_outbox_push(e->outbox, p->outputs, p->f.job_id, p->f.execution_id, p->task, p->version,
                       status, p->output, p->error, &p->trace);
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
    struct json_object *job = stored_job(e, p->f.job_id), *v;
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
    rt_job_log_enter(p->f.job_id, p->f.execution_id, p->task);
    rt_log_ctx_set_trace(p->trace.trace_id, p->trace.root);
    rt_job_log_outcome(finish_status(p->f.kind), p->attempt,
                       p->f.kind == RATCHET_FINISH_REQUEUE ? NULL : p->f.error_json,
                       p->f.duration_ms);
    rt_job_log_leave();
    /* durationMs as storage recorded it (job_finish stores a negative one as 0). */
    rt_events_emit_outcome(p->f.job_id, p->f.execution_id, p->task, finish_status(p->f.kind),
                           p->attempt, p->f.output_json,
                           p->f.kind == RATCHET_FINISH_REQUEUE ? NULL : p->f.error_json,
                           p->f.started_ms && p->f.kind != RATCHET_FINISH_REQUEUE
                               ? (p->f.duration_ms > 0 ? p->f.duration_ms : 0)
                               : -1);
}

/* Record a batch in one transaction. RATCHET_RETRY (busy): nothing recorded, try again. An
 * error: each is tried on its own, so one bad row cannot take the others with it; only
 * outcomes that fail alone are given up (their job is requeued when its lease expires). */
static ratchet_status flush_once(rt_engine *e, const pending_finish *fins, size_t n)
{
    ratchet_job_finish *fs = malloc(n * sizeof *fs);
    if (!fs)
        return RATCHET_RETRY;
    for (size_t i = 0; i < n; i++)
        fs[i] = fins[i].f;
    size_t applied = 0;
    rt_error_clear();
    ratchet_status rc = e->vt->job_finish(e->si, fs, n, &applied);
    if (rc == RATCHET_ERR) {
        rt_log(RATCHET_LOG_ERROR, "recording %zu job outcome(s) failed (%s); trying one by one", n,
               rt_error_peek());
        applied = 0;
        for (size_t i = 0; i < n; i++) {
            size_t one = 0;
            rt_error_clear();
            if (e->vt->job_finish(e->si, &fs[i], 1, &one) != RATCHET_OK)
                rt_log(RATCHET_LOG_ERROR, "job %lld: outcome not recorded: %s",
                       (long long)fs[i].job_id, rt_error_peek());
            applied += one;
        }
        rc = RATCHET_OK;
    }
    if (rc == RATCHET_OK && applied < n)
        rt_log(RATCHET_LOG_WARN, "%zu job outcome(s) ignored: their lease had expired",
               n - applied);
    for (size_t i = 0; rc == RATCHET_OK && i < n; i++)
        deliver_if_recorded(e, &fins[i]);
    for (size_t i = 0; rc == RATCHET_OK && i < n; i++)
        if (applied == n || finish_recorded(e, &fins[i]))
            announce_finish(e, &fins[i]);
    free(fs);
    return rc;
}

static void pending_free(pending_finish *p)
{
    free(p->output);
    free(p->error);
    free(p->logs);
    free(p->http);
    free(p->analysis);
    free(p->task);
    free(p->version);
    json_object_put(p->outputs);
}

/* Record one batch taken from the queue, retrying while storage is busy (at shutdown for 5 s
 * at most, then the outcomes are given up: their jobs are requeued when the lease expires). */
static void record_batch(rt_engine *e, pending_finish *batch, size_t n)
{
    int64_t deadline = 0;
    while (flush_once(e, batch, n) == RATCHET_RETRY) {
        pthread_mutex_lock(&e->fq.lock);
        int stopping = e->fq.stopping;
        pthread_mutex_unlock(&e->fq.lock);
        if (stopping && !deadline)
            deadline = rt_eng_now_ms() + 5000;
        if (stopping && rt_eng_now_ms() >= deadline) {
            rt_log(RATCHET_LOG_ERROR,
                   "shutting down: %zu job outcome(s) not recorded (storage "
                   "busy); their jobs are requeued when their lease expires",
                   n);
            break;
        }
        struct timespec pause = {0, 10 * 1000 * 1000}; /* a busy database: back off */
        nanosleep(&pause, NULL);
    }
    for (size_t i = 0; i < n; i++)
        pending_free(&batch[i]);
    e->vt->notify(e->si); /* wake `jobs submit --wait` */
}

/* Whether the queue holds a batch to record now (lock held). */
static int batch_due(const rt_finish_queue *q)
{
    return q->nfins > 0 && (q->urgent || q->stop || q->nfins >= RT_FLUSH_BATCH ||
                            rt_eng_now_ms() - q->first_pending_ms >= RT_FLUSH_MS);
}

static void *finisher_main(void *arg)
{
    rt_engine *e = arg;
    prctl(PR_SET_NAME, "rt-finisher"); /* its name in top -H, ps -L and /proc */
    rt_finish_queue *q = &e->fq;
    pending_finish *batch = NULL; /* swapped with the queue's array: both are reused */
    size_t cap = 0;
    pthread_mutex_lock(&q->lock);
    for (;;) {
        while (!batch_due(q) && !(q->stop && q->nfins == 0)) {
            if (q->nfins == 0) {
                pthread_cond_wait(&q->cond, &q->lock);
                continue;
            }
            int64_t at = q->first_pending_ms + RT_FLUSH_MS;
            struct timespec until;
            clock_gettime(CLOCK_REALTIME, &until);
            int64_t ms = at - rt_eng_now_ms();
            until.tv_sec += ms / 1000;
            until.tv_nsec += (ms % 1000) * 1000000L;
            if (until.tv_nsec >= 1000000000L) {
                until.tv_sec++;
                until.tv_nsec -= 1000000000L;
            }
            pthread_cond_timedwait(&q->cond, &q->lock, &until);
        }
        if (q->nfins == 0)
            break; /* stop, and nothing left */
        pending_finish *taken = q->fins;
        size_t n = q->nfins, taken_cap = q->fincap;
        q->fins = batch;
        q->fincap = cap;
        q->nfins = 0;
        q->urgent = 0;
        q->busy = 1;
        pthread_mutex_unlock(&q->lock);
        record_batch(e, taken, n);
        batch = taken;
        cap = taken_cap;
        pthread_mutex_lock(&q->lock);
        q->busy = 0;
        pthread_cond_broadcast(&q->cond); /* drains waiting for this batch */
    }
    pthread_mutex_unlock(&q->lock);
    free(batch);
    return NULL;
}

/* ---- on the loop thread ---------------------------------------------------------------------- */

ratchet_status rt_eng_finish_queue_init(rt_finish_queue *q)
{
    memset(q, 0, sizeof *q);
    if (pthread_mutex_init(&q->lock, NULL) != 0)
        return RATCHET_ERR;
    if (pthread_cond_init(&q->cond, NULL) != 0) {
        pthread_mutex_destroy(&q->lock);
        return RATCHET_ERR;
    }
    return RATCHET_OK;
}

void rt_eng_finish_queue_free(rt_finish_queue *q)
{
    for (size_t i = 0; i < q->nfins; i++)
        pending_free(&q->fins[i]);
    free(q->fins);
    pthread_cond_destroy(&q->cond);
    pthread_mutex_destroy(&q->lock);
}

ratchet_status rt_eng_finisher_start(rt_engine *e)
{
    if (pthread_create(&e->fq.thread, NULL, finisher_main, e) != 0)
        return RATCHET_ERR;
    e->fq.started = 1;
    return RATCHET_OK;
}

void rt_eng_finisher_kick(rt_engine *e, int urgent)
{
    rt_finish_queue *q = &e->fq;
    pthread_mutex_lock(&q->lock);
    q->stopping = e->stopping;
    if (urgent && q->nfins > 0 && !q->urgent) {
        q->urgent = 1;
        pthread_cond_broadcast(&q->cond);
    }
    pthread_mutex_unlock(&q->lock);
}

void rt_eng_finisher_drain(rt_engine *e)
{
    rt_finish_queue *q = &e->fq;
    pthread_mutex_lock(&q->lock);
    q->stopping = e->stopping;
    q->urgent = q->nfins > 0;
    pthread_cond_broadcast(&q->cond);
    while (q->started && (q->nfins > 0 || q->busy))
        pthread_cond_wait(&q->cond, &q->lock);
    pthread_mutex_unlock(&q->lock);
}

void rt_eng_finisher_stop(rt_engine *e)
{
    rt_finish_queue *q = &e->fq;
    if (!q->started)
        return;
    pthread_mutex_lock(&q->lock);
    q->stopping = 1;
    q->stop = 1;
    pthread_cond_broadcast(&q->cond);
    pthread_mutex_unlock(&q->lock);
    pthread_join(q->thread, NULL);
    q->started = 0;
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
    struct json_object *rec = rt_eng_task_record(e, job->task_version_id), *name = NULL;
    json_object_object_get_ex(rec, "name", &name);
    return rt_analysis_at_failure(e->vt, e->si, error, logs,
                                  name ? json_object_get_string(name) : NULL,
                                  slot ? slot->index : -1,
                                  !slot          ? 0
                                  : slot->rss_kb ? slot->rss_kb
                                                 : rt_analysis_rss_kb((int)slot->pid));
}

static char *rec_dup(struct json_object *rec, const char *key)
{
    const char *s = rec ? rt_rec_str(rec, key) : NULL;
    return s ? strdup(s) : NULL;
}

/* Append `p` to the queue (its strings move in). 0 when out of memory (nothing moved). */
static int enqueue(rt_finish_queue *q, const pending_finish *p)
{
    pthread_mutex_lock(&q->lock);
    if (q->nfins == q->fincap) {
        size_t cap = q->fincap ? q->fincap * 2 : 16;
        pending_finish *grown = realloc(q->fins, cap * sizeof *grown);
        if (!grown) {
            pthread_mutex_unlock(&q->lock);
            return 0;
        }
        q->fins = grown;
        q->fincap = cap;
    }
    if (q->nfins == 0)
        q->first_pending_ms = rt_eng_now_ms();
    q->fins[q->nfins++] = *p;
    if (q->nfins == 1 || q->nfins == RT_FLUSH_BATCH)
        pthread_cond_broadcast(&q->cond); /* a first deadline to wait for, or a full batch */
    pthread_mutex_unlock(&q->lock);
    return 1;
}

void rt_eng_finish_job(rt_engine *e, ratchet_claimed_job *job, job_http *http,
                       const rt_job_trace *trace, int64_t started_ms, ratchet_finish_kind kind,
                       char *output, char *error, char *logs)
{
    if ((kind == RATCHET_FINISH_RETRY || kind == RATCHET_FINISH_FAILED) &&
        job->attempt > job->max_retries)
        kind = RATCHET_FINISH_FAILED;
    pending_finish p;
    memset(&p, 0, sizeof p);
    if (kind == RATCHET_FINISH_COMPLETED || kind == RATCHET_FINISH_FAILED)
        p.outputs = job_outputs(job);
    struct json_object *rec = rt_eng_task_record(e, job->task_version_id);
    p.task = rec_dup(rec, "name");
    p.version = rec_dup(rec, "version");
    p.attempt = job->attempt;
    if (trace)
        p.trace = *trace;
    p.output = output;
    p.error = error;
    p.logs = logs;
    p.http = rt_job_http_calls(http);
    int64_t now = rt_eng_now_ms();
    p.f = (ratchet_job_finish){RATCHET_ABI_INIT(ratchet_job_finish),
                               job->job_id,
                               job->execution_id,
                               e->owner,
                               kind,
                               p.output,
                               p.error,
                               p.logs,
                               p.http,
                               started_ms,
                               started_ms ? now - started_ms : 0,
                               kind == RATCHET_FINISH_RETRY ? now + retry_delay(e, job) : 0,
                               NULL};
    if ((kind == RATCHET_FINISH_RETRY || kind == RATCHET_FINISH_FAILED) && error)
        p.f.analysis_json = p.analysis = failure_analysis(e, job, error, logs);
    if (!enqueue(&e->fq, &p))
        pending_free(&p); /* the lease expires and the job is requeued: late, not lost */
    free(job->input_json);
    free(job->meta_json);
    memset(job, 0, sizeof *job);
}

void rt_eng_finish_slot(rt_engine *e, rt_slot *s, ratchet_finish_kind kind, char *output,
                        char *error, char *logs)
{
    rt_job_trace_run_end(&s->trace, error);
    rt_eng_finish_job(e, &s->job, s->fetcher, &s->trace, s->job_started_ms, kind, output, error,
                      logs);
    rt_job_http_release(s->fetcher);
    s->fetcher = NULL;
    s->deadline_ms = 0;
}

void rt_eng_on_result(rt_engine *e, rt_slot *s, const rt_ipc_result *r)
{
    rt_slot_logs_add(s, r->logs.obj); /* after the lines streamed as `log` messages */
    rt_events_emit_logs(s->job.job_id, s->job.execution_id, r->logs.obj);
    rt_job_log_console(r->logs.obj);
    char *logs = rt_slot_logs_take(s);
    if (r->outcome == RATCHET_EXEC_OK) {
        rt_cached_task *t = rt_task_cache_get(&e->tasks, s->job.task_version_id);
        ratchet_buf why = RATCHET_BUF_INIT;
        if (t && !rt_cached_task_output_ok(t, r->output.obj, &why)) {
            rt_eng_finish_slot(e, s, RATCHET_FINISH_RETRY, NULL,
                               rt_eng_error_json("output invalid", NULL, why.data, NULL), logs);
        } else {
            rt_eng_finish_slot(
                e, s, RATCHET_FINISH_COMPLETED,
                strdup(json_object_to_json_string_ext(r->output.obj, JSON_C_TO_STRING_PLAIN)), NULL,
                logs);
        }
        rt_buf_free(&why);
    } else {
        const char *kind = rt_ipc_outcome_name(r->outcome);
        rt_eng_finish_slot(e, s, RATCHET_FINISH_RETRY, NULL,
                           rt_eng_error_json(kind, r->error.name, r->error.message, r->error.stack),
                           logs);
    }
    s->state = RT_SLOT_IDLE;
    s->executed++;
}
