/* tests/unit/api_rest_fakes.c - see api_rest_fakes.h. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <cmocka.h>

#include "api_rest_fakes.h"
#include "hostapi.h"

fake_engine_state fake_eng;
ratchet_http_route fake_routes[64];
size_t fake_nroutes;

static pthread_mutex_t fake_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t fake_cond = PTHREAD_COND_INITIALIZER;
static pthread_mutex_t sub_lock = PTHREAD_MUTEX_INITIALIZER; /* the engine's subscription lock */
static int sub_dead;

void fake_reset(void)
{
    pthread_mutex_lock(&fake_lock);
    memset(&fake_eng, 0, sizeof fake_eng);
    fake_eng.ready = 1;
    pthread_mutex_unlock(&fake_lock);
    pthread_mutex_lock(&sub_lock);
    sub_dead = 0;
    pthread_mutex_unlock(&sub_lock);
}

/* ---- the http side --------------------------------------------------------------------- */

static ratchet_status h_mount(ratchet_ctx *owner, const ratchet_http_route *routes, size_t n)
{
    (void)owner;
    if (n > sizeof fake_routes / sizeof fake_routes[0])
        return RATCHET_ERR;
    memcpy(fake_routes, routes, n * sizeof *routes);
    fake_nroutes = n;
    return RATCHET_OK;
}
static void h_unmount(ratchet_ctx *owner)
{
    (void)owner;
    fake_nroutes = 0;
}
static const char *h_method(const ratchet_http_request *r)
{
    return r->method;
}
static const char *h_path(const ratchet_http_request *r)
{
    return r->path;
}
static const char *h_param(const ratchet_http_request *r, const char *name)
{
    return strcmp(name, "id") == 0 ? r->id : NULL;
}
static const char *h_query(const ratchet_http_request *r, const char *name)
{
    for (size_t i = 0; i < r->nq; i++) {
        if (strcmp(r->qk[i], name) == 0)
            return r->qv[i];
    }
    return NULL;
}
static size_t h_query_count(const ratchet_http_request *r)
{
    return r->nq;
}
static const char *h_query_key_at(const ratchet_http_request *r, size_t i)
{
    return i < r->nq ? r->qk[i] : NULL;
}
static const char *h_query_value_at(const ratchet_http_request *r, size_t i)
{
    return i < r->nq ? r->qv[i] : NULL;
}
static const char *h_header(const ratchet_http_request *r, const char *name)
{
    for (size_t i = 0; i < r->nh; i++) {
        if (strcasecmp(r->hk[i], name) == 0)
            return r->hv[i];
    }
    return NULL;
}
static const char *h_body(const ratchet_http_request *r, size_t *len)
{
    *len = r->body ? strlen(r->body) : 0;
    return r->body;
}
static const char *h_client(const ratchet_http_request *r)
{
    (void)r;
    return "127.0.0.1";
}
static const char *h_request_id(const ratchet_http_request *r)
{
    (void)r;
    return "req-1";
}
static const char *h_key_name(const ratchet_http_request *r)
{
    (void)r;
    return NULL;
}
static ratchet_http_scope h_key_scope(const ratchet_http_request *r)
{
    (void)r;
    return RATCHET_HTTP_ADMIN;
}
static const char *h_base_url(const ratchet_http_request *r)
{
    (void)r;
    return "http://127.0.0.1:8080";
}
static void h_log(const ratchet_http_request *r, ratchet_log_level level, const char *fmt, ...)
{
    (void)r;
    (void)level;
    (void)fmt;
}
static ratchet_status h_add_header(ratchet_http_request *r, const char *name, const char *value)
{
    if (strcasecmp(name, "Location") == 0)
        snprintf(r->location, sizeof r->location, "%s", value);
    return RATCHET_OK;
}
static ratchet_status h_respond(ratchet_http_request *r, int status, const char *ct,
                                const char *body, size_t len)
{
    pthread_mutex_lock(&fake_lock);
    ratchet_status st = RATCHET_ERR;
    r->responds++;
    if (r->expire_returned)
        r->late_responds++;
    if (r->status == 0) {
        r->status = status;
        snprintf(r->content_type, sizeof r->content_type, "%s", ct ? ct : "");
        rt_host_api()->buf_append(&r->answer, body ? body : "", len);
        st = RATCHET_OK;
        pthread_cond_broadcast(&fake_cond);
    }
    pthread_mutex_unlock(&fake_lock);
    return st;
}
static ratchet_status h_respond_error(ratchet_http_request *r, int status, const char *code,
                                      const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    ratchet_buf b = RATCHET_BUF_INIT;
    const ratchet_host_api *h = rt_host_api();
    h->buf_printf(&b, "{\"error\":{\"code\":\"%s\",\"message\":", code);
    h->buf_json_string(&b, msg);
    h->buf_printf(&b, ",\"status\":%d}}", status);
    ratchet_status st = h_respond(r, status, "application/json", b.data, b.len);
    h->buf_free(&b);
    return st;
}
static ratchet_status h_defer(ratchet_http_request *r, int64_t timeout_ms,
                              ratchet_http_on_expire on_expire, void *user)
{
    (void)timeout_ms;
    r->deferred = 1;
    r->on_expire = on_expire;
    r->expire_user = user;
    return RATCHET_OK;
}
static ratchet_http_stream *h_stream_open(ratchet_http_request *r, int status, const char *ct,
                                          ratchet_http_on_close on_close, void *user)
{
    ratchet_http_stream *s = calloc(1, sizeof *s);
    s->on_close = on_close;
    s->user = user;
    s->gone = fake_eng.stream_gone;
    r->stream = s;
    r->status = status;
    snprintf(r->content_type, sizeof r->content_type, "%s", ct);
    return s;
}
static ratchet_status h_stream_write(ratchet_http_stream *s, const char *data, size_t len)
{
    pthread_mutex_lock(&fake_lock);
    ratchet_status st =
        s->closed || s->gone ? RATCHET_ERR : rt_host_api()->buf_append(&s->written, data, len);
    pthread_mutex_unlock(&fake_lock);
    return st;
}
static void h_stream_close(ratchet_http_stream *s)
{
    pthread_mutex_lock(&fake_lock);
    s->closed = 1;
    pthread_cond_broadcast(&fake_cond);
    pthread_mutex_unlock(&fake_lock);
}
static ratchet_status h_metrics(ratchet_buf *out)
{
    return rt_host_api()->buf_printf(out, "ratchet_http_requests_total 1\n");
}
static ratchet_status h_routes(ratchet_buf *out)
{
    return rt_host_api()->buf_printf(out, "[]");
}

