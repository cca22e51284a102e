/* host/core/pattern_match.c - matching events against a set of error patterns (pattern.h).
 *
 * Speed: regexec is the cost (about 1 us per regex on a short message), so each event's
 * message is lowered once and summarised as a bitmap of its hashed character pairs; a regex
 * rule whose required literals (pattern_rule.c) cannot all be present by that bitmap, or are
 * then not found by memmem, fails without regexec. Events without the words of a pattern,
 * the vast majority, never reach the regex engine. */
#define _GNU_SOURCE
#include "pattern.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define LOWER_MAX 4096 /* longer messages skip the prefilter (regexec decides) */

typedef struct match_ctx {
    const rt_pattern_event *ev;
    int lowered; /* 0: not yet; 1: ready; -1: message too long, no prefilter */
    size_t len;
    char lower[LOWER_MAX];
    uint64_t pairs[RT_PATTERN_PAIR_BITS / 64];
} match_ctx;

static char ascii_lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c + ('a' - 'A')) : c;
}

static void lower_message(match_ctx *c)
{
    const char *m = c->ev->message ? c->ev->message : "";
    size_t len = strlen(m);
    if (len >= LOWER_MAX) {
        c->lowered = -1;
        return;
    }
    memset(c->pairs, 0, sizeof c->pairs);
    for (size_t i = 0; i < len; i++) {
        c->lower[i] = ascii_lower(m[i]);
        if (i > 0) {
            unsigned h =
                rt_pattern_pair((unsigned char)c->lower[i - 1], (unsigned char)c->lower[i]);
            c->pairs[h / 64] |= (uint64_t)1 << (h % 64);
        }
    }
    c->lower[len] = '\0';
    c->len = len;
    c->lowered = 1;
}

static int literal_present(const match_ctx *c, const rt_rule_literal *l)
{
    for (size_t i = 0; i + 1 < l->len; i++) {
        unsigned h = l->pairs[i];
        if (!(c->pairs[h / 64] & ((uint64_t)1 << (h % 64))))
            return 0;
    }
    return memmem(c->lower, c->len, l->text, l->len) != NULL;
}

/* 0 when no required literal occurs (the regex cannot match); 1 when regexec must decide. */
static int may_match(match_ctx *c, const rt_rule *r)
{
    if (!r->nliterals)
        return 1;
    if (!c->lowered)
        lower_message(c);
    if (c->lowered < 0)
        return 1;
    for (size_t i = 0; i < r->nliterals; i++)
        if (literal_present(c, &r->literals[i]))
            return 1;
    return 0;
}

static const char *level_name(ratchet_log_level l)
{
    static const char *const names[] = {"trace", "debug", "info", "warn", "error"};
    return (unsigned)l < 5 ? names[l] : "";
}

/* The value of a rule's field: a field of the event by that name, else for "message",
 * "level" and "source" the event's own. */
static const char *field_value(const rt_pattern_event *ev, const rt_rule *r)
{
    for (size_t i = 0; i < ev->nfields; i++) {
        const char *k = ev->fields[i].key;
        if (k && k[0] == r->field[0] && strcmp(k, r->field) == 0)
            return ev->fields[i].value;
    }
    switch (r->field_kind) {
    case RT_FIELD_MESSAGE:
        return ev->message;
    case RT_FIELD_LEVEL:
        return level_name(ev->level);
    case RT_FIELD_SOURCE:
        return ev->source;
    default:
        return NULL;
    }
}

static int eval(const rt_rule *r, match_ctx *c)
{
    const char *v;
    switch (r->kind) {
    case RT_RULE_LEVEL:
        return c->ev->level == r->level;
    case RT_RULE_MESSAGE_REGEX:
        return c->ev->message && may_match(c, r) &&
               regexec(&r->re, c->ev->message, 0, NULL, 0) == 0;
    case RT_RULE_FIELD_EQUALS:
        v = field_value(c->ev, r);
        return v && v[0] == r->value[0] && strcmp(v, r->value) == 0;
    case RT_RULE_FIELD_CONTAINS:
        v = field_value(c->ev, r);
        return v && strcasestr(v, r->value) != NULL;
    case RT_RULE_AND:
        for (size_t i = 0; i < r->nkids; i++)
            if (!eval(r->kids[i], c))
                return 0;
        return 1;
    case RT_RULE_OR:
        for (size_t i = 0; i < r->nkids; i++)
            if (eval(r->kids[i], c))
                return 1;
        return 0;
    case RT_RULE_NOT:
        return r->nkids == 1 && !eval(r->kids[0], c);
    }
    return 0;
}

int rt_rule_eval(const rt_rule *r, const rt_pattern_event *ev)
{
    match_ctx c;
    c.ev = ev;
    c.lowered = 0;
    return eval(r, &c);
}

size_t rt_patterns_match(const rt_pattern_set *set, const rt_pattern_event *ev,
                         rt_pattern_match *out, size_t max)
{
    match_ctx c;
    c.ev = ev;
    c.lowered = 0;
    size_t n = 0;
    for (size_t i = 0; set && i < set->n; i++) {
        if (ev->level < set->items[i]->min_level || !eval(set->items[i]->rule, &c))
            continue;
        if (n < max) {
            out[n].pattern = set->items[i];
            out[n].confidence = set->items[i]->confidence;
        }
        n++;
    }
    return n;
}
