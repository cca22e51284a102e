/*
 * host/task/compiler/lex_int.h - helpers shared by lex.c and lex_lit.c (internal).
 */
#ifndef JSC_LEX_INT_H
#define JSC_LEX_INT_H

#include "lex.h"

uint32_t jsc_lex_col(jsc_lexer *lx, size_t pos);
size_t jsc_lex_newline_len(const jsc_lexer *lx, size_t pos);
void jsc_lex_newline(jsc_lexer *lx, size_t len);
int jsc_lex_id_start_at(const jsc_lexer *lx, size_t pos);
/* After "\u": 4 hex digits or {hex}. With ok != NULL a bad escape sets *ok = 0 instead of
 * failing. */
uint32_t jsc_lex_unicode_escape(jsc_lexer *lx, uint32_t line, uint32_t col, int *ok);

void jsc_lex_number(jsc_lexer *lx, jsc_token *tok);
void jsc_lex_string(jsc_lexer *lx, jsc_token *tok);
/* lx->pos is just after ` or }: scan up to and including ` or ${. */
void jsc_lex_template_chunk(jsc_lexer *lx, jsc_token *tok);

static inline int jsc_hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

#endif /* JSC_LEX_INT_H */
