/* host/core/hostapi.c - the ratchet_host_api table: what plugins may call. */
#include "hostapi.h"

#include <pthread.h>
#include <stdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>

#include "buf.h"
#include "log.h"
#include "log_filter.h"
#include "options.h"
#include "rt_yaml.h"

#ifndef RATCHET_VERSION
#define RATCHET_VERSION "0.0.0"
#endif

/* ---- contexts and errors ----------------------------------------------------------------- */

ratchet_ctx *rt_ctx_new(const char *instance, const char *plugin)
{
    ratchet_ctx *ctx = calloc(1, sizeof *ctx);
    if (!ctx)
        return NULL;
    ctx->instance = strdup(instance);
    ctx->plugin = strdup(plugin);
    if (!ctx->instance || !ctx->plugin) {
        rt_ctx_free(ctx);
        return NULL;
    }
    return ctx;
}

void rt_ctx_free(ratchet_ctx *ctx)
{
    if (!ctx)
        return;
    free(ctx->instance);
    free(ctx->plugin);
    free(ctx);
}

/* set_error text is per thread: the host reads it on the thread the failing callback ran on,
 * so concurrent callbacks on other threads cannot overwrite it. */
static _Thread_local char last_error[1024];

const char *rt_error_peek(void)
{
    return last_error;
}

void rt_error_clear(void)
{
    last_error[0] = '\0';
}

static void api_set_error(ratchet_ctx *ctx, const char *fmt, ...)
{
    (void)ctx;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(last_error, sizeof last_error, fmt, ap);
    va_end(ap);
}

static const char *api_instance_name(const ratchet_ctx *ctx)
{
    return ctx ? ctx->instance : "plugin";
}

/* ---- logging ------------------------------------------------------------------------------ */

static void api_logv(ratchet_ctx *ctx, ratchet_log_level level, const char *fmt, va_list ap)
{
    rt_log_emit(ctx ? ctx->instance : "plugin", ctx ? ctx->plugin : NULL, level, NULL, 0, fmt, ap);
}

static void api_log(ratchet_ctx *ctx, ratchet_log_level level, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    api_logv(ctx, level, fmt, ap);
    va_end(ap);
}

static void api_log_fields(ratchet_ctx *ctx, ratchet_log_level level,
                           const ratchet_log_field *fields, size_t nfields, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    rt_log_emit(ctx ? ctx->instance : "plugin", ctx ? ctx->plugin : NULL, level, fields, nfields,
                fmt, ap);
    va_end(ap);
}

/* ---- time --------------------------------------------------------------------------------- */

static int64_t api_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int64_t api_monotonic_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* ---- named interfaces --------------------------------------------------------------------- */

typedef struct published {
    char *name;
    const ratchet_ctx *owner;
    const void *iface;
    struct published *next;
} published;

static pthread_mutex_t pub_lock = PTHREAD_MUTEX_INITIALIZER;
static published *pub_list;

static ratchet_status api_publish(ratchet_ctx *ctx, const char *name, const void *iface)
{
    if (!name || !iface) {
        api_set_error(ctx, "publish: name and interface are required");
        return RATCHET_ERR;
    }
    ratchet_status rc = RATCHET_OK;
    pthread_mutex_lock(&pub_lock);
    for (published *p = pub_list; p; p = p->next)
        if (strcmp(p->name, name) == 0) {
            api_set_error(ctx, "interface '%s' is already published by instance '%s'", name,
                          p->owner ? p->owner->instance : "?");
            rc = RATCHET_ERR;
        }
    if (rc == RATCHET_OK) {
        published *p = calloc(1, sizeof *p);
        if (p && (p->name = strdup(name)) != NULL) {
            p->owner = ctx;
            p->iface = iface;
            p->next = pub_list;
            pub_list = p;
        } else {
            free(p);
            rc = RATCHET_NOMEM;
        }
    }
    pthread_mutex_unlock(&pub_lock);
    return rc;
}

