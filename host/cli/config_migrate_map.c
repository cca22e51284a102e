/* host/cli/config_migrate_map.c - the walk of `ratchet config migrate` over the original's
 * tree: what several keys decide together is read first (the listener, the database, MCP),
 * then every key meets its row of config_migrate_keys.c, then mig_finish assembles the
 * instances. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_migrate.h"

static const char *scalar_at(const rt_node *root, const char *a, const char *b, const char *c)
{
    const rt_node *n = rt_node_get(rt_node_get(root, a), b);
    if (c)
        n = rt_node_get(n, c);
    return n && n->kind == RATCHET_NODE_SCALAR && *n->scalar ? n->scalar : NULL;
}

static int loopback(const char *addr)
{
    return strcmp(addr, "localhost") == 0 || strncmp(addr, "127.", 4) == 0 ||
           strcmp(addr, "::1") == 0;
}

static int numeric_address(const char *addr)
{
    unsigned char buf[16];
    return strcmp(addr, "localhost") == 0 || inet_pton(AF_INET, addr, buf) == 1 ||
           inet_pton(AF_INET6, addr, buf) == 1;
}

/* The keys that decide together, before the walk reports on each. */
static void prescan(mig_ctx *m, const rt_node *root)
{
    const char *addr = scalar_at(root, "server", "bind_address", NULL);
    const char *port = scalar_at(root, "server", "port", NULL);
    char *end = NULL;
    long p = port ? strtol(port, &end, 10) : 8080;
    m->address = strdup(addr && numeric_address(addr) ? addr : "127.0.0.1");
    if (!port || !end || *end || p < 0 || p > 65535)
        p = 8080;
    char text[96];
    snprintf(text, sizeof text, "%ld", p);
    m->port = strdup(text);
    m->api_key = m->address && !loopback(m->address);
    snprintf(text, sizeof text,
             strchr(m->address ? m->address : "", ':') ? "http://[%s]:%s" : "http://%s:%s",
             m->address ? m->address : "", m->port ? m->port : "");
    m->server_url = strdup(text);
    const char *cert = scalar_at(root, "server", "tls", "cert_file");
    const char *key = scalar_at(root, "server", "tls", "key_file");
    m->tls_cert = cert ? strdup(cert) : NULL;
    m->tls_key = key ? strdup(key) : NULL;
    if (!m->address || !m->port || !m->server_url || (cert && !m->tls_cert) || (key && !m->tls_key))
        m->oom = 1;

    const rt_node *rate = rt_node_get(rt_node_get(root, "server"), "rate_limit");
    const char *en = scalar_at(root, "server", "rate_limit", "enabled");
    int b = 1;
    m->rate_enabled = rate && rate->kind == RATCHET_NODE_MAP &&
                      (!en || rt_parse_bool(en, &b, NULL) != RATCHET_OK || b);

    const char *mcp = scalar_at(root, "mcp", "enabled", NULL);
    m->mcp_enabled = 1; /* the original's default */
    if (mcp && rt_parse_bool(mcp, &b, NULL) == RATCHET_OK)
        m->mcp_enabled = b;

    const char *url = scalar_at(root, "server", "database", "url");
    if (!url)
        url = scalar_at(root, "database", "url", NULL);
    char dir[16];
    int sq = url ? rt_original_sqlite_dir(url, dir, sizeof dir) : -2;
    m->db = sq == 1   ? MIG_DB_SQLITE
            : sq == 0 ? MIG_DB_MEMORY
            : !url    ? MIG_DB_NONE
            : strncmp(url, "postgres://", 11) == 0 || strncmp(url, "postgresql://", 13) == 0
                ? MIG_DB_POSTGRES
                : MIG_DB_OTHER;
    if (m->db == MIG_DB_POSTGRES && mig_has_plugin(m, "storage-postgres") &&
        mig_instance(m, "storage", "storage-postgres",
                     "was server.database.url (PostgreSQL): the job store"))
        m->storage = m->ninstances;
}

