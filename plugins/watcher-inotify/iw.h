/*
 * iw.h - internals of the watcher-inotify plugin.
 *
 *   iw_burst.c  the changes of one burst: a set of distinct paths and the debounce clock
 *               (pure logic, no system calls: unit-tested on its own)
 *   iw_tree.c   the inotify watch table: watch descriptor -> folder, recursive adds
 *   inotify.c   the descriptor, the instance lifecycle and the watching thread
 */
#ifndef IW_H
#define IW_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "ratchet/plugin.h"

/* ---- iw_burst.c ---------------------------------------------------------------------------- */

/* The paths changed since the last report, with the times that decide when to report. Owned
 * by its root; not thread-safe (the instance lock guards it). */
typedef struct iw_burst {
    char **slots;     /* open-addressing hash set of owned strings; NULL = empty */
    size_t cap;       /* slots (a power of two, or 0) */
    size_t count;     /* paths held */
    size_t max;       /* paths kept per burst; beyond: overflow */
    int overflow;     /* events were lost: report everything under the root */
    int64_t first_ns; /* monotonic time of the burst's first event; 0 = no burst */
    int64_t last_ns;  /* ... and of its latest */
} iw_burst;

void iw_burst_init(iw_burst *b, size_t max);
/* Record `path` (copied) at time now_ns. Returns 0, or -1 when out of memory (the burst then
 * overflows, so nothing is lost silently). */
int iw_burst_add(iw_burst *b, const char *path, int64_t now_ns);
/* Record a loss of events at now_ns. */
void iw_burst_lose(iw_burst *b, int64_t now_ns);
/* When the burst is due: its last event plus `quiet_ns`, capped at its first event plus
 * `max_ns`. INT64_MAX when there is no burst. */
int64_t iw_burst_due(const iw_burst *b, int64_t quiet_ns, int64_t max_ns);
/* Move the burst's paths into a new NULL-terminated array (*paths, *n; the caller frees each
 * string and the array with free()) and empty the burst. -1 when out of memory (the burst is
 * then emptied with overflow set in *overflow). */
int iw_burst_take(iw_burst *b, char ***paths, size_t *n, int *overflow);
void iw_burst_free(iw_burst *b);

/* ---- iw_tree.c ----------------------------------------------------------------------------- */

typedef struct iw_dir {
    int wd;
    char *path; /* absolute, owned */
} iw_dir;

/* The folders watched on one inotify descriptor. Not thread-safe (the instance lock). */
typedef struct iw_tree {
    int fd;
    iw_dir *dirs;
    size_t ndirs, cap;
} iw_tree;

/* Folder events: what a watched folder reports about its entries and itself. */
#define IW_TREE_MASK                                                                               \
    (IN_CREATE | IN_DELETE | IN_MODIFY | IN_CLOSE_WRITE | IN_ATTRIB | IN_MOVED_FROM |              \
     IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR | IN_DONT_FOLLOW | IN_EXCL_UNLINK)
/* What the parent of a root reports: the root appearing or going. */
#define IW_PARENT_MASK                                                                             \
    (IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_ONLYDIR | IN_DONT_FOLLOW |           \
     IN_MASK_ADD)

/* Callback for each entry found while adding a tree (so that files created in a new folder
 * before its watch existed are reported too). */
typedef void (*iw_found_fn)(void *user, const char *path);

/* Watch `dir` with `mask`; an existing watch of the same folder keeps its table entry (and its
 * path is updated). 0, or -1 with errno (ENOSPC: out of watches). */
int iw_tree_add(iw_tree *t, const char *dir, uint32_t mask);
/* Watch `dir` and every folder below it (symbolic links are not followed), calling found() for
 * each entry below `dir` when not NULL. Folders that vanish meanwhile are skipped. 0, or -1
 * with errno for the first failure that is not a vanished folder. Bounded depth (64). */
int iw_tree_add_all(iw_tree *t, const char *dir, iw_found_fn found, void *user);
/* The folder of watch `wd`, or NULL. */
const char *iw_tree_path(const iw_tree *t, int wd);
/* Forget watch `wd` (after IN_IGNORED: the kernel already removed it). */
void iw_tree_forget(iw_tree *t, int wd);
/* Remove the watches of `dir` and of everything below it (a folder moved away). */
void iw_tree_remove_below(iw_tree *t, const char *dir);
void iw_tree_free(iw_tree *t);

/* 1 when `path` is `dir` or below it. */
int iw_path_under(const char *path, const char *dir);

#endif
