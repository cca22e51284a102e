/*
 * mujs_native_lang.c - small language helpers of compiled tasks, in C: runtime modules
 * `block` (let/const: assignment to a constant, the temporal dead zone), `fnname` (function
 * names) and `holes` (elisions in array literals). Their JavaScript
 * (host/task/compiler/runtime/block.js, fnname.js, holes.js) is the specification these
 * follow, messages included; see mujs_native.c for when the natives replace it.
 *
 * fnname is in the runtime of nearly every compiled task (any source that mentions `name`),
 * so as text it cost a parse per execution even where the task never reads a name.
 */
#include <string.h>

#include "mujs_native.h"

#define JSX_REG_TDZ "ratchet.n.tdz"

/* ---- block ------------------------------------------------------------------------------- */

/* $jsc_const_assign() */
static void jsx_bl_const_assign(js_State *J)
{
    js_newtypeerror(J, "Assignment to constant variable.");
    js_throw(J);
}

/* Throws the ReferenceError of using `name` (at idx) before its declaration ran. */
static JS_NORETURN void jsx_bl_fail(js_State *J, int idx)
{
    js_pushliteral(J, "Cannot access '");
    js_copy(J, idx);
    js_pushliteral(J, "' before initialization");
    jsx_nat_concat(J, 3);
    jsx_nat_throw_top(J, 1);
}

/* $jsc_tdz_fail(name) */
static void jsx_bl_tdz_fail(js_State *J)
{
    jsx_bl_fail(J, 1);
}

/* $jsc_tdz_set(cur, v, name) */
static void jsx_bl_tdz_set(js_State *J)
{
    js_copy(J, 1);
    js_getregistry(J, JSX_REG_TDZ);
    int tdz = js_strictequal(J);
    js_pop(J, 2);
    if (tdz)
        jsx_bl_fail(J, 3);
    js_copy(J, 2);
}

void jsx_nat_install_block(js_State *J)
{
    jsx_nat_defglobal(J, jsx_bl_const_assign, "$jsc_const_assign", 0);
    js_newobject(J);
    js_copy(J, -1);
    js_setregistry(J, JSX_REG_TDZ);
    js_defglobal(J, "$jsc_tdz", JS_DONTENUM);
    jsx_nat_defglobal(J, jsx_bl_tdz_fail, "$jsc_tdz_fail", 1);
    jsx_nat_defglobal(J, jsx_bl_tdz_set, "$jsc_tdz_set", 3);
}

/* ---- fnname ------------------------------------------------------------------------------ */

/* Length in bytes of the character of MuJS's regular-expression class \s at s (U+0009..U+000D,
 * U+0020, U+00A0, U+2028, U+2029, U+FEFF in UTF-8), or 0. */
static size_t jsx_fn_space(const unsigned char *s)
{
    if ((s[0] >= 0x09 && s[0] <= 0x0D) || s[0] == 0x20)
        return 1;
    if (s[0] == 0xC2 && s[1] == 0xA0)
        return 2;
    if (s[0] == 0xE2 && s[1] == 0x80 && (s[2] == 0xA8 || s[2] == 0xA9))
        return 3;
    if (s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
        return 3;
    return 0;
}

/* The getter of Function.prototype.name: in the module,
 *   m = /^function\s*([^\s(]*)/.exec(Function.prototype.toString.call(this));
 *   name = m ? m[1] : ""; return name.slice(name.lastIndexOf(".") + 1); */
static void jsx_fn_name_get(js_State *J)
{
    js_getglobal(J, "Function");
    js_getproperty(J, -1, "prototype");
    js_getproperty(J, -1, "toString");
    js_rot3pop2(J);
    js_copy(J, 0);
    js_call(J, 0);
    const unsigned char *s = (const unsigned char *)js_tostring(J, -1);
    if (strncmp((const char *)s, "function", 8) != 0) {
        js_pushliteral(J, "");
        return;
    }
    const unsigned char *p = s + 8, *q, *start;
    for (size_t n; (n = jsx_fn_space(p)) != 0;)
        p += n;
    for (q = p; *q && *q != '(' && !jsx_fn_space(q); q++)
        ;
    start = p;
    for (const unsigned char *d = p; d < q; d++)
        if (*d == '.')
            start = d + 1;
    js_pushlstring(J, (const char *)start, (int)(q - start));
}

/* $jsc_fname(fn, name): Object.defineProperty(fn, "name", {value: name, configurable: true}) */
static void jsx_fn_fname(js_State *J)
{
    if (js_isobject(J, 1)) {
        js_copy(J, 2);
        js_defproperty(J, 1, "name", JS_READONLY | JS_DONTENUM);
    } else {
        /* not an object: the engine's own error */
        js_copy(J, 1);
        js_pushliteral(J, "name");
        js_newobject(J);
        js_copy(J, 2);
        js_setproperty(J, -2, "value");
        js_pushboolean(J, 1);
        js_setproperty(J, -2, "configurable");
        jsx_nat_call(J, JSX_REG_DEFPROP, 3);
        js_pop(J, 1);
    }
    js_copy(J, 1);
}

void jsx_nat_install_fnname(js_State *J)
{
    js_getglobal(J, "Function");
    js_getproperty(J, -1, "prototype");
    js_newcfunction(J, jsx_fn_name_get, "$jsc_name", 0);
    js_pushnull(J);
    js_defaccessor(J, -3, "name", JS_DONTENUM);
    js_pop(J, 2);
    jsx_nat_defglobal(J, jsx_fn_fname, "$jsc_fname", 2);
}

/* ---- holes ------------------------------------------------------------------------------- */

/* $jsc_holes(a, holes): delete a[holes[i]] for each i; returns a. */
static void jsx_ho_holes(js_State *J)
{
    int n = js_getlength(J, 2);
    for (int i = 0; i < n; i++) {
        js_getindex(J, 2, i);
        js_delproperty(J, 1, js_tostring(J, -1));
        js_pop(J, 1);
    }
    js_copy(J, 1);
}

void jsx_nat_install_holes(js_State *J)
{
    jsx_nat_defglobal(J, jsx_ho_holes, "$jsc_holes", 2);
}
