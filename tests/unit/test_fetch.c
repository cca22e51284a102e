/* tests/unit/test_fetch.c - live fetch against a real HTTP server on loopback (libmicrohttpd,
 * ephemeral port): responses, typed errors, redirects, timeout, size limit, body encoding,
 * argument checks, connection refused. Mocks and HAR: test_fetch_har.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "fetch_testing.h"

static fetch_server srv; /* shared by the tests; started in the group setup */

/* ---- live requests ----------------------------------------------------------------------- */

static void test_json_response(void **state)
{
    (void)state;
    rt_fetcher *f = rt_fetcher_new(NULL);
    assert_non_null(f);
    struct json_object *r = fetch_ok(f, fetch_url(&srv, "/json"), NULL, NULL, NULL);
    assert_true(json_object_get_boolean(json_at(r, "ok")));
    assert_int_equal(json_object_get_int(json_at(r, "status")), 200);
    assert_string_equal(json_str_at(r, "statusText"), "OK");
    assert_string_equal(json_str_at(r, "headers.content-type"), "application/json");
    assert_string_equal(json_str_at(r, "headers.x-multi"), "a, b");
    assert_string_equal(json_str_at(r, "body.hello"), "world");
    assert_int_equal(json_object_array_length(json_at(json_at(r, "body"), "n")), 3);
    json_object_put(r);

    struct json_object *calls = rt_fetcher_calls(f);
    assert_int_equal(json_object_array_length(calls), 1);
    struct json_object *c = json_object_array_get_idx(calls, 0);
    assert_string_equal(json_str_at(c, "method"), "GET");
    assert_string_equal(json_str_at(c, "url"), fetch_url(&srv, "/json"));
    assert_int_equal(json_object_get_int(json_at(c, "status")), 200);
    assert_string_equal(json_str_at(c, "source"), "live");
    assert_true(json_object_get_double(json_at(c, "duration_ms")) >= 0);
    assert_null(json_at(c, "error"));
    rt_fetcher_free(f);
}

static void test_text_created_head(void **state)
{
    (void)state;
    rt_fetcher *f = rt_fetcher_new(NULL);
    struct json_object *r = fetch_ok(f, fetch_url(&srv, "/text"), NULL, NULL, NULL);
    assert_string_equal(json_str_at(r, "body"), "plain text");
    assert_true(json_object_is_type(json_at(r, "body"), json_type_string));
    assert_string_equal(json_str_at(r, "headers.content-type"), "text/plain; charset=utf-8");
    json_object_put(r);

    r = fetch_ok(f, fetch_url(&srv, "/created"), "{\"method\":\"POST\"}", NULL, NULL);
    assert_true(json_object_get_boolean(json_at(r, "ok")));
    assert_int_equal(json_object_get_int(json_at(r, "status")), 201);
    assert_string_equal(json_str_at(r, "statusText"), "Created");
    assert_int_equal(json_object_get_int(json_at(json_at(r, "body"), "id")), 7);
    json_object_put(r);

    r = fetch_ok(f, fetch_url(&srv, "/json"), "{\"method\":\"HEAD\"}", NULL, NULL);
    assert_int_equal(json_object_get_int(json_at(r, "status")), 200);
    assert_string_equal(json_str_at(r, "body"), "");
    json_object_put(r);
    rt_fetcher_free(f);
}

static void test_error_statuses(void **state)
{
    (void)state;
    static const struct {
        const char *path, *name, *message;
        int status;
    } cases[] = {
        {"/status/401", "AuthenticationError", "HTTP 401: Unauthorized", 0},
        {"/status/403", "AuthorizationError", "HTTP 403: Forbidden", 0},
        {"/status/404", "HttpError", "HTTP 404: Not Found", 404},
        {"/status/400", "HttpError", "HTTP 400: Bad Request", 400},
        {"/status/429", "RateLimitError", "HTTP 429: Too Many Requests", 0},
        {"/status/503", "ServiceUnavailableError", "HTTP 503: Service Unavailable", 0},
        {"/status/500", "ServiceUnavailableError", "HTTP 500: Internal Server Error", 0},
        {"/status/304", "NetworkError", "HTTP 304: Not Modified", 0},
    };
    rt_fetcher *f = rt_fetcher_new(NULL);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int status = -1;
        char *msg =
            fetch_err(f, fetch_url(&srv, cases[i].path), NULL, NULL, cases[i].name, &status);
        assert_string_equal(msg, cases[i].message);
        assert_int_equal(status, cases[i].status);
        free(msg);
    }
    struct json_object *calls = rt_fetcher_calls(f);
    struct json_object *c = json_object_array_get_idx(calls, 0);
    assert_int_equal(json_object_get_int(json_at(c, "status")), 401);
    assert_string_equal(json_str_at(c, "error"), "AuthenticationError: HTTP 401: Unauthorized");
    rt_fetcher_free(f);
}

