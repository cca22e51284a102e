/*
 * host/task/compiler/gen_expr.c - expressions with yield/await inside a generator or async
 * body (see gen_internal.h). An expression is lowered left to right: every operand evaluated
 * before the last operand holding a yield is saved in a temporary ("spilled") so that the
 * order of evaluation stays the author's: `f(a(), yield b, c())` becomes `$1 = f; $2 = a();`,
 * a yield, then `$1($2, st.v, c())`. References (assignment targets, callees, operands of
 * delete and ++) keep their shape: only their object and key are spilled.
 */
#include "gen_internal.h"

#include <string.h>

/* Marks identifiers of spill temporaries (assigned once, so never spilled again). */
static const char gen_spill_mark[] = "spill";

jsc_node *gen_state(gen *g, const char *field, const jsc_node *at)
{
    return jsc_member(g->cx, jsc_ident(g->cx, g->st, at), field, at);
}

jsc_node *gen_detach(gen *g, jsc_node *n)
{
    if (!n || !n->next)
        return n;
    jsc_node *copy = jsc_node_new(g->cx, n->kind, n);
    *copy = *n;
    copy->next = NULL;
    return copy;
}

jsc_node *gen_spill(gen *g, jsc_node *value, const jsc_node *at)
{
    const char *name = jsc_declare_temp(g->cx, g->fn);
    /* a copy: the caller may overwrite `value` in place with the temporary (put) */
    jsc_node *copy = jsc_node_new(g->cx, value->kind, value);
    *copy = *value;
    copy->next = NULL;
    value = copy;
    gen_emit(g, jsc_expr_stmt(g->cx, jsc_assign(g->cx, jsc_ident(g->cx, name, at), value, at)));
    jsc_node *id = jsc_ident(g->cx, name, at);
    id->raw = gen_spill_mark;
    return id;
}

jsc_node *gen_not(gen *g, jsc_node *e)
{
    if (e->kind == N_UNARY && e->op == JT_NOT)
        return e->a;
    jsc_node *n = jsc_node_new(g->cx, N_UNARY, e);
    n->op = JT_NOT;
    n->a = e;
    return n;
}

/* Whether evaluating `n` later than where it stands cannot change its value. */
static int stable(const jsc_node *n)
{
    switch (n->kind) {
    case N_NUMBER:
    case N_STRING:
    case N_NULL:
    case N_TRUE:
    case N_FALSE:
    case N_THIS:
    case N_FUNCTION:
    case N_REGEXP:
        return 1;
    case N_IDENT:
        return n->raw == gen_spill_mark;
    case N_UNARY:
        return n->op == JT_VOID && stable(n->a);
    default:
        return 0;
    }
}

/* Put `r` where *slot is. The node is overwritten in place (keeping its list link) so that
 * slots pointing at the `next` field of a list element stay valid. */
static void put(jsc_node **slot, const jsc_node *r)
{
    jsc_node *old = *slot;
    if (old == r)
        return;
    jsc_node *next = old->next;
    *old = *r;
    old->next = next;
}

/* Lower the operands in slots[0..n) (in evaluation order): spill those before the last one
 * holding a yield, leave those after it alone. */
static void operands(gen *g, jsc_node ***slots, size_t n)
{
    size_t last = n;
    for (size_t i = 0; i < n; i++)
        if (jsc_suspends(*slots[i]))
            last = i;
    if (last == n)
        return;
    for (size_t i = 0; i <= last; i++) {
        jsc_node *r = gen_expr(g, *slots[i], 0);
        if (!r)
            r = jsc_ident(g->cx, "undefined", *slots[i]);
        if (i < last && !stable(r))
            r = gen_spill(g, r, *slots[i]);
        put(slots[i], r);
    }
}

/* The slots of a list child, appended to slots[*n]. */
static size_t list_slots(jsc_node **head, jsc_node ***slots, size_t n)
{
    for (jsc_node **p = head; *p; p = &(*p)->next)
        slots[n++] = p;
    return n;
}

static jsc_node ***slot_array(gen *g, size_t n)
{
    return jsc_alloc(g->cx, (n ? n : 1) * sizeof(jsc_node **));
}

/* The slots a reference evaluates (object, key) before it is read or written. */
static size_t ref_slots(jsc_node *ref, jsc_node ***slots, size_t n)
{
    if (ref->kind == N_MEMBER) {
        slots[n++] = &ref->a;
    } else if (ref->kind == N_INDEX) {
        slots[n++] = &ref->a;
        slots[n++] = &ref->b;
    }
    return n;
}

