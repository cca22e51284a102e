/* host/task/fetch_mock.c - answering fetch from a test file's `mock.http`, without any network. */
#include "fetch_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void rt_fetch_mocks_clear(rt_fetch_mocks *m)
{
    for (size_t i = 0; i < m->count; i++) {
        free(m->items[i].url);
        rt_fetch_response_clear(&m->items[i].resp);
    }
    free(m->items);
    m->items = NULL;
    m->count = 0;
}

/* {status, body} or {ok, status} with an integer status: a full response. Anything else is a
 * body. */
static int full_response(struct json_object *response)
{
    struct json_object *status = NULL;
    if (!json_object_is_type(response, json_type_object) ||
        !json_object_object_get_ex(response, "status", &status) ||
        !json_object_is_type(status, json_type_int))
        return 0;
    return json_object_object_get_ex(response, "body", NULL) ||
           json_object_object_get_ex(response, "ok", NULL);
}

/* The body value as the text a server would have sent. */
static ratchet_status set_body(rt_fetch_response *r, struct json_object *body)
{
    const char *text;
    size_t len;
    if (body && json_object_is_type(body, json_type_string)) {
        r->body_kind = RT_FETCH_BODY_TEXT;
        text = json_object_get_string(body);
        len = (size_t)json_object_get_string_len(body);
    } else {
        r->body_kind = RT_FETCH_BODY_JSON;
        text = json_object_to_json_string_ext(body, JSON_C_TO_STRING_PLAIN |
                                                        JSON_C_TO_STRING_NOSLASHESCAPE);
        if (!text)
            return RATCHET_NOMEM;
        len = strlen(text);
    }
    r->body = malloc(len + 1);
    if (!r->body)
        return RATCHET_NOMEM;
    memcpy(r->body, text, len);
    r->body[len] = '\0';
    r->body_len = len;
    return RATCHET_OK;
}

static ratchet_status parse_full(struct json_object *response, rt_fetch_response *r,
                                 const char *where, rt_error *err)
{
    struct json_object *status = NULL, *text = NULL, *headers = NULL, *body = NULL;
    json_object_object_get_ex(response, "status", &status);
    int64_t code = json_object_get_int64(status);
    if (code < 100 || code > 599)
        return rt_fail(err, "%s.response.status must be an integer between 100 and 599", where);
    r->status = (int)code;
    if (json_object_object_get_ex(response, "statusText", &text) && text) {
        if (!json_object_is_type(text, json_type_string))
            return rt_fail(err, "%s.response.statusText must be a string", where);
        if (!(r->status_text = strdup(json_object_get_string(text))))
            return rt_fail(err, "out of memory");
    }
    if (json_object_object_get_ex(response, "headers", &headers) && headers) {
        if (!json_object_is_type(headers, json_type_object))
            return rt_fail(err, "%s.response.headers must be an object", where);
        json_object_object_foreach(headers, name, value)
        {
            if (!json_object_is_type(value, json_type_string))
                return rt_fail(err, "%s.response.headers.%s must be a string", where, name);
            if (rt_fetch_headers_add(&r->headers, name, strlen(name), json_object_get_string(value),
                                     (size_t)json_object_get_string_len(value)) != RATCHET_OK)
                return rt_fail(err, "out of memory");
        }
    }
    if (!json_object_object_get_ex(response, "body", &body)) {
        r->body_kind = RT_FETCH_BODY_TEXT; /* no body: empty text, as a server would send */
        return RATCHET_OK;
    }
    return set_body(r, body) == RATCHET_OK ? RATCHET_OK : rt_fail(err, "out of memory");
}

