/*
 * host/task/task_int.h - what host/task/task.c, task_meta.c and task_zip.c share; not for other
 * callers.
 */
#ifndef RT_TASK_INT_H
#define RT_TASK_INT_H

#include <stddef.h>

#include "task.h"

/* Bounds on what a task package may hold. Each is refused with a message naming the file or
 * entry and the limit, never silently truncated. */
#define RT_TASK_JSON_MAX        ((size_t)1 << 20) /* metadata, schemas, one test file */
#define RT_TASK_CODE_MAX        ((size_t)4 << 20) /* main.js */
#define RT_TASK_TESTS_MAX       1000              /* files in tests/ */
#define RT_TASK_ZIP_ENTRIES_MAX 10000
#define RT_TASK_ZIP_ENTRY_MAX   ((size_t)16 << 20) /* uncompressed, one entry */
#define RT_TASK_ZIP_TOTAL_MAX   ((size_t)64 << 20) /* uncompressed, all entries */
#define RT_TASK_ZIP_NAME_MAX    1024               /* bytes in one entry name */
#define RT_TASK_ZIP_DEPTH_MAX   32                 /* path components in one entry name */
#define RT_TASK_FIND_DEPTH_MAX  16                 /* folder levels rt_task_find descends */
#define RT_TASK_FIND_MAX        10000              /* tasks rt_task_find returns */

/* Where problems go: rt_task_check passes each to fn; rt_task_load keeps the first in err. */
typedef struct rt_task_report {
    rt_task_problem_fn fn; /* may be NULL */
    void *data;
    rt_error *err; /* receives the first problem; may be NULL */
    size_t count;
} rt_task_report;

void rt_task_report_add(rt_task_report *r, const char *fmt, ...) RATCHET_PRINTF(2, 3);

/* task_meta.c */

/* Read a whole regular file of at most `limit` bytes into a malloc'd, NUL-terminated buffer.
 * `disp` is the name used in messages. Returns 1 when read, 0 when the file does not exist and
 * `optional` is set (nothing reported), -1 after reporting a problem. */
int rt_task_read_file(const char *path, const char *disp, size_t limit, int optional, char **out,
                      size_t *len, rt_task_report *r);

/* Parse JSON text (strict RFC 8259, nesting up to 32) into *out (NULL for the literal null).
 * On error reports "<disp>: line L, column C: <reason>" and returns -1; else 0. */
int rt_task_parse_json(const char *text, size_t len, const char *disp, struct json_object **out,
                       rt_task_report *r);

/* Fill name, label, version, uuid, description and tags of t from a parsed metadata.json,
 * reporting every problem. Takes no reference to meta. */
void rt_task_parse_metadata(rt_task *t, struct json_object *meta, const char *disp,
                            rt_task_report *r);

/* The registry's rule for task names: ^[A-Za-z0-9_-]+$ */
int rt_task_valid_name(const char *s);

/* Append one test named `name` (copied) read from `file` (copied; the test file, or meta.yaml)
 * to t->tests, from a parsed test document (borrowed); `disp` names it in messages. */
void rt_task_add_test(rt_task *t, const char *name, const char *file, struct json_object *doc,
                      const char *disp, rt_task_report *r);

/* The UUID used when metadata.json has none: FNV-1a 128 over name, a NUL byte and version,
 * formatted as an RFC 9562 version-8 UUID (lowercase, 36 characters plus NUL). */
void rt_task_uuid_from(const char *name, const char *version, char out[37]);

/* Read and check <dir>/tests/\*.json (sorted by file name), appended to t->tests; `prefix` is
 * what messages put before "tests/<file>". A missing tests folder is no problem. */
void rt_task_load_tests(rt_task *t, const char *dir, const char *prefix, rt_task_report *r);

/* task_yaml.c */

/* Read <dir>/meta.yaml into t (see task_yaml.c): the metadata fields, t->entry, the schemas
 * it gives and its test_cases, reporting each problem as "<prefix>meta.yaml:LINE: KEY: what". */
void rt_task_read_meta_yaml(rt_task *t, const char *dir, const char *prefix, rt_task_report *r);

/* A YAML tree as JSON (plain scalars typed by YAML 1.2's core schema); NULL for null. */
struct json_object *rt_task_yaml_json(const rt_node *n);

/* task_zip.c */

/* Extract a task .zip into a new private folder (mode 0700 under $TMPDIR or /tmp). Every entry
 * is checked before anything is written. On success *tmpdir is that folder and *root the task
 * folder inside it (the folder itself, or its single top folder) plus the message prefix for
 * its files ("x.zip!" or "x.zip!top/"), all malloc'd. On error nothing is left on disk. */
ratchet_status rt_task_zip_extract(const char *zip, char **tmpdir, char **root, char **prefix,
                                   rt_error *err);

/* Remove a folder tree without following symlinks. Best effort: errors are ignored. */
void rt_task_rmtree(const char *dir);

#endif
