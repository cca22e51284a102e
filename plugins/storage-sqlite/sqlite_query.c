/*
 * sqlite_query.c - the queue's read side: jobs and executions as JSON (get, filtered lists),
 * the next due time and the cancel requests of an owner.
 *
 * Lists are newest first (id DESC) and page with limit/offset; `total` counts every match.
 * Filters are JSON objects; unknown keys are ignored so that a newer engine's extra filters
 * do not break an older plugin (they are documented to grow by adding keys).
 */
#include <stdio.h>
#include <string.h>

#include "sqlite_int.h"

#define LIST_LIMIT_DEFAULT 100
#define LIST_LIMIT_MAX     1000

#define JOB_COLS                                                                                   \
    "SELECT j.id, j.uuid, j.task_id, t.name, v.version, j.task_version_id, j.status, "             \
    "j.priority, j.input, j.output, j.error, max(j.attempts - 1, 0), j.max_retries, j.attempts, "  \
    "j.idempotency_key, j.schedule_id, j.execution_id, j.queued_at, j.process_at, "                \
    "j.started_at, j.completed_at, j.cancel_requested, j.lease_owner, j.lease_until, j.meta "      \
    "FROM jobs j JOIN task_versions v ON v.id = j.task_version_id "                                \
    "JOIN tasks t ON t.id = j.task_id "

#define EXEC_COLS                                                                                  \
    "SELECT e.id, e.uuid, e.job_id, e.task_id, t.name, v.version, e.status, "                      \
    "COALESCE(e.input, j.input), e.output, e.error, e.logs, e.http, e.started_at, "                \
    "e.completed_at, e.duration_ms, e.attempt "                                                    \
    "FROM executions e JOIN task_versions v ON v.id = e.task_version_id "                          \
    "JOIN tasks t ON t.id = e.task_id LEFT JOIN jobs j ON j.id = e.job_id "

static void emit_job(sq_out *o, sqlite3_stmt *st)
{
    sq_out_begin(o, NULL, '{');
    sq_out_col_int(o, "id", st, 0);
    sq_out_col_str(o, "uuid", st, 1);
    sq_out_col_int(o, "taskId", st, 2);
    sq_out_col_str(o, "taskName", st, 3);
    sq_out_col_str(o, "taskVersion", st, 4);
    sq_out_col_int(o, "taskVersionId", st, 5);
    sq_out_col_str(o, "status", st, 6);
    sq_out_str(o, "priority", sq_priority_name(sqlite3_column_int64(st, 7)));
    sq_out_col_json(o, "input", st, 8);
    sq_out_col_json(o, "output", st, 9);
    sq_out_col_json(o, "error", st, 10);
    sq_out_col_int(o, "retryCount", st, 11);
    sq_out_col_int(o, "maxRetries", st, 12);
    sq_out_col_int(o, "attempts", st, 13);
    sq_out_col_str(o, "idempotencyKey", st, 14);
    sq_out_col_int(o, "scheduleId", st, 15);
    sq_out_col_int(o, "executionId", st, 16);
    sq_out_col_time(o, "queuedAt", st, 17);
    sq_out_col_time(o, "processAt", st, 18);
    sq_out_col_time(o, "startedAt", st, 19);
    sq_out_col_time(o, "completedAt", st, 20);
    sq_out_bool(o, "cancelRequested", sqlite3_column_int(st, 21));
    sq_out_col_str(o, "leaseOwner", st, 22);
    sq_out_col_time(o, "leaseUntil", st, 23);
    sq_out_col_json(o, "meta", st, 24);
    sq_out_end(o, '}');
}

static void emit_exec(sq_out *o, sqlite3_stmt *st)
{
    sq_out_begin(o, NULL, '{');
    sq_out_col_int(o, "id", st, 0);
    sq_out_col_str(o, "uuid", st, 1);
    sq_out_col_int(o, "jobId", st, 2);
    sq_out_col_int(o, "taskId", st, 3);
    sq_out_col_str(o, "taskName", st, 4);
    sq_out_col_str(o, "taskVersion", st, 5);
    sq_out_col_str(o, "status", st, 6);
    sq_out_col_json(o, "input", st, 7);
    sq_out_col_json(o, "output", st, 8);
    sq_out_col_json(o, "error", st, 9);
    sq_out_col_json(o, "logs", st, 10);
    sq_out_col_json(o, "http", st, 11);
    sq_out_col_time(o, "startedAt", st, 12);
    sq_out_col_time(o, "completedAt", st, 13);
    sq_out_col_int(o, "durationMs", st, 14);
    sq_out_col_int(o, "attempt", st, 15);
    sq_out_end(o, '}');
}

