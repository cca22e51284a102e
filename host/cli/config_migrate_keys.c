/* host/cli/config_migrate_keys.c - every key of the original Ratchet's configuration (its
 * ratchet-config domains: server, database, execution, http, cache, logging, output, mcp,
 * registry) and what `ratchet config migrate` makes of it: mapped to a key here, dropped
 * (why), or left for the operator to decide (what). The table is at the end. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config_migrate.h"

/* ---- values ------------------------------------------------------------------------------ */

static const char *scalar(const rt_node *v)
{
    return v && v->kind == RATCHET_NODE_SCALAR ? v->scalar : NULL;
}

static int get_int(const rt_node *v, int64_t lo, int64_t hi, int64_t *out)
{
    rt_error err;
    const char *s = scalar(v);
    return s && rt_parse_int(s, out, &err) == RATCHET_OK && *out >= lo && *out <= hi;
}

static int get_bool(const rt_node *v, int *out)
{
    rt_error err;
    const char *s = scalar(v);
    return s && rt_parse_bool(s, out, &err) == RATCHET_OK;
}

/* A string as YAML text in block context (quoted when it would read otherwise). */
static char *yaml_string(mig_ctx *m, const char *s)
{
    ratchet_buf b = RATCHET_BUF_INIT;
    if (rt_yaml_emit_scalar(&b, s, 0) != RATCHET_OK)
        m->oom = 1;
    return b.data;
}

/* A list of scalars as a flow list of JSON strings (valid YAML in any context). */
static char *yaml_list(mig_ctx *m, const rt_node *seq)
{
    ratchet_buf b = RATCHET_BUF_INIT;
    rt_buf_puts(&b, "[");
    for (size_t i = 0; i < rt_node_count(seq); i++) {
        if (i)
            rt_buf_puts(&b, ", ");
        rt_buf_json_string(&b, scalar(seq->items[i]) ? scalar(seq->items[i]) : "");
    }
    if (rt_buf_puts(&b, "]") != RATCHET_OK)
        m->oom = 1;
    return b.data;
}

static int list_of_scalars(const rt_node *v)
{
    if (!v || v->kind != RATCHET_NODE_SEQUENCE)
        return 0;
    for (size_t i = 0; i < v->count; i++)
        if (v->items[i]->kind != RATCHET_NODE_SCALAR)
            return 0;
    return 1;
}

/* ---- generic rows ------------------------------------------------------------------------- */

static void drop(mig_ctx *m, const mig_at *at)
{
    mig_report(m, MIG_DROPPED, at->label, "%s", at->k->why);
}

static void decide(mig_ctx *m, const mig_at *at)
{
    mig_report(m, MIG_DECIDE, at->label, "%s", at->k->why);
}

/* Dropped when the value is what this Ratchet does anyway (`same`), else to decide. Booleans
 * compare as booleans, numbers as numbers (2 = 2.0), the rest without case. */
static void drop_same(mig_ctx *m, const mig_at *at)
{
    const char *s = scalar(at->v), *want = at->k->same;
    int a, b, same = 0;
    char *end1 = NULL, *end2 = NULL;
    if (s && get_bool(at->v, &a) && rt_parse_bool(want, &b, NULL) == RATCHET_OK) {
        same = a == b;
    } else if (s) {
        double x = strtod(s, &end1), y = strtod(want, &end2);
        same = *s && end1 && !*end1 && end2 && !*end2 ? x == y : strcasecmp(s, want) == 0;
    }
    mig_report(m, same ? MIG_DROPPED : MIG_DECIDE, at->label, "%s%s", at->k->why,
               same ? " (the same value)" : "");
}

static void mapped_to(mig_ctx *m, const mig_at *at, mig_block *b, const char *target,
                      const char *key, const char *value, const char *comment)
{
    mig_set(m, b, key, value, comment);
    mig_report(m, MIG_MAPPED, at->label, "-> %s%s: %s", target, key, value);
}

/* ---- execution ---------------------------------------------------------------------------- */

