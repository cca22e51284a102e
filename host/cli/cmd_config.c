/* host/cli/cmd_config.c - `ratchet config validate|show|generate`. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/core_layer.h"
#include "engine/engine_layer.h"
#include "cli.h"
#include "config_migrate.h"

/* Load settings, plugins (strictly) and resolve the instances: everything `serve` checks
 * before it creates anything. */
static int check_all(rt_app *app, rt_instance_set *set)
{
    memset(set, 0, sizeof *set);
    int rc = rt_app_load_plugins(app, 1);
    if (rc != RT_EXIT_OK)
        return rc;
    rt_error err;
    if (rt_instances_resolve(set, &app->settings, &app->reg, &err) != RATCHET_OK)
        return rt_cli_fail("%s", err.msg);
    return RT_EXIT_OK;
}

static int config_validate(rt_app *app)
{
    rt_instance_set set;
    int rc = check_all(app, &set);
    if (rc == RT_EXIT_OK) {
        printf("%s: OK (%zu instance%s",
               app->settings.path ? app->settings.path : "built-in defaults", set.count,
               set.count == 1 ? "" : "s");
        for (size_t i = 0; i < set.count; i++)
            printf("%s%s: %s %s", i ? ", " : ": ", set.items[i].spec->name,
                   rt_kind_name(set.items[i].kind), set.items[i].plugin->desc->name);
        printf(")\n");
    }
    rt_instances_free(&set);
    return rc;
}

/* The effective value of every option of `table` as a map: what the user set (after the
 * environment), else the default. */
static rt_node *effective_options(const ratchet_option *table, const ratchet_config *cfg,
                                  const rt_node *given)
{
    rt_node *map = rt_node_new_map("effective");
    RT_OPT_FOREACH(o, table)
    {
        rt_node *v = NULL;
        if (o->type == RATCHET_OPT_NODE) {
            const rt_node *n = rt_cfg_node(cfg, o->name);
            if (n) {
                ratchet_buf text = RATCHET_BUF_INIT;
                rt_error err;
                if (rt_yaml_emit(n, &text) == RATCHET_OK && text.data)
                    v = rt_yaml_parse(text.data, text.len, "effective", &err);
                rt_buf_free(&text);
            }
        } else if (o->type == RATCHET_OPT_PATH || rt_cfg_is_set(cfg, o->name)) {
            const rt_node *set = rt_node_get(given, o->name);
            const char *s =
                o->type == RATCHET_OPT_PATH ? rt_cfg_string(cfg, o->name) : rt_node_scalar(set);
            /* A password inside a URL (a storage url, a webhook) is never printed. */
            char *masked = rt_url_mask(s);
            if (masked && (v = rt_node_new_scalar(masked, "effective")) != NULL)
                v->plain = set ? set->plain : 1; /* keep 3 a number and "3" a string */
            free(masked);
        } else if (o->default_value && (v = rt_node_new_scalar(o->default_value, "effective"))) {
            v->plain = 1; /* defaults are written as YAML would read them */
        }
        if (v)
            rt_node_map_set(map, o->name, v);
    }
    return map;
}

