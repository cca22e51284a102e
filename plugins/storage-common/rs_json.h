/*
 * rs_json.h - storage-common: JSON input (json-c, bounded), RFC 3339 times, UUIDs, version
 * order and priority names, shared by the storage plugins so that both accept and refuse the
 * same inputs with the same messages. Errors go to set_error on the caller's ctx.
 */
#ifndef RS_JSON_H
#define RS_JSON_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include <ratchet/plugin.h>

/* Parse `text` (not NULL) as one JSON value, at most 64 MiB and 256 levels deep. On success
 * the caller owns *out (json_object_put; NULL for the JSON null). RATCHET_ERR after set_error
 * naming `what` and the byte where parsing stopped; RATCHET_NOMEM when json-c cannot start. */
ratchet_status rs_parse_value(ratchet_ctx *ctx, const char *text, const char *what,
                              json_object **out);
/* rs_parse_value for an object: NULL or "" text reads as {} when allow_null (else an error);
 * any other type is RATCHET_ERR "<what>: expected a JSON object". The caller owns *out. */
ratchet_status rs_parse_object(ratchet_ctx *ctx, const char *text, const char *what, int allow_null,
                               json_object **out);
/* Typed members of `o`. Absent or null leaves *out unchanged (the caller's default) unless
 * `required`; a wrong type is RATCHET_ERR "<what>: \"key\" must be <type>". A string points
 * into `o` (valid while o lives). */
ratchet_status rs_get_str(ratchet_ctx *ctx, json_object *o, const char *what, const char *key,
                          int required, const char **out);
ratchet_status rs_get_int(ratchet_ctx *ctx, json_object *o, const char *what, const char *key,
                          int required, int64_t *out);
ratchet_status rs_get_bool(ratchet_ctx *ctx, json_object *o, const char *what, const char *key,
                           int *out);
/* A time: RFC 3339 text ("2026-11-26T06:40:45.123Z", any offset) or integer milliseconds,
 * not negative (callers bound the upper end where they need to). */
ratchet_status rs_get_time(ratchet_ctx *ctx, json_object *o, const char *what, const char *key,
                           int64_t *out);
/* The member re-serialised as compact JSON into *out (host->free it), or NULL when absent or
 * null. RATCHET_NOMEM after set_error. */
ratchet_status rs_get_json(ratchet_ctx *ctx, json_object *o, const char *key, char **out);
/* Check one JSON text the engine hands over (host->json_check); NULL passes. RATCHET_ERR
 * after set_error "<call>[<index>]: <field> is not valid JSON: <why>". */
ratchet_status rs_check_json(ratchet_ctx *ctx, const char *json, const char *call, size_t index,
                             const char *field);

/* Parse RFC 3339 into *ms (milliseconds since the epoch); -1 when malformed or before 1970. */
int rs_parse_rfc3339(const char *s, int64_t *ms);
/* A random (version 4) UUID from getrandom: 36 characters + NUL into out. */
void rs_uuid(char out[37]);
/* Semantic version order of a[0..alen) and b[0..blen): numeric dot-separated parts compare as
 * numbers, a pre-release ("1.0.0-rc1") sorts before its release. <0, 0 or >0. */
int rs_version_cmp(const char *a, size_t alen, const char *b, size_t blen);
/* A stored priority (1..4) as its name; "normal" for anything else. Static text. */
const char *rs_priority_name(int64_t p);

#endif /* RS_JSON_H */