static void exec_timeout(mig_ctx *m, const mig_at *at)
{
    int64_t n;
    if (!get_int(at->v, 1, 86400, &n)) {
        mig_report(m, MIG_DECIDE, at->label,
                   "expected whole seconds from 1 to 86400; execution.timeout keeps its default "
                   "(300s)");
        return;
    }
    char value[32], comment[160];
    snprintf(value, sizeof value, "%llds", (long long)n);
    snprintf(comment, sizeof comment, "was %s (seconds); it bounds run-once and test too",
             at->label);
    mapped_to(m, at, &m->execution, "execution.", "timeout", value, comment);
}

static void max_concurrent(mig_ctx *m, const mig_at *at)
{
    int64_t n;
    if (!get_int(at->v, 1, 256, &n)) {
        mig_report(m, MIG_DECIDE, at->label,
                   "expected 1 to 256; engine.workers keeps its default (0: one per CPU)");
        return;
    }
    char value[32], comment[200];
    snprintf(value, sizeof value, "%lld", (long long)n);
    snprintf(comment, sizeof comment,
             "was %s; here: worker processes, each running one task at a time", at->label);
    mapped_to(m, at, &m->engine, "engine.", "workers", value, comment);
}

/* ---- logging ------------------------------------------------------------------------------ */

static int is_level(const char *s)
{
    return s && rt_log_level_parse(s) >= 0;
}

/* A level as this Ratchet spells it ("WARNING" -> warn), for a level is_level() accepted. */
static char *level_text(mig_ctx *m, const char *s)
{
    return yaml_string(m, rt_log_level_name((ratchet_log_level)rt_log_level_parse(s)));
}

static void log_level(mig_ctx *m, const mig_at *at)
{
    const char *s = scalar(at->v);
    if (!is_level(s)) {
        mig_report(m, MIG_DECIDE, at->label,
                   "expected one of error, warn, info, debug, trace; logging.level stays info");
        return;
    }
    char *v = level_text(m, s);
    mapped_to(m, at, &m->logging, "logging.", "level", v ? v : "info", NULL);
    free(v);
}

static void log_format(mig_ctx *m, const mig_at *at)
{
    const char *s = scalar(at->v);
    if (s && strcasecmp(s, "json") == 0)
        mig_report(m, MIG_DECIDE, at->label,
                   "the console logger writes text lines; for JSON lines add a logger-file "
                   "instance (one JSON object per line)");
    else
        mig_report(m, MIG_DROPPED, at->label, "the console logger writes text lines");
}

static void target_item(mig_ctx *m, const mig_at *at)
{
    const char *type = scalar(rt_node_get(at->v, "type"));
    char name[32], comment[200];
    m->cur = NULL;
    m->had_targets = 1;
    if (type && strcmp(type, "console") == 0) {
        snprintf(name, sizeof name, m->nconsole ? "console-%d" : "console", m->nconsole + 1);
        m->nconsole++;
        snprintf(comment, sizeof comment,
                 "was %s (type: console); the lines go to stderr here (the original wrote to "
                 "stdout)",
                 at->key);
        m->cur = mig_instance(m, name, "logger-console", comment);
    } else if (type && strcmp(type, "file") == 0) {
        snprintf(name, sizeof name, m->nfile ? "file-%d" : "file", m->nfile + 1);
        m->nfile++;
        snprintf(comment, sizeof comment, "was %s (type: file); JSON lines, rotated by size",
                 at->key);
        m->cur = mig_instance(m, name, "logger-file", comment);
    } else {
        mig_report(m, MIG_DECIDE, at->key,
                   "%s%s: no such logger here; the console logger writes to stderr, which "
                   "journald or syslog can collect",
                   type ? "type " : "no type", type ? type : "");
    }
}

static void target_type(mig_ctx *m, const mig_at *at)
{
    if (m->cur)
        mig_report(m, MIG_MAPPED, at->label, "-> instances[%s].plugin: %s", m->cur->name,
                   m->cur->plugin);
    else
        mig_report(m, MIG_DROPPED, at->label, "the target is not migrated (see above)");
}

