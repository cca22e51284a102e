/*
 * inotify.c - the watcher-inotify plugin: follows folder trees with Linux inotify and reports
 * each burst of changes once, after the tree has been quiet for `debounce`.
 *
 * One instance owns one inotify descriptor and one thread. The thread reads events, records the
 * changed paths per root (iw_burst) and adds watches for folders that appear (iw_tree); when a
 * root's burst is due it takes the paths, drops the lock and calls the root's callback.
 * watch() runs on the host's main thread and shares the table under the same lock; a pipe
 * wakes the thread for stop().
 *
 * Why bursts end in one report: an editor saving by rename (write temp, rename over), a
 * `git checkout` or a zip rewritten in place are each many events within milliseconds; they
 * all fall in one quiet-delimited window. `max_wait` bounds how long a tree that never goes
 * quiet (a log file written every 100 ms) postpones its report.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "iw.h"

static const ratchet_host_api *iw_host;

typedef struct iw_root {
    char *path; /* absolute, owned */
    ratchet_watch_fn fn;
    void *user;
    iw_burst burst;
} iw_root;

typedef struct iw_inst {
    ratchet_ctx *ctx;
    int64_t quiet_ns, max_ns;
    size_t max_paths;
    pthread_mutex_t lock; /* guards tree and roots against watch() on the main thread */
    iw_tree tree;
    iw_root *roots;
    size_t nroots;
    int wake[2]; /* stop(): write a byte to wake[1] */
    pthread_t thread;
    int running;
} iw_inst;

static ratchet_status iw_create(ratchet_ctx *ctx, const ratchet_config *cfg, void **instance)
{
    iw_inst *w = iw_host->calloc(1, sizeof *w);
    if (!w) {
        iw_host->set_error(ctx, "out of memory");
        return RATCHET_NOMEM;
    }
    w->ctx = ctx;
    w->quiet_ns = iw_host->cfg_int(cfg, "debounce") * 1000000;
    w->max_ns = iw_host->cfg_int(cfg, "max_wait") * 1000000;
    w->max_paths = (size_t)iw_host->cfg_int(cfg, "max_paths");
    w->tree.fd = w->wake[0] = w->wake[1] = -1;
    if (w->max_ns < w->quiet_ns)
        w->max_ns = w->quiet_ns;
    pthread_mutex_init(&w->lock, NULL);
    *instance = w;
    return RATCHET_OK;
}

/* Record `path` in every root it belongs to. Lock held. */
static void record(iw_inst *w, const char *path, int64_t now)
{
    for (size_t i = 0; i < w->nroots; i++)
        if (iw_path_under(path, w->roots[i].path))
            iw_burst_add(&w->roots[i].burst, path, now);
}

typedef struct found_ctx {
    iw_inst *w;
    int64_t now;
} found_ctx;

static void on_found(void *user, const char *path)
{
    found_ctx *f = user;
    record(f->w, path, f->now);
}

/* A folder appeared at `path` inside a watched tree: watch it and everything in it. */
static void add_tree(iw_inst *w, const char *path, int64_t now)
{
    found_ctx f = {w, now};
    if (iw_tree_add_all(&w->tree, path, on_found, &f) != 0)
        iw_host->log(w->ctx, RATCHET_LOG_WARN,
                     "cannot watch %s: %s%s; its changes are not seen until the next reload", path,
                     strerror(errno),
                     errno == ENOSPC ? " (raise fs.inotify.max_user_watches)" : "");
}

/* 1 when `path` is a root or below one (events outside the roots come from root parents). */
static int in_roots(const iw_inst *w, const char *path)
{
    for (size_t i = 0; i < w->nroots; i++)
        if (iw_path_under(path, w->roots[i].path))
            return 1;
    return 0;
}

/* One inotify event. Lock held. */
static void handle(iw_inst *w, const struct inotify_event *ev, int64_t now)
{
    if (ev->mask & IN_Q_OVERFLOW) {
        for (size_t i = 0; i < w->nroots; i++)
            iw_burst_lose(&w->roots[i].burst, now);
        return;
    }
    const char *dir = iw_tree_path(&w->tree, ev->wd);
    if (!dir)
        return;
    if (ev->mask & IN_IGNORED) {
        iw_tree_forget(&w->tree, ev->wd);
        return;
    }
    char path[4096];
    int len = ev->len ? snprintf(path, sizeof path, "%s/%s", dir, ev->name)
                      : snprintf(path, sizeof path, "%s", dir);
    if (len < 0 || (size_t)len >= sizeof path || !in_roots(w, path))
        return;
    record(w, path, now);
    if (!(ev->mask & IN_ISDIR) || !ev->len)
        return;
    if (ev->mask & (IN_CREATE | IN_MOVED_TO))
        add_tree(w, path, now);
    else if (ev->mask & IN_MOVED_FROM)
        iw_tree_remove_below(&w->tree, path);
}

