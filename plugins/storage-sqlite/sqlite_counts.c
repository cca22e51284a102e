/*
 * sqlite_counts.c - job_counts, the jobs by status, kept up to date by this plugin.
 *
 * job_counts (migration 7) lets a list's total on the status alone, and `jobs wait`, sum six
 * rows instead of counting a million. Inserts and deletes keep it by trigger; status changes
 * do not (migration 8 dropped that trigger): the claim and finish of every job ran two more
 * UPDATEs in the trigger, a few per cent of a burn-down. Each statement that changes a job's
 * status instead notes the move here (it knows the status before from its WHERE clause or a
 * read, and the status after from its SET or its RETURNING), and the transaction adds the
 * sums at commit: one UPDATE per status that moved, per batch of claims or finishes.
 *
 * The sums live on the connection (sq_conn.moved), begun at zero by sq_begin, written by
 * sq_commit, dropped by sq_rollback: one thread uses a connection at a time.
 */
#include <string.h>

#include "sqlite_int.h"

static const char *const status_names[SQ_JS_COUNT] = {
    [SQ_JS_QUEUED] = "queued", [SQ_JS_PROCESSING] = "processing", [SQ_JS_COMPLETED] = "completed",
    [SQ_JS_FAILED] = "failed", [SQ_JS_CANCELLED] = "cancelled",   [SQ_JS_RETRYING] = "retrying",
};

static int status_index(const char *status)
{
    for (int i = 0; status && i < SQ_JS_COUNT; i++)
        if (strcmp(status, status_names[i]) == 0)
            return i;
    return -1;
}

void sq_count_add(sq_conn *c, sq_job_status status, int64_t n)
{
    c->moved[status] += n;
}

void sq_count_move(sq_conn *c, const char *from, const char *to)
{
    int a = status_index(from), b = status_index(to);
    if (a >= 0 && b >= 0 && a != b) {
        c->moved[a]--;
        c->moved[b]++;
    }
}

ratchet_status sq_step_moved(sq_inst *in, sq_conn *c, sqlite3_stmt *st, const char *from,
                             const char *what, int *rows)
{
    int rc;
    *rows = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        sq_count_move(c, from, (const char *)sqlite3_column_text(st, 0));
        (*rows)++;
    }
    sq_reset(st);
    return rc == SQLITE_DONE ? RATCHET_OK : sq_fail(in, c, rc, what);
}

ratchet_status sq_counts_flush(sq_inst *in, sq_conn *c)
{
    for (int i = 0; i < SQ_JS_COUNT; i++) {
        if (c->moved[i] == 0)
            continue;
        sqlite3_stmt *st =
            sq_stmt(in, c, SQ_COUNT_ADD, "UPDATE job_counts SET n = n + ?2 WHERE status = ?1");
        if (!st)
            return RATCHET_ERR;
        sq_bind_text(st, 1, status_names[i]);
        sq_bind_int(st, 2, c->moved[i]);
        ratchet_status s = sq_step_done(in, c, st, "counting jobs by status");
        if (s != RATCHET_OK)
            return s;
        c->moved[i] = 0;
    }
    return RATCHET_OK;
}
