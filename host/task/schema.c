/*
 * host/task/schema.c - compiling a JSON Schema: every subschema becomes an rt_schema_node with its
 * keywords checked and parsed, its "$ref" resolved to another node, its regexes compiled.
 *
 * Nodes are keyed by their json_object, so a subschema reached both in place and through
 * "$ref"s (or recursively) is compiled once, and a recursive schema is a cyclic graph of nodes.
 * Compilation works through a queue rather than recursion, so long "$ref" chains cost no stack;
 * nesting is bounded when the documents are scanned (schema_ref.c). A graph cycle that keeps
 * the same instance value (through "$ref", allOf, anyOf, oneOf, not, if/then/else or a schema
 * dependency) would make validation loop forever and is refused here.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/linkhash.h>

#include "schema_internal.h"

#define ARENA_BLOCK    16384
#define MAX_NODES      1000000 /* subschemas in one compiled schema */
#define MAX_LOOP_SHOWN 8       /* nodes named in a "$ref loop" message */
#define RENDER_MAX     80      /* bytes of a value quoted in a message */
#define WHERE_MAX      300     /* bytes of a schema location in a message */

struct rt_schema_block {
    rt_schema_block *next;
    size_t used, cap;
    max_align_t data[];
};

/* --- arena and small helpers ------------------------------------------------------------- */

