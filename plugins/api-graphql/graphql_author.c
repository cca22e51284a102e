/*
 * graphql_author.c - the task authoring mutations over the engine's task_write, task_validate
 * and task_test (ratchet.engine 1.1): createTask, updateTask, validateTask, testTask, and the
 * original's MCP-backed ones with its names, arguments and result shapes - mcpCreateTask and
 * mcpEditTask (answering JSON, as the original did) and mcpTestTask (McpTaskTestResults).
 *
 * The engine does the work (a task folder in engine.writable_tasks, validated and its tests
 * run before it is stored) with the same checks as the MCP tools ratchet_create_task and
 * ratchet_edit_task; a refusal is a GraphQL error with the engine's code and its message
 * followed by each problem (" at /code: NAME/main.js: compile error: main.js:2:11: ..."), as
 * those tools word it. Nothing here keeps state.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <string.h>

#include "graphql.h"

static int authoring(gql_resolve_info *info)
{
    const ratchet_engine_api *e = graphql_eng(info);
    if (!RATCHET_HAS_FIELD(e, ratchet_engine_api, task_test))
        return gql_resolve_error(info, "SERVICE_UNAVAILABLE",
                                 "this server's engine does not write or test tasks");
    return 0;
}

/* A test report of the engine ({task, version, total, passed, failed, skipped?, results}) as
 * TaskTestReport / McpTaskTestResults {task, version, total, passed, failed, skipped,
 * testResults}. */
static json_object *report(json_object *r)
{
    json_object *o = json_object_new_object(), *v;
    static const char *const keys[] = {"task", "version", "total", "passed", "failed"};
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
        if ((v = json_object_object_get(r, keys[i])))
            json_object_object_add(o, keys[i], json_object_get(v));
    v = json_object_object_get(r, "skipped");
    json_object_object_add(o, "skipped", v ? json_object_get(v) : json_object_new_int(0));
    v = json_object_object_get(r, "results");
    json_object_object_add(o, "testResults", v ? json_object_get(v) : json_object_new_array());
    return o;
}

/* TaskTestInput / TaskTestCaseInput values as the engine's tests ({name?, input,
 * expected_output?, should_fail?}). */
static json_object *engine_tests(json_object *list)
{
    static const struct {
        const char *from, *to;
    } keys[] = {{"name", "name"},
                {"input", "input"},
                {"expectedOutput", "expected_output"},
                {"shouldFail", "should_fail"}};
    json_object *tests = json_object_new_array(), *v;
    for (size_t i = 0; i < json_object_array_length(list); i++) {
        json_object *t = json_object_array_get_idx(list, i), *o = json_object_new_object();
        for (size_t k = 0; k < sizeof keys / sizeof *keys; k++)
            if ((v = json_object_object_get(t, keys[k].from)))
                json_object_object_add(o, keys[k].to, json_object_get(v));
        json_object_array_add(tests, o);
    }
    return tests;
}

/* Write task `name` (replace: a new version of it) from input object `in` (CreateTaskInput,
 * UpdateTaskInput, McpCreateTaskInput or McpEditTaskInput; `version` when it has none, NULL
 * for the engine's default): the engine's task_write, then,
 * when `enabled` is given, task_set_enabled (as ratchet_create_task does). The engine's answer
 * {task, path, validation, tests} (task as set_enabled answers it), or NULL after a resolver
 * error. */
static json_object *write_task(gql_resolve_info *info, json_object *in, const char *name,
                               int replace, const char *version)
{
    if (authoring(info) < 0)
        return NULL;
    const ratchet_engine_api *e = graphql_eng(info);
    json_object *req = json_object_new_object();
    json_object_object_foreach(in, key, val)
    {
        if (strcmp(key, "enabled") == 0 || strcmp(key, "name") == 0)
            continue;
        if (strcmp(key, "tests") == 0 || strcmp(key, "testCases") == 0)
            json_object_object_add(req, "tests", engine_tests(val));
        else
            json_object_object_add(req, key, json_object_get(val));
    }
    json_object_object_add(req, "name", json_object_new_string(name));
    if (version && !json_object_object_get(req, "version"))
        json_object_object_add(req, "version", json_object_new_string(version));
    ratchet_buf buf = RATCHET_BUF_INIT;
    ratchet_status st =
        e->task_write(json_object_to_json_string_ext(req, JSON_C_TO_STRING_PLAIN), replace, &buf);
    json_object_put(req);
    json_object *ans = graphql_answer_detailed(info, st, &buf);
    json_object *en = json_object_object_get(in, "enabled");
    if (!ans || !en || !json_object_is_type(en, json_type_boolean))
        return ans;
    ratchet_buf tb = RATCHET_BUF_INIT;
    json_object *task =
        graphql_answer(info, e->task_set_enabled(name, json_object_get_boolean(en), &tb), &tb, 0);
    if (!task) {
        json_object_put(ans);
        return NULL;
    }
    json_object_object_add(ans, "task", task);
    return ans;
}

