/* host/engine/breaker.c - circuit breakers per destination host (see breaker.h). */
#include "breaker.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct host_entry {
    char host[RT_BREAKER_MAX_HOST];
    rt_breaker_state state;
    int failures;      /* consecutive */
    int64_t opened_ms; /* wall clock of the last opening */
    int probing;       /* half-open: the probe is under way */
    int64_t opened;    /* times it opened */
    int64_t rejected;  /* calls refused */
    int64_t last_used; /* order of use, to pick whom to forget */
} host_entry;

typedef struct breaker_set {
    const char *scope;
    pthread_mutex_t lock;
    rt_breaker_config cfg;
    host_entry *hosts;
    size_t n, cap;
    int64_t clock; /* increases with every enter */
} breaker_set;

static breaker_set sets[2] = {
    {"fetch", PTHREAD_MUTEX_INITIALIZER, {0, 5, 30000}, NULL, 0, 0, 0},
    {"webhook", PTHREAD_MUTEX_INITIALIZER, {0, 5, 30000}, NULL, 0, 0, 0},
};

static const char *const state_names[] = {"closed", "open", "half-open"};

void rt_breaker_configure(rt_breaker_scope scope, const rt_breaker_config *cfg)
{
    breaker_set *s = &sets[scope];
    pthread_mutex_lock(&s->lock);
    s->cfg = *cfg;
    if (s->cfg.failures < 1)
        s->cfg.failures = 1;
    if (s->cfg.cool_down_ms < 1)
        s->cfg.cool_down_ms = 1;
    pthread_mutex_unlock(&s->lock);
}

rt_breaker_config rt_breaker_config_from(const ratchet_config *section, rt_breaker_scope scope)
{
    rt_breaker_config c = {0, 5, 30000};
    if (!section)
        return c;
    c.enabled = rt_cfg_bool(section, "enabled");
    c.failures =
        (int)rt_cfg_int(section, scope == RT_BREAKER_FETCH ? "fetch_failures" : "webhook_failures");
    c.cool_down_ms =
        rt_cfg_int(section, scope == RT_BREAKER_FETCH ? "fetch_cool_down" : "webhook_cool_down");
    return c;
}

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

ratchet_status rt_breaker_host(const char *url, char out[RT_BREAKER_MAX_HOST])
{
    out[0] = '\0';
    const char *sep = url ? strstr(url, "://") : NULL;
    if (!sep)
        return RATCHET_ERR;
    size_t slen = (size_t)(sep - url);
    int https = slen == 5 && lower(url[0]) == 'h' && lower(url[4]) == 's';
    const char *a = sep + 3;
    size_t alen = strcspn(a, "/?#");
    const char *at = memchr(a, '@', alen);
    if (at) { /* drop user:password@ */
        alen -= (size_t)(at + 1 - a);
        a = at + 1;
    }
    if (alen == 0 || alen + 7 >= RT_BREAKER_MAX_HOST)
        return RATCHET_ERR;
    for (size_t i = 0; i < alen; i++)
        out[i] = lower(a[i]);
    out[alen] = '\0';
    /* A port is present when the last ':' comes after any IPv6 literal's ']'. */
    const char *colon = strrchr(out, ':'), *bracket = strrchr(out, ']');
    if (!colon || (bracket && colon < bracket))
        snprintf(out + alen, RT_BREAKER_MAX_HOST - alen, ":%d", https ? 443 : 80);
    return RATCHET_OK;
}

/* The entry of `host`, created when absent (NULL when the table is full). Lock held. */
static host_entry *find(breaker_set *s, const char *host, int create)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->hosts[i].host, host) == 0)
            return &s->hosts[i];
    if (!create)
        return NULL;
    if (s->n == RT_BREAKER_MAX_HOSTS) { /* forget the least recently used clean host */
        size_t victim = s->n;
        for (size_t i = 0; i < s->n; i++)
            if (s->hosts[i].state == RT_BREAKER_CLOSED && s->hosts[i].failures == 0 &&
                (victim == s->n || s->hosts[i].last_used < s->hosts[victim].last_used))
                victim = i;
        if (victim == s->n)
            return NULL;
        s->hosts[victim] = s->hosts[--s->n];
    }
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 16;
        host_entry *grown = realloc(s->hosts, cap * sizeof *grown);
        if (!grown)
            return NULL;
        s->hosts = grown;
        s->cap = cap;
    }
    host_entry *e = &s->hosts[s->n++];
    memset(e, 0, sizeof *e);
    snprintf(e->host, sizeof e->host, "%s", host);
    return e;
}

static void utc_text(int64_t ms, char out[32])
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void transition(breaker_set *s, host_entry *e, rt_breaker_state to, int64_t now_ms)
{
    rt_breaker_state from = e->state;
    e->state = to;
    if (to == RT_BREAKER_OPEN) {
        e->opened_ms = now_ms;
        e->opened++;
        char when[32];
        utc_text(now_ms + s->cfg.cool_down_ms, when);
        rt_log(RATCHET_LOG_WARN,
               "circuit breaker for %s host %s: %s -> open after %d consecutive failures; "
               "probing again after %s",
               s->scope, e->host, state_names[from], e->failures, when);
    } else {
        rt_log(RATCHET_LOG_INFO, "circuit breaker for %s host %s: %s -> %s", s->scope, e->host,
               state_names[from], state_names[to]);
    }
}

