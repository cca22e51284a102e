/*
 * plugins/api-mcp/mcp.h - internal interface of the api-mcp plugin (the Model Context Protocol
 * front end). Not part of the SDK.
 *
 * Layers, each in its own file:
 *   mcp.c            the plugin: options, create/start/stop/destroy
 *   mcp_rpc.c        JSON-RPC 2.0 messages: parse with bounds, build results and errors
 *   mcp_session.c    sessions (protocol version, initialized, log level) and in-flight calls
 *   mcp_dispatch.c   the method table: initialize, ping, tools, resources, server/discover
 *   mcp_call.c       tools/call on a thread of its own, cancellation, progress notifications
 *   mcp_tools.c      the tool table, tools/list (paged), the per-task tools
 *   mcp_exec.c       running a job and waiting for its final event (execute, batch)
 *   mcp_query.c      the reading tools (lists, status, logs, trace, stored results)
 *   mcp_author.c     the authoring tools (create, edit, validate, run the tests of a task)
 *   mcp_analyze.c    ratchet_analyze_execution_error's rule table
 *   mcp_resources.c  resources/list and resources/read (task sources and schemas)
 *   mcp_stdio.c      the stdio transport (one JSON message per line)
 *   mcp_http.c       the Streamable HTTP transport on the http plugin
 *
 * Threading: one lock per instance (mcp.lock) guards the session table, the in-flight calls and
 * their cancellation state; it is never held across an engine or http call, except that the
 * engine's event callbacks take it (they are quick and call nothing).
 */
#ifndef MCP_H
#define MCP_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include <ratchet/plugin.h>

#define MCP_SERVER_NAME    "ratchet"
#define MCP_SERVER_VERSION "1.0.0"
#define MCP_MAX_MESSAGE    ((size_t)4 * 1024 * 1024) /* bytes of one JSON-RPC message */
#define MCP_MAX_DEPTH      64                        /* nesting of one message */
#define MCP_MAX_CALLS      64                        /* tools/call running at once, per instance */
#define MCP_MAX_SESSIONS   256                       /* HTTP sessions kept (idle ones evicted) */
#define MCP_PROGRESS_MS    5000                      /* heartbeat of notifications/progress */
#define MCP_STATELESS      "2026-07-28"              /* the stateless revision */
#define MCP_META_VERSION   "io.modelcontextprotocol/protocolVersion"

/* JSON-RPC and MCP error codes. */
enum {
    MCP_PARSE_ERROR = -32700,
    MCP_INVALID_REQUEST = -32600,
    MCP_METHOD_NOT_FOUND = -32601,
    MCP_INVALID_PARAMS = -32602,
    MCP_INTERNAL_ERROR = -32603,
    MCP_NOT_INITIALIZED = -32002,
    MCP_RESOURCE_NOT_FOUND = -32002, /* resources/read of an unknown URI (the spec's code) */
    MCP_UNSUPPORTED_VERSION = -32022
};

extern const ratchet_host_api *mcp_host;

typedef struct mcp mcp;
typedef struct mcp_session mcp_session;
typedef struct mcp_call mcp_call;

/*
 * Where the messages for one request go (a transport's answer channel). send() takes one
 * complete JSON-RPC message; `final` marks the response (sent at most once). Notifications
 * (final 0) are only sent when `notify` is set. release() drops the sender's reference: a
 * channel released without a final message ends without one (stdio: nothing; HTTP: 202 or the
 * end of the SSE stream). Both may be called from any thread; calls on one channel are made
 * by one thread at a time (its request's).
 */
typedef struct mcp_out mcp_out;
struct mcp_out {
    void (*send)(mcp_out *o, const char *json, size_t len, int final);
    void (*release)(mcp_out *o);
    int notify;
};

/* Who is asking: the API key's scope (ratchet_http_scope; stdio has ADMIN). */
typedef struct mcp_caller {
    int scope;
} mcp_caller;

/* One session: the legacy era's state between initialize and the end (HTTP: DELETE or eviction;
 * stdio: the process). Stateless requests use a temporary session of their own. Guarded by
 * mcp.lock. */
