/*
 * host/engine/api_author.c - ratchet.engine's task_write (see engine.h): check the request,
 * write the task folder hidden beside its place in engine.writable_tasks, validate it and run
 * its tests in the check process (author.h), then move it into place and store the version.
 *
 * Threading: the request is checked on the caller's thread; everything from the existence
 * checks to the stored version runs under the authoring lock (rt_author_begin), so two writes
 * of one name cannot interleave. A hidden folder (.new-*, .old-*) is never a task source:
 * rt_task_find skips hidden entries.
 */
#include <ctype.h>
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api_int.h"
#include "core/core_layer.h"

#define AUTHOR_NAME_MAX    100
#define AUTHOR_VERSION_MAX 64
#define AUTHOR_CODE_MAX    ((size_t)1 << 20)
#define AUTHOR_JSON_MAX    ((size_t)256 << 10) /* a schema, the metadata, one test */
#define AUTHOR_TESTS_MAX   100
#define AUTHOR_TAGS_MAX    50

/* ---- checking the request ------------------------------------------------------------------ */

/* 1 when s is 1..max characters of [A-Za-z0-9_-] (and, with `more`, of those characters). */
static int plain_word(const char *s, size_t max, const char *more)
{
    size_t n = 0;
    for (; s && s[n]; n++)
        if (!isalnum((unsigned char)s[n]) && s[n] != '_' && s[n] != '-' &&
            !(more && strchr(more, s[n])))
            return 0;
    return n >= 1 && n <= max;
}

static size_t json_size(struct json_object *v)
{
    size_t len = 0;
    json_object_to_json_string_length(v, JSON_C_TO_STRING_PLAIN, &len);
    return len;
}

/* A member that must be a JSON object (or absent) and at most AUTHOR_JSON_MAX as text. */
static void check_object(struct json_object *req, const char *key, struct json_object *details)
{
    struct json_object *v = rt_api_member(req, key);
    char pointer[64];
    snprintf(pointer, sizeof pointer, "/%s", key);
    if (v && !json_object_is_type(v, json_type_object))
        rt_api_detail(details, pointer, "must be a JSON object");
    else if (v && json_size(v) > AUTHOR_JSON_MAX)
        rt_api_detail(details, pointer, "is larger than 256 KiB");
}

static void check_tags(struct json_object *tags, struct json_object *details)
{
    if (!tags)
        return;
    if (!json_object_is_type(tags, json_type_array) ||
        json_object_array_length(tags) > AUTHOR_TAGS_MAX) {
        rt_api_detail(details, "/tags", "must be an array of at most 50 strings");
        return;
    }
    for (size_t i = 0; i < json_object_array_length(tags); i++) {
        struct json_object *t = json_object_array_get_idx(tags, i);
        if (!json_object_is_type(t, json_type_string) || json_object_get_string_len(t) < 1 ||
            json_object_get_string_len(t) > 100) {
            char pointer[32];
            snprintf(pointer, sizeof pointer, "/tags/%zu", i);
            rt_api_detail(details, pointer, "must be a string of 1 to 100 characters");
        }
    }
}

/* One test of the request as the file will hold it: {name, description?, input, expected_output?,
 * should_fail?, mock?}; NULL with a detail when it is unusable. */
