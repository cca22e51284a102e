/* host/engine/store.c - open the engine's storage and keep the task registry in it. */
#include "store.h"
#include "store_int.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/core_layer.h"
#include "task/task_layer.h"

int rt_store_fail(ratchet_status rc, const char *what)
{
    const char *why = rt_error_peek();
    if (rc == RATCHET_NOTFOUND && !*why)
        why = "not found";
    else if (rc == RATCHET_RETRY && !*why)
        why = "the database is busy; try again";
    int status = rt_cli_fail("%s: %s", what, *why ? why : "storage error");
    rt_error_clear();
    return status;
}

/* The configured storage instance, if any: its plugin and validated options. */
static int configured_storage(rt_app *app, rt_store *st)
{
    for (size_t i = 0; i < app->settings.ninstances; i++) {
        const rt_instance_spec *spec = &app->settings.instances[i];
        const rt_plugin *p = rt_registry_find(&app->reg, spec->plugin);
        if (!p || !p->vtable[RT_KIND_STORAGE])
            continue;
        char keypath[64];
        snprintf(keypath, sizeof keypath, "instances[%zu].options", i);
        rt_error err;
        st->cfg = rt_options_validate_at(p->desc->options, spec->options, keypath,
                                         app->settings.basedir, rt_node_where(spec->entry), &err);
        if (!st->cfg)
            return rt_cli_fail("%s", err.msg);
        st->plugin = p;
        st->ctx = rt_ctx_new(spec->name, p->desc->name);
        const char *loc = rt_cfg_string(st->cfg, "url");
        char *masked = rt_url_mask(loc ? loc : rt_cfg_string(st->cfg, "path"));
        rt_buf_printf(&st->where, "%s (instance %s)", masked ? masked : "-", spec->name);
        free(masked);
        return RT_EXIT_OK;
    }
    return -1;
}

/* storage-sqlite with its database in the data directory. */
static int default_storage(rt_app *app, rt_store *st)
{
    const char *dir =
        app->data_dir ? app->data_dir
                      : rt_cfg_string(rt_settings_section(&app->settings, "engine"), "data_dir");
    st->plugin = rt_registry_find(&app->reg, "storage-sqlite");
    if (!st->plugin || !st->plugin->vtable[RT_KIND_STORAGE])
        return rt_cli_fail("no storage: configure an instance of a storage plugin, or install "
                           "storage-sqlite (see `ratchet plugins list`)");
    if (rt_make_dirs(dir) != 0)
        return rt_cli_fail("cannot create the data directory %s: %s", dir, strerror(errno));
    ratchet_buf path = RATCHET_BUF_INIT;
    rt_buf_printf(&path, "%s/ratchet.db", dir);
    st->opts = rt_node_new_map("engine.data_dir");
    rt_node_map_set(st->opts, "path", rt_node_new_scalar(path.data, "engine.data_dir"));
    rt_buf_free(&path);
    rt_error err;
    st->cfg = rt_options_validate(st->plugin->desc->options, st->opts, "storage", NULL, &err);
    if (!st->cfg)
        return rt_cli_fail("%s", err.msg);
    st->ctx = rt_ctx_new("storage", st->plugin->desc->name);
    rt_buf_printf(&st->where, "%s/ratchet.db (engine.data_dir)", dir);
    return RT_EXIT_OK;
}

const char *rt_store_plugin_name(const rt_app *app)
{
    const char *plugin = "storage-sqlite", *location = NULL;
    rt_error err;
    if (app->storage_url && rt_store_url_parse(app->storage_url, &plugin, &location, &err) != 0)
        plugin = "storage-sqlite"; /* rt_store_from_url reports the URL's error */
    return plugin;
}

