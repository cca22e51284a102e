/*
 * plugins/api-rest/rest_query.c - list parameters: the query string of a list route becomes
 * the engine's query JSON (engine.h), compatible with the original's parameters:
 *
 *   page (>= 1) & limit (1..100, default 25), or _start & _end (_start < _end, span <= 100);
 *   _sort (a field, snake_case accepted) & _order (asc|desc, any case);
 *   any other key is a filter: `status=queued`, `name_like=add`, `id_in=1,2,3`, with the
 *   suffixes _like/_contains, _ne, _gt, _gte, _lt, _lte, _in, _not_in, _starts_with and
 *   _ends_with; `task_id` is the field taskId.
 *
 * Malformed or out-of-range pagination is refused with a message, not clamped: a client that
 * asks for 500 items and silently gets 100 would think it has seen them all. Unknown fields
 * are left to the engine, which names the allowed ones.
 */
#define _POSIX_C_SOURCE 200809L

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "rest.h"

#define PAGE_MAX  1000000000LL /* keeps (page - 1) * limit far from overflow */
#define FIELD_MAX 64

/* Suffix -> operator, longest suffixes first so "_not_in" is not read as "_in". */
static const struct {
    const char *suffix;
    const char *op;
} suffixes[] = {
    {"_starts_with", "starts_with"},
    {"_ends_with", "ends_with"},
    {"_contains", "like"},
    {"_not_in", "not_in"},
    {"_like", "like"},
    {"_gte", "gte"},
    {"_lte", "lte"},
    {"_ne", "ne"},
    {"_gt", "gt"},
    {"_lt", "lt"},
    {"_in", "in"},
};

/* Fields whose values are words the engine keeps in lower case (the original's clients send
 * QUEUED, HIGH). */
static const char *const lowercase_fields[] = {"status", "priority", "kind", "level", NULL};

void rest_camel_case(const char *in, char *out, size_t cap)
{
    size_t n = 0;
    int upper = 0;
    for (const char *p = in; *p && n + 1 < cap; p++) {
        if (*p == '_' && n > 0) {
            upper = 1;
            continue;
        }
        out[n++] = upper ? (char)toupper((unsigned char)*p) : *p;
        upper = 0;
    }
    out[n] = '\0';
}

/* A strict decimal integer in [lo, hi]; 0 when `s` is not one. */
static int parse_int(const char *s, long long lo, long long hi, long long *v)
{
    if (!s || !*s || !(isdigit((unsigned char)*s) || *s == '-'))
        return 0;
    errno = 0;
    char *end = NULL;
    *v = strtoll(s, &end, 10);
    return !errno && !*end && *v >= lo && *v <= hi;
}

/* page/limit or _start/_end into `page`; answers 400 and returns 0 when malformed. */
static int parse_page(const rest *r, ratchet_http_request *req, rest_page *page)
{
    const ratchet_http_api *h = r->http;
    const char *s_start = h->query(req, "_start"), *s_end = h->query(req, "_end");
    const char *s_page = h->query(req, "page"), *s_limit = h->query(req, "limit");
    long long start = 0, end = 0, pg = 1, limit = REST_LIMIT_DEFAULT;
    if (s_start || s_end) {
        if (s_start && !parse_int(s_start, 0, PAGE_MAX * REST_LIMIT_MAX, &start))
            return rest_invalid(r, req, "_start must be an integer >= 0, not '%s'", s_start);
        if (s_end && !parse_int(s_end, 1, PAGE_MAX * REST_LIMIT_MAX, &end))
            return rest_invalid(r, req, "_end must be an integer >= 1, not '%s'", s_end);
        if (!s_end)
            end = start + REST_LIMIT_DEFAULT;
        if (start >= end)
            return rest_invalid(r, req, "_start (%lld) must be less than _end (%lld)", start, end);
        if (end - start > REST_LIMIT_MAX)
            return rest_invalid(r, req, "_end - _start must be at most %d, not %lld",
                                REST_LIMIT_MAX, end - start);
        page->offset = start;
        page->limit = end - start;
        return 1;
    }
    if (s_page && !parse_int(s_page, 1, PAGE_MAX, &pg))
        return rest_invalid(r, req, "page must be an integer from 1 to %lld, not '%s'", PAGE_MAX,
                            s_page);
    if (s_limit && !parse_int(s_limit, 1, REST_LIMIT_MAX, &limit))
        return rest_invalid(r, req, "limit must be an integer from 1 to %d, not '%s'",
                            REST_LIMIT_MAX, s_limit);
    page->offset = (pg - 1) * limit;
    page->limit = limit;
    return 1;
}

/* A filter value from text: true/false and integers as JSON booleans and numbers (ids and
 * flags are typed in the records), anything else a string. */
static struct json_object *filter_scalar(const char *field, const char *op, const char *text)
{
    long long v;
    if (strcmp(op, "like") != 0 && strcmp(op, "starts_with") != 0 && strcmp(op, "ends_with") != 0) {
        if (strcmp(text, "true") == 0 || strcmp(text, "false") == 0)
            return json_object_new_boolean(strcmp(text, "true") == 0);
        if (parse_int(text, INT64_MIN, INT64_MAX, &v))
            return json_object_new_int64(v);
    }
    for (const char *const *f = lowercase_fields; *f; f++) {
        if (strcmp(*f, field) == 0) {
            char low[128];
            size_t n = 0;
            for (; text[n] && n + 1 < sizeof low; n++)
                low[n] = (char)tolower((unsigned char)text[n]);
            low[n] = '\0';
            return json_object_new_string(low);
        }
    }
    return json_object_new_string(text);
}

