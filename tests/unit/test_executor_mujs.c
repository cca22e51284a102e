/*
 * test_executor_mujs.c - the executor-mujs plugin against the real host core: options from
 * YAML validated by the host, programs compiled and executed through the executor vtable,
 * outputs compared as JSON (json-c), errors as the task sees them. Console, fetch, limits and
 * isolation are in test_executor_mujs_runtime.c.
 */
#define _GNU_SOURCE /* mallinfo2 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <fcntl.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "hostapi.h"
#include "options.h"
#include "plugin_harness.h"
#include "rt_yaml.h"

#include <ratchet/plugin.h>

#include "mujs_testing.h"

/* The MuJS build's limits (mujs_lib.cmake): raised when built from Debian's source. */
#ifdef MUJS_LIB_CONFIGURED
#include "mujs_lib_config.h"
#endif
#ifndef MUJS_LIB_STACKSIZE
#define MUJS_LIB_STACKSIZE 256
#endif

/* Compile must fail; returns the set_error text. */
static const char *compile_err(inst *in, const char *code)
{
    ratchet_task_source src = {.abi = RATCHET_ABI_INIT(ratchet_task_source),
                               .task_name = "t",
                               .filename = "main.js",
                               .code = code,
                               .code_len = strlen(code)};
    void *prog = (void *)1;
    rt_error_clear();
    assert_int_equal(in->ex->compile(in->self, &src, &prog), RATCHET_ERR);
    assert_null(prog);
    return rt_error_peek();
}

/* ---- tests ---------------------------------------------------------------------------------- */

