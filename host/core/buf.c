/* host/core/buf.c - growable buffers, JSON string escaping, ISO 8601 time, JSON validation. */
#include "buf.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

/* Make room for `extra` more bytes plus the terminating NUL. */
static ratchet_status buf_reserve(ratchet_buf *buf, size_t extra)
{
    if (extra > SIZE_MAX / 2 - buf->len - 1)
        return RATCHET_NOMEM;
    size_t need = buf->len + extra + 1;
    if (buf->data && need <= buf->cap)
        return RATCHET_OK;
    size_t cap = buf->cap ? buf->cap : 64;
    while (cap < need)
        cap *= 2;
    char *grown = realloc(buf->data, cap);
    if (!grown)
        return RATCHET_NOMEM;
    if (!buf->data)
        grown[0] = '\0';
    buf->data = grown;
    buf->cap = cap;
    return RATCHET_OK;
}

/* Undo a partial write so that a failed call leaves the buffer as it was. */
static ratchet_status buf_rollback(ratchet_buf *buf, size_t len, ratchet_status rc)
{
    if (buf->data) {
        buf->len = len;
        buf->data[len] = '\0';
    }
    return rc;
}

ratchet_status rt_buf_append(ratchet_buf *buf, const char *data, size_t len)
{
    if (!buf || (!data && len))
        return RATCHET_ERR;
    if (buf_reserve(buf, len) != RATCHET_OK)
        return RATCHET_NOMEM;
    if (len)
        memcpy(buf->data + buf->len, data, len);
    buf->len += len;
    buf->data[buf->len] = '\0';
    return RATCHET_OK;
}

ratchet_status rt_buf_puts(ratchet_buf *buf, const char *s)
{
    return rt_buf_append(buf, s, s ? strlen(s) : 0);
}

ratchet_status rt_buf_vprintf(ratchet_buf *buf, const char *fmt, va_list ap)
{
    if (!buf || !fmt)
        return RATCHET_ERR;
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return RATCHET_ERR;
    if (buf_reserve(buf, (size_t)n) != RATCHET_OK)
        return RATCHET_NOMEM;
    vsnprintf(buf->data + buf->len, (size_t)n + 1, fmt, ap);
    buf->len += (size_t)n;
    return RATCHET_OK;
}

ratchet_status rt_buf_printf(ratchet_buf *buf, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ratchet_status rc = rt_buf_vprintf(buf, fmt, ap);
    va_end(ap);
    return rc;
}

void rt_buf_free(ratchet_buf *buf)
{
    if (!buf)
        return;
    free(buf->data);
    buf->data = NULL;
    buf->len = 0;
    buf->cap = 0;
}

int rt_utf8_next(const char *s, size_t len, size_t *used, uint32_t *cp)
{
    const unsigned char *p = (const unsigned char *)s;
    unsigned char lo = 0x80, hi = 0xBF;
    size_t need;
    uint32_t c = p[0];
    *used = 1;
    *cp = 0xFFFD;
    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if (c >= 0xC2 && c <= 0xDF) {
        need = 1;
        c &= 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 2;
        if (c == 0xE0)
            lo = 0xA0; /* overlong */
        if (c == 0xED)
            hi = 0x9F; /* UTF-16 surrogates */
        c &= 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3;
        if (c == 0xF0)
            lo = 0x90; /* overlong */
        if (c == 0xF4)
            hi = 0x8F; /* above U+10FFFF */
        c &= 0x07;
    } else {
        return 0;
    }
    /* Consume the longest valid prefix so that one broken sequence yields one U+FFFD. */
    for (size_t i = 1; i <= need; i++) {
        if (i >= len || p[i] < lo || p[i] > hi) {
            *used = i;
            return 0;
        }
        c = (c << 6) | (p[i] & 0x3Fu);
        lo = 0x80;
        hi = 0xBF;
    }
    *used = need + 1;
    *cp = c;
    return 1;
}

