/* host/core/json_num.c - integer literals json-c or JavaScript would change (see json_num.h). */
#include "json_num.h"

#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "error.h"

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* An integer literal json-c would clamp: beyond UINT64_MAX, or below INT64_MIN. */
static int int_overflows(const char *digits, size_t n, int is_negative)
{
    if (is_negative)
        return n > 19 || (n == 19 && memcmp(digits, "9223372036854775808", 19) > 0);
    return n > 20 || (n == 20 && memcmp(digits, "18446744073709551615", 20) > 0);
}

/* Offset just past the string literal opening at s[i] (len when it never closes). */
static size_t string_end(const char *s, size_t len, size_t i)
{
    for (size_t j = i + 1; j < len; j++) {
        if (s[j] == '\\')
            j++;
        else if (s[j] == '"')
            return j + 1;
    }
    return len;
}

/* The number literal at s[i]: its end, where its digits start, how many, whether it is an
 * integer (no fraction, no exponent). */
typedef struct num_token {
    size_t end, d0, ndigits;
    int negative, integral;
} num_token;

static num_token number_at(const char *s, size_t len, size_t i)
{
    num_token t = {0, 0, 0, s[i] == '-', 1};
    size_t j = t.d0 = i + (size_t)t.negative;
    while (j < len && is_digit(s[j]))
        j++;
    t.ndigits = j - t.d0;
    t.integral = t.ndigits > 0 && !(j < len && (s[j] == '.' || s[j] == 'e' || s[j] == 'E'));
    while (j < len && (is_digit(s[j]) || s[j] == '.' || s[j] == 'e' || s[j] == 'E' || s[j] == '+' ||
                       s[j] == '-'))
        j++;
    t.end = j;
    return t;
}

int rt_json_scan_big(const char *s, size_t len, char *out, size_t *nbig, size_t *bad_off,
                     size_t *bad_len)
{
    size_t i = 0, copied = 0, o = 0;
    *nbig = 0;
    while (i < len) {
        char c = s[i];
        if (c == '"') {
            i = string_end(s, len, i);
        } else if (c == '-' || is_digit(c)) {
            num_token t = number_at(s, len, i);
            if (t.integral && int_overflows(s + t.d0, t.ndigits, t.negative)) {
                if (out) {
                    memcpy(out + o, s + copied, t.end - copied);
                    o += t.end - copied;
                    out[o++] = '.';
                    out[o++] = '0';
                    copied = t.end;
                }
                (*nbig)++;
            }
            i = t.end;
        } else if (is_alpha(c)) {
            size_t j = i;
            while (j < len && is_alpha(s[j]))
                j++;
            size_t n = j - i;
            if (!(n == 4 && (!memcmp(s + i, "true", 4) || !memcmp(s + i, "null", 4))) &&
                !(n == 5 && !memcmp(s + i, "false", 5))) {
                *bad_off = i;
                *bad_len = n;
                return -1;
            }
            i = j;
        } else {
            i++;
        }
    }
    if (out)
        memcpy(out + o, s + copied, len - copied);
    return 0;
}

ratchet_status rt_json_restore_big(struct json_object *v)
{
    switch (json_object_get_type(v)) {
    case json_type_object: {
        json_object_object_foreach(v, key, child)
        {
            (void)key;
            if (child && rt_json_restore_big(child) != RATCHET_OK)
                return RATCHET_NOMEM;
        }
        return RATCHET_OK;
    }
    case json_type_array: {
        size_t n = json_object_array_length(v);
        for (size_t i = 0; i < n; i++) {
            struct json_object *child = json_object_array_get_idx(v, i);
            if (child && rt_json_restore_big(child) != RATCHET_OK)
                return RATCHET_NOMEM;
        }
        return RATCHET_OK;
    }
    case json_type_double: {
        const char *text = json_object_get_userdata(v);
        size_t n = text ? strlen(text) : 0;
        if (n < 3 || memcmp(text + n - 2, ".0", 2) != 0)
            return RATCHET_OK;
        int neg = text[0] == '-';
        for (size_t i = (size_t)neg; i < n - 2; i++)
            if (!is_digit(text[i]))
                return RATCHET_OK;
        if (!int_overflows(text + neg, n - 2 - (size_t)neg, neg))
            return RATCHET_OK;
        char *orig = strndup(text, n - 2);
        if (!orig)
            return RATCHET_NOMEM;
        /* Replaces (and frees) the text json-c stored. */
        json_object_set_serializer(v, json_object_userdata_to_json_string, orig,
                                   json_object_free_userdata);
        return RATCHET_OK;
    }
    default:
        return RATCHET_OK;
    }
}

