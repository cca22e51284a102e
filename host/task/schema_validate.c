/*
 * host/task/schema_validate.c - applying a compiled schema to an instance.
 *
 * Two modes share one walk: reporting (every failing keyword calls the user's function with
 * the instance pointer, until RT_SCHEMA_MAX_ERRORS) and quiet (stop at the first failure,
 * report nothing), used for the subschemas whose failure is not itself an error: anyOf, oneOf,
 * not, if, contains, and propertyNames before its message is built. The compiled schema is only
 * read, so concurrent validations with one rt_schema are safe.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "schema_internal.h"

#define VALUE_MAX 60 /* bytes of an instance value quoted in a message */

typedef struct vctx {
    rt_schema_error_fn fn;
    void *data;
    ratchet_buf path; /* JSON pointer of the current value */
    size_t nerrors, max;
    int quiet;
} vctx;

/* Whether to stop evaluating, ok being the verdict so far: in quiet mode at the first
 * failure, in reporting mode once the cap is reached. */
static int halt(const vctx *c, int ok)
{
    return !ok && (c->quiet || c->nerrors >= c->max);
}

static int report(vctx *c, const char *keyword, const char *fmt, ...) RATCHET_PRINTF(3, 4);

/* Record a failure of keyword; returns 0 so that callers can `return report(...)`. */
static int report(vctx *c, const char *keyword, const char *fmt, ...)
{
    if (c->quiet || c->nerrors >= c->max)
        return 0;
    c->nerrors++;
    if (!c->fn)
        return 0;
    ratchet_buf m = RATCHET_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    rt_buf_vprintf(&m, fmt, ap);
    va_end(ap);
    c->fn(c->data, c->path.data ? c->path.data : "", keyword, m.data ? m.data : "out of memory");
    rt_buf_free(&m);
    return 0;
}

/* The value as short JSON text; the caller frees the buffer. */
static const char *show(ratchet_buf *b, struct json_object *v)
{
    rt_schema_render(b, v, VALUE_MAX);
    return b->data ? b->data : "(value)";
}

/* The path is kept only when reporting: quiet evaluations never show it. */
static size_t push_key(vctx *c, const char *key)
{
    size_t mark = c->path.len;
    if (c->quiet)
        return mark;
    rt_buf_puts(&c->path, "/");
    for (const char *p = key; *p; p++) {
        size_t run = strcspn(p, "~/");
        if (run) {
            rt_buf_append(&c->path, p, run);
            p += run - 1;
            continue;
        }
        rt_buf_puts(&c->path, *p == '~' ? "~0" : "~1");
    }
    return mark;
}

static size_t push_index(vctx *c, size_t i)
{
    size_t mark = c->path.len;
    if (c->quiet)
        return mark;
    rt_buf_printf(&c->path, "/%zu", i);
    return mark;
}

static void pop(vctx *c, size_t mark)
{
    if (c->path.data) {
        c->path.len = mark;
        c->path.data[mark] = '\0';
    }
}

static int v_node(vctx *c, const rt_schema_node *n, struct json_object *v, const char *via,
                  unsigned depth);

/* Apply n without reporting; 1 when v is valid. */
static int quietly(vctx *c, const rt_schema_node *n, struct json_object *v, unsigned depth)
{
    int saved = c->quiet;
    c->quiet = 1;
    int ok = v_node(c, n, v, "", depth);
    c->quiet = saved;
    return ok;
}

/* draft-04 counts 1.0 as a number only; later drafts as an integer too. */
static unsigned type_bits(struct json_object *v, int draft)
{
    switch (json_object_get_type(v)) {
    case json_type_null:
        return RT_SCHEMA_T_NULL;
    case json_type_boolean:
        return RT_SCHEMA_T_BOOLEAN;
    case json_type_int:
        return RT_SCHEMA_T_INTEGER | RT_SCHEMA_T_NUMBER;
    case json_type_double:
        return draft > 4 && rt_schema_is_integer(v) ? RT_SCHEMA_T_INTEGER | RT_SCHEMA_T_NUMBER
                                                    : RT_SCHEMA_T_NUMBER;
    case json_type_string:
        return RT_SCHEMA_T_STRING;
    case json_type_array:
        return RT_SCHEMA_T_ARRAY;
    case json_type_object:
        return RT_SCHEMA_T_OBJECT;
    default:
        return 0;
    }
}

