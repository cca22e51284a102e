/*
 * compress.c - gzip a rotated log file with zlib (when the build found it).
 *
 * The copy goes to `to`.tmp first and is renamed over `to` only once complete, so a crash or
 * a full disk never leaves a truncated .gz that looks like a good one; `from` is removed last.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "flog.h"

#ifdef RATCHET_HAVE_ZLIB
#include <zlib.h>

int flog_can_compress(void)
{
    return 1;
}

/* Copy fd `in` into the gzip stream `gz`. Returns 0, or -1 with the reason in why. */
static int flog_gz_copy(int in, gzFile gz, const char *from, char *why, size_t whylen)
{
    char buf[65536], ebuf[128];
    for (;;) {
        ssize_t n = read(in, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            snprintf(why, whylen, "cannot compress %s: read: %s", from,
                     flog_strerror(errno, ebuf, sizeof ebuf));
            return -1;
        }
        if (n == 0)
            return 0;
        if (gzwrite(gz, buf, (unsigned)n) != (int)n) {
            int zerr = 0;
            const char *msg = gzerror(gz, &zerr);
            snprintf(why, whylen, "cannot compress %s: %s", from,
                     zerr == Z_ERRNO ? flog_strerror(errno, ebuf, sizeof ebuf) : msg);
            return -1;
        }
    }
}

int flog_gzip(const char *from, const char *to, char *why, size_t whylen)
{
    char tmp[4096], ebuf[128];
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp", to) >= sizeof tmp) {
        snprintf(why, whylen, "cannot compress %s: path too long", from);
        return -1;
    }
    int in = open(from, O_RDONLY | O_CLOEXEC);
    int out = in < 0 ? -1 : open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
    if (in < 0 || out < 0) {
        snprintf(why, whylen, "cannot compress %s: open %s: %s", from, in < 0 ? from : tmp,
                 flog_strerror(errno, ebuf, sizeof ebuf));
        if (in >= 0)
            close(in);
        return -1;
    }
    gzFile gz = gzdopen(out, "wb6");
    int rc = gz ? flog_gz_copy(in, gz, from, why, whylen) : -1;
    if (!gz) {
        snprintf(why, whylen, "cannot compress %s: out of memory", from);
        close(out);
    } else if (gzclose(gz) != Z_OK && rc == 0) {
        snprintf(why, whylen, "cannot compress %s: writing %s failed", from, tmp);
        rc = -1;
    }
    close(in);
    if (rc == 0 && rename(tmp, to) != 0) {
        snprintf(why, whylen, "cannot compress %s: rename %s: %s", from, tmp,
                 flog_strerror(errno, ebuf, sizeof ebuf));
        rc = -1;
    }
    if (rc != 0) {
        unlink(tmp);
        return -1;
    }
    unlink(from);
    return 0;
}

#else /* no zlib in this build: `compress: true` is refused when the instance is created */

int flog_can_compress(void)
{
    return 0;
}

int flog_gzip(const char *from, const char *to, char *why, size_t whylen)
{
    (void)to;
    snprintf(why, whylen, "cannot compress %s: this build has no zlib", from);
    return -1;
}

#endif
