/*
 * host/engine/api_author_check.c - what the authoring calls share (see api_int.h, "authoring"):
 * the lock, writing a task folder, and checking one in the check process (author.h); and
 * ratchet.engine's task_validate and task_test on a stored task.
 */
#define _GNU_SOURCE /* pipe2: the pipe must not leak into workers spawned meanwhile */

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "api_int.h"
#include "core/core_layer.h"

/* The most a check process may print (its answer holds every test's input and output). */
#define AUTHOR_ANSWER_MAX ((size_t)64 << 20)

/* ---- the lock -------------------------------------------------------------------------------- */

/* Authoring is serialised: one folder written and checked at a time, and one check process. */
static pthread_mutex_t author_lock = PTHREAD_MUTEX_INITIALIZER;

void rt_author_begin(void)
{
    pthread_mutex_lock(&author_lock);
}

void rt_author_end(void)
{
    pthread_mutex_unlock(&author_lock);
}

/* ---- folders --------------------------------------------------------------------------------- */

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    if (remove(path) != 0)
        rt_log(RATCHET_LOG_WARN, "cannot remove %s: %s", path, strerror(errno));
    return 0;
}

void rt_author_remove(const char *dir)
{
    if (dir && *dir)
        nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Write `text` into the new file DIR/NAME (not following or replacing anything). */
static ratchet_status write_text(const char *dir, const char *name, const char *text, size_t len,
                                 rt_error *err)
{
    char path[4096];
    if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, name) >= sizeof path)
        return rt_fail(err, "%s/%s: path too long", dir, name);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0)
        return rt_fail(err, "cannot create %s: %s", path, strerror(errno));
    size_t done = 0;
    while (done < len) {
        ssize_t n = write(fd, text + done, len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            int e = errno;
            close(fd);
            return rt_fail(err, "cannot write %s: %s", path, strerror(e));
        }
        done += (size_t)n;
    }
    if (close(fd) != 0)
        return rt_fail(err, "cannot write %s: %s", path, strerror(errno));
    return RATCHET_OK;
}

static ratchet_status write_json(const char *dir, const char *name, struct json_object *v,
                                 rt_error *err)
{
    size_t len;
    const char *text = json_object_to_json_string_length(
        v, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE,
        &len);
    ratchet_buf b = RATCHET_BUF_INIT;
    rt_buf_append(&b, text, len);
    rt_buf_puts(&b, "\n");
    ratchet_status rc =
        b.data ? write_text(dir, name, b.data, b.len, err) : rt_fail(err, "out of memory");
    rt_buf_free(&b);
    return rc;
}

ratchet_status rt_author_write_folder(const char *dir, struct json_object *spec, rt_error *err)
{
    if (mkdir(dir, 0755) != 0)
        return rt_fail(err, "cannot create %s: %s", dir, strerror(errno));
    struct json_object *v = rt_api_member(spec, "code");
    const char *code = v ? json_object_get_string(v) : "";
    ratchet_status rc = write_json(dir, "metadata.json", rt_api_member(spec, "metadata"), err);
    if (rc == RATCHET_OK)
        rc = write_text(dir, "main.js", code, strlen(code), err);
    if (rc == RATCHET_OK && (v = rt_api_member(spec, "inputSchema")))
        rc = write_json(dir, "input.schema.json", v, err);
    if (rc == RATCHET_OK && (v = rt_api_member(spec, "outputSchema")))
        rc = write_json(dir, "output.schema.json", v, err);
    struct json_object *tests = rt_api_member(spec, "tests");
    size_t n = tests ? json_object_array_length(tests) : 0;
    char tdir[4096];
    snprintf(tdir, sizeof tdir, "%s/tests", dir);
    if (rc == RATCHET_OK && n && mkdir(tdir, 0755) != 0)
        rc = rt_fail(err, "cannot create %s: %s", tdir, strerror(errno));
    for (size_t i = 0; rc == RATCHET_OK && i < n; i++) {
        struct json_object *t = json_object_array_get_idx(tests, i), *file = NULL;
        char name[128];
        snprintf(name, sizeof name, "%s.json", rt_api_str(t, "name"));
        /* The file is the test without its name: the name is the file's. */
        if (json_object_deep_copy(t, &file, NULL) != 0)
            return rt_fail(err, "out of memory");
        json_object_object_del(file, "name");
        rc = write_json(tdir, name, file, err);
        json_object_put(file);
    }
    return rc;
}

/* ---- the check process ----------------------------------------------------------------------- */

/* In the child, between fork and exec: only async-signal-safe calls. */
static void exec_check(char **argv, int out_write)
{
    int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (null < 0 || dup2(null, STDIN_FILENO) < 0 || dup2(out_write, STDOUT_FILENO) < 0)
        _exit(127);
    /* As a worker: stopping is the server's business, and the server's blocked signals (it
     * waits for them with sigwait) must not stay blocked. */
    signal(SIGINT, SIG_IGN);
    signal(SIGTERM, SIG_IGN);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    execv("/proc/self/exe", argv);
    _exit(127);
}