static void api_unpublish(ratchet_ctx *ctx, const char *name)
{
    pthread_mutex_lock(&pub_lock);
    for (published **pp = &pub_list; *pp; pp = &(*pp)->next) {
        published *p = *pp;
        if (p->owner == ctx && strcmp(p->name, name) == 0) {
            *pp = p->next;
            free(p->name);
            free(p);
            break;
        }
    }
    pthread_mutex_unlock(&pub_lock);
}

static const void *api_lookup(const char *name, uint16_t major, uint16_t min_minor)
{
    const void *found = NULL;
    pthread_mutex_lock(&pub_lock);
    for (published *p = pub_list; p; p = p->next) {
        const ratchet_abi *abi = p->iface;
        if (strcmp(p->name, name) == 0 && abi->abi_major == major && abi->abi_minor >= min_minor)
            found = p->iface;
    }
    pthread_mutex_unlock(&pub_lock);
    return found;
}

/* ---- the table ---------------------------------------------------------------------------- */

static int api_log_enabled(ratchet_log_level level)
{
    return rt_log_enabled(level);
}

static void *api_alloc(size_t size)
{
    return malloc(size);
}
static void *api_calloc(size_t count, size_t size)
{
    return calloc(count, size);
}
static void *api_realloc(void *ptr, size_t size)
{
    return realloc(ptr, size);
}
static void api_free(void *ptr)
{
    free(ptr);
}
static char *api_strdup(const char *s)
{
    return s ? strdup(s) : NULL;
}

/* The host's main thread waits for SIGTERM with sigwait (every thread blocks it), so a signal
 * sent to the process is exactly the shutdown `serve` performs on Ctrl-C. */
static void api_request_stop(ratchet_ctx *ctx, const char *why)
{
    api_log(ctx, RATCHET_LOG_INFO, "shutdown requested: %s", why ? why : "(no reason given)");
    kill(getpid(), SIGTERM);
}

static const ratchet_host_api host_api = {
    .abi = RATCHET_ABI_INIT(ratchet_host_api),
    .host_version = RATCHET_VERSION,
    .alloc = api_alloc,
    .calloc = api_calloc,
    .realloc = api_realloc,
    .free = api_free,
    .strdup = api_strdup,
    .log = api_log,
    .logv = api_logv,
    .log_fields = api_log_fields,
    .log_enabled = api_log_enabled,
    .set_error = api_set_error,
    .instance_name = api_instance_name,
    .cfg_string = rt_cfg_string,
    .cfg_int = rt_cfg_int,
    .cfg_double = rt_cfg_double,
    .cfg_bool = rt_cfg_bool,
    .cfg_node = rt_cfg_node,
    .cfg_is_set = rt_cfg_is_set,
    .node_kind = rt_node_kind,
    .node_scalar = rt_node_scalar,
    .node_count = rt_node_count,
    .node_at = rt_node_at,
    .node_key_at = rt_node_key_at,
    .node_get = rt_node_get,
    .node_where = rt_node_where,
    .buf_append = rt_buf_append,
    .buf_printf = rt_buf_printf,
    .buf_json_string = rt_buf_json_string,
    .buf_time_iso8601 = rt_buf_time_iso8601,
    .buf_free = rt_buf_free,
    .json_check = rt_json_check,
    .now_us = api_now_us,
    .monotonic_ns = api_monotonic_ns,
    .publish = api_publish,
    .unpublish = api_unpublish,
    .lookup = api_lookup,
    .request_stop = api_request_stop,
    .log_event = rt_api_log_event,
    .log_context_get = rt_api_log_context_get,
    .log_context_set = rt_api_log_context_set,
    .logger_wrap = rt_api_logger_wrap,
    .logger_write = rt_api_logger_write,
    .logger_flush = rt_api_logger_flush,
    .log_filter_new = rt_log_filter_new,
    .log_filter_match = rt_log_filter_match,
    .log_filter_free = rt_log_filter_free,
    .metric_register = rt_api_metric_register,
    .metric_unregister = rt_api_metric_unregister,
};

const ratchet_host_api *rt_host_api(void)
{
    return &host_api;
}
