/*
 * executor-mujs - runs JavaScript tasks with MuJS (ES5).
 *
 * compile() copies the source, parses it in a throwaway state and runs its top level there
 * once, to refuse a file that has nothing to call before any job uses it. Top-level code
 * therefore runs once at compile time too, with console output dropped and fetch throwing
 * NetworkError ("fetch is not available here"); a top level that throws is accepted and
 * judged when it runs for real. execute() builds a fresh state per call (see mujs_run.c).
 *
 * Limits: memory through the allocator cap (limits->memory_bytes, else the `memory_limit`
 * option). Time is not enforced here: MuJS cannot be interrupted from inside, so the host
 * runs executions in a process it can kill (limits->timeout_ms is ignored).
 *
 * Threading: instances share nothing and MuJS has no global state, so different instances
 * may run on different threads at once; the host never overlaps calls on one instance.
 */
#include <string.h>

#include "mujs_exec.h"

const ratchet_host_api *mujs_host;

/* Bounds of memory_limit: below 1 MiB MuJS cannot parse much more than its built-ins; the
 * top keeps sizes within what the allocator hook (an int per request) and size_t handle. */
#define MUJS_LIMIT_MIN (INT64_C(1) << 20)
#define MUJS_LIMIT_MAX (INT64_C(1) << 40)

typedef struct mujs_instance {
    ratchet_ctx *ctx;
    int64_t memory_limit; /* bytes, used when the host's limits give none */
    int flags;            /* js_newstate flags: JS_STRICT */
    mujs_arena arena;     /* small blocks of every run (runs never overlap on an instance) */
} mujs_instance;

static ratchet_status mujs_create(ratchet_ctx *ctx, const ratchet_config *cfg, void **out)
{
    mujs_instance *in = mujs_host->calloc(1, sizeof *in);
    if (!in) {
        mujs_host->set_error(ctx, "out of memory");
        return RATCHET_NOMEM;
    }
    in->ctx = ctx;
    in->memory_limit = mujs_host->cfg_int(cfg, "memory_limit");
    in->flags = mujs_host->cfg_bool(cfg, "strict") ? JS_STRICT : 0;
    *out = in;
    return RATCHET_OK;
}

static void mujs_destroy(void *instance)
{
    mujs_instance *in = instance;
    mujs_arena_destroy(&in->arena);
    mujs_host->free(in);
}

static void mujs_program_free(mujs_program *p)
{
    if (!p)
        return;
    mujs_host->free(p->code);
    mujs_host->free(p->filename);
    mujs_host->free(p->task_name);
    mujs_host->free(p->runtime);
    mujs_host->free(p->line_map);
    jsx_lazy_free(p->lazy);
    mujs_host->free(p);
}

/* Bound on the line map, as on any external size: far beyond any task (a million lines). */
#define MUJS_MAP_MAX (1u << 20)

/* Copy the compiled task's runtime and line map (ABI 1.3 fields) into p. */
static ratchet_status mujs_compile_extras(mujs_instance *in, const ratchet_task_source *src,
                                          mujs_program *p)
{
    if (!RATCHET_HAS_FIELD(src, ratchet_task_source, line_map_lines))
        return RATCHET_OK;
    if (src->runtime && src->runtime_len > 0) {
        if (memchr(src->runtime, '\0', src->runtime_len)) {
            mujs_host->set_error(in->ctx, "the compiled runtime contains a NUL byte");
            return RATCHET_ERR;
        }
        p->runtime = mujs_host->alloc(src->runtime_len + 1);
        if (!p->runtime)
            goto nomem;
        memcpy(p->runtime, src->runtime, src->runtime_len);
        p->runtime[src->runtime_len] = '\0';
        if (jsx_lazy_parse(p->runtime, &p->lazy) != 0)
            goto nomem;
    }
    if (src->line_map && src->line_map_lines > 0) {
        if (src->line_map_lines > MUJS_MAP_MAX) {
            mujs_host->set_error(in->ctx, "the line map has %zu lines (at most %u)",
                                 src->line_map_lines, MUJS_MAP_MAX);
            return RATCHET_ERR;
        }
        size_t bytes = src->line_map_lines * 2 * sizeof *p->line_map;
        p->line_map = mujs_host->alloc(bytes);
        if (!p->line_map)
            goto nomem;
        memcpy(p->line_map, src->line_map, bytes);
        p->line_map_lines = src->line_map_lines;
    }
    return RATCHET_OK;
nomem:
    mujs_host->set_error(in->ctx, "out of memory");
    return RATCHET_NOMEM;
}

