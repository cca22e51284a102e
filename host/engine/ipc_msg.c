/* host/engine/ipc_msg.c - encoding and decoding of the worker protocol's messages (see ipc.h).
 *
 * Encoding writes the line directly rather than building a json-c envelope: the only json-c
 * serialisation is of the embedded values, whose text is appended as is, so a message costs
 * one pass over its bytes. Decoding parses the line once; the message's strings and values
 * point into that tree instead of being copied out. */
#include "ipc.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/core_layer.h"

static const char *const type_names[] = {
    "unknown", "ready",        "ping",     "pong",  "execute", "result",
    "fetch",   "fetch_result", "shutdown", "error", "log",
};

static const char *const outcome_names[] = {
    "ok",           "compile_error", "no_entry", "runtime_error",
    "output_error", "memory",        "timeout",  "stack",
};

#define N_TYPES    (sizeof type_names / sizeof *type_names)
#define N_OUTCOMES (sizeof outcome_names / sizeof *outcome_names)

const char *rt_ipc_type_name(rt_ipc_type type)
{
    return (unsigned)type < N_TYPES ? type_names[type] : "unknown";
}

int rt_ipc_sent_by_worker(rt_ipc_type type)
{
    return type == RT_IPC_READY || type == RT_IPC_PONG || type == RT_IPC_RESULT ||
           type == RT_IPC_FETCH || type == RT_IPC_ERROR || type == RT_IPC_LOG;
}

const char *rt_ipc_outcome_name(ratchet_exec_outcome outcome)
{
    return (unsigned)outcome < N_OUTCOMES ? outcome_names[outcome] : NULL;
}

/* ---- encoding ------------------------------------------------------------------------------ */

/* The output buffer and the first failure; appends after a failure do nothing, so an encoder
 * can write a whole message and check once. */
typedef struct enc {
    ratchet_buf *out;
    ratchet_status rc;
} enc;

static void put(enc *e, const char *s, size_t n)
{
    if (e->rc == RATCHET_OK)
        e->rc = rt_buf_append(e->out, s, n);
}

#define PUT_LIT(e, lit) put((e), (lit), sizeof(lit) - 1)

static void put_str(enc *e, const char *s)
{
    if (e->rc == RATCHET_OK)
        e->rc = rt_buf_json_string(e->out, s);
}

static void put_i64(enc *e, int64_t v)
{
    char tmp[24];
    char *p = tmp + sizeof tmp;
    /* Negate through unsigned so that INT64_MIN has a magnitude. */
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--p = '-';
    put(e, p, (size_t)(tmp + sizeof tmp - p));
}

static void put_double(enc *e, double v)
{
    char tmp[40];
    /* Durations: microsecond precision is plenty, and NaN/Infinity are not JSON. A peer may
     * send any finite number (1e308 decodes), and "%.3f" of that is 300 digits: beyond 1e15
     * the shortest exact form is written instead. */
    if (!isfinite(v))
        v = 0.0;
    int n = snprintf(tmp, sizeof tmp, fabs(v) < 1e15 ? "%.3f" : "%.17g", v);
    if (n > 0 && (size_t)n < sizeof tmp)
        put(e, tmp, (size_t)n);
    else if (e->rc == RATCHET_OK)
        e->rc = RATCHET_ERR;
}

static void put_json(enc *e, const rt_ipc_json *v, const char *empty)
{
    if (e->rc != RATCHET_OK)
        return;
    if (v->text) {
        size_t at = e->out->len;
        put(e, v->text, v->len);
        if (e->rc != RATCHET_OK)
            return;
        /* Outside strings a newline is whitespace, and inside one it would be invalid JSON
         * anyway: a space keeps the value and the framing. */
        for (char *p = e->out->data + at; (p = memchr(p, '\n', e->out->len - at)) != NULL;) {
            *p = ' ';
            at = (size_t)(p - e->out->data) + 1;
            p++;
        }
        return;
    }
    if (!v->obj) {
        put(e, empty, strlen(empty));
        return;
    }
    size_t n = 0;
    const char *text = json_object_to_json_string_length(
        v->obj, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &n);
    if (!text)
        e->rc = RATCHET_NOMEM;
    else
        put(e, text, n);
}

