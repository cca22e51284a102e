/*
 * host/engine/task_errors.h - the last reload error of each task source (task_errors.c).
 */
#ifndef RT_TASK_ERRORS_H
#define RT_TASK_ERRORS_H

#include <json-c/json.h>

#include "core/core_layer.h"

/* Record `message` as the last reload error of `source` (a task folder or .zip path), or
 * forget it when message is NULL. Any thread. Failures are logged, not returned. */
void rt_task_errors_set(const rt_app *app, const char *source, const char *message);

/* {error, at} recorded for `source`, or NULL; the caller puts it. Any thread or process. */
struct json_object *rt_task_errors_get(const rt_app *app, const char *source);

#endif
