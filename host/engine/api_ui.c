/*
 * host/engine/api_ui.c - what a browser UI asks of ratchet.engine beyond the resources:
 * cron_preview (the scheduler's own parser and zone rules), input_validate (job_submit's own
 * validator, nothing run) and task_source (code, schemas and tests of a version);
 * stats_timeline is api_timeline.c's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_int.h"
#include "cron.h"
#include "tz.h"

#define PREVIEW_MAX 50

/* ---- cron_preview --------------------------------------------------------------------------- */

void rt_api_utc_text(int64_t t, char *s, size_t cap)
{
    int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400), secs = t - days * 86400;
    int64_t year;
    int month, day;
    rt_tz_civil_from_days(days, &year, &month, &day);
    snprintf(s, cap, "%04lld-%02d-%02dT%02d:%02d:%02dZ", (long long)year, month, day,
             (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60));
}

/* "2026-12-05T03:35:00+01:00": the wall clock of tz with its offset. */
static void local_text(const rt_tz *tz, int64_t t, char *s, size_t cap)
{
    struct rt_tm tm;
    rt_tz_to_local(tz, t, &tm);
    int32_t off = tm.utoff < 0 ? -tm.utoff : tm.utoff;
    snprintf(s, cap, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", tm.year, tm.month, tm.day, tm.hour,
             tm.minute, tm.second, tm.utoff < 0 ? '-' : '+', (int)(off / 3600),
             (int)(off / 60 % 60));
}

static ratchet_status preview_fail(ratchet_buf *out, size_t mark, const char *pointer,
                                   const char *msg)
{
    struct json_object *d = json_object_new_array();
    rt_api_detail(d, pointer, msg);
    return rt_api_fail(out, mark, "VALIDATION_ERROR", d, "%s", msg);
}

static struct json_object *fire_times(const rt_cron *c, const rt_tz *tz, int64_t now, int count)
{
    struct json_object *times = json_object_new_array();
    int64_t after = now;
    rt_error err;
    for (int i = 0; i < count; i++) {
        int64_t next = 0;
        if (rt_cron_next(c, tz, after, &next, &err) != RATCHET_OK)
            break;
        char local[48], utc[48];
        local_text(tz, next, local, sizeof local);
        rt_api_utc_text(next, utc, sizeof utc);
        struct json_object *t = json_object_new_object();
        json_object_object_add(t, "local", json_object_new_string(local));
        json_object_object_add(t, "utc", json_object_new_string(utc));
        json_object_array_add(times, t);
        after = next;
    }
    return times;
}

static ratchet_status cron_preview(const char *cron, const char *tz_name, int count,
                                   ratchet_buf *out)
{
    size_t mark = out->len;
    if (!rt_api_enter(out, mark))
        return RATCHET_ERR;
    if (count < 1 || count > PREVIEW_MAX) {
        char msg[96];
        snprintf(msg, sizeof msg, "count must be 1 to %d, not %d", PREVIEW_MAX, count);
        return preview_fail(out, mark, "/count", msg);
    }
    if (!cron || !*cron)
        return preview_fail(out, mark, "/cron", "a cron expression is required");
    const char *zone = tz_name && *tz_name ? tz_name : "UTC";
    rt_error err;
    rt_cron *c = rt_cron_parse(cron, &err);
    if (!c)
        return preview_fail(out, mark, "/cron", err.msg);
    rt_tz *tz = rt_tz_load(zone, &err);
    if (!tz) {
        rt_cron_free(c);
        return preview_fail(out, mark, "/timezone", err.msg);
    }
    int64_t now = rt_api_now_ms() / 1000;
    struct json_object *o = json_object_new_object();
    json_object_object_add(o, "cron", json_object_new_string(cron));
    json_object_object_add(o, "timezone", json_object_new_string(zone));
    json_object_object_add(o, "times", fire_times(c, tz, now, count));
    char *warning = rt_cron_compat_warning(c, tz, now);
    json_object_object_add(o, "warning", warning ? json_object_new_string(warning) : NULL);
    free(warning);
    rt_tz_free(tz);
    rt_cron_free(c);
    ratchet_status rc = rt_api_put(out, o);
    json_object_put(o);
    return rc;
}

/* ---- input_validate ------------------------------------------------------------------------- */

