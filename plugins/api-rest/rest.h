/*
 * plugins/api-rest/rest.h - what the files of the api-rest plugin share.
 *
 * The plugin is table-driven: rest_routes.c lists every route as a rest_op (method, pattern,
 * scope, the kind of handler and the engine call it makes); rest.c mounts the table on the
 * "ratchet.http" interface; the generic handlers of rest_handlers.c, rest_system.c,
 * rest_execute.c and rest_sse.c serve the kinds, with the envelopes and error mapping of
 * rest_reply.c and the list parameters of rest_query.c.
 *
 * Threading: handlers run on the http plugin's pool threads, concurrently; the instance is
 * read-only after start() except for the sessions of its reaper (fe_session.h), which
 * guards them with its own mutex.
 */
#ifndef REST_H
#define REST_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include <ratchet/plugin.h>

#include "fe_session.h"

#define REST_PREFIX        "/api/v1"
#define REST_LIMIT_DEFAULT 25
#define REST_LIMIT_MAX     100
#define REST_WAIT_DEFAULT  30  /* seconds, ?wait= of POST /tasks/{id}/execute */
#define REST_WAIT_MAX      300 /* seconds */
#define REST_JSON_DEPTH    64
/* Published by the web-ui plugin when it redirects GET / to the UI: REST then leaves its own
 * GET / out (rest.c, mount_routes). */
#define REST_WEBUI_INTERFACE "ratchet.web-ui"

extern const ratchet_host_api *rest_host;

/* The kinds of route; each has one generic handler (rest_handler_for). */
typedef enum rest_kind {
    REST_ROOT,            /* GET / */
    REST_HEALTH,          /* GET /health */
    REST_HEALTH_DETAILED, /* GET /health/detailed */
    REST_READY,           /* GET /ready */
    REST_LIVE,            /* GET /live */
    REST_METRICS,         /* GET /metrics */
    REST_OPENAPI,         /* GET /api-docs/openapi.json */
    REST_LIST,            /* fn(query_json, out) -> list envelope */
    REST_LIST_OF_ID,      /* fn(int64 id, query_json, out) -> list envelope (execution logs) */
    REST_ARRAY,           /* fn(out) answering a JSON array -> list envelope (workers) */
    REST_GET_ID,          /* fn(int64 id, out) -> {data} */
    REST_GET_REF,         /* fn(ref, out) -> {data} */
    REST_ACTION_ID,       /* fn(int64 id, out) -> {success, message, data} */
    REST_ACTION_REF,      /* fn(ref, out) -> {success, message, data} */
    REST_ENABLE_REF,      /* fn(ref, flag, out) -> {success, message, data} */
    REST_TRIGGER_REF,     /* fn(ref, out) -> {data: {success, message, job}} */
    REST_PLAIN,           /* fn(out) -> {data} (tasks sync) */
    REST_STATS,           /* stats(resource, out) -> {stats, timestamp, period} */
    REST_CREATE,          /* fn(body_json, out) -> 201 {data} */
    REST_UPDATE_REF,      /* fn(ref, body_json, out) -> {data} */
    REST_EXECUTE,         /* POST /tasks/{id}/execute (rest_execute.c) */
    REST_EVENTS,          /* GET .../{id}/events as Server-Sent Events (rest_sse.c) */
    /* What the web UI needs (rest_ui.c, rest_ui_handler): */
    REST_WHOAMI,          /* GET /auth/whoami */
    REST_KEY_CREATE,      /* POST /keys {name, scope} -> 201 {data: {..., secret}} */
    REST_CRON_PREVIEW,    /* GET /schedules/preview?cron=&timezone=&count= */
    REST_VALIDATE_INPUT,  /* POST /tasks/{id}/validate-input {input} */
    REST_TASK_SOURCE,     /* GET /tasks/{id}/source?version= */
    REST_TASK_TEST,       /* POST /tasks/{id}/test {names?} */
    REST_TIMELINE,        /* GET /stats/timeline?minutes= */
    REST_ANALYSIS,        /* GET /executions/{id}/analysis?format=&max_tokens= (rest_logs.c) */
    REST_LOGS_SEARCH,     /* GET /logs/search?level=&since=&until=&text=&... */
    REST_LOGS_TRENDS,     /* GET /logs/trends?since=&until=&bucket_minutes= */
    REST_PATTERNS,        /* GET /logs/patterns */
    REST_PATTERN_TEST,    /* POST /logs/patterns/test {event, pattern?} */
    REST_LOGS_STREAM      /* GET /logs/stream as Server-Sent Events (rest_sse.c) */
} rest_kind;

