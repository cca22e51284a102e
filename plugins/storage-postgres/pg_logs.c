/*
 * pg_logs.c - execution_logs: the console lines and fetch calls of each attempt, one row
 * per entry, written by job_finish in its transaction and read back as a list.
 *
 * The worker sends two arrays (logs_json, http_json); they are kept as they came in the
 * executions.logs/http columns too (older readers use them). Here they are merged into one
 * sequence by time (a stable merge: entries without a time keep their place after the one
 * before them), numbered from 1, and handed to job_finish's statement as one JSON array
 * (json_to_recordset takes it apart). Rows go with their execution (ON DELETE CASCADE), so
 * prune and a requeue's deleted attempt take them along.
 */
#include <stdio.h>
#include <string.h>

#include "pg_int.h"

/* A number member, truncated to an integer; JSON null when not a number. */
static void num_out(rs_out *o, const char *key, json_object *v)
{
    if (json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double))
        rs_out_int(o, key, json_object_get_int64(v));
    else
        rs_out_json(o, key, NULL);
}

/* One row as a JSON object: e is a log entry (fetch 0) or a fetch entry (fetch 1); NULL e
 * with `note` writes a log line of the plugin's own. */
static void row_add(rs_out *o, int64_t seq, int64_t time, int fetch, json_object *e,
                    const char *note)
{
    rs_out_begin(o, NULL, '{');
    rs_out_int(o, "seq", seq);
    if (time)
        rs_out_int(o, "time", time);
    else
        rs_out_json(o, "time", NULL);
    rs_out_str(o, "kind", fetch ? "fetch" : "log");
    if (fetch) {
        rs_out_str(o, "level", NULL);
        rs_out_str(o, "message", rs_log_text(e, "error"));
        rs_out_str(o, "method", rs_log_text(e, "method"));
        rs_out_str(o, "url", rs_log_text(e, "url"));
        num_out(o, "status", rs_log_field(e, "status"));
        num_out(o, "duration_ms", rs_log_field(e, "durationMs"));
    } else {
        rs_out_str(o, "level", e ? rs_log_text(e, "level") : "warn");
        rs_out_str(o, "message", e ? rs_log_text(e, "message") : note);
    }
    rs_out_end(o, '}');
}

/* Merge both arrays into rows 1..n (at most PG_LOG_ROWS_MAX), written as JSON objects. */
static ratchet_status merge(pg_inst *in, rs_log_src *logs, rs_log_src *http, ratchet_buf *rows)
{
    size_t total = logs->n + http->n;
    if (total == 0)
        return RATCHET_OK;
    size_t keep = total > PG_LOG_ROWS_MAX ? PG_LOG_ROWS_MAX - 1 : total;
    rs_out o;
    rs_out_init(&o, rows);
    rs_out_begin(&o, NULL, '[');
    int64_t seq = 0, t = 0;
    while ((size_t)seq < keep) {
        int64_t tl = logs->i < logs->n ? rs_log_src_time(logs) : INT64_MAX;
        int64_t th = http->i < http->n ? rs_log_src_time(http) : INT64_MAX;
        rs_log_src *src = tl <= th ? logs : http;
        t = tl <= th ? tl : th;
        row_add(&o, ++seq, t, src == http, json_object_array_get_idx(src->arr, src->i), NULL);
        src->i++;
    }
    if (keep < total) {
        char note[128];
        snprintf(note, sizeof note, "%zu more lines and fetch calls were not kept (at most %d)",
                 total - keep, PG_LOG_ROWS_MAX);
        row_add(&o, ++seq, t, 0, NULL, note);
    }
    rs_out_end(&o, ']');
    return rs_out_done(in->ctx, &o);
}

ratchet_status pg_logs_rows(pg_inst *in, const char *logs_json, const char *http_json,
                            int64_t fallback_ms, ratchet_buf *rows)
{
    rs_log_src logs, http;
    ratchet_status s =
        rs_log_src_open(in->ctx, logs_json, "job_finish: logs_json", fallback_ms, &logs);
    if (s != RATCHET_OK)
        return s;
    s = rs_log_src_open(in->ctx, http_json, "job_finish: http_json", fallback_ms, &http);
    if (s == RATCHET_OK)
        s = merge(in, &logs, &http, rows);
    json_object_put(logs.arr);
    json_object_put(http.arr);
    return s;
}

