/*
 * gql_exec.c - execution (specification section 6): the operation chosen, variables coerced,
 * fields collected (fragments, inline fragments, @skip/@include), resolvers called, values
 * completed against their types, errors with message, locations and path, and null
 * propagated to the nearest nullable parent.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gql_int.h"

typedef struct path {
    const struct path *prev;
    const char *key; /* or NULL for an index */
    size_t index;
} path;

typedef struct exec {
    const gql_schema *s;
    const gql_doc *doc;
    const gql_request *req;
    json_object *vars;
    json_object *errors;
    gql_op op;
    int oom;
} exec;

/* ---- errors -------------------------------------------------------------------------------- */

static json_object *path_json(const path *p)
{
    const path *segs[512];
    size_t n = 0;
    for (; p && n < 512; p = p->prev)
        segs[n++] = p;
    json_object *a = json_object_new_array();
    while (n > 0) {
        const path *q = segs[--n];
        json_object_array_add(a, q->key ? json_object_new_string(q->key)
                                        : json_object_new_int64((int64_t)q->index));
    }
    return a;
}

static void field_error(exec *x, const gql_node *at, const path *p, const char *msg,
                        const char *code)
{
    json_object *e = gql_error_new(msg, at ? at->line : 0, at ? at->col : 0, path_json(p));
    if (code) {
        json_object *ext = json_object_new_object();
        json_object_object_add(ext, "code", json_object_new_string(code));
        json_object_object_add(e, "extensions", ext);
    }
    json_object_array_add(x->errors, e);
}

static void value_release(gql_value *v)
{
    if (v->json)
        json_object_put(v->json);
    if (v->ptr && v->ptr_free)
        v->ptr_free(v->ptr);
    for (size_t i = 0; i < v->nitems; i++)
        value_release(&v->items[i]);
    free(v->items);
    memset(v, 0, sizeof *v);
}

/* ---- operations and variables -------------------------------------------------------------- */

const gql_node *gql_find_operation(const gql_doc *doc, const char *name, char *err, size_t size)
{
    const gql_node *found = NULL;
    size_t n = 0;
    for (const gql_node *d = doc->defs; d; d = d->next) {
        if (d->kind != GQL_OPERATION)
            continue;
        n++;
        if (name && d->name && strcmp(d->name, name) == 0)
            return d;
        if (!name)
            found = d;
    }
    if (name)
        snprintf(err, size, "Unknown operation named \"%s\".", name);
    else if (n == 0)
        snprintf(err, size, "Must provide an operation.");
    else if (n > 1)
        snprintf(err, size, "Must provide operation name if query contains multiple operations.");
    else
        return found;
    return NULL;
}

static int coerce_variables(exec *x, const gql_node *op)
{
    x->vars = json_object_new_object();
    json_object *given = x->req->variables;
    int failed = 0;
    for (const gql_node *d = op->args; d; d = d->next) {
        const gql_type *t = gql_type_from_ast(x->s, d->type);
        char ts[256], msg[1024];
        gql_type_str(t, ts, sizeof ts);
        if (!gql_is_input_type(t)) {
            snprintf(msg, sizeof msg,
                     "Variable \"$%s\" expected value of type \"%s\" which cannot be used as an "
                     "input type.",
                     d->name, ts);
            json_object_array_add(x->errors, gql_error_new(msg, d->line, d->col, NULL));
            failed = 1;
            continue;
        }
        gql_type_str(t, ts, sizeof ts);
        json_object *val = NULL;
        int has = given && json_object_object_get_ex(given, d->name, &val);
        if (!has) {
            if (d->value) {
                json_object *dv = NULL;
                int absent;
                if (gql_coerce_literal(x->s, d->value, t, NULL, &dv, &absent, msg, sizeof msg) == 0)
                    json_object_object_add(x->vars, d->name, dv);
            } else if (t->kind == GQL_K_NON_NULL) {
                snprintf(msg, sizeof msg,
                         "Variable \"$%s\" of required type \"%s\" was not provided.", d->name, ts);
                json_object_array_add(x->errors, gql_error_new(msg, d->line, d->col, NULL));
                failed = 1;
            }
            continue;
        }
        if (!val && t->kind == GQL_K_NON_NULL) {
            snprintf(msg, sizeof msg, "Variable \"$%s\" of non-null type \"%s\" must not be null.",
                     d->name, ts);
            json_object_array_add(x->errors, gql_error_new(msg, d->line, d->col, NULL));
            failed = 1;
            continue;
        }
        json_object *out = NULL;
        char m[768];
        if (gql_coerce_input(x->s, val, t, &out, m, sizeof m) < 0) {
            /* m: PATH \t VALUE \t MESSAGE */
            char *tab = strchr(m, '\t');
            char *tab2 = tab ? strchr(tab + 1, '\t') : NULL;
            if (!tab2) {
                snprintf(msg, sizeof msg, "Variable \"$%s\" got invalid value.", d->name);
            } else {
                *tab = *tab2 = '\0';
                if (m[0])
                    snprintf(msg, sizeof msg,
                             "Variable \"$%s\" got invalid value %s at \"%s%s\"; %s", d->name,
                             tab + 1, d->name, m, tab2 + 1);
                else
                    snprintf(msg, sizeof msg, "Variable \"$%s\" got invalid value %s; %s", d->name,
                             tab + 1, tab2 + 1);
            }
            json_object_array_add(x->errors, gql_error_new(msg, d->line, d->col, NULL));
            failed = 1;
            continue;
        }
        json_object_object_add(x->vars, d->name, out);
    }
    return failed ? -1 : 0;
}

