/*
 * sqlite_logs.c - execution_logs: the console lines and fetch calls of each attempt, one row
 * per entry, written by job_finish in its transaction and read back as a list.
 *
 * The worker sends two arrays (logs_json, http_json); they are kept as they came in the
 * executions.logs/http columns too (older readers use them). Here they are merged into one
 * sequence by time (a stable merge: entries without a time keep their place after the one
 * before them), numbered from 1. Rows go with their execution (ON DELETE CASCADE), so prune
 * and a requeue's deleted attempt take them along.
 */
#include <stdio.h>
#include <string.h>

#include "sqlite_int.h"

/* One array of entries and the time each one carries (or inherits). */
typedef struct log_src {
    json_object *arr; /* NULL: none (or not an array) */
    size_t n, i;
    int64_t last; /* time of the previous entry, for one without */
} log_src;

static ratchet_status src_open(sq_inst *in, const char *json, const char *what, int64_t fallback,
                               log_src *src)
{
    memset(src, 0, sizeof *src);
    src->last = fallback;
    if (!json)
        return RATCHET_OK;
    ratchet_status s = sq_parse_value(in, json, what, &src->arr);
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

static json_object *field(json_object *o, const char *key)
{
    json_object *v = NULL;
    return json_object_is_type(o, json_type_object) && json_object_object_get_ex(o, key, &v) ? v
                                                                                             : NULL;
}

/* The next entry's time (its own, else the one before it). */
static int64_t src_time(log_src *src)
{
    json_object *t = field(json_object_array_get_idx(src->arr, src->i), "time");
    int64_t ms = 0;
    if (json_object_is_type(t, json_type_int) && json_object_get_int64(t) > 0)
        src->last = json_object_get_int64(t);
    else if (json_object_is_type(t, json_type_string) &&
             sq_parse_rfc3339(json_object_get_string(t), &ms) == 0)
        src->last = ms;
    return src->last;
}

/* A member as text: strings as they are, other values as JSON, absent/null as NULL. */
static const char *text_of(json_object *o, const char *key)
{
    json_object *v = field(o, key);
    if (!v)
        return NULL;
    return json_object_is_type(v, json_type_string)
               ? json_object_get_string(v)
               : json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN);
}

static void bind_num(sqlite3_stmt *st, int i, json_object *v)
{
    if (json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double))
        sq_bind_int(st, i, json_object_get_int64(v));
    else
        sqlite3_bind_null(st, i);
}

/* Insert one row: e is a log entry (fetch 0) or a fetch entry (fetch 1); NULL e with `note`
 * writes a log line of the plugin's own. */
