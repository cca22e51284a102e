/* plugins/frontend-common/fe_json.c - top-level members of a JSON object's text (fe_json.h). */
#include "fe_json.h"

#include <string.h>

static const char *skip_space(const char *p)
{
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    return p;
}

/* Past the string starting at p (a '"'); NULL when it does not end. */
static const char *skip_string(const char *p)
{
    for (p++; *p; p++) {
        if (*p == '\\') {
            if (!*++p)
                return NULL;
        } else if (*p == '"') {
            return p + 1;
        }
    }
    return NULL;
}

/* Past the value starting at p; NULL when it is cut short or its brackets do not match. */
static const char *skip_value(const char *p)
{
    if (*p == '"')
        return skip_string(p);
    if (*p != '{' && *p != '[') { /* a number or a literal: up to the next separator */
        const char *start = p;
        while (*p && !strchr(",}] \t\n\r", *p))
            p++;
        return p > start ? p : NULL;
    }
    char open[64]; /* the brackets still open; deeper values are refused, not overrun */
    size_t depth = 0;
    do {
        if (*p == '"') {
            if (!(p = skip_string(p)))
                return NULL;
            continue;
        }
        if (*p == '{' || *p == '[') {
            if (depth == sizeof open)
                return NULL;
            open[depth++] = *p;
        } else if (*p == '}' || *p == ']') {
            if (!depth || open[--depth] != (*p == '}' ? '{' : '['))
                return NULL;
        } else if (!*p) {
            return NULL;
        }
        p++;
    } while (depth > 0);
    return p;
}

int fe_json_member(const char *json, const char *key, const char **val, size_t *len)
{
    const char *p = json ? skip_space(json) : NULL;
    if (!p || *p != '{')
        return 0;
    size_t klen = strlen(key);
    for (p = skip_space(p + 1); *p != '}';) {
        if (*p != '"')
            return 0;
        const char *k = p + 1, *end = skip_string(p);
        if (!end)
            return 0;
        int match = (size_t)(end - 1 - k) == klen && memcmp(k, key, klen) == 0;
        p = skip_space(end);
        if (*p != ':')
            return 0;
        const char *v = skip_space(p + 1);
        if (!(end = skip_value(v)))
            return 0;
        if (match) {
            *val = v;
            *len = (size_t)(end - v);
            return 1;
        }
        p = skip_space(end);
        if (*p == ',')
            p = skip_space(p + 1);
        else if (*p != '}')
            return 0;
    }
    return 0;
}

int fe_json_member_word(const char *json, const char *key, char *buf, size_t cap)
{
    const char *v;
    size_t n;
    if (!fe_json_member(json, key, &v, &n) || n < 2 || *v != '"' || n - 2 >= cap ||
        memchr(v + 1, '\\', n - 2))
        return 0;
    memcpy(buf, v + 1, n - 2);
    buf[n - 2] = '\0';
    return 1;
}

int fe_json_member_true(const char *json, const char *key)
{
    const char *v;
    size_t n;
    return fe_json_member(json, key, &v, &n) && n == 4 && memcmp(v, "true", 4) == 0;
}
