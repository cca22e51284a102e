/*
 * pg_conn.c - connections (a pool per instance), prepared statements, transactions, and the
 * mapping of libpq failures to Ratchet statuses and messages.
 *
 * Messages name the server as "host:port/dbname" (in->where), never the URL as written: a URL
 * may hold the password, which is neither logged nor echoed. libpq's own messages do not
 * contain it.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pg_int.h"

int64_t pg_now_ms(void)
{
    return pg_host->now_us() / 1000;
}

int64_t pg_mono_ms(void)
{
    return pg_host->monotonic_ns() / 1000000;
}

struct timespec pg_deadline(int64_t ms)
{
    struct timespec t;
    if (ms < 0)
        ms = 0;
    clock_gettime(CLOCK_MONOTONIC, &t);
    t.tv_sec += (time_t)(ms / 1000);
    t.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (t.tv_nsec >= 1000000000L) {
        t.tv_sec++;
        t.tv_nsec -= 1000000000L;
    }
    return t;
}

ratchet_status pg_cond_init(pthread_cond_t *cv)
{
    pthread_condattr_t a;
    if (pthread_condattr_init(&a) != 0)
        return RATCHET_NOMEM;
    pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
    int rc = pthread_cond_init(cv, &a);
    pthread_condattr_destroy(&a);
    return rc == 0 ? RATCHET_OK : RATCHET_NOMEM;
}

/* ---- the URL ------------------------------------------------------------------------------ */

/* Whether the text may carry a password (then libpq's parse error, which can quote a piece of
 * the text, is not shown). */
static int may_hold_password(const char *url)
{
    if (strstr(url, "password"))
        return 1;
    const char *scheme = strstr(url, "://");
    const char *at = scheme ? strchr(scheme + 3, '@') : NULL;
    return at && memchr(scheme + 3, ':', (size_t)(at - scheme - 3)) != NULL;
}

ratchet_status pg_url_check(pg_inst *in)
{
    char *err = NULL;
    PQconninfoOption *opts = PQconninfoParse(in->url, &err);
    if (!opts) {
        if (err && !may_hold_password(in->url))
            pg_host->set_error(in->ctx,
                               "url: not a libpq connection string or postgresql:// URI: %s", err);
        else
            pg_host->set_error(in->ctx,
                               "url: not a libpq connection string or postgresql:// URI (the "
                               "text is not shown: it may hold a password)");
        PQfreemem(err);
        return RATCHET_ERR;
    }
    const char *host = NULL, *port = NULL, *db = NULL, *user = NULL;
    for (PQconninfoOption *o = opts; o->keyword; o++) {
        if (!o->val || !*o->val)
            continue;
        if (!strcmp(o->keyword, "host") || (!host && !strcmp(o->keyword, "hostaddr")))
            host = o->val;
        else if (!strcmp(o->keyword, "port"))
            port = o->val;
        else if (!strcmp(o->keyword, "dbname"))
            db = o->val;
        else if (!strcmp(o->keyword, "user"))
            user = o->val;
    }
    if (!host)
        host = getenv("PGHOST");
    if (!port)
        port = getenv("PGPORT");
    ratchet_buf b = RATCHET_BUF_INIT;
    ratchet_status s =
        pg_host->buf_printf(&b, "%s:%s/%s", host && *host ? host : "localhost",
                            port && *port ? port : "5432", db ? db : (user ? user : "postgres"));
    PQconninfoFree(opts);
    if (s != RATCHET_OK) {
        pg_host->buf_free(&b);
        pg_host->set_error(in->ctx, "out of memory");
        return RATCHET_NOMEM;
    }
    in->where = b.data; /* host-allocated, freed with host->free */
    return RATCHET_OK;
}

/* ---- connecting --------------------------------------------------------------------------- */

