/* host/engine/task_cache.c - task versions read once and kept ready to send (task_cache.h). */
#include "task_cache.h"

#include <stdlib.h>
#include <string.h>

const char *rt_rec_str(struct json_object *rec, const char *key)
{
    struct json_object *v;
    return json_object_object_get_ex(rec, key, &v) && v ? json_object_get_string(v) : NULL;
}

/* Fill t's program from the record: the stored one when this compiler version made it, else
 * main.js compiled now (a version stored by an older Ratchet). */
static void task_program(rt_cached_task *t)
{
    struct json_object *prog = NULL;
    const char *compiler = NULL;
    if (json_object_object_get_ex(t->rec, "program", &prog) && prog) {
        compiler = rt_rec_str(prog, "compiler");
        t->file = rt_rec_str(prog, "file");
    }
    if (compiler && strcmp(compiler, rt_program_compiler()) == 0) {
        t->code = rt_rec_str(prog, "code") ? rt_rec_str(prog, "code") : rt_rec_str(t->rec, "code");
        t->modules = rt_rec_str(prog, "modules");
        t->map = rt_rec_str(prog, "map");
        return;
    }
    const char *src = rt_rec_str(t->rec, "code");
    rt_error err;
    if (!src) {
        t->compile_error = strdup("the task version has no code");
    } else if (!(t->own = rt_program_compile_named(src, strlen(src), t->file, &err))) {
        t->compile_error = strdup(err.msg);
    } else {
        t->code = t->own->code;
        t->modules = t->own->modules;
        t->map = t->own->map_text;
    }
    if (t->compile_error)
        rt_log(RATCHET_LOG_WARN, "task version %lld: %s", (long long)t->id, t->compile_error);
}

rt_cached_task *rt_task_cache_get(rt_task_cache *c, int64_t id)
{
    for (size_t i = 0; i < c->count; i++)
        if (c->tasks[i].id == id)
            return &c->tasks[i];
    ratchet_buf out = RATCHET_BUF_INIT;
    struct json_object *rec = NULL;
    if (c->vt->task_version_get(c->si, id, &out) == RATCHET_OK && out.data)
        rec = json_tokener_parse(out.data);
    rt_buf_free(&out);
    rt_cached_task *grown = rec ? realloc(c->tasks, (c->count + 1) * sizeof *grown) : NULL;
    if (!grown) {
        json_object_put(rec);
        return NULL;
    }
    c->tasks = grown;
    struct json_object *schema = NULL;
    rt_schema *compiled = NULL;
    rt_error err;
    if (json_object_object_get_ex(rec, "outputSchema", &schema) && schema &&
        !(compiled = rt_schema_compile(schema, NULL, NULL, NULL, &err)))
        rt_log(RATCHET_LOG_WARN, "task version %lld: output schema unusable: %s", (long long)id,
               err.msg);
    grown[c->count] = (rt_cached_task){.id = id, .rec = rec, .output_schema = compiled};
    task_program(&grown[c->count]);
    return &grown[c->count++];
}

void rt_task_cache_free(rt_task_cache *c)
{
    for (size_t i = 0; i < c->count; i++) {
        json_object_put(c->tasks[i].rec);
        rt_schema_free(c->tasks[i].output_schema);
        rt_program_free(c->tasks[i].own);
        free(c->tasks[i].compile_error);
    }
    free(c->tasks);
    c->tasks = NULL;
    c->count = 0;
}

typedef struct schema_why {
    ratchet_buf *text;
    size_t count;
} schema_why;

static void note_schema_error(void *data, const char *pointer, const char *keyword,
                              const char *message)
{
    schema_why *w = data;
    if (w->count++ < 5)
        rt_buf_printf(w->text, "%s%s: %s: %s", w->count > 1 ? "; " : "",
                      rt_schema_pointer_display(pointer), keyword, message);
}

int rt_cached_task_output_ok(const rt_cached_task *t, struct json_object *output, ratchet_buf *why)
{
    if (!t->output_schema)
        return 1;
    schema_why w = {why, 0};
    rt_buf_puts(why, "does not match output.schema.json: ");
    rt_schema_validate(t->output_schema, output, note_schema_error, &w);
    return w.count == 0;
}