/* ---- collecting fields --------------------------------------------------------------------- */

typedef struct group {
    const char *rname;
    const gql_node **nodes;
    size_t n, cap;
} group;

typedef struct groups {
    group *g;
    size_t n, cap;
    const gql_node **seen;
    size_t nseen, seencap;
} groups;

static int does_apply(exec *x, const gql_node *cond, const gql_type *obj)
{
    if (!cond)
        return 1;
    const gql_type *t = gql_schema_type(x->s, cond->name);
    if (!t)
        return 0;
    if (t == obj)
        return 1;
    return gql_is_abstract(t) && gql_is_possible(t, obj);
}

static int grow(void **p, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return 0;
    size_t c = *cap ? *cap * 2 : 8;
    void *q = realloc(*p, c * size);
    if (!q)
        return -1;
    *p = q;
    *cap = c;
    return 0;
}

static int collect(exec *x, groups *gs, const gql_type *obj, const gql_node *sel)
{
    for (const gql_node *s = sel; s; s = s->next) {
        if (!gql_should_include(x->s, s, x->vars))
            continue;
        if (s->kind == GQL_FIELD) {
            const char *rn = s->alias ? s->alias : s->name;
            size_t i = 0;
            while (i < gs->n && strcmp(gs->g[i].rname, rn) != 0)
                i++;
            if (i == gs->n) {
                if (grow((void **)&gs->g, &gs->cap, gs->n, sizeof *gs->g) < 0)
                    return -1;
                memset(&gs->g[gs->n], 0, sizeof(group));
                gs->g[gs->n++].rname = rn;
            }
            group *g = &gs->g[i];
            if (grow((void **)&g->nodes, &g->cap, g->n, sizeof *g->nodes) < 0)
                return -1;
            g->nodes[g->n++] = s;
        } else if (s->kind == GQL_INLINE_FRAGMENT) {
            if (does_apply(x, s->type, obj) && collect(x, gs, obj, s->sel) < 0)
                return -1;
        } else {
            const gql_node *f = NULL;
            for (const gql_node *d = x->doc->defs; d; d = d->next)
                if (d->kind == GQL_FRAGMENT_DEF && strcmp(d->name, s->name) == 0) {
                    f = d;
                    break;
                }
            int seen = 0;
            for (size_t i = 0; i < gs->nseen; i++)
                seen |= gs->seen[i] == f;
            if (!f || seen || !does_apply(x, f->type, obj))
                continue;
            if (grow((void **)&gs->seen, &gs->seencap, gs->nseen, sizeof *gs->seen) < 0)
                return -1;
            gs->seen[gs->nseen++] = f;
            if (collect(x, gs, obj, f->sel) < 0)
                return -1;
        }
    }
    return 0;
}

static void groups_free(groups *gs)
{
    for (size_t i = 0; i < gs->n; i++)
        free(gs->g[i].nodes);
    free(gs->g);
    free(gs->seen);
}

/* ---- completing values --------------------------------------------------------------------- */

static int execute_set(exec *x, const gql_type *obj, const gql_node *const *nodes, size_t nnodes,
                       const gql_value *parent, const path *p, json_object **out);

