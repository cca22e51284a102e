/* host/core/yaml.c - ratchet.yaml into an rt_node tree with libyaml's event parser; node
 * helpers. */
#define _POSIX_C_SOURCE 200809L

#include "rt_yaml.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* libyaml's <yaml.h>, which our own host/yaml.h shadows (see rt_libyaml.h). */
#include <yaml.h>

#define CORE_TAG "tag:yaml.org,2002:"

/* ---- nodes ---------------------------------------------------------------------------- */

static rt_node *node_new(ratchet_node_kind kind, const char *where)
{
    rt_node *n = calloc(1, sizeof *n);
    if (!n)
        return NULL;
    n->kind = kind;
    if (where && !(n->where = strdup(where))) {
        free(n);
        return NULL;
    }
    return n;
}

rt_node *rt_node_new_scalar(const char *text, const char *where)
{
    rt_node *n = node_new(RATCHET_NODE_SCALAR, where);
    if (n && !(n->scalar = strdup(text ? text : ""))) {
        rt_node_free(n);
        return NULL;
    }
    if (n)
        n->plain = 1;
    return n;
}

rt_node *rt_node_new_map(const char *where)
{
    return node_new(RATCHET_NODE_MAP, where);
}

rt_node *rt_node_new_seq(const char *where)
{
    return node_new(RATCHET_NODE_SEQUENCE, where);
}

/* Capacity is implied by count (4, then powers of two), so the struct needs no cap field. */
static int needs_growth(size_t count)
{
    return count == 0 || (count >= 4 && (count & (count - 1)) == 0);
}

static size_t grown_cap(size_t count)
{
    return count == 0 ? 4 : count * 2;
}

static ratchet_status grow_items(rt_node *n)
{
    if (!needs_growth(n->count))
        return RATCHET_OK;
    size_t cap = grown_cap(n->count);
    if (cap > SIZE_MAX / sizeof(void *))
        return RATCHET_NOMEM;
    rt_node **items = realloc(n->items, cap * sizeof *items);
    if (!items)
        return RATCHET_NOMEM;
    n->items = items;
    if (n->kind != RATCHET_NODE_MAP)
        return RATCHET_OK;
    /* A failure after the first realloc leaves larger arrays but an unchanged count. */
    char **keys = realloc(n->keys, cap * sizeof *keys);
    if (!keys)
        return RATCHET_NOMEM;
    n->keys = keys;
    char **kw = realloc(n->key_where, cap * sizeof *kw);
    if (!kw)
        return RATCHET_NOMEM;
    n->key_where = kw;
    return RATCHET_OK;
}

/* Append a pair without looking for an existing key; takes ownership of key_where. */
static ratchet_status map_append(rt_node *map, const char *key, char *key_where, rt_node *value)
{
    char *k = NULL;
    if (grow_items(map) != RATCHET_OK || !(k = strdup(key))) {
        free(key_where);
        rt_node_free(value);
        return RATCHET_NOMEM;
    }
    map->keys[map->count] = k;
    map->key_where[map->count] = key_where;
    map->items[map->count] = value;
    map->count++;
    return RATCHET_OK;
}

ratchet_status rt_node_map_set(rt_node *map, const char *key, rt_node *value)
{
    if (!map || map->kind != RATCHET_NODE_MAP || !key || !value) {
        rt_node_free(value);
        return RATCHET_ERR;
    }
    for (size_t i = 0; i < map->count; i++) {
        if (strcmp(map->keys[i], key) == 0) {
            rt_node_free(map->items[i]);
            map->items[i] = value;
            /* The key now stands for a value from elsewhere; point messages at the value. */
            free(map->key_where[i]);
            map->key_where[i] = NULL;
            return RATCHET_OK;
        }
    }
    return map_append(map, key, NULL, value);
}

ratchet_status rt_node_seq_push(rt_node *seq, rt_node *value)
{
    if (!seq || seq->kind != RATCHET_NODE_SEQUENCE || !value) {
        rt_node_free(value);
        return RATCHET_ERR;
    }
    if (grow_items(seq) != RATCHET_OK) {
        rt_node_free(value);
        return RATCHET_NOMEM;
    }
    seq->items[seq->count++] = value;
    return RATCHET_OK;
}

void rt_node_free(rt_node *node)
{
    if (!node)
        return;
    for (size_t i = 0; i < node->count; i++) {
        rt_node_free(node->items[i]);
        if (node->kind == RATCHET_NODE_MAP) {
            free(node->keys[i]);
            free(node->key_where[i]);
        }
    }
    free(node->items);
    free(node->keys);
    free(node->key_where);
    free(node->scalar);
    free(node->where);
    free(node);
}

