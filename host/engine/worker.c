/*
 * host/engine/worker.c - the body of `ratchet worker`: a child of `ratchet serve` that runs one
 * task at a time.
 *
 * It speaks the line protocol of ipc.h on stdin/stdout: `ready` once, then for each `execute`
 * one `result`; a task's fetch() becomes a `fetch` request answered by the coordinator
 * (`fetch_result`), since the worker has no network. Console lines go out as `log` messages
 * while the task runs (the coordinator keeps them should it have to kill us). Compiled
 * programs are cached per task version. Logs go to stderr (inherited), never to stdout, which
 * belongs to the protocol.
 */
#include <json-c/json.h>
#include <malloc.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/core_layer.h"
#include "ipc.h"
#include "task/task_layer.h"
#include "worker.h"

#define WORKER_CACHE   64
#define WORKER_TRIM_MS 500

typedef struct cached_program {
    char *key;  /* name@version */
    char *code; /* with modules and map: to notice a changed task under the same version */
    char *modules;
    char *map;
    void *program;
} cached_program;

typedef struct worker {
    rt_ipc_reader in;
    const ratchet_executor_vtable *vt;
    void *inst;
    cached_program cache[WORKER_CACHE];
    size_t ncache, next_evict;
    int64_t executed, fetch_seq, started_ms;
    int64_t trimmed_at; /* `executed` when the heap was last trimmed */
    /* executes sent ahead and read while a job waited for a fetch result: they run next, in
     * order (the coordinator sends at most RT_IPC_AHEAD ahead) */
    rt_ipc_msg ahead[RT_IPC_AHEAD];
    size_t nahead;
    int shutdown;
    /* the running execution: its `execute` id and job, and its console lines so far */
    int64_t exec_id, job_id;
    rt_console_budget console;
} worker;

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void send_msg(const rt_ipc_msg *m)
{
    rt_error err;
    if (rt_ipc_write_msg(STDOUT_FILENO, m, &err) != RATCHET_OK) {
        fprintf(stderr, "ratchet worker: cannot write to the coordinator: %s\n", err.msg);
        _exit(1); /* the coordinator is gone; nothing to report to */
    }
}

/* Wait for the coordinator's next message; once the worker has been idle for WORKER_TRIM_MS
 * after running something, give the heap pages its executions freed back to the system, so an
 * idle worker is as small as a fresh one (between jobs of a busy queue this costs nothing: the
 * next message is already there). */
static void idle_wait(worker *w)
{
    struct pollfd in = {STDIN_FILENO, POLLIN, 0};
    if (w->executed == w->trimmed_at)
        return;
    if (poll(&in, 1, WORKER_TRIM_MS) == 0) {
        malloc_trim(0);
        w->trimmed_at = w->executed;
    }
}

/* Read the next message. 0 on success, -1 at EOF or on a broken stream. */
static int next_msg(worker *w, rt_ipc_msg *m)
{
    rt_error err;
    for (;;) {
        const char *line;
        size_t len;
        rt_ipc_io io = rt_ipc_next_line(&w->in, &line, &len, &err);
        if (io == RT_IPC_IO_OK) {
            memset(m, 0, sizeof *m);
            if (rt_ipc_decode(line, len, m, &err) == RATCHET_OK)
                return 0;
            rt_ipc_msg reply;
            rt_ipc_error_reply(&reply, m, err.msg);
            send_msg(&reply);
            continue;
        }
        if (io != RT_IPC_IO_AGAIN)
            return -1;
        idle_wait(w);
        if (rt_ipc_read_ready(&w->in, STDIN_FILENO, &err) == RT_IPC_IO_ERR)
            return -1;
    }
}

/* Resident set size from /proc/self/statm (pages), for the coordinator's health view. */
static int64_t resident_kb(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    long pages = 0, resident = 0;
    if (f) {
        if (fscanf(f, "%ld %ld", &pages, &resident) != 2)
            resident = 0;
        fclose(f);
    }
    return (int64_t)resident * (sysconf(_SC_PAGESIZE) / 1024);
}

