/*
 * plugins/api-mcp/mcp_query.c - the reading tools: tasks, executions, jobs and schedules
 * (paged, table-driven over the engine's list calls), one execution's status, logs and trace,
 * and ratchet_store_result / ratchet_get_results.
 *
 * Stored results live in this process's memory (mcp.results, under mcp.lock, the newest
 * MAX_RESULTS): the engine interface has no storage call for them yet.
 */
#define _POSIX_C_SOURCE 200809L

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mcp.h"

#define MAX_RESULTS   1000
#define DEFAULT_LIMIT 50

typedef ratchet_status (*list_fn)(const char *query_json, ratchet_buf *out);

int64_t mcp_arg_int(struct json_object *args, const char *key, int64_t def)
{
    struct json_object *v = NULL;
    if (!json_object_object_get_ex(args, key, &v) || !v)
        return def;
    if (json_object_is_type(v, json_type_int))
        return json_object_get_int64(v) < 0 ? -1 : json_object_get_int64(v);
    const char *s = json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
    char *end = NULL;
    long long n = s && *s ? strtoll(s, &end, 10) : -1;
    return end && !*end && n >= 0 ? n : -1;
}

struct json_object *mcp_engine_json(ratchet_status st, ratchet_buf *out, const char *what,
                                    struct json_object **err)
{
    struct json_object *o = st == RATCHET_OK ? mcp_from_text(out->data) : NULL;
    if (st != RATCHET_OK)
        *err = mcp_tool_engine_error(what, out->data);
    else if (!o)
        *err = mcp_tool_error(NULL, "%s: the engine's answer is not JSON", what);
    mcp_host->buf_free(out);
    return o;
}

/* ---- paged lists ------------------------------------------------------------------------------
 */

typedef struct filter {
    const char *arg;   /* tool argument */
    const char *field; /* engine field ("" for task_id: taskId or taskName) */
    const char *op;
} filter;

typedef struct listing {
    size_t fn; /* offset of the engine's list call */
    const char *what;
    const char *sort;
    filter filters[4];
} listing;

static void add_where(struct json_object *where, const char *field, const char *op,
                      struct json_object *value)
{
    struct json_object *w = json_object_new_object();
    json_object_object_add(w, "field", json_object_new_string(field));
    json_object_object_add(w, "op", json_object_new_string(op));
    json_object_object_add(w, "value", value);
    json_object_array_add(where, w);
}

/* The engine query for `args`, or NULL with *err. */
static struct json_object *build_query(const listing *l, struct json_object *args,
                                       struct json_object **err, int64_t *page, int64_t *limit)
{
    *page = mcp_arg_int(args, "page", 0);
    *limit = mcp_arg_int(args, "limit", DEFAULT_LIMIT);
    if (*page < 0 || *limit < 1 || *limit > 1000) {
        *err = mcp_tool_error(NULL, "page must be 0 or more and limit 1 to 1000");
        return NULL;
    }
    struct json_object *q = json_object_new_object(), *where = json_object_new_array(), *v;
    for (const filter *f = l->filters; f->arg; f++) {
        if (!json_object_object_get_ex(args, f->arg, &v) || !v)
            continue;
        const char *s = json_object_get_string(v);
        if (*f->field)
            add_where(where, f->field, f->op, json_object_get(v));
        else if (json_object_is_type(v, json_type_int) || strspn(s, "0123456789") == strlen(s))
            add_where(where, "taskId", "eq", json_object_new_int64(json_object_get_int64(v)));
        else
            add_where(where, "taskName", "eq", json_object_new_string(s));
    }
    json_object_object_add(q, "where", where);
    json_object_object_add(q, "sort", json_object_new_string(l->sort));
    json_object_object_add(q, "order",
                           json_object_new_string(strcmp(l->sort, "name") ? "desc" : "asc"));
    json_object_object_add(q, "offset", json_object_new_int64(*page * *limit));
    json_object_object_add(q, "limit", json_object_new_int64(*limit));
    return q;
}