int rt_store_open(rt_app *app, rt_store *st)
{
    memset(st, 0, sizeof *st);
    /* The storage's plugin and those of the configured instances, nothing else: an operator
     * command does not load front ends or another storage's libraries (when serve loaded its
     * plugins first, this changes nothing). */
    const char *plugin = rt_store_plugin_name(app);
    int rc = rt_app_load_plugins_some(app, NULL, 0, &plugin, 1);
    if (rc != RT_EXIT_OK)
        return rc;
    rc = app->storage_url ? rt_store_from_url(app, st) : configured_storage(app, st);
    if (rc < 0)
        rc = default_storage(app, st);
    if (rc != RT_EXIT_OK)
        return rc;
    if (!st->ctx)
        return rt_cli_fail("out of memory");
    st->vt = st->plugin->vtable[RT_KIND_STORAGE];
    rt_error_clear();
    if (st->vt->life.create(st->ctx, st->cfg, &st->inst) != RATCHET_OK) {
        st->inst = NULL;
        return rt_store_fail(RATCHET_ERR, "storage");
    }
    if (st->vt->life.start && st->vt->life.start(st->inst) != RATCHET_OK)
        return rt_store_fail(RATCHET_ERR, "storage");
    st->started = 1;
    return RT_EXIT_OK;
}

void rt_store_close(rt_store *st)
{
    if (st->inst) {
        if (st->started && st->vt->life.stop)
            st->vt->life.stop(st->inst);
        st->vt->life.destroy(st->inst);
    }
    rt_config_free(st->cfg);
    rt_node_free(st->opts);
    rt_ctx_free(st->ctx);
    rt_buf_free(&st->where);
    memset(st, 0, sizeof *st);
}

struct json_object *rt_store_json(const ratchet_buf *buf, const char *what)
{
    struct json_object *v = buf->data ? json_tokener_parse(buf->data) : NULL;
    if (!v)
        rt_cli_fail("%s: the storage returned malformed JSON", what);
    return v;
}

/* ---- the task registry ---------------------------------------------------------------------- */

/* FNV-1a 64 over the parts that define a version's behaviour. */
static void checksum_update(uint64_t *h, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        *h ^= *p;
        *h *= 1099511628211ULL;
    }
    *h ^= 0xff; /* separator, so "ab"+"c" differs from "a"+"bc" */
    *h *= 1099511628211ULL;
}

static const char *plain(struct json_object *v)
{
    return v ? json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN) : "null";
}

/* The compiled program as stored with the version: {compiler, code (only when it differs from
 * main.js), modules, map, file (only when not "main.js")}. Keyed by the version's checksum and
 * the compiler's version. */
static struct json_object *program_record(const rt_program *p)
{
    struct json_object *o = json_object_new_object();
    json_object_object_add(o, "compiler", json_object_new_string(rt_program_compiler()));
    if (p->lowered)
        json_object_object_add(o, "code", json_object_new_string_len(p->code, (int)p->code_len));
    json_object_object_add(o, "modules", json_object_new_string(p->modules ? p->modules : ""));
    if (p->map_text)
        json_object_object_add(o, "map", json_object_new_string(p->map_text));
    /* How messages and stack traces name the code when not "main.js": a meta.yaml task's
     * entry file, or "tasks/greeting.zip!main.js" for a zip (program.h). */
    if (p->filename)
        json_object_object_add(o, "file", json_object_new_string(p->filename));
    return o;
}

static struct json_object *task_record(const rt_task *t, const char *source, char *sum, size_t len)
{
    uint64_t h = 14695981039346656037ULL;
    checksum_update(&h, t->code);
    checksum_update(&h, plain(t->input_schema));
    checksum_update(&h, plain(t->output_schema));
    checksum_update(&h, plain(t->metadata));
    snprintf(sum, len, "%016llx", (unsigned long long)h);
    struct json_object *o = json_object_new_object();
    json_object_object_add(o, "name", json_object_new_string(t->name));
    json_object_object_add(o, "version", json_object_new_string(t->version));
    json_object_object_add(o, "uuid", json_object_new_string(t->uuid));
    json_object_object_add(o, "description",
                           t->description ? json_object_new_string(t->description) : NULL);
    struct json_object *tags = json_object_new_array();
    for (size_t i = 0; i < t->ntags; i++)
        json_object_array_add(tags, json_object_new_string(t->tags[i]));
    json_object_object_add(o, "tags", tags);
    json_object_object_add(o, "metadata", json_object_get(t->metadata));
    json_object_object_add(o, "code", json_object_new_string_len(t->code, (int)t->code_len));
    json_object_object_add(o, "inputSchema", json_object_get(t->input_schema));
    json_object_object_add(o, "outputSchema", json_object_get(t->output_schema));
    json_object_object_add(o, "checksum", json_object_new_string(sum));
    json_object_object_add(o, "source", json_object_new_string(source));
    if (t->program)
        json_object_object_add(o, "program", program_record(t->program));
    return o;
}

