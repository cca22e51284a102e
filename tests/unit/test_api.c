/* tests/unit/test_api.c - the ratchet.engine interface (engine/api*.c) on a real storage-sqlite
 * database holding the sample tasks: validation errors and their details, NOT_FOUND and
 * CONFLICT, queries, schedules, events, statistics and metrics. No engine runs here (no
 * workers), so nothing is claimed: jobs stay where the API puts them. */
#include "sqlite_testing.h"

#include <ctype.h>

#include "api.h"
#include "app.h"
#include "engine.h"
#include "store.h"

typedef struct fixture {
    inst db;
    rt_app app;
    rt_store st;
    rt_api *api;
    const ratchet_engine_api *eng;
} fixture;

static int setup(void **state)
{
    setup_dir(state);
    fixture *f = calloc(1, sizeof *f);
    inst_open(&f->db, NULL);
    f->app.task_sources[f->app.ntask_sources++] = RATCHET_SAMPLE_DIR;
    assert_int_equal(rt_app_load_settings(&f->app), RT_EXIT_OK);
    f->st.vt = f->db.vt;
    f->st.inst = f->db.self;
    f->st.started = 1;
    assert_int_equal(rt_store_sync_tasks(&f->app, &f->st, NULL), RT_EXIT_OK);
    rt_error err;
    f->api = rt_api_new(&f->app, &f->st, NULL, &err);
    assert_non_null(f->api);
    assert_int_equal(rt_api_publish(f->api, 1, &err), RATCHET_OK);
    f->eng = rt_host_api()->lookup(RATCHET_ENGINE_INTERFACE, RATCHET_ENGINE_MAJOR, 0);
    assert_ptr_equal(f->eng, rt_api_table());
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    rt_api_free(f->api);
    assert_null(rt_host_api()->lookup(RATCHET_ENGINE_INTERFACE, RATCHET_ENGINE_MAJOR, 0));
    inst_close(&f->db, 1);
    rt_settings_free(&f->app.settings);
    free(f);
    return teardown_dir(state);
}

/* ---- helpers ------------------------------------------------------------------------------ */

/* The reply as JSON (the buffer is emptied). */
static json_object *answer(ratchet_status rc, ratchet_status want, ratchet_buf *out)
{
    if (rc != want)
        fail_msg("status %d, expected %d: %s", (int)rc, (int)want, out->data ? out->data : "");
    return reply(out);
}

/* Check an error object: code, a message containing `needle`, and (when given) a detail with
 * `pointer`. Frees it. */
static void expect_err(json_object *e, const char *code, const char *needle, const char *pointer)
{
    assert_string_equal(str(e, "code"), code);
    if (!strstr(str(e, "message"), needle))
        fail_msg("message '%s' lacks '%s'", str(e, "message"), needle);
    if (pointer) {
        json_object *d = get(e, "details");
        int found = 0;
        for (size_t i = 0; d && i < json_object_array_length(d); i++)
            found |= strcmp(str(json_object_array_get_idx(d, i), "pointer"), pointer) == 0;
        if (!found)
            fail_msg("no detail at %s in %s", pointer, json_object_to_json_string(e));
    }
    json_object_put(e);
}

/* The message of the detail at `pointer`. */
static const char *detail(json_object *e, const char *pointer)
{
    json_object *d = get(e, "details");
    for (size_t i = 0; d && i < json_object_array_length(d); i++)
        if (strcmp(str(json_object_array_get_idx(d, i), "pointer"), pointer) == 0)
            return str(json_object_array_get_idx(d, i), "message");
    fail_msg("no detail at %s", pointer);
    return NULL;
}

static int64_t submit_ok(fixture *f, const char *request)
{
    ratchet_buf out = RATCHET_BUF_INIT;
    json_object *job = answer(f->eng->job_submit(request, &out), RATCHET_OK, &out);
    int64_t id = num(job, "id");
    assert_true(id > 0);
    json_object_put(job);
    return id;
}

/* ---- tasks -------------------------------------------------------------------------------- */