static ratchet_status parse_one(struct json_object *m, rt_fetch_mock *out, const char *where,
                                rt_error *err)
{
    struct json_object *url = NULL, *method = NULL, *response = NULL;
    if (!json_object_is_type(m, json_type_object))
        return rt_fail(err, "%s must be an object with url and response", where);
    if (!json_object_object_get_ex(m, "url", &url) || !json_object_is_type(url, json_type_string))
        return rt_fail(err, "%s.url is required (a string)", where);
    if (!*json_object_get_string(url))
        return rt_fail(err, "%s.url must not be empty", where);
    memcpy(out->method, "GET", 4);
    if (json_object_object_get_ex(m, "method", &method) && method) {
        if (!json_object_is_type(method, json_type_string))
            return rt_fail(err, "%s.method must be a string", where);
        if (rt_fetch_method(json_object_get_string(method), out->method) != RATCHET_OK)
            return rt_fail(err,
                           "%s.method: unsupported method '%.40s' (use GET, HEAD, POST, PUT, "
                           "PATCH, DELETE or OPTIONS)",
                           where, json_object_get_string(method));
    }
    if (!json_object_object_get_ex(m, "response", &response))
        return rt_fail(err, "%s.response is required (a body, or {status, headers, body})", where);
    if (!(out->url = strdup(json_object_get_string(url))))
        return rt_fail(err, "out of memory");
    ratchet_status rc;
    if (full_response(response)) {
        rc = parse_full(response, &out->resp, where, err);
    } else {
        out->resp.status = 200;
        rc = set_body(&out->resp, response) == RATCHET_OK ? RATCHET_OK
                                                          : rt_fail(err, "out of memory");
    }
    if (rc == RATCHET_OK && rt_fetch_response_complete(&out->resp) != RATCHET_OK)
        rc = rt_fail(err, "out of memory");
    return rc;
}

ratchet_status rt_fetch_mocks_parse(struct json_object *mock_http, rt_fetch_mocks *out,
                                    rt_error *err)
{
    int array = json_object_is_type(mock_http, json_type_array);
    if (!array && !json_object_is_type(mock_http, json_type_object))
        return rt_fail(err, "mock.http must be an object or an array of objects, not %s",
                       json_type_to_name(json_object_get_type(mock_http)));
    size_t n = array ? json_object_array_length(mock_http) : 1;
    if (n > RT_FETCH_MAX_MOCKS)
        return rt_fail(err, "mock.http has %zu mocks; at most %d are allowed", n,
                       RT_FETCH_MAX_MOCKS);
    out->items = calloc(n ? n : 1, sizeof *out->items);
    out->count = 0;
    if (!out->items)
        return rt_fail(err, "out of memory");
    for (size_t i = 0; i < n; i++) {
        char where[48];
        if (array)
            snprintf(where, sizeof where, "mock.http[%zu]", i);
        else
            snprintf(where, sizeof where, "mock.http");
        out->count = i + 1; /* so that a partly filled mock is freed too */
        struct json_object *m = array ? json_object_array_get_idx(mock_http, i) : mock_http;
        if (parse_one(m, &out->items[i], where, err) != RATCHET_OK) {
            rt_fetch_mocks_clear(out);
            return RATCHET_ERR;
        }
    }
    return RATCHET_OK;
}

/* "(2 mocks: GET https://a, POST https://b)", at most 10 listed. */
static ratchet_status describe_mocks(const rt_fetch_mocks *mocks, ratchet_buf *b)
{
    ratchet_status rc =
        rt_buf_printf(b, " (%zu mock%s", mocks->count, mocks->count == 1 ? "" : "s");
    for (size_t i = 0; i < mocks->count && i < 10 && rc == RATCHET_OK; i++)
        rc = rt_buf_printf(b, "%s%s %.500s", i ? ", " : ": ", mocks->items[i].method,
                           mocks->items[i].url);
    if (rc == RATCHET_OK && mocks->count > 10)
        rc = rt_buf_printf(b, ", and %zu more", mocks->count - 10);
    return rc == RATCHET_OK ? rt_buf_puts(b, ")") : rc;
}

ratchet_status rt_fetch_mock_answer(const rt_fetch_mocks *mocks, const rt_fetch_request *req,
                                    rt_fetch_response *resp, rt_fetch_fault *fault)
{
    const rt_fetch_mock *hit = NULL;
    for (size_t i = 0; i < mocks->count && !hit; i++)
        if (!strcmp(mocks->items[i].method, req->method) && !strcmp(mocks->items[i].url, req->url))
            hit = &mocks->items[i];
    for (size_t i = 0; i < mocks->count && !hit; i++)
        if (!strcmp(mocks->items[i].method, req->method) &&
            (strstr(req->url, mocks->items[i].url) || strstr(mocks->items[i].url, req->url)))
            hit = &mocks->items[i];
    if (hit)
        return rt_fetch_response_copy(resp, &hit->resp) == RATCHET_OK ? RATCHET_OK : RATCHET_NOMEM;
    if (rt_fetch_fail(fault, "NetworkError", "no mock matches %s %.2000s", req->method, req->url) !=
            RATCHET_ERR ||
        describe_mocks(mocks, &fault->message) != RATCHET_OK)
        return RATCHET_NOMEM;
    return RATCHET_ERR;
}
