/*
 * host/task/compiler/ast.c - the arena, nodes, lists, walking, temporaries and errors shared
 * by every phase of the task compiler (the constructors of synthesised nodes are in build.c).
 */
#include "ast.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- arena -------------------------------------------------------------------------------- */

typedef struct jsc_chunk {
    struct jsc_chunk *prev;
    size_t used, cap;
    max_align_t data[]; /* aligned payload */
} jsc_chunk;

struct jsc_arena {
    jsc_chunk *top;
    size_t total;
};

enum { CHUNK_MIN = 64 * 1024 };

jsc_arena *jsc_arena_new(void)
{
    return calloc(1, sizeof(jsc_arena));
}

void jsc_arena_free(jsc_arena *a)
{
    if (!a)
        return;
    for (jsc_chunk *c = a->top, *p; c; c = p) {
        p = c->prev;
        free(c);
    }
    free(a);
}

void *jsc_alloc(jsc_ctx *cx, size_t n)
{
    jsc_arena *a = cx->arena;
    size_t al = sizeof(max_align_t);
    n = (n + al - 1) / al * al;
    if (!a->top || a->top->cap - a->top->used < n) {
        size_t cap = n > CHUNK_MIN ? n : CHUNK_MIN;
        jsc_chunk *c = malloc(sizeof(jsc_chunk) + cap);
        if (!c) {
            if (cx->oom)
                longjmp(*(jmp_buf *)cx->oom, 1);
            abort(); /* no recovery point: a driver bug, not user input */
        }
        c->prev = a->top;
        c->used = 0;
        c->cap = cap;
        a->top = c;
        a->total += cap;
    }
    void *p = (char *)a->top->data + a->top->used;
    a->top->used += n;
    memset(p, 0, n);
    return p;
}

