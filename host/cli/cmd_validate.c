/* host/cli/cmd_validate.c - `ratchet validate`: check a task package without running it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "core/core_layer.h"
#include "task/task_layer.h"

typedef struct problems {
    size_t count;
} problems;

/* rt_task_check's problems already start with the file they are about. */
static void print_problem(void *data, const char *problem)
{
    problems *p = data;
    printf("%s\n", problem);
    p->count++;
}

static void problem_in(problems *p, const char *dir, const char *file, const char *what)
{
    printf("%s/%s: %s\n", dir, file, what);
    p->count++;
}

/* A schema file, when it parses, must itself be a usable JSON Schema. (That it parses, and
 * is an object, is rt_task_check's business.) */
static void check_schema_file(problems *p, const char *dir, const char *file)
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
        problem_in(p, dir, file, line);
    }
    rt_schema_free(s);
    json_object_put(schema);
}

/* main.js must compile and expose something to call: checked in a child process (compiling
 * runs the top level once, which may not terminate). */
static void check_code(problems *p, rt_run_request *req, const rt_task *task)
{
    req->task = task;
    req->compile_only = 1;
    rt_run_result res;
    rt_run_task(req, &res);
    if (res.status != RT_RUN_OK) {
        char *line = rt_run_describe(&res);
        problem_in(p, task->dir, "main.js", line ? line : "does not compile");
        free(line);
    }
    rt_run_result_free(&res);
}

/* A task folder whose metadata is broken can still have its code and schemas checked: build
 * just enough of a task to compile main.js. */
static void check_folder_parts(problems *p, rt_run_request *req, const char *dir)
{
    check_schema_file(p, dir, "input.schema.json");
    check_schema_file(p, dir, "output.schema.json");
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
    check_code(p, req, &task);
    rt_buf_free(&code);
}

static int is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static void validate_one(rt_run_request *req, const char *path, problems *p)
{
    size_t before = p->count;
    rt_task_check(path, print_problem, p);
    if (p->count > before) {
        if (is_dir(path))
            check_folder_parts(p, req, path);
        return;
    }
    rt_error err;
    rt_task *task = rt_task_load(path, &err);
    if (!task) {
        print_problem(p, err.msg);
        return;
    }
    check_schema_file(p, task->dir, "input.schema.json");
    check_schema_file(p, task->dir, "output.schema.json");
    check_code(p, req, task);
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
    problems p = {0};
    if (npaths == 0)
        problem_in(&p, f.from_fs, "metadata.json",
                   "no task here (a task folder holds metadata.json and main.js)");
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
