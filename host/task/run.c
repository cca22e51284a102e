/* host/task/run.c - one task execution in a child process with a deadline (see run.h). */
#include "run.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/core_layer.h"
#include "fetch.h"
#include "program.h"
#include "sandbox.h"
#include "schema_check.h"

#define RT_RUN_MAX_REPLY (64u * 1024 * 1024) /* what a child may send back */

static const char *const status_names[] = {
    "ok",        "input invalid", "compile error",  "runtime error", "output invalid",
    "timed out", "out of memory", "stack overflow", "crashed",       "could not run",
};

const char *rt_run_status_name(rt_run_status status)
{
    return (unsigned)status <= RT_RUN_HOST_ERROR ? status_names[status] : "?";
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void set_failure(rt_run_result *res, rt_run_status status, const char *fmt, ...)
    RATCHET_PRINTF(3, 4);
static void set_failure(rt_run_result *res, rt_run_status status, const char *fmt, ...)
{
    ratchet_buf b = RATCHET_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    rt_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    res->status = status;
    free(res->message);
    res->message = b.data ? b.data : strdup("(no message)");
}

/* ---- schema checks (parent) --------------------------------------------------------------- */

/* 0 when `value` matches `schema` (or there is no schema), else sets the failure. */
static int check_schema(struct json_object *schema, struct json_object *value, const char *file,
                        rt_run_status status, rt_run_result *res)
{
    ratchet_buf why = RATCHET_BUF_INIT;
    int bad = rt_schema_check(schema, value, file, &why);
    if (bad)
        set_failure(res, status, "%s", why.data ? why.data : file);
    rt_buf_free(&why);
    return bad ? -1 : 0;
}

/* How messages name a schema: its file, or "meta.yaml inputs" for one meta.yaml gives. */
static const char *schema_name(const rt_task *t, const char *from, const char *file, char *buf,
                               size_t cap)
{
    if (!from || strchr(from, '.'))
        return file;
    snprintf(buf, cap, "%s %s", t->meta_file ? t->meta_file : "meta.yaml", from);
    return buf;
}

/* -1 (failure set) when the input holds an integer JavaScript would round: refused rather
 * than silently changed (see json_num.h). */
static int unsafe_input(const char *text, rt_run_result *res)
{
    ratchet_buf why = RATCHET_BUF_INIT;
    int bad = text && rt_json_unsafe_int(text, strlen(text), &why);
    if (bad)
        set_failure(res, RT_RUN_INPUT_INVALID, "%s", why.data ? why.data : "");
    rt_buf_free(&why);
    return bad ? -1 : 0;
}

/* ---- the child ---------------------------------------------------------------------------- */

const char rt_console_cut_note[] = "[console output cut here: an execution keeps at most "
                                   "10000 lines and 4 MiB of console text]";

rt_console_verdict rt_console_admit(rt_console_budget *b, size_t len)
{
    if (b->cut)
        return RT_CONSOLE_DROP;
    if (b->lines >= RT_CONSOLE_MAX_LINES || len > RT_CONSOLE_MAX_BYTES - b->bytes) {
        b->cut = 1;
        return RT_CONSOLE_CUT;
    }
    b->lines++;
    b->bytes += len;
    return RT_CONSOLE_KEEP;
}

static void write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return;
        data += n;
        len -= (size_t)n;
    }
}

/* Where the child's console lines go: straight to the parent, one JSON line each. */
typedef struct child_console {
    int fd;
    rt_console_budget budget;
} child_console;

