/*
 * host/task/compiler/gen_internal.h - shared state of the generator/async lowering
 * (lower_generator.c drives; gen_stmt.c explodes statements; gen_expr.c spills expressions).
 *
 * A generator or async function's body becomes `function (st) { switch (st.l) { case 0: ...
 * } }`, a state machine run by runtime/generator.js (whose header lists the instructions the
 * cases return). While a body is lowered, code is appended to the current case; labels are
 * ids handed out by gen_label() and placed by gen_mark(); a reference to a label is an
 * N_NUMBER holding the id, patched into a case number once the whole body is laid out, so
 * case numbers grow with source position (the runtime's try regions rely on that).
 *
 * Memory: everything lives in the compilation's arena.
 */
#ifndef JSC_GEN_INTERNAL_H
#define JSC_GEN_INTERNAL_H

#include "ast.h"

/* Instructions the body returns to the runtime (runtime/generator.js). */
enum {
    GEN_OP_RETURN = 2,
    GEN_OP_JUMP = 3,
    GEN_OP_YIELD = 4,
    GEN_OP_DELEGATE = 5,
    GEN_OP_ENDFINALLY = 7
};

/* A statement that break/continue may leave: a loop, a switch or a labelled statement. */
enum { GEN_T_LOOP = 1, GEN_T_SWITCH = 2, GEN_T_LABEL = 3 };
typedef struct gen_target {
    struct gen_target *up;
    const char **names; /* labels naming it */
    size_t nnames;
    int kind;
    int exploded; /* split into cases: break/continue become jumps to brk/cont */
    int brk, cont;
} gen_target;

typedef struct gen_case {
    jsc_node *head, *tail;
    const jsc_node *at; /* position for the `case` line */
} gen_case;

typedef struct gen {
    jsc_ctx *cx;
    jsc_node *fn;   /* the function being lowered; temporaries are declared in it */
    const char *st; /* name of the state parameter of the body */
    int async;
    gen_case *cases;
    size_t ncases, cap_cases;
    int *label_case; /* label id -> case index (-1 until marked) */
    size_t nlabels, cap_labels;
    jsc_node **refs; /* N_NUMBER label references to patch */
    size_t nrefs, cap_refs;
    gen_target *targets;
    const char **pend_names; /* labels for the loop about to be lowered */
    size_t npend;
} gen;

/* gen_stmt.c */
void gen_emit(gen *g, jsc_node *stmt);
int gen_label(gen *g);
void gen_mark(gen *g, int label);
jsc_node *gen_labelref(gen *g, int label, const jsc_node *at);
void gen_jump(gen *g, int label, const jsc_node *at);
void gen_jump_if(gen *g, jsc_node *cond, int label, const jsc_node *at);
jsc_node *gen_instr(gen *g, int op, jsc_node *arg, jsc_node *arg2, const jsc_node *at);
void gen_stmt(gen *g, jsc_node *s);
void gen_plain(gen *g, jsc_node **slot);

/* gen_expr.c */
jsc_node *gen_expr(gen *g, jsc_node *e, int discard);
/* `n` itself when it ends a list, else a copy that does (so it can move elsewhere). */
jsc_node *gen_detach(gen *g, jsc_node *n);
jsc_node *gen_spill(gen *g, jsc_node *value, const jsc_node *at);
jsc_node *gen_not(gen *g, jsc_node *e);
jsc_node *gen_state(gen *g, const char *field, const jsc_node *at);
void gen_rename(gen *g, jsc_node *n, const char *from, const char *to);

#endif /* JSC_GEN_INTERNAL_H */
