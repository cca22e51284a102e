/*
 * rs_json.c - JSON in (json-c, bounded) and out (host buffers), RFC 3339 times, UUIDs and
 * version ordering, shared by the storage plugins so that both read and
 * refuse the same inputs with the same messages.
 */
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include "rs_json.h"
#include "rs_out.h"

/* Inputs the plugin parses itself (task documents, schedules, filters, deliveries). A task
 * document carries its code and schemas, hence the generous size; the depth allows deeply
 * nested JSON Schemas while keeping json-c's recursion bounded. */
#define RS_JSON_MAX_BYTES ((size_t)64 << 20)
#define RS_JSON_MAX_DEPTH 256

/* ---- input ------------------------------------------------------------------------------ */

ratchet_status rs_parse_value(ratchet_ctx *ctx, const char *text, const char *what,
                              json_object **out)
{
    *out = NULL;
    size_t len = strlen(text);
    if (len > RS_JSON_MAX_BYTES) {
        rs_host->set_error(ctx, "%s: %zu bytes of JSON, more than the %zu allowed", what, len,
                           RS_JSON_MAX_BYTES);
        return RATCHET_ERR;
    }
    json_tokener *tok = json_tokener_new_ex(RS_JSON_MAX_DEPTH);
    if (!tok) {
        rs_host->set_error(ctx, "out of memory");
        return RATCHET_NOMEM;
    }
    json_object *v = json_tokener_parse_ex(tok, text, (int)len);
    enum json_tokener_error jerr = json_tokener_get_error(tok);
    size_t end = json_tokener_get_parse_end(tok);
    json_tokener_free(tok);
    while (jerr == json_tokener_success && end < len && strchr(" \t\r\n", text[end]))
        end++;
    if (jerr != json_tokener_success || end < len) {
        rs_host->set_error(ctx, "%s: not valid JSON at byte %zu: %s", what, end,
                           jerr == json_tokener_success    ? "text after the value"
                           : jerr == json_tokener_continue ? "unexpected end"
                                                           : json_tokener_error_desc(jerr));
        json_object_put(v);
        return RATCHET_ERR;
    }
    *out = v;
    return RATCHET_OK;
}

ratchet_status rs_parse_object(ratchet_ctx *ctx, const char *text, const char *what, int allow_null,
                               json_object **out)
{
    *out = NULL;
    if (!text || !*text) {
        if (!allow_null) {
            rs_host->set_error(ctx, "%s: no JSON given", what);
            return RATCHET_ERR;
        }
        *out = json_object_new_object();
        if (!*out) {
            rs_host->set_error(ctx, "out of memory");
            return RATCHET_NOMEM;
        }
        return RATCHET_OK;
    }
    json_object *v = NULL;
    ratchet_status s = rs_parse_value(ctx, text, what, &v);
    if (s != RATCHET_OK)
        return s;
    if (!json_object_is_type(v, json_type_object)) {
        rs_host->set_error(ctx, "%s: expected a JSON object", what);
        json_object_put(v);
        return RATCHET_ERR;
    }
    *out = v;
    return RATCHET_OK;
}

static json_object *member(json_object *o, const char *key)
{
    json_object *v = NULL;
    return json_object_object_get_ex(o, key, &v) ? v : NULL; /* JSON null reads as NULL */
}

static ratchet_status wrong(ratchet_ctx *ctx, const char *what, const char *key, const char *expect)
{
    rs_host->set_error(ctx, "%s: \"%s\" must be %s", what, key, expect);
    return RATCHET_ERR;
}

ratchet_status rs_get_str(ratchet_ctx *ctx, json_object *o, const char *what, const char *key,
                          int required, const char **out)
{
    json_object *v = member(o, key);
    if (!v)
        return required ? wrong(ctx, what, key, "given (a string)") : RATCHET_OK;
    if (!json_object_is_type(v, json_type_string))
        return wrong(ctx, what, key, "a string");
    const char *s = json_object_get_string(v);
    if (required && !*s)
        return wrong(ctx, what, key, "a non-empty string");
    *out = s;
    return RATCHET_OK;
}

ratchet_status rs_get_int(ratchet_ctx *ctx, json_object *o, const char *what, const char *key,
                          int required, int64_t *out)
{
    json_object *v = member(o, key);
    if (!v)
        return required ? wrong(ctx, what, key, "given (an integer)") : RATCHET_OK;
    if (!json_object_is_type(v, json_type_int))
        return wrong(ctx, what, key, "an integer");
    *out = json_object_get_int64(v);
    return RATCHET_OK;
}

ratchet_status rs_get_bool(ratchet_ctx *ctx, json_object *o, const char *what, const char *key,
                           int *out)
{
    json_object *v = member(o, key);
    if (!v)
        return RATCHET_OK;
    if (!json_object_is_type(v, json_type_boolean))
        return wrong(ctx, what, key, "true or false");
    *out = json_object_get_boolean(v) ? 1 : 0;
    return RATCHET_OK;
}

ratchet_status rs_get_time(ratchet_ctx *ctx, json_object *o, const char *what, const char *key,
                           int64_t *out)
{
    json_object *v = member(o, key);
    if (!v)
        return RATCHET_OK;
    if (json_object_is_type(v, json_type_int)) {
        *out = json_object_get_int64(v);
        if (*out < 0)
            return wrong(ctx, what, key, "a time (milliseconds since 1970 are never negative)");
        return RATCHET_OK;
    }
    if (json_object_is_type(v, json_type_string) &&
        rs_parse_rfc3339(json_object_get_string(v), out) == 0)
        return RATCHET_OK;
    return wrong(ctx, what, key, "an RFC 3339 time such as \"2026-11-26T06:40:45.123Z\"");
}

