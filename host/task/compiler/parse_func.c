/*
 * host/task/compiler/parse_func.c - functions, arrows, methods, classes and object literals,
 * and destructuring patterns (parsed directly in declarations and parameters, or converted
 * from an expression for assignments and arrow parameters).
 */
#include "parse_int.h"

#include <string.h>

void jsc_p_fn_enter(jsc_parser *p, jsc_fnsave *s, uint32_t flags)
{
    s->in_function = p->in_function;
    s->can_return = p->can_return;
    s->in_async = p->in_async;
    s->in_generator = p->in_generator;
    s->strict = p->strict;
    s->in_method = p->in_method;
    s->in_ctor = p->in_ctor;
    s->in_class_field = p->in_class_field;
    s->breakable = p->breakable;
    s->loops = p->loops;
    s->no_in = p->no_in;
    s->labels = p->labels;
    /* arrows keep this/super/new.target/arguments of the enclosing function */
    if (!(flags & JSC_ARROW)) {
        p->in_function = 1;
        p->in_method = (flags & JSC_METHOD) != 0;
        p->in_ctor = 0;
        p->in_class_field = 0;
    }
    p->can_return = 1;
    p->in_async = (flags & JSC_ASYNC) != 0;
    p->in_generator = (flags & JSC_GENERATOR) != 0;
    p->breakable = p->loops = 0;
    p->labels = NULL;
    p->no_in = 0;
}

void jsc_p_fn_leave(jsc_parser *p, const jsc_fnsave *s)
{
    p->in_function = s->in_function;
    p->can_return = s->can_return;
    p->in_async = s->in_async;
    p->in_generator = s->in_generator;
    p->strict = s->strict;
    p->in_method = s->in_method;
    p->in_ctor = s->in_ctor;
    p->in_class_field = s->in_class_field;
    p->breakable = s->breakable;
    p->loops = s->loops;
    p->no_in = s->no_in;
    p->labels = s->labels;
}

static int simple_params(const jsc_node *params)
{
    for (; params; params = params->next)
        if (params->kind != N_IDENT)
            return 0;
    return 1;
}

jsc_node *jsc_p_function_body(jsc_parser *p, jsc_node *fn)
{
    jsc_token at = p->tok;
    jsc_p_expect(p, JT_LBRACE);
    jsc_node *body = jsc_p_node(p, N_BLOCK, &at);
    int strict = 0;
    body->a = jsc_p_statement_list(p, JT_RBRACE, 1, &strict);
    if (strict && !simple_params(fn->a))
        jsc_p_fail(p, at.line, at.col, "Illegal 'use strict' directive in function with "
                                       "non-simple parameter list");
    if (p->strict)
        fn->flags |= JSC_STRICT;
    jsc_p_next(p);
    return body;
}

static jsc_node *parse_params(jsc_parser *p)
{
    jsc_node *head = NULL, **tail = &head;
    jsc_p_expect(p, JT_LPAREN);
    while (p->tok.t != JT_RPAREN) {
        jsc_node *el;
        if (p->tok.t == JT_ELLIPSIS) {
            el = jsc_p_node(p, N_REST, &p->tok);
            jsc_p_next(p);
            el->a = jsc_p_binding_target(p);
            if (p->tok.t != JT_RPAREN)
                jsc_p_unexpected(p, "')' after a rest parameter");
        } else {
            el = jsc_p_binding_element(p);
        }
        *tail = el;
        tail = &el->next;
        jsc_p_list_sep(p, JT_RPAREN);
    }
    jsc_p_next(p);
    return head;
}

