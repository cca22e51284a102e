/*
 * host/task/compiler/compile.c - the driver: parse, analyse, lower, print, pick the runtime.
 */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ast.h"
#include "jsc.h"
#include "names.h"
#include "phases.h"
#include "runtime.h"
#include "scope.h"

/* ---- names used by the source ------------------------------------------------------------ */

/* The identifiers, property names and string values of the source (names.h): the runtime
 * modules they trigger are included (a task that never says `includes` gets no
 * Array.prototype.includes), and temporaries avoid every prefix they use. */

/* jsc_names_has for jsc_runtime_triggered. */
static int names_has(void *data, const char *name)
{
    return jsc_names_has(data, name);
}

/* ---- one walk before lowering: names, and whether anything is newer than ES5 ----------- */

typedef struct scan {
    jsc_names names;
    int modern;
} scan;

static int modern_function(const jsc_node *n)
{
    if (n->flags & (JSC_ARROW | JSC_ASYNC | JSC_GENERATOR | JSC_EXPR_BODY | JSC_METHOD))
        return 1;
    for (const jsc_node *p = n->a; p; p = p->next)
        if (p->kind != N_IDENT)
            return 1;
    return 0;
}

/* Whether node `n` itself (not its children) is syntax that ES5 lacks. */
static int modern_node(const jsc_node *n)
{
    switch (n->kind) {
    case N_FOR_OF: case N_TEMPLATE: case N_TAGGED: case N_SUPER: case N_NEW_TARGET:
    case N_CLASS: case N_CLASS_DECL: case N_SPREAD: case N_YIELD: case N_AWAIT:
    case N_ARRAY_PATTERN: case N_OBJECT_PATTERN: case N_ASSIGN_PATTERN: case N_REST:
    case N_OPT_CHAIN:
        return 1;
    case N_VAR:
        return !(n->flags & JSC_DECL_VAR);
    case N_FUNCTION: case N_FUNC_DECL:
        return modern_function(n);
    case N_PROPERTY:
        return (n->flags & (JSC_COMPUTED | JSC_SHORTHAND | JSC_METHOD | JSC_STATIC |
                            JSC_CONSTRUCTOR | JSC_FIELD)) != 0;
    case N_BINARY:
        return n->op == JT_STARSTAR;
    case N_LOGICAL:
        return n->op == JT_QQ;
    case N_ASSIGN:
        return n->op == JT_STARSTAR_EQ || n->a->kind == N_ARRAY_PATTERN ||
               n->a->kind == N_OBJECT_PATTERN;
    case N_CALL: case N_MEMBER: case N_INDEX:
        return (n->flags & JSC_OPTIONAL) != 0;
    case N_TRY:
        return n->c && !n->b;
    case N_NUMBER:
        return n->str == NULL;
    default:
        return 0;
    }
}

static void scan_slot(jsc_ctx *cx, jsc_node **slot, void *data)
{
    scan *sc = data;
    jsc_node *n = *slot;
    if (!sc->modern && modern_node(n))
        sc->modern = 1;
    if (n->kind == N_IDENT || n->kind == N_MEMBER || n->kind == N_FUNCTION ||
        n->kind == N_FUNC_DECL || n->kind == N_LABELED)
        jsc_names_add(cx, &sc->names, n->str);
    else if (n->kind == N_STRING && n->len == strlen(n->str) && n->len < 64)
        jsc_names_add(cx, &sc->names, n->str);
    jsc_each_child(cx, n, scan_slot, data);
}

/* ---- built-ins that cannot be provided ------------------------------------------------------ */

static const struct {
    const char *name, *why;
} unsupported_globals[] = {
    {"Proxy", "Proxy is not supported: the ES5 engine cannot intercept property access; use "
              "plain objects and functions"},
    {"Reflect", "Reflect is not supported; use Object.keys, Object.getOwnPropertyDescriptor, "
                "Function.prototype.apply and the `in` operator"},
    {"BigInt", "BigInt is not supported: numbers are 64-bit floating point (integers are exact "
               "up to 2^53); pass big integers as strings"},
    {"WeakRef", "WeakRef is not supported (ES2021)"},
    {"FinalizationRegistry", "FinalizationRegistry is not supported (ES2021)"},
    {"SharedArrayBuffer", "SharedArrayBuffer is not supported"},
    {"Atomics", "Atomics is not supported"},
};

static void refuse_slot(jsc_ctx *cx, jsc_node **slot, void *data)
{
    jsc_node *n = *slot;
    if (cx->failed)
        return;
    if (n->kind == N_IDENT && jsc_is_global_ref(n)) {
        for (size_t i = 0; i < sizeof unsupported_globals / sizeof *unsupported_globals; i++)
            if (strcmp(n->str, unsupported_globals[i].name) == 0) {
                jsc_error(cx, n, "%s", unsupported_globals[i].why);
                return;
            }
    }
    if (n->kind == N_PROPERTY && !(n->flags & JSC_COMPUTED)) {
        if (n->b) /* the key names a property, not a variable */
            refuse_slot(cx, &n->b, data);
        return;
    }
    jsc_each_child(cx, n, refuse_slot, data);
}

/* Refuse global references to built-ins that ES5 cannot provide, naming them. */
static int refuse_unsupported(jsc_ctx *cx, jsc_node *prog)
{
    refuse_slot(cx, &prog, NULL);
    return !cx->failed;
}

/* ---- the pipeline ------------------------------------------------------------------------- */

typedef int (*pass_fn)(jsc_ctx *cx, jsc_node *prog);