/* A string as JavaScript's Number() reads it for graphql-js's serializers ("" is not a number
 * here); NAN when it is not one. */
static double js_number(const char *s)
{
    while (*s == ' ' || *s == '\t' || *s == '\n')
        s++;
    if (!*s)
        return NAN;
    char *end;
    double d = strtod(s, &end);
    while (*end == ' ' || *end == '\t' || *end == '\n')
        end++;
    return *end ? NAN : d;
}

/* Serialize a leaf value: 0 with *out, -1 with msg. */
static int serialize(const gql_type *t, json_object *j, json_object **out, char *msg, size_t size)
{
    json_type jt = json_object_get_type(j);
    char *shown = NULL;
    int rc = 0;
    if (t->kind == GQL_K_ENUM) {
        const char *s = jt == json_type_string ? json_object_get_string(j) : NULL;
        size_t i = 0;
        while (s && i < t->nvalues && strcmp(t->values[i].name, s) != 0)
            i++;
        if (!s || i == t->nvalues) {
            shown = gql_json_inspect(j);
            snprintf(msg, size, "Enum \"%s\" cannot represent value: %s", t->name,
                     shown ? shown : "?");
            rc = -1;
        } else {
            *out = json_object_get(j);
        }
    } else if (!t->builtin) {
        *out = json_object_get(j);
    } else if (strcmp(t->name, "Int") == 0) {
        double d = jt == json_type_int       ? (double)json_object_get_int64(j)
                   : jt == json_type_double  ? json_object_get_double(j)
                   : jt == json_type_boolean ? (double)json_object_get_boolean(j)
                   : jt == json_type_string  ? js_number(json_object_get_string(j))
                                             : NAN;
        if (isnan(d) || d != floor(d) || d < -2147483648.0 || d > 2147483647.0) {
            shown = gql_json_inspect(j);
            snprintf(msg, size, "Int cannot represent %s value: %s",
                     (!isnan(d) && d == floor(d)) ? "non 32-bit signed integer" : "non-integer",
                     shown ? shown : "?");
            rc = -1;
        } else {
            *out = json_object_new_int((int32_t)d);
        }
    } else if (strcmp(t->name, "Float") == 0) {
        double d = jt == json_type_string    ? js_number(json_object_get_string(j))
                   : jt == json_type_boolean ? (double)json_object_get_boolean(j)
                                             : json_object_get_double(j);
        if (jt == json_type_int || jt == json_type_double ||
            (jt == json_type_string && isfinite(d)) || jt == json_type_boolean) {
            /* printed as JavaScript prints numbers (4, not 4.0), as graphql-js answers */
            char num[64];
            gql_js_number(d, num, sizeof num);
            *out = isfinite(d) ? json_object_new_double_s(d, num) : NULL;
            if (!*out) {
                shown = gql_json_inspect(j);
                snprintf(msg, size, "Float cannot represent non numeric value: %s",
                         shown ? shown : "?");
                rc = -1;
            }
        } else {
            shown = gql_json_inspect(j);
            snprintf(msg, size, "Float cannot represent non numeric value: %s",
                     shown ? shown : "?");
            rc = -1;
        }
    } else if (strcmp(t->name, "Boolean") == 0) {
        if (jt == json_type_boolean) {
            *out = json_object_get(j);
        } else if (jt == json_type_int || jt == json_type_double) {
            *out = json_object_new_boolean(json_object_get_double(j) != 0);
        } else {
            shown = gql_json_inspect(j);
            snprintf(msg, size, "Boolean cannot represent a non boolean value: %s",
                     shown ? shown : "?");
            rc = -1;
        }
    } else { /* String, ID */
        if (jt == json_type_string) {
            *out = json_object_get(j);
        } else if (jt == json_type_int || jt == json_type_double ||
                   (jt == json_type_boolean && strcmp(t->name, "String") == 0)) {
            *out =
                json_object_new_string(json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN));
        } else {
            shown = gql_json_inspect(j);
            snprintf(msg, size, "%s cannot represent value: %s", t->name, shown ? shown : "?");
            rc = -1;
        }
    }
    free(shown);
    return rc;
}

