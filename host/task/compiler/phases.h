/*
 * host/task/compiler/phases.h - the compiler's phases, in the order compile.c runs them.
 * Each returns 1 on success and 0 after jsc_error() (the first error wins). Each phase may
 * assume the earlier ones ran; see ast.h for which node kinds remain after lowering.
 */
#ifndef JSC_PHASES_H
#define JSC_PHASES_H

#include "ast.h"

/* lex.c + parse*.c: the whole ES2020 script grammar (no modules: `import`/`export` are refused
 * with a message naming the feature). Returns the N_PROGRAM, or NULL after jsc_error(). */
jsc_node *jsc_parse(jsc_ctx *cx);

/* scope.c: bindings of every scope (var/let/const/function/class/params/catch), references
 * resolved, names that need renaming for block scope found. Sets node->scope. */
int jsc_scope(jsc_ctx *cx, jsc_node *prog);

/* Lowering passes (lower_*.c), in this order. */
int jsc_lower_class(jsc_ctx *cx, jsc_node *prog);     /* classes, super, new.target */
int jsc_lower_function(jsc_ctx *cx, jsc_node *prog);  /* arrows, default/rest params */
int jsc_lower_object(jsc_ctx *cx, jsc_node *prog);    /* shorthand, methods, computed keys,
                                                         object spread */
int jsc_lower_names(jsc_ctx *cx, jsc_node *prog);     /* function names by assignment (only
                                                         when the source mentions `name`) */
int jsc_lower_template(jsc_ctx *cx, jsc_node *prog);  /* template literals, tagged templates */
int jsc_lower_spread(jsc_ctx *cx, jsc_node *prog);    /* spread in arrays, calls and new */
int jsc_lower_destructure(jsc_ctx *cx, jsc_node *prog); /* every pattern */
int jsc_lower_forof(jsc_ctx *cx, jsc_node *prog);     /* for-of (iterator protocol, closing) */
int jsc_lower_block(jsc_ctx *cx, jsc_node *prog);     /* let/const: renaming, per-iteration
                                                         bindings, const assignment errors */
int jsc_lower_generator(jsc_ctx *cx, jsc_node *prog); /* generators and async functions */
int jsc_lower_expr(jsc_ctx *cx, jsc_node *prog);      /* **, ?., ??, optional catch binding */

/* print.c: ES5 text of a fully lowered tree. `out` receives the text; `map` one entry per
 * generated line: the original line and column of the first node that starts on it (0:0 for
 * lines that only hold synthesised code). Both are malloc'd; the caller frees them. */
typedef struct jsc_line_pos {
    uint32_t line, col;
} jsc_line_pos;
int jsc_print(jsc_ctx *cx, jsc_node *prog, char **out, size_t *out_len, jsc_line_pos **map,
              size_t *map_len);

/* dump.c: an S-expression of the tree, for tests and `ratchet task compile --ast`. */
char *jsc_dump(const jsc_node *n); /* malloc'd */

#endif /* JSC_PHASES_H */
