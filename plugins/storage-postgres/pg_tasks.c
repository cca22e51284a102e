/*
 * pg_tasks.c - the task registry: tasks (one row per name) and their immutable versions.
 *
 * As storage-sqlite: syncing a stored name+version with the same checksum returns its id,
 * with another checksum it is refused; only the compiled program is replaced. The task row
 * shows its highest version's description and tags (semantic version order, compared in C:
 * PostgreSQL has no such collation). Two hosts syncing the same new task at once: the task
 * row is inserted with ON CONFLICT DO NOTHING and re-read, the version insert of the loser
 * meets the unique key and is then read as "existing".
 */
#include <stdlib.h>
#include <string.h>

#include "pg_int.h"

/* The task row's id, inserting the row when the name is new. */
static ratchet_status task_row(pg_inst *in, pg_conn *c, const rs_task_doc *t, int64_t now,
                               int64_t *task_id)
{
    char uuid[37];
    rs_uuid(uuid);
    pg_params p;
    pp_init(&p);
    pp_text(&p, t->uuid ? t->uuid : uuid);
    pp_text(&p, t->name);
    pp_text(&p, t->description);
    pp_text(&p, t->tags);
    pp_int(&p, now);
    ratchet_status s = pg_run_cmd(in, c, PG_TASK_INSERT,
                                  "INSERT INTO tasks (uuid, name, description, tags, created_at, "
                                  "updated_at) VALUES ($1, $2, $3, $4, $5, $5) "
                                  "ON CONFLICT (name) DO NOTHING",
                                  &p, "storing a task", NULL);
    if (s != RATCHET_OK)
        return s;
    pp_init(&p);
    pp_text(&p, t->name);
    PGresult *r = NULL;
    s = pg_run(in, c, PG_TASK_FIND, "SELECT id FROM tasks WHERE name = $1", &p, "looking up a task",
               &r);
    if (s != RATCHET_OK)
        return s;
    *task_id = PQntuples(r) > 0 ? pg_int(r, 0, 0) : 0;
    PQclear(r);
    return RATCHET_OK;
}

/* An existing version: same checksum -> its id; different -> refused. *id = 0 when new. */
static ratchet_status version_existing(pg_inst *in, pg_conn *c, int64_t task_id,
                                       const rs_task_doc *t, int64_t *id)
{
    pg_params p;
    pp_init(&p);
    pp_int(&p, task_id);
    pp_text(&p, t->version);
    PGresult *r = NULL;
    ratchet_status s = pg_run(in, c, PG_TV_FIND,
                              "SELECT id, checksum FROM task_versions "
                              "WHERE task_id = $1 AND version = $2",
                              &p, "looking up a task version", &r);
    if (s != RATCHET_OK)
        return s;
    *id = 0;
    if (PQntuples(r) > 0) {
        const char *sum = pg_str(r, 0, 1);
        if (sum && strcmp(sum, t->checksum) == 0) {
            *id = pg_int(r, 0, 0);
        } else {
            pg_host->set_error(in->ctx,
                               "task %s %s is already stored with different content "
                               "(checksum %s, now %s); give the changed task a new version",
                               t->name, t->version, sum ? sum : "?", t->checksum);
            s = RATCHET_ERR;
        }
    }
    PQclear(r);
    if (s == RATCHET_OK && *id && t->program) {
        pp_init(&p);
        pp_int(&p, *id);
        pp_text(&p, t->program);
        s = pg_run_cmd(in, c, PG_TV_PROGRAM,
                       "UPDATE task_versions SET program = $2 "
                       "WHERE id = $1 AND program IS DISTINCT FROM $2",
                       &p, "storing a compiled program", NULL);
    }
    return s;
}

