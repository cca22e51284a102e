/*
 * rs_pool.h - storage-common: running a plugin's statement function on one of its pooled
 * connections, with or without a transaction of its own. The plugin says how to take and give
 * back a connection; the order (ready, take, run, end, give back) is here.
 */
#ifndef RS_POOL_H
#define RS_POOL_H

#include <ratchet/plugin.h>

#include "rs_keys.h"

typedef struct rs_pool_ops {
    ratchet_status (*ready)(void *inst); /* RATCHET_ERR (set_error) unless started */
    /* a pooled connection into *conn, inside a write transaction (BEGIN) when `begin` */
    ratchet_status (*acquire)(void *inst, int begin, void **conn);
    /* end the transaction with status s: commit when RATCHET_OK, else roll back; the final
     * status */
    ratchet_status (*end)(void *inst, void *conn, ratchet_status s);
    void (*release)(void *inst, void *conn);
} rs_pool_ops;

/* fn(inst, conn, arg) on a pooled connection; fn's status (or ready's / acquire's). */
ratchet_status rs_with_conn(const rs_pool_ops *ops, void *inst, rs_conn_fn fn, void *arg);
/* The same inside a write transaction of its own, committed when fn succeeds. */
ratchet_status rs_with_tx(const rs_pool_ops *ops, void *inst, rs_conn_fn fn, void *arg);

#endif /* RS_POOL_H */
