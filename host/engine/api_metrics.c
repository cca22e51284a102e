/* host/engine/api_metrics.c - the engine's metrics in the Prometheus text format (version 0.0.4):
 * gauges of jobs and executions from the storage's counts, histograms of execution duration
 * and queue wait kept by the engine, and the worker pool. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_int.h"
#include "breaker.h"
#include "core/core_layer.h"

static void family(ratchet_buf *out, const char *name, const char *type, const char *help)
{
    rt_buf_printf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* name{label="key"} value for each member of `group` (an object of counts). */
static void labelled(ratchet_buf *out, const char *name, const char *label,
                     struct json_object *group)
{
    json_object_object_foreach(group, key, val)
    {
        rt_buf_printf(out, "%s{%s=\"%s\"} %lld\n", name, label, key,
                      (long long)json_object_get_int64(val));
    }
}

static ratchet_status storage_gauges(rt_api *a, ratchet_buf *out, size_t mark)
{
    struct json_object *jobs = rt_api_storage_stats(a, "jobs", out, mark);
    struct json_object *execs = jobs ? rt_api_storage_stats(a, "executions", out, mark) : NULL;
    if (!execs) {
        json_object_put(jobs);
        return RATCHET_ERR;
    }
    family(out, "ratchet_jobs", "gauge", "Jobs in storage by status.");
    labelled(out, "ratchet_jobs", "status", rt_api_member(jobs, "byStatus"));
    family(out, "ratchet_jobs_by_priority", "gauge", "Jobs in storage by priority.");
    labelled(out, "ratchet_jobs_by_priority", "priority", rt_api_member(jobs, "byPriority"));
    family(out, "ratchet_executions", "gauge", "Executions in storage by status.");
    labelled(out, "ratchet_executions", "status", rt_api_member(execs, "byStatus"));
    json_object_put(jobs);
    json_object_put(execs);
    return RATCHET_OK;
}

static void worker_metrics(rt_api *a, ratchet_buf *out)
{
    rt_worker_info *w = NULL;
    size_t counts[4], n = rt_api_workers(a, counts, &w);
    family(out, "ratchet_workers", "gauge", "Worker processes by state.");
    for (int s = RT_WORKER_DEAD; s <= RT_WORKER_BUSY; s++)
        rt_buf_printf(out, "ratchet_workers{state=\"%s\"} %zu\n",
                      rt_api_worker_state((rt_worker_state)s), counts[s]);
    family(out, "ratchet_worker_jobs_total", "counter", "Jobs run by each worker slot.");
    for (size_t i = 0; i < n; i++)
        rt_buf_printf(out, "ratchet_worker_jobs_total{worker=\"%d\"} %lld\n", w[i].id,
                      (long long)w[i].jobs_run);
    family(out, "ratchet_worker_memory_kilobytes", "gauge",
           "Resident memory of each worker at its last health check.");
    for (size_t i = 0; i < n; i++)
        rt_buf_printf(out, "ratchet_worker_memory_kilobytes{worker=\"%d\"} %lld\n", w[i].id,
                      (long long)w[i].memory_kb);
    free(w);
}

ratchet_status rt_api_metrics(ratchet_buf *out)
{
    size_t mark = out->len;
    rt_api *a = rt_api_enter(out, mark);
    if (!a || storage_gauges(a, out, mark) != RATCHET_OK)
        return RATCHET_ERR;
    rt_histogram duration, wait;
    memset(&duration, 0, sizeof duration);
    memset(&wait, 0, sizeof wait);
    if (a->engine)
        rt_engine_histograms(a->engine, &duration, &wait);
    rt_histogram_write(out, "ratchet_execution_duration_seconds",
                       "Duration of executions (attempts) that ran, by outcome recorded.",
                       &duration);
    rt_histogram_write(out, "ratchet_queue_wait_seconds",
                       "Time from queueing (through the API) to the start of the first attempt.",
                       &wait);
    worker_metrics(a, out);
    rt_breaker_metrics(out);
    rt_metrics_write(out); /* what plugins registered (ratchet_host_api.metric_register) */
    family(out, "ratchet_ready", "gauge", "1 when the engine takes jobs.");
    rt_buf_printf(out, "ratchet_ready %d\n", rt_api_table()->ready());
    return RATCHET_OK;
}
