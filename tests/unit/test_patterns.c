/* tests/unit/test_patterns.c - error patterns: every bad-rule class with its message, rule
 * semantics, the regex prefilter, the built-ins against sample failures, JSON in and out. */
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

#include "pattern.h"
#include "rt_yaml.h"

/* Parse `yaml` (a list of patterns under logging.patterns) into a fresh set. */
static ratchet_status parse_into(rt_pattern_set *set, const char *yaml, rt_error *err)
{
    rt_node *root = rt_yaml_parse(yaml, strlen(yaml), "ratchet.yaml", err);
    if (!root)
        fail_msg("fixture does not parse: %s", err->msg);
    ratchet_status rc =
        rt_patterns_parse(set, rt_node_get(root, "patterns"), "logging.patterns", 0, err);
    rt_node_free(root);
    return rc;
}

typedef struct bad_case {
    const char *yaml;
    const char *message; /* the whole message, or its start when it ends with '*' */
} bad_case;

static const bad_case bad_cases[] = {
    {"patterns: {id: x}\n", "ratchet.yaml:1:11: logging.patterns: expected a list of patterns"},
    {"patterns:\n  - just text\n",
     "ratchet.yaml:2:5: logging.patterns[0]: expected a pattern: a mapping with id, match*"},
    {"patterns:\n  - {name: a, match: {level: error}}\n",
     "ratchet.yaml:2:5: logging.patterns[0]: missing required option 'id'*"},
    {"patterns:\n  - {id: Bad Id, match: {level: error}}\n",
     "ratchet.yaml:2:10: logging.patterns[0].id: expected [a-z0-9_.-]{1,64}, got 'Bad Id'"},
    {"patterns:\n  - {id: a, colour: red, match: {level: error}}\n",
     "ratchet.yaml:2:13: logging.patterns[0].colour: unknown option 'colour' (accepted: id, name, "
     "category, severity, confidence, min_level, description, suggestions, match)"},
    {"patterns:\n  - {id: a, category: weather, match: {level: error}}\n",
     "ratchet.yaml:2:23: logging.patterns[0].category: expected one of database|network|*"},
    {"patterns:\n  - {id: a, confidence: 1.5, match: {level: error}}\n",
     "ratchet.yaml:2:25: logging.patterns[0].confidence: expected a number from 0 to 1, got 1.5"},
    {"patterns:\n  - {id: a}\n",
     "ratchet.yaml:2:5: logging.patterns[0]: missing required option 'match'*"},
    {"patterns:\n  - {id: a, match: {level: error, message_regex: x}}\n",
     "ratchet.yaml:2:20: logging.patterns[0].match: expected one rule: a mapping with one key *"},
    {"patterns:\n  - {id: a, match: {regex: x}}\n",
     "ratchet.yaml:2:21: logging.patterns[0].match: unknown rule 'regex' (expected one of "
     "message_regex, field_equals, field_contains, level, and, or, not)"},
    {"patterns:\n  - {id: a, match: {message_regex: 'a(b'}}\n",
     "ratchet.yaml:2:36: logging.patterns[0].match.message_regex: invalid regular expression "
     "'a(b': Unmatched ( or \\("},
    {"patterns:\n  - {id: a, match: {message_regex: '(a)\\1'}}\n",
     "ratchet.yaml:2:36: logging.patterns[0].match.message_regex: back-references (\\1) are not "
     "allowed in a regular expression"},
    {"patterns:\n  - {id: a, match: {message_regex: '((a{1,200}){1,200}){1,300}'}}\n",
     "ratchet.yaml:2:36: logging.patterns[0].match.message_regex: counted repetitions {m,n}: at "
     "most 4 of them, with bounds up to 255"},
    {"patterns:\n  - {id: a, match: {message_regex: 'a++++++++++++b'}}\n",
     "ratchet.yaml:2:36: logging.patterns[0].match.message_regex: repetitions of repetitions "
     "nested 12 deep (a?+ and (a*)+ are 2 deep); at most 2*"},
    {"patterns:\n  - {id: a, match: {message_regex: 'x((a?)+)+'}}\n",
     "ratchet.yaml:2:36: logging.patterns[0].match.message_regex: repetitions of repetitions "
     "nested 3 deep*"},
    {"patterns:\n  - {id: a, match: {message_regex: '(x(ab){200}){30}'}}\n",
     "ratchet.yaml:2:36: logging.patterns[0].match.message_regex: the regular expression would "
     "compile to more than 2048 nodes*"},
    {"patterns:\n  - {id: a, match: {message_regex: '(.?){255}(.?){255}(.?){255}z'}}\n",
     "ratchet.yaml:2:36: logging.patterns[0].match.message_regex: the regular expression would "
     "compile to more than 2048 nodes*"},
    {"patterns:\n  - {id: a, match: {and: []}}\n",
     "ratchet.yaml:2:26: logging.patterns[0].match.and: expected a non-empty list of rules"},
    {"patterns:\n  - {id: a, match: {or: [{level: loud}]}}\n",
     "ratchet.yaml:2:34: logging.patterns[0].match.or[0].level: expected a level "
     "(trace|debug|info|warn|error), got 'loud'"},
    {"patterns:\n  - {id: a, match: {field_equals: {value: x}}}\n",
     "ratchet.yaml:2:35: logging.patterns[0].match.field_equals: missing required option "
     "'field'*"},
    {"patterns:\n  - {id: a, match: {field_contains: {field: url, value: ''}}}\n",
     "ratchet.yaml:2:57: logging.patterns[0].match.field_contains.value: expected a non-empty "
     "substring"},
    {"patterns:\n  - {id: a, match: {not: {not: {not: {not: {not: {not: {not: {not: {not: "
     "{not: {not: {not: {not: {not: {not: {not: {not: {level: error}}}}}}}}}}}}}}}}}}}\n",
     "ratchet.yaml:2:122: logging.patterns[0].match.not.not.not.not.not.not.not.not.not.not."
     "not.not.not.not.not.not.not: rules nested too deeply (at most 16 levels)"},
    {"patterns:\n  - {id: a, match: {level: error}}\n  - {id: a, match: {level: warn}}\n",
     "ratchet.yaml:3:10: logging.patterns[1].id: duplicate pattern id 'a' (first at "
     "ratchet.yaml:2:5)"},
    {"patterns:\n  - {id: a, suggestions: do it, match: {level: error}}\n",
     "ratchet.yaml:2:26: logging.patterns[0].suggestions: expected a list of sentences"},
    {"patterns:\n  - {id: a, suggestions: [[x]], match: {level: error}}\n",
     "ratchet.yaml:2:27: logging.patterns[0].suggestions[0]: expected a sentence (text)"},
};

