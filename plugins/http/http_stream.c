/*
 * http_stream.c - responses of unknown length (Server-Sent Events, NDJSON).
 *
 * The response is an MHD callback response. Its reader hands out what the consumer queued;
 * with nothing queued it suspends the connection and returns 0, and the next write (or the
 * close, or the keep-alive comment, or shutdown) resumes it. A stream has three references:
 * the consumer's (until stream_close), the response's (until MHD frees it: the connection
 * is over) and the request's. s->mu serialises everything on one stream.
 */
#include <string.h>

#include "http_int.h"

static void stream_free(ratchet_http_stream *s)
{
    mhd_host->free(s->q);
    pthread_mutex_destroy(&s->mu);
    mhd_host->free(s);
}

void mhd_stream_unref(ratchet_http_stream *s)
{
    if (s && atomic_fetch_sub(&s->refs, 1) == 1)
        stream_free(s);
}

static void wake_locked(ratchet_http_stream *s)
{
    if (s->suspended && s->conn) {
        s->suspended = 0;
        MHD_resume_connection(s->conn);
    }
}

static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    ratchet_http_stream *s = cls;
    (void)pos;
    pthread_mutex_lock(&s->mu);
    ssize_t rc;
    if (s->aborted) {
        rc = MHD_CONTENT_READER_END_WITH_ERROR;
    } else if (s->qoff < s->qlen) {
        size_t n = s->qlen - s->qoff < max ? s->qlen - s->qoff : max;
        memcpy(buf, s->q + s->qoff, n);
        s->qoff += n;
        s->sent += n;
        if (s->qoff == s->qlen)
            s->qoff = s->qlen = 0;
        rc = (ssize_t)n;
    } else if (s->consumer_closed || s->gone) {
        rc = MHD_CONTENT_READER_END_OF_STREAM;
    } else {
        s->suspended = 1;
        MHD_suspend_connection(s->conn);
        rc = 0;
    }
    pthread_mutex_unlock(&s->mu);
    return rc;
}

static void list_unlink(ratchet_http_stream *s)
{
    mhd_server *srv = mhd_srv;
    if (!srv)
        return;
    pthread_mutex_lock(&srv->mu);
    if (s->in_list) {
        if (s->prev)
            s->prev->next = s->next;
        else
            srv->streams = s->next;
        if (s->next)
            s->next->prev = s->prev;
        s->in_list = 0;
        if (srv->pending > 0)
            srv->pending--;
        pthread_cond_broadcast(&srv->cv);
    }
    pthread_mutex_unlock(&srv->mu);
}

/* MHD frees the response: the connection is over. Tell the consumer if it did not close. */
static void stream_released(void *cls)
{
    ratchet_http_stream *s = cls;
    pthread_mutex_lock(&s->mu);
    s->conn = NULL;
    s->suspended = 0;
    int call = !s->consumer_closed && !s->close_called && s->on_close;
    s->close_called = 1;
    s->gone = 1;
    pthread_mutex_unlock(&s->mu);
    list_unlink(s);
    if (call)
        s->on_close(s->user, s, RATCHET_HTTP_END_CLOSED);
    mhd_stream_unref(s);
}

static ratchet_http_stream *stream_open(ratchet_http_request *req, int status,
                                        const char *content_type, ratchet_http_on_close on_close,
                                        void *user)
{
    if (!req || !content_type || status < 200 || status > 599)
        return NULL;
    ratchet_http_stream *s = mhd_host->calloc(1, sizeof *s);
    if (!s)
        return NULL;
    atomic_init(&s->refs, 3);
    pthread_mutex_init(&s->mu, NULL);
    s->conn = req->conn;
    s->sse = strncmp(content_type, "text/event-stream", 17) == 0;
    s->on_close = on_close;
    s->user = user;
    s->last_write_ns = mhd_now_ns();
    struct MHD_Response *r =
        MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, stream_read, s, stream_released);
    if (!r) {
        stream_free(s);
        return NULL;
    }
    MHD_add_response_header(r, "Content-Type", content_type);
    if (s->sse)
        MHD_add_response_header(r, "X-Accel-Buffering", "no");
    /* Count it as pending before it can complete (srv->pending is lowered on release). */
    mhd_server *srv = mhd_srv;
    pthread_mutex_lock(&srv->mu);
    s->in_list = 1;
    s->next = srv->streams;
    if (s->next)
        s->next->prev = s;
    srv->streams = s;
    srv->pending++;
    pthread_mutex_unlock(&srv->mu);
    s->close_called = 1; /* no on_close if the answer is refused below */
    if (mhd_accept(req, mhd_decorate(req, r, 1), status, 0, s) != RATCHET_OK) {
        /* Not accepted: the response is gone (released -> unlinked); drop ours. */
        pthread_mutex_lock(&s->mu);
        s->consumer_closed = 1;
        pthread_mutex_unlock(&s->mu);
        mhd_stream_unref(s); /* the request's */
        mhd_stream_unref(s); /* the consumer's */
        return NULL;
    }
    pthread_mutex_lock(&s->mu);
    s->close_called = 0;
    pthread_mutex_unlock(&s->mu);
    return s;
}

