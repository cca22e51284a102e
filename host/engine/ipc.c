/* host/engine/ipc.c - the worker protocol's framing (see ipc.h): JSON text to a tree with the
 * protocol's number rules, a line reader for pipes, and a writer with an output queue so that
 * the coordinator never blocks on a worker that stopped reading. */
#include "ipc.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "core/core_layer.h"

/* ---- parsing a line ------------------------------------------------------------------------ */

static ratchet_status nomem(rt_error *err)
{
    rt_fail(err, "out of memory parsing a message");
    return RATCHET_NOMEM;
}

static int all_space(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
            return 0;
    return 1;
}

/* rt_json_scan_big with the protocol's message for NaN, Infinity and other bare words. */
static ratchet_status scan_numbers(const char *s, size_t len, char *out, size_t *nbig,
                                   rt_error *err)
{
    size_t off, n;
    if (rt_json_scan_big(s, len, out, nbig, &off, &n) != 0)
        return rt_fail(err, "malformed message: \"%.*s\" is not JSON at byte offset %zu",
                       (int)(n > 16 ? 16 : n), s + off, off);
    return RATCHET_OK;
}

static ratchet_status parse_text(const char *s, size_t len, struct json_object **root,
                                 rt_error *err)
{
    json_tokener *tok = json_tokener_new_ex(RT_IPC_MAX_DEPTH);
    if (!tok)
        return nomem(err);
    json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
    *root = json_tokener_parse_ex(tok, s, (int)len);
    enum json_tokener_error jerr = json_tokener_get_error(tok);
    size_t end = json_tokener_get_parse_end(tok);
    json_tokener_free(tok);
    if (*root && jerr == json_tokener_success && all_space(s + end, len - end))
        return RATCHET_OK;
    json_object_put(*root);
    *root = NULL;
    if (jerr == json_tokener_continue)
        return rt_fail(err, "malformed message: the JSON text ends early (%zu bytes)", len);
    if (jerr == json_tokener_success)
        return rt_fail(err,
                       "malformed message: unexpected data after the JSON object at byte "
                       "offset %zu",
                       end);
    return rt_fail(err, "malformed message: %s at byte offset %zu", json_tokener_error_desc(jerr),
                   end);
}

ratchet_status rt_ipc_parse_json(const char *line, size_t len, struct json_object **root,
                                 rt_error *err)
{
    *root = NULL;
    if (len == 0 || all_space(line, len))
        return rt_fail(err, "malformed message: empty line");
    if (len > (size_t)INT_MAX - 1)
        return rt_fail(err, "message longer than %d bytes", INT_MAX - 1);
    size_t nbig = 0;
    if (scan_numbers(line, len, NULL, &nbig, err) != RATCHET_OK)
        return RATCHET_ERR;
    if (nbig == 0)
        return parse_text(line, len, root, err);
    if (nbig > ((size_t)INT_MAX - len) / 2)
        return rt_fail(err, "message longer than %d bytes", INT_MAX - 1);
    char *copy = malloc(len + 2 * nbig);
    if (!copy)
        return nomem(err);
    scan_numbers(line, len, copy, &nbig, err);
    /* Should the text be malformed too, offsets in the message count the inserted bytes. */
    ratchet_status rc = parse_text(copy, len + 2 * nbig, root, err);
    free(copy);
    if (rc == RATCHET_OK && rt_json_restore_big(*root) != RATCHET_OK) {
        json_object_put(*root);
        *root = NULL;
        return nomem(err);
    }
    return rc;
}

/* ---- reading lines ------------------------------------------------------------------------- */

/* Bytes asked of each read(): large enough that a burst of results is one system call. */
#define READ_CHUNK ((size_t)64 * 1024)

void rt_ipc_reader_init(rt_ipc_reader *r, size_t max_line)
{
    memset(r, 0, sizeof *r);
    r->max_line = max_line ? max_line : RT_IPC_MAX_LINE_DEFAULT;
}

void rt_ipc_reader_free(rt_ipc_reader *r)
{
    free(r->buf);
    size_t max_line = r->max_line;
    memset(r, 0, sizeof *r);
    r->max_line = max_line;
}

/* Record a fault that ends the stream; every later call reports it again. */
static rt_ipc_io reader_fail(rt_ipc_reader *r, rt_error *err, const char *fmt, ...)
    RATCHET_PRINTF(3, 4);

static rt_ipc_io reader_fail(rt_ipc_reader *r, rt_error *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->why.msg, sizeof r->why.msg, fmt, ap);
    va_end(ap);
    r->failed = 1;
    if (err)
        *err = r->why;
    return RT_IPC_IO_ERR;
}

static rt_ipc_io reader_repeat(const rt_ipc_reader *r, rt_error *err)
{
    if (err)
        *err = r->why;
    return RT_IPC_IO_ERR;
}

/* At least READ_CHUNK free bytes after len: drop what was returned, then grow. */
static int reader_room(rt_ipc_reader *r)
{
    if (r->start == r->len)
        r->start = r->len = r->scan = 0;
    if (r->cap - r->len >= READ_CHUNK)
        return 1;
    if (r->start > 0) {
        memmove(r->buf, r->buf + r->start, r->len - r->start);
        r->len -= r->start;
        r->scan -= r->start;
        r->start = 0;
        if (r->cap - r->len >= READ_CHUNK)
            return 1;
    }
    size_t cap = r->cap ? r->cap : READ_CHUNK;
    while (cap - r->len < READ_CHUNK) {
        if (cap > SIZE_MAX / 2)
            return 0;
        cap *= 2;
    }
    char *grown = realloc(r->buf, cap);
    if (!grown)
        return 0;
    r->buf = grown;
    r->cap = cap;
    return 1;
}