static void test_redirects(void **state)
{
    (void)state;
    rt_fetch_config cfg = rt_fetch_config_defaults();
    cfg.max_redirects = 3;
    rt_fetcher *f = rt_fetcher_new(&cfg);
    struct json_object *r = fetch_ok(f, fetch_url(&srv, "/redirect/3"), NULL, NULL, NULL);
    assert_string_equal(json_str_at(r, "body"), "landed");
    json_object_put(r);

    char expected[512];
    snprintf(expected, sizeof expected, "too many redirects from %s (the limit is 3)",
             fetch_url(&srv, "/redirect/5"));
    fetch_expect_err(f, fetch_url(&srv, "/redirect/5"), NULL, NULL, "NetworkError", expected);

    /* Redirects go to http and https only. */
    snprintf(expected, sizeof expected,
             "fetch GET %s failed: redirected to ftp://127.0.0.1/file, which is not http or https",
             fetch_url(&srv, "/to-ftp"));
    fetch_expect_err(f, fetch_url(&srv, "/to-ftp"), NULL, NULL, "NetworkError", expected);
    rt_fetcher_free(f);

    cfg.max_redirects = 0; /* not followed: the 302 is the answer */
    f = rt_fetcher_new(&cfg);
    fetch_expect_err(f, fetch_url(&srv, "/redirect/1"), NULL, NULL, "NetworkError",
                     "HTTP 302: Found");
    rt_fetcher_free(f);
}

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void test_timeout(void **state)
{
    (void)state;
    rt_fetch_config cfg = rt_fetch_config_defaults();
    cfg.timeout_ms = 200;
    rt_fetcher *f = rt_fetcher_new(&cfg);
    char expected[512];
    snprintf(expected, sizeof expected, "fetch timed out after 200 ms: %s",
             fetch_url(&srv, "/slow"));
    int64_t t0 = mono_ms();
    fetch_expect_err(f, fetch_url(&srv, "/slow"), NULL, NULL, "TimeoutError", expected);
    int64_t took = mono_ms() - t0;
    /* The server would answer after one second: the timeout, not the server, ended it. */
    assert_true(took >= 150);
    assert_true(took < 900);
    fetch_server_release_slow(&srv);
    /* The fetcher is usable again afterwards. */
    struct json_object *r = fetch_ok(f, fetch_url(&srv, "/text"), NULL, NULL, NULL);
    json_object_put(r);
    rt_fetcher_free(f);
}

static void test_response_limit(void **state)
{
    (void)state;
    rt_fetch_config cfg = rt_fetch_config_defaults();
    cfg.max_response_bytes = 1000;
    rt_fetcher *f = rt_fetcher_new(&cfg);
    const char *paths[] = {"/big", "/big-chunked"}; /* with and without Content-Length */
    for (size_t i = 0; i < 2; i++) {
        char expected[512];
        snprintf(expected, sizeof expected, "response from %s exceeds the limit of 1000 bytes",
                 fetch_url(&srv, paths[i]));
        fetch_expect_err(f, fetch_url(&srv, paths[i]), NULL, NULL, "NetworkError", expected);
    }
    rt_fetcher_free(f);

    f = rt_fetcher_new(NULL);
    for (size_t i = 0; i < 2; i++) {
        struct json_object *r = fetch_ok(f, fetch_url(&srv, paths[i]), NULL, NULL, NULL);
        assert_int_equal(json_object_get_string_len(json_at(r, "body")), FETCH_BIG_SIZE);
        json_object_put(r);
    }
    rt_fetcher_free(f);
}