/* The value of a key for the report: its text, a short list, or a shape. Secrets are hidden. */
static void label(ratchet_buf *b, const char *key, const rt_node *v)
{
    rt_buf_puts(b, key);
    const char *last = strrchr(key, '.');
    last = last ? last + 1 : key;
    if (strstr(last, "secret") || strstr(last, "password") || strcmp(last, "token") == 0) {
        rt_buf_puts(b, " = (hidden)");
        return;
    }
    if (v->kind == RATCHET_NODE_SCALAR) {
        size_t len = strlen(v->scalar);
        int quote = len && v->scalar[len - 1] == ':'; /* "sqlite::memory:" before ": why" */
        rt_buf_printf(b, quote ? " = \"%.100s\"" : " = %.100s", v->scalar);
    } else if (v->kind == RATCHET_NODE_SEQUENCE) {
        rt_buf_puts(b, " = [");
        for (size_t i = 0; i < v->count && i < 8; i++)
            rt_buf_printf(b, "%s%.40s", i ? ", " : "",
                          v->items[i]->kind == RATCHET_NODE_SCALAR ? v->items[i]->scalar : "...");
        rt_buf_puts(b, v->count > 8 ? ", ...]" : "]");
    }
}

static void walk_map(mig_ctx *m, const rt_node *map, const char *pattern, const char *key);

static void visit(mig_ctx *m, const mig_key *k, const rt_node *v, const char *pattern,
                  const char *key)
{
    ratchet_buf lab = RATCHET_BUF_INIT;
    label(&lab, key, v);
    mig_at at = {key, lab.data ? lab.data : key, v, k};
    int empty = v->kind == RATCHET_NODE_SCALAR && v->plain &&
                (!*v->scalar || strcmp(v->scalar, "~") == 0 || strcmp(v->scalar, "null") == 0);
    if (k->kind == 'L') {
        k->fn(m, &at);
    } else if (empty) {
        mig_report(m, MIG_DROPPED, key, "empty");
    } else if (k->kind == 'C' && v->kind == RATCHET_NODE_MAP) {
        if (k->fn)
            k->fn(m, &at);
        walk_map(m, v, pattern, key);
    } else if (k->kind == 'S' && v->kind == RATCHET_NODE_SEQUENCE) {
        char ipattern[256], ikey[512];
        snprintf(ipattern, sizeof ipattern, "%s[]", pattern);
        const mig_key *ik = mig_find_key(ipattern);
        for (size_t i = 0; ik && i < v->count; i++) {
            snprintf(ikey, sizeof ikey, "%s[%zu]", key, i);
            visit(m, ik, v->items[i], ipattern, ikey);
            m->cur = NULL;
            m->src_kind = -1;
        }
    } else {
        mig_report(m, MIG_DECIDE, at.label, "expected a %s; left out",
                   k->kind == 'S' ? "list" : "mapping");
    }
    rt_buf_free(&lab);
}

static void walk_map(mig_ctx *m, const rt_node *map, const char *pattern, const char *key)
{
    for (size_t i = 0; i < map->count; i++) {
        char cpattern[256], ckey[512];
        if (!pattern && strcmp(map->keys[i], "database") == 0)
            snprintf(cpattern, sizeof cpattern, "server.database"); /* also at the top */
        else
            snprintf(cpattern, sizeof cpattern, "%s%s%s", pattern ? pattern : "",
                     pattern ? "." : "", map->keys[i]);
        snprintf(ckey, sizeof ckey, "%s%s%s", key ? key : "", key ? "." : "", map->keys[i]);
        const mig_key *k = mig_find_key(cpattern);
        if (k)
            visit(m, k, map->items[i], cpattern, ckey);
        else
            mig_report(m, MIG_UNKNOWN, ckey, NULL);
    }
}

void mig_map(mig_ctx *m, const rt_node *root)
{
    m->execution.name = strdup("execution");
    m->engine.name = strdup("engine");
    m->logging.name = strdup("logging");
    m->web.name = strdup("web");
    m->web.plugin = "http";
    m->tasks = rt_node_new_seq("migrate");
    if (!m->execution.name || !m->engine.name || !m->logging.name || !m->web.name || !m->tasks)
        m->oom = 1;
    m->src_kind = -1;
    prescan(m, root);
    if (!m->oom) /* the handlers rely on what prescan made */
        walk_map(m, root, NULL, NULL);
}

/* ---- assembling --------------------------------------------------------------------------- */

