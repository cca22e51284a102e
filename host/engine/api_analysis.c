/* host/engine/api_analysis.c - error analysis through ratchet.engine: the report of an
 * execution (analysis.h), the error patterns in effect, testing a pattern on an event. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "api_int.h"
#include "core/core_layer.h"

static ratchet_status execution_analyze(int64_t execution_id, const char *format,
                                        int64_t max_tokens, ratchet_buf *out)
{
    size_t mark = out->len;
    rt_api *a = rt_api_enter(out, mark);
    if (!a)
        return RATCHET_ERR;
    if (format && strcmp(format, "json") != 0 && strcmp(format, "markdown") != 0)
        return rt_api_fail(out, mark, "VALIDATION_ERROR", NULL,
                           "format: expected markdown or json, got '%.40s'", format);
    if (max_tokens != 0 &&
        (max_tokens < RT_ANALYSIS_MIN_TOKENS || max_tokens > RT_ANALYSIS_MAX_TOKENS))
        return rt_api_fail(out, mark, "VALIDATION_ERROR", NULL,
                           "maxTokens: expected a number of tokens from %d to %d, got %lld",
                           RT_ANALYSIS_MIN_TOKENS, RT_ANALYSIS_MAX_TOKENS, (long long)max_tokens);
    ratchet_buf workers = RATCHET_BUF_INIT;
    if (a->engine)
        rt_api_table()->workers_list(&workers);
    rt_analysis_env env = {a->vt, a->si, workers.data};
    struct json_object *report = NULL;
    rt_error err = {{0}};
    ratchet_status rc = rt_analysis_build(&env, execution_id, &report, &err);
    rt_buf_free(&workers);
    if (rc == RATCHET_NOTFOUND)
        return rt_api_fail(out, mark, "NOT_FOUND", NULL, "execution %lld not found",
                           (long long)execution_id);
    if (rc != RATCHET_OK)
        return rt_api_fail(out, mark, "DATABASE_ERROR", NULL, "%s", err.msg);
    rc = rt_analysis_render(report, format && strcmp(format, "markdown") == 0, max_tokens, out);
    json_object_put(report);
    return rc == RATCHET_OK ? rc : rt_api_fail(out, mark, "INTERNAL_ERROR", NULL, "out of memory");
}

static ratchet_status patterns_list(ratchet_buf *out)
{
    size_t mark = out->len;
    const rt_pattern_set *set = rt_patterns_current();
    struct json_object *o = json_object_new_object(), *items = json_object_new_array();
    for (size_t i = 0; i < set->n; i++)
        json_object_array_add(items, rt_pattern_to_json(set->items[i]));
    json_object_object_add(o, "items", items);
    json_object_object_add(o, "total", json_object_new_int64((int64_t)set->n));
    ratchet_status rc = rt_api_put(out, o);
    json_object_put(o);
    return rc == RATCHET_OK ? rc : rt_api_fail(out, mark, "INTERNAL_ERROR", NULL, "out of memory");
}

/* The event of a pattern_test request: fields borrowed from `ev` into f (at most max). */
static size_t event_fields(struct json_object *fields, ratchet_log_field *f, size_t max)
{
    size_t n = 0;
    if (!json_object_is_type(fields, json_type_object))
        return 0;
    json_object_object_foreach(fields, key, val)
    {
        if (n < max) {
            f[n].key = key;
            f[n].value = json_object_get_string(val);
            n++;
        }
    }
    return n;
}

static ratchet_status answer_matches(const rt_pattern_match *m, size_t n, ratchet_buf *out,
                                     size_t mark)
{
    struct json_object *o = json_object_new_object(), *arr = json_object_new_array();
    for (size_t i = 0; i < n; i++) {
        struct json_object *e = json_object_new_object();
        json_object_object_add(e, "id", json_object_new_string(m[i].pattern->id));
        json_object_object_add(e, "name", json_object_new_string(m[i].pattern->name));
        json_object_object_add(e, "category", json_object_new_string(m[i].pattern->category));
        json_object_object_add(e, "confidence", json_object_new_double(m[i].confidence));
        json_object_array_add(arr, e);
    }
    json_object_object_add(o, "matched", json_object_new_boolean(n > 0));
    json_object_object_add(o, "matches", arr);
    ratchet_status rc = rt_api_put(out, o);
    json_object_put(o);
    return rc == RATCHET_OK ? rc : rt_api_fail(out, mark, "INTERNAL_ERROR", NULL, "out of memory");
}

#define TEST_FIELDS_MAX 64
#define TEST_MATCH_MAX  64

static ratchet_status pattern_test(const char *request_json, ratchet_buf *out)
{
    size_t mark = out->len;
    struct json_object *req = rt_api_parse_object(request_json, "the request", out, mark);
    if (!req)
        return RATCHET_ERR;
    struct json_object *ev = rt_api_member(req, "event"), *pj = rt_api_member(req, "pattern");
    const char *level = rt_api_str(ev, "level");
    int lv = level ? rt_pattern_level(level) : RATCHET_LOG_ERROR;
    ratchet_status rc = RATCHET_OK;
    if (!json_object_is_type(ev, json_type_object) || !rt_api_str(ev, "message"))
        rc = rt_api_fail(out, mark, "VALIDATION_ERROR", NULL,
                         "event: expected {level, message, source?, fields?}");
    else if (lv < 0)
        rc = rt_api_fail(out, mark, "VALIDATION_ERROR", NULL,
                         "event.level: expected trace|debug|info|warn|error, got '%.40s'", level);
    rt_pattern *p = NULL;
    rt_error err = {{0}};
    if (rc == RATCHET_OK && pj && !(p = rt_pattern_from_json(json_object_to_json_string(pj), &err)))
        rc = rt_api_fail(out, mark, "VALIDATION_ERROR", NULL, "%s", err.msg);
    if (rc == RATCHET_OK) {
        ratchet_log_field f[TEST_FIELDS_MAX];
        size_t nf = event_fields(rt_api_member(ev, "fields"), f, TEST_FIELDS_MAX);
        rt_pattern_event e = {(ratchet_log_level)lv, rt_api_str(ev, "message"),
                              rt_api_str(ev, "source"), f, nf};
        rt_pattern_match m[TEST_MATCH_MAX];
        rt_pattern *one[1] = {p};
        rt_pattern_set single = {one, 1};
        size_t n = rt_patterns_match(p ? &single : rt_patterns_current(), &e, m, TEST_MATCH_MAX);
        rc = answer_matches(m, n < TEST_MATCH_MAX ? n : TEST_MATCH_MAX, out, mark);
    }
    rt_pattern_free(p);
    json_object_put(req);
    return rc;
}

void rt_api_fill_analysis(ratchet_engine_api *t)
{
    t->execution_analyze = execution_analyze;
    t->patterns_list = patterns_list;
    t->pattern_test = pattern_test;
}
