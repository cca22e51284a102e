/* tests/unit/test_fetch_har.c - fetch answered from mocks and from a recorded HAR; recording
 * to HAR 1.2 and reading it back (against the loopback server of fetch_testing.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <cmocka.h>

#include "fetch_testing.h"

static fetch_server srv; /* shared by the tests; started in the group setup */

/* ---- mocks ------------------------------------------------------------------------------- */

static void test_mocks(void **state)
{
    (void)state;
    struct json_object *mocks = json_tokener_parse(
        "[{\"url\":\"https://api.example.com/users/1\",\"response\":{\"name\":\"Ann\"}},"
        " {\"method\":\"POST\",\"url\":\"https://api.example.com/users\","
        "  \"response\":{\"status\":201,\"headers\":{\"X-Id\":\"9\"},\"body\":{\"id\":9}}},"
        " {\"url\":\"https://api.example.com/missing\",\"response\":{\"status\":404,"
        "  \"body\":\"nope\"}},"
        " {\"url\":\"https://api.example.com/weather\",\"response\":{\"ok\":true,\"status\":200,"
        "  \"statusText\":\"Fine\",\"body\":{\"temp\":20.5}}},"
        " {\"url\":\"https://api.example.com/status\",\"response\":{\"status\":\"up\"}},"
        " {\"url\":\"https://api.example.com/greeting\",\"response\":\"hello\"}]");
    assert_non_null(mocks);
    rt_fetcher *f = rt_fetcher_new(NULL);
    rt_error err;
    assert_int_equal(rt_fetcher_set_mocks(f, mocks, &err), RATCHET_OK);
    json_object_put(mocks); /* the fetcher keeps what it needs */
    int before = fetch_server_requests(&srv);

    /* a body alone: 200 OK, no headers */
    char *raw = NULL;
    struct json_object *r = fetch_ok(f, "https://api.example.com/users/1", NULL, NULL, &raw);
    assert_string_equal(raw, "{\"ok\":true,\"status\":200,\"statusText\":\"OK\",\"headers\":{},"
                             "\"body\":{\"name\":\"Ann\"}}");
    free(raw);
    json_object_put(r);

    /* a full response, matched by method */
    r = fetch_ok(f, "https://api.example.com/users", "{\"method\":\"POST\"}", "{\"n\":1}", NULL);
    assert_int_equal(json_object_get_int(json_at(r, "status")), 201);
    assert_string_equal(json_str_at(r, "statusText"), "Created");
    assert_string_equal(json_str_at(r, "headers.x-id"), "9");
    assert_int_equal(json_object_get_int(json_at(json_at(r, "body"), "id")), 9);
    json_object_put(r);

    /* the original's weather-api shape; the contains rule (query string added) */
    r = fetch_ok(f, "https://api.example.com/weather?city=Oslo", NULL, NULL, NULL);
    assert_string_equal(json_str_at(r, "statusText"), "Fine");
    assert_true(json_object_get_double(json_at(json_at(r, "body"), "temp")) == 20.5);
    json_object_put(r);

    /* the request's URL contained in the mock's: the first GET mock that contains it */
    r = fetch_ok(f, "https://api.example.com/users", NULL, NULL, NULL);
    assert_string_equal(json_str_at(r, "body.name"), "Ann");
    json_object_put(r);

    /* {"status": "up"} is a body, not a response: its status is not a number */
    r = fetch_ok(f, "https://api.example.com/status", NULL, NULL, NULL);
    assert_string_equal(json_str_at(r, "body.status"), "up");
    json_object_put(r);

    /* a string body stays a string */
    r = fetch_ok(f, "https://api.example.com/greeting", NULL, NULL, NULL);
    assert_string_equal(json_str_at(r, "body"), "hello");
    json_object_put(r);

    /* mocked failures throw as live ones do */
    int status = 0;
    char *msg = fetch_err(f, "https://api.example.com/missing", NULL, NULL, "HttpError", &status);
    assert_string_equal(msg, "HTTP 404: Not Found");
    assert_int_equal(status, 404);
    free(msg);

    /* method mismatch, and an unknown URL: listed mocks in the message */
    fetch_expect_err(f, "https://api.example.com/users/1", "{\"method\":\"DELETE\"}", NULL,
                     "NetworkError",
                     "no mock matches DELETE https://api.example.com/users/1 (6 mocks: GET "
                     "https://api.example.com/users/1, POST https://api.example.com/users, GET "
                     "https://api.example.com/missing, GET https://api.example.com/weather, GET "
                     "https://api.example.com/status, GET https://api.example.com/greeting)");
    /* even a URL the live server would answer: no network with mocks on */
    char expected[512];
    snprintf(expected, sizeof expected,
             "no mock matches GET %s (6 mocks: ", fetch_url(&srv, "/json"));
    msg = fetch_err(f, fetch_url(&srv, "/json"), NULL, NULL, "NetworkError", NULL);
    assert_memory_equal(msg, expected, strlen(expected));
    free(msg);
    assert_int_equal(fetch_server_requests(&srv), before);

    struct json_object *c = json_object_array_get_idx(rt_fetcher_calls(f), 0);
    assert_string_equal(json_str_at(c, "source"), "mock");

    /* one mock object instead of an array; then mocks off again: live */
    struct json_object *one =
        json_tokener_parse("{\"method\":\"get\",\"url\":\"https://one.example\",\"response\":[1]}");
    assert_int_equal(rt_fetcher_set_mocks(f, one, &err), RATCHET_OK);
    json_object_put(one);
    r = fetch_ok(f, "https://one.example", NULL, NULL, &raw);
    assert_non_null(strstr(raw, "\"body\":[1]}"));
    free(raw);
    json_object_put(r);
    fetch_expect_err(f, "https://two.example", NULL, NULL, "NetworkError",
                     "no mock matches GET https://two.example (1 mock: GET https://one.example)");
    assert_int_equal(rt_fetcher_set_mocks(f, NULL, &err), RATCHET_OK);
    r = fetch_ok(f, fetch_url(&srv, "/text"), NULL, NULL, NULL);
    json_object_put(r);
    assert_int_equal(fetch_server_requests(&srv), before + 1);
    rt_fetcher_free(f);
}

