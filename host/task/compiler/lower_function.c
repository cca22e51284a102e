/*
 * host/task/compiler/lower_function.c - arrow functions and ES2015 parameters.
 *
 * Arrows become function expressions. Their `this`, `arguments` and `new.target` are those of
 * the nearest non-arrow function, captured at the top of that function into temporaries
 * ($$1 = this; ...) that the arrow reads. JSC_ASYNC stays on async arrows for the generator
 * pass. `new.target` in an ordinary function is `this instanceof F ? this.constructor : void 0`
 * (undefined in methods); class constructors were handled by the class pass.
 *
 * Parameters from the first default, rest or pattern on are read in the body, in order, so
 * that defaults are evaluated lazily, left to right, and see the earlier parameters, and so
 * that `f.length` counts only the parameters before them:
 *   function f(a, b = a, {c}, ...d) -> function f(a) { var b = arguments[1];
 *       if (b === void 0) b = a; var {c} = arguments[2]; var d = [].slice.call(arguments, 3); }
 * Async functions and generators keep formal parameters instead (temporaries for patterns),
 * because their bodies move into another function later; a generator's parameter code is
 * put in a JSC_PARAMS block that the generator pass keeps out of the state machine, so that
 * it runs at the call. Patterns in the generated `var`s are left to the destructuring pass.
 * Defaults see the scope outside the body: a body binding that a default names is renamed.
 */
#include "ast.h"
#include "phases.h"
#include "scope.h"

#include <string.h>

typedef struct frame {
    jsc_node *fn; /* the non-arrow function (or N_PROGRAM) whose this/arguments arrows see */
    const char *this_t, *args_t, *nt_t;
} frame;

typedef struct fn_walk {
    frame *fr;
    int in_arrow;
    jsc_node *prog;
} fn_walk;

static void visit(jsc_ctx *cx, jsc_node **slot, void *data);

/* `var target = init;` (target: an identifier or a pattern). */
static jsc_node *var_stmt(jsc_ctx *cx, jsc_node *target, jsc_node *init, const jsc_node *at)
{
    jsc_node *v = jsc_node_new(cx, N_VAR, at);
    v->flags = JSC_DECL_VAR;
    target->next = NULL;
    v->a = jsc_op(cx, N_DECLARATOR, JT_EOF, target, init, at);
    return v;
}

/* The slot of a function body (or program) after its directive prologue. */
static jsc_node **body_start(jsc_node *fn)
{
    jsc_node **p = fn->kind == N_PROGRAM ? &fn->a : &fn->b->a;
    while (*p && jsc_is_directive(*p))
        p = &(*p)->next;
    return p;
}

static void prepend(jsc_node *fn, jsc_node *stmts)
{
    if (!stmts)
        return;
    jsc_node **p = body_start(fn);
    jsc_list_last(stmts)->next = *p;
    *p = stmts;
}

static int is_method(const jsc_node *fn)
{
    return fn->kind != N_PROGRAM && (fn->flags & (JSC_METHOD | JSC_GET | JSC_SET));
}

/* ---- this / arguments / new.target ---------------------------------------------------- */

static const char *capture(jsc_ctx *cx, frame *fr, const char **slot)
{
    if (!*slot)
        *slot = jsc_declare_temp(cx, fr->fn);
    return *slot;
}

static jsc_node *new_target_value(jsc_ctx *cx, jsc_node *fn)
{
    if (!fn->str)
        fn->str = jsc_temp_name(cx); /* a fresh name shadows nothing */
    jsc_node *test = jsc_op(cx, N_BINARY, JT_INSTANCEOF, jsc_node_new(cx, N_THIS, fn),
                            jsc_ident(cx, fn->str, fn), fn);
    return jsc_cond(cx, test, jsc_member(cx, jsc_node_new(cx, N_THIS, fn), "constructor", fn),
                    jsc_void0(cx, fn), fn);
}

/* `$$1 = this; $$2 = arguments; $$3 = <new.target>;` at the top of the frame's function. */
static void finish_frame(jsc_ctx *cx, frame *fr)
{
    jsc_node *list = NULL, *fn = fr->fn;
    if (fr->this_t)
        jsc_list_append(&list, jsc_expr_stmt(cx, jsc_assign(cx, jsc_ident(cx, fr->this_t, NULL),
                                                            jsc_node_new(cx, N_THIS, NULL), NULL)));
    if (fr->args_t)
        jsc_list_append(&list, jsc_expr_stmt(cx, jsc_assign(cx, jsc_ident(cx, fr->args_t, NULL),
                                                            jsc_ident(cx, "arguments", NULL),
                                                            NULL)));
    if (fr->nt_t)
        jsc_list_append(&list, jsc_expr_stmt(cx, jsc_assign(cx, jsc_ident(cx, fr->nt_t, NULL),
                                                            new_target_value(cx, fn), NULL)));
    prepend(fn, list);
}

