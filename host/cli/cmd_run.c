/* host/cli/cmd_run.c - `ratchet run-once` and `ratchet replay`. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli.h"
#include "core/core_layer.h"
#include "task/task_layer.h"

#define RT_INPUT_FILE_MAX (16u * 1024 * 1024)

/* Read a whole (bounded) file; NULL with a printed error on failure. */
static char *slurp(const char *path, size_t max)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        rt_cli_fail("cannot read %s: %s", path, strerror(errno));
        return NULL;
    }
    ratchet_buf b = RATCHET_BUF_INIT;
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (b.len + n > max) {
            rt_cli_fail("%s is larger than %zu MiB", path, max >> 20);
            rt_buf_free(&b);
            fclose(f);
            return NULL;
        }
        rt_buf_append(&b, chunk, n);
    }
    fclose(f);
    return b.data ? b.data : strdup("");
}

static int write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    if (!f || fputs(text, f) < 0 || fclose(f) != 0)
        return rt_cli_fail("cannot write %s: %s", path, strerror(errno));
    return RT_EXIT_OK;
}

static const char *pretty(struct json_object *v)
{
    return json_object_to_json_string_ext(v, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
                                                 JSON_C_TO_STRING_NOSLASHESCAPE);
}

/* DIR/ratchet_session_YYYYmmdd_HHMMSS[_N]: a new folder for one recording. */
static char *new_session_dir(const char *dir)
{
    if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
        rt_cli_fail("cannot create %s: %s", dir, strerror(errno));
        return NULL;
    }
    char stamp[32];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(stamp, sizeof stamp, "%Y%m%d_%H%M%S", &tm);
    ratchet_buf path = RATCHET_BUF_INIT;
    for (int n = 1; n < 100; n++) {
        path.len = 0;
        rt_buf_printf(&path, "%s/ratchet_session_%s", dir, stamp);
        if (n > 1)
            rt_buf_printf(&path, "_%d", n);
        if (mkdir(path.data, 0755) == 0)
            return path.data;
        if (errno != EEXIST)
            break;
    }
    rt_cli_fail("cannot create a session folder in %s: %s", dir, strerror(errno));
    rt_buf_free(&path);
    return NULL;
}

/* Print a failed run the way a user needs it, and return the exit status. */
static int report_failure(const rt_run_result *res)
{
    char *line = rt_run_describe(res);
    fprintf(stderr, "ratchet: %s\n", line ? line : "failed");
    if (res->stack && *res->stack)
        fprintf(stderr, "%s\n", res->stack);
    free(line);
    return RT_EXIT_FAIL;
}

static int run_once(rt_app *app, int argc, char **argv)
{
    rt_task_flags f;
    int rc = rt_task_flags_parse("run-once", argc, argv,
                                 RT_FLAG_INPUT | RT_FLAG_LIMITS | RT_FLAG_RECORD, &f);
    if (rc >= 0)
        return rc;
    rt_run_request req;
    if ((rc = rt_task_prepare(app, "run-once", &f, &req)) != RT_EXIT_OK)
        return rc;
    char *input = f.input_file ? slurp(f.input_file, RT_INPUT_FILE_MAX)
                               : strdup(f.input_json ? f.input_json : "{}");
    if (!input)
        return RT_EXIT_FAIL;
    rt_task *task = rt_task_open(f.from_fs);
    char *session = NULL, *har = NULL;
    if (task && f.record && (session = new_session_dir(f.record)) != NULL) {
        size_t len = strlen(session) + 32;
        har = malloc(len);
        snprintf(har, len, "%s/requests.har", session);
    }
    if (!task || (f.record && !session)) {
        rt_task_free(task);
        free(input);
        return RT_EXIT_FAIL;
    }
    req.task = task;
    req.input_json = input;
    req.record_har = har;
    rt_run_result res;
    rt_run_task(&req, &res);
    rt_task_print_logs(&res, task->name);
    if (res.status == RT_RUN_OK) {
        printf("%s\n", pretty(res.output));
        rc = RT_EXIT_OK;
    } else {
        rc = report_failure(&res);
    }
    if (session) {
        ratchet_buf p = RATCHET_BUF_INIT;
        struct json_object *in = json_tokener_parse(input);
        rt_buf_printf(&p, "%s/input.json", session);
        write_file(p.data, pretty(in));
        p.len = 0;
        rt_buf_printf(&p, "%s/output.json", session);
        write_file(p.data, res.status == RT_RUN_OK ? pretty(res.output) : "null");
        fprintf(stderr, "ratchet: recorded to %s\n", session);
        json_object_put(in);
        rt_buf_free(&p);
    }
    rt_run_result_free(&res);
    rt_task_free(task);
    free(input);
    free(session);
    free(har);
    return rc;
}

