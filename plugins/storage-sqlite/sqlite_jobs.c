/*
 * sqlite_jobs.c - the queue's write side: submit, claim, renew, finish, requeue expired
 * leases, cancel, retry.
 *
 * Job states: queued -> processing -> completed | failed | cancelled, with retrying (waiting
 * for process_at) between failed attempts. One counter, `attempts`: attempts started, +1 at
 * claim, -1 for a REQUEUE finish (not run: shutdown). `retryCount` in JSON is attempts - 1,
 * the runs after the first (the engine allows max_retries of them). An attempt cut short by an
 * expired lease (its coordinator died) counts, as it may have run and had effects; the job is
 * requeued while attempts <= max_retries and fails ("LeaseExpired") after that, so a job that
 * kills its coordinator every time cannot loop forever.
 *
 * Leases: a finish applies only while the job is processing, leased by the same owner, and
 * still on the same execution. The expiry time itself is not checked at finish: a late
 * finish of a job nobody has requeued yet is still the only outcome, so it is kept.
 *
 * A cancel request outranks a requeue or a retry: such a job ends cancelled instead.
 */
#include <stdio.h>
#include <string.h>

#include "sqlite_int.h"

/* Upper bound on one claim batch (the engine asks for a few dozen). */
#define SQ_CLAIM_MAX 1024

/* ---- submit ----------------------------------------------------------------------------- */

ratchet_status sq_job_insert(sq_inst *in, sq_conn *c, const ratchet_job_submit *j, int64_t now,
                             int64_t schedule_id, int64_t *id, int *existed)
{
    *existed = 0;
    if (j->idempotency_key) {
        sqlite3_stmt *st =
            sq_stmt(in, c, SQ_JOB_IDEM, "SELECT id FROM jobs WHERE idempotency_key = ?1");
        if (!st)
            return RATCHET_ERR;
        sq_bind_text(st, 1, j->idempotency_key);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            *id = sqlite3_column_int64(st, 0);
            *existed = 1;
        }
        sq_reset(st);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
            return sq_fail(in, c, rc, "looking up an idempotency key");
        if (*existed)
            return RATCHET_OK;
    }
    sqlite3_stmt *st = sq_stmt(
        in, c, SQ_JOB_INSERT,
        "INSERT INTO jobs (uuid, task_id, task_version_id, schedule_id, priority, input, meta, "
        "max_retries, retry_base_ms, retry_max_ms, idempotency_key, queued_at, process_at) "
        "SELECT ?1, v.task_id, v.id, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11 "
        "FROM task_versions v WHERE v.id = ?12 RETURNING id");
    if (!st)
        return RATCHET_ERR;
    char uuid[37];
    rs_uuid(uuid);
    sq_bind_text(st, 1, uuid);
    sq_bind_opt(st, 2, schedule_id);
    sq_bind_int(st, 3, j->priority);
    sq_bind_text(st, 4, j->input_json);
    sq_bind_text(st, 5, j->meta_json);
    sq_bind_int(st, 6, j->max_retries);
    sq_bind_int(st, 7, j->retry_base_ms);
    sq_bind_int(st, 8, j->retry_max_ms);
    sq_bind_text(st, 9, j->idempotency_key);
    sq_bind_int(st, 10, now);
    sq_bind_int(st, 11, j->process_at_ms ? j->process_at_ms : now);
    sq_bind_int(st, 12, j->task_version_id);
    int rc = sqlite3_step(st);
    int found = rc == SQLITE_ROW;
    if (found) {
        *id = sqlite3_column_int64(st, 0);
        rc = sqlite3_step(st);
    }
    sq_reset(st);
    if (rc == SQLITE_CONSTRAINT_FOREIGNKEY) {
        sq_host->set_error(in->ctx, "schedule %lld does not exist", (long long)schedule_id);
        return RATCHET_ERR;
    }
    if (rc != SQLITE_DONE)
        return sq_fail(in, c, rc, "queueing a job");
    if (!found) {
        sq_host->set_error(in->ctx, "task version %lld does not exist",
                           (long long)j->task_version_id);
        return RATCHET_NOTFOUND;
    }
    return RATCHET_OK;
}