struct mcp_session {
    char id[40];      /* Mcp-Session-Id ("" for stdio and stateless requests) */
    char version[16]; /* negotiated protocol version ("" before initialize) */
    int initialized;  /* initialize answered */
    int log_level;    /* notifications/message at or above this level; -1: none requested */
    int refs;         /* the table's reference plus one per user */
    int64_t last_used_ms;
    mcp_call *calls; /* in flight, for notifications/cancelled */
    mcp_session *next;
};

/* One tools/call in flight. Owned by its thread; linked into its session while it runs. */
struct mcp_call {
    mcp *m;
    mcp_session *sess;
    mcp_out *out;
    mcp_caller caller;
    struct json_object *id;     /* the request id (owned) */
    struct json_object *params; /* owned */
    struct json_object *token;  /* _meta.progressToken, borrowed from params; may be NULL */
    char version[16];
    /* Under mcp.lock: */
    pthread_cond_t cond; /* signalled on events, cancellation and stop */
    int cancelled;
    int64_t job_ids[128]; /* jobs of this call, cancelled with it */
    size_t njobs;
    int64_t progress; /* last progress value sent */
    mcp_call *next;
};

/* The instance. */
struct mcp {
    ratchet_ctx *ctx;
    const ratchet_engine_api *eng;
    const ratchet_http_api *http;
    /* options */
    int stdio;
    const char *path;
    int task_tools;
    int64_t page_size;
    char **origins; /* allowed Origin values (NULL: loopback only); NULL-terminated */
    /* state, under lock */
    pthread_mutex_t lock;
    pthread_cond_t idle; /* signalled when ncalls drops */
    mcp_session *sessions;
    size_t nsessions;
    mcp_session stdio_session;
    int ncalls;
    int stopping;
    struct json_object *results; /* ratchet_store_result: array of records, in memory */
    int64_t next_result_id;
    /* transports */
    void *stdio_state;
    int mounted;
};

/* ---- mcp_rpc.c ------------------------------------------------------------------------------ */

/* Parse one message of `len` bytes with the size and depth bounds. NULL with *code and a
 * message in `why` (caller-owned buffer of `cap` bytes) when it is not JSON or too big. */
struct json_object *mcp_parse(const char *text, size_t len, int *code, char *why, size_t cap);
/* Text of `o` (compact). The string belongs to `o`. */
const char *mcp_text(struct json_object *o, size_t *len);
/* Send {"jsonrpc":"2.0","id":id,"result":result} (consumes `result`). */
void mcp_send_result(mcp_out *out, struct json_object *id, struct json_object *result);
/* Send an error response; `data` (consumed) may be NULL; id NULL is sent as null. */
void mcp_send_error(mcp_out *out, struct json_object *id, int code, struct json_object *data,
                    const char *fmt, ...) RATCHET_PRINTF(5, 6);
/* Send a notification (consumes `params`). */
void mcp_send_notification(mcp_out *out, const char *method, struct json_object *params);
/* Member helpers: NULL when absent or of another type. */
const char *mcp_get_string(struct json_object *o, const char *key);
struct json_object *mcp_get_object(struct json_object *o, const char *key);
/* Items of an array; 0 for anything else (json-c asserts on a non-array). */
size_t mcp_array_len(struct json_object *o);
/* A new object from JSON text (NULL when it does not parse). */
struct json_object *mcp_from_text(const char *text);

/* ---- mcp_session.c -------------------------------------------------------------------------- */

/* The versions this server speaks, newest first, NULL-terminated (the stateful ones; the
 * stateless revision is MCP_STATELESS). */
extern const char *const mcp_versions[];
/* 1 when `v` is one of mcp_versions. */
int mcp_version_known(const char *v);
/* A new HTTP session with a fresh random id, referenced once for the caller. NULL when out of
 * memory (or every slot is busy). */
