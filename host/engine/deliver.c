/* host/engine/deliver.c - destinations: validation, the delivered body, webhooks with retries, and
 * the delivery record. File writing is in deliver_file.c; HTTP is the fetcher's (fetch_curl.c). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "core/core_layer.h"
#include "breaker.h"
#include "deliver.h"
#include "task/task_layer.h"

rt_delivery_policy rt_delivery_policy_defaults(void)
{
    rt_delivery_policy p;
    memset(&p, 0, sizeof p);
    p.initial_delay_ms = 1000;
    p.max_delay_ms = 60000;
    p.jitter = 0.1;
    p.verify_tls = 1;
    return p;
}

/* ---- validation ------------------------------------------------------------------------- */

static const char *json_type_text(struct json_object *v)
{
    switch (json_object_get_type(v)) {
    case json_type_null:
        return "null";
    case json_type_boolean:
        return "a boolean";
    case json_type_double:
    case json_type_int:
        return "a number";
    case json_type_string:
        return "a string";
    case json_type_array:
        return "an array";
    default:
        return "an object";
    }
}

static struct json_object *member(struct json_object *o, const char *key)
{
    struct json_object *v = NULL;
    return json_object_object_get_ex(o, key, &v) ? v : NULL;
}

/* Every key of o is one of `keys` (NULL-terminated). */
static ratchet_status known_keys(struct json_object *o, const char *const *keys, const char *where,
                                 rt_error *err)
{
    json_object_object_foreach(o, key, value)
    {
        (void)value;
        size_t i = 0;
        while (keys[i] && strcmp(keys[i], key) != 0)
            i++;
        if (!keys[i])
            return rt_fail(err, "%s: unknown key '%.64s'", where, key);
    }
    return RATCHET_OK;
}

/* A string member: required or not; without CR, LF or NUL when single_line. */
static ratchet_status string_member(struct json_object *o, const char *key, int required,
                                    int single_line, const char *where, const char **out,
                                    rt_error *err)
{
    struct json_object *v = member(o, key);
    *out = NULL;
    if (!v && !required)
        return RATCHET_OK;
    if (!v) {
        rt_fail(err, "%s.%s: required (a string)", where, key);
        return RATCHET_ERR;
    }
    if (!json_object_is_type(v, json_type_string)) {
        rt_fail(err, "%s.%s: expected a string, not %s", where, key, json_type_text(v));
        return RATCHET_ERR;
    }
    const char *s = json_object_get_string(v);
    if (single_line && strcspn(s, "\r\n") != (size_t)json_object_get_string_len(v)) {
        rt_fail(err, "%s.%s: must not contain line breaks or NUL", where, key);
        return RATCHET_ERR;
    }
    *out = s;
    return RATCHET_OK;
}

static ratchet_status int_member(struct json_object *o, const char *key, int64_t min, int64_t max,
                                 int64_t dflt, const char *where, int64_t *out, rt_error *err)
{
    struct json_object *v = member(o, key);
    *out = dflt;
    if (!v)
        return RATCHET_OK;
    int64_t n = json_object_get_int64(v);
    if (!json_object_is_type(v, json_type_int) || n < min || n > max)
        return rt_fail(err, "%s.%s: expected an integer from %" PRId64 " to %" PRId64, where, key,
                       min, max);
    *out = n;
    return RATCHET_OK;
}

/* One of `choices` (NULL-terminated; the first is the default); *out is its index. */
static ratchet_status choice_member(struct json_object *o, const char *key,
                                    const char *const *choices, const char *where, int *out,
                                    rt_error *err)
{
    const char *s;
    *out = 0;
    if (string_member(o, key, 0, 0, where, &s, err) != RATCHET_OK || !s)
        return s ? RATCHET_ERR : (member(o, key) ? RATCHET_ERR : RATCHET_OK);
    for (int i = 0; choices[i]; i++)
        if (!strcmp(choices[i], s)) {
            *out = i;
            return RATCHET_OK;
        }
    ratchet_buf b = RATCHET_BUF_INIT;
    for (int i = 0; choices[i]; i++)
        rt_buf_printf(&b, "%s\"%s\"", i == 0 ? "" : choices[i + 1] ? ", " : " or ", choices[i]);
    rt_fail(err, "%s.%s: expected %s, not \"%.64s\"", where, key, b.data ? b.data : "", s);
    rt_buf_free(&b);
    return RATCHET_ERR;
}