static void expect_mock_error(rt_fetcher *f, const char *json, const char *message)
{
    struct json_object *m = json_tokener_parse(json);
    rt_error err;
    assert_int_equal(rt_fetcher_set_mocks(f, m, &err), RATCHET_ERR);
    assert_string_equal(err.msg, message);
    json_object_put(m);
}

static void test_mock_errors(void **state)
{
    (void)state;
    rt_fetcher *f = rt_fetcher_new(NULL);
    struct json_object *ok = json_tokener_parse("[{\"url\":\"https://x.example\",\"response\":1}]");
    rt_error err;
    assert_int_equal(rt_fetcher_set_mocks(f, ok, &err), RATCHET_OK);
    json_object_put(ok);

    expect_mock_error(f, "\"x\"", "mock.http must be an object or an array of objects, not string");
    expect_mock_error(f, "[{\"url\":\"https://a\",\"response\":1},{\"response\":1}]",
                      "mock.http[1].url is required (a string)");
    expect_mock_error(f, "{\"url\":\"https://a\"}",
                      "mock.http.response is required (a body, or {status, headers, body})");
    expect_mock_error(f, "[{\"url\":\"https://a\",\"method\":\"BREW\",\"response\":1}]",
                      "mock.http[0].method: unsupported method 'BREW' (use GET, HEAD, POST, PUT, "
                      "PATCH, DELETE or OPTIONS)");
    expect_mock_error(f, "[{\"url\":\"https://a\",\"response\":{\"status\":99,\"body\":1}}]",
                      "mock.http[0].response.status must be an integer between 100 and 599");
    expect_mock_error(
        f,
        "[{\"url\":\"https://a\",\"response\":{\"status\":200,\"body\":1,\"headers\":{\"A\":1}}}]",
        "mock.http[0].response.headers.A must be a string");
    expect_mock_error(f, "[3]", "mock.http[0] must be an object with url and response");
    expect_mock_error(f, "[{\"url\":\"\",\"response\":1}]", "mock.http[0].url must not be empty");

    /* the earlier mocks are still in place */
    struct json_object *r = fetch_ok(f, "https://x.example", NULL, NULL, NULL);
    assert_int_equal(json_object_get_int(json_at(r, "body")), 1);
    json_object_put(r);

    /* an empty array: mocks on, nothing matches */
    struct json_object *none = json_object_new_array();
    assert_int_equal(rt_fetcher_set_mocks(f, none, &err), RATCHET_OK);
    json_object_put(none);
    fetch_expect_err(f, "https://x.example", NULL, NULL, "NetworkError",
                     "no mock matches GET https://x.example (0 mocks)");
    rt_fetcher_free(f);
}

