/*
 * ratchet/logger_util.h - what every logger plugin writes otherwise: the `level` and `filter`
 * options read and applied, level names, and the vtable, descriptor and entry function of a
 * plugin that offers one logger.
 *
 * Header only: the functions are `static inline` and reach the host only through the table
 * the plugin was given, so using them adds no symbol to the plugin's exports and changes
 * nothing in the ABI (they need a host of ABI 1.6 or newer, which any plugin built against
 * these headers requires anyway). Include it after, or instead of, <ratchet/plugin.h>.
 *
 *     static const ratchet_host_api *host;
 *     typedef struct hello { ratchet_log_select sel; ... } hello;
 *
 *     static ratchet_status hello_create(ratchet_ctx *ctx, const ratchet_config *cfg, void **out)
 *     {
 *         hello *h = host->calloc(1, sizeof *h);
 *         ...
 *         if (ratchet_log_select_init(host, ctx, cfg, &h->sel) != RATCHET_OK) {
 *             host->free(h);
 *             return RATCHET_ERR;      // the message is set
 *         }
 *     }
 *     static void hello_log(void *instance, const ratchet_log_event *ev)
 *     {
 *         hello *h = instance;
 *         if (!ratchet_log_select_match(host, &h->sel, ev))
 *             return;
 *         ...
 *     }
 *     static const ratchet_option hello_options[] = {
 *         RATCHET_OPT_LOG_LEVEL("info", "lowest level written"),
 *         RATCHET_OPT_LOG_FILTER,
 *         RATCHET_OPT_END,
 *     };
 *     RATCHET_LOGGER_PLUGIN(logger_hello, host, "logger-hello", "1.0.0", "hello lines",
 *                           hello_options, .life = {hello_create, NULL, NULL, hello_destroy},
 *                           .log = hello_log)
 */
#ifndef RATCHET_LOGGER_UTIL_H
#define RATCHET_LOGGER_UTIL_H

#include <string.h>

#include "plugin.h"

/* The choices of a level option, lowest first: the names ratchet_log_level_parse() reads. */
#define RATCHET_LOG_LEVEL_CHOICES "trace|debug|info|warn|error"

/* The `level` option of a logger (an enum of RATCHET_LOG_LEVEL_CHOICES) with the default
 * `def` (one of them, as a string) and the line `doc`; read by ratchet_log_select_init(). */
#define RATCHET_OPT_LOG_LEVEL(def, doc)                                                            \
    RATCHET_OPT_ENUM("level", RATCHET_LOG_LEVEL_CHOICES, def, doc)

/*
 * The lowercase name of `level` ("trace" ... "error"). A level beyond RATCHET_LOG_ERROR (from
 * a newer host) reads as "error", the most severe one this header knows. Returns a static
 * string; never NULL; any thread.
 */
static inline const char *ratchet_log_level_name(ratchet_log_level level)
{
    static const char *const names[] = {"trace", "debug", "info", "warn", "error"};
    return names[(unsigned)level <= RATCHET_LOG_ERROR ? (unsigned)level : RATCHET_LOG_ERROR];
}

/*
 * The level named `name` (exactly as in RATCHET_LOG_LEVEL_CHOICES), or `fallback` when
 * `name` is NULL or names none (the host has already checked an enum option, so for one
 * read with cfg_string the fallback is never used). Any thread.
 */
static inline ratchet_log_level ratchet_log_level_parse(const char *name,
                                                        ratchet_log_level fallback)
{
    for (int i = RATCHET_LOG_TRACE; name && i <= RATCHET_LOG_ERROR; i++) {
        if (strcmp(name, ratchet_log_level_name((ratchet_log_level)i)) == 0)
            return (ratchet_log_level)i;
    }
    return fallback;
}

/* Which events a logger instance keeps: its `level` option and its compiled `filter`
 * option. Filled by ratchet_log_select_init(), released by ratchet_log_select_free(). */
typedef struct ratchet_log_select {
    ratchet_log_level level;    /* lowest level kept */
    ratchet_log_filter *filter; /* owned; NULL after ratchet_log_select_free() */
} ratchet_log_select;

