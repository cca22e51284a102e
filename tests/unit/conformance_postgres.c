/* tests/unit/conformance_postgres.c - what only storage-postgres has: connection errors
 * (unreachable server, wrong password: clear, and never showing the secret), the schema
 * version refusal, a foreign schema, hosts migrating at once, the statement timeout.
 * The cluster comes from tests/pg_cluster.sh (RATCHET_PG_URL, RATCHET_PG_PW_URL, ...). */
#include "conformance_testing.h"

#include "plugin_harness.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static const char *env(const char *name)
{
    const char *v = getenv(name);
    if (!v || !*v)
        fail_msg("%s is not set (run under tests/pg_cluster.sh)", name);
    return v;
}

/* Run SQL through psql on the test database; its first output line into out (may be NULL). */
static void psql(const char *sql, char *out, size_t len)
{
    char file[600], cmd[1400];
    snprintf(file, sizeof file, "%s/q.sql", conf_tmp);
    FILE *f = fopen(file, "w");
    assert_non_null(f);
    fputs(sql, f);
    fclose(f);
    snprintf(cmd, sizeof cmd, "psql '%s' -XAtq -v ON_ERROR_STOP=1 -f '%s'", env("RATCHET_PG_URL"),
             file);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    char line[256] = "";
    if (!fgets(line, sizeof line, p))
        line[0] = '\0';
    char rest[256];
    while (fgets(rest, sizeof rest, p))
        ;
    int rc = pclose(p);
    if (rc != 0)
        fail_msg("psql failed (%d): %s", rc, sql);
    line[strcspn(line, "\n")] = '\0';
    if (out)
        snprintf(out, len, "%s", line);
}

static int free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
    close(fd);
    return ntohs(a.sin_port);
}

static void test_pg_unreachable(void **state)
{
    (void)state;
    int port = free_port();
    char yaml[256], where[64];
    snprintf(yaml, sizeof yaml,
             "url: host=127.0.0.1 port=%d dbname=x user=y\nconnect_timeout: 2s\n", port);
    snprintf(where, sizeof where, "127.0.0.1:%d", port);
    inst in;
    ratchet_status s = inst_try_yaml(&in, yaml);
    assert_int_equal(s, RATCHET_RETRY);
    expect_error("cannot connect to PostgreSQL at");
    expect_error(where);
    inst_close(&in);
}

static void test_pg_wrong_password(void **state)
{
    (void)state;
    /* postgresql://ratchet_pw@127.0.0.1:PORT/db with a password put in */
    const char *url = env("RATCHET_PG_PW_URL");
    const char *at = strchr(strstr(url, "://") + 3, '@');
    char bad[512], good[512], yaml[700];
    snprintf(bad, sizeof bad, "%.*s:wrong-Secret-4242%s", (int)(at - url), url, at);
    snprintf(yaml, sizeof yaml, "url: %s\nschema: %s\n", bad, conf_unique);
    inst in;
    assert_int_equal(inst_try_yaml(&in, yaml), RATCHET_ERR);
    expect_error("password authentication failed");
    expect_error("at 127.0.0.1:");
    if (strstr(rt_error_peek(), "wrong-Secret-4242"))
        fail_msg("the password shows in the message: %s", rt_error_peek());
    inst_close(&in);

    /* The right password, in the URL: works; messages still never show it. */
    snprintf(good, sizeof good, "%.*s:%s%s", (int)(at - url), url, env("RATCHET_PG_PW"), at);
    snprintf(yaml, sizeof yaml, "url: %s\nschema: %s\n", good, conf_unique);
    assert_int_equal(inst_try_yaml(&in, yaml), RATCHET_OK);
    ratchet_buf b = RATCHET_BUF_INIT;
    rt_error_clear();
    assert_int_equal(in.vt->job_get(in.self, 4242, &b), RATCHET_NOTFOUND);
    assert_null(strstr(rt_error_peek(), env("RATCHET_PG_PW")));
    inst_close(&in);

    /* A URL that does not parse, holding a password: the text is not echoed. */
    snprintf(yaml, sizeof yaml, "url: \"postgresql://u:wrong-Secret-4242@h:notaport/db\"\n");
    assert_int_not_equal(inst_try_yaml(&in, yaml), RATCHET_OK);
    if (strstr(rt_error_peek(), "wrong-Secret-4242"))
        fail_msg("the password shows in the message: %s", rt_error_peek());
    inst_close(&in);
}

