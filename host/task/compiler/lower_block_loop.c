/*
 * host/task/compiler/lower_block_loop.c - a fresh let/const binding per loop iteration when a
 * closure captures one: the loop body becomes a function called once per iteration.
 *
 *   L: for (let i = 0; i < n; i++) { if (i == 3) continue; fns.push(function () { return i; });
 *                                     if (i == k) break L; if (i == m) return i; }
 *   ->
 *   {
 *     $$f = function (i) { if (i == 3) return; fns.push(function () { return i; });
 *                          if (i == k) return "b"; if (i == m) return {v: i}; };
 *     L: for (var i = 0; i < n; i++) {
 *       $$r = $$f(i);
 *       if ($$r === "b") break;
 *       if (typeof $$r === "object") return $$r.v;
 *     }
 *   }
 *
 * Only the head bindings that a closure captures are passed in; when the body assigns one, its
 * value is copied back after the call ($$w) so the update expression sees it, as the spec's
 * per-iteration copy does. A break/continue to a label outside the loop returns "b:L"/"c:L"
 * and the loop performs it; nested wrapped loops compose (an inner `return {v: x}` is
 * rewritten again by the outer wrap). `this` is passed with .call(this, ...) and `arguments`
 * through a temporary. `var` declarations of the body are hoisted out to the enclosing
 * function. A body that contains yield or await cannot move into a function (the generator
 * pass runs later): lower_block_box.c gives those loops their fresh bindings instead.
 */
#include "jumps.h"
#include "lower_block_int.h"

#include <string.h>

typedef struct exit_code {
    const char *label;
    int is_break;
    struct exit_code *next;
} exit_code;

enum { MAX_PARAMS = 32 };

typedef struct bw {
    jsc_ctx *cx;
    jsc_node *fn;        /* enclosing function/program: owner of temporaries and vars */
    jsc_jumps j;         /* what encloses a jump inside the body */
    jsc_binding *params[MAX_PARAMS];
    const char *wb[MAX_PARAMS]; /* write-back temporary of a parameter the body assigns */
    size_t nparams;
    int brk, ret;
    exit_code *exits;
    const char *args;
    int uses_this;
} bw;

/* { $$w = p; ...; return; } for a continue of the wrapped loop itself. */
static jsc_node *continue_exit(bw *w, const jsc_node *at)
{
    jsc_node *list = NULL;
    for (size_t i = 0; i < w->nparams; i++)
        if (w->wb[i])
            jsc_list_append(
                &list,
                jsc_expr_stmt(w->cx, jsc_assign(w->cx, jsc_ident(w->cx, w->wb[i], at),
                                                jsc_ident(w->cx, w->params[i]->name, at), at)));
    jsc_list_append(&list, jsc_wrap(w->cx, N_RETURN, NULL, at));
    return list->next ? jsc_wrap(w->cx, N_BLOCK, list, at) : list;
}

static jsc_node *code_exit(bw *w, const char *code, const jsc_node *at)
{
    return jsc_wrap(w->cx, N_RETURN, jsc_string(w->cx, code, strlen(code), at), at);
}

static void note_exit(bw *w, const char *label, int is_break)
{
    for (exit_code *e = w->exits; e; e = e->next)
        if (e->is_break == is_break && strcmp(e->label, label) == 0)
            return;
    exit_code *e = jsc_alloc(w->cx, sizeof *e);
    e->label = label;
    e->is_break = is_break;
    e->next = w->exits;
    w->exits = e;
}

static void jump(bw *w, jsc_node **slot)
{
    jsc_node *n = *slot;
    int is_break = n->kind == N_BREAK;
    jsc_jump_to to = jsc_jump_target(&w->j, n);
    if (to == JSC_JUMP_INSIDE)
        return;
    if (to == JSC_JUMP_LOOP) {
        if (is_break)
            w->brk = 1;
        jsc_replace(slot, is_break ? code_exit(w, "b", n) : continue_exit(w, n));
        return;
    }
    note_exit(w, n->str, is_break);
    jsc_replace(slot, code_exit(w, jsc_sprintf(w->cx, "%c:%s", is_break ? 'b' : 'c', n->str), n));
}

