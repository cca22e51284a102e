/* host/engine/analysis.c - gathering the error report of one execution (analysis.h): its
 * record, job and task version from storage, the matched patterns, the system state, prompts
 * and related events. Rendering and the token budget are in analysis_render.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "analysis.h"

#define INPUT_STRING_MAX 200 /* longer strings of the input are cut */
#define INPUT_DEPTH_MAX  8   /* deeper values are replaced */
#define SOURCE_CONTEXT   2   /* lines either side of a failing line */
#define MATCH_MAX        16
#define RELATED_MAX      1000 /* related events read from storage */

static int64_t wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static struct json_object *member(struct json_object *o, const char *key)
{
    struct json_object *v = NULL;
    return o && json_object_object_get_ex(o, key, &v) && !json_object_is_type(v, json_type_null)
               ? v
               : NULL;
}

static const char *str_of(struct json_object *o, const char *key)
{
    struct json_object *v = member(o, key);
    return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

static void put_copy(struct json_object *dst, const char *key, struct json_object *src,
                     const char *from)
{
    struct json_object *v = member(src, from), *copy = NULL;
    if (v)
        json_object_deep_copy(v, &copy, NULL);
    json_object_object_add(dst, key, copy);
}

/* A storage call's answer parsed, or NULL (rc says why; err->msg for RATCHET_ERR). */
static struct json_object *stored(ratchet_status rc, ratchet_buf *buf, const char *what,
                                  rt_error *err)
{
    struct json_object *v = NULL;
    if (rc == RATCHET_OK)
        v = json_tokener_parse(buf->data ? buf->data : "");
    else if (rc != RATCHET_NOTFOUND)
        rt_fail(err, "reading %s: %s", what, rt_error_peek());
    buf->len = 0;
    return v;
}

/* ---- patterns ----------------------------------------------------------------------------- */

static void add_matches(struct json_object *out, const rt_pattern_match *m, size_t n, double weight)
{
    for (size_t i = 0; i < n; i++) {
        const rt_pattern *p = m[i].pattern;
        double conf = m[i].confidence * weight;
        struct json_object *have = NULL;
        for (size_t k = 0; k < json_object_array_length(out) && !have; k++) {
            struct json_object *e = json_object_array_get_idx(out, k);
            if (strcmp(str_of(e, "id"), p->id) == 0)
                have = e;
        }
        if (have) {
            if (conf > json_object_get_double(member(have, "confidence")))
                json_object_object_add(have, "confidence", json_object_new_double(conf));
            continue;
        }
        struct json_object *e = rt_pattern_to_json(p);
        json_object_object_del(e, "match");
        json_object_object_del(e, "builtin");
        json_object_object_del(e, "source");
        json_object_object_add(e, "confidence", json_object_new_double(conf));
        json_object_array_add(out, e);
    }
}

static int by_confidence(const void *a, const void *b)
{
    double x = json_object_get_double(member(*(struct json_object *const *)a, "confidence"));
    double y = json_object_get_double(member(*(struct json_object *const *)b, "confidence"));
    return x < y ? 1 : x > y ? -1 : 0;
}

/* Console lines at warn or error are matched too, their confidence weighed down: they are
 * evidence, not the failure itself. */
static void match_logs(const rt_pattern_set *set, struct json_object *logs, const char *task,
                       struct json_object *out)
{
    for (size_t i = 0; logs && i < json_object_array_length(logs) && i < 200; i++) {
        struct json_object *l = json_object_array_get_idx(logs, i);
        int level = rt_pattern_level(str_of(l, "level") ? str_of(l, "level") : "info");
        if (level < RATCHET_LOG_WARN)
            continue;
        ratchet_log_field f[] = {{"taskName", task ? task : ""}};
        rt_pattern_event ev = {(ratchet_log_level)level, str_of(l, "message"), "task", f, 1};
        rt_pattern_match m[MATCH_MAX];
        size_t n = rt_patterns_match(set, &ev, m, MATCH_MAX);
        add_matches(out, m, n < MATCH_MAX ? n : MATCH_MAX, 0.7);
    }
}

struct json_object *rt_analysis_patterns(const char *error_json, const char *logs_json,
                                         const char *task_name)
{
    struct json_object *out = json_object_new_array();
    struct json_object *e = error_json ? json_tokener_parse(error_json) : NULL;
    const rt_pattern_set *set = rt_patterns_current();
    if (e) {
        const char *name = str_of(e, "name"), *msg = str_of(e, "message");
        char text[2048], status[16] = "";
        snprintf(text, sizeof text, "%s%s%s", name ? name : "", name ? ": " : "", msg ? msg : "");
        struct json_object *st = member(e, "status");
        if (st)
            snprintf(status, sizeof status, "%d", json_object_get_int(st));
        else if (name && strcmp(name, "HttpError") == 0 && msg && strncmp(msg, "HTTP ", 5) == 0)
            snprintf(status, sizeof status, "%d", atoi(msg + 5));
        ratchet_log_field f[] = {{"errorName", name ? name : ""},
                                 {"errorKind", str_of(e, "kind") ? str_of(e, "kind") : ""},
                                 {"status", status},
                                 {"taskName", task_name ? task_name : ""},
                                 {"stack", str_of(e, "stack") ? str_of(e, "stack") : ""}};
        rt_pattern_event ev = {RATCHET_LOG_ERROR, text, "task", f, 5};
        rt_pattern_match m[MATCH_MAX];
        size_t n = rt_patterns_match(set, &ev, m, MATCH_MAX);
        add_matches(out, m, n < MATCH_MAX ? n : MATCH_MAX, 1.0);
    }
    struct json_object *logs = logs_json ? json_tokener_parse(logs_json) : NULL;
    if (logs && json_object_is_type(logs, json_type_array))
        match_logs(set, logs, task_name, out);
    json_object_array_sort(out, by_confidence);
    json_object_put(logs);
    json_object_put(e);
    return out;
}

/* Queued and retrying jobs now, read at most once a second; -1 when unknown. */
static int64_t queue_depth(const ratchet_storage_vtable *vt, void *si)
{
    static int64_t last_ms, last_depth = -1;
    int64_t now = wall_ms();
    if (now - last_ms < 1000)
        return last_depth;
    last_ms = now;
    last_depth = -1;
    ratchet_buf buf = RATCHET_BUF_INIT;
    if (RATCHET_HAS_FIELD(vt, ratchet_storage_vtable, stats) &&
        vt->stats(si, "jobs", now, &buf) == RATCHET_OK) {
        struct json_object *st = json_tokener_parse(buf.data ? buf.data : "");
        struct json_object *by = member(st, "byStatus");
        if (by)
            last_depth = json_object_get_int64(member(by, "queued")) +
                         json_object_get_int64(member(by, "retrying"));
        json_object_put(st);
    }
    rt_buf_free(&buf);
    return last_depth;
}

int64_t rt_analysis_rss_kb(int pid)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/statm", pid);
    FILE *f = pid > 0 ? fopen(path, "r") : NULL;
    long long size = 0, resident = 0;
    int n = f ? fscanf(f, "%lld %lld", &size, &resident) : 0;
    if (f)
        fclose(f);
    long page = sysconf(_SC_PAGESIZE);
    return n == 2 && page > 0 ? (int64_t)resident * page / 1024 : 0;
}

