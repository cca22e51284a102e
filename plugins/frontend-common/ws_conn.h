/*
 * plugins/frontend-common/ws_conn.h - a server's WebSocket connection (RFC 6455) on an
 * upgraded HTTP connection (http.h, interface minor 1): the opening handshake's checks and
 * answer, a reader thread that reassembles messages from frames, answers pings, validates text
 * as UTF-8 and runs the closing handshake, and thread-safe sending of text messages.
 *
 * Threading and life. ws_conn_accept() answers the upgrade request; once the switch happened
 * the connection gets its reader thread, which calls the handler's on_open, then on_text for
 * every complete text message and on_tick when nothing arrived for tick_ms, and finally
 * on_end, once, when the connection ends (the client closed it, a protocol error closed it,
 * ws_conn_close() was called, the server stops). All handler calls come from that one thread.
 * ws_conn_send_text() and ws_conn_close() may be called from any thread, also after on_end
 * (they then fail / do nothing). The connection is reference-counted: the reader holds one
 * until on_end returns; whoever keeps the pointer past on_end takes one with ws_conn_ref()
 * and drops it with ws_conn_unref(); the last one closes the socket.
 */
#ifndef WS_CONN_H
#define WS_CONN_H

#include <stddef.h>
#include <stdint.h>

#include <ratchet/http.h>

typedef struct ws_conn ws_conn;

typedef struct ws_limits {
    size_t max_message; /* bytes of one message, all fragments (else close 1009) */
    int64_t tick_ms;    /* on_tick after this long without input (> 0) */
} ws_limits;

typedef struct ws_handler {
    void (*on_open)(void *user, ws_conn *c);
    void (*on_text)(void *user, ws_conn *c, const char *text, size_t len); /* NUL-terminated */
    void (*on_tick)(void *user, ws_conn *c);
    void (*on_end)(void *user, ws_conn *c); /* last call; release `user` here */
} ws_handler;

/* The upgrade request `req` in its handler: check it is a WebSocket opening handshake (GET,
 * Upgrade: websocket, Connection: Upgrade, Sec-WebSocket-Version: 13, a valid
 * Sec-WebSocket-Key) offering subprotocol `protocol` in Sec-WebSocket-Protocol, and answer
 * 101 with it. On failure answers the request itself (400 with a message naming what is
 * wrong, 426 with Sec-WebSocket-Version: 13 for another version) and returns RATCHET_ERR;
 * `user` stays the caller's. On RATCHET_OK the handler's calls follow on the reader thread
 * (on_end alone when the client left before the switch). `h` and `lim` are copied. */
ratchet_status ws_conn_accept(const ratchet_http_api *http, ratchet_http_request *req,
                              const char *protocol, const ws_limits *lim, const ws_handler *h,
                              void *user);

/* Whether the request asks for a WebSocket upgrade (Upgrade: websocket). */
int ws_conn_requested(const ratchet_http_api *http, ratchet_http_request *req);

/* Send one text message (copied). RATCHET_ERR once the connection is closing or failed. */
ratchet_status ws_conn_send_text(ws_conn *c, const char *text, size_t len);
/* Start the closing handshake with `code` and `reason` (at most 123 bytes, UTF-8): a close
 * frame is sent and the reader ends after the client's answer (or 2 s). Once; later calls do
 * nothing. */
void ws_conn_close(ws_conn *c, int code, const char *reason);
/* The client's address. */
const char *ws_conn_client(const ws_conn *c);

void ws_conn_ref(ws_conn *c);
void ws_conn_unref(ws_conn *c);

#endif /* WS_CONN_H */
