/*
 * host/task/compiler/parse_primary.c - primary expressions: literals, identifiers (and the
 * arrow functions they start), templates, array literals, parenthesised expressions and
 * arrow parameter lists (a cover grammar: parsed as expressions, then reinterpreted).
 */
#include "parse_int.h"

#include <string.h>

jsc_node *jsc_p_template(jsc_parser *p, int tagged)
{
    jsc_node *t = jsc_p_node(p, N_TEMPLATE, &p->tok);
    jsc_node **part_tail = &t->a, **expr_tail = &t->b;
    for (;;) {
        if (p->tok.t != JT_TEMPLATE)
            jsc_p_unexpected(p, "a template continuation");
        if (!tagged && !p->tok.str)
            jsc_p_fail(p, p->tok.line, p->tok.col, "Invalid escape sequence in template");
        jsc_node *part = jsc_p_node(p, N_TEMPLATE_PART, &p->tok);
        part->str = p->tok.str;
        part->len = p->tok.len;
        part->raw = p->tok.raw;
        part->raw_len = p->tok.raw_len;
        *part_tail = part;
        part_tail = &part->next;
        if (p->tok.tail) {
            jsc_p_next(p);
            return t;
        }
        jsc_p_next(p);
        int no_in = p->no_in;
        p->no_in = 0;
        jsc_node *e = jsc_p_expression(p, 0);
        p->no_in = no_in;
        *expr_tail = e;
        expr_tail = &e->next;
        if (p->tok.t != JT_RBRACE)
            jsc_p_unexpected(p, "'}'");
        p->has_ahead = 0;
        jsc_lex_template_cont(&p->lx, &p->tok);
    }
}

static jsc_node *parse_array(jsc_parser *p)
{
    jsc_node *arr = jsc_p_node(p, N_ARRAY, &p->tok);
    jsc_node **tail = &arr->a;
    int no_in = p->no_in;
    p->no_in = 0;
    jsc_p_next(p);
    while (p->tok.t != JT_RBRACKET) {
        jsc_node *el;
        int spread = 0;
        if (p->tok.t == JT_COMMA) {
            el = jsc_p_node(p, N_HOLE, &p->tok);
        } else if (p->tok.t == JT_ELLIPSIS) {
            el = jsc_p_node(p, N_SPREAD, &p->tok);
            jsc_p_next(p);
            el->a = jsc_p_assign(p, 1);
            spread = 1;
        } else {
            el = jsc_p_assign(p, 1);
        }
        *tail = el;
        tail = &el->next;
        if (p->tok.t != JT_RBRACKET) {
            jsc_p_list_sep(p, JT_RBRACKET);
            if (spread && p->tok.t == JT_RBRACKET)
                p->trailing_spread = el;
        }
    }
    jsc_p_next(p);
    p->no_in = no_in;
    return arr;
}

/* `( ... )`: a parenthesised expression, or the parameters of an arrow function. */
static jsc_node *parse_paren(jsc_parser *p)
{
    jsc_token start = p->tok;
    int no_in = p->no_in, saved = p->cover_count;
    p->no_in = 0;
    jsc_p_next(p);
    jsc_node *items = NULL, **tail = &items, *rest = NULL;
    int trailing = 0;
    while (p->tok.t != JT_RPAREN) {
        if (p->tok.t == JT_ELLIPSIS) {
            rest = jsc_p_node(p, N_REST, &p->tok);
            jsc_p_next(p);
            rest->a = jsc_p_binding_target(p);
            if (p->tok.t == JT_ASSIGN)
                jsc_p_fail(p, p->tok.line, p->tok.col,
                           "Rest parameter may not have a default initializer");
            if (p->tok.t != JT_RPAREN)
                jsc_p_unexpected(p, "')' after a rest parameter");
            break;
        }
        jsc_node *e = jsc_p_assign(p, 1);
        *tail = e;
        tail = &e->next;
        if (p->tok.t != JT_COMMA)
            break;
        jsc_p_next(p);
        if (p->tok.t == JT_RPAREN)
            trailing = 1;
    }
    jsc_p_expect(p, JT_RPAREN);
    p->no_in = no_in;
    if (p->tok.t == JT_ARROW && p->tok.nl_before)
        jsc_p_fail(p, p->tok.line, p->tok.col,
                   "Unexpected token '=>' (no line break is allowed before '=>')");
    if (p->tok.t == JT_ARROW) {
        jsc_node *params = jsc_p_to_params(p, items);
        if (rest)
            jsc_list_append(&params, rest);
        p->cover_count = saved;
        return jsc_p_arrow(p, params, 0, &start);
    }
    if (!items || rest || trailing)
        jsc_p_unexpected(p, "'=>'");
    jsc_node *e = items;
    if (items->next) {
        e = jsc_node_new(p->cx, N_SEQUENCE, items);
        e->a = items;
    }
    e->flags |= JSC_PARENS;
    return e;
}