static struct json_object *pagination(int64_t page, int64_t limit, int64_t total)
{
    struct json_object *p = json_object_new_object();
    int64_t pages = (total + limit - 1) / limit;
    json_object_object_add(p, "page", json_object_new_int64(page));
    json_object_object_add(p, "limit", json_object_new_int64(limit));
    json_object_object_add(p, "total_count", json_object_new_int64(total));
    json_object_object_add(p, "total_pages", json_object_new_int64(pages));
    json_object_object_add(p, "has_next", json_object_new_boolean(page + 1 < pages));
    json_object_object_add(p, "has_previous", json_object_new_boolean(page > 0));
    return p;
}

/* Run a listing; the engine's {items, total} as {<what>: items, pagination}. */
static struct json_object *run_listing(mcp_call *c, const listing *l, struct json_object *args,
                                       struct json_object **items_out)
{
    struct json_object *err = NULL, *items = NULL, *total = NULL;
    int64_t page = 0, limit = 0;
    struct json_object *q = build_query(l, args, &err, &page, &limit);
    if (!q)
        return err;
    list_fn fn = *(const list_fn *)(const void *)((const char *)c->m->eng + l->fn);
    ratchet_buf out = RATCHET_BUF_INIT;
    struct json_object *list = mcp_engine_json(fn(mcp_text(q, NULL), &out), &out, l->what, &err);
    json_object_put(q);
    if (!list)
        return err;
    json_object_object_get_ex(list, "items", &items);
    json_object_object_get_ex(list, "total", &total);
    struct json_object *r = json_object_new_object();
    json_object_object_add(r, l->what, items ? json_object_get(items) : json_object_new_array());
    json_object_object_add(r, "pagination", pagination(page, limit, json_object_get_int64(total)));
    json_object_put(list);
    if (items_out) {
        json_object_object_get_ex(r, l->what, items_out);
        return r;
    }
    return mcp_tool_ok(r);
}

static const listing tasks_listing = {offsetof(ratchet_engine_api, tasks_list),
                                      "tasks",
                                      "name",
                                      {{"filter", "name", "like"}, {NULL, NULL, NULL}}};
static const listing executions_listing = {
    offsetof(ratchet_engine_api, executions_list),
    "executions",
    "id",
    {{"task_id", "", "eq"}, {"status", "status", "eq"}, {NULL, NULL, NULL}}};
static const listing jobs_listing = {offsetof(ratchet_engine_api, jobs_list),
                                     "jobs",
                                     "id",
                                     {{"task_id", "", "eq"},
                                      {"status", "status", "eq"},
                                      {"priority", "priority", "eq"},
                                      {NULL, NULL, NULL}}};
static const listing schedules_listing = {
    offsetof(ratchet_engine_api, schedules_list),
    "schedules",
    "id",
    {{"task_id", "", "eq"}, {"enabled", "enabled", "eq"}, {NULL, NULL, NULL}}};

struct json_object *mcp_tool_list_tasks(mcp_call *c, struct json_object *args)
{
    struct json_object *items = NULL, *v = NULL;
    struct json_object *r = run_listing(c, &tasks_listing, args, &items);
    if (!items)
        return r; /* an error result */
    int schemas =
        json_object_object_get_ex(args, "include_schemas", &v) && json_object_get_boolean(v);
    for (size_t i = 0; !schemas && i < mcp_array_len(items); i++) {
        json_object_object_del(json_object_array_get_idx(items, i), "inputSchema");
        json_object_object_del(json_object_array_get_idx(items, i), "outputSchema");
    }
    return mcp_tool_ok(r);
}

struct json_object *mcp_tool_list_executions(mcp_call *c, struct json_object *args)
{
    return run_listing(c, &executions_listing, args, NULL);
}

struct json_object *mcp_tool_list_jobs(mcp_call *c, struct json_object *args)
{
    return run_listing(c, &jobs_listing, args, NULL);
}

struct json_object *mcp_tool_list_schedules(mcp_call *c, struct json_object *args)
{
    return run_listing(c, &schedules_listing, args, NULL);
}

/* ---- one execution ----------------------------------------------------------------------------
 */

