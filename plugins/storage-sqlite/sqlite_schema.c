/*
 * sqlite_schema.c - the schema, as versioned migrations in code.
 *
 * The version is PRAGMA user_version (0: empty file); PRAGMA application_id marks the file as
 * Ratchet's so that another program's database is refused instead of written into. Each
 * migration runs in its own BEGIN IMMEDIATE transaction and re-reads the version inside it,
 * so two processes starting on a fresh file at once migrate it exactly once. A file from a
 * newer build (a higher version) is refused: an older build cannot know what it would break.
 *
 * Migrations are only ever appended. Times are integer milliseconds since the Unix epoch;
 * JSON values are stored as text exactly as received; STRICT tables check column types.
 */
#include <stdio.h>
#include <string.h>

#include "sqlite_int.h"

/* "RTCH" */
#define SQ_APPLICATION_ID 0x52544348

static const char *const migrations[] = {
    /* 1: the initial schema. */
    "CREATE TABLE tasks ("
    "  id INTEGER PRIMARY KEY,"
    "  uuid TEXT NOT NULL,"
    "  name TEXT NOT NULL UNIQUE,"
    "  description TEXT,"
    "  tags TEXT," /* JSON array */
    "  enabled INTEGER NOT NULL DEFAULT 1,"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL"
    ") STRICT;"
    "CREATE TABLE task_versions ("
    "  id INTEGER PRIMARY KEY,"
    "  task_id INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,"
    "  version TEXT NOT NULL,"
    "  uuid TEXT,"
    "  description TEXT,"
    "  metadata TEXT,"
    "  code TEXT NOT NULL,"
    "  input_schema TEXT,"
    "  output_schema TEXT,"
    "  checksum TEXT NOT NULL,"
    "  source TEXT,"
    "  created_at INTEGER NOT NULL,"
    "  UNIQUE (task_id, version)"
    ") STRICT;"
    "CREATE TABLE schedules ("
    "  id INTEGER PRIMARY KEY,"
    "  uuid TEXT NOT NULL,"
    "  name TEXT NOT NULL UNIQUE,"
    "  task_name TEXT NOT NULL,"
    "  task_version TEXT," /* NULL: the latest version when it fires */
    "  cron TEXT NOT NULL,"
    "  timezone TEXT NOT NULL DEFAULT 'UTC',"
    "  input TEXT NOT NULL DEFAULT '{}',"
    "  enabled INTEGER NOT NULL DEFAULT 1,"
    "  catch_up TEXT NOT NULL DEFAULT 'once' CHECK (catch_up IN ('once', 'skip')),"
    "  next_run_at INTEGER NOT NULL DEFAULT 0,"
    "  last_run_at INTEGER,"
    "  run_count INTEGER NOT NULL DEFAULT 0,"
    "  meta TEXT,"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL"
    ") STRICT;"
    "CREATE INDEX schedules_due ON schedules (next_run_at) WHERE enabled = 1;"
    /* jobs.execution_id is the latest attempt's execution; not a foreign key, because
     * executions already reference jobs and a cycle would complicate deletes. */
    "CREATE TABLE jobs ("
    "  id INTEGER PRIMARY KEY,"
    "  uuid TEXT NOT NULL,"
    "  task_id INTEGER NOT NULL,"
    "  task_version_id INTEGER NOT NULL REFERENCES task_versions(id),"
    "  schedule_id INTEGER REFERENCES schedules(id) ON DELETE SET NULL,"
    "  status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'processing', "
    "    'completed', 'failed', 'cancelled', 'retrying')),"
    "  priority INTEGER NOT NULL DEFAULT 2 CHECK (priority BETWEEN 1 AND 4),"
    "  input TEXT NOT NULL,"
    "  output TEXT,"
    "  error TEXT,"
    "  meta TEXT,"
    "  attempts INTEGER NOT NULL DEFAULT 0," /* attempts started (claims), see sqlite_jobs.c */
    "  max_retries INTEGER NOT NULL DEFAULT 0,"
    "  retry_base_ms INTEGER NOT NULL DEFAULT 0,"
    "  retry_max_ms INTEGER NOT NULL DEFAULT 0,"
    "  idempotency_key TEXT,"
    "  execution_id INTEGER,"
    "  lease_owner TEXT,"
    "  lease_until INTEGER,"
    "  cancel_requested INTEGER NOT NULL DEFAULT 0,"
    "  queued_at INTEGER NOT NULL,"
    "  process_at INTEGER NOT NULL,"
    "  started_at INTEGER,"
    "  completed_at INTEGER"
    ") STRICT;"
    /* Claim order, for ready jobs only: a partial index keeps finished jobs out of the hot
     * path, and process_at in the key lets the not-yet-due be skipped without the table. */
    "CREATE INDEX jobs_ready ON jobs (priority DESC, queued_at, id, process_at)"
    "  WHERE status IN ('queued', 'retrying');"
    "CREATE INDEX jobs_due ON jobs (process_at) WHERE status IN ('queued', 'retrying');"
    /* Also serves the lease queries (renew, requeue, cancel requests) through its
     * 'processing' range, which is as small as the number of running jobs. */
    "CREATE INDEX jobs_status ON jobs (status, id);"
    "CREATE INDEX jobs_task ON jobs (task_id, id);"
    "CREATE INDEX jobs_schedule ON jobs (schedule_id) WHERE schedule_id IS NOT NULL;"
    "CREATE UNIQUE INDEX jobs_idempotency ON jobs (idempotency_key)"
    "  WHERE idempotency_key IS NOT NULL;"
    "CREATE TABLE executions ("
    "  id INTEGER PRIMARY KEY,"
    "  uuid TEXT NOT NULL,"
    "  job_id INTEGER REFERENCES jobs(id) ON DELETE CASCADE,"
    "  task_id INTEGER NOT NULL,"
    "  task_version_id INTEGER NOT NULL,"
    "  attempt INTEGER NOT NULL DEFAULT 1,"
    "  status TEXT NOT NULL DEFAULT 'running' CHECK (status IN ('pending', 'running', "
    "    'completed', 'failed', 'cancelled')),"
    "  input TEXT," /* NULL: the job's input (not copied per attempt) */
    "  output TEXT,"
    "  error TEXT,"
    "  logs TEXT,"
    "  http TEXT,"
    "  started_at INTEGER,"
    "  completed_at INTEGER,"
    "  duration_ms INTEGER"
    ") STRICT;"
    "CREATE INDEX executions_job ON executions (job_id);"
    "CREATE INDEX executions_status ON executions (status, id);"
    "CREATE INDEX executions_task ON executions (task_id, id);"
    "CREATE TABLE delivery_results ("
    "  id INTEGER PRIMARY KEY,"
    "  job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,"
    "  execution_id INTEGER REFERENCES executions(id) ON DELETE CASCADE,"
    "  destination_type TEXT NOT NULL,"
    "  destination TEXT,"
    "  success INTEGER NOT NULL,"
    "  attempts INTEGER NOT NULL DEFAULT 1,"
    "  duration_ms INTEGER,"
    "  response_status INTEGER,"
    "  error TEXT,"
    "  created_at INTEGER NOT NULL"
    ") STRICT;"
    "CREATE INDEX delivery_results_job ON delivery_results (job_id);"
    "CREATE INDEX delivery_results_execution ON delivery_results (execution_id);"
    /* One row counting committed changes to jobs and schedules: wait() in other processes
     * watches it (see sqlite_wait.c). */
    "CREATE TABLE wakeups (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL) STRICT;"
    "INSERT INTO wakeups (id, seq) VALUES (1, 0);",
    /* 2: a version's compiled program ({compiler, code, modules, map}, JSON), derived from its
     * code: filled when the version is stored, refreshed by a newer compiler. */
    "ALTER TABLE task_versions ADD COLUMN program TEXT;",
    /* 3: what the API front ends need. Console lines and fetch calls one row per entry (the
     * executions.logs/http columns stay, as written before); API keys, stored hashed, a name
     * naming one live key at a time; indexes for the query form's filters and sorts. */
    "CREATE TABLE execution_logs ("
    "  id INTEGER PRIMARY KEY,"
    "  execution_id INTEGER NOT NULL REFERENCES executions(id) ON DELETE CASCADE,"
    "  seq INTEGER NOT NULL," /* 1, 2, ... in the order of the attempt */
    "  time INTEGER,"
    "  kind TEXT NOT NULL CHECK (kind IN ('log', 'fetch')),"
    "  level TEXT,"
    "  message TEXT,"
    "  method TEXT,"
    "  url TEXT,"
    "  status INTEGER,"
    "  duration_ms INTEGER"
    ") STRICT;"
    "CREATE UNIQUE INDEX execution_logs_seq ON execution_logs (execution_id, seq);"
    "CREATE TABLE api_keys ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL,"
    "  scope TEXT NOT NULL CHECK (scope IN ('read', 'write', 'admin')),"
    "  hash TEXT NOT NULL UNIQUE," /* hex SHA-256 of the secret */
    "  prefix TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL,"
    "  last_used_at INTEGER,"
    "  revoked_at INTEGER"
    ") STRICT;"
    "CREATE UNIQUE INDEX api_keys_live_name ON api_keys (name) WHERE revoked_at IS NULL;"
    "CREATE INDEX jobs_priority ON jobs (priority, id);"
    "CREATE INDEX jobs_queued_at ON jobs (queued_at);"
    "CREATE INDEX jobs_completed_at ON jobs (completed_at) WHERE completed_at IS NOT NULL;"
    "CREATE INDEX executions_started_at ON executions (started_at);",
    /* 4: a counter of changes to tasks and task versions, by any process, so that task_list
     * can answer from memory while nothing changed (sqlite_tasks.c). */
    "CREATE TABLE task_changes ("
    "  id INTEGER PRIMARY KEY CHECK (id = 1),"
    "  seq INTEGER NOT NULL"
    ") STRICT;"
    "INSERT INTO task_changes (id, seq) VALUES (1, 1);"
    "CREATE TRIGGER tasks_insert_changes AFTER INSERT ON tasks"
    "  BEGIN UPDATE task_changes SET seq = seq + 1 WHERE id = 1; END;"
    "CREATE TRIGGER tasks_update_changes AFTER UPDATE ON tasks"
    "  BEGIN UPDATE task_changes SET seq = seq + 1 WHERE id = 1; END;"
    "CREATE TRIGGER tasks_delete_changes AFTER DELETE ON tasks"
    "  BEGIN UPDATE task_changes SET seq = seq + 1 WHERE id = 1; END;"
    "CREATE TRIGGER task_versions_insert_changes AFTER INSERT ON task_versions"
    "  BEGIN UPDATE task_changes SET seq = seq + 1 WHERE id = 1; END;"
    "CREATE TRIGGER task_versions_update_changes AFTER UPDATE ON task_versions"
    "  BEGIN UPDATE task_changes SET seq = seq + 1 WHERE id = 1; END;"
    "CREATE TRIGGER task_versions_delete_changes AFTER DELETE ON task_versions"
    "  BEGIN UPDATE task_changes SET seq = seq + 1 WHERE id = 1; END;",
    /* 5: the job's W3C trace id (the engine keeps it in meta.traceId), as a column computed
     * from meta, so that the job record shows it and jobs can be found by trace. */
    "ALTER TABLE jobs ADD COLUMN trace_id TEXT GENERATED ALWAYS AS "
    "  (CASE WHEN json_valid(meta) THEN json_extract(meta, '$.traceId') END) VIRTUAL;"
    "CREATE INDEX jobs_trace_id ON jobs (trace_id) WHERE trace_id IS NOT NULL;",
    /* 6: error analysis and finding events. What the engine found when an execution failed
     * (matched error patterns, system state: JSON); the server's own log events, kept for
     * `logs search` (bounded by count and pruned with the rest); execution log lines by time
     * for the same search. */
    "ALTER TABLE executions ADD COLUMN analysis TEXT;"
    "CREATE TABLE server_logs ("
    "  id INTEGER PRIMARY KEY,"
    "  time INTEGER NOT NULL,"
    "  level TEXT NOT NULL,"
    "  source TEXT NOT NULL,"
    "  message TEXT NOT NULL,"
    "  fields TEXT,"
    "  trace_id TEXT,"
    "  job_id INTEGER,"
    "  execution_id INTEGER,"
    "  task_name TEXT"
    ") STRICT;"
    "CREATE INDEX server_logs_time ON server_logs (time);"
    "CREATE INDEX execution_logs_time ON execution_logs (time);" RS_LOG_EVENTS_VIEW ";",
    /* 7: a queue that stays as fast with a million jobs kept (issue 16). The jobs by status,
     * kept by triggers, so that a list's total on the status alone (and `jobs wait`'s count
     * of what is pending) is a sum of six rows instead of a count of every matching row; and
     * the running jobs by lease, so that renew, expired leases and cancel requests read only
     * the running jobs: on jobs_status the planner's statistics (a million finished jobs, a
     * few statuses) make 'processing' look like a third of the table, and it scans it all. */
    "CREATE TABLE job_counts ("
    "  status TEXT PRIMARY KEY,"
    "  n INTEGER NOT NULL"
    ") STRICT, WITHOUT ROWID;"
    "INSERT INTO job_counts (status, n) VALUES ('queued', 0), ('processing', 0), "
    "  ('completed', 0), ('failed', 0), ('cancelled', 0), ('retrying', 0);"
    "UPDATE job_counts SET n = (SELECT count(*) FROM jobs WHERE jobs.status = job_counts.status);"
    "CREATE TRIGGER jobs_count_insert AFTER INSERT ON jobs"
    "  BEGIN UPDATE job_counts SET n = n + 1 WHERE status = NEW.status; END;"
    "CREATE TRIGGER jobs_count_delete AFTER DELETE ON jobs"
    "  BEGIN UPDATE job_counts SET n = n - 1 WHERE status = OLD.status; END;"
    "CREATE TRIGGER jobs_count_update AFTER UPDATE OF status ON jobs"
    "  WHEN OLD.status <> NEW.status BEGIN"
    "  UPDATE job_counts SET n = n - 1 WHERE status = OLD.status;"
    "  UPDATE job_counts SET n = n + 1 WHERE status = NEW.status; END;"
    "CREATE INDEX jobs_leased ON jobs (lease_owner, lease_until) WHERE status = 'processing';",
    /* 8: status changes counted by the plugin (sqlite_counts.c), a sum per transaction, instead
     * of two UPDATEs in a trigger for each claim and each finish. */
    "DROP TRIGGER jobs_count_update;",
};

