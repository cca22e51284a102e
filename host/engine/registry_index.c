/* host/engine/registry_index.c - reading a registry's index.json (see registry_index.h). */
#include "registry_index.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

/* ---- URLs ------------------------------------------------------------------------------------ */

/* Length of "scheme:" at the start of s (with the colon), 0 when s has no scheme. */
static size_t scheme_len(const char *s)
{
    if (!isalpha((unsigned char)s[0]))
        return 0;
    size_t i = 1;
    while (isalnum((unsigned char)s[i]) || s[i] == '+' || s[i] == '-' || s[i] == '.')
        i++;
    return s[i] == ':' ? i + 1 : 0;
}

static int is_http(const char *s)
{
    return strncasecmp(s, "http://", 7) == 0 || strncasecmp(s, "https://", 8) == 0;
}

/* End of the authority of an absolute URL: "http://host:1/p" -> the '/' before p. */
static const char *authority_end(const char *url)
{
    const char *a = strstr(url, "//");
    a = a ? a + 2 : url;
    return a + strcspn(a, "/?#");
}

/* RFC 3986 5.2.4 on `path` (the part before any '?' or '#'), appended to out. */
static void remove_dots(const char *path, size_t len, ratchet_buf *out)
{
    size_t base = out->len;
    size_t i = 0;
    while (i < len) {
        size_t seg_end = i + 1;
        while (seg_end < len && path[seg_end] != '/')
            seg_end++;
        /* path[i] is '/' (paths here are absolute); the segment is path[i+1 .. seg_end). */
        size_t sl = seg_end - i - 1;
        const char *seg = path + i + 1;
        int last = seg_end >= len;
        if (sl == 1 && seg[0] == '.') {
            if (last)
                rt_buf_append(out, "/", 1);
        } else if (sl == 2 && seg[0] == '.' && seg[1] == '.') {
            while (out->len > base && out->data[out->len - 1] != '/')
                out->len--;
            if (out->len > base)
                out->len--; /* the '/' before the removed segment */
            if (last)
                rt_buf_append(out, "/", 1);
            else if (out->data)
                out->data[out->len] = '\0';
        } else {
            rt_buf_append(out, path + i, seg_end - i);
        }
        i = seg_end;
    }
    if (out->len == base)
        rt_buf_append(out, "/", 1);
}

/* Append ref's path (resolved with dots removed) and then its query and fragment. */
static void append_path(ratchet_buf *out, const char *path)
{
    size_t plen = strcspn(path, "?#");
    remove_dots(path, plen, out);
    rt_buf_puts(out, path + plen);
}

char *rt_reg_url_resolve(const char *base, const char *ref, rt_error *err)
{
    for (const char *p = ref; *p; p++)
        if ((unsigned char)*p <= ' ' || *p == 0x7f) {
            rt_fail(err, "'%.200s' is not a URL (it holds a space or control character)", ref);
            return NULL;
        }
    if (!*ref) {
        rt_fail(err, "the URL is empty");
        return NULL;
    }
    ratchet_buf out = RATCHET_BUF_INIT;
    size_t sl = scheme_len(ref);
    if (sl) {
        if (!is_http(ref)) {
            rt_fail(err, "'%.200s' is not an http or https URL", ref);
            return NULL;
        }
        const char *auth_end = authority_end(ref);
        rt_buf_append(&out, ref, (size_t)(auth_end - ref));
        if (*auth_end == '/')
            append_path(&out, auth_end);
        else
            rt_buf_puts(&out, auth_end);
    } else if (ref[0] == '/' && ref[1] == '/') {
        rt_buf_append(&out, base, scheme_len(base));
        const char *auth_end = authority_end(ref);
        rt_buf_append(&out, ref, (size_t)(auth_end - ref));
        if (*auth_end == '/')
            append_path(&out, auth_end);
        else
            rt_buf_puts(&out, auth_end);
    } else {
        const char *auth_end = authority_end(base);
        rt_buf_append(&out, base, (size_t)(auth_end - base));
        if (ref[0] == '/') {
            append_path(&out, ref);
        } else {
            /* The base's path up to its last '/', then ref. */
            size_t plen = strcspn(auth_end, "?#");
            ratchet_buf merged = RATCHET_BUF_INIT;
            if (ref[0] == '?' || ref[0] == '#') {
                rt_buf_append(&merged, auth_end, ref[0] == '#' ? strcspn(auth_end, "#") : plen);
            } else {
                size_t dir = plen;
                while (dir > 0 && auth_end[dir - 1] != '/')
                    dir--;
                if (dir == 0)
                    rt_buf_puts(&merged, "/");
                else
                    rt_buf_append(&merged, auth_end, dir);
            }
            rt_buf_puts(&merged, ref);
            append_path(&out, merged.data ? merged.data : "/");
            rt_buf_free(&merged);
        }
    }
    if (!out.data || !is_http(out.data)) {
        rt_fail(err, out.data ? "'%.200s' is not an http or https URL" : "out of memory", ref);
        rt_buf_free(&out);
        return NULL;
    }
    return out.data;
}

