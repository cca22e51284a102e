/*
 * mujs_exec.h - internals shared by the files of the executor-mujs plugin.
 *
 *   mujs.c          plugin descriptor, options, lifecycle, the executor vtable
 *   mujs_run.c      one run of a program in a fresh js_State: phases, outcome
 *   mujs_outcome.c  turning what a script threw into a ratchet_exec_result
 *   mujs_alloc.c    the capped allocator every state uses
 *   mujs_arena.c    its small blocks: size classes in chunks, all returned at the run's end
 *   mujs_errors.c   the ten error constructors and Error.prototype.stack
 *   mujs_console.c  console.log/info/warn/error/debug
 *   mujs_module.c   CommonJS: module.exports / exports.main as the entry point
 *   mujs_fetch.c    fetch(url, options, body) through the host
 *   mujs_json.c     JSON in and out with the state's own JSON.parse/stringify
 *   mujs_async.c    compiled tasks: their runtime, the microtask queue, main's promise
 *   mujs_lines.c    compiled tasks: positions of the author's source in messages and stacks
 *   mujs_lazy.c     compiled tasks: runtime modules loaded on first use
 *   mujs_native*.c  compiled tasks: the hottest runtime helpers in C (mujs_native.h)
 *
 * Naming: mujs_ for plugin-level code, jsx_ for code that works on a js_State.
 */
#ifndef MUJS_EXEC_H
#define MUJS_EXEC_H

#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>

#include <mujs.h>

#include <ratchet/plugin.h>

#include "mujs_lib.h"

/* The host table, set by the entry function in mujs.c. */
extern const ratchet_host_api *mujs_host;

/* ---- capped allocator (mujs_alloc.c) ------------------------------------------------- */

/*
 * Accounting for one js_State. Every block carries a small header with its size because
 * MuJS's allocator hook is not told the old size on realloc/free.
 *
 * The cap is off (capped == 0) while the executor sets the state up, so that the built-ins
 * and globals always fit; it is switched on before any task code or input touches the
 * state. Once a request would take `used` past `limit`, `hit` is set and stays set: every
 * later request that grows memory fails too. MuJS then throws "out of memory" at each
 * attempt, so a script that catches the first one cannot keep running on the last few bytes,
 * and the executor knows the limit was hit even if the script swallowed the error.
 */
/* The arena of small blocks (mujs_arena.c), one per executor instance: the host never runs
 * one instance on two threads at once, so a run owns it. Blocks of up to MUJS_ARENA_SMALL
 * bytes (header included) come from 16-byte size classes in 64 KiB chunks. */
#define MUJS_ARENA_SMALL 1024
typedef struct mujs_arena {
    struct arena_chunk *chunks; /* held by the current run */
    struct arena_chunk *spare;  /* kept for the next run */
    size_t nspare;
    char *bump, *end;                           /* the unused tail of the newest chunk */
    void *free_list[MUJS_ARENA_SMALL / 16];     /* freed blocks per size class */
    size_t footprint;                           /* bytes of chunks the run holds */
    size_t budget;                              /* most the run may hold; beyond, malloc */
} mujs_arena;

/* A block of `bytes` (header included, <= MUJS_ARENA_SMALL), or NULL past the budget. */
void *mujs_arena_take(mujs_arena *a, size_t bytes);
/* Give back a block taken with the same `bytes` class. */
void mujs_arena_give(mujs_arena *a, void *p, size_t bytes);
/* Whether blocks of `a` and `b` bytes share a size class (a realloc can stay in place). */
int mujs_arena_same_class(size_t a, size_t b);
/* Before a run: how many bytes of chunks it may hold. */
void mujs_arena_start(mujs_arena *a, size_t budget);
/* After js_freestate: every block is free; keep a few chunks, free the rest. */
void mujs_arena_reset(mujs_arena *a);
/* At instance destroy: free everything. */
void mujs_arena_destroy(mujs_arena *a);

typedef struct mujs_mem {
    mujs_arena *arena; /* small blocks come from here; NULL: all from malloc */
    size_t used;  /* bytes in live blocks, headers excluded */
    size_t peak;  /* highest `used` seen */
    size_t limit; /* the cap, in bytes */
    int capped;   /* nonzero: enforce `limit` */
    int hit;      /* the cap refused a request; sticky */
} mujs_mem;

/* The js_Alloc hook; `actx` is a mujs_mem. */
void *mujs_alloc(void *actx, void *ptr, int size);

