/*
 * graphql_sub.c - GraphQL subscriptions, whatever carries them (Server-Sent Events in
 * graphql_sse.c, WebSocket in graphql_ws.c): what each root field follows and
 *
 *   jobStatus(jobId)            the job's status events, until its final status
 *   taskExecutions(taskId)      the status events of the task's jobs (all tasks without taskId)
 *   executionLogs(executionId)  the execution's console lines and HTTP calls, until it ends
 *   workerStatus(workerId)      the workers' states: all at the start, then each change (read
 *                               when a job changes status, as that is when a worker does)
 *
 * each engine event executed against the operation's selection set and handed to the
 * transport's sink (graphql.h) as one result.
 *
 * Threading. Each subscription has a thread of its own: the engine's callback (on an engine
 * thread, with the subscription's lock held) only queues a copy of the event and wakes it; the
 * thread shapes the event, executes the operation's selection set on it with gql_execute
 * (resolvers may call the engine: never from the callback, engine.h) and gives the result to
 * the sink. The thread alone unsubscribes and releases the sink; a transport that sees its
 * client go only marks the subscription cancelled (graphql_sub_cancel), finding it by the
 * sink's handle in the instance's list under the instance's lock (so a late notice finds
 * nothing). stop() marks them all and waits for the threads.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "graphql.h"

#define STOP_WAIT_S 5

typedef struct event_item {
    char *json;
    struct event_item *next;
} event_item;

typedef enum sub_kind { SUB_JOB, SUB_TASK, SUB_LOGS, SUB_WORKERS } sub_kind;

struct graphql_sub {
    graphql *g;
    graphql_sink sink;
    ratchet_engine_sub *sub;
    gql_doc *doc;
    json_object *params; /* the request's query, operationName and variables */
    sub_kind kind;
    const char *field;    /* the root field (the schema's string) */
    char *task_name;      /* taskExecutions(taskId:): its name, else NULL */
    char *worker_id;      /* workerStatus(workerId:), else NULL */
    json_object *workers; /* workerStatus: the last state seen per worker id */
    int64_t execution_id;
    pthread_cond_t wake;
    event_item *head, *tail; /* guarded by g->lock */
    int closed;              /* cancelled: the client went away or asked to stop */
    graphql_sub *next;       /* in g->subs */
};

/* ---- results ------------------------------------------------------------------------- */

/* Execute the operation on a root value (borrowed) and hand the result to the sink. */
static void emit(graphql_sub *s, json_object *root)
{
    graphql_call call = {.g = s->g};
    json_object *result = graphql_execute(&call, s->doc, s->params, root, NULL);
    s->sink.next(s->sink.user, result);
    json_object_put(result);
}

/* ---- events in the schema's shapes ----------------------------------------------------- */

static json_object *member(json_object *o, const char *k)
{
    json_object *v = NULL;
    json_object_object_get_ex(o, k, &v);
    return v;
}

static void copy(json_object *to, json_object *from, const char *k)
{
    json_object *v = member(from, k);
    if (v)
        json_object_object_add(to, k, json_object_get(v));
}

static json_object *seq_string(uint64_t seq)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%llu", (unsigned long long)seq);
    return json_object_new_string(buf);
}

static json_object *status_event(json_object *ev, uint64_t seq)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "seq", seq_string(seq));
    json_object_object_add(o, "jobId", graphql_id(member(ev, "jobId")));
    json_object_object_add(o, "executionId", graphql_id(member(ev, "executionId")));
    json_object_object_add(o, "status", graphql_enum(member(ev, "status")));
    json_object_object_add(o, "error", graphql_job_error(member(ev, "error")));
    static const char *const same[] = {"taskName", "attempt", "time",
                                       "final",    "output",  "durationMs"};
    for (size_t i = 0; i < sizeof same / sizeof *same; i++)
        copy(o, ev, same[i]);
    return o;
}

static json_object *log_event(json_object *ev, uint64_t seq)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "seq", seq_string(seq));
    json_object_object_add(o, "jobId", graphql_id(member(ev, "jobId")));
    json_object_object_add(o, "executionId", graphql_id(member(ev, "executionId")));
    json_object_object_add(o, "kind", graphql_enum(member(ev, "type")));
    static const char *const same[] = {"time", "level",  "message",   "method",
                                       "url",  "status", "durationMs"};
    for (size_t i = 0; i < sizeof same / sizeof *same; i++)
        copy(o, ev, same[i]);
    return o;
}