static void console_line(void *data, ratchet_log_level level, const char *text)
{
    child_console *c = data;
    rt_console_verdict v = rt_console_admit(&c->budget, strlen(text));
    if (v == RT_CONSOLE_DROP)
        return;
    if (v == RT_CONSOLE_CUT) {
        level = RATCHET_LOG_WARN;
        text = rt_console_cut_note;
    }
    struct json_object *line = json_object_new_object(), *entry = json_object_new_object();
    json_object_object_add(entry, "level",
                           json_object_new_string(level >= RATCHET_LOG_ERROR  ? "error"
                                                  : level >= RATCHET_LOG_WARN ? "warn"
                                                  : level >= RATCHET_LOG_INFO ? "info"
                                                                              : "debug"));
    json_object_object_add(entry, "message", json_object_new_string(text));
    json_object_object_add(line, "log", entry);
    size_t len;
    const char *json = json_object_to_json_string_length(line, JSON_C_TO_STRING_PLAIN, &len);
    /* Plain json-c text escapes newlines, so this is one line; the parent splits on '\n'. */
    write_all(c->fd, json, len);
    write_all(c->fd, "\n", 1);
    json_object_put(line);
}

static void add_str(struct json_object *o, const char *key, const char *value)
{
    if (value)
        json_object_object_add(o, key, json_object_new_string(value));
}

/* Run in the child: everything that touches the script. Returns the reply object. */
static struct json_object *child_execute(const rt_run_request *req, const rt_program *prog,
                                         child_console *console)
{
    const ratchet_executor_vtable *vt = req->executor->vtable[RT_KIND_EXECUTOR];
    struct json_object *reply = json_object_new_object();
    ratchet_ctx *ctx = rt_ctx_new("run", req->executor->desc->name);
    void *inst = NULL, *program = NULL;
    rt_error_clear();
    if (!ctx || vt->life.create(ctx, req->executor_cfg, &inst) != RATCHET_OK ||
        (vt->life.start && vt->life.start(inst) != RATCHET_OK)) {
        json_object_object_add(reply, "host_error",
                               json_object_new_string(*rt_error_peek()
                                                          ? rt_error_peek()
                                                          : "executor failed to start"));
        return reply;
    }
    ratchet_task_source src;
    rt_program_source(prog, req->task->name, &src);
    if (vt->compile(inst, &src, &program) != RATCHET_OK) {
        json_object_object_add(reply, "outcome", json_object_new_int(RATCHET_EXEC_COMPILE_ERROR));
        add_str(reply, "message", rt_error_peek());
        return reply;
    }
    if (req->compile_only) {
        json_object_object_add(reply, "outcome", json_object_new_int(RATCHET_EXEC_OK));
        vt->release(inst, program);
        return reply;
    }
    rt_fetcher *fetcher = rt_fetcher_new(NULL); /* defaults: 30 s, 10 redirects, 10 MiB */
    rt_error err;
    if (req->mock_http && rt_fetcher_set_mocks(fetcher, req->mock_http, &err) != RATCHET_OK) {
        json_object_object_add(reply, "host_error", json_object_new_string(err.msg));
        return reply;
    }
    if (req->replay_har && rt_fetcher_replay_har(fetcher, req->replay_har, &err) != RATCHET_OK) {
        json_object_object_add(reply, "host_error", json_object_new_string(err.msg));
        return reply;
    }
    if (!fetcher || rt_fetcher_redact_headers(fetcher, req->redact_headers, req->nredact_headers) !=
                        RATCHET_OK) {
        json_object_object_add(reply, "host_error", json_object_new_string("out of memory"));
        return reply;
    }
    rt_fetcher_record(fetcher, req->record_har != NULL);
    ratchet_exec_context ectx = {
        .abi = RATCHET_ABI_INIT(ratchet_exec_context),
        .task_id = req->task->uuid,
        .task_version = req->task->version,
        .fetch = rt_fetch_callback,
        .fetch_data = fetcher,
        .console = console_line,
        .console_data = console,
    };
    ratchet_exec_limits limits = {RATCHET_ABI_INIT(ratchet_exec_limits), req->timeout_ms,
                                  req->memory_bytes};
    ratchet_exec_result r;
    memset(&r, 0, sizeof r);
    r.abi = (ratchet_abi)RATCHET_ABI_INIT(ratchet_exec_result);
    if (vt->execute(inst, program, req->input_json, &ectx, &limits, &r) != RATCHET_OK) {
        json_object_object_add(reply, "host_error", json_object_new_string(rt_error_peek()));
    } else {
        json_object_object_add(reply, "outcome", json_object_new_int((int)r.outcome));
        add_str(reply, "output", r.output_json);
        add_str(reply, "error_name", r.error_name);
        add_str(reply, "message", r.error_message);
        add_str(reply, "stack", r.error_stack);
        json_object_object_add(reply, "error_status", json_object_new_int(r.error_status));
    }
    json_object_object_add(reply, "http", json_object_get(rt_fetcher_calls(fetcher)));
    if (req->record_har && rt_fetcher_write_har(fetcher, req->record_har, &err) != RATCHET_OK)
        json_object_object_add(reply, "host_error", json_object_new_string(err.msg));
    /* The process exits right after this; freeing is for the sanitizers' sake. */
    free(r.output_json);
    free(r.error_name);
    free(r.error_message);
    free(r.error_stack);
    rt_fetcher_free(fetcher);
    vt->release(inst, program);
    if (vt->life.stop)
        vt->life.stop(inst);
    vt->life.destroy(inst);
    rt_ctx_free(ctx);
    return reply;
}