#define MIGRATION_COUNT ((int)(sizeof migrations / sizeof *migrations))

int sq_schema_version(void)
{
    return MIGRATION_COUNT;
}

/*
 * The file's version, application id and table count, read by ONE statement so that they come
 * from one snapshot. Read one by one, another process's first migration could commit between
 * two reads (user_version 0, then its tables) and the file would look like someone else's.
 */
static ratchet_status read_header(sq_inst *in, sq_conn *c, int64_t *version, int64_t *app,
                                  int64_t *tables)
{
    static const char sql[] = "SELECT (SELECT user_version FROM pragma_user_version),"
                              " (SELECT application_id FROM pragma_application_id),"
                              " (SELECT count(*) FROM sqlite_schema WHERE type = 'table')";
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(c->db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    ratchet_status s = RATCHET_OK;
    if (rc == SQLITE_ROW) {
        *version = sqlite3_column_int64(st, 0);
        *app = sqlite3_column_int64(st, 1);
        *tables = sqlite3_column_int64(st, 2);
    } else {
        s = sq_fail(in, c, rc, sql);
    }
    sqlite3_finalize(st);
    return s;
}

/* The file's version, and whether it belongs to someone else. */
static ratchet_status check_file(sq_inst *in, sq_conn *c, int64_t *version)
{
    int64_t app = 0, tables = 0;
    const char *where = in->memory ? ":memory:" : in->path;
    ratchet_status s = read_header(in, c, version, &app, &tables);
    if (s != RATCHET_OK)
        return s;
    if ((app != 0 && app != SQ_APPLICATION_ID) || (*version == 0 && tables > 0)) {
        sq_host->set_error(in->ctx,
                           "database %s is not a Ratchet database (it holds other tables); "
                           "point `path` at a new file",
                           where);
        return RATCHET_ERR;
    }
    if (*version > MIGRATION_COUNT) {
        sq_host->set_error(in->ctx,
                           "database %s has schema version %lld, newer than this "
                           "storage-sqlite understands (%d); use the Ratchet build that "
                           "wrote it, or a newer one",
                           where, (long long)*version, MIGRATION_COUNT);
        return RATCHET_ERR;
    }
    return RATCHET_OK;
}

static ratchet_status apply(sq_inst *in, sq_conn *c, int target)
{
    ratchet_status s = sq_begin(in, c);
    if (s != RATCHET_OK)
        return s;
    int64_t version = 0;
    /* Re-read under the write lock: another process may have migrated meanwhile. */
    s = check_file(in, c, &version);
    if (s == RATCHET_OK && version < target) {
        char *msg = NULL;
        int rc = sqlite3_exec(c->db, migrations[target - 1], NULL, NULL, &msg);
        if (rc != SQLITE_OK) {
            sq_host->set_error(in->ctx, "schema migration %d failed: %s", target,
                               msg ? msg : sqlite3_errstr(rc));
            s = (rc & 0xff) == SQLITE_BUSY ? RATCHET_RETRY : RATCHET_ERR;
        }
        sqlite3_free(msg);
        char sql[96];
        snprintf(sql, sizeof sql, "PRAGMA user_version = %d", target);
        if (s == RATCHET_OK)
            s = sq_exec(in, c, sql);
        snprintf(sql, sizeof sql, "PRAGMA application_id = %d", SQ_APPLICATION_ID);
        if (s == RATCHET_OK)
            s = sq_exec(in, c, sql);
    }
    if (s != RATCHET_OK) {
        sq_rollback(in, c);
        return s;
    }
    return sq_commit(in, c);
}

ratchet_status sq_migrate(sq_inst *in, sq_conn *c)
{
    int64_t version = 0;
    ratchet_status s = check_file(in, c, &version);
    if (s != RATCHET_OK || version == MIGRATION_COUNT)
        return s;
    for (int target = (int)version + 1; target <= MIGRATION_COUNT && s == RATCHET_OK; target++)
        s = apply(in, c, target);
    if (s == RATCHET_OK && version > 0 && sq_host->log_enabled(RATCHET_LOG_INFO))
        sq_host->log(in->ctx, RATCHET_LOG_INFO, "database %s migrated from schema %lld to %d",
                     in->memory ? ":memory:" : in->path, (long long)version, MIGRATION_COUNT);
    return s;
}
