/*
 * http_route.c - the route table: mount checks, matching, 405's Allow, and the per-owner
 * count of running handlers that unmount waits on (see http_url.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http_url.h"

enum { SEG_LITERAL = 2, SEG_PARAM = 1, SEG_REST = 0 };

struct mhd_route {
    char method[8];
    char *pattern;
    size_t nseg;
    char **segs; /* literal text, or the parameter name ("*" for the rest) */
    unsigned char *kinds;
    ratchet_http_scope scope;
    ratchet_http_handler handler;
    void *user;
    ratchet_ctx *owner;
};

struct mhd_owner {
    ratchet_ctx *owner;
    size_t running;
};

/* The methods a route may declare, in the order Allow lists them. */
static const char *const method_order[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"};
#define N_METHODS (sizeof method_order / sizeof method_order[0])

int mhd_routes_init(mhd_routes *t)
{
    memset(t, 0, sizeof *t);
    if (pthread_rwlock_init(&t->lock, NULL) != 0)
        return -1;
    if (pthread_mutex_init(&t->owner_mu, NULL) != 0) {
        pthread_rwlock_destroy(&t->lock);
        return -1;
    }
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    int rc = pthread_cond_init(&t->owner_cv, &ca);
    pthread_condattr_destroy(&ca);
    if (rc != 0) {
        pthread_mutex_destroy(&t->owner_mu);
        pthread_rwlock_destroy(&t->lock);
        return -1;
    }
    return 0;
}

static void route_free(mhd_route *r)
{
    for (size_t i = 0; i < r->nseg; i++)
        free(r->segs[i]);
    free(r->segs);
    free(r->kinds);
    free(r->pattern);
    memset(r, 0, sizeof *r);
}

void mhd_routes_destroy(mhd_routes *t)
{
    for (size_t i = 0; i < t->n; i++)
        route_free(&t->v[i]);
    free(t->v);
    free(t->owners);
    pthread_cond_destroy(&t->owner_cv);
    pthread_mutex_destroy(&t->owner_mu);
    pthread_rwlock_destroy(&t->lock);
    memset(t, 0, sizeof *t);
}

static int valid_literal(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c <= 0x20 || c >= 0x7f || strchr("{}?#%*", c))
            return 0;
    }
    return len > 0;
}

static int valid_name(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_'))
            return 0;
    }
    return len > 0;
}

/* Parse one segment (len bytes at s, index i of n) into r; 0 or -1 with err. */
static int parse_segment(mhd_route *r, const char *s, size_t len, int last, char *err,
                         size_t errlen)
{
    unsigned char kind;
    const char *name = s;
    size_t nlen = len;
    if (len == 1 && s[0] == '*') {
        if (!last) {
            snprintf(err, errlen, "'*' must be the last segment");
            return -1;
        }
        kind = SEG_REST;
    } else if (len >= 2 && s[0] == '{' && s[len - 1] == '}') {
        name = s + 1;
        nlen = len - 2;
        if (!valid_name(name, nlen)) {
            snprintf(err, errlen, "parameter '%.*s' is not {[A-Za-z0-9_]+}", (int)len, s);
            return -1;
        }
        for (size_t i = 0; i < r->nseg; i++) {
            if (r->kinds[i] == SEG_PARAM && strlen(r->segs[i]) == nlen &&
                memcmp(r->segs[i], name, nlen) == 0) {
                snprintf(err, errlen, "parameter {%.*s} appears twice", (int)nlen, name);
                return -1;
            }
        }
        kind = SEG_PARAM;
    } else if (valid_literal(s, len)) {
        kind = SEG_LITERAL;
    } else {
        snprintf(err, errlen,
                 "segment '%.*s' is empty or has a character outside [!-~] or one of {}?#%%*",
                 (int)len, s);
        return -1;
    }
    char *copy = malloc(nlen + 1);
    if (!copy) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    memcpy(copy, name, nlen);
    copy[nlen] = '\0';
    r->segs[r->nseg] = copy;
    r->kinds[r->nseg] = kind;
    r->nseg++;
    return 0;
}

