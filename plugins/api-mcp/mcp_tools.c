/*
 * plugins/api-mcp/mcp_tools.c - the tool table (the original's ratchet_* names and parameter
 * names), tools/list with cursor paging, the per-task tools (task_<name>) and tools/call's
 * dispatch with the scope check.
 *
 * tools/list pages over the static tools followed by the enabled tasks (sorted by name, at most
 * 1,000: the engine's list limit). Called on the transport's thread (tools/list) or a call
 * thread (tools/call); nothing here keeps state.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "mcp.h"

typedef struct json_object *(*tool_fn)(mcp_call *c, struct json_object *args);

typedef struct tool {
    const char *name;
    const char *title;
    const char *description;
    const char *input_schema; /* JSON text */
    int write;                /* runs or stores something: needs the write scope */
    tool_fn fn;
} tool;

#define EXEC_ID                                                                                    \
    "{\"type\":\"object\",\"properties\":{\"execution_id\":{\"type\":[\"integer\",\"string\"],"    \
    "\"description\":\"The execution's id\"}"
#define PAGING                                                                                     \
    "\"page\":{\"type\":\"integer\",\"minimum\":0,\"description\":\"0-based "                      \
    "page\"},\"limit\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":1000,\"description\":"      \
    "\"Items per page (default 50)\"}"

/* What create and edit share: version, tags, enabled, metadata, test_cases. */
#define AUTHOR_COMMON                                                                              \
    "\"version\":{\"type\":\"string\",\"description\":\"Default 0.1.0 (create) or the latest "     \
    "bumped (edit)\"},\"tags\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}},"              \
    "\"enabled\":{\"type\":\"boolean\"},\"metadata\":{\"type\":\"object\"},\"test_cases\":{"       \
    "\"type\":\"array\",\"maxItems\":100,\"items\":{\"type\":\"object\",\"properties\":{"          \
    "\"name\":{\"type\":\"string\"},\"input\":{},\"expected_output\":{},\"should_fail\":{"         \
    "\"type\":\"boolean\"},\"expected_error\":{\"description\":\"The run must fail: an error "     \
    "name (exact) or a part of its message, or {name, message}\"},\"description\":{\"type\":"      \
    "\"string\"}},\"required\":[\"name\",\"input\"]}}"

