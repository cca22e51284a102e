/*
 * template_logger.c - "logger-template", a minimal Ratchet plugin to copy and adapt.
 *
 * It offers one kind, a logger: every log event of the process reaches it, and it appends
 * the ones at or above its `level` option to the file named by its `path` option, one line
 * each:
 *
 *     INFO host: ratchet serve: ready
 *
 * Everything a plugin needs is in <ratchet/plugin.h>. The plugin never links against the
 * host: the host hands it a table of services (ratchet_host_api) when it loads the .so, and
 * the plugin hands back a descriptor (ratchet_plugin_desc) saying what it offers. Build with
 * the Makefile next to this file; see README.md.
 *
 * To make your own: rename the `tpl_` prefix, change the name in `tpl_desc`, declare your
 * options in `tpl_options`, and fill in the four lifecycle callbacks and log().
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <ratchet/plugin.h>
#include <ratchet/logger_util.h> /* level names and options, helpers every logger wants */

/*
 * The host's service table, saved by the entry function. It stays valid until the process
 * exits, and every function in it may be called from any thread. Allocation, logging,
 * error reporting and reading options all go through it.
 */
static const ratchet_host_api *host;

/*
 * Options. The host reads the instance's `options:` mapping from ratchet.yaml, checks it
 * against this table (unknown keys, missing required ones, wrong types, values outside the
 * choices) and only then calls create(). So create() never has to validate types. The same
 * table is what `ratchet plugins describe logger-template` prints. End it with
 * RATCHET_OPT_END.
 */
static const ratchet_option tpl_options[] = {
    RATCHET_OPT_REQUIRED("path", RATCHET_OPT_PATH, "file the log lines are appended to"),
    RATCHET_OPT_LOG_LEVEL("info", "lowest level written to the file"),
    RATCHET_OPT_END,
};

/*
 * One instance. A plugin is loaded once per process, but ratchet.yaml may configure several
 * instances of it (each entry under `instances:`), each with its own options. All per-instance
 * state therefore lives in this struct, never in globals.
 */
typedef struct tpl_instance {
    ratchet_ctx *ctx;      /* the host's handle: pass it to host->log and set_error */
    const char *path;      /* option `path`; owned by the host, valid until destroy() */
    ratchet_log_level min; /* option `level` */
    FILE *out;             /* open between start() and stop() */
} tpl_instance;

static const char *const tpl_level_names[] = {"TRACE", "DEBUG", "INFO", "WARN", "ERROR"};

/*
 * create(): build the instance from its (already validated) options. Called on the host's
 * main thread, once per configured instance. Do not open files or start threads here; that
 * is start()'s job, so that a configuration error in a later instance leaves nothing to undo.
 * On failure, explain why with host->set_error(): the host prints the text after the
 * instance name, e.g. "instance tpl: ...".
 */
static ratchet_status tpl_create(ratchet_ctx *ctx, const ratchet_config *cfg, void **instance)
{
    tpl_instance *ti = host->calloc(1, sizeof *ti);

    if (ti == NULL)
        return RATCHET_NOMEM;
    ti->ctx = ctx;
    ti->path = host->cfg_string(cfg, "path");
    /* The fallback is unreachable: the host only accepts the declared choices. */
    ti->min = ratchet_log_level_parse(host->cfg_string(cfg, "level"), RATCHET_LOG_INFO);
    *instance = ti;
    return RATCHET_OK;
}

/* start(): take external resources. If it fails, the host calls destroy() but not stop(). */
static ratchet_status tpl_start(void *instance)
{
    tpl_instance *ti = instance;

    ti->out = fopen(ti->path, "a");
    if (ti->out == NULL) {
        host->set_error(ti->ctx, "cannot open %s: %s", ti->path, strerror(errno));
        return RATCHET_ERR;
    }
    return RATCHET_OK;
}

/* stop(): release what start() took. Must return promptly even if the outside world
 * misbehaves. After it, log() is not called again. */
static void tpl_stop(void *instance)
{
    tpl_instance *ti = instance;

    if (ti->out != NULL) {
        fclose(ti->out);
        ti->out = NULL;
    }
}

/* destroy(): free the instance. The host never uses the pointer afterwards. */
static void tpl_destroy(void *instance)
{
    host->free(instance);
}

/*
 * log(): one event. It may come from any thread, but the host never calls log() or flush()
 * twice at once for one instance, so no lock is needed here. The event and its strings are
 * only borrowed for this call. A logger cannot return an error: if writing fails, it reports
 * it with host->log() (the host sends that to stderr) and carries on.
 */
static void tpl_log(void *instance, const ratchet_log_event *event)
{
    tpl_instance *ti = instance;

    if (event->level < ti->min || (unsigned)event->level > RATCHET_LOG_ERROR)
        return;
    if (fprintf(ti->out, "%s %s: %s\n", tpl_level_names[event->level], event->source,
                event->message) < 0)
        host->log(ti->ctx, RATCHET_LOG_ERROR, "cannot write %s: %s", ti->path, strerror(errno));
    fflush(ti->out); /* so that `tail -f` and tests see each line at once */
}

/* flush(): make what was written durable. Optional: set the slot to NULL if not needed. */
static void tpl_flush(void *instance)
{
    tpl_instance *ti = instance;

    if (ti->out != NULL)
        fflush(ti->out);
}

/*
 * The logger vtable. Like every struct that crosses between host and plugin it starts with
 * a ratchet_abi header (ABI major, minor and the struct's size as compiled), which lets a
 * newer host load this plugin built against older headers: the host reads only the fields
 * that `struct_size` says are present. RATCHET_ABI_INIT fills it in; never write it by hand.
 */
static const ratchet_logger_vtable tpl_logger = {
    .abi = RATCHET_ABI_INIT(ratchet_logger_vtable),
    .life = {tpl_create, tpl_start, tpl_stop, tpl_destroy},
    .log = tpl_log,
    .flush = tpl_flush,
};

/*
 * The descriptor: who the plugin is and which kinds it offers (a vtable per kind, NULL for
 * the others). The name must be unique among loaded plugins and match [a-z0-9-]+; it is what
 * `plugin:` refers to in ratchet.yaml. It must stay valid until the process exits, hence
 * `static const`.
 */
static const ratchet_plugin_desc tpl_desc = {
    .abi = RATCHET_ABI_INIT(ratchet_plugin_desc),
    .name = "logger-template",
    .version = "0.1.0",
    .description = "template logger: LEVEL source: message lines appended to a file",
    .license = "MIT",
    .options = tpl_options,
    .logger = &tpl_logger,
};

/*
 * The entry function, the only symbol the .so exports (everything else is hidden by
 * -fvisibility=hidden from `pkg-config --cflags ratchet-plugin`). The host calls it once,
 * on its main thread, right after dlopen(). Keep the table and return the descriptor;
 * returning NULL refuses loading, e.g. if the host's ABI major is not the one this plugin
 * was written for.
 */
RATCHET_PLUGIN_ENTRY(logger_template)
{
    if (api->abi.abi_major != RATCHET_ABI_MAJOR)
        return NULL;
    host = api;
    return &tpl_desc;
}