/* ---- recording and replay ---------------------------------------------------------------- */

static char *tmp_path(const char *name)
{
    const char *dir = getenv("RATCHET_TEST_TMP");
    char *p = malloc(512);
    snprintf(p, 512, "%s/fetch-%ld-%s", dir && *dir ? dir : "/tmp", (long)getpid(), name);
    return p;
}

static struct json_object *read_json_file(const char *path)
{
    struct json_object *o = json_object_from_file(path);
    assert_non_null(o);
    return o;
}

/* The {name, value} pair named `name` in a HAR header/query array, or NULL. */
static const char *pair_value(struct json_object *arr, const char *name)
{
    for (size_t i = 0; i < json_object_array_length(arr); i++) {
        struct json_object *p = json_object_array_get_idx(arr, i);
        if (!strcasecmp(json_str_at(p, "name"), name))
            return json_str_at(p, "value");
    }
    return NULL;
}

#define NREQ 7

static void test_record_and_replay(void **state)
{
    (void)state;
    fetch_server live;
    fetch_server_start(&live);
    const char *paths[NREQ] = {"/json",   "/text",      "/created", "/echo", "/json?a=1&b=x%20y+z",
                               "/binary", "/status/404"};
    const char *opts[NREQ] = {
        NULL, NULL, NULL, "{\"method\":\"POST\",\"headers\":{\"X-Test\":\"t\"}}", NULL, NULL, NULL};
    const char *bodies[NREQ] = {NULL, NULL, NULL, "{\"x\":1}", NULL, NULL, NULL};
    char *answers[NREQ] = {NULL};
    char urls[NREQ][128];

    rt_fetcher *f = rt_fetcher_new(NULL);
    rt_fetcher_record(f, 1);
    for (int i = 0; i < NREQ; i++) {
        snprintf(urls[i], sizeof urls[i], "%s%s", live.base, paths[i]);
        if (i == NREQ - 1) {
            char *msg = fetch_err(f, urls[i], opts[i], bodies[i], "HttpError", NULL);
            assert_string_equal(msg, "HTTP 404: Not Found");
            free(msg);
        } else {
            json_object_put(fetch_ok(f, urls[i], opts[i], bodies[i], &answers[i]));
        }
    }
    /* the same request twice: two entries, answered in order on replay */
    char counter[128], *counts[2] = {NULL, NULL};
    snprintf(counter, sizeof counter, "%s/counter", live.base);
    for (int i = 0; i < 2; i++) {
        struct json_object *r = fetch_ok(f, counter, NULL, NULL, &counts[i]);
        assert_int_equal(json_object_get_int(json_at(r, "body")), i + 1);
        json_object_put(r);
    }
    char *har = tmp_path("rec.har");
    rt_error err;
    assert_int_equal(rt_fetcher_write_har(f, har, &err), RATCHET_OK);
    rt_fetcher_free(f);
    fetch_server_stop(&live);

    /* the HAR, read back as plain JSON */
    struct json_object *doc = read_json_file(har);
    struct json_object *log = json_at(doc, "log");
    assert_string_equal(json_str_at(log, "version"), "1.2");
    assert_string_equal(json_str_at(log, "creator.name"), "Ratchet");
    assert_non_null(json_str_at(log, "creator.version"));
    struct json_object *entries = json_at(log, "entries");
    assert_int_equal(json_object_array_length(entries), NREQ + 2);

    struct json_object *e = json_object_array_get_idx(entries, 0);
    const char *when = json_str_at(e, "startedDateTime");
    assert_int_equal(strlen(when), 24); /* 2026-01-02T03:04:05.678Z */
    assert_int_equal(when[10], 'T');
    assert_int_equal(when[23], 'Z');
    assert_true(json_object_is_type(json_at(e, "time"), json_type_double));
    struct json_object *req = json_at(e, "request"), *resp = json_at(e, "response");
    assert_string_equal(json_str_at(req, "method"), "GET");
    assert_string_equal(json_str_at(req, "url"), urls[0]);
    assert_string_equal(json_str_at(req, "httpVersion"), "HTTP/1.1");
    assert_string_equal(pair_value(json_at(req, "headers"), "User-Agent"), "Ratchet/1.0");
    assert_int_equal(json_object_array_length(json_at(req, "queryString")), 0);
    assert_int_equal(json_object_array_length(json_at(req, "cookies")), 0);
    assert_int_equal(json_object_get_int(json_at(req, "headersSize")), -1);
    assert_int_equal(json_object_get_int(json_at(req, "bodySize")), 0);
    assert_null(json_at(req, "postData"));
    assert_int_equal(json_object_get_int(json_at(resp, "status")), 200);
    assert_string_equal(json_str_at(resp, "statusText"), "OK");
    assert_string_equal(json_str_at(resp, "httpVersion"), "HTTP/1.1");
    assert_string_equal(pair_value(json_at(resp, "headers"), "Content-Type"), "application/json");
    assert_int_equal(json_object_array_length(json_at(resp, "cookies")), 0);
    assert_string_equal(json_str_at(resp, "content.mimeType"), "application/json");
    assert_string_equal(json_str_at(resp, "content.text"), "{\"hello\":\"world\",\"n\":[1,2,3]}");
    assert_int_equal(json_object_get_int(json_at(json_at(resp, "content"), "size")), 29);
    assert_null(json_at(json_at(resp, "content"), "encoding"));
    assert_string_equal(json_str_at(resp, "redirectURL"), "");
    assert_int_equal(json_object_get_int(json_at(resp, "headersSize")), -1);
    assert_int_equal(json_object_get_int(json_at(resp, "bodySize")), 29);
    assert_true(json_object_is_type(json_at(e, "cache"), json_type_object));
    assert_int_equal(json_object_get_int(json_at(json_at(e, "timings"), "send")), 0);
    assert_int_equal(json_object_get_int(json_at(json_at(e, "timings"), "receive")), 0);
    assert_true(json_object_get_double(json_at(json_at(e, "timings"), "wait")) >= 0);

    /* the POST: its body, content type and the script's header */
    req = json_at(json_object_array_get_idx(entries, 3), "request");
    assert_string_equal(json_str_at(req, "method"), "POST");
    assert_string_equal(json_str_at(req, "postData.mimeType"), "application/json");
    assert_string_equal(json_str_at(req, "postData.text"), "{\"x\":1}");
    assert_int_equal(json_object_get_int(json_at(req, "bodySize")), 7);
    assert_string_equal(pair_value(json_at(req, "headers"), "X-Test"), "t");
    /* the query string, decoded */
    req = json_at(json_object_array_get_idx(entries, 4), "request");
    assert_int_equal(json_object_array_length(json_at(req, "queryString")), 2);
    assert_string_equal(pair_value(json_at(req, "queryString"), "a"), "1");
    assert_string_equal(pair_value(json_at(req, "queryString"), "b"), "x y z");
    /* binary content: base64 */
    resp = json_at(json_object_array_get_idx(entries, 5), "response");
    assert_string_equal(json_str_at(resp, "content.encoding"), "base64");
    assert_string_equal(json_str_at(resp, "content.text"), "AAH//oB6");
    assert_int_equal(json_object_get_int(json_at(json_at(resp, "content"), "size")), 6);
    /* the error response is recorded too */
    resp = json_at(json_object_array_get_idx(entries, 6), "response");
    assert_int_equal(json_object_get_int(json_at(resp, "status")), 404);
    assert_string_equal(json_str_at(resp, "content.text"), "nope");
    json_object_put(doc);

    /* replay with the server gone: identical answers */
    f = rt_fetcher_new(NULL);
    assert_int_equal(rt_fetcher_replay_har(f, har, &err), RATCHET_OK);
    for (int i = 0; i < NREQ; i++) {
        if (i == NREQ - 1) {
            int status = 0;
            char *msg = fetch_err(f, urls[i], opts[i], bodies[i], "HttpError", &status);
            assert_string_equal(msg, "HTTP 404: Not Found");
            assert_int_equal(status, 404);
            free(msg);
            continue;
        }
        char *raw = NULL;
        json_object_put(fetch_ok(f, urls[i], opts[i], bodies[i], &raw));
        assert_string_equal(raw, answers[i]);
        free(raw);
    }
    char *raw = NULL;
    for (int i = 0; i < 3; i++) { /* asked more often than recorded: the last answer again */
        json_object_put(fetch_ok(f, counter, NULL, NULL, &raw));
        assert_string_equal(raw, counts[i < 2 ? i : 1]);
        free(raw);
    }
    char expected[256];
    snprintf(expected, sizeof expected, "not in the recording: GET %s/nowhere", live.base);
    char nowhere[128];
    snprintf(nowhere, sizeof nowhere, "%s/nowhere", live.base);
    fetch_expect_err(f, nowhere, NULL, NULL, "NetworkError", expected);
    snprintf(expected, sizeof expected, "not in the recording: DELETE %s", urls[0]);
    fetch_expect_err(f, urls[0], "{\"method\":\"DELETE\"}", NULL, "NetworkError", expected);
    struct json_object *c = json_object_array_get_idx(rt_fetcher_calls(f), 0);
    assert_string_equal(json_str_at(c, "source"), "replay");
    rt_fetcher_free(f);

    for (int i = 0; i < NREQ; i++)
        free(answers[i]);
    free(counts[0]);
    free(counts[1]);
    unlink(har);
    free(har);
}

