/*
 * mujs_native_iter.c - the iteration protocol and destructuring of compiled tasks, in C:
 * runtime modules `iterator` and `destructure` (host/task/compiler/runtime/iterator.js and
 * destructure.js, the specification these follow step by step, messages included).
 *
 * Why: lowered for...of, spread and destructuring call these helpers in nearly every compiled
 * task, often in its hottest loops. As text the two modules (and `symbol`, which iterator.js
 * needs) cost a task that only destructures its input over half a millisecond of parsing per
 * execution; natively they cost a few function objects, and an array pattern's check is one
 * call ($jsc_arr) whose fast path returns the array itself.
 *
 * Per-run state lives in the registry: the `values` function (Array.prototype[@@iterator],
 * also $jsc_values), ArrayIterator.prototype with its original `next`, StringIterator's
 * prototype, and destructure's own capture of Array.prototype[@@iterator] (taken at its first
 * call, when the JavaScript module would have loaded).
 *
 * Stack: a helper's `this` is at 0, its arguments at 1..; MuJS pads the arguments up to the
 * function's length with undefined but keeps extra ones, so what a helper pushes is addressed
 * from js_gettop at entry. The value on top when a helper returns is its result.
 */
#include <string.h>

#include "mujs_native.h"

#define JSX_REG_VALUES  "ratchet.n.values"
#define JSX_REG_AIP     "ratchet.n.ArrayIterator.prototype"
#define JSX_REG_NEXT0   "ratchet.n.ArrayIterator.next"
#define JSX_REG_SIP     "ratchet.n.StringIterator.prototype"
#define JSX_REG_DVALUES "ratchet.n.destructure.values"

#define JSX_ITER "@@iterator"

/* Hidden properties of the helpers that call jsx_it_plain ("@@" keys are not enumerable). */
#define JSX_PLAIN_VALUES "@@jsc_v"
#define JSX_PLAIN_AIP    "@@jsc_p"
#define JSX_PLAIN_NEXT0  "@@jsc_n"

/* Pushes value[name] for the value at idx without boxing it in place (js_getproperty turns a
 * primitive in its stack slot into an object, which typeof checks after it would see). */
static void jsx_it_getprop(js_State *J, int idx, const char *name)
{
    js_copy(J, idx);
    js_getproperty(J, -1, name);
    js_rot2pop1(J);
}

static int jsx_it_nullish(js_State *J, int idx)
{
    return js_isundefined(J, idx) || js_isnull(J, idx);
}

static JS_NORETURN void jsx_it_throw(js_State *J, const char *msg)
{
    js_newtypeerror(J, msg);
    js_throw(J);
}

/* Replaces the value on top by {value: it, done: done}. */
static void jsx_it_result(js_State *J, int done)
{
    js_newobject(J);
    js_rot2(J);
    js_defproperty(J, -2, "value", 0);
    js_pushboolean(J, done);
    js_defproperty(J, -2, "done", 0);
}

/* Pushes obj[i] (obj at absolute index o). */
static void jsx_it_get(js_State *J, int o, double i)
{
    if (i >= 0 && i < 2147483647.0 && i == (double)(int)i) {
        js_getindex(J, o, (int)i);
    } else {
        js_pushnumber(J, i);
        js_getproperty(J, o, js_tostring(J, -1));
        js_rot2pop1(J);
    }
}

/* Number(obj.length) (obj at absolute index o) */
static double jsx_it_length(js_State *J, int o)
{
    jsx_it_getprop(J, o, "length");
    double n = js_tonumber(J, -1);
    js_pop(J, 1);
    return n;
}

/* Pushes the result of it.next() (it at absolute index it); *done: its `done`, as a boolean;
 * with the result replaced by its value when not done. */
static void jsx_it_step(js_State *J, int it, int *done)
{
    js_getproperty(J, it, "next");
    js_copy(J, it);
    js_call(J, 0);
    js_getproperty(J, -1, "done");
    *done = js_toboolean(J, -1);
    js_pop(J, 1);
    if (!*done) {
        js_getproperty(J, -1, "value");
        js_rot2pop1(J);
    }
}