/* A target's option: `opt` of the logger instance, the value as given (checked by `check`). */
static void target_option(mig_ctx *m, const mig_at *at, const char *opt, const char *value,
                          const char *comment)
{
    if (!m->cur) {
        mig_report(m, MIG_DROPPED, at->label, "the target is not migrated");
        return;
    }
    char target[80];
    snprintf(target, sizeof target, "instances[%s].options.", m->cur->name);
    if (!value)
        mig_report(m, MIG_DECIDE, at->label, "not a usable value; %s%s keeps its default", target,
                   opt);
    else
        mapped_to(m, at, m->cur, target, opt, value, comment);
}

static void target_level(mig_ctx *m, const mig_at *at)
{
    const char *s = scalar(at->v);
    char *v = is_level(s) ? level_text(m, s) : NULL;
    target_option(m, at, "level", v, NULL);
    free(v);
}

static void target_path(mig_ctx *m, const mig_at *at)
{
    const char *s = scalar(at->v);
    char *v =
        s && *s && m->cur && strcmp(m->cur->plugin, "logger-file") == 0 ? yaml_string(m, s) : NULL;
    target_option(m, at, "path", v, NULL);
    free(v);
}

static void target_max_size(mig_ctx *m, const mig_at *at)
{
    int64_t n;
    char value[32], comment[300];
    int ok = get_int(at->v, 1024, INT64_C(1) << 40, &n) && m->cur &&
             strcmp(m->cur->plugin, "logger-file") == 0;
    if (ok)
        rt_format_size(n, value, sizeof value);
    snprintf(comment, sizeof comment, "was %s", at->label);
    target_option(m, at, "max_size", ok ? value : NULL, comment);
}

static void target_max_files(mig_ctx *m, const mig_at *at)
{
    int64_t n;
    int ok = get_int(at->v, 0, 1000, &n) && m->cur && strcmp(m->cur->plugin, "logger-file") == 0;
    target_option(m, at, "max_files", ok ? scalar(at->v) : NULL, NULL);
}

/* ---- server ------------------------------------------------------------------------------- */

static void listen_key(mig_ctx *m, const mig_at *at)
{
    if (!mig_has_plugin(m, "http")) {
        mig_report(m, MIG_DECIDE, at->label, "this build has no http plugin: no listener");
        return;
    }
    const char *s = scalar(at->v);
    int is_port = strstr(at->key, ".port") != NULL;
    const char *listen = m->server_url + strlen("http://"); /* ADDR:PORT, [V6]:PORT */
    if (!s || (is_port ? strtol(s, NULL, 10) != strtol(m->port, NULL, 10) : strcmp(s, m->address)))
        mig_report(m, MIG_DECIDE, at->label, "expected %s; -> instances[web].options.listen: %s",
                   is_port ? "a port number 0..65535" : "a numeric address or localhost", listen);
    else if (m->api_key && !is_port)
        mig_report(m, MIG_DECIDE, at->label,
                   "-> instances[web].options.listen: %s with auth: api_key; on an address "
                   "other than loopback every client needs an API key here (`ratchet keys "
                   "create`), where the original asked for none",
                   listen);
    else
        mig_report(m, MIG_MAPPED, at->label, "-> instances[web].options.listen: %s", listen);
}

static void tls_file(mig_ctx *m, const mig_at *at)
{
    if (!m->tls_cert || !m->tls_key) {
        mig_report(m, MIG_DECIDE, at->label,
                   "TLS needs both cert_file and key_file; the listener is plain HTTP");
        return;
    }
    mig_report(m, MIG_MAPPED, at->label, "-> instances[web].options.listen[0].%s",
               strstr(at->k->path, "cert_file") ? "tls_cert" : "tls_key");
}

