/*
 * exporter-otlp - sends the engine's spans (ratchet/trace.h) to an OpenTelemetry collector as
 * OTLP/HTTP JSON: POST <endpoint> with {"resourceSpans": [...]}, in batches, from a sender
 * thread of its own.
 *
 * Kind: a logger instance, because that is the kind the host runs for the whole life of a
 * process with nothing else to supply; its log() ignores log events. Spans do not travel as
 * log events (they would pass through logging.level and every other sink): the instance
 * publishes the "ratchet.spans" interface in start(), and the engine hands it each finished
 * span. Handing one over copies it into a bounded queue under a mutex and returns: when the
 * queue is full the span is dropped and counted (ratchet_otlp_spans_dropped_total), never
 * waited for.
 */
#include <curl/curl.h>
#include <stddef.h>
#include <string.h>

#include "otlp.h"

const ratchet_host_api *otlp_host;

/* The instance the sink feeds. A span handed over while none runs (after stop(), or by a
 * thread that looked the sink up just before) is ignored: the plugin's code stays loaded, the
 * instance may not. */
static pthread_mutex_t otlp_live_lock = PTHREAD_MUTEX_INITIALIZER;
static otlp *otlp_live;

static void otlp_span(void *data, const ratchet_span *span)
{
    (void)data;
    pthread_mutex_lock(&otlp_live_lock);
    if (otlp_live)
        otlp_enqueue(otlp_live, span);
    pthread_mutex_unlock(&otlp_live_lock);
}

static const ratchet_span_sink otlp_sink = {
    RATCHET_ABI_INIT(ratchet_span_sink),
    NULL,
    otlp_span,
};

