/*
 * ratchet/host.h - the services the host offers to plugins.
 *
 * A plugin never links against host symbols: everything it may call is reached through the
 * `ratchet_host_api` table handed to its entry function (see plugin.h). The table stays valid
 * and unchanged for the life of the process.
 *
 * Threading, unless a function says otherwise: every function in the table may be called from
 * any thread at any time after the entry function has been called, including concurrently.
 *
 * Memory: memory that a plugin hands to the host, or the host to a plugin, is allocated with
 * the table's alloc/calloc/realloc/strdup and released with its free. Arguments passed into a
 * call are borrowed for the duration of that call unless the function says otherwise.
 */
#ifndef RATCHET_HOST_H
#define RATCHET_HOST_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "abi.h"

/* Severity of a log event, in increasing order. */
typedef enum ratchet_log_level {
    RATCHET_LOG_TRACE = 0,
    RATCHET_LOG_DEBUG = 1,
    RATCHET_LOG_INFO = 2,
    RATCHET_LOG_WARN = 3,
    RATCHET_LOG_ERROR = 4
} ratchet_log_level;

/* One structured key/value pair attached to a log event. Both strings are borrowed. */
typedef struct ratchet_log_field {
    const char *key;
    const char *value;
} ratchet_log_field;

/*
 * The log context of a thread (since 1.6): the trace, span, job, execution and task that the
 * work running on the thread belongs to. Every event logged on that thread carries a copy
 * (ratchet_log_event's trailing fields, logger.h). Empty strings and zero ids mean "none".
 * Fill `abi` with RATCHET_ABI_INIT(ratchet_log_context) before passing one to the host: the
 * host reads and writes only the fields its struct_size covers.
 */
typedef struct ratchet_log_context {
    ratchet_abi abi;
    char trace_id[33];    /* W3C trace id: 32 lowercase hex digits, or "" */
    char span_id[17];     /* W3C span id: 16 lowercase hex digits, or "" */
    int64_t job_id;       /* 0: none */
    int64_t execution_id; /* 0: none */
    char task_name[128];  /* "" : none; longer names are cut to 127 bytes */
} ratchet_log_context;

/* A logger instance taken over by another logger (logger_wrap, since 1.6). Opaque. */
typedef struct ratchet_logger_ref ratchet_logger_ref;

/* A compiled per-sink event filter (log_filter_new, since 1.6). Opaque. */
typedef struct ratchet_log_filter ratchet_log_filter;

/* Reads a metric's current value (metric_register, since 1.6). Called from any thread, often
 * concurrently with the instance's own work: read an atomic, never block. */
typedef double (*ratchet_metric_read_fn)(void *arg);

struct ratchet_log_event; /* logger.h */

/*
 * The host's handle on one plugin instance (or, when NULL, on "the plugin as a whole" before
 * any instance exists). Opaque; passed to create() and given back by plugins in log(),
 * set_error() and publish() so that messages carry the plugin and instance names. Valid from
 * create() until destroy() returns.
 */
typedef struct ratchet_ctx ratchet_ctx;

/*
 * A node of the parsed configuration (YAML), read-only. Nodes are owned by the host and live
 * as long as the instance they were given to (until its destroy() returns). A NULL node is
 * valid input to every node function and reads as "absent".
 */
typedef struct ratchet_node ratchet_node;

/* What a configuration node holds. */
typedef enum ratchet_node_kind {
    RATCHET_NODE_NONE = 0, /* absent (NULL node) */
    RATCHET_NODE_SCALAR = 1,
    RATCHET_NODE_SEQUENCE = 2,
    RATCHET_NODE_MAP = 3
} ratchet_node_kind;

/* The validated options of one instance, as declared by the plugin's option table. */
typedef struct ratchet_config ratchet_config;

