/* host/engine/api_service.c - the service through ratchet.engine: info, readiness, health,
 * Prometheus metrics, statistics and the worker pool. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_int.h"
#include "core/core_layer.h"

static const char *const worker_states[] = {"dead", "starting", "idle", "busy"};

const char *rt_api_worker_state(rt_worker_state state)
{
    return worker_states[state <= RT_WORKER_BUSY ? state : RT_WORKER_DEAD];
}

size_t rt_api_workers(rt_api *a, size_t counts[4], rt_worker_info **list)
{
    rt_worker_info *w = NULL;
    size_t n = a->engine ? rt_engine_workers(a->engine, &w) : 0;
    memset(counts, 0, 4 * sizeof *counts);
    for (size_t i = 0; i < n; i++)
        counts[w[i].state <= RT_WORKER_BUSY ? w[i].state : RT_WORKER_DEAD]++;
    if (list)
        *list = w;
    else
        free(w);
    return n;
}

static int is_draining(rt_api *a)
{
    return a->engine && rt_engine_draining(a->engine);
}

static int api_ready(void)
{
    rt_api *a = rt_api_current();
    size_t counts[4];
    if (!a || !a->st->started || is_draining(a))
        return 0;
    rt_api_workers(a, counts, NULL);
    return counts[RT_WORKER_IDLE] + counts[RT_WORKER_BUSY] > 0;
}

static void add_time(struct json_object *o, const char *key, int64_t ms)
{
    ratchet_buf t = RATCHET_BUF_INIT;
    if (ms > 0)
        rt_buf_time_iso8601(&t, ms * 1000);
    json_object_object_add(o, key, t.data ? json_object_new_string(t.data) : NULL);
    rt_buf_free(&t);
}

/* Append `o` (consumed). */
static ratchet_status put_owned(ratchet_buf *out, struct json_object *o)
{
    ratchet_status rc = rt_api_put(out, o);
    json_object_put(o);
    return rc;
}

static ratchet_status api_info(ratchet_buf *out)
{
    size_t mark = out->len;
    rt_api *a = rt_api_enter(out, mark);
    if (!a)
        return RATCHET_ERR;
    size_t counts[4];
    rt_api_workers(a, counts, NULL);
    const char *status = is_draining(a) ? "draining"
                         : !a->engine || counts[RT_WORKER_IDLE] + counts[RT_WORKER_BUSY] > 0
                             ? "running"
                             : "starting";
    struct json_object *o = json_object_new_object();
    json_object_object_add(o, "service", json_object_new_string("ratchet"));
    json_object_object_add(o, "version", json_object_new_string(RATCHET_VERSION));
    json_object_object_add(o, "status", json_object_new_string(status));
    add_time(o, "startedAt", a->started_ms);
    return put_owned(out, o);
}

/* ---- health ---------------------------------------------------------------------------------- */

static struct json_object *check(const char *status, const char *message, int64_t duration_ms)
{
    struct json_object *c = json_object_new_object();
    json_object_object_add(c, "status", json_object_new_string(status));
    json_object_object_add(c, "message", json_object_new_string(message));
    json_object_object_add(c, "durationMs", json_object_new_int64(duration_ms));
    return c;
}

static struct json_object *storage_check(rt_api *a, int *worst)
{
    int64_t t0 = rt_host_api()->monotonic_ns(), due = 0;
    rt_error_clear();
    ratchet_status rc = a->vt->job_next_due(a->si, rt_api_now_ms(), &due);
    int64_t ms = (rt_host_api()->monotonic_ns() - t0) / 1000000;
    char msg[300];
    if (rc == RATCHET_OK)
        snprintf(msg, sizeof msg, "%s answers",
                 a->st->plugin ? a->st->plugin->desc->name : "storage");
    else
        snprintf(msg, sizeof msg, "query failed: %s", *rt_error_peek() ? rt_error_peek() : "busy");
    rt_error_clear();
    if (rc != RATCHET_OK)
        *worst = 2;
    return check(rc == RATCHET_OK ? "healthy" : "unhealthy", msg, ms);
}

static struct json_object *workers_check(rt_api *a, int *worst)
{
    size_t counts[4], n = rt_api_workers(a, counts, NULL);
    size_t up = counts[RT_WORKER_IDLE] + counts[RT_WORKER_BUSY];
    char msg[128];
    snprintf(msg, sizeof msg, "%zu of %zu workers ready (%zu busy)", up, n, counts[RT_WORKER_BUSY]);
    int level = !a->engine || up == 0 ? 2 : up < n ? 1 : 0;
    if (!a->engine)
        snprintf(msg, sizeof msg, "no engine in this process");
    *worst = level > *worst ? level : *worst;
    return check(level == 0 ? "healthy" : level == 1 ? "degraded" : "unhealthy", msg, 0);
}

