/*
 * host/task/schema_keywords.c - one subschema's keywords: each checked against its draft's rules
 * (the meta-schema's constraints, with a message naming the keyword and the offending value)
 * and turned into the fields of its rt_schema_node. Subschemas become nodes queued for their own
 * compilation; "$ref"s are resolved by schema_ref.c.
 */
#include <stdlib.h>
#include <string.h>

#include "schema_internal.h"

typedef struct kw {
    rt_schema_cc *cc;
    rt_schema_node *n;
} kw;

static const char *kw_where(kw *k, const char *key)
{
    return rt_schema_where_child(k->cc, k->n->where, key);
}

/* The value of keyword key, or NULL: absent, or JSON null (has_kw() tells them apart). */
static struct json_object *kw_get(kw *k, const char *key)
{
    struct json_object *v = NULL;
    return json_object_object_get_ex(k->n->obj, key, &v) ? v : NULL;
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
                          k->n->draft > 4 || allow_bool ? " or a boolean" : "",
                          rt_schema_cc_render(k->cc, v));
        return NULL;
    }
    const char *scope = rt_schema_scope_of(k->cc, k->n->draft, k->n->base, v);
    return rt_schema_node_get(k->cc, v, scope, where, k->n->draft);
}

/* A keyword whose value is one schema: NULL when absent or on failure (then cc->failed). */
static rt_schema_node *kw_schema(kw *k, const char *key, int allow_bool)
{
    struct json_object *v = kw_get(k, key);
    if (!has_kw(k, key))
        return NULL;
    return kw_child(k, v, kw_where(k, key), allow_bool);
}

/* A non-empty array of schemas. */
static int kw_schema_array(kw *k, const char *key, rt_schema_node ***out, size_t *nout)
{
    if (!has_kw(k, key))
        return 1;
    struct json_object *v = kw_get(k, key);
    size_t n = json_object_is_type(v, json_type_array) ? json_object_array_length(v) : 0;
    if (n == 0)
        return rt_schema_cc_fail(k->cc, kw_where(k, key),
                                 "%s must be a non-empty array of schemas, got %s", key,
                                 rt_schema_cc_render(k->cc, v));
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
    struct json_object *v = kw_get(k, key);
    if (!rt_schema_is_number(v))
        return rt_schema_cc_fail(k->cc, kw_where(k, key), "%s must be a number, got %s", key,
                                 rt_schema_cc_render(k->cc, v));
    *out = v;
    *text = rt_schema_cc_render(k->cc, v);
    return 1;
}

/* A non-negative integer (1.0 counts); values beyond int64 saturate. */
static int kw_count(kw *k, const char *key, int64_t *out)
{
    if (!has_kw(k, key))
        return 1;
    struct json_object *v = kw_get(k, key);
    int neg = rt_schema_is_number(v) && json_object_get_double(v) < 0;
    if (!rt_schema_is_integer(v) || neg)
        return rt_schema_cc_fail(k->cc, kw_where(k, key),
                                 "%s must be a non-negative integer, got %s", key,
                                 rt_schema_cc_render(k->cc, v));
    double d = json_object_get_double(v);
    *out = json_object_is_type(v, json_type_int) ? json_object_get_int64(v)
           : d >= 9.2e18                         ? INT64_MAX
                                                 : (int64_t)d;
    return 1;
}

static int kw_type_check(kw *k, const char *key, enum json_type t, const char *what)
{
    struct json_object *v = kw_get(k, key);
    if (has_kw(k, key) && !json_object_is_type(v, t))
        return rt_schema_cc_fail(k->cc, kw_where(k, key), "%s must be %s, got %s", key, what,
                                 rt_schema_cc_render(k->cc, v));
    return 1;
}