ratchet_status rs_get_json(ratchet_ctx *ctx, json_object *o, const char *key, char **out)
{
    *out = NULL;
    json_object *v = member(o, key);
    if (!v)
        return RATCHET_OK;
    const char *text =
        json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
    *out = text ? rs_host->strdup(text) : NULL;
    if (!*out) {
        rs_host->set_error(ctx, "out of memory");
        return RATCHET_NOMEM;
    }
    return RATCHET_OK;
}

ratchet_status rs_check_json(ratchet_ctx *ctx, const char *json, const char *call, size_t index,
                             const char *field)
{
    if (!json)
        return RATCHET_OK;
    ratchet_buf why = RATCHET_BUF_INIT;
    if (rs_host->json_check(json, strlen(json), &why) == RATCHET_OK)
        return RATCHET_OK;
    rs_host->set_error(ctx, "%s[%zu]: %s is not valid JSON: %s", call, index, field,
                       why.data ? why.data : "");
    rs_host->buf_free(&why);
    return RATCHET_ERR;
}

/* ---- times ------------------------------------------------------------------------------ */

static int digits(const char **p, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++, (*p)++) {
        if (**p < '0' || **p > '9')
            return -1;
        v = v * 10 + (**p - '0');
    }
    *out = v;
    return 0;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

int rs_parse_rfc3339(const char *s, int64_t *ms)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y, mo, d, h, mi, sec, frac = 0;
    const char *p = s;
    if (digits(&p, 4, &y) || *p++ != '-' || digits(&p, 2, &mo) || *p++ != '-' ||
        digits(&p, 2, &d) || (*p != 'T' && *p != 't' && *p != ' '))
        return -1;
    p++;
    if (digits(&p, 2, &h) || *p++ != ':' || digits(&p, 2, &mi) || *p++ != ':' ||
        digits(&p, 2, &sec))
        return -1;
    if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || h > 23 || mi > 59 || sec > 60)
        return -1;
    if (*p == '.') {
        p++;
        int n = 0;
        for (; *p >= '0' && *p <= '9'; p++, n++)
            if (n < 3)
                frac = frac * 10 + (*p - '0');
        if (n == 0)
            return -1;
        for (; n < 3; n++)
            frac *= 10;
    }
    int64_t offset_min = 0;
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int sign = *p++ == '-' ? -1 : 1, oh, om;
        if (digits(&p, 2, &oh) || *p++ != ':' || digits(&p, 2, &om) || oh > 23 || om > 59)
            return -1;
        offset_min = (int64_t)sign * (oh * 60 + om);
    } else {
        return -1;
    }
    if (*p)
        return -1;
    if (sec == 60)
        sec = 59; /* a leap second is kept inside its minute */
    int64_t t = days_from_civil(y, mo, d) * 86400 + (int64_t)h * 3600 + (int64_t)mi * 60 + sec -
                offset_min * 60;
    if (t < 0)
        return -1;
    *ms = t * 1000 + frac;
    return 0;
}

/* ---- identifiers and versions ----------------------------------------------------------- */

void rs_uuid(char out[37])
{
    unsigned char b[16];
    /* getrandom, not a library PRNG: after fork() such a PRNG (SQLite's) continues
     * identically in parent and child, and both may create jobs in the same database. */
    size_t got = 0;
    while (got < sizeof b) {
        ssize_t n = getrandom(b + got, sizeof b - got, 0);
        if (n <= 0) {
            /* Never fails on Linux >= 3.17 for 16 bytes; a monotonic fallback keeps ids
             * distinct rather than giving up on the job. */
            int64_t t = rs_host->monotonic_ns();
            for (; got < sizeof b; got++, t >>= 3)
                b[got] = (unsigned char)(t ^ (int64_t)got * 131);
            break;
        }
        got += (size_t)n;
    }
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
    static const char hex[] = "0123456789abcdef";
    char *p = out;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            *p++ = '-';
        *p++ = hex[b[i] >> 4];
        *p++ = hex[b[i] & 15];
    }
    *p = '\0';
}

int rs_version_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
    size_t i = 0, j = 0;
    while (i < alen && j < blen) {
        if (a[i] == '-' || b[j] == '-') {
            /* A pre-release sorts before the release it precedes. */
            if (a[i] != '-')
                return 1;
            if (b[j] != '-')
                return -1;
            size_t n = alen - i < blen - j ? alen - i : blen - j;
            int c = memcmp(a + i, b + j, n);
            return c ? c : (alen - i > blen - j) - (alen - i < blen - j);
        }
        if (a[i] >= '0' && a[i] <= '9' && b[j] >= '0' && b[j] <= '9') {
            while (i < alen && a[i] == '0')
                i++;
            while (j < blen && b[j] == '0')
                j++;
            size_t si = i, sj = j;
            while (i < alen && a[i] >= '0' && a[i] <= '9')
                i++;
            while (j < blen && b[j] >= '0' && b[j] <= '9')
                j++;
            if (i - si != j - sj)
                return i - si < j - sj ? -1 : 1;
            int c = memcmp(a + si, b + sj, i - si);
            if (c)
                return c;
            continue;
        }
        if (a[i] != b[j])
            return (unsigned char)a[i] < (unsigned char)b[j] ? -1 : 1;
        i++;
        j++;
    }
    if (i < alen)
        return a[i] == '-' ? -1 : 1;
    if (j < blen)
        return b[j] == '-' ? 1 : -1;
    return 0;
}

const char *rs_priority_name(int64_t p)
{
    static const char *const names[] = {"low", "normal", "high", "urgent"};
    return p >= 1 && p <= 4 ? names[p - 1] : "normal";
}
