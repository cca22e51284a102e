/*
 * http_metrics.c - request counts by route pattern, method and status, and a latency
 * histogram by route pattern, in Prometheus text format (ratchet_http_*).
 *
 * Label values are bounded so a scanner cannot grow the series without end: routes are the
 * mounted patterns or "unmatched", methods the standard ones or "OTHER". Process-wide (one
 * http instance per process); thread-safe.
 */
#include <stdio.h>
#include <string.h>

#include "http_int.h"

static const double bounds[] = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
#define NB (sizeof bounds / sizeof bounds[0])

typedef struct series {
    char *route;
    char method[8];
    int status;
    uint64_t count;
} series;

typedef struct histo {
    char *route;
    uint64_t buckets[NB];
    uint64_t count;
    double sum;
} histo;

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static series *ser;
static size_t nser, capser;
static histo *his;
static size_t nhis, caphis;

static const char *method_label(const char *m)
{
    static const char *const known[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        if (strcmp(m, known[i]) == 0)
            return known[i];
    }
    return "OTHER";
}

static int grow(void **v, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return 0;
    size_t c = *cap ? *cap * 2 : 32;
    void *p = mhd_host->realloc(*v, c * size);
    if (!p)
        return -1;
    *v = p;
    *cap = c;
    return 0;
}

static histo *histo_for(const char *route)
{
    for (size_t i = 0; i < nhis; i++) {
        if (strcmp(his[i].route, route) == 0)
            return &his[i];
    }
    if (grow((void **)&his, &caphis, nhis, sizeof *his) != 0)
        return NULL;
    histo *h = &his[nhis];
    memset(h, 0, sizeof *h);
    if (!(h->route = mhd_host->strdup(route)))
        return NULL;
    nhis++;
    return h;
}

static series *series_for(const char *route, const char *method, int status)
{
    for (size_t i = 0; i < nser; i++) {
        if (ser[i].status == status && strcmp(ser[i].method, method) == 0 &&
            strcmp(ser[i].route, route) == 0)
            return &ser[i];
    }
    if (grow((void **)&ser, &capser, nser, sizeof *ser) != 0)
        return NULL;
    series *s = &ser[nser];
    memset(s, 0, sizeof *s);
    if (!(s->route = mhd_host->strdup(route)))
        return NULL;
    snprintf(s->method, sizeof s->method, "%s", method);
    s->status = status;
    nser++;
    return s;
}

void mhd_metrics_record(const char *pattern, const char *method, int status, int64_t dur_ns)
{
    const char *route = pattern ? pattern : "unmatched";
    double secs = (double)dur_ns / 1e9;
    pthread_mutex_lock(&mu);
    series *s = series_for(route, method_label(method), status);
    if (s)
        s->count++;
    histo *h = histo_for(route);
    if (h) {
        for (size_t i = 0; i < NB; i++)
            h->buckets[i] += secs <= bounds[i];
        h->count++;
        h->sum += secs;
    }
    pthread_mutex_unlock(&mu);
}

ratchet_status mhd_metrics_text(ratchet_buf *out)
{
    int bad = 0;
    pthread_mutex_lock(&mu);
    bad |= mhd_host->buf_printf(out, "# HELP ratchet_http_requests_total HTTP requests answered, "
                                     "by route pattern, method and status.\n"
                                     "# TYPE ratchet_http_requests_total counter\n") != RATCHET_OK;
    for (size_t i = 0; i < nser; i++)
        bad |= mhd_host->buf_printf(out,
                                    "ratchet_http_requests_total{route=\"%s\",method=\"%s\","
                                    "status=\"%d\"} %llu\n",
                                    ser[i].route, ser[i].method, ser[i].status,
                                    (unsigned long long)ser[i].count) != RATCHET_OK;
    bad |= mhd_host->buf_printf(out, "# HELP ratchet_http_request_duration_seconds Time from the "
                                     "request line to the end of the response, by route pattern.\n"
                                     "# TYPE ratchet_http_request_duration_seconds histogram\n") !=
           RATCHET_OK;
    for (size_t i = 0; i < nhis; i++) {
        const histo *h = &his[i];
        for (size_t b = 0; b < NB; b++)
            bad |= mhd_host->buf_printf(out,
                                        "ratchet_http_request_duration_seconds_bucket{route=\"%s\","
                                        "le=\"%g\"} %llu\n",
                                        h->route, bounds[b],
                                        (unsigned long long)h->buckets[b]) != RATCHET_OK;
        bad |= mhd_host->buf_printf(out,
                                    "ratchet_http_request_duration_seconds_bucket{route=\"%s\","
                                    "le=\"+Inf\"} %llu\n"
                                    "ratchet_http_request_duration_seconds_sum{route=\"%s\"} %.6f\n"
                                    "ratchet_http_request_duration_seconds_count{route=\"%s\"} "
                                    "%llu\n",
                                    h->route, (unsigned long long)h->count, h->route, h->sum,
                                    h->route, (unsigned long long)h->count) != RATCHET_OK;
    }
    pthread_mutex_unlock(&mu);
    return bad ? RATCHET_NOMEM : RATCHET_OK;
}

void mhd_metrics_reset(void)
{
    pthread_mutex_lock(&mu);
    for (size_t i = 0; i < nser; i++)
        mhd_host->free(ser[i].route);
    for (size_t i = 0; i < nhis; i++)
        mhd_host->free(his[i].route);
    mhd_host->free(ser);
    mhd_host->free(his);
    ser = NULL;
    his = NULL;
    nser = capser = nhis = caphis = 0;
    pthread_mutex_unlock(&mu);
}
