/*
 * host/engine/task_cache.h - the task versions the engine has sent to workers, read from storage
 * once each (versions never change) with their output schema compiled and their program ready.
 *
 * Threading: one cache belongs to the engine loop's thread.
 */
#ifndef RT_TASK_CACHE_H
#define RT_TASK_CACHE_H

#include <json-c/json.h>

#include "core/core_layer.h"
#include "ratchet/storage.h"
#include "task/task_layer.h"

typedef struct rt_cached_task {
    int64_t id;
    struct json_object *rec;  /* task_version_get record: name, version, uuid, code, schemas */
    rt_schema *output_schema; /* compiled once; NULL when the task has none */
    /* The compiled program sent to workers: borrowed from rec's "program" when it was stored by
     * this compiler version, else from `own` (compiled here once). NULL code: compile_error. */
    const char *code, *modules, *map;
    const char *file; /* how messages name the code (program "file"); NULL: "main.js" */
    rt_program *own;
    char *compile_error;
    /* how long its executions take here: a moving average over the last few (loop thread) */
    double avg_ms;
    int64_t runs;
} rt_cached_task;

typedef struct rt_task_cache {
    const ratchet_storage_vtable *vt; /* borrowed: where versions are read from */
    void *si;
    rt_cached_task *tasks;
    size_t count;
} rt_task_cache;

/* The version `id`, read and prepared on first use; NULL when storage has no such version or
 * memory ran out. The pointer is valid until the next rt_task_cache_get (the array grows). */
rt_cached_task *rt_task_cache_get(rt_task_cache *c, int64_t id);
/* Free every entry (the cache itself is the caller's). */
void rt_task_cache_free(rt_task_cache *c);

/* 1 when `output` matches the version's output schema (or it has none); else 0 with the
 * first errors ("does not match output.schema.json: /sum: type: ...") appended to why. */
int rt_cached_task_output_ok(const rt_cached_task *t, struct json_object *output, ratchet_buf *why);

/* A string member of a record, or NULL. */
const char *rt_rec_str(struct json_object *rec, const char *key);

#endif
