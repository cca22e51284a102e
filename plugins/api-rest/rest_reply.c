/*
 * plugins/api-rest/rest_reply.c - answering: the {data} envelope, the error envelope with the
 * engine's codes mapped to HTTP statuses, ids from the path, and request bodies checked before
 * they reach the engine (Content-Type, JSON syntax, field types and enum values).
 *
 * Every function answers the request itself when it fails, so a handler only stops.
 */
#define _POSIX_C_SOURCE 200809L

#include <ctype.h>
#include <stdarg.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "rest.h"

static const struct {
    const char *code;
    int status;
} code_status[] = {
    {"NOT_FOUND", 404},      {"BAD_REQUEST", 400},    {"VALIDATION_ERROR", 400},
    {"CONFLICT", 409},       {"UNAUTHORIZED", 401},   {"FORBIDDEN", 403},
    {"RATE_LIMITED", 429},   {"TIMEOUT", 408},        {"SERVICE_UNAVAILABLE", 503},
    {"DATABASE_ERROR", 500}, {"INTERNAL_ERROR", 500},
};

int rest_status_of_code(const char *code)
{
    for (size_t i = 0; code && i < sizeof code_status / sizeof code_status[0]; i++) {
        if (strcmp(code, code_status[i].code) == 0)
            return code_status[i].status;
    }
    return 500;
}

struct json_object *rest_parse(const char *json)
{
    if (!json)
        return NULL;
    struct json_tokener *tok = json_tokener_new_ex(REST_JSON_DEPTH);
    if (!tok)
        return NULL;
    struct json_object *o = json_tokener_parse_ex(tok, json, -1);
    json_tokener_free(tok);
    return o;
}

