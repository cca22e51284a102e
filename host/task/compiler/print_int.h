/*
 * host/task/compiler/print_int.h - the printer's state, shared by print.c (output buffer,
 * line map, statements) and print_expr.c (expressions, literals, patterns). Internal.
 */
#ifndef JSC_PRINT_INT_H
#define JSC_PRINT_INT_H

#include "phases.h"

typedef struct jsc_printer {
    jsc_ctx *cx;
    char *buf; /* malloc'd output; handed to the caller */
    size_t len, cap;
    jsc_line_pos *map; /* one entry per output line */
    size_t nmap, capmap;
    int indent;
    int no_in; /* printing a for-init: parenthesise `in` */
    int oom;
    int call_marked; /* the current line's position is already that of a call or `new` */
} jsc_printer;

/* Operator precedence of printed expressions (higher binds tighter). */
enum {
    PR_SEQ = 0,
    PR_ASSIGN = 1, /* assignment, arrow, yield, spread operands */
    PR_COND = 2,
    PR_COALESCE = 3,
    PR_OR = 4,
    PR_AND = 5,
    PR_BITOR = 6,
    PR_BITXOR = 7,
    PR_BITAND = 8,
    PR_EQ = 9,
    PR_REL = 10,
    PR_SHIFT = 11,
    PR_ADD = 12,
    PR_MUL = 13,
    PR_EXP = 14,
    PR_UNARY = 15,
    PR_POSTFIX = 16,
    PR_LHS = 17, /* call, new with arguments, member */
    PR_PRIMARY = 18,
};

void jsc_pr_put(jsc_printer *pr, const char *s, size_t n);
void jsc_pr_puts(jsc_printer *pr, const char *s);
/* Append text that begins an operator or operand: a space is inserted first where the two
 * would otherwise fuse into another token (`- -x`, `+ ++x`, `a / /re/`). */
void jsc_pr_op(jsc_printer *pr, const char *s);
void jsc_pr_newline(jsc_printer *pr);
/* A line break inside a literal (no indentation after it). */
void jsc_pr_newline_raw(jsc_printer *pr);
/* Record n's original position for the current output line if none is recorded yet. */
void jsc_pr_mark(jsc_printer *pr, const jsc_node *n);

void jsc_pr_expr(jsc_printer *pr, const jsc_node *n, int minprec);
void jsc_pr_stmt(jsc_printer *pr, const jsc_node *n);
/* `{ ... }` of a function: temporaries (fn->c) first, then the statements. */
void jsc_pr_function_body(jsc_printer *pr, const jsc_node *fn);
void jsc_pr_function(jsc_printer *pr, const jsc_node *fn);
void jsc_pr_class(jsc_printer *pr, const jsc_node *c);
/* Whether an expression statement starting with n needs parentheses ({, function, class,
 * let [). */
int jsc_pr_needs_stmt_parens(const jsc_node *n);

#endif /* JSC_PRINT_INT_H */