/* ---- the iterator objects ---------------------------------------------------------------- */

/* ArrayIterator(a, kind)'s body on the object at o: this.a = a; this.i = 0; this.k = kind */
static void jsx_it_ai_init(js_State *J, int o, int a, int kind)
{
    js_copy(J, a);
    js_setproperty(J, o, "a");
    js_pushnumber(J, 0);
    js_setproperty(J, o, "i");
    js_copy(J, kind);
    js_setproperty(J, o, "k");
}

/* $jsc_ArrayIterator called without `new`: the body runs on `this`, as in the module. */
static void jsx_it_ai_call(js_State *J)
{
    jsx_it_ai_init(J, 0, 1, 2);
    js_pushundefined(J);
}

/* new $jsc_ArrayIterator(a, kind): MuJS hands C constructors a null `this`. */
static void jsx_it_ai_new(js_State *J)
{
    js_currentfunction(J);
    js_getproperty(J, -1, "prototype");
    js_rot2pop1(J);
    if (!js_isobject(J, -1)) {
        js_pop(J, 1);
        js_getglobal(J, "Object");
        js_getproperty(J, -1, "prototype");
        js_rot2pop1(J);
    }
    js_newobjectx(J);
    jsx_it_ai_init(J, js_gettop(J) - 1, 1, 2);
}

/* Pushes new ArrayIterator(value at a, kind), a an object. */
static void jsx_it_ai_push(js_State *J, int a, int kind)
{
    js_getregistry(J, JSX_REG_AIP);
    js_newobjectx(J);
    js_pushnumber(J, kind);
    jsx_it_ai_init(J, js_gettop(J) - 2, a, js_gettop(J) - 1);
    js_pop(J, 1);
}

/* ArrayIterator.prototype.next */
static void jsx_it_ai_next(js_State *J)
{
    int a = js_gettop(J), ii = a + 1, k = a + 2;
    js_getproperty(J, 0, "a");
    js_getproperty(J, 0, "i");
    int done = js_isundefined(J, a);
    if (!done) {
        js_getproperty(J, a, "length");
        done = js_tonumber(J, ii) >= js_tonumber(J, -1);
        js_pop(J, 1);
    }
    if (done) {
        js_pushundefined(J);
        js_setproperty(J, 0, "a");
        js_pushundefined(J);
        jsx_it_result(J, 1);
        return;
    }
    double i = js_tonumber(J, ii);
    js_pushnumber(J, i + 1);
    js_setproperty(J, 0, "i");
    js_getproperty(J, 0, "k");
    double kv = js_isnumber(J, k) ? js_tonumber(J, k) : -1;
    int kind = kv == 0 ? 0 : kv == 1 ? 1 : 2; /* this.k === 0 ? ... : this.k === 1 ? ... */
    if (kind == 0) {
        jsx_it_get(J, a, i);
    } else if (kind == 1) {
        js_pushnumber(J, i);
    } else {
        js_newarray(J);
        js_pushnumber(J, i);
        js_setindex(J, -2, 0);
        jsx_it_get(J, a, i);
        js_setindex(J, -2, 1);
    }
    jsx_it_result(J, 0);
}

/* The iterators' [Symbol.iterator]() { return this; } */
static void jsx_it_self(js_State *J)
{
    js_copy(J, 0);
}

/* Pushes new StringIterator(s), the string at s. */
static void jsx_it_si_push(js_State *J, int s)
{
    js_getregistry(J, JSX_REG_SIP);
    js_newobjectx(J);
    js_copy(J, s);
    js_setproperty(J, -2, "s");
    js_pushnumber(J, 0);
    js_setproperty(J, -2, "i");
}

/* Pushes s[name](a[, b]) for the string s at absolute index s. */
static void jsx_it_str_call(js_State *J, int s, const char *name, int nargs, double a, double b)
{
    jsx_it_getprop(J, s, name);
    js_copy(J, s);
    js_pushnumber(J, a);
    if (nargs > 1)
        js_pushnumber(J, b);
    js_call(J, nargs);
}