mcp_session *mcp_session_new(mcp *m);
/* The session `id`, referenced for the caller; NULL when unknown. */
mcp_session *mcp_session_find(mcp *m, const char *id);
/* Drop a reference taken by new/find. */
void mcp_session_unref(mcp *m, mcp_session *s);
/* End a session (DELETE): its calls are cancelled; the memory goes with the last reference. */
int mcp_session_end(mcp *m, const char *id);
/* End every session (stop). */
void mcp_sessions_clear(mcp *m);
/* Cancel the call `request_id` of `s` (notifications/cancelled); 0 when not found. */
int mcp_session_cancel(mcp *m, mcp_session *s, struct json_object *request_id);

/* ---- mcp_dispatch.c ------------------------------------------------------------------------- */

typedef enum mcp_disposition {
    MCP_DONE_NONE = 0, /* a notification or response: nothing was sent */
    MCP_DONE_ANSWERED, /* the response was sent before return */
    MCP_DONE_PENDING   /* a call thread owns `out` and will answer */
} mcp_disposition;

/* Handle one parsed message. `out` is referenced by the call thread when the answer is
 * pending (it calls out->release() when done); otherwise the caller keeps it. */
mcp_disposition mcp_dispatch(mcp *m, mcp_session *s, struct json_object *msg, mcp_out *out,
                             const mcp_caller *caller);
/* Handle one message as text: parse errors are answered on `out`. */
mcp_disposition mcp_dispatch_text(mcp *m, mcp_session *s, const char *text, size_t len,
                                  mcp_out *out, const mcp_caller *caller);
/* The protocol version a message names in params._meta (NULL when none). */
const char *mcp_meta_version(struct json_object *msg);
/* 1 when the message is a tools/call request (answered later, may send progress). */
int mcp_is_tools_call(struct json_object *msg);

/* ---- mcp_call.c ----------------------------------------------------------------------------- */

/* Start tools/call on a thread. Consumes nothing; answers on `out` (also errors). */
mcp_disposition mcp_call_start(mcp *m, mcp_session *s, struct json_object *msg, mcp_out *out,
                               const mcp_caller *caller);
/* Send notifications/progress for the call (when it has a token) with `message`. */
void mcp_call_progress(mcp_call *c, const char *message);
/* Send notifications/message at `level` when the session asked for it. */
void mcp_call_log(mcp_call *c, const char *level, struct json_object *data);
/* Remember a job of the call so that cancelling the call cancels it. Returns 0 when the call
 * is already cancelled (the caller then cancels the job itself). */
int mcp_call_add_job(mcp_call *c, int64_t job_id);
/* Cancelled or stopping (under no lock). */
int mcp_call_should_end(mcp_call *c);
/* Wait for every call thread to end (stop), bounded by `ms`. */
void mcp_calls_drain(mcp *m, int64_t ms);

/* ---- mcp_tools.c ---------------------------------------------------------------------------- */

/* A tool result under construction. */
typedef struct json_object mcp_result;
/* The tools/list result for `cursor` (NULL: first page); NULL with a message in `why` for a bad
 * cursor. */
struct json_object *mcp_tools_list(mcp *m, const char *cursor, char *why, size_t cap);
/* Run the tool `name` for the call (on its thread). The tool result, or NULL with *code and
 * `why` for a JSON-RPC error (unknown tool). */
struct json_object *mcp_tools_call(mcp_call *c, const char *name, struct json_object *args,
                                   int *code, char *why, size_t cap);
/* Result helpers: a text block plus structuredContent (consumed; NULL: none). */
struct json_object *mcp_tool_ok(struct json_object *structured);
struct json_object *mcp_tool_error(struct json_object *structured, const char *fmt, ...)
    RATCHET_PRINTF(2, 3);
/* An isError result from an engine error object (the text of `out`). */
struct json_object *mcp_tool_engine_error(const char *what, const char *error_json);

/* ---- mcp_exec.c ----------------------------------------------------------------------------- */

/* Queue a job: `request` is job_submit's JSON (borrowed). The job id, or 0 with *err set to
 * an isError tool result (owned). */
