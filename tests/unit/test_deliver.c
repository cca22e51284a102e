/* tests/unit/test_deliver.c - output destinations: webhooks against a loopback libmicrohttpd
 * server (retries, auth, timeouts, refused connections; deliver_testing.c) and files in a
 * temporary directory. Templates in URLs and headers: test_deliver_template.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <arpa/inet.h>
#include <dirent.h>
#include <ftw.h>
#include <pthread.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "deliver_testing.h"

/* ---- webhooks ----------------------------------------------------------------------------- */

static void test_webhook_sends_output(void **state)
{
    (void)state;
    server_script(0, NULL);
    struct json_object *out = json_tokener_parse("{\"temp\":21.5,\"where\":\"a/b\"}");
    rt_delivery_job job = sample_job(out);
    rt_delivery_policy p = fast_policy();
    struct json_object *r =
        deliver(dest_json("{'type':'webhook','url':'%s/hook'}", server.base), &job, &p, NULL);
    assert_true(json_object_get_boolean(at(r, "success")));
    assert_int_equal(rec_int(r, "attempts"), 1);
    assert_int_equal(rec_int(r, "responseStatus"), 200);
    assert_null(at(r, "error"));
    assert_int_equal(rec_int(r, "jobId"), 42);
    assert_int_equal(rec_int(r, "executionId"), 7);
    assert_string_equal(rec_str(r, "destinationType"), "webhook");
    char url[128];
    snprintf(url, sizeof url, "%s/hook", server.base);
    assert_string_equal(rec_str(r, "destination"), url);
    assert_string_equal(server.method, "POST");
    assert_string_equal(server.body, "{\"temp\":21.5,\"where\":\"a/b\"}");
    assert_string_equal(seen_header("content-type"), "application/json");
    assert_string_equal(seen_header("user-agent"), "Ratchet/1.0");
    json_object_put(r);
    json_object_put(out);
}

static void test_webhook_job_body_and_method(void **state)
{
    (void)state;
    server_script(0, NULL);
    struct json_object *out = json_tokener_parse("[1,2]");
    rt_delivery_job job = sample_job(out);
    job.status = "failed";
    job.error = json_tokener_parse("{\"message\":\"boom\"}");
    struct json_object *r =
        deliver(dest_json("{'type':'webhook','url':'%s/hook','method':'put','include':'job',"
                          "'headers':{'Content-Type':'application/vnd.x+json','X-Extra':'yes'}}",
                          server.base),
                &job, NULL, NULL);
    assert_true(json_object_get_boolean(at(r, "success")));
    assert_string_equal(server.method, "PUT");
    assert_string_equal(seen_header("content-type"), "application/vnd.x+json");
    assert_string_equal(seen_header("x-extra"), "yes");
    struct json_object *body = json_tokener_parse(server.body);
    assert_non_null(body);
    assert_int_equal(rec_int(body, "jobId"), 42);
    assert_int_equal(rec_int(body, "executionId"), 7);
    assert_string_equal(rec_str(body, "taskName"), "weather");
    assert_string_equal(rec_str(body, "taskVersion"), "1.2.0");
    assert_string_equal(rec_str(body, "status"), "failed");
    assert_string_equal(json_object_to_json_string_ext(at(body, "output"), JSON_C_TO_STRING_PLAIN),
                        "[1,2]");
    assert_string_equal(rec_str(at(body, "error"), "message"), "boom");
    json_object_put(body);
    json_object_put(r);
    json_object_put(job.error);
    json_object_put(out);
}

static void expect_auth(const char *auth, const char *header, const char *value, const char *secret)
{
    server_script(0, NULL);
    rt_delivery_job job = sample_job(NULL);
    struct json_object *r =
        deliver(dest_json("{'type':'webhook','url':'%s/hook','auth':%s}", server.base, auth), &job,
                NULL, NULL);
    assert_true(json_object_get_boolean(at(r, "success")));
    const char *seen = seen_header(header);
    if (!seen || strcmp(seen, value) != 0)
        fail_msg("%s: expected '%s', got '%s'", header, value, seen ? seen : "(none)");
    assert_string_equal(server.body, "null");
    assert_null(strstr(json_object_to_json_string(r), secret));
    json_object_put(r);
}