static struct json_object *scheduler_check(rt_api *a, int *worst)
{
    int running = a->engine && rt_engine_running(a->engine);
    int level = running && !is_draining(a) ? 0 : 1;
    *worst = level > *worst ? level : *worst;
    return check(level ? "degraded" : "healthy",
                 is_draining(a) ? "draining: schedules do not fire"
                 : running      ? "firing due schedules"
                                : "the engine loop is not running",
                 0);
}

static ratchet_status api_health(ratchet_buf *out)
{
    size_t mark = out->len;
    rt_api *a = rt_api_enter(out, mark);
    if (!a)
        return RATCHET_ERR;
    int worst = 0;
    struct json_object *checks = json_object_new_object(), *o = json_object_new_object();
    json_object_object_add(checks, "storage", storage_check(a, &worst));
    json_object_object_add(checks, "workers", workers_check(a, &worst));
    json_object_object_add(checks, "scheduler", scheduler_check(a, &worst));
    static const char *const levels[] = {"healthy", "degraded", "unhealthy"};
    json_object_object_add(o, "status", json_object_new_string(levels[worst]));
    json_object_object_add(o, "checks", checks);
    return put_owned(out, o);
}

/* ---- statistics ------------------------------------------------------------------------------ */

/* storage stats(resource), parsed; NULL with the error written. */
struct json_object *rt_api_storage_stats(rt_api *a, const char *resource, ratchet_buf *out,
                                         size_t mark)
{
    if (!rt_api_storage14(a)) {
        rt_api_unsupported(out, mark, "statistics");
        return NULL;
    }
    ratchet_buf buf = RATCHET_BUF_INIT;
    rt_error_clear();
    ratchet_status rc = a->vt->stats(a->si, resource, rt_api_now_ms(), &buf);
    return rt_api_stored(rc, &buf, "statistics", out, mark);
}

static int64_t stat_of(struct json_object *o, const char *group, const char *key)
{
    struct json_object *v = rt_api_member(group ? rt_api_member(o, group) : o, key);
    return v ? json_object_get_int64(v) : 0;
}

/* {prefix}{Status}{suffix} for each status the storage counted: queuedJobs, ... */
static void by_status(struct json_object *to, struct json_object *from, const char *suffix)
{
    json_object_object_foreach(rt_api_member(from, "byStatus"), key, val)
    {
        char name[96];
        snprintf(name, sizeof name, "%s%s", key, suffix);
        json_object_object_add(to, name, json_object_new_int64(json_object_get_int64(val)));
    }
}

static struct json_object *stats_for(rt_api *a, const char *r, struct json_object *s)
{
    struct json_object *o = json_object_new_object();
    if (strcmp(r, "jobs") == 0) {
        json_object_object_add(o, "totalJobs", json_object_new_int64(stat_of(s, NULL, "total")));
        static const char *const st[] = {"queued", "processing", "completed",
                                         "failed", "cancelled",  "retrying"};
        for (size_t i = 0; i < 6; i++) {
            char name[64];
            snprintf(name, sizeof name, "%sJobs", st[i]);
            json_object_object_add(o, name, json_object_new_int64(stat_of(s, "byStatus", st[i])));
        }
        json_object_object_add(o, "jobsByPriority",
                               json_object_get(rt_api_member(s, "byPriority")));
        json_object_object_add(o, "jobsLast24h",
                               json_object_new_int64(stat_of(s, NULL, "last24h")));
        json_object_object_add(o, "oldestQueuedAt",
                               json_object_get(rt_api_member(s, "oldestQueuedAt")));
    } else if (strcmp(r, "executions") == 0) {
        json_object_object_add(o, "totalExecutions",
                               json_object_new_int64(stat_of(s, NULL, "total")));
        by_status(o, s, "Executions");
        json_object_object_add(o, "averageDurationMs",
                               json_object_get(rt_api_member(s, "averageDurationMs")));
        json_object_object_add(o, "executionsLast24h",
                               json_object_new_int64(stat_of(s, NULL, "last24h")));
    } else if (strcmp(r, "tasks") == 0) {
        int64_t total = stat_of(s, NULL, "total"), enabled = stat_of(s, NULL, "enabled");
        json_object_object_add(o, "totalTasks", json_object_new_int64(total));
        json_object_object_add(o, "enabledTasks", json_object_new_int64(enabled));
        json_object_object_add(o, "disabledTasks", json_object_new_int64(total - enabled));
        json_object_object_add(o, "totalVersions",
                               json_object_new_int64(stat_of(s, NULL, "versions")));
    } else {
        int64_t total = stat_of(s, NULL, "total"), enabled = stat_of(s, NULL, "enabled");
        json_object_object_add(o, "totalSchedules", json_object_new_int64(total));
        json_object_object_add(o, "enabledSchedules", json_object_new_int64(enabled));
        json_object_object_add(o, "disabledSchedules", json_object_new_int64(total - enabled));
        json_object_object_add(o, "dueSchedules", json_object_new_int64(stat_of(s, NULL, "due")));
    }
    (void)a;
    return o;
}

