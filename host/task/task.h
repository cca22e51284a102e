/*
 * host/task/task.h - task packages: a folder (metadata.json, main.js, optional input/output
 * schemas, tests/<name>.json; or the newer format of the original: meta.yaml and the entry file
 * it names, task.js by default, see task_yaml.c), a .zip of one (at the root or in its single
 * top folder), or a collection folder holding many. Loading never executes anything.
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
    /* "expected_error": a string (an error name, or a part of the message) or an object
     * {name?, message?}; the test passes when the run fails that way (taskcheck.h). NULL when
     * absent. */
    struct json_object *expect_error;
    /* Why the test is not run (static text), or NULL: a test with nothing to check
     * (no expected_output, expected, expected_error or should_fail) is skipped, as the
     * original's library runner did. */
    const char *skip;
} rt_task_test;

typedef struct rt_task {
    char *dir;    /* the task's folder, without trailing '/' (for a zip: inside tmpdir) */
    char *source; /* what the user named: folder or .zip path */
    /* What messages put before a file of the task: "addition/" for a folder, "greeting.zip!"
     * or "greeting.zip!greeting/" for a zip (never the extraction folder). */
    char *shown;
    char *entry;     /* the code's file, relative to dir: "main.js", or meta.yaml's entrypoint */
    char *meta_file; /* "metadata.json" or "meta.yaml" */
    char *code_name; /* rt_task_code_name */
    char *name;   /* metadata name, else label (then not held to ^[A-Za-z0-9_-]+$) */
    char *label;  /* metadata label, else name */
    char *version;
    /* metadata uuid in lowercase, else generated and stable: FNV-1a 128 over name, a NUL byte
     * and version, formatted as a version-8 (RFC 9562) UUID */
    char *uuid;
    char *description; /* may be NULL */
    char **tags;
    size_t ntags;
    char *code; /* the entry file (main.js) */
    size_t code_len;
    struct json_object *metadata;      /* the whole file (meta.yaml: as JSON) */
    struct json_object *input_schema;  /* NULL when absent (meta.yaml: from `inputs`) */
    struct json_object *output_schema; /* NULL when absent (meta.yaml: from `outputs`) */
    /* Where each schema came from, for messages: "input.schema.json", or meta.yaml's key
     * ("inputs", "input_schema"); static text, NULL when there is no schema. */
    const char *input_schema_from, *output_schema_from;
    rt_task_test *tests;               /* sorted by name */
    size_t ntests;
    char *tmpdir; /* private extraction folder removed by rt_task_free, or NULL */
    rt_program *program; /* main.js compiled (rt_task_compile), or NULL until then */
} rt_task;

/* How the executor names the task's code in messages and stack traces: the entry file
 * ("main.js", "task.js") for a folder, and for a zip the archive and the path inside it
 * ("greeting.zip!main.js"), so that no message names the extraction folder. Owned by t. */
const char *rt_task_code_name(const rt_task *t);

/* Called once per problem found by rt_task_check, in the formats rt_task_load uses. */
typedef void (*rt_task_problem_fn)(void *data, const char *problem);

/* Load a task from a folder or a .zip (extracted into a new mode-0700 folder under $TMPDIR or
 * /tmp). On error: NULL and err->msg names the file and what is wrong, e.g.
 * "addition/metadata.json: missing required field 'version'", "addition/tests/a.json: line
 * 3, column 5: ..." for bad JSON, "addition/meta.yaml:4: inputs.count.type: unknown type
 * \"nubmer\"" for meta.yaml, "addition.zip!addition/metadata.json: ..." inside an archive
 * (the archive, '!', the path inside it), "addition.zip: entry '../x' escapes the task folder"
 * for a refused archive. */
rt_task *rt_task_load(const char *path, rt_error *err);
void rt_task_free(rt_task *task);

/* Compile the entry file into task->program (once; later calls do nothing). The program's
 * file name, used in messages and stack traces, is rt_task_code_name. On a syntax error or an
 * unsupported feature: RATCHET_ERR and err->msg "main.js:LINE:COL: message". */
ratchet_status rt_task_compile(rt_task *task, rt_error *err);

/* Check everything `ratchet validate` checks that does not need an executor or the schema
 * validator (metadata fields and types, files present, JSON well-formed, tests' shape),
 * reporting each problem; returns the number of problems. Works on a path that does not load. */
size_t rt_task_check(const char *path, rt_task_problem_fn fn, void *data);

/* rt_task_check that keeps what it read: the task, as far as it could be read (fields whose
 * files are missing or bad stay NULL), with *count problems reported to fn; the caller frees
 * it with rt_task_free. NULL (after reporting) only when `path` cannot be opened at all. */
rt_task *rt_task_scan(const char *path, rt_task_problem_fn fn, void *data, size_t *count);

/* Whether folder `dir` is a task folder: it holds metadata.json or meta.yaml. */
int rt_task_is_folder(const char *dir);

/* The task folders under `path`: `path` itself when it is a task folder or a file; else
 * every task folder below it (not descended into) and every *.zip, sorted.
 * Hidden entries are skipped and symlinked folders not followed; more than 16 levels of
 * folders or 10000 tasks is an error. *out is a malloc'd array of malloc'd strings (NULL when
 * none); the caller frees both. */
ratchet_status rt_task_find(const char *path, char ***out, size_t *count, rt_error *err);

/* Write the task folder `dir` as the .zip `zip_path` (task_zip_write.c): every regular file
 * below it at the root of the archive, sorted, hidden entries skipped, with a fixed time and
 * mode so that the same files always give the same bytes. A symlink inside is refused (a
 * reader would refuse it too). Written to a temporary file beside zip_path, then renamed over
 * it. On error: RATCHET_ERR and err->msg names the file. */
ratchet_status rt_task_zip_write(const char *dir, const char *zip_path, rt_error *err);

#endif
