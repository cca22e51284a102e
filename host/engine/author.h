/*
 * host/engine/author.h - the check process of task authoring: a child of `ratchet serve` (or
 * `mcp-serve`) that validates a task folder and runs its tests, started for each authoring call
 * of ratchet.engine (api_author*.c) as `ratchet check-task MODE DIR SHOWN [NAMES_JSON]`.
 *
 * Why a process of its own: the checks run task code in forked children with address-space
 * limits (run.h), which a server process with many threads cannot give them (a fork of it
 * inherits its mappings, and the lock state of threads that are not copied). A fresh exec of
 * this binary is single-threaded, like a worker.
 */
#ifndef RT_AUTHOR_H
#define RT_AUTHOR_H

#include "core/core_layer.h"

/*
 * The check process's body. argv[1] is the mode:
 *   validate  {"problems": [{pointer, message}]}: `ratchet validate`'s checks of DIR
 *   test      {"tests": {total, passed, failed, skipped, results}} for the tests named in
 *             NAMES_JSON (a
 *             JSON array; absent or "": all), or {"error": message} when DIR does not load or
 *             a name is not one of its tests
 *   write     validate, then when there is no problem also test (all tests): both members
 * Problems' messages show DIR as SHOWN (the task's name), and their pointer is the member of
 * ratchet.engine's task_write the file comes from (/code, /inputSchema, /tests, ...). Each run
 * of task code is bounded by execution.timeout and at most 60 s. Prints the one JSON object on
 * stdout; returns RT_EXIT_OK when it did, else an exit status with the error on stderr.
 */
int rt_author_child_main(rt_app *app, int argc, char **argv);

#endif
