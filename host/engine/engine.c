/* host/engine/engine.c - the serve loop: claim, dispatch, finish, retry, recover (see engine.h). */
#include "engine_int.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/core_layer.h"
#include "task/task_layer.h"
#include "breaker.h"
#include "events.h"
#include "job_log.h"

static int64_t now_ms(void)
{
    return rt_eng_now_ms();
}

void rt_eng_kill_slot(rt_slot *s, int reason)
{
    s->kill_reason = reason;
    s->kill_job = s->state == RT_SLOT_BUSY ? s->job.job_id : 0;
    kill(s->pid, SIGKILL);
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
            rt_eng_kill_slot(s, s->kill_reason ? s->kill_reason : RT_KILL_PROTOCOL);
            return -1;
        }
        if (n != RT_IPC_IO_OK)
            return n == RT_IPC_IO_AGAIN && io == RT_IPC_IO_OK ? 0 : -1;
        rt_ipc_msg m;
        memset(&m, 0, sizeof m);
        if (rt_ipc_decode(line, len, &m, &err) != RATCHET_OK) {
            rt_log(RATCHET_LOG_ERROR, "worker %d sent a bad message (%s); replacing it", s->index,
                   err.msg);
            rt_eng_kill_slot(s, RT_KILL_PROTOCOL);
            return -1;
        }
        if (m.type == RT_IPC_READY) {
            s->state = RT_SLOT_IDLE;
            s->start_failures = 0;
        } else if (m.type == RT_IPC_RESULT && s->state == RT_SLOT_BUSY &&
                   m.result.job_id == s->job.job_id) {
            rt_eng_note_duration(e, s->job.task_version_id, m.result.duration_ms);
            rt_eng_on_result(e, s, &m.result);
            rt_eng_start_next(e, s);
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
    if (s->state == RT_SLOT_BUSY && s->kill_reason && s->job.job_id != s->kill_job) {
        /* Killed for the job before it, which finished first: this one goes back. */
        rt_eng_finish_slot(e, s, RATCHET_FINISH_REQUEUE, NULL, NULL, NULL);
    } else if (s->state == RT_SLOT_BUSY) {
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
            rt_eng_finish_slot(
                e, s, RATCHET_FINISH_CANCELLED, NULL,
                rt_eng_error_json("cancelled", NULL, "cancelled while running", NULL), logs);
        } else if (s->kill_reason == RT_KILL_SHUTDOWN) {
            free(logs); /* requeued: it runs again from the start */
            rt_eng_finish_slot(e, s, RATCHET_FINISH_REQUEUE, NULL, NULL, NULL);
        } else {
            rt_eng_finish_slot(
                e, s, RATCHET_FINISH_RETRY, NULL,
                rt_eng_error_json(s->kill_reason == RT_KILL_TIMEOUT ? "timed out" : "crashed", NULL,
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
    rt_eng_requeue_ahead(e, s);
    rt_pool_mark_dead(s, now_ms());
}

void rt_eng_announce_running(const rt_slot *s, const char *task_name)
{
    rt_events_emit_status(s->job.job_id, s->job.execution_id, task_name, "running", s->job.attempt,
                          NULL, NULL);
}

void rt_eng_execute_msg(rt_engine *e, const ratchet_claimed_job *job, const rt_cached_task *task,
                        const rt_job_trace *trace, char execution[32], rt_ipc_msg *m)
{
    snprintf(execution, 32, "%lld", (long long)job->execution_id);
    memset(m, 0, sizeof *m);
    m->type = RT_IPC_EXECUTE;
    m->id = job->job_id;
    m->execute.job_id = job->job_id;
    m->execute.execution_id = execution;
    m->execute.task.name = rt_rec_str(task->rec, "name");
    m->execute.task.version = rt_rec_str(task->rec, "version");
    m->execute.task.uuid = rt_rec_str(task->rec, "uuid");
    m->execute.task.code = task->code;
    m->execute.task.modules = task->modules;
    m->execute.task.map = task->map;
    m->execute.task.file = task->file;
    m->execute.input = (rt_ipc_json){NULL, job->input_json, strlen(job->input_json)};
    m->execute.timeout_ms = e->timeout_ms;
    m->execute.memory_bytes = e->memory_bytes;
    m->execute.trace_id = trace->trace_id;
    m->execute.span_id = trace->run;
}

void rt_eng_begin_slot(rt_engine *e, rt_slot *s, const ratchet_claimed_job *job,
                       const rt_job_trace *trace)
{
    s->job = *job;
    s->state = RT_SLOT_BUSY;
    free(rt_slot_logs_take(s)); /* nothing left over from an earlier job */
    s->job_started_ms = now_ms();
    s->timeout_ms = e->timeout_ms;
    s->deadline_ms = s->job_started_ms + e->timeout_ms;
    s->fetcher = rt_job_http_new();
    s->trace = *trace;
    s->trace.run_ns = rt_trace_now_ns();
}

static void send_job(rt_engine *e, rt_slot *s, ratchet_claimed_job *job)
{
    rt_cached_task *task = rt_task_cache_get(&e->tasks, job->task_version_id);
    struct json_object *rec = task ? task->rec : NULL;
    rt_job_trace trace;
    rt_job_trace_begin(&trace, job, rec ? rt_rec_str(rec, "name") : "?");
    rt_eng_begin_slot(e, s, job, &trace);
    rt_job_log_enter(job->job_id, job->execution_id, rec ? rt_rec_str(rec, "name") : NULL);
    rt_log_ctx_set_trace(s->trace.trace_id, s->trace.run);
    char execution[32];
    rt_ipc_msg m;
    if (!rec) {
        rt_eng_finish_slot(
            e, s, RATCHET_FINISH_FAILED, NULL,
            rt_eng_error_json("host error", NULL, "the job's task version is not in storage", NULL),
            NULL);
        s->state = RT_SLOT_IDLE;
    } else if (!task->code) {
        rt_eng_finish_slot(e, s, RATCHET_FINISH_FAILED, NULL,
                           rt_eng_error_json("compile error", NULL, task->compile_error, NULL),
                           NULL);
        s->state = RT_SLOT_IDLE;
    } else if (rt_eng_execute_msg(e, &s->job, task, &s->trace, execution, &m),
               rt_pool_send(s, &m) != RATCHET_OK) {
        /* Dead or stuck: replace it; the job was not run, so it goes back unchanged. */
        rt_eng_kill_slot(s, RT_KILL_SHUTDOWN);
    } else {
        rt_eng_announce_running(s, m.execute.task.name);
    }
    rt_job_log_leave();
}

static void dispatch(rt_engine *e)
{
    if (e->stopping)
        return;
    size_t idle = 0;
    for (size_t i = 0; i < e->pool.count; i++) {
        rt_slot *s = &e->pool.slots[i];
        ratchet_claimed_job job;
        if (s->state == RT_SLOT_IDLE && !s->kill_reason && rt_eng_backlog_take(e, &job))
            send_job(e, s, &job);
        idle += s->state == RT_SLOT_IDLE && !s->kill_reason;
    }
    if (idle == 0)
        rt_eng_send_ahead(e);
    /* Claim when a worker waits, or to keep jobs ready behind the running ones. */
    rt_eng_claim_more(e, idle);
}

/* Jobs claimed but never started go back to the queue (shutdown): their attempt is not
 * counted. */
static void requeue_backlog(rt_engine *e)
{
    ratchet_claimed_job job;
    rt_eng_claimer_stop(e); /* no claim lands after this */
    while (rt_eng_backlog_take(e, &job))
        rt_eng_finish_job(e, &job, NULL, NULL, 0, RATCHET_FINISH_REQUEUE, NULL, NULL, NULL);
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
        ratchet_claimed_job job;
        if (rt_eng_backlog_remove(e, id, &job))
            rt_eng_finish_job(
                e, &job, NULL, NULL, 0, RATCHET_FINISH_CANCELLED, NULL,
                rt_eng_error_json("cancelled", NULL, "cancelled before it started", NULL), NULL);
        for (size_t i = 0; i < e->pool.count; i++) {
            rt_slot *s = &e->pool.slots[i];
            if (s->state == RT_SLOT_BUSY && s->job.job_id == id && !s->kill_reason) {
                rt_eng_kill_slot(s, RT_KILL_CANCEL);
            }
            rt_eng_cancel_ahead(s, id);
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
        rt_eng_kill_slot(s, RT_KILL_PROTOCOL);
    }
    if (s->state != RT_SLOT_IDLE)
        return;
    if (s->ping_sent_ms && now - s->ping_sent_ms > RT_PONG_MS && !s->kill_reason) {
        rt_log(RATCHET_LOG_WARN, "worker %d did not answer a ping; replacing it", s->index);
        rt_eng_kill_slot(s, RT_KILL_PROTOCOL);
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
            rt_eng_kill_slot(s, RT_KILL_TIMEOUT);
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
    return until <= now ? 0 : (int)(until - now);
}

/* ---- the waker: storage changes (other processes' submits) interrupt the loop's poll ----- */

#define RT_WAKER_GAP_NS 1000000

static void *waker_main(void *arg)
{
    rt_engine *e = arg;
    prctl(PR_SET_NAME, "rt-waker"); /* its name in top -H, ps -L and /proc */
    int64_t last = 0; /* ns */
    while (!e->stop_waker)
        if (e->vt->wait(e->si, 500) == RATCHET_OK) {
            /* At most one wake-up per RT_WAKER_GAP_NS (1 ms): under load every submit and every
             * recorded outcome is a change, thousands a second, and the loop has its workers'
             * results to wake it; an idle engine still wakes at once. */
            int64_t since = rt_host_api()->monotonic_ns() - last;
            if (since < RT_WAKER_GAP_NS) {
                struct timespec d = {0, (long)(RT_WAKER_GAP_NS - since)};
                nanosleep(&d, NULL);
            }
            last = rt_host_api()->monotonic_ns();
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
    if (!e || rt_eng_finish_queue_init(&e->fq) != RATCHET_OK) {
        free(e);
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
    e->ahead_below_ms = rt_cfg_int(eng, "send_ahead");
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
    if (rt_eng_claim_init(&e->ca, count) != RATCHET_OK || !e->sched ||
        rt_pool_init(&e->pool, count, worker_argv) != RATCHET_OK || pipe(e->wake) != 0) {
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
            rt_eng_kill_slot(s, RT_KILL_SHUTDOWN);
        }
    }
    return !busy;
}

/* No worker runs a job and none is claimed ahead: no outcome will join the pending ones
 * soon, so waiting RT_FLUSH_MS for company only delays their waiters. */
static int nothing_running(rt_engine *e)
{
    if (rt_eng_backlog_count(e) > 0)
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
    struct json_object *rec = rt_eng_task_record(e, s->job.task_version_id);
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
    rt_eng_finisher_kick(e, e->stopping || nothing_running(e));
    struct pollfd fds[2 + 256];
    size_t nfds = 0;
    fds[nfds++] = (struct pollfd){e->wake[0], POLLIN, 0};
    fds[nfds++] = (struct pollfd){e->ca.ready[0], POLLIN, 0};
    for (size_t i = 0; i < e->pool.count && nfds < 258; i++)
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
    if (fds[1].revents) { /* claimed jobs arrived: the next turn dispatches them */
        char drain[64];
        while (read(e->ca.ready[0], drain, sizeof drain) > 0)
            ;
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
    e->outbox = rt_outbox_start(e->vt, e->si, e->app->settings.basedir);
    if (!e->outbox)
        rt_log(RATCHET_LOG_ERROR, "cannot start the delivery thread: outputs are not delivered");
    int threads = rt_eng_finisher_start(e) == RATCHET_OK;
    if (threads && rt_eng_claimer_start(e) != RATCHET_OK)
        threads = 0;
    if (threads && pthread_create(&e->waker, NULL, waker_main, e) != 0)
        threads = 0;
    if (!threads) {
        rt_eng_claimer_stop(e);
        rt_eng_finisher_stop(e);
        rt_outbox_stop(e->outbox, 0);
        e->outbox = NULL;
        return rt_cli_fail("cannot start the engine's threads");
    }
    rt_log(RATCHET_LOG_INFO, "engine: %zu worker(s), owner %s", e->pool.count, e->owner);
    rt_view_snapshot(&e->view, &e->pool);
    rt_view_set(&e->view, &e->view.running, 1);
    while (!e->stopping || !drained(e, now_ms()))
        loop_turn(e, stop_signals);
    rt_view_set(&e->view, &e->view.running, 0);
    rt_eng_finisher_drain(e);
    rt_pool_shutdown(&e->pool, 2000);
    e->stop_waker = 1;
    e->vt->notify(e->si);
    pthread_join(e->waker, NULL);
    rt_eng_finisher_stop(e); /* records what the pool's shutdown queued, then ends */
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
    rt_eng_claimer_stop(e);
    rt_eng_claim_free(&e->ca);
    rt_eng_finish_queue_free(&e->fq);
    rt_view_destroy(&e->view);
    rt_scheduler_free(e->sched);
    rt_pool_free(&e->pool);
    if (e->wake[0] >= 0)
        close(e->wake[0]);
    if (e->wake[1] >= 0)
        close(e->wake[1]);
    free(e);
}
