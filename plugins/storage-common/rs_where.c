/*
 * rs_where.c - the query form of the list calls (engine.h): {where: [{field, op, value}],
 * sort, order, offset, limit}, turned into SQL through a fixed table of fields per list.
 *
 * Nothing the caller writes reaches the SQL text: a field name selects a column expression
 * from the list's table (rs_field), an op selects one of a fixed set of operators, and every
 * value is bound as a parameter (anonymous `?`, bound in the order they appear; a backend that
 * numbers its parameters renumbers them). What differs between SQL dialects (LIKE and its case,
 * where NULLs sort) comes from an rs_dialect. The older
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

#include "rs_json.h"
#include "rs_where.h"

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
    [OP_LIKE] = {"like", NULL}, /* the dialect's like */
    [OP_STARTS] = {"starts_with", NULL},
    [OP_ENDS] = {"ends_with", NULL},
    [OP_IN] = {"in", " IN ("},
    [OP_NOT_IN] = {"not_in", " NOT IN ("},
    [OP_GT] = {"gt", " > ?"},
    [OP_GTE] = {"gte", " >= ?"},
    [OP_LT] = {"lt", " < ?"},
    [OP_LTE] = {"lte", " <= ?"},
};

/* ---- building ----------------------------------------------------------------------------- */

static void sql_add(rs_query *q, const char *s)
{
    if (q->st == RATCHET_OK)
        q->st = rs_host->buf_append(&q->where, s, strlen(s));
}

