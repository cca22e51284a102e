/*
 * host/engine/jobtrace.h - the trace of one job attempt in the coordinator: its ids, the
 * times of its phases, and the spans it ends with (the tree is described in ratchet/trace.h).
 *
 * The engine loop begins it when the job goes to a worker (rt_job_trace_begin: from the
 * claimed job's meta), ends the run when the result arrives or the worker dies
 * (rt_job_trace_run_end), and finishes it once storage recorded the outcome
 * (rt_job_trace_finish: the queue, run, finish and root spans). The fetch relay and the
 * outbox add their own spans under it (rt_job_trace_child).
 *
 * Threading: a trace belongs to the engine loop; fetch threads and the outbox read a copy.
 */
#ifndef RT_JOBTRACE_H
#define RT_JOBTRACE_H

#include <stdint.h>

#include "ratchet/storage.h"
#include "trace.h"

typedef struct rt_job_trace {
    char trace_id[RT_TRACE_ID_LEN + 1]; /* "" when the job has none (then nothing is emitted) */
    char parent[RT_SPAN_ID_LEN + 1];    /* the caller's span (traceparent), or "" */
    char root[RT_SPAN_ID_LEN + 1];      /* the attempt's "job" span */
    char run[RT_SPAN_ID_LEN + 1];       /* the "run" span: parent of fetch spans */
    int64_t queued_ns;                  /* first attempts: when it was queued; else 0 */
    int64_t run_ns, run_end_ns;         /* the run on a worker */
    int run_failed;                     /* the run ended in an error */
    char run_error[256];                /* its "Name: message" */
    int64_t job_id, execution_id;
    int attempt;
    char task[128];
} rt_job_trace;

/* Start the attempt's trace from the claimed job (its meta's traceId, traceParent and
 * queuedAtMs) now. A job without a trace id in its meta gets a new one. The engine puts
 * trace_id and the run span into the log context (core/log_ctx.h) while it handles the job. */
void rt_job_trace_begin(rt_job_trace *t, const ratchet_claimed_job *job, const char *task);
/* The run ended now; error_json (an error record {name, message, ...}; NULL when it
 * succeeded) describes a failure. Only the first call counts. */
void rt_job_trace_run_end(rt_job_trace *t, const char *error_json);

/* The outcome was recorded: emit the attempt's spans with `status` ("completed", "failed",
 * "retrying", "cancelled", "queued"); an error_json ({name, message}) marks the root failed. */
void rt_job_trace_finish(const rt_job_trace *t, const char *status, const char *error_json);

/* Emit a child span of the attempt: under the run span (under_run) or the root. span_id may
 * be given (a fetch's, already sent as traceparent) or NULL for a new one. */
void rt_job_trace_child(const rt_job_trace *t, int under_run, const char *span_id, const char *name,
                        ratchet_span_kind kind, int64_t start_ns, int64_t end_ns, const char *error,
                        const ratchet_span_attr *attrs, size_t nattrs);

#endif