static struct json_object *check_test(struct json_object *t, size_t i, struct json_object *details)
{
    char pointer[64];
    snprintf(pointer, sizeof pointer, "/tests/%zu", i);
    if (!json_object_is_type(t, json_type_object)) {
        rt_api_detail(details, pointer, "a test must be an object {name, input, expected_output}");
        return NULL;
    }
    if (json_size(t) > AUTHOR_JSON_MAX) {
        rt_api_detail(details, pointer, "is larger than 256 KiB");
        return NULL;
    }
    struct json_object *name = rt_api_member(t, "name"), *v;
    char made[32];
    snprintf(made, sizeof made, "test-%03zu", i + 1);
    if (name && !(json_object_is_type(name, json_type_string) &&
                  plain_word(json_object_get_string(name), AUTHOR_NAME_MAX, NULL))) {
        strcat(pointer, "/name");
        rt_api_detail(details, pointer, "must match [A-Za-z0-9_-]{1,100} (it names the file)");
        return NULL;
    }
    if ((v = rt_api_member(t, "should_fail")) && !json_object_is_type(v, json_type_boolean)) {
        strcat(pointer, "/should_fail");
        rt_api_detail(details, pointer, "must be true or false");
        return NULL;
    }
    struct json_object *o = json_object_new_object();
    json_object_object_add(o, "name",
                           json_object_new_string(name ? json_object_get_string(name) : made));
    static const char *const copied[] = {"description", "input", "should_fail", "mock",
                                         "expected_error"};
    for (size_t k = 0; k < sizeof copied / sizeof *copied; k++)
        if ((v = rt_api_member(t, copied[k])))
            json_object_object_add(o, copied[k], json_object_get(v));
    if (!rt_api_member(o, "input"))
        json_object_object_add(o, "input", json_object_new_object());
    if ((v = rt_api_member(t, "expected_output")) || (v = rt_api_member(t, "expected")))
        json_object_object_add(o, "expected_output", json_object_get(v));
    return o;
}

/* The request's tests, checked and named (a new array), or NULL when it has none. */
static struct json_object *check_tests(struct json_object *tests, struct json_object *details)
{
    if (!tests)
        return NULL;
    if (!json_object_is_type(tests, json_type_array) ||
        json_object_array_length(tests) > AUTHOR_TESTS_MAX) {
        rt_api_detail(details, "/tests", "must be an array of at most 100 tests");
        return NULL;
    }
    struct json_object *out = json_object_new_array();
    for (size_t i = 0; i < json_object_array_length(tests); i++) {
        struct json_object *t = check_test(json_object_array_get_idx(tests, i), i, details);
        if (!t)
            continue;
        for (size_t k = 0; k < json_object_array_length(out); k++)
            if (strcmp(rt_api_str(json_object_array_get_idx(out, k), "name"),
                       rt_api_str(t, "name")) == 0) {
                char pointer[64];
                snprintf(pointer, sizeof pointer, "/tests/%zu/name", i);
                rt_api_detail(details, pointer, "two tests have this name");
            }
        json_object_array_add(out, t);
    }
    return out;
}

/* Everything about the request that does not need the storage. `details` gets a problem each. */
static void check_request(struct json_object *req, int replace, struct json_object *details)
{
    const char *name = rt_api_str(req, "name"), *version = rt_api_str(req, "version");
    struct json_object *v;
    if (!name || !plain_word(name, AUTHOR_NAME_MAX, NULL))
        rt_api_detail(details, "/name",
                      "the task name is required and must match [A-Za-z0-9_-]{1,100} (it names "
                      "the task's folder)");
    if (version && !plain_word(version, AUTHOR_VERSION_MAX, ".+"))
        rt_api_detail(details, "/version", "must match [A-Za-z0-9._+-]{1,64}");
    if ((v = rt_api_member(req, "version")) && !json_object_is_type(v, json_type_string))
        rt_api_detail(details, "/version", "must be a string such as \"1.0.0\"");
    v = rt_api_member(req, "code");
    if (!v && !replace)
        rt_api_detail(details, "/code", "the task's code (the text of main.js) is required");
    else if (v && !json_object_is_type(v, json_type_string))
        rt_api_detail(details, "/code", "must be the text of main.js");
    else if (v && (size_t)json_object_get_string_len(v) > AUTHOR_CODE_MAX)
        rt_api_detail(details, "/code", "is larger than 1 MiB");
    if ((v = rt_api_member(req, "description")) &&
        (!json_object_is_type(v, json_type_string) || json_object_get_string_len(v) > 65536))
        rt_api_detail(details, "/description", "must be a string of at most 64 KiB");
    check_object(req, "inputSchema", details);
    check_object(req, "outputSchema", details);
    check_object(req, "metadata", details);
    check_tags(rt_api_member(req, "tags"), details);
}

