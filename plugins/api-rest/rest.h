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
 * read-only after start() except for the session list and the reaper queue (rest_reap.c),
 * guarded by the instance's mutex.
 */
#ifndef REST_H
#define REST_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include <ratchet/plugin.h>

#define REST_PREFIX        "/api/v1"
#define REST_LIMIT_DEFAULT 25
#define REST_LIMIT_MAX     100
#define REST_WAIT_DEFAULT  30  /* seconds, ?wait= of POST /tasks/{id}/execute */
#define REST_WAIT_MAX      300 /* seconds */
#define REST_JSON_DEPTH    64

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
    REST_EVENTS           /* GET .../{id}/events as Server-Sent Events (rest_sse.c) */
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

typedef struct rest_session rest_session;

/* One api-rest instance. */
typedef struct rest {
    ratchet_ctx *ctx;
    const ratchet_engine_api *eng;
    const ratchet_http_api *http;
    struct rest_binding *bindings; /* one per route: {rest, op}, the routes' user pointers */
    int mounted;

    pthread_mutex_t lock; /* guards everything below */
    pthread_cond_t cond;  /* the reaper waits for work; stop() for sessions to end */
    rest_session *live;   /* deferred executes and event streams not yet freed */
    rest_session *queue;  /* sessions whose subscription the reaper must end */
    int reaper_running, stopping, give_up;
    pthread_t reaper;
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

/* ---- rest_reap.c: sessions that hold an engine subscription ---------------------------- */

/*
 * A deferred execute or an event stream holds an engine subscription, which must be ended
 * with unsubscribe() exactly once and never from inside the subscription's callback (engine.h).
 * Whoever sees the session end (the event callback on the final event, the http plugin's
 * on_expire/on_close, stop()) marks it ended; once subscribe() has also returned, the session
 * is handed, once, to the instance's reaper thread, which unsubscribes and then finishes it by
 * kind (answers the request, closes the stream) and frees it.
 *
 * Lock order: r->lock before s->lock. Code holding only s->lock never takes r->lock: it asks
 * rest_session_end_locked() whether to queue, unlocks, then calls rest_reaper_push().
 *
 * The http plugin's on_expire/on_close get the instance, not the session, as their user
 * pointer, and find the session by its request/stream handle (rest_session_claim). The http
 * plugin decides to call them under its own lock and calls them after releasing it, so one may
 * already be on its way when our answer or stream_close() is accepted; the handle is still
 * valid then (http.h), but the session may be gone. Looking it up under r->lock, and freeing a
 * session only after unlinking it and taking its lock once more, makes that case safe: the
 * late callback finds nothing, or finds the session and sees it answered/closed.
 */
typedef enum rest_session_kind { REST_SESSION_EXECUTE, REST_SESSION_EVENTS } rest_session_kind;

struct rest_session {
    rest_session_kind kind;
    rest *r;
    pthread_mutex_t lock;
    ratchet_engine_sub *sub;
    int subscribed;     /* subscribe() returned (sub may be NULL when it failed) */
    int ended;          /* no more events wanted: final event, client gone, expired, stopping */
    int queued;         /* handed to the reaper (at most once) */
    const void *handle; /* the request (execute) or stream (events) the http plugin knows */
    rest_session *next_live, *prev_live, *next_queued;
};

/* Start the reaper thread (start()). */
ratchet_status rest_reaper_start(rest *r);
/* stop(): end every live session (answer 202 / write `event: end`), wait for them (bounded)
 * and join the reaper. Call after unmount(), so that no handler is running. */
void rest_reaper_stop(rest *r);
/* Initialise and track a new session of `handle` (its request or stream); RATCHET_ERR when
 * the instance is stopping. */
ratchet_status rest_session_add(rest *r, rest_session *s, rest_session_kind kind,
                                const void *handle);
/* With s->lock held: mark it ended; 1 when the caller must rest_reaper_push() it (after
 * unlocking): subscribe() has returned and nobody queued it before. */
int rest_session_end_locked(rest_session *s);
/* subscribe() returned `sub` (NULL: it failed, which ends the session): record it and, if the
 * session has ended meanwhile (a final event replayed from inside subscribe(), an on_expire
 * or on_close), hand it to the reaper. The caller does not touch `s` afterwards. */
void rest_session_subscribed(rest_session *s, ratchet_engine_sub *sub);
/* The live session of `handle` (a request or stream), returned with its lock held; NULL when
 * there is none (it ended and was freed). For on_expire/on_close. */
rest_session *rest_session_claim(rest *r, const void *handle);
/* Hand an ended session to the reaper. Do not hold s->lock. */
void rest_reaper_push(rest_session *s);
/* Untrack and free a session (by kind). Do not hold s->lock or r->lock. */
void rest_session_release(rest_session *s);

/* Per kind (rest_execute.c, rest_sse.c). reaped: after unsubscribe, on the reaper thread:
 * answer/close as needed (the reaper frees the session next). abort: stop() ends a live
 * session, with r->lock held; returns what rest_session_end_locked() returned. free: release
 * the memory. */
void rest_execute_reaped(rest_session *s);
void rest_sse_reaped(rest_session *s);
int rest_execute_abort(rest_session *s);
int rest_sse_abort(rest_session *s);
void rest_execute_free(rest_session *s);
void rest_sse_free(rest_session *s);

/* The handlers of the special kinds. */
void rest_execute_handler(void *user, ratchet_http_request *req);
void rest_events_handler(void *user, ratchet_http_request *req);
void rest_system_handler(void *user, ratchet_http_request *req);

/* The embedded OpenAPI document (generated by plugins/embed.cmake from openapi.json). */
extern const char rest_openapi[];
extern const size_t rest_openapi_len;

#endif /* REST_H */