const char *rest_json_text(struct json_object *v)
{
    return json_object_to_json_string_ext(v,
                                          JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
}

ratchet_status rest_append_now(ratchet_buf *b)
{
    ratchet_status st = rest_host->buf_append(b, "\"", 1);
    if (st == RATCHET_OK)
        st = rest_host->buf_time_iso8601(b, rest_host->now_us());
    if (st == RATCHET_OK)
        st = rest_host->buf_append(b, "\"", 1);
    return st;
}

void rest_send_json(const rest *r, ratchet_http_request *req, int status, const char *body,
                    size_t len)
{
    r->http->respond(req, status, "application/json", body, len);
}

int rest_invalid(const rest *r, ratchet_http_request *req, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    r->http->respond_error(req, 400, "VALIDATION_ERROR", "%s", msg);
    return 0;
}

void rest_send_nomem(const rest *r, ratchet_http_request *req)
{
    r->http->log(req, RATCHET_LOG_ERROR, "could not build the answer to %s %s",
                 r->http->method(req), r->http->path(req));
    r->http->respond_error(req, 500, "INTERNAL_ERROR",
                           "could not build the answer (out of memory or a malformed record)");
}

void rest_send_data(const rest *r, ratchet_http_request *req, int status, const char *json)
{
    ratchet_buf b = RATCHET_BUF_INIT;
    if (rest_host->buf_printf(&b, "{\"data\":%s}", json && *json ? json : "null") != RATCHET_OK)
        rest_send_nomem(r, req);
    else
        rest_send_json(r, req, status, b.data, b.len);
    rest_host->buf_free(&b);
}

ratchet_status rest_error_envelope(ratchet_buf *out, int status, const char *code,
                                   const char *message, const char *details_json)
{
    ratchet_status st = rest_host->buf_printf(out, "{\"error\":{\"code\":");
    if (st == RATCHET_OK)
        st = rest_host->buf_json_string(out, code);
    if (st == RATCHET_OK)
        st = rest_host->buf_printf(out, ",\"message\":");
    if (st == RATCHET_OK)
        st = rest_host->buf_json_string(out, message);
    if (st == RATCHET_OK)
        st = rest_host->buf_printf(out, ",\"status\":%d", status);
    if (st == RATCHET_OK && details_json)
        st = rest_host->buf_printf(out, ",\"details\":%s", details_json);
    if (st == RATCHET_OK)
        st = rest_host->buf_printf(out, "}}");
    return st;
}

/*
 * The engine's error object, {code, message, details?}, becomes the envelope with the mapped
 * status. Details are passed through as they are (a list of {pointer, message}). A 5xx is a
 * fault of ours or the storage's, so it is logged with the request id for the operator.
 */
void rest_send_engine_error(const rest *r, ratchet_http_request *req, ratchet_status st,
                            const char *err)
{
    struct json_object *o = rest_parse(err);
    struct json_object *code = NULL, *msg = NULL, *details = NULL;
    if (o && json_object_is_type(o, json_type_object)) {
        json_object_object_get_ex(o, "code", &code);
        json_object_object_get_ex(o, "message", &msg);
        json_object_object_get_ex(o, "details", &details);
    }
    const char *c = code                     ? json_object_get_string(code)
                    : st == RATCHET_NOTFOUND ? "NOT_FOUND"
                                             : "INTERNAL_ERROR";
    const char *m = msg                   ? json_object_get_string(msg)
                    : st == RATCHET_NOMEM ? "out of memory"
                                          : "the engine failed without a message";
    int status = rest_status_of_code(c);
    if (status >= 500)
        r->http->log(req, RATCHET_LOG_ERROR, "%s %s: %s: %s", r->http->method(req),
                     r->http->path(req), c, m);
    if (details) {
        ratchet_buf b = RATCHET_BUF_INIT;
        if (rest_error_envelope(&b, status, c, m, rest_json_text(details)) == RATCHET_OK)
            r->http->respond(req, status, "application/json", b.data, b.len);
        else
            rest_send_nomem(r, req);
        rest_host->buf_free(&b);
    } else {
        r->http->respond_error(req, status, c, "%s", m);
    }
    json_object_put(o);
}

int64_t rest_parse_id(const char *s)
{
    if (!s || !isdigit((unsigned char)*s))
        return 0;
    errno = 0;
    char *end = NULL;
    long long v = strtoll(s, &end, 10);
    if (errno || *end || v <= 0)
        return 0;
    return (int64_t)v;
}

int64_t rest_id_param(const rest *r, ratchet_http_request *req, const char *noun)
{
    const char *s = r->http->param(req, "id");
    int64_t id = rest_parse_id(s);
    if (id == 0)
        r->http->respond_error(req, 404, "NOT_FOUND", "%s '%s' not found", noun, s ? s : "");
    return id;
}

/* application/json, with or without parameters ("; charset=utf-8"), any case. */
static int is_json_type(const char *ct)
{
    size_t n = strlen("application/json");
    if (strncasecmp(ct, "application/json", n) != 0)
        return 0;
    return ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ';
}

static const char *type_name(json_type t)
{
    switch (t) {
    case json_type_null:
        return "null";
    case json_type_boolean:
        return "a boolean";
    case json_type_double:
        return "a number";
    case json_type_int:
        return "an integer";
    case json_type_object:
        return "an object";
    case json_type_array:
        return "an array";
    default:
        return "a string";
    }
}

static unsigned type_bit(json_type t)
{
    switch (t) {
    case json_type_null:
        return REST_T_NULL;
    case json_type_boolean:
        return REST_T_BOOL;
    case json_type_double:
        return REST_T_NUMBER;
    case json_type_int:
        return REST_T_INT | REST_T_NUMBER;
    case json_type_object:
        return REST_T_OBJECT;
    case json_type_array:
        return REST_T_ARRAY;
    default:
        return REST_T_STRING;
    }
}

/* "a string or null" for a mask. */
static void expected_text(unsigned types, char *out, size_t cap)
{
    static const struct {
        unsigned bit;
        const char *name;
    } names[] = {{REST_T_STRING, "a string"},  {REST_T_INT, "an integer"},
                 {REST_T_NUMBER, "a number"},  {REST_T_BOOL, "a boolean"},
                 {REST_T_OBJECT, "an object"}, {REST_T_ARRAY, "an array"},
                 {REST_T_NULL, "null"}};
    out[0] = '\0';
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (!(types & names[i].bit) || (names[i].bit == REST_T_NUMBER && (types & REST_T_INT)))
            continue;
        size_t len = strlen(out);
        snprintf(out + len, cap - len, "%s%s", len ? " or " : "", names[i].name);
    }
}

