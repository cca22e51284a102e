/*
 * host/engine/store_registry.c - the tasks of http registries stored like those of any other
 * source (store_int.h): each zip a pull lists is loaded, checked and stored, as an immutable
 * version whose source is the zip's URL.
 */
#include <stdlib.h>
#include <string.h>

#include "core/core_layer.h"
#include "registry.h"
#include "store_int.h"

/* A pull's problems become the run's (reported, or logged at debug level when quiet). */
static void on_pull_problem(void *data, const char *source, const char *message)
{
    rt_sync_run *run = data;
    rt_sync_fail(run, source, "%s", message);
}

static void quiet_problem(void *data, const char *source, const char *message)
{
    (void)data;
    rt_log(RATCHET_LOG_DEBUG, "%s (%s)", message, source);
}

/* ---- tasks gone from the index ------------------------------------------------------------ */

/* The source of the latest version of task `name` (malloc'd), or NULL. */
static char *latest_source(rt_store *st, const char *name)
{
    ratchet_buf out = RATCHET_BUF_INIT;
    rt_error_clear();
    struct json_object *tasks = st->vt->task_list(st->inst, &out) == RATCHET_OK && out.data
                                    ? json_tokener_parse(out.data)
                                    : NULL;
    rt_buf_free(&out);
    char *source = NULL;
    size_t n = json_object_is_type(tasks, json_type_array) ? json_object_array_length(tasks) : 0;
    for (size_t i = 0; i < n && !source; i++) {
        struct json_object *t = json_object_array_get_idx(tasks, i), *v, *latest, *vs;
        if (!json_object_object_get_ex(t, "name", &v) ||
            strcmp(json_object_get_string(v), name) != 0 ||
            !json_object_object_get_ex(t, "latestVersion", &latest) ||
            !json_object_object_get_ex(t, "versions", &vs))
            continue;
        for (size_t k = 0; k < json_object_array_length(vs) && !source; k++) {
            struct json_object *ver = json_object_array_get_idx(vs, k), *vv, *src;
            if (json_object_object_get_ex(ver, "version", &vv) &&
                strcmp(json_object_get_string(vv), json_object_get_string(latest)) == 0 &&
                json_object_object_get_ex(ver, "source", &src))
                source = strdup(json_object_get_string(src));
        }
    }
    json_object_put(tasks);
    return source;
}

static int set_enabled(rt_store *st, const char *name, int enabled)
{
    if (!RATCHET_HAS_FIELD(st->vt, ratchet_storage_vtable, task_set_enabled))
        return -1;
    rt_error_clear();
    ratchet_status s = st->vt->task_set_enabled(st->inst, name, enabled);
    if (s != RATCHET_OK)
        rt_log(RATCHET_LOG_ERROR, "task %s: cannot %s it: %s", name, enabled ? "enable" : "disable",
               *rt_error_peek() ? rt_error_peek() : "storage error");
    rt_error_clear();
    return s == RATCHET_OK ? 0 : -1;
}

/* Whether `name` is in the JSON array of names `list`; its index in *at. */
static int in_list(struct json_object *list, const char *name, size_t *at)
{
    for (size_t i = 0; i < json_object_array_length(list); i++)
        if (strcmp(json_object_get_string(json_object_array_get_idx(list, i)), name) == 0) {
            *at = i;
            return 1;
        }
    return 0;
}

/* A task the index no longer lists is disabled when its latest version came from this
 * registry (its versions and history stay), and enabled again when the index lists it again.
 * The names disabled so are kept in the source's cache folder (disabled.json), so that only
 * those are enabled again. */