static void test_tasks_list_and_get(void **state)
{
    fixture *f = *state;
    ratchet_buf out = RATCHET_BUF_INIT;
    json_object *list = answer(f->eng->tasks_list(NULL, &out), RATCHET_OK, &out);
    assert_int_equal(num(list, "total"), 9);
    json_object *first = json_object_array_get_idx(get(list, "items"), 0);
    assert_string_equal(str(first, "name"), "addition"); /* default: by name */
    assert_string_equal(str(first, "version"), "1.0.0");
    assert_non_null(get(get(first, "inputSchema"), "required"));
    assert_int_equal(json_object_array_length(get(first, "availableVersions")), 1);
    assert_true(json_object_get_boolean(get(first, "enabled")));
    int64_t id = num(first, "id");
    json_object_put(list);

    list = answer(f->eng->tasks_list("{\"where\":[{\"field\":\"name\",\"op\":\"like\","
                                     "\"value\":\"ADD\"}]}",
                                     &out),
                  RATCHET_OK, &out);
    assert_int_equal(num(list, "total"), 1);
    json_object_put(list);
    list = answer(f->eng->tasks_list("{\"sort\":\"name\",\"order\":\"desc\",\"offset\":1,"
                                     "\"limit\":2}",
                                     &out),
                  RATCHET_OK, &out);
    assert_int_equal(num(list, "total"), 9);
    assert_int_equal(json_object_array_length(get(list, "items")), 2);
    assert_string_equal(str(json_object_array_get_idx(get(list, "items"), 0), "name"),
                        "test-fetch");
    json_object_put(list);

    expect_err(answer(f->eng->tasks_list("{\"where\":[{\"field\":\"code\",\"value\":1}]}", &out),
                      RATCHET_ERR, &out),
               "VALIDATION_ERROR", "cannot filter on 'code'; allowed fields: id, name", "/where/0");
    expect_err(answer(f->eng->tasks_list("{\"limit\":5000}", &out), RATCHET_ERR, &out),
               "VALIDATION_ERROR", "limit must be", "/limit");
    expect_err(answer(f->eng->tasks_list("{\"sort\":", &out), RATCHET_ERR, &out), "BAD_REQUEST",
               "not valid JSON", NULL);

    char ref[32];
    snprintf(ref, sizeof ref, "%lld", (long long)id);
    json_object *t = answer(f->eng->task_get(ref, &out), RATCHET_OK, &out);
    assert_string_equal(str(t, "name"), "addition");
    json_object_put(t);
    expect_err(answer(f->eng->task_get("nope", &out), RATCHET_NOTFOUND, &out), "NOT_FOUND",
               "no task 'nope'", NULL);
    json_object *v = answer(f->eng->task_version("addition", NULL, &out), RATCHET_OK, &out);
    assert_non_null(strstr(str(v, "code"), "num1"));
    assert_false(json_object_object_get_ex(v, "program", NULL));
    json_object_put(v);
    expect_err(answer(f->eng->task_version("addition", "9.9.9", &out), RATCHET_NOTFOUND, &out),
               "NOT_FOUND", "has no version 9.9.9", NULL);
}

static void test_tasks_sync_reports(void **state)
{
    fixture *f = *state;
    ratchet_buf out = RATCHET_BUF_INIT;
    json_object *r = answer(f->eng->tasks_sync(&out), RATCHET_OK, &out);
    assert_int_equal(json_object_array_length(get(r, "added")), 0);
    assert_int_equal(json_object_array_length(get(r, "updated")), 0);
    assert_int_equal(num(r, "unchanged"), 9);
    assert_int_equal(json_object_array_length(get(r, "errors")), 0);
    json_object_put(r);
    /* a source that does not exist is an error entry, not a message on stderr */
    f->app.task_sources[f->app.ntask_sources++] = "/nonexistent/tasks";
    r = answer(f->eng->tasks_sync(&out), RATCHET_OK, &out);
    f->app.ntask_sources--;
    json_object *errors = get(r, "errors");
    assert_int_equal(json_object_array_length(errors), 1);
    assert_string_equal(str(json_object_array_get_idx(errors, 0), "source"), "/nonexistent/tasks");
    json_object_put(r);
}

/* ---- jobs --------------------------------------------------------------------------------- */

