/*
 * host/engine/registry_publish.c - `ratchet registry serve-index`: a folder of tasks made into
 * an HTTP registry any static web server can host (see registry.h, registry_index.h). The
 * output depends only on the tasks' files, so publishing unchanged tasks again changes
 * nothing a follower would download.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/core_layer.h"
#include "registry.h"
#include "registry_index.h"
#include "task/task_layer.h"

typedef struct published {
    char *name, *version, *description;
    char *from; /* the task's folder or zip */
    char *file; /* NAME-VERSION.zip */
    char sha256[65];
    int64_t size;
} published;

typedef struct publish {
    const char *out_dir;
    published *items;
    size_t n;
    int failed;
} publish;

static void problem(publish *pb, const char *fmt, ...) RATCHET_PRINTF(2, 3);
static void problem(publish *pb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ratchet_buf b = RATCHET_BUF_INIT;
    rt_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    rt_cli_fail("%s", b.data ? b.data : "out of memory");
    rt_buf_free(&b);
    pb->failed = 1;
}

static int is_zip(const char *path)
{
    size_t n = strlen(path);
    return n > 4 && strcmp(path + n - 4, ".zip") == 0;
}

/* Copy a file through a temporary file renamed over `to`. */
static int copy_file(const char *from, const char *to)
{
    int in = open(from, O_RDONLY | O_CLOEXEC);
    if (in < 0)
        return -1;
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp-%ld", to, (long)getpid());
    int out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    int rc = out < 0 ? -1 : 0;
    char buf[65536];
    ssize_t n;
    while (rc == 0 && (n = read(in, buf, sizeof buf)) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 || write(out, buf, (size_t)n) != n)
            rc = -1;
    }
    int e = errno;
    close(in);
    if (out >= 0 && close(out) != 0)
        rc = -1;
    if (rc == 0 && rename(tmp, to) != 0)
        rc = -1;
    if (rc != 0) {
        e = errno ? errno : e;
        unlink(tmp);
        errno = e;
    }
    return rc;
}

static int file_digest(const char *path, char hex[65], int64_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    rt_sha256 s;
    rt_sha256_init(&s);
    char buf[65536];
    size_t n;
    *size = 0;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        rt_sha256_update(&s, buf, n);
        *size += (int64_t)n;
    }
    int bad = ferror(f);
    fclose(f);
    unsigned char d[32];
    rt_sha256_final(&s, d);
    for (int i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", d[i]);
    return bad ? -1 : 0;
}

static published *find(publish *pb, const char *name, const char *version)
{
    for (size_t i = 0; i < pb->n; i++)
        if (strcmp(pb->items[i].name, name) == 0 && strcmp(pb->items[i].version, version) == 0)
            return &pb->items[i];
    return NULL;
}

/* One task folder or zip: validated, written into out_dir, listed. */
static void publish_one(publish *pb, const char *path)
{
    rt_error err;
    rt_task *t = rt_task_load(path, &err);
    if (!t) {
        problem(pb, "%s", err.msg);
        return;
    }
    if (rt_task_compile(t, &err) != RATCHET_OK) {
        problem(pb, "%s: compile error: %s", path, err.msg);
        rt_task_free(t);
        return;
    }
    ratchet_buf file = RATCHET_BUF_INIT, dest = RATCHET_BUF_INIT;
    rt_buf_printf(&file, "%s-%s.zip", t->name, t->version);
    rt_buf_printf(&dest, "%s/%s", pb->out_dir, file.data);
    published *dup = find(pb, t->name, t->version);
    published *grown = NULL;
    if (dup && is_zip(path) && strcmp(path, dest.data) == 0) {
        /* This command's own output from an earlier run: written again from its origin. */
    } else if (dup && is_zip(path) && strcmp(dup->from, dest.data) == 0) {
        /* The one found first was that output; this zip is its origin: copy it again. */
        char *from = strdup(path);
        if (!from || copy_file(path, dest.data) != 0 ||
            file_digest(dest.data, dup->sha256, &dup->size) != 0)
            problem(pb, "%s: cannot copy to %s: %s", path, dest.data,
                    from ? strerror(errno) : "out of memory");
        free(dup->from);
        dup->from = from;
    } else if (dup) {
        problem(pb, "task %s %s is in both %s and %s; give one of them a new version", t->name,
                t->version, dup->from, path);
    } else if (!rt_reg_valid_name(t->name) || !rt_reg_valid_version(t->version)) {
        problem(pb,
                "%s: task '%s' version '%s' cannot be listed in an index (names take "
                "letters, digits, _ and -; versions also . + ~)",
                path, t->name, t->version);
    } else if (is_zip(path) ? strcmp(path, dest.data) != 0 && copy_file(path, dest.data) != 0
                            : rt_task_zip_write(path, dest.data, &err) != RATCHET_OK) {
        if (is_zip(path))
            problem(pb, "%s: cannot copy to %s: %s", path, dest.data, strerror(errno));
        else
            problem(pb, "%s", err.msg);
    } else if (!(grown = realloc(pb->items, (pb->n + 1) * sizeof *grown))) {
        problem(pb, "out of memory");
    } else {
        pb->items = grown;
        published *it = &grown[pb->n++];
        memset(it, 0, sizeof *it);
        it->name = strdup(t->name);
        it->version = strdup(t->version);
        it->description = t->description ? strdup(t->description) : NULL;
        it->from = strdup(path);
        it->file = file.data;
        file.data = NULL;
        if (file_digest(dest.data, it->sha256, &it->size) != 0)
            problem(pb, "%s: %s", dest.data, strerror(errno));
    }
    rt_buf_free(&file);
    rt_buf_free(&dest);
    rt_task_free(t);
}

