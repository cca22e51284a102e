/* host/task/fetch.c - the fetcher: argument checks, choosing mock/replay/live, turning a response
 * into the script's value or typed error, recording, and the call summary. */
#include "fetch_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- small helpers ----------------------------------------------------------------------- */

static char ascii_lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

int rt_fetch_strcaseeq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (ascii_lower(*a) != ascii_lower(*b))
            return 0;
    return *a == *b;
}

int rt_fetch_contains_nocase(const char *haystack, const char *needle)
{
    size_t n = strlen(needle);
    for (const char *p = haystack; *p; p++) {
        size_t i = 0;
        while (i < n && p[i] && ascii_lower(p[i]) == ascii_lower(needle[i]))
            i++;
        if (i == n)
            return 1;
    }
    return n == 0;
}

static char *dup_len(const char *s, size_t len)
{
    char *d = malloc(len + 1);
    if (d) {
        if (len)
            memcpy(d, s, len);
        d[len] = '\0';
    }
    return d;
}

static int64_t now_us(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

ratchet_status rt_fetch_fail(rt_fetch_fault *fault, const char *name, const char *fmt, ...)
{
    fault->name = name;
    fault->message.len = 0;
    if (fault->message.data)
        fault->message.data[0] = '\0';
    va_list ap;
    va_start(ap, fmt);
    ratchet_status rc = rt_buf_vprintf(&fault->message, fmt, ap);
    va_end(ap);
    return rc == RATCHET_OK ? RATCHET_ERR : RATCHET_NOMEM;
}

/* ---- headers and responses --------------------------------------------------------------- */

ratchet_status rt_fetch_headers_add(rt_fetch_headers *h, const char *name, size_t name_len,
                                    const char *value, size_t value_len)
{
    if (h->count == h->cap) {
        size_t cap = h->cap ? h->cap * 2 : 8;
        rt_fetch_header *items = realloc(h->items, cap * sizeof *items);
        if (!items)
            return RATCHET_NOMEM;
        h->items = items;
        h->cap = cap;
    }
    char *n = dup_len(name, name_len), *v = dup_len(value, value_len);
    if (!n || !v) {
        free(n);
        free(v);
        return RATCHET_NOMEM;
    }
    h->items[h->count].name = n;
    h->items[h->count].value = v;
    h->count++;
    return RATCHET_OK;
}

const char *rt_fetch_headers_get(const rt_fetch_headers *h, const char *name)
{
    for (size_t i = 0; i < h->count; i++)
        if (rt_fetch_strcaseeq(h->items[i].name, name))
            return h->items[i].value;
    return NULL;
}

ratchet_status rt_fetch_headers_copy(rt_fetch_headers *dst, const rt_fetch_headers *src)
{
    for (size_t i = 0; i < src->count; i++) {
        const rt_fetch_header *x = &src->items[i];
        if (rt_fetch_headers_add(dst, x->name, strlen(x->name), x->value, strlen(x->value)) !=
            RATCHET_OK)
            return RATCHET_NOMEM;
    }
    return RATCHET_OK;
}

void rt_fetch_headers_clear(rt_fetch_headers *h)
{
    for (size_t i = 0; i < h->count; i++) {
        free(h->items[i].name);
        free(h->items[i].value);
    }
    free(h->items);
    h->items = NULL;
    h->count = h->cap = 0;
}

ratchet_status rt_fetch_response_complete(rt_fetch_response *r)
{
    if (!r->status_text)
        r->status_text = strdup(rt_fetch_reason_phrase(r->status));
    if (!r->http_version)
        r->http_version = strdup("HTTP/1.1");
    if (!r->body) {
        r->body = strdup("");
        r->body_len = 0;
    }
    return r->status_text && r->http_version && r->body ? RATCHET_OK : RATCHET_NOMEM;
}

ratchet_status rt_fetch_response_copy(rt_fetch_response *dst, const rt_fetch_response *src)
{
    memset(dst, 0, sizeof *dst);
    dst->status = src->status;
    dst->body_kind = src->body_kind;
    dst->status_text = src->status_text ? strdup(src->status_text) : NULL;
    dst->http_version = src->http_version ? strdup(src->http_version) : NULL;
    dst->body = src->body ? dup_len(src->body, src->body_len) : NULL;
    dst->body_len = src->body ? src->body_len : 0;
    if ((src->status_text && !dst->status_text) || (src->http_version && !dst->http_version) ||
        (src->body && !dst->body) || rt_fetch_headers_copy(&dst->headers, &src->headers) ||
        rt_fetch_response_complete(dst)) {
        rt_fetch_response_clear(dst);
        return RATCHET_NOMEM;
    }
    return RATCHET_OK;
}

void rt_fetch_response_clear(rt_fetch_response *r)
{
    free(r->status_text);
    free(r->http_version);
    free(r->body);
    rt_fetch_headers_clear(&r->headers);
    r->status_text = r->http_version = r->body = NULL;
    r->body_len = 0;
    r->status = 0;
    r->body_kind = RT_FETCH_BODY_AUTO;
}

void rt_fetch_exchange_clear(rt_fetch_exchange *x)
{
    free(x->method);
    free(x->url);
    free(x->req_body);
    rt_fetch_headers_clear(&x->req_headers);
    rt_fetch_response_clear(&x->resp);
    memset(x, 0, sizeof *x);
}

const char *rt_fetch_reason_phrase(int status)
{
    static const struct {
        int status;
        const char *text;
    } phrases[] = {
        {100, "Continue"},
        {101, "Switching Protocols"},
        {102, "Processing"},
        {103, "Early Hints"},
        {200, "OK"},
        {201, "Created"},
        {202, "Accepted"},
        {203, "Non-Authoritative Information"},
        {204, "No Content"},
        {205, "Reset Content"},
        {206, "Partial Content"},
        {207, "Multi-Status"},
        {208, "Already Reported"},
        {226, "IM Used"},
        {300, "Multiple Choices"},
        {301, "Moved Permanently"},
        {302, "Found"},
        {303, "See Other"},
        {304, "Not Modified"},
        {305, "Use Proxy"},
        {307, "Temporary Redirect"},
        {308, "Permanent Redirect"},
        {400, "Bad Request"},
        {401, "Unauthorized"},
        {402, "Payment Required"},
        {403, "Forbidden"},
        {404, "Not Found"},
        {405, "Method Not Allowed"},
        {406, "Not Acceptable"},
        {407, "Proxy Authentication Required"},
        {408, "Request Timeout"},
        {409, "Conflict"},
        {410, "Gone"},
        {411, "Length Required"},
        {412, "Precondition Failed"},
        {413, "Content Too Large"},
        {414, "URI Too Long"},
        {415, "Unsupported Media Type"},
        {416, "Range Not Satisfiable"},
        {417, "Expectation Failed"},
        {418, "I'm a teapot"},
        {421, "Misdirected Request"},
        {422, "Unprocessable Content"},
        {423, "Locked"},
        {424, "Failed Dependency"},
        {425, "Too Early"},
        {426, "Upgrade Required"},
        {428, "Precondition Required"},
        {429, "Too Many Requests"},
        {431, "Request Header Fields Too Large"},
        {451, "Unavailable For Legal Reasons"},
        {500, "Internal Server Error"},
        {501, "Not Implemented"},
        {502, "Bad Gateway"},
        {503, "Service Unavailable"},
        {504, "Gateway Timeout"},
        {505, "HTTP Version Not Supported"},
        {506, "Variant Also Negotiates"},
        {507, "Insufficient Storage"},
        {508, "Loop Detected"},
        {510, "Not Extended"},
        {511, "Network Authentication Required"},
    };
    for (size_t i = 0; i < sizeof phrases / sizeof phrases[0]; i++)
        if (phrases[i].status == status)
            return phrases[i].text;
    return "";
}

ratchet_status rt_fetch_method(const char *method, char out[8])
{
    static const char *const methods[] = {"GET",   "HEAD",   "POST",   "PUT",
                                          "PATCH", "DELETE", "OPTIONS"};
    for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++)
        if (rt_fetch_strcaseeq(method, methods[i])) {
            memcpy(out, methods[i], strlen(methods[i]) + 1);
            return RATCHET_OK;
        }
    return RATCHET_ERR;
}