/* ---- reading ---------------------------------------------------------------------------- */

static ratchet_status exec_exists(void *inst, void *conn, int64_t id)
{
    pg_inst *in = inst;
    pg_conn *c = conn;
    pg_params p;
    pp_init(&p);
    pp_int(&p, id);
    PGresult *r = NULL;
    ratchet_status s = pg_run(in, c, PG_EXEC_EXISTS, "SELECT 1 FROM executions WHERE id = $1", &p,
                              "reading an execution", &r);
    if (s != RATCHET_OK)
        return s;
    int found = PQntuples(r) > 0;
    PQclear(r);
    if (!found) {
        pg_host->set_error(in->ctx, "execution %lld does not exist", (long long)id);
        return RATCHET_NOTFOUND;
    }
    return RATCHET_OK;
}

static const rs_list_spec log_spec = RS_LOG_LIST(exec_exists);

ratchet_status pgs_execution_logs(void *instance, int64_t execution_id, const char *query_json,
                                  ratchet_buf *out)
{
    return pg_query_list(instance, &log_spec, query_json, execution_id, out);
}

/* ---- the server's events (log_append) and the search over both (log_search) ------------- */

/* The events as a record set in one statement; then (a second statement: a data-modifying
 * WITH would not see the rows it inserts) the oldest rows beyond max_rows. */
#define PG_SERVER_LOG_APPEND_SQL                                                                   \
    "INSERT INTO server_logs (time, level, source, message, fields, trace_id, job_id, "            \
    "execution_id, task_name) SELECT x.time, x.level, COALESCE(x.source, 'host'), "                \
    "x.message, x.fields::text, x.\"traceId\", NULLIF(x.\"jobId\", 0), "                           \
    "NULLIF(x.\"executionId\", 0), x.\"taskName\" FROM json_to_recordset($1::json) AS "            \
    "x(time bigint, level text, source text, message text, fields json, \"traceId\" text, "        \
    "\"jobId\" bigint, \"executionId\" bigint, \"taskName\" text)"
#define PG_SERVER_LOG_TRIM_SQL                                                                     \
    "DELETE FROM server_logs WHERE id <= (SELECT max(id) FROM server_logs) - $1"

ratchet_status pgs_log_append(void *instance, const char *events_json, int64_t max_rows)
{
    pg_inst *in = instance;
    json_object *arr = NULL;
    ratchet_status s = pg_ready(in);
    if (s == RATCHET_OK)
        s = rs_server_events_open(in->ctx, events_json, &arr);
    json_object_put(arr);
    pg_conn *c = NULL;
    if (s != RATCHET_OK || (s = pg_acquire(in, &c)) != RATCHET_OK)
        return s;
    pg_params p;
    pp_init(&p);
    pp_text(&p, events_json);
    int64_t changed = 0;
    s = pg_run_cmd(in, c, PG_SERVER_LOG_APPEND, PG_SERVER_LOG_APPEND_SQL, &p,
                   "keeping server log events", &changed);
    if (s == RATCHET_OK && max_rows > 0) {
        pp_init(&p);
        pp_int(&p, max_rows);
        s = pg_run_cmd(in, c, PG_SERVER_LOG_TRIM, PG_SERVER_LOG_TRIM_SQL, &p,
                       "bounding server log events", &changed);
    }
    pg_release(in, c);
    return s;
}

ratchet_status pg_server_logs_prune(pg_inst *in, pg_conn *c, int64_t cutoff)
{
    pg_params p;
    pp_init(&p);
    pp_int(&p, cutoff);
    int64_t n = 0;
    return pg_run_cmd(in, c, PG_SERVER_LOG_PRUNE, "DELETE FROM server_logs WHERE time < $1", &p,
                      "pruning server log events", &n);
}

ratchet_status pgs_log_search(void *instance, const char *query_json, ratchet_buf *out)
{
    return pg_query_list(instance, &rs_log_search_list, query_json, 0, out);
}
