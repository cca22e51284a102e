/*
 * ratchet/engine.h - the "ratchet.engine" interface: what front ends may ask of the engine.
 *
 * The host publishes it while `ratchet serve` (and `ratchet mcp-serve`) runs, before it starts
 * front-end instances (see frontend.h). A front end finds it with
 *
 *     const ratchet_engine_api *eng = host->lookup(RATCHET_ENGINE_INTERFACE,
 *                                                  RATCHET_ENGINE_MAJOR, 0);
 *
 * Every API front end (REST, GraphQL, MCP, the web UI) goes through these calls, so a rule
 * (input validated against the task's schema, a disabled task refused, a secret never shown)
 * holds the same way on every surface.
 *
 * Shapes: records are JSON text in camelCase, the shapes `ratchet ... --json` prints and the
 * REST API returns (see the storage kind, storage.h, for each record). Ids in JSON are
 * numbers; times are RFC 3339 UTC strings.
 *
 * Lists take a query, JSON text (NULL or "" for defaults):
 *
 *     {"where": [{"field": "status", "op": "in", "value": ["queued", "retrying"]}, ...],
 *      "sort": "queuedAt", "order": "desc", "offset": 0, "limit": 25}
 *
 * `field` is a record key (camelCase); `op` is one of eq ne like starts_with ends_with in
 * not_in gt gte lt lte (like: case-insensitive substring; in/not_in: an array value); `limit`
 * 1..1000 (default 25). Each list documents the fields it filters and sorts on; any other is
 * a VALIDATION_ERROR naming the allowed ones. Lists answer {"items": [...], "total": N}.
 *
 * Errors: a call that fails returns RATCHET_NOTFOUND (the id does not exist) or RATCHET_ERR,
 * and `out` holds (replacing anything appended by the call) an error object
 *
 *     {"code": "VALIDATION_ERROR", "message": "input does not match the task's input schema",
 *      "details": [{"pointer": "/a", "message": "expected number, got string"}]}
 *
 * with `code` one of NOT_FOUND, BAD_REQUEST, VALIDATION_ERROR, CONFLICT, SERVICE_UNAVAILABLE,
 * DATABASE_ERROR, INTERNAL_ERROR (the original's codes; a front end maps them to its
 * protocol, e.g. HTTP 404/400/400/409/503/500/500). `details` is optional.
 *
 * Threading: every call may be made from any thread, concurrently. Calls may block on the
 * storage for the length of one database transaction; none waits for a job to run.
 *
 * Memory: `out` is a caller-owned ratchet_buf (host->buf_*); results are appended to it.
 * Inputs are borrowed for the call.
 */
#ifndef RATCHET_ENGINE_H
#define RATCHET_ENGINE_H

#include "host.h"

#define RATCHET_ENGINE_INTERFACE "ratchet.engine"
#define RATCHET_ENGINE_MAJOR     1
#define RATCHET_ENGINE_MINOR     0

/* A live subscription to engine events (subscribe()). Opaque. */
typedef struct ratchet_engine_sub ratchet_engine_sub;

/*
 * An engine event, delivered to a subscriber. `seq` increases by one per event in this
 * process (a resume point: pass the last one seen as after_seq). `event_json` (borrowed for
 * the call) is one of
 *
 *   {"type": "status", "jobId", "executionId" (null while queued), "taskName", "status",
 *    "attempt", "time", "final": bool, "output"?, "error"?}
 *       status: queued, running, retrying, completed, failed, cancelled; `final` on the
 *       last status of a job (completed, failed, cancelled), which carries output or error.
 *   {"type": "log", "jobId", "executionId", "time", "level", "message"}
 *       a console line of the running execution, as it is written.
 *   {"type": "fetch", "jobId", "executionId", "time", "method", "url", "status",
 *    "durationMs"}
 *       an HTTP call made by the task, when it ended.
 *
 * Return 0 to keep the subscription, nonzero to end it (no further calls; the subscriber
 * still calls unsubscribe() to release it). Called on an engine thread with the
 * subscription's lock held: be quick (copy the event, wake someone), do not block, do not call
 * subscribe(), unsubscribe() or any other call of this table from inside (they may publish
 * events themselves). Calls for one subscription never overlap and come in seq order.
 */