/* libpq's message without its trailing newline, into out. */
static void pq_message(PGconn *pg, char *out, size_t len)
{
    snprintf(out, len, "%s", pg ? PQerrorMessage(pg) : "out of memory");
    size_t n = strlen(out);
    while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == ' '))
        out[--n] = '\0';
    /* one line: libpq's hints come on indented lines of their own */
    char *w = out;
    for (const char *r = out; *r; r++) {
        char ch = *r == '\n' || *r == '\t' ? ' ' : *r;
        if (ch != ' ' || (w > out && w[-1] != ' '))
            *w++ = ch;
    }
    *w = '\0';
}

/* The server's notices and the errors it sends outside a query ("FATAL: terminating connection
 * due to administrator command" when it shuts down) go to the log at debug level instead of
 * libpq's default, stderr: the lost connection is logged once where it is noticed. */
static void pg_notice(void *arg, const char *message)
{
    pg_inst *in = arg;
    if (pg_host->log_enabled(RATCHET_LOG_DEBUG))
        pg_host->log(in->ctx, RATCHET_LOG_DEBUG, "PostgreSQL at %s: %.*s", in->where,
                     (int)strcspn(message, "\n"), message);
}

ratchet_status pg_open(pg_inst *in, PGconn **out)
{
    *out = NULL;
    char timeout[24];
    /* libpq takes whole seconds (and treats 1 as 2). */
    snprintf(timeout, sizeof timeout, "%lld", (long long)((in->connect_timeout_ms + 999) / 1000));
    /* Keys are applied in order: the url may override those before it, not those after.
     * Keepalives notice a server that vanished without closing (a host down, a network
     * partition) in about half a minute, the listening connection included. */
    const char *keys[] = {
        "keepalives_idle", "keepalives_interval", "keepalives_count", "application_name",
        "dbname",          "connect_timeout",     "client_encoding",  NULL};
    const char *vals[] = {"10", "5", "3", "ratchet", in->url, timeout, "UTF8", NULL};
    PGconn *pg = PQconnectdbParams(keys, vals, 1);
    if (!pg || PQstatus(pg) != CONNECTION_OK) {
        char msg[512];
        pq_message(pg, msg, sizeof msg);
        ratchet_status s = RATCHET_RETRY;
        if (strstr(msg, "password authentication failed") || strstr(msg, "no password supplied") ||
            strstr(msg, "authentication failed")) {
            pg_host->set_error(in->ctx,
                               "cannot log in to PostgreSQL at %s: %s (check the password: in "
                               "the url, PGPASSWORD or the password file ~/.pgpass)",
                               in->where, msg);
            s = RATCHET_ERR;
        } else if (strstr(msg, "does not exist")) {
            pg_host->set_error(in->ctx, "cannot connect to PostgreSQL at %s: %s", in->where, msg);
            s = RATCHET_ERR;
        } else {
            pg_host->set_error(in->ctx,
                               "cannot connect to PostgreSQL at %s (unreachable within %lld ms "
                               "or refused): %s",
                               in->where, (long long)in->connect_timeout_ms, msg);
        }
        PQfinish(pg);
        return s;
    }
    PQsetNoticeProcessor(pg, pg_notice, in);
    char sql[160];
    snprintf(sql, sizeof sql, "SET search_path TO %s; SET statement_timeout = %lld", in->schema,
             (long long)in->statement_timeout_ms);
    PGresult *r = PQexec(pg, sql);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        char msg[512];
        pq_message(pg, msg, sizeof msg);
        pg_host->set_error(in->ctx, "PostgreSQL at %s: setting up a connection: %s", in->where,
                           msg);
        PQclear(r);
        PQfinish(pg);
        return RATCHET_ERR;
    }
    PQclear(r);
    *out = pg;
    return RATCHET_OK;
}

/* ---- the pool ----------------------------------------------------------------------------- */

static void conn_close(pg_conn *c)
{
    if (!c)
        return;
    PQfinish(c->pg);
    pg_host->free(c);
}

