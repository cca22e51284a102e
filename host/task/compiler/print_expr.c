/*
 * host/task/compiler/print_expr.c - expressions, literals, functions, classes and patterns
 * for jsc_print. Parentheses come from operator precedence (the tree's JSC_PARENS is only a
 * parser note); strings and identifiers are printed ASCII-only.
 */
#include "print_int.h"
#include "lex.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int binary_prec(jsc_tok op)
{
    switch (op) {
    case JT_QQ: return PR_COALESCE;
    case JT_OROR: return PR_OR;
    case JT_ANDAND: return PR_AND;
    case JT_PIPE: return PR_BITOR;
    case JT_CARET: return PR_BITXOR;
    case JT_AMP: return PR_BITAND;
    case JT_EQ: case JT_NE: case JT_SEQ: case JT_SNE: return PR_EQ;
    case JT_LT: case JT_GT: case JT_LE: case JT_GE: case JT_IN: case JT_INSTANCEOF:
        return PR_REL;
    case JT_SHL: case JT_SHR: case JT_USHR: return PR_SHIFT;
    case JT_PLUS: case JT_MINUS: return PR_ADD;
    case JT_STAR: case JT_SLASH: case JT_PERCENT: return PR_MUL;
    case JT_STARSTAR: return PR_EXP;
    default: return PR_PRIMARY;
    }
}

static int number_is_negative(const jsc_node *n)
{
    return !n->str && (n->num < 0 || (n->num == 0 && signbit(n->num)));
}

static int prec_of(const jsc_node *n)
{
    switch (n->kind) {
    case N_SEQUENCE: return PR_SEQ;
    case N_ASSIGN: case N_YIELD: case N_ASSIGN_PATTERN: case N_SPREAD: case N_REST:
        return PR_ASSIGN;
    case N_FUNCTION: return (n->flags & JSC_ARROW) ? PR_ASSIGN : PR_PRIMARY;
    case N_COND: return PR_COND;
    case N_LOGICAL: case N_BINARY: return binary_prec(n->op);
    case N_UNARY: case N_AWAIT: return PR_UNARY;
    case N_UPDATE: return (n->flags & JSC_PREFIX) ? PR_UNARY : PR_POSTFIX;
    case N_CALL: case N_MEMBER: case N_INDEX: case N_NEW: case N_TAGGED: case N_OPT_CHAIN:
        return PR_LHS;
    case N_NUMBER: return number_is_negative(n) ? PR_UNARY : PR_PRIMARY;
    default: return PR_PRIMARY;
    }
}

int jsc_pr_needs_stmt_parens(const jsc_node *n)
{
    for (;;) {
        switch (n->kind) {
        case N_BINARY: case N_LOGICAL: case N_ASSIGN: case N_COND: case N_CALL:
        case N_MEMBER: case N_INDEX: case N_TAGGED: case N_OPT_CHAIN: case N_SEQUENCE:
            n = n->a;
            break;
        case N_UPDATE:
            if (n->flags & JSC_PREFIX)
                return 0;
            n = n->a;
            break;
        case N_OBJECT: case N_OBJECT_PATTERN: case N_CLASS:
            return 1;
        case N_FUNCTION:
            return !(n->flags & JSC_ARROW);
        case N_IDENT:
            return strcmp(n->str, "let") == 0;
        default:
            return 0;
        }
    }
}

/* ---- literals --------------------------------------------------------------------------- */

static void put_u16(jsc_printer *pr, unsigned v)
{
    char b[8];
    snprintf(b, sizeof b, "\\u%04X", v & 0xFFFFu);
    jsc_pr_puts(pr, b);
}

/* A non-ASCII code point as \uXXXX (astral: a surrogate pair). */
static void put_cp_escape(jsc_printer *pr, uint32_t cp)
{
    if (cp >= 0x10000) {
        cp -= 0x10000;
        put_u16(pr, 0xD800 + (cp >> 10));
        put_u16(pr, 0xDC00 + (cp & 0x3FF));
    } else {
        put_u16(pr, cp);
    }
}