static int config_show(rt_app *app)
{
    rt_instance_set set;
    int rc = check_all(app, &set);
    if (rc != RT_EXIT_OK) {
        rt_instances_free(&set);
        return rc;
    }
    rt_node *root = rt_node_new_map("effective");
    for (size_t i = 0; rt_core_sections[i].name; i++)
        rt_node_map_set(
            root, rt_core_sections[i].name,
            effective_options(rt_core_sections[i].options, app->settings.section_cfg[i],
                              rt_node_get(app->settings.root, rt_core_sections[i].name)));
    rt_node *insts = rt_node_new_seq("effective");
    for (size_t i = 0; i < set.count; i++) {
        const rt_instance *inst = &set.items[i];
        rt_node *e = rt_node_new_map("effective");
        rt_node_map_set(e, "name", rt_node_new_scalar(inst->spec->name, "effective"));
        rt_node_map_set(e, "plugin", rt_node_new_scalar(inst->spec->plugin, "effective"));
        rt_node_map_set(e, "kind", rt_node_new_scalar(rt_kind_name(inst->kind), "effective"));
        rt_node_map_set(
            e, "options",
            effective_options(inst->plugin->desc->options, inst->cfg, inst->spec->options));
        rt_node_seq_push(insts, e);
    }
    rt_node_map_set(root, "instances", insts);
    ratchet_buf out = RATCHET_BUF_INIT;
    rt_buf_printf(&out, "# effective configuration: %s, after environment overrides\n",
                  app->settings.path ? app->settings.path : "built-in defaults");
    for (size_t i = 0; i < app->settings.nignored_env; i++)
        rt_buf_printf(&out, "# ignored %s: no section or instance by that name\n",
                      app->settings.ignored_env[i]);
    if (app->storage_url) {
        char *masked = rt_url_mask(app->storage_url);
        rt_buf_printf(&out, "# storage: %s from %s, in place of a storage instance below\n",
                      masked ? masked : "?", app->storage_url_from);
        free(masked);
    }
    if (rt_yaml_emit(root, &out) == RATCHET_OK && out.data)
        fputs(out.data, stdout);
    else
        rc = rt_cli_fail("out of memory");
    rt_buf_free(&out);
    rt_node_free(root);
    rt_instances_free(&set);
    return rc;
}

/* Append `text` with every line turned into a comment ("# ..."), for optional examples. */
static void append_commented(ratchet_buf *out, const char *text, const char *indent)
{
    for (const char *line = text; line && *line;) {
        const char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        rt_buf_printf(out, "%s# %.*s\n", indent, (int)len, line);
        line = nl ? nl + 1 : NULL;
    }
}

static void generate_instance(ratchet_buf *out, const rt_registry *reg, const char *name,
                              const char *plugin, int commented)
{
    const rt_plugin *p = rt_registry_find(reg, plugin);
    ratchet_buf block = RATCHET_BUF_INIT;
    rt_buf_printf(&block, "- name: %s\n  plugin: %s\n", name, plugin);
    if (p && p->desc->options && p->desc->options->name) {
        rt_buf_puts(&block, "  options:\n");
        rt_options_generate(p->desc->options, 4, &block);
    }
    if (commented) {
        append_commented(out, block.data, "  ");
    } else {
        for (const char *line = block.data; line && *line;) {
            const char *nl = strchr(line, '\n');
            size_t len = nl ? (size_t)(nl - line) : strlen(line);
            rt_buf_printf(out, "  %.*s\n", (int)len, line);
            line = nl ? nl + 1 : NULL;
        }
    }
    rt_buf_free(&block);
}

/* The doc of option `name` in `table`. */
static const char *option_doc(const ratchet_option *table, const char *name)
{
    RT_OPT_FOREACH(o, table)
    {
        if (strcmp(o->name, name) == 0)
            return o->doc;
    }
    return "";
}

/* One registry source with every key, as a comment at the left margin (so that it stays a
 * comment when the indented examples below are uncommented). */
static void generate_source_example(ratchet_buf *out)
{
    static const char *const named[] = {"name", "type", "source_type", "uri"};
    ratchet_buf b = RATCHET_BUF_INIT;
    rt_buf_puts(&b,
                "An http registry to follow (`ratchet registry serve-index DIR` makes one). Put\n"
                "it under `registry:` in place of `sources: []`. The keys of one source:\n");
    for (size_t i = 0; i < sizeof named / sizeof *named; i++)
        rt_buf_printf(&b, "  %-12s %s\n", named[i], option_doc(rt_source_options, named[i]));
    rt_buf_printf(&b, "  %-12s %s\n", "auth", option_doc(rt_source_options, "auth"));
    RT_OPT_FOREACH(o, rt_source_auth_options)
    {
        rt_buf_printf(&b, "    %-10s %s\n", o->name, o->doc);
    }
    rt_buf_puts(&b, "  sources:\n"
                    "    - name: team\n"
                    "      type: http\n"
                    "      uri: https://tasks.example.com/index.json\n"
                    "      auth: {type: bearer, token_env: TEAM_REGISTRY_TOKEN}\n");
    /* The optional keys with their defaults, generated from the table. */
    ratchet_option rest[8];
    size_t n = 0;
    RT_OPT_FOREACH(o, rt_source_options)
    {
        if (o->default_value || strcmp(o->name, "polling_interval") == 0)
            if (n < sizeof rest / sizeof *rest - 1)
                rest[n++] = *o;
    }
    ratchet_option end = RATCHET_OPT_END;
    rest[n] = end;
    rt_options_generate(rest, 6, &b);
    append_commented(out, b.data, "");
    rt_buf_free(&b);
}