/* Read what the kernel has queued. 0, or -1 when the descriptor failed. */
static int drain(iw_inst *w)
{
    char buf[64 * 1024] __attribute__((aligned(__alignof__(struct inotify_event))));
    for (;;) {
        ssize_t n = read(w->tree.fd, buf, sizeof buf);
        if (n < 0)
            return errno == EAGAIN || errno == EINTR ? 0 : -1;
        int64_t now = iw_host->monotonic_ns();
        pthread_mutex_lock(&w->lock);
        for (char *p = buf; p < buf + n;) {
            const struct inotify_event *ev = (const struct inotify_event *)(void *)p;
            handle(w, ev, now);
            p += sizeof *ev + ev->len;
        }
        pthread_mutex_unlock(&w->lock);
    }
}

/* The first due root at `now` (its index), or -1, and in *wait_ms how long until the next one
 * (-1: none pending). Lock held. */
static long next_due(const iw_inst *w, int64_t now, int *wait_ms)
{
    int64_t soonest = INT64_MAX;
    for (size_t i = 0; i < w->nroots; i++) {
        int64_t due = iw_burst_due(&w->roots[i].burst, w->quiet_ns, w->max_ns);
        if (due <= now)
            return (long)i;
        if (due < soonest)
            soonest = due;
    }
    if (soonest == INT64_MAX)
        *wait_ms = -1;
    else
        *wait_ms = (int)((soonest - now) / 1000000 + 1);
    return -1;
}

/* Report every due burst; returns the poll timeout until the next one. */
static int report_due(iw_inst *w)
{
    for (;;) {
        int wait_ms = -1;
        pthread_mutex_lock(&w->lock);
        long i = next_due(w, iw_host->monotonic_ns(), &wait_ms);
        if (i < 0) {
            pthread_mutex_unlock(&w->lock);
            return wait_ms;
        }
        iw_root r = w->roots[i]; /* roots are only appended to while the thread runs */
        char **paths;
        size_t n;
        int overflow;
        iw_burst_take(&w->roots[i].burst, &paths, &n, &overflow);
        pthread_mutex_unlock(&w->lock);
        iw_host->log(w->ctx, RATCHET_LOG_DEBUG, "%s: %zu path%s changed%s", r.path, n,
                     n == 1 ? "" : "s", overflow ? " (and more: events were lost)" : "");
        r.fn(r.user, r.path, (const char *const *)paths, n, overflow);
        for (size_t k = 0; k < n; k++)
            free(paths[k]);
        free(paths);
    }
}

static void *iw_thread(void *arg)
{
    iw_inst *w = arg;
    int timeout = -1;
    for (;;) {
        struct pollfd pfd[2] = {{w->tree.fd, POLLIN, 0}, {w->wake[0], POLLIN, 0}};
        int rc = poll(pfd, 2, timeout);
        if (rc < 0 && errno != EINTR)
            break;
        if (pfd[1].revents)
            break;
        if ((pfd[0].revents & POLLIN) && drain(w) != 0) {
            iw_host->log(w->ctx, RATCHET_LOG_ERROR, "reading inotify events: %s; watching stops",
                         strerror(errno));
            break;
        }
        timeout = report_due(w);
    }
    return NULL;
}

static ratchet_status iw_start(void *instance)
{
    iw_inst *w = instance;
    w->tree.fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (w->tree.fd < 0) {
        iw_host->set_error(w->ctx, "inotify_init1: %s%s", strerror(errno),
                           errno == EMFILE ? " (raise fs.inotify.max_user_instances)" : "");
        return RATCHET_ERR;
    }
    if (pipe(w->wake) != 0 || fcntl(w->wake[0], F_SETFD, FD_CLOEXEC) != 0 ||
        fcntl(w->wake[1], F_SETFD, FD_CLOEXEC) != 0) {
        iw_host->set_error(w->ctx, "pipe: %s", strerror(errno));
        return RATCHET_ERR;
    }
    if (pthread_create(&w->thread, NULL, iw_thread, w) != 0) {
        iw_host->set_error(w->ctx, "cannot start the watching thread");
        return RATCHET_ERR;
    }
    w->running = 1;
    return RATCHET_OK;
}

