/* host/core/registry_config.c - checking registry.sources (see registry_config.h). */
#include "registry_config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"

const ratchet_option rt_source_options[] = {
    RATCHET_OPT_REQUIRED("name", RATCHET_OPT_STRING,
                         "Source name, unique ([a-z0-9_-]+); names its cache folder and appears in "
                         "messages"),
    RATCHET_OPT_ENUM("type", "filesystem|http|git", NULL,
                     "filesystem (a folder, .zip or collection, like engine.tasks) or http (an "
                     "index.json URL); unset: http for an http(s):// uri, else filesystem"),
    RATCHET_OPT_ENUM("source_type", "filesystem|http|git", NULL,
                     "The original's name for type (give one of the two)"),
    RATCHET_OPT_REQUIRED("uri", RATCHET_OPT_STRING,
                         "filesystem: a path or file:// URL (relative: to the config file); "
                         "http: the URL of the registry's index.json"),
    RATCHET_OPT("enabled", RATCHET_OPT_BOOL, "true", "A disabled source is not read at all"),
    RATCHET_OPT_RANGE("polling_interval", RATCHET_OPT_DURATION, NULL, 1000, 604800000,
                      "http: how often serve fetches the index (default: "
                      "registry.default_polling_interval)"),
    RATCHET_OPT_RANGE("timeout", RATCHET_OPT_DURATION, "30s", 100, 3600000,
                      "http: longest one request (the index or one zip) may take"),
    RATCHET_OPT_RANGE("max_zip_size", RATCHET_OPT_SIZE, "16MiB", 1024, 1073741824,
                      "http: a task zip larger than this is refused (cut off while it downloads)"),
    RATCHET_OPT("verify_tls", RATCHET_OPT_BOOL, "true",
                "http: verify the server's certificate and name"),
    RATCHET_OPT("auth", RATCHET_OPT_NODE, NULL,
                "http: credentials sent to the index's own host: {type: bearer|header, token_env: "
                "VARIABLE, header: NAME}"),
    RATCHET_OPT_END,
};

const ratchet_option rt_source_auth_options[] = {
    RATCHET_OPT_ENUM("type", "bearer|header", "bearer",
                     "bearer sends 'Authorization: Bearer TOKEN'; header sends 'HEADER: TOKEN'"),
    RATCHET_OPT_REQUIRED("token_env", RATCHET_OPT_STRING,
                         "Environment variable holding the token (read at each fetch; the token "
                         "itself is never written in the file)"),
    RATCHET_OPT("header", RATCHET_OPT_STRING, NULL,
                "Header name for type header (e.g. X-Api-Key); bearer uses Authorization"),
    RATCHET_OPT_END,
};

