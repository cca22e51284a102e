/*
 * host/task/compiler/parse_expr.c - expressions: assignment, conditional, binary operators by
 * precedence climbing, unary/update, calls and members (optional chains, tagged templates),
 * primaries (literals, templates, parenthesised covers of arrow parameters).
 */
#include "parse_int.h"

#include <string.h>

static jsc_node *parse_unary(jsc_parser *p);
static jsc_node *parse_binary(jsc_parser *p, int minprec);

static int is_bare_arrow(const jsc_node *n)
{
    return n->kind == N_FUNCTION && (n->flags & JSC_ARROW) && !(n->flags & JSC_PARENS);
}

/* An arrow function is an AssignmentExpression: it cannot be an operand. */
static void no_arrow(jsc_parser *p, const jsc_node *n)
{
    if (is_bare_arrow(n))
        jsc_p_fail(p, n->line, n->col, "Malformed arrow function: an arrow function cannot "
                                       "be an operand without parentheses");
}

int jsc_p_starts_expr(const jsc_parser *p)
{
    switch (p->tok.t) {
    case JT_IDENT: case JT_NUMBER: case JT_STRING: case JT_TEMPLATE: case JT_LPAREN:
    case JT_LBRACKET: case JT_LBRACE: case JT_SLASH: case JT_SLASH_EQ: case JT_PLUS:
    case JT_MINUS: case JT_NOT: case JT_TILDE: case JT_INC: case JT_DEC: case JT_PRIVATE_NAME:
        return 1;
    case JT_KEYWORD: {
        static const char *const kw[] = {"this", "null", "true", "false", "function",
                                         "class", "new", "super", "typeof", "void",
                                         "delete", "import"};
        for (size_t i = 0; i < sizeof kw / sizeof *kw; i++)
            if (strcmp(p->tok.str, kw[i]) == 0)
                return 1;
        return 0;
    }
    default:
        return 0;
    }
}

void jsc_p_cover_check(jsc_parser *p, int saved)
{
    if (p->cover_count > saved)
        jsc_p_fail(p, p->cover_line, p->cover_col,
                   "Invalid shorthand property initializer ('=' is only valid in a "
                   "destructuring pattern)");
}

static void check_simple_target(jsc_parser *p, const jsc_node *n, const char *what)
{
    if (n->kind == N_IDENT) {
        if (p->strict && (strcmp(n->str, "eval") == 0 || strcmp(n->str, "arguments") == 0))
            jsc_p_fail(p, n->line, n->col, "Unexpected eval or arguments in strict mode");
        return;
    }
    if ((n->kind == N_MEMBER || n->kind == N_INDEX) && !(n->flags & JSC_OPTIONAL))
        return;
    jsc_p_fail(p, n->line, n->col, "Invalid left-hand side in %s", what);
}

/* ---- assignment, yield, conditional ----------------------------------------------------- */

static int is_assign_op(jsc_tok t)
{
    return t >= JT_ASSIGN && t <= JT_QQ_EQ;
}

static jsc_node *parse_yield(jsc_parser *p)
{
    jsc_node *n = jsc_p_node(p, N_YIELD, &p->tok);
    if (p->in_class_field)
        jsc_p_fail(p, p->tok.line, p->tok.col, "Yield expression not allowed here");
    jsc_p_next(p);
    if (p->tok.t == JT_STAR && !p->tok.nl_before) {
        jsc_p_next(p);
        n->flags |= JSC_DELEGATE;
        n->a = jsc_p_assign(p, 0);
    } else if (!p->tok.nl_before && jsc_p_starts_expr(p)) {
        n->a = jsc_p_assign(p, 0);
    }
    return n;
}

static jsc_node *parse_conditional(jsc_parser *p)
{
    jsc_node *test = parse_binary(p, 1);
    if (is_bare_arrow(test) || p->tok.t != JT_QUESTION)
        return test;
    jsc_p_next(p);
    jsc_node *n = jsc_node_new(p->cx, N_COND, test);
    n->a = test;
    int no_in = p->no_in;
    p->no_in = 0;
    n->b = jsc_p_assign(p, 0);
    p->no_in = no_in;
    jsc_p_expect(p, JT_COLON);
    n->c = jsc_p_assign(p, 0);
    return n;
}

/* `async x => ...` (the current token is `async`, the next an identifier). */
static jsc_node *parse_async_ident_arrow(jsc_parser *p)
{
    jsc_token start = p->tok;
    jsc_p_next(p);
    int in_async = p->in_async;
    p->in_async = 1; /* `await` cannot name the parameter */
    jsc_node *param = jsc_p_binding_ident(p);
    p->in_async = in_async;
    if (p->tok.t != JT_ARROW || p->tok.nl_before)
        jsc_p_unexpected(p, "'=>'");
    return jsc_p_arrow(p, param, JSC_ASYNC, &start);
}