static int message_is(const char *got, const char *want)
{
    size_t n = strlen(want);
    if (want[0] == '*')
        return strstr(got, want + 1) != NULL;
    if (n && want[n - 1] == '*')
        return strncmp(got, want, n - 1) == 0;
    return strcmp(got, want) == 0;
}

static void test_bad_rules(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad_cases / sizeof *bad_cases; i++) {
        rt_pattern_set set = {NULL, 0};
        rt_error err = {{0}};
        ratchet_status rc = parse_into(&set, bad_cases[i].yaml, &err);
        if (rc == RATCHET_OK || !message_is(err.msg, bad_cases[i].message))
            fail_msg("case %zu: got rc %d, message\n  %s\nwant\n  %s", i, (int)rc, err.msg,
                     bad_cases[i].message);
        rt_pattern_set_clear(&set);
    }
}

static void test_custom_id_clashes_with_builtin(void **state)
{
    (void)state;
    rt_pattern_set set = {NULL, 0};
    rt_error err;
    assert_int_equal(rt_patterns_add_builtin(&set, &err), RATCHET_OK);
    assert_int_equal(
        parse_into(&set, "patterns:\n  - {id: db_timeout, match: {level: error}}\n", &err),
        RATCHET_ERR);
    assert_string_equal(err.msg, "ratchet.yaml:2:10: logging.patterns[0].id: duplicate pattern "
                                 "id 'db_timeout' (a built-in pattern at (built-in):1:3)");
    rt_pattern_set_clear(&set);
}

