/*
 * host/engine/registry_fetch.c - pulling one http registry: its index (If-None-Match against
 * the cached ETag, If-Modified-Since against its Last-Modified) and the zips not yet in the cache,
 * each checked before it is kept (see registry.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/core_layer.h"
#include "registry.h"
#include "registry_index.h"
#include "task/task_layer.h"

#define CACHE_FILE "index.cache.json"

typedef struct pull {
    const rt_source_spec *spec;
    const int *cancel;
    int online;
    rt_reg_problem_fn problem;
    void *data;
    rt_reg_pull *out;
    char *dir;                   /* the source's cache folder */
    rt_fetcher *index_f, *zip_f; /* created on first use */
    const char *token;           /* from auth.token_env, or NULL */
    char fetched_at[32];         /* of the cached index, for messages */
} pull;

static void report(pull *p, const char *source, const char *fmt, ...) RATCHET_PRINTF(3, 4);
static void report(pull *p, const char *source, const char *fmt, ...)
{
    ratchet_buf msg = RATCHET_BUF_INIT;
    rt_buf_printf(&msg, "registry %s: ", p->spec->name);
    va_list ap;
    va_start(ap, fmt);
    rt_buf_vprintf(&msg, fmt, ap);
    va_end(ap);
    ratchet_buf src = RATCHET_BUF_INIT;
    if (!source)
        rt_buf_printf(&src, "registry %s", p->spec->name);
    p->out->problems++;
    if (p->problem)
        p->problem(p->data,
                   source     ? source
                   : src.data ? src.data
                              : "registry",
                   msg.data ? msg.data : "out of memory");
    rt_buf_free(&msg);
    rt_buf_free(&src);
}

static int cancelled(const pull *p)
{
    return p->cancel && __atomic_load_n(p->cancel, __ATOMIC_ACQUIRE);
}

/* ---- files ------------------------------------------------------------------------------- */

/* Write `len` bytes to `path` through a temporary file renamed over it. 0 or -1 (errno). */
static int write_file(const char *path, const char *data, size_t len)
{
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp-%ld-%lx", path, (long)getpid(),
             (unsigned long)(uintptr_t)&tmp ^ (unsigned long)time(NULL));
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0)
        return -1;
    size_t done = 0;
    while (done < len) {
        ssize_t w = write(fd, data + done, len - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            int e = errno;
            close(fd);
            unlink(tmp);
            errno = e;
            return -1;
        }
        done += (size_t)w;
    }
    if (close(fd) != 0 || rename(tmp, path) != 0) {
        int e = errno;
        unlink(tmp);
        errno = e;
        return -1;
    }
    return 0;
}

/* Read a whole file of at most `max` bytes; NULL when missing, unreadable or larger. */
static char *read_file(const char *path, size_t max, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    ratchet_buf b = RATCHET_BUF_INIT;
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && b.len <= max)
        rt_buf_append(&b, chunk, n);
    int bad = ferror(f) || b.len > max;
    fclose(f);
    if (bad || !b.data) {
        rt_buf_free(&b);
        return NULL;
    }
    *len = b.len;
    return b.data;
}

/* The sha256 of a file as hex, 0; or -1. */
static int file_sha256(const char *path, char hex[65])
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    rt_sha256 s;
    rt_sha256_init(&s);
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        rt_sha256_update(&s, chunk, n);
    int bad = ferror(f);
    fclose(f);
    unsigned char d[32];
    rt_sha256_final(&s, d);
    for (int i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", d[i]);
    return bad ? -1 : 0;
}

char *rt_registry_cache_root(const rt_app *app)
{
    const char *dir = rt_cfg_string(rt_settings_section(&app->settings, "registry"), "cache_dir");
    ratchet_buf b = RATCHET_BUF_INIT;
    if (dir && *dir)
        rt_buf_puts(&b, dir);
    else
        rt_buf_printf(&b, "%s/registry",
                      app->data_dir ? app->data_dir
                                    : rt_cfg_string(rt_settings_section(&app->settings, "engine"),
                                                    "data_dir"));
    return b.data;
}

/* ---- the cached index -------------------------------------------------------------------- */

