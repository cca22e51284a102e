/* tests/unit/plugin_harness.c - see plugin_harness.h. */
#include "plugin_harness.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "hostapi.h"
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

void harness_logger_create(harness_logger *in, const ratchet_plugin_desc *desc, const char *name,
                           const char *yaml)
{
    rt_error err = {{0}};
    assert_non_null(desc);
    in->desc = desc;
    in->cfg = harness_options(desc, yaml, &in->map, &err);
    if (!in->cfg)
        fail_msg("options: %s", err.msg);
    in->ctx = rt_ctx_new(name, desc->name);
    assert_non_null(in->ctx);
    rt_error_clear();
    if (desc->logger->life.create(in->ctx, in->cfg, &in->self) != RATCHET_OK)
        fail_msg("create: %s", rt_error_peek());
}

void harness_logger_done(harness_logger *in, int started)
{
    if (started && in->desc->logger->life.stop)
        in->desc->logger->life.stop(in->self);
    in->desc->logger->life.destroy(in->self);
    harness_options_free(in->cfg, in->map);
    rt_ctx_free(in->ctx);
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
