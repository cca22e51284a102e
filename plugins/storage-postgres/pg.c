/*
 * storage-postgres - the shared storage: tasks, the job queue, executions, schedules and
 * delivery results in a PostgreSQL database, so that several `ratchet serve` hosts share one
 * queue. The same calls and JSON as storage-sqlite (see pg_int.h for the files).
 *
 * Options:
 *   url               a libpq connection string ("host=db port=5432 dbname=ratchet user=r")
 *                     or URI ("postgresql://r@db:5432/ratchet"). The password may be in it,
 *                     in PGPASSWORD or in the password file (~/.pgpass); it is never logged
 *                     or echoed: messages name the server as host:port/dbname.
 *   schema            where the tables live (created on first start), [a-z_][a-z0-9_]*.
 *   pool_size         pooled connections per instance.
 *   connect_timeout   how long a connection attempt may take.
 *   statement_timeout the server cancels a statement running longer (0: no limit); the call
 *                     then returns RATCHET_RETRY with a message saying so.
 *   retention         what prune(0) deletes: finished jobs that ended longer ago (0 keeps all).
 *   notify            wake wait() through LISTEN/NOTIFY (a dedicated connection); off: poll.
 *   poll_interval     wait()'s bound while no notification can arrive (notify off, or the
 *                     listening connection down and reconnecting).
 *   requeue_grace     a lease counts as expired this long after its end: a margin for clocks
 *                     that differ between hosts.
 *
 * Needs PostgreSQL 13 or newer (checked at start) and libpq 14 or newer (pipeline mode).
 */
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "pg_int.h"

const ratchet_host_api *pg_host;

static int schema_name_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > PG_SCHEMA_MAX || (s[0] >= '0' && s[0] <= '9'))
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
            return 0;
    return 1;
}

static void inst_free(pg_inst *in)
{
    pg_host->free(in->conns);
    pg_host->free(in->url);
    pg_host->free(in->where);
    pg_host->free(in);
}

static ratchet_status pg_create(ratchet_ctx *ctx, const ratchet_config *cfg, void **out)
{
    pg_inst *in = pg_host->calloc(1, sizeof *in);
    if (!in) {
        pg_host->set_error(ctx, "out of memory");
        return RATCHET_NOMEM;
    }
    in->ctx = ctx;
    const char *schema = pg_host->cfg_string(cfg, "schema");
    if (!schema || !schema_name_ok(schema)) {
        pg_host->set_error(ctx,
                           "schema: '%s' is not a plain name (lower-case letters, digits and _, "
                           "not starting with a digit, at most %d characters)",
                           schema ? schema : "", PG_SCHEMA_MAX);
        pg_host->free(in);
        return RATCHET_ERR;
    }
    memcpy(in->schema, schema, strlen(schema) + 1);
    memcpy(in->channel, "ratchet.", 8);
    memcpy(in->channel + 8, schema, strlen(schema) + 1);
    in->pool_max = (int)pg_host->cfg_int(cfg, "pool_size");
    in->connect_timeout_ms = pg_host->cfg_int(cfg, "connect_timeout");
    in->statement_timeout_ms = pg_host->cfg_int(cfg, "statement_timeout");
    in->retention_ms = pg_host->cfg_int(cfg, "retention");
    in->poll_ms = pg_host->cfg_int(cfg, "poll_interval");
    in->requeue_grace_ms = pg_host->cfg_int(cfg, "requeue_grace");
    in->listen = pg_host->cfg_bool(cfg, "notify");
    in->url = pg_host->strdup(pg_host->cfg_string(cfg, "url"));
    in->conns = pg_host->calloc((size_t)in->pool_max, sizeof(pg_conn *));
    if (!in->url || !in->conns) {
        inst_free(in);
        pg_host->set_error(ctx, "out of memory");
        return RATCHET_NOMEM;
    }
    ratchet_status s = pg_url_check(in);
    if (s != RATCHET_OK) {
        inst_free(in);
        return s;
    }
    if (pg_cond_init(&in->pool_cv) != RATCHET_OK || pg_wait_init(in) != RATCHET_OK) {
        inst_free(in);
        pg_host->set_error(ctx, "out of memory");
        return RATCHET_NOMEM;
    }
    pthread_mutex_init(&in->pool_mu, NULL);
    pthread_mutex_init(&in->tl_mu, NULL);
    /* A payload that tells this instance's own notifications apart from other processes'. */
    unsigned char rnd[8] = {0};
    if (getrandom(rnd, sizeof rnd, 0) != (ssize_t)sizeof rnd)
        memset(rnd, 0x5a, sizeof rnd);
    ratchet_buf tok = RATCHET_BUF_INIT;
    if (pg_host->buf_printf(&tok, "%lld-%02x%02x%02x%02x%02x%02x%02x%02x", (long long)getpid(),
                            rnd[0], rnd[1], rnd[2], rnd[3], rnd[4], rnd[5], rnd[6],
                            rnd[7]) == RATCHET_OK)
        memcpy(in->token, tok.data, tok.len < sizeof in->token ? tok.len + 1 : 1);
    pg_host->buf_free(&tok);
    *out = in;
    return RATCHET_OK;
}