/* The schema version a fresh start migrates to: the number of entries of `migrations` in
 * plugins/storage-postgres/pg_migrate.c. */
#define PG_SCHEMA_VERSION "3"

static void test_pg_newer_schema_refused(void **state)
{
    (void)state;
    inst in;
    inst_open(&in, NULL);
    inst_close(&in);
    char sql[256];
    snprintf(sql, sizeof sql, "UPDATE %s.ratchet_meta SET schema_version = 99", conf_unique);
    psql(sql, NULL, 0);
    assert_int_equal(inst_try(&in, NULL), RATCHET_ERR);
    expect_error("has schema version 99, newer than this storage-postgres understands "
                 "(" PG_SCHEMA_VERSION ")");
    expect_error(conf_unique);
    inst_close(&in);
}

static void test_pg_foreign_schema_refused(void **state)
{
    (void)state;
    char sql[256];
    snprintf(sql, sizeof sql, "CREATE SCHEMA %s; CREATE TABLE %s.orders (id int)", conf_unique,
             conf_unique);
    psql(sql, NULL, 0);
    inst in;
    assert_int_equal(inst_try(&in, NULL), RATCHET_ERR);
    expect_error("is not Ratchet's (it holds 1 other tables)");
    inst_close(&in);
}

static void test_pg_bad_schema_name(void **state)
{
    (void)state;
    char yaml[512];
    snprintf(yaml, sizeof yaml, "url: %s\nschema: \"x; DROP TABLE y\"\n", env("RATCHET_PG_URL"));
    rt_error err = {{0}};
    rt_node *map = NULL;
    ratchet_config *cfg = harness_options(conf_desc, yaml, &map, &err);
    assert_non_null(cfg);
    ratchet_ctx *ctx = rt_ctx_new("db", conf_desc->name);
    void *self = NULL;
    rt_error_clear();
    assert_int_equal(conf_desc->storage->life.create(ctx, cfg, &self), RATCHET_ERR);
    expect_error("schema: 'x; DROP TABLE y' is not a plain name");
    harness_options_free(cfg, map);
    rt_ctx_free(ctx);
}

typedef struct starter {
    inst in;
    ratchet_status st;
} starter;

static void *start_thread(void *p)
{
    starter *s = p;
    s->st = inst_try(&s->in, NULL);
    return NULL;
}

/* Hosts starting together on an empty schema: one migrates, the others wait and find it done. */
static void test_pg_concurrent_first_start(void **state)
{
    (void)state;
    enum { N = 4 };
    static starter st[N];
    pthread_t t[N];
    for (int i = 0; i < N; i++)
        pthread_create(&t[i], NULL, start_thread, &st[i]);
    for (int i = 0; i < N; i++)
        pthread_join(t[i], NULL);
    for (int i = 0; i < N; i++)
        assert_int_equal(st[i].st, RATCHET_OK);
    int64_t tv = sync_task(&st[0].in, "t", "1.0.0", "c");
    submit_simple(&st[1].in, tv, "{}");
    assert_int_equal(list_total(&st[N - 1].in, 0, NULL), 1);
    for (int i = 0; i < N; i++)
        inst_close(&st[i].in);
    char sql[256], out[64];
    snprintf(sql, sizeof sql, "SELECT schema_version FROM %s.ratchet_meta", conf_unique);
    psql(sql, out, sizeof out);
    assert_string_equal(out, PG_SCHEMA_VERSION);
}

/* Hold `conf_unique`.jobs locked for `seconds` from another session, in the background;
 * returns once the lock is held. */
static void lock_jobs_for(int seconds)
{
    char file[600], cmd[1400];
    snprintf(file, sizeof file, "%s/lock.sql", conf_tmp);
    FILE *f = fopen(file, "w");
    assert_non_null(f);
    fprintf(f, "BEGIN; LOCK TABLE %s.jobs; SELECT pg_sleep(%d); COMMIT;\n", conf_unique, seconds);
    fclose(f);
    snprintf(cmd, sizeof cmd, "psql '%s' -XAtq -f '%s' >/dev/null 2>&1 &", env("RATCHET_PG_URL"),
             file);
    assert_int_equal(system(cmd), 0);
    char sql[400], out[64] = "";
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM pg_locks WHERE relation = '%s.jobs'::regclass AND granted "
             "AND mode = 'AccessExclusiveLock'",
             conf_unique);
    for (int64_t until = mono_ms() + 10000; strcmp(out, "1") != 0 && mono_ms() < until;)
        psql(sql, out, sizeof out);
    assert_string_equal(out, "1");
}

