/* Unit tests of the watcher-inotify plugin's debounce (plugins/watcher-inotify/iw_burst.c):
 * one report per burst, each path once, when the tree has been quiet for the debounce time
 * or at the latest max_wait after the burst began; overflow past max_paths. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "iw.h"

#define MS 1000000LL

static void take(iw_burst *b, size_t want_n, int want_overflow)
{
    char **paths;
    size_t n;
    int overflow;
    assert_int_equal(iw_burst_take(b, &paths, &n, &overflow), 0);
    assert_int_equal(n, want_n);
    assert_int_equal(overflow, want_overflow);
    assert_null(paths[n]);
    for (size_t i = 0; i < n; i++)
        free(paths[i]);
    free(paths);
}

/* An editor's save by rename: several events within a few ms, one report 500 ms after the
 * last, holding each path once. */
static void test_quiet_period(void **state)
{
    (void)state;
    iw_burst b;
    iw_burst_init(&b, 100);
    assert_true(iw_burst_due(&b, 500 * MS, 10000 * MS) == INT64_MAX); /* nothing pending */
    iw_burst_add(&b, "/t/a/.main.js.swp", 1000 * MS);
    iw_burst_add(&b, "/t/a/main.js~", 1001 * MS);
    iw_burst_add(&b, "/t/a/main.js", 1002 * MS);
    iw_burst_add(&b, "/t/a/main.js", 1003 * MS);
    assert_int_equal(b.count, 3);
    assert_true(iw_burst_due(&b, 500 * MS, 10000 * MS) == 1503 * MS);
    /* A later event in the same burst pushes the report back. */
    iw_burst_add(&b, "/t/a/main.js", 1400 * MS);
    assert_true(iw_burst_due(&b, 500 * MS, 10000 * MS) == 1900 * MS);
    take(&b, 3, 0);
    assert_true(iw_burst_due(&b, 500 * MS, 10000 * MS) == INT64_MAX); /* emptied */
    iw_burst_free(&b);
}

/* A file written every 100 ms forever is still reported, max_wait after the first write. */
static void test_max_wait(void **state)
{
    (void)state;
    iw_burst b;
    iw_burst_init(&b, 100);
    for (int64_t t = 0; t < 20000; t += 100)
        iw_burst_add(&b, "/t/log.txt", (5000 + t) * MS);
    assert_true(iw_burst_due(&b, 500 * MS, 10000 * MS) == 15000 * MS);
    take(&b, 1, 0);
    iw_burst_free(&b);
}

/* 1,000 writes to 1,000 files (a git checkout): one burst; past max_paths it overflows (the
 * host then reloads the whole root) and keeps no more paths. */
static void test_many_paths_and_overflow(void **state)
{
    (void)state;
    iw_burst b;
    iw_burst_init(&b, 500);
    char path[64];
    for (int i = 0; i < 1000; i++) {
        snprintf(path, sizeof path, "/t/task%d/main.js", i % 400);
        iw_burst_add(&b, path, (int64_t)(1 + i) * MS);
    }
    assert_int_equal(b.count, 400);
    assert_int_equal(b.overflow, 0);
    take(&b, 400, 0);
    for (int i = 0; i < 600; i++) {
        snprintf(path, sizeof path, "/t/task%d/main.js", i);
        iw_burst_add(&b, path, 1 * MS);
    }
    assert_int_equal(b.count, 500);
    take(&b, 500, 1);
    /* Lost kernel events mark the burst too. */
    iw_burst_lose(&b, 7 * MS);
    assert_true(iw_burst_due(&b, 500 * MS, 10000 * MS) == 507 * MS);
    take(&b, 0, 1);
    iw_burst_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quiet_period),
        cmocka_unit_test(test_max_wait),
        cmocka_unit_test(test_many_paths_and_overflow),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
