/* host/engine/relay.c - fetch requests of workers, performed by the coordinator (see relay.h). */
#include "relay.h"

#include <json-c/json.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/core_layer.h"
#include "breaker.h"
#include "events.h"

/* Shared by the slot and the fetch threads working for its job, freed by whoever lets go
 * last: a job can end (timeout, cancel, crash) while a fetch for it is still running. */
struct job_http {
    rt_fetcher *fetcher;
    pthread_mutex_t lock;
    int refs;
    int inflight; /* fetches running: the call list is being written */
};

job_http *rt_job_http_new(void)
{
    job_http *h = calloc(1, sizeof *h);
    if (h && !(h->fetcher = rt_fetcher_new(NULL))) {
        free(h);
        return NULL;
    }
    if (h) {
        pthread_mutex_init(&h->lock, NULL);
        h->refs = 1;
    }
    return h;
}

void rt_job_http_release(job_http *h)
{
    if (!h)
        return;
    pthread_mutex_lock(&h->lock);
    int last = --h->refs == 0;
    pthread_mutex_unlock(&h->lock);
    if (last) {
        rt_fetcher_free(h->fetcher);
        pthread_mutex_destroy(&h->lock);
        free(h);
    }
}

/* The calls made so far as JSON text, or NULL while a fetch is still writing to the list. */
char *rt_job_http_calls(job_http *h)
{
    if (!h)
        return NULL;
    char *text = NULL;
    pthread_mutex_lock(&h->lock);
    if (h->inflight == 0)
        text = strdup(
            json_object_to_json_string_ext(rt_fetcher_calls(h->fetcher), JSON_C_TO_STRING_PLAIN));
    pthread_mutex_unlock(&h->lock);
    return text;
}

/* ---- fetch on behalf of a worker ----------------------------------------------------------- */

typedef struct fetch_job {
    rt_slot *slot;
    pid_t pid; /* the worker that asked: the answer goes to it or nowhere */
    job_http *http;
    int64_t id;
    int64_t job_id, execution_id; /* for the "fetch" event */
    char *url, *options, *body;
    rt_job_trace trace;            /* the job's, as the fetch began */
    char span[RT_SPAN_ID_LEN + 1]; /* this call's span, sent as traceparent */
    int64_t start_ns;
} fetch_job;

/* The HTTP status of a call that ended: from its response, or from the error a non-2xx
 * answer threw ("HTTP 503: ..."; HttpError also carries it); 0 for a network error. The
 * response is {ok, status, statusText, headers, body}: read the status from its head rather
 * than parse a body that may be megabytes. */
static int call_status(const ratchet_fetch_call *call)
{
    int status = call->error_status;
    char head[96] = "";
    if (call->response_json)
        snprintf(head, sizeof head, "%s", call->response_json);
    const char *at = strstr(head, "\"status\":");
    if (at)
        status = (int)strtol(at + 9, NULL, 10);
    else if (!status && call->error_message && strncmp(call->error_message, "HTTP ", 5) == 0)
        status = (int)strtol(call->error_message + 5, NULL, 10);
    return status;
}

/* The call's span (kind CLIENT) under the job's run span; its id went out as traceparent. */
static void fetch_span(const fetch_job *fj, const ratchet_fetch_call *call, const char *method,
                       int status)
{
    char name[48], host[RT_BREAKER_MAX_HOST], error[640];
    snprintf(name, sizeof name, "fetch %s", method);
    if (rt_breaker_host(fj->url, host) != RATCHET_OK)
        host[0] = '\0';
    if (call->error_name)
        snprintf(error, sizeof error, "%s: %s", call->error_name,
                 call->error_message ? call->error_message : "");
    ratchet_span_attr attrs[] = {
        {"http.request.method", method, 0},
        {"url.full", fj->url, 0},
        {"server.address", host, 0},
        {"http.response.status_code", NULL, status},
        {"error.type", call->error_name ? call->error_name : "", 0},
    };
    rt_job_trace_child(&fj->trace, 1, fj->span, name, RATCHET_SPAN_CLIENT, fj->start_ns,
                       rt_trace_now_ns(), call->error_name ? error : NULL, attrs,
                       call->error_name ? 5 : 4);
}

