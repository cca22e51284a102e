/*
 * host/task/compiler/dump.c - jsc_dump: the tree as an S-expression, for tests and
 * `ratchet task compile --ast`:
 *
 *   (kind [op] [:flag ...] ["str"] child ...)
 *
 * Children are the slots a..d in order: a node, `nil` for an empty slot followed by a used
 * one, or `[...]` for list-valued slots. N_REGEXP shows its flags as a second string and
 * N_TEMPLATE_PART its raw text; numbers show their value.
 */
#include "phases.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct dbuf {
    char *s;
    size_t len, cap;
    int oom;
} dbuf;

static void put(dbuf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 1024;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = realloc(b->s, cap);
        if (!p) {
            b->oom = 1;
            return;
        }
        b->s = p;
        b->cap = cap;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

static void puts_(dbuf *b, const char *s)
{
    put(b, s, strlen(s));
}

static void quoted(dbuf *b, const char *s, size_t len)
{
    put(b, "\"", 1);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        char esc[8];
        if (c == '"' || c == '\\') {
            esc[0] = '\\';
            esc[1] = (char)c;
            put(b, esc, 2);
        } else if (c < 0x20 || c == 0x7F) {
            snprintf(esc, sizeof esc, "\\x%02x", c);
            puts_(b, esc);
        } else {
            put(b, (const char *)&c, 1);
        }
    }
    put(b, "\"", 1);
}

static const struct {
    uint32_t bit;
    const char *name;
} flag_names[] = {
    {JSC_DECL_VAR, "var"},         {JSC_DECL_LET, "let"},         {JSC_DECL_CONST, "const"},
    {JSC_ARROW, "arrow"},          {JSC_ASYNC, "async"},          {JSC_GENERATOR, "generator"},
    {JSC_EXPR_BODY, "expr-body"},  {JSC_METHOD, "method"},        {JSC_GET, "get"},
    {JSC_SET, "set"},              {JSC_STATIC, "static"},        {JSC_COMPUTED, "computed"},
    {JSC_SHORTHAND, "shorthand"},  {JSC_CONSTRUCTOR, "constructor"},
    {JSC_OPTIONAL, "optional"},    {JSC_DELEGATE, "delegate"},    {JSC_PREFIX, "prefix"},
    {JSC_AWAIT, "await"},          {JSC_STRICT, "strict"},        {JSC_LOWERED, "lowered"},
    {JSC_PARENS, "parens"},        {JSC_FIELD, "field"},
};

static void node(dbuf *b, const jsc_node *n);

static void node_list(dbuf *b, const jsc_node *n)
{
    put(b, "[", 1);
    for (; n; n = n->next) {
        node(b, n);
        if (n->next)
            put(b, " ", 1);
    }
    put(b, "]", 1);
}

static void header(dbuf *b, const jsc_node *n)
{
    puts_(b, jsc_kind_name(n->kind));
    switch (n->kind) {
    case N_UNARY: case N_UPDATE: case N_BINARY: case N_LOGICAL: case N_ASSIGN:
        put(b, " ", 1);
        puts_(b, jsc_tok_text(n->op));
        break;
    default:
        break;
    }
    for (size_t i = 0; i < sizeof flag_names / sizeof *flag_names; i++)
        if (n->flags & flag_names[i].bit) {
            put(b, " :", 2);
            puts_(b, flag_names[i].name);
        }
    if (n->kind == N_NUMBER) {
        char num[40];
        snprintf(num, sizeof num, " %.17g", n->num);
        puts_(b, num);
    } else if (n->str) {
        put(b, " ", 1);
        quoted(b, n->str, n->kind == N_STRING || n->kind == N_TEMPLATE_PART ? n->len
                                                                             : strlen(n->str));
    } else if (n->kind == N_TEMPLATE_PART) {
        puts_(b, " nil");
    }
    if (n->raw && (n->kind == N_REGEXP || n->kind == N_TEMPLATE_PART)) {
        put(b, " ", 1);
        quoted(b, n->raw, n->raw_len);
    }
}

static void node(dbuf *b, const jsc_node *n)
{
    if (!n) {
        puts_(b, "nil");
        return;
    }
    put(b, "(", 1);
    header(b, n);
    const jsc_node *slots[4] = {n->a, n->b, n->c, n->d};
    int used = 0;
    for (int i = 0; i < 4; i++)
        if (slots[i])
            used = i + 1;
    for (int i = 0; i < used; i++) {
        put(b, " ", 1);
        if (jsc_child_is_list(n->kind, i))
            node_list(b, slots[i]);
        else
            node(b, slots[i]);
    }
    put(b, ")", 1);
}

char *jsc_dump(const jsc_node *n)
{
    dbuf b = {0};
    node(&b, n);
    if (b.oom || !b.s) {
        free(b.s);
        return NULL;
    }
    return b.s;
}
