/*
 * host/task/task.c - loading and checking one task package, and finding the tasks in a collection.
 * The file formats are read in task_meta.c (metadata.json, tests) and task_yaml.c (meta.yaml),
 * archives extracted in task_zip.c.
 */
#include "task_int.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

void rt_task_report_add(rt_task_report *r, const char *fmt, ...)
{
    rt_error e;
    va_list ap;
    va_start(ap, fmt);
    /* Truncation is acceptable: the message is for humans and stays NUL-terminated. */
    vsnprintf(e.msg, sizeof e.msg, fmt, ap);
    va_end(ap);
    if (r->count++ == 0 && r->err)
        *r->err = e;
    if (r->fn)
        r->fn(r->data, e.msg);
}

static char *join(const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 1;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s%s", a, b);
    return s;
}

/* Read, parse and keep one JSON file of the task; NULL when absent (optional) or bad. */
static struct json_object *read_json(const char *dir, const char *prefix, const char *file,
                                     int optional, rt_task_report *r)
{
    char *path = join(dir, file), *disp = join(prefix, file + 1), *text = NULL;
    size_t len = 0;
    struct json_object *obj = NULL;
    if (!path || !disp)
        rt_task_report_add(r, "out of memory");
    else if (rt_task_read_file(path, disp, RT_TASK_JSON_MAX, optional, &text, &len, r) == 1)
        rt_task_parse_json(text, len, disp, &obj, r);
    free(text);
    free(path);
    free(disp);
    return obj;
}

static void read_code(rt_task *t, const char *dir, const char *prefix, rt_task_report *r)
{
    char *rel = join("/", t->entry);
    char *path = rel ? join(dir, rel) : NULL, *disp = join(prefix, t->entry);
    free(rel);
    if (!path || !disp) {
        rt_task_report_add(r, "out of memory");
    } else if (rt_task_read_file(path, disp, RT_TASK_CODE_MAX, 0, &t->code, &t->code_len, r) == 1) {
        /* The engine takes C strings: a NUL would silently cut the script short. */
        const char *nul = memchr(t->code, '\0', t->code_len);
        if (nul)
            rt_task_report_add(r, "%s: contains a NUL byte at offset %zu", disp,
                               (size_t)(nul - t->code));
    }
    free(path);
    free(disp);
}

static struct json_object *read_schema(const char *dir, const char *prefix, const char *file,
                                       const char **from, rt_task_report *r)
{
    size_t before = r->count;
    struct json_object *s = read_json(dir, prefix, file, 1, r);
    if (r->count == before && s && !json_object_is_type(s, json_type_object))
        rt_task_report_add(r, "%s%s: must be a JSON object (a JSON Schema)", prefix, file + 1);
    /* The literal null parses to NULL: present but not a schema either. */
    if (r->count == before && !s) {
        char *path = join(dir, file);
        struct stat st;
        if (path && stat(path, &st) == 0)
            rt_task_report_add(r, "%s%s: must be a JSON object (a JSON Schema)", prefix, file + 1);
        free(path);
    }
    if (s)
        *from = file + 1;
    return s;
}

static int file_exists(const char *dir, const char *file)
{
    char *p = join(dir, file);
    struct stat st;
    int yes = p && stat(p, &st) == 0;
    free(p);
    return yes;
}

/* metadata.json: the metadata, main.js the code. */
static void scan_json_meta(rt_task *t, const char *dir, const char *prefix, rt_task_report *r)
{
    size_t before = r->count;
    t->metadata = read_json(dir, prefix, "/metadata.json", 0, r);
    char *disp = join(prefix, "metadata.json");
    if (!disp)
        rt_task_report_add(r, "out of memory");
    else if (r->count == before)
        rt_task_parse_metadata(t, t->metadata, disp, r);
    free(disp);
    if (!(t->entry = strdup("main.js")))
        rt_task_report_add(r, "out of memory");
}

/* Read everything of the task folder dir into t, reporting each problem. */
static void task_scan(rt_task *t, const char *dir, const char *prefix, rt_task_report *r)
{
    int yaml = !file_exists(dir, "/metadata.json") && file_exists(dir, "/meta.yaml");
    if (!yaml && file_exists(dir, "/meta.yaml"))
        rt_task_report_add(r, "%smeta.yaml: the folder also holds metadata.json; keep one of them",
                           prefix);
    if (!(t->meta_file = strdup(yaml ? "meta.yaml" : "metadata.json"))) {
        rt_task_report_add(r, "out of memory");
        return;
    }
    if (yaml)
        rt_task_read_meta_yaml(t, dir, prefix, r);
    else
        scan_json_meta(t, dir, prefix, r);
    if (t->entry)
        read_code(t, dir, prefix, r);
    /* meta.yaml may give the schemas; then a schema file beside it would be a second one. */
    if (!t->input_schema_from)
        t->input_schema = read_schema(dir, prefix, "/input.schema.json", &t->input_schema_from, r);
    else if (file_exists(dir, "/input.schema.json"))
        rt_task_report_add(r,
                           "%sinput.schema.json: meta.yaml gives the input schema (%s); keep "
                           "one of them",
                           prefix, t->input_schema_from);
    if (!t->output_schema_from)
        t->output_schema =
            read_schema(dir, prefix, "/output.schema.json", &t->output_schema_from, r);
    else if (file_exists(dir, "/output.schema.json"))
        rt_task_report_add(r,
                           "%soutput.schema.json: meta.yaml gives the output schema (%s); "
                           "keep one of them",
                           prefix, t->output_schema_from);
    rt_task_load_tests(t, dir, prefix, r);
    char *name = t->entry && t->tmpdir ? join(prefix, t->entry) : NULL;
    t->code_name = name;
    t->shown = strdup(prefix);
}

