/* host/core/options_parse.c - the scalar parsers behind option types and environment overrides,
 * and the human spellings of sizes and durations used in messages. */
#include <stdio.h>
#include <string.h>

#include "options.h"

#define KIB INT64_C(1024)

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static int ieq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (lower(*a) != lower(*b))
            return 0;
    return *a == *b;
}

/* Surrounding blanks are ignored (quoted YAML and environment values may carry them). */
static void trim(const char **s, size_t *len)
{
    const char *p = *s;
    size_t n = strlen(p);
    while (n && (*p == ' ' || *p == '\t')) {
        p++;
        n--;
    }
    while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
        n--;
    *s = p;
    *len = n;
}

/* Unsigned decimal digits at s: returns how many; *overflow set when the value exceeds
 * `limit` (the digits are still counted so callers can tell junk from overflow). */
static size_t read_digits(const char *s, size_t len, uint64_t limit, uint64_t *out, int *overflow)
{
    uint64_t v = 0;
    size_t i = 0;
    for (; i < len && is_digit(s[i]); i++) {
        uint64_t d = (uint64_t)(s[i] - '0');
        if (*overflow || v > (limit - d) / 10)
            *overflow = 1;
        else
            v = v * 10 + d;
    }
    *out = v;
    return i;
}

ratchet_status rt_parse_int(const char *s, int64_t *out, rt_error *err)
{
    static const char *const expect = "an integer";
    if (!s)
        return rt_fail(err, "%s", expect);
    size_t len;
    trim(&s, &len);
    int neg = len && s[0] == '-';
    size_t i = (len && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
    uint64_t limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    uint64_t v = 0;
    int overflow = 0;
    size_t n = read_digits(s + i, len - i, limit, &v, &overflow);
    if (n == 0 || i + n != len)
        return rt_fail(err, "%s", expect);
    if (overflow)
        return rt_fail(err, "an integer between %lld and %lld", (long long)INT64_MIN,
                       (long long)INT64_MAX);
    /* Negate in unsigned arithmetic so that INT64_MIN does not overflow. */
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return RATCHET_OK;
}

ratchet_status rt_parse_bool(const char *s, int *out, rt_error *err)
{
    static const char *const yes[] = {"true", "yes", "on"};
    static const char *const no[] = {"false", "no", "off"};
    if (s) {
        for (size_t i = 0; i < 3; i++) {
            if (ieq(s, yes[i])) {
                *out = 1;
                return RATCHET_OK;
            }
            if (ieq(s, no[i])) {
                *out = 0;
                return RATCHET_OK;
            }
        }
    }
    return rt_fail(err, "true or false");
}

/* The unit after a number, blanks before it allowed: matches one of `names` (separated by
 * '|', case-insensitive) exactly to the end of the text. */
static int unit_is(const char *s, size_t len, const char *names)
{
    while (len && *s == ' ') {
        s++;
        len--;
    }
    for (const char *n = names;;) {
        const char *bar = strchr(n, '|');
        size_t nlen = bar ? (size_t)(bar - n) : strlen(n);
        if (nlen == len) {
            size_t i = 0;
            while (i < len && lower(s[i]) == n[i])
                i++;
            if (i == len)
                return 1;
        }
        if (!bar)
            return 0;
        n = bar + 1;
    }
}

ratchet_status rt_parse_size(const char *s, int64_t *out, rt_error *err)
{
    static const char *const expect = "a size such as 10MiB";
    static const struct {
        const char *names;
        int64_t factor;
    } units[] = {
        {"|b", 1},
        {"k|kb|kib", KIB},
        {"m|mb|mib", KIB * KIB},
        {"g|gb|gib", KIB * KIB * KIB},
        {"t|tb|tib", KIB * KIB * KIB * KIB},
    };
    if (!s)
        return rt_fail(err, "%s", expect);
    size_t len;
    trim(&s, &len);
    uint64_t v = 0;
    int overflow = 0;
    size_t n = read_digits(s, len, UINT64_MAX, &v, &overflow);
    if (n == 0)
        return rt_fail(err, "%s", expect);
    for (size_t u = 0; u < sizeof units / sizeof *units; u++) {
        if (!unit_is(s + n, len - n, units[u].names))
            continue;
        if (overflow || v > (uint64_t)INT64_MAX / (uint64_t)units[u].factor)
            return rt_fail(err, "a size below 8EiB");
        *out = (int64_t)v * units[u].factor;
        return RATCHET_OK;
    }
    return rt_fail(err, "%s", expect);
}

ratchet_status rt_parse_duration_ms(const char *s, int64_t *out, rt_error *err)
{
    static const char *const expect = "a duration such as 30s or 250ms";
    static const char *const too_long = "a duration below 292 million years";
    static const struct {
        const char *names;
        int64_t ms;
    } units[] = {
        {"ms", 1},
        {"|s", 1000},
        {"m", 60 * 1000},
        {"h", 3600 * 1000},
    };
    if (!s)
        return rt_fail(err, "%s", expect);
    size_t len;
    trim(&s, &len);
    uint64_t whole = 0, frac = 0, scale = 1;
    int overflow = 0;
    size_t n = read_digits(s, len, UINT64_MAX, &whole, &overflow);
    if (n == 0)
        return rt_fail(err, "%s", expect);
    if (n < len && s[n] == '.') {
        size_t start = ++n;
        /* Nine digits are finer than a millisecond even for hours; later ones only round. */
        for (; n < len && is_digit(s[n]); n++) {
            if (n - start < 9) {
                frac = frac * 10 + (uint64_t)(s[n] - '0');
                scale *= 10;
            }
        }
        if (n == start)
            return rt_fail(err, "%s", expect);
    }
    for (size_t u = 0; u < sizeof units / sizeof *units; u++) {
        if (!unit_is(s + n, len - n, units[u].names))
            continue;
        uint64_t ms = (uint64_t)units[u].ms;
        if (overflow || whole > (uint64_t)INT64_MAX / ms)
            return rt_fail(err, "%s", too_long);
        uint64_t part = (frac * ms + scale / 2) / scale; /* round half up */
        if (whole * ms > (uint64_t)INT64_MAX - part)
            return rt_fail(err, "%s", too_long);
        *out = (int64_t)(whole * ms + part);
        return RATCHET_OK;
    }
    return rt_fail(err, "%s", expect);
}

const char *rt_option_type_name(ratchet_option_type t)
{
    switch (t) {
    case RATCHET_OPT_STRING:
        return "string";
    case RATCHET_OPT_INT:
        return "integer";
    case RATCHET_OPT_DOUBLE:
        return "number";
    case RATCHET_OPT_BOOL:
        return "boolean";
    case RATCHET_OPT_ENUM:
        return "enum";
    case RATCHET_OPT_SIZE:
        return "size";
    case RATCHET_OPT_DURATION:
        return "duration";
    case RATCHET_OPT_PATH:
        return "path";
    case RATCHET_OPT_NODE:
        return "yaml";
    }
    return "unknown";
}

void rt_format_size(int64_t bytes, char *out, size_t outlen)
{
    static const char *const names[] = {"TiB", "GiB", "MiB", "KiB"};
    int64_t factor = KIB * KIB * KIB * KIB;
    for (size_t i = 0; i < 4; i++, factor /= KIB) {
        if (bytes != 0 && bytes % factor == 0) {
            snprintf(out, outlen, "%lld%s", (long long)(bytes / factor), names[i]);
            return;
        }
    }
    snprintf(out, outlen, "%lldB", (long long)bytes);
}

void rt_format_duration_ms(int64_t ms, char *out, size_t outlen)
{
    if (ms != 0 && ms % (3600 * 1000) == 0)
        snprintf(out, outlen, "%lldh", (long long)(ms / (3600 * 1000)));
    else if (ms != 0 && ms % (60 * 1000) == 0)
        snprintf(out, outlen, "%lldm", (long long)(ms / (60 * 1000)));
    else if (ms % 1000 == 0)
        snprintf(out, outlen, "%llds", (long long)(ms / 1000));
    else
        snprintf(out, outlen, "%lldms", (long long)ms);
}

void rt_format_option_value(ratchet_option_type t, int64_t v, char *out, size_t outlen)
{
    if (t == RATCHET_OPT_SIZE)
        rt_format_size(v, out, outlen);
    else if (t == RATCHET_OPT_DURATION)
        rt_format_duration_ms(v, out, outlen);
    else
        snprintf(out, outlen, "%lld", (long long)v);
}
