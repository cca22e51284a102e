/*
 * tests/unit/test_sandbox_caps.c - the sandbox drops every capability and sets no_new_privs
 * (issue 15), so a task child of a ratchet running as root can do no more than anyone's: it
 * cannot open a socket, exec, write a file or raise a limit, and what root's capabilities
 * would otherwise allow (reading a mode-000 file, binding port 80 with the network on, chown)
 * fails too. The root cases run only as root (they are skipped otherwise; CI runs as root).
 */
#define _DEFAULT_SOURCE /* syscall() */
#include "sandbox_testing.h"

#include <sys/prctl.h>

#include <linux/capability.h>
#include <linux/securebits.h>

static void report_caps(void *arg)
{
    (void)arg;
    struct __user_cap_header_struct hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3];
    memset(d, 0, sizeof d);
    if (syscall(SYS_capget, &hdr, d) != 0) {
        say("capget: %s", errname(errno));
        return;
    }
    say("effective: %x %x", d[0].effective, d[1].effective);
    say("permitted: %x %x", d[0].permitted, d[1].permitted);
    say("inheritable: %x %x", d[0].inheritable, d[1].inheritable);
    int bounding = 0;
    for (int cap = 0; cap <= 63; cap++) {
        int in = prctl(PR_CAPBSET_READ, (unsigned long)cap, 0, 0, 0);
        if (in < 0)
            break;
        bounding += in;
    }
    say("bounding set: %d capabilities", bounding);
    say("ambient CAP_NET_RAW: %d",
        prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, (unsigned long)CAP_NET_RAW, 0, 0) == 1);
    say("no_new_privs: %d", prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
}

/* Every set empty after the sandbox, whoever runs it. */
static void test_capabilities_dropped(void **state)
{
    (void)state;
    rt_sandbox_limits l = defaults();
    outcome out;
    run_sandboxed(&l, NULL, report_caps, NULL, 10000, &out);
    assert_report(&out, "effective: 0 0\n"
                        "permitted: 0 0\n"
                        "inheritable: 0 0\n"
                        "bounding set: 0 capabilities\n"
                        "ambient CAP_NET_RAW: 0\n"
                        "no_new_privs: 1\n");
}

static void skip_unless_root(void)
{
    if (geteuid() != 0) {
        print_message("skipped: needs root (the point is that root's powers are gone)\n");
        skip();
    }
}

typedef struct files {
    char secret[256]; /* mode 000, owned by root: only CAP_DAC_OVERRIDE opens it */
    char mine[256];   /* an existing file, for chown */
    char fresh[256];  /* does not exist */
} files;