static void put_js_error(enc *e, const rt_ipc_js_error *x)
{
    PUT_LIT(e, "{\"name\":");
    put_str(e, x->name);
    PUT_LIT(e, ",\"message\":");
    put_str(e, x->message);
    PUT_LIT(e, ",\"stack\":");
    put_str(e, x->stack);
    PUT_LIT(e, ",\"status\":");
    put_i64(e, x->status);
    PUT_LIT(e, "}");
}

static ratchet_status missing(rt_error *err, const rt_ipc_msg *m, const char *field)
{
    return rt_fail(err, "cannot encode %s message: field \"%s\" is required",
                   rt_ipc_type_name(m->type), field);
}

static ratchet_status negative(rt_error *err, const rt_ipc_msg *m, const char *field)
{
    return rt_fail(err, "cannot encode %s message: field \"%s\" must not be negative",
                   rt_ipc_type_name(m->type), field);
}

static int json_empty(const rt_ipc_json *v)
{
    return v->text && v->len == 0;
}

/* Required fields and ranges, checked before anything is written so that the encoder and the
 * decoder agree on what a valid message is. */
static ratchet_status check(const rt_ipc_msg *m, rt_error *err)
{
    switch (m->type) {
    case RT_IPC_READY:
        if (!m->ready.worker_id)
            return missing(err, m, "worker_id");
        break;
    case RT_IPC_PONG:
        if (m->pong.executed < 0 || m->pong.uptime_ms < 0 || m->pong.rss_kb < 0)
            return negative(err, m, "stats");
        break;
    case RT_IPC_EXECUTE: {
        const rt_ipc_execute *x = &m->execute;
        if (!x->task.name)
            return missing(err, m, "task.name");
        if (!x->task.version)
            return missing(err, m, "task.version");
        if (!x->task.dir && !x->task.code)
            return missing(err, m, "task.dir\" or \"task.code");
        if (x->timeout_ms < 0)
            return negative(err, m, "timeout_ms");
        if (x->memory_bytes < 0)
            return negative(err, m, "memory_bytes");
        if (json_empty(&x->input))
            return missing(err, m, "input");
        break;
    }
    case RT_IPC_RESULT: {
        const rt_ipc_result *x = &m->result;
        if (!rt_ipc_outcome_name(x->outcome))
            return rt_fail(err,
                           "cannot encode result message: outcome %d is not one of ok, "
                           "compile_error, ... stack",
                           (int)x->outcome);
        if (x->outcome != RATCHET_EXEC_OK && !x->error.message)
            return missing(err, m, "error.message");
        if (json_empty(&x->output) || json_empty(&x->logs) || json_empty(&x->http))
            return rt_fail(err, "cannot encode result message: empty JSON text");
        if (!(x->duration_ms >= 0))
            return negative(err, m, "duration_ms");
        break;
    }
    case RT_IPC_FETCH:
        if (!m->fetch.url)
            return missing(err, m, "url");
        if (json_empty(&m->fetch.options) || json_empty(&m->fetch.body))
            return rt_fail(err, "cannot encode fetch message: empty JSON text");
        break;
    case RT_IPC_FETCH_RESULT:
        if (m->fetch_result.is_error && !m->fetch_result.error.message)
            return missing(err, m, "error.message");
        if (!m->fetch_result.is_error && json_empty(&m->fetch_result.response))
            return missing(err, m, "response");
        break;
    case RT_IPC_SHUTDOWN:
        if (m->shutdown.grace_ms < 0)
            return negative(err, m, "grace_ms");
        break;
    case RT_IPC_ERROR:
        if (!m->error.message)
            return missing(err, m, "message");
        break;
    case RT_IPC_LOG:
        if (json_empty(&m->log.logs))
            return rt_fail(err, "cannot encode log message: empty JSON text");
        break;
    case RT_IPC_PING:
        break;
    default:
        return rt_fail(err, "cannot encode a message of unknown type %d", (int)m->type);
    }
    if (m->id_null && m->type != RT_IPC_ERROR)
        return rt_fail(err, "cannot encode %s message: only an error may have a null id",
                       rt_ipc_type_name(m->type));
    return RATCHET_OK;
}

