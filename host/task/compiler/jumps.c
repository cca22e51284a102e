/*
 * host/task/compiler/jumps.c - where a break or continue inside a loop body goes (jumps.h).
 */
#include "jumps.h"

#include <string.h>

jsc_jump_to jsc_jump_target(const jsc_jumps *j, const jsc_node *n)
{
    if (!n->str) /* unlabelled: the nearest loop, or for break also the nearest switch */
        return j->loops || (n->kind == N_BREAK && j->switches) ? JSC_JUMP_INSIDE : JSC_JUMP_LOOP;
    for (const jsc_label_frame *f = j->inner; f; f = f->prev)
        if (strcmp(f->name, n->str) == 0)
            return JSC_JUMP_INSIDE;
    for (const jsc_node *l = j->labels; l && l->kind == N_LABELED; l = l->a)
        if (strcmp(l->str, n->str) == 0)
            return JSC_JUMP_LOOP;
    return JSC_JUMP_OUTSIDE;
}

void jsc_jumps_labeled(jsc_ctx *cx, jsc_jumps *j, jsc_node *n, jsc_slot_fn fn, void *data)
{
    jsc_label_frame f = {n->str, j->inner};
    j->inner = &f;
    jsc_each_child(cx, n, fn, data);
    j->inner = f.prev;
}
