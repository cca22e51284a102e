/*
 * graphql_ws.c - GraphQL over WebSocket, the graphql-transport-ws protocol (the one the
 * `graphql-ws` npm library speaks), on frontend-common's WebSocket connections (ws_conn.h):
 *
 *   client                                   server
 *   connection_init {payload?}          ->
 *                                       <-   connection_ack
 *   subscribe {id, payload: {query, operationName?, variables?}}
 *                                       <-   next {id, payload: result} ...
 *                                       <-   complete {id}   (or error {id, payload: [errors]})
 *   complete {id}                       ->   (the client stops a subscription)
 *   ping / pong                        <->   pong / (nothing)
 *
 * Protocol errors close the connection with the protocol's codes: 4400 a message that is not
 * one of these, 4401 subscribe before the acknowledgement, 4403 no valid API key, 4408 no
 * connection_init within connection_init_timeout, 4409 an id already running, 4429 a second
 * connection_init. Framing errors are ws_conn.c's (1002, 1007, 1009).
 *
 * Authentication as over HTTP: the API key of the upgrade request (Authorization: Bearer, or
 * X-API-Key), else the connection_init payload's {"Authorization": "Bearer KEY"} or
 * {"apiKey": "KEY"} (browsers cannot set headers on a WebSocket). Queries and subscriptions
 * need the read scope, mutations write. With `auth: none` everything is allowed.
 *
 * Threading. The connection's reader thread runs on_text (queries and mutations execute there,
 * one at a time); subscriptions run on their own threads (graphql_sub.c) and write their
 * results through the op's sink. The session lives while the reader or an op holds it.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "graphql.h"
#include "ws_conn.h"

#define WS_PROTOCOL "graphql-transport-ws"

typedef struct ws_session ws_session;

/* One subscription of the connection: its sink's user and handle. */
typedef struct ws_op {
    ws_session *ws;
    char *id;
    struct ws_op *next;
} ws_op;

struct ws_session {
    atomic_int refs; /* the reader's, one per op */
    graphql *g;
    ws_conn *conn;
    pthread_mutex_t mu; /* ops */
    ws_op *ops;
    size_t nops;
    /* the reader's own state */
    int init_seen, acked;
    ratchet_http_scope scope; /* from the upgrade request's key; PUBLIC: none yet */
    int64_t init_deadline_ms;
    struct ws_session *next_live; /* in g->ws_sessions, guarded by g->lock */
};

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void session_unref(ws_session *ws)
{
    if (atomic_fetch_sub(&ws->refs, 1) != 1)
        return;
    if (ws->conn)
        ws_conn_unref(ws->conn);
    pthread_mutex_destroy(&ws->mu);
    free(ws);
}