/* Forget a connection (broken): its slot may be opened again. */
static void pool_drop(pg_inst *in, pg_conn *c)
{
    pthread_mutex_lock(&in->pool_mu);
    for (int i = 0; i < in->pool_max; i++)
        if (in->conns[i] == c)
            in->conns[i] = NULL;
    in->nconns--;
    pthread_cond_signal(&in->pool_cv);
    pthread_mutex_unlock(&in->pool_mu);
    conn_close(c);
}

/* A pooled connection whose server went away: reconnect it in place. An idle connection has
 * nothing to read unless the server closed it (it sends a FATAL message, then EOF, when it
 * shuts down or restarts): reading that marks the connection bad, so a restart costs the next
 * call a reconnect rather than an error. */
static ratchet_status conn_revive(pg_inst *in, pg_conn *c)
{
    /* The FATAL message and the EOF may take two reads. */
    for (int i = 0; i < 4 && PQstatus(c->pg) == CONNECTION_OK; i++) {
        struct pollfd p = {PQsocket(c->pg), POLLIN, 0};
        if (p.fd < 0 || poll(&p, 1, 0) <= 0 || !PQconsumeInput(c->pg))
            break;
    }
    if (PQstatus(c->pg) == CONNECTION_OK && !c->broken)
        return RATCHET_OK;
    PGconn *fresh = NULL;
    ratchet_status s = pg_open(in, &fresh);
    if (s != RATCHET_OK)
        return s;
    PQfinish(c->pg);
    c->pg = fresh;
    c->broken = 0;
    memset(c->prepared, 0, sizeof c->prepared);
    return RATCHET_OK;
}

ratchet_status pg_acquire(pg_inst *in, pg_conn **out)
{
    *out = NULL;
    int64_t wait_ms = in->connect_timeout_ms + in->statement_timeout_ms + 1000;
    pthread_mutex_lock(&in->pool_mu);
    struct timespec until = pg_deadline(wait_ms);
    while (!in->idle && in->nconns >= in->pool_max) {
        int rc = pthread_cond_timedwait(&in->pool_cv, &in->pool_mu, &until);
        if (rc == ETIMEDOUT && !in->idle && in->nconns >= in->pool_max) {
            pthread_mutex_unlock(&in->pool_mu);
            pg_host->set_error(in->ctx,
                               "all %d connections to PostgreSQL at %s stayed busy for %lld ms "
                               "(raise `pool_size`?)",
                               in->pool_max, in->where, (long long)wait_ms);
            return RATCHET_RETRY;
        }
    }
    pg_conn *c = in->idle;
    if (c) {
        in->idle = c->next_idle;
        pthread_mutex_unlock(&in->pool_mu);
        ratchet_status s = conn_revive(in, c);
        if (s != RATCHET_OK) {
            pool_drop(in, c);
            return s;
        }
        *out = c;
        return RATCHET_OK;
    }
    in->nconns++; /* reserve the slot, connect outside the lock */
    pthread_mutex_unlock(&in->pool_mu);

    c = pg_host->calloc(1, sizeof *c);
    ratchet_status s = c ? pg_open(in, &c->pg) : RATCHET_NOMEM;
    if (!c)
        pg_host->set_error(in->ctx, "out of memory");
    pthread_mutex_lock(&in->pool_mu);
    if (s != RATCHET_OK) {
        in->nconns--;
        pthread_cond_signal(&in->pool_cv);
        pg_host->free(c);
        c = NULL;
    } else {
        for (int i = 0; i < in->pool_max; i++)
            if (!in->conns[i]) {
                in->conns[i] = c;
                break;
            }
    }
    pthread_mutex_unlock(&in->pool_mu);
    *out = c;
    return s;
}

void pg_release(pg_inst *in, pg_conn *c)
{
    if (!c)
        return;
    if (PQstatus(c->pg) == CONNECTION_OK && !c->broken &&
        PQtransactionStatus(c->pg) != PQTRANS_IDLE)
        PQclear(PQexec(c->pg, "ROLLBACK"));
    pthread_mutex_lock(&in->pool_mu);
    c->next_idle = in->idle;
    in->idle = c;
    pthread_cond_signal(&in->pool_cv);
    pthread_mutex_unlock(&in->pool_mu);
}

