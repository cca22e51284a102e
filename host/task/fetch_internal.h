/*
 * host/fetch_internal.h - what fetch.c (the fetcher and the script-facing call), fetch_curl.c
 * (live requests), fetch_mock.c (mocks) and fetch_har.c (HAR writer, reader and replay) share.
 * Not for use outside these files.
 */
#ifndef RT_FETCH_INTERNAL_H
#define RT_FETCH_INTERNAL_H

#include <json-c/json.h>

#include "buf.h"
#include "fetch.h"

/* Bounds on what a script or a server may hand us. */
#define RT_FETCH_MAX_REQUEST_HEADERS 256
#define RT_FETCH_MAX_HEADER_BYTES    ((size_t)256 * 1024) /* response headers, all lines together */
#define RT_FETCH_MAX_HEADERS         1000                 /* response header lines */
#define RT_FETCH_MAX_MOCKS           10000
#define RT_FETCH_MAX_HAR_BYTES       ((long long)256 * 1024 * 1024)
#define RT_FETCH_MAX_HAR_ENTRIES     100000

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

/* One exchange, kept for recording or loaded for replay. */
typedef struct rt_fetch_exchange {
    char *method;
    char *url;
    rt_fetch_headers req_headers;
    char *req_body; /* NULL when none */
    size_t req_body_len;
    rt_fetch_response resp;
    int64_t started_us; /* wall clock, microseconds since the epoch */
    double duration_ms;
    int used; /* replay: answered already */
} rt_fetch_exchange;

void rt_fetch_exchange_clear(rt_fetch_exchange *x);

typedef struct rt_fetch_mock {
    char method[8];
    char *url;
    rt_fetch_response resp; /* body_kind TEXT or JSON */
} rt_fetch_mock;

typedef struct rt_fetch_mocks {
    rt_fetch_mock *items;
    size_t count;
} rt_fetch_mocks;

typedef struct rt_fetch_replay {
    rt_fetch_exchange *items;
    size_t count;
} rt_fetch_replay;

struct rt_fetcher {
    rt_fetch_config cfg;
    char *user_agent;
    void *curl; /* CURL easy handle, created on the first live request, reused */
    int mocks_on;
    rt_fetch_mocks mocks;
    int replay_on;
    rt_fetch_replay replay;
    int recording;
    rt_fetch_exchange *kept;
    size_t nkept, capkept;
    struct json_object *calls;
};

/* The method in upper case when supported (GET HEAD POST PUT PATCH DELETE OPTIONS), else
 * RATCHET_ERR. out has room for 8 bytes. */
ratchet_status rt_fetch_method(const char *method, char out[8]);

/* Transports: RATCHET_OK with *resp filled (and completed), RATCHET_ERR with *fault set,
 * RATCHET_NOMEM. */
ratchet_status rt_fetch_live(rt_fetcher *f, const rt_fetch_request *req, rt_fetch_response *resp,
                             rt_fetch_fault *fault);
void rt_fetch_live_cleanup(rt_fetcher *f);
ratchet_status rt_fetch_mock_answer(const rt_fetch_mocks *mocks, const rt_fetch_request *req,
                                    rt_fetch_response *resp, rt_fetch_fault *fault);
ratchet_status rt_fetch_replay_answer(rt_fetch_replay *replay, const rt_fetch_request *req,
                                      rt_fetch_response *resp, rt_fetch_fault *fault);

/* Mocks from the test file's mock.http; see rt_fetcher_set_mocks. */
ratchet_status rt_fetch_mocks_parse(struct json_object *mock_http, rt_fetch_mocks *out,
                                    rt_error *err);
void rt_fetch_mocks_clear(rt_fetch_mocks *m);

/* A HAR file's entries, for replay. */
ratchet_status rt_fetch_har_load(const char *path, rt_fetch_replay *out, rt_error *err);
void rt_fetch_replay_clear(rt_fetch_replay *r);

/* ASCII helpers. */
int rt_fetch_strcaseeq(const char *a, const char *b);
int rt_fetch_contains_nocase(const char *haystack, const char *needle);

#endif
