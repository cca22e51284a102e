/* host/engine/jobtrace.c - the spans of one job attempt (see jobtrace.h). */
#include "jobtrace.h"

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

static void copy(char *dst, size_t cap, const char *src)
{
    snprintf(dst, cap, "%s", src ? src : "");
}

/* A string member of o that is a well-formed id of n hex digits, else NULL. */
static const char *id_member(struct json_object *o, const char *key, size_t n)
{
    struct json_object *v = NULL;
    if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
        return NULL;
    const char *s = json_object_get_string(v);
    return strlen(s) == n && strspn(s, "0123456789abcdef") == n ? s : NULL;
}

void rt_job_trace_begin(rt_job_trace *t, const ratchet_claimed_job *job, const char *task)
{
    memset(t, 0, sizeof *t);
    struct json_object *meta = job->meta_json ? json_tokener_parse(job->meta_json) : NULL, *v;
    const char *trace = id_member(meta, "traceId", RT_TRACE_ID_LEN);
    if (trace)
        copy(t->trace_id, sizeof t->trace_id, trace);
    else
        rt_trace_new_id(t->trace_id);
    copy(t->parent, sizeof t->parent, id_member(meta, "traceParent", RT_SPAN_ID_LEN));
    if (job->attempt <= 1 && json_object_object_get_ex(meta, "queuedAtMs", &v) &&
        json_object_is_type(v, json_type_int))
        t->queued_ns = json_object_get_int64(v) * 1000000;
    json_object_put(meta);
    rt_trace_new_span(t->root);
    rt_trace_new_span(t->run);
    t->run_ns = rt_trace_now_ns();
    if (t->queued_ns > t->run_ns) /* another host's clock ahead of ours */
        t->queued_ns = t->run_ns;
    t->job_id = job->job_id;
    t->execution_id = job->execution_id;
    t->attempt = job->attempt;
    copy(t->task, sizeof t->task, task);
}

/* "Name: message" of an error record {name, message, ...}, or NULL. */
static const char *error_text(const char *error_json, char *buf, size_t size)
{
    struct json_object *e = error_json ? json_tokener_parse(error_json) : NULL, *n, *m;
    if (!json_object_is_type(e, json_type_object)) {
        json_object_put(e);
        return NULL;
    }
    const char *name =
        json_object_object_get_ex(e, "name", &n) && n ? json_object_get_string(n) : NULL;
    const char *msg =
        json_object_object_get_ex(e, "message", &m) && m ? json_object_get_string(m) : "failed";
    snprintf(buf, size, "%s%s%s", name ? name : "", name ? ": " : "", msg);
    json_object_put(e);
    return buf;
}

void rt_job_trace_run_end(rt_job_trace *t, const char *error_json)
{
    if (!t->trace_id[0] || t->run_end_ns)
        return;
    t->run_end_ns = rt_trace_now_ns();
    t->run_failed = error_text(error_json, t->run_error, sizeof t->run_error) != NULL;
}

static void emit(const rt_job_trace *t, const char *span_id, const char *parent, const char *name,
                 ratchet_span_kind kind, int64_t start_ns, int64_t end_ns, const char *error,
                 const ratchet_span_attr *attrs, size_t nattrs)
{
    ratchet_span s = {RATCHET_ABI_INIT(ratchet_span),
                      t->trace_id,
                      span_id,
                      parent,
                      name,
                      kind,
                      start_ns,
                      end_ns < start_ns ? start_ns : end_ns,
                      error ? RATCHET_SPAN_ERROR : RATCHET_SPAN_UNSET,
                      error,
                      attrs,
                      nattrs};
    rt_span_emit(&s);
}

void rt_job_trace_child(const rt_job_trace *t, int under_run, const char *span_id, const char *name,
                        ratchet_span_kind kind, int64_t start_ns, int64_t end_ns, const char *error,
                        const ratchet_span_attr *attrs, size_t nattrs)
{
    if (!t->trace_id[0])
        return;
    char id[RT_SPAN_ID_LEN + 1];
    if (!span_id)
        rt_trace_new_span(id);
    emit(t, span_id ? span_id : id, under_run ? t->run : t->root, name, kind, start_ns, end_ns,
         error, attrs, nattrs);
}

void rt_job_trace_finish(const rt_job_trace *t, const char *status, const char *error_json)
{
    if (!t->trace_id[0] || !rt_span_wanted())
        return;
    int64_t now = rt_trace_now_ns(), run_end = t->run_end_ns ? t->run_end_ns : now;
    if (t->queued_ns)
        rt_job_trace_child(t, 0, NULL, "queue", RATCHET_SPAN_INTERNAL, t->queued_ns, t->run_ns,
                           NULL, NULL, 0);
    emit(t, t->run, t->root, "run", RATCHET_SPAN_INTERNAL, t->run_ns, run_end,
         t->run_failed ? t->run_error : NULL, NULL, 0);
    rt_job_trace_child(t, 0, NULL, "finish", RATCHET_SPAN_INTERNAL, run_end, now, NULL, NULL, 0);
    char buf[512], name[160];
    const char *error = error_text(error_json, buf, sizeof buf);
    ratchet_span_attr attrs[] = {
        {"ratchet.task", t->task, 0},
        {"ratchet.job_id", NULL, t->job_id},
        {"ratchet.execution_id", NULL, t->execution_id},
        {"ratchet.attempt", NULL, t->attempt},
        {"ratchet.status", status, 0},
    };
    snprintf(name, sizeof name, "job %s", t->task);
    emit(t, t->root, t->parent, name, t->parent[0] ? RATCHET_SPAN_SERVER : RATCHET_SPAN_INTERNAL,
         t->queued_ns ? t->queued_ns : t->run_ns, now, error, attrs,
         sizeof attrs / sizeof attrs[0]);
}
