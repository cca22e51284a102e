/*
 * plugins/frontend-common/ws_frame.c - parsing client frames and building server frame
 * headers (RFC 6455 section 5.2), and the UTF-8 check of text (section 8.1).
 */
#include <stdio.h>
#include <string.h>

#include "ws_frame.h"

static ws_parse bad(int code, int *close_code, char *msg, size_t size, const char *what)
{
    *close_code = code;
    snprintf(msg, size, "%s", what);
    return WS_PARSE_ERROR;
}

ws_parse ws_frame_parse(uint8_t *buf, size_t len, size_t max_payload, ws_frame *f, size_t *used,
                        int *close_code, char *msg, size_t msg_size)
{
    if (len < 2)
        return WS_PARSE_MORE;
    int fin = buf[0] >> 7, op = buf[0] & 0x0F, masked = buf[1] >> 7;
    uint64_t plen = buf[1] & 0x7F;
    if (buf[0] & 0x70)
        return bad(WS_CLOSE_PROTOCOL, close_code, msg, msg_size,
                   "reserved bits set without a negotiated extension");
    if ((op > WS_OP_BINARY && op < WS_OP_CLOSE) || op > WS_OP_PONG)
        return bad(WS_CLOSE_PROTOCOL, close_code, msg, msg_size, "unknown opcode");
    if (!masked)
        return bad(WS_CLOSE_PROTOCOL, close_code, msg, msg_size, "client frames must be masked");
    if (op >= WS_OP_CLOSE && (!fin || plen > 125))
        return bad(WS_CLOSE_PROTOCOL, close_code, msg, msg_size,
                   "control frames must not be fragmented or longer than 125 bytes");
    size_t at = 2;
    if (plen == 126) {
        if (len < 4)
            return WS_PARSE_MORE;
        plen = (uint64_t)buf[2] << 8 | buf[3];
        at = 4;
        if (plen < 126)
            return bad(WS_CLOSE_PROTOCOL, close_code, msg, msg_size, "non-minimal length");
    } else if (plen == 127) {
        if (len < 10)
            return WS_PARSE_MORE;
        plen = 0;
        for (int i = 0; i < 8; i++)
            plen = plen << 8 | buf[2 + i];
        at = 10;
        if (plen >> 63)
            return bad(WS_CLOSE_PROTOCOL, close_code, msg, msg_size,
                       "the length's most significant bit is set");
        if (plen <= 0xFFFF)
            return bad(WS_CLOSE_PROTOCOL, close_code, msg, msg_size, "non-minimal length");
    }
    if (plen > max_payload) {
        char m[96];
        snprintf(m, sizeof m, "a frame of %llu bytes is over the limit of %zu",
                 (unsigned long long)plen, max_payload);
        return bad(WS_CLOSE_TOO_BIG, close_code, msg, msg_size, m);
    }
    if (len - at < 4 || len - at - 4 < plen)
        return WS_PARSE_MORE;
    const uint8_t *mask = buf + at;
    uint8_t *p = buf + at + 4;
    for (size_t i = 0; i < (size_t)plen; i++)
        p[i] ^= mask[i & 3];
    f->fin = fin;
    f->opcode = op;
    f->payload = p;
    f->len = (size_t)plen;
    *used = at + 4 + (size_t)plen;
    return WS_PARSE_FRAME;
}

size_t ws_frame_header(uint8_t hdr[WS_FRAME_HEADER_MAX], int opcode, int fin, size_t len)
{
    hdr[0] = (uint8_t)((fin ? 0x80 : 0) | (opcode & 0x0F));
    if (len < 126) {
        hdr[1] = (uint8_t)len;
        return 2;
    }
    if (len <= 0xFFFF) {
        hdr[1] = 126;
        hdr[2] = (uint8_t)(len >> 8);
        hdr[3] = (uint8_t)len;
        return 4;
    }
    hdr[1] = 127;
    uint64_t v = len;
    for (int i = 0; i < 8; i++)
        hdr[9 - i] = (uint8_t)(v >> (8 * i));
    return 10;
}

int ws_utf8_valid(const uint8_t *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        uint8_t c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t n;
        uint32_t cp, min;
        if ((c & 0xE0) == 0xC0) {
            n = 1, cp = c & 0x1F, min = 0x80;
        } else if ((c & 0xF0) == 0xE0) {
            n = 2, cp = c & 0x0F, min = 0x800;
        } else if ((c & 0xF8) == 0xF0) {
            n = 3, cp = c & 0x07, min = 0x10000;
        } else {
            return 0;
        }
        if (len - i <= n)
            return 0;
        for (size_t k = 1; k <= n; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return 0;
            cp = cp << 6 | (s[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        i += n + 1;
    }
    return 1;
}