void rt_breaker_enter(rt_breaker_scope scope, const char *url, int64_t now_ms,
                      rt_breaker_pass *pass)
{
    breaker_set *s = &sets[scope];
    memset(pass, 0, sizeof *pass);
    pass->allowed = 1;
    if (rt_breaker_host(url, pass->host) != RATCHET_OK)
        return;
    pthread_mutex_lock(&s->lock);
    host_entry *e = s->cfg.enabled ? find(s, pass->host, 1) : NULL;
    if (!e) {
        pass->host[0] = '\0'; /* untracked: leave ignores it */
        pthread_mutex_unlock(&s->lock);
        return;
    }
    e->last_used = ++s->clock;
    int64_t probe_at = e->opened_ms + s->cfg.cool_down_ms;
    if (e->state == RT_BREAKER_OPEN && now_ms >= probe_at) {
        transition(s, e, RT_BREAKER_HALF_OPEN, now_ms);
        e->probing = 0;
    }
    if (e->state == RT_BREAKER_HALF_OPEN && !e->probing) {
        e->probing = 1;
        pass->probe = 1;
    } else if (e->state != RT_BREAKER_CLOSED) {
        pass->allowed = 0;
        pass->failures = e->failures;
        pass->retry_at_ms = probe_at > now_ms ? probe_at : now_ms;
        e->rejected++;
    }
    pthread_mutex_unlock(&s->lock);
}

void rt_breaker_leave(rt_breaker_scope scope, const rt_breaker_pass *pass, int failed,
                      int64_t now_ms)
{
    breaker_set *s = &sets[scope];
    if (!pass->allowed || !pass->host[0])
        return;
    pthread_mutex_lock(&s->lock);
    host_entry *e = find(s, pass->host, 0);
    if (e) {
        if (pass->probe)
            e->probing = 0;
        if (failed == 0) {
            e->failures = 0;
            if (e->state != RT_BREAKER_CLOSED)
                transition(s, e, RT_BREAKER_CLOSED, now_ms);
        } else if (failed > 0) { /* (< 0: never reached the host, tells nothing) */
            e->failures++;
            /* A failed probe reopens; so does the threshold while closed. A failure of a call
             * let through before the breaker opened changes nothing more while it is open. */
            if ((e->state == RT_BREAKER_HALF_OPEN && pass->probe) ||
                (e->state == RT_BREAKER_CLOSED && e->failures >= s->cfg.failures))
                transition(s, e, RT_BREAKER_OPEN, now_ms);
        }
    }
    pthread_mutex_unlock(&s->lock);
}

void rt_breaker_refusal(const rt_breaker_pass *pass, int64_t now_ms, char *out, size_t size)
{
    char when[32];
    utc_text(pass->retry_at_ms, when);
    int64_t left = pass->retry_at_ms - now_ms;
    snprintf(out, size,
             "circuit breaker open for %s after %d consecutive failures: not calling it until "
             "%s (in %lld s)",
             pass->host, pass->failures, when, (long long)((left + 999) / 1000));
}

rt_breaker_state rt_breaker_state_of(rt_breaker_scope scope, const char *host)
{
    breaker_set *s = &sets[scope];
    pthread_mutex_lock(&s->lock);
    host_entry *e = find(s, host, 0);
    rt_breaker_state st = e ? e->state : RT_BREAKER_CLOSED;
    pthread_mutex_unlock(&s->lock);
    return st;
}

/* One family across both scopes: `field` picks the value of an entry. */
static void family(ratchet_buf *out, const char *name, const char *type, const char *help,
                   int field)
{
    rt_buf_printf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
    for (size_t k = 0; k < 2; k++) {
        breaker_set *s = &sets[k];
        pthread_mutex_lock(&s->lock);
        for (size_t i = 0; i < s->n; i++) {
            const host_entry *e = &s->hosts[i];
            int64_t v = field == 0   ? (int64_t)e->state
                        : field == 1 ? e->failures
                        : field == 2 ? e->opened
                                     : e->rejected;
            rt_buf_printf(out, "%s{scope=\"%s\",host=\"%s\"} %lld\n", name, s->scope, e->host,
                          (long long)v);
        }
        pthread_mutex_unlock(&s->lock);
    }
}

void rt_breaker_metrics(ratchet_buf *out)
{
    family(out, "ratchet_circuit_breaker_state", "gauge",
           "Circuit breaker of each destination host: 0 closed, 1 open, 2 half-open.", 0);
    family(out, "ratchet_circuit_breaker_failures", "gauge",
           "Consecutive failed calls to each destination host.", 1);
    family(out, "ratchet_circuit_breaker_opened_total", "counter",
           "Times each host's circuit breaker opened.", 2);
    family(out, "ratchet_circuit_breaker_rejected_total", "counter",
           "Calls refused at once because the host's circuit breaker was open.", 3);
}

void rt_breakers_reset(void)
{
    for (size_t k = 0; k < 2; k++) {
        breaker_set *s = &sets[k];
        pthread_mutex_lock(&s->lock);
        free(s->hosts);
        s->hosts = NULL;
        s->n = s->cap = 0;
        s->cfg.enabled = 0;
        pthread_mutex_unlock(&s->lock);
    }
}
