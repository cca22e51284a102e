/* host/engine/api_error.c - the API's error objects and request helpers (see api_int.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "api_int.h"
#include "core/core_layer.h"

/* Cut out back to what it held when the call started. */
static void rewind_to(ratchet_buf *out, size_t mark)
{
    if (out->data && out->len > mark) {
        out->len = mark;
        out->data[mark] = '\0';
    }
}

static ratchet_status fail_v(ratchet_buf *out, size_t mark, const char *code,
                             struct json_object *details, const char *fmt, va_list ap)
{
    ratchet_buf msg = RATCHET_BUF_INIT;
    rt_buf_vprintf(&msg, fmt, ap);
    struct json_object *o = json_object_new_object();
    json_object_object_add(o, "code", json_object_new_string(code));
    json_object_object_add(o, "message", json_object_new_string(msg.data ? msg.data : ""));
    if (details)
        json_object_object_add(o, "details", details);
    rewind_to(out, mark);
    rt_api_put(out, o);
    json_object_put(o);
    rt_buf_free(&msg);
    return strcmp(code, "NOT_FOUND") == 0 ? RATCHET_NOTFOUND : RATCHET_ERR;
}

ratchet_status rt_api_fail(ratchet_buf *out, size_t mark, const char *code,
                           struct json_object *details, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ratchet_status rc = fail_v(out, mark, code, details, fmt, ap);
    va_end(ap);
    return rc;
}

ratchet_status rt_api_storage_fail(ratchet_buf *out, size_t mark, ratchet_status rc,
                                   const char *what)
{
    char why[1024];
    snprintf(why, sizeof why, "%s", rt_error_peek());
    rt_error_clear();
    if (rc == RATCHET_NOTFOUND)
        return rt_api_fail(out, mark, "NOT_FOUND", NULL, "%s not found", what);
    if (rc == RATCHET_RETRY)
        return rt_api_fail(out, mark, "SERVICE_UNAVAILABLE", NULL,
                           "%s: the database is busy; try again", what);
    if (rc == RATCHET_NOMEM)
        return rt_api_fail(out, mark, "INTERNAL_ERROR", NULL, "%s: out of memory", what);
    return rt_api_fail(out, mark, "DATABASE_ERROR", NULL, "%s: %s", what,
                       *why ? why : "storage error");
}

ratchet_status rt_api_unsupported(ratchet_buf *out, size_t mark, const char *what)
{
    return rt_api_fail(out, mark, "INTERNAL_ERROR", NULL,
                       "%s is not supported by this storage plugin", what);
}

void rt_api_detail(struct json_object *details, const char *pointer, const char *message)
{
    struct json_object *d = json_object_new_object();
    json_object_object_add(d, "pointer", json_object_new_string(pointer ? pointer : ""));
    json_object_object_add(d, "message", json_object_new_string(message ? message : ""));
    json_object_array_add(details, d);
}

struct json_object *rt_api_parse_object(const char *json, const char *what, ratchet_buf *out,
                                        size_t mark)
{
    if (!json || !*json) {
        rt_api_fail(out, mark, "BAD_REQUEST", NULL, "%s: a JSON object is required", what);
        return NULL;
    }
    ratchet_buf why = RATCHET_BUF_INIT;
    struct json_object *o = NULL;
    if (rt_json_check(json, strlen(json), &why) != RATCHET_OK)
        rt_api_fail(out, mark, "BAD_REQUEST", NULL, "%s: not valid JSON: %s", what,
                    why.data ? why.data : "");
    else if (!json_object_is_type(o = json_tokener_parse(json), json_type_object))
        rt_api_fail(out, mark, "VALIDATION_ERROR", NULL, "%s: expected a JSON object", what);
    else {
        rt_buf_free(&why);
        return o;
    }
    json_object_put(o);
    rt_buf_free(&why);
    return NULL;
}

struct json_object *rt_api_member(struct json_object *o, const char *key)
{
    struct json_object *v = NULL;
    return o && json_object_object_get_ex(o, key, &v) ? v : NULL;
}

struct json_object *rt_api_member_copy(struct json_object *o, const char *key)
{
    struct json_object *v = rt_api_member(o, key), *copy = NULL;
    if (v && json_object_deep_copy(v, &copy, NULL) != 0)
        return NULL;
    return copy;
}

const char *rt_api_str(struct json_object *o, const char *key)
{
    struct json_object *v = rt_api_member(o, key);
    return v ? json_object_get_string(v) : NULL;
}

ratchet_status rt_api_put(ratchet_buf *out, struct json_object *v)
{
    return rt_buf_puts(out, json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN |
                                                                  JSON_C_TO_STRING_NOSLASHESCAPE));
}
