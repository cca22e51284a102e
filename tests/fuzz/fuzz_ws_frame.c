/*
 * tests/fuzz/fuzz_ws_frame.c - the WebSocket frame decoder (plugins/frontend-common/ws_frame.c)
 * as a server's reader uses it: client bytes parsed frame after frame, with a small payload
 * limit, until more bytes are needed or an error ends the connection.
 *
 * Checks: a frame never claims more bytes than it was given nor fewer than its header; its
 * payload lies inside the buffer; control frames are final and at most 125 bytes; the payload
 * respects the limit; an error carries a close code (1002 or 1009) and a message; the UTF-8
 * check agrees with itself on a prefix cut at a character boundary; a header the encoder builds
 * for the payload's length parses back (masked) to the same length.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "ws_frame.h"

#define LIMIT 4096

/* Encode a header for `len` bytes, mask it as a client would, and parse it back. */
static void roundtrip(int op, size_t len)
{
    uint8_t hdr[WS_FRAME_HEADER_MAX];
    size_t hl = ws_frame_header(hdr, op, 1, len);
    FUZZ_CHECK(hl == 2 || hl == 4 || hl == 10);
    uint8_t *buf = calloc(1, hl + 4 + len + 1);
    FUZZ_CHECK(buf != NULL);
    memcpy(buf, hdr, hl);
    buf[1] |= 0x80; /* masked, all-zero mask */
    ws_frame f;
    size_t used = 0;
    int code = 0;
    char msg[128];
    ws_parse r =
        ws_frame_parse(buf, hl + 4 + len, (size_t)-1 >> 1, &f, &used, &code, msg, sizeof msg);
    FUZZ_CHECK(r == WS_PARSE_FRAME && f.len == len && used == hl + 4 + len);
    free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *buf = malloc(size + 1);
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    size_t off = 0;
    for (;;) {
        ws_frame f;
        size_t used = 0;
        int code = 0;
        char msg[128] = "";
        ws_parse r =
            ws_frame_parse(buf + off, size - off, LIMIT, &f, &used, &code, msg, sizeof msg);
        if (r == WS_PARSE_MORE)
            break;
        if (r == WS_PARSE_ERROR) {
            FUZZ_CHECK((code == 1002 || code == 1009) && msg[0]);
            break;
        }
        FUZZ_CHECK(used >= 6 && used <= size - off);
        FUZZ_CHECK(f.payload >= buf + off && f.payload + f.len == buf + off + used);
        FUZZ_CHECK(f.len <= LIMIT);
        FUZZ_CHECK(f.opcode < 8 || (f.fin && f.len <= 125));
        int valid = ws_utf8_valid(f.payload, f.len);
        if (valid) { /* any prefix ending before a lead byte is valid too */
            size_t cut = f.len / 2;
            while (cut > 0 && (f.payload[cut] & 0xC0) == 0x80)
                cut--;
            FUZZ_CHECK(ws_utf8_valid(f.payload, cut));
        }
        roundtrip(f.opcode < 8 ? f.opcode : WS_OP_BINARY,
                  f.len * 17 + (size_t)(f.len ? f.payload[0] : 0) * 257);
        off += used;
    }
    free(buf);
    return 0;
}