/* workerStatus: a `next` per worker whose state differs from the last one seen. */
static void workers_changed(graphql_sub *s)
{
    ratchet_buf b = RATCHET_BUF_INIT;
    if (s->g->eng->workers_list(&b) != RATCHET_OK) {
        graphql_host->buf_free(&b);
        return;
    }
    json_object *list = json_tokener_parse(b.data);
    graphql_host->buf_free(&b);
    char now[32];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
    for (size_t i = 0; list && i < json_object_array_length(list); i++) {
        json_object *w = graphql_worker(json_object_array_get_idx(list, i));
        const char *id = json_object_get_string(member(w, "id"));
        const char *state = json_object_get_string(member(w, "status"));
        json_object *last = member(s->workers, id);
        int same = last && state && strcmp(json_object_get_string(last), state) == 0;
        if (!same && (!s->worker_id || strcmp(s->worker_id, id) == 0)) {
            json_object_object_add(s->workers, id, json_object_new_string(state ? state : ""));
            json_object *root = json_object_new_object(), *ev = json_object_new_object();
            json_object_object_add(ev, "worker", json_object_get(w));
            json_object_object_add(ev, "time", json_object_new_string(now));
            json_object_object_add(root, s->field, ev);
            emit(s, root);
            json_object_put(root);
        }
        json_object_put(w);
    }
    json_object_put(list);
}

/* One engine event: answered (maybe) and whether the stream ends with it. */
static int handle(graphql_sub *s, const char *text)
{
    json_object *item = json_tokener_parse(text);
    json_object *ev = member(item, "event");
    uint64_t seq = (uint64_t)json_object_get_int64(member(item, "seq"));
    const char *type = json_object_get_string(member(ev, "type"));
    const char *status = json_object_get_string(member(ev, "status"));
    int is_status = type && strcmp(type, "status") == 0;
    int end = 0;
    json_object *shaped = NULL;
    switch (s->kind) {
    case SUB_JOB:
        if (is_status) {
            shaped = status_event(ev, seq);
            end = json_object_get_boolean(member(ev, "final"));
        }
        break;
    case SUB_TASK:
        if (is_status && (!s->task_name || strcmp(s->task_name, json_object_get_string(
                                                                    member(ev, "taskName"))) == 0))
            shaped = status_event(ev, seq);
        break;
    case SUB_LOGS:
        if (is_status) /* the execution's run is over past running */
            end = status && strcmp(status, "running") != 0 && strcmp(status, "queued") != 0;
        else if (type)
            shaped = log_event(ev, seq);
        break;
    case SUB_WORKERS:
        if (is_status)
            workers_changed(s);
        break;
    }
    if (shaped) {
        json_object *root = json_object_new_object();
        json_object_object_add(root, s->field, shaped);
        emit(s, root);
        json_object_put(root);
    }
    json_object_put(item);
    return end;
}

/* ---- the subscription's life ---------------------------------------------------------- */

/* The engine's callback: queue a copy {seq, event} and wake the thread. Quick, no engine call. */
static int on_event(void *user, uint64_t seq, const char *event_json)
{
    graphql_sub *s = user;
    size_t n = strlen(event_json);
    event_item *it = malloc(sizeof *it);
    char *json = malloc(n + 48);
    if (!it || !json) {
        free(it);
        free(json);
        return 0;
    }
    snprintf(json, n + 48, "{\"seq\": %llu, \"event\": %s}", (unsigned long long)seq, event_json);
    it->json = json;
    it->next = NULL;
    pthread_mutex_lock(&s->g->lock);
    if (s->tail)
        s->tail->next = it;
    else
        s->head = it;
    s->tail = it;
    pthread_cond_signal(&s->wake);
    pthread_mutex_unlock(&s->g->lock);
    return 0;
}

static void sub_free(graphql_sub *s)
{
    for (event_item *it = s->head, *nx; it; it = nx) {
        nx = it->next;
        free(it->json);
        free(it);
    }
    pthread_cond_destroy(&s->wake);
    gql_doc_free(s->doc);
    json_object_put(s->params);
    json_object_put(s->workers);
    free(s->task_name);
    free(s->worker_id);
    free(s);
}

/* Take the subscription out of the instance's list (a late cancel must not find it). */
static void unlist(graphql *g, graphql_sub *s)
{
    pthread_mutex_lock(&g->lock);
    for (graphql_sub **p = &g->subs; *p; p = &(*p)->next)
        if (*p == s) {
            *p = s->next;
            break;
        }
    pthread_mutex_unlock(&g->lock);
}

