/*
 * host/task/compiler/parse_stmt.c - statements and declarations, the directive prologue,
 * labels and the break/continue targets they allow, for/for-in/for-of heads.
 */
#include "parse_int.h"

#include <string.h>

static jsc_node *parse_block(jsc_parser *p)
{
    jsc_node *b = jsc_p_node(p, N_BLOCK, &p->tok);
    jsc_p_expect(p, JT_LBRACE);
    b->a = jsc_p_statement_list(p, JT_RBRACE, 0, NULL);
    jsc_p_next(p);
    return b;
}

static uint32_t decl_kind(jsc_parser *p)
{
    if (jsc_p_is_kw(p, "var"))
        return JSC_DECL_VAR;
    if (jsc_p_is_kw(p, "const"))
        return JSC_DECL_CONST;
    if (jsc_p_is_ident(p, "let")) {
        const jsc_token *nx = jsc_p_peek(p);
        if (nx->t == JT_IDENT || nx->t == JT_LBRACKET || nx->t == JT_LBRACE)
            return JSC_DECL_LET;
    }
    return 0;
}

/* `var|let|const` declarators; in a for head (in_for) the initialisers may be missing and
 * `in` is not an operator. */
static jsc_node *parse_var(jsc_parser *p, uint32_t kind, int in_for)
{
    jsc_node *v = jsc_p_node(p, N_VAR, &p->tok);
    v->flags = kind;
    jsc_p_next(p);
    jsc_node **tail = &v->a;
    do {
        jsc_node *d = jsc_p_node(p, N_DECLARATOR, &p->tok);
        if (kind != JSC_DECL_VAR && jsc_p_is_ident(p, "let"))
            jsc_p_fail(p, p->tok.line, p->tok.col,
                       "let is disallowed as a lexically bound name");
        d->a = jsc_p_binding_target(p);
        if (jsc_p_eat(p, JT_ASSIGN)) {
            d->b = jsc_p_assign(p, 0);
        } else if (!in_for || (p->tok.t != JT_SEMI && !jsc_p_is_kw(p, "in") &&
                               !jsc_p_is_ident(p, "of"))) {
            if (kind == JSC_DECL_CONST)
                jsc_p_fail(p, d->line, d->col, "Missing initializer in const declaration");
            if (d->a->kind != N_IDENT)
                jsc_p_fail(p, d->line, d->col,
                           "Missing initializer in destructuring declaration");
        }
        *tail = d;
        tail = &d->next;
    } while (jsc_p_eat(p, JT_COMMA));
    return v;
}

static jsc_node *loop_body(jsc_parser *p)
{
    p->breakable++;
    p->loops++;
    jsc_node *body = jsc_p_statement(p, 0);
    p->breakable--;
    p->loops--;
    return body;
}

/* for-in / for-of after the left side; tok is `in` or `of`. */
static jsc_node *for_in_of(jsc_parser *p, jsc_node *n, jsc_node *left, int await)
{
    int of = jsc_p_is_ident(p, "of");
    if (await && !of)
        jsc_p_unexpected(p, "'of'");
    n->kind = of ? N_FOR_OF : N_FOR_IN;
    if (await)
        n->flags |= JSC_AWAIT;
    if (left->kind == N_VAR) {
        if (left->a->next)
            jsc_p_fail(p, left->line, left->col, "Invalid left-hand side in for-%s loop: "
                       "must have a single binding", of ? "of" : "in");
        if (left->a->b && (of || p->strict || left->flags != JSC_DECL_VAR ||
                           left->a->a->kind != N_IDENT))
            jsc_p_fail(p, left->line, left->col,
                       "for-%s loop variable declaration may not have an initializer",
                       of ? "of" : "in");
    }
    jsc_p_next(p);
    n->a = left;
    n->b = of ? jsc_p_assign(p, 0) : jsc_p_expression(p, 0);
    jsc_p_expect(p, JT_RPAREN);
    n->d = loop_body(p);
    return n;
}

