/* tests/unit/test_ipc.c - the worker protocol: messages and JSON values, encoded, decoded and
 * refused. The line reader and the writer on pipes are in test_ipc_stream.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "buf.h"
#include "ipc.h"

#include "ipc_testing.h"

static const char *text_of(struct json_object *v)
{
    return json_object_to_json_string_ext(v,
                                          JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
}

/* Encode m into b (emptied first); the result must be exactly one '\n'-terminated line. */
static const char *encode(const rt_ipc_msg *m, ratchet_buf *b)
{
    rt_error err = {{0}};
    b->len = 0;
    if (rt_ipc_encode(m, b, &err) != RATCHET_OK)
        fail_msg("encode failed: %s", err.msg);
    assert_true(b->len > 1);
    assert_int_equal(b->data[b->len - 1], '\n');
    assert_ptr_equal(memchr(b->data, '\n', b->len), b->data + b->len - 1);
    return b->data;
}

/* Encode m, decode the line into out. */
static void round_trip(const rt_ipc_msg *m, ratchet_buf *b, rt_ipc_msg *out)
{
    rt_error err = {{0}};
    encode(m, b);
    if (rt_ipc_decode(b->data, b->len - 1, out, &err) != RATCHET_OK)
        fail_msg("decode failed: %s\nline: %s", err.msg, b->data);
    assert_int_equal(out->type, m->type);
    assert_int_equal(out->id, m->id);
    assert_int_equal(out->id_null, m->id_null);
    assert_non_null(out->root);
}

/* A decoded value equals the JSON text `want`, both as a tree and as text. */
static void assert_value(const rt_ipc_json *got, const char *want)
{
    assert_null(got->text);
    if (!strcmp(want, "null")) {
        assert_null(got->obj);
        return;
    }
    struct json_object *w = parse(want);
    assert_true(json_object_equal(got->obj, w));
    assert_string_equal(text_of(got->obj), text_of(w));
    json_object_put(w);
}

/* ---- messages ------------------------------------------------------------------------------ */

static void test_wire_format(void **state)
{
    (void)state;
    ratchet_buf b = RATCHET_BUF_INIT;
    rt_ipc_msg m = {0};
    m.type = RT_IPC_PING;
    m.id = 7;
    assert_string_equal(encode(&m, &b), "{\"protocol_version\":1,\"type\":\"ping\",\"id\":7}\n");

    struct json_object *out = parse("{\"sum\":3}");
    memset(&m, 0, sizeof m);
    m.type = RT_IPC_RESULT;
    m.id = 9;
    m.result.job_id = 42;
    m.result.outcome = RATCHET_EXEC_OK;
    m.result.output.obj = out;
    m.result.duration_ms = 0.4125;
    assert_string_equal(encode(&m, &b),
                        "{\"protocol_version\":1,\"type\":\"result\",\"id\":9,\"job_id\":42,"
                        "\"outcome\":\"ok\",\"output\":{\"sum\":3},\"logs\":[],\"http\":[],"
                        "\"duration_ms\":0.412}\n");
    json_object_put(out);

    memset(&m, 0, sizeof m);
    m.type = RT_IPC_ERROR;
    m.id_null = 1;
    m.error.message = "bad \"x\"\nsecond line";
    assert_string_equal(encode(&m, &b), "{\"protocol_version\":1,\"type\":\"error\",\"id\":null,"
                                        "\"message\":\"bad \\\"x\\\"\\nsecond line\"}\n");
    rt_buf_free(&b);
}

