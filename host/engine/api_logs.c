/* host/engine/api_logs.c - finding events through ratchet.engine: logs_search (the storage's
 * log_search over execution log rows and the server's events) and logs_trends (failed
 * executions by matched error pattern per time bucket). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "api_int.h"
#include "core/core_layer.h"
#include "schedule.h"

#define TRENDS_PAGE      1000
#define TRENDS_MAX       10000
#define TRENDS_BUCKETS   2000 /* most buckets one answer holds */
#define SEARCH_LIMIT     100
#define SEARCH_LIMIT_MAX 1000

/* A time member: milliseconds, RFC 3339, or a duration ("90s", "2h") meaning that long ago.
 * 0 on success. */
static int parse_when(struct json_object *v, int64_t now, int64_t *ms)
{
    if (json_object_is_type(v, json_type_int)) {
        *ms = json_object_get_int64(v);
        return *ms >= 0 ? 0 : -1;
    }
    const char *s = json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
    if (!s || !*s)
        return -1;
    if (s[0] != '+' && rt_schedule_parse_time(s, ms) == 0)
        return 0;
    int64_t d = 0;
    rt_error err;
    if (rt_parse_duration_ms(s, &d, &err) != RATCHET_OK || d < 0)
        return -1;
    *ms = now - d;
    return 0;
}

static void add_cond(struct json_object *where, const char *field, const char *op,
                     struct json_object *value)
{
    struct json_object *c = json_object_new_object();
    json_object_object_add(c, "field", json_object_new_string(field));
    json_object_object_add(c, "op", json_object_new_string(op));
    json_object_object_add(c, "value", value);
    json_object_array_add(where, c);
}

static const char *const search_members[] = {"level",   "since",    "until",       "text",
                                             "traceId", "taskName", "executionId", "jobId",
                                             "source",  "limit",    "offset",      NULL};

/* A member of the search, copied as a condition when present (text or integer). */
static int copy_cond(struct json_object *q, const char *key, const char *field, const char *op,
                     int integer, struct json_object *where)
{
    struct json_object *v = rt_api_member(q, key);
    if (!v)
        return 0;
    if (integer ? !json_object_is_type(v, json_type_int) || json_object_get_int64(v) <= 0
                : !json_object_is_type(v, json_type_string) || !*json_object_get_string(v))
        return -1;
    add_cond(where, field, op,
             integer ? json_object_new_int64(json_object_get_int64(v))
                     : json_object_new_string(json_object_get_string(v)));
    return 0;
}

