/*
 * host/engine/sync_summary.c - one sync of every task source, summed up for an operator:
 * which tasks were added, which got a new version, how many were unchanged, which failed.
 */
#include <stdlib.h>
#include <string.h>

#include "core/core_layer.h"
#include "store.h"

typedef struct summary {
    struct json_object *known; /* {name: true} for the tasks stored before the sync */
    struct json_object *added, *updated, *errors;
    int64_t unchanged;
} summary;

static void on_problem(void *data, const char *source, const char *message)
{
    summary *s = data;
    struct json_object *e = json_object_new_object();
    json_object_object_add(e, "source", json_object_new_string(source ? source : ""));
    json_object_object_add(e, "message", json_object_new_string(message));
    json_object_array_add(s->errors, e);
}

static void on_stored(void *data, const char *name, const char *version, int created)
{
    summary *s = data;
    if (!created) {
        s->unchanged++;
        return;
    }
    struct json_object *e = json_object_new_object();
    json_object_object_add(e, "name", json_object_new_string(name));
    json_object_object_add(e, "version", json_object_new_string(version));
    json_object_array_add(json_object_object_get_ex(s->known, name, NULL) ? s->updated : s->added,
                          e);
}

/* The names stored now, as {name: true}; NULL with the error in rt_error_peek(). */
static struct json_object *stored_names(rt_store *st)
{
    ratchet_buf out = RATCHET_BUF_INIT;
    rt_error_clear();
    ratchet_status rc = st->vt->task_list(st->inst, &out);
    struct json_object *list = rc == RATCHET_OK && out.data ? json_tokener_parse(out.data) : NULL;
    rt_buf_free(&out);
    if (!json_object_is_type(list, json_type_array)) {
        json_object_put(list);
        return NULL;
    }
    struct json_object *names = json_object_new_object(), *v;
    for (size_t i = 0; i < json_object_array_length(list); i++)
        if (json_object_object_get_ex(json_object_array_get_idx(list, i), "name", &v))
            json_object_object_add(names, json_object_get_string(v), json_object_new_boolean(1));
    json_object_put(list);
    return names;
}

struct json_object *rt_store_sync_summary(rt_app *app, rt_store *st)
{
    summary s = {stored_names(st), NULL, NULL, NULL, 0};
    if (!s.known)
        return NULL;
    s.added = json_object_new_array();
    s.updated = json_object_new_array();
    s.errors = json_object_new_array();
    rt_sync_report report = {on_problem, on_stored, &s};
    rt_store_sync_tasks_report(app, st, &report, NULL);
    json_object_put(s.known);
    struct json_object *o = json_object_new_object();
    json_object_object_add(o, "added", s.added);
    json_object_object_add(o, "updated", s.updated);
    json_object_object_add(o, "unchanged", json_object_new_int64(s.unchanged));
    json_object_object_add(o, "errors", s.errors);
    return o;
}