/* The UTF-8 character at s (len bytes left) as an escape; returns its length in bytes. */
static size_t put_char_escape(jsc_printer *pr, const char *s, size_t len)
{
    uint32_t cp;
    size_t n = jsc_utf8_get(s, len, &cp);
    put_cp_escape(pr, cp);
    return n;
}

/* `s` as the inside of a string literal quoted with `quote` (or of a template with '`'),
 * ASCII only. */
static void put_escaped(jsc_printer *pr, const char *s, size_t len, char quote)
{
    size_t run = 0;
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        const char *esc = NULL;
        char hex[8];
        if (c >= 0x20 && c < 0x7F && c != '\\' && c != (unsigned char)quote &&
            !(quote == '`' && c == '$' && i + 1 < len && s[i + 1] == '{')) {
            i++;
            continue;
        }
        jsc_pr_put(pr, s + run, i - run);
        switch (c) {
        case '\n': esc = "\\n"; break;
        case '\r': esc = "\\r"; break;
        case '\t': esc = "\\t"; break;
        case '\b': esc = "\\b"; break;
        case '\f': esc = "\\f"; break;
        case '\\': esc = "\\\\"; break;
        case '$': esc = "\\$"; break;
        default:
            if (c == (unsigned char)quote) {
                hex[0] = '\\';
                hex[1] = quote;
                hex[2] = '\0';
                esc = hex;
            } else if (c < 0x80) {
                snprintf(hex, sizeof hex, "\\x%02X", c);
                esc = hex;
            }
        }
        if (esc) {
            jsc_pr_puts(pr, esc);
            i++;
        } else {
            i += put_char_escape(pr, s + i, len - i);
        }
        run = i;
    }
    jsc_pr_put(pr, s + run, len - run);
}

static void put_string(jsc_printer *pr, const char *s, size_t len)
{
    jsc_pr_puts(pr, "\"");
    put_escaped(pr, s, len, '"');
    jsc_pr_puts(pr, "\"");
}

static void put_name(jsc_printer *pr, const char *s)
{
    size_t len = strlen(s), i = 0;
    while (i < len && (unsigned char)s[i] < 0x80)
        i++;
    if (i == len) {
        jsc_pr_put(pr, s, len);
        return;
    }
    for (i = 0; i < len;) {
        uint32_t cp;
        size_t l = jsc_utf8_get(s + i, len - i, &cp);
        char b[16];
        if (cp < 0x80) {
            jsc_pr_put(pr, s + i, 1);
        } else if (cp >= 0x10000) { /* no ES5 spelling: \u{...} (ES2015) */
            snprintf(b, sizeof b, "\\u{%X}", cp);
            jsc_pr_puts(pr, b);
        } else {
            put_cp_escape(pr, cp);
        }
        i += l;
    }
}

/* Shortest text that reads back as v (v finite, >= 0), locale independent. */
static void format_number(double v, char *out, size_t cap)
{
    if (v < 1e21 && v == floor(v)) {
        snprintf(out, cap, "%.0f", v);
        return;
    }
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(out, cap, "%.*g", prec, v);
        for (char *c = out; *c; c++)
            if (*c == ',')
                *c = '.'; /* a locale's decimal comma */
        if (strtod(out, NULL) == v || prec == 17)
            return;
    }
}

static void put_number(jsc_printer *pr, const jsc_node *n)
{
    if (n->str) {
        jsc_pr_op(pr, n->str);
        return;
    }
    double v = n->num;
    if (isnan(v)) {
        jsc_pr_puts(pr, "(0 / 0)");
        return;
    }
    if (v < 0 || (v == 0 && signbit(v))) {
        jsc_pr_op(pr, "-");
        v = -v;
    }
    if (isinf(v)) {
        jsc_pr_puts(pr, "(1 / 0)");
        return;
    }
    char buf[48];
    format_number(v, buf, sizeof buf);
    jsc_pr_puts(pr, buf);
}

