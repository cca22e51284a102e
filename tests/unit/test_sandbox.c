/* tests/unit/test_sandbox.c - rt_sandbox_apply. Each case forks a child that applies the
 * sandbox, tries forbidden and still-allowed things, and reports one line per attempt over an
 * inherited pipe ("socket(AF_INET): EPERM"); the parent compares the report and how the child
 * ended. Cases with the restriction switched off show that the checks can fail. */
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

extern char **environ;

/* ---- the harness -------------------------------------------------------------------------- */

#define REPORT_MAX 8192

static int report_fd = -1; /* in the child: the write end of the report pipe */

static const char *errname(int e)
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

/* Child: append one line to the report. */
static void say(const char *fmt, ...) RATCHET_PRINTF(1, 2);
static void say(const char *fmt, ...)
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
static void said(const char *what, long rc)
{
    say("%s: %s", what, rc < 0 ? errname(errno) : "ok");
}
#define TRY(what, expr)                                                                            \
    do {                                                                                           \
        errno = 0;                                                                                 \
        said(what, (long)(expr));                                                                  \
    } while (0)
/* For calls that return a descriptor, which is closed again. */
#define TRY_FD(what, expr)                                                                         \
    do {                                                                                           \
        errno = 0;                                                                                 \
        int fd_ = (expr);                                                                          \
        said(what, fd_);                                                                           \
        if (fd_ >= 0)                                                                              \
            close(fd_);                                                                            \
    } while (0)

typedef void (*child_fn)(void *arg);

typedef struct outcome {
    char report[REPORT_MAX];
    int status; /* from waitpid */
    int timed_out;
} outcome;

