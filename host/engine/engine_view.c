/* host/engine/engine_view.c - the engine as other threads see it (see engine_view.h). */
#include "engine_view.h"

#include <stdlib.h>
#include <string.h>

void rt_view_init(rt_engine_view *v)
{
    memset(v, 0, sizeof *v);
    pthread_mutex_init(&v->lock, NULL);
}

void rt_view_destroy(rt_engine_view *v)
{
    free(v->workers);
    pthread_mutex_destroy(&v->lock);
}

void rt_view_snapshot(rt_engine_view *v, const rt_pool *pool)
{
    pthread_mutex_lock(&v->lock);
    if (v->nworkers != pool->count) {
        rt_worker_info *grown = realloc(v->workers, pool->count * sizeof *grown);
        if (grown) {
            v->workers = grown;
            v->nworkers = pool->count;
        }
    }
    for (size_t i = 0; i < v->nworkers; i++) {
        const rt_slot *s = &pool->slots[i];
        int busy = s->state == RT_SLOT_BUSY;
        v->workers[i] =
            (rt_worker_info){s->index,
                             s->state == RT_SLOT_DEAD ? 0 : s->pid,
                             (rt_worker_state)s->state,
                             s->executed,
                             s->rss_kb,
                             busy ? s->job.job_id : 0,
                             busy ? s->job.execution_id : 0,
                             s->started_ms,
                             s->restarts,
                             s->last_pong_ms > s->started_ms ? s->last_pong_ms : s->started_ms};
    }
    pthread_mutex_unlock(&v->lock);
}

size_t rt_view_workers(rt_engine_view *v, rt_worker_info **out)
{
    *out = NULL;
    pthread_mutex_lock(&v->lock);
    size_t n = v->nworkers;
    if (n > 0 && (*out = malloc(n * sizeof **out)) != NULL)
        memcpy(*out, v->workers, n * sizeof **out);
    pthread_mutex_unlock(&v->lock);
    return *out ? n : 0;
}

void rt_view_set(rt_engine_view *v, int *flag, int value)
{
    pthread_mutex_lock(&v->lock);
    *flag = value;
    pthread_mutex_unlock(&v->lock);
}

int rt_view_get(rt_engine_view *v, const int *flag)
{
    pthread_mutex_lock(&v->lock);
    int value = *flag;
    pthread_mutex_unlock(&v->lock);
    return value;
}

void rt_view_observe(rt_engine_view *v, double duration_s, double wait_s)
{
    pthread_mutex_lock(&v->lock);
    rt_histogram_observe(&v->durations, duration_s);
    if (wait_s >= 0)
        rt_histogram_observe(&v->waits, wait_s);
    pthread_mutex_unlock(&v->lock);
}

void rt_view_histograms(rt_engine_view *v, rt_histogram *durations, rt_histogram *waits)
{
    pthread_mutex_lock(&v->lock);
    *durations = v->durations;
    *waits = v->waits;
    pthread_mutex_unlock(&v->lock);
}