static void answer_ping(worker *w, const rt_ipc_msg *ping)
{
    rt_ipc_msg pong;
    memset(&pong, 0, sizeof pong);
    pong.type = RT_IPC_PONG;
    pong.id = ping->id;
    pong.pong.executed = w->executed;
    pong.pong.uptime_ms = mono_ms() - w->started_ms;
    pong.pong.rss_kb = resident_kb();
    send_msg(&pong);
}

/* ratchet_exec_context.fetch: ask the coordinator and wait for its answer. */
static ratchet_status worker_fetch(void *data, ratchet_fetch_call *call)
{
    worker *w = data;
    rt_ipc_msg req;
    memset(&req, 0, sizeof req);
    req.type = RT_IPC_FETCH;
    req.id = ++w->fetch_seq;
    req.fetch.url = call->url;
    if (call->options_json)
        req.fetch.options = (rt_ipc_json){NULL, call->options_json, strlen(call->options_json)};
    if (call->body_json)
        req.fetch.body = (rt_ipc_json){NULL, call->body_json, strlen(call->body_json)};
    send_msg(&req);
    for (;;) {
        rt_ipc_msg m;
        if (next_msg(w, &m) != 0)
            _exit(0); /* the coordinator closed the pipe: it is stopping us */
        if (m.type == RT_IPC_PING) {
            answer_ping(w, &m);
        } else if (m.type == RT_IPC_SHUTDOWN) {
            w->shutdown = 1;
        } else if (m.type == RT_IPC_EXECUTE && w->nahead < RT_IPC_AHEAD) {
            w->ahead[w->nahead++] = m; /* a job sent ahead: it runs after this one */
            memset(&m, 0, sizeof m);
        } else if (m.type == RT_IPC_FETCH_RESULT && m.id == req.id) {
            const rt_ipc_fetch_result *r = &m.fetch_result;
            if (r->is_error) {
                call->error_name = strdup(r->error.name ? r->error.name : "NetworkError");
                call->error_message = strdup(r->error.message ? r->error.message : "fetch failed");
                call->error_status = (int)r->error.status;
            } else {
                call->response_json =
                    strdup(json_object_to_json_string_ext(r->response.obj, JSON_C_TO_STRING_PLAIN));
            }
            rt_ipc_msg_free(&m);
            return RATCHET_OK;
        } else {
            rt_ipc_msg reply;
            rt_ipc_error_reply(&reply, &m, "unexpected message while waiting for a fetch result");
            send_msg(&reply);
        }
        rt_ipc_msg_free(&m);
    }
}

/* ratchet_exec_context.console: one `log` message per line, sent right away. */
static void worker_console(void *data, ratchet_log_level level, const char *text)
{
    worker *w = data;
    rt_console_verdict v = rt_console_admit(&w->console, strlen(text));
    if (v == RT_CONSOLE_DROP)
        return;
    if (v == RT_CONSOLE_CUT) {
        level = RATCHET_LOG_WARN;
        text = rt_console_cut_note;
    }
    struct json_object *logs = json_object_new_array(), *e = json_object_new_object();
    json_object_object_add(e, "level", json_object_new_string(rt_log_level_name(level)));
    json_object_object_add(e, "message", json_object_new_string(text));
    json_object_array_add(logs, e);
    rt_ipc_msg m;
    memset(&m, 0, sizeof m);
    m.type = RT_IPC_LOG;
    m.id = w->exec_id;
    m.log.job_id = w->job_id;
    m.log.logs.obj = logs;
    send_msg(&m);
    json_object_put(logs);
}

/* Whether a cached program was made from the same parts (a task changed under its version
 * name, or a new compiler, gives other parts). */
static int same_parts(const cached_program *c, const rt_ipc_task_ref *t)
{
    return strcmp(c->code, t->code) == 0 && strcmp(c->modules, t->modules ? t->modules : "") == 0 &&
           strcmp(c->map, t->map ? t->map : "") == 0;
}

static void cache_drop(worker *w, cached_program *c)
{
    w->vt->release(w->inst, c->program);
    free(c->key);
    free(c->code);
    free(c->modules);
    free(c->map);
    memset(c, 0, sizeof *c);
}

/* The executor's program for a task version: the coordinator sent it compiled (ES5, runtime
 * modules, line map); the executor prepares it on first use. NULL with *why set (malloc'd)
 * when it cannot. */
