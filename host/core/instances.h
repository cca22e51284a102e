/*
 * host/core/instances.h - plugin instances: resolve each configured instance against the loaded
 * plugins (plugin exists, kind, options valid), then drive the lifecycle
 * create -> start -> stop -> destroy as documented in ratchet/lifecycle.h.
 */
#ifndef RT_INSTANCES_H
#define RT_INSTANCES_H

#include "error.h"
#include "loader.h"
#include "settings.h"

typedef enum rt_instance_state {
    RT_INST_RESOLVED = 0,
    RT_INST_CREATED,
    RT_INST_STARTED,
    RT_INST_STOPPED
} rt_instance_state;

/* What ratchet_host_api.logger_wrap hands out: the wrapped logger's vtable and handle. */
struct ratchet_logger_ref {
    const ratchet_logger_vtable *vt;
    void *handle;
};

typedef struct rt_instance {
    const rt_instance_spec *spec;
    const rt_plugin *plugin;
    rt_kind kind;
    const ratchet_lifecycle *life; /* inside the kind's vtable */
    ratchet_config *cfg;
    ratchet_ctx *ctx;
    void *handle; /* what create() returned */
    rt_instance_state state;
    int starting;                  /* inside its start() (a wrap cycle shows up as this) */
    const ratchet_ctx *wrapped_by; /* a logger taken over by another (logger_wrap), or NULL */
    struct ratchet_logger_ref ref; /* what logger_wrap returned for it */
} rt_instance;

typedef struct rt_instance_set {
    rt_instance *items;
    size_t count;
} rt_instance_set;

/* Check every instance in `s` against `reg` (unknown plugin, kind, options). Nothing is
 * created. On error: err->msg with file:line:col and key path. */
ratchet_status rt_instances_resolve(rt_instance_set *set, const rt_settings *s,
                                    const rt_registry *reg, rt_error *err);
/* create() then start() every instance in order; loggers are attached to the log fan-out as
 * they start. On the first failure, what was started is stopped and everything created is
 * destroyed, and err->msg says which instance failed and why. */
ratchet_status rt_instances_start(rt_instance_set *set, rt_error *err);
/* The same for the front-end instances, which rt_instances_start() leaves alone: `serve` calls
 * it once the engine interface is published (see ratchet/frontend.h). */
ratchet_status rt_instances_start_frontends(rt_instance_set *set, rt_error *err);
/* stop() the started front ends in reverse order (destroy() comes with
 * rt_instances_shutdown). Called when `serve` begins to drain. */
void rt_instances_stop_frontends(rt_instance_set *set);
/* How many configured instances are of `kind`. */
size_t rt_instances_count_kind(const rt_instance_set *set, rt_kind kind);
/* ratchet_host_api.logger_wrap: during rt_instances_start, let the logger instance `by` take
 * over the logger instance `name` (started now if it was not yet; detached from the fan-out).
 * NULL with the reason through set_error, after the place of `at` (see host.h). */
struct ratchet_logger_ref *rt_instances_wrap_logger(ratchet_ctx *by, const char *name,
                                                    const ratchet_node *at);
/* stop() in reverse order (a wrapped logger after every other instance), then destroy() in
 * reverse order. Safe after a failed start. */
void rt_instances_shutdown(rt_instance_set *set);
void rt_instances_free(rt_instance_set *set);

#endif
