/*
 * rs_keys.h - storage-common: the API key calls of the storage vtable (key_create, key_list,
 * key_revoke, key_find) over a plugin's statements. This file reads and checks the arguments,
 * resolves a reference by id or name and decides when lastUsedAt moves; the plugin runs the
 * statements.
 */
#ifndef RS_KEYS_H
#define RS_KEYS_H

#include <stdint.h>

#include <ratchet/plugin.h>

/* lastUsedAt moves when it is at least this old. */
#define RS_KEY_TOUCH_MS 60000

/* Statements on the plugin's instance and connection; RATCHET_* after set_error. */
typedef ratchet_status (*rs_conn_fn)(void *inst, void *conn, void *arg);

/* key_revoke's statement argument: revoke the live key numbered `id` (by_id) or named `ref`
 * at `now`; the statement sets `changes`. */
typedef struct rs_key_revocation {
    const struct rs_key_ops *ops;
    const char *ref;
    int64_t id, now, changes;
    int by_id;
} rs_key_revocation;

/* key_find's statement argument: write the live key with hash `hash` (rs_emit_key_found) into
 * out, or RATCHET_NOTFOUND "no live API key has this hash"; set touch_id to its id when its
 * lastUsedAt is NULL or older than now - RS_KEY_TOUCH_MS (else 0). The touch statement then
 * sets lastUsedAt of touch_id to now (when still that old). */
typedef struct rs_key_found {
    const char *hash;
    ratchet_buf *out;
    int64_t now, touch_id;
} rs_key_found;

typedef struct rs_key_ops {
    ratchet_status (*ready)(void *inst);
    ratchet_ctx *(*ctx)(void *inst);
    int64_t (*now_ms)(void);
    /* fn in a write transaction of its own (commit when OK, else roll back); checks ready */
    ratchet_status (*tx)(void *inst, rs_conn_fn fn, void *arg);
    /* fn on a pooled connection outside a transaction; checks ready */
    ratchet_status (*read)(void *inst, rs_conn_fn fn, void *arg);
    rs_conn_fn insert; /* rs_key_doc: refuse a live name or a known hash, store, set id */
    rs_conn_fn revoke; /* rs_key_revocation */
    rs_conn_fn list;   /* ratchet_buf: every key (rs_emit_key) as an array, by id */
    rs_conn_fn find;   /* rs_key_found */
    rs_conn_fn touch;  /* rs_key_found */
} rs_key_ops;

/* The vtable calls (see ratchet/storage.h), instance being the plugin's. */
ratchet_status rs_key_create(const rs_key_ops *ops, void *inst, const char *key_json, int64_t *id);
ratchet_status rs_key_list(const rs_key_ops *ops, void *inst, ratchet_buf *out);
/* ref: a decimal id (tried first) or a name; RATCHET_NOTFOUND when no live key matches. */
ratchet_status rs_key_revoke(const rs_key_ops *ops, void *inst, const char *ref, int64_t now_ms);
/* Recording lastUsedAt is bookkeeping: its failure is logged (debug), not returned. */
ratchet_status rs_key_find(const rs_key_ops *ops, void *inst, const char *hash, int64_t now_ms,
                           ratchet_buf *out);

#endif /* RS_KEYS_H */
