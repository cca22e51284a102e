/*
 * host/engine/claim.c - claiming ahead: the claimer thread keeps a small backlog of claimed
 * jobs for the loop to hand to workers as they free up (engine_int.h).
 *
 * The loop never waits for a claim: it asks (a worker is idle, or the backlog runs low), goes
 * on dispatching what it holds, and is woken through `ready` when the claim brought jobs. On a
 * database over the network this keeps the workers busy during the claim's round trips.
 * Claimed jobs are leased to this host like running ones (renewed by the loop's heartbeat);
 * at shutdown the loop stops the claimer before it requeues what is held, so no claim lands
 * after the requeue.
 *
 * How many to hold adapts to the jobs: a claim's cost is mostly per statement (round trip,
 * planning, commit), so short jobs want many per claim, while long ones held here would only
 * wait (and not run on another host that is free). The backlog starts at one job per worker
 * plus max(8, 2 per worker); it doubles (up to 16 per worker) when a worker finds it empty
 * while more jobs are ready, and halves (down to the start) when a job waited in it longer
 * than RT_BACKLOG_WAIT_MS.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "core/core_layer.h"
#include "engine_int.h"

#define RT_BACKLOG_WAIT_MS 50

ratchet_status rt_eng_claim_init(rt_claim_ahead *ca, size_t workers)
{
    memset(ca, 0, sizeof *ca);
    ca->ready[0] = ca->ready[1] = -1;
    ca->cap_min = workers + (workers < 4 ? 8 : 2 * workers);
    ca->cap_max = workers + (workers < 2 ? 32 : 16 * workers);
    ca->cap = ca->cap_min;
    ca->jobs = calloc(ca->cap_max, sizeof *ca->jobs);
    ca->claimed_ms = calloc(ca->cap_max, sizeof *ca->claimed_ms);
    if (!ca->jobs || !ca->claimed_ms || pipe(ca->ready) != 0) {
        free(ca->jobs);
        free(ca->claimed_ms);
        ca->jobs = NULL;
        return RATCHET_ERR;
    }
    for (int k = 0; k < 2; k++) { /* not for the workers to inherit */
        fcntl(ca->ready[k], F_SETFL, O_NONBLOCK);
        fcntl(ca->ready[k], F_SETFD, FD_CLOEXEC);
    }
    pthread_mutex_init(&ca->lock, NULL);
    pthread_cond_init(&ca->cond, NULL);
    return RATCHET_OK;
}

void rt_eng_claim_free(rt_claim_ahead *ca)
{
    if (!ca->jobs)
        return;
    for (size_t i = 0; i < ca->n; i++) {
        free(ca->jobs[i].input_json);
        free(ca->jobs[i].meta_json);
    }
    free(ca->jobs);
    free(ca->claimed_ms);
    ca->jobs = NULL;
    close(ca->ready[0]);
    close(ca->ready[1]);
    pthread_cond_destroy(&ca->cond);
    pthread_mutex_destroy(&ca->lock);
}

/* One claim of up to `want` jobs, appended to the backlog (lock not held). */
static void claim_once(rt_engine *e, size_t want)
{
    rt_claim_ahead *ca = &e->ca;
    ratchet_claimed_job *jobs = calloc(want, sizeof *jobs);
    size_t n = 0;
    if (!jobs)
        return;
    for (size_t i = 0; i < want; i++)
        jobs[i].abi = (ratchet_abi)RATCHET_ABI_INIT(ratchet_claimed_job);
    rt_error_clear();
    int64_t now = rt_eng_now_ms();
    ratchet_status rc = e->vt->job_claim(e->si, e->owner, now, e->lease_ms, jobs, want, &n);
    if (rc != RATCHET_OK && rc != RATCHET_RETRY)
        rt_log(RATCHET_LOG_ERROR, "claiming jobs failed: %s", rt_error_peek());
    pthread_mutex_lock(&ca->lock);
    /* want <= cap_max - n when asked, and only this thread adds */
    memcpy(ca->jobs + ca->n, jobs, n * sizeof *jobs);
    for (size_t i = 0; i < n; i++)
        ca->claimed_ms[ca->n + i] = now;
    ca->n += n;
    ca->full = rc == RATCHET_OK && n == want;
    pthread_mutex_unlock(&ca->lock);
    free(jobs);
    char b = 1;
    if (n > 0 && write(ca->ready[1], &b, 1) < 0 && errno != EAGAIN)
        rt_log(RATCHET_LOG_ERROR, "claimed jobs: cannot wake the engine's loop: %s",
               strerror(errno));
}