static void database_url(mig_ctx *m, const mig_at *at)
{
    const char *url = scalar(at->v);
    switch (m->db) {
    case MIG_DB_SQLITE: {
        char dir[1024], comment[1200];
        rt_original_sqlite_dir(url, dir, sizeof dir);
        char *v = yaml_string(m, dir);
        snprintf(comment, sizeof comment,
                 "was %s; the job store is ratchet.db in this folder (the original's database "
                 "is not read)",
                 at->label);
        mapped_to(m, at, &m->engine, "engine.", "data_dir", v ? v : ".", comment);
        free(v);
        return;
    }
    case MIG_DB_MEMORY:
        mig_report(m, MIG_DROPPED, at->label,
                   "the job store is a file here (engine.data_dir, default ratchet-data) and "
                   "outlives a restart; the original's in-memory one did not");
        return;
    case MIG_DB_POSTGRES:
        if (m->storage) {
            mig_block *b = &m->instances[m->storage - 1];
            char *v = yaml_string(m, url);
            mapped_to(m, at, b, "instances[storage].options.", "url", v ? v : "\"\"",
                      "the tables are this Ratchet's own (schema ratchet); the original's are "
                      "not read");
            free(v);
        } else {
            mig_report(m, MIG_DECIDE, at->label,
                       "this build has no storage-postgres plugin: the job store is SQLite in "
                       "engine.data_dir");
        }
        return;
    default:
        mig_report(m, MIG_DECIDE, at->label,
                   "no storage here for that database: SQLite in engine.data_dir%s",
                   mig_has_plugin(m, "storage-postgres") ? " or PostgreSQL (storage-postgres)"
                                                         : "");
        return;
    }
}

/* max_connections / connection_timeout: options of storage-postgres, else dropped. */
static void database_pool(mig_ctx *m, const mig_at *at)
{
    int timeout = strstr(at->k->path, "connection_timeout") != NULL;
    int64_t n;
    if (!m->storage || !get_int(at->v, 1, timeout ? 600 : 64, &n)) {
        mig_report(m, MIG_DROPPED, at->label,
                   "the storage plugin keeps its own pool of connections");
        return;
    }
    char value[32];
    snprintf(value, sizeof value, timeout ? "%llds" : "%lld", (long long)n);
    mapped_to(m, at, &m->instances[m->storage - 1], "instances[storage].options.",
              timeout ? "connect_timeout" : "pool_size", value, NULL);
}

static void cors_origins(mig_ctx *m, const mig_at *at)
{
    if (!list_of_scalars(at->v) || !at->v->count) {
        mig_report(m, MIG_DROPPED, at->label, "no origins: no CORS headers (the default here)");
        return;
    }
    char *v = yaml_list(m, at->v);
    mapped_to(m, at, &m->web, "instances[web].options.", "cors_origins", v ? v : "[]", NULL);
    free(v);
}

static void rate_enabled(mig_ctx *m, const mig_at *at)
{
    if (m->rate_enabled)
        mig_report(m, MIG_MAPPED, at->label,
                   "-> instances[web].options.rate_limit and rate_burst (per client address)");
    else
        mig_report(m, MIG_DROPPED, at->label, "rate limiting is off (the default here)");
}

static void rate_rpm(mig_ctx *m, const mig_at *at)
{
    int64_t n;
    if (!m->rate_enabled) {
        mig_report(m, MIG_DROPPED, at->label, "rate limiting is off");
        return;
    }
    if (!get_int(at->v, 1, INT64_C(1000000000), &n)) {
        mig_report(m, MIG_DECIDE, at->label, "expected a number of requests per minute");
        return;
    }
    char value[32], comment[160];
    snprintf(value, sizeof value, "%.6g", (double)n / 60.0);
    snprintf(comment, sizeof comment, "was %s (per minute); here per second and per client address",
             at->label);
    mapped_to(m, at, &m->web, "instances[web].options.", "rate_limit", value, comment);
}

static void rate_burst(mig_ctx *m, const mig_at *at)
{
    int64_t n;
    if (!m->rate_enabled) {
        mig_report(m, MIG_DROPPED, at->label, "rate limiting is off");
        return;
    }
    if (!get_int(at->v, 1, 1000000, &n)) {
        mig_report(m, MIG_DECIDE, at->label, "expected 1 to 1000000");
        return;
    }
    mapped_to(m, at, &m->web, "instances[web].options.", "rate_burst", scalar(at->v), NULL);
}

