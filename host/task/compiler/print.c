/*
 * host/task/compiler/print.c - jsc_print: the tree as JavaScript text, one statement per line,
 * with a line map back to the original source. Every node kind prints (also the ES2015+ ones,
 * for debugging and round-trip tests); expressions are in print_expr.c.
 */
#include "print_int.h"

#include <stdlib.h>
#include <string.h>

/* ---- output ----------------------------------------------------------------------------- */

static int grow(jsc_printer *pr, size_t more)
{
    if (pr->oom)
        return 0;
    if (pr->len + more + 1 <= pr->cap)
        return 1;
    size_t cap = pr->cap ? pr->cap : 4096;
    while (cap < pr->len + more + 1)
        cap *= 2;
    char *b = realloc(pr->buf, cap);
    if (!b) {
        pr->oom = 1;
        return 0;
    }
    pr->buf = b;
    pr->cap = cap;
    return 1;
}

void jsc_pr_put(jsc_printer *pr, const char *s, size_t n)
{
    if (!grow(pr, n))
        return;
    memcpy(pr->buf + pr->len, s, n);
    pr->len += n;
    pr->buf[pr->len] = '\0';
}

void jsc_pr_puts(jsc_printer *pr, const char *s)
{
    jsc_pr_put(pr, s, strlen(s));
}

void jsc_pr_op(jsc_printer *pr, const char *s)
{
    char last = pr->len ? pr->buf[pr->len - 1] : ' ';
    if ((last == '+' && s[0] == '+') || (last == '-' && s[0] == '-') ||
        (last == '/' && s[0] == '/'))
        jsc_pr_put(pr, " ", 1);
    jsc_pr_puts(pr, s);
}

static void map_add(jsc_printer *pr)
{
    if (pr->oom)
        return;
    if (pr->nmap == pr->capmap) {
        size_t cap = pr->capmap ? pr->capmap * 2 : 256;
        jsc_line_pos *m = realloc(pr->map, cap * sizeof *m);
        if (!m) {
            pr->oom = 1;
            return;
        }
        pr->map = m;
        pr->capmap = cap;
    }
    pr->map[pr->nmap].line = 0;
    pr->map[pr->nmap].col = 0;
    pr->nmap++;
    pr->call_marked = 0;
}

void jsc_pr_newline(jsc_printer *pr)
{
    jsc_pr_put(pr, "\n", 1);
    map_add(pr);
    for (int i = 0; i < pr->indent; i++)
        jsc_pr_put(pr, "  ", 2);
}

void jsc_pr_newline_raw(jsc_printer *pr)
{
    jsc_pr_put(pr, "\n", 1);
    map_add(pr);
}

/*
 * A line's position is where an error raised on it most likely comes from, since MuJS reports
 * lines only: the first call or `new` printed on it (as V8 reports `throw new Error(...)` at
 * `new`, and a caller's frame at its call), else the first node with a position.
 */
void jsc_pr_mark(jsc_printer *pr, const jsc_node *n)
{
    if (!n->line || !pr->nmap)
        return;
    jsc_line_pos *m = &pr->map[pr->nmap - 1];
    /* Calls of the runtime's helpers ($jsc_...) are the compiler's, not the author's. */
    int call = (n->kind == N_CALL || n->kind == N_NEW) &&
               !(n->a && n->a->kind == N_IDENT && strncmp(n->a->str, "$jsc_", 5) == 0);
    if (m->line == 0 || (call && !pr->call_marked)) {
        m->line = n->line;
        m->col = n->col;
        pr->call_marked = call;
    }
}

/* ---- statements ------------------------------------------------------------------------- */

static void stmt_list(jsc_printer *pr, const jsc_node *list)
{
    for (; list; list = list->next) {
        jsc_pr_newline(pr);
        jsc_pr_stmt(pr, list);
    }
}

static void temps(jsc_printer *pr, const jsc_node *c)
{
    if (!c)
        return;
    jsc_pr_newline(pr);
    jsc_pr_puts(pr, "var ");
    for (; c; c = c->next) {
        jsc_pr_puts(pr, c->str);
        if (c->next)
            jsc_pr_puts(pr, ", ");
    }
    jsc_pr_puts(pr, ";");
}

