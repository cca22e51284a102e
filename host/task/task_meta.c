/*
 * host/task/task_meta.c - reading a task's files: bounded reads, JSON with line/column errors,
 * metadata.json (the union of what the original's loaders accept) and tests/\*.json.
 *
 * A test checks one of: expected_output (or `expected`, what the original's MCP tools write),
 * expected_error (the run must fail that way), should_fail (the run must fail). A test with
 * none of them is kept but skipped, with the reason, as the original's library runner did.
 */
#include "task_int.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/core_layer.h"

/* ---- files ---------------------------------------------------------------------------------- */

static const char *size_text(size_t n, char *buf, size_t cap)
{
    if (n % ((size_t)1 << 20) == 0)
        snprintf(buf, cap, "%zu MiB", n >> 20);
    else
        snprintf(buf, cap, "%zu bytes", n);
    return buf;
}

static int too_big(const char *disp, size_t limit, rt_task_report *r)
{
    char lim[32];
    rt_task_report_add(r, "%s: larger than the %s limit", disp, size_text(limit, lim, sizeof lim));
    return -1;
}

int rt_task_read_file(const char *path, const char *disp, size_t limit, int optional, char **out,
                      size_t *len, rt_task_report *r)
{
    *out = NULL;
    *len = 0;
    /* O_NONBLOCK: opening a FIFO named like a task file must not hang; it is refused below. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        if (errno == ENOENT && optional)
            return 0;
        if (errno == ENOENT)
            rt_task_report_add(r, "%s: file not found", disp);
        else
            rt_task_report_add(r, "%s: %s", disp, strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        rt_task_report_add(r, "%s: not a regular file", disp);
        close(fd);
        return -1;
    }
    if (st.st_size < 0 || (uintmax_t)st.st_size > limit) {
        close(fd);
        return too_big(disp, limit, r);
    }
    /* Sized from fstat, but the file may change under us: read to EOF, never past limit. */
    size_t cap = (size_t)st.st_size + 1, used = 0;
    char *buf = malloc(cap + 1);
    int rc = buf ? 0 : -1; /* 1 read, -1 out of memory, -2 reported */
    while (rc == 0) {
        if (used == cap) {
            if (cap > limit) {
                rc = too_big(disp, limit, r) - 1;
                break;
            }
            size_t ncap = cap * 2 > limit + 1 ? limit + 1 : cap * 2;
            char *nbuf = realloc(buf, ncap + 1);
            if (!nbuf) {
                rc = -1;
                break;
            }
            buf = nbuf;
            cap = ncap;
        }
        ssize_t n = read(fd, buf + used, cap - used);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            rt_task_report_add(r, "%s: %s", disp, strerror(errno));
            rc = -2; /* reported */
        } else if (n == 0) {
            rc = used > limit ? too_big(disp, limit, r) - 1 : 1;
        } else {
            used += (size_t)n;
        }
    }
    close(fd);
    if (rc == -1)
        rt_task_report_add(r, "%s: out of memory", disp);
    if (rc != 1) {
        free(buf);
        return -1;
    }
    buf[used] = '\0';
    *out = buf;
    *len = used;
    return 1;
}

/* ---- JSON ----------------------------------------------------------------------------------- */

/* 1-based line and column (in characters, as editors count them) of byte offset off. */
static void line_col(const char *t, size_t off, size_t *line, size_t *col)
{
    *line = 1;
    *col = 1;
    for (size_t i = 0; i < off; i++) {
        if (t[i] == '\n') {
            (*line)++;
            *col = 1;
        } else if (((unsigned char)t[i] & 0xC0) != 0x80) {
            (*col)++;
        }
    }
}