static const char *const include_choices[] = {"output", "job", NULL};
static const char *const format_choices[] = {"json", "json_compact", NULL};

/* An RFC 9110 token. */
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

static int url_ok(const char *url)
{
    size_t n = strlen(url);
    if (n > RT_OUTPUT_MAX_URL)
        return 0;
    size_t scheme = !strncmp(url, "http://", 7) ? 7 : !strncmp(url, "https://", 8) ? 8 : 0;
    if (!scheme || !url[scheme] || strchr("/?#@", url[scheme]))
        return 0;
    for (const char *p = url; *p; p++)
        if ((unsigned char)*p <= 0x20 || *p == 0x7f)
            return 0;
    return 1;
}

/* A URL template: an http(s) URL whose scheme, user, host and port are literal (a job's values
 * must not choose where its results go) and whose variables are known. The fragment, never
 * sent, takes no variables either. */
static ratchet_status check_url(const char *url, const char *where, rt_error *err)
{
    if (!url_ok(url))
        return rt_fail(err, "%s: expected an http(s) URL", where);
    const char *authority = strstr(url, "://") + 3;
    const char *end = authority + strcspn(authority, "/?#"), *fragment = strchr(end, '#');
    if (memchr(url, '{', (size_t)(end - url)) || (fragment && strchr(fragment, '{')))
        return rt_fail(err, "%s: variables are allowed only in the path and query", where);
    return rt_deliver_template_check(url, where, err);
}

static ratchet_status check_auth(struct json_object *auth, const char *where, rt_error *err)
{
    static const char *const bearer[] = {"type", "token", NULL};
    static const char *const basic[] = {"type", "username", "password", NULL};
    static const char *const api_key[] = {"type", "header", "key", NULL};
    const char *type, *s;
    if (!json_object_is_type(auth, json_type_object))
        return rt_fail(err, "%s: expected an object, not %s", where, json_type_text(auth));
    if (string_member(auth, "type", 1, 1, where, &type, err) != RATCHET_OK)
        return RATCHET_ERR;
    if (!strcmp(type, "bearer"))
        return known_keys(auth, bearer, where, err) ||
                       string_member(auth, "token", 1, 1, where, &s, err)
                   ? RATCHET_ERR
                   : RATCHET_OK;
    if (!strcmp(type, "basic")) {
        if (known_keys(auth, basic, where, err) ||
            string_member(auth, "username", 1, 1, where, &s, err))
            return RATCHET_ERR;
        if (strchr(s, ':'))
            return rt_fail(err, "%s.username: must not contain ':'", where);
        return string_member(auth, "password", 1, 1, where, &s, err);
    }
    if (!strcmp(type, "api_key")) {
        if (known_keys(auth, api_key, where, err) ||
            string_member(auth, "header", 0, 1, where, &s, err))
            return RATCHET_ERR;
        if (s && !header_name_ok(s))
            return rt_fail(err, "%s.header: not a valid header name", where);
        return string_member(auth, "key", 1, 1, where, &s, err);
    }
    return rt_fail(err, "%s.type: expected \"bearer\", \"basic\" or \"api_key\", not \"%.32s\"",
                   where, type);
}

