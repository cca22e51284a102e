/* tests/unit/test_executor_mujs_runtime.c - the executor-mujs plugin at run time: console and fetch
 * through the host, memory and stack limits, isolation between executions, many executions. */
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

/* The MuJS build's limits (mujs_lib.cmake): raised when built from Debian's source. */
#ifdef MUJS_LIB_CONFIGURED
#include "mujs_lib_config.h"
#endif
#ifndef MUJS_LIB_C_STACK
#define MUJS_LIB_C_STACK 0
#endif
#define STR_(x)   #x
#define STR(x)    STR_(x)
#define MAX_CALLS STR(MUJS_LIB_MAX_CALLS)

static void test_stack_limit(void **state)
{
    (void)state;
    inst in;
    ratchet_exec_result r;
    inst_open(&in, "");
#if MUJS_LIB_C_STACK > 0
    /* Ordinary deep recursion works with the raised limits. */
    expect_output(&in,
                  "function depth(n) { return n === 0 ? 0 : 1 + depth(n - 1); }\n"
                  "function main() { return depth(10000); }",
                  "null", "10000");
#endif
    expect_outcome(&in,
                   "function depth(n) { return depth(n + 1); }\n"
                   "function main() { return depth(0); }",
                   "null", RATCHET_EXEC_STACK, &r);
#if MUJS_LIB_C_STACK > 0
    assert_string_equal(r.error_message, "more than " MAX_CALLS
                                         " nested calls (use a loop instead of deep recursion)");
#else
    assert_non_null(strstr(r.error_message, "nested calls"));
#endif
    assert_null(r.error_name);
    result_free(&r);

    expect_outcome(&in,
                   "function f(n) { try { return n ? f(n - 1) : 0; } catch (e) { throw e; } }\n"
                   "function main() { return f(5000); }",
                   "null", RATCHET_EXEC_STACK, &r);
    assert_non_null(strstr(r.error_message, "try blocks"));
    result_free(&r);

    /* Shallow recursion is fine; a caught overflow is the script's business. */
    expect_output(&in,
                  "function depth(n) { return n === 0 ? 0 : 1 + depth(n - 1); }\n"
                  "function main() { var r = depth(30);\n"
                  "  try { depth(-1); } catch (e) { return [r, /stack overflow/.test(e)]; } }",
                  "null", "[30,true]");
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
        cmocka_unit_test(test_console),      cmocka_unit_test(test_fetch),
        cmocka_unit_test(test_memory_limit), cmocka_unit_test(test_stack_limit),
        cmocka_unit_test(test_isolation),    cmocka_unit_test(test_many_executions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
