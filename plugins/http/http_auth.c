/*
 * http_auth.c - API keys: `Authorization: Bearer KEY` or `X-API-Key: KEY`, checked through the
 * engine's key_verify (keys are stored hashed by the storage), against the route's scope.
 *
 * Positive answers are cached for MHD_KEY_TTL_NS so a busy client does not cost a storage
 * lookup per request; a revoked key therefore keeps working for up to that long in this
 * process - unless it was revoked through the engine of this process (keys_generation, engine
 * minor 2), which empties the cache at once. Unknown keys are not cached (a flood of bad keys
 * costs lookups; the rate limit bounds it). The cache holds a 64-bit FNV-1a hash of the secret
 * plus its length, never the secret itself, and compares the secret's hash again on a hit.
 */
#include <string.h>
#include <strings.h>

#include "http_int.h"

#define MHD_KEY_SLOTS  64
#define MHD_KEY_TTL_NS (10LL * 1000000000LL)
#define MHD_KEY_MAX    512

typedef struct key_slot {
    uint64_t hash;
    size_t len;
    int64_t expires_ns;
    uint64_t generation; /* the engine's keys_generation() when cached */
    ratchet_http_scope scope;
    char name[128];
} key_slot;

struct mhd_key_cache {
    pthread_mutex_t mu;
    key_slot slot[MHD_KEY_SLOTS];
};

ratchet_status mhd_auth_init(mhd_server *srv)
{
    srv->keys = mhd_host->calloc(1, sizeof *srv->keys);
    if (!srv->keys)
        return RATCHET_NOMEM;
    pthread_mutex_init(&srv->keys->mu, NULL);
    return RATCHET_OK;
}

void mhd_auth_free(mhd_server *srv)
{
    if (!srv->keys)
        return;
    pthread_mutex_destroy(&srv->keys->mu);
    mhd_host->free(srv->keys);
    srv->keys = NULL;
}

static uint64_t fnv1a(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

/* The presented secret, or NULL. */
static const char *presented(ratchet_http_request *req)
{
    const char *a = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, "Authorization");
    if (a && strncasecmp(a, "Bearer ", 7) == 0) {
        a += 7;
        while (*a == ' ')
            a++;
        return *a ? a : NULL;
    }
    const char *k = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, "X-API-Key");
    return k && *k ? k : NULL;
}

/* The engine's count of revocations (0 before engine minor 2). */
static uint64_t keys_generation(const mhd_server *srv)
{
    const ratchet_engine_api *e = srv->engine;
    return e && RATCHET_HAS_FIELD(e, ratchet_engine_api, keys_generation) && e->keys_generation
               ? e->keys_generation()
               : 0;
}

static int cache_get(mhd_key_cache *c, uint64_t h, size_t len, uint64_t gen,
                     ratchet_http_request *req)
{
    int64_t now = mhd_now_ns();
    int hit = 0;
    pthread_mutex_lock(&c->mu);
    key_slot *s = &c->slot[h % MHD_KEY_SLOTS];
    if (s->hash == h && s->len == len && s->expires_ns > now && s->generation == gen) {
        req->key_name = mhd_host->strdup(s->name);
        req->key_scope = s->scope;
        hit = req->key_name != NULL;
    }
    pthread_mutex_unlock(&c->mu);
    return hit;
}

static void cache_put(mhd_key_cache *c, uint64_t h, size_t len, uint64_t gen, const char *name,
                      ratchet_http_scope scope)
{
    pthread_mutex_lock(&c->mu);
    key_slot *s = &c->slot[h % MHD_KEY_SLOTS];
    s->hash = h;
    s->generation = gen;
    s->len = len;
    s->scope = scope;
    s->expires_ns = mhd_now_ns() + MHD_KEY_TTL_NS;
    size_t n = strlen(name) < sizeof s->name - 1 ? strlen(name) : sizeof s->name - 1;
    memcpy(s->name, name, n);
    s->name[n] = '\0';
    pthread_mutex_unlock(&c->mu);
}

mhd_auth_result mhd_auth_check(mhd_server *srv, ratchet_http_request *req)
{
    if (!srv->auth_keys) {
        req->key_scope = RATCHET_HTTP_ADMIN;
        return MHD_AUTH_OK;
    }
    if (req->route.scope == RATCHET_HTTP_PUBLIC) {
        req->key_scope = RATCHET_HTTP_PUBLIC;
        return MHD_AUTH_OK;
    }
    const char *secret = presented(req);
    if (!secret)
        return MHD_AUTH_MISSING;
    size_t len = strlen(secret);
    if (len > MHD_KEY_MAX)
        return MHD_AUTH_BAD;
    uint64_t h = fnv1a(secret, len), gen = keys_generation(srv);
    if (!cache_get(srv->keys, h, len, gen, req)) {
        if (!srv->engine || !srv->engine->key_verify)
            return MHD_AUTH_ERROR;
        ratchet_buf name = RATCHET_BUF_INIT;
        int scope = 0;
        ratchet_status st = srv->engine->key_verify(secret, &name, &scope);
        if (st == RATCHET_OK && name.data && scope >= RATCHET_HTTP_READ &&
            scope <= RATCHET_HTTP_ADMIN) {
            cache_put(srv->keys, h, len, gen, name.data, (ratchet_http_scope)scope);
            req->key_name = mhd_host->strdup(name.data);
            req->key_scope = (ratchet_http_scope)scope;
        }
        mhd_host->buf_free(&name);
        if (st == RATCHET_NOTFOUND || (st == RATCHET_OK && !req->key_name))
            return MHD_AUTH_BAD;
        if (st != RATCHET_OK)
            return MHD_AUTH_ERROR;
    }
    return req->key_scope >= req->route.scope ? MHD_AUTH_OK : MHD_AUTH_SCOPE;
}
