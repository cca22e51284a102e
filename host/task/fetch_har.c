/* host/task/fetch_har.c - HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/): writing the
 * exchanges a fetcher kept, reading a HAR file back, and answering requests from it. */
#include "fetch_internal.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef RATCHET_VERSION
#define RATCHET_VERSION "0"
#endif

/* ---- text helpers ------------------------------------------------------------------------ */

static int utf8_valid(const char *s, size_t len)
{
    size_t i = 0, used;
    uint32_t cp;
    while (i < len) {
        if ((unsigned char)s[i] < 0x80) {
            i++;
            continue;
        }
        if (!rt_utf8_next(s + i, len - i, &used, &cp))
            return 0;
        i += used;
    }
    return 1;
}

/* A JSON string for s; invalid UTF-8 becomes U+FFFD so the file stays valid JSON. */
static struct json_object *har_string(const char *s, size_t len)
{
    if (len > INT_MAX)
        return NULL;
    if (utf8_valid(s, len))
        return json_object_new_string_len(s, (int)len);
    ratchet_buf b = RATCHET_BUF_INIT;
    size_t i = 0, used;
    uint32_t cp;
    ratchet_status rc = rt_buf_append(&b, "", 0);
    while (i < len && rc == RATCHET_OK) {
        int ok = rt_utf8_next(s + i, len - i, &used, &cp);
        rc = ok ? rt_buf_append(&b, s + i, used) : rt_buf_puts(&b, "\xEF\xBF\xBD");
        i += used;
    }
    struct json_object *o = rc == RATCHET_OK && b.len <= INT_MAX
                                ? json_object_new_string_len(b.data, (int)b.len)
                                : NULL;
    rt_buf_free(&b);
    return o;
}

static struct json_object *har_cstring(const char *s)
{
    return har_string(s, strlen(s));
}

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static struct json_object *base64_string(const unsigned char *s, size_t len)
{
    if (len > (size_t)INT_MAX / 4 * 3 - 3)
        return NULL;
    size_t out_len = (len + 2) / 3 * 4, o = 0;
    char *out = malloc(out_len + 1);
    if (!out)
        return NULL;
    for (size_t i = 0; i < len; i += 3) {
        uint32_t v = (uint32_t)s[i] << 16;
        if (i + 1 < len)
            v |= (uint32_t)s[i + 1] << 8;
        if (i + 2 < len)
            v |= s[i + 2];
        out[o++] = b64[(v >> 18) & 63];
        out[o++] = b64[(v >> 12) & 63];
        out[o++] = i + 1 < len ? b64[(v >> 6) & 63] : '=';
        out[o++] = i + 2 < len ? b64[v & 63] : '=';
    }
    out[o] = '\0';
    struct json_object *str = json_object_new_string_len(out, (int)o);
    free(out);
    return str;
}

/* Decode base64 (whitespace ignored, padding optional). NULL when malformed or out of
 * memory; *oom tells which. */
static char *base64_decode(const char *s, size_t len, size_t *out_len, int *oom)
{
    char *out = malloc(len / 4 * 3 + 4);
    *oom = !out;
    if (!out)
        return NULL;
    uint32_t acc = 0;
    int bits = 0, pad = 0;
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == ' ' || c == '\n' || c == '\r' || c == '\t')
            continue;
        if (c == '=') {
            pad++;
            continue;
        }
        const char *p = c ? strchr(b64, c) : NULL;
        if (!p || pad) {
            free(out);
            return NULL;
        }
        acc = (acc << 6) | (uint32_t)(p - b64);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[o++] = (char)((acc >> bits) & 0xFF);
        }
    }
    if (pad > 2 || bits >= 6) {
        free(out);
        return NULL;
    }
    out[o] = '\0';
    *out_len = o;
    return out;
}

/* ---- writing ----------------------------------------------------------------------------- */

