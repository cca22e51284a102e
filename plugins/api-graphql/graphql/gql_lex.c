/*
 * gql_lex.c - the lexer (specification section 2.1, Source Text): punctuators, names, numbers,
 * strings and block strings with their escapes, comments; messages and positions as graphql-js
 * reports them (columns in UTF-16 code units).
 */
#include <string.h>

#include "gql_int.h"

static const char *const kind_names[] = {
    "<SOF>", "<EOF>", "!", "$", "&", "(",    ")",   "...",   ":",      "=",          "@",
    "[",     "]",     "{", "|", "}", "Name", "Int", "Float", "String", "BlockString"};

const char *gql_tok_kind_name(gql_tok kind)
{
    return kind_names[kind];
}

void gql_tok_describe(const gql_token *t, char *buf, size_t size)
{
    if (t->kind >= GQL_T_BANG && t->kind <= GQL_T_BRACE_R)
        snprintf(buf, size, "\"%s\"", kind_names[t->kind]);
    else if (t->kind >= GQL_T_NAME)
        snprintf(buf, size, "%s \"%.200s\"", kind_names[t->kind], t->value ? t->value : "");
    else
        snprintf(buf, size, "%s", kind_names[t->kind]);
}

void gql_lex_init(gql_lexer *lx, const char *src, size_t len, gql_arena *arena)
{
    memset(lx, 0, sizeof *lx);
    lx->src = src;
    lx->len = len;
    lx->line = 1;
    lx->arena = arena;
    lx->col_units = 1;
    lx->tok.kind = GQL_T_SOF;
}

/* Decode the UTF-8 sequence at pos: its code point and length; -1 code for a bad sequence
 * (length 1). */