static int v_generic(vctx *c, const rt_schema_node *n, struct json_object *v)
{
    int ok = 1;
    ratchet_buf b = RATCHET_BUF_INIT;
    if (n->types && !(n->types & type_bits(v, n->draft))) {
        ok = report(c, "type", "%s is not of type %s", show(&b, v), n->type_text);
        if (halt(c, ok))
            goto out;
    }
    if (n->enum_values) {
        size_t len = json_object_array_length(n->enum_values), i = 0;
        while (i < len && !rt_schema_equal(v, json_object_array_get_idx(n->enum_values, i)))
            i++;
        if (i == len) {
            b.len = 0;
            ok = report(c, "enum", "%s is not one of %s", show(&b, v), n->enum_text);
            if (halt(c, ok))
                goto out;
        }
    }
    if (n->has_const && !rt_schema_equal(v, n->const_value)) {
        b.len = 0;
        ok = report(c, "const", "%s is not equal to the constant %s", show(&b, v), n->const_text);
    }
out:
    rt_buf_free(&b);
    return ok;
}

static int v_number(vctx *c, const rt_schema_node *n, struct json_object *v)
{
    int ok = 1;
    ratchet_buf b = RATCHET_BUF_INIT;
    const char *text = show(&b, v);
    if (n->multiple_of && !rt_schema_multiple_of(v, n->multiple_of))
        ok = report(c, "multipleOf", "%s is not a multiple of %s", text, n->multiple_of_text);
    if (!halt(c, ok) && n->maximum && rt_schema_num_cmp(v, n->maximum) > 0)
        ok = report(c, "maximum", "%s is greater than the maximum of %s", text, n->maximum_text);
    if (!halt(c, ok) && n->exclusive_maximum && rt_schema_num_cmp(v, n->exclusive_maximum) >= 0)
        ok = report(c, n->draft == 4 ? "maximum" : "exclusiveMaximum",
                    "%s is not less than the exclusive maximum of %s", text,
                    n->exclusive_maximum_text);
    if (!halt(c, ok) && n->minimum && rt_schema_num_cmp(v, n->minimum) < 0)
        ok = report(c, "minimum", "%s is less than the minimum of %s", text, n->minimum_text);
    if (!halt(c, ok) && n->exclusive_minimum && rt_schema_num_cmp(v, n->exclusive_minimum) <= 0)
        ok = report(c, n->draft == 4 ? "minimum" : "exclusiveMinimum",
                    "%s is not greater than the exclusive minimum of %s", text,
                    n->exclusive_minimum_text);
    rt_buf_free(&b);
    return ok;
}

