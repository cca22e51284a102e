/*
 * test_api_rest.c - the api-rest plugin against a fake http interface and a fake engine
 * (api_rest_fakes.c): the route table matches the OpenAPI document in both directions; list
 * parameters become the engine's query and bad ones are 400s with their message; engine
 * errors map to statuses (details passed through); bodies are checked (415, malformed JSON,
 * types, enums, unknown fields); the envelopes; execute answers 200 from the final event,
 * 202 with wait=0 and on expiry; event streams write SSE frames, resume after Last-Event-ID
 * and close after the final status; stop() answers waiting executes and ends streams.
 */
#define _POSIX_C_SOURCE 200809L

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "api_rest_fakes.h"
#include "hostapi.h"

const ratchet_plugin_desc *ratchet_plugin_entry_api_rest(const ratchet_host_api *api);
extern const char rest_openapi[];

static const ratchet_plugin_desc *desc;
static ratchet_ctx *ctx;
static void *self;

static int setup(void **state)
{
    (void)state;
    const ratchet_host_api *h = rt_host_api();
    ctx = rt_ctx_new("rest", "api-rest");
    h->publish(ctx, RATCHET_ENGINE_INTERFACE, &fake_engine_api);
    h->publish(ctx, RATCHET_HTTP_INTERFACE, &fake_http_api);
    desc = ratchet_plugin_entry_api_rest(h);
    assert_non_null(desc);
    assert_non_null(desc->frontend);
    assert_int_equal(desc->frontend->life.create(ctx, NULL, &self), RATCHET_OK);
    assert_int_equal(desc->frontend->life.start(self), RATCHET_OK);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    desc->frontend->life.stop(self);
    desc->frontend->life.destroy(self);
    rt_host_api()->unpublish(ctx, RATCHET_ENGINE_INTERFACE);
    rt_host_api()->unpublish(ctx, RATCHET_HTTP_INTERFACE);
    rt_ctx_free(ctx);
    return 0;
}

/* Run a request and return it answered (the caller frees it). */
static ratchet_http_request *run(ratchet_http_request *req)
{
    fake_call(req);
    assert_true(fake_wait_answer(req));
    return req;
}

static void assert_has(const char *text, const char *needle)
{
    if (!text || !strstr(text, needle))
        fail_msg("expected '%s' in: %s", needle, text ? text : "(null)");
}

/* ---- the route table and the document ----------------------------------------------------- */

static void test_routes_match_openapi(void **state)
{
    (void)state;
    struct json_object *doc = json_tokener_parse(rest_openapi), *paths = NULL;
    assert_non_null(doc);
    assert_true(json_object_object_get_ex(doc, "paths", &paths));
    size_t documented = 0;
    json_object_object_foreach(paths, path, item)
    {
        json_object_object_foreach(item, method, op)
        {
            (void)op;
            char upper[8] = {0};
            for (size_t i = 0; i < sizeof upper - 1 && method[i]; i++)
                upper[i] = (char)(method[i] - 'a' + 'A');
            int served = 0;
            for (size_t i = 0; i < fake_nroutes; i++)
                served |= strcmp(fake_routes[i].method, upper) == 0 &&
                          strcmp(fake_routes[i].pattern, path) == 0;
            if (!served)
                fail_msg("documented but not served: %s %s", upper, path);
            documented++;
        }
    }
    for (size_t i = 0; i < fake_nroutes; i++) {
        struct json_object *entry = NULL, *op = NULL;
        char lower[8] = {0};
        for (size_t k = 0; k < sizeof lower - 1 && fake_routes[i].method[k]; k++)
            lower[k] = (char)(fake_routes[i].method[k] - 'A' + 'a');
        if (!json_object_object_get_ex(paths, fake_routes[i].pattern, &entry) ||
            !json_object_object_get_ex(entry, lower, &op))
            fail_msg("served but not documented: %s %s", fake_routes[i].method,
                     fake_routes[i].pattern);
    }
    assert_int_equal(documented, fake_nroutes);
    json_object_put(doc);
}

/* ---- lists ------------------------------------------------------------------------------ */

