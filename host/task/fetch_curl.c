/* host/task/fetch_curl.c - live requests with libcurl: one easy handle per fetcher (so connections
 * are reused within an execution), http/https only (redirects too), TLS verification on,
 * bounded time, redirects, header and body sizes. */
#include "fetch_internal.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

/*
 * libcurl is loaded on the first live request, not linked: it and the ~30 libraries it pulls
 * in (TLS, Kerberos, LDAP, ...) cost about 3.5 ms at every process start, while most runs of
 * `ratchet` (tests with mocks, replays, workers) never make a live request. The calls below go
 * through this table; the names stay those of libcurl's API.
 */
static struct {
    CURLcode (*global_init)(long flags);
    CURL *(*easy_init)(void);
    CURLcode (*easy_setopt)(CURL *h, CURLoption opt, ...);
    CURLcode (*easy_perform)(CURL *h);
    CURLcode (*easy_getinfo)(CURL *h, CURLINFO info, ...);
    void (*easy_reset)(CURL *h);
    void (*easy_cleanup)(CURL *h);
    const char *(*easy_strerror)(CURLcode rc);
    struct curl_slist *(*slist_append)(struct curl_slist *list, const char *s);
    void (*slist_free_all)(struct curl_slist *list);
} lc;
#undef curl_easy_setopt
#undef curl_easy_getinfo
#define curl_easy_init      lc.easy_init
#define curl_easy_setopt    lc.easy_setopt
#define curl_easy_perform   lc.easy_perform
#define curl_easy_getinfo   lc.easy_getinfo
#define curl_easy_reset     lc.easy_reset
#define curl_easy_cleanup   lc.easy_cleanup
#define curl_slist_append   lc.slist_append
#define curl_slist_free_all lc.slist_free_all

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static char curl_load_error[512];

/* Resolve one symbol into a table slot (object-to-function pointer copy, as POSIX allows). */
static int bind_symbol(void *lib, const char *name, void *slot, size_t size)
{
    void *sym = dlsym(lib, name);
    if (sym)
        memcpy(slot, &sym, size);
    else
        snprintf(curl_load_error, sizeof curl_load_error, "libcurl lacks %s", name);
    return sym != NULL;
}

#define BIND(lib, field, name) bind_symbol(lib, name, &lc.field, sizeof lc.field)

static void curl_load(void)
{
    void *lib = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        const char *e = dlerror();
        snprintf(curl_load_error, sizeof curl_load_error,
                 "cannot load libcurl.so.4 (%s); install libcurl4", e ? e : "?");
        return;
    }
    int ok = BIND(lib, global_init, "curl_global_init") && BIND(lib, easy_init, "curl_easy_init") &&
             BIND(lib, easy_setopt, "curl_easy_setopt") &&
             BIND(lib, easy_perform, "curl_easy_perform") &&
             BIND(lib, easy_getinfo, "curl_easy_getinfo") &&
             BIND(lib, easy_reset, "curl_easy_reset") &&
             BIND(lib, easy_cleanup, "curl_easy_cleanup") &&
             BIND(lib, easy_strerror, "curl_easy_strerror") &&
             BIND(lib, slist_append, "curl_slist_append") &&
             BIND(lib, slist_free_all, "curl_slist_free_all");
    if (!ok)
        return;
    CURLcode rc = lc.global_init(CURL_GLOBAL_DEFAULT);
    if (rc != CURLE_OK)
        snprintf(curl_load_error, sizeof curl_load_error, "libcurl could not start: %s",
                 lc.easy_strerror(rc));
}

static const char *curl_error_text(CURLcode rc)
{
    return lc.easy_strerror ? lc.easy_strerror(rc) : "libcurl is not loaded";
}
#define curl_easy_strerror curl_error_text

/* The state of one transfer, shared with the callbacks. */
typedef struct xfer {
    rt_fetch_response *resp;
    ratchet_buf body;
    size_t max_body;
    size_t header_bytes;
    int body_too_big;
    int headers_too_big;
    int oom;
} xfer;

static size_t on_body(char *data, size_t size, size_t nmemb, void *userdata)
{
    xfer *x = userdata;
    size_t n = size * nmemb;
    if (n > x->max_body - x->body.len) {
        x->body_too_big = 1;
        return 0; /* abort the transfer: CURLE_WRITE_ERROR */
    }
    if (rt_buf_append(&x->body, data, n) != RATCHET_OK) {
        x->oom = 1;
        return 0;
    }
    return n;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t';
}