/* ---- what is written ------------------------------------------------------------------------- */

/* "1.2.3" -> "1.2.4", "beta" -> "beta.1" (caller frees). */
static char *bump_version(const char *v)
{
    size_t len = strlen(v), i = len;
    while (i > 0 && isdigit((unsigned char)v[i - 1]))
        i--;
    ratchet_buf b = RATCHET_BUF_INIT;
    if (i == len || len - i > 18)
        rt_buf_printf(&b, "%s.1", v);
    else
        rt_buf_printf(&b, "%.*s%llu", (int)i, v, strtoull(v + i, NULL, 10) + 1);
    return b.data;
}

/* The tests in the task folder (or .zip) `dir`, as check_tests makes them; NULL when none
 * (also when dir is NULL or does not load). */
static struct json_object *folder_tests(const char *dir)
{
    rt_error err;
    rt_task *t = dir && access(dir, F_OK) == 0 ? rt_task_load(dir, &err) : NULL;
    if (!t || t->ntests == 0) {
        rt_task_free(t);
        return NULL;
    }
    struct json_object *tests = json_object_new_array();
    for (size_t i = 0; i < t->ntests; i++) {
        const rt_task_test *tt = &t->tests[i];
        struct json_object *o = json_object_new_object();
        json_object_object_add(o, "name", json_object_new_string(tt->name));
        json_object_object_add(o, "input", json_object_get(tt->input));
        if (tt->expect)
            json_object_object_add(o, "expected_output", json_object_get(tt->expect));
        if (tt->should_fail)
            json_object_object_add(o, "should_fail", json_object_new_boolean(1));
        if (tt->expect_error)
            json_object_object_add(o, "expected_error", json_object_get(tt->expect_error));
        if (tt->mock)
            json_object_object_add(o, "mock", json_object_get(tt->mock));
        json_object_array_add(tests, o);
    }
    rt_task_free(t);
    return tests;
}

/* A member of the request, else of `base` (the latest stored version; may be NULL). */
static struct json_object *req_or_base(struct json_object *req, struct json_object *base,
                                       const char *key)
{
    struct json_object *v = rt_api_member(req, key);
    return v ? v : rt_api_member(base, key);
}

/* The folder spec (rt_author_write_folder) of the request, filled from `base` on an edit. */
static struct json_object *build_spec(struct json_object *req, struct json_object *base,
                                      const char *version, struct json_object *tests)
{
    struct json_object *meta = req_or_base(req, base, "metadata"), *v;
    struct json_object *m = NULL;
    if (!meta || json_object_deep_copy(meta, &m, NULL) != 0)
        m = json_object_new_object();
    json_object_object_add(m, "name", json_object_new_string(rt_api_str(req, "name")));
    json_object_object_add(m, "version", json_object_new_string(version));
    if ((v = rt_api_member(req, "description")))
        json_object_object_add(m, "description", json_object_get(v));
    if ((v = rt_api_member(req, "tags")))
        json_object_object_add(m, "tags", json_object_get(v));
    struct json_object *spec = json_object_new_object();
    json_object_object_add(spec, "metadata", m);
    static const char *const parts[] = {"code", "inputSchema", "outputSchema"};
    /* Copied: `base` is a record of the shared version cache (rt_api_member_copy). */
    for (size_t i = 0; i < sizeof parts / sizeof *parts; i++) {
        struct json_object *c = NULL;
        if ((v = req_or_base(req, base, parts[i])) && json_object_deep_copy(v, &c, NULL) == 0)
            json_object_object_add(spec, parts[i], c);
    }
    if (tests)
        json_object_object_add(spec, "tests", tests);
    return spec;
}

/* ---- one write ------------------------------------------------------------------------------ */

typedef struct author_write {
    rt_api *a;
    const char *root, *name;
    int replace;
    struct json_object *req, *tests; /* tests: checked, owned (NULL: none given) */
    char *version;                   /* owned */
    char dest[4096], tmp[4096], old[4096];
} author_write;

