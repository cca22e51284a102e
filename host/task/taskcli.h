/*
 * host/task/taskcli.h - what the task commands (run-once, validate, test, replay) share: their
 * flags, choosing the executor, and the run limits from flags and `execution:` config.
 */
#ifndef RT_TASKCLI_H
#define RT_TASKCLI_H

#include "core/core_layer.h"
#include "run.h"

typedef struct rt_task_flags {
    const char *from_fs;    /* --from-fs PATH */
    const char *input_json; /* --input-json JSON */
    const char *input_file; /* --input-file F */
    const char *timeout;    /* --timeout SECONDS (text, checked) */
    const char *memory_mb;  /* --memory-mb N (text, checked) */
    const char *record;     /* --record DIR */
    const char *recording;  /* --recording SESSION_DIR */
} rt_task_flags;

/* Flags a command accepts, as a bitmask. */
enum {
    RT_FLAG_INPUT = 1,     /* --input-json, --input-file */
    RT_FLAG_LIMITS = 2,    /* --timeout, --memory-mb */
    RT_FLAG_RECORD = 4,    /* --record */
    RT_FLAG_RECORDING = 8, /* --recording */
};

/* Parse argv[1..] of `cmd` (argv[0] is the command). --from-fs is always accepted and
 * required. Returns -1 to go on, else the exit status (usage error). */
int rt_task_flags_parse(const char *cmd, int argc, char **argv, unsigned accepted,
                        rt_task_flags *f);

/* Fill the executor, limits and defaults of `req` from the flags and the configuration:
 * the first configured executor instance, else execution.executor with its defaults.
 * Returns RT_EXIT_OK or prints the error and returns RT_EXIT_FAIL / RT_EXIT_USAGE. */
int rt_task_prepare(rt_app *app, const char *cmd, const rt_task_flags *f, rt_run_request *req);

/* The start shared by the commands that take a task or a collection (validate, test): parse
 * the flags, prepare `req`, and list the task paths under --from-fs (*paths: malloc'd array
 * of malloc'd strings, possibly empty). Returns -1 to go on, else the exit status. */
int rt_task_collection_start(rt_app *app, const char *cmd, int argc, char **argv, rt_task_flags *f,
                             rt_run_request *req, char ***paths, size_t *npaths);

/* Load the task at `path`, printing the error on failure (NULL). */
rt_task *rt_task_open(const char *path);

/* Print the captured console lines of a run to stderr, "[task] info: text". */
void rt_task_print_logs(const rt_run_result *res, const char *task_name);

#endif
