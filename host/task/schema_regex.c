/*
 * host/task/schema_regex.c - ECMA-262 patterns ("pattern", "patternProperties", format "regex") run
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
#define RX_MAX_COST   250000 /* bytes of POSIX regex once counted repeats are expanded */

struct rt_schema_regex {
    regex_t re;
};

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

/* Write a set as one atom; a set that ran out of memory fails the compilation. */
static void emit_set(rx *x, rt_schema_cpset *s)
{
    if (s->nomem || !rt_schema_cpset_emit(s, &x->out))
        x->status = RT_SCHEMA_RE_NOMEM;
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
        size_t n = rt_schema_utf8_encode(cp, b);
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
static int class_atom(rx *x, rt_schema_cpset *s, uint32_t *cp)
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
        rt_schema_cpset_add_class(s, *x->p++);
        return 0;
    }
    if (*x->p >= '1' && *x->p <= '9') {
        rx_error(x, RT_SCHEMA_RE_SYNTAX, "invalid escape (a backreference) in a class%s", NULL);
        return 0;
    }
    if (*x->p == 'p' || *x->p == 'P') {
        rx_error(x, RT_SCHEMA_RE_UNSUPPORTED,
                 "Unicode property escapes \\p{...} are not supported%s", NULL);
        return 0;
    }
    *cp = read_char_escape(x, 1);
    return 1;
}

/* [...] with x->p just past '['. */
static void parse_class(rx *x)
{
    rt_schema_cpset s = {NULL, 0, 0, 0};
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
                rt_schema_cpset_add(&s, lo, lo);
                rt_schema_cpset_add(&s, '-', '-');
                continue;
            }
            if (hi < lo) {
                rx_error(x, RT_SCHEMA_RE_SYNTAX, "range out of order in a character class%s", NULL);
                break;
            }
            rt_schema_cpset_add(&s, lo, hi);
        } else if (is_char) {
            rt_schema_cpset_add(&s, lo, lo);
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
        rt_schema_cpset_negate(&s);
    if (x->status == RT_SCHEMA_RE_OK)
        emit_set(x, &s);
    rt_schema_cpset_free(&s);
}

/* {n}, {n,}, {n,m} at x->p. Returns 1 and emits it when it is a quantifier, with the number
 * of copies glibc makes of the atom in *factor; 0 (nothing consumed) when the '{' is a
 * literal, as Annex B allows. */
/* Sizes that saturate just past RX_MAX_COST instead of overflowing. */
static size_t cost_add(size_t a, size_t b)
{
    return a + b > RX_MAX_COST ? RX_MAX_COST + 1 : a + b;
}

static size_t cost_mul(size_t a, unsigned long b)
{
    return b && a > RX_MAX_COST / b ? RX_MAX_COST + 1 : a * b;
}

