/*
 * plugins/api-mcp/mcp_session.c - protocol versions, the HTTP session table and cancellation of
 * calls in flight.
 *
 * Sessions are reference counted under mcp.lock: the table holds one reference, each request
 * using the session one more. Ending a session (DELETE, eviction, stop) unlinks it and cancels
 * its calls; its memory goes with the last reference. At most MCP_MAX_SESSIONS are kept: a new
 * one evicts the least recently used session without calls in flight.
 */
#define _POSIX_C_SOURCE 200809L

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "mcp.h"

const char *const mcp_versions[] = {"2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05", NULL};

int mcp_version_known(const char *v)
{
    for (size_t i = 0; v && mcp_versions[i]; i++)
        if (strcmp(v, mcp_versions[i]) == 0)
            return 1;
    return 0;
}

/* 128 random bits as hex. */
static int random_id(char *buf, size_t cap)
{
    unsigned char raw[16];
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    ssize_t n = fd >= 0 ? read(fd, raw, sizeof raw) : -1;
    if (fd >= 0)
        close(fd);
    if (n != (ssize_t)sizeof raw || cap < 2 * sizeof raw + 1)
        return 0;
    for (size_t i = 0; i < sizeof raw; i++)
        snprintf(buf + 2 * i, 3, "%02x", raw[i]);
    return 1;
}

static int64_t now_ms(void)
{
    return mcp_host->monotonic_ns() / 1000000;
}

/* Mark every call of `s` cancelled and wake it. With m->lock held. */
static void cancel_calls_locked(mcp_session *s)
{
    for (mcp_call *c = s->calls; c; c = c->next) {
        c->cancelled = 1;
        pthread_cond_broadcast(&c->cond);
    }
}

/* Unlink `s` from the table and drop the table's reference. With m->lock held. */
static void unlink_locked(mcp *m, mcp_session *s)
{
    for (mcp_session **p = &m->sessions; *p; p = &(*p)->next) {
        if (*p == s) {
            *p = s->next;
            m->nsessions--;
            cancel_calls_locked(s);
            if (--s->refs == 0)
                mcp_host->free(s);
            return;
        }
    }
}

/* Make room for one more session: evict the least recently used idle one. */
static int make_room_locked(mcp *m)
{
    if (m->nsessions < MCP_MAX_SESSIONS)
        return 1;
    mcp_session *victim = NULL;
    for (mcp_session *s = m->sessions; s; s = s->next)
        if (!s->calls && s->refs == 1 && (!victim || s->last_used_ms < victim->last_used_ms))
            victim = s;
    if (!victim)
        return 0;
    mcp_host->log(m->ctx, RATCHET_LOG_INFO, "session %s evicted (least recently used of %d)",
                  victim->id, MCP_MAX_SESSIONS);
    unlink_locked(m, victim);
    return 1;
}

mcp_session *mcp_session_new(mcp *m)
{
    mcp_session *s = mcp_host->calloc(1, sizeof *s);
    if (!s || !random_id(s->id, sizeof s->id)) {
        mcp_host->free(s);
        return NULL;
    }
    s->log_level = -1;
    s->refs = 2;
    s->last_used_ms = now_ms();
    pthread_mutex_lock(&m->lock);
    int ok = !m->stopping && make_room_locked(m);
    if (ok) {
        s->next = m->sessions;
        m->sessions = s;
        m->nsessions++;
    }
    pthread_mutex_unlock(&m->lock);
    if (!ok) {
        mcp_host->free(s);
        return NULL;
    }
    return s;
}

mcp_session *mcp_session_find(mcp *m, const char *id)
{
    mcp_session *found = NULL;
    pthread_mutex_lock(&m->lock);
    for (mcp_session *s = m->sessions; s && id; s = s->next) {
        if (strcmp(s->id, id) == 0) {
            s->refs++;
            s->last_used_ms = now_ms();
            found = s;
            break;
        }
    }
    pthread_mutex_unlock(&m->lock);
    return found;
}

void mcp_session_unref(mcp *m, mcp_session *s)
{
    if (!s || s == &m->stdio_session)
        return;
    pthread_mutex_lock(&m->lock);
    int last = --s->refs == 0;
    pthread_mutex_unlock(&m->lock);
    if (last)
        mcp_host->free(s);
}

int mcp_session_end(mcp *m, const char *id)
{
    int found = 0;
    pthread_mutex_lock(&m->lock);
    for (mcp_session *s = m->sessions; s && id; s = s->next) {
        if (strcmp(s->id, id) == 0) {
            unlink_locked(m, s);
            found = 1;
            break;
        }
    }
    pthread_mutex_unlock(&m->lock);
    return found;
}

void mcp_sessions_clear(mcp *m)
{
    pthread_mutex_lock(&m->lock);
    while (m->sessions)
        unlink_locked(m, m->sessions);
    cancel_calls_locked(&m->stdio_session);
    pthread_mutex_unlock(&m->lock);
}

int mcp_session_cancel(mcp *m, mcp_session *s, struct json_object *request_id)
{
    int found = 0;
    pthread_mutex_lock(&m->lock);
    for (mcp_call *c = s->calls; c && request_id; c = c->next) {
        if (json_object_equal(c->id, request_id)) {
            c->cancelled = 1;
            pthread_cond_broadcast(&c->cond);
            found = 1;
        }
    }
    pthread_mutex_unlock(&m->lock);
    return found;
}
