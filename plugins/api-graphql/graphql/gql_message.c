/*
 * gql_message.c - message formatting, graphql-js's "Did you mean" suggestions (its lexical
 * distance and suggestion list) and the response error objects.
 */
#include <stdlib.h>
#include <string.h>

#include "gql_int.h"

/* ---- messages ------------------------------------------------------------------------------ */

char *gql_vstrf(const char *fmt, va_list ap)
{
    va_list cp;
    va_copy(cp, ap);
    int n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (n < 0)
        return NULL;
    char *s = malloc((size_t)n + 1);
    if (s)
        vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

char *gql_strf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = gql_vstrf(fmt, ap);
    va_end(ap);
    return s;
}

static void cat(char *buf, size_t size, const char *s)
{
    size_t l = strlen(buf);
    if (l + 1 < size)
        snprintf(buf + l, size - l, "%s", s);
}

void gql_quoted_or_list(char *buf, size_t size, const char *const *names, size_t n)
{
    if (n > 5)
        n = 5;
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            cat(buf, size, n > 2 ? ", " : " ");
        if (i > 0 && i == n - 1)
            cat(buf, size, "or ");
        cat(buf, size, "\"");
        cat(buf, size, names[i]);
        cat(buf, size, "\"");
    }
}

void gql_did_you_mean(char *buf, size_t size, const char *sub, const char *const *names, size_t n)
{
    if (n == 0)
        return;
    char list[512];
    gql_quoted_or_list(list, sizeof list, names, n);
    cat(buf, size, " Did you mean ");
    if (sub) {
        cat(buf, size, sub);
        cat(buf, size, " ");
    }
    cat(buf, size, list);
    cat(buf, size, "?");
}

/* Damerau-Levenshtein (optimal string alignment) on lower-cased names, as graphql-js's
 * LexicalDistance; a case-only difference counts 1. Names are short: past 64 bytes we give up
 * (no suggestion) rather than allocate. */
static size_t lexical_distance(const char *a, const char *b, size_t threshold)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64)
        return threshold + 1;
    if (strcmp(a, b) == 0)
        return 0;
    char x[65], y[65];
    for (size_t i = 0; i <= la; i++)
        x[i] = (char)((a[i] >= 'A' && a[i] <= 'Z') ? a[i] + 32 : a[i]);
    for (size_t i = 0; i <= lb; i++)
        y[i] = (char)((b[i] >= 'A' && b[i] <= 'Z') ? b[i] + 32 : b[i]);
    if (strcmp(x, y) == 0)
        return 1;
    size_t d[65][65];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= la; i++) {
        for (size_t j = 1; j <= lb; j++) {
            size_t cost = x[i - 1] == y[j - 1] ? 0 : 1;
            size_t v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v)
                v = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + cost < v)
                v = d[i - 1][j - 1] + cost;
            if (i > 1 && j > 1 && x[i - 1] == y[j - 2] && x[i - 2] == y[j - 1] &&
                d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
        }
    }
    return d[la][lb];
}

typedef struct gql_cand {
    const char *name;
    size_t dist;
} gql_cand;

static int cand_cmp(const void *a, const void *b)
{
    const gql_cand *x = a, *y = b;
    if (x->dist != y->dist)
        return x->dist < y->dist ? -1 : 1;
    return strcmp(x->name, y->name);
}

size_t gql_suggest(const char *input, const char *const *cands, size_t ncands, const char **out,
                   size_t max)
{
    if (ncands == 0)
        return 0;
    gql_cand *c = malloc(ncands * sizeof *c);
    if (!c)
        return 0;
    size_t threshold = strlen(input) * 4 / 10 + 1; /* graphql-js: floor(length * 0.4) + 1 */
    size_t n = 0;
    for (size_t i = 0; i < ncands; i++) {
        size_t d = lexical_distance(input, cands[i], threshold);
        if (d <= threshold)
            c[n++] = (gql_cand){cands[i], d};
    }
    qsort(c, n, sizeof *c, cand_cmp);
    if (n > max)
        n = max;
    for (size_t i = 0; i < n; i++)
        out[i] = c[i].name;
    free(c);
    return n;
}

/* ---- response errors ----------------------------------------------------------------------- */

void gql_error_add_location(json_object *err, uint32_t line, uint32_t col)
{
    json_object *locs = NULL;
    if (!json_object_object_get_ex(err, "locations", &locs)) {
        locs = json_object_new_array();
        json_object_object_add(err, "locations", locs);
    }
    json_object *l = json_object_new_object();
    json_object_object_add(l, "line", json_object_new_int((int32_t)line));
    json_object_object_add(l, "column", json_object_new_int((int32_t)col));
    json_object_array_add(locs, l);
}

json_object *gql_error_new(const char *message, uint32_t line, uint32_t col, json_object *path)
{
    json_object *e = json_object_new_object();
    json_object_object_add(e, "message", json_object_new_string(message));
    if (line > 0)
        gql_error_add_location(e, line, col);
    if (path)
        json_object_object_add(e, "path", path);
    return e;
}

int gql_resolve_error(gql_resolve_info *info, const char *code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    free(info->error);
    info->error = gql_vstrf(fmt, ap);
    va_end(ap);
    info->error_code = code;
    return -1;
}
