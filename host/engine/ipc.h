/*
 * host/engine/ipc.h - the wire protocol between the coordinator (`ratchet serve`) and its
 * `ratchet worker` children: one JSON object per line over the worker's stdin (coordinator ->
 * worker) and stdout (worker -> coordinator).
 *
 * Envelope. Every message is a flat JSON object on one '\n'-terminated line:
 *
 *   {"protocol_version":1,"type":"<type>","id":<integer>, ...payload fields...}
 *
 * `id` correlates a reply with its request: each side numbers the requests it sends, and a
 * reply (pong, result, fetch_result, error) carries the id of the request it answers. An
 * `error` whose request had no readable id has "id":null. Keys the receiver does not know are
 * ignored, so a field can be added without a version bump; removing or retyping one bumps
 * RT_IPC_PROTOCOL_VERSION. JSON text never holds a raw newline (strings escape it), so a line is
 * always exactly one message.
 *
 * Messages (fields in the order they are written; "value" is any JSON value, embedded as JSON,
 * never as a string holding JSON):
 *
 *   coordinator -> worker
 *     execute      job_id:int, execution_id:string|null,
 *                  task:{name:string, version:string, uuid:string|null, dir:string|null,
 *                        code:string|null,   (dir or code required: the worker loads the task
 *                                              folder itself, or runs `code`, main.js as
 *                                              compiled by the coordinator),
 *                        modules:string|null, map:string|null}  (the compiled program's runtime
 *                                              modules and line map, as in host/task/program.h;
 *                                              absent: none),
 *                  input:value, timeout_ms:int>=0, memory_bytes:int>=0   (0: no limit),
 *                  trace_id:string|null, span_id:string|null   (optional: the job's W3C
 *                                              trace and its run span, for the worker's log
 *                                              context)
 *     ping         (no payload)
 *     fetch_result response:value  (the {ok, status, statusText, headers, body} object)
 *                  | error:{name:string|null, message:string, stack:string|null, status:int}
 *                  id = the id of the worker's `fetch`
 *     shutdown     grace_ms:int>=0   (finish the current execution within it, then exit)
 *   While an `execute` runs, up to RT_IPC_AHEAD more may be sent ahead: the worker runs them in
 *   order, each once the one before has its `result` (it keeps those read while it waits for
 *   a fetch_result); after `shutdown` it starts none of them.
 *   worker -> coordinator
 *     ready        worker_id:string, pid:int   (first line a worker writes; the envelope's
 *                                               protocol_version is the version it speaks)
 *     pong         stats:{executed:int, uptime_ms:int, rss_kb:int}
 *     result       job_id:int, outcome:"ok"|"compile_error"|"no_entry"|"runtime_error"|
 *                  "output_error"|"memory"|"timeout"|"stack",
 *                  output:value (required when ok, optional otherwise),
 *                  error:{name, message, stack, status} (required unless ok),
 *                  logs:[{level:"trace"|"debug"|"info"|"warn"|"error", message:string}],
 *                  http:[{method:string, url:string, status:int, duration_ms:number}],
 *                  duration_ms:number>=0          id = the id of the `execute`
 *     fetch        url:string, options:value|null, body:value|null   (the task called fetch();
 *                  the worker has no network, the coordinator performs it and answers with
 *                  fetch_result)
 *     log          job_id:int, logs:[{level, message}]   (console lines of the running
 *                  execution, sent as the task prints them, so that the coordinator keeps
 *                  them when it has to kill the worker; the result's own `logs` come after
 *                  them. No answer.)     id = the id of the `execute`
 *   either way
 *     error        message:string   (the request could not be decoded or carried out)
 *
 * Decoding checks the envelope (a different protocol_version is refused naming both versions),
 * the type, and every field this header lists, naming the field ("task.name", "logs[2].level").
 * Which side may send which type is the receiver's business (rt_ipc_sent_by_worker()).
 *
 * Numbers: json-c clamps integer literals beyond 64 bits (1e20 written by JSON.stringify as
 * 100000000000000000000 would come back as 18446744073709551615); the decoder turns such
 * literals into doubles that keep their original text, so a value survives the pipe as JSON
 * and JavaScript see it. NaN and Infinity are not JSON and are refused.
 *
 * Threading: no global state; a reader, a writer and a message each belong to one thread at a
 * time. Encoding a json_object caches its text inside the object (json-c), so one object must
 * not be encoded by two threads at once.
 *
 * Signals: writing to a pipe whose reader has gone raises SIGPIPE; processes using this module
 * ignore SIGPIPE (it changes no signal disposition itself) and get EPIPE as an error instead.
 */
