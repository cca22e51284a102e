/*
 * rs_doc_key.c - API key documents (key_create) as the storage plugins read them: the
 * members and their bounds.
 */
#include <string.h>

#include "rs_docs.h"
#include "rs_json.h"
#include "rs_out.h"

#define KEY_NAME_MAX   128
#define KEY_PREFIX_MAX 32
#define KEY_HASH_LEN   64 /* hex SHA-256 */

static int is_hex(const char *s, size_t len)
{
    if (strlen(s) != len)
        return 0;
    for (; *s; s++)
        if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f') || (*s >= 'A' && *s <= 'F')))
            return 0;
    return 1;
}

static ratchet_status key_bad(ratchet_ctx *ctx, const char *why)
{
    rs_host->set_error(ctx, "API key: %s", why);
    return RATCHET_ERR;
}

ratchet_status rs_key_parse(ratchet_ctx *ctx, const char *json, rs_key_doc *k)
{
    static const char what[] = "API key";
    memset(k, 0, sizeof *k);
    ratchet_status s = rs_parse_object(ctx, json, what, 0, &k->doc);
    if (s == RATCHET_OK)
        s = rs_get_str(ctx, k->doc, what, "name", 1, &k->name);
    if (s == RATCHET_OK)
        s = rs_get_str(ctx, k->doc, what, "scope", 1, &k->scope);
    if (s == RATCHET_OK)
        s = rs_get_str(ctx, k->doc, what, "hash", 1, &k->hash);
    if (s == RATCHET_OK)
        s = rs_get_str(ctx, k->doc, what, "prefix", 1, &k->prefix);
    if (s != RATCHET_OK)
        return s;
    if (strlen(k->name) > KEY_NAME_MAX)
        return key_bad(ctx, "\"name\" is longer than 128 characters");
    if (strcmp(k->scope, "read") != 0 && strcmp(k->scope, "write") != 0 &&
        strcmp(k->scope, "admin") != 0)
        return key_bad(ctx, "\"scope\" must be read, write or admin");
    if (!is_hex(k->hash, KEY_HASH_LEN))
        return key_bad(ctx, "\"hash\" must be the hex SHA-256 of the secret (64 characters)");
    if (strlen(k->prefix) > KEY_PREFIX_MAX)
        return key_bad(ctx, "\"prefix\" is longer than 32 characters");
    return RATCHET_OK;
}

int rs_key_hash_ok(const char *hash)
{
    return hash && is_hex(hash, KEY_HASH_LEN);
}
