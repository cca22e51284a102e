/*
 * host/task/sandbox_caps.c - dropping every capability (see sandbox.h, "Capabilities").
 *
 * Uses prctl and the raw capget/capset system calls (no libcap). Order matters: the securebits
 * and the bounding set need CAP_SETPCAP, so they come before the capability sets are cleared.
 */
#define _DEFAULT_SOURCE /* syscall() */
#include "sandbox.h"

#include <errno.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/capability.h>
#include <linux/securebits.h>

/* Highest capability number the bounding set can hold; the kernel may know more than this
 * header (CAP_LAST_CAP), so the loop asks the kernel until it says EINVAL. */
#define RT_CAP_PROBE_MAX 63

static int caps_get(struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3])
{
    struct __user_cap_header_struct hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
    memset(data, 0, sizeof(struct __user_cap_data_struct) * _LINUX_CAPABILITY_U32S_3);
    return (int)syscall(SYS_capget, &hdr, data);
}

static int has_effective(int cap)
{
    struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];
    if (caps_get(data) != 0)
        return 0;
    return (data[cap / 32].effective >> (cap % 32)) & 1u;
}

ratchet_status rt_sandbox_drop_caps(rt_error *err)
{
    int setpcap = has_effective(CAP_SETPCAP);
    if (setpcap) {
        /* root stays without capabilities for good: no gain from uid 0 at execve, none kept or
         * regained across setuid changes, and these settings locked. */
        unsigned long bits = SECBIT_NOROOT | SECBIT_NOROOT_LOCKED | SECBIT_NO_SETUID_FIXUP |
                             SECBIT_NO_SETUID_FIXUP_LOCKED | SECBIT_KEEP_CAPS_LOCKED;
        if (prctl(PR_SET_SECUREBITS, bits, 0, 0, 0) != 0)
            return rt_fail(err, "prctl(PR_SET_SECUREBITS) failed: %s", strerror(errno));
    }
    /* The bounding set: what an execve could ever grant. Dropping needs CAP_SETPCAP; without it
     * the process holds no capability to lose, and no_new_privs already stops file
     * capabilities and set-user-ID programs from granting any. */
    for (int cap = 0; cap <= RT_CAP_PROBE_MAX; cap++) {
        int in = prctl(PR_CAPBSET_READ, (unsigned long)cap, 0, 0, 0);
        if (in < 0)
            break; /* EINVAL: past the last capability this kernel knows */
        if (in == 1 && setpcap && prctl(PR_CAPBSET_DROP, (unsigned long)cap, 0, 0, 0) != 0)
            return rt_fail(err, "prctl(PR_CAPBSET_DROP, %d) failed: %s", cap, strerror(errno));
    }
    /* Ambient capabilities (Linux 4.3+; EINVAL before, when there are none to clear). */
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 && errno != EINVAL)
        return rt_fail(err, "prctl(PR_CAP_AMBIENT_CLEAR_ALL) failed: %s", strerror(errno));
    /* Effective, permitted and inheritable: all empty. Always allowed (only dropping). */
    struct __user_cap_header_struct hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct none[_LINUX_CAPABILITY_U32S_3];
    memset(none, 0, sizeof none);
    if (syscall(SYS_capset, &hdr, none) != 0)
        return rt_fail(err, "capset (drop all capabilities) failed: %s", strerror(errno));
    /* Check rather than trust: a kernel or a security module refusing part of it is an error. */
    struct __user_cap_data_struct now[_LINUX_CAPABILITY_U32S_3];
    if (caps_get(now) != 0)
        return rt_fail(err, "capget failed: %s", strerror(errno));
    for (int i = 0; i < _LINUX_CAPABILITY_U32S_3; i++)
        if (now[i].effective || now[i].permitted || now[i].inheritable)
            return rt_fail(err, "capabilities remain after capset");
    if (setpcap) {
        for (int cap = 0; cap <= RT_CAP_PROBE_MAX; cap++) {
            int in = prctl(PR_CAPBSET_READ, (unsigned long)cap, 0, 0, 0);
            if (in < 0)
                break;
            if (in == 1)
                return rt_fail(err, "capability %d remains in the bounding set", cap);
        }
    }
    return RATCHET_OK;
}
