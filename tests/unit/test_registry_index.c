/* tests/unit/test_registry_index.c - a registry's index.json: what is kept, what is refused
 * and with which message, and relative URLs resolved against the index's (RFC 3986 5.4). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "registry_index.h"

#define BASE "http://a/b/c/d;p?q"

static void resolves(const char *ref, const char *want)
{
    rt_error err;
    char *got = rt_reg_url_resolve(BASE, ref, &err);
    if (!got)
        fail_msg("%s: %s", ref, err.msg);
    if (strcmp(got, want) != 0)
        fail_msg("%s resolved to %s, expected %s", ref, got, want);
    free(got);
}

/* The normal examples of RFC 3986 section 5.4.1 (those with an http result). */
static void test_rfc3986_normal(void **state)
{
    (void)state;
    resolves("g", "http://a/b/c/g");
    resolves("./g", "http://a/b/c/g");
    resolves("g/", "http://a/b/c/g/");
    resolves("/g", "http://a/g");
    resolves("//g", "http://g");
    resolves("?y", "http://a/b/c/d;p?y");
    resolves("g?y", "http://a/b/c/g?y");
    resolves("#s", "http://a/b/c/d;p?q#s");
    resolves("g#s", "http://a/b/c/g#s");
    resolves("g?y#s", "http://a/b/c/g?y#s");
    resolves(";x", "http://a/b/c/;x");
    resolves("g;x", "http://a/b/c/g;x");
    resolves(".", "http://a/b/c/");
    resolves("./", "http://a/b/c/");
    resolves("..", "http://a/b/");
    resolves("../", "http://a/b/");
    resolves("../g", "http://a/b/g");
    resolves("../..", "http://a/");
    resolves("../../", "http://a/");
    resolves("../../g", "http://a/g");
}

/* The abnormal examples of 5.4.2: no climbing above the root. */
static void test_rfc3986_abnormal(void **state)
{
    (void)state;
    resolves("../../../g", "http://a/g");
    resolves("../../../../g", "http://a/g");
    resolves("/./g", "http://a/g");
    resolves("/../g", "http://a/g");
    resolves("g.", "http://a/b/c/g.");
    resolves(".g", "http://a/b/c/.g");
    resolves("./../g", "http://a/b/g");
    resolves("./g/.", "http://a/b/c/g/");
    resolves("g/./h", "http://a/b/c/g/h");
    resolves("g/../h", "http://a/b/c/h");
    resolves("https://other.example/x/../y.zip", "https://other.example/y.zip");
}

static void test_url_refusals(void **state)
{
    (void)state;
    rt_error err;
    assert_null(rt_reg_url_resolve(BASE, "file:///etc/passwd", &err));
    assert_string_equal(err.msg, "'file:///etc/passwd' is not an http or https URL");
    assert_null(rt_reg_url_resolve(BASE, "a b.zip", &err));
    assert_non_null(strstr(err.msg, "holds a space or control character"));
    assert_null(rt_reg_url_resolve(BASE, "", &err));
    assert_true(rt_reg_same_origin("http://h:1/a/index.json", "HTTP://h:1/b.zip"));
    assert_false(rt_reg_same_origin("http://h:1/a", "http://h:2/a"));
    assert_false(rt_reg_same_origin("http://h/a", "https://h/a"));
}

typedef struct problems {
    char text[8][512];
    size_t n;
} problems;

static void collect(void *data, const char *message)
{
    problems *p = data;
    if (p->n < 8)
        snprintf(p->text[p->n++], sizeof p->text[0], "%s", message);
}

static void test_good_index(void **state)
{
    (void)state;
    const char *text =
        "{\"registry\": 1, \"future\": true, \"tasks\": [\n"
        " {\"name\": \"addition\", \"version\": \"1.0.0\", \"description\": \"Adds\",\n"
        "  \"url\": \"zips/addition-1.0.0.zip\", \"size\": 42, \"sha256\": "
        "\"ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef0123456789\"},\n"
        " {\"name\": \"b\", \"version\": \"2.0+r1\", \"url\": \"https://cdn.example/b.zip\"}]}\n";
    rt_reg_index ix;
    rt_error err;
    problems p = {{{0}}, 0};
    assert_int_equal(
        rt_reg_index_parse(text, strlen(text), "http://h/reg/index.json", &ix, collect, &p, &err),
        RATCHET_OK);
    assert_int_equal(p.n, 0);
    assert_int_equal(ix.ntasks, 2);
    assert_string_equal(ix.tasks[0].url, "http://h/reg/zips/addition-1.0.0.zip");
    assert_string_equal(ix.tasks[0].description, "Adds");
    assert_int_equal(ix.tasks[0].size, 42);
    assert_string_equal(ix.tasks[0].sha256,
                        "abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789");
    assert_string_equal(ix.tasks[1].url, "https://cdn.example/b.zip");
    assert_null(ix.tasks[1].description);
    assert_int_equal(ix.tasks[1].size, -1);
    assert_string_equal(ix.tasks[1].sha256, "");
    rt_reg_index_free(&ix);
}

