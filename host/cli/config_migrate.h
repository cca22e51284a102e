/*
 * host/cli/config_migrate.h - `ratchet config migrate`: from a configuration of the original
 * Ratchet to a ratchet.yaml of this one. Three files share this header:
 *   config_migrate_map.c  the original's keys, one table row each, and what becomes of them
 *   config_migrate_out.c  the model below written as commented YAML, and the report
 *   cmd_config_migrate.c  the command: arguments, reading, writing
 */
#ifndef RT_CONFIG_MIGRATE_H
#define RT_CONFIG_MIGRATE_H

#include "core/core_layer.h"

/* `ratchet config migrate FILE [-o OUT [--force]]` (argv[0] is "migrate"). */
int rt_config_migrate(rt_app *app, int argc, char **argv);

/* What became of one key of the original. */
typedef enum mig_status { MIG_MAPPED, MIG_DROPPED, MIG_DECIDE, MIG_UNKNOWN } mig_status;

typedef struct mig_report_line {
    mig_status status;
    char *key;  /* the original's key path, "server.port", "logging.targets[0].path" */
    char *text; /* mapped: "-> target = value"; dropped / decide: why; unknown: NULL */
} mig_report_line;

/* One "key: value  # comment" line of the output. `value` is YAML text (a scalar or a flow
 * collection); `comment` may be NULL (the line means what it meant). */
typedef struct mig_entry {
    char *key;
    char *value;
    char *comment;
} mig_entry;

/* A section of ratchet.yaml, or one instance (then `plugin` is set and the entries are its
 * options). */
typedef struct mig_block {
    char *name;
    const char *plugin;
    char *comment; /* written above the block (instances) or NULL */
    mig_entry *entries;
    size_t n;
} mig_block;

/* One key of the original's configuration (config_migrate_keys.c). */
struct mig_ctx;
struct mig_key;
typedef struct mig_at {
    const char *key;   /* where it is: "logging.targets[1].path" */
    const char *label; /* the key and its value for the report: "server.port = 8080" */
    const rt_node *v;
    const struct mig_key *k;
} mig_at;
typedef void (*mig_fn)(struct mig_ctx *m, const mig_at *at);
typedef struct mig_key {
    const char *path; /* "server.database.url"; "[]" stands for any index of a list */
    char kind;        /* 'L' consumed whole by fn, 'C' a map walked into, 'S' a list of maps */
    mig_fn fn;        /* L: what becomes of it; C: called before walking in (may be NULL) */
    const char *same; /* the value this Ratchet has (drop_same) */
    const char *why;  /* the reason or what to do */
} mig_key;

/* The row for a key pattern, or NULL when the original has no such key. */
const mig_key *mig_find_key(const char *path);

typedef enum mig_db {
    MIG_DB_NONE,
    MIG_DB_MEMORY,
    MIG_DB_SQLITE,
    MIG_DB_POSTGRES,
    MIG_DB_OTHER
} mig_db;

typedef struct mig_ctx {
    const char *source;     /* the original file, for messages */
    const rt_registry *reg; /* the plugins this binary has; NULL: assume all are there */
    mig_report_line *lines;
    size_t nlines;
    mig_block execution, engine, logging;
    mig_block *instances;
    size_t ninstances;
    mig_block *cur; /* the instance the current logging target became, or NULL */
    int oom;
    /* What several keys make together, completed by mig_finish. */
    char *address, *port, *tls_cert, *tls_key;
    int api_key;      /* the listener is not on loopback */
    int mcp_enabled;  /* -1: not given (the original's default: on) */
    int had_targets;  /* logging.targets was given */
    rt_node *tasks;   /* engine.tasks, a sequence */
    char *server_url; /* "http://ADDR:PORT", for the MCP lines */
    mig_block web;    /* the http instance's options, appended by mig_finish */
    int rate_enabled; /* server.rate_limit.enabled (the original's default: on) */
    mig_db db;        /* what server.database.url names */
    size_t storage;   /* 1 + the index of a storage-postgres instance in instances; 0: none */
    int src_kind;     /* the registry source being walked: 0 folder, 1 http, 2 git, -1 off */
    int nconsole, nfile;
} mig_ctx;

/* Walk the original's tree `root` (a map), filling the report and the model. */
void mig_map(mig_ctx *m, const rt_node *root);
/* After the walk of `root`: the listener, the front ends, the default console logger. */
void mig_finish(mig_ctx *m, const rt_node *root);

/* Record a report line (key and text copied; text printf-style). */
void mig_report(mig_ctx *m, mig_status st, const char *key, const char *fmt, ...)
    RATCHET_PRINTF(4, 5);
/* Add `key: value` to a block (value is YAML text; comment may be NULL; all copied). */
void mig_set(mig_ctx *m, mig_block *b, const char *key, const char *value, const char *comment);
/* A new instance block appended to the model (name and comment copied). */
mig_block *mig_instance(mig_ctx *m, const char *name, const char *plugin, const char *comment);
/* Whether this binary has the plugin (always 1 without a registry). */
int mig_has_plugin(const mig_ctx *m, const char *plugin);

/* The YAML text of ratchet.yaml (header comments, sections, instances) into `out`. */
ratchet_status mig_write_yaml(const mig_ctx *m, const char *generated_from, ratchet_buf *out);
/* The report, one line per key of the original, then a summary line. */
ratchet_status mig_write_report(const mig_ctx *m, ratchet_buf *out);
void mig_free(mig_ctx *m);

#endif
