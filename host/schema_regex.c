/*
 * host/schema_regex.c - ECMA-262 patterns ("pattern", "patternProperties", format "regex") run
 * on POSIX regcomp/regexec (REG_EXTENDED).
 *
 * The pattern is parsed as ECMA-262 and re-emitted as a POSIX extended regex over bytes: every
 * character class becomes the set of code points it means, written as UTF-8 byte sequences, so
 * that "." and [^a] consume one whole code point and [à-ÿ] works, whatever the process locale
 * (compiling and matching run under the "C" locale, set per thread with uselocale()). What
 * POSIX cannot express (lookaround, backreferences) is refused as unsupported rather than
 * matched wrongly. Laziness is dropped: it changes which match is found, never whether one is.
 */
#include <locale.h>
#include <pthread.h>
#include <regex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema_internal.h"

#define RX_MAX_SOURCE 65536 /* bytes of ECMA source */
#define RX_MAX_GROUPS 100   /* nesting of (...) */
#define RX_MAX_REPEAT 1000  /* {n,m}: glibc expands counted repeats into copies */
#define RX_MAX_CP     0x10FFFFu

struct rt_schema_regex {
    regex_t re;
};

typedef struct rx_range {
    uint32_t lo, hi;
} rx_range;

typedef struct rx_set {
    rx_range *r;
    size_t n, cap;
} rx_set;

typedef struct rx {
    const char *p, *end;
    ratchet_buf out;
    ratchet_buf *why;
    int status;
    int groups;
} rx;

static pthread_once_t rx_once = PTHREAD_ONCE_INIT;
static locale_t rx_c_locale = (locale_t)0;

/* One "C" locale object for the whole process: regcomp and regexec must treat the pattern and
 * the subject as bytes even when the program has called setlocale() with a UTF-8 locale. */
static void rx_init_locale(void)
{
    rx_c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
}

static locale_t rx_enter(void)
{
    pthread_once(&rx_once, rx_init_locale);
    return rx_c_locale ? uselocale(rx_c_locale) : (locale_t)0;
}

static void rx_leave(locale_t old)
{
    if (old)
        uselocale(old);
}

static void rx_error(rx *x, int status, const char *fmt, const char *arg)
{
    if (x->status != RT_SCHEMA_RE_OK)
        return;
    x->status = status;
    if (x->why && status != RT_SCHEMA_RE_NOMEM)
        rt_buf_printf(x->why, fmt, arg ? arg : "");
}

static void rx_puts(rx *x, const char *s, size_t len)
{
    if (rt_buf_append(&x->out, s, len) != RATCHET_OK)
        x->status = RT_SCHEMA_RE_NOMEM;
}

static void rx_putc(rx *x, char c)
{
    rx_puts(x, &c, 1);
}

/* --- code point sets ---------------------------------------------------------------------- */

static void set_add(rx *x, rx_set *s, uint32_t lo, uint32_t hi)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 8;
        rx_range *r = realloc(s->r, cap * sizeof *r);
        if (!r) {
            x->status = RT_SCHEMA_RE_NOMEM;
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
    const rx_range *ra = a, *rb = b;
    return ra->lo < rb->lo ? -1 : ra->lo > rb->lo;
}

/* Sort and merge overlapping or adjacent ranges. */
static void set_normalize(rx_set *s)
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
static void set_negate(rx *x, rx_set *s)
{
    set_normalize(s);
    rx_set neg = {NULL, 0, 0};
    uint32_t next = 1;
    for (size_t i = 0; i < s->n; i++) {
        if (s->r[i].lo > next)
            set_add(x, &neg, next, s->r[i].lo - 1);
        if (s->r[i].hi + 1 > next)
            next = s->r[i].hi + 1;
    }
    if (next <= RX_MAX_CP)
        set_add(x, &neg, next, RX_MAX_CP);
    free(s->r);
    *s = neg;
}

