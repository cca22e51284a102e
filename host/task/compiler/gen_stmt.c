/*
 * host/task/compiler/gen_stmt.c - statements of a generator or async body laid out as the
 * cases of a state machine (see gen_internal.h). A statement without yield/await is emitted
 * whole into the current case, with its return/break/continue turned into instructions where
 * they leave the machine's own structure (gen_plain); one with a yield is "exploded": its
 * control flow becomes labels and jumps, its expressions are lowered by gen_expr.c.
 */
#include "gen_internal.h"

#include <string.h>

/* ---- cases, labels and instructions ------------------------------------------------------ */

/* Grow an arena array of `size`-byte elements to hold at least need elements. */
static void *grow(jsc_ctx *cx, void *arr, size_t n, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return arr;
    size_t ncap = *cap ? *cap * 2 : 16;
    while (ncap < need)
        ncap *= 2;
    void *p = jsc_alloc(cx, ncap * size);
    if (n)
        memcpy(p, arr, n * size);
    *cap = ncap;
    return p;
}

void gen_emit(gen *g, jsc_node *stmt)
{
    if (g->ncases == 0) {
        g->cases = grow(g->cx, g->cases, 0, &g->cap_cases, 1, sizeof *g->cases);
        g->ncases = 1;
        g->cases[0].head = g->cases[0].tail = NULL;
        g->cases[0].at = stmt;
    }
    gen_case *c = &g->cases[g->ncases - 1];
    stmt->next = NULL;
    if (c->tail)
        c->tail->next = stmt;
    else
        c->head = stmt;
    c->tail = stmt;
    if (!c->at || !c->at->line)
        c->at = stmt;
}

int gen_label(gen *g)
{
    g->label_case = grow(g->cx, g->label_case, g->nlabels, &g->cap_labels, g->nlabels + 1,
                         sizeof *g->label_case);
    g->label_case[g->nlabels] = -1;
    return (int)g->nlabels++;
}

/* Place `label` here: a new case, unless the current one is still empty. */
void gen_mark(gen *g, int label)
{
    if (g->ncases == 0 || g->cases[g->ncases - 1].head) {
        g->cases = grow(g->cx, g->cases, g->ncases, &g->cap_cases, g->ncases + 1, sizeof *g->cases);
        g->cases[g->ncases].head = g->cases[g->ncases].tail = NULL;
        g->cases[g->ncases].at = NULL;
        g->ncases++;
    }
    g->label_case[label] = (int)(g->ncases - 1);
}

jsc_node *gen_labelref(gen *g, int label, const jsc_node *at)
{
    jsc_node *n = jsc_number(g->cx, (double)label, at);
    g->refs = grow(g->cx, g->refs, g->nrefs, &g->cap_refs, g->nrefs + 1, sizeof *g->refs);
    g->refs[g->nrefs++] = n;
    return n;
}

/* [op, arg, arg2] (arg and arg2 may be NULL when not needed). */
jsc_node *gen_instr(gen *g, int op, jsc_node *arg, jsc_node *arg2, const jsc_node *at)
{
    jsc_node *arr = jsc_node_new(g->cx, N_ARRAY, at);
    arr->a = jsc_number(g->cx, op, at);
    if (arg) {
        arg->next = arg2;
        arr->a->next = arg;
    }
    return arr;
}

static jsc_node *jump_stmt(gen *g, int label, const jsc_node *at)
{
    jsc_node *ret = jsc_node_new(g->cx, N_RETURN, at);
    ret->a = gen_instr(g, GEN_OP_JUMP, gen_labelref(g, label, at), NULL, at);
    return ret;
}

void gen_jump(gen *g, int label, const jsc_node *at)
{
    gen_emit(g, jump_stmt(g, label, at));
}

void gen_jump_if(gen *g, jsc_node *cond, int label, const jsc_node *at)
{
    jsc_node *n = jsc_node_new(g->cx, N_IF, at);
    n->a = gen_detach(g, cond);
    n->b = jump_stmt(g, label, at);
    gen_emit(g, n);
}

/* ---- break/continue targets -------------------------------------------------------------- */

