/*
 * bench_executor.c - executions per second of the `addition` task through the executor-mujs
 * vtable, against bare MuJS doing the same work, both measured in this run.
 *
 *   executor: ratchet_executor_vtable.execute (fresh state per execution: globals, console,
 *             fetch, error constructors, capped allocator, JSON in and out, result strings)
 *   baseline: js_newstate + load the same script + JSON.parse(input) + call +
 *             JSON.stringify(result) + js_freestate, per iteration, with MuJS's own allocator
 *
 * The two loops alternate for several rounds and the best round of each counts, so a noisy
 * neighbour slows both rather than one. Every result is checked; a wrong one (or a failed
 * execution) makes the exit status 1. Speed never does: `--quick` is the smoke run in ctest.
 *
 * Usage: bench_executor [--quick] [--iterations N]
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <mujs.h>

#include "hostapi.h"
#include "options.h"
#include "rt_yaml.h"

#include <ratchet/plugin.h>

const ratchet_plugin_desc *ratchet_plugin_entry_executor_mujs(const ratchet_host_api *api);

static const char addition_js[] =
    "(function(input){ if (typeof input.num1 !== 'number' || typeof input.num2 !== 'number') "
    "throw new Error('num1 and num2 must be numbers'); return {sum: input.num1 + input.num2}; })";

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void make_case(int i, char *input, size_t inlen, char *expected, size_t exlen)
{
    snprintf(input, inlen, "{\"num1\":%d,\"num2\":%d}", i, 2 * i + 1);
    snprintf(expected, exlen, "{\"sum\":%d}", 3 * i + 1);
}

/* ---- the executor ------------------------------------------------------------------------- */

typedef struct bench_exec {
    const ratchet_executor_vtable *ex;
    ratchet_ctx *ctx;
    rt_node *map;
    ratchet_config *cfg;
    void *self;
    void *prog;
} bench_exec;

static int bench_exec_open(bench_exec *b)
{
    rt_error err = {{0}};
    const ratchet_plugin_desc *d = ratchet_plugin_entry_executor_mujs(rt_host_api());
    if (!d || !d->executor) {
        fprintf(stderr, "executor-mujs: no executor descriptor\n");
        return -1;
    }
    b->ex = d->executor;
    b->map = rt_yaml_parse("", 0, "bench.yaml", &err);
    b->cfg = b->map ? rt_options_validate(d->options, b->map, "options", NULL, &err) : NULL;
    b->ctx = rt_ctx_new("bench", "executor-mujs");
    if (!b->cfg || !b->ctx || b->ex->life.create(b->ctx, b->cfg, &b->self) != RATCHET_OK) {
        fprintf(stderr, "executor-mujs: cannot create an instance: %s %s\n", err.msg,
                rt_error_peek());
        return -1;
    }
    ratchet_task_source src = {.abi = RATCHET_ABI_INIT(ratchet_task_source),
                               .task_name = "addition",
                               .filename = "main.js",
                               .code = addition_js,
                               .code_len = sizeof addition_js - 1};
    if (b->ex->compile(b->self, &src, &b->prog) != RATCHET_OK) {
        fprintf(stderr, "executor-mujs: compile failed: %s\n", rt_error_peek());
        return -1;
    }
    return 0;
}

static void bench_exec_close(bench_exec *b)
{
    if (b->prog)
        b->ex->release(b->self, b->prog);
    if (b->self)
        b->ex->life.destroy(b->self);
    rt_config_free(b->cfg);
    rt_node_free(b->map);
    rt_ctx_free(b->ctx);
}

static void result_free(ratchet_exec_result *r)
{
    const ratchet_host_api *h = rt_host_api();
    h->free(r->output_json);
    h->free(r->error_name);
    h->free(r->error_message);
    h->free(r->error_stack);
}

/* One execution through the vtable; 0 when the output is `expected` (NULL: the addition's
 * error for bad input). */
static int bench_exec_once(bench_exec *b, const char *input, const char *expected)
{
    ratchet_exec_context ctx = {.abi = RATCHET_ABI_INIT(ratchet_exec_context),
                                .execution_id = "bench"};
    ratchet_exec_limits lim = {RATCHET_ABI_INIT(ratchet_exec_limits), 0, 0};
    ratchet_exec_result r = {.abi = RATCHET_ABI_INIT(ratchet_exec_result)};
    int bad;

    if (b->ex->execute(b->self, b->prog, input, &ctx, &lim, &r) != RATCHET_OK) {
        fprintf(stderr, "executor-mujs: execute failed: %s\n", rt_error_peek());
        return -1;
    }
    if (expected)
        bad = r.outcome != RATCHET_EXEC_OK || !r.output_json || strcmp(r.output_json, expected);
    else
        bad = r.outcome != RATCHET_EXEC_RUNTIME_ERROR || !r.error_message ||
              strcmp(r.error_message, "num1 and num2 must be numbers") != 0;
    if (bad)
        fprintf(stderr, "executor-mujs: input %s gave outcome %d, output %s, error %s\n", input,
                (int)r.outcome, r.output_json ? r.output_json : "(none)",
                r.error_message ? r.error_message : "(none)");
    result_free(&r);
    return bad ? -1 : 0;
}

