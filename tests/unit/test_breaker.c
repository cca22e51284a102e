/* tests/unit/test_breaker.c - circuit breakers per host (engine/breaker.c) and the W3C trace
 * context of jobs (engine/trace.c): host keys, the closed/open/half-open machine on a clock the
 * test moves, the refusal message, metrics; traceparent parsing, trace ids in a job's meta. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "breaker.h"
#include "trace.h"

#define T0 1796400000000LL /* 2026-12-04T... in ms */

static void configure(int failures, int64_t cool_down_ms)
{
    rt_breakers_reset();
    rt_breaker_config c = {1, failures, cool_down_ms};
    rt_breaker_configure(RT_BREAKER_FETCH, &c);
}

static rt_breaker_pass call(const char *url, int64_t now, int failed)
{
    rt_breaker_pass p;
    rt_breaker_enter(RT_BREAKER_FETCH, url, now, &p);
    if (p.allowed)
        rt_breaker_leave(RT_BREAKER_FETCH, &p, failed, now);
    return p;
}

static void host_keys(void **state)
{
    (void)state;
    char h[RT_BREAKER_MAX_HOST];
    assert_int_equal(rt_breaker_host("https://API.Example.com/x?y", h), RATCHET_OK);
    assert_string_equal(h, "api.example.com:443");
    assert_int_equal(rt_breaker_host("http://user:pw@127.0.0.1:8080/", h), RATCHET_OK);
    assert_string_equal(h, "127.0.0.1:8080");
    assert_int_equal(rt_breaker_host("http://[::1]/a", h), RATCHET_OK);
    assert_string_equal(h, "[::1]:80");
    assert_int_equal(rt_breaker_host("http://[::1]:9000", h), RATCHET_OK);
    assert_string_equal(h, "[::1]:9000");
    assert_int_equal(rt_breaker_host("not a url", h), RATCHET_ERR);
    assert_int_equal(rt_breaker_host("http:///path", h), RATCHET_ERR);
}

static void opens_after_n_failures(void **state)
{
    (void)state;
    configure(3, 30000);
    const char *u = "http://flaky.test/a";
    assert_true(call(u, T0, 1).allowed);
    assert_true(call(u, T0, 1).allowed);
    assert_int_equal(rt_breaker_state_of(RT_BREAKER_FETCH, "flaky.test:80"), RT_BREAKER_CLOSED);
    assert_true(call(u, T0, 1).allowed);
    assert_int_equal(rt_breaker_state_of(RT_BREAKER_FETCH, "flaky.test:80"), RT_BREAKER_OPEN);
    rt_breaker_pass p = call("http://flaky.test/other-path", T0 + 1000, 0);
    assert_false(p.allowed);
    assert_int_equal(p.failures, 3);
    assert_int_equal(p.retry_at_ms, T0 + 30000);
    char msg[256];
    rt_breaker_refusal(&p, T0 + 1000, msg, sizeof msg);
    assert_non_null(strstr(msg, "circuit breaker open for flaky.test:80 after 3 consecutive "
                                "failures: not calling it until 2026-"));
    assert_non_null(strstr(msg, "(in 29 s)"));
    /* other hosts are not affected */
    assert_true(call("http://fine.test/", T0 + 1000, 0).allowed);
}

static void success_resets_the_count(void **state)
{
    (void)state;
    configure(2, 1000);
    const char *u = "http://h.test/";
    call(u, T0, 1);
    call(u, T0, 0); /* any answer resets */
    call(u, T0, 1);
    assert_int_equal(rt_breaker_state_of(RT_BREAKER_FETCH, "h.test:80"), RT_BREAKER_CLOSED);
    call(u, T0, -1); /* never reached the host: counts for nothing */
    assert_int_equal(rt_breaker_state_of(RT_BREAKER_FETCH, "h.test:80"), RT_BREAKER_CLOSED);
    call(u, T0, 1);
    assert_int_equal(rt_breaker_state_of(RT_BREAKER_FETCH, "h.test:80"), RT_BREAKER_OPEN);
}

static void one_probe_after_the_cool_down(void **state)
{
    (void)state;
    configure(1, 5000);
    const char *u = "http://p.test/";
    call(u, T0, 1);
    assert_false(call(u, T0 + 4999, 0).allowed);
    rt_breaker_pass probe;
    rt_breaker_enter(RT_BREAKER_FETCH, u, T0 + 5000, &probe);
    assert_true(probe.allowed);
    assert_true(probe.probe);
    assert_int_equal(rt_breaker_state_of(RT_BREAKER_FETCH, "p.test:80"), RT_BREAKER_HALF_OPEN);
    /* while the probe runs, the others are refused */
    rt_breaker_pass other;
    rt_breaker_enter(RT_BREAKER_FETCH, u, T0 + 5001, &other);
    assert_false(other.allowed);
    /* the probe fails: open again, for a new cool-down */
    rt_breaker_leave(RT_BREAKER_FETCH, &probe, 1, T0 + 5100);
    assert_int_equal(rt_breaker_state_of(RT_BREAKER_FETCH, "p.test:80"), RT_BREAKER_OPEN);
    assert_false(call(u, T0 + 10000, 0).allowed);
    /* the next probe succeeds: closed */
    rt_breaker_pass p2 = call(u, T0 + 10100, 0);
    assert_true(p2.allowed && p2.probe);
    assert_int_equal(rt_breaker_state_of(RT_BREAKER_FETCH, "p.test:80"), RT_BREAKER_CLOSED);
    assert_true(call(u, T0 + 10101, 0).allowed);
}

