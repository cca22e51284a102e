/*
 * gql.h - a GraphQL implementation in C (the specification, September 2025 edition, as graphql-js
 * 16 implements it): parse, validate and execute documents against a schema written in SDL.
 *
 *     gql_schema *s = gql_schema_parse(sdl, len, err, sizeof err);
 *     gql_schema_resolver(s, "Query", "tasks", my_tasks, my_data);
 *     json_object *reply = gql_run(s, &req, &limits, NULL);   // {"data": ..., "errors": [...]}
 *
 * Steps can be taken one by one (gql_parse, gql_validate, gql_check_limits, gql_execute); gql_run
 * does them in order and stops at the first that reports errors.
 *
 * Errors are json-c objects shaped as the specification's response errors:
 * {"message", "locations": [{"line", "column"}], "path": [...], "extensions": {"code"}}.
 *
 * Threading: a schema is read-only once resolvers are registered and may then be shared by any
 * number of threads; documents and results belong to one caller.
 */
#ifndef GQL_H
#define GQL_H

#include <json-c/json.h>
#include <stddef.h>
#include <stdint.h>

#include "gql_ast.h"

/* ---- documents ----------------------------------------------------------------------------- */

typedef struct gql_doc {
    gql_arena *arena;
    gql_node *defs; /* the definitions, in source order */
    size_t ndefs;
} gql_doc;

/* A syntax error: message as graphql-js words it ("Syntax Error: Expected Name, found <EOF>.")
 * and where it is. */
typedef struct gql_syntax_error {
    char message[320];
    uint32_t line, col;
} gql_syntax_error;

/* Parse limits (0: the default). Nesting bounds the parser's recursion; tokens bound the work. */
typedef struct gql_parse_limits {
    uint32_t max_nesting; /* default 128 */
    size_t max_tokens;    /* default 0: unlimited */
} gql_parse_limits;

/* Parse a document: executable and type system definitions alike (validation rejects the
 * latter in a request). NULL with *err filled on a syntax error or when out of memory. The
 * source is copied where needed; the caller frees the result with gql_doc_free. */
gql_doc *gql_parse(const char *src, size_t len, const gql_parse_limits *lim, gql_syntax_error *err);
void gql_doc_free(gql_doc *doc);

/* ---- schema -------------------------------------------------------------------------------- */

typedef enum gql_type_kind {
    GQL_K_SCALAR,
    GQL_K_OBJECT,
    GQL_K_INTERFACE,
    GQL_K_UNION,
    GQL_K_ENUM,
    GQL_K_INPUT_OBJECT,
    GQL_K_LIST,
    GQL_K_NON_NULL
} gql_type_kind;

typedef struct gql_type gql_type;
typedef struct gql_schema gql_schema;
typedef struct gql_resolve_info gql_resolve_info;

/* A value flowing through execution: a json-c value, an opaque pointer, or a list of values.
 * What a resolver returns in *out is owned by the executor from then on: it puts `json`, frees
 * `items` (after releasing each item) and calls `ptr_free` on `ptr` when set. A value is null
 * when it has none of json, ptr and is_list. */
typedef struct gql_value {
    json_object *json;
    void *ptr;
    void (*ptr_free)(void *ptr);
    struct gql_value *items; /* is_list: nitems values (malloc'd) */
    size_t nitems;
    int is_list;
} gql_value;

/* A field resolver. Returns 0 with *out set (zeroed on entry: null), or -1 after
 * gql_resolve_error. Called on the executing thread. */
typedef int (*gql_resolve_fn)(gql_resolve_info *info, gql_value *out);
/* Names the object type of a value of an interface or union type, or NULL (an error). The
 * default reads "__typename" of a json object. */
typedef const char *(*gql_resolve_type_fn)(const gql_value *v, const gql_type *abstract,
                                           void *context);

typedef struct gql_input_value {
    const char *name;
    const char *description;
    gql_type *type;
    const gql_node *default_value; /* the SDL literal, or NULL */
    const char *deprecation;       /* the reason when deprecated, else NULL */
} gql_input_value;

typedef struct gql_field {
    const char *name;
    const char *description;
    gql_type *type;
    gql_input_value *args;
    size_t nargs;
    const char *deprecation;
    gql_resolve_fn resolve;
    void *data;
} gql_field;

typedef struct gql_enum_value {
    const char *name;
    const char *description;
    const char *deprecation;
} gql_enum_value;