/* The raw text of a template chunk: as written, but non-ASCII characters escaped; its line
 * breaks are real ones (the line map gets an entry for each). */
static void put_raw(jsc_printer *pr, const char *s, size_t len)
{
    size_t run = 0;
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        if (c != '\n' && c < 0x80) {
            i++;
            continue;
        }
        jsc_pr_put(pr, s + run, i - run);
        if (c == '\n') {
            jsc_pr_newline_raw(pr);
            i++;
        } else {
            i += put_char_escape(pr, s + i, len - i);
        }
        run = i;
    }
    jsc_pr_put(pr, s + run, len - run);
}

static void put_template(jsc_printer *pr, const jsc_node *t)
{
    jsc_pr_puts(pr, "`");
    const jsc_node *e = t->b;
    for (const jsc_node *part = t->a; part; part = part->next) {
        if (part->raw)
            put_raw(pr, part->raw, part->raw_len);
        else if (part->str)
            put_escaped(pr, part->str, part->len, '`');
        if (part->next && e) {
            jsc_pr_puts(pr, "${");
            jsc_pr_expr(pr, e, PR_SEQ);
            jsc_pr_puts(pr, "}");
            e = e->next;
        }
    }
    jsc_pr_puts(pr, "`");
}

/* ---- functions, classes, properties ----------------------------------------------------- */

static void list(jsc_printer *pr, const jsc_node *n, int prec)
{
    for (; n; n = n->next) {
        jsc_pr_expr(pr, n, prec);
        if (n->next)
            jsc_pr_puts(pr, ", ");
    }
}

static void params(jsc_printer *pr, const jsc_node *fn)
{
    jsc_pr_puts(pr, "(");
    list(pr, fn->a, PR_ASSIGN);
    jsc_pr_puts(pr, ")");
}

static void put_key(jsc_printer *pr, const jsc_node *prop)
{
    const jsc_node *k = prop->a;
    if (prop->flags & JSC_COMPUTED) {
        jsc_pr_puts(pr, "[");
        jsc_pr_expr(pr, k, PR_ASSIGN);
        jsc_pr_puts(pr, "]");
    } else if (k->kind == N_IDENT) {
        put_name(pr, k->str);
    } else if (k->kind == N_STRING) {
        put_string(pr, k->str, k->len);
    } else {
        jsc_pr_expr(pr, k, PR_PRIMARY);
    }
}

static int same_name(const jsc_node *key, const jsc_node *v)
{
    return key->kind == N_IDENT && v->kind == N_IDENT && strcmp(key->str, v->str) == 0;
}

static void property(jsc_printer *pr, const jsc_node *prop)
{
    jsc_pr_mark(pr, prop);
    const jsc_node *v = prop->b;
    if (prop->flags & JSC_STATIC)
        jsc_pr_puts(pr, "static ");
    if (prop->flags & JSC_FIELD) {
        put_key(pr, prop);
        if (v) {
            jsc_pr_puts(pr, " = ");
            jsc_pr_expr(pr, v, PR_ASSIGN);
        }
        jsc_pr_puts(pr, ";");
        return;
    }
    if (v && v->kind == N_FUNCTION &&
        (prop->flags & (JSC_METHOD | JSC_GET | JSC_SET | JSC_CONSTRUCTOR))) {
        if (v->flags & JSC_ASYNC)
            jsc_pr_puts(pr, "async ");
        if (v->flags & JSC_GENERATOR)
            jsc_pr_puts(pr, "*");
        if (prop->flags & (JSC_GET | JSC_SET))
            jsc_pr_puts(pr, prop->flags & JSC_GET ? "get " : "set ");
        put_key(pr, prop);
        params(pr, v);
        jsc_pr_puts(pr, " ");
        jsc_pr_function_body(pr, v);
        return;
    }
    if ((prop->flags & JSC_SHORTHAND) && !(prop->flags & JSC_COMPUTED)) {
        if (same_name(prop->a, v)) {
            put_name(pr, v->str);
            return;
        }
        if (v->kind == N_ASSIGN_PATTERN && same_name(prop->a, v->a)) {
            jsc_pr_expr(pr, v, PR_ASSIGN);
            return;
        }
    }
    put_key(pr, prop);
    jsc_pr_puts(pr, ": ");
    jsc_pr_expr(pr, v, PR_ASSIGN);
}

