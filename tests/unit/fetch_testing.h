/* tests/unit/fetch_testing.h - for the fetch tests: an HTTP server on an ephemeral loopback
 * port (libmicrohttpd, a thread per connection) and helpers that call rt_fetch_callback and
 * check its outcome with cmocka. Use only inside cmocka tests (failures longjmp). */
#ifndef FETCH_TESTING_H
#define FETCH_TESTING_H

#include <pthread.h>

#include <json-c/json.h>
#include <microhttpd.h>

#include "fetch.h"

/* Routes: /json (29 bytes, two X-Multi headers), /text, /created (201), /status/<code>,
 * /redirect/<n> (302 chain ending in "landed"), /to-ftp (302 to ftp://), /slow (answers once
 * released or after 1 s), /big and /big-chunked (FETCH_BIG_SIZE bytes, with and without
 * Content-Length), /binary (6 bytes, not UTF-8), /counter (1, 2, ...), /echo (what the server saw,
 * as JSON), /secret (whether Authorization, Cookie, Proxy-Authorization and X-Api-Key holding
 * "s3cret" arrived; sets Set-Cookie, X-Session-Token and X-Plain). */
#define FETCH_BIG_SIZE 65536

typedef struct fetch_server {
    struct MHD_Daemon *daemon;
    unsigned port;
    char base[64];
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int release_slow; /* set by the test once it has seen the timeout */
    int requests;     /* how many requests reached the server */
    int counter;      /* how many times /counter was asked */
} fetch_server;

void fetch_server_start(fetch_server *s);
void fetch_server_stop(fetch_server *s); /* releases /slow first */
void fetch_server_release_slow(fetch_server *s);
int fetch_server_requests(fetch_server *s);

/* s->base + path, in one of four rotating static buffers. */
char *fetch_url(const fetch_server *s, const char *path);

/* Call rt_fetch_callback; asserts it returned OK with exactly one outcome. */
void fetch_call(rt_fetcher *f, const char *url, const char *opts, const char *body,
                ratchet_fetch_call *call);
void fetch_call_free(ratchet_fetch_call *call);
/* Expect a response; returns it parsed (caller puts); *raw (if not NULL) gets its text. */
struct json_object *fetch_ok(rt_fetcher *f, const char *url, const char *opts, const char *body,
                             char **raw);
/* Expect a thrown error named `name`; returns the message (caller frees). */
char *fetch_err(rt_fetcher *f, const char *url, const char *opts, const char *body,
                const char *name, int *status);
void fetch_expect_err(rt_fetcher *f, const char *url, const char *opts, const char *body,
                      const char *name, const char *message);

/* The string at a dotted path ("body.hello"), or NULL; the member `key`, or NULL. */
const char *json_str_at(struct json_object *o, const char *path);
struct json_object *json_at(struct json_object *o, const char *key);

#endif
