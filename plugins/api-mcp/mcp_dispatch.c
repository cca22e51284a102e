/*
 * plugins/api-mcp/mcp_dispatch.c - one JSON-RPC message in, its answer out: envelope checks,
 * the era of the request (legacy: after initialize; stateless 2026-07-28: _meta names the
 * version), and the method table.
 *
 * Called on the transport's thread (the stdio reader, an http pool thread). Everything but
 * tools/call answers before returning; tools/call runs on a thread of its own (mcp_call.c).
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <string.h>

#include "mcp.h"

/* A method's handler: the result (owned by the caller), or NULL with *code and `why`. */
typedef struct json_object *(*method_fn)(mcp *m, mcp_session *s, struct json_object *params,
                                         int *code, char *why, size_t cap);

enum { NEEDS_INIT = 1 };

typedef struct rpc_method {
    const char *name;
    int flags;
    method_fn fn;
} rpc_method;

static const char *const log_levels[] = {"debug",    "info",  "notice",    "warning", "error",
                                         "critical", "alert", "emergency", NULL};

static struct json_object *capabilities(void)
{
    struct json_object *caps = json_object_new_object(), *tools = json_object_new_object();
    json_object_object_add(tools, "listChanged", json_object_new_boolean(0));
    json_object_object_add(caps, "tools", tools);
    json_object_object_add(caps, "resources", json_object_new_object());
    json_object_object_add(caps, "logging", json_object_new_object());
    return caps;
}

static struct json_object *server_info(void)
{
    struct json_object *info = json_object_new_object();
    json_object_object_add(info, "name", json_object_new_string(MCP_SERVER_NAME));
    json_object_object_add(info, "title", json_object_new_string("Ratchet task runner"));
    json_object_object_add(info, "version", json_object_new_string(MCP_SERVER_VERSION));
    return info;
}

static const char instructions[] =
    "Ratchet runs JavaScript tasks. List them with ratchet_list_available_tasks, run one with "
    "ratchet_execute_task (or its task_<name> tool), and inspect executions with "
    "ratchet_get_execution_status, _logs, _trace and ratchet_analyze_execution_error.";

static struct json_object *m_initialize(mcp *m, mcp_session *s, struct json_object *params,
                                        int *code, char *why, size_t cap)
{
    const char *asked = mcp_get_string(params, "protocolVersion");
    if (!asked) {
        *code = MCP_INVALID_PARAMS;
        snprintf(why, cap, "initialize needs params.protocolVersion (a string such as \"%s\")",
                 mcp_versions[0]);
        return NULL;
    }
    const char *chosen = mcp_version_known(asked) ? asked : mcp_versions[0];
    pthread_mutex_lock(&m->lock);
    snprintf(s->version, sizeof s->version, "%s", chosen);
    s->initialized = 1;
    pthread_mutex_unlock(&m->lock);
    struct json_object *r = json_object_new_object();
    json_object_object_add(r, "protocolVersion", json_object_new_string(chosen));
    json_object_object_add(r, "capabilities", capabilities());
    json_object_object_add(r, "serverInfo", server_info());
    json_object_object_add(r, "instructions", json_object_new_string(instructions));
    return r;
}

static struct json_object *m_discover(mcp *m, mcp_session *s, struct json_object *params, int *code,
                                      char *why, size_t cap)
{
    (void)m, (void)s, (void)params, (void)code, (void)why, (void)cap;
    struct json_object *r = json_object_new_object(), *v = json_object_new_array();
    json_object_array_add(v, json_object_new_string(MCP_STATELESS));
    for (size_t i = 0; mcp_versions[i]; i++)
        json_object_array_add(v, json_object_new_string(mcp_versions[i]));
    json_object_object_add(r, "supportedVersions", v);
    json_object_object_add(r, "capabilities", capabilities());
    json_object_object_add(r, "serverInfo", server_info());
    json_object_object_add(r, "instructions", json_object_new_string(instructions));
    return r;
}

static struct json_object *m_ping(mcp *m, mcp_session *s, struct json_object *params, int *code,
                                  char *why, size_t cap)
{
    (void)m, (void)s, (void)params, (void)code, (void)why, (void)cap;
    return json_object_new_object();
}

static struct json_object *m_set_level(mcp *m, mcp_session *s, struct json_object *params,
                                       int *code, char *why, size_t cap)
{
    const char *level = mcp_get_string(params, "level");
    for (int i = 0; level && log_levels[i]; i++) {
        if (strcmp(level, log_levels[i]) == 0) {
            pthread_mutex_lock(&m->lock);
            s->log_level = i;
            pthread_mutex_unlock(&m->lock);
            return json_object_new_object();
        }
    }
    *code = MCP_INVALID_PARAMS;
    snprintf(why, cap,
             "params.level must be one of debug, info, notice, warning, error, "
             "critical, alert, emergency");
    return NULL;
}