/* Check and copy one route into *r. 0, or -1 with err (r is then freed). */
static int route_parse(const ratchet_http_route *in, ratchet_ctx *owner, mhd_route *r, char *err,
                       size_t errlen)
{
    memset(r, 0, sizeof *r);
    const char *pattern = in->pattern ? in->pattern : "";
    size_t i;
    for (i = 0; i < N_METHODS; i++) {
        if (in->method && i != 1 && strcmp(in->method, method_order[i]) == 0)
            break;
    }
    if (i == N_METHODS) {
        snprintf(err, errlen, "route %s %s: method must be GET, POST, PUT, PATCH or DELETE",
                 in->method ? in->method : "(null)", pattern);
        return -1;
    }
    if (pattern[0] != '/' || strlen(pattern) > MHD_MAX_PATTERN || !in->handler ||
        in->scope < RATCHET_HTTP_PUBLIC || in->scope > RATCHET_HTTP_ADMIN) {
        snprintf(err, errlen, "route %s %s: %s", in->method, pattern,
                 !in->handler                        ? "no handler"
                 : pattern[0] != '/'                 ? "pattern must start with '/'"
                 : strlen(pattern) > MHD_MAX_PATTERN ? "pattern too long"
                                                     : "unknown scope");
        return -1;
    }
    snprintf(r->method, sizeof r->method, "%s", in->method);
    size_t n = 0;
    for (const char *c = pattern; *c; c++)
        n += *c == '/';
    r->pattern = strdup(pattern);
    r->segs = calloc(n, sizeof *r->segs);
    r->kinds = calloc(n, 1);
    if (!r->pattern || !r->segs || !r->kinds) {
        route_free(r);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    r->scope = in->scope;
    r->handler = in->handler;
    r->user = in->user;
    r->owner = owner;
    if (strcmp(pattern, "/") == 0)
        return 0;
    const char *s = pattern + 1;
    char why[256];
    for (;;) {
        const char *slash = strchr(s, '/');
        size_t len = slash ? (size_t)(slash - s) : strlen(s);
        if (parse_segment(r, s, len, slash == NULL, why, sizeof why) != 0) {
            snprintf(err, errlen, "route %s %s: %s", r->method, pattern, why);
            route_free(r);
            return -1;
        }
        if (!slash)
            return 0;
        s = slash + 1;
    }
}

/* Same method and the same shape (literals equal, parameters in the same places). */
static int route_same(const mhd_route *a, const mhd_route *b)
{
    if (strcmp(a->method, b->method) != 0 || a->nseg != b->nseg)
        return 0;
    for (size_t i = 0; i < a->nseg; i++) {
        if (a->kinds[i] != b->kinds[i])
            return 0;
        if (a->kinds[i] == SEG_LITERAL && strcmp(a->segs[i], b->segs[i]) != 0)
            return 0;
    }
    return 1;
}

static int owner_add(mhd_routes *t, ratchet_ctx *owner)
{
    int rc = 0;
    pthread_mutex_lock(&t->owner_mu);
    size_t i;
    for (i = 0; i < t->nowners && t->owners[i].owner != owner; i++)
        ;
    if (i == t->nowners) {
        if (t->nowners == t->owners_cap) {
            size_t cap = t->owners_cap ? t->owners_cap * 2 : 8;
            mhd_owner *v = realloc(t->owners, cap * sizeof *v);
            if (!v)
                rc = -1;
            else {
                t->owners = v;
                t->owners_cap = cap;
            }
        }
        if (rc == 0)
            t->owners[t->nowners++] = (mhd_owner){owner, 0};
    }
    pthread_mutex_unlock(&t->owner_mu);
    return rc;
}

static int routes_reserve(mhd_routes *t, size_t more)
{
    if (t->n + more <= t->cap)
        return 0;
    size_t cap = t->cap ? t->cap : 16;
    while (cap < t->n + more)
        cap *= 2;
    mhd_route *v = realloc(t->v, cap * sizeof *v);
    if (!v)
        return -1;
    t->v = v;
    t->cap = cap;
    return 0;
}

/* Is any route in v[0..n) the same as r? Names the clash in err. */
static int clashes(const mhd_route *v, size_t n, const mhd_route *r, char *err, size_t errlen)
{
    for (size_t i = 0; i < n; i++) {
        if (route_same(&v[i], r)) {
            snprintf(err, errlen, "route %s %s is already mounted (as %s)", r->method, r->pattern,
                     v[i].pattern);
            return 1;
        }
    }
    return 0;
}

int mhd_routes_add(mhd_routes *t, ratchet_ctx *owner, const ratchet_http_route *routes, size_t n,
                   char *err, size_t errlen)
{
    if (owner_add(t, owner) != 0) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    pthread_rwlock_wrlock(&t->lock);
    if (routes_reserve(t, n) != 0) {
        pthread_rwlock_unlock(&t->lock);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    size_t base = t->n;
    for (size_t i = 0; i < n; i++) {
        mhd_route *r = &t->v[base + i];
        if (route_parse(&routes[i], owner, r, err, errlen) != 0 ||
            clashes(t->v, base + i, r, err, errlen)) {
            if (r->pattern)
                route_free(r);
            for (size_t j = base; j < base + i; j++)
                route_free(&t->v[j]);
            pthread_rwlock_unlock(&t->lock);
            return -1;
        }
    }
    t->n = base + n;
    pthread_rwlock_unlock(&t->lock);
    return 0;
}

static mhd_owner *owner_find(mhd_routes *t, ratchet_ctx *owner)
{
    for (size_t i = 0; i < t->nowners; i++) {
        if (t->owners[i].owner == owner)
            return &t->owners[i];
    }
    return NULL;
}

size_t mhd_routes_remove_owner(mhd_routes *t, ratchet_ctx *owner, long timeout_ms)
{
    pthread_rwlock_wrlock(&t->lock);
    size_t w = 0;
    for (size_t i = 0; i < t->n; i++) {
        if (t->v[i].owner == owner)
            route_free(&t->v[i]);
        else
            t->v[w++] = t->v[i];
    }
    t->n = w;
    pthread_rwlock_unlock(&t->lock);

    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += timeout_ms / 1000;
    until.tv_nsec += (timeout_ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&t->owner_mu);
    mhd_owner *o = owner_find(t, owner);
    while (o && o->running > 0) {
        if (pthread_cond_timedwait(&t->owner_cv, &t->owner_mu, &until) == ETIMEDOUT)
            break;
        o = owner_find(t, owner);
    }
    size_t left = o ? o->running : 0;
    pthread_mutex_unlock(&t->owner_mu);
    return left;
}

void mhd_routes_done(mhd_routes *t, ratchet_ctx *owner)
{
    pthread_mutex_lock(&t->owner_mu);
    mhd_owner *o = owner_find(t, owner);
    if (o && o->running > 0 && --o->running == 0)
        pthread_cond_broadcast(&t->owner_cv);
    pthread_mutex_unlock(&t->owner_mu);
}

static int route_matches(const mhd_route *r, char *const *segs, size_t nseg)
{
    for (size_t i = 0; i < r->nseg; i++) {
        if (r->kinds[i] == SEG_REST)
            return 1;
        if (i >= nseg)
            return 0;
        if (r->kinds[i] == SEG_LITERAL && strcmp(r->segs[i], segs[i]) != 0)
            return 0;
        if (r->kinds[i] == SEG_PARAM && segs[i][0] == '\0')
            return 0;
    }
    return r->nseg == nseg;
}

/* >0 when a is more specific than b (both matching the same path). */
static int more_specific(const mhd_route *a, const mhd_route *b)
{
    size_t n = a->nseg < b->nseg ? a->nseg : b->nseg;
    for (size_t i = 0; i < n; i++) {
        if (a->kinds[i] != b->kinds[i])
            return a->kinds[i] > b->kinds[i];
    }
    return a->nseg > b->nseg;
}

/* Build "GET, HEAD, POST, OPTIONS" from a bit set over method_order. */
static void allow_text(unsigned bits, char *allow, size_t allowlen)
{
    size_t off = 0;
    allow[0] = '\0';
    if (bits & 1u)
        bits |= 2u; /* GET brings HEAD */
    for (size_t i = 0; i < N_METHODS; i++) {
        if (bits & (1u << i))
            off += (size_t)snprintf(allow + off, off < allowlen ? allowlen - off : 0, "%s, ",
                                    method_order[i]);
    }
    snprintf(allow + (off < allowlen ? off : allowlen - 1), off < allowlen ? allowlen - off : 1,
             "OPTIONS");
}

static unsigned method_bit(const char *m)
{
    for (size_t i = 0; i < N_METHODS; i++) {
        if (strcmp(m, method_order[i]) == 0)
            return 1u << i;
    }
    return 0;
}

/* Scan under the read lock: best route for `method`, and the bit set of matching methods. */
static const mhd_route *scan(mhd_routes *t, const char *method, char *const *segs, size_t nseg,
                             unsigned *bits)
{
    const mhd_route *best = NULL;
    *bits = 0;
    for (size_t i = 0; i < t->n; i++) {
        const mhd_route *r = &t->v[i];
        if (!route_matches(r, segs, nseg))
            continue;
        *bits |= method_bit(r->method);
        if (method && strcmp(r->method, method) == 0 && (!best || more_specific(r, best)))
            best = r;
    }
    return best;
}

mhd_lookup mhd_routes_find(mhd_routes *t, const char *method, char *const *segs, size_t nseg,
                           mhd_found *found, char *allow, size_t allowlen)
{
    const char *m = strcmp(method, "HEAD") == 0 ? "GET" : method;
    unsigned bits;
    memset(found, 0, sizeof *found);
    pthread_rwlock_rdlock(&t->lock);
    const mhd_route *best = scan(t, m, segs, nseg, &bits);
    mhd_lookup rc = MHD_LOOKUP_FOUND;
    if (best) {
        found->pattern = strdup(best->pattern);
        found->handler = best->handler;
        found->user = best->user;
        found->scope = best->scope;
        found->owner = best->owner;
        if (!found->pattern) {
            rc = MHD_LOOKUP_NOMEM;
        } else {
            /* Raised under the read lock, so unmount (write lock) sees it. */
            pthread_mutex_lock(&t->owner_mu);
            mhd_owner *o = owner_find(t, best->owner);
            if (o)
                o->running++;
            pthread_mutex_unlock(&t->owner_mu);
        }
    } else if (bits) {
        rc = MHD_LOOKUP_NO_METHOD;
        allow_text(bits, allow, allowlen);
    } else {
        rc = MHD_LOOKUP_NO_PATH;
    }
    pthread_rwlock_unlock(&t->lock);
    return rc;
}

int mhd_routes_allow(mhd_routes *t, char *const *segs, size_t nseg, char *allow, size_t allowlen)
{
    unsigned bits;
    pthread_rwlock_rdlock(&t->lock);
    scan(t, NULL, segs, nseg, &bits);
    pthread_rwlock_unlock(&t->lock);
    if (!bits)
        return 0;
    allow_text(bits, allow, allowlen);
    return 1;
}

void mhd_found_free(mhd_found *f)
{
    free(f->pattern);
    memset(f, 0, sizeof *f);
}

/* The rest of the path from segment `from`, joined with '/'. */
static char *join_rest(char *const *segs, size_t nseg, size_t from)
{
    size_t len = 1;
    for (size_t i = from; i < nseg; i++)
        len += strlen(segs[i]) + 1;
    char *s = malloc(len);
    if (!s)
        return NULL;
    s[0] = '\0';
    for (size_t i = from; i < nseg; i++) {
        if (i > from)
            strcat(s, "/");
        strcat(s, segs[i]);
    }
    return s;
}

/* Stands in for a handler when a pattern is parsed only for its parameters. */
static void no_handler(void *user, ratchet_http_request *req)
{
    (void)user;
    (void)req;
}

int mhd_params_bind(const char *pattern, char *const *segs, size_t nseg, char ***names,
                    char ***values, size_t *n)
{
    ratchet_http_route in = {.method = "GET", .pattern = pattern, .handler = no_handler};
    mhd_route r;
    char err[64];
    *names = NULL;
    *values = NULL;
    *n = 0;
    if (route_parse(&in, NULL, &r, err, sizeof err) != 0)
        return -1;
    size_t count = 0;
    for (size_t i = 0; i < r.nseg; i++)
        count += r.kinds[i] != SEG_LITERAL;
    int rc = 0;
    if (count > 0) {
        *names = calloc(count, sizeof **names);
        *values = calloc(count, sizeof **values);
        rc = *names && *values ? 0 : -1;
    }
    for (size_t i = 0; rc == 0 && i < r.nseg; i++) {
        if (r.kinds[i] == SEG_LITERAL)
            continue;
        (*names)[*n] = strdup(r.kinds[i] == SEG_REST ? "*" : r.segs[i]);
        (*values)[*n] =
            r.kinds[i] == SEG_REST ? join_rest(segs, nseg, i) : strdup(i < nseg ? segs[i] : "");
        (*n)++;
        if (!(*names)[*n - 1] || !(*values)[*n - 1])
            rc = -1;
    }
    route_free(&r);
    if (rc != 0) {
        mhd_params_free(*names, *values, *n);
        *names = NULL;
        *values = NULL;
        *n = 0;
    }
    return rc;
}

void mhd_params_free(char **names, char **values, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(names ? names[i] : NULL);
        free(values ? values[i] : NULL);
    }
    free(names);
    free(values);
}

static int cmp_route(const void *a, const void *b)
{
    const mhd_route *x = *(const mhd_route *const *)a, *y = *(const mhd_route *const *)b;
    int c = strcmp(x->pattern, y->pattern);
    return c ? c : strcmp(x->method, y->method);
}

void mhd_routes_each(mhd_routes *t,
                     void (*fn)(void *arg, const char *method, const char *pattern,
                                ratchet_http_scope scope, ratchet_ctx *owner),
                     void *arg)
{
    pthread_rwlock_rdlock(&t->lock);
    const mhd_route **sorted = t->n ? malloc(t->n * sizeof *sorted) : NULL;
    if (sorted) {
        for (size_t i = 0; i < t->n; i++)
            sorted[i] = &t->v[i];
        qsort(sorted, t->n, sizeof *sorted, cmp_route);
        for (size_t i = 0; i < t->n; i++)
            fn(arg, sorted[i]->method, sorted[i]->pattern, sorted[i]->scope, sorted[i]->owner);
        free(sorted);
    }
    pthread_rwlock_unlock(&t->lock);
}
