/*
 * graphql_http.c - /graphql as the GraphQL-over-HTTP specification describes it: POST with a
 * JSON body {query, operationName?, variables?, extensions?}, GET with the same as query
 * parameters (queries only: a mutation over GET is 405). The answer is
 * application/graphql-response+json when the client accepts it (then a request error - syntax,
 * validation, limits, variables - is a 400) and application/json otherwise (always 200 for a
 * well-formed request, as legacy clients expect).
 *
 * With Accept: text/event-stream the request is answered as a stream (graphql-sse, see
 * graphql_sse.c); with Upgrade: websocket it becomes a WebSocket (graphql-transport-ws, see
 * graphql_ws.c): that is how subscriptions are served.
 *
 * Mutations need an API key with the write scope; the route itself asks for read.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "graphql.h"
#include "ws_conn.h"

#define MEDIA_GRAPHQL "application/graphql-response+json"
#define MEDIA_JSON    "application/json"

typedef struct reply_ctx {
    graphql *g;
    ratchet_http_request *req;
    int graphql_media; /* answering application/graphql-response+json */
    int sse;           /* Accept: text/event-stream (graphql_sse.c); errors before it: 400 */
} reply_ctx;

static void send_json(reply_ctx *rc, int status, json_object *body)
{
    const char *text = json_object_to_json_string_ext(body, JSON_C_TO_STRING_PLAIN |
                                                                JSON_C_TO_STRING_NOSLASHESCAPE);
    rc->g->http->respond(rc->req, status,
                         rc->graphql_media && !rc->sse ? MEDIA_GRAPHQL "; charset=utf-8"
                                                       : MEDIA_JSON "; charset=utf-8",
                         text, strlen(text));
}