static const pass_fn passes[] = {
    jsc_scope,           refuse_unsupported,   jsc_lower_class,      jsc_lower_function, jsc_lower_object,
    jsc_lower_template,  jsc_lower_spread,     jsc_lower_destructure, jsc_lower_forof,
    jsc_lower_block,     jsc_lower_generator,  jsc_lower_expr,
};

static void need_module(void *data, const char *module)
{
    jsc_need(data, module);
}

static void copy_error(const jsc_ctx *cx, jsc_output *out)
{
    out->err_line = cx->err_line;
    out->err_col = cx->err_col;
    snprintf(out->err_msg, sizeof out->err_msg, "%s", cx->err_msg);
}

static int lower_and_print(jsc_ctx *cx, jsc_node *prog, int names, jsc_output *out)
{
    for (size_t i = 0; i < sizeof passes / sizeof *passes; i++) {
        if (names && passes[i] == jsc_lower_object && !jsc_lower_names(cx, prog))
            return 0;
        if (!passes[i](cx, prog))
            return 0;
    }
    jsc_line_pos *map = NULL;
    size_t lines = 0;
    if (!jsc_print(cx, prog, &out->code, &out->code_len, &map, &lines))
        return 0;
    out->line_map = malloc((lines ? lines : 1) * 2 * sizeof *out->line_map);
    if (!out->line_map) {
        free(map);
        return jsc_error(cx, NULL, "out of memory");
    }
    for (size_t i = 0; i < lines; i++) {
        out->line_map[2 * i] = map[i].line;
        out->line_map[2 * i + 1] = map[i].col;
    }
    out->line_map_lines = lines;
    free(map);
    return 1;
}

static int keep_source(jsc_ctx *cx, const char *src, size_t len, jsc_output *out)
{
    out->code = malloc(len + 1);
    if (!out->code)
        return jsc_error(cx, NULL, "out of memory");
    memcpy(out->code, src, len);
    out->code[len] = '\0';
    out->code_len = len;
    return 1;
}

static int pick_runtime(jsc_ctx *cx, const jsc_names *names, jsc_output *out)
{
    jsc_runtime_triggered(names_has, (void *)names, need_module, cx);
    size_t len = 1;
    for (size_t i = 0; i < cx->nneeds; i++)
        len += strlen(cx->needs[i]) + 1;
    out->modules = malloc(len);
    if (!out->modules)
        return jsc_error(cx, NULL, "out of memory");
    out->modules[0] = '\0';
    for (size_t i = 0; i < cx->nneeds; i++) {
        if (i)
            strcat(out->modules, " ");
        strcat(out->modules, cx->needs[i]);
    }
    if (cx->nneeds == 0)
        return 1;
    char why[256] = "";
    if (jsc_runtime_select(cx->needs, cx->nneeds, &out->runtime, &out->runtime_len, why,
                           sizeof why) != 0)
        return jsc_error(cx, NULL, "runtime: %s", why);
    return 1;
}

static int run(jsc_ctx *cx, const char *src, size_t len, jsc_output *out)
{
    jsc_node *prog = jsc_parse(cx);
    if (!prog)
        return 0;
    scan sc = {{0}, 0};
    scan_slot(cx, &prog, &sc);
    cx->temp_prefix = jsc_names_temp_prefix(cx, &sc.names);
    out->lowered = sc.modern;
    int suspicious = 0;
    for (size_t i = 0; i < sizeof unsupported_globals / sizeof *unsupported_globals; i++)
        suspicious |= jsc_names_has(&sc.names, unsupported_globals[i].name);
    if (!sc.modern && suspicious && (!jsc_scope(cx, prog) || !refuse_unsupported(cx, prog)))
        return 0;
    int names = jsc_names_has(&sc.names, "name");
    if (!(sc.modern ? lower_and_print(cx, prog, names, out) : keep_source(cx, src, len, out)))
        return 0;
    return pick_runtime(cx, &sc.names, out);
}

int jsc_compile(const char *src, size_t len, jsc_output *out)
{
    memset(out, 0, sizeof *out);
    jsc_ctx cx;
    memset(&cx, 0, sizeof cx);
    cx.src = src;
    cx.src_len = len;
    cx.filename = "main.js";
    cx.arena = jsc_arena_new();
    if (!cx.arena) {
        snprintf(out->err_msg, sizeof out->err_msg, "out of memory");
        return 0;
    }
    jmp_buf oom;
    cx.oom = &oom;
    int ok = 0;
    if (setjmp(oom) == 0) {
        ok = run(&cx, src, len, out);
    } else {
        cx.failed = 0;
        jsc_error(&cx, NULL, "out of memory while compiling");
    }
    if (!ok) {
        if (!cx.failed)
            jsc_error(&cx, NULL, "internal compiler error");
        copy_error(&cx, out);
    }
    jsc_arena_free(cx.arena);
    return ok;
}

void jsc_output_free(jsc_output *out)
{
    free(out->code);
    free(out->runtime);
    free(out->modules);
    free(out->line_map);
    memset(out, 0, sizeof *out);
}

char *jsc_runtime_text(const char *modules, size_t *len, char *why, size_t whylen)
{
    const char *names[64];
    char copy[1024];
    size_t n = 0;
    if (snprintf(copy, sizeof copy, "%s", modules ? modules : "") >= (int)sizeof copy) {
        snprintf(why, whylen, "the list of runtime modules is too long");
        return NULL;
    }
    for (char *save = NULL, *tok = strtok_r(copy, " ", &save); tok;
         tok = strtok_r(NULL, " ", &save)) {
        if (n == sizeof names / sizeof *names) {
            snprintf(why, whylen, "too many runtime modules");
            return NULL;
        }
        names[n++] = tok;
    }
    char *out = NULL;
    if (jsc_runtime_select(names, n, &out, len, why, whylen) != 0)
        return NULL;
    return out;
}
