/*
 * plugins/api-mcp/mcp_stdio.c - the stdio transport: one JSON-RPC message per line on stdin,
 * answers and notifications one per line on stdout (written whole under a mutex, so lines of
 * concurrent calls never interleave), logs only through host->log (stderr).
 *
 * A reader thread polls stdin and a self-pipe (so that stop() can end it without closing
 * stdin), cuts lines, and dispatches each one; tools/call runs on threads of its own
 * (mcp_call.c), so cancellations are read while a call waits. A line longer than
 * MCP_MAX_MESSAGE is skipped up to its newline and answered with an error. On EOF the reader
 * asks the host to stop (host->request_stop, ABI 1.4): `ratchet mcp-serve` ends when its
 * client goes away.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mcp.h"

#define READ_CHUNK 65536

typedef struct stdio_state {
    mcp *m;
    mcp_out out;
    pthread_mutex_t write_lock;
    pthread_t reader;
    int stop_pipe[2];
    char *line; /* the line being read (host allocator) */
    size_t len, cap;
    int overlong; /* skipping the rest of a line over the limit */
    size_t skipped;
} stdio_state;

/* Write all of `data`, retrying short writes; gives up on EPIPE (the client is gone). */
static void write_all(const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = write(STDOUT_FILENO, data, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return;
        data += n;
        len -= (size_t)n;
    }
}

static void stdio_send(mcp_out *o, const char *json, size_t len, int final)
{
    stdio_state *st = (stdio_state *)(void *)((char *)o - offsetof(stdio_state, out));
    (void) final;
    pthread_mutex_lock(&st->write_lock);
    write_all(json, len);
    write_all("\n", 1);
    pthread_mutex_unlock(&st->write_lock);
}

static void stdio_release(mcp_out *o)
{
    (void)o; /* the channel lives as long as the transport */
}

static void handle_line(stdio_state *st)
{
    mcp_caller admin = {RATCHET_HTTP_ADMIN};
    size_t n = st->len;
    while (n > 0 && (st->line[n - 1] == '\r' || st->line[n - 1] == ' ' || st->line[n - 1] == '\t'))
        n--;
    if (n == 0)
        return; /* blank lines are not messages */
    mcp_dispatch_text(st->m, &st->m->stdio_session, st->line, n, &st->out, &admin);
}

/* Feed `len` bytes of input: cut lines, dispatch each. 0 when out of memory. */
static int feed(stdio_state *st, const char *buf, size_t len)
{
    while (len > 0) {
        const char *nl = memchr(buf, '\n', len);
        size_t take = nl ? (size_t)(nl - buf) : len;
        if (!st->overlong && st->len + take > MCP_MAX_MESSAGE) {
            st->overlong = 1;
            st->skipped = st->len;
            st->len = 0;
        }
        if (st->overlong) {
            st->skipped += take;
        } else {
            if (st->len + take + 1 > st->cap) {
                size_t cap = (st->len + take + 1) * 2;
                char *grown = mcp_host->realloc(st->line, cap);
                if (!grown)
                    return 0;
                st->line = grown;
                st->cap = cap;
            }
            memcpy(st->line + st->len, buf, take);
            st->len += take;
            st->line[st->len] = '\0';
        }
        if (!nl)
            return 1;
        if (st->overlong)
            mcp_send_error(&st->out, NULL, MCP_INVALID_REQUEST, NULL,
                           "message of %zu bytes is over the limit of %zu bytes; skipped",
                           st->skipped, MCP_MAX_MESSAGE);
        else
            handle_line(st);
        st->overlong = 0;
        st->len = 0;
        buf = nl + 1;
        len -= take + 1;
    }
    return 1;
}