static void child_main(const rt_run_request *req, const rt_program *prog, int fd)
{
    /* Fetches are live here unless mocked or replayed, and --record writes the HAR from
     * here, so those two freedoms stay exactly when they are needed. */
    rt_sandbox_limits limits;
    rt_sandbox_limits_default(&limits);
    if (req->memory_bytes > 0)
        limits.memory_bytes = req->memory_bytes * 2 + ((int64_t)256 << 20);
    if (req->timeout_ms > 0) /* stops a spinning orphan if the parent dies first */
        limits.cpu_seconds = req->timeout_ms / 1000 + 2;
    limits.no_network = req->mock_http != NULL || req->replay_har != NULL;
    limits.no_new_files = req->record_har == NULL;
    rt_error err;
    if (rt_sandbox_apply(&limits, &err) != RATCHET_OK) {
        fprintf(stderr, "ratchet: the task process cannot be sandboxed: %s\n", err.msg);
        _exit(3);
    }
    signal(SIGPIPE, SIG_IGN);
    child_console console = {fd, {0, 0, 0}};
    struct json_object *reply = child_execute(req, prog, &console);
    const char *text = json_object_to_json_string_ext(reply, JSON_C_TO_STRING_PLAIN);
    write_all(fd, text, strlen(text));
    write_all(fd, "\n", 1);
    json_object_put(reply);
    close(fd);
}

/* ---- the parent --------------------------------------------------------------------------- */

/* Read the child's reply until EOF or the deadline. Returns 1 on EOF, 0 on timeout. */
static int read_reply(int fd, double deadline_ms, ratchet_buf *out)
{
    char chunk[65536];
    for (;;) {
        int wait_ms = -1;
        if (deadline_ms > 0) {
            double left = deadline_ms - now_ms();
            if (left <= 0)
                return 0;
            wait_ms = (int)left + 1;
        }
        struct pollfd p = {fd, POLLIN, 0};
        int rc = poll(&p, 1, wait_ms);
        if (rc < 0 && errno == EINTR)
            continue;
        if (rc == 0)
            continue; /* re-check the deadline */
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return 1;
        if (out->len + (size_t)n > RT_RUN_MAX_REPLY)
            return 1; /* a runaway reply is cut; parsing it will fail and say so */
        rt_buf_append(out, chunk, (size_t)n);
    }
}

static char *dup_field(struct json_object *o, const char *key)
{
    struct json_object *v;
    return json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_string)
               ? strdup(json_object_get_string(v))
               : NULL;
}

/* Replace *dst with reply[key] (an array), or an empty array. */
static void take_array(struct json_object *reply, const char *key, struct json_object **dst)
{
    struct json_object *v;
    json_object_put(*dst);
    if (json_object_object_get_ex(reply, key, &v) && json_object_is_type(v, json_type_array))
        *dst = json_object_get(v);
    else
        *dst = json_object_new_array();
}

/* Split what the child wrote into its console lines (appended to res->logs, in order) and
 * its final reply (returned, a new reference; NULL when the child died before writing it). A
 * line cut short by a kill does not parse and is skipped. */
