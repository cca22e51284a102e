/* tests/unit/test_sandbox.c - rt_sandbox_apply. Each case forks a child that applies the
 * sandbox, tries forbidden and still-allowed things, and reports one line per attempt over an
 * inherited pipe ("socket(AF_INET): EPERM"); the parent compares the report and how the child
 * ended. Cases with the restriction switched off show that the checks can fail. Resource
 * limits, processes and threads are in test_sandbox_limits.c. */
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

/* For calls that return a descriptor, which is closed again. */
#define TRY_FD(what, expr)                                                                         \
    do {                                                                                           \
        errno = 0;                                                                                 \
        int fd_ = (expr);                                                                          \
        said(what, fd_);                                                                           \
        if (fd_ >= 0)                                                                              \
            close(fd_);                                                                            \
    } while (0)

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
        cmocka_unit_test(test_signals_only_to_self),
        cmocka_unit_test(test_kernel_surface_denied),
        cmocka_unit_test(test_foreign_abi_killed),
        cmocka_unit_test(test_bad_limits_rejected),
        cmocka_unit_test(test_defaults),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
