/*
 * plugins/api-mcp/mcp_analyze.c - ratchet_analyze_execution_error: from an execution's typed
 * error {kind, name, message, stack} and its log entries, which kind of error it is, where
 * (the first main.js:LINE:COL of the stack), a likely cause and a suggested fix.
 *
 * A rule table, first match wins: each rule matches on the error's kind, its name, words of its
 * message, or a failed fetch in the logs. Called on a call thread; no state.
 *
 * Beside that summary (kept as the tool always answered it), the result carries the engine's
 * error report (execution_analyze, the same as `ratchet executions analyze` and GET
 * /api/v1/executions/{id}/analysis) as `report` (JSON, or markdown text with format
 * "markdown"), and its matched patterns and their suggestions flattened as
 * `matched_patterns` and `suggestions`.
 */
#define _POSIX_C_SOURCE 200809L

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mcp.h"

enum { NEEDS_HTTP_ERROR = 1 };

typedef struct rule {
    const char *kinds; /* '|'-separated error kinds, NULL: any */
    const char *name;  /* error name, NULL: any */
    const char *words; /* '|'-separated words of the message (case-insensitive), NULL: any */
    int flags;
    const char *category;
    const char *cause;
    const char *fix;
} rule;

static const rule rules[] = {
    {"timeout|timed out", NULL, NULL, 0, "timeout",
     "The execution ran past the time limit: a slow or hanging HTTP call, or a loop that does "
     "not end.",
     "Make fewer or faster fetch calls (or give them a timeout), check that loops end, or raise "
     "execution.timeout in ratchet.yaml."},
    {"memory", NULL, NULL, 0, "memory",
     "The execution used more memory than allowed (large arrays or strings, unbounded caching).",
     "Process the data in smaller pieces, avoid building large strings, or raise "
     "execution.memory_limit."},
    {"stack", NULL, NULL, 0, "stack overflow",
     "Recursion too deep (a function calling itself without a base case, or very deep data).",
     "Add or fix the base case, or turn the recursion into a loop."},
    {"output invalid|output_error", NULL, NULL, 0, "output schema validation",
     "The value the task returned does not match output.schema.json (the message names the "
     "pointer and the rule).",
     "Return the fields the schema requires with the right types, or correct "
     "output.schema.json."},
    {NULL, NULL, "input schema|does not match the task's input", 0, "input schema validation",
     "The input does not match input.schema.json.",
     "Send an input with the required fields and types (ratchet_list_available_tasks with "
     "include_schemas shows the schema)."},
    {"compile_error|compile error", NULL, NULL, 0, "syntax error",
     "main.js does not compile: a syntax error or a construct the task compiler rejects.",
     "Fix the code at the location given (run `ratchet validate` on the task folder)."},
    {NULL, "SyntaxError", NULL, 0, "syntax error",
     "Code or data could not be parsed (often JSON.parse of a response that is not JSON).",
     "Check the text being parsed (log it) or fix the code at the location given."},
    {"no_entry", NULL, NULL, 0, "no entry function",
     "main.js does not end in a function the runtime can call.",
     "End main.js with a function expression such as (function (input) { ... }) or define "
     "function main(input)."},
    {"cancelled", NULL, NULL, 0, "cancelled", "The job was cancelled (by a user or a client).",
     "Run it again if the result is still needed."},
    {"crashed", NULL, NULL, 0, "worker crash", "The worker process died while running the task.",
     "Look at the server log around the time of the execution; retry the job."},
    {NULL, "TypeError", "undefined|null|cannot read|not an object|of undefined", 0,
     "undefined property access",
     "A value was undefined or null where an object was expected: usually a missing input "
     "field or an HTTP response of another shape than the code assumes.",
     "Check that the input has the field (mark it required in input.schema.json) and guard "
     "the access (?. or a default value); log the response to see its shape."},
    {NULL, NULL, NULL, NEEDS_HTTP_ERROR, "HTTP error status",
     "An HTTP call answered with an error status (see the evidence).",
     "Check the URL, the credentials and the request body; handle non-2xx responses (check "
     "response.ok) before reading them."},
    {NULL, NULL, "fetch|network|connect|resolve|refused|unreachable|not allowed|tls|dns", 0,
     "network error",
     "An HTTP call did not get an answer: a wrong host name, a refused connection, or a URL "
     "outside the fetch allow-list.",
     "Check the URL and that the host is reachable and allowed in the fetch configuration."},
    {NULL, "ReferenceError", NULL, 0, "undefined variable",
     "A name is used that is not defined (a typo or a missing declaration).",
     "Declare the variable or fix its spelling at the location given."},
    {NULL, NULL, NULL, 0, "runtime error", "The task threw an error.",
     "Read the message and the location, and the execution's logs for the values involved."},
};

