/* host/engine/job_log.c - log events about one job, with its context (see job_log.h). */
#include "job_log.h"

#include <stdarg.h>
#include <string.h>

#include "core/core_layer.h"

void rt_job_log_enter(int64_t job_id, int64_t execution_id, const char *task_name)
{
    rt_log_ctx_set_job(job_id, execution_id, task_name);
}

void rt_job_log_leave(void)
{
    rt_log_ctx_clear();
}

static void emit_as(const char *source, ratchet_log_level level, const char *fmt, ...)
    RATCHET_PRINTF(3, 4);

static void emit_as(const char *source, ratchet_log_level level, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    rt_log_emit(source, NULL, level, NULL, 0, fmt, ap);
    va_end(ap);
}

static const char *member(struct json_object *o, const char *key)
{
    struct json_object *v = NULL;
    return json_object_object_get_ex(o, key, &v) ? json_object_get_string(v) : NULL;
}

void rt_job_log_console(struct json_object *lines)
{
    if (!json_object_is_type(lines, json_type_array))
        return;
    for (size_t i = 0; i < json_object_array_length(lines); i++) {
        struct json_object *line = json_object_array_get_idx(lines, i);
        int level = rt_log_level_parse(member(line, "level"));
        if (level < 0)
            level = RATCHET_LOG_INFO; /* console.log and anything unknown */
        if (!rt_log_enabled((ratchet_log_level)level))
            continue;
        const char *message = member(line, "message");
        emit_as("task", (ratchet_log_level)level, "%s", message ? message : "");
    }
}

void rt_job_log_outcome(const char *status, int attempt, const char *error_json,
                        int64_t duration_ms)
{
    int bad = strcmp(status, "failed") == 0 || strcmp(status, "retrying") == 0;
    ratchet_log_level level = bad ? RATCHET_LOG_WARN : RATCHET_LOG_DEBUG;
    if (!rt_log_enabled(level))
        return;
    struct json_object *err = bad && error_json ? json_tokener_parse(error_json) : NULL;
    const char *message = err ? member(err, "message") : NULL;
    if (message)
        rt_log(level, "job %s (attempt %d, %lld ms): %s", status, attempt, (long long)duration_ms,
               message);
    else
        rt_log(level, "job %s (attempt %d, %lld ms)", status, attempt, (long long)duration_ms);
    json_object_put(err);
}