/* Operands of the plain kinds, in evaluation order. */
static jsc_node *generic(gen *g, jsc_node *e)
{
    size_t cnt = 4 + jsc_list_len(e->a) + jsc_list_len(e->b);
    jsc_node ***s = slot_array(g, cnt);
    size_t n = 0;
    switch (e->kind) {
    case N_BINARY:
    case N_LOGICAL:
    case N_INDEX:
        s[n++] = &e->a;
        s[n++] = &e->b;
        break;
    case N_COND:
        s[n++] = &e->a;
        s[n++] = &e->b;
        s[n++] = &e->c;
        break;
    case N_MEMBER:
    case N_UNARY:
    case N_SPREAD:
        s[n++] = &e->a;
        break;
    case N_NEW:
        s[n++] = &e->a;
        n = list_slots(&e->b, s, n);
        break;
    case N_ARRAY:
        n = list_slots(&e->a, s, n);
        break;
    case N_OBJECT:
        s = slot_array(g, 2 * jsc_list_len(e->a));
        for (jsc_node *p = e->a; p; p = p->next) {
            if (p->kind != N_PROPERTY)
                continue;
            if (p->flags & JSC_COMPUTED)
                s[n++] = &p->a;
            if (p->b)
                s[n++] = &p->b;
        }
        break;
    default:
        jsc_error(g->cx, e, "internal error: yield inside %s is not lowered",
                  jsc_kind_name(e->kind));
        return e;
    }
    operands(g, s, n);
    return e;
}

/* yield, yield* and await: return the instruction, resume at a new label, value in st.v. */
static jsc_node *suspend(gen *g, jsc_node *e, int discard)
{
    jsc_node *arg = e->a ? gen_expr(g, e->a, 0) : NULL;
    int resume = gen_label(g);
    int op = (e->kind == N_YIELD && (e->flags & JSC_DELEGATE)) ? GEN_OP_DELEGATE : GEN_OP_YIELD;
    if (!arg) {
        arg = jsc_node_new(g->cx, N_UNARY, e);
        arg->op = JT_VOID;
        arg->a = jsc_number(g->cx, 0, e);
    }
    jsc_node *ret = jsc_node_new(g->cx, N_RETURN, e);
    ret->a = gen_instr(g, op, arg, gen_labelref(g, resume, e), e);
    gen_emit(g, ret);
    gen_mark(g, resume);
    return discard ? NULL : gen_state(g, "v", e);
}

/* a && b, a || b, a ?? b with a yield in b: b runs only when a says so. */
static jsc_node *logical(gen *g, jsc_node *e)
{
    jsc_ctx *cx = g->cx;
    jsc_node *t = gen_spill(g, gen_expr(g, e->a, 0), e);
    int end = gen_label(g);
    jsc_node *cond;
    if (e->op == JT_ANDAND) {
        cond = gen_not(g, t);
    } else if (e->op == JT_OROR) {
        cond = t;
    } else {
        cond = jsc_node_new(cx, N_BINARY, e);
        cond->op = JT_NE;
        cond->a = t;
        cond->b = jsc_node_new(cx, N_NULL, e);
    }
    gen_jump_if(g, cond, end, e);
    jsc_node *b = gen_expr(g, e->b, 0);
    gen_emit(g, jsc_expr_stmt(cx, jsc_assign(cx, jsc_ident(cx, t->str, e), b, e)));
    gen_mark(g, end);
    return jsc_ident(cx, t->str, e);
}

/* a ? b : c with a yield in b or c. */
static jsc_node *conditional(gen *g, jsc_node *e)
{
    jsc_ctx *cx = g->cx;
    jsc_node *test = gen_expr(g, e->a, 0);
    const char *t = jsc_declare_temp(cx, g->fn);
    int other = gen_label(g), end = gen_label(g);
    gen_jump_if(g, gen_not(g, test), other, e);
    gen_emit(g, jsc_expr_stmt(cx, jsc_assign(cx, jsc_ident(cx, t, e), gen_expr(g, e->b, 0), e)));
    gen_jump(g, end, e);
    gen_mark(g, other);
    gen_emit(g, jsc_expr_stmt(cx, jsc_assign(cx, jsc_ident(cx, t, e), gen_expr(g, e->c, 0), e)));
    gen_mark(g, end);
    jsc_node *id = jsc_ident(cx, t, e);
    id->raw = gen_spill_mark;
    return id;
}