static void put_payload(enc *e, const rt_ipc_msg *m)
{
    switch (m->type) {
    case RT_IPC_READY:
        PUT_LIT(e, ",\"worker_id\":");
        put_str(e, m->ready.worker_id);
        PUT_LIT(e, ",\"pid\":");
        put_i64(e, m->ready.pid);
        break;
    case RT_IPC_PONG:
        PUT_LIT(e, ",\"stats\":{\"executed\":");
        put_i64(e, m->pong.executed);
        PUT_LIT(e, ",\"uptime_ms\":");
        put_i64(e, m->pong.uptime_ms);
        PUT_LIT(e, ",\"rss_kb\":");
        put_i64(e, m->pong.rss_kb);
        PUT_LIT(e, "}");
        break;
    case RT_IPC_EXECUTE: {
        const rt_ipc_execute *x = &m->execute;
        PUT_LIT(e, ",\"job_id\":");
        put_i64(e, x->job_id);
        PUT_LIT(e, ",\"execution_id\":");
        put_str(e, x->execution_id);
        PUT_LIT(e, ",\"task\":{\"name\":");
        put_str(e, x->task.name);
        PUT_LIT(e, ",\"version\":");
        put_str(e, x->task.version);
        PUT_LIT(e, ",\"uuid\":");
        put_str(e, x->task.uuid);
        PUT_LIT(e, ",\"dir\":");
        put_str(e, x->task.dir);
        PUT_LIT(e, ",\"code\":");
        put_str(e, x->task.code);
        PUT_LIT(e, ",\"modules\":");
        put_str(e, x->task.modules);
        PUT_LIT(e, ",\"map\":");
        put_str(e, x->task.map);
        PUT_LIT(e, ",\"file\":");
        put_str(e, x->task.file);
        PUT_LIT(e, "},\"input\":");
        put_json(e, &x->input, "null");
        PUT_LIT(e, ",\"timeout_ms\":");
        put_i64(e, x->timeout_ms);
        PUT_LIT(e, ",\"memory_bytes\":");
        put_i64(e, x->memory_bytes);
        PUT_LIT(e, ",\"trace_id\":");
        put_str(e, x->trace_id);
        PUT_LIT(e, ",\"span_id\":");
        put_str(e, x->span_id);
        break;
    }
    case RT_IPC_RESULT: {
        const rt_ipc_result *x = &m->result;
        PUT_LIT(e, ",\"job_id\":");
        put_i64(e, x->job_id);
        PUT_LIT(e, ",\"outcome\":\"");
        put(e, outcome_names[x->outcome], strlen(outcome_names[x->outcome]));
        PUT_LIT(e, "\"");
        if (x->outcome == RATCHET_EXEC_OK || x->output.obj || x->output.text) {
            PUT_LIT(e, ",\"output\":");
            put_json(e, &x->output, "null");
        }
        if (x->outcome != RATCHET_EXEC_OK) {
            PUT_LIT(e, ",\"error\":");
            put_js_error(e, &x->error);
        }
        PUT_LIT(e, ",\"logs\":");
        put_json(e, &x->logs, "[]");
        PUT_LIT(e, ",\"http\":");
        put_json(e, &x->http, "[]");
        PUT_LIT(e, ",\"duration_ms\":");
        put_double(e, x->duration_ms);
        break;
    }
    case RT_IPC_FETCH:
        PUT_LIT(e, ",\"url\":");
        put_str(e, m->fetch.url);
        PUT_LIT(e, ",\"options\":");
        put_json(e, &m->fetch.options, "null");
        PUT_LIT(e, ",\"body\":");
        put_json(e, &m->fetch.body, "null");
        break;
    case RT_IPC_FETCH_RESULT:
        if (m->fetch_result.is_error) {
            PUT_LIT(e, ",\"error\":");
            put_js_error(e, &m->fetch_result.error);
        } else {
            PUT_LIT(e, ",\"response\":");
            put_json(e, &m->fetch_result.response, "null");
        }
        break;
    case RT_IPC_SHUTDOWN:
        PUT_LIT(e, ",\"grace_ms\":");
        put_i64(e, m->shutdown.grace_ms);
        break;
    case RT_IPC_ERROR:
        PUT_LIT(e, ",\"message\":");
        put_str(e, m->error.message);
        break;
    case RT_IPC_LOG:
        PUT_LIT(e, ",\"job_id\":");
        put_i64(e, m->log.job_id);
        PUT_LIT(e, ",\"logs\":");
        put_json(e, &m->log.logs, "[]");
        break;
    default:
        break;
    }
}