/* "64 MiB", "512 KiB" or "1000 bytes" for messages. */
void mujs_format_size(char *out, size_t outlen, size_t bytes);

/* ---- one run (mujs_run.c) --------------------------------------------------------------- */

/* Bounds of the lazily loaded runtime (mujs_lazy.c); a runtime past them runs eagerly. */
#define JSX_LAZY_MAX_MODULES 64
#define JSX_LAZY_MAX_NAMES 512

/* A compiled runtime split into modules and the names that load them (mujs_lazy.c). */
typedef struct jsx_lazy jsx_lazy;
struct jsx_lazy_name;

/* A compiled task: an owned copy of its source. Immutable after compile(), so any number of
 * runs may read it. */
typedef struct mujs_program {
    char *code;     /* NUL-terminated copy of the source */
    char *filename; /* "main.js" unless the task says otherwise */
    char *task_name;
    /* A task the host compiled (ES2015+ to ES5), else NULL/0: */
    char *runtime;            /* NUL-terminated built-ins and helpers, run before code */
    uint32_t *line_map;       /* 2 per generated line: the author's line, column (1-based) */
    size_t line_map_lines;
    jsx_lazy *lazy; /* runtime's modules for lazy loading, or NULL: run it as one script */
} mujs_program;

/* What a run is doing when something is thrown; decides how the throw is reported. */
typedef enum jsx_phase {
    JSX_PHASE_SETUP,  /* building the globals (uncapped) */
    JSX_PHASE_INPUT,  /* JSON.parse of the input */
    JSX_PHASE_LOAD,   /* parsing the task's source */
    JSX_PHASE_RUN,    /* top-level code, then main(input, context) */
    JSX_PHASE_OUTPUT, /* JSON.stringify of the result */
    JSX_PHASE_DONE
} jsx_phase;

/* The state of one run, reachable from C functions through js_getcontext(). Lives on the
 * stack of mujs_run_execute/mujs_run_check. */
typedef struct jsx_run {
    const mujs_program *prog;
    ratchet_ctx *rctx;                /* for set_error and log */
    const ratchet_exec_context *exec; /* NULL when checking at compile time */
    const char *input_json;
    ratchet_exec_result *result; /* NULL when checking at compile time */
    size_t memory_limit;         /* the limit as configured, for messages */
    ratchet_status status;       /* RATCHET_NOMEM once copying a result string failed */
    mujs_mem mem;
    jsx_phase phase;
    int compile_only; /* run the top level, check there is something to call, stop */
    int callable;     /* compile_only: main or the completion value is callable */
    js_State *J;
    jmp_buf panic;           /* where js_atpanic lands: an error escaped every try (a bug) */
    ratchet_buf line;        /* console line being built; freed at the end of the run */
    ratchet_fetch_call call; /* the fetch in progress; its out strings freed at the end */
    char why[512];           /* the reason a run failed as a whole (RATCHET_ERR) */
    /* lazy runtime (mujs_lazy.c): modules loaded in this run, names that had a value */
    unsigned char lazy_loaded[JSX_LAZY_MAX_MODULES];
    unsigned char lazy_orig[JSX_LAZY_MAX_NAMES];
    const struct jsx_lazy_name *lazy_busy; /* the access being repeated after a load */
} jsx_run;

/* Run `prog` once in a fresh state and fill run->result. RATCHET_OK when the result says
 * how the task ended; RATCHET_ERR/NOMEM with run->why when the executor itself failed. */
ratchet_status mujs_run_execute(jsx_run *run, int flags);

/* Compile-time check in a throwaway state: the source parses (else RATCHET_ERR with the
 * syntax error in run->why) and, when its top level runs to the end, it leaves something to
 * call (else RATCHET_ERR). A top level that throws cannot be judged here (it may need fetch,
 * which only works at execute time) and is accepted. */
ratchet_status mujs_run_check(jsx_run *run, int flags);

/* ---- compiled tasks (mujs_async.c, mujs_lines.c) ------------------------------------------ */

/* The file name of the runtime in stack traces; its frames are not shown to users. */
#define JSX_RUNTIME_FILE "ratchet:runtime"

/* Load and run prog->runtime in J (nothing when there is none). Throws what it throws. */
void jsx_runtime_load(js_State *J, const mujs_program *prog);

/* Save the runtime's hooks ($jsc_settle, $jsc_unhandled) in the registry once they exist. */
void jsx_runtime_save_hooks(js_State *J);

