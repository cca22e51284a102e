/* host/engine/store_url.c - the storage chosen by a URL (--storage-url, RATCHET_STORAGE_URL),
 * and URLs shown with their password masked. */
#include "store.h"
#include "store_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/core_layer.h"

#define RT_MASK "***"

/* The length of the scheme of `url` ("postgresql" in "postgresql://..."): letters first, then
 * letters, digits, '+', '-', '.', up to a ':'. 0 when there is none (a bare path), and for a
 * single letter (a drive-like "c:..." is read as a path). */
static size_t scheme_len(const char *url)
{
    size_t n = 0;
    if (!isalpha((unsigned char)url[0]))
        return 0;
    while (isalnum((unsigned char)url[n]) || url[n] == '+' || url[n] == '-' || url[n] == '.')
        n++;
    return url[n] == ':' && n > 1 ? n : 0;
}

static int scheme_is(const char *url, size_t n, const char *name)
{
    return strlen(name) == n && strncasecmp(url, name, n) == 0;
}

int rt_store_url_parse(const char *url, const char **plugin, const char **location, rt_error *err)
{
    size_t n = scheme_len(url);
    if (!*url) {
        rt_fail(err, "the storage URL is empty (expected postgresql://..., postgres://... or "
                     "sqlite:PATH)");
        return -1;
    }
    if (n && (scheme_is(url, n, "postgresql") || scheme_is(url, n, "postgres"))) {
        *plugin = "storage-postgres";
        *location = url;
        return 0;
    }
    if (n && !scheme_is(url, n, "sqlite")) {
        rt_fail(err,
                "unknown storage URL scheme '%.*s:' (expected postgresql://..., postgres://... "
                "or sqlite:PATH; a path without a scheme is an SQLite file)",
                (int)n, url);
        return -1;
    }
    const char *path = n ? url + n + 1 : url;
    if (n && strncmp(path, "//", 2) == 0)
        path += 2; /* sqlite://rel/x.db, sqlite:///abs/x.db */
    if (!*path) {
        rt_fail(err, "the storage URL '%s' names no SQLite file (expected sqlite:PATH)", url);
        return -1;
    }
    *plugin = "storage-sqlite";
    *location = path;
    return 0;
}

/* Where the password of a URI's userinfo starts and ends ("u:PW@h"), if it has one. */
static int userinfo_password(const char *s, size_t *from, size_t *to)
{
    const char *sep = strstr(s, "://");
    if (!sep)
        return 0;
    const char *auth = sep + 3;
    size_t authlen = strcspn(auth, "/?#");
    const char *at = NULL;
    for (size_t i = 0; i < authlen; i++)
        if (auth[i] == '@')
            at = auth + i; /* the last '@' ends the userinfo */
    const char *colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
    if (!colon)
        return 0;
    *from = (size_t)(colon + 1 - s);
    *to = (size_t)(at - s);
    return 1;
}

/* Where the value of a "password=" key starts and ends: a URI query parameter
 * ("?password=x&...") or a libpq keyword ("password=x", "password='x y'"). */
static int keyword_password(const char *s, size_t start, size_t *from, size_t *to)
{
    for (const char *p = s + start; (p = strstr(p, "password")) != NULL; p += 8) {
        int boundary = p == s || p[-1] == '?' || p[-1] == '&' || isspace((unsigned char)p[-1]);
        const char *v = p + 8;
        while (isspace((unsigned char)*v))
            v++;
        if (!boundary || *v != '=')
            continue;
        v++;
        while (isspace((unsigned char)*v))
            v++;
        *from = (size_t)(v - s);
        if (*v == '\'') {
            const char *e = v + 1;
            while (*e && *e != '\'')
                e += e[0] == '\\' && e[1] ? 2 : 1;
            *to = (size_t)(e - s) + (*e ? 1 : 0);
        } else {
            *to = *from + strcspn(v, "& \t\n#");
        }
        return 1;
    }
    return 0;
}

char *rt_url_mask(const char *text)
{
    if (!text)
        return NULL;
    ratchet_buf out = RATCHET_BUF_INIT;
    size_t from, to, done = 0;
    if (userinfo_password(text, &from, &to)) {
        rt_buf_printf(&out, "%.*s" RT_MASK, (int)from, text);
        done = to;
    }
    while (keyword_password(text, done, &from, &to)) {
        rt_buf_printf(&out, "%.*s" RT_MASK, (int)(from - done), text + done);
        done = to;
    }
    rt_buf_puts(&out, text + done);
    if (!out.data)
        return NULL;
    return out.data; /* the buffer's malloc'd text; the caller frees it */
}

/* A copy of the scalar options of `given` (a configured instance of the same plugin) with
 * `key` set to `value`, attributed to `where`. */
static rt_node *options_with(const rt_node *given, const char *key, const char *value,
                             const char *where)
{
    rt_node *map = rt_node_new_map(where);
    for (size_t i = 0; map && i < rt_node_count(given); i++) {
        const rt_node *v = rt_node_at(given, i);
        const char *k = rt_node_key_at(given, i);
        if (rt_node_kind(v) != RATCHET_NODE_SCALAR || strcmp(k, key) == 0)
            continue;
        rt_node *copy = rt_node_new_scalar(rt_node_scalar(v), rt_node_where(v));
        if (copy)
            copy->plain = v->plain;
        rt_node_map_set(map, k, copy);
    }
    rt_node *v = map ? rt_node_new_scalar(value, where) : NULL;
    if (v)
        v->plain = 0;
    if (!v || rt_node_map_set(map, key, v) != RATCHET_OK) {
        rt_node_free(map);
        return NULL;
    }
    return map;
}

int rt_store_from_url(rt_app *app, rt_store *st)
{
    const char *url = app->storage_url;
    const char *from = app->storage_url_from ? app->storage_url_from : "--storage-url";
    const char *plugin = NULL, *location = NULL;
    rt_error err;
    if (rt_store_url_parse(url, &plugin, &location, &err) != 0)
        return rt_cli_fail("%s: %s", from, err.msg);
    st->plugin = rt_registry_find(&app->reg, plugin);
    if (!st->plugin || !st->plugin->vtable[RT_KIND_STORAGE])
        return rt_cli_fail("%s selects %s, which is not installed (see `ratchet plugins list`)",
                           from, plugin);
    /* The other options of a configured instance of the same plugin still apply. */
    const rt_instance_spec *spec = NULL;
    for (size_t i = 0; i < app->settings.ninstances && !spec; i++)
        if (strcmp(app->settings.instances[i].plugin, plugin) == 0)
            spec = &app->settings.instances[i];
    int pg = strcmp(plugin, "storage-postgres") == 0;
    st->opts = options_with(spec ? spec->options : NULL, pg ? "url" : "path", location, from);
    if (!st->opts)
        return rt_cli_fail("out of memory");
    st->cfg = rt_options_validate(st->plugin->desc->options, st->opts, from, NULL, &err);
    if (!st->cfg)
        return rt_cli_fail("%s", err.msg);
    st->ctx = rt_ctx_new(spec ? spec->name : "storage", plugin);
    char *masked = rt_url_mask(pg ? location : NULL);
    rt_buf_printf(&st->where, "%s (from %s)", masked ? masked : location, from);
    free(masked);
    return RT_EXIT_OK;
}
