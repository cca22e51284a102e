/*
 * host/task/task.h - task packages: a folder (metadata.json, main.js, optional input/output
 * schemas, tests/<name>.json), a .zip of one (at the root or in its single top folder), or a
 * collection folder holding many. Loading never executes anything.
 */
#ifndef RT_TASK_H
#define RT_TASK_H

#include <json-c/json.h>

#include "core/core_layer.h"
#include "program.h"
#include "ratchet/abi.h"

/* One tests/<name>.json file. */
typedef struct rt_task_test {
    char *name;                 /* file name without ".json" */
    char *file;                 /* full path */
    struct json_object *input;  /* "input", default {} */
    struct json_object *expect; /* "expected_output", else "expected"; NULL when neither */
    struct json_object *mock;   /* "mock" object ({http: [...] or {...}}), or NULL */
    int should_fail;            /* "should_fail": true: the test passes when the run fails */
} rt_task_test;

typedef struct rt_task {
    char *dir;    /* the task's folder, without trailing '/' (for a zip: inside tmpdir) */
    char *source; /* what the user named: folder or .zip path */
    char *name;   /* metadata name, else label (then not held to ^[A-Za-z0-9_-]+$) */
    char *label;  /* metadata label, else name */
    char *version;
    /* metadata uuid in lowercase, else generated and stable: FNV-1a 128 over name, a NUL byte
     * and version, formatted as a version-8 (RFC 9562) UUID */
    char *uuid;
    char *description; /* may be NULL */
    char **tags;
    size_t ntags;
    char *code; /* main.js */
    size_t code_len;
    struct json_object *metadata;      /* the whole file */
    struct json_object *input_schema;  /* NULL when absent */
    struct json_object *output_schema; /* NULL when absent */
    rt_task_test *tests;               /* sorted by name */
    size_t ntests;
    char *tmpdir; /* private extraction folder removed by rt_task_free, or NULL */
    rt_program *program; /* main.js compiled (rt_task_compile), or NULL until then */
} rt_task;

/* Called once per problem found by rt_task_check, in the formats rt_task_load uses. */
typedef void (*rt_task_problem_fn)(void *data, const char *problem);

/* Load a task from a folder or a .zip (extracted into a new mode-0700 folder under $TMPDIR or
 * /tmp). On error: NULL and err->msg names the file and what is wrong, e.g.
 * "addition/metadata.json: missing required field 'version'", "addition/tests/a.json: line
 * 3, column 5: ..." for bad JSON, "addition.zip:addition/metadata.json: ..." inside an archive,
 * "addition.zip: entry '../x' escapes the task folder" for a refused archive. */
rt_task *rt_task_load(const char *path, rt_error *err);
void rt_task_free(rt_task *task);

/* Compile main.js into task->program (once; later calls do nothing). On a syntax error or an
 * unsupported feature: RATCHET_ERR and err->msg "main.js:LINE:COL: message". */
ratchet_status rt_task_compile(rt_task *task, rt_error *err);

/* Check everything `ratchet validate` checks that does not need an executor or the schema
 * validator (metadata fields and types, files present, JSON well-formed, tests' shape),
 * reporting each problem; returns the number of problems. Works on a path that does not load. */
size_t rt_task_check(const char *path, rt_task_problem_fn fn, void *data);

/* The task folders under `path`: `path` itself when it holds metadata.json or is a file; else
 * every folder below it holding metadata.json (not descended into) and every *.zip, sorted.
 * Hidden entries are skipped and symlinked folders not followed; more than 16 levels of
 * folders or 10000 tasks is an error. *out is a malloc'd array of malloc'd strings (NULL when
 * none); the caller frees both. */
ratchet_status rt_task_find(const char *path, char ***out, size_t *count, rt_error *err);

#endif