static const gql_type *resolve_abstract(exec *x, const gql_type *abs, const gql_value *v,
                                        const gql_node *at, const path *p, const char *parent)
{
    const char *name = NULL;
    if (abs->resolve_type)
        name = abs->resolve_type(v, abs, x->req->context);
    else if (v->json) {
        json_object *tn;
        if (json_object_object_get_ex(v->json, "__typename", &tn))
            name = json_object_get_string(tn);
    }
    char msg[512];
    const gql_type *t = name ? gql_schema_type(x->s, name) : NULL;
    if (!name) {
        snprintf(msg, sizeof msg,
                 "Abstract type \"%s\" must resolve to an Object type at runtime for field "
                 "\"%s.%s\". Either the \"%s\" type should provide a \"resolveType\" function or "
                 "each possible type should provide an \"isTypeOf\" function.",
                 abs->name, parent, at->name, abs->name);
    } else if (!t || t->kind != GQL_K_OBJECT) {
        snprintf(msg, sizeof msg,
                 "Abstract type \"%s\" was resolved to a type \"%s\" that does not exist inside "
                 "the schema.",
                 abs->name, name);
        t = NULL;
    } else if (!gql_is_possible(abs, t)) {
        snprintf(msg, sizeof msg, "Runtime Object type \"%s\" is not a possible type for \"%s\".",
                 t->name, abs->name);
        t = NULL;
    }
    if (!t)
        field_error(x, at, p, msg, NULL);
    return t;
}

static int is_null(const gql_value *v)
{
    return !v->is_list && !v->ptr && (!v->json || json_object_is_type(v->json, json_type_null));
}

/* Complete a value of type t: 0 with *out (NULL is null), -1 when null must propagate (an
 * error has been recorded). */
static int complete(exec *x, const gql_type *t, const gql_node *const *nodes, size_t nnodes,
                    const gql_value *v, const path *p, const char *parent_name, json_object **out)
{
    *out = NULL;
    if (t->kind == GQL_K_NON_NULL) {
        if (complete(x, t->of_type, nodes, nnodes, v, p, parent_name, out) < 0)
            return -1;
        if (!*out) {
            char msg[512];
            snprintf(msg, sizeof msg, "Cannot return null for non-nullable field %s.%s.",
                     parent_name, nodes[0]->name);
            /* only when the inner completion did not already report */
            if (is_null(v))
                field_error(x, nodes[0], p, msg, NULL);
            return -1;
        }
        return 0;
    }
    if (is_null(v))
        return 0;
    if (t->kind == GQL_K_LIST) {
        size_t n;
        int json_list = !v->is_list;
        if (json_list) {
            if (!v->json || !json_object_is_type(v->json, json_type_array)) {
                char msg[512];
                snprintf(msg, sizeof msg,
                         "Expected Iterable, but did not find one for field \"%s.%s\".",
                         parent_name, nodes[0]->name);
                field_error(x, nodes[0], p, msg, NULL);
                return 0;
            }
            n = json_object_array_length(v->json);
        } else {
            n = v->nitems;
        }
        json_object *arr = json_object_new_array();
        for (size_t i = 0; i < n; i++) {
            gql_value item;
            memset(&item, 0, sizeof item);
            if (json_list)
                item.json = json_object_array_get_idx(v->json, i); /* borrowed */
            path ip = {p, NULL, i};
            json_object *o = NULL;
            if (complete(x, t->of_type, nodes, nnodes, json_list ? &item : &v->items[i], &ip,
                         parent_name, &o) < 0) {
                json_object_put(arr); /* a non-null item is null: the list is null */
                return 0;
            }
            json_object_array_add(arr, o);
        }
        *out = arr;
        return 0;
    }
    if (gql_is_leaf(t)) {
        char msg[512];
        if (!v->json) {
            snprintf(msg, sizeof msg, "%s cannot represent an opaque value", t->name);
            field_error(x, nodes[0], p, msg, NULL);
            return 0;
        }
        if (serialize(t, v->json, out, msg, sizeof msg) < 0) {
            field_error(x, nodes[0], p, msg, NULL);
            *out = NULL;
        }
        return 0;
    }
    const gql_type *obj = t;
    if (gql_is_abstract(t)) {
        obj = resolve_abstract(x, t, v, nodes[0], p, parent_name);
        if (!obj)
            return 0;
    }
    /* the merged sub-selections of every field node */
    const gql_node **subs = malloc(nnodes * sizeof *subs);
    if (!subs) {
        x->oom = 1;
        return 0;
    }
    size_t ns = 0;
    for (size_t i = 0; i < nnodes; i++)
        if (nodes[i]->sel)
            subs[ns++] = nodes[i]->sel;
    if (execute_set(x, obj, subs, ns, v, p, out) < 0)
        *out = NULL; /* a non-null field inside is null: this object is null */
    free(subs);
    return 0;
}