rt_ipc_io rt_ipc_read_ready(rt_ipc_reader *r, int fd, rt_error *err)
{
    if (r->failed)
        return reader_repeat(r, err);
    if (r->eof)
        return RT_IPC_IO_EOF;
    for (;;) {
        if (!reader_room(r))
            return reader_fail(r, err, "out of memory reading a message of %zu bytes",
                               r->len - r->start);
        size_t want = r->cap - r->len;
        ssize_t n = read(fd, r->buf + r->len, want);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return RT_IPC_IO_OK;
            /* Not sticky: lines already buffered are still worth returning. */
            rt_fail(err, "cannot read from the peer: %s", strerror(errno));
            return RT_IPC_IO_ERR;
        }
        if (n == 0) {
            r->eof = 1;
            return RT_IPC_IO_EOF;
        }
        size_t got = (size_t)n;
        int newline = memchr(r->buf + r->len, '\n', got) != NULL;
        r->len += got;
        /* A short read drained the pipe; a newline means there is work for the caller, and a
         * blocking fd must not wait for more meanwhile; a tail past the limit is over-long
         * already (rt_ipc_next_line says so), and reading on would only grow the buffer. */
        if (got < want || newline || r->len - r->start > r->max_line)
            return RT_IPC_IO_OK;
    }
}

rt_ipc_io rt_ipc_next_line(rt_ipc_reader *r, const char **line, size_t *len, rt_error *err)
{
    *line = NULL;
    *len = 0;
    if (r->failed)
        return reader_repeat(r, err);
    if (r->scan < r->start)
        r->scan = r->start;
    char *nl = r->len > r->scan ? memchr(r->buf + r->scan, '\n', r->len - r->scan) : NULL;
    if (nl) {
        size_t n = (size_t)(nl - (r->buf + r->start));
        if (n > r->max_line)
            return reader_fail(r, err, "message longer than %zu bytes", r->max_line);
        *nl = '\0';
        *line = r->buf + r->start;
        *len = n;
        r->start = r->scan = (size_t)(nl - r->buf) + 1;
        return RT_IPC_IO_OK;
    }
    r->scan = r->len; /* searched: the next call looks only at new bytes */
    if (r->len - r->start > r->max_line)
        return reader_fail(r, err, "message longer than %zu bytes", r->max_line);
    if (r->eof) {
        if (r->len > r->start)
            return reader_fail(r, err,
                               "the peer closed the pipe in the middle of a message (%zu bytes "
                               "without a newline)",
                               r->len - r->start);
        return RT_IPC_IO_EOF;
    }
    return RT_IPC_IO_AGAIN;
}

/* ---- writing lines ------------------------------------------------------------------------- */

void rt_ipc_writer_init(rt_ipc_writer *w, size_t max_queue)
{
    memset(w, 0, sizeof *w);
    w->max_queue = max_queue ? max_queue : 2 * RT_IPC_MAX_LINE_DEFAULT;
}

void rt_ipc_writer_free(rt_ipc_writer *w)
{
    rt_buf_free(&w->queue);
    w->off = 0;
}

size_t rt_ipc_writer_pending(const rt_ipc_writer *w)
{
    return w->queue.len - w->off;
}

ratchet_status rt_ipc_writer_queue(rt_ipc_writer *w, const rt_ipc_msg *msg, rt_error *err)
{
    /* Drop what was written so the queue does not creep forward in memory. */
    if (w->off > 0 && w->off >= w->queue.len / 2) {
        memmove(w->queue.data, w->queue.data + w->off, w->queue.len - w->off);
        w->queue.len -= w->off;
        w->queue.data[w->queue.len] = '\0';
        w->off = 0;
    }
    size_t before = w->queue.len;
    ratchet_status rc = rt_ipc_encode(msg, &w->queue, err);
    if (rc != RATCHET_OK)
        return rc;
    if (w->queue.len - w->off > w->max_queue) {
        w->queue.len = before;
        w->queue.data[before] = '\0';
        rt_fail(err, "output queue full: the peer has not taken %zu bytes", before - w->off);
        return RATCHET_RETRY;
    }
    return RATCHET_OK;
}

static ratchet_status write_error(int e, rt_error *err)
{
    if (e == EPIPE)
        return rt_fail(err, "the peer closed the pipe");
    return rt_fail(err, "cannot write to the peer: %s", strerror(e));
}

ratchet_status rt_ipc_writer_flush(rt_ipc_writer *w, int fd, rt_error *err)
{
    while (w->off < w->queue.len) {
        ssize_t n = write(fd, w->queue.data + w->off, w->queue.len - w->off);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return RATCHET_RETRY;
            return write_error(errno, err);
        }
        w->off += (size_t)n;
    }
    w->off = w->queue.len = 0;
    if (w->queue.data)
        w->queue.data[0] = '\0';
    return RATCHET_OK;
}

ratchet_status rt_ipc_write_all(int fd, const char *data, size_t len, rt_error *err)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                struct pollfd p = {fd, POLLOUT, 0};
                if (poll(&p, 1, -1) < 0 && errno != EINTR)
                    return write_error(errno, err);
                continue;
            }
            return write_error(errno, err);
        }
        data += n;
        len -= (size_t)n;
    }
    return RATCHET_OK;
}

ratchet_status rt_ipc_write_msg(int fd, const rt_ipc_msg *msg, rt_error *err)
{
    ratchet_buf line = RATCHET_BUF_INIT;
    ratchet_status rc = rt_ipc_encode(msg, &line, err);
    if (rc == RATCHET_OK)
        rc = rt_ipc_write_all(fd, line.data, line.len, err);
    rt_buf_free(&line);
    return rc;
}
