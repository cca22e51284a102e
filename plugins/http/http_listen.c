/*
 * http_listen.c - the `listen` option and one libmicrohttpd daemon per listener.
 *
 * Each daemon runs MHD's internal thread pool on epoll with suspend/resume allowed. Limits
 * map onto MHD as follows (see README.md for what the client sees):
 *   max_connections  MHD's connection limit is set 16 above it: the plugin answers the
 *                    connections between the two 503; MHD closes any beyond at accept.
 *   max_header       checked by the plugin (431 with the envelope); MHD's per-connection
 *                    memory is max_header + 32 KiB, and a request head that does not fit in
 *                    it gets MHD's own 431 (or 414 for a huge request line), as HTML.
 *   timeout          MHD closes a connection idle this long (no 408: MHD just closes).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "http_int.h"

#define MHD_PEM_MAX (1024 * 1024)

static _Thread_local char last_mhd_error[256];

static void mhd_logger(void *cls, const char *fmt, va_list ap)
{
    mhd_server *srv = cls;
    va_list copy;
    va_copy(copy, ap);
    vsnprintf(last_mhd_error, sizeof last_mhd_error, fmt, copy);
    va_end(copy);
    size_t n = strlen(last_mhd_error);
    while (n > 0 && (last_mhd_error[n - 1] == '\n' || last_mhd_error[n - 1] == '.'))
        last_mhd_error[--n] = '\0';
    mhd_host->log(srv->ctx, RATCHET_LOG_DEBUG, "libmicrohttpd: %s", last_mhd_error);
}

/* A message into why[whylen], cut to fit (a long path must not hide the reason). */
static void mhd_why(char *why, size_t whylen, const char *fmt, ...) RATCHET_PRINTF(3, 4);
static void mhd_why(char *why, size_t whylen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, whylen, fmt, ap);
    va_end(ap);
}

/* Split "ADDR:PORT" / "[V6]:PORT" into lis; 0 or -1 with why. */
static int split_address(const char *text, mhd_listener *lis, const char **why)
{
    const char *colon;
    char addr[64];
    if (text[0] == '[') {
        const char *close = strchr(text, ']');
        if (!close || close[1] != ':') {
            *why = "an IPv6 listener is written [ADDR]:PORT";
            return -1;
        }
        snprintf(addr, sizeof addr, "%.*s", (int)(close - text - 1), text + 1);
        colon = close + 1;
    } else {
        colon = strrchr(text, ':');
        if (!colon) {
            *why = "expected ADDR:PORT, e.g. 127.0.0.1:8080";
            return -1;
        }
        snprintf(addr, sizeof addr, "%.*s", (int)(colon - text), text);
    }
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (!colon[1] || *end || port < 0 || port > 65535) {
        *why = "the port must be a number from 0 to 65535 (0 picks a free one)";
        return -1;
    }
    if (strcmp(addr, "localhost") == 0 || addr[0] == '\0')
        snprintf(addr, sizeof addr, "127.0.0.1");
    struct in6_addr a6;
    struct in_addr a4;
    lis->ipv6 = inet_pton(AF_INET6, addr, &a6) == 1;
    if (!lis->ipv6 && inet_pton(AF_INET, addr, &a4) != 1) {
        *why = "the address must be a numeric IPv4 or IPv6 address (or localhost)";
        return -1;
    }
    lis->address = mhd_host->strdup(addr);
    lis->port = (uint16_t)port;
    if (!lis->address) {
        *why = "out of memory";
        return -1;
    }
    return 0;
}

/* Read a PEM file (relative paths: to the configuration file's directory, from `where`). */
static char *read_pem(const char *path, const char *where, char *why, size_t whylen)
{
    char full[4096], file[4096];
    /* where is "file:line:col": strip ":line:col", then the file name. */
    snprintf(file, sizeof file, "%s", where);
    for (int i = 0; i < 2; i++) {
        char *c = strrchr(file, ':');
        if (c)
            *c = '\0';
    }
    char *slash = strrchr(file, '/');
    if (path[0] != '/' && slash)
        snprintf(full, sizeof full, "%.*s/%s", (int)(slash - file), file, path);
    else
        snprintf(full, sizeof full, "%s", path);
    FILE *f = fopen(full, "rb");
    if (!f) {
        mhd_why(why, whylen, "cannot read %s: %s", full, strerror(errno));
        return NULL;
    }
    char *buf = mhd_host->alloc(MHD_PEM_MAX + 1);
    size_t n = buf ? fread(buf, 1, MHD_PEM_MAX + 1, f) : 0;
    fclose(f);
    if (!buf || n == 0 || n > MHD_PEM_MAX) {
        mhd_why(why, whylen, "%s is %s", full,
                 !buf     ? "not readable (out of memory)"
                 : n == 0 ? "empty"
                          : "larger than 1 MiB");
        mhd_host->free(buf);
        return NULL;
    }
    buf[n] = '\0';
    return buf;
}