struct gql_type {
    gql_type_kind kind;
    const char *name; /* NULL for LIST and NON_NULL */
    const char *description;
    const char *specified_by;
    gql_field *fields; /* OBJECT, INTERFACE */
    size_t nfields;
    gql_input_value *input_fields; /* INPUT_OBJECT */
    size_t ninput_fields;
    int one_of;
    gql_type **interfaces; /* OBJECT, INTERFACE */
    size_t ninterfaces;
    gql_type **possible; /* UNION members; INTERFACE implementations */
    size_t npossible;
    gql_enum_value *values; /* ENUM */
    size_t nvalues;
    gql_type *of_type;    /* LIST, NON_NULL */
    gql_type *list_of;    /* the [T] of this type, made once */
    gql_type *nonnull_of; /* the T! of this type, made once */
    gql_resolve_type_fn resolve_type;
    int builtin; /* a specified scalar or an introspection type */
    int used;    /* referenced (specified scalars are listed only when used) */
};

#define GQL_LOC_COUNT_MAX 24
typedef struct gql_directive {
    const char *name;
    const char *description;
    gql_input_value *args;
    size_t nargs;
    uint32_t locations;               /* 1 << gql_dir_loc */
    uint8_t order[GQL_LOC_COUNT_MAX]; /* the locations as the definition lists them */
    size_t norder;
    int repeatable;
    int builtin;
} gql_directive;

typedef enum gql_dir_loc {
    GQL_LOC_QUERY,
    GQL_LOC_MUTATION,
    GQL_LOC_SUBSCRIPTION,
    GQL_LOC_FIELD,
    GQL_LOC_FRAGMENT_DEFINITION,
    GQL_LOC_FRAGMENT_SPREAD,
    GQL_LOC_INLINE_FRAGMENT,
    GQL_LOC_VARIABLE_DEFINITION,
    GQL_LOC_SCHEMA,
    GQL_LOC_SCALAR,
    GQL_LOC_OBJECT,
    GQL_LOC_FIELD_DEFINITION,
    GQL_LOC_ARGUMENT_DEFINITION,
    GQL_LOC_INTERFACE,
    GQL_LOC_UNION,
    GQL_LOC_ENUM,
    GQL_LOC_ENUM_VALUE,
    GQL_LOC_INPUT_OBJECT,
    GQL_LOC_INPUT_FIELD_DEFINITION,
    GQL_LOC_DIRECTIVE_DEFINITION,
    GQL_LOC_COUNT
} gql_dir_loc;

const char *gql_dir_loc_name(gql_dir_loc loc);

struct gql_schema {
    gql_doc *sdl;     /* the builtins and the schema's own definitions (owned) */
    gql_arena *arena; /* types, fields, ... (the sdl's arena) */
    const char *description;
    gql_type **types; /* named types in definition order (builtins first) */
    size_t ntypes;
    gql_type **buckets; /* name -> type hash, nbuckets a power of two */
    size_t nbuckets;
    gql_type *query, *mutation, *subscription;
    gql_directive **directives;
    size_t ndirectives;
    gql_field *meta; /* the meta fields __schema, __type(name:), __typename */
};

/* Build a schema from SDL (the builtins are added). NULL with a message in err naming the
 * problem and its line:column (a syntax error, an unknown type, a duplicate name, an object
 * missing an interface's field, ...). Free with gql_schema_free. */
gql_schema *gql_schema_parse(const char *sdl, size_t len, char *err, size_t errsize);
void gql_schema_free(gql_schema *s);

const gql_type *gql_schema_type(const gql_schema *s, const char *name);
const gql_field *gql_type_field(const gql_type *t, const char *name);
const gql_input_value *gql_type_input_field(const gql_type *t, const char *name);
const gql_directive *gql_schema_directive(const gql_schema *s, const char *name);
/* The named type inside lists and non-nulls. */
const gql_type *gql_named(const gql_type *t);
int gql_is_input_type(const gql_type *t);
int gql_is_output_type(const gql_type *t);
int gql_is_leaf(const gql_type *t);
int gql_is_composite(const gql_type *t);
int gql_is_abstract(const gql_type *t);
/* Object type `obj` is a possible type of `abstract` (itself when abstract is an object). */
int gql_is_possible(const gql_type *abstract, const gql_type *obj);
/* "[Int!]!" into buf (truncated to size). */
const char *gql_type_str(const gql_type *t, char *buf, size_t size);

/* Register the resolver of TYPE.FIELD: -1 when there is no such object field. */
int gql_schema_resolver(gql_schema *s, const char *type, const char *field, gql_resolve_fn fn,
                        void *data);
/* Register how values of an interface or union are told apart: -1 for another type. */
int gql_schema_type_resolver(gql_schema *s, const char *type, gql_resolve_type_fn fn);

