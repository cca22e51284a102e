/*
 * host/engine/api_int.h - what the files of the ratchet.engine implementation (api_*.c) share:
 * the rt_api itself, the current one, error objects, queries, and the task-version cache.
 * Not part of the engine layer's interface (api.h is).
 */
#ifndef RT_API_INT_H
#define RT_API_INT_H

#include <json-c/json.h>
#include <pthread.h>

#include "api.h"
#include "jobspec.h"
#include "task/task_layer.h"

/* A stored task version as the API uses it (versions never change, so it is kept). */
typedef struct api_version {
    int64_t id;
    /* task_version_get record, program removed. Shared by every thread: read its members,
     * copy them (rt_api_member_copy), never json_object_get or serialise it (json-c's
     * reference counts and print buffers are not thread-safe); `text` is its JSON. */
    struct json_object *rec;
    char *text;
    rt_schema *input;        /* compiled input schema; NULL when none or unusable */
    char *input_error;       /* why the input schema is unusable, or NULL */
} api_version;

struct rt_api {
    rt_app *app;
    rt_store *st;
    const ratchet_storage_vtable *vt;
    void *si;
    rt_engine *engine; /* may be NULL */
    rt_events *events; /* owned */
    ratchet_ctx *ctx;  /* what the table is published under */
    int published;
    int64_t started_ms;
    pthread_mutex_t cache_lock; /* guards versions (entries never move or change) */
    api_version **versions;
    size_t nversions;
    /* The storage's task list as last parsed, reused while storage returns the same text
     * (rt_api_resolve: parsing it on each submit cost a fifth of the request). Both under
     * tasks_lock, and only touched there (json-c objects are not thread-safe). */
    pthread_mutex_t tasks_lock;
    ratchet_buf tasks_text;
    struct json_object *tasks;
};

/* The current API (the published one); NULL while none is. */
rt_api *rt_api_current(void);

/* Each concern's file fills its part of the table (called once). */
void rt_api_fill_service(ratchet_engine_api *t);
void rt_api_fill_tasks(ratchet_engine_api *t);
void rt_api_fill_jobs(ratchet_engine_api *t);
void rt_api_fill_executions(ratchet_engine_api *t);
void rt_api_fill_schedules(ratchet_engine_api *t);

void rt_api_fill_author(ratchet_engine_api *t);
void rt_api_fill_keys(ratchet_engine_api *t); /* api_keys.c: since engine minor 2 */
void rt_api_fill_ui(ratchet_engine_api *t);   /* api_ui.c: since engine minor 2 */
void rt_api_fill_timeline(ratchet_engine_api *t); /* api_timeline.c: since engine minor 2 */
/* UTC seconds as "2026-12-05T02:35:00Z" (api_ui.c). */
void rt_api_utc_text(int64_t t, char *s, size_t cap);
void rt_api_fill_analysis(ratchet_engine_api *t); /* api_analysis.c: since engine minor 2 */
void rt_api_fill_logs(ratchet_engine_api *t);     /* api_logs.c: since engine minor 2 */

/* Drop the cached task versions (rt_api_free). */
void rt_api_versions_free(rt_api *a);

/* The current API, or NULL with SERVICE_UNAVAILABLE written to out: how every call starts. */
rt_api *rt_api_enter(ratchet_buf *out, size_t mark);

int64_t rt_api_now_ms(void);

/* 1 when the storage plugin has the calls of ABI 1.4 (task_set_enabled ... key_find). */
int rt_api_storage14(const rt_api *a);

/* ---- errors (api_error.c) ----------------------------------------------------------------
 * Each call remembers out->len when it starts (its mark); a failure cuts `out` back to it and
 * appends the error object of engine.h. They return RATCHET_NOTFOUND for NOT_FOUND, else
 * RATCHET_ERR. */

/* `details` (an array of {pointer, message}, consumed) may be NULL. */
ratchet_status rt_api_fail(ratchet_buf *out, size_t mark, const char *code,
                           struct json_object *details, const char *fmt, ...) RATCHET_PRINTF(5, 6);
/* After a storage call returned rc != OK: NOT_FOUND ("<what> not found"), SERVICE_UNAVAILABLE
 * (busy), else DATABASE_ERROR with the plugin's message. */
ratchet_status rt_api_storage_fail(ratchet_buf *out, size_t mark, ratchet_status rc,
                                   const char *what);
/* INTERNAL_ERROR "<what> is not supported by this storage plugin". */
ratchet_status rt_api_unsupported(ratchet_buf *out, size_t mark, const char *what);
/* Append [{pointer, message}]-style details: a new array for rt_api_fail. */
void rt_api_detail(struct json_object *details, const char *pointer, const char *message);

/* ---- requests ----------------------------------------------------------------------------- */

/* Parse a request body (a JSON object). NULL with a BAD_REQUEST / VALIDATION_ERROR already
 * written to out. */
struct json_object *rt_api_parse_object(const char *json, const char *what, ratchet_buf *out,
                                        size_t mark);
/* Member of an object as a string (NULL when absent or null). */
const char *rt_api_str(struct json_object *o, const char *key);
/* Member, or NULL when absent or null. */
struct json_object *rt_api_member(struct json_object *o, const char *key);
/* A deep copy of a member (the caller owns it), or NULL when absent, null or out of memory.
 * For records other threads read at the same time (the task-version cache): json-c's
 * reference counts are not atomic, so such a record's values are copied, never shared with
 * json_object_get. */
struct json_object *rt_api_member_copy(struct json_object *o, const char *key);
/* Append `v` (borrowed) as plain JSON text. */
ratchet_status rt_api_put(ratchet_buf *out, struct json_object *v);

