/*
 * bench_compiler.c - what the task compiler (issue 14) costs, each figure next to a baseline
 * measured in the same run, printed as one table:
 *
 *   1. compile time of ES2020 sources of about 1, 10 and 50 KB (rt_program_compile), against
 *      MuJS's own parse+compile (js_ploadstring) of the ES5 that comes out, and the whole
 *      load (compile + parse) against MuJS parsing a plain ES5 source of the same size. The
 *      sources are corpus programs (tests/js/corpus/TOPIC/NAME.js, topics taken in turn, files
 *      in name order: deterministic), each wrapped as `var main_N = (function () {...;
 *      return main; }());` so that their top-level names cannot clash.
 *   2. cold `ratchet run-once` of a realistic task written in ES2015+ (destructured input,
 *      template literals, arrows, a class, array methods) against the same task written by
 *      hand in ES5: whole processes, A and B in turn, median wall time and the median of the
 *      pairwise ratios.
 *   3. one execution through the executor-mujs vtable of a compiled task that uses no
 *      built-ins, and of one that uses many (async/await, Promise.all, Map, Set, includes,
 *      Object.entries, padStart...), against the same tasks written in ES5: time and peak heap.
 *   4. a CPU-bound loop (for...of, let, arrows, destructuring) against its ES5 form, executed
 *      the same way.
 *
 * Heap: the executor creates its states with js_newstate and its own counting allocator. The
 * link wraps js_newstate (-Wl,--wrap=js_newstate, see CMakeLists.txt) and, while a heap
 * measurement is on, slips a counting layer in front of whatever allocator the caller gave;
 * so the figure depends only on MuJS's public API, not on the executor's internals.
 *
 * Timing: in-process figures alternate the measured jobs round after round (the order turns
 * each round), each job's figure is the median over rounds and a ratio is the median of the
 * per-round ratios, so that a noisy neighbour slows both sides of a comparison. Every result
 * is checked; a wrong one makes the exit status 1. Speed never does: `--quick` is the smoke
 * run in ctest.
 *
 * The tasks of 2 to 4 are the .js files of tests/bench/tasks (--tasks DIR); the corpus walk
 * of 1 is in bench_compiler_corpus.c.
 *
 * Usage: bench_compiler [--quick] [--rounds N] [--runs N] [--ratchet BIN] [--corpus DIR]
 *                       [--tasks DIR]
 */
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <mujs.h>

#include "bench_compiler.h"
#include "hostapi.h"
#include "options.h"
#include "rt_yaml.h"
#include "task/program.h"

#include <ratchet/plugin.h>

extern char **environ;

const ratchet_plugin_desc *ratchet_plugin_entry_executor_mujs(const ratchet_host_api *api);

#define MAX_ROUNDS 64
#define MAX_RUNS   401

/* ---- the tasks: tests/bench/tasks/NAME.js, read at start (--tasks DIR) ---------------- */

/* 2 and 3: an order summary as written today (no ES2015 built-ins) and by hand in ES5;
 * 3: a task that uses many ES2015+ built-ins, and its ES5 form with plain objects and arrays
 * instead of Map and Set; 4: a CPU-bound loop with for...of, let, arrows and destructuring,
 * and its ES5 form. Each is malloc'd by tasks_load and lives until the process exits. */
static char *task_order_es6, *task_order_es5, *task_words_es6, *task_words_es5, *task_loop_es6,
    *task_loop_es5;