ratchet_node_kind rt_node_kind(const rt_node *n)
{
    return n ? n->kind : RATCHET_NODE_NONE;
}

const char *rt_node_scalar(const rt_node *n)
{
    return n && n->kind == RATCHET_NODE_SCALAR ? n->scalar : NULL;
}

size_t rt_node_count(const rt_node *n)
{
    return n && (n->kind == RATCHET_NODE_MAP || n->kind == RATCHET_NODE_SEQUENCE) ? n->count : 0;
}

const rt_node *rt_node_at(const rt_node *n, size_t i)
{
    return i < rt_node_count(n) ? n->items[i] : NULL;
}

const char *rt_node_key_at(const rt_node *n, size_t i)
{
    return n && n->kind == RATCHET_NODE_MAP && i < n->count ? n->keys[i] : NULL;
}

const rt_node *rt_node_get(const rt_node *n, const char *key)
{
    if (!n || n->kind != RATCHET_NODE_MAP || !key)
        return NULL;
    for (size_t i = 0; i < n->count; i++)
        if (strcmp(n->keys[i], key) == 0)
            return n->items[i];
    return NULL;
}

const char *rt_node_where(const rt_node *n)
{
    if (!n)
        return "(absent)";
    return n->where ? n->where : "(built-in)";
}

const char *rt_node_key_where(const rt_node *n, size_t i)
{
    if (!n || n->kind != RATCHET_NODE_MAP || i >= n->count)
        return rt_node_where(NULL);
    return n->key_where[i] ? n->key_where[i] : rt_node_where(n->items[i]);
}

/* ---- parsing -------------------------------------------------------------------------- */

typedef struct parse_state {
    yaml_parser_t parser;
    const char *file;
    const char *text;
    size_t len;
    rt_error *err;
} parse_state;

/* Open-addressing index of a map's keys under construction, so that duplicate detection stays
 * linear even for a map with 100k keys (the 1 MiB bound allows that many). */
typedef struct key_slot {
    size_t index; /* into map->keys, plus one; 0 = empty */
    int line;
} key_slot;

typedef struct key_index {
    key_slot *slots;
    size_t cap;
} key_index;

static size_t hash_str(const char *s)
{
    size_t h = (size_t)2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * (size_t)16777619u;
    return h;
}

static ratchet_status fail_at(parse_state *p, yaml_mark_t mark, const char *fmt, ...)
    RATCHET_PRINTF(3, 4);