static void test_round_trip_coordinator_messages(void **state)
{
    (void)state;
    ratchet_buf b = RATCHET_BUF_INIT;
    rt_ipc_msg m = {0}, d;

    m.type = RT_IPC_PING;
    m.id = INT64_MAX;
    round_trip(&m, &b, &d);
    rt_ipc_msg_free(&d);

    memset(&m, 0, sizeof m);
    m.type = RT_IPC_EXECUTE;
    m.id = 9;
    m.execute.job_id = 42;
    m.execute.execution_id = "e-17";
    m.execute.task = (rt_ipc_task_ref){"addition", "1.0.0", "bd6c6f98-4896-44cc-8c82-30328c3aefda",
                                       "/srv/tasks/addition", NULL, NULL, NULL, NULL};
    m.execute.input.obj = parse("{\"num1\":1,\"num2\":2}");
    m.execute.timeout_ms = 30000;
    m.execute.memory_bytes = (int64_t)64 << 20;
    round_trip(&m, &b, &d);
    assert_int_equal(d.execute.job_id, 42);
    assert_string_equal(d.execute.execution_id, "e-17");
    assert_string_equal(d.execute.task.name, "addition");
    assert_string_equal(d.execute.task.version, "1.0.0");
    assert_string_equal(d.execute.task.uuid, "bd6c6f98-4896-44cc-8c82-30328c3aefda");
    assert_string_equal(d.execute.task.dir, "/srv/tasks/addition");
    assert_null(d.execute.task.code);
    assert_value(&d.execute.input, "{\"num1\":1,\"num2\":2}");
    assert_int_equal(d.execute.timeout_ms, 30000);
    assert_int_equal(d.execute.memory_bytes, (int64_t)64 << 20);
    rt_ipc_msg_free(&d);
    assert_null(d.root);
    rt_ipc_msg_free(&d); /* twice is harmless */
    json_object_put(m.execute.input.obj);

    /* Inline code with quotes and newlines, no dir, no ids, input as verbatim text. */
    const char *code = "(function (input) {\n  return {\"q\": 'it\\'s', t: '\\t'};\n})\n";
    m.execute.execution_id = NULL;
    m.execute.task = (rt_ipc_task_ref){"inline", "0.1.0", NULL, NULL, code, NULL, NULL, NULL};
    m.execute.input = json_text("[1, \"two\", {\"3\": null}]");
    m.execute.job_id = -1;
    m.execute.timeout_ms = 0;
    m.execute.memory_bytes = 0;
    round_trip(&m, &b, &d);
    assert_null(d.execute.execution_id);
    assert_null(d.execute.task.uuid);
    assert_null(d.execute.task.dir);
    assert_string_equal(d.execute.task.code, code);
    assert_value(&d.execute.input, "[1,\"two\",{\"3\":null}]");
    assert_int_equal(d.execute.job_id, -1);
    rt_ipc_msg_free(&d);

    memset(&m, 0, sizeof m);
    m.type = RT_IPC_FETCH_RESULT;
    m.id = 3;
    m.fetch_result.response.obj =
        parse("{\"ok\":true,\"status\":200,\"statusText\":\"OK\",\"headers\":{\"content-type\":"
              "\"application/json\"},\"body\":{\"temp\":15.2}}");
    round_trip(&m, &b, &d);
    assert_int_equal(d.fetch_result.is_error, 0);
    assert_value(&d.fetch_result.response, text_of(m.fetch_result.response.obj));
    rt_ipc_msg_free(&d);
    json_object_put(m.fetch_result.response.obj);

    memset(&m, 0, sizeof m);
    m.type = RT_IPC_FETCH_RESULT;
    m.id = 4;
    m.fetch_result.is_error = 1;
    m.fetch_result.error = (rt_ipc_js_error){"HttpError", "HTTP 404: Not Found", NULL, 404};
    round_trip(&m, &b, &d);
    assert_int_equal(d.fetch_result.is_error, 1);
    assert_string_equal(d.fetch_result.error.name, "HttpError");
    assert_string_equal(d.fetch_result.error.message, "HTTP 404: Not Found");
    assert_null(d.fetch_result.error.stack);
    assert_int_equal(d.fetch_result.error.status, 404);
    rt_ipc_msg_free(&d);

    memset(&m, 0, sizeof m);
    m.type = RT_IPC_SHUTDOWN;
    m.id = 11;
    m.shutdown.grace_ms = 5000;
    round_trip(&m, &b, &d);
    assert_int_equal(d.shutdown.grace_ms, 5000);
    rt_ipc_msg_free(&d);
    rt_buf_free(&b);
}

