/*
 * host/task/compiler/lower_forof.c - for-of loops to ES5, with the iterator protocol and
 * iterator closing.
 *
 *   L: for (const x of xs) body
 *   ->
 *   {
 *     $$i = $jsc_iterator(xs);
 *     $$c = 0;
 *     try {
 *       L: for (; !($$s = $$i.next()).done; $$c = 0) { $$c = 1; const x = $$s.value; {body} }
 *     } catch ($$e) {
 *       if ($$c) { $$c = 0; try { $jsc_iter_close($$i); } catch ($$x) {} }
 *       throw $$e;
 *     } finally {
 *       if ($$c) $jsc_iter_close($$i);
 *     }
 *   }
 *
 * $$c is 1 exactly while the body runs, so the iterator is closed (its return() called) when
 * the body is left by break, return, a throw or a continue of an outer loop, and not when
 * the iterator itself finished or threw (as the spec says). A throw from the body wins over
 * an error of return(); after break/return an error of return() propagates. The loop keeps
 * its labels, so `continue L` still targets it. The head declaration stays a declaration
 * inside the body (a fresh binding per iteration for let/const, made real by lower_block.c);
 * the original body remains its own block because it may redeclare the head's names.
 * Destructuring heads were already turned into a plain name by lower_destructure.c.
 *
 * $$i, $$s and $$c are `var` temporaries of the enclosing function. `for await` is refused.
 */
#include "phases.h"

typedef struct walk {
    jsc_node *fn;
} walk;

static jsc_node *stmt_list(jsc_ctx *cx, jsc_kind kind, jsc_node *list, const jsc_node *at)
{
    jsc_node *b = jsc_node_new(cx, kind, at);
    b->a = list;
    return b;
}

/* Link up to three statements (c may be NULL) into a list. */
static jsc_node *chain(jsc_node *a, jsc_node *b, jsc_node *c)
{
    a->next = b;
    b->next = c;
    if (c)
        c->next = NULL;
    return a;
}

static jsc_node *assign_stmt(jsc_ctx *cx, const char *name, jsc_node *value, const jsc_node *at)
{
    return jsc_expr_stmt(cx, jsc_assign(cx, jsc_ident(cx, name, at), value, at));
}

/* $jsc_iter_close(it); quiet: inside try {} catch {} (a throw from the body wins). */
static jsc_node *close_call(jsc_ctx *cx, const char *it, int quiet, const jsc_node *at)
{
    jsc_node *call = jsc_expr_stmt(
        cx, jsc_call(cx, jsc_ident(cx, "$jsc_iter_close", at), jsc_ident(cx, it, at), at));
    if (!quiet)
        return call;
    jsc_node *t = jsc_node_new(cx, N_TRY, at);
    t->a = jsc_node_new(cx, N_BLOCK, at);
    t->a->a = call;
    t->b = jsc_ident(cx, jsc_temp_name(cx), at);
    t->c = jsc_node_new(cx, N_BLOCK, at);
    return t;
}

static jsc_node *if_stmt(jsc_ctx *cx, jsc_node *test, jsc_node *then, const jsc_node *at)
{
    jsc_node *n = jsc_node_new(cx, N_IF, at);
    n->a = test;
    n->b = then;
    return n;
}

/* The statement that binds the current value: `let x = $$s.value;` or `x = $$s.value;`. */
static jsc_node *head_stmt(jsc_ctx *cx, jsc_node *head, const char *s)
{
    jsc_node *value = jsc_member(cx, jsc_ident(cx, s, head), "value", head);
    if (head->kind == N_VAR) {
        head->a->b = value;
        head->next = NULL;
        return head;
    }
    return jsc_expr_stmt(cx, jsc_assign(cx, head, value, head));
}

