/*
 * logger-file - JSON lines in a file, rotated by size and age, rotated copies optionally
 * gzipped.
 *
 *     {"timestamp":"2026-11-26T06:40:45.123Z","level":"info","source":"host","plugin":null,
 *      "message":"listening","fields":{"port":"8080"},"traceId":null,"spanId":null,
 *      "jobId":null,"executionId":null,"taskName":null}
 *
 * (one line per event; "fields" is left out when there are none; the context members are
 * null when the event was not logged for a job, or by a host older than ABI 1.6 would not
 * say). Each line is built in full and written with one write(2) on an O_APPEND descriptor
 * (or, with write_batch, together with the lines gathered before it: whole lines still), so
 * several processes appending to the same file do not split each other's lines. A line never
 * straddles two files: rotation happens before a line that would take the file past
 * max_size.
 *
 * Failures at run time (disk full, directory removed, rename refused) cannot stop the
 * process: they are reported once per streak through host->log and every following event
 * tries again.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "flog.h"

/* Buffers that grew past this for one huge event are released rather than kept. */
#define FLOG_BUF_KEEP 65536

const ratchet_host_api *flog_host;

/* The `fsync` option's choices, in flog_fsync order. */
static flog_fsync flog_fsync_parse(const char *s)
{
    static const char *const names[] = {"never", "always", "rotate"};
    for (int i = 0; s && i < 3; i++) {
        if (strcmp(s, names[i]) == 0)
            return (flog_fsync)i;
    }
    return FLOG_FSYNC_NEVER; /* unreachable: the host validated the enum */
}

/*
 * The write path: getting lines into the file: one write(2) per line, or (option `write_batch`)
 * lines gathered in memory and written together.
 *
 * Gathered lines are written with one write(2) when the next line would not fit in
 * write_batch bytes, when a warning or an error arrives (it goes out with everything before
 * it), before a line that would make the file due for rotation (so a line never straddles two
 * files and max_size holds), on flush() and at stop(), and by the flusher thread once the
 * oldest has waited write_delay. A crash of the process loses at most what was gathered (as
 * logger-buffered's ring would); a crash of a task or worker loses nothing, since the flusher
 * writes without waiting for another line.
 *
 * Locking: f->mu guards the pending buffer and the file (fd, size, rotation, the failure
 * streak) against the flusher thread. Failures are not logged with the lock held (the host
 * may hand that event straight back to this instance, or to a logger-buffered in front of it,
 * whose writer may be waiting for this lock): they are noted in f->note and said after
 * unlocking (flog_unlock).
 */

/* Pending buffers that grew past this are released once written, rather than kept. */
#define FLOG_PENDING_KEEP (1024 * 1024)

/* Report the first failure of a streak; stay quiet for the rest of it. `lost`: lines lost. */
static void flog_failed(flog *f, const char *why, uint64_t lost)
{
    f->dropped += lost;
    if (f->failing)
        return;
    f->failing = 1;
    snprintf(f->note, sizeof f->note, "%s (reported once until it recovers)", why);
    f->note_level = RATCHET_LOG_ERROR;
}

static void flog_recovered(flog *f)
{
    if (!f->failing)
        return;
    /* A warning, not info: it closes an error report and should be seen wherever it was. */
    snprintf(f->note, sizeof f->note, "logging to %s works again; %llu line(s) lost", f->path,
             (unsigned long long)f->dropped);
    f->note_level = RATCHET_LOG_WARN;
    f->failing = 0;
    f->dropped = 0;
}

static void flog_unlock(flog *f)
{
    char msg[sizeof f->note];
    ratchet_log_level level = f->note_level;
    int say = f->note[0] != '\0';
    if (say) {
        memcpy(msg, f->note, sizeof msg);
        f->note[0] = '\0';
    }
    pthread_mutex_unlock(&f->mu);
    if (say)
        flog_host->log(f->ctx, level, "%s", msg);
}

/* Write all of data; returns 0, or -1 with errno set. *done counts the bytes written. */
static int flog_write_all(int fd, const char *data, size_t len, size_t *done)
{
    *done = 0;
    while (*done < len) {
        ssize_t n = write(fd, data + *done, len - *done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (n == 0)
                errno = EIO;
            return -1;
        }
        *done += (size_t)n;
    }
    return 0;
}