ratchet_status sqlite_job_submit(void *instance, const ratchet_job_submit *jobs, size_t n,
                                 int64_t *ids, int *existed)
{
    sq_inst *in = instance;
    ratchet_status s = sq_ready(in);
    if (s != RATCHET_OK || n == 0)
        return s;
    size_t stride = rs_stride(&jobs->abi, sizeof *jobs);
    if ((s = rs_job_check_all(in->ctx, jobs, n)) != RATCHET_OK)
        return s;

    sq_conn *c = NULL;
    if ((s = sq_acquire_begin(in, &c)) != RATCHET_OK)
        return s;
    int64_t now = sq_now_ms(), seq = 0;
    int any_new = 0;
    for (size_t i = 0; i < n && s == RATCHET_OK; i++) {
        const ratchet_job_submit *j = RS_NTH_C(jobs, ratchet_job_submit, i, stride);
        int ex = 0;
        s = sq_job_insert(in, c, j, now, j->schedule_id, &ids[i], &ex);
        if (existed)
            existed[i] = ex;
        any_new |= !ex;
    }
    s = sq_commit_wake(in, c, s, any_new, &seq);
    sq_release(in, c);
    if (s == RATCHET_OK && any_new)
        sq_wake_local(in, seq);
    return s;
}

/* ---- claim and renew -------------------------------------------------------------------- */

/* Select the ready ids in claim order (before changing any: the scan walks jobs_ready). */
static ratchet_status claim_ids(sq_inst *in, sq_conn *c, int64_t now, size_t max, int64_t *ids,
                                size_t *n, size_t *retrying)
{
    sqlite3_stmt *st = sq_stmt(in, c, SQ_CLAIM_SELECT,
                               "SELECT id, status = 'retrying' FROM jobs INDEXED BY jobs_ready "
                               "WHERE status IN ('queued', 'retrying') AND process_at <= ?1 "
                               "ORDER BY priority DESC, queued_at, id LIMIT ?2");
    if (!st)
        return RATCHET_ERR;
    sq_bind_int(st, 1, now);
    sq_bind_int(st, 2, (int64_t)max);
    int rc;
    *n = *retrying = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n < max) {
        ids[(*n)++] = sqlite3_column_int64(st, 0);
        *retrying += (size_t)sqlite3_column_int(st, 1);
    }
    sq_reset(st);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? RATCHET_OK
                                                 : sq_fail(in, c, rc, "selecting jobs to claim");
}

static ratchet_status claim_one(sq_inst *in, sq_conn *c, int64_t id, const char *owner, int64_t now,
                                int64_t until, ratchet_claimed_job *cj)
{
    char uuid[37];
    rs_uuid(uuid);
    sqlite3_stmt *st = sq_stmt(in, c, SQ_CLAIM_EXEC,
                               "INSERT INTO executions (uuid, job_id, task_id, task_version_id, "
                               "attempt, status, started_at) SELECT ?2, id, task_id, "
                               "task_version_id, attempts + 1, 'running', ?3 FROM jobs "
                               "WHERE id = ?1");
    if (!st)
        return RATCHET_ERR;
    sq_bind_int(st, 1, id);
    sq_bind_text(st, 2, uuid);
    sq_bind_int(st, 3, now);
    ratchet_status s = sq_step_done(in, c, st, "creating an execution");
    if (s != RATCHET_OK)
        return s;
    int64_t exec_id = sqlite3_last_insert_rowid(c->db);

    st = sq_stmt(in, c, SQ_CLAIM_JOB,
                 "UPDATE jobs SET status = 'processing', attempts = attempts + 1, "
                 "lease_owner = ?2, lease_until = ?3, started_at = ?4, execution_id = ?5 "
                 "WHERE id = ?1 RETURNING task_version_id, attempts, max_retries, "
                 "retry_base_ms, retry_max_ms, input, meta");
    if (!st)
        return RATCHET_ERR;
    sq_bind_int(st, 1, id);
    sq_bind_text(st, 2, owner);
    sq_bind_int(st, 3, until);
    sq_bind_int(st, 4, now);
    sq_bind_int(st, 5, exec_id);
    int rc = sqlite3_step(st);
    int oom = 0;
    if (rc == SQLITE_ROW) {
        cj->job_id = id;
        cj->execution_id = exec_id;
        cj->task_version_id = sqlite3_column_int64(st, 0);
        cj->attempt = sqlite3_column_int(st, 1);
        cj->max_retries = sqlite3_column_int(st, 2);
        cj->retry_base_ms = sqlite3_column_int64(st, 3);
        cj->retry_max_ms = sqlite3_column_int64(st, 4);
        cj->input_json = sq_col_dup(st, 5, &oom);
        cj->meta_json = sq_col_dup(st, 6, &oom);
        rc = sqlite3_step(st);
    }
    sq_reset(st);
    if (oom || rc != SQLITE_DONE) {
        rs_claimed_clear(cj);
        if (oom) {
            sq_host->set_error(in->ctx, "out of memory");
            return RATCHET_NOMEM;
        }
        return sq_fail(in, c, rc, "claiming a job");
    }
    return RATCHET_OK;
}