static void hoist_name(bw *w, const char *name)
{
    jsc_list_append(&w->fn->c, jsc_ident(w->cx, name, NULL));
}

/* The declarators of a `var` as assignments (names hoisted); NULL when none initialises. */
static jsc_node *var_to_expr(bw *w, jsc_node *var)
{
    jsc_node *list = NULL;
    for (jsc_node *d = var->a, *next; d; d = next) {
        next = d->next;
        hoist_name(w, d->a->str);
        if (d->b)
            jsc_list_append(&list, jsc_assign(w->cx, d->a, d->b, d));
    }
    if (!list || !list->next)
        return list;
    jsc_node *seq = jsc_node_new(w->cx, N_SEQUENCE, var);
    seq->a = list;
    return seq;
}

static void rewrite(jsc_ctx *cx, jsc_node **slot, void *data);

static void rewrite_var_stmt(bw *w, jsc_node **slot)
{
    jsc_node *var = *slot;
    jsc_node *e = var_to_expr(w, var);
    jsc_node *s = e ? jsc_expr_stmt(w->cx, e) : jsc_node_new(w->cx, N_EMPTY, var);
    jsc_replace(slot, s);
    jsc_each_child(w->cx, s, rewrite, w);
}

static void rewrite_loop(bw *w, jsc_node *n)
{
    if (n->a && n->a->kind == N_VAR && (n->a->flags & JSC_DECL_VAR)) {
        if (n->kind == N_FOR_IN) {
            hoist_name(w, n->a->a->a->str);
            n->a = n->a->a->a;
        } else {
            n->a = var_to_expr(w, n->a);
        }
    }
    w->j.loops++;
    jsc_each_child(w->cx, n, rewrite, w);
    w->j.loops--;
}

static void rewrite(jsc_ctx *cx, jsc_node **slot, void *data)
{
    bw *w = data;
    jsc_node *n = *slot;
    if (jsc_is_code_boundary(n))
        return;
    switch (n->kind) {
    case N_THIS:
        w->uses_this = 1;
        return;
    case N_PROPERTY:
        if (n->flags & JSC_COMPUTED)
            rewrite(cx, &n->a, w);
        if (n->b)
            rewrite(cx, &n->b, w);
        return;
    case N_IDENT:
        if (!n->scope && w->fn->kind != N_PROGRAM && strcmp(n->str, "arguments") == 0) {
            if (!w->args)
                w->args = jsc_declare_temp(cx, w->fn);
            n->str = w->args;
        }
        return;
    case N_YIELD:
    case N_AWAIT:
        jsc_error(cx, n,
                  "'%s' inside a loop whose let/const variable is captured by a "
                  "closure is not supported; declare that variable with 'var' or "
                  "copy it into a helper function",
                  n->kind == N_YIELD ? "yield" : "await");
        return;
    case N_BREAK:
    case N_CONTINUE:
        jump(w, slot);
        return;
    case N_RETURN: {
        jsc_each_child(cx, n, rewrite, w);
        jsc_node *obj = jsc_node_new(cx, N_OBJECT, n);
        obj->a = jsc_node_new(cx, N_PROPERTY, n);
        obj->a->a = jsc_ident(cx, "v", n);
        obj->a->b = n->a ? n->a : jsc_void0(cx, n);
        n->a = obj;
        w->ret = 1;
        return;
    }
    case N_VAR:
        if (n->flags & JSC_DECL_VAR) {
            rewrite_var_stmt(w, slot);
            return;
        }
        break;
    case N_LABELED:
        jsc_jumps_labeled(cx, &w->j, n, rewrite, w);
        return;
    case N_FOR:
    case N_FOR_IN:
    case N_FOR_OF:
    case N_WHILE:
    case N_DO_WHILE:
        rewrite_loop(w, n);
        return;
    case N_SWITCH:
        rewrite(cx, &n->a, w);
        w->j.switches++;
        for (jsc_node **c = &n->b; *c; c = &(*c)->next)
            jsc_each_child(cx, *c, rewrite, w);
        w->j.switches--;
        return;
    default:
        break;
    }
    jsc_each_child(cx, n, rewrite, w);
}

