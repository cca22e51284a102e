/*
 * host/engine/trace.h - W3C trace context for jobs: ids, the traceparent header, the trace
 * data kept in a job's meta, and handing finished spans to the exporter (ratchet/trace.h).
 *
 * A job's trace lives in its meta (ratchet_job_submit.meta_json), which every storage keeps
 * and returns with the claim: {"traceId": "<32 hex>", "traceParent": "<16 hex>" (the span of
 * the caller's traceparent, when the job came with one), "queuedAtMs": <ms>}. Storage shows
 * traceId as the job's own `traceId` (a column computed from meta: migration 5 of
 * storage-sqlite, 2 of storage-postgres).
 *
 * Threading: everything may be called from any thread. Ids come from getrandom(2).
 */
#ifndef RT_TRACE_H
#define RT_TRACE_H

#include <stdint.h>

#include "core/core_layer.h"
#include "ratchet/trace.h"

struct json_object;

#define RT_TRACE_ID_LEN 32 /* hex digits */
#define RT_SPAN_ID_LEN  16

/* A new trace id (32 lowercase hex digits, never all zero) into out: the time in milliseconds
 * (12 digits, so ids sort by creation, as AWS X-Ray's do), then 80 random bits - more than
 * the right-most 56 that W3C Trace Context level 2 asks to be random. Jobs are indexed by
 * trace id: random ids put every new job on a random page of that index (a page read and
 * written per submit; 5 % of synchronous execute's throughput in bench_http), ids by time
 * on its last page. */
void rt_trace_new_id(char out[RT_TRACE_ID_LEN + 1]);
/* A new random span id (16 lowercase hex digits, never all zero) into out. */
void rt_trace_new_span(char out[RT_SPAN_ID_LEN + 1]);

/* Read a W3C traceparent header ("00-<trace>-<span>-<flags>"): RATCHET_OK with the trace
 * and parent span ids copied out; RATCHET_ERR with err saying what is wrong ("traceparent
 * must be 00-<32 hex>-<16 hex>-<2 hex>", "traceparent: the trace id must not be all
 * zeros", ...). Versions other than 00 are read as 00 when at least as long (W3C rule). */
ratchet_status rt_traceparent_parse(const char *header, char trace[RT_TRACE_ID_LEN + 1],
                                    char span[RT_SPAN_ID_LEN + 1], rt_error *err);
/* "00-<trace>-<span>-01" into out (56 bytes with the NUL). */
void rt_traceparent_format(const char *trace, const char *span, char out[56]);

/* Stamp a job's meta (an object, or NULL for a new one: *meta then receives it) with a new
 * trace: traceId (from traceparent when given and valid, else new), traceParent, queuedAtMs.
 * A meta that already has a traceId keeps it. RATCHET_ERR (err set) only for a malformed
 * traceparent. */
ratchet_status rt_trace_stamp(struct json_object **meta, const char *traceparent, int64_t now_ms,
                              rt_error *err);
/* As rt_trace_stamp without a traceparent, on meta JSON text (NULL: none): returns new
 * malloc'd text, or NULL when out of memory or when `meta_json` is not a JSON object (then
 * the caller keeps its own). */
char *rt_trace_stamp_text(const char *meta_json, int64_t now_ms);

/* Hand a finished span to the published "ratchet.spans" sink, if there is one. */
void rt_span_emit(const ratchet_span *span);
/* 1 when a sink is published (spans would go somewhere). */
int rt_span_wanted(void);

/* Wall clock in nanoseconds since the Unix epoch. */
int64_t rt_trace_now_ns(void);

#endif
