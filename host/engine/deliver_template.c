/* host/engine/deliver_template.c - destination templates: {job_id}, {execution_id}, {task},
 * {version}, {status}, {timestamp} ({{name}} the same) in file paths, webhook URLs and webhook
 * header values. The template's own text is kept as written; only substituted values are
 * escaped, each for where it lands, so a job's values can never change the shape of what the
 * operator wrote (add a directory, a URL component or a header). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/core_layer.h"
#include "deliver.h"

static const char *const variables[] = {"job_id",  "execution_id", "task",
                                        "version", "status",       "timestamp"};
#define NVARIABLES    (sizeof variables / sizeof variables[0])
#define VARIABLE_HINT "(use {job_id}, {execution_id}, {task}, {version}, {status} or {timestamp})"

/* The variable at t (just past the opening braces), its name length and the number of closing
 * braces expected. Returns the index in `variables`, -1 when unknown, -2 when unclosed. */
static int variable_at(const char *t, size_t braces, size_t *name_len)
{
    size_t n = strcspn(t, "{}/");
    *name_len = n;
    if (t[n] != '}' || (braces == 2 && t[n + 1] != '}'))
        return -2;
    for (size_t i = 0; i < NVARIABLES; i++)
        if (strlen(variables[i]) == n && !memcmp(variables[i], t, n))
            return (int)i;
    return -1;
}

/* A value as a path piece: no directory separators, no control characters, never "." or
 * "..", never empty. */
static ratchet_status append_path_value(ratchet_buf *out, const char *v)
{
    if (!v || !*v || !strcmp(v, ".") || !strcmp(v, ".."))
        return rt_buf_puts(out, "_");
    for (const char *p = v; *p; p++) {
        unsigned char c = (unsigned char)*p;
        char ch = (c < 0x20 || c == 0x7f || c == '/' || c == '\\') ? '_' : *p;
        if (rt_buf_append(out, &ch, 1) != RATCHET_OK)
            return RATCHET_NOMEM;
    }
    return RATCHET_OK;
}

/* A value as URL data (RFC 3986): everything but the unreserved characters is %XX, so it can
 * neither end the path segment or the query parameter it sits in nor start another. */
static ratchet_status append_url_value(ratchet_buf *out, const char *v)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const char *p = v ? v : ""; *p; p++) {
        unsigned char c = (unsigned char)*p;
        int unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                         (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
        char enc[3] = {'%', hex[c >> 4], hex[c & 15]};
        if (rt_buf_append(out, unreserved ? p : enc, unreserved ? 1 : 3) != RATCHET_OK)
            return RATCHET_NOMEM;
    }
    return RATCHET_OK;
}

/* A value inside a header value: control characters (CR, LF, TAB, DEL, ...) become '_', so it
 * can never end the header line. */
static ratchet_status append_header_value(ratchet_buf *out, const char *v)
{
    for (const char *p = v ? v : ""; *p; p++) {
        unsigned char c = (unsigned char)*p;
        char ch = (c < 0x20 || c == 0x7f) ? '_' : *p;
        if (rt_buf_append(out, &ch, 1) != RATCHET_OK)
            return RATCHET_NOMEM;
    }
    return RATCHET_OK;
}

static ratchet_status append_value(ratchet_buf *out, const char *v, rt_deliver_escape esc)
{
    switch (esc) {
    case RT_ESCAPE_URL:
        return append_url_value(out, v);
    case RT_ESCAPE_HEADER:
        return append_header_value(out, v);
    default:
        return append_path_value(out, v);
    }
}

/* {timestamp}: the finish time (now when unknown), UTC, yyyymmddThhmmssZ - safe in every
 * context as it is. RATCHET_ERR when the time cannot be represented. */
static ratchet_status append_timestamp(ratchet_buf *out, int64_t finished_ms)
{
    time_t secs;
    if (finished_ms > 0) {
        secs = (time_t)(finished_ms / 1000);
    } else {
        struct timespec now;
        clock_gettime(CLOCK_REALTIME, &now);
        secs = now.tv_sec;
    }
    struct tm tm;
    char text[32];
    if (!gmtime_r(&secs, &tm) || !strftime(text, sizeof text, "%Y%m%dT%H%M%SZ", &tm))
        return RATCHET_ERR;
    return rt_buf_puts(out, text);
}

static ratchet_status append_variable(ratchet_buf *out, int index, const rt_delivery_job *job,
                                      rt_deliver_escape esc)
{
    const char *name = variables[index];
    if (!strcmp(name, "job_id"))
        return rt_buf_printf(out, "%" PRId64, job->job_id);
    if (!strcmp(name, "execution_id"))
        return rt_buf_printf(out, "%" PRId64, job->execution_id);
    if (!strcmp(name, "task"))
        return append_value(out, job->task, esc);
    if (!strcmp(name, "version"))
        return append_value(out, job->version, esc);
    if (!strcmp(name, "status"))
        return append_value(out, job->status, esc);
    return append_timestamp(out, job->finished_ms);
}

/* Walk the template: check every variable, and append the expansion to out when job is not
 * NULL, failing once out holds more than max bytes. */
static ratchet_status walk(const char *tmpl, rt_deliver_escape esc, const rt_delivery_job *job,
                           size_t max, ratchet_buf *out, const char *where, rt_error *err)
{
    for (const char *p = tmpl; *p;) {
        if (*p == '{') {
            size_t braces = p[1] == '{' ? 2 : 1, name_len;
            int index = variable_at(p + braces, braces, &name_len);
            if (index == -2)
                return rt_fail(err, "%s: unclosed '{' at offset %zu", where, (size_t)(p - tmpl));
            if (index == -1)
                return rt_fail(err, "%s: unknown variable {%.*s} " VARIABLE_HINT, where,
                               (int)(name_len > 64 ? 64 : name_len), p + braces);
            if (job) {
                ratchet_status rc = append_variable(out, index, job, esc);
                if (rc != RATCHET_OK)
                    return rc == RATCHET_NOMEM ? rc : rt_fail(err, "%s: bad timestamp", where);
            }
            p += braces + name_len + braces;
        } else {
            size_t n = strcspn(p, "{");
            if (job && rt_buf_append(out, p, n) != RATCHET_OK)
                return RATCHET_NOMEM;
            p += n;
        }
        if (job && out->len > max)
            return rt_fail(err, "%s: longer than %zu bytes once expanded", where, max);
    }
    return RATCHET_OK;
}

ratchet_status rt_deliver_template_check(const char *tmpl, const char *where, rt_error *err)
{
    return walk(tmpl, RT_ESCAPE_PATH, NULL, 0, NULL, where, err);
}

ratchet_status rt_deliver_template_expand(const char *tmpl, rt_deliver_escape esc,
                                          const rt_delivery_job *job, size_t max, ratchet_buf *out,
                                          const char *where, rt_error *err)
{
    return walk(tmpl, esc, job, max, out, where, err);
}