static void unlive(graphql *g)
{
    pthread_mutex_lock(&g->lock);
    g->live--;
    pthread_cond_broadcast(&g->idle);
    pthread_mutex_unlock(&g->lock);
}

static void *sub_main(void *arg)
{
    graphql_sub *s = arg;
    graphql *g = s->g;
    if (s->kind == SUB_WORKERS)
        workers_changed(s); /* the states as they are now */
    pthread_mutex_lock(&g->lock);
    for (;;) {
        while (!s->head && !s->closed && !g->stopping)
            pthread_cond_wait(&s->wake, &g->lock);
        event_item *it = s->head;
        if (!it)
            break;
        s->head = it->next;
        if (!s->head)
            s->tail = NULL;
        pthread_mutex_unlock(&g->lock);
        int end = s->closed ? 0 : handle(s, it->json);
        free(it->json);
        free(it);
        pthread_mutex_lock(&g->lock);
        if (end || s->closed)
            break;
    }
    /* out of the list first: a late on_close must not find us */
    for (graphql_sub **p = &g->subs; *p; p = &(*p)->next) {
        if (*p == s) {
            *p = s->next;
            break;
        }
    }
    int closed = s->closed;
    pthread_mutex_unlock(&g->lock);
    g->eng->unsubscribe(s->sub);
    if (!closed)
        s->sink.complete(s->sink.user);
    s->sink.release(s->sink.user);
    sub_free(s);
    unlive(g);
    return NULL;
}

int graphql_sub_cancel(graphql *g, const void *handle, int say_complete)
{
    int found = 0;
    pthread_mutex_lock(&g->lock);
    for (graphql_sub *s = g->subs; s; s = s->next) {
        if (s->sink.handle == handle && !s->closed) {
            if (say_complete)
                s->sink.complete(s->sink.user);
            s->closed = 1;
            pthread_cond_signal(&s->wake);
            found = 1;
            break;
        }
    }
    pthread_mutex_unlock(&g->lock);
    return found;
}

void graphql_sub_stop(graphql *g)
{
    pthread_mutex_lock(&g->lock);
    g->stopping = 1;
    for (graphql_sub *s = g->subs; s; s = s->next)
        pthread_cond_signal(&s->wake);
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += STOP_WAIT_S;
    while (g->live > 0 && pthread_cond_timedwait(&g->idle, &g->lock, &until) == 0)
        ;
    pthread_mutex_unlock(&g->lock);
}

/* ---- setting up ------------------------------------------------------------------------ */

/* The id (a positive integer) of ApiId argument `name`, 0 when absent or not one. */
static int64_t id_of(json_object *args, const char *name)
{
    json_object *v = member(args, name);
    if (!v)
        return 0;
    char *end;
    const char *t = json_object_get_string(v);
    long long n = strtoll(t, &end, 10);
    return end != t && !*end && n > 0 ? n : -1;
}

static int fail(char *msg, size_t size, const char *what, const char *which, json_object *v)
{
    snprintf(msg, size, "%s: no %s %s", what, which, v ? json_object_get_string(v) : "");
    return -1;
}

/* What the subscription follows, from its root field and arguments. 0, or -1 with msg. */
static int plan(graphql_sub *s, json_object *args, int64_t *job, char *msg, size_t size)
{
    const ratchet_engine_api *eng = s->g->eng;
    *job = 0;
    if (strcmp(s->field, "jobStatus") == 0) {
        s->kind = SUB_JOB;
        *job = id_of(args, "jobId");
        ratchet_buf b = RATCHET_BUF_INIT;
        ratchet_status st = *job > 0 ? eng->job_get(*job, &b) : RATCHET_NOTFOUND;
        graphql_host->buf_free(&b);
        if (st != RATCHET_OK)
            return fail(msg, size, "jobStatus", "job", member(args, "jobId"));
    } else if (strcmp(s->field, "executionLogs") == 0) {
        s->kind = SUB_LOGS;
        s->execution_id = id_of(args, "executionId");
        ratchet_buf b = RATCHET_BUF_INIT;
        ratchet_status st =
            s->execution_id > 0 ? eng->execution_get(s->execution_id, &b) : RATCHET_NOTFOUND;
        graphql_host->buf_free(&b);
        if (st != RATCHET_OK)
            return fail(msg, size, "executionLogs", "execution", member(args, "executionId"));
    } else if (strcmp(s->field, "taskExecutions") == 0) {
        s->kind = SUB_TASK;
        json_object *id = member(args, "taskId");
        if (id) {
            ratchet_buf b = RATCHET_BUF_INIT;
            ratchet_status st = eng->task_get(json_object_get_string(id), &b);
            json_object *task = st == RATCHET_OK ? json_tokener_parse(b.data) : NULL;
            graphql_host->buf_free(&b);
            const char *name = json_object_get_string(member(task, "name"));
            s->task_name = name ? strdup(name) : NULL;
            json_object_put(task);
            if (!s->task_name)
                return fail(msg, size, "taskExecutions", "task", id);
        }
    } else {
        s->kind = SUB_WORKERS;
        json_object *id = member(args, "workerId");
        s->worker_id = id ? strdup(json_object_get_string(id)) : NULL;
        s->workers = json_object_new_object();
    }
    return 0;
}

