/*
 * host/task/compiler/lex.c - the lexer's core: positions, white space and comments,
 * identifiers and keywords, punctuators. Literals (numbers, strings, templates, regular
 * expressions) are in lex_lit.c.
 */
#include "lex.h"
#include "lex_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

_Noreturn void jsc_lex_fail(jsc_lexer *lx, uint32_t line, uint32_t col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char msg[400];
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    jsc_error_at(lx->cx, line, col, "%s", msg);
    longjmp(*lx->jmp, 1);
}

void jsc_lex_init(jsc_lexer *lx, jsc_ctx *cx, jmp_buf *jmp)
{
    memset(lx, 0, sizeof *lx);
    lx->cx = cx;
    lx->s = cx->src ? cx->src : "";
    lx->n = cx->src ? cx->src_len : 0;
    lx->line = 1;
    lx->ccache_col = 1;
    lx->jmp = jmp;
    /* a UTF-8 byte order mark is not part of the script */
    if (lx->n >= 3 && memcmp(lx->s, "\xEF\xBB\xBF", 3) == 0)
        lx->pos = lx->line_pos = lx->ccache_pos = 3;
}

void jsc_lex_reset(jsc_lexer *lx, size_t pos, uint32_t line, size_t line_pos)
{
    lx->pos = pos;
    lx->line = line;
    lx->line_pos = line_pos;
    lx->ccache_pos = line_pos;
    lx->ccache_col = 1;
}

/* ---- UTF-8 ------------------------------------------------------------------------------ */

size_t jsc_utf8_put(char *out, uint32_t cp)
{
    unsigned char *o = (unsigned char *)out;
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> 12));
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | (cp >> 18));
    o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

size_t jsc_utf8_get(const char *s, size_t n, uint32_t *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    unsigned c = u[0];
    size_t len;
    uint32_t v;
    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if (c >= 0xC2 && c < 0xE0) {
        len = 2;
        v = c & 0x1F;
    } else if (c >= 0xE0 && c < 0xF0) {
        len = 3;
        v = c & 0x0F;
    } else if (c >= 0xF0 && c < 0xF5) {
        len = 4;
        v = c & 0x07;
    } else {
        *cp = c;
        return 1;
    }
    if (len > n) {
        *cp = c;
        return 1;
    }
    for (size_t i = 1; i < len; i++) {
        if ((u[i] & 0xC0) != 0x80) {
            *cp = c;
            return 1;
        }
        v = (v << 6) | (u[i] & 0x3F);
    }
    *cp = v;
    return len;
}

/* ---- positions -------------------------------------------------------------------------- */

uint32_t jsc_lex_col(jsc_lexer *lx, size_t pos)
{
    if (lx->ccache_pos < lx->line_pos || lx->ccache_pos > pos) {
        lx->ccache_pos = lx->line_pos;
        lx->ccache_col = 1;
    }
    uint32_t col = lx->ccache_col;
    for (size_t i = lx->ccache_pos; i < pos; i++) {
        unsigned char c = (unsigned char)lx->s[i];
        if ((c & 0xC0) != 0x80)
            col += c >= 0xF0 ? 2u : 1u; /* astral characters are two UTF-16 units */
    }
    lx->ccache_pos = pos;
    lx->ccache_col = col;
    return col;
}

/* Length of a line terminator at pos (LF, CR, CRLF, U+2028, U+2029), or 0. */
size_t jsc_lex_newline_len(const jsc_lexer *lx, size_t pos)
{
    const char *s = lx->s;
    if (pos >= lx->n)
        return 0;
    if (s[pos] == '\n')
        return 1;
    if (s[pos] == '\r')
        return pos + 1 < lx->n && s[pos + 1] == '\n' ? 2 : 1;
    if ((unsigned char)s[pos] == 0xE2 && pos + 2 < lx->n && (unsigned char)s[pos + 1] == 0x80 &&
        ((unsigned char)s[pos + 2] == 0xA8 || (unsigned char)s[pos + 2] == 0xA9))
        return 3;
    return 0;
}