/* A hidden name beside the destination, unique in this process. */
static void hidden_path(const author_write *w, const char *kind, char *out, size_t size)
{
    static atomic_uint counter;
    snprintf(out, size, "%s/.%s-%s-%ld-%u", w->root, kind, w->name, (long)getpid(),
             atomic_fetch_add(&counter, 1) + 1);
}

/* Whether the task exists, and on an edit its latest version as `base` and the new version. */
static ratchet_status resolve_versions(author_write *w, struct json_object **base, ratchet_buf *out,
                                       size_t mark)
{
    ratchet_buf scratch = RATCHET_BUF_INIT;
    const api_version *latest = NULL;
    ratchet_status rc = rt_api_resolve(w->a, w->name, NULL, NULL, &latest, &scratch, 0);
    *base = latest ? latest->rec : NULL;
    const char *given = rt_api_str(w->req, "version");
    if (rc == RATCHET_ERR) { /* not "not found": the storage failed */
        rt_api_fail(out, mark, "DATABASE_ERROR", NULL, "looking up task %s: %s", w->name,
                    scratch.data ? scratch.data : "failed");
    } else if (!w->replace && latest) {
        rc = rt_api_fail(out, mark, "CONFLICT", NULL,
                         "task %s already exists (version %s); edit it instead", w->name,
                         rt_api_str(latest->rec, "version"));
    } else if (!w->replace && access(w->dest, F_OK) == 0) {
        rc = rt_api_fail(out, mark, "CONFLICT", NULL,
                         "%s already exists but holds no stored task; remove it or pick another "
                         "name",
                         w->dest);
    } else if (w->replace && !latest) {
        rc = rt_api_fail(out, mark, "NOT_FOUND", NULL, "task %s not found; create it first",
                         w->name);
    } else {
        rc = RATCHET_OK;
        if (given)
            w->version = strdup(given);
        else if (latest)
            w->version = bump_version(rt_api_str(latest->rec, "version"));
        else
            w->version = strdup("0.1.0");
        const api_version *same = NULL;
        rt_buf_free(&scratch);
        if (!w->version)
            rc = rt_api_fail(out, mark, "INTERNAL_ERROR", NULL, "out of memory");
        else if (latest &&
                 rt_api_resolve(w->a, w->name, w->version, NULL, &same, &scratch, 0) == RATCHET_OK)
            rc = rt_api_fail(out, mark, "CONFLICT", NULL,
                             "task %s already has version %s; give the edit a new version (or "
                             "leave it out to bump the latest)",
                             w->name, w->version);
    }
    rt_buf_free(&scratch);
    return rc;
}

/* Validate the hidden folder and run its tests (the check process, mode "write");
 * VALIDATION_ERROR with details when either fails. *results receives the tests' summary. */
static ratchet_status check_folder(author_write *w, struct json_object **results, ratchet_buf *out,
                                   size_t mark)
{
    struct json_object *answer = rt_author_check(w->a, "write", w->tmp, w->name, NULL, out, mark);
    if (!answer)
        return RATCHET_ERR;
    struct json_object *problems = rt_api_member(answer, "problems");
    struct json_object *tests = rt_api_member(answer, "tests");
    size_t nproblems = json_object_array_length(problems);
    ratchet_status rc = RATCHET_OK;
    if (nproblems || !tests) {
        const char *error = rt_api_str(answer, "error");
        rc = rt_api_fail(out, mark, "VALIDATION_ERROR", json_object_get(problems),
                         "task %s is not valid (%s); nothing was stored", w->name,
                         error            ? error
                         : nproblems == 1 ? "1 problem"
                                          : "problems");
        json_object_put(answer);
        return rc;
    }
    struct json_object *details = json_object_new_array(), *list = rt_api_member(tests, "results");
    size_t failed = 0;
    for (size_t i = 0; i < json_object_array_length(list); i++) {
        struct json_object *r = json_object_array_get_idx(list, i);
        const char *status = rt_api_str(r, "status"), *why = rt_api_str(r, "error");
        if (status && (strcmp(status, "passed") == 0 || strcmp(status, "skipped") == 0))
            continue;
        ratchet_buf pointer = RATCHET_BUF_INIT, msg = RATCHET_BUF_INIT;
        rt_buf_printf(&pointer, "/tests/%zu", i);
        rt_buf_printf(&msg, "test %s failed: %s", rt_api_str(r, "name"), why ? why : "failed");
        rt_api_detail(details, pointer.data, msg.data);
        rt_buf_free(&pointer);
        rt_buf_free(&msg);
        failed++;
    }
    if (failed)
        rc = rt_api_fail(out, mark, "VALIDATION_ERROR", details,
                         "%zu test%s of task %s failed; nothing was stored", failed,
                         failed == 1 ? "" : "s", w->name);
    else
        json_object_put(details);
    if (!failed)
        *results = json_object_get(tests);
    json_object_put(answer);
    return rc;
}