/* Statements of a body with the temporaries declared after the directive prologue (so that
 * "use strict" stays first) and before everything else. */
static void body_list(jsc_printer *pr, const jsc_node *list, const jsc_node *tmp)
{
    if (tmp) {
        while (list && jsc_is_directive(list)) {
            jsc_pr_newline(pr);
            jsc_pr_stmt(pr, list);
            list = list->next;
        }
        temps(pr, tmp);
    }
    stmt_list(pr, list);
}

static void block(jsc_printer *pr, const jsc_node *list, const jsc_node *tmp)
{
    jsc_pr_puts(pr, "{");
    pr->indent++;
    body_list(pr, list, tmp);
    pr->indent--;
    if (list || tmp)
        jsc_pr_newline(pr);
    jsc_pr_puts(pr, "}");
}

void jsc_pr_function_body(jsc_printer *pr, const jsc_node *fn)
{
    int no_in = pr->no_in;
    pr->no_in = 0;
    const jsc_node *body = fn->b;
    block(pr, body ? body->a : NULL, fn->c);
    pr->no_in = no_in;
}

/* Whether `if (a) S else ...` would give the else to an `if` inside S. */
static int ends_with_open_if(const jsc_node *s)
{
    while (s) {
        switch (s->kind) {
        case N_IF:
            if (!s->c)
                return 1;
            s = s->c;
            break;
        case N_WHILE: case N_FOR: case N_FOR_IN: case N_FOR_OF: case N_WITH:
            s = s->d;
            break;
        case N_LABELED:
            s = s->a;
            break;
        default:
            return 0;
        }
    }
    return 0;
}

/* The body of if/loops: a block on the same line, else the statement indented below. */
static void body(jsc_printer *pr, const jsc_node *s, int force_block)
{
    if (s->kind == N_BLOCK) {
        jsc_pr_puts(pr, " ");
        jsc_pr_mark(pr, s);
        block(pr, s->a, NULL);
    } else if (force_block) {
        jsc_pr_puts(pr, " {");
        pr->indent++;
        jsc_pr_newline(pr);
        jsc_pr_stmt(pr, s);
        pr->indent--;
        jsc_pr_newline(pr);
        jsc_pr_puts(pr, "}");
    } else {
        pr->indent++;
        jsc_pr_newline(pr);
        jsc_pr_stmt(pr, s);
        pr->indent--;
    }
}

static void var_decl(jsc_printer *pr, const jsc_node *v)
{
    jsc_pr_puts(pr, v->flags & JSC_DECL_CONST ? "const " : v->flags & JSC_DECL_LET ? "let "
                                                                                    : "var ");
    for (const jsc_node *d = v->a; d; d = d->next) {
        jsc_pr_mark(pr, d);
        jsc_pr_expr(pr, d->a, PR_ASSIGN);
        if (d->b) {
            jsc_pr_puts(pr, " = ");
            jsc_pr_expr(pr, d->b, PR_ASSIGN);
        }
        if (d->next)
            jsc_pr_puts(pr, ", ");
    }
}

/* An expression in statement position or a for head: parenthesised when it would read as a
 * declaration or block. */
static void stmt_expr(jsc_printer *pr, const jsc_node *e, int prec)
{
    if (jsc_pr_needs_stmt_parens(e) || (e->kind == N_STRING && (e->flags & JSC_PARENS))) {
        jsc_pr_puts(pr, "(");
        int no_in = pr->no_in;
        pr->no_in = 0;
        jsc_pr_expr(pr, e, PR_SEQ);
        pr->no_in = no_in;
        jsc_pr_puts(pr, ")");
    } else {
        jsc_pr_expr(pr, e, prec);
    }
}

