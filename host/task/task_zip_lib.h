/*
 * host/task/task_zip_lib.h - libzip, loaded on the first .zip opened rather than linked: it
 * pulls in libcrypto, libbz2 and libz, whose loading and relocation cost every start of
 * `ratchet` (even `--version`) while most runs never open a zip. Include after <zip.h>; the
 * calls below keep libzip's names and go through a table. Threading: the load happens once
 * (pthread_once); the table is read-only afterwards.
 */
#ifndef RT_TASK_ZIP_LIB_H
#define RT_TASK_ZIP_LIB_H

#include <zip.h>

typedef struct rt_zip_lib {
    zip_t *(*open)(const char *path, int flags, int *errorp);
    zip_int64_t (*get_num_entries)(zip_t *za, zip_flags_t flags);
    int (*stat_index)(zip_t *za, zip_uint64_t index, zip_flags_t flags, zip_stat_t *st);
    const char *(*get_name)(zip_t *za, zip_uint64_t index, zip_flags_t flags);
    int (*file_get_external_attributes)(zip_t *za, zip_uint64_t index, zip_flags_t flags,
                                        zip_uint8_t *opsys, zip_uint32_t *attributes);
    zip_file_t *(*fopen_index)(zip_t *za, zip_uint64_t index, zip_flags_t flags);
    zip_int64_t (*fread)(zip_file_t *zf, void *buf, zip_uint64_t n);
    int (*fclose)(zip_file_t *zf);
    const char *(*file_strerror)(zip_file_t *zf);
    const char *(*strerror)(zip_t *za);
    void (*discard)(zip_t *za);
    void (*error_init_with_code)(zip_error_t *ze, int code);
    const char *(*error_strerror)(zip_error_t *ze);
    void (*error_fini)(zip_error_t *ze);
    /* Writing (task_zip_write.c). */
    zip_source_t *(*source_file)(zip_t *za, const char *path, zip_uint64_t start, zip_int64_t len);
    void (*source_free)(zip_source_t *src);
    zip_int64_t (*file_add)(zip_t *za, const char *name, zip_source_t *src, zip_flags_t flags);
    int (*file_set_mtime)(zip_t *za, zip_uint64_t index, time_t mtime, zip_flags_t flags);
    int (*file_set_external_attributes)(zip_t *za, zip_uint64_t index, zip_flags_t flags,
                                        zip_uint8_t opsys, zip_uint32_t attributes);
    int (*close)(zip_t *za);
} rt_zip_lib;

/* The table, or NULL with the reason (static text) in *why when libzip cannot be loaded. */
const rt_zip_lib *rt_zip_lib_get(const char **why);

#endif