struct json_object *rt_json_parse_keep_big(const char *text, size_t len)
{
    size_t nbig = 0, bad_off, bad_len;
    if (rt_json_scan_big(text, len, NULL, &nbig, &bad_off, &bad_len) != 0)
        return NULL;
    char *copy = malloc(len + 2 * nbig + 1);
    if (!copy)
        return NULL;
    rt_json_scan_big(text, len, copy, &nbig, &bad_off, &bad_len);
    copy[len + 2 * nbig] = '\0';
    json_tokener *tok = json_tokener_new();
    struct json_object *v = NULL;
    if (tok) {
        json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
        /* The terminating NUL is part of the input: it is what ends a top-level number
         * ("6"), which json-c otherwise waits to see continued. */
        v = json_tokener_parse_ex(tok, copy, (int)(len + 2 * nbig + 1));
        if (json_tokener_get_error(tok) != json_tokener_success) {
            json_object_put(v);
            v = NULL;
        }
        json_tokener_free(tok);
    }
    free(copy);
    if (v && rt_json_restore_big(v) != RATCHET_OK) {
        json_object_put(v);
        v = NULL;
    }
    return v;
}

/* ---- JavaScript's safe range -------------------------------------------------------------- */

#define PATH_FRAMES 64 /* containers named in a message; deeper ones show as "/..." */

typedef struct path_frame {
    int is_object;
    size_t index;    /* arrays: the element */
    const char *key; /* objects: the member's name as written (escapes kept) */
    size_t key_len;
} path_frame;

static void put_path(ratchet_buf *why, const path_frame *st, size_t depth)
{
    if (depth == 0)
        rt_buf_puts(why, "/");
    for (size_t k = 0; k < depth && k < PATH_FRAMES; k++) {
        rt_buf_puts(why, "/");
        if (!st[k].is_object) {
            rt_buf_printf(why, "%zu", st[k].index);
            continue;
        }
        for (size_t i = 0; st[k].key && i < st[k].key_len; i++)
            if (st[k].key[i] == '~')
                rt_buf_puts(why, "~0");
            else if (st[k].key[i] == '/')
                rt_buf_puts(why, "~1");
            else
                rt_buf_append(why, st[k].key + i, 1);
    }
    if (depth > PATH_FRAMES)
        rt_buf_puts(why, "/...");
}

static int unsafe(const num_token *t, const char *s)
{
    return t->integral && (t->ndigits > 16 ||
                           (t->ndigits == 16 && memcmp(s + t->d0, RT_JSON_MAX_SAFE_INT, 16) > 0));
}

int rt_json_unsafe_int(const char *s, size_t len, ratchet_buf *why)
{
    path_frame st[PATH_FRAMES];
    size_t depth = 0, i = 0;
    int want_key = 0;
    while (i < len) {
        char c = s[i];
        path_frame *top = depth > 0 && depth <= PATH_FRAMES ? &st[depth - 1] : NULL;
        if (c == '"') {
            size_t j = string_end(s, len, i);
            if (want_key && top) {
                top->key = s + i + 1;
                top->key_len = j - i >= 2 ? j - i - 2 : 0;
            }
            want_key = 0;
            i = j;
        } else if (c == '{' || c == '[') {
            if (depth < PATH_FRAMES)
                st[depth] = (path_frame){c == '{', 0, NULL, 0};
            depth++;
            want_key = c == '{';
            i++;
        } else if (c == '}' || c == ']') {
            depth -= depth > 0;
            i++;
        } else if (c == ',') {
            if (top && top->is_object)
                want_key = 1;
            else if (top)
                top->index++;
            i++;
        } else if (c == '-' || is_digit(c)) {
            num_token t = number_at(s, len, i);
            if (unsafe(&t, s)) {
                put_path(why, st, depth);
                size_t n = t.end - i;
                rt_buf_printf(why,
                              ": integer %.*s%s is outside JavaScript's safe range (±%s) and "
                              "would lose precision; pass it as a string",
                              (int)(n > 40 ? 40 : n), s + i, n > 40 ? "..." : "",
                              RT_JSON_MAX_SAFE_INT);
                return 1;
            }
            i = t.end;
        } else {
            i++;
        }
    }
    return 0;
}
