/*
 * mujs_native.h - what the native runtime helpers share (mujs_native*.c).
 *
 *   mujs_native.c       the table of native modules, installing them; the class helpers
 *   mujs_native_iter.c  the iteration protocol and destructuring (modules iterator, destructure)
 *   mujs_native_lang.c  let/const, function names, array holes (modules block, fnname, holes)
 *
 * Every helper follows its module's JavaScript (host/task/compiler/runtime/) step by step,
 * with the same messages; the JavaScript stays the specification and the fallback.
 */
#ifndef MUJS_NATIVE_H
#define MUJS_NATIVE_H

#include "mujs_exec.h"

/* Registry keys of the built-ins saved before any task code runs (jsx_native_save). */
#define JSX_REG_DEFPROP  "ratchet.n.defineProperty"
#define JSX_REG_GOPD     "ratchet.n.getOwnPropertyDescriptor"
#define JSX_REG_NAMES    "ratchet.n.getOwnPropertyNames"
#define JSX_REG_GETPROTO "ratchet.n.getPrototypeOf"
#define JSX_REG_HASOWN   "ratchet.n.hasOwnProperty"
#define JSX_REG_TOSTR    "ratchet.n.toString"

/* Calls the saved function `key` with the n values on top of the stack as its arguments
 * (`this` undefined); replaces them with its result. Throws what it throws. */
void jsx_nat_call(js_State *J, const char *key, int n);

/* Object.prototype.hasOwnProperty.call(obj at o, key at k) */
int jsx_nat_hasown(js_State *J, int o, int k);

/* Object.prototype.toString.call(value at idx) === "[object Arguments]" */
int jsx_nat_is_arguments(js_State *J, int idx);

/* Replaces the n values on top of the stack by their concatenation as strings (JS `+` of a
 * string and each of them). */
void jsx_nat_concat(js_State *J, int n);

/* Throws a TypeError (ReferenceError when `reference`) whose message is the string on top. */
JS_NORETURN void jsx_nat_throw_top(js_State *J, int reference);

/* Defines global `name` as C function fn (non-enumerable, writable, configurable). */
void jsx_nat_defglobal(js_State *J, js_CFunction fn, const char *name, int length);

/* Module installers (mujs_native_iter.c, mujs_native_lang.c): define the module's names. */
void jsx_nat_install_iterator(js_State *J);
void jsx_nat_install_destructure(js_State *J);
void jsx_nat_install_block(js_State *J);
void jsx_nat_install_fnname(js_State *J);
void jsx_nat_install_holes(js_State *J);

#endif