/* Send {"type": type, "id"?: id, "payload"?: payload}. */
static void send_msg(ws_session *ws, const char *type, const char *id, json_object *payload)
{
    json_object *m = json_object_new_object();
    if (id)
        json_object_object_add(m, "id", json_object_new_string(id));
    json_object_object_add(m, "type", json_object_new_string(type));
    if (payload)
        json_object_object_add(m, "payload", json_object_get(payload));
    const char *text =
        json_object_to_json_string_ext(m, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
    ws_conn_send_text(ws->conn, text, strlen(text));
    json_object_put(m);
}

/* ---- the sink of one subscription (graphql_sub.c) ------------------------------------------ */

static int op_open(void *user, const void **handle)
{
    *handle = user;
    return 0;
}

static void op_next(void *user, json_object *result)
{
    ws_op *op = user;
    send_msg(op->ws, "next", op->id, result);
}

static void op_complete(void *user)
{
    ws_op *op = user;
    send_msg(op->ws, "complete", op->id, NULL);
}

static void op_release(void *user)
{
    ws_op *op = user;
    ws_session *ws = op->ws;
    pthread_mutex_lock(&ws->mu);
    for (ws_op **p = &ws->ops; *p; p = &(*p)->next)
        if (*p == op) {
            *p = op->next;
            ws->nops--;
            break;
        }
    pthread_mutex_unlock(&ws->mu);
    free(op->id);
    free(op);
    session_unref(ws);
}

/* ---- messages ----------------------------------------------------------------------------- */

static json_object *member(json_object *o, const char *k)
{
    json_object *v = NULL;
    return json_object_is_type(o, json_type_object) && json_object_object_get_ex(o, k, &v) ? v
                                                                                           : NULL;
}

static const char *string_member(json_object *o, const char *k)
{
    json_object *v = member(o, k);
    return json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

/* The scope of an API key (its secret), PUBLIC when it is not a valid one. */
static ratchet_http_scope key_scope(graphql *g, const char *secret)
{
    if (!secret || !*secret)
        return RATCHET_HTTP_PUBLIC;
    if (strncasecmp(secret, "Bearer ", 7) == 0)
        secret += 7;
    while (*secret == ' ')
        secret++;
    ratchet_buf name = RATCHET_BUF_INIT;
    int scope = 0;
    ratchet_status st = g->eng->key_verify(secret, &name, &scope);
    graphql_host->buf_free(&name);
    return st == RATCHET_OK && scope >= RATCHET_HTTP_READ ? (ratchet_http_scope)scope
                                                          : RATCHET_HTTP_PUBLIC;
}

static void on_init(ws_session *ws, json_object *msg)
{
    json_object *payload = member(msg, "payload");
    if (ws->init_seen) {
        ws_conn_close(ws->conn, 4429, "Too many initialisation requests");
        return;
    }
    ws->init_seen = 1;
    if (payload && !json_object_is_type(payload, json_type_object) &&
        !json_object_is_type(payload, json_type_null)) {
        ws_conn_close(ws->conn, 4400, "Invalid message received: payload must be an object");
        return;
    }
    if (ws->scope == RATCHET_HTTP_PUBLIC) {
        const char *k = string_member(payload, "Authorization");
        if (!k)
            k = string_member(payload, "authorization");
        if (!k)
            k = string_member(payload, "apiKey");
        ws->scope = key_scope(ws->g, k);
    }
    if (ws->scope == RATCHET_HTTP_PUBLIC) {
        ws_conn_close(ws->conn, 4403, "Forbidden: send a valid API key");
        return;
    }
    ws->acked = 1;
    send_msg(ws, "connection_ack", NULL, NULL);
}

/* A query or mutation: one `next` and `complete`, here on the reader thread. */
static void run_once(ws_session *ws, const char *id, gql_doc *doc, json_object *params)
{
    graphql_call call = {.g = ws->g};
    json_object *result = graphql_execute(&call, doc, params, NULL, NULL);
    send_msg(ws, "next", id, result);
    send_msg(ws, "complete", id, NULL);
    json_object_put(result);
    gql_doc_free(doc);
}

/* A subscription on its own thread, as an op of the connection. */
static void start_sub(ws_session *ws, const char *id, gql_doc *doc, json_object *params)
{
    char msg[512] = "out of memory";
    int status = 500;
    ws_op *op = calloc(1, sizeof *op);
    pthread_mutex_lock(&ws->mu);
    int full = ws->nops >= ws->g->max_subs_per_conn;
    if (op && !full && (op->id = strdup(id))) {
        op->ws = ws;
        op->next = ws->ops;
        ws->ops = op;
        ws->nops++;
        atomic_fetch_add(&ws->refs, 1);
    }
    pthread_mutex_unlock(&ws->mu);
    if (full)
        snprintf(msg, sizeof msg, "Too many subscriptions on this connection: at most %zu at once.",
                 ws->g->max_subs_per_conn);
    if (op && op->ws) {
        graphql_sink sink = {op_open, op_next, op_complete, op_release, op, NULL};
        if (graphql_sub_start(ws->g, NULL, doc, json_object_get(params), &sink, msg, sizeof msg,
                              &status) == 0)
            return;
        json_object_put(params); /* the reference given */
        op_release(op);
        op = NULL;
    } else if (op) {
        free(op->id);
        free(op);
        op = NULL;
    }
    json_object *errors = json_object_new_array();
    json_object_array_add(errors, gql_error_new(msg, 0, 0, NULL));
    send_msg(ws, "error", id, errors);
    json_object_put(errors);
    gql_doc_free(doc);
}

static int id_running(ws_session *ws, const char *id)
{
    pthread_mutex_lock(&ws->mu);
    ws_op *op = ws->ops;
    while (op && strcmp(op->id, id) != 0)
        op = op->next;
    pthread_mutex_unlock(&ws->mu);
    return op != NULL;
}

static void on_subscribe(ws_session *ws, json_object *msg)
{
    const char *id = string_member(msg, "id");
    json_object *params = member(msg, "payload");
    if (!ws->acked) {
        ws_conn_close(ws->conn, 4401, "Unauthorized");
        return;
    }
    if (!id || !*id || !string_member(params, "query") ||
        (member(params, "variables") &&
         !json_object_is_type(member(params, "variables"), json_type_object) &&
         !json_object_is_type(member(params, "variables"), json_type_null))) {
        ws_conn_close(ws->conn, 4400,
                      "Invalid message received: subscribe needs an id and a payload "
                      "{query, operationName?, variables?}");
        return;
    }
    if (id_running(ws, id)) {
        char m[120];
        snprintf(m, sizeof m, "Subscriber for %.80s already exists", id);
        ws_conn_close(ws->conn, 4409, m);
        return;
    }
    json_object *errors = json_object_new_array();
    const gql_node *op = NULL;
    gql_doc *doc = graphql_prepare(ws->g, params, &op, errors);
    if (doc && graphql_scope_refused(op, ws->scope, errors)) {
        gql_doc_free(doc);
        doc = NULL;
    }
    if (!doc)
        send_msg(ws, "error", id, errors);
    else if (op->flag == GQL_SUBSCRIPTION)
        start_sub(ws, id, doc, params);
    else
        run_once(ws, id, doc, params);
    json_object_put(errors);
}

static void on_complete(ws_session *ws, json_object *msg)
{
    const char *id = string_member(msg, "id");
    if (!id) {
        ws_conn_close(ws->conn, 4400, "Invalid message received: complete needs an id");
        return;
    }
    pthread_mutex_lock(&ws->mu);
    ws_op *op = ws->ops;
    while (op && strcmp(op->id, id) != 0)
        op = op->next;
    pthread_mutex_unlock(&ws->mu);
    if (op) /* compared, never followed, by the cancel: safe even if it just ended */
        graphql_sub_cancel(ws->g, op, 0);
}

/* ---- the connection's handler (ws_conn.h) -------------------------------------------------- */

static void ws_open(void *user, ws_conn *c)
{
    ws_session *ws = user;
    ws_conn_ref(c);
    pthread_mutex_lock(&ws->g->lock);
    ws->conn = c;
    int stopping = ws->g->stopping;
    pthread_mutex_unlock(&ws->g->lock);
    ws->init_deadline_ms = now_ms() + ws->g->ws_init_timeout_ms;
    if (stopping) /* switched after graphql_ws_stop looked */
        ws_conn_close(c, 1001, "the server is stopping");
}

static void ws_text(void *user, ws_conn *c, const char *text, size_t len)
{
    ws_session *ws = user;
    json_tokener *tok = json_tokener_new_ex(64);
    json_object *msg = tok ? json_tokener_parse_ex(tok, text, (int)len) : NULL;
    if (tok && json_tokener_get_error(tok) != json_tokener_success) {
        json_object_put(msg);
        msg = NULL;
    }
    json_tokener_free(tok);
    const char *type = string_member(msg, "type");
    if (!type)
        ws_conn_close(c, 4400, "Invalid message received: a JSON object with a type");
    else if (strcmp(type, "connection_init") == 0)
        on_init(ws, msg);
    else if (strcmp(type, "ping") == 0)
        send_msg(ws, "pong", NULL, NULL);
    else if (strcmp(type, "pong") == 0)
        ;
    else if (strcmp(type, "subscribe") == 0)
        on_subscribe(ws, msg);
    else if (strcmp(type, "complete") == 0)
        on_complete(ws, msg);
    else {
        char m[120];
        snprintf(m, sizeof m, "Invalid message received: unexpected type %.60s", type);
        ws_conn_close(c, 4400, m);
    }
    json_object_put(msg);
}

static void ws_tick(void *user, ws_conn *c)
{
    ws_session *ws = user;
    if (!ws->init_seen && now_ms() >= ws->init_deadline_ms)
        ws_conn_close(c, 4408, "Connection initialisation timeout");
}

/* The connection ended: stop its subscriptions (they release their ops and the session). */
/* Track / untrack a session in g->ws_sessions (stop() closes them and waits). */
static int list(ws_session *ws)
{
    graphql *g = ws->g;
    pthread_mutex_lock(&g->lock);
    int stopping = g->stopping;
    if (!stopping) {
        ws->next_live = g->ws_sessions;
        g->ws_sessions = ws;
        g->ws_live++;
    }
    pthread_mutex_unlock(&g->lock);
    return stopping ? -1 : 0;
}

static void unlist(ws_session *ws)
{
    graphql *g = ws->g;
    pthread_mutex_lock(&g->lock);
    for (ws_session **p = &g->ws_sessions; *p; p = &(*p)->next_live)
        if (*p == ws) {
            *p = ws->next_live;
            g->ws_live--;
            break;
        }
    pthread_cond_broadcast(&g->idle);
    pthread_mutex_unlock(&g->lock);
}

static void ws_end(void *user, ws_conn *c)
{
    (void)c;
    ws_session *ws = user;
    pthread_mutex_lock(&ws->mu);
    size_t n = 0;
    const void **picks = ws->nops ? malloc(ws->nops * sizeof *picks) : NULL;
    for (ws_op *op = ws->ops; op && picks; op = op->next)
        picks[n++] = op;
    pthread_mutex_unlock(&ws->mu);
    for (size_t i = 0; i < n; i++) /* compared, never followed (see on_complete) */
        graphql_sub_cancel(ws->g, picks[i], 0);
    free(picks);
    unlist(ws); /* the last use of g: stop() may return once every session is unlisted */
    session_unref(ws);
}

void graphql_ws_handle(void *user, ratchet_http_request *req)
{
    graphql *g = user;
    ws_session *ws = calloc(1, sizeof *ws);
    if (!ws) {
        g->http->respond_error(req, 503, "SERVICE_UNAVAILABLE", "out of memory");
        return;
    }
    atomic_init(&ws->refs, 1);
    pthread_mutex_init(&ws->mu, NULL);
    ws->g = g;
    /* with auth: none every request is ADMIN; on /graphql the http plugin checked the key; on
     * the public /graphql/ws a key in the headers is checked here, else connection_init's */
    ws->scope = g->http->key_scope(req);
    if (ws->scope == RATCHET_HTTP_PUBLIC) {
        const char *k = g->http->header(req, "Authorization");
        if (!k)
            k = g->http->header(req, "X-API-Key");
        ws->scope = key_scope(g, k);
        if (k && ws->scope == RATCHET_HTTP_PUBLIC) {
            g->http->respond_error(req, 401, "UNAUTHORIZED", "the API key is not valid");
            pthread_mutex_destroy(&ws->mu);
            free(ws);
            return;
        }
    }
    ws_limits lim = {g->ws_max_message, 1000};
    ws_handler h = {ws_open, ws_text, ws_tick, ws_end};
    if (!RATCHET_HAS_FIELD(g->http, ratchet_http_api, upgraded_close)) {
        g->http->respond_error(req, 501, "NOT_IMPLEMENTED",
                               "this http plugin cannot upgrade connections (WebSocket)");
    } else if (list(ws) < 0) {
        g->http->respond_error(req, 503, "SERVICE_UNAVAILABLE", "the server is stopping");
    } else if (ws_conn_accept(g->http, req, WS_PROTOCOL, &lim, &h, ws) == RATCHET_OK) {
        return;
    } else {
        unlist(ws);
    }
    pthread_mutex_destroy(&ws->mu);
    free(ws);
}

void graphql_ws_stop(graphql *g)
{
    pthread_mutex_lock(&g->lock);
    g->stopping = 1;
    size_t n = 0;
    ws_conn **conns = g->ws_live ? malloc(g->ws_live * sizeof *conns) : NULL;
    for (ws_session *ws = g->ws_sessions; ws && conns; ws = ws->next_live)
        if (ws->conn) {
            ws_conn_ref(ws->conn);
            conns[n++] = ws->conn;
        }
    pthread_mutex_unlock(&g->lock);
    for (size_t i = 0; i < n; i++) { /* outside the lock: a close frame is a write */
        ws_conn_close(conns[i], 1001, "the server is stopping");
        ws_conn_unref(conns[i]);
    }
    free(conns);
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += 5; /* the readers end after the clients' close answers, or 2 s */
    pthread_mutex_lock(&g->lock);
    while (g->ws_live > 0 && pthread_cond_timedwait(&g->idle, &g->lock, &until) == 0)
        ;
    if (g->ws_live > 0)
        graphql_host->log(g->ctx, RATCHET_LOG_WARN, "stop: %zu WebSocket connection(s) still open",
                          g->ws_live);
    pthread_mutex_unlock(&g->lock);
}
