/*
 * host/task/compiler/lower_block.c - let/const/class bindings and block-level functions to
 * ES5 `var` with their block scope kept.
 *
 * 1. Scope analysis runs again (the earlier passes moved code and added bindings).
 * 2. Renaming: a block-level binding becomes a `var` of its function, so it is renamed
 *    (x -> x$1, a name used nowhere in the program) when, inside that function, the same name
 *    also denotes something else: a var/parameter of the function, a binding of an outer
 *    function, a global, or another block-level binding (the first keeps its name). Block
 *    bindings at the top level of the program are always renamed, so they never overwrite a
 *    global of the host or of the runtime.
 * 3. Loops whose let/const bindings are captured by a closure created in them get a fresh
 *    binding per iteration (lower_block_loop.c; lower_block_box.c when the body contains
 *    yield or await).
 * 4. let/const -> var; `let x;` becomes `var x = void 0;` so that it is reset on every pass
 *    through its block (loops); block-level function declarations become
 *    `var f = function f() {...};` at the top of their block (the strict-mode rule, in every
 *    mode: see scope.h); an assignment or ++/-- to a const evaluates its operands and then
 *    throws TypeError "Assignment to constant variable." ($jsc_const_assign, runtime
 *    block.js).
 *
 * 5. Temporal dead zone checks where a use may come before the declaration
 *    (lower_block_tdz.c).
 *
 * Not modelled: closures created in the test or update
 * expression of a `for` head (they see the loop's single variable).
 */
#include "lower_block_int.h"
#include "names.h"

#include "phases.h"

#include <string.h>

/* ---- renaming ---------------------------------------------------------------------------- */

typedef struct entry {
    const char *name;
    jsc_binding *first; /* first block-level binding of this name in the function */
    unsigned multi : 1; /* another block-level binding has the name too */
    unsigned other : 1; /* something that is not block-level in the function has the name */
} entry;

typedef struct cand {
    jsc_binding *b;
    struct cand *next;
} cand;

typedef struct frame {
    jsc_scope_info *fs;
    entry *slots;
    size_t cap, count;
    cand *cands;
    struct frame *prev;
} frame;

typedef struct loop_item {
    jsc_node *loop;
    struct loop_item *next;
} loop_item;

typedef struct rn {
    jsc_ctx *cx;
    jsc_node *prog;
    frame *top;
    loop_item *wrap; /* loops that need a fresh binding per iteration */
} rn;

static entry *lookup(rn *r, frame *f, const char *name)
{
    if ((f->count + 1) * 2 > f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 64;
        entry *slots = jsc_alloc(r->cx, cap * sizeof *slots);
        for (size_t i = 0; i < f->cap; i++) {
            if (!f->slots[i].name)
                continue;
            size_t j = jsc_names_hash(f->slots[i].name) & (cap - 1);
            while (slots[j].name)
                j = (j + 1) & (cap - 1);
            slots[j] = f->slots[i];
        }
        f->slots = slots;
        f->cap = cap;
    }
    size_t i = jsc_names_hash(name) & (f->cap - 1);
    for (; f->slots[i].name; i = (i + 1) & (f->cap - 1))
        if (strcmp(f->slots[i].name, name) == 0)
            return &f->slots[i];
    f->slots[i].name = name;
    f->count++;
    return &f->slots[i];
}

static int block_level(const jsc_binding *b)
{
    if (b->scope == b->scope->func || b->scope->kind == JSC_S_CLASS)
        return 0;
    return b->kind == JSC_B_LET || b->kind == JSC_B_CONST || b->kind == JSC_B_CLASS ||
           b->kind == JSC_B_FUNC;
}

static void note(rn *r, frame *f, const char *name, jsc_binding *b)
{
    entry *e = lookup(r, f, name);
    if (!b || b->scope->func != f->fs || !block_level(b)) {
        e->other = 1;
        return;
    }
    if (!e->first)
        e->first = b;
    else if (e->first != b)
        e->multi = 1;
}

static void note_ident(rn *r, jsc_node *id)
{
    jsc_binding *b = id->scope;
    for (frame *f = r->top; f; f = f->prev) {
        note(r, f, id->str, b);
        if (b && b->scope->func == f->fs)
            break;
    }
}

static void note_scope(rn *r, jsc_scope_info *s)
{
    for (jsc_binding *b = s->bindings; b; b = b->next) {
        note(r, r->top, b->name, b);
        if (block_level(b)) {
            cand *c = jsc_alloc(r->cx, sizeof *c);
            c->b = b;
            c->next = r->top->cands;
            r->top->cands = c;
        }
    }
}

