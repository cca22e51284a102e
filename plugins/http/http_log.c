/*
 * http_log.c - the access log line of every request and the per-request log of consumers,
 * both through the host's loggers with the request id attached.
 */
#include <stdarg.h>
#include <stdio.h>

#include "http_int.h"

void mhd_access_log(mhd_server *srv, const ratchet_http_request *req, int64_t dur_ns)
{
    if (!mhd_host->log_enabled(RATCHET_LOG_INFO))
        return;
    char status[16], bytes[32], ms[32];
    snprintf(status, sizeof status, "%d", req->status);
    snprintf(bytes, sizeof bytes, "%llu", (unsigned long long)req->bytes);
    snprintf(ms, sizeof ms, "%.3f", (double)dur_ns / 1e6);
    const char *path = req->path.decoded ? req->path.decoded : (req->uri ? req->uri : "");
    ratchet_log_field f[] = {
        {"request_id", req->id}, {"method", req->method},
        {"path", path},          {"status", status},
        {"bytes", bytes},        {"duration_ms", ms},
        {"client", req->client}, {"route", req->route.pattern ? req->route.pattern : ""},
    };
    mhd_host->log_fields(srv->ctx, RATCHET_LOG_INFO, f, sizeof f / sizeof f[0], "%s %s %d %s ms",
                         req->method, path, req->status, ms);
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
