/*
 * plugins/api-graphql/graphql.h - what the files of the api-graphql plugin share.
 *
 * The plugin serves schema.graphql (embedded at build time) with the GraphQL library of
 * graphql/ (gql.h): graphql.c is the descriptor and life cycle, graphql_http.c the /graphql
 * endpoint (GraphQL over HTTP), graphql_query.c and graphql_mutation.c the resolvers, which
 * call the engine (engine.h) and give its records the schema's shapes (graphql_shape.c).
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

#include "gql.h"

#define GRAPHQL_PATH          "/graphql"
#define GRAPHQL_SYNC_WAIT_MAX 300 /* seconds: executeTaskSync(timeoutSeconds:) at most */

extern const ratchet_host_api *graphql_host;
extern const char graphql_schema[];
extern const size_t graphql_schema_len;

typedef struct graphql_sub graphql_sub;

typedef struct graphql {
    ratchet_ctx *ctx;
    const ratchet_engine_api *eng;
    const ratchet_http_api *http;
    gql_schema *schema;
    gql_limits limits;
    int mounted;
    /* Subscriptions over Server-Sent Events (graphql_sse.c), guarded by `lock`: the live ones
     * (each with its thread), how many, and whether stop() asked them to end. */
    pthread_mutex_t lock;
    pthread_cond_t idle; /* signalled when `live` drops */
    graphql_sub *subs;
    size_t live, max_subs;
    int stopping;
} graphql;

/* What every resolver gets as its context: the instance and the request being answered. */
typedef struct graphql_call {
    graphql *g;
    ratchet_http_request *req;
} graphql_call;

/* Register the resolvers of Query and of the nested fields (graphql_query.c) and of Mutation
 * (graphql_mutation.c). 0, or -1 when the schema lacks a field they expect. */
int graphql_query_install(gql_schema *s);
int graphql_mutation_install(gql_schema *s);

/* The /graphql handler (graphql_http.c). */
void graphql_handle(void *user, ratchet_http_request *req);

/* A request with Accept: text/event-stream, its document validated: answered as the
 * graphql-sse protocol's distinct connections mode (graphql_sse.c) - a query or mutation as
 * one `next` event and `complete`, a subscription as a `next` event per engine event until its
 * stream ends. Takes `doc` and `params` (freed here). */
void graphql_sse_serve(graphql *g, ratchet_http_request *req, gql_doc *doc, json_object *params);
/* stop(): end every subscription (a `complete` event) and wait for their threads (bounded). */
void graphql_sse_stop(graphql *g);

/* ---- calling the engine (graphql_shape.c) ------------------------------------------------- */

/* The engine of the call's instance. */
const ratchet_engine_api *graphql_eng(gql_resolve_info *info);

/* Turn an engine answer into a value: on RATCHET_OK the parsed JSON (a new reference, NULL
 * with a resolver error when it is not JSON); otherwise NULL after gql_resolve_error with the
 * engine's message and code (NOT_FOUND is not an error when `missing_ok`: NULL without one).
 * Releases `out`. */
json_object *graphql_answer(gql_resolve_info *info, ratchet_status st, ratchet_buf *out,
                            int missing_ok);

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
