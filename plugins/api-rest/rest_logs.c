/*
 * plugins/api-rest/rest_logs.c - error analysis and finding events (the rows of rest_routes.c
 * with kinds REST_ANALYSIS ... REST_PATTERN_TEST): an execution's error report (JSON, or
 * markdown with ?format=markdown), the log search and the failure trends (query arguments
 * become the engine's query object), the error patterns and testing one on an event. Each
 * makes one engine call (engine minor 2) and answers {"data": ...} or the engine's error.
 * The live stream, GET /logs/stream, is an event stream (rest_sse.c).
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "rest.h"

static void answer(const rest *r, ratchet_http_request *req, ratchet_status st,
                   const ratchet_buf *out)
{
    if (st != RATCHET_OK)
        rest_send_engine_error(r, req, st, out->data);
    else
        rest_send_data(r, req, 200, out->data);
}

/* A query argument under either spelling (max_tokens / maxTokens). */
static const char *arg(const rest *r, ratchet_http_request *req, const char *snake,
                       const char *camel)
{
    const char *v = r->http->query(req, snake);
    return v ? v : r->http->query(req, camel);
}

static void analysis(const rest *r, ratchet_http_request *req, const char *noun)
{
    int64_t id = rest_id_param(r, req, noun);
    if (!id)
        return;
    const char *format = r->http->query(req, "format");
    const char *tokens = arg(r, req, "max_tokens", "maxTokens");
    long long max = 0;
    if (tokens) {
        char *end = NULL;
        max = strtoll(tokens, &end, 10);
        if (!*tokens || *end || max <= 0) {
            rest_invalid(r, req, "max_tokens must be a positive integer, not '%s'", tokens);
            return;
        }
    }
    ratchet_buf out = RATCHET_BUF_INIT;
    ratchet_status st = r->eng->execution_analyze(id, format ? format : "json", max, &out);
    if (st == RATCHET_OK && format && strcmp(format, "markdown") == 0)
        r->http->respond(req, 200, "text/markdown; charset=utf-8", out.data ? out.data : "",
                         out.len);
    else
        answer(r, req, st, &out);
    rest_host->buf_free(&out);
}

/* Members of the search/trends object from query arguments: `ints` are numbers when they
 * read as one ('|'-separated names); every other argument is text. snake_case is accepted. */
static int query_object(const rest *r, ratchet_http_request *req, const char *ints,
                        ratchet_buf *out)
{
    struct json_object *o = json_object_new_object();
    size_t n = r->http->query_count(req);
    for (size_t i = 0; i < n; i++) {
        const char *k = r->http->query_key_at(req, i), *v = r->http->query_value_at(req, i);
        char key[64];
        rest_camel_case(k ? k : "", key, sizeof key);
        char *end = NULL;
        long long num = v ? strtoll(v, &end, 10) : 0;
        size_t len = strlen(key);
        const char *at = strstr(ints, key);
        int is_int = at && (at == ints || at[-1] == '|') && (at[len] == '|' || !at[len]);
        if (is_int && v && *v && !*end)
            json_object_object_add(o, key, json_object_new_int64(num));
        else
            json_object_object_add(o, key, json_object_new_string(v ? v : ""));
    }
    const char *text = rest_json_text(o);
    ratchet_status st = rest_host->buf_append(out, text, strlen(text));
    json_object_put(o);
    if (st != RATCHET_OK)
        rest_send_nomem(r, req);
    return st == RATCHET_OK;
}

static void search_or_trends(const rest *r, ratchet_http_request *req, int trends)
{
    ratchet_buf q = RATCHET_BUF_INIT, out = RATCHET_BUF_INIT;
    if (query_object(r, req,
                     trends ? "since|until|bucketMinutes"
                            : "since|until|executionId|jobId|limit|"
                              "offset",
                     &q)) {
        ratchet_status st =
            trends ? r->eng->logs_trends(q.data, &out) : r->eng->logs_search(q.data, &out);
        answer(r, req, st, &out);
    }
    rest_host->buf_free(&q);
    rest_host->buf_free(&out);
}

static const rest_field test_fields[] = {
    {"event", REST_T_OBJECT, NULL},
    {"pattern", REST_T_OBJECT, NULL},
    {NULL, 0, NULL},
};

static void pattern_test(const rest *r, ratchet_http_request *req)
{
    struct json_object *body = NULL;
    if (!rest_read_body(r, req, test_fields, 1, &body))
        return;
    ratchet_buf out = RATCHET_BUF_INIT;
    answer(r, req, r->eng->pattern_test(rest_json_text(body), &out), &out);
    rest_host->buf_free(&out);
    json_object_put(body);
}

void rest_logs_handler(void *user, ratchet_http_request *req)
{
    const rest_binding *bind = user;
    const rest *r = bind->r;
    if (!RATCHET_HAS_FIELD(r->eng, ratchet_engine_api, logs_trends)) {
        r->http->respond_error(req, 501, "NOT_IMPLEMENTED",
                               "this Ratchet host has no error analysis (engine interface older "
                               "than minor 2)");
        return;
    }
    ratchet_buf out = RATCHET_BUF_INIT;
    switch (bind->op->kind) {
    case REST_ANALYSIS:
        analysis(r, req, bind->op->noun);
        break;
    case REST_LOGS_SEARCH:
        search_or_trends(r, req, 0);
        break;
    case REST_LOGS_TRENDS:
        search_or_trends(r, req, 1);
        break;
    case REST_PATTERNS:
        answer(r, req, r->eng->patterns_list(&out), &out);
        break;
    default:
        pattern_test(r, req);
        break;
    }
    rest_host->buf_free(&out);
}
