/* tests/unit/test_ws_frame.c - the WebSocket pieces of plugins/frontend-common: SHA-1 (FIPS
 * 180-4 vectors, around the padding boundary), base64, the handshake's accept value (RFC 6455
 * section 1.3's example), client frames parsed (lengths, masking, every malformed case with
 * its close code and message) and server headers built, and the UTF-8 check. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ws_accept.h"
#include "ws_frame.h"

static void sha1_hex(const char *s, size_t n, char hex[41])
{
    uint8_t d[20];
    ws_sha1(s, n, d);
    for (int i = 0; i < 20; i++)
        snprintf(hex + 2 * i, 3, "%02x", d[i]);
}

static void test_sha1(void **state)
{
    (void)state;
    char hex[41];
    sha1_hex("", 0, hex);
    assert_string_equal(hex, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
    sha1_hex("abc", 3, hex);
    assert_string_equal(hex, "a9993e364706816aba3e25717850c26c9cd0d89d");
    const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"; /* 56: 2 blocks */
    sha1_hex(two, strlen(two), hex);
    assert_string_equal(hex, "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
    char a[1000];
    memset(a, 'a', sizeof a);
    sha1_hex(a, sizeof a, hex); /* several blocks and a partial one */
    assert_string_equal(hex, "291e9a6c66994949b57ba5e650361e98fc36b1ba");
}

