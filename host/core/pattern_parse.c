/* host/core/pattern_parse.c - error patterns from a YAML node tree (pattern.h): the pattern's
 * keys through the option tables (the same messages as every other key of ratchet.yaml), its
 * rule tree checked here, each error at FILE:LINE:COL with the key path. */
#include "pattern.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"

const ratchet_option rt_pattern_options[] = {
    RATCHET_OPT_REQUIRED("id", RATCHET_OPT_STRING,
                         "Pattern id, unique, [a-z0-9_.-]{1,64} (a built-in's id replaces that "
                         "built-in)"),
    RATCHET_OPT("name", RATCHET_OPT_STRING, NULL, "Short human name (default: the id)"),
    RATCHET_OPT_ENUM("category", RT_PATTERN_CATEGORIES, "unknown", "What kind of failure"),
    RATCHET_OPT_ENUM("severity", RT_PATTERN_SEVERITIES, "medium", "How bad a match is"),
    RATCHET_OPT("confidence", RATCHET_OPT_DOUBLE, "0.8", "How sure a match is, 0..1"),
    RATCHET_OPT_ENUM("min_level", "trace|debug|info|warn|error", "trace",
                     "Events below this level never match (checked first: the cheapest filter)"),
    RATCHET_OPT("description", RATCHET_OPT_STRING, NULL, "What the failure is"),
    RATCHET_OPT("suggestions", RATCHET_OPT_NODE, "[]", "What to do: a list of sentences"),
    RATCHET_OPT("match", RATCHET_OPT_NODE, NULL,
                "The rule (required): message_regex, field_equals {field, value}, "
                "field_contains {field, value}, level, and [..], or [..], not {..}; a list "
                "means and"),
    RATCHET_OPT_END,
};

static const ratchet_option field_rule_options[] = {
    RATCHET_OPT_REQUIRED("field", RATCHET_OPT_STRING,
                         "Field name (message, level, source or a field of the event)"),
    RATCHET_OPT_REQUIRED("value", RATCHET_OPT_STRING, "The value (equals) or substring (contains)"),
    RATCHET_OPT_END,
};

#define RULE_NAMES "message_regex, field_equals, field_contains, level, and, or, not"

static rt_rule *parse_rule(const rt_node *n, const char *path, int depth, rt_error *err);

static const char *scalar_of(const rt_node *n)
{
    return n && n->kind == RATCHET_NODE_SCALAR ? n->scalar : NULL;
}

/* and/or: a list of rules. */
static rt_rule *parse_list(rt_rule_kind kind, const rt_node *v, const char *path, int depth,
                           rt_error *err)
{
    if (v->kind != RATCHET_NODE_SEQUENCE || v->count == 0) {
        rt_fail(err, "%s: %s: expected a non-empty list of rules", v->where, path);
        return NULL;
    }
    if (v->count > RT_PATTERN_MAX_RULES) {
        rt_fail(err, "%s: %s: too many rules (%zu; at most %d)", v->where, path, v->count,
                RT_PATTERN_MAX_RULES);
        return NULL;
    }
    rt_rule *r = rt_rule_new(kind);
    if (r && !(r->kids = calloc(v->count, sizeof *r->kids))) {
        rt_rule_free(r);
        r = NULL;
    }
    if (!r) {
        rt_fail(err, "out of memory");
        return NULL;
    }
    for (size_t i = 0; i < v->count; i++) {
        char sub[256];
        if (snprintf(sub, sizeof sub, "%s[%zu]", path, i) >= (int)sizeof sub) {
            rt_rule_free(r);
            rt_fail(err, "%s: %.200s: key path too long", v->where, path);
            return NULL;
        }
        if (!(r->kids[r->nkids++] = parse_rule(v->items[i], sub, depth + 1, err))) {
            rt_rule_free(r);
            return NULL;
        }
    }
    return r;
}

static rt_rule *parse_field(rt_rule_kind kind, const rt_node *v, const char *path, rt_error *err)
{
    ratchet_config *cfg = rt_options_validate(field_rule_options, v, path, NULL, err);
    if (!cfg)
        return NULL;
    rt_rule *r = rt_rule_new(kind);
    if (r) {
        const char *f = rt_cfg_string(cfg, "field");
        r->field = strdup(f);
        r->value = strdup(rt_cfg_string(cfg, "value"));
        r->field_kind = strcmp(f, "message") == 0  ? RT_FIELD_MESSAGE
                        : strcmp(f, "level") == 0  ? RT_FIELD_LEVEL
                        : strcmp(f, "source") == 0 ? RT_FIELD_SOURCE
                                                   : RT_FIELD_OTHER;
    }
    rt_config_free(cfg);
    if (!r || !r->field || !r->value) {
        rt_rule_free(r);
        rt_fail(err, "out of memory");
        return NULL;
    }
    if (kind == RT_RULE_FIELD_CONTAINS && !*r->value) {
        rt_fail(err, "%s: %s.value: expected a non-empty substring",
                rt_node_where(rt_node_get(v, "value")), path);
        rt_rule_free(r);
        return NULL;
    }
    return r;
}