static void test_submit_validation(void **state)
{
    fixture *f = *state;
    ratchet_buf out = RATCHET_BUF_INIT;
    json_object *job = answer(f->eng->job_submit("{\"taskName\":\"addition\",\"input\":{\"num1\":1,"
                                                 "\"num2\":2},\"priority\":\"HIGH\","
                                                 "\"maxRetries\":0}",
                                                 &out),
                              RATCHET_OK, &out);
    assert_string_equal(str(job, "status"), "queued");
    assert_string_equal(str(job, "taskName"), "addition");
    assert_int_equal(num(job, "maxRetries"), 0);
    int64_t task_id = num(job, "taskId");
    json_object_put(job);

    json_object *e = answer(f->eng->job_submit("{\"taskName\":\"addition\",\"input\":{\"num1\":"
                                               "\"x\"}}",
                                               &out),
                            RATCHET_ERR, &out);
    assert_string_equal(str(e, "code"), "VALIDATION_ERROR");
    assert_string_equal(str(e, "message"), "input does not match the task's input schema");
    assert_non_null(strstr(detail(e, "/input/num1"), "number"));
    assert_non_null(strstr(detail(e, "/input"), "num2"));
    json_object_put(e);

    expect_err(answer(f->eng->job_submit("{\"taskName\":\"nope\"}", &out), RATCHET_NOTFOUND, &out),
               "NOT_FOUND", "no task 'nope'", NULL);
    e = answer(f->eng->job_submit("{\"taskName\":\"addition\",\"priority\":\"asap\","
                                  "\"scheduledFor\":\"tomorrow\",\"maxRetries\":-1}",
                                  &out),
               RATCHET_ERR, &out);
    assert_string_equal(detail(e, "/priority"), "expected low, normal, high, urgent or critical");
    assert_non_null(strstr(detail(e, "/scheduledFor"), "RFC 3339"));
    assert_non_null(strstr(detail(e, "/maxRetries"), "0 to 100"));
    expect_err(e, "VALIDATION_ERROR", "invalid job request", NULL);
    expect_err(answer(f->eng->job_submit("{\"input\":{}}", &out), RATCHET_ERR, &out),
               "VALIDATION_ERROR", "invalid job request", "/taskId");
    expect_err(answer(f->eng->job_submit("{\"taskName\":\"addition\",\"input\":{\"num1\":1,"
                                         "\"num2\":2},\"outputDestinations\":[{\"type\":"
                                         "\"ftp\"}]}",
                                         &out),
                      RATCHET_ERR, &out),
               "VALIDATION_ERROR", "invalid job request", "/outputDestinations");
    expect_err(answer(f->eng->job_submit("{\"taskName\":\"addition\",\"input\":{\"num1\":"
                                         "9007199254740993,\"num2\":1}}",
                                         &out),
                      RATCHET_ERR, &out),
               "VALIDATION_ERROR", "input does not match", "/input/num1");

    /* taskId as a numeric string; critical = urgent; the same idempotency key: the same job */
    char req[256];
    snprintf(req, sizeof req,
             "{\"taskId\":\"%lld\",\"input\":{\"num1\":1,\"num2\":2},\"priority\":\"critical\","
             "\"idempotencyKey\":\"k1\"}",
             (long long)task_id);
    int64_t a = submit_ok(f, req), b = submit_ok(f, req);
    assert_int_equal(a, b);
    job = answer(f->eng->job_get(a, &out), RATCHET_OK, &out);
    assert_string_equal(str(job, "priority"), "urgent");
    json_object_put(job);
    expect_err(answer(f->eng->job_get(999999, &out), RATCHET_NOTFOUND, &out), "NOT_FOUND",
               "job 999999 not found", NULL);
}

/* answer: "brief": a new job is answered {id, status} only; an idempotency key's existing job
 * in full; anything else is a validation error that names the values. */
static void test_submit_brief_answer(void **state)
{
    fixture *f = *state;
    ratchet_buf out = RATCHET_BUF_INIT;
    static const char brief[] = "{\"taskName\":\"addition\",\"input\":{\"num1\":1,\"num2\":2},"
                                "\"idempotencyKey\":\"brief-1\",\"answer\":\"brief\"}";
    json_object *job = answer(f->eng->job_submit(brief, &out), RATCHET_OK, &out);
    assert_int_equal(json_object_object_length(job), 2);
    assert_true(num(job, "id") > 0);
    assert_string_equal(str(job, "status"), "queued");
    int64_t id = num(job, "id");
    json_object_put(job);
    job = answer(f->eng->job_get(id, &out), RATCHET_OK, &out);
    assert_string_equal(str(job, "taskName"), "addition");
    json_object_put(job);
    job = answer(f->eng->job_submit(brief, &out), RATCHET_OK, &out); /* the same key */
    assert_int_equal(num(job, "id"), id);
    assert_string_equal(str(job, "taskName"), "addition");
    json_object_put(job);
    json_object *e =
        answer(f->eng->job_submit("{\"taskName\":\"addition\",\"answer\":\"short\"}", &out),
               RATCHET_ERR, &out);
    assert_string_equal(detail(e, "/answer"), "expected job (the default) or brief");
    expect_err(e, "VALIDATION_ERROR", "invalid job request", NULL);
}

