/*
 * plugins/api-mcp/mcp_batch.c - ratchet_batch_execute: several jobs in one call, in parallel
 * (all queued at once, then awaited), sequentially (one after the other) or by dependency
 * (waves: every request whose dependencies completed is queued together; a request whose
 * dependency failed is skipped). stop_on_error skips what has not started after a failure.
 *
 * Runs on the call's thread; waits through mcp_exec_wait, so progress and cancellation work as
 * for one execution.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <string.h>

#include "mcp.h"

#define MAX_REQUESTS 100

enum { PENDING = 0, RUNNING, COMPLETED, FAILED, SKIPPED };
static const char *const state_names[] = {"pending", "running", "completed", "failed", "skipped"};

typedef struct item {
    struct json_object *req; /* the request (borrowed from args) */
    const char *id;
    int64_t job;
    int state;
    struct json_object *result; /* output or error (owned) */
} item;

static void finish_item(item *it, struct json_object *ev, struct json_object *err)
{
    struct json_object *v = NULL;
    const char *status = mcp_get_string(ev, "status");
    it->state = status && strcmp(status, "completed") == 0 ? COMPLETED : FAILED;
    if (ev && json_object_object_get_ex(ev, it->state == COMPLETED ? "output" : "error", &v))
        it->result = json_object_get(v);
    else if (err) { /* the text of the tool error */
        struct json_object *content = NULL;
        json_object_object_get_ex(err, "content", &content);
        it->result =
            json_object_new_string(mcp_get_string(json_object_array_get_idx(content, 0), "text"));
    }
    json_object_put(ev);
    json_object_put(err);
}

/* Queue one item; on failure it is FAILED at once. */
static void submit_item(mcp_call *c, item *it)
{
    struct json_object *req = json_object_new_object(), *ref = NULL, *input = NULL, *err = NULL;
    json_object_object_get_ex(it->req, "task_id", &ref);
    json_object_object_get_ex(it->req, "input", &input);
    const char *s = json_object_get_string(ref);
    int by_id = json_object_is_type(ref, json_type_int) || strspn(s, "0123456789") == strlen(s);
    json_object_object_add(req, by_id ? "taskId" : "taskName", json_object_get(ref));
    json_object_object_add(req, "input", json_object_get(input));
    it->job = mcp_exec_submit(c, req, &err);
    json_object_put(req);
    it->state = RUNNING;
    if (it->job <= 0)
        finish_item(it, NULL, err);
}

static void wait_item(mcp_call *c, item *it)
{
    struct json_object *err = NULL, *ev = NULL;
    if (it->state != RUNNING)
        return;
    ev = mcp_exec_wait(c, it->job, 0, &err);
    finish_item(it, ev, err);
}

static item *find(item *items, size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(items[i].id, id) == 0)
            return &items[i];
    return NULL;
}

/* PENDING items whose dependencies completed are queued; those with a failed or skipped one
 * are skipped. Returns how many were queued. */
static size_t wave(mcp_call *c, item *items, size_t n, int stop)
{
    size_t queued = 0;
    for (size_t i = 0; i < n; i++) {
        struct json_object *deps = NULL;
        if (items[i].state != PENDING)
            continue;
        json_object_object_get_ex(items[i].req, "dependencies", &deps);
        int ready = 1, dead = stop;
        for (size_t d = 0; d < mcp_array_len(deps); d++) {
            item *dep = find(items, n, json_object_get_string(json_object_array_get_idx(deps, d)));
            ready &= dep->state == COMPLETED;
            dead |= dep->state == FAILED || dep->state == SKIPPED;
        }
        if (dead)
            items[i].state = SKIPPED;
        else if (ready) {
            queued++;
            submit_item(c, &items[i]);
        }
    }
    for (size_t i = 0; i < n; i++)
        wait_item(c, &items[i]);
    return queued;
}

/* The requests are well-formed: ids unique, dependencies known. NULL or an error result. */
static struct json_object *check(item *items, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        struct json_object *ref = NULL, *in = NULL, *deps = NULL;
        if (!items[i].id || !json_object_object_get_ex(items[i].req, "task_id", &ref) ||
            !json_object_object_get_ex(items[i].req, "input", &in))
            return mcp_tool_error(NULL, "requests[%zu] needs id (a string), task_id and input", i);
        if (find(items, i, items[i].id))
            return mcp_tool_error(NULL, "requests[%zu]: the id '%s' is used twice", i, items[i].id);
        if (json_object_object_get_ex(items[i].req, "dependencies", &deps) && deps &&
            !json_object_is_type(deps, json_type_array))
            return mcp_tool_error(NULL, "requests[%zu]: dependencies must be an array of ids", i);
        for (size_t d = 0; d < mcp_array_len(deps); d++) {
            const char *dep = json_object_get_string(json_object_array_get_idx(deps, d));
            if (!dep || !find(items, n, dep))
                return mcp_tool_error(NULL, "requests[%zu]: unknown dependency '%s'", i,
                                      dep ? dep : "?");
        }
    }
    return NULL;
}

