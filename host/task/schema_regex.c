/*
 * host/task/schema_regex.c - ECMA-262 patterns ("pattern", "patternProperties", format "regex"),
 * compiled to the program of schema_nfa.c and matched in time linear in the subject.
 *
 * The pattern is parsed as ECMA-262 (with Annex B's leniencies) over code points: every
 * character class becomes the set of code points it means, so "." and [^a] consume one whole
 * code point and [à-ÿ] works, whatever the process locale. What a finite automaton cannot run
 * (lookaround, backreferences) is refused as unsupported rather than matched wrongly.
 * Laziness is dropped: it changes which match is found, never whether one is. There is no
 * backtracking, so no pattern can make a match take exponential time (a pattern such as
 * "^(a|a?)+$" against a long string costs what "^a+$" does); counted repetitions are expanded
 * into copies, and a pattern whose program would pass RT_SCHEMA_NFA_MAX instructions is refused.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema_internal.h"

#define RX_MAX_SOURCE 65536 /* bytes of ECMA source */
#define RX_MAX_GROUPS 100   /* nesting of (...) */
#define RX_MAX_REPEAT 1000  /* {n,m} bounds: the atom is copied up to m times */
#define RX_MAX_CP     0x10FFFFu

struct rt_schema_regex {
    rt_schema_nfa *prog;
};

typedef struct rx {
    const char *p, *end;
    rt_schema_nfa *prog;
    ratchet_buf *why;
    int status;
    int groups;
} rx;

static void rx_error(rx *x, int status, const char *fmt, const char *arg)
{
    if (x->status != RT_SCHEMA_RE_OK)
        return;
    x->status = status;
    if (x->why && status != RT_SCHEMA_RE_NOMEM)
        rt_buf_printf(x->why, fmt, arg ? arg : "");
}

/* The program's first failure, as the compiler's status. */
static void prog_check(rx *x)
{
    int st = rt_schema_nfa_status(x->prog);
    if (st == RT_SCHEMA_NFA_TOOBIG)
        rx_error(x, RT_SCHEMA_RE_UNSUPPORTED,
                 "the pattern is too large once its counted repetitions are expanded (more than "
                 "20000 steps)%s",
                 NULL);
    else if (st == RT_SCHEMA_NFA_NOMEM)
        rx_error(x, RT_SCHEMA_RE_NOMEM, "%s", NULL);
}

/* A set as one atom. */
static void emit_set(rx *x, rt_schema_cpset *s)
{
    rt_schema_nfa_set(x->prog, s);
}

/* One literal code point as an atom. */
static void emit_literal(rx *x, uint32_t cp)
{
    rt_schema_nfa_emit(x->prog, RT_SCHEMA_NFA_CHAR, (int32_t)cp, 0);
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
    if (negate)
        rt_schema_cpset_negate(&s);
    if (x->status == RT_SCHEMA_RE_OK)
        emit_set(x, &s);
    rt_schema_cpset_free(&s);
}

/* {n}, {n,}, {n,m} at x->p. Returns 1 when it is a quantifier, with its bounds in *min and
 * *max (-1: none); 0 (nothing consumed) when the '{' is a literal, as Annex B allows. */
static int parse_braces(rx *x, int can_repeat, unsigned long *min, long *max)
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
    *min = n;
    *max = !comma ? (long)n : has_m ? (long)m : -1;
    return 1;
}

static void parse_disjunction(rx *x);

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

