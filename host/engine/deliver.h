/*
 * host/engine/deliver.h - output destinations of finished jobs: send the result to a webhook or
 * write it to a file, and describe what happened as a delivery record for storage.
 *
 * Destinations are JSON, stored with the job in its meta as {"outputs": [...]}; each is one of
 *
 *   {"type": "webhook", "url": "https://...", "method": "POST" | "PUT" | "PATCH",
 *    "headers": {"X-Name": "value", ...},
 *    "auth": {"type": "bearer", "token": ".."} | {"type": "basic", "username": "..",
 *             "password": ".."} | {"type": "api_key", "header": "X-API-Key", "key": ".."},
 *    "timeout_ms": 30000 (1000..300000), "max_attempts": 3 (1..10),
 *    "include": "output" | "job"}
 *
 *   {"type": "file", "path": "/var/out/{task}-{job_id}.json",
 *    "format": "json" (pretty, the default) | "json_compact", "overwrite": false,
 *    "include": "output" | "job"}
 *
 * What is sent or written ("include"): "output" (the default) is the task's output JSON (null
 * when the job produced none); "job" is {jobId, executionId, taskName, taskVersion, status,
 * output, error}. A webhook sends it with Content-Type: application/json unless its headers
 * set one, and User-Agent Ratchet/1.0 unless they set one.
 *
 * Webhook retries: a 2xx answer is success. 429 and 5xx answers (but 501 and 505, which will
 * not change), network errors and timeouts are retried until max_attempts, waiting
 * initial_delay_ms, then twice as long each time, capped at max_delay_ms, plus up to `jitter`
 * (a fraction) more; a Retry-After of N seconds lengthens a wait (up to the cap). Any other
 * answer (3xx, other 4xx) fails at once. Redirects are not followed: a 3xx is the answer.
 *
 * Templates: file paths, webhook URLs and webhook header values may hold the variables
 * {job_id}, {execution_id}, {task}, {version}, {status} and {timestamp} (the job's finish
 * time, UTC, yyyymmddThhmmssZ); {{name}} means the same as {name}, and every '{' starts a
 * variable. An unknown variable is an error that names it and lists these. The template's
 * own text is kept as written; only substituted values are escaped, for where they land:
 *   - paths: '/', '\' and control characters become '_', and "", "." and ".." become "_",
 *     so a value never adds a directory;
 *   - URLs: everything but RFC 3986 unreserved characters (A-Z a-z 0-9 - . _ ~) is %XX, so a
 *     value never adds a path segment, query parameter or fragment. Variables may appear only
 *     in the path and query: the scheme, user, host and port are the template's own text
 *     ("outputs[0].url: variables are allowed only in the path and query"), so a job's values
 *     cannot send a webhook to another host;
 *   - header values: control characters (CR, LF, TAB, DEL, ...) become '_', so a value never
 *     ends the header line; a value template and its expansion are at most
 *     RT_OUTPUT_MAX_HEADER bytes, an expanded URL at most RT_OUTPUT_MAX_URL.
 * Example: "url": "https://hooks.example/{task}/{job_id}?status={status}",
 * "headers": {"X-Job": "{job_id}-{execution_id}"}. Auth values (token, username, password,
 * key) are not templates: they are sent as written.
 *
 * File paths may not contain ".." components. A relative path is taken under the caller's base
 * directory (an error when there is none). Missing parent directories are created (0755).
 * The file (0644) is written to a temporary file in the same directory and then renamed into
 * place (overwrite: true) or hard-linked to its name (overwrite: false: an existing file is
 * an error, "exists; set overwrite: true", and is never replaced).
 *
 * Secrets: auth tokens, passwords, keys and header values never appear in records or
 * messages (a header template's message quotes only the name of an unknown variable);
 * user:password@ in a URL is removed from the record and from error messages.
 * Nothing here logs but the circuit breakers' transitions.
 *
 * Circuit breaker (breaker.h, scope "webhook"): every attempt first asks the breaker of the
 * webhook's host; while it is open the delivery fails at once, without retries, with the
 * breaker's message ("circuit breaker open for HOST after N consecutive failures: not
 * calling it until TIME (in S s)"). Network errors, timeouts and 5xx answers count as
 * failures of the host; any other answer as a success.
 *
 * Threading: every function may be called from any thread; calls share only the breakers
 * (locked). rt_deliver
 * blocks for the whole delivery, retries and waits included (the engine calls it on a delivery
 * thread); policy->cancelled lets the caller cut the waits short.
 *
 * Memory: inputs are borrowed for the duration of the call (job must not be NULL). The JSON values
 * of a job are serialised here (json-c caches the text inside the object), so no other thread may
 * use them during the call.
 */
#ifndef RT_DELIVER_H
#define RT_DELIVER_H

#include <stdint.h>

#include "core/core_layer.h"

struct json_object;