ratchet_status sq_emit_by_id(sq_inst *in, sq_conn *c, sq_slot slot, const char *sql, int64_t id,
                             const char *kind, const char *what,
                             void (*emit)(sq_out *, sqlite3_stmt *), ratchet_buf *out)
{
    sqlite3_stmt *st = sq_stmt(in, c, slot, sql);
    if (!st)
        return RATCHET_ERR;
    sq_bind_int(st, 1, id);
    int rc = sqlite3_step(st);
    ratchet_status s;
    if (rc == SQLITE_ROW) {
        sq_out o;
        sq_out_init(&o, out);
        emit(&o, st);
        s = sq_out_done(in, &o);
    } else if (rc == SQLITE_DONE) {
        sq_host->set_error(in->ctx, "%s %lld does not exist", kind, (long long)id);
        s = RATCHET_NOTFOUND;
    } else {
        s = sq_fail(in, c, rc, what);
    }
    sq_reset(st);
    return s;
}

ratchet_status sq_job_emit(sq_inst *in, sq_conn *c, int64_t job_id, ratchet_buf *out)
{
    return sq_emit_by_id(in, c, SQ_JOB_GET, JOB_COLS "WHERE j.id = ?1", job_id, "job",
                         "reading a record", emit_job, out);
}

/* Borrow a connection for one read-only call. */
#define WITH_CONN(in, c, call)                                                                     \
    do {                                                                                           \
        ratchet_status s_ = sq_ready(in);                                                          \
        if (s_ != RATCHET_OK || (s_ = sq_acquire(in, &(c))) != RATCHET_OK)                         \
            return s_;                                                                             \
        s_ = (call);                                                                               \
        sq_release(in, c);                                                                         \
        return s_;                                                                                 \
    } while (0)

ratchet_status sqlite_job_get(void *instance, int64_t job_id, ratchet_buf *out)
{
    sq_inst *in = instance;
    sq_conn *c = NULL;
    WITH_CONN(in, c, sq_job_emit(in, c, job_id, out));
}

static ratchet_status exec_emit(sq_inst *in, sq_conn *c, int64_t id, ratchet_buf *out)
{
    return sq_emit_by_id(in, c, SQ_EXEC_GET, EXEC_COLS "WHERE e.id = ?1", id, "execution",
                         "reading a record", emit_exec, out);
}

ratchet_status sqlite_execution_get(void *instance, int64_t execution_id, ratchet_buf *out)
{
    sq_inst *in = instance;
    sq_conn *c = NULL;
    WITH_CONN(in, c, exec_emit(in, c, execution_id, out));
}

/* ---- lists ------------------------------------------------------------------------------ */

/* A parsed list filter. Strings point into `doc`. */
typedef struct list_filter {
    json_object *doc;
    const char *status, *task_name;
    int64_t job_id, limit, offset;
} list_filter;

static int in_set(const char *s, const char *const *set)
{
    for (; *set; set++)
        if (strcmp(s, *set) == 0)
            return 1;
    return 0;
}

static ratchet_status filter_parse(sq_inst *in, const char *json, const char *what,
                                   const char *const *statuses, const char *expect, list_filter *f)
{
    memset(f, 0, sizeof *f);
    f->limit = LIST_LIMIT_DEFAULT;
    ratchet_status s = sq_parse_object(in, json, what, 1, &f->doc);
    if (s == RATCHET_OK)
        s = sq_get_str(in, f->doc, what, "status", 0, &f->status);
    if (s == RATCHET_OK)
        s = sq_get_str(in, f->doc, what, "taskName", 0, &f->task_name);
    if (s == RATCHET_OK)
        s = sq_get_int(in, f->doc, what, "jobId", 0, &f->job_id);
    if (s == RATCHET_OK)
        s = sq_get_int(in, f->doc, what, "limit", 0, &f->limit);
    if (s == RATCHET_OK)
        s = sq_get_int(in, f->doc, what, "offset", 0, &f->offset);
    if (s == RATCHET_OK && f->status && !in_set(f->status, statuses)) {
        sq_host->set_error(in->ctx, "%s: unknown status '%s' (expected %s)", what, f->status,
                           expect);
        s = RATCHET_ERR;
    }
    if (s == RATCHET_OK && (f->limit < 1 || f->limit > LIST_LIMIT_MAX)) {
        sq_host->set_error(in->ctx, "%s: limit must be 1..%d, got %lld", what, LIST_LIMIT_MAX,
                           (long long)f->limit);
        s = RATCHET_ERR;
    }
    if (s == RATCHET_OK && f->offset < 0) {
        sq_host->set_error(in->ctx, "%s: offset must not be negative", what);
        s = RATCHET_ERR;
    }
    if (s != RATCHET_OK) {
        json_object_put(f->doc);
        f->doc = NULL;
    }
    return s;
}

