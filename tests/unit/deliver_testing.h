/* tests/unit/deliver_testing.h - for the delivery tests: a webhook receiver on an ephemeral
 * loopback port (libmicrohttpd, a thread per connection) that keeps what the last request
 * carried, and helpers that build destinations and read delivery records with cmocka. Use
 * only inside cmocka tests (failures longjmp). One receiver per test program: `server`. */
#ifndef DELIVER_TESTING_H
#define DELIVER_TESTING_H

#include <pthread.h>

#include <json-c/json.h>
#include <microhttpd.h>

#include "deliver.h"

/* Answers every path with the scripted statuses in order, then 200; /hang waits until released
 * (at most 5 s). */
typedef struct hook_server {
    struct MHD_Daemon *daemon;
    char base[64]; /* http://127.0.0.1:PORT */
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int released;
    int requests;
    int statuses[8];
    int nstatuses;
    char method[16];
    char *uri;  /* the last request target exactly as sent (path and query, not decoded) */
    char *body; /* the last request body */
    struct json_object *headers; /* the last request's headers: lower-cased name: value */
} hook_server;

extern hook_server server;

void server_start(void);
void server_release(void); /* lets /hang answer */
void server_stop(void);
/* The next n requests are answered with statuses (n <= 8); the request count restarts. */
void server_script(int n, const int *statuses);
int server_requests(void);
/* The header as the server last saw it, or NULL. */
const char *seen_header(const char *lower_name);

/* cmocka group setup and teardown that start and stop the receiver. */
int setup(void **state);
int teardown(void **state);

/* The defaults with retry waits of milliseconds. */
rt_delivery_policy fast_policy(void);
/* Job 42, execution 7, "weather" 1.2.0, completed, finished 2025-11-26T06:40:45.123Z. */
rt_delivery_job sample_job(struct json_object *output);
/* A destination written with single quotes for readability (each becomes '"'); printf
 * format, e.g. %s for server.base. The caller owns the result. */
struct json_object *dest_json(const char *fmt, ...) RATCHET_PRINTF(1, 2);
/* rt_deliver, asserting a record came back; consumes dest, the caller owns the record. */
struct json_object *deliver(struct json_object *dest, const rt_delivery_job *job,
                            const rt_delivery_policy *p, const char *base);
/* A record's member (fails the test when absent), as JSON, int or string. */
struct json_object *at(struct json_object *o, const char *key);
int rec_int(struct json_object *r, const char *key);
const char *rec_str(struct json_object *r, const char *key);
/* rt_outputs_check on outputs (written as for dest_json): accepted when message is NULL, else
 * refused with exactly message. */
void check_outputs(const char *outputs, const char *message);

#endif