ratchet_status rt_ipc_encode(const rt_ipc_msg *msg, ratchet_buf *out, rt_error *err)
{
    if (!msg || !out)
        return rt_fail(err, "cannot encode: no message or no buffer");
    if (check(msg, err) != RATCHET_OK)
        return RATCHET_ERR;
    size_t start = out->len;
    enc e = {out, RATCHET_OK};
    PUT_LIT(&e, "{\"protocol_version\":1,\"type\":\"");
    put(&e, type_names[msg->type], strlen(type_names[msg->type]));
    PUT_LIT(&e, "\",\"id\":");
    if (msg->id_null)
        PUT_LIT(&e, "null");
    else
        put_i64(&e, msg->id);
    put_payload(&e, msg);
    PUT_LIT(&e, "}");
    /* The framing rests on this: json-c and rt_buf_json_string escape newlines in strings, and
     * put_json blanks them in verbatim text, so finding one here is a bug, not bad input. */
    if (e.rc == RATCHET_OK && memchr(out->data + start, '\n', out->len - start)) {
        out->len = start;
        out->data[start] = '\0';
        return rt_fail(err, "internal error: encoded %s message holds a raw newline",
                       rt_ipc_type_name(msg->type));
    }
    PUT_LIT(&e, "\n");
    if (e.rc != RATCHET_OK) {
        if (out->data) {
            out->len = start;
            out->data[start] = '\0';
        }
        if (e.rc == RATCHET_NOMEM) {
            rt_fail(err, "out of memory encoding a %s message", rt_ipc_type_name(msg->type));
            return RATCHET_NOMEM;
        }
        return rt_fail(err, "cannot encode %s message", rt_ipc_type_name(msg->type));
    }
    return RATCHET_OK;
}

/* ---- decoding ------------------------------------------------------------------------------ */

/* Context for messages: "invalid <type> message: ...". */
typedef struct dec {
    rt_error *err;
    const char *type;
} dec;

static const char *kind_of(struct json_object *v)
{
    switch (json_object_get_type(v)) {
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
    case json_type_string:
        return "a string";
    }
    return "?";
}

static ratchet_status no_field(const dec *d, const char *pre, const char *key)
{
    return rt_fail(d->err, "invalid %s message: missing field \"%s%s%s\"", d->type, pre,
                   *pre ? "." : "", key);
}

static ratchet_status bad_field(const dec *d, const char *pre, const char *key, const char *what,
                                struct json_object *v)
{
    return rt_fail(d->err, "invalid %s message: field \"%s%s%s\" must be %s, not %s", d->type, pre,
                   *pre ? "." : "", key, what, kind_of(v));
}

static ratchet_status range_field(const dec *d, const char *pre, const char *key, const char *what)
{
    return rt_fail(d->err, "invalid %s message: field \"%s%s%s\" must be %s", d->type, pre,
                   *pre ? "." : "", key, what);
}

