/* host/engine/events.c - the event hub (see events.h). */
#include "events.h"

#include <json-c/json.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_layer.h"

#define RT_EVENTS_BUCKETS 1024

typedef struct job_events job_events;

/* One held event: in the hub's list (seq order) and in its job's list. */
typedef struct event {
    struct event *prev, *next;
    struct event *job_next;
    job_events *job;
    uint64_t seq;
    int64_t execution_id;
    int64_t time_ms;
    int queued; /* a "queued" status event */
    size_t size;
    char json[];
} event;

struct job_events {
    int64_t job_id;
    event *first, *last;
    size_t count;
    int64_t final_ms; /* when its final status came; 0 while it runs */
    int open;         /* its last status event was not final (queued, running, retrying) */
    job_events *hnext;
};

struct ratchet_engine_sub {
    rt_events *hub;
    int64_t job_id, execution_id;
    ratchet_engine_event_fn fn;
    void *user;
    int ended;
    ratchet_engine_sub *prev, *next;
};

struct rt_events {
    pthread_mutex_t lock;
    uint64_t seq;
    event *head, *tail;
    size_t nevents, bytes, max_bytes;
    job_events *buckets[RT_EVENTS_BUCKETS];
    ratchet_engine_sub *subs;
    int64_t (*now)(void);
    int64_t next_expiry_ms;
};

static int64_t wall_ms(void)
{
    return rt_host_api()->now_us() / 1000;
}

rt_events *rt_events_new(size_t max_bytes, int64_t (*now_fn)(void))
{
    rt_events *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    pthread_mutex_init(&h->lock, NULL);
    h->max_bytes = max_bytes ? max_bytes : RT_EVENTS_MAX_BYTES;
    h->now = now_fn ? now_fn : wall_ms;
    return h;
}

/* ---- held events -------------------------------------------------------------------------- */

static job_events **job_slot(rt_events *h, int64_t job_id)
{
    job_events **pp = &h->buckets[(uint64_t)job_id % RT_EVENTS_BUCKETS];
    while (*pp && (*pp)->job_id != job_id)
        pp = &(*pp)->hnext;
    return pp;
}

static void job_forget(rt_events *h, job_events *j)
{
    job_events **pp = job_slot(h, j->job_id);
    if (*pp == j)
        *pp = j->hnext;
    free(j);
}

/* Drop the job's oldest event (also the oldest of the hub among its events). */
static void drop_first(rt_events *h, job_events *j)
{
    event *e = j->first;
    j->first = e->job_next;
    if (!j->first)
        j->last = NULL;
    j->count--;
    if (e->prev)
        e->prev->next = e->next;
    else
        h->head = e->next;
    if (e->next)
        e->next->prev = e->prev;
    else
        h->tail = e->prev;
    h->nevents--;
    h->bytes -= e->size;
    free(e);
    if (j->count == 0)
        job_forget(h, j);
}

/* Jobs whose final status is older than RT_EVENTS_KEEP_MS lose their events (checked at most
 * once a second). */
static void expire(rt_events *h, int64_t now)
{
    if (now < h->next_expiry_ms)
        return;
    h->next_expiry_ms = now + 1000;
    for (size_t b = 0; b < RT_EVENTS_BUCKETS; b++) {
        job_events *j = h->buckets[b];
        while (j) {
            job_events *next = j->hnext;
            if (j->final_ms && now - j->final_ms >= RT_EVENTS_KEEP_MS)
                for (size_t left = j->count; left > 0; left--)
                    drop_first(h, j); /* frees j with its last event */
            j = next;
        }
    }
}