/* The cached index text for this source's URL (malloc'd), its ETag and Last-Modified in
 * *etag and *last_modified (malloc'd or NULL); NULL when there is none. */
static char *cache_read(pull *p, size_t *len, char **etag, char **last_modified)
{
    *etag = *last_modified = NULL;
    char path[4200];
    snprintf(path, sizeof path, "%s/" CACHE_FILE, p->dir);
    size_t n = 0;
    char *text = read_file(path, RT_REG_INDEX_MAX_BYTES * 7 + 4096, &n);
    struct json_object *doc = text ? json_tokener_parse(text) : NULL, *v;
    free(text);
    char *index = NULL;
    if (json_object_object_get_ex(doc, "url", &v) &&
        strcmp(json_object_get_string(v), p->spec->uri) == 0 &&
        json_object_object_get_ex(doc, "index", &v) && json_object_is_type(v, json_type_string)) {
        *len = (size_t)json_object_get_string_len(v);
        index = malloc(*len + 1);
        if (index)
            memcpy(index, json_object_get_string(v), *len + 1);
        if (json_object_object_get_ex(doc, "etag", &v) && json_object_is_type(v, json_type_string))
            *etag = strdup(json_object_get_string(v));
        if (json_object_object_get_ex(doc, "lastModified", &v) &&
            json_object_is_type(v, json_type_string))
            *last_modified = strdup(json_object_get_string(v));
        if (json_object_object_get_ex(doc, "fetchedAt", &v))
            snprintf(p->fetched_at, sizeof p->fetched_at, "%s", json_object_get_string(v));
    }
    json_object_put(doc);
    return index;
}

static void cache_write(pull *p, const char *text, size_t len, const char *etag,
                        const char *last_modified)
{
    char stamp[32];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
    struct json_object *doc = json_object_new_object();
    json_object_object_add(doc, "url", json_object_new_string(p->spec->uri));
    json_object_object_add(doc, "etag", etag ? json_object_new_string(etag) : NULL);
    json_object_object_add(doc, "lastModified",
                           last_modified ? json_object_new_string(last_modified) : NULL);
    json_object_object_add(doc, "fetchedAt", json_object_new_string(stamp));
    json_object_object_add(doc, "index", json_object_new_string_len(text, (int)len));
    const char *out = json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PLAIN);
    char path[4200];
    snprintf(path, sizeof path, "%s/" CACHE_FILE, p->dir);
    if (!out || write_file(path, out, strlen(out)) != 0)
        rt_log(RATCHET_LOG_WARN, "registry %s: cannot keep the index in %s: %s", p->spec->name,
               path, strerror(errno));
    json_object_put(doc);
}

/* ---- HTTP -------------------------------------------------------------------------------- */

static rt_fetcher *fetcher(pull *p, size_t max)
{
    rt_fetch_config cfg = rt_fetch_config_defaults();
    cfg.timeout_ms = p->spec->timeout_ms;
    cfg.max_response_bytes = max;
    cfg.verify_tls = p->spec->verify_tls;
    cfg.user_agent = "Ratchet/" RATCHET_VERSION " (registry)";
    cfg.cancel = p->cancel;
    return rt_fetcher_new(&cfg);
}

