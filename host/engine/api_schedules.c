/* host/engine/api_schedules.c - cron schedules through ratchet.engine, checked as `schedules add`
 * checks them (the cron expression, the time zone, the input against the task's schema). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_int.h"
#include "core/core_layer.h"
#include "cron.h"
#include "tz.h"

/* ---- reading ----------------------------------------------------------------------------- */

static struct json_object *load_schedules(rt_api *a, ratchet_buf *out, size_t mark)
{
    ratchet_buf buf = RATCHET_BUF_INIT;
    rt_error_clear();
    ratchet_status rc = a->vt->schedule_list(a->si, &buf);
    struct json_object *list = rt_api_stored(rc, &buf, "listing schedules", out, mark);
    if (list && !json_object_is_type(list, json_type_array)) {
        json_object_put(list);
        rt_api_fail(out, mark, "DATABASE_ERROR", NULL, "listing schedules: not a list");
        return NULL;
    }
    return list;
}

/* The schedule `ref` (decimal id or name) of a fresh list, as a new reference; NULL with
 * NOT_FOUND (*rc) or another error written. */
static struct json_object *find_schedule(rt_api *a, const char *ref, ratchet_status *rc,
                                         ratchet_buf *out, size_t mark)
{
    struct json_object *list = load_schedules(a, out, mark), *found = NULL;
    char *end = NULL;
    errno = 0;
    long long id = ref ? strtoll(ref, &end, 10) : 0;
    int numeric = ref && *ref && end && !*end && !errno;
    for (size_t i = 0; ref && list && i < json_object_array_length(list) && !found; i++) {
        struct json_object *s = json_object_array_get_idx(list, i);
        const char *name = rt_api_str(s, "name");
        if ((numeric && json_object_get_int64(rt_api_member(s, "id")) == id) ||
            (name && strcmp(name, ref) == 0))
            found = json_object_get(s);
    }
    *rc = !list ? RATCHET_ERR : found ? RATCHET_OK : RATCHET_NOTFOUND;
    if (list && !found)
        rt_api_fail(out, mark, "NOT_FOUND", NULL, "no schedule '%s'", ref ? ref : "");
    json_object_put(list);
    return found;
}

/* The current API (*a) and the schedule `ref` names; NULL with *rc and the error in `out` when
 * there is no current API or no such schedule. */
static struct json_object *enter_schedule(const char *ref, rt_api **a, ratchet_status *rc,
                                          ratchet_buf *out, size_t mark)
{
    *a = rt_api_enter(out, mark);
    *rc = RATCHET_ERR;
    return *a ? find_schedule(*a, ref, rc, out, mark) : NULL;
}

/* The storage record plus outputDestinations (from meta.outputs) for symmetry with create,
 * and cronWarning when other crons read the expression differently (cron.h, "Days"). */
static struct json_object *schedule_record(struct json_object *s)
{
    struct json_object *outputs = rt_api_member(rt_api_member(s, "meta"), "outputs");
    json_object_object_add(s, "outputDestinations",
                           outputs ? json_object_get(outputs) : json_object_new_array());
    char *warning = rt_cron_compat_warning_for(rt_api_str(s, "cron"), rt_api_str(s, "timezone"),
                                               rt_api_now_ms() / 1000);
    if (warning)
        json_object_object_add(s, "cronWarning", json_object_new_string(warning));
    free(warning);
    return s;
}

static ratchet_status put_schedule(rt_api *a, const char *ref, ratchet_buf *out, size_t mark)
{
    ratchet_status rc;
    struct json_object *s = find_schedule(a, ref, &rc, out, mark);
    if (s)
        rc = rt_api_put(out, schedule_record(s));
    json_object_put(s);
    return rc;
}

static ratchet_status schedule_get(const char *ref, ratchet_buf *out)
{
    size_t mark = out->len;
    rt_api *a = rt_api_enter(out, mark);
    return a ? put_schedule(a, ref, out, mark) : RATCHET_ERR;
}

