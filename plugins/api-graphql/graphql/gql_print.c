/*
 * gql_print.c - values printed as GraphQL literals (graphql-js print: error messages and
 * introspection's defaultValue) and json values printed as graphql-js's inspect() shows them.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gql_int.h"

typedef struct out {
    char *p;
    size_t n, cap;
    int oom;
} out;

static void put(out *o, const char *s, size_t n)
{
    if (o->oom)
        return;
    if (o->n + n + 1 > o->cap) {
        size_t cap = o->cap ? o->cap * 2 : 64;
        while (cap < o->n + n + 1)
            cap *= 2;
        char *q = realloc(o->p, cap);
        if (!q) {
            o->oom = 1;
            return;
        }
        o->p = q;
        o->cap = cap;
    }
    memcpy(o->p + o->n, s, n);
    o->n += n;
    o->p[o->n] = '\0';
}

static void puts_(out *o, const char *s)
{
    put(o, s, strlen(s));
}

/* graphql-js printString: JSON-style escapes for quotes, backslash and control characters. */
static void put_string(out *o, const char *s, size_t n)
{
    put(o, "\"", 1);
    /* The characters with a short escape, and theirs. */
    static const char shorts[] = "\"\\\b\f\n\r\t", escapes[] = "\"\\bfnrt";
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *k = c ? strchr(shorts, c) : NULL;
        char e[8];
        if (k) {
            char pair[2] = {'\\', escapes[k - shorts]};
            put(o, pair, 2);
        } else if (c < 0x20 || c == 0x7f) {
            snprintf(e, sizeof e, "\\u%04X", c);
            puts_(o, e);
        } else if (c == 0xc2 && i + 1 < n && (unsigned char)s[i + 1] >= 0x80 &&
                   (unsigned char)s[i + 1] <= 0x9f) {
            snprintf(e, sizeof e, "\\u%04X", (unsigned char)s[i + 1]);
            puts_(o, e);
            i++;
        } else {
            put(o, (const char *)&s[i], 1);
        }
    }
    put(o, "\"", 1);
}

static int is_ws(char c)
{
    return c == ' ' || c == '\t';
}

/* graphql-js printBlockString: chosen so that the block string reads back as the same value.
 * Length-aware: a block string may hold NUL characters. */
static void put_block_string(out *o, const char *value, size_t len)
{
    out esc = {NULL, 0, 0, 0};
    put(&esc, "", 0);
    for (size_t i = 0; i < len; i++) {
        if (i + 2 < len && memcmp(value + i, "\"\"\"", 3) == 0) {
            puts_(&esc, "\\\"\"\"");
            i += 2;
        } else {
            put(&esc, value + i, 1);
        }
    }
    const char *e = esc.p ? esc.p : "";
    size_t elen = esc.n;
    int single = 1, force_leading = 1;
    for (size_t i = 0; i < elen; i++) {
        if (e[i] != '\n' && e[i] != '\r')
            continue;
        single = 0;
        size_t next = i + ((e[i] == '\r' && i + 1 < elen && e[i + 1] == '\n') ? 2 : 1);
        if (next < elen && e[next] != '\n' && e[next] != '\r' && !is_ws(e[next]))
            force_leading = 0;
        i = next - 1;
    }
    if (single)
        force_leading = 0;
    int trailing_triple = elen >= 4 && memcmp(e + elen - 4, "\\\"\"\"", 4) == 0;
    int trailing_quote = len > 0 && value[len - 1] == '"' && !trailing_triple;
    int trailing_slash = len > 0 && value[len - 1] == '\\';
    int force_trailing = trailing_quote || trailing_slash;
    int multi = !single || len > 70 || force_trailing || force_leading || trailing_triple;
    int skip_leading = single && len > 0 && is_ws(value[0]);
    puts_(o, "\"\"\"");
    if ((multi && !skip_leading) || force_leading)
        puts_(o, "\n");
    put(o, e, elen);
    if (multi || force_trailing)
        puts_(o, "\n");
    puts_(o, "\"\"\"");
    free(esc.p);
}

static void print_value(out *o, const gql_node *v, int depth)
{
    if (depth > 256) {
        puts_(o, "...");
        return;
    }
    switch (v->kind) {
    case GQL_VARIABLE:
        puts_(o, "$");
        puts_(o, v->name);
        break;
    case GQL_INT:
    case GQL_FLOAT:
    case GQL_ENUM:
        puts_(o, v->text);
        break;
    case GQL_STRING:
        /* a NUL cannot be written in a block string and kept in a C string: escape it */
        if (v->flag && memchr(v->text, '\0', v->text_len) == NULL) {
            put_block_string(o, v->text, v->text_len);
        } else {
            put_string(o, v->text, v->text_len);
        }
        break;
    case GQL_BOOLEAN:
        puts_(o, v->flag ? "true" : "false");
        break;
    case GQL_NULL:
        puts_(o, "null");
        break;
    case GQL_LIST:
        puts_(o, "[");
        for (const gql_node *i = v->sel; i; i = i->next) {
            print_value(o, i, depth + 1);
            if (i->next)
                puts_(o, ", ");
        }
        puts_(o, "]");
        break;
    case GQL_OBJECT:
        puts_(o, "{");
        for (const gql_node *f = v->sel; f; f = f->next) {
            puts_(o, f->name);
            puts_(o, ": ");
            print_value(o, f->value, depth + 1);
            if (f->next)
                puts_(o, ", ");
        }
        puts_(o, "}");
        break;
    default:
        puts_(o, "?");
    }
}

