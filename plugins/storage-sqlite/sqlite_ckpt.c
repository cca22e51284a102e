/*
 * sqlite_ckpt.c - WAL checkpoints on a thread of their own.
 *
 * SQLite's default copies the WAL back into the database file (and syncs it) inside the
 * commit that grows the WAL past 1000 pages. A job commits three times (submit, claim,
 * finish), so every few dozen jobs one HTTP request or one turn of the engine's loop paid for
 * a checkpoint: a latency spike of milliseconds, on the path a client waits on. Here a commit
 * only looks at the WAL's size (the WAL hook, which replaces the automatic checkpoint); past
 * SQ_CKPT_PAGES it wakes this thread, which runs a PASSIVE checkpoint on its own connection.
 * PASSIVE blocks neither readers nor writers and copies what no reader still needs; the next
 * writer restarts the WAL once a checkpoint has copied all of it. Durability is unchanged
 * (a commit is as durable in the WAL as before); the WAL is larger between checkpoints, and
 * pages written again and again (the right edge of the jobs indexes) are copied back fewer
 * times. prune() still truncates the WAL; the last connection to close checkpoints it all.
 *
 * Under steady load PASSIVE alone never lets the WAL restart: commits land while it copies,
 * so it never catches up, and the WAL grew without bound (700 MB after 20 s of synchronous
 * executes over HTTP), each checkpoint copying the hot pages again and syncing twice. So
 * the thread checkpoints when the WAL has grown SQ_CKPT_PAGES since its last checkpoint (not
 * on every commit past the mark), and when a PASSIVE one leaves more than SQ_CKPT_RESTART
 * pages it follows with a RESTART: writers wait (their busy handler) while it copies the
 * frames appended meanwhile, readers finish, and the next writer starts the WAL again from
 * its beginning. The wait is the copy of a few hundred pages, about a millisecond.
 *
 * Threading: the hook runs on whatever thread commits; it only sets a flag under ckpt_mu.
 * In-memory databases have no WAL: no thread.
 */
#include <string.h>
#include <sys/prctl.h>

#include "sqlite_int.h"

/* 16 MiB of WAL at the default 4 KiB page between checkpoints; a RESTART past 32 MiB. */
#define SQ_CKPT_PAGES   4000
#define SQ_CKPT_RESTART 8000

static int wal_hook(void *arg, sqlite3 *db, const char *name, int pages)
{
    (void)db;
    (void)name;
    sq_inst *in = arg;
    /* grown by SQ_CKPT_PAGES since the last checkpoint (or restarted since: smaller) */
    int since = pages - in->ckpt_pages_seen;
    if (pages >= SQ_CKPT_PAGES && (since >= SQ_CKPT_PAGES || since < 0)) {
        pthread_mutex_lock(&in->ckpt_mu);
        if (!in->ckpt_due) {
            in->ckpt_due = 1;
            pthread_cond_signal(&in->ckpt_cv);
        }
        pthread_mutex_unlock(&in->ckpt_mu);
    }
    return SQLITE_OK;
}

ratchet_status sq_ckpt_init(sq_inst *in)
{
    if (sq_cond_init(&in->ckpt_cv) != RATCHET_OK)
        return RATCHET_NOMEM;
    pthread_mutex_init(&in->ckpt_mu, NULL);
    pthread_mutex_init(&in->ckpt_run_mu, NULL);
    return RATCHET_OK;
}

void sq_ckpt_destroy(sq_inst *in)
{
    pthread_cond_destroy(&in->ckpt_cv);
    pthread_mutex_destroy(&in->ckpt_mu);
    pthread_mutex_destroy(&in->ckpt_run_mu);
}

/* SQLite runs one checkpoint at a time and answers another BUSY at once (no busy handler):
 * prune's TRUNCATE waits here for ours instead. */
void sq_ckpt_lock(sq_inst *in)
{
    pthread_mutex_lock(&in->ckpt_run_mu);
}

void sq_ckpt_unlock(sq_inst *in)
{
    pthread_mutex_unlock(&in->ckpt_run_mu);
}

void sq_ckpt_attach(sq_inst *in, sq_conn *c)
{
    if (!in->memory)
        sqlite3_wal_hook(c->db, wal_hook, in);
}

static void *ckpt_main(void *arg)
{
    sq_inst *in = arg;
    prctl(PR_SET_NAME, "sqlite-ckpt"); /* its name in top -H, ps -L and /proc */
    pthread_mutex_lock(&in->ckpt_mu);
    for (;;) {
        while (!in->ckpt_due && !in->ckpt_stop)
            pthread_cond_wait(&in->ckpt_cv, &in->ckpt_mu);
        if (in->ckpt_stop)
            break;
        in->ckpt_due = 0;
        pthread_mutex_unlock(&in->ckpt_mu);
        pthread_mutex_lock(&in->ckpt_run_mu);
        int log = 0, copied = 0;
        int rc = sqlite3_wal_checkpoint_v2(in->ckpt->db, NULL, SQLITE_CHECKPOINT_PASSIVE, &log,
                                           &copied);
        if (rc == SQLITE_OK && log > SQ_CKPT_RESTART)
            rc = sqlite3_wal_checkpoint_v2(in->ckpt->db, NULL, SQLITE_CHECKPOINT_RESTART, &log,
                                           &copied);
        if (rc == SQLITE_OK)
            in->ckpt_pages_seen = log;
        pthread_mutex_unlock(&in->ckpt_run_mu);
        /* BUSY: another process is checkpointing; the next commit past the mark asks again. */
        if (rc != SQLITE_OK && (rc & 0xff) != SQLITE_BUSY && sq_host->log_enabled(RATCHET_LOG_WARN))
            sq_host->log(in->ctx, RATCHET_LOG_WARN, "WAL checkpoint of %s failed: %s", in->path,
                         sqlite3_errmsg(in->ckpt->db));
        pthread_mutex_lock(&in->ckpt_mu);
    }
    pthread_mutex_unlock(&in->ckpt_mu);
    return NULL;
}

ratchet_status sq_ckpt_start(sq_inst *in)
{
    if (in->memory)
        return RATCHET_OK;
    ratchet_status s = sq_open(in, &in->ckpt);
    if (s != RATCHET_OK)
        return s;
    in->ckpt_stop = 0;
    int rc = pthread_create(&in->ckpt_thread, NULL, ckpt_main, in);
    if (rc != 0) {
        sq_close(in->ckpt);
        in->ckpt = NULL;
        sq_host->set_error(in->ctx, "cannot start the checkpoint thread: %s", strerror(rc));
        return RATCHET_ERR;
    }
    return RATCHET_OK;
}

void sq_ckpt_stop(sq_inst *in)
{
    if (!in->ckpt)
        return;
    pthread_mutex_lock(&in->ckpt_mu);
    in->ckpt_stop = 1;
    pthread_cond_signal(&in->ckpt_cv);
    pthread_mutex_unlock(&in->ckpt_mu);
    pthread_join(in->ckpt_thread, NULL);
    sq_close(in->ckpt);
    in->ckpt = NULL;
}
