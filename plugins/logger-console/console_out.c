/* plugins/logger-console/console_out.c - lines to stderr through a writer thread
 * (console_out.h). */
#define _POSIX_C_SOURCE 200809L

#include "console_out.h"

#include <errno.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#define CONSOLE_GATHER_MS   2
#define CONSOLE_PENDING_MAX (1024 * 1024) /* beyond: the logging thread writes (back-pressure) */

static void write_all(const char *p, size_t left)
{
    while (left > 0) {
        ssize_t n = write(STDERR_FILENO, p, left);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return; /* stderr is gone or full: nothing useful can be done about it here */
        p += n;
        left -= (size_t)n;
    }
}

/* Done with a written buffer: emptied, and released when one huge burst grew it. */
static void reuse(console_out *o, ratchet_buf *b)
{
    b->len = 0;
    if (b->cap > CONSOLE_BUF_KEEP)
        o->host->buf_free(b);
}

/* With `mu` held: write what is pending, then `data` (may be NULL), in this thread. */
static void write_now_locked(console_out *o, const char *data, size_t len)
{
    pthread_mutex_lock(&o->io_mu); /* after a batch the writer already took */
    write_all(o->pending.data, o->pending.len);
    reuse(o, &o->pending);
    if (data)
        write_all(data, len);
    pthread_mutex_unlock(&o->io_mu);
}

static struct timespec after_ms(int ms)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    t.tv_nsec += (long)ms * 1000000L;
    if (t.tv_nsec >= 1000000000L) {
        t.tv_sec++;
        t.tv_nsec -= 1000000000L;
    }
    return t;
}

static void *writer_main(void *arg)
{
    console_out *o = arg;
    prctl(PR_SET_NAME, "log-console"); /* its name in top -H, ps -L and /proc */
    pthread_mutex_lock(&o->mu);
    for (;;) {
        while (o->pending.len == 0 && !o->stopping)
            pthread_cond_wait(&o->cv, &o->mu);
        if (o->pending.len == 0)
            break;          /* stopping, nothing left */
        if (!o->stopping) { /* let the lines of the next moments join this write */
            struct timespec until = after_ms(CONSOLE_GATHER_MS);
            while (!o->stopping && pthread_cond_timedwait(&o->cv, &o->mu, &until) != ETIMEDOUT)
                ;
        }
        ratchet_buf taken = o->pending;
        o->pending = o->batch;
        pthread_mutex_lock(&o->io_mu);
        pthread_mutex_unlock(&o->mu);
        write_all(taken.data, taken.len);
        reuse(o, &taken);
        o->batch = taken;
        pthread_mutex_unlock(&o->io_mu);
        pthread_mutex_lock(&o->mu);
    }
    pthread_mutex_unlock(&o->mu);
    return NULL;
}

/* Whether this is a child forked after start() (console_out.h). */
static int forked(const console_out *o)
{
    return o->pid != 0 && getpid() != o->pid;
}

void console_out_init(console_out *o, const ratchet_host_api *host)
{
    memset(o, 0, sizeof *o);
    o->host = host;
    pthread_mutex_init(&o->mu, NULL);
    pthread_mutex_init(&o->io_mu, NULL);
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&o->cv, &attr);
    pthread_condattr_destroy(&attr);
}

ratchet_status console_out_start(console_out *o)
{
    pthread_mutex_lock(&o->mu);
    o->stopping = 0;
    o->pid = getpid();
    o->running = pthread_create(&o->thread, NULL, writer_main, o) == 0;
    pthread_mutex_unlock(&o->mu);
    return o->running ? RATCHET_OK : RATCHET_ERR;
}

void console_out_stop(console_out *o)
{
    if (forked(o))
        return; /* the writer is the parent's */
    pthread_mutex_lock(&o->mu);
    int was = o->running;
    o->stopping = 1;
    o->running = 0; /* from here lines are written at once */
    pthread_cond_signal(&o->cv);
    pthread_mutex_unlock(&o->mu);
    if (was)
        pthread_join(o->thread, NULL);
    console_out_flush(o);
}

void console_out_free(console_out *o)
{
    o->host->buf_free(&o->pending);
    o->host->buf_free(&o->batch);
    pthread_cond_destroy(&o->cv);
    pthread_mutex_destroy(&o->mu);
    pthread_mutex_destroy(&o->io_mu);
}

void console_out_put(console_out *o, const char *data, size_t len, int now)
{
    if (forked(o)) {
        write_all(data, len);
        return;
    }
    pthread_mutex_lock(&o->mu);
    if (now || !o->running || o->pending.len + len > CONSOLE_PENDING_MAX ||
        o->host->buf_append(&o->pending, data, len) != RATCHET_OK) {
        write_now_locked(o, data, len);
    } else if (o->pending.len == len) {
        pthread_cond_signal(&o->cv); /* the first line: the writer starts gathering */
    }
    pthread_mutex_unlock(&o->mu);
}

void console_out_flush(console_out *o)
{
    if (forked(o))
        return;
    pthread_mutex_lock(&o->mu);
    write_now_locked(o, NULL, 0);
    pthread_mutex_unlock(&o->mu);
}
