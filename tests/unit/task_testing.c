/* task_testing.c - see task_testing.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "task.h"
#include "task_int.h"
#include "task_testing.h"

int task_fx_setup(void **state, const char *prefix)
{
    const char *base = getenv("RATCHET_TEST_TMP");
    fx *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    int n = snprintf(f->dir, sizeof f->dir, "%s/%s.XXXXXX", base && *base ? base : "/tmp", prefix);
    if (n < 0 || (size_t)n >= sizeof f->dir || !mkdtemp(f->dir)) {
        free(f);
        return -1;
    }
    snprintf(f->tmp, sizeof f->tmp, "%s/tmp", f->dir);
    if (mkdir(f->tmp, 0700) != 0 || setenv("TMPDIR", f->tmp, 1) != 0) {
        free(f);
        return -1;
    }
    *state = f;
    return 0;
}

int task_fx_teardown(void **state)
{
    fx *f = *state;
    rt_task_rmtree(f->dir);
    free(f);
    return 0;
}

char *path_of(const fx *f, const char *rel)
{
    static char buf[4][4096];
    static int next;
    char *p = buf[next++ % 4];
    snprintf(p, sizeof buf[0], "%s/%s", f->dir, rel);
    return p;
}

void put_n(const fx *f, const char *rel, const char *data, size_t len)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", f->dir, rel);
    for (char *s = strchr(path + strlen(f->dir) + 1, '/'); s; s = strchr(s + 1, '/')) {
        *s = '\0';
        assert_true(mkdir(path, 0755) == 0 || errno == EEXIST);
        *s = '/';
    }
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(data, 1, len, fp), len);
    assert_int_equal(fclose(fp), 0);
}

void put(const fx *f, const char *rel, const char *text)
{
    put_n(f, rel, text, strlen(text));
}

void collect(void *data, const char *problem)
{
    problems *p = data;
    size_t len = strlen(p->text);
    snprintf(p->text + len, sizeof p->text - len, "%s\n", problem);
    p->n++;
}

void has_problem(const problems *p, const char *line)
{
    char want[2048];
    if (snprintf(want, sizeof want, "%s\n", line) >= (int)sizeof want)
        fail_msg("expected problem too long: %s", line);
    if (!strstr(p->text, want))
        fail_msg("missing problem \"%s\" in:\n%s", line, p->text);
}
