/*
 * host/core/hostapi.h - the ratchet_host_api table the host hands to plugins, and the contexts
 * (struct ratchet_ctx) that attribute a plugin's log lines and errors to its instance.
 */
#ifndef RT_HOSTAPI_H
#define RT_HOSTAPI_H

#include "ratchet/host.h"

struct ratchet_ctx {
    char *instance; /* instance name from the configuration */
    char *plugin;   /* plugin name */
};

/* The process-wide table (static storage, valid forever). */
const ratchet_host_api *rt_host_api(void);

/* A context for one instance; both names are copied. NULL on allocation failure. */
ratchet_ctx *rt_ctx_new(const char *instance, const char *plugin);
void rt_ctx_free(ratchet_ctx *ctx);

/* The calls of ABI 1.6 (hostapi_log.c), as the table holds them (see ratchet/host.h). */
void rt_api_log_event(ratchet_ctx *ctx, ratchet_log_level level, const ratchet_log_context *lc,
                      const ratchet_log_field *fields, size_t nfields, const char *fmt, ...)
    RATCHET_PRINTF(6, 7);
void rt_api_log_context_get(ratchet_log_context *out);
void rt_api_log_context_set(const ratchet_log_context *lc);
ratchet_logger_ref *rt_api_logger_wrap(ratchet_ctx *ctx, const char *name, const ratchet_node *at);
void rt_api_logger_write(ratchet_logger_ref *ref, const struct ratchet_log_event *ev);
void rt_api_logger_flush(ratchet_logger_ref *ref);
ratchet_status rt_api_metric_register(ratchet_ctx *ctx, const char *name, const char *type,
                                      const char *help, ratchet_metric_read_fn read, void *arg);
void rt_api_metric_unregister(ratchet_ctx *ctx);

/* The text last passed to set_error() on this thread ("" if none), and reset it. The host
 * calls rt_error_peek() right after a plugin callback returns a failure. */
const char *rt_error_peek(void);
void rt_error_clear(void);

#endif
