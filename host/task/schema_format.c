/*
 * host/task/schema_format.c - the "format" values draft-07 defines, checked by their RFCs
 * (date-time/date/time: RFC 3339; email: RFC 5322 addr-spec without comments or folding;
 * hostname: RFC 1123; idn-*: RFC 5890 lengths through punycode, no IDNA2008 tables; ipv4
 * dotted-quad without leading zeros; ipv6: inet_pton; uri/iri(-reference): RFC 3986/3987
 * syntax; uri-template: RFC 6570 level 4 syntax; json-pointer: RFC 6901; relative-json-pointer;
 * regex: the ECMA-262 subset of schema_regex.c, where a valid but unsupported pattern passes),
 * plus contentEncoding "base64" and contentMediaType "application/json". Unknown formats are
 * annotations only.
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "schema_internal.h"

enum {
    F_DATE_TIME,
    F_DATE,
    F_TIME,
    F_EMAIL,
    F_IDN_EMAIL,
    F_HOSTNAME,
    F_IDN_HOSTNAME,
    F_IPV4,
    F_IPV6,
    F_URI,
    F_URI_REFERENCE,
    F_IRI,
    F_IRI_REFERENCE,
    F_URI_TEMPLATE,
    F_JSON_POINTER,
    F_RELATIVE_JSON_POINTER,
    F_REGEX,
};

static const char *const format_names[] = {
    "date-time",     "date",         "time",          "email",
    "idn-email",     "hostname",     "idn-hostname",  "ipv4",
    "ipv6",          "uri",          "uri-reference", "iri",
    "iri-reference", "uri-template", "json-pointer",  "relative-json-pointer",
    "regex",
};

int rt_schema_format_lookup(const char *name)
{
    for (size_t i = 0; i < sizeof format_names / sizeof format_names[0]; i++)
        if (strcmp(name, format_names[i]) == 0)
            return (int)i;
    return -1;
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* c is one of set (never the terminating NUL, which strchr would find). */
static int in_set(const char *set, int c)
{
    return c != '\0' && strchr(set, c) != NULL;
}

static int is_hex(char c)
{
    return is_digit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

/* n digits at s as a number, -1 when they are not all digits. */
static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!is_digit(s[i]))
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

/* --- RFC 3339 ------------------------------------------------------------------------------- */

static int check_date(const char *s, size_t len)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (len != 10 || s[4] != '-' || s[7] != '-')
        return 0;
    int y = digits(s, 4), m = digits(s + 5, 2), d = digits(s + 8, 2);
    if (y < 0 || m < 1 || m > 12 || d < 1)
        return 0;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= mdays[m - 1] + (m == 2 && leap);
}

/* full-time: hh:mm:ss[.frac](Z|+hh:mm|-hh:mm). A leap second must fall at 23:59:60 UTC. */
static int check_time(const char *s, size_t len)
{
    if (len < 9 || s[2] != ':' || s[5] != ':')
        return 0;
    int h = digits(s, 2), m = digits(s + 3, 2), sec = digits(s + 6, 2);
    if (h < 0 || h > 23 || m < 0 || m > 59 || sec < 0 || sec > 60)
        return 0;
    size_t i = 8; /* len >= 9 */
    if (s[i] == '.') {
        size_t start = ++i;
        while (i < len && is_digit(s[i]))
            i++;
        if (i == start)
            return 0;
    }
    int off = 0; /* minutes east of UTC */
    if (i + 1 == len && (s[i] == 'Z' || s[i] == 'z')) {
        off = 0;
    } else if (i + 6 == len && (s[i] == '+' || s[i] == '-') && s[i + 3] == ':') {
        int oh = digits(s + i + 1, 2), om = digits(s + i + 4, 2);
        if (oh < 0 || oh > 23 || om < 0 || om > 59)
            return 0;
        off = (s[i] == '+' ? 1 : -1) * (oh * 60 + om);
    } else {
        return 0;
    }
    if (sec == 60) {
        int utc = ((h * 60 + m - off) % 1440 + 1440) % 1440;
        return utc == 23 * 60 + 59;
    }
    return 1;
}

