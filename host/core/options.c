/* host/core/options.c - check a YAML map against an option table; typed access to the result. */
#define _POSIX_C_SOURCE 200809L

#include "options.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_OPTIONS 256
#define MAX_NAME    64
#define MAX_STRIDE  4096

typedef struct cfg_value {
    const ratchet_option *opt;
    int set;               /* given by the user */
    char *text;            /* scalar types: the value as text (PATH expanded, ENUM canonical) */
    int64_t i;             /* INT, SIZE (bytes), DURATION (ms), BOOL (0/1) */
    double d;              /* DOUBLE */
    const rt_node *node;   /* the user's node, or default_tree */
    rt_node *default_tree; /* NODE: the parsed default, owned */
} cfg_value;

struct ratchet_config {
    size_t count;
    cfg_value *values;
};

ratchet_status rt_options_count(const ratchet_option *table, size_t *count, rt_error *err)
{
    *count = 0;
    if (!table)
        return RATCHET_OK;
    uint32_t stride = table->abi.struct_size;
    if (stride < sizeof(ratchet_option) || stride > MAX_STRIDE ||
        stride % _Alignof(ratchet_option) != 0)
        return rt_fail(err,
                       "option table entries declare %u bytes, expected at least %zu (build "
                       "them with RATCHET_OPT*)",
                       (unsigned)stride, sizeof(ratchet_option));
    size_t n = 0;
    for (const ratchet_option *o = table; o->name; o = RT_OPT_NEXT(o)) {
        if (++n > MAX_OPTIONS)
            return rt_fail(err, "more than %d options (is RATCHET_OPT_END missing?)", MAX_OPTIONS);
        /* RT_OPT_FOREACH steps by each entry's own size; they must agree. */
        if (RT_OPT_NEXT(o)->abi.struct_size != stride)
            return rt_fail(err, "option table entry %zu declares a different size", n + 1);
    }
    *count = n;
    return RATCHET_OK;
}

static const char *kind_text(const rt_node *n)
{
    switch (rt_node_kind(n)) {
    case RATCHET_NODE_MAP:
        return "a mapping";
    case RATCHET_NODE_SEQUENCE:
        return "a list";
    default:
        return "nothing";
    }
}

/* 'text' for a message, shortened so that one long value cannot swamp it. */
static const char *shown(const char *text, char *buf, size_t len)
{
    if (strlen(text) < 60)
        return text;
    snprintf(buf, len, "%.56s...", text);
    return buf;
}

static int is_null_scalar(const rt_node *n)
{
    if (!n || n->kind != RATCHET_NODE_SCALAR || !n->plain)
        return 0;
    const char *s = n->scalar;
    return !*s || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") || !strcmp(s, "NULL");
}

static char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* Match an ENUM value against "a|b|c" (case-insensitively) and store the table's spelling:
 * RATCHET_OK, RATCHET_NOTFOUND, or RATCHET_NOMEM. */
static ratchet_status enum_match(const char *choices, const char *text, char **out)
{
    size_t tlen = strlen(text);
    for (const char *c = choices; c && *c;) {
        const char *bar = strchr(c, '|');
        size_t len = bar ? (size_t)(bar - c) : strlen(c);
        size_t i = 0;
        while (len == tlen && i < len && lower(c[i]) == lower(text[i]))
            i++;
        if (len == tlen && i == len) {
            char *m = malloc(len + 1);
            if (!m)
                return RATCHET_NOMEM;
            memcpy(m, c, len);
            m[len] = '\0';
            *out = m;
            return RATCHET_OK;
        }
        c = bar ? bar + 1 : NULL;
    }
    return RATCHET_NOTFOUND;
}