static void test_round_trip_worker_messages(void **state)
{
    (void)state;
    ratchet_buf b = RATCHET_BUF_INIT;
    rt_ipc_msg m = {0}, d;

    m.type = RT_IPC_READY;
    m.ready.worker_id = "worker-3";
    m.ready.pid = 4242;
    round_trip(&m, &b, &d);
    assert_string_equal(d.ready.worker_id, "worker-3");
    assert_int_equal(d.ready.pid, 4242);
    assert_true(rt_ipc_sent_by_worker(d.type));
    rt_ipc_msg_free(&d);

    memset(&m, 0, sizeof m);
    m.type = RT_IPC_PONG;
    m.id = 7;
    m.pong = (rt_ipc_pong){12, 3456, 20480};
    round_trip(&m, &b, &d);
    assert_int_equal(d.pong.executed, 12);
    assert_int_equal(d.pong.uptime_ms, 3456);
    assert_int_equal(d.pong.rss_kb, 20480);
    rt_ipc_msg_free(&d);

    /* A success: output as verbatim text, logs and http as values. */
    const char *logs = "[{\"level\":\"info\",\"message\":\"hi\\nthere\"},"
                       "{\"level\":\"error\",\"message\":\"\\u00e9\"}]";
    const char *http = "[{\"method\":\"GET\",\"url\":\"http://127.0.0.1:1/x?a=1&b=2\","
                       "\"status\":200,\"duration_ms\":1.5,\"source\":\"mock\"}]";
    memset(&m, 0, sizeof m);
    m.type = RT_IPC_RESULT;
    m.id = 9;
    m.result.job_id = 42;
    m.result.outcome = RATCHET_EXEC_OK;
    m.result.output = json_text("{\"sum\":3}");
    m.result.logs.obj = parse(logs);
    m.result.http.obj = parse(http);
    m.result.duration_ms = 12.25;
    round_trip(&m, &b, &d);
    assert_int_equal(d.result.job_id, 42);
    assert_int_equal(d.result.outcome, RATCHET_EXEC_OK);
    assert_value(&d.result.output, "{\"sum\":3}");
    assert_value(&d.result.logs, logs);
    assert_value(&d.result.http, http);
    assert_true(d.result.duration_ms == 12.25);
    assert_null(d.result.error.message);
    rt_ipc_msg_free(&d);
    json_object_put(m.result.logs.obj);
    json_object_put(m.result.http.obj);

    /* The largest finite duration a peer may send still encodes (found by fuzz_ipc: "%.3f"
     * of 1e308 overflowed the number buffer). */
    m.result.logs = m.result.http = (rt_ipc_json){0};
    m.result.duration_ms = 1e308;
    round_trip(&m, &b, &d);
    assert_true(d.result.duration_ms == 1e308);
    rt_ipc_msg_free(&d);

    /* JSON null is a valid output. */
    m.result.output = (rt_ipc_json){0};
    m.result.logs = m.result.http = (rt_ipc_json){0};
    round_trip(&m, &b, &d);
    assert_null(d.result.output.obj);
    assert_value(&d.result.logs, "[]");
    rt_ipc_msg_free(&d);

    /* Every failing outcome carries its error. */
    for (int o = RATCHET_EXEC_COMPILE_ERROR; o <= RATCHET_EXEC_STACK; o++) {
        memset(&m, 0, sizeof m);
        m.type = RT_IPC_RESULT;
        m.id = o;
        m.result.job_id = 1;
        m.result.outcome = (ratchet_exec_outcome)o;
        m.result.error = (rt_ipc_js_error){"TypeError", "x is not a function",
                                           "at main (main.js:3)\nat <eval>", 0};
        m.result.duration_ms = 0.001;
        round_trip(&m, &b, &d);
        assert_int_equal(d.result.outcome, o);
        assert_string_equal(rt_ipc_outcome_name(d.result.outcome),
                            rt_ipc_outcome_name((ratchet_exec_outcome)o));
        assert_null(d.result.output.obj);
        assert_string_equal(d.result.error.name, "TypeError");
        assert_string_equal(d.result.error.message, "x is not a function");
        assert_string_equal(d.result.error.stack, "at main (main.js:3)\nat <eval>");
        assert_int_equal(d.result.error.status, 0);
        rt_ipc_msg_free(&d);
    }

    memset(&m, 0, sizeof m);
    m.type = RT_IPC_FETCH;
    m.id = 5;
    m.fetch.url = "https://api.example.com/v1?q=a b&x=\"y\"";
    m.fetch.options.obj = parse("{\"method\":\"POST\",\"headers\":{\"X-A\":\"b\"}}");
    m.fetch.body = json_text("{\"k\":[1,2]}");
    round_trip(&m, &b, &d);
    assert_string_equal(d.fetch.url, m.fetch.url);
    assert_value(&d.fetch.options, "{\"method\":\"POST\",\"headers\":{\"X-A\":\"b\"}}");
    assert_value(&d.fetch.body, "{\"k\":[1,2]}");
    rt_ipc_msg_free(&d);
    json_object_put(m.fetch.options.obj);
    m.fetch.options = m.fetch.body = (rt_ipc_json){0};
    round_trip(&m, &b, &d);
    assert_null(d.fetch.options.obj);
    assert_null(d.fetch.body.obj);
    assert_false(rt_ipc_sent_by_worker(RT_IPC_EXECUTE));
    rt_ipc_msg_free(&d);

    memset(&m, 0, sizeof m);
    m.type = RT_IPC_ERROR;
    m.id = 5;
    m.error.message = "cannot load task folder /srv/tasks/x: No such file or directory";
    round_trip(&m, &b, &d);
    assert_string_equal(d.error.message, m.error.message);
    rt_ipc_msg_free(&d);
    m.id = 0;
    m.id_null = 1;
    round_trip(&m, &b, &d);
    rt_ipc_msg_free(&d);

    /* Console lines streamed while the task runs. */
    memset(&m, 0, sizeof m);
    m.type = RT_IPC_LOG;
    m.id = 7;
    m.log.job_id = 42;
    m.log.logs = json_text("[{\"level\":\"warn\",\"message\":\"almost done\"}]");
    round_trip(&m, &b, &d);
    assert_int_equal(d.log.job_id, 42);
    assert_value(&d.log.logs, "[{\"level\":\"warn\",\"message\":\"almost done\"}]");
    assert_true(rt_ipc_sent_by_worker(RT_IPC_LOG));
    rt_ipc_msg_free(&d);
    rt_error err;
    static const char bad_log[] = "{\"protocol_version\":1,\"type\":\"log\",\"id\":7,"
                                  "\"job_id\":42,\"logs\":[{\"level\":\"loud\",\"message\":\"x\"}]}";
    assert_int_equal(rt_ipc_decode(bad_log, sizeof bad_log - 1, &d, &err), RATCHET_ERR);
    assert_non_null(strstr(err.msg, "logs[0]"));
    rt_buf_free(&b);
}