jsc_node *jsc_p_assign(jsc_parser *p, int cover)
{
    jsc_p_enter(p);
    if (p->in_generator && jsc_p_is_ident(p, "yield")) {
        jsc_node *y = parse_yield(p);
        jsc_p_leave(p);
        return y;
    }
    if (jsc_p_is_ident(p, "async")) {
        const jsc_token *nx = jsc_p_peek(p);
        if (nx->t == JT_IDENT && !nx->nl_before) {
            jsc_node *f = parse_async_ident_arrow(p);
            jsc_p_leave(p);
            return f;
        }
    }
    int saved = p->cover_count;
    jsc_node *left = parse_conditional(p);
    if (is_bare_arrow(left)) {
        jsc_p_leave(p);
        return left;
    }
    if (is_assign_op(p->tok.t)) {
        jsc_tok op = p->tok.t;
        if (op == JT_ANDAND_EQ || op == JT_OROR_EQ || op == JT_QQ_EQ)
            jsc_p_fail(p, p->tok.line, p->tok.col,
                       "logical assignment operators (&&=, ||=, ?\?=) are ES2021 and not "
                       "supported");
        if (op == JT_ASSIGN && (left->kind == N_OBJECT || left->kind == N_ARRAY) &&
            !(left->flags & JSC_PARENS)) {
            jsc_p_to_pattern(p, left, 0);
            p->cover_count = saved;
        } else {
            check_simple_target(p, left, "assignment");
        }
        jsc_p_next(p);
        jsc_node *n = jsc_node_new(p->cx, N_ASSIGN, left);
        n->op = op;
        n->a = left;
        n->b = jsc_p_assign(p, 0);
        left = n;
    } else if (!cover) {
        jsc_p_cover_check(p, saved);
    }
    jsc_p_leave(p);
    return left;
}

jsc_node *jsc_p_expression(jsc_parser *p, int cover)
{
    jsc_node *first = jsc_p_assign(p, cover);
    if (p->tok.t != JT_COMMA)
        return first;
    jsc_node *seq = jsc_node_new(p->cx, N_SEQUENCE, first);
    seq->a = first;
    jsc_node *last = first;
    while (jsc_p_eat(p, JT_COMMA)) {
        last->next = jsc_p_assign(p, cover);
        last = last->next;
    }
    return seq;
}

/* ---- binary operators ------------------------------------------------------------------- */

static int binary_prec(const jsc_parser *p, jsc_tok *op)
{
    const jsc_token *t = &p->tok;
    if (t->t == JT_KEYWORD) {
        if (strcmp(t->str, "instanceof") == 0)
            return *op = JT_INSTANCEOF, 8;
        if (strcmp(t->str, "in") == 0 && !p->no_in)
            return *op = JT_IN, 8;
        return 0;
    }
    *op = t->t;
    switch (t->t) {
    case JT_QQ: return 1;
    case JT_OROR: return 2;
    case JT_ANDAND: return 3;
    case JT_PIPE: return 4;
    case JT_CARET: return 5;
    case JT_AMP: return 6;
    case JT_EQ: case JT_NE: case JT_SEQ: case JT_SNE: return 7;
    case JT_LT: case JT_GT: case JT_LE: case JT_GE: return 8;
    case JT_SHL: case JT_SHR: case JT_USHR: return 9;
    case JT_PLUS: case JT_MINUS: return 10;
    case JT_STAR: case JT_SLASH: case JT_PERCENT: return 11;
    case JT_STARSTAR: return 12;
    default: return 0;
    }
}

static void check_nullish_mix(jsc_parser *p, const jsc_node *n, const jsc_token *at)
{
    if (n->kind == N_LOGICAL && n->op != JT_QQ && !(n->flags & JSC_PARENS))
        jsc_p_fail(p, at->line, at->col,
                   "Unexpected token '?\?': it cannot be mixed with || or && without "
                   "parentheses");
}