/* A status line starts a new response (a redirect, a 100 Continue, a proxy's CONNECT answer):
 * forget the headers seen so far and keep the reason phrase and version. */
static ratchet_status status_line(xfer *x, const char *line, size_t len)
{
    rt_fetch_response *r = x->resp;
    rt_fetch_headers_clear(&r->headers);
    free(r->status_text);
    free(r->http_version);
    r->status_text = r->http_version = NULL;
    size_t v = 0;
    while (v < len && !is_space(line[v]))
        v++;
    size_t p = v;
    while (p < len && is_space(line[p]))
        p++;
    while (p < len && !is_space(line[p])) /* the status code: CURLINFO_RESPONSE_CODE has it */
        p++;
    while (p < len && is_space(line[p]))
        p++;
    size_t end = len;
    while (end > p && is_space(line[end - 1]))
        end--;
    r->http_version = malloc(v + 1);
    if (r->http_version) {
        memcpy(r->http_version, line, v);
        r->http_version[v] = '\0';
    }
    if (end > p) { /* HTTP/2 and later have no reason phrase: rt_fetch_response_complete */
        r->status_text = malloc(end - p + 1);
        if (r->status_text) {
            memcpy(r->status_text, line + p, end - p);
            r->status_text[end - p] = '\0';
        }
    }
    return r->http_version && (end <= p || r->status_text) ? RATCHET_OK : RATCHET_NOMEM;
}

/* A folded continuation line (obsolete, still legal to receive) joins the previous value. */
static ratchet_status continuation(rt_fetch_headers *h, const char *line, size_t len)
{
    if (!h->count)
        return RATCHET_OK;
    size_t s = 0;
    while (s < len && is_space(line[s]))
        s++;
    char **value = &h->items[h->count - 1].value;
    size_t old = strlen(*value);
    char *grown = realloc(*value, old + 1 + (len - s) + 1);
    if (!grown)
        return RATCHET_NOMEM;
    grown[old] = ' ';
    memcpy(grown + old + 1, line + s, len - s);
    grown[old + 1 + len - s] = '\0';
    *value = grown;
    return RATCHET_OK;
}

static size_t on_header(char *data, size_t size, size_t nitems, void *userdata)
{
    xfer *x = userdata;
    size_t n = size * nitems, len = n;
    x->header_bytes += n;
    if (x->header_bytes > RT_FETCH_MAX_HEADER_BYTES ||
        x->resp->headers.count >= RT_FETCH_MAX_HEADERS) {
        x->headers_too_big = 1;
        return 0;
    }
    while (len && (data[len - 1] == '\n' || data[len - 1] == '\r'))
        len--;
    ratchet_status rc = RATCHET_OK;
    if (len >= 5 && !memcmp(data, "HTTP/", 5)) {
        rc = status_line(x, data, len);
    } else if (len && is_space(data[0])) {
        rc = continuation(&x->resp->headers, data, len);
    } else if (len) {
        const char *colon = memchr(data, ':', len);
        if (colon) {
            size_t name_len = (size_t)(colon - data), v = name_len + 1;
            while (name_len && is_space(data[name_len - 1]))
                name_len--;
            while (v < len && is_space(data[v]))
                v++;
            if (name_len)
                rc = rt_fetch_headers_add(&x->resp->headers, data, name_len, data + v, len - v);
        }
    }
    if (rc != RATCHET_OK) {
        x->oom = 1;
        return 0;
    }
    return n;
}

