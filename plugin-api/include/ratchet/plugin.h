/*
 * ratchet/plugin.h - what a plugin exports: the entry function and its descriptor.
 *
 * Include this one header to write a plugin. Build it with -fvisibility=hidden; the only
 * exported symbol is the entry function defined with RATCHET_PLUGIN_ENTRY:
 *
 *     static const ratchet_host_api *host;
 *     static const ratchet_plugin_desc desc = {
 *         .abi = RATCHET_ABI_INIT(ratchet_plugin_desc),
 *         .name = "logger-hello", .version = "1.0.0", ...
 *         .logger = &hello_logger,
 *     };
 *     RATCHET_PLUGIN_ENTRY(logger_hello)
 *     {
 *         host = api;
 *         return &desc;
 *     }
 *
 * Loading rules (the host refuses the file, with a message naming it and the reason):
 * no `ratchet_plugin_entry` symbol; the entry returns NULL; descriptor major differs from the
 * host's; descriptor minor newer than the host's; `struct_size` of the descriptor or of a
 * vtable smaller than its declared minor requires; a name already taken by another plugin;
 * a symlink, a non-regular or a world-writable file; dlopen() failure. A loaded plugin stays
 * resident until the process exits (no dlclose), so pointers into it remain valid.
 */
#ifndef RATCHET_PLUGIN_H
#define RATCHET_PLUGIN_H

#include "abi.h"
#include "host.h"
#include "lifecycle.h"
#include "executor.h"
#include "logger.h"
#include "storage.h"
#include "frontend.h"
#include "watcher.h"
#include "engine.h"
#include "http.h"
#include "trace.h"

/* The descriptor a plugin returns from its entry function. Must stay valid and unchanged
 * until the process exits (make it `static const`). */
typedef struct ratchet_plugin_desc {
    ratchet_abi abi;
    const char *name;              /* unique plugin name, [a-z0-9-]+, e.g. "logger-file" */
    const char *version;           /* the plugin's own version, e.g. "1.2.0" */
    const char *description;       /* one line */
    const char *license;           /* SPDX identifier, may be NULL */
    const ratchet_option *options; /* option table ending with RATCHET_OPT_END; NULL: none */

    /* The kinds this plugin offers: a vtable per kind, NULL for kinds it does not offer.
     * At least one must be set. Later ABI minors append further kinds here. */
    const ratchet_logger_vtable *logger;     /* since 1.0 */
    const ratchet_executor_vtable *executor; /* since 1.1 */
    const ratchet_storage_vtable *storage;   /* since 1.2 */
    const ratchet_frontend_vtable *frontend; /* since 1.4 */
    const ratchet_watcher_vtable *watcher;   /* since 1.5 */
} ratchet_plugin_desc;

/* Type of the entry function. Called once per process, on the host's main thread, before
 * anything else in the plugin. `api` is valid until the process exits; keep it. Return the
 * descriptor, or NULL to refuse loading (e.g. `api->abi.abi_major` is not what the plugin
 * needs); the host then reports "entry function returned NULL". */
typedef const ratchet_plugin_desc *(*ratchet_plugin_entry_fn)(const ratchet_host_api *api);

/* Name of the exported entry symbol in a shared-object plugin. */
#define RATCHET_PLUGIN_ENTRY_SYMBOL "ratchet_plugin_entry"

/*
 * Define the entry function; the body follows and sees the host table as `api`. `id` is a C
 * identifier unique among in-tree plugins (e.g. logger_file): when the plugin is linked into
 * the host statically (RATCHET_STATIC_PLUGIN defined), the function is named
 * ratchet_plugin_entry_<id> so that several plugins can share one binary.
 */
#ifdef RATCHET_STATIC_PLUGIN
#define RATCHET_PLUGIN_ENTRY(id)                                                                   \
    const ratchet_plugin_desc *ratchet_plugin_entry_##id(const ratchet_host_api *api);             \
    const ratchet_plugin_desc *ratchet_plugin_entry_##id(const ratchet_host_api *api)
#else
#define RATCHET_PLUGIN_ENTRY(id)                                                                   \
    RATCHET_EXPORT const ratchet_plugin_desc *ratchet_plugin_entry(const ratchet_host_api *api);   \
    RATCHET_EXPORT const ratchet_plugin_desc *ratchet_plugin_entry(const ratchet_host_api *api)
#endif

#endif /* RATCHET_PLUGIN_H */
