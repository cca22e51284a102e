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
 * say). Each line is built in full
 * and written with one write(2) on an O_APPEND descriptor, so several processes appending to
 * the same file do not split each other's lines. A line never straddles two files: rotation
 * happens before a line that would take the file past max_size.
 *
 * Failures at run time (disk full, directory removed, rename refused) cannot stop the
 * process: they are reported once per streak through host->log and every following event
 * tries again.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "flog.h"

/* Buffers that grew past this for one huge event are released rather than kept. */
#define FLOG_BUF_KEEP 65536

const ratchet_host_api *flog_host;

static const char *const flog_level_names[] = {"trace", "debug", "info", "warn", "error"};

static int flog_pick(const char *s, const char *const *names, int count, int fallback)
{
    for (int i = 0; s && i < count; i++) {
        if (strcmp(s, names[i]) == 0)
            return i;
    }
    return fallback; /* unreachable for validated enums */
}

static ratchet_status flog_create(ratchet_ctx *ctx, const ratchet_config *cfg, void **out)
{
    static const char *const fsync_names[] = {"never", "always", "rotate"};
    flog *f = flog_host->calloc(1, sizeof *f);
    if (!f) {
        flog_host->set_error(ctx, "out of memory");
        return RATCHET_NOMEM;
    }
    f->ctx = ctx;
    f->path = flog_host->cfg_string(cfg, "path");
    f->level = (ratchet_log_level)flog_pick(flog_host->cfg_string(cfg, "level"), flog_level_names,
                                            5, RATCHET_LOG_INFO);
    f->max_size = flog_host->cfg_int(cfg, "max_size");
    f->max_files = (int)flog_host->cfg_int(cfg, "max_files");
    f->fsync_policy = (flog_fsync)flog_pick(flog_host->cfg_string(cfg, "fsync"), fsync_names, 3,
                                            FLOG_FSYNC_NEVER);
    f->max_age_ms = flog_host->cfg_int(cfg, "max_age");
    f->compress = flog_host->cfg_bool(cfg, "compress");
    f->fd = -1;
    ratchet_buf why = RATCHET_BUF_INIT;
    if (!f->path || !*f->path)
        flog_host->set_error(ctx, "option 'path' is empty");
    else if (f->compress && !flog_can_compress())
        flog_host->set_error(ctx,
                             "%s: compress: this build has no zlib (install zlib1g-dev and "
                             "rebuild), so rotated files cannot be compressed",
                             flog_host->node_where(flog_host->cfg_node(cfg, "compress")));
    else if (!(f->filter = flog_host->log_filter_new(flog_host->cfg_string(cfg, "filter"), &why)))
        flog_host->set_error(ctx, "%s: filter: %s",
                             flog_host->node_where(flog_host->cfg_node(cfg, "filter")),
                             why.data ? why.data : "out of memory");
    flog_host->buf_free(&why);
    if (!f->filter) {
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
    return RATCHET_OK;
}

static void flog_sync_if_wanted(flog *f)
{
    if (f->fd >= 0 && f->fsync_policy != FLOG_FSYNC_NEVER)
        (void)fsync(f->fd); /* at shutdown there is no later attempt to report to */
}

static void flog_stop(void *instance)
{
    flog *f = instance;
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
    unsigned lvl = (unsigned)ev->level <= RATCHET_LOG_ERROR ? (unsigned)ev->level : 4u;
    int bad = 0;

    /* Keep going after a failed append (each is harmless); one check at the end. */
    b->len = 0;
    bad |= flog_host->buf_append(b, "{\"timestamp\":\"", 14) != RATCHET_OK;
    bad |= flog_host->buf_time_iso8601(b, ev->time_us) != RATCHET_OK;
    bad |= flog_host->buf_printf(b, "\",\"level\":\"%s\",\"source\":", flog_level_names[lvl]) !=
           RATCHET_OK;
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

/* Report the first failure of a streak; stay quiet for the rest of it. */
static void flog_failed(flog *f, const char *why, int lost)
{
    if (lost)
        f->dropped++;
    if (f->failing)
        return;
    f->failing = 1;
    flog_host->log(f->ctx, RATCHET_LOG_ERROR, "%s (reported once until it recovers)", why);
}

static void flog_recovered(flog *f)
{
    if (!f->failing)
        return;
    /* A warning, not info: it closes an error report and should be seen wherever it was. */
    flog_host->log(f->ctx, RATCHET_LOG_WARN, "logging to %s works again; %llu line(s) lost",
                   f->path, (unsigned long long)f->dropped);
    f->failing = 0;
    f->dropped = 0;
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

static void flog_write_line(flog *f, const char *data, size_t len)
{
    char why[1024] = "";
    char ebuf[128];
    int ok = 1;
    size_t done = 0;

    if (f->fd < 0) {
        /* A reopen failed earlier (or rotation lost the file): try again for every line. */
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
        flog_failed(f, why, 1);
        return;
    }
    if (flog_write_all(f->fd, data, len, &done) != 0) {
        snprintf(why, sizeof why, "cannot write to %s: %s", f->path,
                 flog_strerror(errno, ebuf, sizeof ebuf));
        f->size += (int64_t)done;
        flog_failed(f, why, 1);
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

static void flog_log(void *instance, const ratchet_log_event *ev)
{
    flog *f = instance;
    if (ev->level < f->level || !flog_host->log_filter_match(f->filter, ev))
        return;
    if (flog_format(f, ev) != RATCHET_OK)
        flog_failed(f, "out of memory formatting a log line", 1);
    else
        flog_write_line(f, f->line.data, f->line.len);
    if (f->line.cap > FLOG_BUF_KEEP)
        flog_host->buf_free(&f->line);
}

static void flog_flush(void *instance)
{
    /* write(2) already made every line visible; only durability is left to ask for. */
    flog_sync_if_wanted(instance);
}

static void flog_destroy(void *instance)
{
    flog *f = instance;
    if (!f)
        return;
    if (f->fd >= 0)
        close(f->fd); /* start() succeeded but stop() was not reached */
    flog_host->buf_free(&f->line);
    flog_host->log_filter_free(f->filter);
    flog_host->free(f);
}

static const ratchet_option flog_options[] = {
    RATCHET_OPT_REQUIRED("path", RATCHET_OPT_PATH,
                         "the log file; its directory must exist (relative: to the config file)"),
    RATCHET_OPT_ENUM("level", "trace|debug|info|warn|error", "info", "lowest level written"),
    RATCHET_OPT_RANGE("max_size", RATCHET_OPT_SIZE, "10MiB", 1024, INT64_C(1) << 40,
                      "rotate before the file would grow past this size"),
    RATCHET_OPT_RANGE("max_files", RATCHET_OPT_INT, "5", 0, 1000,
                      "rotated files kept (path.1 newest); 0 truncates the file in place"),
    RATCHET_OPT_ENUM("fsync", "never|always|rotate", "never",
                     "when to fsync: after every line, or before each rotation and at stop"),
    RATCHET_OPT_RANGE("max_age", RATCHET_OPT_DURATION, "0", 0, INT64_C(366) * 86400000,
                      "also rotate a file once it is this old (counted from when it was "
                      "opened); 0: only by size"),
    RATCHET_OPT("compress", RATCHET_OPT_BOOL, "false",
                "gzip rotated files (path.1.gz ... path.N.gz); needs a build with zlib"),
    RATCHET_OPT_LOG_FILTER,
    RATCHET_OPT_END,
};

static const ratchet_logger_vtable flog_logger = {
    .abi = RATCHET_ABI_INIT(ratchet_logger_vtable),
    .life.create = flog_create,
    .life.start = flog_start,
    .life.stop = flog_stop,
    .life.destroy = flog_destroy,
    .log = flog_log,
    .flush = flog_flush,
};

static const ratchet_plugin_desc flog_desc = {
    .abi = RATCHET_ABI_INIT(ratchet_plugin_desc),
    .name = "logger-file",
    .version = "1.1.0",
    .description = "JSON lines in a file, rotated by size and age, optionally gzipped",
    .license = NULL,
    .options = flog_options,
    .logger = &flog_logger,
};

RATCHET_PLUGIN_ENTRY(logger_file)
{
    flog_host = api;
    return &flog_desc;
}