jsc_node *jsc_p_function(jsc_parser *p, int is_decl, uint32_t flags, const jsc_token *start)
{
    jsc_p_enter(p);
    jsc_p_next(p); /* function */
    if (jsc_p_eat(p, JT_STAR))
        flags |= JSC_GENERATOR;
    jsc_node *fn = jsc_p_node(p, is_decl ? N_FUNC_DECL : N_FUNCTION, start);
    fn->flags = flags;
    jsc_fnsave s;
    if (p->tok.t == JT_IDENT) {
        if (!is_decl) { /* the name of an expression belongs to its own scope */
            int g = p->in_generator, a = p->in_async;
            p->in_generator = (flags & JSC_GENERATOR) != 0;
            p->in_async = (flags & JSC_ASYNC) != 0;
            fn->str = jsc_p_binding_ident(p)->str;
            p->in_generator = g;
            p->in_async = a;
        } else {
            fn->str = jsc_p_binding_ident(p)->str;
        }
    } else if (is_decl) {
        jsc_p_unexpected(p, "a function name");
    }
    jsc_p_fn_enter(p, &s, flags);
    fn->a = parse_params(p);
    fn->b = jsc_p_function_body(p, fn);
    jsc_p_fn_leave(p, &s);
    jsc_p_leave(p);
    return fn;
}

jsc_node *jsc_p_arrow(jsc_parser *p, jsc_node *params, uint32_t flags, const jsc_token *start)
{
    jsc_p_next(p); /* => */
    jsc_node *fn = jsc_p_node(p, N_FUNCTION, start);
    fn->flags = flags | JSC_ARROW;
    fn->a = params;
    jsc_fnsave s;
    int no_in = p->no_in;
    jsc_p_fn_enter(p, &s, fn->flags);
    if (p->tok.t == JT_LBRACE) {
        fn->b = jsc_p_function_body(p, fn);
    } else {
        fn->flags |= JSC_EXPR_BODY;
        p->no_in = no_in;
        fn->b = jsc_p_assign(p, 0);
        if (p->strict)
            fn->flags |= JSC_STRICT;
    }
    jsc_p_fn_leave(p, &s);
    return fn;
}

/* ---- methods, classes, object literals ------------------------------------------------- */

jsc_node *jsc_p_property_name(jsc_parser *p, uint32_t *flags)
{
    jsc_token t = p->tok;
    jsc_node *n;
    switch (t.t) {
    case JT_IDENT:
    case JT_KEYWORD:
        n = jsc_p_node(p, N_IDENT, &t);
        n->str = t.str;
        n->len = t.len;
        break;
    case JT_STRING:
        n = jsc_p_node(p, N_STRING, &t);
        n->str = t.str;
        n->len = t.len;
        break;
    case JT_NUMBER:
        n = jsc_p_node(p, N_NUMBER, &t);
        n->num = t.num;
        n->str = t.raw;
        n->len = t.raw_len;
        break;
    case JT_LBRACKET: {
        jsc_p_next(p);
        int no_in = p->no_in;
        p->no_in = 0;
        n = jsc_p_assign(p, 0);
        p->no_in = no_in;
        if (p->tok.t != JT_RBRACKET)
            jsc_p_unexpected(p, "']'");
        *flags |= JSC_COMPUTED;
        break;
    }
    default:
        jsc_p_unexpected(p, "a property name");
    }
    jsc_p_next(p);
    return n;
}

/* Whether the token after a modifier (async/get/set/static) makes the modifier the name. */
static int modifier_is_name(jsc_parser *p)
{
    const jsc_token *nx = jsc_p_peek(p);
    return nx->t == JT_LPAREN || nx->t == JT_COLON || nx->t == JT_COMMA ||
           nx->t == JT_RBRACE || nx->t == JT_ASSIGN || nx->t == JT_SEMI || nx->t == JT_EOF;
}

/* Modifiers and name of a method or property: sets flags (GET/SET/STATIC/COMPUTED) and
 * fnflags (ASYNC/GENERATOR); returns the key. */
static jsc_node *member_head(jsc_parser *p, uint32_t *flags, uint32_t *fnflags,
                             jsc_token *keytok)
{
    if (jsc_p_is_ident(p, "async") && !modifier_is_name(p) && !jsc_p_peek(p)->nl_before) {
        *fnflags |= JSC_ASYNC;
        jsc_p_next(p);
    }
    if (jsc_p_eat(p, JT_STAR))
        *fnflags |= JSC_GENERATOR;
    if (!*fnflags && (jsc_p_is_ident(p, "get") || jsc_p_is_ident(p, "set")) &&
        !modifier_is_name(p)) {
        *flags |= p->tok.str[0] == 'g' ? JSC_GET : JSC_SET;
        jsc_p_next(p);
    }
    if (p->tok.t == JT_PRIVATE_NAME)
        jsc_p_unexpected(p, NULL);
    *keytok = p->tok;
    return jsc_p_property_name(p, flags);
}

