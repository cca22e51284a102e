/*
 * host/schema.c - compiling a JSON Schema: every subschema becomes an rt_schema_node with its
 * keywords checked and parsed, its "$ref" resolved to another node, its regexes compiled.
 *
 * Nodes are keyed by their json_object, so a subschema reached both in place and through
 * "$ref"s (or recursively) is compiled once, and a recursive schema is a cyclic graph of nodes.
 * Compilation works through a queue rather than recursion, so long "$ref" chains cost no stack;
 * nesting is bounded when the documents are scanned (schema_ref.c). A graph cycle that keeps
 * the same instance value (through "$ref", allOf, anyOf, oneOf, not, if/then/else or a schema
 * dependency) would make validation loop forever and is refused here.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/linkhash.h>

#include "schema_internal.h"

#define ARENA_BLOCK    16384
#define MAX_NODES      1000000 /* subschemas in one compiled schema */
#define MAX_LOOP_SHOWN 8       /* nodes named in a "$ref loop" message */
#define RENDER_MAX     80      /* bytes of a value quoted in a message */

struct rt_schema_block {
    rt_schema_block *next;
    size_t used, cap;
    max_align_t data[];
};

/* --- arena and small helpers ------------------------------------------------------------- */

void *rt_schema_alloc(rt_schema *s, size_t size)
{
    size = (size + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
    rt_schema_block *b = s->blocks;
    if (!b || b->cap - b->used < size) {
        size_t cap = size > ARENA_BLOCK ? size : ARENA_BLOCK;
        b = malloc(sizeof *b + cap);
        if (!b)
            return NULL;
        b->cap = cap;
        b->used = 0;
        b->next = s->blocks;
        s->blocks = b;
    }
    void *p = (char *)b->data + b->used;
    b->used += size;
    memset(p, 0, size);
    return p;
}

char *rt_schema_strndup(rt_schema *s, const char *str, size_t len)
{
    char *p = rt_schema_alloc(s, len + 1);
    if (p)
        memcpy(p, str, len);
    return p;
}

char *rt_schema_strdup(rt_schema *s, const char *str)
{
    return rt_schema_strndup(s, str, strlen(str));
}

const char *rt_schema_pointer_display(const char *pointer)
{
    return pointer && *pointer ? pointer : "(root)";
}

int rt_schema_cc_fail(rt_schema_cc *cc, const char *where, const char *fmt, ...)
{
    if (cc->failed)
        return 0;
    cc->failed = 1;
    ratchet_buf b = RATCHET_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    rt_buf_printf(&b, "%s: ", where ? rt_schema_pointer_display(where) : "(schema)");
    rt_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    rt_fail(cc->err, "%s", b.data ? b.data : "out of memory");
    rt_buf_free(&b);
    return 0;
}

const char *rt_schema_where_child(rt_schema_cc *cc, const char *where, const char *token)
{
    if (!where)
        return NULL;
    ratchet_buf b = RATCHET_BUF_INIT;
    rt_buf_puts(&b, where);
    rt_buf_puts(&b, "/");
    for (const char *p = token; *p; p++)
        rt_buf_puts(&b, *p == '~' ? "~0" : *p == '/' ? "~1" : (char[2]){*p, '\0'});
    const char *w = b.data ? rt_schema_strndup(cc->s, b.data, b.len) : NULL;
    rt_buf_free(&b);
    return w;
}

const char *rt_schema_where_index(rt_schema_cc *cc, const char *where, size_t i)
{
    char num[24];
    snprintf(num, sizeof num, "%zu", i);
    return rt_schema_where_child(cc, where, num);
}

/* v as a short JSON text in the arena, for messages. */
static const char *render(rt_schema_cc *cc, struct json_object *v)
{
    ratchet_buf b = RATCHET_BUF_INIT;
    rt_schema_render(&b, v, RENDER_MAX);
    const char *t = b.data ? rt_schema_strndup(cc->s, b.data, b.len) : "(out of memory)";
    rt_buf_free(&b);
    return t ? t : "(out of memory)";
}

int rt_schema_keyword_kind(int draft, const char *key)
{
    static const struct {
        const char *name;
        int kind, since;
    } table[] = {
        {"additionalItems", RT_SCHEMA_KW_SCHEMA, 4},
        {"additionalProperties", RT_SCHEMA_KW_SCHEMA, 4},
        {"allOf", RT_SCHEMA_KW_ARRAY, 4},
        {"anyOf", RT_SCHEMA_KW_ARRAY, 4},
        {"contains", RT_SCHEMA_KW_SCHEMA, 6},
        {"definitions", RT_SCHEMA_KW_MAP, 4},
        {"dependencies", RT_SCHEMA_KW_DEPS, 4},
        {"else", RT_SCHEMA_KW_SCHEMA, 7},
        {"if", RT_SCHEMA_KW_SCHEMA, 7},
        {"items", RT_SCHEMA_KW_ITEMS, 4},
        {"not", RT_SCHEMA_KW_SCHEMA, 4},
        {"oneOf", RT_SCHEMA_KW_ARRAY, 4},
        {"patternProperties", RT_SCHEMA_KW_MAP, 4},
        {"properties", RT_SCHEMA_KW_MAP, 4},
        {"propertyNames", RT_SCHEMA_KW_SCHEMA, 6},
        {"then", RT_SCHEMA_KW_SCHEMA, 7},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (strcmp(key, table[i].name) == 0)
            return draft >= table[i].since ? table[i].kind : RT_SCHEMA_KW_OTHER;
    return RT_SCHEMA_KW_OTHER;
}

rt_schema_node *rt_schema_node_get(rt_schema_cc *cc, struct json_object *obj, const char *scope,
                                   const char *where, int draft)
{
    void *found = NULL;
    if (lh_table_lookup_ex(cc->nodes, obj, &found))
        return found;
    if (cc->nnodes >= MAX_NODES) {
        rt_schema_cc_fail(cc, where, "more than %d subschemas", MAX_NODES);
        return NULL;
    }
    rt_schema_node *n = rt_schema_alloc(cc->s, sizeof *n);
    if (!n || !where || !scope || lh_table_insert(cc->nodes, obj, n) != 0) {
        rt_schema_cc_fail(cc, where, "out of memory");
        return NULL;
    }
    n->obj = obj;
    n->where = where;
    n->base = scope;
    n->draft = draft;
    n->always =
        json_object_is_type(obj, json_type_boolean) ? json_object_get_boolean(obj) != 0 : -1;
    n->max_length = n->min_length = n->max_items = n->min_items = -1;
    n->max_props = n->min_props = -1;
    n->format = -1;
    if (cc->work_tail)
        cc->work_tail->next_work = n;
    else
        cc->work_head = n;
    cc->work_tail = n;
    n->next_all = cc->all;
    cc->all = n;
    cc->nnodes++;
    return n;
}

/* --- keyword parsing ----------------------------------------------------------------------- */

typedef struct kw {
    rt_schema_cc *cc;
    rt_schema_node *n;
} kw;

static const char *kw_where(kw *k, const char *key)
{
    return rt_schema_where_child(k->cc, k->n->where, key);
}

/* The value of keyword key, or NULL (absent, or JSON null: callers needing null check has()). */
static struct json_object *kw_get(kw *k, const char *key, int *present)
{
    struct json_object *v = NULL;
    int has = json_object_object_get_ex(k->n->obj, key, &v);
    if (present)
        *present = has;
    return has ? v : NULL;
}

static int has_kw(kw *k, const char *key)
{
    return json_object_object_get_ex(k->n->obj, key, NULL);
}

static int is_schema_value(int draft, struct json_object *v, int allow_bool)
{
    return json_object_is_type(v, json_type_object) ||
           ((draft > 4 || allow_bool) && json_object_is_type(v, json_type_boolean));
}

/* The node of a subschema found at `where` inside k's schema. */
static rt_schema_node *kw_child(kw *k, struct json_object *v, const char *where, int allow_bool)
{
    if (!is_schema_value(k->n->draft, v, allow_bool)) {
        rt_schema_cc_fail(k->cc, where, "a schema must be an object%s, got %s",
                          k->n->draft > 4 || allow_bool ? " or a boolean" : "", render(k->cc, v));
        return NULL;
    }
    const char *scope = rt_schema_scope_of(k->cc, k->n->draft, k->n->base, v);
    return rt_schema_node_get(k->cc, v, scope, where, k->n->draft);
}

/* A keyword whose value is one schema: NULL when absent or on failure (then cc->failed). */
static rt_schema_node *kw_schema(kw *k, const char *key, int allow_bool)
{
    struct json_object *v = kw_get(k, key, NULL);
    if (!has_kw(k, key))
        return NULL;
    return kw_child(k, v, kw_where(k, key), allow_bool);
}

/* A non-empty array of schemas. */
static int kw_schema_array(kw *k, const char *key, rt_schema_node ***out, size_t *nout)
{
    if (!has_kw(k, key))
        return 1;
    struct json_object *v = kw_get(k, key, NULL);
    size_t n = json_object_is_type(v, json_type_array) ? json_object_array_length(v) : 0;
    if (n == 0)
        return rt_schema_cc_fail(k->cc, kw_where(k, key),
                                 "%s must be a non-empty array of schemas, got %s", key,
                                 render(k->cc, v));
    *out = rt_schema_alloc(k->cc->s, n * sizeof **out);
    if (!*out)
        return rt_schema_cc_fail(k->cc, k->n->where, "out of memory");
    for (size_t i = 0; i < n; i++) {
        (*out)[i] = kw_child(k, json_object_array_get_idx(v, i),
                             rt_schema_where_index(k->cc, kw_where(k, key), i), 0);
        if (!(*out)[i])
            return 0;
    }
    *nout = n;
    return 1;
}

static int kw_number(kw *k, const char *key, struct json_object **out, const char **text)
{
    if (!has_kw(k, key))
        return 1;
    struct json_object *v = kw_get(k, key, NULL);
    if (!rt_schema_is_number(v))
        return rt_schema_cc_fail(k->cc, kw_where(k, key), "%s must be a number, got %s", key,
                                 render(k->cc, v));
    *out = v;
    *text = render(k->cc, v);
    return 1;
}

/* A non-negative integer (1.0 counts); values beyond int64 saturate. */
static int kw_count(kw *k, const char *key, int64_t *out)
{
    if (!has_kw(k, key))
        return 1;
    struct json_object *v = kw_get(k, key, NULL);
    int neg = rt_schema_is_number(v) && json_object_get_double(v) < 0;
    if (!rt_schema_is_integer(v) || neg)
        return rt_schema_cc_fail(k->cc, kw_where(k, key),
                                 "%s must be a non-negative integer, got %s", key,
                                 render(k->cc, v));
    double d = json_object_get_double(v);
    *out = json_object_is_type(v, json_type_int) ? json_object_get_int64(v)
           : d >= 9.2e18                         ? INT64_MAX
                                                 : (int64_t)d;
    return 1;
}

static int kw_type_check(kw *k, const char *key, enum json_type t, const char *what)
{
    struct json_object *v = kw_get(k, key, NULL);
    if (has_kw(k, key) && !json_object_is_type(v, t))
        return rt_schema_cc_fail(k->cc, kw_where(k, key), "%s must be %s, got %s", key, what,
                                 render(k->cc, v));
    return 1;
}

/* An array of distinct strings, copied into the arena. */
static int string_list(kw *k, struct json_object *v, const char *where, const char *what,
                       const char ***out, size_t *nout)
{
    size_t n = json_object_is_type(v, json_type_array) ? json_object_array_length(v) : 0;
    if (!json_object_is_type(v, json_type_array))
        return rt_schema_cc_fail(k->cc, where, "%s must be an array of strings, got %s", what,
                                 render(k->cc, v));
    *out = rt_schema_alloc(k->cc->s, (n ? n : 1) * sizeof **out);
    if (!*out)
        return rt_schema_cc_fail(k->cc, where, "out of memory");
    for (size_t i = 0; i < n; i++) {
        struct json_object *e = json_object_array_get_idx(v, i);
        if (!json_object_is_type(e, json_type_string))
            return rt_schema_cc_fail(k->cc, rt_schema_where_index(k->cc, where, i),
                                     "%s must be an array of strings, got %s", what,
                                     render(k->cc, e));
        for (size_t j = 0; j < i; j++)
            if (strcmp((*out)[j], json_object_get_string(e)) == 0)
                return rt_schema_cc_fail(k->cc, rt_schema_where_index(k->cc, where, i),
                                         "%s lists \"%s\" twice", what, (*out)[j]);
        (*out)[i] = json_object_get_string(e);
    }
    *nout = n;
    return 1;
}

static int parse_type(kw *k)
{
    static const struct {
        const char *name;
        unsigned bit;
    } names[] = {
        {"array", RT_SCHEMA_T_ARRAY},     {"boolean", RT_SCHEMA_T_BOOLEAN},
        {"integer", RT_SCHEMA_T_INTEGER}, {"null", RT_SCHEMA_T_NULL},
        {"number", RT_SCHEMA_T_NUMBER},   {"object", RT_SCHEMA_T_OBJECT},
        {"string", RT_SCHEMA_T_STRING},
    };
    if (!has_kw(k, "type"))
        return 1;
    struct json_object *v = kw_get(k, "type", NULL);
    int is_array = json_object_is_type(v, json_type_array);
    size_t n = is_array ? json_object_array_length(v) : 1;
    ratchet_buf text = RATCHET_BUF_INIT;
    int ok = n > 0 && (is_array || json_object_is_type(v, json_type_string));
    for (size_t i = 0; ok && i < n; i++) {
        struct json_object *e = is_array ? json_object_array_get_idx(v, i) : v;
        const char *name = json_object_get_string(e);
        size_t j = 0;
        while (json_object_is_type(e, json_type_string) && j < 7 && strcmp(name, names[j].name))
            j++;
        if (!json_object_is_type(e, json_type_string) || j == 7 || (k->n->types & names[j].bit)) {
            ok = 0;
            break;
        }
        k->n->types |= names[j].bit;
        rt_buf_printf(&text, "%s%s", i == 0 ? "" : i + 1 == n ? " or " : ", ", name);
    }
    if (ok && text.data)
        k->n->type_text = rt_schema_strdup(k->cc->s, text.data);
    rt_buf_free(&text);
    if (!ok)
        return rt_schema_cc_fail(k->cc, kw_where(k, "type"),
                                 "type must be one of array, boolean, integer, null, number, "
                                 "object, string, or a non-empty array of distinct ones, got %s",
                                 render(k->cc, v));
    return k->n->type_text ? 1 : rt_schema_cc_fail(k->cc, k->n->where, "out of memory");
}

static int track_regex(rt_schema_cc *cc, rt_schema_regex *re)
{
    rt_schema *s = cc->s;
    if (s->nregexes == s->capregexes) {
        size_t cap = s->capregexes ? s->capregexes * 2 : 8;
        rt_schema_regex **r = realloc(s->regexes, cap * sizeof *r);
        if (!r) {
            rt_schema_regex_free(re);
            return 0;
        }
        s->regexes = r;
        s->capregexes = cap;
    }
    s->regexes[s->nregexes++] = re;
    return 1;
}

/* Compile a pattern found at where; the message names what it is ("pattern", "key"). */
static rt_schema_regex *regex_at(kw *k, const char *src, size_t len, const char *where,
                                 const char *what)
{
    rt_schema_regex *re = NULL;
    ratchet_buf why = RATCHET_BUF_INIT;
    int rc = rt_schema_regex_compile(src, len, &re, &why);
    struct json_object *text = json_object_new_string_len(src, (int)len);
    const char *shown = text ? render(k->cc, text) : "";
    json_object_put(text);
    if (rc == RT_SCHEMA_RE_SYNTAX)
        rt_schema_cc_fail(k->cc, where, "%s %s is not a valid regular expression: %s", what, shown,
                          why.data ? why.data : "");
    else if (rc == RT_SCHEMA_RE_UNSUPPORTED)
        rt_schema_cc_fail(k->cc, where, "%s %s uses what this validator does not support: %s", what,
                          shown, why.data ? why.data : "");
    else if (rc != RT_SCHEMA_RE_OK || !track_regex(k->cc, re))
        rt_schema_cc_fail(k->cc, where, "out of memory");
    rt_buf_free(&why);
    return k->cc->failed ? NULL : re;
}

static int parse_generic(kw *k)
{
    rt_schema_node *n = k->n;
    int draft = n->draft;
    if (!parse_type(k))
        return 0;
    if (has_kw(k, "enum")) {
        struct json_object *v = kw_get(k, "enum", NULL);
        if (!json_object_is_type(v, json_type_array))
            return rt_schema_cc_fail(k->cc, kw_where(k, "enum"), "enum must be an array, got %s",
                                     render(k->cc, v));
        n->enum_values = v;
        n->enum_text = render(k->cc, v);
    }
    if (draft >= 6 && has_kw(k, "const")) {
        n->has_const = 1;
        n->const_value = kw_get(k, "const", NULL);
        n->const_text = render(k->cc, n->const_value);
    }
    if (!kw_type_check(k, draft == 4 ? "id" : "$id", json_type_string, "a string (a URI)") ||
        !kw_type_check(k, "title", json_type_string, "a string") ||
        !kw_type_check(k, "description", json_type_string, "a string") ||
        !kw_type_check(k, "format", json_type_string, "a string"))
        return 0;
    if (draft >= 6 && !kw_type_check(k, "examples", json_type_array, "an array"))
        return 0;
    if (draft >= 7 && (!kw_type_check(k, "$comment", json_type_string, "a string") ||
                       !kw_type_check(k, "readOnly", json_type_boolean, "a boolean") ||
                       !kw_type_check(k, "writeOnly", json_type_boolean, "a boolean") ||
                       !kw_type_check(k, "contentMediaType", json_type_string, "a string") ||
                       !kw_type_check(k, "contentEncoding", json_type_string, "a string")))
        return 0;
    struct json_object *f = kw_get(k, "format", NULL);
    if (f) {
        n->format_name = json_object_get_string(f);
        n->format = rt_schema_format_lookup(n->format_name);
    }
    if (draft >= 7) {
        struct json_object *enc = kw_get(k, "contentEncoding", NULL);
        struct json_object *media = kw_get(k, "contentMediaType", NULL);
        n->content_encoding = enc ? json_object_get_string(enc) : NULL;
        n->content_media = media ? json_object_get_string(media) : NULL;
    }
    return 1;
}

/* draft-04: exclusiveMaximum/exclusiveMinimum are booleans that make maximum/minimum strict. */
static int parse_draft4_exclusive(kw *k, const char *flag, const char *bound,
                                  struct json_object **limit, const char **limit_text,
                                  struct json_object **excl, const char **excl_text)
{
    if (!kw_type_check(k, flag, json_type_boolean, "a boolean (draft-04)"))
        return 0;
    struct json_object *v = kw_get(k, flag, NULL);
    if (!v || !json_object_get_boolean(v))
        return 1;
    if (!*limit)
        return rt_schema_cc_fail(k->cc, kw_where(k, flag), "%s needs %s (draft-04)", flag, bound);
    *excl = *limit;
    *excl_text = *limit_text;
    *limit = NULL;
    *limit_text = NULL;
    return 1;
}

static int parse_numeric(kw *k)
{
    rt_schema_node *n = k->n;
    if (!kw_number(k, "multipleOf", &n->multiple_of, &n->multiple_of_text) ||
        !kw_number(k, "maximum", &n->maximum, &n->maximum_text) ||
        !kw_number(k, "minimum", &n->minimum, &n->minimum_text))
        return 0;
    if (n->multiple_of && json_object_get_double(n->multiple_of) <= 0)
        return rt_schema_cc_fail(k->cc, kw_where(k, "multipleOf"),
                                 "multipleOf must be greater than 0, got %s", n->multiple_of_text);
    if (n->draft == 4)
        return parse_draft4_exclusive(k, "exclusiveMaximum", "maximum", &n->maximum,
                                      &n->maximum_text, &n->exclusive_maximum,
                                      &n->exclusive_maximum_text) &&
               parse_draft4_exclusive(k, "exclusiveMinimum", "minimum", &n->minimum,
                                      &n->minimum_text, &n->exclusive_minimum,
                                      &n->exclusive_minimum_text);
    return kw_number(k, "exclusiveMaximum", &n->exclusive_maximum, &n->exclusive_maximum_text) &&
           kw_number(k, "exclusiveMinimum", &n->exclusive_minimum, &n->exclusive_minimum_text);
}

static int parse_string(kw *k)
{
    rt_schema_node *n = k->n;
    if (!kw_count(k, "maxLength", &n->max_length) || !kw_count(k, "minLength", &n->min_length) ||
        !kw_type_check(k, "pattern", json_type_string, "a string (a regular expression)"))
        return 0;
    struct json_object *p = kw_get(k, "pattern", NULL);
    if (p) {
        n->pattern_text = render(k->cc, p);
        n->pattern = regex_at(k, json_object_get_string(p), (size_t)json_object_get_string_len(p),
                              kw_where(k, "pattern"), "pattern");
        if (!n->pattern)
            return 0;
    }
    return 1;
}

static int parse_array(kw *k)
{
    rt_schema_node *n = k->n;
    struct json_object *items = kw_get(k, "items", NULL);
    if (json_object_is_type(items, json_type_array)) {
        size_t cnt = json_object_array_length(items);
        n->item_list = rt_schema_alloc(k->cc->s, (cnt ? cnt : 1) * sizeof *n->item_list);
        if (!n->item_list)
            return rt_schema_cc_fail(k->cc, n->where, "out of memory");
        for (size_t i = 0; i < cnt; i++) {
            n->item_list[i] = kw_child(k, json_object_array_get_idx(items, i),
                                       rt_schema_where_index(k->cc, kw_where(k, "items"), i), 0);
            if (!n->item_list[i])
                return 0;
        }
        n->nitem_list = cnt;
        if (!(n->additional_items = kw_schema(k, "additionalItems", 1)) && k->cc->failed)
            return 0;
    } else if (has_kw(k, "items")) {
        if (!(n->items = kw_schema(k, "items", 0)))
            return 0;
    }
    if (!json_object_is_type(items, json_type_array) && has_kw(k, "additionalItems") &&
        !kw_schema(k, "additionalItems", 1)) /* checked, though it has no effect */
        return 0;
    if (!kw_count(k, "maxItems", &n->max_items) || !kw_count(k, "minItems", &n->min_items) ||
        !kw_type_check(k, "uniqueItems", json_type_boolean, "a boolean"))
        return 0;
    n->unique_items = json_object_get_boolean(kw_get(k, "uniqueItems", NULL));
    if (n->draft >= 6 && !(n->contains = kw_schema(k, "contains", 0)) && k->cc->failed)
        return 0;
    return 1;
}

static int prop_cmp(const void *a, const void *b)
{
    return strcmp(((const rt_schema_prop *)a)->name, ((const rt_schema_prop *)b)->name);
}

/* An object keyword whose members are subschemas (properties, patternProperties,
 * definitions); calls back per member. */
static int schema_map(kw *k, const char *key, size_t *count,
                      int (*each)(kw *, const char *name, rt_schema_node *, size_t))
{
    if (!has_kw(k, key))
        return 1;
    struct json_object *v = kw_get(k, key, NULL);
    if (!json_object_is_type(v, json_type_object))
        return rt_schema_cc_fail(k->cc, kw_where(k, key),
                                 "%s must be an object whose values are schemas, got %s", key,
                                 render(k->cc, v));
    size_t i = 0;
    *count = (size_t)json_object_object_length(v);
    json_object_object_foreach(v, name, sub)
    {
        const char *where = rt_schema_where_child(k->cc, kw_where(k, key), name);
        rt_schema_node *c = kw_child(k, sub, where, 0);
        if (!c || !each(k, name, c, i++))
            return 0;
    }
    return 1;
}

static int each_prop(kw *k, const char *name, rt_schema_node *c, size_t i)
{
    k->n->props[i].name = name;
    k->n->props[i].node = c;
    return 1;
}

static int each_pprop(kw *k, const char *name, rt_schema_node *c, size_t i)
{
    rt_schema_pprop *pp = &k->n->pprops[i];
    pp->src = name;
    pp->node = c;
    pp->re = regex_at(k, name, strlen(name), c->where, "patternProperties key");
    return pp->re != NULL;
}

static int each_definition(kw *k, const char *name, rt_schema_node *c, size_t i)
{
    (void)k, (void)name, (void)c, (void)i; /* compiled for its errors; used through "$ref" */
    return 1;
}

static int parse_dependencies(kw *k)
{
    rt_schema_node *n = k->n;
    if (!has_kw(k, "dependencies"))
        return 1;
    struct json_object *v = kw_get(k, "dependencies", NULL);
    const char *where = kw_where(k, "dependencies");
    if (!json_object_is_type(v, json_type_object))
        return rt_schema_cc_fail(k->cc, where,
                                 "dependencies must be an object (of schemas or arrays of "
                                 "property names), got %s",
                                 render(k->cc, v));
    n->deps =
        rt_schema_alloc(k->cc->s, ((size_t)json_object_object_length(v) + 1) * sizeof *n->deps);
    if (!n->deps)
        return rt_schema_cc_fail(k->cc, where, "out of memory");
    json_object_object_foreach(v, name, dep)
    {
        rt_schema_dep *d = &n->deps[n->ndeps++];
        const char *w = rt_schema_where_child(k->cc, where, name);
        d->name = name;
        if (json_object_is_type(dep, json_type_array)) {
            if (!string_list(k, dep, w, "a dependency", &d->names, &d->nnames))
                return 0;
        } else if (!(d->node = kw_child(k, dep, w, 0))) {
            return 0;
        }
    }
    return 1;
}

static int parse_object(kw *k)
{
    rt_schema_node *n = k->n;
    if (!kw_count(k, "maxProperties", &n->max_props) ||
        !kw_count(k, "minProperties", &n->min_props))
        return 0;
    struct json_object *req = kw_get(k, "required", NULL);
    if (has_kw(k, "required") &&
        !string_list(k, req, kw_where(k, "required"), "required", &n->required, &n->nrequired))
        return 0;
    struct json_object *props = kw_get(k, "properties", NULL);
    struct json_object *pprops = kw_get(k, "patternProperties", NULL);
    size_t np =
        json_object_is_type(props, json_type_object) ? (size_t)json_object_object_length(props) : 0;
    size_t npp = json_object_is_type(pprops, json_type_object)
                     ? (size_t)json_object_object_length(pprops)
                     : 0;
    n->props = rt_schema_alloc(k->cc->s, (np + 1) * sizeof *n->props);
    n->pprops = rt_schema_alloc(k->cc->s, (npp + 1) * sizeof *n->pprops);
    if (!n->props || !n->pprops)
        return rt_schema_cc_fail(k->cc, n->where, "out of memory");
    size_t ndefs = 0;
    if (!schema_map(k, "properties", &n->nprops, each_prop) ||
        !schema_map(k, "patternProperties", &n->npprops, each_pprop) ||
        !schema_map(k, "definitions", &ndefs, each_definition))
        return 0;
    qsort(n->props, n->nprops, sizeof *n->props, prop_cmp);
    if ((!(n->additional_props = kw_schema(k, "additionalProperties", 1)) && k->cc->failed) ||
        !parse_dependencies(k))
        return 0;
    if (n->draft >= 6 && !(n->property_names = kw_schema(k, "propertyNames", 0)) && k->cc->failed)
        return 0;
    return 1;
}

static int parse_logic(kw *k)
{
    rt_schema_node *n = k->n;
    if (!kw_schema_array(k, "allOf", &n->all_of, &n->nall_of) ||
        !kw_schema_array(k, "anyOf", &n->any_of, &n->nany_of) ||
        !kw_schema_array(k, "oneOf", &n->one_of, &n->none_of))
        return 0;
    if (!(n->not_ = kw_schema(k, "not", 0)) && k->cc->failed)
        return 0;
    if (n->draft >= 7) {
        n->if_ = kw_schema(k, "if", 0);
        n->then_ = kw_schema(k, "then", 0);
        n->else_ = kw_schema(k, "else", 0);
    }
    return !k->cc->failed;
}

static int compile_node(rt_schema_cc *cc, rt_schema_node *n)
{
    if (n->always >= 0)
        return 1;
    kw k = {cc, n};
    struct json_object *ref = kw_get(&k, "$ref", NULL);
    if (ref && json_object_is_type(ref, json_type_string)) {
        /* "$ref" replaces the whole schema object; its siblings are ignored (draft-07 8.3). */
        n->ref =
            rt_schema_ref_resolve(cc, json_object_get_string(ref), n->base, kw_where(&k, "$ref"));
        return n->ref != NULL;
    }
    if (has_kw(&k, "$ref"))
        return rt_schema_cc_fail(cc, kw_where(&k, "$ref"), "$ref must be a string (a URI), got %s",
                                 render(cc, ref));
    return parse_generic(&k) && parse_numeric(&k) && parse_string(&k) && parse_array(&k) &&
           parse_object(&k) && parse_logic(&k);
}

/* --- loops without progress ----------------------------------------------------------------- */

/* The i-th subschema n applies to the same instance value, or NULL past the last. */
static rt_schema_node *same_value_edge(const rt_schema_node *n, size_t i)
{
    if (n->always >= 0)
        return NULL;
    if (n->ref)
        return i == 0 ? n->ref : NULL;
    rt_schema_node *const *lists[] = {n->all_of, n->any_of, n->one_of};
    size_t counts[] = {n->nall_of, n->nany_of, n->none_of};
    for (size_t l = 0; l < 3; l++) {
        if (i < counts[l])
            return lists[l][i];
        i -= counts[l];
    }
    rt_schema_node *singles[] = {n->not_, n->if_, n->then_, n->else_};
    for (size_t s = 0; s < 4; s++) {
        if (singles[s] && i-- == 0)
            return singles[s];
    }
    for (size_t d = 0; d < n->ndeps; d++) {
        if (n->deps[d].node && i-- == 0)
            return n->deps[d].node;
    }
    return NULL;
}

static int report_loop(rt_schema_cc *cc, rt_schema_node **stack, size_t from, size_t top)
{
    ratchet_buf b = RATCHET_BUF_INIT;
    for (size_t i = from; i <= top; i++) {
        if (i - from == MAX_LOOP_SHOWN) {
            rt_buf_puts(&b, " -> ...");
            break;
        }
        rt_buf_printf(&b, "%s%s", i == from ? "" : " -> ",
                      rt_schema_pointer_display(stack[i]->where));
    }
    rt_buf_printf(&b, " -> %s", rt_schema_pointer_display(stack[from]->where));
    rt_schema_cc_fail(cc, stack[from]->where,
                      "$ref loop without progress: %s (each applies the next to the same value, "
                      "so validation would never end)",
                      b.data ? b.data : "");
    rt_buf_free(&b);
    return 0;
}

/* Depth-first search over same-value edges; mark 1 = on the stack, 2 = done. */
static int check_loops(rt_schema_cc *cc)
{
    rt_schema_node **stack = malloc(cc->nnodes * sizeof *stack);
    size_t *next = malloc(cc->nnodes * sizeof *next);
    int ok = stack && next ? 1 : rt_schema_cc_fail(cc, NULL, "out of memory");
    for (rt_schema_node *start = cc->all; ok && start; start = start->next_all) {
        if (start->mark)
            continue;
        size_t top = 0;
        stack[0] = start;
        next[0] = 0;
        start->mark = 1;
        while (ok) {
            rt_schema_node *e = same_value_edge(stack[top], next[top]++);
            if (!e) {
                stack[top]->mark = 2;
                if (top == 0)
                    break;
                top--;
            } else if (e->mark == 1) {
                size_t from = top;
                while (stack[from] != e)
                    from--;
                ok = report_loop(cc, stack, from, top);
            } else if (e->mark == 0) {
                e->mark = 1;
                stack[++top] = e;
                next[top] = 0;
            }
        }
    }
    free(stack);
    free(next);
    return ok;
}

/* --- public API ---------------------------------------------------------------------------- */

static int hold_doc(rt_schema *s, struct json_object *doc)
{
    s->docs = malloc(4 * sizeof *s->docs);
    if (!s->docs)
        return 0;
    s->capdocs = 4;
    s->docs[s->ndocs++] = json_object_get(doc);
    return 1;
}

rt_schema *rt_schema_compile(struct json_object *schema, const char *base_uri,
                             rt_schema_resolver resolver, void *rdata, rt_error *err)
{
    rt_schema *s = calloc(1, sizeof *s);
    if (!s || !hold_doc(s, schema)) {
        rt_fail(err, "out of memory");
        free(s);
        return NULL;
    }
    rt_schema_cc cc = {s, err, 0, 7, resolver, rdata, NULL, NULL, NULL, NULL, NULL, 0};
    cc.nodes = lh_kptr_table_new(64, NULL);
    cc.index = lh_kchar_table_new(16, NULL);
    const char *doc_uri = "";
    if (base_uri) {
        const char *hash = strchr(base_uri, '#');
        doc_uri =
            rt_schema_strndup(s, base_uri, hash ? (size_t)(hash - base_uri) : strlen(base_uri));
    }
    if (!cc.nodes || !cc.index || !doc_uri) {
        rt_schema_cc_fail(&cc, NULL, "out of memory");
    } else if (!json_object_is_type(schema, json_type_object) &&
               !json_object_is_type(schema, json_type_boolean)) {
        rt_schema_cc_fail(&cc, "", "a schema must be an object or a boolean, got %s",
                          render(&cc, schema));
    } else if (rt_schema_ref_add_main(&cc, schema, doc_uri)) {
        if (cc.draft == 4 && json_object_is_type(schema, json_type_boolean))
            rt_schema_cc_fail(&cc, "", "a draft-04 schema must be an object");
        const char *scope = rt_schema_scope_of(&cc, cc.draft, doc_uri, schema);
        s->root = cc.failed ? NULL : rt_schema_node_get(&cc, schema, scope, "", cc.draft);
        while (!cc.failed && cc.work_head) {
            rt_schema_node *n = cc.work_head;
            cc.work_head = n->next_work;
            if (!cc.work_head)
                cc.work_tail = NULL;
            compile_node(&cc, n);
        }
        if (!cc.failed)
            check_loops(&cc);
    }
    if (cc.nodes)
        lh_table_free(cc.nodes);
    if (cc.index)
        lh_table_free(cc.index);
    if (cc.failed) {
        rt_schema_free(s);
        return NULL;
    }
    return s;
}

void rt_schema_free(rt_schema *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nregexes; i++)
        rt_schema_regex_free(s->regexes[i]);
    free(s->regexes);
    for (size_t i = 0; i < s->ndocs; i++)
        json_object_put(s->docs[i]);
    free(s->docs);
    while (s->blocks) {
        rt_schema_block *next = s->blocks->next;
        free(s->blocks);
        s->blocks = next;
    }
    free(s);
}
