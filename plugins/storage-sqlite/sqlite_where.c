/*
 * sqlite_where.c - the query form of the list calls (engine.h): {where: [{field, op, value}],
 * sort, order, offset, limit}, turned into SQL through a fixed table of fields per list.
 *
 * Nothing the caller writes reaches the SQL text: a field name selects a column expression
 * from the list's table (sq_field), an op selects one of a fixed set of operators, and every
 * value is bound as a parameter (anonymous `?`, bound in the order they appear). The older
 * top-level keys (status, taskName, jobId) become `eq` conditions on the same fields.
 *
 * Pages are fetched in two steps, so that a deep offset walks an index and not the joins:
 *
 *     <columns and joins> WHERE id IN (SELECT id FROM <table> <where> <order> LIMIT ? OFFSET ?)
 *     <order>
 *
 * and `total` is counted over the table alone (conditions on another table's column, such as
 * the task name, are lookups: `task_id IN (SELECT id FROM tasks WHERE name ...)`).
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sqlite_int.h"

#define LIST_LIMIT_DEFAULT 100
#define LIST_LIMIT_MAX     1000
#define WHERE_MAX          32  /* conditions in one query */
#define IN_MAX             100 /* values of one in/not_in */

typedef enum where_op {
    OP_EQ,
    OP_NE,
    OP_LIKE,
    OP_STARTS,
    OP_ENDS,
    OP_IN,
    OP_NOT_IN,
    OP_GT,
    OP_GTE,
    OP_LT,
    OP_LTE,
    OP_COUNT
} where_op;

static const struct {
    const char *name, *sql;
} ops[OP_COUNT] = {
    [OP_EQ] = {"eq", " = ?"},
    [OP_NE] = {"ne", " <> ?"},
    [OP_LIKE] = {"like", " LIKE ? ESCAPE '\\'"},
    [OP_STARTS] = {"starts_with", " LIKE ? ESCAPE '\\'"},
    [OP_ENDS] = {"ends_with", " LIKE ? ESCAPE '\\'"},
    [OP_IN] = {"in", " IN ("},
    [OP_NOT_IN] = {"not_in", " NOT IN ("},
    [OP_GT] = {"gt", " > ?"},
    [OP_GTE] = {"gte", " >= ?"},
    [OP_LT] = {"lt", " < ?"},
    [OP_LTE] = {"lte", " <= ?"},
};

/* ---- building ----------------------------------------------------------------------------- */

static void sql_add(sq_query *q, const char *s)
{
    if (q->st == RATCHET_OK)
        q->st = sq_host->buf_append(&q->where, s, strlen(s));
}

static void bind_push(sq_query *q, int text, int64_t i, const char *s, size_t len)
{
    if (q->st != RATCHET_OK)
        return;
    if (q->nbinds == q->cap) {
        size_t ncap = q->cap ? q->cap * 2 : 8;
        sq_bind *bigger = sq_host->realloc(q->binds, ncap * sizeof *bigger);
        if (!bigger) {
            q->st = RATCHET_NOMEM;
            return;
        }
        q->binds = bigger;
        q->cap = ncap;
    }
    sq_bind *b = &q->binds[q->nbinds];
    b->text = text;
    b->i = i;
    b->s = NULL;
    if (text) {
        b->s = sq_host->alloc(len + 1);
        if (!b->s) {
            q->st = RATCHET_NOMEM;
            return;
        }
        memcpy(b->s, s, len);
        b->s[len] = '\0';
    }
    q->nbinds++;
}

/* A LIKE pattern: `s` with % _ and \ escaped, between the wildcards `op` asks for. */
static void bind_pattern(sq_query *q, where_op op, const char *s)
{
    ratchet_buf p = RATCHET_BUF_INIT;
    ratchet_status st = RATCHET_OK;
    if (op != OP_STARTS)
        st = sq_host->buf_append(&p, "%", 1);
    for (; *s && st == RATCHET_OK; s++) {
        if (*s == '%' || *s == '_' || *s == '\\')
            st = sq_host->buf_append(&p, "\\", 1);
        if (st == RATCHET_OK)
            st = sq_host->buf_append(&p, s, 1);
    }
    if (st == RATCHET_OK && op != OP_ENDS)
        st = sq_host->buf_append(&p, "%", 1);
    if (st == RATCHET_OK)
        bind_push(q, 1, 0, p.data, p.len);
    else if (q->st == RATCHET_OK)
        q->st = st;
    sq_host->buf_free(&p);
}

