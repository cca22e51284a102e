/*
 * pg_finish.c - job_finish: the outcomes of claimed attempts, recorded in one transaction.
 *
 * A finish applies only while the job is processing, leased by the same owner, on the same
 * execution: its UPDATE re-checks that after any row lock it waited for, so a finish racing
 * a requeue of the same job (another host's, after the lease expired) either wins or changes
 * nothing.
 *
 * The outcomes of a batch (completed, failed, cancelled, retry) are one statement: a JSON
 * array of the finishes, read with json_to_recordset, updates the jobs, adds the log rows and
 * updates the executions of those whose lease held. A statement per finish cost the server
 * more in setting each statement up (opening a dozen indexes, compiling the CHECK
 * constraints, the generated column) than in the rows it changed. Requeues (rare: a worker
 * stopped before it ran the job) stay a statement each. Everything is sent at once in
 * pipeline mode with BEGIN, the notification and COMMIT (pg_pipe.c): one round trip per
 * FIN_CHUNK finishes.
 */
#include <string.h>

#include "pg_int.h"

/* Finishes per Sync and per batch statement. */
#define FIN_CHUNK 128

/* One statement for the outcomes in $1 (the array fin_row writes), $2 now, $3 the jobs' ids
 * (an array: the jobs are then read by primary key; joined to the recordset alone, whose size
 * the planner cannot know, they were found by scanning every processing job). It returns a
 * row per finish that applied. A job's status: the kind's, except that a retry of a job whose
 * cancel was asked for while it ran ends cancelled (as do its completed_at and process_at). */
static const char fin_batch_sql[] =
    "WITH f AS (SELECT * FROM json_to_recordset($1::json) AS f(job bigint, exec bigint, "
    "owner text, kind text, output text, error text, estatus text, logs text, http text, "
    "started bigint, duration bigint, analysis text, retry_at bigint, rows json)), "
    "j AS (UPDATE jobs SET "
    "status = CASE WHEN f.kind <> 'retry' THEN f.kind WHEN jobs.cancel_requested "
    "THEN 'cancelled' ELSE 'retrying' END, "
    "output = CASE WHEN f.kind = 'completed' THEN f.output ELSE jobs.output END, "
    "error = CASE WHEN f.kind = 'completed' THEN NULL ELSE f.error END, "
    "process_at = CASE WHEN f.kind = 'retry' AND NOT jobs.cancel_requested THEN f.retry_at "
    "ELSE jobs.process_at END, "
    "completed_at = CASE WHEN f.kind = 'retry' AND NOT jobs.cancel_requested THEN NULL "
    "ELSE $2::bigint END, "
    "lease_owner = NULL, lease_until = NULL FROM f WHERE jobs.id = ANY($3::bigint[]) AND "
    "jobs.id = f.job AND "
    "jobs.execution_id = f.exec AND jobs.lease_owner = f.owner AND jobs.status = 'processing' "
    "RETURNING f.exec), "
    "l AS (INSERT INTO execution_logs (execution_id, seq, time, kind, level, message, method, "
    "url, status, duration_ms) SELECT f.exec, r.seq, r.time, r.kind, r.level, r.message, "
    "r.method, r.url, r.status, r.duration_ms FROM f JOIN j ON j.exec = f.exec, "
    "json_to_recordset(f.rows) AS r(seq bigint, time bigint, kind text, level text, "
    "message text, method text, url text, status bigint, duration_ms bigint)), "
    "x AS (UPDATE executions SET status = f.estatus, output = CASE WHEN f.estatus = "
    "'completed' THEN f.output END, error = f.error, logs = f.logs, http = f.http, "
    "started_at = COALESCE(f.started, executions.started_at), completed_at = $2::bigint, "
    "duration_ms = f.duration, analysis = f.analysis FROM f JOIN j ON j.exec = f.exec "
    "WHERE executions.id = f.exec) "
    "SELECT exec FROM j";

