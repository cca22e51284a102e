/*
 * host/task/compiler/lex.h - the ES2020 lexer of the task compiler (internal to the parser).
 *
 * The parser pulls one token at a time. Two tokens depend on the parser's context and are
 * scanned again on its request: a `/` or `/=` where an expression starts is a regular
 * expression (jsc_lex_regexp), and a `}` that closes a template substitution continues the
 * template (jsc_lex_template_cont). Errors go through jsc_error_at() and then longjmp to
 * `jmp`, which the parser sets; every string a token carries lives in the ctx's arena.
 */
#ifndef JSC_LEX_H
#define JSC_LEX_H

#include <setjmp.h>

#include "ast.h"

typedef struct jsc_token {
    jsc_tok t;
    uint32_t line, col; /* start: 1-based line, column in UTF-16 code units */
    size_t pos, end;    /* byte offsets of the token in the source */
    size_t line_pos;    /* byte offset where the token's line starts */
    int nl_before;      /* a line terminator (or a comment holding one) precedes it */
    int escaped;        /* an identifier spelled with \u escapes */
    int tail;           /* JT_TEMPLATE: the chunk ends with ` (else with ${) */
    int octal;          /* JT_STRING with a legacy octal escape; JT_NUMBER legacy octal */
    const char *str;    /* identifier/keyword name, cooked string or template chunk (NULL
                           when a template escape is invalid), regexp body */
    size_t len;
    const char *raw;    /* template raw text; regexp flags; number text when valid ES5 */
    size_t raw_len;
    double num;
} jsc_token;

typedef struct jsc_lexer {
    jsc_ctx *cx;
    const char *s;
    size_t n, pos;
    uint32_t line;
    size_t line_pos;          /* byte offset where the current line starts */
    size_t ccache_pos;        /* column cache: byte offset on the current line ... */
    uint32_t ccache_col;      /* ... and its column */
    jmp_buf *jmp;
} jsc_lexer;

void jsc_lex_init(jsc_lexer *lx, jsc_ctx *cx, jmp_buf *jmp);
/* The next token in the ordinary context (a `/` is a division). */
void jsc_lex_next(jsc_lexer *lx, jsc_token *tok);
/* Rescan `tok` (a JT_SLASH or JT_SLASH_EQ just returned) as a regular expression literal. */
void jsc_lex_regexp(jsc_lexer *lx, jsc_token *tok);
/* Rescan `tok` (a JT_RBRACE just returned) as the continuation of a template. */
void jsc_lex_template_cont(jsc_lexer *lx, jsc_token *tok);
/* Position the lexer back at byte `pos` (a token start it returned before) on `line`. */
void jsc_lex_reset(jsc_lexer *lx, size_t pos, uint32_t line, size_t line_pos);

/* Whether name[0..len) is a reserved word (ES2020 ReservedWord, plus `enum`); returns the
 * static spelling used as the token's str, or NULL. */
const char *jsc_keyword(const char *name, size_t len);

/* Fail at line:col with a message (jsc_error_at, then longjmp to lx->jmp). */
_Noreturn void jsc_lex_fail(jsc_lexer *lx, uint32_t line, uint32_t col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Encode code point `cp` as UTF-8 (lone surrogates as WTF-8) into out; returns the length. */
size_t jsc_utf8_put(char *out, uint32_t cp);
/* Decode one UTF-8 sequence at s[0..n) into *cp; returns its length (>= 1; invalid bytes
 * decode as themselves, length 1). */
size_t jsc_utf8_get(const char *s, size_t n, uint32_t *cp);

#endif /* JSC_LEX_H */