static void test_pg_statement_timeout(void **state)
{
    (void)state;
    inst in;
    inst_open(&in, "statement_timeout: 300ms\n");
    int64_t tv = sync_task(&in, "t", "1.0.0", "c");
    lock_jobs_for(2); /* another session holds the jobs table for a while */
    ratchet_job_submit j = job_spec(tv, "{}");
    int64_t id = 0;
    rt_error_clear();
    assert_int_equal(in.vt->job_submit(in.self, &j, 1, &id, NULL), RATCHET_RETRY);
    expect_error("statement_timeout (300 ms)");
    /* Once the lock is gone, the same connection works again. */
    ratchet_status s = RATCHET_RETRY;
    for (int64_t until = mono_ms() + 10000; s == RATCHET_RETRY && mono_ms() < until;)
        s = in.vt->job_submit(in.self, &j, 1, &id, NULL);
    assert_int_equal(s, RATCHET_OK);
    inst_close(&in);
}

/* The server restarts under two instances: pooled connections reconnect on their next use,
 * the listener reconnects, and a submit on one wakes the other again. */
static void test_pg_server_restart(void **state)
{
    (void)state;
    inst a, b;
    inst_open(&a, NULL);
    inst_open(&b, "poll_interval: 20s\n"); /* so that only a notification wakes it quickly */
    int64_t tv = sync_task(&a, "t", "1.0.0", "c");
    ratchet_claimed_job c[1];
    assert_int_equal(claim(&b, "w", wall_ms(), 60000, c, 1), 0);
    char cmd[1400];
    snprintf(cmd, sizeof cmd, "%s -D '%s' -l '%s/../server.log' -m fast -w restart >/dev/null",
             env("RATCHET_PG_CTL"), env("RATCHET_PG_DATA"), env("RATCHET_PG_DATA"));
    assert_int_equal(system(cmd), 0);
    /* The lost listening connection wakes waiters once (changes may have been missed). */
    waiter w = {&b, 30000, 0, RATCHET_RETRY};
    wait_thread(&w);
    assert_int_equal(w.st, RATCHET_OK);
    /* The pooled connection is replaced before use: no error for the caller. */
    submit_simple(&a, tv, "{\"n\":1}");
    /* Once the listener is back, a submit wakes the other instance promptly. */
    int woke = 0;
    for (int64_t until = mono_ms() + 15000; !woke && mono_ms() < until;) {
        w = (waiter){&b, 30000, 0, RATCHET_RETRY};
        pthread_t t;
        pthread_create(&t, NULL, wait_thread, &w);
        submit_simple(&a, tv, "{}");
        pthread_join(t, NULL);
        woke = w.st == RATCHET_OK && w.took < 5000;
    }
    assert_true(woke);
    assert_true(claim(&b, "w", wall_ms(), 60000, c, 1) == 1);
    claimed_free(c, 1);
    inst_close(&b);
    inst_close(&a);
}

typedef struct blocked_submit {
    inst *in;
    int64_t tv;
    ratchet_status st;
} blocked_submit;

static void *blocked_submit_thread(void *p)
{
    blocked_submit *b = p;
    ratchet_job_submit j = job_spec(b->tv, "{}");
    int64_t id = 0;
    b->st = b->in->vt->job_submit(b->in->self, &j, 1, &id, NULL);
    return NULL;
}