/* `async` starting an expression: async function, async arrow, or a plain identifier. */
static jsc_node *parse_async(jsc_parser *p, int *done)
{
    jsc_token start = p->tok;
    const jsc_token *nx = jsc_p_peek(p);
    *done = 1;
    if (nx->t == JT_KEYWORD && strcmp(nx->str, "function") == 0 && !nx->nl_before) {
        jsc_p_next(p);
        return jsc_p_function(p, 0, JSC_ASYNC, &start);
    }
    if (nx->t == JT_LPAREN && !nx->nl_before) {
        jsc_node *callee = jsc_p_node(p, N_IDENT, &start);
        callee->str = "async";
        callee->len = 5;
        jsc_p_next(p);
        int saved = p->cover_count;
        jsc_node *args = jsc_p_arguments(p, 1);
        if (p->tok.t == JT_ARROW && !p->tok.nl_before) {
            p->cover_count = saved;
            return jsc_p_arrow(p, jsc_p_to_params(p, args), JSC_ASYNC, &start);
        }
        jsc_p_cover_check(p, saved);
        jsc_node *call = jsc_node_new(p->cx, N_CALL, callee);
        call->a = callee;
        call->b = args;
        return call;
    }
    *done = 0;
    return NULL;
}

static jsc_node *parse_ident_primary(jsc_parser *p)
{
    if (jsc_p_is_ident(p, "async")) {
        int done;
        jsc_node *n = parse_async(p, &done);
        if (done)
            return n;
    }
    jsc_token start = p->tok;
    const jsc_token *nx = jsc_p_peek(p);
    if (nx->t == JT_ARROW && !nx->nl_before) {
        jsc_node *param = jsc_p_binding_ident(p);
        return jsc_p_arrow(p, param, 0, &start);
    }
    if (strcmp(start.str, "await") == 0 && !start.escaped && !nx->nl_before &&
        (nx->t == JT_NUMBER || nx->t == JT_STRING ||
         (nx->t == JT_IDENT && strcmp(nx->str, "of") != 0) ||
         (nx->t == JT_KEYWORD && strcmp(nx->str, "in") != 0 &&
          strcmp(nx->str, "instanceof") != 0)))
        jsc_p_fail(p, start.line, start.col,
                   "await is only valid in async functions (wrap the code in an async "
                   "function)");
    jsc_p_check_ident(p, &p->tok);
    if (p->in_class_field && strcmp(p->tok.str, "arguments") == 0)
        jsc_p_fail(p, start.line, start.col, "'arguments' is not allowed in class field "
                                             "initializer");
    jsc_node *n = jsc_p_node(p, N_IDENT, &p->tok);
    n->str = p->tok.str;
    n->len = p->tok.len;
    jsc_p_next(p);
    return n;
}

static jsc_node *parse_keyword_primary(jsc_parser *p)
{
    jsc_token t = p->tok;
    const char *k = t.str;
    static const struct {
        const char *kw;
        jsc_kind kind;
    } simple[] = {{"this", N_THIS}, {"null", N_NULL}, {"true", N_TRUE}, {"false", N_FALSE}};
    for (size_t i = 0; i < sizeof simple / sizeof *simple; i++)
        if (strcmp(k, simple[i].kw) == 0) {
            jsc_p_next(p);
            return jsc_p_node(p, simple[i].kind, &t);
        }
    if (strcmp(k, "function") == 0)
        return jsc_p_function(p, 0, 0, &t);
    if (strcmp(k, "class") == 0)
        return jsc_p_class(p, 0);
    if (strcmp(k, "super") == 0) {
        jsc_p_next(p);
        if (p->tok.t == JT_LPAREN ? !p->in_ctor
                                  : (p->tok.t != JT_DOT && p->tok.t != JT_LBRACKET) ||
                                        !p->in_method)
            jsc_p_fail(p, t.line, t.col, "'super' keyword unexpected here");
        return jsc_p_node(p, N_SUPER, &t);
    }
    if (strcmp(k, "import") == 0) {
        jsc_p_next(p);
        if (p->tok.t == JT_LPAREN)
            jsc_p_fail(p, t.line, t.col, "dynamic import() is not supported: a task is a "
                                         "script; define a global main function");
        jsc_p_fail(p, t.line, t.col, "import/export (ES modules) are not supported: a task "
                                     "is a script; define a global main function");
    }
    jsc_p_unexpected(p, NULL);
}

jsc_node *jsc_p_primary(jsc_parser *p)
{
    jsc_token t = p->tok;
    jsc_node *n;
    switch (t.t) {
    case JT_IDENT:
        return parse_ident_primary(p);
    case JT_KEYWORD:
        return parse_keyword_primary(p);
    case JT_NUMBER:
        if (t.octal && p->strict)
            jsc_p_fail(p, t.line, t.col, "Octal literals are not allowed in strict mode");
        n = jsc_p_node(p, N_NUMBER, &t);
        n->num = t.num;
        n->str = t.raw;
        n->len = t.raw_len;
        jsc_p_next(p);
        return n;
    case JT_STRING:
        if (t.octal && p->strict)
            jsc_p_fail(p, t.line, t.col,
                       "Octal escape sequences are not allowed in strict mode");
        n = jsc_p_node(p, N_STRING, &t);
        n->str = t.str;
        n->len = t.len;
        jsc_p_next(p);
        return n;
    case JT_TEMPLATE:
        return jsc_p_template(p, 0);
    case JT_SLASH:
    case JT_SLASH_EQ:
        p->has_ahead = 0;
        jsc_lex_regexp(&p->lx, &p->tok);
        n = jsc_p_node(p, N_REGEXP, &p->tok);
        n->str = p->tok.str;
        n->len = p->tok.len;
        n->raw = p->tok.raw;
        n->raw_len = p->tok.raw_len;
        jsc_p_next(p);
        return n;
    case JT_LPAREN:
        return parse_paren(p);
    case JT_LBRACKET:
        return parse_array(p);
    case JT_LBRACE:
        return jsc_p_object(p);
    default:
        jsc_p_unexpected(p, NULL);
    }
}
