/*
 * host/task/compiler/ast.h - the task compiler's syntax tree (internal to the compiler).
 *
 * One node struct for every kind (MuJS's jsparse.h is the model): a kind, the ORIGINAL source
 * position, up to four children a..d whose meaning depends on the kind (listed below), a
 * `next` link when the node is an element of a list, a string and a number payload, and
 * flags. Lists are singly linked through `next`; a list-valued child points at its first
 * element (NULL = empty list).
 *
 * Memory: every node and every string belongs to the compilation's arena (jsc_ctx.arena) and
 * is freed with it in one go; nothing is freed one by one. Transforms rewrite the tree in
 * place and create new nodes with jsc_node_new(), copying the position of the node they
 * replace so that the printer can map generated code back to the author's line and column.
 *
 * Pipeline (compile.c): parse -> scope analysis -> lowering passes, each removing some ES2015+
 * kinds or flags -> print (ES5 text + a line map). After lowering only the kinds and flags
 * marked [ES5] below remain. The printer prints every kind as ES2020 source, so that a tree
 * can be printed before lowering too (the round-trip tests do).
 */
#ifndef JSC_AST_H
#define JSC_AST_H

#include <stddef.h>
#include <stdint.h>

typedef struct jsc_arena jsc_arena;

typedef enum jsc_kind {
    /* ---- program and statements ---------------------------------------------------------- */
    N_PROGRAM = 1,  /* [ES5] a: statement list; c: temporaries (as N_FUNCTION's c) */
    N_VAR,          /* [ES5 with JSC_DECL_VAR] flags: JSC_DECL_VAR|LET|CONST; a: N_DECLARATOR list */
    N_DECLARATOR,   /* [ES5] a: target (N_IDENT, or a pattern before lowering); b: init or NULL */
    N_FUNC_DECL,    /* [ES5 without ES6 flags] a function declaration: same layout as N_FUNCTION */
    N_CLASS_DECL,   /* same layout as N_CLASS */
    N_EXPR_STMT,    /* [ES5] a: expression */
    N_BLOCK,        /* [ES5] a: statement list */
    N_EMPTY,        /* [ES5] ; */
    N_IF,           /* [ES5] a: test; b: consequent; c: alternate or NULL */
    N_FOR,          /* [ES5] a: init (N_VAR or expression) or NULL; b: test or NULL; c: update or
                       NULL; d: body */
    N_FOR_IN,       /* [ES5] a: left (N_VAR with one declarator and no init, or an assignment
                       target); b: object; d: body */
    N_FOR_OF,       /* a, b, d as N_FOR_IN (b: the iterable); flags JSC_AWAIT for `for await` */
    N_WHILE,        /* [ES5] a: test; d: body */
    N_DO_WHILE,     /* [ES5] a: test; d: body */
    N_RETURN,       /* [ES5] a: value or NULL */
    N_BREAK,        /* [ES5] str: label or NULL */
    N_CONTINUE,     /* [ES5] str: label or NULL */
    N_THROW,        /* [ES5] a: value */
    N_TRY,          /* [ES5] a: block; b: catch parameter (N_IDENT, a pattern, or NULL for
                       `catch {` - optional binding, not ES5); c: catch block or NULL; d: finally
                       block or NULL */
    N_SWITCH,       /* [ES5] a: discriminant; b: N_CASE list */
    N_CASE,         /* [ES5] a: test, NULL for `default`; b: statement list */
    N_LABELED,      /* [ES5] str: label; a: body */
    N_DEBUGGER,     /* [ES5] */
    N_WITH,         /* [ES5] a: object; d: body (refused in class bodies/strict code by parser) */

    /* ---- expressions ------------------------------------------------------------------- */
    N_IDENT,        /* [ES5] str: name */
    N_NUMBER,       /* [ES5] num: value; str: the raw text when it is valid ES5 (decimal or hex
                       literal without separators), else NULL (printer formats `num`) */
    N_STRING,       /* [ES5] str/len: the cooked value (UTF-8, may contain NUL bytes) */
    N_TEMPLATE,     /* a: N_TEMPLATE_PART list (n+1 parts); b: expression list (n) */
    N_TEMPLATE_PART,/* str/len: cooked value (str NULL when the escape is invalid, allowed in a
                       tagged template); raw/raw_len: the raw text */
    N_TAGGED,       /* a: tag expression; b: N_TEMPLATE */
    N_REGEXP,       /* [ES5] str: pattern body (raw text between slashes); raw: flags */
    N_NULL,         /* [ES5] */
    N_TRUE,         /* [ES5] */
    N_FALSE,        /* [ES5] */
    N_THIS,         /* [ES5] */
    N_SUPER,        /* `super` in super.x, super[x] or super(...) */
    N_NEW_TARGET,   /* new.target */
    N_ARRAY,        /* [ES5 without N_SPREAD elements] a: element list; N_HOLE for elisions */
    N_HOLE,         /* [ES5] an elision in an array literal or pattern */
    N_OBJECT,       /* [ES5 with plain/get/set properties] a: N_PROPERTY and N_SPREAD list */
    N_PROPERTY,     /* key/value pair of an object literal, object pattern or class body.
                       a: key (N_IDENT, N_STRING, N_NUMBER; any expression with JSC_COMPUTED);
                       b: value (expression; N_FUNCTION for methods/accessors; pattern or
                       N_ASSIGN_PATTERN in an object pattern; NULL for a class field-less
                       member is never produced). flags: JSC_COMPUTED, JSC_SHORTHAND,
                       JSC_METHOD, JSC_GET, JSC_SET, JSC_STATIC, JSC_CONSTRUCTOR.
                       [ES5] when none of COMPUTED/SHORTHAND/METHOD/STATIC/CONSTRUCTOR */
    N_FUNCTION,     /* [ES5 without ES6 flags or params] a function expression, arrow or method.
                       str: name or NULL; a: parameter list (N_IDENT, patterns, N_ASSIGN_PATTERN
                       for defaults, N_REST last); b: body (N_BLOCK, or an expression when
                       JSC_EXPR_BODY); c: extra `var` names the printer declares first in the
                       body (N_IDENT list, appended by jsc_declare_temp); flags: JSC_ARROW,
                       JSC_ASYNC, JSC_GENERATOR, JSC_EXPR_BODY, JSC_METHOD, JSC_GET, JSC_SET.
                       The printer emits c as `var a, b;` at the top of the body. */
    N_CLASS,        /* str: name or NULL; a: superclass expression or NULL; b: N_PROPERTY list
                       (methods, accessors, static members, the constructor with
                       JSC_CONSTRUCTOR) */
    N_UNARY,        /* [ES5] op: JT_NOT, JT_TILDE, JT_PLUS, JT_MINUS, JT_TYPEOF, JT_VOID,
                       JT_DELETE; a: operand */
    N_UPDATE,       /* [ES5] op: JT_INC or JT_DEC; flags JSC_PREFIX; a: operand */
    N_BINARY,       /* [ES5 except JT_STARSTAR] op: arithmetic, relational, equality, bitwise,
                       shift, in, instanceof, `**`; a, b */
    N_LOGICAL,      /* [ES5 except JT_QQ] op: JT_ANDAND, JT_OROR, JT_QQ; a, b */
    N_ASSIGN,       /* [ES5 except JT_STARSTAR_EQ and pattern targets] op: JT_ASSIGN or a compound
                       assignment token; a: target (N_IDENT, N_MEMBER, N_INDEX, or a pattern when
                       op is JT_ASSIGN); b: value */
    N_COND,         /* [ES5] a ? b : c */
    N_CALL,         /* [ES5 without JSC_OPTIONAL or N_SPREAD args] a: callee; b: argument list
                       (may hold N_SPREAD); flags JSC_OPTIONAL for a?.() */
    N_NEW,          /* [ES5 without N_SPREAD args] a: callee; b: argument list */
    N_MEMBER,       /* [ES5 without JSC_OPTIONAL] a: object; str: property name (any
                       IdentifierName, also reserved words); flags JSC_OPTIONAL for a?.b */
    N_INDEX,        /* [ES5 without JSC_OPTIONAL] a: object; b: index expression; JSC_OPTIONAL */
    N_OPT_CHAIN,    /* the whole of an optional chain a?.b.c(): a: the chain. Where it
                       short-circuits to undefined. Removed by lowering. */
    N_SEQUENCE,     /* [ES5] a: expression list (two or more) */
    N_SPREAD,       /* ...a in arrays, calls, new and object literals */
    N_YIELD,        /* a: argument or NULL; flags JSC_DELEGATE for yield* */
    N_AWAIT,        /* a: argument */

    /* ---- patterns (binding and assignment targets) --------------------------------------- */
    N_ARRAY_PATTERN,  /* a: element list: a target, N_ASSIGN_PATTERN, N_HOLE, N_REST (last) */
    N_OBJECT_PATTERN, /* a: N_PROPERTY list (value = target or N_ASSIGN_PATTERN), N_REST last */
    N_ASSIGN_PATTERN, /* a: target; b: default value (evaluated only when the value is
                         undefined) */
    N_REST,           /* a: target (N_IDENT, or a pattern in arrays/params) */

    N_KIND_COUNT
} jsc_kind;

