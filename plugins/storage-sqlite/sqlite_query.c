/*
 * sqlite_query.c - the queue's read side: jobs and executions as JSON (get, filtered lists),
 * the next due time and the cancel requests of an owner.
 *
 * Lists take the query form (sqlite_where.c) with the fields below; newest first (id DESC) by
 * default, paged with limit/offset; `total` counts every match. Unknown top-level keys are
 * ignored so that a newer engine's extra keys do not break an older plugin; an unknown field
 * inside `where` or `sort` is refused, naming the allowed ones.
 */
#include "sqlite_int.h"

#define JOB_COLS                                                                                   \
    "SELECT j.id, j.uuid, j.task_id, t.name, v.version, j.task_version_id, j.status, "             \
    "j.priority, j.input, j.output, j.error, max(j.attempts - 1, 0), j.max_retries, j.attempts, "  \
    "j.idempotency_key, j.schedule_id, j.execution_id, j.queued_at, j.process_at, "                \
    "j.started_at, j.completed_at, j.cancel_requested, j.lease_owner, j.lease_until, j.meta "      \
    "FROM jobs j JOIN task_versions v ON v.id = j.task_version_id "                                \
    "JOIN tasks t ON t.id = j.task_id "

#define EXEC_COLS                                                                                  \
    "SELECT e.id, e.uuid, e.job_id, e.task_id, t.name, v.version, e.status, "                      \
    "COALESCE(e.input, j.input), e.output, e.error, e.logs, e.http, e.started_at, "                \
    "e.completed_at, e.duration_ms, e.attempt "                                                    \
    "FROM executions e JOIN task_versions v ON v.id = e.task_version_id "                          \
    "JOIN tasks t ON t.id = e.task_id LEFT JOIN jobs j ON j.id = e.job_id "

static void emit_job(sq_out *o, sqlite3_stmt *st)
{
    sq_out_begin(o, NULL, '{');
    sq_out_col_int(o, "id", st, 0);
    sq_out_col_str(o, "uuid", st, 1);
    sq_out_col_int(o, "taskId", st, 2);
    sq_out_col_str(o, "taskName", st, 3);
    sq_out_col_str(o, "taskVersion", st, 4);
    sq_out_col_int(o, "taskVersionId", st, 5);
    sq_out_col_str(o, "status", st, 6);
    sq_out_str(o, "priority", sq_priority_name(sqlite3_column_int64(st, 7)));
    sq_out_col_json(o, "input", st, 8);
    sq_out_col_json(o, "output", st, 9);
    sq_out_col_json(o, "error", st, 10);
    sq_out_col_int(o, "retryCount", st, 11);
    sq_out_col_int(o, "maxRetries", st, 12);
    sq_out_col_int(o, "attempts", st, 13);
    sq_out_col_str(o, "idempotencyKey", st, 14);
    sq_out_col_int(o, "scheduleId", st, 15);
    sq_out_col_int(o, "executionId", st, 16);
    sq_out_col_time(o, "queuedAt", st, 17);
    sq_out_col_time(o, "processAt", st, 18);
    sq_out_col_time(o, "startedAt", st, 19);
    sq_out_col_time(o, "completedAt", st, 20);
    sq_out_bool(o, "cancelRequested", sqlite3_column_int(st, 21));
    sq_out_col_str(o, "leaseOwner", st, 22);
    sq_out_col_time(o, "leaseUntil", st, 23);
    sq_out_col_json(o, "meta", st, 24);
    sq_out_end(o, '}');
}

static void emit_exec(sq_out *o, sqlite3_stmt *st)
{
    sq_out_begin(o, NULL, '{');
    sq_out_col_int(o, "id", st, 0);
    sq_out_col_str(o, "uuid", st, 1);
    sq_out_col_int(o, "jobId", st, 2);
    sq_out_col_int(o, "taskId", st, 3);
    sq_out_col_str(o, "taskName", st, 4);
    sq_out_col_str(o, "taskVersion", st, 5);
    sq_out_col_str(o, "status", st, 6);
    sq_out_col_json(o, "input", st, 7);
    sq_out_col_json(o, "output", st, 8);
    sq_out_col_json(o, "error", st, 9);
    sq_out_col_json(o, "logs", st, 10);
    sq_out_col_json(o, "http", st, 11);
    sq_out_col_time(o, "startedAt", st, 12);
    sq_out_col_time(o, "completedAt", st, 13);
    sq_out_col_int(o, "durationMs", st, 14);
    sq_out_col_int(o, "attempt", st, 15);
    sq_out_end(o, '}');
}