static void add_listen(mig_ctx *m, const rt_node *root)
{
    ratchet_buf v = RATCHET_BUF_INIT, c = RATCHET_BUF_INIT;
    if (m->tls_cert && m->tls_key) {
        rt_buf_puts(&v, "[{address: ");
        rt_buf_json_string(&v, m->address);
        rt_buf_printf(&v, ", port: %s, tls_cert: ", m->port);
        rt_buf_json_string(&v, m->tls_cert);
        rt_buf_puts(&v, ", tls_key: ");
        rt_buf_json_string(&v, m->tls_key);
        rt_buf_puts(&v, "}]");
    } else {
        rt_buf_puts(&v, "\"");
        rt_buf_printf(&v, strchr(m->address, ':') ? "[%s]:%s" : "%s:%s", m->address, m->port);
        rt_buf_puts(&v, "\"");
    }
    const rt_node *server = rt_node_get(root, "server");
    if (rt_node_get(server, "bind_address") || rt_node_get(server, "port"))
        rt_buf_puts(&c, "was server.bind_address and server.port");
    else
        rt_buf_puts(&c, "the original's default (server.bind_address 127.0.0.1, port 8080)");
    if (m->tls_cert && m->tls_key)
        rt_buf_puts(&c, ", with server.tls");
    if (m->address && !numeric_address(scalar_at(root, "server", "bind_address", NULL)
                                           ? scalar_at(root, "server", "bind_address", NULL)
                                           : "127.0.0.1"))
        rt_buf_puts(&c, "; a host name is not accepted here, so 127.0.0.1");
    /* The listen line goes first among the listener's options. */
    mig_block tmp = m->web;
    memset(&m->web, 0, sizeof m->web);
    m->web.name = tmp.name;
    m->web.plugin = tmp.plugin;
    tmp.name = NULL;
    mig_set(m, &m->web, "listen", v.data ? v.data : "", c.data);
    if (m->api_key)
        mig_set(m, &m->web, "auth", "api_key",
                "not loopback: clients need an API key (`ratchet keys create`); the original "
                "asked for none");
    for (size_t i = 0; i < tmp.n; i++) {
        mig_set(m, &m->web, tmp.entries[i].key, tmp.entries[i].value, tmp.entries[i].comment);
        free(tmp.entries[i].key);
        free(tmp.entries[i].value);
        free(tmp.entries[i].comment);
    }
    free(tmp.entries);
    free(tmp.comment);
    rt_buf_free(&v);
    rt_buf_free(&c);
}

static void add_front_ends(mig_ctx *m, const rt_node *root)
{
    if (!mig_has_plugin(m, "http") || !mig_has_plugin(m, "api-rest"))
        return;
    add_listen(m, root);
    mig_block *web = mig_instance(m, "web", "http", NULL);
    if (web) { /* the options gathered during the walk */
        free(web->name);
        *web = m->web;
        memset(&m->web, 0, sizeof m->web);
        if (!(web->comment = strdup("The listener (named web, so that the original's "
                                    "RATCHET_HTTP_* variables, which meant fetch, are not read "
                                    "as its options)")))
            m->oom = 1;
    }
    mig_instance(m, "rest", "api-rest", "The REST API at /api/v1, as the original's serve had");
    if (m->mcp_enabled && mig_has_plugin(m, "api-mcp"))
        mig_instance(m, "mcp-api", "api-mcp",
                     rt_node_get(rt_node_get(root, "mcp"), "enabled")
                         ? "was mcp.enabled: MCP at /mcp on the listener above (Streamable "
                           "HTTP), not on a port of its own"
                         : "The original served MCP by default (mcp.enabled: true); here at "
                           "/mcp on the listener above (Streamable HTTP)");
}

void mig_finish(mig_ctx *m, const rt_node *root)
{
    if (m->oom)
        return;
    if (!m->had_targets)
        mig_instance(m, "console", "logger-console",
                     "The original logged to the console by default; here on stderr");
    for (size_t i = 0; i < m->ninstances; i++) {
        mig_block *b = &m->instances[i];
        int has_path = 0;
        for (size_t j = 0; j < b->n; j++)
            has_path |= strcmp(b->entries[j].key, "path") == 0;
        if (strcmp(b->plugin, "logger-file") == 0 && !has_path) {
            char path[64];
            snprintf(path, sizeof path, "ratchet-%s.log", b->name);
            mig_set(m, b, "path", path, "the original's target named no path; chosen here");
            mig_report(m, MIG_DECIDE, "logging.targets",
                       "a file target without a path logs to %s here", path);
        }
    }
    if (rt_node_count(m->tasks)) {
        ratchet_buf v = RATCHET_BUF_INIT;
        rt_buf_puts(&v, "[");
        for (size_t i = 0; i < m->tasks->count; i++) {
            if (i)
                rt_buf_puts(&v, ", ");
            rt_buf_json_string(&v, m->tasks->items[i]->scalar);
        }
        rt_buf_puts(&v, "]");
        mig_set(m, &m->engine, "tasks", v.data ? v.data : "[]",
                "was registry.sources (folders); here loaded and watched by serve");
        rt_buf_free(&v);
    }
    add_front_ends(m, root);
}
