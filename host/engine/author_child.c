/* host/engine/author_child.c - the check process of task authoring (see author.h). */
#include "author.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/core_layer.h"
#include "task/task_layer.h"

/* Each run of task code made while authoring is bounded by execution.timeout and this. */
#define AUTHOR_RUN_TIMEOUT_MS 60000

/* ---- problems -------------------------------------------------------------------------------- */

typedef struct problem_list {
    struct json_object *items;
    const char *dir;   /* the folder checked, shown as `shown` in messages */
    const char *shown; /* the task's name */
} problem_list;

/* The task_write member a problem is about, from the file it names. */
static const char *problem_pointer(const char *rel)
{
    static const struct {
        const char *file, *pointer;
    } files[] = {
        {"main.js", "/code"},
        {"input.schema.json", "/inputSchema"},
        {"output.schema.json", "/outputSchema"},
        {"metadata.json", "/metadata"},
        {"tests", "/tests"},
    };
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        size_t len = strlen(files[i].file);
        if (strncmp(rel, files[i].file, len) == 0 && (rel[len] == ':' || rel[len] == '/'))
            return files[i].pointer;
    }
    return "";
}

static void add_detail(struct json_object *list, const char *pointer, const char *message)
{
    struct json_object *d = json_object_new_object();
    json_object_object_add(d, "pointer", json_object_new_string(pointer));
    json_object_object_add(d, "message", json_object_new_string(message));
    json_object_array_add(list, d);
}

static void collect_problem(void *data, const char *problem)
{
    problem_list *p = data;
    size_t dlen = strlen(p->dir);
    if (strncmp(problem, p->dir, dlen) != 0 || problem[dlen] != '/') {
        add_detail(p->items, "", problem);
        return;
    }
    const char *rel = problem + dlen + 1;
    ratchet_buf msg = RATCHET_BUF_INIT;
    rt_buf_printf(&msg, "%s/%s", p->shown, rel);
    add_detail(p->items, problem_pointer(rel), msg.data ? msg.data : problem);
    rt_buf_free(&msg);
}

/* ---- tests ----------------------------------------------------------------------------------- */

/* The lines of `why` (as `ratchet test` prints them) without their indentation. */
static struct json_object *why_text(const ratchet_buf *why)
{
    ratchet_buf text = RATCHET_BUF_INIT;
    for (const char *s = why->data ? why->data : ""; *s;) {
        while (*s == ' ')
            s++;
        const char *nl = strchr(s, '\n');
        size_t len = nl ? (size_t)(nl - s) : strlen(s);
        if (text.len)
            rt_buf_puts(&text, "\n");
        rt_buf_append(&text, s, len);
        s += len + (nl ? 1 : 0);
    }
    struct json_object *v = json_object_new_string(text.data ? text.data : "");
    rt_buf_free(&text);
    return v;
}

static struct json_object *test_entry(const rt_task_test *t, const rt_run_result *res,
                                      rt_test_verdict v, const ratchet_buf *why)
{
    struct json_object *e = json_object_new_object();
    json_object_object_add(e, "name", json_object_new_string(t->name));
    json_object_object_add(e, "status",
                           json_object_new_string(v == RT_TEST_PASSED    ? "passed"
                                                  : v == RT_TEST_SKIPPED ? "skipped"
                                                                         : "failed"));
    if (v == RT_TEST_SKIPPED) {
        json_object_object_add(e, "input", json_object_get(t->input));
        json_object_object_add(e, "reason", json_object_new_string(t->skip));
        return e;
    }
    json_object_object_add(e, "durationMs", json_object_new_int64((int64_t)res->duration_ms));
    json_object_object_add(e, "input", json_object_get(t->input));
    json_object_object_add(e, "expectedOutput", json_object_get(t->expect));
    json_object_object_add(e, "actualOutput", json_object_get(res->output));
    json_object_object_add(e, "shouldFail", json_object_new_boolean(t->should_fail));
    if (t->expect_error)
        json_object_object_add(e, "expectedError", json_object_get(t->expect_error));
    if (res->status != RT_RUN_OK) {
        char *line = rt_run_describe(res);
        json_object_object_add(e, "runError", json_object_new_string(line ? line : "failed"));
        free(line);
    }
    if (v == RT_TEST_FAILED)
        json_object_object_add(e, "error", why_text(why));
    return e;
}

/* 1 when `names` (an array of strings, or NULL for all) holds `name`. */
static int wanted(struct json_object *names, const char *name)
{
    for (size_t i = 0; names && i < json_object_array_length(names); i++)
        if (strcmp(json_object_get_string(json_object_array_get_idx(names, i)), name) == 0)
            return 1;
    return names == NULL;
}

/* A name of `names` that is not a test of `task`, or NULL. */
static const char *unknown_name(const rt_task *task, struct json_object *names)
{
    for (size_t i = 0; names && i < json_object_array_length(names); i++) {
        const char *want = json_object_get_string(json_object_array_get_idx(names, i));
        size_t k = 0;
        while (k < task->ntests && strcmp(task->tests[k].name, want) != 0)
            k++;
        if (k == task->ntests)
            return want;
    }
    return NULL;
}

