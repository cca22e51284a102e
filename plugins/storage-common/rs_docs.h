/*
 * rs_docs.h - storage-common: the JSON documents the engine hands the storage plugins
 * (task_sync, schedule_add, schedule_update, delivery_record, key_create), parsed and checked
 * the same way by both.
 *
 * Ownership, for every document below: strings (const char *) borrow from `doc` and live as
 * long as it; char * members are host-allocated JSON texts. The parse functions may leave a
 * partly filled document on failure, so the caller frees it with the matching *_free (or
 * json_object_put(doc) where there is none) in every case. Errors: RATCHET_ERR after set_error
 * naming the document and the member ("schedule: \"cron\" ..."), RATCHET_NOMEM after
 * set_error.
 */
#ifndef RS_DOCS_H
#define RS_DOCS_H

#include <stdint.h>

#include <json-c/json.h>

#include <ratchet/plugin.h>

/* ---- task_sync -------------------------------------------------------------------------- */

typedef struct rs_task_doc {
    json_object *doc;
    const char *name, *version, *uuid, *description, *code, *checksum, *source;
    char *tags, *metadata, *input_schema, *output_schema, *program;
} rs_task_doc;

/* name, version, code and checksum are required; the rest optional (NULL when absent). On
 * failure *t is freed already (and cleared); on success free it with rs_task_doc_free. */
ratchet_status rs_task_doc_parse(ratchet_ctx *ctx, const char *json, rs_task_doc *t);
void rs_task_doc_free(rs_task_doc *t);

/* ---- schedule_add, schedule_update ------------------------------------------------------- */

typedef struct rs_sched_doc {
    json_object *doc;
    const char *name, *task_name, *task_version, *cron, *timezone, *catch_up;
    char *input, *meta;
    int enabled;
    int64_t next_run;
    int64_t id; /* the caller's: the stored schedule's id */
} rs_sched_doc;

/* name, taskName and cron are required; timezone defaults to UTC, catchUp to "once" (or
 * "skip"), enabled to true; meta must be an object; nextRunAt no later than year 9999. */
ratchet_status rs_sched_parse(ratchet_ctx *ctx, const char *json, rs_sched_doc *d);
void rs_sched_doc_free(rs_sched_doc *d);

/* A patch: each member NULL when absent (unchanged). meta and taskVersion may also be set to
 * null, hence their has_* flags. The caller zeroes it and sets enabled = -1 (unchanged), id
 * and next_run before parsing; free doc, input and meta afterwards. */
typedef struct rs_sched_patch {
    json_object *doc;
    const char *cron, *timezone, *catch_up, *task_version;
    char *input, *meta;
    int enabled; /* -1: unchanged */
    int has_meta, has_task_version;
    int64_t id, next_run;
} rs_sched_patch;

/* cron and timezone must not be empty; catchUp and meta as for rs_sched_parse. */
ratchet_status rs_sched_patch_parse(ratchet_ctx *ctx, const char *json, rs_sched_patch *p);

/* ---- delivery_record --------------------------------------------------------------------- */

typedef struct rs_delivery {
    json_object *doc;
    int64_t job_id, execution_id, attempts, duration_ms, response_status; /* status -1: none */
    const char *type, *error;
    char *destination; /* text as sent, or an object's JSON */
    int success;
} rs_delivery;

/* jobId and destinationType are required; attempts defaults to 1. Free doc and destination. */
ratchet_status rs_delivery_parse(ratchet_ctx *ctx, const char *json, rs_delivery *d);

/* ---- key_create -------------------------------------------------------------------------- */

typedef struct rs_key_doc {
    json_object *doc;
    const char *name, *scope, *hash, *prefix;
    int64_t id; /* the caller's: the stored key's id */
} rs_key_doc;

/* All four members required: name up to 128 characters, scope read/write/admin, hash the hex
 * SHA-256 of the secret, prefix up to 32 characters ("API key: ..." messages). Free doc. */
ratchet_status rs_key_parse(ratchet_ctx *ctx, const char *json, rs_key_doc *k);
/* 1 when `hash` (may be NULL) has the form of a stored key's hash (64 hex digits). */
int rs_key_hash_ok(const char *hash);

#endif /* RS_DOCS_H */