/* The details of a VALIDATION_ERROR object (text in `err`) as [{path, message}]. */
static struct json_object *errors_of(const char *err)
{
    struct json_object *e = json_tokener_parse(err), *list = json_object_new_array();
    struct json_object *details = rt_api_member(e, "details");
    size_t n = details ? json_object_array_length(details) : 0;
    for (size_t i = 0; i < n; i++) {
        struct json_object *d = json_object_array_get_idx(details, i),
                           *x = json_object_new_object();
        const char *p = rt_api_str(d, "pointer"), *m = rt_api_str(d, "message");
        json_object_object_add(x, "path", json_object_new_string(p ? p : ""));
        json_object_object_add(x, "message", json_object_new_string(m ? m : ""));
        json_object_array_add(list, x);
    }
    if (n == 0) {
        struct json_object *x = json_object_new_object();
        const char *m = rt_api_str(e, "message");
        json_object_object_add(x, "path", json_object_new_string(""));
        json_object_object_add(x, "message", json_object_new_string(m ? m : "invalid input"));
        json_object_array_add(list, x);
    }
    json_object_put(e);
    return list;
}

/* The stored version `version` (NULL: latest) of task `ref`; the error written to out. */
static ratchet_status version_of(const char *ref, const char *version, const api_version **v,
                                 ratchet_buf *out, size_t mark)
{
    rt_api *a = rt_api_enter(out, mark);
    *v = NULL;
    return a ? rt_api_resolve(a, ref, version, NULL, v, out, mark) : RATCHET_ERR;
}

static ratchet_status input_validate(const char *ref, const char *version, const char *input_json,
                                     ratchet_buf *out)
{
    size_t mark = out->len;
    const api_version *v;
    ratchet_status rc = version_of(ref, version, &v, out, mark);
    if (rc != RATCHET_OK)
        return rc;
    enum json_tokener_error jerr = json_tokener_success;
    struct json_object *input =
        input_json ? json_tokener_parse_verbose(input_json, &jerr) : json_object_new_object();
    if (jerr != json_tokener_success)
        return rt_api_fail(out, mark, "VALIDATION_ERROR", NULL, "the input is not JSON: %s",
                           json_tokener_error_desc(jerr));
    ratchet_buf why = RATCHET_BUF_INIT;
    rc = rt_api_check_input(v, input, "", &why, 0);
    json_object_put(input);
    struct json_object *o = json_object_new_object();
    json_object_object_add(o, "valid", json_object_new_boolean(rc == RATCHET_OK));
    json_object_object_add(o, "errors",
                           rc == RATCHET_OK ? json_object_new_array()
                                            : errors_of(why.data ? why.data : "{}"));
    rt_buf_free(&why);
    rc = rt_api_put(out, o);
    json_object_put(o);
    return rc;
}

/* ---- task_source ---------------------------------------------------------------------------- */

/* The tests of the folder the version was loaded from, when it still holds that version. */
static struct json_object *folder_tests(const char *source, const char *name, const char *version)
{
    struct json_object *list = json_object_new_array();
    rt_error err;
    rt_task *t = source && *source ? rt_task_load(source, &err) : NULL;
    if (t && name && version && strcmp(t->name, name) == 0 && strcmp(t->version, version) == 0) {
        for (size_t i = 0; i < t->ntests; i++) {
            const rt_task_test *tt = &t->tests[i];
            struct json_object *x = json_object_new_object(), *c = NULL;
            json_object_object_add(x, "name", json_object_new_string(tt->name));
            json_object_deep_copy(tt->input, &c, NULL);
            json_object_object_add(x, "input", c);
            c = NULL;
            if (tt->expect)
                json_object_deep_copy(tt->expect, &c, NULL);
            json_object_object_add(x, "expectedOutput", c);
            json_object_object_add(x, "shouldFail", json_object_new_boolean(tt->should_fail));
            json_object_array_add(list, x);
        }
    }
    rt_task_free(t);
    return list;
}

static ratchet_status task_source(const char *ref, const char *version, ratchet_buf *out)
{
    size_t mark = out->len;
    const api_version *v;
    ratchet_status rc = version_of(ref, version, &v, out, mark);
    if (rc != RATCHET_OK)
        return rc;
    static const char *const copied[] = {"name", "version",     "description",
                                         "code", "inputSchema", "outputSchema"};
    struct json_object *o = json_object_new_object();
    for (size_t i = 0; i < sizeof copied / sizeof copied[0]; i++)
        json_object_object_add(o, copied[i], rt_api_member_copy(v->rec, copied[i]));
    json_object_object_add(o, "tests",
                           folder_tests(rt_api_str(v->rec, "source"), rt_api_str(v->rec, "name"),
                                        rt_api_str(v->rec, "version")));
    rc = rt_api_put(out, o);
    json_object_put(o);
    return rc;
}

void rt_api_fill_ui(ratchet_engine_api *t)
{
    t->cron_preview = cron_preview;
    t->input_validate = input_validate;
    t->task_source = task_source;
}
