/*
 * ratchet/storage.h - the storage kind (since ABI 1.2): tasks, jobs, executions, schedules.
 *
 * One storage instance backs the engine: the task registry (task versions), the persistent job
 * queue, execution records, cron schedules and delivery results. It is shaped so that a
 * single-host embedded database (storage-sqlite) and a shared server database (PostgreSQL,
 * several `ratchet serve` hosts) implement the same calls:
 *
 *  - Jobs are claimed atomically, N at a time, each under a lease (owner + expiry). Only the
 *    owner of a live lease can finish a job, so a job ends with exactly one final state even
 *    when a coordinator dies mid-job and another requeues it after the lease expires.
 *  - Waiting for work is a call (wait()), so a database that can notify (LISTEN/NOTIFY) does,
 *    and one that cannot polls cheaply inside the plugin; the engine never polls tables.
 *  - Batches (submit, finish) are one transaction each: the hot path pays per batch, not per job.
 *
 * Records cross the boundary as JSON text in the camelCase shapes the CLI (`--json`) and the
 * REST API return; the shapes are documented with each call and grow only by adding keys.
 * Times in JSON are RFC 3339 UTC strings ("2026-11-26T06:40:45.123Z"); in C, milliseconds
 * since the Unix epoch (int64_t, 0 = unset).
 *
 * Threading: every call may be made from any thread; calls on one instance may overlap (the
 * plugin serialises internally as its database needs). wait() may block one thread while
 * others call in.
 *
 * Memory: JSON results are appended to a caller-owned ratchet_buf (host->buf_*). Strings the
 * plugin returns inside structs are allocated with host->alloc/strdup and freed by the host
 * with host->free. Inputs are borrowed for the duration of the call.
 *
 * Errors: RATCHET_ERR with host->set_error text; RATCHET_NOTFOUND for an unknown id;
 * RATCHET_RETRY when the database is busy beyond the plugin's busy timeout (the engine backs
 * off and tries again).
 */
#ifndef RATCHET_STORAGE_H
#define RATCHET_STORAGE_H

#include "lifecycle.h"

/* Job priorities; FIFO (by queue time) within one priority. */
typedef enum ratchet_priority {
    RATCHET_PRIORITY_LOW = 1,
    RATCHET_PRIORITY_NORMAL = 2,
    RATCHET_PRIORITY_HIGH = 3,
    RATCHET_PRIORITY_URGENT = 4
} ratchet_priority;

/* One job to queue. */
typedef struct ratchet_job_submit {
    ratchet_abi abi;
    int64_t task_version_id; /* from task_sync(): the exact version the job will run */
    const char *input_json;  /* one JSON value, already validated by the engine */
    ratchet_priority priority;
    int64_t process_at_ms; /* not before this time; 0 = now */
    int32_t max_retries;   /* further attempts after a failure (0 = none) */
    int64_t retry_base_ms; /* backoff: base * 2^(attempt-1), capped, with jitter */
    int64_t retry_max_ms;
    const char *idempotency_key; /* NULL = none; a second submit with the same key returns the
                                  * first job's id (existed = 1) and queues nothing */
    int64_t schedule_id;         /* the schedule that fired it, 0 = none */
    const char *meta_json;       /* engine data kept with the job (e.g. output destinations,
                                  * the W3C trace: "traceId"), a JSON object or NULL */
} ratchet_job_submit;

/* A job handed to the engine by job_claim(). Strings are the host's to free. */
typedef struct ratchet_claimed_job {
    ratchet_abi abi;
    int64_t job_id;
    int64_t execution_id; /* the execution record created for this attempt */
    int64_t task_version_id;
    int32_t attempt; /* 1 for the first run */
    int32_t max_retries;
    int64_t retry_base_ms;
    int64_t retry_max_ms;
    char *input_json;
    char *meta_json; /* NULL when none */
} ratchet_claimed_job;

/* How one claimed attempt ended. */
typedef enum ratchet_finish_kind {
    RATCHET_FINISH_COMPLETED = 1, /* output_json is the result */
    RATCHET_FINISH_RETRY = 2,     /* failed; run again at retry_at_ms (status "retrying") */
    RATCHET_FINISH_FAILED = 3,    /* failed for good; the error is kept on the job */
    RATCHET_FINISH_CANCELLED = 4, /* stopped because it was cancelled */
    RATCHET_FINISH_REQUEUE = 5    /* not run (shutdown): back to queued, attempt not counted */
} ratchet_finish_kind;

