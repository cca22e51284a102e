/*
 * test_executor_mujs.c - the executor-mujs plugin against the real host core: options from
 * YAML validated by the host, programs compiled and executed through the executor vtable,
 * outputs compared as JSON (json-c), console and fetch through a fake execution context.
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

const ratchet_plugin_desc *ratchet_plugin_entry_executor_mujs(const ratchet_host_api *api);

/* ---- an instance built the way the host builds it ------------------------------------ */

typedef struct inst {
    const ratchet_plugin_desc *desc;
    const ratchet_executor_vtable *ex;
    ratchet_ctx *ctx;
    rt_node *map;
    ratchet_config *cfg;
    void *self;
} inst;

static void inst_open(inst *in, const char *yaml)
{
    rt_error err = {{0}};
    memset(in, 0, sizeof *in);
    in->desc = ratchet_plugin_entry_executor_mujs(rt_host_api());
    assert_non_null(in->desc);
    in->ex = in->desc->executor;
    assert_non_null(in->ex);
    in->cfg = harness_options(in->desc, yaml, &in->map, &err);
    if (!in->cfg)
        fail_msg("options: %s", err.msg);
    in->ctx = rt_ctx_new("js", "executor-mujs");
    assert_non_null(in->ctx);
    assert_int_equal(in->ex->life.create(in->ctx, in->cfg, &in->self), RATCHET_OK);
}

static void inst_close(inst *in)
{
    in->ex->life.destroy(in->self);
    harness_options_free(in->cfg, in->map);
    rt_ctx_free(in->ctx);
}

static void *compile_ok(inst *in, const char *code)
{
    ratchet_task_source src = {RATCHET_ABI_INIT(ratchet_task_source), "t", "main.js", code,
                               strlen(code)};
    void *prog = NULL;
    rt_error_clear();
    ratchet_status st = in->ex->compile(in->self, &src, &prog);
    if (st != RATCHET_OK)
        fail_msg("compile failed (%d): %s\n--- source:\n%s", (int)st, rt_error_peek(), code);
    assert_non_null(prog);
    return prog;
}

/* Compile must fail; returns the set_error text. */
static const char *compile_err(inst *in, const char *code)
{
    ratchet_task_source src = {RATCHET_ABI_INIT(ratchet_task_source), "t", "main.js", code,
                               strlen(code)};
    void *prog = (void *)1;
    rt_error_clear();
    assert_int_equal(in->ex->compile(in->self, &src, &prog), RATCHET_ERR);
    assert_null(prog);
    return rt_error_peek();
}

/* ---- a fake execution context: captured console lines, a scripted fetch ------------------ */

#define MAX_LINES 16

typedef struct fake {
    ratchet_exec_context ctx;
    int nlines;
    ratchet_log_level levels[MAX_LINES];
    char *lines[MAX_LINES];
    /* fetch: what the script sent, and what to answer */
    int nfetch;
    char *url, *options, *body;
    const char *answer_json;
    const char *answer_error;
    const char *answer_message;
    int answer_status;
} fake;

static void fake_console(void *data, ratchet_log_level level, const char *text)
{
    fake *f = data;
    if (f->nlines < MAX_LINES) {
        f->levels[f->nlines] = level;
        f->lines[f->nlines++] = strdup(text);
    }
}

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

static ratchet_status fake_fetch(void *data, ratchet_fetch_call *call)
{
    fake *f = data;
    const ratchet_host_api *h = rt_host_api();
    f->nfetch++;
    free(f->url);
    free(f->options);
    free(f->body);
    f->url = dup_or_null(call->url);
    f->options = dup_or_null(call->options_json);
    f->body = dup_or_null(call->body_json);
    if (f->answer_json) {
        call->response_json = h->strdup(f->answer_json);
    } else {
        call->error_name = h->strdup(f->answer_error ? f->answer_error : "NetworkError");
        call->error_message = f->answer_message ? h->strdup(f->answer_message) : NULL;
        call->error_status = f->answer_status;
    }
    return RATCHET_OK;
}