/* Read the child's answer (at most AUTHOR_ANSWER_MAX bytes) until it closes its end. */
static int read_answer(int fd, ratchet_buf *text)
{
    char chunk[65536];
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return n == 0 ? 0 : -1;
        if (text->len + (size_t)n > AUTHOR_ANSWER_MAX)
            return -1;
        rt_buf_append(text, chunk, (size_t)n);
    }
}

struct json_object *rt_author_check(rt_api *a, const char *mode, const char *dir, const char *shown,
                                    const char *names_json, ratchet_buf *out, size_t mark)
{
    char **argv = rt_app_self_argv(a->app, "check-task", 4);
    int fds[2] = {-1, -1};
    if (!argv || pipe2(fds, O_CLOEXEC) != 0) {
        free(argv);
        rt_api_fail(out, mark, "INTERNAL_ERROR", NULL, "cannot start the check process: %s",
                    argv ? strerror(errno) : "out of memory");
        return NULL;
    }
    size_t n = 0;
    while (argv[n])
        n++;
    argv[n] = (char *)mode;
    argv[n + 1] = (char *)dir;
    argv[n + 2] = (char *)shown;
    argv[n + 3] = (char *)names_json; /* NULL ends the list */
    pid_t pid = fork();
    if (pid == 0)
        exec_check(argv, fds[1]);
    int e = errno;
    close(fds[1]);
    free(argv);
    ratchet_buf text = RATCHET_BUF_INIT;
    int rd = pid > 0 ? read_answer(fds[0], &text) : -1;
    close(fds[0]);
    int status = 0;
    while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    struct json_object *answer =
        pid > 0 && rd == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0 && text.data
            ? json_tokener_parse(text.data)
            : NULL;
    rt_buf_free(&text);
    if (!answer)
        rt_api_fail(out, mark, "INTERNAL_ERROR", NULL,
                    "the check process failed (%s); see the server's log",
                    pid < 0                                         ? strerror(e)
                    : rd != 0                                       ? "its answer could not be read"
                    : WIFSIGNALED(status)                           ? "killed by a signal"
                    : WIFEXITED(status) && WEXITSTATUS(status) != 0 ? "it exited with an error"
                                                                    : "its answer is not JSON");
    return answer;
}

/* ---- task_validate and task_test on a stored task -------------------------------------------- */

/* Where a stored version is checked: its source folder when that still holds the same name and
 * version, else its stored parts written into a new temporary folder (*tmp, removed by the
 * caller with rt_author_remove and freed). */
typedef struct checked_place {
    const char *dir; /* borrowed: the source, or inside tmp */
    char *tmp;
    char sub[4096];
} checked_place;

static int source_holds(const char *source, const char *name, const char *version)
{
    rt_error err;
    rt_task *t = source && *source ? rt_task_load(source, &err) : NULL;
    int same = t && strcmp(t->name, name) == 0 && strcmp(t->version, version) == 0;
    rt_task_free(t);
    return same;
}

static ratchet_status place_for(struct json_object *rec, checked_place *pl, ratchet_buf *out,
                                size_t mark)
{
    const char *name = rt_api_str(rec, "name"), *source = rt_api_str(rec, "source");
    const char *version = rt_api_str(rec, "version");
    memset(pl, 0, sizeof *pl);
    if (source_holds(source, name ? name : "", version ? version : "")) {
        pl->dir = source;
        return RATCHET_OK;
    }
    const char *base = getenv("TMPDIR");
    ratchet_buf tmpl = RATCHET_BUF_INIT;
    rt_buf_printf(&tmpl, "%s/ratchet-check-XXXXXX", base && *base ? base : "/tmp");
    if (!tmpl.data || !mkdtemp(tmpl.data)) {
        rt_buf_free(&tmpl);
        return rt_api_fail(out, mark, "INTERNAL_ERROR", NULL,
                           "cannot create a temporary folder: %s", strerror(errno));
    }
    pl->tmp = tmpl.data;
    snprintf(pl->sub, sizeof pl->sub, "%s/%s", pl->tmp, name ? name : "task");
    pl->dir = pl->sub;
    rt_error err;
    /* rec is the shared version cache's: written from a copy (rt_api_member_copy). */
    struct json_object *copy = NULL;
    if (json_object_deep_copy(rec, &copy, NULL) != 0)
        return rt_api_fail(out, mark, "INTERNAL_ERROR", NULL, "out of memory");
    ratchet_status rc = rt_author_write_folder(pl->sub, copy, &err);
    json_object_put(copy);
    if (rc != RATCHET_OK)
        return rt_api_fail(out, mark, "INTERNAL_ERROR", NULL, "%s", err.msg);
    return RATCHET_OK;
}

