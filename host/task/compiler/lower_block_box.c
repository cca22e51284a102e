/*
 * host/task/compiler/lower_block_box.c - a fresh let/const binding per loop iteration for
 * loops whose body contains yield or await (their body cannot move into a function, as
 * lower_block_loop.c does for the others: the generator pass runs later).
 *
 * Each scope of the loop that declares a captured binding gets a "box", an object made anew
 * whenever the scope is entered; the binding lives in it as a property, and every function
 * created in the loop that uses a box receives the current box through a wrapper call, so it
 * keeps the iteration's binding:
 *
 *   for (let i = 0; i < 3; i++) { await null; fns.push(function () { return i; }); }
 *   ->
 *   for ($$b = {}, $$b.i = 0; $$b.i < 3; $$b = {i: $$b.i}, $$b.i++) {
 *       await null;
 *       fns.push(function ($$b) { return function () { return $$b.i; }; }($$b));
 *   }
 *
 * The for head's box is copied before the update (the spec's per-iteration copy), a block's
 * box is made at its entry. Block-level function declarations that use a box cannot be
 * wrapped: they are a compile error naming the workaround.
 */
#include "lower_block_int.h"

#include <string.h>

enum { MAX_BOXES = 16, MAX_BOXED = 64 };

typedef struct box {
    jsc_scope_info *scope;
    const char *name;
} box;

typedef struct bx {
    jsc_ctx *cx;
    jsc_node *fn;
    jsc_node *loop;
    box boxes[MAX_BOXES];
    size_t nboxes;
    jsc_binding *boxed[MAX_BOXED];
    const char *box_of[MAX_BOXED];
    size_t nboxed;
    const char *used[MAX_BOXES]; /* boxes the current outermost closure uses */
    size_t nused;
    int in_fn;
} bx;

static const char *box_for(bx *x, jsc_scope_info *s)
{
    for (size_t i = 0; i < x->nboxes; i++)
        if (x->boxes[i].scope == s)
            return x->boxes[i].name;
    if (x->nboxes == MAX_BOXES)
        return NULL;
    box *b = &x->boxes[x->nboxes++];
    b->scope = s;
    b->name = jsc_declare_temp(x->cx, x->fn);
    return b->name;
}

static void collect_slot(jsc_ctx *cx, jsc_node **slot, void *data)
{
    bx *x = data;
    jsc_node *n = *slot;
    if (n->kind == N_FUNCTION || n->kind == N_FUNC_DECL)
        return;
    int scoped = n->kind == N_BLOCK || n->kind == N_SWITCH || n->kind == N_FOR ||
                 n->kind == N_FOR_IN;
    jsc_scope_info *s = scoped ? n->scope : NULL;
    for (jsc_binding *b = s ? s->bindings : NULL; b; b = b->next) {
        if (!b->captured_in_loop || b->loop != x->loop || b->kind == JSC_B_FUNC)
            continue;
        const char *name = box_for(x, s);
        if (!name || x->nboxed == MAX_BOXED) {
            jsc_error(cx, n, "too many variables captured in a loop with yield or await");
            return;
        }
        x->boxed[x->nboxed] = b;
        x->box_of[x->nboxed++] = name;
    }
    jsc_each_child(cx, n, collect_slot, data);
}

static const char *boxed(const bx *x, const jsc_binding *b)
{
    for (size_t i = 0; b && i < x->nboxed; i++)
        if (x->boxed[i] == b)
            return x->box_of[i];
    return NULL;
}

static jsc_node *box_member(bx *x, const char *bname, const jsc_binding *b, const jsc_node *at)
{
    if (x->in_fn) {
        size_t i = 0;
        while (i < x->nused && strcmp(x->used[i], bname) != 0)
            i++;
        if (i == x->nused && x->nused < MAX_BOXES)
            x->used[x->nused++] = bname;
    }
    return jsc_member(x->cx, jsc_ident(x->cx, bname, at), b->name, at);
}

