/*
 * gql_validate.c - validation (specification section 5): the driver, and the rules about
 * documents, operations, fragments as a whole, variables' definitions and directives.
 * Messages and locations as graphql-js 16 reports them; the other rules are in
 * gql_validate_fields.c, gql_validate_values.c and gql_validate_merge.c.
 */
#include <stdlib.h>
#include <string.h>

#include "gql_int.h"

#define MAX_ERRORS 100

static void loc_of(const gql_node *n, int use_name, uint32_t *line, uint32_t *col)
{
    if (use_name && n->nline) {
        *line = n->nline;
        *col = n->ncol;
    } else {
        *line = n->line;
        *col = n->col;
    }
}

/* Nodes tagged with gql_name_at are located at their name, gql_sel_at at their selection
 * set; others at their start. */
void gql_vreport(gql_vctx *v, const gql_node *const *at, size_t nat, const char *fmt, ...)
{
    if (v->aborted)
        return;
    if (v->nerrors >= MAX_ERRORS) {
        json_object_array_add(v->errors,
                              gql_error_new("Too many validation errors, error limit reached. "
                                            "Validation aborted.",
                                            0, 0, NULL));
        v->aborted = 1;
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    char *msg = gql_vstrf(fmt, ap);
    va_end(ap);
    json_object *e = gql_error_new(msg ? msg : "out of memory", 0, 0, NULL);
    free(msg);
    for (size_t i = 0; i < nat; i++) {
        if (!at[i])
            continue;
        uint32_t line, col;
        /* a node tagged by gql_name_at (an odd pointer) is located at its name */
        uintptr_t p = (uintptr_t)at[i];
        const gql_node *n = (const gql_node *)(p & ~(uintptr_t)3);
        loc_of(n, (int)(p & 1), &line, &col);
        if ((p & 2) && n->sline) {
            line = n->sline;
            col = n->scol;
        }
        gql_error_add_location(e, line, col);
    }
    json_object_array_add(v->errors, e);
    v->nerrors++;
}

const gql_node *gql_vfragment(const gql_vctx *v, const char *name)
{
    for (size_t i = 0; i < v->nfrags; i++)
        if (strcmp(v->frags[i]->name, name) == 0)
            return v->frags[i];
    return NULL;
}

/* ---- selection walk ------------------------------------------------------------------------ */

static void walk_set(gql_vctx *v, const gql_node *sel, const gql_type *parent, gql_sel_fn fn,
                     void *user)
{
    for (const gql_node *s = sel; s && !v->aborted; s = s->next) {
        fn(v, s, parent, user);
        if (s->kind == GQL_FIELD && s->sel) {
            const gql_field *f = gql_field_def(v->schema, parent, s->name);
            walk_set(v, s->sel, f ? gql_named(f->type) : NULL, fn, user);
        } else if (s->kind == GQL_INLINE_FRAGMENT) {
            const gql_type *t = s->type ? gql_schema_type(v->schema, s->type->name) : parent;
            walk_set(v, s->sel, t, fn, user);
        }
    }
}

const gql_type *gql_op_root(const gql_schema *s, const gql_node *op)
{
    return op->flag == GQL_QUERY      ? s->query
           : op->flag == GQL_MUTATION ? s->mutation
                                      : s->subscription;
}

void gql_walk_selections(gql_vctx *v, gql_sel_fn fn, void *user)
{
    for (const gql_node *d = v->doc->defs; d; d = d->next) {
        if (d->kind == GQL_OPERATION)
            walk_set(v, d->sel, gql_op_root(v->schema, d), fn, user);
        else if (d->kind == GQL_FRAGMENT_DEF)
            walk_set(v, d->sel, gql_schema_type(v->schema, d->type->name), fn, user);
    }
}

/* ---- documents and operations -------------------------------------------------------------- */

static void executable_definitions(gql_vctx *v)
{
    for (const gql_node *d = v->doc->defs; d; d = d->next) {
        if (d->kind == GQL_OPERATION || d->kind == GQL_FRAGMENT_DEF)
            continue;
        if (d->kind == GQL_SCHEMA_DEF)
            gql_vreport(v, GQL_AT(d), "The schema definition is not executable.");
        else
            gql_vreport(v, GQL_AT(d), "The \"%s\" definition is not executable.", d->name);
    }
}

static void operations(gql_vctx *v)
{
    size_t nops = 0;
    for (const gql_node *d = v->doc->defs; d; d = d->next)
        nops += d->kind == GQL_OPERATION;
    for (const gql_node *d = v->doc->defs; d; d = d->next) {
        if (d->kind != GQL_OPERATION)
            continue;
        if (!d->name && nops > 1)
            gql_vreport(v, GQL_AT(d),
                        "This anonymous operation must be the only defined operation.");
        if (!d->name)
            continue;
        for (const gql_node *e = v->doc->defs; e != d; e = e->next) {
            if (e->kind == GQL_OPERATION && e->name && strcmp(e->name, d->name) == 0) {
                gql_vreport(v, GQL_AT(gql_name_at(e), gql_name_at(d)),
                            "There can be only one operation named \"%s\".", d->name);
                break;
            }
        }
    }
}

/* Collect the fields of a subscription's root selection set (fragments expanded, literal
 * @skip/@include honoured) as graphql-js's collectFields: response names in order, each with
 * its field nodes. */
typedef struct collected {
    const gql_node *field[64];
    size_t n;
    const gql_node *seen_frag[64];
    size_t nseen;
} collected;

static void collect_root(gql_vctx *v, const gql_node *sel, const gql_type *root, collected *c)
{
    for (const gql_node *s = sel; s; s = s->next) {
        if (!gql_should_include(v->schema, s, NULL))
            continue;
        if (s->kind == GQL_FIELD) {
            if (c->n < 64)
                c->field[c->n++] = s;
        } else if (s->kind == GQL_INLINE_FRAGMENT) {
            collect_root(v, s->sel, root, c);
        } else {
            const gql_node *f = gql_vfragment(v, s->name);
            int seen = 0;
            for (size_t i = 0; i < c->nseen; i++)
                seen |= strcmp(c->seen_frag[i]->name, s->name) == 0;
            if (!f || seen || c->nseen >= 64)
                continue;
            c->seen_frag[c->nseen++] = f;
            collect_root(v, f->sel, root, c);
        }
    }
}

static const char *response_name(const gql_node *f)
{
    return f->alias ? f->alias : f->name;
}

static void single_field_subscriptions(gql_vctx *v)
{
    const gql_type *sub = v->schema->subscription;
    for (const gql_node *d = v->doc->defs; d; d = d->next) {
        if (d->kind != GQL_OPERATION || d->flag != GQL_SUBSCRIPTION || !sub)
            continue;
        collected c;
        c.n = c.nseen = 0;
        collect_root(v, d->sel, sub, &c);
        /* group by response name: the first name's fields, then the rest */
        const char *first = c.n ? response_name(c.field[0]) : NULL;
        const gql_node *extra[64];
        size_t nextra = 0;
        for (size_t i = 0; i < c.n; i++)
            if (strcmp(response_name(c.field[i]), first) != 0)
                extra[nextra++] = c.field[i];
        if (nextra > 0) {
            /* graphql-js orders the extra selections by response name group */
            const gql_node *ordered[64] = {NULL};
            size_t no = 0;
            for (size_t i = 0; i < nextra; i++) {
                int dup = 0;
                for (size_t k = 0; k < no; k++)
                    dup |= ordered[k] == extra[i];
                if (dup)
                    continue;
                for (size_t j = i; j < nextra; j++)
                    if (strcmp(response_name(extra[j]), response_name(extra[i])) == 0)
                        ordered[no++] = extra[j];
            }
            char msg[320];
            if (d->name)
                snprintf(msg, sizeof msg,
                         "Subscription \"%s\" must select only one top level field.", d->name);
            else
                snprintf(msg, sizeof msg,
                         "Anonymous Subscription must select only one top level field.");
            gql_vreport(v, ordered, no > 4 ? 4 : no, "%s", msg);
        }
        for (size_t i = 0; i < c.n; i++) {
            if (strncmp(c.field[i]->name, "__", 2) != 0)
                continue;
            if (d->name)
                gql_vreport(v, GQL_AT(c.field[i]),
                            "Subscription \"%s\" must not select an introspection top level "
                            "field.",
                            d->name);
            else
                gql_vreport(v, GQL_AT(c.field[i]),
                            "Anonymous Subscription must not select an "
                            "introspection top level field.");
        }
    }
}

/* ---- fragments ----------------------------------------------------------------------------- */

static void fragment_names(gql_vctx *v)
{
    for (const gql_node *d = v->doc->defs; d; d = d->next) {
        if (d->kind != GQL_FRAGMENT_DEF)
            continue;
        const gql_node *first = gql_vfragment(v, d->name);
        if (first != d)
            gql_vreport(v, GQL_AT(gql_name_at(first), gql_name_at(d)),
                        "There can be only one fragment named \"%s\".", d->name);
    }
}

static void spreads_in(const gql_node *sel, void (*fn)(gql_vctx *, const gql_node *, void *),
                       gql_vctx *v, void *user)
{
    for (const gql_node *s = sel; s; s = s->next) {
        if (s->kind == GQL_FRAGMENT_SPREAD)
            fn(v, s, user);
        else if (s->sel)
            spreads_in(s->sel, fn, v, user);
    }
}

static void known_fragment(gql_vctx *v, const gql_node *s, void *user)
{
    (void)user;
    if (!gql_vfragment(v, s->name))
        gql_vreport(v, GQL_AT(gql_name_at(s)), "Unknown fragment \"%s\".", s->name);
}

/* Fragments reachable from operations, marked in `used` (indexed as v->frags). */
typedef struct reach {
    unsigned char *used;
    const gql_node **stack;
    size_t nstack;
} reach;

static size_t frag_index(const gql_vctx *v, const char *name)
{
    for (size_t i = 0; i < v->nfrags; i++)
        if (strcmp(v->frags[i]->name, name) == 0)
            return i;
    return (size_t)-1;
}

static void mark_spread(gql_vctx *v, const gql_node *s, void *user)
{
    reach *r = user;
    size_t i = frag_index(v, s->name);
    if (i == (size_t)-1 || r->used[i])
        return;
    r->used[i] = 1;
    r->stack[r->nstack++] = v->frags[i];
}

static void unused_fragments(gql_vctx *v)
{
    if (!v->nfrags)
        return;
    reach r;
    r.used = calloc(v->nfrags, 1);
    r.stack = malloc(v->nfrags * sizeof *r.stack);
    r.nstack = 0;
    if (!r.used || !r.stack)
        goto out;
    for (const gql_node *d = v->doc->defs; d; d = d->next)
        if (d->kind == GQL_OPERATION)
            spreads_in(d->sel, mark_spread, v, &r);
    while (r.nstack > 0) {
        const gql_node *f = r.stack[--r.nstack];
        spreads_in(f->sel, mark_spread, v, &r);
    }
    for (const gql_node *d = v->doc->defs; d; d = d->next) {
        if (d->kind != GQL_FRAGMENT_DEF)
            continue;
        size_t i = frag_index(v, d->name);
        if (!r.used[i])
            gql_vreport(v, GQL_AT(d), "Fragment \"%s\" is never used.", d->name);
    }
out:
    free(r.used);
    free(r.stack);
}

/* NoFragmentCycles: graphql-js's depth-first search, reporting each cycle once with the spread
 * path that forms it. */
typedef struct cycles {
    unsigned char *visited;
    size_t *path_index; /* per fragment: index in path + 1 while on the path, else 0 */
    const gql_node **path;
    size_t npath;
} cycles;

static void collect_spreads(const gql_node *sel, const gql_node **out, size_t *n, size_t max)
{
    for (const gql_node *s = sel; s; s = s->next) {
        if (s->kind == GQL_FRAGMENT_SPREAD) {
            if (*n < max)
                out[(*n)++] = s;
        } else if (s->sel) {
            collect_spreads(s->sel, out, n, max);
        }
    }
}

static void detect_cycle(gql_vctx *v, cycles *c, size_t fi)
{
    if (c->visited[fi] || v->aborted)
        return;
    c->visited[fi] = 1;
    const gql_node *spreads[256];
    size_t ns = 0;
    collect_spreads(v->frags[fi]->sel, spreads, &ns, 256);
    if (ns == 0)
        return;
    c->path_index[fi] = c->npath + 1;
    for (size_t i = 0; i < ns; i++) {
        size_t ti = frag_index(v, spreads[i]->name);
        c->path[c->npath++] = spreads[i];
        if (ti != (size_t)-1) {
            if (c->path_index[ti] == 0) {
                detect_cycle(v, c, ti);
            } else {
                size_t from = c->path_index[ti] - 1;
                char via[512] = "";
                for (size_t k = from; k + 1 < c->npath; k++) {
                    size_t l = strlen(via);
                    snprintf(via + l, sizeof via - l, "%s\"%s\"", k > from ? ", " : "",
                             c->path[k]->name);
                }
                const gql_node *at[8];
                size_t nat = 0;
                for (size_t k = from; k < c->npath && nat < 8; k++)
                    at[nat++] = c->path[k];
                if (via[0])
                    gql_vreport(v, at, nat, "Cannot spread fragment \"%s\" within itself via %s.",
                                spreads[i]->name, via);
                else
                    gql_vreport(v, at, nat, "Cannot spread fragment \"%s\" within itself.",
                                spreads[i]->name);
            }
        }
        c->npath--;
    }
    c->path_index[fi] = 0;
}

static void fragment_cycles(gql_vctx *v)
{
    if (!v->nfrags)
        return;
    cycles c;
    c.visited = calloc(v->nfrags, 1);
    c.path_index = calloc(v->nfrags, sizeof *c.path_index);
    c.path = malloc((v->nfrags * 256 + 1) * sizeof *c.path);
    c.npath = 0;
    if (c.visited && c.path_index && c.path)
        for (const gql_node *d = v->doc->defs; d; d = d->next)
            if (d->kind == GQL_FRAGMENT_DEF && gql_vfragment(v, d->name) == d)
                detect_cycle(v, &c, frag_index(v, d->name));
    free(c.visited);
    free(c.path_index);
    free(c.path);
}

/* ---- type names, variables' definitions ---------------------------------------------------- */

static void unknown_type(gql_vctx *v, const gql_node *named)
{
    const char *names[512];
    size_t n = 0;
    for (size_t i = 0; i < v->schema->ntypes && n < 512; i++)
        names[n++] = v->schema->types[i]->name;
    const char *sugg[5];
    size_t ns = gql_suggest(named->name, names, n, sugg, 5);
    char msg[512];
    snprintf(msg, sizeof msg, "Unknown type \"%s\".", named->name);
    gql_did_you_mean(msg, sizeof msg, NULL, sugg, ns);
    gql_vreport(v, GQL_AT(named), "%s", msg);
}

static const gql_node *named_of(const gql_node *t)
{
    while (t->kind != GQL_NAMED_TYPE)
        t = t->type;
    return t;
}

/* A type reference as written ("[Int!]"), truncated to the buffer. */
static void type_ast_append(const gql_node *t, char *buf, size_t size, size_t *pos)
{
    const char *pre = t->kind == GQL_LIST_TYPE ? "[" : "";
    const char *name = t->kind == GQL_NAMED_TYPE ? t->name : "";
    size_t n = strlen(pre) + strlen(name);
    if (*pos + n < size) {
        memcpy(buf + *pos, pre, strlen(pre));
        memcpy(buf + *pos + strlen(pre), name, strlen(name));
        *pos += n;
    }
    if (t->kind != GQL_NAMED_TYPE)
        type_ast_append(t->type, buf, size, pos);
    const char *post = t->kind == GQL_LIST_TYPE ? "]" : t->kind == GQL_NON_NULL_TYPE ? "!" : "";
    if (*post && *pos + 1 < size)
        buf[(*pos)++] = *post;
    buf[*pos] = '\0';
}

static void print_type_ast(const gql_node *t, char *buf, size_t size)
{
    size_t pos = 0;
    buf[0] = '\0';
    type_ast_append(t, buf, size, &pos);
}

static void type_conditions(gql_vctx *v, const gql_node *sel, const gql_type *parent, void *user)
{
    (void)parent, (void)user;
    if (sel->kind != GQL_INLINE_FRAGMENT || !sel->type)
        return;
    const gql_type *t = gql_schema_type(v->schema, sel->type->name);
    if (!t)
        unknown_type(v, sel->type);
    else if (!gql_is_composite(t))
        gql_vreport(v, GQL_AT(sel->type), "Fragment cannot condition on non composite type \"%s\".",
                    t->name);
}

static void variable_defs(gql_vctx *v)
{
    for (const gql_node *d = v->doc->defs; d; d = d->next) {
        if (d->kind == GQL_FRAGMENT_DEF) {
            const gql_type *t = gql_schema_type(v->schema, d->type->name);
            if (!t)
                unknown_type(v, d->type);
            else if (!gql_is_composite(t))
                gql_vreport(v, GQL_AT(d->type),
                            "Fragment \"%s\" cannot condition on non composite type \"%s\".",
                            d->name, t->name);
        }
        if (d->kind != GQL_OPERATION)
            continue;
        for (const gql_node *a = d->args; a; a = a->next) {
            /* UniqueVariableNames: one error per name, at every definition of it */
            int first = 1;
            for (const gql_node *b = d->args; b != a; b = b->next)
                first &= strcmp(a->name, b->name) != 0;
            if (first) {
                const gql_node *at[8];
                size_t n = 0;
                for (const gql_node *b = a; b; b = b->next)
                    if (strcmp(a->name, b->name) == 0 && n < 8)
                        at[n++] = gql_name_at(b);
                if (n > 1)
                    gql_vreport(v, at, n, "There can be only one variable named \"$%s\".", a->name);
            }
            const gql_node *named = named_of(a->type);
            const gql_type *t = gql_schema_type(v->schema, named->name);
            if (!t) {
                unknown_type(v, named);
            } else if (!gql_is_input_type(t)) {
                char ts[256];
                print_type_ast(a->type, ts, sizeof ts);
                gql_vreport(v, GQL_AT(a->type), "Variable \"$%s\" cannot be non-input type \"%s\".",
                            a->name, ts);
            }
        }
    }
}

/* ---- directives ---------------------------------------------------------------------------- */

static void check_directives(gql_vctx *v, const gql_node *dirs, gql_dir_loc loc)
{
    for (const gql_node *d = dirs; d; d = d->next) {
        const gql_directive *def = gql_schema_directive(v->schema, d->name);
        if (!def) {
            gql_vreport(v, GQL_AT(d), "Unknown directive \"@%s\".", d->name);
            continue;
        }
        if (!(def->locations & (1u << loc)))
            gql_vreport(v, GQL_AT(d), "Directive \"@%s\" may not be used on %s.", d->name,
                        gql_dir_loc_name(loc));
        if (def->repeatable)
            continue;
        for (const gql_node *e = dirs; e != d; e = e->next) {
            if (strcmp(e->name, d->name) == 0) {
                gql_vreport(v, GQL_AT(e, d),
                            "The directive \"@%s\" can only be used once at this location.",
                            d->name);
                break;
            }
        }
    }
}

static void selection_directives(gql_vctx *v, const gql_node *sel, const gql_type *parent,
                                 void *user)
{
    (void)parent, (void)user;
    check_directives(v, sel->dirs,
                     sel->kind == GQL_FIELD             ? GQL_LOC_FIELD
                     : sel->kind == GQL_FRAGMENT_SPREAD ? GQL_LOC_FRAGMENT_SPREAD
                                                        : GQL_LOC_INLINE_FRAGMENT);
}

static void directives(gql_vctx *v)
{
    for (const gql_node *d = v->doc->defs; d; d = d->next) {
        if (d->kind == GQL_OPERATION) {
            check_directives(v, d->dirs,
                             d->flag == GQL_QUERY      ? GQL_LOC_QUERY
                             : d->flag == GQL_MUTATION ? GQL_LOC_MUTATION
                                                       : GQL_LOC_SUBSCRIPTION);
            for (const gql_node *a = d->args; a; a = a->next)
                check_directives(v, a->dirs, GQL_LOC_VARIABLE_DEFINITION);
        } else if (d->kind == GQL_FRAGMENT_DEF) {
            check_directives(v, d->dirs, GQL_LOC_FRAGMENT_DEFINITION);
        }
    }
    gql_walk_selections(v, selection_directives, NULL);
}

/* ---- introspection depth ------------------------------------------------------------------- */

/* graphql-js's MaxIntrospectionDepthRule (one of its specified rules): an introspection query
 * nesting the list fields fields / interfaces / possibleTypes / inputFields three deep is
 * refused, as it can make an answer exponentially large. Fragments are followed; `visited`
 * holds each fragment's entry depth during one check (-1: not visited). */
#define MAX_LISTS_DEPTH 3

static int lists_too_deep(gql_vctx *v, const gql_node *sel, int depth, int *visited)
{
    for (const gql_node *s = sel; s; s = s->next) {
        int d = depth;
        if (s->kind == GQL_FRAGMENT_SPREAD) {
            size_t i = 0;
            while (i < v->nfrags && strcmp(v->frags[i]->name, s->name) != 0)
                i++;
            if (i == v->nfrags || visited[i] >= depth)
                continue;
            visited[i] = depth;
            if (lists_too_deep(v, v->frags[i]->sel, depth, visited))
                return 1;
            continue;
        }
        if (s->kind == GQL_FIELD &&
            (strcmp(s->name, "fields") == 0 || strcmp(s->name, "interfaces") == 0 ||
             strcmp(s->name, "possibleTypes") == 0 || strcmp(s->name, "inputFields") == 0) &&
            ++d >= MAX_LISTS_DEPTH)
            return 1;
        if (s->sel && lists_too_deep(v, s->sel, d, visited))
            return 1;
    }
    return 0;
}

static void introspection_depth_in(gql_vctx *v, const gql_node *sel, int *visited)
{
    for (const gql_node *s = sel; s && !v->aborted; s = s->next) {
        if (s->kind == GQL_FIELD &&
            (strcmp(s->name, "__schema") == 0 || strcmp(s->name, "__type") == 0)) {
            for (size_t i = 0; i < v->nfrags; i++)
                visited[i] = -1;
            if (s->sel && lists_too_deep(v, s->sel, 0, visited)) {
                gql_vreport(v, GQL_AT(s), "Maximum introspection depth exceeded");
                continue;
            }
        }
        if (s->sel)
            introspection_depth_in(v, s->sel, visited);
    }
}

static void introspection_depth(gql_vctx *v)
{
    int *visited = malloc((v->nfrags + 1) * sizeof *visited);
    if (!visited)
        return;
    for (const gql_node *d = v->doc->defs; d; d = d->next)
        if (d->kind == GQL_OPERATION || d->kind == GQL_FRAGMENT_DEF)
            introspection_depth_in(v, d->sel, visited);
    free(visited);
}

/* ---- driver -------------------------------------------------------------------------------- */

void gql_validate_documents(gql_vctx *v)
{
    executable_definitions(v);
    operations(v);
    single_field_subscriptions(v);
    gql_walk_selections(v, type_conditions, NULL);
    variable_defs(v);
    fragment_names(v);
    for (const gql_node *d = v->doc->defs; d; d = d->next)
        if (d->kind == GQL_OPERATION || d->kind == GQL_FRAGMENT_DEF)
            spreads_in(d->sel, known_fragment, v, NULL);
    unused_fragments(v);
    fragment_cycles(v);
    directives(v);
    introspection_depth(v);
}

size_t gql_validate(const gql_schema *s, const gql_doc *doc, json_object *errors)
{
    gql_vctx v;
    memset(&v, 0, sizeof v);
    v.schema = s;
    v.doc = doc;
    v.errors = errors;
    v.frags = malloc((doc->ndefs + 1) * sizeof *v.frags);
    if (!v.frags) {
        json_object_array_add(errors, gql_error_new("out of memory", 0, 0, NULL));
        return 1;
    }
    for (const gql_node *d = doc->defs; d; d = d->next)
        if (d->kind == GQL_FRAGMENT_DEF && !gql_vfragment(&v, d->name))
            v.frags[v.nfrags++] = d;
    gql_validate_documents(&v);
    gql_validate_fields(&v);
    gql_validate_values(&v);
    gql_validate_merging(&v);
    free(v.frags);
    return v.nerrors + (size_t)v.aborted;
}