/* In the process's set a custom pattern with a built-in's id replaces that built-in. */
static void test_custom_replaces_builtin(void **state)
{
    (void)state;
    size_t builtin_n = rt_patterns_current()->n;
    const rt_pattern *b = rt_pattern_set_find(rt_patterns_current(), "db_timeout");
    assert_non_null(b);
    assert_true(b->builtin);
    rt_pattern_set custom = {NULL, 0};
    rt_error err;
    assert_int_equal(parse_into(&custom,
                                "patterns:\n  - {id: db_timeout, suggestions: [Call the DBA],"
                                " match: {level: error}}\n  - {id: extra, match: {level: warn}}\n",
                                &err),
                     RATCHET_OK);
    rt_patterns_install(&custom);
    const rt_pattern_set *now = rt_patterns_current();
    assert_int_equal(now->n, builtin_n + 1);
    const rt_pattern *c = rt_pattern_set_find(now, "db_timeout");
    assert_false(c->builtin);
    assert_string_equal(c->suggestions[0], "Call the DBA");
    assert_non_null(rt_pattern_set_find(now, "extra"));
    rt_patterns_uninstall(&custom);
    assert_true(rt_pattern_set_find(rt_patterns_current(), "db_timeout")->builtin);
    assert_int_equal(rt_patterns_current()->n, builtin_n);
    rt_pattern_set_clear(&custom);
}

static rt_pattern_event event(ratchet_log_level level, const char *message,
                              const ratchet_log_field *fields, size_t n)
{
    rt_pattern_event ev = {level, message, "host", fields, n};
    return ev;
}

static void test_rule_semantics(void **state)
{
    (void)state;
    rt_pattern_set set = {NULL, 0};
    rt_error err;
    const char *yaml = "patterns:\n"
                       "  - id: declined\n"
                       "    category: http\n"
                       "    severity: high\n"
                       "    confidence: 0.7\n"
                       "    suggestions: [Call the bank]\n"
                       "    match:\n"
                       "      and:\n"
                       "        - or: [{level: error}, {level: warn}]\n"
                       "        - message_regex: 'card .*declined'\n"
                       "        - field_equals: {field: errorName, value: HttpError}\n"
                       "        - field_contains: {field: url, value: /CHARGE}\n"
                       "        - not: {field_equals: {field: status, value: '404'}}\n";
    assert_int_equal(parse_into(&set, yaml, &err), RATCHET_OK);
    assert_int_equal(set.n, 1);
    const rt_pattern *p = set.items[0];
    assert_string_equal(p->name, "declined");
    assert_string_equal(p->category, "http");
    assert_int_equal(p->nsuggestions, 1);
    ratchet_log_field f[] = {
        {"errorName", "HttpError"}, {"url", "https://x/api/charge"}, {"status", "402"}};
    rt_pattern_event ev = event(RATCHET_LOG_ERROR, "Card was DECLINED by issuer", f, 3);
    rt_pattern_match m[4];
    assert_int_equal(rt_patterns_match(&set, &ev, m, 4), 1);
    assert_ptr_equal(m[0].pattern, p);
    assert_true(m[0].confidence > 0.69 && m[0].confidence < 0.71);
    ev.level = RATCHET_LOG_INFO; /* or fails */
    assert_int_equal(rt_patterns_match(&set, &ev, m, 4), 0);
    ev.level = RATCHET_LOG_WARN;
    f[2].value = "404"; /* not fails */
    assert_int_equal(rt_patterns_match(&set, &ev, m, 4), 0);
    f[2].value = "402";
    f[1].value = "https://x/api/refund"; /* contains fails */
    assert_int_equal(rt_patterns_match(&set, &ev, m, 4), 0);
    f[1].value = "https://x/api/charge";
    f[0].value = "NetworkError"; /* equals fails (case-sensitive) */
    assert_int_equal(rt_patterns_match(&set, &ev, m, 4), 0);
    f[0].value = "HttpError";
    ev.message = "card accepted"; /* regex fails */
    assert_int_equal(rt_patterns_match(&set, &ev, m, 4), 0);
    rt_pattern_set_clear(&set);
    /* min_level: below it nothing matches, whatever the rule. */
    assert_int_equal(parse_into(&set,
                                "patterns:\n  - {id: e, min_level: error, match: "
                                "{message_regex: disk}}\n",
                                &err),
                     RATCHET_OK);
    rt_pattern_event w = event(RATCHET_LOG_WARN, "disk full", NULL, 0);
    assert_int_equal(rt_patterns_match(&set, &w, m, 4), 0);
    w.level = RATCHET_LOG_ERROR;
    assert_int_equal(rt_patterns_match(&set, &w, m, 4), 1);
    rt_pattern_set_clear(&set);
}