ratchet_status sqlite_job_claim(void *instance, const char *owner, int64_t now_ms, int64_t lease_ms,
                                ratchet_claimed_job *out, size_t max, size_t *n)
{
    sq_inst *in = instance;
    *n = 0;
    ratchet_status s = sq_ready(in);
    if (s != RATCHET_OK)
        return s;
    if (rs_claim_args(in->ctx, owner, lease_ms) != RATCHET_OK)
        return RATCHET_ERR;
    if (max == 0)
        return RATCHET_OK;
    if (max > SQ_CLAIM_MAX)
        max = SQ_CLAIM_MAX;
    /* The output array is the caller's uninitialised memory: its entries are this build's
     * size (a later ABI minor that grows the struct must say how a caller announces more). */
    size_t stride = sizeof *out;
    int64_t *ids = sq_host->alloc(max * sizeof *ids);
    if (!ids) {
        sq_host->set_error(in->ctx, "out of memory");
        return RATCHET_NOMEM;
    }
    /* Taken before the transaction: a change committed after this point moves gen, so a
     * wait() following an empty claim returns at once instead of missing it. */
    uint64_t gen = sq_wake_gen(in);
    sq_conn *c = NULL;
    if ((s = sq_acquire_begin(in, &c)) != RATCHET_OK) {
        sq_host->free(ids);
        return s;
    }
    int64_t seq = -1;
    size_t found = 0, done = 0, retrying = 0;
    s = sq_wake_read(in, c, &seq);
    if (s == RATCHET_OK)
        s = claim_ids(in, c, now_ms, max, ids, &found, &retrying);
    for (; s == RATCHET_OK && done < found; done++) {
        ratchet_claimed_job *cj = RS_NTH(out, ratchet_claimed_job, done, stride);
        memset(cj, 0, sizeof *cj);
        cj->abi = (ratchet_abi)RATCHET_ABI_INIT(ratchet_claimed_job);
        s = claim_one(in, c, ids[done], owner, now_ms, now_ms + lease_ms, cj);
    }
    if (s == RATCHET_OK) {
        sq_count_add(c, SQ_JS_QUEUED, -(int64_t)(found - retrying));
        sq_count_add(c, SQ_JS_RETRYING, -(int64_t)retrying);
        sq_count_add(c, SQ_JS_PROCESSING, (int64_t)found);
        s = sq_commit(in, c);
    } else {
        sq_rollback(in, c);
    }
    if (s != RATCHET_OK) {
        /* Nothing was claimed after all: hand back no strings. */
        for (size_t i = 0; i < done; i++)
            rs_claimed_clear(RS_NTH(out, ratchet_claimed_job, i, stride));
    } else {
        *n = found;
        sq_wake_seen(in, gen, seq);
    }
    sq_release(in, c);
    sq_host->free(ids);
    return s;
}

