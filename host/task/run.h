/*
 * host/task/run.h - run one task execution in a child process, so that a time limit holds even for
 * `for(;;){}` and a crashing or memory-hungry script cannot harm the caller.
 *
 * The parent validates the input against the task's input schema, forks, and waits on a pipe
 * with a deadline; the child creates an executor instance, compiles and executes the task
 * (fetch performed by host code in the child: live, mocked, or replayed from a HAR), and
 * writes one JSON result back. Console lines travel to the parent as the task prints them
 * (one JSON line each, before the result), so that the lines printed before a timeout, a kill
 * or a crash are kept with the failed run. At the deadline the parent kills the child
 * (SIGKILL) and reports a timeout. The output is validated against the output schema in the
 * parent.
 */
#ifndef RT_RUN_H
#define RT_RUN_H

#include <json-c/json.h>

#include "core/core_layer.h"
#include "task.h"

/* Why a run did not produce a valid output (RT_RUN_OK when it did). */
typedef enum rt_run_status {
    RT_RUN_OK = 0,
    RT_RUN_INPUT_INVALID,  /* input does not match input.schema.json */
    RT_RUN_COMPILE_ERROR,  /* main.js does not compile or exposes nothing to call */
    RT_RUN_RUNTIME_ERROR,  /* the script threw */
    RT_RUN_OUTPUT_INVALID, /* not JSON, or does not match output.schema.json */
    RT_RUN_TIMEOUT,
    RT_RUN_MEMORY,
    RT_RUN_STACK,
    RT_RUN_CRASHED,   /* the child died without a result (signal, rlimit) */
    RT_RUN_HOST_ERROR /* could not run at all (fork, executor missing, ...) */
} rt_run_status;

typedef struct rt_run_request {
    const rt_task *task;
    const rt_plugin *executor; /* plugin offering the executor kind */
    const ratchet_config *executor_cfg;
    const char *input_json;        /* one JSON value */
    int64_t timeout_ms;            /* 0: none */
    int64_t memory_bytes;          /* 0: the executor's default */
    struct json_object *mock_http; /* mocks for fetch (borrowed), or NULL */
    const char *replay_har;        /* answer fetches from this HAR, or NULL */
    const char *record_har;        /* write the HTTP exchanges to this HAR path, or NULL */
    const char *const *redact_headers; /* more headers to record as [redacted] (borrowed) */
    size_t nredact_headers;
    int compile_only;              /* only compile (and check there is something to call) */
} rt_run_request;

typedef struct rt_run_result {
    rt_run_status status;
    struct json_object *output; /* RT_RUN_OK (and OUTPUT_INVALID when it parsed): owned */
    char *error_name;           /* e.g. "TypeError"; NULL when not a thrown error */
    char *message;              /* one line for the user */
    char *stack;                /* JS stack when known */
    int error_status;           /* HttpError status */
    struct json_object *logs;   /* array of {level, message} from console.*; owned */
    struct json_object *http;   /* array of calls {method, url, status, duration_ms}; owned */
    double duration_ms;
} rt_run_result;

/*
 * The console lines kept per execution, here and in `ratchet serve`: at most
 * RT_CONSOLE_MAX_LINES lines and RT_CONSOLE_MAX_BYTES bytes of text (a line itself is cut by
 * the executor at 64 KiB). Past either bound one line rt_console_cut_note (level warn) is kept
 * and the rest is dropped, so a task logging in a loop cannot fill the database or the pipe.
 */
#define RT_CONSOLE_MAX_LINES 10000
#define RT_CONSOLE_MAX_BYTES ((size_t)4 * 1024 * 1024)
extern const char rt_console_cut_note[];

typedef struct rt_console_budget {
    size_t lines, bytes;
    int cut; /* the note was issued */
} rt_console_budget;

typedef enum rt_console_verdict {
    RT_CONSOLE_KEEP = 0, /* keep the line */
    RT_CONSOLE_CUT,      /* the first line past a bound: keep rt_console_cut_note instead */
    RT_CONSOLE_DROP      /* past a bound: drop it */
} rt_console_verdict;

/* Account one line of `len` bytes against a zero-initialised budget. */
rt_console_verdict rt_console_admit(rt_console_budget *b, size_t len);

/* Run as described above. Always fills `res` (status and a message on failure). */
void rt_run_task(const rt_run_request *req, rt_run_result *res);
void rt_run_result_free(rt_run_result *res);

/* "input invalid", "compile error", "runtime error", ... for messages. */
const char *rt_run_status_name(rt_run_status status);

/* One line describing a failed result: "<kind>: <message>", with the JS error name when
 * there is one. Caller frees. */
char *rt_run_describe(const rt_run_result *res);

#endif
