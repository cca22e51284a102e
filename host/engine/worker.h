/*
 * host/engine/worker.h - the body of a worker process, a child of `ratchet serve` that runs one
 * task at a time and speaks the line protocol of ipc.h on stdin/stdout (see worker.c).
 */
#ifndef RT_WORKER_H
#define RT_WORKER_H

#include "core/core_layer.h"

/* Run the worker `argv[1]` (its id) until stdin closes or `shutdown` arrives; an exit status.
 * Applies the sandbox once the executor has started, so it is called in the child only. */
int rt_worker_main(rt_app *app, int argc, char **argv);

/* The worker-only executable built beside `ratchet` (host/CMakeLists.txt); the pool runs it
 * when it is there. */
#define RT_WORKER_EXE "ratchet-worker"

#endif
