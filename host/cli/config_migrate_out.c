/* host/cli/config_migrate_out.c - the model of `ratchet config migrate` (config_migrate.h)
 * written as ratchet.yaml with comments, and the report. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_migrate.h"

static char *dup_or_null(mig_ctx *m, const char *s)
{
    if (!s)
        return NULL;
    char *d = strdup(s);
    if (!d)
        m->oom = 1;
    return d;
}

void mig_report(mig_ctx *m, mig_status st, const char *key, const char *fmt, ...)
{
    mig_report_line *grown = realloc(m->lines, (m->nlines + 1) * sizeof *grown);
    if (!grown) {
        m->oom = 1;
        return;
    }
    m->lines = grown;
    mig_report_line *l = &grown[m->nlines++];
    memset(l, 0, sizeof *l);
    l->status = st;
    l->key = dup_or_null(m, key);
    if (fmt) {
        ratchet_buf b = RATCHET_BUF_INIT;
        va_list ap;
        va_start(ap, fmt);
        if (rt_buf_vprintf(&b, fmt, ap) != RATCHET_OK)
            m->oom = 1;
        va_end(ap);
        l->text = b.data; /* the buffer's text, now the line's */
    }
}

void mig_set(mig_ctx *m, mig_block *b, const char *key, const char *value, const char *comment)
{
    for (size_t i = 0; i < b->n; i++)
        if (strcmp(b->entries[i].key, key) == 0) { /* a later key wins, as in the original */
            free(b->entries[i].value);
            free(b->entries[i].comment);
            b->entries[i].value = dup_or_null(m, value);
            b->entries[i].comment = dup_or_null(m, comment);
            return;
        }
    mig_entry *grown = realloc(b->entries, (b->n + 1) * sizeof *grown);
    if (!grown) {
        m->oom = 1;
        return;
    }
    b->entries = grown;
    grown[b->n].key = dup_or_null(m, key);
    grown[b->n].value = dup_or_null(m, value);
    grown[b->n].comment = dup_or_null(m, comment);
    b->n++;
}

mig_block *mig_instance(mig_ctx *m, const char *name, const char *plugin, const char *comment)
{
    mig_block *grown = realloc(m->instances, (m->ninstances + 1) * sizeof *grown);
    if (!grown) {
        m->oom = 1;
        return NULL;
    }
    m->instances = grown;
    mig_block *b = &grown[m->ninstances++];
    memset(b, 0, sizeof *b);
    b->name = dup_or_null(m, name);
    b->plugin = plugin;
    b->comment = dup_or_null(m, comment);
    return b;
}

int mig_has_plugin(const mig_ctx *m, const char *plugin)
{
    return !m->reg || rt_registry_find(m->reg, plugin) != NULL;
}

/* `text` as comment lines of about 96 columns, cut at spaces: the first line starts with
 * `first`, the others with `next` (both include the '#'). */
static void comment_text(ratchet_buf *out, const char *first, const char *next, const char *text)
{
    const char *prefix = first;
    while (*text) {
        const size_t width = 96 - strlen(prefix);
        size_t len = strlen(text);
        if (len > width) {
            size_t cut = width;
            while (cut > 20 && text[cut] != ' ')
                cut--;
            len = text[cut] == ' ' ? cut : width;
        }
        rt_buf_printf(out, "%s%.*s\n", prefix, (int)len, text);
        text += len;
        while (*text == ' ')
            text++;
        prefix = next;
    }
}

/* "# text" lines at `indent`. */
static void comment_lines(ratchet_buf *out, const char *indent, const char *text)
{
    char prefix[32];
    snprintf(prefix, sizeof prefix, "%s# ", indent);
    comment_text(out, prefix, prefix, text);
}

static void write_entries(ratchet_buf *out, const mig_block *b, const char *indent)
{
    for (size_t i = 0; i < b->n; i++) {
        const mig_entry *e = &b->entries[i];
        rt_buf_printf(out, "%s%s: %s", indent, e->key, e->value ? e->value : "");
        if (e->comment)
            rt_buf_printf(out, "  # %s", e->comment);
        rt_buf_puts(out, "\n");
    }
}

