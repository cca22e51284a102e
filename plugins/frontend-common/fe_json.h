/*
 * plugins/frontend-common/fe_json.h - members of a JSON object's text found without parsing it.
 *
 * The engine's events are JSON text (engine.h), and a waiting request only needs a few of
 * their top-level members: the status, whether it is final, and for the answer the output
 * as it is. Parsing every event into json-c objects (the output included, for every waiting
 * request) was the largest single cost of answering synchronous executes after the
 * database's; a scan that skips what it does not need allocates nothing.
 */
#ifndef FE_JSON_H
#define FE_JSON_H

#include <stddef.h>

/* The value of the top-level member `key` of the JSON object `json` (NUL-terminated): *val
 * points at its first character and *len spans the whole value (quotes, brackets included).
 * Keys are compared as written (a key spelled with escapes does not match). Returns 0 when
 * the member is absent or the text is not a well-formed object as far as the scan went (the
 * scan checks structure - strings, brackets, separators - not the grammar of numbers and
 * literals). */
int fe_json_member(const char *json, const char *key, const char **val, size_t *len);

/* The member as a string's contents copied into buf (at most cap - 1 bytes, NUL-terminated),
 * for a string without escapes such as a status; 0 when absent, not a string, escaped or too
 * long. */
int fe_json_member_word(const char *json, const char *key, char *buf, size_t cap);

/* Whether the member is the literal `true`. */
int fe_json_member_true(const char *json, const char *key);

#endif /* FE_JSON_H */
