/* host/cli/cmd_config_migrate.c - `ratchet config migrate FILE [-o OUT [--force]]`: a
 * configuration of the original Ratchet made into a ratchet.yaml of this one, with a report on
 * every key (the mapping is config_migrate_keys.c). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config_migrate.h"

/* The sections of the original's configuration (ratchet-config's domains). */
static const char *const original_sections[] = {"server",  "database", "execution", "http",
                                                "logging", "mcp",      "registry",  "output",
                                                "cache",   NULL};

/* RT_EXIT_OK when `root` is a configuration of the original, else the message printed. */
static int check_original(const rt_node *root, const char *path)
{
    if (root->kind != RATCHET_NODE_MAP || root->count == 0)
        return rt_cli_fail("%s: not a configuration of the original Ratchet: %s", path,
                           root->kind != RATCHET_NODE_MAP
                               ? "expected a mapping of sections (server, execution, logging, ...)"
                               : "the file is empty");
    char found[160];
    const char *ours = NULL;
    rt_original_config_markers(root, found, sizeof found, &ours);
    if (ours)
        return rt_cli_fail("%s is already a configuration of this Ratchet (it has '%s'); nothing "
                           "to migrate (check it with `ratchet config validate %s`)",
                           path, ours, path);
    for (size_t i = 0; i < root->count; i++)
        for (size_t s = 0; original_sections[s]; s++)
            if (strcmp(root->keys[i], original_sections[s]) == 0)
                return RT_EXIT_OK;
    return rt_cli_fail("%s: not a configuration of the original Ratchet: none of its sections "
                       "(server, database, execution, http, logging, mcp, registry, output, "
                       "cache) is there",
                       path);
}

static int write_file(const char *out, const ratchet_buf *text, int force)
{
    int fd = open(out, O_WRONLY | O_CREAT | O_CLOEXEC | (force ? O_TRUNC : O_EXCL), 0644);
    if (fd < 0)
        return rt_cli_fail("cannot write %s: %s%s", out, strerror(errno),
                           errno == EEXIST ? " (use --force to overwrite)" : "");
    int rc = RT_EXIT_OK;
    if (write(fd, text->data, text->len) != (ssize_t)text->len)
        rc = rt_cli_fail("cannot write %s: %s", out, strerror(errno));
    if (close(fd) != 0 && rc == RT_EXIT_OK)
        rc = rt_cli_fail("cannot write %s: %s", out, strerror(errno));
    return rc;
}

/* The plugins this binary has, to write only instances that validate; NULL when they cannot be
 * listed (then every plugin is assumed). The configuration in effect does not matter here. */
static const rt_registry *plugins(rt_app *app)
{
    const char *config = app->config_path;
    int internal = app->internal;
    app->config_path = NULL;
    app->internal = 1; /* the environment's notes are not this command's business */
    int rc = rt_app_load_plugins(app, 0);
    app->config_path = config;
    app->internal = internal;
    return rc == RT_EXIT_OK ? &app->reg : NULL;
}

static int same_file(const char *a, const char *b)
{
    char ra[PATH_MAX], rb[PATH_MAX];
    return realpath(a, ra) && realpath(b, rb) && strcmp(ra, rb) == 0;
}

static int migrate(rt_app *app, const char *path, const char *out, int force)
{
    rt_error err;
    if (out && same_file(path, out))
        return rt_cli_fail("%s: the output would overwrite the original; choose another -o", out);
    rt_node *root = rt_yaml_load_file(path, &err);
    if (!root)
        return rt_cli_fail("%s", err.msg);
    int rc = check_original(root, path);
    if (rc != RT_EXIT_OK) {
        rt_node_free(root);
        return rc;
    }
    mig_ctx m;
    memset(&m, 0, sizeof m);
    m.source = path;
    m.reg = plugins(app);
    mig_map(&m, root);
    mig_finish(&m, root);
    ratchet_buf yaml = RATCHET_BUF_INIT, report = RATCHET_BUF_INIT;
    if (mig_write_yaml(&m, path, &yaml) != RATCHET_OK ||
        mig_write_report(&m, &report) != RATCHET_OK || !yaml.data || !report.data)
        rc = rt_cli_fail("out of memory");
    /* What is written must read back; a failure here is a bug of this command. */
    rt_node *check =
        rc == RT_EXIT_OK ? rt_yaml_parse(yaml.data, yaml.len, "(migrated)", &err) : NULL;
    if (rc == RT_EXIT_OK && !check)
        rc = rt_cli_fail("config migrate wrote YAML it cannot read back (a bug): %s", err.msg);
    rt_node_free(check);
    if (rc == RT_EXIT_OK && !out) {
        fputs(yaml.data, stdout);
        fflush(stdout);
        fputs(report.data, stderr);
    } else if (rc == RT_EXIT_OK) {
        rc = write_file(out, &yaml, force);
        if (rc == RT_EXIT_OK)
            printf("%s%s written; check it with `ratchet config validate %s`\n", report.data, out,
                   out);
    }
    rt_buf_free(&yaml);
    rt_buf_free(&report);
    mig_free(&m);
    rt_node_free(root);
    return rc;
}

int rt_config_migrate(rt_app *app, int argc, char **argv)
{
    const char *path = NULL, *out = NULL;
    int force = 0;
    for (int i = 1; i < argc; i++) {
        if ((strcmp(argv[i], "-o") == 0 || strcmp(argv[i], "--output") == 0) && i + 1 < argc)
            out = argv[++i];
        else if (strcmp(argv[i], "--force") == 0)
            force = 1;
        else if (argv[i][0] == '-' && argv[i][1])
            return rt_usage_error("config", "unexpected argument '%s'", argv[i]);
        else if (path)
            return rt_usage_error("config", "config migrate takes one FILE, got '%s' too", argv[i]);
        else
            path = argv[i];
    }
    if (!path)
        return rt_usage_error("config", "usage: ratchet config migrate FILE [-o OUT [--force]]");
    return migrate(app, path, out, force);
}
