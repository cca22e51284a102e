/*
 * mujs_utf16.c - UTF-8 to and from the surrogate-pair form of compiled tasks (mujs_utf16.h).
 *
 * A surrogate in MuJS's UTF-8 is ED A0..BF 80..BF (high: ED A0..AF, low: ED B0..BF). The
 * conversions only look at those and at 4-byte lead bytes F0..F4; every other byte is copied,
 * so malformed input stays as malformed as it came (MuJS reads it as U+FFFD either way).
 */
#include "mujs_utf16.h"

#include <string.h>

#include "mujs_exec.h"

static int jsx_cont(unsigned char c)
{
    return (c & 0xC0) == 0x80;
}

/* The surrogate at p (0 when p does not start one). */
static unsigned jsx_surrogate(const unsigned char *p)
{
    if (p[0] != 0xED || p[1] < 0xA0 || p[1] > 0xBF || !jsx_cont(p[2]))
        return 0;
    return 0xD000u | ((unsigned)(p[1] & 0x3F) << 6) | (p[2] & 0x3Fu);
}

static void jsx_put3(unsigned char *d, unsigned u)
{
    d[0] = (unsigned char)(0xE0 | (u >> 12));
    d[1] = (unsigned char)(0x80 | ((u >> 6) & 0x3F));
    d[2] = (unsigned char)(0x80 | (u & 0x3F));
}

int jsx_utf16_from_utf8(const char *s, char **out)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n4 = 0, len = strlen(s);
    *out = NULL;
    for (size_t i = 0; i + 3 < len; i++)
        if (p[i] >= 0xF0 && p[i] <= 0xF4 && jsx_cont(p[i + 1]) && jsx_cont(p[i + 2]) &&
            jsx_cont(p[i + 3])) {
            n4++;
            i += 3;
        }
    if (n4 == 0)
        return 0;
    unsigned char *d = mujs_host->alloc(len + 2 * n4 + 1);
    if (!d)
        return -1;
    size_t at = 0;
    for (size_t i = 0; i < len;) {
        if (i + 3 < len && p[i] >= 0xF0 && p[i] <= 0xF4 && jsx_cont(p[i + 1]) &&
            jsx_cont(p[i + 2]) && jsx_cont(p[i + 3])) {
            unsigned cp = ((p[i] & 0x07u) << 18) | ((p[i + 1] & 0x3Fu) << 12) |
                          ((p[i + 2] & 0x3Fu) << 6) | (p[i + 3] & 0x3Fu);
            if (cp >= 0x10000 && cp <= 0x10FFFF) {
                cp -= 0x10000;
                jsx_put3(d + at, 0xD800 + (cp >> 10));
                jsx_put3(d + at + 3, 0xDC00 + (cp & 0x3FF));
                at += 6;
                i += 4;
                continue;
            }
        }
        d[at++] = p[i++];
    }
    d[at] = '\0';
    *out = (char *)d;
    return 0;
}

/* Writes the UTF-8 form of s (len bytes) to d, which may be s itself when !json (the text
 * never grows then) and needs 2 * len + 1 bytes otherwise. Returns the length written. */
static size_t jsx_utf16_write(const unsigned char *s, size_t len, unsigned char *d, int json)
{
    static const char hex[] = "0123456789abcdef";
    size_t at = 0;
    for (size_t i = 0; i < len;) {
        unsigned hi = i + 2 < len ? jsx_surrogate(s + i) : 0;
        if (!hi) {
            d[at++] = s[i++];
            continue;
        }
        unsigned lo = i + 5 < len ? jsx_surrogate(s + i + 3) : 0;
        if (hi < 0xDC00 && lo >= 0xDC00) {
            unsigned cp = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
            d[at] = (unsigned char)(0xF0 | (cp >> 18));
            d[at + 1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
            d[at + 2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
            d[at + 3] = (unsigned char)(0x80 | (cp & 0x3F));
            at += 4;
            i += 6;
        } else if (json) {
            d[at++] = '\\';
            d[at++] = 'u';
            for (int shift = 12; shift >= 0; shift -= 4)
                d[at++] = (unsigned char)hex[(hi >> shift) & 0xF];
            i += 3;
        } else {
            jsx_put3(d + at, 0xFFFD);
            at += 3;
            i += 3;
        }
    }
    d[at] = '\0';
    return at;
}

static int jsx_has_surrogate(const unsigned char *p, size_t len)
{
    for (size_t i = 0; i + 2 < len; i++)
        if (jsx_surrogate(p + i))
            return 1;
    return 0;
}

int jsx_utf16_to_utf8(const char *s, int json, char **out)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t len = strlen(s);
    *out = NULL;
    if (!jsx_has_surrogate(p, len))
        return 0;
    unsigned char *d = mujs_host->alloc(2 * len + 1);
    if (!d)
        return -1;
    (void)jsx_utf16_write(p, len, d, json);
    *out = (char *)d;
    return 0;
}

size_t jsx_utf16_fix(char *s)
{
    unsigned char *p = (unsigned char *)s;
    size_t len = strlen(s);
    return jsx_has_surrogate(p, len) ? jsx_utf16_write(p, len, p, 0) : len;
}