/* The engine's search members as the storage's query form; NULL with the error written. */
static struct json_object *search_query(struct json_object *q, ratchet_buf *out, size_t mark)
{
    json_object_object_foreach(q, key, val)
    {
        (void)val;
        size_t i = 0;
        while (search_members[i] && strcmp(search_members[i], key) != 0)
            i++;
        if (!search_members[i]) {
            rt_api_fail(out, mark, "VALIDATION_ERROR", NULL,
                        "unknown search member '%.40s' (accepted: level, since, until, text, "
                        "traceId, taskName, executionId, jobId, source, limit, offset)",
                        key);
            return NULL;
        }
    }
    struct json_object *sq = json_object_new_object(), *where = json_object_new_array();
    json_object_object_add(sq, "where", where);
    const char *bad = NULL;
    const char *level = rt_api_str(q, "level"), *source = rt_api_str(q, "source");
    int lv = level ? rt_pattern_level(level) : -2;
    if (lv == -1)
        bad = "level: expected trace|debug|info|warn|error";
    else if (lv >= 0)
        add_cond(where, "level", "gte", json_object_new_int(lv));
    int64_t now = rt_api_now_ms(), t = 0;
    if (!bad && rt_api_member(q, "since") && parse_when(rt_api_member(q, "since"), now, &t) != 0)
        bad = "since: expected RFC 3339, milliseconds or a duration such as 2h (that long ago)";
    else if (rt_api_member(q, "since"))
        add_cond(where, "time", "gte", json_object_new_int64(t));
    if (!bad && rt_api_member(q, "until") && parse_when(rt_api_member(q, "until"), now, &t) != 0)
        bad = "until: expected RFC 3339, milliseconds or a duration such as 2h (that long ago)";
    else if (rt_api_member(q, "until"))
        add_cond(where, "time", "lte", json_object_new_int64(t));
    if (!bad && (copy_cond(q, "text", "text", "like", 0, where) ||
                 copy_cond(q, "traceId", "traceId", "eq", 0, where) ||
                 copy_cond(q, "taskName", "taskName", "eq", 0, where)))
        bad = "text, traceId and taskName: expected non-empty text";
    if (!bad && (copy_cond(q, "executionId", "executionId", "eq", 1, where) ||
                 copy_cond(q, "jobId", "jobId", "eq", 1, where)))
        bad = "executionId and jobId: expected a positive integer";
    if (!bad && source && strcmp(source, "all") != 0) {
        if (strcmp(source, "execution") != 0 && strcmp(source, "server") != 0)
            bad = "source: expected all, execution or server";
        else
            add_cond(where, "origin", "eq", json_object_new_string(source));
    }
    int64_t limit =
        rt_api_member(q, "limit") ? json_object_get_int64(rt_api_member(q, "limit")) : SEARCH_LIMIT;
    int64_t offset = json_object_get_int64(rt_api_member(q, "offset"));
    if (!bad && (limit < 1 || limit > SEARCH_LIMIT_MAX || offset < 0))
        bad = "limit: expected 1..1000 (offset: 0 or more)";
    if (bad) {
        json_object_put(sq);
        rt_api_fail(out, mark, "VALIDATION_ERROR", NULL, "%s", bad);
        return NULL;
    }
    json_object_object_add(sq, "sort", json_object_new_string("time"));
    json_object_object_add(sq, "order", json_object_new_string("desc"));
    json_object_object_add(sq, "limit", json_object_new_int64(limit));
    json_object_object_add(sq, "offset", json_object_new_int64(offset));
    return sq;
}

ratchet_status rt_logs_search(const ratchet_storage_vtable *vt, void *si, const char *query_json,
                              ratchet_buf *out)
{
    size_t mark = out->len;
    if (!RATCHET_HAS_FIELD(vt, ratchet_storage_vtable, log_search))
        return rt_api_unsupported(out, mark, "searching logs");
    struct json_object *q =
        rt_api_parse_object(query_json && *query_json ? query_json : "{}", "the search", out, mark);
    struct json_object *sq = q ? search_query(q, out, mark) : NULL;
    json_object_put(q);
    if (!sq)
        return RATCHET_ERR;
    rt_error_clear();
    ratchet_status rc =
        vt->log_search(si, json_object_to_json_string_ext(sq, JSON_C_TO_STRING_PLAIN), out);
    json_object_put(sq);
    return rc == RATCHET_OK ? rc : rt_api_storage_fail(out, mark, rc, "log search");
}

static ratchet_status logs_search(const char *query_json, ratchet_buf *out)
{
    rt_api *a = rt_api_enter(out, out->len);
    return a ? rt_logs_search(a->vt, a->si, query_json, out) : RATCHET_ERR;
}

/* ---- trends ------------------------------------------------------------------------------- */

typedef struct trends {
    int64_t from, to, bucket_ms;
    size_t nbuckets;
    struct json_object **buckets; /* {time, failed, patterns: {}} */
    struct json_object *totals;   /* id -> {id, name, count} */
    int64_t unmatched, seen;
} trends;