static jsc_node *parse_for(jsc_parser *p)
{
    jsc_node *n = jsc_p_node(p, N_FOR, &p->tok);
    jsc_p_next(p);
    int await = 0;
    if (jsc_p_is_ident(p, "await")) {
        if (!p->in_async)
            jsc_p_fail(p, p->tok.line, p->tok.col,
                       "for await is only valid in async functions");
        await = 1;
        jsc_p_next(p);
    }
    jsc_p_expect(p, JT_LPAREN);
    jsc_node *init = NULL;
    if (p->tok.t != JT_SEMI) {
        uint32_t kind = decl_kind(p);
        p->no_in = 1;
        if (kind) {
            init = parse_var(p, kind, 1);
        } else {
            int saved = p->cover_count;
            jsc_token at = p->tok;
            init = jsc_p_expression(p, 1);
            p->no_in = 0;
            if (jsc_p_is_kw(p, "in") || jsc_p_is_ident(p, "of")) {
                if (jsc_p_is_ident(p, "of") && at.t == JT_IDENT && strcmp(at.str, "async") == 0 &&
                    init->kind == N_IDENT && !await)
                    jsc_p_fail(p, at.line, at.col, "The left-hand side of a for-of loop may "
                                                   "not be 'async'");
                if (init->kind == N_OBJECT || init->kind == N_ARRAY)
                    jsc_p_to_pattern(p, init, 0);
                else if (init->kind != N_IDENT && init->kind != N_MEMBER &&
                         init->kind != N_INDEX)
                    jsc_p_fail(p, init->line, init->col,
                               "Invalid left-hand side in for-loop");
                else
                    jsc_p_to_pattern(p, init, 0);
                p->cover_count = saved;
            } else {
                jsc_p_cover_check(p, saved);
            }
        }
        p->no_in = 0;
        if (jsc_p_is_kw(p, "in") || jsc_p_is_ident(p, "of"))
            return for_in_of(p, n, init, await);
    }
    if (await)
        jsc_p_unexpected(p, "'of'");
    n->a = init;
    jsc_p_expect(p, JT_SEMI);
    if (p->tok.t != JT_SEMI)
        n->b = jsc_p_expression(p, 0);
    jsc_p_expect(p, JT_SEMI);
    if (p->tok.t != JT_RPAREN)
        n->c = jsc_p_expression(p, 0);
    jsc_p_expect(p, JT_RPAREN);
    n->d = loop_body(p);
    return n;
}

static jsc_node *paren_expr(jsc_parser *p)
{
    jsc_p_expect(p, JT_LPAREN);
    jsc_node *e = jsc_p_expression(p, 0);
    jsc_p_expect(p, JT_RPAREN);
    return e;
}

static jsc_node *parse_switch(jsc_parser *p)
{
    jsc_node *n = jsc_p_node(p, N_SWITCH, &p->tok);
    jsc_p_next(p);
    n->a = paren_expr(p);
    jsc_p_expect(p, JT_LBRACE);
    jsc_node **tail = &n->b;
    int has_default = 0;
    p->breakable++;
    while (p->tok.t != JT_RBRACE) {
        jsc_node *c = jsc_p_node(p, N_CASE, &p->tok);
        if (jsc_p_is_kw(p, "case")) {
            jsc_p_next(p);
            c->a = jsc_p_expression(p, 0);
        } else if (jsc_p_is_kw(p, "default")) {
            if (has_default++)
                jsc_p_fail(p, c->line, c->col, "More than one default clause in switch "
                                               "statement");
            jsc_p_next(p);
        } else {
            jsc_p_unexpected(p, "'case', 'default' or '}'");
        }
        jsc_p_expect(p, JT_COLON);
        jsc_node **s_tail = &c->b;
        while (p->tok.t != JT_RBRACE && !jsc_p_is_kw(p, "case") &&
               !jsc_p_is_kw(p, "default")) {
            jsc_node *s = jsc_p_statement(p, 1);
            *s_tail = s;
            s_tail = &s->next;
        }
        *tail = c;
        tail = &c->next;
    }
    p->breakable--;
    jsc_p_next(p);
    return n;
}

static jsc_node *parse_try(jsc_parser *p)
{
    jsc_node *n = jsc_p_node(p, N_TRY, &p->tok);
    jsc_p_next(p);
    n->a = parse_block(p);
    if (jsc_p_is_kw(p, "catch")) {
        jsc_p_next(p);
        if (jsc_p_eat(p, JT_LPAREN)) {
            n->b = jsc_p_binding_target(p);
            jsc_p_expect(p, JT_RPAREN);
        }
        n->c = parse_block(p);
    }
    if (jsc_p_is_kw(p, "finally")) {
        jsc_p_next(p);
        n->d = parse_block(p);
    }
    if (!n->c && !n->d)
        jsc_p_unexpected(p, "'catch' or 'finally'");
    return n;
}

