/*
 * pg_int.h - internals shared by the files of the storage-postgres plugin.
 *
 * Files, one concern each:
 *   pg.c          descriptor, options, lifecycle, the vtable
 *   pg_conn.c     connections (pool), prepared statements, transactions, error mapping,
 *                 the conninfo with its password masked for messages
 *   pg_migrate.c  versioned migrations, one transaction under an advisory lock
 *   pg_tasks.c    task_sync, task_list, task_version_get, task_set_enabled
 *   pg_jobs.c     the queue's write side: submit, claim, renew, requeue, cancel, retry
 *   pg_finish.c   job_finish: one statement per outcome, a batch in one round trip
 *   pg_query.c    the read side: job/execution get and list, next_due, cancel requests
 *   pg_where.c    lists of the query form (storage-common's rs_where) run on PostgreSQL
 *   pg_sched.c    schedules and delivery results
 *   pg_logs.c     execution_logs: rows written by job_finish, read back as a list
 *   pg_keys.c     API keys
 *   pg_stats.c    stats(): counts for statistics and metrics
 *   pg_prune.c    prune(): delete finished jobs in chunks
 *   pg_wait.c     wait()/notify(): LISTEN/NOTIFY on a dedicated connection, bounded poll
 *   pg_pipe.c     batches of statements in one round trip (libpq pipeline mode)
 *
 * JSON in and out, times, UUIDs, the query form of lists and the records written from rows
 * are storage-common's (plugins/storage-common), shared with storage-sqlite.
 *
 * The schema mirrors storage-sqlite's (same tables, columns and meaning), so that the two
 * answer every call with the same JSON: times are BIGINT milliseconds since the epoch, JSON
 * values are TEXT kept exactly as received (jsonb would reorder keys and change numbers).
 *
 * Concurrency model. A pool of up to `pool_size` connections per instance; each is used by
 * one thread at a time and a function never holds two. PostgreSQL does the rest: claims and
 * lease recovery lock rows with FOR UPDATE SKIP LOCKED, compare-and-set updates (finish,
 * schedule_fire) re-check their WHERE clause after waiting on a row lock (READ COMMITTED), so
 * several processes and hosts may share one database.
 */
#ifndef PG_INT_H
#define PG_INT_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include <libpq-fe.h>

#include <json-c/json.h>

#include <ratchet/plugin.h>

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

/* Longest schema name accepted: the notification channel "ratchet.<schema>" must stay an
 * identifier (63 bytes). */
#define PG_SCHEMA_MAX 48
/* The oldest server accepted (PQserverVersion form). */
#define PG_SERVER_MIN 130000

extern const ratchet_host_api *pg_host;

/* Prepared statement slots: each belongs to one call site, which passes its SQL on every use;
 * it is prepared on a connection's first use (named "r<slot>"). */
typedef enum pg_slot {
    PG_NOTIFY,
    /* tasks */
    PG_TASK_FIND,
    PG_TASK_INSERT,
    PG_TASK_UPDATE,
    PG_TV_FIND,
    PG_TV_PROGRAM,
    PG_TV_INSERT,
    PG_TV_VERSIONS_OF,
    PG_TASK_LIST,
    PG_TASK_SEQ,
    PG_TASK_VERSIONS,
    PG_TV_GET,
    PG_TASK_ENABLE,
    /* jobs */
    PG_JOB_INSERT,
    PG_JOB_BATCH,
    PG_JOB_IDEM,
    PG_CLAIM,
    PG_RENEW,
    PG_FIN_BATCH,
    PG_FIN_REQUEUE,
    PG_EXPIRED_SELECT,
    PG_EXPIRED_EXEC,
    PG_EXPIRED_JOB,
    PG_JOB_STATUS,
    PG_CANCEL_QUEUED,
    PG_CANCEL_FLAG,
    PG_JOB_RETRY,
    PG_CANCEL_REQUESTS,
    PG_NEXT_DUE,
    PG_JOB_GET,
    PG_EXEC_GET,
    /* schedules, deliveries, maintenance */
    PG_SCHED_INSERT,
    PG_SCHED_ENABLE,
    PG_SCHED_REMOVE,
    PG_SCHED_LIST,
    PG_SCHED_DUE,
    PG_SCHED_FIRE,
    PG_SCHED_UPDATE,
    PG_DELIVERY_INSERT,
    PG_PRUNE,
    PG_STATS_JOBS,
    PG_STATS_EXECS,
    PG_STATS_TASKS,
    PG_STATS_SCHEDS,
    PG_EXEC_EXISTS,
    PG_KEY_LIVE_NAME,
    PG_KEY_INSERT,
    PG_KEY_LIST,
    PG_KEY_REVOKE_ID,
    PG_KEY_REVOKE_NAME,
    PG_KEY_FIND,
    PG_KEY_TOUCH,
    /* since ABI 1.8 */
    PG_SERVER_LOG_APPEND,
    PG_SERVER_LOG_TRIM,
    PG_SERVER_LOG_PRUNE,
    PG_SLOT_COUNT
} pg_slot;

