/*
 * pg_jobs.c - the queue's write side: submit, claim, renew, requeue expired leases, cancel,
 * retry (finish: pg_finish.c).
 *
 * States, attempts, leases and the rules for cancel requests are storage-sqlite's (see the top
 * of sqlite_jobs.c); what differs is how several hosts are kept apart:
 *
 *  - A claim is ONE statement: it selects the ready jobs in claim order with FOR UPDATE SKIP
 *    LOCKED (jobs another claim holds are skipped, not waited for), inserts their executions
 *    and marks them processing under the lease. Concurrent claims get disjoint jobs.
 *  - A finish applies only while the job is processing, leased by the same owner, on the
 *    same execution: its UPDATE re-checks that after any row lock it waited for, so a finish
 *    racing a requeue of the same job either wins or changes nothing.
 *  - Requeueing expired leases locks them FOR UPDATE SKIP LOCKED: two hosts doing it at once
 *    requeue each job once.
 *  - Idempotency keys: INSERT ... ON CONFLICT DO NOTHING on the unique key, then the existing
 *    job is read; a concurrent submit with the same key waits for the first to commit.
 *
 * A submit inserts up to 1000 jobs with one statement (their rows travel as one JSON array).
 * Finishing is in pg_finish.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pg_int.h"

/* Upper bound on one claim batch (the engine asks for a few dozen). */
#define PG_CLAIM_MAX 1024

/* ---- submit ------------------------------------------------------------------------------- */

static ratchet_status idem_lookup(pg_inst *in, pg_conn *c, const char *key, int64_t *id)
{
    pg_params p;
    pp_init(&p);
    pp_text(&p, key);
    PGresult *r = NULL;
    ratchet_status s = pg_run(in, c, PG_JOB_IDEM, "SELECT id FROM jobs WHERE idempotency_key = $1",
                              &p, "looking up an idempotency key", &r);
    if (s == RATCHET_OK) {
        *id = PQntuples(r) > 0 ? pg_int(r, 0, 0) : 0;
        PQclear(r);
    }
    return s;
}

/* The parameters of the insert below; uuid must outlive them. */
static void insert_params(pg_params *p, const ratchet_job_submit *j, int64_t now,
                          int64_t schedule_id, const char *uuid)
{
    pp_init(p);
    pp_text(p, uuid);
    pp_opt(p, schedule_id);
    pp_int(p, j->priority);
    pp_text(p, j->input_json);
    pp_text(p, j->meta_json);
    pp_int(p, j->max_retries);
    pp_int(p, j->retry_base_ms);
    pp_int(p, j->retry_max_ms);
    pp_text(p, j->idempotency_key);
    pp_int(p, now);
    pp_int(p, j->process_at_ms ? j->process_at_ms : now);
    pp_int(p, j->task_version_id);
}

/* No row came back: an idempotency key matched (the job it names), else the version is
 * unknown. */
static ratchet_status insert_missed(pg_inst *in, pg_conn *c, const ratchet_job_submit *j,
                                    int64_t *id, int *existed)
{
    if (j->idempotency_key) {
        ratchet_status s = idem_lookup(in, c, j->idempotency_key, id);
        if (s != RATCHET_OK)
            return s;
        if (*id) {
            *existed = 1;
            return RATCHET_OK;
        }
    }
    pg_host->set_error(in->ctx, "task version %lld does not exist", (long long)j->task_version_id);
    return RATCHET_NOTFOUND;
}

static ratchet_status insert_failed(pg_inst *in, pg_conn *c, ratchet_status s, int64_t schedule_id)
{
    if (s == RATCHET_ERR && !strcmp(c->state, "23503")) {
        pg_host->set_error(in->ctx, "schedule %lld does not exist", (long long)schedule_id);
        return RATCHET_ERR;
    }
    return s;
}

static const char insert_sql[] =
    "INSERT INTO jobs (uuid, task_id, task_version_id, schedule_id, priority, input, meta, "
    "max_retries, retry_base_ms, retry_max_ms, idempotency_key, queued_at, process_at) "
    "SELECT $1::text, v.task_id, v.id, $2::bigint, $3::integer, $4::text, $5::text, "
    "$6::integer, $7::bigint, $8::bigint, $9::text, $10::bigint, $11::bigint "
    "FROM task_versions v WHERE v.id = $12::bigint "
    "ON CONFLICT (idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING RETURNING id";