static void add_wrap(rn *r, jsc_node *loop)
{
    for (loop_item *i = r->wrap; i; i = i->next)
        if (i->loop == loop)
            return;
    loop_item *i = jsc_alloc(r->cx, sizeof *i);
    i->loop = loop;
    i->next = r->wrap;
    r->wrap = i;
}

static void finish_frame(rn *r, frame *f)
{
    for (cand *c = f->cands; c; c = c->next) {
        jsc_binding *b = c->b;
        entry *e = lookup(r, f, b->name);
        /* A compiler temporary (a destructured catch parameter or for-of value at the top
         * level) is unique already: renaming it would look for a name outside the temporaries'
         * prefix forever. */
        const char *prefix = r->cx->temp_prefix ? r->cx->temp_prefix : "$$";
        int temp = strncmp(b->name, prefix, strlen(prefix)) == 0;
        if (!temp && (f->fs->kind == JSC_S_PROGRAM || e->other || (e->multi && e->first != b))) {
            b->name = jsc_scope_fresh_name(r->cx, r->prog, b->name);
            if (b->decl && b->decl->kind == N_FUNC_DECL)
                b->decl->str = b->name;
        }
        if (b->captured_in_loop && b->loop)
            add_wrap(r, b->loop);
    }
}

static int scope_node(const jsc_node *n)
{
    switch (n->kind) {
    case N_BLOCK:
    case N_SWITCH:
    case N_FOR:
    case N_FOR_IN:
    case N_FOR_OF:
    case N_TRY:
    case N_CLASS:
    case N_CLASS_DECL:
        return n->scope != NULL;
    default:
        return 0;
    }
}

static void rn_visit(jsc_ctx *cx, jsc_node **slot, void *data)
{
    rn *r = data;
    jsc_node *n = *slot;
    if (n->kind == N_IDENT) {
        note_ident(r, n);
        return;
    }
    if ((n->kind == N_FUNCTION || n->kind == N_FUNC_DECL) && n->scope) {
        frame f = {n->scope, NULL, 0, 0, NULL, r->top};
        r->top = &f;
        note_scope(r, f.fs);
        jsc_each_child(cx, n, rn_visit, r);
        finish_frame(r, &f);
        r->top = f.prev;
        return;
    }
    if (scope_node(n))
        note_scope(r, n->scope);
    jsc_each_child(cx, n, rn_visit, r);
}

static void apply_names(jsc_ctx *cx, jsc_node **slot, void *data)
{
    jsc_node *n = *slot;
    if (n->kind == N_IDENT) {
        jsc_binding *b = n->scope;
        if (b && strcmp(b->name, n->str) != 0)
            n->str = b->name;
        return;
    }
    jsc_each_child(cx, n, apply_names, data);
}

/* ---- let/const to var, const assignments, block functions ----------------------------------- */

typedef struct tw {
    jsc_node *fn;
    rn *r;
} tw;

static int take_wrap(rn *r, const jsc_node *loop)
{
    for (loop_item **p = &r->wrap; *p; p = &(*p)->next)
        if ((*p)->loop == loop) {
            *p = (*p)->next;
            return 1;
        }
    return 0;
}

static void to_var(jsc_ctx *cx, jsc_node *var, int init)
{
    if (var->flags & JSC_DECL_VAR)
        return;
    var->flags = (var->flags & ~(uint32_t)(JSC_DECL_LET | JSC_DECL_CONST)) | JSC_DECL_VAR;
    if (init)
        for (jsc_node *d = var->a; d; d = d->next)
            if (!d->b)
                d->b = jsc_void0(cx, d);
}

static jsc_node *const_error(jsc_ctx *cx, jsc_node *n)
{
    jsc_need(cx, "block");
    jsc_node *call = jsc_call(cx, jsc_ident(cx, "$jsc_const_assign", n), NULL, n);
    jsc_node *seq = jsc_node_new(cx, N_SEQUENCE, n);
    jsc_node *a = n->a;
    a->next = NULL;
    if (n->kind == N_ASSIGN && n->op == JT_ASSIGN) {
        a = n->b;
    } else if (n->kind == N_ASSIGN) {
        a->next = n->b;
    }
    jsc_list_last(a)->next = call;
    seq->a = a;
    seq->flags = JSC_PARENS;
    return seq;
}

static int is_const_target(const jsc_node *n)
{
    if ((n->kind != N_ASSIGN && n->kind != N_UPDATE) || !n->a || n->a->kind != N_IDENT ||
        (n->flags & JSC_LOWERED)) /* the TDZ sentinel set at scope entry */
        return 0;
    const jsc_binding *b = n->a->scope;
    return b && b->kind == JSC_B_CONST;
}