static ratchet_status json_escape(ratchet_buf *buf, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    size_t len = strlen(s), run = 0, i = 0;
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
            i++;
            continue;
        }
        size_t used;
        uint32_t cp;
        int ok = rt_utf8_next(s + i, len - i, &used, &cp);
        /* U+2028/2029 are valid JSON but end a line in JavaScript; escape them too. */
        if (ok && cp >= 0x80 && cp != 0x2028 && cp != 0x2029) {
            i += used;
            continue;
        }
        if (rt_buf_append(buf, s + run, i - run) != RATCHET_OK)
            return RATCHET_NOMEM;
        char esc[8];
        const char *e = esc;
        if (!ok)
            e = "\xEF\xBF\xBD";
        else if (c == '"')
            e = "\\\"";
        else if (c == '\\')
            e = "\\\\";
        else if (c == '\n')
            e = "\\n";
        else if (c == '\r')
            e = "\\r";
        else if (c == '\t')
            e = "\\t";
        else if (c == '\b')
            e = "\\b";
        else if (c == '\f')
            e = "\\f";
        else
            snprintf(esc, sizeof esc, "\\u%c%c%c%c", hex[(cp >> 12) & 0xF], hex[(cp >> 8) & 0xF],
                     hex[(cp >> 4) & 0xF], hex[cp & 0xF]);
        if (rt_buf_puts(buf, e) != RATCHET_OK)
            return RATCHET_NOMEM;
        i += used;
        run = i;
    }
    return rt_buf_append(buf, s + run, len - run);
}

ratchet_status rt_buf_json_string(ratchet_buf *buf, const char *s)
{
    if (!buf)
        return RATCHET_ERR;
    size_t old = buf->len;
    ratchet_status rc;
    if (!s)
        rc = rt_buf_puts(buf, "null");
    else if ((rc = rt_buf_puts(buf, "\"")) == RATCHET_OK &&
             (rc = json_escape(buf, s)) == RATCHET_OK)
        rc = rt_buf_puts(buf, "\"");
    return rc == RATCHET_OK ? rc : buf_rollback(buf, old, rc);
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* The `width` last decimal digits of v (>= 0) over p[0..width), zero-padded. */
static void put_digits(char *p, int width, int64_t v)
{
    for (int i = width - 1; i >= 0; i--, v /= 10)
        p[i] = (char)('0' + v % 10);
}

ratchet_status rt_buf_time_iso8601(ratchet_buf *buf, int64_t time_us)
{
    if (!buf)
        return RATCHET_ERR;
    int64_t ms = floor_div(time_us, 1000);
    int64_t secs = floor_div(ms, 1000);
    int64_t days = floor_div(secs, 86400);
    int64_t sod = secs - days * 86400;
    /* Days since 1970-01-01 to a civil date (H. Hinnant's algorithm), independent of the C
     * library's time_t range and of the process time zone. */
    int64_t z = days + 719468;
    int64_t era = floor_div(z, 146097);
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t day = doy - (153 * mp + 2) / 5 + 1;
    int64_t month = mp < 10 ? mp + 3 : mp - 9;
    int64_t year = yoe + era * 400 + (month <= 2);
    if (year < 0 || year > 9999)
        return RATCHET_ERR; /* ISO 8601 needs an agreed expansion beyond four digits */
    /* Digits placed by hand: every log line of a console or file logger starts here, and
     * printf showed in the access log's profile. */
    char t[] = "0000-00-00T00:00:00.000Z";
    put_digits(t, 4, year);
    put_digits(t + 5, 2, month);
    put_digits(t + 8, 2, day);
    put_digits(t + 11, 2, sod / 3600);
    put_digits(t + 14, 2, sod / 60 % 60);
    put_digits(t + 17, 2, sod % 60);
    put_digits(t + 20, 3, ms - secs * 1000);
    return rt_buf_append(buf, t, sizeof t - 1);
}

static int json_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Length of the RFC 8259 number at t, or 0: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
static size_t json_number_len(const char *t, size_t len)
{
    size_t i = 0;
    if (i < len && t[i] == '-')
        i++;
    if (i < len && t[i] == '0')
        i++;
    else if (i < len && is_digit(t[i]))
        while (i < len && is_digit(t[i]))
            i++;
    else
        return 0;
    if (i < len && t[i] == '.') {
        size_t start = ++i;
        while (i < len && is_digit(t[i]))
            i++;
        if (i == start)
            return 0;
    }
    if (i < len && (t[i] == 'e' || t[i] == 'E')) {
        i++;
        if (i < len && (t[i] == '+' || t[i] == '-'))
            i++;
        size_t start = i;
        while (i < len && is_digit(t[i]))
            i++;
        if (i == start)
            return 0;
    }
    return i;
}

/* json-c accepts some non-JSON even in strict mode (single quotes, NaN, Infinity, "1.", "-01",
 * raw control characters in strings). Scan the text json-c accepted and refuse those. Returns the
 * offset of the first offence or len when clean; *what names it. */
static size_t json_lexical_check(const char *t, size_t len, const char **what)
{
    size_t i = 0;
    while (i < len) {
        char c = t[i];
        if (c == '"') {
            for (i++; i < len && t[i] != '"'; i++) {
                if ((unsigned char)t[i] < 0x20) {
                    *what = "unescaped control character in string";
                    return i;
                }
                if (t[i] == '\\')
                    i++;
            }
            i++;
        } else if (is_digit(c) || c == '-') {
            size_t start = i, n = json_number_len(t + i, len - i);
            while (i < len && t[i] != '\0' && strchr("0123456789+-.eE", t[i]))
                i++;
            if (n != i - start) {
                *what = "malformed number";
                return start;
            }
        } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
            size_t start = i;
            while (i < len && ((t[i] >= 'a' && t[i] <= 'z') || (t[i] >= 'A' && t[i] <= 'Z')))
                i++;
            size_t n = i - start;
            if (!((n == 4 && !memcmp(t + start, "true", 4)) ||
                  (n == 5 && !memcmp(t + start, "false", 5)) ||
                  (n == 4 && !memcmp(t + start, "null", 4)))) {
                *what = "unexpected word (JSON allows only true, false and null)";
                return start;
            }
        } else if (json_space(c) || strchr("{}[]:,", c)) {
            i++;
        } else {
            *what = "unexpected character";
            return i;
        }
    }
    return len;
}

