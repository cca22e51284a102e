/* exporter-otlp - the OTLP/JSON encoding of spans (opentelemetry-proto's JSON mapping: ids as
 * hex strings, 64-bit integers as decimal strings, enums as numbers). */
#include <stdio.h>
#include <string.h>

#include "otlp.h"

/* ,"key":"value" (value JSON-escaped). */
static ratchet_status put_str(ratchet_buf *b, const char *key, const char *value)
{
    ratchet_status st = otlp_host->buf_printf(b, ",\"%s\":", key);
    return st == RATCHET_OK ? otlp_host->buf_json_string(b, value ? value : "") : st;
}

static ratchet_status put_attr(ratchet_buf *b, const ratchet_span_attr *a, int first)
{
    ratchet_status st = otlp_host->buf_printf(b, "%s{\"key\":", first ? "" : ",");
    if (st == RATCHET_OK)
        st = otlp_host->buf_json_string(b, a->key);
    if (st == RATCHET_OK && a->str) {
        st = otlp_host->buf_printf(b, ",\"value\":{\"stringValue\":");
        if (st == RATCHET_OK)
            st = otlp_host->buf_json_string(b, a->str);
        if (st == RATCHET_OK)
            st = otlp_host->buf_printf(b, "}}");
    } else if (st == RATCHET_OK) {
        st = otlp_host->buf_printf(b, ",\"value\":{\"intValue\":\"%lld\"}}", (long long)a->num);
    }
    return st;
}

ratchet_status otlp_span_json(const ratchet_span *s, ratchet_buf *out)
{
    ratchet_buf b = RATCHET_BUF_INIT;
    ratchet_status st = otlp_host->buf_printf(&b, "{\"traceId\":");
    if (st == RATCHET_OK)
        st = otlp_host->buf_json_string(&b, s->trace_id);
    if (st == RATCHET_OK)
        st = put_str(&b, "spanId", s->span_id);
    if (st == RATCHET_OK && s->parent_span_id && *s->parent_span_id)
        st = put_str(&b, "parentSpanId", s->parent_span_id);
    if (st == RATCHET_OK)
        st = put_str(&b, "name", s->name);
    if (st == RATCHET_OK)
        st = otlp_host->buf_printf(&b,
                                   ",\"kind\":%d,\"startTimeUnixNano\":\"%lld\","
                                   "\"endTimeUnixNano\":\"%lld\",\"attributes\":[",
                                   (int)s->kind, (long long)s->start_unix_ns,
                                   (long long)s->end_unix_ns);
    for (size_t i = 0; st == RATCHET_OK && i < s->nattrs; i++)
        st = put_attr(&b, &s->attrs[i], i == 0);
    if (st == RATCHET_OK)
        st = otlp_host->buf_printf(&b, "],\"status\":{\"code\":%d", (int)s->status);
    if (st == RATCHET_OK && s->status_message)
        st = put_str(&b, "message", s->status_message);
    if (st == RATCHET_OK)
        st = otlp_host->buf_printf(&b, "}}");
    if (st != RATCHET_OK)
        otlp_host->buf_free(&b);
    else
        *out = b;
    return st;
}

ratchet_status otlp_request_json(const otlp *o, const ratchet_buf *spans, size_t n,
                                 ratchet_buf *out)
{
    ratchet_status st = otlp_host->buf_printf(
        out, "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\","
             "\"value\":{\"stringValue\":");
    if (st == RATCHET_OK)
        st = otlp_host->buf_json_string(out, o->service_name);
    if (st == RATCHET_OK)
        st = otlp_host->buf_printf(out, "}}]},\"scopeSpans\":[{\"scope\":{\"name\":\"ratchet\","
                                        "\"version\":\"1.0.0\"},\"spans\":[");
    for (size_t i = 0; st == RATCHET_OK && i < n; i++)
        st = otlp_host->buf_printf(out, "%s%s", i ? "," : "", spans[i].data);
    if (st == RATCHET_OK)
        st = otlp_host->buf_printf(out, "]}]}]}");
    return st;
}