/* {total, passed, failed, skipped, results} of the tests of `task` named in `names`. A
 * skipped test (nothing to check) counts in total and in skipped only. */
static struct json_object *run_tests(rt_run_request *req, rt_task *task, struct json_object *names)
{
    rt_error err;
    (void)rt_task_compile(task, &err); /* a compile error is reported by each run */
    struct json_object *results = json_object_new_array();
    int64_t passed = 0, failed = 0, skipped = 0;
    for (size_t i = 0; i < task->ntests; i++) {
        const rt_task_test *t = &task->tests[i];
        if (!wanted(names, t->name))
            continue;
        rt_run_result res;
        ratchet_buf why = RATCHET_BUF_INIT;
        rt_test_verdict v = rt_task_run_test(req, task, t, &res, &why);
        json_object_array_add(results, test_entry(t, &res, v, &why));
        if (v == RT_TEST_PASSED)
            passed++;
        else if (v == RT_TEST_SKIPPED)
            skipped++;
        else
            failed++;
        rt_buf_free(&why);
        rt_run_result_free(&res);
    }
    struct json_object *o = json_object_new_object();
    json_object_object_add(o, "total", json_object_new_int64(passed + failed + skipped));
    json_object_object_add(o, "passed", json_object_new_int64(passed));
    json_object_object_add(o, "failed", json_object_new_int64(failed));
    json_object_object_add(o, "skipped", json_object_new_int64(skipped));
    json_object_object_add(o, "results", results);
    return o;
}

/* "test" mode: load DIR and run the named tests, or say why not. */
static void test_mode(rt_run_request *req, const char *dir, struct json_object *names,
                      struct json_object *answer)
{
    rt_error err;
    rt_task *task = rt_task_load(dir, &err);
    const char *unknown = task ? unknown_name(task, names) : NULL;
    if (!task) {
        json_object_object_add(answer, "error", json_object_new_string(err.msg));
    } else if (unknown) {
        ratchet_buf msg = RATCHET_BUF_INIT, list = RATCHET_BUF_INIT;
        for (size_t k = 0; k < task->ntests; k++)
            rt_buf_printf(&list, "%s%s", k ? ", " : "", task->tests[k].name);
        rt_buf_printf(&msg, "task %s has no test named '%s' (%s%s)", task->name, unknown,
                      task->ntests ? "tests: " : "it has no tests", list.data ? list.data : "");
        json_object_object_add(answer, "error", json_object_new_string(msg.data ? msg.data : ""));
        rt_buf_free(&msg);
        rt_buf_free(&list);
    } else {
        json_object_object_add(answer, "tests", run_tests(req, task, names));
    }
    rt_task_free(task);
}

int rt_author_child_main(rt_app *app, int argc, char **argv)
{
    if (argc < 4 || argc > 5)
        return rt_usage_error("check-task", "expected MODE DIR SHOWN [NAMES_JSON]");
    const char *mode = argv[1], *dir = argv[2], *shown = argv[3];
    struct json_object *names = argc == 5 && *argv[4] ? json_tokener_parse(argv[4]) : NULL;
    if (argc == 5 && *argv[4] && !json_object_is_type(names, json_type_array)) {
        json_object_put(names);
        return rt_usage_error("check-task", "NAMES_JSON must be a JSON array of test names");
    }
    int validate = strcmp(mode, "validate") == 0 || strcmp(mode, "write") == 0;
    int test = strcmp(mode, "test") == 0 || strcmp(mode, "write") == 0;
    if (!validate && !test) {
        json_object_put(names);
        return rt_usage_error("check-task", "unknown mode '%s' (validate, test or write)", mode);
    }
    rt_task_flags flags;
    memset(&flags, 0, sizeof flags);
    rt_run_request req;
    int rc = rt_task_prepare(app, "check-task", &flags, &req);
    if (rc != RT_EXIT_OK) {
        json_object_put(names);
        return rc;
    }
    if (req.timeout_ms <= 0 || req.timeout_ms > AUTHOR_RUN_TIMEOUT_MS)
        req.timeout_ms = AUTHOR_RUN_TIMEOUT_MS;
    struct json_object *answer = json_object_new_object();
    size_t nproblems = 0;
    if (validate) {
        problem_list p = {json_object_new_array(), dir, shown};
        nproblems = rt_task_validate(&req, dir, collect_problem, &p, NULL);
        json_object_object_add(answer, "problems", p.items);
    }
    if (test && nproblems == 0)
        test_mode(&req, dir, names, answer);
    printf("%s\n", json_object_to_json_string_ext(answer, JSON_C_TO_STRING_PLAIN));
    fflush(stdout);
    json_object_put(answer);
    json_object_put(names);
    return RT_EXIT_OK;
}