static rt_rule *parse_scalar_rule(rt_rule_kind kind, const rt_node *v, const char *path,
                                  rt_error *err)
{
    const char *s = scalar_of(v);
    if (kind == RT_RULE_LEVEL && (!s || rt_pattern_level(s) < 0)) {
        rt_fail(err, "%s: %s: expected a level (trace|debug|info|warn|error), got '%.40s'",
                v->where, path, s ? s : "(not a scalar)");
        return NULL;
    }
    if (kind == RT_RULE_MESSAGE_REGEX && (!s || !*s)) {
        rt_fail(err, "%s: %s: expected a regular expression (POSIX extended)", v->where, path);
        return NULL;
    }
    rt_rule *r = rt_rule_new(kind);
    if (!r || !(r->value = strdup(s))) {
        rt_rule_free(r);
        rt_fail(err, "out of memory");
        return NULL;
    }
    if (kind == RT_RULE_LEVEL) {
        r->level = (ratchet_log_level)rt_pattern_level(s);
    } else if (rt_rule_compile(r, err) != RATCHET_OK) {
        char why[sizeof err->msg];
        snprintf(why, sizeof why, "%s", err->msg);
        rt_fail(err, "%s: %s: %s", v->where, path, why);
        rt_rule_free(r);
        return NULL;
    }
    return r;
}

/* One rule: a map with exactly one key naming it, or a list (and). */
static rt_rule *parse_rule(const rt_node *n, const char *path, int depth, rt_error *err)
{
    if (depth > RT_PATTERN_MAX_DEPTH) {
        rt_fail(err, "%s: %s: rules nested too deeply (at most %d levels)", n->where, path,
                RT_PATTERN_MAX_DEPTH);
        return NULL;
    }
    if (n->kind == RATCHET_NODE_SEQUENCE)
        return parse_list(RT_RULE_AND, n, path, depth, err);
    if (n->kind != RATCHET_NODE_MAP || n->count != 1) {
        rt_fail(err, "%s: %s: expected one rule: a mapping with one key of " RULE_NAMES, n->where,
                path);
        return NULL;
    }
    const char *key = n->keys[0];
    const rt_node *v = n->items[0];
    char sub[256];
    if (snprintf(sub, sizeof sub, "%s.%s", path, key) >= (int)sizeof sub) {
        rt_fail(err, "%s: %.200s: key path too long", n->where, path);
        return NULL;
    }
    if (strcmp(key, "message_regex") == 0)
        return parse_scalar_rule(RT_RULE_MESSAGE_REGEX, v, sub, err);
    if (strcmp(key, "level") == 0)
        return parse_scalar_rule(RT_RULE_LEVEL, v, sub, err);
    if (strcmp(key, "field_equals") == 0)
        return parse_field(RT_RULE_FIELD_EQUALS, v, sub, err);
    if (strcmp(key, "field_contains") == 0)
        return parse_field(RT_RULE_FIELD_CONTAINS, v, sub, err);
    if (strcmp(key, "and") == 0 || strcmp(key, "or") == 0)
        return parse_list(key[0] == 'a' ? RT_RULE_AND : RT_RULE_OR, v, sub, depth, err);
    if (strcmp(key, "not") == 0) {
        rt_rule *r = rt_rule_new(RT_RULE_NOT);
        if (r && (r->kids = calloc(1, sizeof *r->kids)) != NULL &&
            (r->kids[0] = parse_rule(v, sub, depth + 1, err)) != NULL) {
            r->nkids = 1;
            return r;
        }
        if (!r || !r->kids)
            rt_fail(err, "out of memory");
        rt_rule_free(r);
        return NULL;
    }
    rt_fail(err, "%s: %s: unknown rule '%.40s' (expected one of " RULE_NAMES ")",
            rt_node_key_where(n, 0), path, key);
    return NULL;
}