/* The lines in data[from, len) (each ends with '\n'): those a failed write lost. */
static uint64_t flog_lines(const char *data, size_t from, size_t len)
{
    uint64_t n = 0;
    for (const char *p = data + from; (p = memchr(p, '\n', len - (size_t)(p - data))); p++)
        n++;
    return n;
}

/* Write whole lines (one or more) with one write(2), rotating first when they would make the
 * file due. f->mu held. */
static void flog_write_lines(flog *f, const char *data, size_t len)
{
    char why[1024] = "";
    char ebuf[128];
    int ok = 1;
    size_t done = 0;

    if (f->fd < 0) {
        /* A reopen failed earlier (or rotation lost the file): try again for every write. */
        if (flog_open(f, 0) != 0) {
            snprintf(why, sizeof why, "cannot open %s: %s", f->path,
                     flog_strerror(errno, ebuf, sizeof ebuf));
            ok = 0;
        }
    }
    /* A line longer than max_size still goes into a file of its own rather than nowhere. */
    if (f->fd >= 0 && flog_due(f, len)) {
        if (flog_rotate(f, why, sizeof why) != 0)
            ok = 0; /* still write to the old file (if open): losing lines is worse */
    }
    if (f->fd < 0) {
        flog_failed(f, why, flog_lines(data, 0, len));
        return;
    }
    if (flog_write_all(f->fd, data, len, &done) != 0) {
        snprintf(why, sizeof why, "cannot write to %s: %s", f->path,
                 flog_strerror(errno, ebuf, sizeof ebuf));
        f->size += (int64_t)done;
        flog_failed(f, why, flog_lines(data, done, len));
        return;
    }
    f->size += (int64_t)len;
    if (f->fsync_policy == FLOG_FSYNC_ALWAYS && fsync(f->fd) != 0) {
        snprintf(why, sizeof why, "cannot fsync %s: %s", f->path,
                 flog_strerror(errno, ebuf, sizeof ebuf));
        ok = 0;
    }
    if (ok)
        flog_recovered(f);
    else
        flog_failed(f, why, 0);
}

static void flog_write_pending(flog *f)
{
    if (f->pending.len == 0)
        return;
    flog_write_lines(f, f->pending.data, f->pending.len);
    f->pending.len = 0;
    if (f->pending.cap > FLOG_PENDING_KEEP)
        flog_host->buf_free(&f->pending);
}

static void flog_put_line(flog *f, const char *line, size_t len, int urgent)
{
    if (f->write_batch == 0) {
        flog_write_lines(f, line, len);
        return;
    }
    /* What is gathered goes first when this line would not fit, or would make the file due
     * for rotation (the rotation then happens before this line, as without batching). */
    if (f->pending.len > 0 &&
        (f->pending.len + len > (size_t)f->write_batch || flog_due(f, f->pending.len + len)))
        flog_write_pending(f);
    if (len > (size_t)f->write_batch) {
        flog_write_lines(f, line, len); /* too long to gather: nothing waits before it now */
        return;
    }
    if (flog_host->buf_append(&f->pending, line, len) != RATCHET_OK) {
        flog_write_pending(f);
        flog_write_lines(f, line, len); /* no memory to gather: write it alone */
        return;
    }
    if (urgent || f->pending.len == (size_t)f->write_batch) {
        flog_write_pending(f);
    } else if (f->pending.len == len) {
        f->pending_since_ms = flog_now_ms(); /* the oldest line: the flusher's clock starts */
        pthread_cond_signal(&f->wake);
    }
}

/* Write what is gathered once the oldest line has waited write_delay; until stop. */
static void *flog_flusher(void *arg)
{
    flog *f = arg;
    pthread_mutex_lock(&f->mu);
    while (!f->stopping) {
        if (f->pending.len == 0) {
            pthread_cond_wait(&f->wake, &f->mu);
            continue;
        }
        int64_t due = f->pending_since_ms + f->write_delay_ms;
        int64_t now = flog_now_ms();
        if (now < due) {
            struct timespec until;
            clock_gettime(CLOCK_MONOTONIC, &until);
            int64_t ns = until.tv_nsec + (due - now) % 1000 * 1000000;
            until.tv_sec += (time_t)((due - now) / 1000 + ns / 1000000000);
            until.tv_nsec = (long)(ns % 1000000000);
            pthread_cond_timedwait(&f->wake, &f->mu, &until);
            continue;
        }
        flog_write_pending(f);
        flog_unlock(f);
        pthread_mutex_lock(&f->mu);
    }
    flog_unlock(f);
    return NULL;
}

