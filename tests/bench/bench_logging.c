/*
 * bench_logging.c - the logging path (issue 21, point 2) against a plain fprintf loop, all
 * measured in this run:
 *
 *   buffered (drop_oldest)  rt_log() of one formatted info line into a logger-buffered
 *                           instance wrapping a logger-file instance: what a caller pays
 *                           (the host's formatting, masking, fan-out, the ring copy). Events
 *                           per second over the whole loop and the p50/p99/max of each call,
 *                           timed one by one in a second loop of n (the first, untimed,
 *                           gives events/s); the writer drains to the file meanwhile and
 *                           the events it could not keep up with are dropped and counted.
 *   buffered (block)        the same with when_full: block: nothing dropped, so the loop
 *                           runs at the speed of the file drain; then flush() - events per
 *                           second end to end, i.e. the file drain rate through the ring.
 *   file (direct)           rt_log() into a logger-file instance alone: one write(2) per line.
 *   ... write_batch         the drain and the direct rows again with logger-file's
 *                           write_batch: 256KiB (lines gathered into one write(2)).
 *   fprintf (baseline)      fprintf(fp, "...%d...\n") of the same text to a FILE* on the same
 *                           file system, stdio-buffered, fflush at the end.
 *
 * "per CPU-s" divides by the logging thread's own CPU time instead of wall time: on a shared,
 * loaded machine it is the figure that says what the path costs (wall time there includes
 * the time the thread waited for a CPU).
 *
 * Every file's line count is checked against what was logged (minus the counted drops); a
 * wrong count makes the exit status 1, speed never does (`--quick` is the ctest smoke run).
 *
 * Usage: bench_logging [--quick] [--events N]
 */
#define _DEFAULT_SOURCE /* mkdtemp */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "hostapi.h"
#include "instances.h"
#include "log.h"
#include "metrics.h"
#include "settings.h"

#include <ratchet/plugin.h>

const ratchet_plugin_desc *ratchet_plugin_entry_logger_file(const ratchet_host_api *api);
const ratchet_plugin_desc *ratchet_plugin_entry_logger_buffered(const ratchet_host_api *api);

#define MSG "request served: GET /api/v1/tasks/%d status=200 bytes=5120 duration_ms=3"

static char dir[512];
static int failures;