ratchet_status pg_job_insert(pg_inst *in, pg_conn *c, const ratchet_job_submit *j, int64_t now,
                             int64_t schedule_id, int64_t *id, int *existed)
{
    *existed = 0;
    char uuid[37];
    rs_uuid(uuid);
    pg_params p;
    insert_params(&p, j, now, schedule_id, uuid);
    PGresult *r = NULL;
    ratchet_status s = pg_run(in, c, PG_JOB_INSERT, insert_sql, &p, "queueing a job", &r);
    if (s != RATCHET_OK)
        return insert_failed(in, c, s, schedule_id);
    int found = PQntuples(r) > 0;
    if (found)
        *id = pg_int(r, 0, 0);
    PQclear(r);
    return found ? RATCHET_OK : insert_missed(in, c, j, id, existed);
}

/* Jobs per insert statement. */
#define SUBMIT_CHUNK 1000

static const char batch_sql[] =
    "INSERT INTO jobs (uuid, task_id, task_version_id, priority, input, meta, max_retries, "
    "retry_base_ms, retry_max_ms, idempotency_key, queued_at, process_at) "
    "SELECT r.uuid, v.task_id, v.id, r.priority, r.input, r.meta, r.max_retries, "
    "r.retry_base_ms, r.retry_max_ms, r.idem, $2::bigint, r.process_at "
    "FROM json_to_recordset($1::json) AS r(n bigint, uuid text, tv bigint, priority integer, "
    "input text, meta text, max_retries integer, retry_base_ms bigint, retry_max_ms bigint, "
    "idem text, process_at bigint) JOIN task_versions v ON v.id = r.tv ORDER BY r.n "
    "ON CONFLICT (idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING "
    "RETURNING id, uuid";

/* jobs[from..to) as the JSON rows of batch_sql; uuids[i - from] receives each job's uuid. */
static ratchet_status batch_rows(pg_inst *in, const ratchet_job_submit *jobs, size_t stride,
                                 size_t from, size_t to, int64_t now, char (*uuids)[37],
                                 ratchet_buf *rows)
{
    rs_out o;
    rs_out_init(&o, rows);
    rs_out_begin(&o, NULL, '[');
    for (size_t i = from; i < to; i++) {
        const ratchet_job_submit *j = RS_NTH_C(jobs, ratchet_job_submit, i, stride);
        rs_uuid(uuids[i - from]);
        rs_out_begin(&o, NULL, '{');
        rs_out_int(&o, "n", (int64_t)i);
        rs_out_str(&o, "uuid", uuids[i - from]);
        rs_out_int(&o, "tv", j->task_version_id);
        rs_out_int(&o, "priority", j->priority);
        rs_out_str(&o, "input", j->input_json);
        rs_out_str(&o, "meta", j->meta_json);
        rs_out_int(&o, "max_retries", j->max_retries);
        rs_out_int(&o, "retry_base_ms", j->retry_base_ms);
        rs_out_int(&o, "retry_max_ms", j->retry_max_ms);
        rs_out_str(&o, "idem", j->idempotency_key);
        rs_out_int(&o, "process_at", j->process_at_ms ? j->process_at_ms : now);
        rs_out_end(&o, '}');
    }
    rs_out_end(&o, ']');
    return rs_out_done(in->ctx, &o);
}

typedef struct uuid_slot {
    const char *uuid;
    size_t i;
} uuid_slot;

static int uuid_slot_cmp(const void *a, const void *b)
{
    return strcmp(((const uuid_slot *)a)->uuid, ((const uuid_slot *)b)->uuid);
}

/* Insert jobs[from..to) with ONE statement (their rows travel as one JSON array); hit[i]
 * says which came back inserted, with ids[i]. Rows come back in no promised order: they are
 * matched by the uuids made here. */
