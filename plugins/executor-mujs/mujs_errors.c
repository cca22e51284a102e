/*
 * mujs_errors.c - the ten error constructors of the original Ratchet, and e.stack.
 *
 * AuthenticationError, AuthorizationError, NetworkError, HttpError(status, message),
 * ValidationError, ConfigurationError, RateLimitError, ServiceUnavailableError, TimeoutError
 * and DataError behave like the ES5 functions the original defines:
 *
 *     function NetworkError(message) {
 *         this.name = "NetworkError";
 *         this.message = message || "Network error";
 *         this.stack = (new Error()).stack;
 *     }
 *     NetworkError.prototype = Object.create(Error.prototype);
 *
 * so `e instanceof Error`, `e.name`, `e.message`, HttpError's `e.status`, String(e) and the
 * subclassing idiom `Base.call(this, message)` all work. They are C functions rather than
 * that JavaScript because every execution builds them in a fresh state: parsing and running
 * the JavaScript version cost about 55 us per execution (more than the task itself); these
 * cost about 3 us. Differences from the original, all supersets: they also work without
 * `new`, and a message given as a non-string is converted with String().
 *
 * MuJS gives errors `stackTrace` ("\n\tat f (main.js:3)...") and no `stack`; the original's
 * scripts use `stack`, so Error.prototype gets a `stack` accessor returning
 * String(this) + this.stackTrace (assigning to it stores an own value, as in other engines).
 */
#include <string.h>

#include "mujs_exec.h"

#define JSX_REG_ERROR "ratchet.Error"

typedef struct jsx_error_kind {
    const char *name;
    const char *default_message; /* used when the message is absent, null or "" */
    const char *reg_ctor;        /* registry keys of the constructor and its prototype */
    const char *reg_proto;
    int with_status; /* HttpError(status, message) */
} jsx_error_kind;

#define JSX_KIND(n, msg, st)                                                                       \
    {                                                                                              \
        n, msg, "ratchet.ctor." n, "ratchet.proto." n, st                                          \
    }

/* Names and default messages as in the original (ratchet-js/src/error_handling.rs). */
static const jsx_error_kind jsx_error_kinds[] = {
    JSX_KIND("AuthenticationError", "Authentication failed", 0),
    JSX_KIND("AuthorizationError", "Authorization failed", 0),
    JSX_KIND("NetworkError", "Network error", 0),
    JSX_KIND("HttpError", "HTTP error", 1),
    JSX_KIND("ValidationError", "Validation error", 0),
    JSX_KIND("ConfigurationError", "Configuration error", 0),
    JSX_KIND("RateLimitError", "Rate limit exceeded", 0),
    JSX_KIND("ServiceUnavailableError", "Service unavailable", 0),
    JSX_KIND("TimeoutError", "Timeout error", 0),
    JSX_KIND("DataError", "Data error", 0),
};

#define JSX_NKINDS (sizeof jsx_error_kinds / sizeof jsx_error_kinds[0])

/* Nonzero when the value at idx is the global object (`this` of a plain call in sloppy
 * code is undefined for C functions, but fn.call(this) at top level passes the global). */
static int jsx_is_global(js_State *J, int idx)
{
    int same;
    js_copy(J, idx);
    js_pushglobal(J);
    same = js_strictequal(J);
    js_pop(J, 2);
    return same;
}

/* Push the trace of the current call site, without the constructor's own "(native)" frame. */
static void jsx_push_trace(js_State *J, const char *name)
{
    js_newerror(J, "");
    js_getproperty(J, -1, "stackTrace");
    js_rot2(J);
    js_pop(J, 1);
    if (!js_isstring(J, -1))
        return;
    const char *t = js_tostring(J, -1);
    size_t n = strlen(name);
    /* The first frame is "\n\tat <name> (native)" when the trace starts in this function. */
    if (strncmp(t, "\n\tat ", 5) == 0 && strncmp(t + 5, name, n) == 0 &&
        strncmp(t + 5 + n, " (native)", 9) == 0) {
        js_pushstring(J, t + 5 + n + 9);
        js_rot2(J);
        js_pop(J, 1);
    }
}

/* Body of every constructor: stack index 0 is `this`, then the arguments. */
static void jsx_error_make(js_State *J, size_t k, int construct)
{
    const jsx_error_kind *ek = &jsx_error_kinds[k];
    int msg_arg = ek->with_status ? 2 : 1;
    /* Base.call(this, message) from a subclass constructor initialises that object. */
    int in_place = !construct && js_isobject(J, 0) && !jsx_is_global(J, 0);

    if (in_place) {
        js_copy(J, 0);
    } else {
        js_getregistry(J, ek->reg_proto);
        js_newobjectx(J);
    }
    if (ek->with_status) {
        js_copy(J, 1);
        js_setproperty(J, -2, "status");
    }
    js_pushstring(J, ek->name);
    js_setproperty(J, -2, "name");
    if (js_isundefined(J, msg_arg) || js_isnull(J, msg_arg) ||
        (js_isstring(J, msg_arg) && *js_tostring(J, msg_arg) == '\0'))
        js_pushstring(J, ek->default_message);
    else
        js_pushstring(J, js_tostring(J, msg_arg)); /* String(message), as the ES5 version */
    js_setproperty(J, -2, "message");
    jsx_push_trace(J, ek->name);
    js_defproperty(J, -2, "stackTrace", JS_DONTENUM);
    if (in_place)
        js_pushundefined(J);
}