static void test_webhook_auth(void **state)
{
    (void)state;
    expect_auth("{'type':'bearer','token':'tok-123'}", "authorization", "Bearer tok-123",
                "tok-123");
    /* base64("alice:s3cret!") */
    expect_auth("{'type':'basic','username':'alice','password':'s3cret!'}", "authorization",
                "Basic YWxpY2U6czNjcmV0IQ==", "s3cret");
    expect_auth("{'type':'api_key','key':'k-9'}", "x-api-key", "k-9", "k-9");
    expect_auth("{'type':'api_key','header':'X-Token','key':'k-10'}", "x-token", "k-10", "k-10");
}

static void test_webhook_retries_then_succeeds(void **state)
{
    (void)state;
    int script[] = {503, 503};
    server_script(2, script);
    rt_delivery_job job = sample_job(NULL);
    rt_delivery_policy p = fast_policy();
    p.initial_delay_ms = 40;
    p.max_delay_ms = 1000;
    p.jitter = 0;
    struct json_object *r =
        deliver(dest_json("{'type':'webhook','url':'%s/hook'}", server.base), &job, &p, NULL);
    assert_true(json_object_get_boolean(at(r, "success")));
    assert_int_equal(rec_int(r, "attempts"), 3);
    assert_int_equal(rec_int(r, "responseStatus"), 200);
    assert_null(at(r, "error"));
    assert_int_equal(server_requests(), 3);
    /* waits of 40 and 80 ms: the doubling backoff */
    assert_true(rec_int(r, "durationMs") >= 120);
    json_object_put(r);
}

static void test_webhook_429_retried(void **state)
{
    (void)state;
    int script[] = {429};
    server_script(1, script);
    rt_delivery_job job = sample_job(NULL);
    rt_delivery_policy p = fast_policy();
    struct json_object *r =
        deliver(dest_json("{'type':'webhook','url':'%s/hook'}", server.base), &job, &p, NULL);
    assert_true(json_object_get_boolean(at(r, "success")));
    assert_int_equal(rec_int(r, "attempts"), 2);
    json_object_put(r);
}

static void expect_no_retry(int status, const char *message)
{
    int script[] = {status, status, status};
    server_script(3, script);
    rt_delivery_job job = sample_job(NULL);
    rt_delivery_policy p = fast_policy();
    struct json_object *r =
        deliver(dest_json("{'type':'webhook','url':'%s/hook'}", server.base), &job, &p, NULL);
    assert_false(json_object_get_boolean(at(r, "success")));
    assert_int_equal(rec_int(r, "attempts"), 1);
    assert_int_equal(rec_int(r, "responseStatus"), status);
    assert_string_equal(rec_str(r, "error"), message);
    assert_int_equal(server_requests(), 1);
    json_object_put(r);
}

static void test_webhook_client_errors_not_retried(void **state)
{
    (void)state;
    expect_no_retry(400, "HTTP 400: Bad Request");
    expect_no_retry(404, "HTTP 404: Not Found");
    expect_no_retry(501, "HTTP 501: Not Implemented");
    expect_no_retry(302, "HTTP 302: Found");
}

static void test_webhook_gives_up(void **state)
{
    (void)state;
    int script[] = {503, 500, 502, 504};
    server_script(4, script);
    rt_delivery_job job = sample_job(NULL);
    rt_delivery_policy p = fast_policy();
    struct json_object *r =
        deliver(dest_json("{'type':'webhook','url':'%s/hook','max_attempts':4}", server.base), &job,
                &p, NULL);
    assert_false(json_object_get_boolean(at(r, "success")));
    assert_int_equal(rec_int(r, "attempts"), 4);
    assert_int_equal(rec_int(r, "responseStatus"), 504);
    assert_string_equal(rec_str(r, "error"), "HTTP 504: Gateway Timeout");
    assert_int_equal(server_requests(), 4);
    json_object_put(r);
}