static void follow_removals(rt_app *app, rt_store *st, const rt_source_spec *spec,
                            const rt_reg_pull *pull)
{
    char *root = rt_registry_cache_root(app);
    ratchet_buf path = RATCHET_BUF_INIT;
    rt_buf_printf(&path, "%s/%s/disabled.json", root ? root : ".", spec->name);
    free(root);
    if (!path.data)
        return;
    struct json_object *list = json_object_from_file(path.data);
    if (!json_object_is_type(list, json_type_array)) {
        json_object_put(list);
        list = json_object_new_array();
    }
    int changed = 0;
    size_t at;
    for (size_t i = 0; i < pull->nremoved; i++) {
        const rt_reg_item *r = &pull->removed[i];
        if (in_list(list, r->name, &at))
            continue;
        char *source = latest_source(st, r->name);
        int ours = 0;
        for (size_t k = 0; source && k < pull->nremoved && !ours; k++)
            ours = strcmp(pull->removed[k].name, r->name) == 0 &&
                   strcmp(pull->removed[k].url, source) == 0;
        free(source);
        if (ours && set_enabled(st, r->name, 0) == 0) {
            rt_log(RATCHET_LOG_INFO,
                   "registry %s: task %s is no longer in its index: disabled (its versions and "
                   "history stay)",
                   spec->name, r->name);
            json_object_array_add(list, json_object_new_string(r->name));
            changed = 1;
        }
    }
    for (size_t i = 0; i < pull->nitems; i++) {
        const char *name = pull->items[i].name;
        if (in_list(list, name, &at) && set_enabled(st, name, 1) == 0) {
            rt_log(RATCHET_LOG_INFO, "registry %s: task %s is in its index again: enabled",
                   spec->name, name);
            json_object_array_del_idx(list, at, 1);
            changed = 1;
        }
    }
    if (changed && json_object_to_file(path.data, list) != 0)
        rt_log(RATCHET_LOG_WARN, "registry %s: cannot write %s", spec->name, path.data);
    json_object_put(list);
    rt_buf_free(&path);
}

/* Pull one source and store what it lists. RT_EXIT_OK, or RT_EXIT_FAIL (reported). */
static int sync_source(rt_app *app, rt_store *st, rt_sync_run *run, const rt_source_spec *spec,
                       const int *cancel, int skip_unchanged)
{
    const rt_sync_report *saved = run->report;
    rt_sync_report quiet = {quiet_problem, saved ? saved->stored : NULL,
                            saved ? saved->data : NULL};
    if (run->quiet_registry)
        run->report = &quiet;
    rt_reg_pull pull;
    rt_registry_pull(app, spec, run->online, cancel, on_pull_problem, run, &pull);
    int rc = pull.problems ? RT_EXIT_FAIL : RT_EXIT_OK;
    if (!(skip_unchanged && pull.not_modified))
        for (size_t i = 0; i < pull.nitems; i++) {
            const rt_reg_item *it = &pull.items[i];
            rt_sync_item item = {it->zip, it->url, it->name, it->version, 1};
            if (rt_sync_task(st, run, &item) != RT_EXIT_OK)
                rc = RT_EXIT_FAIL;
        }
    if (run->online && !pull.stale)
        follow_removals(app, st, spec, &pull);
    rt_reg_pull_free(&pull);
    run->report = saved;
    return run->quiet_registry ? RT_EXIT_OK : rc;
}

int rt_sync_registries(rt_app *app, rt_store *st, rt_sync_run *run)
{
    int rc = RT_EXIT_OK;
    for (size_t i = 0; i < app->settings.nsources; i++) {
        const rt_source_spec *spec = &app->settings.sources[i];
        if (spec->enabled && spec->type == RT_SOURCE_HTTP &&
            sync_source(app, st, run, spec, NULL, 0) != RT_EXIT_OK)
            rc = RT_EXIT_FAIL;
    }
    return rc;
}

int rt_store_sync_registry(rt_app *app, rt_store *st, const rt_source_spec *spec,
                           const rt_sync_report *report, const int *cancel, int skip_unchanged)
{
    rt_sync_run run;
    memset(&run, 0, sizeof run);
    run.report = report;
    run.online = 1;
    int rc = sync_source(app, st, &run, spec, cancel, skip_unchanged);
    rt_sync_run_free(&run);
    return rc;
}
