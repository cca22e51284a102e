/*
 * host/task/task_yaml.c - the original's newer task format: meta.yaml beside the entry file.
 *
 *   name: addition            required, ^[A-Za-z0-9_-]+$ (or `label`, as in metadata.json)
 *   version: 1.0.0            required; any scalar, read as text (1.0 stays "1.0"), also in
 *                             t->metadata (the whole file as JSON)
 *   description: ...          optional; also label, uuid, tags (a list), as metadata.json
 *   entrypoint: task.js       optional, default task.js: a path inside the task folder
 *   runtime: nodejs           optional and ignored (there is one runtime), as other keys are
 *   inputs:                   optional: the input's fields in the short form (below)
 *     a: {type: number, description: First number, required: true}
 *     label: string           a field may be just its type
 *   outputs: {...}            the same for the output
 *   input_schema: {...}       instead of inputs: a whole JSON Schema written in YAML
 *   output_schema: {...}      instead of outputs
 *   test_cases:               optional tests, as tests/NAME.json files hold them; run
 *                             before those of tests/, in their order
 *     - {name: small, input: {a: 1, b: 2}, expected_output: {result: 3}}
 *
 * The short form becomes {"type": "object", "properties": {FIELD: SCHEMA, ...}, "required":
 * [the fields with required: true, in order]}; other properties are allowed. A field's SCHEMA
 * is its map with `required` taken out and `type: any` dropped; its keys must be JSON Schema
 * keywords of the list `field_keys` (their values are YAML turned into JSON: plain scalars
 * read as null, booleans and numbers per YAML 1.2's core schema, quoted ones as strings).
 * `type` is one of string, number, integer, boolean, object, array, null, any, or a list of
 * them. When meta.yaml gives no schema for a side, input.schema.json / output.schema.json
 * are read as for metadata.json; giving both is a problem.
 *
 * Problems name the file, the line and the key: "addition/meta.yaml:7: inputs.a.type: unknown
 * type \"nubmer\" (string, number, ...)".
 */
#include "task_int.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_layer.h"

#define YAML_DEFAULT_ENTRY "task.js"
#define YAML_PATH_MAX      256 /* bytes of a key path in messages */

static const char *const type_names[] = {"string", "number", "integer", "boolean",
                                         "object", "array",  "null",    "any"};

/* The keys a field of the short form may have besides `type` and `required`. */
static const char *const field_keys[] = {"description",
                                         "title",
                                         "default",
                                         "enum",
                                         "const",
                                         "examples",
                                         "format",
                                         "pattern",
                                         "minimum",
                                         "maximum",
                                         "exclusiveMinimum",
                                         "exclusiveMaximum",
                                         "multipleOf",
                                         "minLength",
                                         "maxLength",
                                         "minItems",
                                         "maxItems",
                                         "uniqueItems",
                                         "items",
                                         "properties",
                                         "additionalProperties",
                                         "minProperties",
                                         "maxProperties",
                                         "$ref",
                                         "oneOf",
                                         "anyOf",
                                         "allOf",
                                         "not",
                                         "deprecated",
                                         "readOnly",
                                         "writeOnly"};

typedef struct ymeta {
    const char *disp; /* "addition/meta.yaml" */
    rt_task_report *r;
} ymeta;

static void yproblem(const ymeta *y, const rt_node *n, const char *path, const char *fmt, ...)
    RATCHET_PRINTF(4, 5);
static void yproblem(const ymeta *y, const rt_node *n, const char *path, const char *fmt, ...)
{
    char what[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    if (n && n->line > 0)
        rt_task_report_add(y->r, "%s:%d: %s: %s", y->disp, n->line, path, what);
    else
        rt_task_report_add(y->r, "%s: %s: %s", y->disp, path, what);
}

static int in_list(const char *s, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(s, list[i]) == 0)
            return 1;
    return 0;
}

#define IN_LIST(s, list) in_list((s), (list), sizeof(list) / sizeof *(list))

