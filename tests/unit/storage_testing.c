/* tests/unit/storage_testing.c - see storage_testing.h. */
#include "storage_testing.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "options.h"
#include "plugin_harness.h"

void scratch_dir(char *out, size_t len, const char *prefix)
{
    const char *base = getenv("RATCHET_TEST_TMP");
    base = base && *base ? base : "/tmp";
    mkdir(base, 0755);
    snprintf(out, len, "%s/%s-XXXXXX", base, prefix);
    if (!mkdtemp(out))
        fail_msg("mkdtemp %s: %s", out, strerror(errno));
}

int scratch_remove(const char *dir)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

ratchet_status inst_start(inst *in, const ratchet_plugin_desc *desc, const char *yaml)
{
    rt_error err = {{0}};
    memset(in, 0, sizeof *in);
    in->desc = desc;
    in->vt = desc->storage;
    assert_non_null(in->vt);
    in->cfg = harness_options(desc, yaml, &in->map, &err);
    if (!in->cfg)
        fail_msg("options: %s", err.msg);
    in->ctx = rt_ctx_new("db", desc->name);
    assert_non_null(in->ctx);
    rt_error_clear();
    if (in->vt->life.create(in->ctx, in->cfg, &in->self) != RATCHET_OK)
        fail_msg("create: %s", rt_error_peek());
    ratchet_status s = in->vt->life.start(in->self);
    in->started = s == RATCHET_OK;
    return s;
}

void inst_stop(inst *in, int started)
{
    if (started)
        in->vt->life.stop(in->self);
    in->vt->life.destroy(in->self);
    harness_options_free(in->cfg, in->map);
    rt_ctx_free(in->ctx);
    memset(in, 0, sizeof *in);
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
    const char *s = json_object_get_string(get(o, key));
    if (!json_object_is_type(get(o, key), json_type_string))
        fail_msg("'%s' is not a string in %s", key, json_object_to_json_string(o));
    return s;
}

int64_t num(json_object *o, const char *key)
{
    return json_object_get_int64(get(o, key));
}

int is_null(json_object *o, const char *key)
{
    return get(o, key) == NULL;
}

void keys_of(json_object *o, char *out, size_t len)
{
    size_t n = 0;
    out[0] = '\0';
    json_object_object_foreach(o, k, v)
    {
        (void)v;
        n += (size_t)snprintf(out + n, n < len ? len - n : 0, "%s%s", n ? "," : "", k);
        if (n >= len)
            break;
    }
}

json_object *job_json(inst *in, int64_t id)
{
    ratchet_buf b = RATCHET_BUF_INIT;
    rt_error_clear();
    if (in->vt->job_get(in->self, id, &b) != RATCHET_OK)
        fail_msg("job_get %lld: %s", (long long)id, rt_error_peek());
    return reply(&b);
}

void expect_status(inst *in, int64_t id, const char *want)
{
    json_object *j = job_json(in, id);
    if (strcmp(str(j, "status"), want) != 0)
        fail_msg("job %lld: status %s, expected %s", (long long)id, str(j, "status"), want);
    json_object_put(j);
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
        c[i].input_json = c[i].meta_json = NULL;
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

int64_t list_total(inst *in, int execs, const char *query)
{
    ratchet_buf b = RATCHET_BUF_INIT;
    rt_error_clear();
    ratchet_status s =
        execs ? in->vt->execution_list(in->self, query, &b) : in->vt->job_list(in->self, query, &b);
    if (s != RATCHET_OK)
        fail_msg("list %s: %s", query ? query : "", rt_error_peek());
    json_object *l = reply(&b);
    int64_t t = num(l, "total");
    json_object_put(l);
    return t;
}

void expect_error(const char *needle)
{
    const char *e = rt_error_peek();
    if (!strstr(e, needle))
        fail_msg("error '%s' does not mention '%s'", e, needle);
}

json_object *logs_of(inst *in, int64_t exec_id, const char *query)
{
    ratchet_buf b = RATCHET_BUF_INIT;
    rt_error_clear();
    if (in->vt->execution_logs(in->self, exec_id, query, &b) != RATCHET_OK)
        fail_msg("execution_logs %lld %s: %s", (long long)exec_id, query ? query : "",
                 rt_error_peek());
    return reply(&b);
}

json_object *item(json_object *list, size_t i)
{
    json_object *items = get(list, "items");
    if (i >= json_object_array_length(items))
        fail_msg("no item %zu in %s", i, json_object_to_json_string(list));
    return json_object_array_get_idx(items, i);
}

json_object *list_of(inst *in, int execs, const char *query)
{
    ratchet_buf b = RATCHET_BUF_INIT;
    rt_error_clear();
    ratchet_status s =
        execs ? in->vt->execution_list(in->self, query, &b) : in->vt->job_list(in->self, query, &b);
    if (s != RATCHET_OK)
        fail_msg("list %s: %s", query, rt_error_peek());
    return reply(&b);
}

void expect_list_error(inst *in, int execs, const char *query, const char *needle)
{
    ratchet_buf b = RATCHET_BUF_INIT;
    rt_error_clear();
    ratchet_status s =
        execs ? in->vt->execution_list(in->self, query, &b) : in->vt->job_list(in->self, query, &b);
    if (s != RATCHET_ERR)
        fail_msg("%s: status %d, expected an error mentioning '%s'", query, (int)s, needle);
    expect_error(needle);
    rt_host_api()->buf_free(&b);
}

const char *hash_of(char c)
{
    static char h[4][65];
    static int i;
    char *out = h[i++ % 4];
    memset(out, c, 64);
    out[64] = '\0';
    return out;
}

int64_t key_create(inst *in, const char *name, const char *scope, const char *hash,
                   ratchet_status want)
{
    char doc[256];
    snprintf(doc, sizeof doc,
             "{\"name\":\"%s\",\"scope\":\"%s\",\"hash\":\"%s\",\"prefix\":"
             "\"rk_%.4s\"}",
             name, scope, hash, hash);
    int64_t id = 0;
    rt_error_clear();
    assert_int_equal(in->vt->key_create(in->self, doc, &id), want);
    return id;
}

json_object *task_named(json_object *list, const char *name)
{
    for (size_t i = 0; i < json_object_array_length(list); i++)
        if (strcmp(str(json_object_array_get_idx(list, i), "name"), name) == 0)
            return json_object_array_get_idx(list, i);
    fail_msg("no task %s", name);
    return NULL;
}

json_object *stats_of(inst *in, const char *resource, int64_t now)
{
    ratchet_buf b = RATCHET_BUF_INIT;
    rt_error_clear();
    if (in->vt->stats(in->self, resource, now, &b) != RATCHET_OK)
        fail_msg("stats %s: %s", resource, rt_error_peek());
    return reply(&b);
}

json_object *tasks_of(inst *in)
{
    ratchet_buf b = RATCHET_BUF_INIT;
    rt_error_clear();
    if (in->vt->task_list(in->self, &b) != RATCHET_OK)
        fail_msg("task_list: %s", rt_error_peek());
    return reply(&b);
}

int64_t open_with_task(inst *in)
{
    inst_open(in, NULL);
    return sync_task(in, "t", "1.0.0", "c");
}

int64_t open_and_claim(inst *in, ratchet_claimed_job *c)
{
    int64_t tv = open_with_task(in);
    submit_simple(in, tv, "{}");
    if (claim(in, "w", wall_ms(), 60000, c, 1) != 1)
        fail_msg("open_and_claim: no job claimed");
    return tv;
}
