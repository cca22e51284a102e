/* host/cli/cmd_plugins.c - `ratchet plugins list|describe`. */
#include <stdio.h>
#include <string.h>

#include "core/core_layer.h"
#include "cli.h"

static void kinds_of(const rt_plugin *p, char *out, size_t len)
{
    out[0] = '\0';
    for (int k = 0; k < RT_KIND_COUNT; k++)
        if (p->vtable[k]) {
            size_t used = strlen(out);
            snprintf(out + used, len - used, "%s%s", used ? "," : "", rt_kind_name((rt_kind)k));
        }
}

static int plugins_list(rt_app *app)
{
    int rc = rt_app_load_plugins(app, 0);
    if (rc != RT_EXIT_OK)
        return rc;
    printf("%-20s %-10s %-10s %-5s %-7s %s\n", "NAME", "KIND", "VERSION", "ABI", "ORIGIN", "PATH");
    for (size_t i = 0; i < app->reg.count; i++) {
        const rt_plugin *p = &app->reg.plugins[i];
        char kinds[64], abi[16];
        kinds_of(p, kinds, sizeof kinds);
        snprintf(abi, sizeof abi, "%u.%u", (unsigned)p->desc->abi.abi_major,
                 (unsigned)p->desc->abi.abi_minor);
        printf("%-20s %-10s %-10s %-5s %-7s %s\n", p->desc->name, kinds, p->desc->version, abi,
               p->is_static ? "static" : "loaded", p->is_static ? "-" : p->path);
    }
    return app->reg.nrefused ? RT_EXIT_FAIL : RT_EXIT_OK;
}

static int plugins_describe(rt_app *app, const char *name)
{
    int rc = rt_app_load_plugins(app, 0);
    if (rc != RT_EXIT_OK)
        return rc;
    const rt_plugin *p = rt_registry_find(&app->reg, name);
    if (!p) {
        ratchet_buf names = RATCHET_BUF_INIT;
        for (size_t i = 0; i < app->reg.count; i++)
            rt_buf_printf(&names, "%s%s", i ? ", " : "", app->reg.plugins[i].desc->name);
        rc = rt_cli_fail("no plugin named '%s' (available: %s)", name,
                         names.data ? names.data : "none");
        rt_buf_free(&names);
        return rc;
    }
    char kinds[64];
    kinds_of(p, kinds, sizeof kinds);
    printf("%s %s - %s\n", p->desc->name, p->desc->version,
           p->desc->description ? p->desc->description : "");
    printf("  kind:    %s\n  ABI:     %u.%u\n  origin:  %s\n", kinds,
           (unsigned)p->desc->abi.abi_major, (unsigned)p->desc->abi.abi_minor,
           p->is_static ? "static (linked into this binary)" : p->path);
    if (p->desc->license)
        printf("  license: %s\n", p->desc->license);
    ratchet_buf text = RATCHET_BUF_INIT;
    if (!p->desc->options || !p->desc->options->name) {
        printf("\nOptions: none\n");
    } else if (rt_options_describe(p->desc->options, &text) == RATCHET_OK) {
        printf("\nOptions (under `options:` of an instance):\n%s", text.data ? text.data : "");
    }
    rt_buf_free(&text);
    /* The smallest instance that loads: the required options, with placeholders. */
    printf("\nExample (in ratchet.yaml):\n  instances:\n    - name: my-%s\n      plugin: %s\n",
           kinds, p->desc->name);
    int header = 0;
    RT_OPT_FOREACH(o, p->desc->options)
    {
        if (!o->required)
            continue;
        if (!header++)
            printf("      options:\n");
        printf("        %s: <%s>\n", o->name, rt_option_type_name(o->type));
    }
    return RT_EXIT_OK;
}

static int plugins_run(rt_app *app, int argc, char **argv)
{
    if (argc < 2)
        return rt_usage_error("plugins", "missing subcommand (list or describe)");
    if (strcmp(argv[1], "list") == 0) {
        if (argc > 2)
            return rt_usage_error("plugins", "unexpected argument '%s'", argv[2]);
        return plugins_list(app);
    }
    if (strcmp(argv[1], "describe") == 0) {
        if (argc != 3 || argv[2][0] == '-')
            return rt_usage_error("plugins", "usage: ratchet plugins describe NAME");
        return plugins_describe(app, argv[2]);
    }
    return rt_usage_error("plugins", "unknown subcommand '%s' (expected list or describe)",
                          argv[1]);
}

const rt_command rt_cmd_plugins = {
    "plugins",
    "List the available plugins or describe one's options",
    "Usage: ratchet plugins list\n"
    "       ratchet plugins describe NAME\n\n"
    "list      one line per plugin: name, kind, version, ABI, origin (static: linked into\n"
    "          this binary; loaded: from a .so) and path. Files that were refused are\n"
    "          reported on stderr with the reason, and the exit status is then 1.\n"
    "describe  the plugin's options (type, default, documentation) as accepted under\n"
    "          `options:` of an instance in ratchet.yaml.\n\n"
    "Plugins come from this binary (static), the directory next to it (build tree:\n"
    "./plugins; installed: <prefix>/lib/ratchet/plugins), then --plugin-dir directories and\n"
    "plugins.paths from the configuration. A name may be taken only once.\n",
    plugins_run,
};
