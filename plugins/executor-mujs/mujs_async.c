/*
 * mujs_async.c - the runtime of compiled tasks, and what main's promise settles to.
 *
 * A task the host compiled from ES2015+ comes with a runtime: the built-ins and helpers its
 * code needs (Promise, Map, ...), as ES5 text run once per execution before main.js, in the
 * same state, under the file name "ratchet:runtime". It is part of setting the state up, so
 * it runs before the memory cap is switched on and an error in it means the executor cannot
 * work (RATCHET_ERR), not that the task failed.
 *
 * When the runtime has a microtask queue (the promise module defines $jsc_settle), main's
 * result goes through it once main returns: the queue runs until it is empty, then a result
 * that was a promise (any thenable, as `await` would treat it) is replaced by its value; a
 * rejection is thrown so that it is reported exactly like an exception (name, message,
 * stack); a promise still pending when nothing is left to run can never settle (there are no
 * timers or I/O callbacks) and fails the task with a message that says so. Rejections nobody
 * handled are reported as WARN console lines, as other engines print a warning for them.
 */
#include <stdio.h>
#include <string.h>

#include "mujs_exec.h"

/* The runtime's hooks, saved when it has run, so that a task assigning to the globals of the
 * same names cannot change how its own result is read. */
#define JSX_REG_SETTLE "ratchet.jsc_settle"
#define JSX_REG_UNHANDLED "ratchet.jsc_unhandled"

static const char jsx_msg_never[] =
    "main's promise never settled (it awaits something that never resolves)";

static void jsx_save_hook(js_State *J, const char *global, const char *key)
{
    js_getglobal(J, global);
    if (js_iscallable(J, -1))
        js_setregistry(J, key);
    else
        js_pop(J, 1);
}

void jsx_runtime_save_hooks(js_State *J)
{
    jsx_save_hook(J, "$jsc_settle", JSX_REG_SETTLE);
    jsx_save_hook(J, "$jsc_unhandled", JSX_REG_UNHANDLED);
}

void jsx_runtime_load(js_State *J, const mujs_program *prog)
{
    if (!prog->runtime)
        return;
    if (prog->lazy) {
        jsx_lazy_install(J, js_getcontext(J));
        return;
    }
    js_loadstring(J, JSX_RUNTIME_FILE, prog->runtime);
    js_pushglobal(J);
    js_call(J, 0);
    js_pop(J, 1);
    jsx_runtime_save_hooks(J);
}

/* A lazy runtime whose promise module has not run yet: no promise exists, so the result
 * needs the queue only when it is a thenable (then the module runs now). */
static void jsx_async_need_queue(js_State *J, jsx_run *run)
{
    int loaded = 0;
    if (!run->prog->lazy || !jsx_lazy_has_hooks(run, &loaded) || loaded || !js_isobject(J, -1))
        return;
    js_getproperty(J, -1, "then");
    int thenable = js_iscallable(J, -1);
    js_pop(J, 1);
    if (thenable)
        jsx_lazy_load_hooks(J, run);
}

/* One WARN console line per rejection that never got a handler. May throw. */
static void jsx_report_unhandled(js_State *J, jsx_run *run)
{
    char text[600], msg[512];

    js_getregistry(J, JSX_REG_UNHANDLED);
    if (!js_iscallable(J, -1) || !run->exec || !run->exec->console) {
        js_pop(J, 1);
        return;
    }
    js_pushundefined(J);
    js_call(J, 0);
    int n = js_isarray(J, -1) ? js_getlength(J, -1) : 0;
    for (int i = 0; i < n && i < 100; i++) {
        js_getindex(J, -1, i);
        jsx_message_into(J, -1, msg, sizeof msg);
        if (jsx_is_error(J, -1)) {
            js_getproperty(J, -1, "name");
            const char *name = js_isstring(J, -1) ? js_tostring(J, -1) : "Error";
            snprintf(text, sizeof text, "Unhandled promise rejection: %s: %s", name, msg);
            js_pop(J, 1);
        } else {
            snprintf(text, sizeof text, "Unhandled promise rejection: %s", msg);
        }
        js_pop(J, 1);
        run->exec->console(run->exec->console_data, RATCHET_LOG_WARN, text);
    }
    js_pop(J, 1);
}

int jsx_async_settle(js_State *J, jsx_run *run)
{
    if (!run->prog->runtime)
        return 1;
    jsx_async_need_queue(J, run);
    js_getregistry(J, JSX_REG_SETTLE);
    if (!js_iscallable(J, -1)) {
        js_pop(J, 1);
        return 1;
    }
    js_pushundefined(J);
    js_copy(J, -3);
    js_call(J, 1); /* result {state, value} */
    js_getproperty(J, -1, "state");
    int state = js_tointeger(J, -1);
    js_pop(J, 1);
    js_getproperty(J, -1, "value"); /* result record value */
    js_rot3pop2(J); /* value */
    jsx_report_unhandled(J, run);
    if (state == 2)
        js_throw(J);
    if (state == 0) {
        (void)jsx_outcome_set(run, RATCHET_EXEC_RUNTIME_ERROR, "Error", jsx_msg_never);
        return 0;
    }
    return 1;
}
