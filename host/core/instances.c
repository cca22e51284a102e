/* host/core/instances.c - resolve configured instances and run their lifecycle. */
#include "instances.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "hostapi.h"
#include "log.h"
#include "options.h"

/* "logger-console, logger-file" for "unknown plugin" messages. */
static void list_plugins(const rt_registry *reg, ratchet_buf *out)
{
    for (size_t i = 0; i < reg->count; i++)
        rt_buf_printf(out, "%s%s", i ? ", " : "", reg->plugins[i].desc->name);
    if (reg->count == 0)
        rt_buf_puts(out, "none");
}

static ratchet_status unknown_plugin(const rt_instance_spec *spec, const rt_registry *reg,
                                     rt_error *err)
{
    ratchet_buf names = RATCHET_BUF_INIT;
    list_plugins(reg, &names);
    char refused[128] = "";
    if (reg->nrefused)
        snprintf(refused, sizeof refused, "; %zu plugin file(s) were refused, see above",
                 reg->nrefused);
    rt_fail(err, "%s: instances[%zu].plugin: unknown plugin '%s' (available: %s%s)",
            rt_node_where(spec->plugin_node), spec->index, spec->plugin,
            names.data ? names.data : "none", refused);
    rt_buf_free(&names);
    return RATCHET_ERR;
}

/* Pick the kind: the one named by `kind:`, else the plugin's only kind. */
static ratchet_status pick_kind(const rt_instance_spec *spec, const rt_plugin *p, rt_kind *out,
                                rt_error *err)
{
    int offered = 0;
    for (int k = 0; k < RT_KIND_COUNT; k++) {
        if (!p->vtable[k])
            continue;
        if (spec->kind ? strcmp(spec->kind, rt_kind_name((rt_kind)k)) == 0 : offered == 0)
            *out = (rt_kind)k;
        offered++;
    }
    const char *where = rt_node_where(spec->entry);
    if (spec->kind && (*out >= RT_KIND_COUNT || !p->vtable[*out]))
        return rt_fail(err, "%s: instances[%zu].kind: plugin '%s' does not offer kind '%s'", where,
                       spec->index, p->desc->name, spec->kind);
    if (!spec->kind && offered > 1)
        return rt_fail(err,
                       "%s: instances[%zu]: plugin '%s' offers several kinds; say which with "
                       "`kind:`",
                       where, spec->index, p->desc->name);
    return RATCHET_OK;
}

static const ratchet_lifecycle *lifecycle_of(const rt_plugin *p, rt_kind kind)
{
    switch (kind) {
    case RT_KIND_LOGGER:
        return &((const ratchet_logger_vtable *)p->vtable[kind])->life;
    case RT_KIND_EXECUTOR:
        return &((const ratchet_executor_vtable *)p->vtable[kind])->life;
    case RT_KIND_STORAGE:
        return &((const ratchet_storage_vtable *)p->vtable[kind])->life;
    case RT_KIND_FRONTEND:
        return &((const ratchet_frontend_vtable *)p->vtable[kind])->life;
    case RT_KIND_WATCHER:
        return &((const ratchet_watcher_vtable *)p->vtable[kind])->life;
    default:
        return NULL;
    }
}

ratchet_status rt_instances_resolve(rt_instance_set *set, const rt_settings *s,
                                    const rt_registry *reg, rt_error *err)
{
    memset(set, 0, sizeof *set);
    set->items = calloc(s->ninstances + 1, sizeof *set->items);
    if (!set->items)
        return rt_fail(err, "out of memory");
    for (size_t i = 0; i < s->ninstances; i++) {
        const rt_instance_spec *spec = &s->instances[i];
        rt_instance *inst = &set->items[set->count];
        inst->spec = spec;
        inst->plugin = rt_registry_find(reg, spec->plugin);
        if (!inst->plugin)
            return unknown_plugin(spec, reg, err);
        inst->kind = RT_KIND_COUNT;
        if (pick_kind(spec, inst->plugin, &inst->kind, err) != RATCHET_OK)
            return RATCHET_ERR;
        inst->life = lifecycle_of(inst->plugin, inst->kind);
        char keypath[64];
        snprintf(keypath, sizeof keypath, "instances[%zu].options", spec->index);
        /* Without `options:`, a missing required option is reported where the instance is. */
        inst->cfg = rt_options_validate_at(inst->plugin->desc->options, spec->options, keypath,
                                           s->basedir, rt_node_where(spec->entry), err);
        if (!inst->cfg)
            return RATCHET_ERR;
        set->count++;
    }
    return RATCHET_OK;
}