/* GET url: RATCHET_OK with *resp, else RATCHET_ERR with the reason in *why (caller frees). */
static ratchet_status get(pull *p, rt_fetcher *f, const char *url, const char *etag,
                          const char *last_modified, rt_fetch_response *resp, ratchet_buf *why)
{
    memset(resp, 0, sizeof *resp);
    rt_fetch_request req;
    memset(&req, 0, sizeof req);
    memcpy(req.method, "GET", 4);
    req.url = url;
    ratchet_status rc = f ? RATCHET_OK : RATCHET_NOMEM;
    if (rc == RATCHET_OK && etag)
        rc = rt_fetch_headers_add(&req.headers, "If-None-Match", 13, etag, strlen(etag));
    /* Servers without ETags (python3 -m http.server) answer this one. */
    if (rc == RATCHET_OK && last_modified)
        rc = rt_fetch_headers_add(&req.headers, "If-Modified-Since", 17, last_modified,
                                  strlen(last_modified));
    if (rc == RATCHET_OK && p->token && rt_reg_same_origin(url, p->spec->uri)) {
        ratchet_buf v = RATCHET_BUF_INIT;
        rt_buf_printf(&v, "%s%s", p->spec->auth_prefix, p->token);
        rc = v.data ? rt_fetch_headers_add(&req.headers, p->spec->auth_header,
                                           strlen(p->spec->auth_header), v.data, v.len)
                    : RATCHET_NOMEM;
        rt_buf_free(&v);
    }
    if (rc != RATCHET_OK) {
        rt_fetch_headers_clear(&req.headers);
        rt_buf_puts(why, "out of memory");
        return RATCHET_ERR;
    }
    rt_fetch_fault fault = {NULL, RATCHET_BUF_INIT};
    rc = rt_fetch_live(f, &req, resp, &fault);
    rt_fetch_headers_clear(&req.headers);
    if (rc != RATCHET_OK)
        rt_buf_puts(why, rc == RATCHET_NOMEM  ? "out of memory"
                         : fault.message.data ? fault.message.data
                                              : "the request failed");
    rt_buf_free(&fault.message);
    return rc == RATCHET_OK ? RATCHET_OK : RATCHET_ERR;
}

static int add_item(rt_reg_item **items, size_t *n, const char *zip, const rt_reg_entry *e)
{
    rt_reg_item *grown = realloc(*items, (*n + 1) * sizeof *grown);
    if (!grown)
        return -1;
    *items = grown;
    rt_reg_item *it = &grown[*n];
    it->zip = zip ? strdup(zip) : NULL;
    it->url = strdup(e->url);
    it->name = strdup(e->name);
    it->version = strdup(e->version);
    if ((zip && !it->zip) || !it->url || !it->name || !it->version) {
        free(it->zip);
        free(it->url);
        free(it->name);
        free(it->version);
        return -1;
    }
    (*n)++;
    return 0;
}

/* The tasks of the `old` index text that `now` no longer lists (by name), into
 * p->out->removed. */
static void find_removed(pull *p, const char *old, size_t old_len, const rt_reg_index *now)
{
    rt_reg_index before;
    rt_error err;
    if (rt_reg_index_parse(old, old_len, p->spec->uri, &before, NULL, NULL, &err) != RATCHET_OK)
        return;
    for (size_t i = 0; i < before.ntasks; i++) {
        int listed = 0;
        for (size_t k = 0; k < now->ntasks && !listed; k++)
            listed = strcmp(now->tasks[k].name, before.tasks[i].name) == 0;
        if (!listed)
            add_item(&p->out->removed, &p->out->nremoved, NULL, &before.tasks[i]);
    }
    rt_reg_index_free(&before);
}

/* The index text to use (malloc'd, or NULL when there is none) after fetching it. */
static char *fetch_index(pull *p, char *cached, size_t cached_len, const char *etag,
                         const char *last_modified, size_t *len)
{
    const char *url = p->spec->uri;
    char keep[200];
    snprintf(keep, sizeof keep, "%s%s%s",
             cached ? "keeping the last good index"
                    : "no index was fetched before, so it offers "
                      "no task yet",
             cached && *p->fetched_at ? " (fetched " : "",
             cached && *p->fetched_at ? p->fetched_at : "");
    if (cached && *p->fetched_at)
        strncat(keep, ")", sizeof keep - strlen(keep) - 1);
    *len = cached_len;
    if (!p->index_f)
        p->index_f = fetcher(p, RT_REG_INDEX_MAX_BYTES);
    rt_fetch_response resp;
    ratchet_buf why = RATCHET_BUF_INIT;
    if (get(p, p->index_f, url, cached ? etag : NULL, cached ? last_modified : NULL, &resp, &why) !=
        RATCHET_OK) {
        p->out->stale = 1;
        if (!cancelled(p))
            report(p, NULL, "cannot fetch the index %s: %s; %s", url, why.data ? why.data : "error",
                   keep);
        rt_buf_free(&why);
        return cached;
    }
    if (resp.status == 304 && cached) {
        p->out->not_modified = 1;
        rt_log(RATCHET_LOG_DEBUG, "registry %s: %s unchanged (304)", p->spec->name, url);
        rt_fetch_response_clear(&resp);
        return cached;
    }
    if (resp.status != 200) {
        p->out->stale = 1;
        report(p, NULL, "the index %s answered HTTP %d%s%s; %s", url, resp.status,
               *resp.status_text ? " " : "", resp.status_text, keep);
        rt_fetch_response_clear(&resp);
        return cached;
    }
    rt_error err;
    rt_reg_index check;
    if (rt_reg_index_parse(resp.body, resp.body_len, url, &check, NULL, NULL, &err) != RATCHET_OK) {
        p->out->stale = 1;
        report(p, NULL, "the index %s is refused: %s; %s", url, err.msg, keep);
        rt_fetch_response_clear(&resp);
        return cached;
    }
    if (cached)
        find_removed(p, cached, cached_len, &check);
    rt_reg_index_free(&check);
    cache_write(p, resp.body, resp.body_len, rt_fetch_headers_get(&resp.headers, "ETag"),
                rt_fetch_headers_get(&resp.headers, "Last-Modified"));
    rt_log(RATCHET_LOG_DEBUG, "registry %s: fetched %s (%zu bytes)", p->spec->name, url,
           resp.body_len);
    free(cached);
    char *text = resp.body; /* ownership moves here */
    *len = resp.body_len;
    resp.body = NULL;
    rt_fetch_response_clear(&resp);
    return text;
}