int rt_task_parse_json(const char *text, size_t len, const char *disp, struct json_object **out,
                       rt_task_report *r)
{
    *out = NULL;
    /* Editors on Windows start files with a UTF-8 byte order mark; it is not part of the JSON. */
    if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) {
        text += 3;
        len -= 3;
    }
    /* rt_json_check refuses what json-c tolerates even in strict mode (NaN, single quotes...)
     * and documents its message as "<reason> at byte offset N". */
    ratchet_buf why = RATCHET_BUF_INIT;
    ratchet_status st = rt_json_check(text, len, &why);
    if (st != RATCHET_OK) {
        const char *reason = why.data ? why.data : "out of memory";
        const char *at = why.data ? strstr(why.data, " at byte offset ") : NULL;
        size_t off = at ? (size_t)strtoull(at + 16, NULL, 10) : 0, line, col;
        line_col(text, off > len ? len : off, &line, &col);
        rt_task_report_add(r, "%s: line %zu, column %zu: %.*s", disp, line, col,
                           at ? (int)(at - reason) : (int)strlen(reason), reason);
        rt_buf_free(&why);
        return -1;
    }
    rt_buf_free(&why);
    struct json_tokener *tok = json_tokener_new();
    if (!tok) {
        rt_task_report_add(r, "%s: out of memory", disp);
        return -1;
    }
    json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_ALLOW_TRAILING_CHARS);
    struct json_object *obj = json_tokener_parse_ex(tok, text, (int)len);
    enum json_tokener_error jerr = json_tokener_get_error(tok);
    if (!obj && jerr == json_tokener_continue) {
        /* A top-level number or literal is only complete once the tokener sees its end. */
        obj = json_tokener_parse_ex(tok, "", 1);
        jerr = json_tokener_get_error(tok);
    }
    json_tokener_free(tok);
    if (!obj && jerr != json_tokener_success) {
        /* rt_json_check accepted it, so this is json-c running out of memory. */
        rt_task_report_add(r, "%s: %s", disp, json_tokener_error_desc(jerr));
        return -1;
    }
    *out = obj;
    return 0;
}

/* ---- metadata.json -------------------------------------------------------------------------- */

static char *dup_or_report(const char *s, rt_task_report *r)
{
    char *d = strdup(s);
    if (!d)
        rt_task_report_add(r, "out of memory");
    return d;
}

/* Field `key` of m: 1 with *out set when it is a string, 0 when absent (or null and
 * null_is_absent), -1 after reporting the wrong type. */
static int meta_string(struct json_object *m, const char *key, int null_is_absent, const char *disp,
                       rt_task_report *r, const char **out)
{
    struct json_object *v = NULL;
    *out = NULL;
    if (!json_object_object_get_ex(m, key, &v) || (!v && null_is_absent))
        return 0;
    if (!json_object_is_type(v, json_type_string)) {
        rt_task_report_add(r, "%s: '%s' must be a string", disp, key);
        return -1;
    }
    *out = json_object_get_string(v);
    return 1;
}

int rt_task_valid_name(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!(isalnum((unsigned char)*s) && (unsigned char)*s < 0x80) && *s != '_' && *s != '-')
            return 0;
    return 1;
}

/* 8-4-4-4-12 hexadecimal digits, either case. */
static int valid_uuid(const char *s)
{
    if (strlen(s) != 36)
        return 0;
    for (size_t i = 0; i < 36; i++) {
        int dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? s[i] != '-' : !isxdigit((unsigned char)s[i]))
            return 0;
    }
    return 1;
}

/* h = h * FNV_prime mod 2^128, FNV_prime = 2^88 + 0x13B, on two 64-bit halves (no __int128 in
 * ISO C): h * 0x13B in 32-bit limbs, plus h << 88, which only the low half reaches. */
static void fnv128_mul(uint64_t *hi, uint64_t *lo)
{
    const uint64_t c = 0x13B, m32 = 0xffffffffu;
    uint64_t p0 = (*lo & m32) * c;
    uint64_t p1 = (*lo >> 32) * c + (p0 >> 32);
    uint64_t p2 = (*hi & m32) * c + (p1 >> 32);
    uint64_t p3 = (*hi >> 32) * c + (p2 >> 32);
    uint64_t nlo = (p0 & m32) | (p1 << 32);
    uint64_t nhi = ((p2 & m32) | (p3 << 32)) + (*lo << 24);
    *hi = nhi;
    *lo = nlo;
}

static void fnv128_add(uint64_t *hi, uint64_t *lo, const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        *lo ^= p[i];
        fnv128_mul(hi, lo);
    }
}

