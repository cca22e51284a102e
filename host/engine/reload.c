/* host/engine/reload.c - serve reloads the tasks whose files changed (see reload.h). */
#include "reload.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/core_layer.h"
#include "task/task_layer.h"
#include "task_errors.h"

/* One watched task source. */
typedef struct reload_source {
    rt_reload *r;
    char *source; /* as synced: a folder of tasks, a task folder or a .zip */
    char *root;   /* the folder watched: the source, or the folder holding the .zip */
    char **tasks; /* the task paths found in it at the last scan, sorted */
    size_t ntasks;
} reload_source;

struct rt_reload {
    rt_app *app;
    rt_store *st;
    const ratchet_watcher_vtable *vt;
    void *inst;
    ratchet_ctx *ctx;
    ratchet_config *cfg;
    rt_node *opts; /* the default instance's (empty) options, or NULL */
    int started;
    reload_source *sources;
    size_t nsources;
    char **disabled; /* names this reloader disabled (enabled again when they come back) */
    size_t ndisabled;
};

static void free_list(char **list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(list[i]);
    free(list);
}

static int path_under(const char *path, const char *dir)
{
    size_t n = strlen(dir);
    return strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

/* ---- enabling and disabling ------------------------------------------------------------- */

/* The name of the task whose latest version was loaded from `path` (caller frees), or NULL. */
static char *task_from(rt_reload *r, const char *path)
{
    ratchet_buf out = RATCHET_BUF_INIT;
    rt_error_clear();
    struct json_object *tasks = r->st->vt->task_list(r->st->inst, &out) == RATCHET_OK && out.data
                                    ? json_tokener_parse(out.data)
                                    : NULL;
    rt_buf_free(&out);
    char *name = NULL;
    int is_list = json_object_is_type(tasks, json_type_array);
    for (size_t i = 0; is_list && !name && i < json_object_array_length(tasks); i++) {
        struct json_object *t = json_object_array_get_idx(tasks, i), *v, *vs, *latest;
        if (!json_object_object_get_ex(t, "latestVersion", &latest) ||
            !json_object_object_get_ex(t, "versions", &vs) ||
            !json_object_is_type(vs, json_type_array))
            continue;
        for (size_t k = 0; !name && k < json_object_array_length(vs); k++) {
            struct json_object *ver = json_object_array_get_idx(vs, k), *vv, *src;
            if (json_object_object_get_ex(ver, "version", &vv) &&
                strcmp(json_object_get_string(vv), json_object_get_string(latest)) == 0 &&
                json_object_object_get_ex(ver, "source", &src) &&
                strcmp(json_object_get_string(src), path) == 0 &&
                json_object_object_get_ex(t, "name", &v))
                name = strdup(json_object_get_string(v));
        }
    }
    json_object_put(tasks);
    return name;
}

static void set_enabled(rt_reload *r, const char *name, int enabled)
{
    if (!RATCHET_HAS_FIELD(r->st->vt, ratchet_storage_vtable, task_set_enabled)) {
        rt_log(RATCHET_LOG_WARN, "task %s: the storage plugin (ABI < 1.4) cannot %s tasks", name,
               enabled ? "enable" : "disable");
        return;
    }
    rt_error_clear();
    ratchet_status s = r->st->vt->task_set_enabled(r->st->inst, name, enabled);
    if (s != RATCHET_OK)
        rt_log(RATCHET_LOG_ERROR, "task %s: cannot %s it: %s", name, enabled ? "enable" : "disable",
               *rt_error_peek() ? rt_error_peek() : "storage error");
    rt_error_clear();
}

static void disable_removed(rt_reload *r, const char *path)
{
    char *name = task_from(r, path);
    if (!name)
        return;
    set_enabled(r, name, 0);
    rt_log(RATCHET_LOG_INFO, "task %s disabled: %s was removed (its versions and history stay)",
           name, path);
    rt_task_errors_set(r->app, path, NULL);
    char **grown = realloc(r->disabled, (r->ndisabled + 1) * sizeof *grown);
    if (!grown) {
        free(name);
        return;
    }
    r->disabled = grown;
    r->disabled[r->ndisabled++] = name;
}

/* Enable `name` again when this reloader disabled it. */
static void enable_back(rt_reload *r, const char *name)
{
    for (size_t i = 0; i < r->ndisabled; i++)
        if (strcmp(r->disabled[i], name) == 0) {
            set_enabled(r, name, 1);
            rt_log(RATCHET_LOG_INFO, "task %s enabled again: its folder is back", name);
            free(r->disabled[i]);
            r->disabled[i] = r->disabled[--r->ndisabled];
            return;
        }
}

/* ---- reloading one task ------------------------------------------------------------------ */

typedef struct reload_one {
    rt_reload *r;
    const char *path;
    int failed;
} reload_one;

static void on_problem(void *data, const char *source, const char *message)
{
    reload_one *one = data;
    one->failed = 1;
    rt_log(RATCHET_LOG_ERROR, "task reload failed, the last good version stays active: %s",
           message);
    rt_task_errors_set(one->r->app, source, message);
}

static void on_stored(void *data, const char *name, const char *version, int created)
{
    reload_one *one = data;
    if (created)
        rt_log(RATCHET_LOG_INFO, "reloaded task %s: version %s from %s is now the latest", name,
               version, one->path);
    else
        rt_log(RATCHET_LOG_DEBUG, "task %s %s from %s: unchanged", name, version, one->path);
    enable_back(one->r, name);
}

static void reload_path(rt_reload *r, const char *path)
{
    reload_one one = {r, path, 0};
    rt_sync_report report = {on_problem, on_stored, &one};
    rt_store_sync_path(r->st, path, &report);
    if (!one.failed)
        rt_task_errors_set(r->app, path, NULL);
}

/* ---- one burst --------------------------------------------------------------------------- */

/* Whether task path `task` is touched by one of the changed paths. */
static int affected(const char *task, const char *const *paths, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (path_under(paths[i], task) || path_under(task, paths[i]))
            return 1;
    return 0;
}

static int listed(char **list, size_t n, const char *path)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i], path) == 0)
            return 1;
    return 0;
}

