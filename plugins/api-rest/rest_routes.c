/*
 * plugins/api-rest/rest_routes.c - every route of the REST API, as data.
 *
 * Each row names the method, the pattern (as in the OpenAPI document, whose `paths` must list
 * exactly these: tests/unit/test_api_rest.c checks it), the scope the caller's key needs, the
 * kind of generic handler and the engine call it makes. Adding a route is adding a row here
 * and a path in openapi.json.
 */
#include <stddef.h>

#include "rest.h"

#define ENG(fn) offsetof(ratchet_engine_api, fn)
#define P       REST_PREFIX

#define PRIORITIES "low|normal|high|urgent|critical"

/* The fields of a job request, shared by POST /jobs and POST /tasks/{id}/execute (which takes
 * the task from the path, so its table starts after taskId and taskName). */
static const rest_field job_fields[] = {
    {"taskId", REST_T_INT | REST_T_STRING, NULL},
    {"taskName", REST_T_STRING, NULL},
    {"taskVersion", REST_T_STRING | REST_T_NULL, NULL},
    {"input", REST_T_ANY, NULL},
    {"priority", REST_T_STRING, PRIORITIES},
    {"maxRetries", REST_T_INT, NULL},
    {"scheduledFor", REST_T_STRING | REST_T_NULL, NULL},
    {"idempotencyKey", REST_T_STRING | REST_T_NULL, NULL},
    {"outputDestinations", REST_T_ARRAY | REST_T_NULL, NULL},
    {"traceparent", REST_T_STRING, NULL}, /* also taken from the traceparent header */
    {NULL, 0, NULL},
};
#define EXECUTE_FIELDS (job_fields + 2)

/* Schedule bodies: create takes the task and the name; update only what may change. */
static const rest_field schedule_fields[] = {
    {"name", REST_T_STRING, NULL},
    {"taskName", REST_T_STRING, NULL},
    {"taskId", REST_T_INT | REST_T_STRING, NULL},
    {"taskVersion", REST_T_STRING | REST_T_NULL, NULL},
    {"cron", REST_T_STRING, NULL},
    {"cronExpression", REST_T_STRING, NULL},
    {"timezone", REST_T_STRING | REST_T_NULL, NULL},
    {"input", REST_T_ANY, NULL},
    {"enabled", REST_T_BOOL, NULL},
    {"catchUp", REST_T_BOOL, NULL},
    {"outputDestinations", REST_T_ARRAY | REST_T_NULL, NULL},
    {NULL, 0, NULL},
};
#define SCHEDULE_UPDATE_FIELDS (schedule_fields + 4)

#define PUB RATCHET_HTTP_PUBLIC
#define RD  RATCHET_HTTP_READ
#define WR  RATCHET_HTTP_WRITE
#define AD  RATCHET_HTTP_ADMIN

