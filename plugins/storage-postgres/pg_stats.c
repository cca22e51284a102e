/*
 * pg_stats.c - stats(): counts of jobs, executions, tasks and schedules for the statistics
 * endpoints and the metrics scrape.
 *
 * Each resource is one statement of scalar subqueries, so its numbers come from one snapshot
 * (a total always equals the sum of its parts). Every count is served by an index (status,
 * priority, queued_at, started_at), so a scrape stays cheap on a large queue.
 */
#include <stdint.h>

#include "pg_int.h"
#include "../storage-common/rs_stats.h"

/* The statement of each rs_stats_resource, at its index. */
typedef struct stat_res {
    pg_slot slot;
    int param;       /* what $1 is: 0 none, 1 now, 2 now - 24h */
    const char *sql; /* one row, one column per stat_col */
} stat_res;

static const char jobs_sql[] =
    "SELECT (SELECT count(*) FROM jobs),"
    " (SELECT count(*) FROM jobs WHERE status = 'queued'),"
    " (SELECT count(*) FROM jobs WHERE status = 'processing'),"
    " (SELECT count(*) FROM jobs WHERE status = 'completed'),"
    " (SELECT count(*) FROM jobs WHERE status = 'failed'),"
    " (SELECT count(*) FROM jobs WHERE status = 'cancelled'),"
    " (SELECT count(*) FROM jobs WHERE status = 'retrying'),"
    " (SELECT count(*) FROM jobs WHERE priority = 1),"
    " (SELECT count(*) FROM jobs WHERE priority = 2),"
    " (SELECT count(*) FROM jobs WHERE priority = 3),"
    " (SELECT count(*) FROM jobs WHERE priority = 4),"
    " (SELECT count(*) FROM jobs WHERE queued_at >= $1),"
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
    " (SELECT count(*) FROM executions WHERE started_at >= $1)";

static const char tasks_sql[] = "SELECT (SELECT count(*) FROM tasks),"
                                " (SELECT count(*) FROM tasks WHERE enabled),"
                                " (SELECT count(*) FROM task_versions)";

static const char schedules_sql[] =
    "SELECT (SELECT count(*) FROM schedules),"
    " (SELECT count(*) FROM schedules WHERE enabled),"
    " (SELECT count(*) FROM schedules WHERE enabled AND next_run_at > 0"
    "   AND next_run_at <= $1)";

static const stat_res resources[RS_STATS_COUNT] = {
    {PG_STATS_JOBS, 2, jobs_sql},
    {PG_STATS_EXECS, 2, executions_sql},
    {PG_STATS_TASKS, 0, tasks_sql},
    {PG_STATS_SCHEDS, 1, schedules_sql},
};

static ratchet_status stats_read(pg_inst *in, pg_conn *c, rs_stats_resource res, int64_t now,
                                 ratchet_buf *out)
{
    const stat_res *sr = &resources[res];
    pg_params p;
    pp_init(&p);
    if (sr->param)
        pp_int(&p, sr->param == 1 ? now : now - RS_DAY_MS);
    PGresult *r = NULL;
    ratchet_status s = pg_run(in, c, sr->slot, sr->sql, &p, "counting for stats", &r);
    if (s != RATCHET_OK)
        return s;
    rs_out o;
    rs_out_init(&o, out);
    rs_row row = pg_row(r, 0);
    rs_emit_stats(&o, res, &row);
    PQclear(r);
    return rs_out_done(in->ctx, &o);
}

ratchet_status pgs_stats(void *instance, const char *resource, int64_t now_ms, ratchet_buf *out)
{
    pg_inst *in = instance;
    ratchet_status s = pg_ready(in);
    if (s != RATCHET_OK)
        return s;
    int res = rs_stats_find(in->ctx, resource);
    if (res < 0)
        return RATCHET_ERR;
    pg_conn *c = NULL;
    if ((s = pg_acquire(in, &c)) != RATCHET_OK)
        return s;
    s = stats_read(in, c, (rs_stats_resource)res, now_ms > 0 ? now_ms : pg_now_ms(), out);
    pg_release(in, c);
    return s;
}