static jsc_tok compound_op(jsc_tok op)
{
    switch (op) {
    case JT_PLUS_EQ:
        return JT_PLUS;
    case JT_MINUS_EQ:
        return JT_MINUS;
    case JT_STAR_EQ:
        return JT_STAR;
    case JT_SLASH_EQ:
        return JT_SLASH;
    case JT_PERCENT_EQ:
        return JT_PERCENT;
    case JT_STARSTAR_EQ:
        return JT_STARSTAR;
    case JT_SHL_EQ:
        return JT_SHL;
    case JT_SHR_EQ:
        return JT_SHR;
    case JT_USHR_EQ:
        return JT_USHR;
    case JT_AMP_EQ:
        return JT_AMP;
    case JT_PIPE_EQ:
        return JT_PIPE;
    case JT_CARET_EQ:
        return JT_CARET;
    default:
        return JT_EOF;
    }
}

/* A fresh node reading the (already spilled) reference `ref`. */
static jsc_node *ref_copy(gen *g, const jsc_node *ref)
{
    jsc_node *n = jsc_node_new(g->cx, ref->kind, ref);
    *n = *ref;
    n->next = NULL;
    return n;
}

/* Like stable(), for an object that is used twice (read a method, then pass as `this`). */
static int stable_object(const jsc_node *n)
{
    return stable(n) && n->kind != N_FUNCTION && n->kind != N_REGEXP;
}

static jsc_node *assignment(gen *g, jsc_node *e)
{
    jsc_node ***s = slot_array(g, 3);
    size_t n = ref_slots(e->a, s, 0);
    if (!jsc_suspends(e->b)) {
        operands(g, s, n);
        return e;
    }
    for (size_t i = 0; i < n; i++) {
        jsc_node *r = gen_expr(g, *s[i], 0);
        put(s[i], stable(r) ? r : gen_spill(g, r, r));
    }
    if (e->op != JT_ASSIGN) {
        jsc_tok op = compound_op(e->op);
        if (op == JT_EOF) {
            jsc_error(g->cx, e, "%s with yield or await on its right is not supported",
                      jsc_tok_text(e->op));
            return e;
        }
        jsc_node *old = gen_spill(g, ref_copy(g, e->a), e);
        jsc_node *bin = jsc_node_new(g->cx, N_BINARY, e);
        bin->op = op;
        bin->a = old;
        bin->b = gen_expr(g, e->b, 0);
        e->op = JT_ASSIGN;
        e->b = bin;
        return e;
    }
    e->b = gen_expr(g, e->b, 0);
    return e;
}

static jsc_node *call(gen *g, jsc_node *e)
{
    jsc_ctx *cx = g->cx;
    jsc_node *callee = e->a;
    int is_ref = callee->kind == N_MEMBER || callee->kind == N_INDEX;
    size_t cnt = 3 + jsc_list_len(e->b);
    jsc_node ***s = slot_array(g, cnt);
    int args_yield = 0;
    for (jsc_node *p = e->b; p; p = p->next)
        args_yield |= jsc_suspends(p);
    if (!args_yield) {
        size_t n = is_ref ? ref_slots(callee, s, 0) : 0;
        if (!is_ref)
            s[n++] = &e->a;
        operands(g, s, n);
        return e;
    }
    if (is_ref) {
        /* the function is read before the arguments run: call it with .call(object) */
        size_t n = ref_slots(callee, s, 0);
        for (size_t i = 0; i < n; i++) {
            jsc_node *r = gen_expr(g, *s[i], 0);
            put(s[i], stable_object(r) ? r : gen_spill(g, r, r));
        }
        jsc_node *obj = callee->a;
        jsc_node *f = gen_spill(g, ref_copy(g, callee), callee);
        jsc_node *self = ref_copy(g, obj);
        self->next = e->b;
        e->a = jsc_member(cx, f, "call", callee);
        e->b = self;
    } else {
        jsc_node *r = gen_expr(g, callee, 0);
        e->a = stable(r) ? r : gen_spill(g, r, callee);
    }
    size_t n = list_slots(&e->b, s, 0);
    operands(g, s, n);
    return e;
}