/* ---- the fetcher ------------------------------------------------------------------------- */

rt_fetch_config rt_fetch_config_defaults(void)
{
    rt_fetch_config cfg = {RT_FETCH_DEFAULT_TIMEOUT_MS,
                           RT_FETCH_DEFAULT_MAX_REDIRECTS,
                           RT_FETCH_DEFAULT_MAX_RESPONSE,
                           RT_FETCH_DEFAULT_USER_AGENT,
                           1,
                           NULL};
    return cfg;
}

rt_fetcher *rt_fetcher_new(const rt_fetch_config *cfg)
{
    rt_fetcher *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->cfg = cfg ? *cfg : rt_fetch_config_defaults();
    if (f->cfg.timeout_ms <= 0)
        f->cfg.timeout_ms = RT_FETCH_DEFAULT_TIMEOUT_MS;
    if (f->cfg.timeout_ms > INT32_MAX) /* libcurl takes a long */
        f->cfg.timeout_ms = INT32_MAX;
    if (f->cfg.max_redirects < 0)
        f->cfg.max_redirects = RT_FETCH_DEFAULT_MAX_REDIRECTS;
    if (f->cfg.max_response_bytes == 0)
        f->cfg.max_response_bytes = RT_FETCH_DEFAULT_MAX_RESPONSE;
    f->user_agent = strdup(f->cfg.user_agent ? f->cfg.user_agent : RT_FETCH_DEFAULT_USER_AGENT);
    f->cfg.user_agent = f->user_agent;
    f->calls = json_object_new_array();
    if (!f->user_agent || !f->calls) {
        rt_fetcher_free(f);
        return NULL;
    }
    return f;
}

