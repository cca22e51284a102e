/* host/task/jsondiff.c - deep JSON equality and a readable list of differences. */
#include "jsondiff.h"

#include <stdio.h>
#include <string.h>

#include "core/core_layer.h"

static int is_number(struct json_object *v)
{
    return json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double);
}

static int numbers_equal(struct json_object *a, struct json_object *b)
{
    if (json_object_is_type(a, json_type_int) && json_object_is_type(b, json_type_int))
        return json_object_get_int64(a) == json_object_get_int64(b);
    return json_object_get_double(a) == json_object_get_double(b);
}

int rt_json_equal(struct json_object *a, struct json_object *b)
{
    return rt_json_diff(a, b, NULL, 0) == 0;
}

typedef struct diff_state {
    ratchet_buf *out;
    size_t max, count;
    char path[1024];
} diff_state;

/* json-c represents JSON null as NULL, so "absent" is passed separately. */
#define ABSENT ((struct json_object *)&absent_marker)
static const int absent_marker;

static const char *shown(struct json_object *v)
{
    return v == ABSENT ? "nothing" : json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN);
}

static void note(diff_state *st, struct json_object *expected, struct json_object *actual)
{
    if (st->count++ >= st->max || !st->out)
        return;
    rt_buf_printf(st->out, "  %s: expected %s, got ", *st->path ? st->path : "/", shown(expected));
    rt_buf_printf(st->out, "%s\n", shown(actual));
}

/* Append "/token" (escaped as a JSON pointer) to the path; returns the old length. */
static size_t push(diff_state *st, const char *token)
{
    size_t len = strlen(st->path), at = len;
    if (at + 1 < sizeof st->path)
        st->path[at++] = '/';
    for (const char *p = token; *p && at + 2 < sizeof st->path; p++) {
        if (*p == '~' || *p == '/') {
            st->path[at++] = '~';
            st->path[at++] = *p == '~' ? '0' : '1';
        } else {
            st->path[at++] = *p;
        }
    }
    st->path[at] = '\0';
    return len;
}

static void walk(diff_state *st, struct json_object *e, struct json_object *a)
{
    json_type te = json_object_get_type(e), ta = json_object_get_type(a);
    if (is_number(e) && is_number(a)) {
        if (!numbers_equal(e, a))
            note(st, e, a);
        return;
    }
    if (te != ta) {
        note(st, e, a);
        return;
    }
    char index[32];
    switch (te) {
    case json_type_object: {
        json_object_object_foreach(e, key, ev)
        {
            struct json_object *av;
            size_t len = push(st, key);
            if (json_object_object_get_ex(a, key, &av))
                walk(st, ev, av);
            else
                note(st, ev, ABSENT);
            st->path[len] = '\0';
        }
        json_object_object_foreach(a, akey, aval)
        {
            if (!json_object_object_get_ex(e, akey, NULL)) {
                size_t len = push(st, akey);
                note(st, ABSENT, aval);
                st->path[len] = '\0';
            }
        }
        break;
    }
    case json_type_array: {
        size_t ne = json_object_array_length(e), na = json_object_array_length(a);
        for (size_t i = 0; i < ne || i < na; i++) {
            snprintf(index, sizeof index, "%zu", i);
            size_t len = push(st, index);
            if (i < ne && i < na)
                walk(st, json_object_array_get_idx(e, i), json_object_array_get_idx(a, i));
            else
                note(st, i < ne ? json_object_array_get_idx(e, i) : ABSENT,
                     i < na ? json_object_array_get_idx(a, i) : ABSENT);
            st->path[len] = '\0';
        }
        break;
    }
    case json_type_string:
        if (strcmp(json_object_get_string(e), json_object_get_string(a)) != 0)
            note(st, e, a);
        break;
    case json_type_boolean:
        if (json_object_get_boolean(e) != json_object_get_boolean(a))
            note(st, e, a);
        break;
    default: /* null */
        break;
    }
}

size_t rt_json_diff(struct json_object *expected, struct json_object *actual, ratchet_buf *out,
                    size_t max)
{
    diff_state st = {out, max, 0, ""};
    walk(&st, expected, actual);
    if (out && st.count > max)
        rt_buf_printf(out, "  ... and %zu more\n", st.count - max);
    return st.count;
}