static void *program_for(worker *w, const rt_ipc_task_ref *t, char **why)
{
    ratchet_buf key = RATCHET_BUF_INIT;
    rt_buf_printf(&key, "%s@%s", t->name, t->version);
    for (size_t i = 0; i < w->ncache; i++)
        if (strcmp(w->cache[i].key, key.data) == 0 && same_parts(&w->cache[i], t)) {
            rt_buf_free(&key);
            return w->cache[i].program;
        }
    rt_error err;
    rt_program *parts = rt_program_from_parts(t->code, t->modules, t->map, &err);
    void *program = NULL;
    rt_error_clear();
    if (parts && t->file && !(parts->filename = strdup(t->file))) {
        rt_program_free(parts);
        parts = NULL;
        snprintf(err.msg, sizeof err.msg, "out of memory");
    }
    if (!parts) {
        *why = strdup(err.msg);
    } else {
        ratchet_task_source src;
        rt_program_source(parts, t->name, &src);
        if (w->vt->compile(w->inst, &src, &program) != RATCHET_OK) {
            program = NULL;
            *why = strdup(*rt_error_peek() ? rt_error_peek() : "main.js does not compile");
        }
    }
    rt_program_free(parts);
    if (!program) {
        rt_buf_free(&key);
        return NULL;
    }
    size_t slot = w->ncache < WORKER_CACHE ? w->ncache++ : w->next_evict++ % WORKER_CACHE;
    if (w->cache[slot].key)
        cache_drop(w, &w->cache[slot]);
    w->cache[slot] =
        (cached_program){key.data, strdup(t->code), strdup(t->modules ? t->modules : ""),
                         strdup(t->map ? t->map : ""), program};
    return program;
}

static void run_execute(worker *w, const rt_ipc_msg *m)
{
    const rt_ipc_execute *ex = &m->execute;
    rt_ipc_msg res;
    memset(&res, 0, sizeof res);
    res.type = RT_IPC_RESULT;
    res.id = m->id;
    res.result.job_id = ex->job_id;
    w->exec_id = m->id;
    w->job_id = ex->job_id;
    rt_log_ctx_set_trace(ex->trace_id, ex->span_id); /* what it logs carries the job's trace */
    /* What the worker and its executor log while this job runs carries the job. */
    rt_log_ctx_set_job(ex->job_id, strtoll(ex->execution_id ? ex->execution_id : "0", NULL, 10),
                       ex->task.name);
    memset(&w->console, 0, sizeof w->console);
    int64_t t0 = mono_ms();
    ratchet_exec_result r;
    memset(&r, 0, sizeof r);
    r.abi = (ratchet_abi)RATCHET_ABI_INIT(ratchet_exec_result);
    char *compile_error = NULL;
    void *program = ex->task.code ? program_for(w, &ex->task, &compile_error) : NULL;
    if (!ex->task.code) {
        r.outcome = RATCHET_EXEC_COMPILE_ERROR;
        compile_error = strdup("the execute message carries no task code");
    } else if (!program) {
        r.outcome = RATCHET_EXEC_COMPILE_ERROR;
    } else {
        ratchet_exec_context ctx = {
            .abi = RATCHET_ABI_INIT(ratchet_exec_context),
            .execution_id = ex->execution_id,
            .task_id = ex->task.uuid,
            .task_version = ex->task.version,
            .fetch = worker_fetch,
            .fetch_data = w,
            .console = worker_console,
            .console_data = w,
        };
        char job[32];
        snprintf(job, sizeof job, "%lld", (long long)ex->job_id);
        ctx.job_id = job;
        ratchet_exec_limits limits = {RATCHET_ABI_INIT(ratchet_exec_limits), ex->timeout_ms,
                                      ex->memory_bytes};
        const char *input = json_object_to_json_string_ext(ex->input.obj, JSON_C_TO_STRING_PLAIN);
        rt_error_clear();
        if (w->vt->execute(w->inst, program, input, &ctx, &limits, &r) != RATCHET_OK) {
            r.outcome = RATCHET_EXEC_RUNTIME_ERROR;
            compile_error = strdup(*rt_error_peek() ? rt_error_peek() : "the executor failed");
        }
    }
    res.result.outcome = r.outcome;
    if (r.outcome == RATCHET_EXEC_OK)
        res.result.output = (rt_ipc_json){NULL, r.output_json, strlen(r.output_json)};
    res.result.error.name = r.error_name;
    res.result.error.message = compile_error                  ? compile_error
                               : r.error_message              ? r.error_message
                               : r.outcome != RATCHET_EXEC_OK ? "the task failed"
                                                              : NULL;
    res.result.error.stack = r.error_stack;
    res.result.error.status = r.error_status;
    res.result.duration_ms = (double)(mono_ms() - t0);
    send_msg(&res);
    rt_log_ctx_set_trace(NULL, NULL);
    rt_log_ctx_clear();
    w->executed++;
    free(compile_error);
    free(r.output_json);
    free(r.error_name);
    free(r.error_message);
    free(r.error_stack);
}

