/*
 * mujs_native.c - runtime helpers of compiled tasks implemented in C: the table, and the
 * class helpers.
 *
 * MuJS compiles every function of a script when it loads it, so even a small runtime module
 * costs tens of microseconds per execution, more than the whole budget of a task that only
 * declares a class or destructures its input. The modules listed in jsx_natives are therefore
 * provided natively: when a compiled task's runtime contains one whose `defines` are exactly
 * the names listed, its text is never parsed; its installer defines those names (non-enumerable,
 * writable, configurable, like the module's) before the task runs. A module whose defines
 * change no longer matches and runs as text again, so the two can only drift in behaviour,
 * not in names; the corpus (tests/js) checks the behaviour, tests/unit/test_executor_runtime.c
 * the error paths. The natives do not use the modules their JavaScript `needs` (symbol for
 * iterator, iterator for destructure), so those load only when the task touches them.
 *
 * The natives work through the engine's own Object.defineProperty and friends, saved when
 * they are installed, so that descriptors are checked and applied exactly as the JavaScript
 * module's calls would. Errors are the engine's own TypeError and ReferenceError; their
 * "$jsc_... (native)" frames are dropped from stack traces (mujs_lines.c).
 */
#include <string.h>

#include "mujs_native.h"

#define JSX_REG_PATCHED "ratchet.n.patched"

/* ---- calls to the saved built-ins -------------------------------------------------------- */

void jsx_nat_call(js_State *J, const char *key, int n)
{
    js_getregistry(J, key);
    js_pushundefined(J);
    for (int i = 0; i < n; i++)
        js_copy(J, -2 - n);
    js_call(J, n);
    js_rot(J, n + 1);
    js_pop(J, n);
}

/* Object.defineProperty(obj at o, key at k, {value: value at v, writable: true,
 * configurable: true}) - non-enumerable, as the modules' hide(). */
static void jsx_nat_hide(js_State *J, int o, int k, int v)
{
    js_copy(J, o);
    js_copy(J, k < 0 ? k - 1 : k);
    js_newobject(J);
    js_copy(J, v < 0 ? v - 3 : v);
    js_setproperty(J, -2, "value");
    js_pushboolean(J, 1);
    js_setproperty(J, -2, "writable");
    js_pushboolean(J, 1);
    js_setproperty(J, -2, "configurable");
    js_pushboolean(J, 0);
    js_setproperty(J, -2, "enumerable");
    jsx_nat_call(J, JSX_REG_DEFPROP, 3);
    js_pop(J, 1);
}

int jsx_nat_hasown(js_State *J, int o, int k)
{
    js_getregistry(J, JSX_REG_HASOWN);
    js_copy(J, o < 0 ? o - 1 : o);
    js_copy(J, k < 0 ? k - 2 : k);
    js_call(J, 1);
    int has = js_toboolean(J, -1);
    js_pop(J, 1);
    return has;
}

int jsx_nat_is_arguments(js_State *J, int idx)
{
    js_getregistry(J, JSX_REG_TOSTR);
    js_copy(J, idx < 0 ? idx - 1 : idx);
    js_call(J, 0);
    int is = js_isstring(J, -1) && strcmp(js_tostring(J, -1), "[object Arguments]") == 0;
    js_pop(J, 1);
    return is;
}

void jsx_nat_concat(js_State *J, int n)
{
    js_copy(J, -n); /* the sum so far, kept on top */
    for (int i = 2; i <= n; i++) {
        js_copy(J, -(n - i + 2));
        js_concat(J);
    }
    js_rot(J, n + 1);
    js_pop(J, n);
}

void jsx_nat_throw_top(js_State *J, int reference)
{
    const char *msg = js_tostring(J, -1);
    if (reference)
        js_newreferenceerror(J, msg);
    else
        js_newtypeerror(J, msg);
    js_throw(J);
}

void jsx_nat_defglobal(js_State *J, js_CFunction fn, const char *name, int length)
{
    js_newcfunction(J, fn, name, length);
    js_defglobal(J, name, JS_DONTENUM);
}

/* Throws new TypeError(prefix + String(value at idx) + suffix); value idx 0: no value. */
static void jsx_nat_type_error(js_State *J, const char *prefix, int idx, const char *suffix)
{
    js_pushstring(J, prefix);
    if (idx > 0) {
        if (js_iscallable(J, idx)) {
            js_pushliteral(J, "function");
        } else {
            js_copy(J, idx);
            js_pushstring(J, js_tostring(J, -1));
            js_rot2pop1(J);
        }
        js_concat(J);
    }
    js_pushstring(J, suffix);
    js_concat(J);
    jsx_nat_throw_top(J, 0);
}

/* ---- the helpers ------------------------------------------------------------------------- */

