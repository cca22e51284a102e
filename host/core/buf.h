/* host/core/buf.h - growable string buffers (ratchet_buf) and the JSON/time helpers the host API
 * exposes to plugins. All functions allocate with malloc; none aborts. */
#ifndef RT_BUF_H
#define RT_BUF_H

#include <stdarg.h>

#include "ratchet/host.h"

ratchet_status rt_buf_append(ratchet_buf *buf, const char *data, size_t len);
ratchet_status rt_buf_puts(ratchet_buf *buf, const char *s);
ratchet_status rt_buf_printf(ratchet_buf *buf, const char *fmt, ...) RATCHET_PRINTF(2, 3);
ratchet_status rt_buf_vprintf(ratchet_buf *buf, const char *fmt, va_list ap);
/* Append s as a quoted JSON string; invalid UTF-8 becomes U+FFFD; NULL appends `null`. On
 * failure the buffer is left as it was (true of every append here). */
ratchet_status rt_buf_json_string(ratchet_buf *buf, const char *s);
/* Append a UTC ISO 8601 timestamp with milliseconds ("2026-11-26T06:40:45.123Z"). RATCHET_ERR
 * for years outside 0000..9999. */
ratchet_status rt_buf_time_iso8601(ratchet_buf *buf, int64_t time_us);
void rt_buf_free(ratchet_buf *buf);
/* Decode the UTF-8 sequence at s (len > 0 bytes available). Returns 1 with the code point in
 * *cp, or 0 for an invalid sequence (*cp = U+FFFD); *used is the number of bytes consumed,
 * the longest valid-looking prefix (at least 1), so one broken sequence maps to one U+FFFD. */
int rt_utf8_next(const char *s, size_t len, size_t *used, uint32_t *cp);
/* Validate one JSON value (json-c tokener in strict mode, nesting up to 32, plus checks for
 * what json-c tolerates: NaN, single quotes, raw control characters); whitespace may follow,
 * nothing else. On error append "<reason> at byte offset N" to why (may be NULL). */
ratchet_status rt_json_check(const char *text, size_t len, ratchet_buf *why);

#endif
