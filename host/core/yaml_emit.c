/* host/core/yaml_emit.c - write an rt_node tree back as block-style YAML that re-parses to
 * itself. */
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "rt_yaml.h"

/* libyaml refuses a simple (implicit) key longer than 1024 characters; longer keys need the
 * explicit "? key" form. Measured in bytes, which never undercounts characters. */
#define SIMPLE_KEY_MAX 1000

typedef enum scalar_form { FORM_EMPTY, FORM_PLAIN, FORM_QUOTED } scalar_form;

static int ieq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = (*a >= 'A' && *a <= 'Z') ? (char)(*a - 'A' + 'a') : *a;
        if (x != *b)
            return 0;
    }
    return *a == *b;
}

/* Would a YAML 1.1 or 1.2 reader take this unquoted text for a null, boolean or number? Errs
 * towards yes: quoting a string is always safe. */
static int looks_typed(const char *s)
{
    static const char *const words[] = {"~",  "null", "true", "false", "yes",
                                        "no", "on",   "off",  ".inf",  ".nan"};
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (ieq(s, words[i]))
            return 1;
    const char *p = s;
    if (*p == '+' || *p == '-')
        p++;
    if (ieq(p, ".inf"))
        return 1;
    if (!((*p >= '0' && *p <= '9') || (*p == '.' && p[1] >= '0' && p[1] <= '9')))
        return 0;
    for (; *p; p++)
        if (!strchr("0123456789abcdefABCDEFxXoO._:+-", *p))
            return 0;
    return 1;
}

/* Characters a YAML reader refuses raw or treats as line breaks, and so must be escaped. */
static int needs_escape(uint32_t cp)
{
    return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029 ||
           cp == 0xFEFF || cp == 0xFFFE || cp == 0xFFFF;
}

static scalar_form form_of(const char *s, int plain)
{
    size_t len = strlen(s);
    if (len == 0)
        return plain ? FORM_EMPTY : FORM_QUOTED;
    if (s[0] == ' ' || s[len - 1] == ' ' || s[len - 1] == ':')
        return FORM_QUOTED;
    if (strchr(",[]{}#&*!|>'\"%@`", s[0]))
        return FORM_QUOTED;
    if (strchr("-?:", s[0]) && (s[1] == '\0' || s[1] == ' '))
        return FORM_QUOTED;
    /* Document markers would end the document when the text lands in column 0. */
    if (!strncmp(s, "---", 3) || !strncmp(s, "...", 3))
        return FORM_QUOTED;
    if (strstr(s, ": ") || strstr(s, " #"))
        return FORM_QUOTED;
    for (size_t i = 0; i < len;) {
        size_t used;
        uint32_t cp;
        if (!rt_utf8_next(s + i, len - i, &used, &cp) || needs_escape(cp))
            return FORM_QUOTED;
        i += used;
    }
    if (!plain && looks_typed(s))
        return FORM_QUOTED;
    return FORM_PLAIN;
}

static ratchet_status emit_quoted(ratchet_buf *out, const char *s)
{
    size_t len = strlen(s), run = 0, i = 0;
    if (rt_buf_puts(out, "\"") != RATCHET_OK)
        return RATCHET_NOMEM;
    while (i < len) {
        size_t used;
        uint32_t cp;
        int ok = rt_utf8_next(s + i, len - i, &used, &cp);
        if (ok && !needs_escape(cp) && cp != '"' && cp != '\\') {
            i += used;
            continue;
        }
        if (rt_buf_append(out, s + run, i - run) != RATCHET_OK)
            return RATCHET_NOMEM;
        char esc[12];
        const char *e = esc;
        if (!ok)
            e = "\\uFFFD"; /* YAML cannot carry invalid UTF-8 */
        else if (cp == '"')
            e = "\\\"";
        else if (cp == '\\')
            e = "\\\\";
        else if (cp == '\n')
            e = "\\n";
        else if (cp == '\t')
            e = "\\t";
        else if (cp == '\r')
            e = "\\r";
        else if (cp == 0x85)
            e = "\\N";
        else if (cp == 0x2028)
            e = "\\L";
        else if (cp == 0x2029)
            e = "\\P";
        else if (cp <= 0xFF)
            snprintf(esc, sizeof esc, "\\x%02X", (unsigned)cp);
        else
            snprintf(esc, sizeof esc, "\\u%04X", (unsigned)cp);
        if (rt_buf_puts(out, e) != RATCHET_OK)
            return RATCHET_NOMEM;
        i += used;
        run = i;
    }
    if (rt_buf_append(out, s + run, len - run) != RATCHET_OK)
        return RATCHET_NOMEM;
    return rt_buf_puts(out, "\"");
}

static ratchet_status emit_form(ratchet_buf *out, const char *text, scalar_form form)
{
    if (form == FORM_EMPTY)
        return RATCHET_OK;
    if (form == FORM_PLAIN)
        return rt_buf_puts(out, text);
    return emit_quoted(out, text);
}