static const char *plural(int64_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

static int v_string(vctx *c, const rt_schema_node *n, struct json_object *v)
{
    int ok = 1;
    const char *s = json_object_get_string(v);
    size_t len = (size_t)json_object_get_string_len(v);
    ratchet_buf b = RATCHET_BUF_INIT;
    const char *text = show(&b, v);
    if (n->max_length >= 0 || n->min_length >= 0) {
        size_t chars = rt_schema_utf8_length(s, len);
        if (n->max_length >= 0 && chars > (uint64_t)n->max_length)
            ok = report(c, "maxLength", "%s is longer than %lld %s", text, (long long)n->max_length,
                        plural(n->max_length, "character", "characters"));
        if (!halt(c, ok) && n->min_length >= 0 && chars < (uint64_t)n->min_length)
            ok = report(c, "minLength", "%s is shorter than %lld %s", text,
                        (long long)n->min_length, plural(n->min_length, "character", "characters"));
    }
    if (!halt(c, ok) && n->pattern && !rt_schema_regex_search(n->pattern, s, len))
        ok = report(c, "pattern", "%s does not match the pattern %s", text, n->pattern_text);
    if (!halt(c, ok) && n->format >= 0 && !rt_schema_format_check(n->format, s, len))
        ok = report(c, "format", "%s is not a valid %s", text, n->format_name);
    if (!halt(c, ok) && (n->content_encoding || n->content_media)) {
        int bad = rt_schema_content_check(n->content_encoding, n->content_media, s, len);
        if (bad == 1)
            ok = report(c, "contentEncoding", "%s is not valid %s", text, n->content_encoding);
        else if (bad == 2)
            ok = report(c, "contentMediaType", "the content of %s is not valid %s", text,
                        n->content_media);
    }
    rt_buf_free(&b);
    return ok;
}

typedef struct hashed {
    uint64_t h;
    size_t i;
} hashed;

static int hashed_cmp(const void *a, const void *b)
{
    const hashed *x = a, *y = b;
    if (x->h != y->h)
        return x->h < y->h ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

/* uniqueItems in O(n log n): sort by hash, compare only within equal hashes. Reports the
 * first duplicate pair in index order. */
static int v_unique(vctx *c, struct json_object *v)
{
    size_t len = json_object_array_length(v);
    if (len < 2)
        return 1;
    hashed *hs = malloc(len * sizeof *hs);
    if (!hs)
        return report(c, "uniqueItems", "out of memory checking uniqueness");
    for (size_t i = 0; i < len; i++) {
        hs[i].h = rt_schema_hash(json_object_array_get_idx(v, i));
        hs[i].i = i;
    }
    qsort(hs, len, sizeof *hs, hashed_cmp);
    size_t best_a = len, best_b = len;
    for (size_t i = 0; i < len; i++) {
        for (size_t j = i + 1; j < len && hs[j].h == hs[i].h; j++) {
            size_t a = hs[i].i, b = hs[j].i;
            if ((b < best_b || (b == best_b && a < best_a)) &&
                rt_schema_equal(json_object_array_get_idx(v, a), json_object_array_get_idx(v, b))) {
                best_a = a;
                best_b = b;
            }
        }
    }
    free(hs);
    if (best_b == len)
        return 1;
    return report(c, "uniqueItems", "items %zu and %zu are equal", best_a, best_b);
}

static int v_array(vctx *c, const rt_schema_node *n, struct json_object *v, unsigned depth)
{
    int ok = 1;
    size_t len = json_object_array_length(v);
    if (n->max_items >= 0 && len > (uint64_t)n->max_items)
        ok = report(c, "maxItems", "array has %zu %s, more than the maximum of %lld", len,
                    plural((int64_t)len, "item", "items"), (long long)n->max_items);
    if (!halt(c, ok) && n->min_items >= 0 && len < (uint64_t)n->min_items)
        ok = report(c, "minItems", "array has %zu %s, fewer than the minimum of %lld", len,
                    plural((int64_t)len, "item", "items"), (long long)n->min_items);
    if (!halt(c, ok) && n->unique_items && !v_unique(c, v))
        ok = 0;
    for (size_t i = 0; i < len && !halt(c, ok); i++) {
        const rt_schema_node *item = n->items;
        const char *via = "items";
        if (n->item_list) {
            item = i < n->nitem_list ? n->item_list[i] : n->additional_items;
            via = i < n->nitem_list ? "items" : "additionalItems";
            if (item && item->always == 0 && i >= n->nitem_list) {
                ok = report(c, "additionalItems",
                            "array has %zu items, but only the first %zu are allowed "
                            "(additionalItems is false)",
                            len, n->nitem_list);
                break;
            }
        }
        if (!item)
            continue;
        size_t mark = push_index(c, i);
        if (!v_node(c, item, json_object_array_get_idx(v, i), via, depth + 1))
            ok = 0;
        pop(c, mark);
    }
    if (!halt(c, ok)) {
        if (n->contains) {
            size_t i = 0;
            while (i < len && !quietly(c, n->contains, json_object_array_get_idx(v, i), depth + 1))
                i++;
            if (i == len)
                ok = report(c, "contains",
                            len ? "no item matches the contains schema"
                                : "array is empty, so no item matches the contains "
                                  "schema");
        }
    }
    return ok;
}

static const rt_schema_prop *find_prop(const rt_schema_node *n, const char *name)
{
    size_t lo = 0, hi = n->nprops;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int cmp = strcmp(name, n->props[mid].name);
        if (cmp == 0)
            return &n->props[mid];
        if (cmp < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

static void capture_first(void *data, const char *pointer, const char *keyword, const char *msg)
{
    (void)pointer;
    ratchet_buf *b = data;
    if (!b->data)
        rt_buf_printf(b, "%s: %s", keyword, msg);
}

/* propertyNames: each name, as a string, against the subschema. */
static int v_property_names(vctx *c, const rt_schema_node *n, struct json_object *v, unsigned depth)
{
    int ok = 1;
    json_object_object_foreach(v, key, val)
    {
        (void)val;
        struct json_object *name = json_object_new_string(key);
        if (!name)
            return report(c, "propertyNames", "out of memory");
        if (!quietly(c, n->property_names, name, depth + 1)) {
            ok = 0;
            if (!c->quiet) {
                /* Run it again, reporting into a buffer, to say why the name is refused. */
                ratchet_buf why = RATCHET_BUF_INIT, b = RATCHET_BUF_INIT;
                vctx sub = {capture_first, &why, RATCHET_BUF_INIT, 0, 1, 0};
                v_node(&sub, n->property_names, name, "propertyNames", depth + 1);
                report(c, "propertyNames", "property name %s is not allowed (%s)", show(&b, name),
                       why.data ? why.data : "propertyNames");
                rt_buf_free(&b);
                rt_buf_free(&why);
                rt_buf_free(&sub.path);
            }
        }
        json_object_put(name);
        if (halt(c, ok))
            return 0;
    }
    return ok;
}

static int v_dependencies(vctx *c, const rt_schema_node *n, struct json_object *v, unsigned depth)
{
    int ok = 1;
    for (size_t d = 0; d < n->ndeps && !halt(c, ok); d++) {
        const rt_schema_dep *dep = &n->deps[d];
        if (!json_object_object_get_ex(v, dep->name, NULL))
            continue;
        if (dep->node) {
            if (!v_node(c, dep->node, v, "dependencies", depth + 1))
                ok = 0;
            continue;
        }
        for (size_t i = 0; i < dep->nnames && !halt(c, ok); i++)
            if (!json_object_object_get_ex(v, dep->names[i], NULL))
                ok = report(c, "dependencies", "property \"%s\" is required when \"%s\" is present",
                            dep->names[i], dep->name);
    }
    return ok;
}

static int v_object(vctx *c, const rt_schema_node *n, struct json_object *v, unsigned depth)
{
    int ok = 1;
    size_t count = (size_t)json_object_object_length(v);
    if (n->max_props >= 0 && count > (uint64_t)n->max_props)
        ok = report(c, "maxProperties", "object has %zu %s, more than the maximum of %lld", count,
                    plural((int64_t)count, "property", "properties"), (long long)n->max_props);
    if (!halt(c, ok) && n->min_props >= 0 && count < (uint64_t)n->min_props)
        ok = report(c, "minProperties", "object has %zu %s, fewer than the minimum of %lld", count,
                    plural((int64_t)count, "property", "properties"), (long long)n->min_props);
    for (size_t i = 0; i < n->nrequired && !halt(c, ok); i++)
        if (!json_object_object_get_ex(v, n->required[i], NULL))
            ok = report(c, "required", "required property \"%s\" is missing", n->required[i]);
    if (!halt(c, ok) && n->ndeps && !v_dependencies(c, n, v, depth))
        ok = 0;
    if (!halt(c, ok) && n->property_names && !v_property_names(c, n, v, depth))
        ok = 0;
    json_object_object_foreach(v, key, val)
    {
        if (halt(c, ok))
            break;
        int matched = 0;
        size_t mark = push_key(c, key);
        const rt_schema_prop *p = find_prop(n, key);
        if (p) {
            matched = 1;
            if (!v_node(c, p->node, val, "properties", depth + 1))
                ok = 0;
        }
        for (size_t i = 0; i < n->npprops && !halt(c, ok); i++) {
            if (!rt_schema_regex_search(n->pprops[i].re, key, strlen(key)))
                continue;
            matched = 1;
            if (!v_node(c, n->pprops[i].node, val, "patternProperties", depth + 1))
                ok = 0;
        }
        if (!matched && n->additional_props && !halt(c, ok)) {
            if (n->additional_props->always == 0) {
                pop(c, mark);
                ok = report(c, "additionalProperties", "property \"%s\" is not allowed", key);
                continue;
            }
            if (!v_node(c, n->additional_props, val, "additionalProperties", depth + 1))
                ok = 0;
        }
        pop(c, mark);
    }
    return ok;
}

static int v_logic(vctx *c, const rt_schema_node *n, struct json_object *v, unsigned depth)
{
    int ok = 1;
    for (size_t i = 0; i < n->nall_of && !halt(c, ok); i++)
        if (!v_node(c, n->all_of[i], v, "allOf", depth + 1))
            ok = 0;
    if (n->nany_of && !halt(c, ok)) {
        size_t i = 0;
        while (i < n->nany_of && !quietly(c, n->any_of[i], v, depth + 1))
            i++;
        if (i == n->nany_of)
            ok = report(c, "anyOf", "value matches none of the %zu schemas in anyOf", n->nany_of);
    }
    if (n->none_of && !halt(c, ok)) {
        size_t first = n->none_of, second = n->none_of;
        for (size_t i = 0; i < n->none_of && second == n->none_of; i++) {
            if (quietly(c, n->one_of[i], v, depth + 1)) {
                if (first == n->none_of)
                    first = i;
                else
                    second = i;
            }
        }
        if (first == n->none_of)
            ok = report(c, "oneOf", "value matches none of the %zu schemas in oneOf", n->none_of);
        else if (second != n->none_of)
            ok = report(c, "oneOf",
                        "value matches schemas %zu and %zu in oneOf, but must match exactly one",
                        first, second);
    }
    if (n->not_ && !halt(c, ok) && quietly(c, n->not_, v, depth + 1))
        ok = report(c, "not", "value must not match the schema in not");
    if (n->if_ && (n->then_ || n->else_) && !halt(c, ok)) {
        const rt_schema_node *branch = quietly(c, n->if_, v, depth + 1) ? n->then_ : n->else_;
        if (branch && !v_node(c, branch, v, branch == n->then_ ? "then" : "else", depth + 1))
            ok = 0;
    }
    return ok;
}

/* Apply n to v. via names the keyword that applied n, for the message of a false schema. */
static int v_node(vctx *c, const rt_schema_node *n, struct json_object *v, const char *via,
                  unsigned depth)
{
    if (n->always == 1)
        return 1;
    if (n->always == 0)
        return report(c, via, "value is not allowed here (the schema is false)");
    if (depth >= RT_SCHEMA_MAX_DEPTH)
        return report(c, "depth", "schema too deeply nested: more than %d subschemas apply here",
                      RT_SCHEMA_MAX_DEPTH);
    if (n->ref)
        return v_node(c, n->ref, v, via, depth + 1);
    int ok = v_generic(c, n, v);
    if (halt(c, ok))
        return 0;
    switch (json_object_get_type(v)) {
    case json_type_int:
    case json_type_double:
        ok &= v_number(c, n, v);
        break;
    case json_type_string:
        ok &= v_string(c, n, v);
        break;
    case json_type_array:
        ok &= v_array(c, n, v, depth);
        break;
    case json_type_object:
        ok &= v_object(c, n, v, depth);
        break;
    default:
        break;
    }
    if (halt(c, ok))
        return 0;
    return v_logic(c, n, v, depth) && ok;
}

size_t rt_schema_validate(const rt_schema *s, struct json_object *instance, rt_schema_error_fn fn,
                          void *data)
{
    if (!s || !s->root)
        return 0;
    vctx c = {fn, data, RATCHET_BUF_INIT, 0, RT_SCHEMA_MAX_ERRORS, fn == NULL};
    if (fn == NULL) /* quiet: one failure decides */
        return quietly(&c, s->root, instance, 0) ? 0 : 1;
    rt_buf_puts(&c.path, "");
    v_node(&c, s->root, instance, "false", 0);
    rt_buf_free(&c.path);
    return c.nerrors;
}
