/* tests/unit/test_fe_json.c - plugins/frontend-common's scan for the top-level members of a
 * JSON object's text (fe_json.h): values of every kind found whole, nested members and
 * look-alikes inside strings not mistaken for top-level ones, and malformed text refused
 * without reading past its end. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fe_json.h"

/* The member's value text, or "" when fe_json_member() says it is absent. */
static const char *member(const char *json, const char *key)
{
    static char buf[256];
    const char *v;
    size_t n;
    if (!fe_json_member(json, key, &v, &n) || n >= sizeof buf)
        return "";
    memcpy(buf, v, n);
    buf[n] = '\0';
    return buf;
}

static void values_are_found_whole(void **state)
{
    (void)state;
    const char *ev = " { \"type\" : \"status\", \"jobId\":12,\"executionId\":null,"
                     "\"output\":{\"a\":[1,{\"b\":\"}]\"}],\"s\":\"x\\\"y\"},\"n\":-1.5e3,"
                     "\"final\":true , \"error\":[] }";
    assert_string_equal(member(ev, "type"), "\"status\"");
    assert_string_equal(member(ev, "jobId"), "12");
    assert_string_equal(member(ev, "executionId"), "null");
    assert_string_equal(member(ev, "output"), "{\"a\":[1,{\"b\":\"}]\"}],\"s\":\"x\\\"y\"}");
    assert_string_equal(member(ev, "n"), "-1.5e3");
    assert_string_equal(member(ev, "final"), "true");
    assert_string_equal(member(ev, "error"), "[]");
    assert_true(fe_json_member_true(ev, "final"));
    assert_false(fe_json_member_true(ev, "jobId"));
    char word[8];
    assert_true(fe_json_member_word(ev, "type", word, sizeof word));
    assert_string_equal(word, "status");
    assert_false(fe_json_member_word(ev, "type", word, 6));            /* too long for the buffer */
    assert_false(fe_json_member_word(ev, "jobId", word, sizeof word)); /* not a string */
}

/* Only top-level members count: the same key nested, or spelled inside a string, is not it. */
static void nested_and_quoted_keys_are_not_members(void **state)
{
    (void)state;
    const char *ev = "{\"output\":{\"final\":true},\"note\":\"\\\"final\\\":true\","
                     "\"final\":false}";
    assert_string_equal(member(ev, "final"), "false");
    assert_false(fe_json_member_true(ev, "final"));
    assert_string_equal(member("{\"a\":{\"status\":\"x\"}}", "status"), "");
    assert_string_equal(member("{}", "a"), "");
    char word[8];
    assert_false(fe_json_member_word("{\"s\":\"a\\nb\"}", "s", word, sizeof word)); /* escaped */
}

static void malformed_text_is_refused(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",
        "[1]",
        "{\"a\"",
        "{\"a\":",
        "{\"a\":\"x",
        "{\"a\":[",
        "{\"a\":[1}}",
        "{\"a\":{\"b\":1]}",
        "{a:1}",
        "{\"a\" 1}",
        "{\"z\":1 \"a\":2}",
        "{\"a\":\"\\",
        "{\"z\":,\"a\":1}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        const char *v;
        size_t n;
        if (fe_json_member(bad[i], "a", &v, &n))
            fail_msg("found a member in malformed text #%zu: %s", i, bad[i]);
    }
    const char *v;
    size_t n;
    assert_false(fe_json_member(NULL, "a", &v, &n));
    /* nesting deeper than the scan's bracket stack is refused, not overrun */
    char deep[200] = "{\"a\":";
    for (int i = 0; i < 100; i++)
        strcat(deep, "[");
    assert_false(fe_json_member(deep, "a", &v, &n));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(values_are_found_whole),
        cmocka_unit_test(nested_and_quoted_keys_are_not_members),
        cmocka_unit_test(malformed_text_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