/* "instance 'x' (plugin p): create failed: <plugin's set_error text>" */
static ratchet_status callback_failed(rt_instance *inst, const char *what, rt_error *err)
{
    const char *why = rt_error_peek();
    rt_fail(err, "instance '%s' (plugin %s): %s failed: %s", inst->spec->name,
            inst->plugin->desc->name, what, *why ? why : "(the plugin gave no reason)");
    rt_error_clear();
    return RATCHET_ERR;
}

/* The set rt_instances_start is starting, for logger_wrap (start() runs on that thread). */
static rt_instance_set *starting_set;

/* start() one created instance; a logger joins the fan-out unless another one wrapped it. */
static ratchet_status start_one(rt_instance *inst, rt_error *err)
{
    rt_error_clear();
    inst->starting = 1;
    ratchet_status st = inst->life->start ? inst->life->start(inst->handle) : RATCHET_OK;
    inst->starting = 0;
    if (st != RATCHET_OK)
        return callback_failed(inst, "start", err);
    inst->state = RT_INST_STARTED;
    if (inst->kind == RT_KIND_LOGGER && !inst->wrapped_by &&
        rt_log_attach(inst->plugin->vtable[RT_KIND_LOGGER], inst->handle) != RATCHET_OK)
        return rt_fail(err, "instance '%s': too many loggers", inst->spec->name);
    rt_log(RATCHET_LOG_DEBUG, "started instance '%s' (%s %s)", inst->spec->name,
           rt_kind_name(inst->kind), inst->plugin->desc->name);
    return RATCHET_OK;
}

/* create() then start() the instances of `kind`, in file order. */
static ratchet_status start_kind(rt_instance_set *set, rt_kind kind, rt_error *err)
{
    for (size_t i = 0; i < set->count; i++) {
        rt_instance *inst = &set->items[i];
        if (inst->kind != kind)
            continue;
        inst->ctx = rt_ctx_new(inst->spec->name, inst->plugin->desc->name);
        if (!inst->ctx)
            return rt_fail(err, "out of memory");
        rt_error_clear();
        if (inst->life->create(inst->ctx, inst->cfg, &inst->handle) != RATCHET_OK)
            return callback_failed(inst, "create", err);
        inst->state = RT_INST_CREATED;
    }
    starting_set = set;
    ratchet_status st = RATCHET_OK;
    for (size_t i = 0; i < set->count && st == RATCHET_OK; i++)
        if (set->items[i].state == RT_INST_CREATED)
            st = start_one(&set->items[i], err);
    starting_set = NULL;
    return st;
}

/* Why `name` cannot be wrapped by `by` (into err), or NULL-safe success with *out set. */
static ratchet_status check_wrap(const ratchet_ctx *by, const char *name, rt_instance **out,
                                 rt_error *err)
{
    rt_instance *inst = NULL;
    for (size_t i = 0; starting_set && name && i < starting_set->count; i++)
        if (strcmp(starting_set->items[i].spec->name, name) == 0)
            inst = &starting_set->items[i];
    if (!starting_set)
        return rt_fail(err, "a logger can be wrapped only from start()");
    if (!inst || inst->kind != RT_KIND_LOGGER) {
        ratchet_buf names = RATCHET_BUF_INIT;
        for (size_t i = 0; i < starting_set->count; i++)
            if (starting_set->items[i].kind == RT_KIND_LOGGER && starting_set->items[i].ctx != by)
                rt_buf_printf(&names, "%s%s", names.len ? ", " : "",
                              starting_set->items[i].spec->name);
        rt_fail(err, "%s '%s' (logger instances: %s)",
                inst ? "not a logger instance:" : "no instance named", name ? name : "",
                names.data ? names.data : "none");
        rt_buf_free(&names);
        return RATCHET_ERR;
    }
    if (inst->ctx == by || inst->starting)
        return rt_fail(err, "logger '%s' cannot wrap %s", name,
                       inst->ctx == by ? "itself" : "the logger that wraps it (a cycle)");
    if (inst->wrapped_by)
        return rt_fail(err, "logger '%s' is already wrapped by '%s'", name,
                       inst->wrapped_by->instance);
    *out = inst;
    return RATCHET_OK;
}

