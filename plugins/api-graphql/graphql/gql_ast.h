/*
 * gql_ast.h - the GraphQL syntax tree: one node struct with a kind tag, for executable
 * documents and type system (SDL) definitions alike, and the lexer's tokens.
 *
 * Memory: every node, token value and string hangs off the document's arena and is freed with
 * the document (gql_doc_free). Nodes are never shared between documents.
 */
#ifndef GQL_AST_H
#define GQL_AST_H

#include <stddef.h>
#include <stdint.h>

typedef struct gql_arena gql_arena;

/* ---- tokens -------------------------------------------------------------------------------- */

typedef enum gql_tok {
    GQL_T_SOF,
    GQL_T_EOF,
    GQL_T_BANG,
    GQL_T_DOLLAR,
    GQL_T_AMP,
    GQL_T_PAREN_L,
    GQL_T_PAREN_R,
    GQL_T_SPREAD,
    GQL_T_COLON,
    GQL_T_EQUALS,
    GQL_T_AT,
    GQL_T_BRACKET_L,
    GQL_T_BRACKET_R,
    GQL_T_BRACE_L,
    GQL_T_PIPE,
    GQL_T_BRACE_R,
    GQL_T_NAME,
    GQL_T_INT,
    GQL_T_FLOAT,
    GQL_T_STRING,
    GQL_T_BLOCK_STRING
} gql_tok;

typedef struct gql_token {
    gql_tok kind;
    size_t start, end;  /* byte offsets into the source */
    uint32_t line, col; /* 1-based; col counts UTF-16 code units, as graphql-js does */
    const char *value;  /* NAME, INT, FLOAT: the text; strings: the decoded value (arena) */
    size_t value_len;   /* strings may hold NUL (\u0000): the decoded length */
} gql_token;

/* The lexer over one source. Errors: gql_lex_next returns -1 with `err` ("Syntax Error: ...")
 * and err_line/err_col set; the lexer must not be advanced after that. */
typedef struct gql_lexer {
    const char *src;
    size_t len;
    size_t pos;
    uint32_t line;
    size_t line_start;
    size_t col_pos; /* column cache: col_units is the column of col_pos on this line */
    uint32_t col_units;
    gql_arena *arena;
    gql_token tok;
    char err[256];
    uint32_t err_line, err_col;
} gql_lexer;

void gql_lex_init(gql_lexer *lx, const char *src, size_t len, gql_arena *arena);
/* Advance to the next significant token (comments, commas and white space skipped). */
int gql_lex_next(gql_lexer *lx);
/* "Name \"foo\"", "\"{\"", "<EOF>": a token as graphql-js describes it in messages. */
void gql_tok_describe(const gql_token *t, char *buf, size_t size);
const char *gql_tok_kind_name(gql_tok kind);

/* ---- nodes --------------------------------------------------------------------------------- */

typedef enum gql_kind {
    GQL_DOCUMENT,
    /* executable definitions */
    GQL_OPERATION,
    GQL_VARIABLE_DEF,
    GQL_FIELD,
    GQL_FRAGMENT_SPREAD,
    GQL_INLINE_FRAGMENT,
    GQL_FRAGMENT_DEF,
    GQL_ARGUMENT,
    GQL_DIRECTIVE,
    /* type references */
    GQL_NAMED_TYPE,
    GQL_LIST_TYPE,
    GQL_NON_NULL_TYPE,
    /* values */
    GQL_VARIABLE,
    GQL_INT,
    GQL_FLOAT,
    GQL_STRING,
    GQL_BOOLEAN,
    GQL_NULL,
    GQL_ENUM,
    GQL_LIST,
    GQL_OBJECT,
    GQL_OBJECT_FIELD,
    /* type system definitions */
    GQL_SCHEMA_DEF,
    GQL_OPERATION_TYPE_DEF,
    GQL_SCALAR_DEF,
    GQL_OBJECT_DEF,
    GQL_INTERFACE_DEF,
    GQL_UNION_DEF,
    GQL_ENUM_DEF,
    GQL_ENUM_VALUE_DEF,
    GQL_INPUT_DEF,
    GQL_FIELD_DEF,
    GQL_INPUT_VALUE_DEF,
    GQL_DIRECTIVE_DEF,
    GQL_NAME /* a bare name in a list: a directive location */
} gql_kind;

typedef enum gql_op { GQL_QUERY, GQL_MUTATION, GQL_SUBSCRIPTION } gql_op;

/* In `flag` of a type system definition: it is an extension ("extend type ..."). */
#define GQL_EXTENSION 2

typedef struct gql_node gql_node;

/* Members are used as each kind's comment says; unused ones are NULL / 0. Lists are chained by
 * `next` in source order. */
struct gql_node {
    gql_kind kind;
    uint32_t line, col;
    uint32_t nline, ncol; /* where `name` is (errors point at names) */
    uint32_t sline, scol; /* FIELD: where its selection set opens */
    const char *name;     /* the Name of fields, arguments, variables, fragments, types,
                             directives, object fields, enum value definitions; NULL for an
                             anonymous operation */
    const char *alias;    /* FIELD: the alias, or NULL */
    const char *text;     /* INT/FLOAT/STRING/ENUM: the value (strings decoded);
                             definitions: the description, or NULL */
    size_t text_len;      /* STRING: decoded length */
    int flag;             /* OPERATION, OPERATION_TYPE_DEF: gql_op; BOOLEAN: 0/1; STRING: 1 for a
                             block string; DIRECTIVE_DEF: repeatable */
    gql_node *type;       /* VARIABLE_DEF, FIELD_DEF, INPUT_VALUE_DEF: the type; INLINE_FRAGMENT,
                             FRAGMENT_DEF: the type condition (NAMED_TYPE, may be NULL for an
                             inline fragment); LIST_TYPE, NON_NULL_TYPE: the wrapped type;
                             OPERATION_TYPE_DEF: the named type */
    gql_node *args;       /* FIELD, DIRECTIVE: ARGUMENTs; OPERATION: VARIABLE_DEFs; FIELD_DEF,
                             DIRECTIVE_DEF: INPUT_VALUE_DEFs */
    gql_node *dirs;       /* DIRECTIVEs */
    gql_node *sel;        /* OPERATION, FIELD, fragments: the selection set; DOCUMENT: the
                             definitions; LIST: items; OBJECT: OBJECT_FIELDs; OBJECT_DEF,
                             INTERFACE_DEF: FIELD_DEFs; INPUT_DEF: INPUT_VALUE_DEFs; ENUM_DEF:
                             ENUM_VALUE_DEFs; SCHEMA_DEF: OPERATION_TYPE_DEFs */
    gql_node *value;      /* ARGUMENT, OBJECT_FIELD: the value; VARIABLE_DEF, INPUT_VALUE_DEF: the
                             default value or NULL */
    gql_node *refs;       /* OBJECT_DEF, INTERFACE_DEF: implemented interfaces; UNION_DEF:
                             members (NAMED_TYPEs); DIRECTIVE_DEF: locations (NAMEs) */
    gql_node *next;
};

#endif /* GQL_AST_H */