/* for (; !($$s = $$i.next()).done; $$c = 0) { $$c = 1; head; body } */
static jsc_node *new_loop(jsc_ctx *cx, jsc_node *loop, const char *i, const char *s, const char *c)
{
    jsc_node *next = jsc_call(cx, jsc_member(cx, jsc_ident(cx, i, loop), "next", loop), NULL, loop);
    jsc_node *step = jsc_assign(cx, jsc_ident(cx, s, loop), next, loop);
    jsc_node *test = jsc_node_new(cx, N_UNARY, loop->b);
    test->op = JT_NOT;
    test->a = jsc_member(cx, step, "done", loop);
    jsc_node *body = loop->d;
    if (body->kind != N_BLOCK)
        body = stmt_list(cx, N_BLOCK, body, body);
    body->next = NULL;
    jsc_node *f = jsc_node_new(cx, N_FOR, loop);
    f->b = test;
    f->c = jsc_assign(cx, jsc_ident(cx, c, loop), jsc_number(cx, 0, loop), loop);
    f->c->b->str = "0";
    jsc_node *on = assign_stmt(cx, c, jsc_number(cx, 1, loop), loop);
    on->a->b->str = "1";
    f->d = stmt_list(cx, N_BLOCK, chain(on, head_stmt(cx, loop->a, s), body), loop);
    return f;
}

static jsc_node *try_close(jsc_ctx *cx, jsc_node *inner, const char *i, const char *c,
                           const jsc_node *at)
{
    const char *e = jsc_temp_name(cx);
    jsc_node *off = assign_stmt(cx, c, jsc_number(cx, 0, at), at);
    off->a->b->str = "0";
    jsc_node *quiet =
        if_stmt(cx, jsc_ident(cx, c, at),
                stmt_list(cx, N_BLOCK, chain(off, close_call(cx, i, 1, at), NULL), at), at);
    jsc_node *rethrow = jsc_node_new(cx, N_THROW, at);
    rethrow->a = jsc_ident(cx, e, at);
    jsc_node *t = jsc_node_new(cx, N_TRY, at);
    t->a = stmt_list(cx, N_BLOCK, inner, at);
    t->b = jsc_ident(cx, e, at);
    t->c = stmt_list(cx, N_BLOCK, chain(quiet, rethrow, NULL), at);
    t->d =
        stmt_list(cx, N_BLOCK, if_stmt(cx, jsc_ident(cx, c, at), close_call(cx, i, 0, at), at), at);
    return t;
}

/* Replace the for-of `loop` at *slot; `labels` is the labelled statement around it, if any. */
static void lower(jsc_ctx *cx, jsc_node **slot, jsc_node *labels, jsc_node *loop, jsc_node *fn)
{
    if (loop->flags & JSC_AWAIT) {
        jsc_error(cx, loop,
                  "'for await...of' is not supported by the task compiler; "
                  "iterate with a plain loop and 'await' each value");
        return;
    }
    const char *i = jsc_declare_temp(cx, fn);
    const char *s = jsc_declare_temp(cx, fn);
    const char *c = jsc_declare_temp(cx, fn);
    jsc_need(cx, "iterator");
    jsc_node *iter = jsc_call(cx, jsc_ident(cx, "$jsc_iterator", loop->b), loop->b, loop->b);
    loop->b->next = NULL;
    jsc_node *f = new_loop(cx, loop, i, s, c);
    jsc_node *inner = f;
    if (labels) {
        jsc_node *l = labels;
        while (l->a->kind == N_LABELED)
            l = l->a;
        l->a = f;
        inner = labels;
    }
    jsc_node *init = assign_stmt(cx, i, iter, loop);
    jsc_node *c0 = assign_stmt(cx, c, jsc_number(cx, 0, loop), loop);
    c0->a->b->str = "0";
    jsc_node *old = *slot;
    jsc_node *blk = stmt_list(cx, N_BLOCK, chain(init, c0, try_close(cx, inner, i, c, loop)), old);
    jsc_replace(slot, blk);
}

static void visit(jsc_ctx *cx, jsc_node **slot, void *data)
{
    walk *w = data;
    jsc_node *n = *slot;
    if (cx->failed)
        return;
    walk inner = *w;
    if (n->kind == N_FUNCTION || n->kind == N_FUNC_DECL)
        inner.fn = n;
    if (n->kind == N_LABELED) {
        jsc_node *end = n->a;
        while (end && end->kind == N_LABELED)
            end = end->a;
        if (end && end->kind == N_FOR_OF) {
            jsc_each_child(cx, end, visit, &inner);
            lower(cx, slot, n, end, w->fn);
            return;
        }
    }
    jsc_each_child(cx, n, visit, &inner);
    if (n->kind == N_FOR_OF)
        lower(cx, slot, NULL, n, w->fn);
}

int jsc_lower_forof(jsc_ctx *cx, jsc_node *prog)
{
    walk w = {prog};
    jsc_each_child(cx, prog, visit, &w);
    return !cx->failed;
}
