/* tests/unit/deliver_testing.c - the webhook receiver and record helpers of the delivery tests
 * (deliver_testing.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "deliver_testing.h"

/* One request: the target as sent and the body so far. */
typedef struct upload {
    char *uri;
    char *data;
    size_t len;
    int started;
} upload;

hook_server server;

/* Called first for every request, with the target before libmicrohttpd decodes it: the
 * request's state starts here. */
static void *keep_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
    (void)cls;
    (void)c;
    upload *u = calloc(1, sizeof *u);
    if (u)
        u->uri = strdup(uri);
    return u;
}

static enum MHD_Result keep_header(void *cls, enum MHD_ValueKind kind, const char *key,
                                   const char *value)
{
    (void)kind;
    char name[128];
    size_t i = 0;
    for (; key[i] && i < sizeof name - 1; i++)
        name[i] = (char)(key[i] >= 'A' && key[i] <= 'Z' ? key[i] + 32 : key[i]);
    name[i] = '\0';
    json_object_object_add(cls, name, json_object_new_string(value ? value : ""));
    return MHD_YES;
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *c, const char *url,
                               const char *method, const char *version, const char *data,
                               size_t *size, void **con_cls)
{
    (void)version;
    hook_server *s = cls;
    upload *u = *con_cls;
    if (!u || !u->uri)
        return MHD_NO;
    if (!u->started) {
        u->started = 1;
        return MHD_YES;
    }
    if (*size) {
        char *grown = realloc(u->data, u->len + *size + 1);
        if (!grown)
            return MHD_NO;
        memcpy(grown + u->len, data, *size);
        u->data = grown;
        u->len += *size;
        u->data[u->len] = '\0';
        *size = 0;
        return MHD_YES;
    }
    struct json_object *headers = json_object_new_object();
    MHD_get_connection_values(c, MHD_HEADER_KIND, keep_header, headers);
    pthread_mutex_lock(&s->lock);
    int n = s->requests++;
    snprintf(s->method, sizeof s->method, "%s", method);
    free(s->body);
    s->body = strdup(u->data ? u->data : "");
    free(s->uri);
    s->uri = strdup(u->uri);
    json_object_put(s->headers);
    s->headers = headers;
    int status = n < s->nstatuses ? s->statuses[n] : 200;
    if (!strcmp(url, "/hang")) {
        struct timespec deadline;
        clock_gettime(CLOCK_REALTIME, &deadline);
        deadline.tv_sec += 5;
        while (!s->released)
            if (pthread_cond_timedwait(&s->cond, &s->lock, &deadline) != 0)
                break;
    }
    pthread_mutex_unlock(&s->lock);
    static const char answer[] = "{\"ok\":true}";
    struct MHD_Response *r = MHD_create_response_from_buffer(
        sizeof answer - 1, (void *)(uintptr_t)answer, MHD_RESPMEM_PERSISTENT);
    enum MHD_Result rc = MHD_queue_response(c, (unsigned)status, r);
    MHD_destroy_response(r);
    return rc;
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
                      enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)c;
    (void)toe;
    upload *u = *con_cls;
    if (u) {
        free(u->uri);
        free(u->data);
        free(u);
        *con_cls = NULL;
    }
}

void server_start(void)
{
    setenv("no_proxy", "*", 1);
    setenv("NO_PROXY", "*", 1);
    memset(&server, 0, sizeof server);
    pthread_mutex_init(&server.lock, NULL);
    pthread_cond_init(&server.cond, NULL);
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    server.daemon = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION, 0, NULL, NULL, handler,
        &server, MHD_OPTION_SOCK_ADDR, &addr, MHD_OPTION_URI_LOG_CALLBACK, keep_uri, &server,
        MHD_OPTION_NOTIFY_COMPLETED, completed, &server, MHD_OPTION_END);
    assert_non_null(server.daemon);
    const union MHD_DaemonInfo *info =
        MHD_get_daemon_info(server.daemon, MHD_DAEMON_INFO_BIND_PORT);
    assert_non_null(info);
    snprintf(server.base, sizeof server.base, "http://127.0.0.1:%u", info->port);
}

void server_release(void)
{
    pthread_mutex_lock(&server.lock);
    server.released = 1;
    pthread_cond_broadcast(&server.cond);
    pthread_mutex_unlock(&server.lock);
}

void server_stop(void)
{
    server_release();
    MHD_stop_daemon(server.daemon);
    pthread_cond_destroy(&server.cond);
    pthread_mutex_destroy(&server.lock);
    free(server.body);
    free(server.uri);
    json_object_put(server.headers);
}

void server_script(int n, const int *statuses)
{
    pthread_mutex_lock(&server.lock);
    server.requests = 0;
    server.nstatuses = n;
    for (int i = 0; i < n; i++)
        server.statuses[i] = statuses[i];
    pthread_mutex_unlock(&server.lock);
}

int server_requests(void)
{
    pthread_mutex_lock(&server.lock);
    int n = server.requests;
    pthread_mutex_unlock(&server.lock);
    return n;
}

const char *seen_header(const char *lower_name)
{
    struct json_object *v = NULL;
    json_object_object_get_ex(server.headers, lower_name, &v);
    return v ? json_object_get_string(v) : NULL;
}

int setup(void **state)
{
    (void)state;
    server_start();
    return 0;
}

int teardown(void **state)
{
    (void)state;
    server_stop();
    return 0;
}

/* ---- helpers ------------------------------------------------------------------------------ */

rt_delivery_policy fast_policy(void)
{
    rt_delivery_policy p = rt_delivery_policy_defaults();
    p.initial_delay_ms = 5;
    p.max_delay_ms = 50;
    return p;
}

rt_delivery_job sample_job(struct json_object *output)
{
    rt_delivery_job job;
    memset(&job, 0, sizeof job);
    job.job_id = 42;
    job.execution_id = 7;
    job.task = "weather";
    job.version = "1.2.0";
    job.status = "completed";
    job.output = output;
    job.finished_ms = 1764139245123; /* 2025-11-26T06:40:45.123Z */
    return job;
}

struct json_object *dest_json(const char *fmt, ...)
{
    char text[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    for (char *p = text; *p; p++)
        if (*p == '\'')
            *p = '"';
    struct json_object *o = json_tokener_parse(text);
    if (!o)
        fail_msg("bad test JSON: %s", text);
    return o;
}

struct json_object *deliver(struct json_object *dest, const rt_delivery_job *job,
                            const rt_delivery_policy *p, const char *base)
{
    struct json_object *r = rt_deliver(dest, job, p, base);
    assert_non_null(r);
    json_object_put(dest);
    return r;
}

struct json_object *at(struct json_object *o, const char *key)
{
    struct json_object *v = NULL;
    if (!json_object_object_get_ex(o, key, &v))
        fail_msg("no '%s' in %s", key, json_object_to_json_string(o));
    return v;
}

int rec_int(struct json_object *r, const char *key)
{
    return json_object_get_int(at(r, key));
}

const char *rec_str(struct json_object *r, const char *key)
{
    return json_object_get_string(at(r, key));
}

void check_outputs(const char *outputs, const char *message)
{
    struct json_object *o = dest_json("%s", outputs);
    rt_error err = {""};
    ratchet_status rc = rt_outputs_check(o, &err);
    json_object_put(o);
    if (!message) {
        if (rc != RATCHET_OK)
            fail_msg("%s: unexpected error: %s", outputs, err.msg);
        return;
    }
    if (rc == RATCHET_OK)
        fail_msg("%s: accepted, expected '%s'", outputs, message);
    assert_string_equal(err.msg, message);
}
