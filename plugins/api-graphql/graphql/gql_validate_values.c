/*
 * gql_validate_values.c - validation rules about values and variables: values of correct type
 * (literals against the input type where they stand), input object field names, uniqueness,
 * required fields and OneOf, all variable uses defined, all variables used, all variable
 * usages allowed.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "gql_int.h"

/* ---- literals against input types ---------------------------------------------------------- */

static void report_printed(gql_vctx *v, const gql_node *at, const char *fmt, const char *a,
                           const gql_node *val)
{
    char *p = gql_print_value(val);
    char msg[1024];
    snprintf(msg, sizeof msg, fmt, a, p ? p : "?");
    free(p);
    gql_vreport(v, GQL_AT(at), "%s", msg);
}

static int int32_literal(const char *text)
{
    errno = 0;
    char *end;
    long long n = strtoll(text, &end, 10);
    return errno == 0 && *end == '\0' && n >= INT32_MIN && n <= INT32_MAX;
}

/* A leaf literal (not a variable) against scalar or enum t: graphql-js's parseLiteral. */
static void leaf_literal(gql_vctx *v, const gql_node *val, const gql_type *t,
                         const gql_type *location)
{
    char ts[256];
    if (t->kind == GQL_K_ENUM) {
        char *p = gql_print_value(val);
        char msg[1024];
        const char *names[256], *sugg[5];
        size_t n = 0, ns;
        for (size_t i = 0; i < t->nvalues && n < 256; i++)
            names[n++] = t->values[i].name;
        if (val->kind != GQL_ENUM) {
            snprintf(msg, sizeof msg, "Enum \"%s\" cannot represent non-enum value: %s.", t->name,
                     p ? p : "?");
            ns = gql_suggest(p ? p : "", names, n, sugg, 5);
        } else {
            size_t i = 0;
            while (i < t->nvalues && strcmp(t->values[i].name, val->text) != 0)
                i++;
            if (i < t->nvalues) {
                free(p);
                return;
            }
            snprintf(msg, sizeof msg, "Value \"%s\" does not exist in \"%s\" enum.", val->text,
                     t->name);
            ns = gql_suggest(val->text, names, n, sugg, 5);
        }
        free(p);
        gql_did_you_mean(msg, sizeof msg, "the enum value", sugg, ns);
        gql_vreport(v, GQL_AT(val), "%s", msg);
        return;
    }
    const char *name = t->name;
    if (!t->builtin)
        return; /* custom scalars accept any literal */
    if (strcmp(name, "Int") == 0) {
        if (val->kind != GQL_INT)
            report_printed(v, val, "%sInt cannot represent non-integer value: %s", "", val);
        else if (!int32_literal(val->text))
            gql_vreport(v, GQL_AT(val), "Int cannot represent non 32-bit signed integer value: %s",
                        val->text);
    } else if (strcmp(name, "Float") == 0) {
        if (val->kind != GQL_INT && val->kind != GQL_FLOAT)
            report_printed(v, val, "%sFloat cannot represent non numeric value: %s", "", val);
    } else if (strcmp(name, "String") == 0) {
        if (val->kind != GQL_STRING)
            report_printed(v, val, "%sString cannot represent a non string value: %s", "", val);
    } else if (strcmp(name, "Boolean") == 0) {
        if (val->kind != GQL_BOOLEAN)
            report_printed(v, val, "%sBoolean cannot represent a non boolean value: %s", "", val);
    } else if (strcmp(name, "ID") == 0) {
        if (val->kind != GQL_STRING && val->kind != GQL_INT)
            report_printed(v, val, "%sID cannot represent a non-string and non-integer value: %s",
                           "", val);
    }
    (void)ts, (void)location;
}

static void check_value(gql_vctx *v, const gql_node *val, const gql_type *type);

static void expected(gql_vctx *v, const gql_node *val, const gql_type *type)
{
    char ts[256];
    gql_type_str(type, ts, sizeof ts);
    report_printed(v, val, "Expected value of type \"%s\", found %s.", ts, val);
}

/* graphql-js isValidValueNode for a value that is not walked further. */
static void valid_value_node(gql_vctx *v, const gql_node *val, const gql_type *type)
{
    const gql_type *named = gql_named(type);
    if (!gql_is_leaf(named)) {
        expected(v, val, type);
        return;
    }
    leaf_literal(v, val, named, type);
}

