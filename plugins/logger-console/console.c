/*
 * logger-console - human-readable log lines on stderr.
 *
 *     2026-11-26T06:40:45.123Z INFO  [source] message key=value key2="value with spaces"
 *
 * and, when the event was logged while the engine worked on a job (ABI 1.6 context), that
 * context in braces at the end: {task=addition job=12 exec=34 trace=4bf92f35} (the trace id's
 * first 8 hex digits; enough to grep the file logger's full traceId).
 *
 * Each event is built completely in a buffer of the logging thread's, so the logger declares
 * itself concurrent (ABI 1.9): threads format their lines at once and never wait on each
 * other's formatting. Whole lines then go to stderr through console_out.c: gathered for a
 * couple of milliseconds and written together by a writer thread (warnings and errors at
 * once), so lines from several threads or processes sharing the terminal do not interleave
 * mid-line (a pipe keeps writes up to PIPE_BUF atomic; a tty or file in practice keeps a
 * single write together).
 */
#define _POSIX_C_SOURCE 200809L

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ratchet/logger_util.h>

#include "console_out.h"

/* Line buffers kept between events for the threads that log at once (more are allocated,
 * used and freed when more threads log together). */
#define CONSOLE_SPARES 8

typedef enum console_color {
    CONSOLE_COLOR_AUTO,
    CONSOLE_COLOR_ALWAYS,
    CONSOLE_COLOR_NEVER
} console_color;

typedef struct console {
    ratchet_ctx *ctx;
    ratchet_log_select sel; /* the `level` and `filter` options */
    console_color color;
    int timestamps;
    int use_color; /* decided at start(): colour is a property of where stderr points */
    _Atomic(ratchet_buf *) spare[CONSOLE_SPARES]; /* line buffers not in use, or NULL */
    console_out out;                              /* the way to stderr */
} console;

static const ratchet_host_api *host;

static const char *const console_level_words[] = {"TRACE", "DEBUG", "INFO", "WARN", "ERROR"};
static const char *const console_level_colors[] = {"\033[2m", "\033[2m", "\033[32m", "\033[33m",
                                                   "\033[31m"};

static ratchet_status console_create(ratchet_ctx *ctx, const ratchet_config *cfg, void **out)
{
    console *c = host->calloc(1, sizeof *c);
    if (!c) {
        host->set_error(ctx, "out of memory");
        return RATCHET_NOMEM;
    }
    const char *color = host->cfg_string(cfg, "color");
    c->ctx = ctx;
    c->color = !color || strcmp(color, "auto") == 0 ? CONSOLE_COLOR_AUTO
               : strcmp(color, "always") == 0       ? CONSOLE_COLOR_ALWAYS
                                                    : CONSOLE_COLOR_NEVER;
    c->timestamps = host->cfg_bool(cfg, "timestamps");
    if (ratchet_log_select_init(host, ctx, cfg, &c->sel) != RATCHET_OK) {
        host->free(c);
        return RATCHET_ERR;
    }
    console_out_init(&c->out, host);
    *out = c;
    return RATCHET_OK;
}

static ratchet_status console_start(void *instance)
{
    console *c = instance;
    if (c->color == CONSOLE_COLOR_AUTO) {
        /* https://no-color.org: a non-empty NO_COLOR turns colour off. */
        const char *no_color = getenv("NO_COLOR");
        c->use_color = isatty(STDERR_FILENO) && !(no_color && *no_color);
    } else {
        c->use_color = c->color == CONSOLE_COLOR_ALWAYS;
    }
    /* Without the writer thread every line is written at once, as by a stopped logger. */
    if (console_out_start(&c->out) != RATCHET_OK)
        host->log(c->ctx, RATCHET_LOG_WARN, "no writer thread: each line is written alone");
    return RATCHET_OK;
}

static void console_stop(void *instance)
{
    console *c = instance;
    console_out_stop(&c->out);
}

/* A line buffer for one log() call: a spare one when there is one (log() runs on several
 * threads at once), else a new one; NULL when out of memory. */
static ratchet_buf *console_buf_take(console *c)
{
    for (int i = 0; i < CONSOLE_SPARES; i++) {
        ratchet_buf *b = atomic_exchange(&c->spare[i], NULL);
        if (b)
            return b;
    }
    return host->calloc(1, sizeof(ratchet_buf));
}

