/*
 * host/task/task_zip_write.c - a task folder written as a .zip (for `ratchet registry
 * serve-index`). The bytes depend only on the files' names and contents: entries are sorted,
 * and each gets the same time and mode, so an unchanged folder gives an unchanged zip (and an
 * unchanged sha256 in a registry index, so followers download nothing).
 */
#include "task_int.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "task_zip_lib.h"

#define ZIP_FIXED_MTIME ((time_t)946684800) /* 2000-01-01T00:00:00Z */

typedef struct file_list {
    char **rel;
    size_t n, cap;
} file_list;

static int list_add(file_list *l, const char *rel)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 32;
        char **grown = realloc(l->rel, cap * sizeof *grown);
        if (!grown)
            return -1;
        l->rel = grown;
        l->cap = cap;
    }
    if (!(l->rel[l->n] = strdup(rel)))
        return -1;
    l->n++;
    return 0;
}

/* Every regular file below dir/rel (rel "" for the top), relative to dir. */
static ratchet_status walk(const char *dir, const char *rel, int depth, file_list *l, rt_error *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s%s%s", dir, *rel ? "/" : "", rel);
    if (depth > RT_TASK_ZIP_DEPTH_MAX)
        return rt_fail(err, "%s: nested more than %d folders deep", path, RT_TASK_ZIP_DEPTH_MAX);
    DIR *d = opendir(path);
    if (!d)
        return rt_fail(err, "%s: %s", path, strerror(errno));
    ratchet_status rc = RATCHET_OK;
    struct dirent *ent;
    while (rc == RATCHET_OK && (ent = readdir(d)) != NULL) {
        if (ent->d_name[0] == '.')
            continue; /* ., .., and hidden files (.git, editor swap files) */
        char sub[4096], full[4096];
        int n1 = snprintf(sub, sizeof sub, "%s%s%s", rel, *rel ? "/" : "", ent->d_name);
        int n2 = snprintf(full, sizeof full, "%s/%s", dir, sub);
        struct stat sb;
        if (n1 < 0 || n2 < 0 || (size_t)n1 >= sizeof sub || (size_t)n2 >= sizeof full)
            rc = rt_fail(err, "%s/%s: path too long", path, ent->d_name);
        else if (lstat(full, &sb) != 0)
            rc = rt_fail(err, "%s: %s", full, strerror(errno));
        else if (S_ISLNK(sb.st_mode))
            rc = rt_fail(err,
                         "%s: is a symbolic link; a task zip cannot hold one (copy the file "
                         "in instead)",
                         full);
        else if (S_ISDIR(sb.st_mode))
            rc = walk(dir, sub, depth + 1, l, err);
        else if (!S_ISREG(sb.st_mode))
            continue;
        else if (l->n >= RT_TASK_ZIP_ENTRIES_MAX)
            rc = rt_fail(err, "%s: more than %d files", dir, RT_TASK_ZIP_ENTRIES_MAX);
        else if (list_add(l, sub) != 0)
            rc = rt_fail(err, "out of memory");
    }
    closedir(d);
    return rc;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static ratchet_status add_files(const rt_zip_lib *zl, zip_t *za, const char *dir,
                                const file_list *l, const char *zip_path, rt_error *err)
{
    for (size_t i = 0; i < l->n; i++) {
        char full[4096];
        snprintf(full, sizeof full, "%s/%s", dir, l->rel[i]);
        zip_source_t *src = zl->source_file(za, full, 0, -1);
        zip_int64_t idx = src ? zl->file_add(za, l->rel[i], src, ZIP_FL_ENC_UTF_8) : -1;
        if (idx < 0) {
            if (src)
                zl->source_free(src);
            return rt_fail(err, "%s: cannot add %s: %s", zip_path, full, zl->strerror(za));
        }
        if (zl->file_set_mtime(za, (zip_uint64_t)idx, ZIP_FIXED_MTIME, 0) != 0 ||
            zl->file_set_external_attributes(za, (zip_uint64_t)idx, 0, ZIP_OPSYS_UNIX,
                                             (zip_uint32_t)(S_IFREG | 0644) << 16) != 0)
            return rt_fail(err, "%s: %s", zip_path, zl->strerror(za));
    }
    return RATCHET_OK;
}

ratchet_status rt_task_zip_write(const char *dir, const char *zip_path, rt_error *err)
{
    const char *why;
    const rt_zip_lib *zl = rt_zip_lib_get(&why);
    if (!zl)
        return rt_fail(err, "%s: cannot write .zip archives: %s", zip_path, why);
    file_list l = {NULL, 0, 0};
    ratchet_status rc = walk(dir, "", 0, &l, err);
    if (rc == RATCHET_OK && l.n == 0)
        rc = rt_fail(err, "%s: holds no files", dir);
    if (rc == RATCHET_OK && l.rel)
        qsort(l.rel, l.n, sizeof *l.rel, cmp_str);
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp-%ld", zip_path, (long)getpid());
    zip_t *za = NULL;
    if (rc == RATCHET_OK) {
        int zerr = 0;
        unlink(tmp);
        za = zl->open(tmp, ZIP_CREATE | ZIP_EXCL, &zerr);
        if (!za) {
            zip_error_t ze;
            zl->error_init_with_code(&ze, zerr);
            rc = rt_fail(err, "%s: cannot create: %s", tmp, zl->error_strerror(&ze));
            zl->error_fini(&ze);
        }
    }
    if (rc == RATCHET_OK)
        rc = add_files(zl, za, dir, &l, zip_path, err);
    if (za && rc == RATCHET_OK) {
        if (zl->close(za) != 0) {
            rc = rt_fail(err, "%s: cannot write: %s", zip_path, zl->strerror(za));
            zl->discard(za);
        }
    } else if (za) {
        zl->discard(za);
    }
    if (rc == RATCHET_OK && rename(tmp, zip_path) != 0)
        rc = rt_fail(err, "%s: cannot write: %s", zip_path, strerror(errno));
    if (rc != RATCHET_OK)
        unlink(tmp);
    for (size_t i = 0; i < l.n; i++)
        free(l.rel[i]);
    free(l.rel);
    return rc;
}