/* "~/x" and relative paths; basedir NULL keeps a relative path relative. */
static ratchet_status expand_path(const char *text, const char *basedir, char **out, char *why,
                                  size_t whylen)
{
    const char *prefix = NULL, *rest = text;
    if (!*text) {
        snprintf(why, whylen, "expected a path, got ''");
        return RATCHET_ERR;
    }
    if (text[0] == '~') {
        if (text[1] != '\0' && text[1] != '/') {
            snprintf(why, whylen, "only '~/' is expanded, not '~name/'; write the full path");
            return RATCHET_ERR;
        }
        prefix = getenv("HOME");
        if (!prefix || !*prefix) {
            snprintf(why, whylen, "cannot expand '~': HOME is not set");
            return RATCHET_ERR;
        }
        rest = text + 1; /* keeps the '/' */
    } else if (text[0] != '/' && basedir && *basedir) {
        prefix = basedir;
    }
    size_t plen = prefix ? strlen(prefix) : 0;
    while (plen > 1 && prefix[plen - 1] == '/')
        plen--;
    int sep = prefix && rest[0] != '/' && !(plen == 1 && prefix[0] == '/');
    size_t rlen = strlen(rest);
    char *p = malloc(plen + (size_t)sep + rlen + 1);
    if (!p)
        return RATCHET_NOMEM;
    if (plen)
        memcpy(p, prefix, plen);
    if (sep)
        p[plen] = '/';
    memcpy(p + plen + (size_t)sep, rest, rlen + 1);
    *out = p;
    return RATCHET_OK;
}

static ratchet_status check_range(const ratchet_option *o, int64_t v, char *why, size_t whylen)
{
    if (o->min > o->max || (v >= o->min && v <= o->max))
        return RATCHET_OK;
    char lo[32], hi[32], got[32];
    rt_format_option_value(o->type, o->min, lo, sizeof lo);
    rt_format_option_value(o->type, o->max, hi, sizeof hi);
    rt_format_option_value(o->type, v, got, sizeof got);
    snprintf(why, whylen, "must be between %s and %s, got %s", lo, hi, got);
    return RATCHET_ERR;
}

/* Parse `text` as option `o` into v. On failure `why` holds "expected ..., got '...'" or the
 * range message; RATCHET_NOMEM when out of memory. */
static ratchet_status parse_scalar(const ratchet_option *o, const char *text, const char *basedir,
                                   cfg_value *v, char *why, size_t whylen)
{
    rt_error e;
    char sbuf[64];
    ratchet_status rc = RATCHET_OK;
    int b = 0;
    char *end = NULL;
    switch (o->type) {
    case RATCHET_OPT_INT:
        rc = rt_parse_int(text, &v->i, &e);
        break;
    case RATCHET_OPT_SIZE:
        rc = rt_parse_size(text, &v->i, &e);
        break;
    case RATCHET_OPT_DURATION:
        rc = rt_parse_duration_ms(text, &v->i, &e);
        break;
    case RATCHET_OPT_BOOL:
        rc = rt_parse_bool(text, &b, &e);
        v->i = b;
        break;
    case RATCHET_OPT_DOUBLE:
        v->d = strtod(text, &end);
        if (end == text || *end || !isfinite(v->d))
            rc = rt_fail(&e, "a number");
        break;
    case RATCHET_OPT_ENUM:
        free(v->text);
        v->text = NULL;
        rc = enum_match(o->choices, text, &v->text);
        if (rc == RATCHET_NOMEM)
            return rc;
        if (rc != RATCHET_OK) {
            snprintf(why, whylen, "expected one of %s, got '%s'", o->choices ? o->choices : "",
                     shown(text, sbuf, sizeof sbuf));
            return RATCHET_ERR;
        }
        return RATCHET_OK;
    case RATCHET_OPT_PATH:
        free(v->text);
        v->text = NULL;
        return expand_path(text, basedir, &v->text, why, whylen);
    default:
        break;
    }
    if (rc != RATCHET_OK) {
        snprintf(why, whylen, "expected %.200s, got '%s'", e.msg, shown(text, sbuf, sizeof sbuf));
        return RATCHET_ERR;
    }
    if ((o->type == RATCHET_OPT_INT || o->type == RATCHET_OPT_SIZE ||
         o->type == RATCHET_OPT_DURATION) &&
        check_range(o, v->i, why, whylen) != RATCHET_OK)
        return RATCHET_ERR;
    free(v->text);
    v->text = strdup(text);
    return v->text ? RATCHET_OK : RATCHET_NOMEM;
}

void rt_config_free(ratchet_config *cfg)
{
    if (!cfg)
        return;
    for (size_t i = 0; i < cfg->count; i++) {
        free(cfg->values[i].text);
        rt_node_free(cfg->values[i].default_tree);
    }
    free(cfg->values);
    free(cfg);
}