typedef struct pg_conn {
    PGconn *pg;
    struct pg_conn *next_idle;
    unsigned char prepared[PG_SLOT_COUNT];
    char state[6]; /* SQLSTATE of the last failed statement ("" after success) */
    int broken;    /* left in a state we cannot use (a pipeline not drained): reconnect */
} pg_conn;

typedef struct pg_inst {
    ratchet_ctx *ctx;
    /* options */
    char *url;   /* host-allocated; holds the password when the URL has one */
    char *where; /* "host:port/dbname" for messages, never the password */
    char schema[PG_SCHEMA_MAX + 1];
    char channel[PG_SCHEMA_MAX + 16]; /* "ratchet.<schema>" */
    int pool_max;
    int64_t connect_timeout_ms;
    int64_t statement_timeout_ms; /* 0: none */
    int64_t retention_ms;
    int64_t poll_ms;          /* wait()'s bound while no notification can arrive */
    int64_t requeue_grace_ms; /* leases count as expired this long after lease_until */
    int listen;               /* LISTEN/NOTIFY enabled */

    int started;

    /* connection pool */
    pthread_mutex_t pool_mu;
    pthread_cond_t pool_cv; /* CLOCK_MONOTONIC */
    pg_conn *idle;
    pg_conn **conns;
    int nconns;
    int64_t down_logged_ms; /* when "database unreachable" was last logged (rate limit) */

    /* wake-ups (pg_wait.c): `gen` counts changes seen (ours at commit, others' through
     * notifications) and notify() calls; seen_gen is what the last claim or wait() looked at */
    pthread_mutex_t wake_mu;
    pthread_cond_t wake_cv; /* CLOCK_MONOTONIC */
    uint64_t gen, seen_gen;
    uint64_t bumps, notified_bumps; /* changes this instance committed; as of the last notify */
    /* job_next_due's last answer (pg_query.c): valid while gen stays nd_gen */
    int nd_valid;
    uint64_t nd_gen;
    int64_t nd_now, nd_at;
    int stopping;
    int listening;    /* the listener holds a live LISTEN */
    int listen_tried; /* its first attempt ended (start() waits for it) */
    char token[40];   /* this instance's notification payload, skipped by its own listener */
    pthread_t listener;
    int listener_running;
    int stop_pipe[2];

    /* task_list's last answer and the task_changes.seq it was read at (pg_tasks.c). Under
     * tl_mu; tl_text host-allocated, NULL while none is kept. */
    pthread_mutex_t tl_mu;
    char *tl_text;
    size_t tl_len;
    int64_t tl_seq;
} pg_inst;

/* ---- pg_conn.c ------------------------------------------------------------------------- */

int64_t pg_now_ms(void);
int64_t pg_mono_ms(void);
struct timespec pg_deadline(int64_t ms);
ratchet_status pg_cond_init(pthread_cond_t *cv);

/* Parse the url option: check it and fill in->where (no password). */
ratchet_status pg_url_check(pg_inst *in);
/* Connect (timeouts, search_path, application_name). *out NULL on failure (set_error names
 * host and port, never the password; RATCHET_RETRY when the server cannot be reached). */
ratchet_status pg_open(pg_inst *in, PGconn **out);
ratchet_status pg_acquire(pg_inst *in, pg_conn **out);
void pg_release(pg_inst *in, pg_conn *c);
void pg_pool_close(pg_inst *in);