/* Block-level function declarations of `list` -> `var f = function f() {}` at its top. */
static void block_functions(jsc_ctx *cx, jsc_node **list, jsc_scope_info *s)
{
    jsc_node *hoisted = NULL;
    for (jsc_node **p = list; *p;) {
        jsc_node *fd = *p;
        if (fd->kind != N_FUNC_DECL || !fd->str) {
            p = &fd->next;
            continue;
        }
        *p = fd->next;
        fd->next = NULL;
        const char *name = fd->str;
        for (jsc_binding *b = s ? s->bindings : NULL; b; b = b->next)
            if (b->decl == fd)
                name = b->name;
        fd->kind = N_FUNCTION; /* named as its (possibly renamed) binding */
        jsc_list_append(&hoisted, jsc_var_decl(cx, name, fd, fd));
    }
    if (hoisted) {
        jsc_list_last(hoisted)->next = *list;
        *list = hoisted;
    }
}

static void tw_visit(jsc_ctx *cx, jsc_node **slot, void *data);

static void visit_wrapped(jsc_ctx *cx, jsc_node **slot, jsc_node *labels, jsc_node *loop, tw *t)
{
    if (!jsc_block_wrap_loop(cx, slot, labels, loop, t->fn))
        return;
    jsc_each_child(cx, *slot, tw_visit, t);
}

static jsc_node *labelled_loop(jsc_node *n)
{
    while (n && n->kind == N_LABELED)
        n = n->a;
    return n && jsc_is_loop(n->kind) ? n : NULL;
}

static void post(jsc_ctx *cx, jsc_node **slot)
{
    jsc_node *n = *slot;
    switch (n->kind) {
    case N_VAR:
        to_var(cx, n, 1);
        break;
    case N_ASSIGN:
    case N_UPDATE:
        if (is_const_target(n))
            jsc_replace(slot, const_error(cx, n));
        break;
    case N_BLOCK:
        block_functions(cx, &n->a, n->scope);
        break;
    case N_SWITCH:
        for (jsc_node *c = n->b; c; c = c->next)
            block_functions(cx, &c->b, n->scope);
        break;
    default:
        break;
    }
}

static void tw_visit(jsc_ctx *cx, jsc_node **slot, void *data)
{
    tw *t = data;
    jsc_node *n = *slot;
    if (cx->failed)
        return;
    jsc_node *loop = n->kind == N_LABELED ? labelled_loop(n) : n;
    if (loop && jsc_is_loop(loop->kind) && take_wrap(t->r, loop)) {
        if (!jsc_suspends(loop->d)) {
            visit_wrapped(cx, slot, n->kind == N_LABELED ? n : NULL, loop, t);
            return;
        }
        if (loop->kind == N_FOR_IN)
            jsc_block_for_in_head(cx, loop, t->fn);
        if (!jsc_block_box_loop(cx, loop, t->fn))
            return;
    }
    if (n->kind == N_FOR_OF) {
        jsc_error(cx, n, "internal: for-of must be lowered before block scoping");
        return;
    }
    if (n->kind == N_FUNCTION || n->kind == N_FUNC_DECL) {
        tw inner = {n, t->r};
        for (jsc_node **p = &n->a; *p; p = &(*p)->next)
            tw_visit(cx, p, &inner);
        if (n->b && n->b->kind == N_BLOCK && !(n->flags & JSC_EXPR_BODY))
            jsc_each_child(cx, n->b, tw_visit, &inner);
        else if (n->b)
            tw_visit(cx, &n->b, &inner);
        return;
    }
    if (n->kind == N_FOR_IN && n->a && n->a->kind == N_VAR)
        to_var(cx, n->a, 0);
    jsc_each_child(cx, n, tw_visit, t);
    post(cx, slot);
}

int jsc_lower_block(jsc_ctx *cx, jsc_node *prog)
{
    if (!jsc_scope(cx, prog))
        return 0;
    rn r = {cx, prog, NULL, NULL};
    frame f = {prog->scope, NULL, 0, 0, NULL, NULL};
    r.top = &f;
    note_scope(&r, f.fs);
    jsc_each_child(cx, prog, rn_visit, &r);
    finish_frame(&r, &f);
    jsc_each_child(cx, prog, apply_names, NULL);
    if (!jsc_block_tdz(cx, prog))
        return 0;
    tw t = {prog, &r};
    jsc_each_child(cx, prog, tw_visit, &t);
    return !cx->failed;
}