/* Add v to object o (or array when key is NULL); a NULL v (out of memory) sets *bad. */
static void put(struct json_object *o, const char *key, struct json_object *v, int *bad)
{
    int failed = !v || (key ? json_object_object_add(o, key, v) : json_object_array_add(o, v));
    if (failed) {
        json_object_put(v);
        *bad = 1;
    }
}

static struct json_object *ms_value(double ms)
{
    char text[32];
    snprintf(text, sizeof text, "%.3f", ms);
    return json_object_new_double_s(ms, text);
}

static struct json_object *har_headers(const rt_fetch_headers *h, int *bad)
{
    struct json_object *a = json_object_new_array();
    for (size_t i = 0; a && i < h->count; i++) {
        struct json_object *pair = json_object_new_object();
        if (pair) {
            put(pair, "name", har_cstring(h->items[i].name), bad);
            put(pair, "value", har_cstring(h->items[i].value), bad);
        }
        put(a, NULL, pair, bad);
    }
    return a;
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Percent-decoding with '+' as space, as form encoding does; a stray '%' stays as it is. */
static char *url_decode(const char *s, size_t len, size_t *out_len)
{
    char *out = malloc(len + 1);
    size_t o = 0;
    for (size_t i = 0; out && i < len; i++) {
        char c = s[i];
        if (c == '+') {
            c = ' ';
        } else if (c == '%' && i + 2 < len) {
            int hi = hex_digit(s[i + 1]), lo = hex_digit(s[i + 2]);
            if (hi >= 0 && lo >= 0) {
                c = (char)(hi << 4 | lo);
                i += 2;
            }
        }
        out[o++] = c;
    }
    if (out)
        out[o] = '\0';
    *out_len = o;
    return out;
}

static struct json_object *har_query(const char *url, int *bad)
{
    struct json_object *a = json_object_new_array();
    const char *q = strchr(url, '?');
    if (!a || !q)
        return a;
    const char *end = strchr(q, '#');
    if (!end)
        end = q + strlen(q);
    for (const char *p = q + 1; p < end;) {
        const char *amp = memchr(p, '&', (size_t)(end - p));
        if (!amp)
            amp = end;
        if (amp > p) {
            const char *eq = memchr(p, '=', (size_t)(amp - p));
            const char *name_end = eq ? eq : amp;
            size_t nlen, vlen = 0;
            char *name = url_decode(p, (size_t)(name_end - p), &nlen);
            char *value = eq ? url_decode(eq + 1, (size_t)(amp - eq - 1), &vlen) : strdup("");
            struct json_object *pair = json_object_new_object();
            if (pair && name && value) {
                put(pair, "name", har_string(name, nlen), bad);
                put(pair, "value", har_string(value, vlen), bad);
            }
            put(a, NULL, name && value ? pair : NULL, bad);
            if (!name || !value)
                json_object_put(pair);
            free(name);
            free(value);
        }
        p = amp + 1;
    }
    return a;
}

static struct json_object *har_request(const rt_fetch_exchange *x, int *bad)
{
    struct json_object *r = json_object_new_object();
    if (!r)
        return NULL;
    put(r, "method", har_cstring(x->method), bad);
    put(r, "url", har_cstring(x->url), bad);
    put(r, "httpVersion", har_cstring(x->resp.http_version), bad);
    put(r, "cookies", json_object_new_array(), bad);
    put(r, "headers", har_headers(&x->req_headers, bad), bad);
    put(r, "queryString", har_query(x->url, bad), bad);
    if (x->req_body) {
        const char *ctype = rt_fetch_headers_get(&x->req_headers, "Content-Type");
        struct json_object *post = json_object_new_object();
        if (post) {
            put(post, "mimeType", har_cstring(ctype ? ctype : ""), bad);
            put(post, "text", har_string(x->req_body, x->req_body_len), bad);
        }
        put(r, "postData", post, bad);
    }
    put(r, "headersSize", json_object_new_int(-1), bad);
    put(r, "bodySize", json_object_new_int64((int64_t)x->req_body_len), bad);
    return r;
}

static struct json_object *har_response(const rt_fetch_exchange *x, int *bad)
{
    const rt_fetch_response *resp = &x->resp;
    struct json_object *r = json_object_new_object(), *content = json_object_new_object();
    if (!r || !content) {
        json_object_put(r);
        json_object_put(content);
        return NULL;
    }
    const char *ctype = rt_fetch_headers_get(&resp->headers, "Content-Type");
    const char *location = rt_fetch_headers_get(&resp->headers, "Location");
    put(content, "size", json_object_new_int64((int64_t)resp->body_len), bad);
    put(content, "mimeType", har_cstring(ctype ? ctype : "application/octet-stream"), bad);
    if (utf8_valid(resp->body, resp->body_len)) {
        put(content, "text", har_string(resp->body, resp->body_len), bad);
    } else {
        put(content, "text", base64_string((const unsigned char *)resp->body, resp->body_len), bad);
        put(content, "encoding", json_object_new_string("base64"), bad);
    }
    put(r, "status", json_object_new_int(resp->status), bad);
    put(r, "statusText", har_cstring(resp->status_text), bad);
    put(r, "httpVersion", har_cstring(resp->http_version), bad);
    put(r, "cookies", json_object_new_array(), bad);
    put(r, "headers", har_headers(&resp->headers, bad), bad);
    put(r, "content", content, bad);
    put(r, "redirectURL", har_cstring(location ? location : ""), bad);
    put(r, "headersSize", json_object_new_int(-1), bad);
    put(r, "bodySize", json_object_new_int64((int64_t)resp->body_len), bad);
    return r;
}

static struct json_object *har_entry(const rt_fetch_exchange *x, int *bad)
{
    struct json_object *e = json_object_new_object(), *timings = json_object_new_object();
    ratchet_buf when = RATCHET_BUF_INIT;
    if (!e || !timings || rt_buf_time_iso8601(&when, x->started_us) != RATCHET_OK) {
        json_object_put(e);
        json_object_put(timings);
        rt_buf_free(&when);
        return NULL;
    }
    put(e, "startedDateTime", json_object_new_string(when.data), bad);
    put(e, "time", ms_value(x->duration_ms), bad);
    put(e, "request", har_request(x, bad), bad);
    put(e, "response", har_response(x, bad), bad);
    put(e, "cache", json_object_new_object(), bad);
    /* The whole exchange counts as waiting: libcurl's phases are not split out. */
    put(timings, "send", json_object_new_int(0), bad);
    put(timings, "wait", ms_value(x->duration_ms), bad);
    put(timings, "receive", json_object_new_int(0), bad);
    put(e, "timings", timings, bad);
    rt_buf_free(&when);
    return e;
}

static struct json_object *har_document(const rt_fetcher *f, int *bad)
{
    struct json_object *root = json_object_new_object(), *log = json_object_new_object(),
                       *creator = json_object_new_object(), *entries = json_object_new_array();
    if (!root || !log || !creator || !entries) {
        json_object_put(root);
        json_object_put(log);
        json_object_put(creator);
        json_object_put(entries);
        return NULL;
    }
    put(creator, "name", json_object_new_string("Ratchet"), bad);
    put(creator, "version", json_object_new_string(RATCHET_VERSION), bad);
    put(log, "version", json_object_new_string("1.2"), bad);
    put(log, "creator", creator, bad);
    for (size_t i = 0; i < f->nkept && !*bad; i++)
        put(entries, NULL, har_entry(&f->kept[i], bad), bad);
    put(log, "entries", entries, bad);
    put(root, "log", log, bad);
    return root;
}

ratchet_status rt_fetcher_write_har(const rt_fetcher *f, const char *path, rt_error *err)
{
    if (!f || !path)
        return rt_fail(err, "no fetcher or HAR path");
    int bad = 0;
    struct json_object *root = har_document(f, &bad);
    int flags = JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE;
    const char *text = root && !bad ? json_object_to_json_string_ext(root, flags) : NULL;
    if (!text) {
        json_object_put(root);
        return rt_fail(err, "%s: out of memory while building the HAR", path);
    }
    size_t plen = strlen(path);
    char *tmp = malloc(plen + 8);
    if (!tmp) {
        json_object_put(root);
        return rt_fail(err, "%s: out of memory", path);
    }
    memcpy(tmp, path, plen);
    memcpy(tmp + plen, ".XXXXXX", 8);
    ratchet_status rc = RATCHET_OK;
    /* mkstemp gives mode 0600: a recording holds request headers such as Authorization. */
    int fd = mkstemp(tmp);
    FILE *out = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!out) {
        rc = rt_fail(err, "cannot write %s: %s", path, strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlink(tmp);
        }
    } else {
        int werr = fputs(text, out) < 0 || fputc('\n', out) == EOF;
        int saved = errno;
        werr |= fclose(out) != 0;
        if (werr || rename(tmp, path) != 0) {
            rc = rt_fail(err, "cannot write %s: %s", path, strerror(werr ? saved : errno));
            unlink(tmp);
        }
    }
    free(tmp);
    json_object_put(root);
    return rc;
}