static void console_buf_drop(ratchet_buf *b)
{
    host->buf_free(b);
    host->free(b);
}

/* Keep `b` as a spare (emptied of a huge event's memory) unless every slot holds one. */
static void console_buf_give(console *c, ratchet_buf *b)
{
    if (b->cap > CONSOLE_BUF_KEEP)
        host->buf_free(b);
    for (int i = 0; i < CONSOLE_SPARES; i++) {
        ratchet_buf *empty = NULL;
        if (atomic_compare_exchange_strong(&c->spare[i], &empty, b))
            return;
    }
    console_buf_drop(b);
}

/*
 * Append `s`, replacing control characters by escapes: a message or value containing a
 * newline would otherwise break the one-line-per-event shape, and one containing ESC could
 * repaint the operator's terminal (task output is not trusted). Tabs are kept.
 */
static ratchet_status console_put_escaped(ratchet_buf *b, const char *s, int quote)
{
    ratchet_status st = RATCHET_OK;
    const char *run = s;
    for (const char *p = s; *p && st == RATCHET_OK; p++) {
        unsigned char ch = (unsigned char)*p;
        const char *esc = NULL;
        char hex[8];
        if (ch == '\n')
            esc = "\\n";
        else if (ch == '\r')
            esc = "\\r";
        else if ((ch < 0x20 && ch != '\t') || ch == 0x7f) {
            snprintf(hex, sizeof hex, "\\x%02x", ch);
            esc = hex;
        } else if (quote && (ch == '"' || ch == '\\'))
            esc = ch == '"' ? "\\\"" : "\\\\";
        if (!esc)
            continue;
        st = host->buf_append(b, run, (size_t)(p - run));
        if (st == RATCHET_OK)
            st = host->buf_append(b, esc, strlen(esc));
        run = p + 1;
    }
    if (st == RATCHET_OK)
        st = host->buf_append(b, run, strlen(run));
    return st;
}

/* A value is quoted when it would not read back as one word: empty, or holding a space,
 * quote, backslash, '=' or a control character. */
static int console_needs_quotes(const char *v)
{
    if (!*v)
        return 1;
    for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
        if (*p <= ' ' || *p == '"' || *p == '\\' || *p == '=' || *p == 0x7f)
            return 1;
    }
    return 0;
}

/* " {task=NAME job=N exec=N trace=8HEX}" for an event logged in a job's context. */
static ratchet_status console_context(ratchet_buf *b, const ratchet_log_event *ev)
{
    if (!RATCHET_HAS_FIELD(ev, ratchet_log_event, task_name))
        return RATCHET_OK;
    const char *task = ev->task_name ? ev->task_name : "";
    const char *trace = ev->trace_id ? ev->trace_id : "";
    if (!*task && !ev->job_id && !ev->execution_id && !*trace)
        return RATCHET_OK;
    const char *sep = "";
    ratchet_status st = host->buf_append(b, " {", 2);
    if (st == RATCHET_OK && *task) {
        st = host->buf_append(b, "task=", 5);
        if (st == RATCHET_OK)
            st = console_put_escaped(b, task, 0);
        sep = " ";
    }
    if (st == RATCHET_OK && ev->job_id) {
        st = host->buf_printf(b, "%sjob=%lld", sep, (long long)ev->job_id);
        sep = " ";
    }
    if (st == RATCHET_OK && ev->execution_id) {
        st = host->buf_printf(b, "%sexec=%lld", sep, (long long)ev->execution_id);
        sep = " ";
    }
    if (st == RATCHET_OK && *trace)
        st = host->buf_printf(b, "%strace=%.8s", sep, trace);
    if (st == RATCHET_OK)
        st = host->buf_append(b, "}", 1);
    return st;
}

