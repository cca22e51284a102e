/* host/cli/cmd_analyze.c - `ratchet executions analyze ID [--format markdown|json]
 * [--max-tokens N]`: the error report of an execution (engine/analysis.h) on stdout. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "core/core_layer.h"
#include "engine/engine_layer.h"
#include "opsutil.h"

#define ANALYZE_USAGE                                                                              \
    "usage: ratchet executions analyze ID [--format markdown|json] [--max-tokens N]"

/* A positive integer within [lo, hi], or -1. */
static long long parse_count(const char *s, long long lo, long long hi)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    return errno || *end || end == s || v < lo || v > hi ? -1 : v;
}

int rt_executions_analyze(rt_app *app, int argc, char **argv)
{
    long long id = -1, tokens = 0;
    int markdown = 1;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--format") == 0 && i + 1 < argc) {
            const char *f = argv[++i];
            if (strcmp(f, "markdown") != 0 && strcmp(f, "json") != 0)
                return rt_usage_error("executions",
                                      "--format: expected markdown or json, got "
                                      "'%s'",
                                      f);
            markdown = f[0] == 'm';
        } else if (strcmp(argv[i], "--max-tokens") == 0 && i + 1 < argc) {
            tokens = parse_count(argv[++i], RT_ANALYSIS_MIN_TOKENS, RT_ANALYSIS_MAX_TOKENS);
            if (tokens < 0)
                return rt_usage_error("executions",
                                      "--max-tokens: expected a number of tokens from %d to %d, "
                                      "got '%s'",
                                      RT_ANALYSIS_MIN_TOKENS, RT_ANALYSIS_MAX_TOKENS, argv[i]);
        } else if (argv[i][0] != '-' && id < 0) {
            id = parse_count(argv[i], 1, INT64_MAX);
            if (id < 0)
                return rt_usage_error("executions",
                                      "expected an execution id (a positive "
                                      "number), got '%s'",
                                      argv[i]);
        } else {
            return rt_usage_error("executions", "unexpected argument '%s'; " ANALYZE_USAGE,
                                  argv[i]);
        }
    }
    if (id < 0)
        return rt_usage_error("executions", ANALYZE_USAGE);
    rt_store st;
    int rc = rt_ops_open(app, &st);
    if (rc != RT_EXIT_OK)
        return rc;
    rt_analysis_env env = {st.vt, st.inst, NULL};
    struct json_object *report = NULL;
    rt_error err = {{0}};
    ratchet_status s = rt_analysis_build(&env, id, &report, &err);
    if (s == RATCHET_NOTFOUND) {
        fprintf(stderr, "ratchet: execution %lld not found\n", id);
        rc = RT_EXIT_FAIL;
    } else if (s != RATCHET_OK) {
        fprintf(stderr, "ratchet: analysing execution %lld: %s\n", id, err.msg);
        rc = RT_EXIT_FAIL;
    } else {
        ratchet_buf out = RATCHET_BUF_INIT;
        rt_analysis_render(report, markdown, tokens, &out);
        printf("%s%s", out.data ? out.data : "",
               out.len && out.data[out.len - 1] == '\n' ? "" : "\n");
        rt_buf_free(&out);
    }
    json_object_put(report);
    rt_store_close(&st);
    return rc;
}
