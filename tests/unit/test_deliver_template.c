/* tests/unit/test_deliver_template.c - templates in webhook URLs and header values
 * (deliver_template.c): what arrives at a loopback receiver, how values are escaped so they
 * cannot change the URL's structure or add a header, and the messages for bad templates. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "deliver_testing.h"

#define HINT "(use {job_id}, {execution_id}, {task}, {version}, {status} or {timestamp})"

/* ---- expansion, escape by escape ----------------------------------------------------------- */

/* tmpl expanded for job with esc and at most max bytes: expect (NULL: a failure with message). */
static void expect_expand(const char *tmpl, rt_deliver_escape esc, const rt_delivery_job *job,
                          size_t max, const char *expect, const char *message)
{
    ratchet_buf b = RATCHET_BUF_INIT;
    rt_error err = {""};
    ratchet_status rc = rt_deliver_template_expand(tmpl, esc, job, max, &b, "t", &err);
    if (expect) {
        if (rc != RATCHET_OK)
            fail_msg("%s: unexpected error: %s", tmpl, err.msg);
        assert_string_equal(b.data ? b.data : "", expect);
    } else {
        assert_int_equal(rc, RATCHET_ERR);
        assert_string_equal(err.msg, message);
    }
    rt_buf_free(&b);
}

static void test_expand_escapes(void **state)
{
    (void)state;
    rt_delivery_job job = sample_job(NULL);
    job.task = "a b/c?d#e&f=g%h\\i";
    job.version = "caf\xc3\xa9 Az09-._~";
    job.status = "ok\r\nX-Evil: 1\t\x7f";
    /* paths: no directories, no control characters */
    expect_expand("{task}|{status}", RT_ESCAPE_PATH, &job, 100, "a b_c?d#e&f=g%h_i|ok__X-Evil: 1__",
                  NULL);
    /* URLs: all but the unreserved characters encoded, the template's own text as written */
    expect_expand("/p/{task}?v={{version}}&j={job_id}", RT_ESCAPE_URL, &job, 200,
                  "/p/a%20b%2Fc%3Fd%23e%26f%3Dg%25h%5Ci?v=caf%C3%A9%20Az09-._~&j=42", NULL);
    /* headers: control characters only */
    expect_expand("{status} {task}", RT_ESCAPE_HEADER, &job, 100,
                  "ok__X-Evil: 1__ a b/c?d#e&f=g%h\\i", NULL);
    /* missing values: "_" in paths (never empty), "" elsewhere; {timestamp} is the finish time */
    job.task = NULL;
    job.version = ".";
    expect_expand("{task}-{version}", RT_ESCAPE_PATH, &job, 100, "_-_", NULL);
    expect_expand("x{task}y-{version}", RT_ESCAPE_URL, &job, 100, "xy-.", NULL);
    expect_expand("x{task}y", RT_ESCAPE_HEADER, &job, 100, "xy", NULL);
    expect_expand("{timestamp}/{execution_id}", RT_ESCAPE_URL, &job, 100, "20251126T064045Z/7",
                  NULL);
    /* bounds and bad templates */
    job.task = "0123456789";
    expect_expand("ab{task}", RT_ESCAPE_HEADER, &job, 11, NULL,
                  "t: longer than 11 bytes once expanded");
    expect_expand("ab{task}", RT_ESCAPE_HEADER, &job, 12, "ab0123456789", NULL);
    expect_expand("{jobid}", RT_ESCAPE_URL, &job, 100, NULL, "t: unknown variable {jobid} " HINT);
    expect_expand("a{task", RT_ESCAPE_URL, &job, 100, NULL, "t: unclosed '{' at offset 1");
}

/* ---- webhooks ------------------------------------------------------------------------------ */

