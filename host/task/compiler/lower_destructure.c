/*
 * host/task/compiler/lower_destructure.c - destructuring patterns to ES5.
 *
 * Every pattern becomes a series of single assignments from a temporary that holds the
 * value being destructured, with no call on the common paths:
 *
 *   const {a, b = 1} = o;
 *   ->
 *   const $$1 = o, a = ($$1 == null ? $jsc_obj_pattern($$1, "o", "a") : $$1).a,
 *         $$2 = $$1.b, b = $$2 === void 0 ? 1 : $$2;
 *
 *   const [x, y] = arr;
 *   ->
 *   const $$1 = $jsc_arr(arr, 2, "arr", 0), x = $$1[0], y = $$1[1];
 *
 * Object patterns: the null/undefined check (RequireObjectCoercible) is folded into the
 * first property read, before any computed key is evaluated; $jsc_obj_pattern (runtime
 * destructure.js) runs only to throw V8's TypeError. A temporary that already holds the
 * value (a parameter's or a for-of head's) is used as it is.
 *
 * Array patterns without a rest element read by index from what $jsc_arr (runtime
 * iterator.js, native in the executor) returns: the value itself, with no allocation, when it
 * is a plain array (Array.isArray, its @@iterator - read once, as GetIterator does - the
 * original Array.prototype[@@iterator], ArrayIterator.prototype.next untouched); otherwise a
 * new array of the n values the iterator gave (closed when not exhausted, as IteratorClose
 * requires; Babel's order: those values are taken before the defaults run, a difference only
 * a default with side effects on the iterated object could observe). The executor's native
 * call costs about what the same check written inline did (measured with
 * tests/bench/bench_compiler's CPU loop: slightly fewer instructions), checks exactly what
 * iterating would see, and keeps the output small. Indexing gets exactly the elements the
 * ArrayIterator would get, in the same order, provided nothing changes the length between two
 * steps:
 *   - a "quiet" pattern (identifier or hole targets, defaults that run no code: literals,
 *     local names, functions) also asks for `length >= n` and reads `$$3[i]`;
 *   - any other (nested patterns, member targets, defaults that may run code) reads each
 *     element as the ArrayIterator steps, with the length read at that step and a sticky
 *     done flag: `$$d || $$3.length <= i ? ($$d = 1, void 0) : $$3[i]`.
 * Holes read their element too (a getter there runs, as a step would). Rest elements keep
 * $jsc_array_pattern, object rest $jsc_object_rest.
 *
 * In declarations the temporaries are extra declarators of the same declaration (they are
 * fresh names, so their kind does not matter); in assignment expressions they are `var`s of
 * the enclosing function (jsc_declare_temp) and the assignments form a sequence whose value
 * is the right-hand side. Defaults are evaluated only when the value is undefined, in source
 * order.
 *
 * Patterns in for-in/for-of heads, catch parameters and (should the function pass leave any)
 * parameters are replaced by a temporary and a declaration or assignment at the top of the
 * body, which is then lowered the same way.
 */
#include "phases.h"
#include "scope.h"

#include <string.h>

typedef struct emit {
    jsc_ctx *cx;
    jsc_node *fn;  /* function (or program) that owns expression temporaries */
    int decl;      /* 1: produce declarators; 0: produce assignment expressions */
    jsc_node *out; /* the list produced */
} emit;

static void bind(emit *e, jsc_node *target, jsc_node *value, const char *src);

static int is_pattern(const jsc_node *n)
{
    return n && (n->kind == N_ARRAY_PATTERN || n->kind == N_OBJECT_PATTERN);
}

static jsc_node *void0(jsc_ctx *cx, const jsc_node *at)
{
    jsc_node *n = jsc_node_new(cx, N_UNARY, at);
    n->op = JT_VOID;
    n->a = jsc_number(cx, 0, at);
    n->a->str = "0";
    return n;
}

static jsc_node *index_of(jsc_ctx *cx, jsc_node *obj, jsc_node *key, const jsc_node *at)
{
    jsc_node *n = jsc_node_new(cx, N_INDEX, at);
    n->a = obj;
    n->b = key;
    return n;
}

static jsc_node *num(jsc_ctx *cx, double v, const jsc_node *at)
{
    jsc_node *n = jsc_number(cx, v, at);
    n->str = jsc_sprintf(cx, "%.0f", v);
    return n;
}