ratchet_status sq_emit_by_id(sq_inst *in, sq_conn *c, sq_slot slot, const char *sql, int64_t id,
                             const char *kind, const char *what,
                             void (*emit)(sq_out *, sqlite3_stmt *), ratchet_buf *out)
{
    sqlite3_stmt *st = sq_stmt(in, c, slot, sql);
    if (!st)
        return RATCHET_ERR;
    sq_bind_int(st, 1, id);
    int rc = sqlite3_step(st);
    ratchet_status s;
    if (rc == SQLITE_ROW) {
        sq_out o;
        sq_out_init(&o, out);
        emit(&o, st);
        s = sq_out_done(in, &o);
    } else if (rc == SQLITE_DONE) {
        sq_host->set_error(in->ctx, "%s %lld does not exist", kind, (long long)id);
        s = RATCHET_NOTFOUND;
    } else {
        s = sq_fail(in, c, rc, what);
    }
    sq_reset(st);
    return s;
}

ratchet_status sq_job_emit(sq_inst *in, sq_conn *c, int64_t job_id, ratchet_buf *out)
{
    return sq_emit_by_id(in, c, SQ_JOB_GET, JOB_COLS "WHERE j.id = ?1", job_id, "job",
                         "reading a record", emit_job, out);
}

/* Borrow a connection for one read-only call. */
#define WITH_CONN(in, c, call)                                                                     \
    do {                                                                                           \
        ratchet_status s_ = sq_ready(in);                                                          \
        if (s_ != RATCHET_OK || (s_ = sq_acquire(in, &(c))) != RATCHET_OK)                         \
            return s_;                                                                             \
        s_ = (call);                                                                               \
        sq_release(in, c);                                                                         \
        return s_;                                                                                 \
    } while (0)

ratchet_status sqlite_job_get(void *instance, int64_t job_id, ratchet_buf *out)
{
    sq_inst *in = instance;
    sq_conn *c = NULL;
    WITH_CONN(in, c, sq_job_emit(in, c, job_id, out));
}

static ratchet_status exec_emit(sq_inst *in, sq_conn *c, int64_t id, ratchet_buf *out)
{
    return sq_emit_by_id(in, c, SQ_EXEC_GET, EXEC_COLS "WHERE e.id = ?1", id, "execution",
                         "reading a record", emit_exec, out);
}

ratchet_status sqlite_execution_get(void *instance, int64_t execution_id, ratchet_buf *out)
{
    sq_inst *in = instance;
    sq_conn *c = NULL;
    WITH_CONN(in, c, exec_emit(in, c, execution_id, out));
}

/* ---- lists ------------------------------------------------------------------------------ */

static const char *const job_statuses[] = {"queued",    "processing", "completed", "failed",
                                           "cancelled", "retrying",   NULL};
static const char *const exec_statuses[] = {"pending", "running",   "completed",
                                            "failed",  "cancelled", NULL};

/* The task name lives in tasks: filters look it up, sorts read it per row. */
#define TASK_NAME_FIELD(a)                                                                         \
    {                                                                                              \
        "taskName", "name", SQ_FT_TEXT, NULL, a ".task_id IN (SELECT id FROM tasks WHERE ",        \
            "(SELECT name FROM tasks WHERE id = " a ".task_id)", 1                                 \
    }

static const sq_field job_fields[] = {
    {"id", "j.id", SQ_FT_INT, NULL, NULL, NULL, 1},
    {"status", "j.status", SQ_FT_ENUM, job_statuses, NULL, NULL, 1},
    {"priority", "j.priority", SQ_FT_PRIORITY, NULL, NULL, NULL, 1},
    {"taskId", "j.task_id", SQ_FT_INT, NULL, NULL, NULL, 0},
    TASK_NAME_FIELD("j"),
    {"scheduleId", "j.schedule_id", SQ_FT_INT, NULL, NULL, NULL, 0},
    {"queuedAt", "j.queued_at", SQ_FT_TIME, NULL, NULL, NULL, 1},
    {"startedAt", "j.started_at", SQ_FT_TIME, NULL, NULL, NULL, 1},
    {"completedAt", "j.completed_at", SQ_FT_TIME, NULL, NULL, NULL, 1},
    {NULL, NULL, SQ_FT_INT, NULL, NULL, NULL, 0},
};

