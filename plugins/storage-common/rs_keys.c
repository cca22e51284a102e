/*
 * rs_keys.c - the API key calls of both storage plugins, over their statements (see
 * rs_keys.h).
 */
#include <stdlib.h>

#include "rs_docs.h"
#include "rs_keys.h"
#include "rs_out.h"

ratchet_status rs_key_create(const rs_key_ops *ops, void *inst, const char *key_json, int64_t *id)
{
    rs_key_doc k;
    *id = 0;
    ratchet_status s = rs_key_parse(ops->ctx(inst), key_json, &k);
    if (s == RATCHET_OK)
        s = ops->tx(inst, ops->insert, &k);
    if (s == RATCHET_OK)
        *id = k.id;
    json_object_put(k.doc);
    return s;
}

ratchet_status rs_key_list(const rs_key_ops *ops, void *inst, ratchet_buf *out)
{
    return ops->read(inst, ops->list, out);
}

/* By id (when ref is decimal), else by name. */
static ratchet_status revoke_fn(void *inst, void *conn, void *arg)
{
    rs_key_revocation *r = arg;
    char *end = NULL;
    long long id = strtoll(r->ref, &end, 10);
    int by_id = *r->ref >= '0' && *r->ref <= '9' && !*end && id > 0;
    for (int pass = by_id ? 0 : 1; pass < 2; pass++) {
        r->by_id = pass == 0;
        r->id = id;
        r->changes = 0;
        ratchet_status s = r->ops->revoke(inst, conn, r);
        if (s != RATCHET_OK || r->changes > 0)
            return s;
    }
    rs_host->set_error(r->ops->ctx(inst), "no live API key named or numbered '%s'", r->ref);
    return RATCHET_NOTFOUND;
}

ratchet_status rs_key_revoke(const rs_key_ops *ops, void *inst, const char *ref, int64_t now_ms)
{
    if (!ref || !*ref) {
        rs_host->set_error(ops->ctx(inst), "key_revoke: no key named");
        return RATCHET_ERR;
    }
    rs_key_revocation r = {ops, ref, 0, now_ms > 0 ? now_ms : ops->now_ms(), 0, 0};
    return ops->tx(inst, revoke_fn, &r);
}

ratchet_status rs_key_find(const rs_key_ops *ops, void *inst, const char *hash, int64_t now_ms,
                           ratchet_buf *out)
{
    rs_key_found f = {hash, out, now_ms > 0 ? now_ms : ops->now_ms(), 0};
    ratchet_status s = ops->ready(inst);
    if (s != RATCHET_OK)
        return s;
    if (!rs_key_hash_ok(hash)) {
        rs_host->set_error(ops->ctx(inst), "no live API key has this hash");
        return RATCHET_NOTFOUND;
    }
    s = ops->read(inst, ops->find, &f);
    /* Bookkeeping only: a busy database must not refuse a valid key. */
    if (s == RATCHET_OK && f.touch_id > 0 && ops->tx(inst, ops->touch, &f) != RATCHET_OK &&
        rs_host->log_enabled(RATCHET_LOG_DEBUG))
        rs_host->log(ops->ctx(inst), RATCHET_LOG_DEBUG, "API key %lld: lastUsedAt not recorded",
                     (long long)f.touch_id);
    return s;
}
