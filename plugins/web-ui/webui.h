/*
 * plugins/web-ui/webui.h - what the files of the web-ui plugin share.
 *
 * webui.c is the plugin (options, life cycle, the routes on "ratchet.http"); webui_files.c
 * maps a request path below /ui/ to a file of the assets folder, refusing anything that would
 * leave it, and answers it with its type and caching headers.
 *
 * Threading: the instance is read-only after start(); handlers run concurrently on the http
 * plugin's pool threads and share nothing else.
 */
#ifndef WEBUI_H
#define WEBUI_H

#include <stddef.h>
#include <stdint.h>

#include <ratchet/plugin.h>

#define WEBUI_BASE      "/ui/"
#define WEBUI_FILE_MAX  (16 * 1024 * 1024) /* bytes of one asset */
#define WEBUI_PATH_MAX  1024               /* bytes of a path below /ui/ */
#define WEBUI_INTERFACE "ratchet.web-ui"   /* published while the UI owns GET / (see webui.c) */

/* The Content-Security-Policy of every UI response: nothing but our own origin, no inline
 * code, no framing. */
#define WEBUI_CSP                                                                                  \
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "              \
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; "            \
    "object-src 'none'"

extern const ratchet_host_api *webui_host;

/* One web-ui instance. */
typedef struct webui {
    ratchet_ctx *ctx;
    const ratchet_http_api *http;
    char *root; /* the assets folder, resolved (realpath), no trailing '/' */
    int redirect_root;
    int mounted, published;
} webui;

/* How a path below /ui/ maps to the assets folder. */
typedef enum webui_lookup {
    WEBUI_FILE,    /* a regular file inside the folder: *abs is its path */
    WEBUI_MISSING, /* nothing there (the SPA answers index.html, assets/ a 404) */
    WEBUI_REFUSED  /* a path that tries to leave the folder or names a hidden or odd file */
} webui_lookup;

/* Check `rel` (the decoded path below /ui/, without the leading '/') and find its file.
 * WEBUI_FILE sets *abs (host-allocated, the caller frees with webui_host->free). `why`
 * (at least 128 bytes) says what was refused. */
webui_lookup webui_resolve(const webui *w, const char *rel, char **abs, char *why, size_t cap);

/* Answer the file at `abs` (as webui_resolve found it) with its Content-Type, the caching
 * headers of `immutable` (a hashed asset) or not (index.html: revalidate), ETag and
 * Last-Modified, a 304 when If-None-Match or If-Modified-Since says the client has it, and its
 * gzip variant (`abs`.gz) when the client accepts it. Always answers the request. */
void webui_send_file(const webui *w, ratchet_http_request *req, const char *abs, int immutable);

/* The Content-Type of a file name by its extension (application/octet-stream when unknown). */
const char *webui_content_type(const char *name);

/* Check that `dir` is a folder holding index.html and return its realpath (host-allocated);
 * NULL after set_error on `ctx` naming the path and how to build the UI. */
char *webui_check_root(ratchet_ctx *ctx, const char *dir);

#endif /* WEBUI_H */
