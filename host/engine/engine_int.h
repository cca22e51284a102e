/*
 * host/engine/engine_int.h - what engine.c (the loop: claim, dispatch, housekeeping) and
 * finish.c (outcomes: queued by the loop, recorded by the finisher thread) share. Not for the
 * rest of the host: engine.h is the engine's interface.
 *
 * Threads: the loop thread owns everything here except `fq`, which it shares with the
 * finisher thread under fq.lock (finish.c).
 */
#ifndef RT_ENGINE_INT_H
#define RT_ENGINE_INT_H

#include <pthread.h>

#include "engine.h"
#include "engine_view.h"
#include "jobtrace.h"
#include "outbox.h"
#include "pool.h"
#include "relay.h"
#include "schedule.h"
#include "task_cache.h"

/* An outcome waiting to be recorded. Everything the finisher thread reads is copied here by
 * the loop (it never reads the loop's task cache or worker slots). */
typedef struct pending_finish {
    ratchet_job_finish f;
    char *output, *error, *logs, *http; /* owned copies behind f's pointers */
    char *analysis;                     /* patterns and state of a failed attempt, or NULL */
    struct json_object *outputs;        /* destinations to deliver to once recorded, or NULL */
    char *task, *version;               /* the task version's name and version, or NULL */
    int32_t attempt;
    rt_job_trace trace; /* trace_id "" for a job that never ran (requeued from the backlog) */
} pending_finish;

/* The outcomes queued by the loop and the finisher thread that records them, a batch (one
 * storage transaction) at a time: when RT_FLUSH_BATCH are queued, when the oldest has waited
 * RT_FLUSH_MS, or at once when the loop asks (nothing else is running, or shutting down). */
typedef struct rt_finish_queue {
    pthread_mutex_t lock;
    pthread_cond_t cond; /* the thread waits for work; drains wait for the thread */
    pthread_t thread;
    int started;          /* the thread runs */
    pending_finish *fins; /* queued, not yet taken by the thread */
    size_t nfins, fincap;
    int64_t first_pending_ms; /* when the oldest queued outcome was queued */
    int urgent;               /* record what is queued without waiting for company */
    int busy;                 /* the thread is recording a batch */
    int stopping; /* shutting down: a busy database gets 5 s, then outcomes are given up */
    int stop;     /* the thread ends once the queue is empty */
} rt_finish_queue;

/* Jobs claimed ahead of need (leased to this host) and handed to workers as they free up, so
 * that one claim transaction serves several jobs. The claimer thread (claim.c) claims when the
 * loop asks, while the loop goes on dispatching, and wakes the loop through `ready` when it
 * got jobs. FIFO; under `lock`. */
typedef struct rt_claim_ahead {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    pthread_t thread;
    int started;
    ratchet_claimed_job *jobs;
    int64_t *claimed_ms; /* when each held job was claimed */
    size_t n;            /* jobs held */
    size_t cap;          /* the most held now: between cap_min and cap_max (claim.c) */
    size_t cap_min, cap_max;
    int full;   /* the last claim got all it asked for (more are ready) */
    int wanted; /* the loop asked for a claim */
    int busy;   /* a claim is under way */
    int stop;
    int ready[2]; /* the claimer writes a byte when it added jobs */
} rt_claim_ahead;