/* Flags (jsc_node.flags). Declaration kinds share bits with other meanings of other kinds. */
enum {
    JSC_DECL_VAR = 1u << 0,
    JSC_DECL_LET = 1u << 1,
    JSC_DECL_CONST = 1u << 2,

    JSC_ARROW = 1u << 3,
    JSC_ASYNC = 1u << 4,
    JSC_GENERATOR = 1u << 5,
    JSC_EXPR_BODY = 1u << 6,
    JSC_METHOD = 1u << 7,
    JSC_GET = 1u << 8,
    JSC_SET = 1u << 9,
    JSC_STATIC = 1u << 10,
    JSC_COMPUTED = 1u << 11,
    JSC_SHORTHAND = 1u << 12,
    JSC_CONSTRUCTOR = 1u << 13,
    JSC_OPTIONAL = 1u << 14,
    JSC_DELEGATE = 1u << 15,
    JSC_PREFIX = 1u << 16,
    JSC_AWAIT = 1u << 17,
    /* Set by the parser on a function whose body begins with "use strict", and on every
     * function nested in one or in a class body. */
    JSC_STRICT = 1u << 18,
    /* Set by lowering on nodes it synthesised and that need no further lowering. */
    JSC_LOWERED = 1u << 19,
    /* The expression was parenthesised in the source (matters for `(a, b) => ...` detection
     * and for keeping `(0, obj.f)()` forms; the printer decides parentheses itself). */
    JSC_PARENS = 1u << 20,
    /* A class field (ES2022 `x = 1;` / `static y;` in a class body): N_PROPERTY whose b is the
     * initialiser or NULL. Lowered by lower_class.c into assignments. */
    JSC_FIELD = 1u << 21,
    /* An N_IDENT naming a let/const/class binding that may be used before its declaration
     * ran (temporal dead zone): lower_block_tdz.c adds a check that throws ReferenceError. */
    JSC_TDZ = 1u << 22,
    /* An N_BLOCK made by lower_function.c at the top of a generator's body: the parameters'
     * defaults and patterns, which lower_generator.c keeps in the outer function so that
     * they run when the generator is called, not at the first next(). */
    JSC_PARAMS = 1u << 23,
};

