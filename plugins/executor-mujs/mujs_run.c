/*
 * mujs_run.c - one run of a task in a fresh js_State.
 *
 *   1. js_newstate with the capped allocator (cap off), the panic guard, then the globals:
 *      console, module and exports, fetch, the ten error constructors, saved JSON functions;
 *      for a compiled task, its runtime (mujs_async.c).
 *   2. Cap on. JSON.parse(input); the context object; load main.js; run its top level.
 *   3. Call the global `main` if it is a function, else the top level's completion value if
 *      that is one (a file that is `(function (input, context) {...})`, or ends in `main;`),
 *      else what the script exported (module.exports = { main }, mujs_module.c), with
 *      (input, context). None: RATCHET_EXEC_NO_ENTRY.
 *   4. A compiled task's microtask queue runs; main's promise gives the result
 *      (mujs_async.c). JSON.stringify(result) is the output.
 *   5. js_freestate: every byte goes back (the allocator counts it).
 *
 * Everything from 1 on runs inside one js_try; what is thrown is reported according to the
 * phase it was thrown in (mujs_outcome.c). A throw that escaped every try would make MuJS
 * call abort() after the panic handler returns, so the handler never returns: it jumps back
 * here and the run fails with a message instead of taking the process down.
 *
 * A fresh state per run is what keeps executions isolated: nothing a task does to globals or
 * built-ins is visible to the next run. It costs about 70 us (MuJS builds its built-ins).
 */
#include <stdio.h>
#include <string.h>

#include "mujs_exec.h"

#define JSX_MSG_NO_ENTRY "%s defines no main function and does not evaluate to a function"

static void jsx_panic(js_State *J)
{
    jsx_run *run = js_getcontext(J);
    longjmp(run->panic, 1);
}

/* MuJS's warnings (rare: e.g. from the garbage collector's report mode) go to the host log
 * attributed to this instance, never to stdout/stderr directly. */
static void jsx_report(js_State *J, const char *message)
{
    jsx_run *run = js_getcontext(J);
    mujs_host->log(run->rctx, RATCHET_LOG_DEBUG, "mujs: %s", message);
}

static void jsx_setup(js_State *J, jsx_run *run)
{
    run->phase = JSX_PHASE_SETUP;
    jsx_json_define(J);
    jsx_errors_define(J);
    jsx_console_define(J);
    jsx_module_define(J);
    jsx_fetch_define(J);
    jsx_runtime_load(J, run->prog);
}

static void jsx_push_id(js_State *J, const char *value, const char *key)
{
    if (value)
        js_pushstring(J, value);
    else
        js_pushnull(J);
    js_setproperty(J, -2, key);
}

/* {executionId, taskId, taskVersion, jobId}; identifiers the host does not have are null. */
static void jsx_push_context(js_State *J, const ratchet_exec_context *ex)
{
    js_newobject(J);
    jsx_push_id(J, ex ? ex->execution_id : NULL, "executionId");
    jsx_push_id(J, ex ? ex->task_id : NULL, "taskId");
    jsx_push_id(J, ex ? ex->task_version : NULL, "taskVersion");
    jsx_push_id(J, ex ? ex->job_id : NULL, "jobId");
}

/* Load main.js and run its top level: leaves [completion value, global main] on the stack. */
static void jsx_load_and_run(js_State *J, jsx_run *run)
{
    run->phase = JSX_PHASE_LOAD;
    js_loadstring(J, run->prog->filename, run->prog->code);
    run->phase = JSX_PHASE_RUN;
    js_pushglobal(J); /* a script's `this` is the global object, in strict mode too */
    js_call(J, 0);
    js_getglobal(J, "main");
}

/* Steps 2 to 4 of the file comment. Throws on any failure; the caller's try reports it. */
static void jsx_execute_body(js_State *J, jsx_run *run)
{
    char msg[1200];

    run->mem.capped = 1;
    run->phase = JSX_PHASE_INPUT;
    jsx_json_parse(J, run->input_json ? run->input_json : "null");
    jsx_push_context(J, run->exec);
    jsx_load_and_run(J, run); /* input context completion main */
    if (js_iscallable(J, -1)) {
        js_rot2pop1(J);
        js_pushundefined(J);
    } else {
        js_pop(J, 1);
        if (js_iscallable(J, -1)) {
            js_pushundefined(J);
        } else {
            js_pop(J, 1);
            if (!jsx_module_entry(J)) { /* module.exports and the like (mujs_module.c) */
                snprintf(msg, sizeof msg, JSX_MSG_NO_ENTRY, run->prog->filename);
                (void)jsx_outcome_set(run, RATCHET_EXEC_NO_ENTRY, NULL, msg);
                return;
            }
        }
    }
    /* input context fn this */
    js_copy(J, -4);
    js_copy(J, -4);
    js_call(J, 2); /* input context result */
    if (!jsx_async_settle(J, run))
        return;

    run->phase = JSX_PHASE_OUTPUT;
    if (js_isundefined(J, -1)) {
        (void)jsx_outcome_set(run, RATCHET_EXEC_OUTPUT_ERROR, NULL,
                              "the task returned undefined; return a JSON value");
        return;
    }
    jsx_json_stringify(J, -1);
    if (!js_isstring(J, -1)) {
        snprintf(msg, sizeof msg,
                 "the task's result cannot be converted to JSON: a %s is not a "
                 "JSON value",
                 js_typeof(J, -2));
        (void)jsx_outcome_set(run, RATCHET_EXEC_OUTPUT_ERROR, NULL, msg);
        return;
    }
    (void)jsx_outcome_set(run, RATCHET_EXEC_OK, NULL, NULL);
    run->result->output_json = mujs_host->strdup(js_tostring(J, -1));
    if (!run->result->output_json)
        run->status = RATCHET_NOMEM;
    run->phase = JSX_PHASE_DONE;
}

