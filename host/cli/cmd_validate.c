/* host/cli/cmd_validate.c - `ratchet validate`: check a task package without running it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "core/core_layer.h"
#include "task/task_layer.h"

typedef struct problems {
    size_t count;
} problems;

/* rt_task_validate's problems already start with the file they are about. */
static void print_problem(void *data, const char *problem)
{
    problems *p = data;
    printf("%s\n", problem);
    p->count++;
}

static void validate_one(rt_run_request *req, const char *path, problems *p)
{
    rt_task *task = NULL;
    if (rt_task_validate(req, path, print_problem, p, &task) == 0 && task)
        printf("%s: OK (%s %s, %zu test%s)\n", path, task->name, task->version, task->ntests,
               task->ntests == 1 ? "" : "s");
    rt_task_free(task);
}

static int validate_run(rt_app *app, int argc, char **argv)
{
    rt_task_flags f;
    rt_run_request req;
    char **paths;
    size_t npaths;
    int rc = rt_task_collection_start(app, "validate", argc, argv, &f, &req, &paths, &npaths);
    if (rc >= 0)
        return rc;
    problems p = {0};
    if (npaths == 0) {
        printf("%s/metadata.json: no task here (a task folder holds metadata.json and main.js, or "
               "meta.yaml and its entry file)\n",
               f.from_fs);
        p.count++;
    }
    for (size_t i = 0; i < npaths; i++) {
        validate_one(&req, paths[i], &p);
        free(paths[i]);
    }
    free(paths);
    if (p.count)
        fprintf(stderr, "ratchet: %zu problem%s found\n", p.count, p.count == 1 ? "" : "s");
    return p.count ? RT_EXIT_FAIL : RT_EXIT_OK;
}

const rt_command rt_cmd_validate = {
    "validate",
    "Check a task package (metadata, schemas, main.js, tests) without running it",
    "Usage: ratchet validate --from-fs PATH\n\n"
    "Checks the task in PATH (a folder, a .zip or a collection folder): metadata.json fields\n"
    "(or meta.yaml's, with its inputs/outputs), that the input and output schemas are usable\n"
    "JSON Schemas, that main.js (or meta.yaml's entrypoint) compiles and exposes a function to\n"
    "call (a global main, a script that evaluates to a function, or module.exports /\n"
    "exports.main), and the shape of the tests. Prints one line per problem, naming the file\n"
    "(and for meta.yaml the line and the key: \"meta.yaml:4: inputs.count.type: ...\").\n"
    "Exit status: 0 no problems, 1 problems found, 2 usage.\n",
    validate_run,
};
