/*
 * host/task/task_zip.c - extracting a task .zip into a private temporary folder.
 *
 * A .zip is untrusted input. Every entry is checked before anything is written: names must stay
 * inside the folder (no "..", no absolute or drive paths, backslashes read as separators), no
 * symlinks, bounded counts and sizes. Files are then created with openat() below a folder made
 * by mkdtemp(), each path component opened with O_NOFOLLOW and each file with O_EXCL, and the
 * data read is bounded by the declared size, which an archive may lie about.
 */
#include "task_int.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "task_zip_lib.h"

/* libzip's calls go through the table loaded by rt_task_zip_extract (task_zip_lib.h). */
static const rt_zip_lib *zl;
#define zip_open                         zl->open
#define zip_get_num_entries              zl->get_num_entries
#define zip_stat_index                   zl->stat_index
#define zip_get_name                     zl->get_name
#define zip_file_get_external_attributes zl->file_get_external_attributes
#define zip_fopen_index                  zl->fopen_index
#define zip_fread                        zl->fread
#define zip_fclose                       zl->fclose
#define zip_file_strerror                zl->file_strerror
#define zip_strerror                     zl->strerror
#define zip_discard                      zl->discard
#define zip_error_init_with_code         zl->error_init_with_code
#define zip_error_strerror               zl->error_strerror
#define zip_error_fini                   zl->error_fini

#define RT_STR_(x) #x
#define RT_STR(x)  RT_STR_(x)

/* Folders macOS adds to archives for resource forks; never part of a task. */
#define MACOS_META "__MACOSX"

typedef struct zentry {
    zip_uint64_t index;
    zip_uint64_t size; /* declared uncompressed size */
    const char *name;  /* as stored, for messages (owned by the archive) */
    char *rel;         /* normalised relative path: components joined by '/' */
    int is_dir;
} zentry;

typedef struct zjob {
    const char *zip; /* path, for messages */
    zip_t *za;
    zentry *e;
    size_t n;
    int root_meta; /* metadata.json or meta.yaml at the root */
    char *top;     /* the single top folder every entry is in, or NULL */
} zjob;

static ratchet_status entry_fail(rt_error *err, const zjob *j, const char *name, const char *what)
{
    return rt_fail(err, "%s: entry '%.256s' %s", j->zip, name, what);
}

/* Normalise an entry name into j's relative path form. Returns 1 with *rel set, 0 for an entry
 * naming the root itself ("./"), -1 with *why set when refused. */
static int entry_path(const char *name, char **rel, int *is_dir, const char **why)
{
    size_t n = strlen(name);
    *rel = NULL;
    if (n == 0) {
        *why = "has an empty name";
        return -1;
    }
    if (n > RT_TASK_ZIP_NAME_MAX) {
        *why = "has a name longer than " RT_STR(RT_TASK_ZIP_NAME_MAX) " bytes";
        return -1;
    }
    char *p = malloc(n + 1), *out = malloc(n + 1);
    if (!p || !out) {
        free(p);
        free(out);
        *why = "cannot be read: out of memory";
        return -1;
    }
    /* Windows tools write '\' as the separator; reading it as one means "..\x" cannot escape
     * and "tests\a.json" lands in tests/. */
    for (size_t i = 0; i <= n; i++)
        p[i] = name[i] == '\\' ? '/' : name[i];
    *is_dir = p[n - 1] == '/';
    int rc = 1;
    if (p[0] == '/' || (isalpha((unsigned char)p[0]) && p[1] == ':'))
        rc = -1; /* absolute, or a drive letter */
    size_t len = 0, depth = 0;
    for (char *c = p, *end; rc == 1 && *c; c = end) {
        end = strchr(c, '/');
        end = end ? end : c + strlen(c);
        size_t cl = (size_t)(end - c);
        if (*end)
            *end++ = '\0';
        if (cl == 0 || (cl == 1 && c[0] == '.'))
            continue;
        if (cl == 2 && c[0] == '.' && c[1] == '.') {
            rc = -1;
        } else if (++depth > RT_TASK_ZIP_DEPTH_MAX) {
            rc = -2;
        } else {
            if (len)
                out[len++] = '/';
            memcpy(out + len, c, cl);
            len += cl;
        }
    }
    free(p);
    if (rc < 0) {
        *why = rc == -1 ? "escapes the task folder"
                        : "is nested more than " RT_STR(RT_TASK_ZIP_DEPTH_MAX) " folders deep";
        free(out);
        return -1;
    }
    out[len] = '\0';
    if (!len) {
        free(out);
        if (*is_dir)
            return 0;
        *why = "escapes the task folder";
        return -1;
    }
    *rel = out;
    return 1;
}