#ifndef RT_IPC_H
#define RT_IPC_H

#include <stddef.h>
#include <stdint.h>

#include "core/core_layer.h"
#include "ratchet/executor.h"
#include "ratchet/host.h"

struct json_object;

#define RT_IPC_PROTOCOL_VERSION 1
/* Longest line (without its '\n') a reader accepts unless told otherwise: room for a large
 * task output, but bounded so that a runaway peer cannot exhaust the coordinator's memory. */
#define RT_IPC_MAX_LINE_DEFAULT ((size_t)64 * 1024 * 1024)
/* Deepest nesting a line may have, the envelope counting as one level: an input or output may
 * nest 127 deep. A worker reports a deeper output as output_error rather than sending it. */
#define RT_IPC_MAX_DEPTH 128

typedef enum rt_ipc_type {
    RT_IPC_UNKNOWN = 0, /* only in a message that failed to decode */
    RT_IPC_READY,
    RT_IPC_PING,
    RT_IPC_PONG,
    RT_IPC_EXECUTE,
    RT_IPC_RESULT,
    RT_IPC_FETCH,
    RT_IPC_FETCH_RESULT,
    RT_IPC_SHUTDOWN,
    RT_IPC_ERROR,
    RT_IPC_LOG
} rt_ipc_type;

/*
 * A JSON value inside a message. Encoding: give `obj` (a json-c value; NULL is JSON null) or,
 * to skip a parse/serialise round trip, `text` (len bytes of one JSON value, as produced by a
 * JSON serialiser: embedded verbatim, not validated here; a raw newline in it can only be
 * whitespace and is written as a space). Decoding fills `obj` only, borrowed from the message.
 */
#define RT_IPC_AHEAD 16 /* executes a coordinator may send ahead of the running one */

typedef struct rt_ipc_json {
    struct json_object *obj;
    const char *text;
    size_t len;
} rt_ipc_json;

/* A thrown JavaScript error (result.error, fetch_result.error). */
typedef struct rt_ipc_js_error {
    const char *name;    /* "TypeError", "HttpError", ...; NULL when not a thrown error */
    const char *message; /* required */
    const char *stack;   /* NULL when unknown */
    int64_t status;      /* HttpError's HTTP status, else 0 */
} rt_ipc_js_error;

typedef struct rt_ipc_ready {
    const char *worker_id;
    int64_t pid;
} rt_ipc_ready;

typedef struct rt_ipc_pong {
    int64_t executed;  /* executions finished since the worker started */
    int64_t uptime_ms; /* since the worker started */
    int64_t rss_kb;    /* resident set size, to recycle bloated workers */
} rt_ipc_pong;

/* Which task to run: name/version identify it in messages and in `context`, dir is the task
 * folder the worker loads from disk, code (optional) is main.js given inline instead. */
typedef struct rt_ipc_task_ref {
    const char *name;
    const char *version;
    const char *uuid; /* may be NULL */
    const char *dir;  /* NULL when code is given */
    const char *code; /* NULL: load main.js from dir */
    const char *modules; /* runtime modules of the compiled code, space-separated, or NULL */
    const char *map;     /* line map of the compiled code (compact text), or NULL */
    const char *file;    /* how messages name the code ("task.js", "x.zip!main.js"), or NULL
                            for "main.js" */
} rt_ipc_task_ref;

typedef struct rt_ipc_execute {
    int64_t job_id;
    const char *execution_id; /* may be NULL */
    rt_ipc_task_ref task;
    rt_ipc_json input;
    int64_t timeout_ms;   /* 0: none (the coordinator's kill is the hard limit anyway) */
    int64_t memory_bytes; /* 0: the executor's default */
    const char *trace_id; /* the job's trace (32 hex digits), or NULL */
    const char *span_id;  /* the run span (16 hex digits), or NULL */
} rt_ipc_execute;

typedef struct rt_ipc_result {
    int64_t job_id;
    ratchet_exec_outcome outcome;
    rt_ipc_json output;    /* RATCHET_EXEC_OK: the output (JSON null is a valid output) */
    rt_ipc_js_error error; /* every other outcome: what went wrong (message required) */
    rt_ipc_json logs;      /* array of {level, message}; NULL writes [] */
    rt_ipc_json http;      /* array of {method, url, status, duration_ms, ...}; NULL writes [] */
    double duration_ms;
} rt_ipc_result;