static void test_webhook_timeout(void **state)
{
    (void)state;
    server_script(0, NULL);
    pthread_mutex_lock(&server.lock);
    server.released = 0;
    pthread_mutex_unlock(&server.lock);
    rt_delivery_job job = sample_job(NULL);
    rt_delivery_policy p = fast_policy();
    struct json_object *r =
        deliver(dest_json("{'type':'webhook','url':'%s/hang','timeout_ms':1000,'max_attempts':2}",
                          server.base),
                &job, &p, NULL);
    server_release();
    assert_false(json_object_get_boolean(at(r, "success")));
    assert_int_equal(rec_int(r, "attempts"), 2);
    assert_null(at(r, "responseStatus"));
    assert_non_null(strstr(rec_str(r, "error"), "timed out after 1000 ms"));
    assert_int_equal(server_requests(), 2);
    assert_true(rec_int(r, "durationMs") >= 2000);
    json_object_put(r);
}

/* A loopback port bound but not listening: connections are refused. */
static int refusing_port(int *fd)
{
    *fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(*fd >= 0);
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(*fd, (struct sockaddr *)&addr, sizeof addr), 0);
    socklen_t len = sizeof addr;
    assert_int_equal(getsockname(*fd, (struct sockaddr *)&addr, &len), 0);
    return ntohs(addr.sin_port);
}

static void test_webhook_connection_refused(void **state)
{
    (void)state;
    int fd;
    int port = refusing_port(&fd);
    rt_delivery_job job = sample_job(NULL);
    rt_delivery_policy p = fast_policy();
    struct json_object *r =
        deliver(dest_json("{'type':'webhook','url':'http://bob:hunter2@127.0.0.1:%d/x'}", port),
                &job, &p, NULL);
    close(fd);
    assert_false(json_object_get_boolean(at(r, "success")));
    assert_int_equal(rec_int(r, "attempts"), 3);
    assert_null(at(r, "responseStatus"));
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/x", port);
    assert_string_equal(rec_str(r, "destination"), url);
    const char *error = rec_str(r, "error");
    assert_non_null(strstr(error, url));
    assert_null(strstr(json_object_to_json_string(r), "hunter2"));
    json_object_put(r);
}

static int cancel_now(void *data)
{
    int *calls = data;
    ++*calls;
    return 1;
}

static void test_webhook_cancelled(void **state)
{
    (void)state;
    int script[] = {503, 503, 503};
    server_script(3, script);
    rt_delivery_job job = sample_job(NULL);
    rt_delivery_policy p = fast_policy();
    p.initial_delay_ms = p.max_delay_ms = 60000; /* would wait a minute if not cancelled */
    int calls = 0;
    p.cancelled = cancel_now;
    p.cancel_data = &calls;
    struct json_object *r =
        deliver(dest_json("{'type':'webhook','url':'%s/hook'}", server.base), &job, &p, NULL);
    assert_false(json_object_get_boolean(at(r, "success")));
    assert_int_equal(rec_int(r, "attempts"), 1);
    assert_string_equal(rec_str(r, "error"), "HTTP 503: Service Unavailable (retries cancelled)");
    assert_true(rec_int(r, "durationMs") < 10000);
    assert_int_equal(calls, 1);
    json_object_put(r);
}

/* ---- files -------------------------------------------------------------------------------- */