static const rest_op ops[] = {
    /* The service: probes, metrics and the document. */
    {"GET", "/", PUB, REST_ROOT, 0, NULL, 0, NULL, NULL},
    {"GET", "/health", PUB, REST_HEALTH, 0, NULL, 0, NULL, NULL},
    {"GET", "/health/detailed", PUB, REST_HEALTH_DETAILED, 0, NULL, 0, NULL, NULL},
    {"GET", "/ready", PUB, REST_READY, 0, NULL, 0, NULL, NULL},
    {"GET", "/live", PUB, REST_LIVE, 0, NULL, 0, NULL, NULL},
    {"GET", "/metrics", RD, REST_METRICS, 0, NULL, 0, NULL, NULL},
    {"GET", "/api-docs/openapi.json", PUB, REST_OPENAPI, 0, NULL, 0, NULL, NULL},

    /* Tasks. */
    {"GET", P "/tasks", RD, REST_LIST, ENG(tasks_list), "task", 0, NULL, NULL},
    {"GET", P "/tasks/stats", RD, REST_STATS, 0, "tasks", 0, NULL, NULL},
    {"POST", P "/tasks/sync", WR, REST_PLAIN, ENG(tasks_sync), "task", 0, NULL, NULL},
    {"GET", P "/tasks/{id}", RD, REST_GET_REF, ENG(task_get), "task", 0, NULL, NULL},
    {"POST", P "/tasks/{id}/enable", WR, REST_ENABLE_REF, ENG(task_set_enabled), "task", 1,
     "task %s enabled", NULL},
    {"POST", P "/tasks/{id}/disable", WR, REST_ENABLE_REF, ENG(task_set_enabled), "task", 0,
     "task %s disabled", NULL},
    {"POST", P "/tasks/{id}/execute", WR, REST_EXECUTE, ENG(job_submit), "task", 0, NULL,
     EXECUTE_FIELDS},
    {"POST", P "/tasks/{id}/validate-input", RD, REST_VALIDATE_INPUT, ENG(input_validate), "task",
     0, NULL, NULL},
    {"GET", P "/tasks/{id}/source", RD, REST_TASK_SOURCE, ENG(task_source), "task", 0, NULL, NULL},
    {"POST", P "/tasks/{id}/test", WR, REST_TASK_TEST, ENG(task_test), "task", 0, NULL, NULL},

    /* Jobs. */
    {"GET", P "/jobs", RD, REST_LIST, ENG(jobs_list), "job", 0, NULL, NULL},
    {"POST", P "/jobs", WR, REST_CREATE, ENG(job_submit), "job", 0, NULL, job_fields},
    {"GET", P "/jobs/stats", RD, REST_STATS, 0, "jobs", 0, NULL, NULL},
    {"GET", P "/jobs/{id}", RD, REST_GET_ID, ENG(job_get), "job", 0, NULL, NULL},
    {"POST", P "/jobs/{id}/cancel", WR, REST_ACTION_ID, ENG(job_cancel), "job", 0,
     "job %s cancelled", NULL},
    {"POST", P "/jobs/{id}/retry", WR, REST_ACTION_ID, ENG(job_retry), "job", 0,
     "job %s queued again", NULL},
    {"GET", P "/jobs/{id}/events", RD, REST_EVENTS, ENG(job_get), "job", 1, NULL, NULL},

    /* Executions. */
    {"GET", P "/executions", RD, REST_LIST, ENG(executions_list), "execution", 0, NULL, NULL},
    {"GET", P "/executions/stats", RD, REST_STATS, 0, "executions", 0, NULL, NULL},
    {"GET", P "/executions/{id}", RD, REST_GET_ID, ENG(execution_get), "execution", 0, NULL, NULL},
    {"POST", P "/executions/{id}/cancel", WR, REST_ACTION_ID, ENG(execution_cancel), "execution", 0,
     "the job of execution %s cancelled", NULL},
    {"POST", P "/executions/{id}/retry", WR, REST_ACTION_ID, ENG(execution_retry), "execution", 0,
     "the job of execution %s queued again", NULL},
    {"GET", P "/executions/{id}/logs", RD, REST_LIST_OF_ID, ENG(execution_logs), "execution", 0,
     NULL, NULL},
    {"GET", P "/executions/{id}/events", RD, REST_EVENTS, ENG(execution_get), "execution", 0, NULL,
     NULL},
    {"GET", P "/executions/{id}/analysis", RD, REST_ANALYSIS, ENG(execution_analyze), "execution",
     0, NULL, NULL},

    /* Finding events: search, failure trends, the live stream, error patterns. */
    {"GET", P "/logs/search", RD, REST_LOGS_SEARCH, ENG(logs_search), NULL, 0, NULL, NULL},
    {"GET", P "/logs/trends", RD, REST_LOGS_TRENDS, ENG(logs_trends), NULL, 0, NULL, NULL},
    {"GET", P "/logs/stream", RD, REST_LOGS_STREAM, ENG(subscribe), NULL, 0, NULL, NULL},
    {"GET", P "/logs/patterns", RD, REST_PATTERNS, ENG(patterns_list), NULL, 0, NULL, NULL},
    {"POST", P "/logs/patterns/test", RD, REST_PATTERN_TEST, ENG(pattern_test), NULL, 0, NULL,
     NULL},

    /* Schedules. */
    {"GET", P "/schedules", RD, REST_LIST, ENG(schedules_list), "schedule", 0, NULL, NULL},
    {"POST", P "/schedules", WR, REST_CREATE, ENG(schedule_create), "schedule", 0, NULL,
     schedule_fields},
    {"GET", P "/schedules/stats", RD, REST_STATS, 0, "schedules", 0, NULL, NULL},
    {"GET", P "/schedules/preview", RD, REST_CRON_PREVIEW, ENG(cron_preview), "schedule", 0, NULL,
     NULL},
    {"GET", P "/schedules/{id}", RD, REST_GET_REF, ENG(schedule_get), "schedule", 0, NULL, NULL},
    {"PATCH", P "/schedules/{id}", WR, REST_UPDATE_REF, ENG(schedule_update), "schedule", 0, NULL,
     SCHEDULE_UPDATE_FIELDS},
    {"DELETE", P "/schedules/{id}", WR, REST_ACTION_REF, ENG(schedule_delete), "schedule", 0,
     "schedule %s deleted", NULL},
    {"POST", P "/schedules/{id}/enable", WR, REST_ENABLE_REF, ENG(schedule_set_enabled), "schedule",
     1, "schedule %s enabled", NULL},
    {"POST", P "/schedules/{id}/disable", WR, REST_ENABLE_REF, ENG(schedule_set_enabled),
     "schedule", 0, "schedule %s disabled", NULL},
    {"POST", P "/schedules/{id}/trigger", WR, REST_TRIGGER_REF, ENG(schedule_trigger), "schedule",
     0, "schedule %s triggered", NULL},

    /* Workers. */
    {"GET", P "/workers", RD, REST_ARRAY, ENG(workers_list), "worker", 0, NULL, NULL},
    {"GET", P "/workers/stats", RD, REST_STATS, 0, "workers", 0, NULL, NULL},

    /* What the web UI needs: who the key is, API keys (admin), executions per minute. */
    {"GET", P "/auth/whoami", RD, REST_WHOAMI, ENG(keys_list), NULL, 0, NULL, NULL},
    {"GET", P "/keys", AD, REST_ARRAY, ENG(keys_list), "key", 0, NULL, NULL},
    {"POST", P "/keys", AD, REST_KEY_CREATE, ENG(key_create), "key", 0, NULL, NULL},
    {"DELETE", P "/keys/{id}", AD, REST_ACTION_REF, ENG(key_revoke), "key", 0, "key %s revoked",
     NULL},
    {"GET", P "/stats/timeline", RD, REST_TIMELINE, ENG(stats_timeline), NULL, 0, NULL, NULL},
};

const rest_op *rest_ops(size_t *n)
{
    *n = sizeof ops / sizeof ops[0];
    return ops;
}
