/*
 * host/engine/analysis.h - the error report of a failed execution, written for a person or an
 * LLM to read: `ratchet executions analyze`, GET /api/v1/executions/{id}/analysis and the MCP
 * tool ratchet_analyze_execution_error all answer with it.
 *
 * The report (JSON; markdown renders the same members in the same order):
 *
 *   summary    errorType, errorKind, message, category, severity, task, version, location
 *              (main.js:LINE:COL), occurredAt, durationMs
 *   error      name, kind, message, stack, frames: [{text, file, line, column, source: [{line,
 *              text, failing}]}] - each main.js frame with the author's lines around it
 *   context    executionId, jobId, taskName, taskVersion, attempt, retriesSoFar, maxRetries,
 *              traceId (when the storage has it), input (secrets masked, long strings cut)
 *   patterns   the matched error patterns [{id, name, category, severity, confidence,
 *              description, suggestions}] (stored with the execution when it failed, else
 *              matched now)
 *   system     the state when it failed (queueDepth, workerMemoryKb, worker) as stored with
 *              the execution, else the state now (capturedAt says which)
 *   prompts    questions to ask an LLM about this failure
 *   related    the execution's console lines and fetch calls [{seq, time, kind, level,
 *              message, method, url, status, durationMs}]
 *   budget     {maxTokens, estimatedTokens, estimate: "characters / 4", dropped: [...]}
 *
 * Secrets are masked (log_mask.h) in every text of the report: the error's message and stack,
 * source lines, console lines and URLs, the input's strings and secret-named keys.
 *
 * The token budget: tokens are estimated as characters / 4 of the rendered text; while over
 * the budget, parts are dropped in this order, least useful first, and each drop is listed in
 * budget.dropped: related events beyond the 10 nearest the failure; system state; suggested
 * prompts; source lines other than the failing ones; the input; suggestions beyond the first
 * per pattern and patterns beyond the first 3; the remaining related events; stack frames
 * beyond the first 3; the stack text; then the message is cut. The summary is always kept.
 */
#ifndef RT_ANALYSIS_H
#define RT_ANALYSIS_H

#include <json-c/json.h>

#include "core/core_layer.h"
#include "ratchet/storage.h"

#define RT_ANALYSIS_DEFAULT_TOKENS 8000
#define RT_ANALYSIS_MIN_TOKENS     100
#define RT_ANALYSIS_MAX_TOKENS     1000000

/* Where the report's facts come from. `workers_json` (may be NULL: none) is the engine's
 * workers_list answer when a server is running in this process. */
typedef struct rt_analysis_env {
    const ratchet_storage_vtable *vt;
    void *si;
    const char *workers_json;
} rt_analysis_env;

/* Build the report of execution `id` into *report (a new object the caller puts).
 * RATCHET_NOTFOUND when there is no such execution; RATCHET_ERR with err->msg for a storage
 * failure. An execution that did not fail gets a report whose summary says so. */
ratchet_status rt_analysis_build(const rt_analysis_env *env, int64_t id,
                                 struct json_object **report, rt_error *err);

/* Render the report (cut to max_tokens, see above; 0: the default) as markdown or JSON text
 * into out. The report is changed by the cut. */
ratchet_status rt_analysis_render(struct json_object *report, int markdown, int64_t max_tokens,
                                  ratchet_buf *out);

/* The patterns matching a failed execution's error (the storage record's `error` object as
 * JSON text) and its console lines at warn or error (`logs_json`, may be NULL), as the
 * report's `patterns` array; a new array the caller puts, empty when nothing matched. */
struct json_object *rt_analysis_patterns(const char *error_json, const char *logs_json,
                                         const char *task_name);

/* What the engine keeps with an execution that failed (job_finish's analysis_json): the
 * matched patterns and the system state at that moment. `worker` (-1: none) and
 * `worker_memory_kb` (0: unknown) are the worker that ran it; the queue depth is read from
 * the storage at most once a second (the last figure is reused in between). A malloc'd JSON
 * text the caller frees, NULL when out of memory. Engine loop thread. */
char *rt_analysis_at_failure(const ratchet_storage_vtable *vt, void *si, const char *error_json,
                             const char *logs_json, const char *task_name, int worker,
                             int64_t worker_memory_kb);

/* Search the execution log rows and the server's events (what ratchet.engine's logs_search
 * does, engine.h, for the CLI too): query_json {level, since, until, text, traceId, taskName,
 * executionId, jobId, source, limit, offset}; appends {items, total} or, on failure, an
 * engine error object {code, message} (VALIDATION_ERROR naming the bad member). */
ratchet_status rt_logs_search(const ratchet_storage_vtable *vt, void *si, const char *query_json,
                              ratchet_buf *out);

/* The resident memory of process `pid` in KiB (from /proc), 0 when unknown. */
int64_t rt_analysis_rss_kb(int pid);

/* The markdown of a built report (no budget applied), appended to out (analysis_md.c). */
void rt_analysis_markdown(struct json_object *report, ratchet_buf *out);

/* The stack frames of `stack` that point into main.js, each with the lines of `code` around
 * it (analysis_source.c); `context` lines either side. A new array. */
struct json_object *rt_analysis_frames(const char *stack, const char *code, int context);

#endif