static void expect_har_error(const char *content, const char *message_after_path)
{
    char *path = tmp_path("bad.har");
    FILE *out = fopen(path, "w");
    assert_non_null(out);
    fputs(content, out);
    fclose(out);
    rt_fetcher *f = rt_fetcher_new(NULL);
    rt_error err;
    assert_int_equal(rt_fetcher_replay_har(f, path, &err), RATCHET_ERR);
    char expected[1024];
    snprintf(expected, sizeof expected, "%s: %s", path, message_after_path);
    assert_string_equal(err.msg, expected);
    rt_fetcher_free(f);
    unlink(path);
    free(path);
}

static void test_har_errors(void **state)
{
    (void)state;
    expect_har_error("{\"log\":", "not valid JSON: unexpected end of file at byte offset 7");
    expect_har_error("{\"log\":{}}", "no log.entries array (not a HAR file?)");
    expect_har_error("{\"log\":{\"entries\":[{\"request\":{\"method\":\"GET\"}}]}}",
                     "log.entries[0].request must have a method and a url (strings)");
    expect_har_error(
        "{\"log\":{\"entries\":[{\"request\":{\"method\":\"GET\",\"url\":\"http://a\"},"
        "\"response\":{\"status\":700}}]}}",
        "log.entries[0].response.status must be an integer between 100 and 599");
    expect_har_error(
        "{\"log\":{\"entries\":[{\"request\":{\"method\":\"GET\",\"url\":\"http://a\"},"
        "\"response\":{\"status\":200,\"content\":{\"text\":\"@@\","
        "\"encoding\":\"base64\"}}}]}}",
        "log.entries[0].response.content.text is not valid base64");
    expect_har_error(
        "{\"log\":{\"entries\":[{\"request\":{\"method\":\"GET\",\"url\":\"http://a\"},"
        "\"response\":{\"status\":200,\"headers\":[{\"name\":\"A\"}]}}]}}",
        "log.entries[0].response.headers[0] must be {name, value} with strings");

    rt_fetcher *f = rt_fetcher_new(NULL);
    rt_error err;
    assert_int_equal(rt_fetcher_replay_har(f, "/nonexistent/x.har", &err), RATCHET_ERR);
    assert_string_equal(err.msg, "cannot read /nonexistent/x.har: No such file or directory");
    assert_int_equal(rt_fetcher_write_har(f, "/nonexistent/x.har", &err), RATCHET_ERR);
    assert_string_equal(err.msg, "cannot write /nonexistent/x.har: No such file or directory");

    /* a minimal foreign HAR: status 0 entries skipped, defaults filled, method case folded */
    char *path = tmp_path("min.har");
    FILE *out = fopen(path, "w");
    fputs("{\"log\":{\"entries\":["
          "{\"request\":{\"method\":\"get\",\"url\":\"http://h/a\"},\"response\":{\"status\":0}},"
          "{\"request\":{\"method\":\"get\",\"url\":\"http://h/a\"},\"response\":{\"status\":200,"
          "\"content\":{\"text\":\"[1]\"}}}]}}",
          out);
    fclose(out);
    assert_int_equal(rt_fetcher_replay_har(f, path, &err), RATCHET_OK);
    char *raw = NULL;
    json_object_put(fetch_ok(f, "http://h/a", NULL, NULL, &raw));
    assert_string_equal(raw, "{\"ok\":true,\"status\":200,\"statusText\":\"OK\",\"headers\":{},"
                             "\"body\":[1]}");
    free(raw);
    unlink(path);
    free(path);
    rt_fetcher_free(f);
}