/* ---- reading ----------------------------------------------------------------------------- */

void rt_fetch_replay_clear(rt_fetch_replay *r)
{
    for (size_t i = 0; i < r->count; i++)
        rt_fetch_exchange_clear(&r->items[i]);
    free(r->items);
    r->items = NULL;
    r->count = 0;
}

static ratchet_status read_file(const char *path, char **data, size_t *len, rt_error *err)
{
    FILE *in = fopen(path, "rb");
    if (!in)
        return rt_fail(err, "cannot read %s: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fileno(in), &st) != 0 || !S_ISREG(st.st_mode)) {
        fclose(in);
        return rt_fail(err, "cannot read %s: not a regular file", path);
    }
    if ((long long)st.st_size > RT_FETCH_MAX_HAR_BYTES) {
        fclose(in);
        return rt_fail(err, "%s is larger than the limit of %lld bytes", path,
                       RT_FETCH_MAX_HAR_BYTES);
    }
    size_t size = (size_t)st.st_size;
    *data = malloc(size + 1);
    if (!*data) {
        fclose(in);
        return rt_fail(err, "%s: out of memory", path);
    }
    *len = fread(*data, 1, size, in);
    int failed = ferror(in);
    fclose(in);
    if (failed) {
        free(*data);
        *data = NULL;
        return rt_fail(err, "cannot read %s", path);
    }
    (*data)[*len] = '\0';
    return RATCHET_OK;
}

