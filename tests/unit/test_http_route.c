/* Unit tests of the http plugin's pure parts: percent-decoding, query strings, path
 * segments and the route table (plugins/http/http_url.c, http_route.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "http_url.h"

static void decode(const char *in, int plus, const char *want)
{
    char buf[128];
    snprintf(buf, sizeof buf, "%s", in);
    assert_int_equal(mhd_percent_decode(buf, plus), 0);
    assert_string_equal(buf, want);
}

static void decode_fails(const char *in)
{
    char buf[128];
    snprintf(buf, sizeof buf, "%s", in);
    assert_int_equal(mhd_percent_decode(buf, 0), -1);
}

static void test_percent_decode(void **state)
{
    (void)state;
    decode("a%20b", 0, "a b");
    decode("%2f%2F", 0, "//");
    decode("a+b", 0, "a+b");
    decode("a+b", 1, "a b");
    decode("%C3%A9t%C3%A9", 0, "\xc3\xa9t\xc3\xa9");
    decode("", 0, "");
    decode_fails("%");
    decode_fails("%4");
    decode_fails("%zz");
    decode_fails("ab%g1");
    decode_fails("%00"); /* an escaped NUL would cut the string */
}

static void test_query(void **state)
{
    (void)state;
    mhd_query q;
    assert_int_equal(mhd_query_parse("a=1&b=x%20y&a=2&flag&&c=&d=p+q", &q), 0);
    assert_int_equal(q.n, 6);
    const char *want[][2] = {{"a", "1"},   {"b", "x y"}, {"a", "2"},
                             {"flag", ""}, {"c", ""},    {"d", "p q"}};
    for (size_t i = 0; i < 6; i++) {
        assert_string_equal(q.keys[i], want[i][0]);
        assert_string_equal(q.values[i], want[i][1]);
    }
    mhd_query_free(&q);

    assert_int_equal(mhd_query_parse("k%3D=v%26w=x", &q), 0); /* escaped = and & are data */
    assert_int_equal(q.n, 1);
    assert_string_equal(q.keys[0], "k=");
    assert_string_equal(q.values[0], "v&w=x");
    mhd_query_free(&q);

    assert_int_equal(mhd_query_parse(NULL, &q), 0);
    assert_int_equal(q.n, 0);
    assert_int_equal(mhd_query_parse("a=%zz", &q), -1);
    assert_int_equal(q.n, 0);

    char many[MHD_MAX_QUERY_ARGS * 4 + 16] = "";
    for (int i = 0; i <= MHD_MAX_QUERY_ARGS; i++)
        strcat(many, "a=1&");
    assert_int_equal(mhd_query_parse(many, &q), -2);
}

static void test_path(void **state)
{
    (void)state;
    mhd_path p;
    assert_int_equal(mhd_path_parse("/a%2Fb/c%20d", &p), 0);
    assert_string_equal(p.decoded, "/a/b/c d");
    assert_int_equal(p.nseg, 2);
    assert_string_equal(p.segs[0], "a/b"); /* an escaped slash stays inside its segment */
    assert_string_equal(p.segs[1], "c d");
    mhd_path_free(&p);

    assert_int_equal(mhd_path_parse("/", &p), 0);
    assert_int_equal(p.nseg, 0);
    mhd_path_free(&p);

    assert_int_equal(mhd_path_parse("/jobs/", &p), 0);
    assert_int_equal(p.nseg, 2);
    assert_string_equal(p.segs[1], "");
    mhd_path_free(&p);

    assert_int_equal(mhd_path_parse("jobs", &p), -1);
    assert_int_equal(mhd_path_parse("*", &p), -1);
    assert_int_equal(mhd_path_parse("/a/%zz", &p), -1);
    char deep[MHD_MAX_SEGMENTS * 2 + 8] = "";
    for (int i = 0; i <= MHD_MAX_SEGMENTS; i++)
        strcat(deep, "/a");
    assert_int_equal(mhd_path_parse(deep, &p), -2);
}

static void h_a(void *user, ratchet_http_request *req)
{
    (void)user;
    (void)req;
}

#define ROUTE(m, p, s)                                                                             \
    {                                                                                              \
        RATCHET_ABI_INIT(ratchet_http_route), m, p, s, h_a, (void *)(p)                            \
    }

static ratchet_ctx *const owner_a = (ratchet_ctx *)&owner_a;
static ratchet_ctx *const owner_b = (ratchet_ctx *)&owner_b;