/* Object.getPrototypeOf(C) of a derived class gives its parent (see class.js). */
static void jsx_nat_getproto(js_State *J)
{
    if (js_iscallable(J, 1)) {
        js_pushliteral(J, "$jsc_parent");
        int has = jsx_nat_hasown(J, 1, -1);
        js_pop(J, 1);
        if (has) {
            js_getproperty(J, 1, "$jsc_parent");
            return;
        }
    }
    js_copy(J, 1);
    jsx_nat_call(J, JSX_REG_GETPROTO, 1);
}

/* class.js's module-load patch of Object.getPrototypeOf, done at the first $jsc_class call
 * (when the module would have loaded). */
static void jsx_nat_patch_getproto(js_State *J)
{
    js_getregistry(J, JSX_REG_PATCHED);
    int done = js_toboolean(J, -1);
    js_pop(J, 1);
    if (done)
        return;
    js_pushboolean(J, 1);
    js_setregistry(J, JSX_REG_PATCHED);
    js_getglobal(J, "Object");
    js_pushliteral(J, "getPrototypeOf");
    js_newcfunction(J, jsx_nat_getproto, "getPrototypeOf", 1);
    jsx_nat_hide(J, -3, -2, -1);
    js_pop(J, 3);
}

/* Own statics of P (at 2) that C (at 1) does not have yet: copied with their descriptors. */
static void jsx_nat_copy_statics(js_State *J)
{
    static const char *const skip[] = {"prototype", "length", "name", "arguments", "caller"};
    /* Object.getOwnPropertyNames is one of the symbol module's names (it hides symbol keys):
     * read at the first use, not at install, so that a task which never extends a class
     * does not load that module */
    js_getregistry(J, JSX_REG_NAMES);
    int have = js_iscallable(J, -1);
    js_pop(J, 1);
    if (!have) {
        js_getglobal(J, "Object");
        js_getproperty(J, -1, "getOwnPropertyNames");
        js_setregistry(J, JSX_REG_NAMES);
        js_pop(J, 1);
    }
    js_copy(J, 2);
    jsx_nat_call(J, JSX_REG_NAMES, 1); /* ks */
    int n = js_getlength(J, -1);
    for (int i = 0; i < n; i++) {
        js_getindex(J, -1, i); /* ks k */
        const char *k = js_tostring(J, -1);
        int skipped = 0;
        for (size_t s = 0; s < sizeof skip / sizeof skip[0]; s++)
            skipped |= strcmp(k, skip[s]) == 0;
        if (!skipped && !jsx_nat_hasown(J, 1, -1)) {
            js_copy(J, 1);
            js_copy(J, -2);
            js_copy(J, 2);
            js_copy(J, -2);
            jsx_nat_call(J, JSX_REG_GOPD, 2); /* ks k C k desc */
            jsx_nat_call(J, JSX_REG_DEFPROP, 3);
            js_pop(J, 1);
        }
        js_pop(J, 1);
    }
    js_pop(J, 1);
}

/* $jsc_class(C, P, name, ext) */
static void jsx_nat_class(js_State *J)
{
    jsx_nat_patch_getproto(J);
    if (js_toboolean(J, 4)) {
        int pnull = js_isnull(J, 2);
        if (!pnull && !js_iscallable(J, 2))
            jsx_nat_type_error(J, "Class extends value ", 2, " is not a constructor or null");
        int proto = js_gettop(J);
        if (pnull)
            js_pushnull(J);
        else
            js_getproperty(J, 2, "prototype");
        if (!js_isnull(J, proto) && !js_isobject(J, proto))
            jsx_nat_type_error(J, "Class extends value does not have valid prototype property ",
                               proto, "");
        js_copy(J, proto);
        js_newobjectx(J); /* Object.create(proto) */
        js_copy(J, -1);
        js_setproperty(J, 1, "prototype");
        js_pushliteral(J, "constructor");
        jsx_nat_hide(J, -2, -1, 1);
        js_pop(J, 2);
        if (!pnull) {
            js_pushliteral(J, "$jsc_parent");
            jsx_nat_hide(J, 1, -1, 2);
            js_pop(J, 1);
            jsx_nat_copy_statics(J);
        }
    }
    js_copy(J, 1);
    js_pushliteral(J, "name");
    js_newobject(J);
    js_copy(J, 3);
    js_setproperty(J, -2, "value");
    js_pushboolean(J, 1);
    js_setproperty(J, -2, "configurable");
    jsx_nat_call(J, JSX_REG_DEFPROP, 3);
    js_pushundefined(J);
}

/* $jsc_method(o, k, f) */
static void jsx_nat_method(js_State *J)
{
    jsx_nat_hide(J, 1, 2, 3);
    js_pushundefined(J);
}

