/*
 * host/task/task_layer.h - the interface of the task layer: what engine/ and cli/ may use of
 * it. Files outside task/ include this header and no other of task/ (see README.md);
 * tests/check_layers.sh enforces it. The compiler in task/compiler/ will be reached through
 * compiler/jsc.h, included from here once it is part of the build.
 */
#ifndef RT_TASK_LAYER_H
#define RT_TASK_LAYER_H

#include "fetch.h"        /* the fetcher behind a task's fetch(): live, mocked, replayed */
#include "fetch_http.h"   /* one HTTP exchange and the live client (also used by deliveries) */
#include "jsondiff.h"     /* comparing a result with a test's expectation */
#include "program.h"      /* a task's compiled program (ES2015+ compiled to ES5) */
#include "run.h"          /* the run of one execution */
#include "sandbox.h"      /* limits and seccomp for a process that runs tasks */
#include "schema.h"       /* the JSON Schema validator */
#include "schema_check.h" /* checking a JSON text against a task's schema */
#include "task.h"         /* task folders and zips */
#include "taskcheck.h"    /* validating a task folder and running one of its tests */
#include "taskcli.h"      /* the task flags and a run request from them and the config */

#endif