static jsc_node *parse_jump(jsc_parser *p, jsc_kind kind)
{
    jsc_node *n = jsc_p_node(p, kind, &p->tok);
    jsc_p_next(p);
    if (p->tok.t == JT_IDENT && !p->tok.nl_before) {
        jsc_label *l = p->labels;
        while (l && strcmp(l->name, p->tok.str) != 0)
            l = l->up;
        if (!l)
            jsc_p_fail(p, p->tok.line, p->tok.col, "Undefined label '%s'", p->tok.str);
        if (kind == N_CONTINUE && !l->is_loop)
            jsc_p_fail(p, p->tok.line, p->tok.col,
                       "Illegal continue statement: '%s' does not denote an iteration "
                       "statement", p->tok.str);
        n->str = p->tok.str;
        jsc_p_next(p);
    } else if (kind == N_BREAK ? !p->breakable : !p->loops) {
        jsc_p_fail(p, n->line, n->col, kind == N_BREAK ? "Illegal break statement"
                                                       : "Illegal continue statement: no "
                                                         "surrounding iteration statement");
    }
    jsc_p_semicolon(p);
    return n;
}

static jsc_node *parse_return_throw(jsc_parser *p, jsc_kind kind)
{
    jsc_node *n = jsc_p_node(p, kind, &p->tok);
    if (kind == N_RETURN && !p->can_return)
        jsc_p_fail(p, n->line, n->col, "Illegal return statement");
    jsc_p_next(p);
    if (kind == N_THROW && p->tok.nl_before)
        jsc_p_fail(p, p->tok.line, p->tok.col, "Illegal newline after throw");
    if (kind == N_THROW || (p->tok.t != JT_SEMI && p->tok.t != JT_RBRACE &&
                            p->tok.t != JT_EOF && !p->tok.nl_before))
        n->a = jsc_p_expression(p, 0);
    jsc_p_semicolon(p);
    return n;
}

static int is_loop_start(const jsc_parser *p)
{
    return jsc_p_is_kw(p, "for") || jsc_p_is_kw(p, "while") || jsc_p_is_kw(p, "do");
}

static jsc_node *parse_labeled(jsc_parser *p, jsc_node *ident)
{
    for (jsc_label *l = p->labels; l; l = l->up)
        if (strcmp(l->name, ident->str) == 0)
            jsc_p_fail(p, ident->line, ident->col, "Label '%s' has already been declared",
                       ident->str);
    jsc_p_next(p); /* : */
    jsc_node *n = jsc_node_new(p->cx, N_LABELED, ident);
    n->str = ident->str;
    jsc_label l = {ident->str, is_loop_start(p), p->labels};
    p->labels = &l;
    p->breakable++;
    if (jsc_p_is_kw(p, "function"))
        jsc_p_fail(p, p->tok.line, p->tok.col, "function declarations cannot be labelled");
    n->a = jsc_p_statement(p, 0);
    p->breakable--;
    p->labels = l.up;
    return n;
}

static jsc_node *parse_keyword_stmt(jsc_parser *p, int decl_ok, int *handled);

static jsc_node *parse_expr_stmt(jsc_parser *p)
{
    jsc_token at = p->tok;
    jsc_node *e = jsc_p_expression(p, 0);
    if (e->kind == N_IDENT && !(e->flags & JSC_PARENS) && at.t == JT_IDENT &&
        p->tok.t == JT_COLON)
        return parse_labeled(p, e);
    jsc_p_semicolon(p);
    return jsc_expr_stmt(p->cx, e);
}

jsc_node *jsc_p_statement(jsc_parser *p, int decl_ok)
{
    jsc_p_enter(p);
    jsc_node *n = NULL;
    jsc_token at = p->tok;
    uint32_t kind;
    if (p->tok.t == JT_LBRACE) {
        n = parse_block(p);
    } else if (p->tok.t == JT_SEMI) {
        n = jsc_p_node(p, N_EMPTY, &at);
        jsc_p_next(p);
    } else if ((kind = decl_kind(p)) != 0) {
        if (!decl_ok && kind != JSC_DECL_VAR)
            jsc_p_fail(p, at.line, at.col, "Lexical declaration cannot appear in a "
                                           "single-statement context");
        n = parse_var(p, kind, 0);
        jsc_p_semicolon(p);
    } else if (jsc_p_is_ident(p, "async") && jsc_p_peek(p)->t == JT_KEYWORD &&
               strcmp(jsc_p_peek(p)->str, "function") == 0 && !jsc_p_peek(p)->nl_before) {
        if (!decl_ok)
            jsc_p_fail(p, at.line, at.col, "Async functions can only be declared at the top "
                                           "level or inside a block");
        jsc_p_next(p);
        n = jsc_p_function(p, 1, JSC_ASYNC, &at);
    } else if (p->tok.t == JT_KEYWORD) {
        int handled;
        n = parse_keyword_stmt(p, decl_ok, &handled);
        if (!handled)
            n = parse_expr_stmt(p);
    } else {
        n = parse_expr_stmt(p);
    }
    jsc_p_leave(p);
    return n;
}

