/*
 * host/engine/api_timeline.c - stats_timeline: executions completed and failed per minute.
 *
 * Each minute's two numbers are counts the storage makes (an executions list with a status
 * and a completedAt range, limit 1: its `total`), so no execution record is read or copied.
 * A minute that ended more than CLOSED_AFTER minutes ago does not change any more (executions
 * are stamped when they end), so its counts are kept in a process-wide ring and asked for once;
 * a dashboard that polls every few seconds then costs the storage four counts per poll.
 *
 * Threading: any thread; the ring is guarded by its mutex, held only to read or store.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_int.h"

#define TIMELINE_MAX 1440 /* minutes: the ring's size too */
#define CLOSED_AFTER 2    /* minutes after which a minute's counts are final */

typedef struct minute_counts {
    int64_t minute; /* since the epoch; 0: empty slot */
    int64_t completed, failed;
} minute_counts;

static pthread_mutex_t ring_lock = PTHREAD_MUTEX_INITIALIZER;
static minute_counts ring[TIMELINE_MAX];

/* How many executions of `status` ended in [from, to) (UTC seconds), into *n. */
static ratchet_status count(const char *status, int64_t from, int64_t to, int64_t *n,
                            ratchet_buf *out, size_t mark)
{
    char a[48], b[48], query[320];
    rt_api_utc_text(from, a, sizeof a);
    rt_api_utc_text(to, b, sizeof b);
    snprintf(query, sizeof query,
             "{\"where\":[{\"field\":\"status\",\"op\":\"eq\",\"value\":\"%s\"},"
             "{\"field\":\"completedAt\",\"op\":\"gte\",\"value\":\"%s\"},"
             "{\"field\":\"completedAt\",\"op\":\"lt\",\"value\":\"%s\"}],\"limit\":1}",
             status, a, b);
    ratchet_buf text = RATCHET_BUF_INIT;
    ratchet_status rc = rt_api_table()->executions_list(query, &text);
    struct json_object *page = rc == RATCHET_OK ? json_tokener_parse(text.data) : NULL;
    struct json_object *total = rt_api_member(page, "total");
    if (rc == RATCHET_OK && !total)
        rc = rt_api_fail(&text, 0, "INTERNAL_ERROR", NULL, "the execution list has no total");
    if (rc != RATCHET_OK) { /* the error object, where the caller's answer goes */
        out->len = mark;
        rt_buf_puts(out, text.data ? text.data : "{}");
    } else
        *n = json_object_get_int64(total);
    json_object_put(page);
    rt_buf_free(&text);
    return rc;
}

/* The counts of minute `m` (since the epoch), from the ring when it is closed and known. */
static ratchet_status minute_of(int64_t m, int64_t now_min, minute_counts *c, ratchet_buf *out,
                                size_t mark)
{
    int closed = m < now_min - CLOSED_AFTER;
    minute_counts *slot = &ring[m % TIMELINE_MAX];
    pthread_mutex_lock(&ring_lock);
    int known = closed && slot->minute == m;
    if (known)
        *c = *slot;
    pthread_mutex_unlock(&ring_lock);
    if (known)
        return RATCHET_OK;
    c->minute = m;
    ratchet_status rc = count("completed", m * 60, m * 60 + 60, &c->completed, out, mark);
    if (rc == RATCHET_OK)
        rc = count("failed", m * 60, m * 60 + 60, &c->failed, out, mark);
    if (rc == RATCHET_OK && closed) {
        pthread_mutex_lock(&ring_lock);
        *slot = *c;
        pthread_mutex_unlock(&ring_lock);
    }
    return rc;
}

static ratchet_status stats_timeline(int minutes, ratchet_buf *out)
{
    size_t mark = out->len;
    if (!rt_api_enter(out, mark))
        return RATCHET_ERR;
    if (minutes < 1 || minutes > TIMELINE_MAX)
        return rt_api_fail(out, mark, "VALIDATION_ERROR", NULL, "minutes must be 1 to %d, not %d",
                           TIMELINE_MAX, minutes);
    int64_t now_min = rt_api_now_ms() / 60000, first = now_min - minutes + 1;
    char t[48];
    rt_api_utc_text(first * 60, t, sizeof t);
    rt_buf_printf(out, "{\"from\":\"%s\",", t);
    rt_api_utc_text((now_min + 1) * 60, t, sizeof t);
    rt_buf_printf(out, "\"to\":\"%s\",\"bucketSeconds\":60,\"buckets\":[", t);
    for (int i = 0; i < minutes; i++) {
        minute_counts c;
        ratchet_status rc = minute_of(first + i, now_min, &c, out, mark);
        if (rc != RATCHET_OK)
            return rc;
        rt_api_utc_text((first + i) * 60, t, sizeof t);
        rt_buf_printf(out, "%s{\"time\":\"%s\",\"completed\":%lld,\"failed\":%lld}", i ? "," : "",
                      t, (long long)c.completed, (long long)c.failed);
    }
    return rt_buf_puts(out, "]}");
}

void rt_api_fill_timeline(ratchet_engine_api *t)
{
    t->stats_timeline = stats_timeline;
}