/* function (b1, ...) { return F; }(b1, ...) */
static jsc_node *wrap_closure(bx *x, jsc_node *f)
{
    jsc_ctx *cx = x->cx;
    jsc_node *w = jsc_node_new(cx, N_FUNCTION, f), *args = NULL;
    for (size_t i = 0; i < x->nused; i++) {
        jsc_list_append(&w->a, jsc_ident(cx, x->used[i], f));
        jsc_list_append(&args, jsc_ident(cx, x->used[i], f));
    }
    jsc_node *ret = jsc_node_new(cx, N_RETURN, f);
    ret->a = f;
    w->b = jsc_node_new(cx, N_BLOCK, f);
    w->b->a = ret;
    w->flags = (f->flags & JSC_STRICT) | JSC_PARENS;
    return jsc_call(cx, w, args, f);
}

static void rewrite(jsc_ctx *cx, jsc_node **slot, void *data);

static void rewrite_function(bx *x, jsc_node **slot)
{
    jsc_node *f = *slot;
    if (x->in_fn) {
        jsc_each_child(x->cx, f, rewrite, x);
        return;
    }
    x->in_fn = 1;
    x->nused = 0;
    jsc_each_child(x->cx, f, rewrite, x);
    x->in_fn = 0;
    if (!x->nused)
        return;
    if (f->kind == N_FUNC_DECL) {
        jsc_error(x->cx, f,
                  "a function declaration inside a loop with yield or await cannot use the "
                  "loop's let/const variables; assign a function expression to a variable");
        return;
    }
    /* wrap a copy: f keeps its `next`, which jsc_each_child reads to go on */
    jsc_node *copy = jsc_alloc(x->cx, sizeof *copy);
    *copy = *f;
    copy->next = NULL;
    jsc_replace(slot, wrap_closure(x, copy));
}

/* A let/const statement: boxed declarators become assignments to the box. */
static void rewrite_var(bx *x, jsc_node **slot)
{
    jsc_ctx *cx = x->cx;
    jsc_node *var = *slot, *out = NULL, *keep = NULL, *next = var->next;
    for (jsc_node *d = var->a, *nx; d; d = nx) {
        nx = d->next;
        d->next = NULL;
        if (d->b)
            rewrite(cx, &d->b, x);
        const char *bname = d->a->kind == N_IDENT ? boxed(x, d->a->scope) : NULL;
        if (!bname) {
            jsc_list_append(&keep, d);
            continue;
        }
        if (keep) { /* keep declarators in order: flush the plain ones first */
            jsc_node *v = jsc_node_new(cx, N_VAR, var);
            v->flags = var->flags;
            v->a = keep;
            jsc_list_append(&out, v);
            keep = NULL;
        }
        jsc_node *value = d->b ? d->b : jsc_void0(cx, d);
        jsc_list_append(&out, jsc_expr_stmt(cx, jsc_assign(cx, box_member(x, bname, d->a->scope,
                                                                          d->a),
                                                           value, d)));
    }
    if (keep) {
        var->a = keep;
        var->next = NULL;
        jsc_list_append(&out, var);
    }
    if (!out)
        out = jsc_node_new(cx, N_EMPTY, var);
    jsc_list_last(out)->next = next;
    *slot = out;
}

static void rewrite(jsc_ctx *cx, jsc_node **slot, void *data)
{
    bx *x = data;
    jsc_node *n = *slot;
    if (cx->failed)
        return;
    switch (n->kind) {
    case N_IDENT: {
        const char *bname = boxed(x, n->scope);
        if (bname)
            jsc_replace(slot, box_member(x, bname, n->scope, n));
        return;
    }
    case N_FUNCTION:
    case N_FUNC_DECL:
        rewrite_function(x, slot);
        return;
    case N_VAR:
        if (!(n->flags & JSC_DECL_VAR) && x->in_fn == 0) {
            rewrite_var(x, slot);
            return;
        }
        break;
    case N_ASSIGN:
    case N_UPDATE: /* a const target stays: the block pass makes it throw */
        if (n->a->kind == N_IDENT && boxed(x, n->a->scope) &&
            ((jsc_binding *)n->a->scope)->kind == JSC_B_CONST) {
            if (n->b)
                rewrite(cx, &n->b, x);
            return;
        }
        break;
    case N_PROPERTY:
        if (n->flags & JSC_COMPUTED)
            rewrite(cx, &n->a, x);
        if (n->b)
            rewrite(cx, &n->b, x);
        return;
    default:
        break;
    }
    jsc_each_child(cx, n, rewrite, data);
}