/* A key path for messages ("inputs.count.type"), cut with "..." when it does not fit: deep
 * paths are rare, and their start says where. */
static void key_path(char *out, size_t cap, const char *fmt, ...) RATCHET_PRINTF(3, 4);
static void key_path(char *out, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(out, cap, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= cap)
        memcpy(out + cap - 4, "...", 4);
}

/* ---- YAML to JSON --------------------------------------------------------------------------- */

static int is_null_text(const char *s)
{
    return !*s || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") || !strcmp(s, "NULL");
}

/* A plain scalar as YAML 1.2's core schema reads it; quoted scalars are strings. */
static struct json_object *scalar_json(const rt_node *n)
{
    const char *s = n->scalar;
    if (!n->plain)
        return json_object_new_string(s);
    if (is_null_text(s))
        return NULL;
    if (!strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "TRUE"))
        return json_object_new_boolean(1);
    if (!strcmp(s, "false") || !strcmp(s, "False") || !strcmp(s, "FALSE"))
        return json_object_new_boolean(0);
    char *end;
    errno = 0;
    long long i = strtoll(s, &end, 10);
    if (*s && !*end && errno == 0 && s[strspn(s, "+-0123456789")] == '\0')
        return json_object_new_int64(i);
    double d = strtod(s, &end);
    /* Only decimal forms: strtod would also read "inf", "nan" and hexadecimal. */
    if (*s && !*end && s[strspn(s, "+-0123456789.eE")] == '\0' && isfinite(d))
        return json_object_new_double(d);
    return json_object_new_string(s);
}

struct json_object *rt_task_yaml_json(const rt_node *n)
{
    if (!n)
        return NULL;
    if (n->kind == RATCHET_NODE_SCALAR)
        return scalar_json(n);
    if (n->kind == RATCHET_NODE_SEQUENCE) {
        struct json_object *a = json_object_new_array();
        for (size_t i = 0; a && i < n->count; i++)
            json_object_array_add(a, rt_task_yaml_json(n->items[i]));
        return a;
    }
    struct json_object *o = json_object_new_object();
    for (size_t i = 0; o && i < n->count; i++)
        json_object_object_add(o, n->keys[i], rt_task_yaml_json(n->items[i]));
    return o;
}

/* ---- the short form ------------------------------------------------------------------------- */

/* A checked `type` value as JSON: its names as text (`type: null` is the type "null", not a
 * JSON null). */
static struct json_object *type_json(const rt_node *v)
{
    if (v->kind == RATCHET_NODE_SCALAR)
        return json_object_new_string(v->scalar);
    struct json_object *a = json_object_new_array();
    for (size_t i = 0; a && i < v->count; i++)
        json_object_array_add(a, json_object_new_string(v->items[i]->scalar));
    return a;
}

/* Check one `type` value; 1 when usable. */
static int check_type(const ymeta *y, const rt_node *v, const char *path)
{
    if (v->kind == RATCHET_NODE_SCALAR) {
        if (IN_LIST(v->scalar, type_names))
            return 1;
        yproblem(y, v, path,
                 "unknown type \"%.64s\" (string, number, integer, boolean, object, array, null "
                 "or any)",
                 v->scalar);
        return 0;
    }
    if (v->kind == RATCHET_NODE_SEQUENCE && v->count > 0) {
        int ok = 1;
        for (size_t i = 0; i < v->count; i++) {
            char sub[YAML_PATH_MAX];
            key_path(sub, sizeof sub, "%s[%zu]", path, i);
            if (v->items[i]->kind != RATCHET_NODE_SCALAR) {
                yproblem(y, v->items[i], sub, "must be a type name");
                ok = 0;
            } else if (!strcmp(v->items[i]->scalar, "any")) {
                yproblem(y, v->items[i], sub, "\"any\" cannot be one of several types");
                ok = 0;
            } else {
                ok &= check_type(y, v->items[i], sub);
            }
        }
        return ok;
    }
    yproblem(y, v, path, "must be a type name or a list of them");
    return 0;
}

