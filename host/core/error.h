/* host/core/error.h - the host's error value: a fixed buffer the caller owns. */
#ifndef RT_ERROR_H
#define RT_ERROR_H

#include "ratchet/abi.h"

typedef struct rt_error {
    char msg[1024];
} rt_error;

/* Format into err->msg (truncating). Returns RATCHET_ERR so callers can `return rt_fail(...)`.
 * err may be NULL. */
ratchet_status rt_fail(rt_error *err, const char *fmt, ...) RATCHET_PRINTF(2, 3);

#endif