/* Which passed-in head bindings the body assigns (not counting nested functions). */
static void scan_writes(jsc_ctx *cx, jsc_node **slot, void *data)
{
    bw *w = data;
    jsc_node *n = *slot;
    if (n->kind == N_FUNCTION || n->kind == N_FUNC_DECL)
        return;
    if ((n->kind == N_ASSIGN || n->kind == N_UPDATE) && n->a->kind == N_IDENT)
        for (size_t i = 0; i < w->nparams; i++)
            if (n->a->scope == w->params[i] && !w->wb[i])
                w->wb[i] = jsc_declare_temp(cx, w->fn);
    jsc_each_child(cx, n, scan_writes, data);
}

static jsc_node *if_code(bw *w, const char *code, jsc_node *then, const jsc_node *at)
{
    jsc_ctx *cx = w->cx;
    jsc_node *test = jsc_node_new(cx, N_BINARY, at);
    test->op = JT_SEQ;
    test->a = jsc_ident(cx, "", at); /* filled by the caller */
    test->b = jsc_string(cx, code, strlen(code), at);
    jsc_node *n = jsc_node_new(cx, N_IF, at);
    n->a = test;
    n->b = then;
    return n;
}

static jsc_node *jump_stmt(jsc_ctx *cx, jsc_kind kind, const char *label, const jsc_node *at)
{
    jsc_node *n = jsc_node_new(cx, kind, at);
    n->str = label;
    return n;
}

/* The new loop body: the call, write-backs, and the dispatch of exit codes. */
static jsc_node *call_body(bw *w, const char *f, const jsc_node *at)
{
    jsc_ctx *cx = w->cx;
    jsc_node *args = NULL;
    if (w->uses_this)
        jsc_list_append(&args, jsc_node_new(cx, N_THIS, at));
    for (size_t i = 0; i < w->nparams; i++)
        jsc_list_append(&args, jsc_ident(cx, w->params[i]->name, at));
    jsc_node *callee = jsc_ident(cx, f, at);
    if (w->uses_this)
        callee = jsc_member(cx, callee, "call", at);
    jsc_node *call = jsc_call(cx, callee, args, at);
    int codes = w->brk || w->ret || w->exits;
    const char *r = codes ? jsc_declare_temp(cx, w->fn) : NULL;
    jsc_node *list = jsc_expr_stmt(cx, r ? jsc_assign(cx, jsc_ident(cx, r, at), call, at) : call);
    for (size_t i = 0; i < w->nparams; i++)
        if (w->wb[i])
            jsc_list_append(&list,
                            jsc_expr_stmt(cx, jsc_assign(cx, jsc_ident(cx, w->params[i]->name, at),
                                                         jsc_ident(cx, w->wb[i], at), at)));
    jsc_node *ifs = NULL;
    if (w->brk)
        jsc_list_append(&ifs, if_code(w, "b", jump_stmt(cx, N_BREAK, NULL, at), at));
    if (w->ret) {
        jsc_node *t = jsc_node_new(cx, N_UNARY, at);
        t->op = JT_TYPEOF;
        t->a = jsc_ident(cx, r, at);
        jsc_node *i =
            if_code(w, "object",
                    jsc_wrap(cx, N_RETURN, jsc_member(cx, jsc_ident(cx, r, at), "v", at), at), at);
        i->a->a = t;
        jsc_list_append(&ifs, i);
    }
    for (exit_code *e = w->exits; e; e = e->next)
        jsc_list_append(
            &ifs, if_code(w, jsc_sprintf(cx, "%c:%s", e->is_break ? 'b' : 'c', e->label),
                          jump_stmt(cx, e->is_break ? N_BREAK : N_CONTINUE, e->label, at), at));
    for (jsc_node *i = ifs; i; i = i->next)
        if (i->a->a->kind == N_IDENT)
            i->a->a->str = r;
    jsc_list_append(&list, ifs);
    return jsc_wrap(cx, N_BLOCK, list, at);
}

