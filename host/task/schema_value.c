/*
 * host/task/schema_value.c - JSON values as JSON Schema sees them: numbers compared by value
 * whatever json-c stored (int64, uint64 or double), deep equality, hashing, and compact
 * rendering for messages.
 *
 * Numbers are compared as long double, which holds every int64, uint64 and double exactly on
 * the platforms Ratchet builds for (x86-64: 64-bit mantissa; aarch64: binary128).
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema_internal.h"

int rt_schema_is_number(struct json_object *v)
{
    return json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double);
}

/* The value of a number. json-c keeps integers above INT64_MAX as uint64 and reports them as
 * INT64_MAX through get_int64. */
static long double num_value(struct json_object *v)
{
    if (json_object_is_type(v, json_type_int)) {
        int64_t i = json_object_get_int64(v);
        if (i == INT64_MAX)
            return (long double)json_object_get_uint64(v);
        return (long double)i;
    }
    return (long double)json_object_get_double(v);
}

int rt_schema_is_integer(struct json_object *v)
{
    if (json_object_is_type(v, json_type_int))
        return 1;
    if (!json_object_is_type(v, json_type_double))
        return 0;
    double d = json_object_get_double(v);
    return isfinite(d) && floor(d) == d;
}

int rt_schema_num_cmp(struct json_object *a, struct json_object *b)
{
    long double x = num_value(a), y = num_value(b);
    return x < y ? -1 : x > y;
}

/* Absolute value of an integer-typed number, exactly. */
static uint64_t int_magnitude(struct json_object *v)
{
    int64_t i = json_object_get_int64(v);
    if (i == INT64_MAX)
        return json_object_get_uint64(v);
    return i < 0 ? (uint64_t)(-(i + 1)) + 1 : (uint64_t)i;
}

int rt_schema_multiple_of(struct json_object *v, struct json_object *divisor)
{
    if (json_object_is_type(v, json_type_int) && json_object_is_type(divisor, json_type_int)) {
        uint64_t d = int_magnitude(divisor);
        return d == 0 ? 0 : int_magnitude(v) % d == 0;
    }
    long double x = num_value(v), d = num_value(divisor);
    if (d <= 0 || !isfinite(x))
        return 0;
    if (fmodl(x, d) == 0) /* exact: 1e308 is a multiple of 0.5 */
        return 1;
    long double q = x / d;
    if (!(fabsl(q) < 9223372036854775808.0L)) /* beyond 2^63 only the exact test counts */
        return 0;
    /* 0.0075 / 0.0001 is 74.99999999999999 in binary floating point: accept a quotient within
     * a few double ulps of an integer, as decimal intuition expects. */
    return fabsl(q - roundl(q)) <= 8 * DBL_EPSILON * fabsl(q);
}

static int equal_depth(struct json_object *a, struct json_object *b, int depth)
{
    if (depth > RT_SCHEMA_MAX_DEPTH)
        return 0;
    if (rt_schema_is_number(a) && rt_schema_is_number(b))
        return rt_schema_num_cmp(a, b) == 0;
    enum json_type ta = json_object_get_type(a), tb = json_object_get_type(b);
    if (ta != tb)
        return 0;
    switch (ta) {
    case json_type_null:
        return 1;
    case json_type_boolean:
        return !json_object_get_boolean(a) == !json_object_get_boolean(b);
    case json_type_string: {
        int la = json_object_get_string_len(a), lb = json_object_get_string_len(b);
        return la == lb &&
               memcmp(json_object_get_string(a), json_object_get_string(b), (size_t)la) == 0;
    }
    case json_type_array: {
        size_t n = json_object_array_length(a);
        if (n != json_object_array_length(b))
            return 0;
        for (size_t i = 0; i < n; i++)
            if (!equal_depth(json_object_array_get_idx(a, i), json_object_array_get_idx(b, i),
                             depth + 1))
                return 0;
        return 1;
    }
    case json_type_object: {
        if (json_object_object_length(a) != json_object_object_length(b))
            return 0;
        json_object_object_foreach(a, key, va)
        {
            struct json_object *vb;
            if (!json_object_object_get_ex(b, key, &vb) || !equal_depth(va, vb, depth + 1))
                return 0;
        }
        return 1;
    }
    default:
        return 0;
    }
}

int rt_schema_equal(struct json_object *a, struct json_object *b)
{
    return equal_depth(a, b, 0);
}

static uint64_t mix(uint64_t h, uint64_t v)
{
    h ^= v + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
    return h;
}

static uint64_t hash_bytes(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ull;
    }
    return h;
}

static uint64_t hash_depth(struct json_object *v, int depth)
{
    if (depth > RT_SCHEMA_MAX_DEPTH)
        return 0;
    if (rt_schema_is_number(v)) {
        /* Equal numbers give equal doubles (an integer equal to a double is exactly one). */
        double d = (double)num_value(v);
        if (d == 0 && signbit(d)) /* -0.0 == 0 */
            d = 0;
        uint64_t bits;
        memcpy(&bits, &d, sizeof bits);
        return mix(3, bits);
    }
    switch (json_object_get_type(v)) {
    case json_type_null:
        return 1;
    case json_type_boolean:
        return json_object_get_boolean(v) ? 2 : 4;
    case json_type_string:
        return mix(5, hash_bytes(json_object_get_string(v), (size_t)json_object_get_string_len(v)));
    case json_type_array: {
        uint64_t h = 7;
        size_t n = json_object_array_length(v);
        for (size_t i = 0; i < n; i++)
            h = mix(h, hash_depth(json_object_array_get_idx(v, i), depth + 1));
        return h;
    }
    case json_type_object: {
        uint64_t h = 11; /* members in any order: combine with a commutative sum */
        json_object_object_foreach(v, key, val)
        {
            h += mix(hash_bytes(key, strlen(key)), hash_depth(val, depth + 1));
        }
        return h;
    }
    default:
        return 0;
    }
}

