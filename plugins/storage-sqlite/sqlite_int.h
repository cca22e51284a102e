/*
 * sqlite_int.h - internals shared by the files of the storage-sqlite plugin.
 *
 * Files, one concern each:
 *   sqlite.c         descriptor, options, lifecycle, the vtable
 *   sqlite_db.c      connections (pool), pragmas, statement cache, transactions, error mapping
 *   sqlite_schema.c  versioned migrations (PRAGMA user_version)
 *   sqlite_tasks.c   task_sync, task_list, task_version_get
 *   sqlite_jobs.c    the queue's write side: submit, claim, renew, finish, requeue, cancel, retry
 *   sqlite_query.c   the read side: job/execution get and list, next_due, cancel requests
 *   sqlite_sched.c   schedules and delivery results
 *   sqlite_wait.c    wait()/notify(): the change counter, the inotify/poll watcher
 *   sqlite_prune.c   prune(): delete finished jobs, vacuum, checkpoint
 *   sqlite_where.c   lists of the query form (storage-common's rs_where) run on SQLite
 *   sqlite_logs.c    execution_logs: rows written by job_finish, read back as a list
 *   sqlite_keys.c    API keys: create, list, revoke, find by hash
 *   sqlite_stats.c   stats(): counts for statistics and metrics
 *   sqlite_counts.c  job_counts: the jobs by status, moved by each status change, added at commit
 *   sqlite_turn.c    fair turns at the write lock between processes (the `-turn` file)
 *
 * JSON in and out, times, UUIDs, the query form of lists and the records written from rows
 * are storage-common's (plugins/storage-common), shared with storage-postgres.
 *
 * Concurrency model. Connections are pooled per instance (opened on demand up to the
 * `connections` option) and each is used by one thread at a time, so they are opened with
 * SQLITE_OPEN_NOMUTEX. Writers of one process queue on `write_mu` before BEGIN IMMEDIATE: in
 * one process they wait on a mutex (no sleeping in SQLite's busy handler); only other
 * processes' writers meet SQLITE_BUSY, which our busy handler (sqlite_db.c) retries for up to
 * busy_timeout, asking for a turn (sqlite_turn.c). A function never holds two pooled
 * connections at once (the pool may have a single connection).
 *
 * Transactions begun with sq_acquire_begin run on one connection of their own, `writer`
 * (owned from sq_acquire_begin to sq_release under `writer_mu`), not on a pooled one: in WAL
 * mode a connection throws its whole page cache away when it finds that another connection
 * wrote since its last transaction, so writers taking turns on pooled connections re-read
 * every page they touch (pread calls in the profile of a submit); on one connection the
 * pages the queue's statements touch stay cached between transactions. Lock order: writer_mu
 * before write_mu; nothing waits on writer_mu while holding a pooled connection.
 */
#ifndef SQLITE_INT_H
#define SQLITE_INT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#include <json-c/json.h>

#include <ratchet/plugin.h>

/* storage-common, by path: tests and benchmarks compile these files without its target. */
#include "../storage-common/rs_calls.h"
#include "../storage-common/rs_docs.h"
#include "../storage-common/rs_json.h"
#include "../storage-common/rs_keys.h"
#include "../storage-common/rs_log_src.h"
#include "../storage-common/rs_out.h"
#include "../storage-common/rs_pool.h"
#include "../storage-common/rs_records.h"
#include "../storage-common/rs_sched.h"
#include "../storage-common/rs_where.h"

/* The host table, set by the entry function (sqlite.c). */
extern const ratchet_host_api *sq_host;

/* Statement slots of the per-connection cache. Each slot belongs to one call site, which
 * passes its SQL text on every use; the text is compiled on a connection's first use. */
