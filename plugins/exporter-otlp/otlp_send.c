/* exporter-otlp - the bounded span queue and the sender thread that POSTs batches of it with
 * libcurl (see otlp.h). */
#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "otlp.h"

void otlp_enqueue(otlp *o, const ratchet_span *span)
{
    ratchet_buf text = RATCHET_BUF_INIT;
    if (otlp_span_json(span, &text) != RATCHET_OK) {
        atomic_fetch_add(&o->dropped, 1);
        return;
    }
    pthread_mutex_lock(&o->lock);
    int full = o->stopping || o->count == (size_t)o->queue_size;
    if (!full) {
        o->ring[(o->head + o->count) % (size_t)o->queue_size] = text;
        o->count++;
        if (o->count >= (size_t)o->batch_size)
            pthread_cond_signal(&o->wake);
    }
    pthread_mutex_unlock(&o->lock);
    if (full) { /* never wait for room: the engine must not block on its exporter */
        atomic_fetch_add(&o->dropped, 1);
        otlp_host->buf_free(&text);
    }
}

/* Discard what the server answers. */
static size_t sink_body(char *data, size_t size, size_t n, void *user)
{
    (void)data;
    (void)user;
    return size * n;
}

/* What one POST came to. */
typedef enum otlp_outcome {
    OTLP_SENT,  /* 2xx: the collector took the spans */
    OTLP_RETRY, /* worth sending again: no answer (network, timeout) or 429/502/503/504 */
    OTLP_FAILED /* any other answer, or nothing to send: sending again would not help */
} otlp_outcome;

/* POST one request body; on failure `why` says what happened. The statuses retried are the
 * ones the OTLP/HTTP specification calls retryable. */
static otlp_outcome post(otlp *o, CURL *curl, const ratchet_buf *body, char *why, size_t whylen)
{
    curl_easy_setopt(curl, CURLOPT_URL, o->endpoint);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, (struct curl_slist *)o->curl_headers);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body->data);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body->len);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, (long)o->timeout_ms);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, sink_body);
    CURLcode rc = curl_easy_perform(curl);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    if (rc == CURLE_OK && status >= 200 && status < 300)
        return OTLP_SENT;
    if (rc != CURLE_OK) {
        snprintf(why, whylen, "%s", curl_easy_strerror(rc));
        return OTLP_RETRY;
    }
    snprintf(why, whylen, "the collector answered HTTP %ld", status);
    return status == 429 || status == 502 || status == 503 || status == 504 ? OTLP_RETRY
                                                                            : OTLP_FAILED;
}

/* The wait before retry number `attempt` (0 for the first): retry_backoff doubled per attempt,
 * at most retry_max_backoff, then a random part of its second half taken off so that several
 * exporters failing together do not all come back at once. Sender thread only. */
static int64_t backoff_ms(otlp *o, int64_t attempt)
{
    int64_t ms = o->backoff_ms;
    for (int64_t i = 0; i < attempt && ms < o->max_backoff_ms; i++)
        ms *= 2;
    if (ms > o->max_backoff_ms)
        ms = o->max_backoff_ms;
    o->jitter ^= o->jitter << 13;
    o->jitter ^= o->jitter >> 7;
    o->jitter ^= o->jitter << 17;
    return ms - (int64_t)(o->jitter % (uint64_t)(ms / 2 + 1));
}

static void deadline_after(struct timespec *ts, int64_t ms)
{
    clock_gettime(CLOCK_REALTIME, ts);
    ts->tv_sec += (time_t)(ms / 1000);
    ts->tv_nsec += (long)(ms % 1000) * 1000000L;
    if (ts->tv_nsec >= 1000000000L) {
        ts->tv_sec++;
        ts->tv_nsec -= 1000000000L;
    }
}

/* Wait `ms` unless the instance stops first; 1 when the wait ran its course. Lock not held. */
static int pause_unless_stopping(otlp *o, int64_t ms)
{
    struct timespec until;
    deadline_after(&until, ms);
    int rc = 0;
    pthread_mutex_lock(&o->lock);
    while (!o->stopping && rc != ETIMEDOUT)
        rc = pthread_cond_timedwait(&o->wake, &o->lock, &until);
    int stopping = o->stopping;
    pthread_mutex_unlock(&o->lock);
    return !stopping;
}

/* POST the request, and again after a back-off while it fails in a retryable way, up to
 * `retries` times (none once the instance stops). One warning per failed attempt. */