const char *rt_task_code_name(const rt_task *t)
{
    return t->code_name ? t->code_name : t->entry ? t->entry : "main.js";
}

/* Resolve what the user named into t->dir, the folder to read: the folder itself, or a .zip
 * extracted into t->tmpdir. Returns what messages put before a file name ("addition/"), or
 * NULL with err set. */
static char *task_open(rt_task *t, const char *path, rt_error *err)
{
    struct stat st;
    char *prefix = NULL;
    if (stat(path, &st) != 0) {
        rt_fail(err, "%s: %s", path, strerror(errno));
    } else if (S_ISREG(st.st_mode)) {
        if (rt_task_zip_extract(path, &t->tmpdir, &t->dir, &prefix, err) != RATCHET_OK)
            prefix = NULL;
    } else if (!S_ISDIR(st.st_mode)) {
        rt_fail(err, "%s: not a task folder or a .zip file", path);
    } else {
        size_t n = strlen(path);
        while (n > 1 && path[n - 1] == '/')
            n--;
        t->dir = strndup(path, n);
        prefix = t->dir ? join(t->dir, strcmp(t->dir, "/") ? "/" : "") : NULL;
        if (!prefix)
            rt_fail(err, "%s: out of memory", path);
    }
    if (!t->dir) { /* only with prefix NULL too; said for the static analyser */
        free(prefix);
        return NULL;
    }
    return prefix;
}

ratchet_status rt_task_compile(rt_task *t, rt_error *err)
{
    if (!t->program &&
        !(t->program = rt_program_compile_named(t->code, t->code_len, rt_task_code_name(t), err)))
        return RATCHET_ERR;
    return RATCHET_OK;
}

void rt_task_free(rt_task *t)
{
    if (!t)
        return;
    rt_program_free(t->program);
    for (size_t i = 0; i < t->ntests; i++) {
        free(t->tests[i].name);
        free(t->tests[i].file);
        json_object_put(t->tests[i].input);
        json_object_put(t->tests[i].expect);
        json_object_put(t->tests[i].mock);
        json_object_put(t->tests[i].expect_error);
    }
    free(t->tests);
    for (size_t i = 0; i < t->ntags; i++)
        free(t->tags[i]);
    free(t->tags);
    json_object_put(t->metadata);
    json_object_put(t->input_schema);
    json_object_put(t->output_schema);
    free(t->code);
    free(t->dir);
    free(t->source);
    free(t->name);
    free(t->label);
    free(t->version);
    free(t->uuid);
    free(t->description);
    free(t->shown);
    free(t->entry);
    free(t->meta_file);
    free(t->code_name);
    if (t->tmpdir)
        rt_task_rmtree(t->tmpdir);
    free(t->tmpdir);
    free(t);
}

rt_task *rt_task_load(const char *path, rt_error *err)
{
    rt_task *t = calloc(1, sizeof *t);
    if (!t || !(t->source = strdup(path))) {
        free(t);
        rt_fail(err, "%s: out of memory", path);
        return NULL;
    }
    char *prefix = task_open(t, path, err);
    if (!prefix) {
        rt_task_free(t);
        return NULL;
    }
    rt_task_report r = {NULL, NULL, err, 0};
    task_scan(t, t->dir, prefix, &r);
    free(prefix);
    if (r.count) {
        rt_task_free(t);
        return NULL;
    }
    return t;
}

rt_task *rt_task_scan(const char *path, rt_task_problem_fn fn, void *data, size_t *count)
{
    rt_task_report r = {fn, data, NULL, 0};
    rt_task *t = calloc(1, sizeof *t);
    if (!t || !(t->source = strdup(path))) {
        free(t);
        rt_task_report_add(&r, "%s: out of memory", path);
        *count = r.count;
        return NULL;
    }
    rt_error err;
    char *prefix = task_open(t, path, &err);
    if (!prefix) {
        rt_task_report_add(&r, "%s", err.msg);
        rt_task_free(t);
        t = NULL;
    } else {
        task_scan(t, t->dir, prefix, &r);
    }
    free(prefix);
    *count = r.count;
    return t;
}

