/*
 * http_url.c - percent-decoding, query strings and path segments (pure; see http_url.h).
 *
 * We parse the raw request target ourselves (libmicrohttpd hands it over undecoded through
 * its URI log callback) so that "%2F" inside a segment stays inside that segment and the
 * query keeps its order and duplicates.
 */
#include <stdlib.h>
#include <string.h>

#include "http_url.h"

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int mhd_percent_decode(char *s, int plus_is_space)
{
    char *w = s;
    for (const char *r = s; *r; r++) {
        if (*r == '%') {
            int hi = hexval(r[1]);
            int lo = hi < 0 ? -1 : hexval(r[2]);
            if (hi < 0 || lo < 0)
                return -1;
            int c = hi * 16 + lo;
            if (c == 0)
                return -1;
            *w++ = (char)c;
            r += 2;
        } else if (*r == '+' && plus_is_space) {
            *w++ = ' ';
        } else {
            *w++ = *r;
        }
    }
    *w = '\0';
    return 0;
}

static char *dup_range(const char *s, size_t len)
{
    char *d = malloc(len + 1);
    if (d) {
        memcpy(d, s, len);
        d[len] = '\0';
    }
    return d;
}

void mhd_query_free(mhd_query *q)
{
    for (size_t i = 0; i < q->n; i++) {
        free(q->keys[i]);
        free(q->values[i]);
    }
    free(q->keys);
    free(q->values);
    memset(q, 0, sizeof *q);
}

/* Append one "k=v" piece (len bytes at s) to q; 0 or a mhd_query_parse error. */
static int query_add(mhd_query *q, const char *s, size_t len)
{
    if (q->n == MHD_MAX_QUERY_ARGS)
        return -2;
    const char *eq = memchr(s, '=', len);
    size_t klen = eq ? (size_t)(eq - s) : len;
    char *k = dup_range(s, klen);
    char *v = eq ? dup_range(eq + 1, len - klen - 1) : dup_range("", 0);
    if (!k || !v) {
        free(k);
        free(v);
        return -3;
    }
    if (mhd_percent_decode(k, 1) != 0 || mhd_percent_decode(v, 1) != 0) {
        free(k);
        free(v);
        return -1;
    }
    q->keys[q->n] = k;
    q->values[q->n] = v;
    q->n++;
    return 0;
}

int mhd_query_parse(const char *raw, mhd_query *q)
{
    memset(q, 0, sizeof *q);
    if (!raw || !*raw)
        return 0;
    size_t pieces = 1;
    for (const char *c = raw; *c; c++)
        pieces += *c == '&';
    if (pieces > MHD_MAX_QUERY_ARGS)
        pieces = MHD_MAX_QUERY_ARGS + 1; /* enough to notice the overflow */
    q->keys = calloc(pieces, sizeof *q->keys);
    q->values = calloc(pieces, sizeof *q->values);
    if (!q->keys || !q->values) {
        mhd_query_free(q);
        return -3;
    }
    const char *p = raw;
    while (*p) {
        const char *amp = strchr(p, '&');
        size_t len = amp ? (size_t)(amp - p) : strlen(p);
        if (len > 0) {
            int rc = query_add(q, p, len);
            if (rc != 0) {
                mhd_query_free(q);
                return rc;
            }
        }
        p += len + (amp != NULL);
    }
    return 0;
}

void mhd_path_free(mhd_path *p)
{
    for (size_t i = 0; i < p->nseg; i++)
        free(p->segs[i]);
    free(p->segs);
    free(p->decoded);
    memset(p, 0, sizeof *p);
}

int mhd_path_parse(const char *raw, mhd_path *p)
{
    memset(p, 0, sizeof *p);
    if (!raw || raw[0] != '/')
        return -1;
    size_t n = 0;
    for (const char *c = raw; *c; c++)
        n += *c == '/';
    if (n > MHD_MAX_SEGMENTS)
        return -2;
    p->decoded = dup_range(raw, strlen(raw));
    p->segs = calloc(n, sizeof *p->segs);
    if (!p->decoded || !p->segs) {
        mhd_path_free(p);
        return -3;
    }
    if (mhd_percent_decode(p->decoded, 0) != 0) {
        mhd_path_free(p);
        return -1;
    }
    /* "/" alone is the root: no segments. */
    if (strcmp(raw, "/") == 0)
        return 0;
    const char *s = raw + 1;
    for (;;) {
        const char *slash = strchr(s, '/');
        size_t len = slash ? (size_t)(slash - s) : strlen(s);
        char *seg = dup_range(s, len);
        if (!seg) {
            mhd_path_free(p);
            return -3;
        }
        p->segs[p->nseg++] = seg;
        if (mhd_percent_decode(seg, 0) != 0) {
            mhd_path_free(p);
            return -1;
        }
        if (!slash)
            break;
        s = slash + 1;
    }
    return 0;
}
