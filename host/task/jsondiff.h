/* host/task/jsondiff.h - structural comparison of JSON values (tests, replay). */
#ifndef RT_JSONDIFF_H
#define RT_JSONDIFF_H

#include <json-c/json.h>

#include "ratchet/host.h"

/* Deep equality: numbers compare by value (1 == 1.0), object key order is ignored. */
int rt_json_equal(struct json_object *a, struct json_object *b);

/* Append one line per difference, "  /path/to/value: expected X, got Y" (at most `max`
 * lines, then "  ... and N more"), to `out`. Returns the number of differences found. */
size_t rt_json_diff(struct json_object *expected, struct json_object *actual, ratchet_buf *out,
                    size_t max);

#endif