static void test_base64_and_accept(void **state)
{
    (void)state;
    char out[16];
    assert_int_equal(ws_base64((const uint8_t *)"f", 1, out), 4);
    assert_string_equal(out, "Zg==");
    ws_base64((const uint8_t *)"fo", 2, out);
    assert_string_equal(out, "Zm8=");
    ws_base64((const uint8_t *)"foobar", 6, out);
    assert_string_equal(out, "Zm9vYmFy");
    char acc[WS_ACCEPT_LEN + 1];
    ws_accept_value("dGhlIHNhbXBsZSBub25jZQ==", acc);
    assert_string_equal(acc, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    assert_true(ws_key_valid("dGhlIHNhbXBsZSBub25jZQ=="));
    assert_false(ws_key_valid("dGhlIHNhbXBsZSBub25jZR==")); /* 'R': bits past the 16 bytes */
    assert_false(ws_key_valid("dGhlIHNhbXBsZSBub25jZQ="));
    assert_false(ws_key_valid("dGhlIHNhbXBsZSBub2!jZQ=="));
    assert_false(ws_key_valid(NULL));
}

/* A masked client frame of `op` carrying n bytes of `fill` into buf; its length. */
static size_t client_frame(uint8_t *buf, int op, int fin, size_t n, uint8_t fill)
{
    uint8_t hdr[WS_FRAME_HEADER_MAX];
    size_t hl = ws_frame_header(hdr, op, fin, n);
    memcpy(buf, hdr, hl);
    buf[1] |= 0x80;
    const uint8_t mask[4] = {0x11, 0x22, 0x33, 0x44};
    memcpy(buf + hl, mask, 4);
    for (size_t i = 0; i < n; i++)
        buf[hl + 4 + i] = (uint8_t)(fill ^ mask[i & 3]);
    return hl + 4 + n;
}

static ws_parse parse(uint8_t *buf, size_t len, size_t max, ws_frame *f, size_t *used, int *code,
                      char *msg)
{
    return ws_frame_parse(buf, len, max, f, used, code, msg, 128);
}

static void test_frames(void **state)
{
    (void)state;
    static uint8_t buf[70000 + 16];
    ws_frame f;
    size_t used = 0;
    int code = 0;
    char msg[128];
    size_t sizes[] = {0, 125, 126, 65535, 65536, 70000};
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        size_t n = client_frame(buf, WS_OP_TEXT, 1, sizes[i], 'x');
        assert_int_equal(parse(buf, n - 1, 100000, &f, &used, &code, msg), WS_PARSE_MORE);
        assert_int_equal(parse(buf, n, 100000, &f, &used, &code, msg), WS_PARSE_FRAME);
        assert_int_equal(f.len, sizes[i]);
        assert_int_equal(used, n);
        assert_true(f.len == 0 || (f.payload[0] == 'x' && f.payload[f.len - 1] == 'x'));
    }
    size_t n = client_frame(buf, WS_OP_TEXT, 1, 5000, 'y');
    assert_int_equal(parse(buf, n, 4096, &f, &used, &code, msg), WS_PARSE_ERROR);
    assert_int_equal(code, WS_CLOSE_TOO_BIG);
    assert_string_equal(msg, "a frame of 5000 bytes is over the limit of 4096");
    uint8_t unmasked[] = {0x81, 0x02, '{', '}'};
    assert_int_equal(parse(unmasked, 4, 100, &f, &used, &code, msg), WS_PARSE_ERROR);
    assert_int_equal(code, WS_CLOSE_PROTOCOL);
    assert_string_equal(msg, "client frames must be masked");
    uint8_t rsv[] = {0xC1, 0x80, 0, 0, 0, 0};
    assert_int_equal(parse(rsv, 6, 100, &f, &used, &code, msg), WS_PARSE_ERROR);
    assert_string_equal(msg, "reserved bits set without a negotiated extension");
    uint8_t op3[] = {0x83, 0x80, 0, 0, 0, 0};
    assert_int_equal(parse(op3, 6, 100, &f, &used, &code, msg), WS_PARSE_ERROR);
    assert_string_equal(msg, "unknown opcode");
    uint8_t frag_ping[] = {0x09, 0x80, 0, 0, 0, 0};
    assert_int_equal(parse(frag_ping, 6, 100, &f, &used, &code, msg), WS_PARSE_ERROR);
    assert_string_equal(msg, "control frames must not be fragmented or longer than 125 bytes");
    uint8_t short16[] = {0x81, 0xFE, 0x00, 0x05, 0, 0, 0, 0, 'a', 'b', 'c', 'd', 'e'};
    assert_int_equal(parse(short16, sizeof short16, 100, &f, &used, &code, msg), WS_PARSE_ERROR);
    assert_string_equal(msg, "non-minimal length");
    uint8_t top_bit[] = {0x81, 0xFF, 0x80, 0, 0, 0, 0, 0, 0, 0};
    assert_int_equal(parse(top_bit, sizeof top_bit, 100, &f, &used, &code, msg), WS_PARSE_ERROR);
    assert_string_equal(msg, "the length's most significant bit is set");
    uint8_t hdr[WS_FRAME_HEADER_MAX];
    assert_int_equal(ws_frame_header(hdr, WS_OP_CLOSE, 1, 2), 2);
    assert_int_equal(hdr[0], 0x88);
    assert_int_equal(ws_frame_header(hdr, WS_OP_TEXT, 0, 300), 4);
    assert_int_equal(hdr[0], 0x01);
    assert_int_equal(ws_frame_header(hdr, WS_OP_TEXT, 1, 70000), 10);
}

static void test_utf8(void **state)
{
    (void)state;
    struct {
        const char *s;
        int ok;
    } cases[] = {
        {"plain ascii", 1},
        {"\xc3\xa9t\xc3\xa9", 1},
        {"\xf0\x9f\x98\x80", 1},
        {"\xc0\x80", 0},
        {"\xe0\x80\x80", 0},
        {"\xed\xa0\x80", 0},
        {"\xf4\x90\x80\x80", 0},
        {"\xc3", 0},
        {"\xe2\x82", 0},
        {"\x80", 0},
        {"\xff", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        assert_int_equal(ws_utf8_valid((const uint8_t *)cases[i].s, strlen(cases[i].s)),
                         cases[i].ok);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha1),
        cmocka_unit_test(test_base64_and_accept),
        cmocka_unit_test(test_frames),
        cmocka_unit_test(test_utf8),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
