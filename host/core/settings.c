/* host/core/settings.c - read ratchet.yaml, apply environment overrides, check the core
 * sections. */
#include "settings.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "options.h"

static const ratchet_option logging_options[] = {
    RATCHET_OPT_ENUM("level", "trace|debug|info|warn|error", "info",
                     "Lowest level passed to any logger; each logger may filter further"),
    RATCHET_OPT("redact_keys", RATCHET_OPT_NODE, "[]",
                "More key names whose values are masked in every log event (Authorization, "
                "Cookie, password, token, api_key, client_secret and the like always are)"),
    RATCHET_OPT("patterns", RATCHET_OPT_NODE, "[]",
                "Error patterns of your own, beside the built-in ones: a list of {id, match, "
                "name, category, severity, confidence, description, suggestions} (the keys are "
                "listed below; README: Error analysis)"),
    RATCHET_OPT_END,
};

static const ratchet_option plugins_options[] = {
    RATCHET_OPT("paths", RATCHET_OPT_NODE, "[]",
                "Extra plugin directories, loaded after the built-in one"),
    RATCHET_OPT_END,
};

static const ratchet_option execution_options[] = {
    RATCHET_OPT_RANGE("timeout", RATCHET_OPT_DURATION, "300s", 1, 86400000,
                      "Longest a task may run before it is stopped (run-once, test, replay)"),
    RATCHET_OPT_RANGE("memory_limit", RATCHET_OPT_SIZE, "64MiB", 1048576, 68719476736,
                      "Memory a task's script may allocate"),
    RATCHET_OPT("executor", RATCHET_OPT_STRING, "executor-mujs",
                "Executor plugin used when no executor instance is configured"),
    RATCHET_OPT("redact_headers", RATCHET_OPT_NODE, "[]",
                "More header names recorded as [redacted] (Authorization, Proxy-Authorization, "
                "Cookie and Set-Cookie always are)"),
    RATCHET_OPT_END,
};

static const ratchet_option engine_options[] = {
    RATCHET_OPT("data_dir", RATCHET_OPT_PATH, "ratchet-data",
                "Where storage keeps its files (the default storage-sqlite database)"),
    RATCHET_OPT("tasks", RATCHET_OPT_NODE, "[]",
                "Task sources loaded at start: folders, .zip files or collection folders"),
    RATCHET_OPT("writable_tasks", RATCHET_OPT_PATH, NULL,
                "Folder where API and MCP clients may create and edit tasks (also loaded as a "
                "task source); unset: task authoring is disabled"),
    RATCHET_OPT("watch", RATCHET_OPT_BOOL, "true",
                "serve: reload tasks when files in a filesystem task source change (needs a "
                "watcher plugin: a configured watcher instance, else watcher-inotify)"),
    RATCHET_OPT_RANGE("workers", RATCHET_OPT_INT, "0", 0, 256,
                      "Worker processes running tasks; 0 = one per CPU"),
    RATCHET_OPT_RANGE("lease", RATCHET_OPT_DURATION, "30s", 1000, 3600000,
                      "How long a claimed job stays owned without a heartbeat (crash recovery)"),
    RATCHET_OPT_RANGE("shutdown_grace", RATCHET_OPT_DURATION, "10s", 0, 3600000,
                      "On SIGTERM, how long running jobs may finish before they are requeued"),
    RATCHET_OPT_RANGE("max_retries", RATCHET_OPT_INT, "3", 0, 100,
                      "Further attempts after a job fails (a task's metadata max_retries wins)"),
    RATCHET_OPT_RANGE("retry_base", RATCHET_OPT_DURATION, "1s", 0, 86400000,
                      "First retry delay; doubles each attempt, with up to 10% jitter"),
    RATCHET_OPT_RANGE("retry_max", RATCHET_OPT_DURATION, "5m", 0, 86400000,
                      "Longest delay between two attempts"),
    RATCHET_OPT_RANGE("send_ahead", RATCHET_OPT_DURATION, "5ms", 0, 60000,
                      "While no worker is idle, a worker running a task that averages under "
                      "this gets up to 16 jobs ahead, each started as the one before ends; 0 = "
                      "never"),
    RATCHET_OPT_ENUM("catch_up", "once|skip", "once",
                     "A schedule that missed fires while the server was down runs once, or not"),
    RATCHET_OPT_END,
};