static int check_date_time(const char *s, size_t len)
{
    return len > 11 && (s[10] == 'T' || s[10] == 't') && check_date(s, 10) &&
           check_time(s + 11, len - 11);
}

/* --- host names ---------------------------------------------------------------------------- */

static int check_hostname(const char *s, size_t len)
{
    if (len == 0 || len > 253)
        return 0;
    size_t label = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i == len || s[i] == '.') {
            if (label == 0 || label > 63 || s[i - 1] == '-')
                return 0;
            label = 0;
            continue;
        }
        if (!(is_alpha(s[i]) || is_digit(s[i]) || (s[i] == '-' && label > 0)))
            return 0;
        label++;
    }
    return 1;
}

/* RFC 3492 punycode: the length of the encoding of cps (n code points), as in an A-label
 * "xn--<this>". */
static size_t punycode_length(const uint32_t *cps, size_t n)
{
    enum { BASE = 36, TMIN = 1, TMAX = 26, SKEW = 38, DAMP = 700 };
    size_t out = 0, basic = 0;
    for (size_t i = 0; i < n; i++)
        basic += cps[i] < 0x80;
    out = basic + (basic > 0);
    uint64_t cur = 0x80, delta = 0, bias = 72;
    size_t handled = basic;
    while (handled < n) {
        uint64_t m = UINT32_MAX;
        for (size_t i = 0; i < n; i++)
            if (cps[i] >= cur && cps[i] < m)
                m = cps[i];
        delta += (m - cur) * (handled + 1);
        cur = m;
        for (size_t i = 0; i < n; i++) {
            if (cps[i] < cur) {
                delta++;
            } else if (cps[i] == cur) {
                uint64_t q = delta;
                for (uint64_t k = BASE;; k += BASE) {
                    uint64_t t = k <= bias ? TMIN : k >= bias + TMAX ? TMAX : k - bias;
                    if (q < t)
                        break;
                    out++;
                    q = (q - t) / (BASE - t);
                }
                out++;
                /* adapt the bias (RFC 3492 section 6.1) */
                uint64_t d = handled == basic ? delta / DAMP : delta / 2;
                d += d / (handled + 1);
                uint64_t k = 0;
                while (d > ((BASE - TMIN) * TMAX) / 2) {
                    d /= BASE - TMIN;
                    k += BASE;
                }
                bias = k + (BASE - TMIN + 1) * d / (d + SKEW);
                delta = 0;
                handled++;
            }
        }
        delta++;
        cur++;
    }
    return out;
}

/* A host name with Unicode labels: each label, as an A-label, within 63 bytes; ASCII
 * characters limited to letters, digits and inner hyphens; the Hangul tone marks IDNA2008
 * disallows are refused. Label separators include the ideographic full stops (RFC 3490). */
static int check_idn_hostname(const char *s, size_t len)
{
    if (len == 0 || len > 1024)
        return 0;
    uint32_t label[256];
    size_t n = 0, i = 0, total = 0;
    int ascii_only = 1;
    while (1) {
        uint32_t cp = 0;
        size_t used = 1;
        int end = i >= len;
        if (!end && !rt_utf8_next(s + i, len - i, &used, &cp))
            return 0;
        if (end || cp == '.' || cp == 0x3002 || cp == 0xFF0E || cp == 0xFF61) {
            if (n == 0 || label[n - 1] == '-')
                return 0;
            size_t alen = ascii_only ? n : 4 + punycode_length(label, n);
            if (alen > 63)
                return 0;
            total += alen + 1;
            if (end)
                break;
            n = 0;
            ascii_only = 1;
            i += used;
            continue;
        }
        if (n == 256)
            return 0;
        if (cp < 0x80) {
            if (!(is_alpha((char)cp) || is_digit((char)cp) || (cp == '-' && n > 0)))
                return 0;
        } else {
            if (cp == 0x302E || cp == 0x302F || (cp >= 0x0300 && cp <= 0x036F && n == 0))
                return 0;
            ascii_only = 0;
        }
        label[n++] = cp;
        i += used;
    }
    return total <= 254;
}

/* --- e-mail ------------------------------------------------------------------------------ */

static int is_atext(unsigned char c, int idn)
{
    return is_alpha((char)c) || is_digit((char)c) || in_set("!#$%&'*+-/=?^_`{|}~", c) ||
           (idn && c >= 0x80);
}

