/*
 * storage-sqlite - the embedded storage: tasks, the job queue, executions, schedules and
 * delivery results in one SQLite file (WAL mode), shared by the threads of `ratchet serve` and
 * by other processes on the same host (`ratchet jobs submit` while serve runs).
 *
 * Options:
 *   path          the database file, relative to the configuration file's directory. The
 *                 value ":memory:" (exactly as written in YAML) selects a private in-memory
 *                 database: one connection, gone when the instance stops, invisible to other
 *                 processes (for tests and throwaway runs). The PATH type would resolve it
 *                 to "<dir>/:memory:", so the raw YAML value is checked, and a resolved path
 *                 whose last component is ":memory:" counts too.
 *   busy_timeout  how long a call waits for another process's write lock before giving up
 *                 with RATCHET_RETRY (also bounds waits for this process's writer and pool).
 *   synchronous   PRAGMA synchronous. "normal" in WAL mode loses at most the last
 *                 transactions on power loss, never consistency; "full" syncs every commit.
 *   retention     what prune(0) deletes: finished jobs (with their executions and delivery
 *                 results) that ended longer ago than this. The engine calls prune(0)
 *                 hourly; "0" keeps everything (an explicit cutoff still works).
 *   vacuum        "incremental": files are created with auto_vacuum=INCREMENTAL and prune()
 *                 returns freed pages to the file system; "none": freed pages are reused.
 *   page_size     the page size of a new file (an existing one keeps its own). Each commit
 *                 writes every page it changed to the WAL, with a checksum over each: a job's
 *                 three commits change a dozen index pages each, so smaller pages write and
 *                 checksum less (2 KiB: 8 % more synchronous executes than SQLite's 4 KiB
 *                 default in bench_http; big outputs take more overflow pages).
 *   connections   pooled connections per instance (readers run in parallel in WAL mode;
 *                 writers are serialised anyway, on one more connection of their own: see
 *                 sqlite_int.h).
 *   poll_interval the bound on cross-process wake-up latency: other processes' changes are
 *                 normally seen within a millisecond through inotify, at the latest after
 *                 this long (see sqlite_wait.c).
 */
#include <stdlib.h>
#include <string.h>

#include "sqlite_int.h"

const ratchet_host_api *sq_host;

#define SQ_MEMORY ":memory:"

static int is_memory_path(const ratchet_config *cfg)
{
    const char *raw = sq_host->node_scalar(sq_host->cfg_node(cfg, "path"));
    if (raw && strcmp(raw, SQ_MEMORY) == 0)
        return 1;
    const char *path = sq_host->cfg_string(cfg, "path");
    const char *slash = path ? strrchr(path, '/') : NULL;
    return path && strcmp(slash ? slash + 1 : path, SQ_MEMORY) == 0;
}