static ratchet_status console_format(const console *c, ratchet_buf *b, const ratchet_log_event *ev)
{
    const char *source = ev->source ? ev->source : "?";
    /* An out-of-range level from a newer host reads as the most severe one we know. */
    unsigned lvl = (unsigned)ev->level <= RATCHET_LOG_ERROR ? (unsigned)ev->level : 4u;
    const char *word = console_level_words[lvl];
    ratchet_status st = RATCHET_OK;

    b->len = 0;
    if (c->timestamps) {
        st = host->buf_time_iso8601(b, ev->time_us);
        if (st == RATCHET_OK)
            st = host->buf_append(b, " ", 1);
    }
    if (st == RATCHET_OK && c->use_color)
        st = host->buf_printf(b, "%s%s\033[0m", console_level_colors[lvl], word);
    else if (st == RATCHET_OK)
        st = host->buf_append(b, word, strlen(word));
    /* Pad the level to the widest word (5) so messages line up, then one space; then the
     * source, and the plugin name when the instance was named differently (appends, not
     * printf: this runs for every access-log line). */
    if (st == RATCHET_OK)
        st = host->buf_append(b, "      [" + strlen(word), 7 - strlen(word));
    if (st == RATCHET_OK)
        st = host->buf_append(b, source, strlen(source));
    if (st == RATCHET_OK && ev->plugin && strcmp(ev->plugin, source) != 0) {
        st = host->buf_append(b, "(", 1);
        if (st == RATCHET_OK)
            st = host->buf_append(b, ev->plugin, strlen(ev->plugin));
        if (st == RATCHET_OK)
            st = host->buf_append(b, ")", 1);
    }
    if (st == RATCHET_OK)
        st = host->buf_append(b, "] ", 2);
    if (st == RATCHET_OK)
        st = console_put_escaped(b, ev->message ? ev->message : "", 0);
    for (size_t i = 0; i < ev->nfields && ev->fields && st == RATCHET_OK; i++) {
        const char *key = ev->fields[i].key ? ev->fields[i].key : "";
        const char *val = ev->fields[i].value ? ev->fields[i].value : "";
        int quote = console_needs_quotes(val);
        st = host->buf_append(b, " ", 1);
        if (st == RATCHET_OK)
            st = console_put_escaped(b, key, 0);
        if (st == RATCHET_OK)
            st = host->buf_append(b, quote ? "=\"" : "=", quote ? 2 : 1);
        if (st == RATCHET_OK)
            st = console_put_escaped(b, val, quote);
        if (st == RATCHET_OK && quote)
            st = host->buf_append(b, "\"", 1);
    }
    if (st == RATCHET_OK)
        st = console_context(b, ev);
    if (st == RATCHET_OK)
        st = host->buf_append(b, "\n", 1);
    return st;
}

static void console_log(void *instance, const ratchet_log_event *ev)
{
    console *c = instance;
    if (!ratchet_log_select_match(host, &c->sel, ev))
        return;
    ratchet_buf *line = console_buf_take(c);
    if (!line)
        return; /* out of memory: drop this event (saying so would need memory too) */
    if (console_format(c, line, ev) != RATCHET_OK) {
        console_buf_drop(line);
        return;
    }
    /* Warnings and errors are not held back: they may be the last words of a process. */
    console_out_put(&c->out, line->data, line->len, ev->level >= RATCHET_LOG_WARN);
    console_buf_give(c, line);
}

static void console_flush(void *instance)
{
    console *c = instance;
    console_out_flush(&c->out);
    fflush(stderr);
}

static void console_destroy(void *instance)
{
    console *c = instance;
    if (!c)
        return;
    console_out_stop(&c->out); /* written, if stop() was not called */
    console_out_free(&c->out);
    for (int i = 0; i < CONSOLE_SPARES; i++) {
        ratchet_buf *b = atomic_load(&c->spare[i]);
        if (b)
            console_buf_drop(b);
    }
    ratchet_log_select_free(host, &c->sel);
    host->free(c);
}

static const ratchet_option console_options[] = {
    RATCHET_OPT_LOG_LEVEL("info", "lowest level written to stderr"),
    RATCHET_OPT_ENUM("color", "auto|always|never", "auto",
                     "colour the level word; auto: only when stderr is a terminal and NO_COLOR "
                     "is unset or empty"),
    RATCHET_OPT("timestamps", RATCHET_OPT_BOOL, "true",
                "start each line with the UTC time (turn off under journald)"),
    RATCHET_OPT_LOG_FILTER,
    RATCHET_OPT_END,
};

RATCHET_LOGGER_PLUGIN(logger_console, host, "logger-console", "1.1.0",
                      "human-readable log lines on stderr", console_options,
                      .life = {console_create, console_start, console_stop, console_destroy},
                      .log = console_log, .flush = console_flush,
                      .flags = RATCHET_LOGGER_CONCURRENT)