static void push_target(gen *g, gen_target *t, int kind, int exploded, int brk, int cont)
{
    memset(t, 0, sizeof *t);
    t->kind = kind;
    t->exploded = exploded;
    t->brk = brk;
    t->cont = cont;
    if (kind == GEN_T_LOOP) {
        t->names = g->pend_names;
        t->nnames = g->npend;
    }
    g->npend = 0;
    g->pend_names = NULL;
    t->up = g->targets;
    g->targets = t;
}

static void pop_target(gen *g, gen_target *t)
{
    g->targets = t->up;
}

static gen_target *find_target(gen *g, const char *label, int is_continue)
{
    for (gen_target *t = g->targets; t; t = t->up) {
        if (label) {
            for (size_t i = 0; i < t->nnames; i++)
                if (strcmp(t->names[i], label) == 0)
                    return t;
            continue;
        }
        if (t->kind == GEN_T_LOOP || (!is_continue && t->kind == GEN_T_SWITCH))
            return t;
    }
    return NULL;
}

static int is_loop(const jsc_node *s)
{
    return s->kind == N_WHILE || s->kind == N_DO_WHILE || s->kind == N_FOR || s->kind == N_FOR_IN ||
           s->kind == N_FOR_OF;
}

/* The labels of a chain `a: b: stmt`; returns the slot of stmt. */
static jsc_node **label_chain(gen *g, jsc_node **slot, const char ***names, size_t *n)
{
    size_t cnt = 0;
    jsc_node **p = slot;
    for (; (*p)->kind == N_LABELED; p = &(*p)->a)
        cnt++;
    *names = jsc_alloc(g->cx, cnt * sizeof **names);
    *n = 0;
    for (jsc_node *l = *slot; l->kind == N_LABELED; l = l->a)
        (*names)[(*n)++] = l->str;
    return p;
}

/* ---- statements without yield ------------------------------------------------------------ */

static void replace(jsc_node **slot, jsc_node *with)
{
    with->next = (*slot)->next;
    *slot = with;
}

static void plain_list(gen *g, jsc_node **head)
{
    for (jsc_node **p = head; *p; p = &(*p)->next)
        gen_plain(g, p);
}

static void plain_labeled(gen *g, jsc_node **slot)
{
    const char **names;
    size_t n;
    jsc_node **inner = label_chain(g, slot, &names, &n);
    if (is_loop(*inner)) {
        g->pend_names = names;
        g->npend = n;
        gen_plain(g, inner);
        return;
    }
    gen_target t;
    push_target(g, &t, GEN_T_LABEL, 0, -1, -1);
    t.names = names;
    t.nnames = n;
    gen_plain(g, inner);
    pop_target(g, &t);
}

/* Rewrite, in place, the statement at *slot (which has no yield) for the inside of the
 * machine: `return x` becomes `return [2, x]`, and break/continue to an exploded statement a
 * jump. */
void gen_plain(gen *g, jsc_node **slot)
{
    jsc_node *s = *slot;
    gen_target t;
    switch (s->kind) {
    case N_RETURN: {
        jsc_node *ret = jsc_node_new(g->cx, N_RETURN, s);
        ret->a = gen_instr(g, GEN_OP_RETURN, s->a, NULL, s);
        replace(slot, ret);
        break;
    }
    case N_BREAK:
    case N_CONTINUE: {
        int is_continue = s->kind == N_CONTINUE;
        gen_target *to = find_target(g, s->str, is_continue);
        if (to && to->exploded)
            replace(slot, jump_stmt(g, is_continue ? to->cont : to->brk, s));
        break;
    }
    case N_BLOCK:
        plain_list(g, &s->a);
        break;
    case N_IF:
        gen_plain(g, &s->b);
        if (s->c)
            gen_plain(g, &s->c);
        break;
    case N_WHILE:
    case N_DO_WHILE:
    case N_FOR:
    case N_FOR_IN:
    case N_FOR_OF:
        push_target(g, &t, GEN_T_LOOP, 0, -1, -1);
        gen_plain(g, &s->d);
        pop_target(g, &t);
        break;
    case N_SWITCH:
        push_target(g, &t, GEN_T_SWITCH, 0, -1, -1);
        for (jsc_node *c = s->b; c; c = c->next)
            plain_list(g, &c->b);
        pop_target(g, &t);
        break;
    case N_LABELED:
        plain_labeled(g, slot);
        break;
    case N_TRY:
        gen_plain(g, &s->a);
        if (s->c)
            gen_plain(g, &s->c);
        if (s->d)
            gen_plain(g, &s->d);
        break;
    case N_WITH:
        gen_plain(g, &s->d);
        break;
    default:
        break;
    }
}

