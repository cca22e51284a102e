/*
 * rs_stats.h - storage-common: the answers of stats() (counts for the statistics endpoints
 * and the metrics scrape), written from one row per resource.
 */
#ifndef RS_STATS_H
#define RS_STATS_H

#include <stdint.h>

#include "rs_out.h"

#define RS_DAY_MS INT64_C(86400000)

/* The resources, in the order of rs_stats_find's answers; each plugin keeps its statement of
 * each at this index. The columns of each row:
 *   jobs: total; queued, processing, completed, failed, cancelled, retrying; priority 1..4;
 *         queued in the last 24 hours; the oldest queued_at (NULL: none)
 *   executions: total; pending, running, completed, failed, cancelled; the average
 *               duration_ms (NULL: none); started in the last 24 hours
 *   tasks: total, enabled, versions
 *   schedules: total, enabled, due (enabled with next_run_at in (0, now]) */
typedef enum rs_stats_resource {
    RS_STATS_JOBS,
    RS_STATS_EXECUTIONS,
    RS_STATS_TASKS,
    RS_STATS_SCHEDULES,
    RS_STATS_COUNT
} rs_stats_resource;

/* The resource called `name` (may be NULL), or -1 after set_error naming the ones there are. */
int rs_stats_find(ratchet_ctx *ctx, const char *name);
/* Write the resource's row as its answer (groups byStatus, byPriority as objects; a NULL time
 * or average as null, a NULL count as 0). */
void rs_emit_stats(rs_out *o, rs_stats_resource res, const rs_row *r);

#endif /* RS_STATS_H */
