/*
 * pg_sched.c - cron schedules (stored; the engine computes fire times) and delivery results.
 *
 * schedule_fire is the one place where two coordinators could race to fire the same
 * occurrence: the compare-and-set on next_run_at inside one transaction with the job insert
 * makes exactly one of them queue the job. PostgreSQL re-checks the WHERE clause of an UPDATE
 * that waited for a row lock, so this holds across hosts too.
 */
#include <string.h>

#include "pg_int.h"

#define SCHED_COLS                                                                                 \
    "SELECT id, uuid, name, task_name, task_version, cron, timezone, input, enabled, catch_up, "   \
    "next_run_at, last_run_at, run_count, meta FROM schedules "

/* Run a write in its own transaction; tell waiters when it changed a row. *changes receives
 * the affected row count. */
static ratchet_status write_tx(void *inst, rs_write_fn fn, void *arg, int64_t *changes)
{
    pg_inst *in = inst;
    pg_conn *c = NULL;
    ratchet_status s = pg_ready(in);
    if (s != RATCHET_OK || (s = pg_acquire_begin(in, &c)) != RATCHET_OK)
        return s;
    *changes = 0;
    s = fn(in, c, arg, changes);
    s = pg_end_wake(in, c, s, *changes > 0);
    pg_release(in, c);
    return s;
}

/* ---- add -------------------------------------------------------------------------------- */

static ratchet_status sched_insert(void *inst, void *conn, void *arg, int64_t *changes)
{
    pg_inst *in = inst;
    pg_conn *c = conn;
    rs_sched_doc *d = arg;
    char uuid[37];
    rs_uuid(uuid);
    pg_params p;
    pp_init(&p);
    pp_text(&p, uuid);
    pp_text(&p, d->name);
    pp_text(&p, d->task_name);
    pp_text(&p, d->task_version);
    pp_text(&p, d->cron);
    pp_text(&p, d->timezone);
    pp_text(&p, d->input);
    pp_bool(&p, d->enabled);
    pp_text(&p, d->catch_up);
    pp_int(&p, d->next_run);
    pp_text(&p, d->meta);
    pp_int(&p, pg_now_ms());
    PGresult *r = NULL;
    ratchet_status s = pg_run(in, c, PG_SCHED_INSERT,
                              "INSERT INTO schedules (uuid, name, task_name, task_version, cron, "
                              "timezone, input, enabled, catch_up, next_run_at, meta, "
                              "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, "
                              "COALESCE($7, '{}'), $8, $9, $10, $11, $12, $12) RETURNING id",
                              &p, "storing a schedule", &r);
    if (s == RATCHET_ERR && !strcmp(c->state, "23505")) {
        pg_host->set_error(in->ctx, "a schedule named '%s' already exists", d->name);
        return RATCHET_ERR;
    }
    if (s != RATCHET_OK)
        return s;
    d->id = pg_int(r, 0, 0);
    PQclear(r);
    *changes = 1;
    return RATCHET_OK;
}

/* ---- enable, remove --------------------------------------------------------------------- */

static ratchet_status sched_enable(void *inst, void *conn, void *arg, int64_t *changes)
{
    pg_inst *in = inst;
    pg_conn *c = conn;
    rs_sched_change *a = arg;
    pg_params p;
    pp_init(&p);
    pp_int(&p, a->id);
    pp_bool(&p, a->enabled != 0);
    pp_int(&p, a->next_run);
    pp_int(&p, pg_now_ms());
    return pg_run_cmd(in, c, PG_SCHED_ENABLE,
                      "UPDATE schedules SET enabled = $2, next_run_at = $3, updated_at = $4 "
                      "WHERE id = $1",
                      &p, "changing a schedule", changes);
}

static ratchet_status sched_remove(void *inst, void *conn, void *arg, int64_t *changes)
{
    pg_inst *in = inst;
    pg_conn *c = conn;
    rs_sched_change *a = arg;
    pg_params p;
    pp_init(&p);
    pp_int(&p, a->id);
    /* Jobs it fired stay, with scheduleId null (ON DELETE SET NULL). */
    return pg_run_cmd(in, c, PG_SCHED_REMOVE, "DELETE FROM schedules WHERE id = $1", &p,
                      "removing a schedule", changes);
}

/* ---- update ----------------------------------------------------------------------------- */

static ratchet_status sched_patch_apply(void *inst, void *conn, void *arg, int64_t *changes)
{
    pg_inst *in = inst;
    pg_conn *c = conn;
    rs_sched_patch *p = arg;
    pg_params pp;
    pp_init(&pp);
    pp_int(&pp, p->id);
    pp_text(&pp, p->cron);
    pp_text(&pp, p->timezone);
    pp_text(&pp, p->input);
    if (p->enabled >= 0)
        pp_bool(&pp, p->enabled);
    else
        pp_text(&pp, NULL);
    pp_text(&pp, p->catch_up);
    pp_bool(&pp, p->has_meta);
    pp_text(&pp, p->meta);
    pp_bool(&pp, p->has_task_version);
    pp_text(&pp, p->task_version);
    pp_int(&pp, p->next_run);
    pp_int(&pp, pg_now_ms());
    return pg_run_cmd(
        in, c, PG_SCHED_UPDATE,
        "UPDATE schedules SET cron = COALESCE($2, cron), timezone = COALESCE($3, timezone), "
        "input = COALESCE($4, input), enabled = COALESCE($5, enabled), "
        "catch_up = COALESCE($6, catch_up), meta = CASE WHEN $7::boolean THEN $8 ELSE meta END, "
        "task_version = CASE WHEN $9::boolean THEN $10 ELSE task_version END, next_run_at = $11, "
        "updated_at = $12 WHERE id = $1",
        &pp, "changing a schedule", changes);
}