void jsc_lex_newline(jsc_lexer *lx, size_t len)
{
    lx->pos += len;
    lx->line++;
    lx->line_pos = lx->pos;
}

/* Length of a non-ASCII white space character at pos, or 0. */
static size_t unicode_space_len(const jsc_lexer *lx, size_t pos)
{
    uint32_t cp;
    size_t len = jsc_utf8_get(lx->s + pos, lx->n - pos, &cp);
    switch (cp) {
    case 0xA0: case 0xFEFF: case 0x1680: case 0x202F: case 0x205F: case 0x3000:
        return len;
    default:
        return cp >= 0x2000 && cp <= 0x200A ? len : 0;
    }
}

/* Skip white space and comments; returns whether a line terminator was crossed. */
static int skip_space(jsc_lexer *lx)
{
    int nl = 0;
    const char *s = lx->s;
    while (lx->pos < lx->n) {
        unsigned char c = (unsigned char)s[lx->pos];
        size_t l;
        if (c == ' ' || c == '\t' || c == '\v' || c == '\f') {
            lx->pos++;
        } else if ((l = jsc_lex_newline_len(lx, lx->pos)) != 0) {
            jsc_lex_newline(lx, l);
            nl = 1;
        } else if (c == '/' && lx->pos + 1 < lx->n && s[lx->pos + 1] == '/') {
            lx->pos += 2;
            while (lx->pos < lx->n && !jsc_lex_newline_len(lx, lx->pos))
                lx->pos++;
        } else if (c == '/' && lx->pos + 1 < lx->n && s[lx->pos + 1] == '*') {
            uint32_t line = lx->line, col = jsc_lex_col(lx, lx->pos);
            lx->pos += 2;
            for (;;) {
                if (lx->pos >= lx->n)
                    jsc_lex_fail(lx, line, col, "unterminated comment");
                if (s[lx->pos] == '*' && lx->pos + 1 < lx->n && s[lx->pos + 1] == '/') {
                    lx->pos += 2;
                    break;
                }
                if ((l = jsc_lex_newline_len(lx, lx->pos)) != 0) {
                    jsc_lex_newline(lx, l);
                    nl = 1;
                } else {
                    lx->pos++;
                }
            }
        } else if (c == '#' && lx->line == 1 && lx->pos == lx->line_pos && lx->pos + 1 < lx->n &&
                   s[lx->pos + 1] == '!') {
            while (lx->pos < lx->n && !jsc_lex_newline_len(lx, lx->pos))
                lx->pos++; /* a hashbang line */
        } else if (c >= 0x80 && (l = unicode_space_len(lx, lx->pos)) != 0) {
            lx->pos += l;
        } else {
            break;
        }
    }
    return nl;
}

/* ---- identifiers ------------------------------------------------------------------------ */

static const char *const keywords[] = {
    "break", "case", "catch", "class", "const", "continue", "debugger", "default", "delete",
    "do", "else", "enum", "export", "extends", "false", "finally", "for", "function", "if",
    "import", "in", "instanceof", "new", "null", "return", "super", "switch", "this", "throw",
    "true", "try", "typeof", "var", "void", "while", "with",
};

const char *jsc_keyword(const char *name, size_t len)
{
    if (len < 2 || len > 10 || name[0] < 'b' || name[0] > 'w')
        return NULL;
    for (size_t i = 0; i < sizeof keywords / sizeof *keywords; i++)
        if (strncmp(keywords[i], name, len) == 0 && keywords[i][len] == '\0')
            return keywords[i];
    return NULL;
}

static int ascii_id_start(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '$' || c == '_';
}

static int ascii_id_part(int c)
{
    return ascii_id_start(c) || (c >= '0' && c <= '9');
}

/* Any non-ASCII character that is neither white space nor a line terminator counts as an
 * identifier character (a superset of ID_Start/ID_Continue, enough for valid scripts). */
