/*
 * rs_records.h - storage-common: the JSON records of jobs, executions, execution logs,
 * schedules and task versions, written from a row whose columns come in the order listed with
 * each emitter (each plugin's SQL selects them so), and the fields of the record lists.
 * Emitters write one object into the writer (failures stick in it, see rs_out.h).
 */
#ifndef RS_RECORDS_H
#define RS_RECORDS_H

#include "rs_out.h"
#include "rs_where.h"

/* The columns rs_emit_job and rs_emit_execution read, with their joins (no WHERE). */
#define RS_JOB_COLS                                                                                \
    "SELECT j.id, j.uuid, j.task_id, t.name, v.version, j.task_version_id, j.status, "             \
    "j.priority, j.input, j.output, j.error, "                                                     \
    "CASE WHEN j.attempts > 1 THEN j.attempts - 1 ELSE 0 END, j.max_retries, j.attempts, "         \
    "j.idempotency_key, j.schedule_id, j.execution_id, j.queued_at, j.process_at, "                \
    "j.started_at, j.completed_at, j.cancel_requested, j.lease_owner, j.lease_until, j.meta, "     \
    "j.trace_id "                                                                                  \
    "FROM jobs j JOIN task_versions v ON v.id = j.task_version_id "                                \
    "JOIN tasks t ON t.id = j.task_id "
#define RS_EXEC_COLS                                                                               \
    "SELECT e.id, e.uuid, e.job_id, e.task_id, t.name, v.version, e.status, "                      \
    "COALESCE(e.input, j.input), e.output, e.error, e.logs, e.http, e.started_at, "                \
    "e.completed_at, e.duration_ms, e.attempt, e.analysis "                                        \
    "FROM executions e JOIN task_versions v ON v.id = e.task_version_id "                          \
    "JOIN tasks t ON t.id = e.task_id LEFT JOIN jobs j ON j.id = e.job_id "

/* A job (job_get): id, uuid, task_id, task name, task version, task_version_id, status,
 * priority (1..4), input, output, error, retry count, max_retries, attempts,
 * idempotency_key, schedule_id, execution_id, queued_at, process_at, started_at,
 * completed_at, cancel_requested (boolean), lease_owner, lease_until, meta, trace_id. */
void rs_emit_job(rs_out *o, const rs_row *r);
/* An execution: id, uuid, job_id, task_id, task name, task version, status, input, output,
 * error, logs, http, started_at, completed_at, duration_ms, attempt, analysis. */
void rs_emit_execution(rs_out *o, const rs_row *r);
/* An execution log row: seq, time, kind, level, message, method, url, status, duration_ms. */
void rs_emit_log(rs_out *o, const rs_row *r);
/* A schedule: id, uuid, name, task_name, task_version, cron, timezone, input, enabled
 * (boolean), catch_up, next_run_at, last_run_at, run_count, meta. */
void rs_emit_schedule(rs_out *o, const rs_row *r);
/* A task version: id, task_id, task name, version, uuid, code, input_schema, output_schema,
 * metadata, checksum, source, created_at, description, program. */
void rs_emit_task_version(rs_out *o, const rs_row *r);
/* An API key (key_list): id, name, scope, prefix, created_at, last_used_at, revoked_at. */
void rs_emit_key(rs_out *o, const rs_row *r);
/* The key key_find answers with: id, name, scope. */
void rs_emit_key_found(rs_out *o, const rs_row *r);
/* The start of a task of task_list, left open for latestVersion, its versions and `enabled`:
 * id, uuid, name, description, tags. The caller closes it with rs_out_end(o, '}'). */
void rs_emit_task_open(rs_out *o, const rs_row *r);
/* One of a task's versions in task_list, from column `col` on: id, version, checksum, source,
 * created_at. */
void rs_emit_version_brief(rs_out *o, const rs_row *r, int col);

/* The fields of job_list (table alias j), execution_list (e) and execution_logs (l); each
 * terminated by a NULL name. */
extern const rs_field rs_job_fields[];
extern const rs_field rs_execution_fields[];
extern const rs_field rs_log_fields[];

/* execution_logs: one execution's rows (the base value is its id) in seq order, with the
 * plugin's `check` that the execution exists. */
#define RS_LOG_LIST(check)                                                                         \
    {                                                                                              \
        "execution log query", rs_log_fields, "execution_logs l", "l.id",                          \
            "SELECT l.seq, l.time, l.kind, l.level, l.message, l.method, l.url, l.status, "        \
            "l.duration_ms FROM execution_logs l ",                                                \
            "seq", 0, "l.execution_id = ?", check, rs_emit_log                                     \
    }

/* job_list and execution_list: newest first, no base condition, no check. */
extern const rs_list_spec rs_job_list;
extern const rs_list_spec rs_execution_list;

/* log_search: one view over the execution log rows (with their execution, job and task) and
 * the server's events, created by each plugin's migration with this text; `key` is unique
 * over both (2 id, 2 id + 1). Level numbers: trace 0 .. error 4; a fetch row is info, or
 * error when it has no status or one >= 400. */
#define RS_LEVEL_NUM(x)                                                                            \
    "CASE " x " WHEN 'trace' THEN 0 WHEN 'debug' THEN 1 WHEN 'warn' THEN 3 WHEN 'error' THEN 4 "   \
    "ELSE 2 END"
#define RS_FETCH_LEVEL "CASE WHEN l.status IS NULL OR l.status >= 400 THEN 'error' ELSE 'info' END"
#define RS_LOG_EVENTS_VIEW                                                                         \
    "CREATE VIEW log_events AS "                                                                   \
    "SELECT l.id * 2 AS key, COALESCE(l.time, e.started_at) AS time, 'execution' AS origin, "      \
    "CASE WHEN l.kind = 'fetch' THEN " RS_FETCH_LEVEL " ELSE COALESCE(l.level, 'info') END "       \
    "AS level, CASE WHEN l.kind = 'fetch' THEN (" RS_LEVEL_NUM(RS_FETCH_LEVEL) ") ELSE ("          \
    RS_LEVEL_NUM("l.level") ") END AS level_num, 'task' AS source, l.kind AS kind, "               \
    "l.message AS message, e.id AS execution_id, e.job_id AS job_id, t.name AS task_name, "        \
    "j.trace_id AS trace_id, l.method AS method, l.url AS url, l.status AS status, "              \
    "l.duration_ms AS duration_ms FROM execution_logs l JOIN executions e ON e.id = "              \
    "l.execution_id JOIN tasks t ON t.id = e.task_id LEFT JOIN jobs j ON j.id = e.job_id "         \
    "UNION ALL SELECT s.id * 2 + 1, s.time, 'server', s.level, " RS_LEVEL_NUM("s.level")           \
    ", s.source, 'server', s.message, s.execution_id, s.job_id, s.task_name, s.trace_id, NULL, "   \
    "NULL, NULL, NULL FROM server_logs s"
extern const rs_field rs_log_event_fields[];
extern const rs_list_spec rs_log_search_list;

#endif /* RS_RECORDS_H */