typedef struct store_result {
    ratchet_buf problems;
    int stored;
} store_result;

static void store_problem(void *data, const char *source, const char *message)
{
    store_result *r = data;
    (void)source;
    rt_buf_printf(&r->problems, "%s%s", r->problems.len ? "; " : "", message);
}

static void store_stored(void *data, const char *name, const char *version, int created)
{
    store_result *r = data;
    (void)name;
    (void)version;
    (void)created;
    r->stored = 1;
}

/* Move the checked folder into place and store it; on failure put the old folder back. */
static ratchet_status commit(author_write *w, ratchet_buf *out, size_t mark)
{
    int had_old = access(w->dest, F_OK) == 0;
    if (had_old) {
        hidden_path(w, "old", w->old, sizeof w->old);
        if (rename(w->dest, w->old) != 0)
            return rt_api_fail(out, mark, "INTERNAL_ERROR", NULL, "cannot move %s aside: %s",
                               w->dest, strerror(errno));
    }
    if (rename(w->tmp, w->dest) != 0) {
        int e = errno;
        if (had_old && rename(w->old, w->dest) != 0)
            rt_log(RATCHET_LOG_ERROR, "cannot put %s back to %s: %s", w->old, w->dest,
                   strerror(errno));
        return rt_api_fail(out, mark, "INTERNAL_ERROR", NULL, "cannot move the task into %s: %s",
                           w->dest, strerror(e));
    }
    store_result r = {RATCHET_BUF_INIT, 0};
    rt_sync_report report = {.problem = store_problem, .stored = store_stored, .data = &r};
    ratchet_status rc = RATCHET_OK;
    if (rt_store_sync_path(w->a->st, w->dest, &report) != RT_EXIT_OK || !r.stored) {
        rc = rt_api_fail(out, mark, "DATABASE_ERROR", NULL, "storing task %s failed: %s", w->name,
                         r.problems.data ? r.problems.data : "nothing was stored");
        rt_author_remove(w->dest);
        if (had_old && rename(w->old, w->dest) != 0)
            rt_log(RATCHET_LOG_ERROR, "cannot put %s back to %s: %s", w->old, w->dest,
                   strerror(errno));
    } else {
        if (had_old)
            rt_author_remove(w->old);
        w->a->vt->notify(w->a->si);
    }
    rt_buf_free(&r.problems);
    return rc;
}

/* {task, path, validation, tests}. */
static ratchet_status write_answer(author_write *w, struct json_object *tests, ratchet_buf *out,
                                   size_t mark)
{
    ratchet_buf rec = RATCHET_BUF_INIT;
    ratchet_status rc = rt_api_table()->task_get(w->name, &rec);
    struct json_object *task = rc == RATCHET_OK && rec.data ? json_tokener_parse(rec.data) : NULL;
    rt_buf_free(&rec);
    if (!task)
        return rt_api_fail(out, mark, "INTERNAL_ERROR", NULL,
                           "task %s was stored but cannot be read back", w->name);
    struct json_object *o = json_object_new_object(), *validation = json_object_new_object();
    json_object_object_add(validation, "valid", json_object_new_boolean(1));
    json_object_object_add(validation, "problems", json_object_new_array());
    json_object_object_add(o, "task", task);
    json_object_object_add(o, "path", json_object_new_string(w->dest));
    json_object_object_add(o, "validation", validation);
    json_object_object_add(o, "tests", json_object_get(tests));
    rc = rt_api_put(out, o);
    json_object_put(o);
    return rc;
}

