/*
 * host/task/compiler/lex_lit.c - literals: numbers, strings, templates, regular expressions.
 * Cooked strings are UTF-8 (lone surrogates as WTF-8) in the arena; a cooked value is never
 * longer than its source text, so each literal needs one allocation.
 */
#include "lex.h"
#include "lex_int.h"

#include <stdlib.h>
#include <string.h>

/* ---- numbers ---------------------------------------------------------------------------- */

static int digit_in(int c, int base)
{
    int v = jsc_hexval(c);
    return v >= 0 && v < base;
}

/* Digits of `base` with numeric separators; returns the number of digits. */
static size_t scan_digits(jsc_lexer *lx, int base, int *had_sep)
{
    const char *s = lx->s;
    size_t nd = 0;
    while (lx->pos < lx->n) {
        char c = s[lx->pos];
        if (c == '_') {
            if (nd == 0 || lx->pos + 1 >= lx->n || !digit_in(s[lx->pos + 1], base))
                jsc_lex_fail(lx, lx->line, jsc_lex_col(lx, lx->pos),
                             "Numeric separators are allowed only between digits");
            *had_sep = 1;
            lx->pos++;
            continue;
        }
        if (!digit_in(c, base))
            break;
        nd++;
        lx->pos++;
    }
    return nd;
}

/* Value of the decimal literal s[start..end): digits are collected without separators or
 * the point into "DIGITSe<exp>" so that strtod never depends on the locale. */
static double decimal_value(jsc_lexer *lx, size_t start, size_t end)
{
    const char *s = lx->s;
    char small[64];
    size_t cap = end - start + 32;
    char *buf = cap <= sizeof small ? small : jsc_alloc(lx->cx, cap);
    size_t n = 0;
    long exp = 0;
    int frac = 0;
    size_t p = start;
    for (; p < end && s[p] != 'e' && s[p] != 'E'; p++) {
        if (s[p] == '.')
            frac = 1;
        else if (s[p] != '_') {
            buf[n++] = s[p];
            if (frac)
                exp--;
        }
    }
    if (p < end) {
        p++;
        int neg = s[p] == '-';
        if (s[p] == '-' || s[p] == '+')
            p++;
        long e = 0;
        for (; p < end; p++)
            if (s[p] != '_' && e < 100000)
                e = e * 10 + (s[p] - '0');
        exp += neg ? -e : e;
    }
    if (n == 0)
        buf[n++] = '0';
    buf[n++] = 'e';
    if (exp < 0) {
        buf[n++] = '-';
        exp = -exp;
    }
    char tmp[24];
    size_t t = 0;
    do {
        tmp[t++] = (char)('0' + exp % 10);
        exp /= 10;
    } while (exp);
    while (t)
        buf[n++] = tmp[--t];
    buf[n] = '\0';
    return strtod(buf, NULL);
}

static void number_tail(jsc_lexer *lx, jsc_token *tok)
{
    if (lx->pos < lx->n && lx->s[lx->pos] == 'n')
        jsc_lex_fail(lx, tok->line, tok->col, "BigInt literals (10n) are not supported");
    if (jsc_lex_id_start_at(lx, lx->pos) ||
        (lx->pos < lx->n && lx->s[lx->pos] >= '0' && lx->s[lx->pos] <= '9'))
        jsc_lex_fail(lx, lx->line, jsc_lex_col(lx, lx->pos),
                     "Invalid or unexpected token (identifier directly after number)");
}

static int radix_of(char c)
{
    switch (c) {
    case 'x': case 'X': return 16;
    case 'o': case 'O': return 8;
    case 'b': case 'B': return 2;
    default: return 0;
    }
}