/* ---- exploded statements ----------------------------------------------------------------- */

static void emit_expr(gen *g, jsc_node *e, const jsc_node *at)
{
    jsc_node *r = gen_detach(g, gen_expr(g, e, 1));
    if (!r)
        return;
    jsc_node *st = jsc_expr_stmt(g->cx, r);
    st->line = at->line;
    st->col = at->col;
    gen_emit(g, st);
}

static void gen_list(gen *g, jsc_node *first)
{
    for (jsc_node *p = first, *nx; p; p = nx) {
        nx = p->next;
        p->next = NULL;
        gen_stmt(g, p);
    }
}

static void gen_if(gen *g, jsc_node *s)
{
    jsc_node *test = gen_expr(g, s->a, 0);
    int other = gen_label(g), end = gen_label(g);
    gen_jump_if(g, gen_not(g, test), s->c ? other : end, s);
    gen_stmt(g, s->b);
    if (s->c) {
        gen_jump(g, end, s);
        gen_mark(g, other);
        gen_stmt(g, s->c);
    }
    gen_mark(g, end);
}

static void gen_while(gen *g, jsc_node *s)
{
    gen_target t;
    int top = gen_label(g), end = gen_label(g);
    push_target(g, &t, GEN_T_LOOP, 1, end, top);
    gen_mark(g, top);
    gen_jump_if(g, gen_not(g, gen_expr(g, s->a, 0)), end, s->a);
    gen_stmt(g, s->d);
    gen_jump(g, top, s);
    gen_mark(g, end);
    pop_target(g, &t);
}

static void gen_do(gen *g, jsc_node *s)
{
    gen_target t;
    int top = gen_label(g), cont = gen_label(g), end = gen_label(g);
    push_target(g, &t, GEN_T_LOOP, 1, end, cont);
    gen_mark(g, top);
    gen_stmt(g, s->d);
    gen_mark(g, cont);
    gen_jump_if(g, gen_expr(g, s->a, 0), top, s->a);
    gen_mark(g, end);
    pop_target(g, &t);
}

static void gen_for(gen *g, jsc_node *s)
{
    gen_target t;
    if (s->a && s->a->kind != N_VAR)
        emit_expr(g, s->a, s->a);
    int top = gen_label(g), cont = gen_label(g), end = gen_label(g);
    push_target(g, &t, GEN_T_LOOP, 1, end, cont);
    gen_mark(g, top);
    if (s->b)
        gen_jump_if(g, gen_not(g, gen_expr(g, s->b, 0)), end, s->b);
    gen_stmt(g, s->d);
    gen_mark(g, cont);
    if (s->c)
        emit_expr(g, s->c, s->c);
    gen_jump(g, top, s);
    gen_mark(g, end);
    pop_target(g, &t);
}

/* obj[key] of two names */
static jsc_node *index_of(gen *g, const char *obj, const char *key, const jsc_node *at)
{
    return jsc_index(g->cx, jsc_ident(g->cx, obj, at), jsc_ident(g->cx, key, at), at);
}

/* for (k in o) with a yield in the body: the keys are collected first, then visited unless
 * deleted meanwhile. */