/* A request that cannot be run: {"errors": [{"message"}]} with `status`. */
static void request_error(reply_ctx *rc, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void request_error(reply_ctx *rc, int status, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    json_object *body = json_object_new_object(), *errors = json_object_new_array();
    json_object_array_add(errors, gql_error_new(msg, 0, 0, NULL));
    json_object_object_add(body, "errors", errors);
    send_json(rc, status, body);
    json_object_put(body);
}

/* Does an Accept header list this media type (or a wildcard covering it, when `wild`)? */
static int accepts(const char *accept, const char *media, int wild)
{
    if (!accept || !*accept)
        return wild;
    size_t n = strlen(media);
    for (const char *p = accept; *p;) {
        while (*p == ' ' || *p == ',')
            p++;
        const char *end = p;
        while (*end && *end != ',' && *end != ';')
            end++;
        size_t len = (size_t)(end - p);
        while (len > 0 && p[len - 1] == ' ')
            len--;
        if ((len == n && strncasecmp(p, media, n) == 0) ||
            (wild && ((len == 3 && strncmp(p, "*/*", 3) == 0) ||
                      (len == 13 && strncasecmp(p, "application/*", 13) == 0))))
            return 1;
        while (*end && *end != ',')
            end++;
        p = end;
    }
    return 0;
}

/* The request's parameters from the body (POST) or the query string (GET). Returns 0, or
 * answers and returns -1. `params` receives a new object the caller puts. */
static int read_params(reply_ctx *rc, int get, json_object **params)
{
    const ratchet_http_api *h = rc->g->http;
    json_object *p = NULL;
    if (get) {
        p = json_object_new_object();
        static const char *const keys[] = {"query", "operationName", "variables", "extensions"};
        for (size_t i = 0; i < 4; i++) {
            const char *v = h->query(rc->req, keys[i]);
            if (!v)
                continue;
            json_object *val = json_object_new_string(v);
            if (i >= 2) { /* JSON-encoded */
                json_object_put(val);
                val = json_tokener_parse(v);
                if (!val || !json_object_is_type(val, json_type_object)) {
                    json_object_put(val);
                    json_object_put(p);
                    request_error(rc, 400, "The %s parameter must be a JSON object.", keys[i]);
                    return -1;
                }
            }
            json_object_object_add(p, keys[i], val);
        }
    } else {
        const char *ct = h->header(rc->req, "Content-Type");
        if (!ct || strncasecmp(ct, MEDIA_JSON, strlen(MEDIA_JSON)) != 0) {
            request_error(rc, 415, "POST /graphql takes a JSON body (Content-Type: %s).",
                          MEDIA_JSON);
            return -1;
        }
        size_t len = 0;
        const char *body = h->body(rc->req, &len);
        json_tokener *tok = json_tokener_new_ex(64);
        p = tok ? json_tokener_parse_ex(tok, body, (int)len) : NULL;
        int complete = tok && json_tokener_get_error(tok) == json_tokener_success &&
                       tok->char_offset == (int)len;
        json_tokener_free(tok);
        if (!p || !complete || !json_object_is_type(p, json_type_object)) {
            json_object_put(p);
            request_error(rc, 400,
                          "The body must be a JSON object {\"query\": ..., "
                          "\"operationName\": ..., \"variables\": {...}}.");
            return -1;
        }
    }
    json_object *q = NULL, *v = NULL;
    if (!json_object_object_get_ex(p, "query", &q) || !json_object_is_type(q, json_type_string)) {
        json_object_put(p);
        request_error(rc, 400, "The request has no query (a string).");
        return -1;
    }
    if (json_object_object_get_ex(p, "operationName", &v) && v &&
        !json_object_is_type(v, json_type_string)) {
        json_object_put(p);
        request_error(rc, 400, "operationName must be a string or null.");
        return -1;
    }
    if (json_object_object_get_ex(p, "variables", &v) && v &&
        !json_object_is_type(v, json_type_object)) {
        json_object_put(p);
        request_error(rc, 400, "variables must be an object or null.");
        return -1;
    }
    *params = p;
    return 0;
}

static const char *param_string(json_object *params, const char *key)
{
    json_object *v;
    return json_object_object_get_ex(params, key, &v) && v ? json_object_get_string(v) : NULL;
}

/* Errors of the steps before execution: 400 with the GraphQL media type, 200 with JSON. */
static void send_errors(reply_ctx *rc, json_object *errors)
{
    json_object *body = json_object_new_object();
    json_object_object_add(body, "errors", json_object_get(errors));
    send_json(rc, rc->graphql_media || rc->sse ? 400 : 200, body);
    json_object_put(body);
}

void graphql_request_init(gql_request *r, json_object *params, graphql_call *call)
{
    memset(r, 0, sizeof *r);
    r->query = param_string(params, "query");
    r->query_len = r->query ? strlen(r->query) : 0;
    r->operation_name = param_string(params, "operationName");
    json_object_object_get_ex(params, "variables", &r->variables);
    r->context = call;
}

json_object *graphql_execute(graphql_call *call, const gql_doc *doc, json_object *params,
                             json_object *root, gql_outcome *oc)
{
    gql_request r;
    graphql_request_init(&r, params, call);
    r.root.json = root;
    return gql_execute(call->g->schema, doc, &r, oc);
}

void graphql_execute_send(graphql_call *call, const gql_doc *doc, json_object *params,
                          int graphql_media)
{
    reply_ctx rc = {call->g, call->req, graphql_media, 0};
    gql_outcome oc;
    json_object *reply = graphql_execute(call, doc, params, NULL, &oc);
    if (!call->defer_job) /* else the answer comes later (graphql_defer.c) */
        send_json(&rc,
                  oc == GQL_OUT_DATA       ? 200
                  : oc == GQL_OUT_INTERNAL ? 500
                  : graphql_media          ? 400
                                           : 200,
                  reply);
    json_object_put(reply);
}

gql_doc *graphql_prepare(graphql *g, json_object *params, const gql_node **op, json_object *errors)
{
    const char *query = param_string(params, "query");
    const char *op_name = param_string(params, "operationName");
    size_t qlen = strlen(query);
    char msg[512];
    if (g->limits.max_bytes && qlen > g->limits.max_bytes) {
        snprintf(msg, sizeof msg,
                 "The document is %zu bytes, over the maximum document size of %zu bytes.", qlen,
                 g->limits.max_bytes);
        json_object *e = gql_error_new(msg, 0, 0, NULL), *ext = json_object_new_object();
        json_object_object_add(ext, "code", json_object_new_string("LIMIT_EXCEEDED"));
        json_object_object_add(e, "extensions", ext);
        json_object_array_add(errors, e);
        return NULL;
    }
    gql_syntax_error se;
    gql_parse_limits pl = {128, 100000};
    gql_doc *doc = gql_parse(query, qlen, &pl, &se);
    if (!doc) {
        json_object_array_add(errors, gql_error_new(se.message, se.line, se.col, NULL));
        return NULL;
    }
    if (gql_validate(g->schema, doc, errors) > 0 ||
        gql_check_limits(g->schema, doc, op_name, &g->limits, errors) > 0) {
        gql_doc_free(doc);
        return NULL;
    }
    *op = gql_find_operation(doc, op_name, msg, sizeof msg);
    if (!*op) {
        json_object_array_add(errors, gql_error_new(msg, 0, 0, NULL));
        gql_doc_free(doc);
        return NULL;
    }
    return doc;
}

int graphql_scope_refused(const gql_node *op, ratchet_http_scope scope, json_object *errors)
{
    if (op->flag != GQL_MUTATION || scope >= RATCHET_HTTP_WRITE)
        return 0;
    json_object_array_add(errors, gql_error_new("Mutations need an API key with the write scope.",
                                                op->line, op->col, NULL));
    return 1;
}

/* Answer {"errors": errors} with `status` (a 405 or 403). */
static void send_refusal(reply_ctx *rc, int status, json_object *errors)
{
    json_object *body = json_object_new_object();
    json_object_object_add(body, "errors", json_object_get(errors));
    send_json(rc, status, body);
    json_object_put(body);
}

/* `params` is borrowed (the caller puts it). */
static void run(reply_ctx *rc, int get, json_object *params)
{
    graphql *g = rc->g;
    json_object *errors = json_object_new_array();
    const gql_node *op = NULL;
    gql_doc *doc = graphql_prepare(g, params, &op, errors);
    if (!doc)
        goto failed;
    if (op->flag == GQL_MUTATION && get) {
        g->http->add_header(rc->req, "Allow", "POST");
        json_object_array_add(errors, gql_error_new("Mutations are sent with POST, not GET.",
                                                    op->line, op->col, NULL));
        send_refusal(rc, 405, errors);
        json_object_put(errors);
        gql_doc_free(doc);
        return;
    }
    if (graphql_scope_refused(op, g->http->key_scope(rc->req), errors)) {
        send_refusal(rc, 403, errors);
        json_object_put(errors);
        gql_doc_free(doc);
        return;
    }
    if (rc->sse) { /* the document and a reference to the parameters go to the stream */
        json_object_put(errors);
        graphql_sse_serve(g, rc->req, doc, json_object_get(params));
        return;
    }
    if (op->flag == GQL_SUBSCRIPTION) {
        json_object_array_add(
            errors, gql_error_new("Subscriptions are served as a stream: send the request "
                                  "with Accept: text/event-stream (graphql-sse).",
                                  op->line, op->col, NULL));
        goto failed;
    }
    json_object_put(errors);
    graphql_call call = {.g = g, .req = rc->req, .may_defer = graphql_defer_eligible(op)};
    if (call.may_defer) {
        graphql_execute_send(&call, doc, params, rc->graphql_media);
        if (call.defer_job) /* the job runs; the answer comes when it ends */
            graphql_defer_answer(&call, doc, json_object_get(params), rc->graphql_media);
        else
            gql_doc_free(doc);
        return;
    }
    graphql_execute_send(&call, doc, params, rc->graphql_media);
    gql_doc_free(doc);
    return;
failed:
    send_errors(rc, errors);
    json_object_put(errors);
    gql_doc_free(doc);
}

void graphql_handle(void *user, ratchet_http_request *req)
{
    graphql *g = user;
    if (ws_conn_requested(g->http, req)) { /* WebSocket with the key in the headers */
        graphql_ws_handle(g, req);
        return;
    }
    reply_ctx rc = {g, req, 0, 0};
    const char *accept = g->http->header(req, "Accept");
    rc.graphql_media = accepts(accept, MEDIA_GRAPHQL, 0);
    rc.sse = accepts(accept, "text/event-stream", 0);
    if (!rc.sse && !rc.graphql_media && !accepts(accept, MEDIA_JSON, 1)) {
        rc.graphql_media = 1;
        request_error(&rc, 406, "Accept %s or %s.", MEDIA_GRAPHQL, MEDIA_JSON);
        return;
    }
    int get = strcmp(g->http->method(req), "POST") != 0; /* GET, or HEAD answered as GET */
    json_object *params = NULL;
    if (read_params(&rc, get, &params) < 0)
        return;
    run(&rc, get, params);
    json_object_put(params);
}