/* The operation's source stream and what it follows. 0, or -1 with msg. */
static int prepare(graphql_sub *s, ratchet_http_request *req, int64_t *job, char *msg, size_t size)
{
    graphql_call call = {.g = s->g, .req = req};
    gql_request r;
    graphql_request_init(&r, s->params, &call);
    json_object *errors = json_object_new_array(), *args = NULL;
    int rc = gql_subscription_source(s->g->schema, s->doc, &r, &s->field, &args, errors);
    if (rc != 0) {
        json_object *e0 = json_object_array_get_idx(errors, 0);
        snprintf(msg, size, "%s", json_object_get_string(member(e0, "message")));
    } else {
        rc = plan(s, args, job, msg, size);
    }
    json_object_put(args);
    json_object_put(errors);
    return rc;
}

int graphql_sub_start(graphql *g, ratchet_http_request *req, gql_doc *doc, json_object *params,
                      const graphql_sink *sink, char *msg, size_t size, int *status)
{
    graphql_sub *s = calloc(1, sizeof *s);
    *status = 500;
    if (!s) {
        snprintf(msg, size, "out of memory");
        return -1;
    }
    s->g = g;
    s->doc = doc;
    s->params = params;
    s->sink = *sink;
    pthread_cond_init(&s->wake, NULL);
    int64_t job = 0;
    int ok = prepare(s, req, &job, msg, size) == 0;
    pthread_mutex_lock(&g->lock);
    int full = g->live >= g->max_subs, stopping = g->stopping;
    if (ok && !full && !stopping)
        g->live++; /* counted before the sink opens, so stop() waits for it */
    pthread_mutex_unlock(&g->lock);
    if (!ok || full || stopping) {
        if (ok)
            snprintf(msg, size,
                     stopping ? "The server is stopping."
                              : "Too many subscriptions: the server serves at most %zu at once.",
                     g->max_subs);
        *status = ok ? 503 : 400;
        s->doc = NULL; /* the caller keeps them */
        s->params = NULL;
        sub_free(s);
        return -1;
    }
    /* a cancel finds the subscription by the sink's handle: it is listed as the sink opens
     * (the transport's notices come outside the plugin's locks, so holding ours here cannot
     * deadlock) */
    pthread_mutex_lock(&g->lock);
    int opened = s->sink.open(s->sink.user, &s->sink.handle) == 0;
    if (opened) {
        s->next = g->subs;
        g->subs = s;
    }
    pthread_mutex_unlock(&g->lock);
    if (!opened) {
        snprintf(msg, size, "cannot open the event stream");
        s->doc = NULL;
        s->params = NULL;
        sub_free(s);
        unlive(g);
        return -1;
    }
    /* events held by the engine are delivered from inside subscribe(): queued for the
     * thread, which starts after the subscription is in place */
    s->sub = g->eng->subscribe(s->kind == SUB_JOB ? job : 0,
                               s->kind == SUB_LOGS ? s->execution_id : 0, 0, on_event, s);
    pthread_t t;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    int started = s->sub && pthread_create(&t, &attr, sub_main, s) == 0;
    pthread_attr_destroy(&attr);
    if (started)
        return 0;
    unlist(g, s);
    if (s->sub)
        g->eng->unsubscribe(s->sub);
    s->sink.complete(s->sink.user);
    s->sink.release(s->sink.user);
    sub_free(s);
    unlive(g);
    return 0;
}
