/*
 * ratchet/logger.h - the logger kind (ABI 1.0).
 *
 * A logger receives every log event of the process at or above the host's global level
 * (`logging.level`) and decides itself what to keep (its own level filter, format and
 * destination). The host fans each event out to every started logger instance in
 * configuration order.
 */
#ifndef RATCHET_LOGGER_H
#define RATCHET_LOGGER_H

#include "lifecycle.h"

/* One log event. Everything in it is borrowed for the duration of the log() call; copy what
 * you keep. */
typedef struct ratchet_log_event {
    ratchet_abi abi;
    int64_t time_us; /* wall clock, microseconds since the Unix epoch */
    ratchet_log_level level;
    const char *source;              /* "host", or the instance name that logged it */
    const char *plugin;              /* the plugin name of that instance, or NULL for the host */
    const char *message;             /* formatted text, UTF-8, no trailing newline */
    const ratchet_log_field *fields; /* structured fields; may be NULL when nfields == 0 */
    size_t nfields;
} ratchet_log_event;

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
} ratchet_logger_vtable;

#endif /* RATCHET_LOGGER_H */