static void check_object(gql_vctx *v, const gql_node *val, const gql_type *t)
{
    for (size_t i = 0; i < t->ninput_fields; i++) {
        const gql_input_value *f = &t->input_fields[i];
        const gql_node *fn = val->sel;
        while (fn && strcmp(fn->name, f->name) != 0)
            fn = fn->next;
        if (!fn && f->type->kind == GQL_K_NON_NULL && !f->default_value) {
            char ts[256];
            gql_type_str(f->type, ts, sizeof ts);
            gql_vreport(v, GQL_AT(val), "Field \"%s.%s\" of required type \"%s\" was not provided.",
                        t->name, f->name, ts);
        }
    }
    if (t->one_of) {
        size_t n = 0;
        for (const gql_node *fn = val->sel; fn; fn = fn->next)
            n++;
        if (n != 1) {
            gql_vreport(v, GQL_AT(val), "OneOf Input Object \"%s\" must specify exactly one key.",
                        t->name);
        } else if (val->sel->value->kind == GQL_NULL) {
            gql_vreport(v, GQL_AT(val), "Field \"%s.%s\" must be non-null.", t->name,
                        val->sel->name);
        }
    }
    for (const gql_node *fn = val->sel; fn; fn = fn->next) {
        /* UniqueInputFieldNames */
        for (const gql_node *e = val->sel; e != fn; e = e->next) {
            if (strcmp(e->name, fn->name) == 0) {
                gql_vreport(v, GQL_AT(e, fn), "There can be only one input field named \"%s\".",
                            fn->name);
                break;
            }
        }
        const gql_input_value *f = gql_type_input_field(t, fn->name);
        if (!f) {
            const char *names[256], *sugg[5];
            size_t n = 0;
            for (size_t i = 0; i < t->ninput_fields && n < 256; i++)
                names[n++] = t->input_fields[i].name;
            size_t ns = gql_suggest(fn->name, names, n, sugg, 5);
            char msg[640];
            snprintf(msg, sizeof msg, "Field \"%s\" is not defined by type \"%s\".", fn->name,
                     t->name);
            gql_did_you_mean(msg, sizeof msg, NULL, sugg, ns);
            gql_vreport(v, GQL_AT(fn), "%s", msg);
            /* graphql-js still walks the value with no type: only unique names are checked */
            check_value(v, fn->value, NULL);
            continue;
        }
        check_value(v, fn->value, f->type);
    }
}

/* Walk a value with the input type expected there (NULL when unknown). */
static void check_value(gql_vctx *v, const gql_node *val, const gql_type *type)
{
    if (v->aborted)
        return;
    switch (val->kind) {
    case GQL_VARIABLE:
        return;
    case GQL_NULL:
        if (type && type->kind == GQL_K_NON_NULL)
            expected(v, val, type);
        return;
    case GQL_LIST: {
        const gql_type *lt = type && type->kind == GQL_K_NON_NULL ? type->of_type : type;
        if (!lt || lt->kind != GQL_K_LIST) {
            if (type)
                valid_value_node(v, val, type);
            else /* unique input field names still hold in untyped values */
                for (const gql_node *i = val->sel; i; i = i->next)
                    check_value(v, i, NULL);
            return;
        }
        for (const gql_node *i = val->sel; i; i = i->next)
            check_value(v, i, lt->of_type);
        return;
    }
    case GQL_OBJECT: {
        const gql_type *nt = gql_named(type);
        if (!nt || nt->kind != GQL_K_INPUT_OBJECT) {
            if (type) {
                valid_value_node(v, val, type);
                return;
            }
            for (const gql_node *fn = val->sel; fn; fn = fn->next) {
                for (const gql_node *e = val->sel; e != fn; e = e->next) {
                    if (strcmp(e->name, fn->name) == 0) {
                        gql_vreport(v, GQL_AT(e, fn),
                                    "There can be only one input field named \"%s\".", fn->name);
                        break;
                    }
                }
                check_value(v, fn->value, NULL);
            }
            return;
        }
        check_object(v, val, nt);
        return;
    }
    default:
        if (type)
            valid_value_node(v, val, type);
        return;
    }
}

static void check_args(gql_vctx *v, const gql_node *args, const gql_input_value *defs, size_t ndefs)
{
    for (const gql_node *a = args; a; a = a->next) {
        const gql_type *t = NULL;
        for (size_t i = 0; i < ndefs; i++)
            if (strcmp(defs[i].name, a->name) == 0)
                t = defs[i].type;
        check_value(v, a->value, t);
    }
}

static void check_dirs(gql_vctx *v, const gql_node *dirs)
{
    for (const gql_node *d = dirs; d; d = d->next) {
        const gql_directive *def = gql_schema_directive(v->schema, d->name);
        check_args(v, d->args, def ? def->args : NULL, def ? def->nargs : 0);
    }
}