static const ratchet_option registry_options[] = {
    RATCHET_OPT("sources", RATCHET_OPT_NODE, "[]",
                "Task registries to follow: a list of {name, type: filesystem|http, uri, ...} "
                "(the keys of one source are listed below; README: Task registries)"),
    RATCHET_OPT_RANGE("default_polling_interval", RATCHET_OPT_DURATION, "5m", 1000, 604800000,
                      "How often serve fetches an http source's index when the source sets no "
                      "polling_interval"),
    RATCHET_OPT("cache_dir", RATCHET_OPT_PATH, NULL,
                "Where the last good index.json and the task zips of http sources are kept; "
                "unset: <engine.data_dir>/registry"),
    RATCHET_OPT_END,
};

static const ratchet_option breaker_options[] = {
    RATCHET_OPT("enabled", RATCHET_OPT_BOOL, "true",
                "serve: refuse calls at once to a host that keeps failing (README: Circuit "
                "breakers)"),
    RATCHET_OPT_RANGE("fetch_failures", RATCHET_OPT_INT, "5", 1, 1000,
                      "Consecutive failed fetch() calls to one host (network error, timeout, "
                      "5xx) that open its breaker"),
    RATCHET_OPT_RANGE("fetch_cool_down", RATCHET_OPT_DURATION, "30s", 1, 86400000,
                      "How long a host's fetch breaker stays open before one probe call"),
    RATCHET_OPT_RANGE("webhook_failures", RATCHET_OPT_INT, "5", 1, 1000,
                      "Consecutive failed webhook requests to one host (retries count) that "
                      "open its breaker"),
    RATCHET_OPT_RANGE("webhook_cool_down", RATCHET_OPT_DURATION, "30s", 1, 86400000,
                      "How long a host's webhook breaker stays open before one probe call"),
    RATCHET_OPT_END,
};

const rt_core_section rt_core_sections[] = {
    {"execution", "Limits and defaults for running tasks", execution_options},
    {"engine", "The server's job engine: storage location, task sources, workers", engine_options},
    {"logging", "How much the host logs; where it goes is chosen by logger instances",
     logging_options},
    {"plugins", "Where plugins are loaded from", plugins_options},
    {"registry", "Task registries followed besides engine.tasks: folders and HTTP indexes",
     registry_options},
    {"circuit_breakers", "Circuit breakers per destination host for fetch() calls and webhooks",
     breaker_options},
    {NULL, NULL, NULL},
};

/* The shape of the top level and of one entry under `instances:`. */
static const ratchet_option root_options[] = {
    RATCHET_OPT("execution", RATCHET_OPT_NODE, NULL, "core section"),
    RATCHET_OPT("engine", RATCHET_OPT_NODE, NULL, "core section"),
    RATCHET_OPT("logging", RATCHET_OPT_NODE, NULL, "core section"),
    RATCHET_OPT("plugins", RATCHET_OPT_NODE, NULL, "core section"),
    RATCHET_OPT("registry", RATCHET_OPT_NODE, NULL, "core section"),
    RATCHET_OPT("circuit_breakers", RATCHET_OPT_NODE, NULL, "core section"),
    RATCHET_OPT("instances", RATCHET_OPT_NODE, NULL, "plugin instances"),
    RATCHET_OPT_END,
};

static const ratchet_option instance_options[] = {
    RATCHET_OPT_REQUIRED("name", RATCHET_OPT_STRING, "Instance name, unique ([a-z0-9_-]+)"),
    RATCHET_OPT_REQUIRED("plugin", RATCHET_OPT_STRING, "Plugin to instantiate"),
    RATCHET_OPT("kind", RATCHET_OPT_STRING, NULL,
                "Kind to use when the plugin offers several (e.g. logger)"),
    RATCHET_OPT("options", RATCHET_OPT_NODE, NULL, "The plugin's options"),
    RATCHET_OPT_END,
};

static size_t section_index(const char *name)
{
    size_t i = 0;
    while (rt_core_sections[i].name && strcmp(rt_core_sections[i].name, name) != 0)
        i++;
    return i;
}

const ratchet_config *rt_settings_section(const rt_settings *s, const char *section)
{
    size_t i = section_index(section);
    return rt_core_sections[i].name ? s->section_cfg[i] : NULL;
}

