/*
 * host/core/log.h - the host's logging core: formats events and fans them out to every started
 * logger instance (each serialised by its own mutex). Until a logger is attached, and for
 * messages logged from inside a logger, events go to stderr in a plain format.
 */
#ifndef RT_LOG_H
#define RT_LOG_H

#include <stdarg.h>

#include "log_ctx.h"
#include "ratchet/logger.h"

/* Global threshold (logging.level); events below it are dropped before formatting. */
void rt_log_set_level(ratchet_log_level level);
ratchet_log_level rt_log_get_level(void);
int rt_log_enabled(ratchet_log_level level);
/* Parse "trace|debug|info|warn|error" (also "warning"); -1 when unknown. */
int rt_log_level_parse(const char *s);
const char *rt_log_level_name(ratchet_log_level level);

/* Attach/detach a started logger instance (vtable borrowed; must outlive the attachment). */
ratchet_status rt_log_attach(const ratchet_logger_vtable *vt, void *instance);
void rt_log_detach(void *instance);
/* Flush every attached logger. */
void rt_log_flush(void);

/* Log from the host ("host" as source) or on behalf of a plugin instance. */
void rt_log(ratchet_log_level level, const char *fmt, ...) RATCHET_PRINTF(2, 3);
void rt_log_emit(const char *source, const char *plugin, ratchet_log_level level,
                 const ratchet_log_field *fields, size_t nfields, const char *fmt, va_list ap);
/* As rt_log_emit, with the context `ctx` (NULL: this thread's, log_ctx.h). The message and
 * the field values are masked (log_mask.h) before any logger sees them. */
void rt_log_emit_ctx(const char *source, const char *plugin, ratchet_log_level level,
                     const rt_log_ctx *ctx, const ratchet_log_field *fields, size_t nfields,
                     const char *fmt, va_list ap);
/* Call a logger outside the fan-out (a wrapped logger, ratchet_host_api.logger_write):
 * its log(ev), or its flush() when ev is NULL, with this thread marked as inside a logger
 * so that what the logger logs goes to stderr. The caller serialises calls per instance. */
void rt_log_call_logger(const ratchet_logger_vtable *vt, void *instance,
                        const ratchet_log_event *ev);

#endif