/* ---- output, http ------------------------------------------------------------------------- */

static void global_destinations(mig_ctx *m, const mig_at *at)
{
    if (rt_node_count(at->v) == 0)
        mig_report(m, MIG_DROPPED, at->label, "none given");
    else
        mig_report(m, MIG_DECIDE, at->label,
                   "no global destinations here: give them to each job or schedule (`jobs "
                   "submit --outputs`, `outputDestinations` in the REST API)");
}

/* allow_localhost_webhooks / allow_private_network_webhooks: this Ratchet allows them. */
static void webhook_allow(mig_ctx *m, const mig_at *at)
{
    int b = 0;
    if (get_bool(at->v, &b) && b)
        mig_report(m, MIG_DROPPED, at->label, "webhooks may go to any address here");
    else
        mig_report(m, MIG_DECIDE, at->label,
                   "webhooks may go to any address here, loopback and private networks "
                   "included; restrict outgoing traffic outside Ratchet if it matters");
}

static void webhook_domains(mig_ctx *m, const mig_at *at)
{
    if (rt_node_count(at->v) == 0)
        mig_report(m, MIG_DROPPED, at->label, "no allow-list: any domain, as here");
    else
        mig_report(m, MIG_DECIDE, at->label,
                   "no allow-list of webhook domains here; restrict outgoing traffic outside "
                   "Ratchet if it matters");
}

static void proxy_env(mig_ctx *m, const mig_at *at)
{
    const char *name = strrchr(at->key, '.') + 1;
    mig_report(m, MIG_DECIDE, at->label,
               "set %s in the environment of `ratchet serve`: fetch (libcurl) reads it", name);
}

/* ---- mcp ---------------------------------------------------------------------------------- */

static void mcp_enabled(mig_ctx *m, const mig_at *at)
{
    if (!m->mcp_enabled)
        mig_report(m, MIG_DROPPED, at->label, "no MCP front end (no api-mcp instance)");
    else if (!mig_has_plugin(m, "api-mcp") || !mig_has_plugin(m, "http"))
        mig_report(m, MIG_DECIDE, at->label, "this build has no api-mcp plugin: no MCP front end");
    else
        mig_report(m, MIG_MAPPED, at->label,
                   "-> instances[mcp-api] (api-mcp: Streamable HTTP at %s/mcp)", m->server_url);
}

static void mcp_transport(mig_ctx *m, const mig_at *at)
{
    const char *s = scalar(at->v);
    if (s && strcmp(s, "sse") == 0 && m->mcp_enabled)
        mig_report(m, MIG_DECIDE, at->label,
                   "MCP here is Streamable HTTP at /mcp (and stdio with `ratchet mcp-serve`); "
                   "clients of the old SSE transport must switch");
    else
        mig_report(m, MIG_DROPPED, at->label,
                   "MCP here is Streamable HTTP at /mcp (and stdio with `ratchet mcp-serve`)");
}

/* mcp.host / mcp.port: MCP shares the REST listener. */
static void mcp_place(mig_ctx *m, const mig_at *at)
{
    int is_port = strcmp(strrchr(at->key, '.') + 1, "port") == 0;
    const char *s = scalar(at->v);
    const char *ours = is_port ? m->port : m->address;
    int same = s && ours && strcmp(s, ours) == 0;
    mig_report(m, !m->mcp_enabled || same ? MIG_DROPPED : MIG_DECIDE, at->label,
               "MCP is served at %s/mcp, on the same listener as the REST API%s", m->server_url,
               !m->mcp_enabled || same ? "" : "; point MCP clients there");
}

/* ---- registry ----------------------------------------------------------------------------- */

