/*
 * sqlite_keys.c - API keys: create, list, revoke, find by hash.
 *
 * Only the hash of a secret is stored (the engine hashes; the secret never reaches the
 * plugin), with its first characters (`prefix`) so that people can tell keys apart. A name
 * names one live key at a time (a partial unique index over keys not revoked): after a revoke
 * the name may be given to a new key, and the revoked one stays listed with its revokedAt.
 *
 * key_find runs on every authenticated request, so it is one indexed read; recording
 * lastUsedAt is a write, done at most once a minute per key and never failing the lookup.
 */
#include <stdlib.h>
#include <string.h>

#include "sqlite_int.h"

static ratchet_status key_insert(sq_inst *in, sq_conn *c, rs_key_doc *k)
{
    /* The name is checked first so that its message wins over the index's. */
    sqlite3_stmt *st = sq_stmt(in, c, SQ_KEY_LIVE_NAME,
                               "SELECT 1 FROM api_keys WHERE name = ?1 AND revoked_at IS NULL");
    if (!st)
        return RATCHET_ERR;
    sq_bind_text(st, 1, k->name);
    int rc = sqlite3_step(st);
    sq_reset(st);
    if (rc == SQLITE_ROW) {
        sq_host->set_error(in->ctx, "an API key named '%s' exists", k->name);
        return RATCHET_ERR;
    }
    if (rc != SQLITE_DONE)
        return sq_fail(in, c, rc, "reading API keys");
    st = sq_stmt(in, c, SQ_KEY_INSERT,
                 "INSERT INTO api_keys (name, scope, hash, prefix, created_at) "
                 "VALUES (?1, ?2, lower(?3), ?4, ?5)");
    if (!st)
        return RATCHET_ERR;
    sq_bind_text(st, 1, k->name);
    sq_bind_text(st, 2, k->scope);
    sq_bind_text(st, 3, k->hash);
    sq_bind_text(st, 4, k->prefix);
    sq_bind_int(st, 5, sq_now_ms());
    rc = sqlite3_step(st);
    sq_reset(st);
    if (rc == SQLITE_CONSTRAINT_UNIQUE) {
        sq_host->set_error(in->ctx, "an API key with this hash exists (generate a new secret)");
        return RATCHET_ERR;
    }
    if (rc != SQLITE_DONE)
        return sq_fail(in, c, rc, "storing an API key");
    k->id = sqlite3_last_insert_rowid(c->db);
    return RATCHET_OK;
}

static ratchet_status create_fn(void *inst, void *conn, void *arg)
{
    return key_insert(inst, conn, arg);
}

static ratchet_status list_fn(void *inst, void *conn, void *arg)
{
    sq_inst *in = inst;
    sq_conn *c = conn;
    ratchet_buf *out = arg;
    sqlite3_stmt *st = sq_stmt(in, c, SQ_KEY_LIST,
                               "SELECT id, name, scope, prefix, created_at, last_used_at, "
                               "revoked_at FROM api_keys ORDER BY id");
    if (!st)
        return RATCHET_ERR;
    return sq_emit_rows(in, c, st, rs_emit_key, "listing API keys", out);
}

static ratchet_status revoke_fn(void *inst, void *conn, void *arg)
{
    sq_inst *in = inst;
    sq_conn *c = conn;
    rs_key_revocation *r = arg;
    sqlite3_stmt *st = r->by_id ? sq_stmt(in, c, SQ_KEY_REVOKE_ID,
                                          "UPDATE api_keys SET revoked_at = ?2 "
                                          "WHERE id = ?1 AND revoked_at IS NULL")
                                : sq_stmt(in, c, SQ_KEY_REVOKE_NAME,
                                          "UPDATE api_keys SET revoked_at = ?2 "
                                          "WHERE name = ?1 AND revoked_at IS NULL");
    if (!st)
        return RATCHET_ERR;
    if (r->by_id)
        sq_bind_int(st, 1, r->id);
    else
        sq_bind_text(st, 1, r->ref);
    sq_bind_int(st, 2, r->now);
    ratchet_status s = sq_step_done(in, c, st, "revoking an API key");
    if (s == RATCHET_OK)
        r->changes = sqlite3_changes(c->db);
    return s;
}

static ratchet_status touch_fn(void *inst, void *conn, void *arg)
{
    sq_inst *in = inst;
    sq_conn *c = conn;
    rs_key_found *f = arg;
    sqlite3_stmt *st = sq_stmt(in, c, SQ_KEY_TOUCH,
                               "UPDATE api_keys SET last_used_at = ?2 WHERE id = ?1 AND "
                               "(last_used_at IS NULL OR last_used_at <= ?2 - ?3)");
    if (!st)
        return RATCHET_ERR;
    sq_bind_int(st, 1, f->touch_id);
    sq_bind_int(st, 2, f->now);
    sq_bind_int(st, 3, RS_KEY_TOUCH_MS);
    return sq_step_done(in, c, st, "recording an API key's use");
}

static ratchet_status find_fn(void *inst, void *conn, void *arg)
{
    sq_inst *in = inst;
    sq_conn *c = conn;
    rs_key_found *f = arg;
    sqlite3_stmt *st = sq_stmt(in, c, SQ_KEY_FIND,
                               "SELECT id, name, scope, last_used_at FROM api_keys "
                               "WHERE hash = lower(?1) AND revoked_at IS NULL");
    if (!st)
        return RATCHET_ERR;
    sq_bind_text(st, 1, f->hash);
    int rc = sqlite3_step(st);
    ratchet_status s;
    if (rc == SQLITE_ROW) {
        rs_out o;
        rs_out_init(&o, f->out);
        rs_row row = sq_row(st);
        rs_emit_key_found(&o, &row);
        s = rs_out_done(in->ctx, &o);
        int64_t last = sqlite3_column_int64(st, 3);
        f->touch_id = sqlite3_column_type(st, 3) == SQLITE_NULL || last <= f->now - RS_KEY_TOUCH_MS
                          ? sqlite3_column_int64(st, 0)
                          : 0;
    } else if (rc == SQLITE_DONE) {
        sq_host->set_error(in->ctx, "no live API key has this hash");
        s = RATCHET_NOTFOUND;
    } else {
        s = sq_fail(in, c, rc, "finding an API key");
    }
    sq_reset(st);
    return s;
}

/* ---- the key calls (storage-common's rs_keys.c over the statements above) ---------------- */

static ratchet_status inst_ready(void *inst)
{
    return sq_ready(inst);
}

static ratchet_ctx *inst_ctx(void *inst)
{
    return ((sq_inst *)inst)->ctx;
}

static const rs_key_ops key_ops = {inst_ready, inst_ctx,  sq_now_ms, sq_with_tx, sq_with_conn,
                                   create_fn,  revoke_fn, list_fn,   find_fn,    touch_fn};

ratchet_status sqlite_key_create(void *instance, const char *key_json, int64_t *id)
{
    return rs_key_create(&key_ops, instance, key_json, id);
}

ratchet_status sqlite_key_list(void *instance, ratchet_buf *out)
{
    return rs_key_list(&key_ops, instance, out);
}

ratchet_status sqlite_key_revoke(void *instance, const char *ref, int64_t now_ms)
{
    return rs_key_revoke(&key_ops, instance, ref, now_ms);
}

ratchet_status sqlite_key_find(void *instance, const char *hash, int64_t now_ms, ratchet_buf *out)
{
    return rs_key_find(&key_ops, instance, hash, now_ms, out);
}