static const sq_field exec_fields[] = {
    {"id", "e.id", SQ_FT_INT, NULL, NULL, NULL, 1},
    {"jobId", "e.job_id", SQ_FT_INT, NULL, NULL, NULL, 1},
    {"taskId", "e.task_id", SQ_FT_INT, NULL, NULL, NULL, 1},
    TASK_NAME_FIELD("e"),
    {"status", "e.status", SQ_FT_ENUM, exec_statuses, NULL, NULL, 1},
    {"startedAt", "e.started_at", SQ_FT_TIME, NULL, NULL, NULL, 1},
    {"completedAt", "e.completed_at", SQ_FT_TIME, NULL, NULL, NULL, 1},
    {"durationMs", "e.duration_ms", SQ_FT_INT, NULL, NULL, NULL, 1},
    {NULL, NULL, SQ_FT_INT, NULL, NULL, NULL, 0},
};

ratchet_status sqlite_job_list(void *instance, const char *filter_json, ratchet_buf *out)
{
    static const sq_list_spec spec = {
        "job query", job_fields, "jobs j", "j.id", JOB_COLS, "id", 1, NULL, NULL, emit_job,
    };
    return sq_query_list(instance, &spec, filter_json, 0, out);
}

ratchet_status sqlite_execution_list(void *instance, const char *filter_json, ratchet_buf *out)
{
    static const sq_list_spec spec = {
        "execution query", exec_fields, "executions e", "e.id", EXEC_COLS, "id", 1, NULL, NULL,
        emit_exec,
    };
    return sq_query_list(instance, &spec, filter_json, 0, out);
}

/* ---- small queries ---------------------------------------------------------------------- */

static ratchet_status next_due(sq_inst *in, sq_conn *c, int64_t now, int64_t *at)
{
    sqlite3_stmt *st = sq_stmt(in, c, SQ_NEXT_DUE,
                               "SELECT min(process_at) FROM jobs INDEXED BY jobs_due "
                               "WHERE status IN ('queued', 'retrying') AND process_at > ?1");
    if (!st)
        return RATCHET_ERR;
    sq_bind_int(st, 1, now);
    int rc = sqlite3_step(st);
    *at = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0; /* NULL reads as 0: none */
    sq_reset(st);
    return rc == SQLITE_ROW ? RATCHET_OK : sq_fail(in, c, rc, "finding the next due job");
}

ratchet_status sqlite_job_next_due(void *instance, int64_t now_ms, int64_t *at_ms)
{
    sq_inst *in = instance;
    sq_conn *c = NULL;
    *at_ms = 0;
    WITH_CONN(in, c, next_due(in, c, now_ms, at_ms));
}

static ratchet_status cancel_requests(sq_inst *in, sq_conn *c, const char *owner, ratchet_buf *out)
{
    sqlite3_stmt *st = sq_stmt(in, c, SQ_CANCEL_REQUESTS,
                               "SELECT id FROM jobs WHERE lease_owner = ?1 AND "
                               "status = 'processing' AND cancel_requested = 1 ORDER BY id");
    if (!st)
        return RATCHET_ERR;
    sq_bind_text(st, 1, owner);
    sq_out o;
    sq_out_init(&o, out);
    sq_out_begin(&o, NULL, '[');
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        sq_out_int(&o, NULL, sqlite3_column_int64(st, 0));
    sq_out_end(&o, ']');
    sq_reset(st);
    if (rc != SQLITE_DONE)
        return sq_fail(in, c, rc, "reading cancel requests");
    return sq_out_done(in, &o);
}

ratchet_status sqlite_job_cancel_requests(void *instance, const char *owner, ratchet_buf *out)
{
    sq_inst *in = instance;
    sq_conn *c = NULL;
    WITH_CONN(in, c, cancel_requests(in, c, owner, out));
}
