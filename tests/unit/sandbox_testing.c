/* tests/unit/sandbox_testing.c - what the sandbox tests share: a forked child that applies the
 * sandbox and reports one line per attempt. */
#define _GNU_SOURCE /* syscall(), prlimit(), unshare(), personality() for the attempts */
#include "sandbox_testing.h"

int report_fd = -1; /* in the child: the write end of the report pipe */

const char *errname(int e)
{
    static char other[32];
    switch (e) {
    case EPERM:
        return "EPERM";
    case ENOSYS:
        return "ENOSYS";
    case ENOMEM:
        return "ENOMEM";
    case EFBIG:
        return "EFBIG";
    case EMFILE:
        return "EMFILE";
    case ENOENT:
        return "ENOENT";
    case EACCES:
        return "EACCES";
    case EINVAL:
        return "EINVAL";
    case EFAULT:
        return "EFAULT";
    case ECONNREFUSED:
        return "ECONNREFUSED";
    default:
        snprintf(other, sizeof other, "errno %d", e);
        return other;
    }
}

void say(const char *fmt, ...) RATCHET_PRINTF(1, 2);

void say(const char *fmt, ...)
{
    char line[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line - 1, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    size_t len = (size_t)n < sizeof line - 2 ? (size_t)n : sizeof line - 2;
    line[len++] = '\n';
    if (write(report_fd, line, len) != (ssize_t)len)
        _exit(3);
}

/* Child: report "what: ok" or "what: <errno>" for a call returning -1 on failure. */
void said(const char *what, long rc)
{
    say("%s: %s", what, rc < 0 ? errname(errno) : "ok");
}

/* Parent: read the report until EOF or the deadline. Returns 0 when the deadline passed. */
int read_report(int fd, int deadline_ms, outcome *out)
{
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    size_t len = 0;
    for (;;) {
        clock_gettime(CLOCK_MONOTONIC, &now);
        long elapsed = (now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000;
        if (elapsed >= deadline_ms)
            return 0;
        struct pollfd p = {fd, POLLIN, 0};
        int rc = poll(&p, 1, (int)(deadline_ms - elapsed));
        if (rc <= 0)
            continue;
        ssize_t n = read(fd, out->report + len, sizeof out->report - 1 - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return 1;
        len += (size_t)n;
        out->report[len] = '\0';
        if (len == sizeof out->report - 1)
            return 1;
    }
}

/* Fork; in the child run `before` (may be NULL), apply `l`, run `after`, exit 0. The parent
 * collects the report and the exit status, killing the child at the deadline. */
void run_sandboxed(const rt_sandbox_limits *l, child_fn before, child_fn after, void *arg,
                   int deadline_ms, outcome *out)
{
    memset(out, 0, sizeof *out);
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    fflush(NULL); /* or buffered test output would be written twice */
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        report_fd = fds[1];
        if (before)
            before(arg);
        rt_error err;
        if (rt_sandbox_apply(l, &err) != RATCHET_OK) {
            say("rt_sandbox_apply failed: %s", err.msg);
            _exit(2);
        }
        after(arg);
        _exit(0);
    }
    close(fds[1]);
    if (!read_report(fds[0], deadline_ms, out)) {
        out->timed_out = 1;
        kill(pid, SIGKILL);
    }
    close(fds[0]);
    while (waitpid(pid, &out->status, 0) < 0 && errno == EINTR)
        ;
}

/* The child ran to the end (exit 0) and reported exactly `expected`. */
void assert_report(const outcome *out, const char *expected)
{
    assert_false(out->timed_out);
    assert_string_equal(out->report, expected);
    assert_true(WIFEXITED(out->status));
    assert_int_equal(WEXITSTATUS(out->status), 0);
}

rt_sandbox_limits defaults(void)
{
    rt_sandbox_limits l;
    rt_sandbox_limits_default(&l);
    return l;
}