/* The folder holding `path` (path without its last component; "/" for a top-level one). */
static void parent_of(const char *path, char *out, size_t size)
{
    const char *slash = strrchr(path, '/');
    size_t n = slash && slash != path ? (size_t)(slash - path) : 1;
    if (n >= size)
        n = size - 1;
    memcpy(out, path, n);
    out[n] = '\0';
}

static ratchet_status iw_watch(void *instance, const char *root, ratchet_watch_fn fn, void *user)
{
    iw_inst *w = instance;
    if (!root || root[0] != '/' || !fn || strlen(root) >= PATH_MAX) {
        iw_host->set_error(w->ctx, "watch: expected an absolute folder path and a callback");
        return RATCHET_ERR;
    }
    char *copy = strdup(root);
    size_t len = copy ? strlen(copy) : 0;
    while (len > 1 && copy[len - 1] == '/')
        copy[--len] = '\0';
    pthread_mutex_lock(&w->lock);
    iw_root *grown = copy ? realloc(w->roots, (w->nroots + 1) * sizeof *grown) : NULL;
    if (!grown) {
        pthread_mutex_unlock(&w->lock);
        free(copy);
        iw_host->set_error(w->ctx, "out of memory");
        return RATCHET_NOMEM;
    }
    w->roots = grown;
    iw_root *r = &w->roots[w->nroots++];
    r->path = copy;
    r->fn = fn;
    r->user = user;
    iw_burst_init(&r->burst, w->max_paths);
    /* The parent tells us when the root itself is removed and created again. */
    char parent[PATH_MAX];
    parent_of(copy, parent, sizeof parent);
    ratchet_status s = RATCHET_OK;
    if (iw_tree_add(&w->tree, parent, IW_PARENT_MASK) != 0 ||
        iw_tree_add_all(&w->tree, copy, NULL, NULL) != 0) {
        iw_host->set_error(w->ctx, "cannot watch %s: %s%s", copy, strerror(errno),
                           errno == ENOSPC ? " (raise fs.inotify.max_user_watches)" : "");
        s = errno == ENOMEM ? RATCHET_NOMEM : RATCHET_ERR;
    }
    pthread_mutex_unlock(&w->lock);
    return s;
}

static void iw_stop(void *instance)
{
    iw_inst *w = instance;
    if (!w->running)
        return;
    ssize_t n;
    do
        n = write(w->wake[1], "x", 1);
    while (n < 0 && errno == EINTR);
    pthread_join(w->thread, NULL);
    w->running = 0;
}

static void iw_destroy(void *instance)
{
    iw_inst *w = instance;
    iw_stop(w);
    for (size_t i = 0; i < w->nroots; i++) {
        free(w->roots[i].path);
        iw_burst_free(&w->roots[i].burst);
    }
    free(w->roots);
    iw_tree_free(&w->tree);
    for (int i = 0; i < 2; i++)
        if (w->wake[i] >= 0)
            close(w->wake[i]);
    if (w->tree.fd >= 0)
        close(w->tree.fd);
    pthread_mutex_destroy(&w->lock);
    iw_host->free(w);
}

static const ratchet_option iw_options[] = {
    RATCHET_OPT_RANGE("debounce", RATCHET_OPT_DURATION, "500ms", 10, 60000,
                      "Quiet time after the last change before a burst is reported"),
    RATCHET_OPT_RANGE("max_wait", RATCHET_OPT_DURATION, "10s", 10, 600000,
                      "Longest a burst is held back when changes never stop"),
    RATCHET_OPT_RANGE("max_paths", RATCHET_OPT_INT, "100000", 1, 10000000,
                      "Distinct paths kept per burst; beyond, the whole root is reported"),
    RATCHET_OPT_END,
};

static const ratchet_watcher_vtable iw_vtable = {
    .abi = RATCHET_ABI_INIT(ratchet_watcher_vtable),
    .life = {iw_create, iw_start, iw_stop, iw_destroy},
    .watch = iw_watch,
    .unwatch = NULL,
};

static const ratchet_plugin_desc iw_desc = {
    .abi = RATCHET_ABI_INIT(ratchet_plugin_desc),
    .name = "watcher-inotify",
    .version = "1.0.0",
    .description = "Reports changes in folder trees (Linux inotify), debounced per burst",
    .license = NULL,
    .options = iw_options,
    .watcher = &iw_vtable,
};

RATCHET_PLUGIN_ENTRY(watcher_inotify)
{
    iw_host = api;
    return &iw_desc;
}