static jsc_node *parse_if(jsc_parser *p)
{
    jsc_node *n = jsc_p_node(p, N_IF, &p->tok);
    jsc_p_next(p);
    n->a = paren_expr(p);
    n->b = jsc_p_statement(p, 0);
    if (jsc_p_is_kw(p, "else")) {
        jsc_p_next(p);
        n->c = jsc_p_statement(p, 0);
    }
    return n;
}

static jsc_node *parse_while(jsc_parser *p, int is_do)
{
    jsc_node *n = jsc_p_node(p, is_do ? N_DO_WHILE : N_WHILE, &p->tok);
    jsc_p_next(p);
    if (is_do) {
        n->d = loop_body(p);
        if (!jsc_p_is_kw(p, "while"))
            jsc_p_unexpected(p, "'while'");
        jsc_p_next(p);
        n->a = paren_expr(p);
        jsc_p_eat(p, JT_SEMI); /* always optional after do-while */
    } else {
        n->a = paren_expr(p);
        n->d = loop_body(p);
    }
    return n;
}

static jsc_node *parse_keyword_stmt(jsc_parser *p, int decl_ok, int *handled)
{
    const char *k = p->tok.str;
    jsc_token at = p->tok;
    jsc_node *n;
    *handled = 1;
    if (strcmp(k, "if") == 0)
        return parse_if(p);
    if (strcmp(k, "for") == 0)
        return parse_for(p);
    if (strcmp(k, "while") == 0 || strcmp(k, "do") == 0)
        return parse_while(p, k[0] == 'd');
    if (strcmp(k, "return") == 0)
        return parse_return_throw(p, N_RETURN);
    if (strcmp(k, "throw") == 0)
        return parse_return_throw(p, N_THROW);
    if (strcmp(k, "break") == 0)
        return parse_jump(p, N_BREAK);
    if (strcmp(k, "continue") == 0)
        return parse_jump(p, N_CONTINUE);
    if (strcmp(k, "try") == 0)
        return parse_try(p);
    if (strcmp(k, "switch") == 0)
        return parse_switch(p);
    if (strcmp(k, "function") == 0) {
        if (!decl_ok && p->strict)
            jsc_p_fail(p, at.line, at.col, "In strict mode code, functions can only be "
                                           "declared at top level or inside a block");
        return jsc_p_function(p, 1, 0, &at);
    }
    if (strcmp(k, "class") == 0) {
        if (!decl_ok)
            jsc_p_fail(p, at.line, at.col, "Class declaration cannot appear in a "
                                           "single-statement context");
        return jsc_p_class(p, 1);
    }
    if (strcmp(k, "debugger") == 0) {
        jsc_p_next(p);
        jsc_p_semicolon(p);
        return jsc_p_node(p, N_DEBUGGER, &at);
    }
    if (strcmp(k, "with") == 0) {
        if (p->strict)
            jsc_p_fail(p, at.line, at.col, "Strict mode code may not include a with "
                                           "statement");
        n = jsc_p_node(p, N_WITH, &at);
        jsc_p_next(p);
        n->a = paren_expr(p);
        n->d = jsc_p_statement(p, 0);
        return n;
    }
    if (strcmp(k, "import") == 0 && jsc_p_peek(p)->t != JT_LPAREN)
        jsc_p_fail(p, at.line, at.col, "import/export (ES modules) are not supported: a task "
                                       "is a script; define a global main function");
    if (strcmp(k, "export") == 0)
        jsc_p_fail(p, at.line, at.col, "import/export (ES modules) are not supported: a task "
                                       "is a script; define a global main function");
    *handled = 0;
    return NULL;
}

static int is_use_strict(const jsc_parser *p, const jsc_token *t, const jsc_node *s)
{
    return s->kind == N_EXPR_STMT && s->a->kind == N_STRING && !(s->a->flags & JSC_PARENS) &&
           t->end - t->pos == 12 && memcmp(p->lx.s + t->pos + 1, "use strict", 10) == 0;
}

jsc_node *jsc_p_statement_list(jsc_parser *p, jsc_tok end, int directives, int *strict)
{
    jsc_node *head = NULL, **tail = &head;
    int prologue = directives;
    while (p->tok.t != end) {
        if (p->tok.t == JT_EOF)
            jsc_p_unexpected(p, "'}'");
        jsc_token t = p->tok;
        int first_is_string = t.t == JT_STRING;
        jsc_node *s = jsc_p_statement(p, 1);
        if (prologue) {
            if (first_is_string && s->kind == N_EXPR_STMT && s->a->kind == N_STRING) {
                if (is_use_strict(p, &t, s)) {
                    *strict = 1;
                    p->strict = 1;
                }
            } else {
                prologue = 0;
            }
        }
        *tail = s;
        tail = &s->next;
    }
    return head;
}