static struct json_object *summary(item *items, size_t n, const char *mode)
{
    struct json_object *r = json_object_new_object(), *list = json_object_new_array();
    int counts[5] = {0};
    for (size_t i = 0; i < n; i++) {
        struct json_object *e = json_object_new_object();
        json_object_object_add(e, "id", json_object_new_string(items[i].id));
        json_object_object_add(e, "status", json_object_new_string(state_names[items[i].state]));
        if (items[i].job > 0)
            json_object_object_add(e, "job_id", json_object_new_int64(items[i].job));
        if (items[i].result)
            json_object_object_add(e, items[i].state == COMPLETED ? "output" : "error",
                                   json_object_get(items[i].result));
        json_object_array_add(list, e);
        counts[items[i].state]++;
    }
    json_object_object_add(r, "execution_mode", json_object_new_string(mode));
    json_object_object_add(r, "results", list);
    struct json_object *s = json_object_new_object();
    json_object_object_add(s, "total", json_object_new_int64((int64_t)n));
    for (int k = COMPLETED; k <= SKIPPED; k++)
        json_object_object_add(s, state_names[k], json_object_new_int(counts[k]));
    json_object_object_add(r, "summary", s);
    return r;
}

/* Run the batch in `mode`. */
static void run_mode(mcp_call *c, item *items, size_t n, const char *mode, int stop_on_error)
{
    if (strcmp(mode, "parallel") == 0) {
        for (size_t i = 0; i < n; i++)
            submit_item(c, &items[i]);
        for (size_t i = 0; i < n; i++)
            wait_item(c, &items[i]);
        return;
    }
    int failed = 0;
    if (strcmp(mode, "sequential") == 0) {
        for (size_t i = 0; i < n; i++) {
            if ((failed && stop_on_error) || mcp_call_should_end(c)) {
                items[i].state = SKIPPED;
                continue;
            }
            submit_item(c, &items[i]);
            wait_item(c, &items[i]);
            failed |= items[i].state == FAILED;
        }
        return;
    }
    while (wave(c, items, n, failed && stop_on_error) > 0 && !mcp_call_should_end(c))
        for (size_t i = 0; i < n; i++)
            failed |= items[i].state == FAILED;
    for (size_t i = 0; i < n; i++) /* a cycle, or stopped */
        if (items[i].state == PENDING)
            items[i].state = SKIPPED;
}

struct json_object *mcp_tool_batch(mcp_call *c, struct json_object *args)
{
    struct json_object *reqs = NULL, *v = NULL;
    const char *mode = mcp_get_string(args, "execution_mode");
    mode = mode ? mode : "parallel";
    if (strcmp(mode, "parallel") != 0 && strcmp(mode, "sequential") != 0 &&
        strcmp(mode, "dependency") != 0)
        return mcp_tool_error(NULL, "execution_mode must be parallel, sequential or dependency");
    if (!json_object_object_get_ex(args, "requests", &reqs) ||
        !json_object_is_type(reqs, json_type_array) || mcp_array_len(reqs) == 0 ||
        mcp_array_len(reqs) > MAX_REQUESTS)
        return mcp_tool_error(NULL, "requests must be an array of 1 to %d requests", MAX_REQUESTS);
    size_t n = mcp_array_len(reqs);
    item *items = mcp_host->calloc(n, sizeof *items);
    if (!items)
        return mcp_tool_error(NULL, "out of memory");
    for (size_t i = 0; i < n; i++) {
        items[i].req = json_object_array_get_idx(reqs, i);
        items[i].id = mcp_get_string(items[i].req, "id");
    }
    struct json_object *r = check(items, n);
    if (!r) {
        int stop =
            json_object_object_get_ex(args, "stop_on_error", &v) && json_object_get_boolean(v);
        run_mode(c, items, n, mode, stop);
        r = mcp_tool_ok(summary(items, n, mode));
    }
    for (size_t i = 0; i < n; i++)
        json_object_put(items[i].result);
    mcp_host->free(items);
    return r;
}