/* Bounds on destinations. */
#define RT_OUTPUTS_MAX             32 /* destinations per job */
#define RT_OUTPUT_MAX_HEADERS      64
#define RT_OUTPUT_MAX_URL          8192 /* a URL template and its expansion */
#define RT_OUTPUT_MAX_HEADER       8192 /* a header value template and its expansion */
#define RT_OUTPUT_MAX_PATH         4096
#define RT_OUTPUT_DEFAULT_TIMEOUT  30000
#define RT_OUTPUT_MIN_TIMEOUT      1000
#define RT_OUTPUT_MAX_TIMEOUT      300000
#define RT_OUTPUT_DEFAULT_ATTEMPTS 3
#define RT_OUTPUT_MAX_ATTEMPTS     10

/* The finished job being delivered. Strings may be NULL (null in JSON, "_" in paths, "" in
 * URLs and headers);
 * output/error may be NULL (null). */
typedef struct rt_delivery_job {
    int64_t job_id;
    int64_t execution_id;
    const char *task;
    const char *version;
    const char *status; /* "completed", "failed", ... */
    struct json_object *output;
    struct json_object *error;
    int64_t finished_ms; /* for {timestamp}: ms since the epoch; 0: now */
} rt_delivery_job;

/* How deliveries retry. Tests shorten the delays to milliseconds. */
typedef struct rt_delivery_policy {
    int64_t initial_delay_ms; /* wait before the second attempt; default 1000 */
    int64_t max_delay_ms;     /* cap on one wait; default 60000 */
    double jitter;            /* up to this fraction of a wait is added; default 0.1 */
    int verify_tls;           /* verify webhook servers' certificates; default on */
    /* Optional: polled every 100 ms while waiting to retry (a first attempt is always made);
     * non-zero stops the retries (the record then reports the last failure followed by
     * " (retries cancelled)"). */
    int (*cancelled)(void *data);
    void *cancel_data;
} rt_delivery_policy;

/* The defaults above. */
rt_delivery_policy rt_delivery_policy_defaults(void);

/* Validate a job's destinations at submit time. outputs may be NULL (none) or an array of at
 * most RT_OUTPUTS_MAX destinations. RATCHET_ERR with the first problem in err, naming where it
 * is: "outputs[0].url: expected an http(s) URL", "outputs[1].path: unknown variable {jobid}
 * (use {job_id}, {execution_id}, {task}, {version}, {status} or {timestamp})",
 * "outputs[2]: unknown key 'overwite'". */
ratchet_status rt_outputs_check(struct json_object *outputs, rt_error *err);

/* Deliver the job to one destination, with retries (see above); blocks until done. Returns
 * a new delivery record for storage's delivery_record (the caller puts it):
 * {jobId, executionId, destinationType: "webhook"|"file", destination: the URL without
 * credentials or the expanded path, success, attempts, durationMs, responseStatus: the last
 * HTTP status or null, error: null on success, else the last failure}. A destination that
 * fails validation is recorded as a failure with 0 attempts and the message of
 * rt_outputs_check (prefixed "output"). base_dir: where relative file paths go, or NULL to
 * refuse them. policy may be NULL for the defaults. NULL only when out of memory. */
struct json_object *rt_deliver(struct json_object *dest, const rt_delivery_job *job,
                               const rt_delivery_policy *policy, const char *base_dir);

/* ---- shared by deliver.c, deliver_file.c and deliver_template.c -------------------------- */

/* How deliver_template.c escapes a substituted value (see "Templates" above). */
typedef enum rt_deliver_escape {
    RT_ESCAPE_PATH,
    RT_ESCAPE_URL,
    RT_ESCAPE_HEADER,
} rt_deliver_escape;

/* Check a template's variables (any escape): each known and closed. where prefixes messages
 * ("outputs[0].url: unknown variable {jobid} (use ...)", "...: unclosed '{' at offset 5"). */
ratchet_status rt_deliver_template_check(const char *tmpl, const char *where, rt_error *err);

/* Append tmpl expanded for job to out (caller-owned), values escaped per esc; RATCHET_ERR with
 * "<where>: longer than <max> bytes once expanded" once out holds more than max bytes (out
 * may hold a prefix already: it counts), RATCHET_NOMEM when out of memory. out is left
 * partly written on failure. */
ratchet_status rt_deliver_template_expand(const char *tmpl, rt_deliver_escape esc,
                                          const rt_delivery_job *job, size_t max, ratchet_buf *out,
                                          const char *where, rt_error *err);

/* Check a path template (shape, then variables). where prefixes messages ("outputs[0].path"). */
ratchet_status rt_deliver_path_check(const char *tmpl, const char *where, rt_error *err);

/* Expand a path template for job and resolve it against base_dir (may be NULL). *out is
 * malloc'd (caller frees) on RATCHET_OK; RATCHET_NOMEM when out of memory. */
ratchet_status rt_deliver_path_expand(const char *tmpl, const rt_delivery_job *job,
                                      const char *base_dir, char **out, rt_error *err);

/* Write len bytes to path as described above (parents, temp file, rename or link). */
ratchet_status rt_deliver_file_write(const char *path, const char *data, size_t len, int overwrite,
                                     rt_error *err);

#endif