/* MuJS stores no data pointer for constructors, so each kind gets its own pair of entry
 * points: one for `new Name(...)`, one for a plain call. */
#define JSX_ERROR_ENTRY(i)                                                                         \
    static void jsx_error_new_##i(js_State *J)                                                     \
    {                                                                                              \
        jsx_error_make(J, i, 1);                                                                   \
    }                                                                                              \
    static void jsx_error_call_##i(js_State *J)                                                    \
    {                                                                                              \
        jsx_error_make(J, i, 0);                                                                   \
    }
JSX_ERROR_ENTRY(0)
JSX_ERROR_ENTRY(1)
JSX_ERROR_ENTRY(2)
JSX_ERROR_ENTRY(3)
JSX_ERROR_ENTRY(4)
JSX_ERROR_ENTRY(5)
JSX_ERROR_ENTRY(6)
JSX_ERROR_ENTRY(7)
JSX_ERROR_ENTRY(8)
JSX_ERROR_ENTRY(9)

static const js_CFunction jsx_error_new_fns[] = {
    jsx_error_new_0, jsx_error_new_1, jsx_error_new_2, jsx_error_new_3, jsx_error_new_4,
    jsx_error_new_5, jsx_error_new_6, jsx_error_new_7, jsx_error_new_8, jsx_error_new_9,
};
static const js_CFunction jsx_error_call_fns[] = {
    jsx_error_call_0, jsx_error_call_1, jsx_error_call_2, jsx_error_call_3, jsx_error_call_4,
    jsx_error_call_5, jsx_error_call_6, jsx_error_call_7, jsx_error_call_8, jsx_error_call_9,
};

_Static_assert(sizeof jsx_error_new_fns / sizeof jsx_error_new_fns[0] == JSX_NKINDS,
               "one constructor entry per error kind");

/* get Error.prototype.stack: String(this) + this.stackTrace */
static void jsx_stack_get(js_State *J)
{
    if (!js_isobject(J, 0)) {
        js_pushundefined(J);
        return;
    }
    js_copy(J, 0);
    (void)js_tostring(J, -1); /* converts the copy in place: String(this) */
    js_getproperty(J, 0, "stackTrace");
    if (js_isstring(J, -1))
        js_concat(J);
    else
        js_pop(J, 1);
}

/* set Error.prototype.stack: an own data property on the error, like a plain assignment. */
static void jsx_stack_set(js_State *J)
{
    if (js_isobject(J, 0)) {
        js_copy(J, 1);
        js_defproperty(J, 0, "stack", 0);
    }
    js_pushundefined(J);
}

void jsx_errors_define(js_State *J)
{
    js_getglobal(J, "Error");
    js_copy(J, -1);
    js_setregistry(J, JSX_REG_ERROR);
    js_getproperty(J, -1, "prototype"); /* Error Error.prototype */

    js_newcfunction(J, jsx_stack_get, "stack", 0);
    js_newcfunction(J, jsx_stack_set, "stack", 1);
    js_defaccessor(J, -3, "stack", JS_DONTENUM);

    for (size_t i = 0; i < JSX_NKINDS; i++) {
        const jsx_error_kind *ek = &jsx_error_kinds[i];
        js_copy(J, -1);
        js_newobjectx(J); /* the prototype: Object.create(Error.prototype) */
        js_pushstring(J, ek->name);
        js_defproperty(J, -2, "name", JS_DONTENUM);
        js_copy(J, -1);
        js_setregistry(J, ek->reg_proto);
        /* Pops the prototype, links it both ways (prototype/constructor), pushes the
         * constructor. MuJS keeps the name pointer: the table is static. */
        js_newcconstructor(J, jsx_error_call_fns[i], jsx_error_new_fns[i], ek->name,
                           ek->with_status ? 2 : 1);
        js_copy(J, -1);
        js_setregistry(J, ek->reg_ctor);
        js_defglobal(J, ek->name, JS_DONTENUM);
    }
    js_pop(J, 2);
}

void jsx_error_push(js_State *J, const char *name, const char *message, int status)
{
    for (size_t i = 0; name && i < JSX_NKINDS; i++) {
        const jsx_error_kind *ek = &jsx_error_kinds[i];
        if (strcmp(name, ek->name) != 0)
            continue;
        js_getregistry(J, ek->reg_ctor);
        if (ek->with_status)
            js_pushnumber(J, status);
        if (message)
            js_pushstring(J, message);
        else
            js_pushundefined(J);
        js_construct(J, ek->with_status ? 2 : 1);
        return;
    }
    js_newerror(J, message ? message : "");
}

int jsx_is_error(js_State *J, int idx)
{
    int yes;
    if (!js_isobject(J, idx))
        return 0;
    if (js_iserror(J, idx))
        return 1;
    js_copy(J, idx);
    js_getregistry(J, JSX_REG_ERROR);
    yes = js_instanceof(J);
    js_pop(J, 2);
    return yes;
}
