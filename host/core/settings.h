/*
 * host/core/settings.h - ratchet.yaml: the host's core sections, the list of plugin instances,
 * and environment overrides (RATCHET_<SECTION>_<KEY>, RATCHET_<INSTANCE>_<OPTION>).
 *
 * Loading happens in two steps because instance options can only be checked against the
 * option table of a plugin that has been loaded: rt_settings_load() checks the file's shape
 * and the core sections; rt_settings_resolve() (instances.h) checks each instance against
 * its plugin.
 */
#ifndef RT_SETTINGS_H
#define RT_SETTINGS_H

#include "error.h"
#include "pattern.h"
#include "ratchet/host.h"
#include "registry_config.h"
#include "rt_yaml.h"
#include "settings_original.h"

typedef struct rt_instance_spec {
    const char *name; /* borrowed from the tree */
    const char *plugin;
    const char *kind;     /* NULL when not given */
    const rt_node *entry; /* the instance's map (for messages) */
    const rt_node *plugin_node;
    const rt_node *options; /* NULL when absent */
    size_t index;
} rt_instance_spec;

typedef struct rt_core_section {
    const char *name;
    const char *doc;
    const ratchet_option *options;
} rt_core_section;

typedef struct rt_settings {
    char *path;    /* the file read, or NULL for the built-in defaults */
    char *basedir; /* directory that relative paths in the file are resolved against */
    rt_node *root; /* the tree after environment overrides */
    ratchet_config *section_cfg[8]; /* validated core sections, in rt_core_sections order */
    char **plugin_dirs;             /* plugins.paths, resolved */
    size_t nplugin_dirs;
    rt_instance_spec *instances;
    size_t ninstances;
    const char **redact_headers; /* execution.redact_headers; strings owned by root */
    size_t nredact_headers;
    const char **redact_keys; /* logging.redact_keys; strings owned by root */
    size_t nredact_keys;
    char **ignored_env; /* RATCHET_* variables that matched nothing */
    size_t nignored_env;
    rt_original_env original; /* the original Ratchet's variables: notes, serve's listener */
    rt_source_spec *sources;  /* registry.sources, checked (registry_config.h) */
    size_t nsources;
    rt_pattern_set patterns;  /* logging.patterns, checked and installed (pattern.h) */
} rt_settings;

/* The core sections (NULL-terminated). */
extern const rt_core_section rt_core_sections[];

/* Text of the built-in default configuration (config/ratchet.yaml, embedded at build time). */
extern const char rt_default_config_yaml[];

/* Load `path` (NULL: the built-in defaults), apply overrides from `envp` (NULL-terminated
 * "NAME=value" strings; may be NULL), and check everything but instance options. On error:
 * RATCHET_ERR with err->msg naming file:line:col and the key path. */
ratchet_status rt_settings_load(rt_settings *s, const char *path, char *const *envp, rt_error *err);
void rt_settings_free(rt_settings *s);

/* Typed access to a core section's validated options, e.g. ("logging", "level"). */
const ratchet_config *rt_settings_section(const rt_settings *s, const char *section);

#endif