static void test_disabled_task_conflict(void **state)
{
    fixture *f = *state;
    ratchet_buf out = RATCHET_BUF_INIT;
    json_object *t = answer(f->eng->task_set_enabled("addition", 0, &out), RATCHET_OK, &out);
    assert_false(json_object_get_boolean(get(t, "enabled")));
    json_object_put(t);
    expect_err(answer(f->eng->job_submit("{\"taskName\":\"addition\",\"input\":{\"num1\":1,"
                                         "\"num2\":2}}",
                                         &out),
                      RATCHET_ERR, &out),
               "CONFLICT", "task 'addition' is disabled", NULL);
    t = answer(f->eng->task_set_enabled("addition", 1, &out), RATCHET_OK, &out);
    assert_true(json_object_get_boolean(get(t, "enabled")));
    json_object_put(t);
    submit_ok(f, "{\"taskName\":\"addition\",\"input\":{\"num1\":1,\"num2\":2}}");
    expect_err(answer(f->eng->task_set_enabled("nope", 0, &out), RATCHET_NOTFOUND, &out),
               "NOT_FOUND", "no task 'nope'", NULL);
}

static void test_cancel_retry_states(void **state)
{
    fixture *f = *state;
    ratchet_buf out = RATCHET_BUF_INIT;
    int64_t id = submit_ok(f, "{\"taskName\":\"addition\",\"input\":{\"num1\":1,\"num2\":2}}");
    expect_err(answer(f->eng->job_retry(id, &out), RATCHET_ERR, &out), "CONFLICT",
               "is queued; only failed or cancelled jobs can be retried", NULL);
    json_object *job = answer(f->eng->job_cancel(id, &out), RATCHET_OK, &out);
    assert_string_equal(str(job, "status"), "cancelled");
    json_object_put(job);
    expect_err(answer(f->eng->job_cancel(id, &out), RATCHET_ERR, &out), "CONFLICT",
               "is cancelled; only queued, retrying or processing jobs can be cancelled", NULL);
    job = answer(f->eng->job_retry(id, &out), RATCHET_OK, &out);
    assert_string_equal(str(job, "status"), "queued");
    json_object_put(job);
    expect_err(answer(f->eng->job_cancel(424242, &out), RATCHET_NOTFOUND, &out), "NOT_FOUND",
               "job 424242", NULL);
    expect_err(answer(f->eng->execution_cancel(424242, &out), RATCHET_NOTFOUND, &out), "NOT_FOUND",
               "execution 424242", NULL);
}

static void test_jobs_list_query(void **state)
{
    fixture *f = *state;
    ratchet_buf out = RATCHET_BUF_INIT;
    int64_t ids[3];
    for (int i = 0; i < 3; i++)
        ids[i] = submit_ok(f, "{\"taskName\":\"addition\",\"input\":{\"num1\":1,\"num2\":2}}");
    submit_ok(f, "{\"taskName\":\"dummy-task\",\"input\":{\"value\":\"v\"}}");
    json_object *list = answer(f->eng->jobs_list("{\"where\":[{\"field\":\"taskName\",\"op\":"
                                                 "\"eq\",\"value\":\"addition\"}],\"sort\":"
                                                 "\"id\",\"order\":\"asc\",\"limit\":2}",
                                                 &out),
                               RATCHET_OK, &out);
    assert_int_equal(num(list, "total"), 3);
    assert_int_equal(json_object_array_length(get(list, "items")), 2);
    assert_int_equal(num(json_object_array_get_idx(get(list, "items"), 0), "id"), ids[0]);
    json_object_put(list);
    list = answer(f->eng->jobs_list(NULL, &out), RATCHET_OK, &out); /* default: id desc */
    assert_int_equal(num(list, "total"), 4);
    assert_int_equal(num(json_object_array_get_idx(get(list, "items"), 1), "id"), ids[2]);
    json_object_put(list);
    expect_err(answer(f->eng->jobs_list("{\"where\":[{\"field\":\"input\",\"value\":1}]}", &out),
                      RATCHET_ERR, &out),
               "VALIDATION_ERROR", "allowed fields: id, status, priority", "/where/0");
    expect_err(answer(f->eng->jobs_list("{\"sort\":\"input\"}", &out), RATCHET_ERR, &out),
               "VALIDATION_ERROR", "cannot sort on 'input'", "/sort");
    expect_err(answer(f->eng->jobs_list("{\"where\":[{\"field\":\"id\",\"op\":\"near\","
                                        "\"value\":1}]}",
                                        &out),
                      RATCHET_ERR, &out),
               "VALIDATION_ERROR", "unknown op 'near'", "/where/0");
    list = answer(f->eng->executions_list(NULL, &out), RATCHET_OK, &out);
    assert_int_equal(num(list, "total"), 0);
    json_object_put(list);
}