/* The literal prefilter never hides a match regexec would find. */
static void test_prefilter_sound(void **state)
{
    (void)state;
    static const struct {
        const char *re, *msg;
        int match;
        size_t nliterals;
    } cases[] = {
        {"connection (refused|reset)", "Connection RESET by peer", 1, 1},
        {"colou?r error", "color error", 1, 1},
        {"a+bcd|xyz", "aaabcd", 1, 2},
        {"a+bcd|xyz", "xy z", 0, 2},
        {"timeout\\.exceeded", "timeout.exceeded now", 1, 1},
        {"(abc|def)", "DEF", 1, 0},
        {"ab|c", "c", 1, 0},
        {"http 5[0-9][0-9]", "HTTP 503: bad", 1, 1},
        {"x{2}yyy", "yyy", 0, 1},
        {"x{2}yyy", "xxyyy", 1, 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        rt_rule *r = rt_rule_new(RT_RULE_MESSAGE_REGEX);
        r->value = strdup(cases[i].re);
        rt_error err;
        assert_int_equal(rt_rule_compile(r, &err), RATCHET_OK);
        rt_pattern_event ev = event(RATCHET_LOG_ERROR, cases[i].msg, NULL, 0);
        if (rt_rule_eval(r, &ev) != cases[i].match || r->nliterals != cases[i].nliterals)
            fail_msg("case %zu (%s on '%s'): match %d, %zu literals", i, cases[i].re, cases[i].msg,
                     rt_rule_eval(r, &ev), r->nliterals);
        rt_rule_free(r);
    }
}

typedef struct builtin_case {
    const char *error_name, *error_kind, *message, *status, *want;
} builtin_case;

/* Failures as the engine records them: thrown errors by name (each typed error of the
 * executor), how the run ended, and server log lines. */
static const builtin_case builtin_cases[] = {
    {"TypeError", "runtime_error", "TypeError: Cannot read property 'x' of undefined", NULL,
     "js_type_error"},
    {"ReferenceError", "runtime_error", "ReferenceError: 'fetchh' is not defined", NULL,
     "js_reference_error"},
    {"SyntaxError", "runtime_error", "SyntaxError: JSON.parse: unexpected token", NULL,
     "js_syntax_error"},
    {"RangeError", "runtime_error", "RangeError: invalid array length", NULL, "js_range_error"},
    {"NetworkError", "runtime_error", "NetworkError: couldn't connect to server", NULL,
     "network_connection"},
    {"TimeoutError", "runtime_error", "TimeoutError: fetch timed out after 5000 ms: http://x/",
     NULL, "network_timeout"},
    {"HttpError", "runtime_error", "HttpError: HTTP 404: Not Found", "404", "http_not_found"},
    {"HttpError", "runtime_error", "HttpError: HTTP 400: Bad Request", "400", "http_client_error"},
    {"ServiceUnavailableError", "runtime_error", "ServiceUnavailableError: HTTP 503", NULL,
     "http_server_error"},
    {"RateLimitError", "runtime_error", "RateLimitError: HTTP 429: Too Many Requests", NULL,
     "rate_limited"},
    {"AuthenticationError", "runtime_error", "AuthenticationError: HTTP 401", NULL, "auth_failed"},
    {"AuthorizationError", "runtime_error", "AuthorizationError: HTTP 403: Forbidden", NULL,
     "access_denied"},
    {"ValidationError", "runtime_error", "ValidationError: bad email", NULL, "input_validation"},
    {"ConfigurationError", "runtime_error", "ConfigurationError: API_URL unset", NULL,
     "configuration_error"},
    {"DataError", "runtime_error", "DataError: row 3 is empty", NULL, "task_thrown_error"},
    {"Error", "runtime_error", "Error: boom", NULL, "task_thrown_error"},
    {NULL, "timed out", "the job ran longer than 30000 ms and was stopped", NULL,
     "execution_timeout"},
    {NULL, "memory", "out of memory", NULL, "out_of_memory"},
    {NULL, "stack", "stack overflow", NULL, "js_range_error"},
    {NULL, "crashed", "the worker process died (signal 11, Segmentation fault)", NULL,
     "task_crashed"},
    {NULL, "compile error", "main.js:3:7: unexpected token", NULL, "js_syntax_error"},
    {NULL, "no_entry", "main.js exposes nothing to call", NULL, "task_no_entry"},
    {NULL, "output invalid", "/sum: expected number, got string", NULL, "input_validation"},
    {NULL, NULL, "storage: database is locked (query timed out)", NULL, "db_timeout"},
    {NULL, NULL, "could not connect to postgres: connection refused", NULL, "db_connection"},
    {NULL, NULL, "write failed: No space left on device", NULL, "disk_full"},
    {NULL, NULL, "fetch: only http and https URLs are allowed: ftp://x", NULL, "fetch_not_allowed"},
    {NULL, NULL, "log sink: dropped 12 events (queue full)", NULL, "queue_backlog"},
};

static void test_builtins(void **state)
{
    (void)state;
    rt_pattern_set set = {NULL, 0};
    rt_error err;
    assert_int_equal(rt_patterns_add_builtin(&set, &err), RATCHET_OK);
    assert_true(set.n >= 20);
    for (size_t i = 0; i < set.n; i++) {
        assert_true(set.items[i]->builtin);
        assert_true(set.items[i]->nsuggestions >= 2);
    }
    for (size_t i = 0; i < sizeof builtin_cases / sizeof *builtin_cases; i++) {
        const builtin_case *c = &builtin_cases[i];
        ratchet_log_field f[3];
        size_t n = 0;
        if (c->error_name)
            f[n++] = (ratchet_log_field){"errorName", c->error_name};
        if (c->error_kind)
            f[n++] = (ratchet_log_field){"errorKind", c->error_kind};
        if (c->status)
            f[n++] = (ratchet_log_field){"status", c->status};
        rt_pattern_event ev = event(RATCHET_LOG_ERROR, c->message, f, n);
        rt_pattern_match m[8];
        size_t got = rt_patterns_match(&set, &ev, m, 8);
        int found = 0;
        for (size_t k = 0; k < got && k < 8; k++)
            found |= strcmp(m[k].pattern->id, c->want) == 0;
        if (!found)
            fail_msg("case %zu ('%s'): %s did not match (%zu others did)", i, c->message, c->want,
                     got);
    }
    /* An ordinary info line matches nothing. */
    rt_pattern_event quiet = event(RATCHET_LOG_INFO, "job 12 completed in 31 ms", NULL, 0);
    rt_pattern_match m[4];
    assert_int_equal(rt_patterns_match(&set, &quiet, m, 4), 0);
    rt_pattern_set_clear(&set);
}

static void test_json(void **state)
{
    (void)state;
    rt_error err;
    rt_pattern *p = rt_pattern_from_json(
        "{\"id\":\"j\",\"confidence\":0.5,\"match\":{\"or\":[{\"level\":\"warn\"},"
        "{\"message_regex\":\"disk\"}]}}",
        &err);
    assert_non_null(p);
    struct json_object *o = rt_pattern_to_json(p);
    assert_string_equal(
        json_object_to_json_string_ext(json_object_object_get(o, "match"), JSON_C_TO_STRING_PLAIN),
        "{\"or\":[{\"level\":\"warn\"},{\"message_regex\":\"disk\"}]}");
    json_object_put(o);
    rt_pattern_free(p);
    assert_null(rt_pattern_from_json("{\"id\":\"j\",\"match\":{\"or\":[{\"level\":1}]}}", &err));
    assert_string_equal(err.msg, "JSON /match/or/0/level: pattern[0].match.or[0].level: expected "
                                 "a level (trace|debug|info|warn|error), got '1'");
    assert_null(rt_pattern_from_json("[1", &err));
    assert_true(strncmp(err.msg, "the pattern is not valid JSON: ", 31) == 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bad_rules),
        cmocka_unit_test(test_custom_id_clashes_with_builtin),
        cmocka_unit_test(test_custom_replaces_builtin),
        cmocka_unit_test(test_rule_semantics),
        cmocka_unit_test(test_prefilter_sound),
        cmocka_unit_test(test_builtins),
        cmocka_unit_test(test_json),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