static int by_name_version(const void *a, const void *b)
{
    const published *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : strcmp(x->version, y->version);
}

static struct json_object *index_json(const publish *pb, const char *base_url)
{
    struct json_object *doc = json_object_new_object(), *tasks = json_object_new_array();
    json_object_object_add(doc, "registry", json_object_new_int(RT_REG_FORMAT));
    for (size_t i = 0; i < pb->n; i++) {
        const published *it = &pb->items[i];
        struct json_object *e = json_object_new_object();
        json_object_object_add(e, "name", json_object_new_string(it->name));
        json_object_object_add(e, "version", json_object_new_string(it->version));
        if (it->description)
            json_object_object_add(e, "description", json_object_new_string(it->description));
        ratchet_buf url = RATCHET_BUF_INIT;
        if (base_url)
            rt_buf_printf(&url, "%s%s%s", base_url,
                          base_url[strlen(base_url) - 1] == '/' ? "" : "/", it->file);
        else
            rt_buf_puts(&url, it->file);
        json_object_object_add(e, "url", json_object_new_string(url.data ? url.data : ""));
        rt_buf_free(&url);
        json_object_object_add(e, "sha256", json_object_new_string(it->sha256));
        json_object_object_add(e, "size", json_object_new_int64(it->size));
        json_object_array_add(tasks, e);
    }
    json_object_object_add(doc, "tasks", tasks);
    return doc;
}

static int write_index(const char *path, struct json_object *doc)
{
    const char *text = json_object_to_json_string_ext(
        doc, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE);
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp-%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "w");
    if (!f)
        return -1;
    int bad = fputs(text, f) < 0 || fputc('\n', f) == EOF;
    if (fclose(f) != 0 || bad || rename(tmp, path) != 0) {
        int e = errno;
        unlink(tmp);
        errno = e;
        return -1;
    }
    return 0;
}

/* Folders first, so that a zip this command wrote before (DIR/NAME-VERSION.zip, found again
 * when the index lives in DIR) is recognised as its own output. */
static void publish_all(publish *pb, char **paths, size_t n)
{
    for (int zips = 0; zips < 2; zips++)
        for (size_t i = 0; i < n; i++)
            if (is_zip(paths[i]) == zips)
                publish_one(pb, paths[i]);
}

int rt_registry_write_index(const char *dir, const char *index_path, const char *base_url,
                            FILE *out)
{
    struct stat sb;
    if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return rt_cli_fail("%s: %s", dir,
                           stat(dir, &sb) != 0 ? strerror(errno) : "not a folder of tasks");
    if (base_url && strncmp(base_url, "http://", 7) != 0 && strncmp(base_url, "https://", 8) != 0)
        return rt_cli_fail("--base-url: expected an http:// or https:// URL, got '%s'", base_url);
    char *out_dir = malloc(strlen(index_path) + 2); /* room for "." */
    if (out_dir)
        memcpy(out_dir, index_path, strlen(index_path) + 1);
    char *slash = out_dir ? strrchr(out_dir, '/') : NULL;
    if (!out_dir)
        return rt_cli_fail("out of memory");
    if (slash)
        *(slash == out_dir ? slash + 1 : slash) = '\0';
    else
        memcpy(out_dir, ".", 2);
    if (stat(out_dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        int rc = rt_cli_fail("%s: the index's folder %s does not exist", index_path, out_dir);
        free(out_dir);
        return rc;
    }
    char **paths = NULL;
    size_t n = 0;
    rt_error err;
    if (rt_task_find(dir, &paths, &n, &err) != RATCHET_OK) {
        free(out_dir);
        return rt_cli_fail("%s", err.msg);
    }
    publish pb = {out_dir, NULL, 0, 0};
    if (n == 0)
        problem(&pb, "%s holds no task (a folder with metadata.json, or a .zip)", dir);
    publish_all(&pb, paths, n);
    qsort(pb.items, pb.n, sizeof *pb.items, by_name_version);
    int rc = RT_EXIT_OK;
    if (pb.failed) {
        rc = rt_cli_fail("%s not written: fix the problems above", index_path);
    } else {
        struct json_object *doc = index_json(&pb, base_url);
        if (write_index(index_path, doc) != 0)
            rc = rt_cli_fail("cannot write %s: %s", index_path, strerror(errno));
        json_object_put(doc);
    }
    for (size_t i = 0; i < pb.n; i++) {
        const published *it = &pb.items[i];
        if (rc == RT_EXIT_OK)
            fprintf(out, "%-24s %-10s %-32s %8lld bytes  sha256 %.12s\n", it->name, it->version,
                    it->file, (long long)it->size, it->sha256);
        free(it->name);
        free(it->version);
        free(it->description);
        free(it->from);
        free(it->file);
    }
    if (rc == RT_EXIT_OK)
        fprintf(out, "wrote %s (%zu task%s)\n", index_path, pb.n, pb.n == 1 ? "" : "s");
    free(pb.items);
    for (size_t i = 0; i < n; i++)
        free(paths[i]);
    free(paths);
    free(out_dir);
    return rc;
}
