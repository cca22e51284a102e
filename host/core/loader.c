/* host/core/loader.c - load plugins and refuse, with a reason, anything unsafe or incompatible. */
#include "loader.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hostapi.h"
#include "options.h"

#ifndef RATCHET_INSTALL_PLUGIN_DIR
#define RATCHET_INSTALL_PLUGIN_DIR "lib/ratchet/plugins"
#endif

/* Bytes a struct must span to hold `field`. */
#define RT_END_OF(type, field) (offsetof(type, field) + sizeof(((type *)0)->field))

/* Smallest descriptor / vtable a plugin of each 1.x minor may present, indexed by minor.
 * Append an entry with every minor bump. */
static const size_t desc_min_size[RATCHET_ABI_MINOR + 1] = {
    RT_END_OF(ratchet_plugin_desc, logger),   /* 1.0 */
    RT_END_OF(ratchet_plugin_desc, executor), /* 1.1 */
    RT_END_OF(ratchet_plugin_desc, storage),  /* 1.2 */
    RT_END_OF(ratchet_plugin_desc, storage),  /* 1.3 */
    RT_END_OF(ratchet_plugin_desc, frontend), /* 1.4 */
    RT_END_OF(ratchet_plugin_desc, watcher),  /* 1.5 */
    RT_END_OF(ratchet_plugin_desc, watcher),  /* 1.6 */
    RT_END_OF(ratchet_plugin_desc, watcher),  /* 1.7 */
    RT_END_OF(ratchet_plugin_desc, watcher),  /* 1.8 */
    RT_END_OF(ratchet_plugin_desc, watcher),  /* 1.9 */
};
static const size_t logger_min_size[RATCHET_ABI_MINOR + 1] = {
    RT_END_OF(ratchet_logger_vtable, flush), /* 1.0 */
    RT_END_OF(ratchet_logger_vtable, flush), /* 1.1 */
    RT_END_OF(ratchet_logger_vtable, flush), /* 1.2 */
    RT_END_OF(ratchet_logger_vtable, flush), /* 1.3 */
    RT_END_OF(ratchet_logger_vtable, flush), /* 1.4 */
    RT_END_OF(ratchet_logger_vtable, flush), /* 1.5 */
    RT_END_OF(ratchet_logger_vtable, flush), /* 1.6 */
    RT_END_OF(ratchet_logger_vtable, flush), /* 1.7 */
    RT_END_OF(ratchet_logger_vtable, flush), /* 1.8 */
    RT_END_OF(ratchet_logger_vtable, flush), /* 1.9 */
};
/* The executor kind appeared in 1.1; a 1.0 plugin cannot offer one (see check_desc). */
static const size_t executor_min_size[RATCHET_ABI_MINOR + 1] = {
    RT_END_OF(ratchet_executor_vtable, release), /* 1.0 */
    RT_END_OF(ratchet_executor_vtable, release), /* 1.1 */
    RT_END_OF(ratchet_executor_vtable, release), /* 1.2 */
    RT_END_OF(ratchet_executor_vtable, release), /* 1.3 */
    RT_END_OF(ratchet_executor_vtable, release), /* 1.4 */
    RT_END_OF(ratchet_executor_vtable, release), /* 1.5 */
    RT_END_OF(ratchet_executor_vtable, release), /* 1.6 */
    RT_END_OF(ratchet_executor_vtable, release), /* 1.7 */
    RT_END_OF(ratchet_executor_vtable, release), /* 1.8 */
    RT_END_OF(ratchet_executor_vtable, release), /* 1.9 */
};
/* The storage kind appeared in 1.2. */
static const size_t storage_min_size[RATCHET_ABI_MINOR + 1] = {
    RT_END_OF(ratchet_storage_vtable, notify),   /* 1.0 */
    RT_END_OF(ratchet_storage_vtable, notify),   /* 1.1 */
    RT_END_OF(ratchet_storage_vtable, notify),   /* 1.2 */
    RT_END_OF(ratchet_storage_vtable, notify),   /* 1.3 */
    RT_END_OF(ratchet_storage_vtable, key_find), /* 1.4 */
    RT_END_OF(ratchet_storage_vtable, key_find), /* 1.5 */
    RT_END_OF(ratchet_storage_vtable, key_find), /* 1.6 */
    RT_END_OF(ratchet_storage_vtable, key_find), /* 1.7 */
    RT_END_OF(ratchet_storage_vtable, key_find), /* 1.8 */
    RT_END_OF(ratchet_storage_vtable, key_find), /* 1.9 */
};
/* The front-end kind appeared in 1.4. */
static const size_t frontend_min_size[RATCHET_ABI_MINOR + 1] = {
    RT_END_OF(ratchet_frontend_vtable, life), /* 1.0 */
    RT_END_OF(ratchet_frontend_vtable, life), /* 1.1 */
    RT_END_OF(ratchet_frontend_vtable, life), /* 1.2 */
    RT_END_OF(ratchet_frontend_vtable, life), /* 1.3 */
    RT_END_OF(ratchet_frontend_vtable, life), /* 1.4 */
    RT_END_OF(ratchet_frontend_vtable, life), /* 1.5 */
    RT_END_OF(ratchet_frontend_vtable, life), /* 1.6 */
    RT_END_OF(ratchet_frontend_vtable, life), /* 1.7 */
    RT_END_OF(ratchet_frontend_vtable, life), /* 1.8 */
    RT_END_OF(ratchet_frontend_vtable, life), /* 1.9 */
};
/* The watcher kind appeared in 1.5. */
static const size_t watcher_min_size[RATCHET_ABI_MINOR + 1] = {
    RT_END_OF(ratchet_watcher_vtable, unwatch), /* 1.0 */
    RT_END_OF(ratchet_watcher_vtable, unwatch), /* 1.1 */
    RT_END_OF(ratchet_watcher_vtable, unwatch), /* 1.2 */
    RT_END_OF(ratchet_watcher_vtable, unwatch), /* 1.3 */
    RT_END_OF(ratchet_watcher_vtable, unwatch), /* 1.4 */
    RT_END_OF(ratchet_watcher_vtable, unwatch), /* 1.5 */
    RT_END_OF(ratchet_watcher_vtable, unwatch), /* 1.6 */
    RT_END_OF(ratchet_watcher_vtable, unwatch), /* 1.7 */
    RT_END_OF(ratchet_watcher_vtable, unwatch), /* 1.8 */
    RT_END_OF(ratchet_watcher_vtable, unwatch), /* 1.9 */
};