static ratchet_status check_webhook(struct json_object *d, const char *where, rt_error *err)
{
    static const char *const keys[] = {"type",       "url",          "method",  "headers", "auth",
                                       "timeout_ms", "max_attempts", "include", NULL};
    char sub[96];
    const char *s;
    int64_t n;
    int i;
    if (known_keys(d, keys, where, err) || string_member(d, "url", 1, 0, where, &s, err))
        return RATCHET_ERR;
    snprintf(sub, sizeof sub, "%s.url", where);
    if (check_url(s, sub, err))
        return RATCHET_ERR;
    if (string_member(d, "method", 0, 0, where, &s, err))
        return RATCHET_ERR;
    char method[8];
    if (s && (rt_fetch_method(s, method) != RATCHET_OK ||
              (strcmp(method, "POST") && strcmp(method, "PUT") && strcmp(method, "PATCH"))))
        return rt_fail(err, "%s.method: expected POST, PUT or PATCH", where);
    struct json_object *headers = member(d, "headers");
    if (headers && !json_object_is_type(headers, json_type_object))
        return rt_fail(err, "%s.headers: expected an object, not %s", where,
                       json_type_text(headers));
    if (headers && json_object_object_length(headers) > RT_OUTPUT_MAX_HEADERS)
        return rt_fail(err, "%s.headers: more than %d headers", where, RT_OUTPUT_MAX_HEADERS);
    if (headers) {
        snprintf(sub, sizeof sub, "%s.headers", where);
        json_object_object_foreach(headers, name, value)
        {
            (void)value;
            if (!header_name_ok(name))
                return rt_fail(err, "%s: invalid header name '%.64s'", sub, name);
            if (string_member(headers, name, 1, 1, sub, &s, err))
                return RATCHET_ERR;
            char header[256];
            snprintf(header, sizeof header, "%s.%.128s", sub, name);
            if (strlen(s) > RT_OUTPUT_MAX_HEADER)
                return rt_fail(err, "%s: longer than %d bytes", header, RT_OUTPUT_MAX_HEADER);
            if (rt_deliver_template_check(s, header, err))
                return RATCHET_ERR;
        }
    }
    struct json_object *auth = member(d, "auth");
    snprintf(sub, sizeof sub, "%s.auth", where);
    if (auth && check_auth(auth, sub, err))
        return RATCHET_ERR;
    if (int_member(d, "timeout_ms", RT_OUTPUT_MIN_TIMEOUT, RT_OUTPUT_MAX_TIMEOUT, 0, where, &n,
                   err) ||
        int_member(d, "max_attempts", 1, RT_OUTPUT_MAX_ATTEMPTS, 0, where, &n, err))
        return RATCHET_ERR;
    return choice_member(d, "include", include_choices, where, &i, err);
}

static ratchet_status check_file(struct json_object *d, const char *where, rt_error *err)
{
    static const char *const keys[] = {"type", "path", "format", "overwrite", "include", NULL};
    char sub[96];
    const char *s;
    int i;
    if (known_keys(d, keys, where, err) || string_member(d, "path", 1, 0, where, &s, err))
        return RATCHET_ERR;
    snprintf(sub, sizeof sub, "%s.path", where);
    if (strlen(s) != (size_t)json_object_get_string_len(member(d, "path")))
        return rt_fail(err, "%s: must not contain NUL", sub);
    if (rt_deliver_path_check(s, sub, err))
        return RATCHET_ERR;
    struct json_object *ow = member(d, "overwrite");
    if (ow && !json_object_is_type(ow, json_type_boolean))
        return rt_fail(err, "%s.overwrite: expected a boolean, not %s", where, json_type_text(ow));
    if (choice_member(d, "format", format_choices, where, &i, err))
        return RATCHET_ERR;
    return choice_member(d, "include", include_choices, where, &i, err);
}

static ratchet_status check_dest(struct json_object *d, const char *where, rt_error *err)
{
    const char *type;
    if (!json_object_is_type(d, json_type_object))
        return rt_fail(err, "%s: expected an object, not %s", where, json_type_text(d));
    if (string_member(d, "type", 1, 0, where, &type, err))
        return RATCHET_ERR;
    if (!strcmp(type, "webhook"))
        return check_webhook(d, where, err);
    if (!strcmp(type, "file"))
        return check_file(d, where, err);
    return rt_fail(err, "%s.type: expected \"webhook\" or \"file\", not \"%.32s\"", where, type);
}

