/*
 * host/core/rt_yaml.h - ratchet.yaml as a tree of nodes (libyaml stays inside yaml.c).
 *
 * struct ratchet_node is the host's concrete node type behind the opaque SDK handle. Every
 * node records where it was written (file, line, column: 1-based) or, for values injected
 * from the environment, the variable's name, so every configuration error can say where.
 */
#ifndef RT_YAML_H
#define RT_YAML_H

#include "error.h"
#include "ratchet/host.h"

struct ratchet_node {
    ratchet_node_kind kind;
    char *scalar;                /* SCALAR: the text (never NULL for scalars) */
    int plain;                   /* SCALAR: written unquoted (so `null`, `~` mean null) */
    size_t count;                /* SEQUENCE items / MAP pairs */
    char **keys;                 /* MAP: keys[i] */
    struct ratchet_node **items; /* SEQUENCE: items[i]; MAP: values[i] */
    char **key_where;            /* MAP: where keys[i] was written; NULL entries for keys set
                                  * in code (then the value's `where` stands in) */
    char *where;                 /* "file:line:col" or "environment variable NAME" */
    int line, column;            /* 0 when not from a file */
};

typedef struct ratchet_node rt_node;

#define RT_YAML_MAX_BYTES (1024 * 1024)
#define RT_YAML_MAX_DEPTH 64

/* Parse one YAML document. An empty document gives an empty map. Anchors/aliases, tags other
 * than the core ones, multiple documents, duplicate keys and non-scalar keys are errors. Input
 * is bounded (1 MiB, nesting depth 64). On error: NULL and err->msg = "file:line:col: what". */
rt_node *rt_yaml_parse(const char *text, size_t len, const char *filename, rt_error *err);
rt_node *rt_yaml_load_file(const char *path, rt_error *err);

/* Constructors for nodes made in code (defaults, environment overrides). `where` is copied
 * (NULL reads as "(built-in)"). Scalars start with plain = 1, read as if written unquoted
 * (so "", "~" and "null" mean null, and "7" is emitted as 7); set node->plain = 0 for text
 * that must stay a string. NULL on allocation failure. */
rt_node *rt_node_new_scalar(const char *text, const char *where);
rt_node *rt_node_new_map(const char *where);
rt_node *rt_node_new_seq(const char *where);
/* Set key in a map, replacing (and freeing) an existing value. Takes ownership of value,
 * also on failure (RATCHET_ERR when map is not a map, RATCHET_NOMEM: value is freed). */
ratchet_status rt_node_map_set(rt_node *map, const char *key, rt_node *value);
/* Append to a sequence; takes ownership of value (freed on failure, as above). */
ratchet_status rt_node_seq_push(rt_node *seq, rt_node *value);
void rt_node_free(rt_node *node);

/* SDK accessors (NULL-safe), also used by the host. */
ratchet_node_kind rt_node_kind(const rt_node *n);
const char *rt_node_scalar(const rt_node *n);
size_t rt_node_count(const rt_node *n);
const rt_node *rt_node_at(const rt_node *n, size_t i);
const char *rt_node_key_at(const rt_node *n, size_t i);
const rt_node *rt_node_get(const rt_node *n, const char *key);
const char *rt_node_where(const rt_node *n);
/* Where the i-th key of a map was written (the value's place for keys set in code). */
const char *rt_node_key_where(const rt_node *n, size_t i);

/* Write the tree as YAML (block style, keys in their order, strings quoted when needed), so
 * that parsing the output gives the same tree: the same texts; a plain scalar comes back
 * plain when its text can be written unquoted (always so for text from a parsed single-line
 * plain scalar); a quoted one that would read as null/bool/number comes back quoted (other
 * quoted strings may come back plain: they mean the same). Appends to out; on failure out
 * is left as it was. */
ratchet_status rt_yaml_emit(const rt_node *n, ratchet_buf *out);
/* Append one scalar as it would be emitted: plain when that reads back as the same text (and,
 * for !plain, not as a null/bool/number), else double-quoted with escapes. */
ratchet_status rt_yaml_emit_scalar(ratchet_buf *out, const char *text, int plain);

#endif
