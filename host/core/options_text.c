/* host/core/options_text.c - option tables as text: `plugins describe` and `config generate`. */
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "options.h"

static int is_ranged(const ratchet_option *o)
{
    return (o->type == RATCHET_OPT_INT || o->type == RATCHET_OPT_SIZE ||
            o->type == RATCHET_OPT_DURATION) &&
           o->min <= o->max;
}

/* With parens (describe): "enum (a|b)", "integer (1..100)", "size (1KiB..1GiB)", "path".
 * Without (inside a generated comment that is already parenthesised): "one of a|b",
 * "integer 1..100". */
static ratchet_status put_type(ratchet_buf *out, const ratchet_option *o, int parens)
{
    const char *name = rt_option_type_name(o->type);
    const char *open = parens ? " (" : " ", *close = parens ? ")" : "";
    if (o->type == RATCHET_OPT_ENUM)
        return parens ? rt_buf_printf(out, "enum (%s)", o->choices ? o->choices : "")
                      : rt_buf_printf(out, "one of %s", o->choices ? o->choices : "");
    if (!is_ranged(o))
        return rt_buf_puts(out, name);
    char lo[32], hi[32];
    rt_format_option_value(o->type, o->min, lo, sizeof lo);
    rt_format_option_value(o->type, o->max, hi, sizeof hi);
    return rt_buf_printf(out, "%s%s%s..%s%s", name, open, lo, hi, close);
}

/* Text types are written quoted when needed ("" stays visible); the others as YAML would
 * read them unquoted. */
static ratchet_status put_default(ratchet_buf *out, const ratchet_option *o)
{
    if (o->type == RATCHET_OPT_NODE)
        return rt_buf_puts(out, o->default_value);
    int text_type = o->type == RATCHET_OPT_STRING || o->type == RATCHET_OPT_PATH;
    return rt_yaml_emit_scalar(out, o->default_value, !text_type);
}

static ratchet_status put_spaces(ratchet_buf *out, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (rt_buf_puts(out, " ") != RATCHET_OK)
            return RATCHET_NOMEM;
    return RATCHET_OK;
}

/* One line of doc text: line breaks would end a comment and break the YAML around it. */
static ratchet_status put_line(ratchet_buf *out, const char *text)
{
    for (const char *p = text; *p; p++) {
        char c = (*p == '\n' || *p == '\r') ? ' ' : *p;
        if (rt_buf_append(out, &c, 1) != RATCHET_OK)
            return RATCHET_NOMEM;
    }
    return RATCHET_OK;
}

static ratchet_status describe_one(ratchet_buf *out, const ratchet_option *o, size_t width)
{
    if (rt_buf_puts(out, o->name) != RATCHET_OK ||
        put_spaces(out, width - strlen(o->name)) != RATCHET_OK || put_type(out, o, 1) != RATCHET_OK)
        return RATCHET_NOMEM;
    if (o->required) {
        if (rt_buf_puts(out, ", required") != RATCHET_OK)
            return RATCHET_NOMEM;
    } else if (o->default_value) {
        if (rt_buf_puts(out, ", default: ") != RATCHET_OK || put_default(out, o) != RATCHET_OK)
            return RATCHET_NOMEM;
    }
    if (rt_buf_puts(out, "\n") != RATCHET_OK)
        return RATCHET_NOMEM;
    if (o->doc && *o->doc &&
        (put_spaces(out, width) != RATCHET_OK || put_line(out, o->doc) != RATCHET_OK ||
         rt_buf_puts(out, "\n") != RATCHET_OK))
        return RATCHET_NOMEM;
    return RATCHET_OK;
}