static jsc_node *new_box(bx *x, const char *name, const jsc_node *at)
{
    return jsc_assign(x->cx, jsc_ident(x->cx, name, at), jsc_node_new(x->cx, N_OBJECT, at), at);
}

/* (a, b), or a when b is NULL */
static jsc_node *seq2(jsc_ctx *cx, jsc_node *a, jsc_node *b, const jsc_node *at)
{
    return b ? jsc_wrap(cx, N_SEQUENCE, jsc_link(a, b), at) : a;
}

/* The for head: `$$b = {}, $$b.i = 0, j = 1` and the copy `$$b = {i: $$b.i}` before the
 * update. */
static void for_head(bx *x, jsc_node *loop, const char *name)
{
    jsc_ctx *cx = x->cx;
    jsc_node *init = new_box(x, name, loop);
    if (loop->a && loop->a->kind == N_VAR) {
        jsc_node *var = loop->a;
        for (jsc_node *d = var->a; d; d = d->next) {
            const char *bname = boxed(x, d->a->scope);
            jsc_node *target = bname ? box_member(x, bname, d->a->scope, d->a)
                                     : jsc_ident(cx, d->a->str, d->a);
            if (!bname)
                jsc_list_append(&x->fn->c, jsc_ident(cx, d->a->str, NULL));
            jsc_node *v = d->b ? d->b : jsc_void0(cx, d);
            v->next = NULL;
            jsc_list_append(&init, jsc_assign(cx, target, v, d));
        }
    } else if (loop->a) {
        jsc_list_append(&init, loop->a);
    }
    jsc_node *s = jsc_node_new(cx, N_SEQUENCE, loop);
    s->a = init;
    loop->a = s;
    jsc_node *copy = jsc_node_new(cx, N_OBJECT, loop);
    for (size_t i = 0; i < x->nboxed; i++) {
        if (strcmp(x->box_of[i], name) != 0)
            continue;
        jsc_node *p = jsc_node_new(cx, N_PROPERTY, loop);
        p->a = jsc_ident(cx, x->boxed[i]->name, loop);
        p->b = jsc_member(cx, jsc_ident(cx, name, loop), x->boxed[i]->name, loop);
        jsc_list_append(&copy->a, p);
    }
    jsc_node *update = loop->c;
    loop->c = seq2(cx, jsc_assign(cx, jsc_ident(cx, name, loop), copy, loop), update, loop);
}

static void block_entry(bx *x, jsc_node *node, const char *name)
{
    jsc_ctx *cx = x->cx;
    if (node->kind == N_SWITCH) {
        node->a = seq2(cx, new_box(x, name, node), node->a, node);
        return;
    }
    jsc_node **list = node->kind == N_FOR_IN ? &node->d->a : &node->a;
    jsc_node *stmt = jsc_expr_stmt(cx, new_box(x, name, node));
    stmt->next = *list;
    *list = stmt;
}

int jsc_block_box_loop(jsc_ctx *cx, jsc_node *loop, jsc_node *fn)
{
    bx *x = jsc_alloc(cx, sizeof *x);
    x->cx = cx;
    x->fn = fn;
    x->loop = loop;
    collect_slot(cx, &loop, x);
    if (cx->failed)
        return 0;
    if (loop->a && loop->a->kind == N_VAR && loop->kind == N_FOR) {
        for (jsc_node *d = loop->a->a; d; d = d->next)
            if (d->b)
                rewrite(cx, &d->b, x); /* the declared names: for_head */
    } else if (loop->a) {
        rewrite(cx, &loop->a, x);
    }
    if (loop->b)
        rewrite(cx, &loop->b, x);
    if (loop->c)
        rewrite(cx, &loop->c, x);
    rewrite(cx, &loop->d, x);
    for (size_t i = 0; i < x->nboxes && !cx->failed; i++) {
        jsc_node *node = x->boxes[i].scope->node;
        if (node == loop && loop->kind == N_FOR)
            for_head(x, loop, x->boxes[i].name);
        else
            block_entry(x, node, x->boxes[i].name);
    }
    return !cx->failed;
}
