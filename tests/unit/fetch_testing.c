/* tests/unit/fetch_testing.c - the loopback HTTP server and call helpers of the fetch tests. */
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

#include "fetch_testing.h"

/* ---- the server -------------------------------------------------------------------------- */

typedef struct conn_ctx {
    char *upload;
    size_t len;
} conn_ctx;

static enum MHD_Result reply(struct MHD_Connection *c, unsigned status, const char *ctype,
                             const char *body, size_t len)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(len, (void *)(uintptr_t)body, MHD_RESPMEM_MUST_COPY);
    if (ctype)
        MHD_add_response_header(r, "Content-Type", ctype);
    enum MHD_Result rc = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return rc;
}

static ssize_t chunked_body(void *cls, uint64_t pos, char *buf, size_t max)
{
    (void)cls;
    if (pos >= FETCH_BIG_SIZE)
        return MHD_CONTENT_READER_END_OF_STREAM;
    size_t n = max < 1000 ? max : 1000;
    if (n > FETCH_BIG_SIZE - pos)
        n = (size_t)(FETCH_BIG_SIZE - pos);
    memset(buf, 'y', n);
    return (ssize_t)n;
}

/* Wait until the test releases the slow request, at most one second. */
static void wait_for_release(fetch_server *s)
{
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += 1;
    pthread_mutex_lock(&s->lock);
    while (!s->release_slow)
        if (pthread_cond_timedwait(&s->cond, &s->lock, &deadline) != 0)
            break;
    pthread_mutex_unlock(&s->lock);
}

static enum MHD_Result echo(struct MHD_Connection *c, const char *method, conn_ctx *ctx)
{
    struct json_object *o = json_object_new_object();
    const char *ct = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
    const char *ua = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "User-Agent");
    const char *xt = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Test");
    const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
    json_object_object_add(o, "method", json_object_new_string(method));
    json_object_object_add(o, "content_type", ct ? json_object_new_string(ct) : NULL);
    json_object_object_add(o, "user_agent", ua ? json_object_new_string(ua) : NULL);
    json_object_object_add(o, "x_test", xt ? json_object_new_string(xt) : NULL);
    json_object_object_add(o, "content_length", cl ? json_object_new_string(cl) : NULL);
    json_object_object_add(
        o, "body", json_object_new_string_len(ctx->upload ? ctx->upload : "", (int)ctx->len));
    const char *text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
    enum MHD_Result rc = reply(c, 200, "application/json", text, strlen(text));
    json_object_put(o);
    return rc;
}

/* /secret: answers whether each credential arrived as sent (never the values themselves, so a
 * recording holds them only if headers leak), with a cookie and a token set in the response. */
static enum MHD_Result secret(struct MHD_Connection *c)
{
    static const char *const names[] = {"Authorization", "Cookie", "Proxy-Authorization",
                                        "X-Api-Key"};
    struct json_object *o = json_object_new_object();
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        const char *v = MHD_lookup_connection_value(c, MHD_HEADER_KIND, names[i]);
        json_object_object_add(o, names[i], json_object_new_boolean(v && strstr(v, "s3cret")));
    }
    const char *text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
    struct MHD_Response *r = MHD_create_response_from_buffer(strlen(text), (void *)(uintptr_t)text,
                                                             MHD_RESPMEM_MUST_COPY);
    MHD_add_response_header(r, "Content-Type", "application/json");
    MHD_add_response_header(r, "Set-Cookie", "sid=s3cret; HttpOnly");
    MHD_add_response_header(r, "X-Session-Token", "s3cret-token");
    MHD_add_response_header(r, "X-Plain", "visible");
    enum MHD_Result rc = MHD_queue_response(c, 200, r);
    MHD_destroy_response(r);
    json_object_put(o);
    return rc;
}

