/*
 * host/task/compiler/build.c - constructors of the nodes the lowering passes synthesise.
 *
 * Every constructor allocates from the compilation's arena (nothing to free) and copies the
 * position of `at` (NULL: position 0:0, synthesised code the line map does not point at), so
 * that the printer maps generated code back to the author's line and column. Children are
 * linked as given: a constructor does not clear their `next` unless it says so.
 */
#include "ast.h"

#include <string.h>

jsc_node *jsc_ident(jsc_ctx *cx, const char *name, const jsc_node *at)
{
    jsc_node *n = jsc_node_new(cx, N_IDENT, at);
    n->str = name;
    n->len = strlen(name);
    return n;
}

jsc_node *jsc_string(jsc_ctx *cx, const char *s, size_t len, const jsc_node *at)
{
    jsc_node *n = jsc_node_new(cx, N_STRING, at);
    n->str = jsc_strndup(cx, s, len);
    n->len = len;
    return n;
}

jsc_node *jsc_number(jsc_ctx *cx, double v, const jsc_node *at)
{
    jsc_node *n = jsc_node_new(cx, N_NUMBER, at);
    n->num = v;
    return n;
}

jsc_node *jsc_member(jsc_ctx *cx, jsc_node *obj, const char *prop, const jsc_node *at)
{
    jsc_node *n = jsc_node_new(cx, N_MEMBER, at);
    n->a = obj;
    n->str = prop;
    n->len = strlen(prop);
    return n;
}

jsc_node *jsc_call(jsc_ctx *cx, jsc_node *callee, jsc_node *args, const jsc_node *at)
{
    return jsc_op(cx, N_CALL, JT_EOF, callee, args, at);
}

jsc_node *jsc_assign(jsc_ctx *cx, jsc_node *target, jsc_node *value, const jsc_node *at)
{
    return jsc_op(cx, N_ASSIGN, JT_ASSIGN, target, value, at);
}

jsc_node *jsc_expr_stmt(jsc_ctx *cx, jsc_node *expr)
{
    return jsc_op(cx, N_EXPR_STMT, JT_EOF, expr, NULL, expr);
}

jsc_node *jsc_var_decl(jsc_ctx *cx, const char *name, jsc_node *init, const jsc_node *at)
{
    jsc_node *v = jsc_node_new(cx, N_VAR, at);
    v->flags = JSC_DECL_VAR;
    v->a = jsc_op(cx, N_DECLARATOR, JT_EOF, jsc_ident(cx, name, at), init, at);
    return v;
}

jsc_node *jsc_op(jsc_ctx *cx, jsc_kind kind, jsc_tok op, jsc_node *a, jsc_node *b,
                 const jsc_node *at)
{
    jsc_node *n = jsc_node_new(cx, kind, at);
    n->op = op;
    n->a = a;
    n->b = b;
    return n;
}

jsc_node *jsc_wrap(jsc_ctx *cx, jsc_kind kind, jsc_node *a, const jsc_node *at)
{
    return jsc_op(cx, kind, JT_EOF, a, NULL, at);
}

jsc_node *jsc_cond(jsc_ctx *cx, jsc_node *test, jsc_node *then, jsc_node *other, const jsc_node *at)
{
    jsc_node *n = jsc_op(cx, N_COND, JT_EOF, test, then, at);
    n->c = other;
    return n;
}

jsc_node *jsc_index(jsc_ctx *cx, jsc_node *obj, jsc_node *key, const jsc_node *at)
{
    return jsc_op(cx, N_INDEX, JT_EOF, obj, key, at);
}

jsc_node *jsc_void0(jsc_ctx *cx, const jsc_node *at)
{
    return jsc_op(cx, N_UNARY, JT_VOID, jsc_number(cx, 0, at), NULL, at);
}

jsc_node *jsc_link(jsc_node *a, jsc_node *b)
{
    a->next = b;
    return a;
}

jsc_node *jsc_helper_call(jsc_ctx *cx, const char *module, const char *name, jsc_node *args,
                          const jsc_node *at)
{
    jsc_need(cx, module);
    return jsc_call(cx, jsc_ident(cx, name, at), args, at);
}

int jsc_is_directive(const jsc_node *s)
{
    return s->kind == N_EXPR_STMT && s->a && s->a->kind == N_STRING && !(s->a->flags & JSC_PARENS);
}
