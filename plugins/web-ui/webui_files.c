/*
 * plugins/web-ui/webui_files.c - the assets folder: paths checked, files answered.
 *
 * A request path is refused before any file is touched when a segment is "", "." or "..",
 * starts with '.', or holds a backslash or a control character (the http plugin has already
 * percent-decoded it, so "%2e%2e" arrives here as ".."). What is left is resolved with
 * realpath(), and a result outside the folder (a symlink pointing out) is refused too. Files are
 * read whole (bounded by WEBUI_FILE_MAX) per request: they are small and the page cache holds
 * them; the browser's cache (ETag, immutable assets) keeps most requests away anyway.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "webui.h"

/* ---- paths ---------------------------------------------------------------------------------- */

/* 0 when every segment of `rel` is a plain name; else -1 with the reason in why. */
static int check_segments(const char *rel, char *why, size_t cap)
{
    const char *seg = rel;
    for (;;) {
        const char *end = strchr(seg, '/');
        size_t len = end ? (size_t)(end - seg) : strlen(seg);
        if (len == 0 && end) {
            snprintf(why, cap, "an empty path segment");
            return -1;
        }
        if (len > 0 && seg[0] == '.') {
            snprintf(why, cap, "the segment '%.*s' (dot segments and hidden files are refused)",
                     (int)(len > 64 ? 64 : len), seg);
            return -1;
        }
        for (size_t i = 0; i < len; i++) {
            unsigned char c = (unsigned char)seg[i];
            if (c < 0x20 || c == 0x7f || c == '\\') {
                snprintf(why, cap, "a backslash or control character in the path");
                return -1;
            }
        }
        if (!end)
            return 0;
        seg = end + 1;
    }
}

webui_lookup webui_resolve(const webui *w, const char *rel, char **abs, char *why, size_t cap)
{
    *abs = NULL;
    size_t n = strlen(rel);
    if (n > WEBUI_PATH_MAX) {
        snprintf(why, cap, "a path of %zu bytes (at most %d)", n, WEBUI_PATH_MAX);
        return WEBUI_REFUSED;
    }
    if (n == 0)
        rel = "index.html";
    else if (check_segments(rel, why, cap) != 0)
        return WEBUI_REFUSED;
    size_t rlen = strlen(w->root);
    char joined[PATH_MAX + WEBUI_PATH_MAX + 2], real[PATH_MAX];
    snprintf(joined, sizeof joined, "%s/%s", w->root, rel);
    if (!realpath(joined, real))
        return WEBUI_MISSING; /* ENOENT, ENOTDIR, a dangling link: nothing to serve */
    if (strncmp(real, w->root, rlen) != 0 || real[rlen] != '/') {
        snprintf(why, cap, "a path that resolves outside the assets folder");
        return WEBUI_REFUSED;
    }
    struct stat sb;
    if (stat(real, &sb) != 0 || S_ISDIR(sb.st_mode))
        return WEBUI_MISSING;
    if (!S_ISREG(sb.st_mode)) {
        snprintf(why, cap, "a path that is not a regular file");
        return WEBUI_REFUSED;
    }
    *abs = webui_host->strdup(real);
    return *abs ? WEBUI_FILE : WEBUI_MISSING;
}