jsc_node *gen_expr(gen *g, jsc_node *e, int discard)
{
    if (!e || g->cx->failed || !jsc_suspends(e))
        return e;
    switch (e->kind) {
    case N_YIELD:
    case N_AWAIT:
        return suspend(g, e, discard);
    case N_SEQUENCE: {
        jsc_node *p = e->a;
        for (; p->next; p = p->next) {
            jsc_node *r = gen_detach(g, gen_expr(g, p, 1));
            if (r)
                gen_emit(g, jsc_expr_stmt(g->cx, r));
        }
        return gen_expr(g, p, discard);
    }
    case N_LOGICAL:
        return jsc_suspends(e->b) ? logical(g, e) : generic(g, e);
    case N_COND:
        return jsc_suspends(e->b) || jsc_suspends(e->c) ? conditional(g, e) : generic(g, e);
    case N_ASSIGN:
        return assignment(g, e);
    case N_CALL:
        return call(g, e);
    case N_UPDATE: {
        jsc_node ***s = slot_array(g, 2);
        operands(g, s, ref_slots(e->a, s, 0));
        return e;
    }
    case N_UNARY:
        if (e->op == JT_DELETE) {
            jsc_node ***s = slot_array(g, 2);
            operands(g, s, ref_slots(e->a, s, 0));
            return e;
        }
        return generic(g, e);
    case N_OPT_CHAIN:
        jsc_error(g->cx, e, "%s inside an optional chain (?.) is not supported",
                  g->async ? "await" : "yield");
        return e;
    default:
        return generic(g, e);
    }
}

/* ---- renaming (catch parameters that become variables of the outer function) -------------- */

static int declares(const jsc_node *n, const char *name);

static int list_declares(const jsc_node *first, const char *name)
{
    for (; first; first = first->next)
        if (declares(first, name))
            return 1;
    return 0;
}

/* Whether statement `n` (not descending into functions) declares `name` with var/function. */
static int declares(const jsc_node *n, const char *name)
{
    if (!n)
        return 0;
    switch (n->kind) {
    case N_VAR:
        for (const jsc_node *d = n->a; d; d = d->next)
            if (d->a && d->a->kind == N_IDENT && strcmp(d->a->str, name) == 0)
                return 1;
        return 0;
    case N_FUNC_DECL:
        return n->str && strcmp(n->str, name) == 0;
    case N_BLOCK:
        return list_declares(n->a, name);
    case N_IF:
        return declares(n->b, name) || declares(n->c, name);
    case N_FOR:
    case N_FOR_IN:
    case N_FOR_OF:
        return declares(n->a, name) || declares(n->d, name);
    case N_WHILE:
    case N_DO_WHILE:
    case N_WITH:
        return declares(n->d, name);
    case N_LABELED:
        return declares(n->a, name);
    case N_TRY:
        return declares(n->a, name) || declares(n->c, name) || declares(n->d, name);
    case N_SWITCH:
        for (const jsc_node *c = n->b; c; c = c->next)
            if (list_declares(c->b, name))
                return 1;
        return 0;
    default:
        return 0;
    }
}

static int function_binds(const jsc_node *fn, const char *name)
{
    if (fn->kind == N_FUNCTION && fn->str && strcmp(fn->str, name) == 0)
        return 1;
    for (const jsc_node *p = fn->a; p; p = p->next)
        if (p->kind == N_IDENT && strcmp(p->str, name) == 0)
            return 1;
    if (strcmp(name, "arguments") == 0)
        return 1;
    return fn->b && fn->b->kind == N_BLOCK && list_declares(fn->b->a, name);
}

typedef struct rename_data {
    const char *from, *to;
} rename_data;

static void rename_slot(jsc_ctx *cx, jsc_node **slot, void *data)
{
    rename_data *rd = data;
    jsc_node *n = *slot;
    if (n->kind == N_IDENT) {
        if (strcmp(n->str, rd->from) == 0) {
            n->str = rd->to;
            n->len = strlen(rd->to);
        }
        return;
    }
    if ((n->kind == N_FUNCTION || n->kind == N_FUNC_DECL) && function_binds(n, rd->from))
        return;
    if (n->kind == N_PROPERTY) {
        if (n->flags & JSC_COMPUTED)
            rename_slot(cx, &n->a, data);
        if (n->b)
            rename_slot(cx, &n->b, data);
        return;
    }
    jsc_each_child(cx, n, rename_slot, data);
}

void gen_rename(gen *g, jsc_node *n, const char *from, const char *to)
{
    rename_data rd = {from, to};
    jsc_node *tmp = n;
    rename_slot(g->cx, &tmp, &rd);
}