static int64_t clock_ns(clockid_t id)
{
    struct timespec t;
    clock_gettime(id, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static int64_t now_ns(void)
{
    return clock_ns(CLOCK_MONOTONIC);
}

/* Lines of the file `name` (removed afterwards), not counting logger-buffered's own reports
 * of dropped events. */
static long count_lines(const char *name)
{
    char path[700];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *fp = fopen(path, "r");
    long n = 0;
    char line[1024];
    while (fp && fgets(line, sizeof line, fp))
        n += strchr(line, '\n') && !strstr(line, "event(s) dropped: the ring was full");
    if (fp)
        fclose(fp);
    unlink(path);
    return n;
}

/* A started instance set of the two plugins from `instances` (YAML lines). */
typedef struct setup {
    rt_registry reg;
    rt_settings settings;
    rt_instance_set set;
} setup;

static int setup_open(setup *s, const char *instances)
{
    char path[700];
    snprintf(path, sizeof path, "%s/bench.yaml", dir);
    FILE *fp = fopen(path, "w");
    if (!fp)
        return -1;
    fprintf(fp, "instances:\n%s", instances);
    fclose(fp);
    memset(s, 0, sizeof *s);
    rt_registry_init(&s->reg);
    s->reg.plugins = calloc(2, sizeof *s->reg.plugins);
    s->reg.count = s->reg.cap = 2;
    const ratchet_plugin_desc *d[2] = {ratchet_plugin_entry_logger_file(rt_host_api()),
                                       ratchet_plugin_entry_logger_buffered(rt_host_api())};
    for (int i = 0; i < 2; i++) {
        s->reg.plugins[i].desc = d[i];
        s->reg.plugins[i].is_static = 1;
        s->reg.plugins[i].vtable[RT_KIND_LOGGER] = d[i]->logger;
    }
    char *env[] = {NULL};
    rt_error err;
    if (rt_settings_load(&s->settings, path, env, &err) != RATCHET_OK ||
        rt_instances_resolve(&s->set, &s->settings, &s->reg, &err) != RATCHET_OK ||
        rt_instances_start(&s->set, &err) != RATCHET_OK) {
        fprintf(stderr, "bench_logging: %s\n", err.msg);
        return -1;
    }
    return 0;
}

static void setup_close(setup *s)
{
    rt_instances_shutdown(&s->set);
    rt_instances_free(&s->set);
    rt_settings_free(&s->settings);
    free(s->reg.plugins);
    s->reg.plugins = NULL;
    s->reg.count = 0;
    rt_registry_free(&s->reg);
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

typedef struct result {
    double per_s;     /* events per second of wall time */
    double per_cpu_s; /* events per second of the logging thread's CPU time */
    double p50_us, p99_us, max_us;
} result;

/* Log n lines through rt_log, timing each call when lat is not NULL. */
static result log_loop(long n, int64_t *lat)
{
    result r = {0, 0, 0, 0, 0};
    int64_t t0 = now_ns(), c0 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
    for (long i = 0; i < n; i++) {
        int64_t a = lat ? now_ns() : 0;
        rt_log(RATCHET_LOG_INFO, MSG, (int)i);
        if (lat)
            lat[i] = now_ns() - a;
    }
    int64_t t1 = now_ns(), c1 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
    r.per_s = (double)n / ((double)(t1 - t0) / 1e9);
    r.per_cpu_s = (double)n / ((double)(c1 - c0) / 1e9);
    if (lat) {
        qsort(lat, (size_t)n, sizeof *lat, cmp_i64);
        r.p50_us = (double)lat[n / 2] / 1000.0;
        r.p99_us = (double)lat[n * 99 / 100] / 1000.0;
        r.max_us = (double)lat[n - 1] / 1000.0;
    }
    return r;
}

static double dropped_of(const char *instance)
{
    ratchet_buf out = RATCHET_BUF_INIT;
    rt_metrics_write(&out);
    char key[128];
    snprintf(key, sizeof key, "ratchet_log_dropped_events_total{instance=\"%s\"} ", instance);
    const char *p = out.data ? strstr(out.data, key) : NULL;
    double v = p ? atof(p + strlen(key)) : -1;
    rt_host_api()->buf_free(&out);
    return v;
}

static void check(const char *what, long got, long want)
{
    if (got != want) {
        fprintf(stderr, "bench_logging: %s: %ld lines, expected %ld\n", what, got, want);
        failures++;
    }
}

/* rt_log() of n events through logger-buffered (when_full: block) into a logger-file instance
 * with the extra options `file_opts`, then flush: events per second end to end, i.e. the file
 * drain rate through the ring. -1 when the instances cannot be set up. */
static double drain_rate(long n, const char *path, const char *file_opts)
{
    char instances[512];
    snprintf(instances, sizeof instances,
             "  - {name: f, plugin: logger-file, options: {path: %s, max_size: 1GiB%s}}\n"
             "  - {name: b, plugin: logger-buffered, options: {inner: f, capacity: 65536, "
             "batch: 4096, when_full: block}}\n",
             path, file_opts);
    setup s;
    if (setup_open(&s, instances) != 0)
        return -1;
    int64_t t0 = now_ns();
    log_loop(n, NULL);
    rt_log_flush();
    double rate = (double)n / ((double)(now_ns() - t0) / 1e9);
    setup_close(&s);
    check(path, count_lines(path), n);
    return rate;
}

/* rt_log() of n events into a logger-file instance alone, with the extra options file_opts. */
static int direct_file(long n, int64_t *lat, const char *path, const char *file_opts, result *out)
{
    char instances[256];
    snprintf(instances, sizeof instances,
             "  - {name: f, plugin: logger-file, options: {path: %s, max_size: 1GiB%s}}\n", path,
             file_opts);
    setup s;
    if (setup_open(&s, instances) != 0)
        return -1;
    *out = log_loop(n, lat);
    setup_close(&s);
    check(path, count_lines(path), n);
    return 0;
}

int main(int argc, char **argv)
{
    long n = 2000000;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--quick") == 0)
            n = 50000;
        else if (strcmp(argv[i], "--events") == 0 && i + 1 < argc)
            n = atol(argv[++i]);
    }
    const char *base = getenv("RATCHET_TEST_TMP");
    snprintf(dir, sizeof dir, "%s/bench_logging.XXXXXX", base && *base ? base : "/tmp");
    if (!mkdtemp(dir) || chdir(dir) != 0)
        return perror("bench_logging: work directory"), 2;
    int64_t *lat = malloc((size_t)n * sizeof *lat);
    if (!lat)
        return 2;
    rt_log_set_level(RATCHET_LOG_INFO);
    setup s;

    /* buffered, drop_oldest: the caller's cost */
    if (setup_open(
            &s, "  - {name: f, plugin: logger-file, options: {path: drop.jsonl, max_size: 1GiB}}\n"
                "  - {name: b, plugin: logger-buffered, options: {inner: f, capacity: 65536, "
                "batch: 4096}}\n") != 0)
        return 2;
    result drop = log_loop(n, NULL); /* events/s without the timer's own cost */
    result timed = log_loop(n, lat); /* then each call timed */
    drop.p50_us = timed.p50_us;
    drop.p99_us = timed.p99_us;
    drop.max_us = timed.max_us;
    rt_log_flush();
    double dropped = dropped_of("b");
    setup_close(&s);
    check("buffered drop_oldest", count_lines("drop.jsonl"), 2 * n - (long)dropped);

    /* buffered, block: end to end = the file drain rate through the ring; and the same with
     * logger-file gathering lines into one write(2) */
    const char *batched = ", write_batch: 256KiB";
    double drain = drain_rate(n, "block.jsonl", "");
    double drain_batched = drain_rate(n, "block-batched.jsonl", batched);
    /* file alone, one write per line and batched */
    result direct, direct_batched;
    if (drain < 0 || drain_batched < 0 || direct_file(n, lat, "direct.jsonl", "", &direct) != 0 ||
        direct_file(n, lat, "direct-batched.jsonl", batched, &direct_batched) != 0)
        return 2;

    /* baseline: fprintf */
    FILE *fp = fopen("fprintf.log", "w");
    int64_t t0 = now_ns();
    int64_t c0 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
    for (long i = 0; fp && i < n; i++)
        fprintf(fp, MSG "\n", (int)i);
    if (fp)
        fclose(fp);
    double fpr = (double)n / ((double)(now_ns() - t0) / 1e9);
    double fpr_cpu = (double)n / ((double)(clock_ns(CLOCK_THREAD_CPUTIME_ID) - c0) / 1e9);
    check("fprintf", count_lines("fprintf.log"), n);

    printf("logging, %ld events of one formatted info line (%s):\n", n,
           n < 1000000 ? "quick" : "full");
    printf("  %-34s %12s %12s %9s %9s %9s\n", "", "events/s", "per CPU-s", "p50 us", "p99 us",
           "max us");
    printf("  %-34s %12.0f %12.0f %9.3f %9.3f %9.1f  (%.0f dropped, %.1f%%)\n",
           "rt_log -> buffered (drop_oldest)", drop.per_s, drop.per_cpu_s, drop.p50_us, drop.p99_us,
           drop.max_us, dropped, 100.0 * dropped / (double)(2 * n));
    printf("  %-34s %12.0f %12s %9s %9s %9s  (file drain rate, end to end)\n",
           "rt_log -> buffered (block) -> file", drain, "-", "-", "-", "-");
    printf("  %-34s %12.0f %12s %9s %9s %9s  (the same, write_batch: 256KiB)\n",
           "rt_log -> buffered (block) -> file", drain_batched, "-", "-", "-", "-");
    printf("  %-34s %12.0f %12.0f %9.3f %9.3f %9.1f\n", "rt_log -> file (direct)", direct.per_s,
           direct.per_cpu_s, direct.p50_us, direct.p99_us, direct.max_us);
    printf("  %-34s %12.0f %12.0f %9.3f %9.3f %9.1f  (write_batch: 256KiB)\n",
           "rt_log -> file (direct)", direct_batched.per_s, direct_batched.per_cpu_s,
           direct_batched.p50_us, direct_batched.p99_us, direct_batched.max_us);
    printf("  %-34s %12.0f %12.0f %9s %9s %9s  (baseline)\n", "fprintf to a FILE*", fpr, fpr_cpu,
           "-", "-", "-");
    printf("  targets: buffered >= 1,000,000 events/s and p99 < 2 us; buffered/fprintf %.2fx\n",
           drop.per_s / fpr);
    free(lat);
    rmdir(dir);
    return failures ? 1 : 0;
}