enum { OPTIONAL = 0, REQUIRED = 1, NULLABLE = 2 };

/* A string member. REQUIRED: must be present; NULLABLE: null gives NULL. Absent gives NULL. */
static ratchet_status get_str(const dec *d, struct json_object *o, const char *pre, const char *key,
                              int flags, const char **out)
{
    struct json_object *v = NULL;
    *out = NULL;
    if (!json_object_object_get_ex(o, key, &v))
        return (flags & REQUIRED) ? no_field(d, pre, key) : RATCHET_OK;
    if (!v && (flags & NULLABLE))
        return RATCHET_OK;
    if (!json_object_is_type(v, json_type_string))
        return bad_field(d, pre, key, (flags & NULLABLE) ? "a string or null" : "a string", v);
    *out = json_object_get_string(v);
    return *out ? RATCHET_OK : bad_field(d, pre, key, "a string", v);
}

/* An integer that fits int64_t; json-c stores 2^63..2^64-1 as uint64, which is refused. */
static ratchet_status int_value(const dec *d, struct json_object *v, const char *pre,
                                const char *key, int64_t min, int64_t *out)
{
    if (!json_object_is_type(v, json_type_int))
        return bad_field(d, pre, key, "an integer", v);
    int64_t n = json_object_get_int64(v);
    if (n == INT64_MAX && json_object_get_uint64(v) != (uint64_t)INT64_MAX)
        return range_field(d, pre, key, "a 64-bit signed integer");
    if (n < min)
        return range_field(d, pre, key, min == 0 ? "zero or more" : "in range");
    *out = n;
    return RATCHET_OK;
}

static ratchet_status get_int(const dec *d, struct json_object *o, const char *pre, const char *key,
                              int64_t min, int64_t *out)
{
    struct json_object *v = NULL;
    if (!json_object_object_get_ex(o, key, &v))
        return no_field(d, pre, key);
    return int_value(d, v, pre, key, min, out);
}

/* A non-negative number (integer or not). */
static ratchet_status get_num(const dec *d, struct json_object *o, const char *pre, const char *key,
                              double *out)
{
    struct json_object *v = NULL;
    if (!json_object_object_get_ex(o, key, &v))
        return no_field(d, pre, key);
    if (!json_object_is_type(v, json_type_int) && !json_object_is_type(v, json_type_double))
        return bad_field(d, pre, key, "a number", v);
    double x = json_object_get_double(v);
    if (!(x >= 0) || !isfinite(x))
        return range_field(d, pre, key, "a finite number, zero or more");
    *out = x;
    return RATCHET_OK;
}

/* Any JSON value; null and (when optional) absence give obj NULL. */
static ratchet_status get_value(const dec *d, struct json_object *o, const char *key, int flags,
                                rt_ipc_json *out)
{
    struct json_object *v = NULL;
    memset(out, 0, sizeof *out);
    if (!json_object_object_get_ex(o, key, &v))
        return (flags & REQUIRED) ? no_field(d, "", key) : RATCHET_OK;
    out->obj = v;
    return RATCHET_OK;
}

static ratchet_status get_typed(const dec *d, struct json_object *o, const char *pre,
                                const char *key, json_type type, struct json_object **out)
{
    if (!json_object_object_get_ex(o, key, out))
        return no_field(d, pre, key);
    if (!json_object_is_type(*out, type))
        return bad_field(d, pre, key, type == json_type_array ? "an array" : "an object", *out);
    return RATCHET_OK;
}

static ratchet_status get_js_error(const dec *d, struct json_object *o, rt_ipc_js_error *x)
{
    struct json_object *e;
    if (get_typed(d, o, "", "error", json_type_object, &e) != RATCHET_OK ||
        get_str(d, e, "error", "name", NULLABLE, &x->name) != RATCHET_OK ||
        get_str(d, e, "error", "message", REQUIRED, &x->message) != RATCHET_OK ||
        get_str(d, e, "error", "stack", NULLABLE, &x->stack) != RATCHET_OK)
        return RATCHET_ERR;
    struct json_object *v = NULL;
    x->status = 0;
    if (json_object_object_get_ex(e, "status", &v) && v)
        return int_value(d, v, "error", "status", 0, &x->status);
    return RATCHET_OK;
}

