/*
 * host/task/fetch.h - the host side of a task's fetch(url, {method, headers}, body): a real HTTP
 * request with libcurl, or an answer from the test file's mocks, or from a recorded HAR file;
 * optionally recording every exchange to a HAR 1.2 file.
 *
 * Source of each answer, checked in this order: mocks when set (no network is ever touched),
 * else the replayed HAR when set (no network either), else libcurl. Recording is orthogonal:
 * every exchange that produced a response (any status, any source) is kept when it is on.
 *
 * What a script sees (ratchet_fetch_call out-fields, see ratchet/executor.h):
 *  - a 2xx response returns {"ok": true, "status", "statusText", "headers": {lowercased name:
 *    value, repeated headers joined with ", "}, "body": the parsed JSON when the body is one
 *    JSON value (nesting up to 32), else the text};
 *  - any other status throws "HTTP <status>: <statusText>" as AuthenticationError (401),
 *    AuthorizationError (403), RateLimitError (429), HttpError (other 4xx; error_status is the
 *    status), ServiceUnavailableError (5xx) or NetworkError (1xx/3xx final answers);
 *  - transport failures throw NetworkError ("fetch GET <url> failed: <curl's text>", "too many
 *    redirects from <url> (the limit is N)", "response from <url> exceeds the limit of N
 *    bytes"), or TimeoutError ("fetch timed out after N ms: <url>");
 *  - bad arguments throw Error ("fetch: unsupported method 'FOO' ...", "fetch: header 'X' must
 *    be a string, not number", "fetch: only http and https URLs are allowed: <url>", ...);
 *  - with mocks set, an unmatched request throws NetworkError "no mock matches GET <url> (2
 *    mocks: GET https://a, POST https://b)"; when replaying, NetworkError "not in the
 *    recording: GET <url>".
 *
 * Threading: a fetcher is used by one thread at a time (calls on one fetcher never overlap);
 * different fetchers may be used on different threads at once. libcurl's global state is
 * initialised once per process (pthread_once) on the first live request.
 *
 * Memory: everything here allocates with malloc. The fetcher owns what it keeps (mocks are
 * referenced, not copied: json-c reference counts); rt_fetcher_free releases all of it.
 */
#ifndef RT_FETCH_H
#define RT_FETCH_H

#include <stddef.h>
#include <stdint.h>

#include "core/core_layer.h"
#include "ratchet/executor.h"

struct json_object;

typedef struct rt_fetch_config {
    int64_t timeout_ms;        /* whole request, redirects included; <= 0: the default 30000;
                                  at most 2^31-1 */
    long max_redirects;        /* redirects followed; 0: none (a 3xx is the answer); < 0: 10 */
    size_t max_response_bytes; /* body size limit; 0: the default 10 MiB */
    const char *user_agent;    /* sent unless the script sets User-Agent; NULL: "Ratchet/1.0";
                                  copied by rt_fetcher_new */
    int verify_tls;            /* verify the server's certificate and name; on by default */
    const int *cancel;         /* NULL, or a flag another thread sets (atomically) to abandon
                                  a live transfer under way within about a second */
} rt_fetch_config;

#define RT_FETCH_DEFAULT_TIMEOUT_MS    30000
#define RT_FETCH_DEFAULT_MAX_REDIRECTS 10L
#define RT_FETCH_DEFAULT_MAX_RESPONSE  ((size_t)10 * 1024 * 1024)
#define RT_FETCH_DEFAULT_USER_AGENT    "Ratchet/1.0"

/* The defaults above (TLS verification on). Start from these and change what differs. */
rt_fetch_config rt_fetch_config_defaults(void);

/* One per execution (or per test run). cfg may be NULL for the defaults; it is copied.
 * NULL when out of memory. */
typedef struct rt_fetcher rt_fetcher;
rt_fetcher *rt_fetcher_new(const rt_fetch_config *cfg);
void rt_fetcher_free(rt_fetcher *f);

/* Answer every request from the test file's `mock.http`: one mock object or an array of them,
 * each {method?: "GET", url, response}. `response` is either a full response {status,
 * statusText?, headers?, body?} (recognised by an integer `status` together with a `body` or
 * an `ok` key) or the body alone (then 200 OK, no headers). A request matches a mock with the
 * same method and the same URL, else the first mock with the same method whose URL contains
 * the request's or is contained in it. The fetcher keeps references into mock_http (borrowed;
 * no copy). NULL turns mocks off; an empty array keeps them on with nothing to match. On a
 * malformed mock: RATCHET_ERR, err says which ("mock.http[1].url is required (a string)"), and
 * the previous mocks stay in place. */
ratchet_status rt_fetcher_set_mocks(rt_fetcher *f, struct json_object *mock_http, rt_error *err);

/* Answer every request from the entries of the HAR file at har_path (read now, at most
 * 256 MiB), matching method and URL exactly; a request repeated answers from the matching
 * entries in their order, then keeps answering from the last one. On a malformed file:
 * RATCHET_ERR with "<path>: log.entries[3].response.status must be an integer between 100
 * and 599" and the like; the previous recording stays in place. */
ratchet_status rt_fetcher_replay_har(rt_fetcher *f, const char *har_path, rt_error *err);

/* Keep (on != 0) or stop keeping every exchange from now on, for rt_fetcher_write_har. The
 * values of credential headers are replaced by "[redacted]" as an exchange is kept, in the
 * request and the response: Authorization, Cookie, Set-Cookie, Proxy-Authorization, and the
 * names given to rt_fetcher_redact_headers. */
void rt_fetcher_record(rt_fetcher *f, int on);

/* More header names (any case) to redact in what is kept (execution.redact_headers); copied,
 * replacing those given before. RATCHET_NOMEM leaves the previous list. */
ratchet_status rt_fetcher_redact_headers(rt_fetcher *f, const char *const *names, size_t n);

/* Write the exchanges kept so far as a HAR 1.2 file (written to a temporary file next to
 * `path`, then renamed over it). Bodies that are not UTF-8 text are stored base64 with
 * "encoding": "base64". */
ratchet_status rt_fetcher_write_har(const rt_fetcher *f, const char *path, rt_error *err);

/* A JSON array with one object per fetch call made, for execution records: {method, url,
 * status (0 when no response), duration_ms, source: "live"|"mock"|"replay"|"none" (a call
 * refused for its arguments), error?: "Name: message" when the call threw}. Borrowed: the same
 * array grows with every call and lives until rt_fetcher_free; take a reference
 * (json_object_get) to keep it longer. */
struct json_object *rt_fetcher_calls(const rt_fetcher *f);

/* Matches ratchet_exec_context.fetch; `fetcher` is an rt_fetcher. Fills either
 * call->response_json or call->error_name/error_message(/error_status), all malloc'd for the
 * executor to free, and returns RATCHET_OK. RATCHET_ERR (with nothing set) only when the host
 * ran out of memory or was called without a fetcher or call. Blocks up to the timeout. */
ratchet_status rt_fetch_callback(void *fetcher, ratchet_fetch_call *call);

/* The standard reason phrase for an HTTP status ("Not Found"), or "" when none is known. */
const char *rt_fetch_reason_phrase(int status);

#endif