/* What a source is: 0 a folder, 1 http, 2 git, -1 disabled or unusable. */
static int source_kind(const rt_node *src)
{
    int enabled = 1;
    const rt_node *en = rt_node_get(src, "enabled");
    if (en && get_bool(en, &enabled) && !enabled)
        return -1;
    const char *uri = scalar(rt_node_get(src, "uri"));
    const char *type = scalar(rt_node_get(src, "source_type"));
    if (!uri || !*uri)
        return -1;
    size_t len = strlen(uri);
    if ((type && strcmp(type, "git") == 0) || (len > 4 && strcmp(uri + len - 4, ".git") == 0) ||
        strstr(uri, "github.com") || strstr(uri, "gitlab.com") || strstr(uri, "bitbucket.org"))
        return 2;
    if ((type && strcmp(type, "http") == 0) || strncmp(uri, "http://", 7) == 0 ||
        strncmp(uri, "https://", 8) == 0)
        return 1;
    return 0;
}

static void source_item(mig_ctx *m, const mig_at *at)
{
    m->src_kind = source_kind(at->v);
}

static void source_uri(mig_ctx *m, const mig_at *at)
{
    const char *uri = scalar(at->v);
    switch (m->src_kind) {
    case 0: {
        const char *path = strncmp(uri, "file://", 7) == 0 ? uri + 7 : uri;
        rt_node *p = rt_node_new_scalar(path, "migrate");
        if (p)
            p->plain = 0;
        if (!p || rt_node_seq_push(m->tasks, p) != RATCHET_OK)
            m->oom = 1;
        mig_report(m, MIG_MAPPED, at->label, "-> engine.tasks: %s", path);
        return;
    }
    case 1:
        mig_report(m, MIG_DECIDE, at->label,
                   "the original's HTTP loader was a stub; here an http source reads an "
                   "index.json of task zips (registry.sources, see the README): add one if the "
                   "server offers it");
        return;
    case 2:
        mig_report(m, MIG_DECIDE, at->label,
                   "no git sources here: clone the repository and add its tasks folder to "
                   "engine.tasks");
        return;
    default:
        mig_report(m, MIG_DROPPED, at->label, "the source is disabled or has no uri");
    }
}

static void source_other(mig_ctx *m, const mig_at *at)
{
    mig_report(m, MIG_DROPPED, at->label, "%s",
               m->src_kind == 0 ? at->k->why : "belongs to a source that is not migrated");
}

static void source_watch(mig_ctx *m, const mig_at *at)
{
    int b = 1;
    if (m->src_kind != 0 || !get_bool(at->v, &b)) {
        mig_report(m, MIG_DROPPED, at->label, "belongs to a source that is not migrated");
    } else if (b) {
        mig_report(m, MIG_MAPPED, at->label, "-> engine.watch: true (the default)");
    } else {
        char comment[200];
        snprintf(comment, sizeof comment, "was %s; here it applies to every task source",
                 at->label);
        mapped_to(m, at, &m->engine, "engine.", "watch", "false", comment);
    }
}

/* ---- the table ---------------------------------------------------------------------------- */

/* clang-format off */
#define C(path, fn)           {path, 'C', fn, NULL, NULL}
#define S(path)               {path, 'S', NULL, NULL, NULL}
#define L(path, fn, why)      {path, 'L', fn, NULL, why}
#define SAME(path, same, why) {path, 'L', drop_same, same, why}
/* clang-format on */

#define NO_CACHE    "no cache settings here: compiled task versions are kept by checksum"
#define FETCH_30S   "fetch's timeout is fixed at 30 s here; execution.timeout bounds the whole task"
#define SQLITE_POOL "the storage plugin keeps its own pool of connections"

