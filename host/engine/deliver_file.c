/* host/engine/deliver_file.c - file destinations: path templates and the atomic write. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/core_layer.h"
#include "deliver.h"

static const char *const variables[] = {"job_id",  "execution_id", "task",
                                        "version", "status",       "timestamp"};
#define NVARIABLES    (sizeof variables / sizeof variables[0])
#define VARIABLE_HINT "(use {job_id}, {execution_id}, {task}, {version}, {status} or {timestamp})"

static const char *errno_text(int e, char *buf, size_t size)
{
    if (strerror_r(e, buf, size) != 0)
        snprintf(buf, size, "error %d", e);
    return buf;
}

/* The variable at t (just past the opening braces), its name length and the number of closing
 * braces expected. Returns the index in `variables`, -1 when unknown, -2 when unclosed. */
static int variable_at(const char *t, size_t braces, size_t *name_len)
{
    size_t n = strcspn(t, "{}/");
    *name_len = n;
    if (t[n] != '}' || (braces == 2 && t[n + 1] != '}'))
        return -2;
    for (size_t i = 0; i < NVARIABLES; i++)
        if (strlen(variables[i]) == n && !memcmp(variables[i], t, n))
            return (int)i;
    return -1;
}

/* Walk the template: check it, and append the expansion to out when job is not NULL. */
static ratchet_status walk(const char *tmpl, const rt_delivery_job *job, ratchet_buf *out,
                           const char *where, rt_error *err);

ratchet_status rt_deliver_path_check(const char *tmpl, const char *where, rt_error *err)
{
    return walk(tmpl, NULL, NULL, where, err);
}

/* A value as a path piece: no directory separators, no control characters, never "." or
 * "..", never empty. */
static ratchet_status append_value(ratchet_buf *out, const char *v)
{
    if (!v || !*v || !strcmp(v, ".") || !strcmp(v, ".."))
        return rt_buf_puts(out, "_");
    for (const char *p = v; *p; p++) {
        unsigned char c = (unsigned char)*p;
        char ch = (c < 0x20 || c == 0x7f || c == '/' || c == '\\') ? '_' : *p;
        if (rt_buf_append(out, &ch, 1) != RATCHET_OK)
            return RATCHET_NOMEM;
    }
    return RATCHET_OK;
}

static ratchet_status append_variable(ratchet_buf *out, int index, const rt_delivery_job *job)
{
    const char *name = variables[index];
    if (!strcmp(name, "job_id"))
        return rt_buf_printf(out, "%" PRId64, job->job_id);
    if (!strcmp(name, "execution_id"))
        return rt_buf_printf(out, "%" PRId64, job->execution_id);
    if (!strcmp(name, "task"))
        return append_value(out, job->task);
    if (!strcmp(name, "version"))
        return append_value(out, job->version);
    if (!strcmp(name, "status"))
        return append_value(out, job->status);
    /* timestamp */
    time_t secs;
    if (job->finished_ms > 0) {
        secs = (time_t)(job->finished_ms / 1000);
    } else {
        struct timespec now;
        clock_gettime(CLOCK_REALTIME, &now);
        secs = now.tv_sec;
    }
    struct tm tm;
    char text[32];
    if (!gmtime_r(&secs, &tm) || !strftime(text, sizeof text, "%Y%m%dT%H%M%SZ", &tm))
        return RATCHET_ERR;
    return rt_buf_puts(out, text);
}

static ratchet_status walk(const char *tmpl, const rt_delivery_job *job, ratchet_buf *out,
                           const char *where, rt_error *err)
{
    size_t len = strlen(tmpl);
    if (!len)
        return rt_fail(err, "%s: must not be empty", where);
    if (len > RT_OUTPUT_MAX_PATH)
        return rt_fail(err, "%s: longer than %d bytes", where, RT_OUTPUT_MAX_PATH);
    if (tmpl[len - 1] == '/')
        return rt_fail(err, "%s: names a directory (ends with '/')", where);
    /* ".." as a whole component: the template's own text, since values cannot add one. */
    for (const char *p = tmpl; *p;) {
        size_t n = strcspn(p, "/");
        if (n == 2 && p[0] == '.' && p[1] == '.')
            return rt_fail(err, "%s: '..' is not allowed in a path", where);
        p += n + (p[n] == '/');
    }
    for (const char *p = tmpl; *p;) {
        if (*p == '{') {
            size_t braces = p[1] == '{' ? 2 : 1, name_len;
            int index = variable_at(p + braces, braces, &name_len);
            if (index == -2)
                return rt_fail(err, "%s: unclosed '{' at offset %zu", where, (size_t)(p - tmpl));
            if (index == -1)
                return rt_fail(err, "%s: unknown variable {%.*s} " VARIABLE_HINT, where,
                               (int)(name_len > 64 ? 64 : name_len), p + braces);
            if (out) {
                ratchet_status rc = append_variable(out, index, job);
                if (rc != RATCHET_OK)
                    return rc == RATCHET_NOMEM ? rc : rt_fail(err, "%s: bad timestamp", where);
            }
            p += braces + name_len + braces;
        } else {
            size_t n = strcspn(p, "{");
            if (out && rt_buf_append(out, p, n) != RATCHET_OK)
                return RATCHET_NOMEM;
            p += n;
        }
    }
    return RATCHET_OK;
}

ratchet_status rt_deliver_path_expand(const char *tmpl, const rt_delivery_job *job,
                                      const char *base_dir, char **out, rt_error *err)
{
    *out = NULL;
    ratchet_buf b = RATCHET_BUF_INIT;
    ratchet_status rc = RATCHET_OK;
    if (tmpl[0] != '/') {
        if (!base_dir || !*base_dir)
            return rt_fail(err, "path '%.200s' is relative and there is no base directory", tmpl);
        size_t n = strlen(base_dir);
        rc = rt_buf_append(&b, base_dir, n);
        if (rc == RATCHET_OK && base_dir[n - 1] != '/')
            rc = rt_buf_puts(&b, "/");
    }
    if (rc == RATCHET_OK)
        rc = walk(tmpl, job, &b, "path", err);
    if (rc == RATCHET_OK && b.len > RT_OUTPUT_MAX_PATH)
        rc = rt_fail(err, "path: longer than %d bytes once expanded", RT_OUTPUT_MAX_PATH);
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