static enum MHD_Result route(fetch_server *s, struct MHD_Connection *c, const char *url,
                             const char *method, conn_ctx *ctx)
{
    if (!strcmp(url, "/json")) {
        static const char body[] = "{\"hello\":\"world\",\"n\":[1,2,3]}";
        struct MHD_Response *r = MHD_create_response_from_buffer(
            sizeof body - 1, (void *)(uintptr_t)body, MHD_RESPMEM_PERSISTENT);
        MHD_add_response_header(r, "Content-Type", "application/json");
        MHD_add_response_header(r, "X-Multi", "a");
        MHD_add_response_header(r, "X-Multi", "b");
        enum MHD_Result rc = MHD_queue_response(c, 200, r);
        MHD_destroy_response(r);
        return rc;
    }
    if (!strcmp(url, "/text"))
        return reply(c, 200, "text/plain; charset=utf-8", "plain text", 10);
    if (!strcmp(url, "/created"))
        return reply(c, 201, "application/json", "{\"id\":7}", 8);
    if (!strncmp(url, "/status/", 8))
        return reply(c, (unsigned)atoi(url + 8), "text/plain", "nope", 4);
    if (!strncmp(url, "/redirect/", 10)) {
        int n = atoi(url + 10);
        if (n <= 0)
            return reply(c, 200, "text/plain", "landed", 6);
        char next[64];
        snprintf(next, sizeof next, "/redirect/%d", n - 1);
        struct MHD_Response *r = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
        MHD_add_response_header(r, "Location", next);
        enum MHD_Result rc = MHD_queue_response(c, 302, r);
        MHD_destroy_response(r);
        return rc;
    }
    if (!strcmp(url, "/to-ftp")) {
        struct MHD_Response *r = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
        MHD_add_response_header(r, "Location", "ftp://127.0.0.1/file");
        enum MHD_Result rc = MHD_queue_response(c, 302, r);
        MHD_destroy_response(r);
        return rc;
    }
    if (!strcmp(url, "/slow")) {
        wait_for_release(s);
        return reply(c, 200, "text/plain", "late", 4);
    }
    if (!strcmp(url, "/big")) {
        char *big = malloc(FETCH_BIG_SIZE);
        memset(big, 'x', FETCH_BIG_SIZE);
        struct MHD_Response *r =
            MHD_create_response_from_buffer(FETCH_BIG_SIZE, big, MHD_RESPMEM_MUST_FREE);
        enum MHD_Result rc = MHD_queue_response(c, 200, r);
        MHD_destroy_response(r);
        return rc;
    }
    if (!strcmp(url, "/big-chunked")) {
        struct MHD_Response *r =
            MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, chunked_body, NULL, NULL);
        enum MHD_Result rc = MHD_queue_response(c, 200, r);
        MHD_destroy_response(r);
        return rc;
    }
    if (!strcmp(url, "/counter")) {
        char text[32];
        pthread_mutex_lock(&s->lock);
        int n = ++s->counter;
        pthread_mutex_unlock(&s->lock);
        snprintf(text, sizeof text, "%d", n);
        return reply(c, 200, "application/json", text, strlen(text));
    }
    if (!strcmp(url, "/binary"))
        return reply(c, 200, "application/octet-stream", "\x00\x01\xff\xfe\x80z", 6);
    if (!strcmp(url, "/echo"))
        return echo(c, method, ctx);
    if (!strcmp(url, "/secret"))
        return secret(c);
    return reply(c, 404, "text/plain", "no such route", 13);
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *c, const char *url,
                               const char *method, const char *version, const char *upload,
                               size_t *upload_size, void **con_cls)
{
    (void)version;
    fetch_server *s = cls;
    conn_ctx *ctx = *con_cls;
    if (!ctx) { /* headers only: set up, then collect the body */
        ctx = calloc(1, sizeof *ctx);
        *con_cls = ctx;
        pthread_mutex_lock(&s->lock);
        s->requests++;
        pthread_mutex_unlock(&s->lock);
        return MHD_YES;
    }
    if (*upload_size) {
        char *grown = realloc(ctx->upload, ctx->len + *upload_size + 1);
        if (!grown)
            return MHD_NO;
        memcpy(grown + ctx->len, upload, *upload_size);
        ctx->upload = grown;
        ctx->len += *upload_size;
        ctx->upload[ctx->len] = '\0';
        *upload_size = 0;
        return MHD_YES;
    }
    return route(s, c, url, method, ctx);
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
                      enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)c;
    (void)toe;
    conn_ctx *ctx = *con_cls;
    if (ctx) {
        free(ctx->upload);
        free(ctx);
        *con_cls = NULL;
    }
}