static int check_email(const char *s, size_t len, int idn)
{
    const char *at = NULL;
    if (len > 0 && s[0] == '"') { /* quoted local part */
        size_t i = 1;
        while (i < len && s[i] != '"') {
            if (s[i] == '\\')
                i++;
            else if ((unsigned char)s[i] < 0x20)
                return 0;
            i++;
        }
        if (i + 1 >= len || s[i + 1] != '@')
            return 0;
        at = s + i + 1;
    } else {
        at = memchr(s, '@', len);
        if (!at || at == s)
            return 0;
        for (const char *p = s; p < at; p++) {
            if (*p == '.') {
                if (p == s || p + 1 == at || p[1] == '.')
                    return 0;
            } else if (!is_atext((unsigned char)*p, idn)) {
                return 0;
            }
        }
    }
    const char *dom = at + 1;
    size_t dlen = len - (size_t)(dom - s);
    if (dlen > 2 && dom[0] == '[' && dom[dlen - 1] == ']') {
        char ip[64];
        size_t ilen = dlen - 2;
        const char *ips = dom + 1;
        int family = AF_INET;
        if (ilen > 5 && strncmp(ips, "IPv6:", 5) == 0) {
            family = AF_INET6;
            ips += 5;
            ilen -= 5;
        }
        if (ilen >= sizeof ip)
            return 0;
        memcpy(ip, ips, ilen);
        ip[ilen] = '\0';
        unsigned char addr[16];
        return inet_pton(family, ip, addr) == 1;
    }
    return idn ? check_idn_hostname(dom, dlen) : check_hostname(dom, dlen);
}

/* --- IP addresses -------------------------------------------------------------------------- */

static int check_ipv4(const char *s, size_t len)
{
    size_t i = 0;
    for (int part = 0; part < 4; part++) {
        if (part > 0) {
            if (i >= len || s[i] != '.')
                return 0;
            i++;
        }
        size_t start = i;
        int v = 0;
        while (i < len && is_digit(s[i]) && i - start < 3)
            v = v * 10 + (s[i++] - '0');
        if (i == start || v > 255 || (s[start] == '0' && i - start > 1))
            return 0;
    }
    return i == len;
}

static int check_ip(int family, const char *s, size_t len)
{
    char buf[64];
    unsigned char addr[16];
    if (len >= sizeof buf)
        return 0;
    memcpy(buf, s, len);
    buf[len] = '\0';
    return inet_pton(family, buf, addr) == 1;
}

/* --- URIs and IRIs (RFC 3986, RFC 3987) --------------------------------------------------- */

/* unreserved / sub-delims / extra, or a %XX escape (advances *i past it), or with iri any
 * non-ASCII byte (UTF-8 was checked by json-c or is checked below). */
static int uri_char(const char *s, size_t len, size_t *i, const char *extra, int iri)
{
    unsigned char c = (unsigned char)s[*i];
    if (c == '%') {
        if (*i + 2 >= len || !is_hex(s[*i + 1]) || !is_hex(s[*i + 2]))
            return 0;
        *i += 2;
        return 1;
    }
    if (c >= 0x80)
        return iri;
    return is_alpha((char)c) || is_digit((char)c) || in_set("-._~!$&'()*+,;=", c) ||
           in_set(extra, c);
}

static int check_authority(const char *s, size_t len, int iri)
{
    const char *at = NULL;
    for (size_t i = 0; i < len; i++)
        if (s[i] == '@')
            at = s + i;
    size_t i = 0;
    if (at) {
        for (; s + i < at; i++)
            if (!uri_char(s, len, &i, ":", iri))
                return 0;
        i++;
    }
    if (i < len && s[i] == '[') {
        const char *close = memchr(s + i, ']', len - i);
        if (!close)
            return 0;
        size_t hl = (size_t)(close - (s + i + 1));
        const char *h = s + i + 1;
        if (hl > 0 && (h[0] == 'v' || h[0] == 'V')) { /* IPvFuture */
            size_t j = 1;
            while (j < hl && is_hex(h[j]))
                j++;
            if (j == 1 || j >= hl || h[j] != '.' || j + 1 >= hl)
                return 0;
            for (j++; j < hl; j++)
                if (!uri_char(h, hl, &j, ":", 0))
                    return 0;
        } else if (!check_ip(AF_INET6, h, hl)) {
            return 0;
        }
        i = (size_t)(close - s) + 1;
    } else {
        for (; i < len && s[i] != ':'; i++)
            if (!uri_char(s, len, &i, "", iri))
                return 0;
    }
    if (i < len) {
        if (s[i] != ':')
            return 0;
        for (i++; i < len; i++)
            if (!is_digit(s[i]))
                return 0;
    }
    return 1;
}

