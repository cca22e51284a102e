/*
 * host/task/compiler/lower_generator.c - generator and async functions to ES5 state machines.
 *
 *     function* g(a) { var x = yield a; return x; }
 * becomes
 *     function g(a) {
 *         var x;
 *         return $jsc_generator(this, function ($$1) {
 *             switch ($$1.l) {
 *             case 0: return [4, a, 1];
 *             case 1: x = $$1.v; return [2, x];
 *             }
 *         });
 *     }
 * and an async function the same with $jsc_async, `await x` being [4, x, label]. The runtime
 * modules generator.js and async.js run the machine; gen_stmt.c and gen_expr.c build it.
 * The body's `var`s and function declarations move to the outer function (the body function
 * runs once per resumption), `arguments` is captured there, `this` is passed to the runtime.
 * Functions are lowered innermost first; a nested function is left untouched by its parent.
 */
#include "gen_internal.h"
#include "phases.h"

#include <string.h>

typedef struct prep {
    gen *g;
    jsc_node *funcs;       /* hoisted function declarations */
    const char *args_name; /* temporary holding the outer `arguments`, or NULL */
} prep;

static void declare_var(gen *g, const jsc_node *id)
{
    for (jsc_node *p = g->fn->c; p; p = p->next)
        if (strcmp(p->str, id->str) == 0)
            return;
    jsc_list_append(&g->fn->c, jsc_ident(g->cx, id->str, id));
}

/* `var a = 1, b, c = 2` as the expression `a = 1, c = 2` (NULL when nothing is assigned),
 * the names declared in the outer function. */
static jsc_node *var_to_expr(gen *g, jsc_node *var)
{
    jsc_node *list = NULL;
    size_t n = 0;
    for (jsc_node *d = var->a; d; d = d->next) {
        if (!d->a || d->a->kind != N_IDENT) {
            jsc_error(g->cx, d, "internal error: pattern left for the generator pass");
            return NULL;
        }
        declare_var(g, d->a);
        if (!d->b)
            continue;
        d->b->next = NULL;
        jsc_list_append(&list, jsc_assign(g->cx, jsc_ident(g->cx, d->a->str, d->a), d->b, d));
        n++;
    }
    if (n <= 1)
        return list;
    jsc_node *seq = jsc_node_new(g->cx, N_SEQUENCE, var);
    seq->a = list;
    return seq;
}

static void prep_slot(jsc_ctx *cx, jsc_node **slot, void *data)
{
    prep *pd = data;
    gen *g = pd->g;
    jsc_node *n = *slot;
    switch (n->kind) {
    case N_FUNCTION:
        return;
    case N_FUNC_DECL:
        jsc_replace(slot, jsc_node_new(cx, N_EMPTY, n));
        n->next = NULL;
        jsc_list_append(&pd->funcs, n);
        return;
    case N_VAR: {
        jsc_node *e = var_to_expr(g, n);
        jsc_replace(slot, e ? jsc_expr_stmt(cx, e) : jsc_node_new(cx, N_EMPTY, n));
        n = *slot;
        break;
    }
    case N_FOR:
        if (n->a && n->a->kind == N_VAR)
            n->a = var_to_expr(g, n->a);
        break;
    case N_FOR_IN:
    case N_FOR_OF:
        if (n->kind == N_FOR_OF && (n->flags & JSC_AWAIT)) {
            jsc_error(cx, n, "for await is not supported");
            return;
        }
        if (n->a && n->a->kind == N_VAR && n->a->a && n->a->a->a && n->a->a->a->kind == N_IDENT) {
            declare_var(g, n->a->a->a);
            n->a = jsc_ident(cx, n->a->a->a->str, n->a);
        }
        break;
    case N_IDENT:
        if (strcmp(n->str, "arguments") == 0) {
            if (!pd->args_name)
                pd->args_name = jsc_declare_temp(cx, g->fn);
            n->str = pd->args_name;
            n->len = strlen(n->str);
        }
        return;
    case N_PROPERTY:
        if (n->flags & JSC_COMPUTED)
            prep_slot(cx, &n->a, data);
        if (n->b)
            prep_slot(cx, &n->b, data);
        return;
    default:
        break;
    }
    jsc_each_child(cx, n, prep_slot, data);
}