ratchet_status rt_yaml_emit_scalar(ratchet_buf *out, const char *text, int plain)
{
    if (!out || !text)
        return RATCHET_ERR;
    return emit_form(out, text, form_of(text, plain));
}

static ratchet_status emit_indent(ratchet_buf *out, int indent)
{
    static const char spaces[] = "                                ";
    while (indent > 0) {
        int n = indent < 32 ? indent : 32;
        if (rt_buf_append(out, spaces, (size_t)n) != RATCHET_OK)
            return RATCHET_NOMEM;
        indent -= n;
    }
    return RATCHET_OK;
}

static ratchet_status emit_map(ratchet_buf *out, const rt_node *n, int indent, int first_inline);
static ratchet_status emit_seq(ratchet_buf *out, const rt_node *n, int indent, int first_inline);

/* The rest of a line after "key:" or "-" (the value, on this line or indented below). */
static ratchet_status emit_value(ratchet_buf *out, const rt_node *v, int indent, int after_dash)
{
    ratchet_node_kind kind = rt_node_kind(v);
    if (kind == RATCHET_NODE_NONE)
        return rt_buf_puts(out, "\n");
    if (kind == RATCHET_NODE_SCALAR) {
        scalar_form form = form_of(v->scalar, v->plain);
        if (form != FORM_EMPTY &&
            (rt_buf_puts(out, " ") != RATCHET_OK || emit_form(out, v->scalar, form) != RATCHET_OK))
            return RATCHET_NOMEM;
        return rt_buf_puts(out, "\n");
    }
    if (v->count == 0)
        return rt_buf_puts(out, kind == RATCHET_NODE_MAP ? " {}\n" : " []\n");
    /* After a dash a collection starts on the same line ("- a: 1", "- - x"). */
    if (rt_buf_puts(out, after_dash ? " " : "\n") != RATCHET_OK)
        return RATCHET_NOMEM;
    if (kind == RATCHET_NODE_MAP)
        return emit_map(out, v, indent + 2, after_dash);
    return emit_seq(out, v, indent + 2, after_dash);
}

static ratchet_status emit_key(ratchet_buf *out, const char *key, int indent)
{
    /* Keys are strings to us; quote those another YAML reader would take for a bool etc. */
    scalar_form form = form_of(key, 0);
    size_t start = out->len;
    if (emit_form(out, key, form) != RATCHET_OK)
        return RATCHET_NOMEM;
    if (out->len - start <= SIMPLE_KEY_MAX)
        return rt_buf_puts(out, ":");
    /* Re-write as an explicit key: "? key" then ":" on the next line. */
    out->len = start;
    out->data[start] = '\0';
    if (rt_buf_puts(out, "? ") != RATCHET_OK || emit_form(out, key, form) != RATCHET_OK ||
        rt_buf_puts(out, "\n") != RATCHET_OK || emit_indent(out, indent) != RATCHET_OK)
        return RATCHET_NOMEM;
    return rt_buf_puts(out, ":");
}

static ratchet_status emit_map(ratchet_buf *out, const rt_node *n, int indent, int first_inline)
{
    for (size_t i = 0; i < n->count; i++) {
        if ((i > 0 || !first_inline) && emit_indent(out, indent) != RATCHET_OK)
            return RATCHET_NOMEM;
        if (emit_key(out, n->keys[i], indent) != RATCHET_OK)
            return RATCHET_NOMEM;
        if (emit_value(out, n->items[i], indent, 0) != RATCHET_OK)
            return RATCHET_NOMEM;
    }
    return RATCHET_OK;
}

static ratchet_status emit_seq(ratchet_buf *out, const rt_node *n, int indent, int first_inline)
{
    for (size_t i = 0; i < n->count; i++) {
        if ((i > 0 || !first_inline) && emit_indent(out, indent) != RATCHET_OK)
            return RATCHET_NOMEM;
        if (rt_buf_puts(out, "-") != RATCHET_OK ||
            emit_value(out, n->items[i], indent, 1) != RATCHET_OK)
            return RATCHET_NOMEM;
    }
    return RATCHET_OK;
}

ratchet_status rt_yaml_emit(const rt_node *n, ratchet_buf *out)
{
    if (!n || !out)
        return RATCHET_ERR;
    size_t old = out->len;
    ratchet_status rc;
    if (n->kind == RATCHET_NODE_SCALAR) {
        /* An empty document would read back as an empty map, so quote an empty root. */
        scalar_form form = form_of(n->scalar, n->plain);
        rc = emit_form(out, n->scalar, form == FORM_EMPTY ? FORM_QUOTED : form);
        if (rc == RATCHET_OK)
            rc = rt_buf_puts(out, "\n");
    } else if (n->count == 0) {
        rc = rt_buf_puts(out, n->kind == RATCHET_NODE_MAP ? "{}\n" : "[]\n");
    } else if (n->kind == RATCHET_NODE_MAP) {
        rc = emit_map(out, n, 0, 0);
    } else {
        rc = emit_seq(out, n, 0, 0);
    }
    if (rc != RATCHET_OK && out->data) {
        out->len = old;
        out->data[old] = '\0';
    }
    return rc;
}