/* Positional text parameters of one statement. */
#define PG_MAX_PARAMS 16
typedef struct pg_params {
    int n;
    const char *v[PG_MAX_PARAMS];
    char num[PG_MAX_PARAMS][24];
} pg_params;

void pp_init(pg_params *p);
void pp_text(pg_params *p, const char *s); /* NULL: SQL NULL */
void pp_int(pg_params *p, int64_t v);
void pp_opt(pg_params *p, int64_t v); /* 0: SQL NULL */
void pp_bool(pg_params *p, int v);

/* Run the prepared statement of `slot` (prepared from `sql` on first use). *res receives
 * the result (PQclear it) when RATCHET_OK; on failure set_error with `what` and the status of
 * pg_fail. */
ratchet_status pg_run(pg_inst *in, pg_conn *c, pg_slot slot, const char *sql, const pg_params *p,
                      const char *what, PGresult **res);
/* pg_run, discarding the result; *changed (may be NULL) receives the affected row count. */
ratchet_status pg_run_cmd(pg_inst *in, pg_conn *c, pg_slot slot, const char *sql,
                          const pg_params *p, const char *what, int64_t *changed);
/* An unprepared statement (list queries, whose text varies). */
ratchet_status pg_run_text(pg_inst *in, pg_conn *c, const char *sql, const pg_params *p,
                           const char *what, PGresult **res);
/* A statement without parameters and results (BEGIN, DDL). */
ratchet_status pg_exec(pg_inst *in, pg_conn *c, const char *sql, const char *what);

/* Map a failed result (res may be NULL) to a status and set_error "<what>: ...". */
ratchet_status pg_fail(pg_inst *in, pg_conn *c, const PGresult *res, const char *what);
/* The SQLSTATE of a failed result, "" when none. */
const char *pg_sqlstate(const PGresult *res);

ratchet_status pg_begin(pg_inst *in, pg_conn *c);
ratchet_status pg_commit(pg_inst *in, pg_conn *c);
void pg_rollback(pg_inst *in, pg_conn *c);
/* pg_acquire + pg_begin; nothing held on failure. */
ratchet_status pg_acquire_begin(pg_inst *in, pg_conn **out);
/* End a transaction with status s: commit when OK (else roll back); returns the final one. */
ratchet_status pg_end(pg_inst *in, pg_conn *c, ratchet_status s);

/* Result values: integers (0 for NULL), text (NULL for NULL), a host-allocated copy. */
int64_t pg_int(const PGresult *r, int row, int col);
const char *pg_str(const PGresult *r, int row, int col);
int pg_isnull(const PGresult *r, int row, int col);
char *pg_dup(const PGresult *r, int row, int col, int *oom);

/* ---- pg_pipe.c: batches in pipeline mode ------------------------------------------------ */

#define PG_PIPE_MAX 160 /* commands per Sync (prepares included) */

typedef struct pg_pipe {
    pg_inst *in;
    pg_conn *c;
    ratchet_status st; /* the first failure */
    int failed;        /* the index of the command that failed first, -1 when none */
    int active;
    int n;
    unsigned char preparing[PG_SLOT_COUNT];
    struct {
        int slot, prepare;
        const char *what;
        int64_t rows;  /* affected or returned rows, after pg_pipe_run */
        int64_t value; /* the first column of the first row returned, 0 when none */
    } cmds[PG_PIPE_MAX];
} pg_pipe;

/* Enter pipeline mode on c (pp->st says whether that worked). */
void pg_pipe_init(pg_pipe *pp, pg_inst *in, pg_conn *c);
/* Queue the prepared statement of `slot` (prepared in the pipeline on first use); returns
 * the command's index (its row count lands in cmds[index].rows), -1 after a failure. The
 * parameters are copied at once. */
int pg_pipe_send(pg_pipe *pp, pg_slot slot, const char *sql, const pg_params *p, const char *what);
/* Queue a statement without parameters (BEGIN, COMMIT). */
int pg_pipe_send_text(pg_pipe *pp, const char *sql, const char *what);
/* Sync, read every result, leave pipeline mode. The first failure is returned (set_error);
 * a transaction it happened in is left failed (pg_release rolls it back). */
ratchet_status pg_pipe_run(pg_pipe *pp);

/* ---- pg_migrate.c ---------------------------------------------------------------------- */

ratchet_status pg_migrate(pg_inst *in, pg_conn *c);
int pg_schema_version(void);

