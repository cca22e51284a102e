/* host/core/metrics.c - the registry of plugin metrics (see metrics.h). */
#include "metrics.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

typedef struct metric {
    const void *owner;
    char *instance, *name, *type, *help;
    ratchet_metric_read_fn read;
    void *arg;
} metric;

/* A mutex, not a rwlock: write() holds it across read() calls so unregister can promise that
 * no read runs after it returns. /metrics is not a hot path. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static metric *items;
static size_t count, cap;

static int valid_name(const char *n)
{
    if (!n || !*n || (*n >= '0' && *n <= '9'))
        return 0;
    for (const char *p = n; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
            return 0;
    return 1;
}

static void metric_free(metric *m)
{
    free(m->instance);
    free(m->name);
    free(m->type);
    free(m->help);
}

ratchet_status rt_metrics_register(const void *owner, const char *instance, const char *name,
                                   const char *type, const char *help, ratchet_metric_read_fn read,
                                   void *arg, rt_error *err)
{
    if (!valid_name(name))
        return rt_fail(err, "metric name '%s' must match [a-z_][a-z0-9_]*", name ? name : "");
    if (!type || (strcmp(type, "counter") != 0 && strcmp(type, "gauge") != 0))
        return rt_fail(err, "metric %s: type must be counter or gauge, not '%s'", name,
                       type ? type : "");
    if (!read)
        return rt_fail(err, "metric %s: no read function", name);
    ratchet_status st = RATCHET_OK;
    pthread_mutex_lock(&lock);
    for (size_t i = 0; i < count && st == RATCHET_OK; i++)
        if (items[i].owner == owner && strcmp(items[i].name, name) == 0)
            st = rt_fail(err, "metric %s is already registered by this instance", name);
    if (st == RATCHET_OK && count == cap) {
        size_t ncap = cap ? cap * 2 : 8;
        metric *grown = realloc(items, ncap * sizeof *grown);
        if (grown) {
            items = grown;
            cap = ncap;
        } else {
            st = RATCHET_NOMEM;
        }
    }
    if (st == RATCHET_OK) {
        metric m = {owner,        strdup(instance ? instance : ""), strdup(name),
                    strdup(type), strdup(help ? help : name),       read,
                    arg};
        if (!m.instance || !m.name || !m.type || !m.help) {
            metric_free(&m);
            st = RATCHET_NOMEM;
        } else {
            items[count++] = m;
        }
    }
    pthread_mutex_unlock(&lock);
    return st;
}

void rt_metrics_unregister(const void *owner)
{
    pthread_mutex_lock(&lock);
    size_t kept = 0;
    for (size_t i = 0; i < count; i++) {
        if (items[i].owner == owner)
            metric_free(&items[i]);
        else
            items[kept++] = items[i];
    }
    count = kept;
    if (count == 0) {
        free(items);
        items = NULL;
        cap = 0;
    }
    pthread_mutex_unlock(&lock);
}

ratchet_status rt_metrics_write(ratchet_buf *out)
{
    int bad = 0;
    pthread_mutex_lock(&lock);
    for (size_t i = 0; i < count; i++) {
        size_t first = 0;
        while (strcmp(items[first].name, items[i].name) != 0)
            first++;
        if (first != i)
            continue; /* written with the first series of its name: a family stays together */
        bad |= rt_buf_printf(out, "# HELP %s %s\n# TYPE %s %s\n", items[i].name, items[i].help,
                             items[i].name, items[i].type) != RATCHET_OK;
        for (size_t j = i; j < count; j++)
            if (strcmp(items[j].name, items[i].name) == 0)
                bad |= rt_buf_printf(out, "%s{instance=\"%s\"} %.17g\n", items[j].name,
                                     items[j].instance, items[j].read(items[j].arg)) != RATCHET_OK;
    }
    pthread_mutex_unlock(&lock);
    return bad ? RATCHET_NOMEM : RATCHET_OK;
}