typedef struct rt_ipc_fetch {
    const char *url;
    rt_ipc_json options; /* {method, headers} or null */
    rt_ipc_json body;    /* null when the task passed none */
} rt_ipc_fetch;

typedef struct rt_ipc_fetch_result {
    int is_error;          /* 1: `error` is set, the fetch() call throws it */
    rt_ipc_json response;  /* is_error == 0 */
    rt_ipc_js_error error; /* is_error == 1 */
} rt_ipc_fetch_result;

typedef struct rt_ipc_log {
    int64_t job_id;
    rt_ipc_json logs; /* array of {level, message}; NULL writes [] */
} rt_ipc_log;

typedef struct rt_ipc_shutdown {
    int64_t grace_ms;
} rt_ipc_shutdown;

typedef struct rt_ipc_error_msg {
    const char *message;
} rt_ipc_error_msg;

/*
 * One message. To send: zero it, set type, id and the member for the type; every pointer is
 * borrowed for the duration of the encode call. A received message (rt_ipc_decode) owns the
 * parsed tree in `root`; its strings and values point into it and live until
 * rt_ipc_msg_free() (json_object_get() a value to keep it longer).
 */
typedef struct rt_ipc_msg {
    rt_ipc_type type;
    int64_t id;
    int id_null; /* 1: "id":null (an `error` answering a message without a readable id) */
    union {
        rt_ipc_ready ready;
        rt_ipc_pong pong;
        rt_ipc_execute execute;
        rt_ipc_result result;
        rt_ipc_fetch fetch;
        rt_ipc_fetch_result fetch_result;
        rt_ipc_shutdown shutdown;
        rt_ipc_error_msg error;
        rt_ipc_log log;
    };
    struct json_object *root; /* decoded messages only; released by rt_ipc_msg_free() */
} rt_ipc_msg;

/* "execute", "result", ... ("unknown" for RT_IPC_UNKNOWN). Static strings. */
const char *rt_ipc_type_name(rt_ipc_type type);
/* 1 for the types a worker sends (ready, pong, result, fetch, log, error), else 0. */
int rt_ipc_sent_by_worker(rt_ipc_type type);
/* "ok", "compile_error", ... as on the wire; NULL for a value outside the enum. */
const char *rt_ipc_outcome_name(ratchet_exec_outcome outcome);

/* Append msg as one line ending in '\n' to out. RATCHET_ERR with a message naming the field
 * when a required field is missing or out of range (out is then left as it was);
 * RATCHET_NOMEM. */
ratchet_status rt_ipc_encode(const rt_ipc_msg *msg, ratchet_buf *out, rt_error *err);

/* Decode one line (len bytes, without its '\n'; need not be NUL-terminated). On success msg
 * owns the parsed tree (release with rt_ipc_msg_free). On failure RATCHET_ERR (or
 * RATCHET_NOMEM) with the reason in err; nothing needs freeing, and msg->type / msg->id /
 * msg->id_null are set as far as they could be read, so the caller can answer with an `error`
 * (rt_ipc_error_reply) that the peer can match to its request. */
ratchet_status rt_ipc_decode(const char *line, size_t len, rt_ipc_msg *msg, rt_error *err);

/* Parse one JSON text (len bytes; trailing whitespace allowed) the way the protocol does:
 * strict json-c, valid UTF-8, nesting up to RT_IPC_MAX_DEPTH, integers beyond 64 bits kept as
 * doubles with their text, NaN/Infinity refused. *out is a new reference (json_object_put).
 * RATCHET_ERR with "malformed message: <why> at byte offset N", or RATCHET_NOMEM. */
ratchet_status rt_ipc_parse_json(const char *text, size_t len, struct json_object **out,
                                 rt_error *err);

/* Release a decoded message's tree and zero it. Safe on a zeroed or already freed message. */
void rt_ipc_msg_free(rt_ipc_msg *msg);

/* Fill reply as the `error` answering `bad` (a message that failed to decode or could not be
 * carried out; NULL when none could be read): its id, or null. `message` is borrowed. */
void rt_ipc_error_reply(rt_ipc_msg *reply, const rt_ipc_msg *bad, const char *message);

/* ---- reading lines ---------------------------------------------------------------------- */

typedef enum rt_ipc_io {
    RT_IPC_IO_OK = 0, /* read_ready: read what there was; next_line: *line is set */
    RT_IPC_IO_AGAIN,  /* next_line: no complete line buffered yet */
    RT_IPC_IO_EOF,    /* the peer closed its end (next_line: and every line was returned) */
    RT_IPC_IO_ERR     /* read error, over-long line, or EOF inside a line; see err. Final */
} rt_ipc_io;

