/*
 * rotate.c - opening the log file and rotating it by size and by age.
 *
 * Rotated copies are path.1 (newest) ... path.N (oldest), or path.1.gz ... path.N.gz with
 * `compress`. The shift renames from the oldest end, so each rename's target has already been
 * moved away (or is the oldest copy, which is meant to go): a shift that fails half-way loses
 * nothing and the next attempt resumes it. With compression the live file becomes path.1 and
 * is then gzipped to path.1.gz; should that fail, path.1 stays, and the next rotation
 * compresses it before anything moves (or, failing again, does not rotate).
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "flog.h"

const char *flog_strerror(int err, char *buf, size_t len)
{
    if (strerror_r(err, buf, len) != 0)
        snprintf(buf, len, "error %d", err);
    return buf;
}

int flog_open(flog *f, int truncate)
{
    int flags = O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | (truncate ? O_TRUNC : 0);
    int fd;
    do {
        fd = open(f->path, flags, 0640);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0)
        return -1;
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int err = errno;
        close(fd);
        errno = err;
        return -1;
    }
    f->fd = fd;
    f->opened_ms = flog_now_ms();
    f->rotatable = S_ISREG(st.st_mode);
    /* What is already in the file counts towards max_size, so a restart does not let the
     * file grow past it. */
    f->size = f->rotatable ? (int64_t)st.st_size : 0;
    return 0;
}

int64_t flog_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int flog_due(const flog *f, size_t len)
{
    if (!f->rotatable || f->size <= 0)
        return 0;
    if (f->size + (int64_t)len > f->max_size)
        return 1;
    return f->max_age_ms > 0 && flog_now_ms() - f->opened_ms >= f->max_age_ms;
}

/* With compression: path.1 left uncompressed by an earlier failure is gzipped first. */
static int flog_compress_leftover(flog *f, char *one, char *one_gz, char *why, size_t whylen)
{
    struct stat st;
    if (!f->compress || stat(one, &st) != 0)
        return 0;
    return flog_gzip(one, one_gz, why, whylen);
}

/* Shift the rotated copies up by one and move the live file to path.1 (then path.1.gz). */
static int flog_shift(flog *f, char *why, size_t whylen)
{
    size_t cap = strlen(f->path) + 16; /* room for ".1000.gz" and the NUL */
    const char *ext = f->compress ? ".gz" : "";
    char *from = flog_host->alloc(cap);
    char *to = flog_host->alloc(cap);
    char ebuf[128];
    int rc = 0;

    if (!from || !to) {
        snprintf(why, whylen, "cannot rotate %s: out of memory", f->path);
        rc = -1;
    }
    if (rc == 0) {
        snprintf(from, cap, "%s.1", f->path);
        snprintf(to, cap, "%s.1.gz", f->path);
        rc = flog_compress_leftover(f, from, to, why, whylen);
    }
    for (int i = f->max_files; i >= 1 && rc == 0; i--) {
        snprintf(to, cap, "%s.%d%s", f->path, i, i > 1 ? ext : "");
        if (i > 1)
            snprintf(from, cap, "%s.%d%s", f->path, i - 1, ext);
        else
            snprintf(from, cap, "%s", f->path);
        /* A missing copy is normal (fewer rotations so far, or removed by hand). */
        if (rename(from, to) != 0 && errno != ENOENT) {
            snprintf(why, whylen, "cannot rotate %s: rename %s to %s: %s", f->path, from, to,
                     flog_strerror(errno, ebuf, sizeof ebuf));
            rc = -1;
        }
    }
    /* The live file is path.1 now: a failed gzip leaves it so (reported; retried next time). */
    if (rc == 0 && f->compress) {
        snprintf(from, cap, "%s.1", f->path);
        snprintf(to, cap, "%s.1.gz", f->path);
        if (flog_gzip(from, to, why, whylen) != 0)
            f->compress_failed = 1;
    }
    flog_host->free(from);
    flog_host->free(to);
    return rc;
}

int flog_rotate(flog *f, char *why, size_t whylen)
{
    char ebuf[128];
    int rc = 0;

    /* A sync failure is reported but does not stop the rotation: keeping the file would only
     * let it grow without bound while the disk misbehaves. */
    if (f->fd >= 0 && f->fsync_policy != FLOG_FSYNC_NEVER && fsync(f->fd) != 0) {
        snprintf(why, whylen, "cannot fsync %s: %s", f->path,
                 flog_strerror(errno, ebuf, sizeof ebuf));
        rc = -1;
    }
    f->compress_failed = 0;
    if (f->max_files > 0 && flog_shift(f, why, whylen) != 0)
        return -1; /* the live file stays open and unmoved: keep appending to it */
    if (f->fd >= 0)
        close(f->fd);
    f->fd = -1;
    if (flog_open(f, f->max_files == 0) != 0) {
        snprintf(why, whylen, "cannot open %s: %s", f->path,
                 flog_strerror(errno, ebuf, sizeof ebuf));
        return -1;
    }
    return f->compress_failed ? -1 : rc;
}