/* A Unix symlink keeps its file type in the high 16 bits of the external attributes. Checked
 * whatever system the archive claims: no other system puts S_IFLNK there by chance. */
static int entry_is_symlink(zip_t *za, zip_uint64_t i)
{
    zip_uint8_t opsys;
    zip_uint32_t attr;
    if (zip_file_get_external_attributes(za, i, 0, &opsys, &attr) != 0)
        return 0;
    return ((attr >> 16) & S_IFMT) == S_IFLNK;
}

/* Where the top-level analysis stands after one more entry. */
static void track_top(zjob *j, const zentry *e, int *single, char **tops, size_t *ntops)
{
    size_t cl = strcspn(e->rel, "/");
    int nested = e->rel[cl] == '/' || e->is_dir;
    if (!e->is_dir && (strcmp(e->rel, "metadata.json") == 0 || strcmp(e->rel, "meta.yaml") == 0))
        j->root_meta = 1;
    if (!nested)
        *single = 0;
    for (size_t k = 0; k < *ntops; k++)
        if (strlen(tops[k]) == cl && memcmp(tops[k], e->rel, cl) == 0)
            return;
    if (*ntops)
        *single = 0;
    if (*ntops < 3 && (tops[*ntops] = strndup(e->rel, cl)) != NULL)
        (*ntops)++;
}

/* Without metadata.json (or meta.yaml) at the root, the task must be in the one top folder of
 * the archive.
 * tops holds the first (up to 3) distinct top-level names, for the message. */
static ratchet_status choose_top(zjob *j, int single, char **tops, size_t ntops, rt_error *err)
{
    if (!ntops)
        return rt_fail(err, "%s: the archive holds no files", j->zip);
    if (!single)
        return rt_fail(err,
                       "%s: no metadata.json (or meta.yaml) at the root, and not a single top "
                       "folder (the top level holds '%s'%s%s%s%s); put the task at the root of "
                       "the archive or in one top folder",
                       j->zip, tops[0], ntops > 1 ? ", '" : "", ntops > 1 ? tops[1] : "",
                       ntops > 1 ? "'" : "", ntops > 2 ? ", ..." : "");
    if (!(j->top = strdup(tops[0])))
        return rt_fail(err, "%s: out of memory", j->zip);
    return RATCHET_OK;
}

/* Check every entry and decide where the task is, writing nothing. */
static ratchet_status zip_plan(zjob *j, rt_error *err)
{
    zip_int64_t count = zip_get_num_entries(j->za, 0);
    if (count < 0)
        return rt_fail(err, "%s: cannot list the archive", j->zip);
    if ((zip_uint64_t)count > RT_TASK_ZIP_ENTRIES_MAX)
        return rt_fail(err, "%s: %lld entries, over the limit of %d", j->zip, (long long)count,
                       RT_TASK_ZIP_ENTRIES_MAX);
    j->e = calloc((size_t)count + 1, sizeof *j->e);
    if (!j->e)
        return rt_fail(err, "%s: out of memory", j->zip);
    zip_uint64_t total = 0;
    int single = 1;
    char *tops[3] = {NULL, NULL, NULL};
    size_t ntops = 0;
    ratchet_status st = RATCHET_OK;
    for (zip_uint64_t i = 0; i < (zip_uint64_t)count; i++) {
        zentry *e = &j->e[j->n];
        zip_stat_t zs;
        const char *why = NULL;
        e->index = i;
        e->name = zip_get_name(j->za, i, ZIP_FL_ENC_GUESS);
        if (!e->name || zip_stat_index(j->za, i, 0, &zs) != 0 || !(zs.valid & ZIP_STAT_SIZE)) {
            st = rt_fail(err, "%s: entry %llu cannot be read: %s", j->zip, (unsigned long long)i,
                         zip_strerror(j->za));
            break;
        }
        e->size = zs.size;
        int rc = entry_path(e->name, &e->rel, &e->is_dir, &why);
        if (rc < 0) {
            st = entry_fail(err, j, e->name, why);
            break;
        }
        if (rc > 0)
            j->n++; /* from here on, e->rel is freed with the job */
        if (entry_is_symlink(j->za, i)) {
            st = entry_fail(err, j, e->name, "is a symbolic link");
            break;
        }
        if (rc == 0) /* "./": the root itself */
            continue;
        size_t cl = strcspn(e->rel, "/");
        if (cl == strlen(MACOS_META) && memcmp(e->rel, MACOS_META, cl) == 0) {
            free(e->rel);
            e->rel = NULL;
            continue;
        }
        if (!e->is_dir && e->size > RT_TASK_ZIP_ENTRY_MAX) {
            st = rt_fail(err,
                         "%s: entry '%.256s' is %llu bytes uncompressed, over the %zu MiB "
                         "limit for one file",
                         j->zip, e->name, (unsigned long long)e->size, RT_TASK_ZIP_ENTRY_MAX >> 20);
            break;
        }
        total += e->is_dir ? 0 : e->size; /* <= 10000 * 16 MiB: cannot overflow */
        if (total > RT_TASK_ZIP_TOTAL_MAX) {
            st = rt_fail(err, "%s: more than %zu MiB uncompressed in all", j->zip,
                         RT_TASK_ZIP_TOTAL_MAX >> 20);
            break;
        }
        track_top(j, e, &single, tops, &ntops);
    }
    if (st == RATCHET_OK && !j->root_meta)
        st = choose_top(j, single, tops, ntops, err);
    for (size_t k = 0; k < ntops; k++)
        free(tops[k]);
    return st;
}

