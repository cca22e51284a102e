/*
 * host/task/compiler/jsc.h - the task compiler's interface: ES2020 script in, ES5 out.
 *
 * A task's main.js is compiled once when its version is loaded; the result (ES5 code, the
 * runtime modules it needs and a line map back to the author's source) is what executors
 * run. Plain ES5 that needs no runtime comes back unchanged (no line map), so such tasks pay
 * nothing. Thread-safe: a compilation shares nothing with another.
 */
#ifndef JSC_H
#define JSC_H

#include <stddef.h>
#include <stdint.h>

/* Bumped whenever the output for some input changes: stored results are keyed by it. */
#define JSC_VERSION "jsc-1"

typedef struct jsc_output {
    char *code;          /* ES5 program (malloc'd, NUL-terminated) */
    size_t code_len;
    char *runtime;       /* the runtime modules it needs, concatenated; NULL when none */
    size_t runtime_len;
    char *modules;       /* their names, space-separated ("" when none): what is stored and
                            sent to workers, which rebuild `runtime` with jsc_runtime_text */
    uint32_t *line_map;  /* 2 entries per generated line (original line, column); NULL when
                            `code` is the original text */
    size_t line_map_lines;
    int lowered;         /* 1 when the source used ES2015+ syntax */
    /* On failure: "LINE:COL: message" parts; line/col 0 when unknown. */
    uint32_t err_line, err_col;
    char err_msg[512];
} jsc_output;

/* Compile `src` (UTF-8, `len` bytes). Returns 1 and fills *out, or 0 with out->err_* set (a
 * syntax error, an unsupported feature, or "out of memory"). Free with jsc_output_free in
 * both cases. */
int jsc_compile(const char *src, size_t len, jsc_output *out);
void jsc_output_free(jsc_output *out);

/* The runtime text for space-separated module names (as in jsc_output.modules), dependencies
 * first. Returns a malloc'd string (*len set), or NULL with `why` filled for an unknown name
 * or no memory. "" gives an empty string. */
char *jsc_runtime_text(const char *modules, size_t *len, char *why, size_t whylen);

/* The line map as compact text (linemap.c) and back. encode: malloc'd, NULL when out of
 * memory. decode: 1 and a malloc'd array of 2 * *lines entries (NULL/0 for ""), or 0 for
 * malformed text. */
char *jsc_map_encode(const uint32_t *map, size_t lines);
int jsc_map_decode(const char *text, uint32_t **map, size_t *lines);

#endif /* JSC_H */
