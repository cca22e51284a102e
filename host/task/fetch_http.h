/*
 * host/task/fetch_http.h - one HTTP exchange as the fetcher sees it (headers, request,
 * response, fault) and the live transport over libcurl. The fetcher's files use it, and so do
 * the engine's deliveries (webhooks), which send their requests through the same client.
 * Threading: a fetcher is used by one thread at a time.
 */
#ifndef RT_FETCH_HTTP_H
#define RT_FETCH_HTTP_H

#include "core/core_layer.h"
#include "fetch.h"

/* Bounds on what a script or a server may hand us. */
#define RT_FETCH_MAX_REQUEST_HEADERS 256
#define RT_FETCH_MAX_HEADER_BYTES    ((size_t)256 * 1024) /* response headers, all lines together */
#define RT_FETCH_MAX_HEADERS         1000                 /* response header lines */

typedef struct rt_fetch_header {
    char *name; /* as sent or received */
    char *value;
} rt_fetch_header;

/* An ordered list of headers; repeated names allowed. */
typedef struct rt_fetch_headers {
    rt_fetch_header *items;
    size_t count;
    size_t cap;
} rt_fetch_headers;

ratchet_status rt_fetch_headers_add(rt_fetch_headers *h, const char *name, size_t name_len,
                                    const char *value, size_t value_len);
/* The first value of `name` (ASCII case-insensitive), or NULL. */
const char *rt_fetch_headers_get(const rt_fetch_headers *h, const char *name);
ratchet_status rt_fetch_headers_copy(rt_fetch_headers *dst, const rt_fetch_headers *src);
void rt_fetch_headers_clear(rt_fetch_headers *h);

/* One request, validated. */
typedef struct rt_fetch_request {
    char method[8];           /* upper case, one of the supported methods */
    const char *url;          /* borrowed from the call */
    rt_fetch_headers headers; /* as sent: the script's, plus the defaults the host adds */
    char *body;               /* NUL-terminated; NULL when there is no body */
    size_t body_len;
} rt_fetch_request;

/* How a response body becomes the script's `body`. */
typedef enum rt_fetch_body_kind {
    RT_FETCH_BODY_AUTO = 0, /* parsed JSON when it is one JSON value, else the text */
    RT_FETCH_BODY_TEXT,     /* always the text (a mock's string body) */
    RT_FETCH_BODY_JSON      /* always JSON text, spliced as is (a mock's non-string body) */
} rt_fetch_body_kind;

typedef struct rt_fetch_response {
    int status;
    char *status_text;  /* never NULL once filled */
    char *http_version; /* "HTTP/1.1", "HTTP/2"; never NULL once filled */
    rt_fetch_headers headers;
    char *body; /* NUL-terminated (may contain NULs before body_len); never NULL once filled */
    size_t body_len;
    rt_fetch_body_kind body_kind;
} rt_fetch_response;

ratchet_status rt_fetch_response_copy(rt_fetch_response *dst, const rt_fetch_response *src);
void rt_fetch_response_clear(rt_fetch_response *r);
/* Fill status_text/http_version/body with defaults where still NULL. */
ratchet_status rt_fetch_response_complete(rt_fetch_response *r);

/* What a transport reports when the script's call throws without a response. */
typedef struct rt_fetch_fault {
    const char *name; /* static: "NetworkError", "TimeoutError", "Error" */
    ratchet_buf message;
} rt_fetch_fault;

/* Set the fault and return RATCHET_ERR (RATCHET_NOMEM when the message cannot be stored). */
ratchet_status rt_fetch_fail(rt_fetch_fault *fault, const char *name, const char *fmt, ...)
    RATCHET_PRINTF(3, 4);

/* The method in upper case when supported (GET HEAD POST PUT PATCH DELETE OPTIONS), else
 * RATCHET_ERR. out has room for 8 bytes. */
ratchet_status rt_fetch_method(const char *method, char out[8]);

/* A live request through libcurl (loaded on first use): RATCHET_OK with *resp filled (and
 * completed), RATCHET_ERR with *fault set, RATCHET_NOMEM. */
ratchet_status rt_fetch_live(rt_fetcher *f, const rt_fetch_request *req, rt_fetch_response *resp,
                             rt_fetch_fault *fault);
void rt_fetch_live_cleanup(rt_fetcher *f);

#endif