/* (...) with x->p just past '('. */
static void parse_group(rx *x)
{
    if (++x->groups > RX_MAX_GROUPS) {
        rx_error(x, RT_SCHEMA_RE_UNSUPPORTED, "groups nested too deeply%s", NULL);
        return;
    }
    if (x->p < x->end && *x->p == '?' && !group_prefix(x))
        return;
    parse_disjunction(x);
    if (x->status != RT_SCHEMA_RE_OK)
        return;
    if (x->p >= x->end || *x->p != ')') {
        rx_error(x, RT_SCHEMA_RE_SYNTAX, "missing ) to close a group%s", NULL);
        return;
    }
    x->p++;
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
        /* word characters are ASCII letters, digits and '_' (ECMA-262 without flags) */
        rt_schema_nfa_emit(x->prog, c == 'b' ? RT_SCHEMA_NFA_WORDB : RT_SCHEMA_NFA_NWORDB, 0, 0);
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

/* One alternative: atoms, each with its quantifiers applied to the instructions it emitted. */
static void parse_alternative(rx *x)
{
    size_t atom = 0;    /* where the last atom's instructions start */
    int repeatable = 0; /* whether a quantifier may follow */
    while (x->status == RT_SCHEMA_RE_OK && x->p < x->end && *x->p != '|' && *x->p != ')') {
        char c = *x->p;
        unsigned long min = 0;
        long max = -1;
        if (c == '*' || c == '+' || c == '?' ||
            (c == '{' && parse_braces(x, repeatable, &min, &max))) {
            if (c != '{') {
                if (!repeatable) {
                    char what[2] = {c, '\0'};
                    rx_error(x, RT_SCHEMA_RE_SYNTAX, "nothing to repeat before %s", what);
                    return;
                }
                x->p++;
                min = c == '+';
                max = c == '?' ? 1 : -1;
            }
            if (x->status != RT_SCHEMA_RE_OK)
                return;
            if (x->p < x->end && *x->p == '?') /* lazy: same set of matching strings */
                x->p++;
            rt_schema_nfa_repeat(x->prog, atom, min, max);
            repeatable = 0;
        } else {
            atom = rt_schema_nfa_len(x->prog);
            repeatable = 1;
            switch (c) {
            case '^':
            case '$':
                x->p++;
                rt_schema_nfa_emit(x->prog, c == '^' ? RT_SCHEMA_NFA_BOL : RT_SCHEMA_NFA_EOL, 0,
                                   0);
                repeatable = 0;
                break;
            case '(':
                x->p++;
                parse_group(x);
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
        }
        prog_check(x);
    }
}

/* Alternatives: SPLIT(+1, next) alt1 JMP(end) SPLIT(+1, next) alt2 JMP(end) ... altN. The jumps
 * to the end are patched once it is known; until then each holds the index of the previous
 * one in its b operand (0: none), a list that costs no allocation. */
static void parse_disjunction(rx *x)
{
    size_t alt = rt_schema_nfa_len(x->prog), last_jump = 0;
    parse_alternative(x);
    while (x->status == RT_SCHEMA_RE_OK && x->p < x->end && *x->p == '|') {
        x->p++;
        size_t n = rt_schema_nfa_len(x->prog);
        rt_schema_nfa_insert(x->prog, alt, RT_SCHEMA_NFA_SPLIT, 1, (int32_t)(n + 2 - alt));
        size_t jump = rt_schema_nfa_len(x->prog);
        rt_schema_nfa_emit(x->prog, RT_SCHEMA_NFA_JMP, 0, (int32_t)last_jump);
        last_jump = jump + 1;
        alt = rt_schema_nfa_len(x->prog);
        prog_check(x);
        parse_alternative(x);
    }
    size_t end = rt_schema_nfa_len(x->prog);
    while (last_jump && x->status == RT_SCHEMA_RE_OK) {
        size_t at = last_jump - 1;
        last_jump = (size_t)rt_schema_nfa_link(x->prog, at);
        rt_schema_nfa_patch(x->prog, at, (int32_t)(end - at));
    }
}

int rt_schema_regex_compile(const char *src, size_t len, rt_schema_regex **out, ratchet_buf *why)
{
    *out = NULL;
    rx x = {src, src + len, NULL, why, RT_SCHEMA_RE_OK, 0};
    if (len > RX_MAX_SOURCE) {
        rx_error(&x, RT_SCHEMA_RE_UNSUPPORTED, "patterns longer than 64 KiB are not supported%s",
                 NULL);
        return x.status;
    }
    rt_schema_regex *re = malloc(sizeof *re);
    x.prog = rt_schema_nfa_new();
    if (!re || !x.prog) {
        free(re);
        rt_schema_nfa_free(x.prog);
        return RT_SCHEMA_RE_NOMEM;
    }
    parse_disjunction(&x);
    if (x.status == RT_SCHEMA_RE_OK && x.p < x.end)
        rx_error(&x, RT_SCHEMA_RE_SYNTAX, "unmatched )%s", NULL);
    rt_schema_nfa_emit(x.prog, RT_SCHEMA_NFA_MATCH, 0, 0);
    prog_check(&x);
    if (x.status != RT_SCHEMA_RE_OK) {
        rt_schema_nfa_free(x.prog);
        free(re);
        return x.status;
    }
    re->prog = x.prog;
    *out = re;
    return RT_SCHEMA_RE_OK;
}

int rt_schema_regex_search(const rt_schema_regex *re, const char *s, size_t len)
{
    return rt_schema_nfa_search(re->prog, s, len);
}

void rt_schema_regex_free(rt_schema_regex *re)
{
    if (!re)
        return;
    rt_schema_nfa_free(re->prog);
    free(re);
}
