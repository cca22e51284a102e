/* host/cli/cmd_worker.c - `ratchet worker`: the command entry of a worker process (the body is
 * engine/worker.c). */
#include "cli.h"
#include "engine/engine_layer.h"

const rt_command rt_cmd_worker = {
    "worker",
    "(internal) a task-running child process of `ratchet serve`",
    "Usage: ratchet worker [ID]\n\n"
    "Started by `ratchet serve`, one per worker slot; speaks line-delimited JSON on\n"
    "stdin/stdout (ready, execute/result, fetch/fetch_result, ping/pong, shutdown). Not meant\n"
    "to be run by hand.\n",
    rt_worker_main,
};
