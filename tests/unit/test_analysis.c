/* tests/unit/test_analysis.c - the error report's parts that need no storage: stack frames in
 * the author's lines, the patterns of a failed execution, markdown, and the token budget cut
 * (each drop in its documented order, the summary always kept). */
#define _POSIX_C_SOURCE 200809L

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "analysis.h"

static const char code[] = "// a task\n"
                           "function helper(user) {\n"
                           "  console.log(\"looking up\", user.id);\n"
                           "  return user.profile.name;\n"
                           "}\n"
                           "function main(input) {\n"
                           "  return { name: helper(input) };\n"
                           "}\n";

static const char stack[] = "TypeError: cannot read property 'name' of undefined\n"
                            "\tat helper (main.js:4:15)\n"
                            "\tat <native code>\n"
                            "\tat main (main.js:7:18)\n"
                            "\tat main (main.js:7:18)\n"
                            "\tat main (main.js:7:18)\n"
                            "\tat main (main.js:7:18)";

static struct json_object *get(struct json_object *o, const char *key)
{
    struct json_object *v = NULL;
    return json_object_object_get_ex(o, key, &v) ? v : NULL;
}

static void test_frames(void **state)
{
    (void)state;
    struct json_object *f = rt_analysis_frames(stack, code, 1);
    assert_int_equal(json_object_array_length(f), 5); /* the native frame has no position */
    struct json_object *f0 = json_object_array_get_idx(f, 0);
    assert_string_equal(json_object_get_string(get(f0, "text")), "at helper (main.js:4:15)");
    assert_int_equal(json_object_get_int(get(f0, "line")), 4);
    assert_int_equal(json_object_get_int(get(f0, "column")), 15);
    struct json_object *src = get(f0, "source");
    assert_int_equal(json_object_array_length(src), 3); /* lines 3, 4, 5 */
    struct json_object *l4 = json_object_array_get_idx(src, 1);
    assert_string_equal(json_object_get_string(get(l4, "text")), "  return user.profile.name;");
    assert_true(json_object_get_boolean(get(l4, "failing")));
    json_object_put(f);
    /* A position past the end of the code: the frame, no lines. */
    f = rt_analysis_frames("at x (main.js:99:1)", code, 2);
    assert_int_equal(json_object_array_length(get(json_object_array_get_idx(f, 0), "source")), 0);
    json_object_put(f);
    f = rt_analysis_frames(NULL, code, 2);
    assert_int_equal(json_object_array_length(f), 0);
    json_object_put(f);
}

static void test_patterns_of_failure(void **state)
{
    (void)state;
    struct json_object *p = rt_analysis_patterns(
        "{\"kind\":\"runtime_error\",\"name\":\"HttpError\",\"message\":\"HTTP 404: Not Found\"}",
        "[{\"level\":\"error\",\"message\":\"storage: database is locked\"}]", "t");
    /* 404 from the error itself, db_timeout weighed down from a console line. */
    const char *ids[8] = {0};
    double conf[8] = {0};
    size_t n = json_object_array_length(p);
    for (size_t i = 0; i < n && i < 8; i++) {
        ids[i] = json_object_get_string(get(json_object_array_get_idx(p, i), "id"));
        conf[i] = json_object_get_double(get(json_object_array_get_idx(p, i), "confidence"));
    }
    assert_true(n >= 3);
    assert_string_equal(ids[0], "http_not_found"); /* sorted by confidence */
    int db = -1;
    for (size_t i = 0; i < n && i < 8; i++)
        if (strcmp(ids[i], "db_timeout") == 0)
            db = (int)i;
    assert_true(db > 0);
    assert_true(conf[db] > 0.62 && conf[db] < 0.64); /* 0.9 * 0.7 */
    json_object_put(p);
    p = rt_analysis_patterns(NULL, NULL, NULL);
    assert_int_equal(json_object_array_length(p), 0);
    json_object_put(p);
}

/* A report as rt_analysis_build makes it, with `nrelated` related events. */
static struct json_object *report(int nrelated)
{
    char text[16384];
    size_t used = (size_t)snprintf(
        text, sizeof text,
        "{\"summary\":{\"status\":\"failed\",\"errorType\":\"TypeError\",\"message\":\"%0300d\","
        "\"task\":\"t\",\"location\":\"main.js:4:15\"},"
        "\"error\":{\"name\":\"TypeError\",\"message\":\"%0300d\",\"stack\":\"at a (main.js:4:1)\","
        "\"frames\":[]},"
        "\"context\":{\"executionId\":1,\"input\":{\"big\":\"%0400d\"}},"
        "\"patterns\":[{\"id\":\"a\",\"name\":\"A\",\"confidence\":0.9,\"suggestions\":[\"s1\","
        "\"s2\"]},{\"id\":\"b\",\"name\":\"B\",\"confidence\":0.8},{\"id\":\"c\",\"name\":\"C\"},"
        "{\"id\":\"d\",\"name\":\"D\"}],"
        "\"system\":{\"capturedAt\":\"failure\",\"queueDepth\":3},"
        "\"prompts\":[\"why?\"],\"related\":[",
        0, 0, 0);
    for (int i = 0; i < nrelated; i++)
        used += (size_t)snprintf(text + used, sizeof text - used,
                                 "%s{\"kind\":\"log\",\"level\":\"info\",\"message\":\"line %d\"}",
                                 i ? "," : "", i);
    snprintf(text + used, sizeof text - used, "]}");
    struct json_object *r = json_tokener_parse(text);
    struct json_object *frames = rt_analysis_frames(stack, code, 2);
    json_object_object_add(get(r, "error"), "frames", frames);
    return r;
}

