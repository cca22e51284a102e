/*
 * ratchet/frontend.h - the front-end kind (since ABI 1.4): what lets the outside world reach
 * the engine (the http listener, the REST, GraphQL and MCP APIs, the web UI).
 *
 * A front end has only the instance lifecycle; it does its work on threads of its own and
 * reaches the rest of the system through named interfaces (host->lookup):
 *
 *   "ratchet.engine"  (engine.h) - published by the host while `serve` or `mcp-serve` runs:
 *                     tasks, jobs, executions, schedules, workers, events, API keys.
 *   "ratchet.http"    (http.h)   - published by the `http` plugin: mount routes on its
 *                     listeners, one port, one auth, one access log for every front end.
 *
 * Order (on top of lifecycle.h): the host creates front-end instances with the others, but
 * starts them only once the engine interface is published (storage open, tasks stored), in
 * file order, and stops them before the engine drains, in reverse order. So a front end may
 * look up "ratchet.engine" in start(). The `http` plugin publishes "ratchet.http" in create(),
 * so a consumer's start() finds it whatever the order of the two instances in the file; the
 * consumer unmounts in stop(), which runs before the http instance's stop() only when the
 * consumer comes after http in the file - so the http plugin accepts unmount() after its own
 * stop() as well (see http.h).
 *
 * Commands other than `serve` and `mcp-serve` do not start front-end instances.
 */
#ifndef RATCHET_FRONTEND_H
#define RATCHET_FRONTEND_H

#include "lifecycle.h"

typedef struct ratchet_frontend_vtable {
    ratchet_abi abi;
    ratchet_lifecycle life; /* create() must not listen or start threads; start() does */
} ratchet_frontend_vtable;

#endif /* RATCHET_FRONTEND_H */
