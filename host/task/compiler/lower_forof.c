/*
 * host/task/compiler/lower_forof.c - for-of loops to ES5: an index loop for plain arrays, the
 * iterator protocol with iterator closing for everything else, in one loop (the body is
 * never duplicated, so nested loops stay linear in size).
 *
 *   L: for (const x of xs) { if (x) break; f(x); }
 *   ->
 *   {
 *     $$it = $jsc_of($$a = xs);
 *     $$i = 0;
 *     $$c = 0;
 *     try {
 *       L: for (; $$it ? ($$c = 0, !($$s = $$it.next()).done && ($$s = $$s.value, $$c = 1))
 *                      : $$i < $$a.length; ) {
 *         const x = $$it ? $$s : $$a[$$i++];
 *         { if (x) { $$c = 2; break; } f(x); }
 *       }
 *     } finally {
 *       if ($$c) $jsc_iter_close($$it, $$c);
 *     }
 *   }
 *
 * Arrays: $jsc_of (runtime iterator.js) returns null for a plain array iterated by the
 * built-in iterator (Array.isArray, the original Array.prototype[@@iterator] and
 * ArrayIterator.prototype.next). The ArrayIterator reads `length` at every step and has no
 * return(), so the index loop with its live length check gets the same elements, runs the
 * same getters and closes nothing, as the spec's loop would. Anything else gets its iterator
 * from $jsc_of ("x is not iterable" otherwise), which reads x[@@iterator] once.
 *
 * Closing: $$c is 0 while next() and the `value` getter run (an error there closes nothing),
 * 1 while the body runs, and 2 once the body leaves the loop by break, continue of an outer
 * loop or return: each such statement in the body is rewritten to set it first (a return's
 * value is computed before: `{ $$r = v; $$c = 2; return $$r; }`). The finally then closes
 * the iterator: quietly for 1 (the body threw: the first throw wins over an error of
 * return()), loudly for 2 (an error of return() propagates). A normal end leaves $$c 0.
 *
 * No catch clause: in MuJS a function with a catch clause keeps its variables in an
 * environment object instead of on the stack (not "lightweight"), 1.7x slower in a tight
 * loop, while try/finally costs one setjmp per loop (about 400 instructions), nothing per
 * iteration. Two kinds of body need the catch-based form instead, because something other
 * than the marked statements may end the body: one with yield or await (a generator's
 * return() ends it with a return completion; lower_generator.c makes its state machine),
 * and one with try...finally (a finally may replace a break with a throw). There
 *
 *       } catch ($$e) {
 *         if ($$c) { $$c = 0; $jsc_iter_close($$it, 1); }
 *         throw $$e;
 *       } finally {
 *         if ($$c) $jsc_iter_close($$it);
 *       }
 *
 * closes on every exit while $$c is 1, and jumps are left as they are.
 *
 * The loop keeps its labels, so `continue L` still targets it. The head declaration stays a
 * declaration inside the body (a fresh binding per iteration for let/const, made real by
 * lower_block.c); the original body remains its own block because it may redeclare the head's
 * names. Destructuring heads were already turned into a plain name by lower_destructure.c.
 * The temporaries are `var`s of the enclosing function. `for await` is refused.
 */
#include "jumps.h"
#include "phases.h"

#include <string.h>

typedef struct walk {
    jsc_node *fn;
} walk;

/* The temporaries of one loop. */
typedef struct loop_temps {
    const char *a, *it, *i, *s, *c, *r;
} loop_temps;

/* Link up to three statements (c may be NULL) into a list. */
static jsc_node *chain(jsc_node *a, jsc_node *b, jsc_node *c)
{
    a->next = b;
    b->next = c;
    if (c)
        c->next = NULL;
    return a;
}

static jsc_node *int_lit(jsc_ctx *cx, int v, const jsc_node *at)
{
    jsc_node *n = jsc_number(cx, v, at);
    n->str = jsc_sprintf(cx, "%d", v);
    return n;
}