/* The shape a request body must have: allowed fields, their JSON types and enum values. */
typedef struct rest_field {
    const char *name;
    unsigned types;      /* a mask of REST_T_* */
    const char *choices; /* '|'-separated allowed strings (case-insensitive), or NULL */
} rest_field;

#define REST_T_NULL   (1u << 0)
#define REST_T_BOOL   (1u << 1)
#define REST_T_INT    (1u << 2)
#define REST_T_NUMBER (1u << 3)
#define REST_T_STRING (1u << 4)
#define REST_T_OBJECT (1u << 5)
#define REST_T_ARRAY  (1u << 6)
#define REST_T_ANY    0x7fu

/* One route. `fn` is the offset of the engine function in ratchet_engine_api (0: none). */
typedef struct rest_op {
    const char *method;
    const char *pattern;
    ratchet_http_scope scope;
    rest_kind kind;
    size_t fn;
    const char *noun;         /* "job", "task", ...: messages; the stats resource */
    int flag;                 /* REST_ENABLE_REF: 1 enable, 0 disable; REST_EVENTS: 1 job */
    const char *done;         /* REST_ACTION_*: the message, "%s" is the id */
    const rest_field *fields; /* REST_CREATE, REST_UPDATE_REF, REST_EXECUTE: the body */
} rest_op;

/* The route table (static storage) and its length. */
const rest_op *rest_ops(size_t *n);

/* One api-rest instance. */
typedef struct rest {
    ratchet_ctx *ctx;
    const ratchet_engine_api *eng;
    const ratchet_http_api *http;
    struct rest_binding *bindings; /* one per route: {rest, op}, the routes' user pointers */
    int mounted;

    fe_reaper reaper; /* deferred executes and event streams (fe_session.h) */
} rest;

typedef struct rest_binding {
    rest *r;
    const rest_op *op;
} rest_binding;

/* The handler for a route kind. */
ratchet_http_handler rest_handler_for(rest_kind kind);

/* ---- rest_reply.c: envelopes and errors -------------------------------------------------- */

/* Answer 200/201 with `body` as application/json. */
void rest_send_json(const rest *r, ratchet_http_request *req, int status, const char *body,
                    size_t len);
/* Append the current time as a quoted JSON string ("2026-11-26T06:40:45.123Z"). */
ratchet_status rest_append_now(ratchet_buf *b);
/* Answer {"data": <json>} with `status`. */
void rest_send_data(const rest *r, ratchet_http_request *req, int status, const char *json);
/* Answer the engine's error object in `err` (as engine.h describes it), mapped to its HTTP
 * status; a 5xx is logged with the request id. `st` is the engine call's status. */
void rest_send_engine_error(const rest *r, ratchet_http_request *req, ratchet_status st,
                            const char *err);
/* Answer 400 VALIDATION_ERROR with the formatted message; returns 0 (for `return
 * rest_invalid(...)`). */
int rest_invalid(const rest *r, ratchet_http_request *req, const char *fmt, ...)
    RATCHET_PRINTF(3, 4);
/* Out of memory while answering: a 500, logged. */
void rest_send_nomem(const rest *r, ratchet_http_request *req);
/* The HTTP status of an engine error code ("NOT_FOUND" -> 404; unknown -> 500). */
int rest_status_of_code(const char *code);
/* Build the error envelope {"error": {code, message, status[, details]}} into `out`. */
ratchet_status rest_error_envelope(ratchet_buf *out, int status, const char *code,
                                   const char *message, const char *details_json);

