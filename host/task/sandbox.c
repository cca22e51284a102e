/* host/task/sandbox.c - resource limits, no_new_privs and a seccomp filter for task children (see
 * sandbox.h for the policy). */
#include "sandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/sched.h> /* CLONE_THREAD without _GNU_SOURCE */
#include <seccomp.h>

/* AddressSanitizer and ThreadSanitizer reserve terabytes of address space for their shadow
 * memory, and LeakSanitizer stops the world at exit with a non-thread clone plus ptrace: in
 * such builds RLIMIT_AS and the process-creation denials would break the process itself. */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define RT_SANDBOX_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) ||                         \
    __has_feature(memory_sanitizer)
#define RT_SANDBOX_SANITIZED 1
#endif
#endif
#ifndef RT_SANDBOX_SANITIZED
#define RT_SANDBOX_SANITIZED 0
#endif

/* clone's flags are its first argument everywhere except s390, where the stack comes first. */
#if defined(__s390__) || defined(__s390x__)
#define RT_CLONE_FLAGS_ARG 1
#else
#define RT_CLONE_FLAGS_ARG 0
#endif

/* Largest accepted values: beyond these a setting is a mistake, not a limit. */
#define RT_SANDBOX_MAX_FILES ((int64_t)1 << 20)

unsigned rt_sandbox_features(void)
{
    return RT_SANDBOX_SANITIZED ? 0u : RT_SANDBOX_HAS_RLIMIT_AS | RT_SANDBOX_HAS_NO_PROCS;
}

void rt_sandbox_limits_default(rt_sandbox_limits *l)
{
    memset(l, 0, sizeof *l);
    l->max_open_files = 64;
    l->max_file_bytes = (int64_t)64 << 20;
    l->no_network = 1;
    l->no_exec = 1;
    l->no_new_files = 1;
}

/* ---- resource limits ---------------------------------------------------------------------- */

/* Set soft limit `soft` and hard limit `hard` on `res`, never above the current hard limit
 * (raising it needs CAP_SYS_RESOURCE and is never what a sandbox wants). */
static ratchet_status set_limit(int res, const char *name, rlim_t soft, rlim_t hard, rt_error *err)
{
    struct rlimit cur;
    if (getrlimit(res, &cur) != 0)
        return rt_fail(err, "getrlimit(%s) failed: %s", name, strerror(errno));
    if (cur.rlim_max != RLIM_INFINITY && hard > cur.rlim_max)
        hard = cur.rlim_max;
    if (soft > hard)
        soft = hard;
    struct rlimit want = {soft, hard};
    if (setrlimit(res, &want) != 0)
        return rt_fail(err, "setrlimit(%s, %llu) failed: %s", name, (unsigned long long)soft,
                       strerror(errno));
    return RATCHET_OK;
}

/* The RLIMIT_CPU value `seconds` from now: CPU already used is added, to the nearest second
 * (the limit's granularity), so a fresh child gets exactly `seconds`. */
static rlim_t cpu_limit_from_now(int64_t seconds)
{
    struct rusage ru;
    long long us = 0;
    if (getrusage(RUSAGE_SELF, &ru) == 0)
        us = ((long long)ru.ru_utime.tv_sec + (long long)ru.ru_stime.tv_sec) * 1000000 +
             (long long)ru.ru_utime.tv_usec + (long long)ru.ru_stime.tv_usec;
    return (rlim_t)((us + 500000) / 1000000) + (rlim_t)seconds;
}

/* The stack the main thread may grow to: the executor runs deep recursion on it (MuJS built
 * with raised limits needs up to 32 MiB, 64 MiB under sanitizers; executor-mujs/mujs_lib.h)
 * rather than starting a thread per execution. Raised here because the filter forbids it
 * later; only pages the recursion touches are used. */
#define RT_SANDBOX_STACK ((rlim_t)80 * 1024 * 1024)