/* Wait until no tool call is in flight: 1 then, 0 when stop() asked the reader to end first. */
static int wait_calls_or_stop(stdio_state *st)
{
    mcp *m = st->m;
    for (;;) {
        pthread_mutex_lock(&m->lock);
        if (m->ncalls > 0) {
            struct timespec until;
            clock_gettime(CLOCK_REALTIME, &until);
            until.tv_nsec += 200 * 1000000L;
            if (until.tv_nsec >= 1000000000L) {
                until.tv_sec++;
                until.tv_nsec -= 1000000000L;
            }
            pthread_cond_timedwait(&m->idle, &m->lock, &until);
        }
        int idle = m->ncalls == 0;
        pthread_mutex_unlock(&m->lock);
        if (idle)
            return 1;
        struct pollfd stop = {st->stop_pipe[0], POLLIN, 0};
        if (poll(&stop, 1, 0) > 0)
            return 0;
    }
}

static void *reader_main(void *arg)
{
    stdio_state *st = arg;
    static char buf[READ_CHUNK]; /* one reader per process: stdin is one */
    const char *why = "stdin closed";
    for (;;) {
        struct pollfd fds[2] = {{STDIN_FILENO, POLLIN, 0}, {st->stop_pipe[0], POLLIN, 0}};
        if (poll(fds, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            why = "stdin: poll failed";
            break;
        }
        if (fds[1].revents)
            return NULL; /* stop(): the host is stopping already */
        ssize_t n = read(STDIN_FILENO, buf, sizeof buf);
        if (n < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (n <= 0)
            break;
        if (!feed(st, buf, (size_t)n)) {
            why = "out of memory reading stdin";
            break;
        }
    }
    mcp *m = st->m;
    /* A client that writes its requests and closes stdin still gets its answers: the host is
     * asked to stop once the tool calls in flight have ended (or stop() came first). */
    if (!wait_calls_or_stop(st))
        return NULL;
    mcp_host->log(m->ctx, RATCHET_LOG_INFO, "%s: asking the host to stop", why);
    if (RATCHET_HAS_FIELD(mcp_host, ratchet_host_api, request_stop) && mcp_host->request_stop)
        mcp_host->request_stop(m->ctx, why);
    return NULL;
}

ratchet_status mcp_stdio_start(mcp *m)
{
    stdio_state *st = mcp_host->calloc(1, sizeof *st);
    if (!st || pipe(st->stop_pipe) != 0) {
        mcp_host->free(st);
        mcp_host->set_error(m->ctx, "stdio transport: out of resources (%s)", strerror(errno));
        return RATCHET_ERR;
    }
    st->m = m;
    st->out = (mcp_out){stdio_send, stdio_release, 1};
    pthread_mutex_init(&st->write_lock, NULL);
    if (pthread_create(&st->reader, NULL, reader_main, st) != 0) {
        close(st->stop_pipe[0]);
        close(st->stop_pipe[1]);
        pthread_mutex_destroy(&st->write_lock);
        mcp_host->free(st);
        mcp_host->set_error(m->ctx, "stdio transport: cannot start the reader thread");
        return RATCHET_ERR;
    }
    m->stdio_state = st;
    mcp_host->log(m->ctx, RATCHET_LOG_INFO, "MCP on stdio (one JSON-RPC message per line)");
    return RATCHET_OK;
}

/* Stops the reader; call threads still write through st->out, so mcp.c frees the state only
 * after they are drained (mcp_stdio_free). */
void mcp_stdio_stop(mcp *m)
{
    stdio_state *st = m->stdio_state;
    if (!st)
        return;
    ssize_t rc;
    do
        rc = write(st->stop_pipe[1], "x", 1);
    while (rc < 0 && errno == EINTR);
    pthread_join(st->reader, NULL);
}

void mcp_stdio_free(mcp *m)
{
    stdio_state *st = m->stdio_state;
    if (!st)
        return;
    close(st->stop_pipe[0]);
    close(st->stop_pipe[1]);
    pthread_mutex_destroy(&st->write_lock);
    mcp_host->free(st->line);
    mcp_host->free(st);
    m->stdio_state = NULL;
}
