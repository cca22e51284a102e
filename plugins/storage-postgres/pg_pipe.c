/*
 * pg_pipe.c - batches of statements in libpq's pipeline mode: a batch (BEGIN, one statement per
 * job, the notification, COMMIT) is sent at once and its results read after one Sync, so a
 * batch of 64 finishes costs one round trip instead of 67.
 *
 * Statements are the prepared ones of pg_run (same slots, same names); a slot not yet
 * prepared on the connection is prepared inside the same pipeline. After an error the server
 * skips everything up to the Sync (PGRES_PIPELINE_ABORTED), the transaction is left failed and
 * pg_release rolls it back. Results are small (a row count each), so the server's output
 * cannot fill up while we are still sending: no deadlock for the batch sizes used here
 * (PG_PIPE_MAX commands per Sync).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pg_int.h"

void pg_pipe_init(pg_pipe *pp, pg_inst *in, pg_conn *c)
{
    memset(pp, 0, sizeof *pp);
    pp->failed = -1;
    pp->in = in;
    pp->c = c;
    if (!PQenterPipelineMode(c->pg)) {
        pp->st = pg_fail(in, c, NULL, "starting a batch");
        return;
    }
    pp->active = 1;
}

/* Record one queued command; `slot` PG_SLOT_COUNT for unprepared text. Its index. */
static int pipe_push(pg_pipe *pp, int slot, int prepare, const char *what)
{
    pp->cmds[pp->n].slot = slot;
    pp->cmds[pp->n].prepare = prepare;
    pp->cmds[pp->n].what = what;
    pp->cmds[pp->n].rows = 0;
    pp->cmds[pp->n].value = 0;
    return pp->n++;
}

int pg_pipe_send(pg_pipe *pp, pg_slot slot, const char *sql, const pg_params *p, const char *what)
{
    if (pp->st != RATCHET_OK)
        return -1;
    if (pp->n + 2 > PG_PIPE_MAX) {
        pg_host->set_error(pp->in->ctx, "%s: more than %d statements in one batch", what,
                           PG_PIPE_MAX);
        pp->st = RATCHET_ERR;
        return -1;
    }
    char name[16];
    snprintf(name, sizeof name, "r%d", (int)slot);
    if (!pp->c->prepared[slot] && !pp->preparing[slot]) {
        if (!PQsendPrepare(pp->c->pg, name, sql, p ? p->n : 0, NULL)) {
            pp->st = pg_fail(pp->in, pp->c, NULL, what);
            return -1;
        }
        pp->preparing[slot] = 1;
        pipe_push(pp, (int)slot, 1, what);
    }
    if (!PQsendQueryPrepared(pp->c->pg, name, p ? p->n : 0, p ? p->v : NULL, NULL, NULL, 0)) {
        pp->st = pg_fail(pp->in, pp->c, NULL, what);
        return -1;
    }
    return pipe_push(pp, (int)slot, 0, what);
}

int pg_pipe_send_text(pg_pipe *pp, const char *sql, const char *what)
{
    if (pp->st != RATCHET_OK)
        return -1;
    if (pp->n + 1 > PG_PIPE_MAX) {
        pg_host->set_error(pp->in->ctx, "%s: more than %d statements in one batch", what,
                           PG_PIPE_MAX);
        pp->st = RATCHET_ERR;
        return -1;
    }
    if (!PQsendQueryParams(pp->c->pg, sql, 0, NULL, NULL, NULL, NULL, 0)) {
        pp->st = pg_fail(pp->in, pp->c, NULL, what);
        return -1;
    }
    return pipe_push(pp, PG_SLOT_COUNT, 0, what);
}

ratchet_status pg_pipe_run(pg_pipe *pp)
{
    pg_conn *c = pp->c;
    /* Sync also after a failure while queueing: it flushes what was queued, whose results
     * are read below. */
    if (pp->active && !PQpipelineSync(c->pg)) {
        if (pp->st == RATCHET_OK)
            pp->st = pg_fail(pp->in, c, NULL, "sending a batch");
        pp->n = 0; /* nothing will answer */
    }
    /* Read every command's result (also after a failure: the pipeline must be drained). */
    for (int k = 0; pp->active && k < pp->n; k++) {
        PGresult *r = PQgetResult(c->pg);
        if (!r) { /* the connection broke */
            if (pp->st == RATCHET_OK)
                pp->st = pg_fail(pp->in, c, NULL, pp->cmds[k].what);
            break;
        }
        ExecStatusType st = PQresultStatus(r);
        if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
            if (pp->cmds[k].prepare)
                c->prepared[pp->cmds[k].slot] = 1;
            else
                pp->cmds[k].rows = strtoll(PQcmdTuples(r), NULL, 10);
            if (st == PGRES_TUPLES_OK && PQntuples(r) > 0 && PQnfields(r) > 0)
                pp->cmds[k].value = pg_int(r, 0, 0);
        } else if (pp->st == RATCHET_OK) {
            /* the first failure explains the batch; the ones after it are "aborted" */
            snprintf(c->state, sizeof c->state, "%.5s", pg_sqlstate(r));
            pp->st = pg_fail(pp->in, c, r, pp->cmds[k].what);
            pp->failed = k;
        }
        PQclear(r);
        while ((r = PQgetResult(c->pg)) != NULL) /* the end of this command's results */
            PQclear(r);
    }
    if (pp->active && PQstatus(c->pg) == CONNECTION_OK) {
        PGresult *r = PQgetResult(c->pg); /* the Sync */
        if (r && PQresultStatus(r) != PGRES_PIPELINE_SYNC && pp->st == RATCHET_OK)
            pp->st = pg_fail(pp->in, c, r, "ending a batch");
        PQclear(r);
        if (!PQexitPipelineMode(c->pg)) {
            if (pp->st == RATCHET_OK)
                pp->st = pg_fail(pp->in, c, NULL, "ending a batch");
            c->broken = 1; /* results left unread: replaced at its next use */
        }
    }
    pp->active = 0;
    return pp->st;
}