/* Queue bytes (s->mu held). */
static ratchet_status queue_locked(ratchet_http_stream *s, const char *data, size_t len)
{
    if (s->gone || s->consumer_closed || !s->conn)
        return RATCHET_ERR;
    if (s->qlen - s->qoff > MHD_STREAM_MAX_QUEUED)
        return RATCHET_RETRY;
    if (s->qoff > 0) {
        memmove(s->q, s->q + s->qoff, s->qlen - s->qoff);
        s->qlen -= s->qoff;
        s->qoff = 0;
    }
    char *q = mhd_host->realloc(s->q, s->qlen + len + 1);
    if (!q)
        return RATCHET_NOMEM;
    memcpy(q + s->qlen, data, len);
    s->q = q;
    s->qlen += len;
    s->last_write_ns = mhd_now_ns();
    wake_locked(s);
    return RATCHET_OK;
}

static ratchet_status stream_write(ratchet_http_stream *s, const char *data, size_t len)
{
    if (!s || (!data && len))
        return RATCHET_ERR;
    pthread_mutex_lock(&s->mu);
    ratchet_status rc = queue_locked(s, data, len);
    pthread_mutex_unlock(&s->mu);
    return rc;
}

static void stream_close(ratchet_http_stream *s)
{
    if (!s)
        return;
    pthread_mutex_lock(&s->mu);
    s->consumer_closed = 1;
    wake_locked(s);
    pthread_mutex_unlock(&s->mu);
    mhd_stream_unref(s);
}

int64_t mhd_streams_keepalive(mhd_server *srv, int64_t now)
{
    int64_t next = INT64_MAX;
    int64_t every = srv->keepalive_ms * 1000000;
    for (ratchet_http_stream *s = srv->streams; s; s = s->next) {
        if (!s->sse)
            continue;
        pthread_mutex_lock(&s->mu);
        if (now - s->last_write_ns >= every)
            (void)queue_locked(s, ":\n\n", 3); /* a comment: clients ignore it */
        int64_t due = s->last_write_ns + every;
        pthread_mutex_unlock(&s->mu);
        if (due < next)
            next = due;
    }
    return next;
}

void mhd_streams_abort_locked(mhd_server *srv)
{
    for (ratchet_http_stream *s = srv->streams; s; s = s->next) {
        pthread_mutex_lock(&s->mu);
        s->aborted = 1;
        wake_locked(s);
        pthread_mutex_unlock(&s->mu);
    }
}

void mhd_streams_shutdown(mhd_server *srv)
{
    for (;;) {
        /* One at a time: the list may change while on_close runs. */
        ratchet_http_stream *pick = NULL;
        pthread_mutex_lock(&srv->mu);
        for (ratchet_http_stream *s = srv->streams; s && !pick; s = s->next) {
            pthread_mutex_lock(&s->mu);
            if (!s->close_called && !s->consumer_closed) {
                s->close_called = 1;
                atomic_fetch_add(&s->refs, 1);
                pick = s;
            }
            pthread_mutex_unlock(&s->mu);
        }
        pthread_mutex_unlock(&srv->mu);
        if (!pick)
            return;
        if (pick->on_close) /* writes still work inside: a last event */
            pick->on_close(pick->user, pick, RATCHET_HTTP_END_SHUTDOWN);
        pthread_mutex_lock(&pick->mu);
        pick->gone = 1;
        wake_locked(pick);
        pthread_mutex_unlock(&pick->mu);
        mhd_stream_unref(pick);
    }
}

void mhd_stream_api(ratchet_http_api *api)
{
    api->stream_open = stream_open;
    api->stream_write = stream_write;
    api->stream_close = stream_close;
}