static ratchet_status pg_start(void *instance)
{
    pg_inst *in = instance;
    pg_conn *c = NULL;
    ratchet_status s = pg_acquire(in, &c);
    if (s != RATCHET_OK)
        return s;
    int version = PQserverVersion(c->pg);
    if (version < PG_SERVER_MIN) { /* gen_random_uuid() is built in from 13 on */
        pg_host->set_error(in->ctx,
                           "PostgreSQL at %s is version %d.%d; storage-postgres needs 13 or "
                           "newer",
                           in->where, version / 10000, version % 10000);
        pg_release(in, c);
        pg_pool_close(in);
        return RATCHET_ERR;
    }
    s = pg_migrate(in, c);
    pg_release(in, c);
    in->started = s == RATCHET_OK;
    if (s == RATCHET_OK && (s = pg_wait_start(in)) != RATCHET_OK)
        in->started = 0;
    if (s != RATCHET_OK) {
        pg_pool_close(in);
        return s;
    }
    if (pg_host->log_enabled(RATCHET_LOG_DEBUG))
        pg_host->log(in->ctx, RATCHET_LOG_DEBUG,
                     "PostgreSQL at %s, schema \"%s\" ready (version %d)", in->where, in->schema,
                     pg_schema_version());
    return RATCHET_OK;
}

static void pg_stop(void *instance)
{
    pg_inst *in = instance;
    if (!in->started)
        return;
    in->started = 0;
    pg_wait_stop(in);
    pg_pool_close(in);
}

static void pg_destroy(void *instance)
{
    pg_inst *in = instance;
    if (in->started)
        pg_stop(in);
    pg_wait_destroy(in);
    pthread_mutex_destroy(&in->pool_mu);
    pthread_cond_destroy(&in->pool_cv);
    pthread_mutex_destroy(&in->tl_mu);
    pg_host->free(in->tl_text);
    inst_free(in);
}

ratchet_status pg_ready(pg_inst *in)
{
    if (in->started)
        return RATCHET_OK;
    pg_host->set_error(in->ctx, "storage is not started");
    return RATCHET_ERR;
}

