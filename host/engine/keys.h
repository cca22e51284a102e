/*
 * host/engine/keys.h - API keys: made, stored hashed, checked.
 *
 * A key's secret is "rk_" followed by 43 characters of base64url (32 random bytes from
 * getrandom). Only its SHA-256 (hex) and its first 10 characters (to recognise it in
 * `keys list`) are stored, through the storage's key_* calls (ABI 1.4).
 *
 * Threading: every function may be called from any thread.
 */
#ifndef RT_KEYS_H
#define RT_KEYS_H

#include "core/core_layer.h"
#include "store.h"

#define RT_KEY_SECRET_MAX 64

/* Make a key named `name` with `scope` ("read", "write" or "admin"), store it, and write its
 * secret (NUL-terminated) to secret[RT_KEY_SECRET_MAX]. RATCHET_ERR with the reason in *err
 * (a bad name or scope, a live key with that name, a storage without key calls). */
ratchet_status rt_keys_create(rt_store *st, const char *name, const char *scope,
                              char secret[RT_KEY_SECRET_MAX], int64_t *id, rt_error *err);

/* Check a presented secret: RATCHET_OK with the key's name appended to `name` and its scope
 * (1 read, 2 write, 3 admin) in *scope; RATCHET_NOTFOUND when unknown or revoked; RATCHET_ERR
 * with *err set when the storage failed. */
ratchet_status rt_keys_verify(rt_store *st, const char *secret, ratchet_buf *name, int *scope,
                              rt_error *err);

/* "read" -> 1, "write" -> 2, "admin" -> 3; 0 for anything else. */
int rt_keys_scope_rank(const char *scope);

#endif