/* The optional string member `key` of o: RATCHET_OK with *out NULL when absent. */
static ratchet_status opt_string(struct json_object *o, const char *key, const char **out,
                                 size_t *len)
{
    struct json_object *v = NULL;
    *out = NULL;
    if (!json_object_object_get_ex(o, key, &v) || !v)
        return RATCHET_OK;
    if (!json_object_is_type(v, json_type_string))
        return RATCHET_ERR;
    *out = json_object_get_string(v);
    if (len)
        *len = (size_t)json_object_get_string_len(v);
    return RATCHET_OK;
}

static ratchet_status load_headers(struct json_object *resp, rt_fetch_headers *h, const char *where,
                                   rt_error *err)
{
    struct json_object *a = NULL;
    if (!json_object_object_get_ex(resp, "headers", &a) || !a)
        return RATCHET_OK;
    if (!json_object_is_type(a, json_type_array))
        return rt_fail(err, "%s.response.headers must be an array", where);
    for (size_t i = 0; i < json_object_array_length(a); i++) {
        struct json_object *pair = json_object_array_get_idx(a, i);
        const char *name = NULL, *value = NULL;
        size_t vlen = 0;
        if (!json_object_is_type(pair, json_type_object) || opt_string(pair, "name", &name, NULL) ||
            opt_string(pair, "value", &value, &vlen) || !name || !value)
            return rt_fail(err, "%s.response.headers[%zu] must be {name, value} with strings",
                           where, i);
        if (rt_fetch_headers_add(h, name, strlen(name), value, vlen) != RATCHET_OK)
            return rt_fail(err, "out of memory");
    }
    return RATCHET_OK;
}