typedef int (*ratchet_engine_event_fn)(void *user, uint64_t seq, const char *event_json);

typedef struct ratchet_engine_api {
    ratchet_abi abi; /* RATCHET_ENGINE_MAJOR / RATCHET_ENGINE_MINOR, sizeof(ratchet_engine_api) */

    /* ---- the service ------------------------------------------------------------------- */

    /* {service: "ratchet", version, status: "running"|"starting"|"draining", startedAt}. */
    ratchet_status (*info)(ratchet_buf *out);
    /* 1 when the storage is open and at least one worker is ready and the engine is not
     * draining; 0 otherwise. Cheap (no storage call). */
    int (*ready)(void);
    /* {status: "healthy"|"degraded"|"unhealthy", checks: {storage, workers, scheduler}: each
     * {status, message, durationMs}}. Runs one cheap storage query. */
    ratchet_status (*health)(ratchet_buf *out);
    /* Append the engine's metrics in Prometheus text format: jobs by status and priority,
     * executions by status, execution duration and queue wait histograms, workers by state
     * (ratchet_jobs, ratchet_executions, ratchet_execution_duration_seconds,
     * ratchet_queue_wait_seconds, ratchet_workers). */
    ratchet_status (*metrics)(ratchet_buf *out);
    /* Statistics of one resource ("tasks", "jobs", "executions", "schedules", "workers") as
     * a JSON object of camelCase counts and averages (e.g. {totalJobs, queuedJobs, ...,
     * averageDurationMs, jobsLast24h}). VALIDATION_ERROR for another name. */
    ratchet_status (*stats)(const char *resource, ratchet_buf *out);

    /* ---- tasks ------------------------------------------------------------------------- */

    /* Tasks (latest version of each): {id, uuid, name, description, version, enabled, tags,
     * availableVersions, inputSchema, outputSchema, createdAt, updatedAt}. Filters and sorts
     * on id, name, description, version, enabled, createdAt, updatedAt. */
    ratchet_status (*tasks_list)(const char *query_json, ratchet_buf *out);
    /* One task by id ("3") or name ("addition"), shape as in tasks_list. */
    ratchet_status (*task_get)(const char *ref, ratchet_buf *out);
    /* One stored version in full (code, schemas, metadata, program omitted): `version` NULL
     * for the latest. The record of storage's task_version_get. */
    ratchet_status (*task_version)(const char *ref, const char *version, ratchet_buf *out);
    /* Enable or disable a task (a disabled task accepts no new jobs; queued ones still run).
     * Answers the task. */
    ratchet_status (*task_set_enabled)(const char *ref, int enabled, ratchet_buf *out);
    /* Read the configured task sources again and store new versions: {added: [{name,
     * version}], unchanged: N, errors: [{source, message}]}. */
    ratchet_status (*tasks_sync)(ratchet_buf *out);

    /* ---- jobs -------------------------------------------------------------------------- */

    /* Queue a job. request_json: {taskId (number or string) or taskName, taskVersion?
     * (default latest), input (default {}), priority? (low|normal|high|urgent|critical, any
     * case; critical = urgent), maxRetries?, scheduledFor? (RFC 3339), idempotencyKey?,
     * outputDestinations? (as `jobs submit --output`)}. The input is validated against the
     * task's input schema (VALIDATION_ERROR with a detail per error); a disabled task is a
     * CONFLICT. Answers the job (storage job_get shape). */
    ratchet_status (*job_submit)(const char *request_json, ratchet_buf *out);
    ratchet_status (*job_get)(int64_t job_id, ratchet_buf *out);
    /* Filters on id, status, priority, taskId, taskName, scheduleId, queuedAt, startedAt,
     * completedAt; sorts on id, status, priority, taskName, queuedAt, startedAt, completedAt
     * (default id desc). */
    ratchet_status (*jobs_list)(const char *query_json, ratchet_buf *out);
    /* Cancel (a running job's worker is stopped) / run again; answer the job. A job in a
     * state that does not allow it is a CONFLICT naming the state. */
    ratchet_status (*job_cancel)(int64_t job_id, ratchet_buf *out);
    ratchet_status (*job_retry)(int64_t job_id, ratchet_buf *out);

    /* ---- executions -------------------------------------------------------------------- */

    ratchet_status (*execution_get)(int64_t execution_id, ratchet_buf *out);
    /* Filters on id, jobId, taskId, taskName, status, startedAt, completedAt, durationMs;
     * sorts on the same (default id desc). */
    ratchet_status (*executions_list)(const char *query_json, ratchet_buf *out);
    /* Cancel / retry the execution's job; answer the job. */
    ratchet_status (*execution_cancel)(int64_t execution_id, ratchet_buf *out);
    ratchet_status (*execution_retry)(int64_t execution_id, ratchet_buf *out);
    /* Console lines and fetch calls of an execution, kept in storage (also when it timed out
     * or was killed): {items: [{seq, time, kind: "log"|"fetch", level, message, method, url,
     * status, durationMs}], total}; filters on kind, level, seq (query as above). */
    ratchet_status (*execution_logs)(int64_t execution_id, const char *query_json,
                                     ratchet_buf *out);

    /* ---- schedules --------------------------------------------------------------------- */

    /* {name, taskName (or taskId), taskVersion?, cron (or cronExpression), timezone?,
     * input?, enabled?, catchUp?, outputDestinations?}: the cron expression is checked (its
     * error points at the field) and the input validated. Answers the schedule. */
    ratchet_status (*schedule_create)(const char *schedule_json, ratchet_buf *out);
    /* By id or name. */
    ratchet_status (*schedule_get)(const char *ref, ratchet_buf *out);
    /* Filters and sorts on id, name, taskName, enabled, nextRunAt, lastRunAt. */
    ratchet_status (*schedules_list)(const char *query_json, ratchet_buf *out);
    /* Change any of cron, timezone, input, enabled, catchUp, outputDestinations (checked as
     * in create; the next run is computed again). */
    ratchet_status (*schedule_update)(const char *ref, const char *patch_json, ratchet_buf *out);
    ratchet_status (*schedule_delete)(const char *ref, ratchet_buf *out);
    ratchet_status (*schedule_set_enabled)(const char *ref, int enabled, ratchet_buf *out);
    /* Queue one job from the schedule now (its input and destinations); answers the job. A
     * disabled schedule is a CONFLICT. */
    ratchet_status (*schedule_trigger)(const char *ref, ratchet_buf *out);

    /* ---- workers ----------------------------------------------------------------------- */

    /* The pool as it is now: [{id, pid, state (starting|idle|busy|dead), jobsRun,
     * memoryKb, currentJobId, currentExecutionId, startedAt, restarts, lastSeenAt}]. */
    ratchet_status (*workers_list)(ratchet_buf *out);

    /* ---- events ------------------------------------------------------------------------ */

    /* Follow events of one job (job_id > 0), one execution (execution_id > 0) or all (both
     * 0). Events still held with seq > after_seq are delivered first, from inside this call
     * (the engine keeps each job's events for 10 minutes after its final status, at most
     * 1,000 per job); then live ones. NULL when out of memory. */
    ratchet_engine_sub *(*subscribe)(int64_t job_id, int64_t execution_id, uint64_t after_seq,
                                     ratchet_engine_event_fn fn, void *user);
    /* End the subscription and release it; when it returns, `fn` is not running and will not
     * be called again. Call exactly once per subscription, not from inside its `fn`. */
    void (*unsubscribe)(ratchet_engine_sub *sub);

    /* ---- API keys ---------------------------------------------------------------------- */

    /* Check a presented key. RATCHET_OK with its name appended to `name` and its scope in
     * *scope (1 read, 2 write, 3 admin: ratchet_http_scope); RATCHET_NOTFOUND when it is
     * unknown or revoked. Keys are stored hashed; this hashes `secret` and looks it up. */
    ratchet_status (*key_verify)(const char *secret, ratchet_buf *name, int *scope);
} ratchet_engine_api;

#endif /* RATCHET_ENGINE_H */