/* ---- queries (api_query.c) ----------------------------------------------------------------- */

typedef struct rt_query {
    struct json_object *root;  /* owned: the parsed query */
    struct json_object *where; /* borrowed from root: checked [{field, op, value}] */
    const char *sort;
    int desc;
    int64_t offset, limit;
} rt_query;

/* Parse and check a query against the fields a list filters and sorts on (NULL-terminated).
 * RATCHET_OK, or a VALIDATION_ERROR written to out naming the allowed ones. */
ratchet_status rt_query_parse(const char *json, const char *const *filter_fields,
                              const char *const *sort_fields, const char *default_sort,
                              int default_desc, rt_query *q, ratchet_buf *out, size_t mark);
void rt_query_free(rt_query *q);
/* The query again as JSON text, defaults filled in (what a 1.4 storage takes); the caller
 * puts the object. */
struct json_object *rt_query_normalised(const rt_query *q);
/* Filter, sort and page `items` (an array, borrowed) and append {items, total}. */
ratchet_status rt_query_apply(const rt_query *q, struct json_object *items, ratchet_buf *out);

/* ---- tasks (api_tasks.c), shared with jobs and schedules ----------------------------------- */

/* The stored version for task `ref` (id or name) and `version` (NULL: latest), from the
 * cache, into *found (borrowed: versions live as long as the API). RATCHET_NOTFOUND or
 * RATCHET_ERR with the error written to out. When enabled is not NULL it receives the task's
 * enabled flag. */
ratchet_status rt_api_resolve(rt_api *a, const char *ref, const char *version, int *enabled,
                              const api_version **found, ratchet_buf *out, size_t mark);

/* Check `input` against the version's schema and for integers beyond 2^53. RATCHET_OK, or
 * VALIDATION_ERROR with a detail per problem; `where` prefixes the pointers ("/input"). */
ratchet_status rt_api_check_input(const api_version *v, struct json_object *input,
                                  const char *where, ratchet_buf *out, size_t mark);

/* ---- jobs (api_jobs.c), shared with schedule_trigger ------------------------------------- */

/* Queue one job, notify, publish its "queued" event and append the job record. */
ratchet_status rt_api_queue_job(rt_api *a, const ratchet_job_submit *job, const char *task_name,
                                ratchet_buf *out, size_t mark);
/* A list the storage pages (jobs, executions): the query checked against the fields, then
 * handed to a 1.4 storage as is (an older one gets what it understands: eq on status,
 * taskName, jobId; offset; limit). `jobs`: job_list, else execution_list. */
ratchet_status rt_api_list_stored(rt_api *a, const char *query_json, const char *const *filter,
                                  const char *const *sort, int jobs, ratchet_buf *out, size_t mark);
/* Cancel / retry job `id` after checking its state (CONFLICT naming it); append the job. */
ratchet_status rt_api_job_cancel(rt_api *a, int64_t id, ratchet_buf *out, size_t mark);
ratchet_status rt_api_job_retry(rt_api *a, int64_t id, ratchet_buf *out, size_t mark);
/* Parse a storage record (JSON text in buf, freed here); NULL with the error written. */
struct json_object *rt_api_stored(ratchet_status rc, ratchet_buf *buf, const char *what,
                                  ratchet_buf *out, size_t mark);

/* ---- the service (api_service.c, api_metrics.c) ----------------------------------------- */

/* Workers by state (counts[4], indexed by rt_worker_state) and their number; a copy of the
 * pool in *list when list is not NULL (the caller frees). 0 without an engine. */
size_t rt_api_workers(rt_api *a, size_t counts[4], rt_worker_info **list);
/* "dead", "starting", "idle", "busy". */
const char *rt_api_worker_state(rt_worker_state state);
/* Storage stats(resource) parsed; NULL with the error written (INTERNAL_ERROR before 1.4). */
struct json_object *rt_api_storage_stats(rt_api *a, const char *resource, ratchet_buf *out,
                                         size_t mark);
/* ratchet_engine_api.metrics. */
ratchet_status rt_api_metrics(ratchet_buf *out);

/* ---- authoring (api_author.c, api_author_check.c) -------------------------------------------
 * task_write, task_validate and task_test. They run between rt_author_begin and rt_author_end,
 * one at a time in the process. */

/* ratchet_engine_api.task_write. */
ratchet_status rt_api_task_write(const char *task_json, int replace, ratchet_buf *out);
/* Take / release the authoring lock. */
void rt_author_begin(void);
void rt_author_end(void);
/* Create folder `dir` (it must not exist) holding the task `spec` describes: {metadata
 * (object), code, inputSchema?, outputSchema?, tests?: [{name, ...the test file}]}. The parts
 * are trusted to be checked already (names, sizes). err says which file failed. */
ratchet_status rt_author_write_folder(const char *dir, struct json_object *spec, rt_error *err);
/* Remove `dir` and everything below it (not following links); NULL does nothing. */
void rt_author_remove(const char *dir);
/* Run the check process (author.h) in `mode` on `dir` and return its answer (a new object),
 * or NULL with INTERNAL_ERROR written. names_json may be NULL. Blocks until it ends. */
struct json_object *rt_author_check(rt_api *a, const char *mode, const char *dir,
                                    const char *shown, const char *names_json, ratchet_buf *out,
                                    size_t mark);

/* The engine's retry defaults (engine.max_retries, retry_base, retry_max) into job. */
void rt_api_retry_policy(const rt_api *a, ratchet_job_submit *job);

#endif