/* Values with every awkward property go through execute.input (json-c value), result.output
 * (verbatim text) and fetch.body, and come back identical as text. */
static void test_values_survive(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out; /* out NULL: same as in */
    } cases[] = {
        {"\"quote \\\" backslash \\\\ slash / tab \\t\"", NULL},
        {"\"line1\\nline2\\r\\nline3\\n\"", NULL},
        {"{\"k\\n\":\"v\\nw\",\"n\":null,\"t\":true,\"f\":false,\"e\":{},\"a\":[]}", NULL},
        {"\"caf\u00e9 \u4e2d\u6587 \xf0\x9f\x98\x80\"", NULL},
        {"\"\\ud83d\\ude00 \\u2028 \\u0000 \\u001f\"",
         "\"\xf0\x9f\x98\x80 \xe2\x80\xa8 \\u0000 \\u001f\""},
        {"[100000000000000000000,123456789012345678901234567890,-9223372036854775809]", NULL},
        {"[18446744073709551615,-9223372036854775808,9007199254740993,0]", NULL},
        {"[1e400,1.5e-300,0.1,1.0,-0.0,1E2,3.141592653589793238462643383279]", NULL},
        {"{\"a\":{\"b\":[{\"c\":[[[{\"d\":{\"e\":[1,{\"f\":\"g\"}]}}]]]}]}}", NULL},
        {"{\n  \"pretty\": [1,\n 2],\n  \"x\": \"y\"\n}", "{\"pretty\":[1,2],\"x\":\"y\"}"},
    };
    ratchet_buf b = RATCHET_BUF_INIT;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const char *in = cases[i].in, *want = cases[i].out ? cases[i].out : in;
        rt_ipc_msg m = {0}, d;
        m.type = RT_IPC_EXECUTE;
        m.execute.task = (rt_ipc_task_ref){"t", "1", NULL, "/t", NULL, NULL, NULL, NULL};
        m.execute.input.obj = parse(in);
        round_trip(&m, &b, &d);
        assert_value(&d.execute.input, want);
        rt_ipc_msg_free(&d);
        json_object_put(m.execute.input.obj);

        memset(&m, 0, sizeof m);
        m.type = RT_IPC_RESULT;
        m.result.output = json_text(in);
        round_trip(&m, &b, &d);
        assert_value(&d.result.output, want);
        rt_ipc_msg_free(&d);

        memset(&m, 0, sizeof m);
        m.type = RT_IPC_FETCH;
        m.fetch.url = "u";
        m.fetch.body = json_text(in);
        round_trip(&m, &b, &d);
        assert_value(&d.fetch.body, want);
        rt_ipc_msg_free(&d);
    }

    /* Big integers come back as the doubles JavaScript would see, not clamped to 64 bits. */
    struct json_object *v = parse("[100000000000000000000,-9223372036854775809]");
    assert_true(json_object_get_double(json_object_array_get_idx(v, 0)) == 1e20);
    assert_true(json_object_get_double(json_object_array_get_idx(v, 1)) < -9.2e18);
    json_object_put(v);

    /* Deep nesting within the limit. */
    char deep[2 * 100 + 2];
    memset(deep, '[', 100);
    deep[100] = '1';
    memset(deep + 101, ']', 100);
    deep[201] = '\0';
    rt_ipc_msg m = {0}, d;
    m.type = RT_IPC_FETCH;
    m.fetch.url = "u";
    m.fetch.body = json_text(deep);
    round_trip(&m, &b, &d);
    assert_value(&d.fetch.body, deep);
    rt_ipc_msg_free(&d);
    rt_buf_free(&b);
}

