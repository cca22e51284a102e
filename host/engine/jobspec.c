/* host/engine/jobspec.c - checks shared by the operator commands and the API (see jobspec.h). */
#include "jobspec.h"

#include <json-c/json.h>
#include <string.h>
#include <strings.h>

#include "cron.h"
#include "deliver.h"
#include "tz.h"

int rt_priority_parse(const char *name, ratchet_priority *out)
{
    static const char *const names[] = {"low", "normal", "high", "urgent"};
    for (int i = 0; name && i < 4; i++)
        if (strcasecmp(name, names[i]) == 0) {
            *out = (ratchet_priority)(i + 1);
            return 0;
        }
    if (name && strcasecmp(name, "critical") == 0) { /* the original's REST name for urgent */
        *out = RATCHET_PRIORITY_URGENT;
        return 0;
    }
    return -1;
}

ratchet_status rt_outputs_meta(struct json_object *outputs, const char *webhook,
                               struct json_object **meta, rt_error *err)
{
    *meta = NULL;
    if (!outputs && !webhook)
        return RATCHET_OK;
    if (outputs && !json_object_is_type(outputs, json_type_array))
        return rt_fail(err, "outputs: expected a JSON array of destinations");
    struct json_object *list = json_object_new_array();
    for (size_t i = 0; outputs && i < json_object_array_length(outputs); i++)
        json_object_array_add(list, json_object_get(json_object_array_get_idx(outputs, i)));
    if (webhook) {
        struct json_object *d = json_object_new_object();
        json_object_object_add(d, "type", json_object_new_string("webhook"));
        json_object_object_add(d, "url", json_object_new_string(webhook));
        json_object_array_add(list, d);
    }
    if (rt_outputs_check(list, err) != RATCHET_OK) {
        json_object_put(list);
        return RATCHET_ERR;
    }
    *meta = json_object_new_object();
    json_object_object_add(*meta, "outputs", list);
    return RATCHET_OK;
}

typedef struct problems {
    rt_input_problem_fn fn;
    void *data;
} problems;

static void schema_problem(void *data, const char *pointer, const char *keyword,
                           const char *message)
{
    (void)keyword;
    problems *p = data;
    if (p->fn)
        p->fn(p->data, pointer, message);
}

size_t rt_input_check(const rt_schema *schema, struct json_object *input, const char *text,
                      rt_input_problem_fn fn, void *data)
{
    size_t n = 0;
    if (text) {
        ratchet_buf why = RATCHET_BUF_INIT;
        if (rt_json_unsafe_int(text, strlen(text), &why)) {
            /* "/a/b: integer ... would lose precision" */
            const char *sep = why.data ? strstr(why.data, ": ") : NULL;
            if (fn && sep) {
                char pointer[512];
                size_t len = (size_t)(sep - why.data);
                len = len < sizeof pointer ? len : sizeof pointer - 1;
                memcpy(pointer, why.data, len);
                pointer[len] = '\0';
                fn(data, strcmp(pointer, "/") == 0 ? "" : pointer, sep + 2);
            } else if (fn) {
                fn(data, "", why.data ? why.data : "integer out of range");
            }
            n++;
        }
        rt_buf_free(&why);
    }
    if (schema) {
        problems p = {fn, data};
        n += rt_schema_validate(schema, input, fn ? schema_problem : NULL, fn ? &p : NULL);
    }
    return n;
}

ratchet_status rt_schedule_next_fire(const char *expr, const char *zone, int64_t after_ms,
                                     int64_t *next_ms, rt_error *err)
{
    rt_cron *c = rt_cron_parse(expr ? expr : "", err);
    if (!c)
        return RATCHET_ERR;
    rt_tz *tz = rt_tz_load(zone ? zone : "UTC", err);
    int64_t next = 0;
    ratchet_status rc = tz ? rt_cron_next(c, tz, after_ms / 1000, &next, err) : RATCHET_ERR;
    if (rc == RATCHET_OK)
        *next_ms = next * 1000;
    rt_tz_free(tz);
    rt_cron_free(c);
    return rc;
}