static ratchet_status json_fail(ratchet_buf *why, const char *what, size_t offset)
{
    if (why)
        rt_buf_printf(why, "%s at byte offset %zu", what, offset);
    return RATCHET_ERR;
}

ratchet_status rt_json_check(const char *text, size_t len, ratchet_buf *why)
{
    if (!text && len)
        return json_fail(why, "no text", 0);
    if (!text)
        text = "";
    if (len > (size_t)INT_MAX - 1)
        return json_fail(why, "text larger than 2 GiB", 0);
    const char *nul = len ? memchr(text, '\0', len) : NULL;
    if (nul)
        return json_fail(why, "NUL byte", (size_t)(nul - text));
    struct json_tokener *tok = json_tokener_new();
    if (!tok)
        return RATCHET_NOMEM;
    /* Trailing text is ours to report, with a clearer message than json-c's. */
    json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_ALLOW_TRAILING_CHARS |
                                    JSON_TOKENER_VALIDATE_UTF8);
    struct json_object *obj = json_tokener_parse_ex(tok, text, (int)len);
    enum json_tokener_error jerr = json_tokener_get_error(tok);
    size_t end = json_tokener_get_parse_end(tok);
    if (!obj && jerr == json_tokener_continue) {
        /* A top-level number or literal is only complete once the tokener sees its end. */
        obj = json_tokener_parse_ex(tok, "", 1);
        jerr = json_tokener_get_error(tok);
        end = len;
    }
    json_tokener_free(tok);
    /* The literal null parses to a NULL object with success. */
    if (!obj && jerr != json_tokener_success)
        return json_fail(why, json_tokener_error_desc(jerr), end);
    json_object_put(obj);
    const char *what = NULL;
    size_t bad = json_lexical_check(text, end, &what);
    if (bad < end)
        return json_fail(why, what, bad);
    while (end < len && json_space(text[end]))
        end++;
    if (end < len)
        return json_fail(why, "unexpected text after the JSON value", end);
    return RATCHET_OK;
}