static int valid_name(const char *s)
{
    if (!*s || strlen(s) > 64)
        return 0;
    for (const char *p = s; *p; p++)
        if (!(islower((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '-' || *p == '_'))
            return 0;
    return 1;
}

static int valid_env_name(const char *s)
{
    if (!*s || isdigit((unsigned char)*s) || strlen(s) > 128)
        return 0;
    for (const char *p = s; *p; p++)
        if (!(isalnum((unsigned char)*p) || *p == '_'))
            return 0;
    return 1;
}

/* An RFC 9110 token (a header name). */
static int valid_header_name(const char *s)
{
    return *s && strlen(s) <= 128 &&
           s[strspn(s, "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                       "abcdefghijklmnopqrstuvwxyz")] == '\0';
}

static int is_http_url(const char *s)
{
    return strncmp(s, "http://", 7) == 0 || strncmp(s, "https://", 8) == 0;
}

/* Where key `key` of `entry` was written, else the entry itself. */
static const char *key_where(const rt_node *entry, const char *key)
{
    const rt_node *n = rt_node_get(entry, key);
    return rt_node_where(n ? n : entry);
}

static ratchet_status parse_auth(rt_source_spec *s, const rt_node *auth, const char *path,
                                 const char *basedir, rt_error *err)
{
    char keypath[96];
    snprintf(keypath, sizeof keypath, "%s.auth", path);
    ratchet_config *cfg = rt_options_validate(rt_source_auth_options, auth, keypath, basedir, err);
    if (!cfg)
        return RATCHET_ERR;
    ratchet_status rc = RATCHET_OK;
    const char *type = rt_cfg_string(cfg, "type");
    const char *env = rt_cfg_string(cfg, "token_env");
    const char *header = rt_cfg_string(cfg, "header");
    int bearer = strcmp(type, "bearer") == 0;
    if (!valid_env_name(env))
        rc = rt_fail(err,
                     "%s: %s.token_env: expected the name of an environment variable (letters, "
                     "digits, _), got '%.60s'",
                     key_where(auth, "token_env"), keypath, env);
    else if (!bearer && !header)
        rc = rt_fail(err, "%s: %s.header: type header needs the header's name (e.g. X-Api-Key)",
                     rt_node_where(auth), keypath);
    else if (header && bearer)
        rc = rt_fail(err,
                     "%s: %s.header: type bearer always sends Authorization; use type: header "
                     "to send the token in '%.60s'",
                     key_where(auth, "header"), keypath, header);
    else if (header && !valid_header_name(header))
        rc = rt_fail(err, "%s: %s.header: expected a header name (letters, digits, -), got '%.60s'",
                     key_where(auth, "header"), keypath, header);
    if (rc == RATCHET_OK) {
        s->auth_header = strdup(bearer || !header ? "Authorization" : header);
        s->auth_prefix = strdup(bearer ? "Bearer " : "");
        s->token_env = strdup(env);
        if (!s->auth_header || !s->auth_prefix || !s->token_env)
            rc = rt_fail(err, "out of memory");
    }
    rt_config_free(cfg);
    return rc;
}

/* The type: `type`, else `source_type`, else from the uri. */
static ratchet_status source_type(rt_source_spec *s, const rt_node *e, const ratchet_config *cfg,
                                  const char *path, rt_error *err)
{
    const char *type = rt_cfg_string(cfg, "type");
    const char *alias = rt_cfg_string(cfg, "source_type");
    const char *uri = rt_cfg_string(cfg, "uri");
    if (type && alias)
        return rt_fail(err, "%s: %s.source_type: give type or source_type, not both",
                       key_where(e, "source_type"), path);
    const char *key = type ? "type" : "source_type";
    type = type ? type : alias;
    if (type && strcmp(type, "git") == 0)
        return rt_fail(err,
                       "%s: %s.%s: git sources are not supported; serve the tasks as an http "
                       "registry (`ratchet registry serve-index DIR`) or point a filesystem "
                       "source at a checkout",
                       key_where(e, key), path, key);
    s->type = type ? (strcmp(type, "http") == 0 ? RT_SOURCE_HTTP : RT_SOURCE_FILESYSTEM)
                   : (is_http_url(uri) ? RT_SOURCE_HTTP : RT_SOURCE_FILESYSTEM);
    return RATCHET_OK;
}

static ratchet_status source_uri(rt_source_spec *s, const rt_node *e, const ratchet_config *cfg,
                                 const char *path, const char *basedir, rt_error *err)
{
    const char *uri = rt_cfg_string(cfg, "uri");
    const char *where = key_where(e, "uri");
    if (!*uri)
        return rt_fail(err, "%s: %s.uri: expected %s, got an empty value", where, path,
                       s->type == RT_SOURCE_HTTP ? "the URL of an index.json" : "a path");
    if (s->type == RT_SOURCE_HTTP) {
        if (!is_http_url(uri) || strlen(uri) > 2048 || strpbrk(uri, " \t\r\n"))
            return rt_fail(err,
                           "%s: %s.uri: expected an http:// or https:// URL of an index.json, "
                           "got '%.200s'",
                           where, path, uri);
        s->uri = strdup(uri);
        return s->uri ? RATCHET_OK : rt_fail(err, "out of memory");
    }
    if (is_http_url(uri))
        return rt_fail(err,
                       "%s: %s.uri: a filesystem source takes a path, got the URL '%.200s' "
                       "(use type: http for a registry served over HTTP)",
                       where, path, uri);
    if (strncmp(uri, "file://", 7) == 0)
        uri += 7;
    if (!*uri || strlen(uri) > 2048)
        return rt_fail(err, "%s: %s.uri: expected a path", where, path);
    size_t n = strlen(uri) + strlen(basedir ? basedir : ".") + 2;
    if (!(s->uri = malloc(n)))
        return rt_fail(err, "out of memory");
    if (uri[0] == '/')
        snprintf(s->uri, n, "%s", uri);
    else
        snprintf(s->uri, n, "%s/%s", basedir ? basedir : ".", uri);
    return RATCHET_OK;
}

/* Keys that only an http source reads, refused on a filesystem source. */
static ratchet_status http_only(const rt_node *e, const ratchet_config *cfg, const char *path,
                                rt_error *err)
{
    static const char *const keys[] = {"polling_interval", "timeout", "max_zip_size", "verify_tls",
                                       "auth"};
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
        if (rt_cfg_is_set(cfg, keys[i]))
            return rt_fail(err,
                           "%s: %s.%s: only http sources take %s (this one is a filesystem "
                           "source)",
                           key_where(e, keys[i]), path, keys[i], keys[i]);
    return RATCHET_OK;
}

static ratchet_status parse_one(rt_source_spec *s, const rt_node *e, const char *path,
                                const char *basedir, int64_t default_interval_ms, rt_error *err)
{
    ratchet_config *cfg = rt_options_validate(rt_source_options, e, path, basedir, err);
    if (!cfg)
        return RATCHET_ERR;
    ratchet_status rc = RATCHET_OK;
    const char *name = rt_cfg_string(cfg, "name");
    if (!valid_name(name))
        rc = rt_fail(err,
                     "%s: %s.name: invalid source name '%.60s' (use lowercase letters, digits, "
                     "'-' and '_', at most 64)",
                     key_where(e, "name"), path, name);
    else if (!(s->name = strdup(name)) || !(s->where = strdup(rt_node_where(e))))
        rc = rt_fail(err, "out of memory");
    if (rc == RATCHET_OK)
        rc = source_type(s, e, cfg, path, err);
    if (rc == RATCHET_OK)
        rc = source_uri(s, e, cfg, path, basedir, err);
    if (rc == RATCHET_OK && s->type == RT_SOURCE_FILESYSTEM)
        rc = http_only(e, cfg, path, err);
    const ratchet_node *auth = rt_cfg_node(cfg, "auth");
    if (rc == RATCHET_OK && s->type == RT_SOURCE_HTTP && auth)
        rc = parse_auth(s, auth, path, basedir, err);
    s->enabled = rt_cfg_bool(cfg, "enabled");
    s->interval_ms = rt_cfg_is_set(cfg, "polling_interval") ? rt_cfg_int(cfg, "polling_interval")
                                                            : default_interval_ms;
    s->timeout_ms = rt_cfg_int(cfg, "timeout");
    s->max_zip_size = rt_cfg_int(cfg, "max_zip_size");
    s->verify_tls = rt_cfg_bool(cfg, "verify_tls");
    rt_config_free(cfg);
    return rc;
}

ratchet_status rt_source_specs_parse(const ratchet_node *list, const char *basedir,
                                     int64_t default_interval_ms, rt_source_spec **out,
                                     size_t *count, rt_error *err)
{
    *out = NULL;
    *count = 0;
    if (!list ||
        (list->kind == RATCHET_NODE_SCALAR && list->plain &&
         (!*list->scalar || strcmp(list->scalar, "~") == 0 || strcmp(list->scalar, "null") == 0)))
        return RATCHET_OK;
    if (list->kind != RATCHET_NODE_SEQUENCE)
        return rt_fail(err,
                       "%s: registry.sources: expected a list of sources ({name, type, uri}), "
                       "got %s",
                       list->where, list->kind == RATCHET_NODE_MAP ? "a mapping" : "a scalar");
    if (list->count > 256)
        return rt_fail(err, "%s: registry.sources: %zu sources, over the limit of 256", list->where,
                       list->count);
    *out = calloc(list->count + 1, sizeof **out);
    if (!*out)
        return rt_fail(err, "out of memory");
    for (size_t i = 0; i < list->count; i++) {
        const rt_node *e = list->items[i];
        char path[64];
        snprintf(path, sizeof path, "registry.sources[%zu]", i);
        if (e->kind != RATCHET_NODE_MAP)
            return rt_fail(err, "%s: %s: expected a mapping ({name, type, uri}), got '%.60s'",
                           e->where, path, e->kind == RATCHET_NODE_SCALAR ? e->scalar : "a list");
        rt_source_spec *s = &(*out)[*count];
        (*count)++; /* from here on it is freed with the others */
        if (parse_one(s, e, path, basedir, default_interval_ms, err) != RATCHET_OK)
            return RATCHET_ERR;
        for (size_t j = 0; j + 1 < *count; j++)
            if ((*out)[j].name && strcmp((*out)[j].name, s->name) == 0)
                return rt_fail(err, "%s: %s.name: duplicate source name '%s' (first at %s)",
                               key_where(e, "name"), path, s->name, (*out)[j].where);
    }
    return RATCHET_OK;
}

void rt_source_specs_free(rt_source_spec *specs, size_t count)
{
    for (size_t i = 0; specs && i < count; i++) {
        rt_source_spec *s = &specs[i];
        free(s->name);
        free(s->uri);
        free(s->auth_header);
        free(s->auth_prefix);
        free(s->token_env);
        free(s->where);
    }
    free(specs);
}