/* result.logs and result.http: arrays of objects of a known shape (extra keys allowed). */
static ratchet_status check_entries(const dec *d, struct json_object *o, const char *key,
                                    rt_ipc_json *out)
{
    struct json_object *a;
    if (get_typed(d, o, "", key, json_type_array, &a) != RATCHET_OK)
        return RATCHET_ERR;
    out->obj = a;
    int logs = key[0] == 'l';
    size_t n = json_object_array_length(a);
    for (size_t i = 0; i < n; i++) {
        struct json_object *x = json_object_array_get_idx(a, i);
        char pre[48];
        snprintf(pre, sizeof pre, "%s[%zu]", key, i);
        if (!json_object_is_type(x, json_type_object))
            return rt_fail(d->err, "invalid %s message: field \"%s\" must be an object, not %s",
                           d->type, pre, kind_of(x));
        const char *s1, *s2;
        if (logs) {
            if (get_str(d, x, pre, "level", REQUIRED, &s1) != RATCHET_OK ||
                get_str(d, x, pre, "message", REQUIRED, &s2) != RATCHET_OK)
                return RATCHET_ERR;
            static const char *const levels[] = {"trace", "debug", "info", "warn", "error"};
            size_t k = 0;
            while (k < sizeof levels / sizeof *levels && strcmp(s1, levels[k]) != 0)
                k++;
            if (k == sizeof levels / sizeof *levels)
                return range_field(d, pre, "level", "trace, debug, info, warn or error");
        } else {
            int64_t status;
            double ms;
            if (get_str(d, x, pre, "method", REQUIRED, &s1) != RATCHET_OK ||
                get_str(d, x, pre, "url", REQUIRED, &s2) != RATCHET_OK ||
                get_int(d, x, pre, "status", 0, &status) != RATCHET_OK ||
                get_num(d, x, pre, "duration_ms", &ms) != RATCHET_OK)
                return RATCHET_ERR;
        }
    }
    return RATCHET_OK;
}

static ratchet_status decode_execute(const dec *d, struct json_object *o, rt_ipc_execute *x)
{
    struct json_object *t;
    if (get_int(d, o, "", "job_id", INT64_MIN, &x->job_id) != RATCHET_OK ||
        get_str(d, o, "", "execution_id", NULLABLE, &x->execution_id) != RATCHET_OK ||
        get_typed(d, o, "", "task", json_type_object, &t) != RATCHET_OK ||
        get_str(d, t, "task", "name", REQUIRED, &x->task.name) != RATCHET_OK ||
        get_str(d, t, "task", "version", REQUIRED, &x->task.version) != RATCHET_OK ||
        get_str(d, t, "task", "uuid", NULLABLE, &x->task.uuid) != RATCHET_OK ||
        get_str(d, t, "task", "dir", NULLABLE, &x->task.dir) != RATCHET_OK ||
        get_str(d, t, "task", "code", NULLABLE, &x->task.code) != RATCHET_OK ||
        get_str(d, t, "task", "modules", NULLABLE, &x->task.modules) != RATCHET_OK ||
        get_str(d, t, "task", "map", NULLABLE, &x->task.map) != RATCHET_OK ||
        get_str(d, t, "task", "file", NULLABLE, &x->task.file) != RATCHET_OK ||
        get_value(d, o, "input", REQUIRED, &x->input) != RATCHET_OK ||
        get_int(d, o, "", "timeout_ms", 0, &x->timeout_ms) != RATCHET_OK ||
        get_int(d, o, "", "memory_bytes", 0, &x->memory_bytes) != RATCHET_OK ||
        get_str(d, o, "", "trace_id", NULLABLE, &x->trace_id) != RATCHET_OK ||
        get_str(d, o, "", "span_id", NULLABLE, &x->span_id) != RATCHET_OK)
        return RATCHET_ERR;
    if (!x->task.dir && !x->task.code)
        return rt_fail(d->err, "invalid execute message: field \"task.dir\" or \"task.code\" is "
                               "required");
    return RATCHET_OK;
}

