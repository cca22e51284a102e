/*
 * host/task/program.c - compiling main.js into the program an executor runs (program.h).
 */
#include "program.h"

#include <stdlib.h>
#include <string.h>

#include "compiler/jsc.h"

const char *rt_program_compiler(void)
{
    return JSC_VERSION;
}

static rt_program *program_new(void)
{
    return calloc(1, sizeof(rt_program));
}

rt_program *rt_program_compile(const char *src, size_t len, rt_error *err)
{
    return rt_program_compile_named(src, len, NULL, err);
}

rt_program *rt_program_compile_named(const char *src, size_t len, const char *filename,
                                     rt_error *err)
{
    const char *file = filename && *filename ? filename : "main.js";
    jsc_output out;
    if (!jsc_compile(src, len, &out)) {
        if (out.err_line)
            rt_fail(err, "%s:%u:%u: %s", file, out.err_line, out.err_col, out.err_msg);
        else
            rt_fail(err, "%s: %s", file, out.err_msg);
        jsc_output_free(&out);
        return NULL;
    }
    rt_program *p = program_new();
    /* "main.js" is what a program without a name is called anyway: stored programs stay as
     * they were for the tasks that have one. */
    if (p && filename && *filename && strcmp(filename, "main.js") != 0 &&
        !(p->filename = strdup(filename))) {
        free(p);
        p = NULL;
    }
    if (!p || (out.line_map && !(p->map_text = jsc_map_encode(out.line_map, out.line_map_lines)))) {
        if (p)
            free(p->filename);
        free(p);
        jsc_output_free(&out);
        rt_fail(err, "out of memory");
        return NULL;
    }
    /* Take the output's buffers over: nothing is copied. */
    p->code = out.code;
    p->code_len = out.code_len;
    p->modules = out.modules;
    p->runtime = out.runtime;
    p->runtime_len = out.runtime_len;
    p->line_map = out.line_map;
    p->line_map_lines = out.line_map_lines;
    p->lowered = out.lowered;
    return p;
}

rt_program *rt_program_from_parts(const char *code, const char *modules, const char *map_text,
                                  rt_error *err)
{
    rt_program *p = program_new();
    char why[256] = "";
    if (!p || !(p->code = strdup(code)) || !(p->modules = strdup(modules ? modules : ""))) {
        rt_program_free(p);
        rt_fail(err, "out of memory");
        return NULL;
    }
    p->code_len = strlen(code);
    if (*p->modules && !(p->runtime = jsc_runtime_text(p->modules, &p->runtime_len, why,
                                                      sizeof why))) {
        rt_program_free(p);
        rt_fail(err, "runtime modules '%s': %s", modules, why);
        return NULL;
    }
    if (map_text && *map_text) {
        if (!jsc_map_decode(map_text, &p->line_map, &p->line_map_lines) ||
            !(p->map_text = strdup(map_text))) {
            rt_program_free(p);
            rt_fail(err, "malformed line map");
            return NULL;
        }
        p->lowered = 1;
    }
    return p;
}

void rt_program_free(rt_program *p)
{
    if (!p)
        return;
    free(p->code);
    free(p->modules);
    free(p->runtime);
    free(p->line_map);
    free(p->map_text);
    free(p->filename);
    free(p);
}

void rt_program_source(const rt_program *p, const char *task_name, ratchet_task_source *src)
{
    memset(src, 0, sizeof *src);
    src->abi = (ratchet_abi)RATCHET_ABI_INIT(ratchet_task_source);
    src->task_name = task_name;
    src->filename = p->filename ? p->filename : "main.js";
    src->code = p->code;
    src->code_len = p->code_len;
    src->runtime = p->runtime;
    src->runtime_len = p->runtime_len;
    src->line_map = p->line_map;
    src->line_map_lines = p->line_map ? p->line_map_lines : 0;
}