/* Append one step: `name = value` as a declarator, or as an assignment expression. */
static void step(emit *e, jsc_node *target, jsc_node *value)
{
    jsc_node *n;
    if (e->decl) {
        n = jsc_node_new(e->cx, N_DECLARATOR, target);
        n->a = target;
        n->b = value;
    } else {
        n = jsc_assign(e->cx, target, value, target);
    }
    jsc_list_append(&e->out, n);
}

/* A fresh temporary holding `value`; returns its name. */
static const char *temp(emit *e, jsc_node *value)
{
    const char *name = e->decl ? jsc_temp_name(e->cx) : jsc_declare_temp(e->cx, e->fn);
    step(e, jsc_ident(e->cx, name, value), value);
    return name;
}

/* The source text V8 quotes in "Cannot destructure 'x' as it is undefined.", or NULL. */
static const char *src_text(jsc_ctx *cx, const jsc_node *n)
{
    if (!n)
        return NULL;
    switch (n->kind) {
    case N_IDENT: {
        const char *p = cx->temp_prefix ? cx->temp_prefix : "$$";
        return strncmp(n->str, p, strlen(p)) == 0 ? "" : n->str; /* "": quote the value */
    }
    case N_THIS:
        return "this";
    case N_MEMBER: {
        const char *obj = src_text(cx, n->a);
        return obj ? jsc_sprintf(cx, "%s.%s", obj, n->str) : NULL;
    }
    case N_CALL: {
        const char *callee = src_text(cx, n->a);
        return callee ? jsc_sprintf(cx, "%s(...)", callee) : NULL;
    }
    default:
        return NULL;
    }
}

static jsc_node *str_or_null(jsc_ctx *cx, const char *s, const jsc_node *at)
{
    return s ? jsc_string(cx, s, strlen(s), at) : jsc_node_new(cx, N_NULL, at);
}

static jsc_node *helper(jsc_ctx *cx, const char *name, jsc_node *args, const jsc_node *at)
{
    jsc_need(cx, "destructure");
    return jsc_call(cx, jsc_ident(cx, name, at), args, at);
}

/* target = value, or target = (value === undefined ? dflt : value). */
static void bind_default(emit *e, jsc_node *target, jsc_node *value, jsc_node *dflt)
{
    if (!dflt) {
        bind(e, target, value, NULL);
        return;
    }
    jsc_ctx *cx = e->cx;
    const char *t = temp(e, value);
    jsc_node *test = jsc_node_new(cx, N_BINARY, dflt);
    test->op = JT_SEQ;
    test->a = jsc_ident(cx, t, dflt);
    test->b = void0(cx, dflt);
    jsc_node *c = jsc_node_new(cx, N_COND, dflt);
    c->a = test;
    c->b = dflt;
    c->c = jsc_ident(cx, t, dflt);
    bind(e, target, c, NULL);
}

/* The key of a non-computed property as a string, or NULL. */
static const char *static_key(jsc_ctx *cx, const jsc_node *k)
{
    if (k->kind == N_IDENT || k->kind == N_STRING)
        return k->str;
    if (k->kind == N_NUMBER)
        return k->str ? k->str : jsc_sprintf(cx, "%.17g", k->num);
    return NULL;
}

static jsc_node *prop_value(emit *e, jsc_node *obj, jsc_node *p, jsc_node **keys, int rest)
{
    jsc_ctx *cx = e->cx;
    jsc_node *k = p->a;
    if (p->flags & JSC_COMPUTED) {
        jsc_node *key = k;
        if (rest) {
            const char *kt = temp(e, k);
            key = jsc_ident(cx, kt, k);
            jsc_list_append(keys, jsc_ident(cx, kt, k));
        }
        return index_of(cx, obj, key, p);
    }
    if (rest) {
        const char *s = static_key(cx, k);
        jsc_list_append(keys, jsc_string(cx, s, strlen(s), k));
    }
    if (k->kind == N_IDENT)
        return jsc_member(cx, obj, k->str, p);
    return index_of(
        cx, obj,
        k->kind == N_STRING ? jsc_string(cx, k->str, k->len, k) : jsc_number(cx, k->num, k), p);
}

