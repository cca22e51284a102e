/*
 * plugins/api-rest/rest_system.c - the service's own routes: GET / (what this is and where
 * things are), the probes (/health is cheap: no storage call, for load balancers that ask
 * often; /health/detailed runs the engine's checks), /ready, /live, /metrics in Prometheus
 * text format (the engine's and the http plugin's) and the OpenAPI document.
 *
 * These bodies are not wrapped in {data}: they are read by probes and tools that expect the
 * original's shapes ({status, timestamp, version}).
 */
#define _POSIX_C_SOURCE 200809L

#include <string.h>

#include <json-c/json.h>

#include "rest.h"

static const char *const endpoints[][2] = {
    {"restApi", REST_PREFIX},
    {"tasks", REST_PREFIX "/tasks"},
    {"jobs", REST_PREFIX "/jobs"},
    {"executions", REST_PREFIX "/executions"},
    {"schedules", REST_PREFIX "/schedules"},
    {"workers", REST_PREFIX "/workers"},
    {"health", "/health"},
    {"healthDetailed", "/health/detailed"},
    {"ready", "/ready"},
    {"live", "/live"},
    {"metrics", "/metrics"},
    {"openapi", "/api-docs/openapi.json"},
};

/* Add "timestamp" (now) and "version" to an object. */
static void add_stamp(struct json_object *o)
{
    ratchet_buf t = RATCHET_BUF_INIT;
    if (rest_host->buf_time_iso8601(&t, rest_host->now_us()) == RATCHET_OK)
        json_object_object_add(o, "timestamp", json_object_new_string(t.data));
    rest_host->buf_free(&t);
    json_object_object_add(o, "version", json_object_new_string(rest_host->host_version));
}

/* A fresh object with "status" set, stamped. */
static struct json_object *status_object(const char *status)
{
    struct json_object *o = json_object_new_object();
    if (o) {
        json_object_object_add(o, "status", json_object_new_string(status));
        add_stamp(o);
    }
    return o;
}

/* The engine's answer (from `fn`) as an object, or answer its error and return NULL. */
static struct json_object *engine_object(const rest *r, ratchet_http_request *req,
                                         ratchet_status (*fn)(ratchet_buf *))
{
    ratchet_buf out = RATCHET_BUF_INIT;
    ratchet_status st = fn(&out);
    struct json_object *o = NULL;
    if (st != RATCHET_OK)
        rest_send_engine_error(r, req, st, out.data);
    else if (!(o = rest_parse(out.data)) || !json_object_is_type(o, json_type_object)) {
        json_object_put(o);
        o = NULL;
        rest_send_nomem(r, req);
    }
    rest_host->buf_free(&out);
    return o;
}

static struct json_object *root_object(const rest *r, ratchet_http_request *req)
{
    struct json_object *o = engine_object(r, req, r->eng->info);
    struct json_object *eps = o ? json_object_new_object() : NULL;
    if (!eps)
        return o;
    for (size_t i = 0; i < sizeof endpoints / sizeof endpoints[0]; i++)
        json_object_object_add(eps, endpoints[i][0], json_object_new_string(endpoints[i][1]));
    json_object_object_add(o, "endpoints", eps);
    json_object_object_add(o, "baseUrl", json_object_new_string(r->http->base_url(req)));
    return o;
}

/* /health/detailed: 503 when the engine says unhealthy, so a probe can use it as it is. */
static struct json_object *detailed_object(const rest *r, ratchet_http_request *req, int *status)
{
    struct json_object *o = engine_object(r, req, r->eng->health), *s = NULL;
    if (!o)
        return NULL;
    add_stamp(o);
    if (json_object_object_get_ex(o, "status", &s) &&
        strcmp(json_object_get_string(s), "unhealthy") == 0)
        *status = 503;
    return o;
}

static void send_metrics(const rest *r, ratchet_http_request *req)
{
    ratchet_buf b = RATCHET_BUF_INIT;
    ratchet_status st = r->eng->metrics(&b);
    if (st == RATCHET_OK)
        st = r->http->metrics(&b);
    if (st == RATCHET_OK)
        r->http->respond(req, 200, "text/plain; version=0.0.4; charset=utf-8", b.data ? b.data : "",
                         b.len);
    else
        rest_send_engine_error(r, req, st, NULL);
    rest_host->buf_free(&b);
}

/* The probes' {"status","timestamp","version"} written straight into a buffer (the same
 * members and order as status_object(); no JSON objects for the route load balancers hit). */
static void send_status(const rest *r, ratchet_http_request *req, const char *status)
{
    ratchet_buf b = RATCHET_BUF_INIT;
    int bad =
        rest_host->buf_printf(&b, "{\"status\":\"%s\",\"timestamp\":\"", status) != RATCHET_OK;
    bad |= rest_host->buf_time_iso8601(&b, rest_host->now_us()) != RATCHET_OK;
    static const char version[] = "\",\"version\":";
    bad |= rest_host->buf_append(&b, version, sizeof version - 1) != RATCHET_OK;
    bad |= rest_host->buf_json_string(&b, rest_host->host_version) != RATCHET_OK;
    bad |= rest_host->buf_append(&b, "}", 1) != RATCHET_OK;
    if (bad)
        rest_send_nomem(r, req);
    else
        rest_send_json(r, req, 200, b.data, b.len);
    rest_host->buf_free(&b);
}

void rest_system_handler(void *user, ratchet_http_request *req)
{
    const rest_binding *bind = user;
    const rest *r = bind->r;
    struct json_object *o = NULL;
    int status = 200;
    switch (bind->op->kind) {
    case REST_METRICS:
        send_metrics(r, req);
        return;
    case REST_OPENAPI:
        r->http->respond(req, 200, "application/json", rest_openapi, rest_openapi_len);
        return;
    case REST_READY:
        if (!r->eng->ready()) {
            r->http->respond_error(req, 503, "SERVICE_UNAVAILABLE",
                                   "not ready: the storage or the workers are not up yet, or the "
                                   "server is draining");
            return;
        }
        o = status_object("ready");
        break;
    case REST_ROOT:
        o = root_object(r, req);
        break;
    case REST_HEALTH_DETAILED:
        o = detailed_object(r, req, &status);
        break;
    case REST_LIVE:
        send_status(r, req, "alive");
        return;
    default:
        send_status(r, req, "healthy");
        return;
    }
    if (o) {
        const char *text = rest_json_text(o);
        rest_send_json(r, req, status, text, strlen(text));
        json_object_put(o);
    } else if (bind->op->kind != REST_ROOT && bind->op->kind != REST_HEALTH_DETAILED) {
        rest_send_nomem(r, req);
    }
}