/* Not run: back to queued, the attempt not counted and leaving no record. $1 job,
 * $2 execution, $3 owner, $4 now; a row returned means applied. */
static const char fin_requeue_sql[] =
    "WITH j AS (UPDATE jobs SET status = CASE WHEN cancel_requested THEN 'cancelled' ELSE "
    "'queued' END, attempts = attempts - 1, completed_at = CASE WHEN cancel_requested THEN "
    "$4::bigint END, execution_id = (SELECT max(id) FROM executions WHERE job_id = $1 AND "
    "id <> $2), lease_owner = NULL, lease_until = NULL WHERE id = $1 AND execution_id = $2 "
    "AND lease_owner = $3 AND status = 'processing' RETURNING id) "
    "DELETE FROM executions WHERE id = $2 AND EXISTS (SELECT 1 FROM j) RETURNING id";

static const char *const kind_names[] = {
    [RATCHET_FINISH_COMPLETED] = "completed",
    [RATCHET_FINISH_RETRY] = "retry",
    [RATCHET_FINISH_FAILED] = "failed",
    [RATCHET_FINISH_CANCELLED] = "cancelled",
};

/* The execution's status for each kind (a retry is a failed attempt). */
static const char *const exec_status[] = {
    [RATCHET_FINISH_COMPLETED] = "completed",
    [RATCHET_FINISH_RETRY] = "failed",
    [RATCHET_FINISH_FAILED] = "failed",
    [RATCHET_FINISH_CANCELLED] = "cancelled",
};

/* Append finish f (not a requeue) to the batch array o as fin_batch_sql reads it. */
static ratchet_status fin_row(pg_inst *in, rs_out *o, const ratchet_job_finish *f, int64_t now)
{
    ratchet_buf rows = RATCHET_BUF_INIT;
    ratchet_status s = pg_logs_rows(in, f->logs_json, f->http_json,
                                    f->started_ms > 0 ? f->started_ms : now, &rows);
    if (s == RATCHET_OK) {
        rs_out_begin(o, NULL, '{');
        rs_out_int(o, "job", f->job_id);
        rs_out_int(o, "exec", f->execution_id);
        rs_out_str(o, "owner", f->owner);
        rs_out_str(o, "kind", kind_names[f->kind]);
        rs_out_str(o, "output", f->output_json ? f->output_json : "null");
        rs_out_str(o, "error", f->error_json);
        rs_out_str(o, "estatus", exec_status[f->kind]);
        rs_out_str(o, "logs", f->logs_json);
        rs_out_str(o, "http", f->http_json);
        if (f->started_ms > 0)
            rs_out_int(o, "started", f->started_ms);
        rs_out_int(o, "duration", f->duration_ms > 0 ? f->duration_ms : 0);
        rs_out_str(o, "analysis", rs_finish_analysis(f));
        rs_out_int(o, "retry_at", f->retry_at_ms);
        rs_out_json(o, "rows", rows.data);
        rs_out_end(o, '}');
    }
    pg_host->buf_free(&rows);
    return s;
}

/* Queue the statements of fins[from..to) on the pipeline: the batch, then each requeue. The
 * indexes of the commands whose row counts are the finishes applied go to idx, ended by -1.
 * A failure lands in pp->st (pg_pipe_run returns it). */
