/*
 * host/task/compiler/lower_expr.c - the last lowering pass: `**` and `**=` (Math.pow),
 * optional chaining `?.` (one short-circuit for the whole chain, every part evaluated once,
 * `this` kept for `a?.b()` and `a.b?.()`), nullish coalescing `??`, optional catch binding,
 * and numeric literals the parser left in a form ES5 cannot print.
 *
 * Symbols are strings in the runtime (runtime/symbol.js), so when the source mentions Symbol
 * `typeof x` becomes a call of $jsc_typeof (which says "symbol" for them) and String(x) one of
 * $jsc_String ("Symbol(desc)"); other tasks keep the engine's operators, which cost nothing.
 *
 * Temporaries are `var`s of the nearest enclosing function (every arrow is an ordinary
 * function by now). New nodes copy the position of the node they replace.
 */
#include "ast.h"
#include "phases.h"
#include "scope.h"

#include <string.h>

typedef struct expr_walk {
    jsc_node *fn; /* nearest N_FUNCTION / N_FUNC_DECL, or the N_PROGRAM */
    int symbols;  /* the source mentions Symbol: typeof and String(x) see symbols */
} expr_walk;

static void visit(jsc_ctx *cx, jsc_node **slot, void *data);

static jsc_node *math_pow(jsc_ctx *cx, jsc_node *x, jsc_node *y, const jsc_node *at)
{
    jsc_node *callee = jsc_member(cx, jsc_ident(cx, "Math", at), "pow", at);
    x->next = y;
    y->next = NULL;
    return jsc_call(cx, callee, x, at);
}

/* A copy of a reference `t.p` / `t[k]` whose object (and key) are identifiers. */
static jsc_node *copy_ref(jsc_ctx *cx, const jsc_node *r)
{
    jsc_node *c = jsc_node_new(cx, r->kind, r);
    c->a = jsc_ident(cx, r->a->str, r->a);
    c->str = r->str;
    c->len = r->len;
    if (r->b)
        c->b = jsc_ident(cx, r->b->str, r->b);
    return c;
}

/* x **= v: the target's object and key are evaluated once, before v. */
static jsc_node *lower_pow_assign(jsc_ctx *cx, expr_walk *w, jsc_node *n)
{
    jsc_node *t = n->a, *v = n->b;
    if (t->kind == N_IDENT) {
        jsc_node *read = jsc_ident(cx, t->str, t);
        return jsc_assign(cx, t, math_pow(cx, read, v, n), n);
    }
    jsc_node *pre = NULL;
    const char *o = jsc_declare_temp(cx, w->fn);
    jsc_list_append(&pre, jsc_assign(cx, jsc_ident(cx, o, t->a), t->a, t->a));
    t->a = jsc_ident(cx, o, t->a);
    if (t->kind == N_INDEX) {
        const char *k = jsc_declare_temp(cx, w->fn);
        jsc_list_append(&pre, jsc_assign(cx, jsc_ident(cx, k, t->b), t->b, t->b));
        t->b = jsc_ident(cx, k, t->b);
    }
    jsc_node *set = jsc_assign(cx, t, math_pow(cx, copy_ref(cx, t), v, n), n);
    jsc_list_append(&pre, set);
    return jsc_wrap(cx, N_SEQUENCE, pre, n);
}

/* a ?? b -> (t = a) != null ? t : b (an identifier is read twice instead). */
static jsc_node *lower_nullish(jsc_ctx *cx, expr_walk *w, jsc_node *n)
{
    jsc_node *a = n->a, *test, *use;
    if (a->kind == N_IDENT) {
        test = a;
        use = jsc_ident(cx, a->str, a);
    } else {
        const char *t = jsc_declare_temp(cx, w->fn);
        test = jsc_assign(cx, jsc_ident(cx, t, a), a, a);
        use = jsc_ident(cx, t, a);
    }
    jsc_node *ne = jsc_op(cx, N_BINARY, JT_NE, test, jsc_node_new(cx, N_NULL, a), a);
    return jsc_cond(cx, ne, use, n->b, n);
}