/* The value of an in/not_in filter: a comma list. */
static struct json_object *filter_list(const char *field, const char *text)
{
    struct json_object *arr = json_object_new_array();
    char *copy = strdup(text);
    if (!arr || !copy) {
        free(copy);
        json_object_put(arr);
        return NULL;
    }
    char *save = NULL;
    for (char *item = strtok_r(copy, ",", &save); item; item = strtok_r(NULL, ",", &save))
        json_object_array_add(arr, filter_scalar(field, "eq", item));
    free(copy);
    return arr;
}

/* One `key=value` as {field, op, value}. */
static struct json_object *filter_of(const char *key, const char *value)
{
    char name[FIELD_MAX], field[FIELD_MAX];
    const char *op = "eq";
    size_t klen = strlen(key);
    snprintf(name, sizeof name, "%s", key);
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        size_t slen = strlen(suffixes[i].suffix);
        if (klen > slen && klen < sizeof name &&
            strcmp(key + klen - slen, suffixes[i].suffix) == 0) {
            name[klen - slen] = '\0';
            op = suffixes[i].op;
            break;
        }
    }
    rest_camel_case(name, field, sizeof field);
    struct json_object *w = json_object_new_object();
    if (!w)
        return NULL;
    json_object_object_add(w, "field", json_object_new_string(field));
    json_object_object_add(w, "op", json_object_new_string(op));
    int is_list = strcmp(op, "in") == 0 || strcmp(op, "not_in") == 0;
    json_object_object_add(w, "value",
                           is_list ? filter_list(field, value) : filter_scalar(field, op, value));
    return w;
}

static int is_reserved(const char *key, const char *skip)
{
    static const char *const reserved[] = {"page",  "limit",  "_start", "_end",
                                           "_sort", "_order", NULL};
    for (const char *const *k = reserved; *k; k++) {
        if (strcmp(*k, key) == 0)
            return 1;
    }
    size_t n = strlen(key);
    for (const char *s = skip; s && *s;) {
        const char *bar = strchr(s, '|');
        size_t len = bar ? (size_t)(bar - s) : strlen(s);
        if (len == n && strncmp(s, key, n) == 0)
            return 1;
        s += len + (bar ? 1 : 0);
    }
    return 0;
}

/* _sort and _order into q; answers 400 on a bad order. */
static int add_sort(const rest *r, ratchet_http_request *req, struct json_object *q)
{
    const char *sort = r->http->query(req, "_sort"), *order = r->http->query(req, "_order");
    if (sort && *sort) {
        char field[FIELD_MAX];
        rest_camel_case(sort, field, sizeof field);
        json_object_object_add(q, "sort", json_object_new_string(field));
    }
    if (order) {
        if (strcasecmp(order, "asc") != 0 && strcasecmp(order, "desc") != 0)
            return rest_invalid(r, req, "_order must be asc or desc, not '%s'", order);
        json_object_object_add(
            q, "order", json_object_new_string(strcasecmp(order, "asc") == 0 ? "asc" : "desc"));
    }
    return 1;
}

int rest_list_query(const rest *r, ratchet_http_request *req, const char *skip, ratchet_buf *out,
                    rest_page *page)
{
    if (!parse_page(r, req, page))
        return 0;
    struct json_object *q = json_object_new_object(), *where = json_object_new_array();
    if (!q || !where) {
        json_object_put(q);
        json_object_put(where);
        rest_send_nomem(r, req);
        return 0;
    }
    json_object_object_add(q, "where", where);
    size_t n = r->http->query_count(req);
    for (size_t i = 0; i < n; i++) {
        const char *k = r->http->query_key_at(req, i), *v = r->http->query_value_at(req, i);
        if (k && v && *k && !is_reserved(k, skip))
            json_object_array_add(where, filter_of(k, v));
    }
    int ok = add_sort(r, req, q);
    if (ok) {
        json_object_object_add(q, "offset", json_object_new_int64(page->offset));
        json_object_object_add(q, "limit", json_object_new_int64(page->limit));
        const char *text = rest_json_text(q);
        if (rest_host->buf_append(out, text, strlen(text)) != RATCHET_OK) {
            rest_send_nomem(r, req);
            ok = 0;
        }
    }
    json_object_put(q);
    return ok;
}

ratchet_status rest_list_meta(ratchet_buf *out, const rest_page *page, int64_t total)
{
    int64_t limit = page->limit > 0 ? page->limit : 1;
    int64_t pages = (total + limit - 1) / limit;
    ratchet_status st = rest_host->buf_printf(
        out,
        "\"meta\":{\"pagination\":{\"page\":%lld,\"limit\":%lld,\"total\":%lld,"
        "\"totalPages\":%lld,\"hasNext\":%s,\"hasPrevious\":%s,\"offset\":%lld},"
        "\"timestamp\":",
        (long long)(page->offset / limit + 1), (long long)limit, (long long)total, (long long)pages,
        page->offset + limit < total ? "true" : "false", page->offset > 0 ? "true" : "false",
        (long long)page->offset);
    if (st == RATCHET_OK)
        st = rest_append_now(out);
    if (st == RATCHET_OK)
        st = rest_host->buf_append(out, "}", 1);
    return st;
}
