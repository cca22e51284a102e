/* host/engine/schedule.c - cron schedules fired from storage (see schedule.h). */
#include "schedule.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_layer.h"
#include "cron.h"
#include "events.h"
#include "trace.h"
#include "tz.h"

#define RT_MISSED_MS 2000 /* a fire later than this counts as missed (downtime) */
/* A wake-up says only that something in storage changed, mostly jobs: the schedules are read
 * again at most this often for it (and whenever one is due), not after every wake-up. */
#define RT_RESCAN_MS 1000

static int64_t clock_now_ms(void)
{
    return rt_host_api()->now_us() / 1000;
}

/* Read exactly `n` digits. */
static int digits(const char **p, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++, (*p)++) {
        if (**p < '0' || **p > '9')
            return -1;
        v = v * 10 + (**p - '0');
    }
    *out = v;
    return 0;
}

int rt_schedule_parse_time(const char *text, int64_t *ms)
{
    if (text[0] == '+') {
        rt_error err;
        int64_t d;
        if (rt_parse_duration_ms(text + 1, &d, &err) != RATCHET_OK)
            return -1;
        *ms = clock_now_ms() + d;
        return 0;
    }
    const char *p = text;
    int y, mo, d, h, mi, s, frac = 0;
    if (digits(&p, 4, &y) || *p++ != '-' || digits(&p, 2, &mo) || *p++ != '-' ||
        digits(&p, 2, &d) || (*p != 'T' && *p != 't' && *p != ' ') || !*p++ || digits(&p, 2, &h) ||
        *p++ != ':' || digits(&p, 2, &mi) || *p++ != ':' || digits(&p, 2, &s))
        return -1;
    if (*p == '.') {
        p++;
        int scale = 100, n = 0;
        while (*p >= '0' && *p <= '9') {
            if (n++ < 3)
                frac += (*p - '0') * scale;
            scale /= 10;
            p++;
        }
    }
    int offset_min = 0;
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int sign = *p++ == '-' ? -1 : 1, oh, om;
        if (digits(&p, 2, &oh) || *p++ != ':' || digits(&p, 2, &om))
            return -1;
        offset_min = sign * (oh * 60 + om);
    } else {
        return -1;
    }
    if (*p || mo < 1 || mo > 12 || d < 1 || d > rt_tz_days_in_month(y, mo) || h > 23 || mi > 59 ||
        s > 60)
        return -1;
    int64_t days = rt_tz_days_from_civil(y, mo, d);
    *ms = ((days * 86400 + h * 3600 + mi * 60 + s) - (int64_t)offset_min * 60) * 1000 + frac;
    return 0;
}

struct rt_scheduler {
    const ratchet_storage_vtable *vt;
    void *si;
    rt_schedule_policy policy;
    int64_t next_ms;     /* earliest nextRunAt of an enabled schedule; 0 = none */
    int dirty;           /* storage changed since the last read: read again by read_ms + RESCAN */
    int64_t read_ms;     /* when the schedules were last read (0: never) */
    unsigned long reads; /* how many times (for the tests, through rt_scheduler_reads) */
};

rt_scheduler *rt_scheduler_new(const ratchet_storage_vtable *vt, void *instance,
                               const rt_schedule_policy *policy)
{
    rt_scheduler *s = calloc(1, sizeof *s);
    if (s) {
        s->vt = vt;
        s->si = instance;
        s->policy = *policy;
        s->dirty = 1;
    }
    return s;
}

void rt_scheduler_free(rt_scheduler *s)
{
    free(s);
}

void rt_scheduler_invalidate(rt_scheduler *s)
{
    s->dirty = 1;
}

int64_t rt_scheduler_next_ms(const rt_scheduler *s)
{
    int64_t rescan = s->dirty ? s->read_ms + RT_RESCAN_MS : 0;
    if (s->dirty && !s->read_ms)
        return 1; /* never read: at once */
    if (!rescan || (s->next_ms && s->next_ms < rescan))
        return s->next_ms;
    return rescan;
}

unsigned long rt_scheduler_reads(const rt_scheduler *s)
{
    return s->reads;
}

static const char *str(struct json_object *o, const char *key)
{
    struct json_object *v;
    return json_object_object_get_ex(o, key, &v) && v ? json_object_get_string(v) : NULL;
}

static struct json_object *list_json(ratchet_status rc, ratchet_buf *out)
{
    struct json_object *v = rc == RATCHET_OK && out->data ? json_tokener_parse(out->data) : NULL;
    rt_buf_free(out);
    return v;
}

/* The stored version a schedule runs: its taskVersion, else the task's latest. 0 when there
 * is none; -1 when storage could not say (try again later, do not skip the fire). */
static int64_t version_for(rt_scheduler *s, const char *task, const char *version)
{
    ratchet_buf out = RATCHET_BUF_INIT;
    struct json_object *tasks = list_json(s->vt->task_list(s->si, &out), &out);
    if (!tasks)
        return -1;
    int64_t id = 0;
    for (size_t i = 0; tasks && i < json_object_array_length(tasks) && !id; i++) {
        struct json_object *t = json_object_array_get_idx(tasks, i), *vs;
        const char *name = str(t, "name");
        if (!name || strcmp(name, task) != 0 || !json_object_object_get_ex(t, "versions", &vs))
            continue;
        const char *want = version ? version : str(t, "latestVersion");
        for (size_t k = 0; want && k < json_object_array_length(vs); k++) {
            struct json_object *v = json_object_array_get_idx(vs, k), *vid;
            const char *ver = str(v, "version");
            if (ver && strcmp(ver, want) == 0 && json_object_object_get_ex(v, "id", &vid))
                id = json_object_get_int64(vid);
        }
    }
    json_object_put(tasks);
    return id;
}