/* ---- schedules ---------------------------------------------------------------------------- */

static void test_schedule_checks(void **state)
{
    fixture *f = *state;
    ratchet_buf out = RATCHET_BUF_INIT;
    json_object *e = answer(f->eng->schedule_create("{\"name\":\"s\",\"taskName\":\"addition\","
                                                    "\"cron\":\"61 * * * *\"}",
                                                    &out),
                            RATCHET_ERR, &out);
    assert_non_null(strstr(detail(e, "/cron"), "61"));
    expect_err(e, "VALIDATION_ERROR", "invalid schedule", "/cron");
    expect_err(answer(f->eng->schedule_create("{\"name\":\"s\",\"taskName\":\"addition\","
                                              "\"cronExpression\":\"* * *\"}",
                                              &out),
                      RATCHET_ERR, &out),
               "VALIDATION_ERROR", "invalid schedule", "/cronExpression");
    expect_err(answer(f->eng->schedule_create("{\"name\":\"s\",\"taskName\":\"addition\","
                                              "\"cron\":\"* * * * *\",\"timezone\":"
                                              "\"Mars/Olympus\"}",
                                              &out),
                      RATCHET_ERR, &out),
               "VALIDATION_ERROR", "invalid schedule", "/timezone");
    expect_err(answer(f->eng->schedule_create("{\"name\":\"s\",\"taskName\":\"addition\","
                                              "\"cron\":\"* * * * *\",\"input\":{\"num1\":"
                                              "\"a\",\"num2\":1}}",
                                              &out),
                      RATCHET_ERR, &out),
               "VALIDATION_ERROR", "input does not match", "/input/num1");
    expect_err(answer(f->eng->schedule_create("{\"name\":\"s\",\"taskName\":\"nope\","
                                              "\"cron\":\"* * * * *\"}",
                                              &out),
                      RATCHET_NOTFOUND, &out),
               "NOT_FOUND", "no task 'nope'", NULL);
}

