/*
 * mujs_stack.c - runs the interpreter on a C stack large enough for its limits (mujs_lib.h).
 *
 * On the process's main thread when its stack may grow that far (RLIMIT_STACK: the sandbox of
 * a worker or a run-once child raises it before its filter forbids that): no cost at all.
 * Elsewhere (a compile-time check in the server, the unit tests) a thread per run with a
 * stack of that size: the run-once child, a worker and the server all get the same depth. A
 * thread costs tens of microseconds, a third of an execution of a small task, which is why
 * the main thread is preferred.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

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

/* The thread that loaded the plugin: the main thread (dlopen, or a static plugin's start). */
static pthread_t mujs_main_thread;

__attribute__((constructor)) static void mujs_note_main_thread(void)
{
    mujs_main_thread = pthread_self();
}

/* Whether this is the main thread and its stack may grow to the size runs need, with 1 MiB
 * for what the caller already uses. */
static int mujs_main_stack_fits(void)
{
    struct rlimit rl;
    if (!pthread_equal(pthread_self(), mujs_main_thread) || getrlimit(RLIMIT_STACK, &rl) != 0)
        return 0;
    return rl.rlim_cur == RLIM_INFINITY ||
           rl.rlim_cur >= (rlim_t)MUJS_LIB_C_STACK + (rlim_t)(1024 * 1024);
}

ratchet_status mujs_on_stack(ratchet_status (*fn)(jsx_run *run), jsx_run *run)
{
    if (mujs_main_stack_fits())
        return fn(run);
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