void rt_task_uuid_from(const char *name, const char *version, char out[37])
{
    uint64_t hi = UINT64_C(0x6c62272e07bb0142), lo = UINT64_C(0x62b821756295c58d);
    /* The NUL separates the fields, so ("ab", "c") and ("a", "bc") differ. */
    fnv128_add(&hi, &lo, (const unsigned char *)name, strlen(name) + 1);
    fnv128_add(&hi, &lo, (const unsigned char *)version, strlen(version));
    unsigned char b[16];
    for (int i = 0; i < 8; i++) {
        b[i] = (unsigned char)(hi >> (56 - 8 * i));
        b[8 + i] = (unsigned char)(lo >> (56 - 8 * i));
    }
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x80); /* version 8: custom (RFC 9562) */
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80); /* variant 10 */
    char *o = out;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            *o++ = '-';
        snprintf(o, 3, "%02x", b[i]);
        o += 2;
    }
    *o = '\0';
}

static void parse_tags(rt_task *t, struct json_object *meta, const char *disp, rt_task_report *r)
{
    struct json_object *tags = NULL;
    if (!json_object_object_get_ex(meta, "tags", &tags) || !tags)
        return;
    if (!json_object_is_type(tags, json_type_array)) {
        rt_task_report_add(r, "%s: 'tags' must be an array of strings", disp);
        return;
    }
    size_t n = json_object_array_length(tags), bad = 0;
    for (size_t i = 0; i < n; i++) {
        if (!json_object_is_type(json_object_array_get_idx(tags, i), json_type_string)) {
            rt_task_report_add(r, "%s: 'tags[%zu]' must be a string", disp, i);
            bad++;
        }
    }
    if (bad || !n)
        return;
    t->tags = calloc(n, sizeof *t->tags);
    if (!t->tags) {
        rt_task_report_add(r, "out of memory");
        return;
    }
    for (size_t i = 0; i < n; i++) {
        t->tags[i] = dup_or_report(json_object_get_string(json_object_array_get_idx(tags, i)), r);
        if (!t->tags[i])
            return;
        t->ntags = i + 1;
    }
}

void rt_task_parse_metadata(rt_task *t, struct json_object *meta, const char *disp,
                            rt_task_report *r)
{
    if (!json_object_is_type(meta, json_type_object)) {
        rt_task_report_add(r, "%s: must be a JSON object", disp);
        return;
    }
    const char *name, *label, *version, *uuid, *desc;
    int has_name = meta_string(meta, "name", 1, disp, r, &name);
    int has_label = meta_string(meta, "label", 1, disp, r, &label);
    /* The original's loaders disagree: the registry requires name, run-once requires label. */
    if (has_name == 0 && has_label == 0)
        rt_task_report_add(r, "%s: missing required field 'name' (or 'label')", disp);
    /* A name that came from the label is a display string ("Addition Task"), so only an
     * explicit name must be an identifier. */
    if (has_name == 1 && !rt_task_valid_name(name))
        rt_task_report_add(r, "%s: 'name' must match ^[A-Za-z0-9_-]+$, not \"%.64s\"", disp, name);
    if (has_label == 1 && !*label)
        rt_task_report_add(r, "%s: 'label' must not be empty", disp);
    int has_version = meta_string(meta, "version", 0, disp, r, &version);
    if (has_version == 0)
        rt_task_report_add(r, "%s: missing required field 'version'", disp);
    else if (has_version == 1 && !*version)
        rt_task_report_add(r, "%s: 'version' must not be empty", disp);
    int has_uuid = meta_string(meta, "uuid", 1, disp, r, &uuid);
    if (has_uuid == 1 && !valid_uuid(uuid))
        rt_task_report_add(r,
                           "%s: 'uuid' must be a UUID (8-4-4-4-12 hexadecimal digits), "
                           "not \"%.64s\"",
                           disp, uuid);
    int has_desc = meta_string(meta, "description", 1, disp, r, &desc);
    parse_tags(t, meta, disp, r);

    if (has_name == 1 || has_label == 1) {
        t->name = dup_or_report(has_name == 1 ? name : label, r);
        t->label = dup_or_report(has_label == 1 ? label : name, r);
    }
    if (has_version == 1)
        t->version = dup_or_report(version, r);
    if (has_desc == 1)
        t->description = dup_or_report(desc, r);
    if (has_uuid == 1 && valid_uuid(uuid)) {
        t->uuid = dup_or_report(uuid, r);
        for (char *p = t->uuid; p && *p; p++) /* the original prints UUIDs in lowercase */
            *p = (char)tolower((unsigned char)*p);
    } else if (has_uuid == 0 && t->name && t->version) {
        char buf[37];
        rt_task_uuid_from(t->name, t->version, buf);
        t->uuid = dup_or_report(buf, r);
    }
}