static const char *const kind_names[RT_KIND_COUNT] = {"logger", "executor", "storage", "frontend",
                                                      "watcher"};

const char *rt_kind_name(rt_kind kind)
{
    return (unsigned)kind < RT_KIND_COUNT ? kind_names[kind] : "?";
}

void rt_registry_init(rt_registry *reg)
{
    memset(reg, 0, sizeof *reg);
}

void rt_registry_free(rt_registry *reg)
{
    for (size_t i = 0; i < reg->count; i++)
        free(reg->plugins[i].path);
    for (size_t i = 0; i < reg->nrefused; i++) {
        free(reg->refused[i].path);
        free(reg->refused[i].reason);
    }
    free(reg->plugins);
    free(reg->refused);
    rt_registry_init(reg);
}

const rt_plugin *rt_registry_find(const rt_registry *reg, const char *name)
{
    for (size_t i = 0; i < reg->count; i++)
        if (strcmp(reg->plugins[i].desc->name, name) == 0)
            return &reg->plugins[i];
    return NULL;
}

/* Record a refusal of `path` and put the same text in err. Always returns RATCHET_ERR. */
static ratchet_status refuse(rt_registry *reg, const char *path, const ratchet_abi *abi,
                             rt_error *err, const char *why)
{
    char versions[64];
    if (abi)
        snprintf(versions, sizeof versions, "plugin ABI %u.%u", (unsigned)abi->abi_major,
                 (unsigned)abi->abi_minor);
    else
        snprintf(versions, sizeof versions, "plugin ABI unknown");
    rt_error local;
    if (!err)
        err = &local;
    rt_fail(err, "refused plugin %s (%s, host ABI %d.%d): %s", path, versions, RATCHET_ABI_MAJOR,
            RATCHET_ABI_MINOR, why);
    if (reg->nrefused == reg->refcap) {
        size_t cap = reg->refcap ? reg->refcap * 2 : 4;
        rt_refusal *grown = realloc(reg->refused, cap * sizeof *grown);
        if (!grown)
            return RATCHET_ERR;
        reg->refused = grown;
        reg->refcap = cap;
    }
    rt_refusal *r = &reg->refused[reg->nrefused];
    r->path = strdup(path);
    r->reason = strdup(err->msg);
    if (r->path && r->reason)
        reg->nrefused++;
    else {
        free(r->path);
        free(r->reason);
    }
    return RATCHET_ERR;
}

/* Check a header against this host: same major, minor not newer, size at least what the
 * declared minor requires. Writes the reason into why[] and returns nonzero on mismatch. */