static ratchet_status flog_writer_init(flog *f)
{
    pthread_condattr_t ca;
    if (pthread_mutex_init(&f->mu, NULL) != 0)
        return RATCHET_ERR;
    pthread_condattr_init(&ca);
    /* The flusher's timed wait counts on the monotonic clock, as flog_now_ms() does. */
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    int rc = pthread_cond_init(&f->wake, &ca);
    pthread_condattr_destroy(&ca);
    if (rc != 0) {
        pthread_mutex_destroy(&f->mu);
        return RATCHET_ERR;
    }
    f->sync_ready = 1;
    return RATCHET_OK;
}

static ratchet_status flog_writer_start(flog *f)
{
    if (f->write_batch == 0)
        return RATCHET_OK;
    f->stopping = 0;
    if (pthread_create(&f->flusher, NULL, flog_flusher, f) != 0) {
        flog_host->set_error(f->ctx, "cannot start the flusher thread (write_batch)");
        return RATCHET_ERR;
    }
    f->flusher_started = 1;
    return RATCHET_OK;
}

static void flog_writer_stop(flog *f)
{
    pthread_mutex_lock(&f->mu);
    int join = f->flusher_started;
    f->flusher_started = 0;
    f->stopping = 1; /* the flusher leaves its loop when it next holds the lock */
    pthread_cond_signal(&f->wake);
    flog_write_pending(f);
    flog_unlock(f);
    if (join)
        pthread_join(f->flusher, NULL);
}

static void flog_writer_free(flog *f)
{
    if (f->flusher_started)
        flog_writer_stop(f);
    flog_host->buf_free(&f->pending);
    if (f->sync_ready) {
        pthread_mutex_destroy(&f->mu);
        pthread_cond_destroy(&f->wake);
        f->sync_ready = 0;
    }
}

static ratchet_status flog_create(ratchet_ctx *ctx, const ratchet_config *cfg, void **out)
{
    flog *f = flog_host->calloc(1, sizeof *f);
    if (!f) {
        flog_host->set_error(ctx, "out of memory");
        return RATCHET_NOMEM;
    }
    f->ctx = ctx;
    f->path = flog_host->cfg_string(cfg, "path");
    f->max_size = flog_host->cfg_int(cfg, "max_size");
    f->max_files = (int)flog_host->cfg_int(cfg, "max_files");
    f->fsync_policy = flog_fsync_parse(flog_host->cfg_string(cfg, "fsync"));
    f->max_age_ms = flog_host->cfg_int(cfg, "max_age");
    f->compress = flog_host->cfg_bool(cfg, "compress");
    f->write_batch = flog_host->cfg_int(cfg, "write_batch");
    f->write_delay_ms = flog_host->cfg_int(cfg, "write_delay");
    f->fd = -1;
    ratchet_status st = RATCHET_ERR;
    if (!f->path || !*f->path)
        flog_host->set_error(ctx, "option 'path' is empty");
    else if (f->compress && !flog_can_compress())
        flog_host->set_error(ctx,
                             "%s: compress: this build has no zlib (install zlib1g-dev and "
                             "rebuild), so rotated files cannot be compressed",
                             flog_host->node_where(flog_host->cfg_node(cfg, "compress")));
    else
        st = ratchet_log_select_init(flog_host, ctx, cfg, &f->sel);
    if (st == RATCHET_OK && flog_writer_init(f) != RATCHET_OK) {
        flog_host->set_error(ctx, "cannot set up the write lock");
        ratchet_log_select_free(flog_host, &f->sel);
        st = RATCHET_ERR;
    }
    if (st != RATCHET_OK) {
        flog_host->free(f);
        return RATCHET_ERR;
    }
    *out = f;
    return RATCHET_OK;
}