static void test_webhook_url_and_header_templates(void **state)
{
    (void)state;
    server_script(0, NULL);
    rt_delivery_job job = sample_job(NULL);
    struct json_object *r =
        deliver(dest_json("{'type':'webhook','url':'%s/hook/{task}/{job_id}?status={status}',"
                          "'headers':{'X-Job':'{job_id}-{execution_id}','X-Plain':'as is'}}",
                          server.base),
                &job, NULL, NULL);
    assert_true(json_object_get_boolean(at(r, "success")));
    assert_string_equal(server.uri, "/hook/weather/42?status=completed");
    assert_string_equal(seen_header("x-job"), "42-7");
    assert_string_equal(seen_header("x-plain"), "as is");
    char url[128];
    snprintf(url, sizeof url, "%s/hook/weather/42?status=completed", server.base);
    assert_string_equal(rec_str(r, "destination"), url);
    json_object_put(r);
}

static void test_webhook_values_percent_encoded(void **state)
{
    (void)state;
    server_script(0, NULL);
    rt_delivery_job job = sample_job(NULL);
    job.task = "a b/../c?x=1#frag&y";
    job.version = "1.0/2";
    struct json_object *r = deliver(
        dest_json("{'type':'webhook','url':'%s/hook/{task}/v{version}?t={task}&s={status}'}",
                  server.base),
        &job, NULL, NULL);
    assert_true(json_object_get_boolean(at(r, "success")));
    /* still two segments under /hook and two query parameters */
    const char *expect = "/hook/a%20b%2F..%2Fc%3Fx%3D1%23frag%26y/v1.0%2F2"
                         "?t=a%20b%2F..%2Fc%3Fx%3D1%23frag%26y&s=completed";
    assert_string_equal(server.uri, expect);
    char url[256];
    snprintf(url, sizeof url, "%s%s", server.base, expect);
    assert_string_equal(rec_str(r, "destination"), url);
    json_object_put(r);
}

static void test_webhook_header_values_cannot_inject(void **state)
{
    (void)state;
    server_script(0, NULL);
    rt_delivery_job job = sample_job(NULL);
    job.task = "x\r\nX-Injected: yes";
    job.status = "ok\nHost: evil.example";
    struct json_object *r =
        deliver(dest_json("{'type':'webhook','url':'%s/hook','headers':{'X-Task':'{task}',"
                          "'X-Status':'s={status}'}}",
                          server.base),
                &job, NULL, NULL);
    assert_true(json_object_get_boolean(at(r, "success")));
    assert_string_equal(seen_header("x-task"), "x__X-Injected: yes");
    assert_string_equal(seen_header("x-status"), "s=ok_Host: evil.example");
    assert_null(seen_header("x-injected"));
    assert_non_null(strstr(seen_header("host"), "127.0.0.1:"));
    json_object_put(r);
}

static void test_webhook_credentials_and_literal_auth(void **state)
{
    (void)state;
    server_script(0, NULL);
    rt_delivery_job job = sample_job(NULL);
    const char *port = strrchr(server.base, ':') + 1;
    /* auth values are not templates: sent exactly as written */
    struct json_object *r = deliver(
        dest_json(
            "{'type':'webhook','url':'http://bob:hunter2@127.0.0.1:%s/hook/{job_id}',"
            "'headers':{'Authorization':'{task}'},'auth':{'type':'bearer','token':'t-{job_id}'}}",
            port),
        &job, NULL, NULL);
    assert_true(json_object_get_boolean(at(r, "success")));
    assert_string_equal(server.uri, "/hook/42");
    assert_string_equal(seen_header("authorization"), "Bearer t-{job_id}");
    char url[128];
    snprintf(url, sizeof url, "%s/hook/42", server.base);
    assert_string_equal(rec_str(r, "destination"), url);
    assert_null(strstr(json_object_to_json_string(r), "hunter2"));
    json_object_put(r);
}

