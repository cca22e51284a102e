/*
 * web-ui - serves the built browser app (plugins/web-ui/app) at /ui/ on the `http` plugin.
 *
 * Routes (all public: the page itself holds no data; the app calls /api/v1 with the user's
 * key): GET /ui/PATH answers the file of the assets folder at that path, or index.html for any
 * other path (the app routes on the client), except under /ui/assets/ where a missing file is
 * a 404 (a script tag must not get HTML); GET /ui redirects to /ui/; GET / redirects to /ui/
 * when redirect_root is on. Every answer carries a strict Content-Security-Policy.
 *
 * GET / belongs to api-rest (its service document) unless the UI takes it: with
 * redirect_root on, create() publishes WEBUI_INTERFACE, and api-rest's start() leaves its
 * root route out when it finds it (creates all run before starts, so the order of the two
 * instances in the file does not matter).
 *
 * The assets folder: the option assets_dir, else found the way the host finds its plugins: a
 * binary in a build tree (BIN/plugins exists) uses BIN/plugins/web-ui/dist, where the build
 * writes the UI; an installed one BIN/../share/ratchet/web-ui. start() fails with the path
 * and how to build the UI when the folder or its index.html is missing.
 */
#define _POSIX_C_SOURCE 200809L

#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "webui.h"

#ifndef RATCHET_WEBUI_INSTALL_DIR
#define RATCHET_WEBUI_INSTALL_DIR "share/ratchet/web-ui"
#endif

const ratchet_host_api *webui_host;

/* What api-rest looks for; its presence alone says "GET / is the UI's". */
typedef struct webui_iface {
    ratchet_abi abi;
    const char *base; /* WEBUI_BASE */
} webui_iface;

static const webui_iface iface = {{1, 0, (uint32_t)sizeof(webui_iface)}, WEBUI_BASE};

/* ---- handlers ------------------------------------------------------------------------------- */

static void redirect(const webui *w, ratchet_http_request *req, int status)
{
    w->http->add_header(req, "Location", WEBUI_BASE);
    w->http->add_header(req, "Content-Security-Policy", WEBUI_CSP);
    w->http->add_header(req, "Cache-Control", "no-cache");
    static const char body[] = "the web UI is at " WEBUI_BASE "\n";
    w->http->respond(req, status, "text/plain; charset=utf-8", body, sizeof body - 1);
}

static void webui_root(void *user, ratchet_http_request *req)
{
    redirect(user, req, 302);
}

static void webui_serve(void *user, ratchet_http_request *req)
{
    const webui *w = user;
    if (strcmp(w->http->path(req), "/ui") == 0) { /* the pattern's `*` also matches nothing */
        redirect(w, req, 301);
        return;
    }
    const char *rel = w->http->param(req, "*");
    char *abs = NULL, why[256] = "";
    webui_lookup found = webui_resolve(w, rel ? rel : "", &abs, why, sizeof why);
    if (found == WEBUI_REFUSED) {
        w->http->respond_error(req, 404, "NOT_FOUND", "no such file in the web UI: %s", why);
        return;
    }
    int asset = rel && strncmp(rel, "assets/", 7) == 0;
    if (found == WEBUI_MISSING && asset) {
        w->http->respond_error(req, 404, "NOT_FOUND", "no such file in the web UI: '%s'", rel);
        return;
    }
    if (found == WEBUI_MISSING && webui_resolve(w, "", &abs, why, sizeof why) != WEBUI_FILE) {
        w->http->respond_error(req, 500, "INTERNAL_ERROR",
                               "the web UI's index.html is gone from its assets folder");
        return;
    }
    webui_send_file(w, req, abs, asset && found == WEBUI_FILE);
    webui_host->free(abs);
}

/* ---- the assets folder ---------------------------------------------------------------------- */

/* The default folder (see the top of the file) into out. */
static void default_root(char *out, size_t cap)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    char *slash = n > 0 ? (exe[n] = '\0', strrchr(exe, '/')) : NULL;
    if (!slash) {
        snprintf(out, cap, "/usr/local/%s", RATCHET_WEBUI_INSTALL_DIR);
        return;
    }
    *slash = '\0';
    char plugins[PATH_MAX + 16];
    struct stat sb;
    snprintf(plugins, sizeof plugins, "%s/plugins", exe);
    if (stat(plugins, &sb) == 0 && S_ISDIR(sb.st_mode))
        snprintf(out, cap, "%s/web-ui/dist", plugins);
    else
        snprintf(out, cap, "%s/../%s", exe, RATCHET_WEBUI_INSTALL_DIR);
}

