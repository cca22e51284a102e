/*
 * host/task/schema_cpset.c - sets of code points for the regex translation (schema_regex.c), and
 * their spelling as a POSIX extended regex over UTF-8 bytes.
 *
 * POSIX brackets in the C locale match single bytes, so a set is written as its ASCII part in
 * one bracket expression plus, for the rest, alternatives of byte-range sequences: the classic
 * decomposition of a code point range into UTF-8 byte ranges (U+0080..U+07FF is
 * [\xC2-\xDF][\x80-\xBF], and so on). The result always consumes exactly one code point.
 */
#include <stdlib.h>
#include <string.h>

#include "schema_internal.h"

#define MAX_CP 0x10FFFFu

typedef struct em {
    ratchet_buf *out;
    int nomem;
} em;

static void em_puts(em *x, const char *s, size_t len)
{
    if (rt_buf_append(x->out, s, len) != RATCHET_OK)
        x->nomem = 1;
}

static void em_putc(em *x, char c)
{
    em_puts(x, &c, 1);
}

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
static void set_normalize(rt_schema_cpset *s)
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

/* Replace s by the code points 1..U+10FFFF not in it (NUL cannot occur in a POSIX pattern). */
void rt_schema_cpset_negate(rt_schema_cpset *s)
{
    set_normalize(s);
    rt_schema_cpset neg = {NULL, 0, 0, s->nomem};
    uint32_t next = 1;
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

size_t rt_schema_utf8_encode(uint32_t cp, unsigned char *b)
{
    if (cp < 0x80) {
        b[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        b[0] = (unsigned char)(0xC0 | (cp >> 6));
        b[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        b[0] = (unsigned char)(0xE0 | (cp >> 12));
        b[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    b[0] = (unsigned char)(0xF0 | (cp >> 18));
    b[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    b[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    b[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Write the code points lo..hi (same UTF-8 length, already split so that every byte position
 * is one contiguous range) as byte ranges, one alternative of the group being built. */
static void emit_utf8_seq(em *x, uint32_t lo, uint32_t hi)
{
    unsigned char a[4] = {0}, b[4] = {0};
    size_t n = rt_schema_utf8_encode(lo, a);
    rt_schema_utf8_encode(hi, b);
    for (size_t i = 0; i < n; i++) {
        if (a[i] == b[i]) {
            em_putc(x, (char)a[i]);
        } else {
            char br[5] = {'[', (char)a[i], '-', (char)b[i], ']'};
            em_puts(x, br, sizeof br);
        }
    }
}

/* Split lo..hi (non-ASCII) until each piece is expressible as a sequence of byte ranges, the
 * classic UTF-8 range decomposition. Each piece is one alternative, preceded by '|'. */
static void emit_utf8_range(em *x, uint32_t lo, uint32_t hi)
{
    static const uint32_t limits[] = {0x7FF, 0xFFFF};
    for (size_t i = 0; i < 2; i++) {
        if (lo <= limits[i] && hi > limits[i]) {
            emit_utf8_range(x, lo, limits[i]);
            emit_utf8_range(x, limits[i] + 1, hi);
            return;
        }
    }
    for (unsigned i = 1; i < 4; i++) {
        uint32_t m = (1u << (6 * i)) - 1;
        if ((lo & ~m) != (hi & ~m)) {
            if ((lo & m) != 0) {
                emit_utf8_range(x, lo, lo | m);
                emit_utf8_range(x, (lo | m) + 1, hi);
                return;
            }
            if ((hi & m) != m) {
                emit_utf8_range(x, lo, (hi & ~m) - 1);
                emit_utf8_range(x, hi & ~m, hi);
                return;
            }
        }
    }
    em_putc(x, '|');
    emit_utf8_seq(x, lo, hi);
}

/* The ASCII part of a set as one bracket expression. The characters POSIX treats specially in
 * brackets are placed where they are literal: ']' first, '-' last, '^' not first. */
static void emit_bracket(em *x, const unsigned char *in)
{
    unsigned char m[128];
    memcpy(m, in, sizeof m);
    int close = m[']'], dash = m['-'], caret = m['^'], open = m['['];
    m[']'] = m['-'] = m['^'] = m['['] = 0;
    int normal = 0;
    for (int c = 1; c < 128; c++)
        normal |= m[c];
    if (caret && !close && !normal && !open) { /* "[^]" would be a negation */
        em_puts(x, dash ? "[-^]" : "\\^", dash ? 4 : 2);
        return;
    }
    em_putc(x, '[');
    if (close)
        em_putc(x, ']');
    for (int c = 1; c < 128; c++) {
        if (!m[c])
            continue;
        int e = c;
        while (e + 1 < 128 && m[e + 1])
            e++;
        em_putc(x, (char)c);
        if (e > c + 1)
            em_putc(x, '-');
        if (e > c)
            em_putc(x, (char)e);
        c = e;
    }
    if (open)
        em_putc(x, '[');
    if (caret)
        em_putc(x, '^');
    if (dash)
        em_putc(x, '-');
    em_putc(x, ']');
}

/* Emit a set of code points as one quantifiable atom. */
int rt_schema_cpset_emit(rt_schema_cpset *s, ratchet_buf *out)
{
    em e = {out, s->nomem}, *x = &e;
    set_normalize(s);
    unsigned char ascii[128] = {0};
    int nascii = 0, nonascii = 0;
    for (size_t i = 0; i < s->n; i++) {
        for (uint32_t c = s->r[i].lo; c <= s->r[i].hi && c < 128; c++) {
            ascii[c] = 1;
            nascii = 1;
        }
        if (s->r[i].hi >= 128)
            nonascii = 1;
    }
    if (!nascii && !nonascii) { /* [] matches nothing; NUL never occurs in a subject */
        em_puts(x, "[^\x01-\xff]", 7);
        return !x->nomem;
    }
    if (!nonascii) {
        emit_bracket(x, ascii);
        return !x->nomem;
    }
    /* ( ascii-bracket | utf8-alternative | ... ): the alternatives are built apart, each
     * with a leading '|', which the first one then drops when there is no ASCII part. */
    ratchet_buf alts = RATCHET_BUF_INIT;
    em a = {&alts, 0};
    for (size_t i = 0; i < s->n; i++) {
        uint32_t lo = s->r[i].lo < 128 ? 128 : s->r[i].lo, hi = s->r[i].hi;
        if (hi < 128)
            continue;
        /* Surrogates are not characters; leave them out of the UTF-8 sequences. */
        if (lo < 0xD800 && hi > 0xDFFF) {
            emit_utf8_range(&a, lo, 0xD7FF);
            emit_utf8_range(&a, 0xE000, hi);
        } else if (lo >= 0xD800 && hi <= 0xDFFF) {
            continue;
        } else {
            emit_utf8_range(&a, lo >= 0xD800 && lo <= 0xDFFF ? 0xE000 : lo,
                            hi >= 0xD800 && hi <= 0xDFFF ? 0xD7FF : hi);
        }
    }
    em_putc(x, '(');
    if (nascii)
        emit_bracket(x, ascii);
    if (alts.data)
        em_puts(x, nascii ? alts.data : alts.data + 1, nascii ? alts.len : alts.len - 1);
    em_putc(x, ')');
    x->nomem |= a.nomem;
    rt_buf_free(&alts);
    return !x->nomem;
}

void rt_schema_cpset_free(rt_schema_cpset *s)
{
    free(s->r);
    s->r = NULL;
    s->n = s->cap = 0;
}