/* StringIterator.prototype.next: by code point. */
static void jsx_it_si_next(js_State *J)
{
    int s = js_gettop(J);
    js_getproperty(J, 0, "s");
    js_getproperty(J, 0, "i");
    double i = js_tonumber(J, s + 1), len = jsx_it_length(J, s), n = 1;
    if (i >= len) {
        js_pushundefined(J);
        jsx_it_result(J, 1);
        return;
    }
    jsx_it_str_call(J, s, "charCodeAt", 1, i, 0);
    double c = js_tonumber(J, -1);
    js_pop(J, 1);
    if (c >= 0xD800 && c <= 0xDBFF && i + 1 < len) {
        jsx_it_str_call(J, s, "charCodeAt", 1, i + 1, 0);
        double d = js_tonumber(J, -1);
        js_pop(J, 1);
        if (d >= 0xDC00 && d <= 0xDFFF)
            n = 2;
    }
    js_pushnumber(J, i + n);
    js_setproperty(J, 0, "i");
    jsx_it_str_call(J, s, "slice", 2, i, i + n);
    jsx_it_result(J, 0);
}

/* Array.prototype[@@iterator] (values) */
static void jsx_it_values(js_State *J)
{
    if (jsx_it_nullish(J, 0))
        jsx_it_throw(J, "Array.prototype.values called on null or undefined");
    if (js_isobject(J, 0)) {
        js_copy(J, 0);
    } else {
        js_getglobal(J, "Object");
        js_pushundefined(J);
        js_copy(J, 0);
        js_call(J, 1);
    }
    jsx_it_ai_push(J, js_gettop(J) - 1, 0);
}

/* String.prototype[@@iterator] */
static void jsx_it_string_iter(js_State *J)
{
    if (jsx_it_nullish(J, 0))
        jsx_it_throw(J, "String.prototype[Symbol.iterator] called on null or undefined");
    js_copy(J, 0);
    js_pushstring(J, js_tostring(J, -1));
    js_rot2pop1(J);
    jsx_it_si_push(J, js_gettop(J) - 1);
}

/* ---- the protocol ------------------------------------------------------------------------ */

/* Throws TypeError(describe(x) + " is not iterable"), x at absolute index x. */
static JS_NORETURN void jsx_it_not_iterable(js_State *J, int x)
{
    if (js_isstring(J, x)) {
        js_getglobal(J, "JSON");
        js_getproperty(J, -1, "stringify");
        js_rot2pop1(J);
        js_pushundefined(J);
        js_copy(J, x);
        js_call(J, 1);
    } else if (js_iscallable(J, x)) {
        js_getproperty(J, x, "name");
        if (!js_toboolean(J, -1)) {
            js_pop(J, 1);
            js_pushliteral(J, "function");
        }
    } else if (js_isobject(J, x)) {
        js_pushliteral(J, "object");
    } else {
        js_copy(J, x);
    }
    js_pushliteral(J, " is not iterable");
    jsx_nat_concat(J, 2);
    jsx_nat_throw_top(J, 0);
}

/* Pushes x's @@iterator, read once (undefined for null, undefined and strings). */
static void jsx_it_method(js_State *J, int x)
{
    if (jsx_it_nullish(J, x) || js_isstring(J, x))
        js_pushundefined(J);
    else
        jsx_it_getprop(J, x, JSX_ITER);
}

/* Pushes the iterator of x (at x) whose @@iterator method is f (at f). */
static void jsx_it_open(js_State *J, int x, int f)
{
    if (js_isstring(J, x)) {
        jsx_it_si_push(J, x);
        return;
    }
    if (!jsx_it_nullish(J, x)) {
        if (js_iscallable(J, f)) {
            js_copy(J, f);
            js_copy(J, x);
            js_call(J, 0);
            if (!js_isobject(J, -1))
                jsx_it_throw(J, "Result of the Symbol.iterator method is not an object");
            return;
        }
        if (jsx_nat_is_arguments(J, x)) {
            jsx_it_ai_push(J, x, 0);
            return;
        }
    }
    jsx_it_not_iterable(J, x);
}