static int default_resolve(gql_resolve_info *info, gql_value *out)
{
    json_object *j;
    if (info->parent->json && json_object_is_type(info->parent->json, json_type_object) &&
        json_object_object_get_ex(info->parent->json, info->field->name, &j))
        out->json = json_object_get(j);
    return 0;
}

static int execute_field(exec *x, const gql_type *obj, const group *g, const gql_value *parent,
                         const path *p, json_object **out)
{
    *out = NULL;
    const gql_node *fn = g->nodes[0];
    path fp = {p, g->rname, 0};
    if (strcmp(fn->name, "__typename") == 0) {
        *out = json_object_new_string(obj->name);
        return 0;
    }
    const gql_field *f = gql_field_def(x->s, obj, fn->name);
    if (!f)
        return 0; /* validation rejects this; nothing to resolve */
    json_object *args = NULL;
    char msg[1024];
    if (gql_coerce_args(x->s, f->args, f->nargs, fn->args, x->vars, &args, msg, sizeof msg) < 0) {
        field_error(x, fn, &fp, msg, NULL);
        return f->type->kind == GQL_K_NON_NULL ? -1 : 0;
    }
    gql_resolve_info info;
    memset(&info, 0, sizeof info);
    info.schema = x->s;
    info.parent_type = obj;
    info.field = f;
    info.parent = parent;
    info.args = args;
    info.context = x->req->context;
    info.data = f->data;
    info.node = fn;
    info.operation = x->op;
    gql_value v;
    memset(&v, 0, sizeof v);
    gql_resolve_fn fnp = f->resolve;
    if (f == &x->s->meta[0] || f == &x->s->meta[1])
        fnp = gql_introspect_resolve;
    int rc = (fnp ? fnp : default_resolve)(&info, &v);
    if (rc < 0) {
        /* the code may point into the arguments: they are released after it is copied */
        field_error(x, fn, &fp, info.error ? info.error : "resolver failed", info.error_code);
        json_object_put(args);
        free(info.error);
        value_release(&v);
        return f->type->kind == GQL_K_NON_NULL ? -1 : 0;
    }
    json_object_put(args);
    free(info.error);
    rc = complete(x, f->type, g->nodes, g->n, &v, &fp, obj->name, out);
    value_release(&v);
    return rc;
}

static int execute_set(exec *x, const gql_type *obj, const gql_node *const *sets, size_t nsets,
                       const gql_value *parent, const path *p, json_object **out)
{
    groups gs;
    memset(&gs, 0, sizeof gs);
    for (size_t i = 0; i < nsets; i++) {
        if (collect(x, &gs, obj, sets[i]) < 0) {
            x->oom = 1;
            break;
        }
    }
    json_object *o = json_object_new_object();
    int rc = 0;
    for (size_t i = 0; i < gs.n && !x->oom; i++) {
        json_object *fv = NULL;
        if (execute_field(x, obj, &gs.g[i], parent, p, &fv) < 0) {
            rc = -1;
            break;
        }
        json_object_object_add(o, gs.g[i].rname, fv);
    }
    groups_free(&gs);
    if (rc < 0) {
        json_object_put(o);
        return -1;
    }
    *out = o;
    return 0;
}

