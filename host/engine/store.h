/*
 * host/engine/store.h - the engine's storage instance and the task registry kept in it.
 *
 * The storage is the one a storage URL names (--storage-url, else RATCHET_STORAGE_URL:
 * store_url.c), else the first configured instance of kind storage, else the plugin
 * storage-sqlite with its database in engine.data_dir (or --data-dir). Operator commands
 * (`jobs`, `tasks`, `schedules`, `executions`) open it the same way `serve` does, so they work
 * on the same data, also while `serve` runs.
 */
#ifndef RT_STORE_H
#define RT_STORE_H

#include <json-c/json.h>

#include "core/core_layer.h"
#include "ratchet/storage.h"

typedef struct rt_store {
    const rt_plugin *plugin;
    const ratchet_storage_vtable *vt;
    void *inst;
    ratchet_ctx *ctx;
    ratchet_config *cfg;
    rt_node *opts; /* options built for the default instance, or NULL */
    int started;
    ratchet_buf where; /* where the data is, for the log: a path or a URL with its password
                        * masked, and what chose it */
} rt_store;

/* Open and start the storage, loading only its plugin and those of the configured instances
 * when no plugins are loaded yet (rt_app_load_plugins_some). Prints the error and returns
 * RT_EXIT_FAIL on failure. */
int rt_store_open(rt_app *app, rt_store *st);
/* The plugin that will hold the data when no storage instance is configured: the one
 * --storage-url (or its environment variables) selects, else storage-sqlite. */
const char *rt_store_plugin_name(const rt_app *app);
void rt_store_close(rt_store *st);

/* A storage URL: "postgresql://..." or "postgres://..." selects storage-postgres (*location
 * is the URL, for its `url` option); "sqlite:PATH", "sqlite://PATH" or a bare PATH selects
 * storage-sqlite (*location is PATH, for its `path` option; borrowed from `url`). -1 with a
 * message in *err for an empty URL, an unknown scheme or an SQLite URL without a path. */
int rt_store_url_parse(const char *url, const char **plugin, const char **location, rt_error *err);

/* `text` with every password it holds replaced by "***": the password of a URI's userinfo
 * (postgresql://u:***@h/db) and the value of a password= keyword (a URI query parameter or a
 * libpq "key=value" string). A malloc'd copy the caller frees; NULL for NULL or when out of
 * memory. */
char *rt_url_mask(const char *text);

/* After a storage call returned `rc` (not OK): print "ratchet: <what>: <reason>" and return
 * the exit status (RT_EXIT_FAIL). */
int rt_store_fail(ratchet_status rc, const char *what);

/* Load every task from engine.tasks, --tasks, the filesystem sources of registry.sources and
 * engine.writable_tasks, and store each version (task_sync); the http registries' tasks come
 * from their cache only (registry.h; nothing is fetched, and their problems are logged at
 * debug level). Two sources holding the same name and version are reported: identical
 * content is a warning, different content an error (naming both places, also when the other
 * copy was stored before). Prints problems; returns RT_EXIT_OK or RT_EXIT_FAIL. *count (may
 * be NULL) receives the number of task versions synced. */
int rt_store_sync_tasks(rt_app *app, rt_store *st, size_t *count);

/* Where rt_store_sync_tasks_report sends what it finds, instead of printing: `problem` for
 * each task source that could not be stored (the source's path and why), `stored` for each
 * version stored (created: new, else it was already there). Either may be NULL. */
typedef struct rt_sync_report {
    void (*problem)(void *data, const char *source, const char *message);
    void (*stored)(void *data, const char *name, const char *version, int created);
    void *data;
} rt_sync_report;

/* rt_store_sync_tasks reporting to `report` (NULL: print, as rt_store_sync_tasks does), with
 * the http registries fetched now (`tasks sync`) and their problems reported too. Safe to
 * call while the engine runs (task_sync is idempotent per checksum). */
int rt_store_sync_tasks_report(rt_app *app, rt_store *st, const rt_sync_report *report,
                               size_t *count);

/* Sync every task source (as rt_store_sync_tasks_report) and sum it up: {added: [{name,
 * version}] (tasks new to the storage), updated: [{name, version}] (new versions of stored
 * tasks), unchanged: N, errors: [{source, message}]}; the caller puts it. NULL when the
 * storage cannot list its tasks (its error in rt_error_peek()). Any thread. */
struct json_object *rt_store_sync_summary(rt_app *app, rt_store *st);

/* Store the task or tasks at `path` (a task folder, .zip or collection) as
 * rt_store_sync_tasks_report does for one source. RT_EXIT_OK, or RT_EXIT_FAIL with the problems
 * sent to `report` (NULL: printed). */
int rt_store_sync_path(rt_store *st, const char *path, const rt_sync_report *report);

/* engine.writable_tasks (the folder tasks are authored into, resolved), or NULL when unset. It
 * is synced by rt_store_sync_tasks* after the other sources (created when missing) unless it
 * is one of them. */
const char *rt_store_writable_tasks(const rt_app *app);

/* The filesystem task sources rt_store_sync_tasks reads (engine.tasks resolved against the
 * configuration's folder, --tasks, registry.sources of type filesystem,
 * engine.writable_tasks), into *out: a malloc'd array of
 * malloc'd strings (an entry may be NULL when out of memory) the caller frees. Returns how
 * many. */
size_t rt_store_task_sources(const rt_app *app, char ***out);

/* Resolve `name` (and `version`, NULL for the latest) to a stored task version: its id and,
 * in *version_json, the full version record (code, schemas; caller puts it). Prints a clear
 * error ("no task named 'x' (stored: a, b)") and returns RT_EXIT_FAIL when there is none. */
int rt_store_find_task(rt_store *st, const char *name, const char *version, int64_t *version_id,
                       struct json_object **version_json);

/* The stored versions by task name, {name: [{id, version, checksum, source, ...}]}, for
 * rt_store_revise; the caller puts it. NULL when the storage cannot list its tasks (its error
 * in rt_error_peek()). One task_list: a sync builds it once per run. */
struct json_object *rt_store_versions_index(rt_store *st);

/* Before storing task `t` (loaded from `path`, checksum `checksum`, record `rec`), with
 * `index` from rt_store_versions_index: when its version is already stored with other content
 * from this same path (the folder was edited in place), make it the newest revision when that
 * holds this content, else the next revision "VERSION+rN": t->version and rec's "version" are
 * replaced (store_revise.c). Content from another path is left alone (the storage refuses
 * it). 0, or -1 when out of memory. */
struct rt_task;
int rt_store_revise(struct json_object *index, struct rt_task *t, const char *path,
                    const char *checksum, struct json_object *rec);

/* Parse a storage JSON reply (a buffer the storage filled); NULL with a printed error. */
struct json_object *rt_store_json(const ratchet_buf *buf, const char *what);

#endif