int64_t mcp_exec_submit(mcp_call *c, struct json_object *request, struct json_object **err);
/* Wait for the job's final status event, sending progress (and log notifications) meanwhile.
 * `timeout_ms` 0: no bound. The final event (owned), or NULL with *err set (cancelled: the job
 * is cancelled too; stopping; timeout). */
struct json_object *mcp_exec_wait(mcp_call *c, int64_t job_id, int64_t timeout_ms,
                                  struct json_object **err);
/* The tool result for a final event: output as structuredContent, or isError with the
 * typed error. */
struct json_object *mcp_exec_result(struct json_object *final_event);
struct json_object *mcp_tool_execute(mcp_call *c, struct json_object *args);
/* task_<name>: `task` is the task record (task_get shape). */
struct json_object *mcp_tool_task(mcp_call *c, struct json_object *task, struct json_object *args);
struct json_object *mcp_tool_batch(mcp_call *c, struct json_object *args);

/* ---- mcp_query.c ---------------------------------------------------------------------------- */

struct json_object *mcp_tool_list_tasks(mcp_call *c, struct json_object *args);
struct json_object *mcp_tool_status(mcp_call *c, struct json_object *args);
struct json_object *mcp_tool_logs(mcp_call *c, struct json_object *args);
struct json_object *mcp_tool_trace(mcp_call *c, struct json_object *args);
struct json_object *mcp_tool_list_executions(mcp_call *c, struct json_object *args);
struct json_object *mcp_tool_list_jobs(mcp_call *c, struct json_object *args);
struct json_object *mcp_tool_list_schedules(mcp_call *c, struct json_object *args);
struct json_object *mcp_tool_store_result(mcp_call *c, struct json_object *args);
struct json_object *mcp_tool_get_results(mcp_call *c, struct json_object *args);
/* An engine call's JSON answer parsed, or NULL with *err (an isError result) set. */
struct json_object *mcp_engine_json(ratchet_status st, ratchet_buf *out, const char *what,
                                    struct json_object **err);
/* An integer argument (number or digit string); `def` when absent, -1 when malformed. */
int64_t mcp_arg_int(struct json_object *args, const char *key, int64_t def);

/* ---- mcp_author.c --------------------------------------------------------------------------- */

struct json_object *mcp_tool_create_task(mcp_call *c, struct json_object *args);
struct json_object *mcp_tool_edit_task(mcp_call *c, struct json_object *args);
struct json_object *mcp_tool_validate_task(mcp_call *c, struct json_object *args);
struct json_object *mcp_tool_run_tests(mcp_call *c, struct json_object *args);

/* ---- mcp_analyze.c -------------------------------------------------------------------------- */

struct json_object *mcp_tool_analyze(mcp_call *c, struct json_object *args);
/* The analysis of a typed error and the execution's log lines (items of execution_logs). */
struct json_object *mcp_analyze_error(struct json_object *error, struct json_object *logs);

/* ---- mcp_resources.c ------------------------------------------------------------------------ */

struct json_object *mcp_resources_list(mcp *m, const char *cursor, char *why, size_t cap);
/* The resources/read result, or NULL with *code and `why`. */
struct json_object *mcp_resources_read(mcp *m, const char *uri, int *code, char *why, size_t cap);
/* Encode / decode a page cursor (an offset). -1 for a malformed cursor. */
void mcp_cursor_encode(int64_t offset, char *buf, size_t cap);
int64_t mcp_cursor_decode(const char *cursor);
/* The offset a list cursor names (0 for none); -1 with the reason in why[cap] when invalid. */
int64_t mcp_page_offset(const char *cursor, char *why, size_t cap);
/* The items of engine tasks_list for `query_json` (a new reference), or NULL. */
struct json_object *mcp_task_items(mcp *m, const char *query_json);

/* ---- transports ----------------------------------------------------------------------------- */

ratchet_status mcp_stdio_start(mcp *m);
void mcp_stdio_stop(mcp *m);
void mcp_stdio_free(mcp *m); /* after mcp_calls_drain */
ratchet_status mcp_http_start(mcp *m);
void mcp_http_stop(mcp *m);
void mcp_http_free(mcp *m); /* destroy: forget the instance */

#endif /* MCP_H */
