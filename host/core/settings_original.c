/* host/core/settings_original.c - recognise the original Ratchet's configuration files and read
 * its environment variables (see settings_original.h). */
#include "settings_original.h"

#include "settings.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Sections only the original has, and keys only the original has inside the sections both
 * have (the original's ratchet-config domains). */
static const char *const original_sections[] = {"server",   "http",   "database", "mcp",
                                                "registry", "output", "cache",    NULL};
static const char *const original_execution_keys[] = {
    "max_execution_duration", "validate_schemas", "max_concurrent_tasks",
    "timeout_grace_period",   "fetch_variables",  NULL};
static const char *const original_logging_keys[] = {"format", "targets", "include_location",
                                                    "structured", NULL};
static const char *const original_registry_keys[] = {"cache", "auth", NULL};
static const char *const our_sections[] = {"engine", "plugins", "instances", NULL};

/* A section of this Ratchet by that name (the original's `registry` may be one too). */
static int our_section(const char *name)
{
    for (size_t i = 0; rt_core_sections[i].name; i++)
        if (strcmp(rt_core_sections[i].name, name) == 0)
            return 1;
    return 0;
}

static int in_list(const char *const *list, const char *s)
{
    for (size_t i = 0; list[i]; i++)
        if (strcmp(list[i], s) == 0)
            return 1;
    return 0;
}

/* Append ", prefix.key" to the list in `found`; past four names, one ", ..." instead. */
static void add_found(char *found, size_t len, const char *prefix, const char *key)
{
    size_t used = strlen(found), names = used ? 1 : 0;
    for (const char *p = found; (p = strstr(p, ", ")) != NULL; p += 2)
        names++;
    if (used + 1 >= len || strstr(found, "..."))
        return;
    snprintf(found + used, len - used, "%s%s%s", used ? ", " : "", names >= 4 ? "" : prefix,
             names >= 4 ? "..." : key);
}

static size_t nested_markers(const rt_node *sec, const char *const *keys, const char *prefix,
                             char *found, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; sec && sec->kind == RATCHET_NODE_MAP && i < sec->count; i++)
        if (in_list(keys, sec->keys[i])) {
            add_found(found, len, prefix, sec->keys[i]);
            n++;
        }
    return n;
}

size_t rt_original_config_markers(const rt_node *root, char *found, size_t len, const char **ours)
{
    size_t n = 0;
    if (len)
        found[0] = '\0';
    if (ours)
        *ours = NULL;
    if (!root || root->kind != RATCHET_NODE_MAP)
        return 0;
    for (size_t i = 0; i < root->count; i++) {
        if (in_list(original_sections, root->keys[i]) && !our_section(root->keys[i])) {
            add_found(found, len, "", root->keys[i]);
            n++;
        } else if (ours && !*ours && in_list(our_sections, root->keys[i])) {
            *ours = root->keys[i];
        }
    }
    n += nested_markers(rt_node_get(root, "execution"), original_execution_keys, "execution.",
                        found, len);
    n +=
        nested_markers(rt_node_get(root, "logging"), original_logging_keys, "logging.", found, len);
    if (our_section("registry"))
        n += nested_markers(rt_node_get(root, "registry"), original_registry_keys, "registry.",
                            found, len);
    return n;
}

ratchet_status rt_original_config_check(const rt_node *root, const char *path, rt_error *err)
{
    char found[256];
    const char *ours = NULL;
    if (rt_original_config_markers(root, found, sizeof found, &ours) == 0 || ours)
        return RATCHET_OK; /* ours, or a mix: the ordinary checks say what is wrong */
    return rt_fail(err,
                   "%s: this is a configuration of the original Ratchet (it has %s), which this "
                   "Ratchet does not read as it is; convert it with\n"
                   "  ratchet config migrate %s -o ratchet.yaml\n"
                   "and start with --config ratchet.yaml (the migrate report lists what changed)",
                   path, found, path);
}

/* ---- environment variables ----------------------------------------------------------------- */

typedef enum {
    OENV_SECTION, /* honoured: the override of section.key (`ours` is that variable) */
    OENV_ADDRESS, /* honoured: serve's listener address */
    OENV_PORT,    /* honoured: serve's listener port */
    OENV_DATABASE,
    OENV_REPORT /* not read: `why` says what to use instead */
} oenv_kind;

