/* host/engine/analysis_source.c - the stack of a failed execution in the author's lines: each
 * frame "at NAME (main.js:LINE:COL)" (the executor already maps compiled positions back to
 * main.js, see the task compiler's line_map) paired with the lines of main.js around it. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"

#define MAX_FRAMES 20
#define MAX_LINE   300 /* longer source lines are cut */

/* Line `n` (1-based) of code into [*start, *start + *len); 0 when there is none. */
static int line_of(const char *code, long n, const char **start, size_t *len)
{
    const char *p = code;
    for (long i = 1; p && i < n; i++) {
        p = strchr(p, '\n');
        if (p)
            p++;
    }
    if (!p || (!*p && n > 1))
        return 0;
    *start = p;
    *len = strcspn(p, "\n");
    if (*len && p[*len - 1] == '\r')
        (*len)--;
    return 1;
}

/* A source line as text, its secrets masked (a key written into the code must not reach a
 * report meant for an LLM); NULL text when masking failed. */
static struct json_object *line_text(const char *start, size_t len)
{
    char buf[MAX_LINE + 1];
    snprintf(buf, sizeof buf, "%.*s", (int)(len > MAX_LINE ? MAX_LINE : len), start);
    int failed = 0;
    char *masked = rt_mask_text(buf, &failed);
    struct json_object *t = failed ? json_object_new_string(RT_MASK_REDACTED)
                                   : json_object_new_string(masked ? masked : buf);
    free(masked);
    return t;
}

static struct json_object *source_lines(const char *code, long line, int context)
{
    struct json_object *lines = json_object_new_array();
    for (long n = line - context; code && n <= line + context; n++) {
        const char *start;
        size_t len;
        if (n < 1 || !line_of(code, n, &start, &len))
            continue;
        struct json_object *l = json_object_new_object();
        json_object_object_add(l, "line", json_object_new_int64(n));
        json_object_object_add(l, "text", line_text(start, len));
        json_object_object_add(l, "failing", json_object_new_boolean(n == line));
        json_object_array_add(lines, l);
    }
    return lines;
}

/* One frame of the stack text [p, p + len), or NULL when it has no main.js position. */
static struct json_object *frame_of(const char *p, size_t len, const char *code, int context)
{
    const char *at = NULL;
    for (const char *q = p; q + 8 < p + len; q++)
        if (strncmp(q, "main.js:", 8) == 0 && isdigit((unsigned char)q[8])) {
            at = q;
            break;
        }
    if (!at)
        return NULL;
    char *end;
    long line = strtol(at + 8, &end, 10), col = 0;
    if (*end == ':' && isdigit((unsigned char)end[1]))
        col = strtol(end + 1, NULL, 10);
    while (len && isspace((unsigned char)*p)) {
        p++;
        len--;
    }
    struct json_object *f = json_object_new_object();
    json_object_object_add(f, "text", json_object_new_string_len(p, (int)len));
    json_object_object_add(f, "file", json_object_new_string("main.js"));
    json_object_object_add(f, "line", json_object_new_int64(line));
    json_object_object_add(f, "column", col ? json_object_new_int64(col) : NULL);
    json_object_object_add(f, "source", source_lines(code, line, context));
    return f;
}

struct json_object *rt_analysis_frames(const char *stack, const char *code, int context)
{
    struct json_object *frames = json_object_new_array();
    for (const char *p = stack; p && *p && json_object_array_length(frames) < MAX_FRAMES;) {
        size_t len = strcspn(p, "\n");
        struct json_object *f = frame_of(p, len, code, context);
        if (f)
            json_object_array_add(frames, f);
        p += len + (p[len] == '\n');
    }
    return frames;
}
