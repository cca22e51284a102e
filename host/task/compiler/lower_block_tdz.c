/*
 * host/task/compiler/lower_block_tdz.c - the temporal dead zone of let/const/class bindings,
 * checked only where a use can come before the declaration ran.
 *
 * One walk in source order numbers the nodes and notes, for every reference to a let/const/
 * class binding, whether it may run before the declaration initialised the binding:
 *  - in the binding's own function: when it comes textually before the end of the
 *    declaration (loops re-enter the block, so "before" is exact), or lies in another case of
 *    the switch that declares the binding;
 *  - inside a nested function F (the outermost one below the binding's function): when F is
 *    an expression created before the declaration ended (unless F is the initialiser itself,
 *    or a method of an object literal that is: `const f = () => f()` recurses safely); when F
 *    is a hoisted function declaration, when some reference to F may call it early: one in
 *    straight-line code before the declaration, or one from a function that is itself early.
 * References after the declaration in the same function, the common case, cost nothing.
 *
 * Each binding with an early reference is set to the sentinel $jsc_tdz when its scope is
 * entered (runtime block.js); an early read becomes `(x === $jsc_tdz ? $jsc_tdz_fail("x") :
 * x)`, an early `x = v` becomes `x = $jsc_tdz_set(x, v, "x")` (v is evaluated first, as the
 * spec orders it) and an early `x += v` / `x++` is preceded by the read check.
 *
 * Runs inside the block pass after renaming and before let/const become var.
 */
#include "lower_block_int.h"

#include <string.h>

enum { TDZ_MAX_FNS = 64, TDZ_MAX_DEPTH = 24 };

typedef struct tfn {
    jsc_node *fn;
    jsc_scope_info *fs;
    unsigned start;     /* walk position where the function is created */
    jsc_binding *self;  /* binding of a function declaration, NULL for an expression */
    jsc_node *kase;     /* switch case of the enclosing function holding it */
} tfn;

/* A reference to a function declaration: at walk position seq, or from inside `dep`. */
typedef struct fref {
    unsigned seq;
    jsc_binding *dep;
    struct fref *next;
} fref;

/* A reference inside function declaration `fb` that is early when `fb` may be called before
 * `b` is initialised. */
typedef struct pend {
    jsc_node *id;
    jsc_binding *b, *fb;
    struct pend *next;
} pend;

typedef struct tz {
    jsc_ctx *cx;
    unsigned seq;
    tfn fns[TDZ_MAX_FNS];
    size_t nfns;
    unsigned overflow; /* functions nested deeper than TDZ_MAX_FNS: checked conservatively */
    jsc_node *kase;
    pend *pending;
    jsc_binding **marked;
    size_t nmarked, cap_marked;
} tz;

static int lexical(const jsc_binding *b)
{
    return b && (b->kind == JSC_B_LET || b->kind == JSC_B_CONST || b->kind == JSC_B_CLASS) &&
           b->scope->kind != JSC_S_CLASS && b->scope->kind != JSC_S_FOR;
}

static void mark(tz *t, jsc_node *id, jsc_binding *b)
{
    id->flags |= JSC_TDZ;
    if (b->tdz)
        return;
    b->tdz = 1;
    if (t->nmarked == t->cap_marked) {
        size_t cap = t->cap_marked ? t->cap_marked * 2 : 16;
        jsc_binding **m = jsc_alloc(t->cx, cap * sizeof *m);
        if (t->nmarked)
            memcpy(m, t->marked, t->nmarked * sizeof *m);
        t->marked = m;
        t->cap_marked = cap;
    }
    t->marked[t->nmarked++] = b;
}

/* Index of the frame of `fs` on the stack (the program is frame 0). */
static size_t frame_of(const tz *t, const jsc_scope_info *fs)
{
    for (size_t k = t->nfns; k-- > 0;)
        if (t->fns[k].fs == fs)
            return k;
    return 0;
}

static int in_switch(const jsc_binding *b)
{
    return b->scope->node && b->scope->node->kind == N_SWITCH;
}

static void note_func_ref(tz *t, jsc_binding *fb, size_t k)
{
    fref *r = jsc_alloc(t->cx, sizeof *r);
    if (k + 1 < t->nfns) {
        if (t->fns[k + 1].self)
            r->dep = t->fns[k + 1].self;
        else
            r->seq = t->fns[k + 1].start;
    } else {
        r->seq = t->seq;
    }
    r->next = fb->tdz_refs;
    fb->tdz_refs = r;
}

