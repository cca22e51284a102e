/*
 * host/task/compiler/runtime.h - the runtime modules compiled tasks run with.
 *
 * The modules are the files runtime/NAME.js (see runtime/README.md), embedded at build time by
 * runtime/embed.cmake into a table. The compiler asks which modules a task's names trigger
 * (jsc_runtime_triggered), adds the modules its own lowering needs, and gets the text to run
 * before the task's code from jsc_runtime_select (dependencies first, each module once); the
 * executor loads that text in every execution (ratchet_task_source.runtime).
 *
 * Threading: the table is constant; every function here is reentrant.
 */
#ifndef JSC_RUNTIME_H
#define JSC_RUNTIME_H

#include <stddef.h>

/* One module: its header fields as written in the file (space-separated names) and its
 * text (NUL-terminated; len excludes the NUL). Static storage. */
typedef struct jsc_runtime_module {
    const char *name;     /* "map" */
    const char *needs;    /* "collection" or "" */
    const char *triggers; /* "Map"; a trigger "a&b" fires only when both names occur */
    const char *text;
    size_t len;
    /* What the module defines on objects that exist before it runs, for lazy loading:
     * "Map", "String.prototype.padStart", "Array.prototype.@@iterator" or "" (see
     * runtime/README.md). */
    const char *defines;
} jsc_runtime_module;

/* The generated table (jsc_runtime_modules.c), sorted by name. */
extern const jsc_runtime_module jsc_runtime_modules[];
extern const size_t jsc_runtime_nmodules;

/* The module called `name`, or NULL. */
const jsc_runtime_module *jsc_runtime_find(const char *name);

/* The name of the module whose `defines` lists `name` ("$jsc_method" -> "class-method"), or
 * NULL: lowering passes need a helper this way, so that a task gets only the modules of the
 * helpers its code calls. Static storage. */
const char *jsc_runtime_module_of(const char *name);

/*
 * The text of the modules `names[0..n)` and of everything they need, each once, every module
 * after the ones it needs, concatenated (each followed by a newline). Each module's text is
 * preceded by one marker line, "// module: NAME | NEEDS | DEFINES" (space-separated words;
 * JSX_LAZY in the executor reads it to load modules lazily; to an engine it is a comment). Duplicates in `names`
 * are fine. On success returns 0 and sets *out to a malloc'd NUL-terminated string the caller
 * frees with free() (an empty string when n is 0), and *out_len to its length. On failure
 * (an unknown module, a cycle in `needs`, out of memory) returns -1 with *out = NULL and the
 * reason in err (when errlen > 0).
 */
int jsc_runtime_select(const char *const *names, size_t n, char **out, size_t *out_len,
                       char *err, size_t errlen);

/*
 * Which modules a source triggers: calls need(need_data, module) once for each module one of
 * whose triggers is satisfied, i.e. has_name(data, name) is nonzero for the trigger's name
 * (for "a&b": for every one of its names). has_name answers whether an identifier or property
 * name occurs in the task's source. The modules they need are not reported: pass the names to
 * jsc_runtime_select, which adds them. `module` is static storage.
 */
void jsc_runtime_triggered(int (*has_name)(void *data, const char *name), void *data,
                           void (*need)(void *data, const char *module), void *need_data);

#endif
