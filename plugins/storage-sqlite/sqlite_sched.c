/*
 * sqlite_sched.c - cron schedules (stored; the engine computes fire times) and delivery results.
 *
 * schedule_fire is the one place where two coordinators could race to fire the same
 * occurrence: the compare-and-set on next_run_at inside one transaction with the job insert
 * makes exactly one of them queue the job.
 */
#include <string.h>

#include "sqlite_int.h"

#define SCHED_COLS                                                                                 \
    "SELECT id, uuid, name, task_name, task_version, cron, timezone, input, enabled, catch_up, "   \
    "next_run_at, last_run_at, run_count, meta FROM schedules "

/* Run a write statement in its own transaction; bump the change counter when it changed a
 * row. *changes receives sqlite3_changes. */
static ratchet_status write_tx(void *inst, rs_write_fn fn, void *arg, int64_t *changes)
{
    sq_inst *in = inst;
    sq_conn *c = NULL;
    ratchet_status s = sq_ready(in);
    if (s != RATCHET_OK || (s = sq_acquire_begin(in, &c)) != RATCHET_OK)
        return s;
    int64_t seq = 0;
    *changes = 0;
    s = fn(in, c, arg, changes);
    s = sq_commit_wake(in, c, s, *changes > 0, &seq);
    sq_release(in, c);
    if (s == RATCHET_OK && *changes > 0)
        sq_wake_local(in, seq);
    return s;
}

/* ---- add -------------------------------------------------------------------------------- */

static ratchet_status sched_insert(void *inst, void *conn, void *arg, int64_t *changes)
{
    sq_inst *in = inst;
    sq_conn *c = conn;
    rs_sched_doc *d = arg;
    sqlite3_stmt *st = sq_stmt(in, c, SQ_SCHED_INSERT,
                               "INSERT INTO schedules (uuid, name, task_name, task_version, cron, "
                               "timezone, input, enabled, catch_up, next_run_at, meta, "
                               "created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
                               "COALESCE(?7, '{}'), ?8, ?9, ?10, ?11, ?12, ?12)");
    if (!st)
        return RATCHET_ERR;
    char uuid[37];
    rs_uuid(uuid);
    sq_bind_text(st, 1, uuid);
    sq_bind_text(st, 2, d->name);
    sq_bind_text(st, 3, d->task_name);
    sq_bind_text(st, 4, d->task_version);
    sq_bind_text(st, 5, d->cron);
    sq_bind_text(st, 6, d->timezone);
    sq_bind_text(st, 7, d->input);
    sq_bind_int(st, 8, d->enabled);
    sq_bind_text(st, 9, d->catch_up);
    sq_bind_int(st, 10, d->next_run);
    sq_bind_text(st, 11, d->meta);
    sq_bind_int(st, 12, sq_now_ms());
    int rc = sqlite3_step(st);
    sq_reset(st);
    if (rc == SQLITE_CONSTRAINT_UNIQUE) {
        sq_host->set_error(in->ctx, "a schedule named '%s' already exists", d->name);
        return RATCHET_ERR;
    }
    if (rc != SQLITE_DONE)
        return sq_fail(in, c, rc, "storing a schedule");
    d->id = sqlite3_last_insert_rowid(c->db);
    *changes = 1;
    return RATCHET_OK;
}

/* ---- enable, remove --------------------------------------------------------------------- */

static ratchet_status sched_enable(void *inst, void *conn, void *arg, int64_t *changes)
{
    sq_inst *in = inst;
    sq_conn *c = conn;
    rs_sched_change *a = arg;
    sqlite3_stmt *st = sq_stmt(in, c, SQ_SCHED_ENABLE,
                               "UPDATE schedules SET enabled = ?2, next_run_at = ?3, "
                               "updated_at = ?4 WHERE id = ?1");
    if (!st)
        return RATCHET_ERR;
    sq_bind_int(st, 1, a->id);
    sq_bind_int(st, 2, a->enabled != 0);
    sq_bind_int(st, 3, a->next_run);
    sq_bind_int(st, 4, sq_now_ms());
    ratchet_status s = sq_step_done(in, c, st, "changing a schedule");
    if (s != RATCHET_OK)
        return s;
    *changes = sqlite3_changes(c->db);
    return RATCHET_OK;
}

