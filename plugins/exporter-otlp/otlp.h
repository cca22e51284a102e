/*
 * exporter-otlp - what the plugin's files share: the instance, its span queue and sender
 * (otlp_send.c), the OTLP/JSON encoding (otlp_json.c).
 *
 * Threading: otlp_enqueue() is called from any thread (the engine's loop, fetch threads, the
 * outbox) and only takes the queue's mutex for a pointer store; the sender thread does the
 * encoding of batches and the HTTP POSTs. Counters are atomics, read by /metrics.
 */
#ifndef OTLP_H
#define OTLP_H

#include <pthread.h>
#include <stdatomic.h>

#include <ratchet/logger_util.h>

extern const ratchet_host_api *otlp_host;

typedef struct otlp {
    ratchet_ctx *ctx;
    /* options */
    char *endpoint;     /* the full URL spans are POSTed to */
    void *curl_headers; /* struct curl_slist *: Content-Type and the `headers` option */
    int64_t batch_size, queue_size, flush_ms, timeout_ms;
    int64_t retries, backoff_ms, max_backoff_ms; /* a failed request is sent again */
    char *service_name;
    /* the queue: encoded spans, a ring */
    pthread_mutex_t lock;
    pthread_cond_t wake;
    ratchet_buf *ring;  /* queue_size entries */
    ratchet_buf *batch; /* batch_size entries: what the sender is sending */
    size_t head, count;
    int stopping, started;
    pthread_t sender;
    /* counters */
    atomic_llong exported, dropped, failed, batches, retried;
    /* the sender thread's own */
    long long drops_reported; /* `dropped` when the sender last logged it */
    int64_t drops_logged_ms;  /* monotonic time of that */
    uint64_t jitter;          /* xorshift state for the retry delays */
} otlp;

/* Queue one span (encoded now); a full queue drops it and counts the drop. */
void otlp_enqueue(otlp *o, const ratchet_span *span);
/* Start / stop the sender thread; stop sends what is queued first (each POST bounded by the
 * timeout; no retries once stopping, and a retry's wait ends at once). */
ratchet_status otlp_sender_start(otlp *o);
void otlp_sender_stop(otlp *o);

/* One span as an OTLP/JSON Span object into *out (a new buffer, the caller's to buf_free);
 * RATCHET_NOMEM leaves *out alone. */
ratchet_status otlp_span_json(const ratchet_span *span, ratchet_buf *out);
/* Append the export request around n encoded spans ({"resourceSpans": [...]}) to out. */
ratchet_status otlp_request_json(const otlp *o, const ratchet_buf *spans, size_t n,
                                 ratchet_buf *out);

#endif
