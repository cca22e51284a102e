/*
 * plugins/frontend-common/ws_conn.c - a server's WebSocket connection: the opening handshake,
 * the reader thread (frames into messages, ping/pong, UTF-8, closing handshake) and sending
 * (ws_conn.h describes the life cycle).
 */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "ws_accept.h"
#include "ws_conn.h"
#include "ws_frame.h"

#define CLOSE_WAIT_MS 2000 /* after our close frame, how long the client has to answer */
#define READ_CHUNK    16384

struct ws_conn {
    atomic_int refs;
    const ratchet_http_api *http;
    ratchet_http_upgraded *up; /* NULL until switched */
    ws_limits lim;
    ws_handler h;
    void *user;
    pthread_mutex_t mu; /* close_sent, failed */
    int close_sent, failed;
    char client[64];
    /* the reader's own state (its thread only) */
    uint8_t *in; /* bytes read, not yet parsed */
    size_t in_len, in_cap;
    uint8_t *msg; /* the message being reassembled */
    size_t msg_len;
    int msg_op;             /* its opcode, 0 when none is open */
    int64_t close_deadline; /* ms (monotonic) when we gave up waiting for the client's close */
};

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* One frame, header and payload in one write (so that concurrent senders never interleave). */
static ratchet_status send_frame(ws_conn *c, int op, const void *data, size_t len)
{
    uint8_t hdr[WS_FRAME_HEADER_MAX];
    size_t hl = ws_frame_header(hdr, op, 1, len);
    uint8_t *buf = malloc(hl + len + 1);
    if (!buf)
        return RATCHET_NOMEM;
    memcpy(buf, hdr, hl);
    if (len)
        memcpy(buf + hl, data, len);
    ratchet_status st = c->up ? c->http->upgraded_write(c->up, buf, hl + len) : RATCHET_ERR;
    free(buf);
    if (st != RATCHET_OK) {
        pthread_mutex_lock(&c->mu);
        c->failed = 1;
        pthread_mutex_unlock(&c->mu);
    }
    return st;
}

ratchet_status ws_conn_send_text(ws_conn *c, const char *text, size_t len)
{
    pthread_mutex_lock(&c->mu);
    int gone = c->close_sent || c->failed;
    pthread_mutex_unlock(&c->mu);
    return gone ? RATCHET_ERR : send_frame(c, WS_OP_TEXT, text, len);
}

void ws_conn_close(ws_conn *c, int code, const char *reason)
{
    pthread_mutex_lock(&c->mu);
    int first = !c->close_sent && !c->failed;
    c->close_sent = 1;
    pthread_mutex_unlock(&c->mu);
    if (!first)
        return;
    uint8_t body[125];
    size_t n = reason ? strlen(reason) : 0;
    if (n > sizeof body - 2)
        n = sizeof body - 2;
    body[0] = (uint8_t)(code >> 8);
    body[1] = (uint8_t)code;
    if (n)
        memcpy(body + 2, reason, n);
    send_frame(c, WS_OP_CLOSE, body, code == WS_CLOSE_NO_STATUS ? 0 : n + 2);
}

const char *ws_conn_client(const ws_conn *c)
{
    return c->client;
}

void ws_conn_ref(ws_conn *c)
{
    atomic_fetch_add(&c->refs, 1);
}

void ws_conn_unref(ws_conn *c)
{
    if (atomic_fetch_sub(&c->refs, 1) != 1)
        return;
    if (c->up)
        c->http->upgraded_close(c->up);
    pthread_mutex_destroy(&c->mu);
    free(c->in);
    free(c->msg);
    free(c);
}

/* ---- the reader ------------------------------------------------------------------------ */

/* A control frame: ping answered, the client's close answered (or it answers ours). Returns
 * 1 when the connection is over. */
static int control(ws_conn *c, const ws_frame *f)
{
    if (f->opcode == WS_OP_PING) {
        send_frame(c, WS_OP_PONG, f->payload, f->len);
        return 0;
    }
    if (f->opcode == WS_OP_PONG)
        return 0;
    /* close: a code (2 bytes, one a peer may send) and a UTF-8 reason, or nothing */
    int code = f->len >= 2 ? f->payload[0] << 8 | f->payload[1] : WS_CLOSE_NO_STATUS;
    int sendable = (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) ||
                   (code >= 3000 && code <= 4999);
    int valid =
        f->len == 0 || (f->len >= 2 && sendable && ws_utf8_valid(f->payload + 2, f->len - 2));
    if (!valid)
        ws_conn_close(c, WS_CLOSE_PROTOCOL, "invalid close frame");
    else
        ws_conn_close(c, code == WS_CLOSE_NO_STATUS ? WS_CLOSE_NORMAL : code, "");
    return 1;
}

