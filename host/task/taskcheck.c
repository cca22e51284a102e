/* host/task/taskcheck.c - validate a task folder and run one of its tests (see taskcheck.h). */
#include "taskcheck.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

static void problem_in(checker *c, const char *dir, const char *file, const char *what)
{
    ratchet_buf line = RATCHET_BUF_INIT;
    rt_buf_printf(&line, "%s/%s: %s", dir, file, what);
    pass_problem(c, line.data ? line.data : what);
    rt_buf_free(&line);
}

/* A schema file, when it parses, must itself be a usable JSON Schema. (That it parses, and
 * is an object, is rt_task_check's business.) */
static void check_schema_file(checker *c, const char *dir, const char *file)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    struct json_object *schema = json_object_from_file(path);
    if (!schema || !json_object_is_type(schema, json_type_object)) {
        json_object_put(schema);
        return;
    }
    rt_error err;
    rt_schema *s = rt_schema_compile(schema, NULL, NULL, NULL, &err);
    if (!s) {
        char line[1200];
        snprintf(line, sizeof line, "not a usable JSON Schema: %s", err.msg);
        problem_in(c, dir, file, line);
    }
    rt_schema_free(s);
    json_object_put(schema);
}

/* main.js must compile and expose something to call: checked in a child process (compiling
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
        problem_in(c, task->dir, "main.js", line ? line : "does not compile");
        free(line);
    }
    rt_run_result_free(&res);
}

/* A task folder whose metadata is broken can still have its code and schemas checked: build
 * just enough of a task to compile main.js. */
static void check_folder_parts(checker *c, rt_run_request *req, const char *dir)
{
    check_schema_file(c, dir, "input.schema.json");
    check_schema_file(c, dir, "output.schema.json");
    char path[4096];
    snprintf(path, sizeof path, "%s/main.js", dir);
    FILE *f = fopen(path, "rb");
    if (!f)
        return; /* reported by rt_task_check */
    ratchet_buf code = RATCHET_BUF_INIT;
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && code.len < (4u << 20))
        rt_buf_append(&code, chunk, n);
    fclose(f);
    rt_task task;
    memset(&task, 0, sizeof task);
    task.dir = (char *)dir;
    task.name = (char *)"task";
    task.version = (char *)"0";
    task.code = code.data ? code.data : (char *)"";
    task.code_len = code.len;
    check_code(c, req, &task);
    rt_buf_free(&code);
}

static int is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

size_t rt_task_validate(rt_run_request *req, const char *path, rt_task_problem_fn fn, void *data,
                        rt_task **loaded)
{
    checker c = {fn, data, 0};
    if (loaded)
        *loaded = NULL;
    rt_task_check(path, pass_problem, &c);
    if (c.count) {
        if (is_dir(path))
            check_folder_parts(&c, req, path);
        return c.count;
    }
    rt_error err;
    rt_task *task = rt_task_load(path, &err);
    if (!task) {
        pass_problem(&c, err.msg);
        return c.count;
    }
    check_schema_file(&c, task->dir, "input.schema.json");
    check_schema_file(&c, task->dir, "output.schema.json");
    check_code(&c, req, task);
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

int rt_task_run_test(rt_run_request *req, const rt_task *task, const rt_task_test *t,
                     rt_run_result *res, ratchet_buf *why)
{
    req->task = task;
    req->input_json = json_object_to_json_string_ext(t->input, JSON_C_TO_STRING_PLAIN);
    req->mock_http = mock_http(t);
    rt_run_task(req, res);
    req->input_json = NULL;
    req->mock_http = NULL;
    size_t before = why->len;
    if (t->should_fail) {
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
    } else if (!t->expect) {
        rt_buf_printf(why, "  %s has no expected_output (or expected) to compare with\n", t->file);
    } else {
        rt_json_diff(t->expect, res->output, why, 20);
    }
    return why->len == before;
}