uint64_t rt_schema_hash(struct json_object *v)
{
    return hash_depth(v, 0);
}

/* The shortest %g form that reads back as d, with ".0" on integral values so that a double
 * still looks like one. */
static void render_double(ratchet_buf *b, double d)
{
    if (!isfinite(d)) {
        rt_buf_puts(b, isnan(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity");
        return;
    }
    char text[64];
    for (int prec = 1; prec <= DBL_DECIMAL_DIG; prec++) {
        int n = snprintf(text, sizeof text, "%.*g", prec, d);
        if (n > 0 && (size_t)n < sizeof text && strtod(text, NULL) == d)
            break;
    }
    rt_buf_puts(b, text);
    if (strspn(text, "-0123456789") == strlen(text))
        rt_buf_puts(b, ".0");
}

static void render_depth(ratchet_buf *b, struct json_object *v, size_t max, int depth)
{
    if (b->len > max)
        return;
    switch (json_object_get_type(v)) {
    case json_type_null:
        rt_buf_puts(b, "null");
        break;
    case json_type_boolean:
        rt_buf_puts(b, json_object_get_boolean(v) ? "true" : "false");
        break;
    case json_type_int:
        if (json_object_get_int64(v) == INT64_MAX)
            rt_buf_printf(b, "%llu", (unsigned long long)json_object_get_uint64(v));
        else
            rt_buf_printf(b, "%lld", (long long)json_object_get_int64(v));
        break;
    case json_type_double:
        render_double(b, json_object_get_double(v));
        break;
    case json_type_string: {
        /* Cut long strings before escaping, so that a huge value costs little. */
        int len = json_object_get_string_len(v);
        size_t keep = (size_t)len < max + 8 ? (size_t)len : max + 8;
        ratchet_buf tmp = RATCHET_BUF_INIT;
        if (rt_buf_append(&tmp, json_object_get_string(v), keep) == RATCHET_OK)
            rt_buf_json_string(b, tmp.data);
        rt_buf_free(&tmp);
        break;
    }
    case json_type_array: {
        size_t n = json_object_array_length(v);
        rt_buf_puts(b, "[");
        for (size_t i = 0; i < n && b->len <= max && depth < 32; i++) {
            if (i)
                rt_buf_puts(b, ",");
            render_depth(b, json_object_array_get_idx(v, i), max, depth + 1);
        }
        rt_buf_puts(b, "]");
        break;
    }
    case json_type_object: {
        /* The iterator API rather than json_object_object_foreach: the count is explicit. */
        struct json_object_iterator it = json_object_iter_begin(v);
        struct json_object_iterator end = json_object_iter_end(v);
        rt_buf_puts(b, "{");
        for (size_t k = 0; !json_object_iter_equal(&it, &end) && b->len <= max && depth < 32;
             k++, json_object_iter_next(&it)) {
            if (k > 0)
                rt_buf_puts(b, ",");
            rt_buf_json_string(b, json_object_iter_peek_name(&it));
            rt_buf_puts(b, ":");
            render_depth(b, json_object_iter_peek_value(&it), max, depth + 1);
        }
        rt_buf_puts(b, "}");
        break;
    }
    default:
        break;
    }
}

void rt_schema_render(ratchet_buf *b, struct json_object *v, size_t max)
{
    ratchet_buf tmp = RATCHET_BUF_INIT;
    render_depth(&tmp, v, max, 0);
    if (!tmp.data)
        return;
    if (tmp.len > max) {
        size_t cut = max;
        while (cut > 0 && ((unsigned char)tmp.data[cut] & 0xC0) == 0x80)
            cut--; /* not inside a UTF-8 sequence */
        tmp.len = cut;
        tmp.data[cut] = '\0';
        rt_buf_puts(&tmp, "...");
    }
    rt_buf_append(b, tmp.data, tmp.len);
    rt_buf_free(&tmp);
}

size_t rt_schema_utf8_length(const char *s, size_t len)
{
    size_t n = 0, i = 0;
    while (i < len) {
        size_t used = 1;
        uint32_t cp;
        rt_utf8_next(s + i, len - i, &used, &cp);
        i += used;
        n++;
    }
    return n;
}

const char *rt_schema_type_name(struct json_object *v)
{
    switch (json_object_get_type(v)) {
    case json_type_null:
        return "null";
    case json_type_boolean:
        return "boolean";
    case json_type_int:
        return "integer";
    case json_type_double:
        return rt_schema_is_integer(v) ? "integer" : "number";
    case json_type_string:
        return "string";
    case json_type_array:
        return "array";
    case json_type_object:
        return "object";
    default:
        return "value";
    }
}