static ratchet_status decode_result(const dec *d, struct json_object *o, rt_ipc_result *x)
{
    const char *outcome;
    if (get_int(d, o, "", "job_id", INT64_MIN, &x->job_id) != RATCHET_OK ||
        get_str(d, o, "", "outcome", REQUIRED, &outcome) != RATCHET_OK || !outcome)
        return RATCHET_ERR;
    size_t i = 0;
    while (i < N_OUTCOMES && strcmp(outcome, outcome_names[i]) != 0)
        i++;
    if (i == N_OUTCOMES)
        return range_field(d, "", "outcome",
                           "ok, compile_error, no_entry, runtime_error, output_error, memory, "
                           "timeout or stack");
    x->outcome = (ratchet_exec_outcome)i;
    int ok = x->outcome == RATCHET_EXEC_OK;
    if (get_value(d, o, "output", ok ? REQUIRED : OPTIONAL, &x->output) != RATCHET_OK ||
        (!ok && get_js_error(d, o, &x->error) != RATCHET_OK) ||
        check_entries(d, o, "logs", &x->logs) != RATCHET_OK ||
        check_entries(d, o, "http", &x->http) != RATCHET_OK ||
        get_num(d, o, "", "duration_ms", &x->duration_ms) != RATCHET_OK)
        return RATCHET_ERR;
    return RATCHET_OK;
}

static ratchet_status decode_payload(const dec *d, struct json_object *o, rt_ipc_msg *m)
{
    switch (m->type) {
    case RT_IPC_READY:
        if (get_str(d, o, "", "worker_id", REQUIRED, &m->ready.worker_id) != RATCHET_OK)
            return RATCHET_ERR;
        return get_int(d, o, "", "pid", 0, &m->ready.pid);
    case RT_IPC_PONG: {
        struct json_object *s;
        if (get_typed(d, o, "", "stats", json_type_object, &s) != RATCHET_OK ||
            get_int(d, s, "stats", "executed", 0, &m->pong.executed) != RATCHET_OK ||
            get_int(d, s, "stats", "uptime_ms", 0, &m->pong.uptime_ms) != RATCHET_OK)
            return RATCHET_ERR;
        return get_int(d, s, "stats", "rss_kb", 0, &m->pong.rss_kb);
    }
    case RT_IPC_EXECUTE:
        return decode_execute(d, o, &m->execute);
    case RT_IPC_RESULT:
        return decode_result(d, o, &m->result);
    case RT_IPC_FETCH:
        if (get_str(d, o, "", "url", REQUIRED, &m->fetch.url) != RATCHET_OK ||
            get_value(d, o, "options", REQUIRED, &m->fetch.options) != RATCHET_OK)
            return RATCHET_ERR;
        return get_value(d, o, "body", REQUIRED, &m->fetch.body);
    case RT_IPC_FETCH_RESULT: {
        struct json_object *e = NULL;
        if (json_object_object_get_ex(o, "error", &e) && e) {
            m->fetch_result.is_error = 1;
            return get_js_error(d, o, &m->fetch_result.error);
        }
        return get_value(d, o, "response", REQUIRED, &m->fetch_result.response);
    }
    case RT_IPC_SHUTDOWN:
        return get_int(d, o, "", "grace_ms", 0, &m->shutdown.grace_ms);
    case RT_IPC_ERROR:
        return get_str(d, o, "", "message", REQUIRED, &m->error.message);
    case RT_IPC_LOG:
        if (get_int(d, o, "", "job_id", INT64_MIN, &m->log.job_id) != RATCHET_OK)
            return RATCHET_ERR;
        return check_entries(d, o, "logs", &m->log.logs);
    default:
        return RATCHET_OK;
    }
}