/* ---- zips -------------------------------------------------------------------------------- */

/* The cache path of entry e's zip: TASK-VERSION-KEY.zip, KEY from its sha256, else from its
 * URL (a version is immutable, so the same URL for the same version is the same zip). */
static void zip_path(const pull *p, const rt_reg_entry *e, char *out, size_t size)
{
    char key[65];
    if (*e->sha256)
        memcpy(key, e->sha256, sizeof key);
    else
        rt_sha256_hex(e->url, strlen(e->url), key);
    snprintf(out, size, "%s/zips/%s-%s-%s%.16s.zip", p->dir, e->name, e->version,
             *e->sha256 ? "" : "u", key);
}

/* The zip is in the cache (and matches the index's sha256). */
static int cached_zip(const char *path, const rt_reg_entry *e)
{
    struct stat sb;
    if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
        return 0;
    char hex[65];
    return !*e->sha256 || (file_sha256(path, hex) == 0 && strcmp(hex, e->sha256) == 0);
}

/* Download e's zip into `path`, checked. 0, or -1 (reported). */
static int download_zip(pull *p, const rt_reg_entry *e, const char *path)
{
    int64_t max = p->spec->max_zip_size;
    if (e->size > max) {
        report(p, e->url,
               "task %s %s: the index gives its zip as %lld bytes, over max_zip_size (%lld "
               "bytes); refused without downloading it",
               e->name, e->version, (long long)e->size, (long long)max);
        return -1;
    }
    if (!p->zip_f)
        p->zip_f = fetcher(p, (size_t)max);
    rt_fetch_response resp;
    ratchet_buf why = RATCHET_BUF_INIT;
    int rc = -1;
    if (get(p, p->zip_f, e->url, NULL, NULL, &resp, &why) != RATCHET_OK) {
        if (why.data && strstr(why.data, "exceeds the limit"))
            report(p, e->url,
                   "task %s %s: the zip %s is larger than max_zip_size (%lld bytes); the "
                   "download was stopped there and the zip refused",
                   e->name, e->version, e->url, (long long)max);
        else if (!cancelled(p))
            report(p, e->url, "task %s %s: cannot download %s: %s", e->name, e->version, e->url,
                   why.data ? why.data : "error");
        rt_buf_free(&why);
        return -1;
    }
    char hex[65] = "";
    if (resp.status == 200)
        rt_sha256_hex(resp.body, resp.body_len, hex);
    if (resp.status != 200)
        report(p, e->url, "task %s %s: %s answered HTTP %d%s%s", e->name, e->version, e->url,
               resp.status, *resp.status_text ? " " : "", resp.status_text);
    else if (e->size >= 0 && (int64_t)resp.body_len != e->size)
        report(p, e->url, "task %s %s: the zip %s is %zu bytes, the index says %lld; refused",
               e->name, e->version, e->url, resp.body_len, (long long)e->size);
    else if (*e->sha256 && strcmp(hex, e->sha256) != 0)
        report(p, e->url,
               "task %s %s: sha256 mismatch for %s: the index says %s, the download is %s; "
               "refused",
               e->name, e->version, e->url, e->sha256, hex);
    else if (write_file(path, resp.body, resp.body_len) != 0)
        report(p, e->url, "task %s %s: cannot keep the zip in %s: %s", e->name, e->version, path,
               strerror(errno));
    else {
        rt_log(RATCHET_LOG_INFO, "registry %s: downloaded %s %s (%zu bytes)", p->spec->name,
               e->name, e->version, resp.body_len);
        rc = 0;
    }
    rt_fetch_response_clear(&resp);
    return rc;
}