static void test_webhook_url_too_long_once_expanded(void **state)
{
    (void)state;
    server_script(0, NULL);
    char *task = malloc(3001);
    assert_non_null(task);
    memset(task, ' ', 3000); /* 9000 bytes once encoded */
    task[3000] = '\0';
    rt_delivery_job job = sample_job(NULL);
    job.task = task;
    struct json_object *r =
        deliver(dest_json("{'type':'webhook','url':'http://u:pw@127.0.0.1:1/hook/{task}'}"), &job,
                NULL, NULL);
    free(task);
    assert_false(json_object_get_boolean(at(r, "success")));
    assert_int_equal(rec_int(r, "attempts"), 0);
    assert_string_equal(rec_str(r, "error"), "output.url: longer than 8192 bytes once expanded");
    assert_string_equal(rec_str(r, "destination"), "http://127.0.0.1:1/hook/{task}");
    assert_int_equal(server_requests(), 0);
    json_object_put(r);
}

/* ---- validation ---------------------------------------------------------------------------- */

static void expect_url(const char *url, const char *message)
{
    char outputs[512];
    snprintf(outputs, sizeof outputs, "[{'type':'webhook','url':'%s'}]", url);
    check_outputs(outputs, message);
}

static void test_template_checks(void **state)
{
    (void)state;
    const char *host_message = "outputs[0].url: variables are allowed only in the path and query";
    check_outputs("[{'type':'webhook','url':'https://u:p@h.example:8443/{task}/{{job_id}}?s="
                  "{status}&t={timestamp}&v={version}','headers':{'X-Run':'{job_id}-"
                  "{execution_id}','X-Task':'{{task}}'},'auth':{'type':'bearer','token':"
                  "'{notavariable}'}}]",
                  NULL);
    expect_url("http://h/{jobid}", "outputs[0].url: unknown variable {jobid} " HINT);
    expect_url("http://h/x?a={status", "outputs[0].url: unclosed '{' at offset 13");
    expect_url("http://{task}.example.com/x", host_message);
    expect_url("http://h{task}/x", host_message);
    expect_url("http://h:{job_id}/x", host_message);
    expect_url("http://{task}@h/x", host_message);
    expect_url("https://h?{status}", NULL);
    expect_url("https://h/x#{task}", host_message);
    expect_url("https://h#x?{task}", host_message);
    expect_url("ftp://h/{task}", "outputs[0].url: expected an http(s) URL");
    check_outputs("[{'type':'webhook','url':'http://h','headers':{'X-Job':'{jobid}'}}]",
                  "outputs[0].headers.X-Job: unknown variable {jobid} " HINT);
    check_outputs("[{'type':'file','path':'/a'},{'type':'webhook','url':'http://h',"
                  "'headers':{'X-A':'x','X-B':'a{task'}}]",
                  "outputs[1].headers.X-B: unclosed '{' at offset 1");

    /* a header value template is bounded */
    struct json_object *outputs = dest_json("[{'type':'webhook','url':'http://h','headers':{}}]");
    char *big = malloc(RT_OUTPUT_MAX_HEADER + 2);
    assert_non_null(big);
    memset(big, 'v', RT_OUTPUT_MAX_HEADER + 1);
    big[RT_OUTPUT_MAX_HEADER + 1] = '\0';
    struct json_object *headers = at(json_object_array_get_idx(outputs, 0), "headers");
    json_object_object_add(headers, "X-Big", json_object_new_string(big));
    free(big);
    rt_error err = {""};
    assert_int_equal(rt_outputs_check(outputs, &err), RATCHET_ERR);
    assert_string_equal(err.msg, "outputs[0].headers.X-Big: longer than 8192 bytes");
    json_object_put(outputs);
}

int main(void)
{
    const struct CMUnitTest webhooks[] = {
        cmocka_unit_test(test_webhook_url_and_header_templates),
        cmocka_unit_test(test_webhook_values_percent_encoded),
        cmocka_unit_test(test_webhook_header_values_cannot_inject),
        cmocka_unit_test(test_webhook_credentials_and_literal_auth),
        cmocka_unit_test(test_webhook_url_too_long_once_expanded),
    };
    const struct CMUnitTest others[] = {
        cmocka_unit_test(test_expand_escapes),
        cmocka_unit_test(test_template_checks),
    };
    int failed = cmocka_run_group_tests_name("webhook templates", webhooks, setup, teardown);
    failed += cmocka_run_group_tests_name("expansion and validation", others, NULL, NULL);
    return failed;
}