/* $jsc_accessor(o, k, g, s) */
static void jsx_nat_accessor(js_State *J)
{
    js_copy(J, 1);
    js_copy(J, 2);
    js_newobject(J);
    js_pushboolean(J, 0);
    js_setproperty(J, -2, "enumerable");
    js_pushboolean(J, 1);
    js_setproperty(J, -2, "configurable");
    if (js_toboolean(J, 3)) {
        js_copy(J, 3);
        js_setproperty(J, -2, "get");
    }
    if (js_toboolean(J, 4)) {
        js_copy(J, 4);
        js_setproperty(J, -2, "set");
    }
    jsx_nat_call(J, JSX_REG_DEFPROP, 3);
    js_pushundefined(J);
}

/* $jsc_class_call(C) */
static void jsx_nat_class_call(js_State *J)
{
    js_getproperty(J, 1, "name");
    jsx_nat_type_error(J, "Class constructor ", js_gettop(J) - 1,
                       " cannot be invoked without 'new'");
}

/* $jsc_this_uninit() */
static void jsx_nat_this_uninit(js_State *J)
{
    js_newreferenceerror(J, "Must call super constructor in derived class before accessing "
                            "'this' or returning from derived constructor");
    js_throw(J);
}

/* ---- the table ----------------------------------------------------------------------------- */

static void jsx_nat_install_class(js_State *J)
{
    jsx_nat_defglobal(J, jsx_nat_class, "$jsc_class", 4);
}

static void jsx_nat_install_method(js_State *J)
{
    jsx_nat_defglobal(J, jsx_nat_method, "$jsc_method", 3);
}

static void jsx_nat_install_accessor(js_State *J)
{
    jsx_nat_defglobal(J, jsx_nat_accessor, "$jsc_accessor", 4);
}

static void jsx_nat_install_class_call(js_State *J)
{
    jsx_nat_defglobal(J, jsx_nat_class_call, "$jsc_class_call", 1);
}

static void jsx_nat_install_this(js_State *J)
{
    jsx_nat_defglobal(J, jsx_nat_this_uninit, "$jsc_this_uninit", 0);
}

typedef struct jsx_native_module {
    const char *module;
    const char *defines; /* exactly the module's `defines`, space-separated */
    void (*install)(js_State *J);
} jsx_native_module;

static const jsx_native_module jsx_natives[] = {
    {"class", "$jsc_class", jsx_nat_install_class},
    {"class-method", "$jsc_method", jsx_nat_install_method},
    {"class-accessor", "$jsc_accessor", jsx_nat_install_accessor},
    {"class-call", "$jsc_class_call", jsx_nat_install_class_call},
    {"class-this", "$jsc_this_uninit", jsx_nat_install_this},
    {"iterator",
     "$jsc_iterator $jsc_to_array $jsc_iter_close $jsc_of $jsc_arr $jsc_values "
     "$jsc_ArrayIterator Array.prototype.@@iterator String.prototype.@@iterator",
     jsx_nat_install_iterator},
    {"destructure", "$jsc_obj_pattern $jsc_array_pattern $jsc_object_rest",
     jsx_nat_install_destructure},
    {"block", "$jsc_const_assign $jsc_tdz $jsc_tdz_fail $jsc_tdz_set", jsx_nat_install_block},
    {"fnname", "$jsc_fname Function.prototype.name", jsx_nat_install_fnname},
    {"holes", "$jsc_holes", jsx_nat_install_holes},
};

int jsx_native_find(const char *module, const char *defines)
{
    for (size_t i = 0; i < sizeof jsx_natives / sizeof jsx_natives[0]; i++)
        if (strcmp(jsx_natives[i].module, module) == 0 &&
            strcmp(jsx_natives[i].defines, defines) == 0)
            return (int)i;
    return -1;
}

/* Saves the built-ins the natives call, once per run. */
static void jsx_native_save(js_State *J)
{
    static const char *const fns[][2] = {
        {"defineProperty", JSX_REG_DEFPROP},
        {"getOwnPropertyDescriptor", JSX_REG_GOPD},
        {"getPrototypeOf", JSX_REG_GETPROTO},
    };
    js_getregistry(J, JSX_REG_DEFPROP);
    int saved = js_iscallable(J, -1);
    js_pop(J, 1);
    if (saved)
        return;
    js_getglobal(J, "Object");
    for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) {
        js_getproperty(J, -1, fns[i][0]);
        js_setregistry(J, fns[i][1]);
    }
    js_getproperty(J, -1, "prototype");
    js_getproperty(J, -1, "hasOwnProperty");
    js_setregistry(J, JSX_REG_HASOWN);
    js_getproperty(J, -1, "toString");
    js_setregistry(J, JSX_REG_TOSTR);
    js_pop(J, 2);
}

void jsx_native_install(js_State *J, int k)
{
    jsx_native_save(J);
    jsx_natives[k].install(J);
}
