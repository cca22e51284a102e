/*
 * host/task/sandbox.h - the sandbox a task-running child process puts itself in: resource limits,
 * no_new_privs, no capabilities and a seccomp filter (libseccomp).
 *
 * Applied by `ratchet worker` processes and by the child that run-once/test/replay fork, after
 * everything they need is open or loaded (plugins dlopen'd, pipes set up, input read) and
 * before the first line of task code runs. It cannot be undone: the process keeps it until it
 * exits. Scripts have no system-call API of their own (MuJS exposes none), so this is defence
 * in depth against a bug in the interpreter, a plugin or the host code around them.
 *
 * Policy (seccomp filter: default ALLOW with explicit denials; a denied call fails with the
 * errno shown, it does not kill, so host code sees a clean error):
 *
 *   always        the kernel attack surface no task needs: mount family, new mount API,
 *                 chroot, pivot_root, modules, kexec, reboot, swap, acct, quotactl, syslog,
 *                 iopl/ioperm, personality, unshare/setns, bpf, perf_event_open, userfaultfd,
 *                 keyrings, open_by_handle_at, kcmp, clock/host name setting,
 *                 process_vm_readv/writev, pidfd_getfd                            -> EPERM
 *                 io_uring_* (its operations would bypass this filter)           -> ENOSYS
 *                 signals only to itself: kill/tgkill/rt_(tg)sigqueueinfo to another pid,
 *                 tkill, pidfd_send_signal                                        -> EPERM
 *                 resource limits: setrlimit, prlimit64 setting a limit or naming another
 *                 process (reading its own limits stays allowed)                  -> EPERM
 *                 process creation: fork, vfork, clone without CLONE_THREAD; ptrace
 *                                                                                 -> EPERM
 *                 clone3 (its flags cannot be inspected; libc falls back to clone) -> ENOSYS
 *                 Threads stay allowed (clone with CLONE_THREAD).
 *   no_network    socket() for every family, AF_UNIX included (a named AF_UNIX socket reaches
 *                 local daemons); connect, bind, listen, accept, accept4; sendto with a
 *                 destination address; socketpair other than AF_UNIX              -> EPERM
 *                 socketpair(AF_UNIX) stays allowed: an unnamed pair reaches nothing outside
 *                 the process. Sockets inherited already connected keep working.
 *   no_exec       execve, execveat                                                -> EPERM
 *   no_new_files  open/openat with O_WRONLY, O_RDWR, O_CREAT or O_TRUNC; creat, mkdir(at),
 *                 mknod(at), (sym)link(at), rename(at,at2), unlink(at), rmdir, truncate,
 *                 chmod/chown/utime/xattr-setting calls                           -> EPERM
 *                 openat2 (flags behind a pointer)                                -> ENOSYS
 *                 Reading files stays allowed; writing to descriptors already open (the
 *                 result pipe, stdout/stderr) stays allowed.
 *   non-native    system calls of another ABI (i386 int 0x80, x32 on x86_64) kill the process
 *                 (SIGSYS): the rules above are written for the native ABI only.
 *
 * Resource limits (set before the filter, which then forbids changing them, even with
 * CAP_SYS_RESOURCE; never raised above the current hard limit): RLIMIT_CORE 0 always;
 * RLIMIT_AS, RLIMIT_CPU, RLIMIT_NOFILE, RLIMIT_FSIZE from rt_sandbox_limits.
 *
 * Capabilities (sandbox_caps.c), after no_new_privs and the limits, before the filter: every
 * capability is dropped from the effective, permitted, inheritable and ambient sets, and, when
 * the process holds CAP_SETPCAP (root), from the bounding set, with the securebits NOROOT,
 * NO_SETUID_FIXUP and KEEP_CAPS locked, so even a task child of a ratchet running as root
 * holds nothing (no CAP_DAC_OVERRIDE, CAP_NET_BIND_SERVICE, CAP_SYS_RESOURCE...). Checked
 * with capget/PR_CAPBSET_READ afterwards. Capabilities are per thread: threads started before
 * the call keep theirs (call it single-threaded, as for the filter).
 *
 * Not covered: sockets and files inherited already open stay usable (give the child only the descriptors it needs,
 * O_CLOEXEC elsewhere); sendmsg/sendmmsg with an address on an inherited unconnected socket
 * (the address is behind a pointer).
 *
 * Sanitizer builds (AddressSanitizer, ThreadSanitizer): RLIMIT_AS is not set (the shadow memory
 * reserves terabytes of address space) and the process-creation and ptrace denials are left
 * out (LeakSanitizer stops the world at exit with a non-thread clone plus ptrace).
 * rt_sandbox_features() says which parts this build enforces.
 *
 * Threading: call it while the process is single-threaded, or accept that the filter is synced
 * to all threads (SECCOMP_FILTER_FLAG_TSYNC) while the rlimits are process-wide anyway.
 */
#ifndef RT_SANDBOX_H
#define RT_SANDBOX_H

#include <stdint.h>

#include "core/core_layer.h"

typedef struct rt_sandbox_limits {
    int64_t memory_bytes;   /* RLIMIT_AS: a backstop behind the executor's allocator cap; it
                             * must leave room for the binary, its libraries and stacks. 0: as
                             * inherited */
    int64_t cpu_seconds;    /* RLIMIT_CPU, counted from the call (CPU already used is added,
                             * to the nearest second, the limit's granularity):
                             * SIGXCPU after this many seconds of CPU, SIGKILL one second later.
                             * A lifetime budget for a long-lived worker; the per-task limit
                             * is the coordinator's wall-clock kill. 0: as inherited */
    int64_t max_open_files; /* RLIMIT_NOFILE: highest descriptor number + 1 (descriptors
                             * already open above it stay open). 0: as inherited */
    int64_t max_file_bytes; /* RLIMIT_FSIZE: how far an inherited regular file (a log on
                             * stderr) may grow. SIGXFSZ is then ignored, so a write past it
                             * fails with EFBIG instead of killing. Pipes are not affected.
                             * 0: as inherited */
    int no_network;         /* see the policy above */
    int no_exec;
    int no_new_files;
} rt_sandbox_limits;

/* What a task child gets unless configured otherwise: every restriction on, 64 descriptors,
 * 64 MiB per inherited file, no memory or CPU limit (set those from the task's limits). */
void rt_sandbox_limits_default(rt_sandbox_limits *l);

/* Apply `l` to the calling process, irreversibly; once per process (a second call cannot set
 * limits any more). Returns RATCHET_OK, or RATCHET_ERR with the reason in err (e.g.
 * "seccomp_load failed: Operation not permitted"); on failure some parts may already be in
 * force, so the caller should exit rather than run the task. Invalid limits (negative values,
 * max_open_files below 4 or above 2^20) are rejected before anything is changed. Allocates
 * only transiently (libseccomp builds the filter). */
ratchet_status rt_sandbox_apply(const rt_sandbox_limits *l, rt_error *err);

/* The capability part of rt_sandbox_apply on its own (see "Capabilities" above); RATCHET_ERR
 * with the reason when a set could not be emptied. */
ratchet_status rt_sandbox_drop_caps(rt_error *err);

/* Parts of the policy this build enforces (bits below); the rest is always enforced. */
#define RT_SANDBOX_HAS_RLIMIT_AS 1u /* memory_bytes is applied (not in sanitizer builds) */
#define RT_SANDBOX_HAS_NO_PROCS  2u /* fork/vfork/non-thread clone and ptrace are denied */
unsigned rt_sandbox_features(void);

#endif