/* execution_id as a number, or 0 after setting *err. */
static int64_t execution_id(struct json_object *args, struct json_object **err)
{
    int64_t id = mcp_arg_int(args, "execution_id", 0);
    if (id <= 0)
        *err = mcp_tool_error(NULL, "execution_id is required: the execution's id (a number)");
    return id > 0 ? id : 0;
}

struct json_object *mcp_tool_status(mcp_call *c, struct json_object *args)
{
    struct json_object *err = NULL;
    int64_t id = execution_id(args, &err);
    if (!id)
        return err;
    ratchet_buf out = RATCHET_BUF_INIT;
    struct json_object *rec =
        mcp_engine_json(c->m->eng->execution_get(id, &out), &out, "execution", &err);
    return rec ? mcp_tool_ok(rec) : err;
}

/* The execution's log entries of `kind` (optionally of `level`), at most `limit`. */
static struct json_object *log_items(mcp_call *c, int64_t id, const char *kind, const char *level,
                                     int64_t limit, struct json_object **err)
{
    struct json_object *q = json_object_new_object(), *where = json_object_new_array(),
                       *items = NULL;
    add_where(where, "kind", "eq", json_object_new_string(kind));
    if (level)
        add_where(where, "level", "eq", json_object_new_string(level));
    json_object_object_add(q, "where", where);
    json_object_object_add(q, "limit", json_object_new_int64(limit));
    ratchet_buf out = RATCHET_BUF_INIT;
    struct json_object *list = mcp_engine_json(
        c->m->eng->execution_logs(id, mcp_text(q, NULL), &out), &out, "execution logs", err);
    json_object_put(q);
    if (list && json_object_object_get_ex(list, "items", &items))
        items = json_object_get(items);
    else if (list)
        items = json_object_new_array();
    json_object_put(list);
    return items;
}

struct json_object *mcp_tool_logs(mcp_call *c, struct json_object *args)
{
    struct json_object *err = NULL;
    int64_t id = execution_id(args, &err), limit = mcp_arg_int(args, "limit", 100);
    if (!id)
        return err;
    if (limit < 1 || limit > 1000)
        return mcp_tool_error(NULL, "limit must be 1 to 1000");
    const char *format = mcp_get_string(args, "format");
    struct json_object *items = log_items(c, id, "log", mcp_get_string(args, "level"), limit, &err);
    if (!items)
        return err;
    struct json_object *r = json_object_new_object();
    json_object_object_add(r, "executionId", json_object_new_int64(id));
    if (format && strcmp(format, "text") == 0) {
        ratchet_buf text = RATCHET_BUF_INIT;
        for (size_t i = 0; i < mcp_array_len(items); i++) {
            struct json_object *e = json_object_array_get_idx(items, i);
            const char *t = mcp_get_string(e, "time"), *l = mcp_get_string(e, "level"),
                       *msg = mcp_get_string(e, "message");
            mcp_host->buf_printf(&text, "%s %s %s\n", t ? t : "-", l ? l : "info", msg ? msg : "");
        }
        json_object_object_add(r, "text", json_object_new_string(text.data ? text.data : ""));
        mcp_host->buf_free(&text);
        json_object_put(items);
    } else {
        json_object_object_add(r, "logs", items);
    }
    return mcp_tool_ok(r);
}

