/* host/engine/api.c - the rt_api's life and the ratchet.engine table (see api.h). */
#include "api.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "api_int.h"
#include "core/core_layer.h"
#include "keys.h"

static pthread_mutex_t current_lock = PTHREAD_MUTEX_INITIALIZER;
static rt_api *current;

rt_api *rt_api_current(void)
{
    pthread_mutex_lock(&current_lock);
    rt_api *a = current;
    pthread_mutex_unlock(&current_lock);
    return a;
}

rt_api *rt_api_enter(ratchet_buf *out, size_t mark)
{
    rt_api *a = rt_api_current();
    if (!a)
        rt_api_fail(out, mark, "SERVICE_UNAVAILABLE", NULL, "the engine is not running");
    return a;
}

int64_t rt_api_now_ms(void)
{
    return rt_host_api()->now_us() / 1000;
}

int rt_api_storage14(const rt_api *a)
{
    const ratchet_storage_vtable *vt = a->vt;
    return RATCHET_HAS_FIELD(vt, ratchet_storage_vtable, key_find) && vt->task_set_enabled &&
           vt->schedule_update && vt->stats && vt->execution_logs;
}

/* ---- events and keys ------------------------------------------------------------------------ */

static ratchet_engine_sub *api_subscribe(int64_t job_id, int64_t execution_id, uint64_t after_seq,
                                         ratchet_engine_event_fn fn, void *user)
{
    rt_api *a = rt_api_current();
    return a ? rt_events_subscribe(a->events, job_id, execution_id, after_seq, fn, user) : NULL;
}

static void api_unsubscribe(ratchet_engine_sub *sub)
{
    rt_events_unsubscribe(sub);
}

static ratchet_status api_key_verify(const char *secret, ratchet_buf *name, int *scope)
{
    rt_api *a = rt_api_current();
    if (!a || !secret)
        return RATCHET_NOTFOUND;
    rt_error err;
    ratchet_status rc = rt_keys_verify(a->st, secret, name, scope, &err);
    if (rc == RATCHET_ERR)
        rt_log(RATCHET_LOG_ERROR, "checking an API key failed: %s", err.msg);
    return rc;
}

/* ---- the table -------------------------------------------------------------------------- */

static ratchet_engine_api table;
static pthread_once_t table_once = PTHREAD_ONCE_INIT;

static void build_table(void)
{
    table.abi = (ratchet_abi){RATCHET_ENGINE_MAJOR, RATCHET_ENGINE_MINOR,
                              (uint32_t)sizeof(ratchet_engine_api)};
    rt_api_fill_service(&table);
    rt_api_fill_tasks(&table);
    rt_api_fill_jobs(&table);
    rt_api_fill_executions(&table);
    rt_api_fill_schedules(&table);
    rt_api_fill_author(&table);
    rt_api_fill_keys(&table);
    rt_api_fill_ui(&table);
    rt_api_fill_timeline(&table);
    rt_api_fill_analysis(&table);
    rt_api_fill_logs(&table);
    table.subscribe = api_subscribe;
    table.unsubscribe = api_unsubscribe;
    table.key_verify = api_key_verify;
}

const ratchet_engine_api *rt_api_table(void)
{
    pthread_once(&table_once, build_table);
    return &table;
}

/* ---- life ---------------------------------------------------------------------------------- */

rt_api *rt_api_new(rt_app *app, rt_store *st, rt_engine *engine, rt_error *err)
{
    rt_api *a = calloc(1, sizeof *a);
    if (a && !(a->events = rt_events_new(0, NULL))) {
        free(a);
        a = NULL;
    }
    if (a && !(a->ctx = rt_ctx_new("engine", "ratchet"))) {
        rt_events_free(a->events);
        free(a);
        a = NULL;
    }
    if (!a) {
        rt_fail(err, "out of memory");
        return NULL;
    }
    a->app = app;
    a->st = st;
    a->vt = st->vt;
    a->si = st->inst;
    a->engine = engine;
    a->started_ms = rt_api_now_ms();
    pthread_mutex_init(&a->cache_lock, NULL);
    pthread_mutex_init(&a->tasks_lock, NULL);
    return a;
}

ratchet_status rt_api_publish(rt_api *a, int events, rt_error *err)
{
    pthread_mutex_lock(&current_lock);
    int taken = current != NULL;
    if (!taken)
        current = a;
    pthread_mutex_unlock(&current_lock);
    if (taken)
        return rt_fail(err, "another engine API is already published in this process");
    rt_error_clear();
    if (rt_host_api()->publish(a->ctx, RATCHET_ENGINE_INTERFACE, rt_api_table()) != RATCHET_OK) {
        rt_fail(err, "cannot publish %s: %s", RATCHET_ENGINE_INTERFACE, rt_error_peek());
        pthread_mutex_lock(&current_lock);
        current = NULL;
        pthread_mutex_unlock(&current_lock);
        return RATCHET_ERR;
    }
    if (events)
        rt_events_set_current(a->events);
    a->published = 1;
    return RATCHET_OK;
}

void rt_api_unpublish(rt_api *a)
{
    if (!a || !a->published)
        return;
    rt_host_api()->unpublish(a->ctx, RATCHET_ENGINE_INTERFACE);
    rt_events_set_current(NULL);
    pthread_mutex_lock(&current_lock);
    if (current == a)
        current = NULL;
    pthread_mutex_unlock(&current_lock);
    a->published = 0;
}

void rt_api_free(rt_api *a)
{
    if (!a)
        return;
    rt_api_unpublish(a);
    rt_api_versions_free(a);
    pthread_mutex_destroy(&a->cache_lock);
    pthread_mutex_destroy(&a->tasks_lock);
    json_object_put(a->tasks);
    rt_buf_free(&a->tasks_text);
    rt_events_free(a->events);
    rt_ctx_free(a->ctx);
    free(a);
}