/* Tokens (the lexer's output); also the operator codes of N_UNARY/N_BINARY/N_ASSIGN/... */
typedef enum jsc_tok {
    JT_EOF = 0,
    JT_IDENT,   /* identifier or keyword-like name; the lexer does not classify keywords
                   except through jsc_keyword() */
    JT_KEYWORD, /* a reserved word: str holds it */
    JT_NUMBER,
    JT_STRING,
    JT_TEMPLATE, /* one template chunk: ends with ` (tail) or ${ (head/middle) */
    JT_REGEXP,
    JT_PRIVATE_NAME, /* #name: refused with a message (class private fields are ES2022) */
    /* punctuators */
    JT_LBRACE, JT_RBRACE, JT_LPAREN, JT_RPAREN, JT_LBRACKET, JT_RBRACKET,
    JT_DOT, JT_ELLIPSIS, JT_SEMI, JT_COMMA, JT_COLON, JT_QUESTION, JT_QDOT, JT_ARROW,
    JT_LT, JT_GT, JT_LE, JT_GE, JT_EQ, JT_NE, JT_SEQ, JT_SNE,
    JT_PLUS, JT_MINUS, JT_STAR, JT_SLASH, JT_PERCENT, JT_STARSTAR,
    JT_INC, JT_DEC, JT_SHL, JT_SHR, JT_USHR, JT_AMP, JT_PIPE, JT_CARET,
    JT_NOT, JT_TILDE, JT_ANDAND, JT_OROR, JT_QQ,
    JT_ASSIGN, JT_PLUS_EQ, JT_MINUS_EQ, JT_STAR_EQ, JT_SLASH_EQ, JT_PERCENT_EQ,
    JT_STARSTAR_EQ, JT_SHL_EQ, JT_SHR_EQ, JT_USHR_EQ, JT_AMP_EQ, JT_PIPE_EQ, JT_CARET_EQ,
    JT_ANDAND_EQ, JT_OROR_EQ, JT_QQ_EQ, /* ES2021: refused with a message by the parser */
    /* word operators used as op codes of nodes (the lexer gives JT_KEYWORD for them) */
    JT_TYPEOF, JT_VOID, JT_DELETE, JT_IN, JT_INSTANCEOF,
    JT_COUNT
} jsc_tok;