static void jsx_check_body(js_State *J, jsx_run *run)
{
    run->mem.capped = 1;
    jsx_load_and_run(J, run);
    run->callable = js_iscallable(J, -1) || js_iscallable(J, -2) || jsx_module_entry(J);
    run->phase = JSX_PHASE_DONE;
}

/* A throw during the compile-time check: only a syntax error (or a source too large to
 * parse) condemns the program; anything the top level throws is judged at execute time. */
static ratchet_status jsx_check_thrown(js_State *J, jsx_run *run)
{
    if (run->phase == JSX_PHASE_LOAD && run->mem.hit) {
        char size[32];
        mujs_format_size(size, sizeof size, run->memory_limit);
        snprintf(run->why, sizeof run->why, "%s cannot be parsed within the memory limit of %s",
                 run->prog->filename, size);
        return RATCHET_ERR;
    }
    if (run->phase == JSX_PHASE_LOAD) {
        char msg[sizeof run->why];
        jsx_message_into(J, js_gettop(J) - 1, msg, sizeof msg);
        jsx_syntax_message(run->why, sizeof run->why, run->prog->filename, msg);
        return RATCHET_ERR;
    }
    if (run->phase == JSX_PHASE_SETUP) {
        snprintf(run->why, sizeof run->why, "cannot set up the JavaScript state");
        return RATCHET_ERR;
    }
    run->callable = 1; /* the top level threw or hit a limit: cannot tell, let it run */
    return RATCHET_OK;
}

/* Everything that touches the state, inside one try. Kept apart from the setjmp in
 * jsx_guarded, and with no locals that change after js_try, as setjmp requires. */
static ratchet_status jsx_protected(jsx_run *run)
{
    js_State *J = run->J;
    if (js_try(J))
        return run->compile_only ? jsx_check_thrown(J, run) : jsx_outcome_thrown(J, run);
    jsx_setup(J, run);
    if (run->compile_only)
        jsx_check_body(J, run);
    else
        jsx_execute_body(J, run);
    js_endtry(J);
    return run->status;
}

static ratchet_status jsx_guarded(jsx_run *run)
{
    if (setjmp(run->panic)) {
        snprintf(run->why, sizeof run->why,
                 "the JavaScript interpreter raised an error outside any handler (phase %d)",
                 (int)run->phase);
        return RATCHET_ERR;
    }
    return jsx_protected(run);
}

static ratchet_status jsx_with_state(jsx_run *run, int flags)
{
    js_State *J;
    ratchet_status st;

    run->mem.limit = run->memory_limit;
    run->status = RATCHET_OK;
    /* What the arena may hold beyond the live bytes is bounded by the limit too (plus room
     * for the built-ins); past that, blocks come from malloc. */
    if (run->mem.arena)
        mujs_arena_start(run->mem.arena, run->memory_limit + ((size_t)4 << 20));
    J = js_newstate(mujs_alloc, &run->mem, flags);
    if (!J) {
        snprintf(run->why, sizeof run->why, "cannot create a JavaScript state: out of memory");
        if (run->mem.arena)
            mujs_arena_reset(run->mem.arena);
        return RATCHET_NOMEM;
    }
    /* The limit counts what the run allocates beyond a fresh state, which costs the same for
     * every task: the built-ins and the stacks sized by the build's limits (mujs_lib.h). */
    run->mem.limit = run->memory_limit + run->mem.used;
    run->J = J;
    js_setcontext(J, run);
    js_atpanic(J, jsx_panic);
    js_setreport(J, jsx_report);
    st = mujs_on_stack(jsx_guarded, run);
    jsx_fetch_release(run);
    mujs_host->buf_free(&run->line);
    js_freestate(J);
    if (run->mem.arena)
        mujs_arena_reset(run->mem.arena);
    run->J = NULL;
    return st;
}

ratchet_status mujs_run_execute(jsx_run *run, int flags)
{
    ratchet_status st = jsx_with_state(run, flags);

    /* The limit was hit at some point: that is the outcome, whatever the script made of the
     * "out of memory" it was thrown. */
    if (run->mem.hit && st == RATCHET_OK) {
        char size[32], msg[96];
        mujs_format_size(size, sizeof size, run->memory_limit);
        snprintf(msg, sizeof msg, "memory limit of %s exceeded", size);
        st = jsx_outcome_set(run, RATCHET_EXEC_MEMORY, NULL, msg);
    }
    if (st == RATCHET_NOMEM && !run->why[0])
        snprintf(run->why, sizeof run->why, "out of memory while copying the result");
    if (st == RATCHET_OK && run->result->outcome != RATCHET_EXEC_OK)
        jsx_map_result(run->prog, run->result);
    return st;
}

ratchet_status mujs_run_check(jsx_run *run, int flags)
{
    ratchet_status st;
    run->compile_only = 1;
    st = jsx_with_state(run, flags);
    if (st == RATCHET_OK && !run->callable) {
        snprintf(run->why, sizeof run->why, JSX_MSG_NO_ENTRY, run->prog->filename);
        st = RATCHET_ERR;
    }
    return st;
}