static int bench_exec_round(bench_exec *b, int n, double *secs)
{
    char input[64], expected[32];
    double t0 = now_s();
    for (int i = 0; i < n; i++) {
        make_case(i, input, sizeof input, expected, sizeof expected);
        if (bench_exec_once(b, input, expected) != 0)
            return -1;
    }
    *secs = now_s() - t0;
    return 0;
}

/* ---- bare MuJS ---------------------------------------------------------------------------- */

/* Call the global JSON.<method> on the value on top of the stack, replacing it. */
static int bare_json(js_State *J, const char *method)
{
    js_getglobal(J, "JSON");
    js_getproperty(J, -1, method);
    js_rot2(J);
    js_pop(J, 1); /* value fn */
    js_rot2(J);   /* fn value */
    js_pushundefined(J);
    js_rot2(J); /* fn undefined value */
    return js_pcall(J, 1);
}

static int bare_once(const char *input, const char *expected)
{
    js_State *J = js_newstate(NULL, NULL, 0);
    int ok = 0;
    if (!J)
        return -1;
    if (js_ploadstring(J, "main.js", addition_js) == 0) {
        js_pushglobal(J);
        if (js_pcall(J, 0) == 0) { /* fn */
            js_pushundefined(J);
            js_pushstring(J, input);
            if (bare_json(J, "parse") == 0 && js_pcall(J, 1) == 0 && /* fn(undefined, input) */
                bare_json(J, "stringify") == 0)
                ok = js_isstring(J, -1) && strcmp(js_tostring(J, -1), expected) == 0;
        }
    }
    js_freestate(J);
    if (!ok)
        fprintf(stderr, "bare mujs: wrong result for %s\n", input);
    return ok ? 0 : -1;
}

static int bare_round(int n, double *secs)
{
    char input[64], expected[32];
    double t0 = now_s();
    for (int i = 0; i < n; i++) {
        make_case(i, input, sizeof input, expected, sizeof expected);
        if (bare_once(input, expected) != 0)
            return -1;
    }
    *secs = now_s() - t0;
    return 0;
}

int main(int argc, char **argv)
{
    int quick = 0, n = 20000, rounds = 5;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--quick") == 0) {
            quick = 1;
        } else if (strcmp(argv[i], "--iterations") == 0 && i + 1 < argc) {
            n = atoi(argv[++i]);
        } else {
            fprintf(stderr, "usage: %s [--quick] [--iterations N]\n", argv[0]);
            return 2;
        }
    }
    if (quick) {
        n = 500;
        rounds = 2;
    }
    if (n < 1)
        n = 1;

    /* A worker raises its stack limit before its sandbox closes, so that runs stay on the
     * main thread (mujs_stack.c); do the same, or each run here would pay for a thread. */
    struct rlimit rl;
    if (getrlimit(RLIMIT_STACK, &rl) == 0 && rl.rlim_cur != rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        if (setrlimit(RLIMIT_STACK, &rl) != 0)
            fprintf(stderr, "bench_executor: cannot raise the stack limit; runs use a thread\n");
    }

    bench_exec b;
    memset(&b, 0, sizeof b);
    int failed = bench_exec_open(&b) != 0;
    /* The error path is part of the task's contract too: check it once. */
    if (!failed)
        failed = bench_exec_once(&b, "{\"num1\":\"1\",\"num2\":2}", NULL) != 0;

    double best_exec = 1e30, best_bare = 1e30;
    for (int r = 0; r < rounds && !failed; r++) {
        double te = 0, tb = 0;
        if (bench_exec_round(&b, n, &te) != 0 || bare_round(n, &tb) != 0) {
            failed = 1;
            break;
        }
        best_exec = te < best_exec ? te : best_exec;
        best_bare = tb < best_bare ? tb : best_bare;
    }
    bench_exec_close(&b);
    if (failed) {
        fprintf(stderr, "bench_executor: FAILED (wrong result or execution error)\n");
        return 1;
    }

    double exec_rate = n / best_exec, bare_rate = n / best_bare;
    double overhead = (best_exec - best_bare) / best_bare * 100.0;
    printf("addition task, %d executions x %d rounds (best round)%s\n", n, rounds,
           quick ? " [quick: figures are rough]" : "");
    printf("executor-mujs: %.0f exec/s (%.1f us each); bare mujs: %.0f exec/s (%.1f us each); "
           "overhead: %.1f %%\n",
           exec_rate, 1e6 * best_exec / n, bare_rate, 1e6 * best_bare / n, overhead);
    return 0;
}