static jsc_node *parse_method(jsc_parser *p, uint32_t flags, uint32_t fnflags, int ctor,
                              const jsc_token *at)
{
    jsc_p_enter(p);
    jsc_node *fn = jsc_p_node(p, N_FUNCTION, at);
    fn->flags = fnflags | JSC_METHOD | (flags & (JSC_GET | JSC_SET));
    jsc_fnsave s;
    jsc_p_fn_enter(p, &s, fn->flags);
    p->in_ctor = ctor;
    jsc_token pt = p->tok;
    fn->a = parse_params(p);
    size_t n = jsc_list_len(fn->a);
    if ((flags & JSC_GET) && n != 0)
        jsc_p_fail(p, pt.line, pt.col, "Getter must not have any formal parameters");
    if ((flags & JSC_SET) && (n != 1 || fn->a->kind == N_REST))
        jsc_p_fail(p, pt.line, pt.col, "Setter must have exactly one formal parameter");
    fn->b = jsc_p_function_body(p, fn);
    jsc_p_fn_leave(p, &s);
    jsc_p_leave(p);
    return fn;
}

static int is_name(const jsc_node *key, uint32_t flags, const char *name)
{
    return !(flags & JSC_COMPUTED) && (key->kind == N_IDENT || key->kind == N_STRING) &&
           strcmp(key->str, name) == 0;
}

static jsc_node *class_member(jsc_parser *p, int derived, int *has_ctor)
{
    jsc_token at = p->tok;
    uint32_t flags = 0, fnflags = 0;
    if (jsc_p_is_ident(p, "static") && !modifier_is_name(p)) {
        flags |= JSC_STATIC;
        jsc_p_next(p);
    }
    jsc_token kt;
    jsc_node *key = member_head(p, &flags, &fnflags, &kt);
    jsc_node *prop = jsc_p_node(p, N_PROPERTY, &at);
    prop->a = key;
    int ctor = !(flags & JSC_STATIC) && is_name(key, flags, "constructor");
    if (p->tok.t == JT_LPAREN) {
        if (ctor && (fnflags || (flags & (JSC_GET | JSC_SET))))
            jsc_p_fail(p, kt.line, kt.col, "Class constructor may not be an accessor, a "
                                           "generator or async");
        if (ctor && (*has_ctor)++)
            jsc_p_fail(p, kt.line, kt.col, "A class may only have one constructor");
        if ((flags & JSC_STATIC) && is_name(key, flags, "prototype"))
            jsc_p_fail(p, kt.line, kt.col, "Classes may not have a static property named "
                                           "'prototype'");
        flags |= ctor ? JSC_CONSTRUCTOR : JSC_METHOD;
        prop->flags = flags;
        prop->b = parse_method(p, flags, fnflags, ctor && derived, &at);
        return prop;
    }
    if (fnflags || (flags & (JSC_GET | JSC_SET)))
        jsc_p_unexpected(p, "'('");
    if (is_name(key, flags, "constructor") || is_name(key, flags, "prototype"))
        jsc_p_fail(p, kt.line, kt.col, "Classes may not have a field named '%s'", key->str);
    prop->flags = flags | JSC_FIELD;
    if (jsc_p_eat(p, JT_ASSIGN)) {
        jsc_fnsave s;
        jsc_p_fn_enter(p, &s, JSC_METHOD);
        p->in_class_field = 1;
        p->can_return = 0;
        prop->b = jsc_p_assign(p, 0);
        jsc_p_fn_leave(p, &s);
    }
    jsc_p_semicolon(p);
    return prop;
}

