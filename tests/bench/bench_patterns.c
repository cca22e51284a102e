/*
 * tests/bench/bench_patterns.c - error pattern matching (host/core/pattern*.c) with the
 * built-in set, beside two baselines measured in the same run on the same events:
 *
 *   bare regexec x1   one regexec per event (the db_timeout words, POSIX ERE, REG_ICASE):
 *                     what a single regex costs, the floor of any regex-based matcher
 *   regexec x all     every message regex of the built-in set on every event: matching the
 *                     set without the literal prefilter
 *   rt_patterns_match the built-in set as the engine matches it (level gate, rules, fields,
 *                     prefilter); and the same on the warnings and failures alone, the events
 *                     the level gate lets through
 *
 * The events are a mix a server logs: 80% ordinary info lines, 12% warnings, 8% failures
 * (the sample errors of tests/unit/test_patterns.c, with their fields). The result is
 * checked (every failure matched, no info line matched); speed never fails the run.
 *
 *   bench_patterns [--quick] [--events N]
 */
#define _POSIX_C_SOURCE 200809L

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pattern.h"

typedef struct sample {
    ratchet_log_level level;
    const char *message;
    const char *error_name, *error_kind;
    int failure;
} sample;

static const sample samples[] = {
    {RATCHET_LOG_INFO, "job 1842 completed in 31 ms (task addition 1.0.0, worker 3)", 0, 0, 0},
    {RATCHET_LOG_INFO, "GET /api/v1/jobs?status=queued 200 1.2 ms 127.0.0.1", 0, 0, 0},
    {RATCHET_LOG_INFO, "schedule nightly-report fired: job 1843 queued for 2026-12-05T03:00Z", 0, 0,
     0},
    {RATCHET_LOG_INFO, "worker 2 ready (pid 41235, 12.4 MiB)", 0, 0, 0},
    {RATCHET_LOG_INFO, "registry team: index unchanged (42 tasks), next poll in 5m", 0, 0, 0},
    {RATCHET_LOG_INFO, "POST /api/v1/tasks/weather-api/execute 202 3.4 ms", 0, 0, 0},
    {RATCHET_LOG_INFO, "delivered the output of job 1840 to https://hooks.example.com/x in 88 ms",
     0, 0, 0},
    {RATCHET_LOG_INFO, "reloaded task order-check from /srv/tasks/order-check (version 1.4.2)", 0,
     0, 0},
    {RATCHET_LOG_INFO, "job 1844 completed in 12 ms (task greeting 0.3.1, worker 1)", 0, 0, 0},
    {RATCHET_LOG_INFO, "pruned 120 finished jobs older than 7 days", 0, 0, 0},
    {RATCHET_LOG_WARN, "job 1845: attempt 1 failed, retrying in 1.2 s", 0, 0, 0},
    {RATCHET_LOG_WARN, "worker 4 restarted after 3 jobs (memory above the soft limit)", 0, 0, 0},
    {RATCHET_LOG_WARN, "slow request: GET /api/v1/executions took 812 ms", 0, 0, 0},
    {RATCHET_LOG_ERROR, "TypeError: Cannot read property 'name' of undefined", "TypeError",
     "runtime_error", 1},
    {RATCHET_LOG_ERROR, "NetworkError: couldn't connect to server api.example.com", "NetworkError",
     "runtime_error", 1},
    {RATCHET_LOG_ERROR, "storage: database is locked (query timed out after 5000 ms)", 0, 0, 1},
    {RATCHET_LOG_ERROR, "RateLimitError: HTTP 429: Too Many Requests", "RateLimitError",
     "runtime_error", 1},
    {RATCHET_LOG_ERROR, "the job ran longer than 30000 ms and was stopped", 0, "timed out", 1},
};

#define NSAMPLES (sizeof samples / sizeof *samples)

