/* tests/unit/plugin_harness.c - see plugin_harness.h. */
#include "plugin_harness.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "options.h"

ratchet_config *harness_options(const ratchet_plugin_desc *desc, const char *yaml, rt_node **map,
                                rt_error *err)
{
    *map = rt_yaml_parse(yaml, strlen(yaml), "test.yaml", err);
    if (!*map)
        fail_msg("YAML: %s", err->msg);
    return rt_options_validate(desc->options, *map, "instances[0].options", NULL, err);
}

void harness_options_free(ratchet_config *cfg, rt_node *map)
{
    rt_config_free(cfg);
    rt_node_free(map);
}

ratchet_log_event harness_event(ratchet_log_level level, const char *source, const char *plugin,
                                const char *msg, const ratchet_log_field *fields, size_t nfields)
{
    ratchet_log_event ev = {
        .abi = RATCHET_ABI_INIT(ratchet_log_event),
        .time_us = TEST_TIME_US,
        .level = level,
        .source = source,
        .plugin = plugin,
        .message = msg,
        .fields = fields,
        .nfields = nfields,
    };
    return ev;
}