/* Every pooled connection busy for longer than a caller waits: RETRY, with a message. */
static void test_pg_pool_exhausted(void **state)
{
    (void)state;
    inst in;
    inst_open(&in, "pool_size: 1\nstatement_timeout: 0\nconnect_timeout: 1s\n");
    int64_t tv = sync_task(&in, "t", "1.0.0", "c");
    lock_jobs_for(4);
    blocked_submit bs = {&in, tv, RATCHET_ERR};
    pthread_t t;
    pthread_create(&t, NULL, blocked_submit_thread, &bs);
    /* the submit holds the only connection, waiting for the lock */
    char sql[200], out[64] = "";
    snprintf(sql, sizeof sql, "SELECT count(*) FROM pg_locks WHERE NOT granted");
    for (int64_t until = mono_ms() + 10000; strcmp(out, "0") == 0 || !*out;) {
        psql(sql, out, sizeof out);
        if (mono_ms() > until)
            fail_msg("the submit never waited for the lock");
    }
    ratchet_buf b = RATCHET_BUF_INIT;
    rt_error_clear();
    assert_int_equal(in.vt->job_get(in.self, 1, &b), RATCHET_RETRY);
    expect_error("all 1 connections to PostgreSQL at");
    expect_error("raise `pool_size`");
    pthread_join(t, NULL);
    assert_int_equal(bs.st, RATCHET_OK); /* went through once the lock was gone */
    inst_close(&in);
}

/* notify: false: nothing listens; wait() comes back after poll_interval as if woken. */
static void test_pg_poll_without_notify(void **state)
{
    (void)state;
    inst in;
    inst_open(&in, "notify: false\npoll_interval: 100ms\n");
    waiter w = {&in, 30000, 0, RATCHET_RETRY};
    int64_t t0 = mono_ms();
    w.st = in.vt->wait(in.self, 10000);
    w.took = mono_ms() - t0;
    assert_int_equal(w.st, RATCHET_OK);
    if (w.took < 80 || w.took > 5000)
        fail_msg("wait() polled after %lld ms, expected about 100", (long long)w.took);
    /* a timeout shorter than the poll interval is a timeout */
    assert_int_equal(in.vt->wait(in.self, 20), RATCHET_RETRY);
    inst_close(&in);
}

/* task_list keeps its answer while nothing changed; a change made with plain SQL (another
 * tool, another search_path) still shows. */
static void test_pg_task_list_sees_sql(void **state)
{
    (void)state;
    inst in;
    inst_open(&in, NULL);
    sync_task(&in, "a", "1.0.0", "a1");
    json_object *l = tasks_of(&in);
    assert_true(json_object_get_boolean(get(json_object_array_get_idx(l, 0), "enabled")));
    json_object_put(l);
    char sql[256];
    snprintf(sql, sizeof sql, "UPDATE %s.tasks SET enabled = false WHERE name = 'a'", conf_unique);
    psql(sql, NULL, 0);
    l = tasks_of(&in);
    assert_false(json_object_get_boolean(get(json_object_array_get_idx(l, 0), "enabled")));
    json_object_put(l);
    inst_close(&in);
}

/* requeue_grace: a lease counts as expired that much after its end (clock skew). */
static void test_pg_requeue_grace(void **state)
{
    (void)state;
    inst in;
    inst_open(&in, "requeue_grace: 10s\n");
    int64_t tv = sync_task(&in, "t", "1.0.0", "c");
    submit_simple(&in, tv, "{}");
    int64_t now = wall_ms();
    ratchet_claimed_job c[1];
    assert_int_equal(claim(&in, "w", now, 100, c, 1), 1);
    claimed_free(c, 1);
    size_t n = 99;
    assert_int_equal(in.vt->job_requeue_expired(in.self, now + 1000, &n), RATCHET_OK);
    assert_int_equal(n, 0);
    assert_int_equal(in.vt->job_requeue_expired(in.self, now + 10200, &n), RATCHET_OK);
    assert_int_equal(n, 1);
    inst_close(&in);
}

size_t conformance_postgres(struct CMUnitTest *out, size_t max)
{
#define T(f) cmocka_unit_test_setup_teardown(f, conf_setup, conf_teardown)
    const struct CMUnitTest tests[] = {
        T(test_pg_unreachable),          T(test_pg_wrong_password),
        T(test_pg_newer_schema_refused), T(test_pg_foreign_schema_refused),
        T(test_pg_bad_schema_name),      T(test_pg_concurrent_first_start),
        T(test_pg_statement_timeout),    T(test_pg_server_restart),
        T(test_pg_poll_without_notify),  T(test_pg_requeue_grace),
        T(test_pg_task_list_sees_sql),   T(test_pg_pool_exhausted),
    };
#undef T
    return conf_cases(out, max, tests, sizeof tests / sizeof *tests);
}