typedef struct jsc_node jsc_node;
struct jsc_node {
    jsc_kind kind;
    jsc_tok op;      /* operator of unary/update/binary/logical/assign nodes */
    uint32_t flags;
    uint32_t line;   /* 1-based line in the ORIGINAL source; 0 = synthesised without one */
    uint32_t col;    /* 1-based column (in UTF-16 code units, as JS engines count) */
    jsc_node *a, *b, *c, *d;
    jsc_node *next;  /* next element when this node is in a list */
    const char *str; /* NUL-terminated; for N_STRING/N_TEMPLATE_PART `len` gives the length */
    size_t len;
    const char *raw; /* N_TEMPLATE_PART raw text; N_REGEXP flags */
    size_t raw_len;
    double num;
    void *scope;     /* set by scope analysis on scope-creating nodes (jsc_scope *, scope.h) */
};

/* ---- the compilation ------------------------------------------------------------------- */

/* Per-compilation state shared by every phase. Owned by compile.c; phases read and append. */
typedef struct jsc_ctx {
    jsc_arena *arena;
    const char *src; /* the original source, borrowed */
    size_t src_len;
    const char *filename;       /* for messages, e.g. "main.js" */
    /* The first error: "LINE:COL: message" parts. A phase that fails sets it with jsc_error()
     * and returns a failure; later errors do not overwrite the first. */
    int failed;
    uint32_t err_line, err_col;
    char err_msg[512];
    /* Runtime modules the output needs (names of files in runtime/, see runtime/README.md),
     * added with jsc_need(); the driver also adds modules triggered by names in the source. */
    const char *needs[64];
    size_t nneeds;
    unsigned temp_counter; /* for jsc_temp_name */
    const char *temp_prefix; /* "$$" unless the source uses identifiers starting with it */
    /* Where jsc_alloc jumps (longjmp(*(jmp_buf *)oom, 1)) when memory runs out; set by the
     * driver around the whole compilation. */
    void *oom;
} jsc_ctx;

/* The arena: chunks freed together. jsc_arena_new returns NULL when out of memory. */
jsc_arena *jsc_arena_new(void);
void jsc_arena_free(jsc_arena *a);

/* Allocate `n` zeroed bytes from the compilation's arena (never NULL: on exhaustion the arena
 * aborts the compilation through a longjmp set up by compile.c). */