/* Keep a copy of the event; 0 when out of memory. */
static int hold(rt_events *h, int64_t job_id, int64_t execution_id, int final, const char *json,
                int64_t now)
{
    size_t len = strlen(json);
    job_events **slot = job_slot(h, job_id);
    job_events *j = *slot;
    if (!j && (j = calloc(1, sizeof *j)) != NULL) {
        j->job_id = job_id;
        *slot = j;
    }
    event *e = j ? malloc(sizeof *e + len + 1) : NULL;
    if (!e) {
        if (j && j->count == 0)
            job_forget(h, j);
        return 0;
    }
    memset(e, 0, sizeof *e);
    memcpy(e->json, json, len + 1);
    e->size = sizeof *e + len + 1;
    e->seq = h->seq;
    e->execution_id = execution_id;
    e->time_ms = now;
    e->queued = strstr(json, "\"status\":\"queued\"") != NULL;
    if (strncmp(json, "{\"type\":\"status\"", 16) == 0)
        j->open = !final;
    e->job = j;
    e->prev = h->tail;
    if (h->tail)
        h->tail->next = e;
    else
        h->head = e;
    h->tail = e;
    if (j->last)
        j->last->job_next = e;
    else
        j->first = e;
    j->last = e;
    j->count++;
    if (final)
        j->final_ms = now;
    h->nevents++;
    h->bytes += e->size;
    if (j->count > RT_EVENTS_PER_JOB)
        drop_first(h, j);
    while (h->bytes > h->max_bytes && h->head != e)
        drop_first(h, h->head->job);
    return 1;
}

/* ---- delivery ----------------------------------------------------------------------------- */

static int matches(const ratchet_engine_sub *s, int64_t job_id, int64_t execution_id)
{
    if (s->ended)
        return 0;
    if (s->job_id > 0)
        return s->job_id == job_id;
    if (s->execution_id > 0)
        return s->execution_id == execution_id;
    return 1;
}

static void deliver(ratchet_engine_sub *s, uint64_t seq, const char *json)
{
    if (s->fn(s->user, seq, json) != 0)
        s->ended = 1;
}

uint64_t rt_events_publish(rt_events *h, int64_t job_id, int64_t execution_id, int final,
                           const char *event_json)
{
    if (!h || !event_json)
        return 0;
    pthread_mutex_lock(&h->lock);
    int64_t now = h->now();
    expire(h, now);
    uint64_t seq = ++h->seq;
    int kept = hold(h, job_id, execution_id, final, event_json, now);
    for (ratchet_engine_sub *s = h->subs; s; s = s->next)
        if (matches(s, job_id, execution_id))
            deliver(s, seq, event_json);
    pthread_mutex_unlock(&h->lock);
    return kept ? seq : 0;
}

ratchet_engine_sub *rt_events_subscribe(rt_events *h, int64_t job_id, int64_t execution_id,
                                        uint64_t after_seq, ratchet_engine_event_fn fn, void *user)
{
    ratchet_engine_sub *s = h && fn ? calloc(1, sizeof *s) : NULL;
    if (!s)
        return NULL;
    *s = (ratchet_engine_sub){h, job_id, execution_id, fn, user, 0, NULL, NULL};
    pthread_mutex_lock(&h->lock);
    expire(h, h->now());
    if (job_id > 0) {
        job_events *j = *job_slot(h, job_id);
        for (event *e = j ? j->first : NULL; e && !s->ended; e = e->job_next)
            if (e->seq > after_seq)
                deliver(s, e->seq, e->json);
    } else {
        for (event *e = h->head; e && !s->ended; e = e->next)
            if (e->seq > after_seq && matches(s, e->job->job_id, e->execution_id))
                deliver(s, e->seq, e->json);
    }
    s->next = h->subs;
    if (h->subs)
        h->subs->prev = s;
    h->subs = s;
    pthread_mutex_unlock(&h->lock);
    return s;
}

void rt_events_unsubscribe(ratchet_engine_sub *s)
{
    if (!s)
        return;
    rt_events *h = s->hub;
    /* Callbacks run with the lock held: once we hold it, none of s's is running. */
    pthread_mutex_lock(&h->lock);
    if (s->prev)
        s->prev->next = s->next;
    else
        h->subs = s->next;
    if (s->next)
        s->next->prev = s->prev;
    pthread_mutex_unlock(&h->lock);
    free(s);
}