/* ---- validation ---------------------------------------------------------------------------- */

/* Check a document against the schema with every rule of the specification's Validation
 * section. Returns the number of errors, each appended to `errors` (a json array). At most
 * 100 errors are reported, then one saying validation stopped. */
size_t gql_validate(const gql_schema *s, const gql_doc *doc, json_object *errors);

/* ---- limits -------------------------------------------------------------------------------- */

/* Limits of one request (0 disables one). Each exceeded limit is one error naming it and its
 * value, code LIMIT_EXCEEDED. */
typedef struct gql_limits {
    size_t max_bytes;         /* the document's size */
    uint32_t max_depth;       /* nesting of selection sets, fragments expanded */
    uint32_t max_complexity;  /* fields selected, fragments expanded */
    uint32_t max_aliases;     /* aliased fields in the document */
    uint32_t max_root_fields; /* fields of the operation's root selection set */
    int no_introspection;     /* refuse __schema and __type */
} gql_limits;

/* Check the limits that need the parsed document (the operation chosen by name or the only
 * one). Returns the number of errors appended to `errors`. */
size_t gql_check_limits(const gql_schema *s, const gql_doc *doc, const char *operation_name,
                        const gql_limits *lim, json_object *errors);

/* ---- execution ----------------------------------------------------------------------------- */

typedef struct gql_request {
    const char *query;
    size_t query_len;
    const char *operation_name; /* or NULL */
    json_object *variables;     /* an object, or NULL (borrowed) */
    gql_value root;             /* the root value (borrowed: not freed) */
    void *context;              /* passed to every resolver */
} gql_request;

/* What a resolver is given. `args` holds the coerced arguments (defaults applied; enum values
 * as strings, input objects as objects), borrowed for the call. */
struct gql_resolve_info {
    const gql_schema *schema;
    const gql_type *parent_type;
    const gql_field *field;
    const gql_value *parent;
    json_object *args;
    void *context;
    void *data;           /* the pointer registered with the resolver */
    const gql_node *node; /* the first field node */
    gql_op operation;
    char *error; /* set by gql_resolve_error (malloc'd, freed by the executor) */
    const char *error_code;
};

/* Set the error of a failing resolver (printf format); returns -1 for `return
 * gql_resolve_error(...)`. The code (or NULL) becomes extensions.code. */
int gql_resolve_error(gql_resolve_info *info, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A reply's kind: what GraphQL-over-HTTP needs to pick a status code. */
typedef enum gql_outcome {
    GQL_OUT_DATA,          /* executed: data (maybe with field errors) */
    GQL_OUT_REQUEST_ERROR, /* syntax, validation, limits, variables: no data */
    GQL_OUT_INTERNAL       /* out of memory */
} gql_outcome;

/* Execute a validated document: {"data": ..., "errors"?: [...]}, or {"errors": [...]} for a
 * request error (no such operation, variables that do not coerce). */
json_object *gql_execute(const gql_schema *s, const gql_doc *doc, const gql_request *req,
                         gql_outcome *outcome);

/* A subscription's source stream (specification 6.2.3, CreateSourceEventStream): for a validated
 * document whose chosen operation is a subscription, the root field (its name, static in the
 * schema) and its coerced arguments (*args, a new object the caller puts). Each event is then
 * answered by gql_execute with the event as req->root. 0, or -1 with errors appended (no such
 * operation, not a subscription, variables or arguments that do not coerce). */
int gql_subscription_source(const gql_schema *s, const gql_doc *doc, const gql_request *req,
                            const char **field, json_object **args, json_object *errors);

/* Parse, check limits, validate and execute. Never NULL unless out of memory. */
json_object *gql_run(const gql_schema *s, const gql_request *req, const gql_limits *lim,
                     gql_outcome *outcome);

/* The operation a request selects: by name, or the only one; NULL with a message otherwise. */
const gql_node *gql_find_operation(const gql_doc *doc, const char *name, char *err, size_t size);

/* ---- values -------------------------------------------------------------------------------- */

/* A value literal printed as GraphQL ("{a: 1, b: [\"x\"]}"), as introspection's defaultValue. */
char *gql_print_value(const gql_node *v);
/* A json value printed as a GraphQL literal of type t (enum values bare). malloc'd. */
char *gql_print_json(const json_object *v, const gql_type *t);

/* An error object: message, a location when line > 0, a path when path != NULL (taken). */
json_object *gql_error_new(const char *message, uint32_t line, uint32_t col, json_object *path);
/* Append a location to an error made by gql_error_new. */
void gql_error_add_location(json_object *err, uint32_t line, uint32_t col);

#endif /* GQL_H */