static void fake_init(fake *f)
{
    memset(f, 0, sizeof *f);
    f->ctx.abi = (ratchet_abi)RATCHET_ABI_INIT(ratchet_exec_context);
    f->ctx.execution_id = "exec-1";
    f->ctx.task_id = "task-1";
    f->ctx.task_version = "1.2.3";
    f->ctx.job_id = NULL;
    f->ctx.fetch = fake_fetch;
    f->ctx.fetch_data = f;
    f->ctx.console = fake_console;
    f->ctx.console_data = f;
}

static void fake_done(fake *f)
{
    for (int i = 0; i < f->nlines; i++)
        free(f->lines[i]);
    free(f->url);
    free(f->options);
    free(f->body);
}

/* ---- running ------------------------------------------------------------------------------ */

static void result_free(ratchet_exec_result *r)
{
    const ratchet_host_api *h = rt_host_api();
    h->free(r->output_json);
    h->free(r->error_name);
    h->free(r->error_message);
    h->free(r->error_stack);
    memset(r, 0, sizeof *r);
}

static void exec_limited(inst *in, void *prog, const char *input, const ratchet_exec_context *ctx,
                         int64_t memory, ratchet_exec_result *r)
{
    ratchet_exec_limits lim = {RATCHET_ABI_INIT(ratchet_exec_limits), 0, memory};
    memset(r, 0, sizeof *r);
    r->abi = (ratchet_abi)RATCHET_ABI_INIT(ratchet_exec_result);
    rt_error_clear();
    ratchet_status st = in->ex->execute(in->self, prog, input, ctx, &lim, r);
    if (st != RATCHET_OK)
        fail_msg("execute failed (%d): %s", (int)st, rt_error_peek());
}

static void exec_run(inst *in, void *prog, const char *input, const ratchet_exec_context *ctx,
                     ratchet_exec_result *r)
{
    exec_limited(in, prog, input, ctx, 0, r);
}

/* Structural JSON comparison: MuJS orders object keys, other engines may not. */
static void assert_json(const char *actual, const char *expected)
{
    if (!actual)
        fail_msg("no output; expected %s", expected);
    enum json_tokener_error ea = json_tokener_success, ee = json_tokener_success;
    /* (JSON null parses to a NULL object, so success is told by the error code) */
    json_object *a = json_tokener_parse_verbose(actual, &ea);
    json_object *e = json_tokener_parse_verbose(expected, &ee);
    if (ee != json_tokener_success)
        fail_msg("bad expectation in test: %s", expected);
    if (ea != json_tokener_success || !json_object_equal(a, e))
        fail_msg("output %s, expected %s", actual, expected);
    json_object_put(a);
    json_object_put(e);
}

static void assert_ok_json(ratchet_exec_result *r, const char *expected)
{
    if (r->outcome != RATCHET_EXEC_OK)
        fail_msg("outcome %d (%s: %s), expected OK %s", (int)r->outcome,
                 r->error_name ? r->error_name : "-", r->error_message ? r->error_message : "-",
                 expected);
    assert_json(r->output_json, expected);
}

/* Compile, run once with `input`, check the output, clean up. */
static void expect_output(inst *in, const char *code, const char *input, const char *expected)
{
    fake f;
    ratchet_exec_result r;
    fake_init(&f);
    void *prog = compile_ok(in, code);
    exec_run(in, prog, input, &f.ctx, &r);
    assert_ok_json(&r, expected);
    result_free(&r);
    in->ex->release(in->self, prog);
    fake_done(&f);
}

