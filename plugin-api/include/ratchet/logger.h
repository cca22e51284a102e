/*
 * ratchet/logger.h - the logger kind (ABI 1.0; structured context since 1.6; concurrent
 * loggers since 1.9).
 *
 * A logger receives every log event of the process at or above the host's global level
 * (`logging.level`) and decides itself what to keep (its own level filter, format and
 * destination). The host fans each event out to every started logger instance in
 * configuration order.
 */
#ifndef RATCHET_LOGGER_H
#define RATCHET_LOGGER_H

#include "lifecycle.h"

/*
 * One log event. Everything in it is borrowed for the duration of the log() call; copy what
 * you keep.
 *
 * Since 1.6 an event also carries the context it was logged in (the trace, span, job,
 * execution and task the logging thread was working on; see ratchet_log_context in host.h).
 * The host always hands loggers an event of its own, newest layout; a logger compiled for an
 * older minor simply does not know the trailing fields and reads the prefix it knows. A logger
 * that itself receives events from elsewhere (a wrapper such as logger-buffered forwarding to
 * another logger) checks RATCHET_HAS_FIELD(ev, ratchet_log_event, trace_id) before reading
 * them. The strings of the context fields are never NULL when present; "" (and 0 for the
 * ids) means "none".
 *
 * Secrets are masked before any logger sees an event (message and field values): the values
 * of Authorization-style headers, bearer tokens, API-key-looking values, passwords in URLs
 * and the values of the keys listed in `logging.redact_keys` read "[redacted]".
 */
typedef struct ratchet_log_event {
    ratchet_abi abi;
    int64_t time_us; /* wall clock, microseconds since the Unix epoch */
    ratchet_log_level level;
    const char *source;              /* "host", or the instance name that logged it */
    const char *plugin;              /* the plugin name of that instance, or NULL for the host */
    const char *message;             /* formatted text, UTF-8, no trailing newline */
    const ratchet_log_field *fields; /* structured fields; may be NULL when nfields == 0 */
    size_t nfields;

    /* ---- since 1.6 (check RATCHET_HAS_FIELD(ev, ratchet_log_event, trace_id)) ----------- */
    const char *trace_id;  /* W3C trace id, 32 lowercase hex digits, or "" */
    const char *span_id;   /* W3C span id, 16 lowercase hex digits, or "" */
    int64_t job_id;        /* the job the logging thread works on, or 0 */
    int64_t execution_id;  /* that job's current execution (attempt), or 0 */
    const char *task_name; /* the task being run, or "" */
} ratchet_log_event;

/* The `filter` option of a logger (since 1.6), as the loggers of this tree declare it: compile
 * its text with host->log_filter_new() in create() and test events with log_filter_match(). */
#define RATCHET_OPT_LOG_FILTER                                                                     \
    RATCHET_OPT("filter", RATCHET_OPT_STRING, "",                                                  \
                "only events matching all of these space-separated terms: source=GLOB, "           \
                "task=GLOB, message=GLOB, field.KEY=GLOB (also !=), level>=L (= != > < <=); "      \
                "empty: all (README: Logging)")

typedef struct ratchet_logger_vtable {
    ratchet_abi abi;
    ratchet_lifecycle life;

    /* Write one event. Called from any thread, but the host serialises calls per instance
     * (never two at once for one instance), so an instance needs no lock of its own for
     * state only log/flush touch. Must not block indefinitely. Failures cannot be returned:
     * report them with host->log() (which the host diverts to stderr while inside log()) and
     * carry on. Required. */
    void (*log)(void *instance, const ratchet_log_event *event);

    /* Make everything written so far durable/visible (fflush, fsync as configured). Called
     * with the same serialisation as log(), e.g. before shutdown or after a fatal error.
     * Optional. */
    void (*flush)(void *instance);

    /* ---- since 1.9 (the host checks RATCHET_HAS_FIELD(vt, ratchet_logger_vtable, flags)) -- */
    /* RATCHET_LOGGER_* bits; 0 (and a vtable from before 1.9) keeps the serialisation above. */
    uint32_t flags;
} ratchet_logger_vtable;

/* flags: log() and flush() of this instance may run on several threads at once; the host then
 * calls them without its per-instance lock. Declare it when the logger keeps no state that
 * log() changes (or guards what it changes itself), so that threads logging at high rates (the
 * http plugin's access log, tens of thousands of lines a second) do not wait on each other.
 * Logging stays ordered per thread; lines from different threads may interleave in any order,
 * as they would anyway, each still whole. */
#define RATCHET_LOGGER_CONCURRENT 0x1u

#endif /* RATCHET_LOGGER_H */