/* Whether `s` is one of the '|'-separated `choices`, any case. */
static int is_choice(const char *s, const char *choices)
{
    size_t n = strlen(s);
    for (const char *c = choices; *c;) {
        const char *bar = strchr(c, '|');
        size_t len = bar ? (size_t)(bar - c) : strlen(c);
        if (len == n && strncasecmp(c, s, n) == 0)
            return 1;
        c += len + (bar ? 1 : 0);
    }
    return 0;
}

/* Check every key of `body` against `fields`; answer 400 naming the first wrong one. */
static int check_fields(const rest *r, ratchet_http_request *req, const rest_field *fields,
                        struct json_object *body)
{
    json_object_object_foreach(body, key, val)
    {
        const rest_field *f = fields;
        while (f->name && strcmp(f->name, key) != 0)
            f++;
        if (!f->name) {
            ratchet_buf allowed = RATCHET_BUF_INIT;
            for (const rest_field *a = fields; a->name; a++)
                rest_host->buf_printf(&allowed, "%s%s", a == fields ? "" : ", ", a->name);
            r->http->respond_error(req, 400, "VALIDATION_ERROR", "unknown field '%s' (allowed: %s)",
                                   key, allowed.data ? allowed.data : "none");
            rest_host->buf_free(&allowed);
            return 0;
        }
        json_type t = json_object_get_type(val);
        if (!(type_bit(t) & f->types)) {
            char want[128];
            expected_text(f->types, want, sizeof want);
            r->http->respond_error(req, 400, "VALIDATION_ERROR", "field '%s' must be %s, not %s",
                                   key, want, type_name(t));
            return 0;
        }
        if (f->choices && t == json_type_string &&
            !is_choice(json_object_get_string(val), f->choices)) {
            r->http->respond_error(req, 400, "VALIDATION_ERROR",
                                   "field '%s' must be one of %s, not '%s'", key, f->choices,
                                   json_object_get_string(val));
            return 0;
        }
    }
    return 1;
}

/* Parse `text` as one JSON value: the host's checker decides what is JSON (strict, bounded
 * nesting) and says where it is not; json-c then builds the tree. */
static int parse_body(const rest *r, ratchet_http_request *req, const char *text, size_t len,
                      struct json_object **out)
{
    ratchet_buf why = RATCHET_BUF_INIT;
    if (rest_host->json_check(text, len, &why) != RATCHET_OK) {
        r->http->respond_error(req, 400, "BAD_REQUEST", "malformed JSON body: %s",
                               why.data ? why.data : "not JSON");
        rest_host->buf_free(&why);
        return 0;
    }
    rest_host->buf_free(&why);
    struct json_tokener *tok = json_tokener_new_ex(REST_JSON_DEPTH);
    *out = tok ? json_tokener_parse_ex(tok, text, (int)len) : NULL;
    if (tok)
        json_tokener_free(tok);
    if (!*out) {
        rest_send_nomem(r, req);
        return 0;
    }
    return 1;
}

int rest_read_body(const rest *r, ratchet_http_request *req, const rest_field *fields, int required,
                   struct json_object **out)
{
    size_t len = 0;
    const char *text = r->http->body(req, &len);
    const char *ct = r->http->header(req, "Content-Type");
    *out = NULL;
    if (text && len > 0 && ct && !is_json_type(ct)) {
        r->http->respond_error(req, 415, "UNSUPPORTED_MEDIA_TYPE",
                               "the body must be application/json, not %s", ct);
        return 0;
    }
    if (len > (size_t)INT32_MAX) { /* json-c counts in int; the listener's limit is lower */
        r->http->respond_error(req, 413, "PAYLOAD_TOO_LARGE", "the body is too large");
        return 0;
    }
    if (!text || len == 0) {
        if (required) {
            r->http->respond_error(req, 400, "BAD_REQUEST",
                                   "a JSON object is required as the request body");
            return 0;
        }
        *out = json_object_new_object();
        if (!*out)
            rest_send_nomem(r, req);
        return *out != NULL;
    }
    if (!parse_body(r, req, text, len, out))
        return 0;
    if (!json_object_is_type(*out, json_type_object)) {
        r->http->respond_error(req, 400, "VALIDATION_ERROR",
                               "the body must be a JSON object, not %s",
                               type_name(json_object_get_type(*out)));
    } else if (!fields || check_fields(r, req, fields, *out)) {
        return 1;
    }
    json_object_put(*out);
    *out = NULL;
    return 0;
}
