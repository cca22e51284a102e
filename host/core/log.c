/* host/core/log.c - format log events once and fan them out to every attached logger. */
#include "log.h"

#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "hostapi.h"
#include "log_mask.h"

#define RT_MAX_LOGGERS 32

typedef struct sink {
    const ratchet_logger_vtable *vt;
    void *instance;
    pthread_mutex_t lock; /* serialises log/flush per instance, as logger.h promises */
    int concurrent;       /* RATCHET_LOGGER_CONCURRENT: called without `lock` */
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
        sinks[nsinks].concurrent = RATCHET_HAS_FIELD(vt, ratchet_logger_vtable, flags) &&
                                   (vt->flags & RATCHET_LOGGER_CONCURRENT);
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

/* One event to one sink (ev NULL: its flush), under the sink's lock unless it declared itself
 * concurrent. */
static void call_sink(sink *s, const ratchet_log_event *ev)
{
    if (!s->concurrent)
        pthread_mutex_lock(&s->lock);
    in_logger = 1;
    if (ev)
        s->vt->log(s->instance, ev);
    else
        s->vt->flush(s->instance);
    in_logger = 0;
    if (!s->concurrent)
        pthread_mutex_unlock(&s->lock);
}

void rt_log_flush(void)
{
    pthread_rwlock_rdlock(&sinks_lock);
    for (size_t i = 0; i < nsinks; i++)
        if (sinks[i].vt->flush)
            call_sink(&sinks[i], NULL);
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

/* Fields with their values masked (log_mask.h); `owned` holds the masked copies. */
typedef struct masked_fields {
    ratchet_log_field stack[8];
    ratchet_log_field *items;
    char *owned_stack[8];
    char **owned;
    size_t nowned;
} masked_fields;

static void masked_fields_free(masked_fields *m)
{
    for (size_t i = 0; i < m->nowned; i++)
        free(m->owned[i]);
    if (m->items != m->stack)
        free(m->items);
    if (m->owned != m->owned_stack)
        free(m->owned);
}

/* Copy `fields` with secrets masked. RATCHET_NOMEM: drop the event rather than leak. */
static ratchet_status mask_fields(masked_fields *m, const ratchet_log_field *fields, size_t n)
{
    m->items = n <= 8 ? m->stack : malloc(n * sizeof *m->items);
    m->owned = n <= 8 ? m->owned_stack : malloc(n * sizeof *m->owned);
    m->nowned = 0;
    if (!m->items || !m->owned)
        return RATCHET_NOMEM;
    for (size_t i = 0; i < n; i++) {
        m->items[i] = fields[i];
        const char *v = fields[i].value;
        if (!v)
            continue;
        if (rt_mask_key_is_secret(fields[i].key)) {
            m->items[i].value = RT_MASK_REDACTED;
            continue;
        }
        int failed = 0;
        char *masked = rt_mask_text(v, &failed);
        if (failed)
            return RATCHET_NOMEM;
        if (masked)
            m->items[i].value = m->owned[m->nowned++] = masked;
    }
    return RATCHET_OK;
}

/* Hand one finished event to the loggers (or to stderr when there are none, or when this
 * thread is inside a logger already). */
static void fan_out(const ratchet_log_event *ev)
{
    if (in_logger) {
        log_to_stderr(ev);
        return;
    }
    pthread_rwlock_rdlock(&sinks_lock);
    if (nsinks == 0)
        log_to_stderr(ev);
    for (size_t i = 0; i < nsinks; i++)
        call_sink(&sinks[i], ev);
    pthread_rwlock_unlock(&sinks_lock);
}

void rt_log_call_logger(const ratchet_logger_vtable *vt, void *instance,
                        const ratchet_log_event *ev)
{
    int was = in_logger;
    in_logger = 1;
    if (ev)
        vt->log(instance, ev);
    else if (vt->flush)
        vt->flush(instance);
    in_logger = was;
}

void rt_log_emit_ctx(const char *source, const char *plugin, ratchet_log_level level,
                     const rt_log_ctx *ctx, const ratchet_log_field *fields, size_t nfields,
                     const char *fmt, va_list ap)
{
    if (!rt_log_enabled(level) && !(in_logger && level >= RATCHET_LOG_WARN))
        return;
    /* Most messages fit the stack buffer: no allocation on the common path. A message passed
     * as "%s" (a line built by the caller, such as the access log's) is copied, not printed. */
    char stack[512];
    char *text = stack, *heap = NULL;
    const char *whole = NULL;
    va_list copy;
    if (strcmp(fmt, "%s") == 0) {
        va_copy(copy, ap);
        whole = va_arg(copy, const char *); /* NULL: printf's "(null)" below */
        va_end(copy);
    }
    va_copy(copy, ap);
    int n = whole ? (int)strnlen(whole, INT_MAX - 1) : vsnprintf(stack, sizeof stack, fmt, copy);
    va_end(copy);
    if (n < 0)
        return;
    if ((size_t)n >= sizeof stack) {
        if (!(heap = malloc((size_t)n + 1)))
            return;
        text = heap;
        if (!whole)
            vsnprintf(heap, (size_t)n + 1, fmt, ap);
    }
    if (whole) {
        memcpy(text, whole, (size_t)n);
        text[n] = '\0';
    }
    /* One line per event: a trailing newline from printf-style callers is dropped. */
    while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == '\r'))
        text[--n] = '\0';
    int failed = 0;
    char *masked = rt_mask_text(text, &failed);
    masked_fields mf;
    if (!failed && nfields > 0 && fields && mask_fields(&mf, fields, nfields) != RATCHET_OK)
        failed = 1, masked_fields_free(&mf);
    if (failed) { /* out of memory: drop the event rather than let a secret through */
        free(heap);
        return;
    }
    if (!ctx)
        ctx = rt_log_ctx_get();
    ratchet_log_event ev = {
        .abi = RATCHET_ABI_INIT(ratchet_log_event),
        .time_us = rt_host_api()->now_us(),
        .level = level,
        .source = source,
        .plugin = plugin,
        .message = masked ? masked : text,
        .fields = nfields > 0 && fields ? mf.items : NULL,
        .nfields = fields ? nfields : 0,
        .trace_id = ctx->trace_id,
        .span_id = ctx->span_id,
        .job_id = ctx->job_id,
        .execution_id = ctx->execution_id,
        .task_name = ctx->task_name,
    };
    fan_out(&ev);
    if (nfields > 0 && fields)
        masked_fields_free(&mf);
    free(masked);
    free(heap);
}

void rt_log_emit(const char *source, const char *plugin, ratchet_log_level level,
                 const ratchet_log_field *fields, size_t nfields, const char *fmt, va_list ap)
{
    rt_log_emit_ctx(source, plugin, level, NULL, fields, nfields, fmt, ap);
}

void rt_log(ratchet_log_level level, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    rt_log_emit("host", NULL, level, NULL, 0, fmt, ap);
    va_end(ap);
}