static otlp_outcome post_with_retries(otlp *o, CURL *curl, const ratchet_buf *body, size_t n)
{
    char why[256] = "";
    otlp_outcome got = post(o, curl, body, why, sizeof why);
    for (int64_t attempt = 0; got != OTLP_SENT; attempt++) {
        if (got == OTLP_FAILED || attempt >= o->retries) {
            otlp_host->log(o->ctx, RATCHET_LOG_WARN,
                           "exporting %zu span(s) to %s failed: %s; giving up (%s)", n, o->endpoint,
                           why,
                           got == OTLP_FAILED ? "not a failure worth retrying" : "no retries left");
            return OTLP_FAILED;
        }
        int64_t ms = backoff_ms(o, attempt);
        otlp_host->log(o->ctx, RATCHET_LOG_WARN,
                       "exporting %zu span(s) to %s failed: %s; retry %lld of %lld in %lld ms", n,
                       o->endpoint, why, (long long)attempt + 1, (long long)o->retries,
                       (long long)ms);
        if (!pause_unless_stopping(o, ms)) {
            otlp_host->log(o->ctx, RATCHET_LOG_WARN, "stopping: %zu span(s) not retried", n);
            return OTLP_FAILED;
        }
        atomic_fetch_add(&o->retried, 1);
        got = post(o, curl, body, why, sizeof why);
    }
    return OTLP_SENT;
}

/* Take up to batch_size spans off the queue into batch; lock held. */
static size_t take(otlp *o, ratchet_buf *batch)
{
    size_t n = 0;
    while (o->count > 0 && n < (size_t)o->batch_size) {
        batch[n++] = o->ring[o->head];
        o->head = (o->head + 1) % (size_t)o->queue_size;
        o->count--;
    }
    return n;
}

/* 1 when the collector took the batch. While this runs (retries included) new spans queue up
 * to queue_size; beyond that they are dropped and counted. */
static int send_batch(otlp *o, CURL *curl, ratchet_buf *batch, size_t n)
{
    ratchet_buf body = RATCHET_BUF_INIT;
    int ok = curl && otlp_request_json(o, batch, n, &body) == RATCHET_OK &&
             post_with_retries(o, curl, &body, n) == OTLP_SENT;
    atomic_fetch_add(ok ? &o->exported : &o->failed, (long long)n);
    atomic_fetch_add(&o->batches, 1);
    otlp_host->buf_free(&body);
    for (size_t i = 0; i < n; i++)
        otlp_host->buf_free(&batch[i]);
    return ok;
}

/* Say how many spans the full queue dropped since the last report: a warning at most once a
 * second while it goes on (the running total is ratchet_otlp_spans_dropped_total). */
static void report_drops(otlp *o)
{
    long long total = atomic_load(&o->dropped);
    int64_t now = otlp_host->monotonic_ns() / 1000000;
    if (total == o->drops_reported || now - o->drops_logged_ms < 1000)
        return;
    otlp_host->log(o->ctx, RATCHET_LOG_WARN,
                   "%lld span(s) dropped: the queue was full (queue_size: %lld); %lld in all",
                   total - o->drops_reported, (long long)o->queue_size, total);
    o->drops_reported = total;
    o->drops_logged_ms = now;
}

/* Send a batch when batch_size spans wait or flush_interval passed with some waiting; at stop,
 * send everything left, unless a send fails then: the rest is counted as failed rather than
 * holding the shutdown for one timeout per batch. */
static void *sender(void *arg)
{
    otlp *o = arg;
    CURL *curl = curl_easy_init();
    ratchet_buf *batch = o->batch;
    pthread_mutex_lock(&o->lock);
    for (;;) {
        if (!o->stopping && o->count < (size_t)o->batch_size) {
            struct timespec until;
            deadline_after(&until, o->flush_ms);
            int rc = 0;
            while (!o->stopping && o->count < (size_t)o->batch_size && rc != ETIMEDOUT)
                rc = pthread_cond_timedwait(&o->wake, &o->lock, &until);
        }
        if (o->count == 0 && o->stopping)
            break;
        size_t n = take(o, batch);
        pthread_mutex_unlock(&o->lock);
        int sent = n == 0 || send_batch(o, curl, batch, n);
        report_drops(o);
        pthread_mutex_lock(&o->lock);
        if (!sent && o->stopping)
            break;
    }
    while (o->count > 0) { /* given up at stop */
        otlp_host->buf_free(&o->ring[o->head]);
        o->head = (o->head + 1) % (size_t)o->queue_size;
        o->count--;
        atomic_fetch_add(&o->failed, 1);
    }
    pthread_mutex_unlock(&o->lock);
    if (curl)
        curl_easy_cleanup(curl);
    return NULL;
}

ratchet_status otlp_sender_start(otlp *o)
{
    o->jitter = (uint64_t)otlp_host->monotonic_ns() | 1u;
    o->drops_logged_ms = otlp_host->monotonic_ns() / 1000000 - 1000;
    if (pthread_create(&o->sender, NULL, sender, o) != 0) {
        otlp_host->set_error(o->ctx, "cannot start the sender thread: %s", strerror(errno));
        return RATCHET_ERR;
    }
    o->started = 1;
    return RATCHET_OK;
}

void otlp_sender_stop(otlp *o)
{
    if (!o->started)
        return;
    pthread_mutex_lock(&o->lock);
    o->stopping = 1;
    pthread_cond_signal(&o->wake);
    pthread_mutex_unlock(&o->lock);
    pthread_join(o->sender, NULL);
    o->started = 0;
}