/* createTask / updateTask: TaskWriteResult. */
static int r_write(gql_resolve_info *info, gql_value *out)
{
    int replace = strcmp(info->field->name, "updateTask") == 0;
    json_object *in = json_object_object_get(info->args, "input");
    json_object *name = json_object_object_get(replace ? info->args : in, replace ? "id" : "name");
    json_object *ans = write_task(info, in, json_object_get_string(name), replace, NULL);
    if (!ans)
        return -1;
    json_object *o = json_object_new_object();
    json_object_object_add(o, "task", graphql_task(json_object_object_get(ans, "task")));
    json_object_object_add(o, "path", json_object_get(json_object_object_get(ans, "path")));
    json_object_object_add(o, "validation",
                           json_object_get(json_object_object_get(ans, "validation")));
    json_object_object_add(o, "tests", report(json_object_object_get(ans, "tests")));
    json_object_put(ans);
    out->json = o;
    return 0;
}

/* mcpCreateTask / mcpEditTask: the original's JSON answer ({status, message, task_name,
 * version, enabled, test_cases_count}) with what was stored ({task, path, validation, tests}).
 * mcpCreateTask's version defaults to 1.0.0, as the original's did. */
static int r_mcp_write(gql_resolve_info *info, gql_value *out)
{
    int replace = strcmp(info->field->name, "mcpEditTask") == 0;
    json_object *in = json_object_object_get(info->args, "input");
    const char *name = json_object_get_string(json_object_object_get(in, "name"));
    json_object *ans = write_task(info, in, name, replace, replace ? NULL : "1.0.0");
    if (!ans)
        return -1;
    json_object *task = graphql_task(json_object_object_get(ans, "task"));
    json_object *tests = report(json_object_object_get(ans, "tests"));
    json_object *version = json_object_object_get(task, "version");
    char msg[512];
    snprintf(msg, sizeof msg, "Task %s version %s was validated, passed its tests and is stored",
             name, version ? json_object_get_string(version) : "?");
    json_object *o = json_object_new_object();
    json_object_object_add(o, "status", json_object_new_string("success"));
    json_object_object_add(o, "message", json_object_new_string(msg));
    json_object_object_add(o, "task_name", json_object_new_string(name));
    json_object_object_add(o, "version", json_object_get(version));
    json_object_object_add(o, "enabled", json_object_get(json_object_object_get(task, "enabled")));
    json_object_object_add(o, "test_cases_count",
                           json_object_get(json_object_object_get(tests, "total")));
    json_object_object_add(o, "task", task);
    json_object_object_add(o, "path", json_object_get(json_object_object_get(ans, "path")));
    json_object_object_add(o, "validation",
                           json_object_get(json_object_object_get(ans, "validation")));
    json_object_object_add(o, "tests", tests);
    json_object_put(ans);
    out->json = o;
    return 0;
}

static int r_validate(gql_resolve_info *info, gql_value *out)
{
    if (authoring(info) < 0)
        return -1;
    ratchet_buf buf = RATCHET_BUF_INIT;
    const char *ref = json_object_get_string(json_object_object_get(info->args, "id"));
    out->json = graphql_answer(info, graphql_eng(info)->task_validate(ref, &buf), &buf, 0);
    return out->json ? 0 : -1;
}

/* testTask(id, names) / mcpTestTask(taskName): the engine's task_test; failing tests are the
 * answer (failed > 0), not an error. */
static int r_test(gql_resolve_info *info, gql_value *out)
{
    if (authoring(info) < 0)
        return -1;
    json_object *ref = json_object_object_get(info->args, "id");
    if (!ref)
        ref = json_object_object_get(info->args, "taskName");
    json_object *names = json_object_object_get(info->args, "names");
    ratchet_buf buf = RATCHET_BUF_INIT;
    json_object *ans = graphql_answer_detailed(
        info,
        graphql_eng(info)->task_test(
            json_object_get_string(ref),
            names ? json_object_to_json_string_ext(names, JSON_C_TO_STRING_PLAIN) : NULL, &buf),
        &buf);
    if (!ans)
        return -1;
    out->json = report(ans);
    json_object_put(ans);
    return 0;
}

int graphql_author_install(gql_schema *s)
{
    static const struct {
        const char *field;
        gql_resolve_fn fn;
    } table[] = {
        {"createTask", r_write}, {"updateTask", r_write},        {"validateTask", r_validate},
        {"testTask", r_test},    {"mcpCreateTask", r_mcp_write}, {"mcpEditTask", r_mcp_write},
        {"mcpTestTask", r_test},
    };
    for (size_t i = 0; i < sizeof table / sizeof *table; i++)
        if (gql_schema_resolver(s, "Mutation", table[i].field, table[i].fn, NULL) < 0)
            return -1;
    return 0;
}
