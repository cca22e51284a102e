/*
 * mujs_json.c - JSON in and out of a state.
 *
 * Values cross between C and JavaScript only as JSON text handled by the interpreter's own
 * JSON.parse and JSON.stringify: input is never spliced into source code, so no input can
 * change what the script means. The two functions are saved in the registry before any task
 * code runs, so a script that replaces JSON.parse or JSON.stringify changes only what it calls
 * itself, not how its input arrives or its result leaves.
 *
 * Text entering a compiled task takes its UTF-16 form and text leaving any task is made UTF-8
 * (mujs_utf16.h). Once the runtime's symbol module has run (it sets the global marker
 * "@@jsc_symbols"), symbol keys and values are left out of what leaves, as JSON.stringify
 * leaves out symbols in other engines (symbols are "@@..." strings here, runtime/symbol.js).
 */
#include <string.h>

#include "mujs_exec.h"
#include "mujs_utf16.h"

#define JSX_REG_PARSE     "ratchet.JSON.parse"
#define JSX_REG_STRINGIFY "ratchet.JSON.stringify"
#define JSX_REG_HIDE      "ratchet.JSON.hide"
#define JSX_SYMBOLS       "@@jsc_symbols"

static int jsx_is_symbol(js_State *J, int idx)
{
    if (!js_isstring(J, idx))
        return 0;
    const char *s = js_tostring(J, idx);
    return s[0] == '@' && s[1] == '@';
}

/* The replacer (key, value) that drops symbol keys and symbol values. */
static void jsx_json_hide(js_State *J)
{
    if (jsx_is_symbol(J, 1) || jsx_is_symbol(J, 2))
        js_pushundefined(J);
    else
        js_copy(J, 2);
}

/* Push s (host-allocated, freed here whatever happens). May throw (out of memory). */
static void jsx_json_push_owned(js_State *J, char *s)
{
    if (js_try(J)) {
        mujs_host->free(s);
        js_throw(J);
    }
    js_pushstring(J, s);
    js_endtry(J);
    mujs_host->free(s);
}

void jsx_json_define(js_State *J)
{
    js_getglobal(J, "JSON");
    js_getproperty(J, -1, "parse");
    js_setregistry(J, JSX_REG_PARSE);
    js_getproperty(J, -1, "stringify");
    js_setregistry(J, JSX_REG_STRINGIFY);
    js_pop(J, 1);
    js_newcfunction(J, jsx_json_hide, "", 2);
    js_setregistry(J, JSX_REG_HIDE);
}

void jsx_json_parse(js_State *J, const char *text)
{
    const jsx_run *run = js_getcontext(J);
    char *wide = NULL;
    js_getregistry(J, JSX_REG_PARSE);
    js_pushundefined(J);
    if (run && run->prog && (run->prog->runtime || run->prog->line_map) &&
        jsx_utf16_from_utf8(text, &wide) != 0)
        js_error(J, "out of memory");
    if (wide)
        jsx_json_push_owned(J, wide);
    else
        js_pushstring(J, text);
    js_call(J, 1);
}

void jsx_json_stringify(js_State *J, int idx)
{
    /* Two values are pushed before the copy, so a relative index moves by two. */
    int at = idx < 0 ? idx - 2 : idx;
    js_getregistry(J, JSX_REG_STRINGIFY);
    js_pushundefined(J);
    js_copy(J, at);
    js_getglobal(J, JSX_SYMBOLS);
    int symbols = js_toboolean(J, -1);
    js_pop(J, 1);
    if (symbols)
        js_getregistry(J, JSX_REG_HIDE);
    js_call(J, symbols ? 2 : 1);
    if (!js_isstring(J, -1))
        return;
    char *utf8 = NULL;
    if (jsx_utf16_to_utf8(js_tostring(J, -1), 1, &utf8) != 0)
        js_error(J, "out of memory");
    if (utf8) {
        js_pop(J, 1);
        jsx_json_push_owned(J, utf8);
    }
}
