/*
 * mujs_console.c - console.log/info/warn/error/debug.
 *
 * Each call becomes one line handed to the execution context's console callback (the host
 * stores it with the execution); nothing is printed. Arguments are joined with spaces the way
 * browsers show them: strings as they are, numbers, booleans, null and undefined as String()
 * gives them, errors as "Name: message", functions as their source text, other objects and
 * arrays as JSON (String() when JSON cannot show them, e.g. a cycle). A value whose
 * conversion throws prints as "[unprintable value]": logging never fails a task. Lines are
 * cut at JSX_CONSOLE_MAX bytes.
 */
#include <string.h>

#include "mujs_exec.h"
#include "mujs_utf16.h"

/* Longest console line passed on, in bytes; a task printing a huge value should not make
 * the host store megabytes per line. */
#define JSX_CONSOLE_MAX 65536

static const char jsx_truncated[] = " ... [line truncated]";

/* Append up to the line limit; cut on a UTF-8 character boundary. */
static void jsx_line_append(jsx_run *run, const char *s, size_t n)
{
    ratchet_buf *b = &run->line;
    if (b->len >= JSX_CONSOLE_MAX)
        return;
    if (n > JSX_CONSOLE_MAX - b->len) {
        n = JSX_CONSOLE_MAX - b->len;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
        /* Failures to append only lose console text; the task goes on. */
        (void)mujs_host->buf_append(b, s, n);
        /* Takes len past the limit, which stops further appends to this line. */
        (void)mujs_host->buf_append(b, jsx_truncated, sizeof jsx_truncated - 1);
        return;
    }
    (void)mujs_host->buf_append(b, s, n);
}

/* Push JSON.stringify(value at idx), or undefined when it throws (a cycle, a toJSON that
 * throws): the caller falls back to String(). */
static void jsx_console_json(js_State *J, int idx)
{
    if (js_try(J)) {
        js_pop(J, 1);
        js_pushundefined(J);
        return;
    }
    jsx_json_stringify(J, idx);
    js_endtry(J);
}

/* Push the text for the argument at idx (see the file comment). May throw. */
static void jsx_console_text(js_State *J, int idx)
{
    if (js_isstring(J, idx) || !js_isobject(J, idx) || js_iscallable(J, idx) ||
        jsx_is_error(J, idx)) {
        js_copy(J, idx);
        (void)js_tostring(J, -1); /* String(value), converted in place */
        return;
    }
    jsx_console_json(J, idx);
    if (!js_isstring(J, -1)) {
        js_pop(J, 1);
        js_copy(J, idx);
        (void)js_tostring(J, -1);
    }
}

/* As jsx_console_text, falling back to String() and then a placeholder when that throws. A
 * helper of its own so the try covers one argument and no local changes after setjmp. */
static void jsx_console_arg(js_State *J, jsx_run *run, int idx)
{
    if (js_try(J)) {
        js_pop(J, 1); /* the error */
        static const char unprintable[] = "[unprintable value]";
        jsx_line_append(run, unprintable, sizeof unprintable - 1);
        return;
    }
    jsx_console_text(J, idx);
    const char *s = js_tostring(J, -1);
    jsx_line_append(run, s, strlen(s));
    js_pop(J, 1);
    js_endtry(J);
}

static void jsx_console_emit(js_State *J, ratchet_log_level level)
{
    jsx_run *run = js_getcontext(J);
    int top = js_gettop(J); /* `this` at 0, arguments from 1 */

    /* No host to hear it (the compile-time check): skip the formatting work too. */
    if (!run->exec || !run->exec->console) {
        js_pushundefined(J);
        return;
    }
    run->line.len = 0;
    if (run->line.data)
        run->line.data[0] = '\0';
    for (int i = 1; i < top; i++) {
        if (i > 1)
            jsx_line_append(run, " ", 1);
        jsx_console_arg(J, run, i);
    }
    if (run->line.data)
        run->line.len = jsx_utf16_fix(run->line.data); /* UTF-8 again: mujs_utf16.h */
    run->exec->console(run->exec->console_data, level, run->line.data ? run->line.data : "");
    js_pushundefined(J);
}

static void jsx_console_log(js_State *J)
{
    jsx_console_emit(J, RATCHET_LOG_INFO);
}

static void jsx_console_info(js_State *J)
{
    jsx_console_emit(J, RATCHET_LOG_INFO);
}

static void jsx_console_warn(js_State *J)
{
    jsx_console_emit(J, RATCHET_LOG_WARN);
}

static void jsx_console_error(js_State *J)
{
    jsx_console_emit(J, RATCHET_LOG_ERROR);
}

static void jsx_console_debug(js_State *J)
{
    jsx_console_emit(J, RATCHET_LOG_DEBUG);
}

void jsx_console_define(js_State *J)
{
    static const struct {
        const char *name;
        js_CFunction fn;
    } methods[] = {
        {"log", jsx_console_log},     {"info", jsx_console_info},   {"warn", jsx_console_warn},
        {"error", jsx_console_error}, {"debug", jsx_console_debug},
    };
    js_newobject(J);
    for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++) {
        js_newcfunction(J, methods[i].fn, methods[i].name, 0);
        js_setproperty(J, -2, methods[i].name);
    }
    js_defglobal(J, "console", JS_DONTENUM);
}