/* Build "<head> WHERE a AND b ... <tail>" from the conditions selected by `bits`. */
static void build_sql(char *sql, size_t len, const char *head, const char *const *conds,
                      unsigned bits, const char *tail)
{
    size_t n = (size_t)snprintf(sql, len, "%s", head);
    const char *joiner = " WHERE ";
    for (unsigned b = 0; conds[b]; b++) {
        if (!(bits & (1u << b)) || n >= len)
            continue;
        n += (size_t)snprintf(sql + n, len - n, "%s%s", joiner, conds[b]);
        joiner = " AND ";
    }
    if (n < len)
        snprintf(sql + n, len - n, "%s", tail);
}

typedef struct list_query {
    sq_slot list_slot, count_slot; /* first of the variants */
    const char *cols, *count_head;
    char alias;               /* of the listed table, for ORDER BY */
    const char *const *conds; /* NULL-terminated; condition b uses parameter ?(b+1) */
    int nconds;
    /* Bind every condition's value: parameters a variant lacks are skipped (SQLITE_RANGE). */
    void (*bind)(sqlite3_stmt *, const list_filter *);
    void (*emit)(sq_out *, sqlite3_stmt *);
    /* The filter: its name in errors, the statuses it accepts (and how errors list them), and
     * which conditions (bit b: conds[b]) it selects. */
    const char *what;
    const char *const *statuses;
    const char *expect;
    unsigned (*bits)(const list_filter *);
} list_query;

static ratchet_status list_run(sq_inst *in, sq_conn *c, const list_query *q, const list_filter *f,
                               unsigned bits, ratchet_buf *out)
{
    char sql[2048];
    char tail[64];
    snprintf(tail, sizeof tail, " ORDER BY %c.id DESC LIMIT ?%d OFFSET ?%d", q->alias,
             q->nconds + 1, q->nconds + 2);
    sqlite3_stmt *count = c->stmt[q->count_slot + bits];
    if (!count) {
        build_sql(sql, sizeof sql, q->count_head, q->conds, bits, "");
        count = sq_stmt(in, c, (sq_slot)(q->count_slot + bits), sql);
    }
    sqlite3_stmt *list = c->stmt[q->list_slot + bits];
    if (!list) {
        build_sql(sql, sizeof sql, q->cols, q->conds, bits, tail);
        list = sq_stmt(in, c, (sq_slot)(q->list_slot + bits), sql);
    }
    if (!count || !list)
        return RATCHET_ERR;

    q->bind(count, f);
    int rc = sqlite3_step(count);
    int64_t total = rc == SQLITE_ROW ? sqlite3_column_int64(count, 0) : 0;
    sq_reset(count);
    if (rc != SQLITE_ROW)
        return sq_fail(in, c, rc, "counting records");

    q->bind(list, f);
    sq_bind_int(list, q->nconds + 1, f->limit);
    sq_bind_int(list, q->nconds + 2, f->offset);
    sq_out o;
    sq_out_init(&o, out);
    sq_out_begin(&o, NULL, '{');
    sq_out_begin(&o, "items", '[');
    while ((rc = sqlite3_step(list)) == SQLITE_ROW)
        q->emit(&o, list);
    sq_out_end(&o, ']');
    sq_out_int(&o, "total", total);
    sq_out_end(&o, '}');
    sq_reset(list);
    if (rc != SQLITE_DONE)
        return sq_fail(in, c, rc, "listing records");
    return sq_out_done(in, &o);
}

/* A list call: parse filter_json as q's filter, then run q on a pooled connection. */
static ratchet_status list_filtered(void *instance, const list_query *q, const char *filter_json,
                                    ratchet_buf *out)
{
    sq_inst *in = instance;
    list_filter f;
    ratchet_status s = sq_ready(in);
    if (s != RATCHET_OK)
        return s;
    s = filter_parse(in, filter_json, q->what, q->statuses, q->expect, &f);
    if (s != RATCHET_OK)
        return s;
    unsigned bits = q->bits(&f);
    sq_conn *c = NULL;
    if ((s = sq_acquire(in, &c)) == RATCHET_OK) {
        s = list_run(in, c, q, &f, bits, out);
        sq_release(in, c);
    }
    json_object_put(f.doc);
    return s;
}

