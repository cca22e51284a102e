/*
 * host/engine/store_int.h - one sync of the task sources, shared by store.c (filesystem
 * sources) and store_registry.c (registry sources). Not part of the engine's interface.
 */
#ifndef RT_STORE_INT_H
#define RT_STORE_INT_H

#include "store.h"

struct seen_task;

/* One sync: the versions seen so far (so that the same name and version from two sources is
 * reported) and where problems go. */
typedef struct rt_sync_run {
    struct seen_task *seen;
    size_t nseen;
    const rt_sync_report *report; /* NULL: print */
    int quiet_empty;              /* an empty source is normal (engine.writable_tasks) */
    struct json_object *stored;   /* rt_store_versions_index, loaded on first need */
    int online;                   /* registries: fetch (1) or read the cache only (0) */
    int quiet_registry;           /* registry problems are logged at debug level, not reported */
} rt_sync_run;

/* One task to store. */
typedef struct rt_sync_item {
    const char *path;   /* what to load: a folder or .zip */
    const char *source; /* recorded as the version's source and named in messages */
    const char *expect_name, *expect_version; /* NULL, or what the zip must hold */
    int immutable; /* a registry's version: never revised, a changed copy is a conflict */
} rt_sync_item;

/* Free what a run holds (not the run itself). */
void rt_sync_run_free(rt_sync_run *run);

/* A problem with `source`: to the run's report, else printed. Returns RT_EXIT_FAIL. */
int rt_sync_fail(rt_sync_run *run, const char *source, const char *fmt, ...) RATCHET_PRINTF(3, 4);

/* Load, check, compile and store one task (store.c). RT_EXIT_OK or RT_EXIT_FAIL (reported). */
int rt_sync_task(rt_store *st, rt_sync_run *run, const rt_sync_item *item);

/* Every enabled http source of registry.sources, pulled (registry.h) and stored
 * (store_registry.c). RT_EXIT_OK, or RT_EXIT_FAIL when something was reported. */
int rt_sync_registries(rt_app *app, rt_store *st, rt_sync_run *run);

/* Choose the storage from app->storage_url (store_url.c): its plugin, the other options of a
 * configured instance of that plugin with `url`/`path` replaced, st->where. Prints the error
 * and returns RT_EXIT_FAIL (bad URL, plugin not installed, bad options). */
int rt_store_from_url(rt_app *app, rt_store *st);

#endif
