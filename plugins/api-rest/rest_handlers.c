/*
 * plugins/api-rest/rest_handlers.c - the handler of every resource route (the rows of
 * rest_routes.c with a data kind): read the request's id, list parameters or body, make the
 * engine call the row names, and shape the answer into the kind's envelope:
 *
 *   lists     {"data": [...], "meta": {"pagination": {...}, "timestamp"}}
 *   records   {"data": {...}}               (201 and Location for a create)
 *   actions   {"success": true, "message", "data": {...}}
 *   trigger   {"data": {"success": true, "message", "job": {...}}}   (as the original)
 *   stats     {"stats": {...}, "timestamp", "period": null}
 *
 * One handler serves them all so that each step (ids, errors, envelopes) is written once.
 */
#define _POSIX_C_SOURCE 200809L

#include <string.h>

#include <json-c/json.h>

#include "rest.h"

typedef ratchet_status (*fn_text)(const char *, ratchet_buf *);
typedef ratchet_status (*fn_id)(int64_t, ratchet_buf *);
typedef ratchet_status (*fn_id_text)(int64_t, const char *, ratchet_buf *);
typedef ratchet_status (*fn_out)(ratchet_buf *);
typedef ratchet_status (*fn_ref_flag)(const char *, int, ratchet_buf *);
typedef ratchet_status (*fn_ref_text)(const char *, const char *, ratchet_buf *);

/* The engine function of a row, read at its offset in the interface. */
#define ENGINE_FN(r, op, type) (*(const type *)(const void *)((const char *)(r)->eng + (op)->fn))

/* What a request carries to its engine call. */
typedef struct call_args {
    int64_t id;      /* numeric {id} */
    const char *ref; /* {id} as given: an id or a name */
    ratchet_buf arg; /* the list query or the body, JSON */
    rest_page page;
} call_args;

static int kind_has_numeric_id(rest_kind k)
{
    return k == REST_LIST_OF_ID || k == REST_GET_ID || k == REST_ACTION_ID;
}

void rest_take_traceparent(const rest *r, ratchet_http_request *req, struct json_object *body)
{
    const char *tp = r->http->header(req, "traceparent");
    if (tp && json_object_is_type(body, json_type_object) &&
        !json_object_object_get_ex(body, "traceparent", NULL))
        json_object_object_add(body, "traceparent", json_object_new_string(tp));
}

/* Read what the kind needs from the request; answers it and returns 0 when it is wrong. */
static int prepare(const rest *r, const rest_op *op, ratchet_http_request *req, call_args *a)
{
    a->ref = r->http->param(req, "id");
    if (kind_has_numeric_id(op->kind) && (a->id = rest_id_param(r, req, op->noun)) == 0)
        return 0;
    if (op->kind == REST_LIST || op->kind == REST_LIST_OF_ID)
        return rest_list_query(r, req, NULL, &a->arg, &a->page);
    if (op->kind == REST_CREATE || op->kind == REST_UPDATE_REF) {
        struct json_object *body = NULL;
        if (!rest_read_body(r, req, op->fields, 1, &body))
            return 0;
        if (op->noun && strcmp(op->noun, "job") == 0) /* POST /jobs */
            rest_take_traceparent(r, req, body);
        const char *text = rest_json_text(body);
        ratchet_status st = rest_host->buf_append(&a->arg, text, strlen(text));
        json_object_put(body);
        if (st != RATCHET_OK)
            rest_send_nomem(r, req);
        return st == RATCHET_OK;
    }
    return 1;
}

/* The engine call of the row. */
static ratchet_status call(const rest *r, const rest_op *op, const call_args *a, ratchet_buf *out)
{
    switch (op->kind) {
    case REST_LIST:
    case REST_CREATE:
        return ENGINE_FN(r, op, fn_text)(a->arg.data, out);
    case REST_GET_REF:
    case REST_ACTION_REF:
    case REST_TRIGGER_REF:
        return ENGINE_FN(r, op, fn_text)(a->ref, out);
    case REST_LIST_OF_ID:
        return ENGINE_FN(r, op, fn_id_text)(a->id, a->arg.data, out);
    case REST_GET_ID:
    case REST_ACTION_ID:
        return ENGINE_FN(r, op, fn_id)(a->id, out);
    case REST_ARRAY:
    case REST_PLAIN:
        return ENGINE_FN(r, op, fn_out)(out);
    case REST_ENABLE_REF:
        return ENGINE_FN(r, op, fn_ref_flag)(a->ref, op->flag, out);
    case REST_UPDATE_REF:
        return ENGINE_FN(r, op, fn_ref_text)(a->ref, a->arg.data, out);
    case REST_STATS:
        return r->eng->stats(op->noun, out);
    default:
        return RATCHET_UNSUPPORTED;
    }
}

/* The row's message with "%s" replaced by the {id} as given (no printf on table text). */
static ratchet_status append_message(ratchet_buf *b, const char *done, const char *ref)
{
    const char *at = strstr(done, "%s");
    ratchet_status st = rest_host->buf_append(b, done, at ? (size_t)(at - done) : strlen(done));
    if (at && st == RATCHET_OK)
        st = rest_host->buf_printf(b, "%s%s", ref ? ref : "", at + 2);
    return st;
}