static const mig_key keys[] = {
    C("server", NULL),
    L("server.bind_address", listen_key, NULL),
    L("server.port", listen_key, NULL),
    C("server.database", NULL),
    L("server.database.url", database_url, NULL),
    L("server.database.max_connections", database_pool, NULL),
    L("server.database.min_connections", drop, SQLITE_POOL),
    L("server.database.connection_timeout", database_pool, NULL),
    L("server.database.idle_timeout", drop, SQLITE_POOL),
    L("server.database.max_lifetime", drop, SQLITE_POOL),
    C("server.database.database_specific", NULL),
    C("server.database.database_specific.sqlite", NULL),
    SAME("server.database.database_specific.sqlite.journal_mode", "WAL",
         "storage-sqlite always uses WAL"),
    SAME("server.database.database_specific.sqlite.synchronous", "NORMAL",
         "storage-sqlite uses synchronous=normal (its `synchronous` option, on a storage-sqlite "
         "instance, changes it)"),
    L("server.database.database_specific.sqlite.cache_size_kb", drop,
      "storage-sqlite sizes its own page cache"),
    SAME("server.database.database_specific.sqlite.busy_timeout_ms", "5000",
         "storage-sqlite waits up to 5 s for a lock (its `busy_timeout` option)"),
    L("server.database.database_specific.postgres", drop,
      "settings of another database kind; not used"),
    L("server.database.database_specific.mysql", drop,
      "settings of another database kind; not used"),
    L("server.database.migrations", drop, "the store's schema is migrated at every start"),
    C("server.cors", NULL),
    L("server.cors.allowed_origins", cors_origins, NULL),
    L("server.cors.allowed_methods", drop,
      "fixed by the http plugin (it answers preflights itself)"),
    L("server.cors.allowed_headers", drop,
      "fixed by the http plugin (it answers preflights itself)"),
    L("server.cors.allow_credentials", drop, "fixed by the http plugin"),
    L("server.cors.max_age", drop, "fixed by the http plugin (600 s)"),
    C("server.rate_limit", NULL),
    L("server.rate_limit.enabled", rate_enabled, NULL),
    L("server.rate_limit.requests_per_minute", rate_rpm, NULL),
    L("server.rate_limit.burst_size", rate_burst, NULL),
    L("server.rate_limit.time_window", drop,
      "the limit here is a token bucket per client address (rate_limit per second, rate_burst)"),
    C("server.auth", NULL),
    L("server.auth.jwt_secret", decide,
      "no JWT here: API clients send API keys (`ratchet keys create`; auth: api_key on the "
      "listener)"),
    L("server.auth.token_expiration", drop, "a JWT setting (no JWT here)"),
    L("server.auth.issuer", drop, "a JWT setting (no JWT here)"),
    L("server.auth.audience", drop, "a JWT setting (no JWT here)"),
    C("server.tls", NULL),
    L("server.tls.cert_file", tls_file, NULL),
    L("server.tls.key_file", tls_file, NULL),
    L("server.tls.min_version", drop, "the TLS library's defaults apply"),
    L("server.tls.chain_file", decide, "append the chain to the certificate file (tls_cert)"),

    C("execution", NULL),
    L("execution.max_execution_duration", exec_timeout, NULL),
    SAME("execution.validate_schemas", "true",
         "input and output are always checked against the task's schemas"),
    L("execution.max_concurrent_tasks", max_concurrent, NULL),
    L("execution.timeout_grace_period", drop,
      "a task past execution.timeout has its worker killed at once here"),
    L("execution.fetch_variables", drop,
      "names internal to the original's two-pass fetch; fetch is a plain call here"),

    C("http", NULL),
    SAME("http.timeout", "30", FETCH_30S),
    SAME("http.max_redirects", "10", "fetch follows at most 10 redirects here (fixed)"),
    SAME("http.user_agent", "Ratchet/1.0",
         "fetch sends User-Agent: Ratchet/1.0 unless the task sets the header"),
    SAME("http.verify_ssl", "true", "fetch always verifies TLS certificates"),
    L("http.connection_pool", drop, "libcurl manages fetch's connections"),
    C("http.proxy", NULL),
    L("http.proxy.http_proxy", proxy_env, NULL),
    L("http.proxy.https_proxy", proxy_env, NULL),
    L("http.proxy.no_proxy", proxy_env, NULL),

    C("cache", NULL),
    L("cache.enabled", drop, NO_CACHE),
    L("cache.task_cache", drop, NO_CACHE),
    L("cache.http_cache", drop, NO_CACHE),
    L("cache.result_cache", drop, NO_CACHE),

    C("logging", NULL),
    L("logging.level", log_level, NULL),
    L("logging.format", log_format, NULL),
    L("logging.include_location", drop, "log lines do not name source locations"),
    L("logging.structured", drop, "the console logger writes text; logger-file writes JSON lines"),
    S("logging.targets"),
    C("logging.targets[]", target_item),
    L("logging.targets[].type", target_type, NULL),
    L("logging.targets[].level", target_level, NULL),
    L("logging.targets[].path", target_path, NULL),
    L("logging.targets[].max_size_bytes", target_max_size, NULL),
    L("logging.targets[].max_files", target_max_files, NULL),
    L("logging.targets[].facility", drop, "a syslog setting (no syslog logger here)"),
    L("logging.targets[].ident", drop, "a syslog setting (no syslog logger here)"),

    C("output", NULL),
    L("output.max_concurrent_deliveries", drop, "there is no such limit here"),
    SAME("output.default_timeout", "30",
         "webhooks time out after 30 s unless a destination sets its own timeout"),
    L("output.validate_on_startup", drop,
      "destinations are checked when a job or schedule is "
      "submitted"),
    L("output.global_destinations", global_destinations, NULL),
    C("output.default_retry_policy", NULL),
    SAME("output.default_retry_policy.max_attempts", "3",
         "webhooks are tried 3 times unless a destination sets max_attempts"),
    L("output.default_retry_policy.initial_delay_ms", drop,
      "fixed here: the first retry after 1 s"),
    L("output.default_retry_policy.max_delay_ms", drop, "fixed here: at most 60 s between tries"),
    L("output.default_retry_policy.backoff_multiplier", drop,
      "fixed here: the delay doubles, with up to 10% jitter"),
    L("output.formatting", drop,
      "webhook bodies are the task's output JSON; files take each destination's format"),
    C("output.security", NULL),
    L("output.security.allow_localhost_webhooks", webhook_allow, NULL),
    L("output.security.allow_private_network_webhooks", webhook_allow, NULL),
    L("output.security.allowed_webhook_domains", webhook_domains, NULL),

    C("mcp", NULL),
    L("mcp.enabled", mcp_enabled, NULL),
    L("mcp.transport", mcp_transport, NULL),
    L("mcp.host", mcp_place, NULL),
    L("mcp.port", mcp_place, NULL),

    C("registry", NULL),
    L("registry.default_polling_interval", drop,
      "task folders are watched for changes (engine.watch), not polled"),
    L("registry.cache", drop, "no registry cache here"),
    L("registry.auth", drop, "credentials of http and git sources, which are not migrated"),
    S("registry.sources"),
    C("registry.sources[]", source_item),
    L("registry.sources[].name", source_other, "task sources have no names here"),
    L("registry.sources[].uri", source_uri, NULL),
    L("registry.sources[].source_type", source_other, "the folder goes to engine.tasks (see uri)"),
    L("registry.sources[].polling_interval", source_other,
      "task folders are watched for changes (engine.watch), not polled"),
    L("registry.sources[].enabled", source_other, "every folder in engine.tasks is loaded"),
    L("registry.sources[].auth_name", source_other, "no credentials for a folder"),
    C("registry.sources[].config", NULL),
    C("registry.sources[].config.filesystem", NULL),
    L("registry.sources[].config.filesystem.watch_changes", source_watch, NULL),
    L("registry.sources[].config.filesystem.include_patterns", source_other,
      "every folder with a metadata.json under the path is a task"),
    L("registry.sources[].config.filesystem.exclude_patterns", source_other,
      "every folder with a metadata.json under the path is a task"),
    L("registry.sources[].config.filesystem.follow_symlinks", source_other,
      "not configurable here"),
    L("registry.sources[].config.http", source_other, "settings of an http source"),
    L("registry.sources[].config.git", source_other, "settings of a git source"),
};

const mig_key *mig_find_key(const char *path)
{
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
        if (strcmp(keys[i].path, path) == 0)
            return &keys[i];
    return NULL;
}
