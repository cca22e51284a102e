/*
 * mujs_lib.h - which MuJS build the executor runs on, and the C stack it needs.
 *
 * The build generates mujs_lib_config.h (mujs_lib.cmake): MuJS compiled from Debian's source
 * package with raised limits, or the system libmujs with the interpreter's defaults (the
 * values below, also used when a file is compiled without that header).
 */
#ifndef MUJS_LIB_H
#define MUJS_LIB_H

#include <ratchet/plugin.h>

#ifdef MUJS_LIB_CONFIGURED
#include "mujs_lib_config.h"
#endif

#ifndef MUJS_LIB_SUMMARY
#define MUJS_LIB_SUMMARY "system libmujs with its default limits"
#endif
#ifndef MUJS_LIB_STACKSIZE
#define MUJS_LIB_STACKSIZE 256 /* value stack slots (JS_STACKSIZE) */
#endif
#ifndef MUJS_LIB_TRYLIMIT
#define MUJS_LIB_TRYLIMIT 64 /* try blocks active at once (JS_TRYLIMIT) */
#endif
#ifndef MUJS_LIB_MAX_CALLS
#define MUJS_LIB_MAX_CALLS 127 /* calls in progress at once: JS_ENVLIMIT - 1 */
#endif
#ifndef MUJS_LIB_VALUE_CALLS
#define MUJS_LIB_VALUE_CALLS 51 /* nested calls of a small function the value stack holds */
#endif
#ifndef MUJS_LIB_C_STACK
#define MUJS_LIB_C_STACK 0 /* bytes of C stack per run; 0: the caller's stack is enough */
#endif

/* The limits as string literals, for messages. */
#define MUJS_STR_(x)           #x
#define MUJS_STR(x)            MUJS_STR_(x)
#define MUJS_LIB_STACKSIZE_S   MUJS_STR(MUJS_LIB_STACKSIZE)
#define MUJS_LIB_TRYLIMIT_S    MUJS_STR(MUJS_LIB_TRYLIMIT)
#define MUJS_LIB_MAX_CALLS_S   MUJS_STR(MUJS_LIB_MAX_CALLS)
#define MUJS_LIB_VALUE_CALLS_S MUJS_STR(MUJS_LIB_VALUE_CALLS)

struct jsx_run;

/* Calls fn(run) with a C stack of MUJS_LIB_C_STACK bytes: on a thread of its own that the
 * caller waits for, or on the caller's thread when the build needs no more than a thread
 * normally has. MuJS recurses on the C stack for every nested call and every nesting level
 * of JSON.parse/stringify, and counts only calls and values; the stack is sized so that the
 * interpreter's limits (a catchable "stack overflow") always come before the end of the C
 * stack (SIGSEGV). Returns what fn returns, or RATCHET_ERR with run->why when the thread
 * cannot be started. Signals stay with the caller's thread (the new one blocks them). */
ratchet_status mujs_on_stack(ratchet_status (*fn)(struct jsx_run *run), struct jsx_run *run);

#endif