ratchet_status sqlite_job_renew(void *instance, const char *owner, int64_t now_ms, int64_t lease_ms)
{
    sq_inst *in = instance;
    sq_conn *c = NULL;
    ratchet_status s = sq_ready(in);
    if (s != RATCHET_OK || (s = sq_acquire_begin(in, &c)) != RATCHET_OK)
        return s;
    sqlite3_stmt *st = sq_stmt(in, c, SQ_RENEW,
                               "UPDATE jobs INDEXED BY jobs_leased SET lease_until = ?2 "
                               "WHERE lease_owner = ?1 AND status = 'processing'");
    if (!st) {
        s = RATCHET_ERR;
    } else {
        sq_bind_text(st, 1, owner);
        sq_bind_int(st, 2, now_ms + lease_ms);
        s = sq_step_done(in, c, st, "renewing leases");
    }
    if (s == RATCHET_OK)
        s = sq_commit(in, c);
    else
        sq_rollback(in, c);
    sq_release(in, c);
    return s;
}

/* ---- finish ----------------------------------------------------------------------------- */

/* The job update of each finish kind. ?1 job, ?2 execution, ?3 owner, ?4 now, ?5 output,
 * ?6 error, ?7 retry_at. The WHERE clause is the lease check. */
#define FIN_WHERE                                                                                  \
    " lease_owner = NULL, lease_until = NULL WHERE id = ?1 AND execution_id = ?2 AND "             \
    "lease_owner = ?3 AND status = 'processing' RETURNING status"

static const struct {
    sq_slot slot;
    const char *exec_status;
    const char *sql;
} fin_kinds[] = {
    [RATCHET_FINISH_COMPLETED] = {SQ_FIN_COMPLETED, "completed",
                                  "UPDATE jobs SET status = 'completed', output = ?5, "
                                  "error = NULL, completed_at = ?4," FIN_WHERE},
    [RATCHET_FINISH_RETRY] = {SQ_FIN_RETRY, "failed",
                              "UPDATE jobs SET status = CASE WHEN cancel_requested THEN "
                              "'cancelled' ELSE 'retrying' END, error = ?6, "
                              "process_at = CASE WHEN "
                              "cancel_requested THEN process_at ELSE ?7 END, completed_at = "
                              "CASE WHEN cancel_requested THEN ?4 END," FIN_WHERE},
    [RATCHET_FINISH_FAILED] = {SQ_FIN_FAILED, "failed",
                               "UPDATE jobs SET status = 'failed', error = ?6, "
                               "completed_at = ?4," FIN_WHERE},
    [RATCHET_FINISH_CANCELLED] = {SQ_FIN_CANCELLED, "cancelled",
                                  "UPDATE jobs SET status = 'cancelled', error = ?6, "
                                  "completed_at = ?4," FIN_WHERE},
    [RATCHET_FINISH_REQUEUE] = {SQ_FIN_REQUEUE, NULL,
                                "UPDATE jobs SET status = CASE WHEN cancel_requested THEN "
                                "'cancelled' ELSE 'queued' END, attempts = attempts - 1, "
                                "completed_at = CASE WHEN cancel_requested THEN ?4 END, "
                                "execution_id = (SELECT max(id) FROM executions "
                                "WHERE job_id = ?1 AND id <> ?2)," FIN_WHERE},
};

static ratchet_status fin_exec(sq_inst *in, sq_conn *c, const ratchet_job_finish *f, int64_t now)
{
    sqlite3_stmt *st;
    if (f->kind == RATCHET_FINISH_REQUEUE) {
        /* Not run: the attempt leaves no record. */
        st = sq_stmt(in, c, SQ_FIN_EXEC_DELETE, "DELETE FROM executions WHERE id = ?1");
        if (!st)
            return RATCHET_ERR;
        sq_bind_int(st, 1, f->execution_id);
    } else {
        st = sq_stmt(in, c, SQ_FIN_EXEC,
                     "UPDATE executions SET status = ?2, output = ?3, error = ?4, logs = ?5, "
                     "http = ?6, started_at = COALESCE(?7, started_at), completed_at = ?8, "
                     "duration_ms = ?9, analysis = ?10 WHERE id = ?1");
        if (!st)
            return RATCHET_ERR;
        sq_bind_int(st, 1, f->execution_id);
        sq_bind_text(st, 2, fin_kinds[f->kind].exec_status);
        sq_bind_text(st, 3, f->kind == RATCHET_FINISH_COMPLETED ? f->output_json : NULL);
        sq_bind_text(st, 4, f->error_json);
        sq_bind_text(st, 5, f->logs_json);
        sq_bind_text(st, 6, f->http_json);
        sq_bind_opt(st, 7, f->started_ms);
        sq_bind_int(st, 8, now);
        sq_bind_int(st, 9, f->duration_ms > 0 ? f->duration_ms : 0);
        sq_bind_text(st, 10, rs_finish_analysis(f));
    }
    ratchet_status s = sq_step_done(in, c, st, "recording an execution");
    if (s == RATCHET_OK && f->kind != RATCHET_FINISH_REQUEUE)
        s = sq_logs_record(in, c, f->execution_id, f->logs_json, f->http_json,
                           f->started_ms > 0 ? f->started_ms : now);
    return s;
}