void jsc_pr_function(jsc_printer *pr, const jsc_node *fn)
{
    if (fn->flags & JSC_ASYNC)
        jsc_pr_puts(pr, "async ");
    if (fn->flags & JSC_ARROW) {
        params(pr, fn);
        jsc_pr_puts(pr, " => ");
        if (!(fn->flags & JSC_EXPR_BODY)) {
            jsc_pr_function_body(pr, fn);
        } else if (jsc_pr_needs_stmt_parens(fn->b)) {
            jsc_pr_puts(pr, "(");
            jsc_pr_expr(pr, fn->b, PR_SEQ);
            jsc_pr_puts(pr, ")");
        } else {
            jsc_pr_expr(pr, fn->b, PR_ASSIGN);
        }
        return;
    }
    jsc_pr_puts(pr, fn->flags & JSC_GENERATOR ? "function*" : "function");
    if (fn->str) {
        jsc_pr_puts(pr, " ");
        put_name(pr, fn->str);
    } else if (!(fn->flags & JSC_GENERATOR)) {
        jsc_pr_puts(pr, " ");
    }
    params(pr, fn);
    jsc_pr_puts(pr, " ");
    jsc_pr_function_body(pr, fn);
}

void jsc_pr_class(jsc_printer *pr, const jsc_node *c)
{
    jsc_pr_puts(pr, "class");
    if (c->str) {
        jsc_pr_puts(pr, " ");
        put_name(pr, c->str);
    }
    if (c->a) {
        jsc_pr_puts(pr, " extends ");
        jsc_pr_expr(pr, c->a, PR_LHS);
    }
    jsc_pr_puts(pr, " {");
    pr->indent++;
    int no_in = pr->no_in;
    pr->no_in = 0;
    for (const jsc_node *m = c->b; m; m = m->next) {
        jsc_pr_newline(pr);
        property(pr, m);
    }
    pr->no_in = no_in;
    pr->indent--;
    if (c->b)
        jsc_pr_newline(pr);
    jsc_pr_puts(pr, "}");
}

/* ---- expressions ------------------------------------------------------------------------ */

static void array(jsc_printer *pr, const jsc_node *n)
{
    jsc_pr_puts(pr, "[");
    list(pr, n->a, PR_ASSIGN);
    const jsc_node *last = jsc_list_last(n->a);
    if (last && last->kind == N_HOLE)
        jsc_pr_puts(pr, ",");
    jsc_pr_puts(pr, "]");
}

static void object(jsc_printer *pr, const jsc_node *n)
{
    if (!n->a) {
        jsc_pr_puts(pr, "{}");
        return;
    }
    jsc_pr_puts(pr, "{");
    for (const jsc_node *p = n->a; p; p = p->next) {
        if (p->kind == N_PROPERTY)
            property(pr, p);
        else
            jsc_pr_expr(pr, p, PR_ASSIGN);
        if (p->next)
            jsc_pr_puts(pr, ", ");
    }
    jsc_pr_puts(pr, "}");
}

/* The object of a member access, call or tag: an optional chain inside parentheses ends
 * there; `1.x` needs `1..x`. */
static void object_of(jsc_printer *pr, const jsc_node *o, int dot_follows)
{
    if (o->kind == N_OPT_CHAIN) {
        jsc_pr_puts(pr, "(");
        jsc_pr_expr(pr, o, PR_SEQ);
        jsc_pr_puts(pr, ")");
        return;
    }
    size_t at = pr->len;
    jsc_pr_expr(pr, o, PR_LHS);
    if (dot_follows && o->kind == N_NUMBER && !pr->oom) {
        size_t i = at;
        while (i < pr->len && pr->buf[i] >= '0' && pr->buf[i] <= '9')
            i++;
        if (i == pr->len)
            jsc_pr_puts(pr, ".");
    }
}

