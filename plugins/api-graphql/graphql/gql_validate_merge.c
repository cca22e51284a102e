/*
 * gql_validate_merge.c - the rule "Field Selection Merging" (specification 5.3.2,
 * FieldsInSetCanMerge / SameResponseShape): fields with one response name must be one field
 * with the same arguments (unless their parents can never be the same object) and return
 * types of the same shape, recursively. Conflicts are reported as graphql-js's
 * OverlappingFieldsCanBeMergedRule words them, with the locations of both sides.
 *
 * The work is bounded (MAX_WORK comparisons per document): a document built to explode the
 * comparisons stops being checked rather than hold the thread.
 */
#include <stdlib.h>
#include <string.h>

#include "gql_int.h"

#define MAX_WORK  200000
#define MAX_DEPTH 32

typedef struct entry {
    const char *rname;
    const gql_type *parent;
    const gql_node *node;
    const gql_field *def;
} entry;

typedef struct fmap {
    entry *e;
    size_t n, cap;
    const gql_node **frags; /* named fragments spread directly (or in inline fragments) */
    size_t nfrags, fcap;
} fmap;

typedef struct nodes {
    const gql_node **p;
    size_t n, cap;
} nodes;

typedef struct conflict {
    const char *rname;
    char *reason;
    nodes a, b;
} conflict;

typedef struct conflicts {
    conflict *c;
    size_t n, cap;
} conflicts;

typedef struct mctx {
    gql_vctx *v;
    size_t work;
    int oom;
    int depth; /* of sub-selection comparisons: fragment cycles would make it endless */
} mctx;

static void *grow(mctx *m, void *p, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return p;
    size_t c = *cap ? *cap * 2 : 8;
    void *q = realloc(p, c * size);
    if (!q) {
        m->oom = 1;
        return NULL;
    }
    *cap = c;
    return q;
}

static void nodes_add(mctx *m, nodes *ns, const gql_node *n)
{
    const gql_node **p = grow(m, ns->p, &ns->cap, ns->n, sizeof *p);
    if (!p)
        return;
    ns->p = p;
    ns->p[ns->n++] = n;
}

static void fmap_free(fmap *f)
{
    free(f->e);
    free(f->frags);
}

static void collect(mctx *m, fmap *f, const gql_node *sel, const gql_type *parent)
{
    for (const gql_node *s = sel; s && !m->oom; s = s->next) {
        if (s->kind == GQL_FIELD) {
            entry *e = grow(m, f->e, &f->cap, f->n, sizeof *e);
            if (!e)
                return;
            f->e = e;
            f->e[f->n++] = (entry){s->alias ? s->alias : s->name, parent, s,
                                   gql_field_def(m->v->schema, parent, s->name)};
        } else if (s->kind == GQL_INLINE_FRAGMENT) {
            const gql_type *t = s->type ? gql_schema_type(m->v->schema, s->type->name) : parent;
            collect(m, f, s->sel, t);
        } else {
            const gql_node *fd = gql_vfragment(m->v, s->name);
            if (!fd)
                continue;
            int dup = 0;
            for (size_t i = 0; i < f->nfrags; i++)
                dup |= f->frags[i] == fd;
            if (dup)
                continue;
            const gql_node **p = grow(m, f->frags, &f->fcap, f->nfrags, sizeof *p);
            if (!p)
                return;
            f->frags = p;
            f->frags[f->nfrags++] = fd;
        }
    }
}

/* The fields of a fragment with the fragments it spreads expanded (each once). */
static void expand(mctx *m, fmap *out, const gql_node *frag, const gql_node ***seen, size_t *nseen,
                   size_t *seencap)
{
    for (size_t i = 0; i < *nseen; i++)
        if ((*seen)[i] == frag)
            return;
    const gql_node **p = grow(m, *seen, seencap, *nseen, sizeof *p);
    if (!p)
        return;
    *seen = p;
    (*seen)[(*nseen)++] = frag;
    fmap f;
    memset(&f, 0, sizeof f);
    collect(m, &f, frag->sel, gql_schema_type(m->v->schema, frag->type->name));
    for (size_t i = 0; i < f.n; i++) {
        entry *e = grow(m, out->e, &out->cap, out->n, sizeof *e);
        if (!e)
            break;
        out->e = e;
        out->e[out->n++] = f.e[i];
    }
    for (size_t i = 0; i < f.nfrags; i++)
        expand(m, out, f.frags[i], seen, nseen, seencap);
    fmap_free(&f);
}

static void expand_all(mctx *m, fmap *out, const gql_node *const *frags, size_t n)
{
    const gql_node **seen = NULL;
    size_t nseen = 0, cap = 0;
    for (size_t i = 0; i < n; i++)
        expand(m, out, frags[i], &seen, &nseen, &cap);
    free(seen);
}

