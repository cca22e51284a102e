/*
 * host/engine/api.h - the host's side of the "ratchet.engine" interface (ratchet/engine.h): what
 * front ends (REST, GraphQL, MCP, the web UI) ask of the engine, answered from the storage, the
 * running engine (workers, draining, metrics) and the event hub (events.h).
 *
 * The interface's calls take no instance, so one rt_api is "current" at a time: the one
 * published (rt_api_publish) until it is unpublished. `ratchet serve` does
 *
 *     rt_engine *e = rt_engine_new(app, &st, argv, &err);
 *     rt_api *api = rt_api_new(app, &st, e, &err);   // after the engine, before front ends
 *     rt_api_publish(api, &err);                      // before starting front-end instances
 *     ... rt_engine_run(e, &stop) ...                 // marks itself draining on the signal
 *     (stop front ends) rt_api_unpublish(api); rt_api_free(api); rt_engine_free(e);
 *
 * Threading: rt_api_new/publish/unpublish/free on one thread (serve's); the published table's
 * calls from any thread, concurrently. Ownership: the rt_api borrows app, st and engine, which
 * must outlive it; it owns the event hub it makes.
 */
#ifndef RT_API_H
#define RT_API_H

#include "core/core_layer.h"
#include "engine.h"
#include "events.h"
#include "ratchet/engine.h"
#include "store.h"

typedef struct rt_api rt_api;

/* An API on an open storage; `engine` may be NULL (no workers: ready() is 0, workers_list is
 * empty, metrics have no histograms). NULL with *err set when out of memory. */
rt_api *rt_api_new(rt_app *app, rt_store *st, rt_engine *engine, rt_error *err);

/* Make it the current API, its hub the engine's current event hub (when `events`: with no
 * front end to subscribe, `serve --no-api`, the engine keeps no events), and publish the
 * table under RATCHET_ENGINE_INTERFACE. RATCHET_ERR with *err set when another API is current
 * or the name is taken. */
ratchet_status rt_api_publish(rt_api *api, int events, rt_error *err);

/* Withdraw the table and stop routing engine events to the hub. Call after the front ends
 * stopped (they hold the table) and before rt_api_free. Idempotent. */
void rt_api_unpublish(rt_api *api);

/* Free (unpublishing first if needed). Every subscription must have ended. NULL is ignored. */
void rt_api_free(rt_api *api);

/* The table (the one published), for in-process callers and tests. Its calls answer
 * SERVICE_UNAVAILABLE while no API is current. */
const ratchet_engine_api *rt_api_table(void);

#endif
