/*
 * host/core/settings_original.h - the original Ratchet's configuration as this one meets it:
 * recognising a file written for the original (so the error names `ratchet config migrate`
 * instead of the first unknown key) and reading the original's environment variables
 * (RATCHET_LOG_LEVEL, RATCHET_SERVER_PORT, ...): honoured under their meaning here, or
 * reported with what to use instead. The decision for each variable is the table in
 * settings_original.c; README.md, "Coming from the original Ratchet", documents it.
 */
#ifndef RT_SETTINGS_ORIGINAL_H
#define RT_SETTINGS_ORIGINAL_H

#include <stddef.h>

#include "error.h"
#include "rt_yaml.h"

/* What the original's variables left for the commands. Owned by rt_settings. */
typedef struct rt_original_env {
    char **notes; /* one warning line each ("RATCHET_LOG_LEVEL is ..."), for the user */
    size_t nnotes;
    char *listen;  /* "ADDR:PORT" from RATCHET_SERVER_BIND_ADDRESS / RATCHET_SERVER_PORT, the
                    * listener `serve` uses when --listen is not given; NULL when neither is set */
    char *address; /* the parts, until rt_original_env_finish */
    char *port;
    const char *address_var;
} rt_original_env;

/* RATCHET_ERR when `root` (the parsed file `path`) is evidently a configuration of the
 * original: it has sections or keys only the original has (server, database, mcp, cache,
 * execution.max_execution_duration, logging.targets, ...) and none only this Ratchet has
 * (engine, plugins, instances). err->msg then says so and names the migrate command. */
ratchet_status rt_original_config_check(const rt_node *root, const char *path, rt_error *err);

/* How much `root` looks like the original's: the number of its sections and keys that only
 * the original has; their names go to `found` (comma-separated, truncated to `len`). `ours`
 * (may be NULL) receives the first top-level key only this Ratchet has, or NULL. */
size_t rt_original_config_markers(const rt_node *root, char *found, size_t len, const char **ours);

/* One environment variable "NAME=value" that matched no section or instance. When it is one
 * of the original's: honoured (an override set in `root`, attributed to the variable) or
 * noted, and RATCHET_OK; an unusable value is RATCHET_ERR naming the variable. Not one of
 * the original's: RATCHET_NOTFOUND. `envp` is the whole environment (a variable of this
 * Ratchet that means the same wins over the original's). */
ratchet_status rt_original_env_apply(rt_original_env *oe, rt_node *root, const char *var,
                                     char *const *envp, rt_error *err);
/* A variable that did match a section or instance: when it is also one of the original's
 * names, note that it was read with this Ratchet's meaning. */
void rt_original_env_matched(rt_original_env *oe, const char *var);
/* After the last variable: build `listen` from the address and port. */
ratchet_status rt_original_env_finish(rt_original_env *oe, rt_error *err);
void rt_original_env_free(rt_original_env *oe);

/* The folder of the SQLite file a database URL of the original names ("sqlite://data/x.db",
 * "sqlite:x.db", "sqlite:///abs/x.db"; a "?query" is ignored): 1 with the folder in `dir`
 * ("." for a bare file name), 0 for an in-memory database, -1 for anything else
 * (PostgreSQL, MySQL, not a URL). */
int rt_original_sqlite_dir(const char *url, char *dir, size_t len);
/* 1 when a database URL of the original is PostgreSQL's (postgres:// or postgresql://, any
 * case): it chooses storage-postgres like RATCHET_STORAGE_URL (cli/main.c). */
int rt_original_postgres_url(const char *url);

#endif
