/*
 * host/engine/histogram.h - fixed-bucket histograms of durations (seconds), as Prometheus shows
 * them: the engine observes execution durations and queue waits; the API prints them.
 *
 * Threading: none inside; the owner serialises (the engine keeps its histograms under its
 * snapshot mutex and hands out copies).
 */
#ifndef RT_HISTOGRAM_H
#define RT_HISTOGRAM_H

#include <stdint.h>

#include "ratchet/host.h"

#define RT_HISTOGRAM_BUCKETS 13

typedef struct rt_histogram {
    uint64_t counts[RT_HISTOGRAM_BUCKETS]; /* per bucket (not cumulative); the last is +Inf */
    uint64_t count;
    double sum;
} rt_histogram;

/* The buckets' upper bounds in seconds (RT_HISTOGRAM_BUCKETS - 1 of them, ascending). */
const double *rt_histogram_bounds(void);

void rt_histogram_observe(rt_histogram *h, double seconds);

/* Append `name` as a Prometheus histogram: # HELP, # TYPE, cumulative name_bucket{le=...},
 * name_sum and name_count lines. */
ratchet_status rt_histogram_write(ratchet_buf *out, const char *name, const char *help,
                                  const rt_histogram *h);

#endif