static void disabled_and_metrics(void **state)
{
    (void)state;
    configure(1, 1000);
    call("http://m.test/", T0, 1);
    call("http://m.test/", T0 + 1, 0);
    ratchet_buf b = RATCHET_BUF_INIT;
    rt_breaker_metrics(&b);
    assert_non_null(strstr(b.data, "# TYPE ratchet_circuit_breaker_state gauge"));
    assert_non_null(
        strstr(b.data, "ratchet_circuit_breaker_state{scope=\"fetch\",host=\"m.test:80\"} 1"));
    assert_non_null(strstr(
        b.data, "ratchet_circuit_breaker_rejected_total{scope=\"fetch\",host=\"m.test:80\"} 1"));
    rt_buf_free(&b);
    rt_breakers_reset(); /* disabled: everything passes, nothing is tracked */
    for (int i = 0; i < 10; i++)
        assert_true(call("http://m.test/", T0, 1).allowed);
    assert_int_equal(rt_breaker_state_of(RT_BREAKER_FETCH, "m.test:80"), RT_BREAKER_CLOSED);
}

static void traceparent_parsing(void **state)
{
    (void)state;
    char t[33], s[17];
    rt_error err;
    assert_int_equal(
        rt_traceparent_parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", t, s, &err),
        RATCHET_OK);
    assert_string_equal(t, "4bf92f3577b34da6a3ce929d0e0e4736");
    assert_string_equal(s, "00f067aa0ba902b7");
    /* a later version may append fields */
    assert_int_equal(
        rt_traceparent_parse("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra", t, s,
                             &err),
        RATCHET_OK);
    assert_int_equal(
        rt_traceparent_parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra", t, s,
                             &err),
        RATCHET_ERR);
    assert_int_equal(
        rt_traceparent_parse("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01", t, s, &err),
        RATCHET_ERR);
    assert_non_null(strstr(err.msg, "traceparent must be 00-<32 lowercase hex>"));
    assert_int_equal(
        rt_traceparent_parse("00-00000000000000000000000000000000-00f067aa0ba902b7-01", t, s, &err),
        RATCHET_ERR);
    assert_string_equal(err.msg, "traceparent: the trace id must not be all zeros");
    assert_int_equal(
        rt_traceparent_parse("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", t, s, &err),
        RATCHET_ERR);
    assert_string_equal(err.msg, "traceparent: the parent span id must not be all zeros");
    assert_int_equal(
        rt_traceparent_parse("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", t, s, &err),
        RATCHET_ERR);
    assert_int_equal(rt_traceparent_parse("", t, s, &err), RATCHET_ERR);
    char out[56];
    rt_traceparent_format("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", out);
    assert_string_equal(out, "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
}

static void ids_and_meta(void **state)
{
    (void)state;
    char a[33], b[33], sp[17];
    rt_trace_new_id(a);
    rt_trace_new_id(b);
    rt_trace_new_span(sp);
    assert_int_equal(strlen(a), 32);
    assert_int_equal(strspn(a, "0123456789abcdef"), 32);
    assert_int_equal(strlen(sp), 16);
    assert_string_not_equal(a, b);
    /* ids sort by creation (the time first), the rest random */
    assert_true(strncmp(a, b, 12) <= 0);
    assert_string_not_equal(a + 12, b + 12);
    char head[13];
    memcpy(head, b, 12);
    head[12] = '\0';
    long long ms = strtoll(head, NULL, 16);
    assert_true(llabs(ms - rt_trace_now_ns() / 1000000) < 60000);
    /* a new trace in meta text; outputs kept */
    char *m = rt_trace_stamp_text("{\"outputs\":[]}", 1234);
    struct json_object *o = json_tokener_parse(m), *v;
    assert_true(json_object_object_get_ex(o, "outputs", NULL));
    assert_true(json_object_object_get_ex(o, "traceId", &v));
    assert_int_equal(strlen(json_object_get_string(v)), 32);
    assert_true(json_object_object_get_ex(o, "queuedAtMs", &v));
    assert_int_equal(json_object_get_int64(v), 1234);
    /* stamping again keeps the trace */
    char *again = rt_trace_stamp_text(m, 99);
    assert_string_equal(again, m);
    free(again);
    free(m);
    json_object_put(o);
    assert_null(rt_trace_stamp_text("[1]", 1)); /* not an object: the caller keeps its own */
    /* from a traceparent: its trace and parent span */
    struct json_object *meta = NULL;
    rt_error err;
    assert_int_equal(
        rt_trace_stamp(&meta, "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", 5, &err),
        RATCHET_OK);
    assert_string_equal(json_object_get_string(json_object_object_get(meta, "traceId")),
                        "4bf92f3577b34da6a3ce929d0e0e4736");
    assert_string_equal(json_object_get_string(json_object_object_get(meta, "traceParent")),
                        "00f067aa0ba902b7");
    json_object_put(meta);
    meta = NULL;
    assert_int_equal(rt_trace_stamp(&meta, "garbage", 5, &err), RATCHET_ERR);
    assert_null(meta);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(host_keys),
        cmocka_unit_test(opens_after_n_failures),
        cmocka_unit_test(success_resets_the_count),
        cmocka_unit_test(one_probe_after_the_cool_down),
        cmocka_unit_test(disabled_and_metrics),
        cmocka_unit_test(traceparent_parsing),
        cmocka_unit_test(ids_and_meta),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    rt_breakers_reset();
    return rc;
}