/* One finish; *applied when the lease still held. */
static ratchet_status fin_one(sq_inst *in, sq_conn *c, const ratchet_job_finish *f, int64_t now,
                              int *applied)
{
    sqlite3_stmt *st = sq_stmt(in, c, fin_kinds[f->kind].slot, fin_kinds[f->kind].sql);
    if (!st)
        return RATCHET_ERR;
    /* Parameters a kind does not use are simply absent from its statement (SQLITE_RANGE). */
    sq_bind_int(st, 1, f->job_id);
    sq_bind_int(st, 2, f->execution_id);
    sq_bind_text(st, 3, f->owner);
    sq_bind_int(st, 4, now);
    sq_bind_text(st, 5, f->output_json ? f->output_json : "null");
    sq_bind_text(st, 6, f->error_json);
    sq_bind_int(st, 7, f->retry_at_ms);
    ratchet_status s = sq_step_moved(in, c, st, "processing", "finishing a job", applied);
    if (s != RATCHET_OK)
        return s;
    return *applied ? fin_exec(in, c, f, now) : RATCHET_OK;
}

ratchet_status sqlite_job_finish(void *instance, const ratchet_job_finish *fins, size_t n,
                                 size_t *applied)
{
    sq_inst *in = instance;
    *applied = 0;
    ratchet_status s = sq_ready(in);
    if (s != RATCHET_OK || n == 0)
        return s;
    size_t stride = rs_stride(&fins->abi, sizeof *fins);
    if ((s = rs_finish_check_all(in->ctx, fins, n)) != RATCHET_OK)
        return s;
    sq_conn *c = NULL;
    if ((s = sq_acquire_begin(in, &c)) != RATCHET_OK)
        return s;
    int64_t now = sq_now_ms(), seq = 0;
    size_t count = 0;
    for (size_t i = 0; i < n && s == RATCHET_OK; i++) {
        int ok = 0;
        s = fin_one(in, c, RS_NTH_C(fins, ratchet_job_finish, i, stride), now, &ok);
        count += (size_t)ok;
    }
    s = sq_commit_wake(in, c, s, count > 0, &seq);
    sq_release(in, c);
    if (s == RATCHET_OK) {
        *applied = count;
        if (count > 0)
            sq_wake_local(in, seq);
    }
    return s;
}

/* ---- expired leases --------------------------------------------------------------------- */

typedef struct expired {
    int64_t id, execution_id;
    char *owner;
} expired;

/* One of expire_one's updates: ?1 the row's id, ?2 the error JSON, ?3 now. The job's update
 * (`from` its status before) returns its new status, for job_counts. */
static ratchet_status expire_update(sq_inst *in, sq_conn *c, sq_slot slot, const char *sql,
                                    int64_t id, const char *error, int64_t now, const char *from,
                                    const char *what)
{
    sqlite3_stmt *st = sq_stmt(in, c, slot, sql);
    if (!st)
        return RATCHET_ERR;
    sq_bind_int(st, 1, id);
    sq_bind_text(st, 2, error);
    sq_bind_int(st, 3, now);
    int rows = 0;
    return from ? sq_step_moved(in, c, st, from, what, &rows) : sq_step_done(in, c, st, what);
}

