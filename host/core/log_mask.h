/*
 * host/core/log_mask.h - secrets masked out of log events before any logger sees them.
 *
 * What is masked, in a message or a field value:
 *  - the value after a secret key written `key: value`, `key=value` or `"key": "value"`: the
 *    header names of rt_mask_secret_headers, the built-in key names (password, secret, token,
 *    api_key, x-api-key, client_secret, ...) and those of `logging.redact_keys`; keys compare
 *    without regard to case, `-` and `_` alike. An authorization scheme word (Bearer, Basic,
 *    ...) is kept: `Authorization: Bearer [redacted]`;
 *  - a bearer token anywhere (`Bearer abc.def` -> `Bearer [redacted]`);
 *  - the password of a URL (`postgresql://u:PASS@h/db` -> `postgresql://u:[redacted]@h/db`);
 *  - API-key-looking words: the well-known prefixes (sk-, sk_live_, ghp_, github_pat_, glpat-,
 *    xox?-, AKIA..., AIza..., Ratchet's own rk_ keys) followed by enough key characters, and
 *    JSON Web Tokens (eyJ....eyJ....sig).
 * A field whose key is a secret key has its whole value masked.
 *
 * Threading: rt_mask_set_keys is called once while settings load, before other threads log;
 * everything else is read-only and may run on any thread.
 */
#ifndef RT_LOG_MASK_H
#define RT_LOG_MASK_H

#include <stddef.h>

#include "ratchet/abi.h"

#define RT_MASK_REDACTED "[redacted]"

/* Header names whose values are always secret (also used for fetch recordings). NULL-ended. */
extern const char *const rt_mask_secret_headers[];
/* Nonzero when `name` is one of rt_mask_secret_headers (ASCII case-insensitive). */
int rt_mask_is_secret_header(const char *name);

/* Replace the configured extra keys (logging.redact_keys, execution.redact_headers) by a copy
 * of `keys`. RATCHET_NOMEM leaves the previous ones. */
ratchet_status rt_mask_set_keys(const char *const *keys, size_t n);
/* Forget the configured keys (tests, shutdown). */
void rt_mask_clear_keys(void);

/* Nonzero when `key` names a secret (built-in or configured). */
int rt_mask_key_is_secret(const char *key);

/* Mask the secrets in `text`. Returns NULL when there is nothing to mask (the common case,
 * no allocation) or a malloc'd masked copy the caller frees; also NULL when out of memory,
 * in which case *failed is set (callers then drop the text rather than leak a secret). */
char *rt_mask_text(const char *text, int *failed);

#endif