void rt_fetcher_free(rt_fetcher *f)
{
    if (!f)
        return;
    rt_fetch_live_cleanup(f);
    rt_fetch_mocks_clear(&f->mocks);
    rt_fetch_replay_clear(&f->replay);
    for (size_t i = 0; i < f->nkept; i++)
        rt_fetch_exchange_clear(&f->kept[i]);
    free(f->kept);
    json_object_put(f->calls);
    rt_fetch_redact_clear(f);
    free(f->user_agent);
    free(f);
}

ratchet_status rt_fetcher_set_mocks(rt_fetcher *f, struct json_object *mock_http, rt_error *err)
{
    if (!f)
        return rt_fail(err, "no fetcher");
    if (!mock_http) {
        rt_fetch_mocks_clear(&f->mocks);
        f->mocks_on = 0;
        return RATCHET_OK;
    }
    rt_fetch_mocks parsed = {NULL, 0};
    if (rt_fetch_mocks_parse(mock_http, &parsed, err) != RATCHET_OK)
        return RATCHET_ERR;
    rt_fetch_mocks_clear(&f->mocks);
    f->mocks = parsed;
    f->mocks_on = 1;
    return RATCHET_OK;
}

ratchet_status rt_fetcher_replay_har(rt_fetcher *f, const char *har_path, rt_error *err)
{
    if (!f || !har_path)
        return rt_fail(err, "no fetcher or HAR path");
    rt_fetch_replay loaded = {NULL, 0};
    if (rt_fetch_har_load(har_path, &loaded, err) != RATCHET_OK)
        return RATCHET_ERR;
    rt_fetch_replay_clear(&f->replay);
    f->replay = loaded;
    f->replay_on = 1;
    return RATCHET_OK;
}

void rt_fetcher_record(rt_fetcher *f, int on)
{
    if (f)
        f->recording = on != 0;
}

struct json_object *rt_fetcher_calls(const rt_fetcher *f)
{
    return f ? f->calls : NULL;
}

/* ---- the request ------------------------------------------------------------------------- */

static void request_clear(rt_fetch_request *req)
{
    rt_fetch_headers_clear(&req->headers);
    free(req->body);
    req->body = NULL;
}

/* The JavaScript name of a JSON value's type, for messages to task authors. */
static const char *js_type(struct json_object *v)
{
    switch (json_object_get_type(v)) {
    case json_type_null:
        return "null";
    case json_type_boolean:
        return "boolean";
    case json_type_double:
    case json_type_int:
        return "number";
    case json_type_string:
        return "string";
    case json_type_array:
        return "array";
    default:
        return "object";
    }
}

/* A header name is an RFC 9110 token. */
static int header_name_ok(const char *name)
{
    if (!*name)
        return 0;
    for (const char *p = name; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              strchr("!#$%&'*+-.^_`|~", c)))
            return 0;
    }
    return 1;
}