static ratchet_status mujs_compile(void *instance, const ratchet_task_source *src, void **program)
{
    mujs_instance *in = instance;
    const char *filename = src->filename && *src->filename ? src->filename : "main.js";

    *program = NULL;
    if (!src->code) {
        mujs_host->set_error(in->ctx, "%s: no source code", filename);
        return RATCHET_ERR;
    }
    /* MuJS reads C strings: a NUL inside would silently cut the program short. */
    if (memchr(src->code, '\0', src->code_len)) {
        mujs_host->set_error(in->ctx, "%s contains a NUL byte; JavaScript source must be text",
                             filename);
        return RATCHET_ERR;
    }
    mujs_program *p = mujs_host->calloc(1, sizeof *p);
    if (p)
        p->code = mujs_host->alloc(src->code_len + 1);
    if (p && p->code) {
        memcpy(p->code, src->code, src->code_len);
        p->code[src->code_len] = '\0';
        p->filename = mujs_host->strdup(filename);
        p->task_name = src->task_name ? mujs_host->strdup(src->task_name) : NULL;
    }
    if (!p || !p->code || !p->filename || (src->task_name && !p->task_name)) {
        mujs_program_free(p);
        mujs_host->set_error(in->ctx, "out of memory");
        return RATCHET_NOMEM;
    }
    ratchet_status est = mujs_compile_extras(in, src, p);
    if (est != RATCHET_OK) {
        mujs_program_free(p);
        return est;
    }

    jsx_run run;
    memset(&run, 0, sizeof run);
    run.prog = p;
    run.rctx = in->ctx;
    run.memory_limit = (size_t)in->memory_limit;
    run.mem.arena = &in->arena;
    ratchet_status st = mujs_run_check(&run, in->flags);
    if (st != RATCHET_OK) {
        char *mapped = jsx_map_positions(p, run.why);
        mujs_host->set_error(in->ctx, "%s", mapped ? mapped : run.why);
        mujs_host->free(mapped);
        mujs_program_free(p);
        return st;
    }
    *program = p;
    return RATCHET_OK;
}

static ratchet_status mujs_execute(void *instance, void *program, const char *input_json,
                                   const ratchet_exec_context *ctx,
                                   const ratchet_exec_limits *limits, ratchet_exec_result *result)
{
    mujs_instance *in = instance;
    int64_t limit = limits && limits->memory_bytes > 0 ? limits->memory_bytes : in->memory_limit;

    jsx_run run;
    memset(&run, 0, sizeof run);
    run.prog = program;
    run.rctx = in->ctx;
    run.exec = ctx;
    run.input_json = input_json;
    run.result = result;
    run.memory_limit = limit < MUJS_LIMIT_MAX ? (size_t)limit : (size_t)MUJS_LIMIT_MAX;
    run.mem.arena = &in->arena;

    ratchet_status st = mujs_run_execute(&run, in->flags);
    /* Helps an operator size memory_limit from real tasks. */
    if (mujs_host->log_enabled(RATCHET_LOG_DEBUG))
        mujs_host->log(in->ctx, RATCHET_LOG_DEBUG,
                       "%s: peak JavaScript heap %zu KiB (limit %zu KiB)",
                       run.prog->task_name ? run.prog->task_name : run.prog->filename,
                       run.mem.peak / 1024, run.memory_limit / 1024);
    if (st != RATCHET_OK) {
        /* The host frees result strings only from a run that reports its outcome. */
        mujs_result_clear(result);
        mujs_host->set_error(in->ctx, "%s", run.why);
    }
    return st;
}

static void mujs_release(void *instance, void *program)
{
    (void)instance;
    mujs_program_free(program);
}

static const ratchet_option mujs_options[] = {
    RATCHET_OPT_RANGE("memory_limit", RATCHET_OPT_SIZE, "64MiB", MUJS_LIMIT_MIN, MUJS_LIMIT_MAX,
                      "memory one execution may use (when the task sets no limit)"),
    RATCHET_OPT("strict", RATCHET_OPT_BOOL, "false",
                "run every task in ES5 strict mode (as if it began with \"use strict\")"),
    RATCHET_OPT_END,
};

static const ratchet_executor_vtable mujs_executor = {
    .abi = RATCHET_ABI_INIT(ratchet_executor_vtable),
    .life =
        {
            .create = mujs_create,
            .destroy = mujs_destroy,
        },
    .language = "javascript",
    .compile = mujs_compile,
    .execute = mujs_execute,
    .release = mujs_release,
};

static const ratchet_plugin_desc mujs_desc = {
    .abi = RATCHET_ABI_INIT(ratchet_plugin_desc),
    .name = "executor-mujs",
    .version = "1.0.0",
    .description = "runs JavaScript tasks (compiled to ES5 by the host) with the MuJS interpreter; " MUJS_LIB_SUMMARY,
    .license = NULL,
    .options = mujs_options,
    .executor = &mujs_executor,
};

RATCHET_PLUGIN_ENTRY(executor_mujs)
{
    /* This build needs ABI 1.1 (the executor kind); an older host cannot use it. */
    if (api->abi.abi_major != RATCHET_ABI_MAJOR || api->abi.abi_minor < 1)
        return NULL;
    mujs_host = api;
    return &mujs_desc;
}
