/*
 * host/engine/ahead.c - sending jobs ahead to busy workers (engine_int.h).
 *
 * A worker that finished a job waited for the loop to hear of it and send the next: with jobs
 * of a few milliseconds or less that wait was most of a worker's time (60 % in a burn-down of
 * `addition`), the more so as the loop shares the CPUs with the workers and the storage
 * threads and its turn can come late. So while no worker is idle and jobs are claimed, a
 * worker running a short task (its average here under engine.send_ahead, 5 ms) is sent up to
 * RT_IPC_AHEAD (16) jobs ahead, as many as fit in half its pipe without a wait (the loop never
 * blocks on a busy worker; a task of large code gets fewer); it starts each the moment it
 * writes the result before (ipc.h). Only short tasks: a job sent ahead cannot go to another
 * worker that frees up first, so behind a long job it would wait.
 *
 * A job sent ahead becomes the slot's job when the result before it arrives (its deadline and
 * "running" event start then). Jobs sent ahead go back to the queue when their worker dies or
 * is stopped first (their attempts not counted). A cancel while one waits stops it as it
 * starts: the worker is killed for that job, and should the job finish before the kill lands,
 * its result stands and the job after it is requeued (engine.c, rt_eng_kill_slot).
 *
 * Everything here runs on the loop thread.
 */
#include <string.h>

#include "core/core_layer.h"
#include "engine_int.h"

void rt_eng_note_duration(rt_engine *e, int64_t task_version_id, double ms)
{
    rt_cached_task *t = rt_task_cache_get(&e->tasks, task_version_id);
    if (t)
        t->avg_ms = t->runs++ == 0 ? ms : 0.8 * t->avg_ms + 0.2 * ms;
}

static int short_task(rt_engine *e, int64_t task_version_id)
{
    rt_cached_task *t = rt_task_cache_get(&e->tasks, task_version_id);
    return t && t->runs > 0 && t->avg_ms < (double)e->ahead_below_ms;
}

/* Send `job` ahead to the busy slot `s` (which has a place for it), or put it back in the
 * backlog when its pipe is full. */
static void send_one(rt_engine *e, rt_slot *s, ratchet_claimed_job *job)
{
    rt_cached_task *task = rt_task_cache_get(&e->tasks, job->task_version_id);
    if (!task || !task->code) { /* it cannot run: send_job settles it when a worker is idle */
        rt_eng_backlog_put_back(e, job);
        return;
    }
    rt_job_trace *trace = &s->next_trace[s->nnext];
    rt_job_trace_begin(trace, job, rt_rec_str(task->rec, "name"));
    char execution[32];
    rt_ipc_msg m;
    rt_eng_execute_msg(e, job, task, trace, execution, &m);
    ratchet_status rc = rt_pool_send_if_room(s, &m);
    if (rc != RATCHET_OK) {
        rt_eng_backlog_put_back(e, job);
        if (rc != RATCHET_RETRY) /* the pipe is gone: its current job is requeued too */
            rt_eng_kill_slot(s, RT_KILL_SHUTDOWN);
        return;
    }
    s->next[s->nnext++] = *job;
    if (rt_log_enabled(RATCHET_LOG_DEBUG))
        rt_log(RATCHET_LOG_DEBUG, "worker %d: job %lld sent ahead (%d waiting)", s->index,
               (long long)job->job_id, s->nnext);
}

void rt_eng_send_ahead(rt_engine *e)
{
    /* Each busy worker of a short task gets one more per round, while jobs are held and its
     * pipe has room (the loop never waits on a worker: one whose pipe is full is left out of
     * later rounds, as its count of jobs ahead no longer matches the round). */
    for (int round = 0; round < RT_IPC_AHEAD; round++)
        for (size_t i = 0; i < e->pool.count; i++) {
            rt_slot *s = &e->pool.slots[i];
            ratchet_claimed_job job;
            if (s->state == RT_SLOT_BUSY && s->nnext == round && !s->kill_reason &&
                short_task(e, s->job.task_version_id) && rt_eng_backlog_take(e, &job))
                send_one(e, s, &job);
        }
}

void rt_eng_start_next(rt_engine *e, rt_slot *s)
{
    if (s->nnext == 0 || s->state != RT_SLOT_IDLE || s->kill_reason)
        return; /* being killed: what was sent ahead is requeued when it exits */
    ratchet_claimed_job job = s->next[0];
    rt_job_trace trace = s->next_trace[0];
    int cancelled = s->next_cancel & 1u;
    s->nnext--;
    memmove(s->next, s->next + 1, (size_t)s->nnext * sizeof *s->next);
    memmove(s->next_trace, s->next_trace + 1, (size_t)s->nnext * sizeof *s->next_trace);
    s->next_cancel >>= 1;
    rt_eng_begin_slot(e, s, &job, &trace);
    rt_cached_task *task = rt_task_cache_get(&e->tasks, job.task_version_id);
    rt_eng_announce_running(s, task ? rt_rec_str(task->rec, "name") : "?");
    if (cancelled)
        rt_eng_kill_slot(s, RT_KILL_CANCEL);
}

void rt_eng_cancel_ahead(rt_slot *s, int64_t job_id)
{
    for (int n = 0; n < s->nnext; n++)
        if (s->next[n].job_id == job_id)
            s->next_cancel |= 1u << n;
}

void rt_eng_requeue_ahead(rt_engine *e, rt_slot *s)
{
    for (int i = 0; i < s->nnext; i++)
        rt_eng_finish_job(e, &s->next[i], NULL, NULL, 0, RATCHET_FINISH_REQUEUE, NULL, NULL,
                          NULL);
    s->nnext = 0;
    s->next_cancel = 0;
}
