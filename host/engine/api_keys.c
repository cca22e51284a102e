/*
 * host/engine/api_keys.c - API keys through ratchet.engine (keys_list, key_create, key_revoke,
 * keys_generation): the storage and hashing of `ratchet keys` (keys.c), for the REST routes
 * an admin uses from the web UI.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "api_int.h"
#include "keys.h"

/* Bumped by every revoke made through the table (keys_generation). */
static atomic_uint_fast64_t generation;

/* The storage's key list, parsed; NULL with the error written to out. */
static struct json_object *stored_keys(rt_api *a, ratchet_buf *out, size_t mark)
{
    if (!rt_api_storage14(a)) {
        rt_api_unsupported(out, mark, "API keys");
        return NULL;
    }
    ratchet_buf text = RATCHET_BUF_INIT;
    rt_error_clear();
    ratchet_status rc = a->vt->key_list(a->si, &text);
    struct json_object *keys = rt_api_stored(rc, &text, "API keys", out, mark);
    if (keys && !json_object_is_type(keys, json_type_array)) {
        json_object_put(keys);
        rt_api_fail(out, mark, "INTERNAL_ERROR", NULL, "the storage answered a malformed key list");
        return NULL;
    }
    return keys;
}

/* A key record's id as decimal text into id[32]. */
static const char *id_text(struct json_object *k, char id[32])
{
    snprintf(id, 32, "%lld", (long long)json_object_get_int64(rt_api_member(k, "id")));
    return id;
}

/* The live key whose id (decimal text) or name is `ref` in `keys` (borrowed), or NULL. */
static struct json_object *live_key(struct json_object *keys, const char *ref)
{
    for (size_t i = 0; i < json_object_array_length(keys); i++) {
        struct json_object *k = json_object_array_get_idx(keys, i);
        char id[32];
        const char *name = rt_api_str(k, "name");
        if (!rt_api_member(k, "revokedAt") &&
            (strcmp(id_text(k, id), ref) == 0 || (name && strcmp(name, ref) == 0)))
            return k;
    }
    return NULL;
}

static ratchet_status keys_list(ratchet_buf *out)
{
    size_t mark = out->len;
    rt_api *a = rt_api_enter(out, mark);
    struct json_object *keys = a ? stored_keys(a, out, mark) : NULL;
    ratchet_status rc = keys ? rt_api_put(out, keys) : RATCHET_ERR;
    json_object_put(keys);
    return rc;
}

static ratchet_status key_create(const char *name, const char *scope, ratchet_buf *out)
{
    size_t mark = out->len;
    rt_api *a = rt_api_enter(out, mark);
    if (!a)
        return RATCHET_ERR;
    if (!rt_keys_scope_rank(scope)) {
        struct json_object *d = json_object_new_array();
        rt_api_detail(d, "/scope", "the scope must be read, write or admin");
        return rt_api_fail(out, mark, "VALIDATION_ERROR", d,
                           "invalid scope '%s': use read, write or admin", scope ? scope : "");
    }
    struct json_object *keys = stored_keys(a, out, mark);
    if (!keys)
        return RATCHET_ERR;
    int taken = name && live_key(keys, name) != NULL;
    json_object_put(keys);
    if (taken)
        return rt_api_fail(out, mark, "CONFLICT", NULL,
                           "an API key named '%s' exists (revoke it first)", name);
    char secret[RT_KEY_SECRET_MAX];
    int64_t id = 0;
    rt_error err;
    if (rt_keys_create(a->st, name, scope, secret, &id, &err) != RATCHET_OK) {
        struct json_object *d = json_object_new_array();
        rt_api_detail(d, "/name", err.msg);
        return rt_api_fail(out, mark, "VALIDATION_ERROR", d, "%s", err.msg);
    }
    struct json_object *o = json_object_new_object();
    json_object_object_add(o, "id", json_object_new_int64(id));
    json_object_object_add(o, "name", json_object_new_string(name));
    json_object_object_add(o, "scope", json_object_new_string(scope));
    json_object_object_add(o, "prefix", json_object_new_string_len(secret, 10));
    json_object_object_add(o, "secret", json_object_new_string(secret));
    memset(secret, 0, sizeof secret);
    ratchet_status rc = rt_api_put(out, o);
    json_object_put(o);
    return rc;
}

static ratchet_status key_revoke(const char *ref, ratchet_buf *out)
{
    size_t mark = out->len;
    rt_api *a = rt_api_enter(out, mark);
    struct json_object *keys = a ? stored_keys(a, out, mark) : NULL;
    if (!keys)
        return RATCHET_ERR;
    struct json_object *k = ref ? live_key(keys, ref) : NULL;
    char id[32];
    if (k)
        id_text(k, id);
    json_object_put(keys);
    if (!k)
        return rt_api_fail(out, mark, "NOT_FOUND", NULL, "no live API key '%s'", ref ? ref : "");
    rt_error_clear();
    ratchet_status rc = a->vt->key_revoke(a->si, id, rt_api_now_ms());
    if (rc != RATCHET_OK)
        return rt_api_storage_fail(out, mark, rc, "API key");
    atomic_fetch_add(&generation, 1);
    /* Answer the record as it is now (revokedAt set). */
    keys = stored_keys(a, out, mark);
    if (!keys)
        return RATCHET_ERR;
    rc = RATCHET_ERR;
    for (size_t i = 0; i < json_object_array_length(keys); i++) {
        struct json_object *e = json_object_array_get_idx(keys, i);
        char eid[32];
        if (strcmp(id_text(e, eid), id) == 0)
            rc = rt_api_put(out, e);
    }
    json_object_put(keys);
    return rc;
}

static uint64_t keys_generation(void)
{
    return (uint64_t)atomic_load(&generation);
}

void rt_api_fill_keys(ratchet_engine_api *t)
{
    t->keys_list = keys_list;
    t->key_create = key_create;
    t->key_revoke = key_revoke;
    t->keys_generation = keys_generation;
}