static void selection_values(gql_vctx *v, const gql_node *s, const gql_type *parent, void *user)
{
    (void)user;
    check_dirs(v, s->dirs);
    if (s->kind != GQL_FIELD)
        return;
    const gql_field *f = gql_field_def(v->schema, parent, s->name);
    check_args(v, s->args, f ? f->args : NULL, f ? f->nargs : 0);
}

/* ---- variable usages ----------------------------------------------------------------------- */

typedef struct usages {
    gql_var_usage *u;
    size_t n, cap;
    const gql_node **seen;
    size_t nseen;
    int oom;
} usages;

static void add_usage(usages *us, const gql_node *var, const gql_type *t, int has_default,
                      const gql_type *one_of)
{
    if (us->n == us->cap) {
        size_t cap = us->cap ? us->cap * 2 : 16;
        gql_var_usage *u = realloc(us->u, cap * sizeof *u);
        if (!u) {
            us->oom = 1;
            return;
        }
        us->u = u;
        us->cap = cap;
    }
    us->u[us->n++] = (gql_var_usage){var, t, has_default, one_of};
}

static void value_usages(usages *us, const gql_node *val, const gql_type *t, int has_default,
                         const gql_type *one_of)
{
    switch (val->kind) {
    case GQL_VARIABLE:
        add_usage(us, val, t, has_default, one_of);
        return;
    case GQL_LIST: {
        const gql_type *lt = t && t->kind == GQL_K_NON_NULL ? t->of_type : t;
        const gql_type *item = lt && lt->kind == GQL_K_LIST ? lt->of_type : lt;
        for (const gql_node *i = val->sel; i; i = i->next)
            value_usages(us, i, item, 0, NULL);
        return;
    }
    case GQL_OBJECT: {
        const gql_type *nt = gql_named(t);
        for (const gql_node *fn = val->sel; fn; fn = fn->next) {
            const gql_input_value *f =
                nt && nt->kind == GQL_K_INPUT_OBJECT ? gql_type_input_field(nt, fn->name) : NULL;
            value_usages(us, fn->value, f ? f->type : NULL, f && f->default_value,
                         f && nt->one_of ? nt : NULL);
        }
        return;
    }
    default:
        return;
    }
}

static void args_usages(usages *us, const gql_node *args, const gql_input_value *defs, size_t n)
{
    for (const gql_node *a = args; a; a = a->next) {
        const gql_input_value *d = NULL;
        for (size_t i = 0; i < n; i++)
            if (strcmp(defs[i].name, a->name) == 0)
                d = &defs[i];
        value_usages(us, a->value, d ? d->type : NULL, d && d->default_value, NULL);
    }
}

static void dirs_usages(gql_vctx *v, usages *us, const gql_node *dirs)
{
    for (const gql_node *d = dirs; d; d = d->next) {
        const gql_directive *def = gql_schema_directive(v->schema, d->name);
        args_usages(us, d->args, def ? def->args : NULL, def ? def->nargs : 0);
    }
}

static void set_usages(gql_vctx *v, usages *us, const gql_node *sel, const gql_type *parent,
                       const gql_node ***pending, size_t *npending)
{
    for (const gql_node *s = sel; s; s = s->next) {
        dirs_usages(v, us, s->dirs);
        if (s->kind == GQL_FIELD) {
            const gql_field *f = gql_field_def(v->schema, parent, s->name);
            args_usages(us, s->args, f ? f->args : NULL, f ? f->nargs : 0);
            if (s->sel)
                set_usages(v, us, s->sel, f ? gql_named(f->type) : NULL, pending, npending);
        } else if (s->kind == GQL_INLINE_FRAGMENT) {
            const gql_type *t = s->type ? gql_schema_type(v->schema, s->type->name) : parent;
            set_usages(v, us, s->sel, t, pending, npending);
        } else {
            const gql_node *f = gql_vfragment(v, s->name);
            int seen = 0;
            for (size_t i = 0; i < us->nseen && f; i++)
                seen |= us->seen[i] == f;
            if (f && !seen && us->nseen < v->nfrags) {
                us->seen[us->nseen++] = f;
                (*pending)[(*npending)++] = f;
            }
        }
    }
}

