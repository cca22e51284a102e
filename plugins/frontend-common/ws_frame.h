/*
 * plugins/frontend-common/ws_frame.h - WebSocket frames (RFC 6455 section 5) as a server sees
 * them: parsing a client's frame (masked, unmasked here in place) and building the header of
 * a server's frame (never masked). Messages, fragments and control frames are ws_conn.c's.
 * Pure functions: any thread.
 */
#ifndef WS_FRAME_H
#define WS_FRAME_H

#include <stddef.h>
#include <stdint.h>

enum {
    WS_OP_CONT = 0x0,
    WS_OP_TEXT = 0x1,
    WS_OP_BINARY = 0x2,
    WS_OP_CLOSE = 0x8,
    WS_OP_PING = 0x9,
    WS_OP_PONG = 0xA
};

/* Close codes (RFC 6455 section 7.4.1). */
enum {
    WS_CLOSE_NORMAL = 1000,
    WS_CLOSE_GOING_AWAY = 1001,
    WS_CLOSE_PROTOCOL = 1002,
    WS_CLOSE_UNSUPPORTED = 1003,
    WS_CLOSE_NO_STATUS = 1005,
    WS_CLOSE_BAD_DATA = 1007,
    WS_CLOSE_TOO_BIG = 1009
};

#define WS_FRAME_HEADER_MAX 14 /* 2 + 8 (length) + 4 (mask) */

typedef struct ws_frame {
    int fin;
    int opcode;
    uint8_t *payload; /* inside the parsed buffer, unmasked */
    size_t len;
} ws_frame;

/* What ws_frame_parse found. */
typedef enum ws_parse { WS_PARSE_MORE = 0, WS_PARSE_FRAME = 1, WS_PARSE_ERROR = -1 } ws_parse;

/* Parse the frame at the start of buf[0..len). FRAME: *f describes it (its payload unmasked in
 * place) and *used is its size; MORE: the frame is not complete yet (read more; a frame can
 * need at most max_payload + WS_FRAME_HEADER_MAX bytes); ERROR: *close_code (1002 for a
 * malformed frame - reserved bits, an unknown opcode, an unmasked client frame, a fragmented
 * or long control frame, a non-minimal length - or 1009 for a payload over `max_payload`)
 * and a message in `msg`. */
ws_parse ws_frame_parse(uint8_t *buf, size_t len, size_t max_payload, ws_frame *f, size_t *used,
                        int *close_code, char *msg, size_t msg_size);

/* Write the header of an unmasked server frame into `hdr`; returns its length (2, 4 or 10). */
size_t ws_frame_header(uint8_t hdr[WS_FRAME_HEADER_MAX], int opcode, int fin, size_t len);

/* Whether `len` bytes are well-formed UTF-8 (no overlongs, surrogates or code points past
 * U+10FFFF), as text messages and close reasons must be (else close 1007). */
int ws_utf8_valid(const uint8_t *s, size_t len);

#endif /* WS_FRAME_H */