/* The types an option may declare. The host parses and checks values before create(). */
typedef enum ratchet_option_type {
    RATCHET_OPT_STRING = 0,   /* any scalar, read with cfg_string */
    RATCHET_OPT_INT = 1,      /* integer, read with cfg_int; min/max apply */
    RATCHET_OPT_DOUBLE = 2,   /* number, read with cfg_double */
    RATCHET_OPT_BOOL = 3,     /* true/false/yes/no/on/off, read with cfg_bool */
    RATCHET_OPT_ENUM = 4,     /* one of `choices`, read with cfg_string */
    RATCHET_OPT_SIZE = 5,     /* bytes: 1048576, 512KiB, 10MiB, 1GiB (also K/M/G, KB/MB/GB as
                               * powers of 1024); read with cfg_int, in bytes; min/max apply */
    RATCHET_OPT_DURATION = 6, /* 250ms, 30s, 5m, 2h, or a bare number of seconds; read with
                               * cfg_int, in milliseconds; min/max apply (in ms) */
    RATCHET_OPT_PATH = 7,     /* a filesystem path, read with cfg_string; a leading "~/" is
                               * expanded and a relative path is resolved against the
                               * directory of the configuration file */
    RATCHET_OPT_NODE = 8      /* any YAML value, unchecked; read with cfg_node */
} ratchet_option_type;

/*
 * One entry of a plugin's declarative option table (see ratchet_plugin_desc.options). The
 * table is an array ending with RATCHET_OPT_END. The host validates the instance's `options:`
 * mapping against it, rejects unknown keys, and generates `ratchet plugins describe` and
 * `ratchet config generate` output from the same table.
 *
 * The host steps through the array by `abi.struct_size` of its first entry, so the struct may
 * grow in later minors.
 */
typedef struct ratchet_option {
    ratchet_abi abi;
    const char *name; /* key under `options:`; [a-z0-9_]+ */
    ratchet_option_type type;
    const char *default_value; /* default as it would be written in YAML; NULL for none */
    int required;              /* nonzero: the instance must set it (default_value ignored) */
    const char *doc;           /* one line for humans */
    const char *choices;       /* RATCHET_OPT_ENUM: allowed values separated by '|' */
    int64_t min;               /* INT/SIZE/DURATION: inclusive bounds; checked when min <= max */
    int64_t max;
} ratchet_option;

/* Helpers to write option tables. */
#define RATCHET_OPT(name, type, def, doc)                                                          \
    {                                                                                              \
        RATCHET_ABI_INIT(ratchet_option), name, type, def, 0, doc, NULL, 0, -1                     \
    }
#define RATCHET_OPT_REQUIRED(name, type, doc)                                                      \
    {                                                                                              \
        RATCHET_ABI_INIT(ratchet_option), name, type, NULL, 1, doc, NULL, 0, -1                    \
    }
#define RATCHET_OPT_RANGE(name, type, def, lo, hi, doc)                                            \
    {                                                                                              \
        RATCHET_ABI_INIT(ratchet_option), name, type, def, 0, doc, NULL, lo, hi                    \
    }
#define RATCHET_OPT_ENUM(name, choices, def, doc)                                                  \
    {                                                                                              \
        RATCHET_ABI_INIT(ratchet_option), name, RATCHET_OPT_ENUM, def, 0, doc, choices, 0, -1      \
    }
#define RATCHET_OPT_END                                                                            \
    {                                                                                              \
        RATCHET_ABI_INIT(ratchet_option), NULL, RATCHET_OPT_STRING, NULL, 0, NULL, NULL, 0, -1     \
    }

/*
 * A growable, always NUL-terminated byte buffer whose storage belongs to the host allocator.
 * Start with RATCHET_BUF_INIT; release with host->buf_free(). `data` is NULL until the first
 * append. Not thread-safe: one buffer, one thread at a time.
 */
typedef struct ratchet_buf {
    char *data;
    size_t len;
    size_t cap;
} ratchet_buf;

#define RATCHET_BUF_INIT                                                                           \
    {                                                                                              \
        NULL, 0, 0                                                                                 \
    }

