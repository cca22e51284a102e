/*
 * http_url.h - the pure parts of the http plugin: percent-decoding, query strings, path
 * segments and the route table (no libmicrohttpd, no host table; unit-tested on their own).
 *
 * Memory: everything here allocates with malloc/free; it never crosses the plugin boundary.
 */
#ifndef MHD_URL_H
#define MHD_URL_H

#include <pthread.h>
#include <stddef.h>

#include <ratchet/http.h>

/* Bounds on what a request may make us hold; beyond them the request is a 400/414. */
#define MHD_MAX_SEGMENTS   64
#define MHD_MAX_QUERY_ARGS 256
#define MHD_MAX_PATTERN    512

/* Decode %XX escapes of `s` in place ('+' becomes a space when plus_is_space). Returns 0, or
 * -1 for a malformed escape ("%4", "%zz") or an escaped NUL ("%00"); `s` is then unusable. */
int mhd_percent_decode(char *s, int plus_is_space);

/* The query arguments of a request, in order, decoded. */
typedef struct mhd_query {
    size_t n;
    char **keys;
    char **values; /* "" for `?flag` */
} mhd_query;

/* Parse `raw` (the text after '?', NULL or "" for none) into `q`. Empty pieces ("a=1&&b")
 * are skipped. Returns 0, -1 when an escape is malformed, -2 past MHD_MAX_QUERY_ARGS, -3 out
 * of memory; `q` is empty after a failure. Free with mhd_query_free. */
int mhd_query_parse(const char *raw, mhd_query *q);
void mhd_query_free(mhd_query *q);

/* A request path split at '/' with each segment decoded ("/a%2Fb/c" -> "a/b", "c"), and the
 * whole path decoded. Trailing slash: "/a/" has segments "a", "". */
typedef struct mhd_path {
    char *decoded;
    size_t nseg;
    char **segs;
} mhd_path;

/* Split `raw` (starting with '/', without the query). 0, -1 malformed (no leading '/', bad
 * escape), -2 more than MHD_MAX_SEGMENTS segments, -3 out of memory. */
int mhd_path_parse(const char *raw, mhd_path *p);
void mhd_path_free(mhd_path *p);

/* ---- routes (http_route.c) ----------------------------------------------------------------- */

typedef struct mhd_route mhd_route;
typedef struct mhd_owner mhd_owner;

/*
 * The mounted routes of every owner. Readers (request dispatch) take the read lock; mount and
 * unmount the write lock. Per owner it counts the handlers running, so unmount can wait for
 * them. Thread-safe.
 */
typedef struct mhd_routes {
    pthread_rwlock_t lock;
    mhd_route *v;
    size_t n, cap;
    pthread_mutex_t owner_mu; /* guards `owners` and their counts */
    pthread_cond_t owner_cv;
    mhd_owner *owners;
    size_t nowners, owners_cap;
} mhd_routes;

/* The route a request matched: copies, valid after the route is unmounted. */
typedef struct mhd_found {
    char *pattern; /* malloc'd */
    ratchet_http_handler handler;
    void *user;
    ratchet_http_scope scope;
    ratchet_ctx *owner;
} mhd_found;

typedef enum mhd_lookup {
    MHD_LOOKUP_FOUND = 0,     /* *found filled; the owner's running count was raised */
    MHD_LOOKUP_NO_PATH = 1,   /* 404 */
    MHD_LOOKUP_NO_METHOD = 2, /* 405; `allow` filled */
    MHD_LOOKUP_NOMEM = 3
} mhd_lookup;

int mhd_routes_init(mhd_routes *t);
void mhd_routes_destroy(mhd_routes *t);

/* Add `n` routes for `owner`: all or none. 0, or -1 with the reason in err (malformed
 * pattern or method, a method+pattern already mounted, out of memory). */
int mhd_routes_add(mhd_routes *t, ratchet_ctx *owner, const ratchet_http_route *routes, size_t n,
                   char *err, size_t errlen);

/* Remove every route of `owner`, then wait (at most timeout_ms) until none of its handlers
 * runs. Returns the number of handlers still running when the wait gave up (0 normally). */
size_t mhd_routes_remove_owner(mhd_routes *t, ratchet_ctx *owner, long timeout_ms);

/*
 * Find the route for `method` (HEAD finds GET routes) and the decoded segments. Among routes
 * whose pattern matches, the most specific with the method wins (literal before {name}
 * before *, from the left). With no method match, `allow` receives the methods of the
 * matching routes ("GET, HEAD, POST"; with OPTIONS). On FOUND the owner's running count is
 * raised: call mhd_routes_done(owner) when the handler returns, and mhd_found_free.
 */
mhd_lookup mhd_routes_find(mhd_routes *t, const char *method, char *const *segs, size_t nseg,
                           mhd_found *found, char *allow, size_t allowlen);
void mhd_routes_done(mhd_routes *t, ratchet_ctx *owner);
void mhd_found_free(mhd_found *f);

/* The methods of the routes matching the path (as `allow` above); 0 when none matches. */
int mhd_routes_allow(mhd_routes *t, char *const *segs, size_t nseg, char *allow, size_t allowlen);

/* The parameters of `pattern` bound to the request segments: names[i]/values[i] malloc'd, "*"
 * joins the rest with '/'. 0, or -1 out of memory. */
int mhd_params_bind(const char *pattern, char *const *segs, size_t nseg, char ***names,
                    char ***values, size_t *n);
void mhd_params_free(char **names, char **values, size_t n);

/* Call fn for every route, sorted by pattern then method, under the read lock. */
void mhd_routes_each(mhd_routes *t,
                     void (*fn)(void *arg, const char *method, const char *pattern,
                                ratchet_http_scope scope, ratchet_ctx *owner),
                     void *arg);

#endif /* MHD_URL_H */