/* The body of the state-machine function: the switch over the cases (or the only case). */
static jsc_node *machine(gen *g, const jsc_node *at)
{
    jsc_ctx *cx = g->cx;
    for (size_t i = 0; i < g->nrefs; i++) {
        int id = (int)g->refs[i]->num;
        if (g->label_case[id] < 0) {
            jsc_error(cx, at, "internal error: unplaced label in generator");
            return NULL;
        }
        g->refs[i]->num = g->label_case[id];
    }
    jsc_node *block = jsc_node_new(cx, N_BLOCK, at);
    if (g->ncases == 1) {
        block->a = g->cases[0].head;
        return block;
    }
    jsc_node *sw = jsc_node_new(cx, N_SWITCH, at);
    sw->a = gen_state(g, "l", at);
    for (size_t i = 0; i < g->ncases; i++) {
        const jsc_node *cat = g->cases[i].at ? g->cases[i].at : at;
        jsc_node *c = jsc_node_new(cx, N_CASE, cat);
        c->a = jsc_number(cx, (double)i, cat);
        c->b = g->cases[i].head;
        jsc_list_append(&sw->b, c);
    }
    block->a = sw;
    return block;
}

static void lower_function(jsc_ctx *cx, jsc_node *fn)
{
    if ((fn->flags & JSC_ASYNC) && (fn->flags & JSC_GENERATOR)) {
        jsc_error(cx, fn, "async generators are not supported");
        return;
    }
    gen g;
    memset(&g, 0, sizeof g);
    g.cx = cx;
    g.fn = fn;
    g.async = (fn->flags & JSC_ASYNC) != 0;
    g.st = jsc_temp_name(cx);

    jsc_node *body = fn->b;
    if (fn->flags & JSC_EXPR_BODY) {
        jsc_node *ret = jsc_node_new(cx, N_RETURN, body);
        ret->a = body;
        body = jsc_node_new(cx, N_BLOCK, body);
        body->a = ret;
        fn->flags &= ~(uint32_t)JSC_EXPR_BODY;
    }
    jsc_node *prologue = NULL;
    while (body->a && jsc_is_directive(body->a)) {
        jsc_node *d = body->a;
        body->a = d->next;
        d->next = NULL;
        jsc_list_append(&prologue, d);
    }
    jsc_node *params = NULL; /* defaults and patterns: run at the call (lower_function.c) */
    if (body->a && body->a->kind == N_BLOCK && (body->a->flags & JSC_PARAMS)) {
        params = body->a;
        body->a = params->next;
        params->next = NULL;
    }
    prep pd = {&g, NULL, NULL};
    for (jsc_node **p = &body->a; *p; p = &(*p)->next)
        prep_slot(cx, p, &pd);
    if (cx->failed)
        return;

    gen_mark(&g, gen_label(&g));
    for (jsc_node *p = body->a, *nx; p; p = nx) {
        nx = p->next;
        p->next = NULL;
        gen_stmt(&g, p);
    }
    jsc_node *inner_body = machine(&g, fn);
    if (cx->failed || !inner_body)
        return;

    jsc_node *inner = jsc_node_new(cx, N_FUNCTION, fn);
    inner->a = jsc_ident(cx, g.st, fn);
    inner->b = inner_body;
    inner->flags = fn->flags & JSC_STRICT;
    jsc_node *self = jsc_node_new(cx, N_THIS, fn);
    self->next = inner;
    const char *helper = g.async ? "$jsc_async" : "$jsc_generator";
    jsc_node *ret = jsc_node_new(cx, N_RETURN, fn);
    ret->a = jsc_call(cx, jsc_ident(cx, helper, fn), self, fn);

    jsc_node *out = prologue;
    jsc_list_append(&out, pd.funcs);
    if (pd.args_name)
        jsc_list_append(&out, jsc_expr_stmt(cx, jsc_assign(cx, jsc_ident(cx, pd.args_name, fn),
                                                           jsc_ident(cx, "arguments", fn), fn)));
    if (params)
        jsc_list_append(&out, params->a);
    jsc_list_append(&out, ret);
    body->a = out;
    fn->b = body;
    fn->flags &= ~(uint32_t)(JSC_GENERATOR | JSC_ASYNC);
    if (g.async)
        jsc_need(cx, "promise");
    jsc_need(cx, g.async ? "async" : "generator");
}

static void visit(jsc_ctx *cx, jsc_node **slot, void *data)
{
    jsc_node *n = *slot;
    if (cx->failed)
        return;
    jsc_each_child(cx, n, visit, data);
    if (cx->failed)
        return;
    if ((n->kind == N_FUNCTION || n->kind == N_FUNC_DECL) &&
        (n->flags & (JSC_GENERATOR | JSC_ASYNC)))
        lower_function(cx, n);
    else if (n->kind == N_FOR_OF && (n->flags & JSC_AWAIT))
        jsc_error(cx, n, "for await is not supported");
}

int jsc_lower_generator(jsc_ctx *cx, jsc_node *prog)
{
    jsc_node *root = prog;
    visit(cx, &root, NULL);
    return !cx->failed;
}