static void gen_for_in(gen *g, jsc_node *s)
{
    jsc_ctx *cx = g->cx;
    gen_target t;
    const char *obj = jsc_declare_temp(cx, g->fn), *keys = jsc_declare_temp(cx, g->fn);
    const char *key = jsc_declare_temp(cx, g->fn), *i = jsc_declare_temp(cx, g->fn);
    jsc_node *o = gen_detach(g, gen_expr(g, s->b, 0));
    gen_emit(g, jsc_expr_stmt(cx, jsc_assign(cx, jsc_ident(cx, obj, s),
                                             jsc_call(cx, jsc_ident(cx, "Object", s), o, s), s)));
    gen_emit(g, jsc_expr_stmt(
                    cx, jsc_assign(cx, jsc_ident(cx, keys, s), jsc_node_new(cx, N_ARRAY, s), s)));
    jsc_node *collect = jsc_node_new(cx, N_FOR_IN, s);
    collect->a = jsc_ident(cx, key, s);
    collect->b = jsc_ident(cx, obj, s);
    collect->d = jsc_expr_stmt(cx, jsc_call(cx, jsc_member(cx, jsc_ident(cx, keys, s), "push", s),
                                            jsc_ident(cx, key, s), s));
    gen_emit(g, collect);
    gen_emit(g, jsc_expr_stmt(cx, jsc_assign(cx, jsc_ident(cx, i, s), jsc_number(cx, 0, s), s)));
    int top = gen_label(g), cont = gen_label(g), end = gen_label(g);
    push_target(g, &t, GEN_T_LOOP, 1, end, cont);
    gen_mark(g, top);
    jsc_node *more = jsc_op(cx, N_BINARY, JT_LT, jsc_ident(cx, i, s),
                            jsc_member(cx, jsc_ident(cx, keys, s), "length", s), s);
    gen_jump_if(g, gen_not(g, more), end, s);
    jsc_node *has = jsc_op(cx, N_BINARY, JT_IN, index_of(g, keys, i, s), jsc_ident(cx, obj, s), s);
    gen_jump_if(g, gen_not(g, has), cont, s);
    jsc_node *left = s->a;
    if (left->kind == N_VAR)
        left = jsc_ident(cx, left->a->a->str, left);
    gen_emit(g, jsc_expr_stmt(cx, jsc_assign(cx, left, index_of(g, keys, i, s), s)));
    gen_stmt(g, s->d);
    gen_mark(g, cont);
    jsc_node *inc = jsc_node_new(cx, N_UPDATE, s);
    inc->op = JT_INC;
    inc->a = jsc_ident(cx, i, s);
    gen_emit(g, jsc_expr_stmt(cx, inc));
    gen_jump(g, top, s);
    gen_mark(g, end);
    pop_target(g, &t);
}

static void gen_switch(gen *g, jsc_node *s)
{
    jsc_ctx *cx = g->cx;
    gen_target t;
    size_t n = jsc_list_len(s->b);
    int *labels = jsc_alloc(cx, (n ? n : 1) * sizeof *labels);
    int end = gen_label(g), dflt = end;
    jsc_node *d = gen_expr(g, s->a, 0);
    const char *disc = gen_spill(g, d, s->a)->str;
    size_t i = 0;
    for (jsc_node *c = s->b; c; c = c->next, i++) {
        labels[i] = gen_label(g);
        if (!c->a) {
            dflt = labels[i];
            continue;
        }
        jsc_node *test = gen_detach(g, gen_expr(g, c->a, 0));
        gen_jump_if(g, jsc_op(cx, N_BINARY, JT_SEQ, jsc_ident(cx, disc, c), test, c), labels[i], c);
    }
    gen_jump(g, dflt, s);
    push_target(g, &t, GEN_T_SWITCH, 1, end, -1);
    i = 0;
    for (jsc_node *c = s->b; c; c = c->next, i++) {
        gen_mark(g, labels[i]);
        gen_list(g, c->b);
    }
    gen_mark(g, end);
    pop_target(g, &t);
}

static void gen_labeled(gen *g, jsc_node *s)
{
    const char **names;
    size_t n;
    jsc_node *slot = s;
    jsc_node *inner = *label_chain(g, &slot, &names, &n);
    if (is_loop(inner)) {
        g->pend_names = names;
        g->npend = n;
        gen_stmt(g, inner);
        return;
    }
    gen_target t;
    int end = gen_label(g);
    push_target(g, &t, GEN_T_LABEL, 1, end, -1);
    t.names = names;
    t.nnames = n;
    gen_stmt(g, inner);
    gen_mark(g, end);
    pop_target(g, &t);
}

