/*
 * gql_validate_fields.c - validation rules about what a selection asks of its type: fields on
 * correct type, leaf field selections, argument names, uniqueness and required arguments
 * (fields and directives), fragment spread is possible.
 */
#include <stdlib.h>
#include <string.h>

#include "gql_int.h"

static void unknown_field(gql_vctx *v, const gql_node *f, const gql_type *t)
{
    char msg[640];
    snprintf(msg, sizeof msg, "Cannot query field \"%s\" on type \"%s\".", f->name, t->name);
    const char *sugg[5];
    size_t ns = 0;
    if (gql_is_abstract(t)) {
        /* types among the possible ones that have the field: interfaces first by how many
         * implementations share them, then objects (graphql-js getSuggestedTypeNames) */
        const char *names[64];
        size_t counts[64];
        int iface[64];
        size_t n = 0;
        for (size_t i = 0; i < t->npossible; i++) {
            const gql_type *p = t->possible[i];
            if (!gql_type_field(p, f->name) || n >= 64)
                continue;
            names[n] = p->name, counts[n] = 1, iface[n] = 0, n++;
            for (size_t k = 0; k < p->ninterfaces; k++) {
                const gql_type *in = p->interfaces[k];
                if (!gql_type_field(in, f->name))
                    continue;
                size_t j = 0;
                while (j < n && strcmp(names[j], in->name) != 0)
                    j++;
                if (j < n) {
                    counts[j]++;
                } else if (n < 64) {
                    names[n] = in->name, counts[n] = 1, iface[n] = 1, n++;
                }
            }
        }
        /* sort: interfaces before objects... graphql-js: by usage count desc, then
         * interface-before-object when one is a subtype, then name */
        for (size_t i = 1; i < n; i++) {
            for (size_t j = i; j > 0; j--) {
                int swap = counts[j] > counts[j - 1] ||
                           (counts[j] == counts[j - 1] && iface[j] && !iface[j - 1]) ||
                           (counts[j] == counts[j - 1] && iface[j] == iface[j - 1] &&
                            strcmp(names[j], names[j - 1]) < 0);
                if (!swap)
                    break;
                const char *tn = names[j];
                names[j] = names[j - 1], names[j - 1] = tn;
                size_t tc = counts[j];
                counts[j] = counts[j - 1], counts[j - 1] = tc;
                int ti = iface[j];
                iface[j] = iface[j - 1], iface[j - 1] = ti;
            }
        }
        ns = n > 5 ? 5 : n;
        if (ns) {
            gql_did_you_mean(msg, sizeof msg, "to use an inline fragment on", names, ns);
            gql_vreport(v, GQL_AT(f), "%s", msg);
            return;
        }
    }
    if (t->kind == GQL_K_OBJECT || t->kind == GQL_K_INTERFACE) {
        const char *names[256];
        size_t n = 0;
        for (size_t i = 0; i < t->nfields && n < 256; i++)
            names[n++] = t->fields[i].name;
        ns = gql_suggest(f->name, names, n, sugg, 5);
        gql_did_you_mean(msg, sizeof msg, NULL, sugg, ns);
    }
    gql_vreport(v, GQL_AT(f), "%s", msg);
}

static void arguments(gql_vctx *v, const gql_node *args, const gql_input_value *defs, size_t ndefs,
                      const char *owner_kind, const char *owner, const gql_node *at, int known)
{
    for (const gql_node *a = args; a; a = a->next) {
        int first = 1;
        for (const gql_node *b = args; b != a; b = b->next)
            first &= strcmp(a->name, b->name) != 0;
        if (first) {
            const gql_node *dups[8];
            size_t n = 0;
            for (const gql_node *b = a; b; b = b->next)
                if (strcmp(a->name, b->name) == 0 && n < 8)
                    dups[n++] = b;
            if (n > 1)
                gql_vreport(v, dups, n, "There can be only one argument named \"%s\".", a->name);
        }
        if (!known)
            continue;
        size_t i = 0;
        while (i < ndefs && strcmp(defs[i].name, a->name) != 0)
            i++;
        if (i < ndefs)
            continue;
        const char *names[64], *sugg[5];
        size_t nn = 0;
        for (size_t k = 0; k < ndefs && nn < 64; k++)
            names[nn++] = defs[k].name;
        size_t ns = gql_suggest(a->name, names, nn, sugg, 5);
        char msg[640];
        snprintf(msg, sizeof msg, "Unknown argument \"%s\" on %s \"%s\".", a->name, owner_kind,
                 owner);
        gql_did_you_mean(msg, sizeof msg, NULL, sugg, ns);
        gql_vreport(v, GQL_AT(a), "%s", msg);
    }
    if (!known)
        return;
    for (size_t i = 0; i < ndefs; i++) {
        if (defs[i].type->kind != GQL_K_NON_NULL || defs[i].default_value)
            continue;
        const gql_node *a = args;
        while (a && strcmp(a->name, defs[i].name) != 0)
            a = a->next;
        if (a)
            continue;
        char ts[256];
        gql_type_str(defs[i].type, ts, sizeof ts);
        if (strcmp(owner_kind, "field") == 0)
            gql_vreport(v, GQL_AT(at),
                        "Field \"%s\" argument \"%s\" of type \"%s\" is required, but it was not "
                        "provided.",
                        strchr(owner, '.') + 1, defs[i].name, ts);
        else
            gql_vreport(v, GQL_AT(at),
                        "Directive \"%s\" argument \"%s\" of type \"%s\" is required, but it was "
                        "not provided.",
                        owner, defs[i].name, ts);
    }
}

