/* tests/unit/ipc_testing.c - what the worker-protocol tests share: JSON values, encoding, pipes. */
#include "ipc_testing.h"

/* ---- helpers ------------------------------------------------------------------------------- */

struct json_object *parse(const char *text)
{
    struct json_object *v = NULL;
    rt_error err = {{0}};
    if (rt_ipc_parse_json(text, strlen(text), &v, &err) != RATCHET_OK)
        fail_msg("cannot parse %s: %s", text, err.msg);
    return v;
}

/* A value given as verbatim JSON text. */
rt_ipc_json json_text(const char *text)
{
    rt_ipc_json v = {NULL, text, strlen(text)};
    return v;
}

void assert_contains(const char *haystack, const char *needle)
{
    if (!strstr(haystack, needle))
        fail_msg("\"%s\" does not contain \"%s\"", haystack, needle);
}