int rt_reg_same_origin(const char *a, const char *b)
{
    const char *ea = authority_end(a), *eb = authority_end(b);
    return ea - a == eb - b && strncasecmp(a, b, (size_t)(ea - a)) == 0;
}

/* ---- names --------------------------------------------------------------------------------- */

int rt_reg_valid_name(const char *s)
{
    size_t n = strlen(s);
    return n > 0 && n <= 128 &&
           strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-") == n;
}

int rt_reg_valid_version(const char *s)
{
    size_t n = strlen(s);
    return n > 0 && n <= 64 &&
           strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._+~-") == n;
}

/* ---- the index ----------------------------------------------------------------------------- */

static void entry_free(rt_reg_entry *e)
{
    free(e->name);
    free(e->version);
    free(e->description);
    free(e->url);
}

void rt_reg_index_free(rt_reg_index *ix)
{
    for (size_t i = 0; i < ix->ntasks; i++)
        entry_free(&ix->tasks[i]);
    free(ix->tasks);
    ix->tasks = NULL;
    ix->ntasks = 0;
}

/* A short rendering of a JSON value for messages. */
static const char *shown(struct json_object *v)
{
    return v ? json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN) : "null";
}

/* Member `key` of entry i as a string; 0 with `problem` filled when it is not one. */
static int string_member(struct json_object *e, size_t i, const char *key, int required,
                         const char **out, char *problem, size_t plen)
{
    struct json_object *v = NULL;
    *out = NULL;
    if (!json_object_object_get_ex(e, key, &v) || !v) {
        if (required)
            snprintf(problem, plen, "tasks[%zu].%s: missing (a string is required)", i, key);
        return !required;
    }
    if (!json_object_is_type(v, json_type_string)) {
        snprintf(problem, plen, "tasks[%zu].%s: expected a string, got %.60s", i, key, shown(v));
        return 0;
    }
    *out = json_object_get_string(v);
    return 1;
}

static int parse_sha(struct json_object *e, size_t i, rt_reg_entry *out, char *problem, size_t plen)
{
    const char *sha;
    if (!string_member(e, i, "sha256", 0, &sha, problem, plen))
        return 0;
    if (!sha)
        return 1;
    if (strlen(sha) != 64 || strspn(sha, "0123456789abcdefABCDEF") != 64) {
        snprintf(problem, plen, "tasks[%zu].sha256: expected 64 hex digits, got '%.80s'", i, sha);
        return 0;
    }
    for (size_t k = 0; k < 64; k++)
        out->sha256[k] = (char)tolower((unsigned char)sha[k]);
    out->sha256[64] = '\0';
    return 1;
}

static int parse_size(struct json_object *e, size_t i, rt_reg_entry *out, char *problem,
                      size_t plen)
{
    struct json_object *v = NULL;
    out->size = -1;
    if (!json_object_object_get_ex(e, "size", &v) || !v)
        return 1;
    if (!json_object_is_type(v, json_type_int) || json_object_get_int64(v) < 0) {
        snprintf(problem, plen,
                 "tasks[%zu].size: expected the zip's size in bytes (an integer "
                 ">= 0), got %.60s",
                 i, shown(v));
        return 0;
    }
    out->size = json_object_get_int64(v);
    return 1;
}

/* One entry; 1 when kept (out filled), 0 with `problem` filled. */
static int parse_entry(struct json_object *e, size_t i, const char *index_url, rt_reg_entry *out,
                       char *problem, size_t plen)
{
    memset(out, 0, sizeof *out);
    if (!json_object_is_type(e, json_type_object)) {
        snprintf(problem, plen, "tasks[%zu]: expected an object {name, version, url}, got %.60s", i,
                 shown(e));
        return 0;
    }
    const char *name, *version, *url, *desc;
    if (!string_member(e, i, "name", 1, &name, problem, plen) ||
        !string_member(e, i, "version", 1, &version, problem, plen) ||
        !string_member(e, i, "url", 1, &url, problem, plen) ||
        !string_member(e, i, "description", 0, &desc, problem, plen))
        return 0;
    if (!rt_reg_valid_name(name)) {
        snprintf(problem, plen,
                 "tasks[%zu].name: '%.80s' is not a task name (letters, digits, _ and -)", i, name);
        return 0;
    }
    if (!rt_reg_valid_version(version)) {
        snprintf(problem, plen,
                 "tasks[%zu].version: '%.80s' (task %s) is not a version (letters, digits and "
                 "._+~-, at most 64)",
                 i, version, name);
        return 0;
    }
    if (!parse_sha(e, i, out, problem, plen) || !parse_size(e, i, out, problem, plen))
        return 0;
    rt_error err;
    out->url = rt_reg_url_resolve(index_url, url, &err);
    if (!out->url) {
        snprintf(problem, plen, "tasks[%zu].url (task %.128s %.64s): %.400s", i, name, version,
                 err.msg);
        return 0;
    }
    out->name = strdup(name);
    out->version = strdup(version);
    out->description = desc ? strdup(desc) : NULL;
    if (!out->name || !out->version || (desc && !out->description)) {
        entry_free(out);
        snprintf(problem, plen, "tasks[%zu]: out of memory", i);
        return 0;
    }
    return 1;
}