/* The start of task_validate and task_test: the latest version of `ref`, the lock, its folder. */
typedef struct stored_check {
    rt_api *a;
    const api_version *v;
    checked_place place;
} stored_check;

static void stored_release(stored_check *c)
{
    rt_author_remove(c->place.tmp);
    free(c->place.tmp);
    rt_author_end();
}

static ratchet_status stored_begin(const char *ref, stored_check *c, ratchet_buf *out, size_t mark)
{
    memset(c, 0, sizeof *c);
    if (!(c->a = rt_api_enter(out, mark)))
        return RATCHET_ERR;
    if (!ref || !*ref)
        return rt_api_fail(out, mark, "BAD_REQUEST", NULL, "a task id or name is required");
    /* Resolved under the lock, so that a write that has just ended is seen. */
    rt_author_begin();
    ratchet_status rc = rt_api_resolve(c->a, ref, NULL, NULL, &c->v, out, mark);
    if (rc == RATCHET_OK)
        rc = place_for(c->v->rec, &c->place, out, mark);
    if (rc != RATCHET_OK)
        stored_release(c);
    return rc;
}

/* Run the check process on the stored task's folder, then answer {task, version, checked,
 * source} with the answer's member `member` merged in (or its "error" as VALIDATION_ERROR). */
static ratchet_status stored_check_run(const char *ref, const char *mode, const char *names_json,
                                       const char *member, ratchet_buf *out)
{
    size_t mark = out->len;
    stored_check c;
    ratchet_status rc = stored_begin(ref, &c, out, mark);
    if (rc != RATCHET_OK)
        return rc;
    const char *name = rt_api_str(c.v->rec, "name");
    struct json_object *answer =
        rt_author_check(c.a, mode, c.place.dir, name ? name : "task", names_json, out, mark);
    struct json_object *part = rt_api_member(answer, member);
    if (answer && rt_api_str(answer, "error"))
        rc = rt_api_fail(out, mark, "VALIDATION_ERROR", NULL, "%s", rt_api_str(answer, "error"));
    else if (answer && !part)
        rc = rt_api_fail(out, mark, "INTERNAL_ERROR", NULL, "the check process gave no %s", member);
    else if (!answer)
        rc = RATCHET_ERR;
    if (rc == RATCHET_OK) {
        struct json_object *o = json_object_new_object();
        json_object_object_add(o, "task", rt_api_member_copy(c.v->rec, "name"));
        json_object_object_add(o, "version", rt_api_member_copy(c.v->rec, "version"));
        json_object_object_add(o, "checked",
                               json_object_new_string(c.place.tmp ? "stored" : "source"));
        json_object_object_add(o, "source", rt_api_member_copy(c.v->rec, "source"));
        if (json_object_is_type(part, json_type_array)) { /* problems */
            json_object_object_add(o, "valid",
                                   json_object_new_boolean(json_object_array_length(part) == 0));
            json_object_object_add(o, member, json_object_get(part));
        } else { /* tests: {total, passed, failed, skipped, results} at the top */
            json_object_object_foreach(part, key, val)
            {
                json_object_object_add(o, key, json_object_get(val));
            }
            struct json_object *total = rt_api_member(part, "total");
            if (json_object_get_int64(total) == 0)
                json_object_object_add(
                    o, "message",
                    json_object_new_string(c.place.tmp
                                               ? "the task has no tests: it is stored without "
                                                 "its folder, and only a folder holds tests"
                                               : "the task has no tests (tests/NAME.json in its "
                                                 "folder)"));
        }
        rc = rt_api_put(out, o);
        json_object_put(o);
    }
    json_object_put(answer);
    stored_release(&c);
    return rc;
}

static ratchet_status api_task_validate(const char *ref, ratchet_buf *out)
{
    return stored_check_run(ref, "validate", NULL, "problems", out);
}

static ratchet_status api_task_test(const char *ref, const char *names_json, ratchet_buf *out)
{
    size_t mark = out->len;
    struct json_object *names = names_json && *names_json ? json_tokener_parse(names_json) : NULL;
    int ok = !names_json || !*names_json || json_object_is_type(names, json_type_array);
    for (size_t i = 0; ok && names && i < json_object_array_length(names); i++)
        ok = json_object_is_type(json_object_array_get_idx(names, i), json_type_string);
    json_object_put(names);
    if (!ok)
        return rt_api_fail(out, mark, "VALIDATION_ERROR", NULL,
                           "test names: expected a JSON array of strings");
    return stored_check_run(ref, "test", names_json && *names_json ? names_json : NULL, "tests",
                            out);
}

void rt_api_fill_author(ratchet_engine_api *t)
{
    t->task_write = rt_api_task_write;
    t->task_validate = api_task_validate;
    t->task_test = api_task_test;
}