static void reference(tz *t, jsc_node *id)
{
    jsc_binding *b = id->scope;
    if (!b || b->decl == id)
        return;
    size_t k = frame_of(t, b->scope->func);
    if (b->kind == JSC_B_FUNC)
        note_func_ref(t, b, k);
    if (!lexical(b))
        return;
    if (t->overflow) {
        mark(t, id, b);
        return;
    }
    if (k + 1 == t->nfns) { /* same function */
        if (!b->tdz_init || (in_switch(b) && b->tdz_case != t->kase))
            mark(t, id, b);
        return;
    }
    const tfn *f = &t->fns[k + 1];
    if (f->fs->tdz_exempt == b)
        return;
    if (f->self) {
        pend *p = jsc_alloc(t->cx, sizeof *p);
        p->id = id;
        p->b = b;
        p->fb = f->self;
        p->next = t->pending;
        t->pending = p;
        return;
    }
    if (!b->tdz_init || (in_switch(b) && b->tdz_case != f->kase))
        mark(t, id, b);
}

static void walk(tz *t, jsc_node *n);

static void walk_slot(jsc_ctx *cx, jsc_node **slot, void *data)
{
    (void)cx;
    walk(data, *slot);
}

static jsc_binding *func_decl_binding(jsc_node *fn)
{
    jsc_scope_info *s = fn->scope;
    if (fn->kind != N_FUNC_DECL || !fn->str || !s || !s->parent)
        return NULL;
    jsc_binding *b = jsc_scope_lookup(s->parent, fn->str);
    return b && b->decl == fn ? b : NULL;
}

static void walk_function(tz *t, jsc_node *fn)
{
    if (!fn->scope || t->overflow || t->nfns == TDZ_MAX_FNS) {
        t->overflow++;
        jsc_each_child(t->cx, fn, walk_slot, t);
        t->overflow--;
        return;
    }
    tfn *f = &t->fns[t->nfns++];
    f->fn = fn;
    f->fs = fn->scope;
    f->start = t->seq;
    f->self = func_decl_binding(fn);
    f->kase = t->kase;
    jsc_node *kase = t->kase;
    t->kase = NULL;
    jsc_each_child(t->cx, fn, walk_slot, t);
    t->kase = kase;
    t->nfns--;
}

/* The function (or object literal of methods) that a declarator's init is. */
static void exempt_init(jsc_node *init, jsc_binding *b)
{
    if (!init)
        return;
    if (init->kind == N_FUNCTION && init->scope)
        ((jsc_scope_info *)init->scope)->tdz_exempt = b;
    if (init->kind != N_OBJECT)
        return;
    for (jsc_node *p = init->a; p; p = p->next)
        if (p->kind == N_PROPERTY && p->b && p->b->kind == N_FUNCTION && p->b->scope)
            ((jsc_scope_info *)p->b->scope)->tdz_exempt = b;
}

static void walk_var(tz *t, jsc_node *var)
{
    for (jsc_node *d = var->a; d; d = d->next) {
        jsc_binding *b = d->a && d->a->kind == N_IDENT ? d->a->scope : NULL;
        if (lexical(b))
            exempt_init(d->b, b);
        walk(t, d->a);
        walk(t, d->b);
        t->seq++;
        if (b && b->decl == d->a) {
            b->tdz_init = t->seq;
            b->tdz_case = t->kase;
        }
    }
}

static void walk(tz *t, jsc_node *n)
{
    if (!n)
        return;
    t->seq++;
    switch (n->kind) {
    case N_IDENT:
        reference(t, n);
        return;
    case N_FUNCTION:
    case N_FUNC_DECL:
        walk_function(t, n);
        return;
    case N_VAR:
        walk_var(t, n);
        return;
    case N_CASE:
        t->kase = n;
        break;
    case N_SWITCH: {
        jsc_node *kase = t->kase;
        jsc_each_child(t->cx, n, walk_slot, t);
        t->kase = kase;
        return;
    }
    default:
        break;
    }
    jsc_each_child(t->cx, n, walk_slot, t);
}

/* Whether function declaration `fb` may be called before walk position `pos`. */
static int early_call(jsc_binding *fb, unsigned pos, int depth)
{
    if (depth > TDZ_MAX_DEPTH)
        return 1;
    if (fb->tdz_visiting)
        return 0;
    fb->tdz_visiting = 1;
    int early = 0;
    for (const fref *r = fb->tdz_refs; r && !early; r = r->next)
        early = r->dep ? early_call(r->dep, pos, depth + 1) : r->seq < pos;
    fb->tdz_visiting = 0;
    return early;
}

/* ---- rewriting -------------------------------------------------------------------------- */

static jsc_node *same_ident(jsc_ctx *cx, const jsc_node *id)
{
    jsc_node *n = jsc_ident(cx, id->str, id);
    n->scope = id->scope;
    return n;
}

static jsc_node *src_name(jsc_ctx *cx, const jsc_node *id)
{
    const jsc_binding *b = id->scope;
    const char *name = b && b->src_name ? b->src_name : id->str;
    return jsc_string(cx, name, strlen(name), id);
}

static jsc_node *is_sentinel(jsc_ctx *cx, const jsc_node *id)
{
    return jsc_op(cx, N_BINARY, JT_SEQ, same_ident(cx, id), jsc_ident(cx, "$jsc_tdz", id), id);
}

static jsc_node *fail_call(jsc_ctx *cx, const jsc_node *id)
{
    return jsc_call(cx, jsc_ident(cx, "$jsc_tdz_fail", id), src_name(cx, id), id);
}