/* Whether `version` is the highest of the task's versions. */
static ratchet_status is_latest(pg_inst *in, pg_conn *c, int64_t task_id, const char *version,
                                int *latest)
{
    pg_params p;
    pp_init(&p);
    pp_int(&p, task_id);
    PGresult *r = NULL;
    ratchet_status s =
        pg_run(in, c, PG_TV_VERSIONS_OF, "SELECT version FROM task_versions WHERE task_id = $1", &p,
               "listing task versions", &r);
    if (s != RATCHET_OK)
        return s;
    *latest = 1;
    for (int i = 0; i < PQntuples(r) && *latest; i++)
        if (pg_version_cmp(pg_str(r, i, 0), version) > 0)
            *latest = 0;
    PQclear(r);
    return RATCHET_OK;
}

static ratchet_status version_insert(pg_inst *in, pg_conn *c, int64_t task_id, const rs_task_doc *t,
                                     int64_t now, int64_t *id)
{
    pg_params p;
    pp_init(&p);
    pp_int(&p, task_id);
    pp_text(&p, t->version);
    pp_text(&p, t->uuid);
    pp_text(&p, t->description);
    pp_text(&p, t->metadata);
    pp_text(&p, t->code);
    pp_text(&p, t->input_schema);
    pp_text(&p, t->output_schema);
    pp_text(&p, t->checksum);
    pp_text(&p, t->source);
    pp_int(&p, now);
    pp_text(&p, t->program);
    PGresult *r = NULL;
    ratchet_status s = pg_run(in, c, PG_TV_INSERT,
                              "INSERT INTO task_versions (task_id, version, uuid, description, "
                              "metadata, code, input_schema, output_schema, checksum, source, "
                              "created_at, program) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
                              "$10, $11, $12) ON CONFLICT (task_id, version) DO NOTHING "
                              "RETURNING id",
                              &p, "storing a task version", &r);
    if (s != RATCHET_OK)
        return s;
    *id = PQntuples(r) > 0 ? pg_int(r, 0, 0) : 0;
    PQclear(r);
    if (*id == 0) /* another host stored it meanwhile */
        return version_existing(in, c, task_id, t, id);
    int latest = 0;
    if ((s = is_latest(in, c, task_id, t->version, &latest)) != RATCHET_OK || !latest)
        return s;
    pp_init(&p);
    pp_int(&p, task_id);
    pp_text(&p, t->description);
    pp_text(&p, t->tags);
    pp_int(&p, now);
    return pg_run_cmd(in, c, PG_TASK_UPDATE,
                      "UPDATE tasks SET description = $2, tags = $3, updated_at = $4 "
                      "WHERE id = $1",
                      &p, "updating a task", NULL);
}

ratchet_status pgs_task_sync(void *instance, const char *task_json, int64_t *tv_id, int *created)
{
    pg_inst *in = instance;
    *tv_id = 0;
    *created = 0;
    ratchet_status s = pg_ready(in);
    if (s != RATCHET_OK)
        return s;
    rs_task_doc t;
    if ((s = rs_task_doc_parse(in->ctx, task_json, &t)) != RATCHET_OK)
        return s;
    pg_conn *c = NULL;
    if ((s = pg_acquire_begin(in, &c)) == RATCHET_OK) {
        int64_t now = pg_now_ms(), task_id = 0;
        s = task_row(in, c, &t, now, &task_id);
        if (s == RATCHET_OK)
            s = version_existing(in, c, task_id, &t, tv_id);
        if (s == RATCHET_OK && *tv_id == 0) {
            s = version_insert(in, c, task_id, &t, now, tv_id);
            *created = s == RATCHET_OK;
        }
        s = pg_end(in, c, s);
        if (s != RATCHET_OK) {
            *tv_id = 0;
            *created = 0;
        }
        pg_release(in, c);
    }
    rs_task_doc_free(&t);
    return s;
}

/* ---- enable ------------------------------------------------------------------------------- */