typedef struct oenv {
    const char *name;
    oenv_kind kind;
    const char *section, *key, *ours; /* OENV_SECTION */
    const char *why;
} oenv;

/* The original's variables (ratchet-config's loader, and the three its docs name). */
static const oenv original_env[] = {
    {"RATCHET_LOG_LEVEL", OENV_SECTION, "logging", "level", "RATCHET_LOGGING_LEVEL", NULL},
    {"RATCHET_MAX_EXECUTION_SECONDS", OENV_SECTION, "execution", "timeout",
     "RATCHET_EXECUTION_TIMEOUT", NULL},
    {"RATCHET_MAX_EXECUTION_DURATION", OENV_SECTION, "execution", "timeout",
     "RATCHET_EXECUTION_TIMEOUT", NULL},
    {"RATCHET_SERVER_BIND_ADDRESS", OENV_ADDRESS, NULL, NULL, NULL, NULL},
    {"RATCHET_BIND_ADDRESS", OENV_ADDRESS, NULL, NULL, NULL, NULL},
    {"RATCHET_SERVER_PORT", OENV_PORT, NULL, NULL, NULL, NULL},
    {"RATCHET_DATABASE_URL", OENV_DATABASE, "engine", "data_dir", "RATCHET_ENGINE_DATA_DIR", NULL},
    {"RATCHET_LOG_FORMAT", OENV_REPORT, NULL, NULL, NULL,
     "the console logger writes text lines; for JSON lines configure a logger-file instance"},
    {"RATCHET_VALIDATE_SCHEMAS", OENV_REPORT, NULL, NULL, NULL,
     "input and output are always checked against the task's schemas"},
    {"RATCHET_HTTP_TIMEOUT", OENV_REPORT, NULL, NULL, NULL,
     "fetch's timeout is fixed at 30 s; RATCHET_EXECUTION_TIMEOUT bounds the whole task"},
    {"RATCHET_HTTP_USER_AGENT", OENV_REPORT, NULL, NULL, NULL,
     "fetch sends User-Agent: Ratchet/1.0 unless the task sets the header"},
    {"RATCHET_HTTP_VERIFY_SSL", OENV_REPORT, NULL, NULL, NULL,
     "fetch always verifies TLS certificates"},
    {"RATCHET_CACHE_SIZE", OENV_REPORT, NULL, NULL, NULL,
     "there are no cache settings (compiled task versions are kept by checksum)"},
    {"RATCHET_CACHE_ENABLED", OENV_REPORT, NULL, NULL, NULL,
     "there are no cache settings (compiled task versions are kept by checksum)"},
    {"RATCHET_OUTPUT_MAX_CONCURRENT_DELIVERIES", OENV_REPORT, NULL, NULL, NULL,
     "there is no such setting"},
    {"RATCHET_OUTPUT_DEFAULT_TIMEOUT", OENV_REPORT, NULL, NULL, NULL,
     "each webhook destination has its own timeout (default 30 s)"},
    {"RATCHET_MCP_ENABLED", OENV_REPORT, NULL, NULL, NULL,
     "MCP is an api-mcp instance in the configuration (`ratchet config migrate` adds one)"},
    {"RATCHET_MCP_TRANSPORT", OENV_REPORT, NULL, NULL, NULL,
     "MCP is Streamable HTTP at /mcp on the http listener, or stdio with `ratchet mcp-serve`"},
    {"RATCHET_MCP_HOST", OENV_REPORT, NULL, NULL, NULL,
     "MCP is served at /mcp on the http listener (RATCHET_SERVER_BIND_ADDRESS, --listen)"},
    {"RATCHET_MCP_PORT", OENV_REPORT, NULL, NULL, NULL,
     "MCP is served at /mcp on the http listener (RATCHET_SERVER_PORT, --listen)"},
};

static const oenv *find_oenv(const char *var, size_t namelen)
{
    for (size_t i = 0; i < sizeof original_env / sizeof *original_env; i++)
        if (strlen(original_env[i].name) == namelen &&
            strncmp(original_env[i].name, var, namelen) == 0)
            return &original_env[i];
    return NULL;
}

static ratchet_status note(rt_original_env *oe, rt_error *err, const char *fmt, ...)
    RATCHET_PRINTF(3, 4);

