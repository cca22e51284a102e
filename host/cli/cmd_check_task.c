/* host/cli/cmd_check_task.c - `ratchet check-task`: the command entry of the authoring check
 * process (the body is engine/author_child.c). */
#include "cli.h"
#include "engine/engine_layer.h"

const rt_command rt_cmd_check_task = {
    "check-task",
    "(internal) validates and tests a task folder for the authoring API",
    "Usage: ratchet check-task MODE DIR SHOWN [NAMES_JSON]\n\n"
    "Started by `ratchet serve` and `ratchet mcp-serve` when a client creates, edits, validates\n"
    "or tests a task through the API (MODE: validate, test or write); prints one JSON object.\n"
    "Use `ratchet validate` and `ratchet test` by hand instead.\n",
    rt_author_child_main,
};
