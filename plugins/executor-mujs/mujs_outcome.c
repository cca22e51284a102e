/*
 * mujs_outcome.c - how a run ended, in words for the task's author.
 *
 * MuJS reports its limits by throwing plain strings ("out of memory", "stack overflow",
 * "exception stack overflow"), which a script can also catch. The memory case is decided by
 * the allocator's sticky flag, not by the string, so a script that swallows the error is still
 * reported as over the limit. The stack cases are decided by the string that reached the
 * executor: a script that catches a stack overflow and carries on has handled it.
 */
#include <stdio.h>
#include <string.h>

#include "mujs_exec.h"
#include "mujs_utf16.h"

/* Extra bytes the state may use while the executor reads a thrown error (its name, message
 * and trace), so that an error raised close to the limit is still reported as itself. */
#define JSX_REPORT_HEADROOM (64 * 1024)

/* The limits are those of the MuJS build (mujs_lib.h): the call frames ("call stack
 * overflow", an Error), the value stack ("stack overflow", a string) and the try blocks. The
 * host shows these after the outcome's name ("stack overflow: more than ..."). */
static const char jsx_msg_stack[] =
    "more than " MUJS_LIB_MAX_CALLS_S " nested calls (use a loop instead of deep "
    "recursion)";
static const char jsx_msg_valuestack[] =
    "the calls in progress need more than the interpreter's " MUJS_LIB_STACKSIZE_S
    " value slots (about " MUJS_LIB_VALUE_CALLS_S
    " nested calls of a small function, fewer when each has many variables; use a loop "
    "instead of deep recursion)";
static const char jsx_msg_trystack[] =
    "more than " MUJS_LIB_TRYLIMIT_S " try blocks active at once "
    "(counting those of every call in progress; use a loop instead of deep recursion)";
static const char jsx_msg_input_deep[] =
    "the input is nested too deeply for the MuJS interpreter (JSON.parse handles fewer "
    "than " MUJS_LIB_STACKSIZE_S " levels of arrays and objects)";
static const char jsx_msg_output_deep[] =
    "the task's result cannot be converted to JSON: it is nested too deeply for the MuJS "
    "interpreter (JSON.stringify handles fewer than " MUJS_LIB_STACKSIZE_S
    " levels of arrays and objects)";

void mujs_result_clear(ratchet_exec_result *r)
{
    mujs_host->free(r->output_json);
    mujs_host->free(r->error_name);
    mujs_host->free(r->error_message);
    mujs_host->free(r->error_stack);
    r->output_json = r->error_name = r->error_message = r->error_stack = NULL;
    r->error_status = 0;
    r->outcome = RATCHET_EXEC_OK;
}

/* host->strdup into *slot (replacing what is there); notes NOMEM in the run on failure. */
static void jsx_keep(jsx_run *run, char **slot, const char *s)
{
    mujs_host->free(*slot);
    *slot = s ? mujs_host->strdup(s) : NULL;
    if (s && !*slot)
        run->status = RATCHET_NOMEM;
    else if (*slot)
        (void)jsx_utf16_fix(*slot); /* surrogate pairs of compiled code: mujs_utf16.h */
}

ratchet_status jsx_outcome_set(jsx_run *run, ratchet_exec_outcome outcome, const char *name,
                               const char *message)
{
    ratchet_exec_result *r = run->result;
    mujs_result_clear(r);
    r->outcome = outcome;
    jsx_keep(run, &r->error_name, name);
    jsx_keep(run, &r->error_message, message);
    return run->status;
}

void jsx_syntax_message(char *out, size_t outlen, const char *filename, const char *msg)
{
    size_t fl = strlen(filename);
    const char *rest = msg;
    const char *hint = "";
    int line = 0;

    /* MuJS writes "<filename>:<line>: <what>"; keep the place, name the error after it. */
    if (strncmp(msg, filename, fl) == 0 && msg[fl] == ':') {
        const char *p = msg + fl + 1;
        while (*p >= '0' && *p <= '9' && line < 100000000)
            line = line * 10 + (*p++ - '0');
        if (p > msg + fl + 1 && p[0] == ':' && p[1] == ' ')
            rest = p + 2;
        else
            line = 0;
    }
    if (strstr(rest, "too much recursion"))
        hint = " (the MuJS parser allows about 100 levels of nested expressions)";
    if (line > 0)
        snprintf(out, outlen, "%s:%d: SyntaxError: %s%s", filename, line, rest, hint);
    else
        snprintf(out, outlen, "%s: SyntaxError: %s%s", filename, rest, hint);
}

/* The thrown value at idx as text: e.message for errors, else String(value). May throw. */
static void jsx_push_message(js_State *J, int idx)
{
    if (jsx_is_error(J, idx)) {
        js_getproperty(J, idx, "message");
        if (js_isundefined(J, -1)) {
            js_pop(J, 1);
            js_pushliteral(J, "");
        }
    } else {
        js_copy(J, idx);
    }
    (void)js_tostring(J, -1);
}

/* Read a thrown Error (or any value) into run->result as RATCHET_EXEC_RUNTIME_ERROR. Each
 * piece is copied out as soon as it is read, so a getter that throws half-way loses only the
 * rest. May throw. */
