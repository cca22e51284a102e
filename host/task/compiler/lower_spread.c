/*
 * host/task/compiler/lower_spread.c - spread elements in array literals, calls and `new`.
 *
 * Every spread goes through $jsc_to_array (runtime module `iterator`), which copies plain
 * arrays directly and runs the iteration protocol for anything else, so the meaning is the
 * same for every iterable. Consecutive plain elements stay array literals joined with concat:
 *   [a, ...b, c]       -> [a].concat($jsc_to_array(b), [c])
 *   f(...a)            -> f.apply(void 0, $jsc_to_array(a))
 *   o.m(x, ...a)       -> ($$1 = o).m.apply($$1, [x].concat($jsc_to_array(a)))
 *   new F(...a)        -> new (Function.prototype.bind.apply(F, [null].concat(...)))()
 * The receiver of a member call is evaluated once, before the arguments, as in ES2015.
 */
#include "ast.h"
#include "phases.h"

typedef struct spread_walk {
    jsc_node *fn; /* nearest function or the program: where temporaries go */
} spread_walk;

static int has_spread(const jsc_node *list)
{
    for (; list; list = list->next)
        if (list->kind == N_SPREAD)
            return 1;
    return 0;
}

static jsc_node *to_array(jsc_ctx *cx, jsc_node *x, const jsc_node *at)
{
    x->next = NULL;
    return jsc_helper_call(cx, "iterator", "$jsc_to_array", x, at);
}

/* The elements `list` (some N_SPREAD) as one expression giving a new array. */
static jsc_node *spread_array(jsc_ctx *cx, jsc_node *list, const jsc_node *at)
{
    jsc_node *parts = NULL, *group = NULL;
    for (jsc_node *e = list, *nx; e; e = nx) {
        nx = e->next;
        e->next = NULL;
        if (e->kind == N_SPREAD) {
            group = NULL;
            jsc_list_append(&parts, to_array(cx, e->a, e));
            continue;
        }
        if (!group) {
            group = jsc_node_new(cx, N_ARRAY, e);
            jsc_list_append(&parts, group);
        }
        jsc_list_append(&group->a, e);
    }
    jsc_node *first = parts, *rest = parts->next;
    first->next = NULL;
    if (!rest)
        return first;
    return jsc_call(cx, jsc_member(cx, first, "concat", at), rest, at);
}

static void lower_call(jsc_ctx *cx, spread_walk *w, jsc_node *n)
{
    jsc_node *callee = n->a, *self;
    jsc_node *arr = spread_array(cx, n->b, n);
    if (callee->kind == N_MEMBER || callee->kind == N_INDEX) {
        jsc_node *o = callee->a;
        if (o->kind == N_THIS) {
            self = jsc_node_new(cx, N_THIS, o);
        } else {
            const char *t = jsc_declare_temp(cx, w->fn);
            jsc_node *set = jsc_assign(cx, jsc_ident(cx, t, o), o, o);
            set->flags |= JSC_LOWERED; /* the expr pass looks through it inside ?. chains */
            callee->a = set;
            self = jsc_ident(cx, t, o);
        }
    } else {
        self = jsc_void0(cx, n);
    }
    jsc_node *apply = jsc_member(cx, callee, "apply", n);
    if (n->flags & JSC_OPTIONAL)
        apply->flags |= JSC_OPTIONAL; /* f?.(...a): the test is on f, now apply's object */
    n->flags &= ~(uint32_t)JSC_OPTIONAL;
    self->next = arr;
    n->a = apply;
    n->b = self;
}

static jsc_node *lower_new(jsc_ctx *cx, jsc_node *n)
{
    jsc_node *lead = jsc_node_new(cx, N_NULL, n);
    lead->next = n->b;
    jsc_node *arr = spread_array(cx, lead, n);
    jsc_node *bind = jsc_member(
        cx, jsc_member(cx, jsc_member(cx, jsc_ident(cx, "Function", n), "prototype", n), "bind", n),
        "apply", n);
    n->a->next = arr;
    jsc_node *bound = jsc_call(cx, bind, n->a, n);
    bound->flags |= JSC_PARENS;
    n->a = bound;
    n->b = NULL;
    return n;
}

static void visit(jsc_ctx *cx, jsc_node **slot, void *data)
{
    spread_walk *w = data;
    jsc_node *n = *slot;
    jsc_each_child_in_fn(cx, n, visit, w, &w->fn);
    switch (n->kind) {
    case N_ARRAY:
        if (has_spread(n->a))
            jsc_replace(slot, spread_array(cx, n->a, n));
        break;
    case N_CALL:
        if (has_spread(n->b))
            lower_call(cx, w, n);
        break;
    case N_NEW:
        if (has_spread(n->b))
            lower_new(cx, n);
        break;
    default:
        break;
    }
}

int jsc_lower_spread(jsc_ctx *cx, jsc_node *prog)
{
    spread_walk w = {prog};
    jsc_each_child(cx, prog, visit, &w);
    return !cx->failed;
}