static int is_temp(const jsc_ctx *cx, const jsc_node *n)
{
    const char *p = cx->temp_prefix ? cx->temp_prefix : "$$";
    return n->kind == N_IDENT && strncmp(n->str, p, strlen(p)) == 0;
}

/* The name of a temporary holding `value`: the value itself when it is a temporary already
 * (assigned once, before the pattern), else a new one. */
static const char *hold(emit *e, jsc_node *value)
{
    return is_temp(e->cx, value) ? value->str : temp(e, value);
}

static jsc_node *binary(jsc_ctx *cx, jsc_tok op, jsc_node *a, jsc_node *b, const jsc_node *at)
{
    jsc_node *n = jsc_node_new(cx, N_BINARY, at);
    n->op = op;
    n->a = a;
    n->b = b;
    return n;
}

static jsc_node *cond(jsc_ctx *cx, jsc_node *test, jsc_node *then, jsc_node *other,
                      const jsc_node *at)
{
    jsc_node *n = jsc_node_new(cx, N_COND, at);
    n->a = test;
    n->b = then;
    n->c = other;
    return n;
}

/* `t == null ? $jsc_obj_pattern(t, src, key) : otherwise` (otherwise NULL: t). */
static jsc_node *coercible(emit *e, const char *t, const char *src, const char *key,
                           jsc_node *otherwise, const jsc_node *at)
{
    jsc_ctx *cx = e->cx;
    jsc_node *args = jsc_ident(cx, t, at);
    args->next = str_or_null(cx, src, at);
    args->next->next = str_or_null(cx, key, at);
    jsc_node *test = binary(cx, JT_EQ, jsc_ident(cx, t, at), jsc_node_new(cx, N_NULL, at), at);
    return cond(cx, test, helper(cx, "$jsc_obj_pattern", args, at),
                otherwise ? otherwise : jsc_ident(cx, t, at), at);
}

/* A step whose value is thrown away: an expression, or a throwaway declarator. */
static void discard(emit *e, jsc_node *value)
{
    if (e->decl)
        temp(e, value);
    else
        jsc_list_append(&e->out, value);
}

static void object_pattern(emit *e, jsc_node *pat, jsc_node *value, const char *src)
{
    jsc_ctx *cx = e->cx;
    jsc_node *first = pat->a;
    int simple_first = first && first->kind == N_PROPERTY && !(first->flags & JSC_COMPUTED);
    const char *key = simple_first ? static_key(cx, first->a) : NULL;
    const char *t = hold(e, value);
    /* The check runs before anything else: folded into the first read when that is a plain
     * property, else a step of its own (before a computed key is evaluated). */
    if (!simple_first)
        discard(e, coercible(e, t, src, key, num(cx, 0, pat), pat));
    if (!first)
        return;
    int has_rest = jsc_list_last(pat->a)->kind == N_REST;
    jsc_node *keys = NULL;
    for (jsc_node *p = pat->a; p; p = p->next) {
        if (p->kind == N_REST) {
            jsc_node *arr = jsc_node_new(cx, N_ARRAY, p);
            arr->a = keys;
            jsc_node *a = jsc_ident(cx, t, p);
            a->next = arr;
            bind(e, p->a, helper(cx, "$jsc_object_rest", a, p), NULL);
            break;
        }
        jsc_node *obj =
            p == first && simple_first ? coercible(e, t, src, key, NULL, p) : jsc_ident(cx, t, p);
        jsc_node *v = prop_value(e, obj, p, &keys, has_rest);
        jsc_node *target = p->b ? p->b : jsc_ident(cx, p->a->str, p->a);
        if (target->kind == N_ASSIGN_PATTERN)
            bind_default(e, target->a, v, target->b);
        else
            bind(e, target, v, NULL);
    }
}

/* Whether evaluating `n` can run no code of the task (nor change anything it could see):
 * literals, names of local bindings, functions, and array/object literals of those. */