ratchet_status rt_outputs_check(struct json_object *outputs, rt_error *err)
{
    if (!outputs)
        return RATCHET_OK;
    if (!json_object_is_type(outputs, json_type_array))
        return rt_fail(err, "outputs: expected an array, not %s", json_type_text(outputs));
    size_t n = json_object_array_length(outputs);
    if (n > RT_OUTPUTS_MAX)
        return rt_fail(err, "outputs: more than %d destinations", RT_OUTPUTS_MAX);
    for (size_t i = 0; i < n; i++) {
        char where[32];
        snprintf(where, sizeof where, "outputs[%zu]", i);
        if (check_dest(json_object_array_get_idx(outputs, i), where, err))
            return RATCHET_ERR;
    }
    return RATCHET_OK;
}

/* ---- what is delivered ------------------------------------------------------------------- */

static struct json_object *string_or_null(const char *s)
{
    return s ? json_object_new_string(s) : NULL;
}

/* The body as text (malloc'd), per include and format. NULL when out of memory. */
static char *body_text(struct json_object *d, const rt_delivery_job *job, int flags)
{
    int include = 0;
    choice_member(d, "include", include_choices, "", &include, NULL);
    struct json_object *doc = job->output, *wrap = NULL;
    if (include == 1) {
        wrap = json_object_new_object();
        if (!wrap)
            return NULL;
        int bad =
            json_object_object_add(wrap, "jobId", json_object_new_int64(job->job_id)) ||
            json_object_object_add(wrap, "executionId", json_object_new_int64(job->execution_id)) ||
            json_object_object_add(wrap, "taskName", string_or_null(job->task)) ||
            json_object_object_add(wrap, "taskVersion", string_or_null(job->version)) ||
            json_object_object_add(wrap, "status", string_or_null(job->status)) ||
            json_object_object_add(wrap, "output", json_object_get(job->output)) ||
            json_object_object_add(wrap, "error", json_object_get(job->error));
        if (bad) {
            json_object_put(wrap);
            return NULL;
        }
        doc = wrap;
    }
    const char *text =
        doc ? json_object_to_json_string_ext(doc, flags | JSON_C_TO_STRING_NOSLASHESCAPE) : "null";
    char *copy = NULL;
    if (text) {
        size_t n = strlen(text);
        copy = malloc(n + 2);
        if (copy) {
            memcpy(copy, text, n);
            /* A pretty file ends with a newline, as text files do. */
            if (flags & JSON_C_TO_STRING_PRETTY)
                copy[n++] = '\n';
            copy[n] = '\0';
        }
    }
    json_object_put(wrap);
    return copy;
}

/* The URL without user:password@. malloc'd; NULL when out of memory. */
static char *url_without_credentials(const char *url)
{
    const char *host = strstr(url, "://");
    host = host ? host + 3 : url;
    size_t authority = strcspn(host, "/?#");
    const char *at = NULL;
    for (const char *p = host; p < host + authority; p++)
        if (*p == '@')
            at = p;
    if (!at)
        return strdup(url);
    size_t head = (size_t)(host - url), size = strlen(url) + 1;
    char *out = malloc(size);
    if (out)
        snprintf(out, size, "%.*s%s", (int)head, url, at + 1);
    return out;
}

/* ---- the record ------------------------------------------------------------------------- */

typedef struct outcome {
    const char *type;
    char *destination; /* owned */
    int success;
    int attempts;
    int status; /* 0: none */
    rt_error err;
    int failed; /* err is set */
} outcome;