static const char *const schedule_fields[] = {"id",        "name",      "taskName", "enabled",
                                              "nextRunAt", "lastRunAt", NULL};

static ratchet_status schedules_list(const char *query_json, ratchet_buf *out)
{
    size_t mark = out->len;
    rt_api *a = rt_api_enter(out, mark);
    rt_query q;
    if (!a || rt_query_parse(query_json, schedule_fields, schedule_fields, "name", 0, &q, out,
                             mark) != RATCHET_OK)
        return RATCHET_ERR;
    struct json_object *list = load_schedules(a, out, mark);
    for (size_t i = 0; list && i < json_object_array_length(list); i++)
        schedule_record(json_object_array_get_idx(list, i));
    ratchet_status rc = list ? rt_query_apply(&q, list, out) : RATCHET_ERR;
    json_object_put(list);
    rt_query_free(&q);
    return rc;
}

/* ---- checking what a client sends ---------------------------------------------------------- */

/* The cron expression (under `cron_key`) and the zone: a detail pointing at the field that is
 * wrong, else the next fire time after now. */
static void check_timing(const char *cron, const char *cron_key, const char *zone, int64_t *next_ms,
                         struct json_object *details)
{
    rt_error err;
    char pointer[32];
    snprintf(pointer, sizeof pointer, "/%s", cron_key);
    rt_cron *c = rt_cron_parse(cron, &err);
    if (!c) {
        rt_api_detail(details, pointer, err.msg);
        return;
    }
    rt_cron_free(c);
    rt_tz *tz = rt_tz_load(zone, &err);
    if (!tz) {
        rt_api_detail(details, "/timezone", err.msg);
        return;
    }
    rt_tz_free(tz);
    if (rt_schedule_next_fire(cron, zone, rt_api_now_ms(), next_ms, &err) != RATCHET_OK)
        rt_api_detail(details, pointer, err.msg);
}

/* catchUp: "once" | "skip", or true/false; NULL when it is neither. */
static const char *catch_up_of(struct json_object *v)
{
    if (json_object_is_type(v, json_type_boolean))
        return json_object_get_boolean(v) ? "once" : "skip";
    const char *s = json_object_is_type(v, json_type_string) ? json_object_get_string(v) : "";
    return strcmp(s, "once") == 0 ? "once" : strcmp(s, "skip") == 0 ? "skip" : NULL;
}

/* The parts of a create or update request that share checks; into `rec` (the storage's
 * schedule or patch). Problems become details. */
static void check_common(struct json_object *req, struct json_object *rec,
                         struct json_object *details)
{
    struct json_object *v;
    if ((v = rt_api_member(req, "enabled")) && !json_object_is_type(v, json_type_boolean))
        rt_api_detail(details, "/enabled", "expected true or false");
    else if (v)
        json_object_object_add(rec, "enabled", json_object_get(v));
    if ((v = rt_api_member(req, "catchUp")) && !catch_up_of(v))
        rt_api_detail(details, "/catchUp", "expected \"once\" or \"skip\"");
    else if (v)
        json_object_object_add(rec, "catchUp", json_object_new_string(catch_up_of(v)));
    struct json_object *meta = NULL;
    rt_error err;
    if ((v = rt_api_member(req, "outputDestinations")) &&
        rt_outputs_meta(v, NULL, &meta, &err) != RATCHET_OK)
        rt_api_detail(details, "/outputDestinations", err.msg);
    else if (v)
        json_object_object_add(rec, "meta", meta ? meta : json_object_new_object());
}