/* "a|b|c" of a NULL-terminated list, into `out` (truncated to fit). */
static void join(char *out, size_t len, const char *const *items)
{
    size_t n = 0;
    out[0] = '\0';
    for (size_t i = 0; items[i] && n < len; i++)
        n += (size_t)snprintf(out + n, len - n, "%s%s", i ? "|" : "", items[i]);
}

/* The names of the fields that filter (sort = 0) or sort (sort = 1), "a, b, c". */
static void field_names(char *out, size_t len, const sq_field *fields, int sort)
{
    size_t n = 0;
    out[0] = '\0';
    for (const sq_field *f = fields; f->name && n < len; f++)
        if (sort ? f->sort : 1)
            n += (size_t)snprintf(out + n, len - n, "%s%s", n ? ", " : "", f->name);
}

/* Refuse the query: set_error with the message, mark the query failed. */
static ratchet_status bad(sq_inst *in, sq_query *q, const char *fmt, ...) RATCHET_PRINTF(3, 4);

static ratchet_status bad(sq_inst *in, sq_query *q, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    sq_host->set_error(in->ctx, "%s", msg);
    q->st = RATCHET_ERR;
    return RATCHET_ERR;
}

static const sq_field *field_find(const sq_field *fields, const char *name)
{
    for (const sq_field *f = fields; f->name; f++)
        if (strcmp(f->name, name) == 0)
            return f;
    return NULL;
}

/* ---- values ------------------------------------------------------------------------------- */

static int priority_value(const char *s, int64_t *out)
{
    static const char *const names[] = {"low", "normal", "high", "urgent", "critical"};
    for (int i = 0; i < 5; i++)
        if (strcasecmp(s, names[i]) == 0) {
            *out = i < 4 ? i + 1 : RATCHET_PRIORITY_URGENT;
            return 1;
        }
    return 0;
}

static int int_text(const char *s, int64_t *out)
{
    char *end = NULL;
    if (!*s || (!isdigit((unsigned char)*s) && *s != '-'))
        return 0;
    long long v = strtoll(s, &end, 10);
    if (*end)
        return 0;
    *out = v;
    return 1;
}

/* Bind one scalar `v` as field f's type; RATCHET_ERR naming `at` when it does not fit. */
static ratchet_status bind_scalar(sq_inst *in, sq_query *q, const sq_field *f, json_object *v,
                                  const char *at)
{
    int is_int = json_object_is_type(v, json_type_int);
    int is_str = json_object_is_type(v, json_type_string);
    const char *s = is_str ? json_object_get_string(v) : NULL;
    int64_t n = is_int ? json_object_get_int64(v) : 0;
    char expect[256];
    switch (f->type) {
    case SQ_FT_INT:
        if (is_int || (is_str && int_text(s, &n))) {
            bind_push(q, 0, n, NULL, 0);
            return RATCHET_OK;
        }
        return bad(in, q, "%s: %s must be an integer", at, f->name);
    case SQ_FT_TIME:
        if ((is_int && n >= 0) || (is_str && sq_parse_rfc3339(s, &n) == 0)) {
            bind_push(q, 0, n, NULL, 0);
            return RATCHET_OK;
        }
        return bad(in, q, "%s: %s must be an RFC 3339 time or milliseconds since 1970", at,
                   f->name);
    case SQ_FT_PRIORITY:
        if ((is_int && n >= 1 && n <= 4) || (is_str && priority_value(s, &n))) {
            bind_push(q, 0, n, NULL, 0);
            return RATCHET_OK;
        }
        return bad(in, q, "%s: %s must be low|normal|high|urgent|critical or 1..4", at, f->name);
    case SQ_FT_ENUM:
        if (is_str) {
            for (const char *const *e = f->values; *e; e++)
                if (strcmp(*e, s) == 0) {
                    bind_push(q, 1, 0, s, strlen(s));
                    return RATCHET_OK;
                }
        }
        join(expect, sizeof expect, f->values);
        return bad(in, q, "%s: unknown %s '%s' (expected %s)", at, f->name,
                   is_str ? s : json_object_to_json_string(v), expect);
    case SQ_FT_TEXT:
        if (is_str) {
            bind_push(q, 1, 0, s, strlen(s));
            return RATCHET_OK;
        }
        return bad(in, q, "%s: %s must be a string", at, f->name);
    }
    return RATCHET_ERR;
}