char *rt_analysis_at_failure(const ratchet_storage_vtable *vt, void *si, const char *error_json,
                             const char *logs_json, const char *task_name, int worker,
                             int64_t worker_memory_kb)
{
    struct json_object *a = json_object_new_object(), *s = json_object_new_object();
    json_object_object_add(a, "patterns", rt_analysis_patterns(error_json, logs_json, task_name));
    int64_t depth = queue_depth(vt, si);
    json_object_object_add(s, "queueDepth", depth >= 0 ? json_object_new_int64(depth) : NULL);
    json_object_object_add(s, "worker", worker >= 0 ? json_object_new_int(worker) : NULL);
    json_object_object_add(s, "workerMemoryKb",
                           worker_memory_kb > 0 ? json_object_new_int64(worker_memory_kb) : NULL);
    ratchet_buf when = RATCHET_BUF_INIT;
    rt_buf_time_iso8601(&when, wall_ms() * 1000);
    json_object_object_add(s, "time", json_object_new_string(when.data ? when.data : ""));
    rt_buf_free(&when);
    json_object_object_add(a, "system", s);
    char *text = strdup(json_object_to_json_string_ext(a, JSON_C_TO_STRING_PLAIN));
    json_object_put(a);
    return text;
}

/* Mask the secrets in the string member `key` of o (log_mask.h): the report is meant to be
 * pasted into an LLM, and a task may print or throw a token. A masking failure drops the
 * text. */