int64_t rt_events_queued_ms(rt_events *h, int64_t job_id)
{
    int64_t at = 0;
    if (!h)
        return 0;
    pthread_mutex_lock(&h->lock);
    job_events *j = *job_slot(h, job_id);
    for (event *e = j ? j->first : NULL; e; e = e->job_next)
        if (e->queued)
            at = e->time_ms;
    pthread_mutex_unlock(&h->lock);
    return at;
}

/* Whether the job's last status event (while any of its events is held) was not final:
 * the job is known to the hub and under way. */
static int job_open(rt_events *h, int64_t job_id)
{
    pthread_mutex_lock(&h->lock);
    job_events *j = *job_slot(h, job_id);
    int open = j && j->open;
    pthread_mutex_unlock(&h->lock);
    return open;
}

void rt_events_usage(rt_events *h, size_t *events, size_t *bytes)
{
    pthread_mutex_lock(&h->lock);
    *events = h->nevents;
    *bytes = h->bytes;
    pthread_mutex_unlock(&h->lock);
}

void rt_events_free(rt_events *h)
{
    if (!h)
        return;
    while (h->head)
        drop_first(h, h->head->job);
    pthread_mutex_destroy(&h->lock);
    free(h);
}

/* ---- the current hub and the events the engine emits -------------------------------------- */

/* Recursive: emit() holds it while publishing, and set_current() waits for that. */
static pthread_mutex_t current_lock;
static pthread_once_t current_once = PTHREAD_ONCE_INIT;
static rt_events *current;

/* The hold-back (rt_events_lock_emits): `inflight` counts the storage calls of API threads
 * whose "queued" is not published yet; `holding`, this thread's share of them. */
static pthread_mutex_t hold_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t hold_cv = PTHREAD_COND_INITIALIZER;
static int inflight;
static _Thread_local int holding;

static void current_init(void)
{
    pthread_mutexattr_t attr;
    pthread_mutexattr_init(&attr);
    pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&current_lock, &attr);
    pthread_mutexattr_destroy(&attr);
}

static void lock_current(void)
{
    pthread_once(&current_once, current_init);
    pthread_mutex_lock(&current_lock);
}

void rt_events_lock_emits(void)
{
    holding++;
    pthread_mutex_lock(&hold_lock);
    inflight++;
    pthread_mutex_unlock(&hold_lock);
}

void rt_events_unlock_emits(void)
{
    pthread_mutex_lock(&hold_lock);
    inflight--;
    pthread_cond_broadcast(&hold_cv);
    pthread_mutex_unlock(&hold_lock);
    holding--;
}

/* Before another thread's event of `job_id`: wait while an API thread is between storing a
 * job and publishing its "queued", unless the job is under way in the hub already (its
 * "queued" came), so that "queued" precedes what the engine reports. Holding the whole hub
 * for every event made the engine's loop wait on each submit's storage call. */
static void wait_turn(int64_t job_id)
{
    if (holding)
        return;
    pthread_mutex_lock(&hold_lock);
    while (inflight > 0) {
        lock_current();
        int open = current && job_open(current, job_id);
        pthread_mutex_unlock(&current_lock);
        if (open)
            break;
        pthread_cond_wait(&hold_cv, &hold_lock);
    }
    pthread_mutex_unlock(&hold_lock);
}

void rt_events_set_current(rt_events *h)
{
    lock_current();
    current = h;
    pthread_mutex_unlock(&current_lock);
}

rt_events *rt_events_current(void)
{
    lock_current();
    rt_events *h = current;
    pthread_mutex_unlock(&current_lock);
    return h;
}

int64_t rt_events_current_queued_ms(int64_t job_id)
{
    lock_current();
    int64_t at = current ? rt_events_queued_ms(current, job_id) : 0;
    pthread_mutex_unlock(&current_lock);
    return at;
}