static char tmpdir[512];

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static int file_setup(void **state)
{
    (void)state;
    const char *base = getenv("RATCHET_TEST_TMP");
    snprintf(tmpdir, sizeof tmpdir, "%s/deliver.XXXXXX", base && *base ? base : "/tmp");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int file_teardown(void **state)
{
    (void)state;
    return nftw(tmpdir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s", path);
    static char text[4096];
    size_t n = fread(text, 1, sizeof text - 1, f);
    text[n] = '\0';
    fclose(f);
    return text;
}

static int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    for (struct dirent *e; (e = readdir(d));)
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return n;
}

static void test_file_template_and_dirs(void **state)
{
    (void)state;
    struct json_object *out = json_tokener_parse("{\"a\":1}");
    rt_delivery_job job = sample_job(out);
    job.task = "../evil/task"; /* values never add directories */
    struct json_object *r =
        deliver(dest_json("{'type':'file','path':'new/dir/{task}-{job_id}-{execution_id}-{status}-"
                          "{version}-{{timestamp}}.json','format':'json_compact'}"),
                &job, NULL, tmpdir);
    assert_true(json_object_get_boolean(at(r, "success")));
    char expect[1024];
    snprintf(expect, sizeof expect,
             "%s/new/dir/.._evil_task-42-7-completed-1.2.0-20251126T064045Z.json", tmpdir);
    assert_string_equal(rec_str(r, "destination"), expect);
    assert_string_equal(rec_str(r, "destinationType"), "file");
    assert_int_equal(rec_int(r, "attempts"), 1);
    assert_null(at(r, "responseStatus"));
    assert_string_equal(slurp(expect), "{\"a\":1}");
    struct stat st;
    assert_int_equal(stat(expect, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0644);
    char dir[600];
    snprintf(dir, sizeof dir, "%s/new/dir", tmpdir);
    assert_int_equal(count_entries(dir), 1); /* no temporary file left */
    json_object_put(r);
    json_object_put(out);
}

static void test_file_pretty_overwrite(void **state)
{
    (void)state;
    struct json_object *out = json_tokener_parse("{\"a\":1,\"b\":[1,2]}");
    rt_delivery_job job = sample_job(out);
    char path[600];
    snprintf(path, sizeof path, "%s/ow/run-{job_id}.json", tmpdir);
    struct json_object *r =
        deliver(dest_json("{'type':'file','path':'%s'}", path), &job, NULL, NULL);
    assert_true(json_object_get_boolean(at(r, "success")));
    const char *written = rec_str(r, "destination");
    char file[600];
    snprintf(file, sizeof file, "%s", written);
    assert_string_equal(slurp(file), "{\n  \"a\": 1,\n  \"b\": [\n    1,\n    2\n  ]\n}\n");
    json_object_put(r);

    /* again, without overwrite: refused, the first file intact */
    json_object_put(out);
    out = json_tokener_parse("{\"a\":2}");
    job.output = out;
    r = deliver(dest_json("{'type':'file','path':'%s','format':'json_compact'}", path), &job, NULL,
                NULL);
    assert_false(json_object_get_boolean(at(r, "success")));
    char msg[700];
    snprintf(msg, sizeof msg, "%s: exists; set overwrite: true", file);
    assert_string_equal(rec_str(r, "error"), msg);
    assert_string_equal(rec_str(r, "destination"), file);
    assert_non_null(strstr(slurp(file), "\"a\": 1"));
    json_object_put(r);

    /* overwrite: true replaces it */
    r = deliver(
        dest_json("{'type':'file','path':'%s','format':'json_compact','overwrite':true}", path),
        &job, NULL, NULL);
    assert_true(json_object_get_boolean(at(r, "success")));
    assert_string_equal(slurp(file), "{\"a\":2}");
    char dir[600];
    snprintf(dir, sizeof dir, "%s/ow", tmpdir);
    assert_int_equal(count_entries(dir), 1);
    json_object_put(r);
    json_object_put(out);
}

static void test_file_job_include(void **state)
{
    (void)state;
    rt_delivery_job job = sample_job(NULL);
    job.version = NULL;
    struct json_object *r = deliver(
        dest_json("{'type':'file','path':'job.json','format':'json_compact','include':'job'}"),
        &job, NULL, tmpdir);
    assert_true(json_object_get_boolean(at(r, "success")));
    char file[600];
    snprintf(file, sizeof file, "%s/job.json", tmpdir);
    assert_string_equal(slurp(file),
                        "{\"jobId\":42,\"executionId\":7,\"taskName\":\"weather\",\"taskVersion\":"
                        "null,\"status\":\"completed\",\"output\":null,\"error\":null}");
    json_object_put(r);
}

static void expect_file_error(const char *path, const char *base, const char *message)
{
    rt_delivery_job job = sample_job(NULL);
    struct json_object *r =
        deliver(dest_json("{'type':'file','path':'%s'}", path), &job, NULL, base);
    assert_false(json_object_get_boolean(at(r, "success")));
    assert_string_equal(rec_str(r, "error"), message);
    json_object_put(r);
}

static void test_file_errors(void **state)
{
    (void)state;
    expect_file_error("/tmp/{jobid}.json", NULL,
                      "output.path: unknown variable {jobid} (use {job_id}, {execution_id}, "
                      "{task}, {version}, {status} or {timestamp})");
    expect_file_error("out.json", NULL,
                      "path 'out.json' is relative and there is no base "
                      "directory");
    expect_file_error("a/../b.json", tmpdir, "output.path: '..' is not allowed in a path");
    expect_file_error("/tmp/{job_id", NULL, "output.path: unclosed '{' at offset 5");
    char blocker[600], path[700], msg[800];
    snprintf(blocker, sizeof blocker, "%s/blocker", tmpdir);
    FILE *f = fopen(blocker, "w");
    assert_non_null(f);
    fclose(f);
    snprintf(path, sizeof path, "%s/sub/x.json", blocker);
    snprintf(msg, sizeof msg, "%s/sub: cannot create the directory: Not a directory", blocker);
    expect_file_error(path, NULL, msg);
}

/* ---- validation --------------------------------------------------------------------------- */

static void test_outputs_check(void **state)
{
    (void)state;
    assert_int_equal(rt_outputs_check(NULL, NULL), RATCHET_OK);
    check_outputs("[]", NULL);
    check_outputs("[{'type':'webhook','url':'https://example.com/h','method':'PATCH',"
                  "'headers':{'X-A':'b'},'auth':{'type':'basic','username':'u','password':'p'},"
                  "'timeout_ms':1000,'max_attempts':10,'include':'job'},"
                  "{'type':'file','path':'/out/{task}/{timestamp}.json','format':'json_compact',"
                  "'overwrite':true}]",
                  NULL);
    check_outputs("{}", "outputs: expected an array, not an object");
    check_outputs("[1]", "outputs[0]: expected an object, not a number");
    check_outputs("[{'url':'http://x'}]", "outputs[0].type: required (a string)");
    check_outputs("[{'type':'email'}]", "outputs[0].type: expected \"webhook\" or \"file\", not "
                                        "\"email\"");
    check_outputs("[{'type':'webhook','url':'ftp://x/y'}]",
                  "outputs[0].url: expected an http(s) URL");
    check_outputs("[{'type':'file','path':'/a'},{'type':'webhook','url':'http://a b'}]",
                  "outputs[1].url: expected an http(s) URL");
    check_outputs("[{'type':'webhook'}]", "outputs[0].url: required (a string)");
    check_outputs("[{'type':'webhook','url':'http://h','method':'GET'}]",
                  "outputs[0].method: expected POST, PUT or PATCH");
    check_outputs("[{'type':'webhook','url':'http://h','timeout_ms':999}]",
                  "outputs[0].timeout_ms: expected an integer from 1000 to 300000");
    check_outputs("[{'type':'webhook','url':'http://h','max_attempts':0}]",
                  "outputs[0].max_attempts: expected an integer from 1 to 10");
    check_outputs("[{'type':'webhook','url':'http://h','include':'all'}]",
                  "outputs[0].include: expected \"output\" or \"job\", not \"all\"");
    check_outputs("[{'type':'webhook','url':'http://h','headers':{'X-A':1}}]",
                  "outputs[0].headers.X-A: expected a string, not a number");
    check_outputs("[{'type':'webhook','url':'http://h','headers':{'Bad Name':'v'}}]",
                  "outputs[0].headers: invalid header name 'Bad Name'");
    check_outputs("[{'type':'webhook','url':'http://h','headers':{'X-A':'a\\r\\nB: c'}}]",
                  "outputs[0].headers.X-A: must not contain line breaks or NUL");
    check_outputs("[{'type':'webhook','url':'http://h','auth':{'type':'hmac'}}]",
                  "outputs[0].auth.type: expected \"bearer\", \"basic\" or \"api_key\", not "
                  "\"hmac\"");
    check_outputs("[{'type':'webhook','url':'http://h','auth':{'type':'bearer'}}]",
                  "outputs[0].auth.token: required (a string)");
    check_outputs("[{'type':'webhook','url':'http://h','auth':{'type':'basic','username':'a:b',"
                  "'password':'p'}}]",
                  "outputs[0].auth.username: must not contain ':'");
    check_outputs("[{'type':'webhook','url':'http://h','auth':{'type':'api_key','key':'k',"
                  "'secret':'s'}}]",
                  "outputs[0].auth: unknown key 'secret'");
    check_outputs("[{'type':'file','path':'/a','overwite':true}]",
                  "outputs[0]: unknown key 'overwite'");
    check_outputs("[{'type':'file','path':'/a','overwrite':'yes'}]",
                  "outputs[0].overwrite: expected a boolean, not a string");
    check_outputs("[{'type':'file','path':'/a','format':'yaml'}]",
                  "outputs[0].format: expected \"json\" or \"json_compact\", not \"yaml\"");
    check_outputs("[{'type':'file','path':'/out/{name}.json'}]",
                  "outputs[0].path: unknown variable {name} (use {job_id}, {execution_id}, "
                  "{task}, {version}, {status} or {timestamp})");
    check_outputs("[{'type':'file','path':''}]", "outputs[0].path: must not be empty");
    check_outputs("[{'type':'file','path':'/out/'}]",
                  "outputs[0].path: names a directory (ends with '/')");
}

static void test_deliver_invalid_dest(void **state)
{
    (void)state;
    rt_delivery_job job = sample_job(NULL);
    struct json_object *r =
        deliver(dest_json("{'type':'webhook','url':'https://u:pw@h.example/x','timeout_ms':5}"),
                &job, NULL, NULL);
    assert_false(json_object_get_boolean(at(r, "success")));
    assert_int_equal(rec_int(r, "attempts"), 0);
    assert_string_equal(rec_str(r, "destination"), "https://h.example/x");
    assert_string_equal(rec_str(r, "error"),
                        "output.timeout_ms: expected an integer from 1000 to 300000");
    json_object_put(r);
}

int main(void)
{
    const struct CMUnitTest webhooks[] = {
        cmocka_unit_test(test_webhook_sends_output),
        cmocka_unit_test(test_webhook_job_body_and_method),
        cmocka_unit_test(test_webhook_auth),
        cmocka_unit_test(test_webhook_retries_then_succeeds),
        cmocka_unit_test(test_webhook_429_retried),
        cmocka_unit_test(test_webhook_client_errors_not_retried),
        cmocka_unit_test(test_webhook_gives_up),
        cmocka_unit_test(test_webhook_timeout),
        cmocka_unit_test(test_webhook_connection_refused),
        cmocka_unit_test(test_webhook_cancelled),
    };
    const struct CMUnitTest files[] = {
        cmocka_unit_test(test_file_template_and_dirs),
        cmocka_unit_test(test_file_pretty_overwrite),
        cmocka_unit_test(test_file_job_include),
        cmocka_unit_test(test_file_errors),
    };
    const struct CMUnitTest checks[] = {
        cmocka_unit_test(test_outputs_check),
        cmocka_unit_test(test_deliver_invalid_dest),
    };
    int failed = cmocka_run_group_tests_name("webhooks", webhooks, setup, teardown);
    failed += cmocka_run_group_tests_name("files", files, file_setup, file_teardown);
    failed += cmocka_run_group_tests_name("validation", checks, NULL, NULL);
    return failed;
}
