/*
 * sqlite_stats.c - stats(): counts of jobs, executions, tasks and schedules for the statistics
 * endpoints and the metrics scrape.
 *
 * Each resource is one statement of scalar subqueries, so its numbers come from one snapshot
 * (a total always equals the sum of its parts). Every count is served by an index (status,
 * priority, queued_at, started_at) or by job_counts, so a scrape stays cheap on a large queue.
 */
#include <stdint.h>

#include "sqlite_int.h"
#include "../storage-common/rs_stats.h"

/* The statement of each rs_stats_resource, at its index. */
typedef struct stat_res {
    sq_slot slot;
    const char *sql; /* ?1 now, ?2 now - 24h; one row, one column per stat_col */
} stat_res;

/* The total and the counts by status come from job_counts (kept by triggers, migration 7):
 * counting a million finished jobs row by row takes tens of milliseconds per scrape. */
static const char jobs_sql[] =
    "SELECT (SELECT sum(n) FROM job_counts),"
    " (SELECT n FROM job_counts WHERE status = 'queued'),"
    " (SELECT n FROM job_counts WHERE status = 'processing'),"
    " (SELECT n FROM job_counts WHERE status = 'completed'),"
    " (SELECT n FROM job_counts WHERE status = 'failed'),"
    " (SELECT n FROM job_counts WHERE status = 'cancelled'),"
    " (SELECT n FROM job_counts WHERE status = 'retrying'),"
    " (SELECT count(*) FROM jobs WHERE priority = 1),"
    " (SELECT count(*) FROM jobs WHERE priority = 2),"
    " (SELECT count(*) FROM jobs WHERE priority = 3),"
    " (SELECT count(*) FROM jobs WHERE priority = 4),"
    " (SELECT count(*) FROM jobs WHERE queued_at >= ?2),"
    " (SELECT min(queued_at) FROM jobs WHERE status IN ('queued', 'retrying'))";

static const char executions_sql[] =
    "SELECT (SELECT count(*) FROM executions),"
    " (SELECT count(*) FROM executions WHERE status = 'pending'),"
    " (SELECT count(*) FROM executions WHERE status = 'running'),"
    " (SELECT count(*) FROM executions WHERE status = 'completed'),"
    " (SELECT count(*) FROM executions WHERE status = 'failed'),"
    " (SELECT count(*) FROM executions WHERE status = 'cancelled'),"
    " (SELECT avg(duration_ms) FROM executions"
    "   WHERE status IN ('completed', 'failed', 'cancelled') AND duration_ms IS NOT NULL),"
    " (SELECT count(*) FROM executions WHERE started_at >= ?2)";

static const char tasks_sql[] = "SELECT (SELECT count(*) FROM tasks),"
                                " (SELECT count(*) FROM tasks WHERE enabled = 1),"
                                " (SELECT count(*) FROM task_versions)";

static const char schedules_sql[] =
    "SELECT (SELECT count(*) FROM schedules),"
    " (SELECT count(*) FROM schedules WHERE enabled = 1),"
    " (SELECT count(*) FROM schedules WHERE enabled = 1 AND next_run_at > 0"
    "   AND next_run_at <= ?1)";

static const stat_res resources[RS_STATS_COUNT] = {
    {SQ_STATS_JOBS, jobs_sql},
    {SQ_STATS_EXECS, executions_sql},
    {SQ_STATS_TASKS, tasks_sql},
    {SQ_STATS_SCHEDS, schedules_sql},
};

static ratchet_status stats_read(sq_inst *in, sq_conn *c, rs_stats_resource res, int64_t now,
                                 ratchet_buf *out)
{
    sqlite3_stmt *st = sq_stmt(in, c, resources[res].slot, resources[res].sql);
    if (!st)
        return RATCHET_ERR;
    sq_bind_int(st, 1, now);
    sq_bind_int(st, 2, now - RS_DAY_MS);
    int rc = sqlite3_step(st);
    ratchet_status s;
    if (rc == SQLITE_ROW) {
        rs_out o;
        rs_out_init(&o, out);
        rs_row row = sq_row(st);
        rs_emit_stats(&o, res, &row);
        s = rs_out_done(in->ctx, &o);
    } else {
        s = sq_fail(in, c, rc, "counting for stats");
    }
    sq_reset(st);
    return s;
}

ratchet_status sqlite_stats(void *instance, const char *resource, int64_t now_ms, ratchet_buf *out)
{
    sq_inst *in = instance;
    ratchet_status s = sq_ready(in);
    if (s != RATCHET_OK)
        return s;
    int res = rs_stats_find(in->ctx, resource);
    if (res < 0)
        return RATCHET_ERR;
    sq_conn *c = NULL;
    if ((s = sq_acquire(in, &c)) != RATCHET_OK)
        return s;
    s = stats_read(in, c, (rs_stats_resource)res, now_ms > 0 ? now_ms : sq_now_ms(), out);
    sq_release(in, c);
    return s;
}