static jsc_node *set(jsc_ctx *cx, const char *name, jsc_node *value, const jsc_node *at)
{
    return jsc_assign(cx, jsc_ident(cx, name, at), value, at);
}

static jsc_node *set_stmt(jsc_ctx *cx, const char *name, jsc_node *value, const jsc_node *at)
{
    return jsc_expr_stmt(cx, set(cx, name, value, at));
}

/* (a, b) */
static jsc_node *seq(jsc_ctx *cx, jsc_node *a, jsc_node *b, const jsc_node *at)
{
    b->next = NULL;
    return jsc_wrap(cx, N_SEQUENCE, jsc_link(a, b), at);
}

static jsc_node *if_stmt(jsc_ctx *cx, jsc_node *test, jsc_node *then, const jsc_node *at)
{
    return jsc_op(cx, N_IF, JT_EOF, test, then, at);
}

/* $jsc_iter_close(it) or $jsc_iter_close(it, how) (how NULL: one argument). */
static jsc_node *close_stmt(jsc_ctx *cx, const char *it, jsc_node *how, const jsc_node *at)
{
    jsc_node *args = jsc_ident(cx, it, at);
    args->next = how;
    return jsc_expr_stmt(cx, jsc_call(cx, jsc_ident(cx, "$jsc_iter_close", at), args, at));
}

/* ---- the loop ------------------------------------------------------------------------------ */

/* $$it ? ($$c = 0, !($$s = $$it.next()).done && ($$s = $$s.value, $$c = 1))
 *      : $$i < $$a.length */
static jsc_node *loop_test(jsc_ctx *cx, const loop_temps *t, const jsc_node *at)
{
    jsc_node *next = jsc_call(cx, jsc_member(cx, jsc_ident(cx, t->it, at), "next", at), NULL, at);
    jsc_node *not_done =
        jsc_op(cx, N_UNARY, JT_NOT, jsc_member(cx, set(cx, t->s, next, at), "done", at), NULL, at);
    jsc_node *value = set(cx, t->s, jsc_member(cx, jsc_ident(cx, t->s, at), "value", at), at);
    jsc_node *step = jsc_op(cx, N_LOGICAL, JT_ANDAND, not_done,
                            seq(cx, value, set(cx, t->c, int_lit(cx, 1, at), at), at), at);
    jsc_node *iter = seq(cx, set(cx, t->c, int_lit(cx, 0, at), at), step, at);
    jsc_node *index = jsc_op(cx, N_BINARY, JT_LT, jsc_ident(cx, t->i, at),
                             jsc_member(cx, jsc_ident(cx, t->a, at), "length", at), at);
    return jsc_cond(cx, jsc_ident(cx, t->it, at), iter, index, at);
}

/* $$it ? $$s : $$a[$$i++] */
static jsc_node *loop_value(jsc_ctx *cx, const loop_temps *t, const jsc_node *at)
{
    jsc_node *inc = jsc_op(cx, N_UPDATE, JT_INC, jsc_ident(cx, t->i, at), NULL, at);
    jsc_node *elem = jsc_op(cx, N_INDEX, JT_EOF, jsc_ident(cx, t->a, at), inc, at);
    return jsc_cond(cx, jsc_ident(cx, t->it, at), jsc_ident(cx, t->s, at), elem, at);
}

/* The statement that binds the current value: `let x = <value>;` or `x = <value>;`. */
static jsc_node *head_stmt(jsc_ctx *cx, jsc_node *head, jsc_node *value)
{
    if (head->kind == N_VAR) {
        head->a->b = value;
        head->next = NULL;
        return head;
    }
    return jsc_expr_stmt(cx, jsc_assign(cx, head, value, head));
}

/* for (; test; ) { head; body } */
static jsc_node *new_loop(jsc_ctx *cx, jsc_node *loop, const loop_temps *t)
{
    jsc_node *body = loop->d;
    if (body->kind != N_BLOCK)
        body = jsc_wrap(cx, N_BLOCK, body, body);
    body->next = NULL;
    jsc_node *f = jsc_node_new(cx, N_FOR, loop);
    f->b = loop_test(cx, t, loop->b);
    jsc_node *head = head_stmt(cx, loop->a, loop_value(cx, t, loop->a));
    head->next = body;
    f->d = jsc_wrap(cx, N_BLOCK, head, loop);
    return f;
}