static ratchet_status apply_rlimits(const rt_sandbox_limits *l, rt_error *err)
{
    if (set_limit(RLIMIT_CORE, "RLIMIT_CORE", 0, 0, err) != RATCHET_OK)
        return RATCHET_ERR;
    struct rlimit stack;
    if (getrlimit(RLIMIT_STACK, &stack) == 0 && stack.rlim_cur != RLIM_INFINITY &&
        stack.rlim_cur < RT_SANDBOX_STACK &&
        set_limit(RLIMIT_STACK, "RLIMIT_STACK", RT_SANDBOX_STACK, stack.rlim_max, err) !=
            RATCHET_OK)
        return RATCHET_ERR;
#if !RT_SANDBOX_SANITIZED
    if (l->memory_bytes > 0 && set_limit(RLIMIT_AS, "RLIMIT_AS", (rlim_t)l->memory_bytes,
                                         (rlim_t)l->memory_bytes, err) != RATCHET_OK)
        return RATCHET_ERR;
#endif
    if (l->cpu_seconds > 0) {
        /* SIGXCPU at the soft limit (fatal by default), SIGKILL at the hard one should the
         * process catch or ignore SIGXCPU. */
        rlim_t soft = cpu_limit_from_now(l->cpu_seconds);
        if (set_limit(RLIMIT_CPU, "RLIMIT_CPU", soft, soft + 1, err) != RATCHET_OK)
            return RATCHET_ERR;
    }
    if (l->max_open_files > 0 &&
        set_limit(RLIMIT_NOFILE, "RLIMIT_NOFILE", (rlim_t)l->max_open_files,
                  (rlim_t)l->max_open_files, err) != RATCHET_OK)
        return RATCHET_ERR;
    if (l->max_file_bytes > 0) {
        /* A write past the limit then fails with EFBIG, which host code reports, instead of
         * SIGXFSZ killing the process mid-reply. */
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = SIG_IGN;
        sigemptyset(&sa.sa_mask);
        if (sigaction(SIGXFSZ, &sa, NULL) != 0)
            return rt_fail(err, "ignoring SIGXFSZ failed: %s", strerror(errno));
        if (set_limit(RLIMIT_FSIZE, "RLIMIT_FSIZE", (rlim_t)l->max_file_bytes,
                      (rlim_t)l->max_file_bytes, err) != RATCHET_OK)
            return RATCHET_ERR;
    }
    return RATCHET_OK;
}

/* ---- the seccomp filter ------------------------------------------------------------------- */

/* Which setting switches a rule on. */
enum rule_group { G_ALWAYS, G_PROCS, G_NETWORK, G_EXEC, G_FILES };

/* An unconditional denial. */
typedef struct deny_rule {
    const char *syscall;
    unsigned char group;
    unsigned char enosys;   /* ENOSYS instead of EPERM: callers (libc) fall back or give up
                             * as on an older kernel */
    unsigned char optional; /* unknown to older libseccomp releases: skipped there */
} deny_rule;

