/*
 * ratchet/abi.h - versioning, status codes and export macros of the Ratchet plugin ABI.
 *
 * Versioning rules (the contract third parties build against):
 *
 *  - Every struct that crosses the host/plugin boundary starts with a `ratchet_abi` header:
 *    the ABI major and minor the struct was compiled for, and its size in bytes.
 *  - Within one major version structs only ever grow by appending fields. A reader uses
 *    `RATCHET_HAS_FIELD()` to tell whether a trailing field is present before reading it.
 *  - The host loads a plugin whose major equals its own and whose minor is not newer than its
 *    own: host 1.y loads every plugin 1.x with x <= y. A plugin built for a newer minor may use
 *    host services this host lacks, so it is refused with a message naming both versions.
 *
 * ABI history:
 *   1.0  host API table, plugin descriptor, option tables, the logger kind.
 *   1.1  the executor kind (ratchet_plugin_desc.executor, executor.h).
 *   1.2  the storage kind (ratchet_plugin_desc.storage, storage.h).
 *   1.3  compiled tasks: ratchet_task_source.runtime/line_map (executor.h).
 *   1.4  the front-end kind (ratchet_plugin_desc.frontend, frontend.h) with the named
 *        interfaces "ratchet.engine" (engine.h) and "ratchet.http" (http.h); storage calls
 *        for the APIs (task_set_enabled ... key_find, storage.h).
 *   1.5  the watcher kind (ratchet_plugin_desc.watcher, watcher.h).
 *   1.6  structured log events: trace/span/job/execution/task context on ratchet_log_event
 *        (logger.h); host calls log_event, log_context_get/set, logger_wrap/write/flush,
 *        log_filter_new/match/free, metric_register/unregister (host.h); a job's traceId
 *        (storage.h job records; engine.h job_submit traceparent, jobs_list filter) and the
 *        "ratchet.spans" interface for span exporters (trace.h).
 *   1.7  "ratchet.http" minor 1 (http.h): connection upgrades for WebSocket - upgrade,
 *        upgraded_read/write/stopping/client/close.
 *   1.8  "ratchet.engine" minor 2 (engine.h): keys_list, key_create, key_revoke,
 *        keys_generation, cron_preview, input_validate, task_source, stats_timeline (what
 *        the web UI asks of the engine); execution_analyze, patterns_list, pattern_test,
 *        logs_search, logs_trends (error analysis, engine.h); storage: job_finish's
 *        analysis_json and the execution's `analysis`, log_append, log_search (storage.h).
 *   1.9  ratchet_logger_vtable.flags with RATCHET_LOGGER_CONCURRENT (logger.h): a logger that
 *        may be called from several threads at once is called without the host's lock.
 */
#ifndef RATCHET_ABI_H
#define RATCHET_ABI_H

#include <stddef.h>
#include <stdint.h>

#define RATCHET_ABI_MAJOR 1
#define RATCHET_ABI_MINOR 9

/* Leads every struct that crosses the boundary. Fill it with RATCHET_ABI_INIT(type). */
typedef struct ratchet_abi {
    uint16_t abi_major;   /* RATCHET_ABI_MAJOR the struct was compiled against */
    uint16_t abi_minor;   /* RATCHET_ABI_MINOR the struct was compiled against */
    uint32_t struct_size; /* sizeof the struct as compiled, in bytes */
} ratchet_abi;

/* Initialiser for the leading header of a struct of type `type`. */
#define RATCHET_ABI_INIT(type)                                                                     \
    {                                                                                              \
        RATCHET_ABI_MAJOR, RATCHET_ABI_MINOR, (uint32_t)sizeof(type)                               \
    }

/* True when the struct pointed to by `ptr` (of type `type`, starting with a ratchet_abi named
 * `abi`) was compiled with a layout that includes `field`. */
#define RATCHET_HAS_FIELD(ptr, type, field)                                                        \
    ((ptr)->abi.struct_size >= offsetof(type, field) + sizeof(((type *)0)->field))

/* Status returned by every fallible call in either direction. Text for errors travels through
 * the host's set_error() (see host.h), never through the status. */
typedef enum ratchet_status {
    RATCHET_OK = 0,
    RATCHET_ERR = 1,        /* failed; the callee has called set_error() with the reason */
    RATCHET_RETRY = 2,      /* temporary condition (back-pressure, busy); try again later */
    RATCHET_NOMEM = 3,      /* an allocation failed */
    RATCHET_NOTFOUND = 4,   /* the thing asked for does not exist */
    RATCHET_UNSUPPORTED = 5 /* the callee does not implement this operation */
} ratchet_status;

/* Printf-format checking where the compiler supports it. */
#if defined(__GNUC__) || defined(__clang__)
#define RATCHET_PRINTF(fmt_index, first_arg) __attribute__((format(printf, fmt_index, first_arg)))
#define RATCHET_EXPORT                       __attribute__((visibility("default")))
#else
#define RATCHET_PRINTF(fmt_index, first_arg)
#define RATCHET_EXPORT
#endif

#endif /* RATCHET_ABI_H */
