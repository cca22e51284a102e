/*
 * host/engine/engine_view.h - what other threads may read of the running engine (the API,
 * api.h): a copy of the worker pool, the draining and running flags, and the histograms of
 * execution duration and queue wait. The engine's loop thread writes it; any thread reads
 * copies. One mutex guards it; nothing here blocks on anything else.
 */
#ifndef RT_ENGINE_VIEW_H
#define RT_ENGINE_VIEW_H

#include <pthread.h>

#include "engine.h"
#include "histogram.h"
#include "pool.h"

typedef struct rt_engine_view {
    pthread_mutex_t lock;
    rt_worker_info *workers; /* as of the last rt_view_snapshot */
    size_t nworkers;
    int draining, running;
    rt_histogram durations, waits;
} rt_engine_view;

void rt_view_init(rt_engine_view *v);
void rt_view_destroy(rt_engine_view *v);

/* Copy the pool's state (loop thread). A failed allocation keeps the previous copy. */
void rt_view_snapshot(rt_engine_view *v, const rt_pool *pool);
/* A copy of the workers (malloc'd, the caller frees) and their number; 0 and NULL when none. */
size_t rt_view_workers(rt_engine_view *v, rt_worker_info **out);

/* Set / read a flag (&v->draining or &v->running) under the lock. */
void rt_view_set(rt_engine_view *v, int *flag, int value);
int rt_view_get(rt_engine_view *v, const int *flag);

/* Record an attempt's duration and, when wait_s >= 0, its job's queue wait (seconds). */
void rt_view_observe(rt_engine_view *v, double duration_s, double wait_s);
void rt_view_histograms(rt_engine_view *v, rt_histogram *durations, rt_histogram *waits);

#endif
