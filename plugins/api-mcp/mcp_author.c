/*
 * plugins/api-mcp/mcp_author.c - the authoring tools: ratchet_create_task, ratchet_edit_task,
 * ratchet_validate_task and ratchet_run_task_tests, with the original's parameter names, over
 * the engine's task_write, task_validate and task_test (ratchet.engine 1.1).
 *
 * The engine does the work (a task folder in engine.writable_tasks, validated and tested
 * before it is stored); these turn the tool arguments into its request and its answer or error
 * into a tool result. Every failure is an isError result with the engine's message and
 * details. Called on a call thread; nothing here keeps state.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mcp.h"

/* An isError result when the engine predates the authoring calls; NULL when they are there. */
static struct json_object *need_authoring(const mcp *m)
{
    const ratchet_engine_api *eng = m->eng;
    if (RATCHET_HAS_FIELD(eng, ratchet_engine_api, task_test) && eng->task_write &&
        eng->task_validate && eng->task_test)
        return NULL;
    return mcp_tool_error(NULL, "task authoring needs ratchet.engine 1.1; this server's engine "
                                "does not offer it");
}

/* Copy args[from] to req[to] when present. */
static void copy_arg(struct json_object *args, const char *from, struct json_object *req,
                     const char *to)
{
    struct json_object *v = NULL;
    if (json_object_object_get_ex(args, from, &v) && v)
        json_object_object_add(req, to, json_object_get(v));
}

/* The engine's task_write request from the tool's arguments. */
static struct json_object *write_request(struct json_object *args, const char *name)
{
    static const char *const same[] = {"version", "description", "code", "tags", "metadata"};
    struct json_object *req = json_object_new_object();
    json_object_object_add(req, "name", json_object_new_string(name));
    for (size_t i = 0; i < sizeof same / sizeof *same; i++)
        copy_arg(args, same[i], req, same[i]);
    copy_arg(args, "input_schema", req, "inputSchema");
    copy_arg(args, "output_schema", req, "outputSchema");
    copy_arg(args, "test_cases", req, "tests");
    return req;
}

/* Run task_write and, when `enabled` is false, disable the new version's task. */
static struct json_object *write_task(mcp_call *c, struct json_object *args, const char *name,
                                      int replace, const char *what)
{
    struct json_object *req = write_request(args, name), *err = NULL, *en = NULL;
    ratchet_buf out = RATCHET_BUF_INIT;
    ratchet_status st = c->m->eng->task_write(mcp_text(req, NULL), replace, &out);
    json_object_put(req);
    struct json_object *r = mcp_engine_json(st, &out, what, &err);
    if (!r)
        return err;
    if (json_object_object_get_ex(args, "enabled", &en) &&
        json_object_is_type(en, json_type_boolean)) {
        ratchet_buf tb = RATCHET_BUF_INIT;
        struct json_object *task = mcp_engine_json(
            c->m->eng->task_set_enabled(name, json_object_get_boolean(en), &tb), &tb, what, &err);
        if (!task) {
            json_object_put(r);
            return err;
        }
        json_object_object_add(r, "task", task);
    }
    struct json_object *task = mcp_get_object(r, "task");
    char msg[512];
    snprintf(msg, sizeof msg, "Task %s version %s was validated, passed its tests and is stored",
             name, mcp_get_string(task, "version") ? mcp_get_string(task, "version") : "?");
    json_object_object_add(r, "message", json_object_new_string(msg));
    return mcp_tool_ok(r);
}

struct json_object *mcp_tool_create_task(mcp_call *c, struct json_object *args)
{
    struct json_object *missing = need_authoring(c->m);
    if (missing)
        return missing;
    const char *name = mcp_get_string(args, "name");
    if (!name)
        return mcp_tool_error(NULL, "name is required: the task's name ([A-Za-z0-9_-], it names "
                                    "its folder)");
    return write_task(c, args, name, 0, "creating the task");
}

/* The task's name for `task_id` (an id or a name); NULL with *err. */
static char *task_name(mcp_call *c, struct json_object *args, struct json_object **err)
{
    struct json_object *v = NULL;
    if (!json_object_object_get_ex(args, "task_id", &v) || !v) {
        *err = mcp_tool_error(NULL, "task_id is required (the task's id or name)");
        return NULL;
    }
    ratchet_buf out = RATCHET_BUF_INIT;
    struct json_object *task =
        mcp_engine_json(c->m->eng->task_get(json_object_get_string(v), &out), &out, "task", err);
    const char *name = mcp_get_string(task, "name");
    char *copy = name ? strdup(name) : NULL;
    if (task && !copy)
        *err = mcp_tool_error(NULL, "task: the engine's answer has no name");
    json_object_put(task);
    return copy;
}

struct json_object *mcp_tool_edit_task(mcp_call *c, struct json_object *args)
{
    struct json_object *err = need_authoring(c->m);
    if (err)
        return err;
    char *name = task_name(c, args, &err);
    if (!name)
        return err;
    struct json_object *r = write_task(c, args, name, 1, "editing the task");
    free(name);
    return r;
}

