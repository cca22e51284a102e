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

static void emit_schedule(sq_out *o, sqlite3_stmt *st)
{
    sq_out_begin(o, NULL, '{');
    sq_out_col_int(o, "id", st, 0);
    sq_out_col_str(o, "uuid", st, 1);
    sq_out_col_str(o, "name", st, 2);
    sq_out_col_str(o, "taskName", st, 3);
    sq_out_col_str(o, "taskVersion", st, 4);
    sq_out_col_str(o, "cron", st, 5);
    sq_out_col_str(o, "timezone", st, 6);
    sq_out_col_json(o, "input", st, 7);
    sq_out_bool(o, "enabled", sqlite3_column_int(st, 8));
    sq_out_col_str(o, "catchUp", st, 9);
    sq_out_col_time(o, "nextRunAt", st, 10);
    sq_out_col_time(o, "lastRunAt", st, 11);
    sq_out_col_int(o, "runCount", st, 12);
    sq_out_col_json(o, "meta", st, 13);
    sq_out_end(o, '}');
}

/* Run a write statement in its own transaction; bump the change counter when it changed a
 * row. *changes receives sqlite3_changes. */
typedef ratchet_status (*write_fn)(sq_inst *in, sq_conn *c, void *arg, int *changes);

static ratchet_status write_tx(sq_inst *in, write_fn fn, void *arg, int *changes)
{
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

typedef struct sched_doc {
    json_object *doc;
    const char *name, *task_name, *task_version, *cron, *timezone, *catch_up;
    char *input, *meta;
    int enabled;
    int64_t next_run;
    int64_t id; /* out */
} sched_doc;

/* The values the database does not check itself: catchUp (NULL: unchanged) and meta (NULL:
 * none) of a schedule or a patch named `what`. */
static ratchet_status sched_check(sq_inst *in, const char *what, const char *catch_up,
                                  const char *meta)
{
    if (catch_up && strcmp(catch_up, "once") != 0 && strcmp(catch_up, "skip") != 0) {
        sq_host->set_error(in->ctx, "%s: \"catchUp\" must be \"once\" or \"skip\", not '%s'", what,
                           catch_up);
        return RATCHET_ERR;
    }
    if (meta && meta[0] != '{') {
        sq_host->set_error(in->ctx, "%s: \"meta\" must be an object", what);
        return RATCHET_ERR;
    }
    return RATCHET_OK;
}

static ratchet_status sched_parse(sq_inst *in, const char *json, sched_doc *d)
{
    static const char what[] = "schedule";
    memset(d, 0, sizeof *d);
    d->timezone = "UTC";
    d->catch_up = "once";
    d->enabled = 1;
    ratchet_status s = sq_parse_object(in, json, what, 0, &d->doc);
    if (s == RATCHET_OK)
        s = sq_get_str(in, d->doc, what, "name", 1, &d->name);
    if (s == RATCHET_OK)
        s = sq_get_str(in, d->doc, what, "taskName", 1, &d->task_name);
    if (s == RATCHET_OK)
        s = sq_get_str(in, d->doc, what, "taskVersion", 0, &d->task_version);
    if (s == RATCHET_OK)
        s = sq_get_str(in, d->doc, what, "cron", 1, &d->cron);
    if (s == RATCHET_OK)
        s = sq_get_str(in, d->doc, what, "timezone", 0, &d->timezone);
    if (s == RATCHET_OK)
        s = sq_get_str(in, d->doc, what, "catchUp", 0, &d->catch_up);
    if (s == RATCHET_OK)
        s = sq_get_bool(in, d->doc, what, "enabled", &d->enabled);
    if (s == RATCHET_OK)
        s = sq_get_time(in, d->doc, what, "nextRunAt", &d->next_run);
    if (s == RATCHET_OK)
        s = sq_get_json(in, d->doc, "input", &d->input);
    if (s == RATCHET_OK)
        s = sq_get_json(in, d->doc, "meta", &d->meta);
    if (s == RATCHET_OK)
        s = sched_check(in, "schedule", d->catch_up, d->meta);
    if (s == RATCHET_OK && d->next_run > SQ_TIME_MAX_MS) {
        sq_host->set_error(in->ctx, "schedule: \"nextRunAt\" is after the year 9999");
        s = RATCHET_ERR;
    }
    return s;
}

static void sched_doc_free(sched_doc *d)
{
    json_object_put(d->doc);
    sq_host->free(d->input);
    sq_host->free(d->meta);
}

static ratchet_status sched_insert(sq_inst *in, sq_conn *c, void *arg, int *changes)
{
    sched_doc *d = arg;
    sqlite3_stmt *st = sq_stmt(in, c, SQ_SCHED_INSERT,
                               "INSERT INTO schedules (uuid, name, task_name, task_version, cron, "
                               "timezone, input, enabled, catch_up, next_run_at, meta, "
                               "created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
                               "COALESCE(?7, '{}'), ?8, ?9, ?10, ?11, ?12, ?12)");
    if (!st)
        return RATCHET_ERR;
    char uuid[37];
    sq_uuid(uuid);
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

ratchet_status sqlite_schedule_add(void *instance, const char *schedule_json, int64_t *id)
{
    sq_inst *in = instance;
    *id = 0;
    ratchet_status s = sq_ready(in);
    if (s != RATCHET_OK)
        return s;
    sched_doc d;
    int changes = 0;
    s = sched_parse(in, schedule_json, &d);
    if (s == RATCHET_OK)
        s = write_tx(in, sched_insert, &d, &changes);
    if (s == RATCHET_OK)
        *id = d.id;
    sched_doc_free(&d);
    return s;
}

/* ---- enable, remove --------------------------------------------------------------------- */

typedef struct sched_change {
    int64_t id, next_run;
    int enabled;
} sched_change;

static ratchet_status sched_enable(sq_inst *in, sq_conn *c, void *arg, int *changes)
{
    sched_change *a = arg;
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

static ratchet_status sched_remove(sq_inst *in, sq_conn *c, void *arg, int *changes)
{
    sched_change *a = arg;
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

static ratchet_status not_found(sq_inst *in, ratchet_status s, int changes, int64_t id)
{
    if (s == RATCHET_OK && changes == 0) {
        sq_host->set_error(in->ctx, "schedule %lld does not exist", (long long)id);
        return RATCHET_NOTFOUND;
    }
    return s;
}

ratchet_status sqlite_schedule_set_enabled(void *instance, int64_t id, int enabled,
                                           int64_t next_run_ms)
{
    sq_inst *in = instance;
    sched_change a = {id, next_run_ms, enabled};
    int changes = 0;
    if (next_run_ms < 0 || next_run_ms > SQ_TIME_MAX_MS) {
        sq_host->set_error(in->ctx, "next_run_ms is outside 1970..9999");
        return RATCHET_ERR;
    }
    ratchet_status s = write_tx(in, sched_enable, &a, &changes);
    return not_found(in, s, changes, id);
}

ratchet_status sqlite_schedule_remove(void *instance, int64_t id)
{
    sq_inst *in = instance;
    sched_change a = {id, 0, 0};
    int changes = 0;
    ratchet_status s = write_tx(in, sched_remove, &a, &changes);
    return not_found(in, s, changes, id);
}

/* ---- update ----------------------------------------------------------------------------- */

/* A patch: each member NULL when absent (unchanged). meta and taskVersion may also be set to
 * null, hence their has_* flags. */
typedef struct sched_patch {
    json_object *doc;
    const char *cron, *timezone, *catch_up, *task_version;
    char *input, *meta;
    int enabled; /* -1: unchanged */
    int has_meta, has_task_version;
    int64_t id, next_run;
} sched_patch;

static int has_member(json_object *o, const char *key)
{
    return json_object_object_get_ex(o, key, NULL);
}

static ratchet_status patch_parse(sq_inst *in, const char *json, sched_patch *p)
{
    static const char what[] = "schedule patch";
    ratchet_status s = sq_parse_object(in, json, what, 0, &p->doc);
    if (s == RATCHET_OK)
        s = sq_get_str(in, p->doc, what, "cron", 0, &p->cron);
    if (s == RATCHET_OK)
        s = sq_get_str(in, p->doc, what, "timezone", 0, &p->timezone);
    if (s == RATCHET_OK)
        s = sq_get_str(in, p->doc, what, "catchUp", 0, &p->catch_up);
    if (s == RATCHET_OK)
        s = sq_get_str(in, p->doc, what, "taskVersion", 0, &p->task_version);
    if (s == RATCHET_OK)
        s = sq_get_bool(in, p->doc, what, "enabled", &p->enabled);
    if (s == RATCHET_OK)
        s = sq_get_json(in, p->doc, "input", &p->input);
    if (s == RATCHET_OK)
        s = sq_get_json(in, p->doc, "meta", &p->meta);
    if (s == RATCHET_OK && ((p->cron && !*p->cron) || (p->timezone && !*p->timezone))) {
        sq_host->set_error(in->ctx, "%s: \"cron\" and \"timezone\" must not be empty", what);
        s = RATCHET_ERR;
    }
    if (s == RATCHET_OK)
        s = sched_check(in, what, p->catch_up, p->meta);
    p->has_meta = p->doc && has_member(p->doc, "meta");
    p->has_task_version = p->doc && has_member(p->doc, "taskVersion");
    return s;
}

static ratchet_status sched_patch_apply(sq_inst *in, sq_conn *c, void *arg, int *changes)
{
    sched_patch *p = arg;
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

ratchet_status sqlite_schedule_update(void *instance, int64_t id, const char *patch_json,
                                      int64_t next_run_ms)
{
    sq_inst *in = instance;
    sched_patch p;
    memset(&p, 0, sizeof p);
    p.enabled = -1;
    p.id = id;
    p.next_run = next_run_ms;
    int changes = 0;
    if (next_run_ms < 0 || next_run_ms > SQ_TIME_MAX_MS) {
        sq_host->set_error(in->ctx, "next_run_ms is outside 1970..9999");
        return RATCHET_ERR;
    }
    ratchet_status s = patch_parse(in, patch_json, &p);
    if (s == RATCHET_OK)
        s = write_tx(in, sched_patch_apply, &p, &changes);
    json_object_put(p.doc);
    sq_host->free(p.input);
    sq_host->free(p.meta);
    return not_found(in, s, changes, id);
}

/* ---- list, due -------------------------------------------------------------------------- */

static ratchet_status sched_emit_all(sq_inst *in, sq_conn *c, sqlite3_stmt *st, ratchet_buf *out)
{
    sq_out o;
    sq_out_init(&o, out);
    sq_out_begin(&o, NULL, '[');
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        emit_schedule(&o, st);
    sq_out_end(&o, ']');
    sq_reset(st);
    if (rc != SQLITE_DONE)
        return sq_fail(in, c, rc, "listing schedules");
    return sq_out_done(in, &o);
}

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
        s = sched_emit_all(in, c, st, out);
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

static ratchet_status fire(sq_inst *in, sq_conn *c, void *arg, int *changes)
{
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
    if (next_run_ms < 0 || next_run_ms > SQ_TIME_MAX_MS) {
        sq_host->set_error(in->ctx, "next_run_ms is outside 1970..9999");
        return RATCHET_ERR;
    }
    if ((s = sq_job_check(in, job, "schedule_fire", 0)) != RATCHET_OK)
        return s;
    sched_fire a = {id, expected_next_ms, fired_ms, next_run_ms, job, 0};
    int changes = 0;
    s = write_tx(in, fire, &a, &changes);
    if (s == RATCHET_OK)
        *job_id = a.job_id;
    return s;
}

/* ---- delivery results ------------------------------------------------------------------- */

typedef struct delivery {
    json_object *doc;
    int64_t job_id, execution_id, attempts, duration_ms, response_status;
    const char *type, *error;
    char *destination;
    int success;
} delivery;

static ratchet_status delivery_parse(sq_inst *in, const char *json, delivery *d)
{
    static const char what[] = "delivery";
    memset(d, 0, sizeof *d);
    d->attempts = 1;
    d->response_status = -1;
    ratchet_status s = sq_parse_object(in, json, what, 0, &d->doc);
    if (s == RATCHET_OK)
        s = sq_get_int(in, d->doc, what, "jobId", 1, &d->job_id);
    if (s == RATCHET_OK)
        s = sq_get_int(in, d->doc, what, "executionId", 0, &d->execution_id);
    if (s == RATCHET_OK)
        s = sq_get_str(in, d->doc, what, "destinationType", 1, &d->type);
    if (s == RATCHET_OK)
        s = sq_get_bool(in, d->doc, what, "success", &d->success);
    if (s == RATCHET_OK)
        s = sq_get_int(in, d->doc, what, "attempts", 0, &d->attempts);
    if (s == RATCHET_OK)
        s = sq_get_int(in, d->doc, what, "durationMs", 0, &d->duration_ms);
    if (s == RATCHET_OK)
        s = sq_get_int(in, d->doc, what, "responseStatus", 0, &d->response_status);
    if (s == RATCHET_OK)
        s = sq_get_str(in, d->doc, what, "error", 0, &d->error);
    if (s == RATCHET_OK) {
        /* A URL or path as text; an object (a destination's settings) as its JSON. */
        json_object *v = NULL;
        if (json_object_object_get_ex(d->doc, "destination", &v) &&
            json_object_is_type(v, json_type_string)) {
            d->destination = sq_host->strdup(json_object_get_string(v));
            if (!d->destination) {
                sq_host->set_error(in->ctx, "out of memory");
                s = RATCHET_NOMEM;
            }
        } else {
            s = sq_get_json(in, d->doc, "destination", &d->destination);
        }
    }
    return s;
}

static ratchet_status delivery_insert(sq_inst *in, sq_conn *c, void *arg, int *changes)
{
    delivery *d = arg;
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

ratchet_status sqlite_delivery_record(void *instance, const char *delivery_json)
{
    sq_inst *in = instance;
    ratchet_status s = sq_ready(in);
    if (s != RATCHET_OK)
        return s;
    delivery d;
    int changes = 0;
    s = delivery_parse(in, delivery_json, &d);
    if (s == RATCHET_OK)
        s = write_tx(in, delivery_insert, &d, &changes);
    json_object_put(d.doc);
    sq_host->free(d.destination);
    return s;
}