static ratchet_status parse_headers(struct json_object *headers, rt_fetch_request *req,
                                    rt_fetch_fault *fault)
{
    if (!headers)
        return RATCHET_OK;
    if (!json_object_is_type(headers, json_type_object))
        return rt_fetch_fail(fault, "Error", "fetch: headers must be an object, not %s",
                             js_type(headers));
    if (json_object_object_length(headers) > RT_FETCH_MAX_REQUEST_HEADERS)
        return rt_fetch_fail(fault, "Error", "fetch: more than %d headers",
                             RT_FETCH_MAX_REQUEST_HEADERS);
    json_object_object_foreach(headers, name, value)
    {
        if (!header_name_ok(name))
            return rt_fetch_fail(fault, "Error", "fetch: invalid header name '%s'", name);
        if (!json_object_is_type(value, json_type_string))
            return rt_fetch_fail(fault, "Error", "fetch: header '%s' must be a string, not %s",
                                 name, js_type(value));
        const char *v = json_object_get_string(value);
        size_t vlen = (size_t)json_object_get_string_len(value);
        if (strcspn(v, "\r\n") != vlen)
            return rt_fetch_fail(fault, "Error",
                                 "fetch: header '%s' must not contain line breaks or NUL", name);
        if (rt_fetch_headers_add(&req->headers, name, strlen(name), v, vlen) != RATCHET_OK)
            return RATCHET_NOMEM;
    }
    return RATCHET_OK;
}

static ratchet_status parse_options(const char *options_json, rt_fetch_request *req,
                                    rt_fetch_fault *fault)
{
    memcpy(req->method, "GET", 4);
    if (!options_json)
        return RATCHET_OK;
    enum json_tokener_error jerr;
    struct json_object *opts = json_tokener_parse_verbose(options_json, &jerr);
    if (jerr != json_tokener_success) /* an executor bug */
        return rt_fetch_fail(fault, "Error", "fetch: the options are not valid JSON (%s)",
                             json_tokener_error_desc(jerr));
    if (!opts) /* null: no options */
        return RATCHET_OK;
    ratchet_status rc = RATCHET_OK;
    struct json_object *method = NULL, *headers = NULL;
    if (!json_object_is_type(opts, json_type_object)) {
        rc = rt_fetch_fail(fault, "Error", "fetch: options must be an object, not %s",
                           js_type(opts));
    } else if (json_object_object_get_ex(opts, "method", &method) && method) {
        if (!json_object_is_type(method, json_type_string))
            rc = rt_fetch_fail(fault, "Error", "fetch: method must be a string, not %s",
                               js_type(method));
        else if (rt_fetch_method(json_object_get_string(method), req->method) != RATCHET_OK)
            rc = rt_fetch_fail(fault, "Error",
                               "fetch: unsupported method '%.40s' (use GET, HEAD, POST, PUT, "
                               "PATCH, DELETE or OPTIONS)",
                               json_object_get_string(method));
    }
    if (rc == RATCHET_OK && json_object_object_get_ex(opts, "headers", &headers))
        rc = parse_headers(headers, req, fault);
    json_object_put(opts);
    return rc;
}

/* The third argument: a string is sent raw when the script declared a form body, anything else
 * as its JSON text (with Content-Type: application/json unless the script set one). null and
 * absent mean no body. */
static ratchet_status parse_body(const char *body_json, rt_fetch_request *req,
                                 rt_fetch_fault *fault)
{
    if (!body_json)
        return RATCHET_OK;
    size_t len = strlen(body_json);
    while (len && strchr(" \t\r\n", body_json[len - 1]))
        len--;
    size_t start = strspn(body_json, " \t\r\n");
    if (start >= len || (len - start == 4 && !memcmp(body_json + start, "null", 4)))
        return RATCHET_OK;
    const char *ctype = rt_fetch_headers_get(&req->headers, "Content-Type");
    if (body_json[start] == '"' && ctype &&
        rt_fetch_contains_nocase(ctype, "application/x-www-form-urlencoded")) {
        struct json_object *s = json_tokener_parse(body_json);
        if (!s || !json_object_is_type(s, json_type_string)) {
            json_object_put(s);
            return rt_fetch_fail(fault, "Error", "fetch: the body is not valid JSON");
        }
        req->body_len = (size_t)json_object_get_string_len(s);
        req->body = dup_len(json_object_get_string(s), req->body_len);
        json_object_put(s);
    } else {
        req->body_len = len - start;
        req->body = dup_len(body_json + start, req->body_len);
        if (req->body && !ctype &&
            rt_fetch_headers_add(&req->headers, "Content-Type", 12, "application/json", 16))
            return RATCHET_NOMEM;
    }
    return req->body ? RATCHET_OK : RATCHET_NOMEM;
}

