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

#define KEY_NAME_MAX   128
#define KEY_PREFIX_MAX 32
#define KEY_HASH_LEN   64 /* hex SHA-256 */
/* lastUsedAt moves when it is at least this old */
#define KEY_TOUCH_MS 60000

typedef struct key_doc {
    json_object *doc;
    const char *name, *scope, *hash, *prefix;
    int64_t id; /* out */
} key_doc;

static int is_hex(const char *s, size_t len)
{
    if (strlen(s) != len)
        return 0;
    for (; *s; s++)
        if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f') || (*s >= 'A' && *s <= 'F')))
            return 0;
    return 1;
}

static ratchet_status key_bad(sq_inst *in, const char *why)
{
    sq_host->set_error(in->ctx, "API key: %s", why);
    return RATCHET_ERR;
}

static ratchet_status key_parse(sq_inst *in, const char *json, key_doc *k)
{
    static const char what[] = "API key";
    memset(k, 0, sizeof *k);
    ratchet_status s = sq_parse_object(in, json, what, 0, &k->doc);
    if (s == RATCHET_OK)
        s = sq_get_str(in, k->doc, what, "name", 1, &k->name);
    if (s == RATCHET_OK)
        s = sq_get_str(in, k->doc, what, "scope", 1, &k->scope);
    if (s == RATCHET_OK)
        s = sq_get_str(in, k->doc, what, "hash", 1, &k->hash);
    if (s == RATCHET_OK)
        s = sq_get_str(in, k->doc, what, "prefix", 1, &k->prefix);
    if (s != RATCHET_OK)
        return s;
    if (strlen(k->name) > KEY_NAME_MAX)
        return key_bad(in, "\"name\" is longer than 128 characters");
    if (strcmp(k->scope, "read") != 0 && strcmp(k->scope, "write") != 0 &&
        strcmp(k->scope, "admin") != 0)
        return key_bad(in, "\"scope\" must be read, write or admin");
    if (!is_hex(k->hash, KEY_HASH_LEN))
        return key_bad(in, "\"hash\" must be the hex SHA-256 of the secret (64 characters)");
    if (strlen(k->prefix) > KEY_PREFIX_MAX)
        return key_bad(in, "\"prefix\" is longer than 32 characters");
    return RATCHET_OK;
}

static ratchet_status key_insert(sq_inst *in, sq_conn *c, key_doc *k)
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

/* Run fn in a write transaction on a pooled connection (keys do not wake the engine). */
static ratchet_status key_tx(sq_inst *in, ratchet_status (*fn)(sq_inst *, sq_conn *, void *),
                             void *arg)
{
    sq_conn *c = NULL;
    ratchet_status s = sq_ready(in);
    if (s != RATCHET_OK || (s = sq_acquire_begin(in, &c)) != RATCHET_OK)
        return s;
    s = fn(in, c, arg);
    if (s == RATCHET_OK)
        s = sq_commit(in, c);
    else
        sq_rollback(in, c);
    sq_release(in, c);
    return s;
}

static ratchet_status create_fn(sq_inst *in, sq_conn *c, void *arg)
{
    return key_insert(in, c, arg);
}

ratchet_status sqlite_key_create(void *instance, const char *key_json, int64_t *id)
{
    sq_inst *in = instance;
    key_doc k;
    *id = 0;
    ratchet_status s = key_parse(in, key_json, &k);
    if (s == RATCHET_OK)
        s = key_tx(in, create_fn, &k);
    if (s == RATCHET_OK)
        *id = k.id;
    json_object_put(k.doc);
    return s;
}

/* ---- list ------------------------------------------------------------------------------- */

static ratchet_status key_list(sq_inst *in, sq_conn *c, ratchet_buf *out)
{
    sqlite3_stmt *st = sq_stmt(in, c, SQ_KEY_LIST,
                               "SELECT id, name, scope, prefix, created_at, last_used_at, "
                               "revoked_at FROM api_keys ORDER BY id");
    if (!st)
        return RATCHET_ERR;
    sq_out o;
    sq_out_init(&o, out);
    sq_out_begin(&o, NULL, '[');
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        sq_out_begin(&o, NULL, '{');
        sq_out_col_int(&o, "id", st, 0);
        sq_out_col_str(&o, "name", st, 1);
        sq_out_col_str(&o, "scope", st, 2);
        sq_out_col_str(&o, "prefix", st, 3);
        sq_out_col_time(&o, "createdAt", st, 4);
        sq_out_col_time(&o, "lastUsedAt", st, 5);
        sq_out_col_time(&o, "revokedAt", st, 6);
        sq_out_end(&o, '}');
    }
    sq_out_end(&o, ']');
    sq_reset(st);
    if (rc != SQLITE_DONE)
        return sq_fail(in, c, rc, "listing API keys");
    return sq_out_done(in, &o);
}

ratchet_status sqlite_key_list(void *instance, ratchet_buf *out)
{
    sq_inst *in = instance;
    sq_conn *c = NULL;
    ratchet_status s = sq_ready(in);
    if (s != RATCHET_OK || (s = sq_acquire(in, &c)) != RATCHET_OK)
        return s;
    s = key_list(in, c, out);
    sq_release(in, c);
    return s;
}

/* ---- revoke ----------------------------------------------------------------------------- */