static ratchet_status submit_chunk(pg_inst *in, pg_conn *c, const ratchet_job_submit *jobs,
                                   size_t stride, size_t from, size_t to, int64_t now, int64_t *ids,
                                   int *hit)
{
    size_t n = to - from;
    char(*uuids)[37] = pg_host->calloc(n, sizeof *uuids);
    uuid_slot *map = pg_host->calloc(n, sizeof *map);
    ratchet_buf rows = RATCHET_BUF_INIT;
    ratchet_status s = uuids && map ? RATCHET_OK : RATCHET_NOMEM;
    if (s == RATCHET_NOMEM)
        pg_host->set_error(in->ctx, "out of memory");
    if (s == RATCHET_OK)
        s = batch_rows(in, jobs, stride, from, to, now, uuids, &rows);
    PGresult *r = NULL;
    if (s == RATCHET_OK) {
        pg_params p;
        pp_init(&p);
        pp_text(&p, rows.data);
        pp_int(&p, now);
        s = pg_run(in, c, PG_JOB_BATCH, batch_sql, &p, "queueing jobs", &r);
    }
    if (s == RATCHET_OK) {
        for (size_t i = 0; i < n; i++) {
            map[i] = (uuid_slot){uuids[i], i};
            hit[i] = 0;
        }
        qsort(map, n, sizeof *map, uuid_slot_cmp);
        for (int k = 0; k < PQntuples(r); k++) {
            uuid_slot key = {pg_str(r, k, 1), 0};
            const uuid_slot *m =
                key.uuid ? bsearch(&key, map, n, sizeof *map, uuid_slot_cmp) : NULL;
            if (m) {
                hit[m->i] = 1;
                ids[from + m->i] = pg_int(r, k, 0);
            }
        }
    }
    PQclear(r);
    pg_host->buf_free(&rows);
    pg_host->free(map);
    pg_host->free(uuids);
    return s;
}

ratchet_status pgs_job_submit(void *instance, const ratchet_job_submit *jobs, size_t n,
                              int64_t *ids, int *existed)
{
    pg_inst *in = instance;
    ratchet_status s = pg_ready(in);
    if (s != RATCHET_OK || n == 0)
        return s;
    size_t stride = rs_stride(&jobs->abi, sizeof *jobs);
    int scheduled = 0;
    for (size_t i = 0; i < n; i++) {
        const ratchet_job_submit *j = RS_NTH_C(jobs, ratchet_job_submit, i, stride);
        if ((s = rs_job_check(in->ctx, j, "job_submit", i)) != RATCHET_OK)
            return s;
        scheduled |= j->schedule_id != 0;
    }
    pg_conn *c = NULL;
    if ((s = pg_acquire_begin(in, &c)) != RATCHET_OK)
        return s;
    int64_t now = pg_now_ms();
    int any_new = 0;
    int *hit = pg_host->calloc(n < SUBMIT_CHUNK ? n : SUBMIT_CHUNK, sizeof *hit);
    if (!hit) {
        pg_host->set_error(in->ctx, "out of memory");
        s = RATCHET_NOMEM;
    }
    /* Jobs naming a schedule (rare) go one by one, so that an unknown schedule is named. A
     * job whose insert returned no row (a known idempotency key, or an unknown version) is
     * looked at afterwards, in the same transaction. */
    for (size_t from = 0; from < n && s == RATCHET_OK; from += SUBMIT_CHUNK) {
        size_t to = from + SUBMIT_CHUNK < n ? from + SUBMIT_CHUNK : n;
        if (!scheduled)
            s = submit_chunk(in, c, jobs, stride, from, to, now, ids, hit);
        for (size_t i = from; i < to && s == RATCHET_OK; i++) {
            const ratchet_job_submit *j = RS_NTH_C(jobs, ratchet_job_submit, i, stride);
            int ex = 0;
            if (scheduled)
                s = pg_job_insert(in, c, j, now, j->schedule_id, &ids[i], &ex);
            else if (!hit[i - from])
                s = insert_missed(in, c, j, &ids[i], &ex);
            if (existed)
                existed[i] = ex;
            any_new |= !ex;
        }
    }
    pg_host->free(hit);
    s = pg_end_wake(in, c, s, any_new);
    pg_release(in, c);
    return s;
}

/* ---- claim and renew ---------------------------------------------------------------------- */

/* The claim statement's rows come back unordered: put them in claim order. */
typedef struct claim_row {
    int row;
    int64_t priority, queued_at, id;
} claim_row;