size_t gql_operation_usages(gql_vctx *v, const gql_node *op, gql_var_usage **out)
{
    usages us;
    memset(&us, 0, sizeof us);
    us.seen = malloc((v->nfrags + 1) * sizeof *us.seen);
    const gql_node **pending = malloc((v->nfrags + 1) * sizeof *pending);
    size_t npending = 0, next = 0;
    if (!us.seen || !pending) {
        free(us.seen);
        free(pending);
        *out = NULL;
        return 0;
    }
    dirs_usages(v, &us, op->dirs);
    set_usages(v, &us, op->sel, gql_op_root(v->schema, op), &pending, &npending);
    while (next < npending) { /* fragments in the order they are first reached */
        const gql_node *f = pending[next++];
        dirs_usages(v, &us, f->dirs);
        set_usages(v, &us, f->sel, gql_schema_type(v->schema, f->type->name), &pending, &npending);
    }
    free(us.seen);
    free(pending);
    *out = us.u;
    return us.n;
}

static int subtype_of(const gql_type *sub, const gql_type *super)
{
    if (sub == super)
        return 1;
    if (super->kind == GQL_K_NON_NULL)
        return sub->kind == GQL_K_NON_NULL && subtype_of(sub->of_type, super->of_type);
    if (sub->kind == GQL_K_NON_NULL)
        return subtype_of(sub->of_type, super);
    if (super->kind == GQL_K_LIST)
        return sub->kind == GQL_K_LIST && subtype_of(sub->of_type, super->of_type);
    return 0;
}

static void operation_variables(gql_vctx *v, const gql_node *op)
{
    gql_var_usage *u = NULL;
    size_t n = gql_operation_usages(v, op, &u);
    for (size_t i = 0; i < n; i++) {
        const gql_node *def = NULL; /* the last definition of the name, as graphql-js */
        for (const gql_node *a = op->args; a; a = a->next)
            if (strcmp(a->name, u[i].var->name) == 0)
                def = a;
        if (!def) {
            if (op->name)
                gql_vreport(v, GQL_AT(u[i].var, op),
                            "Variable \"$%s\" is not defined by operation \"%s\".", u[i].var->name,
                            op->name);
            else
                gql_vreport(v, GQL_AT(u[i].var, op), "Variable \"$%s\" is not defined.",
                            u[i].var->name);
            continue;
        }
        const gql_type *vt = gql_type_from_ast(v->schema, def->type);
        const gql_type *lt = u[i].type;
        if (!vt || !lt)
            continue;
        int ok;
        if (lt->kind == GQL_K_NON_NULL && vt->kind != GQL_K_NON_NULL) {
            int var_default = def->value && def->value->kind != GQL_NULL;
            ok = (var_default || u[i].has_default) && subtype_of(vt, lt->of_type);
        } else {
            ok = subtype_of(vt, lt);
        }
        char vs[256], ls[256];
        gql_type_str(vt, vs, sizeof vs);
        gql_type_str(lt, ls, sizeof ls);
        if (!ok)
            gql_vreport(v, GQL_AT(def, u[i].var),
                        "Variable \"$%s\" of type \"%s\" used in position expecting type \"%s\".",
                        def->name, vs, ls);
        else if (u[i].one_of_parent && vt->kind != GQL_K_NON_NULL)
            gql_vreport(v, GQL_AT(def, u[i].var),
                        "Variable \"$%s\" is of type \"%s\" but must be non-nullable to be used "
                        "for OneOf Input Object \"%s\".",
                        def->name, vs, u[i].one_of_parent->name);
    }
    for (const gql_node *def = op->args; def; def = def->next) {
        size_t i = 0;
        while (i < n && strcmp(u[i].var->name, def->name) != 0)
            i++;
        if (i < n)
            continue;
        if (op->name)
            gql_vreport(v, GQL_AT(def), "Variable \"$%s\" is never used in operation \"%s\".",
                        def->name, op->name);
        else
            gql_vreport(v, GQL_AT(def), "Variable \"$%s\" is never used.", def->name);
    }
    free(u);
}

void gql_validate_values(gql_vctx *v)
{
    for (const gql_node *d = v->doc->defs; d; d = d->next) {
        if (d->kind == GQL_OPERATION) {
            check_dirs(v, d->dirs);
            for (const gql_node *a = d->args; a; a = a->next) {
                check_dirs(v, a->dirs);
                if (a->value) {
                    const gql_type *t = gql_type_from_ast(v->schema, a->type);
                    check_value(v, a->value, gql_is_input_type(t) ? t : NULL);
                }
            }
        } else if (d->kind == GQL_FRAGMENT_DEF) {
            check_dirs(v, d->dirs);
        }
    }
    gql_walk_selections(v, selection_values, NULL);
    for (const gql_node *d = v->doc->defs; d && !v->aborted; d = d->next)
        if (d->kind == GQL_OPERATION)
            operation_variables(v, d);
}