/* ---- rows for storage-common's emitters (pg_conn.c) ----------------------------------- */

/* Column readers over row `row` of a result (rs_row.src is the PGresult). */
extern const rs_row_ops pg_row_ops;
static inline rs_row pg_row(const PGresult *res, int row)
{
    rs_row r = {&pg_row_ops, res, row};
    return r;
}
/* Append the rows of r as a JSON array written by emit; rs_out_done's status. */
ratchet_status pg_emit_rows(pg_inst *in, const PGresult *r, rs_emit_fn emit, ratchet_buf *out);
/* fn on a pooled connection (pg_ready first), or inside a transaction of its own on one that
 * commits when fn succeeds and rolls back otherwise (no wake-ups). fn's status. */
ratchet_status pg_with_conn(void *inst, rs_conn_fn fn, void *arg);
ratchet_status pg_with_tx(void *inst, rs_conn_fn fn, void *arg);
/* Semantic version order of two NUL-terminated versions (rs_version_cmp). */
int pg_version_cmp(const char *a, const char *b);

/* ---- shared by jobs and schedules (pg_jobs.c, pg_query.c) ------------------------------ */

/* Insert one checked job inside the caller's transaction. */
ratchet_status pg_job_insert(pg_inst *in, pg_conn *c, const ratchet_job_submit *j, int64_t now,
                             int64_t schedule_id, int64_t *id, int *existed);
/* Append one row's JSON written by emit; NOTFOUND "<kind> <id> does not exist". */
ratchet_status pg_emit_by_id(pg_inst *in, pg_conn *c, pg_slot slot, const char *sql, int64_t id,
                             const char *kind, const char *what, rs_emit_fn emit, ratchet_buf *out);
ratchet_status pg_job_emit(pg_inst *in, pg_conn *c, int64_t job_id, ratchet_buf *out);

/* ---- pg_where.c: lists of the query form (rs_where.h) --------------------------------- */

/* ILIKE (SQLite's LIKE ignores ASCII case), NULLs placed as SQLite places them, text in byte
 * order. */
extern const rs_dialect pg_dialect;
/* A list call: parse, take a pooled connection, count and read one snapshot, release. */
ratchet_status pg_query_list(pg_inst *in, const rs_list_spec *spec, const char *query_json,
                             int64_t base, ratchet_buf *out);

/* ---- pg_logs.c ------------------------------------------------------------------------- */

#define PG_LOG_ROWS_MAX 10000
/* The execution_logs rows of one attempt's logs_json and http_json as a JSON array of
 * {seq, time, kind, level, message, method, url, status, duration_ms}, in order, for
 * json_to_recordset; *rows stays empty (data NULL) when there are none. */
ratchet_status pg_logs_rows(pg_inst *in, const char *logs_json, const char *http_json,
                            int64_t fallback_ms, ratchet_buf *rows);
/* The statement that inserts those rows (given as `param`) for execution $2. */
#define PG_LOG_ROWS_SQL(param)                                                                     \
    "INSERT INTO execution_logs (execution_id, seq, time, kind, level, message, method, url, "     \
    "status, duration_ms) SELECT $2, r.seq, r.time, r.kind, r.level, r.message, r.method, "        \
    "r.url, r.status, r.duration_ms FROM json_to_recordset(" param "::json) AS r(seq bigint, "     \
    "time bigint, kind text, level text, message text, method text, url text, status bigint, "     \
    "duration_ms bigint)"

/* ---- pg_wait.c ------------------------------------------------------------------------- */

ratchet_status pg_wait_init(pg_inst *in);
void pg_wait_destroy(pg_inst *in);
ratchet_status pg_wait_start(pg_inst *in);
void pg_wait_stop(pg_inst *in);
/* Inside a write transaction: tell other processes (delivered at commit). */
ratchet_status pg_wake_tx(pg_inst *in, pg_conn *c);
/* End a write transaction that has status s: notify when changed, commit or roll back;
 * after a successful commit with a change, wake this process's waiters. */
ratchet_status pg_end_wake(pg_inst *in, pg_conn *c, ratchet_status s, int changed);
void pg_wake_local(pg_inst *in);
/* After committing a change that already notified other hosts: wake this process's waiters
 * and remember it (notify() then has nothing left to do). */