static jsc_node *lower_new_target(jsc_ctx *cx, fn_walk *w, jsc_node *n)
{
    frame *fr = w->fr;
    if (fr->fn->kind == N_PROGRAM || is_method(fr->fn))
        return jsc_void0(cx, n);
    return jsc_ident(cx, capture(cx, fr, &fr->nt_t), n);
}

/* ---- parameters ----------------------------------------------------------------------- */

static jsc_node *arg_ref(jsc_ctx *cx, size_t i, const jsc_node *at)
{
    return jsc_index(cx, jsc_ident(cx, "arguments", at), jsc_number(cx, (double)i, at), at);
}

static jsc_node *copy_ident(jsc_ctx *cx, const jsc_node *id)
{
    return jsc_ident(cx, id->str, id);
}

/* `src === void 0 ? def : src` (src is an identifier or arguments[i], safe to read twice). */
static jsc_node *defaulted(jsc_ctx *cx, jsc_node *src, jsc_node *src2, jsc_node *def)
{
    def->next = NULL;
    return jsc_cond(cx, jsc_op(cx, N_BINARY, JT_SEQ, src, jsc_void0(cx, def), def), def, src2, def);
}

/* Statements that bind parameter p (index i) from `src` (NULL: p is kept as a formal). */
static jsc_node *param_stmts(jsc_ctx *cx, jsc_node *p, size_t i, int formal, jsc_node **formals)
{
    jsc_node *target = p->kind == N_ASSIGN_PATTERN ? p->a : p;
    jsc_node *src, *src2;
    if (p->kind == N_REST) {
        jsc_node *slice = jsc_member(cx, jsc_member(cx, jsc_node_new(cx, N_ARRAY, p), "slice", p),
                                     "call", p);
        jsc_node *args = jsc_link(jsc_ident(cx, "arguments", p), jsc_number(cx, (double)i, p));
        return var_stmt(cx, p->a, jsc_call(cx, slice, args, p), p);
    }
    if (formal) {
        jsc_node *f = target->kind == N_IDENT ? copy_ident(cx, target)
                                              : jsc_ident(cx, jsc_temp_name(cx), target);
        jsc_list_append(formals, f);
        src = copy_ident(cx, f);
        src2 = copy_ident(cx, f);
    } else {
        src = arg_ref(cx, i, p);
        src2 = arg_ref(cx, i, p);
    }
    if (p->kind != N_ASSIGN_PATTERN)
        return formal && target->kind == N_IDENT ? NULL : var_stmt(cx, target, src, p);
    if (target->kind != N_IDENT)
        return var_stmt(cx, target, defaulted(cx, src, src2, p->b), p);
    /* x = def: `if (x === void 0) x = def;` after `var x = arguments[i];` */
    jsc_node *list = NULL;
    if (!formal)
        jsc_list_append(&list, var_stmt(cx, copy_ident(cx, target), src, p));
    jsc_node *test = jsc_op(cx, N_BINARY, JT_SEQ, copy_ident(cx, target), jsc_void0(cx, p), p);
    p->b->next = NULL;
    jsc_node *set = jsc_expr_stmt(cx, jsc_assign(cx, copy_ident(cx, target), p->b, p));
    jsc_list_append(&list, jsc_op(cx, N_IF, JT_EOF, test, set, p));
    return list;
}

/* ---- the parameter scope -------------------------------------------------------------- */

typedef struct pscope {
    jsc_node *prog;
    jsc_scope_info *fs;
    jsc_binding *b;   /* while renaming: the body binding */
    const char *to;   /* its new name */
} pscope;

/* A binding of fn's body (not a parameter) that a default names: `function f(a = () => x)
 * { var x; }` must see the outer x, so the body's x is renamed. */
static int body_binding(const pscope *ps, const jsc_binding *b)
{
    return b && b->scope == ps->fs && b->kind != JSC_B_PARAM && b->kind != JSC_B_FNAME;
}

static void rename_slot(jsc_ctx *cx, jsc_node **slot, void *data)
{
    pscope *ps = data;
    jsc_node *n = *slot;
    if (n->kind == N_IDENT && n->scope == ps->b)
        n->str = ps->to;
    else if (n->kind == N_FUNC_DECL && n == ps->b->decl)
        n->str = ps->to;
    jsc_each_child(cx, n, rename_slot, data);
}

static void default_refs(jsc_ctx *cx, jsc_node **slot, void *data)
{
    pscope *ps = data;
    jsc_node *n = *slot;
    if (n->kind == N_IDENT && body_binding(ps, n->scope)) {
        jsc_binding *b = n->scope;
        if (strcmp(b->name, n->str) == 0) { /* not renamed yet */
            ps->b = b;
            ps->to = jsc_scope_fresh_name(cx, ps->prog, b->name);
            b->name = ps->to;
            for (jsc_node **p = &ps->fs->node->b; *p; p = &(*p)->next)
                rename_slot(cx, p, ps);
        }
        n->scope = jsc_scope_lookup(ps->fs->parent, n->str);
        return;
    }
    jsc_each_child(cx, n, default_refs, data);
}