static struct json_object *split_reply(ratchet_buf *buf, rt_run_result *res)
{
    struct json_object *reply = NULL;
    char *p = buf->data, *end = buf->data + buf->len;
    while (p && p < end) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            break; /* an unfinished line: the child was stopped while writing it */
        *nl = '\0';
        struct json_object *o = json_tokener_parse(p), *entry;
        if (o && json_object_object_get_ex(o, "log", &entry) &&
            json_object_is_type(entry, json_type_object)) {
            json_object_array_add(res->logs, json_object_get(entry));
            json_object_put(o);
        } else if (o) {
            json_object_put(reply);
            reply = o;
        }
        p = nl + 1;
    }
    return reply;
}

static void interpret_reply(const rt_run_request *req, struct json_object *reply,
                            rt_run_result *res)
{
    take_array(reply, "http", &res->http);
    char *host_error = dup_field(reply, "host_error");
    struct json_object *v;
    if (host_error) {
        set_failure(res, RT_RUN_HOST_ERROR, "%s", host_error);
        free(host_error);
        return;
    }
    int outcome = json_object_object_get_ex(reply, "outcome", &v) ? json_object_get_int(v) : -1;
    res->error_name = dup_field(reply, "error_name");
    res->stack = dup_field(reply, "stack");
    res->error_status =
        json_object_object_get_ex(reply, "error_status", &v) ? json_object_get_int(v) : 0;
    char *message = dup_field(reply, "message");
    const char *m = message ? message : "(no message)";
    if (req->compile_only && outcome == RATCHET_EXEC_OK) {
        res->status = RT_RUN_OK;
        free(message);
        return;
    }
    switch (outcome) {
    case RATCHET_EXEC_OK: {
        char sname[64];
        char *out = dup_field(reply, "output");
        /* Integers beyond 64 bits (JSON.stringify(1e20)) keep their text: json-c would clamp. */
        res->output = out ? rt_json_parse_keep_big(out, strlen(out)) : NULL;
        if (!out || (!res->output && strcmp(out, "null") != 0))
            set_failure(res, RT_RUN_OUTPUT_INVALID,
                        "the executor returned output that is not JSON");
        else if (check_schema(req->task->output_schema, res->output,
                              schema_name(req->task, req->task->output_schema_from,
                                          "output.schema.json", sname, sizeof sname),
                              RT_RUN_OUTPUT_INVALID, res) == 0)
            res->status = RT_RUN_OK;
        free(out);
        break;
    }
    case RATCHET_EXEC_COMPILE_ERROR:
    case RATCHET_EXEC_NO_ENTRY:
        set_failure(res, RT_RUN_COMPILE_ERROR, "%s", m);
        break;
    case RATCHET_EXEC_RUNTIME_ERROR:
        set_failure(res, RT_RUN_RUNTIME_ERROR, "%s", m);
        break;
    case RATCHET_EXEC_OUTPUT_ERROR:
        set_failure(res, RT_RUN_OUTPUT_INVALID, "%s", m);
        break;
    case RATCHET_EXEC_MEMORY:
        set_failure(res, RT_RUN_MEMORY, "%s", m);
        break;
    case RATCHET_EXEC_TIMEOUT:
        set_failure(res, RT_RUN_TIMEOUT, "%s", m);
        break;
    case RATCHET_EXEC_STACK:
        set_failure(res, RT_RUN_STACK, "%s", m);
        break;
    default:
        set_failure(res, RT_RUN_HOST_ERROR, "the executor gave an unknown outcome %d", outcome);
    }
    free(message);
}

static void describe_death(int wstatus, const rt_run_request *req, rt_run_result *res)
{
    if (WIFSIGNALED(wstatus)) {
        int sig = WTERMSIG(wstatus);
        set_failure(res, RT_RUN_CRASHED, "the task process was killed by signal %d (%s)%s", sig,
                    strsignal(sig),
                    sig == SIGKILL && req->memory_bytes ? "; it may have exceeded its memory limit"
                                                        : "");
    } else {
        set_failure(res, RT_RUN_CRASHED, "the task process exited (status %d) without a result",
                    WEXITSTATUS(wstatus));
    }
}