/* for (let k in o) body -> for ($$t in o) { let k = $$t; body } */
void jsc_block_for_in_head(jsc_ctx *cx, jsc_node *loop, jsc_node *fn)
{
    jsc_node *head = loop->a;
    if (!head || head->kind != N_VAR || (head->flags & JSC_DECL_VAR))
        return;
    const char *t = jsc_declare_temp(cx, fn);
    jsc_node *id = head->a->a;
    loop->a = jsc_ident(cx, t, id);
    head->a->b = jsc_ident(cx, t, id);
    head->next = loop->d;
    loop->d->next = NULL;
    loop->d = jsc_wrap(cx, N_BLOCK, head, loop->d);
}

static void collect_params(bw *w, jsc_node *loop)
{
    jsc_scope_info *s = loop->kind == N_FOR ? loop->scope : NULL;
    for (jsc_binding *b = s ? s->bindings : NULL; b; b = b->next)
        if (b->captured_in_loop && w->nparams < MAX_PARAMS)
            w->params[w->nparams++] = b;
}

int jsc_block_wrap_loop(jsc_ctx *cx, jsc_node **slot, jsc_node *labels, jsc_node *loop,
                        jsc_node *fn)
{
    bw w;
    memset(&w, 0, sizeof w);
    w.cx = cx;
    w.fn = fn;
    w.j.labels = labels;
    if (loop->kind == N_FOR_IN)
        jsc_block_for_in_head(cx, loop, fn);
    collect_params(&w, loop);
    scan_writes(cx, &loop->d, &w);
    rewrite(cx, &loop->d, &w);
    if (cx->failed)
        return 0;
    jsc_node *body = loop->d;
    jsc_node *stmts = body->kind == N_BLOCK ? body->a : body;
    if (body->kind != N_BLOCK)
        body->next = NULL;
    jsc_node *last = continue_exit(&w, body);
    if (last->kind == N_BLOCK) /* write-backs at the end of the body */
        jsc_list_append(&stmts, last->a);
    jsc_node *wrapper = jsc_node_new(cx, N_FUNCTION, loop);
    for (size_t i = 0; i < w.nparams; i++)
        jsc_list_append(&wrapper->a, jsc_ident(cx, w.params[i]->name, loop));
    wrapper->b = jsc_wrap(cx, N_BLOCK, stmts, body);
    wrapper->flags = fn->flags & JSC_STRICT;
    const char *f = jsc_declare_temp(cx, fn);
    jsc_node *list = NULL;
    if (w.args)
        jsc_list_append(&list,
                        jsc_expr_stmt(cx, jsc_assign(cx, jsc_ident(cx, w.args, loop),
                                                     jsc_ident(cx, "arguments", loop), loop)));
    jsc_list_append(&list,
                    jsc_expr_stmt(cx, jsc_assign(cx, jsc_ident(cx, f, loop), wrapper, loop)));
    loop->d = call_body(&w, f, body);
    /* A copy goes into the block: the original keeps its `next`, which jsc_each_child
     * reads to continue after a replaced element. */
    jsc_node *stmt = jsc_alloc(cx, sizeof *stmt);
    *stmt = **slot;
    stmt->next = NULL;
    jsc_list_append(&list, stmt);
    jsc_replace(slot, jsc_wrap(cx, N_BLOCK, list, stmt));
    return 1;
}
