/* host/engine/log_store.c - the server's log events into storage through a bounded ring and a
 * writer thread (log_store.h). */
#include "log_store.h"

#include <json-c/json.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>

#define MESSAGE_MAX  4096 /* longer messages are cut */
#define FLUSH_MS     500
#define DROP_NOTE_MS 60000

typedef struct stored_event {
    int64_t time_ms;
    ratchet_log_level level;
    char *source, *message, *fields, *trace_id, *task_name; /* owned */
    int64_t job_id, execution_id;
} stored_event;

struct rt_log_store {
    const ratchet_storage_vtable *vt;
    void *si;
    ratchet_log_level min_level;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    stored_event ring[RT_LOG_STORE_RING];
    size_t head, count;
    int stopping;
    pthread_t writer;
    atomic_uint_fast64_t dropped;
    uint64_t dropped_noted;
    int64_t noted_ms;
};

static int64_t wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void event_free(stored_event *e)
{
    free(e->source);
    free(e->message);
    free(e->fields);
    free(e->trace_id);
    free(e->task_name);
    memset(e, 0, sizeof *e);
}

static char *fields_json(const ratchet_log_event *ev)
{
    if (!ev->nfields)
        return NULL;
    struct json_object *o = json_object_new_object();
    for (size_t i = 0; i < ev->nfields; i++)
        if (ev->fields[i].key)
            json_object_object_add(
                o, ev->fields[i].key,
                json_object_new_string(ev->fields[i].value ? ev->fields[i].value : ""));
    char *s = strdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
    json_object_put(o);
    return s;
}

static char *dup_nonempty(const char *s)
{
    return s && *s ? strdup(s) : NULL;
}

/* An access-log line: the http plugin's one line per request, recognised by its fields
 * `request_id` and `duration_ms` (plugins/http/README.md). */
static int is_access_line(const ratchet_log_event *ev)
{
    int id = 0, dur = 0;
    for (size_t i = 0; i < ev->nfields; i++) {
        const char *k = ev->fields[i].key;
        id |= k && strcmp(k, "request_id") == 0;
        dur |= k && strcmp(k, "duration_ms") == 0;
    }
    return id && dur;
}

/* The fan-out's call: copy into the ring, or count a drop. Never waits on storage. */
static void store_log(void *instance, const ratchet_log_event *ev)
{
    rt_log_store *ls = instance;
    if (ev->level < ls->min_level)
        return;
    /* Access-log lines are not kept: at thousands of requests a second they would push every
     * other server event out of the newest RT_LOG_STORE_MAX_ROWS within a minute, and storing
     * them cost more CPU than answering the requests (bench_http.sh: ~14 of 35 us per GET
     * /health). The loggers (console, file) still write them. */
    if (is_access_line(ev))
        return;
    /* A task's console lines (source "task" in a job's context) are kept as the execution's
     * own log rows already. */
    if (RATCHET_HAS_FIELD(ev, ratchet_log_event, task_name) && ev->execution_id > 0 && ev->source &&
        strcmp(ev->source, "task") == 0)
        return;
    stored_event e = {ev->time_us / 1000, ev->level, NULL, NULL, NULL, NULL, NULL, 0, 0};
    e.source = strdup(ev->source ? ev->source : "host");
    e.message = strndup(ev->message ? ev->message : "", MESSAGE_MAX);
    e.fields = fields_json(ev);
    if (RATCHET_HAS_FIELD(ev, ratchet_log_event, task_name)) {
        e.trace_id = dup_nonempty(ev->trace_id);
        e.task_name = dup_nonempty(ev->task_name);
        e.job_id = ev->job_id;
        e.execution_id = ev->execution_id;
    }
    pthread_mutex_lock(&ls->lock);
    int kept = !ls->stopping && ls->count < RT_LOG_STORE_RING && e.source && e.message;
    if (kept) {
        ls->ring[(ls->head + ls->count) % RT_LOG_STORE_RING] = e;
        if (++ls->count >= RT_LOG_STORE_BATCH)
            pthread_cond_signal(&ls->wake);
    }
    pthread_mutex_unlock(&ls->lock);
    if (!kept) {
        atomic_fetch_add(&ls->dropped, 1);
        event_free(&e);
    }
}

static const char *const level_names[] = {"trace", "debug", "info", "warn", "error"};

/* Take up to a batch off the ring (with the lock held) as log_append's JSON. */
static char *take_batch(rt_log_store *ls)
{
    struct json_object *arr = json_object_new_array();
    for (size_t n = 0; ls->count && n < RT_LOG_STORE_BATCH; n++) {
        stored_event *e = &ls->ring[ls->head];
        struct json_object *o = json_object_new_object();
        json_object_object_add(o, "time", json_object_new_int64(e->time_ms));
        json_object_object_add(o, "level", json_object_new_string(level_names[e->level % 5]));
        json_object_object_add(o, "source", json_object_new_string(e->source));
        json_object_object_add(o, "message", json_object_new_string(e->message));
        json_object_object_add(o, "fields", e->fields ? json_tokener_parse(e->fields) : NULL);
        json_object_object_add(o, "traceId",
                               e->trace_id ? json_object_new_string(e->trace_id) : NULL);
        json_object_object_add(o, "jobId", json_object_new_int64(e->job_id));
        json_object_object_add(o, "executionId", json_object_new_int64(e->execution_id));
        json_object_object_add(o, "taskName",
                               e->task_name ? json_object_new_string(e->task_name) : NULL);
        json_object_array_add(arr, o);
        event_free(e);
        ls->head = (ls->head + 1) % RT_LOG_STORE_RING;
        ls->count--;
    }
    char *text = json_object_array_length(arr)
                     ? strdup(json_object_to_json_string_ext(arr, JSON_C_TO_STRING_PLAIN))
                     : NULL;
    json_object_put(arr);
    return text;
}