void pg_pool_close(pg_inst *in)
{
    pthread_mutex_lock(&in->pool_mu);
    for (int i = 0; i < in->pool_max; i++) {
        conn_close(in->conns[i]);
        in->conns[i] = NULL;
    }
    in->idle = NULL;
    in->nconns = 0;
    pthread_mutex_unlock(&in->pool_mu);
}

/* ---- parameters --------------------------------------------------------------------------- */

void pp_init(pg_params *p)
{
    p->n = 0;
}

static int pp_slot(pg_params *p)
{
    /* More parameters than a statement of ours has is a programming error: the extra ones
     * are dropped and the server reports the mismatch. */
    return p->n < PG_MAX_PARAMS ? p->n++ : PG_MAX_PARAMS - 1;
}

void pp_text(pg_params *p, const char *s)
{
    p->v[pp_slot(p)] = s;
}

void pp_int(pg_params *p, int64_t v)
{
    int i = pp_slot(p);
    snprintf(p->num[i], sizeof p->num[i], "%lld", (long long)v);
    p->v[i] = p->num[i];
}

void pp_opt(pg_params *p, int64_t v)
{
    if (v)
        pp_int(p, v);
    else
        pp_text(p, NULL);
}

void pp_bool(pg_params *p, int v)
{
    pp_text(p, v ? "t" : "f");
}

/* ---- running statements ------------------------------------------------------------------- */

const char *pg_sqlstate(const PGresult *res)
{
    const char *st = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    return st ? st : "";
}

ratchet_status pg_fail(pg_inst *in, pg_conn *c, const PGresult *res, const char *what)
{
    char msg[512];
    const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    if (primary)
        snprintf(msg, sizeof msg, "%s", primary);
    else
        pq_message(c ? c->pg : NULL, msg, sizeof msg);
    const char *state = pg_sqlstate(res);
    if (!c || PQstatus(c->pg) != CONNECTION_OK) {
        int64_t now = pg_mono_ms();
        pthread_mutex_lock(&in->pool_mu);
        int log = in->down_logged_ms == 0 || now - in->down_logged_ms > 30000;
        if (log)
            in->down_logged_ms = now;
        pthread_mutex_unlock(&in->pool_mu);
        if (log)
            pg_host->log(in->ctx, RATCHET_LOG_WARN,
                         "lost the connection to PostgreSQL at %s: %s (reconnecting)", in->where,
                         msg);
        pg_host->set_error(in->ctx, "%s: lost the connection to PostgreSQL at %s: %s", what,
                           in->where, msg);
        return RATCHET_RETRY;
    }
    if (!strcmp(state, "57014")) {
        pg_host->set_error(in->ctx,
                           "%s: the statement ran longer than statement_timeout (%lld ms) on "
                           "PostgreSQL at %s",
                           what, (long long)in->statement_timeout_ms, in->where);
        return RATCHET_RETRY;
    }
    if (!strcmp(state, "40001") || !strcmp(state, "40P01") || !strcmp(state, "55P03") ||
        !strcmp(state, "53300") || !strncmp(state, "08", 2) || !strcmp(state, "57P01")) {
        pg_host->set_error(in->ctx, "%s: PostgreSQL at %s is busy: %s (SQLSTATE %s)", what,
                           in->where, msg, state);
        return RATCHET_RETRY;
    }
    if (!strcmp(state, "53200")) {
        pg_host->set_error(in->ctx, "%s: out of memory on PostgreSQL at %s", what, in->where);
        return RATCHET_NOMEM;
    }
    pg_host->set_error(in->ctx, "%s: %s (PostgreSQL at %s%s%s)", what, msg, in->where,
                       *state ? ", SQLSTATE " : "", state);
    return RATCHET_ERR;
}