static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    size_t row[MAX_NAME + 1];
    if (la > MAX_NAME || lb > MAX_NAME)
        return SIZE_MAX;
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (lower(a[i - 1]) != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

static ratchet_status fail_unknown(const ratchet_option *table, const rt_node *map, size_t k,
                                   const char *keypath, rt_error *err)
{
    const char *key = map->keys[k];
    char sbuf[64];
    const char *name = shown(key, sbuf, sizeof sbuf);
    const char *near = NULL;
    size_t best = SIZE_MAX;
    char list[512];
    size_t used = 0;
    list[0] = '\0';
    RT_OPT_FOREACH(o, table)
    {
        size_t len = strlen(o->name), d = edit_distance(key, o->name);
        size_t limit = len <= 3 ? 1 : len <= 6 ? 2 : 3;
        if (d <= limit && d < strlen(key) && d < best) {
            best = d;
            near = o->name;
        }
        if (used < sizeof list) {
            int n = snprintf(list + used, sizeof list - used, "%s%s", used ? ", " : "", o->name);
            used += n > 0 ? (size_t)n : 0;
        }
    }
    const char *sep = *keypath ? "." : "";
    const char *where = rt_node_key_where(map, k);
    if (!table || !table->name)
        return rt_fail(err, "%s: %s%s%s: unknown option '%s' (no options are accepted here)", where,
                       keypath, sep, name, name);
    if (near)
        return rt_fail(err, "%s: %s%s%s: unknown option '%s' (did you mean '%s'? accepted: %s)",
                       where, keypath, sep, name, name, near, list);
    return rt_fail(err, "%s: %s%s%s: unknown option '%s' (accepted: %s)", where, keypath, sep, name,
                   name, list);
}

/* Take the user's value for option o (value is not a plain null). */
static ratchet_status take_value(const ratchet_option *o, const rt_node *value, cfg_value *v,
                                 const char *keypath, const char *basedir, rt_error *err)
{
    const char *sep = *keypath ? "." : "";
    char why[768];
    v->set = 1;
    v->node = value;
    if (o->type == RATCHET_OPT_NODE)
        return RATCHET_OK;
    if (value->kind != RATCHET_NODE_SCALAR)
        return rt_fail(err, "%s: %s%s%s: expected a scalar, got %s", rt_node_where(value), keypath,
                       sep, o->name, kind_text(value));
    if (o->type == RATCHET_OPT_STRING) {
        v->text = strdup(value->scalar);
        return v->text ? RATCHET_OK : rt_fail(err, "out of memory");
    }
    ratchet_status rc = parse_scalar(o, value->scalar, basedir, v, why, sizeof why);
    if (rc == RATCHET_NOMEM)
        return rt_fail(err, "out of memory");
    if (rc != RATCHET_OK)
        return rt_fail(err, "%s: %s%s%s: %s", rt_node_where(value), keypath, sep, o->name, why);
    return RATCHET_OK;
}

/* Fill v from o's default text (a NODE default is YAML). */
static ratchet_status take_default(const ratchet_option *o, cfg_value *v, const char *basedir,
                                   char *why, size_t whylen)
{
    if (!o->default_value || o->required)
        return RATCHET_OK;
    if (o->type == RATCHET_OPT_NODE) {
        rt_error e;
        v->default_tree = rt_yaml_parse(o->default_value, strlen(o->default_value), "default", &e);
        if (!v->default_tree) {
            snprintf(why, whylen, "%.500s", e.msg);
            return RATCHET_ERR;
        }
        v->node = v->default_tree;
        return RATCHET_OK;
    }
    if (o->type == RATCHET_OPT_STRING) {
        v->text = strdup(o->default_value);
        return v->text ? RATCHET_OK : RATCHET_NOMEM;
    }
    return parse_scalar(o, o->default_value, basedir, v, why, whylen);
}

ratchet_config *rt_options_validate_at(const ratchet_option *table, const rt_node *map,
                                       const char *keypath, const char *basedir,
                                       const char *where_if_absent, rt_error *err)
{
    size_t count;
    keypath = keypath ? keypath : "";
    const char *sep = *keypath ? "." : "";
    if (rt_options_count(table, &count, err) != RATCHET_OK)
        return NULL;
    ratchet_config *cfg = calloc(1, sizeof *cfg);
    if (!cfg || (count && !(cfg->values = calloc(count, sizeof *cfg->values)))) {
        free(cfg);
        rt_fail(err, "out of memory");
        return NULL;
    }
    cfg->count = count;
    const ratchet_option *entry = table;
    for (size_t i = 0; i < count; i++, entry = RT_OPT_NEXT(entry))
        cfg->values[i].opt = entry;

    const char *where = where_if_absent;
    if (map) {
        where = rt_node_where(map);
        if (is_null_scalar(map))
            map = NULL;
    }
    if (map && map->kind != RATCHET_NODE_MAP) {
        char sbuf[64];
        if (map->kind == RATCHET_NODE_SCALAR)
            rt_fail(err, "%s: %s: expected a mapping, got '%s'", where, keypath,
                    shown(map->scalar, sbuf, sizeof sbuf));
        else
            rt_fail(err, "%s: %s: expected a mapping, got %s", where, keypath, kind_text(map));
        goto fail;
    }
    for (size_t k = 0; map && k < map->count; k++) {
        cfg_value *v = NULL;
        for (size_t j = 0; j < count && !v; j++)
            if (strcmp(cfg->values[j].opt->name, map->keys[k]) == 0)
                v = &cfg->values[j];
        if (!v) {
            fail_unknown(table, map, k, keypath, err);
            goto fail;
        }
        if (is_null_scalar(map->items[k]))
            continue;
        if (take_value(v->opt, map->items[k], v, keypath, basedir, err) != RATCHET_OK)
            goto fail;
    }
    for (size_t j = 0; j < count; j++) {
        cfg_value *v = &cfg->values[j];
        const ratchet_option *o = v->opt;
        if (v->set)
            continue;
        if (o->required) {
            rt_fail(err, "%s%s%s%smissing required option '%s' (%s: %s)", where ? where : "",
                    where ? ": " : "", keypath, *keypath ? ": " : "", o->name, o->name,
                    o->doc ? o->doc : rt_option_type_name(o->type));
            goto fail;
        }
        char why[768];
        ratchet_status rc = take_default(o, v, basedir, why, sizeof why);
        if (rc == RATCHET_NOMEM) {
            rt_fail(err, "out of memory");
            goto fail;
        }
        if (rc != RATCHET_OK) {
            rt_fail(err, "%s%s%s: default of '%s' is invalid: %s", keypath, sep, o->name, o->name,
                    why);
            goto fail;
        }
    }
    return cfg;
fail:
    rt_config_free(cfg);
    return NULL;
}

ratchet_config *rt_options_validate(const ratchet_option *table, const rt_node *map,
                                    const char *keypath, const char *basedir, rt_error *err)
{
    return rt_options_validate_at(table, map, keypath, basedir, NULL, err);
}

static ratchet_status check_choices(const ratchet_option *o, rt_error *err)
{
    if (!o->choices || !*o->choices)
        return rt_fail(err, "option '%s': an enum needs choices (\"a|b|c\")", o->name);
    if (strlen(o->choices) > 512)
        return rt_fail(err, "option '%s': choices are longer than 512 characters", o->name);
    for (const char *c = o->choices; c;) {
        const char *bar = strchr(c, '|');
        size_t len = bar ? (size_t)(bar - c) : strlen(c);
        if (len == 0)
            return rt_fail(err, "option '%s': empty choice in '%s'", o->name, o->choices);
        for (size_t i = 0; i < len; i++)
            if ((unsigned char)c[i] <= ' ')
                return rt_fail(err, "option '%s': blank or control character in choices '%s'",
                               o->name, o->choices);
        /* A later choice equal to this one, ignoring case, could never be told apart. */
        for (const char *d = bar ? bar + 1 : NULL; d;) {
            const char *dbar = strchr(d, '|');
            size_t dlen = dbar ? (size_t)(dbar - d) : strlen(d);
            size_t i = 0;
            while (dlen == len && i < len && lower(c[i]) == lower(d[i]))
                i++;
            if (dlen == len && i == len)
                return rt_fail(err, "option '%s': choice '%.*s' is listed twice", o->name, (int)len,
                               c);
            d = dbar ? dbar + 1 : NULL;
        }
        c = bar ? bar + 1 : NULL;
    }
    return RATCHET_OK;
}

static ratchet_status check_option(const ratchet_option *table, const ratchet_option *o,
                                   rt_error *err)
{
    size_t len = strlen(o->name);
    if (len == 0 || len > MAX_NAME ||
        strspn(o->name, "abcdefghijklmnopqrstuvwxyz0123456789_") != len)
        return rt_fail(err, "option '%.64s': names are 1 to %d characters of [a-z0-9_]", o->name,
                       MAX_NAME);
    for (const ratchet_option *p = table; p != o; p = RT_OPT_NEXT(p))
        if (strcmp(p->name, o->name) == 0)
            return rt_fail(err, "option '%s' is declared twice", o->name);
    if ((int)o->type < (int)RATCHET_OPT_STRING || (int)o->type > (int)RATCHET_OPT_NODE)
        return rt_fail(err, "option '%s': unknown type %d", o->name, (int)o->type);
    if (o->type == RATCHET_OPT_ENUM && check_choices(o, err) != RATCHET_OK)
        return RATCHET_ERR;
    if (o->required || !o->default_value)
        return RATCHET_OK;
    cfg_value v;
    memset(&v, 0, sizeof v);
    char why[768];
    /* No basedir or HOME games: a PATH default only has to be a non-empty path. */
    ratchet_status rc = o->type == RATCHET_OPT_PATH && *o->default_value
                            ? RATCHET_OK
                            : take_default(o, &v, NULL, why, sizeof why);
    free(v.text);
    rt_node_free(v.default_tree);
    if (rc == RATCHET_NOMEM)
        return rt_fail(err, "out of memory");
    if (rc != RATCHET_OK)
        return rt_fail(err, "option '%s': default '%.64s' is invalid: %s", o->name,
                       o->default_value, why);
    return RATCHET_OK;
}

ratchet_status rt_options_check_table(const ratchet_option *table, rt_error *err)
{
    size_t count;
    if (rt_options_count(table, &count, err) != RATCHET_OK)
        return RATCHET_ERR;
    if (table && table->abi.abi_major != RATCHET_ABI_MAJOR)
        return rt_fail(err, "option table built for ABI %u.%u, host has %d.%d",
                       (unsigned)table->abi.abi_major, (unsigned)table->abi.abi_minor,
                       RATCHET_ABI_MAJOR, RATCHET_ABI_MINOR);
    RT_OPT_FOREACH(o, table)
    {
        if (check_option(table, o, err) != RATCHET_OK)
            return RATCHET_ERR;
    }
    return RATCHET_OK;
}

static const cfg_value *find(const ratchet_config *cfg, const char *name)
{
    if (!cfg || !name)
        return NULL;
    for (size_t i = 0; i < cfg->count; i++)
        if (strcmp(cfg->values[i].opt->name, name) == 0)
            return &cfg->values[i];
    return NULL;
}

const char *rt_cfg_string(const ratchet_config *cfg, const char *name)
{
    const cfg_value *v = find(cfg, name);
    if (!v)
        return NULL;
    if (v->opt->type == RATCHET_OPT_NODE)
        return rt_node_scalar(v->node);
    return v->text;
}

int64_t rt_cfg_int(const ratchet_config *cfg, const char *name)
{
    const cfg_value *v = find(cfg, name);
    if (!v)
        return 0;
    switch (v->opt->type) {
    case RATCHET_OPT_INT:
    case RATCHET_OPT_SIZE:
    case RATCHET_OPT_DURATION:
    case RATCHET_OPT_BOOL:
        return v->i;
    default:
        return 0;
    }
}

double rt_cfg_double(const ratchet_config *cfg, const char *name)
{
    const cfg_value *v = find(cfg, name);
    if (!v)
        return 0.0;
    if (v->opt->type == RATCHET_OPT_DOUBLE)
        return v->d;
    return (double)rt_cfg_int(cfg, name);
}

int rt_cfg_bool(const ratchet_config *cfg, const char *name)
{
    const cfg_value *v = find(cfg, name);
    return v && v->opt->type == RATCHET_OPT_BOOL ? (int)v->i : 0;
}

const ratchet_node *rt_cfg_node(const ratchet_config *cfg, const char *name)
{
    const cfg_value *v = find(cfg, name);
    return v ? v->node : NULL;
}

int rt_cfg_is_set(const ratchet_config *cfg, const char *name)
{
    const cfg_value *v = find(cfg, name);
    return v ? v->set : 0;
}