/* Only http and https URLs with a host; libcurl's parser judges the rest. */
static ratchet_status check_url(const char *url, rt_fetch_fault *fault)
{
    size_t n = strcspn(url, ":/?#");
    char scheme[8] = "";
    for (size_t i = 0; i < n && n < sizeof scheme; i++)
        scheme[i] = ascii_lower(url[i]);
    if (url[n] != ':' || (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0))
        return rt_fetch_fail(fault, "Error", "fetch: only http and https URLs are allowed: %.2000s",
                             url);
    if (strncmp(url + n, "://", 3) != 0 || !url[n + 3] || strchr("/?#", url[n + 3]))
        return rt_fetch_fail(fault, "Error", "fetch: invalid URL (no host): %.2000s", url);
    for (const char *p = url; *p; p++)
        if ((unsigned char)*p <= 0x20 || *p == 0x7f)
            return rt_fetch_fail(fault, "Error",
                                 "fetch: invalid URL (spaces and control characters must be "
                                 "percent-encoded): %.2000s",
                                 url);
    return RATCHET_OK;
}

static ratchet_status parse_request(const rt_fetcher *f, const ratchet_fetch_call *call,
                                    rt_fetch_request *req, rt_fetch_fault *fault)
{
    if (!call->url || !*call->url)
        return rt_fetch_fail(fault, "Error", "fetch: a URL is required");
    req->url = call->url;
    ratchet_status rc = check_url(call->url, fault);
    if (rc == RATCHET_OK)
        rc = parse_options(call->options_json, req, fault);
    if (rc == RATCHET_OK)
        rc = parse_body(call->body_json, req, fault);
    if (rc == RATCHET_OK && !rt_fetch_headers_get(&req->headers, "User-Agent") &&
        rt_fetch_headers_add(&req->headers, "User-Agent", 10, f->user_agent,
                             strlen(f->user_agent)) != RATCHET_OK)
        rc = RATCHET_NOMEM;
    return rc;
}

/* ---- the script's value ------------------------------------------------------------------ */

/* Append `len` bytes of text as a JSON string; NUL bytes become \u0000. */
static ratchet_status json_text(ratchet_buf *b, const char *s, size_t len)
{
    if (rt_buf_puts(b, "\"") != RATCHET_OK)
        return RATCHET_NOMEM;
    const char *p = s, *end = s + len;
    for (;;) {
        size_t at = b->len;
        if (rt_buf_json_string(b, p) != RATCHET_OK)
            return RATCHET_NOMEM;
        /* drop the quotes rt_buf_json_string added around this segment */
        memmove(b->data + at, b->data + at + 1, b->len - at - 2);
        b->len -= 2;
        b->data[b->len] = '\0';
        p += strlen(p);
        if (p >= end)
            break;
        if (rt_buf_puts(b, "\\u0000") != RATCHET_OK)
            return RATCHET_NOMEM;
        p++;
    }
    return rt_buf_puts(b, "\"");
}

static ratchet_status json_headers(ratchet_buf *b, const rt_fetch_headers *h)
{
    ratchet_status rc = rt_buf_puts(b, "{");
    int first = 1;
    for (size_t i = 0; i < h->count && rc == RATCHET_OK; i++) {
        int seen = 0;
        for (size_t j = 0; j < i && !seen; j++)
            seen = rt_fetch_strcaseeq(h->items[j].name, h->items[i].name);
        if (seen)
            continue;
        char *lower = strdup(h->items[i].name);
        ratchet_buf value = RATCHET_BUF_INIT;
        if (!lower)
            return RATCHET_NOMEM;
        for (char *p = lower; *p; p++)
            *p = ascii_lower(*p);
        rc = rt_buf_puts(&value, h->items[i].value);
        for (size_t j = i + 1; j < h->count && rc == RATCHET_OK; j++)
            if (rt_fetch_strcaseeq(h->items[j].name, lower))
                rc = rt_buf_printf(&value, ", %s", h->items[j].value);
        if (rc == RATCHET_OK && !first)
            rc = rt_buf_puts(b, ",");
        if (rc == RATCHET_OK)
            rc = rt_buf_json_string(b, lower);
        if (rc == RATCHET_OK)
            rc = rt_buf_puts(b, ":");
        if (rc == RATCHET_OK)
            rc = rt_buf_json_string(b, value.data);
        first = 0;
        free(lower);
        rt_buf_free(&value);
    }
    return rc == RATCHET_OK ? rt_buf_puts(b, "}") : RATCHET_NOMEM;
}