typedef struct key_revoke {
    const char *ref;
    int64_t now;
} key_revoke;

/* Revoke the live key with id ?1 (when ref is decimal), else the one named ?1. */
static ratchet_status revoke_fn(sq_inst *in, sq_conn *c, void *arg)
{
    key_revoke *r = arg;
    char *end = NULL;
    long long id = strtoll(r->ref, &end, 10);
    int by_id = *r->ref >= '0' && *r->ref <= '9' && !*end && id > 0;
    for (int pass = by_id ? 0 : 1; pass < 2; pass++) {
        sqlite3_stmt *st = pass == 0 ? sq_stmt(in, c, SQ_KEY_REVOKE_ID,
                                               "UPDATE api_keys SET revoked_at = ?2 "
                                               "WHERE id = ?1 AND revoked_at IS NULL")
                                     : sq_stmt(in, c, SQ_KEY_REVOKE_NAME,
                                               "UPDATE api_keys SET revoked_at = ?2 "
                                               "WHERE name = ?1 AND revoked_at IS NULL");
        if (!st)
            return RATCHET_ERR;
        if (pass == 0)
            sq_bind_int(st, 1, id);
        else
            sq_bind_text(st, 1, r->ref);
        sq_bind_int(st, 2, r->now);
        ratchet_status s = sq_step_done(in, c, st, "revoking an API key");
        if (s != RATCHET_OK || sqlite3_changes(c->db) > 0)
            return s;
    }
    sq_host->set_error(in->ctx, "no live API key named or numbered '%s'", r->ref);
    return RATCHET_NOTFOUND;
}

ratchet_status sqlite_key_revoke(void *instance, const char *ref, int64_t now_ms)
{
    sq_inst *in = instance;
    if (!ref || !*ref) {
        sq_host->set_error(in->ctx, "key_revoke: no key named");
        return RATCHET_ERR;
    }
    key_revoke r = {ref, now_ms > 0 ? now_ms : sq_now_ms()};
    return key_tx(in, revoke_fn, &r);
}

/* ---- find ------------------------------------------------------------------------------- */

typedef struct key_touch {
    int64_t id, now;
} key_touch;

static ratchet_status touch_fn(sq_inst *in, sq_conn *c, void *arg)
{
    key_touch *t = arg;
    sqlite3_stmt *st = sq_stmt(in, c, SQ_KEY_TOUCH,
                               "UPDATE api_keys SET last_used_at = ?2 WHERE id = ?1 AND "
                               "(last_used_at IS NULL OR last_used_at <= ?2 - ?3)");
    if (!st)
        return RATCHET_ERR;
    sq_bind_int(st, 1, t->id);
    sq_bind_int(st, 2, t->now);
    sq_bind_int(st, 3, KEY_TOUCH_MS);
    return sq_step_done(in, c, st, "recording an API key's use");
}

/* Read the live key; *touch when its lastUsedAt is due to move. */
static ratchet_status key_read(sq_inst *in, sq_conn *c, const char *hash, int64_t now,
                               key_touch *touch, ratchet_buf *out)
{
    sqlite3_stmt *st = sq_stmt(in, c, SQ_KEY_FIND,
                               "SELECT id, name, scope, last_used_at FROM api_keys "
                               "WHERE hash = lower(?1) AND revoked_at IS NULL");
    if (!st)
        return RATCHET_ERR;
    sq_bind_text(st, 1, hash);
    int rc = sqlite3_step(st);
    ratchet_status s;
    if (rc == SQLITE_ROW) {
        sq_out o;
        sq_out_init(&o, out);
        sq_out_begin(&o, NULL, '{');
        sq_out_col_int(&o, "id", st, 0);
        sq_out_col_str(&o, "name", st, 1);
        sq_out_col_str(&o, "scope", st, 2);
        sq_out_end(&o, '}');
        s = sq_out_done(in, &o);
        int64_t last = sqlite3_column_int64(st, 3);
        touch->id = sqlite3_column_type(st, 3) == SQLITE_NULL || last <= now - KEY_TOUCH_MS
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

ratchet_status sqlite_key_find(void *instance, const char *hash, int64_t now_ms, ratchet_buf *out)
{
    sq_inst *in = instance;
    sq_conn *c = NULL;
    key_touch touch = {0, now_ms > 0 ? now_ms : sq_now_ms()};
    ratchet_status s = sq_ready(in);
    if (s != RATCHET_OK)
        return s;
    if (!hash || !is_hex(hash, KEY_HASH_LEN)) {
        sq_host->set_error(in->ctx, "no live API key has this hash");
        return RATCHET_NOTFOUND;
    }
    if ((s = sq_acquire(in, &c)) != RATCHET_OK)
        return s;
    s = key_read(in, c, hash, touch.now, &touch, out);
    sq_release(in, c);
    /* Bookkeeping only: a busy database must not refuse a valid key. */
    if (s == RATCHET_OK && touch.id > 0 && key_tx(in, touch_fn, &touch) != RATCHET_OK &&
        sq_host->log_enabled(RATCHET_LOG_DEBUG))
        sq_host->log(in->ctx, RATCHET_LOG_DEBUG, "API key %lld: lastUsedAt not recorded",
                     (long long)touch.id);
    return s;
}