static ratchet_status sqlite_create(ratchet_ctx *ctx, const ratchet_config *cfg, void **out)
{
    sq_inst *in = sq_host->calloc(1, sizeof *in);
    if (!in) {
        sq_host->set_error(ctx, "out of memory");
        return RATCHET_NOMEM;
    }
    in->ctx = ctx;
    in->turn_fd = -1;
    in->memory = is_memory_path(cfg);
    if (!in->memory && !(in->path = sq_host->strdup(sq_host->cfg_string(cfg, "path"))))
        goto no_memory;
    in->busy_ms = sq_host->cfg_int(cfg, "busy_timeout");
    const char *sync = sq_host->cfg_string(cfg, "synchronous");
    in->sync = strcmp(sync, "off") == 0 ? "OFF" : strcmp(sync, "full") == 0 ? "FULL" : "NORMAL";
    in->incremental = strcmp(sq_host->cfg_string(cfg, "vacuum"), "incremental") == 0;
    in->page_size = atoi(sq_host->cfg_string(cfg, "page_size"));
    in->retention_ms = sq_host->cfg_int(cfg, "retention");
    in->poll_ms = sq_host->cfg_int(cfg, "poll_interval");
    /* One connection for memory: every connection to ":memory:" is a separate database. */
    in->pool_max = in->memory ? 1 : (int)sq_host->cfg_int(cfg, "connections");
    in->conns = sq_host->calloc((size_t)in->pool_max, sizeof(sq_conn *));
    if (!in->conns || sq_cond_init(&in->pool_cv) != RATCHET_OK)
        goto no_memory;
    if (sq_wait_init(in) != RATCHET_OK)
        goto no_wait;
    if (sq_ckpt_init(in) != RATCHET_OK)
        goto no_ckpt;
    pthread_mutex_init(&in->pool_mu, NULL);
    pthread_mutex_init(&in->write_mu, NULL);
    pthread_mutex_init(&in->writer_mu, NULL);
    pthread_mutex_init(&in->tl_mu, NULL);
    *out = in;
    return RATCHET_OK;

no_ckpt:
    sq_wait_destroy(in);
no_wait:
    pthread_cond_destroy(&in->pool_cv);
no_memory:
    sq_host->free(in->conns);
    sq_host->free(in->path);
    sq_host->free(in);
    sq_host->set_error(ctx, "out of memory");
    return RATCHET_NOMEM;
}

static ratchet_status sqlite_start(void *instance)
{
    sq_inst *in = instance;
    sq_conn *c = NULL;
    sq_turn_open(in);
    ratchet_status s = sq_acquire(in, &c);
    if (s != RATCHET_OK) {
        sq_turn_close(in);
        return s;
    }
    s = sq_migrate(in, c);
    sq_release(in, c);
    if (s == RATCHET_OK)
        s = sq_wait_start(in);
    if (s == RATCHET_OK && (s = sq_ckpt_start(in)) != RATCHET_OK)
        sq_wait_stop(in);
    if (s != RATCHET_OK) {
        sq_pool_close(in);
        sq_turn_close(in);
        return s;
    }
    in->started = 1;
    if (sq_host->log_enabled(RATCHET_LOG_DEBUG))
        sq_host->log(in->ctx, RATCHET_LOG_DEBUG, "database %s ready (schema %d)",
                     in->memory ? SQ_MEMORY : in->path, sq_schema_version());
    return RATCHET_OK;
}

static void sqlite_stop(void *instance)
{
    sq_inst *in = instance;
    if (!in->started)
        return;
    in->started = 0;
    sq_ckpt_stop(in);
    sq_wait_stop(in);
    sq_pool_close(in);
    sq_turn_close(in);
}

static void sqlite_destroy(void *instance)
{
    sq_inst *in = instance;
    if (in->started)
        sqlite_stop(in);
    sq_wait_destroy(in);
    sq_ckpt_destroy(in);
    pthread_mutex_destroy(&in->pool_mu);
    pthread_cond_destroy(&in->pool_cv);
    pthread_mutex_destroy(&in->write_mu);
    pthread_mutex_destroy(&in->writer_mu);
    pthread_mutex_destroy(&in->tl_mu);
    sq_host->free(in->tl_text);
    sq_host->free(in->conns);
    sq_host->free(in->path);
    sq_host->free(in);
}

ratchet_status sq_ready(sq_inst *in)
{
    if (in->started)
        return RATCHET_OK;
    sq_host->set_error(in->ctx, "storage is not started");
    return RATCHET_ERR;
}