/* `value` is one of the '|'-separated `list` (exact, or a word of it when `words`). */
static int matches(const char *list, const char *value, int words)
{
    if (!list)
        return 1;
    if (!value)
        return 0;
    for (const char *p = list; *p;) {
        size_t n = strcspn(p, "|");
        if (words) {
            for (const char *v = value; *v; v++)
                if (strncasecmp(v, p, n) == 0)
                    return 1;
        } else if (strlen(value) == n && strncmp(value, p, n) == 0) {
            return 1;
        }
        p += n + (p[n] == '|');
    }
    return 0;
}

/* The fetch entries with an error status, as evidence. */
static struct json_object *http_errors(struct json_object *logs)
{
    struct json_object *bad = json_object_new_array(), *v = NULL;
    for (size_t i = 0; logs && i < mcp_array_len(logs); i++) {
        struct json_object *e = json_object_array_get_idx(logs, i);
        const char *kind = mcp_get_string(e, "kind");
        if (kind && strcmp(kind, "fetch") == 0 && json_object_object_get_ex(e, "status", &v) &&
            json_object_get_int(v) >= 400) {
            char line[600];
            const char *method = mcp_get_string(e, "method"), *url = mcp_get_string(e, "url");
            snprintf(line, sizeof line, "%s %s -> %d", method ? method : "GET", url ? url : "?",
                     json_object_get_int(v));
            json_object_array_add(bad, json_object_new_string(line));
        }
    }
    return bad;
}

/* The first main.js:LINE[:COL] in `text`. */
static struct json_object *location(const char *text)
{
    const char *p = text ? strstr(text, "main.js:") : NULL;
    if (!p || !isdigit((unsigned char)p[8]))
        return NULL;
    struct json_object *loc = json_object_new_object();
    char *end = NULL;
    long line = strtol(p + 8, &end, 10), col = *end == ':' ? strtol(end + 1, NULL, 10) : 0;
    const char *eol = strchr(p, '\n');
    const char *start = p;
    while (start > text && start[-1] != '\n')
        start--;
    json_object_object_add(loc, "file", json_object_new_string("main.js"));
    json_object_object_add(loc, "line", json_object_new_int64(line));
    if (col > 0)
        json_object_object_add(loc, "column", json_object_new_int64(col));
    json_object_object_add(
        loc, "frame",
        json_object_new_string_len(start, (int)(eol ? eol - start : (long)strlen(start))));
    return loc;
}

struct json_object *mcp_analyze_error(struct json_object *error, struct json_object *logs)
{
    const char *kind = mcp_get_string(error, "kind"), *name = mcp_get_string(error, "name"),
               *msg = mcp_get_string(error, "message"), *stack = mcp_get_string(error, "stack");
    struct json_object *bad = http_errors(logs);
    const rule *r = rules;
    for (; r < rules + sizeof rules / sizeof *rules - 1; r++)
        if (matches(r->kinds, kind, 0) && matches(r->name, name, 0) && matches(r->words, msg, 1) &&
            (!(r->flags & NEEDS_HTTP_ERROR) || mcp_array_len(bad) > 0))
            break;
    struct json_object *a = json_object_new_object(), *loc = location(stack);
    if (!loc)
        loc = location(msg);
    json_object_object_add(a, "category", json_object_new_string(r->category));
    json_object_object_add(a, "error_kind", kind ? json_object_new_string(kind) : NULL);
    json_object_object_add(a, "location", loc);
    json_object_object_add(a, "likely_cause", json_object_new_string(r->cause));
    json_object_object_add(a, "suggested_fix", json_object_new_string(r->fix));
    json_object_object_add(a, "http_errors", bad);
    return a;
}

