/*
 * task_testing.h - what the task-package unit tests share (test_task.c, test_task_formats.c):
 * a throwaway folder per test with its own $TMPDIR for zip extraction, writing files below
 * it, and collecting the problems rt_task_check reports.
 */
#ifndef TASK_TESTING_H
#define TASK_TESTING_H

#include <stddef.h>

typedef struct fx {
    char dir[512]; /* this test's folder */
    char tmp[520]; /* $TMPDIR for extraction, empty whenever no task is loaded */
} fx;

/* cmocka setup: a new folder "<RATCHET_TEST_TMP or /tmp>/<prefix>.XXXXXX" with tmp/ as
 * $TMPDIR; *state becomes the fx. */
int task_fx_setup(void **state, const char *prefix);
/* cmocka teardown: removes the folder. */
int task_fx_teardown(void **state);

/* "<dir>/<rel>" in one of four rotating static buffers. */
char *path_of(const fx *f, const char *rel);
/* Write rel (below the test folder) with len bytes, creating parent folders; asserts. */
void put_n(const fx *f, const char *rel, const char *data, size_t len);
/* put_n of a NUL-terminated text. */
void put(const fx *f, const char *rel, const char *text);

/* Problems reported by rt_task_check, one per line (collect is the callback). */
typedef struct problems {
    char text[16384];
    size_t n;
} problems;
void collect(void *data, const char *problem);
/* Fails the test unless `line` is one of the collected problems. */
void has_problem(const problems *p, const char *line);

#endif
