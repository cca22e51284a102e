/*
 * host/core/loader.h - finding, checking and registering plugins.
 *
 * Plugins come from two places, treated alike once registered: entry functions linked into the
 * binary (static plugins) and `.so` files in the plugin directories. Loading is a security
 * boundary: only regular files (no symlinks) that are not world-writable, from the configured
 * directories; every refusal is recorded with the file and the reason. Loaded objects are never
 * dlclose()d.
 */
#ifndef RT_LOADER_H
#define RT_LOADER_H

#include "error.h"
#include "ratchet/plugin.h"

/* The kinds a plugin can offer (index into per-kind tables). */
typedef enum rt_kind {
    RT_KIND_LOGGER = 0,
    RT_KIND_EXECUTOR,
    RT_KIND_STORAGE,
    RT_KIND_FRONTEND,
    RT_KIND_WATCHER,
    RT_KIND_COUNT
} rt_kind;

const char *rt_kind_name(rt_kind kind);

typedef struct rt_plugin {
    const ratchet_plugin_desc *desc;
    char *path; /* the .so it came from; NULL for static plugins */
    int is_static;
    /* The vtable per kind, NULL when not offered; with its lifecycle already checked. */
    const void *vtable[RT_KIND_COUNT];
} rt_plugin;

typedef struct rt_refusal {
    char *path;
    char *reason; /* full message: "<path>: <why> (plugin ABI x.y, host ABI 1.0)" */
} rt_refusal;

typedef struct rt_registry {
    rt_plugin *plugins;
    size_t count, cap;
    rt_refusal *refused;
    size_t nrefused, refcap;
} rt_registry;

/* Entry functions of the plugins linked into this binary, NULL-terminated (generated). */
extern const ratchet_plugin_entry_fn rt_static_plugin_entries[];

void rt_registry_init(rt_registry *reg);
void rt_registry_free(rt_registry *reg);

/* Register every static plugin. */
void rt_loader_add_static(rt_registry *reg);
/* Load every "*.so" in `dir` (sorted by name). A missing directory is not an error unless
 * `must_exist`. Refusals are recorded in reg->refused, not returned. Returns RATCHET_ERR only
 * when the directory itself is unusable (err set). */
ratchet_status rt_loader_load_dir(rt_registry *reg, const char *dir, int must_exist, rt_error *err);
/* Load one file (the checks above). RATCHET_ERR with the refusal recorded (and in err). */
ratchet_status rt_loader_load_file(rt_registry *reg, const char *path, rt_error *err);

const rt_plugin *rt_registry_find(const rt_registry *reg, const char *name);

/* The default plugin directories for this binary: "<exe dir>/plugins" (build tree) and
 * "<exe dir>/../<libdir>/ratchet/plugins" (install prefix), those that exist. Returns the
 * count written (at most max); each string is malloc'd (caller frees). */
size_t rt_loader_default_dirs(char **out, size_t max);

#endif