struct seen_task {
    char *key; /* name@version */
    char *source;
    char sum[17];
};
typedef struct seen_task seen_task;

typedef rt_sync_run sync_run; /* store_int.h */

int rt_sync_fail(sync_run *run, const char *source, const char *fmt, ...)
{
    ratchet_buf msg = RATCHET_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    rt_buf_vprintf(&msg, fmt, ap);
    va_end(ap);
    if (!run->report)
        rt_cli_fail("%s", msg.data ? msg.data : "");
    else if (run->report->problem)
        run->report->problem(run->report->data, source, msg.data ? msg.data : "");
    rt_buf_free(&msg);
    return RT_EXIT_FAIL;
}

/* The zip a registry listed must hold the task the index names. */
static int expected_task(sync_run *run, const rt_sync_item *item, const rt_task *t)
{
    if (item->expect_name &&
        (strcmp(t->name, item->expect_name) != 0 || strcmp(t->version, item->expect_version) != 0))
        return rt_sync_fail(
            run, item->source, "%s: the index lists %s %s, but the zip holds %s %s; refused",
            item->source, item->expect_name, item->expect_version, t->name, t->version);
    return RT_EXIT_OK;
}

/* The same name and version already stored from elsewhere with other content: reported with
 * both places (neither replaces the other). */
static int stored_conflict(sync_run *run, const rt_task *t, const char *source, const char *sum)
{
    struct json_object *vs = NULL;
    json_object_object_get_ex(run->stored, t->name, &vs);
    for (size_t k = 0; vs && k < json_object_array_length(vs); k++) {
        struct json_object *v = json_object_array_get_idx(vs, k), *ver, *vsum, *src;
        if (!json_object_object_get_ex(v, "version", &ver) ||
            strcmp(json_object_get_string(ver), t->version) != 0 ||
            !json_object_object_get_ex(v, "checksum", &vsum) ||
            strcmp(json_object_get_string(vsum), sum) == 0)
            continue;
        const char *from = json_object_object_get_ex(v, "source", &src)
                               ? json_object_get_string(src)
                               : "another source";
        return rt_sync_fail(run, source,
                            "task %s %s from %s is already stored with different content from "
                            "%s; the stored copy stays; give one of them a new version",
                            t->name, t->version, source, from);
    }
    return RT_EXIT_OK;
}

/* Store one task; report a second source of the same name and version. */
static int sync_one(rt_store *st, const char *path, sync_run *run)
{
    rt_sync_item item = {path, path, NULL, NULL, 0};
    return rt_sync_task(st, run, &item);
}

