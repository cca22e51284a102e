/*
 * rs_stats.c - the shape of stats() answers: which values each resource has, in which group,
 * and how each is written. The plugins select one row per resource with these columns in
 * this order (scalar subqueries, so that the numbers come from one snapshot).
 */
#include <string.h>

#include "rs_stats.h"

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

static const stat_col *const resource_cols[RS_STATS_COUNT] = {
    [RS_STATS_JOBS] = job_cols,
    [RS_STATS_EXECUTIONS] = exec_cols,
    [RS_STATS_TASKS] = task_cols,
    [RS_STATS_SCHEDULES] = sched_cols,
};

static const char *const resource_names[RS_STATS_COUNT] = {"jobs", "executions", "tasks",
                                                           "schedules"};

int rs_stats_find(ratchet_ctx *ctx, const char *name)
{
    for (int i = 0; i < RS_STATS_COUNT; i++)
        if (name && strcmp(resource_names[i], name) == 0)
            return i;
    rs_host->set_error(ctx,
                       "stats: unknown resource '%s' (expected jobs, executions, "
                       "tasks or schedules)",
                       name ? name : "(null)");
    return -1;
}

/* Write the row: top-level values in order, each group as an object at its first member. */
void rs_emit_stats(rs_out *o, rs_stats_resource res, const rs_row *r)
{
    const stat_col *cols = resource_cols[res];
    rs_out_begin(o, NULL, '{');
    const char *open = NULL;
    for (int i = 0; cols[i].key; i++) {
        const char *g = cols[i].group;
        if (open && (!g || strcmp(g, open) != 0)) {
            rs_out_end(o, '}');
            open = NULL;
        }
        if (g && !open) {
            rs_out_begin(o, g, '{');
            open = g;
        }
        if (r->ops->is_null(r, i) && cols[i].kind != ST_INT)
            rs_out_json(o, cols[i].key, NULL);
        else if (cols[i].kind == ST_TIME)
            rs_out_col_time(o, cols[i].key, r, i);
        else if (cols[i].kind == ST_AVG)
            rs_out_int(o, cols[i].key, (int64_t)(r->ops->real(r, i) + 0.5));
        else
            rs_out_int(o, cols[i].key, r->ops->int64(r, i));
    }
    if (open)
        rs_out_end(o, '}');
    rs_out_end(o, '}');
}