/* The "fetch" event of a call that ended: method from its options, status from its response
 * (or the HttpError's; 0 for a network error). Built from the call, not the shared call list,
 * which another fetch of the same job may be writing. */
static void announce_fetch(const fetch_job *fj, const ratchet_fetch_call *call, int64_t ms)
{
    struct json_object *options = fj->options ? json_tokener_parse(fj->options) : NULL;
    struct json_object *v = NULL, *rec = json_object_new_object();
    const char *method =
        json_object_object_get_ex(options, "method", &v) && v ? json_object_get_string(v) : "GET";
    int status = call_status(call);
    json_object_object_add(rec, "method", json_object_new_string(method));
    json_object_object_add(rec, "url", json_object_new_string(fj->url));
    json_object_object_add(rec, "status", json_object_new_int(status));
    json_object_object_add(rec, "durationMs", json_object_new_int64(ms));
    rt_events_emit_fetch(fj->job_id, fj->execution_id, rec);
    fetch_span(fj, call, method, status);
    json_object_put(rec);
    json_object_put(options);
}

/* Add `traceparent: 00-<trace>-<this call's span>-01` to the call's headers, unless the
 * script sent one itself (its own trace wins) or its options are not an object (the fetcher
 * reports that). */
static void add_traceparent(fetch_job *fj)
{
    struct json_object *opts =
        fj->options ? json_tokener_parse(fj->options) : json_object_new_object();
    struct json_object *headers = NULL;
    if (!json_object_is_type(opts, json_type_object) ||
        (json_object_object_get_ex(opts, "headers", &headers) &&
         !json_object_is_type(headers, json_type_object))) {
        json_object_put(opts);
        return;
    }
    if (!headers) {
        headers = json_object_new_object();
        json_object_object_add(opts, "headers", headers);
    }
    int present = 0;
    json_object_object_foreach(headers, name, value)
    {
        (void)value;
        present |= strcasecmp(name, "traceparent") == 0;
    }
    if (!present) {
        char tp[56];
        rt_traceparent_format(fj->trace.trace_id, fj->span, tp);
        json_object_object_add(headers, "traceparent", json_object_new_string(tp));
        char *text = strdup(json_object_to_json_string_ext(opts, JSON_C_TO_STRING_PLAIN));
        if (text) {
            free(fj->options);
            fj->options = text;
        }
    }
    json_object_put(opts);
}

static int64_t wall_ms(void)
{
    return rt_host_api()->now_us() / 1000;
}

/* How a call's outcome counts for its host's breaker: 1 failed (network error, timeout, 5xx),
 * 0 answered, -1 never sent (refused for its arguments). */
static int breaker_outcome(const ratchet_fetch_call *call)
{
    if (!call->error_name)
        return 0;
    if (!strcmp(call->error_name, "NetworkError") || !strcmp(call->error_name, "TimeoutError") ||
        !strcmp(call->error_name, "ServiceUnavailableError"))
        return 1;
    return strcmp(call->error_name, "Error") == 0 ? -1 : 0;
}

/* The call through its host's circuit breaker: refused at once, with ServiceUnavailableError
 * saying so, while the breaker is open. */
static void guarded_fetch(fetch_job *fj, ratchet_fetch_call *call)
{
    rt_breaker_pass pass;
    rt_breaker_enter(RT_BREAKER_FETCH, fj->url, wall_ms(), &pass);
    if (pass.allowed) {
        rt_fetch_callback(fj->http->fetcher, call);
        rt_breaker_leave(RT_BREAKER_FETCH, &pass, breaker_outcome(call), wall_ms());
        return;
    }
    char msg[512];
    rt_breaker_refusal(&pass, wall_ms(), msg, sizeof msg);
    call->error_name = strdup("ServiceUnavailableError");
    call->error_message = strdup(msg);
}