/* ---- tests/\*.json -------------------------------------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int is_test_file(const char *name)
{
    size_t n = strlen(name);
    /* Dot files include the "._x.json" resource forks macOS puts in archives. */
    return name[0] != '.' && n > 5 && strcmp(name + n - 5, ".json") == 0;
}

/* The sorted names of the test files in dir; NULL with *n == 0 when there are none. Returns -1
 * after reporting a problem. */
static int list_tests(const char *dir, const char *disp, char ***names, size_t *n,
                      rt_task_report *r)
{
    *names = NULL;
    *n = 0;
    DIR *d = opendir(dir);
    if (!d) {
        if (errno == ENOENT)
            return 0;
        rt_task_report_add(r, "%s: %s", disp, errno == ENOTDIR ? "not a folder" : strerror(errno));
        return -1;
    }
    size_t cap = 0;
    int rc = 0;
    struct dirent *de;
    while (rc == 0 && (de = readdir(d)) != NULL) {
        if (!is_test_file(de->d_name))
            continue;
        if (*n == RT_TASK_TESTS_MAX) {
            rt_task_report_add(r, "%s: more than %d test files", disp, RT_TASK_TESTS_MAX);
            rc = -1;
        } else if (*n == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            char **nn = realloc(*names, ncap * sizeof *nn);
            if (nn) {
                *names = nn;
                cap = ncap;
            } else {
                rt_task_report_add(r, "out of memory");
                rc = -1;
            }
        }
        if (rc == 0 && ((*names)[*n] = dup_or_report(de->d_name, r)) != NULL)
            (*n)++;
        else
            rc = -1;
    }
    closedir(d);
    if (*n)
        qsort(*names, *n, sizeof **names, cmp_str);
    return rc;
}

/* expected_error: "Name or message part", or {name?: "...", message?: "..."} with at least one,
 * each a non-empty string. */
static int expected_error_ok(struct json_object *v)
{
    if (json_object_is_type(v, json_type_string))
        return json_object_get_string_len(v) > 0;
    if (!json_object_is_type(v, json_type_object) || json_object_object_length(v) == 0)
        return 0;
    json_object_object_foreach(v, key, val)
    {
        if ((strcmp(key, "name") != 0 && strcmp(key, "message") != 0) ||
            !json_object_is_type(val, json_type_string) || json_object_get_string_len(val) == 0)
            return 0;
    }
    return 1;
}

/* Check the shape of one parsed test file and take references to its parts. */
static void parse_test(rt_task_test *tt, struct json_object *doc, const char *disp,
                       rt_task_report *r)
{
    if (!json_object_is_type(doc, json_type_object)) {
        rt_task_report_add(r, "%s: must be a JSON object", disp);
        return;
    }
    struct json_object *v = NULL;
    /* The original's CLI runner defaults a missing input to {}. */
    if (json_object_object_get_ex(doc, "input", &v) && v)
        tt->input = json_object_get(v);
    else if (!(tt->input = json_object_new_object()))
        rt_task_report_add(r, "out of memory");
    /* "expected" is what the original's MCP tools write. */
    int has_expect = json_object_object_get_ex(doc, "expected_output", &v) ||
                     json_object_object_get_ex(doc, "expected", &v);
    if (has_expect)
        tt->expect = json_object_get(v);
    if (json_object_object_get_ex(doc, "should_fail", &v) && v) {
        if (json_object_is_type(v, json_type_boolean))
            tt->should_fail = json_object_get_boolean(v);
        else
            rt_task_report_add(r, "%s: 'should_fail' must be true or false", disp);
    }
    if (json_object_object_get_ex(doc, "expected_error", &v) && v) {
        if (expected_error_ok(v))
            tt->expect_error = json_object_get(v);
        else
            rt_task_report_add(r,
                               "%s: 'expected_error' must be a non-empty string (an error name "
                               "or a part of its message) or an object {name, message}",
                               disp);
        if (has_expect)
            rt_task_report_add(r,
                               "%s: has both 'expected_output' and 'expected_error'; a test "
                               "expects either an output or an error",
                               disp);
    }
    if (!has_expect && !tt->expect_error && !tt->should_fail)
        tt->skip = "no expected_output (or expected) or expected_error to check the run against";
    if (!json_object_object_get_ex(doc, "mock", &v) || !v)
        return;
    if (!json_object_is_type(v, json_type_object)) {
        rt_task_report_add(r, "%s: 'mock' must be an object", disp);
        return;
    }
    struct json_object *http = NULL;
    if (json_object_object_get_ex(v, "http", &http)) {
        if (json_object_is_type(http, json_type_array)) {
            size_t n = json_object_array_length(http);
            for (size_t i = 0; i < n; i++)
                if (!json_object_is_type(json_object_array_get_idx(http, i), json_type_object))
                    rt_task_report_add(r, "%s: 'mock.http[%zu]' must be an object", disp, i);
        } else if (!json_object_is_type(http, json_type_object)) {
            rt_task_report_add(r, "%s: 'mock.http' must be an object or an array", disp);
        }
    }
    tt->mock = json_object_get(v);
}