static int unicode_id_char(uint32_t cp)
{
    if (cp == 0x2028 || cp == 0x2029 || cp == 0xA0 || cp == 0xFEFF || cp == 0x1680 ||
        cp == 0x202F || cp == 0x205F || cp == 0x3000 || (cp >= 0x2000 && cp <= 0x200A))
        return 0;
    return cp >= 0x80;
}

int jsc_lex_id_start_at(const jsc_lexer *lx, size_t pos)
{
    if (pos >= lx->n)
        return 0;
    unsigned char c = (unsigned char)lx->s[pos];
    if (c < 0x80)
        return ascii_id_start(c) || c == '\\';
    uint32_t cp;
    jsc_utf8_get(lx->s + pos, lx->n - pos, &cp);
    return unicode_id_char(cp);
}

/* Read 4 hex digits or {hex} after "\u" at lx->pos (pointing after the u); returns the
 * code point or fails. */
uint32_t jsc_lex_unicode_escape(jsc_lexer *lx, uint32_t line, uint32_t col, int *ok)
{
    const char *s = lx->s;
    uint32_t v = 0;
    if (lx->pos < lx->n && s[lx->pos] == '{') {
        size_t p = lx->pos + 1, nd = 0;
        while (p < lx->n && jsc_hexval(s[p]) >= 0) {
            v = v * 16 + (uint32_t)jsc_hexval(s[p]);
            if (v > 0x10FFFF)
                break;
            p++;
            nd++;
        }
        if (nd == 0 || p >= lx->n || s[p] != '}' || v > 0x10FFFF) {
            if (ok) {
                *ok = 0;
                return 0;
            }
            jsc_lex_fail(lx, line, col, "invalid Unicode escape sequence");
        }
        lx->pos = p + 1;
        return v;
    }
    for (int i = 0; i < 4; i++) {
        if (lx->pos + (size_t)i >= lx->n || jsc_hexval(s[lx->pos + (size_t)i]) < 0) {
            if (ok) {
                *ok = 0;
                return 0;
            }
            jsc_lex_fail(lx, line, col, "invalid Unicode escape sequence");
        }
        v = v * 16 + (uint32_t)jsc_hexval(s[lx->pos + (size_t)i]);
    }
    lx->pos += 4;
    return v;
}

static void lex_ident(jsc_lexer *lx, jsc_token *tok)
{
    const char *s = lx->s;
    size_t start = lx->pos;
    int escaped = 0;
    /* fast path: plain ASCII */
    while (lx->pos < lx->n && ascii_id_part((unsigned char)s[lx->pos]))
        lx->pos++;
    if (lx->pos >= lx->n || ((unsigned char)s[lx->pos] < 0x80 && s[lx->pos] != '\\')) {
        tok->len = lx->pos - start;
        const char *kw = jsc_keyword(s + start, tok->len);
        tok->t = kw ? JT_KEYWORD : JT_IDENT;
        tok->str = kw ? kw : jsc_strndup(lx->cx, s + start, tok->len);
        return;
    }
    /* general path: escapes and non-ASCII; the name never grows beyond its source text
     * except through escapes, which shrink (\u{10FFFF} is 10 bytes for 4) */
    lx->pos = start;
    size_t cap = 0, p = start;
    while (p < lx->n && (ascii_id_part((unsigned char)s[p]) || s[p] == '\\' ||
                         (unsigned char)s[p] >= 0x80))
        p++;
    cap = p - start + 4;
    char *buf = jsc_alloc(lx->cx, cap + 1);
    size_t len = 0;
    while (lx->pos < lx->n) {
        unsigned char c = (unsigned char)s[lx->pos];
        uint32_t cp;
        if (c < 0x80 && ascii_id_part(c)) {
            buf[len++] = (char)c;
            lx->pos++;
            continue;
        }
        if (c == '\\') {
            uint32_t col = jsc_lex_col(lx, lx->pos);
            if (lx->pos + 1 >= lx->n || s[lx->pos + 1] != 'u')
                jsc_lex_fail(lx, lx->line, col, "invalid escape in identifier");
            lx->pos += 2;
            cp = jsc_lex_unicode_escape(lx, lx->line, col, NULL);
            int okc = cp < 0x80 ? (len ? ascii_id_part((int)cp) : ascii_id_start((int)cp))
                                : unicode_id_char(cp) && !(cp >= 0xD800 && cp <= 0xDFFF);
            if (!okc)
                jsc_lex_fail(lx, lx->line, col, "invalid identifier character escape");
            if (len + 4 > cap)
                jsc_lex_fail(lx, lx->line, col, "invalid identifier");
            len += jsc_utf8_put(buf + len, cp);
            escaped = 1;
            continue;
        }
        if (c < 0x80)
            break;
        size_t l = jsc_utf8_get(s + lx->pos, lx->n - lx->pos, &cp);
        if (!unicode_id_char(cp))
            break;
        memcpy(buf + len, s + lx->pos, l);
        len += l;
        lx->pos += l;
    }
    buf[len] = '\0';
    tok->len = len;
    tok->escaped = escaped;
    const char *kw = jsc_keyword(buf, len);
    if (kw && !escaped) {
        tok->t = JT_KEYWORD;
        tok->str = kw;
    } else {
        /* an escaped keyword is an identifier here; the parser refuses it where a keyword
         * would be meant */
        tok->t = JT_IDENT;
        tok->str = buf;
    }
}