static void make_files(files *f)
{
    const char *dir = getenv("RATCHET_TEST_TMP");
    snprintf(f->secret, sizeof f->secret, "%s/caps-secret-%d", dir ? dir : "/tmp", (int)getpid());
    snprintf(f->mine, sizeof f->mine, "%s/caps-mine-%d", dir ? dir : "/tmp", (int)getpid());
    snprintf(f->fresh, sizeof f->fresh, "%s/caps-fresh-%d", dir ? dir : "/tmp", (int)getpid());
    int fd = open(f->secret, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(chmod(f->secret, 0), 0);
    fd = open(f->mine, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(fd >= 0);
    close(fd);
    unlink(f->fresh);
}

static void remove_files(files *f)
{
    unlink(f->secret);
    unlink(f->mine);
    unlink(f->fresh);
}

/* A task as root, full sandbox: the four things issue 15 names. */
static void root_task(void *arg)
{
    files *f = arg;
    say("euid: %d", (int)geteuid());
    int s = socket(AF_INET, SOCK_STREAM, 0);
    said("socket(AF_INET)", s);
    if (s >= 0)
        close(s);
    char *argv[] = {"/bin/true", NULL};
    TRY("execve(/bin/true)", execve("/bin/true", argv, environ));
    int fd = open(f->fresh, O_WRONLY | O_CREAT | O_EXCL, 0600);
    said("open(new file, O_CREAT)", fd);
    if (fd >= 0)
        close(fd);
    struct rlimit r;
    getrlimit(RLIMIT_NOFILE, &r);
    r.rlim_cur = r.rlim_max = r.rlim_max + 1024;
    TRY("setrlimit(RLIMIT_NOFILE, raised)", setrlimit(RLIMIT_NOFILE, &r));
    TRY("prlimit64(RLIMIT_NOFILE, raised)", syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, &r, NULL));
}

static void test_root_task_confined(void **state)
{
    (void)state;
    skip_unless_root();
    files f;
    make_files(&f);
    rt_sandbox_limits l = defaults();
    outcome out;
    run_sandboxed(&l, NULL, root_task, &f, 10000, &out);
    struct stat st;
    int created = stat(f.fresh, &st) == 0;
    remove_files(&f);
    assert_false(created);
    assert_report(&out, "euid: 0\n"
                        "socket(AF_INET): EPERM\n"
                        "execve(/bin/true): EPERM\n"
                        "open(new file, O_CREAT): EPERM\n"
                        "setrlimit(RLIMIT_NOFILE, raised): EPERM\n"
                        "prlimit64(RLIMIT_NOFILE, raised): EPERM\n");
}

/* With the filter's groups off, what is left is the capabilities: as root without them,
 * the calls that need one fail with the kernel's own answer. */
static void root_without_caps(void *arg)
{
    files *f = arg;
    int fd = open(f->secret, O_RDONLY);
    said("open(mode 000 file)", fd); /* CAP_DAC_OVERRIDE */
    if (fd >= 0)
        close(fd);
    TRY("chown(file, 1, 1)", chown(f->mine, 1, 1)); /* CAP_CHOWN */
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons(80);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    TRY("bind(127.0.0.1:80)", bind(s, (struct sockaddr *)&a, sizeof a)); /* NET_BIND_SERVICE */
    close(s);
    int raw = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
    said("socket(SOCK_RAW)", raw); /* CAP_NET_RAW */
    if (raw >= 0)
        close(raw);
    TRY("prctl(PR_SET_SECUREBITS, 0)", prctl(PR_SET_SECUREBITS, 0, 0, 0, 0)); /* CAP_SETPCAP */
}

static void test_root_capabilities_gone(void **state)
{
    (void)state;
    skip_unless_root();
    files f;
    make_files(&f);
    rt_sandbox_limits l = defaults();
    l.no_network = l.no_exec = l.no_new_files = 0;
    outcome out;
    run_sandboxed(&l, NULL, root_without_caps, &f, 10000, &out);
    struct stat st;
    assert_int_equal(stat(f.mine, &st), 0);
    remove_files(&f);
    assert_int_equal(st.st_uid, 0); /* chown did not happen */
    assert_report(&out, "open(mode 000 file): EACCES\n"
                        "chown(file, 1, 1): EPERM\n"
                        "bind(127.0.0.1:80): EACCES\n"
                        "socket(SOCK_RAW): EPERM\n"
                        "prctl(PR_SET_SECUREBITS, 0): EPERM\n");
}

/* The function on its own, as a process that is not otherwise sandboxed would call it. */
static void test_drop_caps_alone(void **state)
{
    (void)state;
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        rt_error err;
        if (rt_sandbox_drop_caps(&err) != RATCHET_OK)
            _exit(2);
        struct __user_cap_header_struct hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
        struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3];
        memset(d, 0, sizeof d);
        _exit(syscall(SYS_capget, &hdr, d) == 0 && !d[0].effective && !d[0].permitted &&
                      !d[1].effective && !d[1].permitted
                  ? 0
                  : 3);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_capabilities_dropped),
        cmocka_unit_test(test_root_task_confined),
        cmocka_unit_test(test_root_capabilities_gone),
        cmocka_unit_test(test_drop_caps_alone),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
