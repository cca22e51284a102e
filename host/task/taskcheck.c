/* host/task/taskcheck.c - validate a task folder and run one of its tests (see taskcheck.h). */
#include "taskcheck.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsondiff.h"
#include "schema.h"

typedef struct checker {
    rt_task_problem_fn fn;
    void *data;
    size_t count;
} checker;

/* rt_task_check's problems already start with the file they are about. */
static void pass_problem(void *data, const char *problem)
{
    checker *c = data;
    c->fn(c->data, problem);
    c->count++;
}

/* "<shown><file>: what": shown is how the task names its folder ("dir/", "x.zip!"). */
static void problem_in(checker *c, const char *shown, const char *file, const char *what)
{
    ratchet_buf line = RATCHET_BUF_INIT;
    rt_buf_printf(&line, "%s%s: %s", shown, file, what);
    pass_problem(c, line.data ? line.data : what);
    rt_buf_free(&line);
}

/* A schema, when it was read, must itself be a usable JSON Schema. (That it parses, and is an
 * object, is rt_task_check's business.) */
static void check_schema(checker *c, const rt_task *task, struct json_object *schema,
                         const char *from)
{
    if (!schema || !json_object_is_type(schema, json_type_object))
        return;
    rt_error err;
    rt_schema *s = rt_schema_compile(schema, NULL, NULL, NULL, &err);
    if (!s) {
        char line[1200];
        /* from is a file ("input.schema.json") or a key of meta.yaml ("inputs") */
        if (strchr(from, '.'))
            snprintf(line, sizeof line, "not a usable JSON Schema: %s", err.msg);
        else
            snprintf(line, sizeof line, "%s: not a usable JSON Schema: %s", from, err.msg);
        problem_in(c, task->shown ? task->shown : "", strchr(from, '.') ? from : task->meta_file,
                   line);
    }
    rt_schema_free(s);
}

/* The code must compile and expose something to call: checked in a child process (compiling
 * runs the top level once, which may not terminate). */
static void check_code(checker *c, rt_run_request *req, const rt_task *task)
{
    req->task = task;
    req->compile_only = 1;
    rt_run_result res;
    rt_run_task(req, &res);
    req->compile_only = 0;
    if (res.status != RT_RUN_OK) {
        char *line = rt_run_describe(&res);
        problem_in(c, task->shown ? task->shown : "", task->entry,
                   line ? line : "does not compile");
        free(line);
    }
    rt_run_result_free(&res);
}

size_t rt_task_validate(rt_run_request *req, const char *path, rt_task_problem_fn fn, void *data,
                        rt_task **loaded)
{
    checker c = {fn, data, 0};
    if (loaded)
        *loaded = NULL;
    size_t found;
    rt_task *task = rt_task_scan(path, pass_problem, &c, &found);
    if (!task)
        return c.count;
    /* A task whose metadata is broken can still have its code and schemas checked. */
    check_schema(&c, task, task->input_schema, task->input_schema_from);
    check_schema(&c, task, task->output_schema, task->output_schema_from);
    if (task->code && task->entry) {
        if (!task->name && !(task->name = strdup("task")))
            pass_problem(&c, "out of memory");
        else
            check_code(&c, req, task);
    }
    if (c.count == 0 && loaded)
        *loaded = task;
    else
        rt_task_free(task);
    return c.count;
}

/* The mock.http value of a test (an object or an array), or NULL. */
static struct json_object *mock_http(const rt_task_test *t)
{
    struct json_object *http;
    return t->mock && json_object_object_get_ex(t->mock, "http", &http) ? http : NULL;
}

/* Whether a failed run failed the way expected_error says (see taskcheck.h). */
static int error_matches(struct json_object *want, const rt_run_result *res)
{
    /* A failure that is not a thrown error is named by its kind ("input invalid"). */
    const char *name = res->error_name ? res->error_name : rt_run_status_name(res->status);
    const char *msg = res->message ? res->message : "";
    if (json_object_is_type(want, json_type_string)) {
        const char *w = json_object_get_string(want);
        return strcmp(name, w) == 0 || strstr(msg, w) != NULL;
    }
    struct json_object *wn = NULL, *wm = NULL;
    json_object_object_get_ex(want, "name", &wn);
    json_object_object_get_ex(want, "message", &wm);
    return (!wn || strcmp(name, json_object_get_string(wn)) == 0) &&
           (!wm || strstr(msg, json_object_get_string(wm)) != NULL);
}

/* Why an expected error did not come, into why. */
static void expected_error_missed(const rt_task_test *t, const rt_run_result *res, ratchet_buf *why)
{
    const char *want = json_object_to_json_string_ext(t->expect_error, JSON_C_TO_STRING_PLAIN);
    if (res->status == RT_RUN_OK) {
        rt_buf_printf(why, "  expected_error %s, but the run succeeded with %s\n", want,
                      json_object_to_json_string_ext(res->output, JSON_C_TO_STRING_PLAIN));
        return;
    }
    char *line = rt_run_describe(res);
    if (res->status == RT_RUN_HOST_ERROR)
        rt_buf_printf(why, "  could not run: %s\n", res->message ? res->message : "?");
    else
        rt_buf_printf(why, "  expected_error %s, but the run failed otherwise: %s\n", want,
                      line ? line : "failed");
    free(line);
}

rt_test_verdict rt_task_run_test(rt_run_request *req, const rt_task *task, const rt_task_test *t,
                                 rt_run_result *res, ratchet_buf *why)
{
    if (t->skip) {
        memset(res, 0, sizeof *res);
        rt_buf_printf(why, "  %s\n", t->skip);
        return RT_TEST_SKIPPED;
    }
    req->task = task;
    req->input_json = json_object_to_json_string_ext(t->input, JSON_C_TO_STRING_PLAIN);
    req->mock_http = mock_http(t);
    rt_run_task(req, res);
    req->input_json = NULL;
    req->mock_http = NULL;
    size_t before = why->len;
    if (t->expect_error) {
        if (res->status == RT_RUN_OK || res->status == RT_RUN_HOST_ERROR ||
            !error_matches(t->expect_error, res))
            expected_error_missed(t, res, why);
    } else if (t->should_fail) {
        if (res->status == RT_RUN_OK)
            rt_buf_printf(why, "  should_fail is set, but the run succeeded with %s\n",
                          json_object_to_json_string_ext(res->output, JSON_C_TO_STRING_PLAIN));
        else if (res->status == RT_RUN_HOST_ERROR)
            rt_buf_printf(why, "  could not run: %s\n", res->message ? res->message : "?");
    } else if (res->status != RT_RUN_OK) {
        char *line = rt_run_describe(res);
        rt_buf_printf(why, "  %s\n", line ? line : "failed");
        free(line);
        if (res->stack && *res->stack)
            rt_buf_printf(why, "  %s\n", res->stack);
    } else {
        rt_json_diff(t->expect, res->output, why, 20);
    }
    return why->len == before ? RT_TEST_PASSED : RT_TEST_FAILED;
}
