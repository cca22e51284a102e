/*
 * sqlite_stats.c - stats(): counts of jobs, executions, tasks and schedules for the statistics
 * endpoints and the metrics scrape.
 *
 * Each resource is one statement of scalar subqueries, so its numbers come from one snapshot
 * (a total always equals the sum of its parts). Every count is served by an index (status,
 * priority, queued_at, started_at), so a scrape stays cheap on a large queue.
 */
#include <string.h>

#include "sqlite_int.h"

#define DAY_MS INT64_C(86400000)

typedef enum stat_kind {
    ST_INT,  /* an integer */
    ST_TIME, /* a time, null when none */
    ST_AVG,  /* an average, rounded, null when none */
} stat_kind;

/* One output value: its key, the object it belongs in (NULL: top level), how to write it. */
typedef struct stat_col {
    const char *key, *group;
    stat_kind kind;
} stat_col;

typedef struct stat_res {
    const char *name;
    sq_slot slot;
    const char *sql; /* ?1 now, ?2 now - 24h; one row, one column per stat_col */
    const stat_col *cols;
} stat_res;

static const stat_col job_cols[] = {
    {"total", NULL, ST_INT},
    {"queued", "byStatus", ST_INT},
    {"processing", "byStatus", ST_INT},
    {"completed", "byStatus", ST_INT},
    {"failed", "byStatus", ST_INT},
    {"cancelled", "byStatus", ST_INT},
    {"retrying", "byStatus", ST_INT},
    {"low", "byPriority", ST_INT},
    {"normal", "byPriority", ST_INT},
    {"high", "byPriority", ST_INT},
    {"urgent", "byPriority", ST_INT},
    {"last24h", NULL, ST_INT},
    {"oldestQueuedAt", NULL, ST_TIME},
    {NULL, NULL, ST_INT},
};

static const stat_col exec_cols[] = {
    {"total", NULL, ST_INT},
    {"pending", "byStatus", ST_INT},
    {"running", "byStatus", ST_INT},
    {"completed", "byStatus", ST_INT},
    {"failed", "byStatus", ST_INT},
    {"cancelled", "byStatus", ST_INT},
    {"averageDurationMs", NULL, ST_AVG},
    {"last24h", NULL, ST_INT},
    {NULL, NULL, ST_INT},
};

static const stat_col task_cols[] = {
    {"total", NULL, ST_INT},
    {"enabled", NULL, ST_INT},
    {"versions", NULL, ST_INT},
    {NULL, NULL, ST_INT},
};

static const stat_col sched_cols[] = {
    {"total", NULL, ST_INT},
    {"enabled", NULL, ST_INT},
    {"due", NULL, ST_INT},
    {NULL, NULL, ST_INT},
};

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

static const stat_res resources[] = {
    {"jobs", SQ_STATS_JOBS, jobs_sql, job_cols},
    {"executions", SQ_STATS_EXECS, executions_sql, exec_cols},
    {"tasks", SQ_STATS_TASKS, tasks_sql, task_cols},
    {"schedules", SQ_STATS_SCHEDS, schedules_sql, sched_cols},
};

#define RESOURCE_COUNT (sizeof resources / sizeof *resources)

/* Write the row: top-level values in order, each group as an object at its first member. */
static void emit_stats(sq_out *o, const stat_col *cols, sqlite3_stmt *st)
{
    sq_out_begin(o, NULL, '{');
    const char *open = NULL;
    for (int i = 0; cols[i].key; i++) {
        const char *g = cols[i].group;
        if (open && (!g || strcmp(g, open) != 0)) {
            sq_out_end(o, '}');
            open = NULL;
        }
        if (g && !open) {
            sq_out_begin(o, g, '{');
            open = g;
        }
        if (sqlite3_column_type(st, i) == SQLITE_NULL && cols[i].kind != ST_INT)
            sq_out_json(o, cols[i].key, NULL);
        else if (cols[i].kind == ST_TIME)
            sq_out_col_time(o, cols[i].key, st, i);
        else if (cols[i].kind == ST_AVG)
            sq_out_int(o, cols[i].key, (int64_t)(sqlite3_column_double(st, i) + 0.5));
        else
            sq_out_int(o, cols[i].key, sqlite3_column_int64(st, i));
    }
    if (open)
        sq_out_end(o, '}');
    sq_out_end(o, '}');
}

static ratchet_status stats_read(sq_inst *in, sq_conn *c, const stat_res *r, int64_t now,
                                 ratchet_buf *out)
{
    sqlite3_stmt *st = sq_stmt(in, c, r->slot, r->sql);
    if (!st)
        return RATCHET_ERR;
    sq_bind_int(st, 1, now);
    sq_bind_int(st, 2, now - DAY_MS);
    int rc = sqlite3_step(st);
    ratchet_status s;
    if (rc == SQLITE_ROW) {
        sq_out o;
        sq_out_init(&o, out);
        emit_stats(&o, r->cols, st);
        s = sq_out_done(in, &o);
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
    const stat_res *r = NULL;
    for (size_t i = 0; i < RESOURCE_COUNT && !r; i++)
        if (resource && strcmp(resources[i].name, resource) == 0)
            r = &resources[i];
    if (!r) {
        sq_host->set_error(in->ctx,
                           "stats: unknown resource '%s' (expected jobs, executions, "
                           "tasks or schedules)",
                           resource ? resource : "(null)");
        return RATCHET_ERR;
    }
    sq_conn *c = NULL;
    if ((s = sq_acquire(in, &c)) != RATCHET_OK)
        return s;
    s = stats_read(in, c, r, now_ms > 0 ? now_ms : sq_now_ms(), out);
    sq_release(in, c);
    return s;
}