/* Parameters from `first` on (defaults and patterns) see the outer scope, not the body's. */
static void param_scope(jsc_ctx *cx, jsc_node *prog, jsc_node *fn, jsc_node *first)
{
    if (!fn->scope || !fn->b || fn->b->kind != N_BLOCK)
        return;
    pscope ps = {prog, fn->scope, NULL, NULL};
    for (jsc_node **p = &first; *p; p = &(*p)->next)
        jsc_each_child(cx, *p, default_refs, &ps);
}

static void lower_params(jsc_ctx *cx, jsc_node *prog, jsc_node *fn)
{
    jsc_node **cut = &fn->a;
    size_t i = 0;
    while (*cut && (*cut)->kind == N_IDENT) {
        cut = &(*cut)->next;
        i++;
    }
    if (!*cut)
        return;
    param_scope(cx, prog, fn, *cut);
    /* formals: the parameters `length` counts (before the first default or rest), and all
     * of them in async functions and generators */
    int all_formal = (fn->flags & (JSC_ASYNC | JSC_GENERATOR)) != 0, counted = 1;
    jsc_node *rest = *cut, *stmts = NULL, *formals = NULL;
    *cut = NULL;
    for (jsc_node *p = rest, *nx; p; p = nx, i++) {
        nx = p->next;
        p->next = NULL;
        if (p->kind == N_ASSIGN_PATTERN || p->kind == N_REST)
            counted = 0;
        int formal = (all_formal || counted) && p->kind != N_REST;
        jsc_node *s = param_stmts(cx, p, i, formal, &formals);
        if (s)
            jsc_list_append(&stmts, s);
    }
    *cut = formals;
    if (stmts && (fn->flags & (JSC_GENERATOR | JSC_ASYNC)) == JSC_GENERATOR) {
        stmts = jsc_wrap(cx, N_BLOCK, stmts, stmts);
        stmts->flags = JSC_PARAMS;
    }
    prepend(fn, stmts);
}

/* ---- arrows and the walk -------------------------------------------------------------- */

static void arrow_body(jsc_ctx *cx, jsc_node *fn)
{
    if (fn->flags & JSC_EXPR_BODY) {
        jsc_node *ret = jsc_wrap(cx, N_RETURN, fn->b, fn->b);
        fn->b = jsc_wrap(cx, N_BLOCK, ret, fn->b);
    }
    fn->flags &= ~(uint32_t)(JSC_ARROW | JSC_EXPR_BODY);
}

static void visit_function(jsc_ctx *cx, fn_walk *w, jsc_node *n)
{
    if (n->flags & JSC_ARROW) {
        int saved = w->in_arrow;
        w->in_arrow = 1;
        jsc_each_child(cx, n, visit, w);
        w->in_arrow = saved;
        arrow_body(cx, n);
        lower_params(cx, w->prog, n);
        return;
    }
    frame fr = {n, NULL, NULL, NULL};
    frame *saved_fr = w->fr;
    int saved = w->in_arrow;
    w->fr = &fr;
    w->in_arrow = 0;
    jsc_each_child(cx, n, visit, w);
    lower_params(cx, w->prog, n);
    finish_frame(cx, &fr);
    w->fr = saved_fr;
    w->in_arrow = saved;
}

static void visit(jsc_ctx *cx, jsc_node **slot, void *data)
{
    fn_walk *w = data;
    jsc_node *n = *slot;
    switch (n->kind) {
    case N_FUNCTION:
    case N_FUNC_DECL:
        visit_function(cx, w, n);
        return;
    case N_PROPERTY:
        /* a plain key is a name, not a reference */
        if ((n->flags & JSC_COMPUTED) && n->a)
            visit(cx, &n->a, w);
        if (n->b && n->b != n->a)
            visit(cx, &n->b, w);
        return;
    case N_THIS:
        if (w->in_arrow)
            jsc_replace(slot, jsc_ident(cx, capture(cx, w->fr, &w->fr->this_t), n));
        return;
    case N_IDENT:
        if (w->in_arrow && w->fr->fn->kind != N_PROGRAM && strcmp(n->str, "arguments") == 0)
            jsc_replace(slot, jsc_ident(cx, capture(cx, w->fr, &w->fr->args_t), n));
        return;
    case N_NEW_TARGET:
        jsc_replace(slot, lower_new_target(cx, w, n));
        return;
    default:
        jsc_each_child(cx, n, visit, w);
        return;
    }
}

int jsc_lower_function(jsc_ctx *cx, jsc_node *prog)
{
    frame fr = {prog, NULL, NULL, NULL};
    fn_walk w = {&fr, 0, prog};
    jsc_each_child(cx, prog, visit, &w);
    finish_frame(cx, &fr);
    return !cx->failed;
}
