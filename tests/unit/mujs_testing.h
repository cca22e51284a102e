/* tests/unit/mujs_testing.h - what the executor-mujs tests share: an instance from YAML options, a
 * fake execution context, result checks. */
#ifndef MUJS_TESTING_H
#define MUJS_TESTING_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <fcntl.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "hostapi.h"
#include "options.h"
#include "plugin_harness.h"
#include "rt_yaml.h"

#include <ratchet/plugin.h>

const ratchet_plugin_desc *ratchet_plugin_entry_executor_mujs(const ratchet_host_api *api);

/* ---- an instance built the way the host builds it ------------------------------------ */

typedef struct inst {
    const ratchet_plugin_desc *desc;
    const ratchet_executor_vtable *ex;
    ratchet_ctx *ctx;
    rt_node *map;
    ratchet_config *cfg;
    void *self;
} inst;

/* ---- a fake execution context: captured console lines, a scripted fetch ------------------ */

#define MAX_LINES 16

typedef struct fake {
    ratchet_exec_context ctx;
    int nlines;
    ratchet_log_level levels[MAX_LINES];
    char *lines[MAX_LINES];
    /* fetch: what the script sent, and what to answer */
    int nfetch;
    char *url, *options, *body;
    const char *answer_json;
    const char *answer_error;
    const char *answer_message;
    int answer_status;
} fake;

void inst_open(inst *in, const char *yaml);

void inst_close(inst *in);

void *compile_ok(inst *in, const char *code);

void fake_console(void *data, ratchet_log_level level, const char *text);

char *dup_or_null(const char *s);

ratchet_status fake_fetch(void *data, ratchet_fetch_call *call);

void fake_init(fake *f);

void fake_done(fake *f);

/* ---- running ------------------------------------------------------------------------------ */

void result_free(ratchet_exec_result *r);

void exec_limited(inst *in, void *prog, const char *input, const ratchet_exec_context *ctx,
                  int64_t memory, ratchet_exec_result *r);

void exec_run(inst *in, void *prog, const char *input, const ratchet_exec_context *ctx,
              ratchet_exec_result *r);

/* Structural JSON comparison: MuJS orders object keys, other engines may not. */
void assert_json(const char *actual, const char *expected);

void assert_ok_json(ratchet_exec_result *r, const char *expected);

/* Compile, run once with `input`, check the output, clean up. */
void expect_output(inst *in, const char *code, const char *input, const char *expected);

/* Compile, run once, expect `outcome`; returns the result for further checks (free it). */
void expect_outcome(inst *in, const char *code, const char *input, ratchet_exec_outcome outcome,
                    ratchet_exec_result *r);

#endif