/*
 * Splits a byte stream into lines. Members are private. A line longer than the limit is fatal
 * for the stream rather than skipped: its request and correlation id are lost, so the pairing
 * of requests and replies can no longer be trusted, and the recovery is to replace the worker.
 */
typedef struct rt_ipc_reader {
    char *buf;
    size_t len;      /* bytes in buf */
    size_t cap;      /* bytes allocated */
    size_t start;    /* first byte not yet returned as part of a line */
    size_t scan;     /* offset in buf: bytes from start up to here hold no '\n' */
    size_t max_line; /* longest line accepted, without its '\n' */
    int eof;
    int failed; /* an RT_IPC_IO_ERR was reported; `why` says why and every call repeats it */
    rt_error why;
} rt_ipc_reader;

/* max_line 0 means RT_IPC_MAX_LINE_DEFAULT. Allocates nothing until the first read. */
void rt_ipc_reader_init(rt_ipc_reader *r, size_t max_line);
void rt_ipc_reader_free(rt_ipc_reader *r);

/*
 * Read what fd has to offer. On a non-blocking fd this reads until EAGAIN, EOF, or a short
 * read; on a blocking fd it waits for the first bytes only (it stops at a short read or once a
 * complete line is buffered), which is what a worker waiting for its next request wants.
 * EINTR is retried. Call it once rt_ipc_next_line says RT_IPC_IO_AGAIN (on a blocking fd it
 * would otherwise wait with lines still buffered). Returns RT_IPC_IO_OK (possibly having read
 * nothing), RT_IPC_IO_EOF (drain the buffered lines with rt_ipc_next_line), or RT_IPC_IO_ERR
 * (err set). The buffer holds at most about twice the longest line.
 */
rt_ipc_io rt_ipc_read_ready(rt_ipc_reader *r, int fd, rt_error *err);

/*
 * The next complete line: *line points into the reader's buffer, NUL-terminated in place of
 * its '\n', *len excludes the '\n'; valid until the next rt_ipc_read_ready(). Returns
 * RT_IPC_IO_OK, RT_IPC_IO_AGAIN (read more), RT_IPC_IO_EOF (the stream ended cleanly), or
 * RT_IPC_IO_ERR with "message longer than N bytes" or "the peer closed the pipe in the middle
 * of a message (N bytes without a newline)". Lines before a faulty one are returned first.
 */
rt_ipc_io rt_ipc_next_line(rt_ipc_reader *r, const char **line, size_t *len, rt_error *err);

/* ---- writing lines ---------------------------------------------------------------------- */

/*
 * An output queue for a non-blocking fd, so that the coordinator never blocks on a worker
 * that stopped reading. Members are private.
 */
typedef struct rt_ipc_writer {
    ratchet_buf queue; /* encoded lines; bytes before `off` are already written */
    size_t off;
    size_t max_queue; /* refuse to queue beyond this many unwritten bytes */
} rt_ipc_writer;

/* max_queue 0 means 2 * RT_IPC_MAX_LINE_DEFAULT. */
void rt_ipc_writer_init(rt_ipc_writer *w, size_t max_queue);
void rt_ipc_writer_free(rt_ipc_writer *w);
/* Encode msg onto the queue (nothing is written yet). RATCHET_RETRY (queue unchanged) when it
 * would exceed max_queue: the peer is not reading; RATCHET_ERR / RATCHET_NOMEM as encode. */
ratchet_status rt_ipc_writer_queue(rt_ipc_writer *w, const rt_ipc_msg *msg, rt_error *err);
/* Write as much of the queue as fd takes without blocking. RATCHET_OK when the queue is empty,
 * RATCHET_RETRY when bytes remain (wait for POLLOUT), RATCHET_ERR when the write failed
 * ("the peer closed the pipe" for EPIPE); after an error the queue is not worth flushing. */
ratchet_status rt_ipc_writer_flush(rt_ipc_writer *w, int fd, rt_error *err);
/* Bytes queued and not yet written. */
size_t rt_ipc_writer_pending(const rt_ipc_writer *w);

/* Write all len bytes, retrying partial writes and EINTR; on a non-blocking fd, wait in
 * poll() for room. For a worker, which has nothing better to do than wait. */
ratchet_status rt_ipc_write_all(int fd, const char *data, size_t len, rt_error *err);
/* Encode msg and write the whole line with rt_ipc_write_all. */
ratchet_status rt_ipc_write_msg(int fd, const rt_ipc_msg *msg, rt_error *err);

#endif