/* ---- optional chains ------------------------------------------------------------------ */

typedef struct chain {
    jsc_node *fn;
    jsc_node *conds; /* `||` of the short-circuit tests so far, or NULL */
} chain;

static void add_cond(jsc_ctx *cx, chain *ch, jsc_node *test)
{
    ch->conds = ch->conds ? jsc_op(cx, N_LOGICAL, JT_OROR, ch->conds, test, test) : test;
}

/* Test `expr` for null/undefined; returns what stands for its value afterwards. */
static jsc_node *guard(jsc_ctx *cx, chain *ch, jsc_node *expr)
{
    if (expr->kind == N_IDENT) {
        add_cond(cx, ch, jsc_op(cx, N_BINARY, JT_EQ, expr, jsc_node_new(cx, N_NULL, expr), expr));
        return jsc_ident(cx, expr->str, expr);
    }
    const char *t = jsc_declare_temp(cx, ch->fn);
    jsc_node *set = jsc_assign(cx, jsc_ident(cx, t, expr), expr, expr);
    add_cond(cx, ch, jsc_op(cx, N_BINARY, JT_EQ, set, jsc_node_new(cx, N_NULL, expr), expr));
    return jsc_ident(cx, t, expr);
}

static jsc_node *rebuild(jsc_ctx *cx, chain *ch, jsc_node *n);

/* o.f?.(args) / o?.f?.(args): keep `this` = o through f.call(o, args). */
static jsc_node *rebuild_opt_method_call(jsc_ctx *cx, chain *ch, jsc_node *n)
{
    jsc_node *callee = n->a;
    callee->a = rebuild(cx, ch, callee->a);
    jsc_node *self;
    if (callee->flags & JSC_OPTIONAL) {
        callee->flags &= ~(uint32_t)JSC_OPTIONAL;
        callee->a = guard(cx, ch, callee->a);
        self = jsc_ident(cx, callee->a->str, callee->a);
    } else if (callee->a->kind == N_IDENT || callee->a->kind == N_THIS) {
        self = jsc_node_new(cx, callee->a->kind, callee->a);
        self->str = callee->a->str;
        self->len = callee->a->len;
    } else {
        const char *o = jsc_declare_temp(cx, ch->fn);
        self = jsc_ident(cx, o, callee->a);
        callee->a = jsc_assign(cx, jsc_ident(cx, o, callee->a), callee->a, callee->a);
    }
    jsc_node *f = guard(cx, ch, callee);
    self->next = n->b;
    n->a = jsc_member(cx, f, "call", n);
    n->b = self;
    n->flags &= ~(uint32_t)JSC_OPTIONAL;
    return n;
}

/* Rewrite the links of a chain bottom-up, collecting the tests in ch->conds. */
static jsc_node *rebuild(jsc_ctx *cx, chain *ch, jsc_node *n)
{
    switch (n->kind) {
    case N_MEMBER:
    case N_INDEX:
        n->a = rebuild(cx, ch, n->a);
        if (n->flags & JSC_OPTIONAL) {
            n->flags &= ~(uint32_t)JSC_OPTIONAL;
            n->a = guard(cx, ch, n->a);
        }
        return n;
    case N_CALL:
        if ((n->flags & JSC_OPTIONAL) && (n->a->kind == N_MEMBER || n->a->kind == N_INDEX))
            return rebuild_opt_method_call(cx, ch, n);
        n->a = rebuild(cx, ch, n->a);
        if (n->flags & JSC_OPTIONAL) {
            n->flags &= ~(uint32_t)JSC_OPTIONAL;
            n->a = guard(cx, ch, n->a);
        }
        return n;
    case N_ASSIGN:
        /* `(t = o).f` made by the spread pass inside a chain: look through it. */
        if (n->flags & JSC_LOWERED)
            n->b = rebuild(cx, ch, n->b);
        return n;
    default:
        return n;
    }
}

