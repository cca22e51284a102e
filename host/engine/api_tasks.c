/* host/engine/api_tasks.c - tasks through ratchet.engine: list, get, versions, enable, sync; and
 * the task-version cache that jobs and schedules resolve against. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_int.h"
#include "core/core_layer.h"

/* ---- the version cache -------------------------------------------------------------------- */

static api_version *cached(rt_api *a, int64_t id)
{
    api_version *found = NULL;
    pthread_mutex_lock(&a->cache_lock);
    for (size_t i = 0; i < a->nversions && !found; i++)
        if (a->versions[i]->id == id)
            found = a->versions[i];
    pthread_mutex_unlock(&a->cache_lock);
    return found;
}

static void version_free(api_version *v)
{
    if (!v)
        return;
    json_object_put(v->rec);
    free(v->text);
    rt_schema_free(v->input);
    free(v->input_error);
    free(v);
}

/* Keep v unless another thread cached the same version first; returns the kept one. */
static api_version *cache_add(rt_api *a, api_version *v)
{
    pthread_mutex_lock(&a->cache_lock);
    for (size_t i = 0; i < a->nversions; i++)
        if (a->versions[i]->id == v->id) {
            api_version *first = a->versions[i];
            pthread_mutex_unlock(&a->cache_lock);
            version_free(v);
            return first;
        }
    api_version **grown = realloc(a->versions, (a->nversions + 1) * sizeof *grown);
    if (grown) {
        a->versions = grown;
        a->versions[a->nversions++] = v;
    }
    pthread_mutex_unlock(&a->cache_lock);
    if (!grown) {
        version_free(v);
        return NULL;
    }
    return v;
}

void rt_api_versions_free(rt_api *a)
{
    for (size_t i = 0; i < a->nversions; i++)
        version_free(a->versions[i]);
    free(a->versions);
    a->versions = NULL;
    a->nversions = 0;
}

