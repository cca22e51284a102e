/*
 * mujs_stack.c - runs the interpreter on a C stack large enough for its limits (mujs_lib.h).
 *
 * A thread per run: the run-once child, a worker and a compile-time check in the server all
 * get the same stack whatever thread they call from. The stack is address space reserved by
 * the C library (pages are committed as the recursion touches them) and is reused from its
 * cache of thread stacks where it fits; the thread itself costs tens of microseconds.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "mujs_exec.h"

#if MUJS_LIB_C_STACK > 0

typedef struct mujs_stack_job {
    ratchet_status (*fn)(jsx_run *run);
    jsx_run *run;
    ratchet_status status;
} mujs_stack_job;

static void *mujs_stack_main(void *arg)
{
    mujs_stack_job *job = arg;
    job->status = job->fn(job->run);
    return NULL;
}

ratchet_status mujs_on_stack(ratchet_status (*fn)(jsx_run *run), jsx_run *run)
{
    mujs_stack_job job = {fn, run, RATCHET_OK};
    pthread_attr_t attr;
    pthread_t thread;
    sigset_t all, old;

    int rc = pthread_attr_init(&attr);
    if (rc == 0) {
        rc = pthread_attr_setstacksize(&attr, (size_t)MUJS_LIB_C_STACK);
        /* The thread starts with every signal blocked: they keep going to the caller. */
        sigfillset(&all);
        pthread_sigmask(SIG_SETMASK, &all, &old);
        if (rc == 0)
            rc = pthread_create(&thread, &attr, mujs_stack_main, &job);
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        pthread_attr_destroy(&attr);
    }
    if (rc != 0) {
        snprintf(run->why, sizeof run->why,
                 "cannot start the JavaScript thread (a %d MiB stack): %s",
                 (int)(MUJS_LIB_C_STACK >> 20), strerror(rc));
        return RATCHET_ERR;
    }
    pthread_join(thread, NULL);
    return job.status;
}

#else

ratchet_status mujs_on_stack(ratchet_status (*fn)(jsx_run *run), jsx_run *run)
{
    return fn(run);
}

#endif