static void mask_in(struct json_object *o, const char *key)
{
    const char *s = str_of(o, key);
    int failed = 0;
    char *masked = s ? rt_mask_text(s, &failed) : NULL;
    if (masked || failed)
        json_object_object_add(o, key, json_object_new_string(masked ? masked : RT_MASK_REDACTED));
    free(masked);
}

/* ---- the parts ---------------------------------------------------------------------------- */

/* A copy of the input with secrets masked, long strings cut and deep values replaced. */
static struct json_object *redacted(struct json_object *v, int depth)
{
    if (depth > INPUT_DEPTH_MAX)
        return json_object_new_string("[nested too deeply]");
    if (json_object_is_type(v, json_type_object)) {
        struct json_object *o = json_object_new_object();
        json_object_object_foreach(v, key, val)
        {
            json_object_object_add(o, key,
                                   rt_mask_key_is_secret(key)
                                       ? json_object_new_string(RT_MASK_REDACTED)
                                       : redacted(val, depth + 1));
        }
        return o;
    }
    if (json_object_is_type(v, json_type_array)) {
        struct json_object *a = json_object_new_array();
        for (size_t i = 0; i < json_object_array_length(v); i++)
            json_object_array_add(a, redacted(json_object_array_get_idx(v, i), depth + 1));
        return a;
    }
    if (json_object_is_type(v, json_type_string)) {
        int failed = 0;
        const char *s = json_object_get_string(v);
        char *masked = rt_mask_text(s, &failed);
        const char *t = failed ? RT_MASK_REDACTED : masked ? masked : s;
        size_t len = strlen(t);
        struct json_object *r;
        if (len > INPUT_STRING_MAX) {
            char buf[INPUT_STRING_MAX + 64];
            snprintf(buf, sizeof buf, "%.*s... [%zu more bytes]", INPUT_STRING_MAX, t,
                     len - INPUT_STRING_MAX);
            r = json_object_new_string(buf);
        } else {
            r = json_object_new_string(t);
        }
        free(masked);
        return r;
    }
    struct json_object *copy = NULL;
    json_object_deep_copy(v, &copy, NULL);
    return copy;
}

static struct json_object *context_of(struct json_object *rec, struct json_object *job)
{
    struct json_object *c = json_object_new_object();
    put_copy(c, "executionId", rec, "id");
    put_copy(c, "jobId", rec, "jobId");
    put_copy(c, "taskName", rec, "taskName");
    put_copy(c, "taskVersion", rec, "taskVersion");
    put_copy(c, "traceId", member(rec, "traceId") ? rec : job, "traceId");
    int64_t retries = json_object_get_int64(member(job, "retryCount"));
    json_object_object_add(c, "attempt", job ? json_object_new_int64(retries + 1) : NULL);
    json_object_object_add(c, "retriesSoFar", job ? json_object_new_int64(retries) : NULL);
    put_copy(c, "maxRetries", job, "maxRetries");
    put_copy(c, "jobStatus", job, "status");
    struct json_object *in = member(rec, "input");
    if (!in)
        in = member(job, "input");
    json_object_object_add(c, "input", in ? redacted(in, 0) : NULL);
    return c;
}

/* The state stored with the execution when it failed, else the state now. */
static struct json_object *system_of(const rt_analysis_env *env, struct json_object *rec)
{
    struct json_object *kept = member(member(rec, "analysis"), "system"), *copy = NULL;
    if (kept) {
        json_object_deep_copy(kept, &copy, NULL);
        json_object_object_add(copy, "capturedAt", json_object_new_string("failure"));
        return copy;
    }
    struct json_object *s = json_object_new_object();
    json_object_object_add(s, "capturedAt", json_object_new_string("report"));
    ratchet_buf buf = RATCHET_BUF_INIT;
    if (RATCHET_HAS_FIELD(env->vt, ratchet_storage_vtable, stats) &&
        env->vt->stats(env->si, "jobs", wall_ms(), &buf) == RATCHET_OK) {
        struct json_object *st = json_tokener_parse(buf.data ? buf.data : "");
        struct json_object *by = member(st, "byStatus");
        json_object_object_add(
            s, "queueDepth",
            json_object_new_int64(json_object_get_int64(member(by, "queued")) +
                                  json_object_get_int64(member(by, "retrying"))));
        json_object_object_add(
            s, "runningJobs",
            json_object_new_int64(json_object_get_int64(member(by, "processing"))));
        json_object_put(st);
    }
    rt_buf_free(&buf);
    struct json_object *w = env->workers_json ? json_tokener_parse(env->workers_json) : NULL;
    if (w)
        json_object_object_add(s, "workers", w);
    return s;
}