/* The sample of event i: of every 25, 20 info lines, 3 warnings, 2 failures. */
static size_t pick(size_t i)
{
    static const size_t info[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    size_t slot = (i * 7) % 25;
    if (slot < 20)
        return info[(i / 3) % 10];
    if (slot < 23)
        return 10 + (i % 3);
    return 13 + (i % 5);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void collect_regexes(const rt_rule *r, const regex_t **out, size_t *n, size_t max)
{
    if (r->kind == RT_RULE_MESSAGE_REGEX && *n < max)
        out[(*n)++] = &r->re;
    for (size_t i = 0; i < r->nkids; i++)
        collect_regexes(r->kids[i], out, n, max);
}

static rt_pattern_event event_of(const sample *s, ratchet_log_field f[2])
{
    size_t n = 0;
    if (s->error_name)
        f[n++] = (ratchet_log_field){"errorName", s->error_name};
    if (s->error_kind)
        f[n++] = (ratchet_log_field){"errorKind", s->error_kind};
    rt_pattern_event ev = {s->level, s->message, "host", f, n};
    return ev;
}

/* Seconds to match `events` events of level >= min with rt_patterns_match; counts how many
 * matched and how many were wrong (a failure unmatched, an info line matched) when asked. */
static double time_matcher(const rt_pattern_set *set, size_t events, ratchet_log_level min,
                           size_t *matched, size_t *wrong)
{
    double t0 = now_s();
    for (size_t i = 0, done = 0; done < events; i++) {
        const sample *s = &samples[pick(i)];
        if (s->level < min)
            continue;
        ratchet_log_field f[2];
        rt_pattern_event ev = event_of(s, f);
        rt_pattern_match m[8];
        size_t n = rt_patterns_match(set, &ev, m, 8);
        if (matched)
            *matched += n > 0;
        if (wrong)
            *wrong += s->failure ? n == 0 : (s->level == RATCHET_LOG_INFO && n > 0);
        done++;
    }
    return now_s() - t0;
}

int main(int argc, char **argv)
{
    size_t events = 1000000;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--quick") == 0)
            events = 50000;
        else if (strcmp(argv[i], "--events") == 0 && i + 1 < argc)
            events = (size_t)strtoull(argv[++i], NULL, 10);
    }
    rt_pattern_set set = {NULL, 0};
    rt_error err;
    if (rt_patterns_add_builtin(&set, &err) != RATCHET_OK) {
        fprintf(stderr, "built-in patterns: %s\n", err.msg);
        return 1;
    }
    const regex_t *all[256];
    size_t nall = 0;
    for (size_t i = 0; i < set.n; i++)
        collect_regexes(set.items[i]->rule, all, &nall, 256);
    regex_t one;
    regcomp(&one, "timeout|timed out|is locked|busy", REG_EXTENDED | REG_ICASE | REG_NOSUB);

    /* bare regexec x1 */
    size_t hits1 = 0;
    double t0 = now_s();
    for (size_t i = 0; i < events; i++)
        hits1 += regexec(&one, samples[pick(i)].message, 0, NULL, 0) == 0;
    double bare = now_s() - t0;

    /* regexec x every regex of the set */
    size_t hitsall = 0;
    t0 = now_s();
    for (size_t i = 0; i < events; i++)
        for (size_t k = 0; k < nall; k++)
            hitsall += regexec(all[k], samples[pick(i)].message, 0, NULL, 0) == 0;
    double naive = now_s() - t0;

    size_t matched = 0, wrong = 0, hard = events / 5;
    double ours = time_matcher(&set, events, RATCHET_LOG_TRACE, &matched, &wrong);
    double hard_s = time_matcher(&set, hard, RATCHET_LOG_WARN, NULL, NULL);

    printf("error pattern matching: %zu events, %zu built-in patterns (%zu message regexes)\n",
           events, set.n, nall);
    printf("  %-22s %12s %10s %10s\n", "", "events/s", "ns/event", "vs bare");
    printf("  %-22s %12.0f %10.1f %10s\n", "bare regexec x1", (double)events / bare,
           bare * 1e9 / (double)events, "1.00x");
    printf("  %-22s %12.0f %10.1f %9.2fx\n", "regexec x all", (double)events / naive,
           naive * 1e9 / (double)events, naive / bare);
    printf("  %-22s %12.0f %10.1f %9.2fx\n", "rt_patterns_match", (double)events / ours,
           ours * 1e9 / (double)events, ours / bare);
    printf("  %-22s %12.0f %10.1f %10s  (%zu warnings and failures alone)\n",
           "  of which warn+error", (double)hard / hard_s, hard_s * 1e9 / (double)hard, "", hard);
    printf("  target >= 500000 events/s: %s; matched %zu events (bare %zu, all %zu hits)\n",
           (double)events / ours >= 500000 ? "met" : "NOT met", matched, hits1, hitsall);
    regfree(&one);
    rt_pattern_set_clear(&set);
    if (wrong) {
        fprintf(stderr, "wrong results: %zu events (a failure unmatched or an info line matched)\n",
                wrong);
        return 1;
    }
    return 0;
}
