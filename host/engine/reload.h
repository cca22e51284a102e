/*
 * host/engine/reload.h - serve follows its task folders: a watcher instance reports changed
 * files, and only the tasks they belong to are loaded, validated, compiled and stored again.
 *
 * What a reload does with one task source (a task folder or .zip):
 *  - it loads and compiles: stored as a new version when its content changed (an edit under an
 *    unchanged version becomes the revision "VERSION+rN", see store_revise.c), so the next
 *    job resolving the task by name runs it; jobs already queued keep the version id they
 *    were queued with. Versions are cached by id (engine and API), and names resolve against
 *    the storage's task list on each call, so nothing needs invalidating.
 *  - it does not load: the last good version stays active; the error (with file and line where
 *    the loader or compiler gives them) is logged and recorded for `ratchet tasks show`
 *    (task_errors.h), and forgotten on the next good load.
 *  - it is gone: the task whose latest version came from it is disabled (not deleted; its
 *    history stays), and enabled again when a folder holding it comes back.
 */
#ifndef RT_RELOAD_H
#define RT_RELOAD_H

#include "core/core_layer.h"
#include "store.h"
#include "task_errors.h"

typedef struct rt_reload rt_reload;

/* Start watching every filesystem task source of `app` (rt_store_task_sources) with the first
 * configured instance of a watcher plugin, else watcher-inotify with its default options.
 * NULL (and a log line saying why, at info level when it is a choice) when engine.watch is
 * false, there is no source or no watcher plugin, or the watcher fails to start: serve then
 * runs without reloads. `app` and `st` must outlive the result. Main thread; reloads run on
 * the watcher's thread. */
rt_reload *rt_reload_start(rt_app *app, rt_store *st);

/* Stop the watcher (a reload under way finishes first) and free everything. NULL is fine.
 * Main thread. */
void rt_reload_stop(rt_reload *r);

#endif