static int types_conflict(const gql_type *a, const gql_type *b)
{
    if (a->kind == GQL_K_LIST)
        return b->kind == GQL_K_LIST ? types_conflict(a->of_type, b->of_type) : 1;
    if (b->kind == GQL_K_LIST)
        return 1;
    if (a->kind == GQL_K_NON_NULL)
        return b->kind == GQL_K_NON_NULL ? types_conflict(a->of_type, b->of_type) : 1;
    if (b->kind == GQL_K_NON_NULL)
        return 1;
    if (gql_is_leaf(a) || gql_is_leaf(b))
        return a != b;
    return 0;
}

static int same_value(const gql_node *a, const gql_node *b)
{
    char *x = gql_print_value(a), *y = gql_print_value(b);
    int same = x && y && strcmp(x, y) == 0;
    free(x);
    free(y);
    return same;
}

static int same_args(const gql_node *a, const gql_node *b)
{
    size_t na = 0, nb = 0;
    for (const gql_node *x = a; x; x = x->next)
        na++;
    for (const gql_node *x = b; x; x = x->next)
        nb++;
    if (na != nb)
        return 0;
    for (const gql_node *x = a; x; x = x->next) {
        const gql_node *y = b;
        while (y && strcmp(x->name, y->name) != 0)
            y = y->next;
        if (!y || !same_value(x->value, y->value))
            return 0;
    }
    return 1;
}

static void between(mctx *m, conflicts *out, int exclusive, const fmap *a, const fmap *b);

static void add_conflict(mctx *m, conflicts *out, const char *rname, char *reason)
{
    conflict *c = grow(m, out->c, &out->cap, out->n, sizeof *c);
    if (c)
        out->c = c; /* grown: the old block is gone even when the reason is missing */
    if (!c || !reason) {
        free(reason);
        return;
    }
    memset(&out->c[out->n], 0, sizeof(conflict));
    out->c[out->n].rname = rname;
    out->c[out->n].reason = reason;
    out->n++;
}

static void conflicts_free(conflicts *cs)
{
    for (size_t i = 0; i < cs->n; i++) {
        free(cs->c[i].reason);
        free(cs->c[i].a.p);
        free(cs->c[i].b.p);
    }
    free(cs->c);
}

/* graphql-js findConflict: appends at most one conflict for the pair. */
static void find_conflict(mctx *m, conflicts *out, int parents_exclusive, const entry *x,
                          const entry *y)
{
    if (++m->work > MAX_WORK || m->oom)
        return;
    int exclusive =
        parents_exclusive || (x->parent != y->parent && x->parent && y->parent &&
                              x->parent->kind == GQL_K_OBJECT && y->parent->kind == GQL_K_OBJECT);
    size_t before = out->n;
    if (!exclusive) {
        if (strcmp(x->node->name, y->node->name) != 0) {
            add_conflict(
                m, out, x->rname,
                gql_strf("\"%s\" and \"%s\" are different fields", x->node->name, y->node->name));
            goto located;
        }
        if (!same_args(x->node->args, y->node->args)) {
            add_conflict(m, out, x->rname, gql_strf("they have differing arguments"));
            goto located;
        }
    }
    const gql_type *t1 = x->def ? x->def->type : NULL, *t2 = y->def ? y->def->type : NULL;
    if (t1 && t2 && types_conflict(t1, t2)) {
        char s1[256], s2[256];
        add_conflict(m, out, x->rname,
                     gql_strf("they return conflicting types \"%s\" and \"%s\"",
                              gql_type_str(t1, s1, sizeof s1), gql_type_str(t2, s2, sizeof s2)));
        goto located;
    }
    if (x->node->sel && y->node->sel && m->depth < MAX_DEPTH) {
        fmap a, b;
        memset(&a, 0, sizeof a);
        memset(&b, 0, sizeof b);
        collect(m, &a, x->node->sel, gql_named(t1));
        collect(m, &b, y->node->sel, gql_named(t2));
        expand_all(m, &a, a.frags, a.nfrags);
        expand_all(m, &b, b.frags, b.nfrags);
        conflicts sub;
        memset(&sub, 0, sizeof sub);
        m->depth++;
        between(m, &sub, exclusive, &a, &b);
        m->depth--;
        fmap_free(&a);
        fmap_free(&b);
        if (sub.n > 0) {
            size_t len = 1;
            for (size_t i = 0; i < sub.n; i++)
                len += strlen(sub.c[i].rname) + strlen(sub.c[i].reason) + 48;
            char *r = malloc(len);
            if (r) {
                r[0] = '\0';
                for (size_t i = 0; i < sub.n; i++) {
                    size_t l = strlen(r);
                    snprintf(r + l, len - l, "%ssubfields \"%s\" conflict because %s",
                             i ? " and " : "", sub.c[i].rname, sub.c[i].reason);
                }
            }
            add_conflict(m, out, x->rname, r);
            if (out->n > before) {
                conflict *c = &out->c[out->n - 1];
                nodes_add(m, &c->a, x->node);
                nodes_add(m, &c->b, y->node);
                for (size_t i = 0; i < sub.n; i++) {
                    for (size_t k = 0; k < sub.c[i].a.n; k++)
                        nodes_add(m, &c->a, sub.c[i].a.p[k]);
                    for (size_t k = 0; k < sub.c[i].b.n; k++)
                        nodes_add(m, &c->b, sub.c[i].b.p[k]);
                }
            }
        }
        conflicts_free(&sub);
        return;
    }
    return;
located:
    if (out->n > before) {
        nodes_add(m, &out->c[out->n - 1].a, x->node);
        nodes_add(m, &out->c[out->n - 1].b, y->node);
    }
}