const char *jsc_strndup(jsc_ctx *cx, const char *s, size_t len)
{
    char *p = jsc_alloc(cx, len + 1);
    if (len)
        memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

const char *jsc_strdup(jsc_ctx *cx, const char *s)
{
    return jsc_strndup(cx, s, strlen(s));
}

const char *jsc_sprintf(jsc_ctx *cx, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *p = jsc_alloc(cx, (size_t)(n < 0 ? 0 : n) + 1);
    va_start(ap, fmt);
    vsnprintf(p, (size_t)(n < 0 ? 0 : n) + 1, fmt, ap);
    va_end(ap);
    return p;
}

/* ---- nodes ------------------------------------------------------------------------------- */

jsc_node *jsc_node_new(jsc_ctx *cx, jsc_kind kind, const jsc_node *at)
{
    jsc_node *n = jsc_alloc(cx, sizeof *n);
    n->kind = kind;
    if (at) {
        n->line = at->line;
        n->col = at->col;
    }
    return n;
}

/* ---- lists -------------------------------------------------------------------------------- */

size_t jsc_list_len(const jsc_node *first)
{
    size_t n = 0;
    for (; first; first = first->next)
        n++;
    return n;
}

jsc_node *jsc_list_last(jsc_node *first)
{
    while (first && first->next)
        first = first->next;
    return first;
}

jsc_node *jsc_list_append(jsc_node **head, jsc_node *item)
{
    jsc_node **p = head;
    while (*p)
        p = &(*p)->next;
    *p = item;
    return item;
}

void jsc_replace(jsc_node **slot, jsc_node *with)
{
    jsc_node *old = *slot;
    jsc_node *rest = old ? old->next : NULL;
    *slot = with;
    if (with)
        jsc_list_last(with)->next = rest;
    else
        *slot = rest;
}

/* Which children are lists, per kind: bit i set = child i (a..d) is a list. */
static unsigned list_mask(jsc_kind k)
{
    switch (k) {
    case N_PROGRAM: return 1u | 4u;
    case N_VAR: return 1u;
    case N_BLOCK: return 1u;
    case N_SWITCH: return 2u;
    case N_CASE: return 2u;
    case N_TEMPLATE: return 1u | 2u;
    case N_ARRAY: return 1u;
    case N_OBJECT: return 1u;
    case N_FUNCTION:
    case N_FUNC_DECL: return 1u | 4u;
    case N_CLASS:
    case N_CLASS_DECL: return 2u;
    case N_CALL:
    case N_NEW: return 2u;
    case N_SEQUENCE: return 1u;
    case N_ARRAY_PATTERN:
    case N_OBJECT_PATTERN: return 1u;
    default: return 0;
    }
}

int jsc_child_is_list(jsc_kind k, int which)
{
    return (list_mask(k) >> which) & 1u;
}

void jsc_each_child(jsc_ctx *cx, jsc_node *n, jsc_slot_fn fn, void *data)
{
    if (!n)
        return;
    jsc_node **slots[4] = {&n->a, &n->b, &n->c, &n->d};
    unsigned mask = list_mask(n->kind);
    for (int i = 0; i < 4; i++) {
        if (!*slots[i])
            continue;
        if (!((mask >> i) & 1u)) {
            fn(cx, slots[i], data);
            continue;
        }
        /* A visitor may replace the element with a list: continue after what it put there
         * by re-reading the slot each time. */
        for (jsc_node **p = slots[i]; *p;) {
            jsc_node *before = *p;
            fn(cx, p, data);
            if (*p == before || !*p) {
                if (*p)
                    p = &(*p)->next;
                continue;
            }
            /* replaced: skip over the replacement's elements up to the old successor */
            jsc_node *stop = before->next;
            while (*p && *p != stop)
                p = &(*p)->next;
        }
    }
}

void jsc_each_child_in_fn(jsc_ctx *cx, jsc_node *n, jsc_slot_fn fn, void *data, jsc_node **cur)
{
    jsc_node *saved = *cur;
    if (n->kind == N_FUNCTION || n->kind == N_FUNC_DECL)
        *cur = n;
    jsc_each_child(cx, n, fn, data);
    *cur = saved;
}

int jsc_is_code_boundary(const jsc_node *n)
{
    return n->kind == N_FUNCTION || n->kind == N_FUNC_DECL || n->kind == N_CLASS ||
           n->kind == N_CLASS_DECL;
}

int jsc_suspends(const jsc_node *n)
{
    if (!n || jsc_is_code_boundary(n))
        return 0;
    if (n->kind == N_YIELD || n->kind == N_AWAIT)
        return 1;
    const jsc_node *kids[4] = {n->a, n->b, n->c, n->d};
    for (int i = 0; i < 4; i++) {
        if (!jsc_child_is_list(n->kind, i)) {
            if (jsc_suspends(kids[i]))
                return 1;
            continue;
        }
        for (const jsc_node *k = kids[i]; k; k = k->next)
            if (jsc_suspends(k))
                return 1;
    }
    return 0;
}

/* ---- temporaries, runtime needs, errors ------------------------------------------------ */

const char *jsc_temp_name(jsc_ctx *cx)
{
    const char *prefix = cx->temp_prefix ? cx->temp_prefix : "$$";
    return jsc_sprintf(cx, "%s%u", prefix, ++cx->temp_counter);
}

const char *jsc_declare_temp(jsc_ctx *cx, jsc_node *fn)
{
    const char *name = jsc_temp_name(cx);
    jsc_list_append(&fn->c, jsc_ident(cx, name, NULL));
    return name;
}

int jsc_is_temp(const jsc_ctx *cx, const jsc_node *n)
{
    const char *p = cx->temp_prefix ? cx->temp_prefix : "$$";
    return n->kind == N_IDENT && strncmp(n->str, p, strlen(p)) == 0;
}

void jsc_need(jsc_ctx *cx, const char *name)
{
    for (size_t i = 0; i < cx->nneeds; i++)
        if (strcmp(cx->needs[i], name) == 0)
            return;
    if (cx->nneeds < sizeof cx->needs / sizeof *cx->needs)
        cx->needs[cx->nneeds++] = name;
}

static int verror(jsc_ctx *cx, uint32_t line, uint32_t col, const char *fmt, va_list ap)
{
    if (cx->failed)
        return 0;
    cx->failed = 1;
    cx->err_line = line;
    cx->err_col = col;
    vsnprintf(cx->err_msg, sizeof cx->err_msg, fmt, ap);
    return 0;
}

int jsc_error(jsc_ctx *cx, const jsc_node *at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    verror(cx, at ? at->line : 0, at ? at->col : 0, fmt, ap);
    va_end(ap);
    return 0;
}

int jsc_error_at(jsc_ctx *cx, uint32_t line, uint32_t col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    verror(cx, line, col, fmt, ap);
    va_end(ap);
    return 0;
}

/* ---- names -------------------------------------------------------------------------------- */

const char *jsc_kind_name(jsc_kind k)
{
    static const char *const names[N_KIND_COUNT] = {
        [N_PROGRAM] = "program", [N_VAR] = "var", [N_DECLARATOR] = "declarator",
        [N_FUNC_DECL] = "function-declaration", [N_CLASS_DECL] = "class-declaration",
        [N_EXPR_STMT] = "expression-statement", [N_BLOCK] = "block", [N_EMPTY] = "empty",
        [N_IF] = "if", [N_FOR] = "for", [N_FOR_IN] = "for-in", [N_FOR_OF] = "for-of",
        [N_WHILE] = "while", [N_DO_WHILE] = "do-while", [N_RETURN] = "return",
        [N_BREAK] = "break", [N_CONTINUE] = "continue", [N_THROW] = "throw", [N_TRY] = "try",
        [N_SWITCH] = "switch", [N_CASE] = "case", [N_LABELED] = "labeled",
        [N_DEBUGGER] = "debugger", [N_WITH] = "with", [N_IDENT] = "identifier",
        [N_NUMBER] = "number", [N_STRING] = "string", [N_TEMPLATE] = "template",
        [N_TEMPLATE_PART] = "template-part", [N_TAGGED] = "tagged-template",
        [N_REGEXP] = "regexp", [N_NULL] = "null", [N_TRUE] = "true", [N_FALSE] = "false",
        [N_THIS] = "this", [N_SUPER] = "super", [N_NEW_TARGET] = "new.target",
        [N_ARRAY] = "array", [N_HOLE] = "hole", [N_OBJECT] = "object",
        [N_PROPERTY] = "property", [N_FUNCTION] = "function", [N_CLASS] = "class",
        [N_UNARY] = "unary", [N_UPDATE] = "update", [N_BINARY] = "binary",
        [N_LOGICAL] = "logical", [N_ASSIGN] = "assign", [N_COND] = "conditional",
        [N_CALL] = "call", [N_NEW] = "new", [N_MEMBER] = "member", [N_INDEX] = "index",
        [N_OPT_CHAIN] = "optional-chain", [N_SEQUENCE] = "sequence", [N_SPREAD] = "spread",
        [N_YIELD] = "yield", [N_AWAIT] = "await", [N_ARRAY_PATTERN] = "array-pattern",
        [N_OBJECT_PATTERN] = "object-pattern", [N_ASSIGN_PATTERN] = "assign-pattern",
        [N_REST] = "rest",
    };
    return k > 0 && k < N_KIND_COUNT && names[k] ? names[k] : "?";
}

const char *jsc_tok_text(jsc_tok t)
{
    static const char *const text[JT_COUNT] = {
        [JT_EOF] = "end of input", [JT_IDENT] = "identifier", [JT_KEYWORD] = "keyword",
        [JT_NUMBER] = "number", [JT_STRING] = "string", [JT_TEMPLATE] = "template",
        [JT_REGEXP] = "regular expression", [JT_PRIVATE_NAME] = "private name",
        [JT_LBRACE] = "{", [JT_RBRACE] = "}", [JT_LPAREN] = "(", [JT_RPAREN] = ")",
        [JT_LBRACKET] = "[", [JT_RBRACKET] = "]", [JT_DOT] = ".", [JT_ELLIPSIS] = "...",
        [JT_SEMI] = ";", [JT_COMMA] = ",", [JT_COLON] = ":", [JT_QUESTION] = "?",
        [JT_QDOT] = "?.", [JT_ARROW] = "=>", [JT_LT] = "<", [JT_GT] = ">", [JT_LE] = "<=",
        [JT_GE] = ">=", [JT_EQ] = "==", [JT_NE] = "!=", [JT_SEQ] = "===", [JT_SNE] = "!==",
        [JT_PLUS] = "+", [JT_MINUS] = "-", [JT_STAR] = "*", [JT_SLASH] = "/",
        [JT_PERCENT] = "%", [JT_STARSTAR] = "**", [JT_INC] = "++", [JT_DEC] = "--",
        [JT_SHL] = "<<", [JT_SHR] = ">>", [JT_USHR] = ">>>", [JT_AMP] = "&", [JT_PIPE] = "|",
        [JT_CARET] = "^", [JT_NOT] = "!", [JT_TILDE] = "~", [JT_ANDAND] = "&&",
        [JT_OROR] = "||", [JT_QQ] = "??", [JT_ASSIGN] = "=", [JT_PLUS_EQ] = "+=",
        [JT_MINUS_EQ] = "-=", [JT_STAR_EQ] = "*=", [JT_SLASH_EQ] = "/=",
        [JT_PERCENT_EQ] = "%=", [JT_STARSTAR_EQ] = "**=", [JT_SHL_EQ] = "<<=",
        [JT_SHR_EQ] = ">>=", [JT_USHR_EQ] = ">>>=", [JT_AMP_EQ] = "&=", [JT_PIPE_EQ] = "|=",
        [JT_CARET_EQ] = "^=", [JT_ANDAND_EQ] = "&&=", [JT_OROR_EQ] = "||=",
        [JT_QQ_EQ] = "?\?=", [JT_TYPEOF] = "typeof", [JT_VOID] = "void",
        [JT_DELETE] = "delete", [JT_IN] = "in", [JT_INSTANCEOF] = "instanceof",
    };
    return t < JT_COUNT && text[t] ? text[t] : "?";
}
