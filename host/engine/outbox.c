/* host/engine/outbox.c - the delivery thread (see outbox.h). */
#include "outbox.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>

#include "deliver.h"
#include "core/core_layer.h"

typedef struct parcel {
    struct json_object *outputs;
    struct json_object *output, *error;
    int64_t job_id, execution_id, finished_ms;
    char *task, *version, *status;
    rt_job_trace trace; /* trace_id "" when none */
    struct parcel *next;
} parcel;

struct rt_outbox {
    const ratchet_storage_vtable *vt;
    void *si;
    char *base_dir;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    parcel *head, *tail;
    int stopping;
    int64_t stop_deadline_ms; /* retries end at this time once stopping */
};

static int64_t now_ms(void)
{
    return rt_host_api()->now_us() / 1000;
}

static void parcel_free(parcel *p)
{
    json_object_put(p->outputs);
    json_object_put(p->output);
    json_object_put(p->error);
    free(p->task);
    free(p->version);
    free(p->status);
    free(p);
}

/* rt_delivery_policy.cancelled: past the shutdown grace, retries stop. */
static int past_grace(void *data)
{
    rt_outbox *ob = data;
    pthread_mutex_lock(&ob->lock);
    int over = ob->stopping && now_ms() >= ob->stop_deadline_ms;
    pthread_mutex_unlock(&ob->lock);
    return over;
}

static const char *rec_str(struct json_object *rec, const char *key)
{
    struct json_object *v = NULL;
    return json_object_object_get_ex(rec, key, &v) && json_object_is_type(v, json_type_string)
               ? json_object_get_string(v)
               : NULL;
}

/* The delivery's span under the job's root: destination, attempts, last status, error. */
static void delivery_span(const parcel *p, struct json_object *rec, int64_t start_ns)
{
    struct json_object *v = NULL;
    char name[48];
    snprintf(name, sizeof name, "deliver %s",
             rec_str(rec, "destinationType") ? rec_str(rec, "destinationType") : "output");
    int64_t attempts =
        json_object_object_get_ex(rec, "attempts", &v) ? json_object_get_int64(v) : 0;
    int64_t status =
        json_object_object_get_ex(rec, "responseStatus", &v) && v ? json_object_get_int64(v) : 0;
    const char *dest = rec_str(rec, "destination");
    ratchet_span_attr attrs[] = {
        {"ratchet.destination", dest ? dest : "", 0},
        {"ratchet.delivery.attempts", NULL, attempts},
        {"http.response.status_code", NULL, status},
    };
    rt_job_trace_child(&p->trace, 0, NULL, name, RATCHET_SPAN_CLIENT, start_ns, rt_trace_now_ns(),
                       rec_str(rec, "error"), attrs, sizeof attrs / sizeof attrs[0]);
}

static void deliver_parcel(rt_outbox *ob, parcel *p)
{
    rt_log_ctx_set_job(p->job_id, p->execution_id, p->task);
    rt_log_ctx_set_trace(p->trace.trace_id, p->trace.root);
    rt_delivery_policy policy = rt_delivery_policy_defaults();
    policy.cancelled = past_grace;
    policy.cancel_data = ob;
    rt_delivery_job job = {p->job_id, p->execution_id, p->task,  p->version,
                           p->status, p->output,       p->error, p->finished_ms};
    size_t n = json_object_array_length(p->outputs);
    for (size_t i = 0; i < n; i++) {
        int64_t start_ns = rt_trace_now_ns();
        struct json_object *rec =
            rt_deliver(json_object_array_get_idx(p->outputs, i), &job, &policy, ob->base_dir);
        if (!rec)
            continue;
        delivery_span(p, rec, start_ns);
        struct json_object *ok;
        if (json_object_object_get_ex(rec, "success", &ok) && !json_object_get_boolean(ok))
            rt_log(RATCHET_LOG_WARN, "job %lld: output %zu not delivered: %s", (long long)p->job_id,
                   i, json_object_to_json_string(rec));
        rt_error_clear();
        if (ob->vt->delivery_record(
                ob->si, json_object_to_json_string_ext(rec, JSON_C_TO_STRING_PLAIN)) != RATCHET_OK)
            rt_log(RATCHET_LOG_ERROR, "job %lld: recording a delivery failed: %s",
                   (long long)p->job_id, rt_error_peek());
        json_object_put(rec);
    }
    rt_log_ctx_clear();
}

static void *outbox_main(void *arg)
{
    rt_outbox *ob = arg;
    prctl(PR_SET_NAME, "rt-outbox"); /* its name in top -H, ps -L and /proc */
    for (;;) {
        pthread_mutex_lock(&ob->lock);
        while (!ob->head && !ob->stopping)
            pthread_cond_wait(&ob->cond, &ob->lock);
        parcel *p = ob->head;
        if (p) {
            ob->head = p->next;
            if (!ob->head)
                ob->tail = NULL;
        }
        pthread_mutex_unlock(&ob->lock);
        if (!p)
            return NULL; /* stopping, and nothing left */
        deliver_parcel(ob, p);
        parcel_free(p);
    }
}

rt_outbox *rt_outbox_start(const ratchet_storage_vtable *vt, void *instance, const char *base_dir)
{
    rt_outbox *ob = calloc(1, sizeof *ob);
    if (!ob)
        return NULL;
    ob->vt = vt;
    ob->si = instance;
    ob->base_dir = strdup(base_dir ? base_dir : ".");
    pthread_mutex_init(&ob->lock, NULL);
    pthread_cond_init(&ob->cond, NULL);
    if (!ob->base_dir || pthread_create(&ob->thread, NULL, outbox_main, ob) != 0) {
        free(ob->base_dir);
        free(ob);
        return NULL;
    }
    return ob;
}

static struct json_object *parse_or_null(const char *text)
{
    return text ? json_tokener_parse(text) : NULL;
}

void rt_outbox_push(rt_outbox *ob, struct json_object *outputs, int64_t job_id,
                    int64_t execution_id, const char *task, const char *version, const char *status,
                    const char *output_json, const char *error_json, const rt_job_trace *trace)
{
    parcel *p = calloc(1, sizeof *p);
    if (!p)
        return;
    p->outputs = json_object_get(outputs);
    p->output = parse_or_null(output_json);
    p->error = parse_or_null(error_json);
    p->job_id = job_id;
    p->execution_id = execution_id;
    p->finished_ms = now_ms();
    p->task = strdup(task ? task : "?");
    p->version = strdup(version ? version : "?");
    p->status = strdup(status);
    if (trace)
        p->trace = *trace;
    pthread_mutex_lock(&ob->lock);
    if (ob->tail)
        ob->tail->next = p;
    else
        ob->head = p;
    ob->tail = p;
    pthread_cond_signal(&ob->cond);
    pthread_mutex_unlock(&ob->lock);
}

void rt_outbox_stop(rt_outbox *ob, int64_t grace_ms)
{
    if (!ob)
        return;
    pthread_mutex_lock(&ob->lock);
    ob->stopping = 1;
    ob->stop_deadline_ms = now_ms() + grace_ms;
    pthread_cond_signal(&ob->cond);
    pthread_mutex_unlock(&ob->lock);
    pthread_join(ob->thread, NULL);
    for (parcel *p = ob->head, *next; p; p = next) {
        next = p->next;
        parcel_free(p);
    }
    pthread_mutex_destroy(&ob->lock);
    pthread_cond_destroy(&ob->cond);
    free(ob->base_dir);
    free(ob);
}
