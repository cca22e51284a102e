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
#define RATCHET_ENGINE_MINOR     2

/* A live subscription to engine events (subscribe()). Opaque. */
typedef struct ratchet_engine_sub ratchet_engine_sub;

/*
 * An engine event, delivered to a subscriber. `seq` increases by one per event in this
 * process (a resume point: pass the last one seen as after_seq). `event_json` (borrowed for
 * the call) is one of
 *
 *   {"type": "status", "jobId", "executionId" (null while queued), "taskName", "status",
 *    "attempt", "time", "final": bool, "output"?, "error"?, "durationMs"?}
 *       status: queued, running, retrying, completed, failed, cancelled; `final` on the
 *       last status of a job (completed, failed, cancelled), which carries output or error.
 *       durationMs: on the status that ends an attempt that ran, its execution's duration
 *       as recorded.
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
     * version}] (tasks new to the storage), updated: [{name, version}] (since 1.5: new
     * versions of stored tasks; before, they were listed under added), unchanged: N,
     * errors: [{source, message}]}. */
    ratchet_status (*tasks_sync)(ratchet_buf *out);

    /* ---- jobs -------------------------------------------------------------------------- */

    /* Queue a job. request_json: {taskId (number or string) or taskName, taskVersion?
     * (default latest), input (default {}), priority? (low|normal|high|urgent|critical, any
     * case; critical = urgent), maxRetries?, scheduledFor? (RFC 3339), idempotencyKey?,
     * outputDestinations? (as `jobs submit --output`), traceparent? (since 1.6: a W3C
     * traceparent, "00-<trace>-<span>-<flags>", whose trace the job joins; REST passes its
     * traceparent header here)}. Every job gets a trace id (the job's `traceId`). The input
     * is validated against the
     * task's input schema (VALIDATION_ERROR with a detail per error); a disabled task is a
     * CONFLICT. Answers the job (storage job_get shape). answer?: "job" (the default) or
     * "brief": a job queued by this call is answered {id, status} without reading it back
     * from the storage (one storage call less; an idempotencyKey's existing job is still
     * answered in full; hosts older than this member ignore it and answer the job). */
    ratchet_status (*job_submit)(const char *request_json, ratchet_buf *out);
    ratchet_status (*job_get)(int64_t job_id, ratchet_buf *out);
    /* Filters on id, status, priority, taskId, taskName, scheduleId, queuedAt, startedAt,
     * completedAt, traceId (since 1.6; the job's W3C trace id); sorts on id, status, priority, taskName, queuedAt, startedAt, completedAt
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

    /* ---- task authoring: since 1.1 --------------------------------------------------------
     * A host of interface minor 0 has none of these: check
     * RATCHET_HAS_FIELD(eng, ratchet_engine_api, task_write) (and so on) before calling.
     *
     * Tasks are written into the folder named by the core option engine.writable_tasks (one
     * subfolder per task, in the task format of `ratchet validate`), which is also a task
     * source. Without it task_write fails with BAD_REQUEST saying how to enable it. The calls
     * are serialised; each may run task code in child processes (validation compiles main.js,
     * tests execute it, each run bounded by execution.timeout and at most 60 s), so it may
     * take that long. */

    /* Create (replace = 0) or edit (replace = 1) a task. task_json: {name, version?,
     * description?, code (the text of main.js), inputSchema?, outputSchema?, tags?: [string],
     * metadata?: {..}, tests?: [{name?, input, expected_output?, should_fail?}]}. The task is
     * written into a hidden folder beside its final place, validated as `ratchet validate`
     * does, its tests run as `ratchet test` runs them, and only when all of that passes moved
     * into place (WRITABLE/NAME) and stored as a new version (as serve's sync stores it).
     *
     * Create: the name must be new (CONFLICT otherwise); version defaults to "0.1.0". Edit: the
     * task must exist (NOT_FOUND); members left out are taken from its latest stored version
     * (code, schemas, description, tags, metadata) and, for tests, from its folder in
     * engine.writable_tasks, else from the folder or .zip that version was loaded from. An edit without a version bumps the last number
     * of the latest version (1.2.3 -> 1.2.4; "beta" -> "beta.1"); a version that is already
     * stored is a CONFLICT.
     *
     * Refused with VALIDATION_ERROR, a detail per problem ({pointer, message}; pointer /name,
     * /code, /inputSchema, /tests/N ...): a name not matching [A-Za-z0-9_-]{1,100}, a version
     * not matching [A-Za-z0-9._+-]{1,64}, code over 1 MiB, a schema, the metadata or a test
     * over 256 KiB, a description over 64 KiB, more than 100 tests or 50 tags, a test name not
     * matching [A-Za-z0-9_-]{1,100} (default test-001, ...), a problem `ratchet validate`
     * reports (compile errors carry main.js:LINE:COL), a failing test (a should_fail test
     * passes when its run fails). Nothing is written or stored then; the checks and tests run
     * in a child process (`ratchet check-task`), never in the caller's.
     *
     * Answers {task (as task_get), path, validation: {valid: true, problems: []}, tests:
     * {total, passed, failed, results: [{name, status: "passed"|"failed", durationMs, input,
     * expectedOutput, actualOutput, shouldFail, error?}]}}. */
    ratchet_status (*task_write)(const char *task_json, int replace, ratchet_buf *out);
    /* Validate a stored task's latest version (ref: id or name) as `ratchet validate` does: on
     * its folder when it was loaded from one that still holds that version (`source` of the
     * version), else on its stored code, schemas and metadata written to a temporary folder.
     * Answers {task, version, checked: "source"|"stored", source, valid, problems: [{pointer,
     * message}]} (problems are the answer, not an error). */
    ratchet_status (*task_validate)(const char *ref, ratchet_buf *out);
    /* Run a stored task's tests (its folder as in task_validate; stored code alone has no
     * tests) as `ratchet test` does. names_json: a JSON array of test names, or NULL / "" for
     * all (an unknown name is a VALIDATION_ERROR listing the tests). Answers {task, version,
     * checked, source, total, passed, failed, results: [...as in task_write]}; failing tests
     * are the answer, not an error. */
    ratchet_status (*task_test)(const char *ref, const char *names_json, ratchet_buf *out);

    /* ---- what a browser UI needs: since ABI 1.8 (engine interface minor 2) ----------------
     * A host of an older minor has none of these: check RATCHET_HAS_FIELD(eng,
     * ratchet_engine_api, keys_list) (and so on) before calling. Same errors, threading and
     * memory rules as above. */

    /* Every API key, revoked ones too, ordered by id: a JSON array of {id, name, scope
     * ("read"|"write"|"admin"), prefix (the secret's first characters), createdAt, lastUsedAt,
     * revokedAt}. Never a secret or its hash. */
    ratchet_status (*keys_list)(ratchet_buf *out);
    /* Make a key as `ratchet keys create` does (same storage): {id, name, scope, prefix,
     * secret}. The secret is in this answer only (stored hashed); the caller shows it once and
     * forgets it. VALIDATION_ERROR for a bad name (1 to 64 of [A-Za-z0-9._-]) or scope (detail
     * /name or /scope), CONFLICT when a live key has that name. */
    ratchet_status (*key_create)(const char *name, const char *scope, ratchet_buf *out);
    /* Revoke a live key by id ("3") or name: answers its record (revokedAt set); NOT_FOUND
     * when no live key matches. The key stops working at once in this process (see
     * keys_generation); other processes sharing the storage stop accepting it when their
     * caches expire. */
    ratchet_status (*key_revoke)(const char *ref, ratchet_buf *out);
    /* A number that changes whenever key_revoke revokes a key in this process. A front end
     * that caches verified keys drops its cache when it changes. Cheap (an atomic read). */
    uint64_t (*keys_generation)(void);

    /* The next `count` (1..50) fire times of a cron expression in a zone (NULL or "" for UTC),
     * after now, computed as the scheduler computes them (the parser and zone rules of
     * `schedules add`): {cron, timezone, times: [{local (RFC 3339 with the zone's offset),
     * utc (RFC 3339, Z)}], warning (text when other crons read the expression differently,
     * else null)}. Fewer times when the schedule ends sooner. VALIDATION_ERROR with a detail
     * pointing at /cron or /timezone (the message as `schedules add` words it), or at /count. */
    ratchet_status (*cron_preview)(const char *cron, const char *timezone, int count,
                                   ratchet_buf *out);
    /* Check an input (JSON text) against the input schema of task `ref` (id or name), version
     * `version` (NULL: latest), with the validator job_submit uses, running nothing: {valid,
     * errors: [{path (a JSON pointer into the input, "" for the whole), message}]}. An invalid
     * input is the answer, not an error; NOT_FOUND for an unknown task or version;
     * VALIDATION_ERROR when input_json is not JSON. */
    ratchet_status (*input_validate)(const char *ref, const char *version, const char *input_json,
                                     ratchet_buf *out);
    /* The source of a task version (`version` NULL: latest) for reading: {name, version,
     * description, code (main.js as written), inputSchema, outputSchema, tests: [{name,
     * input, expectedOutput, shouldFail}]} - tests from the task's folder when the version was
     * loaded from one that still holds it, else []. */
    ratchet_status (*task_source)(const char *ref, const char *version, ratchet_buf *out);
    /* Executions that ended in the last `minutes` (1..1440), per minute, by completion time:
     * {from, to, bucketSeconds: 60, buckets: [{time, completed, failed}]} oldest first, every
     * minute present (zeros when none); `completed` and `failed` count executions of that
     * status. Counted by the storage per minute; minutes older than two are remembered by the
     * process once counted. */
    ratchet_status (*stats_timeline)(int minutes, ratchet_buf *out);

    /* ---- error analysis and finding events: since ABI 1.8 (engine interface minor 2) ------
     * Check RATCHET_HAS_FIELD(eng, ratchet_engine_api, execution_analyze) (and so on) before
     * calling. Same errors, threading and memory rules as above. */

    /* The error report of an execution (what `ratchet executions analyze` prints; README:
     * Error analysis): format "markdown" appends the report as markdown text, "json" (or NULL)
     * as a JSON object {summary, error, context, patterns, system, prompts, related, budget}.
     * max_tokens (0: 8000; else 100..1000000) bounds its size, estimated as characters / 4:
     * the least useful parts are dropped first and budget.dropped lists them. NOT_FOUND for an
     * unknown execution; VALIDATION_ERROR for another format or max_tokens. */
    ratchet_status (*execution_analyze)(int64_t execution_id, const char *format,
                                        int64_t max_tokens, ratchet_buf *out);
    /* The error patterns in effect, built-in then logging.patterns: {items: [{id, name,
     * category, severity, confidence, min_level, description, suggestions, builtin, source,
     * match}], total} (keys as in ratchet.yaml, so that a pattern can be sent back). */
    ratchet_status (*patterns_list)(ratchet_buf *out);
    /* Match an event against one pattern or against all. request_json: {event: {level
     * (default error), message, source?, fields?: {KEY: "value"}}, pattern?: {a pattern as in
     * ratchet.yaml's logging.patterns, in JSON}}. Answers {matched: bool, matches: [{id,
     * name, category, confidence}]}. VALIDATION_ERROR with the pattern's problem (at its JSON
     * pointer) or the event's. Nothing is stored. */
    ratchet_status (*pattern_test)(const char *request_json, ratchet_buf *out);
    /* Find log events: the console lines and fetch calls of executions and the server's own
     * events kept in storage. query_json: {level? (the lowest: trace..error), since?, until?
     * (RFC 3339 or milliseconds), text? (case-insensitive substring of the message or URL),
     * traceId?, taskName?, executionId?, jobId?, source? ("all" (default), "execution",
     * "server"), limit? (1..1000, default 100), offset?}. Answers {items: [{time, level,
     * source ("execution" or the server's logger source), kind ("log"|"fetch"|"server"),
     * message, executionId, jobId, taskName, traceId, method, url, status, durationMs}],
     * total}, newest first. VALIDATION_ERROR naming a bad member. */
    ratchet_status (*logs_search)(const char *query_json, ratchet_buf *out);
    /* Failed executions by matched error pattern over time. query_json: {since?, until?
     * (default the last 24 hours), bucketMinutes? (1..1440, default 60)}: {from, to,
     * bucketSeconds, buckets: [{time, failed, patterns: {ID: count}}] (every bucket, oldest
     * first), patterns: [{id, name, count}] (most frequent first), unmatched}. At most the
     * 10,000 newest failures of the range are counted (truncated: true when more). */
    ratchet_status (*logs_trends)(const char *query_json, ratchet_buf *out);
} ratchet_engine_api;

#endif /* RATCHET_ENGINE_H */
