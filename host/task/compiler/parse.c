/*
 * host/task/compiler/parse.c - the parser's entry point, token stream and error reporting.
 * The grammar itself is in parse_expr.c, parse_stmt.c and parse_func.c.
 */
#include "parse_int.h"
#include "phases.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

_Noreturn void jsc_p_fail(jsc_parser *p, uint32_t line, uint32_t col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char msg[400];
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    jsc_error_at(p->cx, line, col, "%s", msg);
    longjmp(p->jmp, 1);
}

_Noreturn void jsc_p_unexpected(jsc_parser *p, const char *expected)
{
    const jsc_token *t = &p->tok;
    char what[160];
    switch (t->t) {
    case JT_EOF: snprintf(what, sizeof what, "Unexpected end of input"); break;
    case JT_IDENT: snprintf(what, sizeof what, "Unexpected identifier '%.60s'", t->str); break;
    case JT_KEYWORD: snprintf(what, sizeof what, "Unexpected token '%s'", t->str); break;
    case JT_NUMBER: snprintf(what, sizeof what, "Unexpected number"); break;
    case JT_STRING: snprintf(what, sizeof what, "Unexpected string"); break;
    case JT_TEMPLATE: snprintf(what, sizeof what, "Unexpected template string"); break;
    case JT_REGEXP: snprintf(what, sizeof what, "Unexpected regular expression"); break;
    case JT_PRIVATE_NAME:
        jsc_p_fail(p, t->line, t->col,
                   "private class members (#%.60s) are not supported (ES2022)", t->str);
    default: snprintf(what, sizeof what, "Unexpected token '%s'", jsc_tok_text(t->t)); break;
    }
    if (expected)
        jsc_p_fail(p, t->line, t->col, "%s (expected %s)", what, expected);
    jsc_p_fail(p, t->line, t->col, "%s", what);
}

void jsc_p_next(jsc_parser *p)
{
    p->prev_line = p->lx.line;
    if (p->has_ahead) {
        p->tok = p->ahead;
        p->has_ahead = 0;
        return;
    }
    jsc_lex_next(&p->lx, &p->tok);
}

const jsc_token *jsc_p_peek(jsc_parser *p)
{
    if (!p->has_ahead) {
        jsc_lex_next(&p->lx, &p->ahead);
        p->has_ahead = 1;
    }
    return &p->ahead;
}

void jsc_p_expect(jsc_parser *p, jsc_tok t)
{
    if (p->tok.t != t) {
        char exp[16];
        snprintf(exp, sizeof exp, "'%s'", jsc_tok_text(t));
        jsc_p_unexpected(p, exp);
    }
    jsc_p_next(p);
}

void jsc_p_list_sep(jsc_parser *p, jsc_tok close)
{
    if (p->tok.t == close)
        return;
    if (p->tok.t != JT_COMMA) {
        char exp[24];
        snprintf(exp, sizeof exp, "',' or '%s'", jsc_tok_text(close));
        jsc_p_unexpected(p, exp);
    }
    jsc_p_next(p);
}

int jsc_p_eat(jsc_parser *p, jsc_tok t)
{
    if (p->tok.t != t)
        return 0;
    jsc_p_next(p);
    return 1;
}

int jsc_p_is_kw(const jsc_parser *p, const char *kw)
{
    return p->tok.t == JT_KEYWORD && strcmp(p->tok.str, kw) == 0;
}

int jsc_p_is_ident(const jsc_parser *p, const char *name)
{
    return p->tok.t == JT_IDENT && !p->tok.escaped && strcmp(p->tok.str, name) == 0;
}

void jsc_p_semicolon(jsc_parser *p)
{
    if (jsc_p_eat(p, JT_SEMI))
        return;
    if (p->tok.t == JT_RBRACE || p->tok.t == JT_EOF || p->tok.nl_before)
        return; /* automatic semicolon insertion */
    jsc_p_unexpected(p, NULL);
}

jsc_node *jsc_p_node(jsc_parser *p, jsc_kind kind, const jsc_token *at)
{
    jsc_node *n = jsc_node_new(p->cx, kind, NULL);
    n->line = at->line;
    n->col = at->col;
    return n;
}

void jsc_p_enter(jsc_parser *p)
{
    if (++p->depth > JSC_MAX_NEST)
        jsc_p_fail(p, p->tok.line, p->tok.col, "nesting too deep (more than %d levels)",
                   JSC_MAX_NEST);
}

void jsc_p_leave(jsc_parser *p)
{
    p->depth--;
}

static const char *const strict_reserved[] = {
    "implements", "interface", "let", "package", "private", "protected", "public", "static",
    "yield",
};

void jsc_p_check_ident(jsc_parser *p, const jsc_token *t)
{
    if (t->t == JT_KEYWORD)
        jsc_p_fail(p, t->line, t->col, "Unexpected token '%s'", t->str);
    if (t->escaped && jsc_keyword(t->str, t->len))
        jsc_p_fail(p, t->line, t->col, "Keyword must not contain escaped characters");
    if (strcmp(t->str, "yield") == 0 && (p->in_generator || p->strict))
        jsc_p_fail(p, t->line, t->col, "Unexpected identifier 'yield' (reserved here)");
    if (strcmp(t->str, "await") == 0 && p->in_async)
        jsc_p_fail(p, t->line, t->col, "Unexpected identifier 'await' (reserved here)");
    if (p->strict)
        for (size_t i = 0; i < sizeof strict_reserved / sizeof *strict_reserved; i++)
            if (strcmp(t->str, strict_reserved[i]) == 0)
                jsc_p_fail(p, t->line, t->col, "Unexpected strict mode reserved word '%s'",
                           t->str);
}

jsc_node *jsc_p_binding_ident(jsc_parser *p)
{
    if (p->tok.t != JT_IDENT)
        jsc_p_unexpected(p, "an identifier");
    jsc_p_check_ident(p, &p->tok);
    if (p->strict && (strcmp(p->tok.str, "eval") == 0 || strcmp(p->tok.str, "arguments") == 0))
        jsc_p_fail(p, p->tok.line, p->tok.col, "Unexpected eval or arguments in strict mode");
    jsc_node *n = jsc_p_node(p, N_IDENT, &p->tok);
    n->str = p->tok.str;
    n->len = p->tok.len;
    jsc_p_next(p);
    return n;
}

jsc_node *jsc_parse(jsc_ctx *cx)
{
    jsc_parser *p = jsc_alloc(cx, sizeof *p);
    p->cx = cx;
    if (setjmp(p->jmp))
        return NULL;
    jsc_lex_init(&p->lx, cx, &p->jmp);
    jsc_p_next(p);
    jsc_token start = p->tok;
    start.line = 1;
    start.col = 1;
    jsc_node *prog = jsc_p_node(p, N_PROGRAM, &start);
    int strict = 0;
    prog->a = jsc_p_statement_list(p, JT_EOF, 1, &strict);
    if (strict)
        prog->flags |= JSC_STRICT;
    return prog;
}
