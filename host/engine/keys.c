/* host/engine/keys.c - API keys: random secrets, stored as SHA-256 hashes (see keys.h). */
#include "keys.h"

#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#define SECRET_PREFIX "rk_"
#define SHOWN_PREFIX  10 /* "rk_" and 7 characters: enough to tell keys apart in a list */

int rt_keys_scope_rank(const char *scope)
{
    static const char *const names[] = {"read", "write", "admin"};
    for (int i = 0; i < 3; i++)
        if (scope && strcmp(scope, names[i]) == 0)
            return i + 1;
    return 0;
}

static int valid_key_name(const char *name)
{
    size_t n = name ? strlen(name) : 0;
    if (n == 0 || n > 64)
        return 0;
    for (const char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '-' || *p == '_' || *p == '.'))
            return 0;
    return 1;
}

/* 32 random bytes as unpadded base64url after the prefix. */
static int make_secret(char secret[RT_KEY_SECRET_MAX])
{
    static const char b64[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    unsigned char raw[33];
    if (getrandom(raw, 32, 0) != 32)
        return -1;
    raw[32] = 0;
    size_t n = strlen(SECRET_PREFIX);
    memcpy(secret, SECRET_PREFIX, n);
    for (size_t i = 0; i < 32; i += 3) {
        uint32_t v = (uint32_t)raw[i] << 16 | (uint32_t)raw[i + 1] << 8 |
                     (uint32_t)(i + 2 < 32 ? raw[i + 2] : 0);
        size_t chars = i + 2 < 32 ? 4 : 3; /* 32 bytes = 10 groups of 3 + 2: 43 characters */
        for (size_t c = 0; c < chars; c++)
            secret[n++] = b64[(v >> (18 - 6 * c)) & 63];
    }
    secret[n] = '\0';
    return 0;
}

static int has_key_calls(const rt_store *st)
{
    return RATCHET_HAS_FIELD(st->vt, ratchet_storage_vtable, key_find) && st->vt->key_create &&
           st->vt->key_find;
}

ratchet_status rt_keys_create(rt_store *st, const char *name, const char *scope,
                              char secret[RT_KEY_SECRET_MAX], int64_t *id, rt_error *err)
{
    if (!valid_key_name(name))
        return rt_fail(err,
                       "invalid key name '%s' (1 to 64 letters, digits, '-', '_' or '.')",
                       name ? name : "");
    if (!rt_keys_scope_rank(scope))
        return rt_fail(err, "invalid scope '%s': use read, write or admin", scope ? scope : "");
    if (!has_key_calls(st))
        return rt_fail(err, "the storage plugin %s does not store API keys (it predates ABI 1.4)",
                       st->plugin->desc->name);
    if (make_secret(secret) != 0)
        return rt_fail(err, "cannot read random bytes for the key");
    char hash[65];
    rt_sha256_hex(secret, strlen(secret), hash);
    ratchet_buf json = RATCHET_BUF_INIT;
    rt_buf_puts(&json, "{\"name\":");
    rt_buf_json_string(&json, name);
    rt_buf_printf(&json, ",\"scope\":\"%s\",\"hash\":\"%s\",\"prefix\":\"%.*s\"}", scope, hash,
                  SHOWN_PREFIX, secret);
    rt_error_clear();
    ratchet_status rc = st->vt->key_create(st->inst, json.data, id);
    rt_buf_free(&json);
    if (rc != RATCHET_OK) {
        const char *why = rt_error_peek();
        rt_fail(err, "%s", *why ? why : "the storage refused the key");
        rt_error_clear();
        memset(secret, 0, RT_KEY_SECRET_MAX);
        return RATCHET_ERR;
    }
    return RATCHET_OK;
}

ratchet_status rt_keys_verify(rt_store *st, const char *secret, ratchet_buf *name, int *scope,
                              rt_error *err)
{
    size_t len = secret ? strlen(secret) : 0;
    if (len == 0 || len >= RT_KEY_SECRET_MAX || !has_key_calls(st))
        return RATCHET_NOTFOUND;
    char hash[65];
    rt_sha256_hex(secret, len, hash);
    ratchet_buf out = RATCHET_BUF_INIT;
    rt_error_clear();
    ratchet_status rc = st->vt->key_find(st->inst, hash, rt_host_api()->now_us() / 1000, &out);
    if (rc == RATCHET_OK) {
        struct json_object *rec = out.data ? json_tokener_parse(out.data) : NULL;
        struct json_object *v = NULL;
        const char *kname = rec && json_object_object_get_ex(rec, "name", &v)
                                ? json_object_get_string(v) : NULL;
        *scope = rec && json_object_object_get_ex(rec, "scope", &v)
                     ? rt_keys_scope_rank(json_object_get_string(v)) : 0;
        if (!kname || !*scope)
            rc = rt_fail(err, "the storage answered a malformed key record");
        else
            rt_buf_puts(name, kname);
        json_object_put(rec);
    } else if (rc != RATCHET_NOTFOUND) {
        const char *why = rt_error_peek();
        rt_fail(err, "%s", *why ? why : "storage error");
        rt_error_clear();
    }
    rt_buf_free(&out);
    return rc;
}