void jsc_lex_number(jsc_lexer *lx, jsc_token *tok)
{
    const char *s = lx->s;
    size_t start = lx->pos;
    int sep = 0, es5 = 1;
    tok->t = JT_NUMBER;
    int radix = s[start] == '0' && start + 1 < lx->n ? radix_of(s[start + 1]) : 0;
    if (radix) {
        lx->pos += 2;
        size_t d0 = lx->pos;
        if (scan_digits(lx, radix, &sep) == 0)
            jsc_lex_fail(lx, tok->line, tok->col, "Invalid or unexpected token (no digits)");
        double v = 0;
        for (size_t p = d0; p < lx->pos; p++)
            if (s[p] != '_')
                v = v * radix + jsc_hexval(s[p]);
        tok->num = v;
        es5 = radix == 16 && !sep;
    } else if (s[start] == '0' && start + 1 < lx->n && s[start + 1] >= '0' &&
               s[start + 1] <= '9') {
        /* legacy octal (017) or a decimal with a leading zero (089): not in strict code */
        size_t p = start;
        int octal = 1;
        while (p < lx->n && s[p] >= '0' && s[p] <= '9')
            octal &= s[p++] < '8';
        if (p < lx->n && s[p] == '_')
            jsc_lex_fail(lx, lx->line, jsc_lex_col(lx, p),
                         "Numeric separators are not allowed after a leading 0");
        lx->pos = p;
        es5 = 0;
        tok->octal = 1;
        if (octal) {
            double v = 0;
            for (size_t q = start; q < p; q++)
                v = v * 8 + (s[q] - '0');
            tok->num = v;
        } else {
            if (lx->pos < lx->n && s[lx->pos] == '.') {
                lx->pos++;
                scan_digits(lx, 10, &sep);
            }
            tok->num = decimal_value(lx, start, lx->pos);
        }
    } else {
        if (s[start] == '0' && start + 1 < lx->n && s[start + 1] == '_')
            jsc_lex_fail(lx, lx->line, jsc_lex_col(lx, start + 1),
                         "Numeric separators are not allowed after a leading 0");
        scan_digits(lx, 10, &sep);
        if (lx->pos < lx->n && s[lx->pos] == '.') {
            lx->pos++;
            if (lx->pos < lx->n && s[lx->pos] == '_')
                jsc_lex_fail(lx, lx->line, jsc_lex_col(lx, lx->pos),
                             "Numeric separators are allowed only between digits");
            scan_digits(lx, 10, &sep);
        }
        if (lx->pos < lx->n && (s[lx->pos] == 'e' || s[lx->pos] == 'E')) {
            size_t p = lx->pos + 1;
            if (p < lx->n && (s[p] == '+' || s[p] == '-'))
                p++;
            if (p >= lx->n || s[p] < '0' || s[p] > '9')
                jsc_lex_fail(lx, tok->line, tok->col,
                             "Invalid or unexpected token (missing exponent digits)");
            lx->pos = p;
            scan_digits(lx, 10, &sep);
        } else if (lx->pos < lx->n && s[lx->pos] == 'n') {
            jsc_lex_fail(lx, tok->line, tok->col, "BigInt literals (10n) are not supported");
        }
        tok->num = decimal_value(lx, start, lx->pos);
        es5 = !sep;
    }
    number_tail(lx, tok);
    if (es5) {
        tok->raw = jsc_strndup(lx->cx, s + start, lx->pos - start);
        tok->raw_len = lx->pos - start;
    }
}

/* ---- escapes ---------------------------------------------------------------------------- */

/* Decode the escape after a backslash at lx->pos into out (never more bytes than it spans in
 * the source); returns the bytes written, or (size_t)-1 for an escape a template may hold
 * only when tagged. Strings fail on bad escapes; templates report them. */
static size_t decode_escape(jsc_lexer *lx, char *out, int tmpl, int *octal)
{
    const char *s = lx->s;
    uint32_t line = lx->line, col = jsc_lex_col(lx, lx->pos - 1);
    size_t nl = jsc_lex_newline_len(lx, lx->pos);
    if (nl) {
        jsc_lex_newline(lx, nl);
        return 0;
    }
    char c = s[lx->pos++];
    switch (c) {
    case 'n': out[0] = '\n'; return 1;
    case 't': out[0] = '\t'; return 1;
    case 'r': out[0] = '\r'; return 1;
    case 'b': out[0] = '\b'; return 1;
    case 'f': out[0] = '\f'; return 1;
    case 'v': out[0] = '\v'; return 1;
    case 'x': {
        if (lx->pos + 1 < lx->n && jsc_hexval(s[lx->pos]) >= 0 &&
            jsc_hexval(s[lx->pos + 1]) >= 0) {
            uint32_t v = (uint32_t)(jsc_hexval(s[lx->pos]) * 16 + jsc_hexval(s[lx->pos + 1]));
            lx->pos += 2;
            return jsc_utf8_put(out, v);
        }
        if (tmpl)
            return (size_t)-1;
        jsc_lex_fail(lx, line, col, "Invalid hexadecimal escape sequence");
    }
    case 'u': {
        int ok = 1;
        uint32_t v = jsc_lex_unicode_escape(lx, line, col, tmpl ? &ok : NULL);
        if (!ok)
            return (size_t)-1;
        /* \uD83D\uDE00: a surrogate pair is one code point */
        if (v >= 0xD800 && v <= 0xDBFF && lx->pos + 5 < lx->n && s[lx->pos] == '\\' &&
            s[lx->pos + 1] == 'u' && s[lx->pos + 2] != '{') {
            size_t save = lx->pos;
            lx->pos += 2;
            int ok2 = 1;
            uint32_t lo = jsc_lex_unicode_escape(lx, line, col, &ok2);
            if (ok2 && lo >= 0xDC00 && lo <= 0xDFFF)
                v = 0x10000 + ((v - 0xD800) << 10) + (lo - 0xDC00);
            else
                lx->pos = save;
        }
        return jsc_utf8_put(out, v);
    }
    default:
        break;
    }
    if (c >= '0' && c <= '9') {
        int next_digit = lx->pos < lx->n && s[lx->pos] >= '0' && s[lx->pos] <= '9';
        if (c == '0' && !next_digit) {
            out[0] = '\0';
            return 1;
        }
        if (tmpl)
            return (size_t)-1;
        *octal = 1;
        if (c >= '8') {
            out[0] = c;
            return 1;
        }
        uint32_t v = (uint32_t)(c - '0');
        int max = c <= '3' ? 2 : 1;
        for (int i = 0; i < max && lx->pos < lx->n && s[lx->pos] >= '0' && s[lx->pos] <= '7';
             i++)
            v = v * 8 + (uint32_t)(s[lx->pos++] - '0');
        return jsc_utf8_put(out, v);
    }
    /* any other character stands for itself (copy a whole UTF-8 sequence) */
    uint32_t cp;
    size_t l = jsc_utf8_get(s + lx->pos - 1, lx->n - lx->pos + 1, &cp);
    memcpy(out, s + lx->pos - 1, l);
    lx->pos += l - 1;
    return l;
}

