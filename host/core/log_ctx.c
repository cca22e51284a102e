/* host/core/log_ctx.c - the thread-local log context (see log_ctx.h). */
#include "log_ctx.h"

#include <string.h>

static _Thread_local rt_log_ctx current;

static void copy_str(char *dst, size_t cap, const char *src)
{
    size_t n = src ? strnlen(src, cap - 1) : 0;
    if (n)
        memcpy(dst, src, n);
    dst[n] = '\0';
}

void rt_log_ctx_set(const rt_log_ctx *c)
{
    if (!c) {
        rt_log_ctx_clear();
        return;
    }
    copy_str(current.trace_id, sizeof current.trace_id, c->trace_id);
    copy_str(current.span_id, sizeof current.span_id, c->span_id);
    current.job_id = c->job_id;
    current.execution_id = c->execution_id;
    copy_str(current.task_name, sizeof current.task_name, c->task_name);
}

void rt_log_ctx_clear(void)
{
    memset(&current, 0, sizeof current);
}

const rt_log_ctx *rt_log_ctx_get(void)
{
    return &current;
}

void rt_log_ctx_set_job(int64_t job_id, int64_t execution_id, const char *task_name)
{
    current.job_id = job_id;
    current.execution_id = execution_id;
    copy_str(current.task_name, sizeof current.task_name, task_name);
}

void rt_log_ctx_set_trace(const char *trace_id, const char *span_id)
{
    copy_str(current.trace_id, sizeof current.trace_id, trace_id);
    copy_str(current.span_id, sizeof current.span_id, span_id);
}