struct json_object *mcp_tool_validate_task(mcp_call *c, struct json_object *args)
{
    struct json_object *err = need_authoring(c->m);
    if (err)
        return err;
    char *name = task_name(c, args, &err);
    if (!name)
        return err;
    ratchet_buf out = RATCHET_BUF_INIT;
    struct json_object *r =
        mcp_engine_json(c->m->eng->task_validate(name, &out), &out, "validating the task", &err);
    free(name);
    if (!r)
        return err;
    struct json_object *valid = NULL;
    json_object_object_get_ex(r, "valid", &valid);
    char msg[256];
    snprintf(msg, sizeof msg, "%s",
             json_object_get_boolean(valid)
                 ? "The task is valid"
                 : "The task has problems: see problems (pointer, message)");
    json_object_object_add(r, "message", json_object_new_string(msg));
    return mcp_tool_ok(r);
}

/* The original's test entry: {name, status (passed, failed, skipped), duration_ms, input,
 * actual_output, expected_output, expected_error, reason (of a skip), error?}. */
static struct json_object *original_test(struct json_object *e)
{
    static const struct {
        const char *from, *to;
    } keys[] = {
        {"name", "name"},
        {"status", "status"},
        {"durationMs", "duration_ms"},
        {"input", "input"},
        {"actualOutput", "actual_output"},
        {"expectedOutput", "expected_output"},
        {"shouldFail", "should_fail"},
        {"expectedError", "expected_error"},
        {"reason", "reason"},
        {"error", "error"},
    };
    struct json_object *t = json_object_new_object(), *v;
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
        if (json_object_object_get_ex(e, keys[i].from, &v))
            json_object_object_add(t, keys[i].to, json_object_get(v));
    return t;
}

/* The original's run_task_tests result from the engine's task_test answer. */
static struct json_object *tests_result(struct json_object *ans)
{
    struct json_object *r = json_object_new_object(), *v, *list = json_object_new_array();
    int64_t total = 0, passed = 0, failed = 0, skipped = 0;
    if (json_object_object_get_ex(ans, "skipped", &v))
        skipped = json_object_get_int64(v);
    if (json_object_object_get_ex(ans, "total", &v))
        total = json_object_get_int64(v);
    if (json_object_object_get_ex(ans, "passed", &v))
        passed = json_object_get_int64(v);
    if (json_object_object_get_ex(ans, "failed", &v))
        failed = json_object_get_int64(v);
    struct json_object *results = NULL;
    json_object_object_get_ex(ans, "results", &results);
    for (size_t i = 0; i < mcp_array_len(results); i++)
        json_object_array_add(list, original_test(json_object_array_get_idx(results, i)));
    char msg[256], when[32];
    const char *note = mcp_get_string(ans, "message");
    if (note)
        snprintf(msg, sizeof msg, "%s", note);
    else if (skipped)
        snprintf(msg, sizeof msg, "%lld passed, %lld failed, %lld skipped (of %lld tests)",
                 (long long)passed, (long long)failed, (long long)skipped, (long long)total);
    else
        snprintf(msg, sizeof msg, "%lld of %lld tests passed", (long long)passed, (long long)total);
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    json_object_object_add(
        r, "task_name",
        json_object_new_string(mcp_get_string(ans, "task") ? mcp_get_string(ans, "task") : ""));
    json_object_object_add(r, "version",
                           json_object_new_string(mcp_get_string(ans, "version")
                                                      ? mcp_get_string(ans, "version")
                                                      : ""));
    json_object_object_add(r, "total_tests", json_object_new_int64(total));
    json_object_object_add(r, "passed", json_object_new_int64(passed));
    json_object_object_add(r, "failed", json_object_new_int64(failed));
    json_object_object_add(r, "skipped", json_object_new_int64(skipped));
    json_object_object_add(r, "success_rate",
                           json_object_new_double(total ? (double)passed / (double)total : 0.0));
    json_object_object_add(r, "all_passed", json_object_new_boolean(total > 0 && failed == 0));
    json_object_object_add(r, "message", json_object_new_string(msg));
    json_object_object_add(r, "tests", list);
    json_object_object_add(r, "executed_at", json_object_new_string(when));
    return r;
}

struct json_object *mcp_tool_run_tests(mcp_call *c, struct json_object *args)
{
    struct json_object *err = need_authoring(c->m), *names = NULL;
    if (err)
        return err;
    if (json_object_object_get_ex(args, "test_names", &names) && names &&
        !json_object_is_type(names, json_type_array))
        return mcp_tool_error(NULL, "test_names must be an array of test names");
    char *name = task_name(c, args, &err);
    if (!name)
        return err;
    ratchet_buf out = RATCHET_BUF_INIT;
    struct json_object *ans =
        mcp_engine_json(c->m->eng->task_test(name, names ? mcp_text(names, NULL) : NULL, &out),
                        &out, "running the task's tests", &err);
    free(name);
    if (!ans)
        return err;
    struct json_object *r = tests_result(ans);
    json_object_put(ans);
    struct json_object *failed = NULL;
    json_object_object_get_ex(r, "failed", &failed);
    int any_failed = json_object_get_int64(failed) > 0;
    struct json_object *result = mcp_tool_ok(r);
    if (any_failed) /* a failing test fails the tool; the results stay structured */
        json_object_object_add(result, "isError", json_object_new_boolean(1));
    return result;
}