/* Whether x (at x) is a plain array with the built-in iterator, f (at f) being its
 * @@iterator: f === values && Array.isArray(x) && ArrayIterator.prototype.next is the
 * original. Called from a helper made by jsx_it_defplain: the three objects are read from
 * the helper itself, a lookup in a handful of properties (the registry costs several times
 * more, and this runs at every array pattern). */
static int jsx_it_plain(js_State *J, int x, int f)
{
    js_currentfunction(J);
    js_getproperty(J, -1, JSX_PLAIN_VALUES);
    js_copy(J, f);
    int same = js_strictequal(J);
    js_pop(J, 2);
    if (!same || !js_isarray(J, x)) {
        js_pop(J, 1);
        return 0;
    }
    js_getproperty(J, -1, JSX_PLAIN_AIP);
    js_getproperty(J, -1, "next");
    js_getproperty(J, -3, JSX_PLAIN_NEXT0);
    same = js_strictequal(J);
    js_pop(J, 4);
    return same;
}

/* $jsc_iterator(x) */
static void jsx_it_iterator(js_State *J)
{
    jsx_it_method(J, 1);
    jsx_it_open(J, 1, js_gettop(J) - 1);
}

/* $jsc_to_array(x) */
static void jsx_it_to_array(js_State *J)
{
    int f = js_gettop(J), out = f + 1, it = f + 2;
    jsx_it_method(J, 1);
    js_newarray(J);
    if (jsx_it_plain(J, 1, f)) {
        for (int i = 0; i < jsx_it_length(J, 1); i++) {
            js_getindex(J, 1, i);
            js_setindex(J, out, i);
        }
        return;
    }
    jsx_it_open(J, 1, f);
    for (int i = 0;; i++) {
        int done;
        jsx_it_step(J, it, &done);
        if (done) {
            js_pop(J, 1);
            break;
        }
        js_setindex(J, out, i);
    }
    js_copy(J, out);
}

/* close(it, 0): it.return() if there is one; its result must be an object. */
static void jsx_it_close0(js_State *J, int it)
{
    js_getproperty(J, it, "return");
    if (jsx_it_nullish(J, -1)) {
        js_pop(J, 1);
        return;
    }
    int viacall = !js_iscallable(J, -1);
    if (viacall) {
        /* f.call(it) of a non-function: the engine's own error, as the module gets */
        js_getproperty(J, -1, "call");
        js_rot2(J);
    }
    js_copy(J, it);
    js_call(J, viacall);
    if (!js_isobject(J, -1))
        jsx_it_throw(J, "iterator.return() did not return an object");
    js_pop(J, 1);
}

/* $jsc_iter_close(it, how) */
static void jsx_it_close(js_State *J)
{
    if (!jsx_it_nullish(J, 1)) {
        if (js_isnumber(J, 2) && js_tonumber(J, 2) == 1) {
            /* leaving by a throw: an error of return() is dropped */
            if (js_try(J)) {
                js_pop(J, 1);
                js_pushundefined(J);
                return;
            }
            jsx_it_close0(J, 1);
            js_endtry(J);
        } else {
            jsx_it_close0(J, 1);
        }
    }
    js_pushundefined(J);
}

/* $jsc_of(x) */
static void jsx_it_of(js_State *J)
{
    int f = js_gettop(J);
    jsx_it_method(J, 1);
    if (jsx_it_plain(J, 1, f))
        js_pushnull(J);
    else
        jsx_it_open(J, 1, f);
}

/* $jsc_arr(v, n, src, live[, f]): f is v[@@iterator] as the caller read it; without it (the
 * compiler's single-call form) it is read here, once. */