size_t rt_task_check(const char *path, rt_task_problem_fn fn, void *data)
{
    size_t count;
    rt_task_free(rt_task_scan(path, fn, data, &count));
    return count;
}

/* ---- collections ---------------------------------------------------------------------------- */

typedef struct found {
    char **v;
    size_t n, cap;
} found;

static ratchet_status found_add(found *f, const char *path, rt_error *err)
{
    if (f->n == RT_TASK_FIND_MAX)
        return rt_fail(err, "%s: more than %d tasks", path, RT_TASK_FIND_MAX);
    if (f->n == f->cap) {
        size_t ncap = f->cap ? f->cap * 2 : 16;
        char **nv = realloc(f->v, ncap * sizeof *nv);
        if (!nv)
            return rt_fail(err, "out of memory");
        f->v = nv;
        f->cap = ncap;
    }
    if (!(f->v[f->n] = strdup(path)))
        return rt_fail(err, "out of memory");
    f->n++;
    return RATCHET_OK;
}

static int has_zip_suffix(const char *name)
{
    size_t n = strlen(name);
    return n > 4 && strcasecmp(name + n - 4, ".zip") == 0;
}

int rt_task_is_folder(const char *dir)
{
    return file_exists(dir, "/metadata.json") || file_exists(dir, "/meta.yaml");
}

static ratchet_status find_in(const char *dir, int depth, found *f, rt_error *err);

/* One directory entry of a collection. */
static ratchet_status find_entry(const char *dir, const char *name, int depth, found *f,
                                 rt_error *err)
{
    char *path = join(dir, strcmp(dir, "/") ? "/" : ""), *full = path ? join(path, name) : NULL;
    free(path);
    if (!full)
        return rt_fail(err, "out of memory");
    struct stat st;
    ratchet_status rc = RATCHET_OK;
    if (lstat(full, &st) != 0) {
        rc = rt_fail(err, "%s: %s", full, strerror(errno));
    } else if (S_ISDIR(st.st_mode)) {
        /* A task folder is not descended into: its tests/ are not tasks. */
        rc = rt_task_is_folder(full) ? found_add(f, full, err) : find_in(full, depth + 1, f, err);
    } else if (has_zip_suffix(name)) {
        /* A symlinked .zip is a file like any other; symlinked folders are not followed, which
         * rules out cycles. */
        if (S_ISREG(st.st_mode) ||
            (S_ISLNK(st.st_mode) && stat(full, &st) == 0 && S_ISREG(st.st_mode)))
            rc = found_add(f, full, err);
    }
    free(full);
    return rc;
}

static ratchet_status find_in(const char *dir, int depth, found *f, rt_error *err)
{
    if (depth > RT_TASK_FIND_DEPTH_MAX)
        return rt_fail(err, "%s: folders nested more than %d levels deep", dir,
                       RT_TASK_FIND_DEPTH_MAX);
    DIR *d = opendir(dir);
    if (!d)
        return rt_fail(err, "%s: %s", dir, strerror(errno));
    ratchet_status rc = RATCHET_OK;
    struct dirent *de;
    while (rc == RATCHET_OK && (de = readdir(d)) != NULL) {
        /* Hidden entries (.git, .ratchet, ...) are not tasks. */
        if (de->d_name[0] != '.')
            rc = find_entry(dir, de->d_name, depth, f, err);
    }
    closedir(d);
    return rc;
}

/* Scan a collection folder, named without trailing slashes so that paths come out clean. */
static ratchet_status find_collection(const char *path, found *f, rt_error *err)
{
    size_t n = strlen(path);
    while (n > 1 && path[n - 1] == '/')
        n--;
    char *dir = strndup(path, n);
    if (!dir)
        return rt_fail(err, "out of memory");
    ratchet_status rc = find_in(dir, 0, f, err);
    free(dir);
    return rc;
}

static int cmp_path(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

ratchet_status rt_task_find(const char *path, char ***out, size_t *count, rt_error *err)
{
    *out = NULL;
    *count = 0;
    struct stat st;
    if (stat(path, &st) != 0)
        return rt_fail(err, "%s: %s", path, strerror(errno));
    found f = {NULL, 0, 0};
    ratchet_status rc;
    if (S_ISREG(st.st_mode) || (S_ISDIR(st.st_mode) && rt_task_is_folder(path)))
        rc = found_add(&f, path, err);
    else if (S_ISDIR(st.st_mode))
        rc = find_collection(path, &f, err);
    else
        rc = rt_fail(err, "%s: not a folder or a .zip file", path);
    if (rc != RATCHET_OK) {
        for (size_t i = 0; i < f.n; i++)
            free(f.v[i]);
        free(f.v);
        return rc;
    }
    if (f.n)
        qsort(f.v, f.n, sizeof *f.v, cmp_path);
    *out = f.v;
    *count = f.n;
    return RATCHET_OK;
}
