/* host/engine/api_query.c - list queries: parsed, checked against a list's fields, and applied
 * in memory to the lists the engine holds whole (tasks, schedules). See engine.h for the form. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api_int.h"
#include "core/core_layer.h"

#define RT_QUERY_MAX_WHERE 32

static const char *const ops[] = {"eq",     "ne", "like", "starts_with", "ends_with", "in",
                                  "not_in", "gt", "gte",  "lt",          "lte",       NULL};

static int listed(const char *const *names, const char *name)
{
    for (size_t i = 0; name && names[i]; i++)
        if (strcmp(names[i], name) == 0)
            return 1;
    return 0;
}

/* "a, b, c" */
static void join(ratchet_buf *b, const char *const *names)
{
    for (size_t i = 0; names[i]; i++)
        rt_buf_printf(b, "%s%s", i ? ", " : "", names[i]);
}

static ratchet_status invalid(ratchet_buf *out, size_t mark, const char *pointer,
                              const char *message)
{
    struct json_object *details = json_object_new_array();
    rt_api_detail(details, pointer, message);
    return rt_api_fail(out, mark, "VALIDATION_ERROR", details, "invalid query: %s", message);
}

/* Check where[i]; a message into why when it is wrong. */
static int check_condition(struct json_object *c, const char *const *fields, ratchet_buf *why)
{
    const char *field = rt_api_str(c, "field"), *op = rt_api_str(c, "op");
    struct json_object *value = rt_api_member(c, "value");
    if (!json_object_is_type(c, json_type_object)) {
        rt_buf_puts(why, "a condition is an object {field, op, value}");
    } else if (!listed(fields, field)) {
        rt_buf_printf(why, "cannot filter on '%s'; allowed fields: ", field ? field : "");
        join(why, fields);
    } else if (!listed(ops, op ? op : "eq")) {
        rt_buf_printf(why, "unknown op '%s'; allowed: ", op);
        join(why, ops);
    } else if (op && (strcmp(op, "in") == 0 || strcmp(op, "not_in") == 0) &&
               !json_object_is_type(value, json_type_array)) {
        rt_buf_printf(why, "op '%s' takes an array value", op);
    } else {
        return 0;
    }
    return -1;
}

static ratchet_status check_where(rt_query *q, const char *const *fields, ratchet_buf *out,
                                  size_t mark)
{
    q->where = rt_api_member(q->root, "where");
    if (!q->where)
        return RATCHET_OK;
    if (!json_object_is_type(q->where, json_type_array))
        return invalid(out, mark, "/where", "where must be an array of conditions");
    size_t n = json_object_array_length(q->where);
    if (n > RT_QUERY_MAX_WHERE)
        return invalid(out, mark, "/where", "too many conditions (at most 32)");
    for (size_t i = 0; i < n; i++) {
        ratchet_buf why = RATCHET_BUF_INIT;
        if (check_condition(json_object_array_get_idx(q->where, i), fields, &why) != 0) {
            char pointer[32];
            snprintf(pointer, sizeof pointer, "/where/%zu", i);
            ratchet_status rc = invalid(out, mark, pointer, why.data);
            rt_buf_free(&why);
            return rc;
        }
    }
    return RATCHET_OK;
}

/* offset >= 0, limit 1..1000 (default 25). */
static ratchet_status check_paging(rt_query *q, ratchet_buf *out, size_t mark)
{
    struct json_object *offset = rt_api_member(q->root, "offset");
    struct json_object *limit = rt_api_member(q->root, "limit");
    q->offset = 0;
    q->limit = 25;
    if (offset && (!json_object_is_type(offset, json_type_int) ||
                   (q->offset = json_object_get_int64(offset)) < 0))
        return invalid(out, mark, "/offset", "offset must be a whole number >= 0");
    if (limit && (!json_object_is_type(limit, json_type_int) ||
                  (q->limit = json_object_get_int64(limit)) < 1 || q->limit > 1000))
        return invalid(out, mark, "/limit", "limit must be a whole number from 1 to 1000");
    return RATCHET_OK;
}

ratchet_status rt_query_parse(const char *json, const char *const *filter_fields,
                              const char *const *sort_fields, const char *default_sort,
                              int default_desc, rt_query *q, ratchet_buf *out, size_t mark)
{
    memset(q, 0, sizeof *q);
    if (json && *json) {
        q->root = rt_api_parse_object(json, "query", out, mark);
        if (!q->root)
            return RATCHET_ERR;
    } else {
        q->root = json_object_new_object();
    }
    ratchet_status rc = check_where(q, filter_fields, out, mark);
    if (rc == RATCHET_OK)
        rc = check_paging(q, out, mark);
    q->sort = rt_api_str(q->root, "sort");
    const char *order = rt_api_str(q->root, "order");
    if (rc == RATCHET_OK && q->sort && !listed(sort_fields, q->sort)) {
        ratchet_buf why = RATCHET_BUF_INIT;
        rt_buf_printf(&why, "cannot sort on '%s'; allowed fields: ", q->sort);
        join(&why, sort_fields);
        rc = invalid(out, mark, "/sort", why.data);
        rt_buf_free(&why);
    } else if (rc == RATCHET_OK && order && strcasecmp(order, "asc") != 0 &&
               strcasecmp(order, "desc") != 0) {
        rc = invalid(out, mark, "/order", "order must be asc or desc");
    }
    if (!q->sort)
        q->sort = default_sort;
    q->desc = order ? strcasecmp(order, "desc") == 0
                    : (rt_api_member(q->root, "sort") ? 0 : default_desc);
    if (rc != RATCHET_OK)
        rt_query_free(q);
    return rc;
}

