/*
 * mujs_lazy.c - loading a compiled task's runtime modules only when the task touches them.
 *
 * MuJS compiles every function of a script when it loads it, so running the whole runtime
 * up front costs a task that uses Promise, Map and a few string methods milliseconds per
 * execution. The runtime text the compiler hands over is a list of modules, each after a
 * marker line "// module: NAME | NEEDS | DEFINES" (host/task/compiler/runtime.h); DEFINES
 * names what the module puts on objects that exist before it runs ("Map",
 * "String.prototype.padStart"). At compile time the text is split into modules
 * (jsx_lazy_parse). In each execution, before anything else runs, every such name gets an
 * accessor: one C function per name serves as getter and setter. The first access loads the
 * module: its needs first, then, for each of its names, the accessor is removed (and a
 * built-in the module replaces is put back, so that the module captures the original),
 * then its text runs. The accessor then repeats the access on its receiver, which now finds
 * the real property. A module with no DEFINES runs eagerly, as the whole runtime used to. A
 * module the executor implements in C (mujs_native.c) gets its functions defined up front
 * instead, and its text never runs.
 *
 * The holders ("String.prototype") are resolved once per execution before any accessor is
 * installed, and kept with the originals in a registry array, so resolving never triggers a
 * load. Loads that happen while the task runs count against its memory limit, as what they
 * build is the task's.
 *
 * Memory: a jsx_lazy belongs to its mujs_program (jsx_lazy_free); every string in it points
 * into one buffer it owns. Per-run state (what is loaded) lives in jsx_run.
 */
#include <stdio.h>
#include <pthread.h>
#include <string.h>

#include "mujs_exec.h"

#define JSX_REG_LAZY "ratchet.lazy"

typedef struct jsx_lazy_name {
    int module;
    int index;          /* position in the per-run registry array: 2*index holder, +1 original */
    const char *holder; /* "" for the global object, else "String.prototype" */
    const char *name;
} jsx_lazy_name;

typedef struct jsx_lazy_module {
    const char *name;
    const char *text; /* NUL-terminated */
    int needs[JSX_LAZY_MAX_MODULES];
    int nneeds;
    int first, count; /* its names: names[first .. first+count) */
    int hooks;        /* defines $jsc_settle: save the executor's hooks after loading */
    int native;       /* implemented in C (mujs_native.c): its index there, else -1 */
} jsx_lazy_module;

struct jsx_lazy {
    char *buf;
    jsx_lazy_module modules[JSX_LAZY_MAX_MODULES];
    int nmodules;
    jsx_lazy_name names[JSX_LAZY_MAX_NAMES];
    int nnames;
};

void jsx_lazy_free(jsx_lazy *lz)
{
    if (!lz)
        return;
    mujs_host->free(lz->buf);
    mujs_host->free(lz);
}

/* Cuts the next space-separated word out of *p (NUL-terminating it in place). */
static char *jsx_lazy_word(char **p)
{
    char *s = *p;
    while (*s == ' ')
        s++;
    if (!*s)
        return NULL;
    char *w = s;
    while (*s && *s != ' ')
        s++;
    if (*s)
        *s++ = '\0';
    *p = s;
    return w;
}

static int jsx_lazy_find(const jsx_lazy *lz, const char *name)
{
    for (int i = 0; i < lz->nmodules; i++)
        if (strcmp(lz->modules[i].name, name) == 0)
            return i;
    return -1;
}

/* One marker's fields (the line without "// module: ", NUL-terminated). 0, or -1 when the
 * marker is malformed or a bound is exceeded. */
static int jsx_lazy_marker(jsx_lazy *lz, char *line, jsx_lazy_module *m)
{
    char *bar1 = strchr(line, '|'), *bar2 = bar1 ? strchr(bar1 + 1, '|') : NULL, *w;
    if (!bar2)
        return -1;
    *bar1 = *bar2 = '\0';
    char *p = line, *needs = bar1 + 1, *defs = bar2 + 1;
    m->name = jsx_lazy_word(&p);
    if (!m->name)
        return -1;
    while (*defs == ' ')
        defs++;
    m->native = jsx_native_find(m->name, defs);
    while ((w = jsx_lazy_word(&needs)) != NULL) {
        int j = jsx_lazy_find(lz, w);
        if (j < 0 || m->nneeds >= JSX_LAZY_MAX_MODULES)
            return -1; /* the compiler puts needs first: an unknown one is a broken text */
        m->needs[m->nneeds++] = j;
    }
    m->first = lz->nnames;
    while ((w = jsx_lazy_word(&defs)) != NULL) {
        if (lz->nnames >= JSX_LAZY_MAX_NAMES)
            return -1;
        jsx_lazy_name *n = &lz->names[lz->nnames];
        char *dot = strrchr(w, '.');
        n->module = lz->nmodules;
        n->index = lz->nnames++;
        if (dot) {
            *dot = '\0';
            n->holder = w;
            n->name = dot + 1;
        } else {
            n->holder = "";
            n->name = w;
        }
        if (strcmp(n->name, "$jsc_settle") == 0)
            m->hooks = 1;
    }
    m->count = lz->nnames - m->first;
    return 0;
}