static jsc_node *binary_rest(jsc_parser *p, jsc_node *left, int minprec)
{
    int links = 0;
    for (;;) {
        jsc_tok op;
        int prec = binary_prec(p, &op);
        if (prec == 0 || prec < minprec || is_bare_arrow(left))
            return left;
        jsc_token at = p->tok;
        if (op == JT_STARSTAR && (left->kind == N_UNARY || left->kind == N_AWAIT) &&
            !(left->flags & JSC_PARENS))
            jsc_p_fail(p, at.line, at.col,
                       "Unary operator used immediately before exponentiation expression: "
                       "parentheses must be used to disambiguate operator precedence");
        if (++links + p->depth > JSC_MAX_NEST)
            jsc_p_fail(p, at.line, at.col, "nesting too deep (more than %d levels)",
                       JSC_MAX_NEST);
        jsc_p_next(p);
        jsc_node *right = parse_binary(p, op == JT_STARSTAR ? prec : prec + 1);
        no_arrow(p, right);
        int logical = op == JT_OROR || op == JT_ANDAND || op == JT_QQ;
        jsc_node *n = jsc_node_new(p->cx, logical ? N_LOGICAL : N_BINARY, left);
        n->op = op;
        n->a = left;
        n->b = right;
        if (op == JT_QQ) {
            check_nullish_mix(p, left, &at);
            check_nullish_mix(p, right, &at);
        } else if ((op == JT_OROR || op == JT_ANDAND) &&
                   ((left->kind == N_LOGICAL && left->op == JT_QQ &&
                     !(left->flags & JSC_PARENS)) ||
                    (right->kind == N_LOGICAL && right->op == JT_QQ &&
                     !(right->flags & JSC_PARENS)))) {
            jsc_p_fail(p, at.line, at.col, "Unexpected token '%s': it cannot be mixed with "
                                           "?? without parentheses", jsc_tok_text(op));
        }
        left = n;
    }
}

static jsc_node *parse_binary(jsc_parser *p, int minprec)
{
    jsc_p_enter(p);
    jsc_node *n = binary_rest(p, parse_unary(p), minprec);
    jsc_p_leave(p);
    return n;
}

/* ---- unary and update ------------------------------------------------------------------- */

static jsc_tok unary_op(const jsc_parser *p)
{
    switch (p->tok.t) {
    case JT_NOT: case JT_TILDE: case JT_PLUS: case JT_MINUS: return p->tok.t;
    case JT_KEYWORD:
        if (strcmp(p->tok.str, "typeof") == 0)
            return JT_TYPEOF;
        if (strcmp(p->tok.str, "void") == 0)
            return JT_VOID;
        if (strcmp(p->tok.str, "delete") == 0)
            return JT_DELETE;
        return JT_EOF;
    default: return JT_EOF;
    }
}

static jsc_node *parse_lhs(jsc_parser *p);

static jsc_node *parse_postfix(jsc_parser *p)
{
    jsc_node *n = parse_lhs(p);
    if (is_bare_arrow(n))
        return n;
    if ((p->tok.t == JT_INC || p->tok.t == JT_DEC) && !p->tok.nl_before) {
        check_simple_target(p, n, "postfix operation");
        jsc_node *u = jsc_node_new(p->cx, N_UPDATE, n);
        u->op = p->tok.t;
        u->a = n;
        jsc_p_next(p);
        return u;
    }
    return n;
}

static jsc_node *parse_unary(jsc_parser *p)
{
    jsc_p_enter(p);
    jsc_token at = p->tok;
    jsc_tok op = unary_op(p);
    jsc_node *n;
    if (op != JT_EOF) {
        jsc_p_next(p);
        n = jsc_p_node(p, N_UNARY, &at);
        n->op = op;
        n->a = parse_unary(p);
        no_arrow(p, n->a);
        if (op == JT_DELETE && p->strict && n->a->kind == N_IDENT)
            jsc_p_fail(p, at.line, at.col,
                       "Delete of an unqualified identifier in strict mode");
    } else if (at.t == JT_INC || at.t == JT_DEC) {
        jsc_p_next(p);
        n = jsc_p_node(p, N_UPDATE, &at);
        n->op = at.t;
        n->flags = JSC_PREFIX;
        n->a = parse_unary(p);
        check_simple_target(p, n->a, "prefix operation");
    } else if (p->in_async && jsc_p_is_ident(p, "await")) {
        if (p->in_class_field)
            jsc_p_fail(p, at.line, at.col, "await is not allowed in class field initializers");
        jsc_p_next(p);
        n = jsc_p_node(p, N_AWAIT, &at);
        n->a = parse_unary(p);
        no_arrow(p, n->a);
    } else {
        n = parse_postfix(p);
    }
    jsc_p_leave(p);
    return n;
}

/* ---- calls, members, optional chains ---------------------------------------------------- */

jsc_node *jsc_p_arguments(jsc_parser *p, int cover)
{
    jsc_node *head = NULL, **tail = &head;
    int no_in = p->no_in;
    p->no_in = 0;
    jsc_p_expect(p, JT_LPAREN);
    while (p->tok.t != JT_RPAREN) {
        jsc_node *arg;
        if (p->tok.t == JT_ELLIPSIS) {
            arg = jsc_p_node(p, N_SPREAD, &p->tok);
            jsc_p_next(p);
            arg->a = jsc_p_assign(p, cover);
        } else {
            arg = jsc_p_assign(p, cover);
        }
        *tail = arg;
        tail = &arg->next;
        jsc_p_list_sep(p, JT_RPAREN);
    }
    jsc_p_next(p);
    p->no_in = no_in;
    return head;
}

