/*
 * host/task/program.h - a task version's compiled program: what the executor runs.
 *
 * The task compiler (compiler/jsc.h) turns main.js (ES2015+) into ES5 once, when the version
 * is loaded: by the CLI commands after loading a task, by the registry sync before storing a
 * version (the program is stored with it, keyed by the source checksum and JSC_VERSION), and
 * by the engine for a stored version whose program came from another compiler version.
 * Workers get the program's parts over the pipe and never compile.
 */
#ifndef RT_PROGRAM_H
#define RT_PROGRAM_H

#include <stddef.h>
#include <stdint.h>

#include "core/core_layer.h"
#include "ratchet/executor.h"

typedef struct rt_program {
    char *code;        /* ES5 the executor runs (the author's text when nothing was lowered) */
    size_t code_len;
    char *modules;     /* runtime module names, space-separated ("" when none) */
    char *runtime;     /* their text, or NULL when none */
    size_t runtime_len;
    uint32_t *line_map; /* generated line -> author's line:column (NULL: code is the source) */
    size_t line_map_lines;
    char *map_text;    /* the line map as compact text (NULL when none), for storage and IPC */
    int lowered;       /* the source used ES2015+ syntax */
    char *filename;    /* how messages and stack traces name the code; NULL: "main.js" */
} rt_program;

/* The version tag stored with compiled programs: a program stored under another tag is
 * compiled again. */
const char *rt_program_compiler(void);

/* Compile `len` bytes of main.js. On a syntax error or an unsupported feature: NULL and
 * err->msg "main.js:LINE:COL: message". The caller frees the result with rt_program_free. */
rt_program *rt_program_compile(const char *src, size_t len, rt_error *err);

/* The same for code named `filename` in messages and stack traces ("task.js",
 * "greeting.zip!main.js"; NULL: "main.js"): err->msg is "FILENAME:LINE:COL: message". */
rt_program *rt_program_compile_named(const char *src, size_t len, const char *filename,
                                     rt_error *err);

/* Rebuild a program from its stored parts (worker side): `code` as compiled, `modules` (NULL
 * or "" for none), `map_text` (NULL for none). NULL with err set for an unknown module or a
 * malformed map. */
rt_program *rt_program_from_parts(const char *code, const char *modules, const char *map_text,
                                  rt_error *err);

void rt_program_free(rt_program *p);

/* Point src's code, runtime, line map and file name at p's (borrowed: p must outlive src's
 * use). */
void rt_program_source(const rt_program *p, const char *task_name, ratchet_task_source *src);

#endif