static ratchet_status note(rt_original_env *oe, rt_error *err, const char *fmt, ...)
{
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    char **grown = realloc(oe->notes, (oe->nnotes + 1) * sizeof *grown);
    if (!grown || !(grown[oe->nnotes] = strdup(line))) {
        if (grown)
            oe->notes = grown;
        return rt_fail(err, "out of memory");
    }
    oe->notes = grown;
    oe->nnotes++;
    return RATCHET_OK;
}

/* The value of `name` in envp, or NULL. */
static const char *env_value(char *const *envp, const char *name)
{
    size_t len = strlen(name);
    for (char *const *e = envp; e && *e; e++)
        if (strncmp(*e, name, len) == 0 && (*e)[len] == '=')
            return *e + len + 1;
    return NULL;
}

static int env_has(char *const *envp, const char *name)
{
    return env_value(envp, name) != NULL;
}

/* section.key = value in `root`, attributed to the variable. */
static ratchet_status set_key(rt_node *root, const char *section, const char *key,
                              const char *value, const char *where, rt_error *err)
{
    rt_node *sec = (rt_node *)rt_node_get(root, section);
    if (sec && sec->kind != RATCHET_NODE_MAP) {
        if (sec->kind != RATCHET_NODE_SCALAR || !sec->plain || *sec->scalar)
            return rt_fail(err, "%s: cannot override inside '%s', which is not a mapping", where,
                           section);
        sec = NULL; /* `section:` with no value */
    }
    if (!sec) {
        sec = rt_node_new_map(where);
        if (!sec || rt_node_map_set(root, section, sec) != RATCHET_OK)
            return rt_fail(err, "out of memory");
    }
    rt_node *v = rt_node_new_scalar(value, where);
    if (!v || rt_node_map_set(sec, key, v) != RATCHET_OK)
        return rt_fail(err, "out of memory");
    return RATCHET_OK;
}

static ratchet_status apply_database(rt_original_env *oe, rt_node *root, const oenv *o,
                                     const char *value, char *const *envp, const char *where,
                                     rt_error *err)
{
    char dir[1024];
    int kind = rt_original_sqlite_dir(value, dir, sizeof dir);
    if (rt_original_postgres_url(value)) {
        /* main.c takes it as the storage URL; RATCHET_STORAGE_URL wins */
        const char *storage_url = env_value(envp, "RATCHET_STORAGE_URL");
        if (storage_url && *storage_url)
            return note(oe, err,
                        "%s is the original Ratchet's; not read because RATCHET_STORAGE_URL is "
                        "set",
                        o->name);
        return note(oe, err,
                    "%s is the original Ratchet's; read as the storage URL (like "
                    "RATCHET_STORAGE_URL: storage-postgres on that database)",
                    o->name);
    }
    if (kind != 1)
        return note(oe, err,
                    "%s is the original Ratchet's and is not read: %s; the job store is SQLite "
                    "in engine.data_dir (%s or --data-dir)",
                    o->name,
                    kind == 0 ? "an in-memory database has no equivalent"
                              : "only a sqlite: or postgres(ql):// URL has an equivalent",
                    o->ours);
    if (env_has(envp, o->ours))
        return note(oe, err, "%s is the original Ratchet's; not read because %s is set", o->name,
                    o->ours);
    if (set_key(root, o->section, o->key, dir, where, err) != RATCHET_OK)
        return RATCHET_ERR;
    return note(oe, err,
                "%s is the original Ratchet's; read as %s=%s (the job store is ratchet.db in "
                "that folder; the original's database is not read)",
                o->name, o->ours, dir);
}

