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
    for (size_t i = 0; i < set->count; i++) {
        rt_instance *inst = &set->items[i];
        if (inst->state != RT_INST_CREATED)
            continue;
        rt_error_clear();
        if (inst->life->start && inst->life->start(inst->handle) != RATCHET_OK)
            return callback_failed(inst, "start", err);
        inst->state = RT_INST_STARTED;
        if (inst->kind == RT_KIND_LOGGER &&
            rt_log_attach(inst->plugin->vtable[RT_KIND_LOGGER], inst->handle) != RATCHET_OK)
            return rt_fail(err, "instance '%s': too many loggers", inst->spec->name);
        rt_log(RATCHET_LOG_DEBUG, "started instance '%s' (%s %s)", inst->spec->name,
               rt_kind_name(inst->kind), inst->plugin->desc->name);
    }
    return RATCHET_OK;
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

void rt_instances_shutdown(rt_instance_set *set)
{
    for (size_t i = set->count; i-- > 0;) {
        rt_instance *inst = &set->items[i];
        if (inst->state != RT_INST_STARTED)
            continue;
        rt_log(RATCHET_LOG_DEBUG, "stopping instance '%s'", inst->spec->name);
        if (inst->kind == RT_KIND_LOGGER) {
            rt_log_flush();
            rt_log_detach(inst->handle);
        }
        if (inst->life->stop)
            inst->life->stop(inst->handle);
        inst->state = RT_INST_STOPPED;
    }
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
