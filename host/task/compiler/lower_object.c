/*
 * host/task/compiler/lower_object.c - ES2015+ object literals.
 *
 * Shorthand properties and methods become plain `key: value` pairs. A literal with computed
 * keys or spread keeps its leading plain properties and continues with statements on a
 * temporary, in source order (evaluation order and insertion order as written):
 *   {a: 1, [k]: v, ...s, b: 2}
 *     -> ($$1 = {a: 1}, $$1[k] = v, $jsc_objspread($$1, s), $$1["b"] = 2, $$1)
 * Only spreads after the prefix need no temporary: $jsc_objspread($jsc_objspread({a: 1}, s), t).
 * A `__proto__: p` entry wraps the result in $jsc_objproto (runtime module `objlit`).
 * Object patterns are left to the destructuring pass.
 */
#include "ast.h"
#include "phases.h"

#include <string.h>

typedef struct object_walk {
    jsc_node *fn;
} object_walk;

/* Plain `key: value` form of a property; returns whether it is `__proto__: v`. */
static int normalise(jsc_ctx *cx, jsc_node *p)
{
    if (p->kind != N_PROPERTY)
        return 0;
    if (p->flags & JSC_SHORTHAND) {
        p->flags &= ~(uint32_t)JSC_SHORTHAND;
        if (!p->b)
            p->b = jsc_ident(cx, p->a->str, p->a);
        return 0;
    }
    if (p->flags & JSC_METHOD) {
        p->flags &= ~(uint32_t)JSC_METHOD;
        if (p->b && p->b->kind == N_FUNCTION)
            p->b->flags &= ~(uint32_t)JSC_METHOD;
        return 0;
    }
    if ((p->flags & (JSC_COMPUTED | JSC_GET | JSC_SET)) || !p->a || !p->a->str)
        return 0;
    return (p->a->kind == N_IDENT || p->a->kind == N_STRING) && strcmp(p->a->str, "__proto__") == 0;
}

static int needs_steps(const jsc_node *p)
{
    return p->kind == N_SPREAD || (p->flags & JSC_COMPUTED);
}

/* The key of property p as an index expression. */
static jsc_node *key_expr(jsc_ctx *cx, jsc_node *p)
{
    jsc_node *k = p->a;
    if (p->flags & JSC_COMPUTED)
        return k;
    if (k->kind == N_IDENT)
        return jsc_string(cx, k->str, strlen(k->str), k);
    return k; /* N_STRING or N_NUMBER */
}

static jsc_node *helper(jsc_ctx *cx, const char *name, jsc_node *args, const jsc_node *at)
{
    return jsc_helper_call(cx, "objlit", name, args, at);
}

/* One step applied to the object `target` (an expression) for element p. */
static jsc_node *step(jsc_ctx *cx, jsc_node *target, jsc_node *p)
{
    if (p->kind == N_SPREAD) {
        target->next = p->a;
        p->a->next = NULL;
        return helper(cx, "$jsc_objspread", target, p);
    }
    jsc_node *key = key_expr(cx, p);
    key->next = NULL;
    if (p->flags & (JSC_GET | JSC_SET)) {
        jsc_node *none = jsc_void0(cx, p);
        jsc_node *g = (p->flags & JSC_GET) ? p->b : none;
        jsc_node *s = (p->flags & JSC_GET) ? none : p->b;
        s->next = NULL;
        return helper(cx, "$jsc_objaccessor", jsc_link(target, jsc_link(key, jsc_link(g, s))), p);
    }
    p->b->next = NULL;
    return jsc_assign(cx, jsc_index(cx, target, key, p), p->b, p);
}

static jsc_node *lower_steps(jsc_ctx *cx, object_walk *w, jsc_node *n, jsc_node *first)
{
    int only_spreads = 1;
    for (jsc_node *p = first; p; p = p->next)
        if (p->kind != N_SPREAD)
            only_spreads = 0;
    jsc_node *lit = jsc_node_new(cx, N_OBJECT, n); /* the prefix of plain properties */
    jsc_node **cut = &n->a;
    while (*cut != first)
        cut = &(*cut)->next;
    *cut = NULL;
    lit->a = n->a;
    if (only_spreads) {
        jsc_node *acc = lit;
        for (jsc_node *p = first, *nx; p; p = nx) {
            nx = p->next;
            acc = step(cx, acc, p);
        }
        return acc;
    }
    const char *t = jsc_declare_temp(cx, w->fn);
    jsc_node *list = NULL;
    jsc_list_append(&list, jsc_assign(cx, jsc_ident(cx, t, n), lit, n));
    for (jsc_node *p = first, *nx; p; p = nx) {
        nx = p->next;
        jsc_list_append(&list, step(cx, jsc_ident(cx, t, p), p));
    }
    jsc_list_append(&list, jsc_ident(cx, t, n));
    return jsc_wrap(cx, N_SEQUENCE, list, n);
}

static jsc_node *lower_object(jsc_ctx *cx, object_walk *w, jsc_node *n)
{
    int proto = 0;
    jsc_node *first = NULL;
    for (jsc_node *p = n->a; p; p = p->next) {
        proto |= normalise(cx, p);
        if (!first && needs_steps(p))
            first = p;
    }
    jsc_node *out = first ? lower_steps(cx, w, n, first) : n;
    if (proto) {
        out->next = NULL;
        out = helper(cx, "$jsc_objproto", out, n);
    }
    return out;
}

static void visit(jsc_ctx *cx, jsc_node **slot, void *data)
{
    object_walk *w = data;
    jsc_node *n = *slot;
    jsc_each_child_in_fn(cx, n, visit, w, &w->fn);
    if (n->kind == N_OBJECT) {
        jsc_node *rest = n->next;
        jsc_node *out = lower_object(cx, w, n);
        out->next = rest;
        *slot = out;
    }
}

int jsc_lower_object(jsc_ctx *cx, jsc_node *prog)
{
    object_walk w = {prog};
    jsc_each_child(cx, prog, visit, &w);
    return !cx->failed;
}