static ratchet_status json_body(ratchet_buf *b, const rt_fetch_response *r)
{
    int as_json = r->body_kind == RT_FETCH_BODY_JSON;
    if (r->body_kind == RT_FETCH_BODY_AUTO && r->body_len)
        as_json = rt_json_check(r->body, r->body_len, NULL) == RATCHET_OK;
    if (as_json)
        return rt_buf_append(b, r->body, r->body_len);
    return json_text(b, r->body, r->body_len);
}

static ratchet_status response_json(const rt_fetch_response *r, ratchet_buf *b)
{
    ratchet_status rc =
        rt_buf_printf(b, "{\"ok\":%s,\"status\":%d,\"statusText\":",
                      r->status >= 200 && r->status < 300 ? "true" : "false", r->status);
    if (rc == RATCHET_OK)
        rc = rt_buf_json_string(b, r->status_text);
    if (rc == RATCHET_OK)
        rc = rt_buf_puts(b, ",\"headers\":");
    if (rc == RATCHET_OK)
        rc = json_headers(b, &r->headers);
    if (rc == RATCHET_OK)
        rc = rt_buf_puts(b, ",\"body\":");
    if (rc == RATCHET_OK)
        rc = json_body(b, r);
    if (rc == RATCHET_OK)
        rc = rt_buf_puts(b, "}");
    return rc;
}

/* A non-2xx answer as the error the script sees. */
static ratchet_status status_fault(const rt_fetch_response *r, rt_fetch_fault *fault,
                                   int *error_status)
{
    const char *name = "NetworkError";
    *error_status = 0;
    if (r->status == 401)
        name = "AuthenticationError";
    else if (r->status == 403)
        name = "AuthorizationError";
    else if (r->status == 429)
        name = "RateLimitError";
    else if (r->status >= 500 && r->status < 600)
        name = "ServiceUnavailableError";
    else if (r->status >= 400 && r->status < 500) {
        name = "HttpError";
        *error_status = r->status;
    }
    if (*r->status_text)
        return rt_fetch_fail(fault, name, "HTTP %d: %s", r->status, r->status_text);
    return rt_fetch_fail(fault, name, "HTTP %d", r->status);
}

/* ---- recording and the call summary ------------------------------------------------------ */

static ratchet_status keep_exchange(rt_fetcher *f, const rt_fetch_request *req,
                                    const rt_fetch_response *resp, int64_t started_us,
                                    double duration_ms)
{
    if (f->nkept == f->capkept) {
        size_t cap = f->capkept ? f->capkept * 2 : 8;
        rt_fetch_exchange *kept = realloc(f->kept, cap * sizeof *kept);
        if (!kept)
            return RATCHET_NOMEM;
        f->kept = kept;
        f->capkept = cap;
    }
    rt_fetch_exchange *x = &f->kept[f->nkept];
    memset(x, 0, sizeof *x);
    x->method = strdup(req->method);
    x->url = strdup(req->url);
    x->req_body = req->body ? dup_len(req->body, req->body_len) : NULL;
    x->req_body_len = req->body_len;
    x->started_us = started_us;
    x->duration_ms = duration_ms;
    if (!x->method || !x->url || (req->body && !x->req_body) ||
        rt_fetch_headers_copy(&x->req_headers, &req->headers) != RATCHET_OK ||
        rt_fetch_response_copy(&x->resp, resp) != RATCHET_OK ||
        rt_fetch_redact(f, &x->req_headers) != RATCHET_OK ||
        rt_fetch_redact(f, &x->resp.headers) != RATCHET_OK) {
        rt_fetch_exchange_clear(x);
        return RATCHET_NOMEM;
    }
    f->nkept++;
    return RATCHET_OK;
}