#define JSX_MARK "// module: "

/* MuJS 1.3.2's property tree loses the getter and setter of the node that takes a deleted
 * node's place (jsproperty.c, delete(): name, atts and value are copied, the accessors are
 * not), so deleting our accessors would corrupt their neighbours. Lazy loading is used only
 * with an engine without that bug; this probe deletes the middle of three accessors. */
static void jsx_lazy_probe_get(js_State *J)
{
    js_pushnumber(J, 1);
}

static int jsx_lazy_probe_body(js_State *J)
{
    static const char names[][2] = {"a", "b", "c", "d", "e", "f", "g", "h",
                                    "i", "j", "k", "l", "m", "n", "o"};
    int n = (int)(sizeof names / sizeof names[0]), ok = 1;
    /* accessors at odd positions (inner nodes of the tree), data (2) at even ones; delete
     * one accessor per object */
    for (int del = 1; del < n; del += 2) {
        js_newobject(J);
        for (int i = 0; i < n; i++) {
            if (i % 2 == 1) {
                js_newcfunction(J, jsx_lazy_probe_get, names[i], 0);
                js_pushnull(J);
                js_defaccessor(J, -3, names[i], 0);
            } else {
                js_pushnumber(J, 2);
                js_defproperty(J, -2, names[i], 0);
            }
        }
        js_delproperty(J, -1, names[del]);
        for (int i = 0; i < n; i += 2) {
            js_getproperty(J, -1, names[i]);
            ok = ok && js_tonumber(J, -1) > 1.5;
            js_pop(J, 1);
        }
        js_pop(J, 1);
    }
    return ok;
}

static int jsx_lazy_probe_try(js_State *J)
{
    if (js_try(J))
        return 0;
    int ok = jsx_lazy_probe_body(J);
    js_endtry(J);
    return ok;
}

static int jsx_lazy_probe_result;

static void jsx_lazy_probe_once(void)
{
    js_State *J = js_newstate(NULL, NULL, 0);
    if (!J)
        return;
    jsx_lazy_probe_result = jsx_lazy_probe_try(J);
    js_freestate(J);
}

/* The engine is the same for the life of the process: probe it once, not per program. */
static int jsx_lazy_engine_ok(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, jsx_lazy_probe_once);
    return jsx_lazy_probe_result;
}

int jsx_lazy_parse(const char *runtime, jsx_lazy **out)
{
    size_t marklen = strlen(JSX_MARK), len = strlen(runtime);
    *out = NULL;
    if (strncmp(runtime, JSX_MARK, marklen) != 0 || !jsx_lazy_engine_ok())
        return 0; /* no markers, or an engine that cannot: the runtime runs as one script */
    jsx_lazy *lz = mujs_host->alloc(sizeof *lz);
    if (!lz)
        return -1;
    memset(lz, 0, sizeof *lz);
    lz->buf = mujs_host->alloc(len + 1);
    if (!lz->buf) {
        mujs_host->free(lz);
        return -1;
    }
    memcpy(lz->buf, runtime, len + 1);
    char *p = lz->buf;
    while (p && *p) {
        /* p is at a marker line */
        char *eol = strchr(p, '\n');
        if (!eol || lz->nmodules >= JSX_LAZY_MAX_MODULES)
            goto eager;
        *eol = '\0';
        jsx_lazy_module *m = &lz->modules[lz->nmodules];
        if (jsx_lazy_marker(lz, p + marklen, m) != 0)
            goto eager;
        m->text = eol + 1;
        lz->nmodules++;
        /* the text runs to the next marker, which starts a line */
        char *next = strstr(eol + 1, "\n" JSX_MARK);
        if (next) {
            next[0] = '\0';
            p = next + 1;
        } else {
            p = NULL;
        }
    }
    *out = lz;
    return 0;
eager:
    jsx_lazy_free(lz);
    return 0;
}

/* Pushes the holder object named by a dotted path from the global object (no accessor of
 * ours is installed yet when this runs). */
static void jsx_lazy_push_holder(js_State *J, const char *path)
{
    char part[64];
    js_pushglobal(J);
    while (*path) {
        const char *dot = strchr(path, '.');
        size_t n = dot ? (size_t)(dot - path) : strlen(path);
        if (n >= sizeof part)
            n = sizeof part - 1;
        memcpy(part, path, n);
        part[n] = '\0';
        js_getproperty(J, -1, part);
        js_rot2pop1(J);
        path += n + (dot ? 1 : 0);
    }
}

static void jsx_lazy_save_hooks(js_State *J);