ratchet_status mig_write_yaml(const mig_ctx *m, const char *generated_from, ratchet_buf *out)
{
    rt_buf_printf(out, "# ratchet.yaml - migrated from %s by `ratchet config migrate`.\n#\n",
                  generated_from);
    comment_lines(out, "",
                  "A comment on a line names the key of the original Ratchet it comes from when "
                  "its name or meaning changed. The command's report lists every key of the "
                  "original: mapped, dropped (with the reason) or left for you to decide. "
                  "Relative paths are read from this file's folder (the original read them from "
                  "its working directory). Check with `ratchet config validate FILE`.");
    int header = 0;
    for (size_t i = 0; i < m->nlines; i++) {
        if (m->lines[i].status != MIG_DECIDE)
            continue;
        if (!header)
            rt_buf_puts(out, "#\n# To decide:\n");
        header = 1;
        ratchet_buf line = RATCHET_BUF_INIT;
        rt_buf_printf(&line, "%s: %s", m->lines[i].key, m->lines[i].text);
        comment_text(out, "#   - ", "#     ", line.data ? line.data : "");
        rt_buf_free(&line);
    }
    const mig_block *sections[] = {&m->execution, &m->engine, &m->logging};
    for (size_t s = 0; s < sizeof sections / sizeof *sections; s++) {
        if (!sections[s]->n)
            continue;
        rt_buf_printf(out, "\n%s:\n", sections[s]->name);
        write_entries(out, sections[s], "  ");
    }
    if (m->ninstances)
        rt_buf_puts(out, "\ninstances:\n");
    for (size_t i = 0; i < m->ninstances; i++) {
        const mig_block *b = &m->instances[i];
        if (b->comment)
            comment_lines(out, "  ", b->comment);
        rt_buf_printf(out, "  - name: %s\n    plugin: %s\n", b->name, b->plugin);
        if (b->n) {
            rt_buf_puts(out, "    options:\n");
            write_entries(out, b, "      ");
        }
    }
    return m->oom ? RATCHET_NOMEM : RATCHET_OK;
}

static const char *const status_word[] = {"mapped", "dropped", "decide", "unknown"};

ratchet_status mig_write_report(const mig_ctx *m, ratchet_buf *out)
{
    size_t count[4] = {0, 0, 0, 0};
    for (size_t i = 0; i < m->nlines; i++) {
        const mig_report_line *l = &m->lines[i];
        count[l->status]++;
        if (l->status == MIG_MAPPED)
            rt_buf_printf(out, "%-8s%s %s\n", status_word[l->status], l->key, l->text);
        else if (l->status == MIG_UNKNOWN)
            rt_buf_printf(out,
                          "%-8s%s: not a key of the original Ratchet's configuration; "
                          "left out\n",
                          status_word[l->status], l->key);
        else
            rt_buf_printf(out, "%-8s%s: %s\n", status_word[l->status], l->key, l->text);
    }
    rt_buf_printf(out, "%zu keys: %zu mapped, %zu dropped, %zu to decide, %zu unknown\n", m->nlines,
                  count[MIG_MAPPED], count[MIG_DROPPED], count[MIG_DECIDE], count[MIG_UNKNOWN]);
    return m->oom ? RATCHET_NOMEM : RATCHET_OK;
}

static void free_block(mig_block *b)
{
    for (size_t i = 0; i < b->n; i++) {
        free(b->entries[i].key);
        free(b->entries[i].value);
        free(b->entries[i].comment);
    }
    free(b->entries);
    free(b->name);
    free(b->comment);
}

void mig_free(mig_ctx *m)
{
    for (size_t i = 0; i < m->nlines; i++) {
        free(m->lines[i].key);
        free(m->lines[i].text);
    }
    free(m->lines);
    free_block(&m->execution);
    free_block(&m->engine);
    free_block(&m->logging);
    free_block(&m->web);
    for (size_t i = 0; i < m->ninstances; i++)
        free_block(&m->instances[i]);
    free(m->instances);
    free(m->address);
    free(m->port);
    free(m->tls_cert);
    free(m->tls_key);
    free(m->server_url);
    rt_node_free(m->tasks);
    memset(m, 0, sizeof *m);
}
