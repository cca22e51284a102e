/*
 * rs_records.c - the records both storage plugins answer with, written from result rows
 * (rs_row) whose columns each plugin selects in the order given in rs_records.h, and the
 * fields their lists filter and sort on.
 *
 * A record is a table of its members: key, column, how the column is written.
 */
#include <stddef.h>

#include "rs_json.h"
#include "rs_records.h"

typedef enum col_kind { COL_INT, COL_STR, COL_JSON, COL_TIME, COL_BOOL, COL_PRIORITY } col_kind;

typedef struct rs_col {
    const char *key; /* NULL ends a table */
    int col;
    col_kind kind;
} rs_col;

/* Write r's columns as the members of `cols`, in order, into the open object. */
static void write_cols(rs_out *o, const rs_col *cols, const rs_row *r, int base)
{
    for (const rs_col *c = cols; c->key; c++) {
        int i = base + c->col;
        switch (c->kind) {
        case COL_INT:
            rs_out_col_int(o, c->key, r, i);
            break;
        case COL_STR:
            rs_out_col_str(o, c->key, r, i);
            break;
        case COL_JSON:
            rs_out_col_json(o, c->key, r, i);
            break;
        case COL_TIME:
            rs_out_col_time(o, c->key, r, i);
            break;
        case COL_BOOL:
            rs_out_col_bool(o, c->key, r, i);
            break;
        case COL_PRIORITY:
            rs_out_str(o, c->key, rs_priority_name(r->ops->int64(r, i)));
            break;
        }
    }
}

static void write_record(rs_out *o, const rs_col *cols, const rs_row *r)
{
    rs_out_begin(o, NULL, '{');
    write_cols(o, cols, r, 0);
    rs_out_end(o, '}');
}

static const rs_col job_cols[] = {
    {"id", 0, COL_INT},
    {"uuid", 1, COL_STR},
    {"taskId", 2, COL_INT},
    {"taskName", 3, COL_STR},
    {"taskVersion", 4, COL_STR},
    {"taskVersionId", 5, COL_INT},
    {"status", 6, COL_STR},
    {"priority", 7, COL_PRIORITY},
    {"input", 8, COL_JSON},
    {"output", 9, COL_JSON},
    {"error", 10, COL_JSON},
    {"retryCount", 11, COL_INT},
    {"maxRetries", 12, COL_INT},
    {"attempts", 13, COL_INT},
    {"idempotencyKey", 14, COL_STR},
    {"scheduleId", 15, COL_INT},
    {"executionId", 16, COL_INT},
    {"queuedAt", 17, COL_TIME},
    {"processAt", 18, COL_TIME},
    {"startedAt", 19, COL_TIME},
    {"completedAt", 20, COL_TIME},
    {"cancelRequested", 21, COL_BOOL},
    {"leaseOwner", 22, COL_STR},
    {"leaseUntil", 23, COL_TIME},
    {"meta", 24, COL_JSON},
    {"traceId", 25, COL_STR},
    {NULL, 0, COL_INT},
};

static const rs_col execution_cols[] = {
    {"id", 0, COL_INT},          {"uuid", 1, COL_STR},
    {"jobId", 2, COL_INT},       {"taskId", 3, COL_INT},
    {"taskName", 4, COL_STR},    {"taskVersion", 5, COL_STR},
    {"status", 6, COL_STR},      {"input", 7, COL_JSON},
    {"output", 8, COL_JSON},     {"error", 9, COL_JSON},
    {"logs", 10, COL_JSON},      {"http", 11, COL_JSON},
    {"startedAt", 12, COL_TIME}, {"completedAt", 13, COL_TIME},
    {"durationMs", 14, COL_INT}, {"attempt", 15, COL_INT},
    {"analysis", 16, COL_JSON},  {NULL, 0, COL_INT},
};

static const rs_col log_cols[] = {
    {"seq", 0, COL_INT},   {"time", 1, COL_TIME},   {"kind", 2, COL_STR},
    {"level", 3, COL_STR}, {"message", 4, COL_STR}, {"method", 5, COL_STR},
    {"url", 6, COL_STR},   {"status", 7, COL_INT},  {"durationMs", 8, COL_INT},
    {NULL, 0, COL_INT},
};

static const rs_col log_event_cols[] = {
    {"time", 0, COL_TIME},       {"level", 1, COL_STR},       {"source", 2, COL_STR},
    {"kind", 3, COL_STR},        {"message", 4, COL_STR},     {"executionId", 5, COL_INT},
    {"jobId", 6, COL_INT},       {"taskName", 7, COL_STR},    {"traceId", 8, COL_STR},
    {"method", 9, COL_STR},      {"url", 10, COL_STR},        {"status", 11, COL_INT},
    {"durationMs", 12, COL_INT}, {NULL, 0, COL_INT},
};