/* One custom error pattern with every key, as a comment at the left margin (as the source
 * example above). */
static void generate_pattern_example(ratchet_buf *out)
{
    ratchet_buf b = RATCHET_BUF_INIT;
    rt_buf_puts(&b, "An error pattern of your own (README: Error analysis). Put it under\n"
                    "`logging:` in place of `patterns: []`. The keys of one pattern:\n");
    RT_OPT_FOREACH(o, rt_pattern_options)
    {
        rt_buf_printf(&b, "  %-12s %s%s%s%s\n", o->name, o->doc, o->choices ? " (one of " : "",
                      o->choices ? o->choices : "", o->choices ? ")" : "");
    }
    rt_buf_puts(&b, "  patterns:\n"
                    "    - id: payment_declined\n"
                    "      name: Payment declined\n"
                    "      category: http\n"
                    "      severity: high\n"
                    "      confidence: 0.9\n"
                    "      suggestions: [Check the card processor's status page]\n"
                    "      match:\n"
                    "        and:\n"
                    "          - level: error\n"
                    "          - message_regex: 'card .*declined'\n"
                    "          - field_equals: {field: errorName, value: HttpError}\n"
                    "          - not: {field_contains: {field: url, value: /sandbox}}\n");
    append_commented(out, b.data, "");
    rt_buf_free(&b);
}

static int config_generate(rt_app *app, const char *output, int force)
{
    int rc = rt_app_load_plugins(app, 0);
    if (rc != RT_EXIT_OK)
        return rc;
    ratchet_buf out = RATCHET_BUF_INIT;
    rt_buf_puts(
        &out, "# ratchet.yaml - Ratchet configuration (generated by `ratchet config generate`).\n"
              "#\n"
              "# Check a file with `ratchet config validate FILE`; see the values in effect with\n"
              "# `ratchet config show FILE`. Any key can be overridden from the environment:\n"
              "# RATCHET_<SECTION>_<KEY> (e.g. RATCHET_LOGGING_LEVEL=debug) and\n"
              "# RATCHET_<INSTANCE>_<OPTION> (e.g. RATCHET_CONSOLE_LEVEL=debug).\n"
              "# Sizes take units (512KiB, 10MiB), durations too (250ms, 30s, 5m).\n");
    for (size_t i = 0; rt_core_sections[i].name; i++) {
        rt_buf_printf(&out, "\n# %s\n%s:\n", rt_core_sections[i].doc, rt_core_sections[i].name);
        rt_options_generate(rt_core_sections[i].options, 2, &out);
        if (strcmp(rt_core_sections[i].name, "registry") == 0)
            generate_source_example(&out);
        if (strcmp(rt_core_sections[i].name, "logging") == 0)
            generate_pattern_example(&out);
    }
    rt_buf_puts(&out,
                "\n# Plugin instances, started in this order and stopped in reverse. Each names\n"
                "# the plugin it instantiates (`ratchet plugins list`) and sets that plugin's\n"
                "# options (`ratchet plugins describe PLUGIN`). Every logger instance receives\n"
                "# every log event; several instances of one plugin may run with different\n"
                "# options.\n"
                "instances:\n");
    generate_instance(&out, &app->reg, "console", "logger-console", 0);
    rt_buf_puts(&out, "  # A JSON-lines log file with rotation; uncomment to enable:\n");
    generate_instance(&out, &app->reg, "file", "logger-file", 1);
    rt_buf_puts(&out, "  # The file above behind a ring and a writer thread (inner: file):\n");
    generate_instance(&out, &app->reg, "fast", "logger-buffered", 1);
    rt_buf_puts(&out, "  # Front ends. With none named here, `serve` runs the http listener on\n"
                      "  # 127.0.0.1:8080 with the REST API on it; uncomment to choose:\n");
    generate_instance(&out, &app->reg, "http", "http", 1);
    generate_instance(&out, &app->reg, "api", "api-rest", 1);
    rt_buf_puts(&out, "  # MCP for LLM agents at /mcp on the same listener (`ratchet mcp-serve`\n"
                      "  # serves it on stdin/stdout without any of this):\n");
    generate_instance(&out, &app->reg, "mcp", "api-mcp", 1);

    if (!output) {
        fputs(out.data ? out.data : "", stdout);
    } else {
        int fd = open(output, O_WRONLY | O_CREAT | O_CLOEXEC | (force ? O_TRUNC : O_EXCL), 0644);
        if (fd < 0)
            rc = rt_cli_fail("cannot write %s: %s%s", output, strerror(errno),
                             errno == EEXIST ? " (use --force to overwrite)" : "");
        else {
            if (write(fd, out.data, out.len) != (ssize_t)out.len)
                rc = rt_cli_fail("cannot write %s: %s", output, strerror(errno));
            close(fd);
        }
    }
    rt_buf_free(&out);
    return rc;
}