struct rt_engine {
    rt_app *app;
    rt_store *st;
    const ratchet_storage_vtable *vt;
    void *si;
    rt_pool pool;
    char owner[96];
    int64_t lease_ms, grace_ms, timeout_ms, memory_bytes;
    int64_t ahead_below_ms; /* engine.send_ahead: tasks averaging under this get jobs ahead */
    rt_task_cache tasks;
    rt_finish_queue fq;
    rt_claim_ahead ca;
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

int64_t rt_eng_now_ms(void);

/* ---- finish.c: called on the loop thread ---------------------------------------------------- */

/* The cached record of a task version, or NULL (loop thread: the cache is the loop's). */
struct json_object *rt_eng_task_record(rt_engine *e, int64_t task_version_id);
/* {"kind","name","message","stack"} as malloc'd JSON text. */
char *rt_eng_error_json(const char *kind, const char *name, const char *message, const char *stack);

/* Queue the outcome of `job` (a slot's or a backlog job; zeroed after) for recording. Takes
 * output, error and logs; `http` (may be NULL) holds its HTTP calls, `trace` may be NULL. */
void rt_eng_finish_job(rt_engine *e, ratchet_claimed_job *job, job_http *http,
                       const rt_job_trace *trace, int64_t started_ms, ratchet_finish_kind kind,
                       char *output, char *error, char *logs);
/* rt_eng_finish_job for the job slot `s` runs; the slot's fetcher is released. */
void rt_eng_finish_slot(rt_engine *e, rt_slot *s, ratchet_finish_kind kind, char *output,
                        char *error, char *logs);
/* A worker's result message for the job of `s`: its outcome queued, the slot idle. */
void rt_eng_on_result(rt_engine *e, rt_slot *s, const rt_ipc_result *r);

/* Start the finisher thread (after e->outbox is set). RATCHET_ERR when it cannot start. */
ratchet_status rt_eng_finisher_start(rt_engine *e);
/* Ask for what is queued to be recorded now rather than in company (`urgent`), and pass on
 * that the engine is stopping. Never blocks on storage. */
void rt_eng_finisher_kick(rt_engine *e, int urgent);
/* Wait until every outcome queued so far is recorded (or given up at shutdown). */
void rt_eng_finisher_drain(rt_engine *e);
/* Drain, then end the thread. Safe when it never started. */
void rt_eng_finisher_stop(rt_engine *e);
/* Set up / free the queue (rt_engine_new / rt_engine_free; the thread must be stopped). */
ratchet_status rt_eng_finish_queue_init(rt_finish_queue *q);
void rt_eng_finish_queue_free(rt_finish_queue *q);

/* ---- engine.c: a worker slot's job, for ahead.c -------------------------------------------- */

/* Kill the slot's worker for `reason` (RT_KILL_*), naming the job it is killed for (the one
 * running, or none): with jobs sent ahead that job's result may be in the pipe already, and
 * the next job started, when the kill lands; on exit such a next job is requeued, not charged
 * with the kill. */
void rt_eng_kill_slot(rt_slot *s, int reason);
/* The `execute` message of `job` into *m (strings borrowed from job, task, trace and
 * execution, which receives the execution id as text). */
void rt_eng_execute_msg(rt_engine *e, const ratchet_claimed_job *job, const rt_cached_task *task,
                        const rt_job_trace *trace, char execution[32], rt_ipc_msg *m);
/* The slot runs `job` from now (trace begun): busy, deadline, fetcher, its run span's start. */
void rt_eng_begin_slot(rt_engine *e, rt_slot *s, const ratchet_claimed_job *job,
                       const rt_job_trace *trace);
/* The job of `s` went to its worker: its "running" event. */
void rt_eng_announce_running(const rt_slot *s, const char *task_name);

/* ---- ahead.c: sending jobs ahead to busy workers, on the loop thread ------------------------ */

/* A finished run of the task version took `ms` (its average decides what is sent ahead). */
void rt_eng_note_duration(rt_engine *e, int64_t task_version_id, double ms);
/* No worker is idle: send held jobs ahead to the busy workers of short tasks. */
void rt_eng_send_ahead(rt_engine *e);
/* After a result on `s`: the first job sent ahead becomes its job. */
void rt_eng_start_next(rt_engine *e, rt_slot *s);
/* A cancel for `job_id`: if it waits in s's pipe, it is stopped as it starts. */
void rt_eng_cancel_ahead(rt_slot *s, int64_t job_id);
/* The worker of `s` is gone: the jobs sent ahead go back to the queue. */
void rt_eng_requeue_ahead(rt_engine *e, rt_slot *s);

/* ---- claim.c: called on the loop thread ---------------------------------------------------- */

/* Set up the backlog for `workers` workers / free it (jobs still held are dropped: their
 * leases expire). RATCHET_ERR when out of memory or pipes. */
ratchet_status rt_eng_claim_init(rt_claim_ahead *ca, size_t workers);
void rt_eng_claim_free(rt_claim_ahead *ca);
/* Start / stop the claimer thread (stop waits for a claim under way; safe when not started). */
ratchet_status rt_eng_claimer_start(rt_engine *e);
void rt_eng_claimer_stop(rt_engine *e);
/* The oldest job held, moved to *out; 0 when none. */
int rt_eng_backlog_take(rt_engine *e, ratchet_claimed_job *out);
/* A job just taken goes back to the front (moved from *job; when the backlog has filled up
 * meanwhile, it is requeued in storage instead). */
void rt_eng_backlog_put_back(rt_engine *e, ratchet_claimed_job *job);
/* The held job `job_id`, moved to *out; 0 when not held. */
int rt_eng_backlog_remove(rt_engine *e, int64_t job_id, ratchet_claimed_job *out);
size_t rt_eng_backlog_count(rt_engine *e);
/* Ask for a claim when `idle` workers wait or fewer than half the backlog's size are held (one
 * claim under way and one asked for at most). Never blocks on storage. */
void rt_eng_claim_more(rt_engine *e, size_t idle);

#endif