static void print_for(jsc_printer *pr, const jsc_node *s)
{
    jsc_pr_puts(pr, "for (");
    pr->no_in = 1;
    if (s->a && s->a->kind == N_VAR)
        var_decl(pr, s->a);
    else if (s->a)
        stmt_expr(pr, s->a, PR_SEQ);
    pr->no_in = 0;
    jsc_pr_puts(pr, ";");
    if (s->b) {
        jsc_pr_puts(pr, " ");
        jsc_pr_expr(pr, s->b, PR_SEQ);
    }
    jsc_pr_puts(pr, ";");
    if (s->c) {
        jsc_pr_puts(pr, " ");
        jsc_pr_expr(pr, s->c, PR_SEQ);
    }
    jsc_pr_puts(pr, ")");
    body(pr, s->d, 0);
}

static void print_for_in_of(jsc_printer *pr, const jsc_node *s)
{
    int of = s->kind == N_FOR_OF;
    jsc_pr_puts(pr, of && (s->flags & JSC_AWAIT) ? "for await (" : "for (");
    if (s->a->kind == N_VAR) {
        pr->no_in = 1;
        var_decl(pr, s->a);
        pr->no_in = 0;
    } else if (s->a->kind == N_IDENT && of && strcmp(s->a->str, "async") == 0) {
        jsc_pr_puts(pr, "(async)");
    } else if (s->a->kind == N_OBJECT_PATTERN || s->a->kind == N_ARRAY_PATTERN) {
        jsc_pr_expr(pr, s->a, PR_LHS);
    } else {
        stmt_expr(pr, s->a, PR_LHS);
    }
    jsc_pr_puts(pr, of ? " of " : " in ");
    jsc_pr_expr(pr, s->b, of ? PR_ASSIGN : PR_SEQ);
    jsc_pr_puts(pr, ")");
    body(pr, s->d, 0);
}

static void print_if(jsc_printer *pr, const jsc_node *s)
{
    jsc_pr_puts(pr, "if (");
    jsc_pr_expr(pr, s->a, PR_SEQ);
    jsc_pr_puts(pr, ")");
    body(pr, s->b, s->c && ends_with_open_if(s->b));
    if (!s->c)
        return;
    if (s->b->kind == N_BLOCK || (s->c && ends_with_open_if(s->b)))
        jsc_pr_puts(pr, " ");
    else
        jsc_pr_newline(pr);
    jsc_pr_puts(pr, "else");
    if (s->c->kind == N_IF) {
        jsc_pr_puts(pr, " ");
        jsc_pr_mark(pr, s->c);
        print_if(pr, s->c);
    } else {
        body(pr, s->c, 0);
    }
}

static void print_try(jsc_printer *pr, const jsc_node *s)
{
    jsc_pr_puts(pr, "try ");
    block(pr, s->a->a, NULL);
    if (s->c) {
        jsc_pr_puts(pr, " catch ");
        if (s->b) {
            jsc_pr_puts(pr, "(");
            jsc_pr_expr(pr, s->b, PR_ASSIGN);
            jsc_pr_puts(pr, ") ");
        }
        block(pr, s->c->a, NULL);
    }
    if (s->d) {
        jsc_pr_puts(pr, " finally ");
        block(pr, s->d->a, NULL);
    }
}

static void print_switch(jsc_printer *pr, const jsc_node *s)
{
    jsc_pr_puts(pr, "switch (");
    jsc_pr_expr(pr, s->a, PR_SEQ);
    jsc_pr_puts(pr, ") {");
    pr->indent++;
    for (const jsc_node *c = s->b; c; c = c->next) {
        jsc_pr_newline(pr);
        jsc_pr_mark(pr, c);
        if (c->a) {
            jsc_pr_puts(pr, "case ");
            jsc_pr_expr(pr, c->a, PR_SEQ);
            jsc_pr_puts(pr, ":");
        } else {
            jsc_pr_puts(pr, "default:");
        }
        pr->indent++;
        stmt_list(pr, c->b);
        pr->indent--;
    }
    pr->indent--;
    jsc_pr_newline(pr);
    jsc_pr_puts(pr, "}");
}