static int64_t clock_ms(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t mono_ms(void)
{
    return clock_ms(CLOCK_MONOTONIC);
}

/* The breakers' times are wall clock: their refusals name a time of day. */
static int64_t wall_ms(void)
{
    return clock_ms(CLOCK_REALTIME);
}

static struct json_object *record(const rt_delivery_job *job, const outcome *o, int64_t ms)
{
    struct json_object *r = json_object_new_object();
    if (!r)
        return NULL;
    int bad =
        json_object_object_add(r, "jobId", json_object_new_int64(job->job_id)) ||
        json_object_object_add(r, "executionId", json_object_new_int64(job->execution_id)) ||
        json_object_object_add(r, "destinationType", json_object_new_string(o->type)) ||
        json_object_object_add(r, "destination", string_or_null(o->destination)) ||
        json_object_object_add(r, "success", json_object_new_boolean(o->success)) ||
        json_object_object_add(r, "attempts", json_object_new_int(o->attempts)) ||
        json_object_object_add(r, "durationMs", json_object_new_int64(ms)) ||
        json_object_object_add(r, "responseStatus",
                               o->status ? json_object_new_int(o->status) : NULL) ||
        json_object_object_add(r, "error", o->failed ? json_object_new_string(o->err.msg) : NULL);
    if (bad) {
        json_object_put(r);
        return NULL;
    }
    return r;
}

/* ---- webhooks ----------------------------------------------------------------------------- */

static ratchet_status base64_header(rt_fetch_request *req, const char *prefix, const char *user,
                                    const char *password)
{
    static const char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    ratchet_buf plain = RATCHET_BUF_INIT, out = RATCHET_BUF_INIT;
    ratchet_status rc = rt_buf_printf(&plain, "%s:%s", user, password);
    if (rc == RATCHET_OK)
        rc = rt_buf_puts(&out, prefix);
    const unsigned char *s = (const unsigned char *)plain.data;
    for (size_t i = 0; rc == RATCHET_OK && i < plain.len; i += 3) {
        size_t left = plain.len - i;
        unsigned v = (unsigned)s[i] << 16 | (left > 1 ? (unsigned)s[i + 1] << 8 : 0) |
                     (left > 2 ? s[i + 2] : 0);
        char quad[4] = {digits[v >> 18 & 63], digits[v >> 12 & 63],
                        left > 1 ? digits[v >> 6 & 63] : '=', left > 2 ? digits[v & 63] : '='};
        rc = rt_buf_append(&out, quad, 4);
    }
    if (rc == RATCHET_OK)
        rc = rt_fetch_headers_add(&req->headers, "Authorization", 13, out.data, out.len);
    /* The secret does not outlive its use. */
    if (plain.data)
        memset(plain.data, 0, plain.len);
    if (out.data)
        memset(out.data, 0, out.len);
    rt_buf_free(&plain);
    rt_buf_free(&out);
    return rc;
}

static ratchet_status add_header(rt_fetch_request *req, const char *name, const char *value)
{
    return rt_fetch_headers_add(&req->headers, name, strlen(name), value, strlen(value));
}

/* The header templates of d expanded for job and added to req, but where auth already set the
 * header. */
static ratchet_status add_template_headers(rt_fetch_request *req, struct json_object *d,
                                           const rt_delivery_job *job, rt_error *err)
{
    struct json_object *headers = member(d, "headers");
    if (!headers)
        return RATCHET_OK;
    ratchet_status rc = RATCHET_OK;
    json_object_object_foreach(headers, name, value)
    {
        if (rc != RATCHET_OK || rt_fetch_headers_get(&req->headers, name))
            continue;
        ratchet_buf b = RATCHET_BUF_INIT;
        char where[192];
        snprintf(where, sizeof where, "output.headers.%.128s", name);
        rc = rt_deliver_template_expand(json_object_get_string(value), RT_ESCAPE_HEADER, job,
                                        RT_OUTPUT_MAX_HEADER, &b, where, err);
        if (rc == RATCHET_OK)
            rc = rt_fetch_headers_add(&req->headers, name, strlen(name), b.data ? b.data : "",
                                      b.len);
        rt_buf_free(&b);
    }
    return rc;
}

/* The request for a validated webhook destination, to the expanded url; req->url and req->body
 * borrow url and body. */
static ratchet_status build_request(struct json_object *d, const rt_delivery_job *job,
                                    const char *url, char *body, rt_fetch_request *req,
                                    rt_error *err)
{
    const char *method = json_object_get_string(member(d, "method"));
    if (rt_fetch_method(method ? method : "POST", req->method) != RATCHET_OK)
        return rt_fail(err, "cannot build the request");
    req->url = url;
    req->body = body;
    req->body_len = strlen(body);
    ratchet_status rc = RATCHET_OK;
    struct json_object *auth = member(d, "auth");
    if (auth) {
        const char *type = json_object_get_string(member(auth, "type"));
        if (!strcmp(type, "bearer")) {
            ratchet_buf b = RATCHET_BUF_INIT;
            rc = rt_buf_printf(&b, "Bearer %s", json_object_get_string(member(auth, "token")));
            if (rc == RATCHET_OK)
                rc = rt_fetch_headers_add(&req->headers, "Authorization", 13, b.data, b.len);
            if (b.data)
                memset(b.data, 0, b.len);
            rt_buf_free(&b);
        } else if (!strcmp(type, "basic")) {
            rc = base64_header(req, "Basic ", json_object_get_string(member(auth, "username")),
                               json_object_get_string(member(auth, "password")));
        } else {
            const char *name = json_object_get_string(member(auth, "header"));
            rc = add_header(req, name ? name : "X-API-Key",
                            json_object_get_string(member(auth, "key")));
        }
    }
    /* auth wins over a header of the same name */
    if (rc == RATCHET_OK)
        rc = add_template_headers(req, d, job, err);
    if (rc == RATCHET_OK && !rt_fetch_headers_get(&req->headers, "Content-Type"))
        rc = add_header(req, "Content-Type", "application/json");
    if (rc == RATCHET_OK && !rt_fetch_headers_get(&req->headers, "User-Agent"))
        rc = add_header(req, "User-Agent", RT_FETCH_DEFAULT_USER_AGENT);
    return rc;
}

/* 429 and the 5xx answers that may change. */
static int retryable_status(int status)
{
    return status == 429 || (status >= 500 && status < 600 && status != 501 && status != 505);
}

/* Retry-After in seconds as milliseconds; 0 when absent or an HTTP date (not honoured). */
static int64_t retry_after_ms(const rt_fetch_response *r)
{
    const char *v = rt_fetch_headers_get(&r->headers, "Retry-After");
    if (!v || !*v || strspn(v, "0123456789") != strlen(v) || strlen(v) > 6)
        return 0;
    return (int64_t)atol(v) * 1000;
}

static int is_cancelled(const rt_delivery_policy *p)
{
    return p->cancelled && p->cancelled(p->cancel_data);
}

/* Sleep ms, polling for cancellation every 100 ms; 1 when cancelled. */
static int wait_ms(int64_t ms, const rt_delivery_policy *p)
{
    int64_t end = mono_ms() + ms;
    for (int64_t left = ms; left > 0; left = end - mono_ms()) {
        if (is_cancelled(p))
            return 1;
        int64_t step = left < 100 ? left : 100;
        struct timespec ts = {(time_t)(step / 1000), (long)(step % 1000) * 1000000L};
        nanosleep(&ts, NULL);
    }
    return is_cancelled(p);
}

/* The wait before attempt number `next` (2, 3, ...): initial * 2^(next-2), capped, plus
 * jitter; a longer Retry-After wins, up to the cap. */
static int64_t backoff_ms(const rt_delivery_policy *p, int next, int64_t retry_after, uint64_t *rng)
{
    int64_t cap = p->max_delay_ms > 0 ? p->max_delay_ms : 0, wait = p->initial_delay_ms;
    for (int i = 2; i < next && wait < cap; i++)
        wait *= 2;
    if (wait > cap)
        wait = cap;
    if (wait < 0)
        wait = 0;
    *rng ^= *rng << 13;
    *rng ^= *rng >> 7;
    *rng ^= *rng << 17;
    double unit = (double)(*rng >> 11) / 9007199254740992.0; /* [0, 1) */
    wait += (int64_t)((double)wait * p->jitter * unit);
    if (retry_after > wait)
        wait = retry_after < cap ? retry_after : cap;
    return wait;
}

/* The fault's text with the URL's credentials removed. */
static void fault_text(outcome *o, const rt_fetch_fault *fault, const char *url)
{
    const char *msg = fault->message.data ? fault->message.data : fault->name;
    const char *at = strstr(msg, url);
    if (at && o->destination && strcmp(url, o->destination) != 0)
        rt_fail(&o->err, "%.*s%s%s", (int)(at - msg), msg, o->destination, at + strlen(url));
    else
        rt_fail(&o->err, "%s", msg);
    o->failed = 1;
}

/* The URL template of d expanded for job (malloc'd, in *url) and, in o->destination, without
 * its credentials; on failure o->destination is the template's. */
static ratchet_status webhook_url(struct json_object *d, const rt_delivery_job *job, char **url,
                                  outcome *o)
{
    const char *tmpl = json_object_get_string(member(d, "url"));
    ratchet_buf b = RATCHET_BUF_INIT;
    ratchet_status rc = rt_deliver_template_expand(tmpl, RT_ESCAPE_URL, job, RT_OUTPUT_MAX_URL, &b,
                                                   "output.url", &o->err);
    *url = rc == RATCHET_OK ? b.data : NULL;
    if (rc != RATCHET_OK)
        rt_buf_free(&b);
    o->destination = url_without_credentials(*url ? *url : tmpl);
    return rc == RATCHET_OK && (!*url || !o->destination) ? RATCHET_NOMEM : rc;
}

static void webhook(struct json_object *d, const rt_delivery_job *job, const rt_delivery_policy *p,
                    outcome *o)
{
    int64_t timeout, attempts;
    int_member(d, "timeout_ms", 0, INT64_MAX, RT_OUTPUT_DEFAULT_TIMEOUT, "", &timeout, NULL);
    int_member(d, "max_attempts", 0, INT64_MAX, RT_OUTPUT_DEFAULT_ATTEMPTS, "", &attempts, NULL);
    char *url = NULL;
    ratchet_status rc = webhook_url(d, job, &url, o);

    rt_fetch_config cfg = rt_fetch_config_defaults();
    cfg.timeout_ms = timeout;
    cfg.max_redirects = 0;                        /* a redirected POST would lose its body */
    cfg.max_response_bytes = (size_t)1024 * 1024; /* the answer is not kept */
    cfg.verify_tls = p->verify_tls;
    rt_fetcher *f = rt_fetcher_new(&cfg);
    rt_fetch_request req;
    memset(&req, 0, sizeof req);
    char *body = rc == RATCHET_OK ? body_text(d, job, JSON_C_TO_STRING_PLAIN) : NULL;
    if (rc == RATCHET_OK)
        rc = f && body ? build_request(d, job, url, body, &req, &o->err) : RATCHET_NOMEM;
    if (rc == RATCHET_NOMEM)
        rt_fail(&o->err, "out of memory");
    o->failed = rc != RATCHET_OK;
    uint64_t rng = (uint64_t)mono_ms() * 0x9E3779B97F4A7C15u ^ (uint64_t)(uintptr_t)&rng;
    rng |= 1;
    for (int attempt = 1; rc == RATCHET_OK; attempt++) {
        rt_fetch_response resp;
        memset(&resp, 0, sizeof resp);
        rt_fetch_fault fault = {NULL, RATCHET_BUF_INIT};
        o->attempts = attempt;
        int retry = 0;
        int64_t retry_after = 0;
        rt_breaker_pass pass;
        rt_breaker_enter(RT_BREAKER_WEBHOOK, url, wall_ms(), &pass);
        if (!pass.allowed) { /* fail fast: the host keeps failing */
            rt_breaker_refusal(&pass, wall_ms(), o->err.msg, sizeof o->err.msg);
            o->failed = 1;
            break;
        }
        ratchet_status sent = rt_fetch_live(f, &req, &resp, &fault);
        rt_breaker_leave(RT_BREAKER_WEBHOOK, &pass,
                         sent == RATCHET_NOMEM ? -1
                         : sent == RATCHET_OK  ? resp.status >= 500
                                               : 1,
                         wall_ms());
        if (sent == RATCHET_OK) {
            o->status = resp.status;
            o->success = resp.status >= 200 && resp.status < 300;
            o->failed = !o->success;
            if (!o->success) {
                rt_fail(&o->err, *resp.status_text ? "HTTP %d: %s" : "HTTP %d", resp.status,
                        resp.status_text);
                retry = retryable_status(resp.status);
                retry_after = retry_after_ms(&resp);
            }
        } else if (sent == RATCHET_NOMEM) {
            rt_fail(&o->err, "out of memory");
            o->failed = 1;
        } else {
            o->status = 0;
            fault_text(o, &fault, url);
            retry = strcmp(fault.name, "NetworkError") == 0 || !strcmp(fault.name, "TimeoutError");
        }
        rt_fetch_response_clear(&resp);
        rt_buf_free(&fault.message);
        if (!retry || attempt >= attempts)
            break;
        if (wait_ms(backoff_ms(p, attempt + 1, retry_after, &rng), p)) {
            size_t n = strlen(o->err.msg);
            snprintf(o->err.msg + n, sizeof o->err.msg - n, " (retries cancelled)");
            break;
        }
    }
    rt_fetch_headers_clear(&req.headers);
    free(body);
    free(url);
    rt_fetcher_free(f);
}

/* ---- files and the entry point ------------------------------------------------------------ */

static void file(struct json_object *d, const rt_delivery_job *job, const char *base_dir,
                 outcome *o)
{
    int format = 0;
    choice_member(d, "format", format_choices, "", &format, NULL);
    struct json_object *ow = member(d, "overwrite");
    int overwrite = ow && json_object_get_boolean(ow);
    const char *tmpl = json_object_get_string(member(d, "path"));
    o->attempts = 1;
    ratchet_status rc = rt_deliver_path_expand(tmpl, job, base_dir, &o->destination, &o->err);
    char *body = NULL;
    if (rc == RATCHET_OK) {
        body = body_text(d, job,
                         format == 0 ? JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED
                                     : JSON_C_TO_STRING_PLAIN);
        rc = body ? rt_deliver_file_write(o->destination, body, strlen(body), overwrite, &o->err)
                  : RATCHET_NOMEM;
    }
    if (rc == RATCHET_NOMEM)
        rt_fail(&o->err, "out of memory");
    if (rc != RATCHET_OK && !o->destination)
        o->destination = strdup(tmpl);
    o->success = rc == RATCHET_OK;
    o->failed = !o->success;
    free(body);
}

struct json_object *rt_deliver(struct json_object *dest, const rt_delivery_job *job,
                               const rt_delivery_policy *policy, const char *base_dir)
{
    int64_t t0 = mono_ms();
    rt_delivery_policy p = policy ? *policy : rt_delivery_policy_defaults();
    outcome o;
    memset(&o, 0, sizeof o);
    const char *type = json_object_get_string(member(dest, "type"));
    o.type = type && !strcmp(type, "file")      ? "file"
             : type && !strcmp(type, "webhook") ? "webhook"
                                                : "unknown";
    if (check_dest(dest, "output", &o.err) != RATCHET_OK) {
        o.failed = 1;
        const char *where = json_object_get_string(member(dest, o.type[0] == 'f' ? "path" : "url"));
        if (where &&
            json_object_is_type(member(dest, o.type[0] == 'f' ? "path" : "url"), json_type_string))
            o.destination = o.type[0] == 'f' ? strdup(where) : url_without_credentials(where);
    } else if (o.type[0] == 'w') {
        webhook(dest, job, &p, &o);
    } else {
        file(dest, job, base_dir, &o);
    }
    struct json_object *r = record(job, &o, mono_ms() - t0);
    free(o.destination);
    return r;
}
