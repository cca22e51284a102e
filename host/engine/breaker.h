/*
 * host/engine/breaker.h - circuit breakers per destination host: one set for the fetch() calls
 * the coordinator relays for its workers (relay.c), one for the webhooks of output deliveries
 * (deliver.c). Both live in the coordinator, so every worker of one `ratchet serve` shares
 * them; separate serve hosts (PostgreSQL scale-out) each keep their own.
 *
 * A host is the URL's authority without credentials, lower-cased, with the scheme's default
 * port made explicit ("api.example.com:443", "127.0.0.1:8080", "[::1]:80").
 *
 * The machine, per host:
 *   closed     calls pass; `failures` consecutive failures (a network error, a timeout, or a
 *              5xx answer) open it; any other answer resets the count.
 *   open       calls are refused at once until `cool_down` has passed since it opened.
 *   half-open  after the cool-down, the first call is let through as the probe; the others are
 *              refused while it runs. The probe's success closes the breaker, its failure
 *              opens it again for another cool-down.
 * Each transition is logged (WARN when it opens, INFO otherwise) and counted.
 *
 * The two sets are process-wide and never freed while the process runs, so a fetch thread
 * that outlives the engine still finds them; rt_breakers_reset() forgets every host (serve's
 * end, tests). At most RT_BREAKER_MAX_HOSTS hosts are tracked per set; when the table is
 * full, a closed host without failures is forgotten to make room, and when there is none,
 * the new host's calls pass untracked.
 *
 * Threading: every function may be called from any thread (one mutex per set).
 */
#ifndef RT_BREAKER_H
#define RT_BREAKER_H

#include <stdint.h>

#include "core/core_layer.h"

#define RT_BREAKER_MAX_HOSTS 1024
#define RT_BREAKER_MAX_HOST  256 /* bytes of a host key, NUL included */

typedef enum rt_breaker_scope { RT_BREAKER_FETCH = 0, RT_BREAKER_WEBHOOK = 1 } rt_breaker_scope;

typedef enum rt_breaker_state {
    RT_BREAKER_CLOSED = 0,
    RT_BREAKER_OPEN = 1,
    RT_BREAKER_HALF_OPEN = 2
} rt_breaker_state;

typedef struct rt_breaker_config {
    int enabled;          /* 0: every call passes, nothing is tracked */
    int failures;         /* consecutive failures that open a host's breaker (>= 1) */
    int64_t cool_down_ms; /* how long it stays open before the probe (>= 1) */
} rt_breaker_config;

/* What rt_breaker_enter decided. */
typedef struct rt_breaker_pass {
    int allowed;         /* 1: make the call, then report it with rt_breaker_leave */
    int probe;           /* 1: the call is the half-open probe */
    int64_t retry_at_ms; /* refused: wall-clock time from which a probe is allowed */
    int failures;        /* refused: the consecutive failures that opened it */
    char host[RT_BREAKER_MAX_HOST];
} rt_breaker_pass;

/* Set a scope's configuration (serve does, from ratchet.yaml `circuit_breakers`). Hosts
 * already tracked keep their state. Until called, a scope is disabled. */
void rt_breaker_configure(rt_breaker_scope scope, const rt_breaker_config *cfg);
/* The configuration of `circuit_breakers:` in ratchet.yaml for a scope. */
rt_breaker_config rt_breaker_config_from(const ratchet_config *section, rt_breaker_scope scope);

/* The host key of an http(s) URL into out (see above); RATCHET_ERR when the URL has none. */
ratchet_status rt_breaker_host(const char *url, char out[RT_BREAKER_MAX_HOST]);

/* Before a call to `url` at now_ms (wall clock): fills *pass. A URL without a host, or a
 * disabled scope, is always allowed (and its leave is ignored). */
void rt_breaker_enter(rt_breaker_scope scope, const char *url, int64_t now_ms,
                      rt_breaker_pass *pass);
/* After an allowed call: `failed` is 1 for a network error, a timeout or a 5xx answer, 0 for
 * any other answer, -1 when the call never reached the host (refused for its arguments): that
 * only ends a probe, leaving the state as it was. */
void rt_breaker_leave(rt_breaker_scope scope, const rt_breaker_pass *pass, int failed,
                      int64_t now_ms);
/* The message of a refused call: "circuit breaker open for HOST after N consecutive
 * failures: not calling it until TIME (in S s)" (TIME in RFC 3339 UTC). */
void rt_breaker_refusal(const rt_breaker_pass *pass, int64_t now_ms, char *out, size_t size);

/* The state of one host (RT_BREAKER_CLOSED when untracked). For tests and the API. */
rt_breaker_state rt_breaker_state_of(rt_breaker_scope scope, const char *host);

/* Append the Prometheus families ratchet_circuit_breaker_state (0 closed, 1 open, 2
 * half-open), ratchet_circuit_breaker_failures (consecutive), ratchet_circuit_breaker_opened_total
 * and ratchet_circuit_breaker_rejected_total, labelled {scope="fetch"|"webhook",host="..."}. */
void rt_breaker_metrics(ratchet_buf *out);

/* Forget every tracked host of both scopes and disable them. */
void rt_breakers_reset(void);

#endif