/* The script's headers, plus what stops libcurl adding its own defaults. */
static ratchet_status header_list(const rt_fetch_request *req, struct curl_slist **out)
{
    struct curl_slist *list = NULL;
    ratchet_buf line = RATCHET_BUF_INIT;
    ratchet_status rc = RATCHET_OK;
    for (size_t i = 0; i < req->headers.count && rc == RATCHET_OK; i++) {
        const rt_fetch_header *h = &req->headers.items[i];
        line.len = 0;
        /* "Name;" is libcurl's way to send a header with an empty value. */
        rc = *h->value ? rt_buf_printf(&line, "%s: %s", h->name, h->value)
                       : rt_buf_printf(&line, "%s;", h->name);
        struct curl_slist *grown = rc == RATCHET_OK ? curl_slist_append(list, line.data) : NULL;
        if (!grown)
            rc = RATCHET_NOMEM;
        else
            list = grown;
    }
    /* No "Expect: 100-continue" round trip; no form Content-Type for an empty POST body. */
    const char *extra[] = {
        "Expect:", rt_fetch_headers_get(&req->headers, "Content-Type") ? NULL : "Content-Type:"};
    for (size_t i = 0; i < 2 && rc == RATCHET_OK; i++) {
        if (!extra[i])
            continue;
        struct curl_slist *grown = curl_slist_append(list, extra[i]);
        if (!grown)
            rc = RATCHET_NOMEM;
        else
            list = grown;
    }
    rt_buf_free(&line);
    if (rc != RATCHET_OK) {
        curl_slist_free_all(list);
        list = NULL;
    }
    *out = list;
    return rc;
}

/* libcurl calls this about once a second, and more often while data flows. */
static int on_progress(void *data, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                       curl_off_t ulnow)
{
    (void)dltotal;
    (void)dlnow;
    (void)ultotal;
    (void)ulnow;
    return __atomic_load_n((const int *)data, __ATOMIC_ACQUIRE) ? 1 : 0; /* 1: abort */
}

static int setup(CURL *h, const rt_fetcher *f, const rt_fetch_request *req,
                 struct curl_slist *headers, xfer *x, char *errbuf)
{
    int bad = 0;
    bad |= curl_easy_setopt(h, CURLOPT_URL, req->url) != CURLE_OK;
    bad |= curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L) != CURLE_OK;
    bad |= curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf) != CURLE_OK;
#if LIBCURL_VERSION_NUM >= 0x075500
    bad |= curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https") != CURLE_OK;
    bad |= curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https") != CURLE_OK;
#else
    bad |= curl_easy_setopt(h, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS)) !=
           CURLE_OK;
    bad |= curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS)) !=
           CURLE_OK;
#endif
    bad |=
        curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, f->cfg.max_redirects > 0 ? 1L : 0L) != CURLE_OK;
    bad |= curl_easy_setopt(h, CURLOPT_MAXREDIRS, f->cfg.max_redirects) != CURLE_OK;
    bad |= curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)f->cfg.timeout_ms) != CURLE_OK;
    bad |= curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, f->cfg.verify_tls ? 1L : 0L) != CURLE_OK;
    bad |= curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, f->cfg.verify_tls ? 2L : 0L) != CURLE_OK;
    bad |= curl_easy_setopt(h, CURLOPT_USERAGENT, f->user_agent) != CURLE_OK;
    bad |= curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)f->cfg.max_response_bytes) !=
           CURLE_OK;
    bad |= curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers) != CURLE_OK;
    bad |= curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body) != CURLE_OK;
    bad |= curl_easy_setopt(h, CURLOPT_WRITEDATA, x) != CURLE_OK;
    bad |= curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header) != CURLE_OK;
    bad |= curl_easy_setopt(h, CURLOPT_HEADERDATA, x) != CURLE_OK;
    if (f->cfg.cancel) {
        bad |= curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress) != CURLE_OK;
        bad |= curl_easy_setopt(h, CURLOPT_XFERINFODATA, f->cfg.cancel) != CURLE_OK;
        bad |= curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L) != CURLE_OK;
    }

    const char *m = req->method;
    int sends = req->body || !strcmp(m, "POST") || !strcmp(m, "PUT") || !strcmp(m, "PATCH");
    if (!strcmp(m, "HEAD"))
        bad |= curl_easy_setopt(h, CURLOPT_NOBODY, 1L) != CURLE_OK;
    else if (!strcmp(m, "POST"))
        bad |= curl_easy_setopt(h, CURLOPT_POST, 1L) != CURLE_OK;
    else if (strcmp(m, "GET") != 0 || req->body)
        bad |= curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, m) != CURLE_OK;
    if (sends && strcmp(m, "HEAD") != 0) {
        /* The size first: the body may contain NUL bytes. An empty body still gets a
         * Content-Length: 0 for the methods that carry one. */
        bad |=
            curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len) != CURLE_OK;
        bad |= curl_easy_setopt(h, CURLOPT_POSTFIELDS, req->body ? req->body : "") != CURLE_OK;
    }
    return bad;
}

