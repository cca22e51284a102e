/*
 * sqlite_where.c - lists of the query form on SQLite: storage-common's rs_where parses the
 * query and writes the SQL (see rs_where.c for the two-step page), this file prepares it,
 * binds the values and steps the rows into the list answer.
 */
#include <ctype.h>
#include <stdint.h>
#include <string.h>

#include "sqlite_int.h"

/* SQLite's LIKE ignores ASCII case; NULLs sort first ascending, last descending. */
const rs_dialect sq_dialect = {" LIKE ? ESCAPE '\\'", " ASC", " DESC", ""};

/* ---- running ------------------------------------------------------------------------------ */

/* Prepare `sql` (not cached: its text varies) and bind the query's values, then limit and
 * offset when `page`. */
static sqlite3_stmt *prepare(sq_inst *in, sq_conn *c, const char *sql, const rs_query *q, int page)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(c->db, sql, -1, &st, NULL);
    if (rc != SQLITE_OK) {
        sq_fail(in, c, rc, "preparing a list query");
        sqlite3_finalize(st);
        return NULL;
    }
    int i = 1;
    for (size_t b = 0; b < q->nbinds; b++, i++)
        if (q->binds[b].text)
            sq_bind_text(st, i, q->binds[b].s);
        else
            sq_bind_int(st, i, q->binds[b].i);
    if (page) {
        sq_bind_int(st, i, q->limit);
        sq_bind_int(st, i + 1, q->offset);
    }
    return st;
}

/* Whether the job list's conditions read the status alone (or nothing): every column they
 * name is j.status. The text is ours (rs_where.c), never the caller's. */
static int status_only(const rs_list_spec *spec, const rs_query *q)
{
    if (spec != &rs_job_list || spec->base)
        return 0;
    const char *w = q->where.data ? q->where.data : "";
    for (const char *p = strstr(w, "j."); p; p = strstr(p + 2, "j.")) {
        const char *after = p + 2 + strlen("status");
        if (strncmp(p + 2, "status", strlen("status")) != 0 || isalnum((unsigned char)*after) ||
            *after == '_')
            return 0;
    }
    return 1;
}

/* The statement counting q's rows. A job list on the status alone sums job_counts (kept by
 * triggers, migration 7) under the alias j, with the same conditions and values: counting a
 * million finished jobs row by row takes tens of milliseconds. */
static ratchet_status count_sql(const rs_list_spec *spec, const rs_query *q, ratchet_buf *sql)
{
    if (!status_only(spec, q))
        return rs_query_count_sql(spec, q, sql);
    return sq_host->buf_printf(sql, "SELECT coalesce(sum(j.n), 0) FROM job_counts j%s",
                               q->where.data ? q->where.data : "");
}

static ratchet_status count_rows(sq_inst *in, sq_conn *c, const rs_list_spec *spec,
                                 const rs_query *q, int64_t *total)
{
    ratchet_buf sql = RATCHET_BUF_INIT;
    ratchet_status s = count_sql(spec, q, &sql);
    sqlite3_stmt *st = s == RATCHET_OK ? prepare(in, c, sql.data, q, 0) : NULL;
    sq_host->buf_free(&sql);
    if (!st)
        return s == RATCHET_OK ? RATCHET_ERR : s;
    int rc = sqlite3_step(st);
    *total = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? RATCHET_OK : sq_fail(in, c, rc, "counting records");
}

ratchet_status sq_query_run(sq_inst *in, sq_conn *c, const rs_list_spec *spec, const rs_query *q,
                            ratchet_buf *out)
{
    int64_t total = 0;
    ratchet_status s = count_rows(in, c, spec, q, &total);
    if (s != RATCHET_OK)
        return s;
    ratchet_buf sql = RATCHET_BUF_INIT;
    s = rs_query_page_sql(spec, q, &sql);
    sqlite3_stmt *st = s == RATCHET_OK ? prepare(in, c, sql.data, q, 1) : NULL;
    sq_host->buf_free(&sql);
    if (!st)
        return s == RATCHET_OK ? RATCHET_ERR : s;
    rs_out o;
    rs_out_init(&o, out);
    rs_list_open(&o);
    rs_row row = sq_row(st);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        spec->emit(&o, &row);
    rs_list_close(&o, total);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return sq_fail(in, c, rc, "listing records");
    return rs_out_done(in->ctx, &o);
}

ratchet_status sq_query_list(sq_inst *in, const rs_list_spec *spec, const char *query_json,
                             int64_t base, ratchet_buf *out)
{
    rs_query q;
    sq_conn *c = NULL;
    ratchet_status s = sq_ready(in);
    if (s != RATCHET_OK)
        return s;
    s = rs_query_parse(in->ctx, &sq_dialect, spec, query_json, base, &q);
    if (s == RATCHET_OK && (s = sq_acquire(in, &c)) == RATCHET_OK) {
        if (spec->check)
            s = spec->check(in, c, base);
        if (s == RATCHET_OK)
            s = sq_query_run(in, c, spec, &q, out);
        sq_release(in, c);
    }
    rs_query_free(&q);
    return s;
}
