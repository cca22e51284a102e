/* host/engine/analysis_md.c - the error report as markdown (analysis.h), in the guide's
 * sections: Summary, Error Details, Execution Context, Pattern Analysis, System State,
 * Suggested LLM Prompts, Related Events. A part the budget dropped is left out. */
#include <stdio.h>
#include <string.h>

#include "analysis.h"

static struct json_object *get(struct json_object *o, const char *key)
{
    struct json_object *v = NULL;
    return o && json_object_object_get_ex(o, key, &v) && !json_object_is_type(v, json_type_null)
               ? v
               : NULL;
}

static const char *text(struct json_object *o, const char *key)
{
    struct json_object *v = get(o, key);
    return v ? json_object_get_string(v) : NULL;
}

/* As text(), "" when absent: for printing. */
static const char *str(struct json_object *o, const char *key)
{
    const char *t = text(o, key);
    return t ? t : "";
}

static size_t count(struct json_object *a)
{
    return a && json_object_is_type(a, json_type_array) ? json_object_array_length(a) : 0;
}

/* "- **Label**: value" when the value is present. */
static void item(ratchet_buf *out, const char *label, const char *value)
{
    if (value && *value)
        rt_buf_printf(out, "- **%s**: %s\n", label, value);
}

/* A fenced block whose fence is longer than any run of backticks inside. */
static void fenced(ratchet_buf *out, const char *lang, const char *body)
{
    size_t run = 0, longest = 0;
    for (const char *p = body; *p; p++) {
        run = *p == '`' ? run + 1 : 0;
        if (run > longest)
            longest = run;
    }
    int n = longest >= 3 ? (int)longest + 1 : 3;
    rt_buf_printf(out, "%.*s%s\n%s%s%.*s\n", n, "``````````", lang, body,
                  body[0] && body[strlen(body) - 1] == '\n' ? "" : "\n", n, "``````````");
}

static void summary(ratchet_buf *out, struct json_object *s)
{
    char buf[256];
    rt_buf_puts(out, "## Summary\n");
    item(out, "Status", text(s, "status"));
    const char *type = text(s, "errorType"), *kind = text(s, "errorKind");
    if (type && kind && strcmp(type, kind) != 0)
        snprintf(buf, sizeof buf, "%s (%s)", type, kind);
    else
        snprintf(buf, sizeof buf, "%s", type ? type : kind ? kind : "");
    item(out, "Error Type", buf);
    item(out, "Message", text(s, "message"));
    if (text(s, "pattern")) {
        snprintf(buf, sizeof buf, "%s (%s)", text(s, "pattern"), text(s, "category"));
        item(out, "Category", buf);
    }
    item(out, "Severity", text(s, "severity"));
    snprintf(buf, sizeof buf, "%s %s", text(s, "task") ? text(s, "task") : "?",
             text(s, "version") ? text(s, "version") : "");
    item(out, "Task", buf);
    item(out, "Location", text(s, "location"));
    item(out, "Occurrence", text(s, "occurredAt"));
    if (get(s, "durationMs")) {
        snprintf(buf, sizeof buf, "%lld ms",
                 (long long)json_object_get_int64(get(s, "durationMs")));
        item(out, "Duration", buf);
    }
}

static void frames(ratchet_buf *out, struct json_object *fr)
{
    for (size_t i = 0; i < count(fr); i++) {
        struct json_object *f = json_object_array_get_idx(fr, i), *src = get(f, "source");
        rt_buf_printf(out, "\n### %s\n", str(f, "text"));
        if (!count(src))
            continue;
        ratchet_buf b = RATCHET_BUF_INIT;
        int64_t col = json_object_get_int64(get(f, "column"));
        for (size_t k = 0; k < count(src); k++) {
            struct json_object *l = json_object_array_get_idx(src, k);
            int failing = json_object_get_boolean(get(l, "failing"));
            rt_buf_printf(&b, "%s%4lld | %s\n", failing ? ">" : " ",
                          (long long)json_object_get_int64(get(l, "line")), str(l, "text"));
            if (failing && col > 0 && col < 300)
                rt_buf_printf(&b, "      | %*s^\n", (int)(col - 1), "");
        }
        fenced(out, "js", b.data ? b.data : "");
        rt_buf_free(&b);
    }
}

static void error_details(ratchet_buf *out, struct json_object *e)
{
    rt_buf_puts(out, "\n## Error Details\n");
    const char *stack = text(e, "stack"), *msg = text(e, "message"), *name = text(e, "name");
    if (!stack && !msg && !name) {
        rt_buf_puts(out, "The execution has no error (it did not fail).\n");
        return;
    }
    ratchet_buf b = RATCHET_BUF_INIT;
    if (stack && (!msg || strstr(stack, msg)))
        rt_buf_puts(&b, stack);
    else
        rt_buf_printf(&b, "%s%s%s%s%s", name ? name : "", name ? ": " : "", msg ? msg : "",
                      stack ? "\n" : "", stack ? stack : "");
    fenced(out, "", b.data ? b.data : "");
    rt_buf_free(&b);
    frames(out, get(e, "frames"));
}

