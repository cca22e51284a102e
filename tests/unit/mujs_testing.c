/* tests/unit/mujs_testing.c - what the executor-mujs tests share: an instance from YAML options, a
 * fake execution context, result checks. */
#define _GNU_SOURCE /* mallinfo2 */
#include "mujs_testing.h"

void inst_open(inst *in, const char *yaml)
{
    rt_error err = {{0}};
    memset(in, 0, sizeof *in);
    in->desc = ratchet_plugin_entry_executor_mujs(rt_host_api());
    assert_non_null(in->desc);
    in->ex = in->desc->executor;
    assert_non_null(in->ex);
    in->cfg = harness_options(in->desc, yaml, &in->map, &err);
    if (!in->cfg)
        fail_msg("options: %s", err.msg);
    in->ctx = rt_ctx_new("js", "executor-mujs");
    assert_non_null(in->ctx);
    assert_int_equal(in->ex->life.create(in->ctx, in->cfg, &in->self), RATCHET_OK);
}

void inst_close(inst *in)
{
    in->ex->life.destroy(in->self);
    harness_options_free(in->cfg, in->map);
    rt_ctx_free(in->ctx);
}

void *compile_ok(inst *in, const char *code)
{
    ratchet_task_source src = {.abi = RATCHET_ABI_INIT(ratchet_task_source),
                               .task_name = "t",
                               .filename = "main.js",
                               .code = code,
                               .code_len = strlen(code)};
    void *prog = NULL;
    rt_error_clear();
    ratchet_status st = in->ex->compile(in->self, &src, &prog);
    if (st != RATCHET_OK)
        fail_msg("compile failed (%d): %s\n--- source:\n%s", (int)st, rt_error_peek(), code);
    assert_non_null(prog);
    return prog;
}

void fake_console(void *data, ratchet_log_level level, const char *text)
{
    fake *f = data;
    if (f->nlines < MAX_LINES) {
        f->levels[f->nlines] = level;
        f->lines[f->nlines++] = strdup(text);
    }
}

char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

ratchet_status fake_fetch(void *data, ratchet_fetch_call *call)
{
    fake *f = data;
    const ratchet_host_api *h = rt_host_api();
    f->nfetch++;
    free(f->url);
    free(f->options);
    free(f->body);
    f->url = dup_or_null(call->url);
    f->options = dup_or_null(call->options_json);
    f->body = dup_or_null(call->body_json);
    if (f->answer_json) {
        call->response_json = h->strdup(f->answer_json);
    } else {
        call->error_name = h->strdup(f->answer_error ? f->answer_error : "NetworkError");
        call->error_message = f->answer_message ? h->strdup(f->answer_message) : NULL;
        call->error_status = f->answer_status;
    }
    return RATCHET_OK;
}

void fake_init(fake *f)
{
    memset(f, 0, sizeof *f);
    f->ctx.abi = (ratchet_abi)RATCHET_ABI_INIT(ratchet_exec_context);
    f->ctx.execution_id = "exec-1";
    f->ctx.task_id = "task-1";
    f->ctx.task_version = "1.2.3";
    f->ctx.job_id = NULL;
    f->ctx.fetch = fake_fetch;
    f->ctx.fetch_data = f;
    f->ctx.console = fake_console;
    f->ctx.console_data = f;
}

void fake_done(fake *f)
{
    for (int i = 0; i < f->nlines; i++)
        free(f->lines[i]);
    free(f->url);
    free(f->options);
    free(f->body);
}

/* ---- running ------------------------------------------------------------------------------ */

void result_free(ratchet_exec_result *r)
{
    const ratchet_host_api *h = rt_host_api();
    h->free(r->output_json);
    h->free(r->error_name);
    h->free(r->error_message);
    h->free(r->error_stack);
    memset(r, 0, sizeof *r);
}

void exec_limited(inst *in, void *prog, const char *input, const ratchet_exec_context *ctx,
                  int64_t memory, ratchet_exec_result *r)
{
    ratchet_exec_limits lim = {RATCHET_ABI_INIT(ratchet_exec_limits), 0, memory};
    memset(r, 0, sizeof *r);
    r->abi = (ratchet_abi)RATCHET_ABI_INIT(ratchet_exec_result);
    rt_error_clear();
    ratchet_status st = in->ex->execute(in->self, prog, input, ctx, &lim, r);
    if (st != RATCHET_OK)
        fail_msg("execute failed (%d): %s", (int)st, rt_error_peek());
}

void exec_run(inst *in, void *prog, const char *input, const ratchet_exec_context *ctx,
              ratchet_exec_result *r)
{
    exec_limited(in, prog, input, ctx, 0, r);
}

/* Structural JSON comparison: MuJS orders object keys, other engines may not. */
void assert_json(const char *actual, const char *expected)
{
    if (!actual)
        fail_msg("no output; expected %s", expected);
    enum json_tokener_error ea = json_tokener_success, ee = json_tokener_success;
    /* (JSON null parses to a NULL object, so success is told by the error code) */
    json_object *a = json_tokener_parse_verbose(actual, &ea);
    json_object *e = json_tokener_parse_verbose(expected, &ee);
    if (ee != json_tokener_success)
        fail_msg("bad expectation in test: %s", expected);
    if (ea != json_tokener_success || !json_object_equal(a, e))
        fail_msg("output %s, expected %s", actual, expected);
    json_object_put(a);
    json_object_put(e);
}

void assert_ok_json(ratchet_exec_result *r, const char *expected)
{
    if (r->outcome != RATCHET_EXEC_OK)
        fail_msg("outcome %d (%s: %s), expected OK %s", (int)r->outcome,
                 r->error_name ? r->error_name : "-", r->error_message ? r->error_message : "-",
                 expected);
    assert_json(r->output_json, expected);
}

/* Compile, run once with `input`, check the output, clean up. */
void expect_output(inst *in, const char *code, const char *input, const char *expected)
{
    fake f;
    ratchet_exec_result r;
    fake_init(&f);
    void *prog = compile_ok(in, code);
    exec_run(in, prog, input, &f.ctx, &r);
    assert_ok_json(&r, expected);
    result_free(&r);
    in->ex->release(in->self, prog);
    fake_done(&f);
}

/* Compile, run once, expect `outcome`; returns the result for further checks (free it). */
void expect_outcome(inst *in, const char *code, const char *input, ratchet_exec_outcome outcome,
                    ratchet_exec_result *r)
{
    fake f;
    fake_init(&f);
    void *prog = compile_ok(in, code);
    exec_run(in, prog, input, &f.ctx, r);
    if (r->outcome != outcome)
        fail_msg("outcome %d (%s / %s / %s), expected %d", (int)r->outcome,
                 r->error_name ? r->error_name : "-", r->error_message ? r->error_message : "-",
                 r->output_json ? r->output_json : "-", (int)outcome);
    in->ex->release(in->self, prog);
    fake_done(&f);
}