/* The chain of N_OPT_CHAIN `oc` (children already lowered) as `tests ? short : body`, where
 * body is `wrap(chain)` (wrap_op JT_DELETE for `delete a?.b`, else the chain itself). */
static jsc_node *lower_chain(jsc_ctx *cx, expr_walk *w, jsc_node *oc, int is_delete)
{
    chain ch = {w->fn, NULL};
    jsc_node *body = rebuild(cx, &ch, oc->a);
    jsc_node *shortv = jsc_void0(cx, oc);
    if (is_delete) {
        body = jsc_op(cx, N_UNARY, JT_DELETE, body, NULL, oc);
        shortv = jsc_node_new(cx, N_TRUE, oc);
    }
    return ch.conds ? jsc_cond(cx, ch.conds, shortv, body, oc) : body;
}

/* ---- symbols ------------------------------------------------------------------------- */

/* Whether "Symbol" occurs anywhere in the source (a mention in a string or comment only
 * costs the slower typeof). */
static int mentions_symbol(const jsc_ctx *cx)
{
    static const char word[] = "Symbol";
    size_t n = sizeof word - 1;
    for (size_t i = 0; cx->src && i + n <= cx->src_len; i++)
        if (cx->src[i] == 'S' && memcmp(cx->src + i, word, n) == 0)
            return 1;
    return 0;
}

static jsc_node *helper_call(jsc_ctx *cx, const char *helper, jsc_node *arg, const jsc_node *at)
{
    arg->next = NULL;
    return jsc_helper_call(cx, "symbol", helper, arg, at);
}

/* typeof x -> $jsc_typeof(x); for a global name, which may not exist, the engine's typeof
 * answers first: (typeof x === "string" ? $jsc_typeof(x) : typeof x). */
static jsc_node *lower_typeof(jsc_ctx *cx, jsc_node *n)
{
    jsc_node *x = n->a;
    if (!jsc_is_global_ref(x))
        return helper_call(cx, "$jsc_typeof", x, n);
    jsc_node *test = jsc_op(cx, N_UNARY, JT_TYPEOF, jsc_ident(cx, x->str, x), NULL, n);
    return jsc_cond(cx, jsc_op(cx, N_BINARY, JT_SEQ, test, jsc_string(cx, "string", 6, n), n),
                    helper_call(cx, "$jsc_typeof", jsc_ident(cx, x->str, x), n),
                    jsc_op(cx, N_UNARY, JT_TYPEOF, x, NULL, n), n);
}

static int is_global_string(const jsc_node *n)
{
    return n->kind == N_IDENT && jsc_is_global_ref(n) && strcmp(n->str, "String") == 0;
}

/* String(x) and String passed as a value (xs.map(String)) -> $jsc_String. */
static void lower_string_calls(jsc_ctx *cx, jsc_node *call)
{
    if (is_global_string(call->a)) {
        call->a = jsc_ident(cx, "$jsc_String", call->a);
        jsc_need(cx, "symbol");
    }
    for (jsc_node **arg = &call->b; *arg; arg = &(*arg)->next)
        if (is_global_string(*arg)) {
            jsc_node *h = jsc_ident(cx, "$jsc_String", *arg);
            h->next = (*arg)->next;
            *arg = h;
            jsc_need(cx, "symbol");
        }
}

/* ---- the walk ------------------------------------------------------------------------- */

static void fix_number(jsc_node *n)
{
    if (!n->str)
        return;
    if (strchr(n->str, '_') || (n->str[0] == '0' && n->str[1] && strchr("bBoO", n->str[1])))
        n->str = NULL;
}

/*
 * fetch(...).then/catch/finally: the promise style chained to the call. The global fetch is
 * synchronous (the original Ratchet's style: it throws on an HTTP error), so an error would
 * escape the chain's .catch(); such calls use the variant that rejects instead.
 */