/* Under the lock: resolve, write the hidden folder, check it, commit, answer. */
static ratchet_status write_locked(author_write *w, ratchet_buf *out, size_t mark)
{
    struct json_object *base = NULL;
    ratchet_status rc = resolve_versions(w, &base, out, mark);
    if (rc != RATCHET_OK)
        return rc;
    /* An edit without tests keeps the current folder's: the one in engine.writable_tasks,
     * else the one the latest version was loaded from. */
    struct json_object *tests = w->tests ? json_object_get(w->tests) : NULL;
    if (!tests && w->replace)
        tests = access(w->dest, F_OK) == 0 ? folder_tests(w->dest)
                                           : folder_tests(rt_api_str(base, "source"));
    struct json_object *spec = build_spec(w->req, base, w->version, tests);
    if (mkdir(w->root, 0755) != 0 && errno != EEXIST) {
        json_object_put(spec);
        return rt_api_fail(out, mark, "INTERNAL_ERROR", NULL, "cannot create %s: %s", w->root,
                           strerror(errno));
    }
    hidden_path(w, "new", w->tmp, sizeof w->tmp);
    rt_error err;
    if (rt_author_write_folder(w->tmp, spec, &err) != RATCHET_OK)
        rc = rt_api_fail(out, mark, "INTERNAL_ERROR", NULL, "%s", err.msg);
    json_object_put(spec);
    struct json_object *results = NULL;
    if (rc == RATCHET_OK)
        rc = check_folder(w, &results, out, mark);
    if (rc == RATCHET_OK)
        rc = commit(w, out, mark);
    if (rc == RATCHET_OK)
        rc = write_answer(w, results, out, mark);
    else
        rt_author_remove(w->tmp);
    json_object_put(results);
    return rc;
}

ratchet_status rt_api_task_write(const char *task_json, int replace, ratchet_buf *out)
{
    size_t mark = out->len;
    author_write w;
    memset(&w, 0, sizeof w);
    w.replace = replace;
    if (!(w.a = rt_api_enter(out, mark)))
        return RATCHET_ERR;
    if (!(w.root = rt_store_writable_tasks(w.a->app)))
        return rt_api_fail(out, mark, "BAD_REQUEST", NULL,
                           "task authoring is disabled: set engine.writable_tasks to a folder in "
                           "the configuration (engine: {writable_tasks: my-tasks} in "
                           "ratchet.yaml) and restart the server");
    if (!(w.req = rt_api_parse_object(task_json, "task", out, mark)))
        return RATCHET_ERR;
    struct json_object *details = json_object_new_array();
    check_request(w.req, replace, details);
    w.tests = check_tests(rt_api_member(w.req, "tests"), details);
    ratchet_status rc = RATCHET_OK;
    size_t nproblems = json_object_array_length(details);
    if (nproblems > 0) {
        rc = rt_api_fail(out, mark, "VALIDATION_ERROR", details,
                         "the task is not acceptable (%zu problem%s); nothing was written",
                         nproblems, nproblems == 1 ? "" : "s");
    } else {
        json_object_put(details);
        w.name = rt_api_str(w.req, "name");
        snprintf(w.dest, sizeof w.dest, "%s/%s", w.root, w.name);
        rt_author_begin();
        rc = write_locked(&w, out, mark);
        rt_author_end();
    }
    free(w.version);
    json_object_put(w.tests);
    json_object_put(w.req);
    return rc;
}
