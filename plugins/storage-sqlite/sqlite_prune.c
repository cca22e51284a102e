/*
 * sqlite_prune.c - prune(): delete finished jobs (their executions, execution log rows and
 * delivery results go with them) and the server's log events older than the cutoff, and give the space back: PRAGMA incremental_vacuum returns
 * free pages to the file system (files are created with auto_vacuum=INCREMENTAL unless
 * `vacuum: none`), and wal_checkpoint(TRUNCATE) empties the WAL, so the files really shrink.
 */
#include "sqlite_int.h"

/* Jobs are deleted in chunks, each its own transaction, so other writers get in between. */
#define SQ_PRUNE_CHUNK 1000

static ratchet_status prune_chunk(sq_inst *in, sq_conn *c, int64_t cutoff, size_t *n)
{
    ratchet_status s = sq_begin(in, c);
    if (s != RATCHET_OK)
        return s;
    /* Executions, their log rows and delivery results go with their job (ON DELETE CASCADE). */
    sqlite3_stmt *st = sq_stmt(in, c, SQ_PRUNE,
                               "DELETE FROM jobs WHERE id IN (SELECT id FROM jobs "
                               "WHERE completed_at < ?1 AND status IN ('completed', 'failed', "
                               "'cancelled') LIMIT ?2)");
    if (!st) {
        sq_rollback(in, c);
        return RATCHET_ERR;
    }
    sq_bind_int(st, 1, cutoff);
    sq_bind_int(st, 2, SQ_PRUNE_CHUNK);
    int rc = sqlite3_step(st);
    sq_reset(st);
    if (rc != SQLITE_DONE) {
        s = sq_fail(in, c, rc, "pruning jobs");
        sq_rollback(in, c);
        return s;
    }
    *n = (size_t)sqlite3_changes(c->db);
    return sq_commit(in, c);
}

/* Give freed pages back and shrink the WAL. Both write, so they queue like writers. */
static ratchet_status reclaim(sq_inst *in, sq_conn *c)
{
    ratchet_status s = RATCHET_OK;
    if (in->incremental) {
        if ((s = sq_write_lock(in)) != RATCHET_OK)
            return s;
        s = sq_exec(in, c, "PRAGMA incremental_vacuum");
        sq_write_unlock(in);
    }
    if (s == RATCHET_OK && !in->memory) {
        if ((s = sq_write_lock(in)) != RATCHET_OK)
            return s;
        /* Readers of other processes may hold the WAL open: then the checkpoint copies what
         * it can and the file shrinks at a later one; that is not an error. */
        sq_ckpt_lock(in);
        s = sq_exec(in, c, "PRAGMA wal_checkpoint(TRUNCATE)");
        sq_ckpt_unlock(in);
        sq_write_unlock(in);
    }
    return s;
}

static ratchet_status prune_run(sq_inst *in, int64_t older_than_ms, size_t *removed)
{
    *removed = 0;
    sq_conn *c = NULL;
    ratchet_status s = sq_acquire(in, &c);
    if (s != RATCHET_OK)
        return s;
    size_t n = SQ_PRUNE_CHUNK;
    while (s == RATCHET_OK && n == SQ_PRUNE_CHUNK) {
        n = 0;
        s = prune_chunk(in, c, older_than_ms, &n);
        *removed += n;
    }
    if (s == RATCHET_OK)
        s = sq_server_logs_prune(in, c, older_than_ms);
    if (s == RATCHET_OK)
        s = reclaim(in, c);
    sq_release(in, c);
    return s;
}

/* older_than_ms 0 applies the `retention` option (the engine's hourly call); retention 0
 * then keeps everything. */
ratchet_status sqlite_prune(void *instance, int64_t older_than_ms, size_t *removed)
{
    sq_inst *in = instance;
    *removed = 0;
    ratchet_status s = sq_ready(in);
    if (s != RATCHET_OK)
        return s;
    if (older_than_ms == 0) {
        if (in->retention_ms == 0)
            return RATCHET_OK;
        older_than_ms = sq_now_ms() - in->retention_ms;
    }
    return prune_run(in, older_than_ms, removed);
}