void *jsc_alloc(jsc_ctx *cx, size_t n);
/* Copy `len` bytes into the arena, NUL-terminated. */
const char *jsc_strndup(jsc_ctx *cx, const char *s, size_t len);
const char *jsc_strdup(jsc_ctx *cx, const char *s);
/* printf into the arena. */
const char *jsc_sprintf(jsc_ctx *cx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* A new node of `kind` at the position of `at` (NULL: position 0:0). */
jsc_node *jsc_node_new(jsc_ctx *cx, jsc_kind kind, const jsc_node *at);
/* Constructors of synthesised nodes (build.c); each copies the position of `at`. */
jsc_node *jsc_ident(jsc_ctx *cx, const char *name, const jsc_node *at);
jsc_node *jsc_string(jsc_ctx *cx, const char *s, size_t len, const jsc_node *at);
jsc_node *jsc_number(jsc_ctx *cx, double v, const jsc_node *at);
jsc_node *jsc_member(jsc_ctx *cx, jsc_node *obj, const char *prop, const jsc_node *at);
jsc_node *jsc_index(jsc_ctx *cx, jsc_node *obj, jsc_node *key, const jsc_node *at);
jsc_node *jsc_call(jsc_ctx *cx, jsc_node *callee, jsc_node *args, const jsc_node *at);
jsc_node *jsc_assign(jsc_ctx *cx, jsc_node *target, jsc_node *value, const jsc_node *at);
jsc_node *jsc_expr_stmt(jsc_ctx *cx, jsc_node *expr);
/* `var name = init;` (init may be NULL). */
jsc_node *jsc_var_decl(jsc_ctx *cx, const char *name, jsc_node *init, const jsc_node *at);
/* A node of `kind` with operator `op` (JT_EOF for none) and children a, b: unary, binary,
 * logical and update expressions, and any kind whose meaning lies in a and b. */
jsc_node *jsc_op(jsc_ctx *cx, jsc_kind kind, jsc_tok op, jsc_node *a, jsc_node *b,
                 const jsc_node *at);
/* A node of `kind` whose only child is a: N_BLOCK or N_SEQUENCE of a list, N_RETURN or
 * N_THROW of a value, ... */
jsc_node *jsc_wrap(jsc_ctx *cx, jsc_kind kind, jsc_node *a, const jsc_node *at);
/* test ? then : other */
jsc_node *jsc_cond(jsc_ctx *cx, jsc_node *test, jsc_node *then, jsc_node *other,
                   const jsc_node *at);
/* void 0 */
jsc_node *jsc_void0(jsc_ctx *cx, const jsc_node *at);
/* `name(args)` of a runtime helper, recording that the output needs runtime module `module`
 * (a static string). */
jsc_node *jsc_helper_call(jsc_ctx *cx, const char *module, const char *name, jsc_node *args,
                          const jsc_node *at);
/* a with `b` (a node or a list) linked after it; returns a, so argument lists nest:
 * jsc_link(x, jsc_link(y, z)). */
jsc_node *jsc_link(jsc_node *a, jsc_node *b);
/* Whether statement `s` belongs to a directive prologue ("use strict";). */
int jsc_is_directive(const jsc_node *s);

/* Lists. */
size_t jsc_list_len(const jsc_node *first);
jsc_node *jsc_list_last(jsc_node *first);
/* Append `item` (which may itself start a list) to *head; returns item. */
jsc_node *jsc_list_append(jsc_node **head, jsc_node *item);

/* A fresh name for a temporary ("$$1", "$$2", ...) that no identifier of the source uses. */
const char *jsc_temp_name(jsc_ctx *cx);
/* A fresh temporary declared as a `var` of function `fn` (an N_FUNCTION/N_FUNC_DECL, or the
 * N_PROGRAM for top-level code): appended to fn->c, printed as `var $$1;`. */
const char *jsc_declare_temp(jsc_ctx *cx, jsc_node *fn);

/* Whether `n` is an identifier named like the temporaries (jsc_temp_name). */
int jsc_is_temp(const jsc_ctx *cx, const jsc_node *n);

/* Record that the output needs runtime module `name` (a static string). */
void jsc_need(jsc_ctx *cx, const char *name);

/* Record the first error at the position of `at` (or line/col 0 when NULL); returns 0 so
 * that phases can write `return jsc_error(...)`. */
int jsc_error(jsc_ctx *cx, const jsc_node *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int jsc_error_at(jsc_ctx *cx, uint32_t line, uint32_t col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Walking. jsc_each_child calls fn once per child slot of `n`, in source order: a, b, c, d,
 * and for list-valued children once per element. `slot` points at the pointer that holds the
 * child (the parent's field, or the previous element's `next`), so a visitor may replace the
 * child with jsc_replace(). Which of a..d are lists is known per kind (jsc_child_is_list). */
typedef void (*jsc_slot_fn)(jsc_ctx *cx, jsc_node **slot, void *data);
void jsc_each_child(jsc_ctx *cx, jsc_node *n, jsc_slot_fn fn, void *data);
/* Whether child `which` (0 = a .. 3 = d) of kind `k` is a list. */
int jsc_child_is_list(jsc_kind k, int which);
/* Put `with` (a single node or a list) where *slot is, keeping the rest of the list after
 * it: the last node of `with` takes over the old node's `next`. */
void jsc_replace(jsc_node **slot, jsc_node *with);
/* jsc_each_child, with *fn set to `n` while the children of a function (N_FUNCTION or
 * N_FUNC_DECL) are visited and restored after: passes that declare temporaries keep the
 * nearest enclosing function this way. */
void jsc_each_child_in_fn(jsc_ctx *cx, jsc_node *n, jsc_slot_fn fn, void *data, jsc_node **cur);
/* Whether `n` is a function or a class: code of its own, which the enclosing code's `var`
 * hoisting, jumps, yield, await and `this` do not reach into. */
int jsc_is_code_boundary(const jsc_node *n);
/* Whether `n` (NULL: no) contains yield or await outside nested functions and classes. */
int jsc_suspends(const jsc_node *n);

/* Names of kinds and tokens, for messages and dumps. */
const char *jsc_kind_name(jsc_kind k);
const char *jsc_tok_text(jsc_tok t);

#endif /* JSC_AST_H */
