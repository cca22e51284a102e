/*
 * host/core/json_num.h - integer literals in JSON text that json-c or JavaScript would change.
 *
 * json-c clamps an integer literal beyond 64 bits (100000000000000000000 becomes
 * 18446744073709551615); JavaScript keeps numbers as doubles, exact only up to
 * ±(2^53 - 1). The first is repaired here (such literals become doubles that keep their text);
 * the second is detected, so that a task's input with such an integer is refused rather than
 * silently rounded. Only integer literals count: a literal with a fraction or an exponent
 * (1.5, 1e20) already says it is approximate. Threading: no state.
 */
#ifndef RT_JSON_NUM_H
#define RT_JSON_NUM_H

#include <stddef.h>

#include "buf.h"

struct json_object;

/* Number.MAX_SAFE_INTEGER: the largest integer every JavaScript number holds exactly. */
#define RT_JSON_MAX_SAFE_INT "9007199254740991"

/*
 * One pass over JSON text, outside strings: count (*nbig) the integer literals json-c would
 * clamp (beyond UINT64_MAX or below INT64_MIN). With `out` (len + 2 * *nbig bytes, from a
 * first call without it), also write the text with ".0" after each, which makes json-c parse
 * them as doubles that keep their text. Returns 0, or -1 at a bare word that is not true,
 * false or null (NaN, Infinity: json-c accepts them even in strict mode) with its byte offset
 * and length in *bad_off, *bad_len. Malformed text is otherwise left for json-c to report.
 */
int rt_json_scan_big(const char *s, size_t len, char *out, size_t *nbig, size_t *bad_off,
                     size_t *bad_len);

/* After parsing the text rt_json_scan_big wrote: give those doubles their original text back
 * (only the ".0" marker goes). RATCHET_NOMEM when out of memory. */
ratchet_status rt_json_restore_big(struct json_object *v);

/* Parse one JSON value (json-c, strict, nesting up to 32) keeping integer literals beyond 64
 * bits as above. NULL when the text is not JSON. The caller owns the result. */
struct json_object *rt_json_parse_keep_big(const char *text, size_t len);

/*
 * Find the first integer literal outside JavaScript's safe range in valid JSON text. 0 when
 * there is none; else 1, with "/json/pointer: integer N is outside JavaScript's safe range
 * (±9007199254740991) and would lose precision; pass it as a string" appended to `why` (the
 * pointer is "/" for the top-level value; N is the literal as written, cut at 40 digits).
 */
int rt_json_unsafe_int(const char *text, size_t len, ratchet_buf *why);

#endif