/* One listener from a scalar or a map node. */
static ratchet_status parse_one(mhd_server *srv, const ratchet_node *n, mhd_listener *lis)
{
    const char *why = NULL;
    char text[128], pemwhy[512];
    lis->srv = srv;
    lis->where = mhd_host->strdup(mhd_host->node_where(n));
    if (mhd_host->node_kind(n) == RATCHET_NODE_SCALAR) {
        snprintf(text, sizeof text, "%s", mhd_host->node_scalar(n));
    } else if (mhd_host->node_kind(n) == RATCHET_NODE_MAP) {
        for (size_t i = 0; i < mhd_host->node_count(n); i++) {
            const char *k = mhd_host->node_key_at(n, i);
            if (strcmp(k, "address") && strcmp(k, "port") && strcmp(k, "tls_cert") &&
                strcmp(k, "tls_key")) {
                mhd_host->set_error(
                    srv->ctx,
                    "%s: listen: unknown key '%s' (expected address, port, tls_cert, tls_key)",
                    mhd_host->node_where(mhd_host->node_at(n, i)), k);
                return RATCHET_ERR;
            }
        }
        const char *a = mhd_host->node_scalar(mhd_host->node_get(n, "address"));
        const char *p = mhd_host->node_scalar(mhd_host->node_get(n, "port"));
        int v6 = a && strchr(a, ':');
        snprintf(text, sizeof text, v6 ? "[%s]:%s" : "%s:%s", a ? a : "127.0.0.1", p ? p : "8080");
        const char *cert = mhd_host->node_scalar(mhd_host->node_get(n, "tls_cert"));
        const char *key = mhd_host->node_scalar(mhd_host->node_get(n, "tls_key"));
        if (!cert != !key) {
            mhd_host->set_error(srv->ctx, "%s: listen: TLS needs both tls_cert and tls_key",
                                mhd_host->node_where(n));
            return RATCHET_ERR;
        }
        if (cert) {
            lis->tls = 1;
            lis->cert_pem = read_pem(cert, mhd_host->node_where(n), pemwhy, sizeof pemwhy);
            lis->key_pem = lis->cert_pem
                               ? read_pem(key, mhd_host->node_where(n), pemwhy, sizeof pemwhy)
                               : NULL;
            if (!lis->key_pem) {
                mhd_host->set_error(srv->ctx, "%s: listen: %s", mhd_host->node_where(n), pemwhy);
                return RATCHET_ERR;
            }
        }
    } else {
        mhd_host->set_error(
            srv->ctx,
            "%s: listen: expected \"ADDR:PORT\" or a map {address, port, tls_cert, tls_key}",
            mhd_host->node_where(n));
        return RATCHET_ERR;
    }
    if (split_address(text, lis, &why) != 0) {
        mhd_host->set_error(srv->ctx, "%s: listen: '%s': %s", mhd_host->node_where(n), text, why);
        return RATCHET_ERR;
    }
    return RATCHET_OK;
}

ratchet_status mhd_listen_parse(mhd_server *srv, const ratchet_node *node)
{
    int seq = mhd_host->node_kind(node) == RATCHET_NODE_SEQUENCE;
    size_t n = seq ? mhd_host->node_count(node) : 1;
    if (n == 0 || n > 16) {
        mhd_host->set_error(srv->ctx, "%s: listen: give 1 to 16 listeners",
                            mhd_host->node_where(node));
        return RATCHET_ERR;
    }
    srv->lis = mhd_host->calloc(n, sizeof *srv->lis);
    if (!srv->lis) {
        mhd_host->set_error(srv->ctx, "out of memory");
        return RATCHET_NOMEM;
    }
    srv->nlis = n;
    for (size_t i = 0; i < n; i++) {
        if (parse_one(srv, seq ? mhd_host->node_at(node, i) : node, &srv->lis[i]) != RATCHET_OK)
            return RATCHET_ERR;
    }
    return RATCHET_OK;
}

static int is_loopback(const mhd_listener *lis)
{
    if (lis->ipv6)
        return strcmp(lis->address, "::1") == 0;
    return strncmp(lis->address, "127.", 4) == 0;
}

ratchet_status mhd_listen_check_auth(mhd_server *srv)
{
    for (size_t i = 0; !srv->auth_keys && i < srv->nlis; i++) {
        const mhd_listener *l = &srv->lis[i];
        if (!is_loopback(l)) {
            mhd_host->set_error(srv->ctx,
                                l->ipv6 ? "auth: none is allowed only on loopback listeners; "
                                          "[%s]:%u is not loopback: create a key with `ratchet "
                                          "keys create` and set auth: api_key"
                                        : "auth: none is allowed only on loopback listeners; "
                                          "%s:%u is not loopback: create a key with `ratchet "
                                          "keys create` and set auth: api_key",
                                l->address, l->port);
            return RATCHET_ERR;
        }
    }
    return RATCHET_OK;
}