/* A data frame: appended to the message; a complete text message goes to on_text. Returns 1
 * when the connection is over (an error closed it). */
static int data(ws_conn *c, const ws_frame *f)
{
    if (f->opcode != WS_OP_CONT && c->msg_op) {
        ws_conn_close(c, WS_CLOSE_PROTOCOL, "a new message started before the last one ended");
        return 1;
    }
    if (f->opcode == WS_OP_CONT && !c->msg_op) {
        ws_conn_close(c, WS_CLOSE_PROTOCOL, "a continuation frame without a message");
        return 1;
    }
    if (f->opcode != WS_OP_CONT)
        c->msg_op = f->opcode;
    if (c->msg_len + f->len > c->lim.max_message) {
        char m[96];
        snprintf(m, sizeof m, "message over the limit of %zu bytes", c->lim.max_message);
        ws_conn_close(c, WS_CLOSE_TOO_BIG, m);
        return 1;
    }
    uint8_t *grown = realloc(c->msg, c->msg_len + f->len + 1);
    if (!grown) {
        ws_conn_close(c, WS_CLOSE_TOO_BIG, "out of memory");
        return 1;
    }
    c->msg = grown;
    if (f->len)
        memcpy(c->msg + c->msg_len, f->payload, f->len);
    c->msg_len += f->len;
    c->msg[c->msg_len] = '\0';
    if (!f->fin)
        return 0;
    int op = c->msg_op;
    c->msg_op = 0;
    size_t n = c->msg_len;
    c->msg_len = 0;
    if (op == WS_OP_BINARY) {
        ws_conn_close(c, WS_CLOSE_UNSUPPORTED, "binary messages are not accepted");
        return 1;
    }
    if (!ws_utf8_valid(c->msg, n)) {
        ws_conn_close(c, WS_CLOSE_BAD_DATA, "a text message that is not UTF-8");
        return 1;
    }
    c->h.on_text(c->user, c, (const char *)c->msg, n);
    return 0;
}

/* Parse what was read; 1 when the connection is over. */
static int consume(ws_conn *c)
{
    size_t off = 0;
    int over = 0;
    while (!over) {
        ws_frame f;
        size_t used = 0;
        int code = 0;
        char msg[128];
        ws_parse r = ws_frame_parse(c->in + off, c->in_len - off, c->lim.max_message, &f, &used,
                                    &code, msg, sizeof msg);
        if (r == WS_PARSE_MORE)
            break;
        if (r == WS_PARSE_ERROR) {
            ws_conn_close(c, code, msg);
            over = 1;
            break;
        }
        off += used;
        pthread_mutex_lock(&c->mu);
        int closing = c->close_sent;
        pthread_mutex_unlock(&c->mu);
        if (f.opcode >= WS_OP_CLOSE)
            over = control(c, &f);
        else if (!closing) /* after our close, data is discarded (section 5.5.1) */
            over = data(c, &f);
    }
    memmove(c->in, c->in + off, c->in_len - off);
    c->in_len -= off;
    return over;
}

/* Read into c->in; 0 with new bytes (or a timeout: *tick), -1 when the connection is over. */
static int fill(ws_conn *c, int *tick)
{
    *tick = 0;
    size_t cap_needed = c->lim.max_message + WS_FRAME_HEADER_MAX;
    if (c->in_cap - c->in_len < READ_CHUNK && c->in_cap < cap_needed + READ_CHUNK) {
        size_t cap = c->in_cap ? c->in_cap * 2 : READ_CHUNK * 2;
        uint8_t *p = realloc(c->in, cap);
        if (!p)
            return -1;
        c->in = p;
        c->in_cap = cap;
    }
    pthread_mutex_lock(&c->mu);
    int closing = c->close_sent;
    pthread_mutex_unlock(&c->mu);
    int64_t wait = c->lim.tick_ms;
    if (closing) {
        if (!c->close_deadline)
            c->close_deadline = now_ms() + CLOSE_WAIT_MS;
        wait = c->close_deadline - now_ms();
        if (wait <= 0)
            return -1;
    }
    size_t got = 0;
    ratchet_status st =
        c->http->upgraded_read(c->up, c->in + c->in_len, c->in_cap - c->in_len, &got, wait);
    if (st == RATCHET_RETRY) {
        *tick = !closing;
        return 0;
    }
    if (st != RATCHET_OK)
        return -1;
    c->in_len += got;
    return 0;
}