static int32_t utf8_at(const gql_lexer *lx, size_t pos, size_t *n)
{
    const unsigned char *s = (const unsigned char *)lx->src + pos;
    size_t left = lx->len - pos;
    *n = 1;
    if (s[0] < 0x80)
        return s[0];
    size_t need;
    int32_t cp, min;
    if ((s[0] & 0xe0) == 0xc0) {
        need = 2, cp = s[0] & 0x1f, min = 0x80;
    } else if ((s[0] & 0xf0) == 0xe0) {
        need = 3, cp = s[0] & 0x0f, min = 0x800;
    } else if ((s[0] & 0xf8) == 0xf0) {
        need = 4, cp = s[0] & 0x07, min = 0x10000;
    } else {
        return -1;
    }
    if (left < need)
        return -1;
    for (size_t i = 1; i < need; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return -1;
        cp = (cp << 6) | (s[i] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return -1;
    *n = need;
    return cp;
}

/* The column of byte offset pos (on the current line), counted in UTF-16 units. */
static uint32_t column_of(gql_lexer *lx, size_t pos)
{
    if (lx->col_pos < lx->line_start || lx->col_pos > pos) {
        lx->col_pos = lx->line_start;
        lx->col_units = 1;
    }
    while (lx->col_pos < pos) {
        size_t n;
        int32_t cp = utf8_at(lx, lx->col_pos, &n);
        lx->col_units += cp >= 0x10000 ? 2 : 1;
        lx->col_pos += n;
    }
    return lx->col_units;
}

static int fail(gql_lexer *lx, size_t pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int fail(gql_lexer *lx, size_t pos, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = snprintf(lx->err, sizeof lx->err, "Syntax Error: ");
    vsnprintf(lx->err + n, sizeof lx->err - (size_t)n, fmt, ap);
    va_end(ap);
    lx->err_line = lx->line;
    lx->err_col = column_of(lx, pos);
    return -1;
}

/* graphql-js printCodePointAt: "x", '"', U+XXXX or <EOF>. */
static void describe_at(const gql_lexer *lx, size_t pos, char *buf, size_t size)
{
    if (pos >= lx->len) {
        snprintf(buf, size, "<EOF>");
        return;
    }
    size_t n;
    int32_t cp = utf8_at(lx, pos, &n);
    if (cp < 0)
        cp = (unsigned char)lx->src[pos];
    if (cp == '"')
        snprintf(buf, size, "'\"'");
    else if (cp >= 0x20 && cp <= 0x7e)
        snprintf(buf, size, "\"%c\"", (char)cp);
    else
        snprintf(buf, size, "U+%04X", (unsigned)cp);
}

static void newline(gql_lexer *lx, size_t next_line_start)
{
    lx->line++;
    lx->line_start = next_line_start;
}

static int is_name_start(int c)
{
    return c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static int is_name_continue(int c)
{
    return is_name_start(c) || (c >= '0' && c <= '9');
}

static int is_digit(int c)
{
    return c >= '0' && c <= '9';
}

static int emit(gql_lexer *lx, gql_tok kind, size_t start, size_t end)
{
    lx->tok.kind = kind;
    lx->tok.start = start;
    lx->tok.end = end;
    lx->tok.line = lx->line;
    lx->tok.col = column_of(lx, start);
    lx->tok.value = NULL;
    lx->tok.value_len = 0;
    lx->pos = end;
    return 0;
}

static int text_value(gql_lexer *lx, size_t start, size_t end)
{
    lx->tok.value = gql_arena_strndup(lx->arena, lx->src + start, end - start);
    lx->tok.value_len = end - start;
    return lx->tok.value ? 0 : fail(lx, start, "out of memory");
}

static int read_digits(gql_lexer *lx, size_t *p)
{
    const char *s = lx->src;
    char what[32];
    if (*p >= lx->len || !is_digit(s[*p])) {
        describe_at(lx, *p, what, sizeof what);
        return fail(lx, *p, "Invalid number, expected digit but got: %s.", what);
    }
    while (*p < lx->len && is_digit(s[*p]))
        (*p)++;
    return 0;
}

static int read_number(gql_lexer *lx, size_t start)
{
    const char *s = lx->src;
    size_t p = start;
    int is_float = 0;
    char what[32];
    if (s[p] == '-')
        p++;
    if (p < lx->len && s[p] == '0') {
        p++;
        if (p < lx->len && is_digit(s[p])) {
            describe_at(lx, p, what, sizeof what);
            return fail(lx, p, "Invalid number, unexpected digit after 0: %s.", what);
        }
    } else if (read_digits(lx, &p) < 0) {
        return -1;
    }
    if (p < lx->len && s[p] == '.') {
        is_float = 1;
        p++;
        if (read_digits(lx, &p) < 0)
            return -1;
    }
    if (p < lx->len && (s[p] == 'e' || s[p] == 'E')) {
        is_float = 1;
        p++;
        if (p < lx->len && (s[p] == '+' || s[p] == '-'))
            p++;
        if (read_digits(lx, &p) < 0)
            return -1;
    }
    if (p < lx->len && (s[p] == '.' || is_name_start(s[p]))) {
        describe_at(lx, p, what, sizeof what);
        return fail(lx, p, "Invalid number, expected digit but got: %s.", what);
    }
    emit(lx, is_float ? GQL_T_FLOAT : GQL_T_INT, start, p);
    return text_value(lx, start, p);
}

/* A growing byte buffer in the arena for decoded strings. */
typedef struct sbuf {
    char *p;
    size_t n, cap;
    gql_arena *a;
} sbuf;

static int sb_put(sbuf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 64;
        while (cap < b->n + n + 1)
            cap *= 2;
        char *q = gql_arena_alloc(b->a, cap);
        if (!q)
            return -1;
        if (b->n)
            memcpy(q, b->p, b->n);
        b->p = q;
        b->cap = cap;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
    return 0;
}

static int sb_cp(sbuf *b, uint32_t cp)
{
    char u[4];
    size_t n;
    if (cp < 0x80) {
        u[0] = (char)cp, n = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xc0 | (cp >> 6)), u[1] = (char)(0x80 | (cp & 0x3f)), n = 2;
    } else if (cp < 0x10000) {
        u[0] = (char)(0xe0 | (cp >> 12)), u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        u[2] = (char)(0x80 | (cp & 0x3f)), n = 3;
    } else {
        u[0] = (char)(0xf0 | (cp >> 18)), u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3f)), u[3] = (char)(0x80 | (cp & 0x3f)), n = 4;
    }
    return sb_put(b, u, n);
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* \uXXXX at p (p at the backslash): the 16-bit value, or -1. */
static int32_t read_hex4(const gql_lexer *lx, size_t p)
{
    if (p + 6 > lx->len)
        return -1;
    int32_t v = 0;
    for (size_t i = 2; i < 6; i++) {
        int h = hexval(lx->src[p + i]);
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    return v;
}

static int bad_unicode(gql_lexer *lx, size_t p, size_t n)
{
    if (p + n > lx->len)
        n = lx->len - p;
    return fail(lx, p, "Invalid Unicode escape sequence: \"%.*s\".", (int)n, lx->src + p);
}

/* A unicode escape at p (the backslash); appends the code point and advances *pp. */
static int read_unicode_escape(gql_lexer *lx, size_t p, size_t *pp, sbuf *b)
{
    const char *s = lx->src;
    if (p + 2 < lx->len && s[p + 2] == '{') {
        uint32_t v = 0;
        size_t q = p + 3;
        size_t digits = 0;
        while (q < lx->len && s[q] != '}') {
            int h = hexval(s[q]);
            if (h < 0 || v > 0x10ffff)
                return bad_unicode(lx, p, q - p + 1);
            v = v * 16 + (uint32_t)h;
            q++;
            digits++;
        }
        if (q >= lx->len || digits == 0 || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
            return bad_unicode(lx, p, q - p + 1);
        *pp = q + 1;
        return sb_cp(b, v);
    }
    int32_t v = read_hex4(lx, p);
    if (v < 0)
        return bad_unicode(lx, p, 6);
    if (v >= 0xd800 && v <= 0xdbff) { /* a leading surrogate needs a trailing one */
        if (p + 7 < lx->len && s[p + 6] == '\\' && s[p + 7] == 'u') {
            int32_t t = read_hex4(lx, p + 6);
            if (t >= 0xdc00 && t <= 0xdfff) {
                *pp = p + 12;
                return sb_cp(b, 0x10000 + (((uint32_t)v - 0xd800) << 10) + ((uint32_t)t - 0xdc00));
            }
        }
        return bad_unicode(lx, p, 6);
    }
    if (v >= 0xdc00 && v <= 0xdfff)
        return bad_unicode(lx, p, 6);
    *pp = p + 6;
    return sb_cp(b, (uint32_t)v);
}

static int read_string(gql_lexer *lx, size_t start)
{
    const char *s = lx->src;
    size_t p = start + 1, chunk = p;
    sbuf b = {NULL, 0, 0, lx->arena};
    char what[32];
    if (sb_put(&b, "", 0) < 0)
        return fail(lx, start, "out of memory");
    while (p < lx->len) {
        unsigned char c = (unsigned char)s[p];
        if (c == '"') {
            if (sb_put(&b, s + chunk, p - chunk) < 0)
                return fail(lx, start, "out of memory");
            emit(lx, GQL_T_STRING, start, p + 1);
            lx->tok.value = b.p;
            lx->tok.value_len = b.n;
            return 0;
        }
        if (c == '\\') {
            if (sb_put(&b, s + chunk, p - chunk) < 0)
                return fail(lx, start, "out of memory");
            char e = p + 1 < lx->len ? s[p + 1] : '\0';
            const char *rep = NULL;
            switch (e) {
            case '"':
                rep = "\"";
                break;
            case '\\':
                rep = "\\";
                break;
            case '/':
                rep = "/";
                break;
            case 'b':
                rep = "\b";
                break;
            case 'f':
                rep = "\f";
                break;
            case 'n':
                rep = "\n";
                break;
            case 'r':
                rep = "\r";
                break;
            case 't':
                rep = "\t";
                break;
            case 'u':
                if (read_unicode_escape(lx, p, &p, &b) < 0)
                    return -1;
                chunk = p;
                continue;
            default:
                return fail(lx, p, "Invalid character escape sequence: \"%.*s\".",
                            p + 1 < lx->len ? 2 : 1, s + p);
            }
            if (sb_put(&b, rep, 1) < 0)
                return fail(lx, start, "out of memory");
            p += 2;
            chunk = p;
            continue;
        }
        if (c == '\n' || c == '\r')
            break;
        size_t n;
        int32_t cp = utf8_at(lx, p, &n);
        if (cp < 0) { /* any Unicode scalar value may appear; broken UTF-8 may not */
            describe_at(lx, p, what, sizeof what);
            return fail(lx, p, "Invalid character within String: %s.", what);
        }
        p += n;
    }
    return fail(lx, p, "Unterminated string.");
}

/* The specification's BlockStringValue: common indentation removed, blank first and last
 * lines dropped. Lines are split on \n, \r\n and \r. */
static int block_value(gql_lexer *lx, const char *raw, size_t len)
{
    /* split into lines (pointers into raw) */
    size_t nlines = 1;
    for (size_t i = 0; i < len; i++)
        if (raw[i] == '\n' || (raw[i] == '\r' && !(i + 1 < len && raw[i + 1] == '\n')))
            nlines++;
    size_t *ls = gql_arena_alloc(lx->arena, nlines * 2 * sizeof(size_t));
    if (!ls)
        return -1;
    size_t k = 0, st = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i == len || raw[i] == '\n' || raw[i] == '\r') {
            ls[2 * k] = st;
            ls[2 * k + 1] = i;
            k++;
            if (i < len && raw[i] == '\r' && i + 1 < len && raw[i + 1] == '\n')
                i++;
            st = i + 1;
        }
    }
    size_t common = (size_t)-1;
    for (size_t l = 1; l < k; l++) {
        size_t ind = 0;
        while (ls[2 * l] + ind < ls[2 * l + 1] &&
               (raw[ls[2 * l] + ind] == ' ' || raw[ls[2 * l] + ind] == '\t'))
            ind++;
        if (ls[2 * l] + ind < ls[2 * l + 1] && ind < common)
            common = ind;
    }
    if (common != (size_t)-1)
        for (size_t l = 1; l < k; l++)
            ls[2 * l] = ls[2 * l] + common < ls[2 * l + 1] ? ls[2 * l] + common : ls[2 * l + 1];
    size_t first = 0, last = k;
    while (first < last) { /* drop leading and trailing blank lines */
        size_t i = ls[2 * first];
        while (i < ls[2 * first + 1] && (raw[i] == ' ' || raw[i] == '\t'))
            i++;
        if (i < ls[2 * first + 1])
            break;
        first++;
    }
    while (last > first) {
        size_t i = ls[2 * (last - 1)];
        while (i < ls[2 * (last - 1) + 1] && (raw[i] == ' ' || raw[i] == '\t'))
            i++;
        if (i < ls[2 * (last - 1) + 1])
            break;
        last--;
    }
    sbuf b = {NULL, 0, 0, lx->arena};
    if (sb_put(&b, "", 0) < 0)
        return -1;
    for (size_t l = first; l < last; l++) {
        if (l > first && sb_put(&b, "\n", 1) < 0)
            return -1;
        if (sb_put(&b, raw + ls[2 * l], ls[2 * l + 1] - ls[2 * l]) < 0)
            return -1;
    }
    lx->tok.value = b.p;
    lx->tok.value_len = b.n;
    return 0;
}

static int read_block_string(gql_lexer *lx, size_t start)
{
    const char *s = lx->src;
    size_t p = start + 3;
    sbuf raw = {NULL, 0, 0, lx->arena};
    size_t chunk = p;
    uint32_t line = lx->line;
    size_t line_start = lx->line_start;
    char what[32];
    if (sb_put(&raw, "", 0) < 0)
        return fail(lx, start, "out of memory");
    while (p < lx->len) {
        if (s[p] == '"' && p + 2 < lx->len && s[p + 1] == '"' && s[p + 2] == '"') {
            if (sb_put(&raw, s + chunk, p - chunk) < 0)
                return fail(lx, start, "out of memory");
            /* the token starts on its first line: position it there */
            uint32_t end_line = lx->line;
            size_t end_ls = lx->line_start;
            lx->line = line;
            lx->line_start = line_start;
            emit(lx, GQL_T_BLOCK_STRING, start, p + 3);
            lx->line = end_line;
            lx->line_start = end_ls;
            lx->col_pos = end_ls;
            lx->col_units = 1;
            return block_value(lx, raw.p, raw.n) < 0 ? fail(lx, start, "out of memory") : 0;
        }
        if (s[p] == '\\' && p + 3 < lx->len && s[p + 1] == '"' && s[p + 2] == '"' &&
            s[p + 3] == '"') {
            if (sb_put(&raw, s + chunk, p - chunk) < 0 || sb_put(&raw, "\"\"\"", 3) < 0)
                return fail(lx, start, "out of memory");
            p += 4;
            chunk = p;
            continue;
        }
        if (s[p] == '\n' || s[p] == '\r') {
            size_t nl = p + ((s[p] == '\r' && p + 1 < lx->len && s[p + 1] == '\n') ? 2 : 1);
            newline(lx, nl);
            p = nl;
            continue;
        }
        size_t n;
        int32_t cp = utf8_at(lx, p, &n);
        if (cp < 0) {
            describe_at(lx, p, what, sizeof what);
            return fail(lx, p, "Invalid character within String: %s.", what);
        }
        p += n;
    }
    return fail(lx, p, "Unterminated string.");
}

int gql_lex_next(gql_lexer *lx)
{
    const char *s = lx->src;
    size_t p = lx->pos;
    char what[32];
    for (;;) {
        if (p >= lx->len)
            return emit(lx, GQL_T_EOF, lx->len, lx->len);
        unsigned char c = (unsigned char)s[p];
        switch (c) {
        case 0xef: /* a byte order mark is ignored */
            if (p + 2 < lx->len && (unsigned char)s[p + 1] == 0xbb &&
                (unsigned char)s[p + 2] == 0xbf) {
                p += 3;
                continue;
            }
            break;
        case ' ':
        case '\t':
        case ',':
            p++;
            continue;
        case '\n':
            p++;
            newline(lx, p);
            continue;
        case '\r':
            p += (p + 1 < lx->len && s[p + 1] == '\n') ? 2 : 1;
            newline(lx, p);
            continue;
        case '#':
            while (p < lx->len && s[p] != '\n' && s[p] != '\r')
                p++;
            continue;
        case '!':
            return emit(lx, GQL_T_BANG, p, p + 1);
        case '$':
            return emit(lx, GQL_T_DOLLAR, p, p + 1);
        case '&':
            return emit(lx, GQL_T_AMP, p, p + 1);
        case '(':
            return emit(lx, GQL_T_PAREN_L, p, p + 1);
        case ')':
            return emit(lx, GQL_T_PAREN_R, p, p + 1);
        case '.':
            if (p + 2 < lx->len && s[p + 1] == '.' && s[p + 2] == '.')
                return emit(lx, GQL_T_SPREAD, p, p + 3);
            break;
        case ':':
            return emit(lx, GQL_T_COLON, p, p + 1);
        case '=':
            return emit(lx, GQL_T_EQUALS, p, p + 1);
        case '@':
            return emit(lx, GQL_T_AT, p, p + 1);
        case '[':
            return emit(lx, GQL_T_BRACKET_L, p, p + 1);
        case ']':
            return emit(lx, GQL_T_BRACKET_R, p, p + 1);
        case '{':
            return emit(lx, GQL_T_BRACE_L, p, p + 1);
        case '|':
            return emit(lx, GQL_T_PIPE, p, p + 1);
        case '}':
            return emit(lx, GQL_T_BRACE_R, p, p + 1);
        case '"':
            lx->pos = p;
            if (p + 2 < lx->len && s[p + 1] == '"' && s[p + 2] == '"')
                return read_block_string(lx, p);
            return read_string(lx, p);
        default:
            break;
        }
        if (is_digit(c) || c == '-') {
            lx->pos = p;
            return read_number(lx, p);
        }
        if (is_name_start(c)) {
            size_t q = p + 1;
            while (q < lx->len && is_name_continue((unsigned char)s[q]))
                q++;
            emit(lx, GQL_T_NAME, p, q);
            return text_value(lx, p, q);
        }
        size_t n;
        int32_t cp = utf8_at(lx, p, &n);
        describe_at(lx, p, what, sizeof what);
        if (c == '\'')
            return fail(lx, p,
                        "Unexpected single quote character ('), did you mean to use a "
                        "double quote (\")?");
        if (cp < 0)
            return fail(lx, p, "Invalid character: %s.", what);
        return fail(lx, p, "Unexpected character: %s.", what);
    }
}