typedef enum sq_slot {
    SQ_BEGIN,
    SQ_COMMIT,
    SQ_ROLLBACK,
    SQ_WAKE_BUMP,
    SQ_WAKE_READ,
    SQ_DATA_VERSION,
    /* tasks */
    SQ_TASK_FIND,
    SQ_TASK_INSERT,
    SQ_TASK_UPDATE,
    SQ_TV_FIND,
    SQ_TV_PROGRAM,
    SQ_TV_INSERT,
    SQ_TV_LATEST,
    SQ_TASK_LIST,
    SQ_TASK_SEQ,
    SQ_TASK_VERSIONS,
    SQ_TV_GET,
    /* jobs */
    SQ_JOB_IDEM,
    SQ_JOB_INSERT,
    SQ_CLAIM_SELECT,
    SQ_CLAIM_EXEC,
    SQ_CLAIM_JOB,
    SQ_RENEW,
    SQ_FIN_COMPLETED,
    SQ_FIN_RETRY,
    SQ_FIN_FAILED,
    SQ_FIN_CANCELLED,
    SQ_FIN_REQUEUE,
    SQ_FIN_EXEC,
    SQ_FIN_EXEC_DELETE,
    SQ_EXPIRED_SELECT,
    SQ_EXPIRED_EXEC,
    SQ_EXPIRED_JOB,
    SQ_JOB_STATUS,
    SQ_CANCEL_QUEUED,
    SQ_CANCEL_FLAG,
    SQ_JOB_RETRY,
    SQ_CANCEL_REQUESTS,
    SQ_NEXT_DUE,
    SQ_JOB_GET,
    SQ_EXEC_GET,
    /* schedules, deliveries, maintenance */
    SQ_SCHED_INSERT,
    SQ_SCHED_ENABLE,
    SQ_SCHED_REMOVE,
    SQ_SCHED_LIST,
    SQ_SCHED_DUE,
    SQ_SCHED_FIRE,
    SQ_DELIVERY_INSERT,
    SQ_PRUNE,
    /* since ABI 1.4 (lists of the query form are prepared per call, see sqlite_where.c) */
    SQ_TASK_ENABLE,
    SQ_SCHED_UPDATE,
    SQ_STATS_JOBS,
    SQ_STATS_EXECS,
    SQ_STATS_TASKS,
    SQ_STATS_SCHEDS,
    SQ_LOG_INSERT,
    SQ_EXEC_EXISTS,
    SQ_KEY_LIVE_NAME,
    SQ_KEY_INSERT,
    SQ_KEY_LIST,
    SQ_KEY_REVOKE_ID,
    SQ_KEY_REVOKE_NAME,
    SQ_KEY_FIND,
    SQ_KEY_TOUCH,
    /* since ABI 1.8 */
    SQ_SERVER_LOG_INSERT,
    SQ_SERVER_LOG_TRIM,
    SQ_SERVER_LOG_PRUNE,
    SQ_COUNT_ADD,
    SQ_SLOT_COUNT
} sq_slot;

/* A job's status, as job_counts keys it (sqlite_counts.c). */
typedef enum sq_job_status {
    SQ_JS_QUEUED,
    SQ_JS_PROCESSING,
    SQ_JS_COMPLETED,
    SQ_JS_FAILED,
    SQ_JS_CANCELLED,
    SQ_JS_RETRYING,
    SQ_JS_COUNT
} sq_job_status;

typedef struct sq_conn {
    sqlite3 *db;
    struct sq_inst *in; /* the instance that opened it */
    struct sq_conn *next_idle;
    int64_t busy_ms, busy_since_ns; /* the busy handler's limit and current wait */
    sqlite3_stmt *stmt[SQ_SLOT_COUNT];
    int64_t moved[SQ_JS_COUNT]; /* this transaction's job status changes, for job_counts */
    int is_writer;              /* the instance's `writer`: sq_release unlocks writer_mu */
    int in_begin, announced;    /* in sq_begin's BEGIN; waiting there said (sqlite_turn.c) */
} sq_conn;