/* Compile, run once, expect `outcome`; returns the result for further checks (free it). */
static void expect_outcome(inst *in, const char *code, const char *input,
                           ratchet_exec_outcome outcome, ratchet_exec_result *r)
{
    fake f;
    fake_init(&f);
    void *prog = compile_ok(in, code);
    exec_run(in, prog, input, &f.ctx, r);
    if (r->outcome != outcome)
        fail_msg("outcome %d (%s / %s / %s), expected %d", (int)r->outcome,
                 r->error_name ? r->error_name : "-", r->error_message ? r->error_message : "-",
                 r->output_json ? r->output_json : "-", (int)outcome);
    in->ex->release(in->self, prog);
    fake_done(&f);
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

    /* The original's globals that are absent are absent here too. */
    static const char *const absent[] = {"require('x')", "process.env", "setTimeout(main, 1)",
                                         "module.exports"};
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
    ratchet_task_source src = {RATCHET_ABI_INIT(ratchet_task_source), "t", "main.js",
                               "function main(){}\0junk", 22};
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

    /* Too deep for MuJS's JSON.stringify. */
    expect_outcome(&in,
                   "function main() { var a = []; for (var i = 0; i < 2000; i++) a = [a];"
                   " return a; }",
                   "null", RATCHET_EXEC_OUTPUT_ERROR, &r);
    assert_non_null(strstr(r.error_message, "nested too deeply"));
    result_free(&r);

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

    /* Input nested deeper than MuJS's JSON.parse can go. */
    char deep[8192];
    size_t n = 3000;
    memset(deep, '[', n);
    memset(deep + n, ']', n);
    deep[2 * n] = '\0';
    exec_run(&in, prog, deep, NULL, &r);
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

static void test_console(void **state)
{
    (void)state;
    inst in;
    fake f;
    ratchet_exec_result r;
    inst_open(&in, "");
    fake_init(&f);
    void *prog =
        compile_ok(&in, "function main() {\n"
                        "  var cyc = {}; cyc.me = cyc;\n"
                        "  console.log('text', 1, {b: 2, a: [1, 'x']}, null, undefined, true);\n"
                        "  console.info(new TypeError('bad thing'));\n"
                        "  console.warn('careful', 0/0);\n"
                        "  console.error('broken:', new HttpError(500, 'down'));\n"
                        "  console.debug(cyc, function f() {}.length);\n"
                        "  console.log();\n"
                        "  console.log({toJSON: function () { throw 1; }}, 'after');\n"
                        "  console.log({toJSON: function () { throw 1; },\n"
                        "               toString: function () { throw 2; }}, 'after');\n"
                        "  return 'done';\n"
                        "}");

    /* Nothing may reach stdout while the task runs. */
    char path[] = "/tmp/mujs_stdout.XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    fflush(stdout);
    int saved = dup(STDOUT_FILENO);
    assert_true(saved >= 0);
    assert_true(dup2(fd, STDOUT_FILENO) >= 0);
    exec_run(&in, prog, "null", &f.ctx, &r);
    fflush(stdout);
    assert_true(dup2(saved, STDOUT_FILENO) >= 0);
    close(saved);
    struct stat sb;
    assert_int_equal(fstat(fd, &sb), 0);
    close(fd);
    unlink(path);
    assert_int_equal(sb.st_size, 0);

    assert_ok_json(&r, "\"done\"");
    assert_int_equal(f.nlines, 8);
    static const struct {
        ratchet_log_level level;
        const char *text;
    } want[] = {
        {RATCHET_LOG_INFO, "text 1 {\"a\":[1,\"x\"],\"b\":2} null undefined true"},
        {RATCHET_LOG_INFO, "TypeError: bad thing"},
        {RATCHET_LOG_WARN, "careful NaN"},
        {RATCHET_LOG_ERROR, "broken: HttpError: down"},
        {RATCHET_LOG_DEBUG, "[object Object] 0"},
        {RATCHET_LOG_INFO, ""},
        {RATCHET_LOG_INFO, "[object Object] after"},
        {RATCHET_LOG_INFO, "[unprintable value] after"},
    };
    for (int i = 0; i < 8; i++) {
        assert_int_equal(f.levels[i], want[i].level);
        assert_string_equal(f.lines[i], want[i].text);
    }
    result_free(&r);

    /* Without a console callback the calls are accepted and dropped. */
    exec_run(&in, prog, "null", NULL, &r);
    assert_ok_json(&r, "\"done\"");
    result_free(&r);
    in.ex->release(in.self, prog);
    fake_done(&f);

    /* A huge line is cut, on a character boundary. */
    fake_init(&f);
    prog = compile_ok(&in, "function main() { var s = 'é'; while (s.length < 100000) s += s;\n"
                           "  console.log(s); return s.length; }");
    exec_run(&in, prog, "null", &f.ctx, &r);
    assert_ok_json(&r, "131072");
    assert_int_equal(f.nlines, 1);
    size_t len = strlen(f.lines[0]);
    assert_true(len <= 65536 + 64);
    assert_non_null(strstr(f.lines[0], "[line truncated]"));
    /* the last byte before the marker completes an "é" (C3 A9) */
    assert_int_equal((unsigned char)f.lines[0][len - strlen(" ... [line truncated]") - 1], 0xA9);
    result_free(&r);
    in.ex->release(in.self, prog);
    fake_done(&f);
    inst_close(&in);
}

static void test_fetch(void **state)
{
    (void)state;
    inst in;
    fake f;
    ratchet_exec_result r;
    inst_open(&in, "");

    /* A response: options and body go out as JSON, the answer comes back parsed. */
    fake_init(&f);
    f.answer_json = "{\"ok\":true,\"status\":200,\"statusText\":\"OK\",\"headers\":{},"
                    "\"body\":{\"origin\":\"1.2.3.4\"}}";
    void *prog = compile_ok(&in, "function main(input) {\n"
                                 "  var r = fetch(input.url, {method: 'POST', headers: {A: 'b'}},"
                                 " {q: [1, 2]});\n"
                                 "  return {ok: r.ok, status: r.status, origin: r.body.origin};\n"
                                 "}");
    exec_run(&in, prog, "{\"url\":\"http://example.test/ip\"}", &f.ctx, &r);
    assert_ok_json(&r, "{\"ok\":true,\"status\":200,\"origin\":\"1.2.3.4\"}");
    assert_int_equal(f.nfetch, 1);
    assert_string_equal(f.url, "http://example.test/ip");
    assert_json(f.options, "{\"method\":\"POST\",\"headers\":{\"A\":\"b\"}}");
    assert_json(f.body, "{\"q\":[1,2]}");
    result_free(&r);
    in.ex->release(in.self, prog);
    fake_done(&f);

    /* Absent options and body are NULL, not "undefined". */
    fake_init(&f);
    f.answer_json = "{\"ok\":true,\"status\":204}";
    prog = compile_ok(&in, "function main() { return fetch('http://x/').status; }");
    exec_run(&in, prog, "null", &f.ctx, &r);
    assert_ok_json(&r, "204");
    assert_null(f.options);
    assert_null(f.body);
    result_free(&r);
    in.ex->release(in.self, prog);
    fake_done(&f);

    /* The host's HttpError, uncaught: the result carries name, message and status. */
    fake_init(&f);
    f.answer_error = "HttpError";
    f.answer_message = "HTTP 404: Not Found";
    f.answer_status = 404;
    prog = compile_ok(&in, "function main() { return fetch('http://x/missing'); }");
    exec_run(&in, prog, "null", &f.ctx, &r);
    assert_int_equal(r.outcome, RATCHET_EXEC_RUNTIME_ERROR);
    assert_string_equal(r.error_name, "HttpError");
    assert_string_equal(r.error_message, "HTTP 404: Not Found");
    assert_int_equal(r.error_status, 404);
    result_free(&r);
    in.ex->release(in.self, prog);

    /* ... and caught: a real HttpError instance. */
    prog = compile_ok(&in, "function main() { try { fetch('http://x/'); } catch (e) {\n"
                           "  return [e instanceof HttpError, e instanceof Error, e.status,"
                           " e.message]; } }");
    exec_run(&in, prog, "null", &f.ctx, &r);
    assert_ok_json(&r, "[true,true,404,\"HTTP 404: Not Found\"]");
    result_free(&r);
    in.ex->release(in.self, prog);
    fake_done(&f);

    /* NetworkError, and an unknown error name falling back to Error. */
    fake_init(&f);
    f.answer_error = "NetworkError";
    f.answer_message = "connection refused";
    prog = compile_ok(&in, "function main() { try { fetch('http://x/'); } catch (e) {\n"
                           "  return [e instanceof NetworkError, e.name, e.message]; } }");
    exec_run(&in, prog, "null", &f.ctx, &r);
    assert_ok_json(&r, "[true,\"NetworkError\",\"connection refused\"]");
    result_free(&r);
    /* cppcheck-suppress redundantAssignment ; read by fake_fetch during the call */
    f.answer_error = "WeirdError";
    exec_run(&in, prog, "null", &f.ctx, &r);
    assert_ok_json(&r, "[false,\"Error\",\"connection refused\"]");
    result_free(&r);
    in.ex->release(in.self, prog);
    fake_done(&f);

    /* No fetch in the context. */
    prog = compile_ok(&in, "function main() { try { fetch('http://x/'); } catch (e) {\n"
                           "  return [e instanceof NetworkError, e.message]; } }");
    exec_run(&in, prog, "null", NULL, &r);
    assert_ok_json(&r, "[true,\"fetch is not available here\"]");
    result_free(&r);
    in.ex->release(in.self, prog);

    /* A cyclic body throws in the script; the host is not called. */
    fake_init(&f);
    f.answer_json = "{}";
    prog = compile_ok(&in, "function main() { var b = {}; b.b = b; fetch('http://x/', {}, b); }");
    exec_run(&in, prog, "null", &f.ctx, &r);
    assert_int_equal(r.outcome, RATCHET_EXEC_RUNTIME_ERROR);
    assert_string_equal(r.error_name, "TypeError");
    assert_int_equal(f.nfetch, 0);
    result_free(&r);
    in.ex->release(in.self, prog);
    fake_done(&f);
    inst_close(&in);
}

static const char memory_bomb[] =
    "function main() { var a = []; for (;;) a.push(new Array(1000)); }";

static void test_memory_limit(void **state)
{
    (void)state;
    inst in;
    ratchet_exec_result r;
    inst_open(&in, "");
    void *prog = compile_ok(&in, memory_bomb);
    exec_limited(&in, prog, "null", NULL, 4 << 20, &r);
    assert_int_equal(r.outcome, RATCHET_EXEC_MEMORY);
    assert_string_equal(r.error_message, "memory limit of 4 MiB exceeded");
    assert_null(r.output_json);
    result_free(&r);
    in.ex->release(in.self, prog);

    /* Swallowing the "out of memory" does not hide that the limit was hit. */
    prog = compile_ok(&in, "function main() {\n"
                           "  try { var a = []; for (;;) a.push(new Array(1000)); }\n"
                           "  catch (e) { a = null; return 'swallowed: ' + e; }\n"
                           "}");
    exec_limited(&in, prog, "null", NULL, 2 << 20, &r);
    assert_int_equal(r.outcome, RATCHET_EXEC_MEMORY);
    assert_string_equal(r.error_message, "memory limit of 2 MiB exceeded");
    result_free(&r);
    in.ex->release(in.self, prog);

    /* ... nor does catching it in a loop. */
    prog = compile_ok(&in, "function main() { var n = 0;\n"
                           "  for (var i = 0; i < 1000; i++) { try { var a = [];\n"
                           "    for (;;) a.push(new Array(1000)); } catch (e) { n++; } }\n"
                           "  return n; }");
    exec_limited(&in, prog, "null", NULL, 2 << 20, &r);
    assert_int_equal(r.outcome, RATCHET_EXEC_MEMORY);
    result_free(&r);
    in.ex->release(in.self, prog);
    inst_close(&in);

    /* The option applies when the host sets no limit. */
    inst_open(&in, "memory_limit: 3MiB");
    prog = compile_ok(&in, memory_bomb);
    exec_run(&in, prog, "null", NULL, &r);
    assert_int_equal(r.outcome, RATCHET_EXEC_MEMORY);
    assert_string_equal(r.error_message, "memory limit of 3 MiB exceeded");
    result_free(&r);
    /* A large input counts against the limit too. */
    size_t n = 4 << 20;
    char *big = malloc(n + 3);
    assert_non_null(big);
    big[0] = '"';
    memset(big + 1, 'x', n);
    big[n + 1] = '"';
    big[n + 2] = '\0';
    exec_run(&in, prog, big, NULL, &r);
    assert_int_equal(r.outcome, RATCHET_EXEC_MEMORY);
    result_free(&r);
    free(big);
    in.ex->release(in.self, prog);
    /* A normal task runs fine under the same small limit afterwards. */
    expect_output(&in, "function main(i) { return i + 1; }", "1", "2");
    inst_close(&in);
}

static void test_stack_limit(void **state)
{
    (void)state;
    inst in;
    ratchet_exec_result r;
    inst_open(&in, "");
    expect_outcome(&in,
                   "function depth(n) { return n === 0 ? 0 : 1 + depth(n - 1); }\n"
                   "function main() { return depth(10000); }",
                   "null", RATCHET_EXEC_STACK, &r);
    assert_string_equal(r.error_message,
                        "JavaScript call stack exhausted (the MuJS interpreter allows about 60 "
                        "nested calls; use a loop instead of deep recursion)");
    assert_null(r.error_name);
    result_free(&r);

    expect_outcome(&in,
                   "function f(n) { try { return n ? f(n - 1) : 0; } catch (e) { throw e; } }\n"
                   "function main() { return f(1000); }",
                   "null", RATCHET_EXEC_STACK, &r);
    assert_non_null(strstr(r.error_message, "try blocks"));
    result_free(&r);

    /* Shallow recursion is fine; a caught overflow is the script's business. */
    expect_output(&in,
                  "function depth(n) { return n === 0 ? 0 : 1 + depth(n - 1); }\n"
                  "function main() { var r = depth(30);\n"
                  "  try { depth(10000); } catch (e) { return [r, String(e)]; } }",
                  "null", "[30,\"stack overflow\"]");
    inst_close(&in);
}

static void test_isolation(void **state)
{
    (void)state;
    inst in;
    ratchet_exec_result r;
    inst_open(&in, "");
    void *prog = compile_ok(&in, "function main() {\n"
                                 "  var seen = [typeof leaked, typeof Object.prototype.polluted,"
                                 " typeof JSON.parse];\n"
                                 "  leaked = 1; Object.prototype.polluted = 1; JSON.parse = 5;\n"
                                 "  return seen;\n"
                                 "}");
    for (int i = 0; i < 2; i++) {
        exec_run(&in, prog, "null", NULL, &r);
        assert_ok_json(&r, "[\"undefined\",\"undefined\",\"function\"]");
        result_free(&r);
    }
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

/* Bytes the C heap holds in use (glibc); the executor must give back what it takes. */
static size_t heap_in_use(void)
{
    struct mallinfo2 mi = mallinfo2();
    return mi.uordblks;
}

static void test_many_executions(void **state)
{
    (void)state;
    inst in;
    fake f;
    ratchet_exec_result r;
    char input[64], expected[32];
    inst_open(&in, "");
    fake_init(&f);
    void *prog = compile_ok(&in, "(function (input) { if (typeof input.num1 !== 'number') "
                                 "throw new ValidationError('num1');\n"
                                 "  console.log('adding', input.num1);\n"
                                 "  return {sum: input.num1 + input.num2}; })");
    /* Warm up once so lazily allocated host state does not count as a leak. */
    exec_run(&in, prog, "{\"num1\":1,\"num2\":1}", NULL, &r);
    result_free(&r);
    size_t before = heap_in_use();
    for (int i = 0; i < 1000; i++) {
        snprintf(input, sizeof input, "{\"num1\":%d,\"num2\":%d}", i, 2 * i);
        snprintf(expected, sizeof expected, "{\"sum\":%d}", 3 * i);
        exec_run(&in, prog, input, i % 2 ? &f.ctx : NULL, &r);
        assert_ok_json(&r, expected);
        result_free(&r);
        f.nlines = 0; /* console lines are checked elsewhere; keep only the count bounded */
        for (int k = 0; k < MAX_LINES; k++) {
            free(f.lines[k]);
            f.lines[k] = NULL;
        }
    }
    size_t after = heap_in_use();
    /* A leak of even one small block per execution would show as >= 16 KB here. */
    if (after > before + 16384)
        fail_msg("heap grew by %zu bytes over 1000 executions", after - before);
    in.ex->release(in.self, prog);
    fake_done(&f);
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
        cmocka_unit_test(test_compile_errors),
        cmocka_unit_test(test_no_entry_at_execute),
        cmocka_unit_test(test_output_errors),
        cmocka_unit_test(test_input_errors),
        cmocka_unit_test(test_console),
        cmocka_unit_test(test_fetch),
        cmocka_unit_test(test_memory_limit),
        cmocka_unit_test(test_stack_limit),
        cmocka_unit_test(test_isolation),
        cmocka_unit_test(test_strict_option),
        cmocka_unit_test(test_many_executions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