/* Say how many events were dropped since the last note, at most once a minute. */
static void note_drops(rt_log_store *ls)
{
    uint64_t d = atomic_load(&ls->dropped);
    int64_t now = wall_ms();
    if (d == ls->dropped_noted || now - ls->noted_ms < DROP_NOTE_MS)
        return;
    rt_log(RATCHET_LOG_WARN,
           "log store: dropped %llu server log events (the storage is slower than the log); "
           "%llu in all",
           (unsigned long long)(d - ls->dropped_noted), (unsigned long long)d);
    ls->dropped_noted = d;
    ls->noted_ms = now;
}

static void *writer_main(void *arg)
{
    rt_log_store *ls = arg;
    prctl(PR_SET_NAME, "rt-logstore"); /* its name in top -H, ps -L and /proc */
    pthread_mutex_lock(&ls->lock);
    for (;;) {
        if (!ls->stopping && ls->count < RT_LOG_STORE_BATCH) {
            struct timespec until;
            clock_gettime(CLOCK_REALTIME, &until);
            until.tv_nsec += (long)FLUSH_MS * 1000000L;
            until.tv_sec += until.tv_nsec / 1000000000L;
            until.tv_nsec %= 1000000000L;
            pthread_cond_timedwait(&ls->wake, &ls->lock, &until);
        }
        int stopping = ls->stopping;
        char *batch = take_batch(ls);
        pthread_mutex_unlock(&ls->lock);
        if (batch) {
            rt_error_clear();
            if (ls->vt->log_append(ls->si, batch, RT_LOG_STORE_MAX_ROWS) != RATCHET_OK)
                atomic_fetch_add(&ls->dropped, 1); /* counted as one: the batch is gone */
            free(batch);
        }
        note_drops(ls);
        pthread_mutex_lock(&ls->lock);
        if (stopping && ls->count == 0)
            break;
    }
    pthread_mutex_unlock(&ls->lock);
    return NULL;
}

/* store_log guards the ring with its own lock: several threads may log at once. */
static const ratchet_logger_vtable store_vt = {
    .abi = RATCHET_ABI_INIT(ratchet_logger_vtable),
    .log = store_log,
    .flags = RATCHET_LOGGER_CONCURRENT,
};

static double read_dropped(void *arg)
{
    return (double)rt_log_store_dropped(arg);
}

rt_log_store *rt_log_store_start(const ratchet_storage_vtable *vt, void *si,
                                 ratchet_log_level min_level)
{
    if (!RATCHET_HAS_FIELD(vt, ratchet_storage_vtable, log_append)) {
        rt_log(RATCHET_LOG_INFO, "log store: the storage plugin cannot keep server log events "
                                 "(before ABI 1.8); `logs search` finds execution lines only");
        return NULL;
    }
    rt_log_store *ls = calloc(1, sizeof *ls);
    if (!ls)
        return NULL;
    ls->vt = vt;
    ls->si = si;
    ls->min_level = min_level;
    pthread_mutex_init(&ls->lock, NULL);
    pthread_cond_init(&ls->wake, NULL);
    atomic_init(&ls->dropped, 0);
    if (pthread_create(&ls->writer, NULL, writer_main, ls) != 0) {
        pthread_cond_destroy(&ls->wake);
        pthread_mutex_destroy(&ls->lock);
        free(ls);
        return NULL;
    }
    if (rt_log_attach(&store_vt, ls) != RATCHET_OK) {
        rt_log(RATCHET_LOG_WARN, "log store: too many loggers; server events are not kept");
        rt_log_store_stop(ls);
        return NULL;
    }
    rt_error err;
    if (rt_metrics_register(ls, "log-store", "ratchet_log_store_dropped_events_total", "counter",
                            "Server log events not kept in storage (the ring was full or the "
                            "storage refused a batch)",
                            read_dropped, ls, &err) != RATCHET_OK)
        rt_log(RATCHET_LOG_WARN, "log store: %s", err.msg);
    return ls;
}

void rt_log_store_stop(rt_log_store *ls)
{
    if (!ls)
        return;
    rt_metrics_unregister(ls);
    rt_log_detach(ls);
    pthread_mutex_lock(&ls->lock);
    ls->stopping = 1;
    pthread_cond_signal(&ls->wake);
    pthread_mutex_unlock(&ls->lock);
    pthread_join(ls->writer, NULL);
    for (size_t i = 0; i < ls->count; i++)
        event_free(&ls->ring[(ls->head + i) % RT_LOG_STORE_RING]);
    pthread_cond_destroy(&ls->wake);
    pthread_mutex_destroy(&ls->lock);
    free(ls);
}

uint64_t rt_log_store_dropped(const rt_log_store *ls)
{
    return ls ? atomic_load(&((rt_log_store *)ls)->dropped) : 0;
}
