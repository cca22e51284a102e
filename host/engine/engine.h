/*
 * host/engine/engine.h - the job engine of `ratchet serve`: claims jobs from storage, runs them on
 * the worker pool, records outcomes (with retries), fires cron schedules, recovers from crashes
 * (expired leases) and shuts down without losing a job.
 *
 * One loop thread owns the engine; fetch requests from workers run on short-lived threads.
 */
#ifndef RT_ENGINE_H
#define RT_ENGINE_H

#include <signal.h>

#include "core/core_layer.h"
#include "store.h"

typedef struct rt_engine rt_engine;

/* Build the engine on an open storage: task versions are already synced. `argv0_flags` are
 * the global flags a worker needs (config, plugin dirs), NULL-terminated, borrowed. */
rt_engine *rt_engine_new(rt_app *app, rt_store *st, char **worker_argv, rt_error *err);

/* Run until one of `stop_signals` arrives (they must be blocked in every thread), then drain:
 * stop claiming, let running jobs finish for engine.shutdown_grace, requeue the rest. */
int rt_engine_run(rt_engine *e, const sigset_t *stop_signals);

void rt_engine_free(rt_engine *e);

#endif