static void jsx_it_arr(js_State *J)
{
    if (js_gettop(J) < 6)
        jsx_it_method(J, 1);
    else
        js_copy(J, 5);
    int f = js_gettop(J) - 1;
    double n = js_tonumber(J, 2);
    if (!jsx_it_nullish(J, 1) && jsx_it_plain(J, 1, f)) {
        if (js_toboolean(J, 4) || jsx_it_length(J, 1) >= n) {
            js_copy(J, 1);
            return;
        }
        js_newarray(J);
        for (int i = 0; i < n; i++) {
            if (i < jsx_it_length(J, 1))
                js_getindex(J, 1, i);
            else
                js_pushundefined(J);
            js_setindex(J, -2, i);
        }
        return;
    }
    if (js_toboolean(J, 3) && !js_isstring(J, 1) && !js_iscallable(J, f) &&
        !jsx_nat_is_arguments(J, 1)) {
        js_copy(J, 3);
        js_pushliteral(J, " is not iterable");
        jsx_nat_concat(J, 2);
        jsx_nat_throw_top(J, 0);
    }
    jsx_it_open(J, 1, f);
    int it = js_gettop(J) - 1, i, done = 0;
    js_newarray(J);
    int out = js_gettop(J) - 1;
    for (i = 0; i < n; i++) {
        jsx_it_step(J, it, &done);
        if (done) {
            js_pop(J, 1);
            break;
        }
        js_setindex(J, out, i);
    }
    if (i >= n) {
        jsx_it_close0(J, it);
        return;
    }
    for (; i < n; i++) {
        js_pushundefined(J);
        js_setindex(J, out, i);
    }
}

/* Defines global `name` as fn, a helper that calls jsx_it_plain. */
static void jsx_it_defplain(js_State *J, js_CFunction fn, const char *name, int length)
{
    js_newcfunction(J, fn, name, length);
    js_getregistry(J, JSX_REG_VALUES);
    js_defproperty(J, -2, JSX_PLAIN_VALUES, JS_READONLY | JS_DONTENUM | JS_DONTCONF);
    js_getregistry(J, JSX_REG_AIP);
    js_defproperty(J, -2, JSX_PLAIN_AIP, JS_READONLY | JS_DONTENUM | JS_DONTCONF);
    js_getregistry(J, JSX_REG_NEXT0);
    js_defproperty(J, -2, JSX_PLAIN_NEXT0, JS_READONLY | JS_DONTENUM | JS_DONTCONF);
    js_defglobal(J, name, JS_DONTENUM);
}

void jsx_nat_install_iterator(js_State *J)
{
    js_newobject(J); /* the prototype, which js_newcconstructor takes from the stack */
    js_newcconstructor(J, jsx_it_ai_call, jsx_it_ai_new, "ArrayIterator", 2);
    js_getproperty(J, -1, "prototype");
    js_newcfunction(J, jsx_it_ai_next, "next", 0);
    js_copy(J, -1);
    js_setregistry(J, JSX_REG_NEXT0);
    js_defproperty(J, -2, "next", JS_DONTENUM);
    js_newcfunction(J, jsx_it_self, "", 0);
    js_defproperty(J, -2, JSX_ITER, JS_DONTENUM);
    js_setregistry(J, JSX_REG_AIP);
    js_defglobal(J, "$jsc_ArrayIterator", JS_DONTENUM);

    js_newobject(J);
    js_newcfunction(J, jsx_it_si_next, "next", 0);
    js_defproperty(J, -2, "next", JS_DONTENUM);
    js_newcfunction(J, jsx_it_self, "", 0);
    js_defproperty(J, -2, JSX_ITER, JS_DONTENUM);
    js_setregistry(J, JSX_REG_SIP);

    js_getglobal(J, "Array");
    js_getproperty(J, -1, "prototype");
    js_newcfunction(J, jsx_it_values, "values", 0);
    js_copy(J, -1);
    js_setregistry(J, JSX_REG_VALUES);
    js_copy(J, -1);
    js_defglobal(J, "$jsc_values", JS_DONTENUM);
    js_defproperty(J, -2, JSX_ITER, JS_DONTENUM);
    js_pop(J, 2);
    js_getglobal(J, "String");
    js_getproperty(J, -1, "prototype");
    js_newcfunction(J, jsx_it_string_iter, "", 0);
    js_defproperty(J, -2, JSX_ITER, JS_DONTENUM);
    js_pop(J, 2);

    /* "$jsc_" names: their frames are dropped from stack traces, as the module's are */
    jsx_nat_defglobal(J, jsx_it_iterator, "$jsc_iterator", 1);
    jsx_it_defplain(J, jsx_it_to_array, "$jsc_to_array", 1);
    jsx_nat_defglobal(J, jsx_it_close, "$jsc_iter_close", 2);
    jsx_it_defplain(J, jsx_it_of, "$jsc_of", 1);
    jsx_it_defplain(J, jsx_it_arr, "$jsc_arr", 4);
}

