/*
 * tests/unit/api_rest_fakes.h - a fake "ratchet.http" and a fake "ratchet.engine" for the
 * api-rest plugin's unit test: requests are built by the test, answers are captured, and
 * engine calls record their arguments and answer what the test set.
 *
 * Answers may come from another thread (the plugin's reaper); fake_wait_answer() waits for
 * one with a deadline (a condition variable, no sleeps).
 */
#ifndef API_REST_FAKES_H
#define API_REST_FAKES_H

#include <pthread.h>

#include <ratchet/plugin.h>

#define FAKE_MAX_PAIRS 16

struct ratchet_http_request {
    const char *method, *path, *id;
    const char *qk[FAKE_MAX_PAIRS], *qv[FAKE_MAX_PAIRS];
    size_t nq;
    const char *hk[FAKE_MAX_PAIRS], *hv[FAKE_MAX_PAIRS];
    size_t nh;
    const char *body;
    /* captured */
    int status; /* 0 until answered */
    char content_type[64];
    ratchet_buf answer;
    char location[128];
    int deferred;
    ratchet_http_on_expire on_expire;
    void *expire_user;
    ratchet_http_stream *stream;
    int expire_returned; /* set by fake_expire once on_expire has returned */
    int late_responds;   /* respond() calls after that (allowed only as the one answer) */
    int responds;        /* every respond() call: a deferred request gets exactly one */
};

struct ratchet_http_stream {
    ratchet_buf written;
    int closed, gone;
    ratchet_http_on_close on_close;
    void *user;
};

/* What the fake engine answers and what it was asked. */
typedef struct fake_engine_state {
    ratchet_status status; /* of the next call */
    const char *out;       /* appended to `out` */
    char last_arg[2048];   /* query/body/ref of the last call */
    int64_t last_id;
    int last_flag;
    const char *stats_resource;
    int ready;
    /* subscribe(): events replayed from inside the call, seq from 1 */
    const char *replay[8];
    size_t nreplay;
    uint64_t last_after;
    int64_t sub_job, sub_exec;
    ratchet_engine_event_fn fn;
    void *fn_user;
    int subscribed, unsubscribed;
    int stream_gone; /* the next stream's client is gone: writes fail */
} fake_engine_state;

extern fake_engine_state fake_eng;
extern const ratchet_engine_api fake_engine_api;
extern const ratchet_http_api fake_http_api;

/* The routes the plugin mounted (copied). */
extern ratchet_http_route fake_routes[64];
extern size_t fake_nroutes;

/* Reset the engine state and free what the last request captured. */
void fake_reset(void);
/* A request for `method` `path` of the mounted pattern `pattern` with {id} = id (may be
 * NULL). Query pairs and headers are added with fake_query / fake_header. */
ratchet_http_request *fake_request(const char *method, const char *pattern, const char *id);
void fake_query(ratchet_http_request *req, const char *k, const char *v);
void fake_header(ratchet_http_request *req, const char *k, const char *v);
/* Run the handler of the mounted route (method, pattern). Fails the test if none. */
void fake_call(ratchet_http_request *req);
/* Wait (up to 5 s) until `req` is answered, or its stream closed; 0 on timeout. */
int fake_wait_answer(ratchet_http_request *req);
int fake_wait_closed(ratchet_http_stream *s);
/* Deliver one live event as the engine would, from the calling thread: not after the
 * subscription ended (fn returned nonzero, or unsubscribe() ran), and never concurrently
 * with unsubscribe(). */
void fake_deliver(uint64_t seq, const char *event_json);
/* Call the request's on_expire as the http plugin would and note when it has returned. */
void fake_expire(ratchet_http_request *req, ratchet_http_end why);
/* Wait until the fake engine saw unsubscribe(). */
int fake_wait_unsubscribed(void);
void fake_request_free(ratchet_http_request *req);

#endif
