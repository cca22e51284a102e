/* host/core/error.c - formatting into the caller-owned rt_error. */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>

ratchet_status rt_fail(rt_error *err, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        /* Truncation is acceptable: the message is for humans and stays NUL-terminated. */
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return RATCHET_ERR;
}
