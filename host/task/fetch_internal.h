/*
 * host/task/fetch_internal.h - what fetch.c (the fetcher and the script-facing call),
 * fetch_curl.c (live requests), fetch_mock.c (mocks) and fetch_har.c (HAR writer, reader and
 * replay) share beyond fetch_http.h. Not for use outside these files.
 */
#ifndef RT_FETCH_INTERNAL_H
#define RT_FETCH_INTERNAL_H

#include <json-c/json.h>

#include "fetch_http.h"

/* Bounds on what a test file or a HAR may hand us. */
#define RT_FETCH_MAX_MOCKS       10000
#define RT_FETCH_MAX_HAR_BYTES   ((long long)256 * 1024 * 1024)
#define RT_FETCH_MAX_HAR_ENTRIES 100000

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
    char **redact; /* execution.redact_headers: more header names to redact (fetch_redact.c) */
    size_t nredact;
};

/* The other transports: RATCHET_OK with *resp filled (and completed), RATCHET_ERR with *fault
 * set, RATCHET_NOMEM. */
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

/* Redaction of recorded headers (fetch_redact.c). */
#define RT_FETCH_REDACTED "[redacted]"
/* 1 when `name` is a credential header (built in) or one of f's extra names. */
int rt_fetch_header_is_secret(const rt_fetcher *f, const char *name);
/* Replace the value of every secret header in h by RT_FETCH_REDACTED. */
ratchet_status rt_fetch_redact(const rt_fetcher *f, rt_fetch_headers *h);
void rt_fetch_redact_clear(rt_fetcher *f);

/* ASCII helpers. */
int rt_fetch_strcaseeq(const char *a, const char *b);
int rt_fetch_contains_nocase(const char *haystack, const char *needle);

#endif
