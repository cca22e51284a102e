/*
 * tests/fuzz/fuzz_common.h - what the fuzz targets share: the libFuzzer entry point, splitting
 * one input into several fields, and a private scratch folder.
 *
 * Every target is one tests/fuzz/fuzz_<name>.c defining LLVMFuzzerTestOneInput. Built with
 * RATCHET_FUZZ (clang, the "fuzz" preset) it links libFuzzer; otherwise replay_main.c drives it
 * over the seed corpus, so every build replays tests/fuzz/corpus/<name>/ as a regression test.
 *
 * Checks use FUZZ_CHECK, not assert(): they must hold in release builds too, and a failure must
 * reach libFuzzer as a crash (abort) with the condition printed.
 */
#ifndef RATCHET_FUZZ_COMMON_H
#define RATCHET_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond)                                                                           \
    do {                                                                                           \
        if (!(cond))                                                                               \
            fuzz_check_failed(#cond, __FILE__, __LINE__);                                          \
    } while (0)

void fuzz_check_failed(const char *what, const char *file, int line);

/* Fields of one input, separated by lines holding only FUZZ_SEP ("\n%%\n" between fields).
 * Each field is copied NUL-terminated (the copy is freed by fuzz_fields_free). Fields past
 * `max` stay in the last one. */
#define FUZZ_SEP       "\n%%\n"
#define FUZZ_MAX_FIELD 8

typedef struct fuzz_fields {
    char *f[FUZZ_MAX_FIELD];
    size_t len[FUZZ_MAX_FIELD];
    size_t n;
} fuzz_fields;

void fuzz_split(const uint8_t *data, size_t size, size_t max, fuzz_fields *out);
void fuzz_fields_free(fuzz_fields *ff);

/* A NUL-terminated malloc'd copy (never NULL: aborts when out of memory). */
char *fuzz_strndup(const uint8_t *data, size_t size);

/* A private folder made once per process under /tmp (or $RATCHET_FUZZ_TMP); removed at exit. */
const char *fuzz_scratch(void);

/* Write (or replace) a file; returns 0 on success. */
int fuzz_write_file(const char *path, const void *data, size_t len);

/* Remove everything below `dir` (not dir itself). */
void fuzz_empty_dir(const char *dir);

#endif
