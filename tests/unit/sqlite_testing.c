/* tests/unit/sqlite_testing.c - what the storage-sqlite tests share: a scratch directory, an
 * instance from YAML options, submit/claim/finish shorthands, SQL peeks, replies as JSON. */
#include "sqlite_testing.h"

char tmpdir[512];

/* A fresh directory per test, under RATCHET_TEST_TMP when ctest sets it. */
int setup_dir(void **state)
{
    (void)state;
    const char *base = getenv("RATCHET_TEST_TMP");
    snprintf(tmpdir, sizeof tmpdir, "%s/sqlite-XXXXXX", base && *base ? base : "/tmp");
    mkdir(base && *base ? base : "/tmp", 0755);
    if (!mkdtemp(tmpdir))
        fail_msg("mkdtemp %s: %s", tmpdir, strerror(errno));
    return 0;
}

int teardown_dir(void **state)
{
    (void)state;
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

const char *db_path(void)
{
    static char p[600];
    snprintf(p, sizeof p, "%s/test.db", tmpdir);
    return p;
}

/* Create and start an instance; returns start's status (create must succeed). */
ratchet_status inst_try(inst *in, const char *extra_yaml)
{
    rt_error err = {{0}};
    char yaml[1024];
    snprintf(yaml, sizeof yaml, "path: %s\n%s", db_path(), extra_yaml ? extra_yaml : "");
    memset(in, 0, sizeof *in);
    in->desc = ratchet_plugin_entry_storage_sqlite(rt_host_api());
    assert_non_null(in->desc);
    in->vt = in->desc->storage;
    assert_non_null(in->vt);
    in->cfg = harness_options(in->desc, yaml, &in->map, &err);
    if (!in->cfg)
        fail_msg("options: %s", err.msg);
    in->ctx = rt_ctx_new("db", "storage-sqlite");
    assert_non_null(in->ctx);
    rt_error_clear();
    assert_int_equal(in->vt->life.create(in->ctx, in->cfg, &in->self), RATCHET_OK);
    return in->vt->life.start(in->self);
}

void inst_open(inst *in, const char *extra_yaml)
{
    ratchet_status s = inst_try(in, extra_yaml);
    if (s != RATCHET_OK)
        fail_msg("start failed (%d): %s", (int)s, rt_error_peek());
}

void inst_close(inst *in, int started)
{
    if (started)
        in->vt->life.stop(in->self);
    in->vt->life.destroy(in->self);
    harness_options_free(in->cfg, in->map);
    rt_ctx_free(in->ctx);
}

int64_t mono_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

int64_t wall_ms(void)
{
    return rt_host_api()->now_us() / 1000;
}

/* Parse a reply buffer, then free it. */
json_object *reply(ratchet_buf *b)
{
    assert_non_null(b->data);
    json_object *v = json_tokener_parse(b->data);
    if (!v)
        fail_msg("not JSON: %s", b->data);
    rt_host_api()->buf_free(b);
    return v;
}

json_object *get(json_object *o, const char *key)
{
    json_object *v = NULL;
    if (!json_object_object_get_ex(o, key, &v))
        fail_msg("missing key '%s' in %s", key, json_object_to_json_string(o));
    return v;
}

const char *str(json_object *o, const char *key)
{
    return json_object_get_string(get(o, key));
}

int64_t num(json_object *o, const char *key)
{
    return json_object_get_int64(get(o, key));
}

json_object *job_json(inst *in, int64_t id)
{
    ratchet_buf b = RATCHET_BUF_INIT;
    rt_error_clear();
    if (in->vt->job_get(in->self, id, &b) != RATCHET_OK)
        fail_msg("job_get %lld: %s", (long long)id, rt_error_peek());
    return reply(&b);
}

int64_t sync_task(inst *in, const char *name, const char *version, const char *checksum)
{
    char doc[1024];
    snprintf(doc, sizeof doc,
             "{\"name\":\"%s\",\"version\":\"%s\",\"uuid\":\"u-%s\",\"description\":\"%s v%s\","
             "\"tags\":[\"t\"],\"metadata\":{\"timeout\":1.50},\"code\":\"function main(i)"
             "{return i;}\",\"inputSchema\":{\"type\":\"object\"},\"outputSchema\":true,"
             "\"checksum\":\"%s\",\"source\":\"/tasks/%s\"}",
             name, version, name, name, version, checksum, name);
    int64_t id = 0;
    int created = -1;
    rt_error_clear();
    if (in->vt->task_sync(in->self, doc, &id, &created) != RATCHET_OK)
        fail_msg("task_sync: %s", rt_error_peek());
    assert_true(id > 0);
    return id;
}

ratchet_job_submit job_spec(int64_t tv, const char *input)
{
    ratchet_job_submit j;
    memset(&j, 0, sizeof j);
    j.abi = (ratchet_abi)RATCHET_ABI_INIT(ratchet_job_submit);
    j.task_version_id = tv;
    j.input_json = input;
    j.priority = RATCHET_PRIORITY_NORMAL;
    j.retry_base_ms = 1000;
    j.retry_max_ms = 60000;
    return j;
}

int64_t submit(inst *in, const ratchet_job_submit *j, int *existed)
{
    int64_t id = 0;
    int ex = -1;
    rt_error_clear();
    if (in->vt->job_submit(in->self, j, 1, &id, &ex) != RATCHET_OK)
        fail_msg("job_submit: %s", rt_error_peek());
    if (existed)
        *existed = ex;
    return id;
}

int64_t submit_simple(inst *in, int64_t tv, const char *input)
{
    ratchet_job_submit j = job_spec(tv, input);
    return submit(in, &j, NULL);
}

size_t claim(inst *in, const char *owner, int64_t now, int64_t lease, ratchet_claimed_job *out,
             size_t max)
{
    size_t n = 99;
    rt_error_clear();
    if (in->vt->job_claim(in->self, owner, now, lease, out, max, &n) != RATCHET_OK)
        fail_msg("job_claim: %s", rt_error_peek());
    return n;
}

void claimed_free(ratchet_claimed_job *c, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        rt_host_api()->free(c[i].input_json);
        rt_host_api()->free(c[i].meta_json);
    }
}

ratchet_job_finish fin_spec(const ratchet_claimed_job *c, const char *owner,
                            ratchet_finish_kind kind)
{
    ratchet_job_finish f;
    memset(&f, 0, sizeof f);
    f.abi = (ratchet_abi)RATCHET_ABI_INIT(ratchet_job_finish);
    f.job_id = c->job_id;
    f.execution_id = c->execution_id;
    f.owner = owner;
    f.kind = kind;
    f.started_ms = wall_ms();
    f.duration_ms = 7;
    return f;
}

size_t finish(inst *in, const ratchet_job_finish *f, size_t n)
{
    size_t applied = 99;
    rt_error_clear();
    if (in->vt->job_finish(in->self, f, n, &applied) != RATCHET_OK)
        fail_msg("job_finish: %s", rt_error_peek());
    return applied;
}

int64_t sql_int(const char *sql)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_open_v2(db_path(), &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

void sql_exec(const char *sql)
{
    sqlite3 *db = NULL;
    assert_int_equal(
        sqlite3_open_v2(db_path(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL),
        SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s: %s", sql, msg);
    sqlite3_close(db);
}

void expect_error(const char *needle)
{
    const char *e = rt_error_peek();
    if (!strstr(e, needle))
        fail_msg("error '%s' does not mention '%s'", e, needle);
}