/* An array of distinct strings, copied into the arena. */
static int string_list(kw *k, struct json_object *v, const char *where, const char *what,
                       const char ***out, size_t *nout)
{
    size_t n = json_object_is_type(v, json_type_array) ? json_object_array_length(v) : 0;
    if (!json_object_is_type(v, json_type_array))
        return rt_schema_cc_fail(k->cc, where, "%s must be an array of strings, got %s", what,
                                 rt_schema_cc_render(k->cc, v));
    *out = rt_schema_alloc(k->cc->s, (n ? n : 1) * sizeof **out);
    if (!*out)
        return rt_schema_cc_fail(k->cc, where, "out of memory");
    for (size_t i = 0; i < n; i++) {
        struct json_object *e = json_object_array_get_idx(v, i);
        if (!json_object_is_type(e, json_type_string))
            return rt_schema_cc_fail(k->cc, rt_schema_where_index(k->cc, where, i),
                                     "%s must be an array of strings, got %s", what,
                                     rt_schema_cc_render(k->cc, e));
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
    struct json_object *v = kw_get(k, "type");
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
                                 rt_schema_cc_render(k->cc, v));
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
    const char *shown = text ? rt_schema_cc_render(k->cc, text) : "";
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
        struct json_object *v = kw_get(k, "enum");
        if (!json_object_is_type(v, json_type_array))
            return rt_schema_cc_fail(k->cc, kw_where(k, "enum"), "enum must be an array, got %s",
                                     rt_schema_cc_render(k->cc, v));
        n->enum_values = v;
        n->enum_text = rt_schema_cc_render(k->cc, v);
    }
    if (draft >= 6 && has_kw(k, "const")) {
        n->has_const = 1;
        n->const_value = kw_get(k, "const");
        n->const_text = rt_schema_cc_render(k->cc, n->const_value);
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
    struct json_object *f = kw_get(k, "format");
    if (f) {
        n->format_name = json_object_get_string(f);
        n->format = rt_schema_format_lookup(n->format_name);
    }
    if (draft >= 7) {
        struct json_object *enc = kw_get(k, "contentEncoding");
        struct json_object *media = kw_get(k, "contentMediaType");
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
    struct json_object *v = kw_get(k, flag);
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
    struct json_object *p = kw_get(k, "pattern");
    if (p) {
        n->pattern_text = rt_schema_cc_render(k->cc, p);
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
    struct json_object *items = kw_get(k, "items");
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
    n->unique_items = json_object_get_boolean(kw_get(k, "uniqueItems"));
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
    struct json_object *v = kw_get(k, key);
    if (!json_object_is_type(v, json_type_object))
        return rt_schema_cc_fail(k->cc, kw_where(k, key),
                                 "%s must be an object whose values are schemas, got %s", key,
                                 rt_schema_cc_render(k->cc, v));
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
    struct json_object *v = kw_get(k, "dependencies");
    const char *where = kw_where(k, "dependencies");
    if (!json_object_is_type(v, json_type_object))
        return rt_schema_cc_fail(k->cc, where,
                                 "dependencies must be an object (of schemas or arrays of "
                                 "property names), got %s",
                                 rt_schema_cc_render(k->cc, v));
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
    struct json_object *req = kw_get(k, "required");
    if (has_kw(k, "required") &&
        !string_list(k, req, kw_where(k, "required"), "required", &n->required, &n->nrequired))
        return 0;
    struct json_object *props = kw_get(k, "properties");
    struct json_object *pprops = kw_get(k, "patternProperties");
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

int rt_schema_compile_node(rt_schema_cc *cc, rt_schema_node *n)
{
    if (n->always >= 0)
        return 1;
    kw k = {cc, n};
    struct json_object *ref = kw_get(&k, "$ref");
    if (ref && json_object_is_type(ref, json_type_string)) {
        /* "$ref" replaces the whole schema object; its siblings are ignored (draft-07 8.3). */
        n->ref =
            rt_schema_ref_resolve(cc, json_object_get_string(ref), n->base, kw_where(&k, "$ref"));
        return n->ref != NULL;
    }
    if (has_kw(&k, "$ref"))
        return rt_schema_cc_fail(cc, kw_where(&k, "$ref"), "$ref must be a string (a URI), got %s",
                                 rt_schema_cc_render(cc, ref));
    return parse_generic(&k) && parse_numeric(&k) && parse_string(&k) && parse_array(&k) &&
           parse_object(&k) && parse_logic(&k);
}