static ratchet_status add_call(rt_fetcher *f, const rt_fetch_request *req, int status,
                               double duration_ms, const char *source, const rt_fetch_fault *fault)
{
    struct json_object *c = json_object_new_object();
    if (!c)
        return RATCHET_NOMEM;
    char ms[32];
    snprintf(ms, sizeof ms, "%.3f", duration_ms);
    int bad = json_object_object_add(c, "method", json_object_new_string(req->method)) ||
              json_object_object_add(c, "url", json_object_new_string(req->url)) ||
              json_object_object_add(c, "status", json_object_new_int(status)) ||
              json_object_object_add(c, "duration_ms", json_object_new_double_s(duration_ms, ms)) ||
              json_object_object_add(c, "source", json_object_new_string(source));
    if (!bad && fault && fault->name) {
        size_t size = strlen(fault->name) + fault->message.len + 3;
        char *text = malloc(size);
        if (text) {
            snprintf(text, size, "%s: %s", fault->name,
                     fault->message.data ? fault->message.data : "");
            bad = json_object_object_add(c, "error", json_object_new_string(text));
            free(text);
        } else {
            bad = 1;
        }
    }
    if (bad || json_object_array_add(f->calls, c)) {
        json_object_put(c);
        return RATCHET_NOMEM;
    }
    return RATCHET_OK;
}

/* ---- the call ---------------------------------------------------------------------------- */

/* Set the call's out-fields from a fault. */
static ratchet_status throw_fault(ratchet_fetch_call *call, const rt_fetch_fault *fault,
                                  int error_status)
{
    call->error_name = strdup(fault->name);
    call->error_message = strdup(fault->message.data ? fault->message.data : "");
    call->error_status = error_status;
    if (!call->error_name || !call->error_message) {
        free(call->error_name);
        free(call->error_message);
        call->error_name = call->error_message = NULL;
        return RATCHET_ERR;
    }
    return RATCHET_OK;
}

ratchet_status rt_fetch_callback(void *fetcher, ratchet_fetch_call *call)
{
    rt_fetcher *f = fetcher;
    if (!f || !call)
        return RATCHET_ERR;
    call->response_json = call->error_name = call->error_message = NULL;
    call->error_status = 0;

    rt_fetch_request req;
    memset(&req, 0, sizeof req);
    req.url = call->url ? call->url : "";
    memcpy(req.method, "GET", 4);
    rt_fetch_response resp;
    memset(&resp, 0, sizeof resp);
    rt_fetch_fault fault = {NULL, RATCHET_BUF_INIT};
    ratchet_buf out = RATCHET_BUF_INIT;
    const char *source = f->mocks_on ? "mock" : f->replay_on ? "replay" : "live";
    int64_t started_us = now_us(CLOCK_REALTIME), t0 = now_us(CLOCK_MONOTONIC);

    ratchet_status rc = parse_request(f, call, &req, &fault);
    int parsed = rc == RATCHET_OK;
    if (rc == RATCHET_OK) {
        if (f->mocks_on)
            rc = rt_fetch_mock_answer(&f->mocks, &req, &resp, &fault);
        else if (f->replay_on)
            rc = rt_fetch_replay_answer(&f->replay, &req, &resp, &fault);
        else
            rc = rt_fetch_live(f, &req, &resp, &fault);
    }
    double duration_ms = (double)(now_us(CLOCK_MONOTONIC) - t0) / 1000.0;
    int error_status = 0;
    if (rc == RATCHET_OK && f->recording)
        rc = keep_exchange(f, &req, &resp, started_us, duration_ms);
    if (rc == RATCHET_OK) {
        if (resp.status >= 200 && resp.status < 300)
            rc = response_json(&resp, &out) == RATCHET_OK ? RATCHET_OK : RATCHET_NOMEM;
        else
            rc = status_fault(&resp, &fault, &error_status);
    }
    /* A call that failed before it was a valid request (a bad argument) is summarised too,
     * with the method it asked for when known. */
    if (rc != RATCHET_NOMEM && add_call(f, &req, resp.status, duration_ms, parsed ? source : "none",
                                        rc == RATCHET_ERR ? &fault : NULL) != RATCHET_OK)
        rc = RATCHET_NOMEM;

    ratchet_status result = RATCHET_OK;
    if (rc == RATCHET_OK) {
        call->response_json = out.data; /* malloc'd by ratchet_buf: the executor frees it */
        out.data = NULL;
    } else if (rc == RATCHET_ERR) {
        result = throw_fault(call, &fault, error_status);
    } else {
        result = RATCHET_ERR;
    }
    rt_buf_free(&out);
    rt_buf_free(&fault.message);
    rt_fetch_response_clear(&resp);
    request_clear(&req);
    return result;
}
