/*
 * host/cli/jobs_wait.c - waiting for jobs from the command line: `jobs submit --wait` (one job)
 * and `ratchet jobs wait [ID...] [--timeout D] [--json]` (given jobs, or the whole queue).
 *
 * Nothing polls: between checks the command sleeps in the storage's wait(), which a server in
 * another process wakes when it finishes jobs (storage-sqlite: an inotify watch on the database
 * file, a bounded poll where that cannot see the change). A check is one indexed read, so a
 * benchmark can wait for a burn-down without taking CPU from what it measures.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "core/core_layer.h"
#include "engine/engine_layer.h"
#include "opsutil.h"

/* How long one wait() sleeps at most: a bound on a missed wake-up, not the reaction time. */
#define WAIT_SLICE_MS 1000

static int is_final(const char *status)
{
    return strcmp(status, "completed") == 0 || strcmp(status, "failed") == 0 ||
           strcmp(status, "cancelled") == 0;
}

static const char *str_field(struct json_object *o, const char *key)
{
    struct json_object *v;
    if (!o || !json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
        return "";
    return json_object_get_string(v);
}

static int64_t int_field(struct json_object *o, const char *key)
{
    struct json_object *v;
    return o && json_object_object_get_ex(o, key, &v) ? json_object_get_int64(v) : 0;
}

static int64_t now_ms(void)
{
    return rt_host_api()->now_us() / 1000;
}

/* Sleep in wait() until woken or the deadline (0: none). 1 when the deadline has passed. */
static int sleep_until(rt_store *st, int64_t deadline_ms)
{
    int64_t slice = WAIT_SLICE_MS;
    if (deadline_ms > 0) {
        int64_t left = deadline_ms - now_ms();
        if (left <= 0)
            return 1;
        if (left < slice)
            slice = left;
    }
    st->vt->wait(st->inst, slice);
    return 0;
}

/* Read job `id`: its record (the caller puts it) or NULL after printing why. */
static struct json_object *read_job(rt_store *st, int64_t id, ratchet_buf *out)
{
    rt_buf_free(out);
    rt_error_clear();
    ratchet_status s = st->vt->job_get(st->inst, id, out);
    if (s != RATCHET_OK) {
        rt_store_fail(s, "cannot wait"); /* the storage's message names the job */
        return NULL;
    }
    return rt_store_json(out, "job");
}

int rt_ops_wait_job(rt_store *st, int64_t id, int json)
{
    ratchet_buf out = RATCHET_BUF_INIT;
    int rc = RT_EXIT_FAIL;
    for (;;) {
        struct json_object *job = read_job(st, id, &out);
        if (!job)
            break;
        const char *status = str_field(job, "status");
        if (is_final(status)) {
            rc = rt_ops_print_record(&out, json, "job");
            if (rc == RT_EXIT_OK && strcmp(status, "completed") != 0)
                rc = RT_EXIT_FAIL;
            json_object_put(job);
            break;
        }
        json_object_put(job);
        sleep_until(st, 0);
    }
    rt_buf_free(&out);
    return rc;
}

/* Wait for the listed jobs; prints one line (or one JSON object) per job as it ends. */
static int wait_ids(rt_store *st, const int64_t *ids, size_t n, int64_t deadline, int json)
{
    int failed = 0, rc = RT_EXIT_OK;
    ratchet_buf out = RATCHET_BUF_INIT;
    struct json_object *done = json_object_new_array();
    for (size_t i = 0; i < n && rc == RT_EXIT_OK;) {
        struct json_object *job = read_job(st, ids[i], &out);
        if (!job) {
            rc = RT_EXIT_FAIL;
            break;
        }
        const char *status = str_field(job, "status");
        if (is_final(status)) {
            failed += strcmp(status, "completed") != 0;
            if (json)
                json_object_array_add(done, json_object_get(job));
            else
                printf("job %lld %s\n", (long long)ids[i], status);
            i++;
        } else if (sleep_until(st, deadline)) {
            rc = rt_cli_fail("timed out waiting for job %lld (%s); %zu of %zu jobs ended",
                             (long long)ids[i], status, i, n);
        }
        json_object_put(job);
    }
    if (json && rc == RT_EXIT_OK)
        rt_ops_print_json(done);
    json_object_put(done);
    rt_buf_free(&out);
    return rc != RT_EXIT_OK ? rc : failed ? RT_EXIT_FAIL : RT_EXIT_OK;
}

/* How many jobs are queued, running or waiting to be retried: one count on the status index
 * (not the whole table, which may hold a million finished jobs). -1 after printing why. */
static int64_t pending_jobs(rt_store *st)
{
    static const char query[] = "{\"where\": [{\"field\": \"status\", \"op\": \"in\", \"value\": "
                                "[\"queued\", \"processing\", \"retrying\"]}], \"limit\": 1}";
    ratchet_buf out = RATCHET_BUF_INIT;
    struct json_object *list = NULL, *total = NULL;
    rt_error_clear();
    if (rt_ops_reply(st->vt->job_list(st->inst, query, &out), &out, "counting jobs", 0, &list) !=
        RT_EXIT_OK)
        return -1;
    int64_t n = json_object_object_get_ex(list, "total", &total) ? json_object_get_int64(total)
                                                                  : -1;
    json_object_put(list);
    if (n < 0)
        rt_cli_fail("the storage answered the job count without a total");
    return n;
}

/* The counts by status, printed once the queue is idle. */
static int print_idle(rt_store *st, int json)
{
    ratchet_buf out = RATCHET_BUF_INIT;
    struct json_object *stats = NULL, *by = NULL;
    if (!st->vt->stats) { /* a storage plugin from before ABI 1.4 */
        printf("queue idle\n");
        return RT_EXIT_OK;
    }
    if (rt_ops_reply(st->vt->stats(st->inst, "jobs", now_ms(), &out), &out, "job counts", 0,
                     &stats) != RT_EXIT_OK)
        return RT_EXIT_FAIL;
    json_object_object_get_ex(stats, "byStatus", &by);
    if (json)
        rt_ops_print_json(by ? by : stats);
    else
        printf("queue idle: %lld completed, %lld failed, %lld cancelled\n",
               (long long)int_field(by, "completed"), (long long)int_field(by, "failed"),
               (long long)int_field(by, "cancelled"));
    json_object_put(stats);
    return RT_EXIT_OK;
}

/* Wait until nothing is queued, running or waiting to be retried. Checks are at least
 * IDLE_CHECK_GAP_MS apart however often the server wakes us, and further apart while many jobs
 * are left (one ms per IDLE_CHECK_JOBS_PER_MS jobs, at most IDLE_CHECK_MAX_MS), so that a
 * burn-down of many small jobs is not slowed by counting them: a count of 10,000 pending rows
 * costs the database milliseconds, and every finish wakes us. The last checks, with few jobs
 * left, are IDLE_CHECK_GAP_MS apart, which bounds how late the end is seen. */
#define IDLE_CHECK_GAP_MS      20
#define IDLE_CHECK_JOBS_PER_MS 40
#define IDLE_CHECK_MAX_MS      250
static int wait_idle(rt_store *st, int64_t deadline, int json)
{
    for (;;) {
        int64_t checked = now_ms();
        int64_t pending = pending_jobs(st);
        if (pending < 0)
            return RT_EXIT_FAIL;
        if (pending == 0)
            return print_idle(st, json);
        if (sleep_until(st, deadline))
            return rt_cli_fail("timed out: %lld jobs queued, running or waiting to be retried",
                               (long long)pending);
        int64_t spacing = pending / IDLE_CHECK_JOBS_PER_MS;
        spacing = spacing < IDLE_CHECK_GAP_MS   ? IDLE_CHECK_GAP_MS
                  : spacing > IDLE_CHECK_MAX_MS ? IDLE_CHECK_MAX_MS
                                                : spacing;
        int64_t gap = checked + spacing - now_ms();
        if (gap > 0)
            nanosleep(&(struct timespec){0, (long)gap * 1000000L}, NULL);
    }
}

int rt_jobs_wait(rt_app *app, int argc, char **argv)
{
    int json = 0;
    int64_t timeout_ms = 0;
    int64_t *ids = calloc((size_t)argc, sizeof *ids);
    size_t n = 0;
    if (!ids)
        return rt_cli_fail("out of memory");
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        rt_error err;
        char *end;
        if (strcmp(a, "--json") == 0) {
            json = 1;
        } else if (strcmp(a, "--timeout") == 0 && i + 1 < argc) {
            if (rt_parse_duration_ms(argv[++i], &timeout_ms, &err) != RATCHET_OK ||
                timeout_ms <= 0) {
                free(ids);
                return rt_usage_error("jobs", "--timeout expects a duration such as 30s or 5m");
            }
        } else if (a[0] != '-' && (ids[n] = strtoll(a, &end, 10)) > 0 && *end == '\0') {
            n++;
        } else {
            free(ids);
            return rt_usage_error("jobs",
                                  "unexpected argument '%s' (usage: ratchet jobs wait [ID...] "
                                  "[--timeout DURATION] [--json])",
                                  a);
        }
    }
    rt_store st;
    int rc = rt_ops_open(app, &st);
    if (rc == RT_EXIT_OK) {
        int64_t deadline = timeout_ms > 0 ? now_ms() + timeout_ms : 0;
        rc = n ? wait_ids(&st, ids, n, deadline, json) : wait_idle(&st, deadline, json);
        rt_store_close(&st);
    }
    free(ids);
    return rc;
}