static const deny_rule deny_rules[] = {
    /* Kernel attack surface no task needs (most also need privileges we do not have). */
    {"mount", G_ALWAYS, 0, 0},
    {"umount", G_ALWAYS, 0, 0},
    {"umount2", G_ALWAYS, 0, 0},
    {"pivot_root", G_ALWAYS, 0, 0},
    {"chroot", G_ALWAYS, 0, 0},
    {"open_tree", G_ALWAYS, 0, 1},
    {"move_mount", G_ALWAYS, 0, 1},
    {"fsopen", G_ALWAYS, 0, 1},
    {"fsconfig", G_ALWAYS, 0, 1},
    {"fsmount", G_ALWAYS, 0, 1},
    {"fspick", G_ALWAYS, 0, 1},
    {"mount_setattr", G_ALWAYS, 0, 1},
    {"init_module", G_ALWAYS, 0, 0},
    {"finit_module", G_ALWAYS, 0, 0},
    {"delete_module", G_ALWAYS, 0, 0},
    {"kexec_load", G_ALWAYS, 0, 0},
    {"kexec_file_load", G_ALWAYS, 0, 0},
    {"reboot", G_ALWAYS, 0, 0},
    {"swapon", G_ALWAYS, 0, 0},
    {"swapoff", G_ALWAYS, 0, 0},
    {"acct", G_ALWAYS, 0, 0},
    {"quotactl", G_ALWAYS, 0, 0},
    {"syslog", G_ALWAYS, 0, 0},
    {"iopl", G_ALWAYS, 0, 0},
    {"ioperm", G_ALWAYS, 0, 0},
    {"personality", G_ALWAYS, 0, 0},
    {"unshare", G_ALWAYS, 0, 0},
    {"setns", G_ALWAYS, 0, 0},
    {"bpf", G_ALWAYS, 0, 0},
    {"perf_event_open", G_ALWAYS, 0, 0},
    {"userfaultfd", G_ALWAYS, 0, 0},
    {"keyctl", G_ALWAYS, 0, 0},
    {"add_key", G_ALWAYS, 0, 0},
    {"request_key", G_ALWAYS, 0, 0},
    {"open_by_handle_at", G_ALWAYS, 0, 0},
    {"name_to_handle_at", G_ALWAYS, 0, 0},
    {"kcmp", G_ALWAYS, 0, 0},
    {"settimeofday", G_ALWAYS, 0, 0},
    {"clock_settime", G_ALWAYS, 0, 0},
    {"clock_adjtime", G_ALWAYS, 0, 0},
    {"adjtimex", G_ALWAYS, 0, 0},
    {"sethostname", G_ALWAYS, 0, 0},
    {"setdomainname", G_ALWAYS, 0, 0},
    {"vhangup", G_ALWAYS, 0, 0},
    {"process_vm_readv", G_ALWAYS, 0, 0},
    {"process_vm_writev", G_ALWAYS, 0, 0},
    {"process_madvise", G_ALWAYS, 0, 1},
    {"pidfd_getfd", G_ALWAYS, 0, 1},
    {"pidfd_send_signal", G_ALWAYS, 0, 1},
    {"tkill", G_ALWAYS, 0, 0},     /* obsolete; libc uses tgkill, checked below */
    {"setrlimit", G_ALWAYS, 0, 0}, /* limits are set before the filter; prlimit64 below */
    /* io_uring performs opens, connects, ... in the kernel where this filter never sees them. */
    {"io_uring_setup", G_ALWAYS, 1, 0},
    {"io_uring_enter", G_ALWAYS, 1, 0},
    {"io_uring_register", G_ALWAYS, 1, 0},
    /* New processes and reading other processes (clone is checked below). */
    {"fork", G_PROCS, 0, 0},
    {"vfork", G_PROCS, 0, 0},
    {"clone3", G_PROCS, 1, 0}, /* flags behind a pointer; glibc falls back to clone */
    {"ptrace", G_PROCS, 0, 0},
    /* Network (socket, socketpair and sendto are checked below). */
    {"socket", G_NETWORK, 0, 0},
    {"connect", G_NETWORK, 0, 0},
    {"bind", G_NETWORK, 0, 0},
    {"listen", G_NETWORK, 0, 0},
    {"accept", G_NETWORK, 0, 0},
    {"accept4", G_NETWORK, 0, 0},
    {"execve", G_EXEC, 0, 0},
    {"execveat", G_EXEC, 0, 0},
    /* Creating, removing or changing files (open and openat are checked below). */
    {"creat", G_FILES, 0, 0},
    {"openat2", G_FILES, 1, 0}, /* flags behind a pointer */
    {"mkdir", G_FILES, 0, 0},
    {"mkdirat", G_FILES, 0, 0},
    {"mknod", G_FILES, 0, 0},
    {"mknodat", G_FILES, 0, 0},
    {"link", G_FILES, 0, 0},
    {"linkat", G_FILES, 0, 0},
    {"symlink", G_FILES, 0, 0},
    {"symlinkat", G_FILES, 0, 0},
    {"rename", G_FILES, 0, 0},
    {"renameat", G_FILES, 0, 0},
    {"renameat2", G_FILES, 0, 0},
    {"unlink", G_FILES, 0, 0},
    {"unlinkat", G_FILES, 0, 0},
    {"rmdir", G_FILES, 0, 0},
    {"truncate", G_FILES, 0, 0},
    {"chmod", G_FILES, 0, 0},
    {"fchmod", G_FILES, 0, 0},
    {"fchmodat", G_FILES, 0, 0},
    {"fchmodat2", G_FILES, 0, 1},
    {"chown", G_FILES, 0, 0},
    {"fchown", G_FILES, 0, 0},
    {"lchown", G_FILES, 0, 0},
    {"fchownat", G_FILES, 0, 0},
    {"utime", G_FILES, 0, 0},
    {"utimes", G_FILES, 0, 0},
    {"futimesat", G_FILES, 0, 0},
    {"utimensat", G_FILES, 0, 0},
    {"setxattr", G_FILES, 0, 0},
    {"lsetxattr", G_FILES, 0, 0},
    {"fsetxattr", G_FILES, 0, 0},
    {"removexattr", G_FILES, 0, 0},
    {"lremovexattr", G_FILES, 0, 0},
    {"fremovexattr", G_FILES, 0, 0},
};