/* ---- strings ---------------------------------------------------------------------------- */

void jsc_lex_string(jsc_lexer *lx, jsc_token *tok)
{
    const char *s = lx->s;
    char q = s[lx->pos];
    size_t start = ++lx->pos, p = start;
    /* find the end first, to allocate once */
    while (p < lx->n && s[p] != q) {
        if (s[p] == '\\')
            p += p + 2 < lx->n && s[p + 1] == '\r' && s[p + 2] == '\n' ? 2 : 1;
        else if (s[p] == '\n' || s[p] == '\r')
            break;
        p++;
    }
    if (p >= lx->n || s[p] != q)
        jsc_lex_fail(lx, tok->line, tok->col, "Invalid or unexpected token (unterminated "
                                              "string literal)");
    char *buf = jsc_alloc(lx->cx, p - start + 1);
    size_t len = 0;
    while (s[lx->pos] != q) {
        if (s[lx->pos] == '\\') {
            lx->pos++;
            len += decode_escape(lx, buf + len, 0, &tok->octal);
        } else {
            buf[len++] = s[lx->pos++];
        }
    }
    lx->pos++;
    buf[len] = '\0';
    tok->t = JT_STRING;
    tok->str = buf;
    tok->len = len;
}

/* ---- templates -------------------------------------------------------------------------- */

void jsc_lex_template_chunk(jsc_lexer *lx, jsc_token *tok)
{
    const char *s = lx->s;
    size_t start = lx->pos, p = start;
    while (p < lx->n && s[p] != '`' && !(s[p] == '$' && p + 1 < lx->n && s[p + 1] == '{'))
        p += s[p] == '\\' ? 2 : 1;
    if (p >= lx->n)
        jsc_lex_fail(lx, tok->line, tok->col, "Unterminated template literal");
    size_t end = p;
    char *cooked = jsc_alloc(lx->cx, end - start + 1);
    char *raw = jsc_alloc(lx->cx, end - start + 1);
    size_t clen = 0, rlen = 0;
    int bad = 0, octal = 0;
    /* raw: the source text with CR and CRLF read as LF */
    for (size_t i = start; i < end; i++) {
        if (s[i] == '\r') {
            raw[rlen++] = '\n';
            if (i + 1 < end && s[i + 1] == '\n')
                i++;
        } else {
            raw[rlen++] = s[i];
        }
    }
    while (lx->pos < end) {
        size_t nl = jsc_lex_newline_len(lx, lx->pos);
        if (nl) {
            if (s[lx->pos] == '\r')
                cooked[clen++] = '\n';
            else
                for (size_t i = 0; i < nl; i++)
                    cooked[clen++] = s[lx->pos + i];
            jsc_lex_newline(lx, nl);
        } else if (s[lx->pos] == '\\') {
            lx->pos++;
            size_t w = decode_escape(lx, cooked + clen, 1, &octal);
            if (w == (size_t)-1) {
                bad = 1;
                /* skip the rest of the bad escape: the scan stops at ` or ${ anyway */
            } else {
                clen += w;
            }
        } else {
            cooked[clen++] = s[lx->pos++];
        }
    }
    cooked[clen] = '\0';
    raw[rlen] = '\0';
    tok->t = JT_TEMPLATE;
    tok->tail = s[end] == '`';
    lx->pos = end + (tok->tail ? 1 : 2);
    tok->str = bad ? NULL : cooked;
    tok->len = bad ? 0 : clen;
    tok->raw = raw;
    tok->raw_len = rlen;
}

