/* host/core/log.c - format log events once and fan them out to every attached logger. */
#include "log.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "hostapi.h"

#define RT_MAX_LOGGERS 32

typedef struct sink {
    const ratchet_logger_vtable *vt;
    void *instance;
    pthread_mutex_t lock; /* serialises log/flush per instance, as logger.h promises */
} sink;

static atomic_int global_level = RATCHET_LOG_INFO;
static pthread_rwlock_t sinks_lock = PTHREAD_RWLOCK_INITIALIZER;
static sink sinks[RT_MAX_LOGGERS];
static size_t nsinks;
/* Set while this thread is inside a logger's callback: anything it logs goes to stderr. */
static _Thread_local int in_logger;

static const char *const level_names[] = {"trace", "debug", "info", "warn", "error"};

const char *rt_log_level_name(ratchet_log_level level)
{
    return (unsigned)level <= RATCHET_LOG_ERROR ? level_names[level] : "?";
}

int rt_log_level_parse(const char *s)
{
    if (!s)
        return -1;
    for (int i = 0; i <= RATCHET_LOG_ERROR; i++)
        if (strcasecmp(s, level_names[i]) == 0)
            return i;
    if (strcasecmp(s, "warning") == 0)
        return RATCHET_LOG_WARN;
    return -1;
}

void rt_log_set_level(ratchet_log_level level)
{
    atomic_store(&global_level, (int)level);
}

ratchet_log_level rt_log_get_level(void)
{
    return (ratchet_log_level)atomic_load(&global_level);
}

int rt_log_enabled(ratchet_log_level level)
{
    return (int)level >= atomic_load(&global_level);
}

ratchet_status rt_log_attach(const ratchet_logger_vtable *vt, void *instance)
{
    ratchet_status rc = RATCHET_OK;
    pthread_rwlock_wrlock(&sinks_lock);
    if (nsinks == RT_MAX_LOGGERS) {
        rc = RATCHET_ERR;
    } else {
        sinks[nsinks].vt = vt;
        sinks[nsinks].instance = instance;
        pthread_mutex_init(&sinks[nsinks].lock, NULL);
        nsinks++;
    }
    pthread_rwlock_unlock(&sinks_lock);
    return rc;
}

void rt_log_detach(void *instance)
{
    pthread_rwlock_wrlock(&sinks_lock);
    for (size_t i = 0; i < nsinks; i++) {
        if (sinks[i].instance != instance)
            continue;
        pthread_mutex_destroy(&sinks[i].lock);
        for (size_t j = i + 1; j < nsinks; j++)
            sinks[j - 1] = sinks[j];
        nsinks--;
        break;
    }
    pthread_rwlock_unlock(&sinks_lock);
}

void rt_log_flush(void)
{
    pthread_rwlock_rdlock(&sinks_lock);
    for (size_t i = 0; i < nsinks; i++) {
        if (!sinks[i].vt->flush)
            continue;
        pthread_mutex_lock(&sinks[i].lock);
        in_logger = 1;
        sinks[i].vt->flush(sinks[i].instance);
        in_logger = 0;
        pthread_mutex_unlock(&sinks[i].lock);
    }
    pthread_rwlock_unlock(&sinks_lock);
}

/* Before any logger runs (and for loggers' own complaints) warnings and errors still reach
 * the user: plainly, on stderr. */
static void log_to_stderr(const ratchet_log_event *ev)
{
    if (ev->level < RATCHET_LOG_WARN && !in_logger)
        return;
    if (ev->plugin)
        fprintf(stderr, "ratchet: %s: [%s] %s\n", rt_log_level_name(ev->level), ev->source,
                ev->message);
    else
        fprintf(stderr, "ratchet: %s: %s\n", rt_log_level_name(ev->level), ev->message);
}

void rt_log_emit(const char *source, const char *plugin, ratchet_log_level level,
                 const ratchet_log_field *fields, size_t nfields, const char *fmt, va_list ap)
{
    if (!rt_log_enabled(level) && !(in_logger && level >= RATCHET_LOG_WARN))
        return;
    ratchet_buf msg = RATCHET_BUF_INIT;
    if (rt_buf_vprintf(&msg, fmt, ap) != RATCHET_OK)
        return;
    /* One line per event: a trailing newline from printf-style callers is dropped. */
    while (msg.len && (msg.data[msg.len - 1] == '\n' || msg.data[msg.len - 1] == '\r'))
        msg.data[--msg.len] = '\0';
    ratchet_log_event ev = {
        .abi = RATCHET_ABI_INIT(ratchet_log_event),
        .time_us = rt_host_api()->now_us(),
        .level = level,
        .source = source,
        .plugin = plugin,
        .message = msg.data,
        .fields = fields,
        .nfields = nfields,
    };
    if (in_logger) {
        log_to_stderr(&ev);
        rt_buf_free(&msg);
        return;
    }
    pthread_rwlock_rdlock(&sinks_lock);
    if (nsinks == 0)
        log_to_stderr(&ev);
    for (size_t i = 0; i < nsinks; i++) {
        pthread_mutex_lock(&sinks[i].lock);
        in_logger = 1;
        sinks[i].vt->log(sinks[i].instance, &ev);
        in_logger = 0;
        pthread_mutex_unlock(&sinks[i].lock);
    }
    pthread_rwlock_unlock(&sinks_lock);
    rt_buf_free(&msg);
}

void rt_log(ratchet_log_level level, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    rt_log_emit("host", NULL, level, NULL, 0, fmt, ap);
    va_end(ap);
}