static int has_call(const jsc_node *n)
{
    for (;;) {
        switch (n->kind) {
        case N_CALL: case N_OPT_CHAIN: return 1;
        case N_MEMBER: case N_INDEX: case N_TAGGED: n = n->a; break;
        default: return 0;
        }
    }
}

static void call_like(jsc_printer *pr, const jsc_node *n)
{
    switch (n->kind) {
    case N_MEMBER:
        object_of(pr, n->a, !(n->flags & JSC_OPTIONAL));
        jsc_pr_puts(pr, n->flags & JSC_OPTIONAL ? "?." : ".");
        jsc_pr_puts(pr, n->str);
        return;
    case N_INDEX:
        object_of(pr, n->a, 0);
        jsc_pr_puts(pr, n->flags & JSC_OPTIONAL ? "?.[" : "[");
        jsc_pr_expr(pr, n->b, PR_SEQ);
        jsc_pr_puts(pr, "]");
        return;
    case N_CALL:
        object_of(pr, n->a, 0);
        jsc_pr_puts(pr, n->flags & JSC_OPTIONAL ? "?.(" : "(");
        list(pr, n->b, PR_ASSIGN);
        jsc_pr_puts(pr, ")");
        return;
    case N_TAGGED:
        object_of(pr, n->a, 0);
        put_template(pr, n->b);
        return;
    default: /* N_NEW */
        jsc_pr_puts(pr, "new ");
        if (has_call(n->a)) {
            jsc_pr_puts(pr, "(");
            jsc_pr_expr(pr, n->a, PR_SEQ);
            jsc_pr_puts(pr, ")");
        } else {
            jsc_pr_expr(pr, n->a, PR_LHS);
        }
        jsc_pr_puts(pr, "(");
        list(pr, n->b, PR_ASSIGN);
        jsc_pr_puts(pr, ")");
        return;
    }
}

static void operator_expr(jsc_printer *pr, const jsc_node *n, int prec)
{
    switch (n->kind) {
    case N_BINARY:
    case N_LOGICAL: {
        int exp = n->op == JT_STARSTAR, qq = n->op == JT_QQ;
        jsc_pr_expr(pr, n->a, exp ? PR_POSTFIX : qq ? PR_BITOR : prec);
        jsc_pr_puts(pr, " ");
        jsc_pr_puts(pr, jsc_tok_text(n->op));
        jsc_pr_puts(pr, " ");
        jsc_pr_expr(pr, n->b, exp ? PR_EXP : qq ? PR_BITOR : prec + 1);
        return;
    }
    case N_ASSIGN:
        jsc_pr_expr(pr, n->a, PR_LHS);
        jsc_pr_puts(pr, " ");
        jsc_pr_puts(pr, jsc_tok_text(n->op));
        jsc_pr_puts(pr, " ");
        jsc_pr_expr(pr, n->b, PR_ASSIGN);
        return;
    case N_COND: {
        jsc_pr_expr(pr, n->a, PR_COALESCE);
        jsc_pr_puts(pr, " ? ");
        int no_in = pr->no_in;
        pr->no_in = 0;
        jsc_pr_expr(pr, n->b, PR_ASSIGN);
        pr->no_in = no_in;
        jsc_pr_puts(pr, " : ");
        jsc_pr_expr(pr, n->c, PR_ASSIGN);
        return;
    }
    case N_UNARY:
        jsc_pr_op(pr, jsc_tok_text(n->op));
        if (n->op == JT_TYPEOF || n->op == JT_VOID || n->op == JT_DELETE)
            jsc_pr_puts(pr, " ");
        jsc_pr_expr(pr, n->a, PR_UNARY);
        return;
    case N_UPDATE:
        if (n->flags & JSC_PREFIX) {
            jsc_pr_op(pr, jsc_tok_text(n->op));
            jsc_pr_expr(pr, n->a, PR_UNARY);
        } else {
            jsc_pr_expr(pr, n->a, PR_LHS);
            jsc_pr_puts(pr, jsc_tok_text(n->op));
        }
        return;
    case N_AWAIT:
        jsc_pr_puts(pr, "await ");
        jsc_pr_expr(pr, n->a, PR_UNARY);
        return;
    case N_YIELD:
        jsc_pr_puts(pr, n->flags & JSC_DELEGATE ? "yield*" : "yield");
        if (n->a) {
            jsc_pr_puts(pr, " ");
            jsc_pr_expr(pr, n->a, PR_ASSIGN);
        }
        return;
    case N_SEQUENCE:
        list(pr, n->a, PR_ASSIGN);
        return;
    case N_SPREAD:
    case N_REST:
        jsc_pr_puts(pr, "...");
        jsc_pr_expr(pr, n->a, PR_ASSIGN);
        return;
    case N_ASSIGN_PATTERN:
        jsc_pr_expr(pr, n->a, PR_ASSIGN);
        jsc_pr_puts(pr, " = ");
        jsc_pr_expr(pr, n->b, PR_ASSIGN);
        return;
    default:
        call_like(pr, n);
        return;
    }
}

