/* host/task/schema_check.c - one-call schema checks with a readable summary. */
#include "schema_check.h"

#include "core/core_layer.h"
#include "schema.h"

typedef struct summary {
    ratchet_buf *text;
    size_t count;
} summary;

static void collect(void *data, const char *pointer, const char *keyword, const char *message)
{
    summary *s = data;
    if (s->count++ < 5)
        rt_buf_printf(s->text, "%s%s: %s: %s", s->count > 1 ? "; " : "",
                      rt_schema_pointer_display(pointer), keyword, message);
}

int rt_schema_check(struct json_object *schema, struct json_object *value, const char *file,
                    ratchet_buf *why)
{
    if (!schema)
        return 0;
    rt_error err;
    rt_schema *s = rt_schema_compile(schema, NULL, NULL, NULL, &err);
    if (!s) {
        rt_buf_printf(why, "%s is not a usable schema: %s", file, err.msg);
        return -1;
    }
    summary sum = {why, 0};
    rt_buf_printf(why, "does not match %s: ", file);
    rt_schema_validate(s, value, collect, &sum);
    rt_schema_free(s);
    if (sum.count > 5)
        rt_buf_puts(why, " (and more)");
    return (int)sum.count;
}