static int valid_id(const char *s)
{
    size_t len = strlen(s);
    return len >= 1 && len <= 64 && s[strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_.-")] == '\0';
}

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

static ratchet_status parse_suggestions(rt_pattern *p, const rt_node *list, const char *path,
                                        rt_error *err)
{
    if (!list || list->kind != RATCHET_NODE_SEQUENCE)
        return rt_fail(err, "%s: %s.suggestions: expected a list of sentences",
                       list ? list->where : "(built-in)", path);
    if (list->count > RT_PATTERN_MAX_SUGGEST)
        return rt_fail(err, "%s: %s.suggestions: too many (%zu; at most %d)", list->where, path,
                       list->count, RT_PATTERN_MAX_SUGGEST);
    if (list->count && !(p->suggestions = calloc(list->count, sizeof *p->suggestions)))
        return rt_fail(err, "out of memory");
    for (size_t i = 0; i < list->count; i++) {
        const char *s = scalar_of(list->items[i]);
        if (!s || !*s)
            return rt_fail(err, "%s: %s.suggestions[%zu]: expected a sentence (text)",
                           list->items[i]->where, path, i);
        if (!(p->suggestions[p->nsuggestions++] = strdup(s)))
            return rt_fail(err, "out of memory");
    }
    return RATCHET_OK;
}

/* The pattern's own keys, checked (cfg is the validated map). */
static ratchet_status fill_pattern(rt_pattern *p, const ratchet_config *cfg, const rt_node *e,
                                   const char *path, rt_error *err)
{
    const char *id = rt_cfg_string(cfg, "id");
    const rt_node *idn = rt_node_get(e, "id");
    if (!valid_id(id))
        return rt_fail(err, "%s: %s.id: expected [a-z0-9_.-]{1,64}, got '%.70s'",
                       rt_node_where(idn), path, id);
    double conf = rt_cfg_double(cfg, "confidence");
    if (!(conf >= 0.0 && conf <= 1.0))
        return rt_fail(err, "%s: %s.confidence: expected a number from 0 to 1, got %g",
                       rt_node_where(rt_node_get(e, "confidence")), path, conf);
    p->confidence = conf;
    p->min_level = (ratchet_log_level)rt_pattern_level(rt_cfg_string(cfg, "min_level"));
    p->id = strdup(id);
    p->name = strdup(rt_cfg_string(cfg, "name") ? rt_cfg_string(cfg, "name") : id);
    p->category = strdup(rt_cfg_string(cfg, "category"));
    p->severity = strdup(rt_cfg_string(cfg, "severity"));
    p->description = dup_or_null(rt_cfg_string(cfg, "description"));
    p->where = strdup(rt_node_where(e));
    if (!p->id || !p->name || !p->category || !p->severity || !p->where)
        return rt_fail(err, "out of memory");
    if (parse_suggestions(p, rt_cfg_node(cfg, "suggestions"), path, err) != RATCHET_OK)
        return RATCHET_ERR;
    const rt_node *m = rt_node_get(e, "match");
    if (!m)
        return rt_fail(err, "%s: %s: missing required option 'match' (the rule: " RULE_NAMES ")",
                       rt_node_where(e), path);
    char sub[160];
    snprintf(sub, sizeof sub, "%s.match", path);
    p->rule = parse_rule(m, sub, 0, err);
    return p->rule ? RATCHET_OK : RATCHET_ERR;
}

/* One pattern map into a new pattern (not yet in a set). */
static rt_pattern *parse_pattern(const rt_node *e, const char *path, rt_error *err)
{
    if (e->kind != RATCHET_NODE_MAP) {
        rt_fail(err,
                "%s: %s: expected a pattern: a mapping with id, match and optionally name, "
                "category, severity, confidence, description, suggestions",
                e->where, path);
        return NULL;
    }
    ratchet_config *cfg = rt_options_validate(rt_pattern_options, e, path, NULL, err);
    if (!cfg)
        return NULL;
    rt_pattern *p = calloc(1, sizeof *p);
    ratchet_status rc = p ? fill_pattern(p, cfg, e, path, err) : rt_fail(err, "out of memory");
    rt_config_free(cfg);
    if (rc != RATCHET_OK) {
        rt_pattern_free(p);
        return NULL;
    }
    return p;
}

ratchet_status rt_patterns_parse(rt_pattern_set *set, const rt_node *list, const char *keypath,
                                 int builtin, rt_error *err)
{
    if (!list || (list->kind == RATCHET_NODE_SCALAR && list->plain && !*list->scalar))
        return RATCHET_OK;
    if (list->kind != RATCHET_NODE_SEQUENCE)
        return rt_fail(err, "%s: %s: expected a list of patterns", list->where, keypath);
    for (size_t i = 0; i < list->count; i++) {
        char path[128];
        snprintf(path, sizeof path, "%s[%zu]", keypath, i);
        rt_pattern *p = parse_pattern(list->items[i], path, err);
        if (!p)
            return RATCHET_ERR;
        p->builtin = builtin;
        const rt_pattern *dup = rt_pattern_set_find(set, p->id);
        if (dup) {
            rt_fail(err, "%s: %s.id: duplicate pattern id '%s' (%s at %s)",
                    rt_node_where(rt_node_get(list->items[i], "id")), path, p->id,
                    dup->builtin ? "a built-in pattern" : "first", dup->where);
            rt_pattern_free(p);
            return RATCHET_ERR;
        }
        if (rt_pattern_set_add(set, p, err) != RATCHET_OK)
            return RATCHET_ERR;
    }
    return RATCHET_OK;
}