/* The document's shape: an object with "registry": 1 and a "tasks" list. */
static struct json_object *index_tasks(struct json_object *doc, rt_error *err)
{
    struct json_object *v = NULL, *tasks = NULL;
    if (!json_object_is_type(doc, json_type_object)) {
        rt_fail(err, "not a registry index: expected a JSON object {\"registry\": 1, \"tasks\": "
                     "[...]}");
        return NULL;
    }
    if (!json_object_object_get_ex(doc, "registry", &v)) {
        rt_fail(err, "not a registry index: no \"registry\": %d member", RT_REG_FORMAT);
        return NULL;
    }
    if (!json_object_is_type(v, json_type_int) || json_object_get_int64(v) != RT_REG_FORMAT) {
        rt_fail(err,
                "\"registry\": %.40s: this index is in a format this version of ratchet does "
                "not read (it reads %d)",
                shown(v), RT_REG_FORMAT);
        return NULL;
    }
    if (!json_object_object_get_ex(doc, "tasks", &tasks) ||
        !json_object_is_type(tasks, json_type_array)) {
        rt_fail(err, "not a registry index: \"tasks\" must be a list");
        return NULL;
    }
    if (json_object_array_length(tasks) > RT_REG_INDEX_MAX_TASKS) {
        rt_fail(err, "%zu tasks, over the limit of %d", json_object_array_length(tasks),
                RT_REG_INDEX_MAX_TASKS);
        return NULL;
    }
    return tasks;
}

static int listed_before(const rt_reg_index *ix, const rt_reg_entry *e)
{
    for (size_t k = 0; k < ix->ntasks; k++)
        if (strcmp(ix->tasks[k].name, e->name) == 0 &&
            strcmp(ix->tasks[k].version, e->version) == 0)
            return 1;
    return 0;
}

ratchet_status rt_reg_index_parse(const char *text, size_t len, const char *index_url,
                                  rt_reg_index *out, rt_reg_entry_problem_fn bad, void *data,
                                  rt_error *err)
{
    memset(out, 0, sizeof *out);
    if (len > RT_REG_INDEX_MAX_BYTES)
        return rt_fail(err, "the index is %zu bytes, over the limit of %zu", len,
                       RT_REG_INDEX_MAX_BYTES);
    if (len > INT32_MAX)
        return rt_fail(err, "the index is too large");
    json_tokener *tok = json_tokener_new_ex(64);
    if (!tok)
        return rt_fail(err, "out of memory");
    struct json_object *doc = json_tokener_parse_ex(tok, text, (int)len);
    enum json_tokener_error jerr = json_tokener_get_error(tok);
    size_t offset = json_tokener_get_parse_end(tok);
    json_tokener_free(tok);
    while (offset < len && strchr(" \t\r\n", text[offset]) && text[offset])
        offset++;
    if (!doc || jerr != json_tokener_success || offset != len) {
        json_object_put(doc);
        if (jerr == json_tokener_success)
            jerr = json_tokener_error_parse_unexpected;
        return rt_fail(err, "not JSON: %s at byte %zu",
                       jerr == json_tokener_continue ? "unexpected end of the document"
                                                     : json_tokener_error_desc(jerr),
                       offset);
    }
    struct json_object *tasks = index_tasks(doc, err);
    if (!tasks) {
        json_object_put(doc);
        return RATCHET_ERR;
    }
    size_t n = json_object_array_length(tasks);
    out->tasks = calloc(n + 1, sizeof *out->tasks);
    if (!out->tasks) {
        json_object_put(doc);
        return rt_fail(err, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        char problem[1024];
        rt_reg_entry *e = &out->tasks[out->ntasks];
        if (!parse_entry(json_object_array_get_idx(tasks, i), i, index_url, e, problem,
                         sizeof problem)) {
            if (bad)
                bad(data, problem);
            continue;
        }
        if (listed_before(out, e)) {
            snprintf(problem, sizeof problem,
                     "tasks[%zu]: %s %s is listed twice; the first "
                     "entry is used",
                     i, e->name, e->version);
            entry_free(e);
            if (bad)
                bad(data, problem);
            continue;
        }
        out->ntasks++;
    }
    json_object_put(doc);
    return RATCHET_OK;
}