/* POST/PUT/... to /echo and return what the server saw. */
static struct json_object *echo_of(rt_fetcher *f, const char *opts, const char *body)
{
    struct json_object *r = fetch_ok(f, fetch_url(&srv, "/echo"), opts, body, NULL);
    struct json_object *seen = json_object_get(json_at(r, "body"));
    json_object_put(r);
    assert_true(json_object_is_type(seen, json_type_object));
    return seen;
}

static void test_body_encoding(void **state)
{
    (void)state;
    rt_fetcher *f = rt_fetcher_new(NULL);

    /* an object: its JSON text, with the default content type */
    struct json_object *e = echo_of(f, "{\"method\":\"POST\"}", "{\"a\":1,\"b\":[true,null]}");
    assert_string_equal(json_str_at(e, "method"), "POST");
    assert_string_equal(json_str_at(e, "body"), "{\"a\":1,\"b\":[true,null]}");
    assert_string_equal(json_str_at(e, "content_type"), "application/json");
    assert_string_equal(json_str_at(e, "user_agent"), "Ratchet/1.0");
    json_object_put(e);

    /* a string with a form content type: sent raw */
    e = echo_of(f,
                "{\"method\":\"POST\",\"headers\":{\"Content-Type\":"
                "\"application/x-www-form-urlencoded; charset=utf-8\",\"X-Test\":\"yes\"}}",
                "\"a=1&b=two%20words\"");
    assert_string_equal(json_str_at(e, "body"), "a=1&b=two%20words");
    assert_string_equal(json_str_at(e, "content_type"),
                        "application/x-www-form-urlencoded; charset=utf-8");
    assert_string_equal(json_str_at(e, "x_test"), "yes");
    json_object_put(e);

    /* a string without a form content type: JSON-encoded, as the original does */
    e = echo_of(f, "{\"method\":\"POST\"}", "\"a=1\"");
    assert_string_equal(json_str_at(e, "body"), "\"a=1\"");
    assert_string_equal(json_str_at(e, "content_type"), "application/json");
    json_object_put(e);

    /* the script's content type wins; lower-case methods are accepted */
    e = echo_of(f, "{\"method\":\"put\",\"headers\":{\"content-type\":\"text/plain\"}}", "[1,2]");
    assert_string_equal(json_str_at(e, "method"), "PUT");
    assert_string_equal(json_str_at(e, "body"), "[1,2]");
    assert_string_equal(json_str_at(e, "content_type"), "text/plain");
    json_object_put(e);

    e = echo_of(f, "{\"method\":\"PATCH\",\"headers\":{\"User-Agent\":\"mine/2\"}}", "{}");
    assert_string_equal(json_str_at(e, "method"), "PATCH");
    assert_string_equal(json_str_at(e, "user_agent"), "mine/2");
    json_object_put(e);

    /* no body: nothing sent, no content type invented; null counts as no body */
    e = echo_of(f, "{\"method\":\"DELETE\"}", NULL);
    assert_string_equal(json_str_at(e, "method"), "DELETE");
    assert_string_equal(json_str_at(e, "body"), "");
    assert_null(json_at(e, "content_type"));
    json_object_put(e);
    e = echo_of(f, "{\"method\":\"POST\"}", "null");
    assert_string_equal(json_str_at(e, "body"), "");
    assert_string_equal(json_str_at(e, "content_length"), "0");
    assert_null(json_at(e, "content_type"));
    json_object_put(e);

    /* GET with no options at all, or null */
    e = echo_of(f, NULL, NULL);
    assert_string_equal(json_str_at(e, "method"), "GET");
    json_object_put(e);
    e = echo_of(f, "null", NULL);
    assert_string_equal(json_str_at(e, "method"), "GET");
    json_object_put(e);

    /* a large body is sent at once, without Expect: 100-continue */
    char *big = malloc(200003);
    big[0] = '"';
    memset(big + 1, 'q', 200000);
    memcpy(big + 200001, "\"", 2);
    e = echo_of(f, "{\"method\":\"POST\"}", big);
    assert_int_equal(strlen(json_str_at(e, "body")), 200002);
    json_object_put(e);
    free(big);
    rt_fetcher_free(f);
}

