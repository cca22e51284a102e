/*
 * mujs_fetch.c - fetch(url, options, body), performed by the host.
 *
 * The executor has no network: the call is handed to the execution context's fetch callback
 * (libcurl, mocks or a recorded session in the host). The script sees the original Ratchet's
 * synchronous API: the call returns {ok, status, statusText, headers, body} or throws one of
 * the error constructors (HttpError with its status, NetworkError, ...). options and body go
 * to the host as JSON text; the answer comes back as JSON text and goes through the state's
 * original JSON.parse.
 *
 * Ownership: the strings the host puts in the call's out fields are freed with host->free.
 * They are kept in run->call rather than in locals, so that when turning them into values
 * throws (out of memory, stack full) they are still freed, by the next fetch or at the end of
 * the run, without a try frame here.
 */
#include <string.h>

#include "mujs_exec.h"

void jsx_fetch_release(jsx_run *run)
{
    ratchet_fetch_call *c = &run->call;
    mujs_host->free(c->response_json);
    mujs_host->free(c->error_name);
    mujs_host->free(c->error_message);
    c->response_json = NULL;
    c->error_name = NULL;
    c->error_message = NULL;
    c->error_status = 0;
}

/* The argument at idx as JSON text on the stack, or NULL when it is absent (undefined) or has
 * no JSON form (a function). Throws for a cycle, as JSON.stringify does. */
static const char *jsx_fetch_json_arg(js_State *J, int idx)
{
    if (js_isundefined(J, idx))
        return NULL;
    jsx_json_stringify(J, idx);
    return js_isstring(J, -1) ? js_tostring(J, -1) : NULL;
}

static void jsx_fetch(js_State *J)
{
    jsx_run *run = js_getcontext(J);
    const ratchet_exec_context *ex = run->exec;
    ratchet_fetch_call *c = &run->call;

    if (!ex || !ex->fetch) {
        jsx_error_push(J, "NetworkError", "fetch is not available here", 0);
        js_throw(J);
    }
    if (js_isundefined(J, 1) || js_isnull(J, 1)) {
        js_typeerror(J, "fetch: the first argument must be the URL");
    }
    /* The strings stay on the JS stack (and valid) until this function returns. */
    const char *url = js_tostring(J, 1);
    const char *options = jsx_fetch_json_arg(J, 2);
    const char *body = jsx_fetch_json_arg(J, 3);

    jsx_fetch_release(run); /* leftovers of a fetch whose answer could not be delivered */
    memset(c, 0, sizeof *c);
    c->abi = (ratchet_abi)RATCHET_ABI_INIT(ratchet_fetch_call);
    c->url = url;
    c->options_json = options;
    c->body_json = body;
    ratchet_status st = ex->fetch(ex->fetch_data, c);
    c->url = c->options_json = c->body_json = NULL; /* borrowed from the JS stack */

    if (st != RATCHET_OK)
        jsx_error_push(J, "NetworkError", "fetch failed: the host could not perform the request",
                       0);
    else if (c->response_json)
        jsx_json_parse(J, c->response_json);
    else if (c->error_name)
        jsx_error_push(J, c->error_name, c->error_message, c->error_status);
    else
        jsx_error_push(J, "NetworkError", "fetch failed: the host gave no answer", 0);

    int answered = st == RATCHET_OK && c->response_json != NULL;
    jsx_fetch_release(run);
    if (!answered)
        js_throw(J);
}

void jsx_fetch_define(js_State *J)
{
    js_newcfunction(J, jsx_fetch, "fetch", 3);
    js_defglobal(J, "fetch", JS_DONTENUM);
}