static struct json_object *worker_stats(rt_api *a)
{
    rt_worker_info *w = NULL;
    size_t counts[4], n = rt_api_workers(a, counts, &w);
    int64_t jobs = 0, restarts = 0, memory = 0;
    for (size_t i = 0; i < n; i++) {
        jobs += w[i].jobs_run;
        restarts += w[i].restarts;
        memory += w[i].memory_kb;
    }
    free(w);
    struct json_object *o = json_object_new_object();
    json_object_object_add(o, "totalWorkers", json_object_new_int64((int64_t)n));
    for (size_t i = 0; i < 4; i++) {
        char name[32];
        snprintf(name, sizeof name, "%sWorkers", worker_states[i]);
        json_object_object_add(o, name, json_object_new_int64((int64_t)counts[i]));
    }
    json_object_object_add(o, "jobsRun", json_object_new_int64(jobs));
    json_object_object_add(o, "restarts", json_object_new_int64(restarts));
    json_object_object_add(o, "memoryKb", json_object_new_int64(memory));
    return o;
}

static ratchet_status api_stats(const char *resource, ratchet_buf *out)
{
    size_t mark = out->len;
    rt_api *a = rt_api_enter(out, mark);
    if (!a)
        return RATCHET_ERR;
    static const char *const known[] = {"tasks", "jobs", "executions", "schedules", "workers"};
    int ok = 0;
    for (size_t i = 0; resource && i < 5; i++)
        ok |= strcmp(resource, known[i]) == 0;
    if (!ok)
        return rt_api_fail(out, mark, "VALIDATION_ERROR", NULL,
                           "unknown statistics '%s'; expected tasks, jobs, executions, schedules "
                           "or workers",
                           resource ? resource : "");
    if (strcmp(resource, "workers") == 0)
        return put_owned(out, worker_stats(a));
    struct json_object *s = rt_api_storage_stats(a, resource, out, mark);
    if (!s)
        return RATCHET_ERR;
    ratchet_status rc = put_owned(out, stats_for(a, resource, s));
    json_object_put(s);
    return rc;
}

/* ---- workers --------------------------------------------------------------------------------- */

static ratchet_status api_workers_list(ratchet_buf *out)
{
    size_t mark = out->len;
    rt_api *a = rt_api_enter(out, mark);
    if (!a)
        return RATCHET_ERR;
    rt_worker_info *w = NULL;
    size_t counts[4], n = rt_api_workers(a, counts, &w);
    struct json_object *list = json_object_new_array();
    for (size_t i = 0; i < n; i++) {
        struct json_object *o = json_object_new_object();
        json_object_object_add(o, "id", json_object_new_int(w[i].id));
        json_object_object_add(o, "pid", w[i].pid ? json_object_new_int(w[i].pid) : NULL);
        json_object_object_add(o, "state", json_object_new_string(rt_api_worker_state(w[i].state)));
        json_object_object_add(o, "jobsRun", json_object_new_int64(w[i].jobs_run));
        json_object_object_add(o, "memoryKb", json_object_new_int64(w[i].memory_kb));
        json_object_object_add(o, "currentJobId",
                               w[i].current_job_id ? json_object_new_int64(w[i].current_job_id)
                                                   : NULL);
        json_object_object_add(
            o, "currentExecutionId",
            w[i].current_execution_id ? json_object_new_int64(w[i].current_execution_id) : NULL);
        add_time(o, "startedAt", w[i].started_ms);
        json_object_object_add(o, "restarts", json_object_new_int64(w[i].restarts));
        add_time(o, "lastSeenAt", w[i].last_seen_ms);
        json_object_array_add(list, o);
    }
    free(w);
    return put_owned(out, list);
}

void rt_api_fill_service(ratchet_engine_api *t)
{
    t->info = api_info;
    t->ready = api_ready;
    t->health = api_health;
    t->stats = api_stats;
    t->workers_list = api_workers_list;
    t->metrics = rt_api_metrics;
}
