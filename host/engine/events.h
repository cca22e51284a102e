/*
 * host/engine/events.h - the event hub behind ratchet.engine's subscribe(): status changes, console
 * lines and fetch calls of jobs, numbered by one process-wide sequence, kept for a while per job
 * so that a subscriber that connects late (or reconnects with the last seq it saw) misses
 * nothing, and delivered live to the subscribers that follow a job, an execution or all.
 *
 * Retention: at most RT_EVENTS_PER_JOB events per job (the oldest go first); a job's events are
 * dropped RT_EVENTS_KEEP_MS after its final status; all events together hold at most the
 * hub's byte budget (the oldest events go first).
 *
 * Threading: every function may be called from any thread. One mutex serialises publishing,
 * subscribing and unsubscribing, and callbacks run with it held, so the calls for one
 * subscription never overlap and come in seq order. A callback must not call into the hub.
 */
#ifndef RT_EVENTS_H
#define RT_EVENTS_H

#include <stddef.h>
#include <stdint.h>

#include "ratchet/engine.h"

struct json_object;

#define RT_EVENTS_PER_JOB   1000
#define RT_EVENTS_KEEP_MS   (10 * 60 * 1000)
#define RT_EVENTS_MAX_BYTES ((size_t)32 * 1024 * 1024)

typedef struct rt_events rt_events;

/* A hub holding at most max_bytes of event text (0: RT_EVENTS_MAX_BYTES). NULL when out of
 * memory. now_fn gives the time in ms (NULL: the wall clock); tests pass their own. */
rt_events *rt_events_new(size_t max_bytes, int64_t (*now_fn)(void));
/* Free the hub. Every subscription must have been unsubscribed. NULL is ignored. */
void rt_events_free(rt_events *h);

/* Number the event, keep it and deliver it to the matching subscribers. `event_json` (one
 * JSON object, copied) belongs to job `job_id` (> 0) and execution `execution_id` (0: none
 * yet); `final` marks the job's last status, which starts its retention clock. Returns the
 * event's seq, or 0 when it could not be kept (out of memory; it is still delivered live). */
uint64_t rt_events_publish(rt_events *h, int64_t job_id, int64_t execution_id, int final,
                           const char *event_json);

/* See ratchet_engine_api.subscribe: replay held events with seq > after_seq, then live ones.
 * NULL when out of memory. */
ratchet_engine_sub *rt_events_subscribe(rt_events *h, int64_t job_id, int64_t execution_id,
                                        uint64_t after_seq, ratchet_engine_event_fn fn, void *user);
/* See ratchet_engine_api.unsubscribe. NULL is ignored. */
void rt_events_unsubscribe(ratchet_engine_sub *sub);

/* The time (ms) of the job's held "queued" status event, or 0 when none is held: the engine
 * measures queue wait with it. */
int64_t rt_events_queued_ms(rt_events *h, int64_t job_id);

/* Events held and bytes used (for tests and metrics). */
void rt_events_usage(rt_events *h, size_t *events, size_t *bytes);

/* ---- the process-wide hub the engine publishes to ----------------------------------------
 * Set by the API layer (api.h) while it is published; the engine and the fetch relay emit
 * through these functions, which do nothing while no hub is set. Setting NULL waits for
 * emits in progress, so the hub may then be freed. */
void rt_events_set_current(rt_events *h);
/* The current hub (or NULL); valid only while the setter keeps it. */
rt_events *rt_events_current(void);
/* Hold back the emits of other threads until rt_events_unlock_emits (nests; same thread's
 * emits pass), except those of jobs whose last held status is not final (their "queued"
 * came, they are under way). The API stores a job and publishes its "queued" event inside,
 * so that the engine, which may claim the job the moment it is stored, reports it only
 * after: "queued" always precedes "running" (also for a retried job, whose last status was
 * final). Hold it for one storage call at most. */
void rt_events_lock_emits(void);
void rt_events_unlock_emits(void);

/* rt_events_queued_ms on the current hub (0 when none is set). */
int64_t rt_events_current_queued_ms(int64_t job_id);

/* {"type":"status",...}: output_json / error_json are JSON text or NULL; execution_id 0 is
 * written as null; `final` for completed, failed and cancelled. */
void rt_events_emit_status(int64_t job_id, int64_t execution_id, const char *task_name,
                           const char *status, int attempt, const char *output_json,
                           const char *error_json);
/* rt_events_emit_status with the execution's recorded duration as "durationMs" (an attempt
 * that ran; -1: none), so that a waiter needs no storage read for it. */
void rt_events_emit_outcome(int64_t job_id, int64_t execution_id, const char *task_name,
                            const char *status, int attempt, const char *output_json,
                            const char *error_json, int64_t duration_ms);
/* {"type":"log",...} for each {level, message} of `lines` (a json-c array, borrowed). */
void rt_events_emit_logs(int64_t job_id, int64_t execution_id, struct json_object *lines);
/* {"type":"fetch",...} from one call record {method, url, status, durationMs} (borrowed). */
void rt_events_emit_fetch(int64_t job_id, int64_t execution_id, struct json_object *call);

#endif