static void test_descriptor(void **state)
{
    (void)state;
    rt_error err = {{0}};
    const ratchet_plugin_desc *d = ratchet_plugin_entry_executor_mujs(rt_host_api());
    assert_non_null(d);
    assert_string_equal(d->name, "executor-mujs");
    assert_non_null(d->executor);
    assert_string_equal(d->executor->language, "javascript");
    assert_null(d->logger);
    if (rt_options_check_table(d->options, &err) != RATCHET_OK)
        fail_msg("option table: %s", err.msg);

    static const char *const bad[][2] = {
        {"memory_limit: 1KiB", "memory_limit"},
        {"memory_limit: lots", "memory_limit"},
        {"strict: maybe", "strict"},
        {"timeout: 5s", "timeout"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        memset(&err, 0, sizeof err);
        rt_node *map = rt_yaml_parse(bad[i][0], strlen(bad[i][0]), "t.yaml", &err);
        assert_non_null(map);
        ratchet_config *cfg =
            rt_options_validate(d->options, map, "instances[0].options", NULL, &err);
        if (cfg)
            fail_msg("accepted: %s", bad[i][0]);
        if (!strstr(err.msg, bad[i][1]))
            fail_msg("message for '%s' does not name %s: %s", bad[i][0], bad[i][1], err.msg);
        rt_node_free(map);
    }
}

static void test_calling_conventions(void **state)
{
    (void)state;
    inst in;
    inst_open(&in, "");
    /* a global main(input, context) */
    expect_output(&in, "function main(input) { return {sum: input.num1 + input.num2}; }",
                  "{\"num1\":2,\"num2\":40}", "{\"sum\":42}");
    /* a file that is a parenthesised function expression */
    expect_output(&in, "(function (input) {\n  return input.x * 2;\n})\n", "{\"x\":21}", "42");
    /* a function named otherwise, with its name as the last statement */
    expect_output(&in, "function run(input) { return [input, 'ok']; }\nrun;", "7", "[7,\"ok\"]");
    /* main wins over the completion value */
    expect_output(&in, "function main() { return 'main'; }\n(function () { return 'tail'; })",
                  "null", "\"main\"");
    /* var main = function ... */
    expect_output(&in, "var main = function (i) { return {echo: i}; };", "{\"a\":[1,2]}",
                  "{\"echo\":{\"a\":[1,2]}}");
    /* top-level code runs before main, once per execution */
    expect_output(&in,
                  "var calls = 0; var base = 10;\nfunction main(i) { calls++; "
                  "return base + i + calls; }",
                  "5", "16");
    inst_close(&in);
}

/* module.exports / exports.main (mujs_module.c), as the original's newer task.js files and
 * code shared with Node are written. */
static void test_commonjs_entries(void **state)
{
    (void)state;
    inst in;
    inst_open(&in, "");
    /* module.exports = { main }, the original's meta.yaml samples */
    expect_output(&in,
                  "function main(input) { return {sum: input.a + input.b}; }\n"
                  "module.exports = { main: main };",
                  "{\"a\":2,\"b\":3}", "{\"sum\":5}");
    /* an object whose main is not a global, called with the object as `this` */
    expect_output(&in,
                  "module.exports = {\n  k: 'id-',\n  main: function (i) { return this.tag(i); },\n"
                  "  tag: function (i) { return this.k + i; }\n};\nvar after = 1;",
                  "7", "\"id-7\"");
    /* module.exports = function, with a statement after it (the completion value is not it) */
    expect_output(&in, "module.exports = function (i) { return i * 2; };\nvar loaded = true;", "21",
                  "42");
    /* exports.main, and exports rebound to another object */
    expect_output(&in, "exports.main = function (i) { return [i]; };\nexports.other = 1;", "1",
                  "[1]");
    expect_output(&in, "exports = { main: function () { return 'rebound'; } };\nvar z = 0;", "null",
                  "\"rebound\"");
    /* a global main still wins, and module and exports start out as {exports: {}} */
    expect_output(&in,
                  "function main() { return [typeof module, module.exports === exports]; }\n"
                  "module.exports = { main: function () { return 'not me'; } };",
                  "null", "[\"object\",false]");
    expect_output(&in, "function main() { return [module.exports === exports, exports]; }", "null",
                  "[true,{}]");
    /* nothing callable exported: refused at compile time as before */
    void *prog = NULL;
    ratchet_task_source src = {.abi = RATCHET_ABI_INIT(ratchet_task_source),
                               .task_name = "t",
                               .filename = "task.js",
                               .code = "module.exports = { main: 42 };\nvar x;",
                               .code_len = 37};
    assert_int_equal(in.ex->compile(in.self, &src, &prog), RATCHET_ERR);
    assert_string_equal(rt_error_peek(),
                        "task.js defines no main function and does not evaluate to a function");
    inst_close(&in);
}

static void test_input_is_data_not_code(void **state)
{
    (void)state;
    inst in;
    inst_open(&in, "");
    /* Quotes, backslashes, newlines and non-ASCII survive the trip (the original spliced
     * input into source and broke on these). */
    const char *input = "{\"s\":\"it's \\\"q\\\" \\\\ \\n\\u00e9\\u20ac\",\"n\":-1.25,"
                        "\"code\":\"'); throw 1; ('\"}";
    expect_output(&in, "(function (input) { return input; })", input, input);
    expect_output(&in, "(function (input) { return input.s.length; })", input, "14");
    inst_close(&in);
}

static void test_context(void **state)
{
    (void)state;
    inst in;
    fake f;
    ratchet_exec_result r;
    inst_open(&in, "");
    fake_init(&f);
    void *prog = compile_ok(&in, "function main(input, context) { return context; }");
    exec_run(&in, prog, "{}", &f.ctx, &r);
    assert_ok_json(&r, "{\"executionId\":\"exec-1\",\"taskId\":\"task-1\","
                       "\"taskVersion\":\"1.2.3\",\"jobId\":null}");
    result_free(&r);
    /* No context at all: the identifiers are null, the object still exists. */
    exec_run(&in, prog, "{}", NULL, &r);
    assert_ok_json(&r, "{\"executionId\":null,\"taskId\":null,\"taskVersion\":null,"
                       "\"jobId\":null}");
    result_free(&r);
    in.ex->release(in.self, prog);
    fake_done(&f);
    inst_close(&in);
}

static const struct {
    const char *name;
    const char *default_message;
} error_kinds[] = {
    {"AuthenticationError", "Authentication failed"},
    {"AuthorizationError", "Authorization failed"},
    {"NetworkError", "Network error"},
    {"HttpError", "HTTP error"},
    {"ValidationError", "Validation error"},
    {"ConfigurationError", "Configuration error"},
    {"RateLimitError", "Rate limit exceeded"},
    {"ServiceUnavailableError", "Service unavailable"},
    {"TimeoutError", "Timeout error"},
    {"DataError", "Data error"},
};

static void test_error_constructors(void **state)
{
    (void)state;
    inst in;
    char code[1024], expected[1024];
    inst_open(&in, "");
    for (size_t i = 0; i < sizeof error_kinds / sizeof error_kinds[0]; i++) {
        const char *n = error_kinds[i].name;
        int http = strcmp(n, "HttpError") == 0;
        /* Seen from inside: instanceof, name, message, default message, String(e). */
        snprintf(code, sizeof code,
                 "function main() {\n"
                 "  var e = new %s(%s), d = new %s(%s);\n"
                 "  return [e instanceof Error, e instanceof %s, e.name, e.message, String(e),\n"
                 "          d.message, typeof e.stackTrace, e.constructor === %s,\n"
                 "          Object.prototype.toString.call(e), e.status === undefined ? null :"
                 " e.status];\n"
                 "}",
                 n, http ? "418, 'boom'" : "'boom'", n, http ? "500" : "", n, n);
        snprintf(expected, sizeof expected,
                 "[true,true,\"%s\",\"boom\",\"%s: boom\",\"%s\",\"string\",true,"
                 "\"[object Object]\",%s]",
                 n, n, error_kinds[i].default_message, http ? "418" : "null");
        expect_output(&in, code, "null", expected);

        /* Thrown out of the task: the result names it. */
        ratchet_exec_result r;
        snprintf(code, sizeof code,
                 "function check(v) {\n  throw new %s(%s'%s failed');\n}\n"
                 "function main(input) { check(input); }",
                 n, http ? "404, " : "", n);
        expect_outcome(&in, code, "1", RATCHET_EXEC_RUNTIME_ERROR, &r);
        assert_string_equal(r.error_name, n);
        snprintf(expected, sizeof expected, "%s failed", n);
        assert_string_equal(r.error_message, expected);
        assert_int_equal(r.error_status, http ? 404 : 0);
        assert_non_null(r.error_stack);
        snprintf(expected, sizeof expected,
                 "%s: %s failed\n\tat check (main.js:2)\n\tat main "
                 "(main.js:4)",
                 n, n);
        if (strncmp(r.error_stack, expected, strlen(expected)) != 0)
            fail_msg("stack:\n%s\nexpected to start with:\n%s", r.error_stack, expected);
        result_free(&r);
    }
    /* Without new, subclassing with Base.call(this), e.stack. */
    expect_output(&in,
                  "function MyError(m) { ValidationError.call(this, m); this.name = 'MyError'; }\n"
                  "MyError.prototype = Object.create(ValidationError.prototype);\n"
                  "function main() {\n"
                  "  var a = DataError('x'), b = new MyError('y');\n"
                  "  return [a instanceof DataError, a.message, b instanceof ValidationError,\n"
                  "          b instanceof Error, String(b), b.stack.indexOf('MyError: y') === 0,\n"
                  "          new DataError('').message, new DataError(null).message];\n"
                  "}",
                  "null",
                  "[true,\"x\",true,true,\"MyError: y\",true,\"Data error\",\"Data error\"]");
    /* The constructors survive a script that replaces the globals (fetch uses the saved ones). */
    expect_output(&in,
                  "function main() { var E = TypeError; try { null.x; } catch (e) {\n"
                  "  return [e instanceof E, e.name, e.stack.indexOf('TypeError: ') === 0,\n"
                  "          e.stack.indexOf('main.js:1') > 0]; } }",
                  "null", "[true,\"TypeError\",true,true]");
    inst_close(&in);
}

static void test_thrown_values(void **state)
{
    (void)state;
    inst in;
    ratchet_exec_result r;
    inst_open(&in, "");
    expect_outcome(&in, "function main() { throw 'plain words'; }", "null",
                   RATCHET_EXEC_RUNTIME_ERROR, &r);
    assert_null(r.error_name);
    assert_string_equal(r.error_message, "plain words");
    assert_null(r.error_stack);
    result_free(&r);

    expect_outcome(&in, "function main() { throw 42; }", "null", RATCHET_EXEC_RUNTIME_ERROR, &r);
    assert_null(r.error_name);
    assert_string_equal(r.error_message, "42");
    result_free(&r);

    expect_outcome(&in, "function main() { throw {code: 7}; }", "null", RATCHET_EXEC_RUNTIME_ERROR,
                   &r);
    assert_null(r.error_name);
    assert_string_equal(r.error_message, "{\"code\":7}");
    result_free(&r);

    /* A built-in error from the interpreter. */
    expect_outcome(&in, "function main(input) {\n  return input.a.b;\n}", "{}",
                   RATCHET_EXEC_RUNTIME_ERROR, &r);
    assert_string_equal(r.error_name, "TypeError");
    assert_non_null(strstr(r.error_message, "undefined"));
    assert_non_null(strstr(r.error_stack, "main.js:2"));
    result_free(&r);

    /* The original's globals that are absent are absent here too (but `module` and `exports`
     * are there: CommonJS entry points, test_commonjs_entries). */
    static const char *const absent[] = {"require('x')", "process.env", "setTimeout(main, 1)"};
    for (size_t i = 0; i < sizeof absent / sizeof absent[0]; i++) {
        char code[256];
        snprintf(code, sizeof code, "function main() { return %s; }", absent[i]);
        expect_outcome(&in, code, "null", RATCHET_EXEC_RUNTIME_ERROR, &r);
        assert_string_equal(r.error_name, "ReferenceError");
        result_free(&r);
    }
    /* A getter that throws while the executor reads the error still gives a message. */
    expect_outcome(&in,
                   "function main() { var e = new Error('x');\n"
                   "  Object.defineProperty(e, 'message', {get: function () { throw 1; }});\n"
                   "  throw e; }",
                   "null", RATCHET_EXEC_RUNTIME_ERROR, &r);
    assert_non_null(r.error_message);
    result_free(&r);
    inst_close(&in);
}

static void test_compile_errors(void **state)
{
    (void)state;
    inst in;
    inst_open(&in, "");
    const char *msg = compile_err(&in, "function main(input) {\n  var x = 1;\n  return x +;\n}");
    if (strncmp(msg, "main.js:3: SyntaxError: ", 24) != 0)
        fail_msg("syntax error message: %s", msg);

    /* ES6 is a syntax error in MuJS, reported the same way. */
    msg = compile_err(&in, "\nconst main = (input) => input;");
    if (strncmp(msg, "main.js:2: SyntaxError: ", 24) != 0)
        fail_msg("ES6 message: %s", msg);

    /* Expressions nested past the parser's limit: the message says what the limit is. */
    char deep[1024];
    size_t k = (size_t)snprintf(deep, sizeof deep, "function main() { return ");
    memset(deep + k, '(', 150);
    k += 150;
    deep[k++] = '1';
    memset(deep + k, ')', 150);
    k += 150;
    snprintf(deep + k, sizeof deep - k, "; }");
    msg = compile_err(&in, deep);
    if (!strstr(msg, "SyntaxError") || !strstr(msg, "nested expressions"))
        fail_msg("nesting message: %s", msg);

    /* Nothing to call. */
    assert_string_equal(compile_err(&in, "var x = 1;\nx + 1;"),
                        "main.js defines no main function and does not evaluate to a function");
    assert_string_equal(compile_err(&in, ""),
                        "main.js defines no main function and does not evaluate to a function");

    /* A NUL inside the source would cut it short. */
    ratchet_task_source src = {.abi = RATCHET_ABI_INIT(ratchet_task_source),
                               .task_name = "t",
                               .filename = "main.js",
                               .code = "function main(){}\0junk",
                               .code_len = 22};
    void *prog = NULL;
    assert_int_equal(in.ex->compile(in.self, &src, &prog), RATCHET_ERR);
    assert_non_null(strstr(rt_error_peek(), "NUL"));
    inst_close(&in);
}

static void test_no_entry_at_execute(void **state)
{
    (void)state;
    inst in;
    fake f;
    ratchet_exec_result r;
    inst_open(&in, "");
    fake_init(&f);
    f.answer_json = "{\"ok\":true}";
    /* At compile time fetch throws, so the check cannot judge the file and accepts it; at
     * execute time the top level completes and leaves nothing to call. */
    void *prog = compile_ok(&in, "var r = fetch('http://x/');\nvar y = 1;");
    exec_run(&in, prog, "null", &f.ctx, &r);
    assert_int_equal(r.outcome, RATCHET_EXEC_NO_ENTRY);
    assert_string_equal(r.error_message,
                        "main.js defines no main function and does not evaluate to a function");
    result_free(&r);
    in.ex->release(in.self, prog);
    fake_done(&f);
    inst_close(&in);
}

static void test_output_errors(void **state)
{
    (void)state;
    inst in;
    ratchet_exec_result r;
    inst_open(&in, "");
    expect_outcome(&in, "function main() { }", "null", RATCHET_EXEC_OUTPUT_ERROR, &r);
    assert_string_equal(r.error_message, "the task returned undefined; return a JSON value");
    assert_null(r.output_json);
    result_free(&r);

    expect_outcome(&in, "function main() { var o = {a: 1}; o.self = o; return o; }", "null",
                   RATCHET_EXEC_OUTPUT_ERROR, &r);
    assert_string_equal(r.error_message,
                        "the task's result cannot be converted to JSON: cyclic object value");
    result_free(&r);

    expect_outcome(&in, "function main() { return main; }", "null", RATCHET_EXEC_OUTPUT_ERROR, &r);
    assert_string_equal(r.error_message,
                        "the task's result cannot be converted to JSON: a function is not a "
                        "JSON value");
    result_free(&r);

    expect_outcome(&in,
                   "function main() { return {toJSON: function () { throw new DataError('no'); "
                   "}}; }",
                   "null", RATCHET_EXEC_OUTPUT_ERROR, &r);
    assert_string_equal(r.error_message, "the task's result cannot be converted to JSON: no");
    result_free(&r);

#if MUJS_LIB_STACKSIZE <= 1024
    /* Too deep for MuJS's JSON.stringify. (With the raised limits that takes more than
     * 100,000 levels, and stringify's cycle check makes it quadratic: too slow here.) */
    expect_outcome(&in,
                   "function main() { var a = []; for (var i = 0; i < 2000; i++) a = [a];"
                   " return a; }",
                   "null", RATCHET_EXEC_OUTPUT_ERROR, &r);
    assert_non_null(strstr(r.error_message, "nested too deeply"));
    result_free(&r);
#else
    expect_output(&in,
                  "function main() { var a = []; for (var i = 0; i < 2000; i++) a = [a];"
                  " return JSON.stringify(a).length; }",
                  "null", "4002");
#endif

    /* null, numbers, strings, booleans are JSON values; NaN becomes null as in JSON. */
    expect_output(&in, "function main() { return null; }", "1", "null");
    expect_output(&in, "function main() { return [0/0, 'x', false, 1e21]; }", "1",
                  "[null,\"x\",false,1e21]");
    /* A script that replaces JSON.stringify does not change how its result leaves. */
    expect_output(&in,
                  "function main() { JSON.stringify = function () { return 'bad'; };\n"
                  "  JSON.parse = null; return {a: 1}; }",
                  "1", "{\"a\":1}");
    inst_close(&in);
}

static void test_input_errors(void **state)
{
    (void)state;
    inst in;
    ratchet_exec_result r;
    inst_open(&in, "");
    void *prog = compile_ok(&in, "(function (i) { return i; })");
    memset(&r, 0, sizeof r);
    rt_error_clear();
    assert_int_equal(in.ex->execute(in.self, prog, "{\"a\":", NULL, NULL, &r), RATCHET_ERR);
    if (!strstr(rt_error_peek(), "the input is not valid JSON"))
        fail_msg("message: %s", rt_error_peek());
    assert_null(r.output_json);
    assert_null(r.error_message);

    /* Input nested deeper than MuJS's JSON.parse can go (one value slot a level). */
    size_t n = MUJS_LIB_STACKSIZE + 100;
    char *deep = malloc(2 * n + 1);
    assert_non_null(deep);
    memset(deep, '[', n);
    memset(deep + n, ']', n);
    deep[2 * n] = '\0';
    exec_run(&in, prog, deep, NULL, &r);
    free(deep);
    assert_int_equal(r.outcome, RATCHET_EXEC_STACK);
    assert_non_null(strstr(r.error_message, "input is nested too deeply"));
    result_free(&r);

    /* No input at all reads as null. */
    exec_run(&in, prog, NULL, NULL, &r);
    assert_ok_json(&r, "null");
    result_free(&r);
    in.ex->release(in.self, prog);
    inst_close(&in);
}

static void test_strict_option(void **state)
{
    (void)state;
    inst in;
    ratchet_exec_result r;
    const char *code = "function main() { undeclared = 1; return undeclared; }";
    inst_open(&in, "");
    expect_output(&in, code, "null", "1");
    inst_close(&in);
    inst_open(&in, "strict: true");
    expect_outcome(&in, code, "null", RATCHET_EXEC_RUNTIME_ERROR, &r);
    assert_string_equal(r.error_name, "ReferenceError");
    result_free(&r);
    /* Strict mode does not change what a script's top-level `this` is. */
    expect_output(&in, "var g = this; function main() { return typeof g.JSON; }", "null",
                  "\"object\"");
    inst_close(&in);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_descriptor),
        cmocka_unit_test(test_calling_conventions),
        cmocka_unit_test(test_input_is_data_not_code),
        cmocka_unit_test(test_context),
        cmocka_unit_test(test_error_constructors),
        cmocka_unit_test(test_thrown_values),
        cmocka_unit_test(test_commonjs_entries),
        cmocka_unit_test(test_compile_errors),
        cmocka_unit_test(test_no_entry_at_execute),
        cmocka_unit_test(test_output_errors),
        cmocka_unit_test(test_input_errors),
        cmocka_unit_test(test_strict_option),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