static const char *member_name(jsc_parser *p)
{
    if (p->tok.t != JT_IDENT && p->tok.t != JT_KEYWORD)
        jsc_p_unexpected(p, "a property name");
    const char *s = p->tok.str;
    jsc_p_next(p);
    return s;
}

static jsc_node *call_tail(jsc_parser *p, jsc_node *n, int allow_call)
{
    int optional = 0, links = 0;
    for (;; links++) {
        if (links + p->depth > JSC_MAX_NEST)
            jsc_p_fail(p, p->tok.line, p->tok.col, "nesting too deep (more than %d levels)",
                       JSC_MAX_NEST);
        jsc_node *m;
        uint32_t opt = 0;
        if (p->tok.t == JT_QDOT) {
            if (!allow_call)
                jsc_p_fail(p, p->tok.line, p->tok.col,
                           "Invalid optional chain from new expression");
            if (n->kind == N_SUPER)
                jsc_p_unexpected(p, NULL);
            jsc_p_next(p);
            optional = 1;
            opt = JSC_OPTIONAL;
            if (p->tok.t == JT_TEMPLATE)
                jsc_p_fail(p, p->tok.line, p->tok.col,
                           "Invalid tagged template on optional chain");
            if (p->tok.t != JT_LPAREN && p->tok.t != JT_LBRACKET) {
                m = jsc_node_new(p->cx, N_MEMBER, n);
                m->flags = opt;
                m->a = n;
                m->str = member_name(p);
                m->len = strlen(m->str);
                n = m;
                continue;
            }
        }
        if (p->tok.t == JT_DOT) {
            jsc_p_next(p);
            m = jsc_node_new(p->cx, N_MEMBER, n);
            m->a = n;
            m->str = member_name(p);
            m->len = strlen(m->str);
        } else if (p->tok.t == JT_LBRACKET) {
            jsc_p_next(p);
            m = jsc_node_new(p->cx, N_INDEX, n);
            m->a = n;
            int no_in = p->no_in;
            p->no_in = 0;
            m->b = jsc_p_expression(p, 0);
            p->no_in = no_in;
            jsc_p_expect(p, JT_RBRACKET);
        } else if (p->tok.t == JT_LPAREN && (allow_call || opt)) {
            m = jsc_node_new(p->cx, N_CALL, n);
            m->a = n;
            m->b = jsc_p_arguments(p, 0);
        } else if (p->tok.t == JT_TEMPLATE) {
            if (optional)
                jsc_p_fail(p, p->tok.line, p->tok.col,
                           "Invalid tagged template on optional chain");
            m = jsc_node_new(p->cx, N_TAGGED, n);
            m->a = n;
            m->b = jsc_p_template(p, 1);
        } else {
            break;
        }
        m->flags |= opt;
        n = m;
    }
    if (optional) {
        jsc_node *c = jsc_node_new(p->cx, N_OPT_CHAIN, n);
        c->a = n;
        n = c;
    }
    return n;
}

static jsc_node *parse_new(jsc_parser *p)
{
    jsc_token at = p->tok;
    jsc_p_enter(p);
    jsc_p_next(p);
    if (jsc_p_eat(p, JT_DOT)) {
        if (!jsc_p_is_ident(p, "target"))
            jsc_p_unexpected(p, "'target'");
        if (!p->in_function)
            jsc_p_fail(p, at.line, at.col, "new.target expression is not allowed here");
        jsc_p_next(p);
        jsc_p_leave(p);
        return jsc_p_node(p, N_NEW_TARGET, &at);
    }
    jsc_node *callee;
    if (jsc_p_is_kw(p, "new"))
        callee = parse_new(p);
    else
        callee = jsc_p_primary(p);
    no_arrow(p, callee);
    callee = call_tail(p, callee, 0);
    if (callee->kind == N_OPT_CHAIN)
        jsc_p_fail(p, at.line, at.col, "Invalid optional chain from new expression");
    jsc_node *n = jsc_p_node(p, N_NEW, &at);
    n->a = callee;
    if (p->tok.t == JT_LPAREN)
        n->b = jsc_p_arguments(p, 0);
    jsc_p_leave(p);
    return n;
}

static jsc_node *parse_lhs(jsc_parser *p)
{
    jsc_node *n;
    if (jsc_p_is_kw(p, "new")) {
        n = parse_new(p);
    } else {
        n = jsc_p_primary(p);
        if (is_bare_arrow(n))
            return n;
    }
    return call_tail(p, n, 1);
}

jsc_node *jsc_p_lhs(jsc_parser *p)
{
    return parse_lhs(p);
}