static const rs_col schedule_cols[] = {
    {"id", 0, COL_INT},        {"uuid", 1, COL_STR},        {"name", 2, COL_STR},
    {"taskName", 3, COL_STR},  {"taskVersion", 4, COL_STR}, {"cron", 5, COL_STR},
    {"timezone", 6, COL_STR},  {"input", 7, COL_JSON},      {"enabled", 8, COL_BOOL},
    {"catchUp", 9, COL_STR},   {"nextRunAt", 10, COL_TIME}, {"lastRunAt", 11, COL_TIME},
    {"runCount", 12, COL_INT}, {"meta", 13, COL_JSON},      {NULL, 0, COL_INT},
};

static const rs_col version_cols[] = {
    {"id", 0, COL_INT},          {"taskId", 1, COL_INT},       {"name", 2, COL_STR},
    {"version", 3, COL_STR},     {"uuid", 4, COL_STR},         {"description", 12, COL_STR},
    {"code", 5, COL_STR},        {"inputSchema", 6, COL_JSON}, {"outputSchema", 7, COL_JSON},
    {"metadata", 8, COL_JSON},   {"checksum", 9, COL_STR},     {"source", 10, COL_STR},
    {"createdAt", 11, COL_TIME}, {"program", 13, COL_JSON},    {NULL, 0, COL_INT},
};

static const rs_col key_cols[] = {
    {"id", 0, COL_INT},         {"name", 1, COL_STR},       {"scope", 2, COL_STR},
    {"prefix", 3, COL_STR},     {"createdAt", 4, COL_TIME}, {"lastUsedAt", 5, COL_TIME},
    {"revokedAt", 6, COL_TIME}, {NULL, 0, COL_INT},
};

static const rs_col key_found_cols[] = {
    {"id", 0, COL_INT},
    {"name", 1, COL_STR},
    {"scope", 2, COL_STR},
    {NULL, 0, COL_INT},
};

static const rs_col task_cols[] = {
    {"id", 0, COL_INT},          {"uuid", 1, COL_STR},  {"name", 2, COL_STR},
    {"description", 3, COL_STR}, {"tags", 4, COL_JSON}, {NULL, 0, COL_INT},
};

static const rs_col version_brief_cols[] = {
    {"id", 0, COL_INT},     {"version", 1, COL_STR},    {"checksum", 2, COL_STR},
    {"source", 3, COL_STR}, {"createdAt", 4, COL_TIME}, {NULL, 0, COL_INT},
};

void rs_emit_job(rs_out *o, const rs_row *r)
{
    write_record(o, job_cols, r);
}

void rs_emit_execution(rs_out *o, const rs_row *r)
{
    write_record(o, execution_cols, r);
}

void rs_emit_log(rs_out *o, const rs_row *r)
{
    write_record(o, log_cols, r);
}

void rs_emit_schedule(rs_out *o, const rs_row *r)
{
    write_record(o, schedule_cols, r);
}

void rs_emit_task_version(rs_out *o, const rs_row *r)
{
    write_record(o, version_cols, r);
}

void rs_emit_key(rs_out *o, const rs_row *r)
{
    write_record(o, key_cols, r);
}

void rs_emit_key_found(rs_out *o, const rs_row *r)
{
    write_record(o, key_found_cols, r);
}

void rs_emit_task_open(rs_out *o, const rs_row *r)
{
    rs_out_begin(o, NULL, '{');
    write_cols(o, task_cols, r, 0);
}

void rs_emit_version_brief(rs_out *o, const rs_row *r, int col)
{
    rs_out_begin(o, NULL, '{');
    write_cols(o, version_brief_cols, r, col);
    rs_out_end(o, '}');
}

/* ---- the fields of the lists ---------------------------------------------------------- */

static const char *const job_statuses[] = {"queued",    "processing", "completed", "failed",
                                           "cancelled", "retrying",   NULL};
static const char *const exec_statuses[] = {"pending", "running",   "completed",
                                            "failed",  "cancelled", NULL};

/* The task name lives in tasks: filters look it up, sorts read it per row. */
#define TASK_NAME_FIELD(a)                                                                         \
    {                                                                                              \
        "taskName", "name", RS_FT_TEXT, NULL, a ".task_id IN (SELECT id FROM tasks WHERE ",        \
            "(SELECT name FROM tasks WHERE id = " a ".task_id)", 1                                 \
    }