typedef struct ratchet_job_finish {
    ratchet_abi abi;
    int64_t job_id;
    int64_t execution_id;
    const char *owner; /* must still hold the job's lease, else the finish is ignored */
    ratchet_finish_kind kind;
    const char *output_json; /* COMPLETED */
    const char *error_json;  /* {name, message, stack, kind} for RETRY/FAILED, else NULL */
    const char *logs_json;   /* [{level, message}] or NULL */
    const char *http_json;   /* [{method, url, status, durationMs}] or NULL */
    int64_t started_ms;
    int64_t duration_ms;
    int64_t retry_at_ms; /* RETRY */
    /* Since 1.8 (read it when RATCHET_HAS_FIELD covers it): what the engine found when the
     * attempt failed, a JSON object {patterns: [{id, name, category, severity, confidence,
     * description, suggestions}], system: {queueDepth, workerMemoryKb, worker}} kept with the
     * execution and answered as its `analysis` member; NULL when none. */
    const char *analysis_json;
} ratchet_job_finish;

typedef struct ratchet_storage_vtable {
    ratchet_abi abi;
    ratchet_lifecycle life; /* start(): open, migrate (versioned, in code), ready to serve */

    /* ---- tasks ----------------------------------------------------------------------- */

    /* Store one task version: task_json = {name, version, uuid, description, tags, metadata,
     * code, inputSchema, outputSchema, checksum, source, program}. The same name+version with
     * the same checksum returns the existing id (*created = 0); with a different checksum it is
     * RATCHET_ERR ("task addition 1.0.0 is already stored with different content"), so a
     * version is never silently replaced. `program` (since 1.3, optional) is the compiled
     * program {compiler, code, modules, map}: derived from `code`, so a plugin keeps it as an
     * opaque JSON value and replaces a stored one when a sync of the same checksum brings
     * another. */
    ratchet_status (*task_sync)(void *instance, const char *task_json, int64_t *task_version_id,
                                int *created);
    /* [{id, uuid, name, description, tags, latestVersion, versions: [{id, version, checksum,
     * source, createdAt}], enabled}] ordered by name. */
    ratchet_status (*task_list)(void *instance, ratchet_buf *out);
    /* One version in full: {id, taskId, name, version, uuid, code, inputSchema, outputSchema,
     * metadata, checksum, source, createdAt, program (null when none)}. RATCHET_NOTFOUND when
     * unknown. */
    ratchet_status (*task_version_get)(void *instance, int64_t task_version_id, ratchet_buf *out);

    /* ---- jobs ------------------------------------------------------------------------ */

    /* Queue n jobs in one transaction. ids[i] receives each job's id; existed[i] is 1 when an
     * idempotency key matched an earlier job. All or nothing. */
    ratchet_status (*job_submit)(void *instance, const ratchet_job_submit *jobs, size_t n,
                                 int64_t *ids, int *existed);
    /* Atomically take up to `max` ready jobs (status queued or retrying, process_at <= now),
     * highest priority first, then oldest; mark them processing under a lease held by
     * `owner` until now_ms + lease_ms; create an execution record for each. *n = how many.
     * The caller sets out[0].abi (RATCHET_ABI_INIT) before the call: the plugin writes entries
     * of out[0].abi.struct_size bytes, no more, so the struct may grow in later minors. */
    ratchet_status (*job_claim)(void *instance, const char *owner, int64_t now_ms, int64_t lease_ms,
                                ratchet_claimed_job *out, size_t max, size_t *n);
    /* Extend every lease `owner` holds to now_ms + lease_ms (a heartbeat). */
    ratchet_status (*job_renew)(void *instance, const char *owner, int64_t now_ms,
                                int64_t lease_ms);
    /* Record n attempt outcomes in one transaction (job status, execution record). A finish
     * whose owner no longer holds the lease changes nothing; *applied counts the others. */
    ratchet_status (*job_finish)(void *instance, const ratchet_job_finish *fins, size_t n,
                                 size_t *applied);
    /* Requeue the jobs whose lease expired before now_ms (their coordinator died): back to
     * queued (the interrupted attempt's execution is marked failed, "lease expired"). */
    ratchet_status (*job_requeue_expired)(void *instance, int64_t now_ms, size_t *count);
    /* Cancel: a queued/retrying job becomes cancelled at once; a processing one is flagged
     * (cancelRequested) for its owner to stop. Final jobs are left alone (RATCHET_ERR with a
     * message saying its state). *out receives the job. */
    ratchet_status (*job_cancel)(void *instance, int64_t job_id, ratchet_buf *out);
    /* Requeue a failed or cancelled job (attempts reset). */
    ratchet_status (*job_retry)(void *instance, int64_t job_id, int64_t now_ms, ratchet_buf *out);
    /* The ids of processing jobs owned by `owner` that were asked to cancel: JSON array. */
    ratchet_status (*job_cancel_requests)(void *instance, const char *owner, ratchet_buf *out);
    /* {id, uuid, taskId, taskName, taskVersion, taskVersionId, status, priority, input,
     * output, error, retryCount, maxRetries, idempotencyKey, scheduleId, executionId,
     * queuedAt, processAt, startedAt, completedAt, cancelRequested, meta, traceId (since 1.6:
     * meta's "traceId", a string, or null)}. */
    ratchet_status (*job_get)(void *instance, int64_t job_id, ratchet_buf *out);
    /* Jobs matching filter_json {status?, taskName?, limit? (default 100, max 1000),
     * offset?}: {items: [job...], total}. Newest first. */
    ratchet_status (*job_list)(void *instance, const char *filter_json, ratchet_buf *out);
    /* Earliest process_at of queued/retrying jobs in the future (0 when none): how long the
     * dispatcher may sleep. */
    ratchet_status (*job_next_due)(void *instance, int64_t now_ms, int64_t *at_ms);

    /* ---- executions ------------------------------------------------------------------ */

    /* {id, uuid, jobId, taskId, taskName, taskVersion, status (running|completed|failed|
     * cancelled), input, output, error, logs, http, startedAt, completedAt, durationMs,
     * analysis (since 1.8: the finish's analysis_json, or null)}. */
    ratchet_status (*execution_get)(void *instance, int64_t execution_id, ratchet_buf *out);
    /* filter_json {jobId?, taskName?, status?, limit?, offset?} -> {items, total}. */
    ratchet_status (*execution_list)(void *instance, const char *filter_json, ratchet_buf *out);

    /* ---- schedules ------------------------------------------------------------------- */

    /* Create: schedule_json = {name, taskName, taskVersion? (null: latest at fire time),
     * cron, timezone, input, enabled, catchUp ("once"|"skip"), nextRunAt, meta}. Names are
     * unique. */
    ratchet_status (*schedule_add)(void *instance, const char *schedule_json, int64_t *id);
    ratchet_status (*schedule_set_enabled)(void *instance, int64_t id, int enabled,
                                           int64_t next_run_ms);
    ratchet_status (*schedule_remove)(void *instance, int64_t id);
    /* [{id, name, taskName, taskVersion, cron, timezone, input, enabled, catchUp, nextRunAt,
     * lastRunAt, runCount, meta}] ordered by name. */
    ratchet_status (*schedule_list)(void *instance, ratchet_buf *out);
    /* Enabled schedules with nextRunAt <= now_ms, same shape. */
    ratchet_status (*schedule_due)(void *instance, int64_t now_ms, ratchet_buf *out);
    /* In one transaction: if schedule `id` still has nextRunAt == expected_next_ms, queue
     * `job`, set lastRunAt = fired_ms, nextRunAt = next_run_ms, runCount += 1, and return the
     * job id; otherwise (another coordinator fired it) change nothing and set *job_id = 0.
     * `job` NULL skips this fire: only nextRunAt moves (a missed run that is not caught up);
     * next_run_ms 0 means the schedule never fires again (it is disabled). */
    ratchet_status (*schedule_fire)(void *instance, int64_t id, int64_t expected_next_ms,
                                    int64_t fired_ms, int64_t next_run_ms,
                                    const ratchet_job_submit *job, int64_t *job_id);

    /* ---- outputs, maintenance, wake-ups -------------------------------------------------- */

    /* delivery_json = {jobId, executionId, destinationType, destination, success, attempts,
     * durationMs, responseStatus, error}. */
    ratchet_status (*delivery_record)(void *instance, const char *delivery_json);
    /* Delete finished jobs and their executions/deliveries completed before
     * older_than_ms and reclaim the space; *removed counts jobs. */
    ratchet_status (*prune)(void *instance, int64_t older_than_ms, size_t *removed);
    /* Block until jobs or schedules may have changed (a submit by this or another process) or
     * timeout_ms passes. RATCHET_OK when woken, RATCHET_RETRY on timeout. */
    ratchet_status (*wait)(void *instance, int64_t timeout_ms);
    /* Wake every wait() (in this process and, where the database can, in others). */
    void (*notify)(void *instance);

    /* ---- since 1.4: what the API front ends need -------------------------------------------
     * Optional for plugins built against 1.2/1.3 (the host checks RATCHET_HAS_FIELD and answers
     * "not supported by this storage plugin"); a 1.4 plugin sets all of them.
     *
     * Since 1.4 job_list and execution_list also accept the query form of engine.h in
     * filter_json: {where: [{field, op, value}], sort, order, offset, limit}, with the fields
     * documented there for jobs_list/executions_list (an unknown field or op: RATCHET_ERR
     * naming the allowed ones); the older keys (status, taskName, jobId) still work. */

    /* Enable or disable the task `name` (every version). RATCHET_NOTFOUND when unknown. */
    ratchet_status (*task_set_enabled)(void *instance, const char *name, int enabled);
    /* Change a schedule: patch_json holds any of {cron, timezone, input, enabled, catchUp,
     * meta, taskVersion} (already checked by the engine); nextRunAt becomes next_run_ms. */
    ratchet_status (*schedule_update)(void *instance, int64_t id, const char *patch_json,
                                      int64_t next_run_ms);
    /* Counts for statistics and metrics. resource "jobs": {total, byStatus: {queued, ...},
     * byPriority: {low, normal, high, urgent}, last24h, oldestQueuedAt}; "executions":
     * {total, byStatus, averageDurationMs, last24h}; "tasks": {total, enabled, versions};
     * "schedules": {total, enabled, due}. now_ms anchors "last24h" and "due". */
    ratchet_status (*stats)(void *instance, const char *resource, int64_t now_ms,
                            ratchet_buf *out);
    /* The console lines and fetch calls of one execution, as job_finish recorded them
     * (logs_json and http_json, kept one row per entry, in order): {items: [{seq, time, kind
     * "log"|"fetch", level, message, method, url, status, durationMs}], total}. query_json as
     * above, fields seq, kind, level. Pruned with the execution. */
    ratchet_status (*execution_logs)(void *instance, int64_t execution_id, const char *query_json,
                                     ratchet_buf *out);

    /* API keys. key_json = {name, scope ("read"|"write"|"admin"), hash (hex SHA-256 of the
     * secret), prefix (the secret's first characters, to recognise it)}. Names are unique
     * among keys not revoked (RATCHET_ERR "an API key named 'x' exists"). */
    ratchet_status (*key_create)(void *instance, const char *key_json, int64_t *id);
    /* [{id, name, scope, prefix, createdAt, lastUsedAt, revokedAt}] ordered by id. */
    ratchet_status (*key_list)(void *instance, ratchet_buf *out);
    /* Revoke by name or id (decimal text). RATCHET_NOTFOUND when no live key matches. */
    ratchet_status (*key_revoke)(void *instance, const char *ref, int64_t now_ms);
    /* The live key with this hash: {id, name, scope}; RATCHET_NOTFOUND when none. Records
     * lastUsedAt at most once a minute per key. */
    ratchet_status (*key_find)(void *instance, const char *hash, int64_t now_ms,
                               ratchet_buf *out);

    /* ---- since 1.8: finding log events ----------------------------------------------------
     * Optional (the host checks RATCHET_HAS_FIELD and answers "not supported by this storage
     * plugin"). */

    /* Keep the server's own log events: events_json = [{time (ms), level, source, message,
     * fields (object or null), traceId, jobId, executionId, taskName}] in one transaction;
     * then, when more than max_rows are kept, the oldest beyond max_rows are deleted (a bound,
     * not a target: the plugin may delete in batches). prune() deletes those older than its
     * cutoff. Called from the host's log writer thread, never the engine's. */
    ratchet_status (*log_append)(void *instance, const char *events_json, int64_t max_rows);
    /* Search the execution log rows (execution_logs) and the server's events together.
     * query_json (checked by the engine): {minLevel (0 trace .. 4 error; fetch rows count as
     * info, or error when their status is >= 400 or absent), since, until (ms, 0: open), text
     * (case-insensitive substring of message or url), traceId, taskName, executionId, jobId,
     * source ("all"|"execution"|"server"), limit, offset}. Answers {items: [{time, level,
     * source, kind, message, executionId, jobId, taskName, traceId, method, url, status,
     * durationMs}], total} newest first (time, then insertion order). */
    ratchet_status (*log_search)(void *instance, const char *query_json, ratchet_buf *out);
} ratchet_storage_vtable;

#endif /* RATCHET_STORAGE_H */