/* Load SESSION/name as JSON; NULL with a printed error. *ok tells JSON null from failure. */
static struct json_object *session_json(const char *session, const char *name, int *ok)
{
    ratchet_buf p = RATCHET_BUF_INIT;
    rt_buf_printf(&p, "%s/%s", session, name);
    char *text = slurp(p.data, RT_INPUT_FILE_MAX);
    struct json_object *v = NULL;
    *ok = 0;
    if (text) {
        enum json_tokener_error jerr;
        v = json_tokener_parse_verbose(text, &jerr);
        if (jerr == json_tokener_success)
            *ok = 1;
        else
            rt_cli_fail("%s: not valid JSON: %s", p.data, json_tokener_error_desc(jerr));
    }
    free(text);
    rt_buf_free(&p);
    return v;
}

static int replay(rt_app *app, int argc, char **argv)
{
    rt_task_flags f;
    int rc = rt_task_flags_parse("replay", argc, argv, RT_FLAG_LIMITS | RT_FLAG_RECORDING, &f);
    if (rc >= 0)
        return rc;
    if (!f.recording)
        return rt_usage_error("replay", "--recording SESSION_DIR is required");
    rt_run_request req;
    if ((rc = rt_task_prepare(app, "replay", &f, &req)) != RT_EXIT_OK)
        return rc;
    int in_ok, out_ok;
    struct json_object *input = session_json(f.recording, "input.json", &in_ok);
    struct json_object *expected = in_ok ? session_json(f.recording, "output.json", &out_ok) : NULL;
    rt_task *task = in_ok && out_ok ? rt_task_open(f.from_fs) : NULL;
    if (!task) {
        json_object_put(input);
        json_object_put(expected);
        return RT_EXIT_FAIL;
    }
    ratchet_buf har = RATCHET_BUF_INIT;
    rt_buf_printf(&har, "%s/requests.har", f.recording);
    req.task = task;
    req.input_json = json_object_to_json_string_ext(input, JSON_C_TO_STRING_PLAIN);
    req.replay_har = har.data;
    rt_run_result res;
    rt_run_task(&req, &res);
    rt_task_print_logs(&res, task->name);
    if (res.status != RT_RUN_OK) {
        rc = report_failure(&res);
    } else {
        ratchet_buf diff = RATCHET_BUF_INIT;
        size_t n = rt_json_diff(expected, res.output, &diff, 20);
        if (n == 0) {
            printf("replay matches the recording (%zu HTTP call%s answered from %s)\n",
                   json_object_array_length(res.http),
                   json_object_array_length(res.http) == 1 ? "" : "s", har.data);
            rc = RT_EXIT_OK;
        } else {
            printf("replay differs from the recording in %zu place%s:\n%s", n, n == 1 ? "" : "s",
                   diff.data);
            rc = RT_EXIT_FAIL;
        }
        rt_buf_free(&diff);
    }
    rt_run_result_free(&res);
    rt_task_free(task);
    rt_buf_free(&har);
    json_object_put(input);
    json_object_put(expected);
    return rc;
}

const rt_command rt_cmd_run_once = {
    "run-once",
    "Run a task once and print its output",
    "Usage: ratchet run-once --from-fs PATH [--input-json JSON | --input-file F]\n"
    "                        [--timeout SECONDS] [--memory-mb N] [--record DIR]\n\n"
    "Runs the task in PATH (a folder or .zip) once, in a child process, and prints its output\n"
    "JSON on stdout; the task's console lines and errors go to stderr. The input (default {})\n"
    "is checked against input.schema.json first and the output against output.schema.json.\n"
    "--timeout and --memory-mb default to execution.timeout and execution.memory_limit.\n"
    "--record DIR writes DIR/ratchet_session_<time>/ with requests.har (every HTTP exchange),\n"
    "input.json and output.json, for `ratchet replay`.\n\n"
    "Exit status: 0 success; 1 the task failed (the message says how: input invalid, compile\n"
    "error, runtime error with the JS stack, output invalid, timed out, out of memory); 2 usage.\n",
    run_once,
};

const rt_command rt_cmd_replay = {
    "replay",
    "Re-run a recorded session offline and compare the output",
    "Usage: ratchet replay --from-fs PATH --recording SESSION_DIR [--timeout S] [--memory-mb N]\n\n"
    "Runs the task with SESSION_DIR/input.json, answering its fetch() calls from\n"
    "SESSION_DIR/requests.har (no network), and compares the output with\n"
    "SESSION_DIR/output.json. Exit 0 when they match, 1 when they differ (the differences are\n"
    "listed) or the run fails, 2 on usage errors.\n",
    replay,
};
