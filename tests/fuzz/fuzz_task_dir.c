/*
 * tests/fuzz/fuzz_task_dir.c - task folders (host/task/task.c, task_meta.c): write the fields
 * as a package's files, then load and check it. Input fields, separated by FUZZ_SEP lines:
 * metadata.json, main.js, input.schema.json, output.schema.json, tests/a.json, tests/b.json;
 * a missing field leaves that file out. A first field starting with "---" (a YAML document) is
 * written as meta.yaml instead, and the second as task.js (task_yaml.c's default entry).
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz_common.h"
#include "task/task.h"

static const char *const files[] = {"metadata.json",      "main.js",      "input.schema.json",
                                    "output.schema.json", "tests/a.json", "tests/b.json"};
#define NFILES (sizeof files / sizeof *files)

static void count_problem(void *data, const char *problem)
{
    FUZZ_CHECK(problem && problem[0]);
    (*(size_t *)data)++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 256 * 1024)
        return 0;
    fuzz_fields ff;
    fuzz_split(data, size, NFILES, &ff);
    char dir[4200], path[4300];
    snprintf(dir, sizeof dir, "%s/task", fuzz_scratch());
    mkdir(dir, 0700);
    fuzz_empty_dir(dir);
    snprintf(path, sizeof path, "%s/tests", dir);
    mkdir(path, 0700);
    int yaml = ff.n > 0 && ff.len[0] >= 3 && memcmp(ff.f[0], "---", 3) == 0;
    for (size_t i = 0; i < ff.n && i < NFILES; i++) {
        const char *name = yaml && i == 0 ? "meta.yaml" : yaml && i == 1 ? "task.js" : files[i];
        snprintf(path, sizeof path, "%s/%s", dir, name);
        FUZZ_CHECK(fuzz_write_file(path, ff.f[i], ff.len[i]) == 0);
    }

    rt_error err = {{0}};
    rt_task *t = rt_task_load(dir, &err);
    size_t problems = 0;
    size_t checked = rt_task_check(dir, count_problem, &problems);
    FUZZ_CHECK(checked == problems);
    if (t) {
        FUZZ_CHECK(t->name && t->version && t->uuid && t->code);
        FUZZ_CHECK(strlen(t->uuid) == 36);
        /* tests/ is read in name order (meta.yaml's test_cases come first, as written) */
        for (size_t i = 1; !yaml && i < t->ntests; i++)
            FUZZ_CHECK(strcmp(t->tests[i - 1].name, t->tests[i].name) < 0);
        rt_task_free(t);
    } else {
        FUZZ_CHECK(err.msg[0] != '\0');
        FUZZ_CHECK(problems > 0); /* the checker finds what stopped the loader */
    }
    fuzz_fields_free(&ff);
    return 0;
}
