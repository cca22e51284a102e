/*
 * logger-buffered - puts another logger instance behind a bounded ring and a writer thread,
 * so that logging costs the caller a copy into memory, not a write(2).
 *
 *     instances:
 *       - {name: file, plugin: logger-file, options: {path: ratchet.jsonl}}
 *       - {name: fast, plugin: logger-buffered, options: {inner: file, capacity: 65536}}
 *
 * The wrapped instance (`inner`, any logger instance of the configuration) no longer receives
 * events from the host; it gets them from this writer thread, in batches: the writer wakes when
 * `batch` events are queued, on a warning or error, on flush(), or every `flush_interval`, and
 * takes everything queued at once by swapping the ring it fills for an empty one (so callers
 * wait on the mutex only for that swap, never for the inner logger's I/O).
 *
 * When the ring is full, `when_full: block` makes callers wait for room; `drop_oldest` drops
 * the oldest queued event, counts it (ratchet_log_dropped_events_total{instance=...} in
 * /metrics), and the writer logs the count (a warning, at most once a second and at stop).
 * flush() and stop() (SIGTERM) drain everything queued into the inner logger and flush it.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "bring.h"

typedef struct buffered {
    ratchet_ctx *ctx;
    const ratchet_config *cfg;
    ratchet_logger_ref *inner;
    ratchet_log_select sel; /* the `level` and `filter` options */
    size_t batch;
    int64_t interval_ms;
    int block; /* when_full: block (1) or drop_oldest (0) */

    pthread_mutex_t mu;
    pthread_cond_t wake;    /* the writer: work to do */
    pthread_cond_t room;    /* blocked callers: the ring has room again */
    pthread_cond_t flushed; /* flush() callers: flushed_seq moved */
    bring active;           /* filled by log() under mu */
    bring spare;            /* the writer's batch, outside mu */
    uint64_t queued_seq;    /* events accepted so far */
    uint64_t flush_want;    /* flush() asked for everything up to this */
    uint64_t flushed_seq;   /* written and inner-flushed up to this */
    int writer_waiting, stop, thread_started;
    int blocked; /* callers waiting for room (when_full: block) */
    pthread_t thread;

    atomic_uint_fast64_t dropped; /* events dropped (ring full, or out of memory) */
    uint64_t dropped_reported;    /* writer thread only */
    int64_t reported_ms;          /* writer thread only */
} buffered;

const ratchet_host_api *buffered_host; /* set by the entry function; bring.c uses it too */

static double buffered_read_dropped(void *arg)
{
    buffered *b = arg;
    return (double)atomic_load(&b->dropped);
}

static ratchet_status buffered_create(ratchet_ctx *ctx, const ratchet_config *cfg, void **out)
{
    buffered *b = buffered_host->calloc(1, sizeof *b);
    if (!b) {
        buffered_host->set_error(ctx, "out of memory");
        return RATCHET_NOMEM;
    }
    b->ctx = ctx;
    b->cfg = cfg;
    b->batch = (size_t)buffered_host->cfg_int(cfg, "batch");
    b->interval_ms = buffered_host->cfg_int(cfg, "flush_interval");
    b->block = strcmp(buffered_host->cfg_string(cfg, "when_full"), "block") == 0;
    size_t cap = (size_t)buffered_host->cfg_int(cfg, "capacity");
    int ok = ratchet_log_select_init(buffered_host, ctx, cfg, &b->sel) == RATCHET_OK;
    if (ok &&
        (bring_init(&b->active, cap) != RATCHET_OK || bring_init(&b->spare, cap) != RATCHET_OK)) {
        buffered_host->set_error(ctx, "out of memory for a ring of %zu events", cap);
        ratchet_log_select_free(buffered_host, &b->sel);
        ok = 0;
    }
    if (!ok) {
        bring_free(&b->active);
        buffered_host->free(b);
        return RATCHET_ERR;
    }
    pthread_mutex_init(&b->mu, NULL);
    /* The writer's timed wait counts on the monotonic clock: a wall-clock jump cannot stall
     * it. */
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&b->wake, &ca);
    pthread_condattr_destroy(&ca);
    pthread_cond_init(&b->room, NULL);
    pthread_cond_init(&b->flushed, NULL);
    *out = b;
    return RATCHET_OK;
}