static const char *const job_statuses[] = {"queued",    "processing", "completed", "failed",
                                           "cancelled", "retrying",   NULL};
static const char *const job_conds[] = {"j.status = ?1",
                                        "j.task_id = (SELECT id FROM tasks WHERE name = ?2)", NULL};

static void job_bind(sqlite3_stmt *st, const list_filter *f)
{
    sq_bind_text(st, 1, f->status);
    sq_bind_text(st, 2, f->task_name);
}

static unsigned job_bits(const list_filter *f)
{
    return (f->status ? 1u : 0u) | (f->task_name ? 2u : 0u);
}

ratchet_status sqlite_job_list(void *instance, const char *filter_json, ratchet_buf *out)
{
    static const list_query q = {
        SQ_JOB_LIST,
        SQ_JOB_COUNT,
        JOB_COLS,
        "SELECT count(*) FROM jobs j",
        'j',
        job_conds,
        2,
        job_bind,
        emit_job,
        "job filter",
        job_statuses,
        "queued|processing|completed|failed|cancelled|retrying",
        job_bits,
    };
    return list_filtered(instance, &q, filter_json, out);
}

static const char *const exec_statuses[] = {"pending", "running",   "completed",
                                            "failed",  "cancelled", NULL};
static const char *const exec_conds[] = {
    "e.job_id = ?1", "e.task_id = (SELECT id FROM tasks WHERE name = ?2)", "e.status = ?3", NULL};

static void exec_bind(sqlite3_stmt *st, const list_filter *f)
{
    sq_bind_int(st, 1, f->job_id);
    sq_bind_text(st, 2, f->task_name);
    sq_bind_text(st, 3, f->status);
}

static unsigned exec_bits(const list_filter *f)
{
    return (f->job_id ? 1u : 0u) | (f->task_name ? 2u : 0u) | (f->status ? 4u : 0u);
}

ratchet_status sqlite_execution_list(void *instance, const char *filter_json, ratchet_buf *out)
{
    static const list_query q = {
        SQ_EXEC_LIST,
        SQ_EXEC_COUNT,
        EXEC_COLS,
        "SELECT count(*) FROM executions e",
        'e',
        exec_conds,
        3,
        exec_bind,
        emit_exec,
        "execution filter",
        exec_statuses,
        "pending|running|completed|failed|cancelled",
        exec_bits,
    };
    return list_filtered(instance, &q, filter_json, out);
}

/* ---- small queries ---------------------------------------------------------------------- */

static ratchet_status next_due(sq_inst *in, sq_conn *c, int64_t now, int64_t *at)
{
    sqlite3_stmt *st = sq_stmt(in, c, SQ_NEXT_DUE,
                               "SELECT min(process_at) FROM jobs INDEXED BY jobs_due "
                               "WHERE status IN ('queued', 'retrying') AND process_at > ?1");
    if (!st)
        return RATCHET_ERR;
    sq_bind_int(st, 1, now);
    int rc = sqlite3_step(st);
    *at = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0; /* NULL reads as 0: none */
    sq_reset(st);
    return rc == SQLITE_ROW ? RATCHET_OK : sq_fail(in, c, rc, "finding the next due job");
}

ratchet_status sqlite_job_next_due(void *instance, int64_t now_ms, int64_t *at_ms)
{
    sq_inst *in = instance;
    sq_conn *c = NULL;
    *at_ms = 0;
    WITH_CONN(in, c, next_due(in, c, now_ms, at_ms));
}

static ratchet_status cancel_requests(sq_inst *in, sq_conn *c, const char *owner, ratchet_buf *out)
{
    sqlite3_stmt *st = sq_stmt(in, c, SQ_CANCEL_REQUESTS,
                               "SELECT id FROM jobs WHERE lease_owner = ?1 AND "
                               "status = 'processing' AND cancel_requested = 1 ORDER BY id");
    if (!st)
        return RATCHET_ERR;
    sq_bind_text(st, 1, owner);
    sq_out o;
    sq_out_init(&o, out);
    sq_out_begin(&o, NULL, '[');
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        sq_out_int(&o, NULL, sqlite3_column_int64(st, 0));
    sq_out_end(&o, ']');
    sq_reset(st);
    if (rc != SQLITE_DONE)
        return sq_fail(in, c, rc, "reading cancel requests");
    return sq_out_done(in, &o);
}

ratchet_status sqlite_job_cancel_requests(void *instance, const char *owner, ratchet_buf *out)
{
    sq_inst *in = instance;
    sq_conn *c = NULL;
    WITH_CONN(in, c, cancel_requests(in, c, owner, out));
}