static const char *cursor_of(struct json_object *params, int *bad)
{
    struct json_object *v = NULL;
    *bad = params && json_object_object_get_ex(params, "cursor", &v) && v &&
           !json_object_is_type(v, json_type_string);
    return v && !*bad ? json_object_get_string(v) : NULL;
}

static struct json_object *m_tools_list(mcp *m, mcp_session *s, struct json_object *params,
                                        int *code, char *why, size_t cap)
{
    (void)s;
    int bad = 0;
    const char *cursor = cursor_of(params, &bad);
    struct json_object *r = bad ? NULL : mcp_tools_list(m, cursor, why, cap);
    if (bad)
        snprintf(why, cap, "params.cursor must be a string");
    if (!r)
        *code = MCP_INVALID_PARAMS;
    return r;
}

static struct json_object *m_resources_list(mcp *m, mcp_session *s, struct json_object *params,
                                            int *code, char *why, size_t cap)
{
    (void)s;
    int bad = 0;
    const char *cursor = cursor_of(params, &bad);
    struct json_object *r = bad ? NULL : mcp_resources_list(m, cursor, why, cap);
    if (bad)
        snprintf(why, cap, "params.cursor must be a string");
    if (!r)
        *code = MCP_INVALID_PARAMS;
    return r;
}

static struct json_object *m_resources_read(mcp *m, mcp_session *s, struct json_object *params,
                                            int *code, char *why, size_t cap)
{
    (void)s;
    const char *uri = mcp_get_string(params, "uri");
    if (!uri) {
        *code = MCP_INVALID_PARAMS;
        snprintf(why, cap, "resources/read needs params.uri (a string)");
        return NULL;
    }
    return mcp_resources_read(m, uri, code, why, cap);
}

static struct json_object *m_templates(mcp *m, mcp_session *s, struct json_object *params,
                                       int *code, char *why, size_t cap)
{
    (void)m, (void)s, (void)params, (void)code, (void)why, (void)cap;
    return mcp_from_text("{\"resourceTemplates\":[{\"uriTemplate\":\"ratchet://tasks/{name}/"
                         "{file}\",\"name\":\"task-file\",\"title\":\"A task's file\","
                         "\"description\":\"main.js, input.schema.json, output.schema.json or "
                         "metadata.json of a task\"}]}");
}

static const rpc_method methods[] = {
    {"initialize", 0, m_initialize},
    {"server/discover", 0, m_discover},
    {"ping", 0, m_ping},
    {"logging/setLevel", NEEDS_INIT, m_set_level},
    {"tools/list", NEEDS_INIT, m_tools_list},
    {"tools/call", NEEDS_INIT, NULL}, /* mcp_call.c */
    {"resources/list", NEEDS_INIT, m_resources_list},
    {"resources/read", NEEDS_INIT, m_resources_read},
    {"resources/templates/list", NEEDS_INIT, m_templates},
};

const char *mcp_meta_version(struct json_object *msg)
{
    return mcp_get_string(mcp_get_object(mcp_get_object(msg, "params"), "_meta"), MCP_META_VERSION);
}

int mcp_is_tools_call(struct json_object *msg)
{
    struct json_object *id = NULL;
    const char *method = mcp_get_string(msg, "method");
    return method && strcmp(method, "tools/call") == 0 && json_object_object_get_ex(msg, "id", &id);
}

static void notification(mcp *m, mcp_session *s, const char *name, struct json_object *params)
{
    if (strcmp(name, "notifications/cancelled") == 0) {
        struct json_object *rid = NULL;
        if (params)
            json_object_object_get_ex(params, "requestId", &rid);
        if (!mcp_session_cancel(m, s, rid))
            mcp_host->log(m->ctx, RATCHET_LOG_DEBUG, "cancel of a request not in flight");
    }
    /* notifications/initialized and the others need nothing. */
}

/* The envelope's checks: the method name of a request or notification (*is_request tells
 * which), or NULL: then *answered says whether an error was sent (else it was a response). */