/* Open (creating when needed) the folder `comp` below dirfd, refusing symlinks. */
static int open_subdir(int dirfd, const char *comp)
{
    if (mkdirat(dirfd, comp, 0700) != 0 && errno != EEXIST)
        return -1;
    return openat(dirfd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

static int write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Copy one entry's data into fd, never more than its declared size (already bounded). */
static ratchet_status copy_entry(const zjob *j, const zentry *e, int fd, rt_error *err)
{
    zip_file_t *zf = zip_fopen_index(j->za, e->index, 0);
    if (!zf)
        return rt_fail(err, "%s: entry '%.256s' cannot be read: %s", j->zip, e->name,
                       zip_strerror(j->za));
    char buf[65536];
    zip_uint64_t got = 0;
    ratchet_status st = RATCHET_OK;
    for (;;) {
        zip_int64_t n = zip_fread(zf, buf, sizeof buf);
        if (n < 0) {
            st = rt_fail(err, "%s: entry '%.256s' cannot be read: %s", j->zip, e->name,
                         zip_file_strerror(zf));
            break;
        }
        if (n == 0)
            break;
        got += (zip_uint64_t)n;
        if (got > e->size) {
            st = rt_fail(err,
                         "%s: entry '%.256s' holds more data than its declared size of %llu "
                         "bytes",
                         j->zip, e->name, (unsigned long long)e->size);
            break;
        }
        if (write_all(fd, buf, (size_t)n) != 0) {
            st = rt_fail(err, "%s: entry '%.256s' cannot be written: %s", j->zip, e->name,
                         strerror(errno));
            break;
        }
    }
    if (st == RATCHET_OK && got != e->size)
        st = rt_fail(err, "%s: entry '%.256s' holds less data than its declared size of %llu bytes",
                     j->zip, e->name, (unsigned long long)e->size);
    zip_fclose(zf);
    return st;
}

static ratchet_status extract_entry(const zjob *j, const zentry *e, int rootfd, rt_error *err)
{
    char *path = strdup(e->rel);
    if (!path)
        return rt_fail(err, "%s: out of memory", j->zip);
    int cur = rootfd;
    ratchet_status st = RATCHET_OK;
    char *comp = path;
    for (char *slash; st == RATCHET_OK && (slash = strchr(comp, '/')) != NULL; comp = slash + 1) {
        *slash = '\0';
        int next = open_subdir(cur, comp);
        if (next < 0)
            st = entry_fail(err, j, e->name,
                            errno == ENOTDIR || errno == ELOOP
                                ? "conflicts with a file of the same name"
                                : strerror(errno));
        if (cur != rootfd)
            close(cur);
        cur = next;
    }
    if (st == RATCHET_OK && e->is_dir) {
        int fd = open_subdir(cur, comp);
        if (fd < 0)
            st = entry_fail(err, j, e->name, "conflicts with a file of the same name");
        else
            close(fd);
    } else if (st == RATCHET_OK) {
        int fd = openat(cur, comp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0)
            st = entry_fail(err, j, e->name,
                            errno == EEXIST ? "appears twice in the archive" : strerror(errno));
        else {
            st = copy_entry(j, e, fd, err);
            if (close(fd) != 0 && st == RATCHET_OK)
                st = entry_fail(err, j, e->name, strerror(errno));
        }
    }
    if (cur >= 0 && cur != rootfd)
        close(cur);
    free(path);
    return st;
}

/* mkdtemp() under $TMPDIR (when set and absolute) or /tmp: a new folder, mode 0700. */
static char *make_private_dir(const char *zip, rt_error *err)
{
    const char *base = getenv("TMPDIR");
    if (!base || base[0] != '/' || strlen(base) > 2048)
        base = "/tmp";
    size_t n = strlen(base) + sizeof "/ratchet-task-XXXXXX";
    char *dir = malloc(n);
    if (!dir) {
        rt_fail(err, "%s: out of memory", zip);
        return NULL;
    }
    snprintf(dir, n, "%s/ratchet-task-XXXXXX", base);
    if (!mkdtemp(dir)) {
        rt_fail(err, "%s: cannot create a temporary folder under %s: %s", zip, base,
                strerror(errno));
        free(dir);
        return NULL;
    }
    return dir;
}

static ratchet_status zip_write(zjob *j, const char *dir, rt_error *err)
{
    int rootfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (rootfd < 0)
        return rt_fail(err, "%s: %s", dir, strerror(errno));
    ratchet_status st = RATCHET_OK;
    for (size_t i = 0; st == RATCHET_OK && i < j->n; i++)
        if (j->e[i].rel)
            st = extract_entry(j, &j->e[i], rootfd, err);
    close(rootfd);
    return st;
}

static char *join(const char *a, const char *b, const char *c, const char *d)
{
    size_t n = strlen(a) + strlen(b) + strlen(c) + strlen(d) + 1;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s%s%s%s", a, b, c, d);
    return s;
}

ratchet_status rt_task_zip_extract(const char *zip, char **tmpdir, char **root, char **prefix,
                                   rt_error *err)
{
    *tmpdir = *root = *prefix = NULL;
    const char *why;
    if (!(zl = rt_zip_lib_get(&why)))
        return rt_fail(err, "%s: cannot open .zip archives: %s", zip, why);
    int zerr = 0;
    /* ZIP_CHECKCONS: a local header that disagrees with the central directory is refused, so
     * no two readers can see different contents. */
    zjob j = {zip, zip_open(zip, ZIP_RDONLY | ZIP_CHECKCONS, &zerr), NULL, 0, 0, NULL};
    if (!j.za) {
        zip_error_t ze;
        zip_error_init_with_code(&ze, zerr);
        rt_fail(err, "%s: not a readable .zip archive: %s", zip, zip_error_strerror(&ze));
        zip_error_fini(&ze);
        return RATCHET_ERR;
    }
    ratchet_status st = zip_plan(&j, err);
    char *dir = NULL;
    if (st == RATCHET_OK && !(dir = make_private_dir(zip, err)))
        st = RATCHET_ERR;
    if (st == RATCHET_OK)
        st = zip_write(&j, dir, err);
    if (st == RATCHET_OK) {
        *root = j.top ? join(dir, "/", j.top, "") : strdup(dir);
        /* "x.zip!top/main.js": the archive, then the path inside it, as Java names entries of
         * jars; never the extraction folder, which is gone when the message is read. */
        *prefix = j.top ? join(zip, "!", j.top, "/") : join(zip, "!", "", "");
        if (!*root || !*prefix)
            st = rt_fail(err, "%s: out of memory", zip);
    }
    if (st != RATCHET_OK) {
        free(*root);
        free(*prefix);
        *root = *prefix = NULL;
        if (dir)
            rt_task_rmtree(dir);
        free(dir);
    } else {
        *tmpdir = dir;
    }
    for (size_t i = 0; i < j.n; i++)
        free(j.e[i].rel);
    free(j.e);
    free(j.top);
    zip_discard(j.za);
    return st;
}

static int remove_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    remove(path); /* unlinks a symlink itself, never its target */
    return 0;
}

void rt_task_rmtree(const char *dir)
{
    /* FTW_PHYS: do not follow symlinks; FTW_DEPTH: contents before their folder. */
    nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
}