static ratchet_status row_insert(sq_inst *in, sq_conn *c, int64_t exec_id, int64_t seq,
                                 int64_t time, int fetch, json_object *e, const char *note)
{
    sqlite3_stmt *st = sq_stmt(in, c, SQ_LOG_INSERT,
                               "INSERT INTO execution_logs (execution_id, seq, time, kind, level, "
                               "message, method, url, status, duration_ms) "
                               "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
    if (!st)
        return RATCHET_ERR;
    sq_bind_int(st, 1, exec_id);
    sq_bind_int(st, 2, seq);
    sq_bind_opt(st, 3, time);
    sq_bind_text(st, 4, fetch ? "fetch" : "log");
    if (fetch) {
        sq_bind_text(st, 6, text_of(e, "error"));
        sq_bind_text(st, 7, text_of(e, "method"));
        sq_bind_text(st, 8, text_of(e, "url"));
        bind_num(st, 9, field(e, "status"));
        bind_num(st, 10, field(e, "durationMs"));
    } else {
        sq_bind_text(st, 5, e ? text_of(e, "level") : "warn");
        sq_bind_text(st, 6, e ? text_of(e, "message") : note);
    }
    return sq_step_done(in, c, st, "recording execution logs");
}

/* Merge both arrays into rows 1..n, keeping at most SQ_LOG_ROWS_MAX. */
static ratchet_status merge(sq_inst *in, sq_conn *c, int64_t exec_id, log_src *logs, log_src *http)
{
    size_t total = logs->n + http->n;
    size_t keep = total > SQ_LOG_ROWS_MAX ? SQ_LOG_ROWS_MAX - 1 : total;
    ratchet_status s = RATCHET_OK;
    int64_t seq = 0, t = 0;
    while ((size_t)seq < keep && s == RATCHET_OK) {
        int64_t tl = logs->i < logs->n ? src_time(logs) : INT64_MAX;
        int64_t th = http->i < http->n ? src_time(http) : INT64_MAX;
        log_src *src = tl <= th ? logs : http;
        t = tl <= th ? tl : th;
        s = row_insert(in, c, exec_id, ++seq, t, src == http,
                       json_object_array_get_idx(src->arr, src->i), NULL);
        src->i++;
    }
    if (s == RATCHET_OK && keep < total) {
        char note[128];
        snprintf(note, sizeof note, "%zu more lines and fetch calls were not kept (at most %d)",
                 total - keep, SQ_LOG_ROWS_MAX);
        s = row_insert(in, c, exec_id, ++seq, t, 0, NULL, note);
    }
    return s;
}

ratchet_status sq_logs_record(sq_inst *in, sq_conn *c, int64_t execution_id, const char *logs_json,
                              const char *http_json, int64_t fallback_ms)
{
    log_src logs, http;
    ratchet_status s = src_open(in, logs_json, "job_finish: logs_json", fallback_ms, &logs);
    if (s != RATCHET_OK)
        return s;
    s = src_open(in, http_json, "job_finish: http_json", fallback_ms, &http);
    if (s == RATCHET_OK)
        s = merge(in, c, execution_id, &logs, &http);
    json_object_put(logs.arr);
    json_object_put(http.arr);
    return s;
}

/* ---- reading ---------------------------------------------------------------------------- */

static void emit_log(sq_out *o, sqlite3_stmt *st)
{
    sq_out_begin(o, NULL, '{');
    sq_out_col_int(o, "seq", st, 0);
    sq_out_col_time(o, "time", st, 1);
    sq_out_col_str(o, "kind", st, 2);
    sq_out_col_str(o, "level", st, 3);
    sq_out_col_str(o, "message", st, 4);
    sq_out_col_str(o, "method", st, 5);
    sq_out_col_str(o, "url", st, 6);
    sq_out_col_int(o, "status", st, 7);
    sq_out_col_int(o, "durationMs", st, 8);
    sq_out_end(o, '}');
}

static const char *const log_kinds[] = {"log", "fetch", NULL};

static const sq_field log_fields[] = {
    {"seq", "l.seq", SQ_FT_INT, NULL, NULL, NULL, 1},
    {"kind", "l.kind", SQ_FT_ENUM, log_kinds, NULL, NULL, 1},
    {"level", "l.level", SQ_FT_TEXT, NULL, NULL, NULL, 1},
    {NULL, NULL, SQ_FT_INT, NULL, NULL, NULL, 0},
};

static ratchet_status exec_exists(sq_inst *in, sq_conn *c, int64_t id)
{
    sqlite3_stmt *st = sq_stmt(in, c, SQ_EXEC_EXISTS, "SELECT 1 FROM executions WHERE id = ?1");
    if (!st)
        return RATCHET_ERR;
    sq_bind_int(st, 1, id);
    int rc = sqlite3_step(st);
    sq_reset(st);
    if (rc == SQLITE_DONE) {
        sq_host->set_error(in->ctx, "execution %lld does not exist", (long long)id);
        return RATCHET_NOTFOUND;
    }
    return rc == SQLITE_ROW ? RATCHET_OK : sq_fail(in, c, rc, "reading an execution");
}

static const sq_list_spec log_spec = {
    "execution log query",
    log_fields,
    "execution_logs l",
    "l.id",
    "SELECT l.seq, l.time, l.kind, l.level, l.message, l.method, l.url, l.status, "
    "l.duration_ms FROM execution_logs l ",
    "seq",
    0,
    "l.execution_id = ?",
    exec_exists,
    emit_log,
};

ratchet_status sqlite_execution_logs(void *instance, int64_t execution_id, const char *query_json,
                                     ratchet_buf *out)
{
    return sq_query_list(instance, &log_spec, query_json, execution_id, out);
}
