/* host/cmd_validate.c - `ratchet validate`: check a task package without running it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema.h"
#include "taskcli.h"

typedef struct problems {
    const char *path;
    size_t count;
} problems;

static void print_problem(void *data, const char *problem)
{
    problems *p = data;
    printf("%s: %s\n", p->path, problem);
    p->count++;
}

/* Each schema file must itself be a usable JSON Schema. */
static void check_schema_file(problems *p, struct json_object *schema, const char *file)
{
    if (!schema)
        return;
    rt_error err;
    rt_schema *s = rt_schema_compile(schema, NULL, NULL, NULL, &err);
    if (!s) {
        char line[1200];
        snprintf(line, sizeof line, "%s is not a usable JSON Schema: %s", file, err.msg);
        print_problem(p, line);
    }
    rt_schema_free(s);
}

static void validate_one(rt_run_request *req, const char *path, problems *p)
{
    p->path = path;
    size_t before = p->count;
    rt_task_check(path, print_problem, p);
    if (p->count > before)
        return; /* nothing more can be checked reliably */
    rt_error err;
    rt_task *task = rt_task_load(path, &err);
    if (!task) {
        print_problem(p, err.msg);
        return;
    }
    check_schema_file(p, task->input_schema, "input.schema.json");
    check_schema_file(p, task->output_schema, "output.schema.json");
    req->task = task;
    req->compile_only = 1;
    rt_run_result res;
    rt_run_task(req, &res);
    if (res.status != RT_RUN_OK) {
        char *line = rt_run_describe(&res);
        print_problem(p, line ? line : "main.js does not compile");
        free(line);
    }
    rt_run_result_free(&res);
    if (p->count == before)
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
    problems p = {f.from_fs, 0};
    if (npaths == 0)
        print_problem(&p, "no task here (a task folder holds metadata.json and main.js)");
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
    "Checks the task in PATH (a folder, a .zip or a collection folder): metadata.json fields,\n"
    "that input.schema.json and output.schema.json are usable JSON Schemas, that main.js\n"
    "compiles and exposes a function to call (a global main, or a script that evaluates to a\n"
    "function), and the shape of tests/NAME.json. Prints one line per problem.\n"
    "Exit status: 0 no problems, 1 problems found, 2 usage.\n",
    validate_run,
};
