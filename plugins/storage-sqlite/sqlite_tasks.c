/*
 * sqlite_tasks.c - the task registry: tasks (one row per name) and their immutable versions.
 *
 * A version, once stored, never changes: syncing the same name+version again with the same
 * checksum returns the stored id, with another checksum it is refused. Only its compiled
 * program (derived from its code) is replaced when the sync brings one from another compiler. The
 * task row's description and tags follow the highest version (semantic order, collation
 * "semver"), whatever order versions arrive in.
 */
#include <string.h>

#include "sqlite_int.h"

/* The task row's id, inserting the row when the name is new. */
static ratchet_status task_row(sq_inst *in, sq_conn *c, const rs_task_doc *t, int64_t now,
                               int64_t *task_id)
{
    sqlite3_stmt *st = sq_stmt(in, c, SQ_TASK_FIND, "SELECT id FROM tasks WHERE name = ?1");
    if (!st)
        return RATCHET_ERR;
    sq_bind_text(st, 1, t->name);
    int rc = sqlite3_step(st);
    *task_id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sq_reset(st);
    if (rc == SQLITE_ROW)
        return RATCHET_OK;
    if (rc != SQLITE_DONE)
        return sq_fail(in, c, rc, "looking up a task");
    st = sq_stmt(in, c, SQ_TASK_INSERT,
                 "INSERT INTO tasks (uuid, name, description, tags, created_at, updated_at) "
                 "VALUES (?1, ?2, ?3, ?4, ?5, ?5)");
    if (!st)
        return RATCHET_ERR;
    char uuid[37];
    rs_uuid(uuid);
    sq_bind_text(st, 1, t->uuid ? t->uuid : uuid);
    sq_bind_text(st, 2, t->name);
    sq_bind_text(st, 3, t->description);
    sq_bind_text(st, 4, t->tags);
    sq_bind_int(st, 5, now);
    ratchet_status s = sq_step_done(in, c, st, "storing a task");
    if (s != RATCHET_OK)
        return s;
    *task_id = sqlite3_last_insert_rowid(c->db);
    return RATCHET_OK;
}

/* Replace a stored version's compiled program when the sync brings another one. */
static ratchet_status version_program(sq_inst *in, sq_conn *c, int64_t id, const char *program)
{
    sqlite3_stmt *st = sq_stmt(in, c, SQ_TV_PROGRAM,
                               "UPDATE task_versions SET program = ?2 "
                               "WHERE id = ?1 AND program IS NOT ?2");
    if (!st)
        return RATCHET_ERR;
    sq_bind_int(st, 1, id);
    sq_bind_text(st, 2, program);
    return sq_step_done(in, c, st, "storing a compiled program");
}

/* An existing version: same checksum -> its id; different -> refused. *id = 0 when new. */
static ratchet_status version_existing(sq_inst *in, sq_conn *c, int64_t task_id,
                                       const rs_task_doc *t, int64_t *id)
{
    sqlite3_stmt *st = sq_stmt(in, c, SQ_TV_FIND,
                               "SELECT id, checksum FROM task_versions "
                               "WHERE task_id = ?1 AND version = ?2");
    if (!st)
        return RATCHET_ERR;
    sq_bind_int(st, 1, task_id);
    sq_bind_text(st, 2, t->version);
    int rc = sqlite3_step(st);
    ratchet_status s = RATCHET_OK;
    *id = 0;
    if (rc == SQLITE_ROW) {
        const char *sum = (const char *)sqlite3_column_text(st, 1);
        if (sum && strcmp(sum, t->checksum) == 0) {
            *id = sqlite3_column_int64(st, 0);
        } else {
            sq_host->set_error(in->ctx,
                               "task %s %s is already stored with different content "
                               "(checksum %s, now %s); give the changed task a new version",
                               t->name, t->version, sum ? sum : "?", t->checksum);
            s = RATCHET_ERR;
        }
    } else if (rc != SQLITE_DONE) {
        s = sq_fail(in, c, rc, "looking up a task version");
    }
    sq_reset(st);
    if (s == RATCHET_OK && *id && t->program)
        s = version_program(in, c, *id, t->program);
    return s;
}

