/* tests/unit/test_scheduler.c - the scheduler reads the schedules from storage only when one
 * is due or, after a storage wake-up, at most once a second: not after every wake-up. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "schedule.h"

static int due_calls, list_calls;

static ratchet_status fake_due(void *inst, int64_t now_ms, ratchet_buf *out)
{
    (void)inst;
    (void)now_ms;
    due_calls++;
    rt_buf_puts(out, "[]");
    return RATCHET_OK;
}

/* One enabled schedule, next due at 10 s after the epoch. */
static ratchet_status fake_list(void *inst, ratchet_buf *out)
{
    (void)inst;
    list_calls++;
    rt_buf_puts(out, "[{\"id\": 1, \"name\": \"s\", \"enabled\": true, "
                     "\"nextRunAt\": \"1970-01-01T00:00:10Z\"}]");
    return RATCHET_OK;
}

static void fake_notify(void *inst)
{
    (void)inst;
}

static void test_reads_only_when_due_or_changed(void **state)
{
    (void)state;
    ratchet_storage_vtable vt;
    memset(&vt, 0, sizeof vt);
    vt.schedule_due = fake_due;
    vt.schedule_list = fake_list;
    vt.notify = fake_notify;
    rt_schedule_policy policy = {1, 0, 0, 0};
    rt_scheduler *s = rt_scheduler_new(&vt, NULL, &policy);
    assert_non_null(s);
    assert_int_equal(rt_scheduler_next_ms(s), 1); /* never read: at once */
    rt_scheduler_run(s, 1000);
    assert_int_equal(rt_scheduler_reads(s), 1);
    assert_int_equal(list_calls, 1);
    assert_int_equal(rt_scheduler_next_ms(s), 10000);
    /* Nothing changed, nothing due: no reads. */
    for (int64_t t = 1000; t < 9000; t += 10)
        rt_scheduler_run(s, t);
    assert_int_equal(rt_scheduler_reads(s), 1);
    /* A burst of wake-ups (a burn-down): one read a second at most. */
    for (int64_t t = 2000; t < 4000; t += 5) {
        rt_scheduler_invalidate(s);
        rt_scheduler_run(s, t);
    }
    assert_int_equal(rt_scheduler_reads(s), 3); /* at 2000 and 3000 */
    rt_scheduler_invalidate(s);
    assert_int_equal(rt_scheduler_next_ms(s), 4000); /* the rescan, before the due time */
    rt_scheduler_run(s, 3999);
    assert_int_equal(rt_scheduler_reads(s), 3);
    rt_scheduler_run(s, 4000);
    assert_int_equal(rt_scheduler_reads(s), 4);
    assert_int_equal(rt_scheduler_next_ms(s), 10000);
    /* Due: read at once. */
    rt_scheduler_run(s, 9999);
    assert_int_equal(rt_scheduler_reads(s), 4);
    int before = due_calls;
    rt_scheduler_run(s, 10000);
    assert_int_equal(rt_scheduler_reads(s), 5);
    assert_int_equal(due_calls, before + 1);
    rt_scheduler_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reads_only_when_due_or_changed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
