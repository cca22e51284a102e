/*
 * ratchet/watcher.h - the watcher kind (since ABI 1.5): tells the host when files under a
 * folder change, so that `serve` reloads the tasks they belong to while it runs.
 *
 * The host asks an instance to watch each filesystem task source (a folder of task folders, a
 * task folder, or the folder holding a .zip). The watcher follows the whole tree below `root`
 * (folders created later included), gathers the changes of one burst (an editor's save by
 * rename, a `git checkout`, a zip rewritten in place) and reports them once, after the tree
 * has been quiet for its debounce interval (by convention an option `debounce`, 500 ms by
 * default). It does not interpret the files: deciding which tasks a path belongs to is the
 * host's job.
 *
 * Order (on top of lifecycle.h): `serve` creates and starts watcher instances once the engine
 * interface is published and the tasks are stored, calls watch() for each source, and stops
 * them before the front ends stop. Other commands do not start watcher instances.
 */
#ifndef RATCHET_WATCHER_H
#define RATCHET_WATCHER_H

#include "lifecycle.h"

/*
 * What the watcher reports after a burst. `root` is the root given to watch(); `paths[0..n-1]`
 * the distinct absolute paths that changed (created, written, renamed to or from, deleted),
 * files and folders alike, in no particular order; `overflow` is nonzero when events were lost
 * (the kernel queue overflowed, or more than the watcher keeps per burst): the host must then
 * treat everything under `root` as changed, and `paths` may be incomplete.
 *
 * Everything is borrowed for the duration of the call. Called on a thread of the watcher's
 * own, never on two threads at once for one instance, never after stop() has returned. It may
 * take long (the host reloads tasks in it); the watcher keeps collecting meanwhile and reports
 * what happened during the call in a later call.
 */
typedef void (*ratchet_watch_fn)(void *user, const char *root, const char *const *paths, size_t n,
                                 int overflow);

typedef struct ratchet_watcher_vtable {
    ratchet_abi abi;
    ratchet_lifecycle life; /* start() begins the watching thread; stop() joins it */

    /* Watch `root` (an absolute path to a folder; copied) and everything below it, reporting
     * bursts to fn(user, ...). A root that disappears is watched again when it reappears (the
     * watcher follows its parent folder), and its disappearance is reported. Called on the
     * host's main thread after start(), possibly several times with different roots; `user`
     * must stay valid until stop() returns. RATCHET_OK, RATCHET_ERR after set_error (no such
     * folder, out of watches: the message says which limit to raise), RATCHET_NOMEM. Required. */
    ratchet_status (*watch)(void *instance, const char *root, ratchet_watch_fn fn, void *user);

    /* Stop watching `root` (as given to watch()); no call for it starts after this returns.
     * RATCHET_NOTFOUND when it was not watched. Main thread. Optional (NULL: roots are
     * dropped only by stop()). */
    ratchet_status (*unwatch)(void *instance, const char *root);
} ratchet_watcher_vtable;

#endif /* RATCHET_WATCHER_H */