static ratchet_status result_ok(pg_inst *in, pg_conn *c, PGresult *r, const char *what)
{
    ExecStatusType st = PQresultStatus(r);
    c->state[0] = '\0';
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
        return RATCHET_OK;
    snprintf(c->state, sizeof c->state, "%s", pg_sqlstate(r));
    ratchet_status s = pg_fail(in, c, r, what);
    PQclear(r);
    return s;
}

ratchet_status pg_run(pg_inst *in, pg_conn *c, pg_slot slot, const char *sql, const pg_params *p,
                      const char *what, PGresult **res)
{
    *res = NULL;
    char name[16];
    snprintf(name, sizeof name, "r%d", (int)slot);
    if (!c->prepared[slot]) {
        PGresult *r = PQprepare(c->pg, name, sql, p ? p->n : 0, NULL);
        ratchet_status s = result_ok(in, c, r, what);
        if (s != RATCHET_OK)
            return s;
        PQclear(r);
        c->prepared[slot] = 1;
    }
    PGresult *r = PQexecPrepared(c->pg, name, p ? p->n : 0, p ? p->v : NULL, NULL, NULL, 0);
    ratchet_status s = result_ok(in, c, r, what);
    if (s == RATCHET_OK)
        *res = r;
    return s;
}

ratchet_status pg_run_cmd(pg_inst *in, pg_conn *c, pg_slot slot, const char *sql,
                          const pg_params *p, const char *what, int64_t *changed)
{
    PGresult *r = NULL;
    ratchet_status s = pg_run(in, c, slot, sql, p, what, &r);
    if (s == RATCHET_OK && changed)
        *changed = strtoll(PQcmdTuples(r), NULL, 10);
    PQclear(r);
    return s;
}

ratchet_status pg_run_text(pg_inst *in, pg_conn *c, const char *sql, const pg_params *p,
                           const char *what, PGresult **res)
{
    *res = NULL;
    PGresult *r = PQexecParams(c->pg, sql, p ? p->n : 0, NULL, p ? p->v : NULL, NULL, NULL, 0);
    ratchet_status s = result_ok(in, c, r, what);
    if (s == RATCHET_OK)
        *res = r;
    return s;
}

ratchet_status pg_exec(pg_inst *in, pg_conn *c, const char *sql, const char *what)
{
    PGresult *r = PQexec(c->pg, sql);
    ratchet_status s = result_ok(in, c, r, what);
    if (s == RATCHET_OK)
        PQclear(r);
    return s;
}

/* ---- transactions ------------------------------------------------------------------------- */

ratchet_status pg_begin(pg_inst *in, pg_conn *c)
{
    ratchet_status s = pg_exec(in, c, "BEGIN", "starting a transaction");
    /* Nothing ran yet: a connection found closed here is replaced and BEGIN tried again. */
    if (s == RATCHET_RETRY && PQstatus(c->pg) != CONNECTION_OK && conn_revive(in, c) == RATCHET_OK)
        s = pg_exec(in, c, "BEGIN", "starting a transaction");
    return s;
}

ratchet_status pg_commit(pg_inst *in, pg_conn *c)
{
    PGresult *r = PQexec(c->pg, "COMMIT");
    ratchet_status s = result_ok(in, c, r, "committing");
    if (s != RATCHET_OK)
        return s;
    /* COMMIT of a transaction that failed answers ROLLBACK. */
    if (strcmp(PQcmdStatus(r), "ROLLBACK") == 0) {
        pg_host->set_error(
            in->ctx, "committing: the transaction was rolled back (PostgreSQL at %s)", in->where);
        s = RATCHET_ERR;
    }
    PQclear(r);
    return s;
}

void pg_rollback(pg_inst *in, pg_conn *c)
{
    (void)in;
    if (PQstatus(c->pg) == CONNECTION_OK && PQtransactionStatus(c->pg) != PQTRANS_IDLE)
        PQclear(PQexec(c->pg, "ROLLBACK"));
}