void pg_wake_changed(pg_inst *in);
uint64_t pg_wake_gen(pg_inst *in);
void pg_wake_seen(pg_inst *in, uint64_t gen, int claimed);

/* ---- vtable entries -------------------------------------------------------------------- */

ratchet_status pg_ready(pg_inst *in);

ratchet_status pgs_task_sync(void *instance, const char *task_json, int64_t *tv_id, int *created);
ratchet_status pgs_task_list(void *instance, ratchet_buf *out);
ratchet_status pgs_task_version_get(void *instance, int64_t tv_id, ratchet_buf *out);
ratchet_status pgs_task_set_enabled(void *instance, const char *name, int enabled);

ratchet_status pgs_job_submit(void *instance, const ratchet_job_submit *jobs, size_t n,
                              int64_t *ids, int *existed);
ratchet_status pgs_job_claim(void *instance, const char *owner, int64_t now_ms, int64_t lease_ms,
                             ratchet_claimed_job *out, size_t max, size_t *n);
ratchet_status pgs_job_renew(void *instance, const char *owner, int64_t now_ms, int64_t lease_ms);
ratchet_status pgs_job_finish(void *instance, const ratchet_job_finish *fins, size_t n,
                              size_t *applied);
ratchet_status pgs_job_requeue_expired(void *instance, int64_t now_ms, size_t *count);
ratchet_status pgs_job_cancel(void *instance, int64_t job_id, ratchet_buf *out);
ratchet_status pgs_job_retry(void *instance, int64_t job_id, int64_t now_ms, ratchet_buf *out);

ratchet_status pgs_job_cancel_requests(void *instance, const char *owner, ratchet_buf *out);
ratchet_status pgs_job_get(void *instance, int64_t job_id, ratchet_buf *out);
ratchet_status pgs_job_list(void *instance, const char *filter_json, ratchet_buf *out);
ratchet_status pgs_job_next_due(void *instance, int64_t now_ms, int64_t *at_ms);
ratchet_status pgs_execution_get(void *instance, int64_t execution_id, ratchet_buf *out);
ratchet_status pgs_execution_list(void *instance, const char *filter_json, ratchet_buf *out);

ratchet_status pgs_schedule_add(void *instance, const char *schedule_json, int64_t *id);
ratchet_status pgs_schedule_set_enabled(void *instance, int64_t id, int enabled,
                                        int64_t next_run_ms);
ratchet_status pgs_schedule_remove(void *instance, int64_t id);
ratchet_status pgs_schedule_list(void *instance, ratchet_buf *out);
ratchet_status pgs_schedule_due(void *instance, int64_t now_ms, ratchet_buf *out);
ratchet_status pgs_schedule_fire(void *instance, int64_t id, int64_t expected_next_ms,
                                 int64_t fired_ms, int64_t next_run_ms,
                                 const ratchet_job_submit *job, int64_t *job_id);
ratchet_status pgs_schedule_update(void *instance, int64_t id, const char *patch_json,
                                   int64_t next_run_ms);
ratchet_status pgs_delivery_record(void *instance, const char *delivery_json);

ratchet_status pgs_prune(void *instance, int64_t older_than_ms, size_t *removed);
ratchet_status pgs_stats(void *instance, const char *resource, int64_t now_ms, ratchet_buf *out);
ratchet_status pgs_execution_logs(void *instance, int64_t execution_id, const char *query_json,
                                  ratchet_buf *out);
ratchet_status pgs_key_create(void *instance, const char *key_json, int64_t *id);
ratchet_status pgs_key_list(void *instance, ratchet_buf *out);
ratchet_status pgs_key_revoke(void *instance, const char *ref, int64_t now_ms);
ratchet_status pgs_key_find(void *instance, const char *hash, int64_t now_ms, ratchet_buf *out);
ratchet_status pgs_log_append(void *instance, const char *events_json, int64_t max_rows);
ratchet_status pgs_log_search(void *instance, const char *query_json, ratchet_buf *out);
/* prune(): delete the server's events older than cutoff (pg_logs.c). */
ratchet_status pg_server_logs_prune(pg_inst *in, pg_conn *c, int64_t cutoff);
ratchet_status pgs_wait(void *instance, int64_t timeout_ms);
void pgs_notify(void *instance);

#endif /* PG_INT_H */