/* Fork the child that runs `prog`, wait for its reply within the time limit, read it. */
static void run_child(const rt_run_request *req, const rt_program *prog, double start,
                      rt_run_result *res)
{
    int fds[2];
    if (pipe(fds) != 0) {
        set_failure(res, RT_RUN_HOST_ERROR, "cannot create a pipe: %s", strerror(errno));
        return;
    }
    fflush(NULL); /* nothing buffered may be written twice */
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        set_failure(res, RT_RUN_HOST_ERROR, "cannot start the task process: %s", strerror(errno));
        return;
    }
    if (pid == 0) {
        close(fds[0]);
        child_main(req, prog, fds[1]);
        _exit(0);
    }
    close(fds[1]);
    ratchet_buf reply = RATCHET_BUF_INIT;
    int finished =
        read_reply(fds[0], req->timeout_ms > 0 ? start + (double)req->timeout_ms : 0, &reply);
    close(fds[0]);
    if (!finished)
        kill(pid, SIGKILL);
    int wstatus = 0;
    while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR)
        ;
    res->duration_ms = now_ms() - start;
    struct json_object *obj = split_reply(&reply, res);
    if (!finished)
        set_failure(res, RT_RUN_TIMEOUT, "timed out after %g s", (double)req->timeout_ms / 1000.0);
    else if (!obj)
        describe_death(wstatus, req, res);
    else
        interpret_reply(req, obj, res);
    json_object_put(obj);
    rt_buf_free(&reply);
}

void rt_run_task(const rt_run_request *req, rt_run_result *res)
{
    memset(res, 0, sizeof *res);
    res->logs = json_object_new_array();
    res->http = json_object_new_array();
    double start = now_ms();
    char sname[64];

    enum json_tokener_error jerr;
    struct json_object *input =
        json_tokener_parse_verbose(req->input_json ? req->input_json : "null", &jerr);
    if (!input && jerr != json_tokener_success) {
        set_failure(res, RT_RUN_INPUT_INVALID, "the input is not valid JSON: %s",
                    json_tokener_error_desc(jerr));
        return;
    }
    int bad = req->compile_only ? 0 : unsafe_input(req->input_json, res);
    if (!bad && !req->compile_only)
        bad = check_schema(req->task->input_schema, input,
                           schema_name(req->task, req->task->input_schema_from, "input.schema.json",
                                       sname, sizeof sname),
                           RT_RUN_INPUT_INVALID, res);
    json_object_put(input);
    if (bad)
        return;
    /* The program compiled when the task was loaded; else compiled here, for this run. */
    rt_program *own = NULL;
    const rt_program *prog = req->task->program;
    if (!prog) {
        rt_error cerr;
        if (!(own = rt_program_compile_named(req->task->code, req->task->code_len,
                                             rt_task_code_name(req->task), &cerr))) {
            set_failure(res, RT_RUN_COMPILE_ERROR, "%s", cerr.msg);
            return;
        }
        prog = own;
    }
    run_child(req, prog, start, res);
    rt_program_free(own);
}

void rt_run_result_free(rt_run_result *res)
{
    json_object_put(res->output);
    json_object_put(res->logs);
    json_object_put(res->http);
    free(res->error_name);
    free(res->message);
    free(res->stack);
    memset(res, 0, sizeof *res);
}

char *rt_run_describe(const rt_run_result *res)
{
    ratchet_buf b = RATCHET_BUF_INIT;
    rt_buf_printf(&b, "%s: ", rt_run_status_name(res->status));
    if (res->error_name && res->message && !strstr(res->message, res->error_name))
        rt_buf_printf(&b, "%s: ", res->error_name);
    rt_buf_puts(&b, res->message ? res->message : "(no message)");
    if (res->error_status)
        rt_buf_printf(&b, " (status %d)", res->error_status);
    return b.data;
}