ratchet_status pgs_task_set_enabled(void *instance, const char *name, int enabled)
{
    pg_inst *in = instance;
    ratchet_status s = pg_ready(in);
    if (s != RATCHET_OK)
        return s;
    if (!name || !*name) {
        pg_host->set_error(in->ctx, "task_set_enabled: no task name");
        return RATCHET_ERR;
    }
    pg_conn *c = NULL;
    if ((s = pg_acquire(in, &c)) != RATCHET_OK)
        return s;
    pg_params p;
    pp_init(&p);
    pp_text(&p, name);
    pp_bool(&p, enabled != 0);
    pp_int(&p, pg_now_ms());
    int64_t changed = 0;
    s = pg_run_cmd(in, c, PG_TASK_ENABLE,
                   "UPDATE tasks SET enabled = $2, updated_at = $3 WHERE name = $1", &p,
                   "enabling a task", &changed);
    pg_release(in, c);
    if (s == RATCHET_OK && changed == 0) {
        pg_host->set_error(in->ctx, "task '%s' does not exist", name);
        s = RATCHET_NOTFOUND;
    }
    return s;
}

/* ---- reading ------------------------------------------------------------------------------ */

typedef struct version_row {
    int64_t task_id;
    int row;
    const char *version;
} version_row;

static int version_row_cmp(const void *a, const void *b)
{
    const version_row *x = a, *y = b;
    if (x->task_id != y->task_id)
        return x->task_id < y->task_id ? -1 : 1;
    return pg_version_cmp(x->version, y->version);
}

/* Every version of every task, sorted by task then version (semantic order). */
static ratchet_status versions_sorted(pg_inst *in, pg_conn *c, PGresult **res, version_row **rows,
                                      int *n)
{
    ratchet_status s = pg_run(in, c, PG_TASK_VERSIONS,
                              "SELECT task_id, id, version, checksum, source, created_at "
                              "FROM task_versions",
                              NULL, "listing task versions", res);
    if (s != RATCHET_OK)
        return s;
    *n = PQntuples(*res);
    *rows = pg_host->calloc((size_t)(*n > 0 ? *n : 1), sizeof **rows);
    if (!*rows) {
        PQclear(*res);
        *res = NULL;
        pg_host->set_error(in->ctx, "out of memory");
        return RATCHET_NOMEM;
    }
    for (int i = 0; i < *n; i++)
        (*rows)[i] = (version_row){pg_int(*res, i, 0), i, pg_str(*res, i, 2)};
    qsort(*rows, (size_t)*n, sizeof **rows, version_row_cmp);
    return RATCHET_OK;
}

static void emit_task(rs_out *o, const PGresult *t, int i, const PGresult *v,
                      const version_row *rows, int nv, int *k)
{
    int64_t id = pg_int(t, i, 0);
    while (*k < nv && rows[*k].task_id < id)
        (*k)++;
    int first = *k, last = *k;
    while (last < nv && rows[last].task_id == id)
        last++;
    rs_row task = pg_row(t, i);
    rs_emit_task_open(o, &task);
    rs_out_str(o, "latestVersion", last > first ? rows[last - 1].version : NULL);
    rs_out_begin(o, "versions", '[');
    for (int j = first; j < last; j++) {
        rs_row version = pg_row(v, rows[j].row);
        rs_emit_version_brief(o, &version, 1);
    }
    rs_out_end(o, ']');
    rs_out_col_bool(o, "enabled", &task, 5);
    rs_out_end(o, '}');
    *k = last;
}

/* task_changes.seq: bumped by triggers on every change to tasks and task versions, by any
 * host (in the caller's transaction, so read within one it is that snapshot's). */
static ratchet_status task_seq(pg_inst *in, pg_conn *c, int64_t *seq)
{
    PGresult *r = NULL;
    ratchet_status s = pg_run(in, c, PG_TASK_SEQ, "SELECT seq FROM task_changes WHERE id = 1", NULL,
                              "reading the task change counter", &r);
    if (s == RATCHET_OK) {
        *seq = PQntuples(r) > 0 ? pg_int(r, 0, 0) : 0;
        PQclear(r);
    }
    return s;
}

/* The kept answer when it is still the one for `seq`. */
static int list_cached(pg_inst *in, int64_t seq, ratchet_buf *out, ratchet_status *s)
{
    pthread_mutex_lock(&in->tl_mu);
    int hit = in->tl_text && in->tl_seq == seq;
    if (hit)
        *s = pg_host->buf_append(out, in->tl_text, in->tl_len);
    pthread_mutex_unlock(&in->tl_mu);
    return hit;
}

