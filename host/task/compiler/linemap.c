/*
 * host/task/compiler/linemap.c - the line map as compact text, for storage and the worker
 * pipe: one entry per generated line, separated by ';'. An entry is empty when the line has no
 * original position, else "D:C" where D is the original line minus the previous non-empty
 * entry's original line (first: minus 0) and C the original column. Generated code follows
 * the author's order most of the time, so D is mostly 0 or 1 and the text stays short.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsc.h"

char *jsc_map_encode(const uint32_t *map, size_t lines)
{
    size_t cap = lines * 8 + 1, len = 0;
    char *out = malloc(cap);
    if (!out)
        return NULL;
    int64_t prev = 0;
    for (size_t i = 0; i < lines; i++) {
        if (cap - len < 32) {
            cap *= 2;
            char *p = realloc(out, cap);
            if (!p) {
                free(out);
                return NULL;
            }
            out = p;
        }
        if (i)
            out[len++] = ';';
        uint32_t line = map[2 * i], col = map[2 * i + 1];
        if (line == 0)
            continue;
        len += (size_t)snprintf(out + len, cap - len, "%" PRId64 ":%" PRIu32,
                                (int64_t)line - prev, col);
        prev = line;
    }
    out[len] = '\0';
    return out;
}

int jsc_map_decode(const char *text, uint32_t **map, size_t *lines)
{
    *map = NULL;
    *lines = 0;
    if (!text || !*text)
        return 1;
    size_t n = 1;
    for (const char *p = text; *p; p++)
        n += *p == ';';
    uint32_t *m = calloc(n * 2, sizeof *m);
    if (!m)
        return 0;
    int64_t prev = 0;
    const char *p = text;
    for (size_t i = 0; i < n; i++) {
        if (*p != ';' && *p) {
            char *end;
            long long d = strtoll(p, &end, 10);
            if (*end != ':')
                goto bad;
            unsigned long c = strtoul(end + 1, &end, 10);
            int64_t line = prev + d;
            if (line <= 0 || line > UINT32_MAX || c > UINT32_MAX || (*end && *end != ';'))
                goto bad;
            m[2 * i] = (uint32_t)line;
            m[2 * i + 1] = (uint32_t)c;
            prev = line;
            p = end;
        }
        if (*p == ';')
            p++;
    }
    *map = m;
    *lines = n;
    return 1;
bad:
    free(m);
    return 0;
}
