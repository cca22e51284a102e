/*
 * plugins/frontend-common/fe_wait.h - answer an HTTP request when a job ends, without holding
 * a pool thread: the request is deferred (http.h), the job's events are followed (engine.h),
 * and the answer is given when the final status event arrives, the deadline passes, the
 * client leaves or the server stops. REST's synchronous execute and GraphQL's executeTaskSync
 * answer this way.
 *
 * Who answers. fe_wait_job() defers the request before subscribing, so that an answer from
 * another thread always comes after defer(). Events held for the job are replayed inside
 * subscribe(), so the final event may arrive before it returns, on the calling thread; later
 * ones come on an engine thread. The wait ends in one of three ways:
 *   - the event callback sees the final status event: it keeps a copy and hands the session
 *     to the reaper (fe_session.h), which unsubscribes and answers;
 *   - on_expire (deadline, client gone, shutdown): it answers at once, with the final event
 *     if one came already, then hands the session to the reaper to unsubscribe;
 *   - stop(): the session goes to the reaper, which answers.
 * Whoever answers claims the answer under the session lock and then answers WITHOUT any lock
 * held, so the answer may call the engine and the storage (an engine call may publish events,
 * whose callback takes the session lock). The request stays valid until a respond() is
 * accepted (http.h), so an on_expire that finds the answer claimed by the reaper returns and
 * the reaper's respond() still reaches the client; the reaper does not free the session while
 * an on_expire is answering.
 */
#ifndef FE_WAIT_H
#define FE_WAIT_H

#include <stdint.h>

#include <ratchet/http.h>

#include "fe_session.h"

/* Answer `req`: respond() exactly once. Called once per wait, on the reaper thread or in the
 * http plugin's on_expire, with no lock of the wait held: engine and storage calls are
 * allowed. `status`: the job's last status seen ("queued", "running", ...). `final_event`:
 * the job's final status event (engine.h's JSON), NULL when the job has not ended. Both
 * borrowed for the call. */
typedef void (*fe_wait_answer)(void *user, ratchet_http_request *req, const char *status,
                               const char *final_event);

/* What the consumer gives: its answer and how to free its state (may be NULL), called once
 * the wait is over. */
typedef struct fe_wait_ops {
    fe_wait_answer answer;
    void (*free_user)(void *user);
} fe_wait_ops;

/* Defer `req` (in its handler, on its thread) until job `job_id` ends, at most `timeout_ms`
 * (> 0), then answer through `ops` (static storage). `status` is the job's status when it
 * was submitted. The sessions live on `rp`, whose thread must be running. On RATCHET_OK the
 * request and `user` belong to the wait; otherwise (out of memory, the reaper is stopping,
 * defer() refused) nothing was done and the caller answers the request itself and keeps
 * `user`. */
ratchet_status fe_wait_job(fe_reaper *rp, const ratchet_http_api *http, ratchet_http_request *req,
                           int64_t job_id, const char *status, int64_t timeout_ms,
                           const fe_wait_ops *ops, void *user);

#endif /* FE_WAIT_H */
