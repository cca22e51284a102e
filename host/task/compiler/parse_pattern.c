/*
 * host/task/compiler/parse_pattern.c - destructuring patterns: parsed directly where only a
 * binding can appear (declarations, parameters, catch), or converted in place from an
 * expression parsed with the cover grammar (assignments, for-in/of heads, arrow parameters).
 */
#include "parse_int.h"

#include <string.h>

static jsc_node *array_binding(jsc_parser *p)
{
    jsc_node *pat = jsc_p_node(p, N_ARRAY_PATTERN, &p->tok);
    jsc_node **tail = &pat->a;
    jsc_p_next(p);
    while (p->tok.t != JT_RBRACKET) {
        jsc_node *el;
        if (p->tok.t == JT_COMMA) {
            el = jsc_p_node(p, N_HOLE, &p->tok);
        } else if (p->tok.t == JT_ELLIPSIS) {
            el = jsc_p_node(p, N_REST, &p->tok);
            jsc_p_next(p);
            el->a = jsc_p_binding_target(p);
            if (p->tok.t != JT_RBRACKET)
                jsc_p_fail(p, p->tok.line, p->tok.col, "Rest element must be last element");
        } else {
            el = jsc_p_binding_element(p);
        }
        *tail = el;
        tail = &el->next;
        jsc_p_list_sep(p, JT_RBRACKET);
    }
    jsc_p_next(p);
    return pat;
}

static jsc_node *object_binding(jsc_parser *p)
{
    jsc_node *pat = jsc_p_node(p, N_OBJECT_PATTERN, &p->tok);
    jsc_node **tail = &pat->a;
    jsc_p_next(p);
    while (p->tok.t != JT_RBRACE) {
        jsc_node *el;
        if (p->tok.t == JT_ELLIPSIS) {
            el = jsc_p_node(p, N_REST, &p->tok);
            jsc_p_next(p);
            el->a = jsc_p_binding_ident(p);
            if (p->tok.t != JT_RBRACE)
                jsc_p_fail(p, p->tok.line, p->tok.col, "Rest element must be last element");
        } else {
            jsc_token kt = p->tok;
            uint32_t flags = 0;
            el = jsc_p_node(p, N_PROPERTY, &kt);
            el->a = jsc_p_property_name(p, &flags);
            el->flags = flags;
            if (jsc_p_eat(p, JT_COLON)) {
                el->b = jsc_p_binding_element(p);
            } else {
                if ((flags & JSC_COMPUTED) || kt.t != JT_IDENT)
                    jsc_p_unexpected(p, "':'");
                jsc_p_check_ident(p, &kt);
                if (p->strict && (strcmp(kt.str, "eval") == 0 ||
                                  strcmp(kt.str, "arguments") == 0))
                    jsc_p_fail(p, kt.line, kt.col,
                               "Unexpected eval or arguments in strict mode");
                el->flags |= JSC_SHORTHAND;
                jsc_node *v = jsc_p_node(p, N_IDENT, &kt);
                v->str = kt.str;
                v->len = kt.len;
                el->b = v;
                if (jsc_p_eat(p, JT_ASSIGN)) {
                    jsc_node *ap = jsc_node_new(p->cx, N_ASSIGN_PATTERN, v);
                    ap->a = v;
                    ap->b = jsc_p_assign(p, 0);
                    el->b = ap;
                }
            }
        }
        *tail = el;
        tail = &el->next;
        jsc_p_list_sep(p, JT_RBRACE);
    }
    jsc_p_next(p);
    return pat;
}

jsc_node *jsc_p_binding_target(jsc_parser *p)
{
    jsc_node *n;
    jsc_p_enter(p);
    if (p->tok.t == JT_LBRACKET)
        n = array_binding(p);
    else if (p->tok.t == JT_LBRACE)
        n = object_binding(p);
    else
        n = jsc_p_binding_ident(p);
    jsc_p_leave(p);
    return n;
}

jsc_node *jsc_p_binding_element(jsc_parser *p)
{
    jsc_node *t = jsc_p_binding_target(p);
    if (p->tok.t != JT_ASSIGN)
        return t;
    jsc_p_next(p);
    jsc_node *ap = jsc_node_new(p->cx, N_ASSIGN_PATTERN, t);
    ap->a = t;
    ap->b = jsc_p_assign(p, 0);
    return ap;
}