/* ---- punctuators ------------------------------------------------------------------------ */

static jsc_tok punct3(const char *s, size_t left, size_t *len)
{
    char c = s[0], c1 = left > 1 ? s[1] : 0, c2 = left > 2 ? s[2] : 0,
         c3 = left > 3 ? s[3] : 0;
#define P(n, t) return (*len = (n), (t))
    switch (c) {
    case '{': P(1, JT_LBRACE);
    case '}': P(1, JT_RBRACE);
    case '(': P(1, JT_LPAREN);
    case ')': P(1, JT_RPAREN);
    case '[': P(1, JT_LBRACKET);
    case ']': P(1, JT_RBRACKET);
    case ';': P(1, JT_SEMI);
    case ',': P(1, JT_COMMA);
    case ':': P(1, JT_COLON);
    case '~': P(1, JT_TILDE);
    case '.':
        if (c1 == '.' && c2 == '.')
            P(3, JT_ELLIPSIS);
        P(1, JT_DOT);
    case '?':
        if (c1 == '?')
            P(c2 == '=' ? 3 : 2, c2 == '=' ? JT_QQ_EQ : JT_QQ);
        if (c1 == '.' && !(c2 >= '0' && c2 <= '9'))
            P(2, JT_QDOT);
        P(1, JT_QUESTION);
    case '<':
        if (c1 == '<')
            P(c2 == '=' ? 3 : 2, c2 == '=' ? JT_SHL_EQ : JT_SHL);
        P(c1 == '=' ? 2 : 1, c1 == '=' ? JT_LE : JT_LT);
    case '>':
        if (c1 == '>' && c2 == '>')
            P(c3 == '=' ? 4 : 3, c3 == '=' ? JT_USHR_EQ : JT_USHR);
        if (c1 == '>')
            P(c2 == '=' ? 3 : 2, c2 == '=' ? JT_SHR_EQ : JT_SHR);
        P(c1 == '=' ? 2 : 1, c1 == '=' ? JT_GE : JT_GT);
    case '=':
        if (c1 == '=')
            P(c2 == '=' ? 3 : 2, c2 == '=' ? JT_SEQ : JT_EQ);
        P(c1 == '>' ? 2 : 1, c1 == '>' ? JT_ARROW : JT_ASSIGN);
    case '!':
        if (c1 == '=')
            P(c2 == '=' ? 3 : 2, c2 == '=' ? JT_SNE : JT_NE);
        P(1, JT_NOT);
    case '+':
        if (c1 == '+')
            P(2, JT_INC);
        P(c1 == '=' ? 2 : 1, c1 == '=' ? JT_PLUS_EQ : JT_PLUS);
    case '-':
        if (c1 == '-')
            P(2, JT_DEC);
        P(c1 == '=' ? 2 : 1, c1 == '=' ? JT_MINUS_EQ : JT_MINUS);
    case '*':
        if (c1 == '*')
            P(c2 == '=' ? 3 : 2, c2 == '=' ? JT_STARSTAR_EQ : JT_STARSTAR);
        P(c1 == '=' ? 2 : 1, c1 == '=' ? JT_STAR_EQ : JT_STAR);
    case '/': P(c1 == '=' ? 2 : 1, c1 == '=' ? JT_SLASH_EQ : JT_SLASH);
    case '%': P(c1 == '=' ? 2 : 1, c1 == '=' ? JT_PERCENT_EQ : JT_PERCENT);
    case '^': P(c1 == '=' ? 2 : 1, c1 == '=' ? JT_CARET_EQ : JT_CARET);
    case '&':
        if (c1 == '&')
            P(c2 == '=' ? 3 : 2, c2 == '=' ? JT_ANDAND_EQ : JT_ANDAND);
        P(c1 == '=' ? 2 : 1, c1 == '=' ? JT_AMP_EQ : JT_AMP);
    case '|':
        if (c1 == '|')
            P(c2 == '=' ? 3 : 2, c2 == '=' ? JT_OROR_EQ : JT_OROR);
        P(c1 == '=' ? 2 : 1, c1 == '=' ? JT_PIPE_EQ : JT_PIPE);
    default: P(0, JT_EOF);
    }
#undef P
}

