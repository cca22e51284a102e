/*
 * rs_sched.c - the schedule calls of both storage plugins, over their statements (see
 * rs_sched.h).
 */
#include <string.h>

#include "rs_calls.h"
#include "rs_docs.h"
#include "rs_out.h"
#include "rs_sched.h"

ratchet_status rs_schedule_add(const rs_sched_ops *ops, void *inst, const char *schedule_json,
                               int64_t *id)
{
    *id = 0;
    ratchet_status s = ops->ready(inst);
    if (s != RATCHET_OK)
        return s;
    rs_sched_doc d;
    int64_t changes = 0;
    s = rs_sched_parse(ops->ctx(inst), schedule_json, &d);
    if (s == RATCHET_OK)
        s = ops->write_tx(inst, ops->insert, &d, &changes);
    if (s == RATCHET_OK)
        *id = d.id;
    rs_sched_doc_free(&d);
    return s;
}

ratchet_status rs_schedule_set_enabled(const rs_sched_ops *ops, void *inst, int64_t id, int enabled,
                                       int64_t next_run_ms)
{
    rs_sched_change a = {id, next_run_ms, enabled};
    int64_t changes = 0;
    if (rs_time_arg(ops->ctx(inst), "next_run_ms", next_run_ms) != RATCHET_OK)
        return RATCHET_ERR;
    ratchet_status s = ops->write_tx(inst, ops->enable, &a, &changes);
    return rs_not_found(ops->ctx(inst), s, changes, "schedule", id);
}

ratchet_status rs_schedule_remove(const rs_sched_ops *ops, void *inst, int64_t id)
{
    rs_sched_change a = {id, 0, 0};
    int64_t changes = 0;
    ratchet_status s = ops->write_tx(inst, ops->remove, &a, &changes);
    return rs_not_found(ops->ctx(inst), s, changes, "schedule", id);
}

ratchet_status rs_schedule_update(const rs_sched_ops *ops, void *inst, int64_t id,
                                  const char *patch_json, int64_t next_run_ms)
{
    rs_sched_patch p;
    memset(&p, 0, sizeof p);
    p.enabled = -1;
    p.id = id;
    p.next_run = next_run_ms;
    int64_t changes = 0;
    if (rs_time_arg(ops->ctx(inst), "next_run_ms", next_run_ms) != RATCHET_OK)
        return RATCHET_ERR;
    ratchet_status s = rs_sched_patch_parse(ops->ctx(inst), patch_json, &p);
    if (s == RATCHET_OK)
        s = ops->write_tx(inst, ops->update, &p, &changes);
    json_object_put(p.doc);
    rs_host->free(p.input);
    rs_host->free(p.meta);
    return rs_not_found(ops->ctx(inst), s, changes, "schedule", id);
}

ratchet_status rs_delivery_record(const rs_sched_ops *ops, void *inst, const char *delivery_json)
{
    ratchet_status s = ops->ready(inst);
    if (s != RATCHET_OK)
        return s;
    rs_delivery d;
    int64_t changes = 0;
    s = rs_delivery_parse(ops->ctx(inst), delivery_json, &d);
    if (s == RATCHET_OK)
        s = ops->write_tx(inst, ops->deliver, &d, &changes);
    json_object_put(d.doc);
    rs_host->free(d.destination);
    return s;
}