typedef struct sq_inst {
    ratchet_ctx *ctx;
    /* options */
    char *path;           /* host-allocated; the file, or NULL when in memory */
    int memory;           /* 1: a private in-memory database (one connection) */
    int64_t busy_ms;      /* bound on waits for a lock, a writer or a pooled connection */
    const char *sync;     /* PRAGMA synchronous value: OFF, NORMAL or FULL */
    int incremental;      /* vacuum: incremental (auto_vacuum=INCREMENTAL at creation) */
    int page_size;        /* PRAGMA page_size of a new file */
    int64_t retention_ms; /* what prune(0) keeps; 0: everything */
    int64_t poll_ms;      /* the watcher's fallback poll (when inotify says nothing) */
    int pool_max;

    int started;

    /* connection pool */
    pthread_mutex_t pool_mu;
    pthread_cond_t pool_cv; /* CLOCK_MONOTONIC */
    sq_conn *idle;
    sq_conn **conns; /* every open pooled connection, for stop() */
    int nconns;

    /* one writer at a time per process (see the top of this file) */
    pthread_mutex_t write_mu;
    /* the connection of sq_acquire_begin (opened on first use; files only) and its owner */
    pthread_mutex_t writer_mu;
    sq_conn *writer;

    /* wake-ups (sqlite_wait.c): `gen` counts this process's changes and notify() calls;
     * the database's wakeups.seq counts every process's. `seen_*` is what the last claim
     * or wait() of this instance has already looked at (seen_seq only grows). */
    pthread_mutex_t wake_mu;
    pthread_cond_t wake_cv; /* CLOCK_MONOTONIC */
    uint64_t gen, seen_gen;
    int64_t seen_seq;
    uint64_t bumps, notified_bumps; /* changes this instance counted; as of the last notify */
    int stopping;

    /* the connection the watcher polls PRAGMA data_version on (files only), and what it
     * found: watch_* under watch_mu; pub_seq, the value waiters compare, under wake_mu */
    pthread_mutex_t watch_mu;
    sq_conn *watch;
    int64_t watch_dv, watch_seq;
    int64_t pub_seq;
    pthread_t watcher; /* started by the first wait(), see sqlite_wait.c */
    int watcher_running;
    int stop_pipe[2];

    /* task_list's last answer and the task_changes.seq it was read after (sqlite_tasks.c):
     * a submit resolves its task through task_list, and the list changes rarely. Under
     * tl_mu; tl_text host-allocated, NULL while none is kept. */
    pthread_mutex_t tl_mu;
    char *tl_text;
    size_t tl_len;
    int64_t tl_seq;

    /* the checkpoint thread and its connection (sqlite_ckpt.c; files only) */
    pthread_mutex_t ckpt_mu;
    pthread_cond_t ckpt_cv;
    pthread_mutex_t ckpt_run_mu; /* held while a checkpoint of this process runs */
    int ckpt_due, ckpt_stop;     /* under ckpt_mu */
    atomic_int ckpt_pages_seen;  /* the WAL's pages when the last checkpoint ended */
    sq_conn *ckpt;               /* NULL while the thread is not running */
    pthread_t ckpt_thread;

    /* turns at the write lock between processes (sqlite_turn.c): the `<path>-turn` file
     * (-1: none) and, after a waiter did not take its turn, when turns resume */
    int turn_fd;
    int64_t turn_paused_until_ns;
} sq_inst;

/* ---- sqlite_db.c ---------------------------------------------------------------------- */

int64_t sq_now_ms(void);
int64_t sq_mono_ms(void);
/* An absolute CLOCK_MONOTONIC time `ms` from now, for pthread_cond_timedwait on a condition
 * variable made by sq_cond_init (which uses that clock). */
struct timespec sq_deadline(int64_t ms);
ratchet_status sq_cond_init(pthread_cond_t *cv);

/* Open a connection with this instance's pragmas (not yet migrated). */
ratchet_status sq_open(sq_inst *in, sq_conn **out);
void sq_close(sq_conn *c);
/* Take a pooled connection (opening one when all are busy and the pool may grow; else
 * waiting up to busy_timeout: RATCHET_RETRY). Give it back with sq_release. */
ratchet_status sq_acquire(sq_inst *in, sq_conn **out);
void sq_release(sq_inst *in, sq_conn *c);
/* sq_acquire, then sq_begin on that connection; on failure nothing is held (*out NULL). */
ratchet_status sq_acquire_begin(sq_inst *in, sq_conn **out);
/* Close every pooled connection (stop()). */
void sq_pool_close(sq_inst *in);
/* Hand the page caches of the idle pooled connections back (sqlite3_db_release_memory), then
 * the freed heap to the system (malloc_trim): the watcher calls it once the database has been
 * quiet a while, so an idle server is as small as a fresh one. Any thread. */
void sq_pool_trim(sq_inst *in);

/* The cached statement of `slot` on c, compiled from `sql` on first use; NULL after
 * set_error. Reset it with sq_reset after use (ends its read transaction). */
sqlite3_stmt *sq_stmt(sq_inst *in, sq_conn *c, sq_slot slot, const char *sql);
void sq_reset(sqlite3_stmt *st);

/* Map a SQLite result code to a status and set_error: BUSY/LOCKED -> RATCHET_RETRY,
 * NOMEM -> RATCHET_NOMEM, everything else RATCHET_ERR with "<what>: <sqlite message>". */
ratchet_status sq_fail(sq_inst *in, sq_conn *c, int rc, const char *what);