/* x -> (x === $jsc_tdz ? $jsc_tdz_fail("x") : x) */
static jsc_node *checked_read(jsc_ctx *cx, jsc_node *id)
{
    jsc_node *c = jsc_node_new(cx, N_COND, id);
    c->a = is_sentinel(cx, id);
    c->b = fail_call(cx, id);
    c->c = same_ident(cx, id);
    c->flags = JSC_PARENS;
    return c;
}

static void rewrite(jsc_ctx *cx, jsc_node **slot, void *data);

static void rewrite_write(jsc_ctx *cx, jsc_node **slot)
{
    jsc_node *n = *slot, *id = n->a;
    id->flags &= ~(uint32_t)JSC_TDZ;
    if (n->kind == N_ASSIGN) {
        rewrite(cx, &n->b, NULL);
        if (n->op == JT_ASSIGN) { /* x = $jsc_tdz_set(x, v, "x") */
            jsc_node *args = same_ident(cx, id);
            args->next = n->b;
            n->b->next = src_name(cx, id);
            n->b = jsc_call(cx, jsc_ident(cx, "$jsc_tdz_set", id), args, id);
            return;
        }
    }
    /* (x === $jsc_tdz && $jsc_tdz_fail("x"), x op= v) */
    jsc_node *seq = jsc_node_new(cx, N_SEQUENCE, n);
    seq->flags = JSC_PARENS;
    seq->a = jsc_op(cx, N_LOGICAL, JT_ANDAND, is_sentinel(cx, id), fail_call(cx, id), id);
    /* a copy goes into the sequence: n keeps its `next` for jsc_each_child */
    jsc_node *copy = jsc_alloc(cx, sizeof *copy);
    *copy = *n;
    copy->next = NULL;
    seq->a->next = copy;
    jsc_replace(slot, seq);
}

static void rewrite(jsc_ctx *cx, jsc_node **slot, void *data)
{
    jsc_node *n = *slot;
    if (n->kind == N_IDENT) {
        if (n->flags & JSC_TDZ) {
            n->flags &= ~(uint32_t)JSC_TDZ;
            jsc_replace(slot, checked_read(cx, n));
        }
        return;
    }
    if ((n->kind == N_ASSIGN || n->kind == N_UPDATE) && n->a->kind == N_IDENT &&
        (n->a->flags & JSC_TDZ)) {
        rewrite_write(cx, slot);
        return;
    }
    if (n->kind == N_FOR_IN && n->a && n->a->kind == N_IDENT)
        n->a->flags &= ~(uint32_t)JSC_TDZ; /* assigned by the loop: left unchecked */
    jsc_each_child(cx, n, rewrite, data);
}

/* `x = $jsc_tdz;` at the entry of the scope of b. */
static void init_sentinel(jsc_ctx *cx, jsc_binding *b)
{
    jsc_node *s = b->scope->node, **list = NULL;
    jsc_node *id = jsc_ident(cx, b->name, NULL);
    id->scope = b;
    jsc_node *set = jsc_assign(cx, id, jsc_ident(cx, "$jsc_tdz", NULL), NULL);
    set->flags |= JSC_LOWERED; /* not an assignment to a const */
    if (s->kind == N_SWITCH) { /* (x = $jsc_tdz, discriminant) */
        jsc_node *seq = jsc_node_new(cx, N_SEQUENCE, s->a);
        seq->flags = JSC_PARENS;
        set->next = s->a;
        seq->a = set;
        s->a = seq;
        return;
    }
    if (s->kind == N_BLOCK || s->kind == N_PROGRAM)
        list = &s->a;
    else if ((s->kind == N_FUNCTION || s->kind == N_FUNC_DECL) && s->b &&
             s->b->kind == N_BLOCK)
        list = &s->b->a;
    if (!list)
        return;
    while (*list && (*list)->kind == N_EXPR_STMT && (*list)->a->kind == N_STRING)
        list = &(*list)->next; /* after the directive prologue */
    jsc_node *stmt = jsc_expr_stmt(cx, set);
    stmt->next = *list;
    *list = stmt;
}

int jsc_block_tdz(jsc_ctx *cx, jsc_node *prog)
{
    tz *t = jsc_alloc(cx, sizeof *t);
    t->cx = cx;
    t->fns[0].fs = prog->scope;
    t->fns[0].fn = prog;
    t->nfns = 1;
    jsc_each_child(cx, prog, walk_slot, t);
    for (pend *p = t->pending; p; p = p->next)
        if (!p->b->tdz_init || early_call(p->fb, p->b->tdz_init, 0))
            mark(t, p->id, p->b);
    if (!t->nmarked)
        return 1;
    jsc_need(cx, "block");
    jsc_each_child(cx, prog, rewrite, NULL);
    for (size_t i = 0; i < t->nmarked; i++)
        init_sentinel(cx, t->marked[i]);
    return !cx->failed;
}