static ratchet_status fail_at(parse_state *p, yaml_mark_t mark, const char *fmt, ...)
{
    char what[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return rt_fail(p->err, "%s:%zu:%zu: %s", p->file, mark.line + 1, mark.column + 1, what);
}

/* Line and column (0-based, in characters) of a byte offset: libyaml's reader errors carry
 * only the offset. */
static yaml_mark_t mark_of_offset(const parse_state *p, size_t offset)
{
    yaml_mark_t m = {offset, 0, 0};
    for (size_t i = 0; i < offset && i < p->len; i++) {
        unsigned char c = (unsigned char)p->text[i];
        if (c == '\n') {
            m.line++;
            m.column = 0;
        } else if ((c & 0xC0) != 0x80) {
            m.column++;
        }
    }
    return m;
}

static ratchet_status fail_libyaml(parse_state *p)
{
    yaml_parser_t *y = &p->parser;
    const char *problem = y->problem ? y->problem : "unknown error";
    switch (y->error) {
    case YAML_MEMORY_ERROR:
        return rt_fail(p->err, "%s: out of memory", p->file);
    case YAML_READER_ERROR:
        if (y->problem_value != -1)
            return fail_at(p, mark_of_offset(p, y->problem_offset), "%s (byte 0x%02X)", problem,
                           (unsigned)y->problem_value & 0xFFu);
        return fail_at(p, mark_of_offset(p, y->problem_offset), "%s", problem);
    default:
        if (y->context)
            return fail_at(p, y->problem_mark, "%s (%s at line %zu, column %zu)", problem,
                           y->context, y->context_mark.line + 1, y->context_mark.column + 1);
        return fail_at(p, y->problem_mark, "%s", problem);
    }
}

static ratchet_status next_event(parse_state *p, yaml_event_t *ev)
{
    if (!yaml_parser_parse(&p->parser, ev))
        return fail_libyaml(p);
    return RATCHET_OK;
}

static char *where_of(const parse_state *p, yaml_mark_t mark)
{
    int n = snprintf(NULL, 0, "%s:%zu:%zu", p->file, mark.line + 1, mark.column + 1);
    char *w = n < 0 ? NULL : malloc((size_t)n + 1);
    if (w)
        snprintf(w, (size_t)n + 1, "%s:%zu:%zu", p->file, mark.line + 1, mark.column + 1);
    return w;
}

/* Refuse anchors and tags we do not understand; note whether a tag forces a string. */
static ratchet_status check_props(parse_state *p, const yaml_event_t *ev, const char *anchor,
                                  const char *tag, int *force_str)
{
    /* The core schema's tags, each on the kind of node it can label. */
    static const struct {
        const char *tag;
        yaml_event_type_t on;
    } core[] = {
        {CORE_TAG "str", YAML_SCALAR_EVENT},        {CORE_TAG "null", YAML_SCALAR_EVENT},
        {CORE_TAG "bool", YAML_SCALAR_EVENT},       {CORE_TAG "int", YAML_SCALAR_EVENT},
        {CORE_TAG "float", YAML_SCALAR_EVENT},      {CORE_TAG "seq", YAML_SEQUENCE_START_EVENT},
        {CORE_TAG "map", YAML_MAPPING_START_EVENT},
    };
    if (anchor)
        return fail_at(p, ev->start_mark, "anchors are not supported (found '&%s')", anchor);
    if (!tag)
        return RATCHET_OK;
    /* "!" (the non-specific tag) and !!str make a string, whatever the text looks like. */
    if (strcmp(tag, "!") == 0 && ev->type == YAML_SCALAR_EVENT) {
        *force_str = 1;
        return RATCHET_OK;
    }
    for (size_t i = 0; i < sizeof core / sizeof *core; i++) {
        if (ev->type == core[i].on && strcmp(tag, core[i].tag) == 0) {
            *force_str = i == 0;
            return RATCHET_OK;
        }
    }
    return fail_at(p, ev->start_mark, "unsupported tag '%s'", tag);
}

static rt_node *parse_node(parse_state *p, yaml_event_t *ev, int depth);

/* Give a freshly made node (NULL: allocation failed) its position in the file. On failure the
 * node is freed and the error set. */
static rt_node *place(parse_state *p, rt_node *n, yaml_mark_t mark)
{
    char *where = n ? where_of(p, mark) : NULL;
    if (!where) {
        rt_node_free(n);
        rt_fail(p->err, "%s: out of memory", p->file);
        return NULL;
    }
    free(n->where);
    n->where = where;
    n->line = (int)mark.line + 1;
    n->column = (int)mark.column + 1;
    return n;
}

static rt_node *parse_scalar(parse_state *p, yaml_event_t *ev)
{
    int force_str = 0;
    if (check_props(p, ev, (const char *)ev->data.scalar.anchor, (const char *)ev->data.scalar.tag,
                    &force_str) != RATCHET_OK)
        return NULL;
    const char *value = (const char *)ev->data.scalar.value;
    if (strlen(value) != ev->data.scalar.length) {
        fail_at(p, ev->start_mark, "NUL characters are not supported in strings");
        return NULL;
    }
    rt_node *n = place(p, rt_node_new_scalar(value, NULL), ev->start_mark);
    if (n)
        n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && !force_str;
    return n;
}

static rt_node *new_collection(parse_state *p, const yaml_event_t *ev, ratchet_node_kind kind,
                               int depth)
{
    int force_str = 0;
    const char *anchor, *tag;
    if (kind == RATCHET_NODE_MAP) {
        anchor = (const char *)ev->data.mapping_start.anchor;
        tag = (const char *)ev->data.mapping_start.tag;
    } else {
        anchor = (const char *)ev->data.sequence_start.anchor;
        tag = (const char *)ev->data.sequence_start.tag;
    }
    if (check_props(p, ev, anchor, tag, &force_str) != RATCHET_OK)
        return NULL;
    if (depth >= RT_YAML_MAX_DEPTH) {
        fail_at(p, ev->start_mark, "nesting is deeper than %d levels", RT_YAML_MAX_DEPTH);
        return NULL;
    }
    return place(p, node_new(kind, NULL), ev->start_mark);
}

static rt_node *parse_seq(parse_state *p, yaml_event_t *start, int depth)
{
    rt_node *seq = new_collection(p, start, RATCHET_NODE_SEQUENCE, depth);
    while (seq) {
        yaml_event_t ev;
        if (next_event(p, &ev) != RATCHET_OK)
            break;
        if (ev.type == YAML_SEQUENCE_END_EVENT) {
            yaml_event_delete(&ev);
            return seq;
        }
        rt_node *item = parse_node(p, &ev, depth + 1);
        if (!item)
            break;
        if (rt_node_seq_push(seq, item) != RATCHET_OK) {
            rt_fail(p->err, "%s: out of memory", p->file);
            break;
        }
    }
    rt_node_free(seq);
    return NULL;
}

/* Add key (at index map->count) to the index; if already present return the slot holding it. */
static ratchet_status index_key(key_index *ix, const rt_node *map, const char *key, int line,
                                const key_slot **dup)
{
    if ((map->count + 1) * 2 > ix->cap) {
        size_t cap = ix->cap ? ix->cap * 2 : 16;
        key_slot *slots = calloc(cap, sizeof *slots);
        if (!slots)
            return RATCHET_NOMEM;
        for (size_t i = 0; i < ix->cap; i++) {
            if (!ix->slots[i].index)
                continue;
            size_t h = hash_str(map->keys[ix->slots[i].index - 1]) & (cap - 1);
            while (slots[h].index)
                h = (h + 1) & (cap - 1);
            slots[h] = ix->slots[i];
        }
        free(ix->slots);
        ix->slots = slots;
        ix->cap = cap;
    }
    size_t h = hash_str(key) & (ix->cap - 1);
    for (; ix->slots[h].index; h = (h + 1) & (ix->cap - 1)) {
        if (strcmp(map->keys[ix->slots[h].index - 1], key) == 0) {
            *dup = &ix->slots[h];
            return RATCHET_OK;
        }
    }
    ix->slots[h].index = map->count + 1;
    ix->slots[h].line = line;
    *dup = NULL;
    return RATCHET_OK;
}

/* Read one key/value pair of a map whose key event `kev` has been read. */
static ratchet_status parse_pair(parse_state *p, rt_node *map, key_index *ix, yaml_event_t *kev,
                                 int depth)
{
    if (kev->type == YAML_MAPPING_START_EVENT || kev->type == YAML_SEQUENCE_START_EVENT)
        return fail_at(p, kev->start_mark, "a mapping key must be a scalar, not a %s",
                       kev->type == YAML_MAPPING_START_EVENT ? "mapping" : "sequence");
    if (kev->type == YAML_ALIAS_EVENT)
        return fail_at(p, kev->start_mark, "aliases are not supported");
    rt_node *key = parse_scalar(p, kev);
    if (!key)
        return RATCHET_ERR;
    const key_slot *dup;
    if (index_key(ix, map, key->scalar, key->line, &dup) != RATCHET_OK) {
        rt_node_free(key);
        return rt_fail(p->err, "%s: out of memory", p->file);
    }
    if (dup) {
        fail_at(p, kev->start_mark, "duplicate key '%s' (first at line %d)", key->scalar,
                dup->line);
        rt_node_free(key);
        return RATCHET_ERR;
    }
    yaml_event_t vev;
    rt_node *value = NULL;
    if (next_event(p, &vev) == RATCHET_OK)
        value = parse_node(p, &vev, depth + 1);
    if (!value) {
        rt_node_free(key);
        return RATCHET_ERR;
    }
    char *kw = key->where;
    key->where = NULL;
    ratchet_status rc = map_append(map, key->scalar, kw, value);
    rt_node_free(key);
    if (rc != RATCHET_OK)
        return rt_fail(p->err, "%s: out of memory", p->file);
    return RATCHET_OK;
}

static rt_node *parse_map(parse_state *p, yaml_event_t *start, int depth)
{
    rt_node *map = new_collection(p, start, RATCHET_NODE_MAP, depth);
    key_index ix = {NULL, 0};
    while (map) {
        yaml_event_t ev;
        if (next_event(p, &ev) != RATCHET_OK)
            break;
        if (ev.type == YAML_MAPPING_END_EVENT) {
            yaml_event_delete(&ev);
            free(ix.slots);
            return map;
        }
        ratchet_status rc = parse_pair(p, map, &ix, &ev, depth);
        yaml_event_delete(&ev);
        if (rc != RATCHET_OK)
            break;
    }
    free(ix.slots);
    rt_node_free(map);
    return NULL;
}

/* Build the node that starts with `ev` (consumed here) at nesting `depth`. */
static rt_node *parse_node(parse_state *p, yaml_event_t *ev, int depth)
{
    rt_node *n = NULL;
    switch (ev->type) {
    case YAML_SCALAR_EVENT:
        n = parse_scalar(p, ev);
        break;
    case YAML_SEQUENCE_START_EVENT:
        n = parse_seq(p, ev, depth);
        break;
    case YAML_MAPPING_START_EVENT:
        n = parse_map(p, ev, depth);
        break;
    case YAML_ALIAS_EVENT:
        fail_at(p, ev->start_mark, "aliases are not supported");
        break;
    default:
        fail_at(p, ev->start_mark, "unexpected YAML event %d", (int)ev->type);
        break;
    }
    yaml_event_delete(ev);
    return n;
}

static int is_null_text(const char *s)
{
    return !*s || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") || !strcmp(s, "NULL");
}

/* The single document's root (an empty document reads as an empty map). */
static rt_node *parse_document(parse_state *p, yaml_event_t *doc_start)
{
    yaml_mark_t at = doc_start->start_mark;
    yaml_event_t ev;
    if (next_event(p, &ev) != RATCHET_OK)
        return NULL;
    rt_node *root = parse_node(p, &ev, 0);
    if (!root)
        return NULL;
    if (root->kind == RATCHET_NODE_SCALAR && root->plain && is_null_text(root->scalar)) {
        rt_node_free(root);
        char *where = where_of(p, at);
        root = where ? rt_node_new_map(where) : NULL;
        free(where);
        if (!root) {
            rt_fail(p->err, "%s: out of memory", p->file);
            return NULL;
        }
    }
    if (next_event(p, &ev) != RATCHET_OK) {
        rt_node_free(root);
        return NULL;
    }
    yaml_event_delete(&ev); /* DOCUMENT-END: libyaml guarantees it here */
    if (next_event(p, &ev) != RATCHET_OK) {
        rt_node_free(root);
        return NULL;
    }
    if (ev.type != YAML_STREAM_END_EVENT) {
        fail_at(p, ev.start_mark, "only one YAML document is allowed (found a second one)");
        yaml_event_delete(&ev);
        rt_node_free(root);
        return NULL;
    }
    yaml_event_delete(&ev);
    return root;
}

rt_node *rt_yaml_parse(const char *text, size_t len, const char *filename, rt_error *err)
{
    parse_state p;
    memset(&p, 0, sizeof p);
    p.file = filename ? filename : "<input>";
    p.text = text ? text : "";
    p.len = text ? len : 0;
    p.err = err;
    if (p.len > RT_YAML_MAX_BYTES) {
        rt_fail(err, "%s: file is larger than 1 MiB", p.file);
        return NULL;
    }
    if (!yaml_parser_initialize(&p.parser)) {
        rt_fail(err, "%s: out of memory", p.file);
        return NULL;
    }
    yaml_parser_set_input_string(&p.parser, (const unsigned char *)p.text, p.len);
    rt_node *root = NULL;
    yaml_event_t ev;
    if (next_event(&p, &ev) == RATCHET_OK) { /* STREAM-START */
        yaml_event_delete(&ev);
        if (next_event(&p, &ev) == RATCHET_OK) {
            if (ev.type == YAML_STREAM_END_EVENT) {
                yaml_mark_t start = {0, 0, 0}; /* nothing but comments: point at the top */
                char *where = where_of(&p, start);
                root = where ? rt_node_new_map(where) : NULL;
                free(where);
                if (!root)
                    rt_fail(err, "%s: out of memory", p.file);
            } else {
                root = parse_document(&p, &ev);
            }
            yaml_event_delete(&ev);
        }
    }
    yaml_parser_delete(&p.parser);
    return root;
}

rt_node *rt_yaml_load_file(const char *path, rt_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        rt_fail(err, "cannot read %s: %s", path, strerror(errno));
        return NULL;
    }
    /* One byte more than allowed tells "exactly 1 MiB" from "larger". */
    char *text = malloc((size_t)RT_YAML_MAX_BYTES + 1);
    if (!text) {
        fclose(f);
        rt_fail(err, "cannot read %s: out of memory", path);
        return NULL;
    }
    size_t len = fread(text, 1, (size_t)RT_YAML_MAX_BYTES + 1, f);
    int failed = ferror(f);
    int saved = errno;
    fclose(f);
    rt_node *root = NULL;
    if (failed)
        rt_fail(err, "cannot read %s: %s", path, strerror(saved));
    else if (len > RT_YAML_MAX_BYTES)
        rt_fail(err, "%s: file is larger than 1 MiB", path);
    else
        root = rt_yaml_parse(text, len, path, err);
    free(text);
    return root;
}
