/*
 * host/engine/registry_poll.c - serve follows its http registries: one thread sleeps on a
 * condition variable until the next source is due (or until it is told to stop), pulls it and
 * stores what changed. A 304 after a round without problems costs nothing more.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/core_layer.h"
#include "registry.h"

typedef struct poll_source {
    const rt_source_spec *spec;
    int64_t due; /* monotonic ms */
    int clean;   /* the last round reported nothing */
} poll_source;

struct rt_reg_poller {
    rt_app *app;
    rt_store *st;
    poll_source *sources;
    size_t n;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    int stop;   /* under lock */
    int cancel; /* read by the transfers (atomic) */
};

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

typedef struct round {
    const rt_source_spec *spec;
    size_t stored, problems;
} round;

static void on_problem(void *data, const char *source, const char *message)
{
    round *r = data;
    r->problems++;
    (void)source;
    rt_log(RATCHET_LOG_ERROR, "%s", message);
}

static void on_stored(void *data, const char *name, const char *version, int created)
{
    round *r = data;
    if (!created)
        return;
    r->stored++;
    rt_log(RATCHET_LOG_INFO, "registry %s: stored task %s %s", r->spec->name, name, version);
}

static void poll_one(rt_reg_poller *p, poll_source *s)
{
    round r = {s->spec, 0, 0};
    rt_sync_report report = {on_problem, on_stored, &r};
    rt_store_sync_registry(p->app, p->st, s->spec, &report, &p->cancel, s->clean);
    s->clean = r.problems == 0;
    rt_log(RATCHET_LOG_DEBUG, "registry %s: polled (%zu new version%s, %zu problem%s)",
           s->spec->name, r.stored, r.stored == 1 ? "" : "s", r.problems,
           r.problems == 1 ? "" : "s");
}

static void *poll_main(void *arg)
{
    rt_reg_poller *p = arg;
    pthread_mutex_lock(&p->lock);
    while (!p->stop) {
        int64_t next = INT64_MAX;
        for (size_t i = 0; i < p->n; i++)
            if (p->sources[i].due < next)
                next = p->sources[i].due;
        int64_t now = now_ms();
        if (next > now) {
            struct timespec ts;
            clock_gettime(CLOCK_MONOTONIC, &ts);
            int64_t wait = next - now;
            ts.tv_sec += (time_t)(wait / 1000);
            ts.tv_nsec += (long)(wait % 1000) * 1000000L;
            if (ts.tv_nsec >= 1000000000L) {
                ts.tv_sec++;
                ts.tv_nsec -= 1000000000L;
            }
            pthread_cond_timedwait(&p->wake, &p->lock, &ts);
            continue; /* re-check stop and the clock */
        }
        for (size_t i = 0; i < p->n && !p->stop; i++) {
            poll_source *s = &p->sources[i];
            if (s->due > now)
                continue;
            pthread_mutex_unlock(&p->lock);
            poll_one(p, s);
            pthread_mutex_lock(&p->lock);
            s->due = now_ms() + s->spec->interval_ms;
        }
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

rt_reg_poller *rt_reg_poller_start(rt_app *app, rt_store *st)
{
    size_t n = 0;
    for (size_t i = 0; i < app->settings.nsources; i++)
        if (app->settings.sources[i].enabled && app->settings.sources[i].type == RT_SOURCE_HTTP)
            n++;
    if (!n)
        return NULL;
    rt_reg_poller *p = calloc(1, sizeof *p);
    if (!p || !(p->sources = calloc(n, sizeof *p->sources))) {
        free(p);
        rt_log(RATCHET_LOG_ERROR, "registries are not followed: out of memory");
        return NULL;
    }
    p->app = app;
    p->st = st;
    int64_t now = now_ms();
    for (size_t i = 0; i < app->settings.nsources; i++) {
        const rt_source_spec *spec = &app->settings.sources[i];
        if (spec->enabled && spec->type == RT_SOURCE_HTTP) {
            p->sources[p->n].spec = spec;
            p->sources[p->n].due = now;
            p->n++;
        }
    }
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&p->wake, &attr);
    pthread_condattr_destroy(&attr);
    pthread_mutex_init(&p->lock, NULL);
    int err = pthread_create(&p->thread, NULL, poll_main, p);
    if (err != 0) {
        rt_log(RATCHET_LOG_ERROR, "registries are not followed: cannot start a thread: %s",
               strerror(err));
        pthread_cond_destroy(&p->wake);
        pthread_mutex_destroy(&p->lock);
        free(p->sources);
        free(p);
        return NULL;
    }
    for (size_t i = 0; i < p->n; i++) {
        char every[32];
        rt_format_duration_ms(p->sources[i].spec->interval_ms, every, sizeof every);
        rt_log(RATCHET_LOG_INFO, "following registry %s (%s) every %s", p->sources[i].spec->name,
               p->sources[i].spec->uri, every);
    }
    return p;
}

void rt_reg_poller_stop(rt_reg_poller *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->lock);
    p->stop = 1;
    __atomic_store_n(&p->cancel, 1, __ATOMIC_RELEASE);
    pthread_cond_signal(&p->wake);
    pthread_mutex_unlock(&p->lock);
    pthread_join(p->thread, NULL);
    pthread_cond_destroy(&p->wake);
    pthread_mutex_destroy(&p->lock);
    free(p->sources);
    free(p);
}