static const char *check_envelope(struct json_object *msg, mcp_out *out, int *is_request,
                                  int *answered)
{
    struct json_object *id = NULL, *v = NULL;
    *answered = 1;
    if (json_object_is_type(msg, json_type_array)) {
        mcp_send_error(out, NULL, MCP_INVALID_REQUEST, NULL,
                       "JSON-RPC batches are not supported (batching was removed in protocol "
                       "2025-06-18): send one message at a time");
        return NULL;
    }
    int has_id =
        json_object_is_type(msg, json_type_object) && json_object_object_get_ex(msg, "id", &id);
    int id_ok = has_id && (json_object_is_type(id, json_type_string) ||
                           json_object_is_type(id, json_type_int));
    const char *version = mcp_get_string(msg, "jsonrpc");
    const char *method = mcp_get_string(msg, "method");
    if (method && version && strcmp(version, "2.0") == 0 && (!has_id || id_ok)) {
        *is_request = has_id;
        return method;
    }
    if (version && !json_object_object_get_ex(msg, "method", &v) && has_id &&
        (json_object_object_get_ex(msg, "result", &v) ||
         json_object_object_get_ex(msg, "error", &v))) {
        *answered = 0;
        return NULL; /* a response to a request of ours: we send none, ignore it */
    }
    mcp_send_error(out, id_ok ? id : NULL, MCP_INVALID_REQUEST, NULL, "%s",
                   !json_object_is_type(msg, json_type_object) ? "a message must be a JSON object"
                   : !version || strcmp(version, "2.0") != 0   ? "jsonrpc must be \"2.0\""
                   : has_id && !id_ok                          ? "id must be a string or an integer"
                                                               : "method must be a string");
    return NULL;
}

/* Add resultType for the stateless revision. */
static struct json_object *mark_complete(struct json_object *r, int stateless)
{
    if (stateless && r && json_object_is_type(r, json_type_object))
        json_object_object_add(r, "resultType", json_object_new_string("complete"));
    return r;
}

static mcp_disposition unsupported_version(mcp_out *out, struct json_object *id, const char *v)
{
    struct json_object *data = json_object_new_object(), *list = json_object_new_array();
    json_object_array_add(list, json_object_new_string(MCP_STATELESS));
    for (size_t i = 0; mcp_versions[i]; i++)
        json_object_array_add(list, json_object_new_string(mcp_versions[i]));
    json_object_object_add(data, "supported", list);
    json_object_object_add(data, "requested", json_object_new_string(v));
    mcp_send_error(out, id, MCP_UNSUPPORTED_VERSION, data, "unsupported protocol version \"%s\"",
                   v);
    return MCP_DONE_ANSWERED;
}

mcp_disposition mcp_dispatch(mcp *m, mcp_session *s, struct json_object *msg, mcp_out *out,
                             const mcp_caller *caller)
{
    int is_request = 0, answered = 0;
    const char *name = check_envelope(msg, out, &is_request, &answered);
    if (!name)
        return answered ? MCP_DONE_ANSWERED : MCP_DONE_NONE;
    struct json_object *id = NULL, *params = NULL;
    json_object_object_get_ex(msg, "id", &id);
    json_object_object_get_ex(msg, "params", &params);
    if (!is_request) {
        notification(m, s, name, params);
        return MCP_DONE_NONE;
    }
    if (params && !json_object_is_type(params, json_type_object)) {
        mcp_send_error(out, id, MCP_INVALID_PARAMS, NULL, "params must be an object");
        return MCP_DONE_ANSWERED;
    }
    const char *meta = mcp_meta_version(msg);
    int stateless = meta && strcmp(meta, MCP_STATELESS) == 0;
    if (meta && !stateless && !mcp_version_known(meta))
        return unsupported_version(out, id, meta);
    const rpc_method *mt = NULL;
    for (size_t i = 0; i < sizeof methods / sizeof *methods && !mt; i++)
        if (strcmp(methods[i].name, name) == 0)
            mt = &methods[i];
    if (!mt) {
        mcp_send_error(out, id, MCP_METHOD_NOT_FOUND, NULL, "method not found: %s", name);
        return MCP_DONE_ANSWERED;
    }
    pthread_mutex_lock(&m->lock);
    int ready = s->initialized || stateless || !(mt->flags & NEEDS_INIT);
    pthread_mutex_unlock(&m->lock);
    if (!ready) {
        mcp_send_error(out, id, MCP_NOT_INITIALIZED, NULL,
                       "not initialized: send initialize first (or name protocol version %s in "
                       "params._meta[\"%s\"])",
                       MCP_STATELESS, MCP_META_VERSION);
        return MCP_DONE_ANSWERED;
    }
    if (!mt->fn)
        return mcp_call_start(m, s, msg, out, caller);
    int code = MCP_INTERNAL_ERROR;
    char why[512] = "out of memory";
    struct json_object *r = mark_complete(mt->fn(m, s, params, &code, why, sizeof why), stateless);
    if (r)
        mcp_send_result(out, id, r);
    else
        mcp_send_error(out, id, code, NULL, "%s", why);
    return MCP_DONE_ANSWERED;
}

mcp_disposition mcp_dispatch_text(mcp *m, mcp_session *s, const char *text, size_t len,
                                  mcp_out *out, const mcp_caller *caller)
{
    int code = 0;
    char why[256];
    struct json_object *msg = mcp_parse(text, len, &code, why, sizeof why);
    if (!msg) {
        mcp_send_error(out, NULL, code, NULL, "%s", why);
        return MCP_DONE_ANSWERED;
    }
    mcp_disposition d = mcp_dispatch(m, s, msg, out, caller);
    json_object_put(msg);
    return d;
}