/* Decoding `line` fails with a message containing `want`. */
static void assert_decode_fails(const char *line, const char *want)
{
    rt_ipc_msg d;
    rt_error err = {{0}};
    if (rt_ipc_decode(line, strlen(line), &d, &err) != RATCHET_ERR)
        fail_msg("decoded: %s", line);
    assert_null(d.root);
    assert_contains(err.msg, want);
}

#define ENV       "{\"protocol_version\":1,"
#define EXEC_TASK "\"task\":{\"name\":\"t\",\"version\":\"1\",\"dir\":\"/t\"}"
#define EXEC_REST "\"input\":{},\"timeout_ms\":0,\"memory_bytes\":0"

static void test_decode_errors(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"", "malformed message: empty line"},
        {"not json", "malformed message: \"not\" is not JSON at byte offset 0"},
        {ENV "\"type\":\"ping\",\"id\":1", "malformed message: the JSON text ends early"},
        {ENV "\"type\":\"ping\",\"id\":1}}", "malformed message"},
        {ENV "\"type\":\"ping\",\"id\":1,}", "malformed message"},
        {ENV "\"type\":'ping',\"id\":1}", "malformed message"},
        {"[1,2]", "malformed message: expected a JSON object, not an array"},
        {ENV "\"type\":\"ping\",\"id\":1,\"x\":\"\xff\"}", "malformed message: invalid utf-8"},
        {ENV "\"type\":\"ping\",\"id\":1,\"x\":NaN}", "\"NaN\" is not JSON at byte offset"},
        {ENV "\"type\":\"ping\",\"id\":1,\"x\":-Infinity}", "\"Infinity\" is not JSON"},
        {"{\"protocol_version\":2,\"type\":\"ping\",\"id\":1}",
         "protocol version mismatch: the peer speaks protocol_version 2, this ratchet speaks "
         "protocol_version 1"},
        {"{\"type\":\"ping\",\"id\":1}", "invalid message: missing field \"protocol_version\""},
        {"{\"protocol_version\":\"1\",\"type\":\"ping\",\"id\":1}",
         "field \"protocol_version\" must be an integer, not a string"},
        {ENV "\"id\":1}", "invalid message: missing field \"type\""},
        {ENV "\"type\":7,\"id\":1}", "field \"type\" must be a string, not an integer"},
        {ENV "\"type\":\"launch\",\"id\":4}", "unknown message type \"launch\""},
        {ENV "\"type\":\"ping\"}", "invalid ping message: missing field \"id\""},
        {ENV "\"type\":\"ping\",\"id\":\"7\"}", "field \"id\" must be an integer, not a string"},
        {ENV "\"type\":\"ping\",\"id\":null}", "field \"id\" must be an integer, not null"},
        {ENV "\"type\":\"ping\",\"id\":1.5}", "field \"id\" must be an integer, not a number"},
        {ENV "\"type\":\"ping\",\"id\":18446744073709551615}",
         "field \"id\" must be a 64-bit signed integer"},
        {ENV "\"type\":\"execute\",\"id\":1,\"job_id\":\"42\"," EXEC_TASK "," EXEC_REST "}",
         "invalid execute message: field \"job_id\" must be an integer, not a string"},
        {ENV "\"type\":\"execute\",\"id\":1,\"job_id\":1,\"task\":{\"name\":5,\"version\":\"1\","
             "\"dir\":\"/t\"}," EXEC_REST "}",
         "field \"task.name\" must be a string, not an integer"},
        {ENV "\"type\":\"execute\",\"id\":1,\"job_id\":1,\"task\":[]," EXEC_REST "}",
         "field \"task\" must be an object, not an array"},
        {ENV "\"type\":\"execute\",\"id\":1,\"job_id\":1,\"task\":{\"name\":\"t\",\"version\":"
             "\"1\"}," EXEC_REST "}",
         "field \"task.dir\" or \"task.code\" is required"},
        {ENV "\"type\":\"execute\",\"id\":1,\"job_id\":1," EXEC_TASK ",\"timeout_ms\":0,"
             "\"memory_bytes\":0}",
         "invalid execute message: missing field \"input\""},
        {ENV "\"type\":\"execute\",\"id\":1,\"job_id\":1," EXEC_TASK ",\"input\":1,"
             "\"timeout_ms\":-1,\"memory_bytes\":0}",
         "field \"timeout_ms\" must be zero or more"},
        {ENV "\"type\":\"execute\",\"id\":1,\"job_id\":1," EXEC_TASK
             ",\"execution_id\":3," EXEC_REST "}",
         "field \"execution_id\" must be a string or null, not an integer"},
        {ENV "\"type\":\"result\",\"id\":1,\"job_id\":1,\"outcome\":\"weird\",\"logs\":[],"
             "\"http\":[],\"duration_ms\":1}",
         "field \"outcome\" must be ok, compile_error, no_entry, runtime_error"},
        {ENV "\"type\":\"result\",\"id\":1,\"job_id\":1,\"outcome\":\"ok\",\"logs\":[],"
             "\"http\":[],\"duration_ms\":1}",
         "invalid result message: missing field \"output\""},
        {ENV "\"type\":\"result\",\"id\":1,\"job_id\":1,\"outcome\":\"timeout\",\"logs\":[],"
             "\"http\":[],\"duration_ms\":1}",
         "invalid result message: missing field \"error\""},
        {ENV "\"type\":\"result\",\"id\":1,\"job_id\":1,\"outcome\":\"timeout\",\"error\":{},"
             "\"logs\":[],\"http\":[],\"duration_ms\":1}",
         "missing field \"error.message\""},
        {ENV "\"type\":\"result\",\"id\":1,\"job_id\":1,\"outcome\":\"ok\",\"output\":1,"
             "\"logs\":[{\"level\":\"info\",\"message\":\"a\"},{\"level\":3,\"message\":\"b\"}],"
             "\"http\":[],\"duration_ms\":1}",
         "field \"logs[1].level\" must be a string, not an integer"},
        {ENV "\"type\":\"result\",\"id\":1,\"job_id\":1,\"outcome\":\"ok\",\"output\":1,"
             "\"logs\":[{\"level\":\"loud\",\"message\":\"a\"}],\"http\":[],\"duration_ms\":1}",
         "field \"logs[0].level\" must be trace, debug, info, warn or error"},
        {ENV "\"type\":\"result\",\"id\":1,\"job_id\":1,\"outcome\":\"ok\",\"output\":1,"
             "\"logs\":[\"x\"],\"http\":[],\"duration_ms\":1}",
         "field \"logs[0]\" must be an object, not a string"},
        {ENV "\"type\":\"result\",\"id\":1,\"job_id\":1,\"outcome\":\"ok\",\"output\":1,"
             "\"logs\":[],\"http\":[{\"method\":\"GET\",\"url\":\"u\",\"status\":\"200\","
             "\"duration_ms\":1}],\"duration_ms\":1}",
         "field \"http[0].status\" must be an integer, not a string"},
        {ENV "\"type\":\"result\",\"id\":1,\"job_id\":1,\"outcome\":\"ok\",\"output\":1,"
             "\"logs\":{},\"http\":[],\"duration_ms\":1}",
         "field \"logs\" must be an array, not an object"},
        {ENV "\"type\":\"result\",\"id\":1,\"job_id\":1,\"outcome\":\"ok\",\"output\":1,"
             "\"logs\":[],\"http\":[],\"duration_ms\":\"1\"}",
         "field \"duration_ms\" must be a number, not a string"},
        {ENV "\"type\":\"pong\",\"id\":1,\"stats\":{\"executed\":1,\"uptime_ms\":2,"
             "\"rss_kb\":1.5}}",
         "invalid pong message: field \"stats.rss_kb\" must be an integer, not a number"},
        {ENV "\"type\":\"ready\",\"id\":0,\"pid\":1}", "invalid ready message: missing field "
                                                       "\"worker_id\""},
        {ENV "\"type\":\"fetch\",\"id\":1,\"url\":\"u\",\"options\":null}",
         "invalid fetch message: missing field \"body\""},
        {ENV "\"type\":\"fetch_result\",\"id\":1,\"error\":{\"message\":\"m\",\"status\":\"x\"}}",
         "field \"error.status\" must be an integer, not a string"},
        {ENV "\"type\":\"fetch_result\",\"id\":1}", "missing field \"response\""},
        {ENV "\"type\":\"shutdown\",\"id\":1,\"grace_ms\":true}",
         "field \"grace_ms\" must be an integer, not a boolean"},
        {ENV "\"type\":\"error\",\"id\":1,\"message\":null}",
         "invalid error message: field \"message\" must be a string, not null"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        assert_decode_fails(cases[i][0], cases[i][1]);

    /* Too deep: the envelope plus 128 arrays. */
    ratchet_buf b = RATCHET_BUF_INIT;
    rt_buf_puts(&b, ENV "\"type\":\"fetch\",\"id\":1,\"url\":\"u\",\"options\":null,\"body\":");
    for (int i = 0; i < RT_IPC_MAX_DEPTH; i++)
        rt_buf_puts(&b, "[");
    for (int i = 0; i < RT_IPC_MAX_DEPTH; i++)
        rt_buf_puts(&b, "]");
    rt_buf_puts(&b, "}");
    assert_decode_fails(b.data, "malformed message: nesting too deep");
    rt_buf_free(&b);

    /* Unknown keys are ignored; trailing whitespace and CR are tolerated. */
    rt_ipc_msg d;
    rt_error err = {{0}};
    const char *ok = ENV "\"type\":\"ping\",\"id\":1,\"future\":{\"x\":[1]}} \r";
    assert_int_equal(rt_ipc_decode(ok, strlen(ok), &d, &err), RATCHET_OK);
    rt_ipc_msg_free(&d);
}