/* The task paths of `source` now; an empty list when it is gone or unreadable (logged). */
static void scan(const char *source, char ***tasks, size_t *n)
{
    rt_error err;
    *tasks = NULL;
    *n = 0;
    struct stat sb;
    if (stat(source, &sb) != 0)
        return;
    if (rt_task_find(source, tasks, n, &err) != RATCHET_OK)
        rt_log(RATCHET_LOG_ERROR, "task source %s: %s", source, err.msg);
}

/* The watcher's callback: runs on its thread, one burst at a time. */
static void on_change(void *user, const char *root, const char *const *paths, size_t n,
                      int overflow)
{
    reload_source *src = user;
    rt_reload *r = src->r;
    char **now;
    size_t nnow;
    scan(src->source, &now, &nnow);
    rt_log(RATCHET_LOG_DEBUG, "%s: %zu change%s, %zu task%s in the source", root, n,
           n == 1 ? "" : "s", nnow, nnow == 1 ? "" : "s");
    /* Removals first: a folder renamed is a removal and an addition of the same task. */
    for (size_t i = 0; i < src->ntasks; i++)
        if (!listed(now, nnow, src->tasks[i]))
            disable_removed(r, src->tasks[i]);
    for (size_t i = 0; i < nnow; i++)
        if (overflow || affected(now[i], paths, n) || !listed(src->tasks, src->ntasks, now[i]))
            reload_path(r, now[i]);
    free_list(src->tasks, src->ntasks);
    src->tasks = now;
    src->ntasks = nnow;
}

/* ---- starting and stopping ----------------------------------------------------------------- */

/* The first configured watcher instance, else watcher-inotify with its defaults. */
static int pick_watcher(rt_reload *r)
{
    const rt_settings *s = &r->app->settings;
    for (size_t i = 0; i < s->ninstances; i++) {
        const rt_instance_spec *spec = &s->instances[i];
        const rt_plugin *p = rt_registry_find(&r->app->reg, spec->plugin);
        if (!p || !p->vtable[RT_KIND_WATCHER])
            continue;
        char keypath[64];
        snprintf(keypath, sizeof keypath, "instances[%zu].options", i);
        rt_error err;
        r->cfg = rt_options_validate_at(p->desc->options, spec->options, keypath, s->basedir,
                                        rt_node_where(spec->entry), &err);
        if (!r->cfg) {
            rt_log(RATCHET_LOG_ERROR, "%s; tasks are not reloaded when their files change",
                   err.msg);
            return -1;
        }
        r->vt = p->vtable[RT_KIND_WATCHER];
        r->ctx = rt_ctx_new(spec->name, p->desc->name);
        return r->ctx ? 0 : -1;
    }
    const rt_plugin *p = rt_registry_find(&r->app->reg, "watcher-inotify");
    if (!p || !p->vtable[RT_KIND_WATCHER]) {
        rt_log(RATCHET_LOG_INFO, "no watcher plugin loaded: tasks are not reloaded when their "
                                 "files change (restart serve, or run `ratchet tasks sync`)");
        return -1;
    }
    rt_error err;
    r->opts = rt_node_new_map("engine.watch");
    r->cfg = r->opts ? rt_options_validate(p->desc->options, r->opts, "watcher", NULL, &err) : NULL;
    if (!r->cfg) {
        rt_log(RATCHET_LOG_ERROR, "watcher-inotify: %s", r->opts ? err.msg : "out of memory");
        return -1;
    }
    r->vt = p->vtable[RT_KIND_WATCHER];
    r->ctx = rt_ctx_new("watcher", p->desc->name);
    return r->ctx ? 0 : -1;
}

