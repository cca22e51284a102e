/*
 * rs_log_src.h - storage-common: reading job_finish's logs_json ([{level, message, time?}])
 * and http_json ([{method, url, status, durationMs, time?, error?}]) entry by entry, for the
 * execution_logs rows each plugin writes in its own way.
 */
#ifndef RS_LOG_SRC_H
#define RS_LOG_SRC_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include <ratchet/plugin.h>

/* One array of entries and the time each one carries (or inherits). The caller advances i. */
typedef struct rs_log_src {
    json_object *arr; /* owned (json_object_put); NULL: none (or not an array) */
    size_t n, i;
    int64_t last; /* time of the previous entry, for one without */
} rs_log_src;

/* Parse `json` (NULL: no entries) into src; a value that is not an array gives no entries.
 * RATCHET_ERR after set_error naming `what` when it is not JSON. `fallback` is the time of
 * entries before the first that has one. */
ratchet_status rs_log_src_open(ratchet_ctx *ctx, const char *json, const char *what,
                               int64_t fallback, rs_log_src *src);
/* The time of entry src->i: its own (milliseconds or RFC 3339), else the one before it. */
int64_t rs_log_src_time(rs_log_src *src);
/* Member `key` of o when o is an object, else NULL (borrowed from o). */
json_object *rs_log_field(json_object *o, const char *key);
/* A member as text: strings as they are, other values as JSON, absent/null as NULL. The text
 * belongs to o (json-c keeps it until o or its next serialisation). */
const char *rs_log_text(json_object *o, const char *key);

/* One event of log_append's events_json (texts borrowed from the parsed array; fields as
 * JSON text or NULL; ids 0 when absent). */
typedef struct rs_server_event {
    int64_t time;
    const char *level, *source, *message, *fields, *trace_id, *task_name;
    int64_t job_id, execution_id;
} rs_server_event;

#define RS_SERVER_EVENTS_MAX 10000 /* events in one log_append */

/* Parse and check events_json into *arr (an array; json_object_put it): RATCHET_ERR after
 * set_error "log_append: events_json: ..." when it is not an array of at most 10000 events
 * each with time (ms), level and message. */
ratchet_status rs_server_events_open(ratchet_ctx *ctx, const char *json, json_object **arr);
/* Event i of a checked array. */
void rs_server_event_at(json_object *arr, size_t i, rs_server_event *ev);

#endif /* RS_LOG_SRC_H */