void rt_query_free(rt_query *q)
{
    json_object_put(q->root);
    memset(q, 0, sizeof *q);
}

struct json_object *rt_query_normalised(const rt_query *q)
{
    struct json_object *o = json_object_new_object();
    json_object_object_add(o, "where",
                           q->where ? json_object_get(q->where) : json_object_new_array());
    json_object_object_add(o, "sort", json_object_new_string(q->sort));
    json_object_object_add(o, "order", json_object_new_string(q->desc ? "desc" : "asc"));
    json_object_object_add(o, "offset", json_object_new_int64(q->offset));
    json_object_object_add(o, "limit", json_object_new_int64(q->limit));
    return o;
}

/* ---- matching and sorting in memory --------------------------------------------------------- */

static int is_number(struct json_object *v)
{
    return json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double);
}

/* <0, 0, >0 like strcmp; numbers by value, booleans as 0/1, null first, else the text. */
static int compare(struct json_object *a, struct json_object *b)
{
    if (!a || !b)
        return (a != NULL) - (b != NULL);
    if (is_number(a) && is_number(b)) {
        double x = json_object_get_double(a), y = json_object_get_double(b);
        return (x > y) - (x < y);
    }
    if (json_object_is_type(a, json_type_boolean) && json_object_is_type(b, json_type_boolean))
        return json_object_get_boolean(a) - json_object_get_boolean(b);
    return strcmp(json_object_get_string(a), json_object_get_string(b));
}

static int contains_ci(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; *hay; hay++)
        if (strncasecmp(hay, needle, n) == 0)
            return 1;
    return n == 0;
}

static int in_array(struct json_object *v, struct json_object *list)
{
    for (size_t i = 0; i < json_object_array_length(list); i++)
        if (compare(v, json_object_array_get_idx(list, i)) == 0)
            return 1;
    return 0;
}

static int match_one(struct json_object *item, struct json_object *c)
{
    const char *op = rt_api_str(c, "op") ? rt_api_str(c, "op") : "eq";
    struct json_object *v = rt_api_member(item, rt_api_str(c, "field"));
    struct json_object *want = rt_api_member(c, "value");
    const char *text = v ? json_object_get_string(v) : "";
    const char *wtext = want ? json_object_get_string(want) : "";
    size_t tl = strlen(text), wl = strlen(wtext);
    if (strcmp(op, "eq") == 0)
        return compare(v, want) == 0;
    if (strcmp(op, "ne") == 0)
        return compare(v, want) != 0;
    if (strcmp(op, "like") == 0)
        return v && contains_ci(text, wtext);
    if (strcmp(op, "starts_with") == 0)
        return v && strncmp(text, wtext, wl) == 0;
    if (strcmp(op, "ends_with") == 0)
        return v && tl >= wl && strcmp(text + tl - wl, wtext) == 0;
    if (strcmp(op, "in") == 0)
        return in_array(v, want);
    if (strcmp(op, "not_in") == 0)
        return !in_array(v, want);
    if (!v || !want)
        return 0; /* null is not ordered against values */
    int r = compare(v, want);
    return strcmp(op, "gt") == 0    ? r > 0
           : strcmp(op, "gte") == 0 ? r >= 0
           : strcmp(op, "lt") == 0  ? r < 0
                                    : r <= 0;
}

static int matches(const rt_query *q, struct json_object *item)
{
    for (size_t i = 0; q->where && i < json_object_array_length(q->where); i++)
        if (!match_one(item, json_object_array_get_idx(q->where, i)))
            return 0;
    return 1;
}

typedef struct sort_item {
    struct json_object *item;
    size_t index; /* stable order for equal keys */
} sort_item;

static const rt_query *sorting; /* qsort has no context argument; guarded by sort_lock */
static pthread_mutex_t sort_lock = PTHREAD_MUTEX_INITIALIZER;

static int by_key(const void *pa, const void *pb)
{
    const sort_item *a = pa, *b = pb;
    int r = compare(rt_api_member(a->item, sorting->sort), rt_api_member(b->item, sorting->sort));
    if (sorting->desc)
        r = -r;
    return r ? r : (a->index > b->index) - (a->index < b->index);
}

ratchet_status rt_query_apply(const rt_query *q, struct json_object *items, ratchet_buf *out)
{
    size_t n = json_object_array_length(items), kept = 0;
    sort_item *all = calloc(n ? n : 1, sizeof *all);
    if (!all)
        return RATCHET_NOMEM;
    for (size_t i = 0; i < n; i++) {
        struct json_object *item = json_object_array_get_idx(items, i);
        if (matches(q, item))
            all[kept++] = (sort_item){item, i};
    }
    if (q->sort) {
        pthread_mutex_lock(&sort_lock);
        sorting = q;
        qsort(all, kept, sizeof *all, by_key);
        pthread_mutex_unlock(&sort_lock);
    }
    struct json_object *page = json_object_new_array();
    for (size_t i = (size_t)q->offset; i < kept && i < (size_t)(q->offset + q->limit); i++)
        json_object_array_add(page, json_object_get(all[i].item));
    struct json_object *res = json_object_new_object();
    json_object_object_add(res, "items", page);
    json_object_object_add(res, "total", json_object_new_int64((int64_t)kept));
    ratchet_status rc = rt_api_put(out, res);
    json_object_put(res);
    free(all);
    return rc;
}
