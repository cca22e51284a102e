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

/* The text last passed to set_error() on this thread ("" if none), and reset it. The host
 * calls rt_error_peek() right after a plugin callback returns a failure. */
const char *rt_error_peek(void);
void rt_error_clear(void);

#endif
