/*
 * host/task/compiler/lower_block_int.h - shared between lower_block.c (renaming, let/const to
 * var, const assignments, block functions) and lower_block_loop.c (a fresh binding per loop
 * iteration for closures). Internal to the block pass.
 */
#ifndef JSC_LOWER_BLOCK_INT_H
#define JSC_LOWER_BLOCK_INT_H

#include "ast.h"
#include "scope.h"

/* Move the body of `loop` (N_FOR, N_FOR_IN, N_WHILE, N_DO_WHILE) into a function called once
 * per iteration, so that its let/const bindings (and the captured bindings of a for head) are
 * fresh each time; break/continue/return leave through the function's return value. `slot`
 * holds the statement (the loop, or `labels`, the labelled statement around it); `fn` is the
 * enclosing function or program. Replaces *slot with a block; returns 0 after jsc_error()
 * (a body with yield/await). */
int jsc_block_wrap_loop(jsc_ctx *cx, jsc_node **slot, jsc_node *labels, jsc_node *loop,
                        jsc_node *fn);

/* for (let k in o) body -> for ($$t in o) { let k = $$t; body } ($$t a temporary of fn). */
void jsc_block_for_in_head(jsc_ctx *cx, jsc_node *loop, jsc_node *fn);

/* The fresh binding per iteration of `loop` (whose body suspends) through per-scope box
 * objects (lower_block_box.c). Rewrites the loop in place; returns 0 after jsc_error(). */
int jsc_block_box_loop(jsc_ctx *cx, jsc_node *loop, jsc_node *fn);

/* Temporal dead zone checks where a let/const/class binding may be used before its
 * declaration ran (lower_block_tdz.c); runs after renaming, before let/const become var. */
int jsc_block_tdz(jsc_ctx *cx, jsc_node *prog);

#endif /* JSC_LOWER_BLOCK_INT_H */