const rs_field rs_job_fields[] = {
    {"id", "j.id", RS_FT_INT, NULL, NULL, NULL, 1},
    {"status", "j.status", RS_FT_ENUM, job_statuses, NULL, NULL, 1},
    {"priority", "j.priority", RS_FT_PRIORITY, NULL, NULL, NULL, 1},
    {"taskId", "j.task_id", RS_FT_INT, NULL, NULL, NULL, 0},
    TASK_NAME_FIELD("j"),
    {"scheduleId", "j.schedule_id", RS_FT_INT, NULL, NULL, NULL, 0},
    {"traceId", "j.trace_id", RS_FT_TEXT, NULL, NULL, NULL, 0},
    {"queuedAt", "j.queued_at", RS_FT_TIME, NULL, NULL, NULL, 1},
    {"startedAt", "j.started_at", RS_FT_TIME, NULL, NULL, NULL, 1},
    {"completedAt", "j.completed_at", RS_FT_TIME, NULL, NULL, NULL, 1},
    {NULL, NULL, RS_FT_INT, NULL, NULL, NULL, 0},
};

const rs_field rs_execution_fields[] = {
    {"id", "e.id", RS_FT_INT, NULL, NULL, NULL, 1},
    {"jobId", "e.job_id", RS_FT_INT, NULL, NULL, NULL, 1},
    {"taskId", "e.task_id", RS_FT_INT, NULL, NULL, NULL, 1},
    TASK_NAME_FIELD("e"),
    {"status", "e.status", RS_FT_ENUM, exec_statuses, NULL, NULL, 1},
    {"startedAt", "e.started_at", RS_FT_TIME, NULL, NULL, NULL, 1},
    {"completedAt", "e.completed_at", RS_FT_TIME, NULL, NULL, NULL, 1},
    {"durationMs", "e.duration_ms", RS_FT_INT, NULL, NULL, NULL, 1},
    {NULL, NULL, RS_FT_INT, NULL, NULL, NULL, 0},
};

static const char *const log_kinds[] = {"log", "fetch", NULL};

const rs_field rs_log_fields[] = {
    {"seq", "l.seq", RS_FT_INT, NULL, NULL, NULL, 1},
    {"kind", "l.kind", RS_FT_ENUM, log_kinds, NULL, NULL, 1},
    {"level", "l.level", RS_FT_TEXT, NULL, NULL, NULL, 1},
    {NULL, NULL, RS_FT_INT, NULL, NULL, NULL, 0},
};

static const char *const log_origins[] = {"execution", "server", NULL};

/* `level` filters on the level's number (gte 3: warn and error). */
const rs_field rs_log_event_fields[] = {
    {"time", "g.time", RS_FT_TIME, NULL, NULL, NULL, 1},
    {"level", "g.level_num", RS_FT_INT, NULL, NULL, NULL, 0},
    {"origin", "g.origin", RS_FT_ENUM, log_origins, NULL, NULL, 0},
    {"text", "(COALESCE(g.message, '') || ' ' || COALESCE(g.url, ''))", RS_FT_TEXT, NULL, NULL,
     NULL, 0},
    {"traceId", "g.trace_id", RS_FT_TEXT, NULL, NULL, NULL, 0},
    {"taskName", "g.task_name", RS_FT_TEXT, NULL, NULL, NULL, 0},
    {"executionId", "g.execution_id", RS_FT_INT, NULL, NULL, NULL, 0},
    {"jobId", "g.job_id", RS_FT_INT, NULL, NULL, NULL, 0},
    {NULL, NULL, RS_FT_INT, NULL, NULL, NULL, 0},
};

static void emit_log_event(rs_out *o, const rs_row *r)
{
    write_record(o, log_event_cols, r);
}

const rs_list_spec rs_log_search_list = {
    "log search",
    rs_log_event_fields,
    "log_events g",
    "g.key",
    "SELECT g.time, g.level, g.source, g.kind, g.message, g.execution_id, g.job_id, g.task_name, "
    "g.trace_id, g.method, g.url, g.status, g.duration_ms FROM log_events g ",
    "time",
    1,
    NULL,
    NULL,
    emit_log_event,
};

const rs_list_spec rs_job_list = {
    "job query", rs_job_fields, "jobs j", "j.id", RS_JOB_COLS, "id", 1, NULL, NULL, rs_emit_job,
};

const rs_list_spec rs_execution_list = {
    "execution query",
    rs_execution_fields,
    "executions e",
    "e.id",
    RS_EXEC_COLS,
    "id",
    1,
    NULL,
    NULL,
    rs_emit_execution,
};
