/*
 * gql_limits.c - the limits that keep a server safe from expensive requests: depth and
 * complexity (fields selected, fragments expanded), aliases, root fields, and introspection
 * switched off. Each exceeded limit is one error naming it and its value.
 *
 * Counting stops as soon as a limit is passed, so a document built to multiply fragments
 * costs no more than the limit to check. Run after validation (fragments are known and
 * acyclic).
 */
#include <stdlib.h>
#include <string.h>

#include "gql_int.h"

typedef struct lctx {
    const gql_schema *s;
    const gql_doc *doc;
    const gql_limits *lim;
    uint32_t max_depth_seen;
    uint64_t fields;
    const gql_node *introspection; /* the first __schema / __type field */
    int stop;
} lctx;

static const gql_node *fragment(const gql_doc *doc, const char *name)
{
    for (const gql_node *d = doc->defs; d; d = d->next)
        if (d->kind == GQL_FRAGMENT_DEF && strcmp(d->name, name) == 0)
            return d;
    return NULL;
}

static void walk(lctx *c, const gql_node *sel, uint32_t depth, uint32_t frag_depth)
{
    if (depth > c->max_depth_seen)
        c->max_depth_seen = depth;
    if (frag_depth > 64)
        return;
    for (const gql_node *s = sel; s && !c->stop; s = s->next) {
        if (s->kind == GQL_FIELD) {
            c->fields++;
            if (!c->introspection &&
                (strcmp(s->name, "__schema") == 0 || strcmp(s->name, "__type") == 0))
                c->introspection = s;
            if (s->sel)
                walk(c, s->sel, depth + 1, frag_depth);
        } else if (s->kind == GQL_INLINE_FRAGMENT) {
            walk(c, s->sel, depth, frag_depth);
        } else {
            const gql_node *f = fragment(c->doc, s->name);
            if (f)
                walk(c, f->sel, depth, frag_depth + 1);
        }
        if ((c->lim->max_complexity && c->fields > c->lim->max_complexity) ||
            (c->lim->max_depth && c->max_depth_seen > c->lim->max_depth) || c->fields > 10000000)
            c->stop = 1;
    }
}

static size_t count_root(const gql_doc *doc, const gql_node *sel, int depth)
{
    size_t n = 0;
    if (depth > 64)
        return 0;
    for (const gql_node *s = sel; s; s = s->next) {
        if (s->kind == GQL_FIELD)
            n++;
        else if (s->kind == GQL_INLINE_FRAGMENT)
            n += count_root(doc, s->sel, depth + 1);
        else {
            const gql_node *f = fragment(doc, s->name);
            if (f)
                n += count_root(doc, f->sel, depth + 1);
        }
    }
    return n;
}

static size_t count_aliases(const gql_node *sel)
{
    size_t n = 0;
    for (const gql_node *s = sel; s; s = s->next) {
        n += s->kind == GQL_FIELD && s->alias;
        if (s->sel)
            n += count_aliases(s->sel);
    }
    return n;
}

static void limit_error(json_object *errors, const gql_node *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void limit_error(json_object *errors, const gql_node *at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = gql_vstrf(fmt, ap);
    va_end(ap);
    json_object *e =
        gql_error_new(msg ? msg : "limit exceeded", at ? at->line : 0, at ? at->col : 0, NULL);
    free(msg);
    json_object *ext = json_object_new_object();
    json_object_object_add(ext, "code", json_object_new_string("LIMIT_EXCEEDED"));
    json_object_object_add(e, "extensions", ext);
    json_object_array_add(errors, e);
}

size_t gql_check_limits(const gql_schema *s, const gql_doc *doc, const char *operation_name,
                        const gql_limits *lim, json_object *errors)
{
    char err[256];
    const gql_node *op = gql_find_operation(doc, operation_name, err, sizeof err);
    if (!op)
        return 0; /* execution reports it */
    size_t before = json_object_array_length(errors);
    lctx c = {s, doc, lim, 0, 0, NULL, 0};
    walk(&c, op->sel, 1, 0);
    if (lim->max_depth && c.max_depth_seen > lim->max_depth)
        limit_error(errors, op, "The query is deeper than the maximum depth of %u.",
                    lim->max_depth);
    if (lim->max_complexity && c.fields > lim->max_complexity)
        limit_error(errors, op, "The query selects more than the maximum complexity of %u fields.",
                    lim->max_complexity);
    size_t aliases = 0;
    for (const gql_node *d = doc->defs; d; d = d->next)
        if (d->sel && (d->kind == GQL_OPERATION || d->kind == GQL_FRAGMENT_DEF))
            aliases += count_aliases(d->sel);
    if (lim->max_aliases && aliases > lim->max_aliases)
        limit_error(errors, op, "The document uses %zu aliases, over the maximum of %u aliases.",
                    aliases, lim->max_aliases);
    size_t roots = count_root(doc, op->sel, 0);
    if (lim->max_root_fields && roots > lim->max_root_fields)
        limit_error(errors, op,
                    "The operation selects %zu root fields, over the maximum of %u root fields.",
                    roots, lim->max_root_fields);
    if (lim->no_introspection && c.introspection)
        limit_error(errors, c.introspection,
                    "GraphQL introspection has been disabled, but the requested query contained "
                    "the field \"%s\".",
                    c.introspection->name);
    return json_object_array_length(errors) - before;
}
