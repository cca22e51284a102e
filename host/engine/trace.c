/* host/engine/trace.c - W3C trace ids, traceparent, a job's trace in its meta, spans handed to
 * the exporter (see trace.h). */
#include "trace.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

int64_t rt_trace_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* n random bytes as 2n hex digits, never all zero (W3C: an all-zero id is invalid). */
static void random_hex(char *out, size_t n)
{
    unsigned char bytes[16];
    int zero = 1;
    while (zero) {
        size_t got = 0;
        while (got < n) {
            ssize_t r = getrandom(bytes + got, n - got, 0);
            if (r <= 0) { /* no entropy source: time and address, still unique enough */
                uint64_t x = (uint64_t)rt_trace_now_ns() ^ (uint64_t)(uintptr_t)out;
                for (; got < n; got++, x = x * 6364136223846793005ULL + 1)
                    bytes[got] = (unsigned char)(x >> 56);
                break;
            }
            got += (size_t)r;
        }
        for (size_t i = 0; i < n; i++)
            zero &= bytes[i] == 0;
    }
    for (size_t i = 0; i < n; i++)
        snprintf(out + 2 * i, 3, "%02x", bytes[i]);
}

/* 12 hex digits of milliseconds since the epoch, then 20 random ones (see trace.h). */
#define RT_TRACE_TIME_HEX 12

void rt_trace_new_id(char out[RT_TRACE_ID_LEN + 1])
{
    static const char hex[] = "0123456789abcdef";
    uint64_t ms = (uint64_t)(rt_trace_now_ns() / 1000000);
    for (int i = RT_TRACE_TIME_HEX - 1; i >= 0; i--, ms >>= 4)
        out[i] = hex[ms & 15];
    random_hex(out + RT_TRACE_TIME_HEX, (RT_TRACE_ID_LEN - RT_TRACE_TIME_HEX) / 2);
}

void rt_trace_new_span(char out[RT_SPAN_ID_LEN + 1])
{
    random_hex(out, RT_SPAN_ID_LEN / 2);
}

/* 1 when s[0..n) are lowercase hex digits, not all '0'. */
static int hex_id(const char *s, size_t n, int *all_zero)
{
    *all_zero = 1;
    for (size_t i = 0; i < n; i++) {
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return 0;
        *all_zero &= s[i] == '0';
    }
    return 1;
}

ratchet_status rt_traceparent_parse(const char *h, char trace[RT_TRACE_ID_LEN + 1],
                                    char span[RT_SPAN_ID_LEN + 1], rt_error *err)
{
    int zero = 0, zt = 0, zs = 0;
    size_t len = h ? strlen(h) : 0;
    /* version(2) - trace(32) - span(16) - flags(2): 55 bytes; a later version may append
     * "-..." fields, which version 00 readers ignore. */
    if (len < 55 || (len > 55 && (h[55] != '-' || strncmp(h, "00", 2) == 0)) || h[2] != '-' ||
        h[35] != '-' || h[52] != '-' || !hex_id(h, 2, &zero) || !hex_id(h + 3, 32, &zt) ||
        !hex_id(h + 36, 16, &zs) || !hex_id(h + 53, 2, &zero))
        return rt_fail(err,
                       "traceparent must be 00-<32 lowercase hex>-<16 lowercase hex>-<2 hex> "
                       "(W3C Trace Context), got '%.80s'",
                       h ? h : "");
    if (strncmp(h, "ff", 2) == 0)
        return rt_fail(err, "traceparent: version ff is not allowed");
    if (zt)
        return rt_fail(err, "traceparent: the trace id must not be all zeros");
    if (zs)
        return rt_fail(err, "traceparent: the parent span id must not be all zeros");
    memcpy(trace, h + 3, RT_TRACE_ID_LEN);
    trace[RT_TRACE_ID_LEN] = '\0';
    memcpy(span, h + 36, RT_SPAN_ID_LEN);
    span[RT_SPAN_ID_LEN] = '\0';
    return RATCHET_OK;
}

void rt_traceparent_format(const char *trace, const char *span, char out[56])
{
    snprintf(out, 56, "00-%.32s-%.16s-01", trace, span);
}

ratchet_status rt_trace_stamp(struct json_object **meta, const char *traceparent, int64_t now_ms,
                              rt_error *err)
{
    char trace[RT_TRACE_ID_LEN + 1], parent[RT_SPAN_ID_LEN + 1] = "";
    if (traceparent && rt_traceparent_parse(traceparent, trace, parent, err) != RATCHET_OK)
        return RATCHET_ERR;
    if (!*meta && !(*meta = json_object_new_object()))
        return rt_fail(err, "out of memory");
    if (json_object_object_get_ex(*meta, "traceId", NULL))
        return RATCHET_OK;
    if (!traceparent)
        rt_trace_new_id(trace);
    json_object_object_add(*meta, "traceId", json_object_new_string(trace));
    if (*parent)
        json_object_object_add(*meta, "traceParent", json_object_new_string(parent));
    json_object_object_add(*meta, "queuedAtMs", json_object_new_int64(now_ms));
    return RATCHET_OK;
}

char *rt_trace_stamp_text(const char *meta_json, int64_t now_ms)
{
    struct json_object *meta = meta_json ? json_tokener_parse(meta_json) : NULL;
    if (meta_json && !json_object_is_type(meta, json_type_object)) {
        json_object_put(meta);
        return NULL;
    }
    rt_error err;
    char *text = NULL;
    if (rt_trace_stamp(&meta, NULL, now_ms, &err) == RATCHET_OK)
        text = strdup(json_object_to_json_string_ext(meta, JSON_C_TO_STRING_PLAIN));
    json_object_put(meta);
    return text;
}

static const ratchet_span_sink *sink(void)
{
    return rt_host_api()->lookup(RATCHET_SPANS_INTERFACE, RATCHET_SPANS_MAJOR, 0);
}

int rt_span_wanted(void)
{
    return sink() != NULL;
}

void rt_span_emit(const ratchet_span *span)
{
    const ratchet_span_sink *s = sink();
    if (s && s->span)
        s->span(s->data, span);
}
