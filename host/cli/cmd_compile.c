/* host/cli/cmd_compile.c - `ratchet compile`: show what the task compiler makes of main.js. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "core/core_layer.h"
#include "task/task_layer.h"

typedef struct compile_flags {
    const char *from_fs;
    int runtime, map;
} compile_flags;

static int parse_flags(int argc, char **argv, compile_flags *f)
{
    memset(f, 0, sizeof *f);
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--from-fs") == 0 && i + 1 < argc)
            f->from_fs = argv[++i];
        else if (strcmp(argv[i], "--runtime") == 0)
            f->runtime = 1;
        else if (strcmp(argv[i], "--map") == 0)
            f->map = 1;
        else
            return rt_usage_error("compile", "unexpected argument '%s'", argv[i]);
    }
    if (!f->from_fs)
        return rt_usage_error("compile", "--from-fs TASK (a task folder, a .zip or a .js file) "
                                         "is required");
    return -1;
}

/* A .js file given directly: its text. */
static char *read_js(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        rt_cli_fail("%s: %s", path, strerror(errno));
        return NULL;
    }
    char *text = NULL;
    size_t cap = 0;
    *len = 0;
    for (;;) {
        if (cap - *len < 65536) {
            char *grown = realloc(text, cap += 65536);
            if (!grown)
                break;
            text = grown;
        }
        size_t n = fread(text + *len, 1, cap - *len - 1, fp);
        *len += n;
        if (n == 0)
            break;
    }
    fclose(fp);
    if (text)
        text[*len] = '\0';
    return text;
}

static int is_js_file(const char *path)
{
    struct stat sb;
    size_t n = strlen(path);
    return n > 3 && strcmp(path + n - 3, ".js") == 0 && stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

static void print_map(const rt_program *p)
{
    for (size_t i = 0; i < p->line_map_lines; i++)
        if (p->line_map[2 * i])
            printf("%zu\t%s:%u:%u\n", i + 1, p->filename ? p->filename : "main.js",
                   p->line_map[2 * i], p->line_map[2 * i + 1]);
}

static int compile_run(rt_app *app, int argc, char **argv)
{
    (void)app;
    compile_flags f;
    int rc = parse_flags(argc, argv, &f);
    if (rc >= 0)
        return rc;
    rt_task *task = NULL;
    char *code = NULL;
    size_t len = 0;
    if (is_js_file(f.from_fs))
        code = read_js(f.from_fs, &len);
    else if ((task = rt_task_open(f.from_fs)) != NULL)
        code = task->code, len = task->code_len;
    if (!code)
        return RT_EXIT_FAIL;
    rt_error err;
    /* Named as the task names its code: "task.js", "greeting.zip!main.js" (task.h). */
    rt_program *p =
        rt_program_compile_named(code, len, task ? rt_task_code_name(task) : NULL, &err);
    if (!task)
        free(code);
    rt_task_free(task);
    if (!p)
        return rt_cli_fail("compile error: %s", err.msg);
    if (f.map)
        print_map(p);
    else if (f.runtime && p->runtime)
        fwrite(p->runtime, 1, p->runtime_len, stdout);
    else
        fwrite(p->code, 1, p->code_len, stdout);
    fprintf(stderr, "ratchet: %s: %s, %zu bytes of ES5; runtime modules: %s\n", f.from_fs,
            p->lowered ? "compiled from ES2015+" : "plain ES5 (unchanged)", p->code_len,
            *p->modules ? p->modules : "none");
    rt_program_free(p);
    return RT_EXIT_OK;
}

const rt_command rt_cmd_compile = {
    "compile",
    "Show the ES5 the task compiler makes of a task's main.js",
    "Usage: ratchet compile --from-fs TASK [--runtime | --map]\n"
    "\n"
    "Compile TASK's main.js (TASK is a task folder, a .zip of one, or a .js file) the way\n"
    "run-once, test and serve do, and print the generated ES5 on stdout. A summary goes to\n"
    "stderr: whether the source used ES2015+ syntax and which runtime modules (built-ins such\n"
    "as Promise or Map, and the compiler's helpers) every execution loads before the code.\n"
    "\n"
    "  --runtime  print the runtime modules' code instead\n"
    "  --map      print the line map instead: generated line, TAB, main.js:LINE:COL\n"
    "\n"
    "Exit status: 0 compiled, 1 compile error (main.js:LINE:COL: message), 2 usage error.\n",
    compile_run,
};