/* Mocked exchanges are recorded too; an empty recording is still a valid HAR. */
/* Issue 15: credentials never reach a recording, in requests or responses, whatever their
 * case; the script still sees the real values; replay matches without them. */
static void test_record_redacts(void **state)
{
    (void)state;
    fetch_server live;
    fetch_server_start(&live);
    char url[128];
    snprintf(url, sizeof url, "%s/secret", live.base);
    const char *opts = "{\"headers\":{\"authorization\":\"Bearer s3cret\","
                       "\"Cookie\":\"a=s3cret\",\"Proxy-Authorization\":\"Basic s3cret\","
                       "\"X-API-KEY\":\"s3cret\",\"X-Other\":\"shown\"}}";
    rt_fetcher *f = rt_fetcher_new(NULL);
    const char *extra[] = {"x-api-key", "X-Session-Token"};
    assert_int_equal(rt_fetcher_redact_headers(f, extra, 2), RATCHET_OK);
    rt_fetcher_record(f, 1);
    struct json_object *r = fetch_ok(f, url, opts, NULL, NULL);
    /* the server got every credential, the script sees the response's */
    assert_true(json_object_get_boolean(json_at(json_at(r, "body"), "Authorization")));
    assert_true(json_object_get_boolean(json_at(json_at(r, "body"), "Cookie")));
    assert_true(json_object_get_boolean(json_at(json_at(r, "body"), "Proxy-Authorization")));
    assert_true(json_object_get_boolean(json_at(json_at(r, "body"), "X-Api-Key")));
    assert_non_null(strstr(json_object_to_json_string(json_at(r, "headers")), "sid=s3cret"));
    json_object_put(r);
    char *har = tmp_path("redacted.har");
    rt_error err;
    assert_int_equal(rt_fetcher_write_har(f, har, &err), RATCHET_OK);
    rt_fetcher_free(f);
    fetch_server_stop(&live);

    struct json_object *doc = read_json_file(har);
    const char *text = json_object_to_json_string(doc);
    if (strstr(text, "s3cret"))
        fail_msg("a secret is in the recording: %s", text);
    struct json_object *e = json_object_array_get_idx(json_at(json_at(doc, "log"), "entries"), 0);
    struct json_object *rq = json_at(json_at(e, "request"), "headers");
    struct json_object *rs = json_at(json_at(e, "response"), "headers");
    assert_string_equal(pair_value(rq, "authorization"), "[redacted]");
    assert_string_equal(pair_value(rq, "Cookie"), "[redacted]");
    assert_string_equal(pair_value(rq, "Proxy-Authorization"), "[redacted]");
    assert_string_equal(pair_value(rq, "X-API-KEY"), "[redacted]");
    assert_string_equal(pair_value(rq, "X-Other"), "shown");
    assert_string_equal(pair_value(rs, "Set-Cookie"), "[redacted]");
    assert_string_equal(pair_value(rs, "X-Session-Token"), "[redacted]");
    assert_string_equal(pair_value(rs, "X-Plain"), "visible");
    json_object_put(doc);

    /* replay: the same request with other credentials (or none) is answered from it */
    rt_fetcher *g = rt_fetcher_new(NULL);
    assert_int_equal(rt_fetcher_replay_har(g, har, &err), RATCHET_OK);
    r = fetch_ok(g, url, "{\"headers\":{\"Authorization\":\"Bearer other\"}}", NULL, NULL);
    assert_int_equal(json_object_get_int(json_at(r, "status")), 200);
    assert_true(json_object_get_boolean(json_at(json_at(r, "body"), "Authorization")));
    json_object_put(r);
    r = fetch_ok(g, url, NULL, NULL, NULL);
    assert_int_equal(json_object_get_int(json_at(r, "status")), 200);
    json_object_put(r);
    rt_fetcher_free(g);
    free(har);
}