static struct json_object *prompts_of(struct json_object *summary, struct json_object *patterns)
{
    struct json_object *p = json_object_new_array();
    const char *type = str_of(summary, "errorType"), *msg = str_of(summary, "message");
    const char *loc = str_of(summary, "location");
    char q[1200];
    snprintf(q, sizeof q,
             "My Ratchet task (JavaScript, run on an ES5 engine after compilation) failed with "
             "%s: '%.300s'%s%s. What are the likely causes and how do I fix it?",
             type ? type : "an error", msg ? msg : "", loc ? " at " : "", loc ? loc : "");
    json_object_array_add(p, json_object_new_string(q));
    struct json_object *top =
        json_object_array_length(patterns) ? json_object_array_get_idx(patterns, 0) : NULL;
    if (top) {
        snprintf(q, sizeof q,
                 "How do I prevent '%s' failures (%s) in a task that runs unattended on a "
                 "schedule, with retries?",
                 str_of(top, "name"), str_of(top, "category"));
        json_object_array_add(p, json_object_new_string(q));
    }
    json_object_array_add(
        p, json_object_new_string("Here is the failing code with the stack and the related "
                                  "events above: explain, line by line, what went wrong."));
    return p;
}

static struct json_object *summary_of(struct json_object *rec, struct json_object *patterns,
                                      struct json_object *frames)
{
    struct json_object *s = json_object_new_object(), *e = member(rec, "error");
    const char *status = str_of(rec, "status");
    struct json_object *top =
        json_object_array_length(patterns) ? json_object_array_get_idx(patterns, 0) : NULL;
    json_object_object_add(s, "status", json_object_new_string(status ? status : "unknown"));
    put_copy(s, "errorType", e, "name");
    if (!member(s, "errorType"))
        put_copy(s, "errorType", e, "kind");
    put_copy(s, "errorKind", e, "kind");
    put_copy(s, "message", e, "message");
    put_copy(s, "category", top, "category");
    put_copy(s, "pattern", top, "name");
    put_copy(s, "severity", top, "severity");
    put_copy(s, "task", rec, "taskName");
    put_copy(s, "version", rec, "taskVersion");
    struct json_object *f0 =
        json_object_array_length(frames) ? json_object_array_get_idx(frames, 0) : NULL;
    if (f0) {
        char loc[64];
        int64_t col = json_object_get_int64(member(f0, "column"));
        if (col)
            snprintf(loc, sizeof loc, "main.js:%lld:%lld",
                     (long long)json_object_get_int64(member(f0, "line")), (long long)col);
        else
            snprintf(loc, sizeof loc, "main.js:%lld",
                     (long long)json_object_get_int64(member(f0, "line")));
        json_object_object_add(s, "location", json_object_new_string(loc));
    } else {
        json_object_object_add(s, "location", NULL);
    }
    put_copy(s, "occurredAt", rec, "completedAt");
    put_copy(s, "durationMs", rec, "durationMs");
    return s;
}