/* BEGIN IMMEDIATE after taking write_mu (both bounded by busy_timeout). */
ratchet_status sq_begin(sq_inst *in, sq_conn *c);
ratchet_status sq_commit(sq_inst *in, sq_conn *c);
void sq_rollback(sq_inst *in, sq_conn *c);
/* Take / drop write_mu alone (PRAGMAs that write outside BEGIN: vacuum, checkpoint). */
ratchet_status sq_write_lock(sq_inst *in);
void sq_write_unlock(sq_inst *in);

/* Run a statement that returns no rows we need (e.g. PRAGMA); steps until done. */
ratchet_status sq_exec(sq_inst *in, sq_conn *c, const char *sql);
/* Step a bound cached statement that returns no rows once, then sq_reset it: RATCHET_OK when
 * it finished, else sq_fail(..., what). */
ratchet_status sq_step_done(sq_inst *in, sq_conn *c, sqlite3_stmt *st, const char *what);

/* job_counts (sqlite_counts.c). Every statement that changes jobs.status notes the change
 * (triggers count inserts and deletes); sq_commit adds the sums. sq_count_move ignores a
 * NULL or unchanged status. sq_step_moved steps an UPDATE ending in `RETURNING status` whose
 * rows all had status `from` before, notes each row's move, resets it, and sets *rows. */
void sq_count_add(sq_conn *c, sq_job_status status, int64_t n);
void sq_count_move(sq_conn *c, const char *from, const char *to);
ratchet_status sq_step_moved(sq_inst *in, sq_conn *c, sqlite3_stmt *st, const char *from,
                             const char *what, int *rows);
/* Write the sums noted since sq_begin into job_counts (sq_commit calls it). */
ratchet_status sq_counts_flush(sq_inst *in, sq_conn *c);

/* ---- sqlite_turn.c -------------------------------------------------------------------- */

/* Open / close `<path>-turn` (start / stop; nothing for an in-memory database). Without the
 * file, the functions below do nothing. */
void sq_turn_open(sq_inst *in);
void sq_turn_close(sq_inst *in);
/* Before BEGIN IMMEDIATE (write_mu held): while a writer of another process says it waits,
 * let it go first, for at most 50 ms. */
void sq_turn_give(sq_inst *in);
/* The busy handler of c's BEGIN IMMEDIATE: say that c waits (once); after the BEGIN
 * returned, withdraw. */
void sq_turn_announce(sq_conn *c);
void sq_turn_withdraw(sq_conn *c);

/* Bind helpers: NULL text binds SQL NULL. Text is SQLITE_STATIC: the statement must be reset
 * (sq_reset clears bindings) before the string goes away. */
int sq_bind_text(sqlite3_stmt *st, int i, const char *s);
int sq_bind_int(sqlite3_stmt *st, int i, int64_t v);
/* 0 binds NULL (for optional times and ids). */
int sq_bind_opt(sqlite3_stmt *st, int i, int64_t v);
/* Column text copied with host->strdup; NULL for SQL NULL (and on allocation failure, where
 * *oom is set). */
char *sq_col_dup(sqlite3_stmt *st, int i, int *oom);

/* ---- sqlite_schema.c ------------------------------------------------------------------ */

/* Bring the database to this build's schema version (idempotent; safe against another
 * process migrating at the same time); refuse a newer or a foreign database. */
ratchet_status sq_migrate(sq_inst *in, sq_conn *c);
/* The schema version this build writes. */
int sq_schema_version(void);

/* ---- rows for storage-common's emitters (sqlite_db.c) ------------------------------- */

/* Column readers over a stepped statement (rs_row.src is the sqlite3_stmt). */
extern const rs_row_ops sq_row_ops;
static inline rs_row sq_row(sqlite3_stmt *st)
{
    rs_row r = {&sq_row_ops, st, 0};
    return r;
}

/* Step st (bound by the caller) through its rows into a JSON array written by emit, then
 * sq_reset it; sq_fail(..., what) when stepping fails. */
ratchet_status sq_emit_rows(sq_inst *in, sq_conn *c, sqlite3_stmt *st, rs_emit_fn emit,
                            const char *what, ratchet_buf *out);
/* fn on a pooled connection (sq_ready first), or inside a write transaction of its own that
 * commits when fn succeeds and rolls back otherwise (no wake-ups). fn's status. */
ratchet_status sq_with_conn(void *inst, rs_conn_fn fn, void *arg);
ratchet_status sq_with_tx(void *inst, rs_conn_fn fn, void *arg);

