/*
 * host/core/core_layer.h - the interface of the core layer: what task/, engine/ and cli/ may
 * use of it. Files outside core/ include this header and no other of core/ (see README.md);
 * tests/check_layers.sh enforces it.
 */
#ifndef RT_CORE_LAYER_H
#define RT_CORE_LAYER_H

#include "app.h"       /* rt_app, exit statuses, loading settings and plugins */
#include "buf.h"       /* growable buffers, JSON helpers */
#include "error.h"     /* rt_error */
#include "files.h"     /* mkdir -p */
#include "hostapi.h"   /* the host API handed to plugins, contexts */
#include "instances.h" /* configured plugin instances */
#include "json_num.h"  /* integer literals json-c or JavaScript would change */
#include "loader.h"    /* the plugin loader and registry */
#include "log.h"       /* the logging fan-out */
#include "log_ctx.h"   /* the thread-local log context (trace, job, execution, task) */
#include "log_filter.h" /* per-sink event filters */
#include "log_mask.h"  /* secrets masked out of log events */
#include "metrics.h"   /* metrics plugins export in /metrics */
#include "options.h"   /* option schemas and values */
#include "pattern.h"   /* error patterns: rules, matching, the built-ins */
#include "rt_yaml.h"   /* YAML documents with positions */
#include "settings.h"  /* ratchet.yaml */
#include "sha256.h"    /* SHA-256 (API key hashes) */

#endif
