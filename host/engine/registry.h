/*
 * host/engine/registry.h - task registries (registry.sources of type http): an index.json
 * (registry_index.h) listing task zips, fetched with libcurl and kept in a cache folder,
 * followed by `serve` on each source's interval and by `ratchet tasks sync`.
 *
 * The cache (registry.cache_dir, default <data_dir>/registry) holds per source NAME:
 *   NAME/index.cache.json   the last good index: {url, etag, lastModified, fetchedAt,
 *                           index (its text)}
 *   NAME/zips/TASK-VERSION-KEY.zip   each zip downloaded and checked, KEY from its sha256
 *   NAME/disabled.json      the tasks this registry disabled (gone from its index)
 * A fetch sends If-None-Match with the cached ETag (and If-Modified-Since with its
 * Last-Modified, for servers without ETags), so an unchanged index costs a 304, and a
 * zip already in the cache is never downloaded again (a restart fetches nothing new). When
 * the index cannot be fetched or read, the last good one is used: the tasks stay as they were.
 *
 * A zip is checked before it is stored: its size while it downloads (max_zip_size; the
 * transfer is cut off past it) and against the index's size, its sha256 when the index gives
 * one; then, as any task, its entries (no path escapes, no symlinks: task_zip.c), its
 * metadata and its code (store.c), and that it holds the name and version the index lists.
 * A registry's versions are never revised: the same name and version with other content,
 * there or anywhere else, is reported with both places and the stored copy stays.
 *
 * A task the index no longer lists is disabled when its latest version came from this
 * registry (store_registry.c; NAME/disabled.json in the cache remembers which), and enabled
 * again when it is listed again. Credentials (auth.token_env) are sent to the index's own
 * origin only.
 */
#ifndef RT_REGISTRY_H
#define RT_REGISTRY_H

#include <stdio.h>

#include "core/core_layer.h"
#include "store.h"

/* One task of a registry, downloaded and checked, ready to load. */
typedef struct rt_reg_item {
    char *zip;  /* the cached zip */
    char *url;  /* where it came from: stored as the version's source */
    char *name; /* as the index lists it */
    char *version;
} rt_reg_item;

typedef struct rt_reg_pull {
    rt_reg_item *items;
    size_t nitems;
    rt_reg_item *removed; /* tasks the last good index listed and the one fetched now does
                             not (by name; zip is NULL) */
    size_t nremoved;
    int not_modified; /* the server answered 304: the cached index is current */
    int stale;        /* the index could not be fetched or read: the last good one was used */
    size_t problems;  /* problems reported */
} rt_reg_pull;

/* Where a problem goes: `source` is "registry NAME" or a zip's URL; the message names the
 * registry, the task and what is wrong. */
typedef void (*rt_reg_problem_fn)(void *data, const char *source, const char *message);

/* The index and zips of http source `spec`: fetched (online; the index with If-None-Match,
 * the zips not yet cached) or from the cache only (online == 0: nothing is fetched and a zip
 * never downloaded is skipped). `cancel` (may be NULL) abandons the transfers when set.
 * Problems go to `problem`; *out lists the zips to store (rt_reg_pull_free). Any thread;
 * two pulls of one source may run at once (files are replaced by rename). */
void rt_registry_pull(const rt_app *app, const rt_source_spec *spec, int online, const int *cancel,
                      rt_reg_problem_fn problem, void *data, rt_reg_pull *out);
void rt_reg_pull_free(rt_reg_pull *p);

/* The cache folder of the registries (registry.cache_dir, else <data_dir>/registry); a
 * malloc'd string. */
char *rt_registry_cache_root(const rt_app *app);

/* Pull `spec` (online) and store its tasks as `tasks sync` does. With skip_unchanged, an
 * index answered 304 stores nothing. Problems and stored versions go to `report`
 * (required). RT_EXIT_OK, or RT_EXIT_FAIL when a problem was reported. */
int rt_store_sync_registry(rt_app *app, rt_store *st, const rt_source_spec *spec,
                           const rt_sync_report *report, const int *cancel, int skip_unchanged);

/* serve: one thread polls every enabled http source, first at once, then every
 * polling_interval, storing what changed and logging what was stored and what failed. NULL
 * (nothing to poll, or out of memory) is fine. `app` and `st` must outlive it. Main thread. */
typedef struct rt_reg_poller rt_reg_poller;
rt_reg_poller *rt_reg_poller_start(rt_app *app, rt_store *st);
/* Stop it: a transfer under way is abandoned within about a second. NULL is fine. */
void rt_reg_poller_stop(rt_reg_poller *p);

/* `ratchet registry serve-index`: every task under `dir` (folders and .zip files) is
 * validated, written as NAME-VERSION.zip beside `index_path` (folders zipped, zips copied)
 * and listed in `index_path` with its sha256 and size; URLs are relative to the index, or
 * `base_url` + the file name when given. One line per task goes to `out`. On a problem (a
 * task that does not load, the same name and version twice, a write error): RT_EXIT_FAIL
 * with each problem printed, and no index is written. */
int rt_registry_write_index(const char *dir, const char *index_path, const char *base_url,
                            FILE *out);

#endif