static void promise_style_fetch(jsc_ctx *cx, jsc_node *member)
{
    jsc_node *call = member->a;
    if (!member->str || (strcmp(member->str, "then") != 0 && strcmp(member->str, "catch") != 0 &&
                         strcmp(member->str, "finally") != 0))
        return;
    if (call->kind != N_CALL || call->a->kind != N_IDENT || strcmp(call->a->str, "fetch") != 0 ||
        !jsc_is_global_ref(call->a))
        return;
    call->a = jsc_ident(cx, "$jsc_fetch_async", call->a);
    jsc_need(cx, "fetch");
}

/*
 * Holes: MuJS gives `[1, , 3]` an own element undefined at index 1 where ES5 leaves the index
 * absent (`1 in a` is false; forEach, flat and spread skip or fill it). Such literals become
 * `$jsc_holes([1, void 0, 3], [1])`, which deletes the hole indices; others are untouched.
 */
static jsc_node *lower_holes(jsc_ctx *cx, jsc_node *arr)
{
    jsc_node *indices = NULL;
    double i = 0;
    for (jsc_node *e = arr->a; e; e = e->next, i++)
        if (e->kind == N_HOLE) {
            e->kind = N_UNARY;
            e->op = JT_VOID;
            e->a = jsc_number(cx, 0, e);
            jsc_list_append(&indices, jsc_number(cx, i, e));
        }
    if (!indices)
        return arr;
    arr->next = jsc_wrap(cx, N_ARRAY, indices, arr);
    return jsc_helper_call(cx, "holes", "$jsc_holes", arr, arr);
}

static void visit(jsc_ctx *cx, jsc_node **slot, void *data)
{
    expr_walk *w = data;
    jsc_node *n = *slot;
    if (n->kind == N_UNARY && n->op == JT_DELETE && n->a->kind == N_OPT_CHAIN) {
        jsc_each_child(cx, n->a, visit, w);
        jsc_replace(slot, lower_chain(cx, w, n->a, 1));
        return;
    }
    jsc_each_child_in_fn(cx, n, visit, w, &w->fn);
    switch (n->kind) {
    case N_BINARY:
        if (n->op == JT_STARSTAR)
            jsc_replace(slot, math_pow(cx, n->a, n->b, n));
        break;
    case N_ASSIGN:
        if (n->op == JT_STARSTAR_EQ)
            jsc_replace(slot, lower_pow_assign(cx, w, n));
        break;
    case N_LOGICAL:
        if (n->op == JT_QQ)
            jsc_replace(slot, lower_nullish(cx, w, n));
        break;
    case N_OPT_CHAIN:
        jsc_replace(slot, lower_chain(cx, w, n, 0));
        break;
    case N_TRY:
        if (n->c && !n->b)
            n->b = jsc_ident(cx, jsc_temp_name(cx), n->c);
        break;
    case N_NUMBER:
        fix_number(n);
        break;
    case N_MEMBER:
        promise_style_fetch(cx, n);
        break;
    case N_ARRAY:
        if (!(n->flags & JSC_LOWERED)) {
            n->flags |= JSC_LOWERED;
            jsc_node *next = n->next;
            n->next = NULL;
            jsc_node *with = lower_holes(cx, n);
            with->next = next;
            *slot = with;
        }
        break;
    case N_UNARY:
        if (n->op == JT_TYPEOF && w->symbols)
            jsc_replace(slot, lower_typeof(cx, n));
        break;
    case N_CALL:
        if (w->symbols)
            lower_string_calls(cx, n);
        break;
    default:
        break;
    }
}

int jsc_lower_expr(jsc_ctx *cx, jsc_node *prog)
{
    expr_walk w = {prog, mentions_symbol(cx)};
    jsc_each_child(cx, prog, visit, &w);
    return !cx->failed;
}
