/*
 * graphql_graphiql.c - GraphiQL at /graphiql, offline: the bundle is built at build time from
 * the npm registry (graphiql/, Vite, pinned in its package-lock.json) into hashed files, and
 * this file serves them - nothing comes from a CDN when it runs.
 *
 * The folder (index.html and assets/) is found beside the plugin file, in api-graphql/graphiql
 * (where the build writes it and `cmake --install` copies it), or named by the `graphiql_dir`
 * option. start() reads it whole into memory - only regular files with plain names, at most
 * GRAPHIQL_MAX_BYTES in all - and the routes answer from that table, so no request path ever
 * reaches the filesystem. Without the folder (a build without node and npm) /graphiql answers
 * 404 saying so. Assets have content-hashed names: cached for a year; index.html is not.
 *
 * The original Ratchet's /playground (GraphQL Playground) answers 308 to /graphiql.
 *
 * Every answer carries a Content-Security-Policy that allows only this origin: scripts and
 * styles from 'self' (plus style attributes, which CodeMirror sets), connections to 'self'
 * (fetch to /graphql, the WebSocket to /graphql/ws).
 */
#define _GNU_SOURCE /* dladdr */

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "graphql.h"

#define GRAPHIQL_MAX_BYTES (32 * 1024 * 1024)
#define GRAPHIQL_CSP                                                                               \
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' "     \
    "data:; font-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; "      \
    "frame-ancestors 'none'"

struct graphql_asset {
    char *name; /* "index.html", "assets/index-GZbBoVL4.js" */
    char *data;
    size_t len;
    const char *type;
};

static const char *content_type(const char *name)
{
    static const char *const types[][2] = {
        {".html", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".woff2", "font/woff2"},
        {".json", "application/json; charset=utf-8"},
        {".ico", "image/x-icon"},
    };
    const char *dot = strrchr(name, '.');
    for (size_t i = 0; dot && i < sizeof types / sizeof *types; i++)
        if (strcmp(dot, types[i][0]) == 0)
            return types[i][1];
    return "application/octet-stream";
}

/* A plain file name: letters, digits, '.', '-', '_', not starting with '.'. */
static int plain_name(const char *n)
{
    if (!*n || *n == '.')
        return 0;
    for (; *n; n++)
        if (!((*n >= 'a' && *n <= 'z') || (*n >= 'A' && *n <= 'Z') || (*n >= '0' && *n <= '9') ||
              *n == '.' || *n == '-' || *n == '_'))
            return 0;
    return 1;
}

/* Read `dir`/`rel` (a regular file) into a new asset of g. 0, or -1 with msg. */
static int load_file(graphql *g, const char *dir, const char *rel, size_t *total, char *msg,
                     size_t size)
{
    char path[4096 + 512 + 2]; /* dir (load_dir bounds it) / rel */
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    struct stat st;
    FILE *f = NULL;
    if (lstat(path, &st) != 0 || !S_ISREG(st.st_mode) ||
        (*total += (size_t)st.st_size) > GRAPHIQL_MAX_BYTES || !(f = fopen(path, "rb"))) {
        snprintf(msg, size, "%.400s: %s", path,
                 *total > GRAPHIQL_MAX_BYTES ? "the bundle is over 32 MiB"
                 : errno                     ? strerror(errno)
                                             : "not a regular file");
        return -1;
    }
    struct graphql_asset *grown = realloc(g->assets, (g->nassets + 1) * sizeof *g->assets);
    char *data = malloc((size_t)st.st_size + 1);
    size_t n = data ? fread(data, 1, (size_t)st.st_size, f) : 0;
    fclose(f);
    char *name = strdup(rel);
    if (grown)
        g->assets = grown;
    if (!grown || !data || !name || n != (size_t)st.st_size) {
        free(data);
        free(name);
        snprintf(msg, size, "%.400s: cannot read it", path);
        return -1;
    }
    g->assets[g->nassets++] = (struct graphql_asset){name, data, n, content_type(rel)};
    return 0; /* data and name belong to g->assets now */
}

/* index.html and every file of assets/. 0, or -1 with msg. */
static int load_dir(graphql *g, const char *dir, char *msg, size_t size)
{
    size_t total = 0;
    errno = 0;
    if (strlen(dir) >= 4096) {
        snprintf(msg, size, "the folder's name is too long");
        return -1;
    }
    if (load_file(g, dir, "index.html", &total, msg, size) < 0)
        return -1;
    char sub[4096 + 8];
    snprintf(sub, sizeof sub, "%s/assets", dir);
    DIR *d = opendir(sub);
    if (!d) {
        snprintf(msg, size, "%.400s: %s", sub, strerror(errno));
        return -1;
    }
    int rc = 0;
    for (struct dirent *e; rc == 0 && (e = readdir(d));) {
        if (!plain_name(e->d_name))
            continue;
        char rel[512];
        snprintf(rel, sizeof rel, "assets/%s", e->d_name);
        errno = 0;
        rc = load_file(g, dir, rel, &total, msg, size);
    }
    closedir(d);
    return rc;
}

/* <the folder of this plugin's file>/api-graphql/graphiql. */
static const char anchor; /* an address inside this plugin's file, for dladdr */

static void default_dir(char *out, size_t size)
{
    Dl_info info;
    const char *so = dladdr(&anchor, &info) && info.dli_fname ? info.dli_fname : "";
    const char *slash = strrchr(so, '/');
    snprintf(out, size, "%.*s/api-graphql/graphiql", slash ? (int)(slash - so) : 1,
             slash ? so : ".");
}

void graphql_graphiql_load(graphql *g, const char *dir)
{
    char def[4096], msg[512];
    int named = dir && *dir;
    if (!named) {
        default_dir(def, sizeof def);
        dir = def;
    }
    if (load_dir(g, dir, msg, sizeof msg) < 0) {
        graphql_graphiql_free(g);
        /* a build without npm has no bundle: say where it was looked for */
        graphql_host->log(g->ctx, named ? RATCHET_LOG_WARN : RATCHET_LOG_INFO,
                          "GraphiQL is not served: %s", msg);
    }
}

void graphql_graphiql_free(graphql *g)
{
    for (size_t i = 0; i < g->nassets; i++) {
        free(g->assets[i].name);
        free(g->assets[i].data);
    }
    free(g->assets);
    g->assets = NULL;
    g->nassets = 0;
}

void graphql_graphiql_handle(void *user, ratchet_http_request *req)
{
    graphql *g = user;
    const char *rest = g->http->param(req, "*");
    const char *want = rest && *rest ? rest : "index.html";
    const struct graphql_asset *a = NULL;
    for (size_t i = 0; i < g->nassets && !a; i++)
        if (strcmp(g->assets[i].name, want) == 0)
            a = &g->assets[i];
    if (!a) {
        g->http->respond_error(req, 404, "NOT_FOUND", "%s",
                               g->nassets ? "no such GraphiQL file"
                                          : "GraphiQL was not built with this server (it needs "
                                            "node and npm at build time)");
        return;
    }
    g->http->add_header(req, "Content-Security-Policy", GRAPHIQL_CSP);
    g->http->add_header(req, "Cache-Control",
                        a == g->assets ? "no-cache" : "public, max-age=31536000, immutable");
    g->http->respond(req, 200, a->type, a->data, a->len);
}

void graphql_playground_handle(void *user, ratchet_http_request *req)
{
    graphql *g = user;
    static const char body[] = "GraphiQL is at /graphiql\n";
    g->http->add_header(req, "Location", "/graphiql");
    g->http->respond(req, 308, "text/plain; charset=utf-8", body, sizeof body - 1);
}