/* The execution's console lines and fetch calls: from execution_logs (1.4), else the record. */
static struct json_object *related_of(const rt_analysis_env *env, struct json_object *rec,
                                      int64_t id)
{
    ratchet_buf buf = RATCHET_BUF_INIT;
    struct json_object *items = NULL;
    if (RATCHET_HAS_FIELD(env->vt, ratchet_storage_vtable, execution_logs)) {
        char q[64];
        snprintf(q, sizeof q, "{\"limit\":%d}", RELATED_MAX);
        rt_error_clear();
        if (env->vt->execution_logs(env->si, id, q, &buf) == RATCHET_OK) {
            struct json_object *r = json_tokener_parse(buf.data ? buf.data : "");
            if (member(r, "items"))
                items = json_object_get(member(r, "items"));
            json_object_put(r);
        }
    }
    rt_buf_free(&buf);
    if (!items) {
        items = json_object_new_array();
        struct json_object *logs = member(rec, "logs");
        for (size_t i = 0; logs && i < json_object_array_length(logs); i++) {
            struct json_object *l = NULL;
            json_object_deep_copy(json_object_array_get_idx(logs, i), &l, NULL);
            json_object_object_add(l, "kind", json_object_new_string("log"));
            json_object_array_add(items, l);
        }
    }
    for (size_t i = 0; i < json_object_array_length(items); i++) {
        mask_in(json_object_array_get_idx(items, i), "message");
        mask_in(json_object_array_get_idx(items, i), "url");
    }
    return items;
}

/* The error part: name, kind, message, stack and the frames in the author's lines. */
static struct json_object *error_of(struct json_object *rec, const char *code,
                                    struct json_object **frames)
{
    struct json_object *e = member(rec, "error"), *d = json_object_new_object();
    const char *stack = str_of(e, "stack"), *msg = str_of(e, "message");
    put_copy(d, "name", e, "name");
    put_copy(d, "kind", e, "kind");
    put_copy(d, "message", e, "message");
    put_copy(d, "stack", e, "stack");
    *frames = rt_analysis_frames(stack, code, SOURCE_CONTEXT);
    if (json_object_array_length(*frames) == 0) { /* compile errors: main.js:L:C in the text */
        json_object_put(*frames);
        *frames = rt_analysis_frames(msg, code, SOURCE_CONTEXT);
    }
    json_object_object_add(d, "frames", json_object_get(*frames));
    return d;
}

ratchet_status rt_analysis_build(const rt_analysis_env *env, int64_t id,
                                 struct json_object **report, rt_error *err)
{
    ratchet_buf buf = RATCHET_BUF_INIT;
    *report = NULL;
    rt_error_clear();
    ratchet_status rc = env->vt->execution_get(env->si, id, &buf);
    struct json_object *rec = stored(rc, &buf, "the execution", err);
    if (!rec) {
        rt_buf_free(&buf);
        return rc == RATCHET_OK ? rt_fail(err, "the execution record is not JSON") : rc;
    }
    int64_t job_id = json_object_get_int64(member(rec, "jobId"));
    struct json_object *job = NULL, *version = NULL;
    if (job_id > 0)
        job = stored(env->vt->job_get(env->si, job_id, &buf), &buf, "the job", err);
    int64_t vid = json_object_get_int64(member(job, "taskVersionId"));
    if (vid > 0)
        version = stored(env->vt->task_version_get(env->si, vid, &buf), &buf, "the task", err);
    rt_buf_free(&buf);

    struct json_object *patterns = member(member(rec, "analysis"), "patterns");
    if (patterns) {
        json_object_get(patterns);
    } else {
        struct json_object *e = member(rec, "error"), *logs = member(rec, "logs");
        patterns = e ? rt_analysis_patterns(json_object_to_json_string(e),
                                            logs ? json_object_to_json_string(logs) : NULL,
                                            str_of(rec, "taskName"))
                     : json_object_new_array();
    }
    mask_in(member(rec, "error"), "message"); /* after matching: patterns see the words */
    mask_in(member(rec, "error"), "stack");
    struct json_object *frames = NULL, *r = json_object_new_object();
    struct json_object *error = error_of(rec, str_of(version, "code"), &frames);
    struct json_object *summary = summary_of(rec, patterns, frames);
    json_object_object_add(r, "summary", summary);
    json_object_object_add(r, "error", error);
    json_object_object_add(r, "context", context_of(rec, job));
    json_object_object_add(r, "patterns", patterns);
    json_object_object_add(r, "system", system_of(env, rec));
    json_object_object_add(r, "prompts", prompts_of(summary, patterns));
    json_object_object_add(r, "related", related_of(env, rec, id));
    json_object_put(frames);
    json_object_put(version);
    json_object_put(job);
    json_object_put(rec);
    *report = r;
    return RATCHET_OK;
}
