/* host/core/pattern_rule.c - the rule model of error patterns (see pattern.h): rules, their
 * regexes compiled once with the literals that let the matcher skip regexec, sets. */
#include "pattern.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

rt_rule *rt_rule_new(rt_rule_kind kind)
{
    rt_rule *r = calloc(1, sizeof *r);
    if (r)
        r->kind = kind;
    return r;
}

void rt_rule_free(rt_rule *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nkids; i++)
        rt_rule_free(r->kids[i]);
    for (size_t i = 0; i < r->nliterals; i++) {
        free(r->literals[i].text);
        free(r->literals[i].pairs);
    }
    if (r->compiled)
        regfree(&r->re);
    free(r->literals);
    free(r->kids);
    free(r->field);
    free(r->value);
    free(r);
}

/* ---- literal prefilter -------------------------------------------------------------------
 * A literal any match of a branch must contain: the longest run of plain characters at the
 * top level of the branch (outside groups and brackets; a character made optional by ?, * or
 * {m,n} is dropped). A regex gets a filter only when every top-level branch has one of at
 * least 3 ASCII characters; otherwise regexec always runs. Sound, not complete: it only ever
 * skips events the regex cannot match. */

typedef struct lit_scan {
    char run[128], best[128];
    size_t nrun, nbest;
    int bad; /* a non-ASCII literal character: no filter for this branch */
} lit_scan;

static void lit_break(lit_scan *s)
{
    if (s->nrun > s->nbest) {
        memcpy(s->best, s->run, s->nrun);
        s->nbest = s->nrun;
    }
    s->nrun = 0;
}

static void lit_push(lit_scan *s, char c)
{
    if ((unsigned char)c >= 0x80)
        s->bad = 1;
    if (s->nrun < sizeof s->run)
        s->run[s->nrun++] = (char)tolower((unsigned char)c);
}

/* Skip a group starting at p ('('); returns the position after its ')'. */
static const char *skip_group(const char *p, const char *end)
{
    int depth = 0;
    while (p < end) {
        if (*p == '\\' && p + 1 < end)
            p += 2;
        else if (*p == '[')
            p = rt_regex_skip_bracket(p, end);
        else {
            if (*p == '(')
                depth++;
            else if (*p == ')' && --depth == 0)
                return p + 1;
            p++;
        }
    }
    return end;
}

/* The literal of one top-level branch [p, end) into s->best. */
static void branch_literal(const char *p, const char *end, lit_scan *s)
{
    while (p < end) {
        char c = *p;
        if (c == '\\' && p + 1 < end) {
            if (ispunct((unsigned char)p[1]))
                lit_push(s, p[1]);
            else
                lit_break(s);
            p += 2;
        } else if (c == '(') {
            lit_break(s);
            p = skip_group(p, end);
        } else if (c == '[') {
            lit_break(s);
            p = rt_regex_skip_bracket(p, end);
        } else if (c == '*' || c == '?' || c == '{') {
            if (s->nrun > 0)
                s->nrun--;
            lit_break(s);
            if (c == '{')
                while (p < end && *p != '}')
                    p++;
            p++;
        } else if (c == '+' || c == '.' || c == '^' || c == '$') {
            lit_break(s);
            p++;
        } else {
            lit_push(s, c);
            p++;
        }
    }
    lit_break(s);
}

static ratchet_status add_literal(rt_rule *r, const lit_scan *s)
{
    rt_rule_literal *grown = realloc(r->literals, (r->nliterals + 1) * sizeof *grown);
    if (!grown)
        return RATCHET_NOMEM;
    r->literals = grown;
    char *text = strndup(s->best, s->nbest);
    uint16_t *pairs = malloc(s->nbest * sizeof *pairs);
    if (!text || !pairs) {
        free(text);
        free(pairs);
        return RATCHET_NOMEM;
    }
    for (size_t i = 1; i < s->nbest; i++)
        pairs[i - 1] =
            (uint16_t)rt_pattern_pair((unsigned char)text[i - 1], (unsigned char)text[i]);
    r->literals[r->nliterals].text = text;
    r->literals[r->nliterals].len = s->nbest;
    r->literals[r->nliterals].pairs = pairs;
    r->nliterals++;
    return RATCHET_OK;
}

static void drop_literals(rt_rule *r)
{
    for (size_t i = 0; i < r->nliterals; i++) {
        free(r->literals[i].text);
        free(r->literals[i].pairs);
    }
    free(r->literals);
    r->literals = NULL;
    r->nliterals = 0;
}

/* Find the literals of every top-level branch; none at all when one branch has none. */
static void find_literals(rt_rule *r)
{
    const char *p = r->value, *end = p + strlen(p), *start = p;
    while (p <= end) {
        if (p == end || *p == '|') {
            lit_scan s = {.nrun = 0};
            branch_literal(start, p, &s);
            if (s.bad || s.nbest < 3 || add_literal(r, &s) != RATCHET_OK) {
                drop_literals(r);
                return;
            }
            start = p + 1;
            p++;
        } else if (*p == '\\' && p + 1 < end) {
            p += 2;
        } else if (*p == '(') {
            p = skip_group(p, end);
        } else if (*p == '[') {
            p = rt_regex_skip_bracket(p, end);
        } else {
            p++;
        }
    }
}

ratchet_status rt_rule_compile(rt_rule *r, rt_error *err)
{
    if (rt_regex_check(r->value, err) != RATCHET_OK)
        return RATCHET_ERR;
    int rc = regcomp(&r->re, r->value, REG_EXTENDED | REG_ICASE | REG_NOSUB);
    if (rc != 0) {
        char why[256];
        regerror(rc, &r->re, why, sizeof why);
        return rt_fail(err, "invalid regular expression '%.80s': %s", r->value, why);
    }
    r->compiled = 1;
    find_literals(r);
    return RATCHET_OK;
}

/* ---- patterns and sets -------------------------------------------------------------------- */

void rt_pattern_free(rt_pattern *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->nsuggestions; i++)
        free(p->suggestions[i]);
    free(p->suggestions);
    rt_rule_free(p->rule);
    free(p->id);
    free(p->name);
    free(p->category);
    free(p->severity);
    free(p->description);
    free(p->where);
    free(p);
}

void rt_pattern_set_clear(rt_pattern_set *set)
{
    for (size_t i = 0; i < set->n; i++)
        rt_pattern_free(set->items[i]);
    free(set->items);
    set->items = NULL;
    set->n = 0;
}

ratchet_status rt_pattern_set_add(rt_pattern_set *set, rt_pattern *p, rt_error *err)
{
    if (set->n >= RT_PATTERN_MAX) {
        rt_pattern_free(p);
        return rt_fail(err, "too many patterns (at most %d)", RT_PATTERN_MAX);
    }
    rt_pattern **grown = realloc(set->items, (set->n + 1) * sizeof *grown);
    if (!grown) {
        rt_pattern_free(p);
        return rt_fail(err, "out of memory");
    }
    set->items = grown;
    set->items[set->n++] = p;
    return RATCHET_OK;
}

const rt_pattern *rt_pattern_set_find(const rt_pattern_set *set, const char *id)
{
    for (size_t i = 0; set && i < set->n; i++)
        if (strcmp(set->items[i]->id, id) == 0)
            return set->items[i];
    return NULL;
}

int rt_pattern_level(const char *name)
{
    static const char *const names[] = {"trace", "debug", "info", "warn", "error"};
    for (int i = 0; i < 5; i++)
        if (strcasecmp(name, names[i]) == 0)
            return i;
    if (strcasecmp(name, "warning") == 0)
        return RATCHET_LOG_WARN;
    return -1;
}