static int valid_instance_name(const char *name)
{
    if (!*name || strlen(name) > 64)
        return 0;
    for (const char *p = name; *p; p++)
        if (!(islower((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '-' || *p == '_'))
            return 0;
    return 1;
}

/* ---- environment overrides ---------------------------------------------------------------- */

/* "max-files" or "max_files" vs "MAX_FILES": names compare with '-' == '_' and no case. */
static int env_name_eq(const char *name, const char *env, size_t envlen)
{
    size_t i = 0;
    for (; name[i] && i < envlen; i++) {
        char a = name[i] == '-' ? '_' : (char)toupper((unsigned char)name[i]);
        if (a != env[i])
            return 0;
    }
    return !name[i] && i == envlen;
}

/* Get the map under `key` in `map`, creating it (attributed to the variable) if absent. */
static rt_node *child_map(rt_node *map, const char *key, const char *where, rt_error *err)
{
    for (size_t i = 0; i < map->count; i++)
        if (strcmp(map->keys[i], key) == 0) {
            if (map->items[i]->kind == RATCHET_NODE_MAP)
                return map->items[i];
            if (map->items[i]->kind == RATCHET_NODE_SCALAR && map->items[i]->plain &&
                (!*map->items[i]->scalar || strcmp(map->items[i]->scalar, "~") == 0 ||
                 strcmp(map->items[i]->scalar, "null") == 0))
                break; /* `key:` with no value: replace with a map */
            rt_fail(err, "%s: %s: cannot override inside '%s', which is not a mapping", where, key,
                    key);
            return NULL;
        }
    rt_node *m = rt_node_new_map(where);
    if (!m || rt_node_map_set(map, key, m) != RATCHET_OK) {
        rt_fail(err, "out of memory");
        return NULL;
    }
    return m;
}

/* A colon-separated list, for RATCHET_PLUGINS_PATHS. */
static rt_node *path_list(const char *value, const char *where)
{
    rt_node *seq = rt_node_new_seq(where);
    char *copy = strdup(value);
    if (!seq || !copy) {
        rt_node_free(seq);
        free(copy);
        return NULL;
    }
    char *save = NULL;
    for (char *tok = strtok_r(copy, ":", &save); tok; tok = strtok_r(NULL, ":", &save))
        rt_node_seq_push(seq, rt_node_new_scalar(tok, where));
    free(copy);
    return seq;
}

static ratchet_status set_override(rt_node *map, const char *key, const char *value,
                                   const char *where, int as_list, rt_error *err)
{
    rt_node *v = as_list ? path_list(value, where) : rt_node_new_scalar(value, where);
    if (!v || rt_node_map_set(map, key, v) != RATCHET_OK)
        return rt_fail(err, "out of memory");
    return RATCHET_OK;
}

/* Apply one RATCHET_<A>_<B>=value. Returns RATCHET_NOTFOUND when <A> names nothing. */
static ratchet_status apply_env_var(rt_node *root, const char *var, rt_error *err)
{
    const char *eq = strchr(var, '=');
    if (!eq)
        return RATCHET_NOTFOUND;
    const char *name = var + strlen("RATCHET_");
    size_t namelen = (size_t)(eq - name);
    const char *value = eq + 1;
    char where[256];
    snprintf(where, sizeof where, "environment variable %.*s", (int)(eq - var), var);

    /* Core sections: RATCHET_<SECTION>_<KEY>. */
    for (size_t s = 0; rt_core_sections[s].name; s++) {
        size_t sl = strlen(rt_core_sections[s].name);
        if (namelen <= sl + 1 || name[sl] != '_' ||
            !env_name_eq(rt_core_sections[s].name, name, sl))
            continue;
        const char *key = name + sl + 1;
        size_t keylen = namelen - sl - 1;
        RT_OPT_FOREACH(o, rt_core_sections[s].options)
        {
            if (!env_name_eq(o->name, key, keylen))
                continue;
            rt_node *sec = child_map(root, rt_core_sections[s].name, where, err);
            if (!sec)
                return RATCHET_ERR;
            return set_override(sec, o->name, value, where, o->type == RATCHET_OPT_NODE, err);
        }
        return rt_fail(err, "%s: section '%s' has no option '%.*s'", where,
                       rt_core_sections[s].name, (int)keylen, key);
    }
    /* Instances: RATCHET_<INSTANCE>_<OPTION>; instance names may contain '_' or '-'. */
    rt_node *insts = (rt_node *)rt_node_get(root, "instances");
    for (size_t i = 0; i < rt_node_count(insts); i++) {
        rt_node *entry = insts->items[i];
        const char *iname = rt_node_scalar(rt_node_get(entry, "name"));
        if (!iname || entry->kind != RATCHET_NODE_MAP)
            continue;
        size_t il = strlen(iname);
        if (namelen <= il + 1 || name[il] != '_' || !env_name_eq(iname, name, il))
            continue;
        char option[128];
        size_t ol = namelen - il - 1;
        if (ol >= sizeof option)
            return rt_fail(err, "%s: option name too long", where);
        for (size_t k = 0; k < ol; k++)
            option[k] = (char)tolower((unsigned char)name[il + 1 + k]);
        option[ol] = '\0';
        rt_node *opts = child_map(entry, "options", where, err);
        if (!opts)
            return RATCHET_ERR;
        return set_override(opts, option, value, where, 0, err);
    }
    return RATCHET_NOTFOUND;
}

/* Variables that configure how the CLI finds things rather than override a section. */
static int env_reserved(const char *var)
{
    static const char *const reserved[] = {"RATCHET_CONFIG=", "RATCHET_STORAGE_URL="};
    for (size_t i = 0; i < sizeof reserved / sizeof *reserved; i++)
        if (strncmp(var, reserved[i], strlen(reserved[i])) == 0)
            return 1;
    return 0;
}

static ratchet_status apply_env(rt_settings *s, char *const *envp, rt_error *err)
{
    for (char *const *e = envp; e && *e; e++) {
        if (strncmp(*e, "RATCHET_", 8) != 0 || env_reserved(*e))
            continue;
        ratchet_status rc = apply_env_var(s->root, *e, err);
        if (rc == RATCHET_OK)
            rt_original_env_matched(&s->original, *e);
        else if (rc == RATCHET_NOTFOUND)
            rc = rt_original_env_apply(&s->original, s->root, *e, envp, err);
        if (rc == RATCHET_NOTFOUND) {
            char **grown = realloc(s->ignored_env, (s->nignored_env + 1) * sizeof *grown);
            if (!grown)
                return rt_fail(err, "out of memory");
            s->ignored_env = grown;
            size_t len = strcspn(*e, "=");
            if ((grown[s->nignored_env] = strndup(*e, len)) != NULL)
                s->nignored_env++;
        } else if (rc != RATCHET_OK) {
            return rc;
        }
    }
    return rt_original_env_finish(&s->original, err);
}

/* ---- checking ----------------------------------------------------------------------------- */

static ratchet_status check_plugin_paths(rt_settings *s, rt_error *err)
{
    const ratchet_node *paths = rt_cfg_node(rt_settings_section(s, "plugins"), "paths");
    if (!paths)
        return RATCHET_OK;
    if (paths->kind != RATCHET_NODE_SEQUENCE)
        return rt_fail(err, "%s: plugins.paths: expected a list of directories", paths->where);
    s->plugin_dirs = calloc(paths->count + 1, sizeof *s->plugin_dirs);
    if (!s->plugin_dirs)
        return rt_fail(err, "out of memory");
    for (size_t i = 0; i < paths->count; i++) {
        const rt_node *p = paths->items[i];
        if (p->kind != RATCHET_NODE_SCALAR || !*p->scalar)
            return rt_fail(err, "%s: plugins.paths[%zu]: expected a directory path", p->where, i);
        size_t len = strlen(s->basedir) + strlen(p->scalar) + 2;
        char *dir = malloc(len);
        if (!dir)
            return rt_fail(err, "out of memory");
        if (p->scalar[0] == '/')
            snprintf(dir, len, "%s", p->scalar);
        else
            snprintf(dir, len, "%s/%s", s->basedir, p->scalar);
        s->plugin_dirs[s->nplugin_dirs++] = dir;
    }
    return RATCHET_OK;
}

/* execution.redact_headers: a list of HTTP header names (RFC 9110 tokens). */
static ratchet_status check_redact_headers(rt_settings *s, rt_error *err)
{
    const ratchet_node *list = rt_cfg_node(rt_settings_section(s, "execution"), "redact_headers");
    if (!list)
        return RATCHET_OK;
    if (list->kind != RATCHET_NODE_SEQUENCE)
        return rt_fail(err, "%s: execution.redact_headers: expected a list of header names",
                       list->where);
    s->redact_headers = calloc(list->count + 1, sizeof *s->redact_headers);
    if (!s->redact_headers)
        return rt_fail(err, "out of memory");
    for (size_t i = 0; i < list->count; i++) {
        const rt_node *n = list->items[i];
        const char *bad = n->kind == RATCHET_NODE_SCALAR ? n->scalar : "";
        if (n->kind == RATCHET_NODE_SCALAR && *n->scalar)
            bad = n->scalar + strspn(n->scalar,
                                     "!#$%&'*+-.^_`|~0123456789"
                                     "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");
        if (*bad || n->kind != RATCHET_NODE_SCALAR || !*n->scalar)
            return rt_fail(err,
                           "%s: execution.redact_headers[%zu]: expected a header name "
                           "(letters, digits, -), got '%.60s'",
                           n->where, i, n->kind == RATCHET_NODE_SCALAR ? n->scalar : "(a list)");
        s->redact_headers[s->nredact_headers++] = n->scalar;
    }
    return RATCHET_OK;
}

/* logging.redact_keys: a list of key names ([A-Za-z0-9_.-]+). */
static ratchet_status check_redact_keys(rt_settings *s, rt_error *err)
{
    const ratchet_node *list = rt_cfg_node(rt_settings_section(s, "logging"), "redact_keys");
    if (!list)
        return RATCHET_OK;
    if (list->kind != RATCHET_NODE_SEQUENCE)
        return rt_fail(err, "%s: logging.redact_keys: expected a list of key names", list->where);
    s->redact_keys = calloc(list->count + 1, sizeof *s->redact_keys);
    if (!s->redact_keys)
        return rt_fail(err, "out of memory");
    for (size_t i = 0; i < list->count; i++) {
        const rt_node *n = list->items[i];
        int ok = n->kind == RATCHET_NODE_SCALAR && *n->scalar &&
                 !n->scalar[strspn(n->scalar, "-_.0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                              "abcdefghijklmnopqrstuvwxyz")];
        if (!ok)
            return rt_fail(err,
                           "%s: logging.redact_keys[%zu]: expected a key name (letters, digits, "
                           "'-', '_', '.'), got '%.60s'",
                           n->where, i, n->kind == RATCHET_NODE_SCALAR ? n->scalar : "(not text)");
        s->redact_keys[s->nredact_keys++] = n->scalar;
    }
    return RATCHET_OK;
}

static ratchet_status check_instances(rt_settings *s, rt_error *err)
{
    const rt_node *insts = rt_node_get(s->root, "instances");
    if (!insts)
        return RATCHET_OK;
    if (insts->kind != RATCHET_NODE_SEQUENCE)
        return rt_fail(err, "%s: instances: expected a list of plugin instances", insts->where);
    s->instances = calloc(insts->count + 1, sizeof *s->instances);
    if (!s->instances)
        return rt_fail(err, "out of memory");
    for (size_t i = 0; i < insts->count; i++) {
        const rt_node *e = insts->items[i];
        char path[64];
        snprintf(path, sizeof path, "instances[%zu]", i);
        ratchet_config *cfg = rt_options_validate(instance_options, e, path, s->basedir, err);
        if (!cfg)
            return RATCHET_ERR;
        rt_instance_spec *spec = &s->instances[s->ninstances];
        spec->name = rt_node_scalar(rt_node_get(e, "name"));
        spec->plugin = rt_node_scalar(rt_node_get(e, "plugin"));
        spec->kind = rt_node_scalar(rt_node_get(e, "kind"));
        spec->entry = e;
        spec->plugin_node = rt_node_get(e, "plugin");
        spec->options = rt_node_get(e, "options");
        spec->index = i;
        rt_config_free(cfg);
        if (!valid_instance_name(spec->name))
            return rt_fail(err,
                           "%s: %s.name: invalid instance name '%s' (use lowercase letters, "
                           "digits, '-' and '_')",
                           rt_node_where(rt_node_get(e, "name")), path, spec->name);
        for (size_t j = 0; j < s->ninstances; j++)
            if (strcmp(s->instances[j].name, spec->name) == 0)
                return rt_fail(err, "%s: %s.name: duplicate instance name '%s' (first at %s)",
                               rt_node_where(rt_node_get(e, "name")), path, spec->name,
                               rt_node_where(s->instances[j].entry));
        for (size_t c = 0; rt_core_sections[c].name; c++)
            if (strcmp(rt_core_sections[c].name, spec->name) == 0)
                return rt_fail(err,
                               "%s: %s.name: '%s' is a core section name; choose another so "
                               "RATCHET_%s_* environment overrides stay unambiguous",
                               rt_node_where(rt_node_get(e, "name")), path, spec->name, spec->name);
        s->ninstances++;
    }
    return RATCHET_OK;
}

static char *dir_of(const char *path)
{
    char buf[PATH_MAX];
    if (!path) {
        return getcwd(buf, sizeof buf) ? strdup(buf) : strdup(".");
    }
    const char *slash = strrchr(path, '/');
    if (!slash)
        return getcwd(buf, sizeof buf) ? strdup(buf) : strdup(".");
    if (slash == path)
        return strdup("/");
    return strndup(path, (size_t)(slash - path));
}

ratchet_status rt_settings_load(rt_settings *s, const char *path, char *const *envp, rt_error *err)
{
    memset(s, 0, sizeof *s);
    s->basedir = dir_of(path);
    if (path && !(s->path = strdup(path)))
        return rt_fail(err, "out of memory");
    if (!s->basedir)
        return rt_fail(err, "out of memory");
    if (path)
        s->root = rt_yaml_load_file(path, err);
    else
        s->root = rt_yaml_parse(rt_default_config_yaml, strlen(rt_default_config_yaml),
                                "(built-in defaults)", err);
    if (!s->root)
        return RATCHET_ERR;
    if (s->root->kind != RATCHET_NODE_MAP)
        return rt_fail(err, "%s: expected a mapping of sections (logging, plugins, instances)",
                       s->root->where);
    if (path && rt_original_config_check(s->root, path, err) != RATCHET_OK)
        return RATCHET_ERR;
    if (apply_env(s, envp, err) != RATCHET_OK)
        return RATCHET_ERR;
    ratchet_config *shape = rt_options_validate(root_options, s->root, "", s->basedir, err);
    if (!shape)
        return RATCHET_ERR;
    rt_config_free(shape);
    for (size_t i = 0; rt_core_sections[i].name; i++) {
        const rt_node *sec = rt_node_get(s->root, rt_core_sections[i].name);
        s->section_cfg[i] = rt_options_validate(rt_core_sections[i].options, sec,
                                                rt_core_sections[i].name, s->basedir, err);
        if (!s->section_cfg[i])
            return RATCHET_ERR;
    }
    if (check_plugin_paths(s, err) != RATCHET_OK || check_redact_headers(s, err) != RATCHET_OK ||
        check_redact_keys(s, err) != RATCHET_OK)
        return RATCHET_ERR;
    const ratchet_config *reg = rt_settings_section(s, "registry");
    if (rt_source_specs_parse(rt_cfg_node(reg, "sources"), s->basedir,
                              rt_cfg_int(reg, "default_polling_interval"), &s->sources,
                              &s->nsources, err) != RATCHET_OK)
        return RATCHET_ERR;
    if (rt_patterns_parse(&s->patterns, rt_cfg_node(rt_settings_section(s, "logging"), "patterns"),
                          "logging.patterns", 0, err) != RATCHET_OK)
        return RATCHET_ERR;
    rt_patterns_install(&s->patterns);
    return check_instances(s, err);
}

void rt_settings_free(rt_settings *s)
{
    for (size_t i = 0; i < sizeof s->section_cfg / sizeof *s->section_cfg; i++)
        rt_config_free(s->section_cfg[i]);
    for (size_t i = 0; i < s->nplugin_dirs; i++)
        free(s->plugin_dirs[i]);
    for (size_t i = 0; i < s->nignored_env; i++)
        free(s->ignored_env[i]);
    free(s->ignored_env);
    rt_original_env_free(&s->original);
    rt_source_specs_free(s->sources, s->nsources);
    rt_patterns_uninstall(&s->patterns);
    rt_pattern_set_clear(&s->patterns);
    free(s->plugin_dirs);
    free(s->redact_headers);
    free(s->redact_keys);
    free(s->instances);
    rt_node_free(s->root);
    free(s->path);
    free(s->basedir);
    memset(s, 0, sizeof *s);
}