static int check_uri(const char *s, size_t len, int need_scheme, int iri)
{
    size_t i = 0;
    if (iri) {
        for (size_t j = 0; j < len;) {
            size_t used = 1;
            uint32_t cp;
            if (!rt_utf8_next(s + j, len - j, &used, &cp))
                return 0;
            j += used;
        }
    }
    size_t scheme = 0;
    if (len > 0 && is_alpha(s[0])) {
        scheme = 1;
        while (scheme < len &&
               (is_alpha(s[scheme]) || is_digit(s[scheme]) || in_set("+-.", s[scheme])))
            scheme++;
        if (scheme < len && s[scheme] == ':')
            i = scheme + 1;
        else
            scheme = 0;
    }
    if (need_scheme && !scheme)
        return 0;
    if (len - i >= 2 && s[i] == '/' && s[i + 1] == '/') {
        size_t start = i + 2, end = start;
        while (end < len && !in_set("/?#", s[end]))
            end++;
        if (!check_authority(s + start, end - start, iri))
            return 0;
        i = end;
    }
    /* path: without a scheme, a ':' in the first segment would read as one */
    int first_segment = !scheme;
    for (; i < len && s[i] != '?' && s[i] != '#'; i++) {
        if (s[i] == '/')
            first_segment = 0;
        else if (s[i] == ':' && first_segment)
            return 0;
        else if (!uri_char(s, len, &i, ":@", iri))
            return 0;
    }
    if (i < len && s[i] == '?')
        for (i++; i < len && s[i] != '#'; i++)
            if (!uri_char(s, len, &i, ":@/?", iri))
                return 0;
    if (i < len && s[i] == '#')
        for (i++; i < len; i++)
            if (!uri_char(s, len, &i, ":@/?", iri))
                return 0;
    return 1;
}

/* Length of an RFC 6570 varname at s: varchars (ALPHA, DIGIT, '_', %XX) with inner dots. */
static size_t varname_len(const char *s, size_t len)
{
    size_t j = 0;
    while (j < len) {
        if (is_alpha(s[j]) || is_digit(s[j]) || s[j] == '_' || (s[j] == '.' && j > 0))
            j++;
        else if (s[j] == '%' && j + 2 < len && is_hex(s[j + 1]) && is_hex(s[j + 2]))
            j += 3;
        else
            break;
    }
    return j;
}

/* RFC 6570: literals and {operator? varspec,...} expressions. */
static int check_uri_template(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '{') {
            size_t j = i + 1;
            if (j < len && in_set("+#./;?&=,!@|", s[j]))
                j++;
            while (1) {
                size_t name = j;
                j += varname_len(s + j, len - j);
                if (j == name || s[j - 1] == '.')
                    return 0;
                if (j < len && s[j] == ':') {
                    size_t d = ++j;
                    while (j < len && is_digit(s[j]) && j - d < 4)
                        j++;
                    if (j == d || s[d] == '0')
                        return 0;
                } else if (j < len && s[j] == '*') {
                    j++;
                }
                if (j < len && s[j] == ',') {
                    j++;
                    continue;
                }
                break;
            }
            if (j >= len || s[j] != '}')
                return 0;
            i = j;
        } else if (c == '%') {
            if (!(i + 2 < len && is_hex(s[i + 1]) && is_hex(s[i + 2])))
                return 0;
            i += 2;
        } else if (c <= 0x20 || in_set("\"'<>\\^`|}", c) || c == 0x7F) {
            return 0;
        }
    }
    return 1;
}

/* --- JSON pointers ------------------------------------------------------------------------- */