ratchet_status pg_acquire_begin(pg_inst *in, pg_conn **out)
{
    ratchet_status s = pg_acquire(in, out);
    if (s == RATCHET_OK && (s = pg_begin(in, *out)) != RATCHET_OK) {
        pg_release(in, *out);
        *out = NULL;
    }
    return s;
}

ratchet_status pg_end(pg_inst *in, pg_conn *c, ratchet_status s)
{
    if (s == RATCHET_OK)
        return pg_commit(in, c);
    pg_rollback(in, c);
    return s;
}

/* ---- result values ------------------------------------------------------------------------ */

int pg_isnull(const PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col);
}

int64_t pg_int(const PGresult *r, int row, int col)
{
    if (PQgetisnull(r, row, col))
        return 0;
    return strtoll(PQgetvalue(r, row, col), NULL, 10);
}

const char *pg_str(const PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? NULL : PQgetvalue(r, row, col);
}

char *pg_dup(const PGresult *r, int row, int col, int *oom)
{
    const char *t = pg_str(r, row, col);
    if (!t)
        return NULL;
    char *d = pg_host->strdup(t);
    if (!d)
        *oom = 1;
    return d;
}

/* ---- rows for storage-common's emitters ------------------------------------------------- */

static const PGresult *row_res(const rs_row *r)
{
    return r->src; /* see pg_row */
}

static int row_is_null(const rs_row *r, int col)
{
    return pg_isnull(row_res(r), r->row, col);
}

static int64_t row_int64(const rs_row *r, int col)
{
    return pg_int(row_res(r), r->row, col);
}

static const char *row_text(const rs_row *r, int col)
{
    return pg_str(row_res(r), r->row, col);
}

/* booleans arrive as text: t/f (or 1/0 from an integer column) */
static int row_boolean(const rs_row *r, int col)
{
    const char *v = pg_str(row_res(r), r->row, col);
    return v && (v[0] == 't' || v[0] == '1');
}

static double row_real(const rs_row *r, int col)
{
    const char *v = pg_str(row_res(r), r->row, col);
    return v ? strtod(v, NULL) : 0;
}

const rs_row_ops pg_row_ops = {row_is_null, row_int64, row_text, row_boolean, row_real};

int pg_version_cmp(const char *a, const char *b)
{
    return rs_version_cmp(a, strlen(a), b, strlen(b));
}

ratchet_status pg_emit_rows(pg_inst *in, const PGresult *r, rs_emit_fn emit, ratchet_buf *out)
{
    rs_out o;
    rs_out_init(&o, out);
    rs_out_begin(&o, NULL, '[');
    for (int i = 0; i < PQntuples(r); i++) {
        rs_row row = pg_row(r, i);
        emit(&o, &row);
    }
    rs_out_end(&o, ']');
    return rs_out_done(in->ctx, &o);
}

static ratchet_status pool_ready(void *inst)
{
    return pg_ready(inst);
}

static ratchet_status pool_acquire(void *inst, int begin, void **conn)
{
    pg_conn *c = NULL;
    ratchet_status s = begin ? pg_acquire_begin(inst, &c) : pg_acquire(inst, &c);
    *conn = c;
    return s;
}

static ratchet_status pool_end(void *inst, void *conn, ratchet_status s)
{
    return pg_end(inst, conn, s);
}

static void pool_release(void *inst, void *conn)
{
    pg_release(inst, conn);
}

static const rs_pool_ops pool_ops = {pool_ready, pool_acquire, pool_end, pool_release};

ratchet_status pg_with_conn(void *inst, rs_conn_fn fn, void *arg)
{
    return rs_with_conn(&pool_ops, inst, fn, arg);
}

ratchet_status pg_with_tx(void *inst, rs_conn_fn fn, void *arg)
{
    return rs_with_tx(&pool_ops, inst, fn, arg);
}
