/*
 * host/engine/outbox.h - deliveries of finished jobs' outputs (webhooks, files), off the engine's
 * loop: one delivery thread works through a queue, calls rt_deliver() for each destination
 * (with its retries) and records every result in storage (delivery_record).
 */
#ifndef RT_OUTBOX_H
#define RT_OUTBOX_H

#include <json-c/json.h>

#include "jobtrace.h"
#include "ratchet/storage.h"

typedef struct rt_outbox rt_outbox;

/* Start the delivery thread. `base_dir` resolves relative file destinations (copied). */
rt_outbox *rt_outbox_start(const ratchet_storage_vtable *vt, void *instance, const char *base_dir);

/* Queue the deliveries of one finished job: `outputs` is the job's destinations array (a
 * reference is taken), the rest describes the job (strings copied; output/error JSON text may
 * be NULL). `trace` (copied; NULL: none) is the attempt's: each delivery becomes a span
 * "deliver <type>" under its root, and what the delivery thread logs carries the trace. */
void rt_outbox_push(rt_outbox *ob, struct json_object *outputs, int64_t job_id,
                    int64_t execution_id, const char *task, const char *version, const char *status,
                    const char *output_json, const char *error_json, const rt_job_trace *trace);

/* Finish what is queued within grace_ms (retries are cut short after that), then stop. */
void rt_outbox_stop(rt_outbox *ob, int64_t grace_ms);

#endif
