/* host/engine/histogram.c - fixed-bucket duration histograms (see histogram.h). */
#include "histogram.h"

#include "core/core_layer.h"

static const double bounds[RT_HISTOGRAM_BUCKETS - 1] = {0.001, 0.005, 0.01, 0.05, 0.1, 0.5,
                                                        1,     5,     10,   30,   60,  300};

const double *rt_histogram_bounds(void)
{
    return bounds;
}

void rt_histogram_observe(rt_histogram *h, double seconds)
{
    size_t i = 0;
    while (i < RT_HISTOGRAM_BUCKETS - 1 && seconds > bounds[i])
        i++;
    h->counts[i]++;
    h->count++;
    h->sum += seconds < 0 ? 0 : seconds;
}

ratchet_status rt_histogram_write(ratchet_buf *out, const char *name, const char *help,
                                  const rt_histogram *h)
{
    ratchet_status rc = rt_buf_printf(out, "# HELP %s %s\n# TYPE %s histogram\n", name, help, name);
    uint64_t cumulative = 0;
    for (size_t i = 0; rc == RATCHET_OK && i < RT_HISTOGRAM_BUCKETS; i++) {
        cumulative += h->counts[i];
        if (i < RT_HISTOGRAM_BUCKETS - 1)
            rc = rt_buf_printf(out, "%s_bucket{le=\"%g\"} %llu\n", name, bounds[i],
                               (unsigned long long)cumulative);
        else
            rc = rt_buf_printf(out, "%s_bucket{le=\"+Inf\"} %llu\n", name,
                               (unsigned long long)cumulative);
    }
    if (rc == RATCHET_OK)
        rc = rt_buf_printf(out, "%s_sum %.6f\n%s_count %llu\n", name, h->sum, name,
                           (unsigned long long)h->count);
    return rc;
}
