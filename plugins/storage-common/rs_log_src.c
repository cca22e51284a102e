/*
 * rs_log_src.c - the arrays of log lines and fetch calls job_finish hands over, read entry by
 * entry with the time each carries (or inherits), for the execution_logs rows.
 */
#include <string.h>

#include "rs_json.h"
#include "rs_out.h"
#include "rs_log_src.h"

ratchet_status rs_log_src_open(ratchet_ctx *ctx, const char *json, const char *what,
                               int64_t fallback, rs_log_src *src)
{
    memset(src, 0, sizeof *src);
    src->last = fallback;
    if (!json)
        return RATCHET_OK;
    ratchet_status s = rs_parse_value(ctx, json, what, &src->arr);
    if (s != RATCHET_OK)
        return s;
    if (!json_object_is_type(src->arr, json_type_array)) {
        json_object_put(src->arr); /* kept in the column as sent; no rows */
        src->arr = NULL;
        return RATCHET_OK;
    }
    src->n = json_object_array_length(src->arr);
    return RATCHET_OK;
}

json_object *rs_log_field(json_object *o, const char *key)
{
    json_object *v = NULL;
    return json_object_is_type(o, json_type_object) && json_object_object_get_ex(o, key, &v) ? v
                                                                                             : NULL;
}

/* The next entry's time (its own, else the one before it). */
int64_t rs_log_src_time(rs_log_src *src)
{
    json_object *t = rs_log_field(json_object_array_get_idx(src->arr, src->i), "time");
    int64_t ms = 0;
    if (json_object_is_type(t, json_type_int) && json_object_get_int64(t) > 0)
        src->last = json_object_get_int64(t);
    else if (json_object_is_type(t, json_type_string) &&
             rs_parse_rfc3339(json_object_get_string(t), &ms) == 0)
        src->last = ms;
    return src->last;
}

/* A member as text: strings as they are, other values as JSON, absent/null as NULL. */
const char *rs_log_text(json_object *o, const char *key)
{
    json_object *v = rs_log_field(o, key);
    if (!v)
        return NULL;
    return json_object_is_type(v, json_type_string)
               ? json_object_get_string(v)
               : json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN);
}

/* ---- log_append's server events ------------------------------------------------------- */

static int64_t int_member(json_object *o, const char *key)
{
    json_object *v = rs_log_field(o, key);
    return json_object_is_type(v, json_type_int) ? json_object_get_int64(v) : 0;
}

ratchet_status rs_server_events_open(ratchet_ctx *ctx, const char *json, json_object **arr)
{
    *arr = json ? json_tokener_parse(json) : NULL;
    size_t n = json_object_is_type(*arr, json_type_array) ? json_object_array_length(*arr) : 0;
    const char *why = !json_object_is_type(*arr, json_type_array) ? "not a JSON array"
                      : n > RS_SERVER_EVENTS_MAX                  ? "more than 10000 events"
                                                                  : NULL;
    for (size_t i = 0; !why && i < n; i++) {
        json_object *e = json_object_array_get_idx(*arr, i);
        if (int_member(e, "time") <= 0 || !rs_log_text(e, "level") || !rs_log_text(e, "message"))
            why = "an event without time (ms), level or message";
    }
    if (!why)
        return RATCHET_OK;
    json_object_put(*arr);
    *arr = NULL;
    rs_host->set_error(ctx, "log_append: events_json: %s", why);
    return RATCHET_ERR;
}

void rs_server_event_at(json_object *arr, size_t i, rs_server_event *ev)
{
    json_object *e = json_object_array_get_idx(arr, i);
    ev->time = int_member(e, "time");
    ev->level = rs_log_text(e, "level");
    ev->source = rs_log_text(e, "source") ? rs_log_text(e, "source") : "host";
    ev->message = rs_log_text(e, "message");
    ev->fields = rs_log_text(e, "fields");
    ev->trace_id = rs_log_text(e, "traceId");
    ev->job_id = int_member(e, "jobId");
    ev->execution_id = int_member(e, "executionId");
    ev->task_name = rs_log_text(e, "taskName");
}
