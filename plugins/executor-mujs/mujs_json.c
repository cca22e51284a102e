/*
 * mujs_json.c - JSON in and out of a state.
 *
 * Values cross between C and JavaScript only as JSON text handled by the interpreter's own
 * JSON.parse and JSON.stringify: input is never spliced into source code, so no input can
 * change what the script means. The two functions are saved in the registry before any task
 * code runs, so a script that replaces JSON.parse or JSON.stringify changes only what it calls
 * itself, not how its input arrives or its result leaves.
 */
#include "mujs_exec.h"

#define JSX_REG_PARSE     "ratchet.JSON.parse"
#define JSX_REG_STRINGIFY "ratchet.JSON.stringify"

void jsx_json_define(js_State *J)
{
    js_getglobal(J, "JSON");
    js_getproperty(J, -1, "parse");
    js_setregistry(J, JSX_REG_PARSE);
    js_getproperty(J, -1, "stringify");
    js_setregistry(J, JSX_REG_STRINGIFY);
    js_pop(J, 1);
}

void jsx_json_parse(js_State *J, const char *text)
{
    js_getregistry(J, JSX_REG_PARSE);
    js_pushundefined(J);
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
    js_call(J, 1);
}
