/* host/core/hostapi_log.c - the host calls of ABI 1.6 (host.h): logging with an explicit
 * context, the thread's log context, wrapped loggers, sink filters and plugin metrics. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "hostapi.h"
#include "instances.h"
#include "log.h"
#include "log_filter.h"
#include "metrics.h"
#include "ratchet/logger.h"

static void copy_str(char *dst, size_t cap, const char *src)
{
    snprintf(dst, cap, "%s", src ? src : "");
}

/* ratchet_log_context (as far as its struct_size reaches) -> rt_log_ctx. */
static void from_public(rt_log_ctx *out, const ratchet_log_context *lc)
{
    memset(out, 0, sizeof *out);
    if (RATCHET_HAS_FIELD(lc, ratchet_log_context, span_id)) {
        copy_str(out->trace_id, sizeof out->trace_id, lc->trace_id);
        copy_str(out->span_id, sizeof out->span_id, lc->span_id);
    }
    if (RATCHET_HAS_FIELD(lc, ratchet_log_context, execution_id)) {
        out->job_id = lc->job_id;
        out->execution_id = lc->execution_id;
    }
    if (RATCHET_HAS_FIELD(lc, ratchet_log_context, task_name))
        copy_str(out->task_name, sizeof out->task_name, lc->task_name);
}

void rt_api_log_event(ratchet_ctx *ctx, ratchet_log_level level, const ratchet_log_context *lc,
                      const ratchet_log_field *fields, size_t nfields, const char *fmt, ...)
{
    rt_log_ctx own;
    if (lc)
        from_public(&own, lc);
    va_list ap;
    va_start(ap, fmt);
    rt_log_emit_ctx(ctx ? ctx->instance : "plugin", ctx ? ctx->plugin : NULL, level,
                    lc ? &own : NULL, fields, nfields, fmt, ap);
    va_end(ap);
}

void rt_api_log_context_get(ratchet_log_context *out)
{
    if (!out)
        return;
    const rt_log_ctx *c = rt_log_ctx_get();
    if (RATCHET_HAS_FIELD(out, ratchet_log_context, span_id)) {
        copy_str(out->trace_id, sizeof out->trace_id, c->trace_id);
        copy_str(out->span_id, sizeof out->span_id, c->span_id);
    }
    if (RATCHET_HAS_FIELD(out, ratchet_log_context, execution_id)) {
        out->job_id = c->job_id;
        out->execution_id = c->execution_id;
    }
    if (RATCHET_HAS_FIELD(out, ratchet_log_context, task_name))
        copy_str(out->task_name, sizeof out->task_name, c->task_name);
}

void rt_api_log_context_set(const ratchet_log_context *lc)
{
    if (!lc) {
        rt_log_ctx_clear();
        return;
    }
    rt_log_ctx c;
    from_public(&c, lc);
    rt_log_ctx_set(&c);
}

ratchet_logger_ref *rt_api_logger_wrap(ratchet_ctx *ctx, const char *name, const ratchet_node *at)
{
    return rt_instances_wrap_logger(ctx, name, at);
}

void rt_api_logger_write(ratchet_logger_ref *ref, const ratchet_log_event *ev)
{
    if (ref && ev)
        rt_log_call_logger(ref->vt, ref->handle, ev);
}

void rt_api_logger_flush(ratchet_logger_ref *ref)
{
    if (ref)
        rt_log_call_logger(ref->vt, ref->handle, NULL);
}

ratchet_status rt_api_metric_register(ratchet_ctx *ctx, const char *name, const char *type,
                                      const char *help, ratchet_metric_read_fn read, void *arg)
{
    rt_error err;
    ratchet_status st =
        rt_metrics_register(ctx, ctx ? ctx->instance : "plugin", name, type, help, read, arg, &err);
    if (st == RATCHET_ERR)
        rt_host_api()->set_error(ctx, "%s", err.msg);
    return st;
}

void rt_api_metric_unregister(ratchet_ctx *ctx)
{
    rt_metrics_unregister(ctx);
}
