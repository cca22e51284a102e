/*
 * host/task/taskcheck.h - validating a task folder and running one of its tests: what
 * `ratchet validate` and `ratchet test` do for one task, shared with the engine's authoring
 * calls (engine/api_author.c), so a task written through an API is held to exactly the checks
 * and the test rules of the command line.
 *
 * Threading: each call works on its own arguments; the runs fork a child per execution
 * (run.h). Nothing is printed: problems and failures go to the caller.
 */
#ifndef RT_TASKCHECK_H
#define RT_TASKCHECK_H

#include "core/core_layer.h"
#include "run.h"
#include "task.h"

/*
 * Check the task at `path` (a folder or a .zip) as `ratchet validate` does: metadata fields,
 * files present, JSON well-formed, tests' shape (rt_task_check), input and output schemas
 * usable as JSON Schemas, and main.js compiling with something to call (checked in a child
 * process with req's executor and limits; req->task and compile_only are set here). Each
 * problem goes to `fn` as one line naming its file ("DIR/main.js: compile error: main.js:3:7:
 * ..."). Returns the number of problems. When there are none and `loaded` is not NULL,
 * *loaded receives the loaded task (the caller frees it with rt_task_free); else NULL.
 */
size_t rt_task_validate(rt_run_request *req, const char *path, rt_task_problem_fn fn, void *data,
                        rt_task **loaded);

typedef enum rt_test_verdict {
    RT_TEST_FAILED = 0,
    RT_TEST_PASSED = 1,
    RT_TEST_SKIPPED = 2 /* t->skip is set: nothing was run */
} rt_test_verdict;

/*
 * Run test `t` of `task` as `ratchet test` does: its input (and mocks) through rt_run_task with
 * req's executor and limits (req->task, input_json and mock_http are set here). `res` is always
 * filled (the caller frees it with rt_run_result_free; zeroed for a skipped test). Why the test
 * failed, or why it was skipped, is appended to `why` as indented lines ("  runtime error:
 * ...", the differences); nothing is appended when it passed. A test
 *   - with t->skip set is not run: RT_TEST_SKIPPED;
 *   - with expected_error passes when the run fails (any failure but RT_RUN_HOST_ERROR, which
 *     means it could not run) and the error matches: a string matches when it EQUALS the
 *     error's name (the thrown constructor: "ValidationError", "TypeError"; for a failure that
 *     is not a thrown error, its kind: "input invalid", "timeout", rt_run_status_name) or is
 *     CONTAINED in its message (case-sensitive); an object {name, message} needs both (each
 *     one given);
 *   - with should_fail passes when the run fails in any way (but RT_RUN_HOST_ERROR);
 *   - else passes when the output equals expected_output as a JSON value.
 */
rt_test_verdict rt_task_run_test(rt_run_request *req, const rt_task *task, const rt_task_test *t,
                                 rt_run_result *res, ratchet_buf *why);

#endif
