/* host/task/taskcli.c - flags and executor choice shared by the task commands. */
#include "taskcli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_layer.h"

typedef struct flag_spec {
    const char *name;
    unsigned group; /* 0: always accepted */
    size_t offset;
} flag_spec;

static const flag_spec flag_specs[] = {
    {"--from-fs", 0, offsetof(rt_task_flags, from_fs)},
    {"--input-json", RT_FLAG_INPUT, offsetof(rt_task_flags, input_json)},
    {"--input-file", RT_FLAG_INPUT, offsetof(rt_task_flags, input_file)},
    {"--timeout", RT_FLAG_LIMITS, offsetof(rt_task_flags, timeout)},
    {"--memory-mb", RT_FLAG_LIMITS, offsetof(rt_task_flags, memory_mb)},
    {"--record", RT_FLAG_RECORD, offsetof(rt_task_flags, record)},
    {"--recording", RT_FLAG_RECORDING, offsetof(rt_task_flags, recording)},
};

int rt_task_flags_parse(const char *cmd, int argc, char **argv, unsigned accepted, rt_task_flags *f)
{
    memset(f, 0, sizeof *f);
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        const char *eq = strchr(arg, '=');
        size_t namelen = eq ? (size_t)(eq - arg) : strlen(arg);
        const flag_spec *spec = NULL;
        for (size_t k = 0; k < sizeof flag_specs / sizeof *flag_specs; k++)
            if (strlen(flag_specs[k].name) == namelen &&
                strncmp(flag_specs[k].name, arg, namelen) == 0 &&
                (flag_specs[k].group == 0 || (flag_specs[k].group & accepted)))
                spec = &flag_specs[k];
        if (!spec)
            return rt_usage_error(cmd, "%s '%s'",
                                  arg[0] == '-' ? "unknown option" : "unexpected argument", arg);
        const char *value = eq ? eq + 1 : (i + 1 < argc ? argv[++i] : NULL);
        if (!value)
            return rt_usage_error(cmd, "%s needs a value", spec->name);
        *(const char **)(void *)((char *)f + spec->offset) = value;
    }
    if (!f->from_fs)
        return rt_usage_error(cmd, "--from-fs PATH is required (a task folder or .zip)");
    if (f->input_json && f->input_file)
        return rt_usage_error(cmd, "give either --input-json or --input-file, not both");
    return -1;
}

/* A positive number from a flag, or a usage error. */
static int positive(const char *cmd, const char *flag, const char *text, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(text, &end);
    if (errno || end == text || *end || !(v > 0) || v > 1e9)
        return rt_usage_error(cmd, "%s expects a positive number, got '%s'", flag, text);
    *out = v;
    return -1;
}

static int pick_executor(rt_app *app, rt_run_request *req)
{
    const ratchet_config *exec = rt_settings_section(&app->settings, "execution");
    for (size_t i = 0; i < app->settings.ninstances; i++) {
        const rt_plugin *p = rt_registry_find(&app->reg, app->settings.instances[i].plugin);
        if (p && p->vtable[RT_KIND_EXECUTOR]) {
            rt_error err;
            char keypath[64];
            snprintf(keypath, sizeof keypath, "instances[%zu].options", i);
            app->executor_cfg = rt_options_validate_at(
                p->desc->options, app->settings.instances[i].options, keypath,
                app->settings.basedir, rt_node_where(app->settings.instances[i].entry), &err);
            if (!app->executor_cfg)
                return rt_cli_fail("%s", err.msg);
            req->executor = p;
            req->executor_cfg = app->executor_cfg;
            return RT_EXIT_OK;
        }
    }
    const char *name = rt_cfg_string(exec, "executor");
    const rt_plugin *p = rt_registry_find(&app->reg, name);
    if (!p || !p->vtable[RT_KIND_EXECUTOR])
        return rt_cli_fail("no executor: plugin '%s' %s (see `ratchet plugins list`)", name,
                           p ? "is not an executor" : "is not available");
    rt_error err;
    app->executor_cfg =
        rt_options_validate(p->desc->options, NULL, name, app->settings.basedir, &err);
    if (!app->executor_cfg)
        return rt_cli_fail("%s", err.msg);
    req->executor = p;
    req->executor_cfg = app->executor_cfg;
    return RT_EXIT_OK;
}

int rt_task_prepare(rt_app *app, const char *cmd, const rt_task_flags *f, rt_run_request *req)
{
    memset(req, 0, sizeof *req);
    int rc = rt_app_load_settings(app);
    if (rc != RT_EXIT_OK)
        return rc;
    const ratchet_config *exec = rt_settings_section(&app->settings, "execution");
    const char *executor = rt_cfg_string(exec, "executor");
    if ((rc = rt_app_load_plugins_for(app, &executor, executor ? 1 : 0)) != RT_EXIT_OK)
        return rc;
    req->timeout_ms = rt_cfg_int(exec, "timeout");
    req->memory_bytes = rt_cfg_int(exec, "memory_limit");
    req->redact_headers = app->settings.redact_headers;
    req->nredact_headers = app->settings.nredact_headers;
    double v = 0;
    if (f->timeout) {
        if ((rc = positive(cmd, "--timeout", f->timeout, &v)) >= 0)
            return rc;
        req->timeout_ms = (int64_t)(v * 1000.0 + 0.5);
    }
    if (f->memory_mb) {
        if ((rc = positive(cmd, "--memory-mb", f->memory_mb, &v)) >= 0)
            return rc;
        req->memory_bytes = (int64_t)(v * 1024.0 * 1024.0);
    }
    return pick_executor(app, req);
}

int rt_task_collection_start(rt_app *app, const char *cmd, int argc, char **argv, rt_task_flags *f,
                             rt_run_request *req, char ***paths, size_t *npaths)
{
    int rc = rt_task_flags_parse(cmd, argc, argv, RT_FLAG_LIMITS, f);
    if (rc >= 0)
        return rc;
    if ((rc = rt_task_prepare(app, cmd, f, req)) != RT_EXIT_OK)
        return rc;
    rt_error err;
    *paths = NULL;
    *npaths = 0;
    if (rt_task_find(f->from_fs, paths, npaths, &err) != RATCHET_OK)
        return rt_cli_fail("%s", err.msg);
    return -1;
}

rt_task *rt_task_open(const char *path)
{
    rt_error err;
    rt_task *t = rt_task_load(path, &err);
    if (!t) {
        rt_cli_fail("%s", err.msg);
        return NULL;
    }
    /* Compiled once for every run of this command. A compile error is reported by the run
     * (rt_run_task compiles again when there is no program), in the run's own words. */
    (void)rt_task_compile(t, &err);
    return t;
}

void rt_task_print_logs(const rt_run_result *res, const char *task_name)
{
    size_t n = res->logs ? json_object_array_length(res->logs) : 0;
    for (size_t i = 0; i < n; i++) {
        struct json_object *e = json_object_array_get_idx(res->logs, i), *lv, *msg;
        if (json_object_object_get_ex(e, "level", &lv) &&
            json_object_object_get_ex(e, "message", &msg))
            fprintf(stderr, "[%s] %s: %s\n", task_name, json_object_get_string(lv),
                    json_object_get_string(msg));
    }
}
