/*
 * pg_finish.c - job_finish: the outcomes of claimed attempts, recorded in one transaction.
 *
 * A finish applies only while the job is processing, leased by the same owner, on the same
 * execution: its UPDATE re-checks that after any row lock it waited for, so a finish racing
 * a requeue of the same job (another host's, after the lease expired) either wins or changes
 * nothing. Each finish is one statement (the job, the execution and its log rows); a batch is
 * sent at once in pipeline mode with BEGIN, the notification and COMMIT (pg_pipe.c): one
 * round trip per FIN_CHUNK finishes.
 */
#include <string.h>

#include "pg_int.h"

/* One statement per finish: the job's update (its WHERE clause is the lease check) as a CTE,
 * then, only when it applied, the execution's update and its log rows (for REQUEUE: the
 * execution's deletion); a row returned means applied. $1 job, $2 execution, $3 owner,
 * $4 now; then, except for REQUEUE: $5 output, $6 error, $7 the execution's status, $8 logs,
 * $9 http, $10 started, $11 duration, $12 the log rows (pg_logs_rows, or NULL); RETRY adds
 * $13 retry_at. */
#define FIN_WHERE                                                                                  \
    " lease_owner = NULL, lease_until = NULL WHERE id = $1 AND execution_id = $2 AND "             \
    "lease_owner = $3 AND status = 'processing' RETURNING id) "
#define FIN_EXEC                                                                                   \
    ", l AS (" PG_LOG_ROWS_SQL(                                                                    \
        "$12") " WHERE EXISTS (SELECT 1 FROM j)) "                                                 \
               "UPDATE executions SET status = $7, output = CASE WHEN $7 = 'completed' THEN $5 "   \
               "END, "                                                                             \
               "error = $6, logs = $8, http = $9, started_at = COALESCE($10, started_at), "        \
               "completed_at = $4, duration_ms = $11, analysis = $13 WHERE id = $2 AND EXISTS "    \
               "(SELECT 1 FROM j) "                                                                \
               "RETURNING id"

static const struct {
    pg_slot slot;
    const char *exec_status;
    const char *sql;
} fin_kinds[] = {
    [RATCHET_FINISH_COMPLETED] = {PG_FIN_COMPLETED, "completed",
                                  "WITH j AS (UPDATE jobs SET status = 'completed', output = $5, "
                                  "error = NULL, completed_at = $4," FIN_WHERE FIN_EXEC},
    [RATCHET_FINISH_RETRY] = {PG_FIN_RETRY, "failed",
                              "WITH j AS (UPDATE jobs SET status = CASE WHEN cancel_requested "
                              "THEN 'cancelled' ELSE 'retrying' END, error = $6, "
                              "process_at = CASE WHEN cancel_requested THEN process_at "
                              "ELSE $14::bigint END, completed_at = CASE WHEN cancel_requested "
                              "THEN $4::bigint END," FIN_WHERE FIN_EXEC},
    [RATCHET_FINISH_FAILED] = {PG_FIN_FAILED, "failed",
                               "WITH j AS (UPDATE jobs SET status = 'failed', error = $6, "
                               "completed_at = $4," FIN_WHERE FIN_EXEC},
    [RATCHET_FINISH_CANCELLED] = {PG_FIN_CANCELLED, "cancelled",
                                  "WITH j AS (UPDATE jobs SET status = 'cancelled', error = $6, "
                                  "completed_at = $4," FIN_WHERE FIN_EXEC},
    /* not run: back to queued, the attempt not counted and leaving no record */
    [RATCHET_FINISH_REQUEUE] = {PG_FIN_REQUEUE, NULL,
                                "WITH j AS (UPDATE jobs SET status = CASE WHEN cancel_requested "
                                "THEN 'cancelled' ELSE 'queued' END, attempts = attempts - 1, "
                                "completed_at = CASE WHEN cancel_requested THEN $4::bigint END, "
                                "execution_id = (SELECT max(id) FROM executions "
                                "WHERE job_id = $1 AND id <> $2)," FIN_WHERE
                                "DELETE FROM executions WHERE id = $2 AND EXISTS "
                                "(SELECT 1 FROM j) RETURNING id"},
};

/* Queue one finish on the pipeline; the index of its command, -1 after a failure. */
static int fin_send(pg_inst *in, pg_pipe *pp, const ratchet_job_finish *f, int64_t now)
{
    pg_params p;
    pp_init(&p);
    pp_int(&p, f->job_id);
    pp_int(&p, f->execution_id);
    pp_text(&p, f->owner);
    pp_int(&p, now);
    ratchet_buf rows = RATCHET_BUF_INIT;
    if (f->kind != RATCHET_FINISH_REQUEUE) {
        ratchet_status s = pg_logs_rows(in, f->logs_json, f->http_json,
                                        f->started_ms > 0 ? f->started_ms : now, &rows);
        if (s != RATCHET_OK) {
            pg_host->buf_free(&rows);
            pp->st = s;
            return -1;
        }
        pp_text(&p, f->output_json ? f->output_json : "null");
        pp_text(&p, f->error_json);
        pp_text(&p, fin_kinds[f->kind].exec_status);
        pp_text(&p, f->logs_json);
        pp_text(&p, f->http_json);
        pp_opt(&p, f->started_ms);
        pp_int(&p, f->duration_ms > 0 ? f->duration_ms : 0);
        pp_text(&p, rows.data);
        pp_text(&p, rs_finish_analysis(f));
    }
    if (f->kind == RATCHET_FINISH_RETRY)
        pp_int(&p, f->retry_at_ms);
    int k =
        pg_pipe_send(pp, fin_kinds[f->kind].slot, fin_kinds[f->kind].sql, &p, "finishing a job");
    pg_host->buf_free(&rows); /* the parameters were copied */
    return k;
}

/* Finishes per Sync: each is one command (plus a few prepares, BEGIN, notify, COMMIT). */
#define FIN_CHUNK 128

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
        int idx[FIN_CHUNK] = {0};
        pg_pipe pp;
        pg_pipe_init(&pp, in, c);
        if (from == 0)
            pg_pipe_send_text(&pp, "BEGIN", "starting a transaction");
        for (size_t i = from; i < to; i++)
            idx[i - from] = fin_send(in, &pp, RS_NTH_C(fins, ratchet_job_finish, i, stride), now);
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
        for (size_t i = from; s == RATCHET_OK && i < to; i++)
            count += idx[i - from] >= 0 && pp.cmds[idx[i - from]].rows > 0;
    }
    pg_release(in, c); /* rolls a failed transaction back */
    if (s == RATCHET_OK) {
        *applied = count;
        if (count > 0)
            pg_wake_changed(in);
    }
    return s;
}
