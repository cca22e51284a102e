/* tests/unit/test_buf.c - ratchet_buf, JSON string escaping, ISO 8601 time, rt_json_check. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"

static void test_append_and_printf_grow(void **state)
{
    (void)state;
    ratchet_buf b = RATCHET_BUF_INIT;
    assert_int_equal(rt_buf_append(&b, "", 0), RATCHET_OK);
    assert_non_null(b.data); /* an empty append still gives a string */
    assert_string_equal(b.data, "");
    for (int i = 0; i < 5000; i++)
        assert_int_equal(rt_buf_printf(&b, "%04d,", i), RATCHET_OK);
    assert_int_equal(b.len, 5000 * 5);
    assert_int_equal(strlen(b.data), b.len);
    assert_memory_equal(b.data, "0000,0001,", 10);
    assert_string_equal(b.data + b.len - 5, "4999,");
    assert_int_equal(rt_buf_puts(&b, "x"), RATCHET_OK);
    assert_int_equal(b.data[b.len - 1], 'x');
    rt_buf_free(&b);
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.cap, 0);
}

static void test_append_binary(void **state)
{
    (void)state;
    ratchet_buf b = RATCHET_BUF_INIT;
    assert_int_equal(rt_buf_append(&b, "a\0b", 3), RATCHET_OK);
    assert_int_equal(b.len, 3);
    assert_memory_equal(b.data, "a\0b", 4);
    assert_int_equal(rt_buf_append(&b, NULL, 1), RATCHET_ERR);
    assert_int_equal(b.len, 3);
    rt_buf_free(&b);
}

/* The JSON rendering of s, for comparison. */
static char *json_of(ratchet_buf *b, const char *s)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
    assert_int_equal(rt_buf_json_string(b, s), RATCHET_OK);
    return b->data;
}

static void test_json_string_escapes(void **state)
{
    (void)state;
    ratchet_buf b = RATCHET_BUF_INIT;
    assert_string_equal(json_of(&b, "plain"), "\"plain\"");
    assert_string_equal(json_of(&b, ""), "\"\"");
    assert_string_equal(json_of(&b, "a\"b\\c/d"), "\"a\\\"b\\\\c/d\"");
    assert_string_equal(json_of(&b, "\b\f\n\r\t"), "\"\\b\\f\\n\\r\\t\"");
    assert_string_equal(json_of(&b, "\x01\x1f x\x7f"), "\"\\u0001\\u001f x\x7f\"");
    assert_string_equal(json_of(&b, "caf\xc3\xa9 \xf0\x9f\x98\x80"),
                        "\"caf\xc3\xa9 \xf0\x9f\x98\x80\"");
    /* U+2028/2029 end lines in JavaScript. */
    assert_string_equal(json_of(&b, "a\xe2\x80\xa8"
                                    "b\xe2\x80\xa9"),
                        "\"a\\u2028b\\u2029\"");
    b.len = 0;
    assert_int_equal(rt_buf_json_string(&b, NULL), RATCHET_OK);
    assert_string_equal(b.data, "null");
    rt_buf_free(&b);
}

#define FFFD "\xef\xbf\xbd"

static void test_json_string_invalid_utf8(void **state)
{
    (void)state;
    ratchet_buf b = RATCHET_BUF_INIT;
    assert_string_equal(json_of(&b, "a\xff"
                                    "b"),
                        "\"a" FFFD "b\"");
    assert_string_equal(json_of(&b, "\x80"), "\"" FFFD "\"");          /* lone continuation */
    assert_string_equal(json_of(&b, "\xc0\x80"), "\"" FFFD FFFD "\""); /* overlong NUL */
    assert_string_equal(json_of(&b, "\xe0\x80\xaf"), "\"" FFFD FFFD FFFD "\""); /* overlong */
    assert_string_equal(json_of(&b, "\xed\xa0\x80"), "\"" FFFD FFFD FFFD "\""); /* surrogate */
    assert_string_equal(json_of(&b, "\xf4\x90\x80\x80"), "\"" FFFD FFFD FFFD FFFD "\"");
    /* A truncated sequence is one replacement, and the next character survives. */
    assert_string_equal(json_of(&b, "\xe2\x82"
                                    "x"),
                        "\"" FFFD "x\"");
    assert_string_equal(json_of(&b, "x\xf0\x9f\x98"), "\"x" FFFD "\"");
    assert_string_equal(json_of(&b, "\xf5\x80"), "\"" FFFD FFFD "\"");
    rt_buf_free(&b);
}

static void test_utf8_next(void **state)
{
    (void)state;
    size_t used;
    uint32_t cp;
    assert_int_equal(rt_utf8_next("\xe2\x82\xac", 3, &used, &cp), 1);
    assert_int_equal(cp, 0x20AC);
    assert_int_equal(used, 3);
    /* Bounded by len, not by a NUL. */
    assert_int_equal(rt_utf8_next("\xe2\x82\xac", 2, &used, &cp), 0);
    assert_int_equal(used, 2);
    assert_int_equal(cp, 0xFFFD);
}

static const char *time_of(ratchet_buf *b, int64_t us)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
    assert_int_equal(rt_buf_time_iso8601(b, us), RATCHET_OK);
    return b->data;
}