/* A refused message is answered with an `error` carrying its id when it had one. */
static void test_error_reply(void **state)
{
    (void)state;
    ratchet_buf b = RATCHET_BUF_INIT;
    rt_ipc_msg bad, reply, d;
    rt_error err = {{0}};
    const char *line = ENV "\"type\":\"launch\",\"id\":4}";
    assert_int_equal(rt_ipc_decode(line, strlen(line), &bad, &err), RATCHET_ERR);
    assert_int_equal(bad.type, RT_IPC_UNKNOWN);
    assert_int_equal(bad.id, 4);
    assert_int_equal(bad.id_null, 0);
    rt_ipc_error_reply(&reply, &bad, err.msg);
    assert_string_equal(encode(&reply, &b),
                        "{\"protocol_version\":1,\"type\":\"error\",\"id\":4,"
                        "\"message\":\"unknown message type \\\"launch\\\"\"}\n");
    round_trip(&reply, &b, &d);
    assert_string_equal(d.error.message, "unknown message type \"launch\"");
    rt_ipc_msg_free(&d);

    /* A bad field in a known type: type and id are known. */
    line = ENV "\"type\":\"execute\",\"id\":12,\"job_id\":\"x\"}";
    assert_int_equal(rt_ipc_decode(line, strlen(line), &bad, &err), RATCHET_ERR);
    assert_int_equal(bad.type, RT_IPC_EXECUTE);
    assert_int_equal(bad.id, 12);

    /* Wrong version: the id is still read, so the peer learns which request failed. */
    line = "{\"protocol_version\":3,\"type\":\"ping\",\"id\":8}";
    assert_int_equal(rt_ipc_decode(line, strlen(line), &bad, &err), RATCHET_ERR);
    assert_int_equal(bad.id, 8);
    assert_int_equal(bad.id_null, 0);

    /* Not JSON: no id, so "id":null. */
    line = "{\"id\":5,";
    assert_int_equal(rt_ipc_decode(line, strlen(line), &bad, &err), RATCHET_ERR);
    assert_int_equal(bad.id_null, 1);
    rt_ipc_error_reply(&reply, &bad, err.msg);
    assert_contains(encode(&reply, &b), "\"type\":\"error\",\"id\":null,\"message\":\"malformed");
    rt_ipc_error_reply(&reply, NULL, "x");
    assert_int_equal(reply.id_null, 1);
    rt_buf_free(&b);
}

