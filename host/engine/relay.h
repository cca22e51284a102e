/*
 * host/engine/relay.h - the coordinator's side of a worker's fetch(): the worker has no network, so
 * it sends `fetch` over its pipe; a short-lived thread performs the request with the job's
 * HTTP client and answers `fetch_result` to that worker process only.
 *
 * A job's client (job_http) is shared by the slot and its fetch threads and freed by whoever
 * lets go last, since a job can end (timeout, cancel, crash) while a fetch for it still runs.
 *
 * Every fetch goes through its host's circuit breaker (breaker.h, scope "fetch", shared by all
 * workers): while it is open the worker gets ServiceUnavailableError with the breaker's
 * message at once. Each call is a span of the job's trace (a child of its run span) and sends
 * `traceparent: 00-<trace>-<the call's span>-01` unless the script set that header itself.
 */
#ifndef RT_RELAY_H
#define RT_RELAY_H

#include "task/task_layer.h"
#include "ipc.h"
#include "pool.h"

typedef struct job_http job_http;

/* A new client with one reference (the slot's), or NULL. */
job_http *rt_job_http_new(void);
/* Drop one reference; the last one frees the client. NULL is ignored. */
void rt_job_http_release(job_http *h);
/* The calls made so far as JSON text (caller frees), or NULL while a fetch is still writing. */
char *rt_job_http_calls(job_http *h);
/* Carry out a worker's `fetch` message on a thread of its own; the slot's job_http is in
 * s->fetcher. When that is impossible the worker gets a NetworkError answer at once. */
void rt_relay_fetch(rt_slot *s, const rt_ipc_msg *m);

#endif