void jsc_lex_next(jsc_lexer *lx, jsc_token *tok)
{
    int nl = skip_space(lx);
    memset(tok, 0, sizeof *tok);
    tok->nl_before = nl;
    tok->pos = lx->pos;
    tok->line = lx->line;
    tok->line_pos = lx->line_pos;
    tok->col = jsc_lex_col(lx, lx->pos);
    if (lx->pos >= lx->n) {
        tok->t = JT_EOF;
        tok->end = lx->pos;
        return;
    }
    const char *s = lx->s;
    unsigned char c = (unsigned char)s[lx->pos];
    if (jsc_lex_id_start_at(lx, lx->pos)) {
        lex_ident(lx, tok);
    } else if ((c >= '0' && c <= '9') ||
               (c == '.' && lx->pos + 1 < lx->n && s[lx->pos + 1] >= '0' &&
                s[lx->pos + 1] <= '9')) {
        jsc_lex_number(lx, tok);
    } else if (c == '"' || c == '\'') {
        jsc_lex_string(lx, tok);
    } else if (c == '`') {
        lx->pos++;
        jsc_lex_template_chunk(lx, tok);
    } else if (c == '#') {
        lx->pos++;
        if (!jsc_lex_id_start_at(lx, lx->pos))
            jsc_lex_fail(lx, tok->line, tok->col, "Invalid or unexpected token '#'");
        lex_ident(lx, tok);
        tok->t = JT_PRIVATE_NAME;
    } else {
        size_t len;
        tok->t = punct3(s + lx->pos, lx->n - lx->pos, &len);
        if (len == 0) {
            uint32_t cp;
            jsc_utf8_get(s + lx->pos, lx->n - lx->pos, &cp);
            if (cp < 0x20 || cp == 0x7F)
                jsc_lex_fail(lx, tok->line, tok->col,
                             "Invalid or unexpected token (character U+%04X)", cp);
            jsc_lex_fail(lx, tok->line, tok->col, "Invalid or unexpected token '%.*s'",
                         (int)jsc_utf8_get(s + lx->pos, lx->n - lx->pos, &cp), s + lx->pos);
        }
        lx->pos += len;
    }
    tok->end = lx->pos;
}