static ratchet_status load_content(struct json_object *resp, rt_fetch_response *r,
                                   const char *where, rt_error *err)
{
    struct json_object *content = NULL;
    const char *text = NULL, *encoding = NULL;
    size_t len = 0;
    if (json_object_object_get_ex(resp, "content", &content) && content) {
        if (!json_object_is_type(content, json_type_object) ||
            opt_string(content, "text", &text, &len) ||
            opt_string(content, "encoding", &encoding, NULL))
            return rt_fail(err, "%s.response.content must be {text?, encoding?} with strings",
                           where);
    }
    if (encoding && strcmp(encoding, "base64") != 0)
        return rt_fail(err, "%s.response.content.encoding '%s' is not supported (only base64)",
                       where, encoding);
    if (text && encoding) {
        int oom;
        r->body = base64_decode(text, len, &r->body_len, &oom);
        if (!r->body)
            return oom ? rt_fail(err, "out of memory")
                       : rt_fail(err, "%s.response.content.text is not valid base64", where);
    } else if (text) {
        r->body = malloc(len + 1);
        if (!r->body)
            return rt_fail(err, "out of memory");
        memcpy(r->body, text, len);
        r->body[len] = '\0';
        r->body_len = len;
    }
    return RATCHET_OK;
}

/* One entry; RATCHET_NOTFOUND for an entry without a response (status 0, as browsers write
 * for cancelled requests), which is skipped. */
static ratchet_status load_entry(struct json_object *e, rt_fetch_exchange *x, const char *where,
                                 rt_error *err)
{
    struct json_object *req = NULL, *resp = NULL, *status = NULL;
    const char *method = NULL, *url = NULL, *text = NULL, *version = NULL;
    if (!json_object_is_type(e, json_type_object))
        return rt_fail(err, "%s must be an object", where);
    if (!json_object_object_get_ex(e, "request", &req) ||
        !json_object_is_type(req, json_type_object) || opt_string(req, "method", &method, NULL) ||
        opt_string(req, "url", &url, NULL) || !method || !url)
        return rt_fail(err, "%s.request must have a method and a url (strings)", where);
    if (!json_object_object_get_ex(e, "response", &resp) ||
        !json_object_is_type(resp, json_type_object))
        return rt_fail(err, "%s.response is missing", where);
    int64_t code = -1;
    if (json_object_object_get_ex(resp, "status", &status) &&
        json_object_is_type(status, json_type_int))
        code = json_object_get_int64(status);
    if (code == 0)
        return RATCHET_NOTFOUND;
    if (code < 100 || code > 599)
        return rt_fail(err, "%s.response.status must be an integer between 100 and 599", where);
    if (opt_string(resp, "statusText", &text, NULL) ||
        opt_string(resp, "httpVersion", &version, NULL))
        return rt_fail(err, "%s.response.statusText and httpVersion must be strings", where);
    x->method = strdup(method);
    x->url = strdup(url);
    x->resp.status = (int)code;
    x->resp.status_text = text && *text ? strdup(text) : NULL;
    x->resp.http_version = version && *version ? strdup(version) : NULL;
    if (!x->method || !x->url || (text && *text && !x->resp.status_text) ||
        (version && *version && !x->resp.http_version))
        return rt_fail(err, "out of memory");
    for (char *p = x->method; *p; p++)
        if (*p >= 'a' && *p <= 'z')
            *p = (char)(*p - 'a' + 'A');
    if (load_headers(resp, &x->resp.headers, where, err) != RATCHET_OK ||
        load_content(resp, &x->resp, where, err) != RATCHET_OK)
        return RATCHET_ERR;
    x->resp.body_kind = RT_FETCH_BODY_AUTO;
    return rt_fetch_response_complete(&x->resp) == RATCHET_OK ? RATCHET_OK
                                                              : rt_fail(err, "out of memory");
}