jsc_node *jsc_p_class(jsc_parser *p, int is_decl)
{
    jsc_token at = p->tok;
    jsc_p_enter(p);
    jsc_p_next(p);
    jsc_node *c = jsc_p_node(p, is_decl ? N_CLASS_DECL : N_CLASS, &at);
    int strict = p->strict;
    p->strict = 1; /* all parts of a class are strict mode code */
    if (p->tok.t == JT_IDENT)
        c->str = jsc_p_binding_ident(p)->str;
    else if (is_decl)
        jsc_p_unexpected(p, "a class name");
    if (jsc_p_is_kw(p, "extends")) {
        jsc_p_next(p);
        c->a = jsc_p_lhs(p);
    }
    jsc_p_expect(p, JT_LBRACE);
    jsc_node **tail = &c->b;
    int has_ctor = 0;
    while (p->tok.t != JT_RBRACE) {
        if (jsc_p_eat(p, JT_SEMI))
            continue;
        jsc_node *m = class_member(p, c->a != NULL, &has_ctor);
        *tail = m;
        tail = &m->next;
    }
    jsc_p_next(p);
    p->strict = strict;
    jsc_p_leave(p);
    return c;
}

static jsc_node *shorthand_value(jsc_parser *p, const jsc_token *kt, const jsc_node *key,
                                 uint32_t flags)
{
    if ((flags & JSC_COMPUTED) || kt->t != JT_IDENT) {
        jsc_p_fail(p, kt->line, kt->col, "Unexpected token '%s' (expected ':')",
                   kt->t == JT_KEYWORD ? kt->str : jsc_tok_text(p->tok.t));
    }
    jsc_p_check_ident(p, kt);
    jsc_node *v = jsc_p_node(p, N_IDENT, kt);
    v->str = key->str;
    v->len = key->len;
    return v;
}

static jsc_node *object_property(jsc_parser *p)
{
    jsc_token at = p->tok, kt;
    uint32_t flags = 0, fnflags = 0;
    jsc_node *prop = jsc_p_node(p, N_PROPERTY, &at);
    prop->a = member_head(p, &flags, &fnflags, &kt);
    if (fnflags || (flags & (JSC_GET | JSC_SET)) || p->tok.t == JT_LPAREN) {
        if (!(flags & (JSC_GET | JSC_SET)))
            flags |= JSC_METHOD;
        prop->flags = flags;
        prop->b = parse_method(p, flags, fnflags, 0, &at);
        return prop;
    }
    if (jsc_p_eat(p, JT_COLON)) {
        prop->flags = flags;
        prop->b = jsc_p_assign(p, 1);
        return prop;
    }
    prop->flags = flags | JSC_SHORTHAND;
    prop->b = shorthand_value(p, &kt, prop->a, flags);
    if (p->tok.t == JT_ASSIGN) {
        /* `{a = 1}`: valid only if this object becomes a pattern */
        p->cover_count++;
        p->cover_line = p->tok.line;
        p->cover_col = p->tok.col;
        jsc_p_next(p);
        jsc_node *ap = jsc_node_new(p->cx, N_ASSIGN_PATTERN, prop->b);
        ap->a = prop->b;
        ap->b = jsc_p_assign(p, 0);
        prop->b = ap;
    }
    return prop;
}

jsc_node *jsc_p_object(jsc_parser *p)
{
    jsc_node *obj = jsc_p_node(p, N_OBJECT, &p->tok);
    jsc_node **tail = &obj->a;
    int no_in = p->no_in;
    p->no_in = 0;
    jsc_p_enter(p);
    jsc_p_next(p);
    while (p->tok.t != JT_RBRACE) {
        jsc_node *el;
        if (p->tok.t == JT_ELLIPSIS) {
            el = jsc_p_node(p, N_SPREAD, &p->tok);
            jsc_p_next(p);
            el->a = jsc_p_assign(p, 1);
        } else {
            el = object_property(p);
        }
        *tail = el;
        tail = &el->next;
        jsc_p_list_sep(p, JT_RBRACE);
    }
    jsc_p_next(p);
    jsc_p_leave(p);
    p->no_in = no_in;
    return obj;
}
