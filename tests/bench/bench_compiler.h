/*
 * tests/bench/bench_compiler.h - shared between bench_compiler.c (the figures and the table)
 * and bench_compiler_corpus.c (the corpus programs compiled in figure 1, and the text buffer
 * and file reading both use). Single-threaded; every malloc'd result is the caller's to free.
 */
#ifndef BENCH_COMPILER_H
#define BENCH_COMPILER_H

#include <stddef.h>

#include <ratchet/plugin.h>

/* A growing NUL-terminated buffer; {0} is empty; s is malloc'd. */
typedef struct text {
    char *s;
    size_t len, cap;
} text;

/* Append n bytes; -1 when out of memory. */
int bench_text_add(text *t, const char *s, size_t n);
/* Append the head `fmt` (formatted with k), body, and the wrapper's end: one corpus program
 * as `var main_K = (function () {\nBODY\nreturn main;\n}());`. */
int bench_text_addf(text *t, const char *fmt, int k, const char *body, size_t n);
/* The whole file (malloc'd; "" when empty), NULL when it cannot be read. */
char *bench_read_file(const char *path);

/* Heap accounting (bench_compiler_heap.c): bytes MuJS asks for in every state created between
 * bench_heap_start and bench_heap_stop. */
typedef struct heap_count {
    size_t live, peak, total, allocs;
} heap_count;
void bench_heap_start(void);
void bench_heap_stop(heap_count *out);
/* Nonzero when some state could not be counted (the figures are incomplete). */
int bench_heap_missed(void);
/* The real js_newstate (the benchmark links with --wrap=js_newstate): a state never counted. */
struct js_State;
struct js_State *__real_js_newstate(void *(*alloc)(void *, void *, int), void *actx, int flags);

/* A line printed under the table (bench_compiler.c). */
void bench_note(const char *fmt, ...) RATCHET_PRINTF(1, 2);

/* The corpus programs (tests/js/corpus/TOPIC/NAME.js). */
typedef struct corpus {
    char **files; /* contents, by topic then name */
    int *topic_of;
    int nfiles, ntopics;
} corpus;

/* The files of every topic but `es5` that the compiler accepts (es5 != 0: the files of
 * `es5`); -1 when there are none. Free with bench_corpus_free. */
int bench_corpus_load(corpus *c, const char *root, int es5);
void bench_corpus_free(corpus *c);
/* At least `target` bytes of wrapped corpus programs (malloc'd), *len its length. */
char *bench_corpus_source(const corpus *c, size_t target, size_t *len);

#endif /* BENCH_COMPILER_H */