/* ---- life ----------------------------------------------------------------------------------- */

static ratchet_status webui_create(ratchet_ctx *ctx, const ratchet_config *cfg, void **out)
{
    webui *w = webui_host->calloc(1, sizeof *w);
    if (!w) {
        webui_host->set_error(ctx, "out of memory");
        return RATCHET_NOMEM;
    }
    w->ctx = ctx;
    w->redirect_root = webui_host->cfg_bool(cfg, "redirect_root");
    const char *dir = webui_host->cfg_string(cfg, "assets_dir");
    char def[PATH_MAX + 64];
    if (!dir || !*dir) {
        default_root(def, sizeof def);
        dir = def;
    }
    /* Checked here so that a missing UI stops serve before anything listens. */
    w->root = webui_check_root(ctx, dir);
    if (w->root && w->redirect_root) {
        if (webui_host->publish(ctx, WEBUI_INTERFACE, &iface) != RATCHET_OK) {
            webui_host->free(w->root);
            w->root = NULL;
        } else
            w->published = 1;
    }
    if (!w->root) {
        webui_host->free(w);
        return RATCHET_ERR;
    }
    *out = w;
    return RATCHET_OK;
}

static ratchet_status webui_start(void *instance)
{
    webui *w = instance;
    w->http = webui_host->lookup(RATCHET_HTTP_INTERFACE, RATCHET_HTTP_MAJOR, 0);
    if (!w->http) {
        webui_host->set_error(w->ctx,
                              "no http listener: add an instance of the `http` plugin "
                              "(\"%s\" is not published)",
                              RATCHET_HTTP_INTERFACE);
        return RATCHET_ERR;
    }
    ratchet_http_route routes[] = {
        {RATCHET_ABI_INIT(ratchet_http_route), "GET", "/ui/*", RATCHET_HTTP_PUBLIC, webui_serve, w},
        {RATCHET_ABI_INIT(ratchet_http_route), "GET", "/", RATCHET_HTTP_PUBLIC, webui_root, w},
    };
    size_t n = sizeof routes / sizeof routes[0] - (w->redirect_root ? 0 : 1);
    if (w->http->mount(w->ctx, routes, n) != RATCHET_OK)
        return RATCHET_ERR;
    w->mounted = 1;
    webui_host->log(w->ctx, RATCHET_LOG_INFO, "web UI at %s%s (assets: %s)", WEBUI_BASE,
                    w->redirect_root ? ", / redirects there" : "", w->root);
    return RATCHET_OK;
}

static void webui_stop(void *instance)
{
    webui *w = instance;
    if (w->mounted)
        w->http->unmount(w->ctx);
    w->mounted = 0;
}

static void webui_destroy(void *instance)
{
    webui *w = instance;
    if (w->published)
        webui_host->unpublish(w->ctx, WEBUI_INTERFACE);
    webui_host->free(w->root);
    webui_host->free(w);
}

static const ratchet_frontend_vtable webui_frontend = {
    .abi = RATCHET_ABI_INIT(ratchet_frontend_vtable),
    .life = {webui_create, webui_start, webui_stop, webui_destroy},
};

static const ratchet_option webui_options[] = {
    RATCHET_OPT("assets_dir", RATCHET_OPT_PATH, NULL,
                "the built UI (index.html, assets/); default: the build tree's "
                "plugins/web-ui/dist, or share/ratchet/web-ui of the installation"),
    RATCHET_OPT("redirect_root", RATCHET_OPT_BOOL, "true",
                "redirect GET / to /ui/ (api-rest then leaves its service document at / out)"),
    RATCHET_OPT_END,
};

static const ratchet_plugin_desc webui_desc = {
    .abi = RATCHET_ABI_INIT(ratchet_plugin_desc),
    .name = "web-ui",
    .version = "1.0.0",
    .description = "the browser UI at /ui/ on the http plugin",
    .license = "MIT",
    .options = webui_options,
    .frontend = &webui_frontend,
};

RATCHET_PLUGIN_ENTRY(web_ui)
{
    if (api->abi.abi_major != RATCHET_ABI_MAJOR)
        return NULL;
    webui_host = api;
    return &webui_desc;
}
