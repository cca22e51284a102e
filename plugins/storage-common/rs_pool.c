/*
 * rs_pool.c - see rs_pool.h.
 */
#include <stddef.h>

#include "rs_pool.h"

ratchet_status rs_with_conn(const rs_pool_ops *ops, void *inst, rs_conn_fn fn, void *arg)
{
    void *conn = NULL;
    ratchet_status s = ops->ready(inst);
    if (s != RATCHET_OK || (s = ops->acquire(inst, 0, &conn)) != RATCHET_OK)
        return s;
    s = fn(inst, conn, arg);
    ops->release(inst, conn);
    return s;
}

ratchet_status rs_with_tx(const rs_pool_ops *ops, void *inst, rs_conn_fn fn, void *arg)
{
    void *conn = NULL;
    ratchet_status s = ops->ready(inst);
    if (s != RATCHET_OK || (s = ops->acquire(inst, 1, &conn)) != RATCHET_OK)
        return s;
    s = ops->end(inst, conn, fn(inst, conn, arg));
    ops->release(inst, conn);
    return s;
}