static int abi_mismatch(const ratchet_abi *abi, const size_t *min_sizes, const char *what,
                        char *why, size_t whylen)
{
    if (abi->abi_major != RATCHET_ABI_MAJOR) {
        snprintf(why, whylen,
                 "%s is for ABI major %u, this host speaks only %d.x: rebuild the plugin "
                 "against this Ratchet's SDK",
                 what, (unsigned)abi->abi_major, RATCHET_ABI_MAJOR);
        return 1;
    }
    if (abi->abi_minor > RATCHET_ABI_MINOR) {
        snprintf(why, whylen,
                 "%s needs ABI %d.%u, newer than this host's %d.%d: upgrade Ratchet, or "
                 "rebuild the plugin against ABI %d.%d",
                 what, RATCHET_ABI_MAJOR, (unsigned)abi->abi_minor, RATCHET_ABI_MAJOR,
                 RATCHET_ABI_MINOR, RATCHET_ABI_MAJOR, RATCHET_ABI_MINOR);
        return 1;
    }
    if (abi->struct_size < min_sizes[abi->abi_minor]) {
        snprintf(why, whylen,
                 "%s struct_size is %u bytes but ABI %d.%u needs at least %zu: not binary "
                 "compatible (was it built with a different header?)",
                 what, (unsigned)abi->struct_size, RATCHET_ABI_MAJOR, (unsigned)abi->abi_minor,
                 min_sizes[abi->abi_minor]);
        return 1;
    }
    return 0;
}

/* A 1.4 plugin sets the calls the API front ends use; an older one cannot have them. */
static int storage_lacks_api_call(const ratchet_storage_vtable *st)
{
    if (st->abi.abi_minor < 4)
        return 0;
    return !st->task_set_enabled || !st->schedule_update || !st->stats || !st->execution_logs ||
           !st->key_create || !st->key_list || !st->key_revoke || !st->key_find;
}

/* The engine uses every storage call, so all must be set. */
static int storage_lacks_call(const ratchet_storage_vtable *st)
{
    return !st->task_sync || !st->task_list || !st->task_version_get || !st->job_submit ||
           !st->job_claim || !st->job_renew || !st->job_finish || !st->job_requeue_expired ||
           !st->job_cancel || !st->job_retry || !st->job_cancel_requests || !st->job_get ||
           !st->job_list || !st->job_next_due || !st->execution_get || !st->execution_list ||
           !st->schedule_add || !st->schedule_set_enabled || !st->schedule_remove ||
           !st->schedule_list || !st->schedule_due || !st->schedule_fire || !st->delivery_record ||
           !st->prune || !st->wait || !st->notify || storage_lacks_api_call(st);
}

