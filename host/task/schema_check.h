/* host/task/schema_check.h - "does this value match that schema?" in one call, with the reasons as
 * one line of text (the input check of run-once and of job submission). */
#ifndef RT_SCHEMA_CHECK_H
#define RT_SCHEMA_CHECK_H

#include <json-c/json.h>

#include "ratchet/host.h"

/* 0 when `value` matches `schema` (or `schema` is NULL). Otherwise the number of errors, with
 * "pointer: keyword: message; ..." (at most 5, then "(and more)") appended to `why`; for an
 * unusable schema, -1 with "<file> is not a usable schema: ..." appended. `file` names the
 * schema in messages ("input.schema.json"). */
int rt_schema_check(struct json_object *schema, struct json_object *value, const char *file,
                    ratchet_buf *why);

#endif