static void test_time_iso8601(void **state)
{
    (void)state;
    ratchet_buf b = RATCHET_BUF_INIT;
    assert_string_equal(time_of(&b, 0), "1970-01-01T00:00:00.000Z");
    assert_string_equal(time_of(&b, INT64_C(1795675245123456)), "2026-11-26T06:40:45.123Z");
    assert_string_equal(time_of(&b, INT64_C(1709251199999000)), "2024-02-29T23:59:59.999Z");
    assert_string_equal(time_of(&b, -1), "1969-12-31T23:59:59.999Z");
    assert_string_equal(time_of(&b, INT64_C(253402300799999999)), "9999-12-31T23:59:59.999Z");
    assert_string_equal(time_of(&b, INT64_C(-62135596800000000)), "0001-01-01T00:00:00.000Z");
    b.len = 0;
    assert_int_equal(rt_buf_time_iso8601(&b, INT64_C(253402300800000000)), RATCHET_ERR);
    assert_int_equal(rt_buf_time_iso8601(&b, INT64_MIN), RATCHET_ERR);
    assert_int_equal(b.len, 0);
    rt_buf_free(&b);
}

static void json_ok(const char *text)
{
    ratchet_buf why = RATCHET_BUF_INIT;
    ratchet_status rc = rt_json_check(text, strlen(text), &why);
    if (rc != RATCHET_OK)
        fail_msg("'%s' refused: %s", text, why.data ? why.data : "");
    rt_buf_free(&why);
}

static void json_bad(const char *text, size_t len, const char *expect)
{
    ratchet_buf why = RATCHET_BUF_INIT;
    assert_int_equal(rt_json_check(text, len, &why), RATCHET_ERR);
    assert_non_null(why.data);
    assert_string_equal(why.data, expect);
    rt_buf_free(&why);
    /* why may be NULL. */
    assert_int_equal(rt_json_check(text, len, NULL), RATCHET_ERR);
}

#define BAD(text, expect) json_bad(text, strlen(text), expect)

static void test_json_check_accepts(void **state)
{
    (void)state;
    json_ok("{\"a\":[1,2.5e3,-0.5E-2,true,false,null,\"x\\u00e9\\n\"]}");
    json_ok("  42  ");
    json_ok("0");
    json_ok("-0");
    json_ok("null");
    json_ok("\"caf\xc3\xa9\"");
    json_ok("[]\n");
}

static void test_json_check_trailing_and_truncated(void **state)
{
    (void)state;
    BAD("{\"a\":1} x", "unexpected text after the JSON value at byte offset 8");
    BAD("{\"a\":1}}", "unexpected text after the JSON value at byte offset 7");
    BAD("1 2", "unexpected text after the JSON value at byte offset 2");
    BAD("123x", "unexpected text after the JSON value at byte offset 3");
    BAD("null x", "unexpected text after the JSON value at byte offset 5");
    BAD("", "unexpected end of data at byte offset 0");
    BAD("   ", "unexpected end of data at byte offset 3");
    BAD("[1,2", "unexpected end of data at byte offset 4");
    BAD("\"abc", "unexpected end of data at byte offset 4");
    json_bad("[1]\0x", 5, "NUL byte at byte offset 3");
    /* len bounds the read: the text after it is not looked at. */
    ratchet_buf why = RATCHET_BUF_INIT;
    assert_int_equal(rt_json_check("[1] garbage", 3, &why), RATCHET_OK);
    rt_buf_free(&why);
}

static void test_json_check_not_json(void **state)
{
    (void)state;
    BAD("[1,2,]", "unexpected character at byte offset 5");
    BAD("{\"a\" 1}", "object property name separator ':' expected at byte offset 5");
    BAD("{'a':1}", "unexpected character at byte offset 1");
    BAD("NaN", "unexpected word (JSON allows only true, false and null) at byte offset 0");
    BAD("[Infinity]", "unexpected word (JSON allows only true, false and null) at byte offset 1");
    BAD("1.", "malformed number at byte offset 0");
    BAD("[-01]", "malformed number at byte offset 1");
    BAD("+1", "unexpected character at byte offset 0");
    BAD("\"a\x01"
        "b\"",
        "unescaped control character in string at byte offset 2");
    BAD("\"\xff\"", "invalid utf-8 string at byte offset 1");
    BAD("/* c */ 1", "unexpected character at byte offset 0");
    char deep[80];
    memset(deep, '[', 40);
    memset(deep + 40, ']', 40);
    json_bad(deep, sizeof deep, "nesting too deep at byte offset 32");
}

static void test_json_check_appends(void **state)
{
    (void)state;
    ratchet_buf why = RATCHET_BUF_INIT;
    rt_buf_puts(&why, "input: ");
    assert_int_equal(rt_json_check("[", 1, &why), RATCHET_ERR);
    assert_string_equal(why.data, "input: unexpected end of data at byte offset 1");
    rt_buf_free(&why);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_append_and_printf_grow),
        cmocka_unit_test(test_append_binary),
        cmocka_unit_test(test_json_string_escapes),
        cmocka_unit_test(test_json_string_invalid_utf8),
        cmocka_unit_test(test_utf8_next),
        cmocka_unit_test(test_time_iso8601),
        cmocka_unit_test(test_json_check_accepts),
        cmocka_unit_test(test_json_check_trailing_and_truncated),
        cmocka_unit_test(test_json_check_not_json),
        cmocka_unit_test(test_json_check_appends),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