int rt_sync_task(rt_store *st, sync_run *run, const rt_sync_item *item)
{
    const char *path = item->source;
    rt_error err;
    rt_task *t = rt_task_load(item->path, &err);
    if (!t) {
        /* A registry's zip is named by its URL, not by where the cache keeps it. */
        size_t n = strlen(item->path);
        const char *msg = err.msg;
        if (item->path != item->source && strncmp(msg, item->path, n) == 0 && msg[n] == ':')
            msg += n + 1 + (msg[n + 1] == ' ');
        return item->path == item->source ? rt_sync_fail(run, path, "%s", err.msg)
                                          : rt_sync_fail(run, path, "%s: %s", path, msg);
    }
    if (expected_task(run, item, t) != RT_EXIT_OK) {
        rt_task_free(t);
        return RT_EXIT_FAIL;
    }
    if (rt_task_compile(t, &err) != RATCHET_OK) {
        rt_task_free(t);
        return rt_sync_fail(run, path, "%s: compile error: %s", path, err.msg);
    }
    char sum[17];
    struct json_object *rec = task_record(t, path, sum, sizeof sum);
    ratchet_buf key = RATCHET_BUF_INIT;
    rt_buf_printf(&key, "%s@%s", t->name, t->version);
    int rc = RT_EXIT_OK;
    seen_task **seen = &run->seen;
    size_t *nseen = &run->nseen;
    for (size_t i = 0; i < *nseen; i++) {
        if (strcmp((*seen)[i].key, key.data) != 0)
            continue;
        if (strcmp((*seen)[i].sum, sum) == 0)
            rt_log(RATCHET_LOG_WARN, "task %s %s is in both %s and %s (identical; using the first)",
                   t->name, t->version, (*seen)[i].source, path);
        else
            rc = rt_sync_fail(run, path,
                              "task %s %s is in both %s and %s with different content; give one "
                              "of them a new version",
                              t->name, t->version, (*seen)[i].source, path);
        goto done;
    }
    if (!run->stored && !(run->stored = rt_store_versions_index(st))) {
        rc = rt_sync_fail(run, path, "%s: listing the stored versions: %s", path,
                          *rt_error_peek() ? rt_error_peek() : "storage error");
        goto done;
    }
    if (!item->immutable && rt_store_revise(run->stored, t, path, sum, rec) != 0) {
        rc = rt_sync_fail(run, path, "%s: out of memory", path);
        goto done;
    }
    if ((rc = stored_conflict(run, t, path, sum)) != RT_EXIT_OK)
        goto done;
    int64_t id;
    int created;
    rt_error_clear();
    ratchet_status s = st->vt->task_sync(st->inst, plain(rec), &id, &created);
    if (s != RATCHET_OK && !run->report) {
        rc = rt_store_fail(s, path);
        goto done;
    } else if (s != RATCHET_OK) {
        rc = rt_sync_fail(run, path, "%s: %s", path,
                          *rt_error_peek() ? rt_error_peek() : "storage error");
        rt_error_clear();
        goto done;
    }
    if (run->report && run->report->stored)
        run->report->stored(run->report->data, t->name, t->version, created);
    seen_task *grown = realloc(*seen, (*nseen + 1) * sizeof *grown);
    if (grown) {
        *seen = grown;
        grown[*nseen].key = strdup(key.data);
        grown[*nseen].source = strdup(path);
        memcpy(grown[*nseen].sum, sum, sizeof sum);
        (*nseen)++;
    }
    rt_log(RATCHET_LOG_DEBUG, "task %s %s from %s (%s)", t->name, t->version, path,
           created ? "new" : "unchanged");
done:
    rt_buf_free(&key);
    json_object_put(rec);
    rt_task_free(t);
    return rc;
}

static int sync_source(rt_store *st, const char *source, sync_run *run)
{
    char **paths = NULL;
    size_t n = 0;
    rt_error err;
    if (rt_task_find(source, &paths, &n, &err) != RATCHET_OK)
        return rt_sync_fail(run, source, "%s", err.msg);
    if (n == 0 && !run->quiet_empty)
        rt_log(RATCHET_LOG_WARN, "task source %s holds no task", source);
    int rc = RT_EXIT_OK;
    for (size_t i = 0; i < n; i++) {
        if (sync_one(st, paths[i], run) != RT_EXIT_OK)
            rc = RT_EXIT_FAIL;
        free(paths[i]);
    }
    free(paths);
    return rc;
}

void rt_sync_run_free(sync_run *run)
{
    for (size_t i = 0; i < run->nseen; i++) {
        free(run->seen[i].key);
        free(run->seen[i].source);
    }
    free(run->seen);
    json_object_put(run->stored);
}

const char *rt_store_writable_tasks(const rt_app *app)
{
    const char *dir =
        rt_cfg_string(rt_settings_section(&app->settings, "engine"), "writable_tasks");
    return dir && *dir ? dir : NULL;
}

/* The path of engine.tasks entry `src`, resolved against the configuration's folder. */
static void source_path(const rt_app *app, const char *src, char *path, size_t size)
{
    if (src[0] == '/')
        snprintf(path, size, "%s", src);
    else
        snprintf(path, size, "%s/%s", app->settings.basedir, src);
}

