/*
 * host/engine/job_log.h - log events about one job, carrying its context (core/log_ctx.h): the
 * coordinator sets the job, execution and task of the thread's log context while it works on
 * one job (dispatch, a worker's messages, recording the outcome), and a task's console lines
 * become events of source "task" with that context. Coordinator thread only.
 */
#ifndef RT_JOB_LOG_H
#define RT_JOB_LOG_H

#include <json-c/json.h>
#include <stdint.h>

/* Make the calling thread's log context the job's (trace and span ids are left alone). */
void rt_job_log_enter(int64_t job_id, int64_t execution_id, const char *task_name);
/* Clear the calling thread's log context. */
void rt_job_log_leave(void);
/* One event per console line of `lines` (a JSON array of {level, message}), source "task",
 * at the line's level (console.log: info). */
void rt_job_log_console(struct json_object *lines);
/* The recorded outcome of one attempt: debug when it completed or went back to the queue,
 * warn when it failed or will be retried (with the error's message). */
void rt_job_log_outcome(const char *status, int attempt, const char *error_json,
                        int64_t duration_ms);

#endif
