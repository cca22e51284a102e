/*
 * host/engine/registry_index.h - the index.json of an HTTP task registry: reading it
 * (registry_index.c) and the URL arithmetic it needs.
 *
 * Format, version 1 (what `ratchet registry serve-index` writes):
 *
 *   {"registry": 1,
 *    "tasks": [{"name": "addition", "version": "1.0.0", "description": "Adds two numbers",
 *               "url": "addition-1.0.0.zip", "sha256": "<64 hex digits>", "size": 1234}]}
 *
 * name ([A-Za-z0-9_-]+), version and url are required; url is relative to the index's own URL
 * or an absolute http(s) URL; sha256 (of the zip) and size (its bytes) are checked when given;
 * description is shown; other keys are ignored (later versions may add some). The same name
 * and version listed twice is an error for the second entry.
 */
#ifndef RT_REGISTRY_INDEX_H
#define RT_REGISTRY_INDEX_H

#include <stddef.h>
#include <stdint.h>

#include "core/core_layer.h"

#define RT_REG_FORMAT          1
#define RT_REG_INDEX_MAX_BYTES ((size_t)8 << 20) /* an index.json larger than this is refused */
#define RT_REG_INDEX_MAX_TASKS 10000

typedef struct rt_reg_entry {
    char *name;
    char *version;
    char *description; /* NULL when absent */
    char *url;         /* resolved: absolute http(s) */
    char sha256[65];   /* lowercase hex, "" when the index gives none */
    int64_t size;      /* bytes, -1 when the index gives none */
} rt_reg_entry;

typedef struct rt_reg_index {
    rt_reg_entry *tasks;
    size_t ntasks;
} rt_reg_index;

/* Called for each entry that is dropped, with a message naming it ("tasks[2].sha256: expected
 * 64 hex digits, got 'abc'"). */
typedef void (*rt_reg_entry_problem_fn)(void *data, const char *message);

/* Parse `len` bytes of index text fetched from `index_url`. Entries with a problem are
 * reported to `bad` (may be NULL) and left out; the rest is kept. RATCHET_ERR (err->msg says
 * why, *out empty) when the document itself is not an index: not JSON, not an object, no
 * "registry": 1, no "tasks" list, too large. Free *out with rt_reg_index_free. */
ratchet_status rt_reg_index_parse(const char *text, size_t len, const char *index_url,
                                  rt_reg_index *out, rt_reg_entry_problem_fn bad, void *data,
                                  rt_error *err);
void rt_reg_index_free(rt_reg_index *ix);

/* `ref` resolved against the absolute http(s) URL `base` (RFC 3986 section 5.2: "x.zip",
 * "../x.zip", "/x.zip", "//host/x.zip", "https://host/x.zip"). Only http and https results
 * are accepted. Returns a malloc'd URL, or NULL with err->msg saying why. */
char *rt_reg_url_resolve(const char *base, const char *ref, rt_error *err);

/* The scheme, host and port of two URLs are the same (credentials go only to the index's
 * own origin). */
int rt_reg_same_origin(const char *a, const char *b);

/* A task name as an index accepts it: [A-Za-z0-9_-]+, at most 128 bytes. */
int rt_reg_valid_name(const char *s);
/* A version as an index accepts it: [A-Za-z0-9._+~-]+, at most 64 bytes. */
int rt_reg_valid_version(const char *s);

#endif