static void test_schedule_lifecycle(void **state)
{
    fixture *f = *state;
    ratchet_buf out = RATCHET_BUF_INIT;
    json_object *s = answer(f->eng->schedule_create("{\"name\":\"nightly\",\"taskName\":"
                                                    "\"addition\",\"cron\":\"0 3 * * *\","
                                                    "\"input\":{\"num1\":1,\"num2\":2}}",
                                                    &out),
                            RATCHET_OK, &out);
    assert_string_equal(str(s, "name"), "nightly");
    assert_non_null(strstr(str(s, "nextRunAt"), "T03:00:00"));
    json_object_put(s);
    json_object_put(answer(f->eng->schedule_create("{\"name\":\"hourly\",\"taskName\":"
                                                   "\"dummy-task\",\"cron\":\"@hourly\","
                                                   "\"enabled\":false,\"input\":{\"value\":"
                                                   "\"v\"}}",
                                                   &out),
                           RATCHET_OK, &out));
    json_object *list = answer(f->eng->schedules_list("{\"where\":[{\"field\":\"enabled\","
                                                      "\"value\":true}]}",
                                                      &out),
                               RATCHET_OK, &out);
    assert_int_equal(num(list, "total"), 1);
    assert_string_equal(str(json_object_array_get_idx(get(list, "items"), 0), "name"), "nightly");
    json_object_put(list);

    s = answer(f->eng->schedule_update("nightly", "{\"cron\":\"30 4 * * *\"}", &out), RATCHET_OK,
               &out);
    assert_string_equal(str(s, "cron"), "30 4 * * *");
    assert_non_null(strstr(str(s, "nextRunAt"), "T04:30:00"));
    json_object_put(s);
    expect_err(
        answer(f->eng->schedule_update("nightly", "{\"name\":\"x\"}", &out), RATCHET_ERR, &out),
        "VALIDATION_ERROR", "invalid schedule change", "/name");
    expect_err(
        answer(f->eng->schedule_update("nightly", "{\"cron\":\"bad\"}", &out), RATCHET_ERR, &out),
        "VALIDATION_ERROR", "invalid schedule change", "/cron");

    expect_err(answer(f->eng->schedule_trigger("hourly", &out), RATCHET_ERR, &out), "CONFLICT",
               "schedule 'hourly' is disabled", NULL);
    json_object *job = answer(f->eng->schedule_trigger("nightly", &out), RATCHET_OK, &out);
    assert_string_equal(str(job, "status"), "queued");
    assert_true(num(job, "scheduleId") > 0);
    json_object_put(job);
    s = answer(f->eng->schedule_get("nightly", &out), RATCHET_OK, &out);
    assert_non_null(strstr(str(s, "nextRunAt"), "T04:30:00")); /* a trigger does not move it */
    json_object_put(s);

    s = answer(f->eng->schedule_set_enabled("hourly", 1, &out), RATCHET_OK, &out);
    assert_true(json_object_get_boolean(get(s, "enabled")));
    json_object_put(s);
    json_object_put(answer(f->eng->schedule_delete("hourly", &out), RATCHET_OK, &out));
    expect_err(answer(f->eng->schedule_get("hourly", &out), RATCHET_NOTFOUND, &out), "NOT_FOUND",
               "no schedule 'hourly'", NULL);
}

/* A cron expression cronie reads differently is kept, with both readings in cronWarning. */
static void test_schedule_cron_warning(void **state)
{
    fixture *f = *state;
    ratchet_buf out = RATCHET_BUF_INIT;
    json_object *s = answer(f->eng->schedule_create("{\"name\":\"odd\",\"taskName\":"
                                                    "\"addition\",\"cron\":\"0 0 */2 * MON\","
                                                    "\"input\":{\"num1\":1,\"num2\":2}}",
                                                    &out),
                            RATCHET_OK, &out);
    assert_string_equal(str(s, "cron"), "0 0 */2 * MON");
    const char *w = str(s, "cronWarning");
    assert_non_null(w);
    assert_non_null(strstr(w, "cron expression '0 0 */2 * MON' is read differently by cronie"));
    assert_non_null(strstr(w, "\n  here (the reading this schedule keeps): a day matches when "
                              "EITHER field matches"));
    assert_non_null(strstr(w, "write it '0 0 1-31/2 * MON'"));
    json_object_put(s);
    s = answer(f->eng->schedule_get("odd", &out), RATCHET_OK, &out); /* reads show it too */
    assert_non_null(str(s, "cronWarning"));
    json_object_put(s);
    s = answer(f->eng->schedule_update("odd", "{\"cron\":\"0 0 1-31/2 * MON\"}", &out), RATCHET_OK,
               &out);
    assert_false(json_object_object_get_ex(s, "cronWarning", NULL));
    json_object_put(s);
}

/* ---- events, service ---------------------------------------------------------------------- */

typedef struct got {
    size_t n;
    char last[1024];
} got;

static int keep(void *user, uint64_t seq, const char *json)
{
    got *g = user;
    (void)seq;
    g->n++;
    snprintf(g->last, sizeof g->last, "%s", json);
    return 0;
}

static void test_events_from_api(void **state)
{
    fixture *f = *state;
    ratchet_buf out = RATCHET_BUF_INIT;
    int64_t id = submit_ok(f, "{\"taskName\":\"addition\",\"input\":{\"num1\":1,\"num2\":2}}");
    got g = {0};
    ratchet_engine_sub *sub = f->eng->subscribe(id, 0, 0, keep, &g);
    assert_int_equal(g.n, 1); /* the queued event, replayed */
    assert_non_null(strstr(g.last, "\"status\":\"queued\""));
    assert_non_null(strstr(g.last, "\"taskName\":\"addition\""));
    json_object_put(answer(f->eng->job_cancel(id, &out), RATCHET_OK, &out));
    assert_int_equal(g.n, 2);
    assert_non_null(strstr(g.last, "\"status\":\"cancelled\""));
    assert_non_null(strstr(g.last, "\"final\":true"));
    f->eng->unsubscribe(sub);
}