const ratchet_http_api fake_http_api = {
    {RATCHET_HTTP_MAJOR, RATCHET_HTTP_MINOR, sizeof(ratchet_http_api)},
    h_mount,
    h_unmount,
    h_method,
    h_path,
    h_param,
    h_query,
    h_query_count,
    h_query_key_at,
    h_query_value_at,
    h_header,
    h_body,
    h_client,
    h_request_id,
    h_key_name,
    h_key_scope,
    h_base_url,
    h_log,
    h_add_header,
    h_respond,
    h_respond_error,
    h_defer,
    h_stream_open,
    h_stream_write,
    h_stream_close,
    h_metrics,
    h_routes,
    /* upgrade ... upgraded_close (interface minor 1): api-rest does not upgrade connections */
    NULL,
    NULL,
    NULL,
    NULL,
    NULL,
    NULL,
};

/* ---- the engine side ------------------------------------------------------------------- */

static ratchet_status answer(ratchet_buf *out)
{
    if (fake_eng.out)
        rt_host_api()->buf_printf(out, "%s", fake_eng.out);
    return fake_eng.status;
}
static void note(const char *arg)
{
    snprintf(fake_eng.last_arg, sizeof fake_eng.last_arg, "%s", arg ? arg : "(null)");
}
static ratchet_status e_out(ratchet_buf *out)
{
    return answer(out);
}
static int e_ready(void)
{
    return fake_eng.ready;
}
static ratchet_status e_stats(const char *resource, ratchet_buf *out)
{
    fake_eng.stats_resource = resource;
    return answer(out);
}
static ratchet_status e_text(const char *arg, ratchet_buf *out)
{
    note(arg);
    return answer(out);
}
static ratchet_status e_text2(const char *ref, const char *version, ratchet_buf *out)
{
    (void)version;
    note(ref);
    return answer(out);
}
static ratchet_status e_flag(const char *ref, int flag, ratchet_buf *out)
{
    note(ref);
    fake_eng.last_flag = flag;
    return answer(out);
}
static ratchet_status e_id(int64_t id, ratchet_buf *out)
{
    fake_eng.last_id = id;
    return answer(out);
}
static ratchet_status e_id_text(int64_t id, const char *q, ratchet_buf *out)
{
    fake_eng.last_id = id;
    note(q);
    return answer(out);
}
static ratchet_status e_execution_get(int64_t id, ratchet_buf *out)
{
    if (fake_eng.status != RATCHET_OK)
        return answer(out);
    return rt_host_api()->buf_printf(out, "{\"id\":%lld,\"durationMs\":12}", (long long)id);
}
static ratchet_status e_update(const char *ref, const char *patch, ratchet_buf *out)
{
    (void)ref;
    note(patch);
    return answer(out);
}
static ratchet_engine_sub *e_subscribe(int64_t job, int64_t exec, uint64_t after,
                                       ratchet_engine_event_fn fn, void *user)
{
    fake_eng.sub_job = job;
    fake_eng.sub_exec = exec;
    fake_eng.last_after = after;
    fake_eng.fn = fn;
    fake_eng.fn_user = user;
    fake_eng.subscribed = 1;
    pthread_mutex_lock(&sub_lock);
    for (size_t i = 0; i < fake_eng.nreplay && !sub_dead; i++)
        sub_dead = fn(user, after + i + 1, fake_eng.replay[i]) != 0;
    pthread_mutex_unlock(&sub_lock);
    return (ratchet_engine_sub *)&fake_eng;
}
static void e_unsubscribe(ratchet_engine_sub *sub)
{
    (void)sub;
    pthread_mutex_lock(&sub_lock);
    sub_dead = 1;
    pthread_mutex_unlock(&sub_lock);
    pthread_mutex_lock(&fake_lock);
    fake_eng.unsubscribed = 1;
    pthread_cond_broadcast(&fake_cond);
    pthread_mutex_unlock(&fake_lock);
}
static ratchet_status e_key_verify(const char *secret, ratchet_buf *name, int *scope)
{
    (void)secret;
    (void)name;
    (void)scope;
    return RATCHET_NOTFOUND;
}