/* cron or cronExpression, whichever the request holds (*key names it). */
static const char *cron_of(struct json_object *req, const char **key)
{
    *key = rt_api_member(req, "cronExpression") ? "cronExpression" : "cron";
    struct json_object *v = rt_api_member(req, *key);
    return json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

/* ---- create --------------------------------------------------------------------------------- */

/* The fields of a create request into the storage record; VALIDATION_ERROR naming each bad
 * one. `task` receives the task reference. */
static ratchet_status read_create(rt_api *a, struct json_object *req, struct json_object *rec,
                                  char task[64], int64_t *next_ms, ratchet_buf *out, size_t mark)
{
    struct json_object *details = json_object_new_array(), *id = rt_api_member(req, "taskId");
    const char *name = rt_api_str(req, "name"), *cron_key, *cron = cron_of(req, &cron_key);
    const char *zone = rt_api_str(req, "timezone") ? rt_api_str(req, "timezone") : "UTC";
    if (!name || !*name || !json_object_is_type(rt_api_member(req, "name"), json_type_string))
        rt_api_detail(details, "/name", "a name (a non-empty string) is required");
    if (rt_api_str(req, "taskName"))
        snprintf(task, 64, "%s", rt_api_str(req, "taskName"));
    else if (id)
        snprintf(task, 64, "%s", json_object_get_string(id));
    else
        rt_api_detail(details, "/taskName", "taskName or taskId is required");
    if (!cron)
        rt_api_detail(details, "/cron", "a cron expression (a string) is required");
    else
        check_timing(cron, cron_key, zone, next_ms, details);
    json_object_object_add(rec, "name", json_object_new_string(name ? name : ""));
    json_object_object_add(rec, "cron", json_object_new_string(cron ? cron : ""));
    json_object_object_add(rec, "timezone", json_object_new_string(zone));
    json_object_object_add(rec, "enabled", json_object_new_boolean(1));
    json_object_object_add(rec, "catchUp",
                           json_object_new_string(rt_cfg_string(
                               rt_settings_section(&a->app->settings, "engine"), "catch_up")));
    json_object_object_add(rec, "meta", NULL);
    check_common(req, rec, details);
    if (json_object_array_length(details) == 0) {
        json_object_put(details);
        return RATCHET_OK;
    }
    return rt_api_fail(out, mark, "VALIDATION_ERROR", details, "invalid schedule");
}

static ratchet_status schedule_create(const char *schedule_json, ratchet_buf *out)
{
    size_t mark = out->len;
    rt_api *a = rt_api_enter(out, mark);
    struct json_object *req = a ? rt_api_parse_object(schedule_json, "schedule", out, mark) : NULL;
    if (!req)
        return RATCHET_ERR;
    struct json_object *rec = json_object_new_object(), *empty = json_object_new_object();
    struct json_object *input = rt_api_member(req, "input");
    char task[64] = "";
    int64_t next_ms = 0, id = 0;
    const api_version *v = NULL;
    const char *version = rt_api_str(req, "taskVersion");
    ratchet_status rc = read_create(a, req, rec, task, &next_ms, out, mark);
    if (rc == RATCHET_OK)
        rc = rt_api_resolve(a, task, version, NULL, &v, out, mark);
    if (rc == RATCHET_OK)
        rc = rt_api_check_input(v, input ? input : empty, "/input", out, mark);
    if (rc == RATCHET_OK) {
        ratchet_buf at = RATCHET_BUF_INIT;
        rt_buf_time_iso8601(&at, next_ms * 1000);
        json_object_object_add(rec, "taskName", rt_api_member_copy(v->rec, "name"));
        json_object_object_add(rec, "taskVersion",
                               version ? json_object_new_string(version) : NULL);
        json_object_object_add(rec, "input", json_object_get(input ? input : empty));
        json_object_object_add(rec, "nextRunAt", json_object_new_string(at.data ? at.data : ""));
        rt_buf_free(&at);
        rt_error_clear();
        rc = a->vt->schedule_add(a->si, json_object_to_json_string_ext(rec, JSON_C_TO_STRING_PLAIN),
                                 &id);
        if (rc != RATCHET_OK)
            rc = rt_api_storage_fail(out, mark, rc, "adding the schedule");
    }
    if (rc == RATCHET_OK) {
        char ref[32];
        snprintf(ref, sizeof ref, "%lld", (long long)id);
        char *warning = rt_cron_compat_warning_for(
            rt_api_str(rec, "cron"), rt_api_str(rec, "timezone"), rt_api_now_ms() / 1000);
        if (warning)
            rt_log(RATCHET_LOG_WARN, "schedule '%s': %s", rt_api_str(rec, "name"), warning);
        free(warning);
        a->vt->notify(a->si);
        rc = put_schedule(a, ref, out, mark);
    }
    json_object_put(empty);
    json_object_put(rec);
    json_object_put(req);
    return rc;
}

/* ---- update, delete, enable, trigger --------------------------------------------------------- */

static const char *const patch_keys[] = {"cron",    "cronExpression", "timezone",           "input",
                                         "enabled", "catchUp",        "outputDestinations", NULL};

/* Check the patch against the schedule it changes; the storage patch into `patch`. */
static ratchet_status read_patch(rt_api *a, struct json_object *req, struct json_object *sch,
                                 struct json_object *patch, int64_t *next_ms, ratchet_buf *out,
                                 size_t mark)
{
    struct json_object *details = json_object_new_array();
    json_object_object_foreach(req, key, val)
    {
        (void)val;
        int known = 0;
        for (size_t i = 0; patch_keys[i]; i++)
            known |= strcmp(key, patch_keys[i]) == 0;
        if (!known) {
            char pointer[300];
            snprintf(pointer, sizeof pointer, "/%s", key);
            rt_api_detail(details, pointer,
                          "cannot be changed (allowed: cron, timezone, input, enabled, catchUp, "
                          "outputDestinations)");
        }
    }
    const char *cron_key, *cron = cron_of(req, &cron_key);
    const char *zone = rt_api_str(req, "timezone");
    check_timing(cron ? cron : rt_api_str(sch, "cron"), cron_key,
                 zone ? zone : rt_api_str(sch, "timezone"), next_ms, details);
    if (cron)
        json_object_object_add(patch, "cron", json_object_new_string(cron));
    if (zone)
        json_object_object_add(patch, "timezone", json_object_new_string(zone));
    check_common(req, patch, details);
    if (json_object_array_length(details) > 0)
        return rt_api_fail(out, mark, "VALIDATION_ERROR", details, "invalid schedule change");
    json_object_put(details);
    struct json_object *input = rt_api_member(req, "input");
    if (!input)
        return RATCHET_OK;
    const api_version *v;
    ratchet_status rc = rt_api_resolve(a, rt_api_str(sch, "taskName"),
                                       rt_api_str(sch, "taskVersion"), NULL, &v, out, mark);
    if (rc == RATCHET_OK)
        rc = rt_api_check_input(v, input, "/input", out, mark);
    if (rc == RATCHET_OK)
        json_object_object_add(patch, "input", json_object_get(input));
    return rc;
}

static ratchet_status schedule_update(const char *ref, const char *patch_json, ratchet_buf *out)
{
    size_t mark = out->len;
    rt_api *a = rt_api_enter(out, mark);
    if (a && !rt_api_storage14(a))
        return rt_api_unsupported(out, mark, "changing schedules");
    struct json_object *req =
        a ? rt_api_parse_object(patch_json, "schedule change", out, mark) : NULL;
    if (!req)
        return RATCHET_ERR;
    ratchet_status rc;
    struct json_object *sch = find_schedule(a, ref, &rc, out, mark);
    struct json_object *patch = json_object_new_object();
    int64_t next_ms = 0;
    if (sch)
        rc = read_patch(a, req, sch, patch, &next_ms, out, mark);
    if (rc == RATCHET_OK) {
        rt_error_clear();
        rc = a->vt->schedule_update(a->si, json_object_get_int64(rt_api_member(sch, "id")),
                                    json_object_to_json_string_ext(patch, JSON_C_TO_STRING_PLAIN),
                                    next_ms);
        if (rc != RATCHET_OK)
            rc = rt_api_storage_fail(out, mark, rc, "changing the schedule");
    }
    if (rc == RATCHET_OK) {
        a->vt->notify(a->si);
        rc = put_schedule(a, rt_api_str(sch, "name"), out, mark);
    }
    json_object_put(patch);
    json_object_put(sch);
    json_object_put(req);
    return rc;
}

static ratchet_status schedule_delete(const char *ref, ratchet_buf *out)
{
    size_t mark = out->len;
    rt_api *a;
    ratchet_status rc;
    struct json_object *sch = enter_schedule(ref, &a, &rc, out, mark);
    if (sch) {
        rt_error_clear();
        rc = a->vt->schedule_remove(a->si, json_object_get_int64(rt_api_member(sch, "id")));
        rc = rc == RATCHET_OK ? rt_api_put(out, schedule_record(sch))
                              : rt_api_storage_fail(out, mark, rc, "removing the schedule");
        a->vt->notify(a->si);
    }
    json_object_put(sch);
    return rc;
}

static ratchet_status schedule_set_enabled(const char *ref, int enabled, ratchet_buf *out)
{
    size_t mark = out->len;
    rt_api *a;
    ratchet_status rc;
    struct json_object *sch = enter_schedule(ref, &a, &rc, out, mark);
    int64_t next_ms = 0;
    rt_error err;
    /* Enabling computes the next run from now, as `schedules enable` does. */
    if (sch && enabled &&
        rt_schedule_next_fire(rt_api_str(sch, "cron"), rt_api_str(sch, "timezone"), rt_api_now_ms(),
                              &next_ms, &err) != RATCHET_OK)
        rc = rt_api_fail(out, mark, "CONFLICT", NULL, "the schedule cannot run: %s", err.msg);
    if (sch && rc == RATCHET_OK) {
        rt_error_clear();
        rc = a->vt->schedule_set_enabled(a->si, json_object_get_int64(rt_api_member(sch, "id")),
                                         enabled ? 1 : 0, next_ms);
        rc = rc == RATCHET_OK ? put_schedule(a, rt_api_str(sch, "name"), out, mark)
                              : rt_api_storage_fail(out, mark, rc, "changing the schedule");
        a->vt->notify(a->si);
    }
    json_object_put(sch);
    return rc;
}

static ratchet_status schedule_trigger(const char *ref, ratchet_buf *out)
{
    size_t mark = out->len;
    rt_api *a;
    ratchet_status rc;
    struct json_object *sch = enter_schedule(ref, &a, &rc, out, mark);
    struct json_object *en = rt_api_member(sch, "enabled");
    const api_version *v = NULL;
    if (sch && en && !json_object_get_boolean(en))
        rc = rt_api_fail(out, mark, "CONFLICT", NULL, "schedule '%s' is disabled",
                         rt_api_str(sch, "name"));
    if (sch && rc == RATCHET_OK)
        rc = rt_api_resolve(a, rt_api_str(sch, "taskName"), rt_api_str(sch, "taskVersion"), NULL,
                            &v, out, mark);
    if (rc == RATCHET_OK && v) {
        struct json_object *input = rt_api_member(sch, "input"), *meta = rt_api_member(sch, "meta");
        ratchet_job_submit job;
        memset(&job, 0, sizeof job);
        job.abi = (ratchet_abi)RATCHET_ABI_INIT(ratchet_job_submit);
        rt_api_retry_policy(a, &job);
        job.task_version_id = v->id;
        job.input_json =
            input ? json_object_to_json_string_ext(input, JSON_C_TO_STRING_PLAIN) : "{}";
        job.priority = RATCHET_PRIORITY_NORMAL;
        job.schedule_id = json_object_get_int64(rt_api_member(sch, "id"));
        job.meta_json = meta ? json_object_to_json_string_ext(meta, JSON_C_TO_STRING_PLAIN) : NULL;
        rc = rt_api_queue_job(a, &job, rt_api_str(v->rec, "name"), out, mark);
    }
    json_object_put(sch);
    return rc;
}

void rt_api_fill_schedules(ratchet_engine_api *t)
{
    t->schedule_create = schedule_create;
    t->schedule_get = schedule_get;
    t->schedules_list = schedules_list;
    t->schedule_update = schedule_update;
    t->schedule_delete = schedule_delete;
    t->schedule_set_enabled = schedule_set_enabled;
    t->schedule_trigger = schedule_trigger;
}
