/*
 * iw_tree.c - the inotify watch table: which folder each watch descriptor stands for, and the
 * recursive add that inotify itself lacks.
 */
#define _DEFAULT_SOURCE /* struct dirent.d_type */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>

#include "iw.h"

#define IW_MAX_DEPTH 64

int iw_path_under(const char *path, const char *dir)
{
    size_t n = strlen(dir);
    return strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

static iw_dir *find(const iw_tree *t, int wd)
{
    for (size_t i = 0; i < t->ndirs; i++)
        if (t->dirs[i].wd == wd)
            return &t->dirs[i];
    return NULL;
}

int iw_tree_add(iw_tree *t, const char *dir, uint32_t mask)
{
    int wd = inotify_add_watch(t->fd, dir, mask);
    if (wd < 0)
        return -1;
    char *copy = strdup(dir);
    if (!copy) {
        errno = ENOMEM;
        return -1;
    }
    iw_dir *d = find(t, wd);
    if (d) {
        free(d->path);
        d->path = copy;
        return 0;
    }
    if (t->ndirs == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 32;
        iw_dir *grown = realloc(t->dirs, cap * sizeof *grown);
        if (!grown) {
            free(copy);
            errno = ENOMEM;
            return -1;
        }
        t->dirs = grown;
        t->cap = cap;
    }
    t->dirs[t->ndirs].wd = wd;
    t->dirs[t->ndirs].path = copy;
    t->ndirs++;
    return 0;
}

/* A folder that is gone (or was replaced by a file) by the time we look is not an error: its
 * removal is reported by its parent's watch. */
static int vanished(int err)
{
    return err == ENOENT || err == ENOTDIR;
}

static int add_all(iw_tree *t, const char *dir, iw_found_fn found, void *user, int depth)
{
    if (iw_tree_add(t, dir, IW_TREE_MASK) != 0)
        return vanished(errno) ? 0 : -1;
    if (depth >= IW_MAX_DEPTH)
        return 0;
    DIR *d = opendir(dir);
    if (!d)
        return vanished(errno) ? 0 : -1;
    int rc = 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char path[4096];
        int len = snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (len < 0 || (size_t)len >= sizeof path)
            continue; /* deeper than PATH_MAX: not a task file we could load either */
        if (found)
            found(user, path);
        int is_dir = e->d_type == DT_DIR;
        struct stat sb;
        if (e->d_type == DT_UNKNOWN)
            is_dir = lstat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
        if (is_dir)
            rc = add_all(t, path, found, user, depth + 1);
    }
    int saved = errno;
    closedir(d);
    errno = saved;
    return rc;
}

int iw_tree_add_all(iw_tree *t, const char *dir, iw_found_fn found, void *user)
{
    return add_all(t, dir, found, user, 0);
}

const char *iw_tree_path(const iw_tree *t, int wd)
{
    const iw_dir *d = find(t, wd);
    return d ? d->path : NULL;
}

static void drop(iw_tree *t, size_t i)
{
    free(t->dirs[i].path);
    t->dirs[i] = t->dirs[--t->ndirs];
}

void iw_tree_forget(iw_tree *t, int wd)
{
    for (size_t i = 0; i < t->ndirs; i++)
        if (t->dirs[i].wd == wd) {
            drop(t, i);
            return;
        }
}

void iw_tree_remove_below(iw_tree *t, const char *dir)
{
    for (size_t i = t->ndirs; i-- > 0;)
        if (iw_path_under(t->dirs[i].path, dir)) {
            inotify_rm_watch(t->fd, t->dirs[i].wd);
            drop(t, i);
        }
}

void iw_tree_free(iw_tree *t)
{
    for (size_t i = 0; i < t->ndirs; i++)
        free(t->dirs[i].path);
    free(t->dirs);
    t->dirs = NULL;
    t->ndirs = t->cap = 0;
}
