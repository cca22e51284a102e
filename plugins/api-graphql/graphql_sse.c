/*
 * graphql_sse.c - GraphQL over Server-Sent Events, the graphql-sse protocol's "distinct
 * connections mode": a request to /graphql with Accept: text/event-stream gets
 *
 *     event: next
 *     data: {"data": ...}
 *
 * per result and `event: complete` (with an empty data line) at the end. A query or mutation
 * is one result; a subscription (graphql_sub.c) is one per engine event, written by its
 * thread through the sink below.
 *
 * The stream is the subscription's handle: the http plugin's on_close cancels it by the
 * stream (graphql_sub_cancel, under the instance's lock, so a late on_close finds nothing, as
 * http.h asks), and the subscription's thread alone closes the stream.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graphql.h"

/* The sink of one subscription over SSE. */
typedef struct sse_sink {
    graphql *g;
    ratchet_http_request *req;
    ratchet_http_stream *stream;
} sse_sink;

static void write_event(const sse_sink *k, const char *event, json_object *data)
{
    ratchet_buf b = RATCHET_BUF_INIT;
    const char *text = data ? json_object_to_json_string_ext(
                                  data, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)
                            : NULL;
    /* JSON text written PLAIN holds no raw newline: one data line */
    if (graphql_host->buf_printf(&b, "event: %s\ndata:%s%s\n\n", event, text ? " " : "",
                                 text ? text : "") == RATCHET_OK)
        k->g->http->stream_write(k->stream, b.data, b.len);
    graphql_host->buf_free(&b);
}

static void on_close(void *user, ratchet_http_stream *stream, ratchet_http_end why)
{
    /* the server is stopping: what is written now is still sent (http.h), later writes are
     * not, so the stream's `complete` goes out from here */
    graphql_sub_cancel(user, stream, why == RATCHET_HTTP_END_SHUTDOWN);
}

static int sink_open(void *user, const void **handle)
{
    sse_sink *k = user;
    k->stream =
        k->g->http->stream_open(k->req, 200, "text/event-stream; charset=utf-8", on_close, k->g);
    *handle = k->stream;
    return k->stream ? 0 : -1;
}

static void sink_next(void *user, json_object *result)
{
    write_event(user, "next", result);
}

static void sink_complete(void *user)
{
    write_event(user, "complete", NULL);
}

static void sink_release(void *user)
{
    sse_sink *k = user;
    k->g->http->stream_close(k->stream);
    free(k);
}

static void answer_error(graphql *g, ratchet_http_request *req, int status, const char *msg)
{
    json_object *body = json_object_new_object(), *errors = json_object_new_array();
    json_object_array_add(errors, gql_error_new(msg, 0, 0, NULL));
    json_object_object_add(body, "errors", errors);
    const char *text = json_object_to_json_string_ext(body, JSON_C_TO_STRING_PLAIN);
    g->http->respond(req, status, "application/json; charset=utf-8", text, strlen(text));
    json_object_put(body);
}

static void subscribe(graphql *g, ratchet_http_request *req, gql_doc *doc, json_object *params)
{
    sse_sink *k = calloc(1, sizeof *k);
    char msg[512] = "out of memory";
    int status = 500;
    if (k) {
        *k = (sse_sink){g, req, NULL};
        graphql_sink sink = {sink_open, sink_next, sink_complete, sink_release, k, NULL};
        if (graphql_sub_start(g, req, doc, params, &sink, msg, sizeof msg, &status) == 0)
            return;
        free(k);
    }
    answer_error(g, req, status, msg);
    gql_doc_free(doc);
    json_object_put(params);
}

void graphql_sse_serve(graphql *g, ratchet_http_request *req, gql_doc *doc, json_object *params)
{
    char msg[256];
    json_object *opn = NULL;
    json_object_object_get_ex(params, "operationName", &opn);
    const gql_node *op =
        gql_find_operation(doc, opn ? json_object_get_string(opn) : NULL, msg, sizeof msg);
    if (op && op->flag == GQL_SUBSCRIPTION) {
        subscribe(g, req, doc, params);
        return;
    }
    /* a query or mutation: one result, then complete */
    graphql_call call = {.g = g, .req = req};
    json_object *result = graphql_execute(&call, doc, params, NULL, NULL);
    ratchet_buf b = RATCHET_BUF_INIT;
    graphql_host->buf_printf(&b, "event: next\ndata: %s\n\nevent: complete\ndata:\n\n",
                             json_object_to_json_string_ext(
                                 result, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
    g->http->respond(req, 200, "text/event-stream; charset=utf-8", b.data, b.len);
    graphql_host->buf_free(&b);
    json_object_put(result);
    gql_doc_free(doc);
    json_object_put(params);
}
