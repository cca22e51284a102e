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
        sq_bind_text(st, 6, rs_log_text(e, "error"));
        sq_bind_text(st, 7, rs_log_text(e, "method"));
        sq_bind_text(st, 8, rs_log_text(e, "url"));
        bind_num(st, 9, rs_log_field(e, "status"));
        bind_num(st, 10, rs_log_field(e, "durationMs"));
    } else {
        sq_bind_text(st, 5, e ? rs_log_text(e, "level") : "warn");
        sq_bind_text(st, 6, e ? rs_log_text(e, "message") : note);
    }
    return sq_step_done(in, c, st, "recording execution logs");
}

/* Merge both arrays into rows 1..n, keeping at most SQ_LOG_ROWS_MAX. */
static ratchet_status merge(sq_inst *in, sq_conn *c, int64_t exec_id, rs_log_src *logs,
                            rs_log_src *http)
{
    size_t total = logs->n + http->n;
    size_t keep = total > SQ_LOG_ROWS_MAX ? SQ_LOG_ROWS_MAX - 1 : total;
    ratchet_status s = RATCHET_OK;
    int64_t seq = 0, t = 0;
    while ((size_t)seq < keep && s == RATCHET_OK) {
        int64_t tl = logs->i < logs->n ? rs_log_src_time(logs) : INT64_MAX;
        int64_t th = http->i < http->n ? rs_log_src_time(http) : INT64_MAX;
        rs_log_src *src = tl <= th ? logs : http;
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
    rs_log_src logs, http;
    ratchet_status s =
        rs_log_src_open(in->ctx, logs_json, "job_finish: logs_json", fallback_ms, &logs);
    if (s != RATCHET_OK)
        return s;
    s = rs_log_src_open(in->ctx, http_json, "job_finish: http_json", fallback_ms, &http);
    if (s == RATCHET_OK)
        s = merge(in, c, execution_id, &logs, &http);
    json_object_put(logs.arr);
    json_object_put(http.arr);
    return s;
}

/* ---- reading ---------------------------------------------------------------------------- */

static ratchet_status exec_exists(void *inst, void *conn, int64_t id)
{
    sq_inst *in = inst;
    sq_conn *c = conn;
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

static const rs_list_spec log_spec = RS_LOG_LIST(exec_exists);

ratchet_status sqlite_execution_logs(void *instance, int64_t execution_id, const char *query_json,
                                     ratchet_buf *out)
{
    return sq_query_list(instance, &log_spec, query_json, execution_id, out);
}

/* ---- the server's events (log_append) and the search over both (log_search) ------------- */

static ratchet_status server_insert(sq_inst *in, sq_conn *c, const rs_server_event *ev)
{
    sqlite3_stmt *st = sq_stmt(in, c, SQ_SERVER_LOG_INSERT,
                               "INSERT INTO server_logs (time, level, source, message, fields, "
                               "trace_id, job_id, execution_id, task_name) "
                               "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
    if (!st)
        return RATCHET_ERR;
    sq_bind_int(st, 1, ev->time);
    sq_bind_text(st, 2, ev->level);
    sq_bind_text(st, 3, ev->source);
    sq_bind_text(st, 4, ev->message);
    sq_bind_text(st, 5, ev->fields);
    sq_bind_text(st, 6, ev->trace_id);
    sq_bind_opt(st, 7, ev->job_id);
    sq_bind_opt(st, 8, ev->execution_id);
    sq_bind_text(st, 9, ev->task_name);
    return sq_step_done(in, c, st, "keeping server log events");
}

/* Delete the oldest rows beyond max_rows (ids grow with time). */
static ratchet_status server_trim(sq_inst *in, sq_conn *c, int64_t max_rows)
{
    sqlite3_stmt *st = sq_stmt(in, c, SQ_SERVER_LOG_TRIM,
                               "DELETE FROM server_logs WHERE id <= (SELECT max(id) FROM "
                               "server_logs) - ?1");
    if (!st)
        return RATCHET_ERR;
    sq_bind_int(st, 1, max_rows);
    return sq_step_done(in, c, st, "bounding server log events");
}

ratchet_status sqlite_log_append(void *instance, const char *events_json, int64_t max_rows)
{
    sq_inst *in = instance;
    json_object *arr = NULL;
    ratchet_status s = rs_server_events_open(in->ctx, events_json, &arr);
    sq_conn *c = NULL;
    if (s == RATCHET_OK)
        s = sq_acquire_begin(in, &c);
    for (size_t i = 0; s == RATCHET_OK && i < json_object_array_length(arr); i++) {
        rs_server_event ev;
        rs_server_event_at(arr, i, &ev);
        s = server_insert(in, c, &ev);
    }
    if (s == RATCHET_OK && max_rows > 0)
        s = server_trim(in, c, max_rows);
    if (c) {
        if (s == RATCHET_OK)
            s = sq_commit(in, c);
        else
            sq_rollback(in, c);
        sq_release(in, c);
    }
    json_object_put(arr);
    return s;
}

ratchet_status sq_server_logs_prune(sq_inst *in, sq_conn *c, int64_t cutoff)
{
    ratchet_status s = sq_begin(in, c);
    if (s != RATCHET_OK)
        return s;
    sqlite3_stmt *st =
        sq_stmt(in, c, SQ_SERVER_LOG_PRUNE, "DELETE FROM server_logs WHERE time < ?1");
    if (!st) {
        sq_rollback(in, c);
        return RATCHET_ERR;
    }
    sq_bind_int(st, 1, cutoff);
    s = sq_step_done(in, c, st, "pruning server log events");
    if (s != RATCHET_OK) {
        sq_rollback(in, c);
        return s;
    }
    return sq_commit(in, c);
}

ratchet_status sqlite_log_search(void *instance, const char *query_json, ratchet_buf *out)
{
    return sq_query_list(instance, &rs_log_search_list, query_json, 0, out);
}
