/*
 * host/task/schema_internal.h - what the schema_*.c files share: the compiled node, the compiler's
 * state, and the helpers (values, regexes, formats, URIs). Not for other users: include
 * schema.h.
 */
#ifndef RT_SCHEMA_INTERNAL_H
#define RT_SCHEMA_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "core/core_layer.h"
#include "schema.h"

/* --- regexes (schema_regex.c) ------------------------------------------------------------ */

enum { RT_SCHEMA_RE_OK, RT_SCHEMA_RE_SYNTAX, RT_SCHEMA_RE_UNSUPPORTED, RT_SCHEMA_RE_NOMEM };
typedef struct rt_schema_regex rt_schema_regex;

/* Compile an ECMA-262 pattern (len bytes, UTF-8). On failure appends the reason to why (may be
 * NULL): RT_SCHEMA_RE_SYNTAX for an invalid pattern, RT_SCHEMA_RE_UNSUPPORTED for a valid one
 * this engine does not run (lookaround, backreferences, \p{..}, a program past
 * RT_SCHEMA_NFA_MAX instructions). The caller frees *out with rt_schema_regex_free(). */
int rt_schema_regex_compile(const char *src, size_t len, rt_schema_regex **out, ratchet_buf *why);
/* 1 when the pattern matches somewhere in s (len bytes; unanchored, as ECMA-262 test()).
 * Thread-safe; time at most proportional to len times the program's size. */
int rt_schema_regex_search(const rt_schema_regex *re, const char *s, size_t len);
void rt_schema_regex_free(rt_schema_regex *re);

/* --- code point sets (schema_cpset.c) ----------------------------------------------------- */

typedef struct rt_schema_cprange {
    uint32_t lo, hi;
} rt_schema_cprange;

/* A set of code points under construction; start from {0}. Allocation failures set nomem. */
typedef struct rt_schema_cpset {
    rt_schema_cprange *r;
    size_t n, cap;
    int nomem;
} rt_schema_cpset;

void rt_schema_cpset_add(rt_schema_cpset *s, uint32_t lo, uint32_t hi);
/* Replace s by the code points U+0000..U+10FFFF not in it. */
void rt_schema_cpset_negate(rt_schema_cpset *s);
/* Add \d, \w, \s (c lower case) or their complements (upper case), as ECMA-262 defines them. */
void rt_schema_cpset_add_class(rt_schema_cpset *s, char c);
/* Sort s and merge overlapping or adjacent ranges. */
void rt_schema_cpset_normalize(rt_schema_cpset *s);
void rt_schema_cpset_free(rt_schema_cpset *s);

/* --- the regex program and its matcher (schema_nfa.c) ------------------------------------ */

/* Instructions: CHAR (a = code point), SET (a = set index), SPLIT (continue at +a and at +b,
 * relative to the SPLIT), JMP (+a), the assertions BOL, EOL, WORDB (\b), NWORDB (\B), and
 * MATCH. */
enum {
    RT_SCHEMA_NFA_CHAR,
    RT_SCHEMA_NFA_SET,
    RT_SCHEMA_NFA_SPLIT,
    RT_SCHEMA_NFA_JMP,
    RT_SCHEMA_NFA_BOL,
    RT_SCHEMA_NFA_EOL,
    RT_SCHEMA_NFA_WORDB,
    RT_SCHEMA_NFA_NWORDB,
    RT_SCHEMA_NFA_MATCH,
};
enum { RT_SCHEMA_NFA_OK, RT_SCHEMA_NFA_NOMEM, RT_SCHEMA_NFA_TOOBIG };
#define RT_SCHEMA_NFA_MAX     20000u    /* instructions: a search costs at most this per code point */
#define RT_SCHEMA_NFA_INVALID 0x110000u /* what an invalid UTF-8 byte reads as: in no set */

typedef struct rt_schema_nfa rt_schema_nfa;

/* An empty program; NULL when out of memory. */
rt_schema_nfa *rt_schema_nfa_new(void);
void rt_schema_nfa_free(rt_schema_nfa *p);
/* RT_SCHEMA_NFA_OK, or the first failure of a building call below (each does nothing once
 * one has failed): out of memory, or the program would pass RT_SCHEMA_NFA_MAX. */
int rt_schema_nfa_status(const rt_schema_nfa *p);
size_t rt_schema_nfa_len(const rt_schema_nfa *p);
/* Append one instruction / insert it before instruction `at` (moving the rest; relative
 * offsets inside the moved block stay right). */
void rt_schema_nfa_emit(rt_schema_nfa *p, int op, int32_t a, int32_t b);
void rt_schema_nfa_insert(rt_schema_nfa *p, size_t at, int op, int32_t a, int32_t b);
/* Set the `a` operand of instruction `at` (a jump's offset, once its target is known). */
void rt_schema_nfa_patch(rt_schema_nfa *p, size_t at, int32_t a);
/* The `b` operand of instruction `at` (0 past the end): a JMP's link while it waits for its
 * target (the compiler chains pending jumps through it). */