static ratchet_status flog_start(void *instance)
{
    flog *f = instance;
    if (flog_open(f, 0) != 0) {
        char ebuf[128];
        flog_host->set_error(f->ctx, "cannot open %s: %s", f->path,
                             flog_strerror(errno, ebuf, sizeof ebuf));
        return RATCHET_ERR;
    }
    return flog_writer_start(f); /* on failure destroy() closes the file */
}

static void flog_sync_if_wanted(flog *f)
{
    if (f->fd >= 0 && f->fsync_policy != FLOG_FSYNC_NEVER)
        (void)fsync(f->fd); /* at shutdown there is no later attempt to report to */
}

static void flog_stop(void *instance)
{
    flog *f = instance;
    flog_writer_stop(f); /* the flusher is gone and nothing is gathered: no lock needed */
    flog_sync_if_wanted(f);
    if (f->fd >= 0)
        close(f->fd);
    f->fd = -1;
}

/* ,"NAME":"text" or ,"NAME":null for an empty one. */
static ratchet_status flog_put_str(ratchet_buf *b, const char *name, const char *v)
{
    ratchet_status st = flog_host->buf_printf(b, ",\"%s\":", name);
    if (st == RATCHET_OK)
        st = v && *v ? flog_host->buf_json_string(b, v) : flog_host->buf_append(b, "null", 4);
    return st;
}

static ratchet_status flog_put_id(ratchet_buf *b, const char *name, int64_t id)
{
    if (id)
        return flog_host->buf_printf(b, ",\"%s\":%lld", name, (long long)id);
    return flog_host->buf_printf(b, ",\"%s\":null", name);
}

/* The context members (ABI 1.6), null where the event has none. */
static ratchet_status flog_format_context(ratchet_buf *b, const ratchet_log_event *ev)
{
    int has = RATCHET_HAS_FIELD(ev, ratchet_log_event, task_name);
    int bad = 0;
    bad |= flog_put_str(b, "traceId", has ? ev->trace_id : NULL) != RATCHET_OK;
    bad |= flog_put_str(b, "spanId", has ? ev->span_id : NULL) != RATCHET_OK;
    bad |= flog_put_id(b, "jobId", has ? ev->job_id : 0) != RATCHET_OK;
    bad |= flog_put_id(b, "executionId", has ? ev->execution_id : 0) != RATCHET_OK;
    bad |= flog_put_str(b, "taskName", has ? ev->task_name : NULL) != RATCHET_OK;
    return bad ? RATCHET_NOMEM : RATCHET_OK;
}

/* Build the event's JSON line (with its newline) in f->line. */
static ratchet_status flog_format(flog *f, const ratchet_log_event *ev)
{
    ratchet_buf *b = &f->line;
    int bad = 0;

    /* Keep going after a failed append (each is harmless); one check at the end. */
    b->len = 0;
    bad |= flog_host->buf_append(b, "{\"timestamp\":\"", 14) != RATCHET_OK;
    bad |= flog_host->buf_time_iso8601(b, ev->time_us) != RATCHET_OK;
    bad |= flog_host->buf_printf(b, "\",\"level\":\"%s\",\"source\":",
                                 ratchet_log_level_name(ev->level)) != RATCHET_OK;
    bad |= flog_host->buf_json_string(b, ev->source ? ev->source : "") != RATCHET_OK;
    bad |= flog_host->buf_append(b, ",\"plugin\":", 10) != RATCHET_OK;
    if (ev->plugin)
        bad |= flog_host->buf_json_string(b, ev->plugin) != RATCHET_OK;
    else
        bad |= flog_host->buf_append(b, "null", 4) != RATCHET_OK;
    bad |= flog_host->buf_append(b, ",\"message\":", 11) != RATCHET_OK;
    bad |= flog_host->buf_json_string(b, ev->message ? ev->message : "") != RATCHET_OK;
    if (ev->nfields > 0 && ev->fields) {
        bad |= flog_host->buf_append(b, ",\"fields\":{", 11) != RATCHET_OK;
        for (size_t i = 0; i < ev->nfields; i++) {
            const ratchet_log_field *fl = &ev->fields[i];
            if (i > 0)
                bad |= flog_host->buf_append(b, ",", 1) != RATCHET_OK;
            bad |= flog_host->buf_json_string(b, fl->key ? fl->key : "") != RATCHET_OK;
            bad |= flog_host->buf_append(b, ":", 1) != RATCHET_OK;
            bad |= flog_host->buf_json_string(b, fl->value ? fl->value : "") != RATCHET_OK;
        }
        bad |= flog_host->buf_append(b, "}", 1) != RATCHET_OK;
    }
    bad |= flog_format_context(b, ev) != RATCHET_OK;
    bad |= flog_host->buf_append(b, "}\n", 2) != RATCHET_OK;
    return bad ? RATCHET_NOMEM : RATCHET_OK;
}