static const ratchet_http_route jobs[] = {
    ROUTE("GET", "/api/v1/jobs", RATCHET_HTTP_READ),
    ROUTE("POST", "/api/v1/jobs", RATCHET_HTTP_WRITE),
    ROUTE("GET", "/api/v1/jobs/{id}", RATCHET_HTTP_READ),
    ROUTE("DELETE", "/api/v1/jobs/{id}", RATCHET_HTTP_WRITE),
    ROUTE("GET", "/api/v1/jobs/stats", RATCHET_HTTP_READ),
    ROUTE("POST", "/api/v1/jobs/{id}/cancel", RATCHET_HTTP_WRITE),
    ROUTE("GET", "/ui/*", RATCHET_HTTP_PUBLIC),
    ROUTE("GET", "/", RATCHET_HTTP_PUBLIC),
};

/* Look `method path` up; returns the lookup result and the matched pattern or Allow. */
static mhd_lookup find(mhd_routes *t, const char *method, const char *path, char *out,
                       size_t outlen)
{
    mhd_path p;
    mhd_found f;
    assert_int_equal(mhd_path_parse(path, &p), 0);
    mhd_lookup rc = mhd_routes_find(t, method, p.segs, p.nseg, &f, out, outlen);
    if (rc == MHD_LOOKUP_FOUND) {
        snprintf(out, outlen, "%s", f.pattern);
        assert_ptr_equal(f.user, f.user);
        mhd_routes_done(t, f.owner);
        mhd_found_free(&f);
    }
    mhd_path_free(&p);
    return rc;
}

static void test_match(void **state)
{
    (void)state;
    mhd_routes t;
    char err[256], out[256];
    assert_int_equal(mhd_routes_init(&t), 0);
    assert_int_equal(
        mhd_routes_add(&t, owner_a, jobs, sizeof jobs / sizeof jobs[0], err, sizeof err), 0);
    assert_int_equal(find(&t, "GET", "/api/v1/jobs/stats", out, sizeof out), MHD_LOOKUP_FOUND);
    assert_string_equal(out, "/api/v1/jobs/stats"); /* literal beats {id} */
    assert_int_equal(find(&t, "GET", "/api/v1/jobs/42", out, sizeof out), MHD_LOOKUP_FOUND);
    assert_string_equal(out, "/api/v1/jobs/{id}");
    /* DELETE on the literal path: the {id} route has the method, so it wins over a 405. */
    assert_int_equal(find(&t, "DELETE", "/api/v1/jobs/stats", out, sizeof out), MHD_LOOKUP_FOUND);
    assert_string_equal(out, "/api/v1/jobs/{id}");
    assert_int_equal(find(&t, "HEAD", "/api/v1/jobs", out, sizeof out), MHD_LOOKUP_FOUND);
    assert_string_equal(out, "/api/v1/jobs");
    assert_int_equal(find(&t, "PUT", "/api/v1/jobs/7", out, sizeof out), MHD_LOOKUP_NO_METHOD);
    assert_string_equal(out, "GET, HEAD, DELETE, OPTIONS");
    assert_int_equal(find(&t, "GET", "/api/v1/jobs/7/cancel", out, sizeof out),
                     MHD_LOOKUP_NO_METHOD);
    assert_string_equal(out, "POST, OPTIONS");
    assert_int_equal(find(&t, "GET", "/api/v1/jobs/", out, sizeof out), MHD_LOOKUP_NO_PATH);
    assert_int_equal(find(&t, "GET", "/api/v1/nope", out, sizeof out), MHD_LOOKUP_NO_PATH);
    assert_int_equal(find(&t, "GET", "/ui", out, sizeof out), MHD_LOOKUP_FOUND); /* * = "" */
    assert_string_equal(out, "/ui/*");
    assert_int_equal(find(&t, "GET", "/ui/", out, sizeof out), MHD_LOOKUP_FOUND);
    assert_int_equal(find(&t, "GET", "/ui/a/b.js", out, sizeof out), MHD_LOOKUP_FOUND);
    assert_string_equal(out, "/ui/*");
    assert_int_equal(find(&t, "GET", "/", out, sizeof out), MHD_LOOKUP_FOUND);
    assert_string_equal(out, "/");

    mhd_path p;
    assert_int_equal(mhd_path_parse("/api/v1/jobs/1", &p), 0);
    assert_int_equal(mhd_routes_allow(&t, p.segs, p.nseg, out, sizeof out), 1);
    assert_string_equal(out, "GET, HEAD, DELETE, OPTIONS");
    mhd_path_free(&p);
    mhd_routes_destroy(&t);
}

static void mount_fails(mhd_routes *t, const char *method, const char *pattern, const char *why)
{
    char err[256];
    ratchet_http_route r = ROUTE(method, pattern, RATCHET_HTTP_READ);
    assert_int_equal(mhd_routes_add(t, owner_b, &r, 1, err, sizeof err), -1);
    if (!strstr(err, why))
        fail_msg("mount %s %s: '%s' lacks '%s'", method, pattern, err, why);
}