static void test_record_mocks(void **state)
{
    (void)state;
    rt_fetcher *f = rt_fetcher_new(NULL);
    char *path = tmp_path("empty.har");
    rt_error err;
    assert_int_equal(rt_fetcher_write_har(f, path, &err), RATCHET_OK);
    struct json_object *doc = read_json_file(path);
    assert_int_equal(json_object_array_length(json_at(json_at(doc, "log"), "entries")), 0);
    json_object_put(doc);

    struct json_object *m = json_tokener_parse(
        "{\"url\":\"https://m.example/x\",\"response\":{\"status\":200,\"body\":\"caf\\u00e9\"}}");
    assert_int_equal(rt_fetcher_set_mocks(f, m, &err), RATCHET_OK);
    json_object_put(m);
    rt_fetcher_record(f, 1);
    json_object_put(fetch_ok(f, "https://m.example/x", NULL, NULL, NULL));
    rt_fetcher_record(f, 0);
    json_object_put(fetch_ok(f, "https://m.example/x", NULL, NULL, NULL)); /* not kept */
    assert_int_equal(rt_fetcher_write_har(f, path, &err), RATCHET_OK);
    doc = read_json_file(path);
    struct json_object *entries = json_at(json_at(doc, "log"), "entries");
    assert_int_equal(json_object_array_length(entries), 1);
    assert_string_equal(json_str_at(json_object_array_get_idx(entries, 0), "response.content.text"),
                        "caf\xc3\xa9");
    json_object_put(doc);
    unlink(path);
    free(path);
    rt_fetcher_free(f);
}

static int group_setup(void **state)
{
    (void)state;
    fetch_server_start(&srv);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    fetch_server_stop(&srv);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mocks),
        cmocka_unit_test(test_mock_errors),
        cmocka_unit_test(test_record_and_replay),
        cmocka_unit_test(test_har_errors),
        cmocka_unit_test(test_record_mocks),
        cmocka_unit_test(test_record_redacts),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