static void flog_log(void *instance, const ratchet_log_event *ev)
{
    flog *f = instance;
    if (!ratchet_log_select_match(flog_host, &f->sel, ev))
        return;
    int formatted = flog_format(f, ev) == RATCHET_OK;
    pthread_mutex_lock(&f->mu);
    if (formatted)
        flog_put_line(f, f->line.data, f->line.len, ev->level >= RATCHET_LOG_WARN);
    else
        flog_failed(f, "out of memory formatting a log line", 1);
    flog_unlock(f);
    if (f->line.cap > FLOG_BUF_KEEP)
        flog_host->buf_free(&f->line);
}

static void flog_flush(void *instance)
{
    flog *f = instance;
    pthread_mutex_lock(&f->mu);
    flog_write_pending(f); /* visible now; then durable, as the fsync policy asks */
    flog_sync_if_wanted(f);
    flog_unlock(f);
}

static void flog_destroy(void *instance)
{
    flog *f = instance;
    if (!f)
        return;
    flog_writer_free(f); /* before the file closes: it may write what is gathered */
    if (f->fd >= 0)
        close(f->fd); /* start() succeeded but stop() was not reached */
    flog_host->buf_free(&f->line);
    ratchet_log_select_free(flog_host, &f->sel);
    flog_host->free(f);
}

static const ratchet_option flog_options[] = {
    RATCHET_OPT_REQUIRED("path", RATCHET_OPT_PATH,
                         "the log file; its directory must exist (relative: to the config file)"),
    RATCHET_OPT_LOG_LEVEL("info", "lowest level written"),
    RATCHET_OPT_RANGE("max_size", RATCHET_OPT_SIZE, "10MiB", 1024, INT64_C(1) << 40,
                      "rotate before the file would grow past this size"),
    RATCHET_OPT_RANGE("max_files", RATCHET_OPT_INT, "5", 0, 1000,
                      "rotated files kept (path.1 newest); 0 truncates the file in place"),
    RATCHET_OPT_ENUM("fsync", "never|always|rotate", "never",
                     "when to fsync: after every write (every line, or every batch with "
                     "write_batch), or before each rotation and at stop"),
    RATCHET_OPT_RANGE("max_age", RATCHET_OPT_DURATION, "0", 0, INT64_C(366) * 86400000,
                      "also rotate a file once it is this old (counted from when it was "
                      "opened); 0: only by size"),
    RATCHET_OPT("compress", RATCHET_OPT_BOOL, "false",
                "gzip rotated files (path.1.gz ... path.N.gz); needs a build with zlib"),
    RATCHET_OPT_RANGE("write_batch", RATCHET_OPT_SIZE, "0", 0, 64 * 1024 * 1024,
                      "gather lines up to this many bytes and write them with one write(2) "
                      "(warnings, errors, flush and stop write at once); 0: a write per line"),
    RATCHET_OPT_RANGE("write_delay", RATCHET_OPT_DURATION, "100ms", 1, 60000,
                      "with write_batch: longest a gathered line waits before it is written"),
    RATCHET_OPT_LOG_FILTER,
    RATCHET_OPT_END,
};

RATCHET_LOGGER_PLUGIN(logger_file, flog_host, "logger-file", "1.1.0",
                      "JSON lines in a file, rotated by size and age, optionally gzipped",
                      flog_options, .life = {flog_create, flog_start, flog_stop, flog_destroy},
                      .log = flog_log, .flush = flog_flush)
