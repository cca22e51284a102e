/*
 * host/task/compiler/jumps.h - where a break or continue inside a loop body goes, for the
 * passes that rewrite a loop's exits: lower_block_loop.c (the body moves into a function) and
 * lower_forof.c (the iterator is closed when the body leaves the loop). Internal to the
 * compiler; no allocation (label frames live on the walk's C stack).
 */
#ifndef JSC_JUMPS_H
#define JSC_JUMPS_H

#include "ast.h"

/* A labelled statement inside the body, around the statement being visited. */
typedef struct jsc_label_frame {
    const char *name;
    const struct jsc_label_frame *prev;
} jsc_label_frame;

/* What encloses the statement being visited, between it and the loop. */
typedef struct jsc_jumps {
    jsc_node *labels;             /* the labelled statement around the loop, or NULL */
    const jsc_label_frame *inner; /* labelled statements inside the body */
    int loops, switches;          /* loops and switches inside the body */
} jsc_jumps;

typedef enum jsc_jump_to {
    JSC_JUMP_INSIDE,  /* a statement inside the body */
    JSC_JUMP_LOOP,    /* the loop itself: break ends it, continue goes on with the next turn */
    JSC_JUMP_OUTSIDE, /* a labelled statement around the loop */
} jsc_jump_to;

/* Where break or continue `n` (str: its label or NULL) goes. */
jsc_jump_to jsc_jump_target(const jsc_jumps *j, const jsc_node *n);

/* Visit the children of labelled statement `n` with fn, its label counted as inside. */
void jsc_jumps_labeled(jsc_ctx *cx, jsc_jumps *j, jsc_node *n, jsc_slot_fn fn, void *data);

#endif /* JSC_JUMPS_H */