/* The next fire time (ms) strictly after after_ms, or 0 with a logged reason. */
static int64_t next_fire(struct json_object *sch, int64_t after_ms)
{
    rt_error err;
    rt_cron *c = rt_cron_parse(str(sch, "cron") ? str(sch, "cron") : "", &err);
    rt_tz *tz = c ? rt_tz_load(str(sch, "timezone") ? str(sch, "timezone") : "UTC", &err) : NULL;
    int64_t next = 0;
    if (!tz || rt_cron_next(c, tz, after_ms / 1000, &next, &err) != RATCHET_OK) {
        rt_log(RATCHET_LOG_ERROR, "schedule '%s': %s", str(sch, "name"), err.msg);
        next = 0;
    }
    rt_tz_free(tz);
    rt_cron_free(c);
    return next * 1000;
}

/* Fire one due schedule. Returns -1 when storage failed (the scheduler retries later). */
static int fire(rt_scheduler *s, struct json_object *sch, int64_t now)
{
    struct json_object *v;
    int64_t id = json_object_object_get_ex(sch, "id", &v) ? json_object_get_int64(v) : 0;
    int64_t expected = 0;
    const char *at = str(sch, "nextRunAt");
    if (!at || rt_schedule_parse_time(at, &expected) != 0)
        return 0;
    int64_t next = next_fire(sch, now);
    int missed = now - expected > RT_MISSED_MS;
    if (missed && !s->policy.catch_up_once) {
        /* Skip the missed fire: move on without a job (a NULL job queues nothing). */
        int64_t none = 0;
        return s->vt->schedule_fire(s->si, id, expected, now, next, NULL, &none) == RATCHET_OK ? 0
                                                                                               : -1;
    }
    const char *task = str(sch, "taskName");
    int64_t version_id = task ? version_for(s, task, str(sch, "taskVersion")) : 0;
    if (version_id < 0)
        return -1;
    if (!version_id) {
        rt_log(RATCHET_LOG_ERROR, "schedule '%s': task %s is not stored; skipping this fire",
               str(sch, "name"), task ? task : "?");
        int64_t none = 0;
        return s->vt->schedule_fire(s->si, id, expected, now, next, NULL, &none) == RATCHET_OK ? 0
                                                                                               : -1;
    }
    struct json_object *input = NULL, *meta = NULL;
    json_object_object_get_ex(sch, "input", &input);
    json_object_object_get_ex(sch, "meta", &meta);
    ratchet_job_submit job = {
        RATCHET_ABI_INIT(ratchet_job_submit),
        version_id,
        input ? json_object_to_json_string_ext(input, JSON_C_TO_STRING_PLAIN) : "{}",
        RATCHET_PRIORITY_NORMAL,
        0,
        s->policy.max_retries,
        s->policy.retry_base_ms,
        s->policy.retry_max_ms,
        NULL,
        id,
        meta ? json_object_to_json_string_ext(meta, JSON_C_TO_STRING_PLAIN) : NULL};
    int64_t job_id = 0;
    char *traced = rt_trace_stamp_text(job.meta_json, now); /* each fire: a trace of its own */
    if (traced)
        job.meta_json = traced;
    rt_error_clear();
    ratchet_status fired = s->vt->schedule_fire(s->si, id, expected, now, next, &job, &job_id);
    free(traced);
    if (fired != RATCHET_OK) {
        rt_log(RATCHET_LOG_ERROR, "schedule '%s': firing failed: %s", str(sch, "name"),
               rt_error_peek());
        return -1;
    }
    if (job_id) {
        rt_log(RATCHET_LOG_INFO, "schedule '%s' fired: job %lld%s", str(sch, "name"),
               (long long)job_id, missed ? " (catching up a missed run)" : "");
        rt_events_emit_status(job_id, 0, task, "queued", 0, NULL, NULL);
    }
    return 0;
}

void rt_scheduler_run(rt_scheduler *s, int64_t now)
{
    int is_due = s->next_ms != 0 && now >= s->next_ms;
    if (!is_due && !(s->dirty && (!s->read_ms || now >= s->read_ms + RT_RESCAN_MS)))
        return;
    s->read_ms = now;
    s->reads++;
    ratchet_buf out = RATCHET_BUF_INIT;
    struct json_object *due = list_json(s->vt->schedule_due(s->si, now, &out), &out);
    size_t ndue = due ? json_object_array_length(due) : 0;
    int failed = !due;
    for (size_t i = 0; i < ndue; i++)
        failed |= fire(s, json_object_array_get_idx(due, i), now) != 0;
    json_object_put(due);
    if (ndue > 0)
        s->vt->notify(s->si);
    /* When is the next one? */
    struct json_object *all = list_json(s->vt->schedule_list(s->si, &out), &out);
    s->next_ms = 0;
    for (size_t i = 0; all && i < json_object_array_length(all); i++) {
        struct json_object *sch = json_object_array_get_idx(all, i), *en;
        int64_t t;
        const char *at = str(sch, "nextRunAt");
        if (json_object_object_get_ex(sch, "enabled", &en) && json_object_get_boolean(en) && at &&
            rt_schedule_parse_time(at, &t) == 0 && (s->next_ms == 0 || t < s->next_ms))
            s->next_ms = t;
    }
    /* After a storage failure, look again in a second rather than spin or stop. */
    if (failed || !all) {
        s->dirty = 0;
        s->next_ms = now + 1000;
    } else {
        s->dirty = 0;
    }
    json_object_put(all);
}
