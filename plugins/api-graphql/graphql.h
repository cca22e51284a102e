/*
 * plugins/api-graphql/graphql.h - what the files of the api-graphql plugin share.
 *
 * The plugin serves schema.graphql (embedded at build time) with the GraphQL library of
 * graphql/ (gql.h): graphql.c is the descriptor and life cycle, graphql_http.c the /graphql
 * endpoint (GraphQL over HTTP), graphql_query.c, graphql_mutation.c and graphql_author.c the
 * resolvers, which call the engine (engine.h) and give its records the schema's shapes
 * (graphql_shape.c).
 *
 * Threading: requests run on the http plugin's pool threads, concurrently. The instance and
 * the schema are read-only after start().
 */
#ifndef GRAPHQL_PLUGIN_H
#define GRAPHQL_PLUGIN_H

#include <json-c/json.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include <ratchet/engine.h>
#include <ratchet/frontend.h>
#include <ratchet/http.h>
#include <ratchet/plugin.h>

#include "fe_session.h"
#include "gql.h"

#define GRAPHQL_PATH          "/graphql"
#define GRAPHQL_WS_PATH       "/graphql/ws" /* public: the key may come in connection_init */
#define GRAPHQL_SYNC_WAIT_MAX 300           /* seconds: executeTaskSync(timeoutSeconds:) at most */

extern const ratchet_host_api *graphql_host;
extern const char graphql_schema[];
extern const size_t graphql_schema_len;

typedef struct graphql_sub graphql_sub;
struct ws_session;

typedef struct graphql {
    ratchet_ctx *ctx;
    const ratchet_engine_api *eng;
    const ratchet_http_api *http;
    gql_schema *schema;
    gql_limits limits;
    int mounted;
    /* Subscriptions (graphql_sub.c), guarded by `lock`: the live ones
     * (each with its thread), how many, and whether stop() asked them to end. */
    pthread_mutex_t lock;
    pthread_cond_t idle; /* signalled when `live` drops */
    graphql_sub *subs;
    size_t live, max_subs;
    int stopping;
    fe_reaper reaper;           /* deferred executeTaskSync answers (graphql_defer.c, fe_wait.h) */
    size_t max_subs_per_conn;   /* WebSocket: subscriptions one connection may run at once */
    size_t ws_max_message;      /* WebSocket: the largest message accepted (else close 1009) */
    int64_t ws_init_timeout_ms; /* WebSocket: connection_init must come within this */
    struct ws_session *ws_sessions; /* WebSocket connections (graphql_ws.c), under `lock` */
    size_t ws_live;
    struct graphql_asset *assets; /* GraphiQL's files, index.html first (graphql_graphiql.c) */
    size_t nassets;
    int graphiql; /* the option: serve /graphiql */
} graphql;

/* What every resolver gets as its context: the instance and the request being answered. */
typedef struct graphql_call {
    graphql *g;
    ratchet_http_request *req;
    /* executeTaskSync without holding a pool thread (graphql_defer.c): */
    int may_defer;         /* the request can be answered later: submit, note, do not wait */
    int64_t defer_job;     /* ...the job so submitted (0: none) */
    int64_t defer_wait_s;  /* ...and how long to wait for it */
    char defer_status[24]; /* ...and its status then */
    int64_t resume_job;    /* answering later: the job's result, without submitting again */
    int resume_done;       /* ...and whether it ended within the wait */
} graphql_call;

/* Register the resolvers of Query and of the nested fields (graphql_query.c) and of Mutation
 * (graphql_mutation.c, graphql_author.c). 0, or -1 when the schema lacks a field they expect. */
int graphql_query_install(gql_schema *s);
int graphql_mutation_install(gql_schema *s);
/* The task authoring mutations (graphql_author.c): createTask, updateTask, validateTask,
 * testTask and the original's mcpCreateTask, mcpEditTask, mcpTestTask. Called by
 * graphql_mutation_install. */
int graphql_author_install(gql_schema *s);

/* The /graphql handler (graphql_http.c). */
void graphql_handle(void *user, ratchet_http_request *req);

/* Parse the request's document (params: {query, operationName, variables}), validate it and
 * check the limits: the document (the caller frees it) and its chosen operation in *op, or
 * NULL with the errors appended to `errors` (graphql_http.c). */
gql_doc *graphql_prepare(graphql *g, json_object *params, const gql_node **op, json_object *errors);
/* A mutation with a key below the write scope: the error appended, 1. Else 0. */
int graphql_scope_refused(const gql_node *op, ratchet_http_scope scope, json_object *errors);
/* A request from the parameters {query, operationName, variables} (borrowed, as the request
 * then is) with `call` as the resolvers' context. */
void graphql_request_init(gql_request *r, json_object *params, graphql_call *call);
/* Execute `doc` (validated) with `params` on `root` (NULL: none): the result (a new object);
 * `oc` (may be NULL) receives the outcome. */
json_object *graphql_execute(graphql_call *call, const gql_doc *doc, json_object *params,
                             json_object *root, gql_outcome *oc);
/* Execute `doc` (validated) with `params` ({query, operationName, variables}) and answer
 * the request (graphql_http.c): 200, or for a request error 400 with the GraphQL media type
 * (`graphql_media`), 500 when out of memory. `call` is the resolvers' context. */
void graphql_execute_send(graphql_call *call, const gql_doc *doc, json_object *params,
                          int graphql_media);

/* ---- executeTaskSync answered later (graphql_defer.c) -------------------------------------- */

/* Whether the operation is one executeTaskSync field and nothing else, so that the request
 * may be deferred while the job runs (a mutation's other fields must run after it). */