/* Add the set \d, \w or \s (lower case), or its complement (upper case) to s. */
static void set_add_class(rx *x, rx_set *s, char c)
{
    static const uint32_t space[][2] = {
        {0x09, 0x0D},     {0x20, 0x20},     {0xA0, 0xA0},     {0x1680, 0x1680}, {0x2000, 0x200A},
        {0x2028, 0x2029}, {0x202F, 0x202F}, {0x205F, 0x205F}, {0x3000, 0x3000}, {0xFEFF, 0xFEFF},
    };
    rx_set cls = {NULL, 0, 0};
    switch (c | 0x20) {
    case 'd':
        set_add(x, &cls, '0', '9');
        break;
    case 'w':
        set_add(x, &cls, '0', '9');
        set_add(x, &cls, 'A', 'Z');
        set_add(x, &cls, '_', '_');
        set_add(x, &cls, 'a', 'z');
        break;
    default:
        for (size_t i = 0; i < sizeof space / sizeof space[0]; i++)
            set_add(x, &cls, space[i][0], space[i][1]);
        break;
    }
    if (c >= 'A' && c <= 'Z')
        set_negate(x, &cls);
    for (size_t i = 0; i < cls.n; i++)
        set_add(x, s, cls.r[i].lo, cls.r[i].hi);
    free(cls.r);
}

static size_t utf8_encode(uint32_t cp, unsigned char *b)
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
static void emit_utf8_seq(rx *x, uint32_t lo, uint32_t hi)
{
    unsigned char a[4], b[4];
    size_t n = utf8_encode(lo, a);
    utf8_encode(hi, b);
    for (size_t i = 0; i < n; i++) {
        if (a[i] == b[i]) {
            rx_putc(x, (char)a[i]);
        } else {
            char br[5] = {'[', (char)a[i], '-', (char)b[i], ']'};
            rx_puts(x, br, sizeof br);
        }
    }
}

/* Split lo..hi (non-ASCII) until each piece is expressible as a sequence of byte ranges, the
 * classic UTF-8 range decomposition. Each piece is one alternative, preceded by '|'. */
static void emit_utf8_range(rx *x, uint32_t lo, uint32_t hi)
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
    rx_putc(x, '|');
    emit_utf8_seq(x, lo, hi);
}

/* The ASCII part of a set as one bracket expression. The characters POSIX treats specially in
 * brackets are placed where they are literal: ']' first, '-' last, '^' not first. */
static void emit_bracket(rx *x, const unsigned char *in)
{
    unsigned char m[128];
    memcpy(m, in, sizeof m);
    int close = m[']'], dash = m['-'], caret = m['^'], open = m['['];
    m[']'] = m['-'] = m['^'] = m['['] = 0;
    int normal = 0;
    for (int c = 1; c < 128; c++)
        normal |= m[c];
    if (caret && !close && !normal && !open) { /* "[^]" would be a negation */
        rx_puts(x, dash ? "[-^]" : "\\^", dash ? 4 : 2);
        return;
    }
    rx_putc(x, '[');
    if (close)
        rx_putc(x, ']');
    for (int c = 1; c < 128; c++) {
        if (!m[c])
            continue;
        int e = c;
        while (e + 1 < 128 && m[e + 1])
            e++;
        rx_putc(x, (char)c);
        if (e > c + 1)
            rx_putc(x, '-');
        if (e > c)
            rx_putc(x, (char)e);
        c = e;
    }
    if (open)
        rx_putc(x, '[');
    if (caret)
        rx_putc(x, '^');
    if (dash)
        rx_putc(x, '-');
    rx_putc(x, ']');
}

/* Emit a set of code points as one quantifiable atom. */
static void emit_set(rx *x, rx_set *s)
{
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
        rx_puts(x, "[^\x01-\xff]", 7);
        return;
    }
    if (!nonascii) {
        emit_bracket(x, ascii);
        return;
    }
    rx_putc(x, '(');
    size_t first = x->out.len;
    if (nascii)
        emit_bracket(x, ascii);
    for (size_t i = 0; i < s->n; i++) {
        uint32_t lo = s->r[i].lo < 128 ? 128 : s->r[i].lo, hi = s->r[i].hi;
        if (hi < 128)
            continue;
        /* Surrogates are not characters; leave them out of the UTF-8 sequences. */
        if (lo < 0xD800 && hi > 0xDFFF) {
            emit_utf8_range(x, lo, 0xD7FF);
            emit_utf8_range(x, 0xE000, hi);
        } else if (lo >= 0xD800 && hi <= 0xDFFF) {
            continue;
        } else {
            emit_utf8_range(x, lo >= 0xD800 && lo <= 0xDFFF ? 0xE000 : lo,
                            hi >= 0xD800 && hi <= 0xDFFF ? 0xD7FF : hi);
        }
    }
    /* Each UTF-8 alternative starts with '|'; the first needs none. */
    if (!nascii && x->status == RT_SCHEMA_RE_OK && x->out.len > first &&
        x->out.data[first] == '|') {
        memmove(x->out.data + first, x->out.data + first + 1, x->out.len - first);
        x->out.len--;
    }
    rx_putc(x, ')');
}

