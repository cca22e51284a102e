/*
 * http_log.c - the access log line of every request and the per-request log of consumers,
 * both through the host's loggers with the request id attached.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "http_int.h"

/* Decimal digits of v at the end of buf[0..cap); returns where they start. */
static char *put_u64(char *buf, size_t cap, uint64_t v)
{
    char *p = buf + cap;
    *--p = '\0';
    do
        *--p = (char)('0' + v % 10);
    while ((v /= 10) > 0 && p > buf);
    return p;
}

/* "1.234": milliseconds with three decimals from nanoseconds, as "%.3f" prints them. */
static void put_ms(char *buf, size_t cap, int64_t ns)
{
    uint64_t us = ns > 0 ? ((uint64_t)ns + 500) / 1000 : 0;
    char whole[24], *w = put_u64(whole, sizeof whole, us / 1000);
    size_t n = strlen(w);
    if (n + 5 > cap) {
        snprintf(buf, cap, "%s", w);
        return;
    }
    memcpy(buf, w, n);
    unsigned frac = (unsigned)(us % 1000);
    buf[n] = '.';
    buf[n + 1] = (char)('0' + frac / 100);
    buf[n + 2] = (char)('0' + frac / 10 % 10);
    buf[n + 3] = (char)('0' + frac % 10);
    buf[n + 4] = '\0';
}

/* The line is built here without printf (one per request: it showed in the profile), and
 * handed over as "%s". */
void mhd_access_log(mhd_server *srv, const ratchet_http_request *req, int64_t dur_ns)
{
    if (!mhd_host->log_enabled(RATCHET_LOG_INFO))
        return;
    char sbuf[16], bbuf[24], ms[32], line[512];
    const char *status = put_u64(sbuf, sizeof sbuf, (uint64_t)(req->status > 0 ? req->status : 0));
    const char *bytes = put_u64(bbuf, sizeof bbuf, req->bytes);
    put_ms(ms, sizeof ms, dur_ns);
    const char *path = req->path.decoded ? req->path.decoded : (req->uri ? req->uri : "");
    const char *parts[] = {req->method, " ", path, " ", status, " ", ms, " ms"};
    size_t len = 0, fits = 1;
    for (size_t i = 0; fits && i < sizeof parts / sizeof parts[0]; i++) {
        size_t n = strlen(parts[i]);
        fits = n < sizeof line - len;
        if (fits) {
            memcpy(line + len, parts[i], n);
            len += n;
        }
    }
    line[len] = '\0';
    ratchet_log_field f[] = {
        {"request_id", req->id}, {"method", req->method},
        {"path", path},          {"status", status},
        {"bytes", bytes},        {"duration_ms", ms},
        {"client", req->client}, {"route", req->route.pattern ? req->route.pattern : ""},
    };
    if (fits)
        mhd_host->log_fields(srv->ctx, RATCHET_LOG_INFO, f, sizeof f / sizeof f[0], "%s", line);
    else /* a path longer than the buffer */
        mhd_host->log_fields(srv->ctx, RATCHET_LOG_INFO, f, sizeof f / sizeof f[0],
                             "%s %s %s %s ms", req->method, path, status, ms);
}

void mhd_request_log(const ratchet_http_request *req, ratchet_log_level level, const char *fmt, ...)
{
    if (!req || !mhd_host->log_enabled(level))
        return;
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    ratchet_log_field f[] = {
        {"request_id", req->id},
        {"route", req->route.pattern ? req->route.pattern : ""},
    };
    mhd_host->log_fields(req->lis->srv->ctx, level, f, 2, "%s", msg);
}
