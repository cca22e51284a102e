/*
 * http_upgrade.c - connection upgrades (101 Switching Protocols, for WebSocket) on
 * libmicrohttpd's upgrade support: upgrade(), and reading and writing the raw connection
 * afterwards (http.h, interface minor 1).
 *
 * upgrade() stores an MHD upgrade response as the request's answer; MHD sends the 101 and
 * calls on_switched() on the connection's thread with the socket, the bytes that followed the
 * request (extra_in) and the handle to close it with. The consumer then owns the connection
 * and reads/writes it from its own thread: reads poll the socket and an eventfd that
 * shutdown() signals, writes are serialised by a mutex and bounded by the listener's timeout.
 *
 * Life of the handle: one reference for the request (dropped when the request is freed: if
 * the switch never happened, the consumer hears on_upgraded(NULL)), one for the consumer once
 * switched (dropped by upgraded_close). An open upgraded connection counts as pending for the
 * shutdown drain (mhd_drain waits for it like for a stream).
 */
#define _GNU_SOURCE /* MSG_NOSIGNAL, eventfd */

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "http_int.h"

struct ratchet_http_upgraded {
    atomic_int refs;
    mhd_server *srv;
    pthread_mutex_t mu;  /* the state below */
    pthread_mutex_t wmu; /* one writer at a time */
    int fd, wake;        /* the socket (MHD's), an eventfd written at shutdown */
    struct MHD_UpgradeResponseHandle *urh;
    char *extra; /* what the client sent after the upgrade request */
    size_t extra_len, extra_off;
    char client[64];
    int switched, notified, stopping, in_list;
    void (*on_upgraded)(void *user, ratchet_http_upgraded *conn);
    void *user;
    ratchet_http_upgraded *next, *prev; /* mhd_server.upgraded */
};

static void up_unref(ratchet_http_upgraded *u)
{
    if (atomic_fetch_sub(&u->refs, 1) != 1)
        return;
    if (u->wake >= 0)
        close(u->wake);
    pthread_mutex_destroy(&u->mu);
    pthread_mutex_destroy(&u->wmu);
    mhd_host->free(u->extra);
    mhd_host->free(u);
}

/* The switch happened: the connection is the consumer's now. On the connection's thread. */
static void on_switched(void *cls, struct MHD_Connection *conn, void *req_cls, const char *extra_in,
                        size_t extra_in_size, MHD_socket sock,
                        struct MHD_UpgradeResponseHandle *urh)
{
    ratchet_http_upgraded *u = cls;
    (void)conn;
    (void)req_cls;
    mhd_server *srv = u->srv;
    char *extra = extra_in_size ? mhd_host->alloc(extra_in_size) : NULL;
    pthread_mutex_lock(&u->mu);
    u->fd = sock;
    u->urh = urh;
    if (extra) {
        memcpy(extra, extra_in, extra_in_size);
        u->extra = extra;
        u->extra_len = extra_in_size;
    }
    int lost = extra_in_size && !extra; /* out of memory: the client's first bytes are gone */
    u->switched = !lost;
    u->notified = 1;
    pthread_mutex_unlock(&u->mu);
    if (lost) {
        MHD_upgrade_action(urh, MHD_UPGRADE_ACTION_CLOSE);
        u->on_upgraded(u->user, NULL);
        return;
    }
    atomic_fetch_add(&u->refs, 1); /* the consumer's, until upgraded_close */
    pthread_mutex_lock(&srv->mu);
    u->in_list = 1;
    u->prev = NULL;
    u->next = srv->upgraded;
    if (u->next)
        u->next->prev = u;
    srv->upgraded = u;
    srv->pending++;
    if (atomic_load(&srv->stopping)) { /* the drain may have passed already */
        u->stopping = 1;
        uint64_t one = 1;
        (void)!write(u->wake, &one, sizeof one);
    }
    pthread_mutex_unlock(&srv->mu);
    u->on_upgraded(u->user, u);
}

static int is_token(const char *s)
{
    if (!s || !*s)
        return 0;
    for (; *s; s++) {
        if (*s <= ' ' || *s >= 127 || strchr("()<>@,;:\\\"/[]?={}", *s))
            return 0;
    }
    return 1;
}

static ratchet_status upgrade(ratchet_http_request *req, const char *protocol,
                              void (*on_upgraded)(void *user, ratchet_http_upgraded *conn),
                              void *user)
{
    if (!req || !on_upgraded || !is_token(protocol) || req->upgrade)
        return RATCHET_ERR;
    pthread_mutex_lock(&req->mu);
    int busy = req->answered || req->deferred;
    pthread_mutex_unlock(&req->mu);
    if (busy)
        return RATCHET_ERR;
    ratchet_http_upgraded *u = mhd_host->calloc(1, sizeof *u);
    if (!u)
        return RATCHET_NOMEM;
    u->wake = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (u->wake < 0) {
        mhd_host->free(u);
        return RATCHET_NOMEM;
    }
    atomic_init(&u->refs, 1); /* the request's */
    pthread_mutex_init(&u->mu, NULL);
    pthread_mutex_init(&u->wmu, NULL);
    u->srv = req->lis->srv;
    u->fd = -1;
    u->on_upgraded = on_upgraded;
    u->user = user;
    snprintf(u->client, sizeof u->client, "%s", req->client);
    struct MHD_Response *r = MHD_create_response_for_upgrade(on_switched, u);
    if (r && MHD_add_response_header(r, MHD_HTTP_HEADER_UPGRADE, protocol) != MHD_YES) {
        MHD_destroy_response(r);
        r = NULL;
    }
    req->upgrade = u; /* before the answer is visible: the request may be freed right after */
    ratchet_status st =
        mhd_accept(req, mhd_decorate(req, r, 1), MHD_HTTP_SWITCHING_PROTOCOLS, 0, NULL);
    if (st != RATCHET_OK) { /* not switching: the caller keeps `user` */
        req->upgrade = NULL;
        up_unref(u);
    }
    return st;
}

