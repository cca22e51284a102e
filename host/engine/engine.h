/*
 * host/engine/engine.h - the job engine of `ratchet serve`: claims jobs from storage, runs them on
 * the worker pool, records outcomes (with retries), fires cron schedules, recovers from crashes
 * (expired leases) and shuts down without losing a job.
 *
 * One loop thread owns the engine; two storage threads keep it from waiting on the database
 * (claim.c claims ahead, finish.c records outcomes; engine_int.h); fetch requests from
 * workers run on short-lived threads.
 */
#ifndef RT_ENGINE_H
#define RT_ENGINE_H

#include <signal.h>
#include <sys/types.h>

#include "core/core_layer.h"
#include "histogram.h"
#include "store.h"

typedef struct rt_engine rt_engine;

/* Build the engine on an open storage: task versions are already synced. `argv0_flags` are
 * the global flags a worker needs (config, plugin dirs), NULL-terminated, borrowed. */
rt_engine *rt_engine_new(rt_app *app, rt_store *st, char **worker_argv, rt_error *err);

/* Run until one of `stop_signals` arrives (they must be blocked in every thread), then drain:
 * stop claiming, let running jobs finish for engine.shutdown_grace, requeue the rest. */
int rt_engine_run(rt_engine *e, const sigset_t *stop_signals);

void rt_engine_free(rt_engine *e);

/* ---- what the API (api.h) reads of a running engine: every function below may be called
 * from any thread; the engine keeps copies under a mutex, refreshed each loop turn. ---------- */

typedef enum rt_worker_state {
    RT_WORKER_DEAD = 0,
    RT_WORKER_STARTING,
    RT_WORKER_IDLE,
    RT_WORKER_BUSY
} rt_worker_state;

/* One worker slot as it was at the end of the engine's last loop turn. */
typedef struct rt_worker_info {
    int id;
    pid_t pid; /* 0 when dead */
    rt_worker_state state;
    int64_t jobs_run;
    int64_t memory_kb; /* RSS from the last pong; 0 when unknown */
    int64_t current_job_id, current_execution_id; /* 0 when not busy */
    int64_t started_ms, restarts, last_seen_ms;
} rt_worker_info;

/* A copy of the pool (malloc'd array in *out, the caller frees) and its length; 0 with *out
 * NULL before the engine runs or when out of memory. */
size_t rt_engine_workers(rt_engine *e, rt_worker_info **out);

/* 1 once a stop signal arrived (or rt_engine_set_draining was called): no new jobs start. */
int rt_engine_draining(rt_engine *e);
/* Report draining from now on (e.g. serve stops its front ends before the engine sees the
 * signal). The engine itself still drains on the signal only. */
void rt_engine_set_draining(rt_engine *e);
/* 1 while rt_engine_run is in its loop. */
int rt_engine_running(rt_engine *e);

/* Copies of the execution-duration and queue-wait histograms (seconds) observed so far: a
 * duration per recorded outcome of an attempt that ran; a wait (queued to first start) per
 * recorded first attempt whose "queued" event the current event hub still holds (jobs queued
 * through the API, not by the CLI or the scheduler). */
void rt_engine_histograms(rt_engine *e, rt_histogram *duration, rt_histogram *queue_wait);

#endif
