/* host/engine/deliver_file.c - file destinations: the shape of a path template, its expansion
 * (deliver_template.c substitutes the variables) and the atomic write. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/core_layer.h"
#include "deliver.h"

static const char *errno_text(int e, char *buf, size_t size)
{
    if (strerror_r(e, buf, size) != 0)
        snprintf(buf, size, "error %d", e);
    return buf;
}

/* The path's own shape: not empty, bounded, not a directory, no ".." component (in the
 * template's text: substituted values cannot add one). Then its variables. */
ratchet_status rt_deliver_path_check(const char *tmpl, const char *where, rt_error *err)
{
    size_t len = strlen(tmpl);
    if (!len)
        return rt_fail(err, "%s: must not be empty", where);
    if (len > RT_OUTPUT_MAX_PATH)
        return rt_fail(err, "%s: longer than %d bytes", where, RT_OUTPUT_MAX_PATH);
    if (tmpl[len - 1] == '/')
        return rt_fail(err, "%s: names a directory (ends with '/')", where);
    for (const char *p = tmpl; *p;) {
        size_t n = strcspn(p, "/");
        if (n == 2 && p[0] == '.' && p[1] == '.')
            return rt_fail(err, "%s: '..' is not allowed in a path", where);
        p += n + (p[n] == '/');
    }
    return rt_deliver_template_check(tmpl, where, err);
}

ratchet_status rt_deliver_path_expand(const char *tmpl, const rt_delivery_job *job,
                                      const char *base_dir, char **out, rt_error *err)
{
    *out = NULL;
    ratchet_buf b = RATCHET_BUF_INIT;
    ratchet_status rc = rt_deliver_path_check(tmpl, "path", err);
    if (rc == RATCHET_OK && tmpl[0] != '/') {
        if (!base_dir || !*base_dir)
            return rt_fail(err, "path '%.200s' is relative and there is no base directory", tmpl);
        size_t n = strlen(base_dir);
        rc = rt_buf_append(&b, base_dir, n);
        if (rc == RATCHET_OK && base_dir[n - 1] != '/')
            rc = rt_buf_puts(&b, "/");
    }
    if (rc == RATCHET_OK)
        rc = rt_deliver_template_expand(tmpl, RT_ESCAPE_PATH, job, RT_OUTPUT_MAX_PATH, &b, "path",
                                        err);
    if (rc == RATCHET_OK && !b.data)
        rc = RATCHET_NOMEM;
    if (rc != RATCHET_OK) {
        rt_buf_free(&b);
        return rc;
    }
    *out = b.data;
    return RATCHET_OK;
}

/* mkdir -p of the directories above path (path is modified and restored). */
static ratchet_status make_parents(char *path, rt_error *err)
{
    for (char *p = strchr(path + 1, '/'); p; p = strchr(p + 1, '/')) {
        *p = '\0';
        int failed = mkdir(path, 0755) != 0 && errno != EEXIST;
        int e = errno;
        if (failed) {
            char why[128];
            rt_fail(err, "%s: cannot create the directory: %s", path,
                    errno_text(e, why, sizeof why));
        }
        *p = '/';
        if (failed)
            return RATCHET_ERR;
    }
    return RATCHET_OK;
}

static int write_all(int fd, const char *data, size_t len)
{
    while (len) {
        ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

ratchet_status rt_deliver_file_write(const char *path, const char *data, size_t len, int overwrite,
                                     rt_error *err)
{
    char why[128];
    const char *slash = strrchr(path, '/');
    if (!slash || !slash[1])
        return rt_fail(err, "%s: not a file path", path);
    size_t dir_len = (size_t)(slash - path);
    size_t size = strlen(path) + 16;
    char *tmp = malloc(size);
    if (!tmp)
        return RATCHET_NOMEM;
    /* The temporary file sits next to the target (same file system) and is hidden. */
    snprintf(tmp, size, "%.*s/.%s.XXXXXX", (int)dir_len, path, slash + 1);
    ratchet_status rc = make_parents(tmp, err);
    int fd = rc == RATCHET_OK ? mkstemp(tmp) : -1;
    if (rc == RATCHET_OK && fd < 0)
        rc = rt_fail(err, "%s: cannot create a temporary file: %s", path,
                     errno_text(errno, why, sizeof why));
    if (rc == RATCHET_OK) {
        int bad = fchmod(fd, 0644) != 0 || write_all(fd, data, len) != 0 || fsync(fd) != 0;
        int e = errno;
        if (close(fd) != 0 && !bad) {
            bad = 1;
            e = errno;
        }
        if (bad)
            rc = rt_fail(err, "%s: write failed: %s", path, errno_text(e, why, sizeof why));
    }
    if (rc == RATCHET_OK) {
        /* link() never replaces an existing name: the atomic no-overwrite. */
        int failed = overwrite ? rename(tmp, path) : link(tmp, path);
        int e = errno;
        if (failed && !overwrite && e == EEXIST)
            rc = rt_fail(err, "%s: exists; set overwrite: true", path);
        else if (failed)
            rc = rt_fail(err, "%s: cannot %s the file into place: %s", path,
                         overwrite ? "rename" : "link", errno_text(e, why, sizeof why));
    }
    if (fd >= 0 && (rc != RATCHET_OK || !overwrite))
        unlink(tmp);
    free(tmp);
    return rc;
}
