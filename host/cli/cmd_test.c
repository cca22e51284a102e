/* host/cli/cmd_test.c - `ratchet test`: run a task's tests/NAME.json files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "core/core_layer.h"
#include "task/task_layer.h"

typedef struct tally {
    size_t passed, failed, skipped;
} tally;

static void run_one(rt_run_request *req, const rt_task *task, const rt_task_test *t, int many,
                    tally *tl)
{
    const char *label = t->name;
    char *shown = NULL;
    if (many) {
        size_t len = strlen(task->name) + strlen(t->name) + 2;
        shown = malloc(len);
        if (shown) {
            snprintf(shown, len, "%s/%s", task->name, t->name);
            label = shown;
        }
    }
    rt_run_result res;
    ratchet_buf why = RATCHET_BUF_INIT;
    rt_test_verdict v = rt_task_run_test(req, task, t, &res, &why);
    if (v == RT_TEST_PASSED) {
        printf("PASS %s (%.0f ms)\n", label, res.duration_ms);
        tl->passed++;
    } else if (v == RT_TEST_SKIPPED) {
        printf("SKIP %s\n%s", label, why.data ? why.data : "");
        tl->skipped++;
    } else {
        printf("FAIL %s (%.0f ms)\n%s", label, res.duration_ms, why.data ? why.data : "");
        tl->failed++;
    }
    fflush(stdout);
    rt_buf_free(&why);
    rt_run_result_free(&res);
    free(shown);
}

static int test_run(rt_app *app, int argc, char **argv)
{
    rt_task_flags f;
    rt_run_request req;
    char **paths;
    size_t npaths;
    int rc = rt_task_collection_start(app, "test", argc, argv, &f, &req, &paths, &npaths);
    if (rc >= 0)
        return rc;
    if (npaths == 0) {
        free(paths);
        return rt_cli_fail("no task found in %s (a task folder holds metadata.json or meta.yaml)",
                           f.from_fs);
    }
    tally tl = {0, 0, 0};
    size_t broken = 0;
    for (size_t i = 0; i < npaths; i++) {
        rt_task *task = rt_task_open(paths[i]);
        if (!task) {
            broken++;
        } else if (task->ntests == 0) {
            fprintf(stderr, "ratchet: %s has no tests (add tests/NAME.json files)\n", paths[i]);
        }
        for (size_t k = 0; task && k < task->ntests; k++)
            run_one(&req, task, &task->tests[k], npaths > 1, &tl);
        rt_task_free(task);
        free(paths[i]);
    }
    free(paths);
    printf("%zu passed, %zu failed, %zu skipped\n", tl.passed, tl.failed + broken, tl.skipped);
    return tl.failed || broken ? RT_EXIT_FAIL : RT_EXIT_OK;
}

const rt_command rt_cmd_test = {
    "test",
    "Run a task's tests (tests/NAME.json) and compare outputs",
    "Usage: ratchet test --from-fs PATH [--timeout SECONDS] [--memory-mb N]\n\n"
    "Runs every tests/NAME.json of the task in PATH (a folder, a .zip, or a collection folder\n"
    "of tasks), each in its own child process:\n"
    "  {\"input\": {...}, \"expected_output\": {...}, \"mock\": {\"http\": [...]}}\n"
    "(`expected` is accepted for expected_output). Outputs are compared as JSON values (key\n"
    "order and 1 vs 1.0 do not matter). A mock answers fetch() calls whose method and URL match\n"
    "({\"method\", \"url\", \"response\"}; the response is a full {status, headers, body} or a\n"
    "body alone); an unmatched request fails the test, naming it. No network is used when a\n"
    "test has mocks. A test with \"should_fail\": true passes when the run fails; one with\n"
    "\"expected_error\": \"X\" passes when the run fails with an error named X (exactly,\n"
    "e.g. \"ValidationError\") or whose message contains X ({\"name\": N, \"message\": M}: both).\n"
    "A test with none of expected_output, expected, expected_error and should_fail is skipped.\n"
    "A task in meta.yaml form may also hold tests under its test_cases key.\n\n"
    "Prints PASS/FAIL/SKIP per test with the differences or the reason, then\n"
    "\"N passed, N failed, N skipped\".\n"
    "Exit status: 0 none failed (skipped tests do not fail), 1 any failed, 2 usage.\n",
    test_run,
};