static int worker_loop(worker *w)
{
    while (!w->shutdown) { /* a job sent ahead is not started after `shutdown`: requeued */
        rt_ipc_msg m;
        if (w->nahead > 0) {
            m = w->ahead[0];
            memmove(w->ahead, w->ahead + 1, --w->nahead * sizeof *w->ahead);
        } else if (next_msg(w, &m) != 0) {
            break; /* EOF: the coordinator is done with us */
        }
        switch (m.type) {
        case RT_IPC_EXECUTE:
            run_execute(w, &m);
            break;
        case RT_IPC_PING:
            answer_ping(w, &m);
            break;
        case RT_IPC_SHUTDOWN:
            w->shutdown = 1;
            break;
        default: {
            rt_ipc_msg reply;
            rt_ipc_error_reply(&reply, &m, "a worker does not accept this message");
            send_msg(&reply);
        }
        }
        rt_ipc_msg_free(&m);
    }
    return RT_EXIT_OK;
}

int rt_worker_main(rt_app *app, int argc, char **argv)
{
    const char *id = argc >= 2 ? argv[1] : "worker";
    rt_task_flags flags;
    memset(&flags, 0, sizeof flags);
    rt_run_request req;
    int rc = rt_task_prepare(app, "worker", &flags, &req);
    if (rc != RT_EXIT_OK)
        return rc;
    worker w;
    memset(&w, 0, sizeof w);
    w.vt = req.executor->vtable[RT_KIND_EXECUTOR];
    w.started_ms = mono_ms();
    ratchet_ctx *ctx = rt_ctx_new(id, req.executor->desc->name);
    rt_error_clear();
    if (!ctx || w.vt->life.create(ctx, req.executor_cfg, &w.inst) != RATCHET_OK ||
        (w.vt->life.start && w.vt->life.start(w.inst) != RATCHET_OK)) {
        rt_ctx_free(ctx);
        return rt_cli_fail("worker %s: the executor did not start: %s", id, rt_error_peek());
    }
    /* Everything the worker needs is loaded: from here on it cannot open sockets, run
     * programs or create files. */
    rt_sandbox_limits limits;
    rt_sandbox_limits_default(&limits);
    rt_error err;
    if (rt_sandbox_apply(&limits, &err) != RATCHET_OK) {
        /* Part of it may be in force already; running tasks half-sandboxed is not an option. */
        rt_cli_fail("worker %s: cannot apply the sandbox: %s", id, err.msg);
        _exit(RT_EXIT_FAIL);
    }
    rt_ipc_reader_init(&w.in, RT_IPC_MAX_LINE_DEFAULT);
    rt_ipc_msg ready;
    memset(&ready, 0, sizeof ready);
    ready.type = RT_IPC_READY;
    ready.ready.worker_id = id;
    ready.ready.pid = (int64_t)getpid();
    send_msg(&ready);
    rc = worker_loop(&w);
    for (size_t i = 0; i < w.nahead; i++)
        rt_ipc_msg_free(&w.ahead[i]);
    for (size_t i = 0; i < w.ncache; i++)
        cache_drop(&w, &w.cache[i]);
    if (w.vt->life.stop)
        w.vt->life.stop(w.inst);
    w.vt->life.destroy(w.inst);
    rt_ctx_free(ctx);
    rt_ipc_reader_free(&w.in);
    return rc;
}
