/*
 * sqlite_query.c - the queue's read side: jobs and executions as JSON (get, filtered lists),
 * the next due time and the cancel requests of an owner.
 *
 * Lists take the query form (sqlite_where.c) with the fields of rs_records.c; newest first by
 * default, paged with limit/offset; `total` counts every match. Unknown top-level keys are
 * ignored so that a newer engine's extra keys do not break an older plugin; an unknown field
 * inside `where` or `sort` is refused, naming the allowed ones.
 */
#include "sqlite_int.h"

ratchet_status sq_emit_by_id(sq_inst *in, sq_conn *c, sq_slot slot, const char *sql, int64_t id,
                             const char *kind, const char *what, rs_emit_fn emit, ratchet_buf *out)
{
    sqlite3_stmt *st = sq_stmt(in, c, slot, sql);
    if (!st)
        return RATCHET_ERR;
    sq_bind_int(st, 1, id);
    int rc = sqlite3_step(st);
    ratchet_status s;
    if (rc == SQLITE_ROW) {
        rs_out o;
        rs_out_init(&o, out);
        rs_row row = sq_row(st);
        emit(&o, &row);
        s = rs_out_done(in->ctx, &o);
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
    return sq_emit_by_id(in, c, SQ_JOB_GET, RS_JOB_COLS "WHERE j.id = ?1", job_id, "job",
                         "reading a record", rs_emit_job, out);
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
    return sq_emit_by_id(in, c, SQ_EXEC_GET, RS_EXEC_COLS "WHERE e.id = ?1", id, "execution",
                         "reading a record", rs_emit_execution, out);
}

ratchet_status sqlite_execution_get(void *instance, int64_t execution_id, ratchet_buf *out)
{
    sq_inst *in = instance;
    sq_conn *c = NULL;
    WITH_CONN(in, c, exec_emit(in, c, execution_id, out));
}

/* ---- lists ------------------------------------------------------------------------------ */

ratchet_status sqlite_job_list(void *instance, const char *filter_json, ratchet_buf *out)
{
    return sq_query_list(instance, &rs_job_list, filter_json, 0, out);
}

ratchet_status sqlite_execution_list(void *instance, const char *filter_json, ratchet_buf *out)
{
    return sq_query_list(instance, &rs_execution_list, filter_json, 0, out);
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
                               "SELECT id FROM jobs INDEXED BY jobs_leased "
                               "WHERE lease_owner = ?1 AND status = 'processing' AND "
                               "cancel_requested = 1 ORDER BY id");
    if (!st)
        return RATCHET_ERR;
    sq_bind_text(st, 1, owner);
    rs_out o;
    rs_out_init(&o, out);
    rs_out_begin(&o, NULL, '[');
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        rs_out_int(&o, NULL, sqlite3_column_int64(st, 0));
    rs_out_end(&o, ']');
    sq_reset(st);
    if (rc != SQLITE_DONE)
        return sq_fail(in, c, rc, "reading cancel requests");
    return rs_out_done(in->ctx, &o);
}

ratchet_status sqlite_job_cancel_requests(void *instance, const char *owner, ratchet_buf *out)
{
    sq_inst *in = instance;
    sq_conn *c = NULL;
    WITH_CONN(in, c, cancel_requests(in, c, owner, out));
}