int32_t rt_schema_nfa_link(const rt_schema_nfa *p, size_t at);
/* Normalise s and append a SET instruction for a copy of it (s stays the caller's). */
void rt_schema_nfa_set(rt_schema_nfa *p, rt_schema_cpset *s);
/* Repeat the block from `start` to the end: min copies, then up to max (-1: no limit). */
void rt_schema_nfa_repeat(rt_schema_nfa *p, size_t start, unsigned long min, long max);
/* 1 when the program (ending in MATCH) matches somewhere in s; 0 also when out of memory. */
int rt_schema_nfa_search(const rt_schema_nfa *p, const char *s, size_t len);

/* --- JSON values (schema_value.c) -------------------------------------------------------- */

int rt_schema_is_number(struct json_object *v);
/* A number with no fractional part: 1 and 1.0 (draft-06 and later). */
int rt_schema_is_integer(struct json_object *v);
/* Compare two numbers exactly (int64, uint64 and double mixed): <0, 0, >0. */
int rt_schema_num_cmp(struct json_object *a, struct json_object *b);
int rt_schema_multiple_of(struct json_object *v, struct json_object *divisor);
/* Deep equality with numbers compared by value (1 == 1.0), object members in any order.
 * Values nested deeper than RT_SCHEMA_MAX_DEPTH compare unequal. */
int rt_schema_equal(struct json_object *a, struct json_object *b);
/* A hash consistent with rt_schema_equal(). */
uint64_t rt_schema_hash(struct json_object *v);
/* Append v as compact JSON, cut to about max bytes with "..." (never mid-character). */
void rt_schema_render(ratchet_buf *b, struct json_object *v, size_t max);
/* Number of code points in a UTF-8 string (an invalid byte counts as one). */
size_t rt_schema_utf8_length(const char *s, size_t len);
/* "null", "boolean", "integer", "number", "string", "array", "object". */
const char *rt_schema_type_name(struct json_object *v);

/* --- formats (schema_format.c) ----------------------------------------------------------- */

/* The id of a format this validator checks, or -1 for one it only annotates. */
int rt_schema_format_lookup(const char *name);
/* 1 when s (len bytes) is valid for the format id. */
int rt_schema_format_check(int id, const char *s, size_t len);
/* contentEncoding "base64" / contentMediaType "application/json" (either may be NULL): 0 when
 * valid, else 1 for a bad encoding, 2 for bad content. */
int rt_schema_content_check(const char *encoding, const char *media, const char *s, size_t len);

/* --- the compiled form ------------------------------------------------------------------- */

enum {
    RT_SCHEMA_T_NULL = 1,
    RT_SCHEMA_T_BOOLEAN = 2,
    RT_SCHEMA_T_OBJECT = 4,
    RT_SCHEMA_T_ARRAY = 8,
    RT_SCHEMA_T_NUMBER = 16,
    RT_SCHEMA_T_STRING = 32,
    RT_SCHEMA_T_INTEGER = 64,
};

typedef struct rt_schema_node rt_schema_node;

typedef struct rt_schema_prop {
    const char *name;
    rt_schema_node *node;
} rt_schema_prop;

typedef struct rt_schema_pprop {
    rt_schema_regex *re;
    const char *src;
    rt_schema_node *node;
} rt_schema_pprop;

typedef struct rt_schema_dep {
    const char *name;
    rt_schema_node *node; /* a schema dependency, or NULL for a list of names */
    const char **names;
    size_t nnames;
} rt_schema_dep;

/* One subschema. Everything points into the arena or the documents the rt_schema holds; a
 * node is never changed after compilation. Counts/limits of -1 mean "keyword absent". */
struct rt_schema_node {
    struct json_object *obj; /* the schema text (object or boolean) */
    const char *where;       /* its location, for messages: "/a/b" or "uri#/a/b" */
    const char *base;        /* base URI for the keywords in it (after its own $id) */
    int always;              /* 1: true schema, 0: false schema, -1: an object with keywords */
    int draft;               /* 4, 6 or 7: the draft of the document it is in */
    rt_schema_node *ref;     /* "$ref": the rest is ignored */

    unsigned types; /* RT_SCHEMA_T_* bits; 0 when no "type" */
    struct json_object *enum_values;
    int has_const;
    struct json_object *const_value;
    const char *enum_text, *const_text, *type_text; /* rendered once, for messages */

    struct json_object *multiple_of, *maximum, *minimum, *exclusive_maximum, *exclusive_minimum;
    const char *multiple_of_text, *maximum_text, *minimum_text, *exclusive_maximum_text,
        *exclusive_minimum_text;

    int64_t max_length, min_length, max_items, min_items, max_props, min_props;
    rt_schema_regex *pattern;
    const char *pattern_text;
    int format; /* rt_schema_format_lookup() id, -1 none */
    const char *format_name;
    const char *content_encoding, *content_media;

    rt_schema_node *items;      /* items as one schema */
    rt_schema_node **item_list; /* items as an array of schemas */
    size_t nitem_list;
    rt_schema_node *additional_items;
    int unique_items;
    rt_schema_node *contains;