/* ---- conditions --------------------------------------------------------------------------- */

static ratchet_status cond_in(sq_inst *in, sq_query *q, const sq_field *f, json_object *v,
                              const char *at)
{
    if (!json_object_is_type(v, json_type_array))
        return bad(in, q, "%s: in and not_in take an array value", at);
    size_t n = json_object_array_length(v);
    if (n > IN_MAX) {
        return bad(in, q, "%s: %zu values, more than the %d allowed", at, n, IN_MAX);
    }
    for (size_t i = 0; i < n && q->st == RATCHET_OK; i++) {
        sql_add(q, i ? ", ?" : "?");
        bind_scalar(in, q, f, json_object_array_get_idx(v, i), at);
    }
    if (n == 0)
        sql_add(q, "NULL"); /* x IN (NULL) matches nothing (NOT IN () was skipped) */
    sql_add(q, ")");
    return q->st;
}

/* Append "AND <field op ?>" (or WHERE) and bind its value. */
static ratchet_status cond_add(sq_inst *in, sq_query *q, const sq_field *f, where_op op,
                               json_object *v, const char *at)
{
    int text_like = op == OP_LIKE || op == OP_STARTS || op == OP_ENDS;
    if (text_like && f->type != SQ_FT_TEXT && f->type != SQ_FT_ENUM)
        return bad(in, q, "%s: %s does not apply to %s (not text)", at, ops[op].name, f->name);
    if (text_like && !json_object_is_type(v, json_type_string))
        return bad(in, q, "%s: %s takes a string value", at, ops[op].name);
    if (!v && op != OP_EQ && op != OP_NE)
        return bad(in, q, "%s: %s takes a value, not null", at, ops[op].name);
    if (op == OP_NOT_IN && json_object_is_type(v, json_type_array) &&
        json_object_array_length(v) == 0) {
        return q->st; /* excludes nothing */
    }
    sql_add(q, q->where.len ? " AND " : " WHERE ");
    sql_add(q, f->pre ? f->pre : "");
    sql_add(q, f->column);
    if (!v) {
        sql_add(q, op == OP_EQ ? " IS NULL" : " IS NOT NULL");
    } else if (op == OP_IN || op == OP_NOT_IN) {
        sql_add(q, ops[op].sql);
        cond_in(in, q, f, v, at);
    } else {
        sql_add(q, ops[op].sql);
        if (text_like)
            bind_pattern(q, op, json_object_get_string(v));
        else
            bind_scalar(in, q, f, v, at);
    }
    sql_add(q, f->pre ? ")" : "");
    return q->st;
}

static ratchet_status where_one(sq_inst *in, sq_query *q, const sq_list_spec *spec,
                                json_object *item, const char *at)
{
    json_object *jf = NULL, *jo = NULL, *v = NULL;
    if (!json_object_is_type(item, json_type_object))
        return bad(in, q, "%s: expected an object {field, op, value}", at);
    json_object_object_get_ex(item, "field", &jf);
    json_object_object_get_ex(item, "op", &jo);
    if (!json_object_is_type(jf, json_type_string))
        return bad(in, q, "%s: \"field\" must be a string", at);
    if (jo && !json_object_is_type(jo, json_type_string))
        return bad(in, q, "%s: \"op\" must be a string", at);
    if (!json_object_object_get_ex(item, "value", &v))
        return bad(in, q, "%s: \"value\" is missing", at);
    const char *fname = json_object_get_string(jf);
    const sq_field *f = field_find(spec->fields, fname);
    if (!f) {
        char names[512];
        field_names(names, sizeof names, spec->fields, 0);
        return bad(in, q, "%s: unknown field '%s' (filters on %s)", at, fname, names);
    }
    const char *oname = jo ? json_object_get_string(jo) : "eq";
    for (int op = 0; op < OP_COUNT; op++)
        if (strcmp(ops[op].name, oname) == 0)
            return cond_add(in, q, f, (where_op)op, v, at);
    return bad(in, q,
               "%s: unknown op '%s' (expected eq, ne, like, starts_with, ends_with, in, not_in, "
               "gt, gte, lt, lte)",
               at, oname);
}