static void jsx_read_thrown(js_State *J, jsx_run *run, int idx)
{
    ratchet_exec_result *r = run->result;

    if (!jsx_is_error(J, idx)) {
        /* A thrown string, number or plain object: no name, its text as the message. */
        js_copy(J, idx);
        const char *s = js_tostring(J, -1);
        if (js_isobject(J, idx) && strcmp(s, "[object Object]") == 0) {
            jsx_json_stringify(J, idx); /* {"code":1} says more than [object Object] */
            if (js_isstring(J, -1))
                s = js_tostring(J, -1);
        }
        jsx_keep(run, &r->error_message, s);
        return;
    }
    js_getproperty(J, idx, "name");
    jsx_keep(run, &r->error_name, js_isundefined(J, -1) ? "Error" : js_tostring(J, -1));
    js_pop(J, 1);
    jsx_push_message(J, idx);
    jsx_keep(run, &r->error_message, js_tostring(J, -1));
    js_pop(J, 1);
    js_getproperty(J, idx, "status");
    if (r->error_name && strcmp(r->error_name, "HttpError") == 0 && js_isnumber(J, -1)) {
        double st = js_tonumber(J, -1);
        r->error_status = st >= 0 && st <= 999 ? (int)st : 0;
    }
    js_pop(J, 1);
    /* "TypeError: bad\n\tat inner (main.js:1)\n\tat main.js:3", like e.stack elsewhere. */
    js_getproperty(J, idx, "stackTrace");
    if (js_isstring(J, -1)) {
        js_copy(J, idx);
        (void)js_tostring(J, -1);
        js_rot2(J);
        js_concat(J);
        jsx_keep(run, &r->error_stack, js_tostring(J, -1));
    }
    js_pop(J, 1);
}

/* jsx_read_thrown inside a try; a value that cannot be read still yields a message. */
static void jsx_read_thrown_safely(js_State *J, jsx_run *run, int idx)
{
    if (js_try(J)) {
        js_pop(J, 1);
        if (!run->result->error_message)
            jsx_keep(run, &run->result->error_message, "(the thrown value could not be read)");
        return;
    }
    jsx_read_thrown(J, run, idx);
    js_endtry(J);
}

void jsx_message_into(js_State *J, int idx, char *buf, size_t len)
{
    buf[0] = '\0';
    if (js_try(J)) {
        js_pop(J, 1);
        return;
    }
    jsx_push_message(J, idx);
    snprintf(buf, len, "%s", js_tostring(J, -1));
    js_pop(J, 1);
    js_endtry(J);
}

ratchet_status jsx_outcome_thrown(js_State *J, jsx_run *run)
{
    ratchet_exec_result *r = run->result;
    int idx = js_gettop(J) - 1;
    const char *limit_str = js_isstring(J, idx) ? js_tostring(J, idx) : "";
    int stack = strcmp(limit_str, "stack overflow") == 0;
    int trystack = strcmp(limit_str, "exception stack overflow") == 0;
    char msg[400]; /* leaves room for the words around it in run->why */

    if (run->mem.hit)
        return RATCHET_OK; /* mujs_run_execute reports the limit */
    if (strcmp(limit_str, "out of memory") == 0)
        return jsx_outcome_set(run, RATCHET_EXEC_MEMORY, NULL,
                               "the process ran out of memory (below the memory limit)");
    run->mem.limit += JSX_REPORT_HEADROOM;

    switch (run->phase) {
    case JSX_PHASE_SETUP:
    case JSX_PHASE_DONE:
        jsx_message_into(J, idx, msg, sizeof msg);
        snprintf(run->why, sizeof run->why, "cannot set up the JavaScript state: %s", msg);
        return RATCHET_ERR;
    case JSX_PHASE_INPUT:
        if (stack || trystack)
            return jsx_outcome_set(run, RATCHET_EXEC_STACK, NULL, jsx_msg_input_deep);
        jsx_message_into(J, idx, msg, sizeof msg);
        snprintf(run->why, sizeof run->why, "the input is not valid JSON: %s", msg);
        return RATCHET_ERR;
    case JSX_PHASE_LOAD:
        jsx_message_into(J, idx, msg, sizeof msg);
        {
            char text[1200];
            jsx_syntax_message(text, sizeof text, run->prog->filename, msg);
            return jsx_outcome_set(run, RATCHET_EXEC_COMPILE_ERROR, "SyntaxError", text);
        }
    case JSX_PHASE_OUTPUT:
        if (stack || trystack)
            return jsx_outcome_set(run, RATCHET_EXEC_OUTPUT_ERROR, NULL, jsx_msg_output_deep);
        jsx_message_into(J, idx, msg, sizeof msg);
        {
            char text[1200];
            snprintf(text, sizeof text, "the task's result cannot be converted to JSON: %s", msg);
            return jsx_outcome_set(run, RATCHET_EXEC_OUTPUT_ERROR, NULL, text);
        }
    case JSX_PHASE_RUN:
        break;
    }
    if (stack)
        return jsx_outcome_set(run, RATCHET_EXEC_STACK, NULL, jsx_msg_valuestack);
    if (trystack)
        return jsx_outcome_set(run, RATCHET_EXEC_STACK, NULL, jsx_msg_trystack);
    mujs_result_clear(r);
    r->outcome = RATCHET_EXEC_RUNTIME_ERROR;
    jsx_read_thrown_safely(J, run, idx);
    if (r->error_message && strcmp(r->error_message, "call stack overflow") == 0)
        return jsx_outcome_set(run, RATCHET_EXEC_STACK, NULL, jsx_msg_stack);
    return run->status;
}
