/* host/core/pattern_json.c - error patterns as JSON (pattern.h): a pattern sent as JSON is
 * turned into the node tree the YAML parser checks (positions become JSON pointers), and a
 * pattern is written back in the same shape. */
#include "pattern.h"

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#define JSON_MAX_DEPTH 40

/* A JSON value as a node tree; `ptr` is its JSON pointer ("" for the root). */
static rt_node *node_of(struct json_object *v, const char *ptr, int depth)
{
    char where[200];
    snprintf(where, sizeof where, "JSON %s", *ptr ? ptr : "/");
    if (depth > JSON_MAX_DEPTH)
        return NULL;
    if (json_object_is_type(v, json_type_object)) {
        rt_node *m = rt_node_new_map(where);
        if (!m)
            return NULL;
        json_object_object_foreach(v, key, val)
        {
            char sub[200];
            snprintf(sub, sizeof sub, "%s/%s", ptr, key);
            rt_node *kid = node_of(val, sub, depth + 1);
            if (!kid || rt_node_map_set(m, key, kid) != RATCHET_OK) {
                rt_node_free(m);
                return NULL;
            }
        }
        return m;
    }
    if (json_object_is_type(v, json_type_array)) {
        rt_node *s = rt_node_new_seq(where);
        for (size_t i = 0; s && i < json_object_array_length(v); i++) {
            char sub[200];
            snprintf(sub, sizeof sub, "%s/%zu", ptr, i);
            rt_node *kid = node_of(json_object_array_get_idx(v, i), sub, depth + 1);
            if (!kid || rt_node_seq_push(s, kid) != RATCHET_OK) {
                rt_node_free(s);
                return NULL;
            }
        }
        return s;
    }
    rt_node *n = rt_node_new_scalar(v ? json_object_get_string(v) : "", where);
    if (n && json_object_is_type(v, json_type_string))
        n->plain = 0;
    return n;
}

rt_pattern *rt_pattern_from_json(const char *json, rt_error *err)
{
    enum json_tokener_error jerr;
    struct json_object *root = json_tokener_parse_verbose(json ? json : "", &jerr);
    if (jerr != json_tokener_success) {
        rt_fail(err, "the pattern is not valid JSON: %s", json_tokener_error_desc(jerr));
        return NULL;
    }
    if (!json_object_is_type(root, json_type_object)) {
        json_object_put(root);
        rt_fail(err, "JSON /: expected a pattern object {id, match, ...}");
        return NULL;
    }
    rt_node *tree = node_of(root, "", 0);
    json_object_put(root);
    rt_node *list = tree ? rt_node_new_seq("JSON /") : NULL;
    if (!list || rt_node_seq_push(list, tree) != RATCHET_OK) {
        rt_node_free(list);
        rt_fail(err, "the pattern is nested too deeply or out of memory");
        return NULL;
    }
    rt_pattern_set one = {NULL, 0};
    rt_pattern *p = NULL;
    if (rt_patterns_parse(&one, list, "pattern", 0, err) == RATCHET_OK && one.n == 1) {
        p = one.items[0];
        one.n = 0;
    }
    rt_pattern_set_clear(&one);
    rt_node_free(list);
    return p;
}

static struct json_object *field_rule_json(const rt_rule *r)
{
    struct json_object *o = json_object_new_object();
    json_object_object_add(o, "field", json_object_new_string(r->field));
    json_object_object_add(o, "value", json_object_new_string(r->value));
    return o;
}

static struct json_object *rule_json(const rt_rule *r)
{
    static const char *const names[] = {
        "message_regex", "field_equals", "field_contains", "level", "and", "or", "not"};
    static const char *const levels[] = {"trace", "debug", "info", "warn", "error"};
    struct json_object *o = json_object_new_object(), *v = NULL;
    switch (r->kind) {
    case RT_RULE_MESSAGE_REGEX:
        v = json_object_new_string(r->value);
        break;
    case RT_RULE_LEVEL:
        v = json_object_new_string(levels[r->level]);
        break;
    case RT_RULE_FIELD_EQUALS:
    case RT_RULE_FIELD_CONTAINS:
        v = field_rule_json(r);
        break;
    case RT_RULE_NOT:
        v = rule_json(r->kids[0]);
        break;
    case RT_RULE_AND:
    case RT_RULE_OR:
        v = json_object_new_array();
        for (size_t i = 0; i < r->nkids; i++)
            json_object_array_add(v, rule_json(r->kids[i]));
        break;
    }
    json_object_object_add(o, names[r->kind], v);
    return o;
}

struct json_object *rt_pattern_to_json(const rt_pattern *p)
{
    struct json_object *o = json_object_new_object();
    json_object_object_add(o, "id", json_object_new_string(p->id));
    json_object_object_add(o, "name", json_object_new_string(p->name));
    json_object_object_add(o, "category", json_object_new_string(p->category));
    json_object_object_add(o, "severity", json_object_new_string(p->severity));
    json_object_object_add(o, "confidence", json_object_new_double(p->confidence));
    static const char *const levels[] = {"trace", "debug", "info", "warn", "error"};
    json_object_object_add(o, "min_level", json_object_new_string(levels[p->min_level % 5]));
    json_object_object_add(o, "description",
                           p->description ? json_object_new_string(p->description) : NULL);
    struct json_object *s = json_object_new_array();
    for (size_t i = 0; i < p->nsuggestions; i++)
        json_object_array_add(s, json_object_new_string(p->suggestions[i]));
    json_object_object_add(o, "suggestions", s);
    json_object_object_add(o, "builtin", json_object_new_boolean(p->builtin));
    json_object_object_add(o, "source", json_object_new_string(p->where ? p->where : ""));
    json_object_object_add(o, "match", rule_json(p->rule));
    return o;
}