static const tool tools[] = {
    {"ratchet_execute_task", "Execute a task",
     "Run a task (by id or name) with an input and wait for its result. The output comes back "
     "as structuredContent and as JSON text; a failed execution is an isError result with the "
     "typed error (ratchet_get_execution_trace shows its HTTP calls). Send a progressToken to "
     "receive progress while it runs.",
     "{\"type\":\"object\",\"properties\":{\"task_id\":{\"type\":[\"string\",\"integer\"],"
     "\"description\":\"The task's id or name\"},\"input\":{\"description\":\"The task's input "
     "(must match its input schema)\"},\"timeout\":{\"type\":\"integer\",\"minimum\":1,"
     "\"description\":\"Seconds to wait for the result (default: until it ends)\"}},"
     "\"required\":[\"task_id\",\"input\"]}",
     1, mcp_tool_execute},
    {"ratchet_list_available_tasks", "List tasks",
     "The tasks available to run: id, name, version, description, enabled; with "
     "include_schemas their input and output schemas.",
     "{\"type\":\"object\",\"properties\":{\"filter\":{\"type\":\"string\",\"description\":"
     "\"Substring of the name or description\"},\"include_schemas\":{\"type\":\"boolean\"}," PAGING
     "}}",
     0, mcp_tool_list_tasks},
    {"ratchet_get_execution_status", "Execution status",
     "Status, output or error, and timings of one execution.",
     EXEC_ID "},\"required\":[\"execution_id\"]}", 0, mcp_tool_status},
    {"ratchet_get_execution_logs", "Execution logs",
     "The console lines an execution wrote (kept also when it failed or timed out).",
     EXEC_ID
     ",\"level\":{\"type\":\"string\",\"enum\":[\"trace\",\"debug\",\"info\",\"warn\","
     "\"error\"]},\"limit\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":1000},\"format\":{"
     "\"type\":\"string\",\"enum\":[\"json\",\"text\"]}},\"required\":[\"execution_id\"]}",
     0, mcp_tool_logs},
    {"ratchet_get_execution_trace", "Execution trace",
     "The HTTP calls (fetch) an execution made, in order, with status and duration, and the "
     "execution's own timings.",
     EXEC_ID ",\"include_http_calls\":{\"type\":\"boolean\"},\"format\":{\"type\":\"string\","
             "\"enum\":[\"json\"]}},\"required\":[\"execution_id\"]}",
     0, mcp_tool_trace},
    {"ratchet_analyze_execution_error", "Analyze a failed execution",
     "Explain why an execution failed: the kind of error, where (main.js:line), the likely "
     "cause and a suggested fix; the matched error patterns with their suggestions; and the "
     "full error report (stack in main.js's lines, context, system state, related console "
     "lines and fetch calls, suggested prompts), cut to max_tokens.",
     EXEC_ID ",\"include_suggestions\":{\"type\":\"boolean\"},\"format\":{\"type\":"
             "\"string\",\"enum\":[\"json\",\"markdown\"],\"description\":\"The report as "
             "JSON (default) or markdown text\"},\"max_tokens\":{\"type\":\"integer\","
             "\"minimum\":100,\"maximum\":1000000,\"description\":\"Token budget of the "
             "report (default 8000; estimated as characters / 4)\"}},\"required\":["
             "\"execution_id\"]}",
     0, mcp_tool_analyze},
    {"ratchet_list_executions", "List executions", "Executions, newest first.",
     "{\"type\":\"object\",\"properties\":{\"task_id\":{\"type\":[\"string\",\"integer\"]},"
     "\"status\":{\"type\":\"string\",\"enum\":[\"running\",\"completed\",\"failed\","
     "\"cancelled\"]}," PAGING "}}",
     0, mcp_tool_list_executions},
    {"ratchet_list_jobs", "List jobs", "Jobs in the queue and done, newest first.",
     "{\"type\":\"object\",\"properties\":{\"task_id\":{\"type\":[\"string\",\"integer\"]},"
     "\"status\":{\"type\":\"string\"},\"priority\":{\"type\":\"string\",\"enum\":[\"low\","
     "\"normal\",\"high\",\"urgent\"]}," PAGING "}}",
     0, mcp_tool_list_jobs},
    {"ratchet_list_schedules", "List schedules", "Cron schedules and their next runs.",
     "{\"type\":\"object\",\"properties\":{\"task_id\":{\"type\":[\"string\",\"integer\"]},"
     "\"enabled\":{\"type\":\"boolean\"}," PAGING "}}",
     0, mcp_tool_list_schedules},
    {"ratchet_batch_execute", "Execute several tasks",
     "Run several tasks: in parallel, one after another, or in the order their dependencies "
     "give; each request's result comes back under its id.",
     "{\"type\":\"object\",\"properties\":{\"requests\":{\"type\":\"array\",\"minItems\":1,"
     "\"maxItems\":100,\"items\":{\"type\":\"object\",\"properties\":{\"id\":{\"type\":"
     "\"string\"},\"task_id\":{\"type\":[\"string\",\"integer\"]},\"input\":{},\"dependencies\":{"
     "\"type\":\"array\",\"items\":{\"type\":\"string\"}}},\"required\":[\"id\",\"task_id\","
     "\"input\"]}},\"execution_mode\":{\"type\":\"string\",\"enum\":[\"parallel\",\"sequential\","
     "\"dependency\"]},\"stop_on_error\":{\"type\":\"boolean\"}},\"required\":[\"requests\"]}",
     1, mcp_tool_batch},
    {"ratchet_create_task", "Create a task",
     "Write a new task (main.js, schemas, metadata, tests) into the server's writable task "
     "folder (engine.writable_tasks). It is validated as `ratchet validate` does and its "
     "test_cases run before anything is stored; a problem or a failing test is an isError "
     "result naming it (compile errors with main.js:LINE:COL) and nothing is stored. The code "
     "defines function main(input) returning the output.",
     "{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\",\"pattern\":"
     "\"^[A-Za-z0-9_-]{1,100}$\"},\"description\":{\"type\":\"string\"},\"code\":{\"type\":"
     "\"string\",\"description\":\"The text of main.js\"},\"input_schema\":{\"type\":"
     "\"object\"},\"output_schema\":{\"type\":\"object\"}," AUTHOR_COMMON
     "},\"required\":[\"name\",\"description\",\"code\",\"input_schema\",\"output_schema\"]}",
     1, mcp_tool_create_task},
    {"ratchet_edit_task", "Edit a task",
     "Store a new version of a task written with ratchet_create_task (or any task: the new "
     "version goes into the writable task folder). Parameters left out keep the latest "
     "version's; without version the last number of the latest version is bumped (1.0.0 -> "
     "1.0.1). Validated and tested like ratchet_create_task before it is stored.",
     "{\"type\":\"object\",\"properties\":{\"task_id\":{\"type\":[\"string\",\"integer\"],"
     "\"description\":\"The task's id or name\"},\"description\":{\"type\":\"string\"},"
     "\"code\":{\"type\":\"string\"},\"input_schema\":{\"type\":\"object\"},"
     "\"output_schema\":{\"type\":\"object\"}," AUTHOR_COMMON "},\"required\":[\"task_id\"]}",
     1, mcp_tool_edit_task},
    {"ratchet_validate_task", "Validate a task",
     "Check a stored task as `ratchet validate` does (metadata, schemas, main.js compiling, "
     "tests' shape), on its folder when it has one: {valid, problems: [{pointer, message}]}.",
     "{\"type\":\"object\",\"properties\":{\"task_id\":{\"type\":[\"string\",\"integer\"],"
     "\"description\":\"The task's id or name\"}},\"required\":[\"task_id\"]}",
     1, mcp_tool_validate_task},
    {"ratchet_run_task_tests", "Run a task's tests",
     "Run a stored task's tests (tests/NAME.json of its folder) as `ratchet test` does, each "
     "in its own process; any failing test makes the result isError, with each test's actual "
     "and expected output.",
     "{\"type\":\"object\",\"properties\":{\"task_id\":{\"type\":[\"string\",\"integer\"],"
     "\"description\":\"The task's id or name\"},\"test_names\":{\"type\":\"array\","
     "\"items\":{\"type\":\"string\"},\"description\":\"Only these tests (default: all)\"},"
     "\"stop_on_failure\":{\"type\":\"boolean\",\"description\":\"Accepted for "
     "compatibility; every selected test runs\"},\"include_traces\":{\"type\":\"boolean\"},"
     "\"parallel\":{\"type\":\"boolean\"}},\"required\":[\"task_id\"]}",
     1, mcp_tool_run_tests},
    {"ratchet_store_result", "Store a result",
     "Keep a task result (input and output) for later reference with ratchet_get_results. Kept "
     "in this server process's memory only.",
     "{\"type\":\"object\",\"properties\":{\"task_id\":{\"type\":[\"string\",\"integer\"]},"
     "\"input\":{},\"output\":{}},\"required\":[\"task_id\",\"input\",\"output\"]}",
     1, mcp_tool_store_result},
    {"ratchet_get_results", "Get stored results", "Results kept with ratchet_store_result.",
     "{\"type\":\"object\",\"properties\":{\"task_id\":{\"type\":[\"string\",\"integer\"]}," PAGING
     "}}",
     0, mcp_tool_get_results},
};