static void list_keep(pg_inst *in, int64_t seq, const char *text, size_t len)
{
    char *keep = pg_host->alloc(len + 1);
    if (!keep)
        return;
    memcpy(keep, text, len);
    keep[len] = '\0';
    pthread_mutex_lock(&in->tl_mu);
    pg_host->free(in->tl_text);
    in->tl_text = keep;
    in->tl_len = len;
    in->tl_seq = seq;
    pthread_mutex_unlock(&in->tl_mu);
}

static void list_write(rs_out *o, const PGresult *t, const PGresult *v, const version_row *rows,
                       int nv)
{
    /* rows are sorted by task id; tasks by name: look each task's range up by id. */
    rs_out_begin(o, NULL, '[');
    for (int i = 0; i < PQntuples(t); i++) {
        int64_t id = pg_int(t, i, 0);
        int lo = 0, hi = nv;
        while (lo < hi) {
            int mid = (lo + hi) / 2;
            if (rows[mid].task_id < id)
                lo = mid + 1;
            else
                hi = mid;
        }
        emit_task(o, t, i, v, rows, nv, &lo);
    }
    rs_out_end(o, ']');
}

/* Most calls (each submit through the API resolves its task here) find the counter unchanged
 * and answer from memory after one small read; otherwise the list is read in one snapshot,
 * with the counter, and kept. */
ratchet_status pgs_task_list(void *instance, ratchet_buf *out)
{
    pg_inst *in = instance;
    pg_conn *c = NULL;
    ratchet_status s = pg_ready(in);
    if (s != RATCHET_OK || (s = pg_acquire(in, &c)) != RATCHET_OK)
        return s;
    int64_t seq = 0;
    s = task_seq(in, c, &seq);
    if (s == RATCHET_OK && list_cached(in, seq, out, &s)) {
        pg_release(in, c);
        return s;
    }
    PGresult *t = NULL, *v = NULL;
    version_row *rows = NULL;
    int nv = 0;
    if (s == RATCHET_OK)
        s = pg_exec(in, c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", "listing tasks");
    if (s == RATCHET_OK)
        s = task_seq(in, c, &seq);
    if (s == RATCHET_OK)
        s = pg_run(in, c, PG_TASK_LIST,
                   "SELECT id, uuid, name, description, tags, enabled FROM tasks "
                   "ORDER BY name COLLATE \"C\"",
                   NULL, "listing tasks", &t);
    if (s == RATCHET_OK)
        s = versions_sorted(in, c, &v, &rows, &nv);
    s = pg_end(in, c, s);
    pg_release(in, c);
    if (s == RATCHET_OK) {
        size_t start = out->len;
        rs_out o;
        rs_out_init(&o, out);
        list_write(&o, t, v, rows, nv);
        s = rs_out_done(in->ctx, &o);
        if (s == RATCHET_OK)
            list_keep(in, seq, out->data + start, out->len - start);
    }
    pg_host->free(rows);
    PQclear(t);
    PQclear(v);
    return s;
}

ratchet_status pgs_task_version_get(void *instance, int64_t tv_id, ratchet_buf *out)
{
    pg_inst *in = instance;
    pg_conn *c = NULL;
    ratchet_status s = pg_ready(in);
    if (s != RATCHET_OK || (s = pg_acquire(in, &c)) != RATCHET_OK)
        return s;
    s = pg_emit_by_id(in, c, PG_TV_GET,
                      "SELECT v.id, v.task_id, t.name, v.version, COALESCE(v.uuid, t.uuid), "
                      "v.code, v.input_schema, v.output_schema, v.metadata, v.checksum, "
                      "v.source, v.created_at, v.description, v.program FROM task_versions v "
                      "JOIN tasks t ON t.id = v.task_id WHERE v.id = $1",
                      tv_id, "task version", "reading a task version", rs_emit_task_version, out);
    pg_release(in, c);
    return s;
}