json_object *gql_execute(const gql_schema *s, const gql_doc *doc, const gql_request *req,
                         gql_outcome *outcome)
{
    exec x;
    memset(&x, 0, sizeof x);
    x.s = s;
    x.doc = doc;
    x.req = req;
    x.errors = json_object_new_array();
    json_object *reply = json_object_new_object();
    gql_outcome oc = GQL_OUT_REQUEST_ERROR;
    char err[512];
    const gql_node *op = gql_find_operation(doc, req->operation_name, err, sizeof err);
    const gql_type *root = op ? gql_op_root(s, op) : NULL;
    if (!op) {
        json_object_array_add(x.errors, gql_error_new(err, 0, 0, NULL));
    } else if (!root) {
        snprintf(err, sizeof err, "Schema is not configured to execute %s operation.",
                 op->flag == GQL_MUTATION ? "mutation" : "subscription");
        json_object_array_add(x.errors, gql_error_new(err, op->line, op->col, NULL));
    } else if (coerce_variables(&x, op) == 0) {
        x.op = (gql_op)op->flag;
        json_object *data = NULL;
        const gql_node *sets[1] = {op->sel};
        if (execute_set(&x, root, sets, 1, &req->root, NULL, &data) < 0)
            data = NULL;
        json_object_object_add(reply, "data", data);
        oc = x.oom ? GQL_OUT_INTERNAL : GQL_OUT_DATA;
    }
    if (json_object_array_length(x.errors) > 0)
        json_object_object_add(reply, "errors", x.errors);
    else
        json_object_put(x.errors);
    json_object_put(x.vars);
    if (outcome)
        *outcome = oc;
    return reply;
}

int gql_subscription_source(const gql_schema *s, const gql_doc *doc, const gql_request *req,
                            const char **field, json_object **args, json_object *errors)
{
    exec x;
    memset(&x, 0, sizeof x);
    x.s = s;
    x.doc = doc;
    x.req = req;
    x.errors = errors;
    *field = NULL;
    *args = NULL;
    char err[512];
    const gql_node *op = gql_find_operation(doc, req->operation_name, err, sizeof err);
    if (!op || op->flag != GQL_SUBSCRIPTION || !s->subscription) {
        json_object_array_add(
            errors, gql_error_new(op ? "The operation is not a subscription." : err, 0, 0, NULL));
        return -1;
    }
    if (coerce_variables(&x, op) < 0) {
        json_object_put(x.vars);
        return -1;
    }
    groups gs;
    memset(&gs, 0, sizeof gs);
    int rc = -1;
    if (collect(&x, &gs, s->subscription, op->sel) == 0 && gs.n == 1) {
        const gql_node *fn = gs.g[0].nodes[0];
        const gql_field *f = gql_type_field(s->subscription, fn->name);
        char msg[1024];
        if (!f) {
            json_object_array_add(errors, gql_error_new("The subscription selects no field.",
                                                        fn->line, fn->col, NULL));
        } else if (gql_coerce_args(s, f->args, f->nargs, fn->args, x.vars, args, msg, sizeof msg) <
                   0) {
            json_object_array_add(errors, gql_error_new(msg, fn->line, fn->col, NULL));
        } else {
            *field = f->name;
            rc = 0;
        }
    } else {
        json_object_array_add(errors,
                              gql_error_new("A subscription selects exactly one root field.",
                                            op->line, op->col, NULL));
    }
    groups_free(&gs);
    json_object_put(x.vars);
    return rc;
}

json_object *gql_run(const gql_schema *s, const gql_request *req, const gql_limits *lim,
                     gql_outcome *outcome)
{
    json_object *errors = json_object_new_array();
    gql_outcome oc = GQL_OUT_REQUEST_ERROR;
    json_object *reply = NULL;
    gql_doc *doc = NULL;
    if (lim && lim->max_bytes && req->query_len > lim->max_bytes) {
        char msg[256];
        snprintf(msg, sizeof msg,
                 "The document is %zu bytes, over the maximum document size of %zu bytes.",
                 req->query_len, lim->max_bytes);
        json_object *e = gql_error_new(msg, 0, 0, NULL);
        json_object *ext = json_object_new_object();
        json_object_object_add(ext, "code", json_object_new_string("LIMIT_EXCEEDED"));
        json_object_object_add(e, "extensions", ext);
        json_object_array_add(errors, e);
        goto fail;
    }
    gql_syntax_error se;
    gql_parse_limits pl = {128, 100000};
    doc = gql_parse(req->query, req->query_len, &pl, &se);
    if (!doc) {
        json_object_array_add(errors, gql_error_new(se.message, se.line, se.col, NULL));
        goto fail;
    }
    if (gql_validate(s, doc, errors) > 0)
        goto fail;
    if (lim && gql_check_limits(s, doc, req->operation_name, lim, errors) > 0)
        goto fail;
    json_object_put(errors);
    reply = gql_execute(s, doc, req, outcome);
    gql_doc_free(doc);
    return reply;
fail:
    gql_doc_free(doc);
    reply = json_object_new_object();
    json_object_object_add(reply, "errors", errors);
    if (outcome)
        *outcome = oc;
    return reply;
}