static const ratchet_option pg_options[] = {
    RATCHET_OPT_REQUIRED("url", RATCHET_OPT_STRING,
                         "libpq connection string or postgresql:// URI (the password may also "
                         "come from PGPASSWORD or ~/.pgpass; it is never logged)"),
    RATCHET_OPT("schema", RATCHET_OPT_STRING, "ratchet",
                "schema holding Ratchet's tables (created and migrated at start)"),
    RATCHET_OPT_RANGE("pool_size", RATCHET_OPT_INT, "4", 1, 64, "pooled connections per instance"),
    RATCHET_OPT_RANGE("connect_timeout", RATCHET_OPT_DURATION, "5s", 1000, 600000,
                      "how long a connection attempt may take"),
    RATCHET_OPT_RANGE("statement_timeout", RATCHET_OPT_DURATION, "30s", 0, 3600000,
                      "the server cancels a statement running longer (0: no limit)"),
    RATCHET_OPT_RANGE("retention", RATCHET_OPT_DURATION, "168h", 0, INT64_C(3153600000000),
                      "finished jobs older than this are deleted (hourly); 0 keeps them"),
    RATCHET_OPT("notify", RATCHET_OPT_BOOL, "true",
                "wake waiting hosts with LISTEN/NOTIFY (off: poll every poll_interval)"),
    RATCHET_OPT_RANGE("poll_interval", RATCHET_OPT_DURATION, "500ms", 1, 60000,
                      "latest time to notice other hosts' changes while notifications are "
                      "off or their connection is down"),
    RATCHET_OPT_RANGE("requeue_grace", RATCHET_OPT_DURATION, "0", 0, 3600000,
                      "expired leases are requeued this long after they end (clock skew "
                      "between hosts)"),
    RATCHET_OPT_END,
};

static const ratchet_storage_vtable pg_storage = {
    .abi = RATCHET_ABI_INIT(ratchet_storage_vtable),
    .life =
        {
            .create = pg_create,
            .start = pg_start,
            .stop = pg_stop,
            .destroy = pg_destroy,
        },
    .task_sync = pgs_task_sync,
    .task_list = pgs_task_list,
    .task_version_get = pgs_task_version_get,
    .job_submit = pgs_job_submit,
    .job_claim = pgs_job_claim,
    .job_renew = pgs_job_renew,
    .job_finish = pgs_job_finish,
    .job_requeue_expired = pgs_job_requeue_expired,
    .job_cancel = pgs_job_cancel,
    .job_retry = pgs_job_retry,
    .job_cancel_requests = pgs_job_cancel_requests,
    .job_get = pgs_job_get,
    .job_list = pgs_job_list,
    .job_next_due = pgs_job_next_due,
    .execution_get = pgs_execution_get,
    .execution_list = pgs_execution_list,
    .schedule_add = pgs_schedule_add,
    .schedule_set_enabled = pgs_schedule_set_enabled,
    .schedule_remove = pgs_schedule_remove,
    .schedule_list = pgs_schedule_list,
    .schedule_due = pgs_schedule_due,
    .schedule_fire = pgs_schedule_fire,
    .delivery_record = pgs_delivery_record,
    .prune = pgs_prune,
    .wait = pgs_wait,
    .notify = pgs_notify,
    .task_set_enabled = pgs_task_set_enabled,
    .schedule_update = pgs_schedule_update,
    .stats = pgs_stats,
    .execution_logs = pgs_execution_logs,
    .key_create = pgs_key_create,
    .key_list = pgs_key_list,
    .key_revoke = pgs_key_revoke,
    .key_find = pgs_key_find,
    .log_append = pgs_log_append,
    .log_search = pgs_log_search,
};

static const ratchet_plugin_desc pg_desc = {
    .abi = RATCHET_ABI_INIT(ratchet_plugin_desc),
    .name = "storage-postgres",
    .version = "1.0.0",
    .description = "tasks, job queue, executions and schedules in PostgreSQL, shared by "
                   "several hosts",
    .license = NULL,
    .options = pg_options,
    .storage = &pg_storage,
};

RATCHET_PLUGIN_ENTRY(storage_postgres)
{
    /* The 1.4 storage calls are all implemented; an older host cannot use this plugin. */
    if (api->abi.abi_major != RATCHET_ABI_MAJOR || api->abi.abi_minor < 4)
        return NULL;
    pg_host = api;
    rs_init(api);
    return &pg_desc;
}
