/* host/core/pattern_regex.c - what a message_regex may hold before regcomp sees it (see
 * pattern.h): glibc's regcomp copies the repeated part of `x{m,n}` and `x+` into the tree, so
 * stacked or nested repetitions grow the compiled regex multiplicatively (`a++++…` doubles it
 * per `+`), repetitions of repetitions make its epsilon closures explode (`x?????…`,
 * `((a?)+)+`), and back-references make regexec backtrack. The check below estimates the size
 * of the tree regcomp would build, refusing a regex past RT_PATTERN_REGEX_EXPANDED nodes or
 * with repetitions nested deeper than RT_PATTERN_REGEX_NESTING. Within those limits, glibc
 * compiles in milliseconds and matches an 8 KiB message in well under a second (measured:
 * `(.?){255}(.?){255}z` about 125 ms, the slowest shape found). */
#include "pattern.h"

#include <stdlib.h>
#include <string.h>

const char *rt_regex_skip_bracket(const char *p, const char *end)
{
    p++;
    if (p < end && *p == '^')
        p++;
    if (p < end && *p == ']')
        p++;
    while (p < end && *p != ']') {
        if (*p == '[' && p + 1 < end && (p[1] == ':' || p[1] == '.' || p[1] == '=')) {
            char close = p[1];
            p += 2;
            while (p + 1 < end && !(p[0] == close && p[1] == ']'))
                p++;
            p += 2;
        } else {
            p++;
        }
    }
    return p < end ? p + 1 : end;
}

typedef struct {
    const char *p, *end;
    int counted;        /* counted repetitions seen */
    int bound_exceeded; /* a bound above RT_PATTERN_REGEX_BOUND */
} re_scan;

static size_t cap_add(size_t a, size_t b)
{
    return a + b > RT_PATTERN_REGEX_EXPANDED ? RT_PATTERN_REGEX_EXPANDED + 1 : a + b;
}

static size_t cap_mul(size_t a, size_t b)
{
    return b != 0 && a > (RT_PATTERN_REGEX_EXPANDED + 1) / b ? RT_PATTERN_REGEX_EXPANDED + 1
                                                             : a * b;
}

/* The factor a quantifier at s->p multiplies its operand by (0 when s->p is no quantifier),
 * advancing past it. `*` and `?` wrap the operand once; `+` is `xx*`; `{m,n}` copies it up
 * to max(m, n) + 1 times. */
static size_t quantifier(re_scan *s)
{
    char c = *s->p;
    if (c == '*' || c == '?') {
        s->p++;
        return 1;
    }
    if (c == '+') {
        s->p++;
        return 2;
    }
    if (c != '{')
        return 0;
    char *after = NULL;
    long m = strtol(s->p + 1, &after, 10), n = m;
    if (after == s->p + 1) /* a literal '{' */
        return 0;
    if (*after == ',') {
        const char *from = after + 1;
        n = strtol(from, &after, 10);
        if (after == from)
            n = m; /* {m,}: m copies and a star */
    }
    s->counted++;
    if (m > RT_PATTERN_REGEX_BOUND || n > RT_PATTERN_REGEX_BOUND || m < 0 || n < 0)
        s->bound_exceeded = 1;
    while (s->p < s->end && *s->p != '}')
        s->p++;
    if (s->p < s->end)
        s->p++;
    long most = m > n ? m : n;
    return (size_t)(most > RT_PATTERN_REGEX_BOUND ? RT_PATTERN_REGEX_BOUND : most) + 1;
}

static size_t alternation(re_scan *s, int depth, int *nesting);

/* One atom with its quantifiers; *nesting: how many quantifiers apply one inside the other in
 * it (`(a?)+` and `a?+` have 2). */
static size_t piece(re_scan *s, int depth, int *nesting)
{
    size_t size = 1;
    *nesting = 0;
    char c = *s->p;
    if (c == '(') {
        s->p++;
        size = cap_add(alternation(s, depth + 1, nesting), 1);
        if (s->p < s->end && *s->p == ')')
            s->p++;
    } else if (c == '[') {
        s->p = rt_regex_skip_bracket(s->p, s->end);
    } else if (c == '\\' && s->p + 1 < s->end) {
        s->p += 2;
    } else {
        s->p++;
    }
    for (size_t f; s->p < s->end && (f = quantifier(s)) != 0; ++*nesting)
        size = cap_add(cap_mul(size, f), 1);
    return size;
}

/* Branches separated by '|' up to a ')' that closes the group (or the end). */
static size_t alternation(re_scan *s, int depth, int *nesting)
{
    size_t size = 0;
    *nesting = 0;
    while (s->p < s->end) {
        if (*s->p == ')' && depth > 0)
            break;
        if (*s->p == '|') {
            s->p++;
            size = cap_add(size, 1);
            continue;
        }
        int inner = 0;
        size = cap_add(size, piece(s, depth, &inner));
        if (inner > *nesting)
            *nesting = inner;
    }
    return size;
}

size_t rt_regex_expanded_size(const char *re)
{
    re_scan s = {re, re + strlen(re), 0, 0};
    int nesting = 0;
    return alternation(&s, 0, &nesting);
}

ratchet_status rt_regex_check(const char *re, rt_error *err)
{
    size_t len = strlen(re);
    if (len > RT_PATTERN_REGEX_MAX)
        return rt_fail(err, "the regular expression is %zu characters long; at most %d", len,
                       RT_PATTERN_REGEX_MAX);
    for (const char *p = re; *p; p++) {
        if (*p == '\\' && p[1] >= '1' && p[1] <= '9')
            return rt_fail(err, "back-references (\\%c) are not allowed in a regular expression",
                           p[1]);
        if (*p == '\\' && p[1])
            p++;
    }
    re_scan s = {re, re + len, 0, 0};
    int nesting = 0;
    size_t size = alternation(&s, 0, &nesting);
    if (s.counted > RT_PATTERN_REGEX_COUNTED || s.bound_exceeded)
        return rt_fail(err, "counted repetitions {m,n}: at most %d of them, with bounds up to %d",
                       RT_PATTERN_REGEX_COUNTED, RT_PATTERN_REGEX_BOUND);
    if (nesting > RT_PATTERN_REGEX_NESTING)
        return rt_fail(err,
                       "repetitions of repetitions nested %d deep (a?+ and (a*)+ are 2 deep); at "
                       "most %d: glibc "
                       "compiles such nests in exponential time",
                       nesting, RT_PATTERN_REGEX_NESTING);
    if (size > RT_PATTERN_REGEX_EXPANDED)
        return rt_fail(err,
                       "the regular expression would compile to more than %d nodes (repetitions "
                       "multiply: x{m,n} copies x up to n times and x+ copies it once, so nested "
                       "or stacked ones grow fast)",
                       RT_PATTERN_REGEX_EXPANDED);
    return RATCHET_OK;
}