void fetch_server_start(fetch_server *s)
{
    /* A proxy configured in the environment must not see loopback test traffic. */
    setenv("no_proxy", "*", 1);
    setenv("NO_PROXY", "*", 1);
    memset(s, 0, sizeof *s);
    pthread_mutex_init(&s->lock, NULL);
    pthread_cond_init(&s->cond, NULL);
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    /* A thread per connection: the slow endpoint must not hold up the others. */
    s->daemon = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION, 0,
                                 NULL, NULL, handler, s, MHD_OPTION_SOCK_ADDR, &addr,
                                 MHD_OPTION_NOTIFY_COMPLETED, completed, s, MHD_OPTION_END);
    assert_non_null(s->daemon);
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    assert_non_null(info);
    s->port = info->port;
    assert_true(s->port > 0);
    snprintf(s->base, sizeof s->base, "http://127.0.0.1:%u", s->port);
}

void fetch_server_release_slow(fetch_server *s)
{
    pthread_mutex_lock(&s->lock);
    s->release_slow = 1;
    pthread_cond_broadcast(&s->cond);
    pthread_mutex_unlock(&s->lock);
}

void fetch_server_stop(fetch_server *s)
{
    fetch_server_release_slow(s);
    if (s->daemon)
        MHD_stop_daemon(s->daemon);
    s->daemon = NULL;
    pthread_cond_destroy(&s->cond);
    pthread_mutex_destroy(&s->lock);
}

int fetch_server_requests(fetch_server *s)
{
    pthread_mutex_lock(&s->lock);
    int n = s->requests;
    pthread_mutex_unlock(&s->lock);
    return n;
}

/* ---- calling fetch ----------------------------------------------------------------------- */

char *fetch_url(const fetch_server *s, const char *path)
{
    static char buf[4][256];
    static int next;
    char *u = buf[next++ % 4];
    snprintf(u, sizeof buf[0], "%s%s", s->base, path);
    return u;
}

void fetch_call_free(ratchet_fetch_call *call)
{
    free(call->response_json);
    free(call->error_name);
    free(call->error_message);
    memset(call, 0, sizeof *call);
}

void fetch_call(rt_fetcher *f, const char *url, const char *opts, const char *body,
                ratchet_fetch_call *call)
{
    memset(call, 0, sizeof *call);
    ratchet_abi abi = RATCHET_ABI_INIT(ratchet_fetch_call);
    call->abi = abi;
    call->url = url;
    call->options_json = opts;
    call->body_json = body;
    assert_int_equal(rt_fetch_callback(f, call), RATCHET_OK);
    /* exactly one of the two outcomes */
    assert_true((call->response_json != NULL) != (call->error_name != NULL));
    assert_true((call->error_name != NULL) == (call->error_message != NULL));
}

/* Fetch expecting a response; returns it parsed (caller puts). *raw gets the text if asked. */
struct json_object *fetch_ok(rt_fetcher *f, const char *url, const char *opts, const char *body,
                             char **raw)
{
    ratchet_fetch_call call;
    fetch_call(f, url, opts, body, &call);
    if (!call.response_json)
        fail_msg("%s: expected a response, got %s: %s", url, call.error_name, call.error_message);
    struct json_object *o = json_tokener_parse(call.response_json);
    assert_non_null(o);
    if (raw) {
        *raw = call.response_json;
        call.response_json = NULL;
    }
    fetch_call_free(&call);
    return o;
}

/* Fetch expecting a thrown error named `name`; returns the message (caller frees). */
char *fetch_err(rt_fetcher *f, const char *url, const char *opts, const char *body,
                const char *name, int *status)
{
    ratchet_fetch_call call;
    fetch_call(f, url, opts, body, &call);
    if (!call.error_name)
        fail_msg("%s: expected %s, got %s", url, name, call.response_json);
    assert_string_equal(call.error_name, name);
    if (status)
        *status = call.error_status;
    char *msg = call.error_message;
    call.error_message = NULL;
    fetch_call_free(&call);
    return msg;
}

void fetch_expect_err(rt_fetcher *f, const char *url, const char *opts, const char *body,
                      const char *name, const char *message)
{
    char *msg = fetch_err(f, url, opts, body, name, NULL);
    assert_string_equal(msg, message);
    free(msg);
}

const char *json_str_at(struct json_object *o, const char *path)
{
    struct json_object *v = o;
    char key[64];
    while (*path) {
        size_t n = strcspn(path, ".");
        snprintf(key, sizeof key, "%.*s", (int)n, path);
        if (!json_object_object_get_ex(v, key, &v))
            return NULL;
        path += n + (path[n] == '.');
    }
    return json_object_get_string(v);
}

struct json_object *json_at(struct json_object *o, const char *key)
{
    struct json_object *v = NULL;
    json_object_object_get_ex(o, key, &v);
    return v;
}