static char *join3(const char *a, const char *b, const char *c)
{
    size_t la = strlen(a), lb = strlen(b), lc = strlen(c);
    char *s = malloc(la + lb + lc + 1);
    if (s) {
        memcpy(s, a, la);
        memcpy(s + la, b, lb);
        memcpy(s + la + lb, c, lc + 1);
    }
    return s;
}

/* One more slot at the end of t->tests (zeroed), or NULL after reporting. */
static rt_task_test *test_slot(rt_task *t, rt_task_report *r)
{
    if (t->ntests >= RT_TASK_TESTS_MAX) {
        rt_task_report_add(r, "more than %d tests", RT_TASK_TESTS_MAX);
        return NULL;
    }
    rt_task_test *grown = realloc(t->tests, (t->ntests + 1) * sizeof *grown);
    if (!grown) {
        rt_task_report_add(r, "out of memory");
        return NULL;
    }
    t->tests = grown;
    memset(&grown[t->ntests], 0, sizeof *grown);
    return &grown[t->ntests++];
}

void rt_task_add_test(rt_task *t, const char *name, const char *file, struct json_object *doc,
                      const char *disp, rt_task_report *r)
{
    rt_task_test *tt = test_slot(t, r);
    if (!tt)
        return;
    tt->name = strdup(name);
    tt->file = strdup(file);
    if (!tt->name || !tt->file)
        rt_task_report_add(r, "out of memory");
    else
        parse_test(tt, doc, disp, r);
}

static void load_test(rt_task *t, const char *tdir, const char *tdisp, const char *fname,
                      rt_task_report *r)
{
    char *file = join3(tdir, "/", fname), *disp = join3(tdisp, "/", fname);
    char *name = strdup(fname);
    if (!file || !disp || !name) {
        rt_task_report_add(r, "out of memory");
        free(file);
        free(disp);
        free(name);
        return;
    }
    name[strlen(fname) - 5] = '\0'; /* ".json" */
    char *text;
    size_t len;
    struct json_object *doc;
    if (rt_task_read_file(file, disp, RT_TASK_JSON_MAX, 0, &text, &len, r) == 1) {
        if (rt_task_parse_json(text, len, disp, &doc, r) == 0) {
            rt_task_add_test(t, name, file, doc, disp, r);
            json_object_put(doc);
        }
        free(text);
    }
    free(file);
    free(disp);
    free(name);
}

void rt_task_load_tests(rt_task *t, const char *dir, const char *prefix, rt_task_report *r)
{
    char *tdir = join3(dir, "/", "tests"), *tdisp = join3(prefix, "tests", "");
    char **names = NULL;
    size_t n = 0;
    if (!tdir || !tdisp) {
        rt_task_report_add(r, "out of memory");
    } else if (list_tests(tdir, tdisp, &names, &n, r) == 0) {
        for (size_t i = 0; i < n; i++)
            load_test(t, tdir, tdisp, names[i], r);
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    free(tdir);
    free(tdisp);
}