static const ratchet_option sqlite_options[] = {
    RATCHET_OPT("path", RATCHET_OPT_PATH, "ratchet.db",
                "database file, relative to the configuration file; \":memory:\" for a "
                "private in-memory database"),
    RATCHET_OPT_RANGE("busy_timeout", RATCHET_OPT_DURATION, "5s", 0, 3600000,
                      "how long to wait for another process's write lock before RETRY"),
    RATCHET_OPT_ENUM("synchronous", "off|normal|full", "normal",
                     "PRAGMA synchronous: normal is durable except for the last commits on "
                     "power loss"),
    RATCHET_OPT_RANGE("retention", RATCHET_OPT_DURATION, "168h", 0, INT64_C(3153600000000),
                      "finished jobs older than this are deleted (hourly); 0 keeps them"),
    RATCHET_OPT_ENUM("vacuum", "incremental|none", "incremental",
                     "incremental: prune returns freed space to the file system (set when the "
                     "file is created)"),
    RATCHET_OPT_ENUM("page_size", "1024|2048|4096|8192|16384|32768|65536", "2048",
                     "page size in bytes of a new database file (an existing file keeps its "
                     "own); smaller pages make commits cheaper"),
    RATCHET_OPT_RANGE("connections", RATCHET_OPT_INT, "4", 1, 64,
                      "pooled database connections (parallel readers; writes have one more "
                      "of their own)"),
    RATCHET_OPT_RANGE("poll_interval", RATCHET_OPT_DURATION, "20ms", 1, 1000,
                      "latest time to notice other processes' changes (inotify is faster)"),
    RATCHET_OPT_END,
};

static const ratchet_storage_vtable sqlite_storage = {
    .abi = RATCHET_ABI_INIT(ratchet_storage_vtable),
    .life =
        {
            .create = sqlite_create,
            .start = sqlite_start,
            .stop = sqlite_stop,
            .destroy = sqlite_destroy,
        },
    .task_sync = sqlite_task_sync,
    .task_list = sqlite_task_list,
    .task_version_get = sqlite_task_version_get,
    .job_submit = sqlite_job_submit,
    .job_claim = sqlite_job_claim,
    .job_renew = sqlite_job_renew,
    .job_finish = sqlite_job_finish,
    .job_requeue_expired = sqlite_job_requeue_expired,
    .job_cancel = sqlite_job_cancel,
    .job_retry = sqlite_job_retry,
    .job_cancel_requests = sqlite_job_cancel_requests,
    .job_get = sqlite_job_get,
    .job_list = sqlite_job_list,
    .job_next_due = sqlite_job_next_due,
    .execution_get = sqlite_execution_get,
    .execution_list = sqlite_execution_list,
    .schedule_add = sqlite_schedule_add,
    .schedule_set_enabled = sqlite_schedule_set_enabled,
    .schedule_remove = sqlite_schedule_remove,
    .schedule_list = sqlite_schedule_list,
    .schedule_due = sqlite_schedule_due,
    .schedule_fire = sqlite_schedule_fire,
    .delivery_record = sqlite_delivery_record,
    .prune = sqlite_prune,
    .wait = sqlite_wait,
    .notify = sqlite_notify,
    .task_set_enabled = sqlite_task_set_enabled,
    .schedule_update = sqlite_schedule_update,
    .stats = sqlite_stats,
    .execution_logs = sqlite_execution_logs,
    .key_create = sqlite_key_create,
    .key_list = sqlite_key_list,
    .key_revoke = sqlite_key_revoke,
    .key_find = sqlite_key_find,
    .log_append = sqlite_log_append,
    .log_search = sqlite_log_search,
};

static const ratchet_plugin_desc sqlite_desc = {
    .abi = RATCHET_ABI_INIT(ratchet_plugin_desc),
    .name = "storage-sqlite",
    .version = "1.0.0",
    .description = "tasks, job queue, executions and schedules in an embedded SQLite file",
    .license = NULL,
    .options = sqlite_options,
    .storage = &sqlite_storage,
};

RATCHET_PLUGIN_ENTRY(storage_sqlite)
{
    /* The storage kind is ABI 1.2; an older host cannot use this plugin. */
    if (api->abi.abi_major != RATCHET_ABI_MAJOR || api->abi.abi_minor < 2)
        return NULL;
    sq_host = api;
    rs_init(api);
    return &sqlite_desc;
}
