/*
 * pg_prune.c - prune(): delete finished jobs; their executions, execution log rows and
 * delivery results go with them (ON DELETE CASCADE); and the server's log events older than
 * the cutoff.
 *
 * Deleted in chunks, each its own statement (and transaction), so that other hosts' writes
 * get in between and no transaction holds thousands of row locks. The space is reused by
 * later rows once autovacuum has seen the dead ones; nothing here vacuums (VACUUM cannot
 * run inside the pool's transactions, and autovacuum is the server's job).
 */
#include "pg_int.h"

#define PG_PRUNE_CHUNK 1000

static ratchet_status prune_run(pg_inst *in, int64_t cutoff, size_t *removed)
{
    pg_conn *c = NULL;
    ratchet_status s = pg_acquire(in, &c);
    if (s != RATCHET_OK)
        return s;
    int64_t n = PG_PRUNE_CHUNK;
    while (s == RATCHET_OK && n == PG_PRUNE_CHUNK) {
        pg_params p;
        pp_init(&p);
        pp_int(&p, cutoff);
        pp_int(&p, PG_PRUNE_CHUNK);
        n = 0;
        s = pg_run_cmd(in, c, PG_PRUNE,
                       "DELETE FROM jobs WHERE id IN (SELECT id FROM jobs "
                       "WHERE completed_at < $1 AND status IN ('completed', 'failed', "
                       "'cancelled') LIMIT $2 FOR UPDATE SKIP LOCKED)",
                       &p, "pruning jobs", &n);
        *removed += (size_t)n;
    }
    if (s == RATCHET_OK)
        s = pg_server_logs_prune(in, c, cutoff);
    pg_release(in, c);
    return s;
}

/* older_than_ms 0 applies the `retention` option (the engine's hourly call); retention 0
 * then keeps everything. */
ratchet_status pgs_prune(void *instance, int64_t older_than_ms, size_t *removed)
{
    pg_inst *in = instance;
    *removed = 0;
    ratchet_status s = pg_ready(in);
    if (s != RATCHET_OK)
        return s;
    if (older_than_ms == 0) {
        if (in->retention_ms == 0)
            return RATCHET_OK;
        older_than_ms = pg_now_ms() - in->retention_ms;
    }
    return prune_run(in, older_than_ms, removed);
}