static void between(mctx *m, conflicts *out, int exclusive, const fmap *a, const fmap *b)
{
    for (size_t i = 0; i < a->n && !m->oom; i++)
        for (size_t j = 0; j < b->n; j++)
            if (strcmp(a->e[i].rname, b->e[j].rname) == 0)
                find_conflict(m, out, exclusive, &a->e[i], &b->e[j]);
}

static void within(mctx *m, conflicts *out, const fmap *f)
{
    for (size_t i = 0; i < f->n && !m->oom; i++)
        for (size_t j = i + 1; j < f->n; j++)
            if (strcmp(f->e[i].rname, f->e[j].rname) == 0)
                find_conflict(m, out, 0, &f->e[i], &f->e[j]);
}

static void report(mctx *m, conflicts *cs)
{
    for (size_t i = 0; i < cs->n; i++) {
        conflict *c = &cs->c[i];
        const gql_node *at[64];
        size_t n = 0;
        for (size_t k = 0; k < c->a.n && n < 64; k++)
            at[n++] = c->a.p[k];
        for (size_t k = 0; k < c->b.n && n < 64; k++)
            at[n++] = c->b.p[k];
        gql_vreport(m->v, at, n,
                    "Fields \"%s\" conflict because %s. Use different aliases on the fields to "
                    "fetch both if this was intentional.",
                    c->rname, c->reason);
    }
}

static void selection_set(mctx *m, const gql_node *sel, const gql_type *parent)
{
    fmap own;
    memset(&own, 0, sizeof own);
    collect(m, &own, sel, parent);
    conflicts cs;
    memset(&cs, 0, sizeof cs);
    within(m, &cs, &own);
    fmap *frag = calloc(own.nfrags + 1, sizeof *frag);
    if (frag) {
        for (size_t i = 0; i < own.nfrags; i++) {
            expand_all(m, &frag[i], &own.frags[i], 1);
            between(m, &cs, 0, &own, &frag[i]);
        }
        for (size_t i = 0; i < own.nfrags; i++)
            for (size_t j = i + 1; j < own.nfrags; j++)
                between(m, &cs, 0, &frag[i], &frag[j]);
        for (size_t i = 0; i < own.nfrags; i++)
            fmap_free(&frag[i]);
        free(frag);
    }
    report(m, &cs);
    conflicts_free(&cs);
    fmap_free(&own);
}

static void walk(mctx *m, const gql_node *sel, const gql_type *parent)
{
    selection_set(m, sel, parent);
    for (const gql_node *s = sel; s && !m->v->aborted; s = s->next) {
        if (s->kind == GQL_FIELD && s->sel) {
            const gql_field *f = gql_field_def(m->v->schema, parent, s->name);
            walk(m, s->sel, f ? gql_named(f->type) : NULL);
        } else if (s->kind == GQL_INLINE_FRAGMENT) {
            walk(m, s->sel, s->type ? gql_schema_type(m->v->schema, s->type->name) : parent);
        }
    }
}

void gql_validate_merging(gql_vctx *v)
{
    mctx m = {v, 0, 0, 0};
    for (const gql_node *d = v->doc->defs; d && !v->aborted; d = d->next) {
        if (d->kind == GQL_OPERATION)
            walk(&m, d->sel, gql_op_root(v->schema, d));
        else if (d->kind == GQL_FRAGMENT_DEF)
            walk(&m, d->sel, gql_schema_type(v->schema, d->type->name));
    }
}