static void *claimer_main(void *arg)
{
    rt_engine *e = arg;
    prctl(PR_SET_NAME, "rt-claimer"); /* its name in top -H, ps -L and /proc */
    rt_claim_ahead *ca = &e->ca;
    pthread_mutex_lock(&ca->lock);
    for (;;) {
        while (!ca->stop && !(ca->wanted && ca->n < ca->cap))
            pthread_cond_wait(&ca->cond, &ca->lock);
        if (ca->stop)
            break;
        size_t want = ca->cap - ca->n;
        ca->wanted = 0;
        ca->busy = 1;
        pthread_mutex_unlock(&ca->lock);
        claim_once(e, want);
        pthread_mutex_lock(&ca->lock);
        ca->busy = 0;
    }
    pthread_mutex_unlock(&ca->lock);
    return NULL;
}

ratchet_status rt_eng_claimer_start(rt_engine *e)
{
    if (pthread_create(&e->ca.thread, NULL, claimer_main, e) != 0)
        return RATCHET_ERR;
    e->ca.started = 1;
    return RATCHET_OK;
}

void rt_eng_claimer_stop(rt_engine *e)
{
    rt_claim_ahead *ca = &e->ca;
    if (!ca->started)
        return;
    pthread_mutex_lock(&ca->lock);
    ca->stop = 1;
    pthread_cond_signal(&ca->cond);
    pthread_mutex_unlock(&ca->lock);
    pthread_join(ca->thread, NULL);
    ca->started = 0;
}

int rt_eng_backlog_take(rt_engine *e, ratchet_claimed_job *out)
{
    rt_claim_ahead *ca = &e->ca;
    pthread_mutex_lock(&ca->lock);
    int got = ca->n > 0;
    if (got) {
        *out = ca->jobs[0];
        /* held too long: the jobs are long enough that fewer claimed ahead do */
        if (rt_eng_now_ms() - ca->claimed_ms[0] > RT_BACKLOG_WAIT_MS && ca->cap > ca->cap_min)
            ca->cap = ca->cap / 2 > ca->cap_min ? ca->cap / 2 : ca->cap_min;
        memmove(ca->jobs, ca->jobs + 1, --ca->n * sizeof *ca->jobs);
        memmove(ca->claimed_ms, ca->claimed_ms + 1, ca->n * sizeof *ca->claimed_ms);
    }
    pthread_mutex_unlock(&ca->lock);
    return got;
}

void rt_eng_backlog_put_back(rt_engine *e, ratchet_claimed_job *job)
{
    rt_claim_ahead *ca = &e->ca;
    pthread_mutex_lock(&ca->lock);
    int room = ca->n < ca->cap_max; /* a claim may have filled it since the take */
    if (room) {
        memmove(ca->jobs + 1, ca->jobs, ca->n * sizeof *ca->jobs);
        memmove(ca->claimed_ms + 1, ca->claimed_ms, ca->n * sizeof *ca->claimed_ms);
        ca->jobs[0] = *job;
        ca->claimed_ms[0] = rt_eng_now_ms();
        ca->n++;
    }
    pthread_mutex_unlock(&ca->lock);
    if (!room) /* back to the queue instead, its attempt not counted */
        rt_eng_finish_job(e, job, NULL, NULL, 0, RATCHET_FINISH_REQUEUE, NULL, NULL, NULL);
    memset(job, 0, sizeof *job);
}

int rt_eng_backlog_remove(rt_engine *e, int64_t job_id, ratchet_claimed_job *out)
{
    rt_claim_ahead *ca = &e->ca;
    int got = 0;
    pthread_mutex_lock(&ca->lock);
    for (size_t b = 0; b < ca->n && !got; b++)
        if (ca->jobs[b].job_id == job_id) {
            *out = ca->jobs[b];
            memmove(ca->jobs + b, ca->jobs + b + 1, (--ca->n - b) * sizeof *ca->jobs);
            memmove(ca->claimed_ms + b, ca->claimed_ms + b + 1,
                    (ca->n - b) * sizeof *ca->claimed_ms);
            got = 1;
        }
    pthread_mutex_unlock(&ca->lock);
    return got;
}

size_t rt_eng_backlog_count(rt_engine *e)
{
    pthread_mutex_lock(&e->ca.lock);
    size_t n = e->ca.n;
    pthread_mutex_unlock(&e->ca.lock);
    return n;
}

void rt_eng_claim_more(rt_engine *e, size_t idle)
{
    rt_claim_ahead *ca = &e->ca;
    pthread_mutex_lock(&ca->lock);
    /* a worker waits for jobs that are ready: too few were claimed ahead */
    if (idle > 0 && ca->n == 0 && ca->full && ca->cap < ca->cap_max)
        ca->cap = 2 * ca->cap < ca->cap_max ? 2 * ca->cap : ca->cap_max;
    if ((idle > 0 || ca->n < ca->cap / 2) && ca->n < ca->cap) {
        ca->wanted = 1; /* also when already asked: a claim landing meanwhile may have filled */
        pthread_cond_signal(&ca->cond); /* the backlog, and the claimer waits for room */
    }
    pthread_mutex_unlock(&ca->lock);
}