/* 1 when `dir` is already a source (engine.tasks or --tasks), so it is not synced twice. */
static int source_listed(const rt_app *app, const ratchet_node *list, const char *dir)
{
    for (size_t i = 0; i < rt_node_count(list); i++) {
        const char *src = rt_node_scalar(rt_node_at(list, i));
        char path[4096];
        if (src) {
            source_path(app, src, path, sizeof path);
            if (strcmp(path, dir) == 0)
                return 1;
        }
    }
    for (size_t i = 0; i < app->ntask_sources; i++)
        if (strcmp(app->task_sources[i], dir) == 0)
            return 1;
    return 0;
}

size_t rt_store_task_sources(const rt_app *app, char ***out)
{
    const ratchet_node *list = rt_cfg_node(rt_settings_section(&app->settings, "engine"), "tasks");
    size_t nlist = list && list->kind == RATCHET_NODE_SEQUENCE ? rt_node_count(list) : 0;
    size_t n = 0;
    char **paths = calloc(nlist + app->ntask_sources + app->settings.nsources + 1, sizeof *paths);
    for (size_t i = 0; paths && i < nlist; i++) {
        const char *src = rt_node_scalar(rt_node_at(list, i));
        char path[4096];
        if (src) {
            source_path(app, src, path, sizeof path);
            paths[n++] = strdup(path);
        }
    }
    for (size_t i = 0; paths && i < app->ntask_sources; i++)
        paths[n++] = strdup(app->task_sources[i]);
    for (size_t i = 0; paths && i < app->settings.nsources; i++) {
        const rt_source_spec *spec = &app->settings.sources[i];
        if (spec->enabled && spec->type == RT_SOURCE_FILESYSTEM)
            paths[n++] = strdup(spec->uri);
    }
    const char *writable = rt_store_writable_tasks(app);
    if (paths && writable && !source_listed(app, list, writable))
        paths[n++] = strdup(writable);
    *out = paths;
    return paths ? n : 0;
}

static int sync_all(rt_app *app, rt_store *st, const rt_sync_report *report, size_t *count,
                    int online);

int rt_store_sync_tasks(rt_app *app, rt_store *st, size_t *count)
{
    return sync_all(app, st, NULL, count, 0);
}

int rt_store_sync_tasks_report(rt_app *app, rt_store *st, const rt_sync_report *report,
                               size_t *count)
{
    return sync_all(app, st, report, count, 1);
}

static int sync_all(rt_app *app, rt_store *st, const rt_sync_report *report, size_t *count,
                    int online)
{
    sync_run run = {NULL, 0, report, 0, NULL, online, !online};
    int rc = RT_EXIT_OK;
    const ratchet_node *list = rt_cfg_node(rt_settings_section(&app->settings, "engine"), "tasks");
    if (list && list->kind != RATCHET_NODE_SEQUENCE)
        return rt_sync_fail(&run, "engine.tasks",
                            "%s: engine.tasks: expected a list of task folders, .zip files or "
                            "collections",
                            rt_node_where(list));
    for (size_t i = 0; i < rt_node_count(list); i++) {
        const char *src = rt_node_scalar(rt_node_at(list, i));
        if (!src)
            return rt_sync_fail(&run, "engine.tasks", "%s: engine.tasks[%zu]: expected a path",
                                rt_node_where(rt_node_at(list, i)), i);
        char path[4096];
        source_path(app, src, path, sizeof path);
        if (sync_source(st, path, &run) != RT_EXIT_OK)
            rc = RT_EXIT_FAIL;
    }
    for (size_t i = 0; i < app->ntask_sources; i++)
        if (sync_source(st, app->task_sources[i], &run) != RT_EXIT_OK)
            rc = RT_EXIT_FAIL;
    for (size_t i = 0; i < app->settings.nsources; i++) {
        const rt_source_spec *spec = &app->settings.sources[i];
        if (spec->enabled && spec->type == RT_SOURCE_FILESYSTEM &&
            sync_source(st, spec->uri, &run) != RT_EXIT_OK)
            rc = RT_EXIT_FAIL;
    }
    if (rt_sync_registries(app, st, &run) != RT_EXIT_OK)
        rc = RT_EXIT_FAIL;
    const char *writable = rt_store_writable_tasks(app);
    if (writable && !source_listed(app, list, writable)) {
        run.quiet_empty = 1;
        if (rt_make_dirs(writable) != 0)
            rc = rt_sync_fail(&run, writable, "engine.writable_tasks: cannot create %s: %s",
                              writable, strerror(errno));
        else if (sync_source(st, writable, &run) != RT_EXIT_OK)
            rc = RT_EXIT_FAIL;
    }
    if (count)
        *count = run.nseen;
    rt_sync_run_free(&run);
    return rc;
}

