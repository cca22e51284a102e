/*
 * host/task/compiler/parse_int.h - the parser's state and the functions its files share
 * (parse.c: tokens and errors; parse_expr.c: expressions; parse_stmt.c: statements;
 * parse_func.c: functions, classes, object literals, patterns). Internal.
 *
 * Errors: every failure records the message with jsc_error_at() and longjmps to p->jmp, so
 * no function returns an error; the arena owns whatever was built before.
 */
#ifndef JSC_PARSE_INT_H
#define JSC_PARSE_INT_H

#include "lex.h"

/* Nesting bound (statements, expressions, and left-deep chains like a.b.c or a+b+c), so that
 * neither the parser nor later recursive phases can overflow the C stack. */
#define JSC_MAX_NEST 600

typedef struct jsc_label {
    const char *name;
    int is_loop;
    struct jsc_label *up;
} jsc_label;

typedef struct jsc_parser {
    jsc_ctx *cx;
    jsc_lexer lx;
    jsc_token tok;   /* the current token */
    jsc_token ahead; /* one token of lookahead, when has_ahead */
    int has_ahead;
    uint32_t prev_line; /* line where the previous token ended */
    jmp_buf jmp;
    int depth;
    /* context of the innermost function */
    int in_function, in_async, in_generator, strict;
    int can_return; /* inside any function body, arrows included */
    int in_method;  /* super.x allowed */
    int in_ctor;    /* super() allowed */
    int in_class_field;
    int breakable, loops; /* enclosing breakable statements / loops in this function */
    jsc_label *labels;
    int no_in;      /* parsing a for-init: `in` is not an operator */
    /* cover grammar: `{a = 1}` initialisers not yet turned into patterns */
    int cover_count;
    uint32_t cover_line, cover_col;
    jsc_node *trailing_spread; /* `[...a,]`: a spread followed by a comma */
} jsc_parser;

/* parse.c */
void jsc_p_next(jsc_parser *p);
const jsc_token *jsc_p_peek(jsc_parser *p);
_Noreturn void jsc_p_fail(jsc_parser *p, uint32_t line, uint32_t col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
_Noreturn void jsc_p_unexpected(jsc_parser *p, const char *expected);
void jsc_p_expect(jsc_parser *p, jsc_tok t);
int jsc_p_eat(jsc_parser *p, jsc_tok t);
/* Between list elements: a comma, or nothing before `close`. */
void jsc_p_list_sep(jsc_parser *p, jsc_tok close);
int jsc_p_is_kw(const jsc_parser *p, const char *kw);
int jsc_p_is_ident(const jsc_parser *p, const char *name);
void jsc_p_semicolon(jsc_parser *p);
jsc_node *jsc_p_node(jsc_parser *p, jsc_kind kind, const jsc_token *at);
void jsc_p_enter(jsc_parser *p);
void jsc_p_leave(jsc_parser *p);
/* An identifier usable as a binding or reference here (not a reserved word, nor `yield` in
 * generators / `await` in async functions); consumes it. */
jsc_node *jsc_p_binding_ident(jsc_parser *p);
/* Refuse `name` where the current context reserves it. */
void jsc_p_check_ident(jsc_parser *p, const jsc_token *t);

/* parse_expr.c */
jsc_node *jsc_p_expression(jsc_parser *p, int cover);
jsc_node *jsc_p_assign(jsc_parser *p, int cover);
jsc_node *jsc_p_arguments(jsc_parser *p, int cover);
int jsc_p_starts_expr(const jsc_parser *p);
jsc_node *jsc_p_lhs(jsc_parser *p); /* LeftHandSideExpression (class heritage) */

/* parse_primary.c */
jsc_node *jsc_p_primary(jsc_parser *p);
jsc_node *jsc_p_template(jsc_parser *p, int tagged);
/* Check the pending `{a = 1}` initialisers after an expression that did not become a
 * pattern (count taken before parsing it). */
void jsc_p_cover_check(jsc_parser *p, int saved);

/* parse_func.c (and parse_pattern.c for patterns) */
typedef struct jsc_fnsave {
    int in_function, in_async, in_generator, strict, in_method, in_ctor, in_class_field;
    int can_return;
    int breakable, loops, no_in;
    jsc_label *labels;
} jsc_fnsave;
void jsc_p_fn_enter(jsc_parser *p, jsc_fnsave *s, uint32_t flags);
void jsc_p_fn_leave(jsc_parser *p, const jsc_fnsave *s);
/* At `function` (flags may hold JSC_ASYNC, after `async` was consumed). */
jsc_node *jsc_p_function(jsc_parser *p, int is_decl, uint32_t flags, const jsc_token *start);
jsc_node *jsc_p_class(jsc_parser *p, int is_decl);
jsc_node *jsc_p_object(jsc_parser *p);
/* Arrow function from converted parameters; current token is `=>`. */
jsc_node *jsc_p_arrow(jsc_parser *p, jsc_node *params, uint32_t flags, const jsc_token *start);
/* The body `{ ... }` of a function (directives, strictness); fn receives JSC_STRICT. */
jsc_node *jsc_p_function_body(jsc_parser *p, jsc_node *fn);
jsc_node *jsc_p_binding_target(jsc_parser *p);
jsc_node *jsc_p_binding_element(jsc_parser *p);
/* Reinterpret an expression as an assignment target / binding pattern, in place. */
jsc_node *jsc_p_to_pattern(jsc_parser *p, jsc_node *n, int binding);
jsc_node *jsc_p_to_params(jsc_parser *p, jsc_node *list);
/* A property name: identifier/keyword, string, number or [computed]; sets *flags. */
jsc_node *jsc_p_property_name(jsc_parser *p, uint32_t *flags);

/* parse_stmt.c */
jsc_node *jsc_p_statement(jsc_parser *p, int decl_ok);
/* Statements up to `end` (JT_RBRACE or JT_EOF); handles the directive prologue when
 * `directives` is set, returning 1 in *strict when it holds "use strict". */
jsc_node *jsc_p_statement_list(jsc_parser *p, jsc_tok end, int directives, int *strict);

#endif /* JSC_PARSE_INT_H */