/* A failed transfer as the script's error. */
static ratchet_status transfer_fault(CURL *h, const rt_fetcher *f, const rt_fetch_request *req,
                                     CURLcode rc, const xfer *x, const char *errbuf,
                                     rt_fetch_fault *fault)
{
    if (x->oom || rc == CURLE_OUT_OF_MEMORY)
        return RATCHET_NOMEM;
    if (x->body_too_big || rc == CURLE_FILESIZE_EXCEEDED)
        return rt_fetch_fail(fault, "NetworkError",
                             "response from %.2000s exceeds the limit of %zu bytes", req->url,
                             f->cfg.max_response_bytes);
    if (x->headers_too_big)
        return rt_fetch_fail(fault, "NetworkError",
                             "response headers from %.2000s exceed the limit of %zu bytes or %d "
                             "lines",
                             req->url, RT_FETCH_MAX_HEADER_BYTES, RT_FETCH_MAX_HEADERS);
    if (rc == CURLE_ABORTED_BY_CALLBACK)
        return rt_fetch_fail(fault, "AbortError", "fetch %s %.2000s: abandoned (shutting down)",
                             req->method, req->url);
    if (rc == CURLE_OPERATION_TIMEDOUT)
        return rt_fetch_fail(fault, "TimeoutError", "fetch timed out after %lld ms: %.2000s",
                             (long long)f->cfg.timeout_ms, req->url);
    if (rc == CURLE_TOO_MANY_REDIRECTS)
        return rt_fetch_fail(fault, "NetworkError",
                             "too many redirects from %.2000s (the limit is %ld)", req->url,
                             f->cfg.max_redirects);
    char *where = NULL;
    if (rc == CURLE_UNSUPPORTED_PROTOCOL &&
        curl_easy_getinfo(h, CURLINFO_EFFECTIVE_URL, &where) == CURLE_OK && where &&
        strcmp(where, req->url) != 0)
        return rt_fetch_fail(fault, "NetworkError",
                             "fetch %s %.2000s failed: redirected to %.2000s, which is not http "
                             "or https",
                             req->method, req->url, where);
    return rt_fetch_fail(fault, "NetworkError", "fetch %s %.2000s failed: %s", req->method,
                         req->url, *errbuf ? errbuf : curl_easy_strerror(rc));
}

ratchet_status rt_fetch_live(rt_fetcher *f, const rt_fetch_request *req, rt_fetch_response *resp,
                             rt_fetch_fault *fault)
{
    pthread_once(&curl_once, curl_load);
    if (*curl_load_error)
        return rt_fetch_fail(fault, "NetworkError", "fetch: %s", curl_load_error);
    if (!f->curl && !(f->curl = curl_easy_init()))
        return RATCHET_NOMEM;
    CURL *h = f->curl;
    curl_easy_reset(h); /* keeps the connection cache */

    struct curl_slist *headers = NULL;
    if (header_list(req, &headers) != RATCHET_OK)
        return RATCHET_NOMEM;
    char errbuf[CURL_ERROR_SIZE] = "";
    xfer x;
    memset(&x, 0, sizeof x);
    x.resp = resp;
    x.max_body = f->cfg.max_response_bytes;

    ratchet_status result;
    if (setup(h, f, req, headers, &x, errbuf)) {
        result = rt_fetch_fail(fault, "NetworkError", "fetch %s %.2000s: libcurl refused an option",
                               req->method, req->url);
    } else {
        CURLcode rc = curl_easy_perform(h);
        long status = 0;
        if (rc == CURLE_OK)
            curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
        if (rc != CURLE_OK) {
            result = transfer_fault(h, f, req, rc, &x, errbuf, fault);
        } else {
            resp->status = (int)status;
            resp->body = x.body.data ? x.body.data : NULL;
            resp->body_len = x.body.len;
            x.body.data = NULL;
            resp->body_kind = RT_FETCH_BODY_AUTO;
            result = rt_fetch_response_complete(resp);
        }
    }
    /* libcurl keeps pointers to these until the next reset; clear them before freeing. */
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, NULL);
    curl_slist_free_all(headers);
    rt_buf_free(&x.body);
    if (result != RATCHET_OK)
        rt_fetch_response_clear(resp);
    return result;
}

void rt_fetch_live_cleanup(rt_fetcher *f)
{
    if (f->curl) {
        curl_easy_cleanup(f->curl);
        f->curl = NULL;
    }
}