static int check_json_pointer(const char *s, size_t len)
{
    if (len > 0 && s[0] != '/')
        return 0;
    for (size_t i = 0; i < len; i++)
        if (s[i] == '~' && (i + 1 >= len || (s[i + 1] != '0' && s[i + 1] != '1')))
            return 0;
    return 1;
}

static int check_relative_json_pointer(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len && is_digit(s[i]))
        i++;
    if (i == 0 || (s[0] == '0' && i > 1))
        return 0;
    if (i + 1 == len && s[i] == '#')
        return 1;
    return check_json_pointer(s + i, len - i);
}

static int check_regex(const char *s, size_t len)
{
    rt_schema_regex *re = NULL;
    int rc = rt_schema_regex_compile(s, len, &re, NULL);
    rt_schema_regex_free(re);
    return rc != RT_SCHEMA_RE_SYNTAX;
}

int rt_schema_format_check(int id, const char *s, size_t len)
{
    switch (id) {
    case F_DATE_TIME:
        return check_date_time(s, len);
    case F_DATE:
        return check_date(s, len);
    case F_TIME:
        return check_time(s, len);
    case F_EMAIL:
        return check_email(s, len, 0);
    case F_IDN_EMAIL:
        return check_email(s, len, 1);
    case F_HOSTNAME:
        return check_hostname(s, len);
    case F_IDN_HOSTNAME:
        return check_idn_hostname(s, len);
    case F_IPV4:
        return check_ipv4(s, len);
    case F_IPV6:
        return memchr(s, '%', len) == NULL && check_ip(AF_INET6, s, len);
    case F_URI:
        return check_uri(s, len, 1, 0);
    case F_URI_REFERENCE:
        return check_uri(s, len, 0, 0);
    case F_IRI:
        return check_uri(s, len, 1, 1);
    case F_IRI_REFERENCE:
        return check_uri(s, len, 0, 1);
    case F_URI_TEMPLATE:
        return check_uri_template(s, len);
    case F_JSON_POINTER:
        return check_json_pointer(s, len);
    case F_RELATIVE_JSON_POINTER:
        return check_relative_json_pointer(s, len);
    case F_REGEX:
        return check_regex(s, len);
    default:
        return 1;
    }
}

/* --- content ------------------------------------------------------------------------------- */

static int b64_value(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    return c == '+' ? 62 : c == '/' ? 63 : -1;
}

/* RFC 4648 base64 with padding; decoded bytes go to out (len * 3 / 4 + 1 bytes). */
static int b64_decode(const char *s, size_t len, char *out, size_t *outlen)
{
    size_t n = 0;
    if (len % 4 != 0)
        return 0;
    for (size_t i = 0; i < len; i += 4) {
        int v[4];
        for (int j = 0; j < 4; j++) {
            v[j] = b64_value(s[i + (size_t)j]);
            int pad_ok =
                i + 4 == len && j >= 2 && s[i + (size_t)j] == '=' && (j == 3 || s[i + 3] == '=');
            if (v[j] < 0 && !pad_ok)
                return 0;
        }
        out[n++] = (char)((v[0] << 2) | (v[1] >> 4));
        if (v[2] >= 0)
            out[n++] = (char)(((v[1] & 15) << 4) | (v[2] >> 2));
        if (v[3] >= 0)
            out[n++] = (char)(((v[2] & 3) << 6) | v[3]);
    }
    *outlen = n;
    return 1;
}

int rt_schema_content_check(const char *encoding, const char *media, const char *s, size_t len)
{
    char *decoded = NULL;
    int base64 = encoding && strcmp(encoding, "base64") == 0;
    if (base64) {
        decoded = malloc(len / 4 * 3 + 1);
        size_t dlen = 0;
        if (!decoded)
            return 0; /* cannot check: no verdict */
        if (!b64_decode(s, len, decoded, &dlen)) {
            free(decoded);
            return 1;
        }
        s = decoded;
        len = dlen;
    }
    int bad = 0;
    if (media && strcmp(media, "application/json") == 0)
        bad = rt_json_check(s, len, NULL) == RATCHET_OK ? 0 : 2;
    free(decoded);
    return bad;
}