int rt_store_sync_path(rt_store *st, const char *path, const rt_sync_report *report)
{
    sync_run run = {NULL, 0, report, 0, NULL, 0, 1};
    int rc = sync_source(st, path, &run);
    rt_sync_run_free(&run);
    return rc;
}

/* ---- lookups -------------------------------------------------------------------------------- */

int rt_store_find_task(rt_store *st, const char *name, const char *version, int64_t *version_id,
                       struct json_object **version_json)
{
    ratchet_buf out = RATCHET_BUF_INIT;
    rt_error_clear();
    ratchet_status s = st->vt->task_list(st->inst, &out);
    if (s != RATCHET_OK) {
        rt_buf_free(&out);
        return rt_store_fail(s, "listing tasks");
    }
    struct json_object *tasks = rt_store_json(&out, "listing tasks");
    rt_buf_free(&out);
    if (!tasks)
        return RT_EXIT_FAIL;
    int64_t id = 0;
    ratchet_buf names = RATCHET_BUF_INIT, versions = RATCHET_BUF_INIT;
    size_t n = json_object_array_length(tasks);
    for (size_t i = 0; i < n && id == 0; i++) {
        struct json_object *t = json_object_array_get_idx(tasks, i), *v, *vs;
        json_object_object_get_ex(t, "name", &v);
        rt_buf_printf(&names, "%s%s", i ? ", " : "", json_object_get_string(v));
        if (strcmp(json_object_get_string(v), name) != 0)
            continue;
        const char *want = version;
        if (!want && json_object_object_get_ex(t, "latestVersion", &v))
            want = json_object_get_string(v);
        json_object_object_get_ex(t, "versions", &vs);
        for (size_t k = 0; k < json_object_array_length(vs); k++) {
            struct json_object *ver = json_object_array_get_idx(vs, k), *vv, *vid;
            json_object_object_get_ex(ver, "version", &vv);
            rt_buf_printf(&versions, "%s%s", k ? ", " : "", json_object_get_string(vv));
            if (want && strcmp(json_object_get_string(vv), want) == 0 &&
                json_object_object_get_ex(ver, "id", &vid))
                id = json_object_get_int64(vid);
        }
        if (id == 0) {
            rt_cli_fail("task '%s' has no version %s (stored: %s)", name, want ? want : "?",
                        versions.data ? versions.data : "none");
            json_object_put(tasks);
            rt_buf_free(&names);
            rt_buf_free(&versions);
            return RT_EXIT_FAIL;
        }
    }
    json_object_put(tasks);
    int rc = RT_EXIT_OK;
    if (id == 0) {
        rc = rt_cli_fail("no task named '%s' (stored: %s); load tasks with --tasks PATH or "
                         "engine.tasks",
                         name, names.data ? names.data : "none");
    } else {
        ratchet_buf rec = RATCHET_BUF_INIT;
        s = st->vt->task_version_get(st->inst, id, &rec);
        if (s != RATCHET_OK)
            rc = rt_store_fail(s, name);
        else if (!(*version_json = rt_store_json(&rec, name)))
            rc = RT_EXIT_FAIL;
        rt_buf_free(&rec);
        *version_id = id;
    }
    rt_buf_free(&names);
    rt_buf_free(&versions);
    return rc;
}
