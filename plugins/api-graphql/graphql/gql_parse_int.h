/*
 * gql_parse_int.h - what the two halves of the parser share: gql_parse.c (documents, executable
 * definitions, values, types) and gql_parse_sdl.c (type system definitions). Not for other
 * files.
 */
#ifndef GQL_PARSE_INT_H
#define GQL_PARSE_INT_H

#include "gql_int.h"

typedef struct parser {
    gql_lexer lx;
    gql_arena *a;
    gql_syntax_error *err;
    uint32_t depth, max_depth;
    size_t ntokens, max_tokens;
    int failed;
    uint32_t nline, ncol; /* of the last name parsed */
} parser;

int gql_perr(parser *p, uint32_t line, uint32_t col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#define TOK (p->lx.tok)

/* The position of the last name gql_pname read, onto node n. */
#define NAMEPOS(n) ((n)->nline = p->nline, (n)->ncol = p->ncol)

/* Append to a list kept as head + tail pointer. */
#define APPEND(head, tail, n)                                                                      \
    do {                                                                                           \
        if (tail)                                                                                  \
            (tail)->next = (n);                                                                    \
        else                                                                                       \
            (head) = (n);                                                                          \
        (tail) = (n);                                                                              \
    } while (0)

/* Every helper reports its error through gql_perr (the first one wins) and returns -1 / NULL. */
int gql_padvance(parser *p);
int gql_ppeek(parser *p, gql_tok k);
int gql_ppeek_kw(parser *p, const char *kw);
int gql_punexpected(parser *p, const gql_token *t);
int gql_pexpect(parser *p, gql_tok k);
/* 1 and advanced when the token is there, 0 when not, -1 on a lexer error. */
int gql_poptional(parser *p, gql_tok k);
int gql_pexpect_kw(parser *p, const char *kw);
gql_node *gql_pnode(parser *p, gql_kind kind, const gql_token *at);
/* Count one level of nesting: -1 past the parser's limit. */
int gql_penter(parser *p);
const char *gql_pname(parser *p);
gql_node *gql_ptype(parser *p);
gql_node *gql_pnamed_type(parser *p);
gql_node *gql_pvalue(parser *p, int is_const);
gql_node *gql_pdirectives(parser *p, int is_const);
/* A description string, or NULL when there is none (check p->failed). */
const char *gql_pdescription(parser *p);
/* A type system definition starting at its description or keyword `kw`. */
gql_node *gql_ptype_def(parser *p, const char *kw);

#endif /* GQL_PARSE_INT_H */
