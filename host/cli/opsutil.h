/*
 * host/cli/opsutil.h - what the operator commands (jobs, executions, tasks, schedules) share:
 * opening the storage with the task registry synced, times, submitting, printing records.
 */
#ifndef RT_OPSUTIL_H
#define RT_OPSUTIL_H

#include "engine/engine_layer.h"

/* Open the storage and store the configured task sources (engine.tasks, --tasks). */
int rt_ops_open(rt_app *app, rt_store *st);

/* Queue one job per input (an array of JSON values) for task version `version_id` in one
 * transaction, with the engine's retry policy; `max_retries` >= 0 overrides its count (the
 * caller resolves job flag > task metadata > engine.max_retries). Prints the job ids (or, with
 * `json`, the jobs); with `wait` (a single job), blocks until it ends and exits 1 if it did not
 * complete. */
int rt_ops_submit(rt_app *app, rt_store *st, int64_t version_id, struct json_object *inputs,
                  ratchet_priority prio, int64_t at_ms, const char *idempotency_key,
                  const char *meta_json, int max_retries, int wait, int json);

/* Block until job `id` ends (storage wait() between reads), print it like `jobs show`;
 * RT_EXIT_FAIL when it did not complete. */
int rt_ops_wait_job(rt_store *st, int64_t id, int json);

/* `ratchet jobs wait [ID...] [--timeout D] [--json]`: until the given jobs end, or with no ids
 * until nothing is queued, running or waiting to be retried. */
int rt_jobs_wait(rt_app *app, int argc, char **argv);

/* The job/schedule `meta` for output destinations from --outputs JSON (an array of
 * destinations) and/or --webhook URL (a POST of the output). NULL *meta when neither is given.
 * Prints the problem and returns RT_EXIT_USAGE for bad destinations. */
int rt_ops_outputs_meta(const char *cmd, const char *outputs_json, const char *webhook,
                        struct json_object **meta);

/* Print one storage record: pretty JSON with `json`, else a short human summary. */
int rt_ops_print_record(const ratchet_buf *record, int json, const char *what);

/* Print a JSON value the way every --json output looks (pretty, spaced, no escaped '/'). */
void rt_ops_print_json(struct json_object *value);

/* Settle a storage call that wrote JSON into `out` (freed here): on failure print why and
 * return the exit status; else parse it into *value (the caller puts it) and, with `json`,
 * print it. */
int rt_ops_reply(ratchet_status s, ratchet_buf *out, const char *what, int json,
                 struct json_object **value);

typedef enum rt_ops_list_kind { RT_OPS_JOBS, RT_OPS_EXECUTIONS } rt_ops_list_kind;

/* `jobs list` / `executions list` with --status, --task, --job (executions), --limit,
 * --offset and --json: a table, or the storage's {items, total}. */
int rt_ops_list(rt_app *app, int argc, char **argv, const char *cmd, rt_ops_list_kind kind);

#endif