/* Parent: read the report until EOF or the deadline. Returns 0 when the deadline passed. */
static int read_report(int fd, int deadline_ms, outcome *out)
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
static void run_sandboxed(const rt_sandbox_limits *l, child_fn before, child_fn after, void *arg,
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
static void assert_report(const outcome *out, const char *expected)
{
    assert_false(out->timed_out);
    assert_string_equal(out->report, expected);
    assert_true(WIFEXITED(out->status));
    assert_int_equal(WEXITSTATUS(out->status), 0);
}

static rt_sandbox_limits defaults(void)
{
    rt_sandbox_limits l;
    rt_sandbox_limits_default(&l);
    return l;
}

static void note_skip(const char *what)
{
    print_message("note: %s: skipped in this (sanitizer) build, which does not enforce it\n", what);
}

/* ---- network ------------------------------------------------------------------------------ */

typedef struct net_fds {
    int tcp, udp, unix_stream;
} net_fds;

static struct sockaddr_in loopback(unsigned short port)
{
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
}

/* Before the sandbox: sockets a child might have inherited. */
static void open_sockets(void *arg)
{
    net_fds *s = arg;
    s->tcp = socket(AF_INET, SOCK_STREAM, 0);
    s->udp = socket(AF_INET, SOCK_DGRAM, 0);
    s->unix_stream = socket(AF_UNIX, SOCK_STREAM, 0);
    if (s->tcp < 0 || s->udp < 0 || s->unix_stream < 0)
        _exit(4);
}

static void try_network(void *arg)
{
    net_fds *s = arg;
    TRY_FD("socket(AF_INET)", socket(AF_INET, SOCK_STREAM, 0));
    TRY_FD("socket(AF_INET6)", socket(AF_INET6, SOCK_DGRAM, 0));
    TRY_FD("socket(AF_NETLINK)", socket(AF_NETLINK, SOCK_RAW, 0));
    TRY_FD("socket(AF_PACKET)", socket(AF_PACKET, SOCK_RAW, 0));
    TRY_FD("socket(AF_UNIX)", socket(AF_UNIX, SOCK_STREAM, 0));
    int pair[2];
    TRY("socketpair(AF_INET)", socketpair(AF_INET, SOCK_STREAM, 0, pair));
    TRY("socketpair(AF_UNIX)", socketpair(AF_UNIX, SOCK_STREAM, 0, pair));
    struct sockaddr_in port1 = loopback(1), any = loopback(0);
    TRY("connect(tcp 127.0.0.1:1)", connect(s->tcp, (struct sockaddr *)&port1, sizeof port1));
    struct sockaddr_un un;
    memset(&un, 0, sizeof un);
    un.sun_family = AF_UNIX;
    strcpy(un.sun_path, "/nonexistent-ratchet-socket");
    TRY("connect(unix)", connect(s->unix_stream, (struct sockaddr *)&un, sizeof un));
    TRY("bind(udp 127.0.0.1:0)", bind(s->udp, (struct sockaddr *)&any, sizeof any));
    TRY("listen(tcp)", listen(s->tcp, 1));
    TRY("sendto(udp 127.0.0.1:1)",
        sendto(s->udp, "x", 1, 0, (struct sockaddr *)&port1, sizeof port1));
    /* The pair is connected: plain send/recv (sendto without an address) keeps working. */
    char c = 0;
    TRY("send(pair)", send(pair[0], "y", 1, 0));
    TRY("recv(pair)", recv(pair[1], &c, 1, 0));
    say("received: %c", c);
}

static void test_network_denied(void **state)
{
    (void)state;
    rt_sandbox_limits l = defaults();
    net_fds s;
    outcome out;
    run_sandboxed(&l, open_sockets, try_network, &s, 10000, &out);
    assert_report(&out, "socket(AF_INET): EPERM\n"
                        "socket(AF_INET6): EPERM\n"
                        "socket(AF_NETLINK): EPERM\n"
                        "socket(AF_PACKET): EPERM\n"
                        "socket(AF_UNIX): EPERM\n"
                        "socketpair(AF_INET): EPERM\n"
                        "socketpair(AF_UNIX): ok\n"
                        "connect(tcp 127.0.0.1:1): EPERM\n"
                        "connect(unix): EPERM\n"
                        "bind(udp 127.0.0.1:0): EPERM\n"
                        "listen(tcp): EPERM\n"
                        "sendto(udp 127.0.0.1:1): EPERM\n"
                        "send(pair): ok\n"
                        "recv(pair): ok\n"
                        "received: y\n");
}

static void try_network_basic(void *arg)
{
    net_fds *s = arg;
    TRY_FD("socket(AF_INET)", socket(AF_INET, SOCK_STREAM, 0));
    TRY_FD("socket(AF_UNIX)", socket(AF_UNIX, SOCK_STREAM, 0));
    struct sockaddr_in port1 = loopback(1);
    TRY("connect(tcp 127.0.0.1:1)", connect(s->tcp, (struct sockaddr *)&port1, sizeof port1));
}

/* With no_network off the same calls reach the kernel: the denials above are the filter's. */
static void test_network_allowed_when_off(void **state)
{
    (void)state;
    rt_sandbox_limits l = defaults();
    l.no_network = 0;
    net_fds s;
    outcome out;
    run_sandboxed(&l, open_sockets, try_network_basic, &s, 10000, &out);
    assert_report(&out, "socket(AF_INET): ok\n"
                        "socket(AF_UNIX): ok\n"
                        "connect(tcp 127.0.0.1:1): ECONNREFUSED\n");
}

/* ---- exec --------------------------------------------------------------------------------- */

static void try_exec(void *arg)
{
    (void)arg;
    char *argv[] = {(char *)"true", NULL};
    TRY("execve(/bin/true)", execve("/bin/true", argv, environ));
#ifdef SYS_execveat
    TRY("execveat(/bin/true)", syscall(SYS_execveat, AT_FDCWD, "/bin/true", argv, environ, 0));
#else
    say("execveat(/bin/true): EPERM");
#endif
}

static void test_exec_denied(void **state)
{
    (void)state;
    rt_sandbox_limits l = defaults();
    outcome out;
    run_sandboxed(&l, NULL, try_exec, NULL, 10000, &out);
    assert_report(&out, "execve(/bin/true): EPERM\n"
                        "execveat(/bin/true): EPERM\n");
}

/* ---- files -------------------------------------------------------------------------------- */

typedef struct file_paths {
    char dir[512], existing[600], fresh[600], sub[600];
} file_paths;

/* A fresh directory under RATCHET_TEST_TMP holding one file, "existing", containing "keep". */
static file_paths make_paths(void)
{
    file_paths p;
    const char *tmp = getenv("RATCHET_TEST_TMP");
    snprintf(p.dir, sizeof p.dir, "%s/sandbox-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    assert_non_null(mkdtemp(p.dir));
    snprintf(p.existing, sizeof p.existing, "%s/existing", p.dir);
    snprintf(p.fresh, sizeof p.fresh, "%s/fresh", p.dir);
    snprintf(p.sub, sizeof p.sub, "%s/sub", p.dir);
    FILE *f = fopen(p.existing, "w");
    assert_non_null(f);
    fputs("keep", f);
    assert_int_equal(fclose(f), 0);
    return p;
}

static void remove_paths(const file_paths *p)
{
    unlink(p->existing);
    unlink(p->fresh);
    rmdir(p->sub);
    assert_int_equal(rmdir(p->dir), 0);
}

static void try_fopen(const char *what, const char *path, const char *mode)
{
    errno = 0;
    FILE *f = fopen(path, mode);
    say("%s: %s", what, f ? "ok" : errname(errno));
    if (f)
        fclose(f);
}

static void try_files(void *arg)
{
    const file_paths *p = arg;
    TRY_FD("open(fresh, O_WRONLY|O_CREAT)", open(p->fresh, O_WRONLY | O_CREAT, 0600));
    try_fopen("fopen(fresh, w)", p->fresh, "w");
    try_fopen("fopen(fresh, a)", p->fresh, "a");
    try_fopen("fopen(existing, r+)", p->existing, "r+");
    TRY_FD("open(existing, O_RDWR)", open(p->existing, O_RDWR));
    TRY_FD("open(existing, O_WRONLY)", open(p->existing, O_WRONLY));
    TRY_FD("open(existing, O_RDONLY|O_TRUNC)", open(p->existing, O_RDONLY | O_TRUNC));
    TRY_FD("open(/proc/self/mem, O_RDWR)", open("/proc/self/mem", O_RDWR));
    TRY_FD("creat(fresh)", creat(p->fresh, 0600));
#ifdef SYS_openat2
    TRY("openat2", syscall(SYS_openat2, AT_FDCWD, p->fresh, NULL, 0));
#else
    say("openat2: ENOSYS");
#endif
    TRY("mkdir(sub)", mkdir(p->sub, 0700));
    TRY("unlink(existing)", unlink(p->existing));
    TRY("rename(existing, fresh)", rename(p->existing, p->fresh));
    TRY("link(existing, fresh)", link(p->existing, p->fresh));
    TRY("symlink(existing, fresh)", symlink(p->existing, p->fresh));
    TRY("chmod(existing)", chmod(p->existing, 0777));
    TRY("truncate(existing)", truncate(p->existing, 0));
    /* Reading stays allowed. */
    char buf[64];
    int fd = open("/etc/hostname", O_RDONLY);
    say("read(/etc/hostname): %s", fd >= 0 && read(fd, buf, sizeof buf) > 0 ? "ok" : "failed");
    if (fd >= 0)
        close(fd);
    FILE *f = fopen(p->existing, "r");
    say("fopen(existing, r): %s", f && fgets(buf, sizeof buf, f) ? buf : "failed");
    if (f)
        fclose(f);
}

static void test_new_files_denied(void **state)
{
    (void)state;
    file_paths p = make_paths();
    struct stat st;
    assert_int_equal(stat(p.existing, &st), 0);
    mode_t mode = st.st_mode;
    rt_sandbox_limits l = defaults();
    outcome out;
    run_sandboxed(&l, NULL, try_files, &p, 10000, &out);
    assert_report(&out, "open(fresh, O_WRONLY|O_CREAT): EPERM\n"
                        "fopen(fresh, w): EPERM\n"
                        "fopen(fresh, a): EPERM\n"
                        "fopen(existing, r+): EPERM\n"
                        "open(existing, O_RDWR): EPERM\n"
                        "open(existing, O_WRONLY): EPERM\n"
                        "open(existing, O_RDONLY|O_TRUNC): EPERM\n"
                        "open(/proc/self/mem, O_RDWR): EPERM\n"
                        "creat(fresh): EPERM\n"
                        "openat2: ENOSYS\n"
                        "mkdir(sub): EPERM\n"
                        "unlink(existing): EPERM\n"
                        "rename(existing, fresh): EPERM\n"
                        "link(existing, fresh): EPERM\n"
                        "symlink(existing, fresh): EPERM\n"
                        "chmod(existing): EPERM\n"
                        "truncate(existing): EPERM\n"
                        "read(/etc/hostname): ok\n"
                        "fopen(existing, r): keep\n");
    /* Nothing was created or changed. */
    assert_int_equal(stat(p.fresh, &st), -1);
    assert_int_equal(stat(p.sub, &st), -1);
    assert_int_equal(stat(p.existing, &st), 0);
    assert_int_equal(st.st_size, 4);
    assert_int_equal(st.st_mode, mode);
    remove_paths(&p);
}

static void try_create(void *arg)
{
    const file_paths *p = arg;
    TRY_FD("open(fresh, O_WRONLY|O_CREAT)", open(p->fresh, O_WRONLY | O_CREAT, 0600));
}

static void test_new_files_allowed_when_off(void **state)
{
    (void)state;
    file_paths p = make_paths();
    rt_sandbox_limits l = defaults();
    l.no_new_files = 0;
    outcome out;
    run_sandboxed(&l, NULL, try_create, &p, 10000, &out);
    assert_report(&out, "open(fresh, O_WRONLY|O_CREAT): ok\n");
    struct stat st;
    assert_int_equal(stat(p.fresh, &st), 0);
    remove_paths(&p);
}

/* ---- inherited descriptors ---------------------------------------------------------------- */

static void write_pipe(void *arg)
{
    (void)arg;
    /* The report pipe is inherited: several writes of a result-sized reply go through. */
    for (int i = 0; i < 3; i++)
        say("line %d written to the inherited pipe", i);
}

static void test_inherited_pipe_writable(void **state)
{
    (void)state;
    rt_sandbox_limits l = defaults();
    outcome out;
    run_sandboxed(&l, NULL, write_pipe, NULL, 10000, &out);
    assert_report(&out, "line 0 written to the inherited pipe\n"
                        "line 1 written to the inherited pipe\n"
                        "line 2 written to the inherited pipe\n");
}

typedef struct fsize_case {
    int fd;
} fsize_case;

static void write_past_fsize(void *arg)
{
    const fsize_case *c = arg;
    static char block[4096];
    memset(block, 'x', sizeof block);
    errno = 0;
    ssize_t n = write(c->fd, block, sizeof block);
    say("write 4096: %zd", n);
    TRY("write 1 more", write(c->fd, "x", 1));
    say("still alive");
}

/* RLIMIT_FSIZE bounds an inherited regular file (a log on stderr); the write past it fails
 * with EFBIG instead of SIGXFSZ killing the child. */
static void test_fsize_inherited_file(void **state)
{
    (void)state;
    file_paths p = make_paths();
    fsize_case c = {open(p.existing, O_WRONLY | O_TRUNC)};
    assert_true(c.fd >= 0);
    rt_sandbox_limits l = defaults();
    l.max_file_bytes = 4096;
    outcome out;
    run_sandboxed(&l, NULL, write_past_fsize, &c, 10000, &out);
    close(c.fd);
    assert_report(&out, "write 4096: 4096\n"
                        "write 1 more: EFBIG\n"
                        "still alive\n");
    struct stat st;
    assert_int_equal(stat(p.existing, &st), 0);
    assert_int_equal(st.st_size, 4096);
    remove_paths(&p);
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

static volatile sig_atomic_t got_usr1;

static void on_usr1(int sig)
{
    (void)sig;
    got_usr1 = 1;
}

static void try_signals(void *arg)
{
    (void)arg;
    TRY("kill(parent, 0)", kill(getppid(), 0));
    TRY("kill(0, 0)", kill(0, 0)); /* the process group, parent included */
    TRY("kill(1, 0)", kill(1, 0));
    TRY("kill(self, 0)", kill(getpid(), 0));
    signal(SIGUSR1, on_usr1);
    TRY("raise(SIGUSR1)", raise(SIGUSR1));
    say("handler ran: %d", (int)got_usr1);
}

static void test_signals_only_to_self(void **state)
{
    (void)state;
    rt_sandbox_limits l = defaults();
    outcome out;
    run_sandboxed(&l, NULL, try_signals, NULL, 10000, &out);
    assert_report(&out, "kill(parent, 0): EPERM\n"
                        "kill(0, 0): EPERM\n"
                        "kill(1, 0): EPERM\n"
                        "kill(self, 0): ok\n"
                        "raise(SIGUSR1): ok\n"
                        "handler ran: 1\n");
}

static void try_kernel_surface(void *arg)
{
    (void)arg;
    TRY("umount2", umount2("/nonexistent-ratchet-sandbox", 0));
    TRY("unshare(0)", unshare(0));
    TRY("personality(query)", personality(0xffffffff));
#ifdef SYS_io_uring_setup
    TRY("io_uring_setup", syscall(SYS_io_uring_setup, 1, NULL));
#else
    say("io_uring_setup: ENOSYS");
#endif
    TRY("process_vm_readv", process_vm_readv(getppid(), NULL, 0, NULL, 0, 0));
}

static void test_kernel_surface_denied(void **state)
{
    (void)state;
    rt_sandbox_limits l = defaults();
    outcome out;
    run_sandboxed(&l, NULL, try_kernel_surface, NULL, 10000, &out);
    assert_report(&out, "umount2: EPERM\n"
                        "unshare(0): EPERM\n"
                        "personality(query): EPERM\n"
                        "io_uring_setup: ENOSYS\n"
                        "process_vm_readv: EPERM\n");
}

/* ---- other ABIs (x86_64) ------------------------------------------------------------------ */

#if defined(__x86_64__)
static void i386_getpid(void *arg)
{
    (void)arg;
    say("before");
    long ret;
    __asm__ volatile("int $0x80" : "=a"(ret) : "a"(20L) : "memory"); /* i386 getpid */
    say("i386 getpid returned %ld", ret);
}

static void x32_getpid(void *arg)
{
    (void)arg;
    say("before");
    errno = 0;
    long ret = syscall(0x40000000L | SYS_getpid);
    say("x32 getpid returned %ld (%s)", ret, errname(errno));
}

static void test_foreign_abi_killed(void **state)
{
    (void)state;
    rt_sandbox_limits l = defaults();
    outcome out;
    run_sandboxed(&l, NULL, i386_getpid, NULL, 10000, &out);
    assert_string_equal(out.report, "before\n");
    assert_true(WIFSIGNALED(out.status));
    assert_int_equal(WTERMSIG(out.status), SIGSYS);
    run_sandboxed(&l, NULL, x32_getpid, NULL, 10000, &out);
    assert_string_equal(out.report, "before\n");
    assert_true(WIFSIGNALED(out.status));
    assert_int_equal(WTERMSIG(out.status), SIGSYS);
}
#else
static void test_foreign_abi_killed(void **state)
{
    (void)state;
    print_message("note: foreign-ABI check is for x86_64 only\n");
    skip();
}
#endif

/* ---- the API ------------------------------------------------------------------------------ */

static int seccomp_mode(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    assert_non_null(f);
    char line[256];
    int mode = -1;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "Seccomp: %d", &mode) == 1)
            break;
    fclose(f);
    return mode;
}

/* Bad limits are rejected before anything changes, so this runs in the test process. */
static void test_bad_limits_rejected(void **state)
{
    (void)state;
    rt_error err;
    assert_int_equal(rt_sandbox_apply(NULL, &err), RATCHET_ERR);
    assert_string_equal(err.msg, "sandbox: no limits given");
    rt_sandbox_limits l = defaults();
    l.memory_bytes = -1;
    assert_int_equal(rt_sandbox_apply(&l, &err), RATCHET_ERR);
    assert_string_equal(err.msg, "sandbox: negative limit (memory -1, cpu 0 s, files 64, file "
                                 "size 67108864); 0 means unchanged");
    l = defaults();
    l.max_open_files = 3;
    assert_int_equal(rt_sandbox_apply(&l, &err), RATCHET_ERR);
    assert_string_equal(err.msg, "sandbox: max_open_files 3 is below 4");
    l.max_open_files = (int64_t)1 << 40;
    assert_int_equal(rt_sandbox_apply(&l, &err), RATCHET_ERR);
    assert_string_equal(err.msg, "sandbox: max_open_files 1099511627776 exceeds 1048576");
    assert_int_equal(seccomp_mode(), 0);
}

static void test_defaults(void **state)
{
    (void)state;
    rt_sandbox_limits l = defaults();
    assert_int_equal(l.memory_bytes, 0);
    assert_int_equal(l.cpu_seconds, 0);
    assert_int_equal(l.max_open_files, 64);
    assert_int_equal(l.max_file_bytes, 64 << 20);
    assert_true(l.no_network && l.no_exec && l.no_new_files);
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
        cmocka_unit_test(test_network_denied),
        cmocka_unit_test(test_network_allowed_when_off),
        cmocka_unit_test(test_exec_denied),
        cmocka_unit_test(test_new_files_denied),
        cmocka_unit_test(test_new_files_allowed_when_off),
        cmocka_unit_test(test_inherited_pipe_writable),
        cmocka_unit_test(test_fsize_inherited_file),
        cmocka_unit_test(test_rlimit_values),
        cmocka_unit_test(test_rlimit_as_stops_big_malloc),
        cmocka_unit_test(test_rlimit_cpu_kills_spinner),
        cmocka_unit_test(test_processes_denied_threads_allowed),
        cmocka_unit_test(test_threads_allowed),
        cmocka_unit_test(test_signals_only_to_self),
        cmocka_unit_test(test_kernel_surface_denied),
        cmocka_unit_test(test_foreign_abi_killed),
        cmocka_unit_test(test_bad_limits_rejected),
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_cost),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