static int tasks_load(const char *dir)
{
    static const struct {
        char **text;
        const char *file;
    } files[] = {{&task_order_es6, "order-es2015.js"}, {&task_order_es5, "order-es5.js"},
                 {&task_words_es6, "words-es2015.js"}, {&task_words_es5, "words-es5.js"},
                 {&task_loop_es6, "loop-es2015.js"},   {&task_loop_es5, "loop-es5.js"}};
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, files[i].file);
        if (!(*files[i].text = bench_read_file(path))) {
            fprintf(stderr, "bench_compiler: cannot read %s (give --tasks DIR)\n", path);
            return -1;
        }
    }
    return 0;
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(const double *v, int n)
{
    double s[MAX_RUNS];
    if (n < 1)
        return 0;
    memcpy(s, v, (size_t)n * sizeof *s);
    qsort(s, (size_t)n, sizeof *s, cmp_double);
    return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/* ---- timing jobs ------------------------------------------------------------------------- */

typedef int (*job_fn)(void *arg); /* one operation; nonzero = wrong result */

typedef struct job {
    job_fn fn;
    void *arg;
    int n;                /* operations per round */
    double t[MAX_ROUNDS]; /* seconds per operation, each round */
} job;

/* Operations per round so that a round lasts about `round_s` (one timed try first). */
static int job_calibrate(job *j, double round_s, int max_n)
{
    double t0 = now_s();
    if (j->fn(j->arg) != 0)
        return -1;
    double one = now_s() - t0;
    double n = one > 0 ? round_s / one : max_n;
    j->n = n < 1 ? 1 : n > max_n ? max_n : (int)n;
    return 0;
}

/* `rounds` rounds of every job, the order turning each round. */
static int jobs_run(job *jobs, int k, int rounds)
{
    for (int r = 0; r < rounds; r++) {
        for (int o = 0; o < k; o++) {
            job *j = &jobs[(r + o) % k];
            double t0 = now_s();
            for (int i = 0; i < j->n; i++)
                if (j->fn(j->arg) != 0)
                    return -1;
            j->t[r] = (now_s() - t0) / j->n;
        }
    }
    return 0;
}

static double job_median(const job *j, int rounds)
{
    return median(j->t, rounds);
}

static double jobs_ratio(const job *a, const job *b, int rounds)
{
    double v[MAX_ROUNDS];
    for (int r = 0; r < rounds; r++)
        v[r] = b->t[r] > 0 ? a->t[r] / b->t[r] : 0;
    return median(v, rounds);
}

/* ---- the table --------------------------------------------------------------------------- */

typedef struct bench_opts {
    int quick, rounds, runs;
    const char *ratchet, *corpus, *tasks;
} bench_opts;

static void table_head(void)
{
    printf("%-44s %12s %12s %8s %11s  %s\n", "metric", "ES2015+", "baseline", "ratio", "target",
           "verdict");
}

/* verdict: 1 met, 0 not met, -1 no target. */
static void table_row(const char *metric, const char *a, const char *b, double ratio,
                      const char *target, int verdict)
{
    printf("%-44s %12s %12s %7.2fx %11s  %s\n", metric, a, b, ratio, target,
           verdict > 0    ? "met"
           : verdict == 0 ? "NOT MET"
                          : "-");
}

static void fmt_ms(char *out, size_t len, double secs)
{
    snprintf(out, len, "%.3f ms", secs * 1e3);
}

static void fmt_us(char *out, size_t len, double secs)
{
    snprintf(out, len, "%.1f us", secs * 1e6);
}

static void print_load(const char *when)
{
    char buf[128] = "";
    FILE *f = fopen("/proc/loadavg", "r");
    if (f) {
        if (!fgets(buf, sizeof buf, f))
            buf[0] = 0;
        fclose(f);
    }
    buf[strcspn(buf, "\n")] = 0;
    printf("load average %s: %s\n", when, buf[0] ? buf : "(unknown)");
}

/* ---- 1. compile time ------------------------------------------------------------------- */

/* Lines printed under the table. */
static text notes;

void bench_note(const char *fmt, ...)
{
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (n > 0)
        (void)bench_text_add(&notes, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
}

typedef struct parse_arg {
    js_State *J;
    const char *code;
} parse_arg;

static int job_parse(void *arg)
{
    parse_arg *p = arg;
    if (js_ploadstring(p->J, "main.js", p->code) != 0) {
        fprintf(stderr, "mujs: %s\n", js_trystring(p->J, -1, "?"));
        js_pop(p->J, 1);
        return -1;
    }
    js_pop(p->J, 1);
    return 0;
}

typedef struct compile_arg {
    const char *src;
    size_t len;
} compile_arg;

static int job_compile(void *arg)
{
    compile_arg *c = arg;
    rt_error err = {{0}};
    rt_program *p = rt_program_compile(c->src, c->len, &err);
    if (!p) {
        fprintf(stderr, "compile: %s\n", err.msg);
        return -1;
    }
    rt_program_free(p);
    return 0;
}

/* One size: jsc on the ES2020 source, MuJS on its output, MuJS on an ES5 source of the same
 * size, jsc on that ES5 source (what a plain-ES5 task pays). */
static int bench_compile_size(const bench_opts *o, const corpus *modern, const corpus *es5,
                              size_t target, int with_es5)
{
    size_t len = 0, len5 = 0;
    char *src = bench_corpus_source(modern, target, &len),
         *src5 = bench_corpus_source(es5, target, &len5);
    rt_error err = {{0}};
    rt_program *p = src ? rt_program_compile(src, len, &err) : NULL;
    js_State *J = __real_js_newstate(NULL, NULL, 0);
    int rc = -1;
    if (!p || !src5 || !J) {
        fprintf(stderr, "bench_compiler: compiling the %zu-byte corpus source: %s\n", len, err.msg);
        goto out;
    }
    compile_arg ca = {src, len}, ca5 = {src5, len5};
    parse_arg pa = {J, p->code}, pa5 = {J, src5};
    job jobs[4] = {{job_compile, &ca, 1, {0}},
                   {job_parse, &pa, 1, {0}},
                   {job_parse, &pa5, 1, {0}},
                   {job_compile, &ca5, 1, {0}}};
    int k = with_es5 ? 4 : 3, rounds = o->quick ? 1 : o->rounds;
    for (int i = 0; i < k && !o->quick; i++)
        if (job_calibrate(&jobs[i], 0.05, 1000) != 0)
            goto out;
    if (jobs_run(jobs, k, rounds) != 0)
        goto out;

    double kb = (double)len / 1024.0, jsc = job_median(&jobs[0], rounds);
    double out_parse = job_median(&jobs[1], rounds), es5_parse = job_median(&jobs[2], rounds);
    char metric[96], a[32], b[32];
    snprintf(metric, sizeof metric, "compile %.1f KB ES2020 (%.3f ms/KB)", kb, jsc * 1e3 / kb);
    fmt_ms(a, sizeof a, jsc);
    fmt_ms(b, sizeof b, out_parse);
    bench_note("  %.1f KB ES2020 source -> %zu bytes of ES5 + %zu bytes of runtime (%s)\n", kb,
               p->code_len, p->runtime_len, p->modules[0] ? p->modules : "no modules");
    int ten = target == 10 * 1024;
    table_row(metric, a, b, jsc / out_parse, ten ? "<= 5 ms" : "-", ten ? jsc <= 0.005 : -1);
    if (with_es5) {
        double load[MAX_ROUNDS];
        for (int r = 0; r < rounds; r++)
            load[r] = (jobs[0].t[r] + jobs[1].t[r]) / jobs[2].t[r];
        snprintf(metric, sizeof metric, "  load %.1f KB: compile+parse vs ES5 parse", kb);
        fmt_ms(a, sizeof a, jsc + out_parse);
        fmt_ms(b, sizeof b, es5_parse);
        table_row(metric, a, b, median(load, rounds), "-", -1);
        snprintf(metric, sizeof metric, "  plain ES5 %.1f KB: compile vs parse",
                 (double)len5 / 1024);
        fmt_ms(a, sizeof a, job_median(&jobs[3], rounds));
        table_row(metric, a, b, jobs_ratio(&jobs[3], &jobs[2], rounds), "-", -1);
    }
    rc = 0;
out:
    if (J)
        js_freestate(J);
    rt_program_free(p);
    free(src);
    free(src5);
    return rc;
}

static int bench_compile(const bench_opts *o)
{
    corpus modern, es5;
    int rc = -1;
    if (bench_corpus_load(&modern, o->corpus, 0) != 0 ||
        bench_corpus_load(&es5, o->corpus, 1) != 0) {
        fprintf(stderr, "bench_compiler: no corpus in %s (give --corpus DIR)\n", o->corpus);
        return -1;
    }
    /* The hand-written ES5 tasks of this file join the (small) ES5 corpus. */
    const char *extra[] = {task_order_es5, task_words_es5, task_loop_es5};
    for (int i = 0; i < 3; i++) {
        es5.files = realloc(es5.files, (size_t)(es5.nfiles + 1) * sizeof *es5.files);
        es5.topic_of = realloc(es5.topic_of, (size_t)(es5.nfiles + 1) * sizeof *es5.topic_of);
        if (!es5.files || !es5.topic_of)
            return -1;
        es5.files[es5.nfiles] = strdup(extra[i]);
        es5.topic_of[es5.nfiles++] = 0;
    }
    if (bench_compile_size(o, &modern, &es5, 1024, 0) == 0 &&
        bench_compile_size(o, &modern, &es5, 10 * 1024, 1) == 0 &&
        bench_compile_size(o, &modern, &es5, 50 * 1024, 0) == 0)
        rc = 0;
    bench_corpus_free(&modern);
    bench_corpus_free(&es5);
    return rc;
}

/* ---- 3 and 4: executions through executor-mujs ------------------------------------------ */

static const char order_input[] =
    "{\"customer\":{\"name\":\"Ada\",\"tier\":\"gold\"},\"items\":[{\"sku\":\"A1\",\"qty\":3,"
    "\"price\":4.5},{\"sku\":\"B2\",\"price\":12},{\"sku\":\"C3\",\"qty\":2,\"price\":1.25}],"
    "\"discount\":0.1}";
static const char order_output[] =
    "{\"big\":[\"A1\",\"B2\"],\"customer\":\"Ada (gold)\",\"first\":\"A1\",\"lines\":["
    "\"3 x A1 @ 4.50\",\"1 x B2 @ 12.00\",\"2 x C3 @ 1.25\"],\"others\":2,\"subtotal\":28,"
    "\"total\":23.8}";
static const char words_input[] =
    "{\"text\":\"The quick brown fox jumps over the lazy dog; the dog sleeps, the fox trots off "
    "to the tavern. Then the fox returns.\",\"stop\":[\"a\",\"to\"]}";
static const char words_output[] =
    "{\"keys\":[\"unique=14\",\"words=22\"],\"long\":\"returns\",\"starts\":9,\"top\":["
    "\"the...006\",\"fox...003\",\"dog...002\"]}";
static const char loop_input[] = "{\"n\":3000,\"rounds\":10}";
static const char loop_output[] = "{\"acc\":8020800,\"best\":1248,\"sum\":136680}";
static const char loop_input_quick[] = "{\"n\":300,\"rounds\":2}";
static const char loop_output_quick[] = "{\"acc\":43835,\"best\":460,\"sum\":13480}";

typedef struct executor {
    const ratchet_executor_vtable *ex;
    ratchet_ctx *ctx;
    rt_node *map;
    ratchet_config *cfg;
    void *self;
} executor;

static int executor_open(executor *e)
{
    rt_error err = {{0}};
    const ratchet_plugin_desc *d = ratchet_plugin_entry_executor_mujs(rt_host_api());
    memset(e, 0, sizeof *e);
    if (!d || !d->executor)
        return -1;
    e->ex = d->executor;
    e->map = rt_yaml_parse("", 0, "bench.yaml", &err);
    e->cfg = e->map ? rt_options_validate(d->options, e->map, "options", NULL, &err) : NULL;
    e->ctx = rt_ctx_new("bench", "executor-mujs");
    if (!e->cfg || !e->ctx || e->ex->life.create(e->ctx, e->cfg, &e->self) != RATCHET_OK) {
        fprintf(stderr, "executor-mujs: cannot create an instance: %s %s\n", err.msg,
                rt_error_peek());
        return -1;
    }
    return 0;
}

static void executor_close(executor *e)
{
    if (e->self)
        e->ex->life.destroy(e->self);
    rt_config_free(e->cfg);
    rt_node_free(e->map);
    rt_ctx_free(e->ctx);
}

/* A task as the host runs it: compiled by the task compiler, then by the executor. */
typedef struct task {
    executor *e;
    const char *name, *input, *expected;
    rt_program *prog;
    void *xprog;
} task;

static int task_open(task *t, executor *e, const char *name, const char *src, const char *input,
                     const char *expected)
{
    rt_error err = {{0}};
    ratchet_task_source s;
    memset(t, 0, sizeof *t);
    t->e = e;
    t->name = name;
    t->input = input;
    t->expected = expected;
    t->prog = rt_program_compile(src, strlen(src), &err);
    if (!t->prog) {
        fprintf(stderr, "%s: %s\n", name, err.msg);
        return -1;
    }
    rt_program_source(t->prog, name, &s);
    if (e->ex->compile(e->self, &s, &t->xprog) != RATCHET_OK) {
        fprintf(stderr, "%s: executor compile: %s\n", name, rt_error_peek());
        return -1;
    }
    return 0;
}

static void task_close(task *t)
{
    if (t->xprog)
        t->e->ex->release(t->e->self, t->xprog);
    rt_program_free(t->prog);
}

static int job_execute(void *arg)
{
    task *t = arg;
    const ratchet_host_api *h = rt_host_api();
    ratchet_exec_context ctx = {.abi = RATCHET_ABI_INIT(ratchet_exec_context),
                                .execution_id = "bench"};
    ratchet_exec_limits lim = {RATCHET_ABI_INIT(ratchet_exec_limits), 0, 0};
    ratchet_exec_result r = {.abi = RATCHET_ABI_INIT(ratchet_exec_result)};
    int bad;
    if (t->e->ex->execute(t->e->self, t->xprog, t->input, &ctx, &lim, &r) != RATCHET_OK) {
        fprintf(stderr, "%s: execute failed: %s\n", t->name, rt_error_peek());
        return -1;
    }
    bad = r.outcome != RATCHET_EXEC_OK || !r.output_json || strcmp(r.output_json, t->expected);
    if (bad)
        fprintf(stderr, "%s: outcome %d, output %s, error %s: %s\nexpected %s\n", t->name,
                (int)r.outcome, r.output_json ? r.output_json : "(none)",
                r.error_name ? r.error_name : "-", r.error_message ? r.error_message : "-",
                t->expected);
    h->free(r.output_json);
    h->free(r.error_name);
    h->free(r.error_message);
    h->free(r.error_stack);
    return bad ? -1 : 0;
}

/* Peak and total bytes MuJS asked for during one execution (after a warm-up execution). */
static int task_heap(task *t, heap_count *out)
{
    if (job_execute(t) != 0)
        return -1;
    bench_heap_start();
    int rc = job_execute(t);
    bench_heap_stop(out);
    return rc;
}

static void fmt_kb(char *out, size_t len, size_t bytes)
{
    snprintf(out, len, "%.1f KB", (double)bytes / 1024.0);
}

/* Time rows, then heap rows, of task a against task b. `us_target`: the allowed extra time
 * in microseconds (< 0: none), `kb_target` the allowed extra peak heap (< 0: none),
 * `ratio_target` the allowed time ratio (< 0: none). */
static int bench_exec_pair(const bench_opts *o, const char *what, task *a, task *b,
                           double us_target, double kb_target, double ratio_target)
{
    job jobs[2] = {{job_execute, a, 1, {0}}, {job_execute, b, 1, {0}}};
    int rounds = o->quick ? 2 : o->rounds;
    heap_count ha, hb;
    char metric[96], fa[32], fb[32], target[32];
    for (int i = 0; i < 2; i++)
        if (job_calibrate(&jobs[i], o->quick ? 0.005 : 0.1, 100000) != 0)
            return -1;
    if (jobs_run(jobs, 2, rounds) != 0 || task_heap(a, &ha) != 0 || task_heap(b, &hb) != 0)
        return -1;
    double ta = job_median(&jobs[0], rounds), tb = job_median(&jobs[1], rounds);
    double ratio = jobs_ratio(&jobs[0], &jobs[1], rounds);
    int verdict = -1;
    snprintf(metric, sizeof metric, "%s: time", what);
    if (ta >= 1e-3) {
        fmt_ms(fa, sizeof fa, ta);
        fmt_ms(fb, sizeof fb, tb);
    } else {
        fmt_us(fa, sizeof fa, ta);
        fmt_us(fb, sizeof fb, tb);
    }
    snprintf(target, sizeof target, "-");
    if (us_target >= 0) {
        snprintf(target, sizeof target, "<= +%.0f us", us_target);
        verdict = (ta - tb) * 1e6 <= us_target;
    } else if (ratio_target >= 0) {
        snprintf(target, sizeof target, "<= %.1fx", ratio_target);
        verdict = ratio <= ratio_target;
    }
    table_row(metric, fa, fb, ratio, target, verdict);

    snprintf(metric, sizeof metric, "%s: peak heap", what);
    fmt_kb(fa, sizeof fa, ha.peak);
    fmt_kb(fb, sizeof fb, hb.peak);
    snprintf(target, sizeof target, kb_target >= 0 ? "<= +%.0f KB" : "-", kb_target);
    verdict = kb_target >= 0 ? (double)ha.peak - (double)hb.peak <= kb_target * 1024 : -1;
    table_row(metric, fa, fb, hb.peak ? (double)ha.peak / (double)hb.peak : 0, target, verdict);
    snprintf(metric, sizeof metric, "%s: allocated", what);
    fmt_kb(fa, sizeof fa, ha.total);
    fmt_kb(fb, sizeof fb, hb.total);
    table_row(metric, fa, fb, hb.total ? (double)ha.total / (double)hb.total : 0, "-", -1);
    return bench_heap_missed() ? -1 : 0;
}

static int bench_exec(const bench_opts *o, executor *e)
{
    const char *loop_in = o->quick ? loop_input_quick : loop_input;
    const char *loop_out = o->quick ? loop_output_quick : loop_output;
    const struct {
        const char *name, *src, *input, *expected;
    } spec[6] = {{"order-es2015", task_order_es6, order_input, order_output},
                 {"order-es5", task_order_es5, order_input, order_output},
                 {"words-es2015", task_words_es6, words_input, words_output},
                 {"words-es5", task_words_es5, words_input, words_output},
                 {"loop-es2015", task_loop_es6, loop_in, loop_out},
                 {"loop-es5", task_loop_es5, loop_in, loop_out}};
    task t[6];
    int rc = -1, i;
    memset(t, 0, sizeof t);
    for (i = 0; i < 6; i++)
        if (task_open(&t[i], e, spec[i].name, spec[i].src, spec[i].input, spec[i].expected))
            break;
    if (i == 6 && bench_exec_pair(o, "exec, no built-ins (order)", &t[0], &t[1], 30, 32, -1) == 0 &&
        bench_exec_pair(o, "exec, many built-ins (words)", &t[2], &t[3], -1, -1, -1) == 0 &&
        bench_exec_pair(o, "CPU loop (for-of, let, =>, destr.)", &t[4], &t[5], -1, -1, 1.3) == 0)
        rc = 0;
    for (i = 0; i < 6 && rc == 0; i++)
        bench_note("  %-12s %5zu bytes of ES5, runtime %6zu bytes: %s\n", t[i].name,
                   t[i].prog->code_len, t[i].prog->runtime_len,
                   t[i].prog->modules[0] ? t[i].prog->modules : "(no modules)");
    for (i = 0; i < 6; i++)
        if (t[i].e)
            task_close(&t[i]);
    return rc;
}

/* ---- 2. cold run-once -------------------------------------------------------------------- */

static int write_file(const char *dir, const char *name, const char *body)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    size_t n = strlen(body);
    int rc = fwrite(body, 1, n, f) == n ? 0 : -1;
    return fclose(f) == 0 ? rc : -1;
}

/* <tmp>/<name>/{main.js,metadata.json}. */
static int task_dir(const char *tmp, const char *name, const char *src, char *dir, size_t len)
{
    char meta[512];
    snprintf(dir, len, "%s/%s", tmp, name);
    snprintf(meta, sizeof meta,
             "{\"uuid\": \"00000000-0000-4000-8000-0000000000%02d\", \"name\": \"%s\", "
             "\"version\": \"1.0.0\", \"description\": \"bench_compiler\"}\n",
             (int)strlen(name), name);
    if (mkdir(dir, 0700) != 0 || write_file(dir, "main.js", src) != 0 ||
        write_file(dir, "metadata.json", meta) != 0) {
        fprintf(stderr, "bench_compiler: cannot write %s\n", dir);
        return -1;
    }
    return 0;
}

/* One `ratchet run-once`; its stdout goes to `out`. Wall and CPU seconds (user + sys of the
 * whole process tree it waited for). Nonzero when it could not run or failed. */
static int run_once(const char *bin, const char *dir, const char *input, const char *out,
                    double *wall, double *cpu)
{
    char *argv[] = {(char *)bin,    "run-once",    "--from-fs", (char *)dir,
                    "--input-file", (char *)input, NULL};
    posix_spawn_file_actions_t fa;
    struct rusage r0, r1;
    pid_t pid;
    int status = 0, rc;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    char errpath[1200];
    snprintf(errpath, sizeof errpath, "%s.err", out);
    posix_spawn_file_actions_addopen(&fa, 2, errpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    getrusage(RUSAGE_CHILDREN, &r0);
    double t0 = now_s();
    rc = posix_spawn(&pid, bin, &fa, NULL, argv, environ);
    if (rc == 0 && waitpid(pid, &status, 0) != pid)
        rc = -1;
    *wall = now_s() - t0;
    getrusage(RUSAGE_CHILDREN, &r1);
    posix_spawn_file_actions_destroy(&fa);
    *cpu = (double)(r1.ru_utime.tv_sec - r0.ru_utime.tv_sec + r1.ru_stime.tv_sec -
                    r0.ru_stime.tv_sec) +
           (double)(r1.ru_utime.tv_usec - r0.ru_utime.tv_usec + r1.ru_stime.tv_usec -
                    r0.ru_stime.tv_usec) *
               1e-6;
    if (rc != 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        char *why = bench_read_file(errpath);
        fprintf(stderr, "bench_compiler: %s run-once --from-fs %s failed (status %d): %s\n", bin,
                dir, status, why ? why : "");
        free(why);
        return -1;
    }
    return 0;
}

/* The output of a run must be the order summary (pretty-printed JSON). */
static int run_output_ok(const char *path, const char *first)
{
    char *a = bench_read_file(path);
    int ok = a && strstr(a, "\"total\": 23.8") && strstr(a, "\"others\": 2") &&
             (!first || strcmp(a, first) == 0);
    if (!ok)
        fprintf(stderr, "bench_compiler: wrong run-once output: %s\n", a ? a : "(none)");
    free(a);
    return ok ? 0 : -1;
}

static int bench_run_once_pairs(const bench_opts *o, const char *tmp, const char *dir6,
                                const char *dir5)
{
    char input[1100], out6[1100], out5[1100];
    double w6[MAX_RUNS], w5[MAX_RUNS], c6[MAX_RUNS], c5[MAX_RUNS], rw[MAX_RUNS], rc_[MAX_RUNS];
    int runs = o->quick ? 3 : o->runs;
    snprintf(input, sizeof input, "%s/input.json", tmp);
    snprintf(out6, sizeof out6, "%s/out6.json", tmp);
    snprintf(out5, sizeof out5, "%s/out5.json", tmp);
    if (write_file(tmp, "input.json", order_input) != 0)
        return -1;
    /* A warm-up run of each (page cache, the plugin's first load), not counted. */
    if (run_once(o->ratchet, dir6, input, out6, &w6[0], &c6[0]) != 0 ||
        run_once(o->ratchet, dir5, input, out5, &w5[0], &c5[0]) != 0)
        return -1;
    char *first = bench_read_file(out5);
    int rc = first ? 0 : -1;
    for (int i = 0; i < runs && rc == 0; i++) {
        /* A B, then B A: neither always runs right after the other. */
        if (i % 2 == 0)
            rc = run_once(o->ratchet, dir6, input, out6, &w6[i], &c6[i]) ||
                 run_once(o->ratchet, dir5, input, out5, &w5[i], &c5[i]);
        else
            rc = run_once(o->ratchet, dir5, input, out5, &w5[i], &c5[i]) ||
                 run_once(o->ratchet, dir6, input, out6, &w6[i], &c6[i]);
        rc = rc || run_output_ok(out6, first) || run_output_ok(out5, first);
        rw[i] = w6[i] / w5[i];
        rc_[i] = c5[i] > 0 ? c6[i] / c5[i] : 0;
    }
    free(first);
    if (rc != 0)
        return -1;
    char a[32], b[32], metric[96];
    snprintf(metric, sizeof metric, "cold run-once (order), wall, %d runs", runs);
    fmt_ms(a, sizeof a, median(w6, runs));
    fmt_ms(b, sizeof b, median(w5, runs));
    double ratio = median(rw, runs);
    table_row(metric, a, b, ratio, "<= 1.2x", ratio <= 1.2);
    fmt_ms(a, sizeof a, median(c6, runs));
    fmt_ms(b, sizeof b, median(c5, runs));
    table_row("  the same, CPU (user+sys, process tree)", a, b, median(rc_, runs), "-", -1);
    return 0;
}

static void remove_tree(const char *tmp)
{
    const char *files[] = {"es2015/main.js",    "es2015/metadata.json", "es5/main.js",
                           "es5/metadata.json", "input.json",           "out6.json",
                           "out5.json",         "out6.json.err",        "out5.json.err"};
    char path[1100];
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        snprintf(path, sizeof path, "%s/%s", tmp, files[i]);
        unlink(path);
    }
    snprintf(path, sizeof path, "%s/es2015", tmp);
    rmdir(path);
    snprintf(path, sizeof path, "%s/es5", tmp);
    rmdir(path);
    rmdir(tmp);
}

static int bench_run_once(const bench_opts *o)
{
    char tmp[1024], dir6[1100], dir5[1100];
    const char *base = getenv("TMPDIR");
    if (!o->ratchet || access(o->ratchet, X_OK) != 0) {
        table_row("cold run-once (order): skipped, no --ratchet", "-", "-", 0, "<= 1.2x", -1);
        return 0;
    }
    if (!base || !*base || strlen(base) > 900)
        base = "/tmp";
    snprintf(tmp, sizeof tmp, "%s/bench_compiler.XXXXXX", base);
    if (!mkdtemp(tmp)) {
        fprintf(stderr, "bench_compiler: cannot create a directory in %s\n", tmp);
        return -1;
    }
    int rc = task_dir(tmp, "es2015", task_order_es6, dir6, sizeof dir6) == 0 &&
                     task_dir(tmp, "es5", task_order_es5, dir5, sizeof dir5) == 0
                 ? bench_run_once_pairs(o, tmp, dir6, dir5)
                 : -1;
    remove_tree(tmp);
    return rc;
}

/* ---- main -------------------------------------------------------------------------------- */

#ifndef BENCH_RATCHET_BIN
#define BENCH_RATCHET_BIN NULL
#endif
#ifndef BENCH_CORPUS_DIR
#define BENCH_CORPUS_DIR "tests/js/corpus"
#endif
#ifndef BENCH_TASKS_DIR
#define BENCH_TASKS_DIR "tests/bench/tasks"
#endif

static int parse_args(int argc, char **argv, bench_opts *o)
{
    o->quick = 0;
    o->rounds = 9;
    o->runs = 41;
    o->ratchet = BENCH_RATCHET_BIN;
    o->corpus = BENCH_CORPUS_DIR;
    o->tasks = BENCH_TASKS_DIR;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--quick") == 0)
            o->quick = 1;
        else if (strcmp(argv[i], "--rounds") == 0 && i + 1 < argc)
            o->rounds = atoi(argv[++i]);
        else if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc)
            o->runs = atoi(argv[++i]);
        else if (strcmp(argv[i], "--ratchet") == 0 && i + 1 < argc)
            o->ratchet = argv[++i];
        else if (strcmp(argv[i], "--corpus") == 0 && i + 1 < argc)
            o->corpus = argv[++i];
        else if (strcmp(argv[i], "--tasks") == 0 && i + 1 < argc)
            o->tasks = argv[++i];
        else
            return -1;
    }
    o->rounds = o->rounds < 1 ? 1 : o->rounds > MAX_ROUNDS ? MAX_ROUNDS : o->rounds;
    o->runs = o->runs < 1 ? 1 : o->runs > MAX_RUNS ? MAX_RUNS : o->runs;
    return 0;
}