/* Split a runtime with module markers into *out (owned by the caller: jsx_lazy_free); *out
 * stays NULL when the text has no markers or exceeds the bounds (it then runs as one
 * script). -1 only when memory runs out. */
int jsx_lazy_parse(const char *runtime, jsx_lazy **out);
void jsx_lazy_free(jsx_lazy *lz);

/* The index of the native implementation of runtime module `module` whose `defines` are
 * exactly `defines` (space-separated), or -1 (mujs_native.c). */
int jsx_native_find(const char *module, const char *defines);

/* Define the functions of native module k as globals in J. Throws what J throws. */
void jsx_native_install(js_State *J, int k);

/* Install the accessors of run->prog->lazy in J and run the modules that have no names.
 * Throws what they throw. */
void jsx_lazy_install(js_State *J, jsx_run *run);

/* Whether the runtime has the module with the hooks; *loaded says if it ran in this run. */
int jsx_lazy_has_hooks(const jsx_run *run, int *loaded);

/* Load the module with the hooks now (and what it needs). May throw. */
void jsx_lazy_load_hooks(js_State *J, jsx_run *run);

/* With main's result on top of the stack: when the runtime has a microtask queue, run it and
 * replace the result with what it settled to. Returns 1 when the result is there, 0 when the
 * outcome is already set (main's promise never settled); throws the rejection's reason when
 * the promise was rejected, so that it is reported like a throw. */
int jsx_async_settle(js_State *J, jsx_run *run);

/* The text with the runtime's frames removed from stack traces and "main.js:LINE" turned into
 * the author's "main.js:LINE:COL" (per prog->line_map); host-allocated (host->free), or NULL
 * when nothing changes or memory runs out. */
char *jsx_map_positions(const mujs_program *prog, const char *text);

/* jsx_map_positions applied in place to a result's message and stack. */
void jsx_map_result(const mujs_program *prog, ratchet_exec_result *result);

/* ---- outcomes (mujs_outcome.c) ------------------------------------------------------------ */

/* Fill run->result from the value thrown during run->phase (on top of the stack). Returns
 * RATCHET_ERR with run->why when the throw means the executor failed (bad input JSON). */
ratchet_status jsx_outcome_thrown(js_State *J, jsx_run *run);

/* Set an outcome with a fixed message (and optional name). RATCHET_NOMEM if a copy fails. */
ratchet_status jsx_outcome_set(jsx_run *run, ratchet_exec_outcome outcome, const char *name,
                               const char *message);

/* The message of the value at idx (e.message for errors, else String(value)) copied into
 * buf; "" when reading it throws. Never throws. */
void jsx_message_into(js_State *J, int idx, char *buf, size_t len);

/* "main.js:3: SyntaxError: unexpected token ..." from MuJS's "main.js:3: unexpected ...". */
void jsx_syntax_message(char *out, size_t outlen, const char *filename, const char *msg);

/* Free every string in the result and zero its outcome fields. */
void mujs_result_clear(ratchet_exec_result *result);

/* ---- globals (mujs_errors.c, mujs_console.c, mujs_fetch.c, mujs_json.c) ---------------- */

/* Each defines its globals in J. They throw (js_throw) on failure: call inside a js_try. */
void jsx_errors_define(js_State *J);
void jsx_console_define(js_State *J);
void jsx_fetch_define(js_State *J);
void jsx_json_define(js_State *J);

/* CommonJS (mujs_module.c): define the globals `module` ({exports: {}}) and `exports`; after
 * the top level ran, push [entry function, this] for what the script exported and return 1,
 * or push nothing and return 0. */
void jsx_module_define(js_State *J);
int jsx_module_entry(js_State *J);

/* Push `new <name>(message)` (HttpError: new HttpError(status, message)) using the
 * constructors saved at setup, whatever the script did to the globals; an unknown name gives
 * a plain Error. May throw (out of memory). */
void jsx_error_push(js_State *J, const char *name, const char *message, int status);

/* Nonzero when the value at `idx` is an Error (native, ours, or a script's subclass). Does
 * not throw. */
int jsx_is_error(js_State *J, int idx);

/* Push JSON.parse(text) using the state's original JSON.parse. Throws what it throws. */
void jsx_json_parse(js_State *J, const char *text);

/* Push JSON.stringify(value at idx) (a string, or undefined for functions) using the
 * original JSON.stringify. Throws what it throws (cycles, toJSON errors). */
void jsx_json_stringify(js_State *J, int idx);

/* Release the out strings of run->call (host->free) and clear them. */
void jsx_fetch_release(jsx_run *run);

#endif
