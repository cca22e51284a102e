/*
 * ratchet/trace.h - the "ratchet.spans" interface: finished spans of the engine's traces, for a
 * plugin that exports them (plugins/exporter-otlp sends them as OTLP/HTTP JSON).
 *
 * A plugin that wants spans publishes a ratchet_span_sink under RATCHET_SPANS_INTERFACE from
 * its instance's start() (host->publish) and withdraws it in stop(); the host looks the sink
 * up each time it has a finished span, so spans go nowhere (and cost nothing but the lookup)
 * while no exporter runs. One sink at a time: a second publish under the name is refused by
 * the host ("interface 'ratchet.spans' is already published by instance 'x'").
 *
 * Spans are not log events: they carry their own timestamps, parent links and typed
 * attributes, and do not pass through `logging.level` or the logger instances.
 *
 * What the engine of `ratchet serve` emits, per job attempt (one trace per job; the trace id
 * is the job's `traceId`):
 *
 *   job <task>          root of the attempt (kind SERVER when the job came with a W3C
 *                       traceparent, whose span is then its parent; else INTERNAL), from the
 *                       queueing (first attempt) or the claim to the recorded outcome
 *     queue             from the queueing to the start on a worker (first attempts only)
 *     run               the execution on a worker, until its result (or death) reached the
 *                       coordinator; status ERROR with the task's error when it failed
 *       fetch <METHOD>  one per fetch() call (kind CLIENT), performed by the coordinator;
 *                       the W3C traceparent sent with the request names this span
 *     finish            from the result to the outcome recorded in storage
 *     deliver <type>    one per output destination (webhook, file), after `finish`
 *
 * Attributes: ratchet.task, ratchet.job_id, ratchet.execution_id, ratchet.attempt,
 * ratchet.status on the root; http.request.method, url.full, server.address,
 * http.response.status_code, error.type on fetch spans; ratchet.destination,
 * ratchet.delivery.attempts on deliveries.
 *
 * Threading: span() is called from any thread, concurrently; it must not block (queue and
 * return). Memory: the span and everything it points to are borrowed for the call; copy what
 * is kept.
 */
#ifndef RATCHET_TRACE_H
#define RATCHET_TRACE_H

#include <stddef.h>
#include <stdint.h>

#include "abi.h"

#define RATCHET_SPANS_INTERFACE "ratchet.spans"
#define RATCHET_SPANS_MAJOR     1
#define RATCHET_SPANS_MINOR     0

/* The OTLP numbers of SpanKind. */
typedef enum ratchet_span_kind {
    RATCHET_SPAN_INTERNAL = 1,
    RATCHET_SPAN_SERVER = 2,
    RATCHET_SPAN_CLIENT = 3,
    RATCHET_SPAN_PRODUCER = 4,
    RATCHET_SPAN_CONSUMER = 5
} ratchet_span_kind;

/* The OTLP numbers of Status.code. */
typedef enum ratchet_span_status {
    RATCHET_SPAN_UNSET = 0,
    RATCHET_SPAN_OK = 1,
    RATCHET_SPAN_ERROR = 2
} ratchet_span_status;

/* One attribute: a string (str != NULL) or an integer (str == NULL, num). */
typedef struct ratchet_span_attr {
    const char *key;
    const char *str;
    int64_t num;
} ratchet_span_attr;

/* A finished span. Ids are lowercase hex: trace 32 digits, spans 16; parent_span_id is "" for
 * a root. Times are nanoseconds since the Unix epoch (wall clock). */
typedef struct ratchet_span {
    ratchet_abi abi;
    const char *trace_id;
    const char *span_id;
    const char *parent_span_id;
    const char *name;
    ratchet_span_kind kind;
    int64_t start_unix_ns;
    int64_t end_unix_ns;
    ratchet_span_status status;
    const char *status_message; /* ERROR: what failed; else NULL */
    const ratchet_span_attr *attrs;
    size_t nattrs;
} ratchet_span;

/* What an exporter publishes. */
typedef struct ratchet_span_sink {
    ratchet_abi abi;
    void *data; /* passed back to span() */
    /* Take one finished span (copy it); never block. Required. */
    void (*span)(void *data, const ratchet_span *span);
} ratchet_span_sink;

#endif /* RATCHET_TRACE_H */