int main(int argc, char **argv)
{
    bench_opts o;
    executor e;
    if (parse_args(argc, argv, &o) != 0) {
        fprintf(stderr,
                "usage: %s [--quick] [--rounds N] [--runs N] [--ratchet BIN] "
                "[--corpus DIR] [--tasks DIR]\n",
                argv[0]);
        return 2;
    }
    if (tasks_load(o.tasks) != 0)
        return 2;
    signal(SIGPIPE, SIG_IGN);
    printf("bench_compiler: the task compiler and its runtime (issue 14, point 7)%s\n",
           o.quick ? " [quick: figures are rough]" : "");
    print_load("at start");
    table_head();
    int rc = bench_compile(&o);
    rc = rc || bench_run_once(&o);
    if (rc == 0) {
        rc = executor_open(&e);
        rc = rc || bench_exec(&o, &e);
        executor_close(&e);
    }
    fflush(stdout);
    fputs(notes.s ? notes.s : "", stdout);
    free(notes.s);
    print_load("at end");
    if (rc != 0) {
        fprintf(stderr, "bench_compiler: FAILED (wrong result or execution error)\n");
        return 1;
    }
    printf("in-process: median of %d rounds (ratio: median of the per-round ratios); run-once: "
           "median of %d cold runs each, A/B alternating; heap: bytes MuJS asked for in one "
           "execution\n",
           o.quick ? 2 : o.rounds, o.quick ? 3 : o.runs);
    return 0;
}
