/* tests/unit/sandbox_testing.h - what the sandbox tests share: a forked child that applies the
 * sandbox and reports one line per attempt. */
#ifndef SANDBOX_TESTING_H
#define SANDBOX_TESTING_H

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

extern char **environ;

/* ---- the harness -------------------------------------------------------------------------- */

#define REPORT_MAX 8192

extern int report_fd;

extern void say(const char *fmt, ...) RATCHET_PRINTF(1, 2);

#define TRY(what, expr)                                                                            \
    do {                                                                                           \
        errno = 0;                                                                                 \
        said(what, (long)(expr));                                                                  \
    } while (0)

typedef void (*child_fn)(void *arg);

typedef struct outcome {
    char report[REPORT_MAX];
    int status; /* from waitpid */
    int timed_out;
} outcome;

const char *errname(int e);

void say(const char *fmt, ...);

/* Child: report "what: ok" or "what: <errno>" for a call returning -1 on failure. */
void said(const char *what, long rc);

/* Parent: read the report until EOF or the deadline. Returns 0 when the deadline passed. */
int read_report(int fd, int deadline_ms, outcome *out);

/* Fork; in the child run `before` (may be NULL), apply `l`, run `after`, exit 0. The parent
 * collects the report and the exit status, killing the child at the deadline. */
void run_sandboxed(const rt_sandbox_limits *l, child_fn before, child_fn after, void *arg,
                   int deadline_ms, outcome *out);

/* The child ran to the end (exit 0) and reported exactly `expected`. */
void assert_report(const outcome *out, const char *expected);

rt_sandbox_limits defaults(void);

#endif
