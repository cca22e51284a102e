/*
 * rs_doc_sched.c - schedule documents (schedule_add) and patches (schedule_update) as the
 * storage plugins read them: members, defaults, and the checks the database does not make.
 */
#include <string.h>

#include "rs_docs.h"
#include "rs_json.h"
#include "rs_out.h"

/* The values the database does not check itself: catchUp (NULL: unchanged) and meta (NULL:
 * none) of a schedule or a patch named `what`. */
static ratchet_status sched_check(ratchet_ctx *ctx, const char *what, const char *catch_up,
                                  const char *meta)
{
    if (catch_up && strcmp(catch_up, "once") != 0 && strcmp(catch_up, "skip") != 0) {
        rs_host->set_error(ctx, "%s: \"catchUp\" must be \"once\" or \"skip\", not '%s'", what,
                           catch_up);
        return RATCHET_ERR;
    }
    if (meta && meta[0] != '{') {
        rs_host->set_error(ctx, "%s: \"meta\" must be an object", what);
        return RATCHET_ERR;
    }
    return RATCHET_OK;
}

ratchet_status rs_sched_parse(ratchet_ctx *ctx, const char *json, rs_sched_doc *d)
{
    static const char what[] = "schedule";
    memset(d, 0, sizeof *d);
    d->timezone = "UTC";
    d->catch_up = "once";
    d->enabled = 1;
    ratchet_status s = rs_parse_object(ctx, json, what, 0, &d->doc);
    if (s == RATCHET_OK)
        s = rs_get_str(ctx, d->doc, what, "name", 1, &d->name);
    if (s == RATCHET_OK)
        s = rs_get_str(ctx, d->doc, what, "taskName", 1, &d->task_name);
    if (s == RATCHET_OK)
        s = rs_get_str(ctx, d->doc, what, "taskVersion", 0, &d->task_version);
    if (s == RATCHET_OK)
        s = rs_get_str(ctx, d->doc, what, "cron", 1, &d->cron);
    if (s == RATCHET_OK)
        s = rs_get_str(ctx, d->doc, what, "timezone", 0, &d->timezone);
    if (s == RATCHET_OK)
        s = rs_get_str(ctx, d->doc, what, "catchUp", 0, &d->catch_up);
    if (s == RATCHET_OK)
        s = rs_get_bool(ctx, d->doc, what, "enabled", &d->enabled);
    if (s == RATCHET_OK)
        s = rs_get_time(ctx, d->doc, what, "nextRunAt", &d->next_run);
    if (s == RATCHET_OK)
        s = rs_get_json(ctx, d->doc, "input", &d->input);
    if (s == RATCHET_OK)
        s = rs_get_json(ctx, d->doc, "meta", &d->meta);
    if (s == RATCHET_OK)
        s = sched_check(ctx, "schedule", d->catch_up, d->meta);
    if (s == RATCHET_OK && d->next_run > RS_TIME_MAX_MS) {
        rs_host->set_error(ctx, "schedule: \"nextRunAt\" is after the year 9999");
        s = RATCHET_ERR;
    }
    return s;
}

void rs_sched_doc_free(rs_sched_doc *d)
{
    json_object_put(d->doc);
    rs_host->free(d->input);
    rs_host->free(d->meta);
}

static int has_member(json_object *o, const char *key)
{
    return json_object_object_get_ex(o, key, NULL);
}

ratchet_status rs_sched_patch_parse(ratchet_ctx *ctx, const char *json, rs_sched_patch *p)
{
    static const char what[] = "schedule patch";
    ratchet_status s = rs_parse_object(ctx, json, what, 0, &p->doc);
    if (s == RATCHET_OK)
        s = rs_get_str(ctx, p->doc, what, "cron", 0, &p->cron);
    if (s == RATCHET_OK)
        s = rs_get_str(ctx, p->doc, what, "timezone", 0, &p->timezone);
    if (s == RATCHET_OK)
        s = rs_get_str(ctx, p->doc, what, "catchUp", 0, &p->catch_up);
    if (s == RATCHET_OK)
        s = rs_get_str(ctx, p->doc, what, "taskVersion", 0, &p->task_version);
    if (s == RATCHET_OK)
        s = rs_get_bool(ctx, p->doc, what, "enabled", &p->enabled);
    if (s == RATCHET_OK)
        s = rs_get_json(ctx, p->doc, "input", &p->input);
    if (s == RATCHET_OK)
        s = rs_get_json(ctx, p->doc, "meta", &p->meta);
    if (s == RATCHET_OK && ((p->cron && !*p->cron) || (p->timezone && !*p->timezone))) {
        rs_host->set_error(ctx, "%s: \"cron\" and \"timezone\" must not be empty", what);
        s = RATCHET_ERR;
    }
    if (s == RATCHET_OK)
        s = sched_check(ctx, what, p->catch_up, p->meta);
    p->has_meta = p->doc && has_member(p->doc, "meta");
    p->has_task_version = p->doc && has_member(p->doc, "taskVersion");
    return s;
}