static int claim_row_cmp(const void *a, const void *b)
{
    const claim_row *x = a, *y = b;
    if (x->priority != y->priority)
        return x->priority > y->priority ? -1 : 1;
    if (x->queued_at != y->queued_at)
        return x->queued_at < y->queued_at ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

static const char claim_sql[] =
    "WITH picked AS ("
    " SELECT id FROM jobs WHERE status IN ('queued', 'retrying') AND process_at <= $1"
    " ORDER BY priority DESC, queued_at, id LIMIT $2 FOR UPDATE SKIP LOCKED),"
    " ex AS ("
    " INSERT INTO executions (uuid, job_id, task_id, task_version_id, attempt, status, "
    " started_at) SELECT gen_random_uuid()::text, j.id, j.task_id, j.task_version_id, "
    " j.attempts + 1, 'running', $1 FROM jobs j JOIN picked ON picked.id = j.id"
    " RETURNING id, job_id)"
    " UPDATE jobs j SET status = 'processing', attempts = j.attempts + 1, lease_owner = $3,"
    " lease_until = $4, started_at = $1, execution_id = ex.id FROM ex WHERE j.id = ex.job_id"
    " RETURNING j.id, ex.id, j.task_version_id, j.attempts, j.max_retries, j.retry_base_ms,"
    " j.retry_max_ms, j.input, j.meta, j.priority, j.queued_at";

static ratchet_status claim_fill(pg_inst *in, const PGresult *r, ratchet_claimed_job *out,
                                 size_t *n)
{
    int rows = PQntuples(r);
    claim_row *order = pg_host->calloc((size_t)(rows > 0 ? rows : 1), sizeof *order);
    if (!order) {
        pg_host->set_error(in->ctx, "out of memory");
        return RATCHET_NOMEM;
    }
    for (int i = 0; i < rows; i++)
        order[i] = (claim_row){i, pg_int(r, i, 9), pg_int(r, i, 10), pg_int(r, i, 0)};
    qsort(order, (size_t)rows, sizeof *order, claim_row_cmp);
    int oom = 0;
    for (int k = 0; k < rows; k++) {
        int i = order[k].row;
        ratchet_claimed_job *cj = &out[k];
        memset(cj, 0, sizeof *cj);
        cj->abi = (ratchet_abi)RATCHET_ABI_INIT(ratchet_claimed_job);
        cj->job_id = pg_int(r, i, 0);
        cj->execution_id = pg_int(r, i, 1);
        cj->task_version_id = pg_int(r, i, 2);
        cj->attempt = (int32_t)pg_int(r, i, 3);
        cj->max_retries = (int32_t)pg_int(r, i, 4);
        cj->retry_base_ms = pg_int(r, i, 5);
        cj->retry_max_ms = pg_int(r, i, 6);
        cj->input_json = pg_dup(r, i, 7, &oom);
        cj->meta_json = pg_dup(r, i, 8, &oom);
    }
    pg_host->free(order);
    if (oom) {
        for (int k = 0; k < rows; k++)
            rs_claimed_clear(&out[k]);
        pg_host->set_error(in->ctx, "out of memory");
        return RATCHET_NOMEM;
    }
    *n = (size_t)rows;
    return RATCHET_OK;
}

ratchet_status pgs_job_claim(void *instance, const char *owner, int64_t now_ms, int64_t lease_ms,
                             ratchet_claimed_job *out, size_t max, size_t *n)
{
    pg_inst *in = instance;
    *n = 0;
    ratchet_status s = pg_ready(in);
    if (s != RATCHET_OK)
        return s;
    if (rs_claim_args(in->ctx, owner, lease_ms) != RATCHET_OK)
        return RATCHET_ERR;
    if (max == 0)
        return RATCHET_OK;
    if (max > PG_CLAIM_MAX)
        max = PG_CLAIM_MAX;
    pg_conn *c = NULL;
    if ((s = pg_acquire(in, &c)) != RATCHET_OK)
        return s;
    /* Taken before the statement: a change committed after this point moves gen, so a wait()
     * following an empty claim returns at once instead of missing it. */
    uint64_t gen = pg_wake_gen(in);
    pg_params p;
    pp_init(&p);
    pp_int(&p, now_ms);
    pp_int(&p, (int64_t)max);
    pp_text(&p, owner);
    pp_int(&p, now_ms + lease_ms);
    PGresult *r = NULL;
    s = pg_run(in, c, PG_CLAIM, claim_sql, &p, "claiming jobs", &r);
    pg_release(in, c);
    if (s == RATCHET_OK) {
        s = claim_fill(in, r, out, n);
        PQclear(r);
    }
    if (s == RATCHET_OK)
        pg_wake_seen(in, gen, *n > 0);
    return s;
}

ratchet_status pgs_job_renew(void *instance, const char *owner, int64_t now_ms, int64_t lease_ms)
{
    pg_inst *in = instance;
    pg_conn *c = NULL;
    ratchet_status s = pg_ready(in);
    if (s != RATCHET_OK || (s = pg_acquire(in, &c)) != RATCHET_OK)
        return s;
    pg_params p;
    pp_init(&p);
    pp_text(&p, owner);
    pp_int(&p, now_ms + lease_ms);
    s = pg_run_cmd(in, c, PG_RENEW,
                   "UPDATE jobs SET lease_until = $2 "
                   "WHERE lease_owner = $1 AND status = 'processing'",
                   &p, "renewing leases", NULL);
    pg_release(in, c);
    return s;
}

/* ---- expired leases ----------------------------------------------------------------------- */

static ratchet_status expire_one(pg_inst *in, pg_conn *c, int64_t id, int64_t exec_id,
                                 const char *owner, int64_t now)
{
    ratchet_buf err = RATCHET_BUF_INIT;
    rs_out o;
    rs_out_init(&o, &err);
    rs_out_begin(&o, NULL, '{');
    rs_out_str(&o, "name", "LeaseExpired");
    char msg[160];
    snprintf(msg, sizeof msg, "the attempt did not finish: its lease expired (owner %.80s)",
             owner ? owner : "?");
    rs_out_str(&o, "message", msg);
    rs_out_str(&o, "kind", "lease");
    rs_out_end(&o, '}');
    ratchet_status s = rs_out_done(in->ctx, &o);
    pg_params p;
    if (s == RATCHET_OK) {
        pp_init(&p);
        pp_int(&p, exec_id);
        pp_text(&p, err.data);
        pp_int(&p, now);
        s = pg_run_cmd(in, c, PG_EXPIRED_EXEC,
                       "UPDATE executions SET status = 'failed', error = $2, completed_at = $3, "
                       "duration_ms = $3 - started_at WHERE id = $1 AND status = 'running'",
                       &p, "failing an expired execution", NULL);
    }
    if (s == RATCHET_OK) {
        pp_init(&p);
        pp_int(&p, id);
        pp_text(&p, err.data);
        pp_int(&p, now);
        s = pg_run_cmd(in, c, PG_EXPIRED_JOB,
                       "UPDATE jobs SET status = CASE WHEN cancel_requested THEN 'cancelled' "
                       "WHEN attempts > max_retries THEN 'failed' ELSE 'queued' END, "
                       "error = $2, completed_at = CASE WHEN cancel_requested OR "
                       "attempts > max_retries THEN $3::bigint END, "
                       "lease_owner = NULL, lease_until = NULL "
                       "WHERE id = $1 AND status = 'processing'",
                       &p, "requeueing an expired job", NULL);
    }
    pg_host->buf_free(&err);
    return s;
}

ratchet_status pgs_job_requeue_expired(void *instance, int64_t now_ms, size_t *count)
{
    pg_inst *in = instance;
    *count = 0;
    pg_conn *c = NULL;
    ratchet_status s = pg_ready(in);
    if (s != RATCHET_OK || (s = pg_acquire_begin(in, &c)) != RATCHET_OK)
        return s;
    pg_params p;
    pp_init(&p);
    pp_int(&p, now_ms - in->requeue_grace_ms);
    PGresult *r = NULL;
    /* Locked, so a finish of the same job waits and then finds the lease gone; SKIP LOCKED,
     * so another host requeueing at the same time takes the others. */
    s = pg_run(in, c, PG_EXPIRED_SELECT,
               "SELECT id, execution_id, lease_owner FROM jobs "
               "WHERE status = 'processing' AND lease_until < $1 ORDER BY id "
               "FOR UPDATE SKIP LOCKED",
               &p, "finding expired leases", &r);
    int n = s == RATCHET_OK ? PQntuples(r) : 0;
    for (int i = 0; i < n && s == RATCHET_OK; i++)
        s = expire_one(in, c, pg_int(r, i, 0), pg_int(r, i, 1), pg_str(r, i, 2), now_ms);
    PQclear(r);
    s = pg_end_wake(in, c, s, n > 0);
    pg_release(in, c);
    if (s == RATCHET_OK)
        *count = (size_t)n;
    return s;
}

/* ---- cancel and retry --------------------------------------------------------------------- */

typedef enum { OP_CANCEL, OP_RETRY } job_op;

static ratchet_status op_apply(pg_inst *in, pg_conn *c, job_op op, int64_t id, int64_t now,
                               int *changed)
{
    pg_params p;
    pp_init(&p);
    pp_int(&p, id);
    PGresult *r = NULL;
    ratchet_status s =
        pg_run(in, c, PG_JOB_STATUS, "SELECT status FROM jobs WHERE id = $1 FOR UPDATE", &p,
               "reading a job", &r);
    if (s != RATCHET_OK)
        return s;
    char status[16] = "";
    int found = PQntuples(r) > 0;
    if (found)
        snprintf(status, sizeof status, "%s", pg_str(r, 0, 0));
    PQclear(r);
    if (!found) {
        pg_host->set_error(in->ctx, "job %lld does not exist", (long long)id);
        return RATCHET_NOTFOUND;
    }
    int queued = !strcmp(status, "queued") || !strcmp(status, "retrying");
    int processing = !strcmp(status, "processing");
    int ended = !strcmp(status, "failed") || !strcmp(status, "cancelled");
    if (op == OP_CANCEL && !queued && !processing) {
        pg_host->set_error(in->ctx,
                           "job %lld is already %s; only queued, retrying or "
                           "processing jobs can be cancelled",
                           (long long)id, status);
        return RATCHET_ERR;
    }
    if (op == OP_RETRY && !ended) {
        pg_host->set_error(in->ctx,
                           "job %lld is %s; only failed or cancelled jobs can be "
                           "retried",
                           (long long)id, status);
        return RATCHET_ERR;
    }
    if (op != OP_CANCEL || queued)
        pp_int(&p, now);
    if (op == OP_CANCEL && queued)
        s = pg_run_cmd(in, c, PG_CANCEL_QUEUED,
                       "UPDATE jobs SET status = 'cancelled', completed_at = $2 WHERE id = $1", &p,
                       "changing a job", NULL);
    else if (op == OP_CANCEL)
        s = pg_run_cmd(in, c, PG_CANCEL_FLAG,
                       "UPDATE jobs SET cancel_requested = true WHERE id = $1", &p,
                       "changing a job", NULL);
    else
        s = pg_run_cmd(in, c, PG_JOB_RETRY,
                       "UPDATE jobs SET status = 'queued', attempts = 0, "
                       "error = NULL, output = NULL, started_at = NULL, completed_at = NULL, "
                       "cancel_requested = false, lease_owner = NULL, lease_until = NULL, "
                       "queued_at = $2, process_at = $2 WHERE id = $1",
                       &p, "changing a job", NULL);
    *changed = 1;
    return s;
}

static ratchet_status job_op_run(pg_inst *in, job_op op, int64_t id, int64_t now, ratchet_buf *out)
{
    pg_conn *c = NULL;
    ratchet_status s = pg_ready(in);
    if (s != RATCHET_OK || (s = pg_acquire_begin(in, &c)) != RATCHET_OK)
        return s;
    int changed = 0;
    s = op_apply(in, c, op, id, now, &changed);
    s = pg_end_wake(in, c, s, 1);
    /* The job as it now stands, also when refused (its state explains the refusal). */
    if ((s == RATCHET_OK || (s == RATCHET_ERR && !changed)) && out) {
        ratchet_status e = pg_job_emit(in, c, id, out);
        if (s == RATCHET_OK)
            s = e;
    }
    pg_release(in, c);
    return s;
}

ratchet_status pgs_job_cancel(void *instance, int64_t job_id, ratchet_buf *out)
{
    return job_op_run(instance, OP_CANCEL, job_id, pg_now_ms(), out);
}

ratchet_status pgs_job_retry(void *instance, int64_t job_id, int64_t now_ms, ratchet_buf *out)
{
    return job_op_run(instance, OP_RETRY, job_id, now_ms, out);
}