/* ---- shared by jobs and schedules (sqlite_jobs.c) ------------------------------------- */

/* Insert one checked job inside the caller's transaction. */
ratchet_status sq_job_insert(sq_inst *in, sq_conn *c, const ratchet_job_submit *j, int64_t now,
                             int64_t schedule_id, int64_t *id, int *existed);
/* Append the JSON that emit() writes for the row `sql` (through the cached `slot`, id bound to
 * ?1) returns; NOTFOUND ("<kind> <id> does not exist") when there is none, sq_fail(..., what)
 * when reading fails. */
ratchet_status sq_emit_by_id(sq_inst *in, sq_conn *c, sq_slot slot, const char *sql, int64_t id,
                             const char *kind, const char *what, rs_emit_fn emit, ratchet_buf *out);
/* Append one job's JSON (job_get shape) using connection c. NOTFOUND when unknown. */
ratchet_status sq_job_emit(sq_inst *in, sq_conn *c, int64_t job_id, ratchet_buf *out);

/* ---- sqlite_where.c: lists of the query form (rs_where.h) ----------------------------- */

/* SQLite's LIKE (ASCII case-insensitive) and NULL order. */
extern const rs_dialect sq_dialect;
/* Append {items: [...], total} for q, reading on c. */
ratchet_status sq_query_run(sq_inst *in, sq_conn *c, const rs_list_spec *spec, const rs_query *q,
                            ratchet_buf *out);
/* A list call: parse, take a pooled connection, check the base, run, release. */
ratchet_status sq_query_list(sq_inst *in, const rs_list_spec *spec, const char *query_json,
                             int64_t base, ratchet_buf *out);

/* ---- sqlite_logs.c -------------------------------------------------------------------- */

/* Inside job_finish's transaction: one execution_logs row per entry of logs_json ([{level,
 * message, time?}]) and http_json ([{method, url, status, durationMs, time?, error?}]), in
 * time order, at most SQ_LOG_ROWS_MAX (the last row then says how many were left out).
 * Entries without a time get `fallback_ms`. Malformed entries are kept with what they have. */
#define SQ_LOG_ROWS_MAX 10000
ratchet_status sq_logs_record(sq_inst *in, sq_conn *c, int64_t execution_id, const char *logs_json,
                              const char *http_json, int64_t fallback_ms);
/* prune(): delete the server's events older than cutoff, in a transaction of its own. */
ratchet_status sq_server_logs_prune(sq_inst *in, sq_conn *c, int64_t cutoff);

/* ---- sqlite_wait.c -------------------------------------------------------------------- */

/* Inside a write transaction: count a change other processes' wait() should see. Returns
 * the new sequence number in *seq. */
ratchet_status sq_wake_bump(sq_inst *in, sq_conn *c, int64_t *seq);
/* End a write transaction that has status s so far: when s is RATCHET_OK, count a change (if
 * `changed`, into *seq) and commit; otherwise, or when that fails, roll back. Returns the final
 * status; the caller calls sq_wake_local(in, *seq) after success with a change. */
ratchet_status sq_commit_wake(sq_inst *in, sq_conn *c, ratchet_status s, int changed, int64_t *seq);
/* After the commit: wake this process's waiters (seq from sq_wake_bump). */
void sq_wake_local(sq_inst *in, int64_t seq);
/* Claims record what they saw, so a wait() after an empty claim sees later changes. */
uint64_t sq_wake_gen(sq_inst *in);
void sq_wake_seen(sq_inst *in, uint64_t gen, int64_t seq);
/* The wakeups sequence as of now (inside a transaction: its snapshot). */
ratchet_status sq_wake_read(sq_inst *in, sq_conn *c, int64_t *seq);

/* ---- sqlite_ckpt.c -------------------------------------------------------------------- */

ratchet_status sq_ckpt_init(sq_inst *in);
void sq_ckpt_destroy(sq_inst *in);
/* Route c's commits to the checkpoint thread instead of SQLite's inline checkpoint (files;
 * every connection sq_open makes). */
void sq_ckpt_attach(sq_inst *in, sq_conn *c);
ratchet_status sq_ckpt_start(sq_inst *in); /* opens its connection; after migration */
void sq_ckpt_stop(sq_inst *in);            /* before the pool closes */
/* Around a checkpoint run elsewhere (prune's TRUNCATE): none of this thread's runs meanwhile. */
void sq_ckpt_lock(sq_inst *in);
void sq_ckpt_unlock(sq_inst *in);