static jsc_node *label_or_zero(gen *g, int label, const jsc_node *at)
{
    return label < 0 ? jsc_number(g->cx, 0, at) : gen_labelref(g, label, at);
}

/* try with a yield in it: a try region registered with the runtime (st.t), which sends
 * exceptions to the catch label and completions leaving the region through the finally. */
static void gen_try(gen *g, jsc_node *s)
{
    jsc_ctx *cx = g->cx;
    int ltry = gen_label(g), lcatch = s->c ? gen_label(g) : -1;
    int lfin = s->d ? gen_label(g) : -1, lend = gen_label(g);
    gen_mark(g, ltry);
    jsc_node *region = jsc_node_new(cx, N_ARRAY, s);
    region->a = gen_labelref(g, ltry, s);
    region->a->next = label_or_zero(g, lcatch, s);
    region->a->next->next = label_or_zero(g, lfin, s);
    region->a->next->next->next = gen_labelref(g, lend, s);
    gen_emit(g, jsc_expr_stmt(
                    cx, jsc_call(cx, jsc_member(cx, gen_state(g, "t", s), "push", s), region, s)));
    gen_stmt(g, s->a);
    gen_jump(g, lend, s);
    if (s->c) {
        gen_mark(g, lcatch);
        if (s->b && s->b->kind == N_IDENT) {
            const char *name = jsc_declare_temp(cx, g->fn);
            gen_rename(g, s->c, s->b->str, name);
            gen_emit(g, jsc_expr_stmt(cx, jsc_assign(cx, jsc_ident(cx, name, s->b),
                                                     gen_state(g, "v", s->b), s->b)));
        } else if (s->b) {
            jsc_error(cx, s->b, "internal error: catch pattern left for the generator pass");
            return;
        }
        gen_stmt(g, s->c);
        gen_jump(g, lend, s->c);
    }
    if (s->d) {
        gen_mark(g, lfin);
        gen_stmt(g, s->d);
        jsc_node *ret = jsc_node_new(cx, N_RETURN, s->d);
        ret->a = gen_instr(g, GEN_OP_ENDFINALLY, NULL, NULL, s->d);
        gen_emit(g, ret);
    }
    gen_mark(g, lend);
}

static void gen_value_stmt(gen *g, jsc_node *s)
{
    jsc_node *v = gen_detach(g, gen_expr(g, s->a, 0));
    jsc_node *n = jsc_node_new(g->cx, s->kind, s);
    n->a = s->kind == N_RETURN ? gen_instr(g, GEN_OP_RETURN, v, NULL, s) : v;
    gen_emit(g, n);
}

void gen_stmt(gen *g, jsc_node *s)
{
    if (g->cx->failed || !s)
        return;
    if (!jsc_suspends(s)) {
        jsc_node *tmp = s;
        s->next = NULL;
        gen_plain(g, &tmp);
        gen_emit(g, tmp);
        return;
    }
    switch (s->kind) {
    case N_EXPR_STMT:
        emit_expr(g, s->a, s);
        break;
    case N_BLOCK:
        gen_list(g, s->a);
        break;
    case N_IF:
        gen_if(g, s);
        break;
    case N_WHILE:
        gen_while(g, s);
        break;
    case N_DO_WHILE:
        gen_do(g, s);
        break;
    case N_FOR:
        gen_for(g, s);
        break;
    case N_FOR_IN:
        gen_for_in(g, s);
        break;
    case N_SWITCH:
        gen_switch(g, s);
        break;
    case N_LABELED:
        gen_labeled(g, s);
        break;
    case N_TRY:
        gen_try(g, s);
        break;
    case N_RETURN:
    case N_THROW:
        gen_value_stmt(g, s);
        break;
    case N_FOR_OF:
        if (s->flags & JSC_AWAIT)
            jsc_error(g->cx, s, "for await is not supported");
        else
            jsc_error(g->cx, s, "internal error: for-of left for the generator pass");
        break;
    case N_WITH:
        jsc_error(g->cx, s, "%s inside a with statement is not supported",
                  g->async ? "await" : "yield");
        break;
    default:
        jsc_error(g->cx, s, "internal error: %s with yield/await left for the generator pass",
                  jsc_kind_name(s->kind));
        break;
    }
}