/* Publish `o` (consumed) to the current hub, if any. */
static void emit(int64_t job_id, int64_t execution_id, int final, struct json_object *o)
{
    wait_turn(job_id);
    lock_current();
    if (current && o)
        rt_events_publish(current, job_id, execution_id, final,
                          json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
                                                                JSON_C_TO_STRING_NOSLASHESCAPE));
    pthread_mutex_unlock(&current_lock);
    json_object_put(o);
}

static int has_current(void)
{
    return rt_events_current() != NULL;
}

/* {type, jobId, executionId, time}: what every event starts with. */
static struct json_object *event_head(const char *type, int64_t job_id, int64_t execution_id)
{
    struct json_object *o = json_object_new_object();
    ratchet_buf t = RATCHET_BUF_INIT;
    rt_buf_time_iso8601(&t, rt_host_api()->now_us());
    json_object_object_add(o, "type", json_object_new_string(type));
    json_object_object_add(o, "jobId", json_object_new_int64(job_id));
    json_object_object_add(o, "executionId",
                           execution_id > 0 ? json_object_new_int64(execution_id) : NULL);
    json_object_object_add(o, "time", json_object_new_string(t.data ? t.data : ""));
    rt_buf_free(&t);
    return o;
}

static int is_final_status(const char *status)
{
    return strcmp(status, "completed") == 0 || strcmp(status, "failed") == 0 ||
           strcmp(status, "cancelled") == 0;
}

void rt_events_emit_status(int64_t job_id, int64_t execution_id, const char *task_name,
                           const char *status, int attempt, const char *output_json,
                           const char *error_json)
{
    rt_events_emit_outcome(job_id, execution_id, task_name, status, attempt, output_json,
                           error_json, -1);
}

void rt_events_emit_outcome(int64_t job_id, int64_t execution_id, const char *task_name,
                            const char *status, int attempt, const char *output_json,
                            const char *error_json, int64_t duration_ms)
{
    if (!has_current())
        return;
    int final = is_final_status(status);
    struct json_object *o = event_head("status", job_id, execution_id);
    json_object_object_add(o, "taskName", task_name ? json_object_new_string(task_name) : NULL);
    json_object_object_add(o, "status", json_object_new_string(status));
    json_object_object_add(o, "attempt", json_object_new_int(attempt));
    json_object_object_add(o, "final", json_object_new_boolean(final));
    if (output_json)
        json_object_object_add(o, "output", json_tokener_parse(output_json));
    if (error_json)
        json_object_object_add(o, "error", json_tokener_parse(error_json));
    if (duration_ms >= 0)
        json_object_object_add(o, "durationMs", json_object_new_int64(duration_ms));
    emit(job_id, execution_id, final, o);
}

static const char *member(struct json_object *o, const char *key)
{
    struct json_object *v;
    return json_object_object_get_ex(o, key, &v) && v ? json_object_get_string(v) : NULL;
}

void rt_events_emit_logs(int64_t job_id, int64_t execution_id, struct json_object *lines)
{
    if (!json_object_is_type(lines, json_type_array) || !has_current())
        return;
    for (size_t i = 0; i < json_object_array_length(lines); i++) {
        struct json_object *line = json_object_array_get_idx(lines, i);
        const char *level = member(line, "level"), *message = member(line, "message");
        struct json_object *o = event_head("log", job_id, execution_id);
        json_object_object_add(o, "level", json_object_new_string(level ? level : "log"));
        json_object_object_add(o, "message", json_object_new_string(message ? message : ""));
        emit(job_id, execution_id, 0, o);
    }
}

void rt_events_emit_fetch(int64_t job_id, int64_t execution_id, struct json_object *call)
{
    if (!call || !has_current())
        return;
    struct json_object *o = event_head("fetch", job_id, execution_id);
    static const char *const keys[] = {"method", "url", "status", "durationMs"};
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
        struct json_object *v = NULL;
        json_object_object_get_ex(call, keys[i], &v);
        json_object_object_add(o, keys[i], json_object_get(v));
    }
    emit(job_id, execution_id, 0, o);
}
