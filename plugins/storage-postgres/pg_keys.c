/*
 * pg_keys.c - API keys: create, list, revoke, find by hash.
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

#include "pg_int.h"

static ratchet_status key_insert(pg_inst *in, pg_conn *c, rs_key_doc *k)
{
    /* The name is checked first so that its message wins over the index's. */
    pg_params p;
    pp_init(&p);
    pp_text(&p, k->name);
    PGresult *r = NULL;
    ratchet_status s = pg_run(in, c, PG_KEY_LIVE_NAME,
                              "SELECT 1 FROM api_keys WHERE name = $1 AND revoked_at IS NULL", &p,
                              "reading API keys", &r);
    if (s != RATCHET_OK)
        return s;
    int taken = PQntuples(r) > 0;
    PQclear(r);
    if (taken) {
        pg_host->set_error(in->ctx, "an API key named '%s' exists", k->name);
        return RATCHET_ERR;
    }
    pp_text(&p, k->scope);
    pp_text(&p, k->hash);
    pp_text(&p, k->prefix);
    pp_int(&p, pg_now_ms());
    s = pg_run(in, c, PG_KEY_INSERT,
               "INSERT INTO api_keys (name, scope, hash, prefix, created_at) "
               "VALUES ($1, $2, lower($3), $4, $5) RETURNING id",
               &p, "storing an API key", &r);
    if (s == RATCHET_ERR && !strcmp(c->state, "23505")) {
        pg_host->set_error(in->ctx, "an API key with this hash exists (generate a new secret)");
        return RATCHET_ERR;
    }
    if (s != RATCHET_OK)
        return s;
    k->id = pg_int(r, 0, 0);
    PQclear(r);
    return RATCHET_OK;
}

static ratchet_status create_fn(void *inst, void *conn, void *arg)
{
    return key_insert(inst, conn, arg);
}

static ratchet_status list_fn(void *inst, void *conn, void *arg)
{
    pg_inst *in = inst;
    pg_conn *c = conn;
    ratchet_buf *out = arg;
    PGresult *r = NULL;
    ratchet_status s = pg_run(in, c, PG_KEY_LIST,
                              "SELECT id, name, scope, prefix, created_at, last_used_at, "
                              "revoked_at FROM api_keys ORDER BY id",
                              NULL, "listing API keys", &r);
    if (s != RATCHET_OK)
        return s;
    s = pg_emit_rows(in, r, rs_emit_key, out);
    PQclear(r);
    return s;
}

static ratchet_status revoke_fn(void *inst, void *conn, void *arg)
{
    rs_key_revocation *r = arg;
    pg_params p;
    pp_init(&p);
    if (r->by_id)
        pp_int(&p, r->id);
    else
        pp_text(&p, r->ref);
    pp_int(&p, r->now);
    return r->by_id ? pg_run_cmd(inst, conn, PG_KEY_REVOKE_ID,
                                 "UPDATE api_keys SET revoked_at = $2 "
                                 "WHERE id = $1 AND revoked_at IS NULL",
                                 &p, "revoking an API key", &r->changes)
                    : pg_run_cmd(inst, conn, PG_KEY_REVOKE_NAME,
                                 "UPDATE api_keys SET revoked_at = $2 "
                                 "WHERE name = $1 AND revoked_at IS NULL",
                                 &p, "revoking an API key", &r->changes);
}

static ratchet_status touch_fn(void *inst, void *conn, void *arg)
{
    rs_key_found *f = arg;
    pg_params p;
    pp_init(&p);
    pp_int(&p, f->touch_id);
    pp_int(&p, f->now);
    pp_int(&p, RS_KEY_TOUCH_MS);
    return pg_run_cmd(inst, conn, PG_KEY_TOUCH,
                      "UPDATE api_keys SET last_used_at = $2 WHERE id = $1 AND "
                      "(last_used_at IS NULL OR last_used_at <= $2::bigint - $3::bigint)",
                      &p, "recording an API key's use", NULL);
}

static ratchet_status find_fn(void *inst, void *conn, void *arg)
{
    pg_inst *in = inst;
    rs_key_found *f = arg;
    pg_params p;
    pp_init(&p);
    pp_text(&p, f->hash);
    PGresult *r = NULL;
    ratchet_status s = pg_run(in, conn, PG_KEY_FIND,
                              "SELECT id, name, scope, last_used_at FROM api_keys "
                              "WHERE hash = lower($1) AND revoked_at IS NULL",
                              &p, "finding an API key", &r);
    if (s != RATCHET_OK)
        return s;
    if (PQntuples(r) > 0) {
        rs_out o;
        rs_out_init(&o, f->out);
        rs_row row = pg_row(r, 0);
        rs_emit_key_found(&o, &row);
        s = rs_out_done(in->ctx, &o);
        f->touch_id =
            pg_isnull(r, 0, 3) || pg_int(r, 0, 3) <= f->now - RS_KEY_TOUCH_MS ? pg_int(r, 0, 0) : 0;
    } else {
        pg_host->set_error(in->ctx, "no live API key has this hash");
        s = RATCHET_NOTFOUND;
    }
    PQclear(r);
    return s;
}

/* ---- the key calls (storage-common's rs_keys.c over the statements above) ---------------- */

static ratchet_status inst_ready(void *inst)
{
    return pg_ready(inst);
}

static ratchet_ctx *inst_ctx(void *inst)
{
    return ((pg_inst *)inst)->ctx;
}

static const rs_key_ops key_ops = {inst_ready, inst_ctx,  pg_now_ms, pg_with_tx, pg_with_conn,
                                   create_fn,  revoke_fn, list_fn,   find_fn,    touch_fn};

ratchet_status pgs_key_create(void *instance, const char *key_json, int64_t *id)
{
    return rs_key_create(&key_ops, instance, key_json, id);
}

ratchet_status pgs_key_list(void *instance, ratchet_buf *out)
{
    return rs_key_list(&key_ops, instance, out);
}

ratchet_status pgs_key_revoke(void *instance, const char *ref, int64_t now_ms)
{
    return rs_key_revoke(&key_ops, instance, ref, now_ms);
}

ratchet_status pgs_key_find(void *instance, const char *hash, int64_t now_ms, ratchet_buf *out)
{
    return rs_key_find(&key_ops, instance, hash, now_ms, out);
}