const ratchet_engine_api fake_engine_api = {
    {RATCHET_ENGINE_MAJOR, RATCHET_ENGINE_MINOR, sizeof(ratchet_engine_api)},
    e_out,
    e_ready,
    e_out,
    e_out,
    e_stats,
    e_text,
    e_text,
    e_text2,
    e_flag,
    e_out,
    e_text,
    e_id,
    e_text,
    e_id,
    e_id,
    e_execution_get,
    e_text,
    e_id,
    e_id,
    e_id_text,
    e_text,
    e_text,
    e_text,
    e_update,
    e_text,
    e_flag,
    e_text,
    e_out,
    e_subscribe,
    e_unsubscribe,
    e_key_verify,
    NULL, /* task_write, task_validate, task_test (1.1): api-rest does not use them */
    NULL,
    NULL,
    /* keys_list ... stats_timeline (minor 2): the web UI's routes, tested against the real
     * engine (integration.rest_ui) */
    NULL,
    NULL,
    NULL,
    NULL,
    NULL,
    NULL,
    NULL,
    NULL,
    /* execution_analyze ... logs_trends (minor 2): tested against the real engine
     * (integration.error_analysis) */
    NULL,
    NULL,
    NULL,
    NULL,
    NULL,
};

void fake_deliver(uint64_t seq, const char *event_json)
{
    pthread_mutex_lock(&sub_lock);
    if (!sub_dead && fake_eng.fn)
        sub_dead = fake_eng.fn(fake_eng.fn_user, seq, event_json) != 0;
    pthread_mutex_unlock(&sub_lock);
}

void fake_expire(ratchet_http_request *req, ratchet_http_end why)
{
    req->on_expire(req->expire_user, req, why);
    pthread_mutex_lock(&fake_lock);
    req->expire_returned = 1;
    pthread_mutex_unlock(&fake_lock);
}

/* ---- requests -------------------------------------------------------------------------- */

ratchet_http_request *fake_request(const char *method, const char *pattern, const char *id)
{
    ratchet_http_request *r = calloc(1, sizeof *r);
    r->method = method;
    r->path = pattern;
    r->id = id;
    return r;
}
void fake_query(ratchet_http_request *req, const char *k, const char *v)
{
    req->qk[req->nq] = k;
    req->qv[req->nq++] = v;
}
void fake_header(ratchet_http_request *req, const char *k, const char *v)
{
    req->hk[req->nh] = k;
    req->hv[req->nh++] = v;
}
void fake_call(ratchet_http_request *req)
{
    for (size_t i = 0; i < fake_nroutes; i++) {
        if (strcmp(fake_routes[i].method, req->method) == 0 &&
            strcmp(fake_routes[i].pattern, req->path) == 0) {
            fake_routes[i].handler(fake_routes[i].user, req);
            return;
        }
    }
    fail_msg("no route %s %s", req->method, req->path);
}

static int wait_until(int *flag)
{
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += 5;
    pthread_mutex_lock(&fake_lock);
    int rc = 0;
    while (!*flag && rc != ETIMEDOUT)
        rc = pthread_cond_timedwait(&fake_cond, &fake_lock, &deadline);
    int ok = *flag != 0;
    pthread_mutex_unlock(&fake_lock);
    return ok;
}
int fake_wait_answer(ratchet_http_request *req)
{
    return wait_until(&req->status);
}
int fake_wait_closed(ratchet_http_stream *s)
{
    return wait_until(&s->closed);
}
int fake_wait_unsubscribed(void)
{
    return wait_until(&fake_eng.unsubscribed);
}

void fake_request_free(ratchet_http_request *req)
{
    rt_host_api()->buf_free(&req->answer);
    if (req->stream) {
        rt_host_api()->buf_free(&req->stream->written);
        free(req->stream);
    }
    free(req);
}