/* try { inner } [catch ($$e) { if ($$c) { $$c = 0; close($$it, 1); } throw $$e; }]
 * finally { if ($$c) close($$it, <$$c, or nothing with the catch>); } */
static jsc_node *try_close(jsc_ctx *cx, jsc_node *inner, const loop_temps *t, int with_catch,
                           const jsc_node *at)
{
    jsc_node *tr = jsc_node_new(cx, N_TRY, at);
    tr->flags |= JSC_LOWERED;
    tr->a = jsc_wrap(cx, N_BLOCK, inner, at);
    jsc_node *how = with_catch ? NULL : jsc_ident(cx, t->c, at);
    tr->d = jsc_wrap(cx, N_BLOCK,
                     if_stmt(cx, jsc_ident(cx, t->c, at), close_stmt(cx, t->it, how, at), at), at);
    if (!with_catch)
        return tr;
    const char *e = jsc_temp_name(cx);
    jsc_node *quiet = chain(set_stmt(cx, t->c, int_lit(cx, 0, at), at),
                            close_stmt(cx, t->it, int_lit(cx, 1, at), at), NULL);
    jsc_node *rethrow = jsc_wrap(cx, N_THROW, jsc_ident(cx, e, at), at);
    tr->b = jsc_ident(cx, e, at);
    tr->c =
        jsc_wrap(cx, N_BLOCK,
                 chain(if_stmt(cx, jsc_ident(cx, t->c, at), jsc_wrap(cx, N_BLOCK, quiet, at), at),
                       rethrow, NULL),
                 at);
    return tr;
}

/* ---- the body's exits ----------------------------------------------------------------------- */

typedef struct exits {
    jsc_ctx *cx;
    jsc_node *fn;
    const loop_temps *t;
    loop_temps *tw; /* where the return temporary is created on first need */
    jsc_jumps j;    /* what encloses a jump inside the body */
} exits;

/* Whether jump statement `n` in the body leaves the loop. */
static int leaves(const exits *x, const jsc_node *n)
{
    if (n->kind == N_RETURN)
        return 1;
    jsc_jump_to to = jsc_jump_target(&x->j, n);
    /* continue of this loop goes on with it */
    return n->kind == N_BREAK ? to != JSC_JUMP_INSIDE : to == JSC_JUMP_OUTSIDE;
}

/* { $$c = 2; jump } or, for `return v`, { $$r = v; $$c = 2; return $$r; }. */
static jsc_node *marked(exits *x, jsc_node *n)
{
    jsc_ctx *cx = x->cx;
    jsc_node *mark = set_stmt(cx, x->t->c, int_lit(cx, 2, n), n);
    jsc_node *v = n->kind == N_RETURN ? n->a : NULL;
    n->next = NULL;
    if (!v || jsc_is_temp(cx, v) || v->kind == N_NUMBER || v->kind == N_STRING)
        return jsc_wrap(cx, N_BLOCK, chain(mark, n, NULL), n);
    if (!x->tw->r)
        x->tw->r = jsc_declare_temp(cx, x->fn);
    jsc_node *keep = set_stmt(cx, x->tw->r, v, v);
    n->a = jsc_ident(cx, x->tw->r, n);
    return jsc_wrap(cx, N_BLOCK, chain(keep, mark, n), n);
}

/* An inner for-of loop's `finally { if ($$ci) close($$it, $$ci); }`: while that close runs,
 * this loop's flag is 1, so that an error of the inner return() (a throw completion) closes
 * this iterator quietly even when a jump set the flag to 2 for both loops:
 * `if ($$ci) { $$k = $$c; $$c = 1; close(...); $$c = $$k; }`. */