static int valid_plugin_name(const char *name)
{
    if (!name || !*name || strlen(name) > 64)
        return 0;
    for (const char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' || *p == '_'))
            return 0;
    return 1;
}

/* Validate a descriptor and fill in plugin->vtable. Returns nonzero (with why[]) on refusal. */
static int check_desc(const ratchet_plugin_desc *d, rt_plugin *plugin, char *why, size_t whylen)
{
    if (abi_mismatch(&d->abi, desc_min_size, "descriptor", why, whylen))
        return 1;
    if (!valid_plugin_name(d->name)) {
        snprintf(why, whylen, "invalid plugin name '%s' (use lowercase letters, digits, '-', '_')",
                 d->name ? d->name : "(null)");
        return 1;
    }
    if (!d->version || !*d->version) {
        snprintf(why, whylen, "plugin '%s' has no version string", d->name);
        return 1;
    }
    int kinds = 0;
    if (d->logger) {
        const ratchet_logger_vtable *vt = d->logger;
        if (abi_mismatch(&vt->abi, logger_min_size, "logger vtable", why, whylen))
            return 1;
        if (!vt->life.create || !vt->life.destroy || !vt->log) {
            snprintf(why, whylen, "logger vtable lacks a required callback (create, destroy, log)");
            return 1;
        }
        plugin->vtable[RT_KIND_LOGGER] = vt;
        kinds++;
    }
    /* Read fields a plugin's minor may lack only when its struct_size covers them. */
    const ratchet_executor_vtable *ex =
        RATCHET_HAS_FIELD(d, ratchet_plugin_desc, executor) ? d->executor : NULL;
    if (ex) {
        if (abi_mismatch(&ex->abi, executor_min_size, "executor vtable", why, whylen))
            return 1;
        if (!ex->life.create || !ex->life.destroy || !ex->compile || !ex->execute || !ex->release ||
            !ex->language) {
            snprintf(why, whylen,
                     "executor vtable lacks a required member (create, destroy, "
                     "compile, execute, release, language)");
            return 1;
        }
        plugin->vtable[RT_KIND_EXECUTOR] = ex;
        kinds++;
    }
    const ratchet_storage_vtable *st =
        RATCHET_HAS_FIELD(d, ratchet_plugin_desc, storage) ? d->storage : NULL;
    if (st) {
        if (abi_mismatch(&st->abi, storage_min_size, "storage vtable", why, whylen))
            return 1;
        if (!st->life.create || !st->life.destroy || storage_lacks_call(st)) {
            snprintf(why, whylen,
                     "storage vtable lacks a required member (every call of "
                     "ratchet_storage_vtable must be set)");
            return 1;
        }
        plugin->vtable[RT_KIND_STORAGE] = st;
        kinds++;
    }
    const ratchet_frontend_vtable *fe =
        RATCHET_HAS_FIELD(d, ratchet_plugin_desc, frontend) ? d->frontend : NULL;
    if (fe) {
        if (abi_mismatch(&fe->abi, frontend_min_size, "frontend vtable", why, whylen))
            return 1;
        if (!fe->life.create || !fe->life.destroy) {
            snprintf(why, whylen, "frontend vtable lacks a required callback (create, destroy)");
            return 1;
        }
        plugin->vtable[RT_KIND_FRONTEND] = fe;
        kinds++;
    }
    const ratchet_watcher_vtable *wa =
        RATCHET_HAS_FIELD(d, ratchet_plugin_desc, watcher) ? d->watcher : NULL;
    if (wa) {
        if (abi_mismatch(&wa->abi, watcher_min_size, "watcher vtable", why, whylen))
            return 1;
        if (!wa->life.create || !wa->life.destroy || !wa->watch) {
            snprintf(why, whylen,
                     "watcher vtable lacks a required callback (create, destroy, watch)");
            return 1;
        }
        plugin->vtable[RT_KIND_WATCHER] = wa;
        kinds++;
    }
    if (kinds == 0) {
        snprintf(why, whylen, "plugin '%s' offers no kind (its descriptor sets no vtable)",
                 d->name);
        return 1;
    }
    rt_error oerr;
    if (rt_options_check_table(d->options, &oerr) != RATCHET_OK) {
        snprintf(why, whylen, "plugin '%s' has a broken option table: %.400s", d->name, oerr.msg);
        return 1;
    }
    return 0;
}

/* Register a descriptor obtained from `path` (NULL: static). */
static ratchet_status add_plugin(rt_registry *reg, const ratchet_plugin_desc *d, const char *path,
                                 rt_error *err)
{
    const char *shown = path ? path : "(static)";
    rt_plugin plugin;
    memset(&plugin, 0, sizeof plugin);
    char why[512];
    if (check_desc(d, &plugin, why, sizeof why))
        return refuse(reg, shown, &d->abi, err, why);
    const rt_plugin *taken = rt_registry_find(reg, d->name);
    if (taken) {
        snprintf(why, sizeof why, "plugin name '%s' is already taken by %s", d->name,
                 taken->path ? taken->path : "the static plugin linked into this binary");
        return refuse(reg, shown, &d->abi, err, why);
    }
    if (reg->count == reg->cap) {
        size_t cap = reg->cap ? reg->cap * 2 : 8;
        rt_plugin *grown = realloc(reg->plugins, cap * sizeof *grown);
        if (!grown)
            return rt_fail(err, "out of memory");
        reg->plugins = grown;
        reg->cap = cap;
    }
    plugin.desc = d;
    plugin.is_static = path == NULL;
    plugin.path = path ? strdup(path) : NULL;
    if (path && !plugin.path)
        return rt_fail(err, "out of memory");
    reg->plugins[reg->count++] = plugin;
    return RATCHET_OK;
}

void rt_loader_add_static(rt_registry *reg)
{
    for (const ratchet_plugin_entry_fn *e = rt_static_plugin_entries; *e; e++) {
        const ratchet_plugin_desc *d = (*e)(rt_host_api());
        if (!d)
            refuse(reg, "(static)", NULL, NULL, "entry function returned NULL");
        else
            add_plugin(reg, d, NULL, NULL);
    }
}

ratchet_status rt_loader_load_file(rt_registry *reg, const char *path, rt_error *err)
{
    struct stat st;
    char why[768];
    if (lstat(path, &st) != 0) {
        snprintf(why, sizeof why, "cannot stat: %s", strerror(errno));
        return refuse(reg, path, NULL, err, why);
    }
    if (S_ISLNK(st.st_mode))
        return refuse(reg, path, NULL, err,
                      "is a symbolic link; plugins must be regular files (copy it instead)");
    if (!S_ISREG(st.st_mode))
        return refuse(reg, path, NULL, err, "is not a regular file");
    if (st.st_mode & S_IWOTH)
        return refuse(reg, path, NULL, err,
                      "is world-writable, so anyone could replace its code (chmod o-w it)");

    /* RTLD_LOCAL keeps one plugin's symbols from satisfying another's; RTLD_NOW reports
     * missing symbols here rather than at the first call. */
    void *handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        const char *e = dlerror();
        snprintf(why, sizeof why, "dlopen failed: %s (check its dependencies with `ldd %s`)",
                 e ? e : "unknown error", path);
        return refuse(reg, path, NULL, err, why);
    }
    ratchet_plugin_entry_fn entry;
    void *sym = dlsym(handle, RATCHET_PLUGIN_ENTRY_SYMBOL);
    memcpy(&entry, &sym, sizeof entry); /* object-to-function pointer, as POSIX allows */
    if (!sym) {
        dlclose(handle); /* nothing of it was called, so nothing can point into it */
        return refuse(reg, path, NULL, err,
                      "no entry symbol '" RATCHET_PLUGIN_ENTRY_SYMBOL
                      "' (not a Ratchet plugin, or built without RATCHET_PLUGIN_ENTRY)");
    }
    /* From here on the plugin's code has run: it stays resident even when refused. */
    const ratchet_plugin_desc *d = entry(rt_host_api());
    if (!d)
        return refuse(reg, path, NULL, err,
                      "entry function returned NULL (plugin declined to load)");
    return add_plugin(reg, d, path, err);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int has_so_suffix(const char *name)
{
    size_t n = strlen(name);
    return n > 3 && strcmp(name + n - 3, ".so") == 0;
}

ratchet_status rt_loader_load_dir(rt_registry *reg, const char *dir, int must_exist, rt_error *err)
{
    struct stat st;
    if (stat(dir, &st) != 0) {
        if (!must_exist && errno == ENOENT)
            return RATCHET_OK;
        return rt_fail(err, "plugin directory %s: %s", dir, strerror(errno));
    }
    if (!S_ISDIR(st.st_mode))
        return rt_fail(err, "plugin directory %s: not a directory", dir);
    if ((st.st_mode & S_IWOTH) && !(st.st_mode & S_ISVTX))
        return rt_fail(err,
                       "plugin directory %s is world-writable, so anyone could add code to "
                       "it (chmod o-w it)",
                       dir);
    DIR *dh = opendir(dir);
    if (!dh)
        return rt_fail(err, "plugin directory %s: %s", dir, strerror(errno));
    char **names = NULL;
    size_t n = 0, cap = 0;
    ratchet_status rc = RATCHET_OK;
    struct dirent *de;
    while ((de = readdir(dh)) != NULL) {
        if (de->d_name[0] == '.' || !has_so_suffix(de->d_name))
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            char **grown = realloc(names, cap * sizeof *grown);
            if (!grown) {
                rc = rt_fail(err, "out of memory");
                break;
            }
            names = grown;
        }
        size_t len = strlen(dir) + strlen(de->d_name) + 2;
        names[n] = malloc(len);
        if (!names[n]) {
            rc = rt_fail(err, "out of memory");
            break;
        }
        snprintf(names[n], len, "%s/%s", dir, de->d_name);
        n++;
    }
    closedir(dh);
    if (rc == RATCHET_OK && n > 1)
        qsort(names, n, sizeof *names, cmp_str); /* deterministic order, so duplicates too */
    for (size_t i = 0; i < n; i++) {
        if (rc == RATCHET_OK)
            rt_loader_load_file(reg, names[i], NULL);
        free(names[i]);
    }
    free(names);
    return rc;
}

size_t rt_loader_default_dirs(char **out, size_t max)
{
    char exe[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len <= 0)
        return 0;
    exe[len] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash)
        return 0;
    *slash = '\0';
    const char *candidates[2] = {"%s/plugins", "%s/../" RATCHET_INSTALL_PLUGIN_DIR};
    size_t n = 0;
    for (size_t i = 0; i < 2 && n < max; i++) {
        char path[PATH_MAX + 64], real[PATH_MAX];
        snprintf(path, sizeof path, candidates[i], exe);
        if (!realpath(path, real))
            continue;
        int dup = 0;
        for (size_t j = 0; j < n; j++)
            dup |= strcmp(out[j], real) == 0;
        if (!dup && (out[n] = strdup(real)) != NULL)
            n++;
    }
    return n;
}