static void fin_send(pg_inst *in, pg_pipe *pp, const ratchet_job_finish *fins, size_t stride,
                     size_t from, size_t to, int64_t now, int idx[FIN_CHUNK + 1])
{
    ratchet_buf batch = RATCHET_BUF_INIT, ids = RATCHET_BUF_INIT;
    rs_out o;
    rs_out_init(&o, &batch);
    rs_out_begin(&o, NULL, '[');
    size_t outcomes = 0;
    ratchet_status s = RATCHET_OK;
    for (size_t i = from; i < to && s == RATCHET_OK; i++) {
        const ratchet_job_finish *f = RS_NTH_C(fins, ratchet_job_finish, i, stride);
        if (f->kind != RATCHET_FINISH_REQUEUE) {
            s = fin_row(in, &o, f, now);
            if (s == RATCHET_OK)
                s = pg_host->buf_printf(&ids, "%c%lld", outcomes ? ',' : '{', (long long)f->job_id);
            outcomes++;
        }
    }
    rs_out_end(&o, ']');
    if (s == RATCHET_OK)
        s = rs_out_done(in->ctx, &o);
    int n = 0;
    if (s == RATCHET_OK && outcomes > 0)
        s = pg_host->buf_printf(&ids, "}");
    if (s == RATCHET_OK && outcomes > 0) {
        pg_params p;
        pp_init(&p);
        pp_text(&p, batch.data);
        pp_int(&p, now);
        pp_text(&p, ids.data);
        idx[n++] = pg_pipe_send(pp, PG_FIN_BATCH, fin_batch_sql, &p, "finishing jobs");
    }
    pg_host->buf_free(&batch); /* the parameters were copied */
    pg_host->buf_free(&ids);
    for (size_t i = from; i < to && s == RATCHET_OK; i++) {
        const ratchet_job_finish *f = RS_NTH_C(fins, ratchet_job_finish, i, stride);
        if (f->kind != RATCHET_FINISH_REQUEUE)
            continue;
        pg_params p;
        pp_init(&p);
        pp_int(&p, f->job_id);
        pp_int(&p, f->execution_id);
        pp_text(&p, f->owner);
        pp_int(&p, now);
        idx[n++] = pg_pipe_send(pp, PG_FIN_REQUEUE, fin_requeue_sql, &p, "requeueing a job");
    }
    idx[n] = -1;
    if (s != RATCHET_OK && pp->st == RATCHET_OK)
        pp->st = s;
}

ratchet_status pgs_job_finish(void *instance, const ratchet_job_finish *fins, size_t n,
                              size_t *applied)
{
    pg_inst *in = instance;
    *applied = 0;
    ratchet_status s = pg_ready(in);
    if (s != RATCHET_OK || n == 0)
        return s;
    size_t stride = rs_stride(&fins->abi, sizeof *fins);
    if ((s = rs_finish_check_all(in->ctx, fins, n)) != RATCHET_OK)
        return s;
    pg_conn *c = NULL;
    if ((s = pg_acquire(in, &c)) != RATCHET_OK)
        return s;
    int64_t now = pg_now_ms();
    size_t count = 0;
    /* One transaction over every chunk: BEGIN rides with the first, the notification and
     * COMMIT with the last. The notification goes out even when no finish applied (rare:
     * only lost leases); it only makes other hosts look once. */
    for (size_t from = 0; from < n && s == RATCHET_OK; from += FIN_CHUNK) {
        size_t to = from + FIN_CHUNK < n ? from + FIN_CHUNK : n;
        int idx[FIN_CHUNK + 1];
        pg_pipe pp;
        pg_pipe_init(&pp, in, c);
        if (from == 0)
            pg_pipe_send_text(&pp, "BEGIN", "starting a transaction");
        fin_send(in, &pp, fins, stride, from, to, now, idx);
        if (to == n) {
            if (in->listen) {
                pg_params p;
                pp_init(&p);
                pp_text(&p, in->channel);
                pp_text(&p, in->token);
                pg_pipe_send(&pp, PG_NOTIFY, "SELECT pg_notify($1, $2)", &p,
                             "notifying other hosts");
            }
            pg_pipe_send_text(&pp, "COMMIT", "committing");
        }
        s = pg_pipe_run(&pp);
        for (int k = 0; s == RATCHET_OK && idx[k] != -1; k++)
            count += (size_t)pp.cmds[idx[k]].rows;
    }
    pg_release(in, c); /* rolls a failed transaction back */
    if (s == RATCHET_OK) {
        *applied = count;
        if (count > 0)
            pg_wake_changed(in);
    }
    return s;
}