static ratchet_status where_parse(sq_inst *in, sq_query *q, const sq_list_spec *spec,
                                  json_object *doc)
{
    json_object *w = NULL;
    char at[96];
    if (!json_object_object_get_ex(doc, "where", &w) || !w)
        return RATCHET_OK;
    if (!json_object_is_type(w, json_type_array))
        return bad(in, q, "%s: \"where\" must be an array of {field, op, value}", spec->what);
    size_t n = json_object_array_length(w);
    if (n > WHERE_MAX) {
        return bad(in, q, "%s: %zu conditions, more than the %d allowed", spec->what, n, WHERE_MAX);
    }
    for (size_t i = 0; i < n && q->st == RATCHET_OK; i++) {
        snprintf(at, sizeof at, "%s: where[%zu]", spec->what, i);
        where_one(in, q, spec, json_object_array_get_idx(w, i), at);
    }
    return q->st;
}

/* The older filter keys: each an `eq` on the field of the same name, where the list has it.
 * As before, null and a jobId of 0 filter nothing. */
static ratchet_status legacy_parse(sq_inst *in, sq_query *q, const sq_list_spec *spec,
                                   json_object *doc)
{
    static const char *const keys[] = {"status", "taskName", "jobId", NULL};
    for (int i = 0; keys[i] && q->st == RATCHET_OK; i++) {
        json_object *v = NULL;
        const sq_field *f = field_find(spec->fields, keys[i]);
        if (f && json_object_object_get_ex(doc, keys[i], &v) && v &&
            !(json_object_is_type(v, json_type_int) && json_object_get_int64(v) == 0))
            cond_add(in, q, f, OP_EQ, v, spec->what);
    }
    return q->st;
}

/* ---- sort and page ------------------------------------------------------------------------ */

static ratchet_status order_parse(sq_inst *in, sq_query *q, const sq_list_spec *spec,
                                  json_object *doc)
{
    const char *sort = spec->sort, *order = NULL;
    ratchet_status s = sq_get_str(in, doc, spec->what, "sort", 0, &sort);
    if (s == RATCHET_OK)
        s = sq_get_str(in, doc, spec->what, "order", 0, &order);
    if (s != RATCHET_OK)
        return q->st = s;
    const sq_field *f = field_find(spec->fields, sort);
    if (!f || !f->sort) {
        char names[512];
        field_names(names, sizeof names, spec->fields, 1);
        return bad(in, q, "%s: cannot sort on '%s' (sorts on %s)", spec->what, sort, names);
    }
    int desc = spec->desc;
    if (order && (strcasecmp(order, "asc") == 0 || strcasecmp(order, "desc") == 0))
        desc = strcasecmp(order, "desc") == 0;
    else if (order)
        return bad(in, q, "%s: \"order\" must be asc or desc, not '%s'", spec->what, order);
    const char *dir = desc ? " DESC" : " ASC";
    const char *expr = f->sort_expr ? f->sort_expr : f->column;
    int n =
        strcmp(expr, spec->id) == 0
            ? snprintf(q->order, sizeof q->order, " ORDER BY %s%s", expr, dir)
            : snprintf(q->order, sizeof q->order, " ORDER BY %s%s, %s%s", expr, dir, spec->id, dir);
    if (n < 0 || (size_t)n >= sizeof q->order) /* the table's own text: a programming error */
        return bad(in, q, "%s: sort expression for '%s' too long", spec->what, sort);
    return RATCHET_OK;
}

static ratchet_status page_parse(sq_inst *in, sq_query *q, const sq_list_spec *spec,
                                 json_object *doc)
{
    q->limit = LIST_LIMIT_DEFAULT;
    q->offset = 0;
    ratchet_status s = sq_get_int(in, doc, spec->what, "limit", 0, &q->limit);
    if (s == RATCHET_OK)
        s = sq_get_int(in, doc, spec->what, "offset", 0, &q->offset);
    if (s != RATCHET_OK)
        return q->st = s;
    if (q->limit < 1 || q->limit > LIST_LIMIT_MAX) {
        return bad(in, q, "%s: limit must be 1..%d, got %lld", spec->what, LIST_LIMIT_MAX,
                   (long long)q->limit);
    }
    if (q->offset < 0) {
        return bad(in, q, "%s: offset must not be negative", spec->what);
    }
    return RATCHET_OK;
}