/* One field of inputs/outputs into its JSON Schema; NULL after reporting. *required is set
 * from `required: true`. */
static struct json_object *short_field(const ymeta *y, const rt_node *f, const char *path,
                                       int *required)
{
    *required = 0;
    char sub[YAML_PATH_MAX];
    if (f->kind == RATCHET_NODE_SCALAR) { /* `name: string` */
        if (!check_type(y, f, path))
            return NULL;
        struct json_object *o = json_object_new_object();
        if (o && strcmp(f->scalar, "any") != 0)
            json_object_object_add(o, "type", json_object_new_string(f->scalar));
        return o;
    }
    if (f->kind != RATCHET_NODE_MAP) {
        yproblem(y, f, path, "must be a type name or a map {type, description, required, ...}");
        return NULL;
    }
    int ok = 1;
    struct json_object *o = json_object_new_object();
    for (size_t i = 0; o && i < f->count; i++) {
        const char *k = f->keys[i];
        const rt_node *v = f->items[i];
        key_path(sub, sizeof sub, "%s.%s", path, k);
        if (!strcmp(k, "type")) {
            if (!check_type(y, v, sub))
                ok = 0;
            else if (v->kind != RATCHET_NODE_SCALAR || strcmp(v->scalar, "any") != 0)
                json_object_object_add(o, "type", type_json(v));
        } else if (!strcmp(k, "required")) {
            struct json_object *b = v->kind == RATCHET_NODE_SCALAR ? scalar_json(v) : NULL;
            if (!json_object_is_type(b, json_type_boolean)) {
                yproblem(y, v, sub, "must be true or false");
                ok = 0;
            } else {
                *required = json_object_get_boolean(b);
            }
            json_object_put(b);
        } else if (IN_LIST(k, field_keys)) {
            json_object_object_add(o, k, rt_task_yaml_json(v));
        } else {
            yproblem(y, v, sub,
                     "unknown key (a field has type, description, required, default, enum and "
                     "the other JSON Schema keywords)");
            ok = 0;
        }
    }
    if (!ok) {
        json_object_put(o);
        return NULL;
    }
    return o;
}

/* inputs/outputs (a map of fields) into an object schema; NULL after reporting. */
static struct json_object *short_form(const ymeta *y, const rt_node *n, const char *key)
{
    if (n->kind == RATCHET_NODE_SCALAR && n->plain && is_null_text(n->scalar))
        return json_object_new_object(); /* `inputs:` with nothing: any value */
    if (n->kind != RATCHET_NODE_MAP) {
        yproblem(y, n, key, "must be a map of fields (NAME: TYPE or NAME: {type, ...})");
        return NULL;
    }
    struct json_object *props = json_object_new_object(), *req = json_object_new_array();
    int ok = props && req;
    /* Every field is checked, so that all their problems are reported at once. */
    for (size_t i = 0; props && req && i < n->count; i++) {
        char path[YAML_PATH_MAX];
        key_path(path, sizeof path, "%s.%s", key, n->keys[i]);
        int required;
        struct json_object *s = short_field(y, n->items[i], path, &required);
        if (!s) {
            ok = 0;
            continue;
        }
        json_object_object_add(props, n->keys[i], s);
        if (required)
            json_object_array_add(req, json_object_new_string(n->keys[i]));
    }
    if (!ok) {
        json_object_put(props);
        json_object_put(req);
        return NULL;
    }
    struct json_object *schema = json_object_new_object();
    json_object_object_add(schema, "type", json_object_new_string("object"));
    json_object_object_add(schema, "properties", props);
    if (json_object_array_length(req))
        json_object_object_add(schema, "required", req);
    else
        json_object_put(req);
    return schema;
}

/* ---- the file ------------------------------------------------------------------------------- */