static ratchet_status expire_one(sq_inst *in, sq_conn *c, const expired *e, int64_t now)
{
    ratchet_buf err = RATCHET_BUF_INIT;
    rs_out o;
    rs_out_init(&o, &err);
    rs_out_begin(&o, NULL, '{');
    rs_out_str(&o, "name", "LeaseExpired");
    char msg[160];
    snprintf(msg, sizeof msg, "the attempt did not finish: its lease expired (owner %.80s)",
             e->owner ? e->owner : "?");
    rs_out_str(&o, "message", msg);
    rs_out_str(&o, "kind", "lease");
    rs_out_end(&o, '}');
    ratchet_status s = rs_out_done(in->ctx, &o);

    if (s == RATCHET_OK)
        s = expire_update(in, c, SQ_EXPIRED_EXEC,
                          "UPDATE executions SET status = 'failed', error = ?2, completed_at = ?3, "
                          "duration_ms = ?3 - started_at WHERE id = ?1 AND status = 'running'",
                          e->execution_id, err.data, now, NULL, "failing an expired execution");
    if (s == RATCHET_OK)
        s = expire_update(in, c, SQ_EXPIRED_JOB,
                          "UPDATE jobs SET status = CASE WHEN cancel_requested THEN 'cancelled' "
                          "WHEN attempts > max_retries THEN 'failed' ELSE 'queued' END, "
                          "error = ?2, completed_at = CASE WHEN "
                          "cancel_requested OR attempts > max_retries THEN ?3 END, "
                          "lease_owner = NULL, lease_until = NULL "
                          "WHERE id = ?1 AND status = 'processing' RETURNING status",
                          e->id, err.data, now, "processing", "requeueing an expired job");
    sq_host->buf_free(&err);
    return s;
}

/* The expired leases, collected before any is changed (they leave the index being read). */
static ratchet_status expired_list(sq_inst *in, sq_conn *c, int64_t now, expired **out, size_t *n)
{
    sqlite3_stmt *st = sq_stmt(in, c, SQ_EXPIRED_SELECT,
                               "SELECT id, execution_id, lease_owner FROM jobs INDEXED BY "
                               "jobs_leased WHERE status = 'processing' AND lease_until < ?1");
    if (!st)
        return RATCHET_ERR;
    sq_bind_int(st, 1, now);
    size_t cap = 0;
    int rc, oom = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && !oom) {
        if (*n == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            expired *bigger = sq_host->realloc(*out, ncap * sizeof **out);
            if (!bigger) {
                oom = 1;
                break;
            }
            *out = bigger;
            cap = ncap;
        }
        expired *e = &(*out)[(*n)++];
        e->id = sqlite3_column_int64(st, 0);
        e->execution_id = sqlite3_column_int64(st, 1);
        e->owner = sq_col_dup(st, 2, &oom);
    }
    sq_reset(st);
    if (oom) {
        sq_host->set_error(in->ctx, "out of memory");
        return RATCHET_NOMEM;
    }
    return rc == SQLITE_DONE ? RATCHET_OK : sq_fail(in, c, rc, "finding expired leases");
}

ratchet_status sqlite_job_requeue_expired(void *instance, int64_t now_ms, size_t *count)
{
    sq_inst *in = instance;
    *count = 0;
    sq_conn *c = NULL;
    ratchet_status s = sq_ready(in);
    if (s != RATCHET_OK || (s = sq_acquire_begin(in, &c)) != RATCHET_OK)
        return s;
    expired *list = NULL;
    size_t n = 0;
    int64_t seq = 0;
    s = expired_list(in, c, now_ms, &list, &n);
    for (size_t i = 0; i < n && s == RATCHET_OK; i++)
        s = expire_one(in, c, &list[i], now_ms);
    s = sq_commit_wake(in, c, s, n > 0, &seq);
    sq_release(in, c);
    for (size_t i = 0; i < n; i++)
        sq_host->free(list[i].owner);
    sq_host->free(list);
    if (s == RATCHET_OK && n > 0) {
        *count = n;
        sq_wake_local(in, seq); /* the engine logs the count */
    }
    return s;
}

/* ---- cancel and retry ------------------------------------------------------------------- */

typedef enum { OP_CANCEL, OP_RETRY } job_op;

