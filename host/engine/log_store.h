/*
 * host/engine/log_store.h - the server's own log events kept in storage (log_append), so that
 * `ratchet logs search` and GET /api/v1/logs/search find them beside the executions' lines.
 *
 * It is a logger attached to the host's fan-out (log.h) in front of a bounded ring: log()
 * copies the event into the ring and returns (it never waits on the storage); a writer thread
 * takes batches (up to 500 events, or what came in the last 500 ms) and appends them in one
 * storage call. When the ring is full (the storage is slow or down) new events are dropped
 * and counted; the count is logged (at most once a minute) and exported in GET /metrics as
 * ratchet_log_store_dropped_events_total{instance="log-store"}. At stop the
 * ring is written out.
 *
 * A task's console lines, which reach the log as events of source "task" in the job's context,
 * are left out: they are kept with their execution already (execution_logs). So is the http
 * plugin's access log (events with the fields request_id and duration_ms, one per request):
 * it would crowd every other event out of the bounded table, and its cost per request would
 * exceed the request's own.
 *
 * Threading: start/stop on one thread (serve's); log() from any thread (serialised by the
 * fan-out); the writer is the only caller of the storage.
 */
#ifndef RT_LOG_STORE_H
#define RT_LOG_STORE_H

#include <stdint.h>

#include "core/core_layer.h"
#include "ratchet/storage.h"

#define RT_LOG_STORE_RING     4096   /* events waiting for the writer */
#define RT_LOG_STORE_BATCH    500    /* events per storage call */
#define RT_LOG_STORE_MAX_ROWS 100000 /* server events kept in storage (the oldest go) */

typedef struct rt_log_store rt_log_store;

/* Start keeping events at `min_level` and above in the storage (borrowed; it must outlive
 * the store). NULL (nothing kept, the reason logged) when the storage lacks log_append or
 * out of memory. */
rt_log_store *rt_log_store_start(const ratchet_storage_vtable *vt, void *si,
                                 ratchet_log_level min_level);
/* Detach, write what is waiting, stop the writer, free. NULL is ignored. */
void rt_log_store_stop(rt_log_store *ls);
/* Events dropped because the ring was full, so far. */
uint64_t rt_log_store_dropped(const rt_log_store *ls);

#endif