ratchet_status rt_original_env_apply(rt_original_env *oe, rt_node *root, const char *var,
                                     char *const *envp, rt_error *err)
{
    const char *eq = strchr(var, '=');
    if (!eq)
        return RATCHET_NOTFOUND;
    const oenv *o = find_oenv(var, (size_t)(eq - var));
    if (!o)
        return RATCHET_NOTFOUND;
    const char *value = eq + 1;
    char where[128];
    snprintf(where, sizeof where, "environment variable %s", o->name);
    switch (o->kind) {
    case OENV_SECTION:
        if (env_has(envp, o->ours))
            return note(oe, err, "%s is the original Ratchet's; not read because %s is set",
                        o->name, o->ours);
        if (set_key(root, o->section, o->key, value, where, err) != RATCHET_OK)
            return RATCHET_ERR;
        return note(oe, err, "%s is the original Ratchet's; read as %s (%s.%s)", o->name, o->ours,
                    o->section, o->key);
    case OENV_ADDRESS:
    case OENV_PORT: {
        char **slot = o->kind == OENV_ADDRESS ? &oe->address : &oe->port;
        if (*slot && strcmp(o->name, "RATCHET_BIND_ADDRESS") == 0)
            return RATCHET_OK; /* RATCHET_SERVER_BIND_ADDRESS wins */
        free(*slot);
        if (!(*slot = strdup(value)))
            return rt_fail(err, "out of memory");
        if (o->kind == OENV_ADDRESS)
            oe->address_var = o->name;
        return RATCHET_OK;
    }
    case OENV_DATABASE:
        return apply_database(oe, root, o, value, envp, where, err);
    case OENV_REPORT:
        break;
    }
    return note(oe, err, "%s is the original Ratchet's and is not read: %s", o->name, o->why);
}

void rt_original_env_matched(rt_original_env *oe, const char *var)
{
    const char *eq = strchr(var, '=');
    const oenv *o = eq ? find_oenv(var, (size_t)(eq - var)) : NULL;
    if (o)
        note(oe, NULL,
             "%.*s was read as this Ratchet's RATCHET_<SECTION|INSTANCE>_<KEY> override (an "
             "instance or section by that name exists), not with the original Ratchet's meaning",
             (int)(eq - var), var);
}

ratchet_status rt_original_env_finish(rt_original_env *oe, rt_error *err)
{
    if (!oe->address && !oe->port)
        return RATCHET_OK;
    const char *addr = oe->address && *oe->address ? oe->address : "127.0.0.1";
    const char *port = oe->port ? oe->port : "8080";
    char *end = NULL;
    long p = strtol(port, &end, 10);
    if (!*port || !end || *end || p < 0 || p > 65535)
        return rt_fail(err,
                       "environment variable RATCHET_SERVER_PORT: expected a port number "
                       "0..65535, got '%.40s'",
                       port);
    int v6 = strchr(addr, ':') != NULL && addr[0] != '[';
    size_t len = strlen(addr) + 16;
    if (!(oe->listen = malloc(len)))
        return rt_fail(err, "out of memory");
    snprintf(oe->listen, len, v6 ? "[%s]:%ld" : "%s:%ld", addr, p);
    char vars[96];
    snprintf(vars, sizeof vars, "%s%s%s", oe->address ? oe->address_var : "",
             oe->address && oe->port ? " and " : "", oe->port ? "RATCHET_SERVER_PORT" : "");
    return note(oe, err,
                "%s %s the original Ratchet's; serve listens on %s (here: --listen ADDR:PORT, "
                "or the listen option of the http instance)",
                vars, oe->address && oe->port ? "are" : "is", oe->listen);
}

void rt_original_env_free(rt_original_env *oe)
{
    for (size_t i = 0; i < oe->nnotes; i++)
        free(oe->notes[i]);
    free(oe->notes);
    free(oe->listen);
    free(oe->address);
    free(oe->port);
    memset(oe, 0, sizeof *oe);
}

int rt_original_postgres_url(const char *url)
{
    return url &&
           (strncasecmp(url, "postgres://", 11) == 0 || strncasecmp(url, "postgresql://", 13) == 0);
}

int rt_original_sqlite_dir(const char *url, char *dir, size_t len)
{
    if (!url || strncmp(url, "sqlite:", 7) != 0)
        return -1;
    const char *p = url + 7;
    if (strncmp(p, "//", 2) == 0)
        p += 2; /* sqlite://rel/x.db, sqlite:///abs/x.db */
    size_t plen = strcspn(p, "?");
    if (plen == 0 || strncmp(p, ":memory:", 8) == 0 || strncmp(p, "memory", 6) == 0)
        return 0;
    const char *slash = NULL;
    for (size_t i = 0; i < plen; i++)
        if (p[i] == '/')
            slash = p + i;
    if (!slash)
        snprintf(dir, len, ".");
    else if (slash == p)
        snprintf(dir, len, "/");
    else
        snprintf(dir, len, "%.*s", (int)(slash - p), p);
    return 1;
}