static void count_failure(trends *t, struct json_object *exec)
{
    int64_t at = 0;
    const char *done = rt_api_str(exec, "completedAt");
    if (!done || rt_schedule_parse_time(done, &at) != 0 || at < t->from || at >= t->to)
        return;
    struct json_object *b = t->buckets[(at - t->from) / t->bucket_ms];
    json_object_object_add(
        b, "failed", json_object_new_int64(json_object_get_int64(rt_api_member(b, "failed")) + 1));
    struct json_object *pats = rt_api_member(rt_api_member(exec, "analysis"), "patterns"),
                       *own = NULL;
    if (!pats) { /* failed before 1.8 stored its analysis: match it now */
        struct json_object *e = rt_api_member(exec, "error");
        pats = own = rt_analysis_patterns(e ? json_object_to_json_string(e) : NULL, NULL,
                                          rt_api_str(exec, "taskName"));
    }
    size_t n = json_object_array_length(pats);
    if (n == 0)
        t->unmatched++;
    for (size_t i = 0; i < n; i++) {
        struct json_object *p = json_object_array_get_idx(pats, i),
                           *bp = rt_api_member(b, "patterns");
        const char *id = rt_api_str(p, "id");
        if (!id)
            continue;
        json_object_object_add(
            bp, id, json_object_new_int64(json_object_get_int64(rt_api_member(bp, id)) + 1));
        struct json_object *tot = rt_api_member(t->totals, id);
        if (!tot) {
            tot = json_object_new_object();
            json_object_object_add(tot, "id", json_object_new_string(id));
            json_object_object_add(
                tot, "name",
                json_object_new_string(rt_api_str(p, "name") ? rt_api_str(p, "name") : id));
            json_object_object_add(t->totals, id, tot);
        }
        json_object_object_add(
            tot, "count",
            json_object_new_int64(json_object_get_int64(rt_api_member(tot, "count")) + 1));
    }
    json_object_put(own);
}

/* Read the failed executions of [from, to) page by page into t. */
static ratchet_status read_failures(rt_api *a, trends *t, int *truncated, ratchet_buf *out,
                                    size_t mark)
{
    char q[320];
    for (int64_t offset = 0; offset < TRENDS_MAX; offset += TRENDS_PAGE) {
        snprintf(q, sizeof q,
                 "{\"where\":[{\"field\":\"status\",\"op\":\"eq\",\"value\":\"failed\"},"
                 "{\"field\":\"completedAt\",\"op\":\"gte\",\"value\":%lld},"
                 "{\"field\":\"completedAt\",\"op\":\"lt\",\"value\":%lld}],"
                 "\"sort\":\"completedAt\",\"order\":\"desc\",\"limit\":%d,\"offset\":%lld}",
                 (long long)t->from, (long long)t->to, TRENDS_PAGE, (long long)offset);
        ratchet_buf buf = RATCHET_BUF_INIT;
        rt_error_clear();
        ratchet_status rc = a->vt->execution_list(a->si, q, &buf);
        struct json_object *page = rt_api_stored(rc, &buf, "failed executions", out, mark);
        if (!page)
            return RATCHET_ERR;
        struct json_object *items = rt_api_member(page, "items");
        size_t n = json_object_array_length(items);
        for (size_t i = 0; i < n; i++)
            count_failure(t, json_object_array_get_idx(items, i));
        int64_t total = json_object_get_int64(rt_api_member(page, "total"));
        json_object_put(page);
        *truncated = total > TRENDS_MAX;
        if (n < TRENDS_PAGE)
            break;
    }
    return RATCHET_OK;
}

static int by_count(const void *x, const void *y)
{
    int64_t a = json_object_get_int64(rt_api_member(*(struct json_object *const *)x, "count"));
    int64_t b = json_object_get_int64(rt_api_member(*(struct json_object *const *)y, "count"));
    return a < b ? 1 : a > b ? -1 : 0;
}

static struct json_object *time_string(int64_t ms)
{
    ratchet_buf b = RATCHET_BUF_INIT;
    rt_buf_time_iso8601(&b, ms * 1000);
    struct json_object *s = json_object_new_string(b.data ? b.data : "");
    rt_buf_free(&b);
    return s;
}

static ratchet_status trends_answer(trends *t, int truncated, ratchet_buf *out, size_t mark)
{
    struct json_object *o = json_object_new_object(), *b = json_object_new_array();
    struct json_object *pats = json_object_new_array();
    json_object_object_add(o, "from", time_string(t->from));
    json_object_object_add(o, "to", time_string(t->to));
    json_object_object_add(o, "bucketSeconds", json_object_new_int64(t->bucket_ms / 1000));
    for (size_t i = 0; i < t->nbuckets; i++) {
        json_object_array_add(b, t->buckets[i]);
        t->buckets[i] = NULL;
    }
    json_object_object_add(o, "buckets", b);
    json_object_object_foreach(t->totals, id, tot)
    {
        (void)id;
        json_object_array_add(pats, json_object_get(tot));
    }
    json_object_array_sort(pats, by_count);
    json_object_object_add(o, "patterns", pats);
    json_object_object_add(o, "unmatched", json_object_new_int64(t->unmatched));
    json_object_object_add(o, "truncated", json_object_new_boolean(truncated));
    ratchet_status rc = rt_api_put(out, o);
    json_object_put(o);
    return rc == RATCHET_OK ? rc : rt_api_fail(out, mark, "INTERNAL_ERROR", NULL, "out of memory");
}