static int inert(const jsc_ctx *cx, const jsc_node *n)
{
    switch (n->kind) {
    case N_NUMBER:
    case N_STRING:
    case N_NULL:
    case N_TRUE:
    case N_FALSE:
    case N_FUNCTION:
    case N_HOLE:
        return 1;
    case N_IDENT:
        return is_temp(cx, n) || jsc_ident_binding(n) != NULL;
    case N_UNARY:
        return (n->op == JT_VOID || n->op == JT_MINUS || n->op == JT_NOT) && inert(cx, n->a);
    case N_ARRAY:
        for (const jsc_node *el = n->a; el; el = el->next)
            if (!inert(cx, el))
                return 0;
        return 1;
    case N_OBJECT:
        for (const jsc_node *p = n->a; p; p = p->next)
            if (p->kind != N_PROPERTY || (p->flags & JSC_COMPUTED) || !inert(cx, p->b))
                return 0;
        return 1;
    default:
        return 0;
    }
}

/* Whether no code of the task can run between two steps of the array pattern's iteration:
 * every element binds a name (declared, or local) or is a hole, with inert defaults. */
static int quiet(const emit *e, const jsc_node *pat)
{
    for (const jsc_node *el = pat->a; el; el = el->next) {
        const jsc_node *target = el;
        if (el->kind == N_ASSIGN_PATTERN) {
            if (!inert(e->cx, el->b))
                return 0;
            target = el->a;
        }
        if (target->kind == N_HOLE)
            continue;
        if (target->kind != N_IDENT || (!e->decl && !inert(e->cx, target)))
            return 0;
    }
    return 1;
}

/* Array patterns with a rest element: $jsc_array_pattern collects the values. */
static void array_rest_pattern(emit *e, jsc_node *pat, jsc_node *value, const char *src, double n)
{
    jsc_ctx *cx = e->cx;
    jsc_node *args = value;
    args->next = num(cx, n, pat);
    args->next->next = num(cx, 1, pat);
    args->next->next->next = str_or_null(cx, src, pat);
    const char *t = temp(e, helper(cx, "$jsc_array_pattern", args, pat));
    double i = 0;
    for (jsc_node *el = pat->a; el; el = el->next, i++) {
        if (el->kind == N_HOLE)
            continue;
        jsc_node *v = index_of(cx, jsc_ident(cx, t, el), num(cx, i, el), el);
        if (el->kind == N_REST)
            bind(e, el->a, v, NULL);
        else if (el->kind == N_ASSIGN_PATTERN)
            bind_default(e, el->a, v, el->b);
        else
            bind(e, el, v, NULL);
    }
}

/* Element i of a live array t: `d || t.length <= i ? (d = 1, void 0) : t[i]`. */
static jsc_node *live_read(emit *e, const char *t, const char *d, double i, const jsc_node *at)
{
    jsc_ctx *cx = e->cx;
    jsc_node *len = jsc_member(cx, jsc_ident(cx, t, at), "length", at);
    jsc_node *test = jsc_node_new(cx, N_LOGICAL, at);
    test->op = JT_OROR;
    test->a = jsc_ident(cx, d, at);
    test->b = binary(cx, JT_LE, len, num(cx, i, at), at);
    jsc_node *done = jsc_node_new(cx, N_SEQUENCE, at);
    done->a = jsc_assign(cx, jsc_ident(cx, d, at), num(cx, 1, at), at);
    done->a->next = void0(cx, at);
    return cond(cx, test, done, index_of(cx, jsc_ident(cx, t, at), num(cx, i, at), at), at);
}

/* What an array pattern of n elements reads from: $jsc_arr(value, n, src, live), which returns
 * the value itself when it is a plain array (and, unless live, at least n long). The length
 * test of quiet patterns lets the reads go without bounds checks; live patterns check at each
 * read. */
static jsc_node *array_of(emit *e, jsc_node *value, double n, int live, const char *src,
                          const jsc_node *at)
{
    jsc_ctx *cx = e->cx;
    jsc_node *args = value;
    args->next = num(cx, n, at);
    args->next->next = str_or_null(cx, src && *src ? src : NULL, at);
    args->next->next->next = num(cx, live, at);
    return jsc_call(cx, jsc_ident(cx, "$jsc_arr", at), args, at);
}