/* One argument comparison (the SCMP_Ax macros leave datum_b implicit, which clang flags). */
static struct scmp_arg_cmp arg_cmp(unsigned arg, enum scmp_compare op, scmp_datum_t a,
                                   scmp_datum_t b)
{
    struct scmp_arg_cmp c = {.arg = arg, .op = op, .datum_a = a, .datum_b = b};
    return c;
}

/* Add "deny `name` with `errnum` when all of cmp[0..ncmp) hold". A name libseccomp does not
 * know is an error unless `optional`; a name it knows but this architecture lacks (open on
 * aarch64) is accepted and matches nothing. */
static ratchet_status deny(scmp_filter_ctx ctx, const char *name, int errnum, int optional,
                           unsigned ncmp, const struct scmp_arg_cmp *cmp, rt_error *err)
{
    int nr = seccomp_syscall_resolve_name(name);
    if (nr == __NR_SCMP_ERROR)
        return optional ? RATCHET_OK
                        : rt_fail(err, "seccomp: system call %s unknown to libseccomp", name);
    int rc = seccomp_rule_add_array(ctx, SCMP_ACT_ERRNO((uint32_t)errnum), nr, ncmp, cmp);
    if (rc < 0)
        return rt_fail(err, "seccomp rule for %s failed: %s", name, strerror(-rc));
    return RATCHET_OK;
}

static int group_on(const rt_sandbox_limits *l, unsigned char group)
{
    switch (group) {
    case G_PROCS:
        return !RT_SANDBOX_SANITIZED;
    case G_NETWORK:
        return l->no_network;
    case G_EXEC:
        return l->no_exec;
    case G_FILES:
        return l->no_new_files;
    default:
        return 1;
    }
}

/* open(2)/openat(2) for writing, creating or truncating: one rule per flag, on argument
 * `arg` (the flags). O_TRUNC counts because Linux truncates even with O_RDONLY. */
static ratchet_status deny_open_for_write(scmp_filter_ctx ctx, const char *name, unsigned arg,
                                          rt_error *err)
{
    static const struct {
        scmp_datum_t mask, value;
    } flags[] = {
        {O_ACCMODE, O_WRONLY},
        {O_ACCMODE, O_RDWR},
        {O_CREAT, O_CREAT},
        {O_TRUNC, O_TRUNC},
    };
    for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++) {
        struct scmp_arg_cmp c = arg_cmp(arg, SCMP_CMP_MASKED_EQ, flags[i].mask, flags[i].value);
        if (deny(ctx, name, EPERM, 0, 1, &c, err) != RATCHET_OK)
            return RATCHET_ERR;
    }
    return RATCHET_OK;
}

/* The rules that look at an argument. */
static ratchet_status add_conditional_rules(scmp_filter_ctx ctx, const rt_sandbox_limits *l,
                                            rt_error *err)
{
    /* Signals only to this process: a task child must not signal the coordinator or its
     * sibling workers. The pid is fixed: the filter is loaded after the fork and no further
     * process can be created. Resource limits may be read, not changed, here or elsewhere. */
    scmp_datum_t self = (scmp_datum_t)getpid();
    struct scmp_arg_cmp not_self = arg_cmp(0, SCMP_CMP_NE, self, 0);
    struct scmp_arg_cmp other_pid = arg_cmp(0, SCMP_CMP_NE, 0, 0);
    struct scmp_arg_cmp new_limit = arg_cmp(2, SCMP_CMP_NE, 0, 0);
    if (deny(ctx, "kill", EPERM, 0, 1, &not_self, err) != RATCHET_OK ||
        deny(ctx, "tgkill", EPERM, 0, 1, &not_self, err) != RATCHET_OK ||
        deny(ctx, "rt_sigqueueinfo", EPERM, 0, 1, &not_self, err) != RATCHET_OK ||
        deny(ctx, "rt_tgsigqueueinfo", EPERM, 0, 1, &not_self, err) != RATCHET_OK ||
        deny(ctx, "prlimit64", EPERM, 0, 1, &other_pid, err) != RATCHET_OK ||
        deny(ctx, "prlimit64", EPERM, 0, 1, &new_limit, err) != RATCHET_OK)
        return RATCHET_ERR;
    if (group_on(l, G_PROCS)) {
        struct scmp_arg_cmp no_thread =
            arg_cmp(RT_CLONE_FLAGS_ARG, SCMP_CMP_MASKED_EQ, CLONE_THREAD, 0);
        if (deny(ctx, "clone", EPERM, 0, 1, &no_thread, err) != RATCHET_OK)
            return RATCHET_ERR;
    }
    if (l->no_network) {
        struct scmp_arg_cmp not_unix = arg_cmp(0, SCMP_CMP_NE, AF_UNIX, 0);
        struct scmp_arg_cmp has_addr = arg_cmp(4, SCMP_CMP_NE, 0, 0);
        if (deny(ctx, "socketpair", EPERM, 0, 1, &not_unix, err) != RATCHET_OK ||
            deny(ctx, "sendto", EPERM, 0, 1, &has_addr, err) != RATCHET_OK)
            return RATCHET_ERR;
    }
    if (l->no_new_files && (deny_open_for_write(ctx, "open", 1, err) != RATCHET_OK ||
                            deny_open_for_write(ctx, "openat", 2, err) != RATCHET_OK))
        return RATCHET_ERR;
    return RATCHET_OK;
}