static void print_jump(jsc_printer *pr, const char *kw, const jsc_node *s)
{
    jsc_pr_puts(pr, kw);
    if (s->kind == N_RETURN || s->kind == N_THROW) {
        if (s->a) {
            jsc_pr_puts(pr, " ");
            jsc_pr_expr(pr, s->a, PR_SEQ);
        }
    } else if (s->str) {
        jsc_pr_puts(pr, " ");
        jsc_pr_puts(pr, s->str);
    }
    jsc_pr_puts(pr, ";");
}

static void print_loop(jsc_printer *pr, const jsc_node *s)
{
    if (s->kind == N_WHILE || s->kind == N_WITH) {
        jsc_pr_puts(pr, s->kind == N_WHILE ? "while (" : "with (");
        jsc_pr_expr(pr, s->a, PR_SEQ);
        jsc_pr_puts(pr, ")");
        body(pr, s->d, 0);
        return;
    }
    jsc_pr_puts(pr, "do");
    body(pr, s->d, 0);
    if (s->d->kind == N_BLOCK)
        jsc_pr_puts(pr, " ");
    else
        jsc_pr_newline(pr);
    jsc_pr_puts(pr, "while (");
    jsc_pr_expr(pr, s->a, PR_SEQ);
    jsc_pr_puts(pr, ");");
}

void jsc_pr_stmt(jsc_printer *pr, const jsc_node *s)
{
    jsc_pr_mark(pr, s);
    switch (s->kind) {
    case N_VAR: var_decl(pr, s); jsc_pr_puts(pr, ";"); break;
    case N_FUNC_DECL: jsc_pr_function(pr, s); break;
    case N_CLASS_DECL: jsc_pr_class(pr, s); break;
    case N_EXPR_STMT: stmt_expr(pr, s->a, PR_SEQ); jsc_pr_puts(pr, ";"); break;
    case N_BLOCK: block(pr, s->a, NULL); break;
    case N_EMPTY: jsc_pr_puts(pr, ";"); break;
    case N_IF: print_if(pr, s); break;
    case N_FOR: print_for(pr, s); break;
    case N_FOR_IN: case N_FOR_OF: print_for_in_of(pr, s); break;
    case N_WHILE: case N_DO_WHILE: case N_WITH: print_loop(pr, s); break;
    case N_RETURN: print_jump(pr, "return", s); break;
    case N_THROW: print_jump(pr, "throw", s); break;
    case N_BREAK: print_jump(pr, "break", s); break;
    case N_CONTINUE: print_jump(pr, "continue", s); break;
    case N_TRY: print_try(pr, s); break;
    case N_SWITCH: print_switch(pr, s); break;
    case N_LABELED:
        jsc_pr_puts(pr, s->str);
        jsc_pr_puts(pr, ":");
        if (s->a->kind == N_BLOCK) {
            jsc_pr_puts(pr, " ");
            jsc_pr_stmt(pr, s->a);
        } else {
            body(pr, s->a, 0);
        }
        break;
    case N_DEBUGGER: jsc_pr_puts(pr, "debugger;"); break;
    default: /* an expression where a statement belongs: print it as one */
        stmt_expr(pr, s, PR_SEQ);
        jsc_pr_puts(pr, ";");
        break;
    }
}

int jsc_print(jsc_ctx *cx, jsc_node *prog, char **out, size_t *out_len, jsc_line_pos **map,
              size_t *map_len)
{
    jsc_printer pr;
    memset(&pr, 0, sizeof pr);
    pr.cx = cx;
    map_add(&pr);
    body_list(&pr, prog->a, prog->c);
    jsc_pr_put(&pr, "\n", 1);
    if (pr.oom) {
        free(pr.buf);
        free(pr.map);
        return jsc_error(cx, NULL, "out of memory while printing");
    }
    /* the statements start with a newline: drop the empty first line it leaves */
    if (pr.len > 1 && pr.buf[0] == '\n') {
        memmove(pr.buf, pr.buf + 1, pr.len);
        pr.len--;
        memmove(pr.map, pr.map + 1, (pr.nmap - 1) * sizeof *pr.map);
        pr.nmap--;
    }
    *out = pr.buf;
    *out_len = pr.len;
    *map = pr.map;
    *map_len = pr.nmap;
    return 1;
}