/*
 * Read the instance's `level` option (declared with RATCHET_OPT_LOG_LEVEL; an instance that
 * declares none keeps every level) and compile its `filter` option (RATCHET_OPT_LOG_FILTER;
 * none declared: everything passes) into *sel. Call from create(): `ctx` and `cfg` are the
 * ones create() received. On a bad filter returns RATCHET_ERR after host->set_error(ctx,
 * "FILE:LINE:COL: filter: REASON") naming where the filter was written, with *sel holding
 * nothing to free. RATCHET_OK otherwise; the caller owns *sel and releases it with
 * ratchet_log_select_free() (in destroy()). Main thread, as create().
 */
static inline ratchet_status ratchet_log_select_init(const ratchet_host_api *host, ratchet_ctx *ctx,
                                                     const ratchet_config *cfg,
                                                     ratchet_log_select *sel)
{
    ratchet_buf why = RATCHET_BUF_INIT;
    sel->level = ratchet_log_level_parse(host->cfg_string(cfg, "level"), RATCHET_LOG_TRACE);
    sel->filter = host->log_filter_new(host->cfg_string(cfg, "filter"), &why);
    if (!sel->filter)
        host->set_error(ctx, "%s: filter: %s", host->node_where(host->cfg_node(cfg, "filter")),
                        why.data ? why.data : "out of memory");
    host->buf_free(&why);
    return sel->filter ? RATCHET_OK : RATCHET_ERR;
}

/* Nonzero when `ev` is at or above sel->level and passes sel->filter. Reads *sel only, so
 * any number of threads may call it at once on one selection. */
static inline int ratchet_log_select_match(const ratchet_host_api *host,
                                           const ratchet_log_select *sel,
                                           const ratchet_log_event *ev)
{
    return ev->level >= sel->level && host->log_filter_match(sel->filter, ev);
}

/* Release what ratchet_log_select_init() compiled; *sel then passes every event of its level
 * (NULL filter). Safe on a selection already released or never initialised from zeroes. */
static inline void ratchet_log_select_free(const ratchet_host_api *host, ratchet_log_select *sel)
{
    host->log_filter_free(sel->filter);
    sel->filter = NULL;
}

/*
 * Define everything a plugin offering exactly one logger exports: the logger vtable
 * (`id`_logger), the descriptor (`id`_desc: `name_`, `version_`, `summary_` as its
 * description, no license, `options_` its option table or NULL) and the entry function (see
 * RATCHET_PLUGIN_ENTRY), which stores the host table in `host_var` (the plugin's
 * `const ratchet_host_api *`) and returns the descriptor. The arguments after `options_` are
 * designated initialisers of the vtable after its ABI header: `.life = {create, start, stop,
 * destroy}, .log = ..., .flush = ...` (slots left out are NULL). Write it at file scope, with
 * no semicolon after it. A plugin that offers other kinds too, wants a license, or does more
 * in its entry function writes these three itself (plugin.h).
 */
#define RATCHET_LOGGER_PLUGIN(id, host_var, name_, version_, summary_, options_, ...)              \
    static const ratchet_logger_vtable id##_logger = {                                             \
        .abi = RATCHET_ABI_INIT(ratchet_logger_vtable), __VA_ARGS__};                              \
    static const ratchet_plugin_desc id##_desc = {                                                 \
        .abi = RATCHET_ABI_INIT(ratchet_plugin_desc),                                              \
        .name = (name_),                                                                           \
        .version = (version_),                                                                     \
        .description = (summary_),                                                                 \
        .license = NULL,                                                                           \
        .options = (options_),                                                                     \
        .logger = &id##_logger,                                                                    \
    };                                                                                             \
    RATCHET_PLUGIN_ENTRY(id)                                                                       \
    {                                                                                              \
        host_var = api;                                                                            \
        return &id##_desc;                                                                         \
    }

#endif /* RATCHET_LOGGER_UTIL_H */