static void bind_push(rs_query *q, int text, int64_t i, const char *s, size_t len)
{
    if (q->st != RATCHET_OK)
        return;
    if (q->nbinds == q->cap) {
        size_t ncap = q->cap ? q->cap * 2 : 8;
        rs_bind *bigger = rs_host->realloc(q->binds, ncap * sizeof *bigger);
        if (!bigger) {
            q->st = RATCHET_NOMEM;
            return;
        }
        q->binds = bigger;
        q->cap = ncap;
    }
    rs_bind *b = &q->binds[q->nbinds];
    b->text = text;
    b->i = i;
    b->s = NULL;
    if (text) {
        b->s = rs_host->alloc(len + 1);
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
static void bind_pattern(rs_query *q, where_op op, const char *s)
{
    ratchet_buf p = RATCHET_BUF_INIT;
    ratchet_status st = RATCHET_OK;
    if (op != OP_STARTS)
        st = rs_host->buf_append(&p, "%", 1);
    for (; *s && st == RATCHET_OK; s++) {
        if (*s == '%' || *s == '_' || *s == '\\')
            st = rs_host->buf_append(&p, "\\", 1);
        if (st == RATCHET_OK)
            st = rs_host->buf_append(&p, s, 1);
    }
    if (st == RATCHET_OK && op != OP_ENDS)
        st = rs_host->buf_append(&p, "%", 1);
    if (st == RATCHET_OK)
        bind_push(q, 1, 0, p.data, p.len);
    else if (q->st == RATCHET_OK)
        q->st = st;
    rs_host->buf_free(&p);
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
static void field_names(char *out, size_t len, const rs_field *fields, int sort)
{
    size_t n = 0;
    out[0] = '\0';
    for (const rs_field *f = fields; f->name && n < len; f++)
        if (sort ? f->sort : 1)
            n += (size_t)snprintf(out + n, len - n, "%s%s", n ? ", " : "", f->name);
}

/* Refuse the query: set_error with the message, mark the query failed. */
static ratchet_status bad(ratchet_ctx *ctx, rs_query *q, const char *fmt, ...) RATCHET_PRINTF(3, 4);

static ratchet_status bad(ratchet_ctx *ctx, rs_query *q, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    rs_host->set_error(ctx, "%s", msg);
    q->st = RATCHET_ERR;
    return RATCHET_ERR;
}

static const rs_field *field_find(const rs_field *fields, const char *name)
{
    for (const rs_field *f = fields; f->name; f++)
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
static ratchet_status bind_scalar(ratchet_ctx *ctx, rs_query *q, const rs_field *f, json_object *v,
                                  const char *at)
{
    int is_int = json_object_is_type(v, json_type_int);
    int is_str = json_object_is_type(v, json_type_string);
    const char *s = is_str ? json_object_get_string(v) : NULL;
    int64_t n = is_int ? json_object_get_int64(v) : 0;
    char expect[256];
    switch (f->type) {
    case RS_FT_INT:
        if (is_int || (is_str && int_text(s, &n))) {
            bind_push(q, 0, n, NULL, 0);
            return RATCHET_OK;
        }
        return bad(ctx, q, "%s: %s must be an integer", at, f->name);
    case RS_FT_TIME:
        if ((is_int && n >= 0) || (is_str && rs_parse_rfc3339(s, &n) == 0)) {
            bind_push(q, 0, n, NULL, 0);
            return RATCHET_OK;
        }
        return bad(ctx, q, "%s: %s must be an RFC 3339 time or milliseconds since 1970", at,
                   f->name);
    case RS_FT_PRIORITY:
        if ((is_int && n >= 1 && n <= 4) || (is_str && priority_value(s, &n))) {
            bind_push(q, 0, n, NULL, 0);
            return RATCHET_OK;
        }
        return bad(ctx, q, "%s: %s must be low|normal|high|urgent|critical or 1..4", at, f->name);
    case RS_FT_ENUM:
        if (is_str) {
            for (const char *const *e = f->values; *e; e++)
                if (strcmp(*e, s) == 0) {
                    bind_push(q, 1, 0, s, strlen(s));
                    return RATCHET_OK;
                }
        }
        join(expect, sizeof expect, f->values);
        return bad(ctx, q, "%s: unknown %s '%s' (expected %s)", at, f->name,
                   is_str ? s : json_object_to_json_string(v), expect);
    case RS_FT_TEXT:
        if (is_str) {
            bind_push(q, 1, 0, s, strlen(s));
            return RATCHET_OK;
        }
        return bad(ctx, q, "%s: %s must be a string", at, f->name);
    }
    return RATCHET_ERR;
}

/* ---- conditions --------------------------------------------------------------------------- */

static ratchet_status cond_in(ratchet_ctx *ctx, rs_query *q, const rs_field *f, json_object *v,
                              const char *at)
{
    if (!json_object_is_type(v, json_type_array))
        return bad(ctx, q, "%s: in and not_in take an array value", at);
    size_t n = json_object_array_length(v);
    if (n > IN_MAX) {
        return bad(ctx, q, "%s: %zu values, more than the %d allowed", at, n, IN_MAX);
    }
    for (size_t i = 0; i < n && q->st == RATCHET_OK; i++) {
        sql_add(q, i ? ", ?" : "?");
        bind_scalar(ctx, q, f, json_object_array_get_idx(v, i), at);
    }
    if (n == 0)
        sql_add(q, "NULL"); /* x IN (NULL) matches nothing (NOT IN () was skipped) */
    sql_add(q, ")");
    return q->st;
}

/* Append "AND <field op ?>" (or WHERE) and bind its value. */
static ratchet_status cond_add(ratchet_ctx *ctx, rs_query *q, const rs_field *f, where_op op,
                               json_object *v, const char *at)
{
    int text_like = op == OP_LIKE || op == OP_STARTS || op == OP_ENDS;
    if (text_like && f->type != RS_FT_TEXT && f->type != RS_FT_ENUM)
        return bad(ctx, q, "%s: %s does not apply to %s (not text)", at, ops[op].name, f->name);
    if (text_like && !json_object_is_type(v, json_type_string))
        return bad(ctx, q, "%s: %s takes a string value", at, ops[op].name);
    if (!v && op != OP_EQ && op != OP_NE)
        return bad(ctx, q, "%s: %s takes a value, not null", at, ops[op].name);
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
        cond_in(ctx, q, f, v, at);
    } else {
        sql_add(q, text_like ? q->dialect->like : ops[op].sql);
        if (text_like)
            bind_pattern(q, op, json_object_get_string(v));
        else
            bind_scalar(ctx, q, f, v, at);
    }
    sql_add(q, f->pre ? ")" : "");
    return q->st;
}

static ratchet_status where_one(ratchet_ctx *ctx, rs_query *q, const rs_list_spec *spec,
                                json_object *item, const char *at)
{
    json_object *jf = NULL, *jo = NULL, *v = NULL;
    if (!json_object_is_type(item, json_type_object))
        return bad(ctx, q, "%s: expected an object {field, op, value}", at);
    json_object_object_get_ex(item, "field", &jf);
    json_object_object_get_ex(item, "op", &jo);
    if (!json_object_is_type(jf, json_type_string))
        return bad(ctx, q, "%s: \"field\" must be a string", at);
    if (jo && !json_object_is_type(jo, json_type_string))
        return bad(ctx, q, "%s: \"op\" must be a string", at);
    if (!json_object_object_get_ex(item, "value", &v))
        return bad(ctx, q, "%s: \"value\" is missing", at);
    const char *fname = json_object_get_string(jf);
    const rs_field *f = field_find(spec->fields, fname);
    if (!f) {
        char names[512];
        field_names(names, sizeof names, spec->fields, 0);
        return bad(ctx, q, "%s: unknown field '%s' (filters on %s)", at, fname, names);
    }
    const char *oname = jo ? json_object_get_string(jo) : "eq";
    for (int op = 0; op < OP_COUNT; op++)
        if (strcmp(ops[op].name, oname) == 0)
            return cond_add(ctx, q, f, (where_op)op, v, at);
    return bad(ctx, q,
               "%s: unknown op '%s' (expected eq, ne, like, starts_with, ends_with, in, not_in, "
               "gt, gte, lt, lte)",
               at, oname);
}

static ratchet_status where_parse(ratchet_ctx *ctx, rs_query *q, const rs_list_spec *spec,
                                  json_object *doc)
{
    json_object *w = NULL;
    char at[96];
    if (!json_object_object_get_ex(doc, "where", &w) || !w)
        return RATCHET_OK;
    if (!json_object_is_type(w, json_type_array))
        return bad(ctx, q, "%s: \"where\" must be an array of {field, op, value}", spec->what);
    size_t n = json_object_array_length(w);
    if (n > WHERE_MAX) {
        return bad(ctx, q, "%s: %zu conditions, more than the %d allowed", spec->what, n,
                   WHERE_MAX);
    }
    for (size_t i = 0; i < n && q->st == RATCHET_OK; i++) {
        snprintf(at, sizeof at, "%s: where[%zu]", spec->what, i);
        where_one(ctx, q, spec, json_object_array_get_idx(w, i), at);
    }
    return q->st;
}

/* The older filter keys: each an `eq` on the field of the same name, where the list has it.
 * As before, null and a jobId of 0 filter nothing. */
static ratchet_status legacy_parse(ratchet_ctx *ctx, rs_query *q, const rs_list_spec *spec,
                                   json_object *doc)
{
    static const char *const keys[] = {"status", "taskName", "jobId", NULL};
    for (int i = 0; keys[i] && q->st == RATCHET_OK; i++) {
        json_object *v = NULL;
        const rs_field *f = field_find(spec->fields, keys[i]);
        if (f && json_object_object_get_ex(doc, keys[i], &v) && v &&
            !(json_object_is_type(v, json_type_int) && json_object_get_int64(v) == 0))
            cond_add(ctx, q, f, OP_EQ, v, spec->what);
    }
    return q->st;
}

/* ---- sort and page ------------------------------------------------------------------------ */

static ratchet_status order_parse(ratchet_ctx *ctx, rs_query *q, const rs_list_spec *spec,
                                  json_object *doc)
{
    const char *sort = spec->sort, *order = NULL;
    ratchet_status s = rs_get_str(ctx, doc, spec->what, "sort", 0, &sort);
    if (s == RATCHET_OK)
        s = rs_get_str(ctx, doc, spec->what, "order", 0, &order);
    if (s != RATCHET_OK)
        return q->st = s;
    const rs_field *f = field_find(spec->fields, sort);
    if (!f || !f->sort) {
        char names[512];
        field_names(names, sizeof names, spec->fields, 1);
        return bad(ctx, q, "%s: cannot sort on '%s' (sorts on %s)", spec->what, sort, names);
    }
    int desc = spec->desc;
    if (order && (strcasecmp(order, "asc") == 0 || strcasecmp(order, "desc") == 0))
        desc = strcasecmp(order, "desc") == 0;
    else if (order)
        return bad(ctx, q, "%s: \"order\" must be asc or desc, not '%s'", spec->what, order);
    const char *dir = desc ? q->dialect->desc : q->dialect->asc;
    const char *expr = f->sort_expr ? f->sort_expr : f->column;
    /* text sorts in byte order in every dialect */
    const char *coll = f->type == RS_FT_TEXT || f->type == RS_FT_ENUM ? q->dialect->text_order : "";
    int n = strcmp(expr, spec->id) == 0
                ? snprintf(q->order, sizeof q->order, " ORDER BY %s%s%s", expr, coll, dir)
                : snprintf(q->order, sizeof q->order, " ORDER BY %s%s%s, %s%s", expr, coll, dir,
                           spec->id, dir);
    if (n < 0 || (size_t)n >= sizeof q->order) /* the table's own text: a programming error */
        return bad(ctx, q, "%s: sort expression for '%s' too long", spec->what, sort);
    return RATCHET_OK;
}

static ratchet_status page_parse(ratchet_ctx *ctx, rs_query *q, const rs_list_spec *spec,
                                 json_object *doc)
{
    q->limit = LIST_LIMIT_DEFAULT;
    q->offset = 0;
    ratchet_status s = rs_get_int(ctx, doc, spec->what, "limit", 0, &q->limit);
    if (s == RATCHET_OK)
        s = rs_get_int(ctx, doc, spec->what, "offset", 0, &q->offset);
    if (s != RATCHET_OK)
        return q->st = s;
    if (q->limit < 1 || q->limit > LIST_LIMIT_MAX) {
        return bad(ctx, q, "%s: limit must be 1..%d, got %lld", spec->what, LIST_LIMIT_MAX,
                   (long long)q->limit);
    }
    if (q->offset < 0) {
        return bad(ctx, q, "%s: offset must not be negative", spec->what);
    }
    return RATCHET_OK;
}

ratchet_status rs_query_parse(ratchet_ctx *ctx, const rs_dialect *dialect, const rs_list_spec *spec,
                              const char *json, int64_t base, rs_query *q)
{
    memset(q, 0, sizeof *q);
    q->dialect = dialect;
    q->where = (ratchet_buf)RATCHET_BUF_INIT;
    json_object *doc = NULL;
    q->st = rs_parse_object(ctx, json, spec->what, 1, &doc);
    if (q->st == RATCHET_OK && spec->base) {
        sql_add(q, " WHERE ");
        sql_add(q, spec->base);
        bind_push(q, 0, base, NULL, 0);
    }
    if (q->st == RATCHET_OK)
        where_parse(ctx, q, spec, doc);
    if (q->st == RATCHET_OK)
        legacy_parse(ctx, q, spec, doc);
    if (q->st == RATCHET_OK)
        order_parse(ctx, q, spec, doc);
    if (q->st == RATCHET_OK)
        page_parse(ctx, q, spec, doc);
    json_object_put(doc);
    if (q->st == RATCHET_NOMEM)
        rs_host->set_error(ctx, "out of memory");
    return q->st;
}

void rs_query_free(rs_query *q)
{
    for (size_t i = 0; i < q->nbinds; i++)
        rs_host->free(q->binds[i].s);
    rs_host->free(q->binds);
    rs_host->buf_free(&q->where);
    q->binds = NULL;
    q->nbinds = q->cap = 0;
}

/* ---- the statements ------------------------------------------------------------------- */

ratchet_status rs_query_count_sql(const rs_list_spec *spec, const rs_query *q, ratchet_buf *sql)
{
    return rs_host->buf_printf(sql, "SELECT count(*) FROM %s%s", spec->from,
                               q->where.data ? q->where.data : "");
}

ratchet_status rs_query_page_sql(const rs_list_spec *spec, const rs_query *q, ratchet_buf *sql)
{
    return rs_host->buf_printf(sql, "%sWHERE %s IN (SELECT %s FROM %s%s%s LIMIT ? OFFSET ?)%s",
                               spec->cols, spec->id, spec->id, spec->from,
                               q->where.data ? q->where.data : "", q->order, q->order);
}

void rs_list_open(rs_out *o)
{
    rs_out_begin(o, NULL, '{');
    rs_out_begin(o, "items", '[');
}

void rs_list_close(rs_out *o, int64_t total)
{
    rs_out_end(o, ']');
    rs_out_int(o, "total", total);
    rs_out_end(o, '}');
}