static struct json_object *dropped_of(struct json_object *r)
{
    return get(get(r, "budget"), "dropped");
}

static void test_budget_nothing_dropped(void **state)
{
    (void)state;
    struct json_object *r = report(3);
    ratchet_buf out = RATCHET_BUF_INIT;
    assert_int_equal(rt_analysis_render(r, 0, 0, &out), RATCHET_OK);
    assert_int_equal(json_object_array_length(dropped_of(r)), 0);
    int64_t est = json_object_get_int64(get(get(r, "budget"), "estimatedTokens"));
    assert_int_equal(est, ((int64_t)out.len + 3) / 4); /* the estimate is of this very text */
    assert_int_equal(json_object_get_int64(get(get(r, "budget"), "maxTokens")), 8000);
    free(out.data);
    json_object_put(r);
}

/* Cut to `tokens`: the text fits (or only the summary is left) and the drops came in order. */
static void expect_cut(int markdown, int64_t tokens, const char *const *want, size_t nwant)
{
    struct json_object *r = report(40);
    ratchet_buf out = RATCHET_BUF_INIT;
    assert_int_equal(rt_analysis_render(r, markdown, tokens, &out), RATCHET_OK);
    struct json_object *d = dropped_of(r);
    if (json_object_array_length(d) < nwant)
        fail_msg("%s %lld: dropped %s", markdown ? "markdown" : "json", (long long)tokens,
                 json_object_to_json_string(d));
    for (size_t i = 0; i < nwant; i++)
        if (strncmp(json_object_get_string(json_object_array_get_idx(d, i)), want[i],
                    strlen(want[i])) != 0)
            fail_msg("drop %zu: %s, expected %s", i,
                     json_object_get_string(json_object_array_get_idx(d, i)), want[i]);
    assert_non_null(get(r, "summary"));
    size_t n = json_object_array_length(d);
    int only_summary_left = n == 11;
    assert_true((int64_t)(out.len + 3) / 4 <= tokens || only_summary_left);
    free(out.data);
    json_object_put(r);
}

static void test_budget_order(void **state)
{
    (void)state;
    static const char *const order[] = {
        "related events but the last 10 of 40",
        "system state",
        "suggested prompts",
        "source lines around the failing ones",
        "the input",
        "patterns beyond the first 3",
        "related events",
        "stack frames but the first 3",
        "the stack text",
        "the message beyond 200 characters",
        "error details, execution context and patterns",
    };
    for (int markdown = 0; markdown < 2; markdown++) {
        expect_cut(markdown, 1000000, order, 0);
        expect_cut(markdown, 100, order, 11); /* everything goes but the summary */
    }
    /* A middling budget stops as soon as the text fits, after the first drops only. */
    struct json_object *r = report(40);
    ratchet_buf out = RATCHET_BUF_INIT;
    ratchet_buf full = RATCHET_BUF_INIT;
    struct json_object *copy = NULL;
    json_object_deep_copy(r, &copy, NULL);
    rt_analysis_render(copy, 1, 0, &full);
    int64_t budget = (int64_t)full.len / 4 - 40; /* a little less than it takes */
    assert_int_equal(rt_analysis_render(r, 1, budget, &out), RATCHET_OK);
    assert_int_equal(json_object_array_length(dropped_of(r)), 1);
    assert_non_null(strstr(out.data, "(related events but the last 10 of 40)"));
    assert_non_null(strstr(out.data, "line 39"));
    assert_null(strstr(out.data, "line 29\n"));
    assert_non_null(strstr(out.data, "estimated as characters / 4). Dropped to fit: related"));
    free(out.data);
    free(full.data);
    json_object_put(copy);
    json_object_put(r);
}

static void test_markdown_sections(void **state)
{
    (void)state;
    struct json_object *r = report(2);
    ratchet_buf out = RATCHET_BUF_INIT;
    rt_analysis_markdown(r, &out);
    static const char *const sections[] = {
        "# Error Analysis Report\n",  "## Summary\n",          "## Error Details\n",
        "## Execution Context\n",     "## Pattern Analysis\n", "## System State\n",
        "## Suggested LLM Prompts\n", "## Related Events\n",
    };
    const char *at = out.data;
    for (size_t i = 0; i < sizeof sections / sizeof *sections; i++) {
        const char *s = strstr(at, sections[i]);
        if (!s)
            fail_msg("section %s missing or out of order in:\n%s", sections[i], out.data);
        at = s;
    }
    assert_non_null(strstr(out.data, ">   4 |   return user.profile.name;\n      |"));
    assert_non_null(strstr(out.data, "As recorded when the execution failed:"));
    free(out.data);
    json_object_put(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_frames),
        cmocka_unit_test(test_patterns_of_failure),
        cmocka_unit_test(test_budget_nothing_dropped),
        cmocka_unit_test(test_budget_order),
        cmocka_unit_test(test_markdown_sections),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
