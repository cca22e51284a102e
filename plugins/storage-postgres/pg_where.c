/*
 * pg_where.c - lists of the query form on PostgreSQL: storage-common's rs_where parses the
 * query and writes the SQL (see rs_where.c for the two-step page) with `?` placeholders,
 * numbered $1, $2, ... here before it runs; count and page are read in one snapshot.
 */
#include <stdio.h>

#include "pg_int.h"

/* ILIKE, as SQLite's LIKE ignores ASCII case; NULLs sort as in SQLite (first ascending, last
 * descending); text in byte order, as SQLite sorts it. */
const rs_dialect pg_dialect = {" ILIKE ? ESCAPE '\\'", " ASC NULLS FIRST", " DESC NULLS LAST",
                               " COLLATE \"C\""};

/* `sql` with each `?` numbered ($1, $2, ...), into out. Only our own fixed text and the
 * placeholders are in it (values are bound), so every `?` is a placeholder. */
static ratchet_status number_params(const char *sql, ratchet_buf *out)
{
    ratchet_status s = RATCHET_OK;
    int n = 0;
    for (const char *p = sql; *p && s == RATCHET_OK; p++)
        s = *p == '?' ? pg_host->buf_printf(out, "$%d", ++n) : pg_host->buf_append(out, p, 1);
    return s;
}

/* Run `sql` with the query's values, then limit and offset when `page`. */
static ratchet_status run(pg_inst *in, pg_conn *c, const char *sql, const rs_query *q, int page,
                          const char *what, PGresult **res)
{
    size_t n = q->nbinds + (page ? 2 : 0);
    const char **vals = pg_host->calloc(n ? n : 1, sizeof *vals);
    char(*nums)[24] = pg_host->calloc(n ? n : 1, sizeof *nums);
    ratchet_buf text = RATCHET_BUF_INIT;
    ratchet_status s = vals && nums ? number_params(sql, &text) : RATCHET_NOMEM;
    if (s == RATCHET_OK) {
        for (size_t i = 0; i < n; i++) {
            int64_t v = i < q->nbinds ? q->binds[i].i : i == q->nbinds ? q->limit : q->offset;
            if (i < q->nbinds && q->binds[i].text) {
                vals[i] = q->binds[i].s;
            } else {
                snprintf(nums[i], sizeof nums[i], "%lld", (long long)v);
                vals[i] = nums[i];
            }
        }
        PGresult *r = PQexecParams(c->pg, text.data, (int)n, NULL, vals, NULL, NULL, 0);
        ExecStatusType st = PQresultStatus(r);
        if (st == PGRES_TUPLES_OK) {
            *res = r;
        } else {
            s = pg_fail(in, c, r, what);
            PQclear(r);
        }
    } else {
        pg_host->set_error(in->ctx, "out of memory");
    }
    pg_host->buf_free(&text);
    pg_host->free(nums);
    pg_host->free(vals);
    return s;
}

static ratchet_status query_run(pg_inst *in, pg_conn *c, const rs_list_spec *spec,
                                const rs_query *q, ratchet_buf *out)
{
    ratchet_buf sql = RATCHET_BUF_INIT;
    PGresult *count = NULL, *rows = NULL;
    ratchet_status s = rs_query_count_sql(spec, q, &sql);
    if (s == RATCHET_OK)
        s = run(in, c, sql.data, q, 0, "counting records", &count);
    pg_host->buf_free(&sql);
    if (s == RATCHET_OK)
        s = rs_query_page_sql(spec, q, &sql);
    if (s == RATCHET_OK)
        s = run(in, c, sql.data, q, 1, "listing records", &rows);
    pg_host->buf_free(&sql);
    if (s == RATCHET_OK) {
        rs_out o;
        rs_out_init(&o, out);
        rs_list_open(&o);
        for (int i = 0; i < PQntuples(rows); i++) {
            rs_row row = pg_row(rows, i);
            spec->emit(&o, &row);
        }
        rs_list_close(&o, pg_int(count, 0, 0));
        s = rs_out_done(in->ctx, &o);
    }
    PQclear(count);
    PQclear(rows);
    return s;
}

ratchet_status pg_query_list(pg_inst *in, const rs_list_spec *spec, const char *query_json,
                             int64_t base, ratchet_buf *out)
{
    rs_query q;
    pg_conn *c = NULL;
    ratchet_status s = pg_ready(in);
    if (s != RATCHET_OK)
        return s;
    s = rs_query_parse(in->ctx, &pg_dialect, spec, query_json, base, &q);
    if (s == RATCHET_OK && (s = pg_acquire(in, &c)) == RATCHET_OK) {
        /* count and page from one snapshot */
        s = pg_exec(in, c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", "listing records");
        if (s == RATCHET_OK && spec->check)
            s = spec->check(in, c, base);
        if (s == RATCHET_OK)
            s = query_run(in, c, spec, &q, out);
        pg_end(in, c, s);
        pg_release(in, c);
    }
    rs_query_free(&q);
    return s;
}