static ratchet_status load_entries(struct json_object *root, rt_fetch_replay *out, const char *path,
                                   rt_error *err)
{
    struct json_object *log = NULL, *entries = NULL;
    if (!json_object_is_type(root, json_type_object) ||
        !json_object_object_get_ex(root, "log", &log) ||
        !json_object_object_get_ex(log, "entries", &entries) ||
        !json_object_is_type(entries, json_type_array))
        return rt_fail(err, "%s: no log.entries array (not a HAR file?)", path);
    size_t n = json_object_array_length(entries);
    if (n > RT_FETCH_MAX_HAR_ENTRIES)
        return rt_fail(err, "%s: %zu entries; at most %d are allowed", path, n,
                       RT_FETCH_MAX_HAR_ENTRIES);
    out->items = calloc(n ? n : 1, sizeof *out->items);
    if (!out->items)
        return rt_fail(err, "%s: out of memory", path);
    for (size_t i = 0; i < n; i++) {
        char where[64];
        snprintf(where, sizeof where, "log.entries[%zu]", i);
        rt_fetch_exchange *x = &out->items[out->count];
        ratchet_status rc = load_entry(json_object_array_get_idx(entries, i), x, where, err);
        if (rc == RATCHET_OK) {
            out->count++;
            continue;
        }
        rt_fetch_exchange_clear(x);
        if (rc != RATCHET_NOTFOUND) {
            char detail[sizeof err->msg];
            snprintf(detail, sizeof detail, "%s", err ? err->msg : "");
            return rt_fail(err, "%s: %s", path, detail);
        }
    }
    return RATCHET_OK;
}

ratchet_status rt_fetch_har_load(const char *path, rt_fetch_replay *out, rt_error *err)
{
    char *data = NULL;
    size_t len = 0;
    out->items = NULL;
    out->count = 0;
    if (read_file(path, &data, &len, err) != RATCHET_OK || !data)
        return RATCHET_ERR;
    struct json_tokener *tok = json_tokener_new_ex(64);
    if (!tok) {
        free(data);
        return rt_fail(err, "%s: out of memory", path);
    }
    struct json_object *root = json_tokener_parse_ex(tok, data, (int)len);
    enum json_tokener_error jerr = json_tokener_get_error(tok);
    size_t end = json_tokener_get_parse_end(tok);
    json_tokener_free(tok);
    free(data);
    if (jerr != json_tokener_success) {
        json_object_put(root);
        return rt_fail(err, "%s: not valid JSON: %s at byte offset %zu", path,
                       jerr == json_tokener_continue ? "unexpected end of file"
                                                     : json_tokener_error_desc(jerr),
                       end);
    }
    ratchet_status rc = load_entries(root, out, path, err);
    json_object_put(root);
    if (rc != RATCHET_OK)
        rt_fetch_replay_clear(out);
    return rc;
}

/* ---- replay ------------------------------------------------------------------------------ */

ratchet_status rt_fetch_replay_answer(rt_fetch_replay *replay, const rt_fetch_request *req,
                                      rt_fetch_response *resp, rt_fetch_fault *fault)
{
    rt_fetch_exchange *hit = NULL, *last = NULL;
    for (size_t i = 0; i < replay->count && !hit; i++) {
        rt_fetch_exchange *x = &replay->items[i];
        if (strcmp(x->method, req->method) != 0 || strcmp(x->url, req->url) != 0)
            continue;
        if (!x->used)
            hit = x;
        last = x;
    }
    if (!hit)
        hit = last; /* repeated more often than recorded: the last answer again */
    if (!hit)
        return rt_fetch_fail(fault, "NetworkError", "not in the recording: %s %.2000s", req->method,
                             req->url);
    hit->used = 1;
    return rt_fetch_response_copy(resp, &hit->resp) == RATCHET_OK ? RATCHET_OK : RATCHET_NOMEM;
}