/* Version `id`, fetched and compiled once. NULL with the error written to out. */
static const api_version *version_get(rt_api *a, int64_t id, ratchet_buf *out, size_t mark)
{
    api_version *v = cached(a, id);
    if (v)
        return v;
    ratchet_buf text = RATCHET_BUF_INIT;
    rt_error_clear();
    ratchet_status rc = a->vt->task_version_get(a->si, id, &text);
    struct json_object *rec = rc == RATCHET_OK && text.data ? json_tokener_parse(text.data) : NULL;
    rt_buf_free(&text);
    if (rc != RATCHET_OK || !rec) {
        rt_api_storage_fail(out, mark, rc == RATCHET_OK ? RATCHET_ERR : rc, "task version");
        return NULL;
    }
    json_object_object_del(rec, "program");
    v = calloc(1, sizeof *v);
    if (!v) {
        json_object_put(rec);
        rt_api_fail(out, mark, "INTERNAL_ERROR", NULL, "out of memory");
        return NULL;
    }
    v->id = id;
    v->rec = rec;
    v->text = strdup(
        json_object_to_json_string_ext(rec, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
    struct json_object *schema = rt_api_member(rec, "inputSchema");
    rt_error err;
    if (schema && !(v->input = rt_schema_compile(schema, NULL, NULL, NULL, &err)))
        v->input_error = strdup(err.msg);
    if (!(v = cache_add(a, v)))
        rt_api_fail(out, mark, "INTERNAL_ERROR", NULL, "out of memory");
    return v;
}

/* ---- the task list ----------------------------------------------------------------------- */

/* storage task_list, parsed; NULL with the error written. */
static struct json_object *load_tasks(rt_api *a, ratchet_buf *out, size_t mark)
{
    ratchet_buf text = RATCHET_BUF_INIT;
    rt_error_clear();
    ratchet_status rc = a->vt->task_list(a->si, &text);
    struct json_object *list = rc == RATCHET_OK && text.data ? json_tokener_parse(text.data) : NULL;
    rt_buf_free(&text);
    if (!json_object_is_type(list, json_type_array)) {
        json_object_put(list);
        rt_api_storage_fail(out, mark, rc == RATCHET_OK ? RATCHET_ERR : rc, "listing tasks");
        return NULL;
    }
    return list;
}

/* The entry of `ref` (a decimal id or a name) in the storage's task list, borrowed. */
static struct json_object *find_task(struct json_object *list, const char *ref)
{
    char *end;
    errno = 0;
    long long id = ref ? strtoll(ref, &end, 10) : 0;
    int numeric = ref && *ref && !*end && !errno;
    for (size_t i = 0; ref && i < json_object_array_length(list); i++) {
        struct json_object *t = json_object_array_get_idx(list, i);
        struct json_object *tid = rt_api_member(t, "id");
        const char *name = rt_api_str(t, "name");
        if ((numeric && tid && json_object_get_int64(tid) == id) || (name && !strcmp(name, ref)))
            return t;
    }
    return NULL;
}

/* The id of version `version` (NULL: latestVersion) of a task-list entry; 0 when none. */
static int64_t version_id_of(struct json_object *t, const char *version)
{
    const char *want = version ? version : rt_api_str(t, "latestVersion");
    struct json_object *vs = rt_api_member(t, "versions");
    for (size_t k = 0; want && k < json_object_array_length(vs); k++) {
        struct json_object *v = json_object_array_get_idx(vs, k);
        const char *ver = rt_api_str(v, "version");
        if (ver && strcmp(ver, want) == 0)
            return json_object_get_int64(rt_api_member(v, "id"));
    }
    return 0;
}

static struct json_object *copy_member(struct json_object *o, const char *key)
{
    return json_object_get(rt_api_member(o, key));
}

/* The API's task record from a task-list entry (schemas from its latest version). */
static struct json_object *task_record(rt_api *a, struct json_object *t, ratchet_buf *out,
                                       size_t mark)
{
    const api_version *latest = version_get(a, version_id_of(t, NULL), out, mark);
    if (!latest)
        return NULL;
    struct json_object *r = json_object_new_object(), *names = json_object_new_array();
    const char *created = NULL, *updated = NULL;
    struct json_object *vs = rt_api_member(t, "versions");
    for (size_t k = 0; k < json_object_array_length(vs); k++) {
        struct json_object *v = json_object_array_get_idx(vs, k);
        const char *at = rt_api_str(v, "createdAt");
        json_object_array_add(names, copy_member(v, "version"));
        if (at && (!created || strcmp(at, created) < 0))
            created = at;
        if (at && (!updated || strcmp(at, updated) > 0))
            updated = at;
    }
    json_object_object_add(r, "id", copy_member(t, "id"));
    json_object_object_add(r, "uuid", copy_member(t, "uuid"));
    json_object_object_add(r, "name", copy_member(t, "name"));
    json_object_object_add(r, "description", copy_member(t, "description"));
    json_object_object_add(r, "version", copy_member(t, "latestVersion"));
    json_object_object_add(r, "enabled", copy_member(t, "enabled"));
    json_object_object_add(r, "tags", copy_member(t, "tags"));
    json_object_object_add(r, "availableVersions", names);
    /* latest->rec is the shared cache's: copied, not referenced (rt_api_member_copy). */
    json_object_object_add(r, "inputSchema", rt_api_member_copy(latest->rec, "inputSchema"));
    json_object_object_add(r, "outputSchema", rt_api_member_copy(latest->rec, "outputSchema"));
    json_object_object_add(r, "createdAt", created ? json_object_new_string(created) : NULL);
    json_object_object_add(r, "updatedAt", updated ? json_object_new_string(updated) : NULL);
    return r;
}

static const char *const task_fields[] = {"id",      "name",      "description", "version",
                                          "enabled", "createdAt", "updatedAt",   NULL};

static ratchet_status tasks_list(const char *query_json, ratchet_buf *out)
{
    size_t mark = out->len;
    rt_api *a = rt_api_enter(out, mark);
    if (!a)
        return RATCHET_ERR;
    rt_query q;
    if (rt_query_parse(query_json, task_fields, task_fields, "name", 0, &q, out, mark) !=
        RATCHET_OK)
        return RATCHET_ERR;
    struct json_object *list = load_tasks(a, out, mark), *records = json_object_new_array();
    ratchet_status rc = list ? RATCHET_OK : RATCHET_ERR;
    for (size_t i = 0; rc == RATCHET_OK && i < json_object_array_length(list); i++) {
        struct json_object *r = task_record(a, json_object_array_get_idx(list, i), out, mark);
        if (r)
            json_object_array_add(records, r);
        else
            rc = RATCHET_ERR;
    }
    if (rc == RATCHET_OK)
        rc = rt_query_apply(&q, records, out);
    json_object_put(records);
    json_object_put(list);
    rt_query_free(&q);
    return rc;
}

/* The entry for `ref` in a fresh task list (*list: the caller puts it); NULL with NOT_FOUND. */
static struct json_object *task_entry(rt_api *a, const char *ref, struct json_object **list,
                                      ratchet_buf *out, size_t mark)
{
    *list = load_tasks(a, out, mark);
    struct json_object *t = *list ? find_task(*list, ref) : NULL;
    if (*list && !t)
        rt_api_fail(out, mark, "NOT_FOUND", NULL, "no task '%s'", ref ? ref : "");
    return t;
}

static ratchet_status task_get(const char *ref, ratchet_buf *out)
{
    size_t mark = out->len;
    rt_api *a = rt_api_enter(out, mark);
    if (!a)
        return RATCHET_ERR;
    struct json_object *list, *t = task_entry(a, ref, &list, out, mark);
    struct json_object *r = t ? task_record(a, t, out, mark) : NULL;
    ratchet_status rc = r ? rt_api_put(out, r) : list && !t ? RATCHET_NOTFOUND : RATCHET_ERR;
    json_object_put(r);
    json_object_put(list);
    return rc;
}

static ratchet_status task_version(const char *ref, const char *version, ratchet_buf *out)
{
    size_t mark = out->len;
    rt_api *a = rt_api_enter(out, mark);
    if (!a)
        return RATCHET_ERR;
    const api_version *v;
    ratchet_status rc = rt_api_resolve(a, ref, version, NULL, &v, out, mark);
    if (rc == RATCHET_OK && v && !v->text)
        return rt_api_fail(out, mark, "INTERNAL_ERROR", NULL, "out of memory");
    return rc == RATCHET_OK && v ? rt_buf_puts(out, v->text) : rc;
}

static ratchet_status task_set_enabled(const char *ref, int enabled, ratchet_buf *out)
{
    size_t mark = out->len;
    rt_api *a = rt_api_enter(out, mark);
    if (!a)
        return RATCHET_ERR;
    if (!rt_api_storage14(a))
        return rt_api_unsupported(out, mark, "enabling and disabling tasks");
    struct json_object *list, *t = task_entry(a, ref, &list, out, mark);
    ratchet_status rc = t ? RATCHET_OK : (list ? RATCHET_NOTFOUND : RATCHET_ERR);
    if (t) {
        char *name = strdup(rt_api_str(t, "name"));
        rt_error_clear();
        rc = name ? a->vt->task_set_enabled(a->si, name, enabled) : RATCHET_NOMEM;
        if (rc != RATCHET_OK)
            rc = rt_api_storage_fail(out, mark, rc, "task");
        else
            rc = task_get(name, out);
        free(name);
    }
    json_object_put(list);
    return rc;
}

/* ---- shared with jobs and schedules ------------------------------------------------------- */

/* Under a->tasks_lock: the parsed task list, re-parsed only when the storage's text changed
 * (storage-sqlite answers an unchanged list from memory). NULL with the error written. */
static struct json_object *tasks_current(rt_api *a, ratchet_buf *out, size_t mark)
{
    ratchet_buf text = RATCHET_BUF_INIT;
    rt_error_clear();
    ratchet_status rc = a->vt->task_list(a->si, &text);
    if (rc == RATCHET_OK && text.data && a->tasks && a->tasks_text.len == text.len &&
        memcmp(a->tasks_text.data, text.data, text.len) == 0) {
        rt_buf_free(&text);
        return a->tasks;
    }
    struct json_object *list = rc == RATCHET_OK && text.data ? json_tokener_parse(text.data) : NULL;
    if (!json_object_is_type(list, json_type_array)) {
        json_object_put(list);
        rt_buf_free(&text);
        rt_api_storage_fail(out, mark, rc == RATCHET_OK ? RATCHET_ERR : rc, "listing tasks");
        return NULL;
    }
    json_object_put(a->tasks);
    rt_buf_free(&a->tasks_text);
    a->tasks = list;
    a->tasks_text = text;
    return list;
}

ratchet_status rt_api_resolve(rt_api *a, const char *ref, const char *version, int *enabled,
                              const api_version **found, ratchet_buf *out, size_t mark)
{
    pthread_mutex_lock(&a->tasks_lock);
    struct json_object *list = tasks_current(a, out, mark), *t = list ? find_task(list, ref) : NULL;
    int64_t id = t ? version_id_of(t, version) : 0;
    struct json_object *en = t ? rt_api_member(t, "enabled") : NULL;
    int is_enabled = !en || json_object_get_boolean(en);
    pthread_mutex_unlock(&a->tasks_lock);
    const api_version *v = NULL;
    ratchet_status rc = !list ? RATCHET_ERR : !t ? RATCHET_NOTFOUND : RATCHET_OK;
    if (list && !t)
        rt_api_fail(out, mark, "NOT_FOUND", NULL, "no task '%s'", ref ? ref : "");
    else if (t && !id)
        rc = rt_api_fail(out, mark, "NOT_FOUND", NULL, "task '%s' has no version %s", ref,
                         version ? version : "(latest)");
    else if (t && !(v = version_get(a, id, out, mark)))
        rc = RATCHET_ERR;
    if (v && enabled)
        *enabled = is_enabled;
    *found = v;
    return rc;
}

typedef struct input_problems {
    struct json_object *details;
    const char *where;
} input_problems;

static void note_problem(void *data, const char *pointer, const char *message)
{
    input_problems *p = data;
    if (json_object_array_length(p->details) >= 50)
        return;
    char full[1024];
    snprintf(full, sizeof full, "%s%s", p->where, pointer);
    rt_api_detail(p->details, full, message);
}

ratchet_status rt_api_check_input(const api_version *v, struct json_object *input,
                                  const char *where, ratchet_buf *out, size_t mark)
{
    /* json-c keeps 64-bit integers exactly, so the input's own text shows what was sent. */
    const char *text = json_object_to_json_string_ext(input, JSON_C_TO_STRING_PLAIN);
    if (v->input_error)
        return rt_api_fail(out, mark, "INTERNAL_ERROR", NULL,
                           "the task's input schema is not usable: %s", v->input_error);
    input_problems p = {json_object_new_array(), where};
    size_t n = rt_input_check(v->input, input, text, note_problem, &p);
    if (n == 0) {
        json_object_put(p.details);
        return RATCHET_OK;
    }
    return rt_api_fail(out, mark, "VALIDATION_ERROR", p.details,
                       "input does not match the task's input schema");
}

/* ---- sync ---------------------------------------------------------------------------------- */

/* {added, updated, unchanged, errors}: the summary `ratchet tasks sync` prints. */
static ratchet_status tasks_sync(ratchet_buf *out)
{
    size_t mark = out->len;
    rt_api *a = rt_api_enter(out, mark);
    if (!a)
        return RATCHET_ERR;
    struct json_object *o = rt_store_sync_summary(a->app, a->st);
    if (!o)
        return rt_api_storage_fail(out, mark, RATCHET_ERR, "listing tasks");
    if (json_object_array_length(rt_api_member(o, "added")) +
            json_object_array_length(rt_api_member(o, "updated")) >
        0)
        a->vt->notify(a->si);
    ratchet_status rc = rt_api_put(out, o);
    json_object_put(o);
    return rc;
}

void rt_api_fill_tasks(ratchet_engine_api *t)
{
    t->tasks_list = tasks_list;
    t->task_get = task_get;
    t->task_version = task_version;
    t->task_set_enabled = task_set_enabled;
    t->tasks_sync = tasks_sync;
}