struct ratchet_logger_ref *rt_instances_wrap_logger(ratchet_ctx *by, const char *name,
                                                    const ratchet_node *at)
{
    rt_instance *inst = NULL;
    rt_error err;
    ratchet_status st = check_wrap(by, name, &inst, &err);
    if (st == RATCHET_OK) {
        inst->wrapped_by = by;
        if (inst->state == RT_INST_STARTED)
            rt_log_detach(inst->handle);
        else
            st = start_one(inst, &err);
    }
    if (st != RATCHET_OK) {
        rt_host_api()->set_error(by, "%s%s%s", at ? rt_node_where(at) : "", at ? ": " : "",
                                 err.msg);
        return NULL;
    }
    inst->ref.vt = inst->plugin->vtable[RT_KIND_LOGGER];
    inst->ref.handle = inst->handle;
    return &inst->ref;
}

ratchet_status rt_instances_start(rt_instance_set *set, rt_error *err)
{
    /* Executors and storage are created by their users (workers, the engine), which know
     * when and in which process they are needed; front ends once the engine is up. */
    return start_kind(set, RT_KIND_LOGGER, err);
}

ratchet_status rt_instances_start_frontends(rt_instance_set *set, rt_error *err)
{
    return start_kind(set, RT_KIND_FRONTEND, err);
}

void rt_instances_stop_frontends(rt_instance_set *set)
{
    for (size_t i = set->count; i-- > 0;) {
        rt_instance *inst = &set->items[i];
        if (inst->kind != RT_KIND_FRONTEND || inst->state != RT_INST_STARTED)
            continue;
        rt_log(RATCHET_LOG_DEBUG, "stopping instance '%s'", inst->spec->name);
        if (inst->life->stop)
            inst->life->stop(inst->handle);
        inst->state = RT_INST_STOPPED;
    }
}

size_t rt_instances_count_kind(const rt_instance_set *set, rt_kind kind)
{
    size_t n = 0;
    for (size_t i = 0; i < set->count; i++)
        n += set->items[i].kind == kind;
    return n;
}

/* stop() the started instances, in reverse order, that are (not) wrapped by another. */
static void stop_pass(rt_instance_set *set, int wrapped)
{
    for (size_t i = set->count; i-- > 0;) {
        rt_instance *inst = &set->items[i];
        if (inst->state != RT_INST_STARTED || !inst->wrapped_by != !wrapped)
            continue;
        rt_log(RATCHET_LOG_DEBUG, "stopping instance '%s'", inst->spec->name);
        if (inst->kind == RT_KIND_LOGGER && !inst->wrapped_by) {
            rt_log_flush();
            rt_log_detach(inst->handle);
        }
        if (inst->life->stop)
            inst->life->stop(inst->handle);
        inst->state = RT_INST_STOPPED;
    }
}

void rt_instances_shutdown(rt_instance_set *set)
{
    /* A wrapping logger drains into the one it wraps when it stops: that one stops after. */
    stop_pass(set, 0);
    stop_pass(set, 1);
    for (size_t i = set->count; i-- > 0;) {
        rt_instance *inst = &set->items[i];
        if (inst->state == RT_INST_CREATED || inst->state == RT_INST_STARTED ||
            inst->state == RT_INST_STOPPED)
            inst->life->destroy(inst->handle);
        inst->state = RT_INST_RESOLVED;
        inst->handle = NULL;
    }
}

void rt_instances_free(rt_instance_set *set)
{
    for (size_t i = 0; i < set->count; i++) {
        rt_config_free(set->items[i].cfg);
        rt_ctx_free(set->items[i].ctx);
    }
    free(set->items);
    memset(set, 0, sizeof *set);
}
