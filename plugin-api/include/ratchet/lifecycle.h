/*
 * ratchet/lifecycle.h - the instance lifecycle shared by every plugin kind.
 *
 * A plugin (the loaded .so, one per process) is separate from its instances (one per entry
 * under `instances:` in ratchet.yaml; a plugin may have several, each with its own options).
 * Every kind's vtable begins, after its ABI header, with this lifecycle:
 *
 *     create -> start -> stop -> destroy
 *
 * The host calls these on its main thread, one instance at a time, never concurrently for
 * one instance: create() for every configured instance in file order, then start() in the
 * same order; at shutdown stop() in reverse order, then destroy() in reverse order. If
 * create() fails, nothing else is called for that instance. If start() fails, destroy() (not
 * stop()) is called. Kind-specific callbacks (such as logger.log) are only called between a
 * successful start() and the matching stop().
 */
#ifndef RATCHET_LIFECYCLE_H
#define RATCHET_LIFECYCLE_H

#include "host.h"

typedef struct ratchet_lifecycle {
    /* Build an instance from its validated options and store it in *instance. `ctx` and
     * `cfg` stay valid until destroy() returns, so the instance may keep them. Allocate the
     * instance with host->alloc (or your own allocator: the host never frees it). Return
     * RATCHET_OK, or RATCHET_ERR after host->set_error(ctx, "why"). Must not start threads or
     * take external resources that stop() would have to undo: that is start()'s job.
     * Required. */
    ratchet_status (*create)(ratchet_ctx *ctx, const ratchet_config *cfg, void **instance);

    /* Begin work: open files, start threads, connect. RATCHET_OK, or RATCHET_ERR after
     * set_error. Optional (NULL: nothing to do). */
    ratchet_status (*start)(void *instance);

    /* Finish work: flush, join threads, close connections. Must return even if the outside
     * world misbehaves (bound every wait). Optional. */
    void (*stop)(void *instance);

    /* Free the instance. After it returns the host never uses `instance` again. Required. */
    void (*destroy)(void *instance);
} ratchet_lifecycle;

#endif /* RATCHET_LIFECYCLE_H */
