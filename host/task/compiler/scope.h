/*
 * host/task/compiler/scope.h - scope analysis of the task compiler (scope.c).
 *
 * jsc_scope() (phases.h) walks the tree and builds one jsc_scope_info per scope-creating node:
 * the program, every function (parameters and the top level of the body share one scope),
 * every block, `catch` clause, `switch` body, `for`/`for-in`/`for-of` head that declares
 * let/const, and every named class. Each scope lists its bindings; every N_IDENT that names a
 * variable (references AND declaring occurrences; not property keys) is resolved.
 *
 * Where the results live (all in the compilation's arena, freed with it):
 *  - node->scope of a scope-creating node is its jsc_scope_info *;
 *  - node->scope of an N_IDENT is the jsc_binding * it resolves to, NULL when it names a
 *    global (no binding in the program) or was synthesised after the analysis ran.
 *  - prog->scope (the N_PROGRAM) is the root scope; jsc_scope_names() gives the set of every
 *    identifier name of the program.
 *
 * Block-level function declarations use the strict-mode rule in every mode: the function is
 * a `let`-like binding of its block, hoisted to the top of that block (no var-hoisting to the
 * function as sloppy-mode Annex B would also do). A reference before the declaration
 * resolves to the same binding; lower_block_tdz.c adds the temporal dead zone checks.
 *
 * The analysis may run again on a partly lowered tree (lower_block.c does, since the earlier
 * passes add bindings and move code); each run replaces what the previous one stored.
 */
#ifndef JSC_SCOPE_H
#define JSC_SCOPE_H

#include "ast.h"

typedef enum jsc_bind_kind {
    JSC_B_VAR = 1, /* var (hoisted to the function scope) */
    JSC_B_LET,
    JSC_B_CONST,
    JSC_B_FUNC,  /* function declaration (function top level: var-like; block: let-like) */
    JSC_B_CLASS, /* class declaration (let-like) or the inner name of a class */
    JSC_B_PARAM,
    JSC_B_CATCH, /* catch parameter */
    JSC_B_FNAME, /* the name of a named function expression, inside it */
} jsc_bind_kind;

typedef enum jsc_scope_kind {
    JSC_S_PROGRAM = 1,
    JSC_S_FUNCTION,
    JSC_S_BLOCK, /* also a switch body */
    JSC_S_CATCH,
    JSC_S_FOR, /* the head of for / for-in / for-of */
    JSC_S_CLASS,
} jsc_scope_kind;

typedef struct jsc_scope_info jsc_scope_info;
typedef struct jsc_binding jsc_binding;

struct jsc_binding {
    const char *name;
    jsc_bind_kind kind;
    jsc_scope_info *scope; /* where it is declared */
    jsc_node *decl;        /* the declaring N_IDENT, or the N_FUNC_DECL/N_CLASS_DECL */
    /* The innermost loop (N_FOR, N_FOR_IN, N_FOR_OF, N_WHILE, N_DO_WHILE) of the same
     * function that contains the declaration (its head or body), or NULL. */
    jsc_node *loop;
    unsigned nrefs;                /* identifiers resolved to it, the declaring ones included */
    unsigned captured : 1;         /* referenced from a function nested in its function */
    unsigned captured_in_loop : 1; /* let/const/class/block function declared in `loop` and
                                      referenced from a function created inside that loop:
                                      needs a fresh copy per iteration */
    unsigned assigned : 1;         /* target of an assignment or ++/-- (not its declarator) */
    jsc_binding *next;             /* next binding of the same scope */
    /* The name in the source (`name` may be renamed by lower_block.c). */
    const char *src_name;
    /* Temporal dead zone analysis (lower_block_tdz.c): the walk position right after the
     * declaration initialised the binding (0: not yet seen), the switch case holding it, a
     * function declaration's references, and whether some reference needs a check. */
    unsigned tdz_init;
    jsc_node *tdz_case;
    void *tdz_refs;
    unsigned tdz : 1, tdz_visiting : 1;
};

struct jsc_scope_info {
    jsc_scope_kind kind;
    jsc_node *node; /* the scope-creating node */
    jsc_scope_info *parent;
    jsc_scope_info *func; /* the nearest enclosing PROGRAM/FUNCTION scope (itself for those) */
    jsc_node *loop;       /* innermost loop of the same function around this scope, or NULL */
    jsc_binding *bindings;
    /* PROGRAM and FUNCTION scopes: whether the code (not nested functions) uses `this` or
     * `arguments`, and contains a direct `eval(...)` call. */
    unsigned uses_this : 1, uses_arguments : 1, has_eval : 1;
    void *names; /* root scope only: the name set of jsc_scope_names */
    /* FUNCTION scopes: the let/const binding whose initialiser this function is (or is a
     * method of): it cannot run before that binding is initialised (lower_block_tdz.c). */
    jsc_binding *tdz_exempt;
};

/* The binding `name` visible in scope `s` (walking outwards), or NULL for a global. */
jsc_binding *jsc_scope_lookup(jsc_scope_info *s, const char *name);

/* The binding an N_IDENT resolved to (NULL: global, or created after the analysis). */
jsc_binding *jsc_ident_binding(const jsc_node *ident);

/* Whether `ident` (an N_IDENT seen by the last analysis) names a global variable: no
 * declaration of the program binds it where it is used. */
int jsc_is_global_ref(const jsc_node *ident);

/* Whether `name` is an identifier used anywhere in the program (any binding, reference,
 * label, function or property name), as of the last analysis, plus the names added with
 * jsc_scope_add_name. `prog` is the N_PROGRAM. */
int jsc_scope_name_used(const jsc_node *prog, const char *name);
/* Record a name a pass invented so that later fresh names avoid it. */
void jsc_scope_add_name(jsc_ctx *cx, jsc_node *prog, const char *name);
/* A fresh name "base$N" that is not used in the program and does not start with the
 * temporaries' prefix; it is recorded as used. */
const char *jsc_scope_fresh_name(jsc_ctx *cx, jsc_node *prog, const char *base);

/* Whether `k` is a loop statement kind. */
int jsc_is_loop(jsc_kind k);

#endif /* JSC_SCOPE_H */