static void primary(jsc_printer *pr, const jsc_node *n)
{
    switch (n->kind) {
    case N_IDENT: put_name(pr, n->str); return;
    case N_NUMBER: put_number(pr, n); return;
    case N_STRING: put_string(pr, n->str, n->len); return;
    case N_TEMPLATE: put_template(pr, n); return;
    case N_REGEXP:
        jsc_pr_op(pr, "/");
        jsc_pr_puts(pr, n->len ? n->str : "(?:)");
        jsc_pr_puts(pr, "/");
        if (n->raw)
            jsc_pr_puts(pr, n->raw);
        return;
    case N_NULL: jsc_pr_puts(pr, "null"); return;
    case N_TRUE: jsc_pr_puts(pr, "true"); return;
    case N_FALSE: jsc_pr_puts(pr, "false"); return;
    case N_THIS: jsc_pr_puts(pr, "this"); return;
    case N_SUPER: jsc_pr_puts(pr, "super"); return;
    case N_NEW_TARGET: jsc_pr_puts(pr, "new.target"); return;
    case N_HOLE: return;
    case N_ARRAY: case N_ARRAY_PATTERN: array(pr, n); return;
    case N_OBJECT: case N_OBJECT_PATTERN: object(pr, n); return;
    case N_FUNCTION: case N_FUNC_DECL: jsc_pr_function(pr, n); return;
    case N_CLASS: case N_CLASS_DECL: jsc_pr_class(pr, n); return;
    case N_OPT_CHAIN: jsc_pr_expr(pr, n->a, PR_LHS); return;
    case N_PROPERTY: property(pr, n); return;
    default:
        jsc_pr_puts(pr, "/* ");
        jsc_pr_puts(pr, jsc_kind_name(n->kind));
        jsc_pr_puts(pr, " */");
        return;
    }
}

void jsc_pr_expr(jsc_printer *pr, const jsc_node *n, int minprec)
{
    jsc_pr_mark(pr, n);
    int prec = prec_of(n);
    int parens = prec < minprec || (pr->no_in && n->kind == N_BINARY && n->op == JT_IN);
    int no_in = pr->no_in;
    if (parens) {
        jsc_pr_puts(pr, "(");
        pr->no_in = 0;
    }
    switch (n->kind) {
    case N_BINARY: case N_LOGICAL: case N_ASSIGN: case N_COND: case N_UNARY: case N_UPDATE:
    case N_AWAIT: case N_YIELD: case N_SEQUENCE: case N_SPREAD: case N_REST:
    case N_ASSIGN_PATTERN: case N_MEMBER: case N_INDEX: case N_CALL: case N_TAGGED:
    case N_NEW:
        operator_expr(pr, n, prec);
        break;
    default:
        primary(pr, n);
        break;
    }
    if (parens) {
        jsc_pr_puts(pr, ")");
        pr->no_in = no_in;
    }
}