static void *fetch_thread(void *arg)
{
    fetch_job *fj = arg;
    rt_log_ctx_set_job(fj->job_id, fj->execution_id, fj->trace.task);
    rt_log_ctx_set_trace(fj->trace.trace_id, fj->span);
    if (fj->trace.trace_id[0])
        add_traceparent(fj);
    ratchet_fetch_call call;
    memset(&call, 0, sizeof call);
    call.abi = (ratchet_abi)RATCHET_ABI_INIT(ratchet_fetch_call);
    call.url = fj->url;
    call.options_json = fj->options;
    call.body_json = fj->body;
    int64_t t0 = rt_host_api()->monotonic_ns();
    guarded_fetch(fj, &call);
    announce_fetch(fj, &call, (rt_host_api()->monotonic_ns() - t0) / 1000000);
    pthread_mutex_lock(&fj->http->lock);
    fj->http->inflight--;
    pthread_mutex_unlock(&fj->http->lock);
    rt_ipc_msg m;
    memset(&m, 0, sizeof m);
    m.type = RT_IPC_FETCH_RESULT;
    m.id = fj->id;
    if (call.error_name) {
        m.fetch_result.is_error = 1;
        m.fetch_result.error.name = call.error_name;
        m.fetch_result.error.message = call.error_message;
        m.fetch_result.error.status = call.error_status;
    } else {
        m.fetch_result.response = (rt_ipc_json){
            NULL, call.response_json, call.response_json ? strlen(call.response_json) : 0};
    }
    rt_pool_send_to(fj->slot, fj->pid, &m);
    rt_job_http_release(fj->http);
    free(call.response_json);
    free(call.error_name);
    free(call.error_message);
    free(fj->url);
    free(fj->options);
    free(fj->body);
    free(fj);
    return NULL;
}

static char *json_text(const rt_ipc_json *j)
{
    return j->obj ? strdup(json_object_to_json_string_ext(j->obj, JSON_C_TO_STRING_PLAIN)) : NULL;
}

/* Answer a fetch with an error at once (when it cannot be carried out), so the worker does
 * not wait for its deadline. */
static void refuse_fetch(rt_slot *s, const rt_ipc_msg *m, const char *why)
{
    rt_ipc_msg r;
    memset(&r, 0, sizeof r);
    r.type = RT_IPC_FETCH_RESULT;
    r.id = m->id;
    r.fetch_result.is_error = 1;
    r.fetch_result.error.name = "NetworkError";
    r.fetch_result.error.message = why;
    rt_pool_send_to(s, s->pid, &r);
}

void rt_relay_fetch(rt_slot *s, const rt_ipc_msg *m)
{
    job_http *h = s->fetcher;
    fetch_job *fj = h ? calloc(1, sizeof *fj) : NULL;
    if (!fj) {
        refuse_fetch(s, m, "fetch: the coordinator is out of memory");
        return;
    }
    fj->slot = s;
    fj->pid = s->pid;
    fj->http = h;
    fj->id = m->id;
    fj->job_id = s->job.job_id;
    fj->execution_id = s->job.execution_id;
    fj->trace = s->trace;
    rt_trace_new_span(fj->span);
    fj->start_ns = rt_trace_now_ns();
    fj->url = strdup(m->fetch.url);
    fj->options = json_text(&m->fetch.options);
    fj->body = json_text(&m->fetch.body);
    pthread_mutex_lock(&h->lock);
    h->refs++;
    h->inflight++;
    pthread_mutex_unlock(&h->lock);
    pthread_t t;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    if (pthread_create(&t, &attr, fetch_thread, fj) != 0) {
        pthread_mutex_lock(&h->lock);
        h->inflight--;
        pthread_mutex_unlock(&h->lock);
        rt_job_http_release(h);
        free(fj->url);
        free(fj->options);
        free(fj->body);
        free(fj);
        refuse_fetch(s, m, "fetch: the coordinator cannot start a thread");
    }
    pthread_attr_destroy(&attr);
}