ratchet_status rt_options_describe(const ratchet_option *table, ratchet_buf *out)
{
    size_t count;
    rt_error err;
    if (!out || rt_options_count(table, &count, &err) != RATCHET_OK)
        return RATCHET_ERR;
    if (count == 0)
        return rt_buf_puts(out, "(no options)\n");
    size_t width = 0;
    RT_OPT_FOREACH(o, table)
    {
        if (strlen(o->name) > width)
            width = strlen(o->name);
    }
    width += 3;
    size_t old = out->len;
    RT_OPT_FOREACH(o, table)
    {
        if (describe_one(out, o, width) != RATCHET_OK) {
            if (out->data) {
                out->len = old;
                out->data[old] = '\0';
            }
            return RATCHET_NOMEM;
        }
    }
    return RATCHET_OK;
}

/* A NODE default as YAML under "name:" (nested lines indented below the key). */
static ratchet_status generate_node(ratchet_buf *out, const ratchet_option *o, int indent)
{
    rt_error err;
    rt_node *n = rt_yaml_parse(o->default_value, strlen(o->default_value), "default", &err);
    ratchet_buf text = RATCHET_BUF_INIT;
    ratchet_status rc = RATCHET_NOMEM;
    if (!n)
        return rt_buf_printf(out, "# %s: %s\n", o->name, "<yaml>");
    if (rt_yaml_emit(n, &text) != RATCHET_OK)
        goto done;
    if (n->kind == RATCHET_NODE_SCALAR || n->count == 0) {
        rc = rt_buf_printf(out, "%s: %s", o->name, text.data);
        goto done;
    }
    if (rt_buf_printf(out, "%s:\n", o->name) != RATCHET_OK)
        goto done;
    for (const char *line = text.data; *line;) {
        const char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl + 1 - line) : strlen(line);
        if (put_spaces(out, (size_t)indent + 2) != RATCHET_OK ||
            rt_buf_append(out, line, len) != RATCHET_OK)
            goto done;
        line += len;
    }
    rc = RATCHET_OK;
done:
    rt_buf_free(&text);
    rt_node_free(n);
    return rc;
}

static ratchet_status generate_one(ratchet_buf *out, const ratchet_option *o, int indent)
{
    if (put_spaces(out, (size_t)indent) != RATCHET_OK || rt_buf_puts(out, "#") != RATCHET_OK)
        return RATCHET_NOMEM;
    if (o->doc && *o->doc &&
        (rt_buf_puts(out, " ") != RATCHET_OK || put_line(out, o->doc) != RATCHET_OK))
        return RATCHET_NOMEM;
    if (rt_buf_puts(out, " (") != RATCHET_OK || put_type(out, o, 0) != RATCHET_OK ||
        rt_buf_puts(out, o->required ? ", required)\n" : ")\n") != RATCHET_OK)
        return RATCHET_NOMEM;
    if (put_spaces(out, (size_t)indent) != RATCHET_OK)
        return RATCHET_NOMEM;
    /* Without a default there is nothing true to write: leave a commented placeholder. */
    if (o->required || !o->default_value)
        return rt_buf_printf(out, "# %s: <%s>\n", o->name, rt_option_type_name(o->type));
    if (o->type == RATCHET_OPT_NODE)
        return generate_node(out, o, indent);
    if (rt_buf_printf(out, "%s:", o->name) != RATCHET_OK)
        return RATCHET_NOMEM;
    size_t before = out->len;
    if (rt_buf_puts(out, " ") != RATCHET_OK || put_default(out, o) != RATCHET_OK)
        return RATCHET_NOMEM;
    if (out->len == before + 1) { /* an empty plain default: no trailing blank */
        out->len = before;
        out->data[before] = '\0';
    }
    return rt_buf_puts(out, "\n");
}

ratchet_status rt_options_generate(const ratchet_option *table, int indent, ratchet_buf *out)
{
    size_t count;
    rt_error err;
    if (!out || indent < 0 || rt_options_count(table, &count, &err) != RATCHET_OK)
        return RATCHET_ERR;
    size_t old = out->len;
    RT_OPT_FOREACH(o, table)
    {
        if (generate_one(out, o, indent) != RATCHET_OK) {
            if (out->data) {
                out->len = old;
                out->data[old] = '\0';
            }
            return RATCHET_NOMEM;
        }
    }
    return RATCHET_OK;
}