#define NTOOLS (sizeof tools / sizeof *tools)

/* ---- results ----------------------------------------------------------------------------------
 */

static struct json_object *text_block(const char *text)
{
    struct json_object *content = json_object_new_array(), *block = json_object_new_object();
    json_object_object_add(block, "type", json_object_new_string("text"));
    json_object_object_add(block, "text", json_object_new_string(text));
    json_object_array_add(content, block);
    return content;
}

struct json_object *mcp_tool_ok(struct json_object *structured)
{
    struct json_object *r = json_object_new_object();
    json_object_object_add(
        r, "content",
        text_block(json_object_to_json_string_ext(structured, JSON_C_TO_STRING_PRETTY |
                                                                  JSON_C_TO_STRING_NOSLASHESCAPE)));
    if (json_object_is_type(structured, json_type_object)) {
        json_object_object_add(r, "structuredContent", structured);
    } else {
        struct json_object *wrap = json_object_new_object();
        json_object_object_add(wrap, "result", structured);
        json_object_object_add(r, "structuredContent", wrap);
    }
    json_object_object_add(r, "isError", json_object_new_boolean(0));
    return r;
}

/* Error results carry no structuredContent: a task tool's outputSchema would not match it. */
struct json_object *mcp_tool_error(struct json_object *detail, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    struct json_object *r = json_object_new_object();
    if (detail) {
        ratchet_buf b = RATCHET_BUF_INIT;
        mcp_host->buf_printf(&b, "%s\n%s", msg,
                             json_object_to_json_string_ext(
                                 detail, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
        json_object_object_add(r, "content", text_block(b.data ? b.data : msg));
        mcp_host->buf_free(&b);
        json_object_put(detail);
    } else {
        json_object_object_add(r, "content", text_block(msg));
    }
    json_object_object_add(r, "isError", json_object_new_boolean(1));
    return r;
}

struct json_object *mcp_tool_engine_error(const char *what, const char *error_json)
{
    struct json_object *err = mcp_from_text(error_json), *details = NULL;
    const char *message = mcp_get_string(err, "message");
    char where[512] = "";
    /* The first detail's pointer, in the message itself: agents read the text. */
    if (err && json_object_object_get_ex(err, "details", &details) &&
        json_object_is_type(details, json_type_array) && mcp_array_len(details) > 0) {
        struct json_object *d = json_object_array_get_idx(details, 0);
        const char *ptr = mcp_get_string(d, "pointer"), *dm = mcp_get_string(d, "message");
        snprintf(where, sizeof where, " at %s: %s", ptr && *ptr ? ptr : "/ (the input)",
                 dm ? dm : "invalid");
    }
    return mcp_tool_error(err, "%s: %s%s", what, message ? message : "failed", where);
}

/* ---- tools/list ----------------------------------------------------------------------------- */

static struct json_object *tool_def(const tool *t)
{
    struct json_object *d = json_object_new_object(), *ann = json_object_new_object();
    json_object_object_add(d, "name", json_object_new_string(t->name));
    json_object_object_add(d, "title", json_object_new_string(t->title));
    json_object_object_add(d, "description", json_object_new_string(t->description));
    json_object_object_add(d, "inputSchema", mcp_from_text(t->input_schema));
    json_object_object_add(ann, "readOnlyHint", json_object_new_boolean(!t->write));
    json_object_object_add(ann, "openWorldHint", json_object_new_boolean(t->write));
    json_object_object_add(d, "annotations", ann);
    return d;
}

/* 1 when `schema` is an object schema ({"type": "object", ...}). */
static int object_schema(struct json_object *schema)
{
    const char *type = mcp_get_string(schema, "type");
    return type && strcmp(type, "object") == 0;
}

/* The tool of one task record (tasks_list shape). A task whose input schema is not an object
 * schema takes its input under "input". */
static struct json_object *task_tool_def(struct json_object *task)
{
    const char *name = mcp_get_string(task, "name"), *desc = mcp_get_string(task, "description");
    struct json_object *in = NULL, *out = NULL, *d = json_object_new_object();
    json_object_object_get_ex(task, "inputSchema", &in);
    json_object_object_get_ex(task, "outputSchema", &out);
    char tname[160], text[512];
    snprintf(tname, sizeof tname, "task_%s", name ? name : "");
    snprintf(text, sizeof text, "Run the task '%s'%s%s", name ? name : "",
             desc && *desc ? ": " : "", desc && *desc ? desc : "");
    json_object_object_add(d, "name", json_object_new_string(tname));
    json_object_object_add(d, "title", json_object_new_string(name ? name : ""));
    json_object_object_add(d, "description", json_object_new_string(text));
    if (object_schema(in)) {
        json_object_object_add(d, "inputSchema", json_object_get(in));
    } else {
        struct json_object *wrap = mcp_from_text("{\"type\":\"object\",\"required\":[\"input\"]}"),
                           *props = json_object_new_object();
        json_object_object_add(props, "input", in ? json_object_get(in) : json_object_new_object());
        json_object_object_add(wrap, "properties", props);
        json_object_object_add(d, "inputSchema", wrap);
    }
    if (object_schema(out))
        json_object_object_add(d, "outputSchema", json_object_get(out));
    return d;
}

struct json_object *mcp_tools_list(mcp *m, const char *cursor, char *why, size_t cap)
{
    int64_t offset = mcp_page_offset(cursor, why, cap);
    if (offset < 0)
        return NULL;
    struct json_object *tasks =
        m->task_tools ? mcp_task_items(m, "{\"where\":[{\"field\":\"enabled\",\"op\":\"eq\","
                                          "\"value\":true}],\"sort\":\"name\",\"order\":\"asc\","
                                          "\"limit\":1000}")
                      : NULL;
    size_t ntasks = tasks ? mcp_array_len(tasks) : 0, total = NTOOLS + ntasks;
    struct json_object *r = json_object_new_object(), *list = json_object_new_array();
    size_t i = (size_t)offset;
    for (; i < total && i < (size_t)offset + (size_t)m->page_size; i++)
        json_object_array_add(
            list, i < NTOOLS ? tool_def(&tools[i])
                             : task_tool_def(json_object_array_get_idx(tasks, i - NTOOLS)));
    json_object_object_add(r, "tools", list);
    if (i < total) {
        char next[32];
        mcp_cursor_encode((int64_t)i, next, sizeof next);
        json_object_object_add(r, "nextCursor", json_object_new_string(next));
    }
    json_object_put(tasks);
    return r;
}

/* ---- tools/call ----------------------------------------------------------------------------- */

/* task_<name>: the task, when it exists and is enabled (else NULL: an unknown tool). */
static struct json_object *task_of_tool(mcp *m, const char *name)
{
    if (!m->task_tools || strncmp(name, "task_", 5) != 0 || !name[5])
        return NULL;
    ratchet_buf out = RATCHET_BUF_INIT;
    struct json_object *task = NULL, *en = NULL;
    if (m->eng->task_get(name + 5, &out) == RATCHET_OK)
        task = mcp_from_text(out.data);
    mcp_host->buf_free(&out);
    if (task &&
        (!json_object_object_get_ex(task, "enabled", &en) || !json_object_get_boolean(en))) {
        json_object_put(task);
        task = NULL;
    }
    return task;
}

struct json_object *mcp_tools_call(mcp_call *c, const char *name, struct json_object *args,
                                   int *code, char *why, size_t cap)
{
    const tool *t = NULL;
    for (size_t i = 0; i < NTOOLS && !t; i++)
        if (strcmp(tools[i].name, name) == 0)
            t = &tools[i];
    struct json_object *task = t ? NULL : task_of_tool(c->m, name);
    if (!t && !task) {
        *code = MCP_INVALID_PARAMS;
        snprintf(why, cap, "unknown tool: %s", name);
        return NULL;
    }
    if ((!t || t->write) && c->caller.scope < RATCHET_HTTP_WRITE) {
        json_object_put(task);
        return mcp_tool_error(NULL, "%s needs an API key with the write scope; this one has read",
                              name);
    }
    struct json_object *empty = args ? NULL : json_object_new_object();
    struct json_object *r =
        t ? t->fn(c, args ? args : empty) : mcp_tool_task(c, task, args ? args : empty);
    json_object_put(empty);
    json_object_put(task);
    return r;
}