/* The folder to watch for `source`: itself when a folder, its parent for a file. */
static char *root_of(const char *source)
{
    struct stat sb;
    if (stat(source, &sb) != 0)
        return NULL;
    char *root = strdup(source);
    char *slash = root && !S_ISDIR(sb.st_mode) ? strrchr(root, '/') : NULL;
    if (slash)
        *(slash == root ? slash + 1 : slash) = '\0';
    return root;
}

/* Set up the sources and their first scans, then watch each. */
static void watch_sources(rt_reload *r)
{
    char **list = NULL;
    size_t n = rt_store_task_sources(r->app, &list);
    r->sources = calloc(n ? n : 1, sizeof *r->sources);
    for (size_t i = 0; r->sources && i < n; i++) {
        char *root = list[i] ? root_of(list[i]) : NULL;
        if (!root || root[0] != '/') {
            rt_log(RATCHET_LOG_WARN, "task source %s is not watched: %s", list[i] ? list[i] : "?",
                   root ? "not an absolute path" : "it does not exist");
            free(root);
            continue;
        }
        reload_source *src = &r->sources[r->nsources];
        src->r = r;
        src->source = list[i];
        src->root = root;
        list[i] = NULL;
        scan(src->source, &src->tasks, &src->ntasks);
        rt_error_clear();
        if (r->vt->watch(r->inst, src->root, on_change, src) != RATCHET_OK) {
            rt_log(RATCHET_LOG_ERROR, "cannot watch task source %s: %s", src->source,
                   rt_error_peek());
            free(src->source);
            free(src->root);
            free_list(src->tasks, src->ntasks);
            memset(src, 0, sizeof *src);
            continue;
        }
        r->nsources++;
        rt_log(RATCHET_LOG_INFO, "watching %s for task changes", src->root);
    }
    free_list(list, n);
}

rt_reload *rt_reload_start(rt_app *app, rt_store *st)
{
    if (!rt_cfg_bool(rt_settings_section(&app->settings, "engine"), "watch")) {
        rt_log(RATCHET_LOG_INFO, "engine.watch is off: tasks are not reloaded when their files "
                                 "change");
        return NULL;
    }
    rt_reload *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->app = app;
    r->st = st;
    if (pick_watcher(r) != 0) {
        rt_reload_stop(r);
        return NULL;
    }
    rt_error_clear();
    if (r->vt->life.create(r->ctx, r->cfg, &r->inst) != RATCHET_OK) {
        r->inst = NULL;
    } else if (!r->vt->life.start || r->vt->life.start(r->inst) == RATCHET_OK) {
        r->started = 1;
        watch_sources(r);
        return r;
    }
    rt_log(RATCHET_LOG_ERROR,
           "the task watcher did not start: %s; tasks are not reloaded when "
           "their files change",
           rt_error_peek());
    rt_reload_stop(r);
    return NULL;
}

void rt_reload_stop(rt_reload *r)
{
    if (!r)
        return;
    if (r->inst) {
        if (r->started && r->vt->life.stop)
            r->vt->life.stop(r->inst);
        r->vt->life.destroy(r->inst);
    }
    for (size_t i = 0; r->sources && i < r->nsources; i++) {
        reload_source *src = &r->sources[i];
        free(src->source);
        free(src->root);
        free_list(src->tasks, src->ntasks);
    }
    free(r->sources);
    free_list(r->disabled, r->ndisabled);
    rt_config_free(r->cfg);
    rt_node_free(r->opts);
    rt_ctx_free(r->ctx);
    free(r);
}
