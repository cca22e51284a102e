/*
 * gql_int.h - what the files of the GraphQL library share and nothing else sees: the arena,
 * the parser's entry for SDL, the schema builder's helpers and the validator's context.
 */
#ifndef GQL_INT_H
#define GQL_INT_H

#include <stdarg.h>
#include <stdio.h>

#include "gql.h"

/* ---- arena: every node and string of a document; freed at once ---------------------------- */

gql_arena *gql_arena_new(void);
void gql_arena_free(gql_arena *a);
/* Zeroed memory, 16-byte aligned; NULL when out of memory. */
void *gql_arena_alloc(gql_arena *a, size_t size);
char *gql_arena_strndup(gql_arena *a, const char *s, size_t n);

extern const char *const gql_builtin_sdl[]; /* NULL-terminated parts, joined in order */

/* Parse into an existing arena (the schema parses the builtins and its SDL into one). */
gql_doc *gql_parse_in(gql_arena *arena, const char *src, size_t len, const gql_parse_limits *lim,
                      gql_syntax_error *err);

/* ---- errors -------------------------------------------------------------------------------- */

/* printf into a malloc'd string (NULL when out of memory). */
char *gql_strf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *gql_vstrf(const char *fmt, va_list ap);

/* "a", "a" or "b", "a", "b", or "c" - graphql-js's quotedOrList over names (at most 5). */
void gql_quoted_or_list(char *buf, size_t size, const char *const *names, size_t n);
/* Names in `cands` within edit distance of `input`, best first (graphql-js suggestionList);
 * returns how many were written to out (at most max). */
size_t gql_suggest(const char *input, const char *const *cands, size_t ncands, const char **out,
                   size_t max);
/* " Did you mean \"a\" or \"b\"?" or "" - appended to buf. */
void gql_did_you_mean(char *buf, size_t size, const char *sub, const char *const *names, size_t n);

/* ---- validation context -------------------------------------------------------------------- */

typedef struct gql_vctx {
    const gql_schema *schema;
    const gql_doc *doc;
    json_object *errors;
    size_t nerrors;
    int aborted;
    /* fragments by name (first definition wins), for spreads */
    const gql_node **frags;
    size_t nfrags;
} gql_vctx;

/* Report an error at up to 4 nodes (NULL ends). */
void gql_vreport(gql_vctx *v, const gql_node *const *at, size_t nat, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
#define GQL_AT(...)                                                                                \
    ((const gql_node *const[]){__VA_ARGS__}),                                                      \
        (sizeof((const gql_node *const[]){__VA_ARGS__}) / sizeof(const gql_node *))

/* A node reported at its name's position rather than its start (tagged pointer). */
#define gql_name_at(n) ((const gql_node *)((uintptr_t)(n) | 1))
/* A field reported at its selection set (tagged pointer, value 2). */
#define gql_sel_at(n) ((const gql_node *)((uintptr_t)(n) | 2))
const gql_type *gql_op_root(const gql_schema *s, const gql_node *op);

/* Variable usages of one operation, fragments followed (each once): the variable node, the
 * input type expected where it is (NULL when unknown) and whether that place has a default. */
typedef struct gql_var_usage {
    const gql_node *var;
    const gql_type *type;
    int has_default;
    const gql_type *one_of_parent; /* the OneOf input object holding the variable, if any */
} gql_var_usage;
size_t gql_operation_usages(gql_vctx *v, const gql_node *op, gql_var_usage **out);

const gql_node *gql_vfragment(const gql_vctx *v, const char *name);
/* The type a type reference names (lists and non-null made), or NULL when unknown. */
gql_type *gql_type_from_ast(const gql_schema *s, const gql_node *t);
/* The list / non-null wrapper of a type, made once (NULL when out of memory). */
gql_type *gql_list_of(gql_arena *a, gql_type *t);
gql_type *gql_nonnull_of(gql_arena *a, gql_type *t);

/* The rule groups, one file each. */
void gql_validate_documents(gql_vctx *v); /* operations, fragments, directives, variables */
void gql_validate_fields(gql_vctx *v);    /* fields, arguments, leafs, spreads possible */
void gql_validate_values(gql_vctx *v);    /* values of correct type, variable usages */
void gql_validate_merging(gql_vctx *v);   /* overlapping fields can be merged */

/* Walk every selection set of the document with the type it applies to: fn is called for each
 * FIELD / FRAGMENT_SPREAD / INLINE_FRAGMENT node with the parent type (NULL when unknown). */
typedef void (*gql_sel_fn)(gql_vctx *v, const gql_node *sel, const gql_type *parent, void *user);
void gql_walk_selections(gql_vctx *v, gql_sel_fn fn, void *user);

/* The field definition a field selection refers to in parent type t (the introspection meta
 * fields __typename, __schema, __type included); NULL when none. */
const gql_field *gql_field_def(const gql_schema *s, const gql_type *t, const char *name);

/* ---- values -------------------------------------------------------------------------------- */

/* Whether a literal (variables looked up in `vars`, an object of coerced values, when
 * non-NULL) is a valid value of input type t. When not, a message is written to msg. Used by
 * validation (vars NULL: variables are accepted) and by argument coercion. */
int gql_literal_valid(const gql_schema *s, const gql_node *v, const gql_type *t, char *msg,
                      size_t size);

/* Coerce a literal to a json value of type t, variables taken from `vars`. Returns 0 and sets
 * *out (NULL is json null), or -1 with a message. `absent` is set when the literal is a
 * variable that was not provided. */
int gql_coerce_literal(const gql_schema *s, const gql_node *v, const gql_type *t, json_object *vars,
                       json_object **out, int *absent, char *msg, size_t size);
/* Coerce a json input (a variable's value) to type t: 0 and *out (a new reference), or -1 with
 * a message (graphql-js wording, path included). */
int gql_coerce_input(const gql_schema *s, json_object *in, const gql_type *t, json_object **out,
                     char *msg, size_t size);
/* Coerce the arguments of a field or directive: an object of the arguments given or
 * defaulted. 0, or -1 with a message. */
int gql_coerce_args(const gql_schema *s, const gql_input_value *defs, size_t ndefs,
                    const gql_node *args, json_object *vars, json_object **out, char *msg,
                    size_t size);
/* A double as JavaScript prints it (2 not 2.0). */
void gql_js_number(double d, char *buf, size_t size);
/* A json-c value as JSON text for messages (static buffer per call site not needed: malloc'd). */
char *gql_json_inspect(json_object *v);

/* ---- execution helpers --------------------------------------------------------------------- */

/* @skip / @include on a selection: 1 to include it. */
int gql_should_include(const gql_schema *s, const gql_node *sel, json_object *vars);
/* Introspection meta fields resolved by the executor. */
int gql_introspect_resolve(gql_resolve_info *info, gql_value *out);
void gql_introspect_install(gql_schema *s);

#endif /* GQL_INT_H */