/* ---- destructuring ----------------------------------------------------------------------- */

/* Pushes destructure's `values`: Array.prototype[@@iterator] as it was at the module's first
 * use (held in a one-element array, so that an undefined one is captured too). */
static void jsx_de_values(js_State *J)
{
    js_getregistry(J, JSX_REG_DVALUES);
    if (js_isarray(J, -1)) {
        js_getindex(J, -1, 0);
        js_rot2pop1(J);
        return;
    }
    js_pop(J, 1);
    js_newarray(J);
    js_getglobal(J, "Array");
    js_getproperty(J, -1, "prototype");
    js_getproperty(J, -1, JSX_ITER);
    js_rot3pop2(J);
    js_copy(J, -1);
    js_setindex(J, -3, 0);
    js_rot2(J);
    js_setregistry(J, JSX_REG_DVALUES);
}

/* $jsc_obj_pattern(v, src, key) */
static void jsx_de_obj_pattern(js_State *J)
{
    jsx_de_values(J);
    js_pop(J, 1);
    if (!jsx_it_nullish(J, 1)) {
        js_copy(J, 1);
        return;
    }
    const char *what = js_isnull(J, 1) ? "null" : "undefined";
    if (js_isnull(J, 2) && !js_isnull(J, 3)) {
        js_pushliteral(J, "Cannot read properties of ");
        js_pushstring(J, what);
        js_pushliteral(J, " (reading '");
        js_copy(J, 3);
        js_pushliteral(J, "')");
        jsx_nat_concat(J, 5);
        jsx_nat_throw_top(J, 0);
    }
    if (js_toboolean(J, 2))
        js_copy(J, 2);
    else
        js_pushstring(J, what);
    int src = js_gettop(J) - 1;
    if (js_isnull(J, 3)) {
        js_pushliteral(J, "Cannot destructure '");
        js_copy(J, src);
        js_pushliteral(J, "' as it is ");
        js_pushstring(J, what);
        js_pushliteral(J, ".");
        jsx_nat_concat(J, 5);
    } else {
        js_pushliteral(J, "Cannot destructure property '");
        js_copy(J, 3);
        js_pushliteral(J, "' of '");
        js_copy(J, src);
        js_pushliteral(J, "' as it is ");
        js_pushstring(J, what);
        js_pushliteral(J, ".");
        jsx_nat_concat(J, 7);
    }
    jsx_nat_throw_top(J, 0);
}

/* typeof v === "string" || (v != null && typeof v[Symbol.iterator] === "function") ||
 * toStr.call(v) === "[object Arguments]" */
static int jsx_de_iterable(js_State *J, int v)
{
    if (js_isstring(J, v))
        return 1;
    if (!jsx_it_nullish(J, v)) {
        jsx_it_getprop(J, v, JSX_ITER);
        int f = js_iscallable(J, -1);
        js_pop(J, 1);
        if (f)
            return 1;
    }
    return jsx_nat_is_arguments(J, v);
}

/* Calls global `name` (this undefined) with the value at arg; pushes the result. */
static void jsx_de_call_global(js_State *J, const char *name, int arg)
{
    js_getglobal(J, name);
    js_pushundefined(J);
    js_copy(J, arg);
    js_call(J, 1);
}

