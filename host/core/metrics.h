/*
 * host/core/metrics.h - numbers plugins export in GET /metrics (ratchet_host_api.metric_register):
 * a registry of (instance, name, type, help, read function), written as Prometheus text.
 * Thread-safe: register/unregister from start()/stop(), write from the HTTP thread.
 */
#ifndef RT_METRICS_H
#define RT_METRICS_H

#include "error.h"
#include "ratchet/host.h"

/* Register NAME{instance="<instance>"} read(arg). RATCHET_ERR with err->msg on a bad name or
 * type, or when `instance` registered `name` already; RATCHET_NOMEM. */
ratchet_status rt_metrics_register(const void *owner, const char *instance, const char *name,
                                   const char *type, const char *help, ratchet_metric_read_fn read,
                                   void *arg, rt_error *err);
/* Withdraw everything `owner` registered; no read() of it runs after this returns. */
void rt_metrics_unregister(const void *owner);
/* Append every registered metric, one HELP/TYPE header per name, in registration order. */
ratchet_status rt_metrics_write(ratchet_buf *out);

#endif
