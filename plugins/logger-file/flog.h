/*
 * flog.h - internals shared by file.c (the plugin and its write path), rotate.c (rotation by
 * size and age) and compress.c (gzip of rotated files).
 */
#ifndef FLOG_H
#define FLOG_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include <ratchet/logger_util.h>

typedef enum flog_fsync { FLOG_FSYNC_NEVER, FLOG_FSYNC_ALWAYS, FLOG_FSYNC_ROTATE } flog_fsync;

typedef struct flog {
    ratchet_ctx *ctx;
    const char *path; /* borrowed from the config: lives until destroy() */
    int64_t max_size; /* bytes; rotate before a line would pass it */
    int max_files;    /* rotated copies kept; 0: truncate in place */
    flog_fsync fsync_policy;
    int64_t max_age_ms;     /* rotate a file older than this; 0: never by age */
    int compress;           /* gzip rotated files: path.1.gz ... path.N.gz */
    int compress_failed;    /* the last rotation could not gzip path.1 (it stays) */
    ratchet_log_select sel; /* the `level` and `filter` options */

    int fd;            /* -1 when closed (before start, after stop, after a failed reopen) */
    int rotatable;     /* a regular file: devices and FIFOs are never rotated or truncated */
    int64_t size;      /* bytes in the current file, counting what was there at open */
    int64_t opened_ms; /* monotonic time the current file was opened (its age for max_age) */
    int failing;       /* inside a failure streak: one report per streak, not per line */
    uint64_t dropped;  /* lines lost during the current streak */
    ratchet_buf line;  /* reused between events; log() calls are serialised per instance */

    /* The write path (file.c). mu guards pending and everything about the file above (fd,
     * size, opened_ms, failing, dropped, note) once start() has run; see file.c. */
    int64_t write_batch;      /* bytes gathered before one write(2); 0: a write per line */
    int64_t write_delay_ms;   /* longest a gathered line waits for the flusher */
    ratchet_buf pending;      /* whole lines gathered, not yet written */
    int64_t pending_since_ms; /* when the oldest of them was gathered (flog_now_ms) */
    pthread_mutex_t mu;
    pthread_cond_t wake; /* the flusher: a first line gathered, or stop */
    pthread_t flusher;
    int flusher_started, stopping, sync_ready;
    char note[1152]; /* a failure or recovery to log once mu is released; "" when none */
    ratchet_log_level note_level;
} flog;

/* The host table, set by the entry function in file.c. */
extern const ratchet_host_api *flog_host;

/* strerror_r into buf (thread-safe; log() may run on any thread). Returns buf. */
const char *flog_strerror(int err, char *buf, size_t len);

/* Open f->path for appending and take the size it already has. On failure returns -1 with
 * errno set and f->fd left at -1. */
int flog_open(flog *f, int truncate);

/*
 * Rotate: fsync (policy permitting), shift path.(N-1) -> path.N ... path -> path.1, then
 * reopen a fresh path; with max_files 0, reopen truncated instead. On failure returns -1 and
 * writes the reason into `why`. A failed shift leaves the current file open and untouched so
 * the caller can keep appending to it rather than lose lines, and never overwrites a copy it
 * could not move first.
 */
int flog_rotate(flog *f, char *why, size_t whylen);

/* Whether the current file is due for rotation before a line of `len` bytes: past max_size,
 * or older than max_age (a file is never rotated while empty). */
int flog_due(const flog *f, size_t len);

/* Monotonic milliseconds. */
int64_t flog_now_ms(void);

/* Whether this build can compress (zlib was found at configure time). */
int flog_can_compress(void);

/* gzip `from` into `to` (created 0640; replaced if it exists) and remove `from`. On failure
 * returns -1 with the reason in `why`, `from` left in place and no partial `to`. */
int flog_gzip(const char *from, const char *to, char *why, size_t whylen);

#endif