static void assert_encode_fails(const rt_ipc_msg *m, const char *want)
{
    ratchet_buf b = RATCHET_BUF_INIT;
    rt_error err = {{0}};
    rt_buf_puts(&b, "kept");
    assert_int_equal(rt_ipc_encode(m, &b, &err), RATCHET_ERR);
    assert_string_equal(b.data, "kept"); /* left as it was */
    assert_contains(err.msg, want);
    rt_buf_free(&b);
}

static void test_encode_errors(void **state)
{
    (void)state;
    rt_ipc_msg m = {0};
    m.type = RT_IPC_EXECUTE;
    m.execute.task.version = "1";
    m.execute.task.dir = "/t";
    assert_encode_fails(&m, "cannot encode execute message: field \"task.name\" is required");
    m.execute.task.name = "t";
    m.execute.task.dir = NULL;
    assert_encode_fails(&m, "field \"task.dir\" or \"task.code\" is required");
    m.execute.task.dir = "/t";
    m.execute.timeout_ms = -5;
    assert_encode_fails(&m, "field \"timeout_ms\" must not be negative");
    m.execute.timeout_ms = 0;
    m.execute.input = json_text("");
    assert_encode_fails(&m, "field \"input\" is required");

    memset(&m, 0, sizeof m);
    m.type = RT_IPC_RESULT;
    m.result.outcome = RATCHET_EXEC_RUNTIME_ERROR;
    assert_encode_fails(&m, "cannot encode result message: field \"error.message\" is required");
    m.result.outcome = (ratchet_exec_outcome)42;
    assert_encode_fails(&m, "outcome 42 is not one of");

    memset(&m, 0, sizeof m);
    m.type = RT_IPC_PING;
    m.id_null = 1;
    assert_encode_fails(&m, "only an error may have a null id");
    m.type = (rt_ipc_type)99;
    assert_encode_fails(&m, "unknown type 99");
    memset(&m, 0, sizeof m);
    m.type = RT_IPC_FETCH;
    assert_encode_fails(&m, "field \"url\" is required");
    m.type = RT_IPC_ERROR;
    assert_encode_fails(&m, "field \"message\" is required");
    m.type = RT_IPC_READY;
    assert_encode_fails(&m, "field \"worker_id\" is required");
    m.type = RT_IPC_SHUTDOWN;
    m.shutdown.grace_ms = -1;
    assert_encode_fails(&m, "field \"grace_ms\" must not be negative");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wire_format),
        cmocka_unit_test(test_round_trip_coordinator_messages),
        cmocka_unit_test(test_round_trip_worker_messages),
        cmocka_unit_test(test_values_survive),
        cmocka_unit_test(test_decode_errors),
        cmocka_unit_test(test_error_reply),
        cmocka_unit_test(test_encode_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