/* A header name is an RFC 9110 token; a value holds no line break. */
static int otlp_header_ok(const char *name, const char *value)
{
    if (!*name || strcspn(value, "\r\n") != strlen(value))
        return 0;
    for (const char *p = name; *p; p++)
        if (!strchr("!#$%&'*+-.^_`|~", *p) &&
            !((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
            return 0;
    return 1;
}

/* Content-Type plus the `headers` map into a curl list. */
static ratchet_status otlp_headers(otlp *o, const ratchet_node *map)
{
    struct curl_slist *list = curl_slist_append(NULL, "Content-Type: application/json");
    ratchet_node_kind kind = otlp_host->node_kind(map);
    if (kind != RATCHET_NODE_NONE && kind != RATCHET_NODE_MAP) {
        otlp_host->set_error(o->ctx, "%s: headers: expected a map of header names to values",
                             otlp_host->node_where(map));
        curl_slist_free_all(list);
        return RATCHET_ERR;
    }
    for (size_t i = 0; list && i < otlp_host->node_count(map); i++) {
        const char *name = otlp_host->node_key_at(map, i);
        const ratchet_node *v = otlp_host->node_at(map, i);
        const char *value = otlp_host->node_scalar(v);
        if (!value || !otlp_header_ok(name, value)) {
            otlp_host->set_error(o->ctx,
                                 "%s: headers.%s: expected a header name (a token) with a "
                                 "one-line text value",
                                 otlp_host->node_where(v), name);
            curl_slist_free_all(list);
            return RATCHET_ERR;
        }
        ratchet_buf line = RATCHET_BUF_INIT;
        struct curl_slist *grown = NULL;
        if (otlp_host->buf_printf(&line, "%s: %s", name, value) == RATCHET_OK)
            grown = curl_slist_append(list, line.data);
        otlp_host->buf_free(&line);
        if (!grown) {
            curl_slist_free_all(list);
            list = NULL;
        } else {
            list = grown;
        }
    }
    o->curl_headers = list;
    if (!list)
        otlp_host->set_error(o->ctx, "out of memory");
    return list ? RATCHET_OK : RATCHET_NOMEM;
}

static ratchet_status otlp_check_endpoint(otlp *o, const ratchet_config *cfg)
{
    const char *url = otlp_host->cfg_string(cfg, "endpoint");
    if (url && (strncmp(url, "http://", 7) == 0 || strncmp(url, "https://", 8) == 0) &&
        strlen(url) > 8 && strcspn(url, " \t\r\n") == strlen(url))
        return RATCHET_OK;
    otlp_host->set_error(o->ctx,
                         "%s: endpoint: expected an http:// or https:// URL such as "
                         "http://127.0.0.1:4318/v1/traces, got '%s'",
                         otlp_host->node_where(otlp_host->cfg_node(cfg, "endpoint")),
                         url ? url : "");
    return RATCHET_ERR;
}

static void otlp_destroy(void *instance)
{
    otlp *o = instance;
    if (!o)
        return;
    for (size_t i = 0; o->ring && i < o->count; i++)
        otlp_host->buf_free(&o->ring[(o->head + i) % (size_t)o->queue_size]);
    otlp_host->free(o->ring);
    otlp_host->free(o->batch);
    curl_slist_free_all(o->curl_headers);
    otlp_host->free(o->endpoint);
    otlp_host->free(o->service_name);
    pthread_mutex_destroy(&o->lock);
    pthread_cond_destroy(&o->wake);
    otlp_host->free(o);
}

static ratchet_status otlp_create(ratchet_ctx *ctx, const ratchet_config *cfg, void **out)
{
    otlp *o = otlp_host->calloc(1, sizeof *o);
    if (!o) {
        otlp_host->set_error(ctx, "out of memory");
        return RATCHET_NOMEM;
    }
    o->ctx = ctx;
    pthread_mutex_init(&o->lock, NULL);
    pthread_cond_init(&o->wake, NULL);
    o->batch_size = otlp_host->cfg_int(cfg, "batch_size");
    o->queue_size = otlp_host->cfg_int(cfg, "queue_size");
    o->flush_ms = otlp_host->cfg_int(cfg, "flush_interval");
    o->timeout_ms = otlp_host->cfg_int(cfg, "timeout");
    o->retries = otlp_host->cfg_int(cfg, "retries");
    o->backoff_ms = otlp_host->cfg_int(cfg, "retry_backoff");
    o->max_backoff_ms = otlp_host->cfg_int(cfg, "retry_max_backoff");
    ratchet_status st = otlp_check_endpoint(o, cfg);
    if (st == RATCHET_OK && o->backoff_ms > o->max_backoff_ms) {
        otlp_host->set_error(ctx,
                             "%s: retry_backoff: %lld ms is longer than retry_max_backoff "
                             "(%lld ms); the first wait must not exceed the longest",
                             otlp_host->node_where(otlp_host->cfg_node(cfg, "retry_backoff")),
                             (long long)o->backoff_ms, (long long)o->max_backoff_ms);
        st = RATCHET_ERR;
    }
    if (st == RATCHET_OK)
        st = otlp_headers(o, otlp_host->cfg_node(cfg, "headers"));
    if (st == RATCHET_OK) {
        o->endpoint = otlp_host->strdup(otlp_host->cfg_string(cfg, "endpoint"));
        o->service_name = otlp_host->strdup(otlp_host->cfg_string(cfg, "service_name"));
        o->ring = otlp_host->calloc((size_t)o->queue_size, sizeof *o->ring);
        o->batch = otlp_host->calloc((size_t)o->batch_size, sizeof *o->batch);
        if (!o->endpoint || !o->service_name || !o->ring || !o->batch) {
            otlp_host->set_error(ctx, "out of memory");
            st = RATCHET_NOMEM;
        }
    }
    if (st != RATCHET_OK) {
        otlp_destroy(o);
        return st;
    }
    *out = o;
    return RATCHET_OK;
}

static double otlp_read_counter(void *arg)
{
    return (double)atomic_load((atomic_llong *)arg);
}

static ratchet_status otlp_metrics(otlp *o)
{
    static const struct {
        const char *name, *help;
        size_t offset;
    } counters[] = {
        {"ratchet_otlp_spans_exported_total", "Spans the collector accepted.",
         offsetof(otlp, exported)},
        {"ratchet_otlp_spans_dropped_total", "Spans dropped because the exporter's queue was full.",
         offsetof(otlp, dropped)},
        {"ratchet_otlp_spans_failed_total",
         "Spans whose export failed for good (no retries left, an answer not worth retrying, "
         "or stopping).",
         offsetof(otlp, failed)},
        {"ratchet_otlp_export_retries_total",
         "Export requests sent again after a network error, a timeout or HTTP "
         "429/502/503/504.",
         offsetof(otlp, retried)},
    };
    for (size_t i = 0; i < sizeof counters / sizeof counters[0]; i++)
        if (otlp_host->metric_register(o->ctx, counters[i].name, "counter", counters[i].help,
                                       otlp_read_counter,
                                       (char *)o + counters[i].offset) != RATCHET_OK)
            return RATCHET_ERR;
    return RATCHET_OK;
}

static ratchet_status otlp_start(void *instance)
{
    otlp *o = instance;
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        otlp_host->set_error(o->ctx, "libcurl could not be initialised");
        return RATCHET_ERR;
    }
    if (otlp_metrics(o) != RATCHET_OK || otlp_sender_start(o) != RATCHET_OK) {
        otlp_host->metric_unregister(o->ctx);
        return RATCHET_ERR;
    }
    pthread_mutex_lock(&otlp_live_lock);
    otlp_live = o;
    pthread_mutex_unlock(&otlp_live_lock);
    if (otlp_host->publish(o->ctx, RATCHET_SPANS_INTERFACE, &otlp_sink) != RATCHET_OK) {
        pthread_mutex_lock(&otlp_live_lock);
        otlp_live = NULL;
        pthread_mutex_unlock(&otlp_live_lock);
        otlp_sender_stop(o);
        otlp_host->metric_unregister(o->ctx);
        return RATCHET_ERR;
    }
    return RATCHET_OK;
}

static void otlp_stop(void *instance)
{
    otlp *o = instance;
    otlp_host->unpublish(o->ctx, RATCHET_SPANS_INTERFACE);
    pthread_mutex_lock(&otlp_live_lock);
    otlp_live = NULL;
    pthread_mutex_unlock(&otlp_live_lock);
    otlp_sender_stop(o); /* sends what is queued */
    otlp_host->metric_unregister(o->ctx);
    long long dropped = atomic_load(&o->dropped), failed = atomic_load(&o->failed);
    if (dropped || failed)
        otlp_host->log(o->ctx, RATCHET_LOG_WARN,
                       "%lld span(s) dropped (queue full), %lld failed to export", dropped, failed);
}

/* Log events are not this instance's business (see the top of the file). */
static void otlp_log(void *instance, const ratchet_log_event *event)
{
    (void)instance;
    (void)event;
}

static const ratchet_option otlp_options[] = {
    RATCHET_OPT("endpoint", RATCHET_OPT_STRING, "http://127.0.0.1:4318/v1/traces",
                "the collector's OTLP/HTTP traces URL (spans are POSTed there as JSON)"),
    RATCHET_OPT("headers", RATCHET_OPT_NODE, "{}",
                "extra request headers, a map (e.g. {Authorization: Bearer TOKEN})"),
    RATCHET_OPT_RANGE("batch_size", RATCHET_OPT_INT, "512", 1, 10000,
                      "spans per request; a full batch is sent at once"),
    RATCHET_OPT_RANGE("flush_interval", RATCHET_OPT_DURATION, "5s", 10, 3600000,
                      "longest a span waits for its batch to fill"),
    RATCHET_OPT_RANGE("timeout", RATCHET_OPT_DURATION, "10s", 100, 300000,
                      "longest one export request may take"),
    RATCHET_OPT_RANGE("queue_size", RATCHET_OPT_INT, "4096", 1, 1000000,
                      "spans waiting to be sent (also while a request is retried); beyond, new "
                      "spans are dropped and counted"),
    RATCHET_OPT_RANGE("retries", RATCHET_OPT_INT, "5", 0, 100,
                      "times a request is sent again after a network error, a timeout or HTTP "
                      "429/502/503/504; 0: never"),
    RATCHET_OPT_RANGE("retry_backoff", RATCHET_OPT_DURATION, "1s", 10, 3600000,
                      "wait before the first retry; doubled for each next one (less a random "
                      "part of up to half)"),
    RATCHET_OPT_RANGE("retry_max_backoff", RATCHET_OPT_DURATION, "30s", 10, 3600000,
                      "longest wait between two retries"),
    RATCHET_OPT("service_name", RATCHET_OPT_STRING, "ratchet",
                "the service.name resource attribute of every span"),
    RATCHET_OPT_END,
};

RATCHET_LOGGER_PLUGIN(exporter_otlp, otlp_host, "exporter-otlp", "1.0.0",
                      "sends the engine's traces (a span per job phase and fetch call) to an "
                      "OpenTelemetry collector over OTLP/HTTP JSON",
                      otlp_options, .life = {otlp_create, otlp_start, otlp_stop, otlp_destroy},
                      .log = otlp_log)