/* since/until/bucketMinutes of the trends query into t; the error written otherwise. */
static ratchet_status trends_range(struct json_object *q, trends *t, ratchet_buf *out, size_t mark)
{
    int64_t now = rt_api_now_ms();
    t->to = now;
    t->from = now - 24 * 3600 * 1000;
    struct json_object *bm = rt_api_member(q, "bucketMinutes");
    int64_t minutes = bm ? json_object_get_int64(bm) : 60;
    if ((rt_api_member(q, "since") && parse_when(rt_api_member(q, "since"), now, &t->from) != 0) ||
        (rt_api_member(q, "until") && parse_when(rt_api_member(q, "until"), now, &t->to) != 0))
        return rt_api_fail(out, mark, "VALIDATION_ERROR", NULL,
                           "since/until: expected RFC 3339, milliseconds or a duration such as "
                           "2h (that long ago)");
    if (!bm ? 0 : !json_object_is_type(bm, json_type_int) || minutes < 1 || minutes > 1440)
        return rt_api_fail(out, mark, "VALIDATION_ERROR", NULL, "bucketMinutes: expected 1..1440");
    if (t->to <= t->from)
        return rt_api_fail(out, mark, "VALIDATION_ERROR", NULL, "since must be before until");
    t->bucket_ms = minutes * 60000;
    t->from -= t->from % t->bucket_ms; /* buckets start on whole multiples */
    size_t n = (size_t)((t->to - t->from + t->bucket_ms - 1) / t->bucket_ms);
    if (n > TRENDS_BUCKETS)
        return rt_api_fail(out, mark, "VALIDATION_ERROR", NULL,
                           "the range holds %zu buckets; at most %d (widen bucketMinutes)", n,
                           TRENDS_BUCKETS);
    t->nbuckets = n;
    return RATCHET_OK;
}

static ratchet_status logs_trends(const char *query_json, ratchet_buf *out)
{
    size_t mark = out->len;
    rt_api *a = rt_api_enter(out, mark);
    if (!a)
        return RATCHET_ERR;
    if (!rt_api_storage14(a))
        return rt_api_unsupported(out, mark, "failure trends");
    struct json_object *q = rt_api_parse_object(query_json && *query_json ? query_json : "{}",
                                                "the trends query", out, mark);
    if (!q)
        return RATCHET_ERR;
    trends t = {0};
    ratchet_status rc = trends_range(q, &t, out, mark);
    json_object_put(q);
    if (rc != RATCHET_OK)
        return rc;
    t.buckets = calloc(t.nbuckets, sizeof *t.buckets);
    t.totals = json_object_new_object();
    for (size_t i = 0; t.buckets && i < t.nbuckets; i++) {
        t.buckets[i] = json_object_new_object();
        json_object_object_add(t.buckets[i], "time",
                               time_string(t.from + (int64_t)i * t.bucket_ms));
        json_object_object_add(t.buckets[i], "failed", json_object_new_int64(0));
        json_object_object_add(t.buckets[i], "patterns", json_object_new_object());
    }
    int truncated = 0;
    rc = !t.buckets ? rt_api_fail(out, mark, "INTERNAL_ERROR", NULL, "out of memory")
                    : read_failures(a, &t, &truncated, out, mark);
    if (rc == RATCHET_OK)
        rc = trends_answer(&t, truncated, out, mark);
    for (size_t i = 0; t.buckets && i < t.nbuckets; i++)
        json_object_put(t.buckets[i]);
    free(t.buckets);
    json_object_put(t.totals);
    return rc;
}

void rt_api_fill_logs(ratchet_engine_api *t)
{
    t->logs_search = logs_search;
    t->logs_trends = logs_trends;
}
