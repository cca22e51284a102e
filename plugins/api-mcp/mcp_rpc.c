/*
 * plugins/api-mcp/mcp_rpc.c - JSON-RPC 2.0 messages: parsing with bounds (size, depth) and
 * building responses, errors and notifications on a transport's channel (mcp_out).
 *
 * Every function here may be called from any thread; json-c objects are not shared between
 * threads while being built.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "mcp.h"

struct json_object *mcp_parse(const char *text, size_t len, int *code, char *why, size_t cap)
{
    if (len > MCP_MAX_MESSAGE) {
        *code = MCP_INVALID_REQUEST;
        snprintf(why, cap, "message of %zu bytes is over the limit of %zu bytes", len,
                 MCP_MAX_MESSAGE);
        return NULL;
    }
    struct json_tokener *tok = json_tokener_new_ex(MCP_MAX_DEPTH);
    if (!tok) {
        *code = MCP_INTERNAL_ERROR;
        snprintf(why, cap, "out of memory");
        return NULL;
    }
    struct json_object *o = json_tokener_parse_ex(tok, text, (int)len);
    enum json_tokener_error err = json_tokener_get_error(tok);
    size_t used = json_tokener_get_parse_end(tok);
    int trailing = 0;
    for (size_t i = used; o && err == json_tokener_success && i < len; i++)
        trailing |= !strchr(" \t\r\n", text[i]);
    if (!o || err != json_tokener_success || trailing) {
        *code = MCP_PARSE_ERROR;
        snprintf(why, cap, "parse error at byte %zu: %s", used,
                 trailing                       ? "text after the JSON value"
                 : err == json_tokener_continue ? "unexpected end of input"
                                                : json_tokener_error_desc(err));
        json_object_put(o);
        o = NULL;
    }
    json_tokener_free(tok);
    return o;
}

const char *mcp_text(struct json_object *o, size_t *len)
{
    return json_object_to_json_string_length(
        o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, len);
}

static void send_message(mcp_out *out, struct json_object *msg, int final)
{
    size_t len = 0;
    const char *text = mcp_text(msg, &len);
    if (text)
        out->send(out, text, len, final);
    json_object_put(msg);
}

static struct json_object *envelope(struct json_object *id)
{
    struct json_object *msg = json_object_new_object();
    json_object_object_add(msg, "jsonrpc", json_object_new_string("2.0"));
    json_object_object_add(msg, "id", json_object_get(id));
    return msg;
}

void mcp_send_result(mcp_out *out, struct json_object *id, struct json_object *result)
{
    struct json_object *msg = envelope(id);
    json_object_object_add(msg, "result", result ? result : json_object_new_object());
    send_message(out, msg, 1);
}

void mcp_send_error(mcp_out *out, struct json_object *id, int code, struct json_object *data,
                    const char *fmt, ...)
{
    char text[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    struct json_object *msg = envelope(id), *err = json_object_new_object();
    json_object_object_add(err, "code", json_object_new_int(code));
    json_object_object_add(err, "message", json_object_new_string(text));
    if (data)
        json_object_object_add(err, "data", data);
    json_object_object_add(msg, "error", err);
    send_message(out, msg, 1);
}

void mcp_send_notification(mcp_out *out, const char *method, struct json_object *params)
{
    if (!out->notify) {
        json_object_put(params);
        return;
    }
    struct json_object *msg = json_object_new_object();
    json_object_object_add(msg, "jsonrpc", json_object_new_string("2.0"));
    json_object_object_add(msg, "method", json_object_new_string(method));
    if (params)
        json_object_object_add(msg, "params", params);
    send_message(out, msg, 0);
}

const char *mcp_get_string(struct json_object *o, const char *key)
{
    struct json_object *v = NULL;
    if (!o || !json_object_is_type(o, json_type_object) || !json_object_object_get_ex(o, key, &v) ||
        !json_object_is_type(v, json_type_string))
        return NULL;
    return json_object_get_string(v);
}

struct json_object *mcp_get_object(struct json_object *o, const char *key)
{
    struct json_object *v = NULL;
    if (!o || !json_object_is_type(o, json_type_object) || !json_object_object_get_ex(o, key, &v) ||
        !json_object_is_type(v, json_type_object))
        return NULL;
    return v;
}

size_t mcp_array_len(struct json_object *o)
{
    return json_object_is_type(o, json_type_array) ? json_object_array_length(o) : 0;
}

struct json_object *mcp_from_text(const char *text)
{
    if (!text)
        return NULL;
    struct json_tokener *tok = json_tokener_new_ex(MCP_MAX_DEPTH * 4);
    if (!tok)
        return NULL;
    struct json_object *o = json_tokener_parse_ex(tok, text, (int)strlen(text));
    if (json_tokener_get_error(tok) != json_tokener_success) {
        json_object_put(o);
        o = NULL;
    }
    json_tokener_free(tok);
    return o;
}