struct json_object *mcp_tool_trace(mcp_call *c, struct json_object *args)
{
    struct json_object *err = NULL, *v = NULL;
    int64_t id = execution_id(args, &err);
    if (!id)
        return err;
    ratchet_buf out = RATCHET_BUF_INIT;
    struct json_object *rec =
        mcp_engine_json(c->m->eng->execution_get(id, &out), &out, "execution", &err);
    struct json_object *calls = rec ? log_items(c, id, "fetch", NULL, 1000, &err) : NULL;
    if (!calls) {
        json_object_put(rec);
        return err;
    }
    struct json_object *r = json_object_new_object();
    static const char *const keys[] = {"id",        "jobId",       "taskName",   "status",
                                       "startedAt", "completedAt", "durationMs", NULL};
    for (const char *const *k = keys; *k; k++)
        if (json_object_object_get_ex(rec, *k, &v))
            json_object_object_add(r, strcmp(*k, "id") ? *k : "executionId", json_object_get(v));
    int64_t http_ms = 0;
    for (size_t i = 0; i < mcp_array_len(calls); i++) {
        struct json_object *e = json_object_array_get_idx(calls, i);
        if (json_object_object_get_ex(e, "durationMs", &v))
            http_ms += json_object_get_int64(v);
        json_object_object_del(e, "kind");
        json_object_object_del(e, "level");
        json_object_object_del(e, "message");
    }
    json_object_object_add(r, "httpCallCount",
                           json_object_new_int64((int64_t)mcp_array_len(calls)));
    json_object_object_add(r, "httpTotalMs", json_object_new_int64(http_ms));
    if (!json_object_object_get_ex(args, "include_http_calls", &v) || json_object_get_boolean(v))
        json_object_object_add(r, "httpCalls", calls);
    else
        json_object_put(calls);
    json_object_put(rec);
    return mcp_tool_ok(r);
}

/* ---- stored results (in memory) -----------------------------------------------------------------
 */

struct json_object *mcp_tool_store_result(mcp_call *c, struct json_object *args)
{
    struct json_object *task = NULL, *input = NULL, *output = NULL;
    if (!json_object_object_get_ex(args, "task_id", &task) || !task ||
        !json_object_object_get_ex(args, "input", &input) ||
        !json_object_object_get_ex(args, "output", &output))
        return mcp_tool_error(NULL, "task_id, input and output are required");
    mcp *m = c->m;
    struct json_object *rec = json_object_new_object();
    ratchet_buf at = RATCHET_BUF_INIT;
    mcp_host->buf_time_iso8601(&at, mcp_host->now_us());
    json_object_object_add(rec, "task_id", json_object_get(task));
    json_object_object_add(rec, "input", json_object_get(input));
    json_object_object_add(rec, "output", json_object_get(output));
    json_object_object_add(rec, "stored_at", json_object_new_string(at.data ? at.data : ""));
    mcp_host->buf_free(&at);
    pthread_mutex_lock(&m->lock);
    int64_t id = ++m->next_result_id;
    json_object_object_add(rec, "id", json_object_new_int64(id));
    if (mcp_array_len(m->results) >= MAX_RESULTS)
        json_object_array_del_idx(m->results, 0, 1);
    struct json_object *copy = NULL; /* no sharing across threads: json-c counts are not atomic */
    json_object_deep_copy(rec, &copy, NULL);
    json_object_array_add(m->results, copy);
    pthread_mutex_unlock(&m->lock);
    json_object_object_add(rec, "note",
                           json_object_new_string("kept in this server's memory until it stops"));
    return mcp_tool_ok(rec);
}

struct json_object *mcp_tool_get_results(mcp_call *c, struct json_object *args)
{
    int64_t page = mcp_arg_int(args, "page", 0), limit = mcp_arg_int(args, "limit", DEFAULT_LIMIT);
    if (page < 0 || limit < 1 || limit > 1000)
        return mcp_tool_error(NULL, "page must be 0 or more and limit 1 to 1000");
    struct json_object *want = NULL, *v = NULL, *list = json_object_new_array();
    json_object_object_get_ex(args, "task_id", &want);
    int64_t seen = 0;
    pthread_mutex_lock(&c->m->lock);
    for (size_t i = mcp_array_len(c->m->results); i-- > 0;) {
        struct json_object *rec = json_object_array_get_idx(c->m->results, i);
        json_object_object_get_ex(rec, "task_id", &v);
        if (want && strcmp(json_object_get_string(want), json_object_get_string(v)) != 0)
            continue;
        struct json_object *copy = NULL;
        if (seen >= page * limit && seen < (page + 1) * limit &&
            json_object_deep_copy(rec, &copy, NULL) == 0)
            json_object_array_add(list, copy);
        seen++;
    }
    pthread_mutex_unlock(&c->m->lock);
    struct json_object *r = json_object_new_object();
    json_object_object_add(r, "results", list);
    json_object_object_add(r, "pagination", pagination(page, limit, seen));
    return mcp_tool_ok(r);
}
