/*
 * host/core/registry_config.h - `registry.sources` in ratchet.yaml: the task registries a
 * server follows, checked when the settings load (rt_settings_load), so that `config
 * validate`, `serve` and every command report a mistake with file:line:column and the key.
 *
 *   registry:
 *     default_polling_interval: 5m
 *     cache_dir: <path>                  # default <engine.data_dir>/registry
 *     sources:
 *       - name: team                     # [a-z0-9_-]+, unique
 *         type: http                     # filesystem | http (source_type: the original's name)
 *         uri: https://tasks.example.com/index.json
 *         polling_interval: 5m           # http only
 *         timeout: 30s                   # http only: each request
 *         max_zip_size: 16MiB            # http only: a download is cut off past this
 *         verify_tls: true               # http only
 *         auth: {type: bearer, token_env: TEAM_TOKEN}   # or {type: header, header: X-Key, ...}
 *         enabled: true
 */
#ifndef RT_REGISTRY_CONFIG_H
#define RT_REGISTRY_CONFIG_H

#include <stdint.h>

#include "error.h"
#include "ratchet/host.h"
#include "rt_yaml.h"

typedef enum rt_source_type { RT_SOURCE_FILESYSTEM = 0, RT_SOURCE_HTTP = 1 } rt_source_type;

/* One entry of registry.sources, checked. Every string is owned by the spec (freed by
 * rt_source_specs_free). */
typedef struct rt_source_spec {
    char *name;
    rt_source_type type;
    char *uri; /* http: the index URL; filesystem: the path, resolved (no file://) */
    int enabled;
    int64_t interval_ms;  /* http: how often serve fetches the index */
    int64_t timeout_ms;   /* http: each request, whole */
    int64_t max_zip_size; /* http: bytes; a larger download is cut off while it runs */
    int verify_tls;
    char *auth_header; /* http: header sent with every request, or NULL for none */
    char *auth_prefix; /* "Bearer " for type bearer, "" for type header */
    char *token_env;   /* the environment variable holding the token (read at each fetch) */
    char *where;       /* file:line:col of the entry, for messages */
} rt_source_spec;

/* The option table of one source entry and of its `auth` map (for `config generate`). */
extern const ratchet_option rt_source_options[];
extern const ratchet_option rt_source_auth_options[];

/* Check `list` (registry.sources; NULL: none) and fill *out / *count (a malloc'd array the
 * caller frees with rt_source_specs_free, also on error). `default_interval_ms` applies to
 * http sources without polling_interval; relative filesystem paths are resolved against
 * `basedir`. On error: RATCHET_ERR, err->msg "FILE:LINE:COL: registry.sources[1].uri: ...". */
ratchet_status rt_source_specs_parse(const ratchet_node *list, const char *basedir,
                                     int64_t default_interval_ms, rt_source_spec **out,
                                     size_t *count, rt_error *err);
void rt_source_specs_free(rt_source_spec *specs, size_t count);

#endif