static void on_bad_entry(void *data, const char *message)
{
    pull *p = data;
    report(p, NULL, "index %s: %s", p->spec->uri, message);
}

/* ---- one pull ---------------------------------------------------------------------------- */

static void pull_entries(pull *p, const char *text, size_t len)
{
    rt_reg_index ix;
    rt_error err;
    if (rt_reg_index_parse(text, len, p->spec->uri, &ix, on_bad_entry, p, &err) != RATCHET_OK) {
        report(p, NULL, "the cached index is unreadable (%s); it is fetched again next time",
               err.msg);
        return;
    }
    for (size_t i = 0; i < ix.ntasks && !cancelled(p); i++) {
        const rt_reg_entry *e = &ix.tasks[i];
        char path[4400];
        zip_path(p, e, path, sizeof path);
        if (!cached_zip(path, e)) {
            if (!p->online) {
                rt_log(RATCHET_LOG_DEBUG, "registry %s: %s %s is not downloaded yet", p->spec->name,
                       e->name, e->version);
                continue;
            }
            if (download_zip(p, e, path) != 0)
                continue;
        }
        if (add_item(&p->out->items, &p->out->nitems, path, e) != 0)
            report(p, e->url, "task %s %s: out of memory", e->name, e->version);
    }
    rt_reg_index_free(&ix);
}

void rt_registry_pull(const rt_app *app, const rt_source_spec *spec, int online, const int *cancel,
                      rt_reg_problem_fn problem, void *data, rt_reg_pull *out)
{
    memset(out, 0, sizeof *out);
    pull p = {spec, cancel, online, problem, data, out, NULL, NULL, NULL, NULL, ""};
    char *root = rt_registry_cache_root(app);
    ratchet_buf dir = RATCHET_BUF_INIT;
    rt_buf_printf(&dir, "%s/%s", root ? root : ".", spec->name);
    free(root);
    p.dir = dir.data;
    char zips[4200];
    snprintf(zips, sizeof zips, "%s/zips", p.dir ? p.dir : ".");
    if (!p.dir || rt_make_dirs(zips) != 0) {
        report(&p, NULL, "cannot create the cache folder %s: %s", zips, strerror(errno));
        rt_buf_free(&dir);
        return;
    }
    if (spec->token_env && online && !(p.token = getenv(spec->token_env)))
        report(&p, NULL,
               "auth.token_env names %s, which is not set in the environment; fetching "
               "without credentials",
               spec->token_env);
    size_t len = 0;
    char *etag = NULL, *last_modified = NULL;
    char *text = cache_read(&p, &len, &etag, &last_modified);
    if (online) {
        text = fetch_index(&p, text, len, etag, last_modified, &len);
        if (out->stale)
            p.online = 0; /* the server is failing: use the zips already here, fetch no more */
    }
    if (text)
        pull_entries(&p, text, len);
    free(text);
    free(etag);
    free(last_modified);
    rt_fetcher_free(p.index_f);
    rt_fetcher_free(p.zip_f);
    rt_buf_free(&dir);
}

static void free_items(rt_reg_item *items, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(items[i].zip);
        free(items[i].url);
        free(items[i].name);
        free(items[i].version);
    }
    free(items);
}

void rt_reg_pull_free(rt_reg_pull *p)
{
    free_items(p->items, p->nitems);
    free_items(p->removed, p->nremoved);
    memset(p, 0, sizeof *p);
}
