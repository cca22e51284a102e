/*
 * host/engine/jobspec.h - the checks shared by every way of making jobs and schedules (the
 * operator commands in cli/ and the ratchet.engine API): priority names, output destinations,
 * the input against the task's input schema, the next fire time of a cron schedule.
 *
 * Threading: every function may be called from any thread. Errors go to a caller-owned
 * rt_error (or a callback); nothing is printed.
 */
#ifndef RT_JOBSPEC_H
#define RT_JOBSPEC_H

#include <stdint.h>

#include "core/core_layer.h"
#include "task/task_layer.h"
#include "ratchet/storage.h"

struct json_object;

/* "low", "normal", "high", "urgent" and "critical" (= urgent), in any case. 0 on success, -1
 * for another name. */
int rt_priority_parse(const char *name, ratchet_priority *out);

/* The job/schedule `meta` for output destinations: {outputs: [...]} from `outputs` (a JSON
 * array of destinations, borrowed, may be NULL) and `webhook` (a URL to POST the output to,
 * may be NULL). *meta (the caller puts it) is NULL when neither is given. RATCHET_ERR with
 * the reason in *err ("--outputs expects ...", or rt_outputs_check's message). */
ratchet_status rt_outputs_meta(struct json_object *outputs, const char *webhook,
                               struct json_object **meta, rt_error *err);

/* Called per problem found in an input: `pointer` is a JSON pointer into the input ("" for the
 * whole), `message` says what is wrong. Strings are valid during the call only. */
typedef void (*rt_input_problem_fn)(void *data, const char *pointer, const char *message);

/* Check an input against a compiled input schema (NULL: any input) and, when `text` is given
 * (the JSON text the input came from), for integers JSON cannot carry exactly (beyond 2^53).
 * Returns the number of problems, each reported to fn (NULL: only counted). */
size_t rt_input_check(const rt_schema *schema, struct json_object *input, const char *text,
                      rt_input_problem_fn fn, void *data);

/* The first time (ms since the epoch) strictly after after_ms when cron expression `expr`
 * fires on the wall clock of time zone `zone` (NULL: UTC). RATCHET_ERR with the cron or zone
 * error in *err (e.g. "cron: minute field: 61 is out of range 0-59"). */
ratchet_status rt_schedule_next_fire(const char *expr, const char *zone, int64_t after_ms,
                                     int64_t *next_ms, rt_error *err);

#endif
