/*
 * ratchet/executor.h - the executor kind (since ABI 1.1): runs one task's code.
 *
 * An executor compiles a task's source into a program, then executes the program any number
 * of times, each time with a fresh, isolated language state: an input (JSON text) goes in,
 * an output (JSON text) or a typed error comes out. The executor has no network and no
 * filesystem of its own: `fetch` and console output go through callbacks in the execution
 * context, which the host implements (libcurl, mocks, HAR recording, log capture).
 *
 * Limits: the host enforces the time limit by running executions in a process it can kill
 * (an interpreter cannot always be interrupted from inside); an executor that can stop a
 * script itself should also honour `limits.timeout_ms` and report RATCHET_EXEC_TIMEOUT. The
 * memory limit is the executor's to enforce (allocator cap); the host adds setrlimit().
 *
 * Threading: the host never calls compile/execute/release on one instance concurrently. A
 * program is used only with the instance that compiled it.
 *
 * Memory: every string an executor puts into a ratchet_exec_result is allocated with
 * host->alloc/strdup and freed by the host with host->free. Strings in a ratchet_fetch_call's
 * "out" fields are allocated by the host and freed by the executor with host->free.
 */
#ifndef RATCHET_EXECUTOR_H
#define RATCHET_EXECUTOR_H

#include "lifecycle.h"

/* The code of one task, borrowed for the duration of compile(). */
typedef struct ratchet_task_source {
    ratchet_abi abi;
    const char *task_name; /* for messages */
    const char *filename;  /* shown in stack traces, e.g. "main.js" */
    const char *code;      /* UTF-8 source text */
    size_t code_len;
    /* Since ABI 1.3 (read only when abi.struct_size covers them). When the host compiled the
     * task's source (ES2015+ to ES5), `code` is the compiled program and: */
    const char *runtime; /* code to run before `code` in every execution: the built-ins and
                            helpers the program needs (NULL or empty: none) */
    size_t runtime_len;
    /* Positions in the author's source, for messages and stack traces: entry i (0-based) is
     * generated line i+1; line_map[2*i] is the original line and line_map[2*i+1] the original
     * column (both 1-based; 0 = no position). NULL when `code` is the author's own text. */
    const uint32_t *line_map;
    size_t line_map_lines;
} ratchet_task_source;

/* One fetch(url, options, body) call made by a script, and its answer. */
typedef struct ratchet_fetch_call {
    ratchet_abi abi;
    /* in: borrowed for the duration of the callback */
    const char *url;
    const char *options_json; /* the second argument as JSON ({method, headers}), or NULL */
    const char *body_json;    /* the third argument as JSON, or NULL when absent */
    /* out: set by the host (host->alloc); the executor frees them with host->free */
    char *response_json; /* when the call returns: {ok, status, statusText, headers, body} */
    char *error_name;    /* when the call throws: the constructor, e.g. "HttpError" */
    char *error_message;
    int error_status; /* for HttpError: the HTTP status; else 0 */
} ratchet_fetch_call;

/* Everything an execution may know and call. Borrowed for the duration of execute(). */
typedef struct ratchet_exec_context {
    ratchet_abi abi;
    /* Identifiers passed to main(input, context); NULL becomes null. */
    const char *execution_id;
    const char *task_id;
    const char *task_version;
    const char *job_id;
    /* Perform a fetch. Always fills either response_json or error_name/error_message and
     * returns RATCHET_OK; RATCHET_ERR only when the host itself failed (out of memory). May
     * block for as long as the host's HTTP timeout. Called on the executing thread. */
    ratchet_status (*fetch)(void *data, ratchet_fetch_call *call);
    void *fetch_data;
    /* Record one console line of the task (console.log -> INFO, .debug -> DEBUG, .warn ->
     * WARN, .error -> ERROR). `text` is borrowed. Called on the executing thread. */
    void (*console)(void *data, ratchet_log_level level, const char *text);
    void *console_data;
} ratchet_exec_context;

/* Limits for one execution; 0 means "no limit of this kind". */
typedef struct ratchet_exec_limits {
    ratchet_abi abi;
    int64_t timeout_ms;
    int64_t memory_bytes;
} ratchet_exec_limits;

/* How an execution ended. */
typedef enum ratchet_exec_outcome {
    RATCHET_EXEC_OK = 0,        /* output_json is set */
    RATCHET_EXEC_COMPILE_ERROR, /* the source does not compile (error_message has where) */
    RATCHET_EXEC_NO_ENTRY,      /* neither main() nor a callable completion value */
    RATCHET_EXEC_RUNTIME_ERROR, /* the script threw: error_name, error_message, error_stack */
    RATCHET_EXEC_OUTPUT_ERROR,  /* the result is undefined or does not serialise to JSON */
    RATCHET_EXEC_MEMORY,        /* the memory limit was hit */
    RATCHET_EXEC_TIMEOUT,       /* the time limit was hit */
    RATCHET_EXEC_STACK          /* the interpreter's call-depth limit was hit */
} ratchet_exec_outcome;

/* The result of one execution, filled by execute(); zeroed by the host beforehand. */
typedef struct ratchet_exec_result {
    ratchet_abi abi;
    ratchet_exec_outcome outcome;
    char *output_json;   /* RATCHET_EXEC_OK: the output as JSON text */
    char *error_name;    /* e.g. "TypeError", "ValidationError"; NULL when not a thrown error */
    char *error_message; /* plain words for the user */
    char *error_stack;   /* stack trace when the language gives one, else NULL */
    int error_status;    /* HttpError's status, else 0 */
} ratchet_exec_result;

typedef struct ratchet_executor_vtable {
    ratchet_abi abi;
    ratchet_lifecycle life;

    /* The language this executor runs, e.g. "javascript". Static. */
    const char *language;

    /* Check and prepare `src` (copy what you keep: src is borrowed). On success store an
     * opaque program in *program. On a syntax error, or when the code exposes nothing to call,
     * return RATCHET_ERR after host->set_error(ctx, "main.js:3: SyntaxError: ...") with the
     * position in plain words. Required. */
    ratchet_status (*compile)(void *instance, const ratchet_task_source *src, void **program);

    /* Run `program` once with `input_json` (one JSON value, UTF-8) in a fresh state. Fill
     * `result` and return RATCHET_OK whether the task succeeded or failed; return RATCHET_ERR
     * (with set_error) only when the executor itself could not work (e.g. cannot allocate a
     * state). Required. */
    ratchet_status (*execute)(void *instance, void *program, const char *input_json,
                              const ratchet_exec_context *ctx, const ratchet_exec_limits *limits,
                              ratchet_exec_result *result);

    /* Free a program from compile(). Required. */
    void (*release)(void *instance, void *program);
} ratchet_executor_vtable;

#endif /* RATCHET_EXECUTOR_H */