/* Parse a positive decimal id ("42"); 0 when it is not one (then the caller answers 404). */
int64_t rest_parse_id(const char *s);
/* The `{id}` of the route as a positive number, or answer 404 "<noun> 'x' not found" and
 * return 0. */
int64_t rest_id_param(const rest *r, ratchet_http_request *req, const char *noun);

/* Read the request's JSON body into *out (a json-c object, caller puts it), checking the
 * Content-Type (415), that it is JSON (400 BAD_REQUEST with the parser's message and offset),
 * an object (400 VALIDATION_ERROR) and matches `fields` (400 VALIDATION_ERROR naming the
 * field). `required`: an empty body is a 400; else *out is an empty object. Returns 0 after
 * answering the request on failure. */
struct json_object;
int rest_read_body(const rest *r, ratchet_http_request *req, const rest_field *fields, int required,
                   struct json_object **out);
/* A job request: the W3C traceparent request header, when present, becomes the body's
 * "traceparent" (unless the body has one), so the job joins the caller's trace. */
void rest_take_traceparent(const rest *r, ratchet_http_request *req, struct json_object *body);

/* Parse JSON text from the engine (nesting up to REST_JSON_DEPTH: a record wraps task data
 * that may itself nest 32 deep); NULL when it is not JSON. The caller puts the result. */
struct json_object *rest_parse(const char *json);
/* Serialise a json-c value compactly (borrowed string, valid while `v` lives). */
const char *rest_json_text(struct json_object *v);

/* ---- rest_query.c: list parameters ------------------------------------------------------- */

/* A list query as the engine takes it, and the page it asks for. */
typedef struct rest_page {
    int64_t offset;
    int64_t limit;
} rest_page;

/* Turn the request's query string into the engine's query JSON (appended to `out`):
 * page/limit or _start/_end, _sort/_order, and every other key as a `where` filter (suffix
 * operators, snake_case keys mapped to camelCase). Keys listed in `skip` ('|'-separated) are
 * ignored. On a malformed parameter answers 400 VALIDATION_ERROR and returns 0. */
int rest_list_query(const rest *r, ratchet_http_request *req, const char *skip, ratchet_buf *out,
                    rest_page *page);
/* Append `"meta": {"pagination": {...}, "timestamp": "..."}` (no braces around it). */
ratchet_status rest_list_meta(ratchet_buf *out, const rest_page *page, int64_t total);
/* "task_id" -> "taskId" into `out` (at most `cap` bytes with the NUL; truncated names are
 * refused by the engine as unknown fields anyway). */
void rest_camel_case(const char *in, char *out, size_t cap);

/* ---- sessions that hold an engine subscription (frontend-common's fe_session.h) ----------- */

/* A deferred execute or an event stream: the shared session, then its instance. on_expire and
 * on_close get the instance as their user pointer and find the session by its handle
 * (fe_session_claim on r->reaper). */
typedef struct rest_session {
    fe_session fe; /* first: the reaper sees the session through it */
    rest *r;
} rest_session;

/* The ops of the event streams (rest_sse.c); deferred executes use fe_wait.h. */
extern const fe_session_ops rest_sse_ops;

/* The handlers of the special kinds. */
void rest_execute_handler(void *user, ratchet_http_request *req);
void rest_events_handler(void *user, ratchet_http_request *req);
void rest_system_handler(void *user, ratchet_http_request *req);
void rest_ui_handler(void *user, ratchet_http_request *req);
void rest_logs_handler(void *user, ratchet_http_request *req);
void rest_logs_stream_handler(void *user, ratchet_http_request *req);

/* The embedded OpenAPI document (generated by plugins/embed.cmake from openapi.json). */
extern const char rest_openapi[];
extern const size_t rest_openapi_len;

#endif /* REST_H */
