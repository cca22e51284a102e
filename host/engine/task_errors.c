/*
 * host/engine/task_errors.c - why a task source last failed to reload, kept in the data
 * directory (task-errors.json: {"<source path>": {"error": "...", "at": "<ISO time>"}}) so
 * that `ratchet tasks show` (another process) can print it next to the version still active.
 *
 * A file rather than a storage column: it is what a reload observed about a folder (which may
 * not even name a task any more), not part of a stored version, and it needs no storage ABI
 * change. Written by replacing the file (write a temporary, rename), so readers never see half
 * of it; the writers (serve's reloads) are serialised by a lock.
 */
#include "task_errors.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/core_layer.h"

static pthread_mutex_t errors_lock = PTHREAD_MUTEX_INITIALIZER;

/* <data dir>/task-errors.json into path; 0, or -1 when it does not fit. */
static int errors_path(const rt_app *app, char *path, size_t size)
{
    const char *dir =
        app->data_dir ? app->data_dir
                      : rt_cfg_string(rt_settings_section(&app->settings, "engine"), "data_dir");
    int n = snprintf(path, size, "%s/task-errors.json", dir ? dir : ".");
    return n < 0 || (size_t)n >= size ? -1 : 0;
}

/* The file's object; a new empty one when it is missing or unreadable. */
static struct json_object *errors_load(const char *path)
{
    struct json_object *o = access(path, R_OK) == 0 ? json_object_from_file(path) : NULL;
    if (!json_object_is_type(o, json_type_object)) {
        json_object_put(o);
        o = json_object_new_object();
    }
    return o;
}

static void now_iso(char *buf, size_t size)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void rt_task_errors_set(const rt_app *app, const char *source, const char *message)
{
    char path[4096], tmp[4200];
    if (errors_path(app, path, sizeof path) != 0)
        return;
    int n = snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid());
    if (n < 0 || (size_t)n >= sizeof tmp)
        return;
    pthread_mutex_lock(&errors_lock);
    struct json_object *all = errors_load(path);
    int changed = json_object_object_get_ex(all, source, NULL);
    if (message) {
        char at[32];
        now_iso(at, sizeof at);
        struct json_object *e = json_object_new_object();
        json_object_object_add(e, "error", json_object_new_string(message));
        json_object_object_add(e, "at", json_object_new_string(at));
        json_object_object_add(all, source, e);
        changed = 1;
    } else {
        json_object_object_del(all, source);
    }
    if (changed &&
        (json_object_to_file_ext(tmp, all, JSON_C_TO_STRING_PRETTY) != 0 || rename(tmp, path) != 0))
        rt_log(RATCHET_LOG_WARN, "cannot record the reload error of %s in %s", source, path);
    json_object_put(all);
    pthread_mutex_unlock(&errors_lock);
}

struct json_object *rt_task_errors_get(const rt_app *app, const char *source)
{
    char path[4096];
    if (errors_path(app, path, sizeof path) != 0)
        return NULL;
    struct json_object *all = errors_load(path), *e = NULL;
    if (json_object_object_get_ex(all, source, &e))
        json_object_get(e);
    json_object_put(all);
    return e;
}