static void *reader_main(void *arg)
{
    ws_conn *c = arg;
    c->h.on_open(c->user, c);
    for (;;) {
        int tick = 0;
        if (fill(c, &tick) < 0) {
            if (c->http->upgraded_stopping(c->up))
                ws_conn_close(c, WS_CLOSE_GOING_AWAY, "the server is stopping");
            break;
        }
        if (tick)
            c->h.on_tick(c->user, c);
        else if (consume(c))
            break;
        pthread_mutex_lock(&c->mu);
        int failed = c->failed;
        pthread_mutex_unlock(&c->mu);
        if (failed)
            break;
    }
    pthread_mutex_lock(&c->mu);
    c->close_sent = 1; /* no more sends: the socket closes with the last reference */
    pthread_mutex_unlock(&c->mu);
    c->h.on_end(c->user, c);
    ws_conn_unref(c);
    return NULL;
}

/* The http plugin's on_upgraded: start the reader (or end at once). */
static void on_upgraded(void *user, ratchet_http_upgraded *up)
{
    ws_conn *c = user;
    c->up = up;
    pthread_t t;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    int started = up && pthread_create(&t, &attr, reader_main, c) == 0;
    pthread_attr_destroy(&attr);
    if (!started) {
        c->close_sent = 1;
        c->h.on_end(c->user, c);
        ws_conn_unref(c);
    }
}

/* ---- the opening handshake ------------------------------------------------------------- */

/* Whether a comma-separated header value lists `token` (case-insensitive). */
static int lists(const char *value, const char *token)
{
    size_t n = strlen(token);
    for (const char *p = value; p && *p;) {
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        const char *end = p;
        while (*end && *end != ',')
            end++;
        size_t len = (size_t)(end - p);
        while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
            len--;
        if (len == n && strncasecmp(p, token, n) == 0)
            return 1;
        p = end;
    }
    return 0;
}

int ws_conn_requested(const ratchet_http_api *http, ratchet_http_request *req)
{
    return lists(http->header(req, "Upgrade"), "websocket");
}

/* What is wrong with the opening handshake (into msg), or 0 when nothing is. */
static int handshake_error(const ratchet_http_api *http, ratchet_http_request *req,
                           const char *protocol, char *msg, size_t size)
{
    const char *v = http->header(req, "Sec-WebSocket-Version");
    if (strcmp(http->method(req), "GET") != 0)
        snprintf(msg, size, "a WebSocket handshake is a GET request");
    else if (!ws_conn_requested(http, req))
        snprintf(msg, size, "this is a WebSocket endpoint: send Upgrade: websocket");
    else if (!lists(http->header(req, "Connection"), "upgrade"))
        snprintf(msg, size, "the WebSocket handshake needs Connection: Upgrade");
    else if (!v || strcmp(v, "13") != 0) {
        snprintf(msg, size, "this server speaks WebSocket version 13, not %s", v ? v : "(none)");
        return 426;
    } else if (!ws_key_valid(http->header(req, "Sec-WebSocket-Key")))
        snprintf(msg, size, "Sec-WebSocket-Key must be the base64 of 16 bytes");
    else if (!lists(http->header(req, "Sec-WebSocket-Protocol"), protocol))
        snprintf(msg, size, "offer the subprotocol %s in Sec-WebSocket-Protocol", protocol);
    else
        return 0;
    return 400;
}

ratchet_status ws_conn_accept(const ratchet_http_api *http, ratchet_http_request *req,
                              const char *protocol, const ws_limits *lim, const ws_handler *h,
                              void *user)
{
    char why[160];
    int status = handshake_error(http, req, protocol, why, sizeof why);
    if (status) {
        if (status == 426)
            http->add_header(req, "Sec-WebSocket-Version", "13");
        http->respond_error(req, status, status == 426 ? "UPGRADE_REQUIRED" : "BAD_REQUEST", "%s",
                            why);
        return RATCHET_ERR;
    }
    ws_conn *c = calloc(1, sizeof *c);
    if (!c) {
        http->respond_error(req, 503, "SERVICE_UNAVAILABLE", "out of memory");
        return RATCHET_ERR;
    }
    atomic_init(&c->refs, 1); /* the reader's */
    c->http = http;
    c->lim = *lim;
    c->h = *h;
    c->user = user;
    pthread_mutex_init(&c->mu, NULL);
    snprintf(c->client, sizeof c->client, "%s", http->client_address(req));
    char accept[WS_ACCEPT_LEN + 1];
    ws_accept_value(http->header(req, "Sec-WebSocket-Key"), accept);
    ratchet_status st = http->add_header(req, "Sec-WebSocket-Accept", accept);
    if (st == RATCHET_OK)
        st = http->add_header(req, "Sec-WebSocket-Protocol", protocol);
    if (st == RATCHET_OK)
        st = http->upgrade(req, "websocket", on_upgraded, c);
    if (st != RATCHET_OK) {
        pthread_mutex_destroy(&c->mu);
        free(c);
        http->respond_error(req, 503, "SERVICE_UNAVAILABLE", "cannot switch to WebSocket");
        return RATCHET_ERR;
    }
    return RATCHET_OK;
}
