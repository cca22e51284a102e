/*
 * mujs_lines.c - messages and stack traces of compiled tasks in terms of the author's code.
 *
 * The host compiles an ES2015+ task to ES5 and gives the executor a line map: generated line
 * i+1 of main.js came from the author's line map[2i], column map[2i+1]. MuJS names positions
 * "main.js:LINE" (stack frames "\tat f (main.js:3)", syntax errors "main.js:3: ..."); each
 * becomes "main.js:LINE:COL" of the author's source. A generated line without a position of
 * its own takes the one of the nearest line above that has one (the printer splits one
 * author statement over several lines).
 *
 * Frames inside the runtime (file "ratchet:runtime": Promise internals, Map, ...) are
 * dropped, and so is a native frame the runtime called into (Function.prototype.call), so
 * that a user sees the path through their own code only. Frames are read-only text here:
 * nothing about them is trusted beyond their shape.
 */
#include <stdio.h>
#include <string.h>

#include "mujs_exec.h"

/* Whether the `len` bytes at s contain `needle`. */
static int jsx_span_has(const char *s, size_t len, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; n <= len && i <= len - n; i++)
        if (memcmp(s + i, needle, n) == 0)
            return 1;
    return 0;
}

static int jsx_is_frame(const char *s, size_t len)
{
    return len >= 4 && memcmp(s, "\tat ", 4) == 0;
}

static int jsx_is_runtime_frame(const char *s, size_t len)
{
    return jsx_is_frame(s, len) && jsx_span_has(s, len, JSX_RUNTIME_FILE ":");
}

static int jsx_is_native_frame(const char *s, size_t len)
{
    return jsx_is_frame(s, len) && len >= 8 && memcmp(s + len - 8, "(native)", 8) == 0;
}

/* A runtime helper implemented in C (mujs_native.c): "\tat $jsc_class_call (native)". */
static int jsx_is_helper_frame(const char *s, size_t len)
{
    return jsx_is_native_frame(s, len) && jsx_span_has(s, len, "at $jsc_");
}

/* The author's position of generated line g (1-based): 0 when the map has none. */
static uint32_t jsx_map_line(const mujs_program *p, unsigned long g, uint32_t *col)
{
    *col = 0;
    if (g == 0)
        return 0;
    for (unsigned long i = g <= p->line_map_lines ? g : p->line_map_lines; i > 0; i--) {
        if (p->line_map[2 * (i - 1)] > 0) {
            *col = i == g ? p->line_map[2 * (i - 1) + 1] : 0;
            return p->line_map[2 * (i - 1)];
        }
    }
    return 0;
}

/* Append one line (without its newline) with "<file>:<N>" rewritten. */
static ratchet_status jsx_map_line_text(const mujs_program *p, ratchet_buf *b, const char *s,
                                        size_t len)
{
    const char *file = p->filename;
    size_t fl = strlen(file), at = 0, i = 0;
    ratchet_status st = RATCHET_OK;

    while (p->line_map && fl > 0 && i + fl < len && st == RATCHET_OK) {
        if (memcmp(s + i, file, fl) != 0 || s[i + fl] != ':' || i + fl + 1 >= len ||
            s[i + fl + 1] < '0' || s[i + fl + 1] > '9') {
            i++;
            continue;
        }
        size_t j = i + fl + 1;
        unsigned long g = 0;
        while (j < len && s[j] >= '0' && s[j] <= '9' && g < 100000000)
            g = g * 10 + (unsigned long)(s[j++] - '0');
        if (j < len && ((s[j] >= '0' && s[j] <= '9') ||
                        (s[j] == ':' && j + 1 < len && s[j + 1] >= '0' && s[j + 1] <= '9'))) {
            i = j; /* already "file:L:C", or a number too long to be a line */
            continue;
        }
        uint32_t col, line = jsx_map_line(p, g, &col);
        if (line > 0) {
            st = mujs_host->buf_append(b, s + at, i + fl + 1 - at);
            if (st == RATCHET_OK)
                st = col > 0 ? mujs_host->buf_printf(b, "%u:%u", (unsigned)line, (unsigned)col)
                             : mujs_host->buf_printf(b, "%u", (unsigned)line);
            at = j;
        }
        i = j;
    }
    if (st == RATCHET_OK)
        st = mujs_host->buf_append(b, s + at, len - at);
    return st;
}

char *jsx_map_positions(const mujs_program *p, const char *text)
{
    if (!text || (!p->runtime && !p->line_map))
        return NULL;
    ratchet_buf b = RATCHET_BUF_INIT;
    ratchet_status st = mujs_host->buf_append(&b, "", 0);
    const char *s = text;
    int first = 1;

    while (st == RATCHET_OK && *s) {
        const char *nl = strchr(s, '\n');
        size_t len = nl ? (size_t)(nl - s) : strlen(s);
        const char *next = nl ? nl + 1 : s + len;
        size_t nlen = 0;
        if (nl) {
            const char *nn = strchr(next, '\n');
            nlen = nn ? (size_t)(nn - next) : strlen(next);
        }
        int drop = p->runtime && (jsx_is_runtime_frame(s, len) || jsx_is_helper_frame(s, len) ||
                                  (jsx_is_native_frame(s, len) && nl &&
                                   jsx_is_runtime_frame(next, nlen)));
        if (!drop) {
            if (!first)
                st = mujs_host->buf_append(&b, "\n", 1);
            if (st == RATCHET_OK)
                st = jsx_map_line_text(p, &b, s, len);
            first = 0;
        }
        /* An empty line keeps its place: "\n\tat ..." traces start with one. */
        if (nl && *next == '\0' && st == RATCHET_OK)
            st = mujs_host->buf_append(&b, "\n", 1);
        s = next;
    }
    if (st != RATCHET_OK) {
        mujs_host->buf_free(&b);
        return NULL;
    }
    return b.data;
}

static void jsx_map_field(const mujs_program *p, char **field)
{
    char *mapped = jsx_map_positions(p, *field);
    if (mapped) {
        mujs_host->free(*field);
        *field = mapped;
    }
}

void jsx_map_result(const mujs_program *p, ratchet_exec_result *r)
{
    if (!p->runtime && !p->line_map)
        return;
    jsx_map_field(p, &r->error_message);
    jsx_map_field(p, &r->error_stack);
}
