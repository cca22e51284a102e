/*
 * mujs_module.c - CommonJS entry points: the `module` and `exports` a task may assign to.
 *
 * The original Ratchet's newer task format ends task.js with `module.exports = { main };`, and
 * code shared with Node is written `module.exports = function (input) {...}` or
 * `exports.main = function (input) {...}`. Every run therefore starts with a global `module`
 * ({exports: {}}) and a global `exports` (the same object); nothing else of Node (no
 * `require`) is there.
 *
 * When the top level leaves neither a global `main` function nor a function as its completion
 * value (mujs_run.c's rules, the original's), the entry is, in this order:
 *   1. module.exports, when it is a function;
 *   2. module.exports.main, when it is a function (called with module.exports as `this`, so
 *      that `module.exports = { main() { return this.helper(); }, helper() {...} }` works);
 *   3. exports.main, when the global `exports` was rebound to another object holding it.
 * Reading these runs no task code unless the task defined getters; anything thrown is the
 * caller's (inside its js_try).
 */
#include "mujs_exec.h"

void jsx_module_define(js_State *J)
{
    js_newobject(J);                  /* module */
    js_newobject(J);                  /* module exports */
    js_copy(J, -1);                   /* module exports exports */
    js_setglobal(J, "exports");       /* module exports */
    js_setproperty(J, -2, "exports"); /* module */
    js_setglobal(J, "module");
}

/* With an object at the top: when its `main` is a function, leave [main, object] and return
 * 1; else pop the object and return 0. */
static int jsx_main_of(js_State *J)
{
    if (!js_isobject(J, -1)) {
        js_pop(J, 1);
        return 0;
    }
    js_getproperty(J, -1, "main"); /* obj main */
    if (!js_iscallable(J, -1)) {
        js_pop(J, 2);
        return 0;
    }
    js_rot2(J); /* main obj */
    return 1;
}

int jsx_module_entry(js_State *J)
{
    js_getglobal(J, "module"); /* module */
    if (js_isobject(J, -1)) {
        js_getproperty(J, -1, "exports"); /* module exports */
        js_rot2pop1(J);                   /* exports */
        if (js_iscallable(J, -1)) {
            js_pushundefined(J); /* fn undefined */
            return 1;
        }
        if (jsx_main_of(J))
            return 1;
    } else {
        js_pop(J, 1);
    }
    js_getglobal(J, "exports");
    return jsx_main_of(J);
}