void mhd_upgrade_request_done(ratchet_http_upgraded *u)
{
    pthread_mutex_lock(&u->mu);
    int tell = !u->notified;
    u->notified = 1;
    pthread_mutex_unlock(&u->mu);
    if (tell) /* the client left before the switch */
        u->on_upgraded(u->user, NULL);
    up_unref(u);
}

static ratchet_status upgraded_read(ratchet_http_upgraded *u, void *buf, size_t cap, size_t *got,
                                    int64_t timeout_ms)
{
    *got = 0;
    if (!u || !cap)
        return RATCHET_ERR;
    if (u->extra_off < u->extra_len) {
        size_t n = u->extra_len - u->extra_off < cap ? u->extra_len - u->extra_off : cap;
        memcpy(buf, u->extra + u->extra_off, n);
        u->extra_off += n;
        *got = n;
        return RATCHET_OK;
    }
    int64_t deadline = timeout_ms < 0 ? INT64_MAX : mhd_now_ns() + timeout_ms * 1000000;
    for (;;) {
        int64_t left = deadline == INT64_MAX ? -1 : (deadline - mhd_now_ns()) / 1000000;
        if (deadline != INT64_MAX && left < 0)
            return RATCHET_RETRY;
        struct pollfd p[2] = {{u->fd, POLLIN, 0}, {u->wake, POLLIN, 0}};
        int n = poll(p, 2, left > INT32_MAX ? INT32_MAX : (int)left);
        if (n < 0 && errno != EINTR)
            return RATCHET_ERR;
        if (n <= 0)
            continue;
        if (p[1].revents)
            return RATCHET_ERR; /* stopping */
        ssize_t r = recv(u->fd, buf, cap, MSG_DONTWAIT);
        if (r > 0) {
            *got = (size_t)r;
            return RATCHET_OK;
        }
        if (r == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR))
            return RATCHET_ERR;
    }
}

static ratchet_status upgraded_write(ratchet_http_upgraded *u, const void *data, size_t len)
{
    if (!u)
        return RATCHET_ERR;
    const char *p = data;
    int64_t deadline = mhd_now_ns() + u->srv->timeout_ms * 1000000;
    ratchet_status st = RATCHET_OK;
    pthread_mutex_lock(&u->wmu);
    while (len > 0 && st == RATCHET_OK) {
        ssize_t n = send(u->fd, p, len, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n > 0) {
            p += n;
            len -= (size_t)n;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        int64_t left = (deadline - mhd_now_ns()) / 1000000;
        if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK) || left <= 0) {
            st = RATCHET_ERR;
            break;
        }
        struct pollfd pf = {u->fd, POLLOUT, 0};
        if (poll(&pf, 1, left > INT32_MAX ? INT32_MAX : (int)left) < 0 && errno != EINTR)
            st = RATCHET_ERR;
    }
    pthread_mutex_unlock(&u->wmu);
    return st;
}

static int upgraded_stopping(const ratchet_http_upgraded *u)
{
    return u && atomic_load(&u->srv->stopping);
}

static const char *upgraded_client(const ratchet_http_upgraded *u)
{
    return u ? u->client : "";
}

static void upgraded_close(ratchet_http_upgraded *u)
{
    if (!u)
        return;
    mhd_server *srv = u->srv;
    pthread_mutex_lock(&srv->mu);
    if (u->in_list) {
        if (u->prev)
            u->prev->next = u->next;
        else
            srv->upgraded = u->next;
        if (u->next)
            u->next->prev = u->prev;
        u->in_list = 0;
    }
    pthread_mutex_unlock(&srv->mu);
    MHD_upgrade_action(u->urh, MHD_UPGRADE_ACTION_CLOSE);
    mhd_pending_done(srv);
    up_unref(u);
}

void mhd_upgraded_shutdown(mhd_server *srv)
{
    uint64_t one = 1;
    pthread_mutex_lock(&srv->mu);
    for (ratchet_http_upgraded *u = srv->upgraded; u; u = u->next) {
        u->stopping = 1;
        (void)!write(u->wake, &one, sizeof one);
    }
    pthread_mutex_unlock(&srv->mu);
}

void mhd_upgrade_api(ratchet_http_api *api)
{
    api->upgrade = upgrade;
    api->upgraded_read = upgraded_read;
    api->upgraded_write = upgraded_write;
    api->upgraded_stopping = upgraded_stopping;
    api->upgraded_client = upgraded_client;
    api->upgraded_close = upgraded_close;
}