typedef struct ratchet_host_api {
    ratchet_abi abi;

    /* The host's version string, e.g. "0.1.0". Static. */
    const char *host_version;

    /* ---- memory ------------------------------------------------------------------------ */

    /* malloc/calloc/realloc/free/strdup semantics. Return NULL on failure (never abort).
     * Memory from these may be handed to the host where a function says the host frees it. */
    void *(*alloc)(size_t size);
    void *(*calloc)(size_t count, size_t size);
    void *(*realloc)(void *ptr, size_t size);
    void (*free)(void *ptr);
    char *(*strdup)(const char *s);

    /* ---- logging ----------------------------------------------------------------------- */

    /* Emit a log event attributed to `ctx` (NULL: the plugin as a whole, shown as "plugin").
     * The host formats the message, attaches the plugin and instance names and a timestamp,
     * and hands the event to every configured logger. Never fails; never blocks on a slow
     * logger for longer than that logger's own write. Safe to call from any thread. A logger
     * calling log() from inside its own log callback is written to stderr instead (no
     * recursion). */
    void (*log)(ratchet_ctx *ctx, ratchet_log_level level, const char *fmt, ...)
        RATCHET_PRINTF(3, 4);

    /* As log(), with a va_list. */
    void (*logv)(ratchet_ctx *ctx, ratchet_log_level level, const char *fmt, va_list ap);

    /* As log(), with `nfields` structured key/value fields (borrowed for the call). */
    void (*log_fields)(ratchet_ctx *ctx, ratchet_log_level level, const ratchet_log_field *fields,
                       size_t nfields, const char *fmt, ...) RATCHET_PRINTF(5, 6);

    /* Nonzero when an event of `level` would reach at least one logger: use it to skip
     * building expensive messages. */
    int (*log_enabled)(ratchet_log_level level);

    /* ---- errors ------------------------------------------------------------------------ */

    /* Record why the current call is failing. Call it before returning RATCHET_ERR (or
     * RETRY) from any callback; the host reads the text when the callback returns on the
     * same thread and shows it to the user with the instance name in front. The last call
     * wins. The text is copied; at most 1023 bytes are kept. */
    void (*set_error)(ratchet_ctx *ctx, const char *fmt, ...) RATCHET_PRINTF(2, 3);

    /* ---- identity ---------------------------------------------------------------------- */

    /* The instance name from the configuration ("console"), or the plugin name when ctx is
     * NULL. Valid as long as ctx. */
    const char *(*instance_name)(const ratchet_ctx *ctx);

    /* ---- validated options (see ratchet_option) ------------------------------------------ */

    /* The value of option `name`, or its default when not set. The host has already checked
     * type and range, so these cannot fail on a declared option; asking for an undeclared
     * name returns NULL / 0 and logs a warning. Strings are owned by the host and live until
     * the instance's destroy() returns. */
    const char *(*cfg_string)(const ratchet_config *cfg, const char *name);
    int64_t (*cfg_int)(const ratchet_config *cfg, const char *name);
    double (*cfg_double)(const ratchet_config *cfg, const char *name);
    int (*cfg_bool)(const ratchet_config *cfg, const char *name);
    const ratchet_node *(*cfg_node)(const ratchet_config *cfg, const char *name);
    /* Nonzero when the user set the option explicitly (not defaulted). */
    int (*cfg_is_set)(const ratchet_config *cfg, const char *name);

    /* ---- configuration nodes (read-only; NULL-safe) ----------------------------------------- */

    ratchet_node_kind (*node_kind)(const ratchet_node *node);
    /* Scalar text, or NULL when the node is not a scalar. */
    const char *(*node_scalar)(const ratchet_node *node);
    /* Number of items of a sequence or pairs of a map; 0 otherwise. */
    size_t (*node_count)(const ratchet_node *node);
    /* The i-th item of a sequence or the i-th value of a map; NULL when out of range. */
    const ratchet_node *(*node_at)(const ratchet_node *node, size_t i);
    /* The i-th key of a map; NULL when not a map or out of range. */
    const char *(*node_key_at)(const ratchet_node *node, size_t i);
    /* The value under `key` in a map; NULL when absent or not a map. */
    const ratchet_node *(*node_get)(const ratchet_node *node, const char *key);
    /* Where the node was written, "file:line:column", for error messages. Never NULL. */
    const char *(*node_where)(const ratchet_node *node);

    /* ---- buffers and JSON -------------------------------------------------------------- */

    /* Append `len` bytes. RATCHET_NOMEM on allocation failure (the buffer is unchanged). */
    ratchet_status (*buf_append)(ratchet_buf *buf, const char *data, size_t len);
    ratchet_status (*buf_printf)(ratchet_buf *buf, const char *fmt, ...) RATCHET_PRINTF(2, 3);
    /* Append `s` as a quoted, escaped JSON string ("a\"b\n"). Invalid UTF-8 bytes become
     * U+FFFD so the output is always valid JSON. */
    ratchet_status (*buf_json_string)(ratchet_buf *buf, const char *s);
    /* Append `time_us` (microseconds since the Unix epoch) as UTC ISO 8601 with milliseconds:
     * 2026-11-26T06:40:45.123Z. */
    ratchet_status (*buf_time_iso8601)(ratchet_buf *buf, int64_t time_us);
    /* Release the storage and reset to RATCHET_BUF_INIT. */
    void (*buf_free)(ratchet_buf *buf);
    /* RATCHET_OK when `text` (len bytes) is one well-formed JSON value; else RATCHET_ERR and,
     * when `why` is not NULL, a description with the byte offset appended to it. */
    ratchet_status (*json_check)(const char *text, size_t len, ratchet_buf *why);

    /* ---- time -------------------------------------------------------------------------- */

    /* Wall clock, microseconds since the Unix epoch. */
    int64_t (*now_us)(void);
    /* Monotonic clock, nanoseconds from an arbitrary origin. */
    int64_t (*monotonic_ns)(void);

    /* ---- named interfaces between plugins ------------------------------------------------ */

    /* Make `iface` (a struct of the publisher's design that starts with a ratchet_abi header
     * and lives until the process exits or the instance's destroy() returns) available to
     * other plugins under `name`. Call from create() or start(). RATCHET_ERR (with a message
     * through set_error) when the name is taken. The host does not copy or free `iface`. */
    ratchet_status (*publish)(ratchet_ctx *ctx, const char *name, const void *iface);
    /* Withdraw what `ctx` published under `name` (call from stop()). */
    void (*unpublish)(ratchet_ctx *ctx, const char *name);
    /* The interface published under `name` whose header has abi_major == `major` and
     * abi_minor >= `min_minor`, or NULL. The pointer stays valid until its publisher's
     * stop(); the host stops consumers before publishers in reverse start order. */
    const void *(*lookup)(const char *name, uint16_t major, uint16_t min_minor);

    /* ---- since 1.4 (check RATCHET_HAS_FIELD(host, ratchet_host_api, request_stop)) ------- */

    /* Ask the host to shut down as on SIGTERM (drain, stop instances, exit 0), e.g. when the
     * stdin of an MCP stdio session reaches EOF. `why` (copied) is logged. Returns at once;
     * safe from any thread, also more than once. */
    void (*request_stop)(ratchet_ctx *ctx, const char *why);

    /* ---- since 1.6 (check RATCHET_HAS_FIELD(host, ratchet_host_api, log_event)) --------- */

    /* As log_fields(), with an explicit context: the event carries `lc` (borrowed for the
     * call) instead of the calling thread's context; NULL: the thread's context. For a
     * plugin thread that logs on behalf of a job it did not start work for on this thread
     * (a front end answering about an execution, say). Never fails; any thread. */
    void (*log_event)(ratchet_ctx *ctx, ratchet_log_level level, const ratchet_log_context *lc,
                      const ratchet_log_field *fields, size_t nfields, const char *fmt, ...)
        RATCHET_PRINTF(6, 7);

    /* Copy the calling thread's log context into *out (which the caller owns; set out->abi
     * first). Never fails. */
    void (*log_context_get)(ratchet_log_context *out);

    /* Replace the calling thread's log context by a copy of *lc (NULL: clear it). Affects only
     * this thread, until the next set. A plugin that sets it around a unit of work restores
     * what it found (get before, set after). Never fails. */
    void (*log_context_set)(const ratchet_log_context *lc);

    /*
     * Take over the logger instance named `name` (another entry of `instances:`), for a
     * logger that forwards events to another one (logger-buffered). `at` is the configuration
     * node that names it (cfg_node of the option; may be NULL): an error message starts with
     * its file:line:column. Call from start() only.
     * From then on the host no longer sends events to that instance itself; they reach it
     * only through logger_write() by the caller. The host starts it first when it had not
     * started it yet, and at shutdown stops it after the caller's stop(). Returns NULL with
     * a message through set_error when there is no such instance, it is not a logger, it is
     * the caller itself, it wraps the caller (a cycle), or another instance took it already.
     * The reference (owned by the host) stays valid until the caller's stop() returns.
     */
    ratchet_logger_ref *(*logger_wrap)(ratchet_ctx *ctx, const char *name, const ratchet_node *at);

    /* Hand `ev` (borrowed for the call) to the wrapped logger's log(). The caller serialises
     * calls per reference (one thread at a time, as the host does for its loggers); anything
     * the wrapped logger logs from inside goes to stderr. */
    void (*logger_write)(ratchet_logger_ref *ref, const struct ratchet_log_event *ev);

    /* Call the wrapped logger's flush() (if it has one); same serialisation as logger_write. */
    void (*logger_flush)(ratchet_logger_ref *ref);

    /*
     * Compile a sink filter: whitespace-separated terms that must all hold,
     *     source=GLOB  source!=GLOB  task=GLOB  message=GLOB  field.KEY=GLOB  field.KEY!=GLOB
     *     level=L  level!=L  level>=L  level>L  level<=L  level<L
     * where GLOB may use * (any run) and ? (one character), and L is trace|debug|info|warn|
     * error. An empty text matches every event. Returns NULL on a bad filter with the reason
     * appended to `why` (may be NULL); the caller frees the filter with log_filter_free.
     * The filter is immutable: log_filter_match may run on several threads at once.
     */
    ratchet_log_filter *(*log_filter_new)(const char *text, ratchet_buf *why);
    /* Nonzero when `ev` passes `f` (a NULL filter passes everything). */
    int (*log_filter_match)(const ratchet_log_filter *f, const struct ratchet_log_event *ev);
    /* Release a filter from log_filter_new (NULL is ignored). */
    void (*log_filter_free)(ratchet_log_filter *f);

    /*
     * Export a number in the Prometheus text of GET /metrics as
     *     NAME{instance="<instance name>"} <read(arg)>
     * with `# HELP NAME help` and `# TYPE NAME type` once per name. `name` matches
     * [a-z_][a-z0-9_]* and should start with "ratchet_"; `type` is "counter" or "gauge";
     * all strings are copied. `read` is called while /metrics is answered, from the HTTP
     * thread, until metric_unregister(ctx) returns (call it from stop()). RATCHET_ERR (with
     * set_error) on a bad name or type or when this instance already registered `name`;
     * RATCHET_NOMEM. Any thread.
     */
    ratchet_status (*metric_register)(ratchet_ctx *ctx, const char *name, const char *type,
                                      const char *help, ratchet_metric_read_fn read, void *arg);
    /* Withdraw every metric `ctx` registered; once it returns, no read() runs any more. */
    void (*metric_unregister)(ratchet_ctx *ctx);
} ratchet_host_api;

#endif /* RATCHET_HOST_H */
