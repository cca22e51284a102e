/*
 * rs_out.c - the JSON writer both storage plugins answer with: records written straight from
 * result rows (rs_row), JSON-valued columns spliced in unparsed (they were checked on the way
 * in), times as RFC 3339.
 */
#include <stdio.h>
#include <string.h>

#include "rs_out.h"

const ratchet_host_api *rs_host;

void rs_init(const ratchet_host_api *host)
{
    rs_host = host;
}

/* ---- output ----------------------------------------------------------------------------- */

void rs_out_init(rs_out *o, ratchet_buf *buf)
{
    o->buf = buf;
    o->st = RATCHET_OK;
    o->comma = 0;
}

static void put(rs_out *o, const char *s, size_t len)
{
    if (o->st == RATCHET_OK)
        o->st = rs_host->buf_append(o->buf, s, len);
}

void rs_out_raw(rs_out *o, const char *s)
{
    put(o, s, strlen(s));
}

void rs_out_begin(rs_out *o, const char *key, char bracket)
{
    rs_out_key(o, key);
    put(o, &bracket, 1);
    o->comma = 0;
}

void rs_out_end(rs_out *o, char bracket)
{
    put(o, &bracket, 1);
    o->comma = 1;
}

void rs_out_key(rs_out *o, const char *key)
{
    if (o->comma)
        put(o, ",", 1);
    o->comma = 1;
    if (!key)
        return; /* an array item */
    put(o, "\"", 1);
    rs_out_raw(o, key);
    put(o, "\":", 2);
}

void rs_out_str(rs_out *o, const char *key, const char *s)
{
    rs_out_key(o, key);
    if (!s)
        put(o, "null", 4);
    else if (o->st == RATCHET_OK)
        o->st = rs_host->buf_json_string(o->buf, s);
}

void rs_out_int(rs_out *o, const char *key, int64_t v)
{
    char num[32];
    int n = snprintf(num, sizeof num, "%lld", (long long)v);
    rs_out_key(o, key);
    put(o, num, (size_t)n);
}

void rs_out_bool(rs_out *o, const char *key, int v)
{
    rs_out_key(o, key);
    rs_out_raw(o, v ? "true" : "false");
}

void rs_out_json(rs_out *o, const char *key, const char *json)
{
    rs_out_key(o, key);
    rs_out_raw(o, json ? json : "null");
}

void rs_out_time(rs_out *o, const char *key, int64_t ms)
{
    rs_out_key(o, key);
    if (ms == 0) {
        put(o, "null", 4);
        return;
    }
    put(o, "\"", 1);
    if (o->st == RATCHET_OK)
        o->st = rs_host->buf_time_iso8601(o->buf, ms * 1000);
    put(o, "\"", 1);
}

void rs_out_col_str(rs_out *o, const char *key, const rs_row *r, int col)
{
    rs_out_str(o, key, r->ops->text(r, col));
}

void rs_out_col_int(rs_out *o, const char *key, const rs_row *r, int col)
{
    if (r->ops->is_null(r, col))
        rs_out_json(o, key, NULL);
    else
        rs_out_int(o, key, r->ops->int64(r, col));
}

void rs_out_col_json(rs_out *o, const char *key, const rs_row *r, int col)
{
    rs_out_json(o, key, r->ops->text(r, col));
}

void rs_out_col_time(rs_out *o, const char *key, const rs_row *r, int col)
{
    rs_out_time(o, key, r->ops->int64(r, col));
}

void rs_out_col_bool(rs_out *o, const char *key, const rs_row *r, int col)
{
    rs_out_bool(o, key, r->ops->boolean(r, col));
}

ratchet_status rs_out_done(ratchet_ctx *ctx, rs_out *o)
{
    if (o->st == RATCHET_NOMEM)
        rs_host->set_error(ctx, "out of memory writing JSON");
    else if (o->st != RATCHET_OK) /* buf_time_iso8601 writes four-digit years only */
        rs_host->set_error(ctx, "a stored time lies outside the years 0000-9999");
    return o->st;
}
