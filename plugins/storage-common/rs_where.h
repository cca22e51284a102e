/*
 * rs_where.h - storage-common: the query form of the list calls (engine.h), {where: [{field,
 * op, value}], sort, order, offset, limit} plus the older keys status, taskName and jobId,
 * parsed against a fixed table of fields per list into SQL text with bound values.
 *
 * Nothing the caller writes reaches the SQL text: field names select fixed column
 * expressions, ops select fixed operators, values are bound in order as anonymous `?`.
 */
#ifndef RS_WHERE_H
#define RS_WHERE_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include <ratchet/plugin.h>

#include "rs_out.h"

/* How a field's values are read: integers (also as decimal text), text, times (RFC 3339 or
 * milliseconds), one of a fixed set of words, or a priority (name or 1..4). */
typedef enum rs_ftype { RS_FT_INT, RS_FT_TEXT, RS_FT_TIME, RS_FT_ENUM, RS_FT_PRIORITY } rs_ftype;

/* One field a list filters on. A condition is `pre column <op ?> )` when `pre` is set (a
 * lookup in another table, e.g. "j.task_id IN (SELECT id FROM tasks WHERE "), else
 * `column <op ?>`. All text here is fixed SQL, never the caller's. */
typedef struct rs_field {
    const char *name;   /* the record key (camelCase) */
    const char *column; /* SQL expression over the list's table */
    rs_ftype type;
    const char *const *values; /* RS_FT_ENUM: the words, NULL-terminated */
    const char *pre;           /* NULL or the lookup's opening, see above */
    const char *sort_expr;     /* NULL: column (needed when pre is set) */
    int sort;                  /* 1: may be sorted on */
} rs_field;

/* A list: its fields, its table, how its rows are read and written out. */
typedef struct rs_list_spec {
    const char *what;       /* names the query in messages ("job query") */
    const rs_field *fields; /* terminated by a NULL name */
    const char *from;       /* the table and its alias ("jobs j") */
    const char *id;         /* its primary key ("j.id") */
    const char *cols;       /* "SELECT ... FROM <table alias> <joins> " (no WHERE) */
    const char *sort;       /* the default sort field */
    int desc;               /* the default order */
    const char *base;       /* NULL or a condition always applied, with one integer `?` */
    /* NULL, or the plugin's check of `base` before listing, given its instance and connection
     * (RATCHET_NOTFOUND after set_error: the parent is unknown) */
    ratchet_status (*check)(void *inst, void *conn, int64_t base);
    rs_emit_fn emit; /* one row of cols as a record */
} rs_list_spec;

/* What differs between SQL dialects in the text built here. Static strings. */
typedef struct rs_dialect {
    const char *like; /* the operator of like/starts_with/ends_with, " LIKE ? ESCAPE '\\'" */
    const char *asc;  /* " ASC", with where NULLs go when the dialect needs it said */
    const char *desc; /* " DESC" likewise */
    /* after a text column's sort expression, for byte order ("" where that is the default) */
    const char *text_order;
} rs_dialect;

typedef struct rs_bind {
    int text; /* 1: s, else i */
    int64_t i;
    char *s; /* owned by the query */
} rs_bind;

/* A parsed query: WHERE text with its values (in order), ORDER BY text, the page. */
typedef struct rs_query {
    const rs_dialect *dialect;
    ratchet_buf where; /* " WHERE ..." or empty (data NULL) */
    char order[320];   /* " ORDER BY ..." */
    rs_bind *binds;
    size_t nbinds, cap;
    int64_t limit, offset;
    ratchet_status st;
} rs_query;

/* Parse query_json (NULL or "" for defaults) against spec. `base` is the value bound to
 * spec->base. RATCHET_ERR after set_error naming what is wrong and what is allowed (unknown
 * field or op, wrong value type, limit outside 1..1000, more than 32 conditions or 100 values
 * of one in), RATCHET_NOMEM after set_error. Free *q with rs_query_free in every case. */
ratchet_status rs_query_parse(ratchet_ctx *ctx, const rs_dialect *dialect, const rs_list_spec *spec,
                              const char *query_json, int64_t base, rs_query *q);
/* Free what q holds (q itself is the caller's). */
void rs_query_free(rs_query *q);
/* Append to the caller's buffer the statement counting q's rows (q's binds, in order), or the
 * one reading q's page (q's binds, then limit and offset). RATCHET_NOMEM when out of memory
 * (nothing set_error'd). */
ratchet_status rs_query_count_sql(const rs_list_spec *spec, const rs_query *q, ratchet_buf *sql);
ratchet_status rs_query_page_sql(const rs_list_spec *spec, const rs_query *q, ratchet_buf *sql);
/* A list answer {items: [...], total}: open it, emit the items, close it with the total. */
void rs_list_open(rs_out *o);
void rs_list_close(rs_out *o, int64_t total);

#endif /* RS_WHERE_H */