/* A list envelope from the engine's {items, total} (or a bare array: every item, one page). */
static ratchet_status shape_list(ratchet_buf *b, rest_page *page, const char *json)
{
    struct json_object *o = rest_parse(json), *items = NULL, *total = NULL;
    if (!o)
        return RATCHET_ERR;
    if (json_object_is_type(o, json_type_array)) {
        items = o;
        page->offset = 0;
        page->limit = (int64_t)json_object_array_length(o);
        if (page->limit == 0)
            page->limit = REST_LIMIT_DEFAULT;
    } else {
        json_object_object_get_ex(o, "items", &items);
        json_object_object_get_ex(o, "total", &total);
    }
    int64_t n = total ? json_object_get_int64(total)
                      : (items ? (int64_t)json_object_array_length(items) : 0);
    ratchet_status st =
        rest_host->buf_printf(b, "{\"data\":%s,", items ? rest_json_text(items) : "[]");
    if (st == RATCHET_OK)
        st = rest_list_meta(b, page, n);
    if (st == RATCHET_OK)
        st = rest_host->buf_append(b, "}", 1);
    json_object_put(o);
    return st;
}

/* Location of a created record: the request path and the record's id. */
static void add_location(const rest *r, ratchet_http_request *req, const char *json)
{
    struct json_object *o = rest_parse(json), *id = NULL;
    if (json_object_object_get_ex(o, "id", &id)) {
        ratchet_buf loc = RATCHET_BUF_INIT;
        if (rest_host->buf_printf(&loc, "%s/%s", r->http->path(req), json_object_get_string(id)) ==
            RATCHET_OK)
            r->http->add_header(req, "Location", loc.data);
        rest_host->buf_free(&loc);
    }
    json_object_put(o);
}

/* The kind's envelope around the engine's answer `json` into b; the status into *status. */
static ratchet_status shape(const rest *r, const rest_op *op, ratchet_http_request *req,
                            call_args *a, const char *json, ratchet_buf *b, int *status)
{
    const char *data = json && *json ? json : "null";
    ratchet_status st = RATCHET_OK;
    *status = 200;
    switch (op->kind) {
    case REST_LIST:
    case REST_LIST_OF_ID:
    case REST_ARRAY:
        return shape_list(b, &a->page, data);
    case REST_CREATE:
        *status = 201;
        add_location(r, req, data);
        return rest_host->buf_printf(b, "{\"data\":%s}", data);
    case REST_ACTION_ID:
    case REST_ACTION_REF:
    case REST_ENABLE_REF:
    case REST_TRIGGER_REF:
        st = rest_host->buf_printf(b, "%s\"success\":true,\"message\":",
                                   op->kind == REST_TRIGGER_REF ? "{\"data\":{" : "{");
        if (st == RATCHET_OK) {
            ratchet_buf msg = RATCHET_BUF_INIT;
            st = append_message(&msg, op->done, a->ref);
            if (st == RATCHET_OK)
                st = rest_host->buf_json_string(b, msg.data);
            rest_host->buf_free(&msg);
        }
        if (st == RATCHET_OK)
            st = rest_host->buf_printf(b, ",\"%s\":%s}%s",
                                       op->kind == REST_TRIGGER_REF ? "job" : "data", data,
                                       op->kind == REST_TRIGGER_REF ? "}" : "");
        return st;
    case REST_STATS:
        st = rest_host->buf_printf(b, "{\"stats\":%s,\"timestamp\":", data);
        if (st == RATCHET_OK)
            st = rest_append_now(b);
        if (st == RATCHET_OK)
            st = rest_host->buf_printf(b, ",\"period\":null}");
        return st;
    default:
        return rest_host->buf_printf(b, "{\"data\":%s}", data);
    }
}

static void data_handler(void *user, ratchet_http_request *req)
{
    const rest_binding *bind = user;
    const rest *r = bind->r;
    const rest_op *op = bind->op;
    call_args a = {0, NULL, RATCHET_BUF_INIT, {0, REST_LIMIT_DEFAULT}};
    ratchet_buf out = RATCHET_BUF_INIT, answer = RATCHET_BUF_INIT;
    if (prepare(r, op, req, &a)) {
        ratchet_status st = call(r, op, &a, &out);
        int status = 200;
        if (st != RATCHET_OK)
            rest_send_engine_error(r, req, st, out.data);
        else if (shape(r, op, req, &a, out.data, &answer, &status) != RATCHET_OK)
            rest_send_nomem(r, req);
        else
            rest_send_json(r, req, status, answer.data, answer.len);
    }
    rest_host->buf_free(&a.arg);
    rest_host->buf_free(&out);
    rest_host->buf_free(&answer);
}

ratchet_http_handler rest_handler_for(rest_kind kind)
{
    switch (kind) {
    case REST_ROOT:
    case REST_HEALTH:
    case REST_HEALTH_DETAILED:
    case REST_READY:
    case REST_LIVE:
    case REST_METRICS:
    case REST_OPENAPI:
        return rest_system_handler;
    case REST_EXECUTE:
        return rest_execute_handler;
    case REST_EVENTS:
        return rest_events_handler;
    case REST_WHOAMI:
    case REST_KEY_CREATE:
    case REST_CRON_PREVIEW:
    case REST_VALIDATE_INPUT:
    case REST_TASK_SOURCE:
    case REST_TASK_TEST:
    case REST_TIMELINE:
        return rest_ui_handler;
    case REST_ANALYSIS:
    case REST_LOGS_SEARCH:
    case REST_LOGS_TRENDS:
    case REST_PATTERNS:
    case REST_PATTERN_TEST:
        return rest_logs_handler;
    case REST_LOGS_STREAM:
        return rest_logs_stream_handler;
    default:
        return data_handler;
    }
}