/* One literal code point as an atom. */
static void emit_literal(rx *x, uint32_t cp)
{
    if (cp == 0) {
        rx_error(x, RT_SCHEMA_RE_UNSUPPORTED, "a NUL character in a pattern is not supported%s",
                 NULL);
        return;
    }
    if (cp >= 0x80) {
        unsigned char b[4];
        size_t n = utf8_encode(cp, b);
        rx_putc(x, '(');
        rx_puts(x, (const char *)b, n);
        rx_putc(x, ')');
        return;
    }
    char c = (char)cp;
    if (c == '\\' || c == '^') {
        rx_putc(x, '\\');
        rx_putc(x, c);
    } else if (strchr(".[]()*+?{}|$", c)) {
        char br[3] = {'[', c, ']'};
        rx_puts(x, br, 3);
    } else {
        rx_putc(x, c);
    }
}

/* --- the ECMA-262 parser -------------------------------------------------------------------- */

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Read n hex digits at x->p; -1 when they are not there. */
static long read_hex(rx *x, int n)
{
    long v = 0;
    if (x->end - x->p < n)
        return -1;
    for (int i = 0; i < n; i++) {
        int h = hexval(x->p[i]);
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    x->p += n;
    return v;
}

/* Decode one UTF-8 character of the source. */
static uint32_t read_char(rx *x)
{
    size_t used = 1;
    uint32_t cp = 0;
    if (!rt_utf8_next(x->p, (size_t)(x->end - x->p), &used, &cp))
        rx_error(x, RT_SCHEMA_RE_SYNTAX, "invalid UTF-8 in the pattern%s", NULL);
    x->p += used;
    return cp;
}

/* \u escapes: \uHHHH (a surrogate pair written as two joins into one code point) or \u{H..}. */
static uint32_t read_unicode_escape(rx *x)
{
    if (x->p < x->end && *x->p == '{') {
        x->p++;
        uint32_t v = 0;
        int digits = 0;
        while (x->p < x->end && hexval(*x->p) >= 0 && v <= RX_MAX_CP) {
            v = v * 16 + (uint32_t)hexval(*x->p++);
            digits++;
        }
        if (!digits || v > RX_MAX_CP || x->p >= x->end || *x->p != '}') {
            rx_error(x, RT_SCHEMA_RE_SYNTAX, "invalid \\u{...} escape%s", NULL);
            return 0;
        }
        x->p++;
        return v;
    }
    long v = read_hex(x, 4);
    if (v < 0) {
        rx_error(x, RT_SCHEMA_RE_SYNTAX, "invalid \\u escape (four hex digits expected)%s", NULL);
        return 0;
    }
    if (v >= 0xD800 && v <= 0xDBFF && x->end - x->p >= 6 && x->p[0] == '\\' && x->p[1] == 'u') {
        const char *save = x->p;
        x->p += 2;
        long lo = read_hex(x, 4);
        if (lo >= 0xDC00 && lo <= 0xDFFF)
            return (uint32_t)(0x10000 + ((v - 0xD800) << 10) + (lo - 0xDC00));
        x->p = save;
    }
    return (uint32_t)v;
}

/* A character escape after '\' (x->p is past the backslash), as a code point. Class escapes
 * (\d ...), assertions and backreferences are handled by the callers. */
static uint32_t read_char_escape(rx *x, int in_class)
{
    char c = *x->p++;
    switch (c) {
    case 'f':
        return '\f';
    case 'n':
        return '\n';
    case 'r':
        return '\r';
    case 't':
        return '\t';
    case 'v':
        return '\v';
    case 'b':
        return '\b'; /* only reached inside a class, where \b is backspace */
    case 'c':
        if (x->p < x->end && ((*x->p >= 'a' && *x->p <= 'z') || (*x->p >= 'A' && *x->p <= 'Z')))
            return (uint32_t)(*x->p++ % 32);
        rx_error(x, RT_SCHEMA_RE_SYNTAX, "invalid \\c escape%s", NULL);
        return 0;
    case '0':
        if (x->p < x->end && *x->p >= '0' && *x->p <= '9')
            rx_error(x, RT_SCHEMA_RE_SYNTAX, "invalid escape \\0 followed by a digit%s", NULL);
        return 0;
    case 'x': {
        long v = read_hex(x, 2);
        if (v < 0)
            rx_error(x, RT_SCHEMA_RE_SYNTAX, "invalid \\x escape (two hex digits expected)%s",
                     NULL);
        return v < 0 ? 0 : (uint32_t)v;
    }
    case 'u':
        return read_unicode_escape(x);
    default:
        break;
    }
    if (strchr("^$\\.*+?()[]{}|/", c) || (in_class && c == '-'))
        return (uint32_t)(unsigned char)c;
    char bad[3] = {'\\', c, '\0'};
    rx_error(x, RT_SCHEMA_RE_SYNTAX, "invalid escape %s", bad);
    return 0;
}

/* One class atom: a code point (returns 1) or a class escape added to s (returns 0). */
static int class_atom(rx *x, rx_set *s, uint32_t *cp)
{
    if (*x->p != '\\') {
        *cp = read_char(x);
        return 1;
    }
    x->p++;
    if (x->p >= x->end) {
        rx_error(x, RT_SCHEMA_RE_SYNTAX, "pattern ends with a backslash%s", NULL);
        return 0;
    }
    if (strchr("dDwWsS", *x->p)) {
        set_add_class(x, s, *x->p++);
        return 0;
    }
    if (*x->p >= '1' && *x->p <= '9') {
        rx_error(x, RT_SCHEMA_RE_SYNTAX, "invalid escape (a backreference) in a class%s", NULL);
        return 0;
    }
    *cp = read_char_escape(x, 1);
    return 1;
}

/* [...] with x->p just past '['. */
static void parse_class(rx *x)
{
    rx_set s = {NULL, 0, 0};
    int negate = 0;
    if (x->p < x->end && *x->p == '^') {
        negate = 1;
        x->p++;
    }
    while (x->status == RT_SCHEMA_RE_OK) {
        if (x->p >= x->end) {
            rx_error(x, RT_SCHEMA_RE_SYNTAX, "missing ] to close a character class%s", NULL);
            break;
        }
        if (*x->p == ']') {
            x->p++;
            break;
        }
        uint32_t lo = 0, hi = 0;
        int is_char = class_atom(x, &s, &lo);
        if (x->status != RT_SCHEMA_RE_OK)
            break;
        /* A '-' between two characters makes a range; elsewhere it is literal (Annex B). */
        if (is_char && x->end - x->p >= 2 && x->p[0] == '-' && x->p[1] != ']') {
            x->p++;
            int hi_is_char = class_atom(x, &s, &hi);
            if (x->status != RT_SCHEMA_RE_OK)
                break;
            if (!hi_is_char) {
                set_add(x, &s, lo, lo);
                set_add(x, &s, '-', '-');
                continue;
            }
            if (hi < lo) {
                rx_error(x, RT_SCHEMA_RE_SYNTAX, "range out of order in a character class%s", NULL);
                break;
            }
            set_add(x, &s, lo, hi);
        } else if (is_char) {
            set_add(x, &s, lo, lo);
        }
    }
    size_t kept = 0; /* NUL cannot be written in a POSIX pattern: drop it */
    for (size_t i = 0; i < s.n; i++) {
        if (s.r[i].hi == 0)
            continue;
        s.r[kept] = s.r[i];
        if (s.r[kept].lo == 0)
            s.r[kept].lo = 1;
        kept++;
    }
    s.n = kept;
    if (negate)
        set_negate(x, &s);
    if (x->status == RT_SCHEMA_RE_OK)
        emit_set(x, &s);
    free(s.r);
}

/* {n}, {n,}, {n,m} at x->p. Returns 1 and emits it when it is a quantifier; 0 (nothing
 * consumed) when the '{' is a literal, as Annex B allows. */
static int parse_braces(rx *x, int can_repeat)
{
    const char *q = x->p + 1;
    unsigned long n = 0, m = 0;
    int has_m = 0, comma = 0;
    if (q >= x->end || *q < '0' || *q > '9')
        return 0;
    while (q < x->end && *q >= '0' && *q <= '9')
        n = n > 100000 ? n : n * 10 + (unsigned long)(*q++ - '0');
    if (q < x->end && *q == ',') {
        comma = 1;
        q++;
        while (q < x->end && *q >= '0' && *q <= '9') {
            m = m > 100000 ? m : m * 10 + (unsigned long)(*q++ - '0');
            has_m = 1;
        }
    }
    if (q >= x->end || *q != '}')
        return 0;
    x->p = q + 1;
    if (!can_repeat) {
        rx_error(x, RT_SCHEMA_RE_SYNTAX, "nothing to repeat before {%s", NULL);
        return 1;
    }
    if (has_m && m < n) {
        rx_error(x, RT_SCHEMA_RE_SYNTAX, "numbers out of order in a {n,m} quantifier%s", NULL);
        return 1;
    }
    if (n > RX_MAX_REPEAT || m > RX_MAX_REPEAT) {
        rx_error(x, RT_SCHEMA_RE_UNSUPPORTED, "repetition counts above 1000 are not supported%s",
                 NULL);
        return 1;
    }
    char q_text[32];
    int len;
    if (!comma)
        len = snprintf(q_text, sizeof q_text, "{%lu}", n);
    else if (!has_m)
        len = snprintf(q_text, sizeof q_text, "{%lu,}", n);
    else
        len = snprintf(q_text, sizeof q_text, "{%lu,%lu}", n, m);
    if (len > 0 && (size_t)len < sizeof q_text)
        rx_puts(x, q_text, (size_t)len);
    return 1;
}

static void parse_disjunction(rx *x);

/* (...) with x->p just past '('. */
static void parse_group(rx *x)
{
    if (++x->groups > RX_MAX_GROUPS) {
        rx_error(x, RT_SCHEMA_RE_UNSUPPORTED, "groups nested too deeply%s", NULL);
        return;
    }
    if (x->p < x->end && *x->p == '?') {
        x->p++;
        if (x->p < x->end && *x->p == ':') {
            x->p++;
        } else if (x->p < x->end && (*x->p == '=' || *x->p == '!')) {
            rx_error(x, RT_SCHEMA_RE_UNSUPPORTED, "lookahead (?= (?! is not supported%s", NULL);
            return;
        } else if (x->end - x->p >= 2 && *x->p == '<' && (x->p[1] == '=' || x->p[1] == '!')) {
            rx_error(x, RT_SCHEMA_RE_UNSUPPORTED, "lookbehind (?<= (?<! is not supported%s", NULL);
            return;
        } else if (x->p < x->end && *x->p == '<') {
            const char *name = ++x->p;
            while (x->p < x->end &&
                   (*x->p == '_' || *x->p == '$' || (*x->p >= '0' && *x->p <= '9' && x->p > name) ||
                    ((*x->p | 0x20) >= 'a' && (*x->p | 0x20) <= 'z')))
                x->p++;
            if (x->p == name || x->p >= x->end || *x->p != '>') {
                rx_error(x, RT_SCHEMA_RE_SYNTAX, "invalid group name%s", NULL);
                return;
            }
            x->p++;
        } else {
            rx_error(x, RT_SCHEMA_RE_SYNTAX, "invalid group: (? must be followed by : = ! or <%s",
                     NULL);
            return;
        }
    }
    rx_putc(x, '(');
    parse_disjunction(x);
    if (x->status != RT_SCHEMA_RE_OK)
        return;
    if (x->p >= x->end || *x->p != ')') {
        rx_error(x, RT_SCHEMA_RE_SYNTAX, "missing ) to close a group%s", NULL);
        return;
    }
    x->p++;
    rx_putc(x, ')');
    x->groups--;
}

/* An escape outside a class, x->p just past the backslash. Returns whether a quantifier may
 * follow. */
static int parse_escape(rx *x)
{
    if (x->p >= x->end) {
        rx_error(x, RT_SCHEMA_RE_SYNTAX, "pattern ends with a backslash%s", NULL);
        return 0;
    }
    char c = *x->p;
    if (c == 'b' || c == 'B') {
        x->p++;
        /* glibc's \b \B; word characters in the C locale are ASCII letters, digits and '_'. */
        rx_puts(x, c == 'b' ? "\\b" : "\\B", 2);
        return 0;
    }
    if (strchr("dDwWsS", c)) {
        rx_set s = {NULL, 0, 0};
        x->p++;
        set_add_class(x, &s, c);
        emit_set(x, &s);
        free(s.r);
        return 1;
    }
    if ((c >= '1' && c <= '9') || c == 'k') {
        rx_error(x, RT_SCHEMA_RE_UNSUPPORTED, "backreferences are not supported%s", NULL);
        return 0;
    }
    emit_literal(x, read_char_escape(x, 0));
    return 1;
}

static void parse_alternative(rx *x)
{
    int can_repeat = 0; /* is there an atom a quantifier may apply to? */
    while (x->status == RT_SCHEMA_RE_OK && x->p < x->end && *x->p != '|' && *x->p != ')') {
        char c = *x->p;
        if (c == '*' || c == '+' || c == '?' || (c == '{' && parse_braces(x, can_repeat))) {
            if (c != '{') {
                if (!can_repeat) {
                    char what[2] = {c, '\0'};
                    rx_error(x, RT_SCHEMA_RE_SYNTAX, "nothing to repeat before %s", what);
                    return;
                }
                x->p++;
                rx_putc(x, c);
            }
            if (x->p < x->end && *x->p == '?') /* lazy: same set of matching strings */
                x->p++;
            can_repeat = 0;
            continue;
        }
        switch (c) {
        case '^':
        case '$':
            x->p++;
            rx_putc(x, c);
            can_repeat = 0;
            break;
        case '(':
            x->p++;
            parse_group(x);
            can_repeat = 1;
            break;
        case '[':
            x->p++;
            parse_class(x);
            can_repeat = 1;
            break;
        case '.': {
            rx_set s = {NULL, 0, 0};
            x->p++;
            set_add(x, &s, '\n', '\n');
            set_add(x, &s, '\r', '\r');
            set_add(x, &s, 0x2028, 0x2029);
            set_negate(x, &s);
            emit_set(x, &s);
            free(s.r);
            can_repeat = 1;
            break;
        }
        case '\\':
            x->p++;
            can_repeat = parse_escape(x);
            break;
        default: /* includes a lone ']', '}' and a '{' that is no quantifier (Annex B) */
            emit_literal(x, read_char(x));
            can_repeat = 1;
            break;
        }
    }
}

static void parse_disjunction(rx *x)
{
    parse_alternative(x);
    while (x->status == RT_SCHEMA_RE_OK && x->p < x->end && *x->p == '|') {
        x->p++;
        rx_putc(x, '|');
        parse_alternative(x);
    }
}

int rt_schema_regex_compile(const char *src, size_t len, rt_schema_regex **out, ratchet_buf *why)
{
    *out = NULL;
    rx x = {src, src + len, RATCHET_BUF_INIT, why, RT_SCHEMA_RE_OK, 0};
    if (len > RX_MAX_SOURCE) {
        rx_error(&x, RT_SCHEMA_RE_UNSUPPORTED, "patterns longer than 64 KiB are not supported%s",
                 NULL);
        return x.status;
    }
    rx_puts(&x, "", 0); /* an empty pattern still needs a buffer */
    parse_disjunction(&x);
    if (x.status == RT_SCHEMA_RE_OK && x.p < x.end)
        rx_error(&x, RT_SCHEMA_RE_SYNTAX, "unmatched )%s", NULL);
    if (x.status != RT_SCHEMA_RE_OK) {
        rt_buf_free(&x.out);
        return x.status;
    }
    rt_schema_regex *re = malloc(sizeof *re);
    if (!re) {
        rt_buf_free(&x.out);
        return RT_SCHEMA_RE_NOMEM;
    }
    locale_t old = rx_enter();
    int rc = regcomp(&re->re, x.out.data, REG_EXTENDED | REG_NOSUB);
    if (rc != 0) {
        char msg[128];
        regerror(rc, &re->re, msg, sizeof msg);
        rx_leave(old);
        /* The translation is always well-formed POSIX; what is left is a resource limit. */
        rx_error(&x, rc == REG_ESPACE ? RT_SCHEMA_RE_NOMEM : RT_SCHEMA_RE_UNSUPPORTED,
                 "the POSIX regex engine refused it: %s", msg);
        free(re);
        rt_buf_free(&x.out);
        return x.status;
    }
    rx_leave(old);
    rt_buf_free(&x.out);
    *out = re;
    return RT_SCHEMA_RE_OK;
}

int rt_schema_regex_search(const rt_schema_regex *re, const char *s, size_t len)
{
    locale_t old = rx_enter();
    int rc;
#ifdef REG_STARTEND
    /* The subject's length is explicit, so a string with a NUL is searched whole. */
    regmatch_t m[1];
    m[0].rm_so = 0;
    m[0].rm_eo = (regoff_t)len;
    rc = regexec(&re->re, s, 1, m, REG_STARTEND);
#else
    (void)len;
    rc = regexec(&re->re, s, 0, NULL, 0);
#endif
    rx_leave(old);
    return rc == 0;
}

void rt_schema_regex_free(rt_schema_regex *re)
{
    if (!re)
        return;
    regfree(&re->re);
    free(re);
}