static void test_mount_errors(void **state)
{
    (void)state;
    mhd_routes t;
    char err[256], out[64];
    assert_int_equal(mhd_routes_init(&t), 0);
    assert_int_equal(mhd_routes_add(&t, owner_a, jobs, 3, err, sizeof err), 0);
    mount_fails(&t, "GET", "/api/v1/jobs/{other}", "already mounted (as /api/v1/jobs/{id})");
    mount_fails(&t, "HEAD", "/x", "method must be GET, POST, PUT, PATCH or DELETE");
    mount_fails(&t, "GET", "x", "pattern must start with '/'");
    mount_fails(&t, "GET", "/a/*/b", "'*' must be the last segment");
    mount_fails(&t, "GET", "/a/{b-c}", "parameter '{b-c}' is not {[A-Za-z0-9_]+}");
    mount_fails(&t, "GET", "/a/{x}/{x}", "parameter {x} appears twice");
    mount_fails(&t, "GET", "/a//b", "segment '' is empty");
    mount_fails(&t, "GET", "/a b", "segment 'a b' is empty or has a character outside");

    /* All or nothing: the good first route of a failing table is not mounted. */
    ratchet_http_route two[] = {ROUTE("GET", "/fresh", RATCHET_HTTP_READ),
                                ROUTE("GET", "/api/v1/jobs", RATCHET_HTTP_READ)};
    assert_int_equal(mhd_routes_add(&t, owner_b, two, 2, err, sizeof err), -1);
    assert_int_equal(find(&t, "GET", "/fresh", out, sizeof out), MHD_LOOKUP_NO_PATH);
    mhd_routes_destroy(&t);
}

static void test_params(void **state)
{
    (void)state;
    mhd_path p;
    char **names, **values;
    size_t n;
    assert_int_equal(mhd_path_parse("/jobs/a%2Fb/x/y%20z", &p), 0);
    assert_int_equal(mhd_params_bind("/jobs/{id}/*", p.segs, p.nseg, &names, &values, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(names[0], "id");
    assert_string_equal(values[0], "a/b");
    assert_string_equal(names[1], "*");
    assert_string_equal(values[1], "x/y z");
    mhd_params_free(names, values, n);
    mhd_path_free(&p);
}

typedef struct listing {
    char text[512];
} listing;

static void list_one(void *arg, const char *method, const char *pattern, ratchet_http_scope scope,
                     ratchet_ctx *owner)
{
    listing *l = arg;
    size_t off = strlen(l->text);
    snprintf(l->text + off, sizeof l->text - off, "%s %s %d %s;", method, pattern, (int)scope,
             owner == owner_a ? "a" : "b");
}

static void test_unmount_and_list(void **state)
{
    (void)state;
    mhd_routes t;
    char err[256], out[64];
    assert_int_equal(mhd_routes_init(&t), 0);
    assert_int_equal(mhd_routes_add(&t, owner_a, jobs, 3, err, sizeof err), 0);
    ratchet_http_route b = ROUTE("GET", "/b", RATCHET_HTTP_ADMIN);
    assert_int_equal(mhd_routes_add(&t, owner_b, &b, 1, err, sizeof err), 0);
    listing l = {""};
    mhd_routes_each(&t, list_one, &l);
    assert_string_equal(l.text, "GET /api/v1/jobs 1 a;POST /api/v1/jobs 2 a;"
                                "GET /api/v1/jobs/{id} 1 a;GET /b 3 b;");

    /* A running handler of owner a: unmount waits, gives up after the timeout, reports it. */
    mhd_path p;
    mhd_found f;
    assert_int_equal(mhd_path_parse("/api/v1/jobs", &p), 0);
    assert_int_equal(mhd_routes_find(&t, "GET", p.segs, p.nseg, &f, out, sizeof out),
                     MHD_LOOKUP_FOUND);
    assert_int_equal(mhd_routes_remove_owner(&t, owner_a, 20), 1);
    assert_int_equal(find(&t, "GET", "/api/v1/jobs", out, sizeof out), MHD_LOOKUP_NO_PATH);
    mhd_routes_done(&t, f.owner);
    mhd_found_free(&f);
    mhd_path_free(&p);
    assert_int_equal(mhd_routes_remove_owner(&t, owner_a, 20), 0);
    assert_int_equal(mhd_routes_remove_owner(&t, (ratchet_ctx *)&l, 20), 0); /* mounted nothing */
    assert_int_equal(find(&t, "GET", "/b", out, sizeof out), MHD_LOOKUP_FOUND);
    /* The same routes may be mounted again after unmount. */
    assert_int_equal(mhd_routes_add(&t, owner_a, jobs, 3, err, sizeof err), 0);
    mhd_routes_destroy(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_percent_decode),
        cmocka_unit_test(test_query),
        cmocka_unit_test(test_path),
        cmocka_unit_test(test_match),
        cmocka_unit_test(test_mount_errors),
        cmocka_unit_test(test_params),
        cmocka_unit_test(test_unmount_and_list),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