void *rt_schema_alloc(rt_schema *s, size_t size)
{
    size = (size + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
    rt_schema_block *b = s->blocks;
    if (!b || b->cap - b->used < size) {
        size_t cap = size > ARENA_BLOCK ? size : ARENA_BLOCK;
        b = malloc(sizeof *b + cap);
        if (!b)
            return NULL;
        b->cap = cap;
        b->used = 0;
        b->next = s->blocks;
        s->blocks = b;
    }
    void *p = (char *)b->data + b->used;
    b->used += size;
    memset(p, 0, size);
    return p;
}

char *rt_schema_strndup(rt_schema *s, const char *str, size_t len)
{
    char *p = rt_schema_alloc(s, len + 1);
    if (p)
        memcpy(p, str, len);
    return p;
}

char *rt_schema_strdup(rt_schema *s, const char *str)
{
    return rt_schema_strndup(s, str, strlen(str));
}

const char *rt_schema_pointer_display(const char *pointer)
{
    return pointer && *pointer ? pointer : "(root)";
}

int rt_schema_cc_fail(rt_schema_cc *cc, const char *where, const char *fmt, ...)
{
    if (cc->failed)
        return 0;
    cc->failed = 1;
    ratchet_buf b = RATCHET_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    const char *w = where ? rt_schema_pointer_display(where) : "(schema)";
    size_t wlen = strlen(w);
    if (wlen > WHERE_MAX) /* keep the message's end in the fixed-size rt_error */
        rt_buf_printf(&b, "%.*s...%s: ", WHERE_MAX / 2, w, w + wlen - WHERE_MAX / 2);
    else
        rt_buf_printf(&b, "%s: ", w);
    rt_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    rt_fail(cc->err, "%s", b.data ? b.data : "out of memory");
    rt_buf_free(&b);
    return 0;
}

const char *rt_schema_where_child(rt_schema_cc *cc, const char *where, const char *token)
{
    if (!where)
        return NULL;
    ratchet_buf b = RATCHET_BUF_INIT;
    rt_buf_puts(&b, where);
    rt_buf_puts(&b, "/");
    for (const char *p = token; *p; p++)
        rt_buf_puts(&b, *p == '~' ? "~0" : *p == '/' ? "~1" : (char[2]){*p, '\0'});
    const char *w = b.data ? rt_schema_strndup(cc->s, b.data, b.len) : NULL;
    rt_buf_free(&b);
    return w;
}

const char *rt_schema_where_index(rt_schema_cc *cc, const char *where, size_t i)
{
    char num[24];
    snprintf(num, sizeof num, "%zu", i);
    return rt_schema_where_child(cc, where, num);
}

/* v as a short JSON text in the arena, for messages. */
const char *rt_schema_cc_render(rt_schema_cc *cc, struct json_object *v)
{
    ratchet_buf b = RATCHET_BUF_INIT;
    rt_schema_render(&b, v, RENDER_MAX);
    const char *t = b.data ? rt_schema_strndup(cc->s, b.data, b.len) : "(out of memory)";
    rt_buf_free(&b);
    return t ? t : "(out of memory)";
}

int rt_schema_keyword_kind(int draft, const char *key)
{
    static const struct {
        const char *name;
        int kind, since;
    } table[] = {
        {"additionalItems", RT_SCHEMA_KW_SCHEMA, 4},
        {"additionalProperties", RT_SCHEMA_KW_SCHEMA, 4},
        {"allOf", RT_SCHEMA_KW_ARRAY, 4},
        {"anyOf", RT_SCHEMA_KW_ARRAY, 4},
        {"contains", RT_SCHEMA_KW_SCHEMA, 6},
        {"definitions", RT_SCHEMA_KW_MAP, 4},
        {"dependencies", RT_SCHEMA_KW_DEPS, 4},
        {"else", RT_SCHEMA_KW_SCHEMA, 7},
        {"if", RT_SCHEMA_KW_SCHEMA, 7},
        {"items", RT_SCHEMA_KW_ITEMS, 4},
        {"not", RT_SCHEMA_KW_SCHEMA, 4},
        {"oneOf", RT_SCHEMA_KW_ARRAY, 4},
        {"patternProperties", RT_SCHEMA_KW_MAP, 4},
        {"properties", RT_SCHEMA_KW_MAP, 4},
        {"propertyNames", RT_SCHEMA_KW_SCHEMA, 6},
        {"then", RT_SCHEMA_KW_SCHEMA, 7},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (strcmp(key, table[i].name) == 0)
            return draft >= table[i].since ? table[i].kind : RT_SCHEMA_KW_OTHER;
    return RT_SCHEMA_KW_OTHER;
}

rt_schema_node *rt_schema_node_get(rt_schema_cc *cc, struct json_object *obj, const char *scope,
                                   const char *where, int draft)
{
    void *found = NULL;
    if (lh_table_lookup_ex(cc->nodes, obj, &found))
        return found;
    if (cc->nnodes >= MAX_NODES) {
        rt_schema_cc_fail(cc, where, "more than %d subschemas", MAX_NODES);
        return NULL;
    }
    rt_schema_node *n = rt_schema_alloc(cc->s, sizeof *n);
    if (!n || !where || !scope || lh_table_insert(cc->nodes, obj, n) != 0) {
        rt_schema_cc_fail(cc, where, "out of memory");
        return NULL;
    }
    n->obj = obj;
    n->where = where;
    n->base = scope;
    n->draft = draft;
    n->always =
        json_object_is_type(obj, json_type_boolean) ? json_object_get_boolean(obj) != 0 : -1;
    n->max_length = n->min_length = n->max_items = n->min_items = -1;
    n->max_props = n->min_props = -1;
    n->format = -1;
    if (cc->work_tail)
        cc->work_tail->next_work = n;
    else
        cc->work_head = n;
    cc->work_tail = n;
    n->next_all = cc->all;
    cc->all = n;
    cc->nnodes++;
    return n;
}

/* --- loops without progress ----------------------------------------------------------------- */

/* The i-th subschema n applies to the same instance value, or NULL past the last. */
static rt_schema_node *same_value_edge(const rt_schema_node *n, size_t i)
{
    if (n->always >= 0)
        return NULL;
    if (n->ref)
        return i == 0 ? n->ref : NULL;
    rt_schema_node *const *lists[] = {n->all_of, n->any_of, n->one_of};
    const size_t counts[] = {n->nall_of, n->nany_of, n->none_of};
    for (size_t l = 0; l < 3; l++) {
        if (i < counts[l])
            return lists[l][i];
        i -= counts[l];
    }
    if (n->not_ && i-- == 0)
        return n->not_;
    if (n->if_ && i-- == 0)
        return n->if_;
    if (n->then_ && i-- == 0)
        return n->then_;
    if (n->else_ && i-- == 0)
        return n->else_;
    for (size_t d = 0; d < n->ndeps; d++) {
        if (n->deps[d].node && i-- == 0)
            return n->deps[d].node;
    }
    return NULL;
}

static int report_loop(rt_schema_cc *cc, rt_schema_node **stack, size_t from, size_t top)
{
    ratchet_buf b = RATCHET_BUF_INIT;
    for (size_t i = from; i <= top; i++) {
        if (i - from == MAX_LOOP_SHOWN) {
            rt_buf_puts(&b, " -> ...");
            break;
        }
        rt_buf_printf(&b, "%s%s", i == from ? "" : " -> ",
                      rt_schema_pointer_display(stack[i]->where));
    }
    rt_buf_printf(&b, " -> %s", rt_schema_pointer_display(stack[from]->where));
    rt_schema_cc_fail(cc, stack[from]->where,
                      "$ref loop without progress: %s (each applies the next to the same value, "
                      "so validation would never end)",
                      b.data ? b.data : "");
    rt_buf_free(&b);
    return 0;
}

/* Depth-first search over same-value edges; mark 1 = on the stack, 2 = done. */
static int check_loops(rt_schema_cc *cc)
{
    rt_schema_node **stack = malloc((cc->nnodes + 1) * sizeof *stack);
    size_t *next = malloc((cc->nnodes + 1) * sizeof *next);
    if (!stack || !next) {
        free(stack);
        free(next);
        return rt_schema_cc_fail(cc, NULL, "out of memory");
    }
    int ok = 1;
    for (rt_schema_node *start = cc->all; ok && start; start = start->next_all) {
        if (start->mark)
            continue;
        size_t top = 0;
        stack[0] = start;
        next[0] = 0;
        start->mark = 1;
        while (ok) {
            rt_schema_node *e = same_value_edge(stack[top], next[top]++);
            if (!e) {
                stack[top]->mark = 2;
                if (top == 0)
                    break;
                top--;
            } else if (e->mark == 1) {
                size_t from = top;
                while (from > 0 && stack[from] != e) /* e is on the stack: mark 1 */
                    from--;
                ok = report_loop(cc, stack, from, top);
            } else if (e->mark == 0) {
                e->mark = 1;
                stack[++top] = e;
                next[top] = 0;
            }
        }
    }
    free(stack);
    free(next);
    return ok;
}

/* --- public API ---------------------------------------------------------------------------- */

static int hold_doc(rt_schema *s, struct json_object *doc)
{
    s->docs = malloc(4 * sizeof *s->docs);
    if (!s->docs)
        return 0;
    s->capdocs = 4;
    s->docs[s->ndocs++] = json_object_get(doc);
    return 1;
}

rt_schema *rt_schema_compile(struct json_object *schema, const char *base_uri,
                             rt_schema_resolver resolver, void *rdata, rt_error *err)
{
    rt_schema *s = calloc(1, sizeof *s);
    if (!s || !hold_doc(s, schema)) {
        rt_fail(err, "out of memory");
        free(s);
        return NULL;
    }
    rt_schema_cc cc = {s, err, 0, 7, resolver, rdata, NULL, NULL, NULL, NULL, NULL, 0};
    cc.nodes = lh_kptr_table_new(64, NULL);
    cc.index = lh_kchar_table_new(16, NULL);
    const char *doc_uri = "";
    if (base_uri) {
        const char *hash = strchr(base_uri, '#');
        doc_uri =
            rt_schema_strndup(s, base_uri, hash ? (size_t)(hash - base_uri) : strlen(base_uri));
    }
    if (!cc.nodes || !cc.index || !doc_uri) {
        rt_schema_cc_fail(&cc, NULL, "out of memory");
    } else if (!json_object_is_type(schema, json_type_object) &&
               !json_object_is_type(schema, json_type_boolean)) {
        rt_schema_cc_fail(&cc, "", "a schema must be an object or a boolean, got %s",
                          rt_schema_cc_render(&cc, schema));
    } else if (rt_schema_ref_add_main(&cc, schema, doc_uri)) {
        if (cc.draft == 4 && json_object_is_type(schema, json_type_boolean))
            rt_schema_cc_fail(&cc, "", "a draft-04 schema must be an object");
        const char *scope = rt_schema_scope_of(&cc, cc.draft, doc_uri, schema);
        s->root = cc.failed ? NULL : rt_schema_node_get(&cc, schema, scope, "", cc.draft);
        while (!cc.failed && cc.work_head) {
            rt_schema_node *n = cc.work_head;
            cc.work_head = n->next_work;
            if (!cc.work_head)
                cc.work_tail = NULL;
            rt_schema_compile_node(&cc, n);
        }
        if (!cc.failed)
            check_loops(&cc);
    }
    if (cc.nodes)
        lh_table_free(cc.nodes);
    if (cc.index)
        lh_table_free(cc.index);
    if (cc.failed) {
        rt_schema_free(s);
        return NULL;
    }
    return s;
}

void rt_schema_free(rt_schema *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nregexes; i++)
        rt_schema_regex_free(s->regexes[i]);
    free(s->regexes);
    for (size_t i = 0; i < s->ndocs; i++)
        json_object_put(s->docs[i]);
    free(s->docs);
    while (s->blocks) {
        rt_schema_block *next = s->blocks->next;
        free(s->blocks);
        s->blocks = next;
    }
    free(s);
}