static void directive_args(gql_vctx *v, const gql_node *dirs)
{
    for (const gql_node *d = dirs; d; d = d->next) {
        const gql_directive *def = gql_schema_directive(v->schema, d->name);
        char owner[256];
        snprintf(owner, sizeof owner, "@%s", d->name);
        arguments(v, d->args, def ? def->args : NULL, def ? def->nargs : 0, "directive", owner, d,
                  def != NULL);
    }
}

static int types_overlap(const gql_type *a, const gql_type *b)
{
    if (a == b)
        return 1;
    if (gql_is_abstract(a)) {
        if (gql_is_abstract(b)) {
            for (size_t i = 0; i < b->npossible; i++)
                if (gql_is_possible(a, b->possible[i]))
                    return 1;
            return 0;
        }
        return gql_is_possible(a, b);
    }
    if (gql_is_abstract(b))
        return gql_is_possible(b, a);
    return 0;
}

static void selection(gql_vctx *v, const gql_node *s, const gql_type *parent, void *user)
{
    (void)user;
    directive_args(v, s->dirs);
    if (s->kind == GQL_FIELD) {
        const gql_field *f = gql_field_def(v->schema, parent, s->name);
        if (!f) {
            if (gql_is_composite(parent))
                unknown_field(v, s, parent);
            arguments(v, s->args, NULL, 0, "field", "", s, 0);
            return;
        }
        char owner[512];
        snprintf(owner, sizeof owner, "%s.%s", parent->name, f->name);
        arguments(v, s->args, f->args, f->nargs, "field", owner, s, 1);
        const gql_type *nt = gql_named(f->type);
        char ts[256];
        gql_type_str(f->type, ts, sizeof ts);
        if (gql_is_leaf(nt) && s->sel)
            gql_vreport(v, GQL_AT(gql_sel_at(s)),
                        "Field \"%s\" must not have a selection since type \"%s\" has no "
                        "subfields.",
                        s->name, ts);
        else if (!gql_is_leaf(nt) && !s->sel)
            gql_vreport(v, GQL_AT(s),
                        "Field \"%s\" of type \"%s\" must have a selection of subfields. Did you "
                        "mean \"%s { ... }\"?",
                        s->name, ts, s->name);
        return;
    }
    if (!gql_is_composite(parent))
        return;
    const gql_type *ft = NULL;
    char fname[300] = "";
    if (s->kind == GQL_INLINE_FRAGMENT) {
        ft = s->type ? gql_schema_type(v->schema, s->type->name) : NULL;
    } else {
        const gql_node *fd = gql_vfragment(v, s->name);
        ft = fd ? gql_schema_type(v->schema, fd->type->name) : NULL;
        snprintf(fname, sizeof fname, "\"%s\" ", s->name);
    }
    if (!ft || !gql_is_composite(ft) || types_overlap(ft, parent))
        return;
    gql_vreport(v, GQL_AT(s),
                "Fragment %scannot be spread here as objects of type \"%s\" can never be of type "
                "\"%s\".",
                fname, parent->name, ft->name);
}

void gql_validate_fields(gql_vctx *v)
{
    for (const gql_node *d = v->doc->defs; d; d = d->next) {
        if (d->kind == GQL_OPERATION) {
            directive_args(v, d->dirs);
            for (const gql_node *a = d->args; a; a = a->next)
                directive_args(v, a->dirs);
        } else if (d->kind == GQL_FRAGMENT_DEF) {
            directive_args(v, d->dirs);
        }
    }
    gql_walk_selections(v, selection, NULL);
}