/* ---- list, due -------------------------------------------------------------------------- */

static ratchet_status sched_query(pg_inst *in, int due, int64_t now, ratchet_buf *out)
{
    pg_conn *c = NULL;
    ratchet_status s = pg_ready(in);
    if (s != RATCHET_OK || (s = pg_acquire(in, &c)) != RATCHET_OK)
        return s;
    pg_params p;
    pp_init(&p);
    PGresult *r = NULL;
    if (due) {
        pp_int(&p, now);
        s = pg_run(in, c, PG_SCHED_DUE,
                   SCHED_COLS "WHERE enabled AND next_run_at > 0 AND next_run_at <= $1 "
                              "ORDER BY next_run_at, id",
                   &p, "listing schedules", &r);
    } else {
        s = pg_run(in, c, PG_SCHED_LIST, SCHED_COLS "ORDER BY name COLLATE \"C\"", &p,
                   "listing schedules", &r);
    }
    pg_release(in, c);
    if (s != RATCHET_OK)
        return s;
    s = pg_emit_rows(in, r, rs_emit_schedule, out);
    PQclear(r);
    return s;
}

ratchet_status pgs_schedule_list(void *instance, ratchet_buf *out)
{
    return sched_query(instance, 0, 0, out);
}

ratchet_status pgs_schedule_due(void *instance, int64_t now_ms, ratchet_buf *out)
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
    pg_inst *in = inst;
    pg_conn *c = conn;
    sched_fire *a = arg;
    pg_params p;
    pp_init(&p);
    pp_int(&p, a->id);
    pp_int(&p, a->expected);
    pp_int(&p, a->fired);
    pp_int(&p, a->next);
    /* The compare-and-set: a second coordinator's UPDATE waits for the first's row lock, then
     * re-checks next_run_at against the committed row and changes nothing. */
    ratchet_status s = pg_run_cmd(in, c, PG_SCHED_FIRE,
                                  "UPDATE schedules SET last_run_at = $3, next_run_at = $4, "
                                  "run_count = run_count + 1, updated_at = $3 "
                                  "WHERE id = $1 AND next_run_at = $2 AND enabled",
                                  &p, "firing a schedule", changes);
    if (s != RATCHET_OK || *changes == 0)
        return s; /* fired already (or disabled, or gone): nothing to queue */
    int existed = 0;
    /* An idempotency key that matched an earlier job: that job stands for this fire. */
    return pg_job_insert(in, c, a->job, a->fired, a->id, &a->job_id, &existed);
}

ratchet_status pgs_schedule_fire(void *instance, int64_t id, int64_t expected_next_ms,
                                 int64_t fired_ms, int64_t next_run_ms,
                                 const ratchet_job_submit *job, int64_t *job_id)
{
    pg_inst *in = instance;
    *job_id = 0;
    ratchet_status s = pg_ready(in);
    if (s != RATCHET_OK)
        return s;
    if (!job) {
        pg_host->set_error(in->ctx, "schedule_fire needs the job to queue");
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
    pg_inst *in = inst;
    pg_conn *c = conn;
    rs_delivery *d = arg;
    pg_params p;
    pp_init(&p);
    pp_int(&p, d->job_id);
    pp_opt(&p, d->execution_id);
    pp_text(&p, d->type);
    pp_text(&p, d->destination);
    pp_bool(&p, d->success);
    pp_int(&p, d->attempts);
    pp_int(&p, d->duration_ms);
    if (d->response_status >= 0)
        pp_int(&p, d->response_status);
    else
        pp_text(&p, NULL);
    pp_text(&p, d->error);
    pp_int(&p, pg_now_ms());
    ratchet_status s = pg_run_cmd(in, c, PG_DELIVERY_INSERT,
                                  "INSERT INTO delivery_results (job_id, execution_id, "
                                  "destination_type, destination, success, attempts, duration_ms, "
                                  "response_status, error, created_at) "
                                  "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                                  &p, "recording a delivery", NULL);
    *changes = 0; /* nobody waits for deliveries */
    if (s == RATCHET_ERR && !strcmp(c->state, "23503")) {
        pg_host->set_error(in->ctx, "delivery: job %lld or execution %lld does not exist",
                           (long long)d->job_id, (long long)d->execution_id);
        return RATCHET_NOTFOUND;
    }
    return s;
}

/* ---- the schedule calls (storage-common's rs_sched.c over the statements above) ---------- */

static ratchet_ctx *inst_ctx(void *inst)
{
    return ((pg_inst *)inst)->ctx;
}

static ratchet_status inst_ready(void *inst)
{
    return pg_ready(inst);
}

static const rs_sched_ops sched_ops = {inst_ready,        inst_ctx,       write_tx,
                                       sched_insert,      sched_enable,   sched_remove,
                                       sched_patch_apply, delivery_insert};

ratchet_status pgs_schedule_add(void *instance, const char *schedule_json, int64_t *id)
{
    return rs_schedule_add(&sched_ops, instance, schedule_json, id);
}

ratchet_status pgs_schedule_set_enabled(void *instance, int64_t id, int enabled,
                                        int64_t next_run_ms)
{
    return rs_schedule_set_enabled(&sched_ops, instance, id, enabled, next_run_ms);
}

ratchet_status pgs_schedule_remove(void *instance, int64_t id)
{
    return rs_schedule_remove(&sched_ops, instance, id);
}

ratchet_status pgs_schedule_update(void *instance, int64_t id, const char *patch_json,
                                   int64_t next_run_ms)
{
    return rs_schedule_update(&sched_ops, instance, id, patch_json, next_run_ms);
}

ratchet_status pgs_delivery_record(void *instance, const char *delivery_json)
{
    return rs_delivery_record(&sched_ops, instance, delivery_json);
}