/* ---- expression -> pattern -------------------------------------------------------------- */

_Noreturn static void bad_target(jsc_parser *p, const jsc_node *n, int binding)
{
    jsc_p_fail(p, n->line, n->col, "%s",
               binding ? "Invalid destructuring target in a binding pattern (only "
                         "identifiers and patterns can be bound)"
                       : "Invalid destructuring assignment target");
}

static jsc_node *to_pattern_elem(jsc_parser *p, jsc_node *n, int binding)
{
    if (n->kind == N_ASSIGN && n->op == JT_ASSIGN && !(n->flags & JSC_PARENS)) {
        n->kind = N_ASSIGN_PATTERN;
        n->op = JT_EOF;
    }
    if (n->kind == N_ASSIGN_PATTERN) {
        n->a = jsc_p_to_pattern(p, n->a, binding);
        return n;
    }
    return jsc_p_to_pattern(p, n, binding);
}

static void rest_target(jsc_parser *p, jsc_node *el, int binding, int in_object)
{
    if (el->next)
        jsc_p_fail(p, el->line, el->col, "Rest element must be last element");
    if (el == p->trailing_spread)
        jsc_p_fail(p, el->line, el->col, "A rest element cannot have a trailing comma");
    el->kind = N_REST;
    if (el->a->kind == N_ASSIGN)
        jsc_p_fail(p, el->a->line, el->a->col,
                   "Rest element may not have a default initializer");
    el->a = jsc_p_to_pattern(p, el->a, binding);
    if (in_object && el->a->kind != N_IDENT && el->a->kind != N_MEMBER &&
        el->a->kind != N_INDEX)
        bad_target(p, el->a, binding);
}

static void object_to_pattern(jsc_parser *p, jsc_node *n, int binding)
{
    n->kind = N_OBJECT_PATTERN;
    for (jsc_node *el = n->a; el; el = el->next) {
        if (el->kind == N_SPREAD || el->kind == N_REST) {
            rest_target(p, el, binding, 1);
            continue;
        }
        if (el->flags & (JSC_METHOD | JSC_GET | JSC_SET))
            bad_target(p, el, binding);
        el->b = to_pattern_elem(p, el->b, binding);
    }
}

static void array_to_pattern(jsc_parser *p, jsc_node *n, int binding)
{
    n->kind = N_ARRAY_PATTERN;
    for (jsc_node **slot = &n->a; *slot; slot = &(*slot)->next) {
        jsc_node *el = *slot;
        if (el->kind == N_HOLE)
            continue;
        if (el->kind == N_SPREAD || el->kind == N_REST) {
            rest_target(p, el, binding, 0);
            continue;
        }
        jsc_node *next = el->next;
        jsc_node *r = to_pattern_elem(p, el, binding);
        r->next = next;
        *slot = r;
    }
}

jsc_node *jsc_p_to_pattern(jsc_parser *p, jsc_node *n, int binding)
{
    switch (n->kind) {
    case N_IDENT:
        if (binding && (n->flags & JSC_PARENS))
            bad_target(p, n, binding);
        if (p->strict && (strcmp(n->str, "eval") == 0 || strcmp(n->str, "arguments") == 0))
            jsc_p_fail(p, n->line, n->col, "Unexpected eval or arguments in strict mode");
        return n;
    case N_MEMBER:
    case N_INDEX:
        if (binding || (n->flags & JSC_OPTIONAL))
            bad_target(p, n, binding);
        return n;
    case N_OBJECT:
    case N_OBJECT_PATTERN:
        if (n->flags & JSC_PARENS)
            bad_target(p, n, binding);
        object_to_pattern(p, n, binding);
        return n;
    case N_ARRAY:
    case N_ARRAY_PATTERN:
        if (n->flags & JSC_PARENS)
            bad_target(p, n, binding);
        array_to_pattern(p, n, binding);
        return n;
    default:
        bad_target(p, n, binding);
    }
}

jsc_node *jsc_p_to_params(jsc_parser *p, jsc_node *list)
{
    for (jsc_node **slot = &list; *slot; slot = &(*slot)->next) {
        jsc_node *el = *slot;
        if (el->kind == N_SPREAD) {
            rest_target(p, el, 1, 0);
            continue;
        }
        jsc_node *next = el->next;
        jsc_node *r = to_pattern_elem(p, el, 1);
        r->next = next;
        *slot = r;
    }
    return list;
}