ratchet_status sq_wait_init(sq_inst *in);
void sq_wait_destroy(sq_inst *in);
ratchet_status sq_wait_start(sq_inst *in); /* opens the watch connection */
/* Stops the watcher, wakes every waiter, closes the watch connection. */
void sq_wait_stop(sq_inst *in);

/* ---- vtable entries, by file ---------------------------------------------------------- */

ratchet_status sqlite_task_sync(void *instance, const char *task_json, int64_t *tv_id,
                                int *created);
ratchet_status sqlite_task_list(void *instance, ratchet_buf *out);
ratchet_status sqlite_task_version_get(void *instance, int64_t tv_id, ratchet_buf *out);

ratchet_status sqlite_job_submit(void *instance, const ratchet_job_submit *jobs, size_t n,
                                 int64_t *ids, int *existed);
ratchet_status sqlite_job_claim(void *instance, const char *owner, int64_t now_ms, int64_t lease_ms,
                                ratchet_claimed_job *out, size_t max, size_t *n);
ratchet_status sqlite_job_renew(void *instance, const char *owner, int64_t now_ms,
                                int64_t lease_ms);
ratchet_status sqlite_job_finish(void *instance, const ratchet_job_finish *fins, size_t n,
                                 size_t *applied);
ratchet_status sqlite_job_requeue_expired(void *instance, int64_t now_ms, size_t *count);
ratchet_status sqlite_job_cancel(void *instance, int64_t job_id, ratchet_buf *out);
ratchet_status sqlite_job_retry(void *instance, int64_t job_id, int64_t now_ms, ratchet_buf *out);

ratchet_status sqlite_job_cancel_requests(void *instance, const char *owner, ratchet_buf *out);
ratchet_status sqlite_job_get(void *instance, int64_t job_id, ratchet_buf *out);
ratchet_status sqlite_job_list(void *instance, const char *filter_json, ratchet_buf *out);
ratchet_status sqlite_job_next_due(void *instance, int64_t now_ms, int64_t *at_ms);
ratchet_status sqlite_execution_get(void *instance, int64_t execution_id, ratchet_buf *out);
ratchet_status sqlite_execution_list(void *instance, const char *filter_json, ratchet_buf *out);

ratchet_status sqlite_schedule_add(void *instance, const char *schedule_json, int64_t *id);
ratchet_status sqlite_schedule_set_enabled(void *instance, int64_t id, int enabled,
                                           int64_t next_run_ms);
ratchet_status sqlite_schedule_remove(void *instance, int64_t id);
ratchet_status sqlite_schedule_list(void *instance, ratchet_buf *out);
ratchet_status sqlite_schedule_due(void *instance, int64_t now_ms, ratchet_buf *out);
ratchet_status sqlite_schedule_fire(void *instance, int64_t id, int64_t expected_next_ms,
                                    int64_t fired_ms, int64_t next_run_ms,
                                    const ratchet_job_submit *job, int64_t *job_id);
ratchet_status sqlite_delivery_record(void *instance, const char *delivery_json);

ratchet_status sqlite_prune(void *instance, int64_t older_than_ms, size_t *removed);

/* since ABI 1.4 */
ratchet_status sqlite_task_set_enabled(void *instance, const char *name, int enabled);
ratchet_status sqlite_schedule_update(void *instance, int64_t id, const char *patch_json,
                                      int64_t next_run_ms);
ratchet_status sqlite_stats(void *instance, const char *resource, int64_t now_ms, ratchet_buf *out);
ratchet_status sqlite_execution_logs(void *instance, int64_t execution_id, const char *query_json,
                                     ratchet_buf *out);
ratchet_status sqlite_key_create(void *instance, const char *key_json, int64_t *id);
ratchet_status sqlite_key_list(void *instance, ratchet_buf *out);
ratchet_status sqlite_key_revoke(void *instance, const char *ref, int64_t now_ms);
ratchet_status sqlite_key_find(void *instance, const char *hash, int64_t now_ms, ratchet_buf *out);
ratchet_status sqlite_log_append(void *instance, const char *events_json, int64_t max_rows);
ratchet_status sqlite_log_search(void *instance, const char *query_json, ratchet_buf *out);
ratchet_status sqlite_wait(void *instance, int64_t timeout_ms);
void sqlite_notify(void *instance);

/* Every vtable call starts here: RATCHET_ERR unless started. */
ratchet_status sq_ready(sq_inst *in);

#endif /* SQLITE_INT_H */