void jsc_lex_template_cont(jsc_lexer *lx, jsc_token *tok)
{
    /* tok is the `}` just read: continue right after it */
    jsc_lex_reset(lx, tok->pos + 1, tok->line, tok->line_pos);
    int nl = tok->nl_before;
    uint32_t line = tok->line, col = tok->col;
    size_t pos = tok->pos, line_pos = tok->line_pos;
    memset(tok, 0, sizeof *tok);
    tok->nl_before = nl;
    tok->line = line;
    tok->col = col;
    tok->pos = pos;
    tok->line_pos = line_pos;
    jsc_lex_template_chunk(lx, tok);
    tok->end = lx->pos;
}

/* ---- regular expressions ---------------------------------------------------------------- */

static void regexp_refuse(jsc_lexer *lx, size_t at, const char *what)
{
    jsc_lex_fail(lx, lx->line, jsc_lex_col(lx, at), "%s in regular expressions %s", what,
                 "are not supported");
}

/* Refuse the syntax MuJS's regular expressions lack; `p` is at an unescaped '(' or a '\'. */
static void regexp_check(jsc_lexer *lx, size_t p, int in_class)
{
    const char *s = lx->s;
    size_t left = lx->n - p;
    if (s[p] == '(' && !in_class && left > 3 && s[p + 1] == '?' && s[p + 2] == '<') {
        if (s[p + 3] == '=' || s[p + 3] == '!')
            regexp_refuse(lx, p, "lookbehind assertions (?<= and (?<!");
        regexp_refuse(lx, p, "named capture groups (?<name>...)");
    }
    if (s[p] == '\\' && left > 2 && s[p + 1] == 'k' && s[p + 2] == '<')
        regexp_refuse(lx, p, "named backreferences \\k<name>");
    if (s[p] == '\\' && left > 2 && (s[p + 1] == 'p' || s[p + 1] == 'P') && s[p + 2] == '{')
        regexp_refuse(lx, p, "Unicode property escapes \\p{...}");
}

static void regexp_flags(jsc_lexer *lx, jsc_token *tok, size_t start)
{
    const char *s = lx->s;
    int seen[128] = {0};
    for (size_t p = start; p < lx->pos; p++) {
        unsigned char c = (unsigned char)s[p];
        uint32_t col = jsc_lex_col(lx, p);
        const char *name = NULL;
        switch (c) {
        case 'g': case 'i': case 'm': break;
        case 's': name = "dotAll"; break;
        case 'u': name = "unicode"; break;
        case 'y': name = "sticky"; break;
        case 'd': name = "hasIndices"; break;
        default:
            jsc_lex_fail(lx, tok->line, col, "Invalid regular expression flags '%.*s'",
                         (int)(lx->pos - start), s + start);
        }
        if (name)
            jsc_lex_fail(lx, tok->line, col,
                         "the regular expression flag '%c' (%s) is not supported", c, name);
        if (seen[c]++)
            jsc_lex_fail(lx, tok->line, col, "duplicate regular expression flag '%c'", c);
    }
}

void jsc_lex_regexp(jsc_lexer *lx, jsc_token *tok)
{
    const char *s = lx->s;
    jsc_lex_reset(lx, tok->pos + 1, tok->line, tok->line_pos);
    size_t start = lx->pos;
    int in_class = 0;
    for (;;) {
        if (lx->pos >= lx->n || jsc_lex_newline_len(lx, lx->pos))
            jsc_lex_fail(lx, tok->line, tok->col, "Invalid regular expression: missing /");
        char c = s[lx->pos];
        if (c == '\\') {
            regexp_check(lx, lx->pos, in_class);
            lx->pos++;
            if (lx->pos >= lx->n || jsc_lex_newline_len(lx, lx->pos))
                jsc_lex_fail(lx, tok->line, tok->col,
                             "Invalid regular expression: missing /");
            lx->pos++;
            continue;
        }
        if (c == '/' && !in_class)
            break;
        if (c == '[')
            in_class = 1;
        else if (c == ']')
            in_class = 0;
        else if (c == '(')
            regexp_check(lx, lx->pos, in_class);
        lx->pos++;
    }
    size_t body_end = lx->pos++;
    size_t fstart = lx->pos;
    while (lx->pos < lx->n && ((unsigned char)s[lx->pos] >= 0x80 || s[lx->pos] == '\\' ||
                               jsc_lex_id_start_at(lx, lx->pos) ||
                               (s[lx->pos] >= '0' && s[lx->pos] <= '9')))
        lx->pos++;
    regexp_flags(lx, tok, fstart);
    tok->t = JT_REGEXP;
    tok->str = jsc_strndup(lx->cx, s + start, body_end - start);
    tok->len = body_end - start;
    tok->raw = jsc_strndup(lx->cx, s + fstart, lx->pos - fstart);
    tok->raw_len = lx->pos - fstart;
    tok->end = lx->pos;
}