/* The drop count as an event of this instance, straight into the inner logger (writer). */
static void buffered_report_drops(buffered *b, int64_t now_ms, int force)
{
    uint64_t total = atomic_load(&b->dropped);
    if (total == b->dropped_reported || (!force && now_ms - b->reported_ms < 1000))
        return;
    uint64_t fresh = total - b->dropped_reported;
    b->dropped_reported = total;
    b->reported_ms = now_ms;
    char nbuf[32], tbuf[32], msg[160];
    snprintf(nbuf, sizeof nbuf, "%llu", (unsigned long long)fresh);
    snprintf(tbuf, sizeof tbuf, "%llu", (unsigned long long)total);
    snprintf(msg, sizeof msg, "%s event(s) dropped: the ring was full (when_full: %s); %s in all",
             nbuf, b->block ? "block" : "drop_oldest", tbuf);
    ratchet_log_field fields[] = {{"dropped", nbuf}, {"dropped_total", tbuf}};
    ratchet_log_event ev = {
        .abi = RATCHET_ABI_INIT(ratchet_log_event),
        .time_us = buffered_host->now_us(),
        .level = RATCHET_LOG_WARN,
        .source = buffered_host->instance_name(b->ctx),
        .plugin = "logger-buffered",
        .message = msg,
        .fields = fields,
        .nfields = 2,
        .trace_id = "",
        .span_id = "",
        .task_name = "",
    };
    buffered_host->logger_write(b->inner, &ev);
}

static int64_t mono_ms(void)
{
    return buffered_host->monotonic_ns() / 1000000;
}

/* Wait on `wake` until there is a batch, a flush or stop, or the interval passed with events
 * queued. Called and returns with mu held. */
static void buffered_wait_work(buffered *b)
{
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    int64_t ns = until.tv_nsec + (b->interval_ms % 1000) * 1000000;
    until.tv_sec += (time_t)(b->interval_ms / 1000 + ns / 1000000000);
    until.tv_nsec = (long)(ns % 1000000000);
    while (!b->stop && b->flush_want <= b->flushed_seq && b->active.count < b->batch &&
           !b->blocked) {
        b->writer_waiting = 1;
        int rc = pthread_cond_timedwait(&b->wake, &b->mu, &until);
        b->writer_waiting = 0;
        if (rc == ETIMEDOUT)
            return; /* queued events have waited long enough (or idle: report drops) */
    }
}

/* Write the spare ring's events into the inner logger (mu not held). */
static void buffered_write_batch(buffered *b)
{
    for (size_t i = 0; i < b->spare.count; i++)
        buffered_host->logger_write(b->inner, bring_at(&b->spare, i));
    bring_clear(&b->spare);
}

static void *buffered_writer(void *arg)
{
    buffered *b = arg;
    pthread_mutex_lock(&b->mu);
    for (;;) {
        buffered_wait_work(b);
        uint64_t upto = b->queued_seq;
        uint64_t want = b->flush_want;
        int stopping = b->stop;
        bring taken = b->active;
        b->active = b->spare;
        b->spare = taken;
        if (b->block)
            pthread_cond_broadcast(&b->room);
        pthread_mutex_unlock(&b->mu);

        buffered_write_batch(b);
        buffered_report_drops(b, mono_ms(), stopping);
        if (want > b->flushed_seq || stopping)
            buffered_host->logger_flush(b->inner);

        pthread_mutex_lock(&b->mu);
        if (want > b->flushed_seq && upto >= want) {
            b->flushed_seq = upto;
            pthread_cond_broadcast(&b->flushed);
        }
        if (stopping && b->active.count == 0)
            break;
    }
    b->flushed_seq = b->queued_seq;
    pthread_cond_broadcast(&b->flushed);
    pthread_mutex_unlock(&b->mu);
    return NULL;
}

static ratchet_status buffered_start(void *instance)
{
    buffered *b = instance;
    const char *name = buffered_host->cfg_string(b->cfg, "inner");
    /* On failure the host's message (place, then reason) is the one the user reads. */
    b->inner = buffered_host->logger_wrap(b->ctx, name, buffered_host->cfg_node(b->cfg, "inner"));
    if (!b->inner)
        return RATCHET_ERR;
    if (pthread_create(&b->thread, NULL, buffered_writer, b) != 0) {
        buffered_host->set_error(b->ctx, "cannot start the writer thread");
        return RATCHET_ERR;
    }
    b->thread_started = 1;
    if (buffered_host->metric_register(
            b->ctx, "ratchet_log_dropped_events_total", "counter",
            "Log events a logger-buffered instance dropped because its ring "
            "was full (when_full: drop_oldest) or memory ran out.",
            buffered_read_dropped, b) != RATCHET_OK)
        buffered_host->log(b->ctx, RATCHET_LOG_WARN, "the dropped-events metric is not exported");
    return RATCHET_OK;
}

