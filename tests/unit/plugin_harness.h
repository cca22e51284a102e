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

/* A log event at TEST_TIME_US; the strings are borrowed. */
ratchet_log_event harness_event(ratchet_log_level level, const char *source, const char *plugin,
                                const char *msg, const ratchet_log_field *fields, size_t nfields);

#endif