/* A scalar field read as text; NULL when absent. Reports a non-scalar. */
static const char *text_field(const ymeta *y, const rt_node *root, const char *key, int *bad)
{
    const rt_node *v = rt_node_get(root, key);
    if (!v)
        return NULL;
    if (v->kind != RATCHET_NODE_SCALAR) {
        yproblem(y, v, key, "must be a single value (text)");
        *bad = 1;
        return NULL;
    }
    if (v->plain && is_null_text(v->scalar))
        return NULL;
    return v->scalar;
}

/* entrypoint: a relative path that stays inside the task folder. */
static int entry_ok(const char *e)
{
    if (!*e || e[0] == '/' || strchr(e, '\\'))
        return 0;
    for (const char *s = e; *s;) {
        size_t n = strcspn(s, "/");
        if (n == 0 || (n == 2 && s[0] == '.' && s[1] == '.'))
            return 0;
        s += n + (s[n] == '/');
    }
    return 1;
}

/* The metadata fields (name, label, version, uuid, description, tags) with their lines, then
 * into t by rt_task_parse_metadata (which holds the rules for their values). */
static void read_fields(rt_task *t, const ymeta *y, const rt_node *root)
{
    int bad = 0;
    static const char *const texts[] = {"name", "label", "version", "uuid", "description"};
    struct json_object *m = json_object_new_object();
    for (size_t i = 0; m && i < sizeof texts / sizeof *texts; i++) {
        const char *s = text_field(y, root, texts[i], &bad);
        if (s) {
            json_object_object_add(m, texts[i], json_object_new_string(s));
            /* The stored metadata keeps them as text too (`version: 1.0` is "1.0"), as a
             * metadata.json written from it must hold them. */
            if (t->metadata)
                json_object_object_add(t->metadata, texts[i], json_object_new_string(s));
        }
    }
    const rt_node *tags = rt_node_get(root, "tags");
    if (tags && !(tags->kind == RATCHET_NODE_SCALAR && tags->plain && is_null_text(tags->scalar))) {
        if (tags->kind != RATCHET_NODE_SEQUENCE) {
            yproblem(y, tags, "tags", "must be a list of words");
            bad = 1;
        } else {
            struct json_object *a = json_object_new_array();
            for (size_t i = 0; i < tags->count; i++) {
                char path[32];
                snprintf(path, sizeof path, "tags[%zu]", i);
                if (tags->items[i]->kind != RATCHET_NODE_SCALAR) {
                    yproblem(y, tags->items[i], path, "must be a word");
                    bad = 1;
                } else {
                    json_object_array_add(a, json_object_new_string(tags->items[i]->scalar));
                }
            }
            json_object_object_add(m, "tags", a);
        }
    }
    /* rt_task_parse_metadata's messages have no line: the name is the value most often
     * wrong, so it is checked here first, where its line is known. */
    const rt_node *name = rt_node_get(root, "name");
    if (!bad && name && name->kind == RATCHET_NODE_SCALAR && !rt_task_valid_name(name->scalar)) {
        yproblem(y, name, "name", "must match ^[A-Za-z0-9_-]+$, not \"%.64s\"", name->scalar);
        bad = 1;
    }
    if (!bad)
        rt_task_parse_metadata(t, m, y->disp, y->r);
    json_object_put(m);
}

/* inputs/input_schema (or outputs/output_schema) into *schema; *from names the source. */
static void read_schema_pair(const ymeta *y, const rt_node *root, const char *short_key,
                             const char *full_key, struct json_object **schema, const char **from)
{
    const rt_node *s = rt_node_get(root, short_key), *f = rt_node_get(root, full_key);
    if (s && f) /* the short form is still checked, for its own problems */
        yproblem(y, f, full_key, "give either %s or %s, not both", short_key, full_key);
    if (s) {
        *schema = short_form(y, s, short_key);
        *from = short_key;
    } else if (f) {
        if (f->kind != RATCHET_NODE_MAP) {
            yproblem(y, f, full_key, "must be a JSON Schema (a map)");
            return;
        }
        *schema = rt_task_yaml_json(f);
        *from = full_key;
    }
}

