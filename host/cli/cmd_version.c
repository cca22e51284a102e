/* host/cli/cmd_version.c - `ratchet version` / `--version`. */
#include <stdio.h>

#include "cli.h"
#include "ratchet/abi.h"

#ifndef RATCHET_VERSION
#define RATCHET_VERSION "0.0.0"
#endif

static int version_run(rt_app *app, int argc, char **argv)
{
    (void)app;
    if (argc > 1)
        return rt_usage_error("version", "unexpected argument '%s'", argv[1]);
    printf("ratchet %s (plugin ABI %d.%d)\n", RATCHET_VERSION, RATCHET_ABI_MAJOR,
           RATCHET_ABI_MINOR);
    return RT_EXIT_OK;
}

const rt_command rt_cmd_version = {
    "version",
    "Print the version and the plugin ABI version",
    "Usage: ratchet version   (also: ratchet --version)\n",
    version_run,
};
