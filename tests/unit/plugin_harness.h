/* tests/unit/plugin_harness.h - what the plugin unit tests share: validated options for a
 * plugin from YAML text, and log events at a fixed time. */
#ifndef RT_PLUGIN_HARNESS_H
#define RT_PLUGIN_HARNESS_H

#include <ratchet/plugin.h>

#include "error.h"
#include "rt_yaml.h"

/* 2026-11-26T06:40:45.123Z */
#define TEST_TIME_US INT64_C(1795675245123000)

/* Parse `yaml` (fails the test when it is not YAML) and validate it against the plugin's
 * option table as instances[0].options. Returns the config, or NULL with err set when the
 * options are invalid; *map receives the tree the config borrows. Free both with
 * harness_options_free. */
ratchet_config *harness_options(const ratchet_plugin_desc *desc, const char *yaml, rt_node **map,
                                rt_error *err);
void harness_options_free(ratchet_config *cfg, rt_node *map);

/* One logger instance built as the host builds it: YAML options -> validated config ->
 * create(); start() separately. */
typedef struct harness_logger {
    const ratchet_plugin_desc *desc;
    ratchet_ctx *ctx;
    rt_node *map;
    ratchet_config *cfg;
    void *self;
} harness_logger;

/* Validate `yaml` against desc's options and create an instance named `name` (fails the test
 * when either is refused). */
void harness_logger_create(harness_logger *in, const ratchet_plugin_desc *desc, const char *name,
                           const char *yaml);
/* stop() (when `started` and the plugin has one), destroy(), and free the options. */
void harness_logger_done(harness_logger *in, int started);

/* A log event at TEST_TIME_US; the strings are borrowed. */
ratchet_log_event harness_event(ratchet_log_level level, const char *source, const char *plugin,
                                const char *msg, const ratchet_log_field *fields, size_t nfields);

#endif