/* The engine's report into r: report, matched_patterns, suggestions. An engine without
 * execution_analyze (before minor 2) adds nothing. */
static struct json_object *add_report(mcp_call *c, int64_t id, struct json_object *args,
                                      struct json_object *r)
{
    const ratchet_engine_api *eng = c->m->eng;
    if (!RATCHET_HAS_FIELD(eng, ratchet_engine_api, execution_analyze))
        return NULL;
    const char *format = mcp_get_string(args, "format");
    int64_t tokens = mcp_arg_int(args, "max_tokens", 0);
    if (tokens < 0)
        return mcp_tool_error(NULL, "max_tokens must be a number of tokens (100..1000000)");
    int markdown = format && strcmp(format, "markdown") == 0;
    ratchet_buf out = RATCHET_BUF_INIT, js = RATCHET_BUF_INIT;
    struct json_object *err = NULL;
    ratchet_status st = eng->execution_analyze(id, format ? format : "json", tokens, &out);
    if (st != RATCHET_OK)
        return mcp_engine_json(st, &out, "analysis", &err) ? NULL : err;
    /* The patterns come from the JSON report also when the answer is markdown. */
    struct json_object *rep = markdown ? NULL : mcp_engine_json(st, &out, "analysis", &err);
    if (markdown) {
        json_object_object_add(r, "report", json_object_new_string_len(out.data, (int)out.len));
        rep = mcp_engine_json(eng->execution_analyze(id, "json", 0, &js), &js, "analysis", &err);
    }
    struct json_object *pats = NULL, *sugg = json_object_new_array();
    json_object_object_get_ex(rep, "patterns", &pats);
    for (size_t i = 0; i < mcp_array_len(pats); i++) {
        struct json_object *s = NULL, *p = json_object_array_get_idx(pats, i);
        json_object_object_get_ex(p, "suggestions", &s);
        for (size_t k = 0; k < mcp_array_len(s); k++)
            json_object_array_add(sugg, json_object_get(json_object_array_get_idx(s, k)));
    }
    json_object_object_add(r, "matched_patterns",
                           pats ? json_object_get(pats) : json_object_new_array());
    json_object_object_add(r, "suggestions", sugg);
    if (!markdown && rep)
        json_object_object_add(r, "report", json_object_get(rep));
    json_object_put(rep);
    json_object_put(err);
    mcp_host->buf_free(&out);
    mcp_host->buf_free(&js);
    return NULL;
}

struct json_object *mcp_tool_analyze(mcp_call *c, struct json_object *args)
{
    struct json_object *err = NULL, *error = NULL, *items = NULL;
    int64_t id = mcp_arg_int(args, "execution_id", 0);
    if (id <= 0)
        return mcp_tool_error(NULL, "execution_id is required: the execution's id (a number)");
    ratchet_buf out = RATCHET_BUF_INIT;
    struct json_object *rec =
        mcp_engine_json(c->m->eng->execution_get(id, &out), &out, "execution", &err);
    if (!rec)
        return err;
    const char *status = mcp_get_string(rec, "status");
    struct json_object *r = json_object_new_object();
    json_object_object_add(r, "execution_id", json_object_new_int64(id));
    json_object_object_add(r, "status", json_object_new_string(status ? status : "?"));
    json_object_object_get_ex(rec, "error", &error);
    if (!error || json_object_is_type(error, json_type_null)) {
        json_object_object_add(r, "analysis", NULL);
        json_object_object_add(r, "message", json_object_new_string("this execution has no error"));
    } else {
        struct json_object *logs = mcp_engine_json(
            c->m->eng->execution_logs(id, "{\"limit\":1000}", &out), &out, "execution logs", &err);
        json_object_put(err);
        json_object_object_get_ex(logs, "items", &items);
        json_object_object_add(r, "error", json_object_get(error));
        json_object_object_add(r, "analysis", mcp_analyze_error(error, items));
        json_object_put(logs);
    }
    json_object_put(rec);
    struct json_object *failed = add_report(c, id, args, r);
    if (failed) {
        json_object_put(r);
        return failed;
    }
    return mcp_tool_ok(r);
}