/* Every line of a Prometheus text is a comment or `name{labels} value`. */
static void check_prometheus(const char *text)
{
    const char *line = text;
    while (*line) {
        const char *end = strchr(line, '\n');
        assert_non_null(end);
        if (*line != '#') {
            const char *p = line;
            while (isalnum((unsigned char)*p) || *p == '_')
                p++;
            assert_true(p > line);
            if (*p == '{') {
                const char *close = memchr(p, '}', (size_t)(end - p));
                assert_non_null(close);
                p = close + 1;
            }
            assert_int_equal(*p, ' ');
            char *num_end;
            strtod(p + 1, &num_end);
            assert_ptr_equal(num_end, end);
        }
        line = end + 1;
    }
}

static void test_service_without_engine(void **state)
{
    fixture *f = *state;
    ratchet_buf out = RATCHET_BUF_INIT;
    submit_ok(f, "{\"taskName\":\"addition\",\"input\":{\"num1\":1,\"num2\":2},"
                 "\"priority\":\"low\"}");
    assert_int_equal(f->eng->ready(), 0); /* no workers */
    json_object *h = answer(f->eng->health(&out), RATCHET_OK, &out);
    assert_string_equal(str(h, "status"), "unhealthy");
    assert_string_equal(str(get(get(h, "checks"), "storage"), "status"), "healthy");
    assert_string_equal(str(get(get(h, "checks"), "workers"), "status"), "unhealthy");
    json_object_put(h);
    json_object *info = answer(f->eng->info(&out), RATCHET_OK, &out);
    assert_string_equal(str(info, "service"), "ratchet");
    json_object_put(info);
    json_object *s = answer(f->eng->stats("jobs", &out), RATCHET_OK, &out);
    assert_int_equal(num(s, "totalJobs"), 1);
    assert_int_equal(num(s, "queuedJobs"), 1);
    assert_int_equal(num(s, "jobsLast24h"), 1);
    json_object_put(s);
    s = answer(f->eng->stats("tasks", &out), RATCHET_OK, &out);
    assert_int_equal(num(s, "totalTasks"), 9);
    json_object_put(s);
    expect_err(answer(f->eng->stats("bogus", &out), RATCHET_ERR, &out), "VALIDATION_ERROR",
               "unknown statistics 'bogus'", NULL);
    assert_int_equal(f->eng->metrics(&out), RATCHET_OK);
    check_prometheus(out.data);
    assert_non_null(strstr(out.data, "ratchet_jobs{status=\"queued\"} 1\n"));
    assert_non_null(strstr(out.data, "ratchet_jobs_by_priority{priority=\"low\"} 1\n"));
    assert_non_null(strstr(out.data, "# TYPE ratchet_queue_wait_seconds histogram\n"));
    assert_non_null(strstr(out.data, "ratchet_execution_duration_seconds_bucket{le=\"+Inf\"} 0\n"));
    rt_buf_free(&out);
    json_object *w = answer(f->eng->workers_list(&out), RATCHET_OK, &out);
    assert_int_equal(json_object_array_length(w), 0);
    json_object_put(w);
}

static void test_unpublished_is_unavailable(void **state)
{
    fixture *f = *state;
    ratchet_buf out = RATCHET_BUF_INIT;
    rt_api_unpublish(f->api);
    expect_err(answer(f->eng->tasks_list(NULL, &out), RATCHET_ERR, &out), "SERVICE_UNAVAILABLE",
               "not running", NULL);
    rt_error err;
    assert_int_equal(rt_api_publish(f->api, 1, &err), RATCHET_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_tasks_list_and_get, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tasks_sync_reports, setup, teardown),
        cmocka_unit_test_setup_teardown(test_submit_validation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_submit_brief_answer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_disabled_task_conflict, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cancel_retry_states, setup, teardown),
        cmocka_unit_test_setup_teardown(test_jobs_list_query, setup, teardown),
        cmocka_unit_test_setup_teardown(test_schedule_checks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_schedule_lifecycle, setup, teardown),
        cmocka_unit_test_setup_teardown(test_schedule_cron_warning, setup, teardown),
        cmocka_unit_test_setup_teardown(test_events_from_api, setup, teardown),
        cmocka_unit_test_setup_teardown(test_service_without_engine, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unpublished_is_unavailable, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