ratchet_status sq_query_parse(sq_inst *in, const sq_list_spec *spec, const char *json, int64_t base,
                              sq_query *q)
{
    memset(q, 0, sizeof *q);
    q->where = (ratchet_buf)RATCHET_BUF_INIT;
    json_object *doc = NULL;
    q->st = sq_parse_object(in, json, spec->what, 1, &doc);
    if (q->st == RATCHET_OK && spec->base) {
        sql_add(q, " WHERE ");
        sql_add(q, spec->base);
        bind_push(q, 0, base, NULL, 0);
    }
    if (q->st == RATCHET_OK)
        where_parse(in, q, spec, doc);
    if (q->st == RATCHET_OK)
        legacy_parse(in, q, spec, doc);
    if (q->st == RATCHET_OK)
        order_parse(in, q, spec, doc);
    if (q->st == RATCHET_OK)
        page_parse(in, q, spec, doc);
    json_object_put(doc);
    if (q->st == RATCHET_NOMEM)
        sq_host->set_error(in->ctx, "out of memory");
    return q->st;
}

void sq_query_free(sq_query *q)
{
    for (size_t i = 0; i < q->nbinds; i++)
        sq_host->free(q->binds[i].s);
    sq_host->free(q->binds);
    sq_host->buf_free(&q->where);
    q->binds = NULL;
    q->nbinds = q->cap = 0;
}

/* ---- running ------------------------------------------------------------------------------ */

/* Prepare `sql` (not cached: its text varies) and bind the query's values, then limit and
 * offset when `page`. */
static sqlite3_stmt *prepare(sq_inst *in, sq_conn *c, const char *sql, const sq_query *q, int page)
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

static ratchet_status count_rows(sq_inst *in, sq_conn *c, const sq_list_spec *spec,
                                 const sq_query *q, int64_t *total)
{
    ratchet_buf sql = RATCHET_BUF_INIT;
    ratchet_status s = sq_host->buf_printf(&sql, "SELECT count(*) FROM %s%s", spec->from,
                                           q->where.data ? q->where.data : "");
    sqlite3_stmt *st = s == RATCHET_OK ? prepare(in, c, sql.data, q, 0) : NULL;
    sq_host->buf_free(&sql);
    if (!st)
        return s == RATCHET_OK ? RATCHET_ERR : s;
    int rc = sqlite3_step(st);
    *total = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? RATCHET_OK : sq_fail(in, c, rc, "counting records");
}

ratchet_status sq_query_run(sq_inst *in, sq_conn *c, const sq_list_spec *spec, const sq_query *q,
                            ratchet_buf *out)
{
    int64_t total = 0;
    ratchet_status s = count_rows(in, c, spec, q, &total);
    if (s != RATCHET_OK)
        return s;
    ratchet_buf sql = RATCHET_BUF_INIT;
    s = sq_host->buf_printf(&sql, "%sWHERE %s IN (SELECT %s FROM %s%s%s LIMIT ? OFFSET ?)%s",
                            spec->cols, spec->id, spec->id, spec->from,
                            q->where.data ? q->where.data : "", q->order, q->order);
    sqlite3_stmt *st = s == RATCHET_OK ? prepare(in, c, sql.data, q, 1) : NULL;
    sq_host->buf_free(&sql);
    if (!st)
        return s == RATCHET_OK ? RATCHET_ERR : s;
    sq_out o;
    sq_out_init(&o, out);
    sq_out_begin(&o, NULL, '{');
    sq_out_begin(&o, "items", '[');
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        spec->emit(&o, st);
    sq_out_end(&o, ']');
    sq_out_int(&o, "total", total);
    sq_out_end(&o, '}');
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return sq_fail(in, c, rc, "listing records");
    return sq_out_done(in, &o);
}

ratchet_status sq_query_list(sq_inst *in, const sq_list_spec *spec, const char *query_json,
                             int64_t base, ratchet_buf *out)
{
    sq_query q;
    sq_conn *c = NULL;
    ratchet_status s = sq_ready(in);
    if (s != RATCHET_OK)
        return s;
    s = sq_query_parse(in, spec, query_json, base, &q);
    if (s == RATCHET_OK && (s = sq_acquire(in, &c)) == RATCHET_OK) {
        if (spec->check)
            s = spec->check(in, c, base);
        if (s == RATCHET_OK)
            s = sq_query_run(in, c, spec, &q, out);
        sq_release(in, c);
    }
    sq_query_free(&q);
    return s;
}