static ratchet_status build_filter(scmp_filter_ctx ctx, const rt_sandbox_limits *l, rt_error *err)
{
    int rc;
    /* The rules are for the native ABI: a call through another one (int 0x80 or x32 on
     * x86_64) would name different system calls, so it kills the process instead. TSYNC puts
     * the filter on every thread; raw return codes make the messages precise. */
    if ((rc = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS)) < 0 ||
        (rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1)) < 0 ||
        (rc = seccomp_attr_set(ctx, SCMP_FLTATR_API_SYSRAWRC, 1)) < 0)
        return rt_fail(err, "seccomp_attr_set failed: %s", strerror(-rc));
    for (size_t i = 0; i < sizeof deny_rules / sizeof deny_rules[0]; i++) {
        const deny_rule *r = &deny_rules[i];
        if (group_on(l, r->group) && deny(ctx, r->syscall, r->enosys ? ENOSYS : EPERM, r->optional,
                                          0, NULL, err) != RATCHET_OK)
            return RATCHET_ERR;
    }
    return add_conditional_rules(ctx, l, err);
}

static ratchet_status apply_seccomp(const rt_sandbox_limits *l, rt_error *err)
{
    scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
    if (!ctx)
        return rt_fail(err, "seccomp_init failed (out of memory or unsupported architecture)");
    ratchet_status st = build_filter(ctx, l, err);
    if (st == RATCHET_OK) {
        int rc = seccomp_load(ctx);
        if (rc < 0)
            st = rt_fail(err, "seccomp_load failed: %s", strerror(-rc));
    }
    seccomp_release(ctx);
    return st;
}

/* ---- together ----------------------------------------------------------------------------- */

static ratchet_status check_limits(const rt_sandbox_limits *l, rt_error *err)
{
    if (!l)
        return rt_fail(err, "sandbox: no limits given");
    if (l->memory_bytes < 0 || l->cpu_seconds < 0 || l->max_open_files < 0 || l->max_file_bytes < 0)
        return rt_fail(err,
                       "sandbox: negative limit (memory %lld, cpu %lld s, files %lld, "
                       "file size %lld); 0 means unchanged",
                       (long long)l->memory_bytes, (long long)l->cpu_seconds,
                       (long long)l->max_open_files, (long long)l->max_file_bytes);
    if (l->max_open_files > RT_SANDBOX_MAX_FILES)
        return rt_fail(err, "sandbox: max_open_files %lld exceeds %lld",
                       (long long)l->max_open_files, (long long)RT_SANDBOX_MAX_FILES);
    /* At least stdin, stdout, stderr and the result pipe. */
    if (l->max_open_files > 0 && l->max_open_files < 4)
        return rt_fail(err, "sandbox: max_open_files %lld is below 4",
                       (long long)l->max_open_files);
    return RATCHET_OK;
}

ratchet_status rt_sandbox_apply(const rt_sandbox_limits *l, rt_error *err)
{
    if (check_limits(l, err) != RATCHET_OK)
        return RATCHET_ERR;
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        return rt_fail(err, "prctl(PR_SET_NO_NEW_PRIVS) failed: %s", strerror(errno));
    /* The limits before dropping CAP_SYS_RESOURCE (a limit above the hard one would need it,
     * though none is raised) and before the filter, which then forbids changing them. */
    if (apply_rlimits(l, err) != RATCHET_OK)
        return RATCHET_ERR;
    if (rt_sandbox_drop_caps(err) != RATCHET_OK)
        return RATCHET_ERR;
    return apply_seccomp(l, err);
}
