/* exporter-otlp - the bounded span queue and the sender thread that POSTs batches of it with
 * libcurl (see otlp.h). */
#include <curl/curl.h>
#include <errno.h>
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

/* POST one request body; 1 when the collector took it (2xx). */
static int post(otlp *o, CURL *curl, const ratchet_buf *body, size_t nspans)
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
        return 1;
    otlp_host->log(o->ctx, RATCHET_LOG_WARN, "exporting %zu span(s) to %s failed: %s", nspans,
                   o->endpoint, rc != CURLE_OK ? curl_easy_strerror(rc) : "");
    if (rc == CURLE_OK)
        otlp_host->log(o->ctx, RATCHET_LOG_WARN, "the collector answered HTTP %ld", status);
    return 0;
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

/* 1 when the collector took the batch. */
static int send_batch(otlp *o, CURL *curl, ratchet_buf *batch, size_t n)
{
    ratchet_buf body = RATCHET_BUF_INIT;
    int ok = curl && otlp_request_json(o, batch, n, &body) == RATCHET_OK && post(o, curl, &body, n);
    atomic_fetch_add(ok ? &o->exported : &o->failed, (long long)n);
    atomic_fetch_add(&o->batches, 1);
    otlp_host->buf_free(&body);
    for (size_t i = 0; i < n; i++)
        otlp_host->buf_free(&batch[i]);
    return ok;
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