static struct MHD_Daemon *start_one(mhd_server *srv, mhd_listener *lis)
{
    struct sockaddr_in a4;
    struct sockaddr_in6 a6;
    memset(&a4, 0, sizeof a4);
    memset(&a6, 0, sizeof a6);
    const struct sockaddr *sa;
    if (lis->ipv6) {
        a6.sin6_family = AF_INET6;
        a6.sin6_port = htons(lis->port);
        inet_pton(AF_INET6, lis->address, &a6.sin6_addr);
        sa = (const struct sockaddr *)(const void *)&a6;
    } else {
        a4.sin_family = AF_INET;
        a4.sin_port = htons(lis->port);
        inet_pton(AF_INET, lis->address, &a4.sin_addr);
        sa = (const struct sockaddr *)(const void *)&a4;
    }
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME |
                     MHD_ALLOW_UPGRADE | MHD_USE_ERROR_LOG | MHD_USE_ITC |
                     (lis->ipv6 ? MHD_USE_IPv6 : 0) | (lis->tls ? MHD_USE_TLS : 0);
    unsigned timeout_s = (unsigned)((srv->timeout_ms + 999) / 1000);
    return MHD_start_daemon(
        flags, lis->port, NULL, NULL, mhd_on_request, lis, MHD_OPTION_THREAD_POOL_SIZE,
        srv->threads, MHD_OPTION_CONNECTION_LIMIT, srv->max_connections + 16,
        MHD_OPTION_CONNECTION_TIMEOUT, timeout_s, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        (size_t)srv->max_header + 32768, MHD_OPTION_URI_LOG_CALLBACK, mhd_on_uri, lis,
        MHD_OPTION_NOTIFY_COMPLETED, mhd_on_completed, lis, MHD_OPTION_NOTIFY_CONNECTION,
        mhd_on_connection, lis, MHD_OPTION_EXTERNAL_LOGGER, mhd_logger, srv, MHD_OPTION_SOCK_ADDR,
        sa, lis->tls ? MHD_OPTION_HTTPS_MEM_KEY : MHD_OPTION_END, lis->key_pem,
        MHD_OPTION_HTTPS_MEM_CERT, lis->cert_pem, MHD_OPTION_END);
}

ratchet_status mhd_listen_start(mhd_server *srv)
{
    for (size_t i = 0; i < srv->nlis; i++) {
        mhd_listener *lis = &srv->lis[i];
        last_mhd_error[0] = '\0';
        errno = 0;
        lis->daemon = start_one(srv, lis);
        if (!lis->daemon) {
            int e = errno;
            mhd_host->set_error(srv->ctx,
                                lis->ipv6 ? "cannot listen on [%s]:%u (%s): %s"
                                          : "cannot listen on %s:%u (%s): %s",
                                lis->address, lis->port, lis->where,
                                last_mhd_error[0] ? last_mhd_error
                                : e               ? strerror(e)
                                                  : "libmicrohttpd refused to start");
            mhd_listen_stop(srv);
            return RATCHET_ERR;
        }
        const union MHD_DaemonInfo *di =
            MHD_get_daemon_info(lis->daemon, MHD_DAEMON_INFO_BIND_PORT);
        lis->bound = di ? di->port : lis->port;
        mhd_host->log(srv->ctx, RATCHET_LOG_INFO,
                      lis->ipv6 ? "listening on %s://[%s]:%u" : "listening on %s://%s:%u",
                      lis->tls ? "https" : "http", lis->address, lis->bound);
    }
    return RATCHET_OK;
}

void mhd_listen_quiesce(mhd_server *srv)
{
    for (size_t i = 0; i < srv->nlis; i++) {
        if (srv->lis[i].daemon) {
            MHD_socket s = MHD_quiesce_daemon(srv->lis[i].daemon);
            if (s != MHD_INVALID_SOCKET)
                close(s);
        }
    }
}

void mhd_listen_stop(mhd_server *srv)
{
    for (size_t i = 0; i < srv->nlis; i++) {
        if (srv->lis[i].daemon)
            MHD_stop_daemon(srv->lis[i].daemon);
        srv->lis[i].daemon = NULL;
    }
}

void mhd_listen_free(mhd_server *srv)
{
    for (size_t i = 0; i < srv->nlis; i++) {
        mhd_listener *l = &srv->lis[i];
        mhd_host->free(l->address);
        mhd_host->free(l->where);
        if (l->key_pem)
            memset(l->key_pem, 0, strlen(l->key_pem));
        mhd_host->free(l->key_pem);
        mhd_host->free(l->cert_pem);
    }
    mhd_host->free(srv->lis);
    srv->lis = NULL;
    srv->nlis = 0;
}