char *gql_print_value(const gql_node *v)
{
    out o = {NULL, 0, 0, 0};
    print_value(&o, v, 0);
    if (o.oom) {
        free(o.p);
        return NULL;
    }
    return o.p ? o.p : calloc(1, 1);
}

/* graphql-js inspect(): strings JSON-quoted, [a, b], { k: v }. */
static void inspect(out *o, json_object *v, int depth)
{
    char num[64];
    switch (json_object_get_type(v)) {
    case json_type_null:
        puts_(o, "null");
        break;
    case json_type_boolean:
        puts_(o, json_object_get_boolean(v) ? "true" : "false");
        break;
    case json_type_int:
        snprintf(num, sizeof num, "%lld", (long long)json_object_get_int64(v));
        puts_(o, num);
        break;
    case json_type_double:
        gql_js_number(json_object_get_double(v), num, sizeof num);
        puts_(o, num);
        break;
    case json_type_string:
        put_string(o, json_object_get_string(v), (size_t)json_object_get_string_len(v));
        break;
    case json_type_array: {
        if (depth > 2) {
            puts_(o, "[Array]");
            break;
        }
        size_t n = json_object_array_length(v);
        puts_(o, "[");
        for (size_t i = 0; i < n; i++) {
            if (i)
                puts_(o, ", ");
            inspect(o, json_object_array_get_idx(v, i), depth + 1);
        }
        puts_(o, "]");
        break;
    }
    case json_type_object: {
        if (depth > 2) {
            puts_(o, "[Object]");
            break;
        }
        if (json_object_object_length(v) == 0) {
            puts_(o, "{}");
            break;
        }
        puts_(o, "{ ");
        int first = 1;
        json_object_object_foreach(v, key, val)
        {
            if (!first)
                puts_(o, ", ");
            first = 0;
            puts_(o, key);
            puts_(o, ": ");
            inspect(o, val, depth + 1);
        }
        puts_(o, " }");
        break;
    }
    }
}

char *gql_json_inspect(json_object *v)
{
    out o = {NULL, 0, 0, 0};
    inspect(&o, v, 0);
    if (o.oom) {
        free(o.p);
        return NULL;
    }
    return o.p ? o.p : calloc(1, 1);
}

static void print_json(out *o, const json_object *cv, const gql_type *t, int depth)
{
    json_object *v = (json_object *)cv;
    if (t && t->kind == GQL_K_NON_NULL)
        t = t->of_type;
    if (!v || depth > 64) {
        puts_(o, "null");
        return;
    }
    if (t && t->kind == GQL_K_ENUM && json_object_is_type(v, json_type_string)) {
        puts_(o, json_object_get_string(v));
        return;
    }
    if (json_object_is_type(v, json_type_array)) {
        puts_(o, "[");
        for (size_t i = 0; i < json_object_array_length(v); i++) {
            if (i)
                puts_(o, ", ");
            print_json(o, json_object_array_get_idx(v, i),
                       t && t->kind == GQL_K_LIST ? t->of_type : NULL, depth + 1);
        }
        puts_(o, "]");
        return;
    }
    if (json_object_is_type(v, json_type_object)) {
        puts_(o, "{");
        int first = 1;
        json_object_object_foreach(v, key, val)
        {
            if (!first)
                puts_(o, ", ");
            first = 0;
            puts_(o, key);
            puts_(o, ": ");
            const gql_input_value *f = t ? gql_type_input_field(t, key) : NULL;
            print_json(o, val, f ? f->type : NULL, depth + 1);
        }
        puts_(o, "}");
        return;
    }
    if (json_object_is_type(v, json_type_string)) {
        put_string(o, json_object_get_string(v), (size_t)json_object_get_string_len(v));
        return;
    }
    if (json_object_is_type(v, json_type_double)) {
        char num[64];
        gql_js_number(json_object_get_double(v), num, sizeof num);
        puts_(o, num);
        return;
    }
    puts_(o, json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN));
}

void gql_js_number(double d, char *buf, size_t size)
{
    if (isfinite(d) && d == floor(d) && fabs(d) < 1e21) {
        snprintf(buf, size, "%.0f", d);
        return;
    }
    for (int prec = 1; prec <= 17; prec++) { /* the shortest text that reads back the same */
        snprintf(buf, size, "%.*g", prec, d);
        if (strtod(buf, NULL) == d)
            return;
    }
}

char *gql_print_json(const json_object *v, const gql_type *t)
{
    out o = {NULL, 0, 0, 0};
    print_json(&o, v, t, 0);
    if (o.oom) {
        free(o.p);
        return NULL;
    }
    return o.p ? o.p : calloc(1, 1);
}