/* test_cases: each becomes a test named by its `name` (else case-N). */
static void read_cases(rt_task *t, const ymeta *y, const rt_node *root, const char *file)
{
    const rt_node *cases = rt_node_get(root, "test_cases");
    if (!cases ||
        (cases->kind == RATCHET_NODE_SCALAR && cases->plain && is_null_text(cases->scalar)))
        return;
    if (cases->kind != RATCHET_NODE_SEQUENCE) {
        yproblem(y, cases, "test_cases", "must be a list of tests {name, input, expected_output}");
        return;
    }
    for (size_t i = 0; i < cases->count; i++) {
        const rt_node *c = cases->items[i];
        char path[64], made[32];
        snprintf(path, sizeof path, "test_cases[%zu]", i);
        if (c->kind != RATCHET_NODE_MAP) {
            yproblem(y, c, path, "must be a map {name, input, expected_output}");
            continue;
        }
        const rt_node *nm = rt_node_get(c, "name");
        snprintf(made, sizeof made, "case-%03zu", i + 1);
        const char *name = nm && nm->kind == RATCHET_NODE_SCALAR && *nm->scalar ? nm->scalar : made;
        ratchet_buf disp = RATCHET_BUF_INIT;
        rt_buf_printf(&disp, "%s:%d: %s", y->disp, c->line, path);
        struct json_object *doc = rt_task_yaml_json(c);
        rt_task_add_test(t, name, file, doc, disp.data ? disp.data : y->disp, y->r);
        json_object_put(doc);
        rt_buf_free(&disp);
    }
}

void rt_task_read_meta_yaml(rt_task *t, const char *dir, const char *prefix, rt_task_report *r)
{
    size_t dl = strlen(dir) + sizeof "/meta.yaml", pl = strlen(prefix) + sizeof "meta.yaml";
    char *path = malloc(dl), *disp = malloc(pl), *text = NULL;
    size_t len = 0;
    if (!path || !disp) {
        rt_task_report_add(r, "out of memory");
        free(path);
        free(disp);
        return;
    }
    snprintf(path, dl, "%s/meta.yaml", dir);
    snprintf(disp, pl, "%smeta.yaml", prefix);
    ymeta y = {disp, r};
    rt_node *root = NULL;
    if (rt_task_read_file(path, disp, RT_TASK_JSON_MAX, 0, &text, &len, r) == 1) {
        rt_error err;
        if (!(root = rt_yaml_parse(text, len, disp, &err)))
            rt_task_report_add(r, "%s", err.msg);
        else if (root->kind != RATCHET_NODE_MAP)
            rt_task_report_add(r, "%s: must be a map (name: ..., version: ..., ...)", disp);
    }
    if (root && root->kind == RATCHET_NODE_MAP) {
        t->metadata = rt_task_yaml_json(root);
        read_fields(t, &y, root);
        int bad = 0;
        const char *entry = text_field(&y, root, "entrypoint", &bad);
        const rt_node *en = rt_node_get(root, "entrypoint");
        if (entry && !entry_ok(entry))
            yproblem(&y, en, "entrypoint",
                     "must be a file inside the task folder (a relative path without '..'), "
                     "not \"%.64s\"",
                     entry);
        else if (!bad && !(t->entry = strdup(entry ? entry : YAML_DEFAULT_ENTRY)))
            rt_task_report_add(r, "out of memory");
        read_schema_pair(&y, root, "inputs", "input_schema", &t->input_schema,
                         &t->input_schema_from);
        read_schema_pair(&y, root, "outputs", "output_schema", &t->output_schema,
                         &t->output_schema_from);
        read_cases(t, &y, root, path);
    }
    rt_node_free(root);
    free(text);
    free(path);
    free(disp);
}