char *webui_check_root(ratchet_ctx *ctx, const char *dir)
{
    static const char how[] =
        "build the web UI with the project (cmake -DRATCHET_WEB_UI=ON, which needs node and "
        "npm: .ci/install-deps.sh installs them; then cmake --build), or set the web-ui "
        "instance's option assets_dir to a folder holding the built UI";
    char real[PATH_MAX], index[PATH_MAX + 16];
    struct stat sb;
    if (!realpath(dir, real) || stat(real, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        webui_host->set_error(ctx, "the web UI's assets folder '%s' does not exist: %s", dir, how);
        return NULL;
    }
    snprintf(index, sizeof index, "%s/index.html", real);
    if (stat(index, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        webui_host->set_error(ctx, "the web UI's assets folder '%s' has no index.html: %s", dir,
                              how);
        return NULL;
    }
    char *copy = webui_host->strdup(real);
    if (!copy)
        webui_host->set_error(ctx, "out of memory");
    return copy;
}

/* ---- types ---------------------------------------------------------------------------------- */

static const struct {
    const char *ext;
    const char *type;
} types[] = {
    {"html", "text/html; charset=utf-8"},
    {"js", "text/javascript; charset=utf-8"},
    {"mjs", "text/javascript; charset=utf-8"},
    {"css", "text/css; charset=utf-8"},
    {"json", "application/json"},
    {"map", "application/json"},
    {"webmanifest", "application/manifest+json"},
    {"svg", "image/svg+xml"},
    {"png", "image/png"},
    {"jpg", "image/jpeg"},
    {"jpeg", "image/jpeg"},
    {"gif", "image/gif"},
    {"webp", "image/webp"},
    {"ico", "image/x-icon"},
    {"woff", "font/woff"},
    {"woff2", "font/woff2"},
    {"txt", "text/plain; charset=utf-8"},
    {"wasm", "application/wasm"},
};

const char *webui_content_type(const char *name)
{
    const char *slash = strrchr(name, '/'), *dot = strrchr(name, '.');
    if (dot && (!slash || dot > slash)) {
        for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
            if (strcasecmp(dot + 1, types[i].ext) == 0)
                return types[i].type;
    }
    return "application/octet-stream";
}

/* ---- answering ------------------------------------------------------------------------------ */

/* The whole file into *data (host-allocated); 0, or -1 when it cannot be read or is too big. */
static int read_all(const char *path, char **data, size_t *len, struct stat *sb)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = -1;
    *data = NULL;
    if (fstat(fd, sb) == 0 && S_ISREG(sb->st_mode) && sb->st_size <= WEBUI_FILE_MAX &&
        (*data = webui_host->alloc((size_t)sb->st_size + 1)) != NULL) {
        size_t got = 0, want = (size_t)sb->st_size;
        while (got < want) {
            ssize_t r = read(fd, *data + got, want - got);
            if (r < 0 && errno == EINTR)
                continue;
            if (r <= 0)
                break;
            got += (size_t)r;
        }
        *len = got;
        rc = got == want ? 0 : -1;
    }
    close(fd);
    if (rc != 0) {
        webui_host->free(*data);
        *data = NULL;
    }
    return rc;
}

/* Does the header value (a comma-separated list) name `token` (e.g. an ETag, "gzip")? */
static int lists(const char *header, const char *token)
{
    if (!header)
        return 0;
    size_t n = strlen(token);
    for (const char *p = header; (p = strstr(p, token)) != NULL; p += n) {
        int starts = p == header || p[-1] == ' ' || p[-1] == ',';
        char after = p[n];
        if (starts && (after == '\0' || after == ',' || after == ' ' || after == ';'))
            return 1;
    }
    return strcmp(header, "*") == 0 && token[0] == '"';
}

/* 1 when the client takes gzip and `abs`.gz exists (its path in gz), 0 when it does not take
 * it, -1 when there is no variant (then no Vary either). */
static int pick_gzip(const webui *w, ratchet_http_request *req, const char *abs, char *gz,
                     size_t cap)
{
    struct stat sb;
    snprintf(gz, cap, "%s.gz", abs);
    if (stat(gz, &sb) != 0 || !S_ISREG(sb.st_mode))
        return -1;
    return lists(w->http->header(req, "Accept-Encoding"), "gzip");
}

/* ETag and Last-Modified of a file's size and change time. */
static void validators(const struct stat *sb, int gzip, char *etag, size_t ecap, char *date,
                       size_t dcap)
{
    snprintf(etag, ecap, "\"%llx-%llx%s\"", (unsigned long long)sb->st_size,
             (unsigned long long)sb->st_mtim.tv_sec * 1000000000ULL +
                 (unsigned long long)sb->st_mtim.tv_nsec,
             gzip ? "-gz" : "");
    struct tm tm;
    time_t t = sb->st_mtim.tv_sec;
    gmtime_r(&t, &tm);
    strftime(date, dcap, "%a, %d %b %Y %H:%M:%S GMT", &tm);
}

/* Did the client send validators that match (If-None-Match wins over If-Modified-Since)? */
static int not_modified(const webui *w, ratchet_http_request *req, const char *etag,
                        const char *date)
{
    const char *inm = w->http->header(req, "If-None-Match");
    if (inm)
        return lists(inm, etag);
    const char *ims = w->http->header(req, "If-Modified-Since");
    return ims && strcmp(ims, date) == 0;
}

void webui_send_file(const webui *w, ratchet_http_request *req, const char *abs, int immutable)
{
    const ratchet_http_api *h = w->http;
    char gz[PATH_MAX + 8], etag[64], date[64];
    int variant = pick_gzip(w, req, abs, gz, sizeof gz);
    char *data = NULL;
    size_t len = 0;
    struct stat sb;
    if (read_all(variant == 1 ? gz : abs, &data, &len, &sb) != 0) {
        h->log(req, RATCHET_LOG_ERROR, "web UI: cannot read %s", variant == 1 ? gz : abs);
        h->respond_error(req, 500, "INTERNAL_ERROR", "the web UI's file could not be read");
        return;
    }
    validators(&sb, variant == 1, etag, sizeof etag, date, sizeof date);
    h->add_header(req, "Content-Security-Policy", WEBUI_CSP);
    h->add_header(req, "Cache-Control",
                  immutable ? "public, max-age=31536000, immutable" : "no-cache");
    h->add_header(req, "ETag", etag);
    h->add_header(req, "Last-Modified", date);
    if (variant >= 0)
        h->add_header(req, "Vary", "Accept-Encoding");
    if (variant == 1)
        h->add_header(req, "Content-Encoding", "gzip");
    if (not_modified(w, req, etag, date))
        h->respond(req, 304, NULL, NULL, 0);
    else
        h->respond(req, 200, webui_content_type(abs), data, len);
    webui_host->free(data);
}