static void test_list_query_and_meta(void **state)
{
    (void)state;
    fake_reset();
    fake_eng.out = "{\"items\":[{\"id\":1}],\"total\":35}";
    ratchet_http_request *req = fake_request("GET", "/api/v1/jobs", NULL);
    fake_query(req, "page", "2");
    fake_query(req, "limit", "10");
    fake_query(req, "status", "QUEUED");
    fake_query(req, "task_id", "3");
    fake_query(req, "name_like", "add");
    fake_query(req, "id_in", "1,2");
    fake_query(req, "started_at_gte", "2026-01-01");
    fake_query(req, "_sort", "queued_at");
    fake_query(req, "_order", "DESC");
    run(req);
    assert_int_equal(req->status, 200);
    const char *q = fake_eng.last_arg;
    assert_has(q, "{\"field\":\"status\",\"op\":\"eq\",\"value\":\"queued\"}");
    assert_has(q, "{\"field\":\"taskId\",\"op\":\"eq\",\"value\":3}");
    assert_has(q, "{\"field\":\"name\",\"op\":\"like\",\"value\":\"add\"}");
    assert_has(q, "{\"field\":\"id\",\"op\":\"in\",\"value\":[1,2]}");
    assert_has(q, "{\"field\":\"startedAt\",\"op\":\"gte\",\"value\":\"2026-01-01\"}");
    assert_has(q, "\"sort\":\"queuedAt\",\"order\":\"desc\",\"offset\":10,\"limit\":10");
    assert_has(req->answer.data, "{\"data\":[{\"id\":1}],\"meta\":{\"pagination\":{\"page\":2,"
                                 "\"limit\":10,\"total\":35,\"totalPages\":4,\"hasNext\":true,"
                                 "\"hasPrevious\":true,\"offset\":10},\"timestamp\":\"");
    fake_request_free(req);

    fake_reset();
    fake_eng.out = "{\"items\":[],\"total\":0}";
    req = fake_request("GET", "/api/v1/tasks", NULL);
    fake_query(req, "_start", "5");
    fake_query(req, "_end", "15");
    run(req);
    assert_has(fake_eng.last_arg, "\"offset\":5,\"limit\":10");
    fake_request_free(req);
}