static ratchet_status version_insert(sq_inst *in, sq_conn *c, int64_t task_id, const rs_task_doc *t,
                                     int64_t now, int64_t *id)
{
    sqlite3_stmt *st = sq_stmt(in, c, SQ_TV_INSERT,
                               "INSERT INTO task_versions (task_id, version, uuid, description, "
                               "metadata, code, input_schema, output_schema, checksum, source, "
                               "created_at, program) "
                               "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
    if (!st)
        return RATCHET_ERR;
    sq_bind_int(st, 1, task_id);
    sq_bind_text(st, 2, t->version);
    sq_bind_text(st, 3, t->uuid);
    sq_bind_text(st, 4, t->description);
    sq_bind_text(st, 5, t->metadata);
    sq_bind_text(st, 6, t->code);
    sq_bind_text(st, 7, t->input_schema);
    sq_bind_text(st, 8, t->output_schema);
    sq_bind_text(st, 9, t->checksum);
    sq_bind_text(st, 10, t->source);
    sq_bind_int(st, 11, now);
    sq_bind_text(st, 12, t->program);
    ratchet_status s = sq_step_done(in, c, st, "storing a task version");
    if (s != RATCHET_OK)
        return s;
    *id = sqlite3_last_insert_rowid(c->db);

    /* The task row shows its highest version's description and tags. */
    st = sq_stmt(in, c, SQ_TASK_UPDATE,
                 "UPDATE tasks SET description = ?2, tags = ?3, updated_at = ?4 WHERE id = ?1 "
                 "AND ?5 = (SELECT version FROM task_versions WHERE task_id = ?1 "
                 "ORDER BY version COLLATE semver DESC LIMIT 1)");
    if (!st)
        return RATCHET_ERR;
    sq_bind_int(st, 1, task_id);
    sq_bind_text(st, 2, t->description);
    sq_bind_text(st, 3, t->tags);
    sq_bind_int(st, 4, now);
    sq_bind_text(st, 5, t->version);
    return sq_step_done(in, c, st, "updating a task");
}

ratchet_status sqlite_task_sync(void *instance, const char *task_json, int64_t *tv_id, int *created)
{
    sq_inst *in = instance;
    *tv_id = 0;
    *created = 0;
    ratchet_status s = sq_ready(in);
    if (s != RATCHET_OK)
        return s;
    rs_task_doc t;
    if ((s = rs_task_doc_parse(in->ctx, task_json, &t)) != RATCHET_OK)
        return s;
    sq_conn *c = NULL;
    if ((s = sq_acquire(in, &c)) != RATCHET_OK) {
        rs_task_doc_free(&t);
        return s;
    }
    if ((s = sq_begin(in, c)) == RATCHET_OK) {
        int64_t now = sq_now_ms(), task_id = 0;
        s = task_row(in, c, &t, now, &task_id);
        if (s == RATCHET_OK)
            s = version_existing(in, c, task_id, &t, tv_id);
        if (s == RATCHET_OK && *tv_id == 0) {
            s = version_insert(in, c, task_id, &t, now, tv_id);
            *created = s == RATCHET_OK;
        }
        if (s == RATCHET_OK)
            s = sq_commit(in, c);
        else
            sq_rollback(in, c);
        if (s != RATCHET_OK) {
            *tv_id = 0;
            *created = 0;
        }
    }
    sq_release(in, c);
    rs_task_doc_free(&t);
    return s;
}

/* ---- enable ----------------------------------------------------------------------------- */

static ratchet_status task_enable(sq_inst *in, sq_conn *c, const char *name, int enabled)
{
    sqlite3_stmt *st = sq_stmt(in, c, SQ_TASK_ENABLE,
                               "UPDATE tasks SET enabled = ?2, updated_at = ?3 WHERE name = ?1");
    if (!st)
        return RATCHET_ERR;
    sq_bind_text(st, 1, name);
    sq_bind_int(st, 2, enabled != 0);
    sq_bind_int(st, 3, sq_now_ms());
    ratchet_status s = sq_step_done(in, c, st, "enabling a task");
    if (s == RATCHET_OK && sqlite3_changes(c->db) == 0) {
        sq_host->set_error(in->ctx, "task '%s' does not exist", name);
        s = RATCHET_NOTFOUND;
    }
    return s;
}

/* The flag is the engine's to enforce (no new jobs); claims do not read it, so nothing wakes. */
ratchet_status sqlite_task_set_enabled(void *instance, const char *name, int enabled)
{
    sq_inst *in = instance;
    sq_conn *c = NULL;
    ratchet_status s = sq_ready(in);
    if (s != RATCHET_OK)
        return s;
    if (!name || !*name) {
        sq_host->set_error(in->ctx, "task_set_enabled: no task name");
        return RATCHET_ERR;
    }
    if ((s = sq_acquire_begin(in, &c)) != RATCHET_OK)
        return s;
    s = task_enable(in, c, name, enabled);
    if (s == RATCHET_OK)
        s = sq_commit(in, c);
    else
        sq_rollback(in, c);
    sq_release(in, c);
    return s;
}

/* ---- reading ---------------------------------------------------------------------------- */

static ratchet_status emit_versions(sq_inst *in, sq_conn *c, int64_t task_id, rs_out *o)
{
    sqlite3_stmt *st = sq_stmt(in, c, SQ_TASK_VERSIONS,
                               "SELECT id, version, checksum, source, created_at "
                               "FROM task_versions WHERE task_id = ?1 "
                               "ORDER BY version COLLATE semver");
    if (!st)
        return RATCHET_ERR;
    sq_bind_int(st, 1, task_id);
    rs_out_begin(o, "versions", '[');
    rs_row row = sq_row(st);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        rs_emit_version_brief(o, &row, 0);
    rs_out_end(o, ']');
    sq_reset(st);
    return rc == SQLITE_DONE ? RATCHET_OK : sq_fail(in, c, rc, "listing task versions");
}

static ratchet_status task_list(sq_inst *in, sq_conn *c, ratchet_buf *out)
{
    sqlite3_stmt *st = sq_stmt(in, c, SQ_TASK_LIST,
                               "SELECT t.id, t.uuid, t.name, t.description, t.tags, "
                               "(SELECT version FROM task_versions WHERE task_id = t.id "
                               "ORDER BY version COLLATE semver DESC LIMIT 1), t.enabled "
                               "FROM tasks t ORDER BY t.name");
    if (!st)
        return RATCHET_ERR;
    rs_out o;
    rs_out_init(&o, out);
    rs_out_begin(&o, NULL, '[');
    ratchet_status s = RATCHET_OK;
    int rc;
    rs_row row = sq_row(st);
    while (s == RATCHET_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        rs_emit_task_open(&o, &row);
        rs_out_col_str(&o, "latestVersion", &row, 5);
        s = emit_versions(in, c, sqlite3_column_int64(st, 0), &o);
        rs_out_bool(&o, "enabled", sqlite3_column_int(st, 6));
        rs_out_end(&o, '}');
    }
    rs_out_end(&o, ']');
    sq_reset(st);
    if (s != RATCHET_OK)
        return s;
    if (rc != SQLITE_DONE)
        return sq_fail(in, c, rc, "listing tasks");
    return rs_out_done(in->ctx, &o);
}

/* task_changes.seq: bumped by triggers on every change to tasks and task_versions, by any
 * process (migration 4). */
static ratchet_status task_seq(sq_inst *in, sq_conn *c, int64_t *seq)
{
    sqlite3_stmt *st = sq_stmt(in, c, SQ_TASK_SEQ, "SELECT seq FROM task_changes WHERE id = 1");
    if (!st)
        return RATCHET_ERR;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *seq = sqlite3_column_int64(st, 0);
    sq_reset(st);
    return rc == SQLITE_ROW ? RATCHET_OK : sq_fail(in, c, rc, "reading the task change counter");
}

/* The list is kept with the seq read BEFORE it was listed: a change committed in between
 * moves seq past the kept value, so the next call lists again. Unchanged seq: the kept text,
 * without the per-task queries (each submit resolves its task through this list). */
ratchet_status sqlite_task_list(void *instance, ratchet_buf *out)
{
    sq_inst *in = instance;
    sq_conn *c = NULL;
    ratchet_status s = sq_ready(in);
    if (s != RATCHET_OK || (s = sq_acquire(in, &c)) != RATCHET_OK)
        return s;
    int64_t seq = 0;
    s = task_seq(in, c, &seq);
    if (s == RATCHET_OK) {
        pthread_mutex_lock(&in->tl_mu);
        int hit = in->tl_text && in->tl_seq == seq;
        if (hit)
            s = sq_host->buf_append(out, in->tl_text, in->tl_len);
        pthread_mutex_unlock(&in->tl_mu);
        if (hit) {
            sq_release(in, c);
            return s;
        }
    }
    size_t start = out->len;
    s = task_list(in, c, out);
    sq_release(in, c);
    char *keep = s == RATCHET_OK && seq > 0 ? sq_host->alloc(out->len - start + 1) : NULL;
    if (keep) {
        memcpy(keep, out->data + start, out->len - start);
        keep[out->len - start] = '\0';
        pthread_mutex_lock(&in->tl_mu);
        sq_host->free(in->tl_text);
        in->tl_text = keep;
        in->tl_len = out->len - start;
        in->tl_seq = seq;
        pthread_mutex_unlock(&in->tl_mu);
    }
    return s;
}

static ratchet_status version_get(sq_inst *in, sq_conn *c, int64_t id, ratchet_buf *out)
{
    return sq_emit_by_id(in, c, SQ_TV_GET,
                         "SELECT v.id, v.task_id, t.name, v.version, "
                         "COALESCE(v.uuid, t.uuid), v.code, v.input_schema, "
                         "v.output_schema, v.metadata, v.checksum, v.source, v.created_at, "
                         "v.description, v.program FROM task_versions v "
                         "JOIN tasks t ON t.id = v.task_id WHERE v.id = ?1",
                         id, "task version", "reading a task version", rs_emit_task_version, out);
}

ratchet_status sqlite_task_version_get(void *instance, int64_t tv_id, ratchet_buf *out)
{
    sq_inst *in = instance;
    sq_conn *c = NULL;
    ratchet_status s = sq_ready(in);
    if (s != RATCHET_OK || (s = sq_acquire(in, &c)) != RATCHET_OK)
        return s;
    s = version_get(in, c, tv_id, out);
    sq_release(in, c);
    return s;
}
