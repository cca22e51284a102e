/*
 * host/core/log_ctx.h - the log context of the current thread: which trace, span, job,
 * execution and task the work running on this thread belongs to. Every event logged on the
 * thread (rt_log, a plugin's host->log/log_event) carries a copy of it (traceId, spanId,
 * jobId, executionId, taskName of the structured event, logger.h).
 *
 * Who sets it: the coordinator around a claim/finish of one job, the worker around the run of
 * one job, the tracing code (trace and span ids). Whoever sets it clears or restores it when
 * that unit of work ends (rt_log_ctx_get() + a saved copy + rt_log_ctx_set() nests).
 *
 * Empty means "none": trace_id/span_id/task_name "" and job_id/execution_id 0.
 * Threading: the context is thread-local; no locks, no allocation, never fails.
 */
#ifndef RT_LOG_CTX_H
#define RT_LOG_CTX_H

#include <stdint.h>

typedef struct rt_log_ctx {
    char trace_id[33];    /* 32 lowercase hex digits (W3C trace id), or "" */
    char span_id[17];     /* 16 lowercase hex digits (W3C span id), or "" */
    int64_t job_id;       /* the job being worked on, or 0 */
    int64_t execution_id; /* its execution, or 0 */
    char task_name[128];  /* the task's name (truncated to 127 bytes), or "" */
} rt_log_ctx;

/* Replace this thread's context with a copy of *c (NULL clears). Strings in *c must be
 * NUL-terminated within their arrays; longer ones are cut. */
void rt_log_ctx_set(const rt_log_ctx *c);
/* Reset this thread's context to empty. */
void rt_log_ctx_clear(void);
/* This thread's context (never NULL; all-empty when nothing was set). The pointer stays valid
 * for the life of the thread and sees later set/clear calls; copy it to keep a snapshot. */
const rt_log_ctx *rt_log_ctx_get(void);

/* Helpers for the common cases; each changes only its own fields of this thread's context. */
void rt_log_ctx_set_job(int64_t job_id, int64_t execution_id, const char *task_name);
void rt_log_ctx_set_trace(const char *trace_id, const char *span_id);

#endif