static ratchet_status sched_remove(void *inst, void *conn, void *arg, int64_t *changes)
{
    sq_inst *in = inst;
    sq_conn *c = conn;
    rs_sched_change *a = arg;
    /* Jobs it fired stay, with scheduleId null (ON DELETE SET NULL). */
    sqlite3_stmt *st = sq_stmt(in, c, SQ_SCHED_REMOVE, "DELETE FROM schedules WHERE id = ?1");
    if (!st)
        return RATCHET_ERR;
    sq_bind_int(st, 1, a->id);
    ratchet_status s = sq_step_done(in, c, st, "removing a schedule");
    if (s != RATCHET_OK)
        return s;
    *changes = sqlite3_changes(c->db);
    return RATCHET_OK;
}

/* ---- update ----------------------------------------------------------------------------- */

static ratchet_status sched_patch_apply(void *inst, void *conn, void *arg, int64_t *changes)
{
    sq_inst *in = inst;
    sq_conn *c = conn;
    rs_sched_patch *p = arg;
    sqlite3_stmt *st = sq_stmt(
        in, c, SQ_SCHED_UPDATE,
        "UPDATE schedules SET cron = COALESCE(?2, cron), timezone = COALESCE(?3, timezone), "
        "input = COALESCE(?4, input), enabled = COALESCE(?5, enabled), "
        "catch_up = COALESCE(?6, catch_up), meta = CASE WHEN ?7 THEN ?8 ELSE meta END, "
        "task_version = CASE WHEN ?9 THEN ?10 ELSE task_version END, next_run_at = ?11, "
        "updated_at = ?12 WHERE id = ?1");
    if (!st)
        return RATCHET_ERR;
    sq_bind_int(st, 1, p->id);
    sq_bind_text(st, 2, p->cron);
    sq_bind_text(st, 3, p->timezone);
    sq_bind_text(st, 4, p->input);
    if (p->enabled >= 0)
        sq_bind_int(st, 5, p->enabled);
    sq_bind_text(st, 6, p->catch_up);
    sq_bind_int(st, 7, p->has_meta);
    sq_bind_text(st, 8, p->meta);
    sq_bind_int(st, 9, p->has_task_version);
    sq_bind_text(st, 10, p->task_version);
    sq_bind_int(st, 11, p->next_run);
    sq_bind_int(st, 12, sq_now_ms());
    ratchet_status s = sq_step_done(in, c, st, "changing a schedule");
    if (s == RATCHET_OK)
        *changes = sqlite3_changes(c->db);
    return s;
}

/* ---- list, due -------------------------------------------------------------------------- */

static ratchet_status sched_query(sq_inst *in, int due, int64_t now, ratchet_buf *out)
{
    sq_conn *c = NULL;
    ratchet_status s = sq_ready(in);
    if (s != RATCHET_OK || (s = sq_acquire(in, &c)) != RATCHET_OK)
        return s;
    sqlite3_stmt *st =
        due ? sq_stmt(in, c, SQ_SCHED_DUE,
                      SCHED_COLS "WHERE enabled = 1 AND next_run_at > 0 AND next_run_at <= ?1 "
                                 "ORDER BY next_run_at, id")
            : sq_stmt(in, c, SQ_SCHED_LIST, SCHED_COLS "ORDER BY name");
    if (st) {
        if (due)
            sq_bind_int(st, 1, now);
        s = sq_emit_rows(in, c, st, rs_emit_schedule, "listing schedules", out);
    } else {
        s = RATCHET_ERR;
    }
    sq_release(in, c);
    return s;
}

ratchet_status sqlite_schedule_list(void *instance, ratchet_buf *out)
{
    return sched_query(instance, 0, 0, out);
}

ratchet_status sqlite_schedule_due(void *instance, int64_t now_ms, ratchet_buf *out)
{
    return sched_query(instance, 1, now_ms, out);
}

/* ---- fire ------------------------------------------------------------------------------- */

typedef struct sched_fire {
    int64_t id, expected, fired, next;
    const ratchet_job_submit *job;
    int64_t job_id; /* out */
} sched_fire;

static ratchet_status fire(void *inst, void *conn, void *arg, int64_t *changes)
{
    sq_inst *in = inst;
    sq_conn *c = conn;
    sched_fire *a = arg;
    sqlite3_stmt *st = sq_stmt(in, c, SQ_SCHED_FIRE,
                               "UPDATE schedules SET last_run_at = ?3, next_run_at = ?4, "
                               "run_count = run_count + 1, updated_at = ?3 "
                               "WHERE id = ?1 AND next_run_at = ?2 AND enabled = 1");
    if (!st)
        return RATCHET_ERR;
    sq_bind_int(st, 1, a->id);
    sq_bind_int(st, 2, a->expected);
    sq_bind_int(st, 3, a->fired);
    sq_bind_int(st, 4, a->next);
    ratchet_status s = sq_step_done(in, c, st, "firing a schedule");
    if (s != RATCHET_OK)
        return s;
    *changes = sqlite3_changes(c->db);
    if (*changes == 0)
        return RATCHET_OK; /* fired already (or disabled, or gone): nothing to queue */
    int existed = 0;
    s = sq_job_insert(in, c, a->job, a->fired, a->id, &a->job_id, &existed);
    /* An idempotency key that matched an earlier job: that job stands for this fire. */
    return s;
}