static void shield(exits *x, jsc_node *tr)
{
    jsc_ctx *cx = x->cx;
    jsc_node *test = tr->d->a;
    jsc_node *close = test->b;
    const char *k = jsc_declare_temp(cx, x->fn);
    jsc_node *save = set_stmt(cx, k, jsc_ident(cx, x->t->c, tr), tr);
    jsc_node *on = set_stmt(cx, x->t->c, int_lit(cx, 1, tr), tr);
    jsc_node *back = set_stmt(cx, x->t->c, jsc_ident(cx, k, tr), tr);
    chain(save, on, close);
    close->next = back;
    back->next = NULL;
    test->b = jsc_wrap(cx, N_BLOCK, save, tr);
}

static void mark_exits(jsc_ctx *cx, jsc_node **slot, void *data)
{
    exits *x = data;
    jsc_node *n = *slot;
    if (jsc_is_code_boundary(n))
        return;
    switch (n->kind) {
    case N_BREAK:
    case N_CONTINUE:
    case N_RETURN:
        if (leaves(x, n))
            jsc_replace(slot, marked(x, n));
        return;
    case N_LABELED:
        jsc_jumps_labeled(cx, &x->j, n, mark_exits, x);
        return;
    case N_FOR:
    case N_FOR_IN:
    case N_FOR_OF:
    case N_WHILE:
    case N_DO_WHILE:
        x->j.loops++;
        jsc_each_child(cx, n, mark_exits, x);
        x->j.loops--;
        return;
    case N_TRY:
        if (n->flags & JSC_LOWERED)
            shield(x, n);
        jsc_each_child(cx, n, mark_exits, x);
        return;
    case N_SWITCH:
        x->j.switches++;
        jsc_each_child(cx, n, mark_exits, x);
        x->j.switches--;
        return;
    default:
        jsc_each_child(cx, n, mark_exits, x);
    }
}

/* Whether the body holds yield, await or try...finally (outside nested functions; the
 * try...finally of an inner for-of loop lowered here does not count, see shield()). */
static void find_hard(jsc_ctx *cx, jsc_node **slot, void *data)
{
    int *hard = data;
    jsc_node *n = *slot;
    if (*hard || jsc_is_code_boundary(n))
        return;
    if (n->kind == N_YIELD || n->kind == N_AWAIT ||
        (n->kind == N_TRY && n->d && !(n->flags & JSC_LOWERED))) {
        *hard = 1;
        return;
    }
    jsc_each_child(cx, n, find_hard, data);
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
    loop_temps t = {0};
    t.a = jsc_declare_temp(cx, fn);
    t.it = jsc_declare_temp(cx, fn);
    t.i = jsc_declare_temp(cx, fn);
    t.s = jsc_declare_temp(cx, fn);
    t.c = jsc_declare_temp(cx, fn);
    jsc_need(cx, "iterator");
    int hard = 0;
    find_hard(cx, &loop->d, &hard);
    if (!hard) {
        exits x = {cx, fn, &t, &t, {labels, NULL, 0, 0}};
        mark_exits(cx, &loop->d, &x);
    }
    jsc_node *src = loop->b;
    src->next = NULL;
    jsc_node *of = jsc_call(cx, jsc_ident(cx, "$jsc_of", src), set(cx, t.a, src, src), src);
    jsc_node *f = new_loop(cx, loop, &t);
    jsc_node *inner = f;
    if (labels) {
        jsc_node *l = labels;
        while (l->a->kind == N_LABELED)
            l = l->a;
        l->a = f;
        /* A copy goes into the try: the original keeps its place in the statement list
         * (its `next`) for the walk that is under way. */
        inner = jsc_node_new(cx, N_LABELED, labels);
        *inner = *labels;
        inner->next = NULL;
    }
    jsc_node *init = set_stmt(cx, t.it, of, loop);
    jsc_node *i0 = set_stmt(cx, t.i, int_lit(cx, 0, loop), loop);
    jsc_node *c0 = set_stmt(cx, t.c, int_lit(cx, 0, loop), loop);
    init->next = i0;
    chain(i0, c0, try_close(cx, inner, &t, hard, loop));
    jsc_replace(slot, jsc_wrap(cx, N_BLOCK, init, *slot));
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