    const char **required;
    size_t nrequired;
    rt_schema_prop *props; /* sorted by name */
    size_t nprops;
    rt_schema_pprop *pprops;
    size_t npprops;
    rt_schema_node *additional_props;
    rt_schema_dep *deps;
    size_t ndeps;
    rt_schema_node *property_names;

    rt_schema_node *if_, *then_, *else_;
    rt_schema_node **all_of, **any_of, **one_of;
    size_t nall_of, nany_of, none_of;
    rt_schema_node *not_;

    /* compile-time only */
    rt_schema_node *next_work, *next_all;
    int mark;
};

typedef struct rt_schema_block rt_schema_block;

struct rt_schema {
    rt_schema_node *root;
    rt_schema_block *blocks;   /* the arena */
    struct json_object **docs; /* references held: the caller's schema, fetched documents */
    size_t ndocs, capdocs;
    rt_schema_regex **regexes;
    size_t nregexes, capregexes;
};

/* --- the compiler (schema.c, schema_ref.c) ----------------------------------------------- */

/* Where a key leads, seen from a schema object. */
enum {
    RT_SCHEMA_KW_OTHER,  /* not a subschema (or an unknown keyword) */
    RT_SCHEMA_KW_SCHEMA, /* one subschema */
    RT_SCHEMA_KW_ITEMS,  /* a subschema or an array of them ("items") */
    RT_SCHEMA_KW_ARRAY,  /* an array of subschemas */
    RT_SCHEMA_KW_MAP,    /* an object whose values are subschemas */
    RT_SCHEMA_KW_DEPS,   /* an object whose values are subschemas or name lists */
};

typedef struct rt_schema_cc {
    rt_schema *s;
    rt_error *err;
    int failed;
    int draft; /* 4, 6 or 7 */
    rt_schema_resolver resolver;
    void *rdata;
    struct lh_table *nodes; /* json_object * -> rt_schema_node * */
    struct lh_table *index; /* URI (no fragment, or with a plain-name fragment) -> rt_schema_res */
    rt_schema_node *work_head, *work_tail;
    rt_schema_node *all;
    size_t nnodes;
} rt_schema_cc;

/* A schema resource or anchor known by URI. */
typedef struct rt_schema_res {
    struct json_object *obj;
    int draft;
    const char *scope; /* the base URI in effect inside obj */
    const char *where;
} rt_schema_res;

void *rt_schema_alloc(rt_schema *s, size_t size); /* zeroed, freed with the schema */
char *rt_schema_strdup(rt_schema *s, const char *str);
char *rt_schema_strndup(rt_schema *s, const char *str, size_t len);
/* Record a compile error "<where>: <message>" (the first one wins); returns 0. */
int rt_schema_cc_fail(rt_schema_cc *cc, const char *where, const char *fmt, ...)
    RATCHET_PRINTF(3, 4);
/* v as short JSON text in the arena, for messages. */
const char *rt_schema_cc_render(rt_schema_cc *cc, struct json_object *v);
/* Check and parse the keywords of n (schema_keywords.c); 0 after recording a failure. */
int rt_schema_compile_node(rt_schema_cc *cc, rt_schema_node *n);
/* where + "/" + escaped token, in the arena. */
const char *rt_schema_where_child(rt_schema_cc *cc, const char *where, const char *token);
const char *rt_schema_where_index(rt_schema_cc *cc, const char *where, size_t i);
/* The node for a subschema, created (and queued for compilation) on first sight. scope is the
 * base URI inside obj (after its own $id). */
rt_schema_node *rt_schema_node_get(rt_schema_cc *cc, struct json_object *obj, const char *scope,
                                   const char *where, int draft);
int rt_schema_keyword_kind(int draft, const char *key);
/* The base URI inside obj given the one around it ($id, or "id" in draft-04; ignored next to
 * "$ref"). NULL when out of memory. */
const char *rt_schema_scope_of(rt_schema_cc *cc, int draft, const char *base,
                               struct json_object *obj);
/* The "$id" (or draft-04 "id") string of a schema object that counts, else NULL. */
const char *rt_schema_id_of(int draft, struct json_object *obj);

/* schema_ref.c */
/* Register the main document (retrieval URI doc_uri, "" when none) and its identifiers. */
int rt_schema_ref_add_main(rt_schema_cc *cc, struct json_object *doc, const char *doc_uri);
/* Resolve a "$ref" (value ref, in a schema with base URI base, at where) to its node. */
rt_schema_node *rt_schema_ref_resolve(rt_schema_cc *cc, const char *ref, const char *base,
                                      const char *where);
/* RFC 3986 section 5.2 reference resolution; malloc'd result, NULL when out of memory. */
char *rt_schema_uri_resolve(const char *base, const char *ref);
/* The draft (4, 6, 7) a "$schema" URI names, 0 when it names none this validator knows. */
int rt_schema_draft_of(const char *uri);
/* The built-in meta-schema of a draft (4, 6, 7), a new reference; NULL when out of memory. */
struct json_object *rt_schema_meta_parse(int draft);

/* schema_validate.c is reached through rt_schema_validate() only. */

#endif