static void test_list_bad_parameters(void **state)
{
    (void)state;
    static const struct {
        const char *k1, *v1, *k2, *v2, *message;
    } cases[] = {
        {"limit", "500", NULL, NULL, "limit must be an integer from 1 to 100, not '500'"},
        {"limit", "0", NULL, NULL, "limit must be an integer from 1 to 100, not '0'"},
        {"page", "0", NULL, NULL, "page must be an integer from 1 to"},
        {"page", "two", NULL, NULL, "not 'two'"},
        {"_start", "5", "_end", "5", "_start (5) must be less than _end (5)"},
        {"_start", "0", "_end", "101", "_end - _start must be at most 100, not 101"},
        {"_start", "-1", "_end", "3", "_start must be an integer >= 0, not '-1'"},
        {"_order", "up", NULL, NULL, "_order must be asc or desc, not 'up'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fake_reset();
        ratchet_http_request *req = fake_request("GET", "/api/v1/executions", NULL);
        fake_query(req, cases[i].k1, cases[i].v1);
        if (cases[i].k2)
            fake_query(req, cases[i].k2, cases[i].v2);
        run(req);
        assert_int_equal(req->status, 400);
        assert_has(req->answer.data, "\"code\":\"VALIDATION_ERROR\"");
        assert_has(req->answer.data, cases[i].message);
        fake_request_free(req);
    }
}

/* ---- ids and engine errors ---------------------------------------------------------------- */

static void test_ids_and_engine_errors(void **state)
{
    (void)state;
    fake_reset();
    ratchet_http_request *req = run(fake_request("GET", "/api/v1/jobs/{id}", "abc"));
    assert_int_equal(req->status, 404);
    assert_has(req->answer.data, "job 'abc' not found");
    fake_request_free(req);

    static const struct {
        const char *err;
        int status;
        const char *expect;
    } cases[] = {
        {"{\"code\":\"NOT_FOUND\",\"message\":\"job 9 not found\"}", 404, "job 9 not found"},
        {"{\"code\":\"CONFLICT\",\"message\":\"job 9 is completed\"}", 409,
         "\"code\":\"CONFLICT\""},
        {"{\"code\":\"SERVICE_UNAVAILABLE\",\"message\":\"draining\"}", 503, "draining"},
        {"{\"code\":\"DATABASE_ERROR\",\"message\":\"disk I/O error\"}", 500, "disk I/O error"},
        {"{\"code\":\"VALIDATION_ERROR\",\"message\":\"input does not match\",\"details\":"
         "[{\"pointer\":\"/a\",\"message\":\"expected number\"}]}",
         400, "\"details\":[{\"pointer\":\"/a\",\"message\":\"expected number\"}]"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fake_reset();
        fake_eng.status = RATCHET_ERR;
        fake_eng.out = cases[i].err;
        req = run(fake_request("POST", "/api/v1/jobs/{id}/cancel", "9"));
        assert_int_equal(fake_eng.last_id, 9);
        assert_int_equal(req->status, cases[i].status);
        assert_has(req->answer.data, cases[i].expect);
        fake_request_free(req);
    }
}

/* ---- bodies ----------------------------------------------------------------------------- */

static void test_bodies(void **state)
{
    (void)state;
    static const struct {
        const char *ctype, *body;
        int status;
        const char *expect;
    } cases[] = {
        {"text/plain", "{}", 415, "the body must be application/json, not text/plain"},
        {"application/json", "{\"taskName\": ", 400, "malformed JSON body: "},
        {"application/json", "", 400, "a JSON object is required as the request body"},
        {"application/json", "[1]", 400, "the body must be a JSON object, not an array"},
        {"application/json", "{\"taskName\":\"a\",\"priority\":5}", 400,
         "field 'priority' must be a string, not an integer"},
        {"application/json", "{\"taskName\":\"a\",\"priority\":\"extreme\"}", 400,
         "field 'priority' must be one of low|normal|high|urgent|critical, not 'extreme'"},
        {"application/json", "{\"taskName\":\"a\",\"colour\":1}", 400,
         "unknown field 'colour' (allowed: taskId, taskName,"},
        {"application/json", "{\"taskName\":\"a\",\"maxRetries\":\"3\"}", 400,
         "field 'maxRetries' must be an integer, not a string"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fake_reset();
        ratchet_http_request *req = fake_request("POST", "/api/v1/jobs", NULL);
        fake_header(req, "Content-Type", cases[i].ctype);
        req->body = cases[i].body;
        run(req);
        assert_int_equal(req->status, cases[i].status);
        assert_has(req->answer.data, cases[i].expect);
        fake_request_free(req);
    }

    fake_reset();
    fake_eng.out = "{\"id\":12,\"status\":\"queued\"}";
    ratchet_http_request *req = fake_request("POST", "/api/v1/jobs", NULL);
    fake_header(req, "Content-Type", "application/json; charset=utf-8");
    req->body = "{\"taskName\":\"addition\",\"input\":{\"num1\":1},\"priority\":\"HIGH\"}";
    run(req);
    assert_int_equal(req->status, 201);
    assert_string_equal(req->answer.data, "{\"data\":{\"id\":12,\"status\":\"queued\"}}");
    assert_string_equal(req->location, "/api/v1/jobs/12");
    assert_has(fake_eng.last_arg, "\"input\":{\"num1\":1}");
    fake_request_free(req);
}

/* ---- envelopes -------------------------------------------------------------------------- */

static void test_envelopes(void **state)
{
    (void)state;
    fake_reset();
    fake_eng.out = "{\"id\":1,\"name\":\"addition\",\"enabled\":false}";
    ratchet_http_request *req = run(fake_request("POST", "/api/v1/tasks/{id}/disable", "addition"));
    assert_string_equal(fake_eng.last_arg, "addition");
    assert_int_equal(fake_eng.last_flag, 0);
    assert_string_equal(req->answer.data,
                        "{\"success\":true,\"message\":\"task addition disabled\","
                        "\"data\":{\"id\":1,\"name\":\"addition\",\"enabled\":false}}");
    fake_request_free(req);

    fake_reset();
    fake_eng.out = "{\"id\":4}";
    req = run(fake_request("POST", "/api/v1/schedules/{id}/trigger", "nightly"));
    assert_string_equal(req->answer.data, "{\"data\":{\"success\":true,\"message\":\"schedule "
                                          "nightly triggered\",\"job\":{\"id\":4}}}");
    fake_request_free(req);

    fake_reset();
    fake_eng.out = "{\"totalJobs\":3}";
    req = run(fake_request("GET", "/api/v1/jobs/stats", NULL));
    assert_string_equal(fake_eng.stats_resource, "jobs");
    assert_has(req->answer.data, "{\"stats\":{\"totalJobs\":3},\"timestamp\":\"");
    assert_has(req->answer.data, "\",\"period\":null}");
    fake_request_free(req);

    fake_reset();
    fake_eng.out = "[{\"id\":1,\"state\":\"idle\"},{\"id\":2,\"state\":\"busy\"}]";
    req = run(fake_request("GET", "/api/v1/workers", NULL));
    assert_has(req->answer.data, "{\"data\":[{\"id\":1,\"state\":\"idle\"},{\"id\":2,\"state\":"
                                 "\"busy\"}],\"meta\":{\"pagination\":{\"page\":1,\"limit\":2,"
                                 "\"total\":2,");
    fake_request_free(req);

    fake_reset();
    fake_eng.ready = 0;
    req = run(fake_request("GET", "/ready", NULL));
    assert_int_equal(req->status, 503);
    assert_has(req->answer.data, "SERVICE_UNAVAILABLE");
    fake_request_free(req);

    fake_reset();
    fake_eng.out = "ratchet_jobs{status=\"queued\"} 0\n";
    req = run(fake_request("GET", "/metrics", NULL));
    assert_string_equal(req->content_type, "text/plain; version=0.0.4; charset=utf-8");
    assert_string_equal(req->answer.data,
                        "ratchet_jobs{status=\"queued\"} 0\nratchet_http_requests_total 1\n");
    fake_request_free(req);
}

/* ---- execute ---------------------------------------------------------------------------- */

static void test_execute(void **state)
{
    (void)state;
    /* The final event is replayed from inside subscribe(): answered 200 by the reaper, with
     * durationMs from the execution record. */
    fake_reset();
    fake_eng.out = "{\"id\":7,\"status\":\"queued\"}";
    fake_eng.replay[0] =
        "{\"type\":\"status\",\"jobId\":7,\"executionId\":3,\"status\":\"running\"}";
    fake_eng.replay[1] = "{\"type\":\"status\",\"jobId\":7,\"executionId\":3,\"status\":"
                         "\"completed\",\"final\":true,\"output\":{\"sum\":3}}";
    fake_eng.nreplay = 2;
    ratchet_http_request *req = fake_request("POST", "/api/v1/tasks/{id}/execute", "addition");
    req->body = "{\"input\":{\"num1\":1,\"num2\":2}}";
    run(req);
    assert_true(req->deferred);
    assert_int_equal(fake_eng.sub_job, 7);
    assert_has(fake_eng.last_arg, "\"taskName\":\"addition\"");
    assert_int_equal(req->status, 200);
    assert_string_equal(req->answer.data, "{\"data\":{\"jobId\":7,\"executionId\":3,\"status\":"
                                          "\"completed\",\"output\":{\"sum\":3},\"error\":null,"
                                          "\"durationMs\":12}}");
    assert_true(fake_wait_unsubscribed());
    fake_request_free(req);

    /* wait=0: 202 at once, with where to follow the job. */
    fake_reset();
    fake_eng.out = "{\"id\":8,\"status\":\"queued\"}";
    req = fake_request("POST", "/api/v1/tasks/{id}/execute", "5");
    fake_query(req, "wait", "0");
    run(req);
    assert_int_equal(req->status, 202);
    assert_has(fake_eng.last_arg, "\"taskId\":5");
    assert_string_equal(req->location, "/api/v1/jobs/8");
    assert_has(req->answer.data, "\"links\":{\"job\":\"/api/v1/jobs/8\",\"events\":"
                                 "\"/api/v1/jobs/8/events\"}");
    assert_false(fake_eng.subscribed);
    fake_request_free(req);

    /* Nothing ends in time: on_expire answers 202 with the last status seen and the
     * subscription is ended by the reaper. */
    fake_reset();
    fake_eng.out = "{\"id\":9,\"status\":\"queued\"}";
    fake_eng.replay[0] = "{\"type\":\"status\",\"jobId\":9,\"status\":\"running\"}";
    fake_eng.nreplay = 1;
    req = fake_request("POST", "/api/v1/tasks/{id}/execute", "addition");
    fake_call(req);
    assert_int_equal(req->status, 0);
    fake_expire(req, RATCHET_HTTP_END_TIMEOUT);
    assert_int_equal(req->status, 202);
    assert_has(req->answer.data, "\"jobId\":9,\"status\":\"running\"");
    assert_true(fake_wait_unsubscribed());
    fake_request_free(req);

    /* Bad wait and bad task input are answered before anything is queued. */
    fake_reset();
    req = fake_request("POST", "/api/v1/tasks/{id}/execute", "addition");
    fake_query(req, "wait", "301");
    run(req);
    assert_int_equal(req->status, 400);
    assert_has(req->answer.data, "wait must be a number of seconds from 0 to 300, not '301'");
    fake_request_free(req);
}

/* The final event (an engine thread) and on_expire (an http thread) at the same moment:
 * exactly one answer, the subscription ended, nothing leaked (ASan). When the reaper claimed
 * the answer first, on_expire returns without answering and the reaper's respond() follows
 * (http.h allows it: the request stays valid until one respond() is accepted), so the answer
 * is waited for rather than expected when on_expire returns. */
static void *deliver_final(void *arg)
{
    (void)arg;
    fake_deliver(100, "{\"type\":\"status\",\"jobId\":11,\"executionId\":2,\"status\":"
                      "\"completed\",\"final\":true,\"output\":1,\"durationMs\":3}");
    return NULL;
}

static void test_execute_races(void **state)
{
    (void)state;
    for (int i = 0; i < 300; i++) {
        fake_reset();
        fake_eng.out = "{\"id\":11,\"status\":\"queued\"}";
        ratchet_http_request *req = fake_request("POST", "/api/v1/tasks/{id}/execute", "a");
        fake_call(req);
        pthread_t t;
        assert_int_equal(pthread_create(&t, NULL, deliver_final, NULL), 0);
        fake_expire(req, i % 2 ? RATCHET_HTTP_END_TIMEOUT : RATCHET_HTTP_END_CLOSED);
        pthread_join(t, NULL);
        assert_true(fake_wait_unsubscribed());
        assert_true(fake_wait_answer(req));
        assert_true(req->status == 200 || req->status == 202);
        assert_int_equal(req->responds, 1);
        if (req->status == 200)
            assert_has(req->answer.data, "\"status\":\"completed\",\"output\":1,\"error\":null,"
                                         "\"durationMs\":3");
        fake_request_free(req);
    }
}

/* ---- events ----------------------------------------------------------------------------- */

static void test_events(void **state)
{
    (void)state;
    fake_reset();
    fake_eng.out = "{\"id\":7,\"status\":\"running\"}";
    fake_eng.replay[0] = "{\"type\":\"log\",\"jobId\":7,\"message\":\"step 1\"}";
    fake_eng.replay[1] =
        "{\"type\":\"status\",\"jobId\":7,\"status\":\"completed\",\"final\":true}";
    fake_eng.replay[2] = "{\"type\":\"log\",\"jobId\":7,\"message\":\"never\"}";
    fake_eng.nreplay = 3;
    ratchet_http_request *req = fake_request("GET", "/api/v1/jobs/{id}/events", "7");
    fake_header(req, "Last-Event-ID", "5");
    fake_call(req);
    assert_non_null(req->stream);
    assert_string_equal(req->content_type, "text/event-stream");
    assert_int_equal(fake_eng.last_after, 5);
    assert_int_equal(fake_eng.sub_job, 7);
    assert_true(fake_wait_closed(req->stream));
    assert_string_equal(req->stream->written.data,
                        ":\n\nid: 6\nevent: log\ndata: {\"type\":\"log\",\"jobId\":7,\"message\":"
                        "\"step 1\"}\n\nid: 7\nevent: status\ndata: {\"type\":\"status\","
                        "\"jobId\":7,\"status\":\"completed\",\"final\":true}\n\n");
    assert_true(fake_wait_unsubscribed());
    fake_request_free(req);

    /* A job that ended long ago: one status event from its record. */
    fake_reset();
    fake_eng.out = "{\"id\":2,\"status\":\"failed\",\"executionId\":4,\"error\":{\"name\":\"E\"}}";
    req = fake_request("GET", "/api/v1/jobs/{id}/events", "2");
    fake_call(req);
    assert_true(fake_wait_closed(req->stream));
    assert_string_equal(
        req->stream->written.data,
        ":\n\nevent: status\ndata: {\"type\":\"status\",\"jobId\":2,\"executionId\":4,"
        "\"status\":\"failed\",\"error\":{\"name\":\"E\"},\"final\":true}\n\n");
    fake_request_free(req);

    /* Unknown job: 404 before any stream; a malformed Last-Event-ID: 400. */
    fake_reset();
    fake_eng.status = RATCHET_NOTFOUND;
    fake_eng.out = "{\"code\":\"NOT_FOUND\",\"message\":\"execution 99 not found\"}";
    req = run(fake_request("GET", "/api/v1/executions/{id}/events", "99"));
    assert_int_equal(req->status, 404);
    assert_null(req->stream);
    assert_has(req->answer.data, "execution 99 not found");
    fake_request_free(req);

    fake_reset();
    req = fake_request("GET", "/api/v1/executions/{id}/events", "3");
    fake_query(req, "lastEventId", "x");
    run(req);
    assert_int_equal(req->status, 400);
    assert_has(req->answer.data, "Last-Event-ID must be an event id (a number >= 0), not 'x'");
    fake_request_free(req);

    /* The client left before the session was findable (its on_close found nothing): the
     * first write fails and the session ends. */
    fake_reset();
    fake_eng.out = "{\"id\":3,\"status\":\"running\"}";
    fake_eng.stream_gone = 1;
    req = fake_request("GET", "/api/v1/executions/{id}/events", "3");
    fake_call(req);
    assert_true(fake_wait_unsubscribed());
    assert_true(fake_wait_closed(req->stream));
    fake_request_free(req);

    /* The client goes away mid-stream: the session ends and unsubscribes. */
    fake_reset();
    fake_eng.out = "{\"id\":3,\"status\":\"running\"}";
    req = fake_request("GET", "/api/v1/executions/{id}/events", "3");
    fake_call(req);
    assert_int_equal(fake_eng.sub_exec, 3);
    req->stream->on_close(req->stream->user, req->stream, RATCHET_HTTP_END_CLOSED);
    assert_true(fake_wait_unsubscribed());
    assert_true(fake_wait_closed(req->stream));
    fake_request_free(req);
}

/* ---- stop() ------------------------------------------------------------------------------ */

static void test_stop_ends_sessions(void **state)
{
    (void)state;
    fake_reset();
    fake_eng.out = "{\"id\":5,\"status\":\"running\"}";
    ratchet_http_request *sse = fake_request("GET", "/api/v1/jobs/{id}/events", "5");
    fake_call(sse);
    assert_non_null(sse->stream);
    fake_reset();
    fake_eng.out = "{\"id\":6,\"status\":\"queued\"}";
    ratchet_http_request *exec = fake_request("POST", "/api/v1/tasks/{id}/execute", "slow");
    fake_call(exec);
    assert_int_equal(exec->status, 0);

    desc->frontend->life.stop(self);
    assert_int_equal(fake_nroutes, 0);
    assert_int_equal(exec->status, 202);
    assert_has(exec->answer.data, "\"jobId\":6");
    assert_true(sse->stream->closed);
    assert_string_equal(sse->stream->written.data,
                        ":\n\nevent: end\ndata: {\"reason\":\"shutdown\"}\n\n");
    fake_request_free(sse);
    fake_request_free(exec);
    assert_int_equal(desc->frontend->life.start(self), RATCHET_OK);
    assert_true(fake_nroutes > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_routes_match_openapi),
        cmocka_unit_test(test_list_query_and_meta),
        cmocka_unit_test(test_list_bad_parameters),
        cmocka_unit_test(test_ids_and_engine_errors),
        cmocka_unit_test(test_bodies),
        cmocka_unit_test(test_envelopes),
        cmocka_unit_test(test_execute),
        cmocka_unit_test(test_execute_races),
        cmocka_unit_test(test_events),
        cmocka_unit_test(test_stop_ends_sessions),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
