/*
 * rs_sched.h - storage-common: the schedule calls of the storage vtable (schedule_add,
 * schedule_set_enabled, schedule_remove, schedule_update, delivery_record) over a plugin's
 * statements. This
 * file reads and checks the arguments and maps "nothing changed" to RATCHET_NOTFOUND; the
 * plugin runs each statement in its own write transaction.
 */
#ifndef RS_SCHED_H
#define RS_SCHED_H

#include <stdint.h>

#include <ratchet/plugin.h>

/* One statement inside the plugin's write transaction, on its instance and connection; it
 * sets *changes to the rows it changed (0: none). RATCHET_* after set_error on failure. */
typedef ratchet_status (*rs_write_fn)(void *inst, void *conn, void *arg, int64_t *changes);

/* schedule_set_enabled's and schedule_remove's argument. */
typedef struct rs_sched_change {
    int64_t id, next_run;
    int enabled;
} rs_sched_change;

/* What a plugin gives the schedule calls. */
typedef struct rs_sched_ops {
    ratchet_status (*ready)(void *inst); /* RATCHET_ERR (set_error) unless started */
    ratchet_ctx *(*ctx)(void *inst);     /* for set_error */
    /* Run fn in a write transaction of its own: commit when it succeeds (waking waiters when
     * *changes > 0), else roll back; returns the final status. Checks ready() itself. */
    ratchet_status (*write_tx)(void *inst, rs_write_fn fn, void *arg, int64_t *changes);
    rs_write_fn insert;  /* arg rs_sched_doc: store it, set its id */
    rs_write_fn enable;  /* arg rs_sched_change: enabled and next_run of schedule id */
    rs_write_fn remove;  /* arg rs_sched_change: delete schedule id */
    rs_write_fn update;  /* arg rs_sched_patch: apply it to schedule p->id */
    rs_write_fn deliver; /* arg rs_delivery: store it (*changes 0: nobody waits for them) */
} rs_sched_ops;

/* The vtable calls (see ratchet/storage.h), instance being the plugin's. Unknown ids are
 * RATCHET_NOTFOUND "schedule <id> does not exist"; bad documents RATCHET_ERR naming the
 * member; next_run_ms must lie in 1970..9999. */
ratchet_status rs_schedule_add(const rs_sched_ops *ops, void *inst, const char *schedule_json,
                               int64_t *id);
ratchet_status rs_schedule_set_enabled(const rs_sched_ops *ops, void *inst, int64_t id, int enabled,
                                       int64_t next_run_ms);
ratchet_status rs_schedule_remove(const rs_sched_ops *ops, void *inst, int64_t id);
/* delivery_record: RATCHET_NOTFOUND when its job or execution is unknown. */
ratchet_status rs_delivery_record(const rs_sched_ops *ops, void *inst, const char *delivery_json);
ratchet_status rs_schedule_update(const rs_sched_ops *ops, void *inst, int64_t id,
                                  const char *patch_json, int64_t next_run_ms);

#endif /* RS_SCHED_H */