static void array_pattern(emit *e, jsc_node *pat, jsc_node *value, const char *src)
{
    jsc_ctx *cx = e->cx;
    double n = 0;
    for (jsc_node *el = pat->a; el; el = el->next) {
        if (el->kind == N_REST) {
            array_rest_pattern(e, pat, value, src, n);
            return;
        }
        n++;
    }
    int live = !quiet(e, pat);
    jsc_need(cx, "iterator");
    jsc_node *arr = array_of(e, value, n, live, src, pat);
    /* The done flag is assigned later: a `var` of the function, not a declarator of what
     * may be a const declaration. */
    const char *d = live ? jsc_declare_temp(cx, e->fn) : NULL;
    if (d) {
        jsc_node *s = jsc_node_new(cx, N_SEQUENCE, pat);
        s->a = jsc_assign(cx, jsc_ident(cx, d, pat), num(cx, 0, pat), pat);
        s->a->next = arr;
        arr = s;
    }
    const char *t = temp(e, arr);
    double i = 0;
    for (jsc_node *el = pat->a; el; el = el->next, i++) {
        jsc_node *v = live ? live_read(e, t, d, i, el)
                           : index_of(cx, jsc_ident(cx, t, el), num(cx, i, el), el);
        if (el->kind == N_HOLE)
            discard(e, v);
        else if (el->kind == N_ASSIGN_PATTERN)
            bind_default(e, el->a, v, el->b);
        else
            bind(e, el, v, NULL);
    }
}

/* Assign `value` to `target` (an identifier, member, index or pattern). `src` names the value
 * for messages (NULL: a nested value). */
static void bind(emit *e, jsc_node *target, jsc_node *value, const char *src)
{
    value->next = NULL;
    if (target->kind == N_OBJECT_PATTERN)
        object_pattern(e, target, value, src);
    else if (target->kind == N_ARRAY_PATTERN)
        array_pattern(e, target, value, src);
    else if (target->kind == N_ASSIGN_PATTERN)
        bind_default(e, target->a, value, target->b);
    else
        step(e, target, value);
}

/* ---- the places patterns occur ------------------------------------------------------------ */

typedef struct walk {
    jsc_node *fn;
} walk;

/* `let <pattern> = init` declarators in place. */
static void lower_declarators(jsc_ctx *cx, jsc_node *fn, jsc_node *var)
{
    jsc_node **slot = &var->a;
    while (*slot) {
        jsc_node *d = *slot;
        if (!is_pattern(d->a)) {
            slot = &d->next;
            continue;
        }
        emit e = {cx, fn, 1, NULL};
        jsc_node *init = d->b ? d->b : void0(cx, d);
        const char *src = src_text(cx, d->b);
        bind(&e, d->a, init, src ? src : "");
        jsc_replace(slot, e.out);
        while (*slot != d->next)
            slot = &(*slot)->next;
    }
}

/* `pattern = value` as an expression (want_value: its value is used). */
static jsc_node *lower_assign(jsc_ctx *cx, jsc_node *fn, jsc_node *as, int want_value)
{
    emit e = {cx, fn, 0, NULL};
    jsc_node *value = as->b;
    const char *src = src_text(cx, value);
    const char *r = NULL;
    if (!src)
        src = "";
    if (want_value) {
        r = temp(&e, value);
        value = jsc_ident(cx, r, as);
    }
    bind(&e, as->a, value, src);
    if (r)
        jsc_list_append(&e.out, jsc_ident(cx, r, as));
    if (!e.out->next)
        return e.out;
    jsc_node *seq = jsc_node_new(cx, N_SEQUENCE, as);
    seq->a = e.out;
    seq->flags = as->flags & JSC_PARENS;
    return seq;
}

static jsc_node *as_block(jsc_ctx *cx, jsc_node *body)
{
    if (body->kind == N_BLOCK)
        return body;
    jsc_node *b = jsc_node_new(cx, N_BLOCK, body);
    b->a = body;
    body->next = NULL;
    return b;
}

/* Prepend statement `s` (already lowered) to block `blk`. */
static void prepend(jsc_node *blk, jsc_node *s)
{
    jsc_list_last(s)->next = blk->a;
    blk->a = s;
}

/* A declaration `kind pattern = name;`, lowered. */
static jsc_node *decl_from(jsc_ctx *cx, jsc_node *fn, uint32_t kind, jsc_node *pat,
                           const char *name)
{
    jsc_node *var = jsc_node_new(cx, N_VAR, pat);
    var->flags = kind;
    jsc_node *d = jsc_node_new(cx, N_DECLARATOR, pat);
    d->a = pat;
    d->b = jsc_ident(cx, name, pat);
    var->a = d;
    lower_declarators(cx, fn, var);
    return var;
}

