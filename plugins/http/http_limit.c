/*
 * http_limit.c - a token bucket per client address: `rate` tokens per second up to `burst`;
 * a request takes one, and without one it is answered 429 with Retry-After (whole seconds
 * until a token is back). Buckets live in an open hash table of fixed size; a full table
 * first drops buckets that have refilled (they carry no state), then the oldest.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "http_int.h"

#define MHD_LIMIT_SLOTS 4096

typedef struct bucket {
    char addr[64];
    double tokens;
    int64_t last_ns;
} bucket;

struct mhd_limiter {
    pthread_mutex_t mu;
    bucket b[MHD_LIMIT_SLOTS];
};

ratchet_status mhd_limit_init(mhd_server *srv)
{
    if (srv->rate <= 0)
        return RATCHET_OK;
    srv->limiter = mhd_host->calloc(1, sizeof *srv->limiter);
    if (!srv->limiter)
        return RATCHET_NOMEM;
    pthread_mutex_init(&srv->limiter->mu, NULL);
    return RATCHET_OK;
}

void mhd_limit_free(mhd_server *srv)
{
    if (!srv->limiter)
        return;
    pthread_mutex_destroy(&srv->limiter->mu);
    mhd_host->free(srv->limiter);
    srv->limiter = NULL;
}

static size_t hash_addr(const char *s)
{
    size_t h = 5381;
    for (; *s; s++)
        h = h * 33 + (unsigned char)*s;
    return h;
}

/* The bucket of addr: found, or a free/full-again/oldest slot reset for it. */
static bucket *find(mhd_limiter *l, const char *addr, double burst, double rate, int64_t now)
{
    size_t start = hash_addr(addr) % MHD_LIMIT_SLOTS;
    bucket *oldest = NULL;
    for (size_t i = 0; i < 16; i++) {
        bucket *b = &l->b[(start + i) % MHD_LIMIT_SLOTS];
        if (strcmp(b->addr, addr) == 0)
            return b;
        double refilled = b->tokens + (double)(now - b->last_ns) / 1e9 * rate;
        if (!b->addr[0] || refilled >= burst || !oldest || b->last_ns < oldest->last_ns) {
            oldest = b;
            if (!b->addr[0] || refilled >= burst)
                break;
        }
    }
    snprintf(oldest->addr, sizeof oldest->addr, "%s", addr);
    oldest->tokens = burst;
    oldest->last_ns = now;
    return oldest;
}

int mhd_limit_take(mhd_server *srv, const char *client)
{
    mhd_limiter *l = srv->limiter;
    if (!l)
        return 0;
    double burst = srv->burst >= 1 ? srv->burst : 1;
    int64_t now = mhd_now_ns();
    pthread_mutex_lock(&l->mu);
    bucket *b = find(l, client, burst, srv->rate, now);
    b->tokens += (double)(now - b->last_ns) / 1e9 * srv->rate;
    if (b->tokens > burst)
        b->tokens = burst;
    b->last_ns = now;
    int wait = 0;
    if (b->tokens >= 1)
        b->tokens -= 1;
    else
        wait = (int)ceil((1 - b->tokens) / srv->rate);
    pthread_mutex_unlock(&l->mu);
    return wait;
}