static int parse_braces(rx *x, int can_repeat, unsigned long *factor)
{
    const char *q = x->p + 1;
    unsigned long n = 0, m = 0;
    int has_m = 0, comma = 0;
    if (q >= x->end || *q < '0' || *q > '9')
        return 0;
    /* Every digit is consumed whatever the value; past RX_MAX_REPEAT the count only has to
     * stay above the bound (saturating), so no digit string can overflow or stall the scan. */
    for (; q < x->end && *q >= '0' && *q <= '9'; q++)
        n = n > RX_MAX_REPEAT ? n : n * 10 + (unsigned long)(*q - '0');
    if (q < x->end && *q == ',') {
        comma = 1;
        q++;
        for (; q < x->end && *q >= '0' && *q <= '9'; q++) {
            m = m > RX_MAX_REPEAT ? m : m * 10 + (unsigned long)(*q - '0');
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
    /* The bound first: two saturated counts cannot be compared for order. */
    if (n > RX_MAX_REPEAT || m > RX_MAX_REPEAT) {
        rx_error(x, RT_SCHEMA_RE_UNSUPPORTED,
                 "repetition counts above 1000 are not supported (in {n} and {n,m})%s", NULL);
        return 1;
    }
    if (has_m && m < n) {
        rx_error(x, RT_SCHEMA_RE_SYNTAX, "numbers out of order in a {n,m} quantifier%s", NULL);
        return 1;
    }
    *factor = !comma ? n : has_m ? m : n + 1;
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

static size_t parse_disjunction(rx *x);

/* After "(?": accept ":" and "<name>" (plain groups for matching), refuse lookaround. Returns
 * 0 after an error. The source has no NUL (checked first), so '\0' marks its end here. */
static int group_prefix(rx *x)
{
    x->p++;
    char c1 = x->p < x->end ? x->p[0] : '\0', c2 = x->end - x->p > 1 ? x->p[1] : '\0';
    if (c1 == ':') {
        x->p++;
        return 1;
    }
    if (c1 == '=' || c1 == '!') {
        rx_error(x, RT_SCHEMA_RE_UNSUPPORTED, "lookahead (?= (?! is not supported%s", NULL);
        return 0;
    }
    if (c1 == '<' && (c2 == '=' || c2 == '!')) {
        rx_error(x, RT_SCHEMA_RE_UNSUPPORTED, "lookbehind (?<= (?<! is not supported%s", NULL);
        return 0;
    }
    if (c1 != '<') {
        rx_error(x, RT_SCHEMA_RE_SYNTAX, "invalid group: (? must be followed by : = ! or <%s",
                 NULL);
        return 0;
    }
    const char *name = ++x->p;
    while (x->p < x->end &&
           (*x->p == '_' || *x->p == '$' || (*x->p >= '0' && *x->p <= '9' && x->p > name) ||
            ((*x->p | 0x20) >= 'a' && (*x->p | 0x20) <= 'z')))
        x->p++;
    if (x->p == name || x->p >= x->end || *x->p != '>') {
        rx_error(x, RT_SCHEMA_RE_SYNTAX, "invalid group name%s", NULL);
        return 0;
    }
    x->p++;
    return 1;
}

/* (...) with x->p just past '('; returns the expanded size of what it emitted. */
static size_t parse_group(rx *x)
{
    if (++x->groups > RX_MAX_GROUPS) {
        rx_error(x, RT_SCHEMA_RE_UNSUPPORTED, "groups nested too deeply%s", NULL);
        return 0;
    }
    if (x->p < x->end && *x->p == '?' && !group_prefix(x))
        return 0;
    rx_putc(x, '(');
    size_t cost = parse_disjunction(x);
    if (x->status != RT_SCHEMA_RE_OK)
        return 0;
    if (x->p >= x->end || *x->p != ')') {
        rx_error(x, RT_SCHEMA_RE_SYNTAX, "missing ) to close a group%s", NULL);
        return 0;
    }
    x->p++;
    rx_putc(x, ')');
    x->groups--;
    return cost_add(cost, 2);
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
        rt_schema_cpset s = {NULL, 0, 0, 0};
        x->p++;
        rt_schema_cpset_add_class(&s, c);
        emit_set(x, &s);
        rt_schema_cpset_free(&s);
        return 1;
    }
    if (c == 'p' || c == 'P') {
        rx_error(x, RT_SCHEMA_RE_UNSUPPORTED,
                 "Unicode property escapes \\p{...} are not supported%s", NULL);
        return 0;
    }
    if ((c >= '1' && c <= '9') || c == 'k') {
        rx_error(x, RT_SCHEMA_RE_UNSUPPORTED, "backreferences are not supported%s", NULL);
        return 0;
    }
    emit_literal(x, read_char_escape(x, 0));
    return 1;
}

/* One alternative; returns its size with counted repeats expanded (glibc copies the atom of
 * a{n,m} m times), which bounds the memory and time regcomp may take. */
static size_t parse_alternative(rx *x)
{
    size_t total = 0, last = 0; /* last: the atom a quantifier would repeat, 0 for none */
    while (x->status == RT_SCHEMA_RE_OK && x->p < x->end && *x->p != '|' && *x->p != ')') {
        char c = *x->p;
        unsigned long factor = c == '+' ? 2 : 1;
        if (c == '*' || c == '+' || c == '?' || (c == '{' && parse_braces(x, last > 0, &factor))) {
            if (c != '{') {
                if (last == 0) {
                    char what[2] = {c, '\0'};
                    rx_error(x, RT_SCHEMA_RE_SYNTAX, "nothing to repeat before %s", what);
                    return 0;
                }
                x->p++;
                rx_putc(x, c);
            }
            if (x->p < x->end && *x->p == '?') /* lazy: same set of matching strings */
                x->p++;
            total = cost_add(total, cost_mul(last, factor > 0 ? factor - 1 : 0));
            last = 0;
        } else {
            size_t before = x->out.len, group = 0;
            int repeatable = 1;
            switch (c) {
            case '^':
            case '$':
                x->p++;
                rx_putc(x, c);
                repeatable = 0;
                break;
            case '(':
                x->p++;
                group = parse_group(x);
                break;
            case '[':
                x->p++;
                parse_class(x);
                break;
            case '.': {
                rt_schema_cpset s = {NULL, 0, 0, 0};
                x->p++;
                rt_schema_cpset_add(&s, '\n', '\n');
                rt_schema_cpset_add(&s, '\r', '\r');
                rt_schema_cpset_add(&s, 0x2028, 0x2029);
                rt_schema_cpset_negate(&s);
                emit_set(x, &s);
                rt_schema_cpset_free(&s);
                break;
            }
            case '\\':
                x->p++;
                repeatable = parse_escape(x);
                break;
            default: /* includes a lone ']', '}' and a '{' that is no quantifier (Annex B) */
                emit_literal(x, read_char(x));
                break;
            }
            size_t atom = c == '(' ? group : x->out.len - before;
            total = cost_add(total, atom);
            last = repeatable ? (atom ? atom : 1) : 0;
        }
        if (total > RX_MAX_COST)
            rx_error(x, RT_SCHEMA_RE_UNSUPPORTED,
                     "the pattern is too large once its counted repetitions are expanded%s", NULL);
    }
    return total;
}

static size_t parse_disjunction(rx *x)
{
    size_t total = parse_alternative(x);
    while (x->status == RT_SCHEMA_RE_OK && x->p < x->end && *x->p == '|') {
        x->p++;
        rx_putc(x, '|');
        total = cost_add(total, cost_add(parse_alternative(x), 1));
    }
    return total;
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
    if (memchr(src, '\0', len)) {
        rx_error(&x, RT_SCHEMA_RE_UNSUPPORTED, "a NUL character in a pattern is not supported%s",
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