/* protocol_version, type and id; msg->id is set leniently first so that even a message refused
 * here can be answered with an error the peer can match. */
static ratchet_status decode_envelope(struct json_object *o, rt_ipc_msg *m, rt_error *err)
{
    struct json_object *v = NULL;
    dec quiet = {NULL, "a"}, d = {err, "a"};
    m->id_null = 1;
    if (json_object_object_get_ex(o, "id", &v) && json_object_is_type(v, json_type_int) &&
        int_value(&quiet, v, "", "id", INT64_MIN, &m->id) == RATCHET_OK)
        m->id_null = 0;
    if (!json_object_object_get_ex(o, "protocol_version", &v))
        return rt_fail(err, "invalid message: missing field \"protocol_version\"");
    if (!json_object_is_type(v, json_type_int))
        return rt_fail(err,
                       "invalid message: field \"protocol_version\" must be an integer, "
                       "not %s",
                       kind_of(v));
    if (json_object_get_int64(v) != RT_IPC_PROTOCOL_VERSION)
        return rt_fail(err,
                       "protocol version mismatch: the peer speaks protocol_version %lld, "
                       "this ratchet speaks protocol_version %d",
                       (long long)json_object_get_int64(v), RT_IPC_PROTOCOL_VERSION);
    if (!json_object_object_get_ex(o, "type", &v))
        return rt_fail(err, "invalid message: missing field \"type\"");
    if (!json_object_is_type(v, json_type_string))
        return rt_fail(err, "invalid message: field \"type\" must be a string, not %s", kind_of(v));
    const char *name = json_object_get_string(v);
    for (size_t i = 1; i < N_TYPES; i++)
        if (strcmp(name, type_names[i]) == 0)
            m->type = (rt_ipc_type)i;
    if (m->type == RT_IPC_UNKNOWN)
        return rt_fail(err, "unknown message type \"%.64s\"", name);
    d.type = type_names[m->type];
    if (!json_object_object_get_ex(o, "id", &v))
        return no_field(&d, "", "id");
    if (!v && m->type == RT_IPC_ERROR)
        return RATCHET_OK;
    m->id_null = 1;
    if (int_value(&d, v, "", "id", INT64_MIN, &m->id) != RATCHET_OK)
        return RATCHET_ERR;
    m->id_null = 0;
    return RATCHET_OK;
}

ratchet_status rt_ipc_decode(const char *line, size_t len, rt_ipc_msg *msg, rt_error *err)
{
    if (!msg)
        return rt_fail(err, "cannot decode: no message");
    memset(msg, 0, sizeof *msg);
    msg->id_null = 1;
    if (!line)
        return rt_fail(err, "malformed message: no data");
    struct json_object *root = NULL;
    ratchet_status rc = rt_ipc_parse_json(line, len, &root, err);
    if (rc != RATCHET_OK)
        return rc;
    if (!json_object_is_type(root, json_type_object)) {
        rt_fail(err, "malformed message: expected a JSON object, not %s", kind_of(root));
        json_object_put(root);
        return RATCHET_ERR;
    }
    dec d = {err, NULL};
    if (decode_envelope(root, msg, err) != RATCHET_OK ||
        (d.type = type_names[msg->type], decode_payload(&d, root, msg)) != RATCHET_OK) {
        json_object_put(root);
        return RATCHET_ERR;
    }
    msg->root = root;
    return RATCHET_OK;
}

void rt_ipc_msg_free(rt_ipc_msg *msg)
{
    if (!msg)
        return;
    json_object_put(msg->root);
    memset(msg, 0, sizeof *msg);
}

void rt_ipc_error_reply(rt_ipc_msg *reply, const rt_ipc_msg *bad, const char *message)
{
    memset(reply, 0, sizeof *reply);
    reply->type = RT_IPC_ERROR;
    reply->id_null = !bad || bad->id_null;
    reply->id = reply->id_null ? 0 : bad->id;
    reply->error.message = message;
}
