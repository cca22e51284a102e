/*
 * host/task/schema_cpset.c - sets of code points for the regex compiler (schema_regex.c): built
 * range by range, negated, normalised (sorted and merged) for the matcher's binary search.
 */
#include <stdlib.h>
#include <string.h>

#include "schema_internal.h"

#define MAX_CP 0x10FFFFu

void rt_schema_cpset_add(rt_schema_cpset *s, uint32_t lo, uint32_t hi)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 8;
        rt_schema_cprange *r = realloc(s->r, cap * sizeof *r);
        if (!r) {
            s->nomem = 1;
            return;
        }
        s->r = r;
        s->cap = cap;
    }
    s->r[s->n].lo = lo;
    s->r[s->n].hi = hi;
    s->n++;
}

static int range_cmp(const void *a, const void *b)
{
    const rt_schema_cprange *ra = a, *rb = b;
    return ra->lo < rb->lo ? -1 : ra->lo > rb->lo;
}

/* Sort and merge overlapping or adjacent ranges. */
void rt_schema_cpset_normalize(rt_schema_cpset *s)
{
    if (s->n < 2)
        return;
    qsort(s->r, s->n, sizeof *s->r, range_cmp);
    size_t w = 0;
    for (size_t i = 1; i < s->n; i++) {
        if (s->r[i].lo <= s->r[w].hi + 1) {
            if (s->r[i].hi > s->r[w].hi)
                s->r[w].hi = s->r[i].hi;
        } else {
            s->r[++w] = s->r[i];
        }
    }
    s->n = w + 1;
}

/* Replace s by the code points U+0000..U+10FFFF not in it. */
void rt_schema_cpset_negate(rt_schema_cpset *s)
{
    rt_schema_cpset_normalize(s);
    rt_schema_cpset neg = {NULL, 0, 0, s->nomem};
    uint32_t next = 0;
    for (size_t i = 0; i < s->n; i++) {
        if (s->r[i].lo > next)
            rt_schema_cpset_add(&neg, next, s->r[i].lo - 1);
        if (s->r[i].hi + 1 > next)
            next = s->r[i].hi + 1;
    }
    if (next <= MAX_CP)
        rt_schema_cpset_add(&neg, next, MAX_CP);
    free(s->r);
    *s = neg;
}

/* Add the set \d, \w or \s (lower case), or its complement (upper case) to s. */
void rt_schema_cpset_add_class(rt_schema_cpset *s, char c)
{
    static const uint32_t space[][2] = {
        {0x09, 0x0D},     {0x20, 0x20},     {0xA0, 0xA0},     {0x1680, 0x1680}, {0x2000, 0x200A},
        {0x2028, 0x2029}, {0x202F, 0x202F}, {0x205F, 0x205F}, {0x3000, 0x3000}, {0xFEFF, 0xFEFF},
    };
    rt_schema_cpset cls = {NULL, 0, 0, 0};
    switch (c | 0x20) {
    case 'd':
        rt_schema_cpset_add(&cls, '0', '9');
        break;
    case 'w':
        rt_schema_cpset_add(&cls, '0', '9');
        rt_schema_cpset_add(&cls, 'A', 'Z');
        rt_schema_cpset_add(&cls, '_', '_');
        rt_schema_cpset_add(&cls, 'a', 'z');
        break;
    default:
        for (size_t i = 0; i < sizeof space / sizeof space[0]; i++)
            rt_schema_cpset_add(&cls, space[i][0], space[i][1]);
        break;
    }
    if (c >= 'A' && c <= 'Z')
        rt_schema_cpset_negate(&cls);
    for (size_t i = 0; i < cls.n; i++)
        rt_schema_cpset_add(s, cls.r[i].lo, cls.r[i].hi);
    s->nomem |= cls.nomem;
    free(cls.r);
}

void rt_schema_cpset_free(rt_schema_cpset *s)
{
    free(s->r);
    s->r = NULL;
    s->n = s->cap = 0;
}