static int config_run(rt_app *app, int argc, char **argv)
{
    if (argc < 2)
        return rt_usage_error("config", "missing subcommand (validate, show, generate or migrate)");
    const char *sub = argv[1];
    if (strcmp(sub, "validate") == 0 || strcmp(sub, "show") == 0) {
        if (argc > 3 || (argc == 3 && argv[2][0] == '-' && argv[2][1]))
            return rt_usage_error("config", "usage: ratchet config %s [FILE]", sub);
        if (argc == 3)
            app->config_path = argv[2];
        return sub[0] == 'v' ? config_validate(app) : config_show(app);
    }
    if (strcmp(sub, "generate") == 0) {
        const char *output = NULL;
        int force = 0;
        for (int i = 2; i < argc; i++) {
            if ((strcmp(argv[i], "--output") == 0 || strcmp(argv[i], "-o") == 0) && i + 1 < argc)
                output = argv[++i];
            else if (strcmp(argv[i], "--force") == 0)
                force = 1;
            else
                return rt_usage_error("config", "unexpected argument '%s'", argv[i]);
        }
        return config_generate(app, output, force);
    }
    if (strcmp(sub, "migrate") == 0)
        return rt_config_migrate(app, argc - 1, argv + 1);
    return rt_usage_error(
        "config", "unknown subcommand '%s' (expected validate, show, generate or migrate)", sub);
}

const rt_command rt_cmd_config = {
    "config",
    "Validate, show, generate or migrate ratchet.yaml",
    "Usage: ratchet config validate [FILE]\n"
    "       ratchet config show [FILE]\n"
    "       ratchet config generate [--output FILE [--force]]\n"
    "       ratchet config migrate FILE [-o OUT [--force]]\n\n"
    "validate  check FILE (default: --config, $RATCHET_CONFIG or the built-in defaults) the\n"
    "          way `serve` would, without starting anything: YAML syntax, sections and keys,\n"
    "          plugins and their options. Errors name file:line:column and the key path.\n"
    "          Exit 0 when valid, 1 otherwise.\n"
    "show      print the configuration in effect: the file, then environment overrides\n"
    "          (RATCHET_<SECTION>_<KEY>, RATCHET_<INSTANCE>_<OPTION>), then defaults.\n"
    "generate  print a commented default configuration (the same as config/ratchet.yaml).\n"
    "migrate   convert a configuration of the original Ratchet (server, database, execution,\n"
    "          http, logging, mcp, registry, output, cache) into a ratchet.yaml of this one,\n"
    "          with a comment on each line whose name or meaning changed, and report every\n"
    "          key of the original: mapped (to what), dropped (why) or to decide. Without -o\n"
    "          the YAML goes to stdout and the report to stderr; with -o OUT the file is\n"
    "          written (not over an existing one without --force) and the report printed.\n",
    config_run,
};