static void buffered_log(void *instance, const ratchet_log_event *ev)
{
    buffered *b = instance;
    if (!ratchet_log_select_match(buffered_host, &b->sel, ev))
        return;
    pthread_mutex_lock(&b->mu);
    while (b->block && b->active.count == b->active.cap && !b->stop && b->thread_started) {
        b->blocked++;
        pthread_cond_signal(&b->wake);
        pthread_cond_wait(&b->room, &b->mu);
        b->blocked--;
    }
    int dropped = 0;
    if (bring_push(&b->active, ev, &dropped) != RATCHET_OK)
        dropped++;
    else
        b->queued_seq++;
    if (dropped)
        atomic_fetch_add(&b->dropped, (uint_fast64_t)dropped);
    if (b->writer_waiting && (b->active.count >= b->batch || ev->level >= RATCHET_LOG_WARN))
        pthread_cond_signal(&b->wake);
    pthread_mutex_unlock(&b->mu);
}

static void buffered_flush(void *instance)
{
    buffered *b = instance;
    pthread_mutex_lock(&b->mu);
    if (b->thread_started && !b->stop) {
        uint64_t want = b->queued_seq;
        if (want > b->flush_want)
            b->flush_want = want;
        pthread_cond_signal(&b->wake);
        while (b->flushed_seq < want && !b->stop)
            pthread_cond_wait(&b->flushed, &b->mu);
    }
    pthread_mutex_unlock(&b->mu);
}

static void buffered_stop(void *instance)
{
    buffered *b = instance;
    buffered_host->metric_unregister(b->ctx);
    if (!b->thread_started)
        return;
    pthread_mutex_lock(&b->mu);
    b->stop = 1;
    pthread_cond_signal(&b->wake);
    pthread_cond_broadcast(&b->room);
    pthread_mutex_unlock(&b->mu);
    pthread_join(b->thread, NULL);
    b->thread_started = 0;
}

static void buffered_destroy(void *instance)
{
    buffered *b = instance;
    if (!b)
        return;
    if (b->thread_started)
        buffered_stop(b);
    bring_free(&b->active);
    bring_free(&b->spare);
    ratchet_log_select_free(buffered_host, &b->sel);
    pthread_mutex_destroy(&b->mu);
    pthread_cond_destroy(&b->wake);
    pthread_cond_destroy(&b->room);
    pthread_cond_destroy(&b->flushed);
    buffered_host->free(b);
}

static const ratchet_option buffered_options[] = {
    RATCHET_OPT_REQUIRED("inner", RATCHET_OPT_STRING,
                         "the logger instance to buffer (the `name` of another instances: "
                         "entry); the host then sends it events only through this one"),
    RATCHET_OPT_RANGE("capacity", RATCHET_OPT_INT, "65536", 16, 16777216,
                      "events the ring holds while the writer is busy (memory: about twice "
                      "this many event copies)"),
    RATCHET_OPT_ENUM("when_full", "block|drop_oldest", "drop_oldest",
                     "ring full: callers wait for room (block), or the oldest queued event is "
                     "dropped and counted (drop_oldest; ratchet_log_dropped_events_total)"),
    RATCHET_OPT_RANGE("batch", RATCHET_OPT_INT, "512", 1, 16777216,
                      "wake the writer once this many events are queued (more than capacity: "
                      "only flush_interval, warnings, flush and blocked callers wake it)"),
    RATCHET_OPT_RANGE("flush_interval", RATCHET_OPT_DURATION, "200ms", 1, 60000,
                      "longest a queued event waits for the writer (warnings and errors wake "
                      "it at once)"),
    RATCHET_OPT_LOG_LEVEL("trace", "lowest level queued (the inner logger applies its own too)"),
    RATCHET_OPT_LOG_FILTER,
    RATCHET_OPT_END,
};

RATCHET_LOGGER_PLUGIN(logger_buffered, buffered_host, "logger-buffered", "1.0.0",
                      "another logger behind a bounded ring and a writer thread (batching, "
                      "block or drop_oldest when full)",
                      buffered_options,
                      .life = {buffered_create, buffered_start, buffered_stop, buffered_destroy},
                      .log = buffered_log, .flush = buffered_flush)