static ratchet_status op_apply(sq_inst *in, sq_conn *c, job_op op, int64_t id, int64_t now,
                               int *changed)
{
    sqlite3_stmt *st = sq_stmt(in, c, SQ_JOB_STATUS, "SELECT status FROM jobs WHERE id = ?1");
    if (!st)
        return RATCHET_ERR;
    sq_bind_int(st, 1, id);
    int rc = sqlite3_step(st);
    char status[16] = "";
    if (rc == SQLITE_ROW)
        snprintf(status, sizeof status, "%s", (const char *)sqlite3_column_text(st, 0));
    sq_reset(st);
    if (rc == SQLITE_DONE) {
        sq_host->set_error(in->ctx, "job %lld does not exist", (long long)id);
        return RATCHET_NOTFOUND;
    }
    if (rc != SQLITE_ROW)
        return sq_fail(in, c, rc, "reading a job");

    int queued = !strcmp(status, "queued") || !strcmp(status, "retrying");
    int processing = !strcmp(status, "processing");
    int ended = !strcmp(status, "failed") || !strcmp(status, "cancelled");
    if (op == OP_CANCEL && !queued && !processing) {
        sq_host->set_error(in->ctx,
                           "job %lld is already %s; only queued, retrying or "
                           "processing jobs can be cancelled",
                           (long long)id, status);
        return RATCHET_ERR;
    }
    if (op == OP_RETRY && !ended) {
        sq_host->set_error(in->ctx,
                           "job %lld is %s; only failed or cancelled jobs can be "
                           "retried",
                           (long long)id, status);
        return RATCHET_ERR;
    }
    if (op == OP_CANCEL && queued)
        st = sq_stmt(in, c, SQ_CANCEL_QUEUED,
                     "UPDATE jobs SET status = 'cancelled', completed_at = ?2 WHERE id = ?1");
    else if (op == OP_CANCEL)
        st = sq_stmt(in, c, SQ_CANCEL_FLAG, "UPDATE jobs SET cancel_requested = 1 WHERE id = ?1");
    else
        st = sq_stmt(in, c, SQ_JOB_RETRY,
                     "UPDATE jobs SET status = 'queued', attempts = 0, "
                     "error = NULL, output = NULL, started_at = NULL, completed_at = NULL, "
                     "cancel_requested = 0, lease_owner = NULL, lease_until = NULL, "
                     "queued_at = ?2, process_at = ?2 WHERE id = ?1");
    if (!st)
        return RATCHET_ERR;
    sq_bind_int(st, 1, id);
    sq_bind_int(st, 2, now);
    rc = sqlite3_step(st);
    sq_reset(st);
    *changed = 1;
    if (rc != SQLITE_DONE)
        return sq_fail(in, c, rc, "changing a job");
    if (op == OP_RETRY || queued)
        sq_count_move(c, status, op == OP_RETRY ? "queued" : "cancelled");
    return RATCHET_OK;
}

static ratchet_status job_op_run(sq_inst *in, job_op op, int64_t id, int64_t now, ratchet_buf *out)
{
    sq_conn *c = NULL;
    ratchet_status s = sq_ready(in);
    if (s != RATCHET_OK || (s = sq_acquire_begin(in, &c)) != RATCHET_OK)
        return s;
    int changed = 0;
    int64_t seq = 0;
    s = op_apply(in, c, op, id, now, &changed);
    s = sq_commit_wake(in, c, s, 1, &seq);
    if (s == RATCHET_OK)
        sq_wake_local(in, seq);
    /* The job as it now stands, also when refused (its state explains the refusal). */
    if ((s == RATCHET_OK || (s == RATCHET_ERR && !changed)) && out) {
        ratchet_status e = sq_job_emit(in, c, id, out);
        if (s == RATCHET_OK)
            s = e;
    }
    sq_release(in, c);
    return s;
}

ratchet_status sqlite_job_cancel(void *instance, int64_t job_id, ratchet_buf *out)
{
    return job_op_run(instance, OP_CANCEL, job_id, sq_now_ms(), out);
}

ratchet_status sqlite_job_retry(void *instance, int64_t job_id, int64_t now_ms, ratchet_buf *out)
{
    return job_op_run(instance, OP_RETRY, job_id, now_ms, out);
}
