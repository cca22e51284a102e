/*
 * plugins/frontend-common/fe_session.h - sessions that hold an engine subscription on behalf
 * of an HTTP request (a deferred answer, an event stream), and the reaper thread that ends
 * them. Shared by api-rest (synchronous execute, job events) and api-graphql
 * (executeTaskSync) as a static library.
 *
 * Why a thread: unsubscribe() may not be called from the subscription's own callback
 * (engine.h), and the callback that sees the final event is where a session usually ends.
 * Whoever sees the session end (the event callback on the final event, the http plugin's
 * on_expire/on_close, stop()) marks it ended under the session lock; once subscribe() has also
 * returned, the session is handed, once, to the reaper, which unsubscribes and then finishes
 * it through its ops (answers the request, closes the stream) and frees it.
 *
 * Lock order: reaper lock before session lock. Code holding only s->lock never takes the
 * reaper lock: it asks fe_session_end_locked() whether to queue, unlocks, then calls
 * fe_reaper_push().
 *
 * The http plugin's on_expire/on_close should get the instance, not the session, as their
 * user pointer and find the session by its request/stream handle (fe_session_claim). The http
 * plugin decides to call them under its own lock and calls them after releasing it, so one may
 * already be on its way when our answer or stream_close() is accepted; the handle is still
 * valid then (http.h), but the session may be gone. Looking it up under the reaper lock, and
 * freeing a session only after unlinking it and taking its lock once more, makes that case
 * safe: the late callback finds nothing, or finds the session and sees it answered/closed.
 *
 * Threading: every function may be called from any thread unless said otherwise.
 */
#ifndef FE_SESSION_H
#define FE_SESSION_H

#include <pthread.h>

#include <ratchet/engine.h>
#include <ratchet/plugin.h>

typedef struct fe_session fe_session;
typedef struct fe_reaper fe_reaper;

/* What a kind of session does at its ends. */
typedef struct fe_session_ops {
    /* After unsubscribe(), on the reaper thread, no lock held: answer/close as needed. The
     * reaper calls release next. */
    void (*reaped)(fe_session *s);
    /* stop() ends a live session, with the reaper lock held (take s->lock, never the reaper
     * lock); returns what fe_session_end_locked() returned. */
    int (*abort)(fe_session *s);
    /* Free the session's memory (nobody can reach it any more). */
    void (*release)(fe_session *s);
} fe_session_ops;

/* Embed first in the consumer's session struct; the consumer allocates it. */
struct fe_session {
    const fe_session_ops *ops;
    fe_reaper *reaper;
    pthread_mutex_t lock;
    ratchet_engine_sub *sub;
    int subscribed;     /* subscribe() returned (sub may be NULL when it failed) */
    int ended;          /* no more events wanted: final event, client gone, expired, stopping */
    int queued;         /* handed to the reaper (at most once) */
    const void *handle; /* the request or stream the http plugin knows */
    fe_session *next_live, *prev_live, *next_queued;
};

/* One per front-end instance; embed it and fe_reaper_init() it at create(). */
struct fe_reaper {
    const ratchet_host_api *host;
    ratchet_ctx *ctx;
    const ratchet_engine_api *eng; /* set before fe_reaper_start() */
    pthread_mutex_t lock;          /* guards everything below */
    pthread_cond_t cond;           /* the thread waits for work; stop() for sessions to end */
    fe_session *live;              /* sessions not yet freed */
    fe_session *queue;             /* ended sessions whose subscription must be ended */
    int running, stopping, give_up;
    pthread_t thread;
};

/* Initialise / destroy (create() / destroy(); not while the thread runs). */
void fe_reaper_init(fe_reaper *rp, const ratchet_host_api *host, ratchet_ctx *ctx);
void fe_reaper_destroy(fe_reaper *rp);
/* Start the thread (start()); RATCHET_ERR with set_error on the ctx when it cannot. */
ratchet_status fe_reaper_start(fe_reaper *rp, const ratchet_engine_api *eng);
/* stop(): abort every live session, wait for them (bounded, 5 s) and join the thread. Call
 * after unmount(), so that no handler is running. Safe when never started. */
void fe_reaper_stop(fe_reaper *rp);

/* Initialise and track a new session of `handle` (its request or stream); RATCHET_ERR when
 * the reaper is stopping (then `s` is not tracked and its lock not initialised). */
ratchet_status fe_session_add(fe_reaper *rp, fe_session *s, const fe_session_ops *ops,
                              const void *handle);
/* With s->lock held: mark it ended; 1 when the caller must fe_reaper_push() it (after
 * unlocking): subscribe() has returned and nobody queued it before. */
int fe_session_end_locked(fe_session *s);
/* subscribe() returned `sub` (NULL: it failed, which ends the session): record it and, if the
 * session has ended meanwhile (a final event replayed from inside subscribe(), an on_expire
 * or on_close), hand it to the reaper. The caller does not touch `s` afterwards. */
void fe_session_subscribed(fe_session *s, ratchet_engine_sub *sub);
/* The live session of `handle`, returned with its lock held; NULL when there is none (it
 * ended and was freed). For on_expire/on_close. */
fe_session *fe_session_claim(fe_reaper *rp, const void *handle);
/* Hand an ended session to the reaper. Do not hold s->lock. */
void fe_reaper_push(fe_session *s);
/* Untrack and free a session (ops->release). Do not hold s->lock or the reaper lock. */
void fe_session_release(fe_session *s);

#endif /* FE_SESSION_H */