static void test_bad_arguments(void **state)
{
    (void)state;
    rt_fetcher *f = rt_fetcher_new(NULL);
    int before = fetch_server_requests(&srv);
    const char *u = fetch_url(&srv, "/echo");
    fetch_expect_err(f, u, "{\"method\":\"FOO\"}", NULL, "Error",
                     "fetch: unsupported method 'FOO' (use GET, HEAD, POST, PUT, PATCH, DELETE or "
                     "OPTIONS)");
    fetch_expect_err(f, u, "{\"method\":7}", NULL, "Error",
                     "fetch: method must be a string, not number");
    fetch_expect_err(f, u, "{\"headers\":{\"X-N\":5}}", NULL, "Error",
                     "fetch: header 'X-N' must be a string, not number");
    fetch_expect_err(f, u, "{\"headers\":{\"X-A\":\"a\\r\\nX-B: b\"}}", NULL, "Error",
                     "fetch: header 'X-A' must not contain line breaks or NUL");
    fetch_expect_err(f, u, "{\"headers\":{\"Bad Name\":\"v\"}}", NULL, "Error",
                     "fetch: invalid header name 'Bad Name'");
    fetch_expect_err(f, u, "{\"headers\":[1]}", NULL, "Error",
                     "fetch: headers must be an object, not array");
    fetch_expect_err(f, u, "\"GET\"", NULL, "Error",
                     "fetch: options must be an object, not string");
    fetch_expect_err(f, "ftp://127.0.0.1/x", NULL, NULL, "Error",
                     "fetch: only http and https URLs are allowed: ftp://127.0.0.1/x");
    fetch_expect_err(f, "file:///etc/passwd", NULL, NULL, "Error",
                     "fetch: only http and https URLs are allowed: file:///etc/passwd");
    fetch_expect_err(f, "/relative", NULL, NULL, "Error",
                     "fetch: only http and https URLs are allowed: /relative");
    fetch_expect_err(f, "http:///x", NULL, NULL, "Error",
                     "fetch: invalid URL (no host): http:///x");
    fetch_expect_err(f, "http://a b/", NULL, NULL, "Error",
                     "fetch: invalid URL (spaces and control characters must be percent-encoded): "
                     "http://a b/");
    fetch_expect_err(f, "", NULL, NULL, "Error", "fetch: a URL is required");
    fetch_expect_err(f, u, "{\"method\":", NULL, "Error",
                     "fetch: the options are not valid JSON (unexpected end of data)");
    assert_int_equal(fetch_server_requests(&srv), before); /* none reached the server */

    ratchet_fetch_call call;
    memset(&call, 0, sizeof call);
    assert_int_equal(rt_fetch_callback(NULL, &call), RATCHET_ERR);
    assert_int_equal(rt_fetch_callback(f, NULL), RATCHET_ERR);
    rt_fetcher_free(f);
}

static void test_connection_refused(void **state)
{
    (void)state;
    fetch_server gone;
    fetch_server_start(&gone);
    char url[128];
    snprintf(url, sizeof url, "%s/json", gone.base);
    fetch_server_stop(&gone); /* the port is free now: nothing listens on it */
    rt_fetcher *f = rt_fetcher_new(NULL);
    char *msg = fetch_err(f, url, NULL, NULL, "NetworkError", NULL);
    char prefix[256];
    snprintf(prefix, sizeof prefix, "fetch GET %s failed: ", url);
    assert_memory_equal(msg, prefix, strlen(prefix));
    assert_non_null(strstr(msg, "onnect"));
    free(msg);
    struct json_object *c = json_object_array_get_idx(rt_fetcher_calls(f), 0);
    assert_int_equal(json_object_get_int(json_at(c, "status")), 0);
    assert_non_null(strstr(json_str_at(c, "error"), "NetworkError: fetch GET"));
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
        cmocka_unit_test(test_json_response),
        cmocka_unit_test(test_text_created_head),
        cmocka_unit_test(test_error_statuses),
        cmocka_unit_test(test_redirects),
        cmocka_unit_test(test_timeout),
        cmocka_unit_test(test_response_limit),
        cmocka_unit_test(test_body_encoding),
        cmocka_unit_test(test_bad_arguments),
        cmocka_unit_test(test_connection_refused),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