ratchet_status sqlite_schedule_fire(void *instance, int64_t id, int64_t expected_next_ms,
                                    int64_t fired_ms, int64_t next_run_ms,
                                    const ratchet_job_submit *job, int64_t *job_id)
{
    sq_inst *in = instance;
    *job_id = 0;
    ratchet_status s = sq_ready(in);
    if (s != RATCHET_OK)
        return s;
    if (!job) {
        sq_host->set_error(in->ctx, "schedule_fire needs the job to queue");
        return RATCHET_ERR;
    }
    if (rs_time_arg(in->ctx, "next_run_ms", next_run_ms) != RATCHET_OK)
        return RATCHET_ERR;
    if ((s = rs_job_check(in->ctx, job, "schedule_fire", 0)) != RATCHET_OK)
        return s;
    sched_fire a = {id, expected_next_ms, fired_ms, next_run_ms, job, 0};
    int64_t changes = 0;
    s = write_tx(in, fire, &a, &changes);
    if (s == RATCHET_OK)
        *job_id = a.job_id;
    return s;
}

/* ---- delivery results ------------------------------------------------------------------- */

static ratchet_status delivery_insert(void *inst, void *conn, void *arg, int64_t *changes)
{
    sq_inst *in = inst;
    sq_conn *c = conn;
    rs_delivery *d = arg;
    sqlite3_stmt *st = sq_stmt(in, c, SQ_DELIVERY_INSERT,
                               "INSERT INTO delivery_results (job_id, execution_id, "
                               "destination_type, destination, success, attempts, duration_ms, "
                               "response_status, error, created_at) "
                               "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
    if (!st)
        return RATCHET_ERR;
    sq_bind_int(st, 1, d->job_id);
    sq_bind_opt(st, 2, d->execution_id);
    sq_bind_text(st, 3, d->type);
    sq_bind_text(st, 4, d->destination);
    sq_bind_int(st, 5, d->success);
    sq_bind_int(st, 6, d->attempts);
    sq_bind_int(st, 7, d->duration_ms);
    if (d->response_status >= 0)
        sq_bind_int(st, 8, d->response_status);
    sq_bind_text(st, 9, d->error);
    sq_bind_int(st, 10, sq_now_ms());
    int rc = sqlite3_step(st);
    sq_reset(st);
    *changes = 0; /* nobody waits for deliveries */
    if (rc == SQLITE_CONSTRAINT_FOREIGNKEY) {
        sq_host->set_error(in->ctx, "delivery: job %lld or execution %lld does not exist",
                           (long long)d->job_id, (long long)d->execution_id);
        return RATCHET_NOTFOUND;
    }
    return rc == SQLITE_DONE ? RATCHET_OK : sq_fail(in, c, rc, "recording a delivery");
}

/* ---- the schedule calls (storage-common's rs_sched.c over the statements above) ---------- */

static ratchet_ctx *inst_ctx(void *inst)
{
    return ((sq_inst *)inst)->ctx;
}

static ratchet_status inst_ready(void *inst)
{
    return sq_ready(inst);
}

static const rs_sched_ops sched_ops = {inst_ready,        inst_ctx,       write_tx,
                                       sched_insert,      sched_enable,   sched_remove,
                                       sched_patch_apply, delivery_insert};

ratchet_status sqlite_schedule_add(void *instance, const char *schedule_json, int64_t *id)
{
    return rs_schedule_add(&sched_ops, instance, schedule_json, id);
}

ratchet_status sqlite_schedule_set_enabled(void *instance, int64_t id, int enabled,
                                           int64_t next_run_ms)
{
    return rs_schedule_set_enabled(&sched_ops, instance, id, enabled, next_run_ms);
}

ratchet_status sqlite_schedule_remove(void *instance, int64_t id)
{
    return rs_schedule_remove(&sched_ops, instance, id);
}

ratchet_status sqlite_schedule_update(void *instance, int64_t id, const char *patch_json,
                                      int64_t next_run_ms)
{
    return rs_schedule_update(&sched_ops, instance, id, patch_json, next_run_ms);
}

ratchet_status sqlite_delivery_record(void *instance, const char *delivery_json)
{
    return rs_delivery_record(&sched_ops, instance, delivery_json);
}