/* Load module i (and what it needs first) once in this run. May throw. */
static void jsx_lazy_load(js_State *J, jsx_run *run, int i)
{
    const jsx_lazy *lz = run->prog->lazy;
    const jsx_lazy_module *m = &lz->modules[i];
    if (run->lazy_loaded[i])
        return;
    run->lazy_loaded[i] = 1;
    for (int k = 0; k < m->nneeds; k++)
        jsx_lazy_load(J, run, m->needs[k]);
    js_getregistry(J, JSX_REG_LAZY);
    for (int k = m->first; k < m->first + m->count; k++) {
        const jsx_lazy_name *n = &lz->names[k];
        js_getindex(J, -1, 2 * n->index); /* holder */
        if (js_isobject(J, -1)) {
            js_delproperty(J, -1, n->name);
            if (run->lazy_orig[k]) {
                js_getindex(J, -2, 2 * n->index + 1);
                js_defproperty(J, -2, n->name, JS_DONTENUM);
            }
        }
        js_pop(J, 1);
    }
    js_pop(J, 1);
    js_loadstring(J, JSX_RUNTIME_FILE, m->text);
    js_pushglobal(J);
    js_call(J, 0);
    js_pop(J, 1);
    if (m->hooks)
        jsx_lazy_save_hooks(J);
}

/* The getter and setter of a name not loaded yet: `this` is the receiver; a setter call has
 * the value as its one argument (length 0, so that MuJS pads a getter call with none). */
static void jsx_lazy_access(js_State *J)
{
    const jsx_lazy_name *n = js_currentfunctiondata(J);
    jsx_run *run = js_getcontext(J);
    int is_set = js_gettop(J) > 1;

    if (!n || !run || !run->prog->lazy || run->lazy_busy == n) {
        /* re-entered while repeating the access: the module did not define the name */
        js_pushundefined(J);
        return;
    }
    jsx_lazy_load(J, run, n->module);
    const jsx_lazy_name *outer = run->lazy_busy;
    run->lazy_busy = n;
    if (is_set) {
        js_copy(J, 1);
        js_setproperty(J, 0, n->name);
        js_pushundefined(J);
    } else {
        js_getproperty(J, 0, n->name);
    }
    run->lazy_busy = outer;
}

void jsx_lazy_install(js_State *J, jsx_run *run)
{
    const jsx_lazy *lz = run->prog->lazy;
    memset(run->lazy_loaded, 0, sizeof run->lazy_loaded);
    memset(run->lazy_orig, 0, sizeof run->lazy_orig);
    run->lazy_busy = NULL;

    /* Pass 1: holders and the originals of names that exist already. */
    js_newarray(J);
    for (int k = 0; k < lz->nnames; k++) {
        const jsx_lazy_name *n = &lz->names[k];
        if (lz->modules[n->module].native >= 0)
            continue;
        jsx_lazy_push_holder(J, n->holder);
        if (js_isobject(J, -1) && js_hasproperty(J, -1, n->name)) {
            run->lazy_orig[k] = 1;
            js_setindex(J, -3, 2 * n->index + 1);
        }
        js_setindex(J, -2, 2 * n->index);
    }
    /* Pass 2: the accessors, read back from the array. */
    for (int k = 0; k < lz->nnames; k++) {
        const jsx_lazy_name *n = &lz->names[k];
        if (lz->modules[n->module].native >= 0)
            continue;
        js_getindex(J, -1, 2 * n->index);
        if (js_isobject(J, -1)) {
            js_newcfunctionx(J, jsx_lazy_access, n->name, 0, (void *)n, NULL);
            js_copy(J, -1);
            js_defaccessor(J, -3, n->name, JS_DONTENUM);
        }
        js_pop(J, 1);
    }
    js_setregistry(J, JSX_REG_LAZY);
    /* Native modules cost a function each: defined now, their text never runs. */
    for (int i = 0; i < lz->nmodules; i++)
        if (lz->modules[i].native >= 0) {
            jsx_native_install(J, lz->modules[i].native);
            run->lazy_loaded[i] = 1;
        }
    /* Modules reached through no name run now. */
    for (int i = 0; i < lz->nmodules; i++)
        if (lz->modules[i].count == 0)
            jsx_lazy_load(J, run, i);
}

int jsx_lazy_has_hooks(const jsx_run *run, int *loaded)
{
    const jsx_lazy *lz = run->prog->lazy;
    for (int i = 0; lz && i < lz->nmodules; i++)
        if (lz->modules[i].hooks) {
            *loaded = run->lazy_loaded[i];
            return 1;
        }
    return 0;
}

void jsx_lazy_load_hooks(js_State *J, jsx_run *run)
{
    const jsx_lazy *lz = run->prog->lazy;
    for (int i = 0; lz && i < lz->nmodules; i++)
        if (lz->modules[i].hooks)
            jsx_lazy_load(J, run, i);
}

static void jsx_lazy_save_hooks(js_State *J)
{
    jsx_runtime_save_hooks(J);
}

