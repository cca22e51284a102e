/*
 * pg_query.c - the queue's read side: jobs and executions as JSON (get, filtered lists),
 * the next due time and the cancel requests of an owner.
 *
 * Lists take the query form (pg_where.c) with the fields of rs_records.c; newest first by
 * default, paged with limit/offset; `total` counts every match. Unknown top-level keys are
 * ignored so that a newer engine's extra keys do not break an older plugin; an unknown field
 * inside `where` or `sort` is refused, naming the allowed ones.
 */
#include "pg_int.h"

ratchet_status pg_emit_by_id(pg_inst *in, pg_conn *c, pg_slot slot, const char *sql, int64_t id,
                             const char *kind, const char *what, rs_emit_fn emit, ratchet_buf *out)
{
    pg_params p;
    pp_init(&p);
    pp_int(&p, id);
    PGresult *r = NULL;
    ratchet_status s = pg_run(in, c, slot, sql, &p, what, &r);
    if (s != RATCHET_OK)
        return s;
    if (PQntuples(r) > 0) {
        rs_out o;
        rs_out_init(&o, out);
        rs_row row = pg_row(r, 0);
        emit(&o, &row);
        s = rs_out_done(in->ctx, &o);
    } else {
        pg_host->set_error(in->ctx, "%s %lld does not exist", kind, (long long)id);
        s = RATCHET_NOTFOUND;
    }
    PQclear(r);
    return s;
}

ratchet_status pg_job_emit(pg_inst *in, pg_conn *c, int64_t job_id, ratchet_buf *out)
{
    return pg_emit_by_id(in, c, PG_JOB_GET, RS_JOB_COLS "WHERE j.id = $1", job_id, "job",
                         "reading a record", rs_emit_job, out);
}

/* Borrow a connection for one read-only call. */
#define WITH_CONN(in, c, call)                                                                     \
    do {                                                                                           \
        ratchet_status s_ = pg_ready(in);                                                          \
        if (s_ != RATCHET_OK || (s_ = pg_acquire(in, &(c))) != RATCHET_OK)                         \
            return s_;                                                                             \
        s_ = (call);                                                                               \
        pg_release(in, c);                                                                         \
        return s_;                                                                                 \
    } while (0)

ratchet_status pgs_job_get(void *instance, int64_t job_id, ratchet_buf *out)
{
    pg_inst *in = instance;
    pg_conn *c = NULL;
    WITH_CONN(in, c, pg_job_emit(in, c, job_id, out));
}

static ratchet_status exec_emit(pg_inst *in, pg_conn *c, int64_t id, ratchet_buf *out)
{
    return pg_emit_by_id(in, c, PG_EXEC_GET, RS_EXEC_COLS "WHERE e.id = $1", id, "execution",
                         "reading a record", rs_emit_execution, out);
}

ratchet_status pgs_execution_get(void *instance, int64_t execution_id, ratchet_buf *out)
{
    pg_inst *in = instance;
    pg_conn *c = NULL;
    WITH_CONN(in, c, exec_emit(in, c, execution_id, out));
}

/* ---- lists ------------------------------------------------------------------------------ */

ratchet_status pgs_job_list(void *instance, const char *filter_json, ratchet_buf *out)
{
    return pg_query_list(instance, &rs_job_list, filter_json, 0, out);
}

ratchet_status pgs_execution_list(void *instance, const char *filter_json, ratchet_buf *out)
{
    return pg_query_list(instance, &rs_execution_list, filter_json, 0, out);
}

/* ---- small queries ---------------------------------------------------------------------- */

static ratchet_status next_due(pg_inst *in, pg_conn *c, int64_t now, int64_t *at)
{
    pg_params p;
    pp_init(&p);
    pp_int(&p, now);
    PGresult *r = NULL;
    ratchet_status s = pg_run(in, c, PG_NEXT_DUE,
                              "SELECT min(process_at) FROM jobs "
                              "WHERE status IN ('queued', 'retrying') AND process_at > $1",
                              &p, "finding the next due job", &r);
    if (s == RATCHET_OK) {
        *at = pg_int(r, 0, 0); /* NULL reads as 0: none */
        PQclear(r);
    }
    return s;
}

/* The engine asks before every sleep. While a LISTEN is live, every change to jobs (this
 * process's at commit, other hosts' through their notifications) moves `gen`; with gen
 * unchanged the answer read at nd_now still holds for any later now before it. */
static int next_due_cached(pg_inst *in, int64_t now, int64_t *at, uint64_t *gen)
{
    pthread_mutex_lock(&in->wake_mu);
    int hit = in->nd_valid && in->listening && in->gen == in->nd_gen && now >= in->nd_now &&
              (in->nd_at == 0 || now < in->nd_at);
    if (hit)
        *at = in->nd_at;
    *gen = in->gen;
    pthread_mutex_unlock(&in->wake_mu);
    return hit;
}

ratchet_status pgs_job_next_due(void *instance, int64_t now_ms, int64_t *at_ms)
{
    pg_inst *in = instance;
    pg_conn *c = NULL;
    *at_ms = 0;
    uint64_t gen = 0;
    ratchet_status s = pg_ready(in);
    if (s != RATCHET_OK || next_due_cached(in, now_ms, at_ms, &gen) ||
        (s = pg_acquire(in, &c)) != RATCHET_OK)
        return s;
    s = next_due(in, c, now_ms, at_ms);
    pg_release(in, c);
    if (s == RATCHET_OK) {
        pthread_mutex_lock(&in->wake_mu);
        if (in->gen == gen) { /* nothing moved while we read */
            in->nd_valid = 1;
            in->nd_gen = gen;
            in->nd_now = now_ms;
            in->nd_at = *at_ms;
        }
        pthread_mutex_unlock(&in->wake_mu);
    }
    return s;
}

static ratchet_status cancel_requests(pg_inst *in, pg_conn *c, const char *owner, ratchet_buf *out)
{
    pg_params p;
    pp_init(&p);
    pp_text(&p, owner);
    PGresult *r = NULL;
    ratchet_status s = pg_run(in, c, PG_CANCEL_REQUESTS,
                              "SELECT id FROM jobs WHERE lease_owner = $1 AND "
                              "status = 'processing' AND cancel_requested ORDER BY id",
                              &p, "reading cancel requests", &r);
    if (s != RATCHET_OK)
        return s;
    rs_out o;
    rs_out_init(&o, out);
    rs_out_begin(&o, NULL, '[');
    for (int i = 0; i < PQntuples(r); i++)
        rs_out_int(&o, NULL, pg_int(r, i, 0));
    rs_out_end(&o, ']');
    PQclear(r);
    return rs_out_done(in->ctx, &o);
}

ratchet_status pgs_job_cancel_requests(void *instance, const char *owner, ratchet_buf *out)
{
    pg_inst *in = instance;
    pg_conn *c = NULL;
    WITH_CONN(in, c, cancel_requests(in, c, owner, out));
}