int graphql_defer_eligible(const gql_node *op);
/* Executed with call->may_defer, the resolver submitted call->defer_job: defer the request
 * until the job ends (or the wait does) and then answer it by executing `doc` again with
 * call->resume_job. Takes `doc` and `params` (freed here) in every case; answers at once
 * when the request cannot be deferred. */
void graphql_defer_answer(const graphql_call *call, gql_doc *doc, json_object *params,
                          int graphql_media);

/* GraphiQL (graphql_graphiql.c): read the bundle from `dir` (NULL or "": beside the plugin
 * file) into g->assets (none, logged, when it is not there); free it; the handler of
 * /graphiql/ * (which also matches /graphiql). */
void graphql_graphiql_load(graphql *g, const char *dir);
void graphql_graphiql_free(graphql *g);
void graphql_graphiql_handle(void *user, ratchet_http_request *req);
/* GET /playground (the original's GraphQL Playground): 308 to /graphiql. */
void graphql_playground_handle(void *user, ratchet_http_request *req);

/* GraphQL over WebSocket (graphql-transport-ws, graphql_ws.c): the handler of
 * GRAPHQL_WS_PATH, and of GRAPHQL_PATH for a request with Upgrade: websocket. */
void graphql_ws_handle(void *user, ratchet_http_request *req);
/* stop(): close every WebSocket connection (1001) and wait (bounded) until their readers are
 * done with the instance. After graphql_sub_stop(), so that subscriptions end with their
 * `complete` first. */
void graphql_ws_stop(graphql *g);

/* A request with Accept: text/event-stream, its document validated: answered as the
 * graphql-sse protocol's distinct connections mode (graphql_sse.c) - a query or mutation as
 * one `next` event and `complete`, a subscription as a `next` event per engine event until its
 * stream ends. Takes `doc` and `params` (freed here). */
void graphql_sse_serve(graphql *g, ratchet_http_request *req, gql_doc *doc, json_object *params);
/* ---- subscriptions, whatever carries them (graphql_sub.c) ------------------------------- */

/* Where a subscription's results go: a transport's callbacks and state. All but open are
 * called on the subscription's thread; open is called once, with the instance's lock held,
 * before any other, and sets the handle the transport cancels the subscription by. */
typedef struct graphql_sink {
    int (*open)(void *user, const void **handle);  /* 0, or -1: the subscription cannot start */
    void (*next)(void *user, json_object *result); /* one result (borrowed) */
    void (*complete)(void *user); /* the subscription ended on its own or the server stops */
    void (*release)(void *user);  /* the last call: no more writes */
    void *user;
    const void *handle;
} graphql_sink;

/* Start a subscription for `doc` (validated; its operation a subscription) with `params`.
 * 0: it runs, `doc`, `params` and the sink's user are the subscription's (release is called
 * at its end). -1: nothing started (a bad root field argument: *status 400; too many or
 * stopping: 503; out of memory: 500), with a message; the caller keeps everything. */
int graphql_sub_start(graphql *g, ratchet_http_request *req, gql_doc *doc, json_object *params,
                      const graphql_sink *sink, char *msg, size_t size, int *status);
/* The transport's client went away or asked to stop: end the subscription of `handle` (with
 * the sink's complete written now when `say_complete`, e.g. at shutdown, when later writes
 * are lost). 1 when one was found. Any thread; not from inside a sink call. */
int graphql_sub_cancel(graphql *g, const void *handle, int say_complete);
/* stop(): end every subscription (`complete` to each) and wait for their threads (bounded). */
void graphql_sub_stop(graphql *g);

/* ---- calling the engine (graphql_shape.c) ------------------------------------------------- */

/* The engine of the call's instance. */
const ratchet_engine_api *graphql_eng(gql_resolve_info *info);

/* Turn an engine answer into a value: on RATCHET_OK the parsed JSON (a new reference, NULL
 * with a resolver error when it is not JSON); otherwise NULL after gql_resolve_error with the
 * engine's message and code (NOT_FOUND is not an error when `missing_ok`: NULL without one).
 * Releases `out`. */
json_object *graphql_answer(gql_resolve_info *info, ratchet_status st, ratchet_buf *out,
                            int missing_ok);
/* graphql_answer for an answer whose error details matter (task authoring: a compile error,
 * a failing test): the message followed by " at POINTER: MESSAGE" for each detail, as the MCP
 * tools word it. */
json_object *graphql_answer_detailed(gql_resolve_info *info, ratchet_status st, ratchet_buf *out);

/* An ApiId argument as the engine's id: a positive integer (0 with a resolver error when it is
 * not one). */
int64_t graphql_id_arg(gql_resolve_info *info, const char *name);

/* ---- shapes: engine records as the schema's types (graphql_shape.c) ---------------------- */

/* Each takes a record (borrowed) and returns a new object in the schema's shape. */
json_object *graphql_task(json_object *rec);
json_object *graphql_job(json_object *rec);
json_object *graphql_execution(json_object *rec);
json_object *graphql_schedule(json_object *rec);
json_object *graphql_worker(json_object *rec);
json_object *graphql_log(json_object *rec);
json_object *graphql_health(json_object *rec);

/* An error value ({type|code|name, message, ...} or a string) as JobError {code, message,
 * details}; NULL for none. */
json_object *graphql_job_error(json_object *e);

/* A list answer {items, total} as {items: [shape(item)...], meta: PaginationMeta}. */
json_object *graphql_page(json_object *answer, json_object *(*shape)(json_object *), int64_t limit,
                          int64_t offset);

/* An id (number or string) as the ApiId string; a new reference, NULL for null. */
json_object *graphql_id(json_object *v);
/* A status / priority / state as the schema's enum value ("processing" -> "PROCESSING"). */
json_object *graphql_enum(json_object *v);

#endif /* GRAPHQL_PLUGIN_H */
