/* tests/unit/test_sandbox_limits.c - rt_sandbox_apply: resource limits (address space, CPU, file
 * size), processes and threads, and what applying the sandbox costs. Each case runs in a forked
 * child, as in test_sandbox.c. */
#define _GNU_SOURCE /* syscall(), prlimit(), unshare(), personality() for the attempts */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "sandbox.h"

#include "sandbox_testing.h"

static void note_skip(const char *what)
{
    print_message("note: %s: skipped in this (sanitizer) build, which does not enforce it\n", what);
}

/* ---- resource limits ---------------------------------------------------------------------- */

static void burn_cpu_ms(long ms)
{
    struct timespec t0, t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
    volatile unsigned long spin = 0;
    do {
        for (int i = 0; i < 100000; i++)
            spin = spin + 1;
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    } while ((t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000 < ms);
}

static void burn_600ms(void *arg)
{
    (void)arg;
    burn_cpu_ms(600);
}

static void say_limit(const char *name, int rc, const struct rlimit *r)
{
    if (rc != 0)
        say("%s: getrlimit failed", name);
    else
        say("%s: %llu/%llu", name, (unsigned long long)r->rlim_cur,
            (unsigned long long)r->rlim_max);
}
/* A macro: with _GNU_SOURCE getrlimit takes an enum, not an int. */
#define SAY_LIMIT(res)                                                                             \
    do {                                                                                           \
        struct rlimit r_;                                                                          \
        say_limit(#res, getrlimit(res, &r_), &r_);                                                 \
    } while (0)

static void report_limits(void *arg)
{
    (void)arg;
    SAY_LIMIT(RLIMIT_CORE);
    SAY_LIMIT(RLIMIT_NOFILE);
    SAY_LIMIT(RLIMIT_FSIZE);
    SAY_LIMIT(RLIMIT_CPU);
    if (rt_sandbox_features() & RT_SANDBOX_HAS_RLIMIT_AS)
        SAY_LIMIT(RLIMIT_AS);
    else
        say("RLIMIT_AS: 1073741824/1073741824"); /* not set in this build; see the note */
    /* The limits cannot be changed, not even lowered, nor another process's read. */
    struct rlimit lower = {32, 32}, old;
    TRY("setrlimit(RLIMIT_NOFILE, 32)", setrlimit(RLIMIT_NOFILE, &lower));
    TRY("prlimit(parent, RLIMIT_NOFILE)", prlimit(getppid(), RLIMIT_NOFILE, NULL, &old));
    /* Descriptors run out at 64. */
    int last = 0;
    errno = 0;
    for (int i = 0; i < 100; i++) {
        int fd = dup(0);
        if (fd < 0)
            break;
        last = fd;
    }
    say("dup until failure: %s, highest fd %d", errname(errno), last);
}

static void test_rlimit_values(void **state)
{
    (void)state;
    if (!(rt_sandbox_features() & RT_SANDBOX_HAS_RLIMIT_AS))
        note_skip("RLIMIT_AS value");
    rt_sandbox_limits l = defaults();
    l.memory_bytes = (int64_t)1 << 30;
    l.cpu_seconds = 5;
    outcome out;
    /* 0.6 s of CPU before the call: the CPU limit counts from the call (rounded to 1 s, + 5). */
    run_sandboxed(&l, burn_600ms, report_limits, NULL, 10000, &out);
    assert_report(&out, "RLIMIT_CORE: 0/0\n"
                        "RLIMIT_NOFILE: 64/64\n"
                        "RLIMIT_FSIZE: 67108864/67108864\n"
                        "RLIMIT_CPU: 6/7\n"
                        "RLIMIT_AS: 1073741824/1073741824\n"
                        "setrlimit(RLIMIT_NOFILE, 32): EPERM\n"
                        "prlimit(parent, RLIMIT_NOFILE): EPERM\n"
                        "dup until failure: EMFILE, highest fd 63\n");
}

static void big_malloc(void *arg)
{
    (void)arg;
    /* volatile: an unused malloc/free pair may otherwise be optimised away (clang does; it
     * also moves an `errno = 0` past malloc, so errno is not reported here). */
    void *volatile big = malloc((size_t)1 << 30);
    say("malloc(1 GiB): %s", big ? "ok" : "failed");
    free(big);
    void *volatile small = malloc((size_t)1 << 20);
    say("malloc(1 MiB): %s", small ? "ok" : "failed");
    free(small);
}

static void test_rlimit_as_stops_big_malloc(void **state)
{
    (void)state;
    if (!(rt_sandbox_features() & RT_SANDBOX_HAS_RLIMIT_AS)) {
        note_skip("RLIMIT_AS stops a big malloc");
        skip();
    }
    rt_sandbox_limits l = defaults();
    l.memory_bytes = (int64_t)512 << 20;
    outcome out;
    run_sandboxed(&l, NULL, big_malloc, NULL, 10000, &out);
    assert_report(&out, "malloc(1 GiB): failed\n"
                        "malloc(1 MiB): ok\n");
    /* Without the limit the same allocation succeeds (memory is only reserved). */
    l.memory_bytes = 0;
    run_sandboxed(&l, NULL, big_malloc, NULL, 10000, &out);
    assert_report(&out, "malloc(1 GiB): ok\n"
                        "malloc(1 MiB): ok\n");
}

static void spin_forever(void *arg)
{
    (void)arg;
    say("spinning");
    volatile unsigned long spin = 0;
    for (;;)
        spin = spin + 1;
}

static double children_cpu_seconds(void)
{
    struct rusage ru;
    assert_int_equal(getrusage(RUSAGE_CHILDREN, &ru), 0);
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
           (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static void test_rlimit_cpu_kills_spinner(void **state)
{
    (void)state;
    rt_sandbox_limits l = defaults();
    l.cpu_seconds = 1;
    double before = children_cpu_seconds();
    outcome out;
    run_sandboxed(&l, NULL, spin_forever, NULL, 10000, &out);
    double used = children_cpu_seconds() - before;
    assert_false(out.timed_out);
    assert_string_equal(out.report, "spinning\n");
    assert_true(WIFSIGNALED(out.status));
    int sig = WTERMSIG(out.status);
    assert_true(sig == SIGXCPU || sig == SIGKILL);
    print_message("note: spinning child killed by %s after %.2f s of CPU (limit 1 s)\n",
                  sig == SIGXCPU ? "SIGXCPU" : "SIGKILL", used);
    assert_true(used >= 0.5 && used < 1.6);
}

/* ---- processes, threads, signals ---------------------------------------------------------- */

static void *thread_main(void *arg)
{
    return (char *)arg + 1;
}

static void try_thread(void)
{
    static char token[2];
    pthread_t t;
    int rc = pthread_create(&t, NULL, thread_main, token);
    void *ret = NULL;
    if (rc == 0)
        rc = pthread_join(t, &ret);
    say("pthread_create+join: %s", rc != 0 ? errname(rc) : ret == token + 1 ? "ok" : "wrong");
}

static void try_processes(void *arg)
{
    (void)arg;
    errno = 0;
    pid_t pid = fork();
    if (pid == 0)
        _exit(0);
    said("fork()", pid);
    if (pid > 0)
        waitpid(pid, NULL, 0);
#ifdef SYS_fork
    errno = 0;
    long raw = syscall(SYS_fork);
    if (raw == 0)
        _exit(0);
    said("syscall(SYS_fork)", raw);
#else
    say("syscall(SYS_fork): EPERM");
#endif
    char *argv[] = {(char *)"true", NULL};
    pid_t child;
    int rc = posix_spawn(&child, "/bin/true", NULL, NULL, argv, environ);
    say("posix_spawn(/bin/true): %s", rc ? errname(rc) : "ok");
    if (rc == 0)
        waitpid(child, NULL, 0);
#ifdef SYS_clone3
    TRY("clone3", syscall(SYS_clone3, NULL, (size_t)0));
#else
    say("clone3: ENOSYS");
#endif
    TRY("ptrace(PTRACE_TRACEME)", ptrace(PTRACE_TRACEME, 0, NULL, NULL));
    try_thread();
}

static void test_processes_denied_threads_allowed(void **state)
{
    (void)state;
    if (!(rt_sandbox_features() & RT_SANDBOX_HAS_NO_PROCS)) {
        note_skip("fork/clone/ptrace denial");
        skip();
    }
    rt_sandbox_limits l = defaults();
    outcome out;
    run_sandboxed(&l, NULL, try_processes, NULL, 10000, &out);
    assert_report(&out, "fork(): EPERM\n"
                        "syscall(SYS_fork): EPERM\n"
                        "posix_spawn(/bin/true): EPERM\n"
                        "clone3: ENOSYS\n"
                        "ptrace(PTRACE_TRACEME): EPERM\n"
                        "pthread_create+join: ok\n");
}

static void thread_only(void *arg)
{
    (void)arg;
    try_thread();
}

/* Threads work in every build, the sanitizer ones included. */
static void test_threads_allowed(void **state)
{
    (void)state;
    rt_sandbox_limits l = defaults();
    outcome out;
    run_sandboxed(&l, NULL, thread_only, NULL, 10000, &out);
    assert_report(&out, "pthread_create+join: ok\n");
}

/* ---- cost --------------------------------------------------------------------------------- */

#define COST_RUNS 20

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* How long rt_sandbox_apply takes (limits and filter together), measured in the child. */
static void test_cost(void **state)
{
    (void)state;
    double us[COST_RUNS];
    for (int i = 0; i < COST_RUNS; i++) {
        int fds[2];
        assert_int_equal(pipe(fds), 0);
        fflush(NULL);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            close(fds[0]);
            rt_sandbox_limits l = defaults();
            l.memory_bytes = (int64_t)1 << 30;
            l.cpu_seconds = 10;
            rt_error err;
            struct timespec t0, t1;
            clock_gettime(CLOCK_MONOTONIC, &t0);
            ratchet_status st = rt_sandbox_apply(&l, &err);
            clock_gettime(CLOCK_MONOTONIC, &t1);
            double d = st == RATCHET_OK ? (double)(t1.tv_sec - t0.tv_sec) * 1e6 +
                                              (double)(t1.tv_nsec - t0.tv_nsec) / 1e3
                                        : -1.0;
            _exit(write(fds[1], &d, sizeof d) == (ssize_t)sizeof d ? 0 : 1);
        }
        close(fds[1]);
        outcome out;
        memset(&out, 0, sizeof out);
        assert_true(read_report(fds[0], 10000, &out));
        close(fds[0]);
        int status;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
        memcpy(&us[i], out.report, sizeof us[i]);
        assert_true(us[i] >= 0);
    }
    qsort(us, COST_RUNS, sizeof us[0], cmp_double);
    print_message("note: rt_sandbox_apply cost: median %.0f us, min %.0f us, max %.0f us "
                  "(%d forked children)\n",
                  us[COST_RUNS / 2], us[0], us[COST_RUNS - 1], COST_RUNS);
    assert_true(us[COST_RUNS / 2] < 50000.0); /* a sanity bound, not a benchmark */
}

int main(void)
{
    if (!(rt_sandbox_features() & RT_SANDBOX_HAS_NO_PROCS))
        print_message("note: sanitizer build: RLIMIT_AS and the fork/clone/ptrace denials are "
                      "not applied, and their checks are skipped\n");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rlimit_values),
        cmocka_unit_test(test_rlimit_as_stops_big_malloc),
        cmocka_unit_test(test_rlimit_cpu_kills_spinner),
        cmocka_unit_test(test_processes_denied_threads_allowed),
        cmocka_unit_test(test_threads_allowed),
        cmocka_unit_test(test_cost),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