static void context(ratchet_buf *out, struct json_object *c)
{
    char buf[128];
    rt_buf_puts(out, "\n## Execution Context\n");
    item(out, "Execution ID", text(c, "executionId"));
    item(out, "Job ID", text(c, "jobId"));
    item(out, "Trace ID", text(c, "traceId"));
    if (get(c, "attempt")) {
        snprintf(buf, sizeof buf, "%s (retries so far: %s of at most %s)", text(c, "attempt"),
                 text(c, "retriesSoFar"), text(c, "maxRetries") ? text(c, "maxRetries") : "?");
        item(out, "Attempt", buf);
    }
    item(out, "Job Status", text(c, "jobStatus"));
    struct json_object *in = get(c, "input");
    if (in) {
        rt_buf_puts(out, "- **Input** (secrets masked, long strings cut):\n");
        fenced(out, "json",
               json_object_to_json_string_ext(in, JSON_C_TO_STRING_PRETTY |
                                                      JSON_C_TO_STRING_SPACED |
                                                      JSON_C_TO_STRING_NOSLASHESCAPE));
    }
}

static void patterns(ratchet_buf *out, struct json_object *p)
{
    rt_buf_puts(out, "\n## Pattern Analysis\n### Matched Patterns\n");
    if (!count(p))
        rt_buf_puts(out, "No error pattern matched.\n");
    for (size_t i = 0; i < count(p); i++) {
        struct json_object *m = json_object_array_get_idx(p, i), *s = get(m, "suggestions");
        rt_buf_printf(out, "%zu. **%s** (`%s`, confidence: %.0f%%)\n", i + 1, str(m, "name"),
                      str(m, "id"), json_object_get_double(get(m, "confidence")) * 100.0);
        rt_buf_printf(out, "   - Category: %s; severity: %s\n", str(m, "category"),
                      str(m, "severity"));
        if (text(m, "description"))
            rt_buf_printf(out, "   - %s\n", str(m, "description"));
        if (count(s))
            rt_buf_puts(out, "   - Suggestions:\n");
        for (size_t k = 0; k < count(s); k++)
            rt_buf_printf(out, "     - %s\n",
                          json_object_get_string(json_object_array_get_idx(s, k)));
    }
}

static void system_state(ratchet_buf *out, struct json_object *s)
{
    rt_buf_puts(out, "\n## System State\n");
    const char *when = text(s, "capturedAt");
    rt_buf_printf(out, "%s\n",
                  when && strcmp(when, "failure") == 0
                      ? "As recorded when the execution failed:"
                      : "Not recorded at the failure; as it is now:");
    item(out, "Queue Depth", text(s, "queueDepth"));
    item(out, "Running Jobs", text(s, "runningJobs"));
    item(out, "Worker", text(s, "worker"));
    if (get(s, "workerMemoryKb")) {
        char buf[64];
        snprintf(buf, sizeof buf, "%.1f MiB",
                 (double)json_object_get_int64(get(s, "workerMemoryKb")) / 1024.0);
        item(out, "Worker Memory", buf);
    }
    struct json_object *w = get(s, "workers");
    for (size_t i = 0; i < count(w); i++) {
        struct json_object *x = json_object_array_get_idx(w, i);
        rt_buf_printf(out, "- Worker %s: %s, %.1f MiB\n", str(x, "id"), str(x, "state"),
                      (double)json_object_get_int64(get(x, "memoryKb")) / 1024.0);
    }
}

static void related(ratchet_buf *out, struct json_object *r, struct json_object *report)
{
    rt_buf_puts(out, "\n## Related Events\n");
    const char *cut = text(report, "relatedCut");
    if (cut)
        rt_buf_printf(out, "(%s)\n", cut);
    if (!count(r))
        rt_buf_puts(out, "No console lines or fetch calls were recorded.\n");
    for (size_t i = 0; i < count(r); i++) {
        struct json_object *e = json_object_array_get_idx(r, i);
        const char *kind = text(e, "kind"), *t = text(e, "time");
        if (kind && strcmp(kind, "fetch") == 0)
            rt_buf_printf(out, "- %s fetch %s %s -> %s (%s ms)\n", t ? t : "", str(e, "method"),
                          str(e, "url"), text(e, "status") ? str(e, "status") : "no answer",
                          text(e, "durationMs") ? str(e, "durationMs") : "?");
        else
            rt_buf_printf(out, "- %s console.%s: %s\n", t ? t : "",
                          text(e, "level") ? str(e, "level") : "log", str(e, "message"));
    }
}

void rt_analysis_markdown(struct json_object *report, ratchet_buf *out)
{
    rt_buf_puts(out, "# Error Analysis Report\n\n");
    summary(out, get(report, "summary"));
    if (get(report, "error"))
        error_details(out, get(report, "error"));
    if (get(report, "context"))
        context(out, get(report, "context"));
    if (get(report, "patterns"))
        patterns(out, get(report, "patterns"));
    if (get(report, "system"))
        system_state(out, get(report, "system"));
    struct json_object *p = get(report, "prompts");
    if (p) {
        rt_buf_puts(out, "\n## Suggested LLM Prompts\n");
        for (size_t i = 0; i < count(p); i++)
            rt_buf_printf(out, "%zu. \"%s\"\n", i + 1,
                          json_object_get_string(json_object_array_get_idx(p, i)));
    }
    if (get(report, "related"))
        related(out, get(report, "related"), report);
    struct json_object *b = get(report, "budget"), *d = get(b, "dropped");
    if (b) {
        rt_buf_printf(out,
                      "\n---\n_About %s tokens of a budget of %s (estimated as characters / "
                      "4)",
                      str(b, "estimatedTokens"), str(b, "maxTokens"));
        for (size_t i = 0; i < count(d); i++)
            rt_buf_printf(out, "%s%s", i ? "; " : ". Dropped to fit: ",
                          json_object_get_string(json_object_array_get_idx(d, i)));
        rt_buf_puts(out, "._\n");
    }
}