/* Bad entries are dropped with a message naming them; the good ones stay. */
static void test_bad_entries(void **state)
{
    (void)state;
    const char *text =
        "{\"registry\": 1, \"tasks\": [\n"
        " {\"name\": \"ok\", \"version\": \"1\", \"url\": \"ok.zip\"},\n"
        " {\"name\": \"../x\", \"version\": \"1\", \"url\": \"x.zip\"},\n"
        " {\"name\": \"v\", \"version\": \"1 0\", \"url\": \"v.zip\"},\n"
        " {\"name\": \"u\", \"version\": \"1\"},\n"
        " {\"name\": \"s\", \"version\": \"1\", \"url\": \"s.zip\", \"sha256\": \"abc\"},\n"
        " {\"name\": \"z\", \"version\": \"1\", \"url\": \"z.zip\", \"size\": -1},\n"
        " {\"name\": \"ok\", \"version\": \"1\", \"url\": \"again.zip\"},\n"
        " 7]}";
    rt_reg_index ix;
    rt_error err;
    problems p = {{{0}}, 0};
    assert_int_equal(
        rt_reg_index_parse(text, strlen(text), "http://h/index.json", &ix, collect, &p, &err),
        RATCHET_OK);
    assert_int_equal(ix.ntasks, 1);
    assert_string_equal(ix.tasks[0].url, "http://h/ok.zip");
    assert_int_equal(p.n, 7);
    assert_string_equal(p.text[0],
                        "tasks[1].name: '../x' is not a task name (letters, digits, _ and -)");
    assert_non_null(strstr(p.text[1], "tasks[2].version: '1 0' (task v) is not a version"));
    assert_string_equal(p.text[2], "tasks[3].url: missing (a string is required)");
    assert_string_equal(p.text[3], "tasks[4].sha256: expected 64 hex digits, got 'abc'");
    assert_non_null(strstr(p.text[4], "tasks[5].size: expected the zip's size in bytes"));
    assert_string_equal(p.text[5], "tasks[6]: ok 1 is listed twice; the first entry is used");
    assert_string_equal(p.text[6], "tasks[7]: expected an object {name, version, url}, got 7");
    rt_reg_index_free(&ix);
}

static void refused(const char *text, const char *want)
{
    rt_reg_index ix;
    rt_error err;
    if (rt_reg_index_parse(text, strlen(text), "http://h/index.json", &ix, NULL, NULL, &err) ==
        RATCHET_OK)
        fail_msg("accepted: %s", text);
    if (!strstr(err.msg, want))
        fail_msg("%s: message '%s' lacks '%s'", text, err.msg, want);
    assert_int_equal(ix.ntasks, 0);
}

/* A document that is not an index is refused whole. */
static void test_not_an_index(void **state)
{
    (void)state;
    refused("<html>", "not JSON:");
    refused("{\"registry\": 1, \"tasks\": [", "not JSON: unexpected end of the document");
    refused("{} x", "not JSON:");
    refused("[]", "not a registry index: expected a JSON object");
    refused("{\"tasks\": []}", "no \"registry\": 1 member");
    refused("{\"registry\": 2, \"tasks\": []}", "\"registry\": 2: this index is in a format");
    refused("{\"registry\": 1, \"tasks\": {}}", "\"tasks\" must be a list");
    size_t big = RT_REG_INDEX_MAX_BYTES + 1;
    char *huge = malloc(big + 1);
    assert_non_null(huge);
    memset(huge, ' ', big);
    huge[big] = '\0';
    refused(huge, "over the limit of 8388608");
    free(huge);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc3986_normal), cmocka_unit_test(test_rfc3986_abnormal),
        cmocka_unit_test(test_url_refusals),   cmocka_unit_test(test_good_index),
        cmocka_unit_test(test_bad_entries),    cmocka_unit_test(test_not_an_index),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