/* for (let [a, b] of x) body -> for (let $$1 of x) { let [a, b] = $$1; body } */
static void lower_loop_head(jsc_ctx *cx, jsc_node *fn, jsc_node *loop)
{
    jsc_node *head = loop->a;
    jsc_node *s;
    if (head->kind == N_VAR && head->a && is_pattern(head->a->a)) {
        jsc_node *pat = head->a->a;
        const char *t = jsc_temp_name(cx);
        head->a->a = jsc_ident(cx, t, pat);
        s = decl_from(cx, fn, head->flags, pat, t);
    } else if (is_pattern(head)) {
        const char *t = jsc_declare_temp(cx, fn);
        loop->a = jsc_ident(cx, t, head);
        jsc_node *as = jsc_assign(cx, head, jsc_ident(cx, t, head), head);
        s = jsc_expr_stmt(cx, lower_assign(cx, fn, as, 0));
    } else {
        return;
    }
    loop->d = as_block(cx, loop->d);
    jsc_node *outer = jsc_node_new(cx, N_BLOCK, loop->d);
    outer->a = s;
    s->next = loop->d; /* the body stays its own block: it may redeclare the names */
    loop->d = outer;
}

static void lower_catch(jsc_ctx *cx, jsc_node *fn, jsc_node *try)
{
    jsc_node *pat = try->b;
    const char *t = jsc_temp_name(cx);
    try->b = jsc_ident(cx, t, pat);
    prepend(try->c, decl_from(cx, fn, JSC_DECL_LET, pat, t));
}

static int lower_params(jsc_ctx *cx, jsc_node *fn)
{
    jsc_node *decls = NULL;
    for (jsc_node **p = &fn->a; *p; p = &(*p)->next) {
        jsc_node *pat = *p;
        if (pat->kind == N_ASSIGN_PATTERN || pat->kind == N_REST)
            return jsc_error(cx, pat,
                             "internal: default and rest parameters must be "
                             "lowered before destructuring");
        if (!is_pattern(pat))
            continue;
        const char *t = jsc_temp_name(cx);
        jsc_replace(p, jsc_ident(cx, t, pat));
        jsc_list_append(&decls, decl_from(cx, fn, JSC_DECL_VAR, pat, t));
    }
    if (decls)
        prepend(fn->b, decls);
    return 1;
}

static void visit(jsc_ctx *cx, jsc_node **slot, void *data);

/* Heads, catch parameters and parameters: before the children are visited, so that the
 * declarations put into the body are visited with it. */
static void lower_pre(jsc_ctx *cx, jsc_node *n, jsc_node *fn)
{
    switch (n->kind) {
    case N_FOR_IN:
    case N_FOR_OF:
        lower_loop_head(cx, fn, n);
        break;
    case N_TRY:
        if (is_pattern(n->b))
            lower_catch(cx, fn, n);
        break;
    case N_FUNCTION:
    case N_FUNC_DECL:
        if (!(n->flags & JSC_EXPR_BODY))
            lower_params(cx, n);
        break;
    default:
        break;
    }
}

/* Declarations and assignments: after their parts were visited. */
static void lower_post(jsc_ctx *cx, jsc_node **slot, jsc_node *fn)
{
    jsc_node *n = *slot;
    if (n->kind == N_VAR)
        lower_declarators(cx, fn, n);
    else if (n->kind == N_EXPR_STMT && n->a->kind == N_ASSIGN && is_pattern(n->a->a))
        n->a = lower_assign(cx, fn, n->a, 0);
    else if (n->kind == N_ASSIGN && is_pattern(n->a))
        jsc_replace(slot, lower_assign(cx, fn, n, 1));
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
    lower_pre(cx, n, inner.fn);
    if (n->kind == N_EXPR_STMT && n->a->kind == N_ASSIGN && is_pattern(n->a->a)) {
        /* the statement form needs no value: visit the parts, not the assignment */
        jsc_each_child(cx, n->a, visit, &inner);
    } else {
        jsc_each_child(cx, n, visit, &inner);
    }
    lower_post(cx, slot, w->fn);
}

int jsc_lower_destructure(jsc_ctx *cx, jsc_node *prog)
{
    walk w = {prog};
    jsc_each_child(cx, prog, visit, &w);
    return !cx->failed;
}