/* $jsc_array_pattern(v, n, rest, src) */
static void jsx_de_array_pattern(js_State *J)
{
    int values = js_gettop(J), it = values + 1, out = values + 2;
    jsx_de_values(J);
    double n = js_tonumber(J, 2);
    int i, done = 0;
    if (js_isarray(J, 1)) {
        js_getproperty(J, 1, JSX_ITER);
        js_copy(J, values);
        int same = js_strictequal(J);
        js_pop(J, 2);
        if (same) {
            js_newarray(J);
            for (i = 0; i < n; i++) {
                js_getindex(J, 1, i);
                js_setindex(J, -2, i);
            }
            if (js_toboolean(J, 3)) {
                js_newarray(J);
                for (int k = 0; i < jsx_it_length(J, 1); i++, k++) {
                    js_getindex(J, 1, i);
                    js_setindex(J, -2, k);
                }
                js_setindex(J, -2, (int)n);
            }
            return;
        }
    }
    if (js_toboolean(J, 4) && !jsx_de_iterable(J, 1)) {
        js_copy(J, 4);
        js_pushliteral(J, " is not iterable");
        jsx_nat_concat(J, 2);
        jsx_nat_throw_top(J, 0);
    }
    jsx_de_call_global(J, "$jsc_iterator", 1);
    js_newarray(J);
    for (i = 0; i < n; i++) {
        jsx_it_step(J, it, &done);
        if (done) {
            js_pop(J, 1);
            break;
        }
        js_setindex(J, out, i);
    }
    if (js_toboolean(J, 3)) {
        js_newarray(J);
        for (int k = 0; !done; k++) {
            jsx_it_step(J, it, &done);
            if (done)
                js_pop(J, 1);
            else
                js_setindex(J, -2, k);
        }
        js_setindex(J, out, (int)n);
    } else if (!done) {
        jsx_de_call_global(J, "$jsc_iter_close", it);
        js_pop(J, 1);
    }
    js_copy(J, out);
}

/* $jsc_object_rest(v, keys) */
static void jsx_de_object_rest(js_State *J)
{
    jsx_de_values(J);
    js_pop(J, 1);
    int out = js_gettop(J), skip = out + 1, iter = out + 2, k = out + 3;
    js_newobject(J);
    js_newobject(J);
    for (int i = 0; i < jsx_it_length(J, 2); i++) {
        js_pushliteral(J, "$");
        js_getindex(J, 2, i);
        js_pushstring(J, js_tostring(J, -1)); /* String(keys[i]) */
        js_rot2pop1(J);
        js_concat(J);
        js_pushnumber(J, 1);
        js_setproperty(J, skip, js_tostring(J, -2));
        js_pop(J, 1);
    }
    if (!jsx_it_nullish(J, 1)) {
        js_pushiterator(J, 1, 0); /* for (k in Object(v)) */
        const char *name;
        while ((name = js_nextiterator(J, iter)) != NULL) {
            js_pushstring(J, name);
            if (jsx_nat_hasown(J, 1, k)) {
                js_pushliteral(J, "$");
                js_copy(J, k);
                js_concat(J);
                js_getproperty(J, skip, js_tostring(J, -1));
                int skipped = js_isnumber(J, -1) && js_tonumber(J, -1) == 1;
                js_pop(J, 2);
                if (!skipped) {
                    js_getproperty(J, 1, js_tostring(J, k));
                    js_setproperty(J, out, js_tostring(J, k));
                }
            }
            js_pop(J, 1);
        }
        js_pop(J, 1);
    }
    js_copy(J, out);
}

void jsx_nat_install_destructure(js_State *J)
{
    jsx_nat_defglobal(J, jsx_de_obj_pattern, "$jsc_obj_pattern", 3);
    jsx_nat_defglobal(J, jsx_de_array_pattern, "$jsc_array_pattern", 4);
    jsx_nat_defglobal(J, jsx_de_object_rest, "$jsc_object_rest", 2);
}
